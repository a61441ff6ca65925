//! `stats --month`: the monthly figures on a known set of calls, with the month
//! taken in the site's local time (here Shanghai, UTC+8).

use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, Utc};
use dutydesk::clock::ManualClock;
use dutydesk::domain::{Actor, Command, Department, Kind};
use dutydesk::export::stats;
use dutydesk::{Desk, DeskApi, Local};

use crate::support::bin;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

struct Script {
    api: Local,
    clock: ManualClock,
}

impl Script {
    fn at(&mut self, when: &str, cmd: Command) {
        self.clock.set(at(when));
        self.api.submit(cmd, None).unwrap();
    }
}

fn call(unit: &str, kind: Kind) -> Command {
    Command::Call {
        unit: unit.into(),
        kind,
        priority: None,
        caller: None,
        phone: None,
        summary: "s".into(),
        anonymous: true,
    }
}
fn dispatch(id: &str, to: Department) -> Command {
    Command::Dispatch {
        id: id.into(),
        to,
        note: None,
    }
}
fn start(id: &str) -> Command {
    Command::Start { id: id.into() }
}
fn done(id: &str) -> Command {
    Command::Done {
        id: id.into(),
        note: None,
    }
}
fn callback(id: &str, satisfied: bool) -> Command {
    Command::Callback {
        id: id.into(),
        satisfied,
        note: None,
    }
}
fn close(id: &str) -> Command {
    Command::Close {
        id: id.into(),
        note: None,
    }
}

/// November 2026 in Shanghai: five calls; one just before and one just after.
/// Returns the desk, still open: sled lets go of its lock only when its flusher
/// thread stops, so reopening at once could find the store held.
fn november(dir: &std::path::Path) -> Arc<Mutex<Desk>> {
    let clock = ManualClock::new(at("2026-10-31T14:00:00Z"));
    let desk = Arc::new(Mutex::new(
        Desk::open(dir, Arc::new(clock.clone())).unwrap(),
    ));
    let api = Local::new(desk.clone(), Actor::new("王军", "test"));
    let mut s = Script { api, clock };
    use Department::*;
    // 23:00 on 31 October local: October.
    s.at("2026-10-31T15:00:00Z", call("9-9999", Kind::Repair));
    // 01:00 on 1 November local (still 31 October in UTC): November.
    s.at("2026-10-31T17:00:00Z", call("1-101", Kind::Repair)); // R002
    s.at("2026-10-31T17:03:00Z", dispatch("2", Engineering)); // 180 s, met
    s.at("2026-10-31T17:10:00Z", start("2"));
    s.at("2026-10-31T17:40:00Z", done("2"));
    s.at("2026-10-31T17:50:00Z", callback("2", true));
    s.at("2026-10-31T18:00:00Z", close("2")); // 3600 s to close
    s.at("2026-11-10T02:00:00Z", call("1-101", Kind::Repair)); // R003
    s.at("2026-11-10T02:08:00Z", dispatch("3", Engineering)); // 480 s, missed
    s.at("2026-11-10T02:20:00Z", start("3"));
    s.at("2026-11-10T02:40:00Z", done("3"));
    s.at("2026-11-10T02:45:00Z", callback("3", false)); // reopened
    s.at("2026-11-10T02:50:00Z", dispatch("3", Engineering));
    s.at("2026-11-10T03:00:00Z", start("3"));
    s.at("2026-11-10T03:30:00Z", done("3"));
    s.at("2026-11-10T03:40:00Z", callback("3", true));
    s.at("2026-11-10T04:00:00Z", close("3")); // 7200 s to close
    s.at("2026-11-12T12:00:00Z", call("2-202", Kind::Complaint)); // C004
    s.at("2026-11-12T12:01:00Z", dispatch("4", Security)); // 60 s, still open
    s.at("2026-11-15T03:00:00Z", call("1-101", Kind::Inquiry)); // I005
    s.at(
        "2026-11-15T03:05:00Z",
        Command::Cancel {
            id: "5".into(),
            reason: "answered".into(),
        },
    );
    s.at("2026-11-20T06:00:00Z", call("3-303", Kind::Help)); // H006
    s.at("2026-11-20T06:04:00Z", dispatch("6", Cleaning)); // 240 s
    s.at("2026-11-20T06:10:00Z", start("6"));
    s.at("2026-11-20T06:20:00Z", done("6"));
    s.at("2026-11-20T06:30:00Z", close("6")); // 1800 s to close
                                              // 00:30 on 1 December local: December.
    s.at("2026-11-30T16:30:00Z", call("9-9999", Kind::Repair));
    desk
}

