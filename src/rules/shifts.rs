//! Shifts and the signed handover (交接班).

use crate::domain::identity::operator_name;
use crate::domain::{Command, Concern, Event, Forbidden, Reason, Refusal, Role, Warning};
use crate::error::DeskError;
use crate::rules::{optional_text, required_text, Context, Decision};
use crate::state::State;

pub fn decide(state: &State, cmd: &Command, ctx: &Context) -> Result<Decision, DeskError> {
    let me = &ctx.actor.operator;
    match cmd {
        Command::ShiftStart => {
            if let Some(cur) = state.shifts.current() {
                return Err(DeskError::Refused(Refusal::ShiftStillOpen {
                    shift: cur.id,
                    operator: cur.operator.clone(),
                }));
            }
            Ok(Decision::of(vec![Event::ShiftStarted {
                shift: state.shifts.next_id(),
                operator: me.clone(),
            }]))
        }
        Command::ShiftHandover { to, note, reason } => {
            let to = operator_name(to).map_err(|why| DeskError::invalid("to", why))?;
            let Some(cur) = state.shifts.current() else {
                return Err(DeskError::Refused(Refusal::NoShiftOpen));
            };
            if cur.from_shift.is_some() && !cur.accepted {
                return Err(DeskError::Refused(Refusal::ShiftNotAccepted {
                    shift: cur.id,
                    operator: cur.operator.clone(),
                }));
            }
            // The handover is the outgoing operator's signature on what they leave
            // behind: only they, or the duty manager on their behalf, may give it.
            if &cur.operator != me && ctx.actor.role != Some(Role::DutyManager) {
                return Err(DeskError::Refused(Refusal::NotYourShift {
                    shift: cur.id,
                    owner: cur.operator.clone(),
                    you: me.clone(),
                }));
            }
            if to == cur.operator {
                return Err(DeskError::invalid("to", Reason::SameOperator));
            }
            let reason = optional_text("reason", reason)?;
            let concerns = handover_concerns(state, cur.id);
            if !concerns.is_empty() && reason.is_none() {
                return Err(DeskError::Refused(Refusal::HandoverConcerns { concerns }));
            }
            Ok(Decision {
                events: vec![Event::HandoverOffered {
                    from_shift: cur.id,
                    to_shift: state.shifts.next_id(),
                    to,
                    note: optional_text("note", note)?,
                    override_reason: if concerns.is_empty() { None } else { reason },
                }],
                warnings: concerns.into_iter().map(Warning::Concern).collect(),
            })
        }
        Command::ShiftAccept | Command::ShiftRefuse { .. } => {
            let Some(cur) = state.shifts.awaiting_signature() else {
                return Err(DeskError::Refused(Refusal::NoHandoverWaiting));
            };
            if &cur.operator != me {
                return Err(DeskError::Refused(Refusal::HandoverAddressedTo {
                    to: cur.operator.clone(),
                    you: me.clone(),
                }));
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
                return Err(DeskError::Refused(Refusal::NoHandoverWaiting));
            };
            let name = required_text("signed_by", signed_by)?;
            // Typing a name is for a single shared console (the issue allows it):
            // the session is still the outgoing operator's. Where the site maps Unix
            // accounts to people (operators.toml), identity comes from the kernel,
            // so only the addressee's own account may sign.
            if ctx.actor.role.is_some() && *me != cur.operator {
                return Err(DeskError::Forbidden(Forbidden::SignFromOwnAccount {
                    to: cur.operator.clone(),
                }));
            }
            if name != cur.operator {
                return Err(DeskError::Refused(Refusal::SignedNameDiffers {
                    to: cur.operator.clone(),
                    typed: name,
                }));
            }
            Ok(Decision::of(vec![Event::HandoverAccepted {
                shift: cur.id,
                by: name,
            }]))
        }
        Command::ShiftWithdraw { reason } => {
            let Some(cur) = state.shifts.awaiting_signature() else {
                return Err(DeskError::Refused(Refusal::NothingToWithdraw));
            };
            let outgoing = cur.from_operator.as_deref() == Some(me.as_str());
            let manager = ctx.actor.role == Some(crate::domain::Role::DutyManager);
            if !outgoing && !manager {
                return Err(DeskError::Refused(Refusal::WithdrawNotYours {
                    from: cur.from_operator.clone(),
                }));
            }
            Ok(Decision::of(vec![Event::HandoverWithdrawn {
                shift: cur.id,
                by: me.clone(),
                reason: required_text("reason", reason)?,
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
pub fn handover_concerns(state: &State, shift: u64) -> Vec<Concern> {
    let started_at = state.shifts.get(shift).map(|s| s.started_at_us);
    let mut out = Vec::new();
    for r in state.runs.values() {
        if r.is_active() {
            out.push(Concern::ActiveEmergency {
                run: r.id.clone(),
                name_en: r.name_en.clone(),
                name_zh: r.name_zh.clone(),
                started_in: Some(r.shift).filter(|&s| s != shift),
            });
            continue;
        }
        let closed_in_shift = matches!((r.closed_at_us, started_at), (Some(c), Some(s)) if c >= s);
        if r.report.is_none() && (r.shift == shift || closed_in_shift) {
            out.push(Concern::MissingReport {
                run: r.id.clone(),
                name_en: r.name_en.clone(),
                name_zh: r.name_zh.clone(),
            });
        }
    }
    out
}

/// The line every command's output carries while a handover waits for its
/// signature, so nobody forgets it is pending (accept and refuse say it themselves).
pub fn awaiting_signature_warning(state: &State, cmd: &Command) -> Option<Warning> {
    if matches!(
        cmd,
        Command::ShiftAccept | Command::ShiftRefuse { .. } | Command::ShiftSign { .. }
    ) {
        return None;
    }
    let s = state.shifts.awaiting_signature()?;
    Some(Warning::AwaitingSignature {
        shift: s.from_shift.unwrap_or(0),
        to: s.operator.clone(),
        from: s.from_operator.clone(),
    })
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use crate::clock::ManualClock;
    use crate::domain::{Actor, Command, Event};
    use crate::rules::bench::{event_names, leak_call, Bench};

    #[test]
    fn a_shift_opens_once_and_the_store_is_created_once() {
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 25, 21, 0, 0).unwrap());
        let mut bench = Bench::new(clock);
        let wang = Actor::new("王军", "wang");
        let call = leak_call();
        // `shift start` as the first command opens the shift itself: no second one.
        let first = bench.submit(&wang, &Command::ShiftStart, None).unwrap();
        let events: Vec<Event> = first.records.iter().map(|r| r.body.event.clone()).collect();
        assert_eq!(
            event_names(&events),
            ["StoreCreated", "ShiftStarted"],
            "{events:?}"
        );
        assert!(first.records.iter().all(|r| r.body.shift == 1));
        let next = bench.submit(&wang, &call, None).unwrap();
        let events: Vec<Event> = next.records.iter().map(|r| r.body.event.clone()).collect();
        assert_eq!(event_names(&events), ["TicketOpened"], "{events:?}");
        assert_eq!(next.records[0].body.shift, 1);
        assert_eq!(bench.state().shifts.all.len(), 1);
    }
}
