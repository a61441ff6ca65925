//! The desk's own evidence files: a handover's three exports in `DATA/exports`
//! and an incident report in `DATA/reports`, rendered from the log and written
//! whole and fsynced by the process that holds the store (the owner, or the
//! process a `Local` desk lives in).
//!
//! Why here: rendering needs `export` and `emergency`, which sit above `desk` in
//! the layers, while the decision and the records belong to the desk. So the
//! desk defines [`EvidenceWriter`] and calls it while it commits a handover or a
//! report; this module implements it and is injected when a desk is opened for
//! service ([`open`], [`attach`]). The owner and `Local` thus share one code
//! path, and the CLI and the dashboard only submit and show the paths recorded.
//!
//! The files are a function of the log: a handover's describe the shift as it
//! ended, and a report is dated by its record. That is what lets the next owner
//! rewrite the files of a handover left without them (see `Desk::complete_pending`).

use std::path::{Path, PathBuf};

use chrono::Offset;

use crate::clock::SharedClock;
use crate::datadir::DataDir;
use crate::desk::{CrashPoint, Desk, EvidenceWriter};
use crate::emergency::report;
use crate::error::DeskError;
use crate::export::bundle;
use crate::export::shift::{resolve, Selection, Slice};
use crate::fsx::write_atomically;
use crate::store::record::time_of;

/// Test-only: `DUTYDESK_TEST_CRASH=after-handover-record|after-files|after-report-file`
/// makes the process kill itself at that step, so the crash tests can kill the owner
/// exactly there. Read once, when the writer is made.
pub const CRASH_ENV: &str = "DUTYDESK_TEST_CRASH";

/// Writes into the data directory it was made for.
pub struct Files {
    data: DataDir,
    crash: Option<CrashPoint>,
}

impl Files {
    /// A writer for `dir`; its paths are recorded absolute (`dir` made canonical).
    pub fn new(dir: &Path) -> Files {
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        // The crash hook exists in debug builds (the tests) only: a released
        // owner never stops itself half-way through writing its evidence.
        let hook = if cfg!(debug_assertions) {
            std::env::var(CRASH_ENV).ok()
        } else {
            None
        };
        let crash = match hook.as_deref().map(str::trim) {
            Some("after-handover-record") => Some(CrashPoint::AfterHandoverRecord),
            Some("after-files") => Some(CrashPoint::AfterFiles),
            Some("after-report-file") => Some(CrashPoint::AfterReportFile),
            _ => None,
        };
        Files {
            data: DataDir(dir),
            crash,
        }
    }
}

/// Opens `dir` for service: the desk, its evidence writer, and the files of any
/// handover a crash or a full disk left without them (warnings for those that
/// still cannot be written).
pub fn open(
    dir: &Path,
    clock: SharedClock,
) -> Result<(Desk, Vec<crate::domain::Warning>), DeskError> {
    let mut desk = Desk::open(dir, clock)?;
    let warnings = attach(&mut desk);
    Ok((desk, warnings))
}

/// Gives an open desk its writer and completes what is pending.
pub fn attach(desk: &mut Desk) -> Vec<crate::domain::Warning> {
    let files = Files::new(&desk.dir().0);
    desk.set_evidence(Box::new(files));
    desk.complete_pending()
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

impl EvidenceWriter for Files {
    fn handover_files(&self, desk: &Desk, shift: u64) -> Result<Vec<String>, DeskError> {
        let dir = self.data.exports();
        // Fails at once when the directory cannot be made, before the log is read.
        std::fs::create_dir_all(&dir)
            .map_err(|e| DeskError::storage(&format!("create {}", dir.display()), e))?;
        let span = resolve(desk.state(), Selection::Id(shift))?;
        // An ended shift's slice does not depend on now: 0 is never used.
        let slice = Slice::build(span, desk.store().records_from(1), 0)?;
        let paths = bundle::write(&slice, &desk.site().targets, &dir, &chrono::Local)?;
        Ok(paths.iter().map(|p| display(p)).collect())
    }

    fn incident_report(&self, desk: &Desk, run: &str, at_us: i64) -> Result<String, DeskError> {
        let state = desk.state();
        let r = state.find_run(run)?;
        let mut records = Vec::new();
        for seq in report::record_seqs(state, r) {
            records.extend(desk.store().get(seq)?);
        }
        let offset = chrono::Local::now().offset().fix();
        let text = report::render(state, &r.id, &records, at_us, offset)?;
        let date = time_of(r.started_at_us)
            .with_timezone(&offset)
            .format("%Y-%m-%d");
        let path: PathBuf = self.data.reports().join(format!("{date}-{}.md", r.id));
        write_atomically(&path, |w| {
            std::io::Write::write_all(w, text.as_bytes())
                .map_err(|e| DeskError::storage("write the report", e))
        })?;
        Ok(display(&path))
    }

    fn reached(&self, step: CrashPoint) {
        if self.crash == Some(step) {
            // Test-only (see CRASH_ENV): die exactly as a killed owner would,
            // mid-command, with no destructor run and no core file left.
            // SAFETY: kill(2) on this very process.
            unsafe { libc::kill(std::process::id() as i32, libc::SIGKILL) };
        }
    }
}
