//! `dutydesk doctor`: checks the installation and the store and says in plain
//! words what is wrong and what to do.
//!
//! Doctor diagnoses and never dies: the facts are gathered first (each may be
//! missing: a store that does not open, a disk too full to measure), then every
//! check in [`CHECKS`] turns them into one line with its verdict and the command
//! to run next. A new check is a function `fn(&mut Facts) -> Check` and one line
//! in [`CHECKS`].

pub mod clock;
mod disk;
mod group;
pub mod perms;
pub mod probe;
mod site_checks;
mod store_checks;
pub mod walk;

use std::path::Path;

use serde::Serialize;

use crate::datadir::DataDir;
use crate::error::DeskError;
use crate::seam::{DeskApi, Snapshot};

pub use disk::free_bytes;

/// Every check, in the order they are printed.
pub const CHECKS: &[fn(&mut Facts<'_>) -> Check] = &[
    site_checks::site,
    site_checks::plans,
    store_checks::store,
    store_checks::chain,
    store_checks::journal,
    store_checks::checkpoint,
    disk::free_space,
    perms::check_facts,
    clock::check_facts,
    disk::durable_append,
    group::shipping,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Ok,
    /// Worth knowing, not a fault: doctor still says "all good".
    Warn,
    Fail,
    /// Could not be checked (what stopped it is another line's FAIL).
    Skipped,
}

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub verdict: Verdict,
    /// `verdict` is not `fail` (kept for scripts written against older doctors).
    pub ok: bool,
    pub detail: String,
    /// What to run or do next, when there is something to do.
    pub next: Option<String>,
}

impl Check {
    pub fn new(name: &'static str, verdict: Verdict, detail: impl Into<String>) -> Check {
        Check {
            name,
            verdict,
            ok: verdict != Verdict::Fail,
            detail: detail.into(),
            next: None,
        }
    }
    pub fn ok(name: &'static str, detail: impl Into<String>) -> Check {
        Check::new(name, Verdict::Ok, detail)
    }
    pub fn fail(name: &'static str, detail: impl Into<String>, next: impl Into<String>) -> Check {
        Check::new(name, Verdict::Fail, detail).then(next)
    }
    pub fn then(mut self, next: impl Into<String>) -> Check {
        self.next = Some(next.into());
        self
    }
}

/// What the checks look at, gathered once. Anything that could not be had is
/// `None` (or an error), and the check that needs it says so.
pub struct Facts<'a> {
    pub dir: &'a Path,
    pub data: DataDir,
    /// The desk through its owner; `None` when it could not be opened.
    pub api: Option<&'a mut (dyn DeskApi + 'static)>,
    /// Why the desk could not be opened.
    pub open_error: Option<DeskError>,
    pub snapshot: Option<Snapshot>,
    pub walk: Option<Result<walk::Walk, DeskError>>,
    pub free: Option<u64>,
    /// `None`: not measured (the disk is too full to write the probe).
    pub probe: Option<Result<probe::ProbeResult, DeskError>>,
}

impl Facts<'_> {
    /// The `recover` command for this data directory.
    pub fn recover_cmd(&self) -> String {
        format!(
            "dutydesk --data {} recover --out NEWDIR, check NEWDIR with doctor, then use it instead",
            self.dir.display()
        )
    }
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub data_dir: String,
    pub records: u64,
    pub chain_ok: bool,
    pub chain_problem: Option<String>,
    pub store_bytes: u64,
    pub free_bytes: Option<u64>,
    pub last_export: Option<String>,
    pub owner: Option<String>,
    /// `None` when the probe could not be run (see the "durable append" check).
    pub fsync_p50_us: Option<u64>,
    pub append_p50_us: Option<u64>,
    pub append_vs_fsync: Option<f64>,
    pub checks: Vec<Check>,
}

impl Report {
    /// No check failed.
    pub fn healthy(&self) -> bool {
        self.checks.iter().all(|c| c.verdict != Verdict::Fail)
    }
}

