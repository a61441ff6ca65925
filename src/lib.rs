//! dutydesk: a night duty desk for managed residential and office sites.
//!
//! Where things are, bottom layer first (a module imports only from layers
//! below its own; `layer_test` checks it):
//! - `domain`, `clock`, `display`: the vocabulary (tickets, commands, events,
//!   refusals and their wording), time, text widths;
//! - `error`: the typed errors; `fsx`: files on disk (atomic writes, modes,
//!   guarded user paths);
//! - `datadir`: where each file of a data directory lives; `config`: the site,
//!   its targets and its emergency plans (TOML); `store`: the append-only,
//!   hash-chained log in sled;
//! - `state`: the fold of the log (tickets, shifts, emergency runs);
//! - `rules`: what is legal and every event a command becomes;
//! - `desk`: the one writer: applies the rules' decision, appends, folds;
//! - `seam`: the interface the CLI and TUI use, local or remote;
//! - `server` (the owner and its clients over the Unix socket), `export`
//!   (files for people, the evidence the desk writes), `emergency` (a run seen
//!   at a moment, the incident report);
//! - `doctor`, `demo`; then `tui` (the dashboard) and `cli` (the command line).

pub mod cli;
pub mod clock;
pub mod config;
pub mod datadir;
pub mod demo;
pub mod desk;
pub mod display;
pub mod doctor;
pub mod domain;
pub mod emergency;
pub mod error;
pub mod export;
pub mod fsx;
pub mod group;
pub mod rules;
pub mod seam;
pub mod server;
pub mod state;
pub mod store;
pub mod tui;

// Reads `src/` and fails on any import that points up the layers.
#[cfg(test)]
mod layer_test;

pub use datadir::DataDir;
pub use desk::{Committed, Desk};
pub use error::DeskError;
pub use seam::{DeskApi, Live, Local, Snapshot};
