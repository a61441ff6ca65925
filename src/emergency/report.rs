//! The major-incident report (重大事件报告) of one run, as Markdown in both
//! languages: what, where, when, each step with its time and operator, the
//! deadlines, the notes, the linked ticket's timeline and the log records it
//! rests on. A pure function of the state and the records: the caller writes it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::FixedOffset;

use crate::config::plans::role_label;
use crate::display::short_duration;
use crate::domain::{Bilingual, Event};
use crate::emergency::view::{Deadline, RunView};
use crate::error::DeskError;
use crate::state::{Run, State, StepState};
use crate::store::record::{hex, time_of};
use crate::store::Record;

/// The log records a report of `run` rests on: the run's own and its ticket's.
pub fn record_seqs(state: &State, run: &Run) -> Vec<u64> {
    let mut seqs: Vec<u64> = run.seqs.clone();
    if let Some(t) = state.ticket(&run.ticket.0) {
        seqs.extend(&t.seqs);
    }
    seqs.sort_unstable();
    seqs.dedup();
    seqs
}

/// Renders the report of run `run_id`. `records` should hold the records named by
/// [`record_seqs`] (others are ignored); `now_us` is when it is written; times are
/// shown at `offset` (the site's local time) with the offset printed.
pub fn render(
    state: &State,
    run_id: &str,
    records: &[Record],
    now_us: i64,
    offset: FixedOffset,
) -> Result<String, DeskError> {
    let run = state.find_run(run_id)?;
    let wanted = record_seqs(state, run);
    let records: BTreeMap<u64, &Record> = records
        .iter()
        .filter(|r| wanted.binary_search(&r.body.seq).is_ok())
        .map(|r| (r.body.seq, r))
        .collect();
    let view = RunView::at(run, now_us);
    let when = |us: i64| {
        time_of(us)
            .with_timezone(&offset)
            .format("%Y-%m-%d %H:%M:%S %:z")
            .to_string()
    };
    let since = |us: i64| {
        format!(
            "+{}",
            short_duration((us - run.started_at_us).max(0) / 1_000_000)
        )
    };
    let mut md = String::new();
    let w = &mut md;

    let _ = writeln!(
        w,
        "# Major incident report 重大事件报告: {} {} {}\n",
        run.id, run.name_en, run.name_zh
    );
    if run.is_active() {
        let _ = writeln!(
            w,
            "> **Interim report 中期报告**: the emergency is still active at {}. 截至{}事件仍在处理中。\n",
            when(now_us),
            when(now_us)
        );
    }
    let _ = writeln!(w, "| | |\n|---|---|");
    let row = |w: &mut String, label: &str, value: &str| {
        let _ = writeln!(w, "| {label} | {} |", cell(value));
    };
    if !state.site.is_empty() {
        row(w, "Site 项目", &state.site);
    }
    row(
        w,
        "What 事件",
        &format!("{} {} (`{}`)", run.name_en, run.name_zh, run.plan),
    );
    row(w, "Where 地点", run.location.as_deref().unwrap_or("-"));
    row(
        w,
        "Started 开始",
        &format!("{} by 由 {}", when(run.started_at_us), run.started_by),
    );
    match run.closed_at_us {
        Some(at) => row(w, "Closed 结束", &when(at)),
        None => row(w, "Closed 结束", "still active 仍在处理"),
    }
    row(w, "Duration 历时", &short_duration(view.elapsed_seconds));
    row(w, "Ticket 工单", &ticket_line(state, run));
    row(
        w,
        "Steps 步骤",
        &format!(
            "{} done 完成, {} skipped 跳过, {} pending 未完成 (of 共 {})",
            view.count(StepState::Done),
            view.count(StepState::Skipped),
            view.count(StepState::Pending),
            view.steps.len()
        ),
    );
    let missed = view.missed_deadlines();
    row(
        w,
        "Deadlines missed 超时",
        &if missed.is_empty() {
            "none 无".to_string()
        } else {
            missed
                .iter()
                .map(|n| format!("step 第{n}步"))
                .collect::<Vec<_>>()
                .join(", ")
        },
    );
    row(w, "Written 报告时间", &when(now_us));

    let _ = writeln!(w, "\n## Steps 处置步骤\n");
    for s in &view.steps {
        let p = s.progress;
        let _ = writeln!(
            w,
            "### {}. {}{}\n\n{}\n",
            s.n,
            line(&s.step.en),
            if s.step.critical {
                " **(critical 关键)**"
            } else {
                ""
            },
            line(&s.step.zh)
        );
        let role = role_label(&s.step.role);
        let mut who = format!("- Who 负责: {}", role.both());
        if let Some(c) = &s.step.contact {
            let _ = write!(
                who,
                "; contact 联系: {c} {}",
                s.step
                    .contact_phone
                    .as_deref()
                    .unwrap_or("(no number 无号码)")
            );
        }
        let _ = writeln!(w, "{who}");
        let state_text = match p.state {
            StepState::Pending => "**pending 未完成**".to_string(),
            StepState::Done => "done 已完成".to_string(),
            StepState::Skipped if p.overridden => "**skipped by override 越权跳过**".to_string(),
            StepState::Skipped => "skipped 已跳过".to_string(),
        };
        match (p.at_us, &p.operator) {
            (Some(at), Some(op)) => {
                let _ = writeln!(
                    w,
                    "- State 状态: {state_text} at {} ({}) by 操作人 {}",
                    when(at),
                    since(at),
                    line(op)
                );
            }
            _ => {
                let _ = writeln!(w, "- State 状态: {state_text}");
            }
        }
        if let (Some(en), Some(zh)) = (&s.step.record_en, &s.step.record_zh) {
            let _ = writeln!(
                w,
                "- {} {}: {}",
                en,
                zh,
                p.value
                    .as_deref()
                    .map(line)
                    .unwrap_or_else(|| "not recorded 未记录".into())
            );
        } else if let Some(v) = &p.value {
            let _ = writeln!(w, "- Value 记录值: {}", line(v));
        }
        if let Some(r) = &p.reason {
            let _ = writeln!(w, "- Reason 原因: {}", line(r));
        }
        if let Some(n) = &p.note {
            let _ = writeln!(w, "- Note 备注: {}", line(n));
        }
        if let (Some(d), Some(min)) = (s.deadline, s.step.deadline_minutes) {
            let _ = writeln!(
                w,
                "- Deadline 时限: {min} min 分钟 (due 应于 {}): {}",
                when(d.due_us()),
                deadline_text(d, run.is_active())
            );
        }
        let _ = writeln!(w);
    }

    let _ = writeln!(w, "## Deadlines 时限\n");
    let with_deadline: Vec<_> = view.steps.iter().filter(|s| s.deadline.is_some()).collect();
    if with_deadline.is_empty() {
        let _ = writeln!(w, "This plan sets no deadlines. 本预案未设时限。\n");
    } else {
        let _ = writeln!(
            w,
            "| Step 步骤 | Limit 时限 | Due 应于 | Outcome 结果 |\n|---|---|---|---|"
        );
        for s in with_deadline {
            if let (Some(d), Some(min)) = (s.deadline, s.step.deadline_minutes) {
                let _ = writeln!(
                    w,
                    "| {} | {min} min 分钟 | {} | {} |",
                    s.n,
                    when(d.due_us()),
                    deadline_text(d, run.is_active())
                );
            }
        }
        let _ = writeln!(w);
    }

    let _ = writeln!(w, "## Notes 备注\n");
    if run.notes.is_empty() {
        let _ = writeln!(w, "None. 无。\n");
    } else {
        for n in &run.notes {
            let _ = writeln!(
                w,
                "- {} ({}) {}: {}",
                when(n.at_us),
                since(n.at_us),
                line(&n.operator),
                line(&n.text)
            );
        }
        let _ = writeln!(w);
    }

    let _ = writeln!(w, "## Timeline 经过 (run and ticket 应急与工单)\n");
    for r in records.values() {
        let b = &r.body;
        let _ = writeln!(
            w,
            "- {} ({}) #{} {}: {}",
            when(b.at_us),
            since(b.at_us),
            b.seq,
            line(&b.operator),
            describe(&b.event)
        );
    }
    let missing = wanted.len() - records.len();
    if missing > 0 {
        let _ = writeln!(
            w,
            "- ({missing} record(s) were not available to this report 条记录缺失)"
        );
    }

    let _ = writeln!(w, "\n## Log records 日志记录\n");
    match (records.values().next(), records.values().next_back()) {
        (Some(first), Some(last)) => {
            let _ = writeln!(
                w,
                "This report rests on {} records of the hash-chained log, #{} to #{}; the hash of #{} is `{}`. \
                 `dutydesk verify` on an export of the log checks them.\n\
                 本报告依据日志第{}至{}号共{}条记录；第{}号记录哈希如上，可用导出文件核验。\n",
                records.len(),
                first.body.seq,
                last.body.seq,
                last.body.seq,
                hex(&last.hash),
                first.body.seq,
                last.body.seq,
                records.len(),
                last.body.seq
            );
        }
        _ => {
            let _ = writeln!(w, "No records were available. 无可用记录。\n");
        }
    }

    let _ = writeln!(
        w,
        "## Signatures 签字\n\n\
         - Operator on duty 值班人员: ______________________  Date 日期: __________\n\
         - Duty manager 值班经理: ______________________  Date 日期: __________\n\
         - Site manager 管理处经理: ______________________  Date 日期: __________"
    );
    Ok(md)
}

