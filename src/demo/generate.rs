//! `demo --generate N`: a synthetic store of about N records, as a busy site
//! would build it over many months: some 200 calls a shift with their dispatches,
//! work, callbacks and closures, the odd emergency run, and a signed handover at
//! 07:00 and 19:00. Every record goes through the rules like a real command, so
//! the store is one the desk could have written; only the per-command flush is
//! deferred to the end (see `Store::defer_durability`).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::Path;
use std::sync::Arc;

use chrono::{Duration, Utc};

use crate::clock::ManualClock;
use crate::config::site::Site;
use crate::datadir::DataDir;
use crate::desk::Desk;
use crate::domain::{Actor, Command, Department, Event, Kind, Lang, StepAction};
use crate::error::DeskError;

const OPERATORS: [&str; 4] = ["李娜", "王军", "张伟", "刘洋"];
const CALLS_PER_SHIFT: u64 = 200;
const SHIFT_MINUTES: i64 = 12 * 60;

/// A small deterministic generator (xorshift64*): the same N gives the same store.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const SUMMARIES: [(Kind, &str, &str); 16] = [
    (
        Kind::Repair,
        "Water leaking from the bathroom ceiling",
        "卫生间天花板漏水",
    ),
    (
        Kind::Repair,
        "No power in the flat, breaker will not reset",
        "家里停电，空开合不上",
    ),
    (Kind::Repair, "Kitchen drain blocked", "厨房下水道堵塞"),
    (
        Kind::Repair,
        "Corridor light out on this floor",
        "本层走廊灯不亮",
    ),
    (
        Kind::Repair,
        "Entrance door access card reader not working",
        "单元门禁刷卡失灵",
    ),
    (
        Kind::Repair,
        "Toilet cistern keeps running",
        "马桶水箱一直流水",
    ),
    (
        Kind::Complaint,
        "Loud music from the flat above",
        "楼上音乐声太大",
    ),
    (Kind::Complaint, "Dog barking for an hour", "狗叫了一个小时"),
    (
        Kind::Complaint,
        "A car is blocking my parking space",
        "车位被人占用",
    ),
    (
        Kind::Complaint,
        "Rubbish left in the stairwell",
        "楼道堆放垃圾",
    ),
    (
        Kind::Inquiry,
        "When will the water supply be restored?",
        "什么时候恢复供水？",
    ),
    (
        Kind::Inquiry,
        "How do I pay the property fee online?",
        "物业费怎么在线缴纳？",
    ),
    (
        Kind::Inquiry,
        "Is the parcel room open tonight?",
        "快递室今晚开门吗？",
    ),
    (
        Kind::Help,
        "Locked out, needs the spare key",
        "钥匙锁在家里，需要帮忙",
    ),
    (
        Kind::Help,
        "Elderly neighbour not answering the door",
        "独居老人敲门无应答",
    ),
    (
        Kind::Help,
        "Stuck car at the garage barrier",
        "车库道闸卡住车辆",
    ),
];

const NAMES: [&str; 10] = [
    "陈建国",
    "刘芳",
    "赵磊",
    "孙丽",
    "周强",
    "吴敏",
    "郑浩",
    "王秀英",
    "黄涛",
    "林静",
];
const PLANS: [&str; 4] = ["elevator-entrapment", "power-cut", "flooding", "injury"];

/// What happens to a ticket next, and when (minutes since the start).
enum Next {
    Dispatch(String, Kind),
    Start(String),
    Done(String),
    Callback(String, bool),
    Close(String),
}

/// Builds a store of at least `records` records in `dir` (which must hold no
/// store). Returns the number of records written (for tests and benches; the
/// CLI uses [`build`] to show the warnings too).
pub fn generate(dir: &Path, records: u64, lang: Lang) -> Result<u64, DeskError> {
    build(dir, records, lang).map(|l| l.records)
}

