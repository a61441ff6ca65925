//! `dutydesk demo`: loads the demo evening (or generates a large store) with
//! `crate::demo`, shows its warnings and opens the dashboard on it.

use std::path::PathBuf;

use chrono::Utc;

use crate::cli::{open_dashboard, warn, Cli};
use crate::domain::Lang;
use crate::error::DeskError;

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
        let written = crate::demo::generate::build(&dir, n, lang)?;
        warn(&written.warnings);
        let written = written.records;
        eprintln!(
            "generated {written} records in {:.1} s into {}",
            started.elapsed().as_secs_f64(),
            dir.display()
        );
        println!("{}", dir.display());
        return Ok(0);
    }
    // Opened on a dashboard, the evening's shift is handed over to whoever tries
    // it, so a newcomer can sign and hand over as themselves.
    let loaded = if no_tui {
        crate::demo::load(&dir, lang)?
    } else {
        let me = crate::cli::connect::actor(cli)?.operator;
        crate::demo::load_for(&dir, lang, &me)?
    };
    warn(&loaded.warnings);
    let n = loaded.records;
    eprintln!(
        "demo: Riverside Gardens 滨江花园, an evening of {n} records, loaded into {}",
        dir.display()
    );
    eprintln!("      to use it again: dutydesk --data {}", dir.display());
    if no_tui {
        println!("{}", dir.display());
        return Ok(0);
    }
    open_dashboard(cli, &dir, lang)
}
