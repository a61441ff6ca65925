//! The one source of time. Everything that measures an age, a target or a
//! deadline asks a `Clock`, so tests move time instead of sleeping.
//!
//! A clock gives two readings: the wall time (which anyone with root, or NTP, can
//! set) and, when it has one, a monotonic reading that no one can set. The desk
//! compares the two to tell time passing from a clock being moved (see
//! `rules::clock`).

use chrono::{DateTime, Duration, Utc};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    /// Time since a fixed point of this process that setting the system clock
    /// does not move; `None` for a clock without one (then only the log's own
    /// times are there to compare a reading with).
    fn monotonic(&self) -> Option<std::time::Duration> {
        None
    }
}

/// The process's monotonic reading.
fn process_monotonic() -> std::time::Duration {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

/// The real time.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn monotonic(&self) -> Option<std::time::Duration> {
        Some(process_monotonic())
    }
}

#[derive(Debug)]
struct Manual {
    wall: DateTime<Utc>,
    monotonic: std::time::Duration,
}

/// A clock that stands still until moved: for tests and for replaying the demo script.
/// `set` and `advance` are time passing (both readings move); `jump` is someone
/// setting the system clock (only the wall time moves).
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<Manual>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> ManualClock {
        ManualClock(Arc::new(Mutex::new(Manual {
            wall: at,
            monotonic: std::time::Duration::ZERO,
        })))
    }

    /// Time passes until `at` (a monotonic clock never goes back: an earlier `at`
    /// moves the wall time alone, like [`ManualClock::jump`]).
    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut t) = self.0.lock() {
            let by = at - t.wall;
            t.monotonic += by.to_std().unwrap_or_default();
            t.wall = at;
        }
    }

    pub fn advance(&self, by: Duration) {
        if let Ok(mut t) = self.0.lock() {
            t.monotonic += by.to_std().unwrap_or_default();
            t.wall += by;
        }
    }

    /// The system clock is set `by` ahead (or back, if negative); no time passes.
    pub fn jump(&self, by: Duration) {
        if let Ok(mut t) = self.0.lock() {
            t.wall += by;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.lock().map(|t| t.wall).unwrap_or_else(|_| Utc::now())
    }
    fn monotonic(&self) -> Option<std::time::Duration> {
        self.0.lock().ok().map(|t| t.monotonic)
    }
}

/// Real time shifted by a fixed offset: `DUTYDESK_NOW=2026-11-25T21:00:00Z` makes the
/// process start at that instant and run on from there. End-to-end tests use it to
/// put the real binary at a known moment without sleeping.
#[derive(Debug, Clone, Copy)]
pub struct OffsetClock {
    offset: Duration,
}

impl OffsetClock {
    pub fn starting_at(at: DateTime<Utc>) -> OffsetClock {
        OffsetClock {
            offset: at - Utc::now(),
        }
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset
    }
    fn monotonic(&self) -> Option<std::time::Duration> {
        Some(process_monotonic())
    }
}

pub type SharedClock = Arc<dyn Clock>;

/// One look at a clock, as the rules get it: the wall time, where the desk
/// expected it from its last reading plus the monotonic time passed since, and
/// the previous record's time plus that same time passed (both `None` when there
/// is no last reading in this process, or no monotonic clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub wall_us: i64,
    pub expected_us: Option<i64>,
    pub measured_us: Option<i64>,
}

/// Takes the [`Reading`] of each command: remembers the wall and monotonic time
/// of the last reading a command was recorded with, to tell a clock being set
/// from time passing. The desk keeps one; so do the rules' tests.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reader {
    last: Option<(i64, std::time::Duration)>,
}

/// A reading, with the monotonic time it was taken at (for [`Reader::keep`]).
#[derive(Debug, Clone, Copy)]
pub struct Taken {
    pub reading: Reading,
    monotonic: Option<std::time::Duration>,
}

impl Reader {
    /// Reads `clock` for a command; `last_at_us` is the time of the log's last record.
    pub fn read(&self, clock: &dyn Clock, last_at_us: i64) -> Taken {
        let wall_us = clock.now().timestamp_micros();
        let monotonic = clock.monotonic();
        let passed = match (self.last, monotonic) {
            (Some((last_wall, last_mono)), Some(mono)) => {
                let us = mono.saturating_sub(last_mono).as_micros();
                Some((last_wall, i64::try_from(us).unwrap_or(i64::MAX)))
            }
            _ => None,
        };
        Taken {
            reading: Reading {
                wall_us,
                expected_us: passed.map(|(last_wall, us)| last_wall.saturating_add(us)),
                measured_us: passed.map(|(_, us)| last_at_us.saturating_add(us)),
            },
            monotonic,
        }
    }

    /// Remembers `taken` once its command is recorded (a refused one is not).
    pub fn keep(&mut self, taken: &Taken) {
        self.last = taken.monotonic.map(|m| (taken.reading.wall_us, m));
    }
}

/// Seconds from `from_us` to `to_us`, never negative: an age or a duration
/// measured against a clock that was set back is zero, not "-1h00".
pub fn seconds_between(from_us: i64, to_us: i64) -> i64 {
    (to_us.saturating_sub(from_us) / 1_000_000).max(0)
}

/// The clock for this process: the system clock, or `DUTYDESK_NOW` when set.
pub fn from_env() -> Result<SharedClock, String> {
    match std::env::var("DUTYDESK_NOW") {
        Ok(v) if !v.trim().is_empty() => {
            let at = DateTime::parse_from_rfc3339(v.trim())
                .map_err(|e| format!("DUTYDESK_NOW='{v}' is not an RFC 3339 time: {e}"))?;
            Ok(Arc::new(OffsetClock::starting_at(at.with_timezone(&Utc))))
        }
        _ => Ok(Arc::new(SystemClock)),
    }
}
