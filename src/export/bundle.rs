//! The export at shift change: the shift's records (.jsonl), its tickets (.csv for
//! scripts, .xlsx for a spreadsheet program, which opens it with every cell typed)
//! and the handover report (.md), written side by side under `DATA/exports/` and
//! named by the shift's local start date and number:
//! `2026-11-25-shift-3.{jsonl,csv,md,xlsx}`.
//! The desk writes them as part of the handover (`export::evidence`).

use std::path::{Path, PathBuf};

use chrono::TimeZone;

use crate::config::site::Targets;
use crate::error::DeskError;
use crate::export::shift::Slice;
use crate::export::{csv, jsonl, local_time, report, xlsx};
use crate::fsx::write_atomically;

/// The file name stem of a shift's exports.
pub fn stem<Tz: TimeZone>(slice: &Slice, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    match slice.shift() {
        Some(s) => format!(
            "{}-shift-{}",
            local_time(s.started_at_us, tz, "%Y-%m-%d"),
            s.id
        ),
        None => format!("{}-all", local_time(slice.until_us, tz, "%Y-%m-%d")),
    }
}

/// Writes the four files into `dir` (each whole or not at all) and returns their paths.
pub fn write<Tz: TimeZone>(
    slice: &Slice,
    targets: &Targets,
    dir: &Path,
    tz: &Tz,
) -> Result<Vec<PathBuf>, DeskError>
where
    Tz::Offset: std::fmt::Display,
{
    let stem = stem(slice, tz);
    let paths: Vec<PathBuf> = ["jsonl", "csv", "md", "xlsx"]
        .iter()
        .map(|ext| dir.join(format!("{stem}.{ext}")))
        .collect();
    write_atomically(&paths[0], |w| {
        jsonl::write_records(w, &slice.records).map(|_| ())
    })?;
    write_atomically(&paths[1], |w| csv::write(w, slice, tz).map(|_| ()))?;
    let md = report::render(slice, targets, tz);
    write_atomically(&paths[2], |w| {
        std::io::Write::write_all(w, md.as_bytes())
            .map_err(|e| DeskError::storage("write the handover report", e))
    })?;
    let book = xlsx::render(slice, tz)?;
    write_atomically(&paths[3], |w| {
        std::io::Write::write_all(w, &book)
            .map_err(|e| DeskError::storage("write the spreadsheet export", e))
    })?;
    Ok(paths)
}
