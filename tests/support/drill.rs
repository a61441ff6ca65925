//! The crash drills' shared parts: a seeded random source, how many rounds, and a
//! shell loop of real `dutydesk call` processes whose printed ids are what the
//! desk acknowledged.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::bin::BIN;

/// xorshift64: enough to spread the kill moments, and replayable from its seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo)
    }
}

/// The seed: DUTYDESK_CRASH_SEED replays a failed drill, otherwise the clock.
pub fn seed() -> u64 {
    std::env::var("DUTYDESK_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
                | 1
        })
}

/// `normal` rounds, or `torture` with DUTYDESK_TORTURE=1.
pub fn rounds(normal: usize, torture: usize) -> usize {
    if std::env::var("DUTYDESK_TORTURE").is_ok_and(|v| v == "1") {
        torture
    } else {
        normal
    }
}

/// A shell loop of `dutydesk call`s on one data directory, in its own process
/// group so one kill reaches the shell and the call writing at that moment.
pub struct CallLoop {
    pub child: Child,
    reader: JoinHandle<()>,
    acked: Arc<Mutex<Vec<String>>>,
}

impl CallLoop {
    /// Starts the loop; each call's summary is `"{label} call {i}"`, and
    /// `on_failure` is the shell run when a call fails (`exit 1`, `sleep 0.05`).
    pub fn start(data: &Path, label: &str, on_failure: &str) -> CallLoop {
        let script = format!(
            "i=0; while :; do i=$((i+1)); \"$0\" --data \"$1\" call --unit 1-0101 --kind repair \
             --summary \"{label} call $i\" || {on_failure}; done"
        );
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg(BIN)
            .arg(data)
            .env("DUTYDESK_OPERATOR", "crash-test")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("spawn the call loop");
        let acked = Arc::new(Mutex::new(Vec::new()));
        let out = child.stdout.take().expect("stdout");
        let reader = {
            let acked = Arc::clone(&acked);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(out);
                let mut line = String::new();
                loop {
                    line.clear();
                    match reader.read_line(&mut line) {
                        Ok(0) | Err(_) => break,
                        // Only a whole line (with its newline) is an acknowledgement; a
                        // line cut by the kill would be an id the process never finished printing.
                        Ok(_) if line.ends_with('\n') => {
                            acked.lock().unwrap().push(line.trim().to_string())
                        }
                        Ok(_) => break,
                    }
                }
            })
        };
        CallLoop {
            child,
            reader,
            acked,
        }
    }

    /// How many calls were acknowledged so far.
    pub fn count(&self) -> usize {
        self.acked.lock().unwrap().len()
    }

    /// Waits (at most 30 s) until one more call than now is acknowledged.
    pub fn wait_for_another(&self) {
        let before = self.count();
        let start = Instant::now();
        while self.count() == before && start.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// SIGKILLs the whole loop and returns the ids it acknowledged.
    pub fn kill(mut self) -> Vec<String> {
        let pid = self.child.id() as libc::pid_t;
        // SAFETY: kill(2) on the process group this loop created.
        let rc = unsafe { libc::kill(-pid, libc::SIGKILL) };
        assert_eq!(rc, 0, "kill failed");
        let _ = self.child.wait();
        self.reader.join().expect("reader thread");
        let ids = self.acked.lock().unwrap().clone();
        ids
    }
}
