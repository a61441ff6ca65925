//! Owner torture: the owner process is the one real writer, so it is the one
//! killed here. A loop of real `dutydesk call` clients submits calls (each client
//! starts a new owner when the last one died), and the owner is SIGKILLed at
//! random moments. After each round every call whose id a client printed (printed
//! means acknowledged: durable before the reply) must be in the log, with no gap
//! in the sequence, and the exported chain must verify.
//!
//! Short by default (a few seconds); DUTYDESK_TORTURE=1 kills many more times.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::drill::{self, CallLoop, Rng};
use crate::support::owner::{is_alive, stop_owner};
use crate::support::site::Site;

/// Waits for a live owner other than `not`, then SIGKILLs it; returns its pid.
fn kill_owner(dir: &Path, not: Option<i32>) -> Option<i32> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some(pid) = dutydesk::server::owner::owner_pid(dir).map(|p| p as i32) {
            if Some(pid) != not && pid > 0 && is_alive(pid) {
                // SAFETY: kill(2) on the owner this test's clients started.
                unsafe { libc::kill(pid, libc::SIGKILL) };
                while is_alive(pid) && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(5));
                }
                return Some(pid);
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

#[test]
fn every_acknowledged_call_survives_the_owner_being_killed() {
    let rounds = drill::rounds(2, 40);
    let seed = drill::seed();
    let mut rng = Rng(seed);
    let site = Site::new();
    let mut all_acked: Vec<String> = Vec::new();
    let mut kills = 0;
    let mut last_killed = None;
    for round in 0..rounds {
        // A failed call (its owner was killed under it) is not acknowledged and
        // the loop goes on.
        let calls = CallLoop::start(site.path(), &format!("owner round {round}"), "sleep 0.05");
        let kills_this_round = rng.between(1, 4);
        for _ in 0..kills_this_round {
            // Let some calls through first, then a random moment.
            calls.wait_for_another();
            std::thread::sleep(Duration::from_millis(rng.between(0, 300)));
            if let Some(pid) = kill_owner(site.path(), last_killed) {
                last_killed = Some(pid);
                kills += 1;
            }
        }
        // Some calls through the owner started after the last kill, then stop the clients.
        calls.wait_for_another();
        all_acked.extend(calls.kill());

        site.assert_holds(&all_acked, &format!("owner round {round} (seed {seed})"));
    }
    // The owner the last check started.
    stop_owner(site.path());
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
        stop_owner(site.path());
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
        stop_owner(site.path());
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
        stop_owner(site.path());
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
    stop_owner(site.path());
    let out = site
        .cmd(&["emergency", "report", "EM1"])
        .env("DUTYDESK_TEST_CRASH", "after-report-file")
        .output()
        .expect("run dutydesk");
    assert!(!out.status.success(), "every owner died before the record");
    stop_owner(site.path());
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
    stop_owner(site.path());
}
