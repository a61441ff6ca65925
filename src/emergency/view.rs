//! A run as a screen or a report shows it at a given moment: each step with its
//! state and, where the plan sets one, how its deadline stands. The CLI (`show`,
//! `list`), the incident report and the dashboard's runner all read runs through
//! this, so they never disagree on whether a deadline was met.

use serde_json::{json, Value};

use crate::domain::StepSnapshot;
use crate::state::{Run, StepProgress, StepState};
use crate::store::record::rfc3339;

const MINUTE_US: i64 = 60_000_000;

/// How a step's deadline stands. Seconds are whole and never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// Pending, due in `seconds`.
    Running { due_us: i64, seconds: i64 },
    /// Pending, `seconds` past due (for a closed run: it closed with the step pending).
    Overdue { due_us: i64, seconds: i64 },
    /// Done `seconds` before the deadline (0: right on it).
    Met { due_us: i64, seconds: i64 },
    /// Done `seconds` after the deadline.
    Missed { due_us: i64, seconds: i64 },
    /// Skipped: the deadline no longer applies.
    Skipped { due_us: i64 },
}

impl Deadline {
    /// Of a step at `now_us` (for a closed run, pass its closing time).
    pub fn of(run: &Run, step: &StepSnapshot, p: &StepProgress, now_us: i64) -> Option<Deadline> {
        let minutes = step.deadline_minutes?;
        let due_us = run.started_at_us + i64::from(minutes) * MINUTE_US;
        let secs = |us: i64| us.max(0) / 1_000_000;
        Some(match (p.state, p.at_us) {
            (StepState::Done, Some(at)) if at <= due_us => Deadline::Met {
                due_us,
                seconds: secs(due_us - at),
            },
            (StepState::Done, Some(at)) => Deadline::Missed {
                due_us,
                seconds: secs(at - due_us),
            },
            (StepState::Skipped, _) => Deadline::Skipped { due_us },
            _ if now_us <= due_us => Deadline::Running {
                due_us,
                seconds: secs(due_us - now_us),
            },
            _ => Deadline::Overdue {
                due_us,
                seconds: secs(now_us - due_us),
            },
        })
    }

    /// The word scripts read: running, overdue, met, missed, skipped.
    pub fn as_str(&self) -> &'static str {
        match self {
            Deadline::Running { .. } => "running",
            Deadline::Overdue { .. } => "overdue",
            Deadline::Met { .. } => "met",
            Deadline::Missed { .. } => "missed",
            Deadline::Skipped { .. } => "skipped",
        }
    }

    /// Whether the deadline has been (or is being) missed: what turns a countdown red.
    pub fn is_missed(&self) -> bool {
        matches!(self, Deadline::Overdue { .. } | Deadline::Missed { .. })
    }

    pub fn due_us(&self) -> i64 {
        match *self {
            Deadline::Running { due_us, .. }
            | Deadline::Overdue { due_us, .. }
            | Deadline::Met { due_us, .. }
            | Deadline::Missed { due_us, .. }
            | Deadline::Skipped { due_us } => due_us,
        }
    }

    /// Seconds to go (running), early (met) or late (overdue, missed); 0 when skipped.
    pub fn seconds(&self) -> i64 {
        match *self {
            Deadline::Running { seconds, .. }
            | Deadline::Overdue { seconds, .. }
            | Deadline::Met { seconds, .. }
            | Deadline::Missed { seconds, .. } => seconds,
            Deadline::Skipped { .. } => 0,
        }
    }
}

/// One step as shown: its number (from 1), the plan's words and what was done.
#[derive(Debug, Clone)]
pub struct StepView<'a> {
    pub n: u32,
    pub step: &'a StepSnapshot,
    pub progress: &'a StepProgress,
    pub deadline: Option<Deadline>,
    /// The first pending step: the one the runner highlights.
    pub current: bool,
}

/// A run seen at a moment.
#[derive(Debug, Clone)]
pub struct RunView<'a> {
    pub run: &'a Run,
    /// The moment of the view: `now`, or the closing time of a closed run.
    pub at_us: i64,
    pub elapsed_seconds: i64,
    pub steps: Vec<StepView<'a>>,
}

