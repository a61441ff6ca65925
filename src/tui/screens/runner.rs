//! The emergency runner: the whole plan with the current step marked, the time
//! since the start in large digits, every deadline counting down (missed ones
//! marked "!!" as well as red), the contacts and their numbers. `x` marks the
//! selected step done (asking for its value when the plan records one), `s`
//! skips it with a reason (a critical step is first tried as a plain skip, so the
//! desk's refusal shows, then an override is asked for), `n` notes, `c` closes.
//! Moving the selection lets a step be done out of order.

use crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::display::{truncate, width};
use crate::domain::{Command, Lang, Refusal, StepAction};
use crate::emergency::view::RunView;
use crate::error::DeskError;
use crate::state::{Run, StepState};
use crate::store::Record;
use crate::tui::app::{App, Flow, Screen};
use crate::tui::keymap::{Act, Ctx};
use crate::tui::screens::ask::Ask;
use crate::tui::strings::{self as s, tr};
use crate::tui::widgets::{bigclock, fit, local_hm};

pub struct Runner {
    run: String,
    /// The step the keys act on (index); `None` follows the current step.
    selected: Option<usize>,
}

impl Runner {
    pub fn new(run: &str) -> Runner {
        Runner {
            run: run.to_string(),
            selected: None,
        }
    }

    fn selected(&self, run: &Run) -> usize {
        self.selected
            .or_else(|| run.current_step().map(|n| n as usize - 1))
            .unwrap_or(0)
            .min(run.steps.len().saturating_sub(1))
    }
}

fn name(run: &Run, lang: Lang) -> &str {
    match lang {
        Lang::En => &run.name_en,
        Lang::Zh => &run.name_zh,
    }
}

/// Submits a step action; the sentence to show when it fails.
fn step(app: &mut App, run: &str, n: u32, action: StepAction) -> Result<(), DeskError> {
    let done = app.submit(Command::EmergencyStep {
        run: run.to_string(),
        step: n,
        action,
        note: None,
    })?;
    let mut msg = format!("{} {run} · {}", tr(s::DONE_OK, app.lang), n);
    for w in &done.warnings {
        msg.push_str(" · ");
        msg.push_str(&app.warning_text(w));
    }
    app.info(msg);
    Ok(())
}

impl Screen for Runner {
    fn ctx(&self) -> Ctx {
        Ctx::Runner
    }

    fn run_id(&self) -> Option<String> {
        Some(self.run.clone())
    }

    fn on_record(&mut self, _app: &App, rec: &Record) {
        if rec.body.event.run() == Some(self.run.as_str()) {
            self.selected = None;
        }
    }

