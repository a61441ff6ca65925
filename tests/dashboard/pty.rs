//! End to end: the real binary in a pseudo-terminal on a demo store: intake,
//! filter, dispatch, help, resize and quit, in both languages.

use crate::support::bin;
use crate::support::owner::stop_owner;
use crate::support::pty::{demo_store, Pty};

fn start(dir: &std::path::Path, lang: &str, cols: u16, rows: u16) -> Pty {
    start_as(dir, lang, cols, rows, "Tester")
}

fn start_as(dir: &std::path::Path, lang: &str, cols: u16, rows: u16, who: &str) -> Pty {
    let config = dir.join("config");
    Pty::spawn(
        &[
            "--data",
            dir.join("d").to_str().unwrap(),
            "--lang",
            lang,
            "--operator",
            who,
        ],
        &[("XDG_CONFIG_HOME", config.to_str().unwrap())],
        cols,
        rows,
    )
}

#[test]
fn intake_filter_dispatch_and_quit_in_english() {
    let tmp = tempfile::tempdir().unwrap();
    demo_store(&tmp.path().join("d"));
    let mut p = start(tmp.path(), "en", 100, 30);
    p.wait_for("Riverside Gardens");
    p.wait_for("you Tester");

    // Intake: unit, then Tab to the summary, Ctrl-S saves.
    p.send("n");
    p.wait_for("New call");
    p.type_text("1-0101");
    p.wait_for("Unit history 1-0101");
    for _ in 0..5 {
        p.send("\t");
    }
    p.type_text("Radiator valve dripping");
    p.wait_for("Radiator valve dripping");
    p.send("\x13");
    let s = p.wait_for("Saved R");
    assert!(s.contains("Radiator valve dripping"), "{s}");

    // Filter to it, keep the filter, open it and dispatch.
    p.send("/");
    p.type_text("radiator");
    p.wait_for("Filter: radiator");
    p.send("\r");
    p.wait_for("1 of 1");
    p.send("\r");
    p.wait_for("Timeline");
    p.send("d");
    p.wait_for("Dispatch to");
    p.send("\r");
    p.wait_for("dispatched to Engineering");

    p.send("q");
    assert_eq!(p.wait_exit(), 0);
    assert!(!p.alternate_screen(), "the terminal is restored");
}

#[test]
fn help_resize_and_quit_in_chinese() {
    let tmp = tempfile::tempdir().unwrap();
    demo_store(&tmp.path().join("d"));
    let mut p = start(tmp.path(), "zh", 100, 30);
    p.wait_for("滨江花园");
    p.send("?");
    p.wait_for("登记新来电");
    p.send("\x1b");
    p.wait_gone("登记新来电");
    p.resize(60, 20);
    p.wait_for("请调整到至少");
    p.resize(80, 24);
    p.wait_for("滨江花园");
    // Ctrl-C with nothing typed quits at once, with status 0.
    p.send("\x03");
    assert_eq!(p.wait_exit(), 0);
    assert!(!p.alternate_screen());
}

#[test]
fn an_invalid_keymap_file_stops_start_up_with_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    demo_store(&tmp.path().join("d"));
    let dir = tmp.path().join("config/dutydesk");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("keymap.toml"), "[queue]\nnew = \"q\"\n").unwrap();
    let out = bin::run(
        bin::dutydesk(&tmp.path().join("d"))
            .args(["--lang", "en"])
            .env("XDG_CONFIG_HOME", tmp.path().join("config"))
            .stdin(std::process::Stdio::null()),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(9), "{err}");
    assert!(
        err.contains("keymap.toml:2") && err.contains("bound twice"),
        "{err}"
    );
}

#[test]
fn a_vim_preset_from_the_user_file_moves_with_j_and_k() {
    let tmp = tempfile::tempdir().unwrap();
    demo_store(&tmp.path().join("d"));
    let dir = tmp.path().join("config/dutydesk");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("keymap.toml"), "preset = \"vim\"\n").unwrap();
    let mut p = start(tmp.path(), "en", 100, 30);
    p.wait_for("1 of ");
    p.send("j");
    p.wait_for("2 of ");
    p.send("k");
    p.wait_for("1 of ");
    p.send("q");
    assert_eq!(p.wait_exit(), 0);
}

fn cli(data: &std::path::Path, who: &str, args: &[&str]) -> String {
    bin::ok(bin::run(
        bin::dutydesk(data)
            .args(["--operator", who])
            .args(args)
            .stdin(std::process::Stdio::null()),
    ))
}

