//! The life of a ticket: new → dispatched → in_progress → done → closed, plus
//! cancelled from any open state, and the return call (回访) on a done ticket.

use crate::domain::{
    Command, Event, Kind, Missing, Move, Priority, Reason, Refusal, TargetOutcome, TicketId,
    TicketState, Warning,
};
use crate::error::DeskError;
use crate::rules::{optional_text, required_text, Context, Decision};
use crate::state::{State, Ticket};

pub fn decide(state: &State, cmd: &Command, ctx: &Context) -> Result<Decision, DeskError> {
    match cmd {
        Command::Call {
            unit,
            kind,
            priority,
            caller,
            phone,
            summary,
            anonymous,
        } => call(
            state, ctx, unit, *kind, *priority, caller, phone, summary, *anonymous,
        ),
        Command::Dispatch { id, to, note } => {
            let t = find(state, id)?;
            if !matches!(t.state, TicketState::New | TicketState::Dispatched) {
                return Err(refused(t, Move::Dispatch));
            }
            // The target is measured from the call to the first dispatch; a ticket
            // reopened by an unsatisfied callback is not measured again.
            // A ticket following an emergency run is measured by the run's steps.
            let target = if t.first_dispatched_at_us.is_none() && t.run.is_none() {
                ctx.site
                    .targets
                    .dispatch_minutes
                    .get(&t.kind)
                    .map(|&minutes| {
                        // Log times: never negative, even if the clock was set back.
                        let actual_seconds = crate::rules::clock::seconds_between(
                            t.opened_at_us,
                            ctx.now.timestamp_micros(),
                        );
                        TargetOutcome {
                            target_minutes: minutes,
                            actual_seconds,
                            met: actual_seconds <= i64::from(minutes) * 60,
                        }
                    })
            } else {
                None
            };
            Ok(Decision::of(vec![Event::TicketDispatched {
                id: t.id.clone(),
                to: *to,
                note: optional_text("note", note)?,
                target,
            }]))
        }
        Command::Start { id } => {
            let t = find(state, id)?;
            if t.state != TicketState::Dispatched {
                return Err(refused(t, Move::Start));
            }
            Ok(Decision::of(vec![Event::TicketStarted {
                id: t.id.clone(),
            }]))
        }
        Command::Done { id, note } => {
            let t = find(state, id)?;
            if t.state != TicketState::InProgress {
                return Err(refused(t, Move::Done));
            }
            Ok(Decision::of(vec![Event::TicketDone {
                id: t.id.clone(),
                note: optional_text("note", note)?,
            }]))
        }
        Command::Callback {
            id,
            satisfied,
            note,
        } => {
            let t = find(state, id)?;
            if t.state != TicketState::Done {
                return Err(refused(t, Move::Callback));
            }
            if t.callback == Some(true) {
                return Err(DeskError::Refused(Refusal::CallbackAlreadySatisfied {
                    id: t.id.0.clone(),
                }));
            }
            Ok(Decision::of(vec![Event::CallbackRecorded {
                id: t.id.clone(),
                satisfied: *satisfied,
                note: optional_text("note", note)?,
            }]))
        }
        Command::Close { id, note } => {
            let t = find(state, id)?;
            if t.state != TicketState::Done {
                return Err(refused(t, Move::Close));
            }
            if t.kind.needs_satisfied_callback() && t.callback != Some(true) {
                return Err(DeskError::Refused(Refusal::CloseNeedsSatisfiedCallback {
                    id: t.id.0.clone(),
                    kind: t.kind,
                }));
            }
            Ok(Decision::of(vec![Event::TicketClosed {
                id: t.id.clone(),
                note: optional_text("note", note)?,
            }]))
        }
        Command::Cancel { id, reason } => {
            let t = find(state, id)?;
            if !t.is_open() {
                return Err(refused(t, Move::Cancel));
            }
            Ok(Decision::of(vec![Event::TicketCancelled {
                id: t.id.clone(),
                reason: required_text("reason", reason)?,
            }]))
        }
        Command::Note { id, text } => {
            let t = find(state, id)?;
            Ok(Decision::of(vec![Event::TicketNoted {
                id: t.id.clone(),
                text: required_text("note", text)?,
            }]))
        }
        Command::Answer { id, note } => {
            let t = find(state, id)?;
            if !t.next_moves().contains(&Move::Answer) {
                return Err(refused(t, Move::Answer));
            }
            // Done and closed at once: the answer is the work, and these kinds
            // need no callback (`Kind::needs_satisfied_callback`).
            Ok(Decision::of(vec![
                Event::TicketDone {
                    id: t.id.clone(),
                    note: Some(required_text("note", note)?),
                },
                Event::TicketClosed {
                    id: t.id.clone(),
                    note: None,
                },
            ]))
        }
        Command::AddCall {
            id,
            caller,
            phone,
            note,
        } => {
            let t = find(state, id)?;
            // A call about a closed ticket is a new job: the resident needs a new promise.
            if !t.is_open() {
                return Err(DeskError::Refused(Refusal::CallOnClosedTicket {
                    id: t.id.0.clone(),
                    state: t.state,
                }));
            }
            let phone = match optional_text("phone", phone)? {
                Some(p) => Some(
                    ctx.site
                        .check_phone(&p)
                        .map_err(|r| DeskError::invalid("phone", r))?,
                ),
                None => None,
            };
            Ok(Decision::of(vec![Event::CallAdded {
                id: t.id.clone(),
                caller: optional_text("name", caller)?,
                phone,
                note: optional_text("note", note)?,
            }]))
        }
        _ => Err(DeskError::Internal(format!(
            "{} is not a ticket command",
            cmd.name()
        ))),
    }
}

