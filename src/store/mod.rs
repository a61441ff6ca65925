//! The append-only log in sled: what is stored, and nothing else.
//!
//! One tree, `log`, maps a big-endian `u64` sequence number to a record's stored
//! bytes (see [`record`]). A batch of records is first made durable in the
//! [`journal`] (one fdatasync), then written with one atomic sled batch, before
//! `append` returns, so a caller that got `Ok` may tell the operator it is
//! recorded. sled flushes on its own; on open, the journal puts back whatever sled
//! had not flushed. Records are never updated or removed.

pub mod journal;
pub mod jsonl;
pub mod record;
pub mod recover;
mod space;

pub use space::{free_bytes, FREE_MARGIN};

use std::path::{Path, PathBuf};

use crate::error::DeskError;
pub use record::{Body, Hash, Record, GENESIS};

/// The marker file of the last acknowledged record, inside the store's directory.
pub const ACKNOWLEDGED: &str = "acknowledged";

/// The open sled handles; `None` only between dropping them and opening them
/// again in [`Store::reopen`], or if that reopening failed.
struct Handles {
    db: sled::Db,
    /// sled's data file, opened again only to fsync it: sled 0.34.7's `flush` ends
    /// in `sync_file_range` on Linux, which neither flushes the drive's write cache
    /// nor the file's metadata, so it is not durable across a power cut.
    data_file: std::fs::File,
    log: sled::Tree,
}

pub struct Store {
    handles: Option<Handles>,
    /// The last acknowledged record (seq, hash), rewritten after every durable
    /// append. sled treats a damaged tail as a torn write and silently drops it
    /// on open; this marker is how the desk notices acknowledged records went
    /// missing and refuses to go on as if nothing happened.
    acknowledged: std::fs::File,
    journal: journal::Journal,
    path: PathBuf,
    head_seq: u64,
    head_hash: Hash,
    head_at_us: i64,
    /// Set when a write failed half-way: sled may hold records in memory that are
    /// not on disk, so nothing more is written until the store is reopened.
    poisoned: Option<String>,
    /// Bulk loading only (`demo --generate`): skip the per-append flush; `sync` ends it.
    deferred: bool,
}

/// The last record of the chain: what an export or a report prints to pin the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub seq: u64,
    pub hash: Hash,
    pub at_us: i64,
}

