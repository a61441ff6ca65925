//! The owner's log: one line per event in `DATA/dutydesk.log`, never on a terminal
//! (the terminal belongs to the TUI). A few lines an hour do not need a logging
//! framework; a mutex around an append-only file does.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use chrono::{SecondsFormat, Utc};

pub struct Log {
    file: Mutex<Option<File>>,
}

impl Log {
    /// Opens the log for appending. If it cannot be opened the owner still serves;
    /// losing the log must not stop the desk.
    pub fn open(path: &Path) -> Log {
        let file = crate::fsx::perms::open(path, OpenOptions::new().create(true).append(true)).ok();
        Log {
            file: Mutex::new(file),
        }
    }

    /// A log that writes nowhere (for owners run inside tests and benchmarks).
    pub fn none() -> Log {
        Log {
            file: Mutex::new(None),
        }
    }

    pub fn info(&self, msg: &str) {
        self.line("INFO", msg);
    }

    pub fn warn(&self, msg: &str) {
        self.line("WARN", msg);
    }

    pub fn error(&self, msg: &str) {
        self.line("ERROR", msg);
    }

    fn line(&self, level: &str, msg: &str) {
        let at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        if let Ok(mut guard) = self.file.lock() {
            if let Some(f) = guard.as_mut() {
                let _ = writeln!(f, "{at} {level} pid={} {msg}", std::process::id());
            }
        }
    }
}