    fn key(&mut self, app: &mut App, _ev: &KeyEvent, act: Option<Act>) -> Flow {
        let Some(run) = app.state.run(&self.run).cloned() else {
            return Flow::Close(1);
        };
        let sel = self.selected(&run);
        let n = sel as u32 + 1;
        let l = app.lang;
        let id = run.id.clone();
        let pending = run
            .progress
            .get(sel)
            .is_some_and(|p| p.state == StepState::Pending);
        match act {
            Some(Act::Back) => return Flow::Close(1),
            Some(Act::Up) => self.selected = Some(sel.saturating_sub(1)),
            Some(Act::Down) => {
                self.selected = Some((sel + 1).min(run.steps.len().saturating_sub(1)))
            }
            Some(Act::StepDone) if pending => {
                let st = &run.steps[sel];
                if let (Some(en), Some(zh)) = (&st.record_en, &st.record_zh) {
                    let title = s::record_prompt(l, n, en, zh);
                    let ask = Ask::new(
                        title,
                        Box::new(move |app, text| {
                            let value = Some(text.trim().to_string()).filter(|t| !t.is_empty());
                            step(app, &id, n, StepAction::Done { value })
                                .map(|_| Flow::Close(1))
                                .map_err(|e| app.failure(&e))
                        }),
                    );
                    return Flow::Push(Box::new(ask));
                }
                match step(app, &id, n, StepAction::Done { value: None }) {
                    Ok(()) => self.selected = None,
                    Err(e) => app.error(app.failure(&e)),
                }
            }
            Some(Act::StepSkip) if pending => {
                let critical = run.steps[sel].critical;
                let ask = Ask::new(
                    s::step_title(l, n, s::SKIP_REASON),
                    Box::new(move |app, reason| {
                        let plain = StepAction::Skip {
                            reason: reason.clone(),
                            over_ride: false,
                        };
                        match step(app, &id, n, plain) {
                            Ok(()) => Ok(Flow::Close(1)),
                            Err(DeskError::Refused(
                                why @ Refusal::CriticalStepNeedsOverride { .. },
                            )) if critical => Ok(Flow::Replace(Box::new(Override {
                                run: id.clone(),
                                step: n,
                                reason,
                                refusal: why,
                            }))),
                            Err(e) => Err(app.failure(&e)),
                        }
                    }),
                );
                return Flow::Push(Box::new(ask));
            }
            Some(Act::StepDone) | Some(Act::StepSkip) => {
                let state = run.progress.get(sel).map(|p| p.state);
                let word = match state {
                    Some(StepState::Skipped) => tr(s::SKIPPED, l),
                    _ => tr(s::DONE_OK, l),
                };
                app.error(format!("{}: {word}", s::step_title(l, n, s::STEPS)));
            }
            Some(Act::RunNote) => {
                let ask = Ask::new(
                    format!("{id} · {}", tr(s::RUN_NOTE, l)),
                    Box::new(move |app, text| {
                        match app.submit(Command::EmergencyNote {
                            run: id.clone(),
                            text,
                        }) {
                            Ok(_) => {
                                app.info(format!("{} {id}", tr(s::DONE_OK, app.lang)));
                                Ok(Flow::Close(1))
                            }
                            Err(e) => Err(app.failure(&e)),
                        }
                    }),
                );
                return Flow::Push(Box::new(ask));
            }
            Some(Act::RunReport) => {
                match app.submit(Command::EmergencyReport { run: id.clone() }) {
                    Ok(done) => {
                        // The desk wrote the file; the path is what it recorded.
                        let path = done.records.iter().find_map(|r| match &r.body.event {
                            crate::domain::Event::IncidentReportWritten { path, .. } => {
                                Some(path.clone())
                            }
                            _ => None,
                        });
                        match path {
                            Some(p) => app.info(s::report_written(l, &id, &p)),
                            None => app.info(format!("{} {id}", tr(s::DONE_OK, l))),
                        }
                    }
                    Err(e) => app.error(app.failure(&e)),
                }
            }
            Some(Act::RunClose) => {
                let cmd = Command::EmergencyClose { run: id.clone() };
                let done = format!("{id} {}", tr(s::CLOSED, l));
                // Closing ends the run for good: steps still pending are listed
                // and the operator confirms.
                let pending = pending_steps(app, &id);
                // With a critical step pending the desk refuses the close and
                // names the steps; asking first would only put a question before it.
                let critical = app
                    .state
                    .run(&id)
                    .is_some_and(|r| !r.pending_critical().is_empty());
                if pending.is_empty() || critical {
                    match app.submit(cmd) {
                        Ok(_) => app.info(done),
                        Err(e) => app.error(app.failure(&e)),
                    }
                } else {
                    let ask = crate::tui::screens::confirm::Confirm::new(
                        s::CLOSE_RUN_ASK,
                        crate::tui::screens::confirm::OnYes::Submit {
                            cmd,
                            done,
                            below: 0,
                        },
                    )
                    .with_detail(pending);
                    return Flow::Push(Box::new(ask));
                }
            }
            _ => {}
        }
        Flow::Stay
    }

