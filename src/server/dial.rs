//! Dialling the owner: the socket, the hello and its answer, starting an owner
//! when none answers. Shared by calls (`client`) and the live subscription
//! (`live`), so neither imports the other.

use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::datadir::DataDir;
use crate::domain::Actor;
use crate::error::DeskError;
use crate::server::frame::{self, MAX_REPLY, VERSION};
use crate::server::protocol::{Reply, Request};
use crate::server::spawn::Starter;
use crate::store::Record;

/// A reply that takes longer than this means the owner is stuck.
const REPLY_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub dir: PathBuf,
    /// The name asked for (`--operator`); operators.toml, if present, decides.
    pub operator: Option<String>,
    /// The dutydesk binary that starts an owner when none is alive; `None`: never.
    pub exe: Option<PathBuf>,
    /// This process's `DUTYDESK_NOW` (honoured only by an owner on a test clock).
    pub now: Option<String>,
    /// How long to wait for a started owner to answer.
    pub start_timeout: Duration,
}

impl ClientOptions {
    pub fn new(dir: impl Into<PathBuf>) -> ClientOptions {
        ClientOptions {
            dir: dir.into(),
            operator: None,
            exe: None,
            now: None,
            start_timeout: Duration::from_secs(10),
        }
    }
}

enum Fail {
    NoOwner(String),
    Refused(DeskError),
}

fn connect_once(opts: &ClientOptions) -> Result<(UnixStream, Actor), Fail> {
    let sock = DataDir(opts.dir.clone()).socket();
    let mut s = UnixStream::connect(&sock).map_err(|e| Fail::NoOwner(e.to_string()))?;
    let _ = s.set_read_timeout(Some(REPLY_TIMEOUT));
    let _ = s.set_write_timeout(Some(REPLY_TIMEOUT));
    let hello = Request::Hello {
        version: VERSION,
        operator: opts.operator.clone(),
        now: opts.now.clone(),
    };
    // An owner refusing the connection (too many) says why and closes without
    // reading the hello, so a failed write still leaves its reason to read.
    let sent = frame::write(&mut s, &hello);
    match (frame::read::<Reply>(&mut s, MAX_REPLY), sent) {
        (Ok(Reply::Error(e)), _) => Err(Fail::Refused(e)),
        (_, Err(e)) => Err(Fail::NoOwner(e.to_string())),
        (Ok(Reply::Welcome { actor, .. }), Ok(())) => Ok((s, actor)),
        (Ok(other), Ok(())) => Err(Fail::NoOwner(format!(
            "unexpected answer to hello: {other:?}"
        ))),
        (Err(e), Ok(())) => Err(Fail::NoOwner(e.to_string())),
    }
}

/// Connects and says hello, starting an owner first if none answers. `first`:
/// this is the process's first connection, which may create the data directory.
pub fn connect(opts: &ClientOptions, first: bool) -> Result<(UnixStream, Actor), DeskError> {
    let mut why = match connect_once(opts) {
        Ok(c) => return Ok(c),
        Err(Fail::Refused(e)) => return Err(e),
        Err(Fail::NoOwner(w)) => w,
    };
    let Some(exe) = &opts.exe else {
        return Err(DeskError::Connection(format!(
            "no dutydesk owner is serving {} ({why}); start one with `dutydesk --data {} serve`",
            opts.dir.display(),
            opts.dir.display()
        )));
    };
    let mut starter = Starter::start(exe, &opts.dir, first)?;
    let deadline = Instant::now() + opts.start_timeout;
    loop {
        std::thread::sleep(Duration::from_millis(15));
        match connect_once(opts) {
            Ok(c) => return Ok(c),
            Err(Fail::Refused(e)) => return Err(e),
            Err(Fail::NoOwner(w)) => why = w,
        }
        if let Some(e) = starter.failed() {
            return Err(e);
        }
        if Instant::now() > deadline {
            return Err(DeskError::Connection(format!(
                "no owner came up for {} within {} s ({why}); see {}",
                opts.dir.display(),
                opts.start_timeout.as_secs(),
                DataDir(opts.dir.clone()).server_log().display()
            )));
        }
    }
}

pub(crate) fn decode(bytes: &[u8]) -> Result<Record, DeskError> {
    Record::decode(bytes).map_err(|why| {
        DeskError::Damaged(format!("a record from the owner does not verify: {why}"))
    })
}
