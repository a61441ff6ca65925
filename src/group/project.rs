//! The read model's rows, made from a site's folded state: the same fold the
//! desk serves from, so the group sees each ticket as the site does.

use crate::config::site::Targets;
use crate::domain::TicketState;
use crate::state::{Run, State, Ticket};

#[derive(Debug, Clone, PartialEq)]
pub struct TicketRow {
    pub number: i64,
    pub id: String,
    pub kind: String,
    pub priority: i32,
    pub unit: String,
    pub summary: String,
    pub state: String,
    pub is_open: bool,
    pub opened_at_us: i64,
    pub due_at_us: Option<i64>,
    pub dispatched_at_us: Option<i64>,
    pub dispatch_met: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EmergencyRow {
    pub number: i64,
    pub id: String,
    pub plan: String,
    pub name_en: String,
    pub name_zh: String,
    pub location: Option<String>,
    pub ticket: String,
    /// The priority of its ticket: 1 is the most severe.
    pub severity: i32,
    pub started_at_us: i64,
    pub closed_at_us: Option<i64>,
}

/// When a ticket's current target falls due, by the group's default targets
/// (the same rule as the site's queue: dispatch for a new ticket, the callback
/// for a done one). The centre has no copy of each site's `site.toml`.
pub fn due_us(t: &Ticket, targets: &Targets) -> Option<i64> {
    match t.state {
        TicketState::New => {
            let minutes = targets.dispatch_minutes.get(&t.kind)?;
            let from = if t.reopen_count > 0 {
                t.updated_at_us
            } else {
                t.opened_at_us
            };
            Some(from + i64::from(*minutes) * 60_000_000)
        }
        TicketState::Done if t.callback.is_none() => {
            let done = t.done_at_us?;
            Some(done + i64::from(targets.callback_minutes) * 60_000_000)
        }
        _ => None,
    }
}

/// The rows of the tickets and runs that records after `after` touched.
pub fn touched(state: &State, after: u64) -> (Vec<TicketRow>, Vec<EmergencyRow>) {
    let targets = Targets::default();
    let tickets = state
        .tickets
        .values()
        .filter(|t| t.seqs.last().is_some_and(|s| *s > after))
        .map(|t| TicketRow {
            number: t.id.number() as i64,
            id: t.id.0.clone(),
            kind: t.kind.as_str().to_string(),
            priority: i32::from(t.priority.0),
            unit: t.unit.clone(),
            summary: t.summary.clone(),
            state: t.state.as_str().to_string(),
            is_open: t.is_open(),
            opened_at_us: t.opened_at_us,
            due_at_us: due_us(t, &targets),
            dispatched_at_us: t.first_dispatched_at_us,
            dispatch_met: t.dispatch_target.as_ref().map(|d| d.met),
        })
        .collect();
    let runs = state
        .runs
        .iter()
        .filter(|(_, r)| r.seqs.last().is_some_and(|s| *s > after))
        .map(|(n, r)| emergency_row(state, *n, r))
        .collect();
    (tickets, runs)
}

fn emergency_row(state: &State, number: u64, r: &Run) -> EmergencyRow {
    let severity = state
        .ticket(&r.ticket.0)
        .map(|t| i32::from(t.priority.0))
        .unwrap_or(1);
    EmergencyRow {
        number: number as i64,
        id: r.id.clone(),
        plan: r.plan.clone(),
        name_en: r.name_en.clone(),
        name_zh: r.name_zh.clone(),
        location: r.location.clone(),
        ticket: r.ticket.0.clone(),
        severity,
        started_at_us: r.started_at_us,
        closed_at_us: r.closed_at_us,
    }
}
