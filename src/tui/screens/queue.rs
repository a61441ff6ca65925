//! The queue: the base screen. One row per ticket of the current view, most
//! urgent first (priority, then overdue, then age). Only the visible rows are
//! drawn; the order is computed once per change or tick, not per frame.

use crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::config::site::Site;
use crate::display::{fit, short_duration};
use crate::domain::{Lang, TicketState};
use crate::state::{State, Ticket};
use crate::tui::app::App;
use crate::tui::keymap::Act;
use crate::tui::screens::{detail::Detail, filter, intake::Intake};
use crate::tui::strings::{self as s, tr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Open,
    Callback,
    ClosedToday,
    All,
}

impl View {
    pub const ALL: [View; 4] = [View::Open, View::Callback, View::ClosedToday, View::All];

    fn label(self) -> crate::domain::text::Bilingual {
        match self {
            View::Open => s::VIEW_OPEN,
            View::Callback => s::VIEW_CALLBACK,
            View::ClosedToday => s::VIEW_CLOSED_TODAY,
            View::All => s::VIEW_ALL,
        }
    }

    fn shows(self, t: &Ticket, today_start_us: i64) -> bool {
        match self {
            View::Open => t.is_open(),
            View::Callback => t.awaits_callback(),
            View::ClosedToday => {
                !t.is_open() && t.closed_at_us.is_some_and(|c| c >= today_start_us)
            }
            View::All => true,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub open: usize,
    pub new: usize,
    pub callback: usize,
    pub overdue: usize,
}

#[derive(Debug, Default)]
pub struct Queue {
    pub view: View,
    pub filter: filter::Filter,
    pub filtering: bool,
    /// Ticket numbers in display order.
    pub rows: Vec<u64>,
    pub selected: usize,
    pub(crate) offset: std::cell::Cell<usize>,
    pub(crate) page: std::cell::Cell<usize>,
    pub counts: Counts,
    /// While a filter is typed: the matches in each view (`View::ALL` order).
    /// The filter searches every ticket, so a match never hides in another view.
    pub matches: Option<[usize; 4]>,
}

/// When the ticket's current promise falls due (first contact, resolution or
/// the callback, by the site's targets): the same as the CLI's `tickets` shows.
pub fn due_us(t: &Ticket, site: &Site) -> Option<i64> {
    t.due(&site.targets).map(|d| d.at_us)
}

pub fn is_overdue(t: &Ticket, site: &Site, now_us: i64) -> bool {
    due_us(t, site).is_some_and(|d| d < now_us)
}

fn local_midnight_us(now_us: i64) -> i64 {
    use chrono::{Local, TimeZone};
    let Some(now) = chrono::DateTime::from_timestamp_micros(now_us) else {
        return now_us;
    };
    let local = now.with_timezone(&Local);
    local
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .and_then(|m| Local.from_local_datetime(&m).earliest())
        .map(|m| m.timestamp_micros())
        .unwrap_or(now_us)
}

impl Queue {
    /// Recomputes rows and counts; keeps the selection on the same ticket.
    pub fn refresh(&mut self, state: &State, site: &Site, now_us: i64) {
        let keep = self.rows.get(self.selected).copied();
        let today = local_midnight_us(now_us);
        let mut counts = Counts::default();
        let mut rows: Vec<(u8, bool, i64, u64)> = Vec::new();
        let needle = self.filter.text();
        let searching = !needle.trim().is_empty();
        let mut matches = [0usize; 4];
        for (n, t) in &state.tickets {
            let overdue = is_overdue(t, site, now_us);
            if t.is_open() {
                counts.open += 1;
                counts.new += usize::from(t.state == TicketState::New);
                counts.callback += usize::from(t.awaits_callback());
                counts.overdue += usize::from(overdue);
            }
            if searching {
                if t.matches(&needle) {
                    for (i, v) in View::ALL.iter().enumerate() {
                        matches[i] += usize::from(v.shows(t, today));
                    }
                    rows.push((t.priority.0, !overdue, t.opened_at_us, *n));
                }
            } else if self.view.shows(t, today) {
                rows.push((t.priority.0, !overdue, t.opened_at_us, *n));
            }
        }
        self.matches = searching.then_some(matches);
        rows.sort_unstable();
        self.rows = rows.into_iter().map(|r| r.3).collect();
        self.counts = counts;
        self.selected = keep
            .and_then(|k| self.rows.iter().position(|&r| r == k))
            .unwrap_or(self.selected)
            .min(self.rows.len().saturating_sub(1));
    }

    pub fn selected_ticket(&self) -> Option<u64> {
        self.rows.get(self.selected).copied()
    }

    fn move_by(&mut self, d: isize) {
        let last = self.rows.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + d).clamp(0, last.max(0)) as usize;
    }
}

pub fn key(app: &mut App, ev: &KeyEvent, act: Option<Act>) {
    if app.queue.filtering {
        filter::key(app, ev, act);
        return;
    }
    let page = app.queue.page.get().max(1) as isize;
    match act {
        Some(Act::Up) => app.queue.move_by(-1),
        Some(Act::Down) => app.queue.move_by(1),
        Some(Act::PageUp) => app.queue.move_by(-page),
        Some(Act::PageDown) => app.queue.move_by(page),
        Some(Act::Top) => app.queue.selected = 0,
        Some(Act::Bottom) => app.queue.move_by(isize::MAX / 2),
        Some(Act::NextView) | Some(Act::PrevView) => {
            let i = View::ALL
                .iter()
                .position(|v| *v == app.queue.view)
                .unwrap_or(0);
            let step = if act == Some(Act::NextView) {
                1
            } else {
                View::ALL.len() - 1
            };
            app.queue.view = View::ALL[(i + step) % View::ALL.len()];
            app.queue.selected = 0;
            app.refresh();
        }
        Some(Act::Filter) => app.queue.filtering = true,
        Some(Act::New) => app.stack.push(Box::new(Intake::new(app))),
        Some(Act::Handover) => {
            let h = crate::tui::screens::handover::HandoverScreen::open(app);
            app.stack.push(Box::new(h));
        }
        Some(Act::Sign) => match crate::tui::screens::sign::sign_screen(app) {
            Some(s) => app.stack.push(s),
            None => app.info(crate::tui::strings::tr(
                crate::tui::strings::NO_HANDOVER,
                app.lang,
            )),
        },
        Some(Act::Open) => {
            if let Some(n) = app.queue.selected_ticket() {
                let d = Detail::open(app, n);
                app.stack.push(Box::new(d));
            }
        }
        _ => {}
    }
}

/// Column widths; the summary takes what is left.
struct Cols {
    id: usize,
    age: usize,
    kind: usize,
    unit: usize,
    state: usize,
    dept: usize,
    due: usize,
}

fn cols(width: u16, lang: Lang) -> (Cols, usize) {
    let wide = width >= 110;
    // English states and departments ("in progress", "Engineering") need 11
    // columns to be read whole; from 96 columns they get them before the summary grows.
    let roomy = lang == Lang::En && width >= 96;
    let c = Cols {
        id: 5,
        age: 6,
        kind: if lang == Lang::Zh { 4 } else { 9 },
        unit: 9,
        state: if wide || roomy { 11 } else { 8 },
        dept: if wide {
            16
        } else if roomy {
            11
        } else {
            8
        },
        due: 7,
    };
    // marker(2) + P(2) + separators.
    let fixed = 2 + c.id + c.age + 2 + c.kind + c.unit + c.state + c.dept + c.due + 9;
    let summary = (width as usize).saturating_sub(fixed).max(8);
    (c, summary)
}

pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let l = app.lang;
    let th = &app.theme;
    let q = &app.queue;
    let [tabs, head, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);

