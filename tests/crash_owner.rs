//! Owner torture: the owner process is the one real writer, so it is the one
//! killed here. A loop of real `dutydesk call` clients submits calls (each client
//! starts a new owner when the last one died), and the owner is SIGKILLed at
//! random moments. After each round every call whose id a client printed (printed
//! means acknowledged: durable before the reply) must be in the log, with no gap
//! in the sequence, and the exported chain must verify.
//!
//! Short by default (a few seconds); DUTYDESK_TORTURE=1 kills many more times.

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::{Site, BIN};

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

/// A shell loop of clients; a failed call (its owner was killed under it) is
/// not acknowledged and the loop goes on.
fn start_clients(site: &Site, round: usize) -> (Child, JoinHandle<()>, Arc<Mutex<Vec<String>>>) {
    let script = format!(
        "i=0; while :; do i=$((i+1)); \"$0\" --data \"$1\" call --unit 1-0101 --kind repair \
         --summary \"owner round {round} call $i\" || sleep 0.05; done"
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
        .expect("spawn the client loop");
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
                    Ok(_) if line.ends_with('\n') => {
                        acked.lock().unwrap().push(line.trim().to_string())
                    }
                    Ok(_) => break,
                }
            }
        })
    };
    (child, reader, acked)
}

fn alive(pid: i32) -> bool {
    // SAFETY: signal 0 only asks whether the process exists.
    unsafe { libc::kill(pid, 0) == 0 }
}

/// Waits for a live owner other than `not`, then SIGKILLs it; returns its pid.
fn kill_owner(dir: &Path, not: Option<i32>) -> Option<i32> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some(pid) = dutydesk::server::owner::owner_pid(dir).map(|p| p as i32) {
            if Some(pid) != not && pid > 0 && alive(pid) {
                // SAFETY: kill(2) on the owner this test's clients started.
                unsafe { libc::kill(pid, libc::SIGKILL) };
                while alive(pid) && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(5));
                }
                return Some(pid);
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

fn count(acked: &Arc<Mutex<Vec<String>>>) -> usize {
    acked.lock().unwrap().len()
}

#[test]
fn every_acknowledged_call_survives_the_owner_being_killed() {
    let torture = std::env::var("DUTYDESK_TORTURE").is_ok_and(|v| v == "1");
    let rounds = if torture { 40 } else { 2 };
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
    let mut kills = 0;
    let mut last_killed = None;
    for round in 0..rounds {
        let (child, reader, acked) = start_clients(&site, round);
        let kills_this_round = rng.between(1, 4);
        for _ in 0..kills_this_round {
            // Let some calls through first, then a random moment.
            let before = count(&acked);
            let start = Instant::now();
            while count(&acked) == before && start.elapsed() < Duration::from_secs(30) {
                std::thread::sleep(Duration::from_millis(5));
            }
            std::thread::sleep(Duration::from_millis(rng.between(0, 300)));
            if let Some(pid) = kill_owner(site.path(), last_killed) {
                last_killed = Some(pid);
                kills += 1;
            }
        }
        // Some calls through the owner started after the last kill, then stop the clients.
        let before = count(&acked);
        let start = Instant::now();
        while count(&acked) == before && start.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(5));
        }
        let pid = child.id() as libc::pid_t;
        // SAFETY: kill(2) on the process group this test created.
        unsafe { libc::kill(-pid, libc::SIGKILL) };
        let mut child = child;
        let _ = child.wait();
        reader.join().expect("reader thread");
        all_acked.extend(acked.lock().unwrap().iter().cloned());

        site.assert_holds(&all_acked, &format!("owner round {round} (seed {seed})"));
    }
    if let Some(pid) = dutydesk::server::owner::owner_pid(site.path()) {
        // SAFETY: the owner the last check started.
        unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    }
    println!(
        "owner crash drill: {kills} owner SIGKILLs in {rounds} rounds, {} acknowledged calls all present, \
         chain verified after each round (seed {seed})",
        all_acked.len()
    );
    assert!(
        kills >= rounds,
        "the owner was killed at least once a round"
    );
    assert!(!all_acked.is_empty());
}

