//! `dutydesk demo`: a realistic evening at the demo site, loaded into a fresh store.
//!
//! The script (`fixtures/demo/evening.toml`) gives each action in minutes after
//! 19:00; the loader plays it on a manual clock anchored so that the evening ends
//! a few minutes before now, so ages and countdowns on screen are live.

pub mod generate;
pub mod script;

use std::path::Path;
use std::sync::Arc;

use chrono::{Duration, Offset, TimeZone, Utc};

use crate::clock::ManualClock;
use crate::datadir::DataDir;
use crate::desk::Desk;
use crate::domain::Lang;
use crate::error::DeskError;

pub use crate::config::site::DEMO_SITE;
pub const EVENING: &str = include_str!("../../fixtures/demo/evening.toml");

/// What loading or generating left: the number of records, and warnings for the
/// operator (a handover whose files could not be written). The CLI shows them;
/// the demo itself knows no surface.
#[derive(Debug)]
pub struct Loaded {
    pub records: u64,
    pub warnings: Vec<crate::domain::Warning>,
}

/// Loads the demo into `dir` (which must hold no store yet).
pub fn load(dir: &Path, lang: Lang) -> Result<Loaded, DeskError> {
    let data = DataDir(dir.to_path_buf());
    if data.store().exists() {
        return Err(DeskError::Refused(crate::domain::Refusal::StoreExists {
            dir: dir.display().to_string(),
            generate: false,
        }));
    }
    crate::fsx::perms::create_dir_all(dir)
        .map_err(|e| DeskError::storage(&format!("create {}", dir.display()), e))?;
    std::fs::write(data.site(), DEMO_SITE)
        .map_err(|e| DeskError::storage(&format!("write {}", data.site().display()), e))?;
    let script = script::Script::parse(EVENING, Path::new("fixtures/demo/evening.toml"))?;
    let last = script.actions.last().map(|a| a.t).unwrap_or(0);
    // The evening ends a few minutes before now (DUTYDESK_NOW in tests).
    let now = crate::clock::from_env()
        .map_err(|e| DeskError::invalid("DUTYDESK_NOW", e))?
        .now();
    let start = now - Duration::minutes(i64::from(last) + 4);
    let offset = chrono::Local
        .offset_from_utc_datetime(&start.naive_utc())
        .fix();
    play_into(dir, &script, start, lang, offset)
}

/// As [`load`], then the operator on duty hands the shift over to `newcomer`
/// (the person trying the demo), so they can try the whole handover as
/// themselves: sign it (`S`), work the night, and hand it on (`h`).
pub fn load_for(dir: &Path, lang: Lang, newcomer: &str) -> Result<Loaded, DeskError> {
    let mut loaded = load(dir, lang)?;
    let now = crate::clock::from_env()
        .map_err(|e| DeskError::invalid("DUTYDESK_NOW", e))?
        .now();
    let mut desk = Desk::open(dir, Arc::new(ManualClock::new(now)))?;
    loaded
        .warnings
        .extend(crate::export::evidence::attach(&mut desk));
    let Some(on_duty) = desk.state().shifts.current().map(|s| s.operator.clone()) else {
        return Ok(loaded);
    };
    if on_duty == newcomer.trim() {
        return Ok(loaded);
    }
    let (note, reason) = match lang {
        Lang::En => (
            "Welcome to the night shift: sign with S, then hand over with h when you are done",
            "EM1 is still running; handed over with it for the demo",
        ),
        Lang::Zh => (
            "欢迎接班：按 S 签收，下班时按 h 交班",
            "EM1 仍在处置中；演示中随班移交",
        ),
    };
    let done = desk.submit(
        &crate::domain::Actor::new(on_duty, "demo"),
        &crate::domain::Command::ShiftHandover {
            to: newcomer.trim().to_string(),
            note: Some(note.into()),
            reason: Some(reason.into()),
        },
        None,
    )?;
    loaded.records = desk.head().seq;
    loaded.warnings.extend(done.warnings);
    Ok(loaded)
}

