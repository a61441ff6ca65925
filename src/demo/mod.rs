//! `dutydesk demo`: a realistic evening at the demo site, loaded into a fresh store.
//!
//! The script (`fixtures/demo/evening.toml`) gives each action in minutes after
//! 19:00; the loader plays it on a manual clock anchored so that the evening ends
//! a few minutes before now, so ages and countdowns on screen are live.

pub mod generate;
pub mod script;

use std::path::Path;
use std::sync::Arc;

use chrono::Duration;

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
    let clock = ManualClock::new(start);
    let mut desk = Desk::open(dir, Arc::new(clock.clone()))?;
    // The evening's handovers leave their files, as at a real desk.
    let warnings = crate::export::evidence::attach(&mut desk);
    script.play(&mut desk, &clock, start, lang)?;
    Ok(Loaded {
        records: desk.head().seq,
        warnings,
    })
}
