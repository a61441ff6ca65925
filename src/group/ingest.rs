//! `dutydesk group ingest`: every site's mirrored stream at the hub into
//! PostgreSQL, exactly once, each site's chain checked on the way.
//!
//! One durable pull consumer per site stream (`GROUP_<site>`) feeds batches to
//! one writer. The writer checks each record against the chain the centre holds,
//! then in one transaction inserts the records (`ON CONFLICT DO NOTHING` on
//! `(site, seq)`) and updates the read model; only after the commit is the batch
//! acknowledged, so a crash redelivers and the chain check passes the known
//! records over. A refused record stops that site's projection with an alarm:
//! nothing after it is projected until a person has looked.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::{self, consumer, stream};
use futures_util::StreamExt;
use tokio::sync::{mpsc, oneshot};

use crate::error::DeskError;
use crate::group::chain::{self, Head, Verdict};
use crate::group::{config, db, project};
use crate::state::State;
use crate::store::Record;

/// The durable consumer's name on every site stream.
pub const CONSUMER: &str = "dutydesk-ingest";
/// Records per batch (and per transaction) at most.
const BATCH: usize = 1000;

#[derive(Debug, Clone)]
pub struct Options {
    pub nats: String,
    pub pg: String,
    pub credentials: Option<PathBuf>,
    /// Sites whose hub mirror to create (`GROUP_<site>` mirroring the site's domain).
    pub sites: Vec<String>,
}

/// Runs until `stop` is set (the command passes one that never is).
pub fn run(
    opts: &Options,
    stop: Arc<AtomicBool>,
    log: impl Fn(&str) + Send + Sync + 'static,
) -> Result<(), DeskError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| DeskError::Internal(format!("cannot start the ingest runtime: {e}")))?;
    rt.block_on(serve(opts.clone(), stop, Arc::new(log)))
}

type Log = Arc<dyn Fn(&str) + Send + Sync>;

struct Batch {
    site: String,
    msgs: Vec<jetstream::Message>,
    /// Set instead of messages: the site's stream lacks records; stop the site.
    alarm: Option<String>,
    done: oneshot::Sender<Outcome>,
}

/// What the writer made of one site's batch.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// Written (or already held): acknowledge.
    Written,
    /// The site's projection is stopped.
    Halted,
    /// A record came before the next one: consume again from `expected`.
    Rewind { expected: u64, got: u64 },
}

async fn serve(opts: Options, stop: Arc<AtomicBool>, log: Log) -> Result<(), DeskError> {
    for s in &opts.sites {
        config::check_site_id(s).map_err(|why| DeskError::invalid("--site", why))?;
    }
    let mut pg = db::connect_async(&opts.pg).await?;
    db::migrate_async(&mut pg).await?;
    let client = connect_hub(&opts).await?;
    let js = jetstream::new(client);
    for site in &opts.sites {
        ensure_mirror(&js, site).await?;
    }
    let mut writer = Writer::load(pg, log.clone()).await?;
    let (tx, mut rx) = mpsc::channel::<Batch>(256);
    let mut started: HashSet<String> = HashSet::new();
    let mut discover = tokio::time::interval(Duration::from_secs(1));
    log(&format!(
        "group ingest: consuming the site streams at {} into PostgreSQL",
        opts.nats
    ));
    loop {
        if stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        tokio::select! {
            _ = discover.tick() => {
                match site_streams(&js).await {
                    Ok(sites) => for site in sites {
                        if writer.halted(&site) || !started.insert(site.clone()) {
                            continue;
                        }
                        tokio::spawn(consume(js.clone(), site, tx.clone(), log.clone(), stop.clone()));
                    },
                    Err(e) => log(&format!("group ingest: cannot list the streams at the hub: {e}")),
                }
            }
            Some(first) = rx.recv() => {
                let mut batches = vec![first];
                while batches.len() < 64 {
                    match rx.try_recv() {
                        Ok(b) => batches.push(b),
                        Err(_) => break,
                    }
                }
                let outcomes = writer.write(&batches).await?;
                for (b, o) in batches.into_iter().zip(outcomes) {
                    let _ = b.done.send(o);
                }
            }
        }
    }
}

async fn connect_hub(opts: &Options) -> Result<async_nats::Client, DeskError> {
    let mut o = async_nats::ConnectOptions::new()
        .connection_timeout(Duration::from_secs(5))
        .retry_on_initial_connect()
        .name("dutydesk-ingest");
    if let Some(file) = &opts.credentials {
        o = o.credentials_file(file).await.map_err(|e| {
            DeskError::Config(format!(
                "cannot read the credentials file {}: {e}",
                file.display()
            ))
        })?;
    }
    o.connect(opts.nats.as_str())
        .await
        .map_err(|e| DeskError::Group(format!("cannot connect to NATS at {}: {e}", opts.nats)))
}

