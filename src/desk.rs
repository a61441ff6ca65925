//! The desk: the one writer. It owns the store, keeps the state folded from it,
//! checks each command against the rules, appends the events durably, and tells
//! subscribers about every committed record.

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use crate::clock::{Reader, SharedClock};
use crate::config::plans::Plans;
use crate::config::site::Site;
use crate::datadir::DataDir;
use crate::domain::{Actor, Command, Event};
use crate::error::DeskError;
use crate::rules::framing::Placed;
use crate::rules::{self, Context};
use crate::state::{checkpoint, State};
use crate::store::{Body, Head, Record, Store};

pub mod refold;

/// What a successful command gives back: its records, durable on disk, and any
/// warnings the operator should see (the command was accepted all the same).
#[derive(Debug, Clone)]
pub struct Committed {
    pub records: Vec<Record>,
    pub warnings: Vec<crate::domain::Warning>,
}

pub struct Desk {
    dir: DataDir,
    store: Store,
    state: State,
    site: Site,
    plans: Plans,
    /// What the site's files looked like when they were read, so edits made
    /// while an owner runs take effect on the next command (see `refresh_config`).
    config_seen: Vec<(PathBuf, Option<std::time::SystemTime>, u64)>,
    clock: SharedClock,
    /// Reads the clock for each command (see [`Reader`]).
    reader: Reader,
    subscribers: Vec<mpsc::Sender<Record>>,
    /// Writes handover exports and incident reports; see [`Desk::set_evidence`].
    evidence: Option<Box<dyn EvidenceWriter>>,
    /// What the re-fold found wrong with the state the desk started from (see
    /// `refold`); kept for the dashboard's banner and `doctor`.
    alarm: Option<String>,
    /// Started from a checkpoint, not yet compared with the log's own fold.
    from_checkpoint: bool,
    /// What each idempotency key submitted to this desk was for (see `retried`).
    sent: SentCommands,
}

/// A fingerprint of the command behind each recent idempotency key, so a key
/// reused for another command is told apart from a retry. A cache of what this
/// desk was sent (the log keeps who sent each key, not the command itself):
/// after a restart only the sender is compared.
#[derive(Default)]
struct SentCommands {
    by_key: std::collections::HashMap<String, [u8; 32]>,
    order: std::collections::VecDeque<String>,
}

impl SentCommands {
    const KEPT: usize = 10_000;

    fn fingerprint(cmd: &Command) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        // A command that cannot be encoded (never seen) still gets its name hashed.
        h.update(cmd.name().as_bytes());
        h.update(postcard::to_allocvec(cmd).unwrap_or_default());
        h.finalize().into()
    }

    fn remember(&mut self, key: &str, cmd: &Command) {
        if self
            .by_key
            .insert(key.to_string(), Self::fingerprint(cmd))
            .is_none()
        {
            self.order.push_back(key.to_string());
            if self.order.len() > Self::KEPT {
                if let Some(old) = self.order.pop_front() {
                    self.by_key.remove(&old);
                }
            }
        }
    }

    /// False only when this desk knows the key was sent with another command.
    fn same_command(&self, key: &str, cmd: &Command) -> bool {
        self.by_key
            .get(key)
            .is_none_or(|fp| *fp == Self::fingerprint(cmd))
    }
}

impl Desk {
    /// Opens the data directory: reads the site files, opens the store and
    /// rebuilds the state by replaying the whole log (checking the chain).
    pub fn open(dir: &Path, clock: SharedClock) -> Result<Desk, DeskError> {
        let dir = DataDir(dir.to_path_buf());
        let config_seen = config_fingerprint(&dir);
        let site = Site::load(&dir.0)?;
        let plans = Plans::load(&dir.checklists())?;
        // sled 0.34 can panic on some damaged files; a damaged store must get a
        // clear message, not a crash.
        let checkpoint_file = dir.checkpoint();
        let opened =
            std::panic::catch_unwind(|| -> Result<(Store, State, u64, bool), DeskError> {
                let store = Store::open(&dir.store())?;
                let (mut state, replayed, from_checkpoint) =
                    match checkpoint::load(&checkpoint_file) {
                        // Used only if the record it was folded up to is still there, unchanged.
                        Some(cp)
                            if cp.seq <= store.head().seq
                                && store
                                    .get(cp.seq)
                                    .ok()
                                    .flatten()
                                    .is_some_and(|r| r.hash == cp.hash) =>
                        {
                            let mut state = cp.state;
                            let mut n = 0;
                            for rec in store.records_after(cp.seq, cp.hash) {
                                state.apply(&rec?);
                                n += 1;
                            }
                            (state, n, true)
                        }
                        _ => {
                            let mut state = State::new();
                            for rec in store.records_from(1) {
                                state.apply(&rec?);
                            }
                            let n = state.seq;
                            (state, n, false)
                        }
                    };
                state.seq = store.head().seq;
                Ok((store, state, replayed, from_checkpoint))
            });
        let (store, state, replayed, from_checkpoint) = opened.map_err(|_| {
            DeskError::Damaged(format!(
                "the store at {} is damaged: it could not be read. Nothing will be written to it. \
                 Run `dutydesk recover --out NEWDIR`, or restore the directory from a backup",
                dir.store().display()
            ))
        })??;
        if replayed >= checkpoint::REFRESH_AFTER {
            checkpoint::save(&dir.checkpoint(), &state, &store.head().hash);
        }
        Ok(Desk {
            dir,
            store,
            state,
            site,
            plans,
            config_seen,
            clock,
            reader: Reader::default(),
            subscribers: Vec::new(),
            evidence: None,
            alarm: None,
            from_checkpoint,
            sent: SentCommands::default(),
        })
    }

