//! The ticket state machine and bad input, through the real binary: every legal
//! move, every refusal (with what is allowed next, and nothing written), every
//! kind of bad input, and the id alone on stdout.

mod common;

use common::Site;

/// Brings a fresh ticket of `kind` to `state` with legal moves; returns its id.
fn ticket_in(site: &Site, kind: &str, state: &str) -> String {
    let id = site.call("1-1203", kind);
    let path: &[&[&str]] = match state {
        "new" => &[],
        "dispatched" => &[&["dispatch", "--to", "engineering"]],
        "in_progress" => &[&["dispatch", "--to", "engineering"], &["start"]],
        "done" => &[&["dispatch", "--to", "engineering"], &["start"], &["done"]],
        "closed" => &[
            &["dispatch", "--to", "engineering"],
            &["start"],
            &["done"],
            &["callback", "--satisfied"],
            &["close"],
        ],
        "cancelled" => &[&["cancel", "--reason", "resident hung up"]],
        other => panic!("no path to {other}"),
    };
    for step in path {
        let mut args = vec![step[0], id.as_str()];
        args.extend_from_slice(&step[1..]);
        site.ok(&args);
    }
    assert_eq!(site.state_of(&id), state);
    id
}

/// Runs a command that must be refused with `code` and say `says`. Callers check
/// that nothing was written with [`writes_nothing`] around a group of refusals
/// (one `log` read per group keeps the test quick).
fn refused(site: &Site, args: &[&str], code: i32, says: &[&str]) -> String {
    let r = site.run(args);
    assert_eq!(r.code(), Some(code), "{args:?}: {}", r.stderr());
    assert!(r.stdout().is_empty(), "{args:?} printed {}", r.stdout());
    let err = r.stderr();
    for s in says {
        assert!(err.contains(s), "{args:?}: expected {s:?} in {err:?}");
    }
    err
}

/// Runs `f` and checks the log has exactly as many records afterwards.
fn writes_nothing(site: &Site, f: impl FnOnce()) {
    let before = site.log();
    f();
    assert_eq!(site.log(), before, "a refused command wrote records");
}

#[test]
fn call_prints_the_id_alone_and_the_ticket_has_every_field() {
    let site = Site::new();
    let out = site.ok(&[
        "call",
        "--unit",
        "1-1203",
        "--kind",
        "repair",
        "--summary",
        "卫生间天花板漏水",
        "--name",
        "陈建国",
        "--phone",
        "138-1234-5678",
    ]);
    assert_eq!(out, "R001\n", "stdout must be the id alone");
    let anon = site.ok(&[
        "call",
        "--unit",
        "2-0501",
        "--kind",
        "complaint",
        "--summary",
        "楼上噪音",
        "--anonymous",
        "--priority",
        "2",
    ]);
    assert_eq!(anon.trim(), "C002");

    let t = site.ticket("R001");
    for field in [
        "id",
        "kind",
        "priority",
        "state",
        "unit",
        "caller",
        "phone",
        "summary",
        "department",
        "opened_at",
        "updated_at",
        "reopen_count",
    ] {
        assert!(t.get(field).is_some(), "tickets --json lacks {field}: {t}");
    }
    assert_eq!(t["kind"], "repair");
    assert_eq!(t["priority"], 2, "a repair defaults to priority 2");
    assert_eq!(t["state"], "new");
    assert_eq!(t["unit"], "1-1203");
    assert_eq!(t["caller"], "陈建国");
    assert_eq!(t["phone"], "13812345678");
    assert_eq!(t["summary"], "卫生间天花板漏水");
    assert!(t["department"].is_null());
    assert_eq!(t["reopen_count"], 0);
    let opened = t["opened_at"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(opened).is_ok(),
        "{opened}"
    );

    let c = site.ticket("C002");
    assert!(c["caller"].is_null(), "an anonymous caller is null: {c}");
    assert_eq!(c["priority"], 2);
    assert_eq!(c["kind"], "complaint");

    // Emergency defaults to priority 1.
    let e = site.call("3-0101", "emergency");
    assert_eq!(site.ticket(&e)["priority"], 1);
}

