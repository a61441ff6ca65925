//! The `!` picker: the desk's emergency plans, filtered as you type (English id,
//! English or Chinese name). Enter asks for an optional location, starts the run
//! and opens its runner.

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::display::{truncate, width};
use crate::domain::{Command, Event};
use crate::emergency::plan::Plan;
use crate::tui::app::{App, Flow, Screen};
use crate::tui::keymap::{Act, Ctx};
use crate::tui::screens::ask::Ask;
use crate::tui::screens::runner::Runner;
use crate::tui::strings::{self as s, tr};
use crate::tui::widgets::input::Input;

#[derive(Default)]
pub struct PlanPicker {
    filter: Input,
    selected: usize,
}

impl PlanPicker {
    pub fn new() -> PlanPicker {
        PlanPicker::default()
    }

    fn matching<'a>(&self, app: &'a App) -> Vec<&'a Plan> {
        let needle = self.filter.text();
        let alias = alias(&needle);
        app.plans
            .all
            .iter()
            .filter(|p| p.matches(&needle) || alias.is_some_and(|a| p.matches(a)))
            .collect()
    }
}

/// Words the night staff type for a plan whose id and names use another word
/// ("lift" for the elevator): the plan's own word, to match on.
fn alias(needle: &str) -> Option<&'static str> {
    let n = needle.trim().to_lowercase();
    if n.len() < 3 {
        return None;
    }
    const WORDS: [(&str, &str); 8] = [
        ("lift", "elevator"),
        ("stuck", "elevator"),
        ("blackout", "power"),
        ("outage", "power"),
        ("smoke", "fire"),
        ("leak", "flood"),
        ("burglary", "theft"),
        ("hurt", "injury"),
    ];
    WORDS
        .iter()
        .find(|(w, _)| w.starts_with(n.as_str()))
        .map(|(_, plan)| *plan)
}

/// Starts `plan` at `location` and gives the runner to show, or why not.
fn start(app: &mut App, plan: &str, location: String) -> Result<Flow, String> {
    let location = Some(location.trim().to_string()).filter(|l| !l.is_empty());
    let cmd = Command::EmergencyStart {
        plan: plan.to_string(),
        location,
        ticket: None,
    };
    match app.submit(cmd) {
        Ok(done) => {
            let run = done.records.iter().find_map(|r| match &r.body.event {
                Event::EmergencyStarted { run, .. } => Some(run.clone()),
                _ => None,
            });
            match run {
                Some(run) => {
                    app.info(s::run_started(app.lang, &run));
                    Ok(Flow::Replace(Box::new(Runner::new(&run))))
                }
                None => Ok(Flow::Close(1)),
            }
        }
        Err(e) => Err(app.failure(&e)),
    }
}

impl Screen for PlanPicker {
    fn ctx(&self) -> Ctx {
        Ctx::Plans
    }

    fn has_input(&self) -> bool {
        !self.filter.is_empty()
    }

    fn key(&mut self, app: &mut App, ev: &KeyEvent, act: Option<Act>) -> Flow {
        let n = self.matching(app).len();
        match act {
            Some(Act::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Act::Down) => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Some(Act::Back) => return Flow::Close(1),
            Some(Act::Choose) => {
                let Some(plan) = self.matching(app).get(self.selected).map(|p| {
                    let name = match app.lang {
                        crate::domain::Lang::En => &p.name_en,
                        crate::domain::Lang::Zh => &p.name_zh,
                    };
                    (p.id.clone(), name.clone())
                }) else {
                    return Flow::Stay;
                };
                let (id, name) = plan;
                let title = format!("{name} · {}", s::location_prompt(app.lang, &app.keymap));
                let ask = Ask::new(title, Box::new(move |app, text| start(app, &id, text)));
                return Flow::Replace(Box::new(ask));
            }
            _ => {
                if self.filter.edit(ev) {
                    self.selected = 0;
                }
            }
        }
        Flow::Stay
    }

    fn draw(&self, app: &App, f: &mut Frame, area: Rect) {
        let th = &app.theme;
        let plans = self.matching(app);
        let h = (plans.len().max(1) as u16 + 4).min(area.height);
        // The screen's language first, so what a narrow window cuts is the other name.
        let rows: Vec<String> = plans
            .iter()
            .map(|p| {
                let (first, second) = match app.lang {
                    crate::domain::Lang::En => (&p.name_en, &p.name_zh),
                    crate::domain::Lang::Zh => (&p.name_zh, &p.name_en),
                };
                format!("{:<22} {first} · {second}", p.id)
            })
            .collect();
        let widest = rows.iter().map(|r| width(r)).max().unwrap_or(0) as u16 + 4;
        let w = widest.clamp(60, area.width.saturating_sub(2).max(60));
        let r = crate::tui::widgets::popup(f, area, w, h);
        let inner = (r.width as usize).saturating_sub(4);
        let mut first = vec![Span::styled(
            format!("{}: ", tr(s::PLANS_FILTER, app.lang)),
            th.dim,
        )];
        first.extend(self.filter.line(36, true, th.base, th.selected).spans);
        let mut lines = vec![Line::from(first), Line::raw("")];
        if plans.is_empty() {
            lines.push(Line::styled(tr(s::NO_PLAN, app.lang), th.dim));
        }
        for (i, text) in rows.iter().enumerate() {
            let text = truncate(text, inner);
            if i == self.selected {
                lines.push(Line::styled(format!("> {text}"), th.selected));
            } else {
                lines.push(Line::raw(format!("  {text}")));
            }
        }
        f.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" ! {} ", tr(s::PLANS, app.lang))),
            ),
            r,
        );
    }
}
