//! Tickets as the log has made them.

use serde::{Deserialize, Serialize};

use crate::config::site::Targets;
use crate::domain::{
    phone_digits, Department, Kind, Move, Priority, TargetOutcome, TicketId, TicketState,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub at_us: i64,
    pub operator: String,
    pub text: String,
}

/// A further call about a ticket already open (a resident calling again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    pub at_us: i64,
    pub operator: String,
    pub caller: Option<String>,
    pub phone: Option<String>,
    pub note: Option<String>,
}

/// Which promise a ticket is now measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Promise {
    /// From the call to its dispatch (or answer).
    FirstContact,
    /// From the call to done.
    Resolution,
    /// From done to the return call.
    Callback,
}

impl Promise {
    /// What is promised, as a table cell says it.
    pub fn label(self) -> crate::domain::Bilingual {
        use crate::domain::Bilingual;
        match self {
            Promise::FirstContact => Bilingual::new("dispatch", "派工"),
            Promise::Resolution => Bilingual::new("done", "完工"),
            Promise::Callback => Bilingual::new("callback", "回访"),
        }
    }
}

/// When the ticket's current promise falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub promise: Promise,
    pub at_us: i64,
}

impl Due {
    /// Seconds left until due at `now_us`; negative once overdue.
    pub fn left_seconds(&self, now_us: i64) -> i64 {
        (self.at_us - now_us).div_euclid(1_000_000)
    }

    pub fn is_overdue(&self, now_us: i64) -> bool {
        self.at_us < now_us
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: TicketId,
    pub kind: Kind,
    pub priority: Priority,
    pub unit: String,
    pub caller: Option<String>,
    /// The caller declined to give a name (not merely a name not taken).
    pub anonymous: bool,
    pub phone: Option<String>,
    pub summary: String,
    pub department: Option<Department>,
    pub state: TicketState,
    pub opened_at_us: i64,
    pub updated_at_us: i64,
    pub opened_by: String,
    pub opened_in_shift: u64,
    pub reopen_count: u32,
    pub notes: Vec<Note>,
    pub related: Option<TicketId>,
    /// When it was first dispatched, and whether that met the dispatch target.
    pub first_dispatched_at_us: Option<i64>,
    pub dispatch_target: Option<TargetOutcome>,
    /// When it last became `done` (the callback clock starts here).
    pub done_at_us: Option<i64>,
    pub closed_at_us: Option<i64>,
    /// The result of the last callback since the ticket was last done.
    pub callback: Option<bool>,
    pub callbacks_satisfied: u32,
    pub callbacks_unsatisfied: u32,
    /// The sequence numbers of every record about this ticket: its timeline.
    pub seqs: Vec<u64>,
    /// The emergency run this ticket follows while the run is active: the run's
    /// deadlines apply, not the ticket's own targets.
    pub run: Option<String>,
    /// Further calls about it (the first call is the ticket itself).
    pub calls: Vec<Call>,
    /// When an unsatisfied callback last sent it back to new.
    pub reopened_at_us: Option<i64>,
}

impl Ticket {
    pub fn is_open(&self) -> bool {
        self.state.is_open()
    }

    /// Whether the ticket is waiting for the resident to be called back.
    pub fn awaits_callback(&self) -> bool {
        self.state == TicketState::Done && self.callback.is_none()
    }

    /// The commands that are legal now, for messages and for the screen.
    pub fn next_moves(&self) -> Vec<Move> {
        let mut moves = match self.state {
            // Answered on the phone: no department needed.
            TicketState::New if matches!(self.kind, Kind::Inquiry | Kind::Help) => {
                vec![Move::Answer, Move::Dispatch]
            }
            TicketState::New => vec![Move::Dispatch],
            TicketState::Dispatched => vec![Move::Start, Move::Dispatch],
            TicketState::InProgress => vec![Move::Done],
            TicketState::Done => {
                if self.callback == Some(true) || !self.kind.needs_satisfied_callback() {
                    vec![Move::Callback, Move::Close]
                } else {
                    vec![Move::Callback]
                }
            }
            TicketState::Closed | TicketState::Cancelled => vec![],
        };
        if self.is_open() {
            moves.push(Move::Cancel);
        }
        moves.push(Move::Note);
        moves
    }

