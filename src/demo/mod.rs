//! `dutydesk demo`: a realistic evening at the demo site, loaded into a fresh store.
//!
//! The script (`fixtures/demo/evening.toml`) gives each action in minutes after
//! 19:00; the loader plays it on a manual clock anchored so that the evening ends
//! a few minutes before now, so ages and countdowns on screen are live.

pub mod generate;
pub mod script;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Duration, Utc};

use crate::cli::Cli;
use crate::clock::ManualClock;
use crate::desk::{DataDir, Desk};
use crate::domain::Lang;
use crate::error::DeskError;

pub use crate::config::site::DEMO_SITE;
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
    let clock = ManualClock::new(start);
    let mut desk = Desk::open(dir, Arc::new(clock.clone()))?;
    // The evening's handovers leave their files, as at a real desk.
    crate::cli::warn(&crate::export::evidence::attach(&mut desk));
    script.play(&mut desk, &clock, start, lang)?;
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
