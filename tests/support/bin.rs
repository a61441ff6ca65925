//! The one way the tests run the real binary. The environment is cleaned of the
//! developer's DUTYDESK_* settings and LANG is fixed, so a test's outcome never
//! depends on the shell it was started from; each test adds what it means.

use std::path::Path;
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_dutydesk");

/// `dutydesk --data DATA`, not yet run.
pub fn dutydesk(data: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--data")
        .arg(data)
        .env("LANG", "C.UTF-8")
        .env_remove("DUTYDESK_DATA")
        .env_remove("DUTYDESK_OPERATOR")
        .env_remove("DUTYDESK_NOW");
    c
}

/// Runs a prepared command; a binary that cannot even start fails the test.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run dutydesk")
}

/// The stdout of a run that must have succeeded; otherwise the test fails with
/// the exit code and both outputs.
pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "dutydesk failed ({:?}): {}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
