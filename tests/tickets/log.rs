//! The log as scripts and auditors see it: `log --json` record shape, `export`,
//! `verify` of a good and of a tampered copy, and the one-process rule.

use std::sync::Arc;

use crate::support::owner::stop_owner;
use crate::support::site::Site;
use dutydesk::clock::SystemClock;
use dutydesk::desk::Desk;

/// A short evening: a call taken through to closed, another cancelled.
fn evening(site: &Site) {
    let r = site.call("1-1203", "repair");
    for args in [
        vec!["dispatch", &r, "--to", "engineering"],
        vec!["start", &r],
        vec!["done", &r],
        vec!["callback", &r, "--satisfied"],
        vec!["close", &r],
    ] {
        site.ok(&args);
    }
    let h = site.call("B2 garage", "help");
    site.ok(&["cancel", &h, "--reason", "误报"]);
}

#[test]
fn log_json_has_the_record_shape_and_a_consistent_chain() {
    let site = Site::new();
    evening(&site);
    let log = site.log();
    // store_created, shift_started, then the 8 ticket events.
    assert_eq!(log.len(), 10, "{log:#?}");
    let mut prev = "0".repeat(64);
    for (i, r) in log.iter().enumerate() {
        assert_eq!(r["seq"], i as u64 + 1, "seq runs from 1 with no gap");
        let at = r["at"].as_str().expect("at is text");
        let t = chrono::DateTime::parse_from_rfc3339(at).expect("at is RFC 3339");
        assert_eq!(t.offset().local_minus_utc(), 0, "at is UTC: {at}");
        assert_eq!(r["operator"], "王军");
        assert!(r["unix_user"].as_str().is_some_and(|u| !u.is_empty()));
        assert_eq!(r["shift"], 1);
        assert!(r["event"]["type"].is_string(), "event is tagged: {r}");
        assert_eq!(r["prev_hash"], prev.as_str(), "record {} links back", i + 1);
        let hash = r["hash"].as_str().unwrap();
        assert_eq!(hash.len(), 64);
        assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
        prev = hash.to_string();
    }
    let types: Vec<&str> = log
        .iter()
        .map(|r| r["event"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "store_created",
            "shift_started",
            "ticket_opened",
            "ticket_dispatched",
            "ticket_started",
            "ticket_done",
            "callback_recorded",
            "ticket_closed",
            "ticket_opened",
            "ticket_cancelled",
        ]
    );
    assert_eq!(log[2]["event"]["id"], "R001");
    assert_eq!(log[3]["event"]["to"], "engineering");
    // Without --json, one readable line a record.
    let text = site.ok(&["log"]);
    assert_eq!(text.lines().count(), 10);
    assert!(
        text.contains("ticket_cancelled") || text.contains("误报"),
        "{text}"
    );
}

#[test]
fn export_verifies_and_a_tampered_copy_names_the_record() {
    let site = Site::new();
    evening(&site);
    let out = site.file("exports/all.jsonl");
    let r = site.run(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    let text = std::fs::read_to_string(&out).unwrap();
    // The export has the same record shape as `log --json`, line for line.
    let log = site.log();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines, log);

    let ok = site.ok(&["verify", out.to_str().unwrap()]);
    assert_eq!(ok.lines().count(), 1, "a one-line summary: {ok}");
    assert!(ok.starts_with("ok: 10 records"), "{ok}");

    // A curious edit: the operator of record 4 changed by hand.
    let edited: Vec<String> = text
        .lines()
        .map(|l| {
            if l.contains("\"seq\":4,") {
                l.replace("王军", "李四")
            } else {
                l.to_string()
            }
        })
        .collect();
    assert_ne!(edited.join("\n"), text.trim_end(), "the edit happened");
    let bad = site.file("edited.jsonl");
    std::fs::write(&bad, edited.join("\n") + "\n").unwrap();
    let r = site.run(&["verify", bad.to_str().unwrap()]);
    assert_ne!(r.code(), Some(0));
    assert!(r.stdout().is_empty());
    assert!(
        r.stderr().contains("record 4 does not verify"),
        "{}",
        r.stderr()
    );

    // A record removed from the middle.
    let missing: Vec<&str> = text.lines().filter(|l| !l.contains("\"seq\":6,")).collect();
    let gap = site.file("gap.jsonl");
    std::fs::write(&gap, missing.join("\n") + "\n").unwrap();
    let r = site.run(&["verify", gap.to_str().unwrap()]);
    assert_ne!(r.code(), Some(0));
    assert!(r.stderr().contains("record 7"), "{}", r.stderr());

    // Not a log at all.
    let junk = site.file("junk.jsonl");
    std::fs::write(&junk, "hello\n").unwrap();
    let r = site.run(&["verify", junk.to_str().unwrap()]);
    assert_ne!(r.code(), Some(0));
    assert!(r.stderr().contains("junk.jsonl:1"), "{}", r.stderr());
}

#[test]
fn a_second_process_gets_a_clear_message_not_a_panic() {
    let site = Site::new();
    let id = site.call("1-0101", "repair");
    let before = site.log().len();
    // The commands above started an owner; stop it, then this test process
    // holds the store while the binary tries to use it.
    stop_owner(site.path());
    let desk = Desk::open(site.path(), Arc::new(SystemClock)).expect("open the store");
    for args in [
        vec![
            "call",
            "--unit",
            "1-0101",
            "--kind",
            "help",
            "--summary",
            "x",
        ],
        vec!["dispatch", &id, "--to", "security"],
        vec!["tickets"],
        vec!["log", "--json"],
    ] {
        let r = site.run(&args);
        assert_eq!(r.code(), Some(6), "{args:?}: {}", r.stderr());
        let err = r.stderr();
        assert!(err.contains("another dutydesk process"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(r.stdout().is_empty());
    }
    assert_eq!(desk.state().tickets.len(), 1);
    drop(desk);
    assert_eq!(site.log().len(), before, "nothing was written while locked");
    assert_eq!(site.state_of(&id), "new");
}

#[test]
fn a_clock_set_back_an_hour_before_a_dispatch_is_on_file_and_no_time_is_negative() {
    let site = Site::new();
    let at = |now: &str, args: &[&str]| {
        let out = site.cmd(args).env("DUTYDESK_NOW", now).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let args = [
        "call",
        "--unit",
        "1-1203",
        "--kind",
        "repair",
        "--summary",
        "漏水",
    ];
    let id = at("2026-11-25T21:00:00Z", &args);
    at(
        "2026-11-25T20:00:00Z",
        &["dispatch", &id, "--to", "engineering"],
    );
    let log = site.log();
    let times: Vec<&str> = log.iter().map(|r| r["at"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    let jump = log
        .iter()
        .find(|r| r["event"]["type"] == "clock_jumped")
        .unwrap_or_else(|| panic!("the jump is recorded: {log:#?}"));
    let (from, to) = (&jump["event"]["from_us"], &jump["event"]["to_us"]);
    let back = from.as_i64().unwrap() - to.as_i64().unwrap();
    assert!(
        (back - 3_600_000_000).abs() < 5_000_000,
        "an hour back: {jump}"
    );
    let dispatched = log
        .iter()
        .find(|r| r["event"]["type"] == "ticket_dispatched")
        .unwrap();
    let target = &dispatched["event"]["target"];
    assert_eq!(target["actual_seconds"], 0, "{target}");
    assert_eq!(target["met"], true);
}
