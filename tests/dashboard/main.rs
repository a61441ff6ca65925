//! The dashboard: its screens drawn in-process, the emergency runner, and the
//! real binary in a pseudo-terminal.

#[path = "../support/mod.rs"]
mod support;

mod pty;
mod runner;
mod screens;
