//! dutydesk: a night duty desk for managed residential and office sites.
//!
//! Where things are:
//! - `domain`: the vocabulary (tickets, commands, events, identity);
//! - `rules`: what is legal and which events a command becomes;
//! - `state`: the fold of the log (tickets, shifts, emergency runs);
//! - `store`: the append-only, hash-chained log in sled;
//! - `desk`: the one writer tying rules, store and state together;
//! - `seam`: the interface the CLI and TUI use, local or remote;
//! - `server`: the owner process and its clients over the Unix socket;
//! - `config`: site directory and other TOML data; `emergency`: plans;
//! - `fsx`: files on disk (atomic writes, modes, guarded user paths), below all;
//! - `cli`: the command line; `tui`: the dashboard; `export`: files for people.

pub mod cli;
pub mod clock;
pub mod config;
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

pub use desk::{Committed, DataDir, Desk};
pub use error::DeskError;
pub use seam::{DeskApi, Live, Local, Snapshot};
