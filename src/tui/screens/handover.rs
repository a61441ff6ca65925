//! The handover screen (交接班): the report of the shift as it will be written,
//! the incoming operator's name and the outgoing note. Ctrl-S hands over; when
//! the desk refuses because an emergency is still active or lacks its report,
//! the concern shows and a reason field opens, and the next Ctrl-S sends it.
//! The desk writes the three files as part of the handover (as for
//! `dutydesk shift handover`); this screen shows the paths it recorded.

use std::path::PathBuf;

use crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::{Command, Event, Refusal};
use crate::error::DeskError;
use crate::export::{report, shift};
use crate::tui::app::{App, Flow, Screen};
use crate::tui::keymap::{Act, Ctx};
use crate::tui::strings::{self as s, tr};
use crate::tui::widgets::input::Input;
use crate::tui::widgets::report_view;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Incoming,
    Note,
    Reason,
}

pub struct HandoverScreen {
    incoming: Input,
    note: Input,
    reason: Input,
    focus: Field,
    /// Shown once the desk asked for a reason.
    asks_reason: bool,
    preview: Vec<String>,
    scroll: usize,
    error: Option<String>,
    /// The files written, once handed over.
    written: Option<Vec<PathBuf>>,
    /// The shift being handed over and its operator, as it was when opened.
    shift: Option<(u64, String)>,
}

impl HandoverScreen {
    /// Opens the screen with the current shift's report as it stands now.
    pub fn open(app: &mut App) -> HandoverScreen {
        let preview = if app.state.shifts.current().is_none() {
            vec![tr(s::NO_SHIFT, app.lang).to_string()]
        } else {
            preview(app, shift::Selection::Current)
                .unwrap_or_else(|e| vec![format!("! {}", app.failure(&e))])
        };
        HandoverScreen {
            incoming: Input::default(),
            note: Input::default(),
            reason: Input::default(),
            focus: Field::Incoming,
            asks_reason: false,
            preview,
            scroll: 0,
            error: None,
            written: None,
            shift: app
                .state
                .shifts
                .current()
                .map(|sh| (sh.id, sh.operator.clone())),
        }
    }

    fn fields(&self) -> Vec<Field> {
        let mut f = vec![Field::Incoming, Field::Note];
        if self.asks_reason {
            f.push(Field::Reason);
        }
        f
    }

    fn input(&mut self, f: Field) -> &mut Input {
        match f {
            Field::Incoming => &mut self.incoming,
            Field::Note => &mut self.note,
            Field::Reason => &mut self.reason,
        }
    }

    fn submit(&mut self, app: &mut App) {
        let text = |i: &Input| Some(i.text().trim().to_string()).filter(|t| !t.is_empty());
        let cmd = Command::ShiftHandover {
            to: self.incoming.text(),
            note: text(&self.note),
            reason: if self.asks_reason {
                text(&self.reason)
            } else {
                None
            },
        };
        let done = match app.submit(cmd) {
            Ok(d) => d,
            // The refusal itself says the handover needs a reason; the form then asks for one.
            Err(e @ DeskError::Refused(Refusal::HandoverConcerns { .. })) => {
                self.error = Some(app.failure(&e));
                self.asks_reason = true;
                self.focus = Field::Reason;
                return;
            }
            Err(e) => {
                self.error = Some(app.failure(&e));
                if matches!(e, DeskError::Invalid { .. }) {
                    self.focus = Field::Incoming;
                }
                return;
            }
        };
        self.error = None;
        let Some(from) = done.records.iter().find_map(|r| match &r.body.event {
            Event::HandoverOffered { from_shift, .. } => Some(*from_shift),
            _ => None,
        }) else {
            return;
        };
        // The desk wrote the files as part of the handover; this screen shows them.
        let paths: Vec<PathBuf> = done
            .records
            .iter()
            .filter_map(|r| match &r.body.event {
                Event::ExportWritten { shift, paths } if *shift == from => {
                    Some(paths.iter().map(PathBuf::from))
                }
                _ => None,
            })
            .flatten()
            .collect();
        if paths.is_empty() {
            // Handed over all the same; the desk's warning says the files follow.
            let why: Vec<String> = done.warnings.iter().map(|w| app.warning_text(w)).collect();
            self.error = Some(why.join("; "));
        } else {
            app.info(tr(s::HANDED_OVER, app.lang));
        }
        // The preview becomes the report as written, handover included.
        if let Ok(p) = preview(app, shift::Selection::Id(from)) {
            self.preview = p;
            self.scroll = 0;
        }
        self.written = Some(paths);
    }
}

/// The handover report of the open shift, as the .md file will have it.
fn preview(app: &mut App, which: shift::Selection) -> Result<Vec<String>, DeskError> {
    let now = app.now_us();
    let slice = shift::load(app.api_mut(), which, now)?;
    let md = report::render(&slice, &app.site.targets, &chrono::Local);
    Ok(md.lines().map(str::to_string).collect())
}

