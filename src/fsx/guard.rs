//! The one guarded way to write a file the user names (`export --out`, `emergency
//! report --out`): an atomic write replaces whatever is at the path by rename, so
//! a path onto the live store, a device, a FIFO or a symlink must be refused before
//! anything is written, with a sentence saying why and what to name instead.
//!
//! Paths are compared resolved: the parent directory canonical (symlinks, `.` and
//! `..` followed), then the file name, so `DATA/./store/../store/db`, a relative
//! path or a symlinked parent all land on the same name.

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::domain::refusal::Reason;
use crate::error::DeskError;
use crate::fsx::atomic::write_atomically;

/// What the desk keeps in a data directory: never a target for a file the user names.
#[derive(Debug, Clone, Default)]
pub struct Kept {
    /// Nothing may be written anywhere under these (the store).
    pub dirs: Vec<PathBuf>,
    /// The desk's own files (lock, socket, checkpoint, log, site files).
    pub files: Vec<PathBuf>,
}

/// `path` made absolute with its existing part canonical and the rest (which does
/// not exist, so holds no symlink) normalised by hand.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let base = loop {
        match std::fs::canonicalize(existing) {
            Ok(c) => break c,
            Err(_) => match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                // `..` at the end of a missing part: resolve what is before it.
                (Some(parent), None) => {
                    rest.push("..".into());
                    existing = parent;
                }
                (None, _) => break PathBuf::from("/"),
            },
        }
    };
    let mut out = base;
    for part in rest.iter().rev() {
        match Path::new(part).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) | None => {}
            Some(_) => out.push(part),
        }
    }
    Ok(out)
}

fn refuse(flag: &str, why: Reason) -> DeskError {
    DeskError::invalid(flag, why)
}

/// Refuses `target` (resolved) when it is under a kept directory or is a kept file.
fn refuse_kept(shown: &str, target: &Path, kept: &Kept, flag: &str) -> Result<(), DeskError> {
    for dir in &kept.dirs {
        let dir = resolve(dir).unwrap_or_else(|_| dir.clone());
        if target.starts_with(&dir) {
            return Err(refuse(
                flag,
                Reason::PathInStore {
                    path: shown.to_string(),
                    store: dir.display().to_string(),
                },
            ));
        }
    }
    for file in &kept.files {
        if resolve(file).is_ok_and(|f| f == target) {
            return Err(refuse(
                flag,
                Reason::PathIsDesksOwn {
                    path: shown.to_string(),
                },
            ));
        }
    }
    Ok(())
}

/// Refuses a directory the user names for the desk to fill (`recover --out`) when
/// it is inside the store or one of the desk's own files.
pub fn check_dir(path: &Path, kept: &Kept, flag: &str) -> Result<PathBuf, DeskError> {
    let target =
        resolve(path).map_err(|e| DeskError::storage(&format!("find {}", path.display()), e))?;
    refuse_kept(&path.display().to_string(), &target, kept, flag)?;
    Ok(target)
}

/// Checks a path the user named for a file the desk is about to write (`flag` is
/// the option that named it) and returns it resolved; see the module's comment.
pub fn check(path: &Path, kept: &Kept, flag: &str) -> Result<PathBuf, DeskError> {
    let shown = path.display().to_string();
    let name = match path.components().next_back() {
        Some(Component::Normal(n)) => n.to_os_string(),
        _ => {
            return Err(refuse(
                flag,
                Reason::PathIsDirectory {
                    path: shown.clone(),
                },
            ))
        }
    };
    let parent = crate::fsx::perms::parent_of(path);
    let target = resolve(parent)
        .map_err(|e| DeskError::storage(&format!("find {}", parent.display()), e))?
        .join(&name);
    refuse_kept(&shown, &target, kept, flag)?;
    match std::fs::symlink_metadata(&target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(target),
        Err(e) => Err(DeskError::storage(&format!("look at {shown}"), e)),
        Ok(meta) => {
            let kind = meta.file_type();
            if kind.is_symlink() {
                Err(refuse(
                    flag,
                    Reason::PathIsSymlink {
                        path: shown.clone(),
                    },
                ))
            } else if kind.is_dir() {
                Err(refuse(
                    flag,
                    Reason::PathIsDirectory {
                        path: shown.clone(),
                    },
                ))
            } else if !kind.is_file() {
                Err(refuse(
                    flag,
                    Reason::PathNotRegular {
                        path: shown.clone(),
                    },
                ))
            } else {
                Ok(target)
            }
        }
    }
}

/// Writes a file the user named, whole or not at all, after [`check`].
pub fn write_named(
    path: &Path,
    kept: &Kept,
    flag: &str,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<(), DeskError>,
) -> Result<PathBuf, DeskError> {
    let target = check(path, kept, flag)?;
    write_atomically(&target, fill)?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(data: &Path) -> Kept {
        Kept {
            dirs: vec![data.join("store")],
            files: vec![data.join("owner.lock")],
        }
    }

    #[test]
    fn the_store_is_refused_however_the_path_is_spelled() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        std::fs::create_dir_all(data.join("store")).unwrap();
        std::fs::write(data.join("store/db"), b"live").unwrap();
        std::os::unix::fs::symlink(&data, tmp.path().join("link")).unwrap();
        for p in [
            data.join("store/db"),
            data.join("./store/../store/db"),
            tmp.path().join("link/store/db"),
            data.join("store/new/deeper"),
            data.join("owner.lock"),
        ] {
            let err = check(&p, &kept(&data), "--out").unwrap_err();
            assert_eq!(err.exit_code(), 2, "{p:?}");
        }
        assert_eq!(std::fs::read(data.join("store/db")).unwrap(), b"live");
        assert!(check_dir(&tmp.path().join("link/store/new"), &kept(&data), "--out").is_err());
        assert!(check_dir(&tmp.path().join("recovered"), &kept(&data), "--out").is_ok());
        let ok = check(&data.join("exports/new/x.csv"), &kept(&data), "--out").unwrap();
        assert!(ok.ends_with("exports/new/x.csv"), "{ok:?}");
    }

    #[test]
    fn a_relative_path_is_resolved_from_the_working_directory() {
        let here = std::env::current_dir().unwrap();
        let kept = Kept {
            dirs: vec![here.join("somewhere")],
            files: vec![],
        };
        assert!(check(Path::new("somewhere/../somewhere/x"), &kept, "--out").is_err());
    }
}
