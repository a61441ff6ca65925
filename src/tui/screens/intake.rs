//! The intake form (`n`): a call logged in seconds. Fields in order Unit, Kind,
//! Priority, Caller, Phone, Summary, Anonymous; Tab and Shift-Tab move, Ctrl-S
//! saves from any field. Unit completes from the site directory and the unit's
//! history shows beside the form. A refused save marks the field and keeps
//! everything typed.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use crate::display::fit;
use crate::domain::text::Bilingual;
use crate::domain::{Command, Kind};
use crate::tui::app::{App, Flow, Screen};
use crate::tui::keymap::{Act, Ctx};
use crate::tui::screens::confirm::{Confirm, OnYes};
use crate::tui::strings::{self as s, tr};
use crate::tui::widgets::{history, input::Input};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Unit,
    Kind,
    Priority,
    Caller,
    Phone,
    Summary,
    Anonymous,
}

impl Field {
    const ORDER: [Field; 7] = [
        Field::Unit,
        Field::Kind,
        Field::Priority,
        Field::Caller,
        Field::Phone,
        Field::Summary,
        Field::Anonymous,
    ];

    fn label(self) -> Bilingual {
        match self {
            Field::Unit => s::UNIT,
            Field::Kind => s::KIND,
            Field::Priority => s::PRIORITY,
            Field::Caller => s::CALLER_NAME,
            Field::Phone => s::PHONE,
            Field::Summary => s::SUMMARY,
            Field::Anonymous => Bilingual::new("Anonymous", "匿名"),
        }
    }

    /// The form field a desk error names (`DeskError::Invalid { field }`).
    fn of_error(name: &str) -> Option<Field> {
        Some(match name {
            "unit" => Field::Unit,
            "kind" => Field::Kind,
            "priority" => Field::Priority,
            "name" | "caller" => Field::Caller,
            "phone" => Field::Phone,
            "summary" | "text" => Field::Summary,
            "anonymous" => Field::Anonymous,
            _ => return None,
        })
    }
}

pub struct Intake {
    pub focus: Field,
    unit: Input,
    kind: Kind,
    priority: u8,
    priority_chosen: bool,
    caller: Input,
    phone: Input,
    summary: Input,
    anonymous: bool,
    suggestions: Vec<String>,
    errors: BTreeMap<Field, String>,
    form_error: Option<String>,
}

impl Intake {
    pub fn new(_app: &App) -> Intake {
        Intake {
            focus: Field::Unit,
            unit: Input::default(),
            kind: Kind::Repair,
            priority: Kind::Repair.default_priority().0,
            priority_chosen: false,
            caller: Input::default(),
            phone: Input::default(),
            summary: Input::default(),
            anonymous: false,
            suggestions: Vec::new(),
            errors: BTreeMap::new(),
            form_error: None,
        }
    }

