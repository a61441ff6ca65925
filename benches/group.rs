//! The group view under load, with the real servers on this machine:
//!
//! 1. 200 simulated sites x 500 records through one hub nats-server into
//!    PostgreSQL. Each site is the real publisher (`group::publish`) reading its
//!    own in-memory chain; the ingest is the real `group ingest`. First 400
//!    records a site as a backlog (the ingest rate), then 100 a site committed
//!    live at a steady pace: freshness from a record's commit to its row in
//!    PostgreSQL, and to the group screen's model (loaded once a second, as the
//!    dashboard does, and drawn).
//! 2. A site's day offline: a real desk commits 2,000 records while its link is
//!    down (the hub stopped), then the link comes back: time until the group
//!    holds them all. Goals: freshness p99 <= 5 s, the day caught up in <= 10 s.
//!
//! Skips with a message when nats-server or PostgreSQL is not installed.

mod common;
#[path = "../tests/support/servers.rs"]
mod servers;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dutydesk::group::{config, ingest, publish, view};
use dutydesk::store::{Record, GENESIS};
use servers::{Nats, Pg};

const SITES: usize = 200;
const BACKLOG: u64 = 400;
const LIVE: u64 = 100;
/// One live record per site every this long (200 sites: 100 records a second).
const PACE: Duration = Duration::from_millis(2000);
const OFFLINE_DAY: usize = 2000;

fn now_us() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

/// One simulated site: its chain in memory and the real publisher shipping it.
struct SimSite {
    log: Arc<Mutex<Vec<Record>>>,
    ship: publish::Handle,
}

impl SimSite {
    fn new(id: &str, hub: &str) -> SimSite {
        let log: Arc<Mutex<Vec<Record>>> = Arc::new(Mutex::new(Vec::new()));
        let l = log.clone();
        let read: publish::ReadFn = Box::new(move |from, limit| {
            let log = l
                .lock()
                .map_err(|_| dutydesk::DeskError::Internal("poisoned".into()))?;
            let start = (from.max(1) - 1) as usize;
            Ok(log.iter().skip(start).take(limit).cloned().collect())
        });
        let target = publish::Target {
            site: id.into(),
            nats: hub.into(),
            credentials: None,
            // Straight into the stream the ingest reads at the hub.
            stream: config::hub_stream(id),
            subject: config::subject(id),
            data: None,
        };
        let ship =
            publish::spawn(target, read, None, Box::new(|l| eprintln!("{l}"))).expect("publisher");
        SimSite { log, ship }
    }

    fn commit(&self, n: u64) {
        if let Ok(mut log) = self.log.lock() {
            for _ in 0..n {
                let seq = log.len() as u64 + 1;
                let prev = log.last().map(|r| r.hash).unwrap_or(GENESIS);
                let mut body = common::body(seq - 1, now_us());
                body.seq = seq;
                let (r, _) = Record::seal(body, prev).expect("seal");
                log.push(r);
            }
        }
        self.ship.wake();
    }
}

/// When the screen's model was loaded, and each site's last record on it.
type Poll = (Instant, HashMap<String, u64>);

fn pctl(mut v: Vec<f64>, p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[(((v.len() - 1) as f64) * p).round() as usize]
}

fn held(pg: &mut postgres::Client) -> i64 {
    pg.query_one("SELECT count(*) FROM dd_events", &[])
        .map(|r| r.get(0))
        .unwrap_or(0)
}

fn start_ingest(
    hub: &Nats,
    pg: &Pg,
    sites: Vec<String>,
) -> (Arc<AtomicBool>, std::thread::JoinHandle<()>) {
    let stop = Arc::new(AtomicBool::new(false));
    let opts = ingest::Options {
        nats: hub.url(),
        pg: pg.url(),
        credentials: None,
        sites,
    };
    let s = stop.clone();
    let t = std::thread::spawn(move || {
        if let Err(e) = ingest::run(&opts, s, |l| eprintln!("{l}")) {
            eprintln!("ingest stopped: {e}");
        }
    });
    (stop, t)
}