impl Store {
    /// Opens (or creates) the store in `dir`. Only one process may hold it.
    pub fn open(dir: &Path) -> Result<Store, DeskError> {
        crate::fsx::perms::create_dir_all(dir)
            .map_err(|e| DeskError::storage(&format!("create {}", dir.display()), e))?;
        let db = sled::Config::new()
            .path(dir)
            .cache_capacity(16 << 20)
            .mode(sled::Mode::LowSpace)
            .flush_every_ms(Some(200))
            .open()
            .map_err(|e| open_error(dir, e))?;
        let log = db.open_tree("log").map_err(|e| open_error(dir, e))?;
        let data_path = dir.join("db");
        let data_file = std::fs::File::open(&data_path)
            .map_err(|e| DeskError::storage(&format!("open {}", data_path.display()), e))?;
        let marker = dir.join(ACKNOWLEDGED);
        let previous = std::fs::read(&marker).ok();
        let acknowledged = crate::fsx::perms::open(
            &marker,
            std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true),
        )
        .map_err(|e| DeskError::storage(&format!("open {}", marker.display()), e))?;
        let (journal, scan) = journal::Journal::open(dir)?;
        // Refused before the journal is touched: it may hold the only copy
        // of acknowledged records, so it stays exactly as it is for `recover`.
        if let Some(d) = &scan.damage {
            return Err(journal_damaged(dir, d, scan.later.len()));
        }
        // sled made its files with the process's umask: give them the store's modes.
        crate::fsx::perms::settle_tree(dir)
            .map_err(|e| DeskError::storage(&format!("set the modes of {}", dir.display()), e))?;
        let mut store = Store {
            handles: Some(Handles { db, data_file, log }),
            acknowledged,
            journal,
            path: dir.to_path_buf(),
            head_seq: 0,
            head_hash: GENESIS,
            head_at_us: 0,
            poisoned: None,
            deferred: false,
        };
        if let Some(last) = store.log()?.last().map_err(|e| open_error(dir, e))? {
            let rec = Record::decode(&last.1).map_err(|why| damaged(dir, seq_of(&last.0), &why))?;
            store.head_seq = rec.body.seq;
            store.head_hash = rec.hash;
            store.head_at_us = rec.body.at_us;
        }
        store.replay_journal(&scan.records)?;
        if let Some(bytes) = previous.filter(|b| b.len() == 40) {
            store.check_acknowledged(&bytes)?;
        }
        store.settle_journal(&scan.records)?;
        Ok(store)
    }

    /// Puts back into sled the journal's records beyond its head (those sled had
    /// not flushed when the process stopped). A journal record that does not
    /// follow the head ends the replay. The journal itself is not touched here.
    fn replay_journal(&mut self, pending: &[Record]) -> Result<(), DeskError> {
        let mut batch = sled::Batch::default();
        let mut any = false;
        for rec in pending {
            if rec.body.seq <= self.head_seq {
                continue;
            }
            if rec.body.seq != self.head_seq + 1 || rec.prev_hash != self.head_hash {
                break;
            }
            batch.insert(&rec.body.seq.to_be_bytes(), rec.to_bytes()?);
            self.head_seq = rec.body.seq;
            self.head_hash = rec.hash;
            self.head_at_us = rec.body.at_us;
            any = true;
        }
        if any {
            self.log()?
                .apply_batch(batch)
                .map_err(|e| DeskError::storage("put the journal back into the log", e))?;
        }
        Ok(())
    }

    /// Empties the journal, but only once the store opened cleanly and sled holds
    /// every one of its records, durably, with the same hash: until then it may be
    /// the only copy of an acknowledged record.
    fn settle_journal(&mut self, records: &[Record]) -> Result<(), DeskError> {
        if self.journal.is_empty() {
            return Ok(());
        }
        for (i, rec) in records.iter().enumerate() {
            let held = self.get(rec.body.seq)?.is_some_and(|r| r.hash == rec.hash);
            if !held {
                return Err(DeskError::Damaged(format!(
                    "the store at {} is damaged: its journal (frame {}) holds record {}, which the log \
                     does not hold as it is (the log holds up to record {}). The journal is kept as it is \
                     and nothing will be written to the store. Run `dutydesk recover --out NEWDIR`: it \
                     reads the journal and the log and says what it could not bring back",
                    self.path.display(),
                    i + 1,
                    rec.body.seq,
                    self.head_seq
                )));
            }
        }
        self.make_durable()?;
        self.journal.clear()
    }

    /// Refuses a store that no longer holds the last record it acknowledged.
    fn check_acknowledged(&self, bytes: &[u8]) -> Result<(), DeskError> {
        let mut seq_bytes = [0u8; 8];
        seq_bytes.copy_from_slice(&bytes[..8]);
        let seq = u64::from_be_bytes(seq_bytes);
        let holds = seq == 0
            || self
                .get(seq)
                .ok()
                .flatten()
                .is_some_and(|r| r.hash[..] == bytes[8..40]);
        if holds {
            return Ok(());
        }
        Err(DeskError::Damaged(format!(
            "the store at {} is damaged: it acknowledged record {seq}, but now holds only up to record {} \
             (its files were damaged and sled dropped what it could not read). Nothing will be written to it. \
             Run `dutydesk recover --out NEWDIR`: it keeps every record that still verifies and takes the \
             rest from the exports written at each handover",
            self.path.display(),
            self.head_seq
        )))
    }

    /// Rewrites the marker after a durable append. Not fsynced: after a power
    /// cut it can only be behind the log, never ahead, so it never raises a false alarm.
    fn mark_acknowledged(&self) {
        use std::os::unix::fs::FileExt;
        let mut bytes = [0u8; 40];
        bytes[..8].copy_from_slice(&self.head_seq.to_be_bytes());
        bytes[8..].copy_from_slice(&self.head_hash);
        let _ = self.acknowledged.write_all_at(&bytes, 0);
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn head(&self) -> Head {
        Head {
            seq: self.head_seq,
            hash: self.head_hash,
            at_us: self.head_at_us,
        }
    }

    /// Seals `bodies` onto the chain (their `seq` is assigned here), writes them in
    /// one atomic batch and flushes to disk before returning.
    pub fn append(&mut self, bodies: Vec<Body>) -> Result<Vec<Record>, DeskError> {
        if let Some(why) = &self.poisoned {
            return Err(DeskError::Storage(format!(
                "an earlier write failed ({why}); the store must be reopened before anything more is recorded. Nothing was recorded"
            )));
        }
        let mut batch = sled::Batch::default();
        let mut out = Vec::with_capacity(bodies.len());
        let mut stored = Vec::with_capacity(bodies.len());
        let mut batch_bytes = 0u64;
        let mut prev = self.head_hash;
        let mut seq = self.head_seq;
        for mut body in bodies {
            seq += 1;
            body.seq = seq;
            let (rec, bytes) = Record::seal(body, prev)?;
            prev = rec.hash;
            batch_bytes += bytes.len() as u64;
            batch.insert(&seq.to_be_bytes(), bytes.as_slice());
            stored.push(bytes);
            out.push(rec);
        }
        if out.is_empty() {
            return Ok(out);
        }
        // Refused before anything is written: a batch that reaches sled's buffers
        // but not the disk could still be written later by sled's own flusher.
        space::check(&self.path, batch_bytes)?;
        // Durable first, in the journal; a failure there leaves nothing behind.
        let journal_before = self.journal.len();
        if !self.deferred {
            self.journal.append(&stored)?;
        }
        if let Err(e) = self.log()?.apply_batch(batch) {
            // Refused: the journal must not put it back on the next open.
            self.journal.cut_back(journal_before);
            self.poisoned = Some(e.to_string());
            return Err(DeskError::storage("write to the log", e));
        }
        // Now and then sled is made durable and the journal emptied. A failure here
        // does not undo anything: the records are safe in the journal.
        if !self.deferred && self.journal.len() > journal::LIMIT && self.make_durable().is_ok() {
            let _ = self.journal.clear();
        }
        if let Some(last) = out.last() {
            self.head_seq = last.body.seq;
            self.head_hash = last.hash;
            self.head_at_us = last.body.at_us;
        }
        if !self.deferred {
            self.mark_acknowledged();
        }
        Ok(out)
    }

    /// Every record from `from` (inclusive) to the head, in order, checking each
    /// record's own hash and its link to the one before.
    pub fn records_from(&self, from: u64) -> RecordIter<'_> {
        let start = from.max(1);
        RecordIter {
            inner: self.log().map(|log| log.range(start.to_be_bytes()..)),
            path: &self.path,
            expect_seq: start,
            prev: if start == 1 { Some(GENESIS) } else { None },
            end: self.head_seq,
        }
    }

    /// Every record after `seq`, checking that the first links to `hash`.
    pub fn records_after(&self, seq: u64, hash: Hash) -> RecordIter<'_> {
        let mut it = self.records_from(seq + 1);
        it.prev = Some(hash);
        it
    }

    pub fn get(&self, seq: u64) -> Result<Option<Record>, DeskError> {
        match self.log()?.get(seq.to_be_bytes()) {
            Ok(Some(bytes)) => Record::decode(&bytes)
                .map(Some)
                .map_err(|why| damaged(&self.path, seq, &why)),
            Ok(None) => Ok(None),
            Err(e) => Err(open_error(&self.path, e)),
        }
    }

    /// Bulk loading of generated data: appends are not flushed one by one.
    /// Never used for operator commands, which must be durable when acknowledged.
    pub fn defer_durability(&mut self, on: bool) {
        self.deferred = on;
    }

    pub fn is_deferred(&self) -> bool {
        self.deferred
    }

    /// Flushes everything appended so far to disk.
    pub fn sync(&mut self) -> Result<(), DeskError> {
        self.make_durable()?;
        self.journal.clear()?;
        self.mark_acknowledged();
        Ok(())
    }

    /// sled's flush writes its buffers; the fsync of its data file (see
    /// `data_file`) is what puts them on the disk, the same call sled uses for its
    /// own periodic sync.
    fn make_durable(&self) -> Result<(), DeskError> {
        let h = self.handles()?;
        h.db.flush()
            .map_err(|e| DeskError::storage("make the record durable", e))?;
        h.data_file
            .sync_all()
            .map_err(|e| DeskError::storage("make the record durable", e))
    }

    /// Opens the store again after a failed write, with only what was acknowledged.
    ///
    /// A batch the disk refused half-way may sit in sled's buffers, and sled writes
    /// those buffers out on its own (its flusher, or when the handle is dropped) once
    /// space returns. Those records were refused to the operator, so they must not
    /// appear: anything after the last acknowledged record is removed, durably,
    /// before the store takes new writes. The acknowledged records stay untouched.
    pub fn reopen(&mut self) -> Result<(), DeskError> {
        let (dir, seq, hash) = (self.path.clone(), self.head_seq, self.head_hash);
        // sled holds a lock on its files: the old handles must be gone first.
        self.handles = None;
        let mut store = Store::open(&dir)?;
        if store.head_seq > seq {
            let mut batch = sled::Batch::default();
            for s in seq + 1..=store.head_seq {
                batch.remove(&s.to_be_bytes());
            }
            store
                .log()?
                .apply_batch(batch)
                .map_err(|e| DeskError::storage("remove a refused write from the log", e))?;
            store.make_durable()?;
        }
        let at_us = match store.get(seq)? {
            Some(rec) if rec.hash == hash => rec.body.at_us,
            None if seq == 0 => 0,
            _ => {
                return Err(DeskError::Damaged(format!(
                    "the store at {} is damaged: after a failed write it no longer holds record {seq} \
                     as acknowledged. Nothing will be written to it. Run `dutydesk recover --out NEWDIR`",
                    dir.display()
                )))
            }
        };
        store.head_seq = seq;
        store.head_hash = hash;
        store.head_at_us = at_us;
        *self = store;
        Ok(())
    }

    fn handles(&self) -> Result<&Handles, DeskError> {
        self.handles.as_ref().ok_or_else(|| {
            DeskError::Storage(format!(
                "the store at {} could not be opened again after a failed write; nothing was recorded. \
                 Check the disk (free space, `dutydesk doctor`) and try again",
                self.path.display()
            ))
        })
    }

    fn log(&self) -> Result<&sled::Tree, DeskError> {
        Ok(&self.handles()?.log)
    }

    /// Whether a failed write has stopped this handle from writing.
    pub fn is_poisoned(&self) -> bool {
        self.poisoned.is_some()
    }

    /// Bytes the store takes on disk.
    pub fn size_on_disk(&self) -> u64 {
        self.handles()
            .ok()
            .and_then(|h| h.db.size_on_disk().ok())
            .unwrap_or(0)
    }
}

