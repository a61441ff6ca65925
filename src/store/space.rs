//! Free space, checked before a write. A write the disk then refuses half-way
//! poisons the store (see `Store::reopen`); refusing up front, while nothing has
//! reached sled's buffers, is the clean way to say "disk full, nothing recorded".

use std::path::Path;

use crate::error::DeskError;

/// Space kept free below every append: room for sled's segment growth, its
/// snapshot and the marker file, so a write that was allowed does not fail half-way.
pub const FREE_MARGIN: u64 = 1 << 20;

/// Free bytes on the file system holding `path`.
pub fn free_bytes(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: c is a valid NUL-terminated path and st a properly sized out-parameter.
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some(st.f_bavail as u64 * st.f_frsize as u64)
}

/// Refuses when the file system holding `dir` has less than `FREE_MARGIN` plus
/// a few times the batch free. Unknown free space (statvfs failed) is not a refusal.
pub fn check(dir: &Path, batch_bytes: u64) -> Result<(), DeskError> {
    let need = FREE_MARGIN + 4 * batch_bytes;
    match free_bytes(dir) {
        Some(free) if free < need => Err(DeskError::Storage(format!(
            "the disk holding {} is full ({} KiB free, {} KiB needed to record safely). \
             Nothing was recorded. Free some space (old exports, reports, logs) and submit \
             the command again: the desk resumes by itself, no restart needed",
            dir.display(),
            free >> 10,
            need >> 10
        ))),
        _ => Ok(()),
    }
}
