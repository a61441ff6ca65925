//! Eight operators submitting at once: every command applied exactly once, in
//! one unbroken chain.

use std::collections::HashSet;

use crate::support::multi::*;
use crate::support::owner::end_owner;
use dutydesk::DeskApi;

const CLIENTS: usize = 8;
const EACH: usize = 40;

#[test]
fn eight_clients_submitting_at_once_apply_every_command_once() {
    let site = Site::new();
    let mut watcher = site.client("watcher");
    let live = watcher.subscribe_live().unwrap();
    let mut threads = Vec::new();
    for c in 0..CLIENTS {
        let opts = site.options(&format!("op{c}"));
        threads.push(std::thread::spawn(move || {
            let mut client = dutydesk::server::Client::open(opts).expect("connect");
            for i in 0..EACH {
                client
                    .submit(call("1-0101", &format!("c{c}-n{i}")), None)
                    .expect("submit");
            }
        }));
    }
    for t in threads {
        t.join().expect("a client thread");
    }
    let records = watcher.records(1, usize::MAX).unwrap();
    let opened: Vec<_> = records
        .iter()
        .filter(|r| r.body.event.type_name() == "ticket_opened")
        .collect();
    assert_eq!(opened.len(), CLIENTS * EACH);
    let keys: HashSet<_> = opened.iter().map(|r| r.body.request.clone()).collect();
    assert_eq!(
        keys.len(),
        CLIENTS * EACH,
        "one idempotency key per submission"
    );
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r.body.seq, i as u64 + 1);
        if i > 0 {
            assert_eq!(
                r.prev_hash,
                records[i - 1].hash,
                "chain broken at {}",
                i + 1
            );
        }
    }
    // The watcher saw every one of them live, in order.
    let mut seen = 0;
    while seen < records.len() {
        if let dutydesk::Live::Record(r) = live.recv_timeout(PATIENCE).expect("live") {
            seen += 1;
            assert_eq!(r.body.seq, seen as u64);
        }
    }
    let out = site.dir().join("all.jsonl");
    site.ok(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(site
        .ok(&["verify", out.to_str().unwrap()])
        .starts_with("ok:"));
}

/// Raises this test process's open-file limit, for floods of connections.
fn raise_open_files(to: u64) {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) };
    lim.rlim_cur = lim.rlim_max.min(to.max(lim.rlim_cur));
    unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) };
}

/// An owner served in this process with lowered limits (so the test needs no
/// thousand connections and no ten-second wait), stopped by removing its socket.
struct InProcess {
    tmp: tempfile::TempDir,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl InProcess {
    fn start(limits: dutydesk::server::limits::Limits) -> InProcess {
        let tmp = tempfile::Builder::new()
            .prefix("ddl")
            .tempdir_in("/tmp")
            .unwrap();
        let dir = tmp.path().to_path_buf();
        let lock = dutydesk::server::elect(&dir).unwrap().unwrap();
        let opts = dutydesk::server::ServeOptions {
            idle_exit: None,
            log: true,
            limits,
        };
        let thread = std::thread::spawn(move || {
            let _ = dutydesk::server::serve(&dir, lock, opts);
        });
        let sock = tmp.path().join("owner.sock");
        wait_until("the owner's socket", || sock.exists());
        InProcess {
            tmp,
            thread: Some(thread),
        }
    }

    fn options(&self, operator: &str) -> dutydesk::server::ClientOptions {
        let mut o = dutydesk::server::ClientOptions::new(self.tmp.path());
        o.operator = Some(operator.into());
        o
    }

    fn sock(&self) -> std::path::PathBuf {
        self.tmp.path().join("owner.sock")
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.tmp.path().join("dutydesk.log")).unwrap_or_default()
    }
}

