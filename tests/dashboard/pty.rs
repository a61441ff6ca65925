//! End to end: the real binary in a pseudo-terminal on a demo store: intake,
//! filter, dispatch, help, resize and quit, in both languages.

use crate::support::bin;
use crate::support::owner::stop_owner;
use crate::support::pty::{demo_store, Pty};

fn start(dir: &std::path::Path, lang: &str, cols: u16, rows: u16) -> Pty {
    start_as(dir, lang, cols, rows, "Tester")
}

fn start_as(dir: &std::path::Path, lang: &str, cols: u16, rows: u16, who: &str) -> Pty {
    let config = dir.join("config");
    Pty::spawn(
        &[
            "--data",
            dir.join("d").to_str().unwrap(),
            "--lang",
            lang,
            "--operator",
            who,
        ],
        &[("XDG_CONFIG_HOME", config.to_str().unwrap())],
        cols,
        rows,
    )
}

/// Quits a dashboard on the demo store: its emergency is running, so quitting asks first.
fn quit(p: &mut Pty, lang: &str) {
    p.send("q");
    p.wait_for(if lang == "zh" {
        "有紧急事件正在进行"
    } else {
        "An emergency is running"
    });
    p.send("y");
}

#[test]
fn intake_filter_dispatch_and_quit_in_english() {
    let tmp = tempfile::tempdir().unwrap();
    demo_store(&tmp.path().join("d"));
    let mut p = start(tmp.path(), "en", 100, 30);
    p.wait_for("Riverside Gardens");
    p.wait_for("you Tester");

    // Intake: unit, then Tab to the summary, Ctrl-S saves.
    p.send("n");
    p.wait_for("New call");
    p.type_text("1-0101");
    p.wait_for("Unit history 1-0101");
    for _ in 0..5 {
        p.send("\t");
    }
    p.type_text("Radiator valve dripping");
    p.wait_for("Radiator valve dripping");
    p.send("\x13");
    let s = p.wait_for("Saved R");
    assert!(s.contains("Radiator valve dripping"), "{s}");

    // Filter to it, keep the filter, open it and dispatch.
    p.send("/");
    p.type_text("radiator");
    p.wait_for("Filter: radiator");
    p.send("\r");
    p.wait_for("1 of 1");
    p.send("\r");
    p.wait_for("Timeline");
    p.send("d");
    p.wait_for("Dispatch to");
    p.send("\r");
    p.wait_for("dispatched to Engineering");

    quit(&mut p, "en");
    assert_eq!(p.wait_exit(), 0);
    assert!(!p.alternate_screen(), "the terminal is restored");
}

#[test]
fn help_resize_and_quit_in_chinese() {
    let tmp = tempfile::tempdir().unwrap();
    demo_store(&tmp.path().join("d"));
    let mut p = start(tmp.path(), "zh", 100, 30);
    p.wait_for("滨江花园");
    p.send("?");
    p.wait_for("登记新来电");
    p.send("\x1b");
    p.wait_gone("登记新来电");
    p.resize(60, 20);
    p.wait_for("请调整到至少");
    // A window too small takes no key but quit: `n` opens no form no one sees.
    p.send("n");
    p.resize(80, 24);
    p.wait_for("滨江花园");
    let s = p.wait_for("共 ");
    assert!(!s.contains("输入房号查看该户工单"), "no form opened: {s}");
    // Ctrl-C with nothing typed asks only because the demo's emergency runs.
    p.send("\x03");
    p.wait_for("有紧急事件正在进行。仍然退出？");
    p.send("y");
    assert_eq!(p.wait_exit(), 0);
    assert!(!p.alternate_screen());
}

#[test]
fn an_invalid_keymap_file_stops_start_up_with_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    demo_store(&tmp.path().join("d"));
    let dir = tmp.path().join("config/dutydesk");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("keymap.toml"), "[queue]\nnew = \"q\"\n").unwrap();
    let out = bin::run(
        bin::dutydesk(&tmp.path().join("d"))
            .args(["--lang", "en"])
            .env("XDG_CONFIG_HOME", tmp.path().join("config"))
            .stdin(std::process::Stdio::null()),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(9), "{err}");
    assert!(
        err.contains("keymap.toml:2") && err.contains("bound twice"),
        "{err}"
    );
}