#[test]
fn tickets_lists_open_ones_and_all_with_all() {
    let site = Site::new();
    let open = site.call("1-0101", "inquiry");
    let gone = ticket_in(&site, "help", "cancelled");
    let list = site.ok(&["tickets", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&list).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [open.as_str()]);
    let all: Vec<String> = site
        .tickets()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    assert!(all.contains(&gone) && all.contains(&open));
    // The table has a header and one aligned row per open ticket.
    let table = site.ok(&["--lang", "en", "tickets"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2, "{table}");
    assert!(lines[0].starts_with("ID"));
    assert!(lines[1].starts_with(&open));
}

#[test]
fn a_repair_goes_all_the_way_to_closed() {
    let site = Site::new();
    let id = site.call("1-1203", "repair");
    assert_eq!(
        site.ok(&["dispatch", &id, "--to", "engineering", "--note", "张师傅"])
            .split_whitespace()
            .next(),
        Some(id.as_str())
    );
    assert_eq!(site.state_of(&id), "dispatched");
    assert_eq!(site.ticket(&id)["department"], "engineering");
    // Dispatching again (to another department) is a legal move.
    site.ok(&["dispatch", &id, "--to", "security"]);
    assert_eq!(site.ticket(&id)["department"], "security");
    site.ok(&["start", &id]);
    assert_eq!(site.state_of(&id), "in_progress");
    site.ok(&["done", &id, "--note", "换了密封圈"]);
    assert_eq!(site.state_of(&id), "done");
    site.ok(&["note", &id, "住户不在家"]);
    site.ok(&["callback", &id, "--satisfied", "--note", "满意"]);
    assert_eq!(site.ticket(&id)["callback"], true);
    site.ok(&["close", &id, "--note", "结案"]);
    let t = site.ticket(&id);
    assert_eq!(t["state"], "closed");
    let notes: Vec<&str> = t["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        notes,
        ["张师傅", "换了密封圈", "住户不在家", "满意", "结案"]
    );
    // A note on a finished ticket is still allowed: it is evidence, not a move.
    site.ok(&["note", &id, "补充说明"]);
    assert_eq!(site.state_of(&id), "closed");
    let types: Vec<String> = site
        .log()
        .iter()
        .map(|r| r["event"]["type"].as_str().unwrap().to_string())
        .collect();
    assert!(types.iter().any(|t| t.contains("closed")), "{types:?}");
}

#[test]
fn an_unsatisfied_callback_sends_the_ticket_back_to_new() {
    let site = Site::new();
    let id = ticket_in(&site, "complaint", "done");
    site.ok(&["callback", &id, "--unsatisfied", "--note", "还是吵"]);
    let t = site.ticket(&id);
    assert_eq!(t["state"], "new");
    assert_eq!(t["reopen_count"], 1);
    // Around again: it must be dispatched, worked and called back once more.
    for step in [
        vec!["dispatch", &id, "--to", "security"],
        vec!["start", &id],
        vec!["done", &id],
        vec!["callback", &id, "--unsatisfied"],
    ] {
        site.ok(&step);
    }
    assert_eq!(site.ticket(&id)["reopen_count"], 2);
}

#[test]
fn an_inquiry_closes_from_done_without_a_callback() {
    let site = Site::new();
    let id = ticket_in(&site, "inquiry", "done");
    site.ok(&["close", &id]);
    assert_eq!(site.state_of(&id), "closed");
    let help = ticket_in(&site, "help", "done");
    site.ok(&["close", &help]);
    assert_eq!(site.state_of(&help), "closed");
}

#[test]
fn cancel_works_from_every_open_state() {
    let site = Site::new();
    for state in ["new", "dispatched", "in_progress", "done"] {
        let id = ticket_in(&site, "repair", state);
        site.ok(&["cancel", &id, "--reason", "duplicate call"]);
        let t = site.ticket(&id);
        assert_eq!(t["state"], "cancelled", "from {state}");
        assert!(t["notes"].to_string().contains("duplicate call"));
        // Cancelled tickets leave the open list.
        let open = site.ok(&["tickets", "--json"]);
        assert!(!open.contains(&format!("\"{id}\"")), "{open}");
    }
}

#[test]
fn every_illegal_move_is_refused_naming_what_is_allowed_and_writes_nothing() {
    let site = Site::new();
    let table: &[(&str, &[&[&str]], &str)] = &[
        (
            "new",
            &[
                &["start"],
                &["done"],
                &["callback", "--satisfied"],
                &["close"],
            ],
            "Allowed next: dispatch, cancel, note",
        ),
        (
            "dispatched",
            &[&["done"], &["callback", "--unsatisfied"], &["close"]],
            "Allowed next: start, dispatch, cancel, note",
        ),
        (
            "in_progress",
            &[
                &["dispatch", "--to", "cleaning"],
                &["start"],
                &["callback", "--satisfied"],
                &["close"],
            ],
            "Allowed next: done, cancel, note",
        ),
        (
            "done",
            &[&["dispatch", "--to", "engineering"], &["start"], &["done"]],
            "Allowed next: callback, cancel, note",
        ),
    ];
    for (state, moves, allowed) in table {
        let id = ticket_in(&site, "repair", state);
        writes_nothing(&site, || {
            for m in *moves {
                let mut args = vec![m[0], id.as_str()];
                args.extend_from_slice(&m[1..]);
                let err = refused(&site, &args, 4, &[allowed, &format!("{id} is ")]);
                assert!(err.contains(&state.replace('_', " ")), "{err}");
            }
        });
        assert_eq!(site.state_of(&id), *state, "a refusal changed the state");
    }
    for state in ["closed", "cancelled"] {
        let id = ticket_in(&site, "repair", state);
        writes_nothing(&site, || {
            for m in [
                &["dispatch", "--to", "engineering"][..],
                &["start"],
                &["done"],
                &["callback", "--satisfied"],
                &["close"],
                &["cancel", "--reason", "again"],
            ] {
                let mut args = vec![m[0], id.as_str()];
                args.extend_from_slice(&m[1..]);
                refused(&site, &args, 4, &["nothing but notes"]);
            }
        });
        assert_eq!(site.state_of(&id), state);
    }
}

#[test]
fn repairs_and_complaints_close_only_after_a_satisfied_callback() {
    let site = Site::new();
    for kind in ["repair", "complaint"] {
        let id = ticket_in(&site, kind, "done");
        writes_nothing(&site, || {
            refused(
                &site,
                &["close", &id],
                4,
                &["satisfied callback", &format!("callback {id} --satisfied")],
            );
        });
        // An unsatisfied callback does not open the way either: it reopens.
        site.ok(&["callback", &id, "--unsatisfied"]);
        writes_nothing(&site, || {
            refused(&site, &["close", &id], 4, &["Allowed next: dispatch"]);
        });
    }
}

#[test]
fn bad_input_is_refused_clearly_and_writes_nothing() {
    let site = Site::new();
    let id = site.call("1-0101", "repair");
    let call = |extra: &[&str]| {
        let mut a = vec!["call", "--kind", "repair", "--summary", "漏水"];
        a.extend_from_slice(extra);
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let cases: Vec<(Vec<String>, i32, &str)> = vec![
        (call(&[]), 2, "--unit"),
        (call(&["--unit", ""]), 2, "unit: must not be empty"),
        (call(&["--unit", "   "]), 2, "unit: must not be empty"),
        (
            vec![
                "call",
                "--unit",
                "1-0101",
                "--kind",
                "plumbing",
                "--summary",
                "x",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            2,
            "plumbing",
        ),
        (
            call(&["--unit", "1-0101", "--phone", "call me"]),
            2,
            "is not a phone number",
        ),
        (
            call(&["--unit", "1-0101", "--phone", "12"]),
            2,
            "is not a phone number",
        ),
        (
            call(&["--unit", "1-0101", "--priority", "0"]),
            2,
            "priority",
        ),
        (
            call(&["--unit", "1-0101", "--priority", "5"]),
            2,
            "priority",
        ),
        (
            call(&["--unit", "1-0101", "--anonymous", "--name", "李"]),
            2,
            "anonymous call has no name",
        ),
        (
            vec![
                "call",
                "--unit",
                "1-0101",
                "--kind",
                "repair",
                "--summary",
                " ",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            2,
            "summary: must not be empty",
        ),
        (
            vec!["dispatch", &id, "--to", "plumbers"]
                .into_iter()
                .map(String::from)
                .collect(),
            2,
            "plumbers",
        ),
        (
            vec!["start", "R999"]
                .into_iter()
                .map(String::from)
                .collect(),
            3,
            "no ticket 'R999'",
        ),
        (
            vec!["dispatch", "X9", "--to", "security"]
                .into_iter()
                .map(String::from)
                .collect(),
            3,
            "tickets --all",
        ),
        (
            vec!["cancel", &id, "--reason", ""]
                .into_iter()
                .map(String::from)
                .collect(),
            2,
            "reason: must not be empty",
        ),
    ];
    writes_nothing(&site, || {
        for (args, code, says) in &cases {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            refused(&site, &args, *code, &[says]);
        }
    });
    assert_eq!(site.tickets().len(), 1, "bad input opened tickets");
}

#[test]
fn a_unit_outside_the_directory_is_accepted_with_a_warning() {
    let site = Site::new();
    let r = site.run(&[
        "call",
        "--unit",
        "lift 3B",
        "--kind",
        "help",
        "--summary",
        "车被刮了",
    ]);
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert_eq!(r.stdout(), "H001\n", "the warning must not reach stdout");
    assert!(
        r.stderr()
            .contains("'lift 3B' is not in the site directory"),
        "{}",
        r.stderr()
    );
    // A known unit gives no warning.
    let known = site.run(&[
        "call",
        "--unit",
        "2-0302",
        "--kind",
        "inquiry",
        "--summary",
        "?",
    ]);
    assert_eq!(known.code(), Some(0));
    assert!(known.stderr().is_empty(), "{}", known.stderr());
}

#[test]
fn every_command_has_help_in_english() {
    let site = Site::new();
    for cmd in [
        "call", "dispatch", "start", "done", "callback", "close", "cancel", "note", "tickets",
        "log", "export", "demo", "verify",
    ] {
        let out = site.ok(&[cmd, "--help"]);
        assert!(out.contains("Usage:"), "{cmd} --help: {out}");
    }
}

#[test]
fn operator_names_with_escapes_or_over_64_characters_are_refused_wherever_they_enter() {
    let site = Site::new();
    site.call("1-0101", "repair");
    let long = "x".repeat(100_000);
    writes_nothing(&site, || {
        let evil = "\u{1b}[31mEVIL\u{1b}[0m";
        let args = ["--operator", evil, "tickets"];
        refused(
            &site,
            &args,
            2,
            &["--operator", "control characters", "U+001B"],
        );
        let args = ["--operator", long.as_str(), "tickets"];
        refused(&site, &args, 2, &["at most 64 characters"]);
        // DUTYDESK_OPERATOR is the same field.
        let r = site
            .cmd(&["tickets"])
            .env("DUTYDESK_OPERATOR", evil)
            .output()
            .unwrap();
        assert_eq!(r.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&r.stderr).contains("control characters"));
        // The name a handover is addressed to is an operator name too.
        let args = ["shift", "handover", "--to", evil];
        refused(&site, &args, 2, &["to:", "control characters"]);
        let args = ["shift", "handover", "--to", long.as_str()];
        refused(&site, &args, 2, &["to:", "at most 64 characters"]);
    });
    // A name with spaces around it is recorded trimmed.
    site.ok(&["--operator", "  李梅  ", "note", "R001", "好"]);
    assert!(site.log().iter().any(|r| r["operator"] == "李梅"));
}
