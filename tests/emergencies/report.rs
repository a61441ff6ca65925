//! The incident report as a pure function of the log: rendered from a desk on a
//! manual clock, so every time and deadline in it is known.

use std::sync::Arc;

use chrono::{Duration, FixedOffset, TimeZone, Utc};
use dutydesk::clock::{Clock, ManualClock};
use dutydesk::domain::{Actor, Command, StepAction};
use dutydesk::emergency::report;
use dutydesk::Desk;

fn setup() -> (tempfile::TempDir, Desk, ManualClock, Actor) {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 25, 15, 0, 0).unwrap());
    let desk = Desk::open(dir.path(), Arc::new(clock.clone())).unwrap();
    (dir, desk, clock, Actor::new("李娜", "lina"))
}

fn render(desk: &Desk, clock: &ManualClock) -> String {
    let state = desk.state();
    let run = state.run("EM1").unwrap();
    let mut records = Vec::new();
    for seq in report::record_seqs(state, run) {
        records.extend(desk.records(seq, 1).unwrap());
    }
    let china = FixedOffset::east_opt(8 * 3600).unwrap();
    report::render(
        state,
        "EM1",
        &records,
        clock.now().timestamp_micros(),
        china,
    )
    .unwrap()
}

fn step(desk: &mut Desk, a: &Actor, n: u32, action: StepAction) {
    let cmd = Command::EmergencyStep {
        run: "EM1".into(),
        step: n,
        action,
        note: None,
    };
    desk.submit(a, &cmd, None).unwrap();
}

#[test]
fn an_interim_report_counts_deadlines_down_and_shows_them_overdue() {
    let (_dir, mut desk, clock, a) = setup();
    let start = Command::EmergencyStart {
        plan: "elevator-entrapment".into(),
        location: Some("Lift | 3\nA".into()),
        ticket: None,
    };
    desk.submit(&a, &start, None).unwrap();
    clock.advance(Duration::minutes(10));
    let md = render(&desk, &clock);
    assert!(md.contains("**Interim report 中期报告**"), "{md}");
    assert!(
        md.contains("| Where 地点 | Lift \\| 3 A |"),
        "text cannot break the table:\n{md}"
    );
    assert!(md.contains("running, 20m00 left 进行中，剩余20m00"), "{md}");
    assert!(md.contains("| Started 开始 | 2026-11-25 23:00:00 +08:00 by 由 李娜 |"));
    clock.advance(Duration::minutes(25));
    let md = render(&desk, &clock);
    assert!(md.contains("**overdue** by 5m00 and still pending"), "{md}");
    assert!(
        md.contains("| Deadlines missed 超时 | step 第6步 |"),
        "{md}"
    );
    assert!(md.contains("**pending 未完成**"));
}

#[test]
fn a_final_report_tells_overrides_and_skips_and_is_anchored_to_the_chain() {
    let (_dir, mut desk, clock, a) = setup();
    let start = Command::EmergencyStart {
        plan: "elevator-entrapment".into(),
        location: None,
        ticket: None,
    };
    desk.submit(&a, &start, None).unwrap();
    clock.advance(Duration::minutes(2));
    step(
        &mut desk,
        &a,
        1,
        StepAction::Done {
            value: Some("1".into()),
        },
    );
    step(
        &mut desk,
        &a,
        6,
        StepAction::Skip {
            reason: "false alarm: the car was empty".into(),
            over_ride: true,
        },
    );
    for n in [2, 3, 4, 7] {
        step(
            &mut desk,
            &a,
            n,
            StepAction::Skip {
                reason: "false alarm".into(),
                over_ride: true,
            },
        );
    }
    desk.submit(&a, &Command::EmergencyClose { run: "EM1".into() }, None)
        .unwrap();
    clock.advance(Duration::hours(3));
    let md = render(&desk, &clock);
    assert!(!md.contains("Interim"));
    assert!(
        md.contains("| Closed 结束 | 2026-11-25 23:02:00 +08:00 |"),
        "{md}"
    );
    assert!(
        md.contains("| Duration 历时 | 2m00 |"),
        "frozen at the close:\n{md}"
    );
    assert!(md.contains("**skipped by override 越权跳过**"));
    assert!(md.contains("- Reason 原因: false alarm: the car was empty"));
    assert!(md.contains("step skipped 该步已跳过"));
    assert!(md.contains("- People trapped 被困人数: 1"));
    assert!(md.contains("| Deadlines missed 超时 | none 无 |"));
    assert!(
        md.contains("EM1 step 6 skipped 第6步跳过 (override 越权): false alarm: the car was empty")
    );
    let last = desk.head();
    assert!(
        md.contains(&format!("the hash of #{} is `", last.seq)),
        "the report is anchored to the chain:\n{md}"
    );
}
