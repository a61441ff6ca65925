//! Shifts and the signed handover (交接班).

use crate::domain::{Command, Event};
use crate::error::DeskError;
use crate::rules::{optional_text, required_text, Context, Decision};
use crate::state::State;

pub fn decide(state: &State, cmd: &Command, ctx: &Context) -> Result<Decision, DeskError> {
    let me = &ctx.actor.operator;
    match cmd {
        Command::ShiftStart => {
            if let Some(cur) = state.shifts.current() {
                return Err(DeskError::Refused(format!(
                    "shift {} of {} is still open; hand it over with `shift handover --to NAME` instead",
                    cur.id, cur.operator
                )));
            }
            Ok(Decision::of(vec![Event::ShiftStarted {
                shift: state.shifts.next_id(),
                operator: me.clone(),
            }]))
        }
        Command::ShiftHandover { to, note, reason } => {
            let to = required_text("to", to)?;
            let Some(cur) = state.shifts.current() else {
                return Err(DeskError::Refused(
                    "no shift is open: start one with `shift start`".into(),
                ));
            };
            if cur.from_shift.is_some() && !cur.accepted {
                return Err(DeskError::Refused(format!(
                    "shift {} has not been signed by {} yet: it must be accepted (`shift accept`) before it is handed on",
                    cur.id, cur.operator
                )));
            }
            if to == cur.operator {
                return Err(DeskError::invalid(
                    "to",
                    "a shift cannot be handed over to the same operator",
                ));
            }
            let reason = optional_text("reason", reason)?;
            let concerns = handover_concerns(state, cur.id);
            if !concerns.is_empty() && reason.is_none() {
                return Err(DeskError::Refused(format!(
                    "{}. Hand over anyway with a reason (--reason TEXT)",
                    concerns.join("; ")
                )));
            }
            Ok(Decision {
                events: vec![Event::HandoverOffered {
                    from_shift: cur.id,
                    to_shift: state.shifts.next_id(),
                    to,
                    note: optional_text("note", note)?,
                    override_reason: if concerns.is_empty() { None } else { reason },
                }],
                warnings: concerns,
            })
        }
        Command::ShiftAccept | Command::ShiftRefuse { .. } => {
            let Some(cur) = state.shifts.awaiting_signature() else {
                return Err(DeskError::Refused(
                    "no handover is waiting for a signature".into(),
                ));
            };
            if &cur.operator != me {
                return Err(DeskError::Refused(format!(
                    "the handover is addressed to {}; only they can sign or refuse it (you are {me})",
                    cur.operator
                )));
            }
            let ev = match cmd {
                Command::ShiftRefuse { reason } => Event::HandoverRefused {
                    shift: cur.id,
                    by: me.clone(),
                    reason: required_text("reason", reason)?,
                },
                _ => Event::HandoverAccepted {
                    shift: cur.id,
                    by: me.clone(),
                },
            };
            Ok(Decision::of(vec![ev]))
        }
        Command::ExportRecorded { shift, paths } => {
            if state.shifts.get(*shift).is_none() {
                return Err(DeskError::NotFound(format!("no shift {shift}")));
            }
            Ok(Decision::of(vec![Event::ExportWritten {
                shift: *shift,
                paths: paths.clone(),
            }]))
        }
        _ => Err(DeskError::Internal(format!(
            "{} is not a shift command",
            cmd.name()
        ))),
    }
}

/// What should stop a handover unless a reason is given: emergencies of the shift
/// that are still active, or closed without their incident report.
pub fn handover_concerns(state: &State, shift: u64) -> Vec<String> {
    let mut out = Vec::new();
    for r in state.runs.values().filter(|r| r.shift == shift) {
        if r.is_active() {
            out.push(format!(
                "emergency {} ({}) is still active",
                r.id, r.name_en
            ));
        } else if r.report.is_none() {
            out.push(format!(
                "emergency {} ({}) was closed without its incident report (`emergency report {}`)",
                r.id, r.name_en, r.id
            ));
        }
    }
    out
}
