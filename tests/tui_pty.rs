//! End to end: the real binary in a pseudo-terminal on a demo store: intake,
//! filter, dispatch, help, resize and quit, in both languages.

mod support;

use support::pty::{demo_store, Pty};

fn start(dir: &std::path::Path, lang: &str, cols: u16, rows: u16) -> Pty {
    let config = dir.join("config");
    Pty::spawn(
        &[
            "--data",
            dir.join("d").to_str().unwrap(),
            "--lang",
            lang,
            "--operator",
            "Tester",
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
    p.wait_for("Operator Tester");

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
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dutydesk"))
        .args([
            "--data",
            tmp.path().join("d").to_str().unwrap(),
            "--lang",
            "en",
        ])
        .env("XDG_CONFIG_HOME", tmp.path().join("config"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
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
