//! The modes of everything the desk creates, whatever the umask.
//!
//! A directory decides for what is created in it: a *shared* directory (one an
//! admin made for a group: setgid or group-writable, and not writable by others)
//! gets files 0660 and directories 2770 in its group, so every operator of the
//! group can take over as owner; any other directory gets 0600 and 0700. Others
//! never get a bit: the store and the exports hold residents' names and phones.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// How a directory shares what is created in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sharing {
    /// The group of a shared directory; `None` when it is private.
    pub gid: Option<u32>,
}

impl Sharing {
    /// The sharing of the directory `dir` (private when it cannot be read).
    pub fn of(dir: &Path) -> Sharing {
        let gid = std::fs::metadata(dir).ok().and_then(|m| {
            let mode = m.mode();
            let shared = mode & 0o002 == 0 && (mode & 0o2000 != 0 || mode & 0o020 != 0);
            shared.then(|| m.gid())
        });
        Sharing { gid }
    }

    /// The sharing of the directory a path is in.
    pub fn beside(path: &Path) -> Sharing {
        Sharing::of(parent_of(path))
    }

    pub fn file_mode(self) -> u32 {
        if self.gid.is_some() {
            0o660
        } else {
            0o600
        }
    }

    pub fn dir_mode(self) -> u32 {
        if self.gid.is_some() {
            0o2770
        } else {
            0o700
        }
    }

    /// The umask that gives files created by others (sled) the same modes.
    pub fn umask(self) -> u32 {
        if self.gid.is_some() {
            0o007
        } else {
            0o077
        }
    }
}

/// The directory `path` is in ("." for a bare name).
pub fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Gives `path` the mode (and group) `sharing` asks for. Only the file's owner (or
/// root) can change it; anyone else's file is left for `doctor` to name.
pub fn settle(path: &Path, sharing: Sharing) -> io::Result<()> {
    let meta = std::fs::symlink_metadata(path)?;
    let kind = meta.file_type();
    if kind.is_symlink() {
        return Ok(());
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let euid = unsafe { libc::geteuid() };
    if euid != 0 && meta.uid() != euid {
        return Ok(());
    }
    if let Some(gid) = sharing.gid {
        if meta.gid() != gid {
            // Fails when the creator is not in the group; doctor then names the file.
            let _ = std::os::unix::fs::lchown(path, None, Some(gid));
        }
    }
    let want = if kind.is_dir() {
        sharing.dir_mode()
    } else {
        sharing.file_mode()
    };
    if meta.mode() & 0o7777 != want {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(want))?;
    }
    Ok(())
}

/// Settles `dir` itself and everything under it by the sharing of the directory each
/// is in (for the files sled creates on its own, and a recovered store).
pub fn settle_tree(dir: &Path) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        settle(&path, Sharing::of(dir))?;
        if entry.file_type()?.is_dir() {
            settle_tree(&path)?;
        }
    }
    Ok(())
}

/// `create_dir_all`, each new directory with the mode of the directory it is in.
pub fn create_dir_all(path: &Path) -> io::Result<()> {
    if path.is_dir() {
        return Ok(());
    }
    let parent = parent_of(path);
    if parent != path {
        create_dir_all(parent)?;
    }
    let sharing = Sharing::of(parent);
    match std::fs::DirBuilder::new()
        .mode(sharing.dir_mode() & 0o777)
        .create(path)
    {
        Ok(()) => settle(path, sharing),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && path.is_dir() => Ok(()),
        Err(e) => Err(e),
    }
}

/// Opens (creating if need be) a file with `opts`, then gives it the mode of its
/// directory: the mode passed at creation keeps others out even for a moment.
pub fn open(path: &Path, opts: &mut OpenOptions) -> io::Result<File> {
    let sharing = Sharing::beside(path);
    let file = opts.mode(sharing.file_mode()).open(path)?;
    settle(path, sharing)?;
    Ok(file)
}

/// Sets this process's umask so that files others create for it (sled's) get the
/// modes of `dir`: the owner calls it once it holds the data directory.
pub fn umask_for(dir: &Path) {
    // SAFETY: umask only swaps the process's file creation mask; it cannot fail.
    unsafe {
        libc::umask(Sharing::of(dir).umask() as libc::mode_t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().mode() & 0o7777
    }

    #[test]
    fn a_private_directory_gives_0700_and_0600_and_a_shared_one_2770_and_0660() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let private = tmp.path().join("a/b");
        create_dir_all(&private).unwrap();
        assert_eq!(mode(&tmp.path().join("a")), 0o700);
        assert_eq!(mode(&private), 0o700);
        let f = private.join("f");
        open(&f, OpenOptions::new().write(true).create(true)).unwrap();
        assert_eq!(mode(&f), 0o600);

        let shared = tmp.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o2770)).unwrap();
        create_dir_all(&shared.join("store")).unwrap();
        assert_eq!(mode(&shared.join("store")), 0o2770);
        let g = shared.join("store/g");
        open(&g, OpenOptions::new().write(true).create(true)).unwrap();
        assert_eq!(mode(&g), 0o660);
    }

    #[test]
    fn a_world_writable_directory_is_not_shared() {
        assert_eq!(Sharing::of(Path::new("/tmp")).gid, None);
    }
}
