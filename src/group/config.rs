//! `DATA/group.toml`: which group a site ships its log to, and the names the site,
//! the hub and the ingest service agree on (one stream and one subject per site).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::DeskError;

/// The file that turns shipping on: without it the desk is a site alone.
pub const FILE: &str = "group.toml";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupConfig {
    /// The site's id in the group (also its JetStream domain): `s042`.
    pub site: String,
    /// The site's own nats-server (a leaf node of the hub): `nats://127.0.0.1:4222`.
    pub nats: String,
    /// A NATS credentials file, when the servers ask for one.
    #[serde(default)]
    pub credentials: Option<PathBuf>,
}

impl GroupConfig {
    /// Reads `DATA/group.toml`; `Ok(None)` when the site is not in a group.
    pub fn load(data: &Path) -> Result<Option<GroupConfig>, DeskError> {
        let file = data.join(FILE);
        let Some(cfg) = crate::config::load_toml::<GroupConfig>(&file)? else {
            return Ok(None);
        };
        check_site_id(&cfg.site).map_err(|why| {
            DeskError::Config(format!(
                "{}: site = \"{}\": {why}",
                file.display(),
                cfg.site
            ))
        })?;
        if !cfg.nats.starts_with("nats://") && !cfg.nats.starts_with("tls://") {
            return Err(DeskError::Config(format!(
                "{}: nats = \"{}\" is not a NATS address; write it as nats://HOST:PORT",
                file.display(),
                cfg.nats
            )));
        }
        Ok(Some(cfg))
    }
}

/// A site id names a stream, a subject token and a JetStream domain: short,
/// lowercase letters, digits, `-` and `_` only.
pub fn check_site_id(site: &str) -> Result<(), String> {
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
    if site.is_empty() || site.len() > 32 || !site.chars().all(ok_char) {
        return Err(
            "a site id is 1 to 32 lowercase letters, digits, '-' or '_' (like s042)".into(),
        );
    }
    Ok(())
}

/// The stream at the site (on its leaf node) that holds its log.
pub fn site_stream(site: &str) -> String {
    format!("DUTYDESK_{site}")
}

/// The stream at the hub holding a site's log: a mirror of the site's stream,
/// so its sequence numbers are the site's record numbers.
pub fn hub_stream(site: &str) -> String {
    format!("{HUB_PREFIX}{site}")
}

pub const HUB_PREFIX: &str = "GROUP_";

/// The site a hub stream belongs to, if it is one of ours.
pub fn site_of_hub_stream(stream: &str) -> Option<&str> {
    let site = stream.strip_prefix(HUB_PREFIX)?;
    check_site_id(site).ok().map(|_| site)
}

/// The one subject a site publishes its records on.
pub fn subject(site: &str) -> String {
    format!("dutydesk.{site}.log")
}

/// The message id of a record: JetStream drops a second message with it.
pub fn message_id(site: &str, seq: u64) -> String {
    format!("{site}:{seq}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_id_that_cannot_name_a_stream_is_refused() {
        assert!(check_site_id("s042").is_ok());
        for bad in ["", "S042", "s.1", "a b", "s>", &"x".repeat(33)] {
            assert!(check_site_id(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(site_of_hub_stream("GROUP_s042"), Some("s042"));
        assert_eq!(site_of_hub_stream("KV_x"), None);
    }

    #[test]
    fn a_bad_group_file_names_the_file_and_what_to_write() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE),
            "site = \"S 1\"\nnats = \"nats://h:1\"\n",
        )
        .unwrap();
        let e = GroupConfig::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("group.toml") && e.contains("lowercase"), "{e}");
        std::fs::write(dir.path().join(FILE), "site = \"s1\"\nnats = \"h:1\"\n").unwrap();
        let e = GroupConfig::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("nats://HOST:PORT"), "{e}");
    }
}
