//! Renders the queue with 10,000 open tickets at 200x50 into a TestBackend and
//! reports per-frame p50/p99. Goal: under 2 ms a frame. The baseline, measured in
//! the same run, is an empty queue, so the ratio shows what the tickets cost.
//! Also reported: re-sorting the queue (done once per record or tick, not per frame).
//!
//! Run: `cargo bench --bench render`.

use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use dutydesk::clock::ManualClock;
use dutydesk::config::site::Site;
use dutydesk::desk::Committed;
use dutydesk::domain::{Actor, Command, Event, Kind, Lang, Priority, TicketId};
use dutydesk::emergency::Plans;
use dutydesk::state::State;
use dutydesk::store::{Body, Record};
use dutydesk::tui::{App, Keymap, Theme};
use dutydesk::{DeskApi, DeskError, Snapshot};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// A desk that only hands out a prepared snapshot: the benchmark measures drawing.
struct Fixed {
    snap: Snapshot,
    actor: Actor,
    _tx: mpsc::Sender<Record>,
    rx: Option<Receiver<Record>>,
}

impl DeskApi for Fixed {
    fn submit(&mut self, _: Command, _: Option<String>) -> Result<Committed, DeskError> {
        Err(DeskError::Internal("read-only benchmark desk".into()))
    }
    fn snapshot(&mut self) -> Result<Snapshot, DeskError> {
        Ok(self.snap.clone())
    }
    fn records(&mut self, _: u64, _: usize) -> Result<Vec<Record>, DeskError> {
        Ok(Vec::new())
    }
    fn subscribe(&mut self) -> Result<Receiver<Record>, DeskError> {
        self.rx
            .take()
            .ok_or_else(|| DeskError::Internal("subscribed twice".into()))
    }
    fn actor(&self) -> &Actor {
        &self.actor
    }
}

fn state_with(n: u64, start_us: i64) -> State {
    let mut st = State::new();
    let mut prev = [0u8; 32];
    for i in 1..=n {
        let kind = Kind::ALL[(i % 5) as usize];
        let body = Body {
            seq: i,
            at_us: start_us + i as i64 * 1_000_000,
            operator: "王伟".into(),
            unix_user: "bench".into(),
            shift: 1,
            request: None,
            event: Event::TicketOpened {
                id: TicketId::new(kind, i),
                kind,
                priority: Priority((i % 4) as u8 + 1),
                unit: format!("{}-{:02}{:02}", i % 6 + 1, i % 30 + 1, i % 4 + 1),
                caller: Some("张三".into()),
                phone: Some("13800138000".into()),
                summary: format!("卫生间漏水 water leaking from the ceiling, call {i}"),
                related: None,
            },
        };
        let Ok((rec, _)) = Record::seal(body, prev) else {
            continue;
        };
        prev = rec.hash;
        st.apply(&rec);
    }
    st
}

fn app_with(n: u64) -> App {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 25, 23, 0, 0)
        .single()
        .unwrap_or_default();
    let start_us = now.timestamp_micros() - 3 * 3600 * 1_000_000;
    let site = Site::parse(dutydesk::demo::DEMO_SITE, std::path::Path::new("site.toml"))
        .or_else(|_| Site::builtin())
        .expect("a site");
    let plans = Plans::builtin().expect("built-in plans");
    let (tx, rx) = mpsc::channel();
    let api = Fixed {
        snap: Snapshot {
            state: state_with(n, start_us),
            site,
            plans,
            head_hash: [0; 32],
            store_bytes: 0,
            alarm: None,
        },
        actor: Actor::new("王伟", "bench"),
        _tx: tx,
        rx: Some(rx),
    };
    App::new(
        Box::new(api),
        Arc::new(ManualClock::new(now)),
        Lang::Zh,
        Keymap::builtin(),
        Theme::colour(),
    )
    .expect("app")
}

fn percentiles(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    let p = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    (p(0.50), p(0.99))
}

fn frames(app: &App, n: usize) -> (Duration, Duration) {
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        term.draw(|f| app.draw(f)).expect("draw");
        times.push(t.elapsed());
    }
    percentiles(times)
}

fn main() {
    let empty = app_with(0);
    let full = app_with(10_000);
    frames(&full, 20); // warm up
    let (b50, b99) = frames(&empty, 300);
    let (f50, f99) = frames(&full, 300);
    let mut full = full;
    let mut sorts = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        full.refresh();
        sorts.push(t.elapsed());
    }
    let (s50, s99) = percentiles(sorts);
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
    println!("render queue 200x50, frame (TestBackend):");
    println!("  empty queue (baseline): p50 {b50:?}  p99 {b99:?}");
    println!(
        "  10,000 open tickets:    p50 {f50:?}  p99 {f99:?}  ({:.2}x / {:.2}x baseline)",
        ratio(f50, b50),
        ratio(f99, b99)
    );
    println!("  re-sort of 10,000 (per record or tick, not per frame): p50 {s50:?}  p99 {s99:?}");
    println!(
        "  goal: under 2 ms a frame -> {}",
        if f99 < Duration::from_millis(2) {
            "met"
        } else {
            "NOT met"
        }
    );
}