    fn step(&mut self, forward: bool) {
        let i = Field::ORDER
            .iter()
            .position(|f| *f == self.focus)
            .unwrap_or(0);
        let n = Field::ORDER.len();
        self.focus = Field::ORDER[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
    }

    fn set_kind(&mut self, forward: bool) {
        let i = Kind::ALL.iter().position(|k| *k == self.kind).unwrap_or(0);
        let n = Kind::ALL.len();
        self.kind = Kind::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
        if !self.priority_chosen {
            self.priority = self.kind.default_priority().0;
        }
    }

    fn set_priority(&mut self, p: u8) {
        self.priority = p.clamp(1, 4);
        self.priority_chosen = true;
    }

    /// The first completion, unless the unit is already exactly it.
    fn suggestion(&self) -> Option<&str> {
        let typed = self.unit.text();
        self.suggestions
            .first()
            .map(String::as_str)
            .filter(|s| !s.eq_ignore_ascii_case(typed.trim()))
    }

    fn update_suggestions(&mut self, app: &App) {
        self.suggestions = app.site.complete_unit(&self.unit.text(), 5);
    }

    /// Takes the unit suggestion, if the unit field has one; true if it did.
    fn take_suggestion(&mut self, app: &App) -> bool {
        if self.focus != Field::Unit {
            return false;
        }
        let Some(sug) = self.suggestion().map(str::to_string) else {
            return false;
        };
        self.unit.set(&sug);
        self.errors.remove(&Field::Unit);
        self.update_suggestions(app);
        true
    }

    fn text_input(&mut self) -> Option<&mut Input> {
        match self.focus {
            Field::Unit => Some(&mut self.unit),
            Field::Caller => Some(&mut self.caller),
            Field::Phone => Some(&mut self.phone),
            Field::Summary => Some(&mut self.summary),
            _ => None,
        }
    }

    /// The open ticket this call may be about: the unit's newest open one, else
    /// one opened from the same phone number.
    fn open_match(&self, app: &App) -> Option<(u64, String, String)> {
        let now = app.now_us();
        let (open, _) = history::of_unit(&app.state, &self.unit.text(), now);
        let digits = |p: &str| p.chars().filter(char::is_ascii_digit).collect::<String>();
        let phone = digits(&self.phone.text());
        let same_phone = |t: &crate::state::Ticket| {
            t.is_open() && t.phone.as_deref().map(digits).as_deref() == Some(phone.as_str())
        };
        let t: &crate::state::Ticket = open.first().copied().or_else(|| {
            (phone.len() >= 7)
                .then(|| {
                    app.state
                        .tickets
                        .values()
                        .rev()
                        .map(|t| &**t)
                        .find(|t| same_phone(t))
                })
                .flatten()
        })?;
        Some((t.id.number(), t.id.0.clone(), t.summary.clone()))
    }

    /// Records the call on the open ticket it is about, instead of a new ticket.
    fn add_call(&mut self, app: &mut App) -> Flow {
        let Some((number, id, _)) = self.open_match(app) else {
            return Flow::Stay;
        };
        let opt = |i: &Input| {
            let t = i.text();
            (!t.trim().is_empty()).then_some(t)
        };
        let cmd = Command::AddCall {
            id: id.clone(),
            caller: opt(&self.caller),
            phone: opt(&self.phone),
            note: opt(&self.summary),
        };
        self.errors.clear();
        self.form_error = None;
        match app.submit(cmd) {
            Ok(_) => {
                app.select_ticket(number);
                app.info(s::call_added(app.lang, &id));
                Flow::Close(1)
            }
            Err(e) => self.refused(app, e),
        }
    }

    /// Marks the field a refusal names, or says why under the form; input is kept.
    fn refused(&mut self, app: &App, e: crate::DeskError) -> Flow {
        match e {
            crate::DeskError::Invalid { field, reason } => match Field::of_error(&field) {
                Some(f) => {
                    self.errors.insert(f, app.reason_text(&reason));
                    self.focus = f;
                }
                None => {
                    self.form_error =
                        Some(app.failure(&crate::DeskError::Invalid { field, reason }))
                }
            },
            e => self.form_error = Some(app.failure(&e)),
        }
        Flow::Stay
    }

    fn save(&mut self, app: &mut App) -> Flow {
        let opt = |i: &Input| {
            let t = i.text();
            (!t.trim().is_empty()).then_some(t)
        };
        let cmd = Command::Call {
            unit: self.unit.text(),
            kind: self.kind,
            priority: self.priority_chosen.then_some(self.priority),
            caller: opt(&self.caller),
            phone: opt(&self.phone),
            summary: self.summary.text(),
            anonymous: self.anonymous,
        };
        self.errors.clear();
        self.form_error = None;
        match app.submit(cmd) {
            Ok(done) => {
                let ticket = done
                    .records
                    .iter()
                    .find_map(|r| r.body.event.ticket().cloned());
                let id = ticket.as_ref().map(|t| t.0.clone()).unwrap_or_default();
                // The next thing done with a call just logged is to open it.
                if let Some(t) = &ticket {
                    app.select_ticket(t.number());
                }
                let mut msg = s::saved_ticket(app.lang, &id);
                for w in &done.warnings {
                    msg.push_str(" · ");
                    msg.push_str(&app.warning_text(w));
                }
                app.info(msg);
                Flow::Close(1)
            }
            Err(e) => self.refused(app, e),
        }
    }

    /// The value shown for a field.
    fn value_line(&self, app: &App, f: Field, cols: usize) -> Line<'static> {
        let th = &app.theme;
        let l = app.lang;
        let focused = self.focus == f;
        let style = if focused { th.focus } else { th.base };
        let choice = |text: String| {
            if focused {
                Line::styled(format!("< {text} >"), style)
            } else {
                Line::styled(format!("  {text}"), style)
            }
        };
        match f {
            Field::Unit => self.unit.line(cols, focused, th.base, th.selected),
            Field::Caller => self.caller.line(cols, focused, th.base, th.selected),
            Field::Phone => self.phone.line(cols, focused, th.base, th.selected),
            Field::Summary => self.summary.line(cols, focused, th.base, th.selected),
            Field::Kind => choice(self.kind.label().get(l).to_string()),
            Field::Priority => choice(format!("P{}", self.priority)),
            Field::Anonymous => {
                choice(tr(if self.anonymous { s::YES } else { s::NO }, l).to_string())
            }
        }
    }
}

impl Screen for Intake {
    fn ctx(&self) -> Ctx {
        Ctx::Intake
    }

    fn has_input(&self) -> bool {
        !(self.unit.is_empty()
            && self.caller.is_empty()
            && self.phone.is_empty()
            && self.summary.is_empty()
            && !self.anonymous
            && !self.priority_chosen
            && self.kind == Kind::Repair)
    }

