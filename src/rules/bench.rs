//! The rules' test bench: commands decided by [`super::decide`] and folded into a
//! `State` in memory, as the desk would fold them, with no store and no desk.
//! Records are sealed onto a chain of their own, so times, shifts and sequence
//! numbers are what the log would hold.

use crate::clock::{ManualClock, Reader};
use crate::config::plans::Plans;
use crate::config::site::Site;
use crate::domain::{Actor, Command, Event, Kind, Warning};
use crate::error::DeskError;
use crate::rules::{self, framing, Context};
use crate::state::State;
use crate::store::{Body, Hash, Record, GENESIS};

/// What a command left: its records and its warnings.
#[derive(Debug)]
pub struct Folded {
    pub records: Vec<Record>,
    pub warnings: Vec<Warning>,
}

pub struct Bench {
    state: State,
    site: Site,
    plans: Plans,
    clock: ManualClock,
    reader: Reader,
    head: Hash,
}

impl Bench {
    /// The site the bench decides for (the built-in one).
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// A new store at the built-in site, with its built-in plans, on `clock`.
    pub fn new(clock: ManualClock) -> Bench {
        Bench {
            state: State::new(),
            site: Site::builtin().expect("the built-in site parses"),
            plans: Plans::builtin().expect("the built-in plans parse"),
            clock,
            reader: Reader::default(),
            head: GENESIS,
        }
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    /// Decides `cmd` for `actor` now and folds its records in (none if refused).
    pub fn submit(
        &mut self,
        actor: &Actor,
        cmd: &Command,
        request: Option<String>,
    ) -> Result<Folded, DeskError> {
        let taken = self.reader.read(&self.clock, self.state.last_at_us);
        let now = rules::clock::log_now(&self.state, &taken.reading, &self.site);
        let ctx = Context {
            now,
            reading: taken.reading,
            actor,
            site: &self.site,
            plans: &self.plans,
        };
        let decision = rules::decide(&self.state, cmd, &ctx)?;
        let at_us = now.timestamp_micros().max(self.state.last_at_us);
        let mut records = Vec::new();
        for placed in framing::place(&self.state, decision.events) {
            let body = Body {
                seq: self.state.seq + 1,
                at_us,
                operator: actor.operator.clone(),
                unix_user: actor.unix_user.clone(),
                shift: placed.shift,
                request: request.clone(),
                event: placed.event,
            };
            let (record, _) = Record::seal(body, self.head)?;
            self.head = record.hash;
            self.state.apply(&record);
            records.push(record);
        }
        self.reader.keep(&taken);
        Ok(Folded {
            records,
            warnings: decision.warnings,
        })
    }
}

/// A repair call about a leak at 1-1203: the command most tests start from.
pub fn leak_call() -> Command {
    Command::Call {
        unit: "1-1203".into(),
        kind: Kind::Repair,
        priority: None,
        caller: None,
        phone: None,
        summary: "漏水".into(),
        anonymous: false,
    }
}

/// The kinds of `events`, for asserting what a decision framed.
pub fn event_names(events: &[Event]) -> Vec<&'static str> {
    events
        .iter()
        .map(|e| match e {
            Event::StoreCreated { .. } => "StoreCreated",
            Event::ShiftStarted { .. } => "ShiftStarted",
            Event::TicketOpened { .. } => "TicketOpened",
            _ => "other",
        })
        .collect()
}