impl Screen for HandoverScreen {
    fn ctx(&self) -> Ctx {
        Ctx::Handover
    }

    fn has_input(&self) -> bool {
        self.written.is_none()
            && !(self.incoming.is_empty() && self.note.is_empty() && self.reason.is_empty())
    }

    fn key(&mut self, app: &mut App, ev: &KeyEvent, act: Option<Act>) -> Flow {
        if self.written.is_some() {
            return match act {
                Some(Act::Discard) => Flow::Close(1),
                Some(Act::PageUp) => {
                    self.scroll = self.scroll.saturating_sub(10);
                    Flow::Stay
                }
                Some(Act::PageDown) => {
                    self.scroll = (self.scroll + 10).min(self.preview.len().saturating_sub(1));
                    Flow::Stay
                }
                _ => Flow::Stay,
            };
        }
        let fields = self.fields();
        let at = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
        match act {
            Some(Act::Discard) if self.has_input() => {
                return Flow::Push(Box::new(crate::tui::screens::confirm::Confirm::new(
                    s::DISCARD_FORM,
                    crate::tui::screens::confirm::OnYes::CloseBelow,
                )))
            }
            Some(Act::Discard) => return Flow::Close(1),
            Some(Act::NextField) => self.focus = fields[(at + 1) % fields.len()],
            Some(Act::PrevField) => self.focus = fields[(at + fields.len() - 1) % fields.len()],
            Some(Act::PageUp) => self.scroll = self.scroll.saturating_sub(10),
            Some(Act::PageDown) => {
                self.scroll = (self.scroll + 10).min(self.preview.len().saturating_sub(1))
            }
            Some(Act::Save) => self.submit(app),
            _ => {
                let f = self.focus;
                self.input(f).edit(ev);
            }
        }
        Flow::Stay
    }

    fn draw(&self, app: &App, f: &mut Frame, area: Rect) {
        f.render_widget(Clear, area);
        let th = &app.theme;
        let l = app.lang;
        let form_h = if let Some(paths) = &self.written {
            // The desk's sentence when the files follow later wraps on a narrow screen.
            2 + paths.len() as u16 + u16::from(self.error.is_some()) * 3
        } else {
            3 + u16::from(self.asks_reason) + u16::from(self.error.is_some()) * 2
        };
        let [form, preview] =
            Layout::vertical([Constraint::Length(form_h + 1), Constraint::Min(3)]).areas(area);
        let mut lines = Vec::new();
        let shift = self
            .shift
            .as_ref()
            .map(|(id, who)| format!("{} {id} · {who}", tr(s::SHIFT, l)))
            .unwrap_or_else(|| tr(s::NO_SHIFT, l).to_string());
        lines.push(Line::styled(
            format!(" {} · {shift}", tr(s::HANDOVER, l)),
            th.title,
        ));
        if let Some(paths) = &self.written {
            // With no paths the desk's warning (below) says it is handed over and why
            // the files follow.
            if !paths.is_empty() {
                lines.push(Line::styled(format!(" {}:", tr(s::HANDED_OVER, l)), th.ok));
            }
            for p in paths {
                lines.push(Line::raw(format!("   {}", p.display())));
            }
        } else {
            let cols = (area.width as usize).saturating_sub(30);
            let mut field = |label: &str, fld: Field, input: &Input| {
                let focused = self.focus == fld;
                let mut spans = vec![Span::styled(
                    format!(" {}{label}: ", if focused { "▸" } else { " " }),
                    if focused { th.focus } else { th.dim },
                )];
                spans.extend(input.line(cols, focused, th.base, th.selected).spans);
                lines.push(Line::from(spans));
            };
            field(tr(s::INCOMING, l), Field::Incoming, &self.incoming);
            field(tr(s::HANDOVER_NOTE, l), Field::Note, &self.note);
            if self.asks_reason {
                field(tr(s::HANDOVER_REASON, l), Field::Reason, &self.reason);
            }
        }
        if let Some(e) = &self.error {
            lines.push(Line::styled(format!(" ! {e}"), th.error));
        }
        f.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: false }).block(
                Block::default()
                    .borders(Borders::BOTTOM)
                    .border_style(th.dim),
            ),
            form,
        );
        // The report laid out for this window: aligned columns, no Markdown.
        let looks = report_view::Looks {
            title: th.title,
            head: th.dim,
            base: th.base,
        };
        let body: Vec<Line> =
            report_view::lines(&self.preview.join("\n"), preview.width as usize, &looks)
                .into_iter()
                .skip(self.scroll)
                .collect();
        let title = if self.written.is_some() {
            format!(" {} ", tr(s::PREVIEW, l))
        } else {
            format!(
                " {} · {} ",
                tr(s::PREVIEW, l),
                s::handover_keys(l, &app.keymap)
            )
        };
        let title = crate::display::truncate(&title, preview.width as usize);
        f.render_widget(
            Paragraph::new(body)
                .wrap(Wrap { trim: false })
                .block(Block::default().title(title).title_style(th.dim)),
            preview,
        );
    }
}
