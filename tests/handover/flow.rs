//! The signed handover (交接班) through the desk: who may hand over and sign,
//! refusals, the emergency concerns, and the report and CSV of a shift.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, FixedOffset, Utc};
use dutydesk::cli::render;
use dutydesk::clock::ManualClock;
use dutydesk::config::site::Targets;
use dutydesk::domain::{Actor, Command, Department, Kind, Lang, StepAction};
use dutydesk::export::shift::{load, Selection};
use dutydesk::export::{csv, report};
use dutydesk::store::record::hex;
use dutydesk::{Desk, DeskApi, DeskError, Local};

struct Bench {
    _dir: tempfile::TempDir,
    desk: Arc<Mutex<Desk>>,
    clock: ManualClock,
}

fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T11:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn bench() -> Bench {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(start());
    let (desk, _) = dutydesk::export::evidence::open(dir.path(), Arc::new(clock.clone())).unwrap();
    Bench {
        _dir: dir,
        desk: Arc::new(Mutex::new(desk)),
        clock,
    }
}

impl Bench {
    fn as_(&self, name: &str) -> Local {
        Local::new(self.desk.clone(), Actor::new(name, "test"))
    }
    fn run(&self, who: &str, cmd: Command) -> Result<Vec<String>, DeskError> {
        // As the command line prints them, flags and all.
        self.as_(who).submit(cmd, None).map(|c| {
            c.warnings
                .iter()
                .map(|w| render::warning(w, Lang::En))
                .collect()
        })
    }
    fn head_seq(&self) -> u64 {
        self.desk.lock().unwrap().head().seq
    }
}

fn call(unit: &str, kind: Kind, phone: &str, summary: &str) -> Command {
    Command::Call {
        unit: unit.into(),
        kind,
        priority: None,
        caller: Some("陈建国".into()),
        phone: Some(phone.into()),
        summary: summary.into(),
        anonymous: false,
    }
}

fn handover(to: &str, reason: Option<&str>) -> Command {
    Command::ShiftHandover {
        to: to.into(),
        note: Some("R001 待回访, follow up".into()),
        reason: reason.map(str::to_string),
    }
}

#[test]
fn only_the_outgoing_hands_over_and_only_the_incoming_signs() {
    let b = bench();
    b.run("王军", call("1-1203", Kind::Repair, "13812345678", "漏水"))
        .unwrap();
    let err = b.run("张三", handover("李梅", None)).unwrap_err();
    assert!(
        matches!(err, DeskError::Refused(_) if render::error(&err, Lang::En).contains("王军")),
        "{err}"
    );

    b.run("王军", handover("李梅", None)).unwrap();
    {
        let d = b.desk.lock().unwrap();
        let s = &d.state().shifts;
        assert_eq!(
            s.awaiting_signature().map(|s| s.operator.as_str()),
            Some("李梅")
        );
        assert_eq!(s.responsible(), Some("王军"));
    }
    // Every command says the handover is waiting until it is signed.
    let w = b
        .run(
            "王军",
            call("2-0301", Kind::Inquiry, "13900001111", "门禁卡"),
        )
        .unwrap();
    assert!(
        w.iter().any(|w| w.contains("waiting for their signature")),
        "{w:?}"
    );

    let err = b.run("张三", Command::ShiftAccept).unwrap_err();
    assert!(
        matches!(err, DeskError::Refused(_) if render::error(&err, Lang::En).contains("李梅")),
        "{err}"
    );
    let err = b
        .run("李梅", Command::ShiftRefuse { reason: " ".into() })
        .unwrap_err();
    assert!(matches!(err, DeskError::Invalid { .. }));
    b.run(
        "李梅",
        Command::ShiftRefuse {
            reason: "R001 not explained".into(),
        },
    )
    .unwrap();
    {
        let d = b.desk.lock().unwrap();
        let s = &d.state().shifts;
        assert_eq!(
            s.responsible(),
            Some("王军"),
            "the outgoing stays responsible"
        );
        assert_eq!(s.current().unwrap().refusals.len(), 1);
    }
    // Nothing is handed on before it is signed.
    let err = b.run("李梅", handover("赵六", None)).unwrap_err();
    assert!(
        matches!(err, DeskError::Refused(_) if render::error(&err, Lang::En).contains("accept")),
        "{err}"
    );

    b.run("李梅", Command::ShiftAccept).unwrap();
    {
        let d = b.desk.lock().unwrap();
        let s = &d.state().shifts;
        assert_eq!(s.responsible(), Some("李梅"));
        assert!(s.awaiting_signature().is_none());
    }
    let err = b.run("李梅", Command::ShiftAccept).unwrap_err();
    assert!(
        matches!(err, DeskError::Refused(_) if render::error(&err, Lang::En).contains("no handover"))
    );
    let w = b
        .run(
            "李梅",
            call("3-0101", Kind::Help, "13700002222", "老人求助"),
        )
        .unwrap();
    assert!(w.iter().all(|w| !w.contains("waiting")), "{w:?}");
}

