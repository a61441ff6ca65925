//! Writing a file whole or not at all.

use std::io::Write;
use std::path::Path;

use crate::error::DeskError;
use crate::fsx::perms;

/// Writes a file whole or not at all: to a temporary file beside it, fsync, rename,
/// fsync the directory. A reader never sees half a file. Missing directories are
/// created, and the file gets the mode of its directory (see [`perms`]).
pub fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<(), DeskError>,
) -> Result<(), DeskError> {
    let dir = perms::parent_of(path);
    perms::create_dir_all(dir)
        .map_err(|e| DeskError::storage(&format!("create {}", dir.display()), e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "export".into());
    let tmp = dir.join(format!(".{name}.partial"));
    // A new file, never one left there (or planted as a symlink) before.
    let _ = std::fs::remove_file(&tmp);
    let file = perms::open(
        &tmp,
        std::fs::OpenOptions::new().write(true).create_new(true),
    )
    .map_err(|e| DeskError::storage(&format!("create {}", tmp.display()), e))?;
    let mut w = std::io::BufWriter::new(file);
    let result = fill(&mut w).and_then(|_| {
        w.flush()
            .map_err(|e| DeskError::storage(&format!("write {}", path.display()), e))?;
        w.get_ref()
            .sync_all()
            .map_err(|e| DeskError::storage(&format!("sync {}", path.display()), e))
    });
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(DeskError::storage(&format!("write {}", path.display()), e));
    }
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
