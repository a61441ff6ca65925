//! Emergency runs: a plan followed step by step, every step recorded.

use crate::domain::{
    Command, Event, Kind, Missing, Priority, Reason, Refusal, StepAction, TicketId, TicketState,
    Warning,
};
use crate::error::DeskError;
use crate::rules::{optional_text, required_text, tickets, Context, Decision};
use crate::state::{run_id, Run, State, StepState};

pub fn decide(state: &State, cmd: &Command, ctx: &Context) -> Result<Decision, DeskError> {
    match cmd {
        Command::EmergencyStart {
            plan,
            location,
            ticket,
        } => {
            let p = ctx.plans.get(plan).ok_or_else(|| {
                DeskError::NotFound(Missing::Plan {
                    id: plan.clone(),
                    known: ctx.plans.all.iter().map(|p| p.id.clone()).collect(),
                })
            })?;
            let location = optional_text("location", location)?;
            let run = run_id(state.next_run_number());
            let mut events = Vec::new();
            let ticket_id = match ticket {
                Some(id) => {
                    let t = tickets::find(state, id)?;
                    if !t.is_open() {
                        return Err(DeskError::Refused(Refusal::TicketNotOpen {
                            id: t.id.0.clone(),
                            state: t.state,
                        }));
                    }
                    t.id.clone()
                }
                None => {
                    let id = TicketId::new(Kind::Emergency, state.next_ticket_number());
                    events.push(Event::TicketOpened {
                        id: id.clone(),
                        kind: Kind::Emergency,
                        priority: Priority(1),
                        unit: location.clone().unwrap_or_else(|| "-".into()),
                        caller: None,
                        phone: None,
                        summary: format!("{} {}", p.name_en, p.name_zh),
                        related: None,
                    });
                    id
                }
            };
            // An emergency ticket follows its run: the plan's steps do the
            // dispatching, so it is in progress from the start, with no dispatch
            // target of its own. A repair linked to a run keeps its own moves.
            let follows = match state.ticket(&ticket_id.0) {
                Some(t) => {
                    t.kind == Kind::Emergency
                        && matches!(t.state, TicketState::New | TicketState::Dispatched)
                }
                None => true,
            };
            events.push(Event::EmergencyStarted {
                run,
                plan: p.id.clone(),
                name_en: p.name_en.clone(),
                name_zh: p.name_zh.clone(),
                location,
                ticket: ticket_id.clone(),
                steps: p.snapshot(ctx.site),
            });
            if follows {
                events.push(Event::TicketStarted { id: ticket_id });
            }
            Ok(Decision::of(events))
        }
        Command::EmergencyStep {
            run,
            step,
            action,
            note,
        } => {
            let r = active_run(state, run)?;
            let idx = step_index(r, *step)?;
            let s = &r.steps[idx];
            let p = &r.progress[idx];
            if p.state != StepState::Pending {
                return Err(DeskError::Refused(Refusal::StepAlreadyDone {
                    run: r.id.clone(),
                    step: *step,
                    skipped: p.state != StepState::Done,
                }));
            }
            let note = optional_text("note", note)?;
            let mut warnings = Vec::new();
            let ev = match action {
                StepAction::Done { value } => {
                    let value = optional_text("value", value)?;
                    if let (None, Some(en), Some(zh)) = (&value, &s.record_en, &s.record_zh) {
                        warnings.push(Warning::StepValueMissing {
                            run: r.id.clone(),
                            step: *step,
                            record_en: en.clone(),
                            record_zh: zh.clone(),
                        });
                    }
                    if let Some(minutes) = s.deadline_minutes {
                        let due = r.started_at_us + i64::from(minutes) * 60_000_000;
                        let late = (ctx.now.timestamp_micros() - due) / 1_000_000;
                        if late > 0 {
                            warnings.push(Warning::StepLate {
                                step: *step,
                                minutes,
                                late_seconds: late,
                            });
                        }
                    }
                    Event::EmergencyStepDone {
                        run: r.id.clone(),
                        step: *step,
                        value,
                        note,
                    }
                }
                StepAction::Skip { reason, over_ride } => {
                    let reason = required_text("reason", reason)
                        .map_err(|_| DeskError::invalid("reason", Reason::SkipNeedsReason))?;
                    if s.critical && !over_ride {
                        return Err(DeskError::Refused(Refusal::CriticalStepNeedsOverride {
                            step: *step,
                        }));
                    }
                    // Who may override is `roles::check`'s, before any rule runs.
                    Event::EmergencyStepSkipped {
                        run: r.id.clone(),
                        step: *step,
                        reason,
                        overridden: s.critical,
                        note,
                    }
                }
            };
            Ok(Decision {
                events: vec![ev],
                warnings,
            })
        }
        Command::EmergencyNote { run, text } => {
            let r = state.find_run(run)?;
            Ok(Decision::of(vec![Event::EmergencyNoted {
                run: r.id.clone(),
                text: required_text("note", text)?,
            }]))
        }
        Command::EmergencyClose { run } => {
            let r = active_run(state, run)?;
            let pending = r.pending_critical();
            if !pending.is_empty() {
                return Err(DeskError::Refused(Refusal::CriticalStepsPending {
                    run: r.id.clone(),
                    steps: pending,
                }));
            }
            let mut events = vec![Event::EmergencyClosed { run: r.id.clone() }];
            // The run's emergency ticket is done when the run closes; then the
            // callback and close as for any ticket.
            if let Some(t) = state.ticket(&r.ticket.0) {
                if t.kind == Kind::Emergency && t.is_open() && t.state != TicketState::Done {
                    events.push(Event::TicketDone {
                        id: t.id.clone(),
                        note: Some(format!("{} closed 应急已结束", r.id)),
                    });
                }
            }
            Ok(Decision::of(events))
        }
        Command::EmergencyReport { run } => {
            // The desk writes the file and adds its record (`IncidentReportWritten`).
            state.find_run(run)?;
            Ok(Decision::default())
        }
        _ => Err(DeskError::Internal(format!(
            "{} is not an emergency command",
            cmd.name()
        ))),
    }
}

