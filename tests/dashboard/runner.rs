//! Screen tests for the emergency picker and runner, the handover screen and
//! signing, and the connection and disk banners: the dashboard in ratatui's
//! TestBackend at 80x24, in both languages, on a real desk and a manual clock.

use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};

use chrono::Duration;
use crossterm::event::KeyCode;
use dutydesk::clock::ManualClock;
use dutydesk::desk::Committed;
use dutydesk::domain::{Actor, Command, Lang};
use dutydesk::store::Record;
use dutydesk::tui::{App, Keymap, Theme};
use dutydesk::{Desk, DeskApi, DeskError, Live, Local};

use crate::support::keys::{ch, ctrl, key, typ};
use crate::support::screen::{evening, render, rows};

struct Fixture {
    dir: tempfile::TempDir,
    desk: Arc<Mutex<Desk>>,
    clock: ManualClock,
}

fn fixture() -> Fixture {
    let (dir, clock) = evening();
    let (desk, _) = dutydesk::export::evidence::open(dir.path(), Arc::new(clock.clone())).unwrap();
    Fixture {
        dir,
        desk: Arc::new(Mutex::new(desk)),
        clock,
    }
}

impl Fixture {
    fn local(&self, who: &str) -> Local {
        Local::new(self.desk.clone(), Actor::new(who, "test"))
    }

    fn app_with(&self, api: Box<dyn DeskApi>, lang: Lang) -> App {
        App::new(
            api,
            Arc::new(self.clock.clone()),
            lang,
            Keymap::builtin(),
            Theme::colour(),
        )
        .unwrap()
    }

    fn app(&self, who: &str, lang: Lang) -> App {
        self.app_with(Box::new(self.local(who)), lang)
    }
}

/// The 80x24 screen as text; a wide character's second cell is skipped.
fn screen(app: &App) -> String {
    screen_at(app, 80, 24)
}

/// The screen at `w` x `h` as text.
fn screen_at(app: &App, w: u16, h: u16) -> String {
    rows(&render(app, w, h)).join("\n")
}