pub struct RecordIter<'a> {
    /// An error instead when the store's handles are gone (a failed reopen).
    inner: Result<sled::Iter, DeskError>,
    path: &'a Path,
    expect_seq: u64,
    prev: Option<Hash>,
    end: u64,
}

impl Iterator for RecordIter<'_> {
    type Item = Result<Record, DeskError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.expect_seq > self.end {
            return None;
        }
        let inner = match &mut self.inner {
            Ok(inner) => inner,
            Err(e) => {
                self.expect_seq = u64::MAX;
                return Some(Err(e.clone()));
            }
        };
        let item = match inner.next()? {
            Ok(kv) => kv,
            Err(e) => return Some(Err(open_error(self.path, e))),
        };
        let seq = seq_of(&item.0);
        let checked = Record::decode(&item.1)
            .map_err(|why| damaged(self.path, seq, &why))
            .and_then(|rec| {
                if rec.body.seq != self.expect_seq || seq != self.expect_seq {
                    return Err(damaged(
                        self.path,
                        seq,
                        &format!("expected record {} here", self.expect_seq),
                    ));
                }
                if let Some(prev) = self.prev {
                    if rec.prev_hash != prev {
                        return Err(damaged(
                            self.path,
                            seq,
                            "it does not link to the record before it",
                        ));
                    }
                }
                Ok(rec)
            });
        match &checked {
            Ok(rec) => {
                self.prev = Some(rec.hash);
                self.expect_seq += 1;
            }
            Err(_) => self.expect_seq = u64::MAX,
        }
        Some(checked)
    }
}

