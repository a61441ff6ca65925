//! The dashboard's state and its update: keys (through the keymap), records from
//! the desk and clock ticks come in; `draw` shows the result. It talks to the desk
//! only through `DeskApi`, and keeps its own replica of the state by folding
//! every record it is sent, so it works the same in-process and over a socket.

use std::collections::HashMap;
use std::sync::mpsc::Receiver;

use crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::Frame;

use crate::clock::SharedClock;
use crate::config::site::Site;
use crate::desk::Committed;
use crate::domain::{Command, Event, Lang};
use crate::emergency::Plans;
use crate::error::DeskError;
use crate::seam::{DeskApi, Live};
use crate::state::State;
use crate::store::Record;
use crate::tui::keymap::{Act, Ctx, Keymap};
use crate::tui::screens::confirm::{Confirm, OnYes};
use crate::tui::screens::help::HelpScreen;
use crate::tui::screens::plans::PlanPicker;
use crate::tui::screens::queue::Queue;
use crate::tui::screens::runner::Runner;
use crate::tui::theme::Theme;
use crate::tui::{strings, view};

/// What a screen asks for after handling a key.
pub enum Flow {
    Stay,
    /// Close this screen (and `n - 1` screens under it).
    Close(usize),
    Push(Box<dyn Screen>),
    Replace(Box<dyn Screen>),
}

/// A screen or dialog on the stack above the queue. Adding one is a file that
/// implements this, plus a section in the keymap.
pub trait Screen {
    /// The keymap section this screen reads its keys from.
    fn ctx(&self) -> Ctx;
    fn key(&mut self, app: &mut App, ev: &KeyEvent, act: Option<Act>) -> Flow;
    /// Draws into the body area (below the header, above the status line).
    fn draw(&self, app: &App, f: &mut Frame, area: ratatui::layout::Rect);
    /// Whether leaving would lose typed input.
    fn has_input(&self) -> bool {
        false
    }
    /// Called when a record arrived, so a screen can refresh what it shows.
    fn on_record(&mut self, _app: &App, _rec: &Record) {}
    /// The emergency run this screen shows, if it is a runner (for the jump key).
    fn run_id(&self) -> Option<String> {
        None
    }
}

/// Sections where printable keys are typed text.
fn takes_text(ctx: Ctx) -> bool {
    matches!(
        ctx,
        Ctx::Intake
            | Ctx::Prompt
            | Ctx::Filter
            | Ctx::Plans
            | Ctx::Handover
            | Ctx::Sign
            | Ctx::Picker
    )
}

/// Where records come from: an in-process desk cannot go away, so it is a plain
/// channel (delivered at once, which screen tests rely on); through an owner it
/// is the live subscription that reports losing and regaining the connection.
pub enum Subscription {
    Records(Receiver<Record>),
    Live(Receiver<Live>),
}

/// A line at the bottom: the result of the last action, or an error.
#[derive(Debug, Clone)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

pub struct App {
    pub(crate) api: Box<dyn DeskApi>,
    pub(crate) clock: SharedClock,
    pub lang: Lang,
    pub(crate) keymap: Keymap,
    pub(crate) theme: Theme,
    pub state: State,
    pub site: Site,
    pub(crate) operator: String,
    /// The size of the last frame drawn: in a window too small to show the
    /// screens, keys other than quit (and its question) would act unseen.
    pub(crate) size: std::cell::Cell<(u16, u16)>,
    pub(crate) queue: Queue,
    pub(crate) stack: Vec<Box<dyn Screen>>,
    pub(crate) status: Option<Status>,
    /// Timelines fetched for the detail screen, by ticket number.
    pub(crate) timelines: HashMap<u64, Vec<Record>>,
    /// The emergency plans the desk knows (for the `!` picker).
    pub plans: Plans,
    /// Why the live connection is down, while it is (the header says so).
    pub offline: Option<String>,
    /// When the connection came back: the header says so for a few seconds, so a
    /// short outage is not missed by someone who looked away.
    pub reconnected_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The last submit failed on storage (a full disk): the header says so until one succeeds.
    pub disk_full: Option<String>,
    /// The desk found that what it served differed from its log (see
    /// `desk::refold`): the header says so for as long as the owner runs.
    pub alarm: Option<String>,
    /// The data directory of a site in a group: its owner's shipping state is
    /// read from there each tick (see `group::status`).
    pub group_dir: Option<std::path::PathBuf>,
    /// What the header says about shipping, while there is something to say.
    pub group_note: Option<GroupNote>,
    subscription: Option<Subscription>,
    quit: bool,
    bell: bool,
}

