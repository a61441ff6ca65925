//! The CSV export: one row per ticket touched in the shift (opened, moved, noted,
//! or still open at its end), for Excel at month end.
//!
//! UTF-8 with a byte-order mark, because Excel opens a CSV without one in the
//! local ANSI code page and shows Chinese as mojibake. Headers carry both
//! languages. Times are in the site's local time, as `YYYY-MM-DD HH:MM:SS`,
//! which Excel reads as a date.

use std::io::Write;

use chrono::TimeZone;

use crate::error::DeskError;
use crate::export::local_time;
use crate::export::shift::Slice;

pub const BOM: &[u8] = b"\xEF\xBB\xBF";

pub const HEADERS: [&str; 19] = [
    "编号 ID",
    "类别 Kind",
    "优先级 Priority",
    "房号 Unit",
    "来电人 Caller",
    "电话 Phone",
    "摘要 Summary",
    "状态 State",
    "部门 Department",
    "来电时间 Opened at",
    "首次派工 First dispatched at",
    "派工用时(秒) Seconds to dispatch",
    "派工达标 Dispatch target met",
    "完工时间 Done at",
    "回访 Callback",
    "关闭时间 Closed at",
    "重开次数 Times reopened",
    "本班动作 Actions in this export",
    "最后备注 Last note",
];

const TIME: &str = "%Y-%m-%d %H:%M:%S";

/// The export's rows, one per ticket touched in the slice, as text in the
/// order of [`HEADERS`]: the CSV and the spreadsheet (`export::xlsx`) write the
/// same cells.
pub fn rows<Tz: TimeZone>(slice: &Slice, tz: &Tz) -> Vec<[String; 19]>
where
    Tz::Offset: std::fmt::Display,
{
    let actions = slice.actions();
    let time = |t: Option<i64>| t.map(|t| local_time(t, tz, TIME)).unwrap_or_default();
    slice
        .touched_tickets()
        .into_iter()
        .map(|t| {
            [
                t.id.0.clone(),
                t.kind.label().both(),
                t.priority.0.to_string(),
                t.unit.clone(),
                t.caller.clone().unwrap_or_default(),
                t.phone.clone().unwrap_or_default(),
                t.summary.clone(),
                t.state.label().both(),
                t.department.map(|d| d.label().both()).unwrap_or_default(),
                time(Some(t.opened_at_us)),
                time(t.first_dispatched_at_us),
                t.first_dispatched_at_us
                    .map(|d| crate::clock::seconds_between(t.opened_at_us, d).to_string())
                    .unwrap_or_default(),
                match &t.dispatch_target {
                    Some(x) if x.met => "是 yes".into(),
                    Some(_) => "否 no".into(),
                    None => String::new(),
                },
                time(t.done_at_us),
                match t.callback {
                    Some(true) => "满意 satisfied".into(),
                    Some(false) => "不满意 unsatisfied".into(),
                    None if t.awaits_callback() => "待回访 awaited".into(),
                    None => String::new(),
                },
                if t.state == crate::domain::TicketState::Closed {
                    time(t.closed_at_us)
                } else {
                    String::new()
                },
                t.reopen_count.to_string(),
                actions
                    .get(&t.id.number())
                    .map(|a| a.join(" "))
                    .unwrap_or_default(),
                t.notes.last().map(|n| n.text.clone()).unwrap_or_default(),
            ]
        })
        .collect()
}

/// Writes the slice's tickets as CSV (BOM first). Returns the number of rows.
pub fn write<Tz: TimeZone>(out: &mut impl Write, slice: &Slice, tz: &Tz) -> Result<u64, DeskError>
where
    Tz::Offset: std::fmt::Display,
{
    let fail = |e: &dyn std::fmt::Display| DeskError::storage("write the CSV export", e);
    out.write_all(BOM).map_err(|e| fail(&e))?;
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(HEADERS).map_err(|e| fail(&e))?;
    let mut n = 0;
    for row in rows(slice, tz) {
        w.write_record(&row).map_err(|e| fail(&e))?;
        n += 1;
    }
    w.flush().map_err(|e| fail(&e))?;
    Ok(n)
}
