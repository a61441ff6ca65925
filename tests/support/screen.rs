//! The dashboard drawn in-process on a TestBackend, read back as text.

use chrono::{TimeZone, Utc};
use dutydesk::clock::ManualClock;
use dutydesk::tui::App;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// The evening the in-process screen tests play: a data directory with the demo
/// site's units, and a manual clock at 21:00 UTC on 25 November 2026.
pub fn evening() -> (tempfile::TempDir, ManualClock) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), dutydesk::demo::DEMO_SITE).unwrap();
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 25, 21, 0, 0).unwrap());
    (dir, clock)
}

/// `app` drawn once on a `w`x`h` test terminal.
pub fn render(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    t
}

/// The screen as text, one string per row; a wide character's second cell is skipped.
pub fn rows(t: &Terminal<TestBackend>) -> Vec<String> {
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            let mut s = String::new();
            let mut x = 0;
            while x < buf.area.width {
                let sym = buf[(x, y)].symbol();
                s.push_str(sym);
                x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
            }
            s
        })
        .collect()
}