    // Views, with the filter on the right.
    let mut spans = vec![Span::raw(" ")];
    for (i, v) in View::ALL.into_iter().enumerate() {
        // Searching: every view with how many matches it holds.
        let (text, style) = match q.matches {
            Some(m) => (
                format!(" {} {} ", tr(v.label(), l), m[i]),
                if m[i] > 0 { th.title } else { th.dim },
            ),
            None if v == q.view => (format!(" {} ", tr(v.label(), l)), th.tab_active),
            None => (format!(" {} ", tr(v.label(), l)), th.dim),
        };
        spans.push(Span::styled(text, style));
        spans.push(Span::raw(" "));
    }
    // The position goes into the filter bar while one shows, so the two never overlap.
    if q.filter.text().is_empty() && !q.filtering {
        spans.push(Span::styled(
            s::more_rows(
                l,
                if q.rows.is_empty() { 0 } else { q.selected + 1 },
                q.rows.len(),
            ),
            th.dim,
        ));
    }
    let used: usize = spans
        .iter()
        .map(|s| crate::display::width(&s.content))
        .sum();
    f.render_widget(Paragraph::new(Line::from(spans)), tabs);
    filter::draw_bar(app, f, tabs, used);

    let (c, sw) = cols(area.width, l);
    let header = format!(
        "  {} {} {} {} {} {} {} {} {}",
        fit(tr(s::COL_ID, l), c.id),
        fit(tr(s::COL_AGE, l), c.age),
        fit(tr(s::COL_PRIO, l), 2),
        fit(tr(s::COL_KIND, l), c.kind),
        fit(tr(s::COL_UNIT, l), c.unit),
        fit(tr(s::COL_SUMMARY, l), sw),
        fit(tr(s::COL_STATE, l), c.state),
        fit(tr(s::COL_DEPT, l), c.dept),
        fit(tr(s::COL_DUE, l), c.due),
    );
    f.render_widget(Paragraph::new(Line::styled(header, th.title)), head);

