//! Screen tests: the dashboard rendered into ratatui's TestBackend, driven by
//! keys, in both languages, on a real desk in a temporary directory.

use std::sync::{Arc, Mutex};

use chrono::{Duration, TimeZone, Utc};
use crossterm::event::KeyCode;
use dutydesk::clock::ManualClock;
use dutydesk::domain::{Actor, Command, Kind, Lang};
use dutydesk::tui::{App, Keymap, Theme};
use dutydesk::{Desk, DeskApi, Local};
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;

use crate::support::keys::{ch, ctrl, key, typ};
use crate::support::screen::{evening, render, rows};

struct Fixture {
    _dir: tempfile::TempDir,
    desk: Arc<Mutex<Desk>>,
    clock: ManualClock,
}

fn fixture() -> Fixture {
    let (dir, clock) = evening();
    let desk = Desk::open(dir.path(), Arc::new(clock.clone())).unwrap();
    Fixture {
        _dir: dir,
        desk: Arc::new(Mutex::new(desk)),
        clock,
    }
}

impl Fixture {
    fn api(&self, who: &str) -> Box<dyn DeskApi> {
        Box::new(Local::new(self.desk.clone(), Actor::new(who, "test")))
    }

    fn call(&self, unit: &str, kind: Kind, summary: &str, caller: Option<&str>) {
        self.api("王伟")
            .submit(
                Command::Call {
                    unit: unit.into(),
                    kind,
                    priority: None,
                    caller: caller.map(String::from),
                    phone: Some("13800138000".into()),
                    summary: summary.into(),
                    anonymous: false,
                },
                None,
            )
            .unwrap();
    }

    fn app(&self, lang: Lang) -> App {
        self.app_with(lang, Keymap::builtin())
    }

    fn app_with(&self, lang: Lang, keymap: Keymap) -> App {
        App::new(
            self.api("王伟"),
            Arc::new(self.clock.clone()),
            lang,
            keymap,
            Theme::colour(),
        )
        .unwrap()
    }

    /// Three tickets: a repair (overdue after 5 minutes), a complaint, an inquiry.
    fn evening(&self) {
        self.call(
            "1-0101",
            Kind::Repair,
            "Kitchen pipe leaking 厨房漏水",
            Some("张三"),
        );
        self.clock.advance(Duration::minutes(2));
        self.call(
            "2-0302",
            Kind::Complaint,
            "Noise from upstairs 楼上噪音",
            None,
        );
        self.clock.advance(Duration::minutes(1));
        self.call("1-0203", Kind::Inquiry, "Parking card 停车卡", Some("李四"));
    }
}

fn screen(app: &App) -> String {
    rows(&render(app, 100, 30)).join("\n")
}

#[test]
fn queue_in_english_lists_tickets_most_urgent_first_with_the_header() {
    let fx = fixture();
    fx.evening();
    let app = fx.app(Lang::En);
    let s = screen(&app);
    assert!(s.contains("Riverside Gardens"), "{s}");
    assert!(s.contains("Shift 1 · on duty 王伟"), "{s}");
    assert!(
        s.contains("open 3 · to dispatch 3 · to call back 0 · overdue 0"),
        "{s}"
    );
    for col in [
        "ID", "Age", "Kind", "Unit", "Summary", "State", "Dept", "Due",
    ] {
        assert!(s.contains(col), "{col} in {s}");
    }
    let r001 = s.find("R001").unwrap();
    let c002 = s.find("C002").unwrap();
    let i003 = s.find("I003").unwrap();
    assert!(r001 < c002 && c002 < i003, "priority order: {s}");
    assert!(s.contains("Kitchen pipe leaking 厨房漏水"), "{s}");
    // The repair must be dispatched within 5 minutes of the call, 3 have passed.
    assert!(s.contains("2m00"), "countdown: {s}");
}

#[test]
fn queue_in_chinese_aligns_columns_by_display_width() {
    let fx = fixture();
    fx.evening();
    let app = fx.app(Lang::Zh);
    let t = render(&app, 100, 30);
    let r = rows(&t);
    let s = r.join("\n");
    assert!(s.contains("滨江花园"), "{s}");
    assert!(s.contains("班次 1 · 值班 王伟"), "{s}");
    assert!(s.contains("未结 3 · 待派工 3"), "{s}");
    assert!(
        s.contains("报修") && s.contains("投诉") && s.contains("待派工"),
        "{s}"
    );
    // The unit column starts at the same screen column on every row.
    let col = |needle: &str| {
        let row = r.iter().find(|l| l.contains(needle)).unwrap();
        unicode_width::UnicodeWidthStr::width(&row[..row.find(needle).unwrap()])
    };
    assert_eq!(col("1-0101"), col("2-0302"));
    assert_eq!(col("1-0101"), col("1-0203"));
}