    pub fn dir(&self) -> &DataDir {
        &self.dir
    }
    pub fn state(&self) -> &State {
        &self.state
    }
    pub fn site(&self) -> &Site {
        &self.site
    }
    pub fn plans(&self) -> &Plans {
        &self.plans
    }
    pub fn store(&self) -> &Store {
        &self.store
    }
    pub fn head(&self) -> Head {
        self.store.head()
    }
    pub fn clock(&self) -> &SharedClock {
        &self.clock
    }
    /// The alarm raised when the state served differed from the log's own fold.
    pub fn alarm(&self) -> Option<&str> {
        self.alarm.as_deref()
    }

    /// Rereads the site directory and the plans if their files changed since they
    /// were read. A file that is now wrong stops the command with its file and
    /// line; the desk keeps what it had until the file is mended.
    pub fn refresh_config(&mut self) -> Result<(), DeskError> {
        let now = config_fingerprint(&self.dir);
        if now == self.config_seen {
            return Ok(());
        }
        let site = Site::load(&self.dir.0)?;
        let plans = Plans::load(&self.dir.checklists())?;
        self.site = site;
        self.plans = plans;
        self.config_seen = now;
        Ok(())
    }

    /// Checks `cmd` for `actor`, appends its events durably and returns them.
    /// A retried submission (same `request` key) returns the first one's records.
    /// A handover and an incident report also get their evidence files written by
    /// the desk's [`EvidenceWriter`] and recorded (see [`Desk::set_evidence`]).
    pub fn submit(
        &mut self,
        actor: &Actor,
        cmd: &Command,
        request: Option<String>,
    ) -> Result<Committed, DeskError> {
        self.refresh_config()?;
        if let Some(key) = &request {
            if let Some(done) = self.retried(key, actor, cmd)? {
                return Ok(done);
            }
        }
        // Files a crash or a full disk left unwritten are written before anything
        // new; their records come first in what this command returns.
        let (mut records, mut late) = self.write_pending();
        let taken = self.reader.read(&*self.clock, self.state.last_at_us);
        let reading = taken.reading;
        // Times never run backwards in the log, even if the system clock does.
        let now = rules::clock::log_now(&self.state, &reading, &self.site);
        let ctx = Context {
            now,
            reading,
            actor,
            site: &self.site,
            plans: &self.plans,
        };
        let mut decision = rules::decide(&self.state, cmd, &ctx)?;
        if let Command::EmergencyReport { run } = cmd {
            // The report is written (whole, fsynced) before it is recorded: a crash
            // in between leaves an unrecorded file, which is no evidence and which
            // the next report of the run overwrites.
            let run = self.state.find_run(run)?.id.clone();
            let at_us = now.timestamp_micros().max(self.state.last_at_us);
            let hook = self.evidence.as_deref().ok_or_else(no_writer)?;
            let path = hook.incident_report(self, &run, at_us)?;
            hook.reached(CrashPoint::AfterReportFile);
            decision
                .events
                .push(Event::IncidentReportWritten { run, path });
        }
        let placed = rules::framing::place(&self.state, decision.events);
        let own = self.commit(actor, now, request.clone(), placed)?;
        self.reader.keep(&taken);
        if let Some(key) = &request {
            self.sent.remember(key, cmd);
        }
        let handed_over = own.iter().find_map(|r| match &r.body.event {
            Event::HandoverOffered { from_shift, .. } => Some(*from_shift),
            _ => None,
        });
        records.extend(own);
        if let (Some(shift), true) = (handed_over, self.evidence.is_some()) {
            if let Some(hook) = self.evidence.as_deref() {
                hook.reached(CrashPoint::AfterHandoverRecord);
            }
            match self.write_exports(shift, actor, request, true) {
                Ok(more) => records.extend(more),
                Err(e) => decision.warnings.push(exports_pending(shift, &e, true)),
            }
        }
        // A signature completes the outgoing shift's report: the desk writes its
        // files again, signed, and records them (the manager files the signed one).
        let signed = records.iter().find_map(|r| match &r.body.event {
            Event::HandoverAccepted { shift, .. } => {
                self.state.shifts.get(*shift).and_then(|s| s.from_shift)
            }
            _ => None,
        });
        if let (Some(shift), true) = (signed, self.evidence.is_some()) {
            match self.write_exports(shift, actor, None, false) {
                Ok(more) => records.extend(more),
                Err(e) => decision.warnings.push(exports_pending(shift, &e, true)),
            }
        }
        decision.warnings.append(&mut late);
        Ok(Committed {
            records,
            warnings: decision.warnings,
        })
    }

