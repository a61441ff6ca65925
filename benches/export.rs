//! The export at shift change on a shift of 100,000 records: the .jsonl, .csv and
//! .md written together (goal: under 1 s). Baseline, measured in the same run:
//! reading the same records back from the store, which every export must do.
//!
//! Run: `cargo bench --bench export`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dutydesk::clock::SystemClock;
use dutydesk::config::site::Targets;
use dutydesk::domain::{Actor, Department, Event, Kind, Priority, TargetOutcome, TicketId};
use dutydesk::export::bundle;
use dutydesk::export::shift::{load, Selection};
use dutydesk::store::{Body, Store};
use dutydesk::{Desk, DeskApi, Local};

const RECORDS: u64 = 100_000;
const ROUNDS: usize = 7;

/// One shift of calls, each followed from the call to closure (6 records a
/// ticket), every 50th left open, and the handover as the shift's last record.
fn fill(dir: &std::path::Path) {
    let mut store = Store::open(&dir.join("store")).expect("store");
    let t0 = 1_764_072_000_000_000i64; // 2026-11-25T12:00:00Z
    let mut bodies = Vec::new();
    let mut n = 0u64;
    let body = |i: u64, event: Event| Body {
        seq: 0,
        at_us: t0 + i as i64 * 1_000_000,
        operator: "王军".into(),
        unix_user: "wang".into(),
        shift: 1,
        request: None,
        event,
    };
    bodies.push(body(
        0,
        Event::StoreCreated {
            site: "Bench 基准".into(),
        },
    ));
    bodies.push(body(
        0,
        Event::ShiftStarted {
            shift: 1,
            operator: "王军".into(),
        },
    ));
    let mut i = 2u64;
    while i < RECORDS - 1 {
        n += 1;
        let id = TicketId::new(Kind::Repair, n);
        let mut evs = vec![
            Event::TicketOpened {
                id: id.clone(),
                kind: Kind::Repair,
                priority: Priority(2),
                unit: format!("{}-{:04}", n % 6 + 1, n % 1800),
                caller: Some("陈建国".into()),
                phone: Some("13812345678".into()),
                summary: "卫生间天花板漏水 bathroom ceiling leaking".into(),
                related: None,
            },
            Event::TicketDispatched {
                id: id.clone(),
                to: Department::Engineering,
                note: Some("周师傅 on his way".into()),
                target: Some(TargetOutcome {
                    target_minutes: 5,
                    actual_seconds: 120,
                    met: true,
                }),
            },
        ];
        if !n.is_multiple_of(50) {
            evs.push(Event::TicketStarted { id: id.clone() });
            evs.push(Event::TicketDone {
                id: id.clone(),
                note: Some("replaced the seal".into()),
            });
            evs.push(Event::CallbackRecorded {
                id: id.clone(),
                satisfied: true,
                note: None,
            });
            evs.push(Event::TicketClosed { id, note: None });
        }
        for e in evs {
            if i >= RECORDS - 1 {
                break;
            }
            bodies.push(body(i, e));
            i += 1;
        }
    }
    bodies.push(body(
        i,
        Event::HandoverOffered {
            from_shift: 1,
            to_shift: 2,
            to: "李梅".into(),
            note: Some("all quiet".into()),
            override_reason: None,
        },
    ));
    for chunk in bodies.chunks(10_000) {
        store.append(chunk.to_vec()).expect("append");
    }
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    let idx = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[idx]
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let t = Instant::now();
    fill(dir.path());
    // sled lets go of the store's lock when its flusher thread stops: retry a while.
    let deadline = Instant::now() + Duration::from_secs(20);
    let desk = loop {
        match Desk::open(dir.path(), Arc::new(SystemClock)) {
            Ok(d) => break d,
            Err(e) if Instant::now() > deadline => panic!("{e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let head = desk.head().seq;
    eprintln!("built a shift of {head} records in {:.1?}", t.elapsed());
    let mut api = Local::new(Arc::new(Mutex::new(desk)), Actor::new("bench", "bench"));
    let out = dir.path().join("exports");
    let now = chrono::Utc::now().timestamp_micros();

    let mut read = Vec::new();
    let mut export = Vec::new();
    let mut files = Vec::new();
    let mut phases = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        let mut from = 1;
        while from <= head {
            let batch = api.records(from, 65_536).expect("records");
            let Some(last) = batch.last() else { break };
            from = last.body.seq + 1;
        }
        read.push(t.elapsed());

        let t = Instant::now();
        let slice = load(&mut api, Selection::Id(1), now).expect("slice");
        let loaded = t.elapsed();
        files = bundle::write(&slice, &Targets::default(), &out, &chrono::Local).expect("write");
        export.push(t.elapsed());
        phases.push(loaded);
    }
    let sizes: Vec<String> = files
        .iter()
        .map(|p| {
            format!(
                "{} {} KiB",
                p.extension().unwrap_or_default().to_string_lossy(),
                std::fs::metadata(p).map(|m| m.len() / 1024).unwrap_or(0)
            )
        })
        .collect();
    let (r50, r99) = (percentile(&mut read, 0.5), percentile(&mut read, 0.99));
    let (e50, e99) = (percentile(&mut export, 0.5), percentile(&mut export, 0.99));
    println!(
        "export of a {head}-record shift, {ROUNDS} rounds ({})",
        sizes.join(", ")
    );
    let l50 = percentile(&mut phases, 0.5);
    println!("  of which read + fold (slice)  p50 {l50:>10.1?}");
    println!("  baseline: read the records   p50 {r50:>10.1?}  p99 {r99:>10.1?}");
    println!(
        "  all three files (read+fold+write) p50 {e50:>10.1?}  p99 {e99:>10.1?}  ({:.1}x baseline; goal < 1 s: {})",
        e50.as_secs_f64() / r50.as_secs_f64().max(1e-9),
        if e99 < Duration::from_secs(1) { "met" } else { "MISSED" }
    );
}
