//! The scripted evening: a list of operator actions replayed through the desk,
//! so the demo's log is made exactly as a real night's would be.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use serde::Deserialize;

use crate::clock::ManualClock;
use crate::config::parse_toml;
use crate::desk::Desk;
use crate::domain::{Actor, Command, Department, Kind, Lang, StepAction};
use crate::error::DeskError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub t: u32,
    pub operator: String,
    pub op: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub unit: Option<String>,
    pub kind: Option<Kind>,
    pub priority: Option<u8>,
    pub name: Option<String>,
    #[serde(default)]
    pub anonymous: bool,
    pub phone: Option<String>,
    pub summary_en: Option<String>,
    pub summary_zh: Option<String>,
    pub to: Option<Department>,
    pub satisfied: Option<bool>,
    pub note_en: Option<String>,
    pub note_zh: Option<String>,
    pub reason_en: Option<String>,
    pub reason_zh: Option<String>,
    pub plan: Option<String>,
    pub ticket: Option<String>,
    pub step: Option<u32>,
    #[serde(default)]
    pub skip: bool,
    pub value: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    #[serde(rename = "action")]
    pub actions: Vec<Action>,
}

fn pick(lang: Lang, en: &Option<String>, zh: &Option<String>) -> Option<String> {
    match lang {
        Lang::En => en.clone().or_else(|| zh.clone()),
        Lang::Zh => zh.clone().or_else(|| en.clone()),
    }
}

/// The script's texts give the evening's times as on a night starting at 19:00
/// ("Hengda called 23:02"); the demo is played so that it ends just before now,
/// so each such time is moved by the same amount as the records' times are.
/// Times outside the evening (19:00 to 03:00) are daytime references, such as
/// office hours or tomorrow's appointments, and stay as written.
pub fn evening_times(text: &str, start: DateTime<Utc>, offset: FixedOffset) -> String {
    const EVENING_MINUTES: i64 = 8 * 60;
    let chars: Vec<char> = text.chars().collect();
    let digit = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    let value = |from: usize, to: usize| -> i64 {
        chars[from..to]
            .iter()
            .filter_map(|c| c.to_digit(10))
            .fold(0, |n, d| n * 10 + i64::from(d))
    };
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        // H:MM or HH:MM with no digit on either side.
        let hour_len = if digit(i) && digit(i + 1) { 2 } else { 1 };
        let colon = i + hour_len;
        let is_time = digit(i)
            && (i == 0 || !digit(i - 1))
            && chars.get(colon) == Some(&':')
            && digit(colon + 1)
            && digit(colon + 2)
            && !digit(colon + 3);
        if is_time {
            let (h, m) = (value(i, colon), value(colon + 1, colon + 3));
            let minute_of_evening = (h * 60 + m - 19 * 60).rem_euclid(24 * 60);
            if h < 24 && m < 60 && minute_of_evening < EVENING_MINUTES {
                let at = start + Duration::minutes(minute_of_evening);
                out.push_str(&at.with_timezone(&offset).format("%H:%M").to_string());
                i = colon + 3;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

impl Script {
    pub fn parse(text: &str, file: &Path) -> Result<Script, DeskError> {
        parse_toml(text, file)
    }

    /// Plays every action at its time; a refused action is a broken script.
    pub fn play(
        &self,
        desk: &mut Desk,
        clock: &ManualClock,
        start: DateTime<Utc>,
        lang: Lang,
        offset: FixedOffset,
    ) -> Result<(), DeskError> {
        // Every text the operators typed tells the evening's times as recorded.
        let typed = |en: &Option<String>, zh: &Option<String>| {
            pick(lang, en, zh).map(|t| evening_times(&t, start, offset))
        };
        // Script refs name tickets and runs; the desk gives them their real ids.
        let mut ids: HashMap<String, String> = HashMap::new();
        let user = crate::domain::identity::current_unix_user();
        for (i, a) in self.actions.iter().enumerate() {
            clock.set(
                start + Duration::minutes(i64::from(a.t)) + Duration::seconds((i % 50) as i64),
            );
            let id = || ids.get(&a.reference).cloned().unwrap_or_default();
            let note = typed(&a.note_en, &a.note_zh);
            let cmd = match a.op.as_str() {
                "call" => Command::Call {
                    unit: a.unit.clone().unwrap_or_default(),
                    kind: a.kind.unwrap_or(Kind::Repair),
                    priority: a.priority,
                    caller: a.name.clone(),
                    phone: a.phone.clone(),
                    summary: typed(&a.summary_en, &a.summary_zh).unwrap_or_default(),
                    anonymous: a.anonymous,
                },
                "dispatch" => Command::Dispatch {
                    id: id(),
                    to: a.to.unwrap_or(Department::Engineering),
                    note,
                },
                "start" => Command::Start { id: id() },
                "done" => Command::Done { id: id(), note },
                "callback" => Command::Callback {
                    id: id(),
                    satisfied: a.satisfied.unwrap_or(true),
                    note,
                },
                "close" => Command::Close { id: id(), note },
                "cancel" => Command::Cancel {
                    id: id(),
                    reason: typed(&a.reason_en, &a.reason_zh).unwrap_or_default(),
                },
                "note" => Command::Note {
                    id: id(),
                    text: note.unwrap_or_default(),
                },
                "emergency-start" => Command::EmergencyStart {
                    plan: a.plan.clone().unwrap_or_default(),
                    location: a.unit.clone(),
                    ticket: a.ticket.as_ref().and_then(|r| ids.get(r).cloned()),
                },
                "emergency-step" => Command::EmergencyStep {
                    run: id(),
                    step: a.step.unwrap_or(0),
                    action: if a.skip {
                        StepAction::Skip {
                            reason: typed(&a.reason_en, &a.reason_zh).unwrap_or_default(),
                            over_ride: false,
                        }
                    } else {
                        StepAction::Done {
                            value: a.value.clone(),
                        }
                    },
                    note,
                },
                "emergency-note" => Command::EmergencyNote {
                    run: id(),
                    text: note.unwrap_or_default(),
                },
                other => {
                    return Err(DeskError::Config(format!(
                        "demo script action {}: unknown op '{other}'",
                        i + 1
                    )))
                }
            };
            let actor = Actor::new(a.operator.clone(), user.clone());
            let committed = desk.submit(&actor, &cmd, None).map_err(|e| {
                DeskError::Config(format!(
                    "demo script action {} ({} {}): {e}",
                    i + 1,
                    a.op,
                    a.reference
                ))
            })?;
            for r in &committed.records {
                match &r.body.event {
                    crate::domain::Event::TicketOpened { id, .. } if a.op == "call" => {
                        ids.insert(a.reference.clone(), id.0.clone());
                    }
                    crate::domain::Event::EmergencyStarted { run, .. } => {
                        ids.insert(a.reference.clone(), run.clone());
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }
}
