//! One connected client, on its own thread: the hello (identity from the kernel,
//! name and role from operators.toml), then requests and replies, or, after
//! `Subscribe`, a stream of pushed records. Anything malformed ends this client's
//! connection with a logged reason and touches nothing else.

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::domain::Actor;
use crate::error::DeskError;
use crate::server::frame::{self, FrameError, MAX_REQUEST, VERSION};
use crate::server::operators;
use crate::server::peer::Peer;
use crate::server::protocol::{Reply, Request};
use crate::server::shared::Shared;

/// A client that does not take a reply for this long is gone.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// An idle subscriber is pinged this often, so one that vanished is noticed.
const PING_EVERY: Duration = Duration::from_secs(15);
/// The most records one `Records` reply carries; the client pages.
pub const RECORDS_PAGE: u32 = 2000;

struct Left<'a>(&'a Shared, u32);

impl Drop for Left<'_> {
    fn drop(&mut self) {
        self.0.client_left(self.1);
    }
}

/// Reads with one deadline for a whole frame: the socket's timeout is set to
/// what is left before each read, so a client sending a byte now and then
/// cannot hold its connection past the deadline.
struct Deadline<'a> {
    stream: &'a UnixStream,
    until: Instant,
}

impl std::io::Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "no hello in time",
            ));
        }
        self.stream.set_read_timeout(Some(left))?;
        (&mut &*self.stream).read(buf)
    }
}

/// Serves one admitted connection; `peer` and `user` were found at accept.
pub fn run(shared: Arc<Shared>, mut stream: UnixStream, peer: Peer, user: String) {
    let _left = Left(&shared, peer.uid);
    let who = format!("{user} (pid {})", peer.pid);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut hello_reader = Deadline {
        stream: &stream,
        until: Instant::now() + shared.limits.hello,
    };
    let hello = match frame::read::<Request>(&mut hello_reader, MAX_REQUEST) {
        Ok(h) => h,
        Err(FrameError::Closed) => return,
        Err(e) => {
            // Each kind of failure once a second: a flood of slow or garbled
            // connections must not flood the log, yet every reason shows.
            let kind = match e {
                FrameError::TooLarge(_) => "hello-too-large",
                FrameError::Version(_) => "hello-version",
                FrameError::Malformed(_) => "hello-malformed",
                _ => "hello-io",
            };
            shared
                .log
                .repeated(kind, "dropping client before hello", &format!("{who}: {e}"));
            return;
        }
    };
    let Request::Hello {
        version,
        operator,
        now,
    } = hello
    else {
        let why = format!("{who}: it did not start with hello");
        shared
            .log
            .repeated("hello-missing", "dropping client", &why);
        return;
    };
    if version != VERSION {
        let e = DeskError::Connection(format!(
            "this owner speaks protocol version {VERSION}, the client {version}; run the same dutydesk version everywhere"
        ));
        let why = format!("{who}: {e}");
        shared
            .log
            .repeated("hello-protocol", "refusing client", &why);
        let _ = frame::write(&mut stream, &Reply::Error(e));
        return;
    }
    let actor = match operators::resolve(&shared.dir.operators(), &user, operator.as_deref()) {
        Ok(a) => a,
        Err(e) => {
            let why = format!("{who}: {e}");
            shared
                .log
                .repeated("hello-refused", "refusing client", &why);
            let _ = frame::write(&mut stream, &Reply::Error(e));
            return;
        }
    };
    let clock = shared.clock_for(now.as_deref());
    let welcome = Reply::Welcome {
        actor: actor.clone(),
        owner_pid: std::process::id(),
    };
    if frame::write(&mut stream, &welcome).is_err() {
        return;
    }
    let _ = stream.set_read_timeout(None);
    loop {
        let req = match frame::read::<Request>(&mut stream, MAX_REQUEST) {
            Ok(r) => r,
            Err(FrameError::Closed) => return,
            Err(e) => {
                let why = format!("{who}: {e}");
                shared.log.repeated("request-bad", "dropping client", &why);
                return;
            }
        };
        let reply = match req {
            Request::Submit { cmd, request } => {
                match shared.submit(&actor, &clock, &cmd, request) {
                    Ok(c) => match to_bytes(&c.records).inspect(|_| die_after_commit()) {
                        Ok(records) => Reply::Committed {
                            records,
                            warnings: c.warnings,
                        },
                        Err(e) => Reply::Error(e),
                    },
                    Err(e) => Reply::Error(e),
                }
            }
            Request::Snapshot => {
                // Encoded straight from the desk's own state: no copy of a year of
                // history is made just to send it.
                let bytes = match encode_snapshot(&shared) {
                    Ok(b) => b,
                    Err(e) => match frame::encode(&Reply::Error(e)) {
                        Ok(b) => b,
                        Err(_) => return,
                    },
                };
                if let Err(e) = stream.write_all(&bytes) {
                    shared
                        .log
                        .warn(&format!("dropping client {who}: cannot reply: {e}"));
                    return;
                }
                continue;
            }
            Request::Records { from, limit } => {
                match records(&shared, from, limit.min(RECORDS_PAGE) as usize, u64::MAX) {
                    Ok(r) => Reply::Records(r),
                    Err(e) => Reply::Error(e),
                }
            }
            Request::Subscribe { from } => return push(&shared, stream, &who, &actor, from),
            Request::Hello { .. } => {
                shared
                    .log
                    .warn(&format!("dropping client {who}: a second hello"));
                return;
            }
        };
        if let Err(e) = frame::write(&mut stream, &reply) {
            shared
                .log
                .warn(&format!("dropping client {who}: cannot reply: {e}"));
            return;
        }
    }
}