/// The desk writes a handover's evidence itself. The owner is killed right after
/// the handover is recorded, and right after its files are written: the next
/// owner (started by the client's retry, or by the next command) completes it,
/// so the log ends with the handover and its files' record exactly once each,
/// and the files are there, verify and are the ones recorded.
#[test]
fn a_handover_survives_the_owner_being_killed_at_each_step_of_its_evidence() {
    for step in ["after-handover-record", "after-files"] {
        let site = Site::new();
        site.call("1-0101", "repair");
        // The owner that serves the handover must be one started with the crash hook.
        common::stop_owner(site.path());
        let out = site
            .cmd(&["shift", "handover", "--to", "李梅"])
            .env("DUTYDESK_TEST_CRASH", step)
            .output()
            .expect("run dutydesk");
        // The owner died under the command: the client either gave up or retried
        // on a new owner, which found the handover already recorded.
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() || said.contains("already recorded (a retried submission)"),
            "{step}: the owner was not killed at that step: {said}"
        );
        common::stop_owner(site.path());
        let log = site.log();
        let of = |t: &str| -> Vec<&serde_json::Value> {
            log.iter().filter(|r| r["event"]["type"] == t).collect()
        };
        assert_eq!(of("handover_offered").len(), 1, "{step}: {log:?}");
        let written = of("export_written");
        assert_eq!(written.len(), 1, "{step}: {log:?}");
        let paths: Vec<&str> = written[0]["event"]["paths"]
            .as_array()
            .expect("paths")
            .iter()
            .filter_map(|p| p.as_str())
            .collect();
        assert_eq!(paths.len(), 4, "jsonl, csv, md, xlsx: {step}: {paths:?}");
        let exports = std::fs::canonicalize(site.path()).unwrap().join("exports");
        for p in &paths {
            assert!(Path::new(p).starts_with(&exports), "{step}: {p}");
            assert!(Path::new(p).is_file(), "{step}: {p} missing");
        }
        site.ok(&["verify", paths[0]]);
        // The jsonl ends with the handover record itself.
        let jsonl = std::fs::read_to_string(paths[0]).unwrap();
        let last: serde_json::Value = serde_json::from_str(jsonl.lines().last().unwrap()).unwrap();
        assert_eq!(last["seq"], of("handover_offered")[0]["seq"], "{step}");
        common::stop_owner(site.path());
    }
}

/// The incident report is written before it is recorded: an owner killed in
/// between leaves no record (the run still lacks its report), and the next
/// `emergency report` writes the file again and records it once.
#[test]
fn an_incident_report_is_recorded_once_after_the_owner_dies_between_file_and_record() {
    let site = Site::new();
    site.ok(&[
        "emergency",
        "start",
        "elevator-entrapment",
        "--location",
        "3-A",
    ]);
    common::stop_owner(site.path());
    let out = site
        .cmd(&["emergency", "report", "EM1"])
        .env("DUTYDESK_TEST_CRASH", "after-report-file")
        .output()
        .expect("run dutydesk");
    assert!(!out.status.success(), "every owner died before the record");
    common::stop_owner(site.path());
    let reported = |site: &Site| {
        site.log()
            .iter()
            .filter(|r| r["event"]["type"] == "incident_report_written")
            .count()
    };
    assert_eq!(reported(&site), 0, "a file alone is no evidence");
    let path = site.ok(&["emergency", "report", "EM1"]).trim().to_string();
    assert_eq!(reported(&site), 1);
    let reports = std::fs::canonicalize(site.path()).unwrap().join("reports");
    assert!(Path::new(&path).starts_with(&reports), "{path}");
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("重大事件报告"));
    common::stop_owner(site.path());
}