#[allow(clippy::too_many_arguments)]
fn call(
    state: &State,
    ctx: &Context,
    unit: &str,
    kind: Kind,
    priority: Option<u8>,
    caller: &Option<String>,
    phone: &Option<String>,
    summary: &str,
    anonymous: bool,
) -> Result<Decision, DeskError> {
    let unit = required_text("unit", unit)?;
    if unit.chars().count() > 40 {
        return Err(DeskError::invalid("unit", Reason::TooLong { max: 40 }));
    }
    let summary = required_text("summary", summary)?;
    let priority = match priority {
        Some(p) => Priority::new(p).map_err(|e| DeskError::invalid("priority", e))?,
        None => kind.default_priority(),
    };
    let caller = optional_text("name", caller)?;
    if anonymous && caller.is_some() {
        return Err(DeskError::invalid("name", Reason::AnonymousWithName));
    }
    let phone = match optional_text("phone", phone)? {
        Some(p) => Some(
            ctx.site
                .check_phone(&p)
                .map_err(|r| DeskError::invalid("phone", r))?,
        ),
        None => None,
    };
    let mut warnings = Vec::new();
    // A unit typed by a name or alias is recorded by its id, so that every
    // screen can show it in its own language and calls about it are counted together.
    let unit = match ctx.site.resolve_unit(&unit) {
        Some(id) => id,
        None => {
            warnings.push(Warning::UnknownUnit { unit: unit.clone() });
            unit
        }
    };
    // A second call about the same unit is linked to its open ticket, not lost as a duplicate.
    let related = state
        .open_tickets()
        .filter(|t| t.unit.eq_ignore_ascii_case(&unit))
        .max_by_key(|t| t.opened_at_us)
        .map(|t| t.id.clone());
    if let Some(r) = &related {
        warnings.push(Warning::LinkedToOpenTicket {
            unit: unit.clone(),
            ticket: r.0.clone(),
        });
    }
    let id = TicketId::new(kind, state.next_ticket_number());
    let mut events = vec![Event::TicketOpened {
        id: id.clone(),
        kind,
        priority,
        unit,
        caller,
        phone,
        summary,
        related,
    }];
    if anonymous {
        events.push(Event::CallerAnonymous { id });
    }
    Ok(Decision { events, warnings })
}

pub(crate) fn find<'a>(state: &'a State, id: &str) -> Result<&'a Ticket, DeskError> {
    // The letter says what the ticket is; a mis-heard "C12" must not act on R012.
    if let Some(t) = state.ticket(id) {
        let typed = id.trim().chars().next().filter(char::is_ascii_alphabetic);
        return match typed {
            Some(c) if !c.eq_ignore_ascii_case(&t.kind.letter()) => {
                Err(DeskError::NotFound(Missing::WrongKind {
                    typed: id.trim().to_string(),
                    id: t.id.0.clone(),
                    kind: t.kind,
                }))
            }
            _ => Ok(t),
        };
    }
    state.ticket(id).ok_or_else(|| {
        if id.trim().is_empty() {
            DeskError::invalid("id", Reason::NeedTicketId)
        } else {
            DeskError::NotFound(Missing::Ticket {
                id: id.trim().to_string(),
            })
        }
    })
}