#[test]
fn a_vim_preset_from_the_user_file_moves_with_j_and_k() {
    let tmp = tempfile::tempdir().unwrap();
    demo_store(&tmp.path().join("d"));
    let dir = tmp.path().join("config/dutydesk");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("keymap.toml"), "preset = \"vim\"\n").unwrap();
    let mut p = start(tmp.path(), "en", 100, 30);
    p.wait_for("1 of ");
    p.send("j");
    p.wait_for("2 of ");
    p.send("k");
    p.wait_for("1 of ");
    quit(&mut p, "en");
    assert_eq!(p.wait_exit(), 0);
}

fn cli(data: &std::path::Path, who: &str, args: &[&str]) -> String {
    bin::ok(bin::run(
        bin::dutydesk(data)
            .args(["--operator", who])
            .args(args)
            .stdin(std::process::Stdio::null()),
    ))
}

#[test]
fn emergency_runner_from_the_picker_to_the_banner_and_back() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    demo_store(&data);
    let mut p = start(tmp.path(), "en", 80, 24);
    p.wait_for("Riverside Gardens");
    p.send("!");
    p.wait_for("Emergency plans");
    p.type_text("lift");
    p.wait_for("> elevator-entrapment");
    p.send("\r");
    p.wait_for("Location (optional)");
    p.send("\r");
    p.wait_for("EM2 Elevator entrapment · started by Tester");

    // Step 1 with its value.
    p.send("x");
    p.wait_for("Step 1 done · People trapped");
    p.type_text("3");
    p.send("\r");
    p.wait_for("[x] 1*");
    // A critical step: refused as a plain skip, then overridden.
    p.send("s");
    p.wait_for("Reason for skipping");
    p.type_text("resident answered by phone");
    p.send("\r");
    p.wait_for("Override and skip it?");
    p.send("y");
    p.wait_for("[-] 2*");
    p.send("n");
    p.wait_for("Note on the run");
    p.type_text("maintenance called");
    p.send("\r");
    p.wait_for("Recorded EM2");

    // The queue carries the banner; the jump key comes back, and cycles.
    p.send("\x1b");
    let s = p.wait_for("Callback");
    assert!(s.contains("EMERGENCY EM2 Elevator entrapment"), "{s}");
    p.send("\x05");
    p.wait_for("EM1 Elevator entrapment @ Lift 3-A · started by");
    p.send("\x05");
    p.wait_for("EM2 Elevator entrapment · started by");
    p.send("\x1b");
    p.wait_for("Callback");
    quit(&mut p, "en");
    assert_eq!(p.wait_exit(), 0);
    let shown = cli(&data, "Tester", &["emergency", "show", "EM2", "--json"]);
    assert!(
        shown.contains("\"value\":\"3\"") || shown.contains("\"value\": \"3\""),
        "{shown}"
    );
    stop_owner(&data);
}

#[test]
fn handover_on_a_single_console_writes_the_files_and_is_signed_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    demo_store(&data);
    // The demo's shift is 王军's: only he hands it over.
    let mut p = start_as(tmp.path(), "en", 80, 24, "王军");
    p.wait_for("Riverside Gardens");
    p.send("h");
    p.wait_for("Incoming operator");
    p.wait_for("Shift handover record");
    p.type_text("李梅");
    p.send("\t");
    p.type_text("quiet night");
    p.send("\x13");
    // The demo's emergency is still active: a reason is asked for.
    p.wait_for("Reason to hand over anyway");
    p.type_text("briefed in person");
    p.send("\x13");
    let s = p.wait_for("Handed over; files written");
    let exports: Vec<String> = std::fs::read_dir(data.join("exports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for ext in ["jsonl", "csv", "md"] {
        let name = exports
            .iter()
            .find(|n| n.ends_with(&format!("-shift-1.{ext}")))
            .unwrap_or_else(|| panic!("no .{ext} in {exports:?}"));
        assert!(s.contains(name.as_str()), "{s}");
    }
    p.send("\x1b");
    p.wait_gone("Handed over; files written");
    p.wait_for("S to sign");
    p.send("S");
    p.wait_for("Sign the handover");
    p.type_text("李梅");
    p.send("\r");
    p.wait_for("signed by 李梅");
    quit(&mut p, "en");
    assert_eq!(p.wait_exit(), 0);
    let cur = cli(&data, "李梅", &["shift", "current", "--json"]);
    assert!(cur.contains("\"accepted\":true"), "{cur}");
    stop_owner(&data);
}

