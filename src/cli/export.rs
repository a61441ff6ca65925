//! `dutydesk export` (the log, or one shift of it, as JSON lines, CSV, a
//! spreadsheet or the handover report) and `dutydesk stats` (the monthly figures).

use std::io::Write;

use crate::cli::args::{Cmd, ExportArgs, Format};
use crate::datadir::DataDir;
use crate::error::DeskError;
use crate::export::shift::{load, Selection};
use crate::export::{csv, jsonl, redact, report, stats, xlsx};
use crate::fsx::write_named;
use crate::seam::DeskApi;
use crate::store::record::hex;

/// `data`: the data directory, whose store and own files an export may not replace.
pub fn run(api: &mut dyn DeskApi, cmd: &Cmd, data: &std::path::Path) -> Result<i32, DeskError> {
    match cmd {
        Cmd::Export(args) => export(api, args, &DataDir(data.to_path_buf())),
        Cmd::Stats { month, json } => month_stats(api, month, *json),
        _ => Err(DeskError::Internal("not an export command".into())),
    }
}

fn now_us() -> Result<i64, DeskError> {
    Ok(crate::clock::from_env()
        .map_err(|e| DeskError::invalid("DUTYDESK_NOW", e))?
        .now()
        .timestamp_micros())
}

fn export(api: &mut dyn DeskApi, args: &ExportArgs, data: &DataDir) -> Result<i32, DeskError> {
    let sel: Selection = args.shift.parse()?;
    // Before anything is read: a refused path costs nothing.
    let kept = data.kept();
    crate::fsx::guard::check(&args.out, &kept, "--out")?;
    if args.redact && args.format == Format::Jsonl {
        // Redacting changes the records' contents, so their hashes would no longer
        // verify: a redacted JSON-lines file would look like a tampered one.
        return Err(DeskError::invalid(
            "--redact",
            "a JSON-lines export carries the records as hashed and cannot be redacted (it would no longer verify): \
             use --format csv or --format md with --redact, or export jsonl without --redact and keep it on site",
        ));
    }
    let mut slice = load(api, sel, now_us()?)?;
    if args.redact {
        redact::state(&mut slice.state);
    }
    let tz = chrono::Local;
    let what = match args.format {
        Format::Jsonl => {
            if slice.records.is_empty() {
                return Err(DeskError::NotFound(crate::domain::Missing::NothingToExport));
            }
            write_named(&args.out, &kept, "--out", |w| {
                jsonl::write_records(w, &slice.records).map(|_| ())
            })?;
            format!("{} records", slice.records.len())
        }
        Format::Csv => {
            let mut rows = 0;
            write_named(&args.out, &kept, "--out", |w| {
                rows = csv::write(w, &slice, &tz)?;
                Ok(())
            })?;
            format!("{rows} tickets")
        }
        Format::Xlsx => {
            let book = xlsx::render(&slice, &tz)?;
            write_named(&args.out, &kept, "--out", |w| {
                w.write_all(&book)
                    .map_err(|e| DeskError::storage("write the spreadsheet export", e))
            })?;
            format!("{} tickets", slice.touched_tickets().len())
        }
        Format::Md => {
            let targets = api.snapshot()?.site.targets;
            let md = report::render(&slice, &targets, &tz);
            write_named(&args.out, &kept, "--out", |w| {
                w.write_all(md.as_bytes())
                    .map_err(|e| DeskError::storage("write the report", e))
            })?;
            "the handover report".to_string()
        }
    };
    let head = slice
        .head()
        .map(|(seq, h)| format!("; chain head: record {seq} {}", hex(&h)))
        .unwrap_or_default();
    eprintln!(
        "wrote {what}{} to {}{head}",
        if args.redact { " (redacted)" } else { "" },
        args.out.display()
    );
    Ok(0)
}

fn month_stats(api: &mut dyn DeskApi, month: &str, json: bool) -> Result<i32, DeskError> {
    let (y, m) = stats::parse_month(month)?;
    let snap = api.snapshot()?;
    let s = stats::month(&snap.state, y, m, &chrono::Local)?;
    let mut out = std::io::stdout().lock();
    if json {
        let _ = writeln!(out, "{}", s.to_json());
    } else {
        let _ = write!(out, "{}", s.render());
    }
    Ok(0)
}
