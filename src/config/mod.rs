//! What a site changes without touching code: the site directory, targets,
//! checklists and keymaps are TOML files with built-in defaults. A bad file is
//! reported with its path, line and what is wrong.

pub mod plans;
pub mod site;

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::DeskError;

/// Parses TOML text, turning an error into "FILE:LINE:COL: what is wrong".
pub fn parse_toml<T: DeserializeOwned>(text: &str, file: &Path) -> Result<T, DeskError> {
    toml::from_str(text).map_err(|e| {
        let place = match e.span() {
            Some(span) => {
                let (line, col) = line_col(text, span.start);
                format!("{}:{line}:{col}", file.display())
            }
            None => file.display().to_string(),
        };
        DeskError::Config(format!("{place}: {}", e.message().trim()))
    })
}

/// Reads and parses a TOML file; `Ok(None)` when the file does not exist.
pub fn load_toml<T: DeserializeOwned>(file: &Path) -> Result<Option<T>, DeskError> {
    match read_text(file)? {
        Some(text) => parse_toml(&text, file).map(Some),
        None => Ok(None),
    }
}

/// A configuration file's text; `Ok(None)` when it does not exist. Every site
/// file is read through here, so one that is not UTF-8 (saved as GBK, say) is
/// named with the line and the byte, not "stream did not contain valid UTF-8".
pub fn read_text(file: &Path) -> Result<Option<String>, DeskError> {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(DeskError::Config(format!(
                "{}: cannot be read: {e}",
                file.display()
            )))
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
            Err(DeskError::Config(format!(
                "{} line {line}: not UTF-8 text (byte 0x{:02x}); save the file as UTF-8",
                file.display(),
                bytes.get(at).copied().unwrap_or(0)
            )))
        }
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

/// The line on which `needle` appears for the `n`th time (1-based), for the
/// second of two entries; the first line if it appears fewer times.
pub fn nth_line_of(text: &str, needle: &str, n: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(n.saturating_sub(1))
        .map(|(i, _)| i + 1)
        .unwrap_or_else(|| line_of(text, needle))
}

/// The line on which `needle` first appears as a TOML key or value, for errors
/// found after parsing (an unknown department, a duplicate id).
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or(1)
}
