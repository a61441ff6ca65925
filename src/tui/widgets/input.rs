//! A one-line text input with a cursor, measured in display columns so Chinese
//! text and the cursor line up.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::display::{truncate, width};

#[derive(Debug, Clone, Default)]
pub struct Input {
    chars: Vec<char>,
    cursor: usize,
}

impl Input {
    pub fn with(text: &str) -> Input {
        let chars: Vec<char> = text.chars().collect();
        let cursor = chars.len();
        Input { chars, cursor }
    }

    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.iter().all(|c| c.is_whitespace())
    }

    pub fn at_end(&self) -> bool {
        self.cursor == self.chars.len()
    }

    pub fn set(&mut self, text: &str) {
        *self = Input::with(text);
    }

    /// Edits for a key that is not bound to an action; true if the key was used.
    pub fn edit(&mut self, ev: &KeyEvent) -> bool {
        if ev
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return false;
        }
        match ev.code {
            KeyCode::Char(c) if !c.is_control() => {
                self.chars.insert(self.cursor, c);
                self.cursor += 1;
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                self.chars.remove(self.cursor);
            }
            KeyCode::Delete if self.cursor < self.chars.len() => {
                self.chars.remove(self.cursor);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.chars.len()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.chars.len(),
            _ => return false,
        }
        true
    }

    /// Moves the cursor right (the `accept` key doubles as → in fields without suggestions).
    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.chars.len());
    }

    /// The text as a line of at most `cols` columns, with a visible cursor when focused.
    pub fn line(&self, cols: usize, focused: bool, style: Style, cursor: Style) -> Line<'static> {
        if !focused {
            return Line::from(Span::styled(truncate(&self.text(), cols), style));
        }
        let before: String = self.chars[..self.cursor].iter().collect();
        let at = self.chars.get(self.cursor).copied().unwrap_or(' ');
        let after: String = self
            .chars
            .get(self.cursor + 1..)
            .unwrap_or(&[])
            .iter()
            .collect();
        // Keep the cursor in view: drop text on the left when the field is full.
        let mut before = before;
        while width(&before) + 2 > cols && !before.is_empty() {
            before.remove(0);
        }
        let rest = cols.saturating_sub(width(&before) + width(&at.to_string()));
        Line::from(vec![
            Span::styled(before, style),
            Span::styled(at.to_string(), cursor),
            Span::styled(truncate(&after, rest), style),
        ])
    }
}
