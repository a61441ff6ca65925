//! A handover addressed to the wrong name can be taken back, and an anonymous
//! caller is marked as such in the record.

use std::path::Path;
use std::process::Output;

use crate::support::bin;
use crate::support::owner::stop_owner;

fn dd(data: &Path, operator: &str, args: &[&str]) -> Output {
    bin::run(
        bin::dutydesk(data)
            .args(["--operator", operator, "--lang", "en"])
            .args(args),
    )
}

fn ok(data: &Path, operator: &str, args: &[&str]) -> String {
    bin::ok(dd(data, operator, args))
}

#[test]
fn a_handover_to_a_mistyped_name_is_withdrawn_and_handed_over_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(
        d,
        "王军",
        &[
            "call",
            "--unit",
            "1-0101",
            "--kind",
            "repair",
            "--summary",
            "leak",
        ],
    );
    ok(d, "王军", &["shift", "handover", "--to", "李美"]);
    // Nobody called 李美 will ever sign; only the outgoing operator may take it back.
    let other = dd(d, "张伟", &["shift", "withdraw", "--reason", "not mine"]);
    assert!(!other.status.success());
    assert!(String::from_utf8_lossy(&other.stderr).contains("only 王军"));
    let out = ok(
        d,
        "王军",
        &["shift", "withdraw", "--reason", "wrong name: it is 李梅"],
    );
    assert!(out.contains("withdrawn"), "{out}");
    let cur: serde_json::Value =
        serde_json::from_str(&ok(d, "王军", &["shift", "current", "--json"])).unwrap();
    assert_eq!(cur["id"], 1, "shift 1 goes on: {cur}");
    assert_eq!(cur["operator"], "王军");
    assert!(!dd(d, "王军", &["shift", "withdraw", "--reason", "again"])
        .status
        .success());
    ok(d, "王军", &["shift", "handover", "--to", "李梅"]);
    ok(d, "李梅", &["shift", "accept"]);
    let cur: serde_json::Value =
        serde_json::from_str(&ok(d, "李梅", &["shift", "current", "--json"])).unwrap();
    assert_eq!(cur["operator"], "李梅");
    assert_eq!(cur["accepted"], true);
    let log = ok(d, "李梅", &["log", "--json"]);
    assert!(log.contains("\"type\":\"handover_withdrawn\""));
    let export = d.join("all.jsonl");
    ok(
        d,
        "李梅",
        &[
            "export",
            "--format",
            "jsonl",
            "--out",
            export.to_str().unwrap(),
        ],
    );
    ok(d, "李梅", &["verify", export.to_str().unwrap()]);
    stop_owner(d);
}

#[test]
fn an_anonymous_caller_is_marked_not_just_nameless() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let anon = ok(
        d,
        "王军",
        &[
            "call",
            "--unit",
            "1-0101",
            "--kind",
            "complaint",
            "--summary",
            "noise",
            "--anonymous",
        ],
    );
    let plain = ok(
        d,
        "王军",
        &[
            "call",
            "--unit",
            "1-0201",
            "--kind",
            "repair",
            "--summary",
            "leak",
        ],
    );
    let list: serde_json::Value =
        serde_json::from_str(&ok(d, "王军", &["tickets", "--json"])).unwrap();
    let by_id = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id.trim())
            .unwrap()
            .clone()
    };
    assert_eq!(by_id(&anon)["anonymous"], true);
    assert_eq!(by_id(&anon)["caller"], serde_json::Value::Null);
    assert_eq!(by_id(&plain)["anonymous"], false);
    let shown = ok(d, "王军", &["show", anon.trim()]);
    assert!(shown.contains("declined to give a name"), "{shown}");
    let shown = ok(d, "王军", &["show", plain.trim()]);
    assert!(!shown.contains("anonymous"), "{shown}");
    stop_owner(d);
}
