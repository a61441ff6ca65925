//! The export at shift change through the real binary: three files under
//! DATA/exports/ named by date and shift, a jsonl that verifies on its own and
//! links to the shift before, a tampered copy that does not, a CSV that
//! Python's csv module reads, BOM first, and a spreadsheet whose cells are typed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::bin::{self, ok, BIN};
use calamine::{Data, Reader};

fn dutydesk(data: &Path, who: &str, now: &str, args: &[&str]) -> Output {
    bin::run(
        bin::dutydesk(data)
            .args(["--operator", who])
            .args(args)
            .env("DUTYDESK_NOW", now)
            .env("TZ", "Asia/Shanghai"),
    )
}

fn verify(file: &Path) -> Output {
    bin::run(Command::new(BIN).arg("verify").arg(file))
}

fn last_hash(jsonl: &Path) -> String {
    let text = std::fs::read_to_string(jsonl).unwrap();
    let last = text.lines().last().unwrap();
    let v: serde_json::Value = serde_json::from_str(last).unwrap();
    v["hash"].as_str().unwrap().to_string()
}

fn first_prev_hash(jsonl: &Path) -> String {
    let text = std::fs::read_to_string(jsonl).unwrap();
    let v: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    v["prev_hash"].as_str().unwrap().to_string()
}