#[test]
fn an_overdue_row_stands_out_by_colour_and_by_a_symbol() {
    let fx = fixture();
    fx.evening();
    fx.clock.advance(Duration::minutes(10));
    let mut app = fx.app(Lang::En);
    app.refresh();
    let t = render(&app, 100, 30);
    let r = rows(&t);
    let y = r.iter().position(|l| l.contains("R001")).unwrap();
    assert!(
        r[y].starts_with(">!R001") || r[y].starts_with(" !R001"),
        "{}",
        r[y]
    );
    assert!(r.join("\n").contains("overdue 1"));
    let cell = &t.backend().buffer()[(3, y as u16)];
    assert_eq!(cell.fg, Color::Red);
    assert!(cell.modifier.contains(Modifier::BOLD));
    let y2 = r.iter().position(|l| l.contains("C002")).unwrap();
    assert_ne!(t.backend().buffer()[(3, y2 as u16)].fg, Color::Red);

    // Without colour, the row is still marked: bold and underlined, and the "!".
    let mono = App::new(
        fx.api("王伟"),
        Arc::new(fx.clock.clone()),
        Lang::En,
        Keymap::builtin(),
        Theme::monochrome(),
    )
    .unwrap();
    let t = render(&mono, 100, 30);
    let cell = &t.backend().buffer()[(3, y as u16)];
    assert_eq!(cell.fg, Color::Reset);
    assert!(cell
        .modifier
        .contains(Modifier::UNDERLINED | Modifier::BOLD));
}

#[test]
fn ages_and_countdowns_move_with_the_clock() {
    let fx = fixture();
    fx.evening();
    let mut app = fx.app(Lang::En);
    assert!(screen(&app).contains("3m00"));
    fx.clock.advance(Duration::seconds(61));
    app.refresh();
    let s = screen(&app);
    assert!(s.contains("4m01"), "{s}");
    assert!(s.contains("59s"), "dispatch countdown: {s}");
}

#[test]
fn views_switch_between_open_callback_closed_today_and_all() {
    let fx = fixture();
    fx.evening();
    let mut api = fx.api("王伟");
    api.submit(
        Command::Cancel {
            id: "I003".into(),
            reason: "duplicate".into(),
        },
        None,
    )
    .unwrap();
    let mut app = fx.app(Lang::En);
    assert!(!screen(&app).contains("I003"));
    app.key(key(KeyCode::Tab));
    app.key(key(KeyCode::Tab));
    let s = screen(&app);
    assert!(
        s.contains("I003") && !s.contains("R001"),
        "closed today: {s}"
    );
    app.key(key(KeyCode::Tab));
    let s = screen(&app);
    assert!(s.contains("I003") && s.contains("R001"), "all: {s}");
}

#[test]
fn filter_narrows_as_you_type_in_chinese_too_and_esc_clears() {
    let fx = fixture();
    fx.evening();
    let mut app = fx.app(Lang::En);
    app.key(ch('/'));
    typ(&mut app, "噪音");
    let s = screen(&app);
    assert!(
        s.contains("C002") && !s.contains("R001") && !s.contains("I003"),
        "{s}"
    );
    assert!(s.contains("Filter: 噪音"), "{s}");
    app.key(key(KeyCode::Enter));
    assert!(!screen(&app).contains("R001"), "Enter keeps the filter");
    app.key(ch('/'));
    app.key(key(KeyCode::Esc));
    assert!(screen(&app).contains("R001"), "Esc clears it");
    app.key(ch('/'));
    typ(&mut app, "1380013");
    assert!(screen(&app).contains("R001"), "by phone");
}

#[test]
fn intake_form_opens_on_unit_completes_and_keeps_input_on_a_refused_save() {
    let fx = fixture();
    fx.evening();
    let mut app = fx.app(Lang::En);
    app.key(ch('n'));
    let s = screen(&app);
    for label in [
        "New call",
        "Unit",
        "Kind",
        "Priority",
        "Caller",
        "Phone",
        "Summary",
        "Anonymous",
    ] {
        assert!(s.contains(label), "{label}: {s}");
    }
    assert!(s.contains("< Repair >") || s.contains("Repair"), "{s}");
    typ(&mut app, "1-01");
    let s = screen(&app);
    assert!(
        s.contains("1-0101") && s.contains("Enter/→ takes"),
        "suggestion: {s}"
    );
    // The unit's history shows at once: its open ticket.
    assert!(
        s.contains("Unit history 1-0101") || s.contains("Unit history 1-01"),
        "{s}"
    );
    app.key(key(KeyCode::Enter));
    let s = screen(&app);
    assert!(
        s.contains("Unit history 1-0101") && s.contains("R001"),
        "history: {s}"
    );
    // Tab moves on; save with no summary is refused and marks the field.
    app.key(key(KeyCode::Tab));
    app.key(key(KeyCode::Right)); // Kind: repair -> complaint
    app.key(key(KeyCode::Tab));
    app.key(key(KeyCode::Tab));
    typ(&mut app, "赵六");
    app.key(ctrl('s'));
    let s = screen(&app);
    assert!(
        s.contains("!Summary") && s.contains("! "),
        "inline error: {s}"
    );
    assert!(
        s.contains("1-0101") && s.contains("赵六") && s.contains("Complaint"),
        "kept: {s}"
    );
    // Fill it in and save from the summary field.
    typ(&mut app, "Water from ceiling again");
    app.key(ctrl('s'));
    let s = screen(&app);
    assert!(s.contains("Saved C004"), "{s}");
    assert!(s.contains("linked to it"), "second call linked: {s}");
    assert!(s.contains("C004"));
}

