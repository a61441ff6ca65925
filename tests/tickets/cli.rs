//! The ticket state machine and bad input, through the real binary: every legal
//! move, every refusal (with what is allowed next, and nothing written), every
//! kind of bad input, and the id alone on stdout.

use crate::support::bin;
use crate::support::owner::stop_owner;
use crate::support::site::{Run, Site};

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
    assert_eq!(t["phone"], "138-1234-5678", "kept as typed");
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

/// Runs at a fixed time (`DUTYDESK_NOW`), so ages and countdowns are exact.
fn at(site: &Site, now: &str, args: &[&str]) -> String {
    let out = site
        .cmd(args)
        .env("DUTYDESK_NOW", now)
        .output()
        .expect("run dutydesk");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn tickets_shows_each_kinds_promise_as_time_left_then_overdue() {
    let site = Site::new();
    let t0 = "2026-11-25T12:00:00Z";
    let call = |unit: &str, kind: &str| {
        let args = ["call", "--unit", unit, "--kind", kind, "--summary", "x"];
        at(&site, t0, &args).trim().to_string()
    };
    let c = call("2-1401", "complaint");
    let i = call("2-0301", "inquiry");
    let r = call("1-1203", "repair");
    at(&site, t0, &["dispatch", &r, "--to", "engineering"]);
    let row = |table: &str, id: &str| {
        table
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id} in {table}"))
            .to_string()
    };
    // 1h04 later: the complaint never dispatched is 34 minutes past its 30
    // (the binary's clock runs on from DUTYDESK_NOW, so the call is a moment later).
    let t1 = "2026-11-25T13:04:00Z";
    let about_34 = |cell: &str, row: &str| {
        row.contains(&format!("{cell}34m0")) || row.contains(&format!("{cell}33m5"))
    };
    let en = at(&site, t1, &["--lang", "en", "tickets"]);
    assert!(en.lines().next().unwrap().contains("DUE"), "{en}");
    assert!(about_34("dispatch overdue ", &row(&en, &c)), "{en}");
    assert!(about_34("dispatch overdue ", &row(&en, &i)), "{en}");
    assert!(row(&en, &r).contains("done 22h56 left"), "{en}");
    let zh = at(&site, t1, &["--lang", "zh", "tickets"]);
    assert!(about_34("派工 超时", &row(&zh, &c)), "{zh}");
    assert!(row(&zh, &r).contains("完工 剩22h56"), "{zh}");
}

