//! Shifts and handovers as the log has made them.

use serde::{Deserialize, Serialize};

/// How many handed-over shifts without files [`Shifts::exports_pending`] looks back at.
const PENDING_AT_MOST: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub at_us: i64,
    pub by: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    pub id: u64,
    pub operator: String,
    pub started_at_us: i64,
    /// The shift this one was handed over from, if it began with a handover.
    pub from_shift: Option<u64>,
    pub from_operator: Option<String>,
    pub handover_note: Option<String>,
    pub handover_override: Option<String>,
    /// A shift that began by handover is accepted once the incoming operator signs.
    pub accepted: bool,
    pub accepted_at_us: Option<i64>,
    pub refusals: Vec<Refusal>,
    pub ended_at_us: Option<i64>,
    pub first_seq: u64,
    pub last_seq: u64,
    /// The export files of its latest handover (a withdrawn handover's are dropped
    /// when it is handed over again).
    pub exports: Vec<String>,
    /// A handover taken back before it was signed: this shift never began.
    pub withdrawn: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shifts {
    pub all: Vec<Shift>,
}

impl Shifts {
    /// The open shift: the last one, unless it has ended.
    pub fn current(&self) -> Option<&Shift> {
        // Normally the last one; after a withdrawn handover, the shift it came from.
        self.all.iter().rev().find(|s| s.ended_at_us.is_none())
    }

    pub fn get(&self, id: u64) -> Option<&Shift> {
        // Shift ids are consecutive from 1, so the id is the index plus one.
        let idx = usize::try_from(id.checked_sub(1)?).ok()?;
        self.all.get(idx).filter(|s| s.id == id)
    }

    pub(crate) fn get_mut(&mut self, id: u64) -> Option<&mut Shift> {
        let idx = usize::try_from(id.checked_sub(1)?).ok()?;
        self.all.get_mut(idx).filter(|s| s.id == id)
    }

    /// The most recent shift that has been handed over (`export --shift last`).
    pub fn last_ended(&self) -> Option<&Shift> {
        self.all.iter().rev().find(|s| s.ended_at_us.is_some())
    }

    /// The shift that `id` was handed over to, if it was.
    pub fn successor(&self, id: u64) -> Option<&Shift> {
        self.get(id.checked_add(1)?)
            .filter(|s| s.from_shift == Some(id))
    }

    /// The shifts handed over whose export files are not recorded yet, oldest
    /// first: the newest few before the last shift whose files are. History loaded
    /// in bulk without files is not rewritten shift by shift at the next open.
    pub fn exports_pending(&self) -> Vec<u64> {
        let mut out: Vec<u64> = self
            .all
            .iter()
            .rev()
            .filter(|s| s.ended_at_us.is_some() && !s.withdrawn)
            .take_while(|s| s.exports.is_empty())
            .take(PENDING_AT_MOST)
            .map(|s| s.id)
            .collect();
        out.reverse();
        out
    }

    pub fn next_id(&self) -> u64 {
        self.all.last().map(|s| s.id + 1).unwrap_or(1)
    }

    /// A handover that is waiting for the incoming operator's signature.
    pub fn awaiting_signature(&self) -> Option<&Shift> {
        self.current()
            .filter(|s| s.from_shift.is_some() && !s.accepted)
    }

    /// Who answers for the desk now: the incoming operator once they signed,
    /// until then the outgoing one.
    pub fn responsible(&self) -> Option<&str> {
        let cur = self.current()?;
        if cur.accepted || cur.from_operator.is_none() {
            Some(&cur.operator)
        } else {
            cur.from_operator.as_deref()
        }
    }
}
