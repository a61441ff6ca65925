//! Stored bytes of schema 1, frozen in fixtures/golden/record-v1.bin, must decode
//! forever: same fields, same hashes, same chain. If this test fails after a
//! change to `domain::Event` or `store::Body`, the change broke every store
//! already on disk: append a new variant or bump the schema instead.
//!
//! The file is a sequence of `[len: u32 BE][stored record bytes]`. It was written
//! once by `DUTYDESK_WRITE_GOLDEN=1 cargo test --test golden_records`; never
//! regenerate it to make this test pass.

use std::path::PathBuf;

use dutydesk::domain::{Department, Event, Kind, Priority, StepSnapshot, TargetOutcome, TicketId};
use dutydesk::store::record::hex;
use dutydesk::store::{Body, Record, GENESIS};

/// The hash of the last golden record, pinned when the file was written.
const HEAD_HASH: &str = "c5ef4735572cd56ddf57d213bd6e491d5d425c998b444fedce5e4f8c6c75c5b9";

fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/golden/record-v1.bin")
}

fn body(seq: u64, shift: u64, request: Option<&str>, event: Event) -> Body {
    Body {
        seq,
        // 2026-11-25T13:00:00Z plus a minute a record.
        at_us: 1_795_611_600_000_000 + seq as i64 * 60_000_000,
        operator: "王军".into(),
        unix_user: "wang".into(),
        shift,
        request: request.map(str::to_string),
        event,
    }
}

/// The records the file holds, one of most kinds of event.
fn expected() -> Vec<Body> {
    let r1 = TicketId("R001".into());
    vec![
        body(
            1,
            0,
            None,
            Event::StoreCreated {
                site: "Riverside Gardens 滨江花园".into(),
            },
        ),
        body(
            2,
            1,
            None,
            Event::ShiftStarted {
                shift: 1,
                operator: "王军".into(),
            },
        ),
        body(
            3,
            1,
            Some("req-1"),
            Event::TicketOpened {
                id: r1.clone(),
                kind: Kind::Repair,
                priority: Priority(2),
                unit: "1-1203".into(),
                caller: Some("陈建国".into()),
                phone: Some("13812345678".into()),
                summary: "卫生间天花板漏水 ceiling leak".into(),
                related: None,
            },
        ),
        body(
            4,
            1,
            None,
            Event::TicketDispatched {
                id: r1.clone(),
                to: Department::Engineering,
                note: Some("张师傅".into()),
                target: Some(TargetOutcome {
                    target_minutes: 5,
                    actual_seconds: 240,
                    met: true,
                }),
            },
        ),
        body(5, 1, None, Event::TicketStarted { id: r1.clone() }),
        body(
            6,
            1,
            None,
            Event::TicketDone {
                id: r1.clone(),
                note: None,
            },
        ),
        body(
            7,
            1,
            None,
            Event::CallbackRecorded {
                id: r1.clone(),
                satisfied: false,
                note: Some("还在滴水".into()),
            },
        ),
        body(
            8,
            1,
            None,
            Event::TicketOpened {
                id: TicketId("C002".into()),
                kind: Kind::Complaint,
                priority: Priority(3),
                unit: "B2 garage".into(),
                caller: None,
                phone: None,
                summary: "noise".into(),
                related: Some(r1.clone()),
            },
        ),
        body(
            9,
            1,
            None,
            Event::TicketCancelled {
                id: TicketId("C002".into()),
                reason: "duplicate".into(),
            },
        ),
        body(
            10,
            1,
            None,
            Event::TicketNoted {
                id: r1.clone(),
                text: "住户不在家".into(),
            },
        ),
        body(
            11,
            1,
            None,
            Event::EmergencyStarted {
                run: "EM1".into(),
                plan: "flooding".into(),
                name_en: "Flooding".into(),
                name_zh: "水浸".into(),
                location: Some("B2 garage".into()),
                ticket: TicketId("E003".into()),
                steps: vec![StepSnapshot {
                    en: "Shut the water main".into(),
                    zh: "关闭总阀".into(),
                    critical: true,
                    role: "engineering".into(),
                    contact: Some("engineering".into()),
                    contact_phone: Some("0571-86697101".into()),
                    deadline_minutes: Some(10),
                    record_en: None,
                    record_zh: None,
                }],
            },
        ),
        body(
            12,
            1,
            None,
            Event::EmergencyStepSkipped {
                run: "EM1".into(),
                step: 1,
                reason: "valve already shut".into(),
                overridden: true,
                note: None,
            },
        ),
        body(13, 1, None, Event::EmergencyClosed { run: "EM1".into() }),
        body(
            14,
            1,
            None,
            Event::HandoverOffered {
                from_shift: 1,
                to_shift: 2,
                to: "李娜".into(),
                note: Some("R001 待回访".into()),
                override_reason: None,
            },
        ),
        body(
            15,
            2,
            None,
            Event::HandoverAccepted {
                shift: 2,
                by: "李娜".into(),
            },
        ),
        body(
            16,
            2,
            None,
            Event::ExportWritten {
                shift: 1,
                paths: vec!["exports/shift-1.jsonl".into()],
            },
        ),
    ]
}

fn read_file() -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path()).expect("fixtures/golden/record-v1.bin");
    let mut out = Vec::new();
    let mut rest = &bytes[..];
    while !rest.is_empty() {
        assert!(rest.len() >= 4, "truncated length");
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        assert!(rest.len() >= 4 + len, "truncated record");
        out.push(rest[4..4 + len].to_vec());
        rest = &rest[4 + len..];
    }
    out
}

#[test]
fn schema_1_records_decode_forever() {
    if std::env::var("DUTYDESK_WRITE_GOLDEN").is_ok_and(|v| v == "1") {
        let mut out = Vec::new();
        let mut prev = GENESIS;
        for b in expected() {
            let (rec, bytes) = Record::seal(b, prev).expect("seal");
            prev = rec.hash;
            out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
            out.extend_from_slice(&bytes);
        }
        std::fs::write(path(), out).expect("write golden file");
        println!("wrote {}; head hash {}", path().display(), hex(&prev));
        return;
    }
    let stored = read_file();
    let want = expected();
    assert_eq!(stored.len(), want.len(), "record count");
    let mut prev = GENESIS;
    for (bytes, body) in stored.iter().zip(want) {
        assert_eq!(bytes[0], 1, "format byte");
        assert_eq!(u16::from_be_bytes([bytes[1], bytes[2]]), 1, "schema 1");
        let rec = Record::decode(bytes).unwrap_or_else(|e| panic!("record {}: {e}", body.seq));
        assert_eq!(rec.body, body, "record {} decodes to its fields", body.seq);
        assert_eq!(
            rec.prev_hash, prev,
            "record {} links to the one before",
            body.seq
        );
        assert!(rec.hash_is_valid());
        // Today's encoder still writes the very same bytes for the same record.
        let (_, again) = Record::seal(body, prev).expect("seal");
        assert_eq!(
            &again, bytes,
            "record {} re-encodes identically",
            rec.body.seq
        );
        // And the JSON form round-trips with a valid hash.
        let back = Record::from_json(&rec.to_json()).expect("json");
        assert_eq!(back, rec);
        prev = rec.hash;
    }
    assert_eq!(hex(&prev), HEAD_HASH, "the head hash of the golden chain");
}
