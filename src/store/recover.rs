//! `dutydesk recover --out NEWDIR`: copies every record that still verifies out of
//! a damaged store into a new one, and says what was lost.
//!
//! Records come from two places: the store's own files, and the JSON-lines
//! exports written at every handover (a verified copy of each shift).
//! The damaged store is never written to, nor even opened with sled (whose
//! start-up recovery writes): its files are only read. The new store keeps the good records' stored bytes as they
//! were, so their hashes, and any printed or exported chain head, stay valid.

use std::path::{Path, PathBuf};

use crate::error::DeskError;
use std::collections::BTreeMap;

use crate::store::record::{Body, Record, FORMAT, MAX_RECORD_BYTES, SCHEMA};
use crate::store::Hash;

#[derive(Debug)]
pub struct Recovery {
    /// Records carried over: 1..=kept, every one verified and linked.
    pub kept: u64,
    /// Where the chain broke, and why (None: the whole store verified).
    pub broken_at: Option<(u64, String)>,
    /// Records after the break that decode on their own but can no longer be
    /// proved part of the chain; written for a person to read, not carried over.
    pub unlinked: u64,
    pub unlinked_file: Option<PathBuf>,
    /// The last record the store acknowledged, from its `acknowledged` marker
    /// (None: no marker, or one that cannot be read).
    pub acknowledged: Option<u64>,
    /// Acknowledged records not brought back: those after `kept` up to the
    /// marker's; at least 1 if the record kept under the marker's number is not
    /// the one acknowledged.
    pub lost_acknowledged: u64,
}

impl Recovery {
    /// Whether every acknowledged record, and everything the files held, came back.
    pub fn is_complete(&self) -> bool {
        self.broken_at.is_none() && self.lost_acknowledged == 0
    }
}

/// The marker of the last acknowledged record: (seq, hash).
fn acknowledged(store: &Path) -> Option<(u64, Hash)> {
    let bytes = std::fs::read(store.join(crate::store::ACKNOWLEDGED)).ok()?;
    let seq = u64::from_be_bytes(bytes.get(..8)?.try_into().ok()?);
    let hash: Hash = bytes.get(8..40)?.try_into().ok()?;
    Some((seq, hash))
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Recovers the data directory `from` into `out` (which must not hold anything yet).
pub fn recover(from: &Path, out: &Path) -> Result<Recovery, DeskError> {
    let src_store = from.join("store");
    if !src_store.is_dir() {
        return Err(DeskError::invalid(
            "--data",
            format!("{} holds no store to recover", from.display()),
        ));
    }
    if out.exists()
        && std::fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(DeskError::invalid(
            "--out",
            format!(
                "{} is not empty: recover into a new directory",
                out.display()
            ),
        ));
    }
    crate::fsx::perms::create_dir_all(out)
        .map_err(|e| DeskError::storage(&format!("create {}", out.display()), e))?;
    let result = salvage(&src_store, &from.join("exports"), out);
    // The site's own files come along unchanged.
    for name in ["site.toml", "operators.toml"] {
        if from.join(name).is_file() {
            let _ = std::fs::copy(from.join(name), out.join(name));
        }
    }
    if from.join("checklists").is_dir() {
        let _ = copy_dir(&from.join("checklists"), &out.join("checklists"));
    }
    // Copies keep their source's modes and sled uses the umask: the new directory
    // gets the desk's modes like any other.
    crate::fsx::perms::settle_tree(out)
        .map_err(|e| DeskError::storage(&format!("set the modes of {}", out.display()), e))?;
    result
}

/// Finds every record in the raw bytes of the store's files, without sled: a
/// stored record is self-describing (format byte, schema, hashes, postcard body)
/// and its hash proves it whole, so any copy sled left anywhere is as good as
/// the original. This works even when sled's own metadata is damaged.
fn carve(bytes: &[u8], found: &mut BTreeMap<u64, Vec<Vec<u8>>>) {
    const HEADER: usize = 67;
    let mut i = 0;
    while i + HEADER < bytes.len() {
        if bytes[i] == FORMAT && bytes[i + 1..i + 3] == SCHEMA.to_be_bytes() {
            let limit = (i + HEADER + MAX_RECORD_BYTES).min(bytes.len());
            let body_area = &bytes[i + HEADER..limit];
            if let Ok((body, rest)) = postcard::take_from_bytes::<Body>(body_area) {
                let used = body_area.len() - rest.len();
                let whole = &bytes[i..i + HEADER + used];
                if Record::decode(whole).is_ok() {
                    let copies = found.entry(body.seq).or_default();
                    if !copies.iter().any(|c| c.as_slice() == whole) {
                        copies.push(whole.to_vec());
                    }
                    i += HEADER + used;
                    continue;
                }
            }
        }
        i += 1;
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                files_under(&p, out);
            } else {
                out.push(p);
            }
        }
    }
}