impl<'a> RunView<'a> {
    /// The run as it stands at `now_us`. A closed run is frozen at its close.
    pub fn at(run: &'a Run, now_us: i64) -> RunView<'a> {
        let at_us = run.closed_at_us.unwrap_or(now_us);
        let current = run.current_step();
        let steps = run
            .steps
            .iter()
            .zip(&run.progress)
            .enumerate()
            .map(|(i, (step, progress))| StepView {
                n: i as u32 + 1,
                step,
                progress,
                deadline: Deadline::of(run, step, progress, at_us),
                current: current == Some(i as u32 + 1),
            })
            .collect();
        RunView {
            run,
            at_us,
            elapsed_seconds: (at_us - run.started_at_us).max(0) / 1_000_000,
            steps,
        }
    }

    pub fn count(&self, state: StepState) -> usize {
        self.steps
            .iter()
            .filter(|s| s.progress.state == state)
            .count()
    }

    /// Steps whose deadline is missed or overdue.
    pub fn missed_deadlines(&self) -> Vec<u32> {
        self.steps
            .iter()
            .filter(|s| s.deadline.is_some_and(|d| d.is_missed()))
            .map(|s| s.n)
            .collect()
    }

    /// The pending deadline due soonest, for a countdown in a banner.
    pub fn next_deadline(&self) -> Option<(u32, Deadline)> {
        self.steps
            .iter()
            .filter_map(|s| match s.deadline {
                Some(d @ (Deadline::Running { .. } | Deadline::Overdue { .. })) => Some((s.n, d)),
                _ => None,
            })
            .min_by_key(|(_, d)| d.due_us())
    }

    /// The shape `emergency show --json` prints (and `list --json`, one per run).
    pub fn to_json(&self) -> Value {
        let r = self.run;
        json!({
            "id": r.id,
            "kind": r.plan,
            "name_en": r.name_en,
            "name_zh": r.name_zh,
            "state": if r.is_active() { "active" } else { "closed" },
            "location": r.location,
            "ticket": r.ticket.0,
            "started_at": rfc3339(r.started_at_us),
            "started_by": r.started_by,
            "closed_at": r.closed_at_us.map(rfc3339),
            "elapsed_seconds": self.elapsed_seconds,
            "current_step": r.current_step(),
            "report": r.report,
            "steps": self.steps.iter().map(step_json).collect::<Vec<_>>(),
            "notes": r.notes.iter().map(|n| json!({
                "at": rfc3339(n.at_us), "operator": n.operator, "text": n.text,
            })).collect::<Vec<_>>(),
        })
    }
}

fn step_json(s: &StepView) -> Value {
    let p = s.progress;
    json!({
        "n": s.n,
        "en": s.step.en,
        "zh": s.step.zh,
        "critical": s.step.critical,
        "role": s.step.role,
        "contact": s.step.contact,
        "phone": s.step.contact_phone,
        "record_en": s.step.record_en,
        "record_zh": s.step.record_zh,
        "state": state_str(p.state),
        "at": p.at_us.map(rfc3339),
        "operator": p.operator,
        "value": p.value,
        "reason": p.reason,
        "note": p.note,
        "overridden": p.overridden,
        "deadline_minutes": s.step.deadline_minutes,
        "deadline": s.deadline.map(|d| json!({
            "due": rfc3339(d.due_us()),
            "status": d.as_str(),
            "seconds": d.seconds(),
        })),
    })
}

pub fn state_str(s: StepState) -> &'static str {
    match s {
        StepState::Pending => "pending",
        StepState::Done => "done",
        StepState::Skipped => "skipped",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TicketId;

    fn step(deadline: Option<u32>) -> StepSnapshot {
        StepSnapshot {
            en: "Call".into(),
            zh: "通知".into(),
            critical: true,
            role: "desk".into(),
            contact: None,
            contact_phone: None,
            deadline_minutes: deadline,
            record_en: None,
            record_zh: None,
        }
    }

    fn run(progress: Vec<StepProgress>) -> Run {
        Run {
            id: "EM1".into(),
            plan: "fire".into(),
            name_en: "Fire".into(),
            name_zh: "火灾".into(),
            location: None,
            ticket: TicketId("E001".into()),
            steps: progress.iter().map(|_| step(Some(3))).collect(),
            progress,
            notes: Vec::new(),
            started_at_us: 0,
            started_by: "王军".into(),
            shift: 1,
            closed_at_us: None,
            report: None,
            seqs: Vec::new(),
        }
    }

    fn done_at(minutes: i64) -> StepProgress {
        StepProgress {
            state: StepState::Done,
            at_us: Some(minutes * MINUTE_US),
            operator: Some("王军".into()),
            ..StepProgress::pending()
        }
    }

    #[test]
    fn deadlines_are_met_missed_running_or_overdue() {
        let r = run(vec![done_at(2), done_at(4), StepProgress::pending()]);
        let v = RunView::at(&r, MINUTE_US);
        assert!(matches!(
            v.steps[0].deadline,
            Some(Deadline::Met { seconds: 60, .. })
        ));
        assert!(matches!(
            v.steps[1].deadline,
            Some(Deadline::Missed { seconds: 60, .. })
        ));
        assert!(matches!(
            v.steps[2].deadline,
            Some(Deadline::Running { seconds: 120, .. })
        ));
        assert!(v.steps[2].current);
        assert_eq!(v.missed_deadlines(), vec![2]);
        let later = RunView::at(&r, 5 * MINUTE_US);
        assert_eq!(later.missed_deadlines(), vec![2, 3]);
        assert_eq!(later.next_deadline().map(|(n, _)| n), Some(3));
        assert_eq!(later.to_json()["steps"][2]["deadline"]["status"], "overdue");
    }

    #[test]
    fn a_closed_run_is_frozen_at_its_close() {
        let mut r = run(vec![StepProgress::pending()]);
        r.closed_at_us = Some(MINUTE_US);
        let v = RunView::at(&r, 60 * MINUTE_US);
        assert_eq!(v.elapsed_seconds, 60);
        assert_eq!(v.steps[0].deadline.map(|d| d.as_str()), Some("running"));
        assert_eq!(v.to_json()["state"], "closed");
    }
}