    fn key(&mut self, app: &mut App, ev: &KeyEvent, act: Option<Act>) -> Flow {
        match act {
            Some(Act::Save) => return self.save(app),
            Some(Act::AddCall) => return self.add_call(app),
            Some(Act::NextField) => self.step(true),
            Some(Act::PrevField) => self.step(false),
            Some(Act::Discard) => {
                return if self.has_input() {
                    Flow::Push(Box::new(Confirm::new(s::DISCARD_FORM, OnYes::CloseBelow)))
                } else {
                    Flow::Close(1)
                };
            }
            Some(Act::Accept) => {
                if !self.take_suggestion(app) {
                    self.step(true);
                }
            }
            Some(a @ (Act::NextChoice | Act::PrevChoice | Act::Toggle)) => {
                let forward = a != Act::PrevChoice;
                let focus = self.focus;
                match focus {
                    Field::Kind => self.set_kind(forward),
                    Field::Priority if a != Act::Toggle => {
                        let p = if forward {
                            self.priority + 1
                        } else {
                            self.priority.saturating_sub(1)
                        };
                        self.set_priority(p)
                    }
                    Field::Priority => {}
                    Field::Anonymous => self.anonymous = !self.anonymous,
                    Field::Unit if a == Act::NextChoice && self.take_suggestion(app) => {}
                    // In a text field the key is what it is: a space, a letter
                    // bound by the user, or the cursor moving.
                    _ => {
                        if self.text_input().is_some_and(|i| i.edit(ev)) && focus == Field::Unit {
                            self.update_suggestions(app);
                        }
                    }
                }
                self.errors.remove(&focus);
            }
            _ => {
                let focus = self.focus;
                let used = match (focus, ev.code) {
                    // The priority is typed as its value, like text.
                    (Field::Priority, KeyCode::Char(c @ '1'..='4')) => {
                        self.set_priority(c as u8 - b'0');
                        true
                    }
                    _ => self.text_input().is_some_and(|i| i.edit(ev)),
                };
                if used {
                    self.errors.remove(&focus);
                    if focus == Field::Unit {
                        self.update_suggestions(app);
                    }
                }
            }
        }
        Flow::Stay
    }

    fn draw(&self, app: &App, f: &mut Frame, area: Rect) {
        f.render_widget(Clear, area);
        let l = app.lang;
        let th = &app.theme;
        let [form, hist] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(area);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(format!(" {} ", tr(s::INTAKE, l)));
        let inner = block.inner(form);
        f.render_widget(block, form);
        let label_w = 10;
        let cols = (inner.width as usize).saturating_sub(label_w + 3);
        let mut lines = Vec::new();
        for field in Field::ORDER {
            let mark = if self.errors.contains_key(&field) {
                "!"
            } else {
                " "
            };
            let lstyle = if self.focus == field {
                th.focus
            } else {
                th.title
            };
            let mut spans = vec![
                Span::styled(mark.to_string(), th.error),
                Span::styled(format!("{} ", fit(tr(field.label(), l), label_w)), lstyle),
            ];
            spans.extend(self.value_line(app, field, cols).spans);
            lines.push(Line::from(spans));
            if field == Field::Unit && self.focus == Field::Unit {
                if let Some(sug) = self.suggestion() {
                    let others: Vec<&str> = self
                        .suggestions
                        .iter()
                        .skip(1)
                        .map(String::as_str)
                        .collect();
                    lines.push(Line::from(vec![
                        Span::raw(" ".repeat(label_w + 2)),
                        Span::styled(sug.to_string(), th.key),
                        Span::styled(
                            format!(" ({}) {}", s::suggestion(l, &app.keymap), others.join(" ")),
                            th.dim,
                        ),
                    ]));
                }
            }
            // Before saving: a unit the directory does not know is said so (it is
            // recorded as given: calls also come from common areas).
            if field == Field::Unit && self.suggestion().is_none() {
                if let Some(w) = app.site.check_unit(&self.unit.text()) {
                    lines.push(Line::styled(
                        format!("{}! {}", " ".repeat(label_w + 2), app.warning_text(&w)),
                        th.dim,
                    ));
                }
            }
            if let Some(e) = self.errors.get(&field) {
                lines.push(Line::styled(
                    format!("{}! {e}", " ".repeat(label_w + 2)),
                    th.error,
                ));
            }
        }
        lines.push(Line::raw(""));
        // A repeat call: offer to add it to the open ticket rather than open a second job.
        if let Some((_, id, summary)) = self.open_match(app) {
            lines.push(Line::styled(
                s::repeat_call(l, &app.keymap, &id, &fit(&summary, 24)),
                th.key,
            ));
        }
        if let Some(e) = &self.form_error {
            lines.push(Line::styled(
                format!("{}: {e}", tr(s::SAVE_FAILED, l)),
                th.error,
            ));
        }
        lines.push(Line::styled(s::form_keys(l, &app.keymap), th.dim));
        f.render_widget(
            Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
            inner,
        );
        history::draw(app, f, hist, &self.unit.text(), None, &self.phone.text());
    }
}
