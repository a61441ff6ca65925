//! The log's time, and when the system clock moved.
//!
//! The rule, in one place:
//! - A record is never dated earlier than the record before it. While the clock
//!   reads earlier than the log (it was set back), records keep the log's time.
//! - While the desk runs it knows where the clock should be: its last reading
//!   plus the monotonic time measured since. A reading further than the site's
//!   bound (`[clock] max_jump_minutes`, 30 by default) from that, either way, is a
//!   jump. Without a last reading (a desk just opened: it may have been off for
//!   days, so a clock far ahead of the last record is no sign of anything) only a
//!   clock further than the bound behind the previous record counts.
//! - A jump is recorded as `ClockJumped` with both readings, so the dashboard
//!   and `doctor` can show it and the operator can put the clock right.
//! - The command during which a jump is seen is dated by the time the desk
//!   measured (the previous record's time plus the monotonic time since), not
//!   by the jumped reading, unless the jump brought the clock back to that
//!   time. So a clock set months ahead for one call does not pin the log (and
//!   every later record) in the future, and a dispatch after the clock was set
//!   back still measures the minutes that really passed. From the next command
//!   on, the new reading is the one measured from, so a clock that was put
//!   right stays right (and one left behind the log holds the log's time until
//!   it catches up).
//! - What this cannot see: a desk opened anew (the owner had exited) has no
//!   last reading, so a clock already ahead when it opens is taken as it is;
//!   if it is later set back, the log holds at that time and the jump back is
//!   recorded. Test owners on `DUTYDESK_NOW` date each client by its own clock
//!   and have no monotonic reading, so only the log comparison applies there.
//! - Durations come from log times and are never negative.

use chrono::{DateTime, Utc};

use crate::clock::Reading;
use crate::config::site::Site;
use crate::domain::Event;
use crate::state::State;

/// The time the records of the next command carry, in microseconds.
pub fn log_time(state: &State, reading: &Reading, site: &Site) -> i64 {
    let bound = site.clock.max_jump_us();
    let wall = reading.wall_us;
    let chosen = match (reading.expected_us, reading.measured_us) {
        // The clock moved since the last look, and not back to where the log is.
        (Some(e), Some(m)) if (wall - e).abs() > bound && (wall - m).abs() > bound => m,
        _ => wall,
    };
    chosen.max(state.last_at_us)
}

/// The same as a time.
pub fn log_now(state: &State, reading: &Reading, site: &Site) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(log_time(state, reading, site)).unwrap_or_default()
}

/// The `ClockJumped` event this reading calls for, if any.
pub fn jumped(state: &State, reading: &Reading, site: &Site) -> Option<Event> {
    let bound = site.clock.max_jump_us();
    let wall = reading.wall_us;
    if let Some(e) = reading.expected_us {
        if (wall - e).abs() > bound {
            return Some(Event::ClockJumped {
                from_us: e,
                to_us: wall,
            });
        }
    }
    if state.store_is_new() || wall >= state.last_at_us.saturating_sub(bound) {
        return None;
    }
    // Behind the log: recorded once, not at every command while the clock stays
    // behind (it moves on from the reading recorded, unless set back again).
    if let Some(j) = state.clock.last_jump.filter(|_| state.clock.held) {
        if wall >= j.to_us.saturating_sub(bound) {
            return None;
        }
    }
    Some(Event::ClockJumped {
        from_us: state.last_at_us,
        to_us: wall,
    })
}

pub use crate::clock::seconds_between;

#[cfg(test)]
mod tests {
    //! The rules on a bench (no store, no desk) with a clock that is set (`jump`)
    //! apart from time passing (`advance`), as an operator or NTP would set it.

    use chrono::{Datelike, Duration, TimeZone, Utc};

    use crate::clock::{ManualClock, Reading};
    use crate::config::site::Site;
    use crate::domain::{Actor, Command, Department, Event};
    use crate::rules::bench::Bench as Rules;
    use crate::state::State;
    use crate::store::Record;

    struct Bench {
        desk: Rules,
        clock: ManualClock,
    }

    impl Bench {
        fn new() -> Bench {
            // 21:00 on 25 November 2026, UTC: November in any time zone near it.
            let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap());
            let desk = Rules::new(clock.clone());
            Bench { desk, clock }
        }

        fn submit(&mut self, cmd: Command) -> Vec<Record> {
            let what = format!("{cmd:?}");
            self.desk
                .submit(&Actor::new("王军", "wang"), &cmd, None)
                .unwrap_or_else(|e| panic!("{what} refused: {e}"))
                .records
        }

