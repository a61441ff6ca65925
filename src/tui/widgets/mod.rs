//! Pieces shared by several screens.

pub mod bigclock;
pub mod fit;
pub mod header;
pub mod history;
pub mod input;
pub mod popup;
pub mod report_view;

pub use popup::popup;

use ratatui::layout::{Constraint, Flex, Layout, Rect};

/// A rectangle of `w` x `h` in the middle of `area` (clipped to it), for dialogs.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(h.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::horizontal([Constraint::Length(w.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    r
}

/// A local clock time from microseconds since the epoch: "23:14".
pub fn local_hm(at_us: i64) -> String {
    chrono::DateTime::from_timestamp_micros(at_us)
        .map(|t| t.with_timezone(&chrono::Local).format("%H:%M").to_string())
        .unwrap_or_default()
}

/// "11-25 23:14": date and time for timelines and history.
pub fn local_md_hm(at_us: i64) -> String {
    chrono::DateTime::from_timestamp_micros(at_us)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}