#[test]
fn a_repeat_call_is_added_to_its_ticket_and_phones_read_as_typed() {
    let site = Site::new();
    let id = site
        .ok(&[
            "call",
            "--unit",
            "1-1203",
            "--kind",
            "repair",
            "--summary",
            "楼上漏水",
            "--phone",
            "0571-88235617",
        ])
        .trim()
        .to_string();
    assert_eq!(site.ticket(&id)["phone"], "0571-88235617");
    let out = site.ok(&[
        "add-call",
        &id,
        "--name",
        "陈太太",
        "--phone",
        "138 1234 5678",
        "--note",
        "水越来越大",
    ]);
    assert!(out.starts_with(&id), "{out}");
    assert_eq!(site.tickets().len(), 1, "no second ticket");
    let calls = site.ticket(&id)["calls"].clone();
    assert_eq!(calls.as_array().map(Vec::len), Some(1), "{calls}");
    assert_eq!(calls[0]["caller"], "陈太太");
    assert_eq!(calls[0]["phone"], "138 1234 5678");
    assert_eq!(calls[0]["note"], "水越来越大");
    assert!(calls[0]["at"].is_string());
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
fn an_inquiry_answered_on_the_phone_closes_with_the_answer_and_a_repair_is_refused() {
    let site = Site::new();
    let id = ticket_in(&site, "inquiry", "new");
    site.ok(&["answer", &id, "--note", "the office is in B2"]);
    assert_eq!(site.state_of(&id), "closed");
    assert!(site.ticket(&id)["notes"]
        .to_string()
        .contains("the office is in B2"));
    let repair = ticket_in(&site, "repair", "new");
    refused(
        &site,
        &["answer", &repair, "--note", "told"],
        4,
        &["cannot be answered", "Allowed next: dispatch"],
    );
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
            call(&["--unit", "1-0101", "--phone", "8823561"]),
            2,
            "a landline needs its area code",
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
fn a_unit_typed_by_a_chinese_name_or_alias_is_recorded_by_its_id_and_read_in_each_language() {
    let site = Site::new(); // the demo site: its places have Chinese names and aliases
    let call = |unit: &str| site.run(&["call", "--unit", unit, "--kind", "help", "--summary", "x"]);
    for (typed, id) in [
        ("3栋A梯", "Lift 3-A"),
        ("3A梯", "Lift 3-A"),
        ("3栋1502", "3-1502"),
    ] {
        let r = call(typed);
        assert_eq!(r.code(), Some(0), "{}", r.stderr());
        assert!(
            !r.stderr().contains("not in the site directory"),
            "{typed}: {}",
            r.stderr()
        );
        assert_eq!(site.ticket(r.stdout().trim())["unit"], id, "{typed}");
    }
    // The second call about 3栋A梯 was linked to the first: one place, one id.
    let second = site.ticket("H002");
    assert_eq!(second["related"], "H001");
    let r = call("4栋0701");
    assert!(
        r.stderr()
            .contains("'4栋0701' is not in the site directory"),
        "a 6-floor block has no 7th floor: {}",
        r.stderr()
    );
    let zh = site.ok(&["--lang", "zh", "tickets"]);
    assert!(zh.contains("3栋A梯") && zh.contains("3栋1502"), "{zh}");
    let en = site.ok(&["--lang", "en", "tickets"]);
    assert!(en.contains("Lift 3-A") && en.contains("3-1502"), "{en}");
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
fn export_onto_the_live_store_is_refused_however_spelled_and_the_store_goes_on() {
    let site = Site::new();
    let first = site.call("1-1203", "repair");
    let data = site.path();
    let link = tempfile::tempdir().unwrap();
    let linked = link.path().join("data");
    std::os::unix::fs::symlink(data, &linked).unwrap();
    for out in [
        data.join("store/db"),
        data.join("./store/../store/db"),
        data.join("store/journal"),
        linked.join("store/db"),
        data.join("owner.lock"),
        data.join("dutydesk.log"),
    ] {
        let r = site.run(&["export", "--format", "csv", "--out", out.to_str().unwrap()]);
        assert_eq!(r.code(), Some(2), "{out:?} was not refused: {}", r.stderr());
        assert!(r.stderr().contains("--out"), "{out:?}: {}", r.stderr());
    }
    // Relative to the working directory, as a tired operator would type it.
    let r = Run(bin::run(
        site.cmd(&["export", "--format", "csv", "--out", "store/db"])
            .current_dir(data),
    ));
    assert_eq!(r.code(), Some(2), "{}", r.stderr());
    assert!(
        r.stderr().contains("inside the desk's store") && r.stderr().contains("exports"),
        "the message says why and where to write instead: {}",
        r.stderr()
    );
    let second = site.call("1-1203", "repair");
    // A new owner reads the store from disk: both calls are there.
    stop_owner(data);
    site.assert_holds(&[first, second], "after exports aimed at the store");
}

/// Runs the binary with umask 022 (the default that made the files readable by all).
fn with_umask_022(cmd: &mut std::process::Command) -> Run {
    use std::os::unix::process::CommandExt;
    // SAFETY: umask is async-signal-safe and touches only the child.
    unsafe {
        cmd.pre_exec(|| {
            libc::umask(0o022);
            Ok(())
        });
    }
    Run(bin::run(cmd))
}

/// Every path under `dir` with its mode, the directory itself first.
fn modes(dir: &std::path::Path) -> Vec<(std::path::PathBuf, u32)> {
    use std::os::unix::fs::MetadataExt;
    let mut out = vec![(
        dir.to_path_buf(),
        std::fs::metadata(dir).unwrap().mode() & 0o7777,
    )];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let meta = std::fs::symlink_metadata(&p).unwrap();
        if meta.is_dir() {
            out.extend(modes(&p));
        } else {
            out.push((p, meta.mode() & 0o7777));
        }
    }
    out
}

#[test]
fn a_new_data_directory_and_all_the_desk_writes_in_it_are_private_whatever_the_umask() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("new-site");
    let run = |args: &[&str]| {
        let mut c = bin::dutydesk(&data);
        c.args(["--operator", "王军"]).args(args);
        let r = with_umask_022(&mut c);
        assert_eq!(r.code(), Some(0), "{args:?}: {}", r.stderr());
    };
    run(&[
        "call",
        "--unit",
        "1-0101",
        "--kind",
        "repair",
        "--summary",
        "漏水",
    ]);
    let csv = data.join("exports/residents.csv");
    run(&["export", "--format", "csv", "--out", csv.to_str().unwrap()]);
    run(&["shift", "handover", "--to", "李梅"]);
    stop_owner(&data);
    // A new owner, started by a client with umask 022, writes the checkpoint etc.
    run(&["tickets"]);
    stop_owner(&data);
    let recovered = tmp.path().join("recovered");
    run(&["recover", "--out", recovered.to_str().unwrap()]);
    for root in [&data, &recovered] {
        let all = modes(root);
        assert!(all.len() > 4, "{all:?}");
        for (path, mode) in all {
            let want = if path.is_dir() { 0o700 } else { 0o600 };
            assert_eq!(mode, want, "{} is {mode:o}", path.display());
        }
    }
}

#[test]
fn typed_input_is_echoed_with_control_characters_written_out_and_never_cuts_the_message() {
    let site = Site::new();
    let id = site.call("1-1203", "inquiry");
    let err = refused(
        &site,
        &["start", "\u{1b}[2JR9\u{1f}x"],
        3,
        &["no ticket '\\e[2JR9\\x1fx': check the id with `dutydesk tickets --all`"],
    );
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{1f}'),
        "{err:?}"
    );
    // A wrong letter names the kind with the right article.
    refused(
        &site,
        &["start", "R1"],
        3,
        &[&format!("{id} is an inquiry")],
    );
    let long = "9".repeat(200);
    let err = refused(&site, &["start", &long], 3, &["…'"]);
    assert!(err.len() < 200, "long input is cut: {err}");
}

