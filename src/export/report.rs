//! The handover report (交接班记录) as Markdown: what the outgoing operator leaves,
//! what the incoming one reads and signs, and what the site manager reads in the
//! morning. A pure function of the slice, so the dashboard can preview it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::TimeZone;

use crate::config::site::Targets;
use crate::display::short_duration;
use crate::domain::{Event, Kind, TicketState};
use crate::export::local_time;
use crate::export::shift::Slice;
use crate::state::{Run, StepState, Ticket};
use crate::store::record::hex;

const TIME: &str = "%Y-%m-%d %H:%M";
const CLOCK: &str = "%H:%M";

/// Renders the report of a slice. `targets` gives the dispatch and callback targets.
pub fn render<Tz: TimeZone>(slice: &Slice, targets: &Targets, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let mut o = String::new();
    header(&mut o, slice, tz);
    open_tickets(&mut o, slice);
    overdue_callbacks(&mut o, slice, targets, tz);
    emergencies(&mut o, slice, tz);
    counts(&mut o, slice, targets);
    chain_head(&mut o, slice);
    signatures(&mut o, slice, tz);
    o
}

/// Text safe inside a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn header<Tz: TimeZone>(o: &mut String, slice: &Slice, tz: &Tz)
where
    Tz::Offset: std::fmt::Display,
{
    let t = |at: i64| local_time(at, tz, TIME);
    let _ = writeln!(o, "# 交接班记录 Shift handover record\n");
    let site = if slice.state.site.is_empty() {
        "-"
    } else {
        &slice.state.site
    };
    let Some(shift) = slice.shift() else {
        let _ = writeln!(o, "**{}** · 全部记录 Whole log\n", cell(site));
        let _ = writeln!(o, "| | |\n|---|---|");
        let _ = writeln!(o, "| 截至 As of | {} |", t(slice.until_us));
        let _ = writeln!(
            o,
            "| 记录 Records | {}–{} ({}) |\n",
            slice.span.first,
            slice.span.last,
            slice.records.len()
        );
        return;
    };
    let _ = writeln!(
        o,
        "**{}** · 第 {} 班 Shift {}\n",
        cell(site),
        shift.id,
        shift.id
    );
    let next = slice.next_shift();
    let _ = writeln!(o, "| | |\n|---|---|");
    let _ = writeln!(o, "| 交班人 Outgoing | {} |", cell(&shift.operator));
    let incoming = match next {
        Some(n) if n.accepted => format!(
            "{} (已签 signed {})",
            cell(&n.operator),
            n.accepted_at_us.map(t).unwrap_or_default()
        ),
        Some(n) => format!("{} (待签 awaiting signature)", cell(&n.operator)),
        None => "— (本班未交 not handed over yet)".into(),
    };
    let _ = writeln!(o, "| 接班人 Incoming | {incoming} |");
    if let Some(from) = &shift.from_operator {
        let _ = writeln!(
            o,
            "| 接自 Took over from | {} (第 {} 班 shift {}) |",
            cell(from),
            shift.from_shift.unwrap_or(0),
            shift.from_shift.unwrap_or(0)
        );
    }
    let _ = writeln!(o, "| 开始 Started | {} |", t(shift.started_at_us));
    let end = match shift.ended_at_us {
        Some(e) => format!(
            "{} ({})",
            t(e),
            short_duration(crate::clock::seconds_between(shift.started_at_us, e))
        ),
        None => format!("— (截至 as of {})", t(slice.until_us)),
    };
    let _ = writeln!(o, "| 交班时间 Handed over | {end} |");
    let _ = writeln!(
        o,
        "| 记录 Records | {}–{} ({}) |\n",
        slice.span.first,
        slice.span.last,
        slice.records.len()
    );
    if let Some(n) = next {
        let _ = writeln!(o, "## 交班留言 Outgoing note\n");
        let _ = writeln!(
            o,
            "{}\n",
            n.handover_note.as_deref().unwrap_or("（无 none）")
        );
        if let Some(why) = &n.handover_override {
            let _ = writeln!(
                o,
                "**带理由交班 Handed over despite warnings:** {}\n",
                cell(why)
            );
        }
        for r in &n.refusals {
            let _ = writeln!(
                o,
                "**拒签 Refused** {} by {}: {}\n",
                t(r.at_us),
                cell(&r.by),
                cell(&r.reason)
            );
        }
    }
}

/// What the ticket waits for next, in both languages.
pub fn awaited(t: &Ticket) -> &'static str {
    match t.state {
        TicketState::New => "派工 dispatch",
        TicketState::Dispatched => "部门到场 department to start",
        TicketState::InProgress => "完工 work to be done",
        TicketState::Done if t.awaits_callback() => "回访 callback",
        TicketState::Done => "关闭 closing",
        TicketState::Closed | TicketState::Cancelled => "-",
    }
}

