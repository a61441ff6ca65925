//! The desk's state: a fold of the log. Nothing here is stored; it is rebuilt by
//! replaying records, and `apply` is the only way it changes.

pub mod checkpoint;
pub mod clock;
pub mod diff;
pub mod runs;
pub mod shifts;
pub mod tickets;

use std::collections::{BTreeMap, HashMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::domain::{Event, TicketId, TicketState};
use crate::store::Record;
pub use runs::{Run, StepProgress, StepState};
pub use shifts::{Refusal, Shift, Shifts};
pub use tickets::{Call, Due, Note, Promise, Ticket};

/// How many recent idempotency keys are remembered for retried submissions.
const REMEMBERED_REQUESTS: usize = 10_000;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub site: String,
    /// Tickets by number (the number inside the id is unique). Boxed: a map node
    /// then holds 16-byte entries instead of 330-byte tickets, and the nodes a
    /// fold leaves half full (sequential inserts split them 6/5) waste little; at a
    /// year of data this saves ~40 MB.
    pub tickets: BTreeMap<u64, Box<Ticket>>,
    pub shifts: Shifts,
    /// Emergency runs by number (`EM3` is 3).
    pub runs: BTreeMap<u64, Run>,
    /// The last record folded in.
    pub seq: u64,
    pub last_at_us: i64,
    pub clock: clock::ClockTrack,
    requests: HashMap<String, (u64, u64)>,
    request_order: VecDeque<String>,
}

impl State {
    pub fn new() -> State {
        State::default()
    }

    /// Whether nothing has been recorded yet.
    pub fn store_is_new(&self) -> bool {
        self.seq == 0
    }

    pub fn ticket(&self, id_text: &str) -> Option<&Ticket> {
        self.tickets
            .get(&TicketId::number_of(id_text)?)
            .map(|t| &**t)
    }

    pub fn run(&self, id_text: &str) -> Option<&Run> {
        self.runs.get(&run_number(id_text)?)
    }

    /// The run `id` names, or the error a user sees for one that does not exist.
    pub fn find_run(&self, id: &str) -> Result<&Run, crate::error::DeskError> {
        self.run(id).ok_or_else(|| {
            crate::error::DeskError::NotFound(crate::domain::Missing::Run {
                id: id.trim().to_string(),
            })
        })
    }

    pub fn next_ticket_number(&self) -> u64 {
        self.tickets.keys().next_back().map(|n| n + 1).unwrap_or(1)
    }

    pub fn next_run_number(&self) -> u64 {
        self.runs.keys().next_back().map(|n| n + 1).unwrap_or(1)
    }

    pub fn open_tickets(&self) -> impl Iterator<Item = &Ticket> {
        self.tickets.values().map(|t| &**t).filter(|t| t.is_open())
    }

    /// How many calls came from this unit, or from this phone (by digits), at
    /// `since_us` or later: first calls and further calls alike, each counted once.
    /// The one count every panel shows, so "calls in the last 30 days" agree.
    pub fn calls_from(&self, unit: Option<&str>, phone: Option<&str>, since_us: i64) -> usize {
        let unit = unit.map(str::trim).filter(|u| !u.is_empty());
        let phone = phone.filter(|p| !crate::domain::phone_digits(p).is_empty());
        let digits = phone.map(crate::domain::phone_digits);
        self.tickets
            .values()
            .map(|t| {
                let by_unit = unit.is_some_and(|u| t.unit.eq_ignore_ascii_case(u));
                let first = by_unit
                    || digits.as_deref().is_some_and(|d| {
                        t.phone
                            .as_deref()
                            .is_some_and(|p| crate::domain::phone_digits(p) == d)
                    });
                let mut n = usize::from(first && t.opened_at_us >= since_us);
                n += t
                    .calls
                    .iter()
                    .filter(|c| c.at_us >= since_us)
                    .filter(|c| {
                        by_unit
                            || digits.as_deref().is_some_and(|d| {
                                c.phone
                                    .as_deref()
                                    .is_some_and(|p| crate::domain::phone_digits(p) == d)
                            })
                    })
                    .count();
                n
            })
            .sum()
    }

    /// The open ticket a call from this unit or phone is most likely about (the
    /// newest), for the call form to offer "add the call to it".
    pub fn open_ticket_for(&self, unit: Option<&str>, phone: Option<&str>) -> Option<&Ticket> {
        let unit = unit.map(str::trim).filter(|u| !u.is_empty());
        self.open_tickets()
            .filter(|t| {
                unit.is_some_and(|u| t.unit.eq_ignore_ascii_case(u))
                    || phone.is_some_and(|p| t.called_from(p))
            })
            .max_by_key(|t| t.opened_at_us)
    }

