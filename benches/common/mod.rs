//! Shared by the benches: a tiny percentile harness and realistic records.
#![allow(dead_code)]

use std::time::Duration;

use dutydesk::domain::{Department, Event, Kind, Priority, TicketId};
use dutydesk::store::Body;

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// The `i`-th event of an endless evening: each ticket is opened, dispatched,
/// started, done, called back and closed (six records a ticket).
pub fn event(i: u64) -> Event {
    let n = i / 6 + 1;
    let id = TicketId::new(Kind::Repair, n);
    match i % 6 {
        0 => Event::TicketOpened {
            id,
            kind: Kind::Repair,
            priority: Priority(2),
            unit: format!("{}-{:02}{:02}", n % 6 + 1, n % 18 + 1, n % 4 + 1),
            caller: Some("陈建国".into()),
            phone: Some("13812345678".into()),
            summary: "卫生间天花板漏水，楼上可能水管爆裂".into(),
            related: None,
        },
        1 => Event::TicketDispatched {
            id,
            to: Department::Engineering,
            note: Some("张师傅".into()),
            target: None,
        },
        2 => Event::TicketStarted { id },
        3 => Event::TicketDone {
            id,
            note: Some("换了密封圈".into()),
        },
        4 => Event::CallbackRecorded {
            id,
            satisfied: true,
            note: None,
        },
        _ => Event::TicketClosed { id, note: None },
    }
}

pub fn body(i: u64, at_us: i64) -> Body {
    Body {
        seq: 0,
        at_us,
        operator: "王军".into(),
        unix_user: "wang".into(),
        shift: 1,
        request: None,
        event: event(i),
    }
}
