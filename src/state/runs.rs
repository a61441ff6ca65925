//! Emergency runs as the log has made them.

use serde::{Deserialize, Serialize};

use crate::domain::{StepSnapshot, TicketId};
use crate::state::tickets::Note;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    Pending,
    Done,
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepProgress {
    pub state: StepState,
    pub at_us: Option<i64>,
    pub operator: Option<String>,
    pub value: Option<String>,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub overridden: bool,
}

impl StepProgress {
    pub fn pending() -> StepProgress {
        StepProgress {
            state: StepState::Pending,
            at_us: None,
            operator: None,
            value: None,
            note: None,
            reason: None,
            overridden: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    pub id: String,
    pub plan: String,
    pub name_en: String,
    pub name_zh: String,
    pub location: Option<String>,
    pub ticket: TicketId,
    pub steps: Vec<StepSnapshot>,
    pub progress: Vec<StepProgress>,
    pub notes: Vec<Note>,
    pub started_at_us: i64,
    pub started_by: String,
    pub shift: u64,
    pub closed_at_us: Option<i64>,
    pub report: Option<String>,
    pub seqs: Vec<u64>,
}

impl Run {
    pub fn is_active(&self) -> bool {
        self.closed_at_us.is_none()
    }

    /// The first step still pending, counting from 1.
    pub fn current_step(&self) -> Option<u32> {
        self.progress
            .iter()
            .position(|p| p.state == StepState::Pending)
            .map(|i| i as u32 + 1)
    }

    /// Critical steps still pending, counting from 1.
    pub fn pending_critical(&self) -> Vec<u32> {
        self.steps
            .iter()
            .zip(&self.progress)
            .enumerate()
            .filter(|(_, (s, p))| s.critical && p.state == StepState::Pending)
            .map(|(i, _)| i as u32 + 1)
            .collect()
    }
}