    /// A ticket's summary as a screen of `lang` shows it. A ticket a run opened
    /// was summarised with the plan's names in both languages ("Elevator
    /// entrapment 电梯困人"); it reads by the plan's name in `lang` alone.
    pub fn summary<'a>(&'a self, t: &'a Ticket, lang: crate::domain::Lang) -> &'a str {
        let opened_by_run = self
            .runs
            .values()
            .find(|r| r.ticket == t.id && t.summary == format!("{} {}", r.name_en, r.name_zh));
        match (opened_by_run, lang) {
            (Some(r), crate::domain::Lang::En) => &r.name_en,
            (Some(r), crate::domain::Lang::Zh) => &r.name_zh,
            (None, _) => &t.summary,
        }
    }

    pub fn active_runs(&self) -> impl Iterator<Item = &Run> {
        self.runs.values().filter(|r| r.is_active())
    }

    /// The records (first and last seq) an earlier submission with this key produced.
    pub fn request(&self, key: &str) -> Option<(u64, u64)> {
        self.requests.get(key).copied()
    }

    /// Folds one record in. Records come from the verified log in order, so this
    /// trusts them; an event about something unknown is passed over, not a panic.
    pub fn apply(&mut self, rec: &Record) {
        let b = &rec.body;
        let at = b.at_us;
        self.seq = b.seq;
        self.last_at_us = at;
        self.clock.follow(at);
        if let Some(key) = &b.request {
            self.remember_request(key, b.seq);
        }
        if let Some(shift) = self.shifts.get_mut(b.shift) {
            shift.last_seq = b.seq;
        }
        let seq = b.seq;
        match &b.event {
            Event::StoreCreated { site } => self.site = site.clone(),
            Event::TicketOpened {
                id,
                kind,
                priority,
                unit,
                caller,
                phone,
                summary,
                related,
            } => {
                self.tickets.insert(
                    id.number(),
                    Box::new(Ticket {
                        id: id.clone(),
                        kind: *kind,
                        priority: *priority,
                        unit: unit.clone(),
                        caller: caller.clone(),
                        anonymous: false,
                        phone: phone.clone(),
                        summary: summary.clone(),
                        department: None,
                        state: TicketState::New,
                        opened_at_us: at,
                        updated_at_us: at,
                        opened_by: b.operator.clone(),
                        opened_in_shift: b.shift,
                        reopen_count: 0,
                        notes: Vec::new(),
                        related: related.clone(),
                        first_dispatched_at_us: None,
                        dispatch_target: None,
                        done_at_us: None,
                        closed_at_us: None,
                        callback: None,
                        callbacks_satisfied: 0,
                        callbacks_unsatisfied: 0,
                        seqs: vec![seq],
                        run: None,
                        calls: Vec::new(),
                        reopened_at_us: None,
                    }),
                );
            }
            Event::TicketDispatched {
                id,
                to,
                note,
                target,
            } => self.with_ticket(id, seq, at, |t| {
                t.state = TicketState::Dispatched;
                t.department = Some(*to);
                if t.first_dispatched_at_us.is_none() {
                    t.first_dispatched_at_us = Some(at);
                    t.dispatch_target = target.clone();
                }
                push_note(t, note, at, &b.operator);
            }),
            Event::TicketStarted { id } => self.with_ticket(id, seq, at, |t| {
                t.state = TicketState::InProgress;
            }),
            Event::TicketDone { id, note } => self.with_ticket(id, seq, at, |t| {
                t.state = TicketState::Done;
                t.done_at_us = Some(at);
                t.callback = None;
                push_note(t, note, at, &b.operator);
            }),
            Event::CallbackRecorded {
                id,
                satisfied,
                note,
            } => self.with_ticket(id, seq, at, |t| {
                if *satisfied {
                    t.callback = Some(true);
                    t.callbacks_satisfied += 1;
                } else {
                    // The resident is not satisfied: back to the start, counted as a reopen.
                    t.callbacks_unsatisfied += 1;
                    t.callback = None;
                    t.state = TicketState::New;
                    t.reopen_count += 1;
                    t.done_at_us = None;
                    t.reopened_at_us = Some(at);
                }
                push_note(t, note, at, &b.operator);
            }),
            Event::TicketClosed { id, note } => self.with_ticket(id, seq, at, |t| {
                t.state = TicketState::Closed;
                t.closed_at_us = Some(at);
                push_note(t, note, at, &b.operator);
            }),
            Event::TicketCancelled { id, reason } => self.with_ticket(id, seq, at, |t| {
                t.state = TicketState::Cancelled;
                t.closed_at_us = Some(at);
                push_note(t, &Some(reason.clone()), at, &b.operator);
            }),
            Event::TicketNoted { id, text } => self.with_ticket(id, seq, at, |t| {
                push_note(t, &Some(text.clone()), at, &b.operator);
            }),
            // Counted as a call, and kept as a note so every surface that lists
            // notes shows it.
            Event::CallAdded {
                id,
                caller,
                phone,
                note,
            } => self.with_ticket(id, seq, at, |t| {
                t.calls.push(Call {
                    at_us: at,
                    operator: b.operator.clone(),
                    caller: caller.clone(),
                    phone: phone.clone(),
                    note: note.clone(),
                });
                let who = [caller.as_deref(), phone.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                let text = match note {
                    Some(n) if who.is_empty() => n.clone(),
                    Some(n) => format!("{who}: {n}"),
                    None => who,
                };
                if !text.is_empty() {
                    push_note(t, &Some(text), at, &b.operator);
                }
            }),
            Event::ShiftStarted { shift, operator } => {
                // The first shift also holds the store's opening record, so its
                // export verifies from the start of the log.
                let first_seq = if self.shifts.all.is_empty() { 1 } else { seq };
                self.shifts.all.push(Shift {
                    id: *shift,
                    operator: operator.clone(),
                    started_at_us: at,
                    from_shift: None,
                    from_operator: None,
                    handover_note: None,
                    handover_override: None,
                    accepted: true,
                    accepted_at_us: Some(at),
                    refusals: Vec::new(),
                    ended_at_us: None,
                    first_seq,
                    last_seq: seq,
                    exports: Vec::new(),
                    withdrawn: false,
                });
            }
            Event::HandoverOffered {
                from_shift,
                to_shift,
                to,
                note,
                override_reason,
            } => {
                let from_operator = self.shifts.get(*from_shift).map(|s| s.operator.clone());
                if let Some(s) = self.shifts.get_mut(*from_shift) {
                    s.ended_at_us = Some(at);
                    s.last_seq = seq;
                    // Files of an earlier, withdrawn handover describe less than this one.
                    s.exports.clear();
                }
                self.shifts.all.push(Shift {
                    id: *to_shift,
                    operator: to.clone(),
                    started_at_us: at,
                    from_shift: Some(*from_shift),
                    from_operator,
                    handover_note: note.clone(),
                    handover_override: override_reason.clone(),
                    accepted: false,
                    accepted_at_us: None,
                    refusals: Vec::new(),
                    ended_at_us: None,
                    first_seq: seq + 1,
                    last_seq: seq,
                    exports: Vec::new(),
                    withdrawn: false,
                });
            }
            Event::HandoverAccepted { shift, .. } => {
                if let Some(s) = self.shifts.get_mut(*shift) {
                    s.accepted = true;
                    s.accepted_at_us = Some(at);
                }
            }
            Event::HandoverRefused { shift, by, reason } => {
                if let Some(s) = self.shifts.get_mut(*shift) {
                    s.refusals.push(Refusal {
                        at_us: at,
                        by: by.clone(),
                        reason: reason.clone(),
                    });
                }
            }
            Event::EmergencyStarted {
                run,
                plan,
                name_en,
                name_zh,
                location,
                ticket,
                steps,
            } => {
                if let Some(n) = run_number(run) {
                    self.runs.insert(
                        n,
                        Run {
                            id: run.clone(),
                            plan: plan.clone(),
                            name_en: name_en.clone(),
                            name_zh: name_zh.clone(),
                            location: location.clone(),
                            ticket: ticket.clone(),
                            progress: steps.iter().map(|_| StepProgress::pending()).collect(),
                            steps: steps.clone(),
                            notes: Vec::new(),
                            started_at_us: at,
                            started_by: b.operator.clone(),
                            shift: b.shift,
                            closed_at_us: None,
                            report: None,
                            seqs: vec![seq],
                        },
                    );
                }
                if let Some(t) = self.tickets.get_mut(&ticket.number()) {
                    t.seqs.push(seq);
                    t.run = Some(run.clone());
                }
            }
            Event::EmergencyStepDone {
                run,
                step,
                value,
                note,
            } => self.with_step(run, *step, seq, |p| {
                p.state = StepState::Done;
                p.at_us = Some(at);
                p.operator = Some(b.operator.clone());
                p.value = value.clone();
                p.note = note.clone();
            }),
            Event::EmergencyStepSkipped {
                run,
                step,
                reason,
                overridden,
                note,
            } => self.with_step(run, *step, seq, |p| {
                p.state = StepState::Skipped;
                p.at_us = Some(at);
                p.operator = Some(b.operator.clone());
                p.reason = Some(reason.clone());
                p.overridden = *overridden;
                p.note = note.clone();
            }),
            Event::EmergencyNoted { run, text } => {
                if let Some(r) = run_number(run).and_then(|n| self.runs.get_mut(&n)) {
                    r.notes.push(Note {
                        at_us: at,
                        operator: b.operator.clone(),
                        text: text.clone(),
                    });
                    r.seqs.push(seq);
                }
            }
            Event::EmergencyClosed { run } => {
                if let Some(r) = run_number(run).and_then(|n| self.runs.get_mut(&n)) {
                    r.closed_at_us = Some(at);
                    r.seqs.push(seq);
                    // Its ticket is measured by its own targets again (the callback).
                    let ticket = r.ticket.number();
                    if let Some(t) = self.tickets.get_mut(&ticket) {
                        if t.run.as_deref() == Some(run.as_str()) {
                            t.run = None;
                        }
                    }
                }
            }
            Event::IncidentReportWritten { run, path } => {
                if let Some(r) = run_number(run).and_then(|n| self.runs.get_mut(&n)) {
                    r.report = Some(path.clone());
                    r.seqs.push(seq);
                }
            }
            Event::CallerAnonymous { id } => self.with_ticket(id, seq, at, |t| {
                t.anonymous = true;
            }),
            Event::HandoverWithdrawn { shift, .. } => {
                let from = self.shifts.get(*shift).and_then(|s| s.from_shift);
                if let Some(s) = self.shifts.get_mut(*shift) {
                    s.withdrawn = true;
                    s.ended_at_us = Some(at);
                }
                // The outgoing shift goes on as if it had not been handed over.
                if let Some(f) = from.and_then(|f| self.shifts.get_mut(f)) {
                    f.ended_at_us = None;
                    f.last_seq = seq;
                }
            }
            Event::ClockJumped { from_us, to_us } => self.clock.jumped(clock::Jump {
                seq,
                at_us: at,
                from_us: *from_us,
                to_us: *to_us,
            }),
            Event::ExportWritten { shift, paths } => {
                if let Some(s) = self.shifts.get_mut(*shift) {
                    s.exports.extend(paths.iter().cloned());
                }
            }
        }
    }

    fn with_ticket(&mut self, id: &TicketId, seq: u64, at: i64, f: impl FnOnce(&mut Ticket)) {
        if let Some(t) = self.tickets.get_mut(&id.number()) {
            f(t);
            t.updated_at_us = at;
            t.seqs.push(seq);
        }
    }

    fn with_step(&mut self, run: &str, step: u32, seq: u64, f: impl FnOnce(&mut StepProgress)) {
        let Some(r) = run_number(run).and_then(|n| self.runs.get_mut(&n)) else {
            return;
        };
        let idx = (step as usize).wrapping_sub(1);
        if let Some(p) = r.progress.get_mut(idx) {
            f(p);
            r.seqs.push(seq);
        }
    }

    fn remember_request(&mut self, key: &str, seq: u64) {
        if let Some(range) = self.requests.get_mut(key) {
            range.1 = seq;
            return;
        }
        self.requests.insert(key.to_string(), (seq, seq));
        self.request_order.push_back(key.to_string());
        if self.request_order.len() > REMEMBERED_REQUESTS {
            if let Some(old) = self.request_order.pop_front() {
                self.requests.remove(&old);
            }
        }
    }
}

fn push_note(t: &mut Ticket, note: &Option<String>, at: i64, operator: &str) {
    if let Some(text) = note {
        t.notes.push(Note {
            at_us: at,
            operator: operator.to_string(),
            text: text.clone(),
        });
    }
}

/// The number in a run id: `EM3`, `em3` and `3` are all run 3.
pub fn run_number(text: &str) -> Option<u64> {
    let t = text.trim();
    let digits = match t.get(..2) {
        Some(prefix) if prefix.eq_ignore_ascii_case("em") => &t[2..],
        _ => t,
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

pub fn run_id(n: u64) -> String {
    format!("EM{n}")
}
