//! The group's read model in PostgreSQL, created and migrated by the commands
//! themselves. `events` is the centre's copy of every site's chain (the anchor);
//! the other tables are projections rebuilt from it.

/// Each step, in order; `dd_schema` remembers how many have run.
pub const MIGRATIONS: &[&str] = &[
    // 1: the chains and the read model.
    "CREATE TABLE dd_sites (
        site text PRIMARY KEY,
        last_seq bigint NOT NULL DEFAULT 0,
        last_hash bytea,
        last_at timestamptz,
        last_ingest timestamptz,
        chain_ok boolean NOT NULL DEFAULT true,
        alarm text,
        alarm_at timestamptz
    );
    CREATE TABLE dd_events (
        site text NOT NULL,
        seq bigint NOT NULL,
        prev_hash bytea NOT NULL,
        hash bytea NOT NULL,
        at timestamptz NOT NULL,
        operator text NOT NULL,
        kind text NOT NULL,
        record bytea NOT NULL,
        ingested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (site, seq)
    );
    CREATE TABLE dd_tickets (
        site text NOT NULL,
        number bigint NOT NULL,
        id text NOT NULL,
        kind text NOT NULL,
        priority int NOT NULL,
        unit text NOT NULL,
        summary text NOT NULL,
        state text NOT NULL,
        is_open boolean NOT NULL,
        opened_at timestamptz NOT NULL,
        due_at timestamptz,
        dispatched_at timestamptz,
        dispatch_met boolean,
        PRIMARY KEY (site, number)
    );
    CREATE INDEX dd_tickets_open ON dd_tickets (is_open, due_at);
    CREATE TABLE dd_emergencies (
        site text NOT NULL,
        number bigint NOT NULL,
        id text NOT NULL,
        plan text NOT NULL,
        name_en text NOT NULL,
        name_zh text NOT NULL,
        location text,
        ticket text NOT NULL,
        severity int NOT NULL,
        started_at timestamptz NOT NULL,
        closed_at timestamptz,
        PRIMARY KEY (site, number)
    );",
];

/// Runs the migrations not yet applied, in one transaction each.
pub fn statements_after(applied: usize) -> impl Iterator<Item = (usize, &'static str)> {
    MIGRATIONS
        .iter()
        .enumerate()
        .skip(applied)
        .map(|(i, s)| (i + 1, *s))
}

pub const VERSION_TABLE: &str = "CREATE TABLE IF NOT EXISTS dd_schema (version int NOT NULL); \
     LOCK TABLE dd_schema IN EXCLUSIVE MODE";