#[test]
fn intake_in_chinese_and_a_bad_phone_is_marked_inline() {
    let fx = fixture();
    let mut app = fx.app(Lang::Zh);
    app.key(ch('n'));
    typ(&mut app, "3-0101");
    for _ in 0..4 {
        app.key(key(KeyCode::Tab));
    }
    typ(&mut app, "abc");
    app.key(key(KeyCode::Tab));
    typ(&mut app, "电梯异响");
    app.key(ctrl('s'));
    let s = screen(&app);
    assert!(
        s.contains("新来电") && s.contains("房号") && s.contains("电话"),
        "{s}"
    );
    assert!(s.contains("!电话"), "{s}");
    assert!(s.contains("不是电话号码"), "{s}");
    assert!(s.contains("电梯异响") && s.contains("3-0101"), "kept: {s}");
}

#[test]
fn esc_asks_before_discarding_a_form_with_input() {
    let fx = fixture();
    let mut app = fx.app(Lang::En);
    app.key(ch('n'));
    app.key(key(KeyCode::Esc));
    assert!(
        !screen(&app).contains("New call"),
        "an empty form just closes"
    );
    app.key(ch('n'));
    typ(&mut app, "1-0");
    app.key(key(KeyCode::Esc));
    assert!(screen(&app).contains("Discard this call?"));
    app.key(ch('n'));
    assert!(screen(&app).contains("1-0"), "no keeps the form");
    app.key(key(KeyCode::Esc));
    app.key(ch('y'));
    assert!(!screen(&app).contains("New call"));
}

#[test]
fn quit_asks_first_when_a_form_has_input() {
    let fx = fixture();
    let mut app = fx.app(Lang::En);
    app.key(ch('q'));
    assert!(app.should_quit());
    let mut app = fx.app(Lang::En);
    app.key(ch('n'));
    typ(&mut app, "q");
    assert!(!app.should_quit(), "q is typed in the form");
    app.key(ctrl('c'));
    assert!(!app.should_quit());
    assert!(screen(&app).contains("unsaved input"));
    app.key(ch('y'));
    assert!(app.should_quit());
}

#[test]
fn detail_shows_fields_timeline_and_only_legal_moves() {
    let fx = fixture();
    fx.evening();
    let mut app = fx.app(Lang::En);
    app.key(key(KeyCode::Enter));
    let s = screen(&app);
    assert!(s.contains("Ticket R001") && s.contains("Timeline"), "{s}");
    assert!(s.contains("opened as repair P2"), "{s}");
    assert!(s.contains("张三") && s.contains("13800138000"), "{s}");
    assert!(
        s.contains("d dispatch") && !s.contains("s start"),
        "legal moves only: {s}"
    );
    // A move not legal now says why, in the words the desk uses for the refusal.
    app.key(ch('c'));
    let s = screen(&app);
    assert!(
        s.contains("R001 is new; it cannot be closed. Allowed next: dispatch, cancel, note"),
        "{s}"
    );
    // Dispatch through the picker, in the fixed order.
    app.key(ch('d'));
    let s = screen(&app);
    let e = s.find("Engineering").unwrap();
    let sec = s.find("Security").unwrap();
    let cl = s.find("Cleaning").unwrap();
    let cs = s.find("Customer service").unwrap();
    assert!(e < sec && sec < cl && cl < cs, "{s}");
    app.key(key(KeyCode::Down));
    app.key(key(KeyCode::Enter));
    let s = screen(&app);
    assert!(s.contains("dispatched to Security"), "timeline grows: {s}");
    assert!(s.contains("s start"), "{s}");
    app.key(ch('s'));
    app.key(ch('f'));
    app.key(ch('b'));
    app.key(key(KeyCode::Enter));
    app.key(ch('c'));
    let s = screen(&app);
    assert!(
        s.contains("callback: satisfied") && s.contains("closed"),
        "{s}"
    );
    assert!(s.contains("finished: notes only"), "{s}");
}

#[test]
fn detail_in_chinese_with_note_and_cancel_reasons() {
    let fx = fixture();
    fx.evening();
    let mut app = fx.app(Lang::Zh);
    app.key(key(KeyCode::Enter));
    app.key(ch('n'));
    typ(&mut app, "住户不在家");
    app.key(key(KeyCode::Enter));
    app.key(ch('x'));
    app.key(key(KeyCode::Enter));
    let s = screen(&app);
    assert!(s.contains("取消原因") && s.contains("不能为空"), "{s}");
    typ(&mut app, "重复来电");
    app.key(key(KeyCode::Enter));
    // A cancel cannot be undone: it is confirmed first.
    let s = screen(&app);
    assert!(s.contains("取消此工单？取消后不能恢复。"), "{s}");
    assert!(!s.contains("取消: 重复来电"), "not yet cancelled: {s}");
    app.key(ch('y'));
    let s = screen(&app);
    assert!(s.contains("工单 R001") && s.contains("处理记录"), "{s}");
    assert!(s.contains("备注: 住户不在家"), "{s}");
    assert!(s.contains("取消: 重复来电"), "{s}");
    assert!(s.contains("房号历史"), "{s}");
}

