//! Who may do what, when the site maps its operators to roles (`operators.toml`).

use crate::domain::{Actor, Command, Department, Forbidden, Role, StepAction};
use crate::error::DeskError;
use crate::state::State;

/// duty-manager: everything. dispatcher: everything but overriding a critical
/// step. security: log calls, notes, emergencies and their steps, dispatch to
/// security; not close, cancel or call back tickets, nor close an emergency.
pub fn check(actor: &Actor, cmd: &Command, _state: &State) -> Result<(), DeskError> {
    let Some(role) = actor.role else {
        return Ok(());
    };
    // Overriding a critical checklist step is the duty manager's alone.
    if is_override(cmd) && role != Role::DutyManager {
        return Err(DeskError::Forbidden(Forbidden::RoleMayNotOverride {
            operator: actor.operator.clone(),
            unix_user: actor.unix_user.clone(),
            role,
        }));
    }
    let allowed = match role {
        Role::DutyManager | Role::Dispatcher => true,
        Role::Security => match cmd {
            Command::Call { .. }
            | Command::AddCall { .. }
            | Command::Note { .. }
            | Command::Start { .. }
            | Command::Done { .. }
            | Command::EmergencyStart { .. }
            | Command::EmergencyStep { .. }
            | Command::EmergencyNote { .. }
            | Command::EmergencyReport { .. }
            | Command::ShiftStart
            | Command::ShiftHandover { .. }
            | Command::ShiftAccept
            | Command::ShiftRefuse { .. }
            | Command::ShiftSign { .. }
            | Command::ShiftWithdraw { .. } => true,
            Command::Dispatch { to, .. } => *to == Department::Security,
            _ => false,
        },
    };
    if allowed {
        Ok(())
    } else {
        Err(DeskError::Forbidden(Forbidden::RoleMayNot {
            operator: actor.operator.clone(),
            unix_user: actor.unix_user.clone(),
            role,
            command: cmd.name().to_string(),
            dispatch: matches!(cmd, Command::Dispatch { .. }),
        }))
    }
}

fn is_override(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::EmergencyStep {
            action: StepAction::Skip {
                over_ride: true,
                ..
            },
            ..
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_role(role: Role) -> Actor {
        Actor {
            operator: "X".into(),
            unix_user: "x".into(),
            role: Some(role),
        }
    }

    fn skip(over_ride: bool) -> Command {
        Command::EmergencyStep {
            run: "EM1".into(),
            step: 1,
            action: StepAction::Skip {
                reason: "no access".into(),
                over_ride,
            },
            note: None,
        }
    }

    #[test]
    fn only_the_duty_manager_overrides_a_critical_step() {
        let s = State::new();
        assert!(check(&as_role(Role::DutyManager), &skip(true), &s).is_ok());
        for role in [Role::Dispatcher, Role::Security] {
            let err = check(&as_role(role), &skip(true), &s).unwrap_err();
            assert!(err.to_string().contains(role.as_str()), "{err}");
            assert!(check(&as_role(role), &skip(false), &s).is_ok());
        }
    }

    #[test]
    fn security_may_not_close_cancel_or_call_back_and_the_refusal_names_the_role() {
        let s = State::new();
        let sec = as_role(Role::Security);
        for cmd in [
            Command::Close {
                id: "R001".into(),
                note: None,
            },
            Command::Cancel {
                id: "R001".into(),
                reason: "dup".into(),
            },
            Command::Callback {
                id: "R001".into(),
                satisfied: true,
                note: None,
            },
            Command::EmergencyClose { run: "EM1".into() },
        ] {
            let err = check(&sec, &cmd, &s).unwrap_err();
            assert!(matches!(err, DeskError::Forbidden(_)));
            assert!(err.to_string().contains("security role"), "{err}");
        }
        let to_security = Command::Dispatch {
            id: "R001".into(),
            to: Department::Security,
            note: None,
        };
        assert!(check(&sec, &to_security, &s).is_ok());
        let to_eng = Command::Dispatch {
            id: "R001".into(),
            to: Department::Engineering,
            note: None,
        };
        assert!(check(&sec, &to_eng, &s).is_err());
        assert!(check(&as_role(Role::Dispatcher), &to_eng, &s).is_ok());
    }
}
