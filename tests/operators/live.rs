//! Several operators on one store: records committed by one show up live on the
//! others; one quitting does not disturb the rest; identity comes from the OS.

use crate::support::multi::*;
use dutydesk::domain::identity::current_unix_user;
use dutydesk::DeskApi;

#[test]
fn records_appear_live_on_two_clients_and_one_quitting_leaves_the_others_going() {
    let site = Site::new();
    let mut manager = site.client("陈静");
    let mut dispatcher = site.client("王军");
    assert!(manager.is_remote());
    let on_manager = manager.subscribe_live().unwrap();
    let on_dispatcher = dispatcher.subscribe_live().unwrap();

    // A CLI command from a third process, on the same store, at the same time.
    let id = site.ok(&[
        "--operator",
        "李强",
        "call",
        "--unit",
        "3-0402",
        "--kind",
        "complaint",
        "--summary",
        "楼上噪音",
    ]);
    let id = id.trim();
    let seen = wait_record(&on_manager, "楼上噪音");
    wait_record(&on_dispatcher, "楼上噪音");
    // The owner took the Unix user from the socket, the name from --operator.
    assert_eq!(seen.body.unix_user, current_unix_user());
    assert_eq!(seen.body.operator, "李强");

    // A library client's submission reaches the other one too.
    dispatcher
        .submit(call("1-1203", "门禁卡失效"), None)
        .unwrap();
    wait_record(&on_manager, "门禁卡失效");

    // The dispatcher quits; the manager and the CLI carry on.
    drop(on_dispatcher);
    drop(dispatcher);
    site.ok(&["note", id, "已联系楼上住户"]);
    wait_record(&on_manager, "已联系楼上住户");
    manager
        .submit(
            dutydesk::domain::Command::Note {
                id: id.into(),
                text: "住户表示会注意".into(),
            },
            None,
        )
        .unwrap();
    let shown = site.ok(&["show", id, "--json"]);
    assert!(shown.contains("已联系楼上住户"), "{shown}");
    assert!(shown.contains("住户表示会注意"), "{shown}");
    let snap = manager.snapshot().unwrap();
    assert_eq!(snap.state.tickets.len(), 2);
}

#[test]
fn the_plain_subscription_still_delivers_records_in_order() {
    let site = Site::new();
    let mut a = site.client("a");
    let rx = a.subscribe().unwrap();
    for i in 0..5 {
        a.submit(call("1-0101", &format!("第{i}次")), None).unwrap();
    }
    let mut seqs = Vec::new();
    while seqs.len() < 7 {
        // StoreCreated, ShiftStarted, then five calls.
        let r = rx.recv_timeout(PATIENCE).expect("a record");
        seqs.push(r.body.seq);
    }
    assert_eq!(seqs, (1..=7).collect::<Vec<_>>());
}

#[test]
fn serve_in_the_foreground_is_refused_while_another_owner_serves() {
    let site = Site::new();
    site.ok(&["tickets"]);
    let out = site.cli(&["serve"]);
    assert_eq!(out.status.code(), Some(6));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already serving"), "{err}");
    // Started in the background by a command, the owner logs to the data directory.
    assert!(site.log().contains("serving"), "{}", site.log());
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(site.dir().join("owner.sock"))
            .unwrap()
            .permissions(),
    );
    // A private data directory (tempdir's 0700): the socket is the owner's alone;
    // in a group's directory it is 0660 (tests/multi_roles.rs runs that set-up).
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn an_owner_whose_socket_is_removed_stops_and_a_client_does_not_bring_the_directory_back() {
    let site = Site::new();
    let mut a = site.client("a");
    let _live = a.subscribe().unwrap();
    let pid = site.owner_pid().expect("an owner");
    let dir = site.dir().to_path_buf();
    std::fs::remove_dir_all(&dir).unwrap();
    wait_until("the owner to stop", || !is_alive(pid));
    // The subscription keeps trying, but starts no owner in a vanished directory.
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert!(!dir.exists(), "a client re-created the data directory");
    assert!(a.snapshot().is_err());
}

/// The files of a handover left pending are recorded by the desk at a later
/// command, even one the rules refuse; that record reaches every subscriber
/// like any other, so no live dashboard sees a gap.
#[test]
fn the_desks_own_late_record_of_handover_files_is_pushed_live() {
    use dutydesk::domain::Command;
    let site = Site::new();
    let mut desk = site.client("王军");
    let live = desk.subscribe_live().unwrap();
    desk.submit(Command::ShiftStart, None).unwrap();
    let exports = site.dir().join("exports");
    std::fs::write(&exports, "in the way").unwrap();
    let handed = desk
        .submit(
            Command::ShiftHandover {
                to: "李梅".into(),
                note: None,
                reason: None,
            },
            None,
        )
        .unwrap();
    assert!(
        handed.warnings.iter().any(|w| matches!(
            w,
            dutydesk::domain::Warning::ExportsPending { first: true, .. }
        )),
        "{:?}",
        handed.warnings
    );
    std::fs::remove_file(&exports).unwrap();
    // Refused (a shift is open), but the desk writes the pending files first.
    assert!(desk.submit(Command::ShiftStart, None).is_err());
    let r = wait_record(&live, "export_written");
    assert_eq!(r.body.seq, desk.snapshot().unwrap().state.seq);
}

#[test]
fn a_forged_checkpoint_reaches_live_clients_as_an_alarm_and_their_snapshot_is_the_log() {
    use dutydesk::state::checkpoint;
    let site = Site::new();
    site.ok(&[
        "--operator",
        "李强",
        "call",
        "--unit",
        "3-0402",
        "--kind",
        "complaint",
        "--summary",
        "楼上噪音",
    ]);
    let pid = site.owner_pid().expect("an owner");
    unsafe { libc::kill(pid, libc::SIGTERM) };
    wait_until("the owner to stop", || !is_alive(pid));
    // A checkpoint with a right checksum and a wrong summary.
    {
        let desk = dutydesk::Desk::open(
            site.dir(),
            std::sync::Arc::new(dutydesk::clock::SystemClock),
        )
        .unwrap();
        let mut forged = desk.state().clone();
        forged.tickets.values_mut().next().unwrap().summary = "FORGED".into();
        assert!(checkpoint::save(
            &site.dir().join("checkpoint.bin"),
            &forged,
            &desk.head().hash
        ));
    }
    let mut client = site.client("王军");
    let live = client.subscribe_live().unwrap();
    let deadline = std::time::Instant::now() + PATIENCE;
    let alarm = loop {
        match live.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now())) {
            Ok(dutydesk::Live::Alarm(a)) => break a,
            Ok(_) => {}
            Err(e) => panic!("no alarm reached the live client: {e}"),
        }
    };
    assert!(alarm.contains("did not match the log"), "{alarm}");
    let snap = client.snapshot().unwrap();
    assert_eq!(snap.alarm.as_deref(), Some(alarm.as_str()));
    let summary = &snap.state.tickets.values().next().unwrap().summary;
    assert_eq!(summary, "楼上噪音", "the snapshot is the log's truth");
}
