//! A picker: the department to dispatch to (in the order engineering, security,
//! cleaning, customer service) or the result of a callback. Enter chooses.

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::domain::text::Bilingual;
use crate::domain::{Command, Department};
use crate::tui::app::{App, Flow, Screen};
use crate::tui::keymap::{Act, Ctx};
use crate::tui::strings::{self as s, tr};

#[derive(Debug, Clone, Copy)]
enum Choice {
    Department(Department),
    Callback(bool),
}

pub struct Picker {
    ticket: String,
    title: Bilingual,
    items: Vec<(Bilingual, Choice)>,
    selected: usize,
}

impl Picker {
    pub fn dispatch(ticket: &str) -> Picker {
        Picker {
            ticket: ticket.to_string(),
            title: s::PICK_DEPARTMENT,
            items: Department::ALL
                .into_iter()
                .map(|d| (d.label(), Choice::Department(d)))
                .collect(),
            selected: 0,
        }
    }

    pub fn callback(ticket: &str) -> Picker {
        Picker {
            ticket: ticket.to_string(),
            title: s::PICK_CALLBACK,
            items: vec![
                (s::SATISFIED, Choice::Callback(true)),
                (s::UNSATISFIED, Choice::Callback(false)),
            ],
            selected: 0,
        }
    }
}

impl Screen for Picker {
    fn ctx(&self) -> Ctx {
        Ctx::Picker
    }

    fn key(&mut self, app: &mut App, _ev: &KeyEvent, act: Option<Act>) -> Flow {
        match act {
            Some(Act::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Act::Down) => self.selected = (self.selected + 1).min(self.items.len() - 1),
            Some(Act::Back) => return Flow::Close(1),
            Some(Act::Choose) => {
                let Some((label, choice)) = self.items.get(self.selected).copied() else {
                    return Flow::Close(1);
                };
                let id = self.ticket.clone();
                let cmd = match choice {
                    Choice::Department(to) => Command::Dispatch {
                        id: id.clone(),
                        to,
                        note: None,
                    },
                    Choice::Callback(satisfied) => Command::Callback {
                        id: id.clone(),
                        satisfied,
                        note: None,
                    },
                };
                match app.submit(cmd) {
                    Ok(_) => app.info(format!(
                        "{} {id}: {}",
                        tr(s::DONE_OK, app.lang),
                        label.get(app.lang)
                    )),
                    Err(e) => app.error(app.failure(&e)),
                }
                return Flow::Close(1);
            }
            _ => {}
        }
        Flow::Stay
    }

    fn draw(&self, app: &App, f: &mut Frame, area: Rect) {
        let th = &app.theme;
        let r = crate::tui::widgets::popup(f, area, 40, self.items.len() as u16 + 2);
        let lines: Vec<Line> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, (label, _))| {
                if i == self.selected {
                    Line::styled(format!("> {}", label.get(app.lang)), th.selected)
                } else {
                    Line::raw(format!("  {}", label.get(app.lang)))
                }
            })
            .collect();
        let title = format!(" {} {} ", self.ticket, tr(self.title, app.lang));
        f.render_widget(
            Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
            r,
        );
    }
}
