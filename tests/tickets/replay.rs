//! Random evenings through an in-process `Desk`: every command the desk accepts
//! must be legal in an independent model of the ticket rules (and every legal one
//! accepted), a refusal must write nothing, a retried request must be applied
//! once, and reopening the store must fold the log into exactly the live state.
//!
//! PROPTEST_CASES=N runs more cases (default 24, a few seconds).

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use proptest::prelude::*;

use dutydesk::clock::ManualClock;
use dutydesk::desk::Desk;
use dutydesk::domain::{Actor, Command, Department, Event, Kind, TicketState};
use dutydesk::DeskError;

#[derive(Debug, Clone)]
enum Op {
    Call(Kind, bool),
    Dispatch(usize, Department),
    Start(usize),
    Done(usize),
    Callback(usize, bool),
    Close(usize),
    Cancel(usize),
    Note(usize),
    /// Resubmit the last accepted command with its request key.
    Retry,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(Kind::ALL.to_vec())
}

fn dept() -> impl Strategy<Value = Department> {
    prop::sample::select(vec![
        Department::Engineering,
        Department::Security,
        Department::Cleaning,
        Department::CustomerService,
    ])
}

/// Ticket indexes run one past the tickets opened so far: an unknown id.
fn op() -> impl Strategy<Value = Op> {
    let t = 0usize..8;
    prop_oneof![
        3 => (kind(), any::<bool>()).prop_map(|(k, a)| Op::Call(k, a)),
        3 => (t.clone(), dept()).prop_map(|(i, d)| Op::Dispatch(i, d)),
        3 => t.clone().prop_map(Op::Start),
        3 => t.clone().prop_map(Op::Done),
        3 => (t.clone(), any::<bool>()).prop_map(|(i, s)| Op::Callback(i, s)),
        3 => t.clone().prop_map(Op::Close),
        1 => t.clone().prop_map(Op::Cancel),
        1 => t.prop_map(Op::Note),
        1 => Just(Op::Retry),
    ]
}

/// The rules of issue 2, written out again independently of `rules::tickets`.
#[derive(Debug, Clone)]
struct Model {
    kind: Kind,
    state: TicketState,
    satisfied: bool,
    reopens: u32,
}

impl Model {
    fn open(&self) -> bool {
        !matches!(self.state, TicketState::Closed | TicketState::Cancelled)
    }

    /// Whether `op` is legal, and the model after it.
    fn step(&self, op: &Op) -> Option<Model> {
        use TicketState::*;
        let mut m = self.clone();
        let legal = match op {
            Op::Dispatch(..) => matches!(self.state, New | Dispatched),
            Op::Start(_) => self.state == Dispatched,
            Op::Done(_) => self.state == InProgress,
            Op::Callback(_, _) => self.state == Done,
            Op::Close(_) => {
                self.state == Done
                    && (self.satisfied || !matches!(self.kind, Kind::Repair | Kind::Complaint))
            }
            Op::Cancel(_) => self.open(),
            Op::Note(_) => true,
            Op::Call(..) | Op::Retry => unreachable!(),
        };
        if !legal {
            return None;
        }
        match op {
            Op::Dispatch(..) => m.state = Dispatched,
            Op::Start(_) => m.state = InProgress,
            Op::Done(_) => {
                m.state = Done;
                m.satisfied = false;
            }
            Op::Callback(_, true) => m.satisfied = true,
            Op::Callback(_, false) => {
                m.state = New;
                m.satisfied = false;
                m.reopens += 1;
            }
            Op::Close(_) => m.state = Closed,
            Op::Cancel(_) => m.state = Cancelled,
            _ => {}
        }
        Some(m)
    }
}

fn command(op: &Op, id: &str) -> Command {
    let id = id.to_string();
    match op {
        Op::Call(kind, anonymous) => Command::Call {
            unit: "1-1203".into(),
            kind: *kind,
            priority: None,
            caller: (!anonymous).then(|| "陈建国".to_string()),
            phone: Some("13812345678".into()),
            summary: "漏水 leak".into(),
            anonymous: *anonymous,
        },
        Op::Dispatch(_, to) => Command::Dispatch {
            id,
            to: *to,
            note: None,
        },
        Op::Start(_) => Command::Start { id },
        Op::Done(_) => Command::Done {
            id,
            note: Some("修好了".into()),
        },
        Op::Callback(_, satisfied) => Command::Callback {
            id,
            satisfied: *satisfied,
            note: None,
        },
        Op::Close(_) => Command::Close { id, note: None },
        Op::Cancel(_) => Command::Cancel {
            id,
            reason: "duplicate".into(),
        },
        Op::Note(_) => Command::Note {
            id,
            text: "住户来电催促".into(),
        },
        Op::Retry => unreachable!(),
    }
}

