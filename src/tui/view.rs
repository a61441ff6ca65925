//! The frame: header, the queue, the screens stacked over it, and the status
//! line; or a polite note when the window is too small.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::tui::app::App;
use crate::tui::keymap::Ctx;
use crate::tui::screens::queue;
use crate::tui::strings;
use crate::tui::widgets::{fit, header};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn draw(app: &App, f: &mut Frame) {
    let area = f.area();
    app.size.set((area.width, area.height));
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = strings::too_small(app.lang, area.width, area.height);
        f.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .style(app.theme.title),
            area,
        );
        // Only quit works here; its question, if it asks one, must be seen.
        if let Some(top) = app.stack.last().filter(|s| s.ctx() == Ctx::Confirm) {
            top.draw(app, f, area);
        }
        return;
    }
    let [head, body, status] = Layout::vertical([
        Constraint::Length(header::height(app)),
        Constraint::Min(5),
        Constraint::Length(1),
    ])
    .areas(area);
    header::draw(app, f, head);
    queue::draw(app, f, body);
    for s in &app.stack {
        s.draw(app, f, body);
    }
    draw_status(app, f, status);
}

fn draw_status(app: &App, f: &mut Frame, area: Rect) {
    let th = &app.theme;
    if let Some(s) = &app.status {
        let style = if s.error { th.error } else { th.ok };
        let mark = if s.error { "! " } else { "" };
        f.render_widget(
            Paragraph::new(Line::styled(
                crate::display::truncate(&format!(" {mark}{}", s.text), area.width as usize),
                style,
            )),
            area,
        );
        return;
    }
    // Key hints for whatever has the keyboard, from the keymap; when they do
    // not all fit, the least needed go first, each whole, and help stays last.
    let ctx = app.ctx();
    let mut items: Vec<(String, String, u8)> = Vec::new();
    for (act, keys) in app.keymap.entries(ctx).into_iter() {
        if matches!(
            act,
            crate::tui::keymap::Act::Up
                | crate::tui::keymap::Act::Down
                | crate::tui::keymap::Act::PageUp
                | crate::tui::keymap::Act::PageDown
                | crate::tui::keymap::Act::Top
                | crate::tui::keymap::Act::Bottom
                | crate::tui::keymap::Act::Help
        ) || (ctx == Ctx::Detail && is_move(act))
        {
            continue;
        }
        items.push((keys, short(act, app), rank(act)));
    }
    if ctx != Ctx::Help {
        items.push((
            app.keymap.keys(Ctx::Global, crate::tui::keymap::Act::Help),
            strings::tr(strings::HELP, app.lang).to_string(),
            0,
        ));
    }
    let mut spans = vec![Span::raw(" ")];
    let shown = fit::hints(&items, area.width as usize);
    let n = shown.len();
    for (i, (keys, word)) in shown.into_iter().enumerate() {
        spans.push(Span::styled(keys, th.key));
        let gap = if i + 1 < n { "  " } else { "" };
        spans.push(Span::raw(format!(" {word}{gap}")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// How long a hint stays when the line is short of room (lower stays longer):
/// leaving and the screen's main moves first, moving between views last.
fn rank(act: crate::tui::keymap::Act) -> u8 {
    use crate::tui::keymap::Act::*;
    match act {
        Back | Quit | Yes | No | Save | Submit | Choose | Apply => 0,
        New | Open | StepDone | StepSkip | Sign | Handover | Refuse => 1,
        RunNote | RunReport | RunClose | Filter | Clear | Accept | Discard | Emergency | Jump => 2,
        _ => 3,
    }
}

/// A word or two for the hint line.
fn short(act: crate::tui::keymap::Act, app: &App) -> String {
    strings::hint(act, app.lang).to_string()
}

/// Ticket moves: the detail lists the legal ones itself, so the hint line leaves them out.
fn is_move(act: crate::tui::keymap::Act) -> bool {
    use crate::tui::keymap::Act::*;
    matches!(
        act,
        Dispatch | Start | Done | Callback | Close | Cancel | Note | Answer
    )
}