/// Plays the evening into `dir` from `start` (the script's 19:00), its texts'
/// times told in `offset`, the site's time zone.
fn play_into(
    dir: &Path,
    script: &script::Script,
    start: chrono::DateTime<Utc>,
    lang: Lang,
    offset: chrono::FixedOffset,
) -> Result<Loaded, DeskError> {
    let clock = ManualClock::new(start);
    let mut desk = Desk::open(dir, Arc::new(clock.clone()))?;
    // The evening's handovers leave their files, as at a real desk.
    let warnings = crate::export::evidence::attach(&mut desk);
    script.play(&mut desk, &clock, start, lang, offset)?;
    Ok(Loaded {
        records: desk.head().seq,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use chrono::{FixedOffset, TimeZone, Timelike, Utc};

    use super::*;

    /// Issue 12: a newcomer trying the demo can sign the evening's handover as
    /// themselves and then hand the shift on.
    #[test]
    fn a_newcomer_signs_the_demo_handover_and_hands_the_shift_on() {
        use crate::domain::{Actor, Command};
        let dir = tempfile::tempdir().unwrap();
        load_for(dir.path(), Lang::En, "Newcomer").unwrap();
        let clock = ManualClock::new(Utc::now() + Duration::minutes(5));
        let mut desk = Desk::open(dir.path(), Arc::new(clock)).unwrap();
        crate::export::evidence::attach(&mut desk);
        let waiting = desk.state().shifts.awaiting_signature().unwrap().clone();
        assert_eq!(waiting.operator, "Newcomer");
        let me = Actor::new("Newcomer", "newcomer");
        desk.submit(&me, &Command::ShiftAccept, None).unwrap();
        let cur = desk.state().shifts.current().unwrap();
        assert!(cur.accepted && cur.operator == "Newcomer");
        desk.submit(
            &me,
            &Command::ShiftHandover {
                to: "李梅".into(),
                note: None,
                reason: Some("EM1 still running".into()),
            },
            None,
        )
        .unwrap();
        assert_eq!(
            desk.state().shifts.awaiting_signature().unwrap().operator,
            "李梅"
        );
    }
    use crate::domain::Event;

    #[test]
    fn the_notes_tell_the_times_their_records_have() {
        // Played at 13:58 local: the evening's 23:02 is then 07:22 in the morning.
        let dir = tempfile::tempdir().unwrap();
        let offset = FixedOffset::east_opt(8 * 3600).unwrap();
        let script = script::Script::parse(EVENING, Path::new("evening.toml")).unwrap();
        let start = Utc.with_ymd_and_hms(2026, 11, 24, 23, 20, 0).unwrap();
        play_into(dir.path(), &script, start, Lang::En, offset).unwrap();
        let desk = Desk::open(dir.path(), Arc::new(ManualClock::new(start))).unwrap();
        let mut checked = 0;
        for r in desk.store().records_from(1) {
            let r = r.unwrap();
            let note = match &r.body.event {
                Event::EmergencyStepDone { note: Some(n), .. } => n.clone(),
                _ => continue,
            };
            if !note.starts_with("Hengda called") && !note.starts_with("Technician on site") {
                continue;
            }
            let at = crate::store::record::time_of(r.body.at_us).with_timezone(&offset);
            let hhmm = format!("{:02}:{:02}", at.hour(), at.minute());
            assert!(note.contains(&hhmm), "{note:?} recorded at {hhmm}");
            checked += 1;
        }
        assert_eq!(checked, 2);
    }

    #[test]
    fn only_the_evenings_times_move() {
        let offset = FixedOffset::east_opt(8 * 3600).unwrap();
        // The script's 19:00 played at 07:00 local.
        let start = Utc.with_ymd_and_hms(2026, 11, 24, 23, 0, 0).unwrap();
        let t = script::evening_times(
            "called 23:02, inspect 09:00 tomorrow; 8:30–17:30",
            start,
            offset,
        );
        assert_eq!(t, "called 11:02, inspect 09:00 tomorrow; 8:30–17:30");
        assert_eq!(
            script::evening_times("23:02通知", start, offset),
            "11:02通知"
        );
        assert_eq!(
            script::evening_times("room 123:456", start, offset),
            "room 123:456"
        );
    }
}