/// The shipping state a site's operator is told about (nothing while it ships).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupNote {
    LinkDown { unshipped: u64 },
    Stopped,
}

impl App {
    /// Subscribes first, then takes the snapshot, so no record falls between the two
    /// (records already in the snapshot are skipped by sequence number).
    pub fn new(
        mut api: Box<dyn DeskApi>,
        clock: SharedClock,
        lang: Lang,
        keymap: Keymap,
        theme: Theme,
    ) -> Result<App, DeskError> {
        let rx = if api.is_remote() {
            Subscription::Live(api.subscribe_live()?)
        } else {
            Subscription::Records(api.subscribe()?)
        };
        let snap = api.snapshot()?;
        let operator = api.actor().operator.clone();
        let mut app = App {
            api,
            clock,
            lang,
            keymap,
            theme,
            state: snap.state,
            site: snap.site,
            operator,
            size: std::cell::Cell::new((crate::tui::view::MIN_WIDTH, crate::tui::view::MIN_HEIGHT)),
            queue: Queue::default(),
            stack: Vec::new(),
            status: None,
            timelines: HashMap::new(),
            plans: snap.plans,
            offline: None,
            reconnected_at: None,
            disk_full: None,
            alarm: snap.alarm,
            group_dir: None,
            group_note: None,
            subscription: Some(rx),
            quit: false,
            bell: false,
        };
        app.refresh();
        Ok(app)
    }

    pub fn now_us(&self) -> i64 {
        self.clock.now().timestamp_micros()
    }

    /// Recomputes the queue's order and counts (ages move overdue rows up).
    pub fn refresh(&mut self) {
        let now = self.now_us();
        self.queue.refresh(&self.state, &self.site, now);
        self.group_note = self.group_dir.as_deref().and_then(|d| {
            let st = crate::group::status::read(d)?;
            if st.diverged_at.is_some() {
                return Some(GroupNote::Stopped);
            }
            (!st.connected).then(|| GroupNote::LinkDown {
                unshipped: self.state.seq.saturating_sub(st.shipped),
            })
        });
    }

    /// The subscription, for a run loop that forwards it into its own channel.
    pub fn take_subscription(&mut self) -> Option<Subscription> {
        self.subscription.take()
    }

    /// Applies everything waiting on the subscription; true if anything arrived.
    pub fn pump(&mut self) -> bool {
        let mut got = Vec::new();
        match &self.subscription {
            Some(Subscription::Live(rx)) => got.extend(rx.try_iter()),
            Some(Subscription::Records(rx)) => got.extend(rx.try_iter().map(Live::Record)),
            None => {}
        }
        let any = !got.is_empty();
        for r in got {
            self.live(r);
        }
        any
    }

    /// One message of the live subscription. Records missed while the owner was
    /// away follow `Reconnected` on the same channel, so the replica catches up
    /// by itself; screens and their input are never touched here.
    pub fn live(&mut self, msg: Live) {
        match msg {
            Live::Record(r) => self.record(r),
            Live::Disconnected(why) => {
                self.offline = Some(why);
                self.reconnected_at = None;
            }
            Live::Reconnected => {
                self.offline = None;
                self.reconnected_at = Some(self.clock.now());
            }
            // The replica may hold what the desk wrongly served: start again from
            // the desk's state, which is now the log's own fold.
            Live::Alarm(alarm) => {
                self.alarm = Some(alarm);
                if let Ok(snap) = self.api.snapshot() {
                    self.state = snap.state;
                    self.alarm = snap.alarm.or(self.alarm.take());
                    self.timelines.clear();
                }
                self.refresh();
            }
        }
    }

    /// Folds one record into the replica. Old records are skipped; a gap (a record
    /// lost on the way) is filled from the desk first, so the replica stays exact.
    pub fn record(&mut self, rec: Record) {
        let seq = rec.body.seq;
        if seq <= self.state.seq {
            return;
        }
        if seq > self.state.seq + 1 {
            let from = self.state.seq + 1;
            if let Ok(missing) = self.api.records(from, (seq - from) as usize) {
                for m in missing {
                    if m.body.seq == self.state.seq + 1 && m.body.seq < seq {
                        self.fold(m);
                    }
                }
            }
        }
        if seq != self.state.seq + 1 {
            // Still a gap (the owner went away mid-fetch): never fold past it.
            // Take the owner's whole state instead, or wait for the next record.
            match self.api.snapshot() {
                Ok(snap) => {
                    self.state = snap.state;
                    self.alarm = snap.alarm;
                    self.timelines.clear();
                }
                Err(_) => return,
            }
            if seq != self.state.seq + 1 {
                self.refresh();
                return;
            }
        }
        self.fold(rec);
        self.refresh();
    }

