//! The site side: every committed record, in order, to the site's stream.
//!
//! The commit is local and comes first; this runs beside the desk on its own
//! thread (with the tokio runtime the NATS client needs, confined here) and never
//! holds up a command: it reads committed records back through `read` and is
//! woken by the desk's subscription. On start and after any outage it catches up
//! from the stream's last sequence. Each record goes out with the expected last
//! sequence `seq - 1` and the message id `<site>:<seq>`, so the stream's sequence
//! *is* the site's record number and a record can be stored only once, whatever
//! the dedup window: a "wrong last sequence" answer means the stream already has
//! it, and the hash of what it holds is compared with ours before going on.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use async_nats::jetstream::{self, context::PublishErrorKind, stream};
use tokio::sync::Notify;

use crate::error::DeskError;
use crate::group::status::ShipStatus;
use crate::store::Record;

/// Reads committed records from `from` on, at most `limit`.
pub type ReadFn = Box<dyn Fn(u64, usize) -> Result<Vec<Record>, DeskError> + Send + Sync>;
/// Where the publisher says what happened (the owner's log).
pub type LogFn = Box<dyn Fn(&str) + Send + Sync>;

/// Records sent before their acknowledgements are awaited.
const WINDOW: usize = 256;

#[derive(Debug, Clone)]
pub struct Target {
    pub site: String,
    pub nats: String,
    pub credentials: Option<PathBuf>,
    pub stream: String,
    pub subject: String,
    /// Where `group-status.json` is kept (`None`: only in memory).
    pub data: Option<PathBuf>,
}

impl Target {
    pub fn of(cfg: &crate::group::GroupConfig, data: Option<PathBuf>) -> Target {
        Target {
            site: cfg.site.clone(),
            nats: cfg.nats.clone(),
            credentials: cfg.credentials.clone(),
            stream: crate::group::config::site_stream(&cfg.site),
            subject: crate::group::config::subject(&cfg.site),
            data,
        }
    }
}