fn main() {
    let Some((nats, initdb, postgres)) = servers::available() else {
        println!("group: skipped (needs nats-server and PostgreSQL: apt-get install nats-server postgresql)");
        return;
    };
    through_one_hub(&nats, &initdb, &postgres);
    offline_day(&nats, &initdb, &postgres);
}

fn through_one_hub(nats: &std::path::Path, initdb: &std::path::Path, postgres: &std::path::Path) {
    let tmp = tempfile::Builder::new()
        .prefix("ddgb")
        .tempdir_in("/tmp")
        .expect("tmp");
    let pg = Pg::start(initdb, postgres, tmp.path());
    let hub = Nats::hub(nats, tmp.path());
    let mut client = pg.client();
    let ids: Vec<String> = (0..SITES).map(|i| format!("b{i:03}")).collect();
    let sites: Vec<SimSite> = ids.iter().map(|id| SimSite::new(id, &hub.url())).collect();
    // The streams exist once each publisher has connected (it creates its own).
    std::thread::sleep(Duration::from_secs(2));
    let (stop, ingest_thread) = start_ingest(&hub, &pg, Vec::new());

    // 1a: the backlog.
    let t = Instant::now();
    for s in &sites {
        s.commit(BACKLOG);
    }
    let total = (SITES as u64 * BACKLOG) as i64;
    let deadline = Instant::now() + Duration::from_secs(600);
    while held(&mut client) < total {
        assert!(Instant::now() < deadline, "the backlog did not arrive");
        std::thread::sleep(Duration::from_millis(100));
    }
    let took = t.elapsed();
    println!(
        "group: {SITES} sites x {BACKLOG} records backlog: {total} records into PostgreSQL in {:.1} s = {:.0} records/s",
        took.as_secs_f64(),
        total as f64 / took.as_secs_f64()
    );

    // 1b: live, one record a site every PACE, staggered; the screen polls once a second.
    let polls: Arc<Mutex<Vec<Poll>>> = Arc::default();
    let stop_poll = Arc::new(AtomicBool::new(false));
    let (p, sp, url) = (polls.clone(), stop_poll.clone(), pg.url());
    let poller = std::thread::spawn(move || {
        let mut c = view::connect(&url).expect("view");
        let theme = dutydesk::tui::Theme::monochrome();
        let mut term =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 60)).expect("term");
        while !sp.load(Ordering::SeqCst) {
            let t0 = Instant::now();
            let now = chrono::Utc::now();
            if let Ok(v) = view::load(&mut c, now, view::local_midnight(now), 30) {
                let _ = term.draw(|f| {
                    dutydesk::tui::screens::group::draw(
                        f,
                        f.area(),
                        &v,
                        None,
                        dutydesk::domain::Lang::Zh,
                        &theme,
                    )
                });
                let seen = v
                    .sites
                    .iter()
                    .map(|s| (s.site.clone(), s.last_seq))
                    .collect();
                if let Ok(mut p) = p.lock() {
                    p.push((Instant::now(), seen));
                }
            }
            std::thread::sleep(Duration::from_secs(1).saturating_sub(t0.elapsed()));
        }
    });
    let mut commits: Vec<(usize, u64, Instant)> = Vec::new();
    let step = PACE / SITES as u32;
    let start = Instant::now();
    for round in 0..LIVE {
        for (i, s) in sites.iter().enumerate() {
            let due = start + PACE * round as u32 + step * i as u32;
            std::thread::sleep(due.saturating_duration_since(Instant::now()));
            s.commit(1);
            commits.push((i, BACKLOG + round + 1, Instant::now()));
        }
    }
    let want = (SITES as u64 * (BACKLOG + LIVE)) as i64;
    while held(&mut client) < want {
        assert!(
            Instant::now() < deadline + Duration::from_secs(600),
            "the live records did not arrive"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(1500));
    stop_poll.store(true, Ordering::SeqCst);
    let _ = poller.join();

    let rows: Vec<f64> = client
        .query(
            "SELECT extract(epoch FROM ingested_at - at)::float8 FROM dd_events WHERE seq > $1",
            &[&(BACKLOG as i64)],
        )
        .expect("freshness")
        .iter()
        .map(|r| r.get::<_, f64>(0))
        .collect();
    let polls = polls.lock().map(|p| p.clone()).unwrap_or_default();
    let screen: Vec<f64> = commits
        .iter()
        .filter_map(|(i, seq, at)| {
            polls
                .iter()
                .find(|(t, seen)| t > at && seen.get(&ids[*i]).is_some_and(|s| s >= seq))
                .map(|(t, _)| (*t - *at).as_secs_f64())
        })
        .collect();
    println!(
        "group: live, {SITES} sites x {LIVE} records ({:.0} records/s): commit -> row p50 {:.3} s, p99 {:.3} s; \
         commit -> group screen p50 {:.3} s, p99 {:.3} s ({} of {} seen on screen)",
        SITES as f64 / PACE.as_secs_f64(),
        pctl(rows.clone(), 0.5),
        pctl(rows, 0.99),
        pctl(screen.clone(), 0.5),
        pctl(screen.clone(), 0.99),
        screen.len(),
        commits.len()
    );
    stop.store(true, Ordering::SeqCst);
    drop(sites);
    let _ = ingest_thread.join();
}

