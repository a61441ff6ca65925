//! Signing the handover. The incoming operator signs from their own session
//! (their name is filled in) or, on a single shared console, by typing their
//! name; the record's operator stays the console's user and the signature is
//! the name typed. Ctrl-R refuses, with a reason.

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::{Command, Event};
use crate::tui::app::{App, Flow, Screen};
use crate::tui::keymap::{Act, Ctx};
use crate::tui::screens::ask::Ask;
use crate::tui::strings::{self as s, tr};
use crate::tui::widgets::input::Input;

pub struct Sign {
    shift: u64,
    from: String,
    to: String,
    name: Input,
    error: Option<String>,
}

/// The signing dialog, when a handover waits for a signature.
pub fn sign_screen(app: &App) -> Option<Box<dyn Screen>> {
    let sh = app.state.shifts.awaiting_signature()?;
    let mut name = Input::default();
    if sh.operator == app.operator {
        name.set(&app.operator);
    }
    Some(Box::new(Sign {
        shift: sh.from_shift.unwrap_or(0),
        from: sh.from_operator.clone().unwrap_or_default(),
        to: sh.operator.clone(),
        name,
        error: None,
    }))
}

impl Screen for Sign {
    fn ctx(&self) -> Ctx {
        Ctx::Sign
    }

    fn has_input(&self) -> bool {
        !self.name.is_empty() && self.name.text() != self.to
    }

    fn key(&mut self, app: &mut App, ev: &KeyEvent, act: Option<Act>) -> Flow {
        match act {
            Some(Act::Back) => Flow::Close(1),
            Some(Act::Submit) => {
                let typed = self.name.text().trim().to_string();
                // At their own session the signer is the record's operator; at
                // someone else's console the typed name signs.
                let cmd = if typed == app.operator {
                    Command::ShiftAccept
                } else {
                    Command::ShiftSign { signed_by: typed }
                };
                match app.submit(cmd) {
                    Ok(done) => {
                        let msg = done
                            .records
                            .iter()
                            .find_map(|r| match &r.body.event {
                                Event::HandoverAccepted { shift, by } => {
                                    Some(s::signed(app.lang, *shift, by))
                                }
                                _ => None,
                            })
                            .unwrap_or_else(|| tr(s::DONE_OK, app.lang).to_string());
                        app.info(msg);
                        Flow::Close(1)
                    }
                    Err(e) => {
                        self.error = Some(app.failure(&e));
                        Flow::Stay
                    }
                }
            }
            Some(Act::Refuse) => {
                let ask = Ask::new(
                    tr(s::REFUSE_REASON, app.lang),
                    Box::new(
                        |app, reason| match app.submit(Command::ShiftRefuse { reason }) {
                            Ok(_) => {
                                app.info(tr(s::DONE_OK, app.lang));
                                Ok(Flow::Close(2))
                            }
                            Err(e) => Err(app.failure(&e)),
                        },
                    ),
                );
                Flow::Push(Box::new(ask))
            }
            _ => {
                self.name.edit(ev);
                Flow::Stay
            }
        }
    }

    fn draw(&self, app: &App, f: &mut Frame, area: Rect) {
        let th = &app.theme;
        let l = app.lang;
        // What is being signed: the shift, who hands it over and when, and
        // what they leave (the same counts as the header and the report).
        let c = &app.queue.counts;
        let runs = app.state.active_runs().count();
        let outgoing = app.state.shifts.get(self.shift);
        let at = outgoing
            .and_then(|sh| sh.ended_at_us)
            .map(crate::tui::widgets::local_hm)
            .unwrap_or_default();
        let note = app
            .state
            .shifts
            .awaiting_signature()
            .and_then(|sh| sh.handover_note.clone());
        let mut lines = vec![
            Line::styled(
                format!(
                    "{} {} · {} {} · {} {at} · {} {}",
                    tr(s::SHIFT, l),
                    self.shift,
                    tr(s::SIGN_FROM, l),
                    self.from,
                    tr(s::SIGN_AT, l),
                    tr(s::SIGN_TO, l),
                    self.to
                ),
                th.title,
            ),
            Line::raw(format!(
                "{} {} · {} {} · {} {} · {} {} · {} {runs}",
                tr(s::OPEN, l),
                c.open,
                tr(s::TO_DISPATCH, l),
                c.new,
                tr(s::TO_CALL_BACK, l),
                c.callback,
                tr(s::OVERDUE, l),
                c.overdue,
                tr(s::ACTIVE_EMERGENCIES, l),
            )),
        ];
        if let Some(n) = note {
            lines.push(Line::raw(format!("{}: {n}", tr(s::HANDOVER_NOTE, l))));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(s::sign_name(l, &app.keymap), th.dim));
        let w = area.width.clamp(70, 90);
        let inner = w.saturating_sub(2);
        lines.push(
            self.name
                .line(inner.saturating_sub(2) as usize, true, th.base, th.selected),
        );
        if let Some(e) = &self.error {
            lines.push(Line::styled(format!("! {e}"), th.error));
        }
        // Wrapped lines need rows: count them at the dialog's width.
        let rows: u16 = lines
            .iter()
            .map(|x| (x.width() as u16).div_ceil(inner.max(1)).max(1))
            .sum();
        let r = crate::tui::widgets::popup(f, area, w, rows + 2);
        f.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: false }).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" {} ", tr(s::SIGN_TITLE, l))),
            ),
            r,
        );
    }
}