#[test]
fn signing_rewrites_the_handover_report_file_with_the_signature_and_records_it() {
    let b = bench();
    b.run("王军", call("1-1203", Kind::Repair, "13812345678", "漏水"))
        .unwrap();
    b.clock.advance(Duration::hours(1));
    b.run("王军", handover("李梅", None)).unwrap();
    let md_path = || {
        let d = b.desk.lock().unwrap();
        let sh = d.state().shifts.get(1).unwrap();
        sh.exports
            .iter()
            .find(|p| p.ends_with(".md"))
            .cloned()
            .unwrap()
    };
    let before = std::fs::read_to_string(md_path()).unwrap();
    assert!(
        before.contains("李梅 (待签 awaiting signature)"),
        "{before}"
    );
    assert!(before.contains("签字 Signature: ____"), "{before}");
    let records_before = b.head_seq();

    b.clock.advance(Duration::minutes(7));
    b.as_("李梅").submit(Command::ShiftAccept, None).unwrap();
    // The file the manager files is now the signed one, written by the desk.
    let after = std::fs::read_to_string(md_path()).unwrap();
    // (The desk writes local times; the test does not fix the zone.)
    assert!(
        after.contains("| 接班人 Incoming | 李梅 (已签 signed 2026-11-25 "),
        "{after}"
    );
    assert!(
        after.contains("接班人 Incoming: 李梅\u{3000}\u{3000}签字 Signature: 李梅 (已签收 signed)\u{3000}\u{3000}时间 Time: 2026-11-25 "),
        "{after}"
    );
    assert!(!after.contains("awaiting signature"), "{after}");
    // And the desk recorded writing it: acceptance, then the files' record.
    let d = b.desk.lock().unwrap();
    let last = d.store().get(d.head().seq).unwrap().unwrap();
    assert!(
        matches!(
            last.body.event,
            dutydesk::domain::Event::ExportWritten { shift: 1, .. }
        ),
        "{:?}",
        last.body.event
    );
    assert_eq!(d.head().seq, records_before + 2);
}

#[test]
fn an_active_emergency_or_a_missing_report_needs_a_reason() {
    let b = bench();
    b.run(
        "王军",
        Command::EmergencyStart {
            plan: "power-cut".into(),
            location: Some("Building 2".into()),
            ticket: None,
        },
    )
    .unwrap();
    let before = b.head_seq();
    let err = b.run("王军", handover("李梅", None)).unwrap_err();
    assert!(
        matches!(err, DeskError::Refused(_) if render::error(&err, Lang::En).contains("EM1") && render::error(&err, Lang::En).contains("still active") && render::error(&err, Lang::En).contains("--reason")),
        "{err}"
    );
    assert_eq!(b.head_seq(), before, "a refused handover writes nothing");

    // Close it (skipping every step, with an override) but write no report.
    let steps = b
        .desk
        .lock()
        .unwrap()
        .state()
        .run("EM1")
        .unwrap()
        .steps
        .len();
    for step in 1..=steps as u32 {
        b.run(
            "王军",
            Command::EmergencyStep {
                run: "EM1".into(),
                step,
                action: StepAction::Skip {
                    reason: "test".into(),
                    over_ride: true,
                },
                note: None,
            },
        )
        .unwrap();
    }
    b.run("王军", Command::EmergencyClose { run: "EM1".into() })
        .unwrap();
    let err = b.run("王军", handover("李梅", None)).unwrap_err();
    assert!(
        matches!(err, DeskError::Refused(_) if render::error(&err, Lang::En).contains("incident report")),
        "{err}"
    );

    // With a reason it goes ahead, warns, and the reason is on the record.
    let w = b
        .run("王军", handover("李梅", Some("report due by 09:00")))
        .unwrap();
    assert!(w.iter().any(|w| w.contains("incident report")), "{w:?}");
    let d = b.desk.lock().unwrap();
    let cur = d.state().shifts.current().unwrap();
    assert_eq!(
        cur.handover_override.as_deref(),
        Some("report due by 09:00")
    );
}

