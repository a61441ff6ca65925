//! The ticket commands and the read-only views (tickets, show, log).

use std::io::Write;

use crate::cli::args::{Cmd, DeptArg, KindArg};
use crate::cli::warn;
use crate::display::{fit, short_duration};
use crate::domain::wording::time_left;
use crate::domain::{Command, Department, Kind, Lang};
use crate::error::DeskError;
use crate::export;
use crate::seam::DeskApi;
use crate::state::Ticket;
use crate::store::record::rfc3339;

pub fn kind_of(k: KindArg) -> Kind {
    match k {
        KindArg::Repair => Kind::Repair,
        KindArg::Complaint => Kind::Complaint,
        KindArg::Inquiry => Kind::Inquiry,
        KindArg::Help => Kind::Help,
        KindArg::Emergency => Kind::Emergency,
    }
}

pub fn dept_of(d: DeptArg) -> Department {
    match d {
        DeptArg::Engineering => Department::Engineering,
        DeptArg::Security => Department::Security,
        DeptArg::Cleaning => Department::Cleaning,
        DeptArg::CustomerService => Department::CustomerService,
    }
}

/// Turns a ticket subcommand into a desk command (None for the read-only ones).
pub fn command_of(cmd: &Cmd) -> Option<Command> {
    Some(match cmd {
        Cmd::Call {
            unit,
            kind,
            summary,
            name,
            phone,
            anonymous,
            priority,
        } => Command::Call {
            unit: unit.clone(),
            kind: kind_of(*kind),
            priority: *priority,
            caller: name.clone(),
            phone: phone.clone(),
            summary: summary.clone(),
            anonymous: *anonymous,
        },
        Cmd::Dispatch { id, to, note } => Command::Dispatch {
            id: id.clone(),
            to: dept_of(*to),
            note: note.clone(),
        },
        Cmd::Start { id } => Command::Start { id: id.clone() },
        Cmd::Done { id, note } => Command::Done {
            id: id.clone(),
            note: note.clone(),
        },
        Cmd::Callback {
            id,
            satisfied,
            note,
            ..
        } => Command::Callback {
            id: id.clone(),
            satisfied: *satisfied,
            note: note.clone(),
        },
        Cmd::Close { id, note } => Command::Close {
            id: id.clone(),
            note: note.clone(),
        },
        Cmd::Cancel { id, reason } => Command::Cancel {
            id: id.clone(),
            reason: reason.clone(),
        },
        Cmd::Note { id, text } => Command::Note {
            id: id.clone(),
            text: text.clone(),
        },
        Cmd::Answer { id, note } => Command::Answer {
            id: id.clone(),
            note: note.clone(),
        },
        Cmd::AddCall {
            id,
            name,
            phone,
            note,
        } => Command::AddCall {
            id: id.clone(),
            caller: name.clone(),
            phone: phone.clone(),
            note: note.clone(),
        },
        _ => return None,
    })
}

