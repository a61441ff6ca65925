//! `dutydesk verify FILE`: recomputes the hash chain of a JSON-lines export.

use std::io::{BufRead, BufReader};
use std::path::Path;

use crate::error::DeskError;
use crate::store::record::{hex, Record};

/// What a good file holds.
#[derive(Debug, PartialEq, Eq)]
pub struct Verified {
    pub records: u64,
    pub first_seq: u64,
    pub last_seq: u64,
    pub first_prev_hash: String,
    pub head_hash: String,
}

/// Checks every line: each record's hash over its contents, consecutive seqs,
/// and each link to the record before. The first record's `prev_hash` is the link
/// to whatever came before the file (all zeros for the start of the log).
pub fn verify_file(path: &Path) -> Result<Verified, DeskError> {
    let file = std::fs::File::open(path).map_err(|e| {
        DeskError::invalid("FILE", format!("{}: cannot be opened: {e}", path.display()))
    })?;
    let mut out: Option<Verified> = None;
    let mut prev: Option<[u8; 32]> = None;
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let lineno = i + 1;
        let line = line.map_err(|e| bad(path, lineno, &format!("cannot be read: {e}")))?;
        let line = line.trim_start_matches('\u{feff}');
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| bad(path, lineno, &format!("is not JSON: {e}")))?;
        let rec = Record::from_json(&value).map_err(|e| bad(path, lineno, &e))?;
        let seq = rec.body.seq;
        if !rec.hash_is_valid() {
            return Err(bad(
                path,
                lineno,
                &format!("record {seq} does not verify: its contents do not match its hash"),
            ));
        }
        // Nothing may ride along outside the hash: the line must be exactly the
        // record's own JSON form (an added field is as much a tampering as a changed one).
        if rec.to_json() != value {
            return Err(bad(
                path,
                lineno,
                &format!("record {seq} does not verify: it carries fields that are not part of the record"),
            ));
        }
        if seq == 1 && rec.prev_hash != crate::store::GENESIS {
            return Err(bad(
                path,
                lineno,
                "record 1 does not verify: the first record of a log links to nothing (all-zero prev_hash)",
            ));
        }
        if let (Some(p), Some(v)) = (prev, out.as_ref()) {
            if seq != v.last_seq + 1 {
                return Err(bad(
                    path,
                    lineno,
                    &format!(
                        "record {seq} follows record {}: records are missing",
                        v.last_seq
                    ),
                ));
            }
            if rec.prev_hash != p {
                return Err(bad(
                    path,
                    lineno,
                    &format!(
                        "record {seq} does not verify: it does not link to record {}",
                        v.last_seq
                    ),
                ));
            }
        }
        prev = Some(rec.hash);
        match &mut out {
            None => {
                out = Some(Verified {
                    records: 1,
                    first_seq: seq,
                    last_seq: seq,
                    first_prev_hash: hex(&rec.prev_hash),
                    head_hash: hex(&rec.hash),
                })
            }
            Some(v) => {
                v.records += 1;
                v.last_seq = seq;
                v.head_hash = hex(&rec.hash);
            }
        }
    }
    out.ok_or_else(|| DeskError::invalid("FILE", format!("{} holds no records", path.display())))
}

fn bad(path: &Path, line: usize, what: &str) -> DeskError {
    DeskError::Refused(crate::domain::Refusal::ExportBroken {
        file: path.display().to_string(),
        line,
        what: what.to_string(),
    })
}

pub fn run(path: &Path) -> Result<i32, DeskError> {
    let v = verify_file(path)?;
    let link = if v.first_seq == 1 {
        "from the start of the log".to_string()
    } else {
        // A slice (one shift) verifies on its own; its first link points outside
        // the file, so say what it must match to join the chain before it.
        format!(
            "from record {}, whose prev_hash {} must equal the hash of record {} (in the store, or the last line of the export before this one)",
            v.first_seq,
            &v.first_prev_hash,
            v.first_seq - 1
        )
    };
    println!(
        "ok: {} records, {}..{}, chain verified {link}; head {} {}",
        v.records, v.first_seq, v.last_seq, v.last_seq, v.head_hash
    );
    Ok(0)
}
