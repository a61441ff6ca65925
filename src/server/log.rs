//! The owner's log: one line per event in `DATA/dutydesk.log`, never on a terminal
//! (the terminal belongs to the TUI). A few lines an hour do not need a logging
//! framework; a mutex around an append-only file does.
//!
//! The log is bounded, because a hostile or broken client can cause events far
//! faster than anyone reads them: past [`MAX_BYTES`] the file becomes
//! `dutydesk.log.1` (replacing the one before) and a new one starts, and an
//! event that can repeat by the thousand (a failed accept, a refused client) is
//! written at most once a second, with how often it happened.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{SecondsFormat, Utc};

/// The size past which the log is rotated to `dutydesk.log.1`.
pub const MAX_BYTES: u64 = 1 << 20;
/// A repeating event is written at most once per this long.
pub const REPEAT_EVERY: Duration = Duration::from_secs(1);

/// Boxed: the owner passes a `Log` back with its start-up error.
pub struct Log(Box<Parts>);

struct Parts {
    inner: Mutex<Inner>,
    /// Per kind of repeating event: when it was last written, and how often it
    /// happened since.
    repeats: Mutex<HashMap<&'static str, (Option<Instant>, u64)>>,
}

struct Inner {
    file: Option<File>,
    path: Option<PathBuf>,
    written: u64,
    max: u64,
}

impl Log {
    /// Opens the log for appending. If it cannot be opened the owner still serves;
    /// losing the log must not stop the desk.
    pub fn open(path: &Path) -> Log {
        Log::open_bounded(path, MAX_BYTES)
    }

    /// As [`Log::open`], rotating past `max` bytes.
    pub fn open_bounded(path: &Path, max: u64) -> Log {
        let file = crate::fsx::perms::open(path, OpenOptions::new().create(true).append(true)).ok();
        let written = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        Log::with(Inner {
            file,
            path: Some(path.to_path_buf()),
            written,
            max,
        })
    }

    /// A log that writes nowhere (for owners run inside tests and benchmarks).
    pub fn none() -> Log {
        Log::with(Inner {
            file: None,
            path: None,
            written: 0,
            max: MAX_BYTES,
        })
    }

    fn with(inner: Inner) -> Log {
        Log(Box::new(Parts {
            inner: Mutex::new(inner),
            repeats: Mutex::new(HashMap::new()),
        }))
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

    /// A warning that may repeat very often: written at most once per
    /// [`REPEAT_EVERY`] for each `kind`, as "`what` N times in the last Xs:
    /// `detail`" when it happened more than once. Returns whether it was written.
    pub fn repeated(&self, kind: &'static str, what: &str, detail: &str) -> bool {
        let now = Instant::now();
        let due = match self.0.repeats.lock() {
            Ok(mut map) => {
                let entry = map.entry(kind).or_insert((None, 0));
                entry.1 += 1;
                let since = entry
                    .0
                    .map_or(REPEAT_EVERY, |t| now.saturating_duration_since(t));
                if since >= REPEAT_EVERY {
                    let n = entry.1;
                    *entry = (Some(now), 0);
                    Some((n, since))
                } else {
                    None
                }
            }
            Err(_) => Some((1, REPEAT_EVERY)),
        };
        let Some((n, since)) = due else {
            return false;
        };
        if n <= 1 {
            self.warn(&format!("{what}: {detail}"));
        } else {
            let secs = since.as_secs().max(1);
            let span = if secs == 1 {
                "second".to_string()
            } else {
                format!("{secs} seconds")
            };
            self.warn(&format!("{what} {n} times in the last {span}: {detail}"));
        }
        true
    }

    fn line(&self, level: &str, msg: &str) {
        let at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        let text = format!("{at} {level} pid={} {msg}\n", std::process::id());
        if let Ok(mut inner) = self.0.inner.lock() {
            inner.rotate_if_full();
            if let Some(f) = inner.file.as_mut() {
                if f.write_all(text.as_bytes()).is_ok() {
                    inner.written += text.len() as u64;
                }
            }
        }
    }
}

impl Inner {
    /// Keeps one old log: `dutydesk.log` becomes `dutydesk.log.1`.
    fn rotate_if_full(&mut self) {
        if self.written < self.max {
            return;
        }
        let Some(path) = self.path.clone() else {
            return;
        };
        let mut old = path.clone().into_os_string();
        old.push(".1");
        self.file = None;
        let _ = std::fs::rename(&path, PathBuf::from(old));
        self.file =
            crate::fsx::perms::open(&path, OpenOptions::new().create(true).append(true)).ok();
        self.written = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_rotates_past_its_size_and_keeps_one_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dutydesk.log");
        let log = Log::open_bounded(&path, 10_000);
        for i in 0..1000 {
            log.info(&format!("line {i} of a flood"));
        }
        let now = std::fs::metadata(&path).unwrap().len();
        let old = std::fs::metadata(dir.path().join("dutydesk.log.1"))
            .unwrap()
            .len();
        assert!(now <= 10_100 && old <= 10_100, "{now} {old}");
        assert!(!dir.path().join("dutydesk.log.2").exists());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.trim_end().ends_with("line 999 of a flood"), "{text}");
    }

    #[test]
    fn a_repeating_event_is_written_once_a_second_with_its_count() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dutydesk.log");
        let log = Log::open(&path);
        let written = (0..5000)
            .filter(|_| log.repeated("accept", "accept failed", "Too many open files"))
            .count();
        assert_eq!(written, 1, "only the first of a burst is written at once");
        // The next line, once due, carries the count of what was held back.
        if let Ok(mut map) = log.0.repeats.lock() {
            if let Some(e) = map.get_mut("accept") {
                e.0 = None;
            }
        }
        assert!(log.repeated("accept", "accept failed", "Too many open files"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(
            text.contains("accept failed 5000 times in the last second: Too many open files"),
            "{text}"
        );
    }
}