#[test]
fn help_lists_every_key_of_the_screen_from_the_keymap_in_both_languages() {
    let fx = fixture();
    let mut app = fx.app(Lang::En);
    app.key(ch('?'));
    let s = screen(&app);
    for line in [
        "log a new call",
        "open the selected ticket",
        "filter the queue",
        "quit the dashboard",
        "Ctrl-c",
    ] {
        assert!(s.contains(line), "{line}: {s}");
    }
    app.key(key(KeyCode::Esc));
    app.key(key(KeyCode::Enter)); // nothing selected: stays on the queue
    let mut app = fx.app(Lang::Zh);
    app.key(ch('n'));
    app.key(key(KeyCode::F(1)));
    let s = screen(&app);
    assert!(
        s.contains("保存") && s.contains("Ctrl-s") && s.contains("下一项"),
        "{s}"
    );
}

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 35), (200, 50)];

#[test]
fn help_scrolls_to_its_end_and_says_where_it_is_at_every_size_in_both_languages() {
    let fx = fixture();
    for (w, h) in SIZES {
        for lang in [Lang::En, Lang::Zh] {
            let (first, last) = match lang {
                Lang::En => ("log a new call", "show the active emergency (cycles)"),
                Lang::Zh => ("登记新来电", "查看进行中的紧急事件（轮换）"),
            };
            let mut app = fx.app(lang);
            app.key(ch('?'));
            let top = rows(&render(&app, w, h)).join("\n");
            assert!(top.contains(first), "{w}x{h} {lang:?}: {top}");
            let whole = top.contains(last);
            let more = if lang == Lang::En {
                "↓ more"
            } else {
                "↓ 还有"
            };
            if !whole {
                // Not all of it fits: the help says where it is and that there is more.
                assert!(top.contains(more), "{w}x{h} {lang:?}: {top}");
            }
            app.key(key(KeyCode::End));
            let end = rows(&render(&app, w, h)).join("\n");
            assert!(end.contains(last), "{w}x{h} {lang:?} End: {end}");
            assert!(
                !end.contains(more),
                "{w}x{h} {lang:?}: nothing more below: {end}"
            );
            if !whole {
                assert!(!end.contains(first), "{w}x{h} {lang:?}: scrolled: {end}");
                let of = if lang == Lang::En { " of " } else { "，共 " };
                assert!(end.contains(of), "{w}x{h} {lang:?}: position: {end}");
                app.key(key(KeyCode::PageUp));
                app.key(key(KeyCode::Home));
                let back = rows(&render(&app, w, h)).join("\n");
                assert!(back.contains(first), "{w}x{h} {lang:?} Home: {back}");
                app.key(key(KeyCode::PageDown));
                let down = rows(&render(&app, w, h)).join("\n");
                assert!(!down.contains(first), "{w}x{h} {lang:?} PgDn: {down}");
            }
        }
    }
}

#[test]
fn the_hint_line_fits_dropping_whole_hints_and_keeps_sign_and_help_at_every_size() {
    use dutydesk::tui::keymap::Act;
    use dutydesk::tui::strings::{hint, tr, HELP};
    let fx = fixture();
    fx.evening();
    for (w, h) in SIZES {
        for lang in [Lang::En, Lang::Zh] {
            let mut app = fx.app(lang);
            for screen_keys in [vec![], vec![key(KeyCode::Enter)]] {
                for k in screen_keys {
                    app.key(k);
                }
                let all = rows(&render(&app, w, h));
                let line = all.last().unwrap().trim_end().to_string();
                let help = format!("F1 {}", tr(HELP, lang));
                assert!(line.ends_with(&help), "{w}x{h} {lang:?}: [{line}]");
                // Every hint shown is a whole key and word, two spaces apart.
                for part in line.trim().split("  ") {
                    assert!(part.contains(' '), "{w}x{h} {lang:?}: [{part}] in [{line}]");
                }
            }
            app.key(key(KeyCode::Esc));
            let line = rows(&render(&app, w, h)).last().unwrap().clone();
            assert!(
                line.contains(&format!("S {}", hint(Act::Sign, lang))),
                "{w}x{h}: [{line}]"
            );
        }
    }
}

/// The text of columns `x0..x1` of every row, as a terminal shows it.
fn columns(t: &Terminal<TestBackend>, x0: u16, x1: u16) -> Vec<String> {
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            let mut s = String::new();
            let mut x = x0;
            while x < x1 {
                let sym = buf[(x, y)].symbol();
                s.push_str(sym);
                x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
            }
            s
        })
        .collect()
}

