//! What the log needs around a command's own events: the store's first record,
//! a shift opened for the operator when none is open, and the shift each event
//! is recorded under. Decided here, like everything else a command becomes, so
//! the desk only appends and folds.

use crate::config::site::Site;
use crate::domain::{Actor, Event};
use crate::state::State;

/// An event and the shift it is recorded under.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub shift: u64,
    pub event: Event,
}

/// The events that go before `decided`: `StoreCreated` when nothing is recorded
/// yet, and `ShiftStarted` for `actor` when no shift is open and `decided` opens
/// none (the first command of the night opens its operator's shift).
pub fn opening(state: &State, site: &Site, actor: &Actor, decided: &[Event]) -> Vec<Event> {
    let mut events = Vec::new();
    if state.store_is_new() {
        events.push(Event::StoreCreated {
            site: format!("{} {}", site.site.name_en, site.site.name_zh),
        });
    }
    let opens_shift = decided
        .iter()
        .any(|e| matches!(e, Event::ShiftStarted { .. }));
    if state.shifts.current().is_none() && !opens_shift {
        events.push(Event::ShiftStarted {
            shift: state.shifts.next_id(),
            operator: actor.operator.clone(),
        });
    }
    events
}

/// `decided` with its [`opening`] events before it: what the log records.
pub fn framed(state: &State, site: &Site, actor: &Actor, decided: Vec<Event>) -> Vec<Event> {
    let mut events = opening(state, site, actor, &decided);
    events.extend(decided);
    events
}

/// The shift each event is recorded under: the open shift; a `ShiftStarted` its
/// own, and so what follows it; a handover the shift handed over, and what
/// follows it the shift taken over. What comes before the first shift opens
/// (the store's first record, a clock jump) belongs to the shift the command
/// opens.
pub fn place(state: &State, events: Vec<Event>) -> Vec<Placed> {
    let first_opened = events.iter().find_map(|e| match e {
        Event::ShiftStarted { shift, .. } => Some(*shift),
        _ => None,
    });
    let mut shift = state.shifts.current().map(|s| s.id).or(first_opened);
    events
        .into_iter()
        .map(|event| {
            let this = match &event {
                Event::ShiftStarted { shift: s, .. } => {
                    shift = Some(*s);
                    *s
                }
                Event::HandoverOffered {
                    from_shift,
                    to_shift,
                    ..
                } => {
                    shift = Some(*to_shift);
                    *from_shift
                }
                // Framing opens a shift whenever none is open, so never 0 in the log.
                _ => shift.unwrap_or(0),
            };
            Placed { shift: this, event }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use crate::clock::Reading;
    use crate::config::plans::Plans;
    use crate::config::site::Site;
    use crate::domain::{Actor, Event};
    use crate::rules::bench::{event_names, leak_call};
    use crate::rules::{decide, Context};
    use crate::state::State;

    #[test]
    fn the_first_command_of_a_new_store_is_decided_whole_by_the_rules() {
        let site = Site::builtin().unwrap();
        let plans = Plans::builtin().unwrap();
        let actor = Actor::new("王军", "wang");
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 21, 0, 0).unwrap();
        let ctx = Context {
            now,
            reading: Reading {
                wall_us: now.timestamp_micros(),
                expected_us: None,
                measured_us: None,
            },
            actor: &actor,
            site: &site,
            plans: &plans,
        };
        let decided = decide(&State::new(), &leak_call(), &ctx).unwrap();
        assert_eq!(
            event_names(&decided.events),
            ["StoreCreated", "ShiftStarted", "TicketOpened"],
            "{:?}",
            decided.events
        );
        assert!(matches!(
            &decided.events[1],
            Event::ShiftStarted { shift: 1, operator } if operator == "王军"
        ));
        // Every one of them belongs to the shift the call opened.
        let shifts: Vec<u64> = super::place(&State::new(), decided.events)
            .iter()
            .map(|p| p.shift)
            .collect();
        assert_eq!(shifts, [1, 1, 1]);
    }
}
