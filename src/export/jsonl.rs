//! The log as JSON lines: one record per line, the same shape as `log --json`.

use std::io::Write;

use crate::error::DeskError;
use crate::store::Record;

pub fn write_records<'a>(
    out: &mut impl Write,
    records: impl IntoIterator<Item = &'a Record>,
) -> Result<u64, DeskError> {
    let mut n = 0;
    for r in records {
        serde_json::to_writer(&mut *out, &r.to_json())
            .map_err(|e| DeskError::storage("write the export", e))?;
        out.write_all(b"\n")
            .map_err(|e| DeskError::storage("write the export", e))?;
        n += 1;
    }
    Ok(n)
}
