//! Which records an export covers (`--shift current|last|ID|all`), and the desk
//! as it stood at the end of them.
//!
//! A shift's export is rebuilt from the log alone: the state is folded from the
//! first record up to the shift's last one, so exporting shift 3 next month gives
//! the same files as the handover that ended it did.

use std::collections::BTreeMap;
use std::str::FromStr;

use crate::domain::{Event, Missing};
use crate::error::DeskError;
use crate::seam::DeskApi;
use crate::state::{Shift, State, Ticket};
use crate::store::{Hash, Record};

/// What `--shift` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// The open shift, up to now.
    Current,
    /// The most recent shift that has been handed over.
    Last,
    Id(u64),
    /// The whole log.
    All,
}

impl FromStr for Selection {
    type Err = DeskError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "current" => Ok(Selection::Current),
            "last" => Ok(Selection::Last),
            "all" => Ok(Selection::All),
            t => t
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .map(Selection::Id)
                .ok_or_else(|| {
                    DeskError::invalid(
                        "--shift",
                        format!(
                        "'{}' is not a shift: use current, last, all, or a shift number such as 3",
                        crate::domain::text::shown(s)
                    ),
                    )
                }),
        }
    }
}

/// The seqs an export covers, and the shift they belong to (none for `all`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub shift: Option<u64>,
    pub first: u64,
    pub last: u64,
}

/// Resolves a selection against the current state.
pub fn resolve(state: &State, sel: Selection) -> Result<Span, DeskError> {
    let shift = match sel {
        Selection::All => {
            return Ok(Span {
                shift: None,
                first: 1,
                last: state.seq,
            })
        }
        Selection::Current => state
            .shifts
            .current()
            .ok_or(DeskError::NotFound(Missing::NoOpenShift))?,
        Selection::Last => state
            .shifts
            .last_ended()
            .ok_or(DeskError::NotFound(Missing::NoEndedShift))?,
        Selection::Id(n) => state
            .shifts
            .get(n)
            .ok_or(DeskError::NotFound(Missing::Shift {
                shift: n,
                count: state.shifts.all.len(),
            }))?,
    };
    Ok(Span {
        shift: Some(shift.id),
        first: shift.first_seq,
        last: if shift.ended_at_us.is_some() {
            shift.last_seq
        } else {
            state.seq
        },
    })
}

/// The records of a span and the desk as it stood after the last of them.
#[derive(Debug, Clone)]
pub struct Slice {
    pub span: Span,
    pub records: Vec<Record>,
    /// The log folded up to `span.last`.
    pub state: State,
    /// The moment the slice describes: the handover for an ended shift, else now.
    pub until_us: i64,
}

impl Slice {
    /// Folds `records` (from the start of the log, in order) up to `span.last`,
    /// keeping those from `span.first` on. `now_us` is used for an open shift.
    pub fn build(
        span: Span,
        records: impl IntoIterator<Item = Result<Record, DeskError>>,
        now_us: i64,
    ) -> Result<Slice, DeskError> {
        let mut state = State::new();
        let mut kept = Vec::new();
        let ended_shift = |state: &State| {
            span.shift.filter(|id| {
                state
                    .shifts
                    .get(*id)
                    .is_some_and(|s| s.ended_at_us.is_some())
            })
        };
        for rec in records {
            let rec = rec?;
            if rec.body.seq > span.last {
                // After an ended shift, only the incoming operator's signature is
                // read on: the report a manager files is the signed one.
                let Some(id) = ended_shift(&state) else {
                    break;
                };
                if let Event::HandoverAccepted { shift, .. } = &rec.body.event {
                    if state.shifts.successor(id).map(|n| n.id) == Some(*shift) {
                        if let Some(n) = state.shifts.get_mut(*shift) {
                            n.accepted = true;
                            n.accepted_at_us = Some(rec.body.at_us);
                        }
                        break;
                    }
                }
                continue;
            }
            state.apply(&rec);
            if rec.body.seq >= span.first {
                kept.push(rec);
            }
        }
        let ended = span
            .shift
            .and_then(|id| state.shifts.get(id))
            .and_then(|s| s.ended_at_us);
        let until_us = ended.unwrap_or(now_us).max(state.last_at_us);
        Ok(Slice {
            span,
            records: kept,
            state,
            until_us,
        })
    }

    /// The shift the slice covers, as it stood at its end.
    pub fn shift(&self) -> Option<&Shift> {
        self.state.shifts.get(self.span.shift?)
    }

    /// The shift it was handed over to, if it was.
    pub fn next_shift(&self) -> Option<&Shift> {
        self.state.shifts.successor(self.span.shift?)
    }

    /// The last record of the slice: what a report prints to anchor the chain.
    pub fn head(&self) -> Option<(u64, Hash)> {
        self.records.last().map(|r| (r.body.seq, r.hash))
    }

    /// What happened to each ticket in the slice, in order ("opened", "dispatched"…).
    pub fn actions(&self) -> BTreeMap<u64, Vec<&'static str>> {
        let mut out: BTreeMap<u64, Vec<&'static str>> = BTreeMap::new();
        for r in &self.records {
            if let Some(id) = r.body.event.ticket() {
                out.entry(id.number())
                    .or_default()
                    .push(action_name(r.body.event.type_name()));
            }
        }
        out
    }

    /// Tickets touched in the slice (opened, moved or noted) or still open at its end.
    pub fn touched_tickets(&self) -> Vec<&Ticket> {
        let (first, last) = (self.span.first, self.span.last);
        self.state
            .tickets
            .values()
            .map(|t| &**t)
            .filter(|t| t.is_open() || t.seqs.iter().any(|s| (first..=last).contains(s)))
            .collect()
    }
}

fn action_name(type_name: &'static str) -> &'static str {
    match type_name {
        "ticket_opened" => "opened",
        "ticket_dispatched" => "dispatched",
        "ticket_started" => "started",
        "ticket_done" => "done",
        "callback_recorded" => "callback",
        "ticket_closed" => "closed",
        "ticket_cancelled" => "cancelled",
        "ticket_noted" => "note",
        "emergency_started" => "emergency",
        other => other,
    }
}

/// Reads the span from the desk and builds its slice.
pub fn load(api: &mut dyn DeskApi, sel: Selection, now_us: i64) -> Result<Slice, DeskError> {
    let snap = api.snapshot()?;
    let span = resolve(&snap.state, sel)?;
    let mut records = Vec::new();
    let mut from = 1;
    // Past the span too: an ended shift's report carries the signature that followed it.
    while from <= snap.state.seq {
        let batch = api.records(from, 65_536)?;
        let Some(last) = batch.last() else { break };
        from = last.body.seq + 1;
        records.extend(batch);
    }
    Slice::build(span, records.into_iter().map(Ok), now_us)
}
