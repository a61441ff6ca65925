//! The log as JSON lines: one record per line, the same shape as `log --json`
//! (exports, and the records recovery could not chain).
//!
//! Written through a borrowed struct rather than `Record::to_json`, which builds
//! a whole `serde_json::Value` per record: a shift of 100,000 records is written
//! at shift change, while the operator waits. Fields are in the same (sorted)
//! order as `to_json`, so the lines are byte for byte the same.

use std::io::Write;

use serde::Serialize;

use crate::error::DeskError;
use crate::store::record::rfc3339;
use crate::store::Record;

#[derive(Serialize)]
struct Line<'a> {
    at: String,
    event: serde_json::Value,
    hash: &'a str,
    operator: &'a str,
    prev_hash: &'a str,
    request: &'a Option<String>,
    seq: u64,
    shift: u64,
    unix_user: &'a str,
}

/// Lower-case hex without a `format!` per byte.
fn hex_into<'a>(bytes: &[u8; 32], buf: &'a mut [u8; 64]) -> &'a str {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for (i, b) in bytes.iter().enumerate() {
        buf[2 * i] = DIGITS[usize::from(b >> 4)];
        buf[2 * i + 1] = DIGITS[usize::from(b & 0x0f)];
    }
    std::str::from_utf8(buf).unwrap_or("")
}

pub fn write_records<'a>(
    out: &mut impl Write,
    records: impl IntoIterator<Item = &'a Record>,
) -> Result<u64, DeskError> {
    let mut n = 0;
    let (mut h, mut p) = ([0u8; 64], [0u8; 64]);
    for r in records {
        let line = Line {
            at: rfc3339(r.body.at_us),
            event: r.body.event.to_json(),
            hash: hex_into(&r.hash, &mut h),
            operator: &r.body.operator,
            prev_hash: hex_into(&r.prev_hash, &mut p),
            request: &r.body.request,
            seq: r.body.seq,
            shift: r.body.shift,
            unix_user: &r.body.unix_user,
        };
        serde_json::to_writer(&mut *out, &line)
            .map_err(|e| DeskError::storage("write the export", e))?;
        out.write_all(b"\n")
            .map_err(|e| DeskError::storage("write the export", e))?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Event;
    use crate::store::{Body, GENESIS};

    #[test]
    fn lines_are_the_records_json_form() {
        let body = Body {
            seq: 1,
            at_us: 1_764_100_000_123_456,
            operator: "王军".into(),
            unix_user: "wang".into(),
            shift: 1,
            request: Some("k".into()),
            event: Event::ShiftStarted {
                shift: 1,
                operator: "王军".into(),
            },
        };
        let (rec, _) = Record::seal(body, GENESIS).unwrap();
        let mut out = Vec::new();
        write_records(&mut out, [&rec]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("{}\n", rec.to_json())
        );
    }
}
