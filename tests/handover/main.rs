//! Shift handover and exports: the handover flow, its three files, taking a
//! handover back, redaction and the monthly statistics.

#[path = "../support/mod.rs"]
mod support;

mod export_redact;
mod export_stats;
mod files;
mod flow;
mod withdraw;