fn seq_of(key: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    if key.len() == 8 {
        b.copy_from_slice(key);
    }
    u64::from_be_bytes(b)
}

fn damaged(dir: &Path, seq: u64, why: &str) -> DeskError {
    DeskError::Damaged(format!(
        "the store at {} is damaged: record {seq}: {why}. Nothing will be written to it. \
         Run `dutydesk recover --out NEWDIR` to copy every record that still verifies into a new store, \
         or restore the directory from a backup",
        dir.display()
    ))
}

fn journal_damaged(dir: &Path, d: &journal::Damage, later: usize) -> DeskError {
    DeskError::Damaged(format!(
        "the store at {} is damaged: its journal ({}) frame {} (at byte {}) does not verify: {}; \
         {later} later frames still do. The journal is kept as it is and nothing will be written to \
         the store. Run `dutydesk recover --out NEWDIR`: it reads every frame that still verifies and \
         says what it could not bring back",
        dir.display(),
        dir.join(journal::FILE).display(),
        d.frame,
        d.offset,
        d.why
    ))
}

fn open_error(dir: &Path, e: sled::Error) -> DeskError {
    match e {
        // sled 0.34.7 reports a held lock as `ErrorKind::Other` with the flock error
        // only in the text ("could not acquire lock on ..."), so match on both.
        sled::Error::Io(io)
            if io.kind() == std::io::ErrorKind::WouldBlock
                || io.to_string().contains("could not acquire lock") =>
        {
            DeskError::Locked(format!(
            "another dutydesk process has the store at {} open. Only one process may own it; \
             stop the other one (or run commands through it) and try again",
                dir.display()
            ))
        }
        sled::Error::Io(io) => DeskError::storage(&format!("open the store at {}", dir.display()), io),
        sled::Error::Corruption { .. } => DeskError::Damaged(format!(
            "the store at {} is damaged: sled reports corruption ({e}). Nothing will be written to it. \
             Run `dutydesk recover --out NEWDIR`, or restore the directory from a backup",
            dir.display()
        )),
        // sled's own words for a damaged `conf` or data file ("created using a
        // sled version earlier than 0.29", "unsupported") say nothing of what to
        // do; `recover` reads the files without sled, so it still works here.
        other => DeskError::Damaged(format!(
            "the store at {} is damaged: it could not be read ({other}). Nothing will be written to it. \
             Run `dutydesk recover --out NEWDIR` to copy every record that still verifies into a new store, \
             or restore the directory from a backup",
            dir.display()
        )),
    }
}

#[cfg(test)]
mod journal_tests;
/// A small record body for the store's own tests.
#[cfg(test)]
fn test_body(n: u64) -> Body {
    Body {
        seq: 0,
        at_us: 1_700_000_000_000_000 + n as i64,
        operator: "王军".into(),
        unix_user: "wang".into(),
        shift: 1,
        request: None,
        event: crate::domain::Event::StoreCreated {
            site: format!("site {n}"),
        },
    }
}

#[cfg(test)]
mod reopen_tests;
