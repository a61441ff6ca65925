//! Where two folds of the same log disagree, named for a person: the check that
//! a checkpoint (or any state served from one) is what the log itself says.

use super::State;

/// The parts of `other` that differ from `log` (the state folded from the log
/// itself), at most `limit` named; empty when they are the same.
pub fn differences(log: &State, other: &State, limit: usize) -> Vec<String> {
    if log == other {
        return Vec::new();
    }
    let mut out = Vec::new();
    if log.seq != other.seq {
        out.push(format!(
            "folded up to record {} instead of {}",
            other.seq, log.seq
        ));
    }
    for (n, t) in &log.tickets {
        if other.tickets.get(n) != Some(t) {
            out.push(format!("ticket {}", t.id.0));
        }
    }
    for (n, t) in &other.tickets {
        if !log.tickets.contains_key(n) {
            out.push(format!("ticket {} (not in the log)", t.id.0));
        }
    }
    if log.shifts != other.shifts {
        out.push("shifts".into());
    }
    if log.runs != other.runs {
        out.push("emergency runs".into());
    }
    if log.site != other.site {
        out.push("site name".into());
    }
    if out.is_empty() {
        out.push("the remembered submissions and times".into());
    }
    if out.len() > limit {
        let more = out.len() - limit;
        out.truncate(limit);
        out.push(format!("{more} more"));
    }
    out
}