/// A test hook (debug builds only): when `DUTYDESK_TEST_DIE_AFTER_COMMIT` names
/// a file holding a count, the owner takes one off it (removing the file at
/// zero) and kills itself after the command is durable but before the reply:
/// the one moment a client cannot know the outcome. The count lets a test have
/// several owners in a row die there.
fn die_after_commit() {
    #[cfg(debug_assertions)]
    if let Some(file) = std::env::var_os("DUTYDESK_TEST_DIE_AFTER_COMMIT") {
        let left = std::fs::read_to_string(&file)
            .ok()
            .and_then(|t| t.trim().parse::<u32>().ok());
        if let Some(n) = left.filter(|n| *n > 0) {
            let _ = match n {
                1 => std::fs::remove_file(&file),
                _ => std::fs::write(&file, (n - 1).to_string()),
            };
            // SAFETY: sends SIGKILL to this process, as an operator's kill -9 would.
            unsafe { libc::kill(libc::getpid(), libc::SIGKILL) };
        }
    }
}

fn to_bytes(records: &[crate::store::Record]) -> Result<Vec<Vec<u8>>, DeskError> {
    records.iter().map(|r| r.to_bytes()).collect()
}

/// A `Reply::Snapshot` frame, encoded from borrowed parts under the desk's lock.
fn encode_snapshot(shared: &Shared) -> Result<Vec<u8>, DeskError> {
    let mut d = shared.lock_desk()?;
    d.refresh_config()?;
    let reply = SnapshotReply::Snapshot(SnapshotRef {
        state: d.state(),
        site: d.site(),
        plans: d.plans(),
        head_hash: d.head().hash,
        store_bytes: d.store().size_on_disk(),
        alarm: d.alarm(),
    });
    frame::encode(&reply)
        .map_err(|e| DeskError::Internal(format!("cannot encode the snapshot: {e}")))
}

/// Serialises exactly as `Reply::Snapshot(Box<Snapshot>)` does (same variant
/// index, same fields in the same order), from references. A test holds them equal.
#[derive(serde::Serialize)]
enum SnapshotReply<'a> {
    _Welcome,
    _Committed,
    Snapshot(SnapshotRef<'a>),
}

#[derive(serde::Serialize)]
struct SnapshotRef<'a> {
    state: &'a crate::state::State,
    site: &'a crate::config::site::Site,
    plans: &'a crate::config::plans::Plans,
    head_hash: [u8; 32],
    store_bytes: u64,
    alarm: Option<&'a str>,
}

fn records(shared: &Shared, from: u64, limit: usize, upto: u64) -> Result<Vec<Vec<u8>>, DeskError> {
    let d = shared.lock_desk()?;
    let recs = d.records(from, limit)?;
    drop(d);
    recs.iter()
        .take_while(|r| r.body.seq <= upto)
        .map(|r| r.to_bytes())
        .collect()
}

/// The subscriber's side: the backlog from `from` (if asked), then every record
/// queued by the fanout, with a ping when nothing happens.
fn push(shared: &Shared, mut stream: UnixStream, who: &str, actor: &Actor, from: Option<u64>) {
    let (queue, head, alarm) = match shared.lock_desk() {
        // Registered under the desk lock: everything after `head` will be queued.
        Ok(d) => (
            shared.fanout.add(format!("{who} as {}", actor.operator)),
            d.head().seq,
            d.alarm().map(str::to_string),
        ),
        Err(e) => {
            let _ = frame::write(&mut stream, &Reply::Error(e));
            return;
        }
    };
    if frame::write(&mut stream, &Reply::Subscribed { head }).is_err() {
        return;
    }
    if let Some(alarm) = alarm {
        if frame::write(&mut stream, &Reply::Alarm(alarm)).is_err() {
            return;
        }
    }
    let mut next = from.unwrap_or(head + 1).max(1);
    while next <= head {
        let page = match records(shared, next, RECORDS_PAGE as usize, head) {
            Ok(p) => p,
            Err(e) => {
                let _ = frame::write(&mut stream, &Reply::Error(e));
                return;
            }
        };
        if page.is_empty() {
            break;
        }
        next += page.len() as u64;
        for bytes in page {
            if frame::write(&mut stream, &Reply::Record(bytes)).is_err() {
                return;
            }
        }
    }
    loop {
        let bytes = match queue.recv_timeout(PING_EVERY) {
            Ok(b) => b,
            Err(RecvTimeoutError::Timeout) => match frame::encode(&Reply::Ping) {
                Ok(p) => std::sync::Arc::new(p),
                Err(_) => return,
            },
            // The fanout cut this subscriber off (logged there).
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if let Err(e) = stream.write_all(&bytes) {
            shared
                .log
                .info(&format!("subscriber {who} went away ({e})"));
            return;
        }
    }
}

#[cfg(test)]
mod snapshot_tests {
    use super::*;
    use crate::seam::Snapshot;

    #[test]
    fn the_borrowed_snapshot_encodes_exactly_like_the_reply() {
        let state = crate::state::State::new();
        let site = crate::config::site::Site::builtin().unwrap();
        let plans = crate::config::plans::Plans::builtin().unwrap();
        let owned = Reply::Snapshot(Box::new(Snapshot {
            state: state.clone(),
            site: site.clone(),
            plans: plans.clone(),
            head_hash: [7; 32],
            store_bytes: 42,
            alarm: Some("checkpoint".into()),
        }));
        let borrowed = SnapshotReply::Snapshot(SnapshotRef {
            state: &state,
            site: &site,
            plans: &plans,
            head_hash: [7; 32],
            store_bytes: 42,
            alarm: Some("checkpoint"),
        });
        assert_eq!(
            frame::encode(&owned).unwrap(),
            frame::encode(&borrowed).unwrap()
        );
    }
}
