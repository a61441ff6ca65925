//! Emergency runs through the real binary: each command a separate process on a
//! temporary data directory, so every test also proves that a run is rebuilt
//! from the log alone after a restart.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::support::bin;

const T0: &str = "2026-11-25T15:00:00Z";

struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        Site {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs dutydesk as `operator` at `now` (RFC 3339).
    fn run_as(&self, operator: &str, now: &str, args: &[&str]) -> Output {
        bin::run(
            bin::dutydesk(self.path())
                .args(["--operator", operator, "--lang", "en"])
                .args(args)
                .env("DUTYDESK_NOW", now)
                .env("TZ", "CST-8"),
        )
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_as("李娜", T0, args)
    }

    /// Runs and insists on success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_success(&out, args);
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).expect("valid JSON on stdout")
    }
}

fn assert_success(out: &Output, args: &[&str]) {
    assert!(
        out.status.success(),
        "{args:?} failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn fails(out: &Output, code: i32, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "stderr: {err}");
    assert!(err.contains(needle), "stderr lacks {needle:?}: {err}");
}

/// The critical step numbers of a plan, from `kinds --json`.
fn critical_steps(site: &Site, plan: &str) -> Vec<String> {
    let kinds = site.json(&["emergency", "kinds", "--json"]);
    let p = kinds
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == plan)
        .unwrap_or_else(|| panic!("no plan {plan}"));
    p["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["critical"] == true)
        .map(|s| s["n"].to_string())
        .collect()
}

#[test]
fn kinds_lists_the_seven_plans_with_both_languages() {
    let site = Site::new();
    let kinds = site.json(&["emergency", "kinds", "--json"]);
    let ids: Vec<&str> = kinds
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    for id in [
        "elevator-entrapment",
        "power-cut",
        "gas-leak",
        "flooding",
        "fire",
        "theft",
        "injury",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let lift = &kinds[0];
    assert_eq!(lift["name_zh"], "电梯困人");
    let step3 = &lift["steps"][2];
    assert_eq!(step3["critical"], true);
    assert!(step3["zh"].as_str().unwrap().contains("维保"));
    assert!(
        step3["phone"].is_string(),
        "the contact's number is resolved"
    );
    assert_eq!(lift["steps"][5]["deadline_minutes"], 30);
    let text = site.ok(&["emergency", "kinds"]);
    assert!(text.contains("gas-leak") && text.contains("燃气"), "{text}");
}

#[test]
fn start_opens_a_p1_ticket_and_steps_record_time_operator_value_note() {
    let site = Site::new();
    let run = site.ok(&[
        "emergency",
        "start",
        "elevator-entrapment",
        "--location",
        "Lift 3-A",
    ]);
    assert_eq!(run, "EM1\n", "the run id alone on stdout");
    let out = site.run_as(
        "王军",
        "2026-11-25T15:02:00Z",
        &[
            "emergency",
            "step",
            "EM1",
            "1",
            "--done",
            "--value",
            "2",
            "--note",
            "mother and son",
        ],
    );
    assert_success(&out, &["step 1"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("next: 2."));
    site.ok(&["emergency", "note", "em1", "husband at the landing"]);

    let show = site.json(&["emergency", "show", "EM1", "--json"]);
    assert_eq!(show["id"], "EM1");
    assert_eq!(show["kind"], "elevator-entrapment");
    assert_eq!(show["state"], "active");
    assert_eq!(show["ticket"], "E001");
    assert_eq!(show["location"], "Lift 3-A");
    let s1 = &show["steps"][0];
    assert_eq!(s1["state"], "done");
    assert_eq!(s1["operator"], "王军");
    assert_eq!(s1["value"], "2");
    assert_eq!(s1["note"], "mother and son");
    assert!(s1["at"]
        .as_str()
        .unwrap()
        .starts_with("2026-11-25T15:02:00"));
    assert_eq!(show["steps"][1]["state"], "pending");
    assert_eq!(show["steps"][1]["at"], Value::Null);
    assert_eq!(show["current_step"], 2);
    assert_eq!(show["notes"][0]["text"], "husband at the landing");

    let tickets = site.json(&["tickets", "--json"]);
    assert_eq!(tickets[0]["id"], "E001");
    assert_eq!(tickets[0]["priority"], 1);
    assert_eq!(tickets[0]["kind"], "emergency");
    assert_eq!(tickets[0]["unit"], "Lift 3-A");

    fails(
        &site.run(&["emergency", "start", "tsunami"]),
        3,
        "no emergency plan 'tsunami'",
    );
    fails(
        &site.run(&["emergency", "step", "EM9", "1", "--done"]),
        3,
        "no emergency run 'EM9'",
    );
    fails(
        &site.run(&["emergency", "step", "EM1", "1", "--done"]),
        4,
        "step 1 of EM1 is already done",
    );
    fails(
        &site.run(&["emergency", "step", "EM1", "0", "--done"]),
        2,
        "steps 1 to 11",
    );
    fails(&site.run(&["emergency", "step", "EM1", "2"]), 2, "--done");
    fails(
        &site.run(&["emergency", "note", "EM1", "  "]),
        2,
        "must not be empty",
    );
}

#[test]
fn a_critical_step_is_skipped_only_with_override_and_a_reason() {
    let site = Site::new();
    site.ok(&["emergency", "start", "gas-leak"]);
    fails(
        &site.run(&[
            "emergency",
            "step",
            "EM1",
            "1",
            "--skip",
            "--reason",
            "caller already outside",
        ]),
        4,
        "step 1 is critical: it can be skipped only as an override, with a reason (add --override)",
    );
    fails(
        &site.run(&["emergency", "step", "EM1", "1", "--skip", "--override"]),
        2,
        "skipping a step needs a reason",
    );
    site.ok(&[
        "emergency",
        "step",
        "EM1",
        "1",
        "--skip",
        "--override",
        "--reason",
        "caller already outside",
    ]);
    // A step that is not critical needs a reason but no override.
    let plain = critical_steps(&site, "gas-leak");
    let non_critical = (1..=9)
        .map(|n| n.to_string())
        .find(|n| !plain.contains(n))
        .unwrap();
    fails(
        &site.run(&["emergency", "step", "EM1", &non_critical, "--skip"]),
        2,
        "skipping a step needs a reason",
    );
    site.ok(&[
        "emergency",
        "step",
        "EM1",
        &non_critical,
        "--skip",
        "--reason",
        "no need",
    ]);
    let show = site.json(&["emergency", "show", "EM1", "--json"]);
    let s1 = &show["steps"][0];
    assert_eq!(s1["state"], "skipped");
    assert_eq!(s1["reason"], "caller already outside");
    assert_eq!(s1["overridden"], true);
    assert_eq!(s1["operator"], "李娜");
    let n: usize = non_critical.parse().unwrap();
    assert_eq!(show["steps"][n - 1]["overridden"], false);
    // An override makes no sense on --done: clap refuses the combination.
    fails(
        &site.run(&["emergency", "step", "EM1", "2", "--done", "--override"]),
        2,
        "--override",
    );
}

#[test]
fn close_is_refused_while_a_critical_step_is_pending() {
    let site = Site::new();
    site.ok(&["emergency", "start", "theft", "--location", "B2 car park"]);
    let critical = critical_steps(&site, "theft");
    assert!(!critical.is_empty());
    fails(
        &site.run(&["emergency", "close", "EM1"]),
        4,
        "EM1 cannot close: critical step",
    );
    let (last, rest) = critical.split_last().unwrap();
    for n in rest {
        site.ok(&["emergency", "step", "EM1", n, "--done"]);
    }
    fails(
        &site.run(&["emergency", "close", "EM1"]),
        4,
        &format!("critical step {last} still pending"),
    );
    site.ok(&["emergency", "step", "EM1", last, "--done"]);
    site.ok(&["emergency", "close", "EM1"]);
    let show = site.json(&["emergency", "show", "EM1", "--json"]);
    assert_eq!(show["state"], "closed");
    assert!(show["closed_at"].is_string());
    fails(
        &site.run(&["emergency", "close", "EM1"]),
        4,
        "EM1 is closed",
    );
    fails(
        &site.run(&["emergency", "step", "EM1", "1", "--done"]),
        4,
        "EM1 is closed",
    );
    // Notes are still welcome after the close (the report may need them).
    site.ok(&[
        "emergency",
        "note",
        "EM1",
        "police report number 2026-1125-07",
    ]);
    assert_eq!(
        site.json(&["emergency", "list", "--json"]),
        Value::Array(vec![])
    );
}

#[test]
fn several_runs_are_active_at_once_and_kept_apart() {
    let site = Site::new();
    assert_eq!(
        site.ok(&["emergency", "start", "elevator-entrapment"]),
        "EM1\n"
    );
    assert_eq!(
        site.ok(&["emergency", "start", "flooding", "--location", "B1"]),
        "EM2\n"
    );
    site.ok(&[
        "emergency",
        "step",
        "EM2",
        "1",
        "--done",
        "--note",
        "burst riser",
    ]);
    let list = site.json(&["emergency", "list", "--json"]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["id"], "EM1");
    assert_eq!(list[0]["steps"][0]["state"], "pending");
    assert_eq!(list[1]["id"], "EM2");
    assert_eq!(list[1]["kind"], "flooding");
    assert_eq!(list[1]["steps"][0]["state"], "done");
    assert_ne!(
        list[0]["ticket"], list[1]["ticket"],
        "each run has its own ticket"
    );
    for n in critical_steps(&site, "flooding") {
        if n != "1" {
            site.ok(&["emergency", "step", "EM2", &n, "--done"]);
        }
    }
    site.ok(&["emergency", "close", "EM2"]);
    let list = site.json(&["emergency", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], "EM1");
    let text = site.ok(&["emergency", "list"]);
    assert!(text.contains("EM1") && !text.contains("EM2"), "{text}");
}

#[test]
fn a_run_resumes_exactly_where_it_was_after_a_restart() {
    let site = Site::new();
    site.ok(&[
        "emergency",
        "start",
        "power-cut",
        "--location",
        "Building 3",
    ]);
    // Each command is a new process: nothing survives but the log.
    site.run_as(
        "王军",
        "2026-11-25T15:01:00Z",
        &["emergency", "step", "EM1", "1", "--done"],
    );
    site.run_as(
        "陈刚",
        "2026-11-25T15:03:00Z",
        &[
            "emergency",
            "step",
            "EM1",
            "3",
            "--done",
            "--note",
            "switch room",
        ],
    );
    let show = site.json(&["emergency", "show", "EM1", "--json"]);
    assert_eq!(
        show["current_step"], 2,
        "step 2 was left pending; the runner resumes there"
    );
    assert_eq!(show["steps"][0]["operator"], "王军");
    assert_eq!(show["steps"][2]["operator"], "陈刚");
    assert_eq!(show["steps"][2]["note"], "switch room");
    assert_eq!(show["started_by"], "李娜");
    // Numbering carries on from the log too.
    assert_eq!(site.ok(&["emergency", "start", "fire"]), "EM2\n");
    let text = site.ok(&["emergency", "show", "EM1"]);
    assert!(
        text.contains(">[ ]  2"),
        "the current step is marked:\n{text}"
    );
}

#[test]
fn ticket_links_the_run_to_an_existing_open_ticket() {
    let site = Site::new();
    let id = site.ok(&[
        "call",
        "--unit",
        "3-1102",
        "--kind",
        "emergency",
        "--summary",
        "Smell of gas on the landing",
        "--name",
        "许婷",
        "--phone",
        "13516829047",
    ]);
    let id = id.trim();
    site.ok(&["emergency", "start", "gas-leak", "--ticket", id]);
    let show = site.json(&["emergency", "show", "EM1", "--json"]);
    assert_eq!(show["ticket"], id);
    assert_eq!(
        site.json(&["tickets", "--json"]).as_array().unwrap().len(),
        1,
        "no second ticket is opened"
    );
    let t = site.json(&["show", id, "--json"]);
    let types: Vec<&str> = t["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["event"]["type"].as_str().unwrap())
        .collect();
    // An emergency ticket follows the run it is linked to: in progress from its start.
    assert_eq!(
        types,
        ["ticket_opened", "emergency_started", "ticket_started"]
    );
    assert_eq!(t["state"], "in_progress");
    fails(
        &site.run(&["emergency", "start", "fire", "--ticket", "R077"]),
        3,
        "R077",
    );
    let other = site.ok(&[
        "call",
        "--unit",
        "1-0101",
        "--kind",
        "inquiry",
        "--summary",
        "Parking",
    ]);
    site.ok(&["cancel", other.trim(), "--reason", "answered"]);
    fails(
        &site.run(&["emergency", "start", "fire", "--ticket", other.trim()]),
        4,
        "an emergency links to an open ticket",
    );
}

/// What happened to a step, as read from the export: state, time, operator.
type Fate = (String, String, String);

#[test]
fn the_exported_log_alone_rebuilds_the_timeline_of_a_run() {
    let site = Site::new();
    site.ok(&["emergency", "start", "injury", "--location", "Pool"]);
    let moves: [(&str, &str, &[&str]); 4] = [
        (
            "王军",
            "2026-11-25T15:01:30Z",
            &[
                "emergency",
                "step",
                "EM1",
                "1",
                "--done",
                "--note",
                "one adult, conscious",
            ],
        ),
        (
            "陈刚",
            "2026-11-25T15:02:10Z",
            &["emergency", "step", "EM1", "2", "--done"],
        ),
        (
            "王军",
            "2026-11-25T15:04:00Z",
            &[
                "emergency",
                "step",
                "EM1",
                "3",
                "--skip",
                "--reason",
                "ambulance crew already there",
            ],
        ),
        (
            "李娜",
            "2026-11-25T15:20:00Z",
            &[
                "emergency",
                "note",
                "EM1",
                "taken to the First People's Hospital",
            ],
        ),
    ];
    for (op, at, args) in moves {
        assert_success(&site.run_as(op, at, args), args);
    }
    let file = site.path().join("night.jsonl");
    site.ok(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        file.to_str().unwrap(),
    ]);

    // A reader with only the file: the plan as it was, then each step's fate.
    let text = std::fs::read_to_string(&file).unwrap();
    let mut steps: Vec<(String, Option<Fate>)> = Vec::new();
    let mut notes = Vec::new();
    for line in text.lines() {
        let r: Value = serde_json::from_str(line).unwrap();
        let e = &r["event"];
        if e["run"] != "EM1" {
            continue;
        }
        let (at, op) = (
            r["at"].as_str().unwrap().to_string(),
            r["operator"].as_str().unwrap().to_string(),
        );
        match e["type"].as_str().unwrap() {
            "emergency_started" => {
                steps = e["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| (s["en"].as_str().unwrap().to_string(), None))
                    .collect();
            }
            "emergency_step_done" | "emergency_step_skipped" => {
                let n = e["step"].as_u64().unwrap() as usize;
                let state = if e["type"] == "emergency_step_done" {
                    "done"
                } else {
                    "skipped"
                };
                steps[n - 1].1 = Some((state.to_string(), at, op));
            }
            "emergency_noted" => notes.push((at, op, e["text"].as_str().unwrap().to_string())),
            _ => {}
        }
    }
    // It agrees with what the desk itself shows.
    let show = site.json(&["emergency", "show", "EM1", "--json"]);
    let shown = show["steps"].as_array().unwrap();
    assert_eq!(steps.len(), shown.len());
    for ((en, fate), s) in steps.iter().zip(shown) {
        assert_eq!(s["en"], en.as_str());
        match fate {
            Some((state, at, op)) => {
                assert_eq!(s["state"], state.as_str());
                assert_eq!(s["at"], at.as_str());
                assert_eq!(s["operator"], op.as_str());
            }
            None => assert_eq!(s["state"], "pending"),
        }
    }
    assert!(steps[0]
        .1
        .as_ref()
        .unwrap()
        .1
        .starts_with("2026-11-25T15:01:30"));
    assert_eq!(steps[1].1.as_ref().unwrap().2, "陈刚");
    assert_eq!(steps[2].1.as_ref().unwrap().0, "skipped");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].1, "李娜");
    // And the file's chain checks.
    site.ok(&["verify", file.to_str().unwrap()]);
}

#[test]
fn deadlines_and_the_incident_report() {
    let site = Site::new();
    site.ok(&[
        "emergency",
        "start",
        "elevator-entrapment",
        "--location",
        "Lift 3-A",
    ]);
    // Step 6 (technician on site within 30 minutes) is done at +41 minutes: missed.
    let late = site.run_as(
        "王军",
        "2026-11-25T15:41:00Z",
        &["emergency", "step", "EM1", "6", "--done"],
    );
    assert_success(&late, &["step 6"]);
    assert!(String::from_utf8_lossy(&late.stderr).contains("after its 30-minute deadline"));
    let show = site.json(&["emergency", "show", "EM1", "--json"]);
    assert_eq!(show["steps"][5]["deadline"]["status"], "missed");
    // 11 minutes late, less the moment the first process took to start.
    let late_by = show["steps"][5]["deadline"]["seconds"].as_i64().unwrap();
    assert!((650..=660).contains(&late_by), "{late_by}");

    for n in ["1", "2", "3", "4", "7"] {
        site.run_as(
            "李娜",
            "2026-11-25T15:45:00Z",
            &["emergency", "step", "EM1", n, "--done", "--value", "2"],
        );
    }
    site.run_as(
        "李娜",
        "2026-11-25T15:50:00Z",
        &["emergency", "close", "EM1"],
    );
    let out = site.run_as(
        "李娜",
        "2026-11-25T16:10:00Z",
        &["emergency", "report", "EM1"],
    );
    assert_success(&out, &["report"]);
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(path.ends_with("reports/2026-11-25-EM1.md"), "{path}");
    let md = std::fs::read_to_string(&path).unwrap();
    for needle in [
        "# Major incident report 重大事件报告: EM1 Elevator entrapment 电梯困人",
        "| Where 地点 | Lift 3-A |",
        "| Started 开始 | 2026-11-25 23:00:00 +08:00 by 由 李娜 |",
        "| Closed 结束 | 2026-11-25 23:50:00 +08:00 |",
        "| Deadlines missed 超时 | step 第6步 |",
        "**missed**, done 1",
        "by 操作人 王军",
        "People trapped 被困人数: 2",
        "ticket E001 opened 开单",
        "EM1 closed 应急结束",
        "Duty manager 值班经理: ____",
    ] {
        assert!(md.contains(needle), "report lacks {needle:?}:\n{md}");
    }
    assert!(
        !md.contains("Interim report"),
        "a closed run's report is final"
    );
    let show = site.json(&["emergency", "show", "EM1", "--json"]);
    assert_eq!(
        show["report"],
        path.as_str(),
        "the log knows the report exists"
    );

    let out_file = site.path().join("elsewhere/em1.md");
    site.ok(&[
        "emergency",
        "report",
        "EM1",
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert!(std::fs::read_to_string(&out_file)
        .unwrap()
        .contains("重大事件报告"));
}

#[test]
fn a_broken_site_checklist_stops_the_command_with_file_and_line() {
    let site = Site::new();
    let dir = site.path().join("checklists");
    std::fs::create_dir_all(&dir).unwrap();
    let good = "id = \"lift-b\"\nname_en = \"Goods lift\"\nname_zh = \"货梯\"\n\n[[step]]\nen = \"Call the lift company\"\nzh = \"通知电梯公司\"\ncritical = true\nrole = \"desk\"\ncontact = \"lift-maintenance\"\ndeadline_minutes = 20\n";
    std::fs::write(dir.join("lift-b.toml"), good).unwrap();
    let kinds = site.json(&["emergency", "kinds", "--json"]);
    let added = kinds
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "lift-b")
        .unwrap();
    assert_eq!(added["steps"][0]["deadline_minutes"], 20);
    assert_eq!(site.ok(&["emergency", "start", "lift-b"]), "EM1\n");

    let file = dir.join("lift-b.toml");
    let shown = file.display().to_string();
    std::fs::write(&file, good.replace("critical = true", "critical = yes")).unwrap();
    fails(
        &site.run(&["emergency", "kinds"]),
        9,
        &format!("{shown}:8:"),
    );
    fails(&site.run(&["tickets"]), 9, &format!("{shown}:8:"));

    std::fs::write(&file, good.replace("role = \"desk\"", "role = \"janitor\"")).unwrap();
    fails(
        &site.run(&["emergency", "list"]),
        9,
        &format!("{shown}:9: step 1: unknown role 'janitor'"),
    );

    std::fs::write(&file, good.replace("zh = \"通知电梯公司\"\n", "")).unwrap();
    fails(&site.run(&["emergency", "kinds"]), 9, &format!("{shown}:"));
    let err = String::from_utf8_lossy(&site.run(&["emergency", "kinds"]).stderr).to_string();
    assert!(err.contains("zh"), "{err}");

    std::fs::write(&file, good.replace("zh = \"通知电梯公司\"", "zh = \"\"")).unwrap();
    fails(
        &site.run(&["emergency", "kinds"]),
        9,
        &format!("{shown}:7: step 1: the Chinese text `zh` is empty"),
    );
}

#[test]
fn a_report_onto_a_device_is_refused_and_nothing_is_recorded() {
    use std::os::unix::fs::FileTypeExt;
    let site = Site::new();
    site.ok(&["emergency", "start", "elevator-entrapment"]);
    let fifo = site.path().join("fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let before = site.ok(&["log", "--json"]).lines().count();
    let out = site.run(&[
        "emergency",
        "report",
        "EM1",
        "--out",
        fifo.to_str().unwrap(),
    ]);
    fails(&out, 2, "not a regular file");
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    assert_eq!(
        site.ok(&["log", "--json"]).lines().count(),
        before,
        "no report recorded for a file not written"
    );
    let show = site.json(&["emergency", "show", "EM1", "--json"]);
    assert!(show["report"].is_null(), "{}", show["report"]);
    // Nor into the store, however it is spelled.
    let db = site.path().join("store/./db");
    let out = site.run(&["emergency", "report", "EM1", "--out", db.to_str().unwrap()]);
    fails(&out, 2, "inside the desk's store");
    assert_eq!(site.ok(&["log", "--json"]).lines().count(), before);
}
