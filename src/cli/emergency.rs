//! `dutydesk emergency …`: run an emergency plan step by step from the command
//! line, and write its major-incident report. Names are fixed: scripts use them.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{FixedOffset, Offset};
use clap::Subcommand;
use serde_json::{json, Value};

use crate::cli::warn;
use crate::config::plans::role_label;
use crate::display::{fit, short_duration};
use crate::domain::{Command, Event, Lang, StepAction};
use crate::emergency::view::{Deadline, RunView, StepView};
use crate::error::DeskError;
use crate::seam::DeskApi;
use crate::state::StepState;
use crate::store::record::time_of;

#[derive(Debug, Subcommand)]
pub enum EmergencyCmd {
    /// The plans this desk knows: built in, and the site's own from DATA/checklists.
    Kinds {
        #[arg(long)]
        json: bool,
    },
    /// Start a plan; prints the run id alone on stdout.
    ///
    /// Opens a new priority-1 emergency ticket, or links the run to --ticket.
    Start {
        /// The plan id, as `emergency kinds` lists them (e.g. elevator-entrapment).
        kind: String,
        /// Where: a unit, a lift, a place.
        #[arg(long)]
        location: Option<String>,
        /// Link the run to this open ticket instead of opening a new one.
        #[arg(long)]
        ticket: Option<String>,
    },
    /// Mark step N (counting from 1) done, or skip it with a reason.
    Step {
        run: String,
        n: u32,
        #[arg(long, conflicts_with = "skip", required_unless_present = "skip")]
        done: bool,
        #[arg(long)]
        skip: bool,
        /// Why the step is skipped (needed with --skip).
        #[arg(long, conflicts_with = "done")]
        reason: Option<String>,
        /// Skip a critical step (needs a reason; the duty manager's call where roles are set).
        #[arg(long = "override", conflicts_with = "done")]
        over_ride: bool,
        #[arg(long)]
        note: Option<String>,
        /// The value the step asks for (e.g. how many people are trapped).
        #[arg(long, conflicts_with = "skip")]
        value: Option<String>,
    },
    /// Add a note to a run, at any time.
    Note { run: String, text: String },
    /// One run: every step with its state, time, operator and deadline.
    Show {
        run: String,
        #[arg(long)]
        json: bool,
    },
    /// The active runs.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Close a run (refused while a critical step is pending).
    Close { run: String },
    /// Have the desk write the major-incident report (重大事件报告) as Markdown
    /// into DATA/reports/<start date>-<RUN>.md; prints its path.
    ///
    /// --out FILE also writes a copy there (the record names the desk's file).
    Report {
        run: String,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Runs one `emergency` subcommand.
pub fn run(
    api: &mut dyn DeskApi,
    cmd: &EmergencyCmd,
    lang: Lang,
    data: &Path,
) -> Result<i32, DeskError> {
    let clock = crate::clock::from_env().map_err(|e| DeskError::invalid("DUTYDESK_NOW", e))?;
    let now_us = clock.now().timestamp_micros();
    match cmd {
        EmergencyCmd::Kinds { json } => kinds(api, *json, lang),
        EmergencyCmd::Start {
            kind,
            location,
            ticket,
        } => start(api, kind, location, ticket, lang),
        EmergencyCmd::Step {
            run,
            n,
            done,
            reason,
            over_ride,
            note,
            value,
            ..
        } => {
            let action = if *done {
                StepAction::Done {
                    value: value.clone(),
                }
            } else {
                StepAction::Skip {
                    reason: reason.clone().unwrap_or_default(),
                    over_ride: *over_ride,
                }
            };
            step(api, run, *n, action, note.clone(), lang)
        }
        EmergencyCmd::Note { run, text } => {
            let id = submit_on_run(
                api,
                Command::EmergencyNote {
                    run: run.clone(),
                    text: text.clone(),
                },
                run,
            )?;
            say(&match lang {
                Lang::En => format!("{id} note added"),
                Lang::Zh => format!("{id} 已添加备注"),
            });
            Ok(0)
        }
        EmergencyCmd::Show { run, json } => {
            let snap = api.snapshot()?;
            let r = snap.state.find_run(run)?;
            let view = RunView::at(r, now_us);
            if *json {
                say(&view.to_json().to_string());
            } else {
                say(&show_text(&view, lang));
            }
            Ok(0)
        }
        EmergencyCmd::List { json } => {
            let snap = api.snapshot()?;
            let views: Vec<RunView> = snap
                .state
                .active_runs()
                .map(|r| RunView::at(r, now_us))
                .collect();
            if *json {
                let arr: Vec<Value> = views.iter().map(RunView::to_json).collect();
                say(&Value::Array(arr).to_string());
            } else {
                say(&list_text(&views, lang));
            }
            Ok(0)
        }
        EmergencyCmd::Close { run } => {
            let id = submit_on_run(api, Command::EmergencyClose { run: run.clone() }, run)?;
            say(&match lang {
                Lang::En => {
                    format!("{id} closed; write its report with `dutydesk emergency report {id}`")
                }
                Lang::Zh => format!("{id} 已结束；请用 `dutydesk emergency report {id}` 生成报告"),
            });
            Ok(0)
        }
        EmergencyCmd::Report { run, out } => write_report(api, run, out.as_ref(), data),
    }
}

fn say(text: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{}", text.trim_end());
}

/// The offset of this machine's local time now: reports and screens show site time.
fn local_offset() -> FixedOffset {
    chrono::Local::now().offset().fix()
}

fn hm(at_us: i64) -> String {
    time_of(at_us)
        .with_timezone(&local_offset())
        .format("%H:%M:%S")
        .to_string()
}

fn kinds(api: &mut dyn DeskApi, json: bool, lang: Lang) -> Result<i32, DeskError> {
    let snap = api.snapshot()?;
    for (plan, contact) in snap.plans.unknown_contacts(&snap.site) {
        warn(&[crate::domain::Warning::UnknownContact {
            plan: plan.to_string(),
            contact: contact.to_string(),
        }]);
    }
    if json {
        let arr: Vec<Value> = snap
            .plans
            .all
            .iter()
            .map(|p| {
                json!({
                    "id": p.id,
                    "name_en": p.name_en,
                    "name_zh": p.name_zh,
                    "steps": p.steps.iter().enumerate().map(|(i, s)| json!({
                        "n": i + 1,
                        "en": s.en,
                        "zh": s.zh,
                        "critical": s.critical,
                        "role": s.role,
                        "contact": s.contact,
                        "phone": s.contact.as_deref().and_then(|c| snap.site.contact(c)).map(|c| c.phone.clone()),
                        "deadline_minutes": s.deadline_minutes,
                        "record_en": s.record_en,
                        "record_zh": s.record_zh,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        say(&Value::Array(arr).to_string());
        return Ok(0);
    }
    let mut out = String::new();
    for p in &snap.plans.all {
        let critical = p.steps.iter().filter(|s| s.critical).count();
        let name = match lang {
            Lang::En => format!("{} {}", p.name_en, p.name_zh),
            Lang::Zh => format!("{} {}", p.name_zh, p.name_en),
        };
        let counts = match lang {
            Lang::En => format!("{} steps, {critical} critical", p.steps.len()),
            Lang::Zh => format!("{}步，关键{critical}步", p.steps.len()),
        };
        out.push_str(&format!("{} {} {counts}\n", fit(&p.id, 20), fit(&name, 36)));
    }
    say(&out);
    Ok(0)
}

fn start(
    api: &mut dyn DeskApi,
    kind: &str,
    location: &Option<String>,
    ticket: &Option<String>,
    lang: Lang,
) -> Result<i32, DeskError> {
    let c = api.submit(
        Command::EmergencyStart {
            plan: kind.to_string(),
            location: location.clone(),
            ticket: ticket.clone(),
        },
        None,
    )?;
    warn(&c.warnings);
    let Some((run, ticket, first)) = c.records.iter().find_map(|r| match &r.body.event {
        Event::EmergencyStarted {
            run, ticket, steps, ..
        } => Some((run.clone(), ticket.0.clone(), steps.first().cloned())),
        _ => None,
    }) else {
        return Err(DeskError::Internal(
            "the run was recorded but its id was not returned".into(),
        ));
    };
    // The id alone on stdout for scripts; the first step on stderr for the operator.
    say(&run);
    if let Some(s) = first {
        let text = match lang {
            Lang::En => &s.en,
            Lang::Zh => &s.zh,
        };
        let _ = writeln!(
            std::io::stderr(),
            "{run} {} {ticket}; 1. {text}",
            match lang {
                Lang::En => "started, ticket",
                Lang::Zh => "已启动，工单",
            }
        );
    }
    Ok(0)
}

fn step(
    api: &mut dyn DeskApi,
    run: &str,
    n: u32,
    action: StepAction,
    note: Option<String>,
    lang: Lang,
) -> Result<i32, DeskError> {
    let done = matches!(action, StepAction::Done { .. });
    let c = api.submit(
        Command::EmergencyStep {
            run: run.to_string(),
            step: n,
            action,
            note,
        },
        None,
    )?;
    warn(&c.warnings);
    let snap = api.snapshot()?;
    let r = snap.state.find_run(run)?;
    let what = match (lang, done) {
        (Lang::En, true) => "done",
        (Lang::En, false) => "skipped",
        (Lang::Zh, true) => "已完成",
        (Lang::Zh, false) => "已跳过",
    };
    let next = match r.current_step() {
        Some(k) => {
            let s = &r.steps[k as usize - 1];
            match lang {
                Lang::En => format!("next: {k}. {}", s.en),
                Lang::Zh => format!("下一步：{k}. {}", s.zh),
            }
        }
        None => match lang {
            Lang::En => format!(
                "every step handled: close with `dutydesk emergency close {}`",
                r.id
            ),
            Lang::Zh => format!(
                "全部步骤已处理：用 `dutydesk emergency close {}` 结束",
                r.id
            ),
        },
    };
    say(&match lang {
        Lang::En => format!("{} step {n} {what}; {next}", r.id),
        Lang::Zh => format!("{} 第{n}步{what}；{next}", r.id),
    });
    Ok(0)
}

fn deadline_short(d: Deadline, lang: Lang) -> String {
    let t = short_duration(d.seconds());
    match (lang, d) {
        (Lang::En, Deadline::Running { .. }) => format!("{t} left"),
        (Lang::En, Deadline::Overdue { .. }) => format!("OVERDUE {t}"),
        (Lang::En, Deadline::Met { .. }) => format!("met ({t} early)"),
        (Lang::En, Deadline::Missed { .. }) => format!("MISSED ({t} late)"),
        (Lang::En, Deadline::Skipped { .. }) => "skipped".into(),
        (Lang::Zh, Deadline::Running { .. }) => format!("剩余{t}"),
        (Lang::Zh, Deadline::Overdue { .. }) => format!("已超时{t}"),
        (Lang::Zh, Deadline::Met { .. }) => format!("按时（提前{t}）"),
        (Lang::Zh, Deadline::Missed { .. }) => format!("超时（晚{t}）"),
        (Lang::Zh, Deadline::Skipped { .. }) => "已跳过".into(),
    }
}

fn step_line(s: &StepView, lang: Lang) -> String {
    let p = s.progress;
    let mark = match p.state {
        StepState::Pending => "[ ]",
        StepState::Done => "[x]",
        StepState::Skipped => "[-]",
    };
    let text = match lang {
        Lang::En => &s.step.en,
        Lang::Zh => &s.step.zh,
    };
    let mut line = format!(
        "{}{mark} {:>2}{} {}",
        if s.current { ">" } else { " " },
        s.n,
        if s.step.critical { "*" } else { " " },
        text
    );
    let mut extra = Vec::new();
    extra.push(role_label(&s.step.role).get(lang).to_string());
    if let Some(c) = &s.step.contact {
        extra.push(format!(
            "{} {c} {}",
            match lang {
                Lang::En => "call",
                Lang::Zh => "联系",
            },
            s.step.contact_phone.as_deref().unwrap_or("?")
        ));
    }
    if let (Some(d), Some(m)) = (s.deadline, s.step.deadline_minutes) {
        extra.push(format!(
            "{} {m}m: {}",
            match lang {
                Lang::En => "deadline",
                Lang::Zh => "时限",
            },
            deadline_short(d, lang)
        ));
    }
    if let (Some(at), Some(op)) = (p.at_us, &p.operator) {
        extra.push(format!("{} {op}", hm(at)));
    }
    if let Some(v) = &p.value {
        let label = match lang {
            Lang::En => s.step.record_en.as_deref().unwrap_or("value"),
            Lang::Zh => s.step.record_zh.as_deref().unwrap_or("记录值"),
        };
        extra.push(format!("{label}: {v}"));
    }
    if let Some(r) = &p.reason {
        let label = match (lang, p.overridden) {
            (Lang::En, true) => "override, reason",
            (Lang::En, false) => "reason",
            (Lang::Zh, true) => "越权跳过，原因",
            (Lang::Zh, false) => "原因",
        };
        extra.push(format!("{label}: {r}"));
    }
    if let Some(n) = &p.note {
        extra.push(format!(
            "{}: {n}",
            match lang {
                Lang::En => "note",
                Lang::Zh => "备注",
            }
        ));
    }
    line.push_str(&format!("\n         {}", extra.join(" · ")));
    line
}

fn header(v: &RunView, lang: Lang) -> String {
    let r = v.run;
    let name = match lang {
        Lang::En => format!("{} {}", r.name_en, r.name_zh),
        Lang::Zh => format!("{} {}", r.name_zh, r.name_en),
    };
    let state = match (lang, r.is_active()) {
        (Lang::En, true) => "active",
        (Lang::En, false) => "closed",
        (Lang::Zh, true) => "进行中",
        (Lang::Zh, false) => "已结束",
    };
    let missed = v.missed_deadlines();
    let (elapsed, ticket, at, missed_label) = match lang {
        Lang::En => ("elapsed", "ticket", "at", "deadlines missed"),
        Lang::Zh => ("历时", "工单", "地点", "超时步骤"),
    };
    let mut h = format!(
        "{} {name} [{state}] {ticket} {}{} · {elapsed} {} · {}/{}",
        r.id,
        r.ticket.0,
        r.location
            .as_deref()
            .map(|l| format!(" · {at} {l}"))
            .unwrap_or_default(),
        short_duration(v.elapsed_seconds),
        v.steps.len() - v.count(StepState::Pending),
        v.steps.len()
    );
    if !missed.is_empty() {
        let list: Vec<String> = missed.iter().map(u32::to_string).collect();
        h.push_str(&format!(" · {missed_label}: {}", list.join(", ")));
    }
    h
}

fn show_text(v: &RunView, lang: Lang) -> String {
    let r = v.run;
    let mut out = header(v, lang);
    out.push_str(&format!(
        "\n{} {} {}\n",
        match lang {
            Lang::En => "started",
            Lang::Zh => "开始于",
        },
        hm(r.started_at_us),
        r.started_by
    ));
    for s in &v.steps {
        out.push_str(&step_line(s, lang));
        out.push('\n');
    }
    for n in &r.notes {
        out.push_str(&format!(
            "  {} {} {}: {}\n",
            match lang {
                Lang::En => "note",
                Lang::Zh => "备注",
            },
            hm(n.at_us),
            n.operator,
            n.text
        ));
    }
    if let Some(p) = &r.report {
        out.push_str(&format!(
            "  {}: {p}\n",
            match lang {
                Lang::En => "report",
                Lang::Zh => "报告",
            }
        ));
    }
    out
}

fn list_text(views: &[RunView], lang: Lang) -> String {
    if views.is_empty() {
        return match lang {
            Lang::En => "No active emergency.".into(),
            Lang::Zh => "没有进行中的应急事件。".into(),
        };
    }
    let mut out = String::new();
    for v in views {
        out.push_str(&header(v, lang));
        out.push('\n');
        if let Some(s) = v.steps.iter().find(|s| s.current) {
            out.push_str(&step_line(s, lang));
            out.push('\n');
        }
    }
    out
}

/// Asks the desk to write and record the report (always `DATA/reports/<start
/// date>-<RUN>.md`); prints that path. `--out FILE` adds a copy for the user,
/// written here: the record names the desk's own file.
fn write_report(
    api: &mut dyn DeskApi,
    run: &str,
    out: Option<&PathBuf>,
    data: &Path,
) -> Result<i32, DeskError> {
    let kept = crate::datadir::DataDir(data.to_path_buf()).kept();
    // A copy the user names is checked before anything is recorded, so a
    // refused path (the store, a device) leaves the log as it was.
    if let Some(copy) = out {
        crate::fsx::guard::check(copy, &kept, "--out")?;
    }
    let c = api.submit(
        Command::EmergencyReport {
            run: run.to_string(),
        },
        None,
    )?;
    warn(&c.warnings);
    let Some((id, path)) = c.records.iter().find_map(|r| match &r.body.event {
        Event::IncidentReportWritten { run, path } => Some((run.clone(), path.clone())),
        _ => None,
    }) else {
        return Err(DeskError::Internal("the report produced no record".into()));
    };
    if let Some(copy) = out {
        let text =
            std::fs::read(&path).map_err(|e| DeskError::storage(&format!("read {path}"), e))?;
        crate::fsx::write_named(copy, &kept, "--out", |w| {
            w.write_all(&text)
                .map_err(|e| DeskError::storage("write the copy of the report", e))
        })?;
    }
    let snap = api.snapshot()?;
    if snap.state.find_run(&id)?.is_active() {
        warn(&[crate::domain::Warning::InterimReport { run: id.clone() }]);
    }
    say(&path);
    if let Some(copy) = out {
        eprintln!("a copy is in {}", copy.display());
    }
    Ok(0)
}

/// Submits a command about a run, shows its warnings, and returns the run's id
/// as the desk recorded it (what the operator typed, if no record names it).
fn submit_on_run(api: &mut dyn DeskApi, cmd: Command, run: &str) -> Result<String, DeskError> {
    let c = api.submit(cmd, None)?;
    warn(&c.warnings);
    Ok(c.records
        .iter()
        .find_map(|r| r.body.event.run())
        .unwrap_or(run)
        .to_string())
}