#[test]
fn a_written_report_clears_the_concern() {
    let b = bench();
    b.run(
        "王军",
        Command::EmergencyStart {
            plan: "flooding".into(),
            location: None,
            ticket: None,
        },
    )
    .unwrap();
    let steps = b
        .desk
        .lock()
        .unwrap()
        .state()
        .run("EM1")
        .unwrap()
        .steps
        .len();
    for step in 1..=steps as u32 {
        b.run(
            "王军",
            Command::EmergencyStep {
                run: "EM1".into(),
                step,
                action: StepAction::Done { value: None },
                note: None,
            },
        )
        .unwrap();
    }
    b.run("王军", Command::EmergencyClose { run: "EM1".into() })
        .unwrap();
    // Claiming a file as the report is refused, even one that exists: only the
    // desk records its evidence, and nothing is recorded.
    let report = b._dir.path().join("EM1.md");
    std::fs::write(&report, "# report").unwrap();
    let before = b.head_seq();
    let claim = b.run(
        "王军",
        Command::EmergencyReported {
            run: "EM1".into(),
            path: report.display().to_string(),
        },
    );
    assert!(matches!(claim, Err(DeskError::Refused(_))), "{claim:?}");
    assert_eq!(b.head_seq(), before);
    // The desk writes the report into DATA/reports and records that file.
    b.run("王军", Command::EmergencyReport { run: "EM1".into() })
        .unwrap();
    let written = b
        .desk
        .lock()
        .unwrap()
        .state()
        .run("EM1")
        .unwrap()
        .report
        .clone();
    let written = written.expect("the report is recorded");
    let reports = std::fs::canonicalize(b._dir.path())
        .unwrap()
        .join("reports");
    assert!(
        std::path::Path::new(&written).starts_with(&reports),
        "{written}"
    );
    assert!(std::fs::read_to_string(&written)
        .unwrap()
        .contains("重大事件报告"));
    let w = b.run("王军", handover("李梅", None)).unwrap();
    assert!(w.is_empty(), "{w:?}");
}