/// As [`generate`], with the warnings of the handovers whose files could not be written.
pub fn build(dir: &Path, records: u64, lang: Lang) -> Result<super::Loaded, DeskError> {
    let data = DataDir(dir.to_path_buf());
    if data.store().exists() {
        return Err(DeskError::Refused(crate::domain::Refusal::StoreExists {
            dir: dir.display().to_string(),
            generate: true,
        }));
    }
    crate::fsx::perms::create_dir_all(dir)
        .map_err(|e| DeskError::storage(&format!("create {}", dir.display()), e))?;
    std::fs::write(data.site(), super::DEMO_SITE)
        .map_err(|e| DeskError::storage(&format!("write {}", data.site().display()), e))?;
    let site = Site::load(dir)?;
    let units: Vec<String> = site.units().collect();
    // About six records per call: work out how many shifts that takes, and start
    // that long ago so the generated history ends now.
    let shifts = records * 10 / (CALLS_PER_SHIFT * 65) + 1;
    let start = Utc::now() - Duration::minutes(shifts as i64 * SHIFT_MINUTES + 60);
    let clock = ManualClock::new(start);
    let mut desk = Desk::open(dir, Arc::new(clock.clone()))?;
    desk.defer_durability(true)?;
    let user = crate::domain::identity::current_unix_user();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ records);
    let mut queue: BinaryHeap<Reverse<(i64, u64)>> = BinaryHeap::new();
    let mut pending: std::collections::HashMap<u64, (Next, String)> =
        std::collections::HashMap::new();
    let mut next_key = 0u64;
    let mut shift_no = 0usize;
    let mut minute: i64 = 0;
    while desk.head().seq < records {
        let shift_end = (shift_no as i64 + 1) * SHIFT_MINUTES;
        let operator = OPERATORS[shift_no % OPERATORS.len()].to_string();
        let actor = Actor::new(operator.clone(), user.clone());
        clock.set(start + Duration::minutes(minute));
        if shift_no > 0 {
            let prev = Actor::new(OPERATORS[(shift_no - 1) % OPERATORS.len()], user.clone());
            let cmd = Command::ShiftHandover {
                to: operator.clone(),
                note: Some(match lang {
                    Lang::En => "Open items in the queue; see the report.".into(),
                    Lang::Zh => "未完成事项见队列与交接报告。".into(),
                }),
                reason: Some("generated history".into()),
            };
            desk.submit(&prev, &cmd, None)?;
            desk.submit(&actor, &Command::ShiftAccept, None)?;
        }
        // Calls arrive through the shift; follow-ups are queued at their own times.
        let mut arrivals: Vec<i64> = (0..CALLS_PER_SHIFT)
            .map(|_| minute + rng.below(SHIFT_MINUTES as u64) as i64)
            .collect();
        arrivals.sort_unstable();
        let mut arrivals = arrivals.into_iter().peekable();
        loop {
            let next_due = queue
                .peek()
                .map(|Reverse((t, _))| *t)
                .filter(|t| *t < shift_end);
            let next_call = arrivals.peek().copied();
            let (t, is_call) = match (next_call, next_due) {
                (Some(c), Some(d)) if c <= d => (c, true),
                (Some(c), None) => (c, true),
                (_, Some(d)) => (d, false),
                (None, None) => break,
            };
            clock.set(start + Duration::minutes(t) + Duration::seconds(rng.below(60) as i64));
            if is_call {
                arrivals.next();
                let (kind, en, zh) = *rng.pick(&SUMMARIES);
                let unit = rng.pick(&units).clone();
                let anonymous = rng.below(20) == 0;
                let c = desk.submit(
                    &actor,
                    &Command::Call {
                        unit,
                        kind,
                        priority: None,
                        caller: if anonymous {
                            None
                        } else {
                            Some(rng.pick(&NAMES).to_string())
                        },
                        phone: Some(format!("13{:09}", rng.below(1_000_000_000))),
                        summary: if lang == Lang::Zh {
                            zh.into()
                        } else {
                            en.into()
                        },
                        anonymous,
                    },
                    None,
                )?;
                if let Some(id) = c.records.iter().find_map(|r| match &r.body.event {
                    Event::TicketOpened { id, .. } => Some(id.0.clone()),
                    _ => None,
                }) {
                    let at = t + 1 + rng.below(8) as i64;
                    schedule(
                        &mut queue,
                        &mut pending,
                        &mut next_key,
                        at,
                        Next::Dispatch(id, kind),
                        operator.clone(),
                    );
                }
                // About one emergency every ten shifts.
                if rng.below(CALLS_PER_SHIFT * 10) == 0 {
                    let ticket = emergency(&mut desk, &actor, &clock, &mut rng, start, t)?;
                    if let Some(id) = ticket {
                        schedule(
                            &mut queue,
                            &mut pending,
                            &mut next_key,
                            t + 2,
                            Next::Dispatch(id, Kind::Emergency),
                            operator.clone(),
                        );
                    }
                }
            } else if let Some(Reverse((_, key))) = queue.pop() {
                let Some((next, _)) = pending.remove(&key) else {
                    continue;
                };
                let (cmd, then) = match next {
                    Next::Dispatch(id, kind) => {
                        let to = match kind {
                            Kind::Complaint => Department::Security,
                            Kind::Inquiry | Kind::Help => Department::CustomerService,
                            _ => Department::Engineering,
                        };
                        (
                            Command::Dispatch {
                                id: id.clone(),
                                to,
                                note: None,
                            },
                            Some((5 + rng.below(30), Next::Start(id))),
                        )
                    }
                    Next::Start(id) => (
                        Command::Start { id: id.clone() },
                        Some((15 + rng.below(90), Next::Done(id))),
                    ),
                    Next::Done(id) => (
                        Command::Done {
                            id: id.clone(),
                            note: None,
                        },
                        Some((30 + rng.below(180), Next::Callback(id, rng.below(12) != 0))),
                    ),
                    Next::Callback(id, ok) => (
                        Command::Callback {
                            id: id.clone(),
                            satisfied: ok,
                            note: None,
                        },
                        if ok {
                            Some((1, Next::Close(id)))
                        } else {
                            Some((10, Next::Dispatch(id, Kind::Repair)))
                        },
                    ),
                    Next::Close(id) => (Command::Close { id, note: None }, None),
                };
                // A move the rules refuse (the ticket moved on another way) is simply dropped.
                if desk.submit(&actor, &cmd, None).is_ok() {
                    if let Some((after, n)) = then {
                        schedule(
                            &mut queue,
                            &mut pending,
                            &mut next_key,
                            t + after as i64,
                            n,
                            operator.clone(),
                        );
                    }
                }
            }
            if desk.head().seq >= records {
                break;
            }
        }
        minute = shift_end;
        shift_no += 1;
    }
    desk.defer_durability(false)?;
    // The latest handovers get their files (written from the log, as the desk
    // does); the generated history before them has none, as if they were archived.
    let warnings = crate::export::evidence::attach(&mut desk);
    Ok(super::Loaded {
        records: desk.head().seq,
        warnings,
    })
}

