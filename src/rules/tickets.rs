//! The life of a ticket: new → dispatched → in_progress → done → closed, plus
//! cancelled from any open state, and the return call (回访) on a done ticket.

use crate::domain::{Command, Event, Kind, Priority, TargetOutcome, TicketId, TicketState};
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
                return Err(refused(t, "dispatch"));
            }
            // The target is measured from the call (or from the reopen) to the first dispatch.
            let target = if t.first_dispatched_at_us.is_none() {
                ctx.site
                    .targets
                    .dispatch_minutes
                    .get(&t.kind)
                    .map(|&minutes| {
                        let actual_seconds =
                            (ctx.now.timestamp_micros() - t.opened_at_us) / 1_000_000;
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
                return Err(refused(t, "start"));
            }
            Ok(Decision::of(vec![Event::TicketStarted {
                id: t.id.clone(),
            }]))
        }
        Command::Done { id, note } => {
            let t = find(state, id)?;
            if t.state != TicketState::InProgress {
                return Err(refused(t, "done"));
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
                return Err(refused(t, "callback"));
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
                return Err(refused(t, "close"));
            }
            if t.kind.needs_satisfied_callback() && t.callback != Some(true) {
                return Err(DeskError::Refused(format!(
                    "{} is a {} and closes only after a satisfied callback (回访): record it with `callback {} --satisfied` first",
                    t.id, t.kind, t.id
                )));
            }
            Ok(Decision::of(vec![Event::TicketClosed {
                id: t.id.clone(),
                note: optional_text("note", note)?,
            }]))
        }
        Command::Cancel { id, reason } => {
            let t = find(state, id)?;
            if !t.is_open() {
                return Err(refused(t, "cancel"));
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
        return Err(DeskError::invalid(
            "unit",
            "is too long (at most 40 characters)",
        ));
    }
    let summary = required_text("summary", summary)?;
    let priority = match priority {
        Some(p) => Priority::new(p).map_err(|e| DeskError::invalid("priority", e))?,
        None => kind.default_priority(),
    };
    let caller = optional_text("name", caller)?;
    if anonymous && caller.is_some() {
        return Err(DeskError::invalid(
            "name",
            "an anonymous call has no name: leave the name out or drop --anonymous",
        ));
    }
    let phone = match optional_text("phone", phone)? {
        Some(p) => Some(normalize_phone(&p)?),
        None => None,
    };
    let mut warnings = Vec::new();
    if !ctx.site.knows_unit(&unit) {
        warnings.push(format!(
            "'{unit}' is not in the site directory; recorded as given"
        ));
    }
    // A second call about the same unit is linked to its open ticket, not lost as a duplicate.
    let related = state
        .open_tickets()
        .filter(|t| t.unit.eq_ignore_ascii_case(&unit))
        .max_by_key(|t| t.opened_at_us)
        .map(|t| t.id.clone());
    if let Some(r) = &related {
        warnings.push(format!("{unit} already has open ticket {r}; linked to it"));
    }
    let id = TicketId::new(kind, state.next_ticket_number());
    Ok(Decision {
        events: vec![Event::TicketOpened {
            id,
            kind,
            priority,
            unit,
            caller,
            phone,
            summary,
            related,
        }],
        warnings,
    })
}

/// Accepts digits with the usual separators and an optional leading +; 3 to 20 digits.
pub fn normalize_phone(p: &str) -> Result<String, DeskError> {
    let t = p.trim();
    let mut out = String::new();
    for (i, c) in t.chars().enumerate() {
        match c {
            '0'..='9' => out.push(c),
            '+' if i == 0 => out.push(c),
            ' ' | '-' | '(' | ')' | '.' => {}
            _ => {
                return Err(DeskError::invalid(
                    "phone",
                    format!(
                        "'{t}' is not a phone number: use digits, spaces, dashes and a leading +"
                    ),
                ))
            }
        }
    }
    let digits = out.chars().filter(char::is_ascii_digit).count();
    if !(3..=20).contains(&digits) {
        return Err(DeskError::invalid(
            "phone",
            format!("'{t}' is not a phone number: it has {digits} digits (3 to 20 expected)"),
        ));
    }
    Ok(out)
}

pub(crate) fn find<'a>(state: &'a State, id: &str) -> Result<&'a Ticket, DeskError> {
    state.ticket(id).ok_or_else(|| {
        if id.trim().is_empty() {
            DeskError::invalid("id", "a ticket id is needed, like R012")
        } else {
            DeskError::NotFound(format!(
                "no ticket '{}': check the id with `dutydesk tickets --all`",
                id.trim()
            ))
        }
    })
}

/// "R012 is dispatched; cannot close it. Next: start, dispatch, cancel, note."
fn refused(t: &Ticket, what: &str) -> DeskError {
    let moves = t.next_moves();
    let next = if moves.len() <= 1 {
        "nothing but notes: the ticket is finished".to_string()
    } else {
        moves.join(", ")
    };
    DeskError::Refused(format!(
        "{} is {}; it cannot be {}. Allowed next: {next}",
        t.id,
        t.state.as_str().replace('_', " "),
        match what {
            "dispatch" => "dispatched",
            "start" => "started",
            "done" => "marked done",
            "callback" => "called back (a callback is recorded on a done ticket)",
            "close" => "closed",
            "cancel" => "cancelled",
            _ => "changed that way",
        }
    ))
}