fn ticket_line(state: &State, run: &Run) -> String {
    match state.ticket(&run.ticket.0) {
        Some(t) => format!(
            "{} P{} {}, {}: {}",
            t.id,
            t.priority.0,
            t.kind.label().both(),
            t.state.label().both(),
            t.summary
        ),
        None => run.ticket.0.clone(),
    }
}

fn deadline_text(d: Deadline, active: bool) -> String {
    let dur = |s: i64| short_duration(s);
    match d {
        Deadline::Met { seconds, .. } => format!(
            "met, {} early 按时完成（提前{}）",
            dur(seconds),
            dur(seconds)
        ),
        Deadline::Missed { seconds, .. } => {
            format!(
                "**missed**, done {} late **超时**{}完成",
                dur(seconds),
                dur(seconds)
            )
        }
        Deadline::Overdue { seconds, .. } if active => {
            format!(
                "**overdue** by {} and still pending **已超时**{}，仍未完成",
                dur(seconds),
                dur(seconds)
            )
        }
        Deadline::Overdue { seconds, .. } => format!(
            "**missed**: closed {} past it without the step **超时**：结束时超时{}仍未完成",
            dur(seconds),
            dur(seconds)
        ),
        Deadline::Running { seconds, .. } if active => {
            format!(
                "running, {} left 进行中，剩余{}",
                dur(seconds),
                dur(seconds)
            )
        }
        Deadline::Running { .. } => {
            "not reached: closed before it, step not done 未到期即结束，该步未完成".into()
        }
        Deadline::Skipped { .. } => "step skipped 该步已跳过".into(),
    }
}