    fn draw(&self, app: &App, f: &mut Frame, area: Rect) {
        f.render_widget(Clear, area);
        let Some(run) = app.state.run(&self.run) else {
            return;
        };
        let th = &app.theme;
        let l = app.lang;
        let view = RunView::at(run, app.now_us());
        let sel = self.selected(run);
        let [top, clock_area, list, detail] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(3),
            Constraint::Min(3),
            Constraint::Length(4),
        ])
        .areas(area);

        // Title: run, plan, place, who started it and when.
        let place = run
            .location
            .as_deref()
            .map(|p| format!(" @ {p}"))
            .unwrap_or_default();
        let state = if run.is_active() {
            String::new()
        } else {
            format!(" · {}", tr(s::CLOSED, l))
        };
        let title = format!(
            " !! {} {}{place} · {} {} {}{state}",
            run.id,
            name(run, l),
            tr(s::STARTED_BY, l),
            run.started_by,
            local_hm(run.started_at_us)
        );
        let pad = (area.width as usize).saturating_sub(width(&title));
        f.render_widget(
            Paragraph::new(Line::styled(
                format!(
                    "{}{}",
                    truncate(&title, area.width as usize),
                    " ".repeat(pad)
                ),
                th.banner,
            )),
            top,
        );

        // The elapsed time, large, with the counts beside it.
        let elapsed = bigclock::elapsed_text(view.elapsed_seconds);
        let big = bigclock::lines(&elapsed);
        let bw = bigclock::width(&elapsed) as u16 + 2;
        let [left, right] =
            Layout::horizontal([Constraint::Length(bw), Constraint::Min(10)]).areas(clock_area);
        let big_style = if view.missed_deadlines().is_empty() {
            th.title
        } else {
            th.overdue
        };
        f.render_widget(
            Paragraph::new(
                big.iter()
                    .map(|r| Line::styled(format!(" {r}"), big_style))
                    .collect::<Vec<_>>(),
            ),
            left,
        );
        let total = run.steps.len();
        let done = view.count(StepState::Done);
        let skipped = view.count(StepState::Skipped);
        let mut info = vec![Line::from(vec![
            Span::styled(format!("{} ", tr(s::ELAPSED, l)), th.dim),
            Span::styled(elapsed.clone(), th.title),
            Span::raw(format!(
                " · {} {done}/{total}{}",
                tr(s::STEPS, l),
                if skipped > 0 {
                    format!(" ({} {skipped})", tr(s::SKIPPED, l))
                } else {
                    String::new()
                }
            )),
        ])];
        if let Some((n, d)) = view.next_deadline() {
            let style = if d.is_missed() { th.overdue } else { th.urgent };
            info.push(Line::styled(format!("#{n} {}", s::deadline(l, &d)), style));
        }
        let missed = view.missed_deadlines();
        if !missed.is_empty() {
            let list: Vec<String> = missed.iter().map(|n| format!("#{n}")).collect();
            info.push(Line::styled(format!("!! {}", list.join(" ")), th.overdue));
        }
        f.render_widget(Paragraph::new(info), right);

        // The steps: marker, state, number, words, deadline, contact. The words
        // and the contacts share the width: every phone number is shown whole,
        // names get what is left after the words' fair share.
        let deadlines: Vec<String> = view
            .steps
            .iter()
            .map(|sv| sv.deadline.map(|d| s::deadline(l, &d)).unwrap_or_default())
            .collect();
        let deadline_w = deadlines.iter().map(|d| width(d)).max().unwrap_or(0);
        let contacts: Vec<(String, String)> = view
            .steps
            .iter()
            .map(|sv| contact_parts(app, sv.step))
            .collect();
        let phone_w = contacts.iter().map(|(_, p)| width(p)).max().unwrap_or(0);
        let whole_w = contacts
            .iter()
            .map(|(n, p)| width(format!("{n} {p}").trim()))
            .max()
            .unwrap_or(0);
        let room = (area.width as usize).saturating_sub(8 + 1 + deadline_w + 1);
        let contact_w = fit::share(room, whole_w, phone_w, room / 2);
        let text_w = room.saturating_sub(contact_w);
        let rows = list.height as usize;
        let first = sel
            .saturating_sub(rows.saturating_sub(1) / 2)
            .min(view.steps.len().saturating_sub(rows));
        let lines: Vec<Line> = view
            .steps
            .iter()
            .enumerate()
            .skip(first)
            .take(rows)
            .map(|(i, sv)| {
                let mark = if sv.current { "▶" } else { " " };
                let state = match sv.progress.state {
                    StepState::Pending => "[ ]",
                    StepState::Done => "[x]",
                    StepState::Skipped => "[-]",
                };
                let crit = if sv.step.critical { "*" } else { " " };
                let words = match l {
                    Lang::En => &sv.step.en,
                    Lang::Zh => &sv.step.zh,
                };
                let dl = &deadlines[i];
                let (cname, cphone) = &contacts[i];
                let body = format!(
                    "{mark}{state}{:>2}{crit} {}",
                    sv.n,
                    crate::display::fit(words, text_w)
                );
                let mut style = if sv.progress.state == StepState::Pending {
                    th.base
                } else {
                    th.dim
                };
                if sv.current {
                    style = th.focus;
                }
                let dl_style = match sv.deadline {
                    Some(d) if d.is_missed() => th.overdue,
                    Some(_) => th.urgent,
                    None => th.base,
                };
                let mut spans = vec![
                    Span::styled(body, style),
                    Span::styled(
                        format!(" {}", crate::display::fit(dl, deadline_w)),
                        dl_style,
                    ),
                    Span::styled(
                        format!(" {}", fit::name_and_phone(cname, cphone, contact_w)),
                        th.key,
                    ),
                ];
                if i == sel {
                    for sp in spans.iter_mut() {
                        sp.style = sp.style.patch(th.selected);
                    }
                }
                Line::from(spans)
            })
            .collect();
        f.render_widget(Paragraph::new(lines), list);

        // The selected step in full: its words, contact and what was recorded.
        if let Some(sv) = view.steps.get(sel) {
            let words = match l {
                Lang::En => &sv.step.en,
                Lang::Zh => &sv.step.zh,
            };
            let mut extra = Vec::new();
            if sv.step.critical {
                extra.push(tr(s::CRITICAL, l).to_string());
            }
            let (cname, cphone) = contact_parts(app, sv.step);
            let contact = format!("{cname} {cphone}").trim().to_string();
            if !contact.is_empty() {
                extra.push(format!("{} {contact}", tr(s::CONTACT, l)));
            }
            if let (Some(en), Some(zh)) = (&sv.step.record_en, &sv.step.record_zh) {
                let what = if l == Lang::Zh { zh } else { en };
                let v = sv.progress.value.as_deref().unwrap_or("—");
                extra.push(format!("{what}: {v}"));
            }
            if let Some(r) = &sv.progress.reason {
                extra.push(format!("{}: {r}", tr(s::REASON, l)));
            }
            if let Some(o) = &sv.progress.operator {
                extra.push(format!(
                    "{} {o} {}",
                    tr(s::BY, l),
                    sv.progress.at_us.map(local_hm).unwrap_or_default()
                ));
            }
            let text = vec![
                Line::styled(format!("{}. {words}", sv.n), th.title),
                Line::raw(extra.join(" · ")),
            ];
            f.render_widget(
                Paragraph::new(text)
                    .wrap(Wrap { trim: true })
                    .block(Block::default().borders(Borders::TOP).border_style(th.dim)),
                detail,
            );
        }
    }
}

