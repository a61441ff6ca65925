//! Helpers for the multi-operator tests: a data directory with real dutydesk
//! processes on it, library clients, and waiting with generous timeouts.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use dutydesk::domain::Kind;
use dutydesk::server::{Client, ClientOptions};
use dutydesk::Live;

pub use super::bin::BIN;
pub use super::owner::is_alive;
/// Long enough for a loaded 2-core machine; polls end as soon as the thing happens.
pub const PATIENCE: Duration = Duration::from_secs(20);

pub struct Site {
    pub tmp: tempfile::TempDir,
}

impl Site {
    pub fn new() -> Site {
        // Short paths: a socket path must fit in 108 bytes.
        let tmp = tempfile::Builder::new()
            .prefix("dd")
            .tempdir_in("/tmp")
            .expect("tempdir");
        Site { tmp }
    }

    pub fn dir(&self) -> &Path {
        self.tmp.path()
    }

    pub fn cli(&self, args: &[&str]) -> Output {
        super::bin::run(super::bin::dutydesk(self.dir()).args(args))
    }

    /// Runs the CLI and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cli(args);
        assert!(
            out.status.success(),
            "dutydesk {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn options(&self, operator: &str) -> ClientOptions {
        let mut o = ClientOptions::new(self.dir());
        o.operator = Some(operator.into());
        o.exe = Some(PathBuf::from(BIN));
        o.start_timeout = PATIENCE;
        o
    }

    pub fn client(&self, operator: &str) -> Client {
        Client::open(self.options(operator)).expect("connect to the owner")
    }

    pub fn owner_pid(&self) -> Option<i32> {
        dutydesk::server::owner::owner_pid(self.dir()).map(|p| p as i32)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir().join("dutydesk.log")).unwrap_or_default()
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        // Stop the owner these tests started (it would also stop by itself once
        // its socket is gone with the directory).
        if let Some(pid) = self.owner_pid() {
            if is_alive(pid) {
                unsafe { libc::kill(pid, libc::SIGTERM) };
            }
        }
    }
}

pub fn call(unit: &str, summary: &str) -> dutydesk::domain::Command {
    dutydesk::domain::Command::Call {
        unit: unit.into(),
        kind: Kind::Inquiry,
        priority: None,
        caller: None,
        phone: None,
        summary: summary.into(),
        anonymous: true,
    }
}

/// Waits for a record whose JSON form contains `needle`.
pub fn wait_record(rx: &Receiver<Live>, needle: &str) -> dutydesk::store::Record {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Live::Record(r)) if r.to_json().to_string().contains(needle) => return r,
            Ok(_) => {}
            Err(e) => panic!("no record with {needle:?} arrived: {e}"),
        }
    }
}

/// Waits until `f` holds.
pub fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}
