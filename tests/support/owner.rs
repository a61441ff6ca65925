//! The owner process a test's commands started: asking whether it runs, and
//! stopping it so no background process outlives the test or holds the store.

use std::path::Path;
use std::time::{Duration, Instant};

/// Whether a process with this pid exists.
pub fn is_alive(pid: i32) -> bool {
    // SAFETY: signal 0 only asks whether the process exists.
    unsafe { libc::kill(pid, 0) == 0 }
}

/// Kills the owner on `data` (tests that need the files at rest, or hold the
/// store themselves) and waits until it is gone.
pub fn stop_owner(data: &Path) {
    signal_and_wait(data, libc::SIGKILL);
}

/// Asks the owner on `data` to shut down as an operator's `kill` would (SIGTERM),
/// and waits until it is gone.
pub fn end_owner(data: &Path) {
    signal_and_wait(data, libc::SIGTERM);
}

fn signal_and_wait(data: &Path, signal: i32) {
    let Some(pid) = dutydesk::server::owner::owner_pid(data) else {
        return;
    };
    let pid = pid as i32;
    // SAFETY: kill(2) on the owner this test's commands started.
    unsafe { libc::kill(pid, signal) };
    let deadline = Instant::now() + Duration::from_secs(20);
    while is_alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
}
