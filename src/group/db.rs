//! The ingest's side of PostgreSQL: connect, migrate, load the chain heads and
//! write one batch in one transaction.

use chrono::{DateTime, Utc};
use tokio_postgres::NoTls;

use crate::error::DeskError;
use crate::group::chain::Head;
use crate::group::project::{EmergencyRow, TicketRow};
use crate::group::schema;
use crate::store::{Record, GENESIS};

pub fn pg_error(what: &str, e: impl std::fmt::Display) -> DeskError {
    DeskError::Group(format!(
        "PostgreSQL: cannot {what}: {e}; check that the server runs and that --pg names it"
    ))
}

pub async fn connect_async(url: &str) -> Result<tokio_postgres::Client, DeskError> {
    let (client, conn) = tokio_postgres::connect(url, NoTls)
        .await
        .map_err(|e| pg_error(&format!("connect to {}", redact(url)), e))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(client)
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
            None => url.to_string(),
        },
        _ => url.to_string(),
    }
}

pub async fn migrate_async(pg: &mut tokio_postgres::Client) -> Result<(), DeskError> {
    let tx = pg.transaction().await.map_err(|e| pg_error("begin", e))?;
    tx.batch_execute(schema::VERSION_TABLE)
        .await
        .map_err(|e| pg_error("create the schema table", e))?;
    let row = tx
        .query_opt("SELECT version FROM dd_schema", &[])
        .await
        .map_err(|e| pg_error("read the schema version", e))?;
    let applied = row.map(|r| r.get::<_, i32>(0) as usize).unwrap_or(0);
    if applied > schema::MIGRATIONS.len() {
        return Err(DeskError::Config(format!(
            "the group database has schema {applied}, newer than this dutydesk knows ({}); upgrade dutydesk",
            schema::MIGRATIONS.len()
        )));
    }
    for (_, sql) in schema::statements_after(applied) {
        tx.batch_execute(sql)
            .await
            .map_err(|e| pg_error("migrate the schema", e))?;
    }
    let v = schema::MIGRATIONS.len() as i32;
    tx.execute("DELETE FROM dd_schema", &[])
        .await
        .map_err(|e| pg_error("record the schema version", e))?;
    tx.execute("INSERT INTO dd_schema (version) VALUES ($1)", &[&v])
        .await
        .map_err(|e| pg_error("record the schema version", e))?;
    tx.commit()
        .await
        .map_err(|e| pg_error("commit the schema", e))
}

/// Each site's chain head and whether its projection is stopped.
pub async fn site_heads(
    pg: &tokio_postgres::Client,
) -> Result<Vec<(String, Head, bool)>, DeskError> {
    let rows = pg
        .query(
            "SELECT site, last_seq, last_hash, chain_ok FROM dd_sites",
            &[],
        )
        .await
        .map_err(|e| pg_error("read the sites", e))?;
    Ok(rows
        .iter()
        .map(|r| {
            let hash: Option<Vec<u8>> = r.get(2);
            let hash = hash
                .and_then(|h| <[u8; 32]>::try_from(h.as_slice()).ok())
                .unwrap_or(GENESIS);
            let seq: i64 = r.get(1);
            (
                r.get(0),
                Head {
                    seq: seq as u64,
                    hash,
                },
                !r.get::<_, bool>(3),
            )
        })
        .collect())
}