#[test]
fn the_detail_shows_the_whole_summary_and_timeline_at_every_size_in_both_languages() {
    let fx = fixture();
    let summary = "Water through the bathroom ceiling since 22:40, dripping on the \
        light 楼上漏水，卫生间天花板渗水，已用盆接水，怀疑是3-1602的水管";
    fx.call("1-0101", Kind::Repair, summary, Some("张三"));
    let note = "Plumber Wang will come at 07:30 with the key from security; the owner of \
        3-1602 is abroad 业主在国外，物业已联系其家属，明早七点半维修";
    fx.api("王伟")
        .submit(
            Command::Note {
                id: "R001".into(),
                text: note.into(),
            },
            None,
        )
        .unwrap();
    let squash = |s: &str| s.replace([' ', '│'], "");
    for (w, h) in SIZES {
        for lang in [Lang::En, Lang::Zh] {
            let mut app = fx.app(lang);
            app.key(key(KeyCode::Enter));
            let t = render(&app, w, h);
            let left = columns(&t, 0, w / 2).concat();
            assert!(
                squash(&left).contains(&squash(summary)),
                "{w}x{h} {lang:?}: the whole summary\n{}",
                rows(&t).join("\n")
            );
            // The note wraps under its text: scrolling the timeline reaches its end.
            let mut seen = squash(&columns(&t, 0, w).concat());
            for _ in 0..4 {
                app.key(key(KeyCode::Down));
                seen.push_str(&squash(&rows(&render(&app, w, h)).concat()));
            }
            assert!(
                seen.contains("明早七点半维修") && seen.contains("Plumber"),
                "{w}x{h} {lang:?}: the whole note\n{}",
                rows(&t).join("\n")
            );
        }
    }
}

/// What a terminal shows in each cell: a wide character hides the cell after it.
fn visible(t: &Terminal<TestBackend>) -> Vec<Vec<Option<String>>> {
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            let mut row = vec![None; buf.area.width as usize];
            let mut x = 0;
            while x < buf.area.width {
                let sym = buf[(x, y)].symbol().to_string();
                let w = unicode_width::UnicodeWidthStr::width(sym.as_str()).max(1) as u16;
                row[x as usize] = Some(sym);
                x += w;
            }
            row
        })
        .collect()
}

/// The popup's frame on screen (from its top-left corner): every side whole.
/// Gives its left and right columns and its rows.
fn assert_frame_whole(
    t: &Terminal<TestBackend>,
    under: &[Vec<Option<String>>],
    what: &str,
) -> (usize, usize, std::ops::RangeInclusive<usize>) {
    let v = visible(t);
    let at = |x: usize, y: usize| v[y][x].as_deref().unwrap_or("");
    // The popup's corner is the one the screen below did not have.
    let (top, left) = v
        .iter()
        .enumerate()
        .find_map(|(y, r)| {
            (0..r.len())
                .find(|&x| r[x].as_deref() == Some("┌") && under[y][x].as_deref() != Some("┌"))
                .map(|x| (y, x))
        })
        .unwrap_or_else(|| panic!("{what}: no popup\n{}", rows(t).join("\n")));
    let right = (left + 1..v[top].len())
        .find(|&x| at(x, top) == "┐")
        .unwrap_or_else(|| panic!("{what}: no right corner\n{}", rows(t).join("\n")));
    let mut y = top + 1;
    while at(left, y) != "└" {
        assert!(
            at(left, y) == "│" && at(right, y) == "│",
            "{what}: row {y} [{}|{}]\n{}",
            at(left, y),
            at(right, y),
            rows(t).join("\n")
        );
        y += 1;
        assert!(y < v.len(), "{what}: no bottom\n{}", rows(t).join("\n"));
    }
    assert_eq!(at(right, y), "┘", "{what}");
    (left, right, top..=y)
}