impl Drop for InProcess {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(self.sock());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn hello_bytes() -> Vec<u8> {
    dutydesk::server::frame::encode(&dutydesk::server::protocol::Request::Hello {
        version: dutydesk::server::frame::VERSION,
        operator: Some("flood".into()),
        now: None,
    })
    .unwrap()
}

#[test]
fn a_flood_of_connections_is_refused_with_a_reason_and_the_desk_carries_on() {
    use dutydesk::server::protocol::Reply;
    use std::io::{Read, Write};
    use std::os::unix::net::UnixStream;
    use std::time::{Duration, Instant};

    raise_open_files(4096);
    let hello_deadline = Duration::from_millis(400);
    let owner = InProcess::start(dutydesk::server::limits::Limits {
        connections: 200,
        per_user: 40,
        hello: hello_deadline,
    });
    let mut desk = dutydesk::server::Client::open(owner.options("值班员")).unwrap();
    desk.submit(call("1-0101", "洪水之前"), None).unwrap();

    // 300 connections from one user: idle, half-open, a byte of a hello, a hello.
    let hello = hello_bytes();
    let mut flood = Vec::new();
    for i in 0..300 {
        let mut s = UnixStream::connect(owner.sock()).unwrap();
        let _ = match i % 4 {
            0 => Ok(()),
            1 => s.shutdown(std::net::Shutdown::Write),
            2 => s.write_all(&hello[..1]),
            _ => s.write_all(&hello),
        };
        flood.push((i % 4, s));
    }
    // Meanwhile the operator already connected is served as usual.
    let t = Instant::now();
    desk.submit(call("1-0101", "洪水之中"), None).unwrap();
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    // Every flood connection is refused with the reason, welcomed (a hello, up
    // to the limit), or dropped by the hello deadline: none is held without one.
    let (mut refused, mut welcomed, mut dropped) = (0, 0, 0);
    for (kind, s) in &mut flood {
        s.set_read_timeout(Some(PATIENCE)).unwrap();
        let t = Instant::now();
        match dutydesk::server::frame::read::<Reply>(s, dutydesk::server::frame::MAX_REPLY) {
            Ok(Reply::Error(e)) => {
                assert!(e.to_string().contains("connections from user"), "{e}");
                refused += 1;
            }
            Ok(Reply::Welcome { .. }) => {
                assert_eq!(*kind, 3, "only a hello is welcomed");
                welcomed += 1;
            }
            other => {
                assert!(*kind != 3, "a hello got {other:?}");
                assert!(
                    t.elapsed() < hello_deadline + Duration::from_secs(3),
                    "dropped only after {:?}",
                    t.elapsed()
                );
                dropped += 1;
            }
        }
    }
    // Welcomed clients keep their slots, so never more than the limit of them;
    // the others' slots come back as the deadline or their closing frees them.
    assert!(refused >= 200, "refused {refused}");
    assert!(welcomed < 40, "{welcomed} welcomed past the limit");
    assert_eq!(refused + welcomed + dropped, 300);
    // Fill the user's slots with dashboards that said hello; the next client
    // of that user is told why it cannot connect.
    let mut held = Vec::new();
    loop {
        let mut s = UnixStream::connect(owner.sock()).unwrap();
        // A refused connection may be closed before the hello is written.
        let _ = s.write_all(&hello);
        s.set_read_timeout(Some(PATIENCE)).unwrap();
        match dutydesk::server::frame::read::<Reply>(&mut s, dutydesk::server::frame::MAX_REPLY) {
            Ok(Reply::Welcome { .. }) => held.push(s),
            Ok(Reply::Error(_)) => break,
            other => panic!("a hello got {other:?}"),
        }
        assert!(held.len() < 40, "more than the limit were welcomed");
    }
    let err = dutydesk::server::Client::open(owner.options("值班员"))
        .err()
        .expect("over the per-user limit");
    let text = err.to_string();
    assert!(
        text.contains("already serves 40 connections from user"),
        "{text}"
    );
    assert_eq!(err.exit_code(), 4, "{text}");
    drop(held);
    drop(flood);

    // A client sending its hello a byte at a time is dropped at the deadline,
    // however often it sends one.
    let mut slow = None;
    wait_until("the flood's slots to be free", || {
        slow = UnixStream::connect(owner.sock()).ok();
        let d = dutydesk::server::Client::open(owner.options("值班员"));
        d.is_ok()
    });
    let mut slow = slow.unwrap();
    let t = Instant::now();
    let mut sent = 0;
    while sent < hello.len() - 1 && slow.write_all(&hello[sent..sent + 1]).is_ok() {
        sent += 1;
        std::thread::sleep(Duration::from_millis(50));
        if t.elapsed() > Duration::from_secs(5) {
            break;
        }
    }
    let mut rest = Vec::new();
    slow.set_read_timeout(Some(PATIENCE)).unwrap();
    let _ = slow.read_to_end(&mut rest);
    assert!(
        t.elapsed() < hello_deadline + Duration::from_secs(2),
        "a slow hello held its connection for {:?}",
        t.elapsed()
    );

    // The desk is whole, and the log says what happened without a line per client.
    desk.submit(call("1-0101", "洪水之后"), None).unwrap();
    assert_eq!(desk.snapshot().unwrap().state.tickets.len(), 3);
    let log = owner.log();
    assert!(log.contains("refused a connection"), "{log}");
    assert!(
        log.lines().count() < 40,
        "{} lines:\n{log}",
        log.lines().count()
    );
}

#[test]
fn an_owner_out_of_file_descriptors_pauses_and_logs_once_a_second_and_recovers() {
    use std::os::unix::net::UnixStream;
    use std::time::Instant;

    raise_open_files(4096);
    let site = Site::new();
    site.ok(&[
        "call",
        "--unit",
        "1-0101",
        "--kind",
        "help",
        "--summary",
        "开始",
    ]);
    end_owner(site.dir());
    // An owner with room for only a few connections beyond its own files.
    let mut owner = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "ulimit -n 16 && exec {BIN} --data {} serve",
            site.dir().display()
        ))
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let sock = site.dir().join("owner.sock");
    wait_until("the owner to serve", || {
        site.log().contains("(idle exit: never)")
    });
    let idle: Vec<UnixStream> = (0..40)
        .map(|_| UnixStream::connect(&sock).unwrap())
        .collect();
    let t = Instant::now();
    let deadline = t + PATIENCE;
    while !site.log().contains("times in the last second") {
        assert!(
            Instant::now() < deadline,
            "no counted accept failure in the log:\n{}",
            site.log()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let log = site.log();
    let failures = log.lines().filter(|l| l.contains("accept failed")).count();
    let seconds = t.elapsed().as_secs() as usize;
    assert!(
        failures <= seconds + 3,
        "{failures} lines in {seconds}s:\n{log}"
    );
    assert!(log.contains("Too many open files"), "{log}");
    assert!(owner.try_wait().unwrap().is_none(), "the owner died");
    // Once the connections go, the desk serves again.
    drop(idle);
    let tickets = site.ok(&["tickets"]);
    assert!(tickets.contains("开始"), "{tickets}");
    let _ = owner.kill();
    let _ = owner.wait();
}