fn active_run<'a>(state: &'a State, id: &str) -> Result<&'a Run, DeskError> {
    let r = state.find_run(id)?;
    if !r.is_active() {
        return Err(DeskError::Refused(Refusal::RunClosed { run: r.id.clone() }));
    }
    Ok(r)
}

fn step_index(r: &Run, step: u32) -> Result<usize, DeskError> {
    if step == 0 || step as usize > r.steps.len() {
        return Err(DeskError::invalid(
            "step",
            Reason::NoSuchStep {
                run: r.id.clone(),
                steps: r.steps.len(),
                step,
            },
        ));
    }
    Ok(step as usize - 1)
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};

    use crate::clock::ManualClock;
    use crate::domain::{wording, Actor, Command, Lang, Refusal, Role, StepAction, Warning};
    use crate::error::DeskError;
    use crate::rules::bench::Bench as Desk;

    /// The rules on a bench: no store, no desk.
    fn desk() -> (Desk, ManualClock) {
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 25, 15, 0, 0).unwrap());
        (Desk::new(clock.clone()), clock)
    }

    fn with_role(role: Option<Role>) -> Actor {
        let mut a = Actor::new("王军", "wang");
        a.role = role;
        a
    }

    fn skip(step: u32, over_ride: bool) -> Command {
        Command::EmergencyStep {
            run: "EM1".into(),
            step,
            action: StepAction::Skip {
                reason: "engineer already on the landing".into(),
                over_ride,
            },
            note: None,
        }
    }

    fn start(d: &mut Desk, a: &Actor) {
        d.submit(
            a,
            &Command::EmergencyStart {
                plan: "elevator-entrapment".into(),
                location: Some("Lift 3-A".into()),
                ticket: None,
            },
            None,
        )
        .unwrap();
    }

    #[test]
    fn only_the_duty_manager_overrides_a_critical_step_once_roles_exist() {
        let (mut d, _) = desk();
        let dispatcher = with_role(Some(Role::Dispatcher));
        start(&mut d, &dispatcher);
        let e = d.submit(&dispatcher, &skip(1, true), None).unwrap_err();
        assert!(matches!(e, DeskError::Forbidden(_)), "{e}");
        // A non-critical step is anyone's to skip.
        d.submit(&dispatcher, &skip(5, false), None).unwrap();
        let manager = with_role(Some(Role::DutyManager));
        d.submit(&manager, &skip(1, true), None).unwrap();
        let r = d.state().run("EM1").unwrap();
        assert!(r.progress[0].overridden);
        assert!(!r.progress[4].overridden);
    }

    #[test]
    fn critical_skip_needs_override_and_a_reason_without_roles_too() {
        let (mut d, _) = desk();
        let a = with_role(None);
        start(&mut d, &a);
        let e = d.submit(&a, &skip(2, false), None).unwrap_err();
        assert!(
            matches!(
                e,
                DeskError::Refused(Refusal::CriticalStepNeedsOverride { step: 2 })
            ),
            "{e}"
        );
        let no_reason = Command::EmergencyStep {
            run: "EM1".into(),
            step: 2,
            action: StepAction::Skip {
                reason: "  ".into(),
                over_ride: true,
            },
            note: None,
        };
        let e = d.submit(&a, &no_reason, None).unwrap_err();
        assert!(matches!(e, DeskError::Invalid { .. }), "{e}");
        d.submit(&a, &skip(2, true), None).unwrap();
        let e = d.submit(&a, &skip(2, true), None).unwrap_err();
        assert!(e.to_string().contains("already skipped"), "{e}");
        let e = d.submit(&a, &skip(12, false), None).unwrap_err();
        assert!(e.to_string().contains("steps 1 to 11"), "{e}");
    }

    #[test]
    fn doing_a_step_late_or_without_its_value_warns_but_records() {
        let (mut d, clock) = desk();
        let a = with_role(None);
        start(&mut d, &a);
        let done = |step| Command::EmergencyStep {
            run: "EM1".into(),
            step,
            action: StepAction::Done { value: None },
            note: None,
        };
        let c = d.submit(&a, &done(1), None).unwrap();
        let text = |w: &Warning| wording::warning(w, Lang::Zh, &wording::Plain);
        assert!(
            text(&c.warnings[0]).contains("被困人数"),
            "{:?}",
            c.warnings
        );
        clock.advance(Duration::minutes(41));
        let c = d.submit(&a, &done(6), None).unwrap();
        assert!(
            wording::warning(&c.warnings[0], Lang::En, &wording::Plain)
                .contains("11m00 after its 30-minute deadline"),
            "{:?}",
            c.warnings
        );
    }

    #[test]
    fn close_waits_for_critical_steps_and_a_closed_run_takes_only_notes() {
        let (mut d, _) = desk();
        let a = with_role(None);
        start(&mut d, &a);
        let close = Command::EmergencyClose { run: "em1".into() };
        let e = d.submit(&a, &close, None).unwrap_err();
        assert!(
            e.to_string()
                .contains("critical steps 1, 2, 3, 4, 6, 7 still pending"),
            "{e}"
        );
        for s in [1, 2, 3, 4, 6, 7] {
            d.submit(&a, &skip(s, true), None).unwrap();
        }
        d.submit(&a, &close, None).unwrap();
        let e = d.submit(&a, &skip(5, false), None).unwrap_err();
        assert!(e.to_string().contains("EM1 is closed"), "{e}");
        d.submit(
            &a,
            &Command::EmergencyNote {
                run: "1".into(),
                text: "written up".into(),
            },
            None,
        )
        .unwrap();
        assert_eq!(d.state().run("EM1").unwrap().notes.len(), 1);
    }

    #[test]
    fn a_ticket_opened_by_a_run_follows_it_then_takes_its_callback() {
        use crate::domain::{Department, Event, TicketState};
        let (mut d, _) = desk();
        let a = with_role(None);
        start(&mut d, &a);
        let id = d.state().run("EM1").unwrap().ticket.0.clone();
        let t = d.state().ticket(&id).unwrap();
        assert_eq!(
            t.state,
            TicketState::InProgress,
            "in progress while the run is active"
        );
        assert_eq!(
            t.due(&d.site().targets),
            None,
            "no dispatch target of its own"
        );
        let e = d
            .submit(
                &a,
                &Command::Dispatch {
                    id: id.clone(),
                    to: Department::Engineering,
                    note: None,
                },
                None,
            )
            .unwrap_err();
        assert!(matches!(e, DeskError::Refused(_)), "{e}");
        for s in [1, 2, 3, 4, 6, 7] {
            d.submit(&a, &skip(s, true), None).unwrap();
        }
        let c = d
            .submit(&a, &Command::EmergencyClose { run: "EM1".into() }, None)
            .unwrap();
        assert!(
            c.records
                .iter()
                .any(|r| matches!(r.body.event, Event::TicketDone { .. })),
            "the close records the ticket done"
        );
        let t = d.state().ticket(&id).unwrap();
        assert_eq!(t.state, TicketState::Done, "done when the run closes");
        assert!(t.awaits_callback());
        d.submit(
            &a,
            &Command::Callback {
                id: id.clone(),
                satisfied: true,
                note: None,
            },
            None,
        )
        .unwrap();
        d.submit(
            &a,
            &Command::Close {
                id: id.clone(),
                note: None,
            },
            None,
        )
        .unwrap();
        assert_eq!(d.state().ticket(&id).unwrap().state, TicketState::Closed);
    }
}
