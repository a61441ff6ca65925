//! A one-line prompt: a note on a ticket, the answer that closes an inquiry, or
//! the reason for cancelling (then confirmed: a cancel cannot be undone). A
//! refused entry keeps the text and says why.

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::domain::Command;
use crate::tui::app::{App, Flow, Screen};
use crate::tui::keymap::{Act, Ctx};
use crate::tui::screens::confirm::{Confirm, OnYes};
use crate::tui::strings::{self as s, tr};
use crate::tui::widgets::input::Input;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Note,
    Cancel,
    Answer,
}

pub struct Prompt {
    ticket: String,
    purpose: Purpose,
    input: Input,
    error: Option<String>,
}

impl Prompt {
    pub fn new(ticket: &str, purpose: Purpose) -> Prompt {
        Prompt {
            ticket: ticket.to_string(),
            purpose,
            input: Input::default(),
            error: None,
        }
    }
}

impl Screen for Prompt {
    fn ctx(&self) -> Ctx {
        Ctx::Prompt
    }

    fn has_input(&self) -> bool {
        !self.input.is_empty()
    }

    fn key(&mut self, app: &mut App, ev: &KeyEvent, act: Option<Act>) -> Flow {
        match act {
            Some(Act::Back) => Flow::Close(1),
            Some(Act::Submit) => {
                let id = self.ticket.clone();
                let text = self.input.text();
                let cmd = match self.purpose {
                    Purpose::Note => Command::Note {
                        id: id.clone(),
                        text,
                    },
                    Purpose::Cancel if text.trim().is_empty() => {
                        self.error = Some(app.reason_text(&crate::domain::Reason::Empty));
                        return Flow::Stay;
                    }
                    Purpose::Cancel => {
                        let cmd = Command::Cancel {
                            id: id.clone(),
                            reason: text,
                        };
                        let done = format!("{} {id}", tr(s::DONE_OK, app.lang));
                        let ask = Confirm::new(
                            s::CANCEL_ASK,
                            OnYes::Submit {
                                cmd,
                                done,
                                below: 1,
                            },
                        )
                        .with_detail(vec![id]);
                        return Flow::Push(Box::new(ask));
                    }
                    Purpose::Answer => Command::Answer {
                        id: id.clone(),
                        note: text,
                    },
                };
                app.submit_from_dialog(cmd, &mut self.error, |app| {
                    format!("{} {id}", tr(s::DONE_OK, app.lang))
                })
            }
            _ => {
                self.input.edit(ev);
                Flow::Stay
            }
        }
    }

    fn draw(&self, app: &App, f: &mut Frame, area: Rect) {
        let th = &app.theme;
        let r = crate::tui::widgets::popup(f, area, 64, 5);
        let title = match self.purpose {
            Purpose::Note => s::NOTE_PROMPT,
            Purpose::Cancel => s::CANCEL_PROMPT,
            Purpose::Answer => s::ANSWER_PROMPT,
        };
        let mut lines = vec![self.input.line(60, true, th.base, th.selected)];
        if let Some(e) = &self.error {
            lines.push(Line::styled(format!("! {e}"), th.error));
        }
        let title = format!(" {} · {} ", self.ticket, tr(title, app.lang));
        f.render_widget(
            Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
            r,
        );
    }
}
