//! The shipping state a site's owner leaves in `DATA/group-status.json`, for
//! `doctor` and the dashboard's header (other processes than the owner).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::DeskError;

pub const FILE: &str = "group-status.json";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipStatus {
    /// The last record the site's stream acknowledged (0: none yet).
    pub shipped: u64,
    /// The last record committed at the site, as the publisher last saw it.
    pub head: u64,
    /// Whether the site's nats-server answered the last time it was asked.
    pub connected: bool,
    /// The last failure, in English (for the log and doctor), and when (RFC 3339).
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
    /// When this was written (RFC 3339).
    pub at: String,
    /// The stream holds a different record than the site's log at this seq:
    /// shipping stopped, a person must look (the site's log or the stream was altered).
    pub diverged_at: Option<u64>,
}

impl ShipStatus {
    pub fn lag(&self) -> u64 {
        self.head.saturating_sub(self.shipped)
    }
}

pub fn path(data: &Path) -> PathBuf {
    data.join(FILE)
}

/// The last status the owner wrote; `None` when it never shipped from here.
pub fn read(data: &Path) -> Option<ShipStatus> {
    let text = std::fs::read_to_string(path(data)).ok()?;
    serde_json::from_str(&text).ok()
}

pub fn write(data: &Path, s: &ShipStatus) -> Result<(), DeskError> {
    crate::fsx::atomic::write_atomically(&path(data), |w| {
        use std::io::Write;
        serde_json::to_writer_pretty(&mut *w, s)
            .map_err(|e| DeskError::Internal(format!("cannot encode the shipping status: {e}")))?;
        w.write_all(b"\n")
            .map_err(|e| DeskError::storage("write the shipping status", e))
    })
}
