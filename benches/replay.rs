//! Replay: how long `Desk::open` takes to rebuild the state from a store of
//! 100,000 and 1,000,000 events (every record decoded, its hash and its link
//! checked, and folded into the state), against a bare iteration of sled in the
//! same run so the cost of our own checks is visible.
//!
//! The stores are built once per run with `Store::append` in batches of 1000.
//! Run: `cargo bench --bench replay` (SIZES=100000,1000000 to change sizes).

mod common;

use std::sync::Arc;
use std::time::Instant;

use common::body;
use dutydesk::clock::SystemClock;
use dutydesk::desk::Desk;
use dutydesk::domain::Event;
use dutydesk::store::{Body, Store};

fn build(dir: &std::path::Path, events: u64) {
    let mut store = Store::open(&dir.join("store")).expect("open store");
    let start_us = 1_764_100_000_000_000;
    let mut first = vec![
        Body {
            event: Event::StoreCreated {
                site: "Bench".into(),
            },
            ..body(0, start_us)
        },
        Body {
            event: Event::ShiftStarted {
                shift: 1,
                operator: "王军".into(),
            },
            ..body(0, start_us)
        },
    ];
    let mut i = 0;
    while i < events {
        let n = (events - i).min(1000);
        let mut batch = std::mem::take(&mut first);
        batch.extend((i..i + n).map(|k| body(k, start_us + k as i64 * 1000)));
        store.append(batch).expect("append batch");
        i += n;
    }
}

fn main() {
    let sizes: Vec<u64> = std::env::var("SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100_000, 1_000_000]);
    for n in sizes {
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("bench directory");
        let t = Instant::now();
        build(dir.path(), n);
        let built = t.elapsed();

        // Baseline: sled alone, iterating the raw bytes without decoding.
        let db = sled::open(dir.path().join("store")).expect("sled open");
        let tree = db.open_tree("log").expect("log tree");
        let t = Instant::now();
        let mut bytes = 0usize;
        for kv in tree.iter() {
            bytes += kv.expect("read").1.len();
        }
        let raw = t.elapsed();
        drop(tree);
        drop(db);

        let t = Instant::now();
        let desk = Desk::open(dir.path(), Arc::new(SystemClock)).expect("open desk");
        let replay = t.elapsed();
        let tickets = desk.state().tickets.len();
        println!(
            "replay {n} events (+2): Desk::open {:.3} s  ({:.0} events/s); sled iteration alone {:.3} s; \
             {tickets} tickets, {:.1} MB of records; built in {:.1} s{}",
            replay.as_secs_f64(),
            n as f64 / replay.as_secs_f64(),
            raw.as_secs_f64(),
            bytes as f64 / 1e6,
            built.as_secs_f64(),
            if n >= 1_000_000 {
                if replay.as_secs_f64() < 1.0 { "  [goal < 1 s: met]" } else { "  [goal < 1 s: NOT met]" }
            } else {
                ""
            }
        );
    }
}
