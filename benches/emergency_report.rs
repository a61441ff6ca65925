//! How long the emergency views take on a long incident: the runner redraws
//! `RunView` every tick and `report` renders the whole run. Baseline: serialising
//! the run to JSON, measured in the same run, so the ratios travel between machines.
//!
//! `cargo bench --bench emergency_report`

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{FixedOffset, TimeZone, Utc};
use dutydesk::clock::ManualClock;
use dutydesk::domain::{Actor, Command, StepAction};
use dutydesk::emergency::{report, RunView};
use dutydesk::store::Record;
use dutydesk::Desk;

fn measure(name: &str, iterations: usize, mut f: impl FnMut() -> usize) -> (Duration, Duration) {
    let mut times = Vec::with_capacity(iterations);
    let mut sink = 0usize;
    for _ in 0..iterations {
        let t = Instant::now();
        sink = sink.wrapping_add(f());
        times.push(t.elapsed());
    }
    times.sort();
    let p50 = times[iterations / 2];
    let p99 = times[(iterations * 99) / 100];
    println!("{name:<28} p50 {p50:>10.1?}  p99 {p99:>10.1?}  (checksum {sink})");
    (p50, p99)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let clock = ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 25, 15, 0, 0)
            .single()
            .ok_or("time")?,
    );
    let mut desk = Desk::open(dir.path(), Arc::new(clock.clone()))?;
    let a = Actor::new("李娜", "lina");
    let start = Command::EmergencyStart {
        plan: "elevator-entrapment".into(),
        location: Some("Lift 3-A".into()),
        ticket: None,
    };
    desk.submit(&a, &start, None)?;
    // A long night: every step done, and 300 notes, as a drawn-out incident has.
    for n in 1..=11 {
        clock.advance(chrono::Duration::minutes(3));
        let cmd = Command::EmergencyStep {
            run: "EM1".into(),
            step: n,
            action: StepAction::Done {
                value: Some("2".into()),
            },
            note: Some("将情况告知家属，并保持对讲联系 kept the family informed".into()),
        };
        desk.submit(&a, &cmd, None)?;
    }
    for i in 0..300 {
        clock.advance(chrono::Duration::seconds(30));
        let cmd = Command::EmergencyNote {
            run: "EM1".into(),
            text: format!("对讲确认第{i}次 intercom check {i}: both calm"),
        };
        desk.submit(&a, &cmd, None)?;
    }
    let state = desk.state().clone();
    let run = state.run("EM1").ok_or("no run")?.clone();
    let mut records: Vec<Record> = Vec::new();
    for seq in report::record_seqs(&state, &run) {
        records.extend(desk.records(seq, 1)?);
    }
    let now = run.started_at_us + 4 * 3_600_000_000;
    let china = FixedOffset::east_opt(8 * 3600).ok_or("offset")?;
    println!(
        "run of {} steps, {} notes, {} records",
        run.steps.len(),
        run.notes.len(),
        records.len()
    );

    let (base50, base99) = measure("baseline: run to JSON", 2000, || {
        serde_json::to_string(&run).map(|s| s.len()).unwrap_or(0)
    });
    let (v50, v99) = measure("RunView::at (runner tick)", 2000, || {
        RunView::at(&run, now).missed_deadlines().len()
    });
    let (j50, j99) = measure("show --json shape", 2000, || {
        RunView::at(&run, now).to_json().to_string().len()
    });
    let (r50, r99) = measure("report::render", 500, || {
        report::render(&state, "EM1", &records, now, china)
            .map(|s| s.len())
            .unwrap_or(0)
    });
    let ratio = |x: Duration, b: Duration| x.as_secs_f64() / b.as_secs_f64().max(1e-12);
    println!("ratios to baseline (p50 / p99):");
    println!(
        "  RunView::at        {:>7.2} / {:>7.2}",
        ratio(v50, base50),
        ratio(v99, base99)
    );
    println!(
        "  show --json shape  {:>7.2} / {:>7.2}",
        ratio(j50, base50),
        ratio(j99, base99)
    );
    println!(
        "  report::render     {:>7.2} / {:>7.2}",
        ratio(r50, base50),
        ratio(r99, base99)
    );
    Ok(())
}
