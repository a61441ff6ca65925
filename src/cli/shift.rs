//! `dutydesk shift …`: open a shift, hand it over (writing its exports), sign or
//! refuse a handover, and show the current shift.

use std::io::Write;

use clap::Subcommand;
use serde_json::json;

use crate::cli::warn;
use crate::domain::{Command, Event};
use crate::error::DeskError;
use crate::seam::DeskApi;
use crate::state::Shift;
use crate::store::record::rfc3339;

#[derive(Debug, Subcommand)]
pub enum ShiftCmd {
    /// Open a shift for the operator (when none is open).
    Start,
    /// Close the current shift and open the next for NAME, who must sign it.
    /// The desk writes the shift's .jsonl, .csv and .md into DATA/exports/; prints their paths.
    Handover {
        /// The incoming operator.
        #[arg(long, value_name = "NAME")]
        to: String,
        /// The outgoing note: what the next shift must know.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Why to hand over despite an active emergency or a missing incident report.
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Sign the handover addressed to you (run as the incoming operator: --operator NAME).
    Accept,
    /// Decline to sign while something is unexplained; the outgoing operator stays responsible.
    Refuse {
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Take back a handover that is not signed yet (a wrong name, a refusal):
    /// your shift goes on and you can hand it over again.
    Withdraw {
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Show the current shift (--json: id, operator, started_at, accepted).
    Current {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(api: &mut dyn DeskApi, cmd: &ShiftCmd) -> Result<i32, DeskError> {
    let mut out = std::io::stdout().lock();
    match cmd {
        ShiftCmd::Current { json } => {
            let snap = api.snapshot()?;
            let shifts = &snap.state.shifts;
            let cur = shifts.current();
            if *json {
                let v = cur.map(|s| shift_json(s, shifts.responsible()));
                let _ = writeln!(out, "{}", v.unwrap_or(serde_json::Value::Null));
            } else {
                let _ = writeln!(out, "{}", describe(cur, shifts.responsible()));
            }
            Ok(0)
        }
        ShiftCmd::Start => {
            let c = api.submit(Command::ShiftStart, None)?;
            warn(&c.warnings);
            let snap = api.snapshot()?;
            let _ = writeln!(
                out,
                "{}",
                describe(snap.state.shifts.current(), snap.state.shifts.responsible())
            );
            Ok(0)
        }
        ShiftCmd::Handover { to, note, reason } => {
            let c = api.submit(
                Command::ShiftHandover {
                    to: to.clone(),
                    note: note.clone(),
                    reason: reason.clone(),
                },
                None,
            )?;
            warn(&c.warnings);
            let Some((from, to)) = c.records.iter().find_map(|r| match &r.body.event {
                Event::HandoverOffered { from_shift, to, .. } => Some((*from_shift, to.clone())),
                _ => None,
            }) else {
                return Err(DeskError::Internal(
                    "the handover produced no record".into(),
                ));
            };
            // The desk wrote the files and recorded them; when it could not, its
            // warning above says so and that the next command writes them.
            for r in &c.records {
                if let Event::ExportWritten { shift, paths } = &r.body.event {
                    for p in paths.iter().filter(|_| *shift == from) {
                        let _ = writeln!(out, "{p}");
                    }
                }
            }
            eprintln!(
                "shift {from} handed over to {to}; waiting for their signature: dutydesk --operator {to} shift accept"
            );
            Ok(0)
        }
        ShiftCmd::Withdraw { reason } => {
            let c = api.submit(
                Command::ShiftWithdraw {
                    reason: reason.clone(),
                },
                None,
            )?;
            warn(&c.warnings);
            let snap = api.snapshot()?;
            let _ = writeln!(
                out,
                "handover withdrawn; {}",
                describe(snap.state.shifts.current(), snap.state.shifts.responsible())
            );
            Ok(0)
        }
        ShiftCmd::Accept | ShiftCmd::Refuse { .. } => {
            let command = match cmd {
                ShiftCmd::Refuse { reason } => Command::ShiftRefuse {
                    reason: reason.clone(),
                },
                _ => Command::ShiftAccept,
            };
            let c = api.submit(command, None)?;
            warn(&c.warnings);
            let snap = api.snapshot()?;
            let shifts = &snap.state.shifts;
            let line = match c.records.last().map(|r| &r.body.event) {
                Some(Event::HandoverAccepted { shift, by }) => {
                    format!("shift {shift} signed by {by}, who is now responsible")
                }
                Some(Event::HandoverRefused { shift, by, .. }) => format!(
                    "handover of shift {shift} refused by {by}; {} stays responsible until it is signed",
                    shifts.responsible().unwrap_or("the outgoing operator")
                ),
                _ => describe(shifts.current(), shifts.responsible()),
            };
            let _ = writeln!(out, "{line}");
            Ok(0)
        }
    }
}

fn shift_json(s: &Shift, responsible: Option<&str>) -> serde_json::Value {
    json!({
        "id": s.id,
        "operator": s.operator,
        "started_at": rfc3339(s.started_at_us),
        "accepted": s.accepted,
        "from_shift": s.from_shift,
        "from_operator": s.from_operator,
        "responsible": responsible,
        "refusals": s.refusals.iter().map(|r| json!({
            "at": rfc3339(r.at_us), "by": r.by, "reason": r.reason,
        })).collect::<Vec<_>>(),
    })
}

fn describe(cur: Option<&Shift>, responsible: Option<&str>) -> String {
    let Some(s) = cur else {
        return "no shift is open (the next command opens one; or `shift start`)".into();
    };
    let state = if s.accepted {
        "signed".to_string()
    } else {
        format!(
            "HANDOVER WAITING for {}'s signature; {} stays responsible",
            s.operator,
            responsible.unwrap_or("the outgoing operator")
        )
    };
    format!(
        "shift {} · {} · started {} · {state}",
        s.id,
        s.operator,
        rfc3339(s.started_at_us)
    )
}
