//! The disk under the data directory: free space, and what a durable append
//! costs on it. Doctor must work on a full disk, so it only writes its probe
//! when there is room for it.

use std::path::Path;

use super::probe::{self, ProbeResult};
use super::{Check, Facts, Verdict};
use crate::error::DeskError;
pub use crate::store::free_bytes;
use crate::store::FREE_MARGIN;

/// Below this, new records may soon be refused.
const LOW: u64 = 100 << 20;
/// The probe's scratch store needs about this much; with less it is not run.
const PROBE_ROOM: u64 = 4 << 20;
/// An fsync faster than this did not reach a disk: tmpfs, or a write cache
/// that may lose acknowledged records in a power cut.
const TOO_FAST_US: u64 = 20;

/// Measures, unless the disk is too full to write the probe at all.
pub fn run_probe(dir: &Path, free: Option<u64>) -> Option<Result<ProbeResult, DeskError>> {
    if free.is_some_and(|f| f < PROBE_ROOM + FREE_MARGIN) {
        return None;
    }
    Some(probe::measure(dir, 30))
}

pub fn free_space(f: &mut Facts<'_>) -> Check {
    const NAME: &str = "free disk space";
    const NEXT: &str =
        "free some space on that disk (old exports, reports, logs); the desk resumes by itself";
    match f.free {
        Some(free) if free < 2 * FREE_MARGIN => Check::fail(
            NAME,
            format!(
                "the disk holding {} is full ({} KiB free): new records are refused",
                f.dir.display(),
                free >> 10
            ),
            NEXT,
        ),
        Some(free) if free < LOW => Check::fail(
            NAME,
            format!("only {} MiB free: new records may be refused", free >> 20),
            NEXT,
        ),
        Some(free) => Check::ok(NAME, format!("{} MiB free", free >> 20)),
        None => Check::new(
            NAME,
            Verdict::Warn,
            format!(
                "unknown: the file system holding {} did not say",
                f.dir.display()
            ),
        ),
    }
}

pub fn durable_append(f: &mut Facts<'_>) -> Check {
    const NAME: &str = "durable append";
    match &f.probe {
        None => Check::new(
            NAME,
            Verdict::Skipped,
            "not measured: the disk is too full to write the probe (see free disk space)",
        )
        .then("free some space, then run doctor again"),
        Some(Err(e)) => Check::fail(
            NAME,
            format!("a durable append to a scratch store failed: {e}"),
            "check that the disk is present and writable (dmesg, mount), then run doctor again",
        ),
        Some(Ok(p)) => {
            let figures = format!(
                "append p50 {} µs against the disk's own fsync p50 {} µs ({:.2}x)",
                p.append_p50_us,
                p.fsync_p50_us,
                p.ratio()
            );
            if p.fsync_p50_us < TOO_FAST_US {
                Check::new(
                    NAME,
                    Verdict::Warn,
                    format!("{figures}: an fsync this fast did not reach a disk (tmpfs, or a volatile write cache)"),
                )
                .then("keep the data directory on a real disk, or one whose cache survives a power cut")
            } else if p.append_p50_us > 8 * p.fsync_p50_us + 5_000 {
                Check::new(
                    NAME,
                    Verdict::Warn,
                    format!("{figures}: appends are slower than the disk"),
                )
                .then("check what else writes to that disk")
            } else {
                Check::ok(NAME, figures)
            }
        }
    }
}
