//! Help (`?`): every key of the screen below, generated from the keymap, with a
//! one-line description in the current language.

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::display::fit;
use crate::tui::app::{App, Flow, Screen};
use crate::tui::keymap::{Act, Ctx};
use crate::tui::strings::{self as s, tr};

pub struct HelpScreen {
    of: Ctx,
    scroll: u16,
}

impl HelpScreen {
    pub fn new(of: Ctx) -> HelpScreen {
        HelpScreen { of, scroll: 0 }
    }

    /// The help lines: the screen's keys, then the global ones.
    pub fn lines(&self, app: &App) -> Vec<Line<'static>> {
        let l = app.lang;
        let th = &app.theme;
        let mut out = Vec::new();
        for (title, ctx) in [(None, self.of), (Some(s::HELP_GLOBAL), Ctx::Global)] {
            if let Some(t) = title {
                out.push(Line::raw(""));
                out.push(Line::styled(tr(t, l), th.title));
            }
            for (act, keys) in app.keymap.entries(ctx) {
                out.push(Line::from(vec![
                    Span::styled(format!(" {} ", fit(&keys, 16)), th.key),
                    Span::raw(crate::tui::strings::describe(act, l)),
                ]));
            }
        }
        if self.of == Ctx::Intake {
            out.push(Line::raw(""));
            out.push(Line::styled(tr(s::FORM_KEYS, l), th.dim));
        }
        out
    }
}

impl Screen for HelpScreen {
    fn ctx(&self) -> Ctx {
        Ctx::Help
    }

    fn key(&mut self, _app: &mut App, _ev: &KeyEvent, act: Option<Act>) -> Flow {
        match act {
            Some(Act::Back) => Flow::Close(1),
            Some(Act::Up) => {
                self.scroll = self.scroll.saturating_sub(1);
                Flow::Stay
            }
            Some(Act::Down) => {
                self.scroll = self.scroll.saturating_add(1);
                Flow::Stay
            }
            _ => Flow::Stay,
        }
    }

    fn draw(&self, app: &App, f: &mut Frame, area: Rect) {
        let lines = self.lines(app);
        let h = (lines.len() as u16 + 2).min(area.height);
        let r = crate::tui::widgets::popup(f, area, 76, h);
        let title = format!(" {} · {} ", tr(s::HELP, app.lang), self.of.name());
        f.render_widget(
            Paragraph::new(lines)
                .scroll((self.scroll, 0))
                .block(Block::default().borders(Borders::ALL).title(title)),
            r,
        );
    }
}
