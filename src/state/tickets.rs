//! Tickets as the log has made them.

use serde::{Deserialize, Serialize};

use crate::domain::{Department, Kind, Move, Priority, TargetOutcome, TicketId, TicketState};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub at_us: i64,
    pub operator: String,
    pub text: String,
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
    }
}