fn open_tickets(o: &mut String, slice: &Slice) {
    let mut open: Vec<&Ticket> = slice.state.open_tickets().collect();
    open.sort_by_key(|t| (t.priority, t.opened_at_us));
    let _ = writeln!(o, "## 未结工单 Open tickets ({})\n", open.len());
    if open.is_empty() {
        let _ = writeln!(o, "（无 none）\n");
        return;
    }
    let _ = writeln!(
        o,
        "| 编号 ID | 级 P | 类别 Kind | 房号 Unit | 状态 State | 时长 Age | 部门 Dept | 待办 Awaiting | 摘要 Summary |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|---|---|---|");
    for t in open {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            t.id,
            t.priority.0,
            t.kind.label().both(),
            cell(&t.unit),
            t.state.label().both(),
            short_duration(crate::clock::seconds_between(
                t.opened_at_us,
                slice.until_us
            )),
            t.department
                .map(|d| d.label().both())
                .unwrap_or_else(|| "-".into()),
            awaited(t),
            cell(&t.summary)
        );
    }
    let _ = writeln!(o);
}

fn overdue_callbacks<Tz: TimeZone>(o: &mut String, slice: &Slice, targets: &Targets, tz: &Tz)
where
    Tz::Offset: std::fmt::Display,
{
    let limit = i64::from(targets.callback_minutes) * 60_000_000;
    let overdue: Vec<&Ticket> = slice
        .state
        .open_tickets()
        .filter(|t| t.awaits_callback())
        .filter(|t| t.done_at_us.is_some_and(|d| slice.until_us - d > limit))
        .collect();
    let _ = writeln!(
        o,
        "## 超时未回访 Overdue callbacks ({}; 目标 target {} min)\n",
        overdue.len(),
        targets.callback_minutes
    );
    if overdue.is_empty() {
        let _ = writeln!(o, "（无 none）\n");
        return;
    }
    let _ = writeln!(
        o,
        "| 编号 ID | 房号 Unit | 完工 Done at | 超时 Overdue by | 摘要 Summary |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|");
    for t in overdue {
        let done = t.done_at_us.unwrap_or(t.opened_at_us);
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            t.id,
            cell(&t.unit),
            local_time(done, tz, TIME),
            short_duration((slice.until_us - done - limit) / 1_000_000),
            cell(&t.summary)
        );
    }
    let _ = writeln!(o);
}

/// Runs of the slice: started or moved in it, or still active at its end.
fn runs_of(slice: &Slice) -> Vec<&Run> {
    let (first, last) = (slice.span.first, slice.span.last);
    slice
        .state
        .runs
        .values()
        .filter(|r| r.is_active() || r.seqs.iter().any(|s| (first..=last).contains(s)))
        .collect()
}

fn emergencies<Tz: TimeZone>(o: &mut String, slice: &Slice, tz: &Tz)
where
    Tz::Offset: std::fmt::Display,
{
    let runs = runs_of(slice);
    let _ = writeln!(o, "## 应急事件 Emergencies ({})\n", runs.len());
    if runs.is_empty() {
        let _ = writeln!(o, "（无 none）\n");
        return;
    }
    for r in runs {
        let status = match (r.closed_at_us, &r.report) {
            (None, _) => "进行中 ACTIVE".to_string(),
            (Some(c), Some(_)) => format!(
                "已结束 closed {}, 已报告 report written",
                local_time(c, tz, CLOCK)
            ),
            (Some(c), None) => format!(
                "已结束 closed {}, **未写事件报告 NO INCIDENT REPORT**",
                local_time(c, tz, CLOCK)
            ),
        };
        let _ = writeln!(
            o,
            "### {} {} {} — {}\n",
            r.id,
            cell(&r.name_zh),
            cell(&r.name_en),
            cell(r.location.as_deref().unwrap_or("-"))
        );
        let _ = writeln!(
            o,
            "开始 Started {} by {} · 工单 ticket {} · {status}\n",
            local_time(r.started_at_us, tz, TIME),
            cell(&r.started_by),
            r.ticket
        );
        let _ = writeln!(
            o,
            "| # | 步骤 Step | 状态 State | 时间 Time | 人 By | 记录 Record |"
        );
        let _ = writeln!(o, "|---|---|---|---|---|---|");
        for (i, (s, p)) in r.steps.iter().zip(&r.progress).enumerate() {
            let state = match p.state {
                StepState::Done => "✓ done",
                StepState::Skipped if p.overridden => "跳过 skipped (override)",
                StepState::Skipped => "跳过 skipped",
                StepState::Pending if s.critical => "**待办 PENDING (critical)**",
                StepState::Pending => "待办 pending",
            };
            let record = [p.value.as_deref(), p.reason.as_deref(), p.note.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("; ");
            let _ = writeln!(
                o,
                "| {} | {} {} | {} | {} | {} | {} |",
                i + 1,
                cell(&s.zh),
                cell(&s.en),
                state,
                p.at_us
                    .map(|a| local_time(a, tz, CLOCK))
                    .unwrap_or_else(|| "-".into()),
                cell(p.operator.as_deref().unwrap_or("-")),
                cell(&record)
            );
        }
        for n in &r.notes {
            let _ = writeln!(
                o,
                "\n- {} {}: {}",
                local_time(n.at_us, tz, CLOCK),
                cell(&n.operator),
                cell(&n.text)
            );
        }
        let _ = writeln!(o);
    }
}

/// The median of some durations in seconds (the lower middle for an even count).
pub fn median(mut v: Vec<i64>) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    Some(v[(v.len() - 1) / 2])
}

