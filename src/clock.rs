//! The one source of time. Everything that measures an age, a target or a
//! deadline asks a `Clock`, so tests move time instead of sleeping.

use chrono::{DateTime, Duration, Utc};
use std::sync::{Arc, Mutex};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The real time.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until moved: for tests and for replaying the demo script.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> ManualClock {
        ManualClock(Arc::new(Mutex::new(at)))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut t) = self.0.lock() {
            *t = at;
        }
    }

    pub fn advance(&self, by: Duration) {
        if let Ok(mut t) = self.0.lock() {
            *t += by;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.lock().map(|t| *t).unwrap_or_else(|_| Utc::now())
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
}

pub type SharedClock = Arc<dyn Clock>;

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
