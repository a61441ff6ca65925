//! What the log says about the system clock: the last jump recorded, and whether
//! the log is holding its time because the clock is behind it.

use serde::{Deserialize, Serialize};

/// A recorded `ClockJumped`: the log time of its record and both readings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jump {
    pub seq: u64,
    pub at_us: i64,
    pub from_us: i64,
    pub to_us: i64,
}

impl Jump {
    pub fn is_back(&self) -> bool {
        self.to_us < self.from_us
    }

    /// How far the clock moved, in seconds (never negative).
    /// How far the clock moved, to the nearest second (a jump is read from two
    /// clock readings a few milliseconds apart, and an hour is an hour).
    pub fn seconds(&self) -> i64 {
        ((self.to_us - self.from_us).abs() + 500_000) / 1_000_000
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockTrack {
    pub jumps: u64,
    pub last_jump: Option<Jump>,
    /// Since the last jump back the clock has been behind the log, so records
    /// keep the time the log had reached; over once a record's time moves on.
    pub held: bool,
}

impl ClockTrack {
    /// Every record passes here: a record later than the held time means the
    /// clock has caught up with the log.
    pub(crate) fn follow(&mut self, at_us: i64) {
        if self.held && self.last_jump.is_some_and(|j| at_us > j.at_us) {
            self.held = false;
        }
    }

    pub(crate) fn jumped(&mut self, jump: Jump) {
        self.jumps += 1;
        self.held = jump.is_back() && jump.to_us < jump.at_us;
        self.last_jump = Some(jump);
    }
}
