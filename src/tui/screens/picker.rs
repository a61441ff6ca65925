//! A picker: the department to dispatch to (in the order engineering, security,
//! cleaning, customer service) or the result of a callback, with a note line
//! under the choices. Letters type the note, ↑/↓ choose, Enter records, with or
//! without a note: a note costs no key when unused. An unsatisfied callback
//! needs the reason, so the picker asks for it instead of recording.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::text::Bilingual;
use crate::domain::{Command, Department};
use crate::tui::app::{App, Flow, Screen};
use crate::tui::keymap::{Act, Ctx};
use crate::tui::strings::{self as s, tr};
use crate::tui::widgets::input::Input;

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
    note: Input,
    error: Option<String>,
}

impl Picker {
    pub fn dispatch(ticket: &str) -> Picker {
        Picker::of(
            ticket,
            s::PICK_DEPARTMENT,
            Department::ALL
                .into_iter()
                .map(|d| (d.label(), Choice::Department(d)))
                .collect(),
        )
    }

    pub fn callback(ticket: &str) -> Picker {
        Picker::of(
            ticket,
            s::PICK_CALLBACK,
            vec![
                (s::SATISFIED, Choice::Callback(true)),
                (s::UNSATISFIED, Choice::Callback(false)),
            ],
        )
    }

    fn of(ticket: &str, title: Bilingual, items: Vec<(Bilingual, Choice)>) -> Picker {
        Picker {
            ticket: ticket.to_string(),
            title,
            items,
            selected: 0,
            note: Input::default(),
            error: None,
        }
    }

    fn choose(&mut self, app: &mut App) -> Flow {
        let Some((label, choice)) = self.items.get(self.selected).copied() else {
            return Flow::Close(1);
        };
        let id = self.ticket.clone();
        let typed = self.note.text();
        let note = (!typed.trim().is_empty()).then_some(typed);
        let cmd = match choice {
            Choice::Department(to) => Command::Dispatch {
                id: id.clone(),
                to,
                note,
            },
            // Why the resident is not satisfied is what the department needs next.
            Choice::Callback(false) if note.is_none() => {
                self.error = Some(tr(s::UNSATISFIED_WHY, app.lang).to_string());
                return Flow::Stay;
            }
            Choice::Callback(satisfied) => Command::Callback {
                id: id.clone(),
                satisfied,
                note,
            },
        };
        app.submit_from_dialog(cmd, &mut self.error, |app| {
            format!("{} {id}: {}", tr(s::DONE_OK, app.lang), label.get(app.lang))
        })
    }
}

/// A printable key: text for the note, whatever the keymap binds it to (the vim
/// preset moves with j/k, which a note must still be able to contain).
fn is_text(ev: &KeyEvent) -> bool {
    matches!(ev.code, KeyCode::Char(_))
        && !ev
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

impl Screen for Picker {
    fn ctx(&self) -> Ctx {
        Ctx::Picker
    }

    fn has_input(&self) -> bool {
        !self.note.is_empty()
    }

    fn key(&mut self, app: &mut App, ev: &KeyEvent, act: Option<Act>) -> Flow {
        if is_text(ev) {
            self.note.edit(ev);
            self.error = None;
            return Flow::Stay;
        }
        match act {
            Some(Act::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Act::Down) => self.selected = (self.selected + 1).min(self.items.len() - 1),
            Some(Act::Back) => return Flow::Close(1),
            Some(Act::Choose) => return self.choose(app),
            _ => {
                self.note.edit(ev);
            }
        }
        Flow::Stay
    }

    fn draw(&self, app: &App, f: &mut Frame, area: Rect) {
        let th = &app.theme;
        let l = app.lang;
        let extra = if self.error.is_some() { 3 } else { 0 };
        let r = crate::tui::widgets::popup(f, area, 56, self.items.len() as u16 + 5 + extra);
        let mut lines: Vec<Line> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, (label, _))| {
                if i == self.selected {
                    Line::styled(format!("> {}", label.get(l)), th.selected)
                } else {
                    Line::raw(format!("  {}", label.get(l)))
                }
            })
            .collect();
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            s::note_line_hint(l, &app.keymap.keys(Ctx::Picker, Act::Choose)),
            th.dim,
        ));
        lines.push(self.note.line(52, true, th.base, th.selected));
        if let Some(e) = &self.error {
            lines.push(Line::styled(format!("! {e}"), th.error));
        }
        let title = format!(" {} {} ", self.ticket, tr(self.title, l));
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL).title(title)),
            r,
        );
    }
}
