//! The messages on the socket. A client says hello, then sends requests and gets
//! one reply each; after `Subscribe` the connection only carries pushed records.
//! Records travel as their stored bytes, so the client re-checks each hash.

use serde::{Deserialize, Serialize};

use crate::domain::{Actor, Command};
use crate::error::DeskError;
use crate::seam::Snapshot;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    /// First on every connection. `operator` is the name asked for (used only
    /// without operators.toml); `now` is the client's `DUTYDESK_NOW`, honoured
    /// only by an owner that itself runs on a test clock.
    Hello {
        version: u8,
        operator: Option<String>,
        now: Option<String>,
    },
    Submit {
        cmd: Command,
        request: String,
    },
    Snapshot,
    Records {
        from: u64,
        limit: u32,
    },
    /// From here on the owner pushes records. With `from`, first every record from
    /// that sequence number up to the head (catching up after a reconnect).
    Subscribe {
        from: Option<u64>,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Reply {
    Welcome {
        actor: Actor,
        owner_pid: u32,
    },
    Committed {
        records: Vec<Vec<u8>>,
        warnings: Vec<crate::domain::Warning>,
    },
    Snapshot(Box<Snapshot>),
    Records(Vec<Vec<u8>>),
    Subscribed {
        head: u64,
    },
    Record(Vec<u8>),
    /// Sent to an idle subscriber now and then, so a vanished one is noticed.
    Ping,
    Error(DeskError),
    /// Pushed to subscribers when the desk raised its alarm (what it served
    /// differed from its log): take a fresh snapshot. Sent on subscribing too,
    /// while the alarm is up.
    Alarm(String),
}
