//! The store: whether it opens, its chain, its journal, and whether what the
//! desk serves (and its checkpoint) is what the log itself says.

use super::walk::Seen;
use super::{Check, Facts, Verdict};
use crate::error::DeskError;
use crate::store::journal;

pub fn store(f: &mut Facts<'_>) -> Check {
    const NAME: &str = "store";
    let Some(e) = &f.open_error else {
        let records = f.snapshot.as_ref().map_or(0, |s| s.state.seq);
        return Check::ok(NAME, format!("opens; the desk holds {records} records"));
    };
    let next = match e {
        DeskError::Damaged(_) => f.recover_cmd(),
        DeskError::Locked(_) => {
            "stop the other process holding the store, or run doctor through it".into()
        }
        DeskError::Storage(_) => {
            "check the disk (free space, that it is mounted and writable), then run doctor again"
                .into()
        }
        DeskError::Config(_) => "mend the file named, then run doctor again".into(),
        _ => format!(
            "see {} for what the owner said, then run doctor again",
            f.data.server_log().display()
        ),
    };
    Check::fail(NAME, format!("does not open: {e}"), next)
}

pub fn chain(f: &mut Facts<'_>) -> Check {
    const NAME: &str = "hash chain";
    match &f.walk {
        Some(Ok(w)) => match &w.problem {
            None => Check::ok(
                NAME,
                format!("{} records, every hash and link verified", w.records),
            ),
            Some(p) => Check::fail(
                NAME,
                format!("{p} (after {} good records)", w.records),
                f.recover_cmd(),
            ),
        },
        Some(Err(e)) => Check::fail(NAME, e.to_string(), f.recover_cmd()),
        None => Check::new(
            NAME,
            Verdict::Skipped,
            "not checked: the store does not open (see store)",
        ),
    }
}

pub fn journal(f: &mut Facts<'_>) -> Check {
    const NAME: &str = "journal";
    let path = f.data.store().join(journal::FILE);
    let Some(scan) = journal::read(&f.data.store()) else {
        return Check::ok(NAME, "none yet");
    };
    match &scan.damage {
        Some(d) => Check::fail(
            NAME,
            format!(
                "{} frame {} (at byte {}) does not verify: {}; {} later frames still do. \
                 It may hold the only copy of acknowledged records: it is kept as it is",
                path.display(),
                d.frame,
                d.offset,
                d.why,
                scan.later.len()
            ),
            format!("keep the journal file; {}", f.recover_cmd()),
        ),
        None if scan.records.is_empty() => Check::ok(NAME, "empty: sled holds everything"),
        None => Check::ok(
            NAME,
            format!(
                "{} records, every frame verified (sled flushes them on its own)",
                scan.records.len()
            ),
        ),
    }
}

pub fn checkpoint(f: &mut Facts<'_>) -> Check {
    const NAME: &str = "checkpoint";
    let file = f.data.checkpoint();
    if let Some(alarm) = f.snapshot.as_ref().and_then(|s| s.alarm.as_ref()) {
        return Check::fail(
            NAME,
            alarm.clone(),
            format!(
                "the desk now serves the log's own fold and rebuilt the checkpoint; find out who could \
                 write {} (the log itself verified)",
                file.display()
            ),
        );
    }
    let Some(Ok(w)) = &f.walk else {
        return Check::new(
            NAME,
            Verdict::Skipped,
            "not checked: the log could not be read (see store and hash chain)",
        );
    };
    if let Some(what) = w.served.as_ref().filter(|d| !d.is_empty()) {
        return Check::fail(
            NAME,
            format!(
                "what the desk serves differs from its own log: {}",
                what.join(", ")
            ),
            "the owner re-folds the log by itself after it starts: run doctor again in a minute; \
             if this stays, stop the owner (the next command starts a fresh one)",
        );
    }
    match &w.checkpoint {
        Some(Seen::Differs { seq, what }) => Check::fail(
            NAME,
            format!(
                "{} (record {seq}) differs from the log's own fold: {}",
                file.display(),
                what.join(", ")
            ),
            "the owner rebuilds it after its re-fold; if doctor still says so, find out who \
             could write it and stop the owner so the next one starts from the log",
        ),
        Some(Seen::Matches { seq }) => Check::ok(
            NAME,
            format!("record {seq}: the same as the log's own fold"),
        ),
        Some(Seen::Stale { seq }) => Check::ok(
            NAME,
            format!("names record {seq}, which the log does not hold as it is: it is not used and will be rebuilt"),
        ),
        None if file.exists() => Check::ok(
            NAME,
            "damaged or from another version: it is not used and will be rebuilt",
        ),
        None => Check::ok(NAME, "none (one is written once the log is long)"),
    }
}