    /// Lets `writer` write the evidence files of this desk's handovers and reports.
    /// Without one (bulk loading, some tests) a handover is recorded with its files
    /// pending, and the next desk that has one writes them.
    pub fn set_evidence(&mut self, writer: Box<dyn EvidenceWriter>) {
        self.evidence = Some(writer);
    }

    /// Writes and records the export files of handovers that have none yet (the
    /// owner died between the handover and its files, or the disk was full).
    /// Returns a warning for each that still could not be written.
    pub fn complete_pending(&mut self) -> Vec<crate::domain::Warning> {
        self.write_pending().1
    }

    /// As [`Desk::complete_pending`], with the records it appended.
    fn write_pending(&mut self) -> (Vec<Record>, Vec<crate::domain::Warning>) {
        let mut records = Vec::new();
        let mut warnings = Vec::new();
        if self.evidence.is_none() {
            return (records, warnings);
        }
        for shift in self.state.shifts.exports_pending() {
            // Recorded as the handover was: by its operator, under its request key,
            // so a client retrying the handover gets the files' record too.
            let offered = self
                .state
                .shifts
                .get(shift)
                .and_then(|s| self.store.get(s.last_seq).ok().flatten());
            let (actor, request) = match offered {
                Some(r) => (
                    Actor::new(r.body.operator.clone(), r.body.unix_user.clone()),
                    r.body.request.clone(),
                ),
                None => (Actor::new("dutydesk", "dutydesk"), None),
            };
            match self.write_exports(shift, &actor, request, false) {
                Ok(more) => records.extend(more),
                Err(e) => warnings.push(exports_pending(shift, &e, false)),
            }
        }
        (records, warnings)
    }

    /// Has the writer write the three files of `shift` and records them.
    fn write_exports(
        &mut self,
        shift: u64,
        actor: &Actor,
        request: Option<String>,
        live: bool,
    ) -> Result<Vec<Record>, DeskError> {
        let hook = self.evidence.as_deref().ok_or_else(no_writer)?;
        let paths = hook.handover_files(self, shift)?;
        if live {
            hook.reached(CrashPoint::AfterFiles);
        }
        let now = self.clock.now();
        let events = vec![Event::ExportWritten { shift, paths }];
        let events = rules::framing::framed(&self.state, &self.site, actor, events);
        let placed = rules::framing::place(&self.state, events);
        self.commit(actor, now, request, placed)
    }

    /// Appends the events the rules placed as one durable batch, folds them in
    /// and tells subscribers. Nothing is decided here.
    fn commit(
        &mut self,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
        request: Option<String>,
        placed: Vec<Placed>,
    ) -> Result<Vec<Record>, DeskError> {
        // Times never run backwards in the log, even if the system clock does.
        let at_us = now.timestamp_micros().max(self.state.last_at_us);
        let bodies = placed
            .into_iter()
            .map(|p| Body {
                seq: 0,
                at_us,
                operator: actor.operator.clone(),
                unix_user: actor.unix_user.clone(),
                shift: p.shift,
                request: request.clone(),
                event: p.event,
            })
            .collect();
        let records = self.append(bodies)?;
        for r in &records {
            self.state.apply(r);
        }
        // A long-running owner refreshes the checkpoint as the log grows.
        if !self.store.is_deferred()
            && self.state.seq / checkpoint::REFRESH_AFTER
                != (self.state.seq - records.len() as u64) / checkpoint::REFRESH_AFTER
        {
            checkpoint::save(&self.dir.checkpoint(), &self.state, &self.store.head().hash);
        }
        self.subscribers
            .retain(|tx| records.iter().all(|r| tx.send(r.clone()).is_ok()));
        Ok(records)
    }