pub fn run(api: &mut dyn DeskApi, cmd: &Cmd, lang: Lang) -> Result<i32, DeskError> {
    if let Some(command) = command_of(cmd) {
        let committed = api.submit(command, None)?;
        warn(&committed.warnings);
        let mut out = std::io::stdout().lock();
        if matches!(cmd, Cmd::Call { .. }) {
            // Scripts read the id alone from stdout.
            let id = committed
                .records
                .iter()
                .find_map(|r| match &r.body.event {
                    crate::domain::Event::TicketOpened { id, .. } => Some(id.0.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            let _ = writeln!(out, "{id}");
        } else if let Some(last) = committed.records.last() {
            let t = last
                .body
                .event
                .ticket()
                .map(|t| t.0.clone())
                .unwrap_or_default();
            let snap = api.snapshot()?;
            if let Some(t) = snap.state.ticket(&t) {
                let _ = writeln!(out, "{} {}", t.id, t.state.label().get(lang));
            }
        }
        return Ok(0);
    }
    match cmd {
        Cmd::Tickets { all, json } => tickets(api, *all, *json, lang),
        Cmd::Show { id, json } => show(api, id, *json, lang),
        Cmd::Log { json } => log(api, *json),
        _ => Err(DeskError::Internal("unexpected subcommand".into())),
    }
}

fn tickets(api: &mut dyn DeskApi, all: bool, json: bool, lang: Lang) -> Result<i32, DeskError> {
    let snap = api.snapshot()?;
    let list: Vec<&Ticket> = snap
        .state
        .tickets
        .values()
        .map(|t| &**t)
        .filter(|t| all || t.is_open())
        .collect();
    let mut out = std::io::stdout().lock();
    if json {
        let arr: Vec<_> = list.iter().map(|t| export::json::ticket(t)).collect();
        let _ = writeln!(out, "{}", serde_json::Value::Array(arr));
        return Ok(0);
    }
    // Ages from the process's clock (DUTYDESK_NOW in tests), like every other age.
    let now = crate::clock::from_env()
        .map_err(|e| DeskError::invalid("DUTYDESK_NOW", e))?
        .now()
        .timestamp_micros();
    let head = match lang {
        Lang::En => [
            "ID", "P", "KIND", "UNIT", "STATE", "AGE", "DUE", "DEPT", "SUMMARY",
        ],
        Lang::Zh => [
            "编号", "级", "类别", "房号", "状态", "时长", "时限", "部门", "摘要",
        ],
    };
    let widths = [6, 2, 10, 12, 12, 7, 22, 12, 40];
    let line: Vec<String> = head.iter().zip(widths).map(|(h, w)| fit(h, w)).collect();
    let _ = writeln!(out, "{}", line.join(" ").trim_end());
    for t in list {
        let cells = [
            t.id.0.clone(),
            t.priority.0.to_string(),
            t.kind.label().get(lang).to_string(),
            snap.site.place_name(&t.unit, lang),
            t.state.label().get(lang).to_string(),
            short_duration(crate::clock::seconds_between(t.opened_at_us, now)),
            // The promise now measured (the site's targets), as the dashboard shows it.
            t.due(&snap.site.targets)
                .map(|d| {
                    format!(
                        "{} {}",
                        d.promise.label().get(lang),
                        time_left(d.left_seconds(now), lang)
                    )
                })
                .unwrap_or_else(|| "-".into()),
            t.department
                .map(|d| d.label().get(lang).to_string())
                .unwrap_or_else(|| "-".into()),
            snap.state.summary(t, lang).to_string(),
        ];
        let line: Vec<String> = cells.iter().zip(widths).map(|(c, w)| fit(c, w)).collect();
        let _ = writeln!(out, "{}", line.join(" ").trim_end());
    }
    Ok(0)
}

fn show(api: &mut dyn DeskApi, id: &str, json: bool, lang: Lang) -> Result<i32, DeskError> {
    let snap = api.snapshot()?;
    let t = crate::rules::tickets::find(&snap.state, id)?.clone();
    let mut timeline = Vec::new();
    for seq in &t.seqs {
        if let Some(r) = api.records(*seq, 1)?.into_iter().next() {
            timeline.push(r);
        }
    }
    let mut out = std::io::stdout().lock();
    if json {
        let mut v = export::json::ticket(&t);
        v["timeline"] = timeline.iter().map(|r| r.to_json()).collect();
        let _ = writeln!(out, "{v}");
        return Ok(0);
    }
    let _ = writeln!(
        out,
        "{} [{}] P{} {} — {}\n{}: {}\n{}: {} {}",
        t.id,
        t.state.label().get(lang),
        t.priority.0,
        t.kind.label().get(lang),
        t.unit,
        if lang == Lang::Zh {
            "摘要"
        } else {
            "Summary"
        },
        t.summary,
        if lang == Lang::Zh {
            "来电人"
        } else {
            "Caller"
        },
        match (&t.caller, t.anonymous, lang) {
            (Some(c), _, _) => c.as_str(),
            (None, true, Lang::Zh) => "匿名 (来电人不愿留名)",
            (None, true, Lang::En) => "anonymous (declined to give a name)",
            (None, false, _) => "-",
        },
        t.phone.as_deref().unwrap_or(""),
    );
    for r in &timeline {
        let _ = writeln!(
            out,
            "  {}  #{:<6} {:<10} {}",
            rfc3339(r.body.at_us),
            r.body.seq,
            r.body.operator,
            r.body.event.type_name()
        );
    }
    Ok(0)
}

fn log(api: &mut dyn DeskApi, json: bool) -> Result<i32, DeskError> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut from = 1;
    loop {
        let batch = api.records(from, 4096)?;
        if batch.is_empty() {
            break;
        }
        for r in &batch {
            let line = if json {
                r.to_json().to_string()
            } else {
                format!(
                    "{:>6}  {}  {:<10} shift {:<3} {}",
                    r.body.seq,
                    rfc3339(r.body.at_us),
                    r.body.operator,
                    r.body.shift,
                    r.body.event.to_json()
                )
            };
            if writeln!(out, "{line}").is_err() {
                return Ok(0); // the reader went away (a pipe into `head`)
            }
        }
        from = batch.last().map(|r| r.body.seq + 1).unwrap_or(from);
    }
    Ok(0)
}