fn offline_day(nats: &std::path::Path, initdb: &std::path::Path, postgres: &std::path::Path) {
    use dutydesk::clock::SystemClock;
    use dutydesk::domain::{Actor, Command, Kind};
    let tmp = tempfile::Builder::new()
        .prefix("ddgo")
        .tempdir_in("/tmp")
        .expect("tmp");
    let pg = Pg::start(initdb, postgres, tmp.path());
    let mut hub = Nats::hub(nats, tmp.path());
    let leaf = Nats::leaf(nats, tmp.path(), "day", hub.leaf_port);
    let data = tmp.path().join("site");
    let desk = dutydesk::Desk::open(&data, Arc::new(SystemClock)).expect("desk");
    let desk = Arc::new(Mutex::new(desk));
    let d = desk.clone();
    let read: publish::ReadFn = Box::new(move |from, limit| {
        d.lock()
            .map_err(|_| dutydesk::DeskError::Internal("poisoned".into()))?
            .records(from, limit)
    });
    let committed = desk.lock().expect("desk").subscribe();
    let target = publish::Target {
        site: "day".into(),
        nats: leaf.url(),
        credentials: None,
        stream: config::site_stream("day"),
        subject: config::subject("day"),
        data: None,
    };
    let ship = publish::spawn(
        target,
        read,
        Some(committed),
        Box::new(|l| eprintln!("{l}")),
    )
    .expect("publisher");
    let (stop, ingest_thread) = start_ingest(&hub, &pg, vec!["day".into()]);
    let mut client = pg.client();
    let actor = Actor::new("wang", "wang");
    let submit = |i: usize| {
        let cmd = Command::Call {
            unit: format!("3-{:04}", i % 500),
            kind: Kind::Inquiry,
            priority: None,
            caller: None,
            phone: None,
            summary: format!("offline {i}"),
            anonymous: true,
        };
        desk.lock()
            .expect("desk")
            .submit(&actor, &cmd, None)
            .expect("submit");
    };
    submit(0);
    let first = desk.lock().expect("desk").head().seq as i64;
    let deadline = Instant::now() + Duration::from_secs(60);
    while held(&mut client) < first {
        assert!(
            Instant::now() < deadline,
            "the first records did not arrive"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    hub.stop();
    let t = Instant::now();
    let mut i = 1;
    while (desk.lock().expect("desk").head().seq as usize) < first as usize + OFFLINE_DAY {
        submit(i);
        i += 1;
    }
    let cut = t.elapsed();
    let head = desk.lock().expect("desk").head().seq as i64;
    hub.start();
    let t = Instant::now();
    let deadline = Instant::now() + Duration::from_secs(120);
    while held(&mut client) < head {
        assert!(
            Instant::now() < deadline,
            "the day offline did not catch up"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    println!(
        "group: a site's day offline: {} records committed while the link was down ({:.1} s), \
         all in PostgreSQL {:.2} s after the link came back",
        head - first,
        cut.as_secs_f64(),
        t.elapsed().as_secs_f64()
    );
    stop.store(true, Ordering::SeqCst);
    drop(ship);
    let _ = ingest_thread.join();
    drop(leaf);
}