#[test]
fn an_error_of_the_owner_names_its_field_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d".repeat(110));
    let r = Run(bin::run(bin::dutydesk(&data).args([
        "--operator",
        "王军",
        "tickets",
    ])));
    let err = r.stderr();
    assert_eq!(r.code(), Some(2), "{err}");
    assert!(err.contains("too long for a Unix socket"), "{err}");
    assert_eq!(err.matches("--data:").count(), 1, "{err}");
}

#[test]
fn the_dashboard_without_a_terminal_says_so_and_points_to_the_command_line() {
    let site = Site::new();
    let r = Run(site
        .cmd(&[])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap());
    let err = r.stderr();
    assert_eq!(r.code(), Some(2), "{err}");
    assert!(
        err.contains("needs a terminal") && err.contains("dutydesk tickets"),
        "{err}"
    );
    assert!(!err.contains("internal error"), "{err}");
}

#[test]
fn an_operator_name_with_control_characters_is_refused_before_anything_is_recorded() {
    let site = Site::new();
    let r = site.run(&["--operator", "\u{1b}[31m王军", "tickets"]);
    let err = r.stderr();
    assert_eq!(r.code(), Some(2), "{err}");
    assert!(
        err.contains("--operator: '\\e[31m王军' holds control characters"),
        "{err:?}"
    );
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
            // The escape is shown spelled out (as `shown` renders it), never sent raw.
            &["--operator", "control characters", "'\\e[31mEVIL\\e[0m'"],
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
