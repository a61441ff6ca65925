//! A unit's history: its open tickets and its tickets of the last 30 days, so a
//! second call about the same leak is linked, not duplicated, and a repeat
//! caller is recognised.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::display::{fit, short_duration};
use crate::state::{State, Ticket};
use crate::tui::app::App;
use crate::tui::strings::{self as s, tr};
use crate::tui::widgets::local_md_hm;

const THIRTY_DAYS_US: i64 = 30 * 86_400 * 1_000_000;

/// Open tickets of the unit (newest first), then the others opened in the last 30 days.
pub fn of_unit<'a>(
    state: &'a State,
    unit: &str,
    now_us: i64,
) -> (Vec<&'a Ticket>, Vec<&'a Ticket>) {
    let u = unit.trim();
    let mut open = Vec::new();
    let mut recent = Vec::new();
    if u.is_empty() {
        return (open, recent);
    }
    for t in state.tickets.values().rev() {
        if !t.unit.eq_ignore_ascii_case(u) {
            continue;
        }
        if t.is_open() {
            open.push(t);
        } else if now_us - t.opened_at_us <= THIRTY_DAYS_US {
            recent.push(t);
        }
    }
    (open, recent)
}

/// How many tickets in the last 30 days came from this phone number.
pub fn calls_from_phone(state: &State, phone: &str, now_us: i64) -> usize {
    let digits: String = phone.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() < 3 {
        return 0;
    }
    state
        .tickets
        .values()
        .filter(|t| now_us - t.opened_at_us <= THIRTY_DAYS_US)
        .filter(|t| {
            t.phone.as_deref().is_some_and(|p| {
                p.chars().filter(|c| c.is_ascii_digit()).collect::<String>() == digits
            })
        })
        .count()
}

pub fn draw(app: &App, f: &mut Frame, area: Rect, unit: &str, skip: Option<u64>, phone: &str) {
    let l = app.lang;
    let th = &app.theme;
    let now = app.now_us();
    let block = Block::default().borders(Borders::ALL).title(format!(
        " {} {} ",
        tr(s::HISTORY, l),
        app.site.unit_label(unit.trim(), l)
    ));
    let inner_w = area.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    if unit.trim().is_empty() {
        lines.push(Line::styled(tr(s::HISTORY_HINT, l), th.dim));
    } else {
        let (open, recent) = of_unit(&app.state, unit, now);
        let row = |t: &Ticket| {
            let age = short_duration(crate::clock::seconds_between(t.opened_at_us, now));
            let who = t.caller.as_deref().unwrap_or("");
            let text = format!(
                "{} {} {} {} {}",
                t.id,
                local_md_hm(t.opened_at_us),
                fit(t.state.label().get(l), 6),
                fit(&age, 5),
                if who.is_empty() {
                    t.summary.clone()
                } else {
                    format!("{who}: {}", t.summary)
                }
            );
            fit(&text, inner_w)
        };
        // In the detail the ticket itself is not "history": counts and rows
        // both leave it out, so a count never promises rows that are not there.
        let open: Vec<&Ticket> = open
            .into_iter()
            .filter(|t| Some(t.id.number()) != skip)
            .collect();
        let recent: Vec<&Ticket> = recent
            .into_iter()
            .filter(|t| Some(t.id.number()) != skip)
            .collect();
        lines.push(Line::styled(
            format!("{} ({})", tr(s::HISTORY_OPEN, l), open.len()),
            th.title,
        ));
        for t in open.iter().take(6) {
            lines.push(Line::from(Span::styled(row(t), th.urgent)));
        }
        lines.push(Line::styled(
            format!("{} ({})", tr(s::HISTORY_RECENT, l), recent.len()),
            th.title,
        ));
        if recent.is_empty() && open.is_empty() {
            lines.push(Line::styled(tr(s::HISTORY_NONE, l), th.dim));
        }
        for t in recent.iter().take(6) {
            lines.push(Line::raw(row(t)));
        }
    }
    // In the detail the ticket itself is one of the calls; only others count.
    let n = calls_from_phone(&app.state, phone, now).saturating_sub(usize::from(skip.is_some()));
    if n > 0 {
        lines.push(Line::styled(
            s::phone_calls(l, n, skip.is_some()),
            th.urgent,
        ));
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .block(block),
        area,
    );
}
