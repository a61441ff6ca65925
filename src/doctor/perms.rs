//! The doctor's check of file modes: no file of the data directory open to others
//! (it holds residents' names and phones), and, in a directory shared by a group,
//! every file the group's to write, or the next operator cannot take over as owner.
//! The admin's configuration (site.toml, operators.toml, checklists/) is not
//! judged: the desk only reads it, and operators.toml must not be the group's to
//! write (anyone could give themselves a role).

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::doctor::{Check, Facts};
use crate::fsx::perms::Sharing;

/// How many paths a failing check names before it only counts the rest.
const NAMED: usize = 5;

/// The admin's files at the top of the data directory.
const CONFIGURATION: [&str; 3] = ["site.toml", "operators.toml", "checklists"];

fn walk(dir: &Path, top: bool, out: &mut Vec<(PathBuf, std::fs::Metadata)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if top && CONFIGURATION.iter().any(|c| e.file_name() == *c) {
            continue;
        }
        let path = e.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            continue;
        }
        let is_dir = meta.is_dir();
        out.push((path.clone(), meta));
        if is_dir {
            walk(&path, false, out);
        }
    }
}

fn list(dir: &Path, paths: &[PathBuf]) -> String {
    let mut names: Vec<String> = paths
        .iter()
        .take(NAMED)
        .map(|p| p.strip_prefix(dir).unwrap_or(p).display().to_string())
        .map(|p| if p.is_empty() { ".".into() } else { p })
        .collect();
    if paths.len() > NAMED {
        names.push(format!("and {} more", paths.len() - NAMED));
    }
    names.join(", ")
}

/// Names every file and directory of `dir` that others can read, or (when `dir` is
/// shared by a group) that the group cannot write, and says the command to run.
const NAME: &str = "file permissions";

/// The check as doctor runs it.
pub fn check_facts(f: &mut Facts<'_>) -> Check {
    check(f.dir)
}

pub fn check(dir: &Path) -> Check {
    let sharing = Sharing::of(dir);
    let mut entries = Vec::new();
    if let Ok(meta) = std::fs::symlink_metadata(dir) {
        entries.push((dir.to_path_buf(), meta));
    }
    walk(dir, true, &mut entries);
    let mut open_to_others = Vec::new();
    let mut not_the_groups = Vec::new();
    for (path, meta) in &entries {
        let mode = meta.mode();
        // A directory others can list shows names only: what matters is the files.
        if !meta.is_dir() && mode & 0o007 != 0 {
            open_to_others.push(path.clone());
        }
        if let Some(gid) = sharing.gid {
            let want = if meta.is_dir() { 0o070 } else { 0o060 };
            if mode & want != want || meta.gid() != gid {
                not_the_groups.push(path.clone());
            }
        }
    }
    let shown = dir.display();
    let mut problems = Vec::new();
    if !open_to_others.is_empty() {
        problems.push(format!("others can read {}", list(dir, &open_to_others)));
    }
    if !not_the_groups.is_empty() {
        problems.push(format!(
            "the group cannot write {} (the next operator could not take over)",
            list(dir, &not_the_groups)
        ));
    }
    let count = entries.len();
    if problems.is_empty() {
        return Check::ok(
            NAME,
            match sharing.gid {
                None => format!("{count} files, none open to others"),
                Some(gid) => {
                    format!(
                        "{count} files, none open to others, all the group's (gid {gid}) to write"
                    )
                }
            },
        );
    }
    let next = match sharing.gid {
        None => format!("chmod -R o-rwx {shown}"),
        Some(gid) => format!("chgrp -R {gid} {shown} && chmod -R o-rwx,g+rwX {shown}"),
    };
    Check::fail(NAME, problems.join("; "), next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_world_readable_file_is_named_with_the_command_to_run() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::create_dir(dir.join("exports")).unwrap();
        std::fs::set_permissions(dir.join("exports"), std::fs::Permissions::from_mode(0o700))
            .unwrap();
        let f = dir.join("exports/x.csv");
        std::fs::write(&f, "phone").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(check(dir).ok, "{}", check(dir).detail);
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        let c = check(dir);
        assert!(!c.ok);
        assert!(c.detail.contains("exports/x.csv"), "{}", c.detail);
        let next = c.next.unwrap_or_default();
        assert!(next.contains("chmod -R o-rwx"), "{next}");
    }
}
