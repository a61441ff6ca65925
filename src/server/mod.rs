//! Several operators at once: one process owns the store and serves the others
//! over a Unix socket in the data directory.
//!
//! - `owner`: election by the lock on `DATA/owner.lock`, the socket, the accept loop;
//! - `session`: one connected client (hello, identity, requests, subscription);
//! - `fanout`: every committed record pushed to each subscriber's bounded queue;
//! - `frame` / `protocol`: length-prefixed, versioned postcard frames;
//! - `peer` / `operators`: who the client really is, and what they may do;
//! - `client`: the `DeskApi` a CLI or TUI process uses; `live`: its reconnecting
//!   subscription; `spawn`: starting a background owner when none is alive;
//! - `limits`: how many connections, per user and in all, and the hello deadline;
//! - `log`: the owner's log file (`DATA/dutydesk.log`), bounded.

pub mod client;
pub mod dial;
pub mod fanout;
pub mod frame;
pub mod limits;
pub mod live;
pub mod log;
pub mod operators;
pub mod owner;
pub mod peer;
pub mod protocol;
pub mod session;
pub mod shared;
pub mod spawn;

pub use client::{Client, ClientOptions};
pub use owner::{elect, serve, ServeOptions};