#[test]
fn the_month_is_local_and_the_figures_match_the_calls() {
    let dir = tempfile::tempdir().unwrap();
    let desk = november(dir.path());
    let desk = desk.lock().unwrap();
    let shanghai = FixedOffset::east_opt(8 * 3600).unwrap();
    let s = stats::month(desk.state(), 2026, 11, &shanghai).unwrap();
    assert_eq!(s.calls, 5);
    let by_kind: Vec<u64> = Kind::ALL.iter().map(|k| s.by_kind[k]).collect();
    assert_eq!(by_kind, [2, 1, 1, 1, 0]);
    assert_eq!(s.by_department["engineering"], 2);
    assert_eq!(s.by_department["security"], 1);
    assert_eq!(s.by_department["cleaning"], 1);
    assert_eq!(s.repairs_dispatched, 2);
    assert_eq!(s.dispatch_within_target_pct, Some(50.0));
    assert_eq!(s.median_dispatch_seconds, Some(180)); // of 60, 180, 240, 480
    assert_eq!(s.median_close_seconds, Some(3600)); // of 1800, 3600, 7200
    assert_eq!((s.callbacks_satisfied, s.callbacks_unsatisfied), (2, 1));
    assert_eq!(s.reopened, 1);
    assert_eq!((s.closed, s.cancelled, s.still_open), (3, 1, 1));
    assert_eq!(
        s.top_units,
        vec![
            ("1-101".to_string(), 3),
            ("2-202".into(), 1),
            ("3-303".into(), 1)
        ]
    );

    // In UTC the same log gives a different November: the 01:00 call is October's.
    let utc = stats::month(desk.state(), 2026, 11, &Utc).unwrap();
    assert_eq!(
        utc.calls, 5,
        "R002 leaves, the 1 December 00:30 call comes in"
    );
    assert_eq!(utc.by_kind[&Kind::Repair], 2);

    let empty = stats::month(desk.state(), 2026, 9, &shanghai).unwrap();
    assert_eq!(empty.calls, 0);
    assert_eq!(empty.dispatch_within_target_pct, None);
    assert_eq!(empty.median_close_seconds, None);
}

#[test]
fn the_cli_prints_json_with_by_kind_and_refuses_a_bad_month() {
    let dir = tempfile::tempdir().unwrap();
    drop(november(dir.path()));
    // The store is free once sled's flusher thread has stopped: retry while the
    // binary says it is held (exit 6), for at most 20 s.
    let run = |args: &[&str]| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let out = bin::run(
                bin::dutydesk(dir.path())
                    .args(args)
                    .env("TZ", "Asia/Shanghai"),
            );
            if out.status.code() != Some(6) || std::time::Instant::now() > deadline {
                return out;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    };
    let out = run(&["stats", "--month", "2026-11", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["calls"], 5);
    assert_eq!(v["by_kind"]["repair"], 2);
    assert_eq!(v["by_kind"]["emergency"], 0);
    assert_eq!(v["by_department"]["engineering"], 2);
    assert_eq!(v["dispatch_within_target_pct"], 50.0);
    assert_eq!(v["median_dispatch_seconds"], 180);
    assert_eq!(v["median_close_seconds"], 3600);
    assert_eq!(v["callbacks_satisfied"], 2);
    assert_eq!(v["callbacks_unsatisfied"], 1);
    assert_eq!(v["reopened"], 1);
    assert_eq!(v["top_units"][0]["unit"], "1-101");
    assert_eq!(v["top_units"][0]["calls"], 3);

    let text = run(&["stats", "--month", "2026-11"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Repair 报修: 2") && text.contains("1/2 (50%)"),
        "{text}"
    );

    for bad in ["2026-13", "11-2026", "2026", "2026-1x"] {
        let out = run(&["stats", "--month", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM"));
    }
}
