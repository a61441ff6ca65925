//! The header: site, shift and operator, clock, counts, and banners for active
//! emergencies and a handover waiting for its signature.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::display::{short_duration, width};
use crate::domain::Lang;
use crate::tui::app::{App, GroupNote};
use crate::tui::keymap::{Act, Ctx};
use crate::tui::strings::{self as s, tr};

/// How many lines the header takes: two, plus one per banner.
pub fn height(app: &App) -> u16 {
    let runs = app.state.active_runs().count() as u16;
    let handover = u16::from(app.state.shifts.awaiting_signature().is_some());
    let trouble = u16::from(app.offline.is_some())
        + u16::from(clock_jump(app).is_some())
        + u16::from(app.disk_full.is_some())
        + u16::from(app.alarm.is_some())
        + u16::from(app.group_note.is_some())
        + u16::from(recently_reconnected(app).is_some());
    2 + runs.min(3) + handover + trouble
}

pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let l = app.lang;
    let th = &app.theme;
    let now = app.clock.now();
    let clock = now
        .with_timezone(&chrono::Local)
        .format("%H:%M:%S")
        .to_string();
    let shift = match app.state.shifts.current() {
        // Who answers for the desk (until a handover is signed, the outgoing
        // operator), and who sits at this screen. Every client of the owner is
        // on this machine (a Unix socket), so the screen's user is named plainly,
        // never as "remote".
        Some(sh) => {
            let on_duty = app.state.shifts.responsible().unwrap_or(&sh.operator);
            let me = format!(" · {} {}", tr(s::YOU, l), app.operator);
            format!(
                "{} {} · {} {on_duty}{me}",
                tr(s::SHIFT, l),
                sh.id,
                tr(s::OPERATOR, l),
            )
        }
        None => format!(
            "{} · {} {}",
            tr(s::NO_SHIFT, l),
            tr(s::YOU, l),
            app.operator
        ),
    };
    let left = format!(" {} │ {shift}", app.site.name(l));
    let pad = (area.width as usize).saturating_sub(width(&left) + width(&clock) + 1);
    let mut lines = vec![Line::from(Span::styled(
        format!("{left}{}{clock} ", " ".repeat(pad)),
        th.header,
    ))];
    let c = &app.queue.counts;
    let overdue_style = if c.overdue > 0 { th.overdue } else { th.base };
    lines.push(Line::from(vec![
        Span::raw(format!(" {} {} · ", tr(s::OPEN, l), c.open)),
        Span::raw(format!("{} {} · ", tr(s::TO_DISPATCH, l), c.new)),
        Span::raw(format!("{} {} · ", tr(s::TO_CALL_BACK, l), c.callback)),
        Span::styled(
            format!(
                "{}{} {}",
                if c.overdue > 0 { "! " } else { "" },
                tr(s::OVERDUE, l),
                c.overdue
            ),
            overdue_style,
        ),
    ]));
    // Connection and disk trouble first: they change what the operator can do.
    let mut warn = |text: String| {
        let pad = (area.width as usize).saturating_sub(width(&text));
        lines.push(Line::from(Span::styled(
            format!("{text}{}", " ".repeat(pad)),
            th.banner,
        )));
    };
    if app.offline.is_some() {
        warn(format!(" !! {}", tr(s::DISCONNECTED, l)));
    }
    if app.disk_full.is_some() {
        warn(format!(" !! {}", tr(s::DISK_FULL, l)));
    }
    if app.alarm.is_some() {
        warn(format!(" !! {}", tr(s::STATE_ALARM, l)));
    }
    if let Some(j) = clock_jump(app) {
        let at = chrono::DateTime::from_timestamp_micros(j.at_us)
            .unwrap_or_default()
            .with_timezone(&chrono::Local)
            .format("%H:%M");
        let what = if j.is_back() {
            s::CLOCK_BACK
        } else {
            s::CLOCK_AHEAD
        };
        let hint = if app.state.clock.held {
            s::CLOCK_HELD
        } else {
            s::CLOCK_CHECK
        };
        warn(format!(
            " !! {} {} {} {at} · {}",
            tr(what, l),
            short_duration(j.seconds()),
            tr(s::CLOCK_AT, l),
            tr(hint, l)
        ));
    }
    if let Some(at) = recently_reconnected(app) {
        let at = at.with_timezone(&chrono::Local).format("%H:%M:%S");
        warn(format!(" {} {at}", tr(s::RECONNECTED, l)));
    }
    // A site alone still works: a note, not an alarm, unless shipping stopped.
    let group = match app.group_note {
        Some(GroupNote::LinkDown { unshipped }) => Some((
            format!(" {} {unshipped}", tr(s::GROUP_LINK_DOWN, l)),
            th.notice,
        )),
        Some(GroupNote::Stopped) => Some((format!(" !! {}", tr(s::GROUP_STOPPED, l)), th.banner)),
        None => None,
    };
    if let Some((text, style)) = group {
        let pad = (area.width as usize).saturating_sub(width(&text));
        lines.push(Line::from(Span::styled(
            format!("{text}{}", " ".repeat(pad)),
            style,
        )));
    }
    let now_us = now.timestamp_micros();
    let jump = app.keymap.keys(Ctx::Global, Act::Jump);
    for run in app.state.active_runs().take(3) {
        let name = if l == Lang::Zh {
            &run.name_zh
        } else {
            &run.name_en
        };
        let place = run
            .location
            .as_deref()
            .map(|p| format!(" @ {}", app.site.unit_label(p, l)))
            .unwrap_or_default();
        let elapsed = short_duration(crate::clock::seconds_between(run.started_at_us, now_us));
        let text = format!(
            " !! {} {} {name}{place} · {} {elapsed} · [{jump}]",
            tr(s::EMERGENCY, l),
            run.id,
            tr(s::RUNNING_FOR, l),
        );
        let pad = (area.width as usize).saturating_sub(width(&text));
        lines.push(Line::from(Span::styled(
            format!("{text}{}", " ".repeat(pad)),
            th.banner,
        )));
    }
    if let Some(sh) = app.state.shifts.awaiting_signature() {
        let from = sh.from_operator.as_deref().unwrap_or("?");
        let text = format!(
            " {} · {from} → {} · {} {}",
            tr(s::HANDOVER_WAITING, l),
            sh.operator,
            app.keymap.keys(Ctx::Queue, Act::Sign),
            tr(s::SIGN_HINT, l)
        );
        let pad = (area.width as usize).saturating_sub(width(&text));
        lines.push(Line::from(Span::styled(
            format!("{text}{}", " ".repeat(pad)),
            th.notice,
        )));
    }
    f.render_widget(Paragraph::new(lines), area);
}

/// The moment the connection came back, for the first 10 seconds after it.
fn recently_reconnected(app: &App) -> Option<chrono::DateTime<chrono::Utc>> {
    app.reconnected_at
        .filter(|at| app.clock.now() - *at < chrono::Duration::seconds(10))
}

/// How long a clock jump stays in the header once the log no longer holds for it.
const CLOCK_BANNER_US: i64 = 12 * 3600 * 1_000_000;

/// The last clock jump the log recorded, while the log still holds its time for
/// it or for 12 hours (log time) after it.
fn clock_jump(app: &App) -> Option<crate::state::clock::Jump> {
    let c = &app.state.clock;
    c.last_jump
        .filter(|j| c.held || app.state.last_at_us - j.at_us < CLOCK_BANNER_US)
}
