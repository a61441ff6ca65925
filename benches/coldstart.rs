//! Cold start: `Desk::open` on a generated store (the realistic mix of
//! `demo --generate`) with its checkpoint and without it, against reading the
//! checkpoint file alone, measured in the same run. Files are in the page cache,
//! as on a desk PC that has run before; the ratio shows what opening the store,
//! checking the checkpoint against the log and decoding the state add.
//!
//! Run: `cargo bench --bench coldstart` (100,000 records; DUTYDESK_BENCH_BIG=1
//! adds 1,000,000, which takes a few minutes to generate).

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{ms, percentile};
use dutydesk::clock::SystemClock;
use dutydesk::datadir::DataDir;
use dutydesk::desk::Desk;
use dutydesk::domain::Lang;

fn time(runs: usize, mut f: impl FnMut()) -> Vec<Duration> {
    let mut v: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    v.sort();
    v
}

fn report(what: &str, v: &[Duration], base: Duration) {
    let p50 = percentile(v, 0.5);
    println!(
        "  {what:<28} p50 {:>12}  p99 {:>12}  {:>6.1}x the checkpoint read",
        ms(p50),
        ms(percentile(v, 0.99)),
        p50.as_secs_f64() / base.as_secs_f64().max(1e-9)
    );
}

fn open(dir: &Path) -> usize {
    let desk = Desk::open(dir, Arc::new(SystemClock)).expect("open the desk");
    desk.state().tickets.len()
}

fn main() {
    let mut sizes = vec![100_000u64];
    if std::env::var("DUTYDESK_BENCH_BIG").is_ok_and(|v| v == "1") {
        sizes.push(1_000_000);
    }
    for n in sizes {
        let tmp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("bench directory");
        let dir = tmp.path().join("data");
        let t = Instant::now();
        let records = dutydesk::demo::generate::generate(&dir, n, Lang::Zh).expect("generate");
        println!(
            "coldstart: {records} generated records in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        let checkpoint = DataDir(dir.clone()).checkpoint();
        // The first open folds the whole log and writes the checkpoint.
        let tickets = open(&dir);
        let bytes = std::fs::metadata(&checkpoint).map(|m| m.len()).unwrap_or(0);
        assert!(bytes > 0, "Desk::open wrote a checkpoint");
        let runs = if n >= 1_000_000 { 5 } else { 11 };

        let base = time(runs, || {
            std::hint::black_box(std::fs::read(&checkpoint).expect("read the checkpoint"));
        });
        let with = time(runs, || {
            std::hint::black_box(open(&dir));
        });
        let without = time(runs.min(5), || {
            std::fs::remove_file(&checkpoint).expect("remove the checkpoint");
            std::hint::black_box(open(&dir));
        });
        let base_p50 = percentile(&base, 0.5);
        println!(
            "coldstart {records} records, {tickets} tickets, checkpoint {:.1} MB:",
            bytes as f64 / 1e6
        );
        report("read checkpoint file (base)", &base, base_p50);
        report("Desk::open with checkpoint", &with, base_p50);
        report("Desk::open, no checkpoint", &without, base_p50);
        let goal = percentile(&with, 0.5) < Duration::from_secs(1);
        if n >= 1_000_000 {
            println!(
                "  goal: open with checkpoint under 1 s: {}",
                if goal { "met" } else { "NOT met" }
            );
        }
    }
}