    /// The first submission's records when `key` was already used, if it was the
    /// same command from the same person (a retry after a lost reply). A key
    /// reused by someone else, or for another command, is refused: answering
    /// with another submission's records would report a command as done that
    /// never was.
    fn retried(
        &self,
        key: &str,
        actor: &Actor,
        cmd: &Command,
    ) -> Result<Option<Committed>, DeskError> {
        let Some((from, to)) = self.state.request(key) else {
            return Ok(None);
        };
        let mut records = Vec::new();
        for seq in from..=to {
            if let Some(r) = self.store.get(seq)? {
                records.push(r);
            }
        }
        let sender = records
            .first()
            .map(|r| (&r.body.operator, &r.body.unix_user));
        let same_sender =
            sender.is_none_or(|(op, user)| *op == actor.operator && *user == actor.unix_user);
        if !same_sender || !self.sent.same_command(key, cmd) {
            let (op, user) = sender
                .map(|(o, u)| (o.as_str(), u.as_str()))
                .unwrap_or_default();
            return Err(DeskError::Refused(
                crate::domain::Refusal::RequestKeyReused {
                    key: key.to_string(),
                    operator: op.to_string(),
                    unix_user: user.to_string(),
                    record: from,
                },
            ));
        }
        Ok(Some(Committed {
            records,
            warnings: vec![crate::domain::Warning::AlreadyRecorded],
        }))
    }

    /// Appends durably. A store poisoned by an earlier failed write (disk full
    /// while sled was flushing) is reopened first, so service resumes by itself
    /// once space returns; the state needs no refold, as a refused batch was never
    /// folded in and `Store::reopen` drops it from the log.
    fn append(&mut self, bodies: Vec<Body>) -> Result<Vec<Record>, DeskError> {
        if self.store.is_poisoned() {
            self.store.reopen()?;
        }
        self.store.append(bodies)
    }

    /// For bulk generation only: see [`Store::defer_durability`].
    pub fn defer_durability(&mut self, on: bool) -> Result<(), DeskError> {
        self.store.defer_durability(on);
        if on {
            Ok(())
        } else {
            self.store.sync()
        }
    }

    /// A channel that receives every record committed from now on.
    pub fn subscribe(&mut self) -> mpsc::Receiver<Record> {
        let (tx, rx) = mpsc::channel();
        self.subscribers.push(tx);
        rx
    }

    /// Records from `from` on, at most `limit`.
    pub fn records(&self, from: u64, limit: usize) -> Result<Vec<Record>, DeskError> {
        self.store.records_from(from).take(limit).collect()
    }
}

/// Path, modification time and size of each file the desk reads its site data from.
fn config_fingerprint(dir: &DataDir) -> Vec<(PathBuf, Option<std::time::SystemTime>, u64)> {
    let mut files = vec![dir.site()];
    if let Ok(entries) = std::fs::read_dir(dir.checklists()) {
        let mut plans: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        plans.sort();
        files.extend(plans);
    }
    files
        .into_iter()
        .map(|p| {
            let meta = std::fs::metadata(&p).ok();
            let modified = meta.as_ref().and_then(|m| m.modified().ok());
            let len = meta.map(|m| m.len()).unwrap_or(0);
            (p, modified, len)
        })
        .collect()
}

/// Where a step of writing evidence has been reached, for the crash tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrashPoint {
    /// The handover is recorded; its files are not written yet.
    AfterHandoverRecord,
    /// The handover's files are written; their record is not appended yet.
    AfterFiles,
    /// The incident report is written; its record is not appended yet.
    AfterReportFile,
}

/// What writes the files a handover or an incident report leaves as evidence. The
/// desk decides and records; the writer (`export::evidence`, above the desk in
/// the layers) renders and writes, so the desk need not know the file formats.
pub trait EvidenceWriter: Send {
    /// Writes the three export files of `shift`, which is handed over in the log,
    /// each whole and fsynced; returns their full paths, inside `DATA/exports`.
    fn handover_files(&self, desk: &Desk, shift: u64) -> Result<Vec<String>, DeskError>;
    /// Writes the incident report of `run` as of `at_us` (the time its record
    /// will carry); returns its full path, inside `DATA/reports`.
    fn incident_report(&self, desk: &Desk, run: &str, at_us: i64) -> Result<String, DeskError>;
    /// Called at each step of writing evidence; a test writer may stop the process there.
    fn reached(&self, _step: CrashPoint) {}
}

fn no_writer() -> DeskError {
    DeskError::Internal("this desk was opened without a writer for its evidence files".into())
}

/// The warning of a handover whose files are not written yet: the handover
/// itself stands, and the next command writes them.
fn exports_pending(shift: u64, e: &DeskError, now: bool) -> crate::domain::Warning {
    use crate::domain::Lang;
    crate::domain::Warning::ExportsPending {
        shift,
        cause_en: e.cause(Lang::En),
        cause_zh: e.cause(Lang::Zh),
        first: now,
    }
}