#[test]
fn live_on_two_dashboards_through_a_killed_owner() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    demo_store(&data);
    let mut a = start(tmp.path(), "en", 100, 30);
    let mut b = start(tmp.path(), "zh", 100, 30);
    let mut c = start(tmp.path(), "en", 100, 30);
    // Every client of the owner is on this machine: the header names the
    // operator at the screen, never as remote.
    a.wait_for("you Tester");
    b.wait_for("本机 Tester");
    let s = c.wait_for("you Tester");
    assert!(!s.contains("remote"), "{s}");
    let new = |what: &str| {
        let args = [
            "call",
            "--unit",
            "1-0101",
            "--kind",
            "repair",
            "--summary",
            what,
        ];
        cli(&data, "王军", &args)
    };
    // A call from the CLI shows on every dashboard.
    new("Radiator hissing");
    a.wait_for("Radiator hiss");
    b.wait_for("Radiator hiss");
    // One dashboard quits; the others and the CLI go on.
    quit(&mut c, "en");
    assert_eq!(c.wait_exit(), 0);
    new("Window latch");
    a.wait_for("Window latch");
    b.wait_for("Window latch");

    // The owner dies: both come back by themselves, say that the link was lost
    // and restored, and catch up. (The DISCONNECTED banner itself is tested on
    // the TestBackend: a real outage can be shorter than one redraw.)
    let pid = dutydesk::server::owner::owner_pid(&data).expect("an owner");
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    // The outage may be shorter than a redraw; the notice that it happened stays.
    a.wait_for("Connection to the desk restored");
    b.wait_for("与值班台的连接已恢复");
    a.wait_gone("DISCONNECTED");
    b.wait_gone("与值班台的连接已断开");
    new("After restart");
    a.wait_for("After restart");
    b.wait_for("After restart");
    quit(&mut a, "en");
    quit(&mut b, "zh");
    assert_eq!(a.wait_exit(), 0);
    assert_eq!(b.wait_exit(), 0);
    stop_owner(&data);
}

/// Keys pressed in a flow, counted as the issue counts them: typed text (a
/// unit, a summary, a note, the letters filtering the plans) is not a key.
struct Counted<'a> {
    p: &'a mut Pty,
    keys: usize,
}

impl Counted<'_> {
    fn key(&mut self, k: &str) {
        self.p.send(k);
        self.keys += 1;
    }

    fn text(&mut self, t: &str) {
        self.p.type_text(t);
    }

    /// The keys counted since the last call.
    fn take(&mut self) -> usize {
        std::mem::take(&mut self.keys)
    }
}

/// The words each flow waits for, in one language.
struct Words {
    lang: &'static str,
    site: &'static str,
    new_call: &'static str,
    saved: &'static str,
    ticket: &'static str,
    dispatch_to: &'static str,
    dispatched: &'static str,
    callback_result: &'static str,
    closed: &'static str,
    answer: &'static str,
    work_done: &'static str,
    plans: &'static str,
    running: &'static str,
    close_refused: &'static str,
    location: &'static str,
    closed_today: &'static str,
}

const EN: Words = Words {
    lang: "en",
    site: "Riverside Gardens",
    new_call: "New call",
    saved: "Saved ",
    ticket: "Ticket",
    dispatch_to: "Dispatch to",
    dispatched: "dispatched to Engineering",
    callback_result: "Callback result",
    closed: ": close",
    answer: "Answer given",
    work_done: "work done: told the opening hours",
    plans: "Emergency plans",
    running: "EM2 Elevator entrapment",
    close_refused: "EM2 cannot close: critical steps 1, 2, 3, 4, 6",
    location: "Location (optional)",
    closed_today: "Closed today",
};

const ZH: Words = Words {
    lang: "zh",
    site: "滨江花园",
    new_call: "新来电",
    saved: "已登记 ",
    ticket: "工单",
    dispatch_to: "派工至",
    dispatched: "派工至工程部",
    callback_result: "回访结果",
    closed: ": 关闭",
    answer: "答复内容",
    work_done: "已完工: told the opening hours",
    plans: "应急预案",
    running: "EM2 电梯困人",
    close_refused: "EM2 不能结束：关键步骤",
    location: "地点（可不填）",
    closed_today: "今日已结",
};