/// The text inside the dialog's frame, its wrapped rows joined.
fn dialog(screen: &str) -> String {
    screen
        .lines()
        .filter_map(|row| {
            let (start, end) = (row.find('│')?, row.rfind('│')?);
            (start < end).then(|| row[start + '│'.len_utf8()..end].trim().to_string())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text without white space, so a sentence wrapped anywhere still compares whole.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn start_lift_run(app: &mut App, filter: &str, location: &str) {
    app.key(ch('!'));
    typ(app, filter);
    let s = screen(app);
    assert!(s.contains("elevator-entrapment"), "{s}");
    assert!(!s.contains("gas-leak"), "the list is filtered: {s}");
    app.key(key(KeyCode::Enter));
    typ(app, location);
    app.key(key(KeyCode::Enter));
}

#[test]
fn a_refused_critical_skip_names_the_key_bound_now_in_the_readers_language_only() {
    // The confirm key is remapped: the refusal must say the key that works now.
    let keymap =
        Keymap::with_user("[confirm]\nyes = \"o\"\n", std::path::Path::new("k.toml")).unwrap();
    // The whole sentence, each in its language: a half could hide the other half
    // being wrong (a flag, a stale key, the other language).
    for (lang, refused, foreign) in [
        (
            Lang::Zh,
            "第 2 步是关键步骤：只有说明原因并强制跳过才能跳过（按 o 强制跳过）",
            "critical",
        ),
        (
            Lang::En,
            "step 2 is critical: it can be skipped only as an override, with a reason \
             (press o to override)",
            "关键",
        ),
    ] {
        let fx = fixture();
        let mut app = App::new(
            Box::new(fx.local("王伟")),
            Arc::new(fx.clock.clone()),
            lang,
            keymap.clone(),
            Theme::colour(),
        )
        .unwrap();
        start_lift_run(&mut app, "lift", "3-A");
        app.key(ch('x'));
        typ(&mut app, "2");
        app.key(key(KeyCode::Enter));
        app.key(ch('s'));
        typ(&mut app, "spoke through the door");
        app.key(key(KeyCode::Enter));
        let s = screen(&app);
        assert!(
            squeezed(&dialog(&s)).contains(&squeezed(refused)),
            "the dialog says {refused:?} whole: {s}"
        );
        assert!(!s.contains("--override"), "a flag on the dashboard: {s}");
        assert!(!s.contains(foreign), "the other language shows: {s}");
        assert!(!s.contains('\u{1f}'), "{s:?}");
        assert!(
            !s.contains("y："),
            "the confirm line names the key bound now: {s}"
        );
        app.key(ch('o'));
        assert!(app.state.run("EM1").unwrap().progress[1].overridden);
    }
}

#[test]
fn the_picker_filters_and_starts_a_run_that_the_runner_shows_in_english() {
    let fx = fixture();
    let mut app = fx.app("王伟", Lang::En);
    app.key(ch('!'));
    let s = screen(&app);
    assert!(s.contains("Emergency plans") && s.contains("fire"), "{s}");
    app.key(key(KeyCode::Esc));
    start_lift_run(&mut app, "lift", "3-A");
    let s = screen(&app);
    assert!(s.contains("EM1 Elevator entrapment @ 3-A"), "{s}");
    assert!(s.contains("Emergency EM1 started"), "{s}");
    // The elapsed time in large digits, and the maintenance company's number.
    assert!(s.contains("┏━┓ ┏━┓   ┏━┓ ┏━┓"), "{s}");
    assert!(s.contains("Elapsed 00:00"), "{s}");
    assert!(s.contains("0571-88235617"), "{s}");
    assert!(s.contains("▶[ ] 1*"), "the current step is marked: {s}");
    assert!(
        s.contains("in 30:00"),
        "the 30-minute deadline counts down: {s}"
    );

    // Step 1 asks for its value; done with it, step 2 becomes current.
    app.key(ch('x'));
    assert!(screen(&app).contains("Step 1 done · People trapped"));
    typ(&mut app, "2");
    app.key(key(KeyCode::Enter));
    let s = screen(&app);
    assert!(s.contains("[x] 1*") && s.contains("▶[ ] 2*"), "{s}");
    let run = app.state.run("EM1").unwrap().clone();
    assert_eq!(run.progress[0].value.as_deref(), Some("2"));

    // A critical step: the plain skip is refused, then overridden.
    app.key(ch('s'));
    typ(&mut app, "spoke through the door");
    app.key(key(KeyCode::Enter));
    let s = screen(&app);
    assert!(s.contains("step 2 is critical"), "{s}");
    assert!(s.contains("Override and skip it?"), "{s}");
    app.key(ch('y'));
    let s = screen(&app);
    assert!(s.contains("[-] 2*"), "{s}");
    assert!(app.state.run("EM1").unwrap().progress[1].overridden);

    // Out of order: move to step 4 and do it before step 3.
    app.key(key(KeyCode::Down));
    app.key(ch('x'));
    let s = screen(&app);
    assert!(s.contains("▶[ ] 3*") && s.contains("[x] 4*"), "{s}");

    // A note, then closing is refused with the pending critical steps named.
    app.key(ch('n'));
    typ(&mut app, "engineer on the way");
    app.key(key(KeyCode::Enter));
    assert_eq!(app.state.run("EM1").unwrap().notes.len(), 1);
    app.key(ch('c'));
    let s = screen(&app);
    assert!(s.contains("cannot close") && s.contains("3, 6, 7"), "{s}");

    // Thirty-one minutes on, the arrival deadline is missed: "!!" and red.
    fx.clock.advance(Duration::minutes(31));
    app.refresh();
    let s = screen(&app);
    assert!(s.contains("!! late 1:00"), "{s}");
    assert!(s.contains("Elapsed 31:00"), "{s}");

    // The critical steps done, closing asks first and lists what is still pending.
    while !app.state.run("EM1").unwrap().pending_critical().is_empty() {
        let before = app.state.run("EM1").unwrap().pending_critical().len();
        for _ in 0..11 {
            app.key(key(KeyCode::Up));
        }
        let next = app.state.run("EM1").unwrap().pending_critical()[0];
        for _ in 1..next {
            app.key(key(KeyCode::Down));
        }
        app.key(ch('x'));
        if app.ctx() == dutydesk::tui::keymap::Ctx::Prompt {
            typ(&mut app, "ok");
            app.key(key(KeyCode::Enter));
        }
        assert!(
            app.state.run("EM1").unwrap().pending_critical().len() < before,
            "{}",
            screen(&app)
        );
    }
    app.key(ch('c'));
    let s = screen(&app);
    assert!(
        s.contains("Close this emergency with these steps still pending?"),
        "{s}"
    );
    assert!(
        s.contains("5 ") && s.contains("11 "),
        "the pending steps are listed: {s}"
    );
    app.key(ch('n'));
    assert!(
        app.state.run("EM1").unwrap().is_active(),
        "no keeps the run open"
    );
    app.key(ch('c'));
    app.key(ch('y'));
    assert!(
        !app.state.run("EM1").unwrap().is_active(),
        "{}",
        screen(&app)
    );
}

/// Step rows of the runner on screen: (step number, the row).
fn step_rows(s: &str) -> Vec<(u32, String)> {
    s.lines()
        .filter_map(|row| {
            let c: Vec<char> = row.chars().collect();
            let state: String = c.get(1..4)?.iter().collect();
            if !["[ ]", "[x]", "[-]"].contains(&state.as_str()) {
                return None;
            }
            let n: String = c.get(4..6)?.iter().collect();
            Some((n.trim().parse().ok()?, row.to_string()))
        })
        .collect()
}

#[test]
fn every_phone_number_of_the_runner_is_whole_at_every_size_in_both_languages() {
    for (w, h) in [(80, 24), (120, 35), (200, 50)] {
        for lang in [Lang::En, Lang::Zh] {
            for (i, plan) in ["elevator", "gas"].iter().enumerate() {
                let fx = fixture();
                let mut app = fx.app("王伟", lang);
                app.key(ch('!'));
                typ(&mut app, plan);
                app.key(key(KeyCode::Enter));
                app.key(key(KeyCode::Enter));
                let run = fx.desk.lock().unwrap().state().run("EM1").cloned().unwrap();
                let mut seen = std::collections::BTreeSet::new();
                for _ in 0..run.steps.len() {
                    let s = screen_at(&app, w, h);
                    for (n, row) in step_rows(&s) {
                        let step = &run.steps[n as usize - 1];
                        if let Some(phone) = &step.contact_phone {
                            assert!(
                                row.contains(phone.as_str()),
                                "{w}x{h} {lang:?} plan {i} step {n}: {phone} cut in\n{s}"
                            );
                        }
                        assert!(!row.trim_end().ends_with('-'), "{row}");
                        seen.insert(n);
                    }
                    app.key(key(KeyCode::Down));
                }
                assert_eq!(
                    seen.len(),
                    run.steps.len(),
                    "{w}x{h}: every step was listed"
                );
            }
        }
    }
}

#[test]
fn the_picker_shows_every_plan_name_whole_and_the_location_title_fits_at_every_size() {
    use dutydesk::tui::strings::location_prompt;
    for (w, h) in [(80, 24), (120, 35), (200, 50)] {
        for lang in [Lang::En, Lang::Zh] {
            let fx = fixture();
            let mut app = fx.app("王伟", lang);
            app.key(ch('!'));
            let s = screen_at(&app, w, h);
            let plans = app.plans.all.clone();
            for p in &plans {
                let name = if lang == Lang::En {
                    &p.name_en
                } else {
                    &p.name_zh
                };
                assert!(
                    s.contains(name.as_str()),
                    "{w}x{h} {lang:?}: {name} in\n{s}"
                );
            }
            // The longest name, chosen: the location prompt's title is whole.
            let longest = plans
                .iter()
                .enumerate()
                .max_by_key(|(_, p)| p.name_en.len() + p.name_zh.len())
                .map(|(i, _)| i)
                .unwrap();
            for _ in 0..longest {
                app.key(key(KeyCode::Down));
            }
            app.key(key(KeyCode::Enter));
            let s = screen_at(&app, w, h);
            assert!(
                s.contains(&location_prompt(lang, &dutydesk::tui::Keymap::builtin())),
                "{w}x{h} {lang:?}: the title\n{s}"
            );
        }
    }
}

#[test]
fn the_incident_report_is_written_from_the_runner_and_its_path_shown_in_both_languages() {
    for (lang, filter, said) in [
        (Lang::En, "lift", "Incident report of EM1 written: "),
        (Lang::Zh, "电梯", "EM1 事件报告已写出："),
    ] {
        let fx = fixture();
        let mut app = fx.app("王伟", lang);
        start_lift_run(&mut app, filter, "");
        app.key(ch('r'));
        let s = screen_at(&app, 200, 50);
        assert!(s.contains(said), "{lang:?}: {s}");
        let reports: Vec<_> = std::fs::read_dir(fx.dir.path().join("reports"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(reports.len(), 1, "{reports:?}");
        let name = reports[0]
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        assert!(s.contains(&name), "the path is shown: {s}");
        let d = fx.desk.lock().unwrap();
        let last = d.store().get(d.head().seq).unwrap().unwrap();
        assert!(
            matches!(
                last.body.event,
                dutydesk::domain::Event::IncidentReportWritten { .. }
            ),
            "{:?}",
            last.body.event
        );
    }
}

#[test]
fn the_handover_preview_is_laid_out_in_columns_without_markdown_at_every_size() {
    use unicode_width::UnicodeWidthStr;
    for (w, h) in [(80, 24), (120, 35), (200, 50)] {
        for (lang, filter) in [(Lang::En, "lift"), (Lang::Zh, "电梯")] {
            let fx = fixture();
            let mut app = fx.app("王伟", lang);
            start_lift_run(&mut app, filter, "3-A");
            app.key(key(KeyCode::Esc));
            app.key(ch('h'));
            let s = screen_at(&app, w, h);
            for md in ["|---", "| |", "**", "`"] {
                assert!(!s.contains(md), "{w}x{h} {lang:?}: {md} in\n{s}");
            }
            // The key/value rows align their values in one column.
            let col = |label: &str| {
                let row = s.lines().find(|r| r.contains(label))?;
                let at = row.find(label)? + label.len();
                let rest = &row[at..];
                let pad = rest.len() - rest.trim_start().len();
                Some(UnicodeWidthStr::width(&row[..at + pad]))
            };
            let out = col("交班人 Outgoing");
            let start = col("开始 Started");
            assert!(
                out.is_some() && out == start,
                "{w}x{h} {lang:?}: {out:?} {start:?}\n{s}"
            );
        }
    }
}

#[test]
fn the_runner_in_chinese_and_the_banner_jumps_back_to_it() {
    let fx = fixture();
    let mut app = fx.app("王伟", Lang::Zh);
    start_lift_run(&mut app, "电梯", "");
    let s = screen(&app);
    assert!(s.contains("EM1 电梯困人 · 启动人 王伟"), "{s}");
    assert!(s.contains("已进行 00:00"), "{s}");
    assert!(s.contains("剩 30:00"), "{s}");
    assert!(s.contains("接警"), "{s}");
    app.key(key(KeyCode::Esc));
    fx.clock.advance(Duration::minutes(2));
    app.refresh();
    let s = screen(&app);
    assert!(
        s.contains("!! 紧急事件 EM1 电梯困人 · 已进行 2m00 · [Ctrl-e]"),
        "{s}"
    );
    // A second run; the jump key cycles through both.
    app.key(ch('!'));
    typ(&mut app, "火");
    app.key(key(KeyCode::Enter));
    app.key(key(KeyCode::Enter));
    assert!(screen(&app).contains("EM2 火灾"));
    app.key(key(KeyCode::Esc));
    app.key(ctrl('e'));
    assert!(screen(&app).contains("EM1 电梯困人 · 启动人"));
    app.key(ctrl('e'));
    assert!(screen(&app).contains("EM2 火灾 · 启动人"));
    app.key(ctrl('e'));
    assert!(screen(&app).contains("EM1 电梯困人 · 启动人"));
}

#[test]
fn bang_is_text_in_a_form_and_the_jump_key_says_when_nothing_runs() {
    let fx = fixture();
    let mut app = fx.app("王伟", Lang::En);
    app.key(ctrl('e'));
    assert!(screen(&app).contains("No emergency is active."));
    app.key(ch('n'));
    typ(&mut app, "1-0101!");
    let s = screen(&app);
    assert!(
        s.contains("1-0101!") && !s.contains("Emergency plans"),
        "{s}"
    );
}

#[test]
fn handover_on_a_single_console_in_english_writes_the_files_and_is_signed_by_name() {
    let fx = fixture();
    let mut app = fx.app("王伟", Lang::En);
    start_lift_run(&mut app, "lift", "3-A");
    app.key(key(KeyCode::Esc));
    app.key(ch('h'));
    let s = screen(&app);
    assert!(s.contains("Handover · Shift 1 · 王伟"), "{s}");
    assert!(
        s.contains("Shift handover record"),
        "the report preview: {s}"
    );
    typ(&mut app, "李梅");
    app.key(key(KeyCode::Tab));
    typ(&mut app, "EM1 still running");
    app.key(ctrl('s'));
    // The active emergency needs a reason; the form keeps what was typed.
    let s = screen(&app);
    assert!(
        s.contains("emergency EM1") && s.contains("still active"),
        "{s}"
    );
    assert!(s.contains("Reason to hand over anyway"), "{s}");
    assert!(s.contains("李梅") && s.contains("EM1 still running"), "{s}");
    typ(&mut app, "briefed in person");
    app.key(ctrl('s'));
    let s = screen(&app);
    assert!(s.contains("Handed over; files written"), "{s}");
    for ext in ["jsonl", "csv", "md"] {
        let p = fx
            .dir
            .path()
            .join(format!("exports/2026-11-25-shift-1.{ext}"));
        assert!(p.exists(), "{} missing: {s}", p.display());
        assert!(s.contains(&format!("2026-11-25-shift-1.{ext}")), "{s}");
    }
    app.key(key(KeyCode::Esc));
    let s = screen(&app);
    assert!(
        s.contains("Handover waiting for signature · 王伟 → 李梅 · S to sign"),
        "{s}"
    );

    // The incoming operator signs at this console by typing their name; the
    // dialog says what is being signed.
    app.key(ch('S'));
    let s = screen(&app);
    for want in [
        "Shift 1 · Outgoing 王伟 · handed over 21:00 · Incoming 李梅",
        "│open 1 · to dispatch 0 · to call back 0 · overdue 0 · emergencies 1",
        "Note for the next shift: EM1 still running",
    ] {
        assert!(s.contains(want), "{want}: {s}");
    }
    typ(&mut app, "李");
    app.key(key(KeyCode::Enter));
    assert!(screen(&app).contains("addressed to 李梅"));
    typ(&mut app, "梅");
    app.key(key(KeyCode::Enter));
    let s = screen(&app);
    assert!(s.contains("Shift 2 signed by 李梅"), "{s}");
    assert!(app.state.shifts.awaiting_signature().is_none());
    let recs = fx.local("x").records(1, 1000).unwrap();
    let signed = recs.last().unwrap();
    assert_eq!(
        signed.body.operator, "王伟",
        "the console's user stays the operator"
    );
}

#[test]
fn handover_in_chinese_and_signing_or_refusing_from_the_incoming_session() {
    let fx = fixture();
    let mut out = fx.app("王伟", Lang::Zh);
    out.key(ch('h'));
    assert!(screen(&out).contains("未开班"), "no shift yet");
    out.key(key(KeyCode::Esc));
    start_lift_run(&mut out, "电梯", "");
    let run = Command::EmergencyClose { run: "EM1".into() };
    assert!(out.submit(run).is_err(), "critical steps pending");
    out.key(key(KeyCode::Esc));
    out.key(ch('h'));
    let s = screen(&out);
    assert!(
        s.contains("交接班 · 班次 1 · 王伟") && s.contains("接班人"),
        "{s}"
    );
    assert!(s.contains("交接班记录"), "{s}");
    typ(&mut out, "李梅");
    out.key(ctrl('s'));
    assert!(screen(&out).contains("仍然交班的原因"));
    typ(&mut out, "当面交代");
    out.key(ctrl('s'));
    assert!(screen(&out).contains("已交班，文件已写出"));

    // 李梅's own dashboard: the banner, her name filled in; she refuses, then signs.
    let mut inc = fx.app("李梅", Lang::Zh);
    let s = screen(&inc);
    assert!(s.contains("交接班待签收 · 王伟 → 李梅 · S 签收"), "{s}");
    inc.key(ch('S'));
    assert!(screen(&inc).contains("李梅"));
    inc.key(ctrl('r'));
    typ(&mut inc, "工单R001未交代");
    inc.key(key(KeyCode::Enter));
    assert!(inc.state.shifts.awaiting_signature().is_some());
    inc.key(ch('S'));
    let s = screen(&inc);
    assert!(s.contains("班次 1 · 交班人 王伟 · 交班时间 "), "{s}");
    assert!(
        s.contains("│未结 1 · 待派工 0 · 待回访 0 · 超时 0 · 紧急事件 1"),
        "{s}"
    );
    inc.key(key(KeyCode::Enter));
    assert!(screen(&inc).contains("班次 2 已由 李梅 签收"));
}

#[test]
fn a_lost_connection_shows_in_the_header_and_clears_on_reconnect() {
    for (lang, words) in [
        (Lang::En, "DISCONNECTED from the desk"),
        (Lang::Zh, "与值班台的连接已断开"),
    ] {
        let fx = fixture();
        let mut app = fx.app("王伟", lang);
        app.key(ch('n'));
        typ(&mut app, "1-0101");
        app.live(Live::Disconnected("lost the owner".into()));
        let s = screen(&app);
        assert!(s.contains(words), "{s}");
        assert!(s.contains("1-0101"), "the form keeps its input: {s}");
        app.live(Live::Reconnected);
        let s = screen(&app);
        assert!(!s.contains(words) && s.contains("1-0101"), "{s}");
    }
}

#[test]
fn an_alarm_from_the_desk_raises_the_banner_and_takes_the_desks_state_again() {
    let fx = fixture();
    let mut app = fx.app("王伟", Lang::En);
    app.key(ch('n'));
    typ(&mut app, "1-0101");
    // The replica holds what a bad checkpoint made the desk serve.
    let truth = app.state.clone();
    app.state.site = "FORGED".into();
    app.live(Live::Alarm("the checkpoint did not match the log".into()));
    assert_eq!(app.state, truth, "a fresh snapshot replaced the replica");
    let s = screen(&app);
    assert!(s.contains("ALARM: what this desk showed"), "{s}");
    assert!(s.contains("1-0101"), "the form keeps its input: {s}");
}

/// A desk whose disk is full (or whose owner is gone): every submit fails so.
struct Failing(Local, fn() -> DeskError);

impl DeskApi for Failing {
    fn submit(&mut self, _: Command, _: Option<String>) -> Result<Committed, DeskError> {
        Err((self.1)())
    }
    fn snapshot(&mut self) -> Result<dutydesk::seam::Snapshot, DeskError> {
        self.0.snapshot()
    }
    fn records(&mut self, from: u64, limit: usize) -> Result<Vec<Record>, DeskError> {
        self.0.records(from, limit)
    }
    fn subscribe(&mut self) -> Result<Receiver<Record>, DeskError> {
        self.0.subscribe()
    }
    fn actor(&self) -> &Actor {
        self.0.actor()
    }
}

#[test]
fn a_full_disk_or_a_lost_owner_keeps_the_form_and_says_why() {
    let fx = fixture();
    let full = || DeskError::Storage("could not append: No space left on device".into());
    let mut app = fx.app_with(Box::new(Failing(fx.local("王伟"), full)), Lang::En);
    app.key(ch('n'));
    typ(&mut app, "1-0101");
    for _ in 0..5 {
        app.key(key(KeyCode::Tab));
    }
    typ(&mut app, "Pipe burst");
    app.key(ctrl('s'));
    let s = screen(&app);
    assert!(s.contains("NOT SAVED: the disk refused the write"), "{s}");
    assert!(
        s.contains("No space left") && s.contains("Pipe burst"),
        "{s}"
    );

    let gone = || DeskError::Connection("no owner answers".into());
    let mut app = fx.app_with(Box::new(Failing(fx.local("王伟"), gone)), Lang::Zh);
    app.key(ch('!'));
    typ(&mut app, "fire");
    app.key(key(KeyCode::Enter));
    typ(&mut app, "B1");
    app.key(key(KeyCode::Enter));
    let s = screen(&app);
    assert!(
        s.contains("与值班台的连接已断开") && s.contains("B1"),
        "{s}"
    );
}

/// A desk link that can be cut: reads fail while `down` is set.
struct Cuttable(Local, Arc<std::sync::atomic::AtomicBool>);

impl DeskApi for Cuttable {
    fn submit(&mut self, c: Command, r: Option<String>) -> Result<Committed, DeskError> {
        self.0.submit(c, r)
    }
    fn snapshot(&mut self) -> Result<dutydesk::seam::Snapshot, DeskError> {
        if self.1.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(DeskError::Connection("owner gone".into()));
        }
        self.0.snapshot()
    }
    fn records(&mut self, from: u64, limit: usize) -> Result<Vec<Record>, DeskError> {
        if self.1.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(DeskError::Connection("owner gone".into()));
        }
        self.0.records(from, limit)
    }
    fn subscribe(&mut self) -> Result<Receiver<Record>, DeskError> {
        self.0.subscribe()
    }
    fn actor(&self) -> &Actor {
        self.0.actor()
    }
}

#[test]
fn a_record_after_a_gap_is_never_folded_past_it() {
    let fx = fixture();
    let down = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut app = fx.app_with(Box::new(Cuttable(fx.local("王伟"), down.clone())), Lang::En);
    let before = app.state.seq;
    // Two calls arrive elsewhere; this screen is handed only the second.
    let mut other = fx.local("李梅");
    let call = |summary: &str| Command::Call {
        unit: "1-0101".into(),
        kind: dutydesk::domain::Kind::Repair,
        priority: None,
        caller: None,
        phone: None,
        summary: summary.into(),
        anonymous: false,
    };
    other.submit(call("first"), None).unwrap();
    let second = other.submit(call("second"), None).unwrap().records;
    let last = second.last().unwrap().clone();
    down.store(true, std::sync::atomic::Ordering::SeqCst);
    app.record(last.clone());
    assert_eq!(
        app.state.seq, before,
        "the gap could not be filled: nothing folded"
    );
    // With the link back, the same record brings the screen level with the desk.
    down.store(false, std::sync::atomic::Ordering::SeqCst);
    app.record(last.clone());
    assert_eq!(app.state.seq, last.body.seq);
    let s = screen(&app);
    assert!(s.contains("first") && s.contains("second"), "{s}");
}

/// The dashboard shows what the desk says when a handover's files cannot be
/// written yet: handed over all the same, the files to follow (in Chinese here);
/// the next recorded command writes them.
#[test]
fn a_handover_whose_files_cannot_be_written_yet_says_so_on_the_dashboard() {
    let fx = fixture();
    let mut app = fx.app("王伟", Lang::Zh);
    app.submit(Command::ShiftStart).unwrap();
    std::fs::write(fx.dir.path().join("exports"), "in the way").unwrap();
    app.key(ch('h'));
    typ(&mut app, "李梅");
    app.key(ctrl('s'));
    let s = screen(&app);
    assert!(s.contains("第 1 班已交班"), "{s}");
    assert!(s.contains("交接文件暂未能写出"), "{s}");
    assert!(
        app.state.shifts.awaiting_signature().is_some(),
        "handed over"
    );

    std::fs::remove_file(fx.dir.path().join("exports")).unwrap();
    app.key(key(KeyCode::Esc));
    let mut inc = fx.app("李梅", Lang::Zh);
    inc.submit(Command::ShiftAccept).unwrap();
    let md = fx.dir.path().join("exports/2026-11-25-shift-1.md");
    assert!(md.is_file(), "written by the next command");
}