/// "R012 is dispatched; it cannot be closed. Allowed next: start, dispatch, cancel, note."
fn refused(t: &Ticket, tried: Move) -> DeskError {
    DeskError::Refused(Refusal::Move {
        id: t.id.0.clone(),
        state: t.state,
        tried,
        allowed: t.next_moves(),
    })
}

#[cfg(test)]
mod tests {
    //! The rules on a bench (decided and folded in memory: no store, no desk),
    //! with a clock that moves only when told, so targets are measured exactly.

    use chrono::{Duration, TimeZone, Utc};

    use crate::clock::{Clock, ManualClock};
    use crate::domain::{Actor, Command, Department, Event, Kind, TicketState};
    use crate::error::DeskError;
    use crate::rules::bench::Bench as Desk;
    use crate::state::Ticket;

    struct Bench {
        desk: Desk,
        clock: ManualClock,
        actor: Actor,
    }

    impl Bench {
        fn new() -> Bench {
            let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 25, 21, 0, 0).unwrap());
            let desk = Desk::new(clock.clone());
            Bench {
                desk,
                clock,
                actor: Actor::new("王军", "wang"),
            }
        }

        fn submit(&mut self, cmd: Command) -> Result<Vec<Event>, DeskError> {
            let actor = self.actor.clone();
            self.desk
                .submit(&actor, &cmd, None)
                .map(|c| c.records.into_iter().map(|r| r.body.event).collect())
        }

        fn ok(&mut self, cmd: Command) -> Vec<Event> {
            let what = format!("{cmd:?}");
            self.submit(cmd)
                .unwrap_or_else(|e| panic!("{what} refused: {e}"))
        }

        fn call(&mut self, kind: Kind) -> String {
            let events = self.ok(Command::Call {
                unit: "1-1203".into(),
                kind,
                priority: None,
                caller: Some("陈建国".into()),
                phone: None,
                summary: "卫生间漏水".into(),
                anonymous: false,
            });
            events
                .iter()
                .find_map(|e| match e {
                    Event::TicketOpened { id, .. } => Some(id.0.clone()),
                    _ => None,
                })
                .expect("a call opens a ticket")
        }

        fn ticket(&self, id: &str) -> &Ticket {
            self.desk.state().ticket(id).expect("ticket exists")
        }

        /// Moves `id` along the happy path until it is in `state`.
        fn bring_to(&mut self, id: &str, state: TicketState) {
            let path = [
                (
                    TicketState::Dispatched,
                    Command::Dispatch {
                        id: id.into(),
                        to: Department::Engineering,
                        note: None,
                    },
                ),
                (TicketState::InProgress, Command::Start { id: id.into() }),
                (
                    TicketState::Done,
                    Command::Done {
                        id: id.into(),
                        note: None,
                    },
                ),
            ];
            for (reached, cmd) in path {
                if self.ticket(id).state == state {
                    return;
                }
                self.ok(cmd);
                assert_eq!(self.ticket(id).state, reached);
            }
        }
    }

    fn dispatch(id: &str) -> Command {
        Command::Dispatch {
            id: id.into(),
            to: Department::Engineering,
            note: None,
        }
    }

    fn close(id: &str) -> Command {
        Command::Close {
            id: id.into(),
            note: None,
        }
    }

    fn callback(id: &str, satisfied: bool) -> Command {
        Command::Callback {
            id: id.into(),
            satisfied,
            note: None,
        }
    }

    #[test]
    fn a_repair_dispatched_after_4_minutes_meets_the_5_minute_target() {
        let mut b = Bench::new();
        let id = b.call(Kind::Repair);
        b.clock.advance(Duration::minutes(4));
        let events = b.ok(dispatch(&id));
        let Some(Event::TicketDispatched {
            target: Some(target),
            ..
        }) = events.last()
        else {
            panic!("the dispatch records its target: {events:?}");
        };
        assert_eq!(target.target_minutes, 5);
        assert_eq!(target.actual_seconds, 240);
        assert!(target.met);
        assert_eq!(b.ticket(&id).dispatch_target.as_ref(), Some(target));
    }

    #[test]
    fn a_repair_dispatched_after_6_minutes_misses_the_target_and_a_redispatch_keeps_it() {
        let mut b = Bench::new();
        let id = b.call(Kind::Repair);
        b.clock.advance(Duration::minutes(6));
        b.ok(dispatch(&id));
        let t = b
            .ticket(&id)
            .dispatch_target
            .clone()
            .expect("target recorded");
        assert!(!t.met);
        assert_eq!(t.actual_seconds, 360);
        // Sending it to another department later does not rewrite the first outcome.
        b.clock.advance(Duration::minutes(1));
        let events = b.ok(Command::Dispatch {
            id: id.clone(),
            to: Department::Security,
            note: None,
        });
        assert!(matches!(
            events.last(),
            Some(Event::TicketDispatched { target: None, .. })
        ));
        assert_eq!(b.ticket(&id).dispatch_target, Some(t));
        assert_eq!(b.ticket(&id).department, Some(Department::Security));
    }

    #[test]
    fn an_inquiry_dispatched_after_2_hours_misses_its_30_minute_first_contact_target() {
        let mut b = Bench::new();
        let id = b.call(Kind::Inquiry);
        b.clock.advance(Duration::hours(2));
        b.ok(dispatch(&id));
        let t = b.ticket(&id).dispatch_target.clone().expect("a target");
        assert_eq!((t.target_minutes, t.met), (30, false));
    }

    #[test]
    fn every_kind_has_a_promise_shown_as_time_left_then_overdue() {
        let mut b = Bench::new();
        let targets = b.desk.site().targets.clone();
        let now = |b: &Bench| b.clock.now().timestamp_micros();
        // The complaint that sat new for 1h04: overdue by 34 minutes on first contact.
        let c = b.call(Kind::Complaint);
        let due = b
            .ticket(&c)
            .due(&targets)
            .expect("complaints have a target");
        assert_eq!(due.promise, crate::state::Promise::FirstContact);
        assert_eq!(due.left_seconds(now(&b)), 30 * 60);
        b.clock.advance(Duration::minutes(64));
        assert!(due.is_overdue(now(&b)));
        assert_eq!(due.left_seconds(now(&b)), -34 * 60);
        // Dispatched, it is measured to its resolution (a day from the call).
        b.ok(dispatch(&c));
        let due = b.ticket(&c).due(&targets).unwrap();
        assert_eq!(due.promise, crate::state::Promise::Resolution);
        assert_eq!(due.left_seconds(now(&b)), 24 * 3600 - 64 * 60);
        // Done: the return call is due; an inquiry done needs none.
        b.bring_to(&c, TicketState::Done);
        assert_eq!(
            b.ticket(&c).due(&targets).unwrap().promise,
            crate::state::Promise::Callback
        );
        let i = b.call(Kind::Inquiry);
        assert_eq!(
            b.ticket(&i).due(&targets).unwrap().left_seconds(now(&b)),
            30 * 60
        );
        b.bring_to(&i, TicketState::Done);
        assert_eq!(b.ticket(&i).due(&targets), None);
        for kind in Kind::ALL {
            assert!(targets.dispatch_minutes.contains_key(&kind), "{kind}");
        }
    }

    #[test]
    fn a_repeat_call_is_recorded_on_the_open_ticket_and_counted_once() {
        let mut b = Bench::new();
        let id = b.call(Kind::Repair);
        b.clock.advance(Duration::minutes(20));
        let events = b.ok(Command::AddCall {
            id: id.clone(),
            caller: Some("陈太太".into()),
            phone: Some("0571-88235617".into()),
            note: Some("水越来越大".into()),
        });
        assert!(
            matches!(events.last(), Some(Event::CallAdded { .. })),
            "{events:?}"
        );
        let t = b.ticket(&id);
        assert_eq!(t.calls.len(), 1);
        let call = &t.calls[0];
        assert_eq!(call.caller.as_deref(), Some("陈太太"));
        assert_eq!(call.at_us, b.clock.now().timestamp_micros());
        assert_eq!(b.desk.state().tickets.len(), 1, "no second ticket");
        // The counts agree whichever way a panel asks: by unit, or by the phone typed otherwise.
        let since = b.clock.now().timestamp_micros() - 30 * 86_400_000_000;
        let state = b.desk.state();
        assert_eq!(state.calls_from(Some("1-1203"), None, since), 2);
        assert_eq!(state.calls_from(None, Some("057188235617"), since), 1);
        assert_eq!(
            state
                .open_ticket_for(None, Some("0571 8823 5617"))
                .map(|t| t.id.0.clone()),
            Some(id.clone())
        );
        assert!(t.matches("057188235617"), "found by its digits");
        // A closed ticket takes no further call: that is a new job.
        b.bring_to(&id, TicketState::Done);
        b.ok(callback(&id, true));
        b.ok(close(&id));
        let again = b.submit(Command::AddCall {
            id: id.clone(),
            caller: None,
            phone: None,
            note: None,
        });
        assert!(
            matches!(
                &again,
                Err(DeskError::Refused(
                    crate::domain::Refusal::CallOnClosedTicket { .. }
                ))
            ),
            "{again:?}"
        );
    }

    #[test]
    fn repairs_and_complaints_close_only_after_a_satisfied_callback() {
        for kind in [Kind::Repair, Kind::Complaint] {
            let mut b = Bench::new();
            let id = b.call(kind);
            b.bring_to(&id, TicketState::Done);
            let seq = b.desk.state().seq;
            let err = b.submit(close(&id)).unwrap_err();
            assert!(matches!(err, DeskError::Refused(_)), "{err}");
            assert!(err.to_string().contains("satisfied callback"), "{err}");
            assert_eq!(b.desk.state().seq, seq, "a refusal writes nothing");
            b.ok(callback(&id, true));
            assert_eq!(b.ticket(&id).callback, Some(true));
            b.ok(close(&id));
            assert_eq!(b.ticket(&id).state, TicketState::Closed);
        }
    }

    #[test]
    fn inquiries_and_help_close_from_done_without_a_callback() {
        for kind in [Kind::Inquiry, Kind::Help, Kind::Emergency] {
            let mut b = Bench::new();
            let id = b.call(kind);
            b.bring_to(&id, TicketState::Done);
            b.ok(close(&id));
            assert_eq!(b.ticket(&id).state, TicketState::Closed, "{kind}");
        }
    }

    #[test]
    fn an_inquiry_answered_on_the_phone_is_done_and_closed_in_one_move_with_the_answer() {
        for kind in [Kind::Inquiry, Kind::Help] {
            let mut b = Bench::new();
            let id = b.call(kind);
            let empty = b.submit(Command::Answer {
                id: id.clone(),
                note: " ".into(),
            });
            assert!(matches!(empty, Err(DeskError::Invalid { .. })), "{empty:?}");
            let events = b.ok(Command::Answer {
                id: id.clone(),
                note: "物业办公室在B2".into(),
            });
            assert!(
                matches!(
                    &events[..],
                    [Event::TicketDone { note: Some(n), .. }, Event::TicketClosed { .. }] if n == "物业办公室在B2"
                ),
                "{events:?}"
            );
            assert_eq!(b.ticket(&id).state, TicketState::Closed, "{kind}");
            // Once closed there is nothing to answer.
            let again = b.submit(Command::Answer {
                id: id.clone(),
                note: "again".into(),
            });
            assert!(matches!(again, Err(DeskError::Refused(_))), "{again:?}");
        }
    }

    #[test]
    fn a_repeat_call_is_added_to_the_open_ticket_and_never_to_a_closed_one() {
        let mut b = Bench::new();
        let id = b.call(Kind::Repair);
        let events = b.ok(Command::AddCall {
            id: id.clone(),
            caller: Some("李梅".into()),
            phone: Some("138 0013 8000".into()),
            note: Some("水还在滴".into()),
        });
        assert!(
            // Kept as typed, compared by digits.
            matches!(&events[..], [Event::CallAdded { phone: Some(p), .. }] if p == "138 0013 8000"),
            "{events:?}"
        );
        let t = b.ticket(&id);
        assert_eq!(t.state, TicketState::New, "the job stays one job");
        assert!(
            t.notes
                .iter()
                .any(|n| n.text == "李梅 138 0013 8000: 水还在滴"),
            "{:?}",
            t.notes
        );
        let bad = b.submit(Command::AddCall {
            id: id.clone(),
            caller: None,
            phone: Some("12".into()),
            note: None,
        });
        assert!(matches!(bad, Err(DeskError::Invalid { .. })), "{bad:?}");
        b.ok(Command::Cancel {
            id: id.clone(),
            reason: "dup".into(),
        });
        let closed = b
            .submit(Command::AddCall {
                id: id.clone(),
                caller: None,
                phone: None,
                note: Some("again".into()),
            })
            .unwrap_err();
        assert!(
            matches!(
                closed,
                DeskError::Refused(crate::domain::Refusal::CallOnClosedTicket { .. })
            ),
            "{closed}"
        );
    }

    #[test]
    fn only_a_new_inquiry_or_request_for_help_can_be_answered() {
        let mut b = Bench::new();
        for kind in [Kind::Repair, Kind::Complaint] {
            let id = b.call(kind);
            let seq = b.desk.state().seq;
            let err = b
                .submit(Command::Answer {
                    id: id.clone(),
                    note: "told".into(),
                })
                .unwrap_err();
            assert!(
                matches!(
                    &err,
                    DeskError::Refused(crate::domain::Refusal::Move {
                        tried: crate::domain::Move::Answer,
                        ..
                    })
                ),
                "{err}"
            );
            assert_eq!(b.desk.state().seq, seq, "a refusal writes nothing");
        }
        let id = b.call(Kind::Inquiry);
        b.ok(dispatch(&id));
        assert!(b
            .submit(Command::Answer {
                id,
                note: "told".into()
            })
            .is_err());
    }

    #[test]
    fn an_unsatisfied_callback_reopens_the_ticket_as_new() {
        let mut b = Bench::new();
        let id = b.call(Kind::Repair);
        b.bring_to(&id, TicketState::Done);
        b.ok(callback(&id, false));
        let t = b.ticket(&id);
        assert_eq!(t.state, TicketState::New);
        assert_eq!(t.reopen_count, 1);
        assert_eq!(t.callback, None);
        assert_eq!(t.callbacks_unsatisfied, 1);
        // A reopened repair still needs a satisfied callback after its next done.
        b.bring_to(&id, TicketState::Done);
        assert!(b.submit(close(&id)).is_err());
        b.ok(callback(&id, true));
        b.ok(close(&id));
        assert_eq!(b.ticket(&id).reopen_count, 1);
    }

    #[test]
    fn cancel_from_each_open_state_and_never_after() {
        for state in [
            TicketState::New,
            TicketState::Dispatched,
            TicketState::InProgress,
            TicketState::Done,
        ] {
            let mut b = Bench::new();
            let id = b.call(Kind::Repair);
            b.bring_to(&id, state);
            let empty = b.submit(Command::Cancel {
                id: id.clone(),
                reason: "  ".into(),
            });
            assert!(matches!(empty, Err(DeskError::Invalid { .. })), "{empty:?}");
            b.ok(Command::Cancel {
                id: id.clone(),
                reason: "resident hung up".into(),
            });
            let t = b.ticket(&id);
            assert_eq!(t.state, TicketState::Cancelled, "from {state:?}");
            assert!(t.closed_at_us.is_some());
            let again = b.submit(Command::Cancel {
                id: id.clone(),
                reason: "again".into(),
            });
            assert!(matches!(again, Err(DeskError::Refused(_))), "{again:?}");
        }
    }

    #[test]
    fn a_refusal_names_the_moves_allowed_next() {
        let mut b = Bench::new();
        let id = b.call(Kind::Repair);
        let err = b.submit(Command::Start { id: id.clone() }).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{id} is new; it cannot be started. Allowed next: dispatch, cancel, note")
        );
        let unknown = b.submit(Command::Start { id: "R404".into() }).unwrap_err();
        assert!(matches!(unknown, DeskError::NotFound(_)), "{unknown}");
    }

    fn call_from(b: &mut Bench, phone: &str) -> Result<Vec<Event>, DeskError> {
        b.submit(Command::Call {
            unit: "1-1203".into(),
            kind: Kind::Repair,
            priority: None,
            caller: None,
            phone: Some(phone.into()),
            summary: "漏水".into(),
            anonymous: false,
        })
    }

    fn phone_refusal(b: &mut Bench, phone: &str) -> crate::domain::Reason {
        match call_from(b, phone) {
            Err(DeskError::Invalid { reason, .. }) => reason,
            other => panic!("{phone} should be refused: {other:?}"),
        }
    }

    #[test]
    fn phones_are_kept_as_typed_and_checked_by_the_site_number_rules() {
        use crate::domain::{wording, Lang, PhoneRule, Reason};
        let mut b = Bench::new();
        for typed in [
            "0571-88235617",
            "138 1234 5678",
            "+86 138-1234-5678",
            "110",
            "010-6512345",
        ] {
            call_from(&mut b, &format!(" {typed} ")).unwrap_or_else(|e| panic!("{typed}: {e}"));
            let last = b.desk.state().tickets.values().next_back().unwrap();
            assert_eq!(last.phone.as_deref(), Some(typed), "shown as typed");
        }
        // A local number without its area code: refused, saying what to add.
        let r = phone_refusal(&mut b, "8823561");
        assert!(
            matches!(
                &r,
                Reason::PhoneRule {
                    digits: 7,
                    rule: PhoneRule::NeedsAreaCode,
                    ..
                }
            ),
            "{r:?}"
        );
        let en = wording::reason(&r, Lang::En, &wording::Plain);
        assert!(en.contains("7 digits") && en.contains("area code"), "{en}");
        let zh = wording::reason(&r, Lang::Zh, &wording::Plain);
        assert!(zh.contains("区号"), "{zh}");
        assert!(matches!(
            phone_refusal(&mut b, "1381234567"),
            Reason::PhoneRule {
                rule: PhoneRule::Mobile { digits: 11 },
                ..
            }
        ));
        assert!(matches!(
            phone_refusal(&mut b, "0571-882"),
            Reason::PhoneRule {
                rule: PhoneRule::Landline { .. },
                ..
            }
        ));
        // 96333 is in the built-in directory; 12345 is not.
        call_from(&mut b, "96333").unwrap();
        assert!(matches!(
            phone_refusal(&mut b, "12345"),
            Reason::PhoneRule {
                rule: PhoneRule::ShortNotListed,
                ..
            }
        ));
        assert!(matches!(
            phone_refusal(&mut b, "abc"),
            Reason::NotAPhone { .. }
        ));
        assert!(matches!(
            phone_refusal(&mut b, "1+2345"),
            Reason::NotAPhone { .. }
        ));
    }

    #[test]
    fn a_second_satisfied_callback_is_refused_so_statistics_count_each_once() {
        let mut b = Bench::new();
        let id = b.call(Kind::Repair);
        b.bring_to(&id, TicketState::Done);
        b.ok(Command::Callback {
            id: id.clone(),
            satisfied: true,
            note: None,
        });
        let again = b.submit(Command::Callback {
            id: id.clone(),
            satisfied: true,
            note: None,
        });
        assert!(
            matches!(&again, Err(e @ DeskError::Refused(_)) if e.to_string().contains("already")),
            "{again:?}"
        );
        assert_eq!(b.ticket(&id).callbacks_satisfied, 1);
    }

    #[test]
    fn a_wrong_letter_in_an_id_never_acts_on_another_kind_of_ticket() {
        let mut b = Bench::new();
        let id = b.call(Kind::Repair);
        let wrong = b.submit(Command::Start { id: "C1".into() });
        assert!(
            matches!(&wrong, Err(e @ DeskError::NotFound(_)) if e.to_string().contains("did you mean R001")),
            "{wrong:?}"
        );
        b.ok(Command::Dispatch {
            id: "1".into(),
            to: Department::Engineering,
            note: None,
        });
        assert_eq!(
            b.ticket(&id).state,
            TicketState::Dispatched,
            "the number alone still works"
        );
    }

    #[test]
    fn control_characters_in_text_never_reach_a_terminal() {
        let mut b = Bench::new();
        let events = b.ok(Command::Call {
            unit: "1-0101".into(),
            kind: Kind::Repair,
            priority: None,
            caller: None,
            phone: None,
            summary: "line1\nline2\u{1b}[31mRED".into(),
            anonymous: false,
        });
        let summary = events
            .iter()
            .find_map(|e| match e {
                Event::TicketOpened { summary, .. } => Some(summary.clone()),
                _ => None,
            })
            .unwrap();
        assert!(!summary.chars().any(char::is_control), "{summary:?}");
        assert!(summary.contains("line1 line2"));
    }
}