/// One line of the timeline, in both languages.
pub fn describe(e: &Event) -> String {
    let both = |b: Bilingual| b.both();
    let opt = |n: &Option<String>| {
        n.as_deref()
            .map(|t| format!(": {}", line(t)))
            .unwrap_or_default()
    };
    match e {
        Event::TicketOpened {
            id,
            kind,
            priority,
            unit,
            summary,
            ..
        } => format!(
            "ticket {id} opened 开单, P{} {} at {}: {}",
            priority.0,
            both(kind.label()),
            line(unit),
            line(summary)
        ),
        Event::TicketDispatched { id, to, note, .. } => {
            format!("{id} dispatched to 派至 {}{}", both(to.label()), opt(note))
        }
        Event::TicketStarted { id } => format!("{id} work started 已开工"),
        Event::TicketDone { id, note } => format!("{id} done 完工{}", opt(note)),
        Event::CallbackRecorded {
            id,
            satisfied,
            note,
        } => format!(
            "{id} callback 回访: {}{}",
            if *satisfied {
                "satisfied 满意"
            } else {
                "unsatisfied 不满意"
            },
            opt(note)
        ),
        Event::TicketClosed { id, note } => format!("{id} closed 关闭{}", opt(note)),
        Event::TicketCancelled { id, reason } => {
            format!("{id} cancelled 取消: {}", line(reason))
        }
        Event::TicketNoted { id, text } => format!("{id} note 备注: {}", line(text)),
        Event::EmergencyStarted {
            run,
            name_en,
            name_zh,
            ticket,
            ..
        } => format!("{run} started 启动预案: {name_en} {name_zh}, ticket 工单 {ticket}"),
        Event::EmergencyStepDone {
            run,
            step,
            value,
            note,
        } => format!(
            "{run} step {step} done 第{step}步完成{}{}",
            value
                .as_deref()
                .map(|v| format!(", value 记录值 {}", line(v)))
                .unwrap_or_default(),
            opt(note)
        ),
        Event::EmergencyStepSkipped {
            run,
            step,
            reason,
            overridden,
            ..
        } => format!(
            "{run} step {step} skipped 第{step}步跳过{}: {}",
            if *overridden {
                " (override 越权)"
            } else {
                ""
            },
            line(reason)
        ),
        Event::EmergencyNoted { run, text } => format!("{run} note 备注: {}", line(text)),
        Event::EmergencyClosed { run } => format!("{run} closed 应急结束"),
        Event::IncidentReportWritten { run, path } => {
            format!("{run} report written 报告已生成: {}", line(path))
        }
        other => other.type_name().to_string(),
    }
}

/// Free text on one line, so an operator's text cannot break the Markdown layout.
fn line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text for a table cell: one line, with `|` escaped.
fn cell(s: &str) -> String {
    line(s).replace('|', "\\|")
}
