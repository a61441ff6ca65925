//! Help (`?`): every key of the screen below, generated from the keymap, with a
//! one-line description in the current language.

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use std::cell::Cell;

use crate::display::fit;
use crate::tui::app::{App, Flow, Screen};
use crate::tui::keymap::{Act, Ctx};
use crate::tui::strings::{self as s, tr};
use crate::tui::widgets::fit as fit_line;

pub struct HelpScreen {
    of: Ctx,
    /// The first line shown; kept within the text by the last draw.
    scroll: Cell<usize>,
    /// Lines that fit in the window at the last draw: a page.
    page: Cell<usize>,
    /// Lines in all at the last draw.
    total: Cell<usize>,
}

impl HelpScreen {
    pub fn new(of: Ctx) -> HelpScreen {
        HelpScreen {
            of,
            scroll: Cell::new(0),
            page: Cell::new(1),
            total: Cell::new(0),
        }
    }

    /// The highest first line that still fills the window.
    fn last_start(&self) -> usize {
        self.total.get().saturating_sub(self.page.get())
    }

    fn scroll_to(&self, to: usize) {
        self.scroll.set(to.min(self.last_start()));
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
            out.push(Line::styled(s::form_keys(l, &app.keymap), th.dim));
        }
        out
    }
}

impl Screen for HelpScreen {
    fn ctx(&self) -> Ctx {
        Ctx::Help
    }

    fn key(&mut self, app: &mut App, _ev: &KeyEvent, act: Option<Act>) -> Flow {
        // Keys may come before the first draw: the length is known from the text.
        self.total.set(self.lines(app).len());
        let at = self.scroll.get();
        let page = self.page.get().max(1);
        match act {
            Some(Act::Back) => return Flow::Close(1),
            Some(Act::Up) => self.scroll_to(at.saturating_sub(1)),
            Some(Act::Down) => self.scroll_to(at + 1),
            Some(Act::PageUp) => self.scroll_to(at.saturating_sub(page)),
            Some(Act::PageDown) => self.scroll_to(at + page),
            Some(Act::Top) => self.scroll_to(0),
            Some(Act::Bottom) => self.scroll_to(usize::MAX),
            _ => {}
        }
        Flow::Stay
    }

    fn draw(&self, app: &App, f: &mut Frame, area: Rect) {
        let lines = self.lines(app);
        let total = lines.len();
        let h = (total as u16 + 2).min(area.height);
        let r = crate::tui::widgets::popup(f, area, 76, h);
        self.total.set(total);
        self.page.set((r.height as usize).saturating_sub(2).max(1));
        self.scroll_to(self.scroll.get());
        let first = self.scroll.get();
        let last = (first + self.page.get()).min(total);
        let title = format!(" {} · {} ", tr(s::HELP, app.lang), self.of.name());
        let mut block = Block::default().borders(Borders::ALL).title(title);
        if total > self.page.get() {
            // Where the window is, and that there is more below.
            let at = s::lines_shown(app.lang, first + 1, last, total, last < total);
            block =
                block.title_bottom(Line::styled(format!(" {at} "), app.theme.dim).right_aligned());
        }
        // A line wider than the window ends in "…" rather than being clipped.
        let inner = (r.width as usize).saturating_sub(2);
        let lines: Vec<Line> = lines
            .into_iter()
            .map(|l| fit_line::line(l, inner))
            .collect();
        f.render_widget(
            Paragraph::new(lines).scroll((first as u16, 0)).block(block),
            r,
        );
    }
}
