//! The journal: where a record is made durable before it is acknowledged.
//!
//! sled 0.34.7 makes its writes durable with its own `sync_file_range` and then
//! needs a second fsync of its data file for the drive cache and metadata: two
//! waits on the disk per command. Instead, each batch's stored bytes are appended
//! here and made durable with one `fdatasync` (as cheap as the disk allows), and
//! sled flushes in the background. On open, records the journal holds beyond
//! sled's head are put back into sled before anything else happens; once sled has
//! flushed them, the journal is emptied. It also is a second copy of the newest
//! records, which `recover` reads like any other file of the store.
//!
//! Frame: `[len: u32 BE][stored record bytes]`. A torn last frame (a crash in the
//! middle of a write) fails its record's hash check and ends the replay; it was
//! never acknowledged, since acknowledgement follows the sync. A frame that fails
//! while later frames still verify is damage: the journal is evidence then, and
//! the store refuses to open rather than lose what only the journal holds.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use crate::error::DeskError;
use crate::store::record::{Record, MAX_RECORD_BYTES};

/// The journal's file name, inside the store's directory.
pub const FILE: &str = "journal";

/// Past this size, sled is flushed and the journal emptied.
pub const LIMIT: u64 = 2 << 20;

pub struct Journal {
    file: std::fs::File,
    len: u64,
}

/// What the journal's bytes hold.
#[derive(Debug, Default)]
pub struct Scan {
    /// The frames that verify, in order, up to the first that does not.
    pub records: Vec<Record>,
    /// The first frame that does not verify while later ones still do: damage,
    /// not a torn last write. `None` for a clean journal or a torn tail.
    pub damage: Option<Damage>,
    /// The records of frames past the damaged one that still verify.
    pub later: Vec<Record>,
}

/// A journal frame that does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// 1-based frame number.
    pub frame: usize,
    /// Where the frame starts in the file.
    pub offset: u64,
    pub why: String,
}

/// The record of the frame at `at`, and where the next frame starts.
fn frame_at(bytes: &[u8], at: usize) -> Result<(Record, usize), String> {
    let Some(head) = bytes.get(at..at + 4) else {
        return Err("its length is cut off".into());
    };
    let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
    if len > MAX_RECORD_BYTES + 128 {
        return Err(format!("its length ({len} bytes) is impossible"));
    }
    let Some(stored) = bytes.get(at + 4..at + 4 + len) else {
        return Err(format!("it is cut off ({len} bytes announced)"));
    };
    let rec = Record::decode(stored)?;
    Ok((rec, at + 4 + len))
}

/// Reads the journal's frames. A frame that does not verify is a torn last write
/// when nothing after it verifies (a crash in the middle of an append, never
/// acknowledged); when later frames still verify it is damage, and those frames
/// are kept as evidence in `later`.
pub fn scan(bytes: &[u8]) -> Scan {
    let mut out = Scan::default();
    let mut at = 0usize;
    while at < bytes.len() {
        match frame_at(bytes, at) {
            Ok((rec, next)) => {
                out.records.push(rec);
                at = next;
            }
            Err(why) => {
                out.later = frames_after(bytes, at + 1);
                if !out.later.is_empty() {
                    out.damage = Some(Damage {
                        frame: out.records.len() + 1,
                        offset: at as u64,
                        why,
                    });
                }
                break;
            }
        }
    }
    out
}

/// Every frame that verifies anywhere from `from` on (past a damaged frame the
/// frame boundaries are unknown, so each position is tried).
fn frames_after(bytes: &[u8], from: usize) -> Vec<Record> {
    let mut found = Vec::new();
    let mut at = from;
    while at + 4 < bytes.len() {
        match frame_at(bytes, at) {
            Ok((rec, next)) => {
                found.push(rec);
                at = next;
            }
            Err(_) => at += 1,
        }
    }
    found
}

/// The journal file of the store in `dir`, read without opening it for writing
/// (for `doctor` and `recover`); `None` if there is none.
pub fn read(dir: &Path) -> Option<Scan> {
    std::fs::read(dir.join(FILE)).ok().map(|b| scan(&b))
}

impl Journal {
    /// Opens the journal and returns what it holds (see [`scan`]).
    pub fn open(dir: &Path) -> Result<(Journal, Scan), DeskError> {
        let path = dir.join(FILE);
        let mut file = crate::fsx::perms::open(
            &path,
            std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .read(true)
                .write(true),
        )
        .map_err(|e| DeskError::storage(&format!("open {}", path.display()), e))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| DeskError::storage(&format!("read {}", path.display()), e))?;
        let len = bytes.len() as u64;
        Ok((Journal { file, len }, scan(&bytes)))
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends the stored bytes of a batch and makes them durable. On failure the
    /// journal is cut back to where it was: nothing of a refused batch remains.
    pub fn append(&mut self, records: &[Vec<u8>]) -> Result<(), DeskError> {
        let mut frame = Vec::with_capacity(records.iter().map(|r| r.len() + 4).sum());
        for r in records {
            frame.extend_from_slice(&(r.len() as u32).to_be_bytes());
            frame.extend_from_slice(r);
        }
        let before = self.len;
        let written = self
            .file
            .seek(SeekFrom::Start(before))
            .and_then(|_| self.file.write_all(&frame))
            .and_then(|_| self.file.sync_data());
        if let Err(e) = written {
            self.cut_back(before);
            return Err(DeskError::storage("make the record durable", e));
        }
        self.len = before + frame.len() as u64;
        Ok(())
    }

    /// Removes everything after `len` (a batch sled then refused).
    pub fn cut_back(&mut self, len: u64) {
        if self
            .file
            .set_len(len)
            .and_then(|_| self.file.sync_data())
            .is_ok()
        {
            self.len = len;
        }
    }

    /// Empties the journal once sled holds everything in it durably.
    pub fn clear(&mut self) -> Result<(), DeskError> {
        self.file
            .set_len(0)
            .and_then(|_| self.file.sync_all())
            .map_err(|e| DeskError::storage("empty the journal", e))?;
        self.len = 0;
        Ok(())
    }
}
