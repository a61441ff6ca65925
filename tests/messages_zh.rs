//! With --lang zh, refusals and warnings are in Chinese; English stays the default.

use std::process::Command;

mod common;

fn dd(data: &std::path::Path, lang: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dutydesk"))
        .arg("--data")
        .arg(data)
        .args(["--lang", lang, "--operator", "王军"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn refusals_and_warnings_speak_the_operators_language() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = dd(
        d,
        "zh",
        &[
            "call",
            "--unit",
            "B9 仓库",
            "--kind",
            "repair",
            "--summary",
            "漏水",
        ],
    );
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("注意：房号“B9 仓库”不在项目档案中"), "{err}");
    let out = dd(d, "zh", &["close", "R001"]);
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("R001 当前为“待派工”，不能关闭。下一步可以：派工、取消、备注"),
        "{err}"
    );
    let out = dd(
        d,
        "zh",
        &["call", "--unit", " ", "--kind", "repair", "--summary", "x"],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("房号：不能为空"));
    let out = dd(d, "en", &["close", "R001"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("R001 is new; it cannot be closed. Allowed next: dispatch, cancel, note"),
        "{err}"
    );
    assert!(!err.contains('\u{1f}'), "one language at a time: {err:?}");
    common::stop_owner(d);
}

#[test]
fn typed_input_is_echoed_escaped_in_chinese_too_and_the_dashboard_needs_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = dd(d, "zh", &["start", "\u{1b}[2J\u{1f}R9"]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("没有工单“\\e[2J\\x1fR9”：请核对编号"),
        "{err:?}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_dutydesk"))
        .arg("--data")
        .arg(d)
        .args(["--lang", "zh"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("需要在终端中运行"), "{err}");
    common::stop_owner(d);
}