fn ticket_index(op: &Op) -> usize {
    match op {
        Op::Dispatch(i, _)
        | Op::Start(i)
        | Op::Done(i)
        | Op::Callback(i, _)
        | Op::Close(i)
        | Op::Cancel(i)
        | Op::Note(i) => *i,
        Op::Call(..) | Op::Retry => usize::MAX,
    }
}

fn run(ops: &[(Op, u32)]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 25, 21, 0, 0).unwrap());
    let mut desk = Desk::open(dir.path(), Arc::new(clock.clone())).expect("open");
    let actor = Actor::new("王军", "wang");
    let mut ids: Vec<String> = Vec::new();
    let mut models: Vec<Model> = Vec::new();
    let mut last: Option<(Command, String)> = None;
    for (n, (op, advance_s)) in ops.iter().enumerate() {
        clock.advance(Duration::seconds(i64::from(*advance_s)));
        let head = desk.head().seq;
        if let Op::Retry = op {
            if let Some((cmd, key)) = &last {
                let again = desk.submit(&actor, cmd, Some(key.clone()));
                prop_assert!(again.is_ok(), "a retry failed: {again:?}");
                prop_assert_eq!(desk.head().seq, head, "a retry was applied twice");
            }
            continue;
        }
        let key = format!("req-{n}");
        if let Op::Call(..) = op {
            let cmd = command(op, "");
            let done = desk.submit(&actor, &cmd, Some(key.clone()));
            let done = done.map_err(|e| TestCaseError::fail(format!("call refused: {e}")))?;
            let id = done
                .records
                .iter()
                .find_map(|r| match &r.body.event {
                    Event::TicketOpened { id, kind, .. } => Some((id.0.clone(), *kind)),
                    _ => None,
                })
                .ok_or_else(|| TestCaseError::fail("a call opened no ticket"))?;
            ids.push(id.0);
            models.push(Model {
                kind: id.1,
                state: TicketState::New,
                satisfied: false,
                reopens: 0,
            });
            last = Some((cmd, key));
            continue;
        }
        let i = ticket_index(op);
        let id = ids.get(i).cloned().unwrap_or_else(|| "R999".to_string());
        let cmd = command(op, &id);
        let result = desk.submit(&actor, &cmd, Some(key.clone()));
        match (models.get(i).map(|m| m.step(op)), result) {
            (None, Err(DeskError::NotFound(_))) => {}
            (Some(Some(next)), Ok(_)) => {
                models[i] = next;
                last = Some((cmd, key));
            }
            (Some(None), Err(e @ DeskError::Refused(_))) => {
                let msg = e.to_string();
                prop_assert!(
                    msg.contains("Allowed next") || msg.contains("callback"),
                    "{msg}"
                );
                prop_assert_eq!(desk.head().seq, head, "a refusal wrote records");
            }
            (expected, got) => {
                return Err(TestCaseError::fail(format!(
                    "{op:?} on {id} ({:?}): model says {expected:?}, desk says {got:?}",
                    models.get(i)
                )))
            }
        }
        if let (Some(m), Some(t)) = (models.get(i), desk.state().ticket(&id)) {
            prop_assert_eq!(t.state, m.state, "{}: state differs from the model", id);
            prop_assert_eq!(t.reopen_count, m.reopens);
        }
    }
    let live = desk.state().clone();
    let head = desk.head();
    drop(desk);
    let replayed = Desk::open(dir.path(), Arc::new(clock)).expect("reopen");
    prop_assert_eq!(replayed.head(), head);
    prop_assert_eq!(&replayed.state().tickets, &live.tickets);
    prop_assert_eq!(&replayed.state().shifts, &live.shifts);
    prop_assert_eq!(&replayed.state().runs, &live.runs);
    prop_assert_eq!(replayed.state(), &live);
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn replay_equals_live_and_only_legal_moves_are_accepted(
        ops in prop::collection::vec((op(), 0u32..900), 1..60)
    ) {
        run(&ops)?;
    }
}
