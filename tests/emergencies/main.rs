//! Emergencies: running a checklist from the command line, and the incident report.

#[path = "../support/mod.rs"]
mod support;

mod cli;
mod report;