/// A shift with a callback awaited, a dispatch, an emergency, a handover; then the
/// report and CSV of shift 1 read as the incoming operator would.
#[test]
fn the_report_and_csv_of_a_shift_say_what_is_left_and_pin_the_chain() {
    let b = bench();
    b.run(
        "王军",
        call("1-1203", Kind::Repair, "13812345678", "卫生间漏水"),
    )
    .unwrap();
    b.clock.advance(Duration::minutes(3));
    b.run(
        "王军",
        Command::Dispatch {
            id: "R001".into(),
            to: Department::Engineering,
            note: None,
        },
    )
    .unwrap();
    b.run("王军", Command::Start { id: "1".into() }).unwrap();
    b.clock.advance(Duration::minutes(30));
    b.run(
        "王军",
        Command::Done {
            id: "1".into(),
            note: Some("换了密封圈".into()),
        },
    )
    .unwrap();
    b.run(
        "王军",
        call("2-0301", Kind::Complaint, "13900001111", "楼上噪音"),
    )
    .unwrap();
    b.run(
        "王军",
        Command::EmergencyStart {
            plan: "elevator-entrapment".into(),
            location: Some("Lift 3-A".into()),
            ticket: None,
        },
    )
    .unwrap();
    b.run(
        "王军",
        Command::EmergencyStep {
            run: "EM1".into(),
            step: 1,
            action: StepAction::Done {
                value: Some("2 people".into()),
            },
            note: None,
        },
    )
    .unwrap();
    b.clock.advance(Duration::hours(2));
    b.run("王军", handover("李梅", Some("lift company on site")))
        .unwrap();
    // The handover record: the desk's record of the shift's files follows it.
    let handover_record = {
        let d = b.desk.lock().unwrap();
        let seq = d.state().shifts.get(1).unwrap().last_seq;
        d.store().get(seq).unwrap().unwrap()
    };
    let (head_seq, head_hash) = (handover_record.body.seq, handover_record.hash);

    let mut api = b.as_("李梅");
    let now = b.clock.now_us();
    let slice = load(&mut api, Selection::Id(1), now).unwrap();
    let tz = FixedOffset::east_opt(8 * 3600).unwrap();
    let md = report::render(&slice, &Targets::default(), &tz);
    for want in [
        "# 交接班记录 Shift handover record",
        "| 交班人 Outgoing | 王军 |",
        "| 接班人 Incoming | 李梅 (待签 awaiting signature) |",
        "| 开始 Started | 2026-11-25 19:00 |",
        "R001 待回访, follow up",
        "带理由交班 Handed over despite warnings:** lift company on site",
        "## 未结工单 Open tickets (3)",
        "| R001 | 2 | Repair 报修 | 1-1203 | done 待回访 |",
        "| 回访 callback |",
        "| C002 |",
        "### EM1 电梯困人 Elevator entrapment — Lift 3-A",
        "进行中 ACTIVE",
        "| 1 | ",
        "2 people",
        "| Repair 报修 | 1 |",
        "| Complaint 投诉 | 1 |",
        "| Repair 报修 | 1 | 3m00 | 5 min | 1/1 |",
        "## 签字 Signatures",
        "交班人 Outgoing: 王军",
        "接班人 Incoming: 李梅",
        "签字 Signature: ____",
    ] {
        assert!(md.contains(want), "report lacks {want:?}:\n{md}");
    }
    // The chain head printed is the handover record, the last of the shift.
    assert!(md.contains(&format!("记录 Record **{head_seq}**")), "{md}");
    assert!(md.contains(&hex(&head_hash)), "{md}");

    let mut bytes = Vec::new();
    let rows = csv::write(&mut bytes, &slice, &tz).unwrap();
    assert_eq!(rows, 3, "R001, C002 and the emergency's ticket");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut r = ::csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[0], "编号 ID");
    let rows: Vec<::csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    let r001 = rows.iter().find(|r| &r[0] == "R001").unwrap();
    assert_eq!(&r001[5], "13812345678");
    assert_eq!(&r001[9], "2026-11-25 19:00:00");
    assert_eq!(&r001[11], "180");
    assert_eq!(&r001[14], "待回访 awaited");
    assert_eq!(&r001[17], "opened dispatched started done");

    // Later records do not change what shift 1's export says, but for the
    // incoming operator's signature, which completes it.
    b.run("李梅", Command::ShiftAccept).unwrap();
    let signed = report::render(
        &load(&mut api, Selection::Id(1), b.clock.now_us()).unwrap(),
        &Targets::default(),
        &tz,
    );
    assert_eq!(
        signed
            .replace(
                "李梅 (已签 signed 2026-11-25 21:33)",
                "李梅 (待签 awaiting signature)"
            )
            .replace(
                "签字 Signature: 李梅 (已签收 signed)\u{3000}\u{3000}时间 Time: 2026-11-25 21:33",
                "签字 Signature: ____________________\u{3000}\u{3000}时间 Time: ________________"
            ),
        md
    );
    b.run(
        "李梅",
        Command::Close {
            id: "C002".into(),
            note: None,
        },
    )
    .unwrap_err();
    b.run(
        "李梅",
        Command::Note {
            id: "R001".into(),
            text: "called, no answer".into(),
        },
    )
    .unwrap();
    b.clock.advance(Duration::hours(5));
    let again = load(&mut api, Selection::Id(1), b.clock.now_us()).unwrap();
    assert_eq!(report::render(&again, &Targets::default(), &tz), signed);
    let last = load(&mut api, Selection::Last, b.clock.now_us()).unwrap();
    assert_eq!(last.span, again.span);
}

trait NowUs {
    fn now_us(&self) -> i64;
}

impl NowUs for ManualClock {
    fn now_us(&self) -> i64 {
        dutydesk::clock::Clock::now(self).timestamp_micros()
    }
}
