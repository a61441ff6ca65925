//! Reaching the desk for a command: the data directory, who is acting, and the
//! handle through the seam.

use std::path::PathBuf;

use crate::cli::Cli;
use crate::domain::identity::{current_unix_user, operator_name};
use crate::domain::Actor;
use crate::error::DeskError;
use crate::seam::DeskApi;
use crate::server::{Client, ClientOptions};

/// `--data`, `DUTYDESK_DATA`, or the platform data directory.
pub fn data_dir(cli: &Cli) -> Result<PathBuf, DeskError> {
    if let Some(d) = &cli.data {
        return Ok(d.clone());
    }
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(x).join("dutydesk"));
    }
    match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        Some(h) => Ok(PathBuf::from(h).join(".local/share/dutydesk")),
        None => Err(DeskError::invalid(
            "--data",
            "no data directory: pass --data DIR or set DUTYDESK_DATA",
        )),
    }
}

/// The person acting: `--operator` (or `DUTYDESK_OPERATOR`), else the login name.
pub fn actor(cli: &Cli) -> Result<Actor, DeskError> {
    let unix_user = current_unix_user();
    // `--operator` or `DUTYDESK_OPERATOR` (clap reads both into the one field).
    let operator = match cli.operator.as_deref() {
        Some(name) => operator_name(name).map_err(|why| DeskError::invalid("--operator", why))?,
        None => unix_user.clone(),
    };
    Ok(Actor::new(operator, unix_user))
}

/// Opens the desk for this command: as a client of the process that owns the
/// store, starting that owner in the background first if none is alive.
pub fn open(cli: &Cli) -> Result<Box<dyn DeskApi>, DeskError> {
    open_at(cli, &data_dir(cli)?)
}

/// As [`open`], on a given data directory (the demo's fresh one).
pub fn open_at(cli: &Cli, dir: &std::path::Path) -> Result<Box<dyn DeskApi>, DeskError> {
    let dir = dir.to_path_buf();
    let requested = actor(cli)?;
    let mut opts = ClientOptions::new(dir);
    opts.operator = Some(requested.operator);
    opts.exe = std::env::current_exe().ok();
    opts.now = std::env::var("DUTYDESK_NOW")
        .ok()
        .filter(|v| !v.trim().is_empty());
    Ok(Box::new(Client::open(opts)?))
}
