//! The one interface the TUI and the CLI talk to. The same code works on a store
//! opened in this process ([`Local`]) and through the process that owns it over
//! the Unix socket (`server::Client`).

use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use crate::config::plans::Plans;
use crate::config::site::Site;
use crate::desk::{Committed, Desk};
use crate::domain::{Actor, Command};
use crate::error::DeskError;
use crate::state::State;
use crate::store::Record;

/// Everything a screen or a report needs to start from: the state folded up to
/// `state.seq`, and the site's directory and plans.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    pub state: State,
    pub site: Site,
    pub plans: Plans,
    pub head_hash: [u8; 32],
    pub store_bytes: u64,
    /// Set when the desk found that what it served differed from its log (a
    /// checkpoint that did not match): shown as a banner and by `doctor`.
    pub alarm: Option<String>,
}

/// What a live subscription delivers (see [`DeskApi::subscribe_live`]).
// A record per message is the common case; boxing it would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Live {
    /// A committed record, in log order, each once.
    Record(Record),
    /// The connection to the owner is lost (why); reconnecting. May repeat.
    Disconnected(String),
    /// Connected again; the records missed meanwhile follow first.
    Reconnected,
    /// The desk found that what it served differed from its log and now serves
    /// the log's own fold: a replica must take a fresh snapshot.
    Alarm(String),
}

pub trait DeskApi: Send {
    /// Submits a command; returns its records once they are durable.
    /// `request` is an idempotency key: a retry with the same key is applied once.
    fn submit(&mut self, cmd: Command, request: Option<String>) -> Result<Committed, DeskError>;

    /// The current state and site data.
    fn snapshot(&mut self) -> Result<Snapshot, DeskError>;

    /// Records from `from` (inclusive), at most `limit`.
    fn records(&mut self, from: u64, limit: usize) -> Result<Vec<Record>, DeskError>;

    /// A channel of every record committed from now on, by anyone.
    fn subscribe(&mut self) -> Result<Receiver<Record>, DeskError>;

    /// Like `subscribe`, but survives the owner going away: says when the
    /// connection is lost and back, and catches up on what was missed.
    fn subscribe_live(&mut self) -> Result<Receiver<Live>, DeskError> {
        let records = self.subscribe()?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for r in records {
                if tx.send(Live::Record(r)).is_err() {
                    break;
                }
            }
        });
        Ok(rx)
    }

    /// Who this connection acts as.
    fn actor(&self) -> &Actor;

    /// Whether this handle is connected through another process (for the header).
    fn is_remote(&self) -> bool {
        false
    }
}

/// A desk opened in this process.
pub struct Local {
    desk: Arc<Mutex<Desk>>,
    actor: Actor,
}

impl Local {
    pub fn new(desk: Arc<Mutex<Desk>>, actor: Actor) -> Local {
        Local { desk, actor }
    }

    fn lock(&self) -> Result<MutexGuard<'_, Desk>, DeskError> {
        self.desk.lock().map_err(|_| {
            DeskError::Internal("the desk lock was poisoned by a crash in another thread".into())
        })
    }
}

impl DeskApi for Local {
    fn submit(&mut self, cmd: Command, request: Option<String>) -> Result<Committed, DeskError> {
        let actor = self.actor.clone();
        self.lock()?.submit(&actor, &cmd, request)
    }

    fn snapshot(&mut self) -> Result<Snapshot, DeskError> {
        let mut d = self.lock()?;
        d.refresh_config()?;
        Ok(Snapshot {
            state: d.state().clone(),
            site: d.site().clone(),
            plans: d.plans().clone(),
            head_hash: d.head().hash,
            store_bytes: d.store().size_on_disk(),
            alarm: d.alarm().map(str::to_string),
        })
    }

    fn records(&mut self, from: u64, limit: usize) -> Result<Vec<Record>, DeskError> {
        self.lock()?.records(from, limit)
    }

    fn subscribe(&mut self) -> Result<Receiver<Record>, DeskError> {
        Ok(self.lock()?.subscribe())
    }

    fn actor(&self) -> &Actor {
        &self.actor
    }
}
