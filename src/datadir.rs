//! The data directory: where each of the desk's files lives. Low in the layers
//! (only `fsx` below it), so the desk, the owner, doctor and the CLI all name
//! the same paths without importing one another.

use std::path::{Path, PathBuf};

/// Where things live in a data directory.
#[derive(Debug, Clone)]
pub struct DataDir(pub PathBuf);

impl DataDir {
    pub fn new(dir: &Path) -> DataDir {
        DataDir(dir.to_path_buf())
    }
    pub fn store(&self) -> PathBuf {
        self.0.join("store")
    }
    pub fn site(&self) -> PathBuf {
        self.0.join("site.toml")
    }
    pub fn checklists(&self) -> PathBuf {
        self.0.join("checklists")
    }
    pub fn exports(&self) -> PathBuf {
        self.0.join("exports")
    }
    pub fn reports(&self) -> PathBuf {
        self.0.join("reports")
    }
    pub fn operators(&self) -> PathBuf {
        self.0.join("operators.toml")
    }
    pub fn socket(&self) -> PathBuf {
        self.0.join("owner.sock")
    }
    pub fn owner_lock(&self) -> PathBuf {
        self.0.join("owner.lock")
    }
    pub fn checkpoint(&self) -> PathBuf {
        self.0.join("checkpoint.bin")
    }
    pub fn server_log(&self) -> PathBuf {
        self.0.join("dutydesk.log")
    }
    /// What no file the user names may replace: the store (journal, marker and
    /// sled's files) and the desk's own files beside it.
    pub fn kept(&self) -> crate::fsx::Kept {
        crate::fsx::Kept {
            dirs: vec![self.store()],
            files: vec![
                self.socket(),
                self.owner_lock(),
                self.checkpoint(),
                self.server_log(),
                self.site(),
                self.operators(),
            ],
        }
    }
}

/// The pid the current owner wrote into its lock file (for messages and tests).
pub fn owner_pid(dir: &Path) -> Option<u32> {
    let text = std::fs::read_to_string(DataDir::new(dir).owner_lock()).ok()?;
    text.trim().parse().ok()
}