pub async fn site_records(
    pg: &tokio_postgres::Client,
    site: &str,
) -> Result<Vec<Vec<u8>>, DeskError> {
    let rows = pg
        .query(
            "SELECT record FROM dd_events WHERE site = $1 ORDER BY seq",
            &[&site],
        )
        .await
        .map_err(|e| pg_error("read the records of a site", e))?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

pub async fn hash_at(
    pg: &tokio_postgres::Client,
    site: &str,
    seq: u64,
) -> Result<Option<[u8; 32]>, DeskError> {
    let row = pg
        .query_opt(
            "SELECT hash FROM dd_events WHERE site = $1 AND seq = $2",
            &[&site, &(seq as i64)],
        )
        .await
        .map_err(|e| pg_error("read a record's hash", e))?;
    Ok(row.and_then(|r| <[u8; 32]>::try_from(r.get::<_, Vec<u8>>(0).as_slice()).ok()))
}

/// What one batch changes for one site.
pub struct SitePlan {
    pub site: String,
    pub head: Head,
    pub last_at_us: i64,
    pub records: Vec<(Record, Vec<u8>)>,
    pub tickets: Vec<TicketRow>,
    pub runs: Vec<EmergencyRow>,
    pub alarm: Option<String>,
}

fn ts(us: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(us).unwrap_or_default()
}

/// One transaction: the records, the read model, the sites' heads.
pub async fn write_batch(
    pg: &mut tokio_postgres::Client,
    plans: &[SitePlan],
) -> Result<(), DeskError> {
    let tx = pg.transaction().await.map_err(|e| pg_error("begin", e))?;
    let w = |e| pg_error("write a batch", e);
    let ins_event = tx
        .prepare(
            "INSERT INTO dd_events (site, seq, prev_hash, hash, at, operator, kind, record)
             SELECT $1, * FROM unnest($2::bigint[], $3::bytea[], $4::bytea[], $5::timestamptz[], $6::text[], $7::text[], $8::bytea[])
             ON CONFLICT (site, seq) DO NOTHING",
        )
        .await
        .map_err(w)?;
    let up_ticket = tx
        .prepare(
            "INSERT INTO dd_tickets (site, number, id, kind, priority, unit, summary, state, is_open, opened_at, due_at, dispatched_at, dispatch_met)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)
             ON CONFLICT (site, number) DO UPDATE SET id = EXCLUDED.id, kind = EXCLUDED.kind, priority = EXCLUDED.priority,
               unit = EXCLUDED.unit, summary = EXCLUDED.summary, state = EXCLUDED.state, is_open = EXCLUDED.is_open,
               opened_at = EXCLUDED.opened_at, due_at = EXCLUDED.due_at, dispatched_at = EXCLUDED.dispatched_at,
               dispatch_met = EXCLUDED.dispatch_met",
        )
        .await
        .map_err(w)?;
    let up_run = tx
        .prepare(
            "INSERT INTO dd_emergencies (site, number, id, plan, name_en, name_zh, location, ticket, severity, started_at, closed_at)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
             ON CONFLICT (site, number) DO UPDATE SET severity = EXCLUDED.severity, location = EXCLUDED.location,
               closed_at = EXCLUDED.closed_at",
        )
        .await
        .map_err(w)?;
    let up_site = tx
        .prepare(
            "INSERT INTO dd_sites (site, last_seq, last_hash, last_at, last_ingest, chain_ok, alarm, alarm_at)
             VALUES ($1, $2, $3, $4, clock_timestamp(), $5, $6, CASE WHEN $6::text IS NULL THEN NULL ELSE clock_timestamp() END)
             ON CONFLICT (site) DO UPDATE SET last_seq = EXCLUDED.last_seq, last_hash = EXCLUDED.last_hash,
               last_at = COALESCE(EXCLUDED.last_at, dd_sites.last_at), last_ingest = EXCLUDED.last_ingest,
               chain_ok = dd_sites.chain_ok AND EXCLUDED.chain_ok,
               alarm = COALESCE(dd_sites.alarm, EXCLUDED.alarm), alarm_at = COALESCE(dd_sites.alarm_at, EXCLUDED.alarm_at)",
        )
        .await
        .map_err(w)?;
    for p in plans {
        if !p.records.is_empty() {
            let seqs: Vec<i64> = p.records.iter().map(|(r, _)| r.body.seq as i64).collect();
            let prevs: Vec<&[u8]> = p.records.iter().map(|(r, _)| &r.prev_hash[..]).collect();
            let hashes: Vec<&[u8]> = p.records.iter().map(|(r, _)| &r.hash[..]).collect();
            let ats: Vec<DateTime<Utc>> = p.records.iter().map(|(r, _)| ts(r.body.at_us)).collect();
            let ops: Vec<&str> = p
                .records
                .iter()
                .map(|(r, _)| r.body.operator.as_str())
                .collect();
            let kinds: Vec<&str> = p
                .records
                .iter()
                .map(|(r, _)| r.body.event.type_name())
                .collect();
            let bytes: Vec<&[u8]> = p.records.iter().map(|(_, b)| b.as_slice()).collect();
            tx.execute(
                &ins_event,
                &[&p.site, &seqs, &prevs, &hashes, &ats, &ops, &kinds, &bytes],
            )
            .await
            .map_err(w)?;
        }
        for t in &p.tickets {
            tx.execute(
                &up_ticket,
                &[
                    &p.site,
                    &t.number,
                    &t.id,
                    &t.kind,
                    &t.priority,
                    &t.unit,
                    &t.summary,
                    &t.state,
                    &t.is_open,
                    &ts(t.opened_at_us),
                    &t.due_at_us.map(ts),
                    &t.dispatched_at_us.map(ts),
                    &t.dispatch_met,
                ],
            )
            .await
            .map_err(w)?;
        }
        for r in &p.runs {
            tx.execute(
                &up_run,
                &[
                    &p.site,
                    &r.number,
                    &r.id,
                    &r.plan,
                    &r.name_en,
                    &r.name_zh,
                    &r.location,
                    &r.ticket,
                    &r.severity,
                    &ts(r.started_at_us),
                    &r.closed_at_us.map(ts),
                ],
            )
            .await
            .map_err(w)?;
        }
        let last_at = (p.head.seq > 0).then(|| ts(p.last_at_us));
        let ok = p.alarm.is_none();
        tx.execute(
            &up_site,
            &[
                &p.site,
                &(p.head.seq as i64),
                &&p.head.hash[..],
                &last_at,
                &ok,
                &p.alarm,
            ],
        )
        .await
        .map_err(w)?;
    }
    tx.commit().await.map_err(|e| pg_error("commit a batch", e))
}