/// The running publisher; dropping it stops it.
pub struct Handle {
    stop: Arc<AtomicBool>,
    wake: Arc<Notify>,
    status: Arc<Mutex<ShipStatus>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Handle {
    pub fn status(&self) -> ShipStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Asks it to look for new records now (what the desk's subscription does).
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.wake.notify_one();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Starts shipping on its own thread. `committed`, when given, is the desk's
/// subscription: each record it brings wakes the publisher.
pub fn spawn(
    target: Target,
    read: ReadFn,
    committed: Option<mpsc::Receiver<Record>>,
    log: LogFn,
) -> Result<Handle, DeskError> {
    let stop = Arc::new(AtomicBool::new(false));
    let wake = Arc::new(Notify::new());
    let status = Arc::new(Mutex::new(ShipStatus::default()));
    if let Some(rx) = committed {
        let w = wake.clone();
        // Blocks on the std channel so the desk never waits on the runtime; ends
        // when the desk (the sender) goes away.
        std::thread::Builder::new()
            .name("dutydesk-ship-wake".into())
            .spawn(move || {
                while rx.recv().is_ok() {
                    w.notify_one();
                }
            })
            .map_err(|e| DeskError::Internal(format!("cannot start the shipping thread: {e}")))?;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| DeskError::Internal(format!("cannot start the shipping runtime: {e}")))?;
    let (s, w, st) = (stop.clone(), wake.clone(), status.clone());
    let thread = std::thread::Builder::new()
        .name("dutydesk-ship".into())
        .spawn(move || {
            let shipper = Shipper {
                target,
                read,
                log,
                stop: s,
                wake: w,
                status: st,
                written: None,
            };
            runtime.block_on(shipper.run());
        })
        .map_err(|e| DeskError::Internal(format!("cannot start the shipping thread: {e}")))?;
    Ok(Handle {
        stop,
        wake,
        status,
        thread: Some(thread),
    })
}

/// Why a shipping session ended.
enum Ended {
    Stopped,
    /// The link or the server: retry after a pause.
    Link(String),
    /// The stream holds another record than ours at this seq: stop, a person must look.
    Diverged(u64, String),
}

struct Shipper {
    target: Target,
    read: ReadFn,
    log: LogFn,
    stop: Arc<AtomicBool>,
    wake: Arc<Notify>,
    status: Arc<Mutex<ShipStatus>>,
    written: Option<(Instant, ShipStatus)>,
}

impl Shipper {
    async fn run(mut self) {
        let mut pause = Duration::from_millis(200);
        let mut reported = false;
        loop {
            match self.session().await {
                Ended::Stopped => break,
                Ended::Link(e) => {
                    self.update(|s| {
                        s.connected = false;
                        s.last_error = Some(e.clone());
                        s.last_error_at = Some(now_text());
                    });
                    if !reported {
                        (self.log)(&format!(
                            "group: cannot ship to {} ({e}); the desk works on, shipping catches up when it answers",
                            self.target.nats
                        ));
                        reported = true;
                    }
                    self.flush(true);
                    self.pause(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(5));
                }
                Ended::Diverged(seq, e) => {
                    self.update(|s| {
                        s.diverged_at = Some(seq);
                        s.last_error = Some(e.clone());
                        s.last_error_at = Some(now_text());
                    });
                    self.flush(true);
                    (self.log)(&format!("group: shipping stopped at record {seq}: {e}"));
                    while !self.stopped() {
                        self.pause(Duration::from_secs(5)).await;
                    }
                    break;
                }
            }
            if self.stopped() {
                break;
            }
            if self.status().connected {
                pause = Duration::from_millis(200);
                reported = false;
            }
        }
        self.flush(true);
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    async fn pause(&self, d: Duration) {
        let _ = tokio::time::timeout(d, self.wake.notified()).await;
    }

    fn status(&self) -> ShipStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn update(&self, f: impl FnOnce(&mut ShipStatus)) {
        if let Ok(mut s) = self.status.lock() {
            f(&mut s);
            s.at = now_text();
        }
    }

    /// Writes the status file when it changed, at most twice a second unless `now`.
    fn flush(&mut self, now: bool) {
        let Some(data) = self.target.data.clone() else {
            return;
        };
        let s = self.status();
        if let Some((when, last)) = &self.written {
            let same = last.shipped == s.shipped
                && last.head == s.head
                && last.connected == s.connected
                && last.last_error == s.last_error
                && last.diverged_at == s.diverged_at;
            if same || (!now && when.elapsed() < Duration::from_millis(500)) {
                return;
            }
        }
        if let Err(e) = crate::group::status::write(&data, &s) {
            (self.log)(&format!("group: cannot write the shipping status: {e}"));
        }
        self.written = Some((Instant::now(), s));
    }

    async fn session(&mut self) -> Ended {
        let js = match connect(&self.target).await {
            Ok(js) => js,
            Err(e) => return Ended::Link(e),
        };
        let t = self.target.clone();
        let stream = match js
            .get_or_create_stream(stream::Config {
                name: t.stream.clone(),
                subjects: vec![t.subject.clone()],
                storage: stream::StorageType::File,
                duplicate_window: Duration::from_secs(120),
                ..Default::default()
            })
            .await
        {
            Ok(s) => s,
            Err(e) => return Ended::Link(format!("cannot open the stream {}: {e}", t.stream)),
        };
        let mut last = match stream.get_info().await {
            Ok(i) => i.state.last_sequence,
            Err(e) => return Ended::Link(format!("cannot read the stream {}: {e}", t.stream)),
        };
        if let Err(end) = self.same_as_ours(&stream, last).await {
            return end;
        }
        self.update(|s| {
            s.connected = true;
            s.shipped = last;
            s.last_error = None;
        });
        loop {
            if self.stopped() {
                return Ended::Stopped;
            }
            let records = match (self.read)(last + 1, WINDOW) {
                Ok(r) => r,
                Err(e) => return Ended::Link(format!("cannot read the log: {e}")),
            };
            if records.is_empty() {
                self.update(|s| s.head = last.max(s.head));
                self.flush(false);
                // The subscription wakes us at once; the timeout keeps the
                // status fresh and notices a record even if a wake was missed.
                self.pause(Duration::from_secs(1)).await;
                continue;
            }
            let head = records.last().map(|r| r.body.seq).unwrap_or(last);
            self.update(|s| s.head = s.head.max(head));
            let mut acks = Vec::with_capacity(records.len());
            for r in &records {
                let bytes = match r.to_bytes() {
                    Ok(b) => b,
                    Err(e) => {
                        return Ended::Link(format!("cannot encode record {}: {e}", r.body.seq))
                    }
                };
                let msg = jetstream::message::PublishMessage::build()
                    .payload(bytes.into())
                    .message_id(crate::group::config::message_id(&t.site, r.body.seq))
                    .expected_last_sequence(r.body.seq - 1);
                match js.send_publish(t.subject.clone(), msg).await {
                    Ok(f) => acks.push((r, f)),
                    Err(e) => return Ended::Link(format!("cannot publish: {e}")),
                }
            }
            for (r, ack) in acks {
                match ack.await {
                    Ok(a) if a.sequence == r.body.seq && !a.duplicate => last = r.body.seq,
                    Ok(a) => {
                        // Stored before (a resend after an outage): the same record?
                        if let Err(end) = self.same_as_ours(&stream, a.sequence).await {
                            return end;
                        }
                        last = r.body.seq;
                    }
                    Err(e) if e.kind() == PublishErrorKind::WrongLastSequence => {
                        // Already there (or a gap): start again from what the stream holds.
                        break;
                    }
                    Err(e) => return Ended::Link(format!("no acknowledgement: {e}")),
                }
            }
            let actual = match stream.get_info().await {
                Ok(i) => i.state.last_sequence,
                Err(e) => return Ended::Link(format!("cannot read the stream {}: {e}", t.stream)),
            };
            if actual != last {
                if let Err(end) = self.same_as_ours(&stream, actual).await {
                    return end;
                }
                last = actual;
            }
            self.update(|s| {
                s.shipped = last;
                s.connected = true;
            });
            self.flush(false);
        }
    }

    /// Whether the stream's record `seq` is the one in our log (0: nothing to compare).
    async fn same_as_ours(&self, stream: &stream::Stream, seq: u64) -> Result<(), Ended> {
        if seq == 0 {
            return Ok(());
        }
        let ours = match (self.read)(seq, 1) {
            Ok(r) => r.into_iter().next(),
            Err(e) => return Err(Ended::Link(format!("cannot read the log: {e}"))),
        };
        let Some(ours) = ours else {
            return Err(Ended::Diverged(
                seq,
                format!(
                    "the stream {} already holds record {seq}, beyond this site's log: \
                     the data directory was replaced or restored from an old copy",
                    self.target.stream
                ),
            ));
        };
        let theirs = match stream.get_raw_message(seq).await {
            Ok(m) => m,
            Err(e) => return Err(Ended::Link(format!("cannot read record {seq} back: {e}"))),
        };
        match Record::decode(&theirs.payload) {
            Ok(r) if r.hash == ours.hash => Ok(()),
            _ => Err(Ended::Diverged(
                seq,
                format!(
                    "the stream {} holds another record {seq} than this site's log: \
                     the log or the stream was altered after shipping",
                    self.target.stream
                ),
            )),
        }
    }
}

/// Connects to the site's server, failing fast (the caller retries with a pause).
pub async fn connect(t: &Target) -> Result<jetstream::Context, String> {
    let mut opts = async_nats::ConnectOptions::new()
        .connection_timeout(Duration::from_secs(2))
        .name(format!("dutydesk-site-{}", t.site));
    if let Some(file) = &t.credentials {
        opts = opts
            .credentials_file(file)
            .await
            .map_err(|e| format!("cannot read the credentials file {}: {e}", file.display()))?;
    }
    let client = opts
        .connect(t.nats.as_str())
        .await
        .map_err(|e| format!("cannot connect: {e}"))?;
    let mut js = jetstream::new(client);
    js.set_timeout(Duration::from_secs(5));
    Ok(js)
}

fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
