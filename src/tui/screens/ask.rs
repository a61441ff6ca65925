//! A one-line question whose answer something else acts on: the location of a
//! new emergency, a step's value, a skip reason, a note on a run, a refusal.
//! When the action fails the text stays and the reason shows under it.

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::tui::app::{App, Flow, Screen};
use crate::tui::keymap::{Act, Ctx};
use crate::tui::widgets::input::Input;

/// Acts on the answer: a flow to follow, or why it failed (the question stays).
pub type OnAnswer = Box<dyn FnMut(&mut App, String) -> Result<Flow, String>>;

pub struct Ask {
    title: String,
    input: Input,
    error: Option<String>,
    on_answer: OnAnswer,
}

impl Ask {
    pub fn new(title: impl Into<String>, on_answer: OnAnswer) -> Ask {
        Ask {
            title: title.into(),
            input: Input::default(),
            error: None,
            on_answer,
        }
    }

    pub fn text(&self) -> String {
        self.input.text()
    }
}

impl Screen for Ask {
    fn ctx(&self) -> Ctx {
        Ctx::Prompt
    }

    fn has_input(&self) -> bool {
        !self.input.is_empty()
    }

    fn key(&mut self, app: &mut App, ev: &KeyEvent, act: Option<Act>) -> Flow {
        match act {
            Some(Act::Back) => Flow::Close(1),
            Some(Act::Submit) => match (self.on_answer)(app, self.input.text()) {
                Ok(flow) => flow,
                Err(why) => {
                    self.error = Some(why);
                    Flow::Stay
                }
            },
            _ => {
                self.input.edit(ev);
                Flow::Stay
            }
        }
    }

    fn draw(&self, app: &App, f: &mut Frame, area: Rect) {
        let th = &app.theme;
        let h = if self.error.is_some() { 7 } else { 3 };
        let r = crate::tui::widgets::popup(f, area, 70, h);
        let mut lines = vec![self.input.line(66, true, th.base, th.selected)];
        if let Some(e) = &self.error {
            lines.push(Line::styled(format!("! {e}"), th.error));
        }
        f.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: false }).block(
                Block::default().borders(Borders::ALL).title(format!(
                    " {} ",
                    crate::display::truncate(&self.title, (r.width as usize).saturating_sub(4))
                )),
            ),
            r,
        );
    }
}
