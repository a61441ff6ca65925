//! `stats --month YYYY-MM`: the monthly statistics the manuals ask for (月统计分析).
//!
//! The month is the site's local calendar month (midnight on the 1st to midnight
//! on the 1st of the next, in the time zone given, `Local` from the CLI). Every
//! figure is about the tickets whose call came in during the month, followed to
//! where they stand now: a repair called in on the 31st and closed on the 2nd
//! counts in the month it was called in.

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeZone};
use serde_json::{json, Value};

use crate::domain::{Kind, TicketState};
use crate::error::DeskError;
use crate::export::report::median;
use crate::state::State;

/// How many units `top_units` lists.
pub const TOP_UNITS: usize = 5;

#[derive(Debug, Clone, PartialEq)]
pub struct MonthStats {
    pub month: String,
    pub calls: u64,
    pub by_kind: BTreeMap<Kind, u64>,
    /// Tickets by the department they were (last) dispatched to.
    pub by_department: BTreeMap<String, u64>,
    pub repairs_dispatched: u64,
    pub repairs_within_target: u64,
    pub dispatch_within_target_pct: Option<f64>,
    pub median_dispatch_seconds: Option<i64>,
    pub median_close_seconds: Option<i64>,
    pub callbacks_satisfied: u64,
    pub callbacks_unsatisfied: u64,
    pub reopened: u64,
    pub closed: u64,
    pub cancelled: u64,
    pub still_open: u64,
    pub top_units: Vec<(String, u64)>,
}

/// Reads `YYYY-MM`.
pub fn parse_month(text: &str) -> Result<(i32, u32), DeskError> {
    let bad = || {
        DeskError::invalid(
            "--month",
            format!(
                "'{}' is not a month: write it as YYYY-MM, e.g. 2026-11",
                crate::domain::text::shown(text)
            ),
        )
    };
    let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
    let y: i32 = y.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if !(1970..=9999).contains(&y)
        || !(1..=12).contains(&m)
        || NaiveDate::from_ymd_opt(y, m, 1).is_none()
    {
        return Err(bad());
    }
    Ok((y, m))
}

/// Microseconds of local midnight starting the 1st of a month.
fn month_start<Tz: TimeZone>(y: i32, m: u32, tz: &Tz) -> Result<i64, DeskError> {
    let (y, m) = if m > 12 { (y + 1, 1) } else { (y, m) };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|t| tz.from_local_datetime(&t).earliest())
        .map(|t| t.timestamp_micros())
        .ok_or_else(|| DeskError::invalid("--month", format!("{y}-{m:02} has no local midnight")))
}

/// The figures for month `m` of year `y` in time zone `tz`.
pub fn month<Tz: TimeZone>(
    state: &State,
    y: i32,
    m: u32,
    tz: &Tz,
) -> Result<MonthStats, DeskError> {
    let from = month_start(y, m, tz)?;
    let to = month_start(y, m + 1, tz)?;
    let mut s = MonthStats {
        month: format!("{y}-{m:02}"),
        calls: 0,
        by_kind: Kind::ALL.iter().map(|k| (*k, 0)).collect(),
        by_department: BTreeMap::new(),
        repairs_dispatched: 0,
        repairs_within_target: 0,
        dispatch_within_target_pct: None,
        median_dispatch_seconds: None,
        median_close_seconds: None,
        callbacks_satisfied: 0,
        callbacks_unsatisfied: 0,
        reopened: 0,
        closed: 0,
        cancelled: 0,
        still_open: 0,
        top_units: Vec::new(),
    };
    let mut to_dispatch = Vec::new();
    let mut to_close = Vec::new();
    let mut units: BTreeMap<&str, u64> = BTreeMap::new();
    for t in state
        .tickets
        .values()
        .filter(|t| (from..to).contains(&t.opened_at_us))
    {
        s.calls += 1;
        *s.by_kind.entry(t.kind).or_default() += 1;
        if let Some(d) = t.department {
            *s.by_department.entry(d.as_str().to_string()).or_default() += 1;
        }
        if let Some(d) = t.first_dispatched_at_us {
            to_dispatch.push(crate::clock::seconds_between(t.opened_at_us, d));
        }
        if t.kind == Kind::Repair {
            if let Some(x) = &t.dispatch_target {
                s.repairs_dispatched += 1;
                s.repairs_within_target += u64::from(x.met);
            }
        }
        match t.state {
            TicketState::Closed => {
                s.closed += 1;
                if let Some(c) = t.closed_at_us {
                    to_close.push(crate::clock::seconds_between(t.opened_at_us, c));
                }
            }
            TicketState::Cancelled => s.cancelled += 1,
            _ => s.still_open += 1,
        }
        s.callbacks_satisfied += u64::from(t.callbacks_satisfied);
        s.callbacks_unsatisfied += u64::from(t.callbacks_unsatisfied);
        s.reopened += u64::from(t.reopen_count > 0);
        if t.unit != "-" {
            *units.entry(t.unit.as_str()).or_default() += 1;
        }
    }
    if s.repairs_dispatched > 0 {
        let pct = s.repairs_within_target as f64 * 100.0 / s.repairs_dispatched as f64;
        s.dispatch_within_target_pct = Some((pct * 10.0).round() / 10.0);
    }
    s.median_dispatch_seconds = median(to_dispatch);
    s.median_close_seconds = median(to_close);
    let mut top: Vec<(String, u64)> = units.into_iter().map(|(u, n)| (u.to_string(), n)).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    top.truncate(TOP_UNITS);
    s.top_units = top;
    Ok(s)
}

