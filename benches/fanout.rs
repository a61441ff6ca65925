//! Time from submitting a command to its record arriving at 8 subscribers, each
//! on its own connection to an owner (served in this process, over the real
//! socket). Baseline, measured in the same run: the same command submitted to a
//! desk opened in-process (the durable write alone, no socket, no fanout).
//! Goal: p99 under 10 ms.

use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dutydesk::domain::{Command, Kind};
use dutydesk::server::{elect, serve, Client, ClientOptions, ServeOptions};
use dutydesk::{DeskApi, Live, Local};

const SUBSCRIBERS: usize = 8;
const WARMUP: usize = 20;
const ROUNDS: usize = 300;

fn call(i: usize) -> Command {
    Command::Call {
        unit: "1-0101".into(),
        kind: Kind::Inquiry,
        priority: None,
        caller: None,
        phone: None,
        summary: format!("bench {i}"),
        anonymous: true,
    }
}

fn percentiles(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    let at = |p: f64| v[((v.len() as f64 * p) as usize).min(v.len() - 1)];
    (at(0.50), at(0.99))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn baseline(dir: &std::path::Path) -> Vec<Duration> {
    let clock = Arc::new(dutydesk::clock::SystemClock);
    let desk = dutydesk::Desk::open(dir, clock).expect("open a desk");
    let mut api = Local::new(
        Arc::new(Mutex::new(desk)),
        dutydesk::domain::Actor::new("bench", "bench"),
    );
    let mut out = Vec::new();
    for i in 0..WARMUP + ROUNDS {
        let t = Instant::now();
        api.submit(call(i), None).expect("submit");
        if i >= WARMUP {
            out.push(t.elapsed());
        }
    }
    out
}

fn wait_for(rx: &Receiver<Live>, seq: u64) {
    loop {
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(Live::Record(r)) if r.body.seq >= seq => return,
            Ok(_) => {}
            Err(e) => panic!("a subscriber got nothing: {e}"),
        }
    }
}

fn main() {
    let tmp = tempfile::Builder::new()
        .prefix("ddb")
        .tempdir_in("/tmp")
        .expect("tempdir");
    let base = baseline(&tmp.path().join("local"));

    let dir = tmp.path().join("served");
    let lock = elect(&dir).expect("elect").expect("no other owner");
    let serve_dir = dir.clone();
    std::thread::spawn(move || {
        let opts = ServeOptions {
            limits: Default::default(),
            idle_exit: None,
            log: false,
        };
        let _ = serve(&serve_dir, lock, opts);
    });
    let opts = ClientOptions {
        start_timeout: Duration::from_secs(30),
        ..ClientOptions::new(&dir)
    };
    let started = Instant::now();
    let mut submitter = loop {
        match Client::open(opts.clone()) {
            Ok(c) => break c,
            Err(_) if started.elapsed() < Duration::from_secs(30) => {
                std::thread::sleep(Duration::from_millis(10))
            }
            Err(e) => panic!("no owner: {e}"),
        }
    };
    let subs: Vec<Receiver<Live>> = (0..SUBSCRIBERS)
        .map(|_| {
            Client::open(opts.clone())
                .and_then(|mut c| c.subscribe_live())
                .expect("subscribe")
        })
        .collect();

    let mut fanout = Vec::new();
    for i in 0..WARMUP + ROUNDS {
        let t = Instant::now();
        let c = submitter.submit(call(i), None).expect("submit");
        let seq = c.records.last().map(|r| r.body.seq).unwrap_or(0);
        for rx in &subs {
            wait_for(rx, seq);
        }
        if i >= WARMUP {
            fanout.push(t.elapsed());
        }
    }

    let (b50, b99) = percentiles(base);
    let (f50, f99) = percentiles(fanout);
    println!("fanout: submit → record at {SUBSCRIBERS} subscribers, {ROUNDS} rounds");
    println!(
        "  baseline (in-process durable submit): p50 {:.3} ms  p99 {:.3} ms",
        ms(b50),
        ms(b99)
    );
    println!(
        "  through the owner, to all {SUBSCRIBERS}:      p50 {:.3} ms  p99 {:.3} ms  (ratio p50 {:.2}x, p99 {:.2}x)",
        ms(f50),
        ms(f99),
        ms(f50) / ms(b50).max(1e-9),
        ms(f99) / ms(b99).max(1e-9)
    );
    println!(
        "  goal p99 < 10 ms: {}",
        if f99 < Duration::from_millis(10) {
            "met"
        } else {
            "NOT met"
        }
    );
}
