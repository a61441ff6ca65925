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
//! never acknowledged, since acknowledgement follows the sync.

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

impl Journal {
    /// Opens the journal and returns the records it holds, in order, up to the
    /// first frame that does not verify.
    pub fn open(dir: &Path) -> Result<(Journal, Vec<Record>), DeskError> {
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
        let mut records = Vec::new();
        let mut at = 0usize;
        while at + 4 <= bytes.len() {
            let len = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
                as usize;
            if len > MAX_RECORD_BYTES + 128 || at + 4 + len > bytes.len() {
                break;
            }
            match Record::decode(&bytes[at + 4..at + 4 + len]) {
                Ok(r) => records.push(r),
                Err(_) => break,
            }
            at += 4 + len;
        }
        let len = bytes.len() as u64;
        Ok((Journal { file, len }, records))
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
