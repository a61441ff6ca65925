//! The `DeskApi` of a process that does not own the store: every call goes to the
//! owner over the socket. A lost connection is re-made (starting a new owner if
//! none is alive) and the call retried; a retried submission carries the same
//! idempotency key, so it is applied once.

use std::os::unix::net::UnixStream;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::desk::Committed;
use crate::domain::identity::current_unix_user;
use crate::domain::{Actor, Command};
use crate::error::DeskError;
use crate::seam::{DeskApi, Live, Snapshot};
use crate::server::dial::{connect, decode};
use crate::server::frame::{self, MAX_REPLY};
use crate::server::live;
use crate::server::protocol::{Reply, Request};
use crate::server::session::RECORDS_PAGE;
use crate::store::Record;

pub use crate::server::dial::ClientOptions;

/// How long a call keeps trying while owners keep going away (each retry starts
/// the next owner); past this the outcome is reported as unknown.
const RETRY_FOR: Duration = Duration::from_secs(30);
pub struct Client {
    opts: ClientOptions,
    actor: Actor,
    conn: Option<UnixStream>,
    key_prefix: String,
    keys: u64,
}

impl Client {
    /// Connects to the owner of `opts.dir` (starting one if allowed and needed).
    pub fn open(opts: ClientOptions) -> Result<Client, DeskError> {
        let (conn, actor) = connect(&opts, true)?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        Ok(Client {
            key_prefix: format!("{}.{}.{nanos:x}", current_unix_user(), std::process::id()),
            opts,
            actor,
            conn: Some(conn),
            keys: 0,
        })
    }

    /// Sends one request and reads its reply, re-connecting and retrying when the
    /// connection is lost. Only idempotent requests go through here: a submission
    /// carries its key, so an owner that died after committing it but before
    /// replying is asked again by the next owner (started here, as on the first
    /// connection), which answers with the records; the caller sees the real
    /// outcome once. Owners that keep dying are retried until [`RETRY_FOR`].
    fn call(&mut self, req: &Request) -> Result<Reply, DeskError> {
        let deadline = Instant::now() + RETRY_FOR.max(self.opts.start_timeout);
        let mut lost = 0usize;
        loop {
            let conn = match self.conn.as_mut() {
                Some(c) => c,
                None => match connect(&self.opts, false) {
                    Ok((c, actor)) => {
                        self.actor = actor;
                        self.conn.insert(c)
                    }
                    // An owner that died or did not come up yet: try the next one.
                    Err(DeskError::Connection(_)) if lost > 0 && Instant::now() < deadline => {
                        std::thread::sleep(Duration::from_millis(50));
                        continue;
                    }
                    Err(e) if lost > 0 => {
                        return Err(self.outcome_unknown(req, lost, &e.to_string(), e))
                    }
                    Err(e) => return Err(e),
                },
            };
            let result =
                frame::write(conn, req).and_then(|()| frame::read::<Reply>(conn, MAX_REPLY));
            match result {
                Ok(Reply::Error(e)) => return Err(e),
                Ok(reply) => return Ok(reply),
                Err(e) => {
                    self.conn = None;
                    lost += 1;
                    if Instant::now() >= deadline {
                        let code = DeskError::Connection(String::new());
                        return Err(self.outcome_unknown(req, lost, &e.to_string(), code));
                    }
                }
            }
        }
    }

    /// The error when the owner kept going away: for a command, it says the
    /// command may have been recorded (a blind repeat would record it twice).
    fn outcome_unknown(&self, req: &Request, lost: usize, why: &str, e: DeskError) -> DeskError {
        let dir = self.opts.dir.display();
        let code_of = |text: String| match e {
            DeskError::Connection(_) => DeskError::Connection(text),
            DeskError::Locked(_) => DeskError::Locked(text),
            DeskError::Damaged(_) => DeskError::Damaged(text),
            DeskError::Storage(_) => DeskError::Storage(text),
            DeskError::Config(_) => DeskError::Config(text),
            other => other,
        };
        match req {
            Request::Submit { request, .. } => code_of(format!(
                "lost the connection to the owner of {dir} {lost} times ({why}); the command may or may not \
                 have been recorded (request key {request}): check with `dutydesk log` before repeating it"
            )),
            _ => code_of(format!(
                "lost the connection to the owner of {dir} {lost} times ({why}); try again"
            )),
        }
    }
}

fn decode_all(bytes: Vec<Vec<u8>>) -> Result<Vec<Record>, DeskError> {
    bytes.iter().map(|b| decode(b)).collect()
}

fn unexpected(what: &str, reply: Reply) -> DeskError {
    DeskError::Internal(format!("the owner answered {what} with {reply:?}"))
}

impl DeskApi for Client {
    fn submit(&mut self, cmd: Command, request: Option<String>) -> Result<Committed, DeskError> {
        let request = request.unwrap_or_else(|| {
            self.keys += 1;
            format!("{}.{}", self.key_prefix, self.keys)
        });
        match self.call(&Request::Submit { cmd, request })? {
            Reply::Committed { records, warnings } => Ok(Committed {
                records: decode_all(records)?,
                warnings,
            }),
            other => Err(unexpected("a command", other)),
        }
    }

    fn snapshot(&mut self) -> Result<Snapshot, DeskError> {
        match self.call(&Request::Snapshot)? {
            Reply::Snapshot(s) => Ok(*s),
            other => Err(unexpected("a snapshot request", other)),
        }
    }

    fn records(&mut self, from: u64, limit: usize) -> Result<Vec<Record>, DeskError> {
        let mut out = Vec::new();
        let mut next = from.max(1);
        while out.len() < limit {
            let ask = (limit - out.len()).min(RECORDS_PAGE as usize) as u32;
            let page = match self.call(&Request::Records {
                from: next,
                limit: ask,
            })? {
                Reply::Records(r) => decode_all(r)?,
                other => return Err(unexpected("a records request", other)),
            };
            let got = page.len();
            next += got as u64;
            out.extend(page);
            if got < ask as usize {
                break;
            }
        }
        Ok(out)
    }

    fn subscribe(&mut self) -> Result<Receiver<Record>, DeskError> {
        let (tx, rx) = mpsc::channel();
        // A plain subscriber just sees the records resume after a reconnect. It
        // cannot be asked whether it is still listening while no record flows, so
        // it never starts an owner itself (it waits for one started by a command
        // or a dashboard) and after this many failed attempts in a row its channel
        // is ended instead.
        let mut failures = 0;
        let opts = ClientOptions {
            exe: None,
            ..self.opts.clone()
        };
        live::start(
            &opts,
            Box::new(move |ev| match ev {
                Live::Record(r) => tx.send(r).is_ok(),
                Live::Disconnected(_) => {
                    failures += 1;
                    failures < 40
                }
                Live::Reconnected => {
                    failures = 0;
                    true
                }
                Live::Alarm(_) => true,
            }),
        )?;
        Ok(rx)
    }

    fn subscribe_live(&mut self) -> Result<Receiver<Live>, DeskError> {
        let (tx, rx) = mpsc::channel();
        live::start(&self.opts, Box::new(move |ev| tx.send(ev).is_ok()))?;
        Ok(rx)
    }

    fn actor(&self) -> &Actor {
        &self.actor
    }

    fn is_remote(&self) -> bool {
        true
    }
}
