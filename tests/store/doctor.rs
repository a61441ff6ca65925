//! `dutydesk doctor`: the checks a site runs when something seems wrong.

use crate::support::bin::dutydesk;

/// 王军 logs a leak at 1-0101 (at `now`, when given) and it is recorded.
fn leak_call(dir: &std::path::Path, now: Option<&str>) {
    let mut cmd = dutydesk(dir);
    if let Some(now) = now {
        cmd.env("DUTYDESK_NOW", now);
    }
    let out = cmd
        .args(["--operator", "王军", "call", "--unit", "1-0101"])
        .args(["--kind", "repair", "--summary", "漏水"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn doctor_reports_records_chain_and_the_cost_of_a_durable_append() {
    let dir = tempfile::tempdir().unwrap();
    leak_call(dir.path(), None);
    let out = dutydesk(dir.path())
        .args(["doctor", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["records"], 3, "store created, shift started, call");
    assert_eq!(v["chain_ok"], true);
    assert!(v["fsync_p50_us"].as_u64().unwrap() > 0);
    assert!(v["append_p50_us"].as_u64().unwrap() > 0);
    // The probe leaves nothing behind and writes nothing into the log.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with(".doctor-probe")),
        "{names:?}"
    );
    let text = dutydesk(dir.path()).arg("doctor").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("3 records, every hash and link verified"),
        "{text}"
    );
    assert!(text.contains("all good"), "{text}");
}

#[test]
fn doctor_names_a_broken_site_file_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        "[site]\nname_en = \"X\"\nname_zh = 3\n",
    )
    .unwrap();
    let out = dutydesk(dir.path()).arg("doctor").output().unwrap();
    // Diagnosed, not died of: every line is printed, then "problems found".
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("[FAIL] site directory") && text.contains("site.toml:3"),
        "{text}"
    );
    assert!(
        text.contains("free disk space") && text.contains("problems found"),
        "{text}"
    );
}

#[test]
fn doctor_names_a_file_others_can_read_and_the_command_to_run() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    leak_call(dir.path(), None);
    let db = dir.path().join("store/db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = dutydesk(dir.path()).arg("doctor").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("[FAIL] file permissions: others can read store/db"),
        "{text}"
    );
    assert!(text.contains("chmod -R o-rwx"), "{text}");
}

#[test]
fn doctor_fails_the_clock_check_when_the_system_clock_is_behind_the_log() {
    let dir = tempfile::tempdir().unwrap();
    leak_call(dir.path(), Some("2026-11-25T21:00:00Z"));
    leak_call(dir.path(), Some("2026-11-25T20:00:00Z"));
    let out = dutydesk(dir.path())
        .env("DUTYDESK_NOW", "2026-11-25T20:01:00Z")
        .arg("doctor")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("[FAIL] system clock")
            && text.contains("records keep the log's time")
            // DUTYDESK_NOW clocks run on from each command's start, so the jump is
            // an hour give or take the time the two commands took to read them
            // (a second on a loaded machine, the rest of this binary running).
            && (text.contains("moved back 1h00") || text.contains("moved back 59m59")),
        "{text}"
    );
}
