//! Ticket detail (`Enter`): every field, the timeline (each event with time and
//! operator), the unit's history, and the moves legal now. A move that is not
//! legal says why instead of being tried.

use crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use crate::display::{fit, short_duration, wrap};
use crate::domain::{Command, Move, Refusal};
use crate::error::DeskError;
use crate::tui::app::{App, Flow, Screen};
use crate::tui::keymap::{Act, Ctx};
use crate::tui::screens::picker::Picker;
use crate::tui::screens::prompt::{Prompt, Purpose};
use crate::tui::screens::queue::due_us;
use crate::tui::strings::{self as s, tr};
use crate::tui::widgets::{history, local_md_hm};

pub struct Detail {
    number: u64,
    scroll: u16,
}

impl Detail {
    /// Opens a ticket and fetches its timeline from the desk (once; then kept).
    pub fn open(app: &mut App, number: u64) -> Detail {
        app.timeline(number);
        Detail { number, scroll: 0 }
    }
}

impl Screen for Detail {
    fn ctx(&self) -> Ctx {
        Ctx::Detail
    }

    fn key(&mut self, app: &mut App, _ev: &KeyEvent, act: Option<Act>) -> Flow {
        let Some(act) = act else { return Flow::Stay };
        match act {
            Act::Back => return Flow::Close(1),
            Act::Up => self.scroll = self.scroll.saturating_sub(1),
            Act::Down => self.scroll = self.scroll.saturating_add(1),
            _ => {}
        }
        let Some(mv) = Move::ALL.into_iter().find(|m| Act::from(*m) == act) else {
            return Flow::Stay;
        };
        let Some(t) = app.state.tickets.get(&self.number) else {
            return Flow::Close(1);
        };
        let id = t.id.0.clone();
        let moves = t.next_moves();
        if !moves.contains(&mv) {
            // The same refusal the desk would give, without asking it.
            let refusal = DeskError::Refused(Refusal::Move {
                id: id.clone(),
                state: t.state,
                tried: mv,
                allowed: moves,
            });
            app.error(app.failure(&refusal));
            return Flow::Stay;
        }
        let cmd = match act {
            Act::Dispatch => return Flow::Push(Box::new(Picker::dispatch(&id))),
            Act::Callback => return Flow::Push(Box::new(Picker::callback(&id))),
            Act::Note => return Flow::Push(Box::new(Prompt::new(&id, Purpose::Note))),
            Act::Cancel => return Flow::Push(Box::new(Prompt::new(&id, Purpose::Cancel))),
            Act::Answer => return Flow::Push(Box::new(Prompt::new(&id, Purpose::Answer))),
            Act::Start => Command::Start { id: id.clone() },
            Act::Done => Command::Done {
                id: id.clone(),
                note: None,
            },
            _ => Command::Close {
                id: id.clone(),
                note: None,
            },
        };
        match app.submit(cmd) {
            // A note on the move costs no key when unused: the note key, right
            // after, adds one.
            Ok(_) => app.info(format!(
                "{} {id}: {} · {} {}",
                tr(s::DONE_OK, app.lang),
                mv.label().get(app.lang),
                app.keymap.keys(Ctx::Detail, Act::Note),
                tr(s::NOTE_AFTER, app.lang),
            )),
            Err(e) => app.error(app.failure(&e)),
        }
        Flow::Stay
    }