    /// The promise the ticket is measured against now, by the site's targets:
    /// first contact while new, resolution until done, then the return call (for
    /// kinds that need one). None: closed, following an active emergency run, or
    /// a kind the site sets no such target for.
    pub fn due(&self, targets: &Targets) -> Option<Due> {
        let minutes = |m: Option<&u32>| m.map(|m| i64::from(*m) * 60_000_000);
        if !self.is_open() || (self.run.is_some() && self.state != TicketState::Done) {
            return None;
        }
        let (promise, from, span) = match self.state {
            TicketState::New if self.first_dispatched_at_us.is_none() => (
                Promise::FirstContact,
                self.opened_at_us,
                minutes(targets.dispatch_minutes.get(&self.kind)),
            ),
            // A reopened ticket's clock starts again at the reopen.
            TicketState::New => (
                Promise::FirstContact,
                self.reopened_at_us.unwrap_or(self.opened_at_us),
                minutes(targets.dispatch_minutes.get(&self.kind)),
            ),
            TicketState::Dispatched | TicketState::InProgress => (
                Promise::Resolution,
                self.reopened_at_us.unwrap_or(self.opened_at_us),
                minutes(targets.resolution_minutes.get(&self.kind)),
            ),
            TicketState::Done if self.awaits_callback() && self.kind.needs_satisfied_callback() => {
                (
                    Promise::Callback,
                    self.done_at_us.unwrap_or(self.updated_at_us),
                    Some(i64::from(targets.callback_minutes) * 60_000_000),
                )
            }
            _ => return None,
        };
        span.map(|span| Due {
            promise,
            at_us: from + span,
        })
    }

    /// Whether this ticket was called about from `phone` (compared by digits).
    pub fn called_from(&self, phone: &str) -> bool {
        let want = phone_digits(phone);
        !want.is_empty()
            && std::iter::once(self.phone.as_deref())
                .chain(self.calls.iter().map(|c| c.phone.as_deref()))
                .flatten()
                .any(|p| phone_digits(p) == want)
    }

    /// The times of every call about it: the first, then each further one.
    pub fn call_times(&self) -> impl Iterator<Item = i64> + '_ {
        std::iter::once(self.opened_at_us).chain(self.calls.iter().map(|c| c.at_us))
    }

    /// Matches the queue filter: unit, id, caller, phone or summary, any case.
    pub fn matches(&self, needle: &str) -> bool {
        let n = needle.trim().to_lowercase();
        if n.is_empty() {
            return true;
        }
        self.unit.to_lowercase().contains(&n)
            || self.id.0.to_lowercase().contains(&n)
            || self.summary.to_lowercase().contains(&n)
            || self
                .caller
                .as_deref()
                .is_some_and(|c| c.to_lowercase().contains(&n))
            || self.phone.as_deref().is_some_and(|p| p.contains(&n))
            || self.phone_matches(&n)
    }

    /// A number typed with other separators than stored still finds it:
    /// `057188235617` and `0571 8823` both match `0571-88235617`.
    fn phone_matches(&self, needle: &str) -> bool {
        let digits = phone_digits(needle);
        // Only a needle that is a number (3 digits or more, nothing else but separators).
        let numeric = needle
            .chars()
            .all(|c| c.is_ascii_digit() || " -()+.".contains(c));
        numeric
            && digits.len() >= 3
            && std::iter::once(self.phone.as_deref())
                .chain(self.calls.iter().map(|c| c.phone.as_deref()))
                .flatten()
                .any(|p| phone_digits(p).contains(&digits))
    }
}