fn counts(o: &mut String, slice: &Slice, targets: &Targets) {
    let mut calls: BTreeMap<Kind, u64> = BTreeMap::new();
    let mut dispatch: BTreeMap<Kind, (Vec<i64>, u64)> = BTreeMap::new();
    let (mut satisfied, mut unsatisfied, mut closed) = (0u64, 0u64, 0u64);
    let kind_of =
        |id: &crate::domain::TicketId| slice.state.tickets.get(&id.number()).map(|t| t.kind);
    for r in &slice.records {
        match &r.body.event {
            Event::TicketOpened { kind, .. } => *calls.entry(*kind).or_default() += 1,
            Event::TicketDispatched {
                id,
                target: Some(x),
                ..
            } => {
                if let Some(k) = kind_of(id) {
                    let e = dispatch.entry(k).or_default();
                    e.0.push(x.actual_seconds);
                    e.1 += u64::from(x.met);
                }
            }
            Event::CallbackRecorded { satisfied: s, .. } => {
                if *s {
                    satisfied += 1
                } else {
                    unsatisfied += 1
                }
            }
            Event::TicketClosed { .. } => closed += 1,
            _ => {}
        }
    }
    let _ = writeln!(o, "## 本班统计 Counts\n");
    let _ = writeln!(o, "| 类别 Kind | 来电 Calls |\n|---|---|");
    for k in Kind::ALL {
        let _ = writeln!(
            o,
            "| {} | {} |",
            k.label().both(),
            calls.get(&k).copied().unwrap_or(0)
        );
    }
    let _ = writeln!(o, "| 合计 Total | {} |\n", calls.values().sum::<u64>());
    let _ = writeln!(
        o,
        "| 类别 Kind | 派工 Dispatched | 派工中位时间 Median time to dispatch | 目标 Target | 达标 Within target |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|");
    for (k, minutes) in &targets.dispatch_minutes {
        let (times, met) = dispatch.remove(k).unwrap_or_default();
        let n = times.len();
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} min | {} |",
            k.label().both(),
            n,
            median(times)
                .map(short_duration)
                .unwrap_or_else(|| "-".into()),
            minutes,
            if n == 0 {
                "-".to_string()
            } else {
                format!("{met}/{n}")
            }
        );
    }
    let _ = writeln!(
        o,
        "\n回访 Callbacks: {} (满意 satisfied {satisfied}, 不满意 unsatisfied {unsatisfied}) · 关闭 Closed: {closed}\n",
        satisfied + unsatisfied
    );
}

fn chain_head(o: &mut String, slice: &Slice) {
    let _ = writeln!(o, "## 链头 Chain head\n");
    match slice.head() {
        Some((seq, hash)) => {
            let _ = writeln!(o, "记录 Record **{seq}** · SHA-256 `{}`\n", hex(&hash));
            let _ = writeln!(
                o,
                "This hash pins every record up to {seq}. `dutydesk verify` on this shift's .jsonl must end with it; \
                 the store's record {seq} must carry it. 此哈希锁定第 {seq} 条及之前的全部记录。\n"
            );
        }
        None => {
            let _ = writeln!(o, "（无记录 no records）\n");
        }
    }
}

fn signatures<Tz: TimeZone>(o: &mut String, slice: &Slice, tz: &Tz)
where
    Tz::Offset: std::fmt::Display,
{
    let t = |at: i64| local_time(at, tz, TIME);
    let blank = (
        "____________________".to_string(),
        "________________".to_string(),
    );
    // Who signed in the log, and when: the handover for the outgoing operator,
    // the acceptance for the incoming one. Blank lines to sign on paper otherwise.
    let (out, out_sig) = match slice.shift() {
        Some(s) => (
            s.operator.clone(),
            s.ended_at_us
                .map(|e| (format!("{} (已交班 handed over)", s.operator), t(e)))
                .unwrap_or_else(|| blank.clone()),
        ),
        None => (String::new(), blank.clone()),
    };
    let (inc, inc_sig) = match slice.next_shift() {
        Some(n) => (
            n.operator.clone(),
            match (n.accepted, n.accepted_at_us) {
                (true, Some(at)) => (format!("{} (已签收 signed)", n.operator), t(at)),
                _ => blank.clone(),
            },
        ),
        None => (String::new(), blank),
    };
    let _ = writeln!(o, "## 签字 Signatures\n");
    // Plain lines, not a table: they print with room to sign, rendered or raw.
    let _ = writeln!(
        o,
        "交班人 Outgoing: {out}\u{3000}\u{3000}签字 Signature: {}\u{3000}\u{3000}时间 Time: {}\n",
        out_sig.0, out_sig.1
    );
    let _ = writeln!(
        o,
        "接班人 Incoming: {inc}\u{3000}\u{3000}签字 Signature: {}\u{3000}\u{3000}时间 Time: {}",
        inc_sig.0, inc_sig.1
    );
}
