//! `dutydesk doctor`: checks the installation and the store and says in plain
//! words what is wrong and what to do.

pub mod clock;
pub mod probe;

use std::path::Path;

use serde::Serialize;

use crate::config::site::Site;
use crate::desk::DataDir;
use crate::emergency::Plans;
use crate::error::DeskError;
use crate::seam::DeskApi;
use crate::store::{Hash, GENESIS};

#[derive(Debug, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
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
    pub fsync_p50_us: u64,
    pub append_p50_us: u64,
    pub append_vs_fsync: f64,
    pub checks: Vec<Check>,
}

impl Report {
    pub fn healthy(&self) -> bool {
        self.checks.iter().all(|c| c.ok)
    }
}

/// Free bytes on the file system holding `path`.
pub fn free_bytes(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: c is a valid NUL-terminated path and st a properly sized out-parameter.
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some(st.f_bavail as u64 * st.f_frsize as u64)
}

/// The owner process named by its lock file: its pid, and whether it is alive.
pub fn owner_status(dir: &Path) -> Option<String> {
    let pid = crate::server::owner::owner_pid(dir)?;
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

/// Walks every record through the seam, checking sequence and links.
pub fn verify_chain(api: &mut dyn DeskApi) -> Result<(u64, Option<String>), DeskError> {
    let mut from = 1;
    let mut prev: Hash = GENESIS;
    let mut count = 0;
    loop {
        let batch = match api.records(from, 65_536) {
            Ok(b) => b,
            Err(DeskError::Damaged(why)) => return Ok((count, Some(why))),
            Err(e) => return Err(e),
        };
        let Some(last) = batch.last() else { break };
        let next_from = last.body.seq + 1;
        for r in &batch {
            if r.body.seq != count + 1 {
                return Ok((count, Some(format!("record {} is missing", count + 1))));
            }
            if r.prev_hash != prev {
                return Ok((
                    count,
                    Some(format!(
                        "record {} does not link to record {}",
                        r.body.seq, count
                    )),
                ));
            }
            prev = r.hash;
            count += 1;
        }
        from = next_from;
    }
    Ok((count, None))
}

fn newest_export(dir: &Path) -> Option<String> {
    let entries = std::fs::read_dir(dir).ok()?;
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .max_by_key(|(t, _)| *t)
        .map(|(_, p)| p.display().to_string())
}

/// Runs every check. `api` is the desk (in-process or through the owner).
pub fn examine(
    dir: &Path,
    api: &mut dyn DeskApi,
    owner: Option<String>,
) -> Result<Report, DeskError> {
    let data = DataDir(dir.to_path_buf());
    let mut checks = Vec::new();
    let site = Site::load(dir);
    checks.push(Check {
        name: "site directory",
        ok: site.is_ok(),
        detail: match &site {
            Ok(s) if data.site().exists() => format!(
                "{} ({} buildings, {} places)",
                data.site().display(),
                s.buildings.len(),
                s.places.len()
            ),
            Ok(_) => {
                "built-in default (no site.toml: units will not be recognised; see README)".into()
            }
            Err(e) => e.to_string(),
        },
    });
    let plans = Plans::load(&data.checklists());
    checks.push(Check {
        name: "emergency plans",
        ok: plans.is_ok(),
        detail: match &plans {
            Ok(p) => format!("{} plans", p.all.len()),
            Err(e) => e.to_string(),
        },
    });
    let (records, chain_problem) = verify_chain(api)?;
    checks.push(Check {
        name: "hash chain",
        ok: chain_problem.is_none(),
        detail: match &chain_problem {
            None => format!("{records} records, every hash and link verified"),
            Some(p) => {
                format!("{p} (after {records} good records): run `dutydesk recover --out NEWDIR`")
            }
        },
    });
    let snapshot = api.snapshot()?;
    checks.push(clock::check(&snapshot.state, &snapshot.site));
    let free = free_bytes(dir);
    let low = free.is_some_and(|f| f < 100 << 20);
    checks.push(Check {
        name: "free disk space",
        ok: !low,
        detail: match free {
            Some(f) if low => format!(
                "only {} MiB free: new records may be refused; free some space",
                f >> 20
            ),
            Some(f) => format!("{} MiB free", f >> 20),
            None => "unknown".into(),
        },
    });
    let probe = probe::measure(dir, 30)?;
    let ratio = if probe.fsync_p50_us == 0 {
        0.0
    } else {
        probe.append_p50_us as f64 / probe.fsync_p50_us as f64
    };
    checks.push(Check {
        name: "durable append",
        ok: true,
        detail: format!(
            "append p50 {} µs against the disk's own fsync p50 {} µs ({ratio:.2}x)",
            probe.append_p50_us, probe.fsync_p50_us
        ),
    });
    Ok(Report {
        data_dir: dir.display().to_string(),
        records,
        chain_ok: chain_problem.is_none(),
        chain_problem,
        store_bytes: snapshot.store_bytes,
        free_bytes: free,
        last_export: newest_export(&data.exports()),
        owner,
        fsync_p50_us: probe.fsync_p50_us,
        append_p50_us: probe.append_p50_us,
        append_vs_fsync: ratio,
        checks,
    })
}

/// The report as plain text for a person.
pub fn render(r: &Report) -> String {
    let mut out = format!("dutydesk doctor: {}\n", r.data_dir);
    for c in &r.checks {
        out.push_str(&format!(
            "  [{}] {}: {}\n",
            if c.ok { " ok " } else { "FAIL" },
            c.name,
            c.detail
        ));
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
        "problems found: see FAIL above\n"
    });
    out
}