/// Adds the records of the JSON-lines exports (written at every handover): each
/// is sealed again from its fields, and kept only if that gives its recorded hash,
/// so an export is as good a copy as the store's own bytes.
fn from_exports(dir: &Path, found: &mut BTreeMap<u64, Vec<Vec<u8>>>) {
    let mut files = Vec::new();
    files_under(dir, &mut files);
    for f in files
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
    {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        for line in text.lines() {
            let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let Ok(rec) = Record::from_json(&value) else {
                continue;
            };
            let Ok((sealed, bytes)) = Record::seal(rec.body, rec.prev_hash) else {
                continue;
            };
            if sealed.hash == rec.hash {
                let copies = found.entry(sealed.body.seq).or_default();
                if !copies.contains(&bytes) {
                    copies.push(bytes);
                }
            }
        }
    }
}

fn salvage(src_store: &Path, exports: &Path, out: &Path) -> Result<Recovery, DeskError> {
    let mut files = Vec::new();
    files_under(src_store, &mut files);
    let mut found: BTreeMap<u64, Vec<Vec<u8>>> = BTreeMap::new();
    for f in &files {
        // Reading only: the damaged store is never opened for writing.
        if let Ok(bytes) = std::fs::read(f) {
            carve(&bytes, &mut found);
        }
    }
    from_exports(exports, &mut found);
    let mut good: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut prev: Hash = crate::store::GENESIS;
    let mut broken_at = None;
    let mut unlinked = Vec::new();
    let last_seq = found.keys().next_back().copied().unwrap_or(0);
    for seq in 1..=last_seq {
        if broken_at.is_none() {
            let linked = found.get(&seq).and_then(|copies| {
                copies
                    .iter()
                    .find(|c| Record::decode(c).is_ok_and(|r| r.prev_hash == prev))
            });
            match linked {
                Some(bytes) => {
                    if let Ok(r) = Record::decode(bytes) {
                        prev = r.hash;
                    }
                    good.push((seq, bytes.clone()));
                    continue;
                }
                None => {
                    broken_at = Some((
                        seq,
                        if found.contains_key(&seq) {
                            "no copy of it links to the record before".to_string()
                        } else {
                            "no intact copy of it is left in the store's files".to_string()
                        },
                    ))
                }
            }
        }
        if let Some(r) = found
            .get(&seq)
            .and_then(|c| c.first())
            .and_then(|b| Record::decode(b).ok())
        {
            unlinked.push(r);
        }
    }
    let store_dir = out.join("store");
    let db = sled::Config::new()
        .path(&store_dir)
        .open()
        .map_err(|e| DeskError::storage(&format!("create {}", store_dir.display()), e))?;
    let tree = db
        .open_tree("log")
        .map_err(|e| DeskError::storage("create the new log", e))?;
    for chunk in good.chunks(10_000) {
        let mut batch = sled::Batch::default();
        for (seq, bytes) in chunk {
            batch.insert(&seq.to_be_bytes(), bytes.as_slice());
        }
        tree.apply_batch(batch)
            .map_err(|e| DeskError::storage("write the new log", e))?;
    }
    db.flush()
        .map_err(|e| DeskError::storage("make the new log durable", e))?;
    let unlinked_file = if unlinked.is_empty() {
        None
    } else {
        let path = out.join("unlinked-records.jsonl");
        crate::fsx::write_atomically(&path, |w| {
            crate::store::jsonl::write_records(w, &unlinked).map(|_| ())
        })?;
        Some(path)
    };
    let marker = acknowledged(src_store);
    let lost_acknowledged = match marker {
        Some((seq, _)) if seq > good.len() as u64 => seq - good.len() as u64,
        // Kept under that number, but not the record that was acknowledged: the
        // chain went another way, so at least that one is not back.
        Some((seq, hash))
            if seq > 0
                && good
                    .get(seq as usize - 1)
                    .and_then(|(_, b)| Record::decode(b).ok())
                    .is_some_and(|r| r.hash != hash) =>
        {
            1
        }
        _ => 0,
    };
    Ok(Recovery {
        kept: good.len() as u64,
        broken_at,
        unlinked: unlinked.len() as u64,
        unlinked_file,
        acknowledged: marker.map(|(seq, _)| seq),
        lost_acknowledged,
    })
}
