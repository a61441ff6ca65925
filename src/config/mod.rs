//! What a site changes without touching code: the site directory, targets,
//! checklists and keymaps are TOML files with built-in defaults. A bad file is
//! reported with its path, line and what is wrong.

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
    match std::fs::read_to_string(file) {
        Ok(text) => parse_toml(&text, file).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(DeskError::Config(format!(
            "{}: cannot be read: {e}",
            file.display()
        ))),
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

/// The line on which `needle` first appears as a TOML key or value, for errors
/// found after parsing (an unknown department, a duplicate id).
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or(1)
}