#[test]
fn emergency_runner_from_the_picker_to_the_banner_and_back() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    demo_store(&data);
    let mut p = start(tmp.path(), "en", 80, 24);
    p.wait_for("Riverside Gardens");
    p.send("!");
    p.wait_for("Emergency plans");
    p.type_text("lift");
    p.wait_for("> elevator-entrapment");
    p.send("\r");
    p.wait_for("Location (optional)");
    p.send("\r");
    p.wait_for("EM2 Elevator entrapment · started by Tester");

    // Step 1 with its value.
    p.send("x");
    p.wait_for("Step 1 done · People trapped");
    p.type_text("3");
    p.send("\r");
    p.wait_for("[x] 1*");
    // A critical step: refused as a plain skip, then overridden.
    p.send("s");
    p.wait_for("Reason for skipping");
    p.type_text("resident answered by phone");
    p.send("\r");
    p.wait_for("Override and skip it?");
    p.send("y");
    p.wait_for("[-] 2*");
    p.send("n");
    p.wait_for("Note on the run");
    p.type_text("maintenance called");
    p.send("\r");
    p.wait_for("Recorded EM2");

    // The queue carries the banner; the jump key comes back, and cycles.
    p.send("\x1b");
    let s = p.wait_for("Callback");
    assert!(s.contains("EMERGENCY EM2 Elevator entrapment"), "{s}");
    p.send("\x05");
    p.wait_for("EM1 Elevator entrapment @ Lift 3-A · started by");
    p.send("\x05");
    p.wait_for("EM2 Elevator entrapment · started by");
    p.send("\x1b");
    p.wait_for("Callback");
    p.send("q");
    assert_eq!(p.wait_exit(), 0);
    let shown = cli(&data, "Tester", &["emergency", "show", "EM2", "--json"]);
    assert!(
        shown.contains("\"value\":\"3\"") || shown.contains("\"value\": \"3\""),
        "{shown}"
    );
    stop_owner(&data);
}

#[test]
fn handover_on_a_single_console_writes_the_files_and_is_signed_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    demo_store(&data);
    // The demo's shift is 王军's: only he hands it over.
    let mut p = start_as(tmp.path(), "en", 80, 24, "王军");
    p.wait_for("Riverside Gardens");
    p.send("h");
    p.wait_for("Incoming operator");
    p.wait_for("Shift handover record");
    p.type_text("李梅");
    p.send("\t");
    p.type_text("quiet night");
    p.send("\x13");
    // The demo's emergency is still active: a reason is asked for.
    p.wait_for("Reason to hand over anyway");
    p.type_text("briefed in person");
    p.send("\x13");
    let s = p.wait_for("Handed over; files written");
    let exports: Vec<String> = std::fs::read_dir(data.join("exports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for ext in ["jsonl", "csv", "md"] {
        let name = exports
            .iter()
            .find(|n| n.ends_with(&format!("-shift-1.{ext}")))
            .unwrap_or_else(|| panic!("no .{ext} in {exports:?}"));
        assert!(s.contains(name.as_str()), "{s}");
    }
    p.send("\x1b");
    p.wait_gone("Handed over; files written");
    p.wait_for("S to sign");
    p.send("S");
    p.wait_for("Sign the handover");
    p.type_text("李梅");
    p.send("\r");
    p.wait_for("signed by 李梅");
    p.send("q");
    assert_eq!(p.wait_exit(), 0);
    let cur = cli(&data, "李梅", &["shift", "current", "--json"]);
    assert!(cur.contains("\"accepted\":true"), "{cur}");
    stop_owner(&data);
}

#[test]
fn live_on_two_dashboards_through_a_killed_owner() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    demo_store(&data);
    let mut a = start(tmp.path(), "en", 100, 30);
    let mut b = start(tmp.path(), "zh", 100, 30);
    let mut c = start(tmp.path(), "en", 100, 30);
    for p in [&a, &b, &c] {
        p.wait_for("Tester (");
    }
    let new = |what: &str| {
        let args = [
            "call",
            "--unit",
            "1-0101",
            "--kind",
            "repair",
            "--summary",
            what,
        ];
        cli(&data, "王军", &args)
    };
    // A call from the CLI shows on every dashboard.
    new("Radiator hissing");
    a.wait_for("Radiator hiss");
    b.wait_for("Radiator hiss");
    // One dashboard quits; the others and the CLI go on.
    c.send("q");
    assert_eq!(c.wait_exit(), 0);
    new("Window latch");
    a.wait_for("Window latch");
    b.wait_for("Window latch");

    // The owner dies: both come back by themselves, say that the link was lost
    // and restored, and catch up. (The DISCONNECTED banner itself is tested on
    // the TestBackend: a real outage can be shorter than one redraw.)
    let pid = dutydesk::server::owner::owner_pid(&data).expect("an owner");
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    // The outage may be shorter than a redraw; the notice that it happened stays.
    a.wait_for("Connection to the desk restored");
    b.wait_for("与值班台的连接已恢复");
    a.wait_gone("DISCONNECTED");
    b.wait_gone("与值班台的连接已断开");
    new("After restart");
    a.wait_for("After restart");
    b.wait_for("After restart");
    a.send("q");
    b.send("q");
    assert_eq!(a.wait_exit(), 0);
    assert_eq!(b.wait_exit(), 0);
    stop_owner(&data);
}