    fn fold(&mut self, rec: Record) {
        self.state.apply(&rec);
        if let Event::TicketOpened { priority, .. } = &rec.body.event {
            if priority.0 == 1 {
                self.bell = true;
            }
        }
        if let Some(n) = rec.body.event.ticket().map(|id| id.number()) {
            if let Some(tl) = self.timelines.get_mut(&n) {
                tl.push(rec.clone());
            }
        }
        let mut stack = std::mem::take(&mut self.stack);
        for s in stack.iter_mut() {
            s.on_record(self, &rec);
        }
        self.stack = stack;
    }

    /// Submits a command; its records are folded in at once (the copies that
    /// come back on the subscription are then skipped).
    pub fn submit(&mut self, cmd: Command) -> Result<Committed, DeskError> {
        let done = match self.api.submit(cmd, None) {
            Ok(d) => d,
            Err(e) => {
                if let DeskError::Storage(why) = &e {
                    self.disk_full = Some(why.clone());
                }
                return Err(e);
            }
        };
        self.disk_full = None;
        for r in &done.records {
            self.record(r.clone());
        }
        Ok(done)
    }

    /// Submits from a dialog: on success says `done` and closes the dialog; on a
    /// refusal or a failure keeps it open with its text and the reason in
    /// `error` (a lost connection or a full disk passes; nothing typed is lost).
    pub fn submit_from_dialog(
        &mut self,
        cmd: Command,
        error: &mut Option<String>,
        done: impl FnOnce(&App) -> String,
    ) -> Flow {
        match self.submit(cmd) {
            Ok(_) => {
                let msg = done(self);
                self.info(msg);
                Flow::Close(1)
            }
            Err(DeskError::Invalid { reason, .. }) => {
                *error = Some(self.reason_text(&reason));
                Flow::Stay
            }
            Err(e) => {
                *error = Some(self.failure(&e));
                Flow::Stay
            }
        }
    }

