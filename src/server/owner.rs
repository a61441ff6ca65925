//! The owner: the one process that opens the store and serves the others.
//!
//! Election comes first: an exclusive lock on `DATA/owner.lock`. Only the holder
//! may remove a stale socket and bind `DATA/owner.sock`, so a second process can
//! never delete a live owner's socket. The lock dies with the process (even on
//! SIGKILL), so the next process can take over at once.

use std::fs::{File, OpenOptions};
use std::io::{Seek, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::MetadataExt;
use std::os::unix::net::UnixListener;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::clock::{self, SharedClock};
use crate::datadir::DataDir;
use crate::desk::refold::Outcome;
use crate::domain::identity::user_name_of;
use crate::error::DeskError;
use crate::server::fanout::Fanout;
use crate::server::frame;
use crate::server::limits::{Admissions, Limits};
use crate::server::log::Log;
use crate::server::peer::peer_of;
use crate::server::protocol::Reply;
use crate::server::session;
use crate::server::shared::{Shared, SwitchClock};

/// How long a background owner waits with no client before it exits.
pub const IDLE_EXIT: Duration = Duration::from_secs(600);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Exit after this long with no client; `None` serves until stopped.
    pub idle_exit: Option<Duration>,
    /// Write `DATA/dutydesk.log` (off only for owners run inside benchmarks).
    pub log: bool,
    /// How many connections are served, and how long a hello may take
    /// (lowered only by tests; fitted to the open-file limit at start).
    pub limits: Limits,
}

/// The longest pause after a failed accept (out of file descriptors): the
/// pending connection stays queued, so retrying at once would spin.
const ACCEPT_BACKOFF_MAX: Duration = Duration::from_millis(100);

/// Takes the owner lock of `dir`, or `None` when another process holds it.
pub fn elect(dir: &Path) -> Result<Option<File>, DeskError> {
    let data = DataDir(dir.to_path_buf());
    crate::fsx::perms::create_dir_all(dir)
        .map_err(|e| DeskError::storage(&format!("create {}", dir.display()), e))?;
    let file = crate::fsx::perms::open(
        &data.owner_lock(),
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false),
    )
    .map_err(|e| DeskError::storage(&format!("open {}", data.owner_lock().display()), e))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(DeskError::storage(
            &format!("lock {}", data.owner_lock().display()),
            e,
        )),
    }
}

pub use crate::datadir::owner_pid;

/// Serves `dir` until idle (or its socket is removed). `lock` is the election
/// won by [`elect`]; it is held until this returns.
pub fn serve(dir: &Path, mut lock: File, opts: ServeOptions) -> Result<(), DeskError> {
    let data = DataDir(dir.to_path_buf());
    let log = if opts.log {
        Log::open(&data.server_log())
    } else {
        Log::none()
    };
    let _ = lock.set_len(0);
    let _ = lock.rewind();
    let _ = write!(lock, "{}", std::process::id());
    let started = start(&data, log, &opts);
    let (shared, listener, ino) = match started {
        Ok(s) => s,
        Err((log, e)) => {
            log.error(&format!("could not start: {e}"));
            return Err(e);
        }
    };
    let shipping = start_shipping(&shared);
    let r = accept_loop(&shared, &listener, ino, &opts);
    drop(shipping);
    drop(lock);
    r
}

type Started = (Arc<Shared>, UnixListener, u64);

