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
        let r = crate::tui::widgets::popup(f, area, 70, if self.error.is_some() { 9 } else { 6 });
        let mut lines = vec![
            Line::raw(format!(
                "{} {} · {} → {}",
                tr(s::SHIFT, l),
                self.shift,
                self.from,
                self.to
            )),
            Line::styled(tr(s::SIGN_NAME, l), th.dim),
            self.name.line(64, true, th.base, th.selected),
        ];
        if let Some(e) = &self.error {
            lines.push(Line::styled(format!("! {e}"), th.error));
        }
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