/// The hub's copy of a site's stream: a mirror across the leaf link, keeping
/// the site's sequence numbers.
pub async fn ensure_mirror(js: &jetstream::Context, site: &str) -> Result<(), DeskError> {
    js.get_or_create_stream(stream::Config {
        name: config::hub_stream(site),
        storage: stream::StorageType::File,
        mirror: Some(stream::Source {
            name: config::site_stream(site),
            domain: Some(site.to_string()),
            ..Default::default()
        }),
        ..Default::default()
    })
    .await
    .map(|_| ())
    .map_err(|e| {
        DeskError::Group(format!(
            "cannot create the mirror of site {site} at the hub: {e}"
        ))
    })
}

async fn site_streams(js: &jetstream::Context) -> Result<Vec<String>, String> {
    let mut names = js.stream_names();
    let mut out = Vec::new();
    while let Some(n) = names.next().await {
        let n = n.map_err(|e| e.to_string())?;
        if let Some(site) = config::site_of_hub_stream(&n) {
            out.push(site.to_string());
        }
    }
    Ok(out)
}

/// Feeds one site's stream to the writer, acknowledging after each commit; on
/// any failure of the link it starts again from the durable consumer.
async fn consume(
    js: jetstream::Context,
    site: String,
    tx: mpsc::Sender<Batch>,
    log: Log,
    stop: Arc<AtomicBool>,
) {
    let mut said = false;
    let mut from = None;
    while !stop.load(Ordering::SeqCst) {
        match consume_once(&js, &site, &tx, from.take()).await {
            Ok(Halt::Halted) => return,
            Ok(Halt::Again) => {}
            Ok(Halt::From(seq)) => from = Some(seq),
            Err(e) => {
                if !said {
                    log(&format!("group ingest: site {site}: {e}; trying again"));
                    said = true;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

enum Halt {
    Halted,
    Again,
    /// Start the durable consumer again at this stream sequence.
    From(u64),
}

async fn consume_once(
    js: &jetstream::Context,
    site: &str,
    tx: &mpsc::Sender<Batch>,
    from: Option<u64>,
) -> Result<Halt, String> {
    let stream = js
        .get_stream(config::hub_stream(site))
        .await
        .map_err(|e| format!("cannot open its stream: {e}"))?;
    let mut cfg = consumer::pull::Config {
        durable_name: Some(CONSUMER.to_string()),
        ack_policy: consumer::AckPolicy::All,
        ack_wait: Duration::from_secs(60),
        max_ack_pending: 100_000,
        ..Default::default()
    };
    if let Some(seq) = from {
        // The centre's own head says where to resume: the consumer is made
        // again from there (its config cannot be changed in place).
        let _ = stream.delete_consumer(CONSUMER).await;
        cfg.deliver_policy = consumer::DeliverPolicy::ByStartSequence {
            start_sequence: seq,
        };
    }
    let consumer: consumer::PullConsumer = stream
        .get_or_create_consumer(CONSUMER, cfg)
        .await
        .map_err(|e| format!("cannot open its consumer: {e}"))?;
    let messages = consumer
        .stream()
        .max_messages_per_batch(BATCH)
        .heartbeat(Duration::from_secs(5))
        .expires(Duration::from_secs(30))
        .messages()
        .await
        .map_err(|e| format!("cannot consume: {e}"))?;
    let mut chunks = messages.ready_chunks(BATCH);
    while let Some(chunk) = chunks.next().await {
        let mut msgs = Vec::with_capacity(chunk.len());
        for m in chunk {
            match m {
                Ok(m) => msgs.push(m),
                Err(e) => {
                    if msgs.is_empty() {
                        return Err(format!("the stream broke off: {e}"));
                    }
                    break;
                }
            }
        }
        let last = msgs.last().cloned();
        match ask(tx, site, msgs, None).await? {
            Outcome::Written => {
                if let Some(last) = last {
                    // With AckPolicy::All this acknowledges the whole batch.
                    last.ack()
                        .await
                        .map_err(|e| format!("cannot acknowledge: {e}"))?;
                }
            }
            Outcome::Halted => return Ok(Halt::Halted),
            Outcome::Rewind { expected, got } => {
                // Nothing past the gap is acknowledged. Is the record there?
                if stream.get_raw_message(expected).await.is_ok() {
                    return Ok(Halt::From(expected));
                }
                let info = stream
                    .get_info()
                    .await
                    .map_err(|e| format!("cannot read its stream: {e}"))?;
                if info.state.last_sequence < expected {
                    return Ok(Halt::From(expected));
                }
                // Deleted from the stream: never skipped, the site stops.
                let alarm = chain::missing(site, expected, got);
                ask(tx, site, Vec::new(), Some(alarm)).await?;
                return Ok(Halt::Halted);
            }
        }
    }
    Ok(Halt::Again)
}

async fn ask(
    tx: &mpsc::Sender<Batch>,
    site: &str,
    msgs: Vec<jetstream::Message>,
    alarm: Option<String>,
) -> Result<Outcome, String> {
    let (done, answer) = oneshot::channel();
    tx.send(Batch {
        site: site.to_string(),
        msgs,
        alarm,
        done,
    })
    .await
    .map_err(|_| "the writer stopped".to_string())?;
    answer.await.map_err(|_| "the writer stopped".to_string())
}

/// What the centre holds of one site.
struct SiteProj {
    head: Head,
    state: State,
    halted: bool,
}

struct Writer {
    pg: tokio_postgres::Client,
    sites: HashMap<String, SiteProj>,
    log: Log,
}

impl Writer {
    /// Loads every site's chain head and folds its records again (the read
    /// model is a fold of the centre's copy of the log).
    async fn load(pg: tokio_postgres::Client, log: Log) -> Result<Writer, DeskError> {
        let mut sites = HashMap::new();
        for (site, head, halted) in db::site_heads(&pg).await? {
            let mut state = State::new();
            for bytes in db::site_records(&pg, &site).await? {
                match Record::decode(&bytes) {
                    Ok(r) => state.apply(&r),
                    Err(e) => {
                        return Err(DeskError::Damaged(format!(
                            "the group's copy of site {site} does not decode: {e}"
                        )))
                    }
                }
            }
            sites.insert(
                site,
                SiteProj {
                    head,
                    state,
                    halted,
                },
            );
        }
        Ok(Writer { pg, sites, log })
    }

    fn halted(&self, site: &str) -> bool {
        self.sites.get(site).is_some_and(|s| s.halted)
    }

    /// Writes the batches in one transaction; says what became of each.
    async fn write(&mut self, batches: &[Batch]) -> Result<Vec<Outcome>, DeskError> {
        let mut outcomes = Vec::with_capacity(batches.len());
        let mut plans = Vec::new();
        for b in batches {
            let proj = self
                .sites
                .entry(b.site.clone())
                .or_insert_with(|| SiteProj {
                    head: Head::default(),
                    state: State::new(),
                    halted: false,
                });
            if proj.halted {
                outcomes.push(Outcome::Halted);
                continue;
            }
            let before = proj.head.seq;
            let mut records = Vec::new();
            let mut alarm = b.alarm.clone();
            let mut outcome = Outcome::Written;
            for m in &b.msgs {
                let stream_seq = m.info().map(|i| i.stream_sequence).unwrap_or(0);
                let known = if stream_seq <= proj.head.seq {
                    db::hash_at(&self.pg, &b.site, stream_seq).await?
                } else {
                    None
                };
                match chain::check(&b.site, &proj.head, stream_seq, &m.payload, |_| known) {
                    Verdict::Next(r) => {
                        proj.head = Head {
                            seq: r.body.seq,
                            hash: r.hash,
                        };
                        proj.state.apply(&r);
                        records.push((*r, m.payload.to_vec()));
                    }
                    Verdict::Known(_) => {}
                    Verdict::Refused { why, .. } => {
                        alarm = Some(why);
                        break;
                    }
                    Verdict::Gap { expected, got } => {
                        outcome = Outcome::Rewind { expected, got };
                        break;
                    }
                }
            }
            if let Some(a) = &alarm {
                (self.log)(&format!(
                    "group ingest: ALARM: {a}; this site's projection is stopped"
                ));
                proj.halted = true;
                outcome = Outcome::Halted;
            }
            outcomes.push(outcome);
            let (tickets, runs) = project::touched(&proj.state, before);
            plans.push(db::SitePlan {
                site: b.site.clone(),
                head: proj.head.clone(),
                last_at_us: proj.state.last_at_us,
                records,
                tickets,
                runs,
                alarm,
            });
        }
        db::write_batch(&mut self.pg, &plans).await?;
        Ok(outcomes)
    }
}
