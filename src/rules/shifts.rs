//! Shifts and the signed handover (交接班).

use crate::domain::identity::operator_name;
use crate::domain::text::{both, pick};
use crate::domain::Lang;
use crate::domain::{Command, Event, Role};
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
            let to = operator_name(to).map_err(|why| DeskError::invalid("to", why))?;
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
            // The handover is the outgoing operator's signature on what they leave
            // behind: only they, or the duty manager on their behalf, may give it.
            if &cur.operator != me && ctx.actor.role != Some(Role::DutyManager) {
                return Err(DeskError::Refused(format!(
                    "shift {} is {}'s; only they (or the duty manager) can hand it over (you are {me})",
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
                let list = |lang| {
                    concerns
                        .iter()
                        .map(|c| pick(c, lang))
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                return Err(DeskError::Refused(both(
                    format!(
                        "{}. Hand over anyway with a reason (--reason TEXT)",
                        list(Lang::En)
                    ),
                    format!("{}。如仍要交班，请说明原因", list(Lang::Zh)),
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
        Command::ShiftSign { signed_by } => {
            let Some(cur) = state.shifts.awaiting_signature() else {
                return Err(DeskError::Refused(
                    "no handover is waiting for a signature".into(),
                ));
            };
            let name = required_text("signed_by", signed_by)?;
            // Typing a name is for a single shared console (the issue allows it):
            // the session is still the outgoing operator's. Where the site maps Unix
            // accounts to people (operators.toml), identity comes from the kernel,
            // so only the addressee's own account may sign.
            if ctx.actor.role.is_some() && *me != cur.operator {
                return Err(DeskError::Forbidden(format!(
                    "operators.toml is in force: {} must sign from their own account (`shift accept`)",
                    cur.operator
                )));
            }
            if name != cur.operator {
                return Err(DeskError::Refused(format!(
                    "the handover is addressed to {}; type that name exactly to sign it (you typed {name})",
                    cur.operator
                )));
            }
            Ok(Decision::of(vec![Event::HandoverAccepted {
                shift: cur.id,
                by: name,
            }]))
        }
        Command::ShiftWithdraw { reason } => {
            let Some(cur) = state.shifts.awaiting_signature() else {
                return Err(DeskError::Refused(
                    "no handover is waiting for a signature; there is nothing to withdraw".into(),
                ));
            };
            let outgoing = cur.from_operator.as_deref() == Some(me.as_str());
            let manager = ctx.actor.role == Some(crate::domain::Role::DutyManager);
            if !outgoing && !manager {
                return Err(DeskError::Refused(format!(
                    "only {} (who handed over) or the duty manager may withdraw this handover",
                    cur.from_operator
                        .as_deref()
                        .unwrap_or("the outgoing operator")
                )));
            }
            Ok(Decision::of(vec![Event::HandoverWithdrawn {
                shift: cur.id,
                by: me.clone(),
                reason: required_text("reason", reason)?,
            }]))
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

/// What should stop a handover unless a reason is given: any emergency still
/// active (it goes on into the next shift), and emergencies started or closed in
/// this shift that were closed without their incident report.
pub fn handover_concerns(state: &State, shift: u64) -> Vec<String> {
    let started_at = state.shifts.get(shift).map(|s| s.started_at_us);
    let mut out = Vec::new();
    for r in state.runs.values() {
        if r.is_active() {
            let whose = if r.shift == shift {
                String::new()
            } else {
                format!(", started in shift {}", r.shift)
            };
            let whose_zh = if r.shift == shift {
                String::new()
            } else {
                format!("，始于第 {} 班", r.shift)
            };
            out.push(both(
                format!("emergency {} ({}{whose}) is still active", r.id, r.name_en),
                format!("应急事件 {}（{}{whose_zh}）仍在进行", r.id, r.name_zh),
            ));
            continue;
        }
        let closed_in_shift = matches!((r.closed_at_us, started_at), (Some(c), Some(s)) if c >= s);
        if r.report.is_none() && (r.shift == shift || closed_in_shift) {
            out.push(both(
                format!(
                    "emergency {} ({}) was closed without its incident report (`emergency report {}`)",
                    r.id, r.name_en, r.id
                ),
                format!("应急事件 {}（{}）已结束，但还没有写重大事件报告", r.id, r.name_zh),
            ));
        }
    }
    out
}

/// The line every command's output carries while a handover waits for its
/// signature, so nobody forgets it is pending (accept and refuse say it themselves).
pub fn awaiting_signature_warning(state: &State, cmd: &Command) -> Option<String> {
    if matches!(
        cmd,
        Command::ShiftAccept | Command::ShiftRefuse { .. } | Command::ShiftSign { .. }
    ) {
        return None;
    }
    let s = state.shifts.awaiting_signature()?;
    let from = s.from_operator.as_deref();
    Some(both(
        format!(
            "the handover of shift {} to {} is waiting for their signature (`shift accept` as {}); {} stays responsible until then",
            s.from_shift.unwrap_or(0),
            s.operator,
            s.operator,
            from.unwrap_or("the outgoing operator")
        ),
        format!(
            "第 {} 班交给 {} 的交接尚未签字；签字前仍由 {} 负责",
            s.from_shift.unwrap_or(0),
            s.operator,
            from.unwrap_or("交班人")
        ),
    ))
}