fn start(data: &DataDir, log: Log, opts: &ServeOptions) -> Result<Started, (Log, DeskError)> {
    let test_mode = std::env::var("DUTYDESK_NOW").is_ok_and(|v| !v.trim().is_empty());
    let base_clock = match clock::from_env() {
        Ok(c) => c,
        Err(e) => return Err((log, DeskError::invalid("DUTYDESK_NOW", e))),
    };
    let test_clock = test_mode.then(|| Arc::new(SwitchClock(Mutex::new(base_clock.clone()))));
    let desk_clock: SharedClock = match &test_clock {
        Some(sw) => sw.clone(),
        None => base_clock.clone(),
    };
    // Before serving: the files of a handover the last owner left without them.
    let desk = match crate::export::evidence::open(&data.0, desk_clock) {
        Ok((d, warnings)) => {
            for w in warnings {
                let text = crate::domain::wording::warning(
                    &w,
                    crate::domain::Lang::En,
                    &crate::domain::wording::Plain,
                );
                log.warn(&text);
            }
            d
        }
        Err(e) => return Err((log, e)),
    };
    let sock = data.socket();
    let listener = match bind(&sock, &data.0, &log) {
        Ok(l) => l,
        Err(e) => return Err((log, e)),
    };
    let ino = std::fs::metadata(&sock).map(|m| m.ino()).unwrap_or(0);
    log.info(&format!(
        "serving {} on {} (idle exit: {})",
        data.0.display(),
        sock.display(),
        match opts.idle_exit {
            Some(d) => format!("{}s", d.as_secs()),
            None => "never".into(),
        }
    ));
    let shared = Arc::new(Shared {
        dir: data.clone(),
        desk: Mutex::new(desk),
        fanout: Fanout::default(),
        log,
        limits: opts.limits.fitted_to_open_files(),
        admissions: Admissions::default(),
        last_left: Mutex::new(Instant::now()),
        base_clock,
        test_clock,
    });
    start_refold(&shared);
    Ok((shared, listener, ino))
}

/// With `DATA/group.toml`, ships every committed record to the site's stream
/// (see `group::publish`). It reads records back under the desk lock for a moment
/// and is woken by the desk's subscription: a command never waits for it, and
/// no failure of the link or the server reaches an operator's command.
fn start_shipping(shared: &Arc<Shared>) -> Option<crate::group::publish::Handle> {
    let cfg = match crate::group::GroupConfig::load(&shared.dir.0) {
        Ok(Some(c)) => c,
        Ok(None) => return None,
        Err(e) => {
            shared.log.error(&format!(
                "not shipping to the group: {e}; run `dutydesk doctor`"
            ));
            return None;
        }
    };
    let committed = match shared.lock_desk() {
        Ok(mut d) => d.subscribe(),
        Err(e) => {
            shared.log.error(&format!("not shipping to the group: {e}"));
            return None;
        }
    };
    // Weak: the publisher must not keep the desk alive after the owner stops.
    let weak = Arc::downgrade(shared);
    let read: crate::group::publish::ReadFn = Box::new(move |from, limit| {
        let sh = weak
            .upgrade()
            .ok_or_else(|| DeskError::Internal("the owner is stopping".into()))?;
        let desk = sh.lock_desk()?;
        desk.records(from, limit)
    });
    let weak = Arc::downgrade(shared);
    let log: crate::group::publish::LogFn = Box::new(move |text| {
        if let Some(sh) = weak.upgrade() {
            sh.log.warn(text);
        }
    });
    let target = crate::group::publish::Target::of(&cfg, Some(shared.dir.0.clone()));
    shared.log.info(&format!(
        "shipping the log to the group as site {} through {}",
        cfg.site, cfg.nats
    ));
    match crate::group::publish::spawn(target, read, Some(committed), log) {
        Ok(h) => Some(h),
        Err(e) => {
            shared.log.error(&format!(
                "not shipping to the group: {e}; run `dutydesk doctor`"
            ));
            None
        }
    }
}

/// A desk that started from a checkpoint re-folds its log in the background (see
/// `desk::refold`): what it serves is compared with the log's own fold.
fn start_refold(shared: &Arc<Shared>) {
    let sh = shared.clone();
    let spawned = std::thread::Builder::new()
        .name("dutydesk-refold".into())
        .spawn(move || match crate::desk::refold::run(&sh.desk) {
            Ok(Outcome::NotNeeded) => {}
            Ok(Outcome::Matches(seq)) => sh.log.info(&format!(
                "re-fold of the log up to record {seq} matches the state started from the checkpoint"
            )),
            Ok(Outcome::Alarm(alarm)) => {
                sh.log.error(&alarm);
                sh.fanout.publish_alarm(&alarm, &sh.log);
            }
            Err(e) => sh.log.error(&format!(
                "could not re-fold the log to check the checkpoint: {e}"
            )),
        });
    if let Err(e) = spawned {
        shared.log.error(&format!(
            "cannot start the re-fold that checks the checkpoint: {e}; run `dutydesk doctor`"
        ));
    }
}