impl MonthStats {
    pub fn to_json(&self) -> Value {
        json!({
            "month": self.month,
            "calls": self.calls,
            "by_kind": self.by_kind.iter().map(|(k, n)| (k.as_str().to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
            "by_department": self.by_department,
            "repairs_dispatched": self.repairs_dispatched,
            "repairs_within_target": self.repairs_within_target,
            "dispatch_within_target_pct": self.dispatch_within_target_pct,
            "median_dispatch_seconds": self.median_dispatch_seconds,
            "median_close_seconds": self.median_close_seconds,
            "callbacks_satisfied": self.callbacks_satisfied,
            "callbacks_unsatisfied": self.callbacks_unsatisfied,
            "reopened": self.reopened,
            "closed": self.closed,
            "cancelled": self.cancelled,
            "still_open": self.still_open,
            "top_units": self.top_units.iter().map(|(u, n)| json!({"unit": u, "calls": n})).collect::<Vec<_>>(),
        })
    }

    /// The figures as lines for a person, in both languages.
    pub fn render(&self) -> String {
        use crate::display::short_duration;
        let dur = |s: Option<i64>| s.map(short_duration).unwrap_or_else(|| "-".into());
        let mut o = format!("月统计 Monthly statistics {}\n", self.month);
        o += &format!("来电 Calls: {}\n", self.calls);
        for (k, n) in &self.by_kind {
            o += &format!("  {}: {n}\n", k.label().both());
        }
        o += "按部门 By department:\n";
        if self.by_department.is_empty() {
            o += "  -\n";
        }
        for (d, n) in &self.by_department {
            let label = d
                .parse::<crate::domain::Department>()
                .map(|x| x.label().both())
                .unwrap_or_else(|_| d.clone());
            o += &format!("  {label}: {n}\n");
        }
        o += &format!(
            "报修派工达标 Repairs dispatched within target: {}/{} ({})\n",
            self.repairs_within_target,
            self.repairs_dispatched,
            self.dispatch_within_target_pct
                .map(|p| format!("{p}%"))
                .unwrap_or_else(|| "-".into())
        );
        o += &format!(
            "派工中位时间 Median time to dispatch: {}\n",
            dur(self.median_dispatch_seconds)
        );
        o += &format!(
            "关闭中位时间 Median time to close: {}\n",
            dur(self.median_close_seconds)
        );
        o += &format!(
            "回访 Callbacks: 满意 satisfied {}, 不满意 unsatisfied {}\n",
            self.callbacks_satisfied, self.callbacks_unsatisfied
        );
        o += &format!(
            "重开工单 Reopened tickets: {} · 关闭 closed {} · 取消 cancelled {} · 未结 still open {}\n",
            self.reopened, self.closed, self.cancelled, self.still_open
        );
        o += "来电最多的房号 Top units by calls:\n";
        if self.top_units.is_empty() {
            o += "  -\n";
        }
        for (u, n) in &self.top_units {
            o += &format!("  {u}: {n}\n");
        }
        o
    }
}
