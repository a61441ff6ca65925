//! The check that a checkpoint cannot change what anyone sees.
//!
//! A desk opened from a checkpoint serves at once, then re-folds the whole log
//! from its first record in the background (reading it in pages, the desk's
//! lock held only per page) and compares that fold with the state it serves,
//! at the same record. A difference is an alarm: the desk switches to the log's
//! own fold, rebuilds the checkpoint, and keeps the alarm for the dashboard's
//! banner, the server log and `doctor`. A forged or buggy checkpoint can then
//! mislead for the seconds a re-fold takes, never for longer.

use std::sync::Mutex;

use super::Desk;
use crate::error::DeskError;
use crate::state::diff::differences;
use crate::state::{checkpoint, State};
use crate::store::{Hash, GENESIS};

/// Records read per hold of the desk's lock.
const PAGE: usize = 4096;

/// What the re-fold found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The desk did not start from a checkpoint: nothing to compare.
    NotNeeded,
    /// The log's own fold is what the desk served, up to this record.
    Matches(u64),
    /// They differed: the alarm raised (the desk now serves the log's fold).
    Alarm(String),
}

/// Re-folds the log of the desk behind `desk` and settles any difference.
pub fn run(desk: &Mutex<Desk>) -> Result<Outcome, DeskError> {
    let lock = || {
        desk.lock()
            .map_err(|_| DeskError::Internal("the desk lock was poisoned by a crash".into()))
    };
    if !lock()?.from_checkpoint {
        return Ok(Outcome::NotNeeded);
    }
    let mut fold = State::new();
    let mut prev: Hash = GENESIS;
    loop {
        let mut d = lock()?;
        if fold.seq >= d.head().seq {
            // Caught up, and still under the lock: nothing can be appended between
            // the last record folded and the comparison.
            return Ok(d.settle_refold(fold));
        }
        let page = d.records(fold.seq + 1, PAGE)?;
        drop(d);
        if page.is_empty() {
            return Err(DeskError::Damaged(format!(
                "the log ends at record {} although the desk holds more; run `dutydesk doctor`",
                fold.seq
            )));
        }
        for r in &page {
            if r.prev_hash != prev {
                return Err(DeskError::Damaged(format!(
                    "record {} does not link to the record before it; run `dutydesk doctor`",
                    r.body.seq
                )));
            }
            prev = r.hash;
            fold.apply(r);
        }
    }
}

impl Desk {
    /// Compares the log's own fold with the state served, at the same record.
    fn settle_refold(&mut self, mut fold: State) -> Outcome {
        self.from_checkpoint = false;
        fold.seq = self.store.head().seq;
        let what = differences(&fold, &self.state, 5);
        if what.is_empty() {
            return Outcome::Matches(fold.seq);
        }
        let rebuilt = checkpoint::save(&self.dir.checkpoint(), &fold, &self.store.head().hash);
        let alarm = format!(
            "the checkpoint did not match the log: {} differed from the log's own fold of {} records. \
             The desk now shows what the log says{}; the log itself verified",
            what.join(", "),
            fold.seq,
            if rebuilt {
                " and the checkpoint was rebuilt"
            } else {
                " (the checkpoint could not be rewritten)"
            }
        );
        self.state = fold;
        self.alarm = Some(alarm.clone());
        Outcome::Alarm(alarm)
    }
}