        fn call(&mut self) -> (String, Vec<Record>) {
            let records = self.submit(crate::rules::bench::leak_call());
            let id = records
                .iter()
                .find_map(|r| match &r.body.event {
                    Event::TicketOpened { id, .. } => Some(id.0.clone()),
                    _ => None,
                })
                .expect("a call opens a ticket");
            (id, records)
        }
    }

    fn jumps(records: &[Record]) -> Vec<(i64, i64)> {
        records
            .iter()
            .filter_map(|r| match r.body.event {
                Event::ClockJumped { from_us, to_us } => Some((from_us, to_us)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_clock_set_back_between_call_and_dispatch_gives_no_negative_time_and_is_recorded() {
        let mut b = Bench::new();
        let (id, opened) = b.call();
        let called_at = opened.last().unwrap().body.at_us;
        b.clock.advance(Duration::minutes(2));
        b.clock.jump(Duration::hours(-1));
        let records = b.submit(Command::Dispatch {
            id: id.clone(),
            to: Department::Engineering,
            note: None,
        });
        let Some(Event::TicketDispatched {
            target: Some(target),
            ..
        }) = records.last().map(|r| &r.body.event)
        else {
            panic!("the dispatch records its target: {records:?}");
        };
        // Two minutes really passed; the log cannot know that, but it never says -58 minutes.
        assert_eq!(
            target.actual_seconds, 120,
            "measured by the desk's monotonic time"
        );
        assert!(target.met);
        assert!(records.iter().all(|r| r.body.at_us >= called_at));
        let j = jumps(&records);
        assert_eq!(j.len(), 1, "the jump is on file: {records:?}");
        assert_eq!(
            j[0].1 - j[0].0,
            -3_600_000_000,
            "both readings, an hour apart"
        );
        assert!(b.desk.state().clock.held, "the log holds its time");
        // Later commands while the clock stays behind do not record it again.
        b.clock.advance(Duration::minutes(5));
        let later = b.submit(Command::Start { id: id.clone() });
        assert!(jumps(&later).is_empty(), "{later:?}");
        assert!(later[0].body.at_us >= records.last().unwrap().body.at_us);
        // Once the clock is past the log again, the hold is over.
        b.clock.advance(Duration::hours(1));
        b.submit(Command::Done { id, note: None });
        assert!(!b.desk.state().clock.held);
    }

    #[test]
    fn a_clock_set_months_ahead_for_one_call_neither_dates_it_nor_pins_the_log_in_the_future() {
        let mut b = Bench::new();
        b.call();
        b.clock.advance(Duration::minutes(1));
        b.clock.jump(Duration::days(182));
        let (_, ahead) = b.call();
        let j = jumps(&ahead);
        assert_eq!(j.len(), 1, "{ahead:?}");
        assert!(j[0].1 - j[0].0 > Duration::days(181).num_microseconds().unwrap());
        b.clock.advance(Duration::minutes(1));
        b.clock.jump(Duration::days(-182));
        let (_, back) = b.call();
        assert_eq!(jumps(&back).len(), 1, "the return is on file too: {back:?}");
        let state = b.desk.state();
        let times: Vec<i64> = state.tickets.values().map(|t| t.opened_at_us).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        let months: Vec<(i32, u32)> = times
            .iter()
            .map(|us| crate::store::record::time_of(*us))
            .map(|t| (t.year(), t.month()))
            .collect();
        assert_eq!(
            months,
            vec![(2026, 11); 3],
            "all three calls are filed in November"
        );
        assert!(!state.clock.held);
    }

    #[test]
    fn a_small_step_is_no_jump_and_a_desk_just_opened_takes_a_clock_far_ahead_as_time_off() {
        let site = Site::builtin().expect("built-in site");
        let mut state = State::new();
        state.seq = 10;
        state.last_at_us = 1_000_000_000_000;
        let minute = 60_000_000;
        let read = |wall_us, expected_us| Reading {
            wall_us,
            expected_us,
            measured_us: expected_us,
        };
        // NTP stepping by a minute either way is not a jump.
        let small = read(state.last_at_us - minute, Some(state.last_at_us));
        assert_eq!(super::jumped(&state, &small, &site), None);
        assert_eq!(super::log_time(&state, &small, &site), state.last_at_us);
        // Opened after eight hours off: the clock is ahead of the log, rightly.
        let later = read(state.last_at_us + 480 * minute, None);
        assert_eq!(super::jumped(&state, &later, &site), None);
        assert_eq!(super::log_time(&state, &later, &site), later.wall_us);
        // Opened with the clock an hour behind the log: that is a jump.
        let behind = read(state.last_at_us - 60 * minute, None);
        assert!(super::jumped(&state, &behind, &site).is_some());
    }
}
