//! What every connection thread of the owner shares: the desk behind its lock,
//! the fan-out to subscribers, the log and the admissions. Apart from `owner`
//! (which builds it) so that `session` (which uses it) imports no `owner`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::clock::{self, Clock, SharedClock};
use crate::datadir::DataDir;
use crate::desk::{Committed, Desk};
use crate::domain::{Actor, Command};
use crate::error::DeskError;
use crate::server::fanout::Fanout;
use crate::server::limits::{Admissions, Limits};
use crate::server::log::Log;

/// A clock the owner points at the connection being served, used only when the
/// owner itself runs on `DUTYDESK_NOW` (tests): then each client's own
/// `DUTYDESK_NOW` dates its records, as when every command opened the store itself.
pub struct SwitchClock(pub(crate) Mutex<SharedClock>);

impl Clock for SwitchClock {
    fn now(&self) -> DateTime<Utc> {
        match self.0.lock() {
            Ok(c) => c.now(),
            Err(_) => Utc::now(),
        }
    }
}

/// What every connection thread shares.
pub struct Shared {
    pub dir: DataDir,
    pub desk: Mutex<Desk>,
    pub fanout: Fanout,
    pub log: Log,
    pub limits: Limits,
    pub(crate) admissions: Admissions,
    pub(crate) last_left: Mutex<Instant>,
    pub(crate) base_clock: SharedClock,
    pub(crate) test_clock: Option<Arc<SwitchClock>>,
}

impl Shared {
    pub fn lock_desk(&self) -> Result<std::sync::MutexGuard<'_, Desk>, DeskError> {
        self.desk
            .lock()
            .map_err(|_| DeskError::Internal("the desk lock was poisoned by a crash".into()))
    }

    /// The clock a client's commands are dated by (see [`SwitchClock`]).
    pub fn clock_for(&self, now: Option<&str>) -> SharedClock {
        if self.test_clock.is_some() {
            if let Some(Ok(at)) = now.map(|n| DateTime::parse_from_rfc3339(n.trim())) {
                return Arc::new(clock::OffsetClock::starting_at(at.with_timezone(&Utc)));
            }
        }
        self.base_clock.clone()
    }

    /// Submits under the desk lock and queues the new records for every subscriber
    /// before the lock is released, so pushes go out in log order.
    pub fn submit(
        &self,
        actor: &Actor,
        clock: &SharedClock,
        cmd: &Command,
        request: String,
    ) -> Result<Committed, DeskError> {
        let mut desk = self.lock_desk()?;
        if let Some(sw) = &self.test_clock {
            if let Ok(mut c) = sw.0.lock() {
                *c = clock.clone();
            }
        }
        let before = desk.head().seq;
        let result = desk.submit(actor, cmd, Some(request));
        // A retried submission returns the first one's records: already pushed.
        let mut new: Vec<_> = match &result {
            Ok(c) => c
                .records
                .iter()
                .filter(|r| r.body.seq > before)
                .cloned()
                .collect(),
            Err(_) => Vec::new(),
        };
        // Even a refused command may follow records the desk added itself (the
        // files of an earlier handover): every new record is pushed, none skipped.
        let head = desk.head().seq;
        if new.len() as u64 != head - before {
            match desk.records(before + 1, (head - before) as usize) {
                Ok(all) => new = all,
                Err(e) => self
                    .log
                    .warn(&format!("cannot read back new records to push: {e}")),
            }
        }
        self.fanout.publish(&new, &self.log);
        result
    }

    pub(crate) fn client_left(&self, uid: u32) {
        self.admissions.left(uid);
        if let Ok(mut t) = self.last_left.lock() {
            *t = Instant::now();
        }
    }

    pub(crate) fn idle_for(&self) -> Option<Duration> {
        if self.admissions.total() > 0 {
            return None;
        }
        self.last_left.lock().ok().map(|t| t.elapsed())
    }
}