#[test]
fn handover_writes_four_files_that_verify_chain_across_shifts_and_open_typed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let t1 = "2026-11-25T12:00:00Z"; // 20:00 in Shanghai
    ok(dutydesk(
        data,
        "王军",
        t1,
        &[
            "call",
            "--unit",
            "1-1203",
            "--kind",
            "repair",
            "--summary",
            "卫生间漏水, water, \"urgent\"",
            "--name",
            "陈建国",
            "--phone",
            "13812345678",
        ],
    ));
    ok(dutydesk(
        data,
        "王军",
        t1,
        &["dispatch", "R001", "--to", "engineering"],
    ));
    ok(dutydesk(
        data,
        "王军",
        t1,
        &[
            "call",
            "--unit",
            "2-0301",
            "--kind",
            "inquiry",
            "--summary",
            "门禁卡丢失",
            "--phone",
            "0571-88235617",
        ],
    ));
    ok(dutydesk(
        data,
        "王军",
        t1,
        &["cancel", "I002", "--reason", "found it"],
    ));

    let t2 = "2026-11-25T23:00:00Z"; // 07:00 next morning in Shanghai
    let out = ok(dutydesk(
        data,
        "王军",
        t2,
        &[
            "shift",
            "handover",
            "--to",
            "李梅",
            "--note",
            "R001 工程部处理中",
        ],
    ));
    let paths: Vec<PathBuf> = out.lines().map(PathBuf::from).collect();
    let exports = data.join("exports");
    assert_eq!(
        paths,
        ["jsonl", "csv", "md", "xlsx"]
            .iter()
            .map(|e| exports.join(format!("2026-11-25-shift-1.{e}")))
            .collect::<Vec<_>>(),
        "the shift's date is its local start date"
    );
    for p in &paths {
        assert!(p.is_file(), "{} missing", p.display());
    }
    let (jsonl, csv, md) = (&paths[0], &paths[1], &paths[2]);

    // The jsonl verifies on its own; shift 1 starts the log.
    let v = verify(jsonl);
    let said = String::from_utf8_lossy(&v.stdout).to_string();
    assert!(
        v.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&v.stderr)
    );
    assert!(said.contains("from the start of the log"), "{said}");
    assert!(said.contains(&last_hash(jsonl)), "{said}");

    // The report names the head it was written at: the jsonl's last record.
    let report = std::fs::read_to_string(md).unwrap();
    assert!(report.contains(&last_hash(jsonl)), "{report}");
    assert!(
        report.contains("| 开始 Started | 2026-11-25 20:00 |"),
        "{report}"
    );
    assert!(report.contains("R001 工程部处理中"));

    // The CSV: BOM, then rows Python's csv module reads, Chinese intact.
    let bytes = std::fs::read(csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let py = Command::new("python3")
        .arg("-c")
        .arg(
            "import csv, json, sys\n\
             with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n\
             \x20   rows = list(csv.reader(f))\n\
             print(json.dumps(rows, ensure_ascii=False))",
        )
        .arg(csv)
        .output()
        .expect("python3");
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let rows: Vec<Vec<String>> = serde_json::from_slice(&py.stdout).unwrap();
    assert_eq!(rows[0][0], "编号 ID");
    assert_eq!(rows[0][6], "摘要 Summary");
    assert_eq!(rows.len(), 3, "header, R001 and I002: {rows:?}");
    let r001 = rows.iter().find(|r| r[0] == "R001").unwrap();
    assert_eq!(r001[6], "卫生间漏水, water, \"urgent\"");
    assert_eq!(r001[7], "dispatched 已派工");
    assert_eq!(r001[9], "2026-11-25 20:00:00");
    let i002 = rows.iter().find(|r| r[0] == "I002").unwrap();
    assert_eq!(i002[7], "cancelled 已取消");

    // The spreadsheet: phones and ids are text cells (the leading 0 and all 11
    // digits of a mobile kept), Chinese intact, counts are numbers.
    let xlsx = &paths[3];
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(xlsx).expect("open the xlsx");
    let sheet = book
        .worksheet_range("工单 Tickets")
        .expect("the tickets sheet");
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or_default();
    assert_eq!(cell(0, 5), Data::String("电话 Phone".into()));
    let row_of = |id: &str| {
        (1..sheet.height() as u32)
            .find(|r| cell(*r, 0) == Data::String(id.into()))
            .unwrap_or_else(|| panic!("{id} in the xlsx"))
    };
    let (r1, r2) = (row_of("R001"), row_of("I002"));
    assert_eq!(cell(r1, 5), Data::String("13812345678".into()));
    assert_eq!(cell(r2, 5), Data::String("0571-88235617".into()));
    assert_eq!(
        cell(r1, 6),
        Data::String("卫生间漏水, water, \"urgent\"".into())
    );
    assert_eq!(cell(r2, 7), Data::String("cancelled 已取消".into()));
    assert!(
        matches!(cell(r1, 2), Data::Float(p) if p == 2.0),
        "{:?}",
        cell(r1, 2)
    );
    // The header row is frozen and every column has its width (read from the
    // sheet's XML, as a spreadsheet program does).
    let xml = Command::new("python3")
        .arg("-c")
        .arg("import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('xl/worksheets/sheet1.xml').decode())")
        .arg(xlsx)
        .output()
        .expect("python3");
    let xml = String::from_utf8_lossy(&xml.stdout);
    assert!(
        xml.contains(r#"ySplit="1""#) && xml.contains(r#"state="frozen""#),
        "{xml}"
    );
    // Sized columns up to the 19th (the summary wider than the id).
    assert!(xml.contains(r#"max="19" width="#), "{xml}");
    assert!(
        xml.contains(r#"<col min="7" max="7" width="28"#)
            && xml.contains(r#"<col min="1" max="1" width="8"#),
        "{xml}"
    );

    // The handover's exports are in the log.
    let log = ok(dutydesk(data, "李梅", t2, &["log", "--json"]));
    assert!(log.contains("\"export_written\"") && log.contains("2026-11-25-shift-1.md"));

    // Shift 2: signed, then handed back. Its jsonl links to shift 1's last hash.
    ok(dutydesk(data, "李梅", t2, &["shift", "accept"]));
    let cur: serde_json::Value = serde_json::from_str(&ok(dutydesk(
        data,
        "李梅",
        t2,
        &["shift", "current", "--json"],
    )))
    .unwrap();
    assert_eq!(cur["id"], 2);
    assert_eq!(cur["operator"], "李梅");
    assert_eq!(cur["accepted"], true);
    assert!(cur["started_at"]
        .as_str()
        .unwrap()
        .starts_with("2026-11-25T23:00:0"));
    ok(dutydesk(
        data,
        "李梅",
        t2,
        &["note", "R001", "engineer on site"],
    ));
    let t3 = "2026-11-26T11:00:00Z";
    let out = ok(dutydesk(
        data,
        "李梅",
        t3,
        &["shift", "handover", "--to", "王军"],
    ));
    let jsonl2 = PathBuf::from(out.lines().next().unwrap());
    assert!(
        jsonl2.ends_with("2026-11-26-shift-2.jsonl"),
        "{}",
        jsonl2.display()
    );
    let v = verify(&jsonl2);
    let said = String::from_utf8_lossy(&v.stdout).to_string();
    assert!(v.status.success(), "{said}");
    assert_eq!(first_prev_hash(&jsonl2), last_hash(jsonl));
    assert!(
        said.contains(&first_prev_hash(&jsonl2)) && said.contains("must equal the hash of record"),
        "{said}"
    );

    // export --shift gives the same file on demand.
    let again = dir.path().join("again.jsonl");
    ok(dutydesk(
        data,
        "王军",
        t3,
        &[
            "export",
            "--shift",
            "1",
            "--format",
            "jsonl",
            "--out",
            again.to_str().unwrap(),
        ],
    ));
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(jsonl).unwrap()
    );
    let last_md = dir.path().join("last.md");
    ok(dutydesk(
        data,
        "王军",
        t3,
        &[
            "export",
            "--shift",
            "last",
            "--format",
            "md",
            "--out",
            last_md.to_str().unwrap(),
        ],
    ));
    assert!(std::fs::read_to_string(&last_md)
        .unwrap()
        .contains("第 2 班 Shift 2"));
    // The spreadsheet on demand is the handover's, cell for cell.
    let again_xlsx = dir.path().join("again.xlsx");
    ok(dutydesk(
        data,
        "王军",
        t3,
        &[
            "export",
            "--shift",
            "1",
            "--format",
            "xlsx",
            "--out",
            again_xlsx.to_str().unwrap(),
        ],
    ));
    let cells = |p: &Path| {
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(p).expect("open the xlsx");
        book.worksheet_range("工单 Tickets")
            .expect("the tickets sheet")
    };
    assert_eq!(cells(&again_xlsx), cells(&paths[3]));
}

#[test]
fn a_tampered_or_cut_shift_export_fails_verify() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let t = "2026-11-25T12:00:00Z";
    for unit in ["1-0101", "1-0102", "1-0103"] {
        ok(dutydesk(
            data,
            "王军",
            t,
            &[
                "call",
                "--unit",
                unit,
                "--kind",
                "help",
                "--summary",
                "需要帮助",
                "--phone",
                "13812345678",
            ],
        ));
    }
    let out = ok(dutydesk(
        data,
        "王军",
        t,
        &["shift", "handover", "--to", "李梅"],
    ));
    let jsonl = PathBuf::from(out.lines().next().unwrap());
    assert!(verify(&jsonl).status.success());
    let text = std::fs::read_to_string(&jsonl).unwrap();

    let tampered = dir.path().join("tampered.jsonl");
    std::fs::write(&tampered, text.replacen("1-0102", "1-0109", 1)).unwrap();
    let v = verify(&tampered);
    assert_eq!(v.status.code(), Some(4));
    let err = String::from_utf8_lossy(&v.stderr);
    assert!(err.contains("does not verify"), "{err}");

    let mut lines: Vec<&str> = text.lines().collect();
    lines.remove(3);
    let cut = dir.path().join("cut.jsonl");
    std::fs::write(&cut, lines.join("\n")).unwrap();
    let v = verify(&cut);
    assert_eq!(v.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&v.stderr).contains("missing"));
}

#[test]
fn shift_commands_refuse_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let t = "2026-11-25T12:00:00Z";
    let none = ok(dutydesk(data, "王军", t, &["shift", "current", "--json"]));
    assert_eq!(none.trim(), "null");
    let out = dutydesk(data, "王军", t, &["shift", "handover", "--to", "李梅"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("shift start"));
    ok(dutydesk(data, "王军", t, &["shift", "start"]));
    let out = dutydesk(data, "王军", t, &["shift", "start"]);
    assert_eq!(out.status.code(), Some(4));
    let out = dutydesk(data, "王军", t, &["shift", "accept"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no handover is waiting"));
    let out = dutydesk(
        data,
        "王军",
        t,
        &[
            "export",
            "--shift",
            "9",
            "--format",
            "md",
            "--out",
            "/tmp/x.md",
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    let out = dutydesk(
        data,
        "王军",
        t,
        &[
            "export",
            "--shift",
            "yesterday",
            "--format",
            "md",
            "--out",
            "/tmp/x.md",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("current, last, all"));
}

#[test]
fn export_refuses_devices_fifos_symlinks_and_directories_and_replaces_nothing() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let t = "2026-11-25T12:00:00Z";
    ok(dutydesk(
        &data,
        "王军",
        t,
        &[
            "call",
            "--unit",
            "1-1203",
            "--kind",
            "repair",
            "--summary",
            "漏水",
        ],
    ));
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let fifo = other.join("fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let real = other.join("real.csv");
    std::fs::write(&real, "mine").unwrap();
    let link = other.join("link.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let sub = other.join("sub");
    std::fs::create_dir(&sub).unwrap();
    let mut cases = vec![
        (fifo.clone(), "not a regular file"),
        (link.clone(), "symbolic link"),
        (sub.clone(), "is a directory"),
    ];
    // A character device like /dev/full, made here so the real one is never at risk.
    let device = other.join("full");
    let c = std::ffi::CString::new(device.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mknod needs root, else the case is left out.
    if unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 7)) } == 0 {
        cases.push((device.clone(), "not a regular file"));
    } else {
        eprintln!("not root: the character device case is left out");
    }
    for (path, needle) in &cases {
        for format in ["csv", "jsonl", "md"] {
            let out = dutydesk(
                &data,
                "王军",
                t,
                &[
                    "export",
                    "--format",
                    format,
                    "--out",
                    path.to_str().unwrap(),
                ],
            );
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{path:?} {format}: {err}");
            assert!(err.contains(needle), "{path:?}: {err}");
        }
    }
    let kind = |p: &Path| std::fs::symlink_metadata(p).unwrap().file_type();
    assert!(kind(&fifo).is_fifo(), "the FIFO is still a FIFO");
    assert!(kind(&link).is_symlink(), "the link is still a link");
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "mine");
    assert!(kind(&sub).is_dir());
    if cases.len() == 4 {
        assert!(
            kind(&device).is_char_device(),
            "the device is still a device"
        );
    }
    let names: Vec<_> = std::fs::read_dir(&other).unwrap().collect();
    assert_eq!(names.len(), cases.len() + 1, "no partial file left behind");
}

/// Finding 12: when DATA/exports cannot be written the handover still stands,
/// and the message says so without contradicting itself; the next recorded
/// command writes and records the files once the directory can be made.
#[test]
fn a_handover_whose_exports_cannot_be_written_says_they_follow_and_they_do() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let t = "2026-11-25T12:00:00Z";
    ok(dutydesk(data, "王军", t, &["shift", "start"]));
    // A regular file where the directory should be: it cannot be created.
    std::fs::write(data.join("exports"), "in the way").unwrap();
    let out = dutydesk(data, "王军", t, &["shift", "handover", "--to", "李梅"]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(
        out.status.code(),
        Some(0),
        "the handover is recorded: {err}"
    );
    assert!(
        err.contains("shift 1 is handed over; its export files could not be written yet"),
        "{err}"
    );
    assert!(!err.contains("nothing was recorded"), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).trim().is_empty());
    let log = ok(dutydesk(data, "李梅", t, &["log", "--json"]));
    assert_eq!(log.matches("\"handover_offered\"").count(), 1, "{log}");
    assert!(!log.contains("\"export_written\""), "{log}");

    std::fs::remove_file(data.join("exports")).unwrap();
    ok(dutydesk(data, "李梅", t, &["shift", "accept"]));
    let log = ok(dutydesk(data, "李梅", t, &["log", "--json"]));
    // The pending files first, then the signed version the acceptance completes.
    assert_eq!(log.matches("\"export_written\"").count(), 2, "{log}");
    for ext in ["jsonl", "csv", "md"] {
        let p = data.join(format!("exports/2026-11-25-shift-1.{ext}"));
        assert!(p.is_file(), "{} missing", p.display());
    }
    assert!(verify(&data.join("exports/2026-11-25-shift-1.jsonl"))
        .status
        .success());
}
