//! What leaves the desk for people and other programs: JSON lines, CSV, the
//! handover report, and the chain check of an exported file.

pub mod bundle;
pub mod csv;
pub mod evidence;
pub mod json;
pub mod jsonl;
pub mod redact;
pub mod report;
pub mod shift;
pub mod stats;
pub mod verify;

use std::io::Write;
use std::path::Path;

use chrono::TimeZone;

use crate::error::DeskError;
use crate::store::record::time_of;

/// A time of the log in the site's time zone, for people (reports, CSV, stats).
pub fn local_time<Tz: TimeZone>(at_us: i64, tz: &Tz, fmt: &str) -> String
where
    Tz::Offset: std::fmt::Display,
{
    time_of(at_us).with_timezone(tz).format(fmt).to_string()
}

/// Writes a file whole or not at all: to a temporary file beside it, fsync, rename,
/// fsync the directory. A reader never sees half an export.
pub fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<(), DeskError>,
) -> Result<(), DeskError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| DeskError::storage(&format!("create {}", dir.display()), e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "export".into());
    let tmp = dir.join(format!(".{name}.partial"));
    let file = std::fs::File::create(&tmp)
        .map_err(|e| DeskError::storage(&format!("create {}", tmp.display()), e))?;
    let mut w = std::io::BufWriter::new(file);
    let result = fill(&mut w).and_then(|_| {
        w.flush()
            .map_err(|e| DeskError::storage("write the export", e))?;
        w.get_ref()
            .sync_all()
            .map_err(|e| DeskError::storage("sync the export", e))
    });
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, path)
        .map_err(|e| DeskError::storage(&format!("write {}", path.display()), e))?;
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
