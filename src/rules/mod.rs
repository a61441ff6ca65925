//! The rules: whether a command is legal in the current state, and which events
//! it becomes. Pure functions of (state, command, context); nothing is written here.

pub mod clock;
pub mod emergency;
pub mod roles;
pub mod shifts;
pub mod tickets;

use chrono::{DateTime, Utc};

use crate::config::site::Site;
use crate::domain::{Actor, Command, Event, Reason, Warning};
use crate::emergency::Plans;
use crate::error::DeskError;
use crate::state::State;

/// What the rules may consult besides the state.
pub struct Context<'a> {
    /// The time the command's records will carry: the log's time, never earlier
    /// than the previous record's (see [`clock::log_time`]). Rules measure from it.
    pub now: DateTime<Utc>,
    /// What the clock read, for [`clock::jumped`].
    pub reading: crate::clock::Reading,
    pub actor: &'a Actor,
    pub site: &'a Site,
    pub plans: &'a Plans,
}

/// The events a command becomes, and warnings for the operator (accepted anyway).
#[derive(Debug, Default)]
pub struct Decision {
    pub events: Vec<Event>,
    pub warnings: Vec<Warning>,
}

impl Decision {
    pub fn of(events: Vec<Event>) -> Decision {
        Decision {
            events,
            warnings: Vec::new(),
        }
    }
}

/// Checks a command against the state and turns it into events.
pub fn decide(state: &State, cmd: &Command, ctx: &Context) -> Result<Decision, DeskError> {
    roles::check(ctx.actor, cmd, state)?;
    let mut decision = decide_area(state, cmd, ctx)?;
    if let Some(jump) = clock::jumped(state, &ctx.reading, ctx.site) {
        decision.events.insert(0, jump);
    }
    decision
        .warnings
        .extend(shifts::awaiting_signature_warning(state, cmd));
    Ok(decision)
}

fn decide_area(state: &State, cmd: &Command, ctx: &Context) -> Result<Decision, DeskError> {
    match cmd {
        Command::Call { .. }
        | Command::Dispatch { .. }
        | Command::Start { .. }
        | Command::Done { .. }
        | Command::Callback { .. }
        | Command::Close { .. }
        | Command::Cancel { .. }
        | Command::Note { .. }
        | Command::AddCall { .. } => tickets::decide(state, cmd, ctx),
        Command::ShiftStart
        | Command::ShiftHandover { .. }
        | Command::ShiftAccept
        | Command::ShiftRefuse { .. }
        | Command::ShiftSign { .. }
        | Command::ShiftWithdraw { .. } => shifts::decide(state, cmd, ctx),
        Command::EmergencyStart { .. }
        | Command::EmergencyStep { .. }
        | Command::EmergencyNote { .. }
        | Command::EmergencyClose { .. }
        | Command::EmergencyReport { .. } => emergency::decide(state, cmd, ctx),
        Command::ExportRecorded { .. } | Command::EmergencyReported { .. } => {
            Err(evidence_is_the_desks())
        }
    }
}

/// Evidence (it clears the handover's "no incident report" concern) is only what
/// the desk wrote itself: nobody may claim a file by naming it.
fn evidence_is_the_desks() -> DeskError {
    DeskError::Refused(crate::domain::Refusal::EvidenceIsTheDesks)
}

/// Trims free text and refuses it empty.
pub(crate) fn required_text(field: &str, text: &str) -> Result<String, DeskError> {
    // Control characters (escape sequences, stray newlines) would reach every
    // operator's terminal and break tables; they become spaces.
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let t = cleaned.trim();
    if t.is_empty() {
        Err(DeskError::invalid(field, Reason::Empty))
    } else if t.chars().count() > 2000 {
        Err(DeskError::invalid(field, Reason::TooLong { max: 2000 }))
    } else {
        Ok(t.to_string())
    }
}

/// Trims optional text; empty becomes none.
pub(crate) fn optional_text(
    field: &str,
    text: &Option<String>,
) -> Result<Option<String>, DeskError> {
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => required_text(field, t).map(Some),
    }
}
