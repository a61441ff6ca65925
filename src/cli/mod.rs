//! The command line: parses arguments, talks to the desk through the seam, and
//! turns every error into one clear sentence and an exit code.

pub mod args;
pub mod connect;
pub mod demo;
pub mod emergency;
pub mod export;
pub mod group;
pub mod render;
pub mod serve;
pub mod shift;
pub mod tickets;

use std::io::Write;

use clap::Parser;

pub use args::{Cli, Cmd};

use crate::domain::Lang;
use crate::error::DeskError;

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => 0,
                _ => 2,
            };
        }
    };
    let lang = lang_of(&cli).unwrap_or_default();
    let _ = LANG.set(lang);
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "dutydesk: {}", render::error(&e, lang));
            e.exit_code()
        }
    }
}

pub fn lang_of(cli: &Cli) -> Result<Lang, DeskError> {
    match &cli.lang {
        Some(l) => l
            .parse()
            .map_err(|e: String| DeskError::invalid("--lang", e)),
        None => Ok(Lang::from_env()),
    }
}

fn run(cli: Cli) -> Result<i32, DeskError> {
    let lang = lang_of(&cli)?;
    let Some(cmd) = &cli.command else {
        let api = connect::open(&cli)?;
        let clock = crate::clock::from_env().map_err(|e| DeskError::invalid("DUTYDESK_NOW", e))?;
        return crate::tui::run::run(api, clock, lang, connect::data_dir(&cli).ok());
    };
    match cmd {
        Cmd::Verify { file } => crate::export::verify::run(file),
        Cmd::Demo { no_tui, generate } => demo::run(&cli, lang, *no_tui, *generate),
        Cmd::Recover { out } => {
            let from = connect::data_dir(&cli)?;
            // Not into the live store, whose files recover is reading.
            crate::fsx::guard::check_dir(
                out,
                &crate::datadir::DataDir(from.clone()).kept(),
                "--out",
            )?;
            let r = crate::store::recover::recover(&from, out)?;
            print!("{}", recover_summary(&r, out));
            println!("next: check it with `dutydesk --data {} doctor`, then use it in place of the damaged one", out.display());
            Ok(0)
        }
        Cmd::Doctor { json } => {
            let dir = connect::data_dir(&cli)?;
            // A desk that does not open is diagnosed, not a reason to stop.
            let mut opened = connect::open(&cli);
            let api = match &mut opened {
                Ok(api) => Ok(api.as_mut()),
                Err(e) => Err(e.clone()),
            };
            let owner = crate::doctor::owner_status(&dir);
            let report = crate::doctor::examine(&dir, api, owner);
            if *json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                );
            } else {
                print!("{}", crate::doctor::render(&report));
            }
            Ok(if report.healthy() { 0 } else { 1 })
        }
        Cmd::Group(args) => group::run(args, lang),
        Cmd::Emergency { cmd } => {
            let mut api = connect::open(&cli)?;
            emergency::run(api.as_mut(), cmd, lang, &connect::data_dir(&cli)?)
        }
        Cmd::Shift { cmd } => shift::run(connect::open(&cli)?.as_mut(), cmd),
        Cmd::Export(_) | Cmd::Stats { .. } => export::run(
            connect::open(&cli)?.as_mut(),
            cmd,
            &connect::data_dir(&cli)?,
        ),
        Cmd::Serve {
            background,
            idle_exit,
        } => serve::run(&cli, *background, *idle_exit),
        _ => {
            let mut api = connect::open(&cli)?;
            tickets::run(api.as_mut(), cmd, lang)
        }
    }
}

/// What `recover` says: "all" only when every record up to the last acknowledged
/// one came back and the chain verified to its end.
fn recover_summary(r: &crate::store::recover::Recovery, out: &std::path::Path) -> String {
    let mut text = if r.is_complete() {
        format!(
            "recovered all {} records into {}: the whole chain verified\n",
            r.kept,
            out.display()
        )
    } else {
        format!("recovered records 1..{} into {}", r.kept, out.display())
    };
    if let Some((seq, why)) = &r.broken_at {
        text.push_str(&format!("; the chain breaks at record {seq}: {why}\n"));
        if let Some(f) = &r.unlinked_file {
            text.push_str(&format!(
                "{} later records could not be proved part of the chain; they are in {} for a person to read\n",
                r.unlinked,
                f.display()
            ));
        }
    } else if !r.is_complete() {
        text.push('\n');
    }
    if r.lost_acknowledged > 0 {
        text.push_str(&format!(
            "{} acknowledged records could not be brought back: the store had acknowledged up to record {}, \
             and no intact copy of the rest is left in its files or exports\n",
            r.lost_acknowledged,
            r.acknowledged.unwrap_or(0)
        ));
    }
    text
}

/// Opens the dashboard on a data directory.
pub fn open_dashboard(cli: &Cli, dir: &std::path::Path, lang: Lang) -> Result<i32, DeskError> {
    let clock = crate::clock::from_env().map_err(|e| DeskError::invalid("DUTYDESK_NOW", e))?;
    let api = connect::open_at(cli, dir)?;
    crate::tui::run::run(api, clock, lang, Some(dir.to_path_buf()))
}

/// Prints warnings on stderr, each on its own line.
pub fn warn(warnings: &[crate::domain::Warning]) {
    let lang = LANG.get().copied().unwrap_or_default();
    let mut err = std::io::stderr();
    for w in warnings {
        let label = if lang == Lang::Zh {
            "注意："
        } else {
            "warning: "
        };
        let _ = writeln!(err, "{label}{}", render::warning(w, lang));
    }
}

/// The language of this command's messages, set once from `--lang` or the locale.
static LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();
