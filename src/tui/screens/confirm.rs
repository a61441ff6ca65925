//! A yes/no question: discarding a form with input, quitting with one.

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::text::Bilingual;
use crate::tui::app::{App, Flow, Screen};
use crate::tui::keymap::{Act, Ctx};
use crate::tui::strings::{self as s, tr};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnYes {
    /// Close the screen under the dialog (the form).
    CloseBelow,
    Quit,
}

pub struct Confirm {
    question: Bilingual,
    on_yes: OnYes,
}

impl Confirm {
    pub fn new(question: Bilingual, on_yes: OnYes) -> Confirm {
        Confirm { question, on_yes }
    }
}

impl Screen for Confirm {
    fn ctx(&self) -> Ctx {
        Ctx::Confirm
    }

    fn key(&mut self, app: &mut App, _ev: &KeyEvent, act: Option<Act>) -> Flow {
        match act {
            Some(Act::Yes) => match self.on_yes {
                OnYes::CloseBelow => Flow::Close(2),
                OnYes::Quit => {
                    app.set_quit();
                    Flow::Close(1)
                }
            },
            Some(Act::No) => Flow::Close(1),
            _ => Flow::Stay,
        }
    }

    fn draw(&self, app: &App, f: &mut Frame, area: Rect) {
        let r = crate::tui::widgets::popup(f, area, 52, 6);
        let text = vec![
            Line::styled(tr(self.question, app.lang), app.theme.title),
            Line::raw(""),
            Line::styled(
                s::confirm_keys(
                    app.lang,
                    &app.keymap.keys(Ctx::Confirm, Act::Yes),
                    &app.keymap.keys(Ctx::Confirm, Act::No),
                ),
                app.theme.key,
            ),
        ];
        f.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL)),
            r,
        );
    }
}