/// A step's contact as its name in the screen's language and its phone.
fn contact_parts(app: &App, step: &crate::domain::StepSnapshot) -> (String, String) {
    let phone = step.contact_phone.clone().unwrap_or_default();
    let Some(id) = &step.contact else {
        return (String::new(), phone);
    };
    let name = app
        .site
        .contact(id)
        .map(|c| match app.lang {
            Lang::En => c.name_en.clone(),
            Lang::Zh => c.name_zh.clone(),
        })
        .unwrap_or_else(|| id.clone());
    (name, phone)
}

/// A critical step the desk refused to skip: its refusal, and whether to override.
struct Override {
    run: String,
    step: u32,
    reason: String,
    refusal: Refusal,
}

impl Screen for Override {
    fn ctx(&self) -> Ctx {
        Ctx::Confirm
    }

    fn key(&mut self, app: &mut App, _ev: &KeyEvent, act: Option<Act>) -> Flow {
        match act {
            Some(Act::Yes) => {
                let action = StepAction::Skip {
                    reason: self.reason.clone(),
                    over_ride: true,
                };
                if let Err(e) = step(app, &self.run, self.step, action) {
                    app.error(app.failure(&e));
                }
                Flow::Close(1)
            }
            Some(Act::No) => Flow::Close(1),
            _ => Flow::Stay,
        }
    }

    fn draw(&self, app: &App, f: &mut Frame, area: Rect) {
        let r = crate::tui::widgets::popup(f, area, 64, 9);
        let text = vec![
            Line::styled(
                format!(
                    "! {}",
                    app.failure(&DeskError::Refused(self.refusal.clone()))
                ),
                app.theme.error,
            ),
            Line::raw(""),
            Line::styled(tr(s::OVERRIDE_ASK, app.lang), app.theme.title),
            app.confirm_line(),
        ];
        f.render_widget(
            Paragraph::new(text).wrap(Wrap { trim: true }).block(
                Block::default().borders(Borders::ALL).title(format!(
                    " {} · {} ",
                    self.run,
                    s::step_title(app.lang, self.step, s::SKIP_REASON)
                )),
            ),
            r,
        );
    }
}

/// The run's pending steps, one line each ("8 Notify the insurer"), at most 8
/// lines so the question fits at 80x24.
fn pending_steps(app: &App, run: &str) -> Vec<String> {
    let Some(r) = app.state.run(run) else {
        return Vec::new();
    };
    let mut out: Vec<String> = r
        .steps
        .iter()
        .zip(&r.progress)
        .enumerate()
        .filter(|(_, (_, p))| p.state == crate::state::StepState::Pending)
        .map(|(i, (st, _))| {
            let text = match app.lang {
                crate::domain::Lang::En => &st.en,
                crate::domain::Lang::Zh => &st.zh,
            };
            crate::display::fit(&format!("{} {text}", i + 1), 54)
        })
        .collect();
    if out.len() > 8 {
        let more = out.len() - 7;
        out.truncate(7);
        out.push(format!("… +{more}"));
    }
    out
}
