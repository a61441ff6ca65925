//! `dutydesk demo`: a realistic evening at the demo site, loaded into a fresh store.
//!
//! The script (`fixtures/demo/evening.toml`) gives each action in minutes after
//! 19:00; the loader plays it on a manual clock anchored so that the evening ends
//! a few minutes before now, so ages and countdowns on screen are live.

pub mod generate;
pub mod script;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Duration, Offset, TimeZone, Utc};

use crate::cli::Cli;
use crate::clock::ManualClock;
use crate::desk::{DataDir, Desk};
use crate::domain::Lang;
use crate::error::DeskError;

pub const DEMO_SITE: &str = include_str!("../../fixtures/demo/site.toml");
pub const EVENING: &str = include_str!("../../fixtures/demo/evening.toml");

/// Loads the demo into `dir` (which must hold no store yet). Returns the number of records.
pub fn load(dir: &Path, lang: Lang) -> Result<u64, DeskError> {
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

/// Plays the evening into `dir` from `start` (the script's 19:00), its texts'
/// times told in `offset`, the site's time zone.
fn play_into(
    dir: &Path,
    script: &script::Script,
    start: chrono::DateTime<Utc>,
    lang: Lang,
    offset: chrono::FixedOffset,
) -> Result<u64, DeskError> {
    let clock = ManualClock::new(start);
    let mut desk = Desk::open(dir, Arc::new(clock.clone()))?;
    // The evening's handovers leave their files, as at a real desk.
    crate::cli::warn(&crate::export::evidence::attach(&mut desk));
    script.play(&mut desk, &clock, start, lang, offset)?;
    Ok(desk.head().seq)
}

fn fresh_dir() -> PathBuf {
    let stamp = Utc::now().format("%Y%m%d-%H%M%S");
    std::env::temp_dir().join(format!("dutydesk-demo-{stamp}-{}", std::process::id()))
}

pub fn run(cli: &Cli, lang: Lang, no_tui: bool, generate: Option<u64>) -> Result<i32, DeskError> {
    let dir = cli.data.clone().unwrap_or_else(fresh_dir);
    if let Some(n) = generate {
        if n == 0 {
            return Err(DeskError::invalid(
                "--generate",
                "give the number of records to build, e.g. 1000000",
            ));
        }
        let started = std::time::Instant::now();
        let written = generate::generate(&dir, n, lang)?;
        eprintln!(
            "generated {written} records in {:.1} s into {}",
            started.elapsed().as_secs_f64(),
            dir.display()
        );
        println!("{}", dir.display());
        return Ok(0);
    }
    let n = load(&dir, lang)?;
    eprintln!(
        "demo: Riverside Gardens 滨江花园, an evening of {n} records, loaded into {}",
        dir.display()
    );
    eprintln!("      to use it again: dutydesk --data {}", dir.display());
    if no_tui {
        println!("{}", dir.display());
        return Ok(0);
    }
    crate::cli::open_dashboard(cli, &dir, lang)
}

#[cfg(test)]
mod tests {
    use chrono::{FixedOffset, TimeZone, Timelike, Utc};

    use super::*;
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
