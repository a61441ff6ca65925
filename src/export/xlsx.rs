//! The shift's tickets as a spreadsheet (`.xlsx`), beside the CSV.
//!
//! Why a workbook as well as the CSV: a spreadsheet program guesses the type of
//! every CSV cell, so a landline `0571-88235617` survives but `057188235617`
//! loses its leading 0 and a mobile shows as `1.38E+10`. In a workbook each cell
//! carries its type: ids, phones, units and texts are written as text (and the
//! columns formatted as text, so an edit keeps them so), counts as numbers, times
//! as dates. The CSV stays for scripts.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use unicode_width::UnicodeWidthStr;

use chrono::TimeZone;

use crate::error::DeskError;
use crate::export::csv::{rows, HEADERS};
use crate::export::shift::Slice;

/// Columns holding a count (priority, seconds to dispatch, times reopened).
const NUMBERS: [usize; 3] = [2, 11, 16];
/// Columns holding a local time `YYYY-MM-DD HH:MM:SS`.
const TIMES: [usize; 4] = [9, 10, 13, 15];

/// The workbook's bytes: one sheet, the header row frozen, columns sized to
/// their widest cell (a Chinese character counts two).
pub fn render<Tz: TimeZone>(slice: &Slice, tz: &Tz) -> Result<Vec<u8>, DeskError>
where
    Tz::Offset: std::fmt::Display,
{
    build(slice, tz).map_err(|e| DeskError::storage("write the spreadsheet export", e))
}

fn build<Tz: TimeZone>(slice: &Slice, tz: &Tz) -> Result<Vec<u8>, XlsxError>
where
    Tz::Offset: std::fmt::Display,
{
    let rows = rows(slice, tz);
    let mut book = Workbook::new();
    let header = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let sheet = book.add_worksheet();
    sheet.set_name("工单 Tickets")?;
    let mut widths: Vec<usize> = HEADERS.iter().map(|h| h.width()).collect();
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = (r + 1) as u32;
        for (c, cell) in row.iter().enumerate() {
            widths[c] = widths[c].max(cell.width());
            if cell.is_empty() {
                continue;
            }
            let col = c as u16;
            if NUMBERS.contains(&c) {
                if let Ok(n) = cell.parse::<f64>() {
                    sheet.write_number(r, col, n)?;
                    continue;
                }
            }
            if TIMES.contains(&c) {
                if let Ok(t) = ExcelDateTime::parse_from_str(cell) {
                    sheet.write_datetime_with_format(r, col, &t, &date)?;
                    continue;
                }
            }
            sheet.write_string_with_format(r, col, cell, &text)?;
        }
    }
    for (c, w) in widths.iter().enumerate() {
        // Room for the widest cell, within reason: a long summary wraps the view, not the sheet.
        sheet.set_column_width(c as u16, (*w).clamp(6, 60) as f64 + 1.0)?;
        if !NUMBERS.contains(&c) && !TIMES.contains(&c) {
            sheet.set_column_format(c as u16, &text)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}
