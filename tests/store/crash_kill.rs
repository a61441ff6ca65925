//! Power-cut drill: the real binary logs calls in a tight loop and is killed with
//! SIGKILL at random moments. After each kill the store must reopen, hold every
//! call whose id was printed (printed means acknowledged: the id is written only
//! after the record is durable), and its chain must verify end to end.
//!
//! Short by default (a few seconds); DUTYDESK_TORTURE=1 runs many more kills.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::support::bin::BIN;
use crate::support::site::Site;

/// A small xorshift generator: the kill moments only need to be spread out,
/// and the seed is printed so a failing run can be repeated (DUTYDESK_CRASH_SEED).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo)
    }
}

/// Runs the call loop until killed; returns the ids it printed.
fn run_and_kill(site: &Site, round: usize, after: Duration) -> Vec<String> {
    // A shell loop of real `dutydesk call` processes, in its own process group so
    // one kill reaches the shell and the dutydesk process writing at that moment.
    let script = format!(
        "i=0; while :; do i=$((i+1)); \"$0\" --data \"$1\" call --unit 1-0101 --kind repair \
         --summary \"round {round} call $i\" || exit 1; done"
    );
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(BIN)
        .arg(site.path())
        .env("DUTYDESK_OPERATOR", "crash-test")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("spawn the call loop");
    let acked = Arc::new(Mutex::new(Vec::new()));
    let reader = {
        let acked = Arc::clone(&acked);
        let out = child.stdout.take().expect("stdout");
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
    // Wait until the loop has written at least once, then the random moment.
    let start = Instant::now();
    while acked.lock().unwrap().is_empty() && start.elapsed() < Duration::from_secs(30) {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the call loop stopped by itself ({status}) in round {round}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(after);
    let pid = child.id() as libc::pid_t;
    // SAFETY: kill(2) on the process group we created; no memory is involved.
    let rc = unsafe { libc::kill(-pid, libc::SIGKILL) };
    assert_eq!(rc, 0, "kill failed");
    let _ = child.wait();
    reader.join().expect("reader thread");
    let ids = acked.lock().unwrap().clone();
    ids
}

#[test]
fn every_acknowledged_call_survives_sigkill_and_the_chain_verifies() {
    let torture = std::env::var("DUTYDESK_TORTURE").is_ok_and(|v| v == "1");
    let rounds = if torture { 60 } else { 5 };
    let seed = std::env::var("DUTYDESK_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
                | 1
        });
    let mut rng = Rng(seed);
    let site = Site::new();
    let mut all_acked: Vec<String> = Vec::new();
    for round in 0..rounds {
        let after = Duration::from_millis(rng.between(50, 900));
        let acked = run_and_kill(&site, round, after);
        all_acked.extend(acked);

        // Reopen: the store must open and fold (this checks every hash and link),
        // hold every acknowledged call, and export a chain that verifies.
        site.assert_holds(&all_acked, &format!("round {round} (seed {seed})"));
    }
    println!(
        "crash drill: {rounds} SIGKILLs, {} acknowledged calls all present, chain verified each time (seed {seed})",
        all_acked.len()
    );
    assert!(!all_acked.is_empty());
}
