//! Durable append (`Store::append` of one record, what a `call` costs) against a
//! raw `write` + `fsync` of the same bytes to a file in the same directory, in the
//! same run, interleaved so both see the same disk and the same load.
//!
//! sled 0.34.7 fsyncs with `File::sync_all` (flusher.rs, pagecache/segment.rs),
//! but its `flush` ends in `sync_file_range` on Linux (pagecache/iobuf.rs), which
//! is not durable; `Store::append` therefore adds a `sync_all` of sled's data
//! file, and the baseline uses `sync_all` too.
//!
//! Run: `cargo bench --bench append` (ITERATIONS=N to change the count).

mod common;

use std::io::Write;
use std::time::Instant;

use common::{body, ms, percentile};
use dutydesk::store::{Record, Store, GENESIS};

fn main() {
    let iterations: usize = std::env::var("ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    // Under target/, on the real disk: /tmp may be a tmpfs where fsync is free.
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("bench directory");
    let mut store = Store::open(&dir.path().join("store")).expect("open store");
    let raw_path = dir.path().join("raw.bin");
    let mut raw = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&raw_path)
        .expect("open raw file");
    let (_, sample) = Record::seal(body(0, 1_764_100_000_000_000), GENESIS).expect("seal");
    let bytes = sample.len();

    let warmup = 20;
    let mut append = Vec::with_capacity(iterations);
    let mut fsync = Vec::with_capacity(iterations);
    for i in 0..iterations + warmup {
        let b = body(i as u64, 1_764_100_000_000_000 + i as i64);
        let t = Instant::now();
        store.append(vec![b]).expect("append");
        let a = t.elapsed();

        let t = Instant::now();
        raw.write_all(&sample).expect("write");
        raw.sync_all().expect("fsync");
        let f = t.elapsed();
        if i >= warmup {
            append.push(a);
            fsync.push(f);
        }
    }
    append.sort();
    fsync.sort();
    let (a50, a99) = (percentile(&append, 0.5), percentile(&append, 0.99));
    let (f50, f99) = (percentile(&fsync, 0.5), percentile(&fsync, 0.99));
    println!(
        "append bench: {iterations} iterations, {bytes}-byte records, in {}",
        dir.path().display()
    );
    println!("  Store::append (durable) p50 {}  p99 {}", ms(a50), ms(a99));
    println!(
        "  write + fsync (baseline) p50 {}  p99 {}",
        ms(f50),
        ms(f99)
    );
    println!(
        "  ratio append/fsync: p50 {:.2}x  p99 {:.2}x  (goal p50 <= 1.5x)",
        a50.as_secs_f64() / f50.as_secs_f64().max(1e-9),
        a99.as_secs_f64() / f99.as_secs_f64().max(1e-9)
    );
}
