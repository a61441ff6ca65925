//! The command line: parses arguments, talks to the desk through the seam, and
//! turns every error into one clear sentence and an exit code.

pub mod args;
pub mod connect;
pub mod serve;
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
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "dutydesk: {e}");
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
        return Err(DeskError::Internal(
            "the dashboard is not built into this binary yet; use a subcommand (see --help)".into(),
        ));
    };
    match cmd {
        Cmd::Verify { file } => crate::export::verify::run(file),
        Cmd::Demo { no_tui } => crate::demo::run(&cli, lang, *no_tui),
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

/// Opens the dashboard on a data directory.
pub fn open_dashboard(_cli: &Cli, dir: &std::path::Path, _lang: Lang) -> Result<i32, DeskError> {
    Err(DeskError::Internal(format!(
        "the dashboard is not built into this binary yet; the demo store is at {}",
        dir.display()
    )))
}

/// Prints warnings on stderr, each on its own line.
pub fn warn(warnings: &[String]) {
    let mut err = std::io::stderr();
    for w in warnings {
        let _ = writeln!(err, "warning: {w}");
    }
}
