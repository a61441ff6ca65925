//! `dutydesk serve`: become the owner of the data directory and serve the other
//! dutydesk processes until stopped (or, with `--background`, until idle).

use std::io::Write;
use std::time::Duration;

use crate::cli::connect::data_dir;
use crate::cli::Cli;
use crate::datadir::owner_pid;
use crate::error::DeskError;
use crate::server::owner::IDLE_EXIT;
use crate::server::{elect, serve, ServeOptions};

pub fn run(cli: &Cli, background: bool, idle_exit: Option<u64>) -> Result<i32, DeskError> {
    let dir = data_dir(cli)?;
    let elected = elect(&dir).inspect_err(|e| {
        // A background owner has no terminal: the client points at the log.
        crate::server::log::Log::open(&crate::datadir::DataDir(dir.clone()).server_log())
            .error(&format!("could not start: {e}"));
    })?;
    let Some(lock) = elected else {
        if background {
            // Started on demand while another owner came up: it serves; nothing to do.
            return Ok(0);
        }
        return Err(DeskError::Locked(format!(
            "another dutydesk owner is already serving {}{}; stop it first, or just use it",
            dir.display(),
            owner_pid(&dir)
                .map(|p| format!(" (pid {p})"))
                .unwrap_or_default()
        )));
    };
    // sled creates files of its own while it runs (snapshots): with this umask they
    // get the data directory's modes too, whatever umask the operator has.
    crate::fsx::perms::umask_for(&dir);
    let idle = match (idle_exit, background) {
        (Some(s), _) => Some(Duration::from_secs(s.max(1))),
        (None, true) => Some(IDLE_EXIT),
        (None, false) => None,
    };
    if !background {
        let _ = writeln!(
            std::io::stdout(),
            "dutydesk: serving {} (log: {})",
            dir.display(),
            crate::datadir::DataDir(dir.clone()).server_log().display()
        );
    }
    serve(
        &dir,
        lock,
        ServeOptions {
            idle_exit: idle,
            log: true,
            limits: Default::default(),
        },
    )?;
    Ok(0)
}