/// The id a "Saved R034" status names.
fn saved_id(screen: &str, saved: &str) -> String {
    let at = screen.find(saved).map(|i| i + saved.len()).unwrap_or(0);
    screen[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// A night's flows with the keys counted: log and dispatch a repair, call back
/// and close it, answer an inquiry on the phone, start a plan, refuse to close
/// a run with critical steps pending, quit with an emergency running.
fn flows_with_key_counts(w: &Words) -> [usize; 4] {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    demo_store(&data);
    let mut p = start(tmp.path(), w.lang, 100, 30);
    p.wait_for(w.site);
    let mut k = Counted { p: &mut p, keys: 0 };

    // Log and dispatch a repair: after saving, the new ticket is the one selected.
    k.key("n");
    k.p.wait_for(w.new_call);
    k.text("1-0101");
    k.p.wait_for("1-0101");
    for _ in 0..5 {
        k.key("\t");
    }
    k.text("Radiator valve dripping");
    k.p.wait_for("Radiator valve dripping");
    k.key("\x13");
    let s = k.p.wait_for(w.saved);
    let id = saved_id(&s, w.saved);
    k.key("\r");
    k.p.wait_for(&format!("{} {id}", w.ticket));
    k.key("d");
    k.p.wait_for(w.dispatch_to);
    k.key("\r");
    k.p.wait_for(w.dispatched);
    let log_and_dispatch = k.take();

    // The department works; back at the queue the ticket is still selected.
    cli(&data, "Tester", &["start", &id]);
    cli(&data, "Tester", &["done", &id]);
    k.p.send("\x1b");
    k.p.wait_gone(&format!("{} {id}", w.ticket));
    k.key("\r");
    k.p.wait_for(&format!("{} {id}", w.ticket));
    k.key("b");
    k.p.wait_for(w.callback_result);
    k.key("\r");
    k.p.wait_gone(w.callback_result);
    k.key("c");
    k.p.wait_for(&format!("{id}{}", w.closed));
    let callback_and_close = k.take();

    // An inquiry answered on the phone: logged, then closed in one move.
    k.p.send("\x1b");
    k.p.wait_gone(&format!("{} {id}", w.ticket));
    k.p.send("n");
    k.p.wait_for(w.new_call);
    k.p.type_text("1-0101");
    k.p.send("\t");
    k.p.send("\x1b[C");
    k.p.send("\x1b[C");
    for _ in 0..4 {
        k.p.send("\t");
    }
    k.p.type_text("Pool opening hours");
    k.p.wait_for("Pool opening hours");
    k.p.send("\x13");
    let s = k.p.wait_for(w.saved);
    let inquiry = saved_id(&s, w.saved);
    assert!(inquiry.starts_with('I'), "{inquiry} is an inquiry: {s}");
    k.take();
    k.key("\r");
    k.p.wait_for(&format!("{} {inquiry}", w.ticket));
    k.key("a");
    k.p.wait_for(w.answer);
    k.text("told the opening hours");
    k.key("\r");
    k.p.wait_for(w.work_done);
    let answer = k.take();
    let shown = cli(&data, "Tester", &["show", &inquiry, "--json"]);
    assert!(shown.contains("closed"), "{shown}");

    // Any plan: the plans key, the letters filtering them, Enter, Enter (no location).
    k.p.send("\x1b");
    k.p.wait_gone(&format!("{} {inquiry}", w.ticket));
    k.key("!");
    k.p.wait_for(w.plans);
    k.text("lift");
    k.p.wait_for("> elevator-entrapment");
    k.key("\r");
    k.p.wait_for(w.location);
    k.key("\r");
    k.p.wait_for(w.running);
    let plan = k.take();

    // Closing a run with critical steps pending is refused, naming them (with
    // only other steps pending it asks first: tests/tui_runner.rs).
    k.p.send("c");
    k.p.wait_for(w.close_refused);
    k.p.send("\x1b");
    k.p.wait_for(w.closed_today);
    quit(k.p, w.lang);
    assert_eq!(p.wait_exit(), 0);
    stop_owner(&data);
    [log_and_dispatch, callback_and_close, answer, plan]
}

#[test]
fn the_nights_flows_take_few_keys_in_english() {
    let [log, callback, answer, plan] = flows_with_key_counts(&EN);
    println!("en: log+dispatch {log}, callback+close {callback}, answer {answer}, plan {plan}");
    assert!(log <= 10, "log and dispatch took {log} keys");
    assert!(callback <= 4, "callback and close took {callback} keys");
    assert!(answer <= 4, "answer and close took {answer} keys");
    assert!(plan <= 3, "a plan on screen took {plan} keys");
}

#[test]
fn the_nights_flows_take_few_keys_in_chinese() {
    let [log, callback, answer, plan] = flows_with_key_counts(&ZH);
    println!("zh: log+dispatch {log}, callback+close {callback}, answer {answer}, plan {plan}");
    assert!(log <= 10, "log and dispatch took {log} keys");
    assert!(callback <= 4, "callback and close took {callback} keys");
    assert!(answer <= 4, "answer and close took {answer} keys");
    assert!(plan <= 3, "a plan on screen took {plan} keys");
}