fn schedule(
    queue: &mut BinaryHeap<Reverse<(i64, u64)>>,
    pending: &mut std::collections::HashMap<u64, (Next, String)>,
    next_key: &mut u64,
    at: i64,
    next: Next,
    operator: String,
) {
    *next_key += 1;
    pending.insert(*next_key, (next, operator));
    queue.push(Reverse((at, *next_key)));
}

/// Runs a plan through: every step done within the hour, then closed. (No report
/// file is claimed: the handover records the override reason instead.)
fn emergency(
    desk: &mut Desk,
    actor: &Actor,
    clock: &ManualClock,
    rng: &mut Rng,
    start: chrono::DateTime<Utc>,
    t: i64,
) -> Result<Option<String>, DeskError> {
    let plan = rng.pick(&PLANS).to_string();
    let c = desk.submit(
        actor,
        &Command::EmergencyStart {
            plan,
            location: Some("3-1102".into()),
            ticket: None,
        },
        None,
    )?;
    let Some((run, steps, ticket)) = c.records.iter().find_map(|r| match &r.body.event {
        Event::EmergencyStarted {
            run, steps, ticket, ..
        } => Some((run.clone(), steps.len(), ticket.0.clone())),
        _ => None,
    }) else {
        return Ok(None);
    };
    for step in 1..=steps as u32 {
        clock.set(start + Duration::minutes(t + i64::from(step) * 3));
        desk.submit(
            actor,
            &Command::EmergencyStep {
                run: run.clone(),
                step,
                action: StepAction::Done { value: None },
                note: None,
            },
            None,
        )?;
    }
    desk.submit(actor, &Command::EmergencyClose { run }, None)?;
    Ok(Some(ticket))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TicketState;

    #[test]
    fn a_generated_history_reopens_with_shifts_and_every_kind_of_ticket() {
        let dir = tempfile::tempdir().unwrap();
        let n = generate(dir.path(), 3000, Lang::Zh).unwrap();
        assert!(n >= 3000);
        // Reopening replays and checks the whole chain.
        let desk = Desk::open(dir.path(), Arc::new(crate::clock::SystemClock)).unwrap();
        let st = desk.state();
        assert_eq!(st.seq, n);
        assert!(
            st.shifts.all.len() >= 2,
            "handovers happen at 07:00 and 19:00"
        );
        assert!(st.shifts.all.iter().skip(1).all(|s| s.from_shift.is_some()));
        let closed = st
            .tickets
            .values()
            .filter(|t| t.state == TicketState::Closed)
            .count();
        assert!(
            closed > 100,
            "most calls are followed to closure, got {closed}"
        );
        assert!(
            st.tickets.values().any(|t| t.reopen_count > 0),
            "some callbacks are unsatisfied"
        );
        assert!(
            generate(dir.path(), 10, Lang::En).is_err(),
            "never over an existing store"
        );
    }
}