#[test]
fn popups_keep_their_borders_over_chinese_text_at_every_offset_and_size() {
    let fx = fixture();
    // Summaries and notes whose wide characters fall on every column: ASCII
    // prefixes of 0 to 3 shift them one column at a time.
    let text = "楼上漏水，卫生间天花板渗水，电梯困人，秩序部已到场处理中，业主在国外，物业已联系其家属，明早七点半维修，";
    for i in 0..4 {
        let prefix = "abc".chars().take(i).collect::<String>();
        let long = format!("{prefix}{text}{text}");
        fx.call("1-0101", Kind::Repair, &long, Some("张三"));
        for _ in 0..6 {
            fx.api("王伟")
                .submit(
                    Command::Note {
                        id: format!("R00{}", i + 1),
                        text: long.clone(),
                    },
                    None,
                )
                .unwrap();
        }
    }
    let mut straddled = 0;
    for (w, h) in SIZES {
        for lang in [Lang::En, Lang::Zh] {
            for i in 0..4 {
                for (name, open) in [("note", ch('n')), ("dispatch", ch('d')), ("help", ch('?'))] {
                    let mut app = fx.app(lang);
                    for _ in 0..i {
                        app.key(key(KeyCode::Down));
                    }
                    app.key(key(KeyCode::Enter));
                    let under = visible(&render(&app, w, h));
                    app.key(open);
                    let t = render(&app, w, h);
                    let (left, right, rows_) = assert_frame_whole(
                        &t,
                        &under,
                        &format!("{name} {w}x{h} {lang:?} R00{}", i + 1),
                    );
                    // Count the rows where a wide character covered an edge before the popup.
                    for y in rows_ {
                        if under[y][left].is_none() || under[y][right].is_none() {
                            straddled += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(
        straddled > 20,
        "the test put wide characters under the edges: {straddled}"
    );
}

#[test]
fn a_small_window_is_told_politely_and_resizing_back_restores_the_screen() {
    let fx = fixture();
    fx.evening();
    let app = fx.app(Lang::En);
    let mut t = render(&app, 60, 20);
    assert!(rows(&t)
        .join("\n")
        .contains("please make it at least 80x24"));
    t.backend_mut().resize(80, 24);
    t.draw(|f| app.draw(f)).unwrap();
    let s = rows(&t).join("\n");
    assert!(s.contains("R001") && s.contains("Riverside Gardens"), "{s}");
    let zh = fx.app(Lang::Zh);
    assert!(rows(&render(&zh, 70, 24)).join("").contains("请调整到至少"));
}

#[test]
fn records_from_another_operator_arrive_live_and_a_p1_rings_the_bell() {
    let fx = fixture();
    let mut app = fx.app(Lang::En);
    fx.call("5-0101", Kind::Emergency, "Smoke in the corridor", None);
    assert!(app.pump());
    assert!(screen(&app).contains("E001"));
    assert!(app.take_bell());
    assert!(!app.take_bell(), "once per ticket");
    fx.call("5-0102", Kind::Inquiry, "Opening hours", None);
    app.pump();
    assert!(!app.take_bell());
}

#[test]
fn banners_for_an_active_emergency_and_a_handover_waiting_for_signature() {
    let fx = fixture();
    let mut api = fx.api("王伟");
    api.submit(
        Command::EmergencyStart {
            plan: "flooding".into(),
            location: Some("B2".into()),
            ticket: None,
        },
        None,
    )
    .unwrap();
    fx.clock.advance(Duration::minutes(12));
    let app = fx.app(Lang::En);
    let s = screen(&app);
    assert!(
        s.contains("EMERGENCY EM1") && s.contains("@ B2") && s.contains("running for 12m00"),
        "{s}"
    );
    let app = fx.app(Lang::Zh);
    assert!(screen(&app).contains("紧急事件 EM1"));
    let _ = api.submit(
        Command::ShiftHandover {
            to: "李娜".into(),
            note: None,
            reason: Some("test".into()),
        },
        None,
    );
    let app = fx.app(Lang::En);
    let s = screen(&app);
    assert!(s.contains("Handover waiting for signature"), "{s}");
}

#[test]
fn the_header_raises_an_alarm_when_the_desk_found_its_checkpoint_differed_from_its_log() {
    use dutydesk::desk::refold::{self, Outcome};
    use dutydesk::state::checkpoint;
    let fx = fixture();
    fx.evening();
    // A checkpoint whose checksum is right but whose content is not the log's.
    let (forged, hash) = {
        let d = fx.desk.lock().unwrap();
        let mut s = d.state().clone();
        s.tickets.values_mut().next().unwrap().summary = "FORGED summary".into();
        (s, d.head().hash)
    };
    let Fixture { _dir, desk, clock } = fx;
    drop(desk);
    assert!(checkpoint::save(
        &_dir.path().join("checkpoint.bin"),
        &forged,
        &hash
    ));
    let desk = Arc::new(Mutex::new(
        Desk::open(_dir.path(), Arc::new(clock.clone())).unwrap(),
    ));
    assert!(matches!(refold::run(&desk).unwrap(), Outcome::Alarm(_)));
    let fx = Fixture { _dir, desk, clock };
    for (lang, banner) in [
        (Lang::En, "ALARM: what this desk showed"),
        (Lang::Zh, "警报"),
    ] {
        let text = rows(&render(&fx.app(lang), 140, 30)).join("\n");
        assert!(text.contains(banner), "{lang:?}: {text}");
        assert!(!text.contains("FORGED"), "the log's truth is shown: {text}");
    }
}

#[test]
fn a_clock_set_back_shows_a_banner_with_how_far_and_when() {
    let fx = fixture();
    fx.call("1-0101", Kind::Repair, "漏水", None);
    let app = fx.app(Lang::En);
    assert!(!screen(&app).contains("CLOCK"), "no banner before a jump");
    fx.clock.advance(Duration::minutes(1));
    fx.clock.jump(Duration::hours(-1));
    fx.call("1-0102", Kind::Repair, "漏水", None);
    let at = Utc
        .with_ymd_and_hms(2026, 11, 25, 21, 1, 0)
        .unwrap()
        .with_timezone(&chrono::Local)
        .format("%H:%M")
        .to_string();
    let s = screen(&fx.app(Lang::En));
    assert!(
        s.contains(&format!("CLOCK moved back 1h00 at {at}"))
            && s.contains("set the system clock right"),
        "{s}"
    );
    assert!(screen(&fx.app(Lang::Zh)).contains("系统时钟回拨 1h00"));
}

#[test]
fn every_hint_names_the_keys_of_the_keymap_after_a_remap() {
    let fx = fixture();
    let user = "[confirm]\nyes = \"o\"\n[intake]\nsave = \"Ctrl-w\"\ntoggle = \"Ctrl-t\"\nnext_choice = \"Ctrl-l\"\n";
    for (lang, words) in [
        (
            Lang::En,
            ["Ctrl-w save", "Ctrl-t toggles", "←/Ctrl-l change", "o: yes"],
        ),
        (
            Lang::Zh,
            ["Ctrl-w 保存", "Ctrl-t 切换", "←/Ctrl-l 切换选项", "o：是"],
        ),
    ] {
        let keymap = Keymap::with_user(user, std::path::Path::new("keymap.toml")).unwrap();
        let mut app = fx.app_with(lang, keymap);
        app.key(ch('n'));
        let s = screen(&app);
        for w in &words[..3] {
            assert!(s.contains(w), "{lang:?} form hint has {w}: {s}");
        }
        assert!(!s.contains("Ctrl-S"), "no fixed key: {s}");
        // The remapped toggle works as its hint says.
        typ(&mut app, "1-0101");
        app.key(key(KeyCode::Tab));
        app.key(ctrl('t'));
        let s = screen(&app);
        assert!(s.contains(Kind::Complaint.label().get(lang)), "{s}");
        // Leaving asks, naming the new yes key; it answers.
        app.key(key(KeyCode::Esc));
        let s = screen(&app);
        assert!(s.contains(words[3]), "{lang:?} prompt names o: {s}");
        app.key(ch('o'));
        let s = screen(&app);
        assert!(!s.contains(words[3]), "{s}");
    }
}

#[test]
fn notes_ride_in_the_pickers_and_an_unsatisfied_callback_asks_why() {
    for (lang, dispatched, why, reopened) in [
        (
            Lang::En,
            "dispatched to Engineering: bring a ladder",
            "Why is the resident not satisfied?",
            "callback: not satisfied, reopened: still dripping",
        ),
        (
            Lang::Zh,
            "派工至工程部: bring a ladder",
            "住户为何不满意？",
            "回访：不满意，重新打开: still dripping",
        ),
    ] {
        let fx = fixture();
        fx.evening();
        let mut app = fx.app(lang);
        app.key(key(KeyCode::Enter));
        app.key(ch('d'));
        // Letters type the note (j and k too, which the vim preset moves with).
        typ(&mut app, "bring a ladder");
        app.key(key(KeyCode::Enter));
        let s = screen(&app);
        assert!(s.contains(dispatched), "{s}");
        app.key(ch('s'));
        app.key(ch('f'));
        app.key(ch('b'));
        app.key(key(KeyCode::Down));
        app.key(key(KeyCode::Enter));
        let s = screen(&app);
        assert!(s.contains(why), "the reason is asked for: {s}");
        typ(&mut app, "still dripping");
        app.key(key(KeyCode::Enter));
        let s = screen(&app);
        assert!(s.contains(reopened), "{s}");
    }
}

#[test]
fn an_inquiry_answered_on_the_phone_closes_in_one_move() {
    for (lang, answered, refused) in [
        (
            Lang::En,
            "work done: at the B2 office",
            "R001 is new; it cannot be answered",
        ),
        (
            Lang::Zh,
            "已完工: at the B2 office",
            "R001 当前为“待派工”，不能答复",
        ),
    ] {
        let fx = fixture();
        fx.evening();
        let mut app = fx.app(lang);
        // A repair is not answered on the phone: the refusal says so.
        app.key(key(KeyCode::Enter));
        app.key(ch('a'));
        let s = screen(&app);
        assert!(s.contains(refused), "{s}");
        app.key(key(KeyCode::Esc));
        // The inquiry is the last row.
        app.key(key(KeyCode::End));
        app.key(key(KeyCode::Enter));
        app.key(ch('a'));
        typ(&mut app, "at the B2 office");
        app.key(key(KeyCode::Enter));
        let s = screen(&app);
        assert!(s.contains("I003") && s.contains(answered), "{s}");
        assert!(s.contains(TicketStateLabel::closed(lang)), "{s}");
    }
}

/// The closed state as each language shows it.
struct TicketStateLabel;
impl TicketStateLabel {
    fn closed(lang: Lang) -> &'static str {
        dutydesk::domain::TicketState::Closed.label().get(lang)
    }
}

#[test]
fn the_filter_searches_every_view_and_says_where_the_matches_are() {
    for (lang, views) in [(Lang::En, "All 1"), (Lang::Zh, "全部 1")] {
        let fx = fixture();
        fx.evening();
        fx.api("王伟")
            .submit(
                Command::Cancel {
                    id: "C002".into(),
                    reason: "duplicate".into(),
                },
                None,
            )
            .unwrap();
        let mut app = fx.app(lang);
        // From the Open view, a match that lives only in All is found.
        app.key(ch('/'));
        typ(&mut app, "噪音");
        let s = screen(&app);
        assert!(s.contains("C002"), "{s}");
        assert!(s.contains(views), "{s}");
        app.key(key(KeyCode::Enter));
        let s = screen(&app);
        assert!(s.contains("C002"), "the kept filter still finds it: {s}");
    }
}

#[test]
fn the_header_names_the_operator_at_this_screen_also_when_on_duty() {
    let fx = fixture();
    fx.evening();
    let s = screen(&fx.app(Lang::En));
    assert!(s.contains("on duty 王伟 · you 王伟"), "{s}");
    let s = screen(&fx.app(Lang::Zh));
    assert!(s.contains("值班 王伟 · 本机 王伟"), "{s}");
    assert!(!s.contains("远程"), "{s}");
}

#[test]
fn a_repeat_call_is_offered_to_the_open_ticket_and_added_to_it() {
    for (lang, offer, added, timeline) in [
        (
            Lang::En,
            "R001 is open here",
            "Call added to R001",
            "called again: 王五: still leaking",
        ),
        (
            Lang::Zh,
            "R001 尚未办结",
            "来电已加入 R001",
            "再次来电： 王五: still leaking",
        ),
    ] {
        let fx = fixture();
        fx.evening();
        let mut app = fx.app(lang);
        app.key(key(KeyCode::End));
        app.key(ch('n'));
        typ(&mut app, "1-0101");
        let s = screen(&app);
        assert!(s.contains(offer) && s.contains("Ctrl-a"), "{s}");
        for _ in 0..3 {
            app.key(key(KeyCode::Tab));
        }
        typ(&mut app, "王五");
        app.key(key(KeyCode::Tab));
        app.key(key(KeyCode::Tab));
        typ(&mut app, "still leaking");
        app.key(ctrl('a'));
        let s = screen(&app);
        assert!(s.contains(added), "{s}");
        assert_eq!(app.state.tickets.len(), 3, "no second job");
        // The ticket the call went to is the one selected.
        app.key(key(KeyCode::Enter));
        let s = screen(&app);
        assert!(s.contains("R001") && s.contains(timeline), "{s}");
    }
}

#[test]
fn the_unit_panel_counts_agree_with_the_rows_and_the_phone_line() {
    for (lang, open0, none, phone) in [
        (
            Lang::En,
            "Open now (0)",
            "no other ticket of this unit in 30 days",
            "Phone: 2 other ticket(s), 30 days, any unit",
        ),
        (
            Lang::Zh,
            "未结工单 (0)",
            "该房号30天内无其他工单",
            "该电话近30天另报 2 单（含其他房号）",
        ),
    ] {
        let fx = fixture();
        fx.evening();
        let mut app = fx.app(lang);
        // R001 is the unit's only ticket; the phone also opened C002 and I003.
        app.key(key(KeyCode::Enter));
        let s = screen(&app);
        assert!(s.contains("R001"), "{s}");
        assert!(s.contains(open0) && s.contains(none), "{s}");
        assert!(s.contains(phone), "{s}");
    }
}

/// Issue 12: an unknown unit warns in the form before saving; a known one does not.
#[test]
fn an_unknown_unit_is_pointed_out_in_the_form_before_saving() {
    for (lang, warning) in [
        (Lang::En, "is not in the site directory"),
        (Lang::Zh, "不在项目档案中"),
    ] {
        let fx = fixture();
        let mut app = fx.app(lang);
        app.key(ch('n'));
        typ(&mut app, "1-1804");
        let s = screen(&app);
        assert!(!s.contains(warning), "a known unit: {s}");
        for _ in 0.."1-1804".len() {
            app.key(key(KeyCode::Backspace));
        }
        typ(&mut app, "1-1905");
        let s = screen(&app);
        assert!(s.contains(warning), "{lang:?}: {s}");
        assert!(s.contains("1-1905"), "{s}");
    }
}

#[test]
fn a_site_whose_group_link_is_down_sees_a_note_in_the_header_and_nothing_else_changes() {
    let fx = fixture();
    fx.call("5-0101", Kind::Repair, "Leak", None);
    let dir = fx._dir.path().to_path_buf();
    let status = |connected: bool, diverged: Option<u64>| dutydesk::group::status::ShipStatus {
        shipped: 1,
        head: 3,
        connected,
        last_error: (!connected).then(|| "cannot connect".into()),
        last_error_at: None,
        at: "2026-11-25T21:00:00Z".into(),
        diverged_at: diverged,
    };
    let mut app = fx.app(Lang::En);
    app.group_dir = Some(dir.clone());
    dutydesk::group::status::write(&dir, &status(true, None)).unwrap();
    app.refresh();
    assert!(!screen(&app).contains("Group link down"));
    dutydesk::group::status::write(&dir, &status(false, None)).unwrap();
    app.refresh();
    let seq = fx.desk.lock().unwrap().head().seq;
    let text = screen(&app);
    assert!(
        text.contains(&format!(
            "Group link down: the desk works as usual; records not yet shipped to the group: {}",
            seq - 1
        )),
        "{text}"
    );
    assert!(text.contains("Leak"), "the queue is as before: {text}");
    let mut zh = fx.app(Lang::Zh);
    zh.group_dir = Some(dir.clone());
    zh.refresh();
    assert!(screen(&zh).contains("集团链路中断"), "{}", screen(&zh));
    dutydesk::group::status::write(&dir, &status(false, Some(2))).unwrap();
    app.refresh();
    assert!(screen(&app).contains("Shipping to the group STOPPED"));
}
