//! The shipping state of a site in a group: last shipped record, lag, last error.

use super::{Check, Facts, Verdict};
use crate::group::GroupConfig;

pub fn shipping(f: &mut Facts<'_>) -> Check {
    const NAME: &str = "group shipping";
    let cfg = match GroupConfig::load(f.dir) {
        Ok(Some(c)) => c,
        Ok(None) => return Check::ok(NAME, "not in a group (no group.toml): nothing to ship"),
        Err(e) => {
            return Check::fail(
                NAME,
                e.to_string(),
                "correct group.toml (site = \"s042\", nats = \"nats://HOST:PORT\"), then restart the owner",
            )
        }
    };
    let head = f.snapshot.as_ref().map(|s| s.state.seq);
    let Some(st) = crate::group::status::read(f.dir) else {
        return Check::new(
            NAME,
            Verdict::Warn,
            format!(
                "site {} has not shipped from here yet (no owner has run with group.toml)",
                cfg.site
            ),
        )
        .then("start the owner (any dutydesk command, or `dutydesk serve`); it ships by itself");
    };
    let head = head.unwrap_or(st.head).max(st.head);
    let lag = head.saturating_sub(st.shipped);
    let mut detail = format!(
        "site {} via {}: last shipped record {}, {} not yet shipped",
        cfg.site, cfg.nats, st.shipped, lag
    );
    if let Some(seq) = st.diverged_at {
        return Check::fail(
            NAME,
            format!(
                "{detail}; shipping STOPPED at record {seq}: {}",
                st.last_error.unwrap_or_default()
            ),
            "compare this site's log with the group's copy (`dutydesk group status`); do not edit either",
        );
    }
    if let Some(e) = &st.last_error {
        detail.push_str(&format!(
            "; last error ({}): {e}",
            st.last_error_at.as_deref().unwrap_or("?")
        ));
    }
    if !st.connected {
        return Check::new(
            NAME,
            Verdict::Warn,
            format!("{detail}; the link is down, the desk works on"),
        )
        .then(format!(
            "check that the site's nats-server at {} runs; shipping catches up by itself",
            cfg.nats
        ));
    }
    Check::ok(NAME, detail)
}
