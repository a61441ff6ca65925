//! The desk: the one writer. It owns the store, keeps the state folded from it,
//! checks each command against the rules, appends the events durably, and tells
//! subscribers about every committed record.

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use crate::clock::SharedClock;
use crate::config::site::Site;
use crate::domain::{Actor, Command, Event};
use crate::emergency::Plans;
use crate::error::DeskError;
use crate::rules::{self, Context};
use crate::state::{checkpoint, State};
use crate::store::{Body, Head, Record, Store};

/// Where things live in a data directory.
#[derive(Debug, Clone)]
pub struct DataDir(pub PathBuf);

impl DataDir {
    pub fn store(&self) -> PathBuf {
        self.0.join("store")
    }
    pub fn site(&self) -> PathBuf {
        self.0.join("site.toml")
    }
    pub fn checklists(&self) -> PathBuf {
        self.0.join("checklists")
    }
    pub fn exports(&self) -> PathBuf {
        self.0.join("exports")
    }
    pub fn reports(&self) -> PathBuf {
        self.0.join("reports")
    }
    pub fn operators(&self) -> PathBuf {
        self.0.join("operators.toml")
    }
    pub fn socket(&self) -> PathBuf {
        self.0.join("owner.sock")
    }
    pub fn owner_lock(&self) -> PathBuf {
        self.0.join("owner.lock")
    }
    pub fn checkpoint(&self) -> PathBuf {
        self.0.join("checkpoint.bin")
    }
    pub fn server_log(&self) -> PathBuf {
        self.0.join("dutydesk.log")
    }
}

/// What a successful command gives back: its records, durable on disk, and any
/// warnings the operator should see (the command was accepted all the same).
#[derive(Debug, Clone)]
pub struct Committed {
    pub records: Vec<Record>,
    pub warnings: Vec<String>,
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
    subscribers: Vec<mpsc::Sender<Record>>,
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
        let opened = std::panic::catch_unwind(|| -> Result<(Store, State, u64), DeskError> {
            let store = Store::open(&dir.store())?;
            let (mut state, replayed) = match checkpoint::load(&checkpoint_file) {
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
                    (state, n)
                }
                _ => {
                    let mut state = State::new();
                    for rec in store.records_from(1) {
                        state.apply(&rec?);
                    }
                    let n = state.seq;
                    (state, n)
                }
            };
            state.seq = store.head().seq;
            Ok((store, state, replayed))
        });
        let (store, state, replayed) = opened.map_err(|_| {
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
            subscribers: Vec::new(),
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
    pub fn submit(
        &mut self,
        actor: &Actor,
        cmd: &Command,
        request: Option<String>,
    ) -> Result<Committed, DeskError> {
        self.refresh_config()?;
        check_files(cmd)?;
        if let Some(key) = &request {
            if let Some(done) = self.retried(key, actor, cmd)? {
                return Ok(done);
            }
        }
        let now = self.clock.now();
        let ctx = Context {
            now,
            actor,
            site: &self.site,
            plans: &self.plans,
        };
        let decision = rules::decide(&self.state, cmd, &ctx)?;
        let mut events = Vec::new();
        if self.state.store_is_new() {
            events.push(Event::StoreCreated {
                site: format!("{} {}", self.site.site.name_en, self.site.site.name_zh),
            });
        }
        // The first command when no shift is open opens one for its operator.
        let mut shift = self.state.shifts.current().map(|s| s.id);
        if shift.is_none() && !matches!(cmd, Command::ShiftStart) {
            let id = self.state.shifts.next_id();
            events.push(Event::ShiftStarted {
                shift: id,
                operator: actor.operator.clone(),
            });
            shift = Some(id);
        }
        events.extend(decision.events);
        // Times never run backwards in the log, even if the system clock does.
        let at_us = now.timestamp_micros().max(self.state.last_at_us);
        let mut bodies = Vec::with_capacity(events.len());
        for event in events {
            let this_shift = match &event {
                Event::ShiftStarted { shift: s, .. } => {
                    shift = Some(*s);
                    *s
                }
                Event::HandoverOffered {
                    from_shift,
                    to_shift,
                    ..
                } => {
                    shift = Some(*to_shift);
                    *from_shift
                }
                _ => shift.unwrap_or(0),
            };
            bodies.push(Body {
                seq: 0,
                at_us,
                operator: actor.operator.clone(),
                unix_user: actor.unix_user.clone(),
                shift: this_shift,
                request: request.clone(),
                event,
            });
        }
        let records = self.append(bodies)?;
        if let Some(key) = &request {
            self.sent.remember(key, cmd);
        }
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
        Ok(Committed {
            records,
            warnings: decision.warnings,
        })
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
            return Err(DeskError::Refused(crate::domain::text::both(
                format!(
                    "the request key {key:?} was already used by {op} ({user}) for another command \
                     (record {from}); a retry must repeat the same command as the same operator. \
                     Nothing was recorded: send it again with a new request key"
                ),
                format!(
                    "请求键 {key:?} 已被 {op}（{user}）用于另一条命令（记录 {from}）；\
                     重试必须由同一操作员重复同一命令。未记录任何内容：请换一个新的请求键重新提交"
                ),
            )));
        }
        Ok(Some(Committed {
            records,
            warnings: vec!["already recorded (a retried submission)".into()],
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

impl State {
    /// Whether nothing has been recorded yet.
    pub fn store_is_new(&self) -> bool {
        self.seq == 0
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

/// A record that a report or an export was written is evidence (it clears the
/// handover's "no incident report" concern), so the file must really be there.
fn check_files(cmd: &Command) -> Result<(), DeskError> {
    let paths: Vec<&String> = match cmd {
        Command::EmergencyReported { path, .. } => vec![path],
        Command::ExportRecorded { paths, .. } => paths.iter().collect(),
        _ => return Ok(()),
    };
    for p in paths {
        let path = std::path::Path::new(p);
        if !path.is_absolute() || !path.is_file() {
            return Err(DeskError::invalid(
                "path",
                format!("{p} is not a written file (give its full path)"),
            ));
        }
    }
    Ok(())
}