/// The owner process named by its lock file: its pid, and whether it is alive.
pub fn owner_status(dir: &Path) -> Option<String> {
    let pid = crate::datadir::owner_pid(dir)?;
    let alive = i32::try_from(pid)
        .ok()
        // SAFETY: signal 0 only asks whether the process exists.
        .is_some_and(|p| p > 0 && unsafe { libc::kill(p, 0) } == 0);
    Some(if alive {
        format!("pid {pid}, running (it holds the store; every command goes through it)")
    } else {
        format!(
            "pid {pid}, not running: a stale lock from an owner that died; \
             the next command starts a new one"
        )
    })
}

fn newest_export(dir: &Path) -> Option<String> {
    let entries = std::fs::read_dir(dir).ok()?;
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .max_by_key(|(t, _)| *t)
        .map(|(_, p)| p.display().to_string())
}

/// Runs every check. `api` is the desk (in-process or through the owner), or
/// why it could not be opened; either way every check prints its line.
pub fn examine<'a>(
    dir: &'a Path,
    api: Result<&'a mut (dyn DeskApi + 'static), DeskError>,
    owner: Option<String>,
) -> Report {
    let data = DataDir(dir.to_path_buf());
    let (mut api, open_error) = match api {
        Ok(a) => (Some(a), None),
        Err(e) => (None, Some(e)),
    };
    let snapshot = api.as_mut().and_then(|a| a.snapshot().ok());
    let walk = api.as_mut().map(|a| {
        let cp = crate::state::checkpoint::load(&data.checkpoint());
        walk::walk(&mut **a, snapshot.as_ref().map(|s| &s.state), cp)
    });
    let free = free_bytes(dir);
    let probe = disk::run_probe(dir, free);
    let mut facts = Facts {
        dir,
        data,
        api,
        open_error,
        snapshot,
        walk,
        free,
        probe,
    };
    let checks = CHECKS.iter().map(|check| check(&mut facts)).collect();
    let (records, chain_problem) = match &facts.walk {
        Some(Ok(w)) => (w.records, w.problem.clone()),
        Some(Err(e)) => (0, Some(e.to_string())),
        None => (
            0,
            Some(match &facts.open_error {
                Some(e) => format!("not checked: the store could not be opened: {e}"),
                None => "not checked".into(),
            }),
        ),
    };
    let measured = facts.probe.as_ref().and_then(|p| p.as_ref().ok()).copied();
    Report {
        data_dir: dir.display().to_string(),
        records,
        chain_ok: chain_problem.is_none(),
        chain_problem,
        store_bytes: facts.snapshot.as_ref().map_or(0, |s| s.store_bytes),
        free_bytes: free,
        last_export: newest_export(&facts.data.exports()),
        owner,
        fsync_p50_us: measured.map(|p| p.fsync_p50_us),
        append_p50_us: measured.map(|p| p.append_p50_us),
        append_vs_fsync: measured.map(|p| p.ratio()),
        checks,
    }
}

/// The report as plain text for a person.
pub fn render(r: &Report) -> String {
    let mut out = format!("dutydesk doctor: {}\n", r.data_dir);
    for c in &r.checks {
        let mark = match c.verdict {
            Verdict::Ok => " ok ",
            Verdict::Warn => "warn",
            Verdict::Fail => "FAIL",
            Verdict::Skipped => "skip",
        };
        out.push_str(&format!("  [{mark}] {}: {}\n", c.name, c.detail));
        if let Some(next) = &c.next {
            out.push_str(&format!("         next: {next}\n"));
        }
    }
    out.push_str(&format!("  store size: {} KiB\n", r.store_bytes >> 10));
    out.push_str(&format!(
        "  last export: {}\n",
        r.last_export
            .as_deref()
            .unwrap_or("none yet (exports are written at each handover)")
    ));
    out.push_str(&format!(
        "  owner process: {}\n",
        r.owner
            .as_deref()
            .unwrap_or("none running (this command opened the store itself)")
    ));
    out.push_str(if r.healthy() {
        "all good\n"
    } else {
        "problems found: see FAIL above (exit code 1)\n"
    });
    out
}