    /// The key line of a yes/no question, from the keymap.
    pub fn confirm_line(&self) -> ratatui::text::Line<'static> {
        ratatui::text::Line::styled(
            crate::tui::strings::confirm_keys(
                self.lang,
                &self.keymap.keys(Ctx::Confirm, Act::Yes),
                &self.keymap.keys(Ctx::Confirm, Act::No),
            ),
            self.theme.key,
        )
    }

    /// The sentence a screen shows when a submit failed; the screen keeps its input.
    pub fn failure(&self, e: &DeskError) -> String {
        let text = crate::tui::render::error(e, self.lang, &self.keymap);
        match e {
            DeskError::Connection(_) => {
                format!("{} ({text})", strings::tr(strings::DISCONNECTED, self.lang),)
            }
            DeskError::Storage(_) => {
                format!("{} ({text})", strings::tr(strings::DISK_FULL, self.lang),)
            }
            _ => text,
        }
    }

    /// A warning of an accepted command, naming this dashboard's keys.
    pub fn warning_text(&self, w: &crate::domain::Warning) -> String {
        crate::tui::render::warning(w, self.lang, &self.keymap)
    }

    /// Why a form field was refused, naming this dashboard's keys.
    pub fn reason_text(&self, r: &crate::domain::Reason) -> String {
        crate::domain::wording::reason(r, self.lang, &crate::tui::render::Dashboard(&self.keymap))
    }

    /// `api` for the handover exports, which read and write through the desk.
    pub(crate) fn api_mut(&mut self) -> &mut dyn DeskApi {
        self.api.as_mut()
    }

    /// The records of a ticket's timeline, fetched once and kept.
    pub fn timeline(&mut self, number: u64) -> &[Record] {
        if !self.timelines.contains_key(&number) {
            let seqs = self
                .state
                .tickets
                .get(&number)
                .map(|t| t.seqs.clone())
                .unwrap_or_default();
            let mut recs = Vec::with_capacity(seqs.len());
            for s in seqs {
                match self.api.records(s, 1) {
                    Ok(mut r) => recs.append(&mut r),
                    Err(e) => {
                        let msg = self.failure(&e);
                        self.error(msg);
                        break;
                    }
                }
            }
            self.timelines.insert(number, recs);
        }
        self.timelines
            .get(&number)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }

    /// The keymap section of whatever has the keyboard now.
    pub fn ctx(&self) -> Ctx {
        match self.stack.last() {
            Some(s) => s.ctx(),
            None if self.queue.filtering => Ctx::Filter,
            None => Ctx::Queue,
        }
    }

    pub fn key(&mut self, ev: KeyEvent) {
        if ev.kind == KeyEventKind::Release {
            return;
        }
        let ctx = self.ctx();
        let act = self.keymap.action(ctx, &ev);
        if self.too_small() && act != Some(Act::Quit) && ctx != Ctx::Confirm {
            return;
        }
        self.status = None;
        // "!" is text in fields that take text; elsewhere it opens the plans.
        let act = match act {
            Some(Act::Emergency) if takes_text(ctx) => None,
            other => other,
        };
        match act {
            Some(Act::Emergency) => {
                if ctx != Ctx::Plans {
                    self.stack.push(Box::new(PlanPicker::new()));
                }
                return;
            }
            Some(Act::Jump) => return self.jump(),
            Some(Act::Quit) => return self.ask_quit(),
            Some(Act::Help) if ctx == Ctx::Help => {
                self.stack.pop();
                return;
            }
            Some(Act::Help) => {
                self.stack.push(Box::new(HelpScreen::new(ctx)));
                return;
            }
            _ => {}
        }
        let Some(mut top) = self.stack.pop() else {
            crate::tui::screens::queue::key(self, &ev, act);
            return;
        };
        match top.key(self, &ev, act) {
            Flow::Stay => self.stack.push(top),
            Flow::Close(n) => {
                for _ in 1..n {
                    self.stack.pop();
                }
            }
            Flow::Push(s) => {
                self.stack.push(top);
                self.stack.push(s);
            }
            Flow::Replace(s) => self.stack.push(s),
        }
    }

    /// Shows the runner of an active emergency: the first, or (from a runner) the next.
    fn jump(&mut self) {
        let ids: Vec<String> = self.state.active_runs().map(|r| r.id.clone()).collect();
        if ids.is_empty() {
            self.info(strings::tr(strings::NO_ACTIVE_RUN, self.lang));
            return;
        }
        let current = self.stack.last().and_then(|s| s.run_id());
        let next = match &current {
            Some(cur) => {
                let i = ids.iter().position(|id| id == cur).map_or(0, |i| i + 1);
                ids[i % ids.len()].clone()
            }
            None => ids[0].clone(),
        };
        if current.is_some() {
            self.stack.pop();
        }
        self.stack.push(Box::new(Runner::new(&next)));
    }

    /// Whether the last frame was too small to show the screens.
    pub fn too_small(&self) -> bool {
        let (w, h) = self.size.get();
        w < crate::tui::view::MIN_WIDTH || h < crate::tui::view::MIN_HEIGHT
    }

    /// Quits, asking first when a form holds unsaved input or an emergency runs
    /// (its steps and deadlines would go on with no one watching this screen).
    pub fn ask_quit(&mut self) {
        if self.ctx() == Ctx::Confirm {
            return;
        }
        let question = if self.stack.iter().any(|s| s.has_input()) {
            strings::QUIT_WITH_FORM
        } else if self.state.active_runs().next().is_some() {
            strings::QUIT_WITH_EMERGENCY
        } else {
            self.quit = true;
            return;
        };
        self.stack
            .push(Box::new(Confirm::new(question, OnYes::Quit)));
    }

    /// Shows a ticket in the queue and selects it (a ticket just logged): its
    /// view if the current one does not hold it, without a filter hiding it.
    pub fn select_ticket(&mut self, number: u64) {
        use crate::tui::screens::queue::View;
        self.refresh();
        if !self.queue.rows.contains(&number) {
            self.queue.filter = Default::default();
            self.queue.filtering = false;
            self.refresh();
        }
        if !self.queue.rows.contains(&number) {
            self.queue.view = View::Open;
            self.refresh();
        }
        if !self.queue.rows.contains(&number) {
            self.queue.view = View::All;
            self.refresh();
        }
        if let Some(i) = self.queue.rows.iter().position(|&r| r == number) {
            self.queue.selected = i;
        }
    }

    pub(crate) fn set_quit(&mut self) {
        self.quit = true;
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Whether a priority-1 ticket arrived since the last call (ring the bell once).
    pub fn take_bell(&mut self) -> bool {
        std::mem::take(&mut self.bell)
    }

    pub fn draw(&self, f: &mut Frame) {
        view::draw(self, f);
    }
}
