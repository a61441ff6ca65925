//! The doctor's clock check: is the system clock behind the log (records then
//! keep the log's time), and which jumps has the log recorded.

use crate::clock::seconds_between;
use crate::config::site::Site;
use crate::display::short_duration;
use crate::doctor::{Check, Facts, Verdict};
use crate::state::State;

fn when(us: i64) -> String {
    chrono::DateTime::from_timestamp_micros(us)
        .unwrap_or_default()
        .with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

const NAME: &str = "system clock";

/// The check as doctor runs it: skipped when the desk could not be read.
pub fn check_facts(f: &mut Facts<'_>) -> Check {
    match &f.snapshot {
        Some(snap) => check(&snap.state, &snap.site),
        None => Check::new(
            NAME,
            Verdict::Skipped,
            "not checked: the store could not be read",
        ),
    }
}

/// The check, with the clock of this process (`DUTYDESK_NOW` in tests).
pub fn check(state: &State, site: &Site) -> Check {
    let now = crate::clock::from_env()
        .map(|c| c.now())
        .unwrap_or_else(|_| chrono::Utc::now());
    check_at(state, site, now.timestamp_micros())
}

pub fn check_at(state: &State, site: &Site, now_us: i64) -> Check {
    let behind_us = state.last_at_us - now_us;
    let behind = !state.store_is_new() && behind_us > site.clock.max_jump_us();
    let mut detail = if behind {
        format!(
            "the system clock reads {} but the log's last record is at {} ({} later): \
             records keep the log's time until the clock is right. Set the system clock \
             (e.g. `timedatectl`, or check NTP)",
            when(now_us),
            when(state.last_at_us),
            short_duration(seconds_between(now_us, state.last_at_us))
        )
    } else {
        "the system clock agrees with the log".to_string()
    };
    if let Some(j) = state.clock.last_jump {
        detail.push_str(&format!(
            "; {} clock jump(s) recorded, the last: moved {} {} at {} (record {})",
            state.clock.jumps,
            if j.is_back() { "back" } else { "ahead" },
            short_duration(j.seconds()),
            when(j.at_us),
            j.seq
        ));
    }
    if behind || state.clock.held {
        Check::fail(
            NAME,
            detail,
            "set the system clock right (`timedatectl set-time`, or check NTP with `timedatectl status`)",
        )
    } else {
        Check::ok(NAME, detail)
    }
}
