//! What leaves the desk for people and other programs: JSON lines, CSV, the
//! handover report, and the chain check of an exported file.

pub mod bundle;
pub mod csv;
pub mod evidence;
pub mod json;
// The JSON-lines form of records is the store's own (recovery writes it too).
pub use crate::store::jsonl;
pub mod redact;
pub mod report;
pub mod shift;
pub mod stats;
pub mod verify;
pub mod xlsx;

use chrono::TimeZone;

use crate::store::record::time_of;

/// A time of the log in the site's time zone, for people (reports, CSV, stats).
pub fn local_time<Tz: TimeZone>(at_us: i64, tz: &Tz, fmt: &str) -> String
where
    Tz::Offset: std::fmt::Display,
{
    time_of(at_us).with_timezone(tz).format(fmt).to_string()
}
