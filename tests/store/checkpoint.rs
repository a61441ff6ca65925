//! The state checkpoint: a cache that makes a long history open fast, never a
//! second source of truth.

use std::sync::{Arc, Mutex};

use dutydesk::clock::SystemClock;
use dutydesk::demo::generate::generate;
use dutydesk::desk::refold::{self, Outcome};
use dutydesk::domain::Lang;
use dutydesk::state::checkpoint;
use dutydesk::Desk;

use crate::support::bin;
use crate::support::owner::stop_owner;

fn tickets_of(dir: &std::path::Path) -> String {
    let desk = Desk::open(dir, Arc::new(SystemClock)).unwrap();
    let st = desk.state();
    format!("{} {:?} {:?}", st.seq, st.tickets, st.shifts)
}

#[test]
fn a_checkpoint_gives_the_same_state_and_a_damaged_or_stale_one_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 21_000, Lang::En).unwrap();
    let cp = dir.path().join("checkpoint.bin");
    // The first open replays everything and leaves a checkpoint behind.
    let full = tickets_of(dir.path());
    assert!(cp.exists(), "a long replay writes a checkpoint");
    assert_eq!(
        tickets_of(dir.path()),
        full,
        "from the checkpoint: the same state"
    );
    // ...and the checkpoint is really what an open starts from: a summary forged
    // into it, one the log never held, is what the desk serves straight after
    // opening (the background re-fold is what later catches it).
    let (id, truth) = forge_a_summary(dir.path());
    let desk = Desk::open(dir.path(), Arc::new(SystemClock)).unwrap();
    assert_eq!(
        desk.state().ticket(&id).unwrap().summary,
        "FORGED summary",
        "the open used the checkpoint, not a replay of the log"
    );
    drop(desk);

    // A damaged checkpoint (here the forged one) is detected, ignored and written
    // afresh: the desk serves the log's truth again.
    let mut bytes = std::fs::read(&cp).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&cp, &bytes).unwrap();
    assert_eq!(tickets_of(dir.path()), full);
    let desk = Desk::open(dir.path(), Arc::new(SystemClock)).unwrap();
    assert_eq!(desk.state().ticket(&id).unwrap().summary, truth);
    drop(desk);
    assert_ne!(std::fs::read(&cp).unwrap(), bytes, "rewritten");

    // A checkpoint of another store (stale: its record is not in this log) is ignored.
    let other = tempfile::tempdir().unwrap();
    generate(other.path(), 21_500, Lang::Zh).unwrap();
    let _ = tickets_of(other.path());
    std::fs::copy(other.path().join("checkpoint.bin"), &cp).unwrap();
    assert_eq!(
        tickets_of(dir.path()),
        full,
        "the log wins over a foreign checkpoint"
    );
}

/// Rewrites the checkpoint with one ticket's summary changed, its checksum
/// recomputed exactly as the file format does: a forgery no checksum catches.
/// Returns the ticket's id and its true summary.
fn forge_a_summary(dir: &std::path::Path) -> (String, String) {
    let cp = dir.join("checkpoint.bin");
    let mut forged = checkpoint::load(&cp).expect("a checkpoint to forge");
    let ticket = forged.state.tickets.values_mut().next().expect("a ticket");
    let truth = std::mem::replace(&mut ticket.summary, "FORGED summary".into());
    let id = ticket.id.0.clone();
    assert!(checkpoint::save(&cp, &forged.state, &forged.hash));
    (id, truth)
}

#[test]
fn a_forged_checkpoint_is_caught_by_the_refold_and_the_desk_serves_the_log() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 21_000, Lang::En).unwrap();
    let _ = tickets_of(dir.path());
    let (id, truth) = forge_a_summary(dir.path());

    let desk = Mutex::new(Desk::open(dir.path(), Arc::new(SystemClock)).unwrap());
    let outcome = refold::run(&desk).unwrap();
    let Outcome::Alarm(alarm) = outcome else {
        panic!("the forgery is caught: {outcome:?}")
    };
    assert!(
        alarm.contains(&format!("ticket {id}")),
        "names what differed: {alarm}"
    );
    let desk = desk.into_inner().unwrap();
    assert_eq!(
        desk.state().ticket(&id).unwrap().summary,
        truth,
        "the log's truth"
    );
    assert_eq!(
        desk.alarm(),
        Some(alarm.as_str()),
        "kept for the banner and doctor"
    );
    drop(desk);
    let rebuilt = checkpoint::load(&dir.path().join("checkpoint.bin")).unwrap();
    assert_eq!(
        rebuilt.state.ticket(&id).unwrap().summary,
        truth,
        "the checkpoint was rebuilt from the log"
    );
    // An honest checkpoint: the re-fold agrees and raises nothing.
    let desk = Mutex::new(Desk::open(dir.path(), Arc::new(SystemClock)).unwrap());
    assert!(matches!(refold::run(&desk).unwrap(), Outcome::Matches(_)));
    assert_eq!(desk.into_inner().unwrap().alarm(), None);
}

fn dutydesk(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    bin::run(
        bin::dutydesk(data)
            .args(args)
            .env("DUTYDESK_OPERATOR", "王军")
            .env("LANG", "en_US.UTF-8"),
    )
}

fn summary_seen(data: &std::path::Path, id: &str) -> String {
    let out = dutydesk(data, &["tickets", "--all", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array()
        .and_then(|a| a.iter().find(|t| t["id"] == id))
        .and_then(|t| t["summary"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn through_the_owner_a_forged_checkpoint_raises_the_alarm_and_doctor_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 21_000, Lang::En).unwrap();
    let _ = tickets_of(dir.path());
    let (id, truth) = forge_a_summary(dir.path());

    // Doctor compares the checkpoint and what the desk serves with its own fold
    // of the log, whether or not the owner's re-fold has finished yet.
    let out = dutydesk(dir.path(), &["doctor", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "checkpoint")
        .cloned()
        .unwrap_or_default();
    assert_eq!(check["verdict"], "fail", "{report}");
    assert!(
        check["detail"].as_str().unwrap_or_default().contains(&id),
        "names the ticket: {check}"
    );
    assert_eq!(out.status.code(), Some(1), "problems found");

    // The owner's re-fold settles it: clients see the log's truth. It runs in the
    // background, so wait for it (a bounded wait on a condition, not on time).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while summary_seen(dir.path(), &id) != truth {
        assert!(
            std::time::Instant::now() < deadline,
            "clients still see the forged summary"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let log = std::fs::read_to_string(dir.path().join("dutydesk.log")).unwrap();
    assert!(
        log.contains("the checkpoint did not match the log"),
        "{log}"
    );
    let text = String::from_utf8_lossy(&dutydesk(dir.path(), &["doctor"]).stdout).to_string();
    assert!(
        text.contains("[FAIL] checkpoint: the checkpoint did not match the log"),
        "the alarm stays for this owner's life: {text}"
    );
    let rebuilt = checkpoint::load(&dir.path().join("checkpoint.bin")).unwrap();
    assert_eq!(rebuilt.state.ticket(&id).unwrap().summary, truth);
    stop_owner(dir.path());
}