/// Binds the socket with the directory's group and mode 0660: access follows the
/// data directory. Only called by the lock holder, so a leftover socket is stale.
fn bind(sock: &Path, dir: &Path, log: &Log) -> Result<UnixListener, DeskError> {
    match std::fs::remove_file(sock) {
        Ok(()) => log.info("removed a stale socket left by an owner that died"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(DeskError::storage(&format!("remove {}", sock.display()), e)),
    }
    if sock.as_os_str().len() > 100 {
        return Err(DeskError::invalid(
            "--data",
            format!(
                "the path {} is too long for a Unix socket (at most 100 bytes); use a shorter data directory",
                sock.display()
            ),
        ));
    }
    let listener = UnixListener::bind(sock)
        .map_err(|e| DeskError::storage(&format!("create the socket {}", sock.display()), e))?;
    let sharing = crate::fsx::perms::Sharing::of(dir);
    crate::fsx::perms::settle(sock, sharing)
        .map_err(|e| DeskError::storage(&format!("set the mode of {}", sock.display()), e))?;
    if let (Some(gid), Ok(meta)) = (sharing.gid, std::fs::metadata(sock)) {
        if meta.gid() != gid {
            log.warn(&format!(
                "could not give {} the group of the data directory; other users may not be able to connect",
                sock.display()
            ));
        }
    }
    listener
        .set_nonblocking(true)
        .map_err(|e| DeskError::storage("set up the socket", e))?;
    Ok(listener)
}

/// Counts a new connection in and gives it a thread, or refuses it at once
/// with the reason (before its hello, so a flood costs one accept each).
fn admit(shared: &Arc<Shared>, mut stream: std::os::unix::net::UnixStream) {
    let peer = match peer_of(&stream) {
        Ok(p) => p,
        Err(e) => {
            shared.log.repeated(
                "peer",
                "dropping a client: no peer credentials",
                &e.to_string(),
            );
            return;
        }
    };
    let user = user_name_of(peer.uid);
    if let Err(e) = shared.admissions.admit(&shared.limits, peer.uid, &user) {
        shared.log.repeated(
            "refused",
            "refused a connection",
            &format!("{user} (pid {}): {e}", peer.pid),
        );
        // A fresh socket's buffer takes a small frame at once; never wait on it.
        let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
        let _ = frame::write(&mut stream, &Reply::Error(e));
        return;
    }
    let sh = shared.clone();
    let spawned = std::thread::Builder::new()
        .name("dutydesk-session".into())
        .spawn(move || session::run(sh, stream, peer, user));
    if let Err(e) = spawned {
        shared.client_left(peer.uid);
        shared
            .log
            .repeated("thread", "cannot start a client thread", &e.to_string());
    }
}

fn accept_loop(
    shared: &Arc<Shared>,
    listener: &UnixListener,
    ino: u64,
    opts: &ServeOptions,
) -> Result<(), DeskError> {
    let sock = shared.dir.socket();
    let mut backoff = Duration::ZERO;
    loop {
        let mut pfd = libc::pollfd {
            fd: listener.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one pollfd we own; a timeout so idleness and a removed socket are noticed.
        unsafe { libc::poll(&mut pfd, 1, 250) };
        loop {
            match listener.accept() {
                Ok((stream, _)) => {
                    backoff = Duration::ZERO;
                    admit(shared, stream);
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) => {
                    // Out of file descriptors (or memory): the connection stays
                    // queued and poll says so at once; pause, growing, so the
                    // owner does not spin, and log the burst once a second.
                    backoff = (backoff * 2).clamp(Duration::from_millis(5), ACCEPT_BACKOFF_MAX);
                    shared
                        .log
                        .repeated("accept", "accept failed", &e.to_string());
                    std::thread::sleep(backoff);
                    break;
                }
            }
        }
        // The socket is the owner's address: if it was removed (the data directory
        // deleted, or an operator cleaning up), nobody can reach us; stop.
        match std::fs::metadata(&sock) {
            Ok(m) if m.ino() == ino => {}
            _ => {
                shared
                    .log
                    .info("the socket was removed or replaced; stopping");
                return Ok(());
            }
        }
        if let (Some(limit), Some(idle)) = (opts.idle_exit, shared.idle_for()) {
            if idle >= limit {
                shared.log.info(&format!(
                    "no client for {}s; stopping (the next dutydesk command starts a new owner)",
                    idle.as_secs()
                ));
                let _ = std::fs::remove_file(&sock);
                return Ok(());
            }
        }
    }
}