    fn draw(&self, app: &App, f: &mut Frame, area: Rect) {
        f.render_widget(Clear, area);
        let l = app.lang;
        let th = &app.theme;
        let Some(t) = app.state.tickets.get(&self.number) else {
            return;
        };
        let now = app.now_us();
        // The fields box grows to hold the whole summary, wrapped under its label.
        let halves = [Constraint::Percentage(50), Constraint::Percentage(50)];
        let [probe, _] = Layout::horizontal(halves).areas(Rect::new(0, 0, area.width, 1));
        let field_cols = probe.width.saturating_sub(2) as usize;
        let summary_cols = field_cols.saturating_sub(11);
        let mut summary = wrap(app.state.summary(t, app.lang), summary_cols);
        let extra = usize::from(t.related.is_some()) + usize::from(t.reopen_count > 0);
        let needed = (7 + summary.len() + extra + 2) as u16;
        let top_h = needed.max(11).min(area.height.saturating_sub(4));
        // Longer than the window can hold: the last line shown says so.
        let room = (top_h as usize).saturating_sub(2 + 7 + extra).max(1);
        if summary.len() > room {
            summary.truncate(room);
            if let Some(last) = summary.last_mut() {
                *last = if crate::display::width(last) < summary_cols {
                    format!("{last}…")
                } else {
                    // Cut one column more than needed, so the mark always shows.
                    crate::display::truncate(&format!("{last}  "), summary_cols)
                };
            }
        }
        let [top, timeline, actions] = Layout::vertical([
            Constraint::Length(top_h),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .areas(area);
        let [fields, hist] = Layout::horizontal(halves).areas(top);

        let label = |b| format!("{} ", fit(tr(b, l), 10));
        let caller = match (&t.caller, t.anonymous) {
            (Some(c), _) => c.clone(),
            (None, true) => tr(s::ANONYMOUS, l).to_string(),
            (None, false) => "-".to_string(),
        };
        let due = due_us(t, &app.site)
            .map(|d| {
                if d < now {
                    format!(
                        " · ! {} +{}",
                        tr(s::OVERDUE, l),
                        short_duration((now - d) / 1_000_000)
                    )
                } else {
                    format!(
                        " · {} {}",
                        tr(s::COL_DUE, l),
                        short_duration((d - now) / 1_000_000)
                    )
                }
            })
            .unwrap_or_default();
        let mut lines = vec![
            Line::from(vec![
                Span::raw(label(s::UNIT)),
                Span::styled(app.site.unit_label(&t.unit, l).to_string(), th.title),
            ]),
            Line::raw(format!(
                "{}{} · P{}",
                label(s::KIND),
                t.kind.label().get(l),
                t.priority.0
            )),
            Line::raw(format!(
                "{}{}{due}",
                label(s::STATE),
                t.state.label().get(l)
            )),
            Line::raw(format!(
                "{}{}",
                label(s::DEPARTMENT),
                t.department.map(|d| d.label().get(l)).unwrap_or("-")
            )),
            Line::raw(format!("{}{caller}", label(s::CALLER))),
            Line::raw(format!(
                "{}{}",
                label(s::PHONE),
                t.phone.as_deref().unwrap_or("-")
            )),
            Line::raw(format!(
                "{}{} {} {}",
                label(s::OPENED),
                local_md_hm(t.opened_at_us),
                tr(s::BY, l),
                t.opened_by
            )),
        ];
        for (i, part) in summary.iter().enumerate() {
            let head = if i == 0 {
                label(s::SUMMARY)
            } else {
                " ".repeat(11)
            };
            lines.push(Line::raw(format!("{head}{part}")));
        }
        if let Some(r) = &t.related {
            lines.push(Line::raw(format!("{}{r}", label(s::RELATED))));
        }
        if t.reopen_count > 0 {
            lines.push(Line::raw(format!(
                "{}{}",
                label(s::REOPENED),
                t.reopen_count
            )));
        }
        let title = format!(" {} {} ", tr(s::DETAIL, l), t.id);
        let inner = (fields.width as usize).saturating_sub(2);
        let lines: Vec<Line> = lines
            .into_iter()
            .map(|x| crate::tui::widgets::fit::line(x, inner))
            .collect();
        f.render_widget(
            Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
            fields,
        );
        history::draw(
            app,
            f,
            hist,
            &t.unit,
            Some(self.number),
            t.phone.as_deref().unwrap_or(""),
        );

        let mut tl = Vec::new();
        match app.timelines.get(&self.number) {
            None => tl.push(Line::styled(tr(s::LOADING, l), th.dim)),
            Some(recs) => {
                // Each event wraps under its text, so nothing is cut at the edge.
                let cols = (timeline.width as usize).saturating_sub(2 + 23);
                for r in recs {
                    let text = wrap(&s::event_text(l, &r.body.event), cols);
                    for (i, part) in text.into_iter().enumerate() {
                        if i == 0 {
                            tl.push(Line::from(vec![
                                Span::styled(format!("{} ", local_md_hm(r.body.at_us)), th.dim),
                                Span::styled(format!("{} ", fit(&r.body.operator, 10)), th.key),
                                Span::raw(part),
                            ]));
                        } else {
                            tl.push(Line::raw(format!("{}{part}", " ".repeat(23))));
                        }
                    }
                }
            }
        }
        f.render_widget(
            Paragraph::new(tl).scroll((self.scroll, 0)).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" {} ", tr(s::TIMELINE, l))),
            ),
            timeline,
        );

        let moves = t.next_moves();
        let mut spans = vec![Span::styled(format!(" {}: ", tr(s::ACTIONS, l)), th.title)];
        for mv in Move::ALL {
            if moves.contains(&mv) {
                spans.push(Span::styled(
                    app.keymap.keys(Ctx::Detail, Act::from(mv)),
                    th.key,
                ));
                spans.push(Span::raw(format!(" {}  ", mv.label().get(l))));
            }
        }
        if moves.len() <= 1 {
            spans.push(Span::styled(tr(s::NO_MOVES, l), th.dim));
        }
        f.render_widget(Paragraph::new(Line::from(spans)), actions);
    }
}