    let height = body.height as usize;
    q.page.set(height);
    if q.rows.is_empty() {
        f.render_widget(
            Paragraph::new(Line::styled(format!("  {}", tr(s::EMPTY_QUEUE, l)), th.dim)),
            body,
        );
        return;
    }
    // Scroll so the selection stays visible; only these rows are formatted.
    let mut offset = q.offset.get();
    if q.selected < offset {
        offset = q.selected;
    } else if q.selected >= offset + height {
        offset = q.selected + 1 - height;
    }
    offset = offset.min(q.rows.len().saturating_sub(1));
    q.offset.set(offset);
    let now = app.now_us();
    let mut lines = Vec::with_capacity(height);
    for (i, n) in q.rows.iter().enumerate().skip(offset).take(height) {
        let Some(t) = app.state.tickets.get(n) else {
            continue;
        };
        let due = due_us(t, &app.site);
        let overdue = due.is_some_and(|d| d < now);
        let due_text = match due {
            Some(d) if d < now => format!("+{}", short_duration((now - d) / 1_000_000)),
            Some(d) => short_duration((d - now) / 1_000_000),
            None => "".into(),
        };
        let age_end = t.closed_at_us.unwrap_or(now);
        let marker = format!(
            "{}{}",
            if i == q.selected { '>' } else { ' ' },
            if overdue { '!' } else { ' ' }
        );
        let text = format!(
            "{marker}{} {} {} {} {} {} {} {} {}",
            fit(&t.id.0, c.id),
            fit(
                &short_duration(crate::clock::seconds_between(t.opened_at_us, age_end)),
                c.age
            ),
            fit(&format!("P{}", t.priority.0), 2),
            fit(t.kind.label().get(l), c.kind),
            fit(app.site.unit_label(&t.unit, l), c.unit),
            fit(app.state.summary(t, l), sw),
            fit(t.state.label().get(l), c.state),
            fit(
                t.department.map(|d| d.label().get(l)).unwrap_or("-"),
                c.dept
            ),
            fit(&due_text, c.due),
        );
        let mut style: Style = if overdue {
            th.overdue
        } else if t.priority.0 == 1 && t.is_open() {
            th.urgent
        } else {
            th.base
        };
        if i == q.selected {
            style = style.patch(th.selected);
        }
        lines.push(Line::styled(text, style));
    }
    f.render_widget(Paragraph::new(lines), body);
}
