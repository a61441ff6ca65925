//! Keys for driving an `App` in-process (the TestBackend screen tests).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dutydesk::tui::App;

pub fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

pub fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Types `text` one key at a time, as an operator would.
pub fn typ(app: &mut App, text: &str) {
    for c in text.chars() {
        app.key(ch(c));
    }
}
