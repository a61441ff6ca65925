//! Commands: what an operator asks the desk to do. A command is checked against
//! the current state (see `rules`) and, if valid, becomes events.

use serde::{Deserialize, Serialize};

use crate::domain::ticket::{Department, Kind};

/// What to do with one step of an emergency run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepAction {
    Done {
        value: Option<String>,
    },
    Skip {
        reason: String,
        /// A critical step may be skipped only with an explicit override.
        over_ride: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    Call {
        unit: String,
        kind: Kind,
        priority: Option<u8>,
        caller: Option<String>,
        phone: Option<String>,
        summary: String,
        anonymous: bool,
    },
    Dispatch {
        id: String,
        to: Department,
        note: Option<String>,
    },
    Start {
        id: String,
    },
    Done {
        id: String,
        note: Option<String>,
    },
    Callback {
        id: String,
        satisfied: bool,
        note: Option<String>,
    },
    Close {
        id: String,
        note: Option<String>,
    },
    Cancel {
        id: String,
        reason: String,
    },
    Note {
        id: String,
        text: String,
    },
    ShiftStart,
    ShiftHandover {
        to: String,
        note: Option<String>,
        /// Needed when the shift still has an active emergency or one without its report.
        reason: Option<String>,
    },
    ShiftAccept,
    ShiftRefuse {
        reason: String,
    },
    EmergencyStart {
        plan: String,
        location: Option<String>,
        ticket: Option<String>,
    },
    EmergencyStep {
        run: String,
        step: u32,
        action: StepAction,
        note: Option<String>,
    },
    EmergencyNote {
        run: String,
        text: String,
    },
    EmergencyClose {
        run: String,
    },
    /// Records that the incident report of a run was written (and where). Only the
    /// desk records its evidence: from a client this is refused (see `EmergencyReport`).
    EmergencyReported {
        run: String,
        path: String,
    },
    /// Records that a shift's export files were written. Refused from a client:
    /// the desk writes and records a handover's files itself.
    ExportRecorded {
        shift: u64,
        paths: Vec<String>,
    },
    /// The incoming operator signs the handover at someone else's console (a
    /// single shared console) by typing their name: the record's operator stays
    /// the console's user, `HandoverAccepted.by` is the name typed.
    ShiftSign {
        signed_by: String,
    },
    /// Takes back a handover that has not been signed (a wrong name, a refusal).
    ShiftWithdraw {
        reason: String,
    },
    /// Asks the desk to write the incident report of a run into `DATA/reports`
    /// and record it; the record names the file.
    EmergencyReport {
        run: String,
    },
    /// An inquiry or a request for help answered on the phone: recorded as done
    /// with the answer as its note, and closed (they need no callback).
    Answer {
        id: String,
        note: String,
    },
    /// A repeat call about an open ticket, recorded on it instead of a new one.
    AddCall {
        id: String,
        caller: Option<String>,
        phone: Option<String>,
        note: Option<String>,
    },
}

impl Command {
    /// A short English name, used in messages and role checks.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Call { .. } => "call",
            Command::Dispatch { .. } => "dispatch",
            Command::Start { .. } => "start",
            Command::Done { .. } => "done",
            Command::Callback { .. } => "callback",
            Command::Close { .. } => "close",
            Command::Cancel { .. } => "cancel",
            Command::Note { .. } => "note",
            Command::ShiftStart => "shift start",
            Command::ShiftHandover { .. } => "shift handover",
            Command::ShiftAccept => "shift accept",
            Command::ShiftRefuse { .. } => "shift refuse",
            Command::EmergencyStart { .. } => "emergency start",
            Command::EmergencyStep { .. } => "emergency step",
            Command::EmergencyNote { .. } => "emergency note",
            Command::EmergencyClose { .. } => "emergency close",
            Command::EmergencyReported { .. } => "emergency report",
            Command::ExportRecorded { .. } => "export",
            Command::ShiftSign { .. } => "shift sign",
            Command::ShiftWithdraw { .. } => "shift withdraw",
            Command::EmergencyReport { .. } => "emergency report",
            Command::Answer { .. } => "answer",
            Command::AddCall { .. } => "add-call",
        }
    }
}
