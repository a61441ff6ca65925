//! A yes/no question before what cannot be undone: discarding a form with input,
//! quitting with input or with an emergency running, cancelling a ticket,
//! closing a run with steps pending (listed in `detail`).

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::text::Bilingual;
use crate::domain::Command;
use crate::tui::app::{App, Flow, Screen};
use crate::tui::keymap::{Act, Ctx};
use crate::tui::strings::tr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnYes {
    /// Close the screen under the dialog (the form).
    CloseBelow,
    Quit,
    /// Submit the command; on success say `done` and close this dialog and
    /// `below` screens under it, on failure say why and close only the dialog.
    Submit {
        cmd: Command,
        done: String,
        below: usize,
    },
}

pub struct Confirm {
    question: Bilingual,
    /// What the question is about, in the screen's language (a list of steps).
    detail: Vec<String>,
    on_yes: OnYes,
}

impl Confirm {
    pub fn new(question: Bilingual, on_yes: OnYes) -> Confirm {
        Confirm {
            question,
            detail: Vec::new(),
            on_yes,
        }
    }

    pub fn with_detail(mut self, detail: Vec<String>) -> Confirm {
        self.detail = detail;
        self
    }
}

impl Screen for Confirm {
    fn ctx(&self) -> Ctx {
        Ctx::Confirm
    }

    fn key(&mut self, app: &mut App, _ev: &KeyEvent, act: Option<Act>) -> Flow {
        match act {
            Some(Act::Yes) => match &self.on_yes {
                OnYes::CloseBelow => Flow::Close(2),
                OnYes::Quit => {
                    app.set_quit();
                    Flow::Close(1)
                }
                OnYes::Submit { cmd, done, below } => match app.submit(cmd.clone()) {
                    Ok(_) => {
                        app.info(done.clone());
                        Flow::Close(1 + below)
                    }
                    Err(e) => {
                        app.error(app.failure(&e));
                        Flow::Close(1)
                    }
                },
            },
            Some(Act::No) => Flow::Close(1),
            _ => Flow::Stay,
        }
    }

    fn draw(&self, app: &App, f: &mut Frame, area: Rect) {
        let r = crate::tui::widgets::popup(f, area, 60, 6 + self.detail.len() as u16);
        let mut text = vec![Line::styled(tr(self.question, app.lang), app.theme.title)];
        for d in &self.detail {
            text.push(Line::raw(format!("  {d}")));
        }
        text.push(Line::raw(""));
        text.push(app.confirm_line());
        f.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL)),
            r,
        );
    }
}
