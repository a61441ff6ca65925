//! The owner is killed with SIGKILL: the next command brings a new one up,
//! nothing acknowledged is lost, a live subscriber says so and catches up, and a
//! retried submission is applied once.

use crate::support::multi::*;
use dutydesk::domain::Command;
use dutydesk::{DeskApi, Live};

#[test]
fn service_resumes_after_the_owner_is_killed_and_nothing_acknowledged_is_lost() {
    let site = Site::new();
    let mut a = site.client("陈静");
    let live = a.subscribe_live().unwrap();
    let mut acknowledged = Vec::new();
    for i in 0..10 {
        let c = a.submit(call("2-0101", &format!("确认{i}")), None).unwrap();
        acknowledged.extend(c.records.iter().map(|r| r.hash));
    }
    let first = site.owner_pid().expect("an owner");
    unsafe { libc::kill(first, libc::SIGKILL) };
    wait_until("the owner to die", || !is_alive(first));

    // The next CLI command starts a new owner on the same store.
    let id = site.ok(&[
        "call",
        "--unit",
        "2-0102",
        "--kind",
        "help",
        "--summary",
        "重启后",
    ]);
    let second = site.owner_pid().expect("a new owner");
    assert_ne!(first, second);
    assert!(site.log().contains("stale socket"), "{}", site.log());

    // The live subscriber noticed, came back, and got the new record.
    let mut disconnected = false;
    let mut reconnected = false;
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match live.recv_timeout(left).expect("live events") {
            Live::Disconnected(_) => disconnected = true,
            Live::Reconnected => reconnected = true,
            Live::Alarm(_) => {}
            Live::Record(r) if r.to_json().to_string().contains("重启后") => break,
            Live::Record(_) => {}
        }
    }
    assert!(disconnected && reconnected);

    // The old client's next call reconnects by itself; every acknowledged record is there.
    let all = a.records(1, usize::MAX).unwrap();
    for h in &acknowledged {
        assert!(
            all.iter().any(|r| &r.hash == h),
            "an acknowledged record was lost"
        );
    }
    a.submit(
        Command::Note {
            id: id.trim().into(),
            text: "客户端重连".into(),
        },
        None,
    )
    .unwrap();
    let out = site.dir().join("all.jsonl");
    site.ok(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
    ]);
    let verified = site.ok(&["verify", out.to_str().unwrap()]);
    assert!(verified.starts_with("ok:"), "{verified}");
}

#[test]
fn a_retried_submission_is_applied_once() {
    let site = Site::new();
    let mut a = site.client("王军");
    let first = a
        .submit(call("1-0101", "重试"), Some("key-1".into()))
        .unwrap();
    // The reply was lost and the client retries, even through another owner.
    let pid = site.owner_pid().unwrap();
    unsafe { libc::kill(pid, libc::SIGKILL) };
    wait_until("the owner to die", || !is_alive(pid));
    let again = a
        .submit(call("1-0101", "重试"), Some("key-1".into()))
        .unwrap();
    assert_eq!(
        first.records.iter().map(|r| r.hash).collect::<Vec<_>>(),
        again.records.iter().map(|r| r.hash).collect::<Vec<_>>()
    );
    assert!(again
        .warnings
        .contains(&dutydesk::domain::Warning::AlreadyRecorded));
    assert_eq!(a.snapshot().unwrap().state.tickets.len(), 1);
}

#[test]
fn a_key_reused_by_someone_else_or_for_another_command_is_refused_not_answered() {
    let site = Site::new();
    let mut a = site.client("王军");
    let mut b = site.client("李梅");
    let first = a
        .submit(call("1-0101", "王军的来电"), Some("shared-key".into()))
        .unwrap();
    // Another operator with the same key: refused, and never handed 王军's records.
    let err = b
        .submit(call("2-0202", "李梅的来电"), Some("shared-key".into()))
        .unwrap_err();
    assert_eq!(err.exit_code(), 4, "{err}");
    let text = err.to_string();
    assert!(text.contains("already used by 王军"), "{text}");
    assert!(text.contains("Nothing was recorded"), "{text}");
    // The same operator, the same key, another command: refused too.
    let err = a
        .submit(call("3-0303", "另一件事"), Some("shared-key".into()))
        .unwrap_err();
    assert!(err.to_string().contains("another command"), "{err}");
    // The real retry still gets the first records.
    let again = a
        .submit(call("1-0101", "王军的来电"), Some("shared-key".into()))
        .unwrap();
    assert_eq!(first.records[0].hash, again.records[0].hash);
    // And after the owner restarts, someone else's reuse is still refused.
    let pid = site.owner_pid().unwrap();
    unsafe { libc::kill(pid, libc::SIGKILL) };
    wait_until("the owner to die", || !is_alive(pid));
    let err = b
        .submit(call("2-0202", "李梅的来电"), Some("shared-key".into()))
        .unwrap_err();
    assert!(err.to_string().contains("already used by 王军"), "{err}");
    let tickets = a.snapshot().unwrap().state.tickets;
    assert_eq!(tickets.len(), 1, "only the first command was recorded");
}

#[test]
fn a_command_whose_owners_die_before_replying_is_reported_once_with_its_real_outcome() {
    let site = Site::new();
    site.ok(&[
        "call",
        "--unit",
        "1-0101",
        "--kind",
        "help",
        "--summary",
        "先来",
    ]);
    let first = site.owner_pid().expect("an owner");
    // Owners inherit the hook from the command that starts them: kill this one so
    // the next comes from the command under test. Four owners in a row die after
    // committing, before replying (more than the client used to try).
    let hook = site.dir().join("die-count");
    std::fs::write(&hook, "4").unwrap();
    unsafe { libc::kill(first, libc::SIGKILL) };
    wait_until("the owner to die", || !is_alive(first));
    let out = crate::support::bin::run(
        crate::support::bin::dutydesk(site.dir())
            .args([
                "call",
                "--unit",
                "1-0102",
                "--kind",
                "help",
                "--summary",
                "半路",
            ])
            .env("DUTYDESK_TEST_DIE_AFTER_COMMIT", &hook),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!hook.exists(), "the owners never reached the hook");
    let ids: Vec<&str> = stdout.lines().collect();
    assert_eq!(ids.len(), 1, "the id printed once: {stdout:?} {stderr}");
    let mut c = site.client("x");
    let tickets = c.snapshot().unwrap().state.tickets;
    let halfway: Vec<_> = tickets.values().filter(|t| t.summary == "半路").collect();
    assert_eq!(halfway.len(), 1, "recorded exactly once");
    assert_eq!(halfway[0].id.to_string(), ids[0].trim());
}
