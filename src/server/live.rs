//! A subscription that survives the owner: records as they are committed, word
//! when the connection is lost, and, once a (possibly new) owner answers, every
//! record missed in between before the live ones. The TUI shows the state in its
//! header; the records arrive in log order, each exactly once.

use std::os::unix::net::UnixStream;
use std::time::Duration;

use crate::error::DeskError;
use crate::seam::Live;
use crate::server::dial::{self, decode, ClientOptions};
use crate::server::frame::{self, MAX_REPLY};
use crate::server::protocol::{Reply, Request};

/// Gets each event; returns false when nobody listens any more (the thread ends).
pub type Sink = Box<dyn FnMut(Live) -> bool + Send>;

/// Pause between attempts while no owner answers (each attempt may start one).
const RETRY_EVERY: Duration = Duration::from_millis(300);
/// Pings come every 15 s; this long without a byte means the owner is stuck.
const SILENCE: Duration = Duration::from_secs(60);

/// Subscribes now (records committed after this returns are delivered) and
/// feeds `sink` from a thread of its own.
pub fn start(opts: &ClientOptions, sink: Sink) -> Result<(), DeskError> {
    let (stream, head) = open(opts, None)?;
    let opts = opts.clone();
    std::thread::Builder::new()
        .name("dutydesk-live".into())
        .spawn(move || run(opts, stream, head + 1, sink))
        .map_err(|e| DeskError::Internal(format!("cannot start the subscription thread: {e}")))?;
    Ok(())
}

fn open(opts: &ClientOptions, from: Option<u64>) -> Result<(UnixStream, u64), DeskError> {
    let (mut s, _actor) = dial::connect(opts, false)?;
    let _ = s.set_read_timeout(Some(SILENCE));
    let lost = |e: frame::FrameError| DeskError::Connection(format!("subscribing: {e}"));
    frame::write(&mut s, &Request::Subscribe { from }).map_err(lost)?;
    match frame::read::<Reply>(&mut s, MAX_REPLY).map_err(lost)? {
        Reply::Subscribed { head } => Ok((s, head)),
        Reply::Error(e) => Err(e),
        other => Err(DeskError::Connection(format!(
            "unexpected answer to subscribe: {other:?}"
        ))),
    }
}

fn run(opts: ClientOptions, mut stream: UnixStream, mut next: u64, mut sink: Sink) {
    loop {
        let why = loop {
            match frame::read::<Reply>(&mut stream, MAX_REPLY) {
                Ok(Reply::Record(bytes)) => match decode(&bytes) {
                    Ok(rec) => {
                        if rec.body.seq < next {
                            continue;
                        }
                        next = rec.body.seq + 1;
                        if !sink(Live::Record(rec)) {
                            return;
                        }
                    }
                    Err(e) => break e.to_string(),
                },
                Ok(Reply::Ping) => {}
                Ok(Reply::Alarm(alarm)) => {
                    if !sink(Live::Alarm(alarm)) {
                        return;
                    }
                }
                Ok(Reply::Error(e)) => break e.to_string(),
                Ok(other) => break format!("unexpected message {other:?}"),
                Err(e) => break format!("lost the owner: {e}"),
            }
        };
        if !sink(Live::Disconnected(why)) {
            return;
        }
        loop {
            match open(&opts, Some(next)) {
                Ok((s, _)) => {
                    stream = s;
                    if !sink(Live::Reconnected) {
                        return;
                    }
                    break;
                }
                Err(e) => {
                    if !sink(Live::Disconnected(e.to_string())) {
                        return;
                    }
                    std::thread::sleep(RETRY_EVERY);
                }
            }
        }
    }
}
