//! The queue filter (`/`): searches every ticket as you type, by unit, id,
//! name, phone or summary (Chinese too), whatever the view; the views line
//! says how many matches each view holds. Enter keeps it, Esc clears it.

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::display::width;
use crate::tui::app::App;
use crate::tui::keymap::Act;
use crate::tui::strings::{self as s, tr};
use crate::tui::widgets::input::Input;

#[derive(Debug, Default)]
pub struct Filter {
    input: Input,
}

impl Filter {
    pub fn text(&self) -> String {
        self.input.text()
    }
}

pub fn key(app: &mut App, ev: &KeyEvent, act: Option<Act>) {
    match act {
        Some(Act::Apply) => app.queue.filtering = false,
        Some(Act::Clear) => {
            app.queue.filtering = false;
            app.queue.filter.input = Input::default();
            app.refresh();
        }
        _ => {
            if app.queue.filter.input.edit(ev) {
                app.queue.selected = 0;
                app.refresh();
            }
        }
    }
}

/// The filter on the right of the views line, while typed or while it applies,
/// in the columns the views (`used` columns) leave free.
pub fn draw_bar(app: &App, f: &mut Frame, line: Rect, used: usize) {
    let q = &app.queue;
    let text = q.filter.text();
    if !q.filtering && text.is_empty() {
        return;
    }
    let th = &app.theme;
    let label = format!("{}: ", tr(s::FILTER, app.lang));
    let shown = if q.rows.is_empty() { 0 } else { q.selected + 1 };
    let pos = format!(" {}", s::more_rows(app.lang, shown, q.rows.len()));
    let free = (line.width as usize).saturating_sub(used + width(&label) + width(&pos) + 1);
    let box_w = free.clamp(6, 24);
    let total = width(&label) + box_w + width(&pos) + 1;
    let x = line.x + line.width.saturating_sub(total as u16);
    let area = Rect::new(x, line.y, (total as u16).min(line.width), 1);
    let style = if q.filtering { th.focus } else { th.title };
    let mut spans = vec![Span::styled(label, style)];
    spans.extend(
        q.filter
            .input
            .line(box_w, q.filtering, th.base, th.selected)
            .spans,
    );
    spans.push(Span::styled(pos, th.dim));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
