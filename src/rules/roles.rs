//! Who may do what, when the site maps its operators to roles (`operators.toml`).

use crate::domain::{Actor, Command, Department, Role};
use crate::error::DeskError;
use crate::state::State;

/// duty-manager: everything. dispatcher: everything but overriding a critical
/// step. security: log calls, notes, emergencies and their steps, dispatch to
/// security; not close, cancel or call back tickets, nor close an emergency.
pub fn check(actor: &Actor, cmd: &Command, _state: &State) -> Result<(), DeskError> {
    let Some(role) = actor.role else {
        return Ok(());
    };
    let allowed = match role {
        Role::DutyManager | Role::Dispatcher => true,
        Role::Security => match cmd {
            Command::Call { .. }
            | Command::Note { .. }
            | Command::Start { .. }
            | Command::Done { .. }
            | Command::EmergencyStart { .. }
            | Command::EmergencyStep { .. }
            | Command::EmergencyNote { .. }
            | Command::EmergencyReported { .. }
            | Command::ShiftStart
            | Command::ShiftHandover { .. }
            | Command::ShiftAccept
            | Command::ShiftRefuse { .. }
            | Command::ExportRecorded { .. } => true,
            Command::Dispatch { to, .. } => *to == Department::Security,
            _ => false,
        },
    };
    if allowed {
        Ok(())
    } else {
        Err(DeskError::Forbidden(format!(
            "{} ({}) has the {role} role, which may not {}{}",
            actor.operator,
            actor.unix_user,
            cmd.name(),
            if matches!(cmd, Command::Dispatch { .. }) {
                " to that department (security may dispatch only to security)"
            } else {
                ""
            }
        )))
    }
}
