//! Starting an owner when none is alive (the tmux model): `dutydesk --data DIR
//! serve --background`, detached in its own session with stdio on /dev/null, so
//! it outlives the command that started it and never writes to its terminal.

use std::io::{Read, Seek, SeekFrom};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::datadir::DataDir;
use crate::error::DeskError;

/// A background owner being started; reaped by a thread once it is not needed.
pub struct Starter {
    child: Option<Child>,
    log: PathBuf,
    log_from: u64,
}

impl Starter {
    /// `create`: make the data directory if it does not exist (a first command on
    /// a new site). Reconnects pass false: a directory that vanished under a
    /// running client is not brought back by it.
    pub fn start(exe: &Path, dir: &Path, create: bool) -> Result<Starter, DeskError> {
        if create {
            crate::fsx::perms::create_dir_all(dir)
                .map_err(|e| DeskError::storage(&format!("create {}", dir.display()), e))?;
        } else if !dir.is_dir() {
            return Err(DeskError::Connection(format!(
                "the data directory {} is gone; no owner was started",
                dir.display()
            )));
        }
        let log = DataDir(dir.to_path_buf()).server_log();
        let log_from = std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
        let mut cmd = Command::new(exe);
        cmd.arg("--data")
            .arg(dir)
            .arg("serve")
            .arg("--background")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: setsid is async-signal-safe; it detaches the owner from our
        // terminal and process group, so a Ctrl-C or a closed SSH session that ends
        // this command does not end the owner serving everyone else.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
        let child = cmd.spawn().map_err(|e| {
            DeskError::Connection(format!(
                "could not start an owner process ({} serve): {e}",
                exe.display()
            ))
        })?;
        Ok(Starter {
            child: Some(child),
            log,
            log_from,
        })
    }

    /// The reason the owner we started could not start, if it exited with one.
    /// An exit with status 0 means another process won the election: no error.
    pub fn failed(&mut self) -> Option<DeskError> {
        let child = self.child.as_mut()?;
        let status = match child.try_wait() {
            Ok(Some(s)) => s,
            _ => return None,
        };
        self.child = None;
        if status.success() {
            return None;
        }
        let why = self
            .reason()
            .unwrap_or_else(|| format!("it exited with {status}; see {}", self.log.display()));
        Some(match status.code() {
            // The owner logged its error whole ("FIELD: reason"): it comes back as
            // that same error, not wrapped in a second field name.
            Some(2) => match why.split_once(": ") {
                Some((field, reason)) if !field.contains(' ') => DeskError::invalid(field, reason),
                _ => DeskError::invalid("--data", why),
            },
            Some(6) => DeskError::Locked(why),
            Some(7) => DeskError::Damaged(why),
            Some(8) => DeskError::Storage(why),
            Some(9) => DeskError::Config(why),
            // Killed (an operator, the OOM killer): it started, then was stopped.
            None => DeskError::Connection(format!(
                "the owner process was stopped by signal {} before it answered; see {}",
                status.signal().unwrap_or(0),
                self.log.display()
            )),
            _ => DeskError::Connection(format!("the owner process could not start: {why}")),
        })
    }

    /// The owner's own words, from the lines it logged since we started it.
    fn reason(&self) -> Option<String> {
        let mut f = std::fs::File::open(&self.log).ok()?;
        f.seek(SeekFrom::Start(self.log_from)).ok()?;
        let mut text = String::new();
        f.read_to_string(&mut text).ok()?;
        text.lines().rev().find_map(|l| {
            l.split_once("could not start: ")
                .map(|(_, w)| w.to_string())
        })
    }
}

impl Drop for Starter {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // The owner runs on; a thread waits for it so it leaves no zombie.
            let _ = std::thread::Builder::new()
                .name("dutydesk-reaper".into())
                .spawn(move || {
                    let _ = child.wait();
                });
        }
    }
}
