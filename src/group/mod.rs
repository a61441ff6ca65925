//! The group view across many sites: each site's log shipped through NATS
//! JetStream, the group's read model in PostgreSQL.
//!
//! - `config`: `DATA/group.toml` and the names site, hub and ingest agree on;
//! - `publish`: the site side, run by the owner beside the desk;
//! - `status`: the shipping state the owner leaves for `doctor` and the screen;
//! - `ingest`, `chain`, `project`, `db`, `schema`: the group side into PostgreSQL;
//! - `view`: the group's view model, for `group status` and the dashboard.
//!
//! The async runtime the NATS and PostgreSQL clients need stays inside this
//! module: the desk, the rules and the dashboard are synchronous.

pub mod chain;
pub mod config;
pub mod db;
pub mod ingest;
pub mod project;
pub mod publish;
pub mod schema;
pub mod status;
pub mod view;

pub use config::GroupConfig;
