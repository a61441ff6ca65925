//! The group view: what the duty office sees, loaded from PostgreSQL with
//! plain SQL. The same model feeds `group status --json` and the dashboard.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::DeskError;
use crate::group::db::{pg_error, redact};

/// Sites with no record for longer than this are listed as silent (minutes).
pub const SILENT_MINUTES: i64 = 30;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteLine {
    pub site: String,
    pub last_seq: u64,
    /// Seconds from the commit of the site's last record the group holds to now.
    pub lag_seconds: Option<i64>,
    pub active_emergencies: u64,
    pub overdue: u64,
    pub chain_ok: bool,
    /// Why the site's projection stopped, when it did.
    pub alarm: Option<String>,
    /// Share of today's dispatched repairs that met the dispatch target (0..=100).
    pub dispatch_target_pct: Option<f64>,
    pub silent: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmergencyLine {
    pub site: String,
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub location: Option<String>,
    pub severity: i32,
    pub started_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverdueLine {
    pub site: String,
    pub id: String,
    pub kind: String,
    pub priority: i32,
    pub unit: String,
    pub summary: String,
    pub due_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupView {
    pub at: DateTime<Utc>,
    pub sites: Vec<SiteLine>,
    /// Every site's active emergencies: most severe first, then the oldest.
    pub emergencies: Vec<EmergencyLine>,
    /// Open tickets past their target, the longest overdue first.
    pub overdue: Vec<OverdueLine>,
}

impl GroupView {
    pub fn silent_sites(&self) -> impl Iterator<Item = &SiteLine> {
        self.sites.iter().filter(|s| s.silent)
    }
}

/// A read-only connection for the view.
pub fn connect(url: &str) -> Result<postgres::Client, DeskError> {
    postgres::Client::connect(url, postgres::NoTls)
        .map_err(|e| pg_error(&format!("connect to {}", redact(url)), e))
}

/// Loads the view as of `now` (`today` from `midnight`, local time of the office);
/// a site is silent after `silent_minutes` without a record.
pub fn load(
    pg: &mut postgres::Client,
    now: DateTime<Utc>,
    midnight: DateTime<Utc>,
    silent_minutes: i64,
) -> Result<GroupView, DeskError> {
    let q = |e| pg_error("read the group view", e);
    let has_schema: bool = pg
        .query_one("SELECT to_regclass('dd_sites') IS NOT NULL", &[])
        .map_err(q)?
        .get(0);
    if !has_schema {
        return Err(DeskError::Config(
            "the group database has no dutydesk tables yet: start `dutydesk group ingest` against it first".into(),
        ));
    }
    let sites = pg
        .query(
            "SELECT s.site, s.last_seq, s.last_at, s.chain_ok, s.alarm,
               (SELECT count(*) FROM dd_emergencies e WHERE e.site = s.site AND e.closed_at IS NULL),
               (SELECT count(*) FROM dd_tickets t WHERE t.site = s.site AND t.is_open AND t.due_at < $1),
               (SELECT 100.0 * avg(CASE WHEN t.dispatch_met THEN 1.0 ELSE 0.0 END)::float8
                  FROM dd_tickets t WHERE t.site = s.site AND t.dispatch_met IS NOT NULL AND t.dispatched_at >= $2)
             FROM dd_sites s ORDER BY s.site",
            &[&now, &midnight],
        )
        .map_err(q)?
        .iter()
        .map(|r| {
            let last_at: Option<DateTime<Utc>> = r.get(2);
            let lag = last_at.map(|t| (now - t).num_seconds().max(0));
            SiteLine {
                site: r.get(0),
                last_seq: r.get::<_, i64>(1) as u64,
                lag_seconds: lag,
                chain_ok: r.get(3),
                alarm: r.get(4),
                active_emergencies: r.get::<_, i64>(5) as u64,
                overdue: r.get::<_, i64>(6) as u64,
                dispatch_target_pct: r.get(7),
                silent: lag.is_none_or(|l| l > silent_minutes * 60),
            }
        })
        .collect();
    let emergencies = pg
        .query(
            "SELECT site, id, name_en, name_zh, location, severity, started_at FROM dd_emergencies
             WHERE closed_at IS NULL ORDER BY severity, started_at, site LIMIT 500",
            &[],
        )
        .map_err(q)?
        .iter()
        .map(|r| EmergencyLine {
            site: r.get(0),
            id: r.get(1),
            name_en: r.get(2),
            name_zh: r.get(3),
            location: r.get(4),
            severity: r.get(5),
            started_at: r.get(6),
        })
        .collect();
    let overdue = pg
        .query(
            "SELECT site, id, kind, priority, unit, summary, due_at FROM dd_tickets
             WHERE is_open AND due_at < $1 ORDER BY due_at, site LIMIT 500",
            &[&now],
        )
        .map_err(q)?
        .iter()
        .map(|r| OverdueLine {
            site: r.get(0),
            id: r.get(1),
            kind: r.get(2),
            priority: r.get(3),
            unit: r.get(4),
            summary: r.get(5),
            due_at: r.get(6),
        })
        .collect();
    Ok(GroupView {
        at: now,
        sites,
        emergencies,
        overdue,
    })
}

/// Local midnight before `now`, for "today".
pub fn local_midnight(now: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::{Local, TimeZone};
    let local = now.with_timezone(&Local);
    local
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .and_then(|m| Local.from_local_datetime(&m).earliest())
        .map(|m| m.with_timezone(&Utc))
        .unwrap_or(now)
}
