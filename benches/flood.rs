//! The owner under a flood of connections (Unix socket only, bounded, stops by
//! itself): 2,000 connections from one user, idle, half-open (closed for
//! writing right after connecting), sending a hello one byte every 100 ms, or
//! saying hello and then sitting idle. Meanwhile an operator already connected
//! keeps submitting. Printed: that operator's submit latency without and with
//! the flood (and the ratio), the process's RSS before and under the flood, the
//! log's size, and how many connections were refused.
//!
//! The owner is served in this process (with its real limits and log), so the
//! RSS includes the flood's client ends: a few kilobytes of sockets.

mod common;

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use common::{ms, percentile};
use dutydesk::domain::{Command, Kind};
use dutydesk::server::frame;
use dutydesk::server::protocol::{Reply, Request};
use dutydesk::server::{elect, serve, Client, ClientOptions, ServeOptions};
use dutydesk::DeskApi;

const FLOOD: usize = 2000;
const ROUNDS: usize = 200;

fn call(i: usize) -> Command {
    Command::Call {
        unit: "1-0101".into(),
        kind: Kind::Inquiry,
        priority: None,
        caller: None,
        phone: None,
        summary: format!("flood bench {i}"),
        anonymous: true,
    }
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn raise_open_files() {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        lim.rlim_cur = lim.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
    }
}

fn latencies(client: &mut Client, from: usize) -> Vec<Duration> {
    let mut out = Vec::with_capacity(ROUNDS);
    for i in 0..ROUNDS {
        let t = Instant::now();
        client.submit(call(from + i), None).expect("submit");
        out.push(t.elapsed());
    }
    out.sort();
    out
}

fn main() {
    raise_open_files();
    let tmp = tempfile::Builder::new()
        .prefix("ddf")
        .tempdir_in("/tmp")
        .expect("tempdir");
    let dir = tmp.path().to_path_buf();
    let lock = elect(&dir).expect("elect").expect("no other owner");
    let serve_dir = dir.clone();
    let owner = std::thread::spawn(move || {
        let opts = ServeOptions {
            idle_exit: None,
            log: true,
            limits: Default::default(),
        };
        let _ = serve(&serve_dir, lock, opts);
    });
    let sock = dir.join("owner.sock");
    let started = Instant::now();
    let mut client = loop {
        match Client::open(ClientOptions::new(&dir)) {
            Ok(c) => break c,
            Err(_) if started.elapsed() < Duration::from_secs(30) => {
                std::thread::sleep(Duration::from_millis(10))
            }
            Err(e) => panic!("no owner: {e}"),
        }
    };
    latencies(&mut client, 0); // warm-up
    let base = latencies(&mut client, ROUNDS);
    let rss_before = rss_kib();

    let hello = frame::encode(&Request::Hello {
        version: frame::VERSION,
        operator: Some("flood".into()),
        now: None,
    })
    .expect("hello");
    // The flood: connections opened as fast as the owner takes them, and the
    // slow ones fed a byte of their hello every 100 ms, until the measurement ends.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flood_sock = sock.clone();
    let flood_stop = stop.clone();
    let flood = std::thread::spawn(move || {
        let mut conns: Vec<(usize, UnixStream, usize)> = Vec::new();
        for i in 0..FLOOD {
            let Ok(mut s) = UnixStream::connect(&flood_sock) else {
                continue;
            };
            let _ = match i % 4 {
                0 => Ok(()),
                1 => s.shutdown(std::net::Shutdown::Write),
                2 => s.set_nonblocking(true),
                _ => s.write_all(&hello),
            };
            conns.push((i % 4, s, 0));
        }
        while !flood_stop.load(std::sync::atomic::Ordering::SeqCst) {
            for (kind, s, sent) in conns.iter_mut() {
                if *kind == 2
                    && *sent < hello.len() - 1
                    && s.write_all(&hello[*sent..*sent + 1]).is_ok()
                {
                    *sent += 1;
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        conns
    });
    // Measured from the first connection on, through the storm of connects.
    let under = latencies(&mut client, 2 * ROUNDS);
    let rss_under = rss_kib();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let conns = flood.join().expect("the flood thread");
    let mut refused = 0;
    for (_, mut s, _) in conns {
        let _ = s.set_nonblocking(false);
        let _ = s.set_read_timeout(Some(Duration::from_millis(5)));
        if let Ok(Reply::Error(_)) = frame::read::<Reply>(&mut s, frame::MAX_REPLY) {
            refused += 1;
        }
    }
    let log = std::fs::read_to_string(dir.join("dutydesk.log")).unwrap_or_default();

    println!("flood: {FLOOD} connections of one user (idle, half-open, slow hello, hello then idle), {ROUNDS} submits each way");
    let (b50, b99) = (percentile(&base, 0.5), percentile(&base, 0.99));
    let (u50, u99) = (percentile(&under, 0.5), percentile(&under, 0.99));
    println!("  submit, no flood:    p50 {}  p99 {}", ms(b50), ms(b99));
    println!(
        "  submit, under flood: p50 {}  p99 {}  (ratio p50 {:.2}x, p99 {:.2}x)",
        ms(u50),
        ms(u99),
        u50.as_secs_f64() / b50.as_secs_f64().max(1e-9),
        u99.as_secs_f64() / b99.as_secs_f64().max(1e-9)
    );
    println!("  RSS before {rss_before} KiB, under the flood {rss_under} KiB");
    println!(
        "  log: {} bytes, {} lines; connections refused: {refused} of {FLOOD}",
        log.len(),
        log.lines().count()
    );
    let _ = std::fs::remove_file(&sock);
    let _ = owner.join();
}
