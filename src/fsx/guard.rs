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

use crate::domain::text::both;
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

fn refuse(flag: &str, en: String, zh: String) -> DeskError {
    DeskError::invalid(flag, both(en, zh))
}

/// Refuses `target` (resolved) when it is under a kept directory or is a kept file.
fn refuse_kept(shown: &str, target: &Path, kept: &Kept, flag: &str) -> Result<(), DeskError> {
    for dir in &kept.dirs {
        let dir = resolve(dir).unwrap_or_else(|_| dir.clone());
        if target.starts_with(&dir) {
            return Err(refuse(
                flag,
                format!(
                    "{shown} is inside the desk's store {}: writing there would replace the live log. \
                     Name a file outside the store, e.g. in the exports directory beside it",
                    dir.display()
                ),
                format!(
                    "{shown} 位于值班台的存储目录 {} 之内：写到那里会替换正在使用的日志。请指定存储目录以外的文件，例如旁边的 exports 目录",
                    dir.display()
                ),
            ));
        }
    }
    for file in &kept.files {
        if resolve(file).is_ok_and(|f| f == target) {
            return Err(refuse(
                flag,
                format!(
                    "{shown} is one of the desk's own files ({}): name another file",
                    target.display()
                ),
                format!(
                    "{shown} 是值班台自己的文件（{}）：请指定其他文件",
                    target.display()
                ),
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
                format!(
                "{shown} names a directory, not a file: add a file name, e.g. {shown}/export.csv"
            ),
                format!("{shown} 是目录而不是文件：请加上文件名，例如 {shown}/export.csv"),
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
                    format!("{shown} is a symbolic link: the desk would replace the link, not write where it points. Name the real file, or a new one"),
                    format!("{shown} 是符号链接：值班台会替换链接本身而不是写到它指向的地方。请指定真实文件或新文件"),
                ))
            } else if kind.is_dir() {
                Err(refuse(
                    flag,
                    format!(
                        "{shown} is a directory: name a file inside it, e.g. {shown}/export.csv"
                    ),
                    format!("{shown} 是目录：请指定其中的文件，例如 {shown}/export.csv"),
                ))
            } else if !kind.is_file() {
                Err(refuse(
                    flag,
                    format!("{shown} is not a regular file (a device, FIFO or socket): the desk writes a file whole by replacing it, which would replace that too. Name a regular file"),
                    format!("{shown} 不是普通文件（是设备、管道或套接字）：值班台以整体替换的方式写文件，会把它也替换掉。请指定普通文件"),
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
