//! The group's dashboard (`dutydesk group`): every site's active emergencies
//! first (most severe, then oldest), overdue tickets, each site's line (last
//! record, lag, today's dispatch-target rate, chain) and the silent sites.
//! It reads the group view from PostgreSQL once a second; nothing here writes.

use std::time::{Duration, Instant};

use crossterm::event::{self, Event as TermEvent, KeyCode, KeyEventKind};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::clock::SharedClock;
use crate::domain::text::Bilingual as B;
use crate::domain::Lang;
use crate::error::DeskError;
use crate::group::view::{self, GroupView};
use crate::tui::Theme;

const TITLE: B = B::new("dutydesk group view", "dutydesk 集团视图");
const EMERGENCIES: B = B::new("Active emergencies", "进行中的应急事件");
const NO_EMERGENCIES: B = B::new(
    "no active emergency at any site",
    "各管理处均无进行中的应急事件",
);
const OVERDUE: B = B::new("Overdue tickets", "超时工单");
const NO_OVERDUE: B = B::new("no overdue ticket", "没有超时工单");
const SITES: B = B::new(
    "Sites   last rec   lag      emerg  overdue  dispatch today  chain",
    "管理处  最后记录   延迟     应急   超时     今日派单达标    链",
);
const SILENT: B = B::new("silent", "无消息");
const BROKEN: B = B::new("CHAIN BROKEN", "链断裂");
const OK: B = B::new("ok", "正常");
const KEYS: B = B::new("q quit · r refresh", "q 退出 · r 刷新");
const STALE: B = B::new("cannot read the group view", "读取集团视图失败");

/// Opens the dashboard until `q` or Esc.
pub fn run(
    pg: &str,
    silent_minutes: i64,
    clock: SharedClock,
    lang: Lang,
) -> Result<i32, DeskError> {
    // Connect before touching the terminal, so a wrong URL is a plain message.
    let mut client = view::connect(pg)?;
    let load = |client: &mut postgres::Client| {
        let now = clock.now();
        view::load(client, now, view::local_midnight(now), silent_minutes)
    };
    let mut current = load(&mut client)?;
    let theme = Theme::from_env();
    let mut terminal = ratatui::try_init()
        .map_err(|e| DeskError::Internal(format!("cannot set up the terminal: {e}")))?;
    let mut error: Option<String> = None;
    let mut last = Instant::now();
    let result = loop {
        if let Err(e) =
            terminal.draw(|f| draw(f, f.area(), &current, error.as_deref(), lang, &theme))
        {
            break Err(DeskError::Internal(format!("cannot draw: {e}")));
        }
        let wait = Duration::from_secs(1).saturating_sub(last.elapsed());
        let mut refresh = false;
        match event::poll(wait) {
            Ok(true) => match event::read() {
                Ok(TermEvent::Key(k)) if k.kind == KeyEventKind::Press => match k.code {
                    KeyCode::Char('q') | KeyCode::Esc => break Ok(0),
                    KeyCode::Char('r') => refresh = true,
                    _ => {}
                },
                Ok(_) => {}
                Err(e) => {
                    break Err(DeskError::Internal(format!(
                        "cannot read the keyboard: {e}"
                    )))
                }
            },
            Ok(false) => refresh = true,
            Err(e) => {
                break Err(DeskError::Internal(format!(
                    "cannot read the keyboard: {e}"
                )))
            }
        }
        if refresh || last.elapsed() >= Duration::from_secs(1) {
            last = Instant::now();
            match load(&mut client) {
                Ok(v) => {
                    current = v;
                    error = None;
                }
                // Keep the last view on screen, say it is stale, reconnect next time.
                Err(e) => {
                    error = Some(e.text(lang));
                    if let Ok(c) = view::connect(pg) {
                        client = c;
                    }
                }
            }
        }
    };
    ratatui::restore();
    result
}

fn age(
    now: chrono::DateTime<chrono::Utc>,
    at: chrono::DateTime<chrono::Utc>,
    lang: Lang,
) -> String {
    let m = (now - at).num_minutes().max(0);
    match lang {
        Lang::En => format!("{m} min"),
        Lang::Zh => format!("{m} 分钟"),
    }
}

/// Draws the whole view into `area` (also used by tests and the benchmark).
pub fn draw(
    f: &mut Frame,
    area: Rect,
    v: &GroupView,
    error: Option<&str>,
    lang: Lang,
    theme: &Theme,
) {
    let n_em = v.emergencies.len().clamp(1, 10) as u16;
    let n_od = v.overdue.len().clamp(1, 10) as u16;
    let [head, em, od, sites, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(n_em + 1),
        Constraint::Length(n_od + 1),
        Constraint::Min(2),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut title = vec![Span::styled(
        format!(
            " {}  {} ",
            TITLE.get(lang),
            v.at.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S")
        ),
        theme.header,
    )];
    if let Some(e) = error {
        title.push(Span::styled(
            format!(" {}: {e} ", STALE.get(lang)),
            theme.banner,
        ));
    }
    f.render_widget(Paragraph::new(Line::from(title)), head);

    let mut lines = vec![Line::styled(EMERGENCIES.get(lang), theme.title)];
    if v.emergencies.is_empty() {
        lines.push(Line::styled(NO_EMERGENCIES.get(lang), theme.dim));
    }
    for e in v.emergencies.iter().take(10) {
        let name = if lang == Lang::Zh {
            &e.name_zh
        } else {
            &e.name_en
        };
        lines.push(Line::styled(
            format!(
                " P{} {:<8} {:<6} {name} {} · {}",
                e.severity,
                e.site,
                e.id,
                e.location.as_deref().unwrap_or(""),
                age(v.at, e.started_at, lang)
            ),
            theme.banner,
        ));
    }
    f.render_widget(Paragraph::new(lines), em);

    let mut lines = vec![Line::styled(OVERDUE.get(lang), theme.title)];
    if v.overdue.is_empty() {
        lines.push(Line::styled(NO_OVERDUE.get(lang), theme.dim));
    }
    for t in v.overdue.iter().take(10) {
        lines.push(Line::styled(
            format!(
                " {:<8} {:<8} P{} {:<8} {} · +{}",
                t.site,
                t.id,
                t.priority,
                t.unit,
                t.summary,
                age(v.at, t.due_at, lang)
            ),
            theme.overdue,
        ));
    }
    f.render_widget(Paragraph::new(lines), od);

    let mut lines = vec![Line::styled(SITES.get(lang), theme.title)];
    // Broken chains and silent sites first: they are what needs a person.
    let mut order: Vec<_> = v.sites.iter().collect();
    order.sort_by_key(|s| (s.chain_ok, !s.silent, s.site.clone()));
    for s in order {
        let lag = s
            .lag_seconds
            .map(|l| format!("{l}s"))
            .unwrap_or_else(|| "-".into());
        let pct = s
            .dispatch_target_pct
            .map(|p| format!("{p:.0}%"))
            .unwrap_or_else(|| "-".into());
        let (chain, style) = if s.chain_ok {
            (
                OK.get(lang),
                if s.silent { theme.urgent } else { theme.base },
            )
        } else {
            (BROKEN.get(lang), theme.banner)
        };
        let mut text = format!(
            "{:<7} {:>8}   {:<8} {:>5}  {:>7}  {:>14}  {chain}",
            s.site, s.last_seq, lag, s.active_emergencies, s.overdue, pct
        );
        if s.silent {
            text.push_str(&format!("  ({})", SILENT.get(lang)));
        }
        lines.push(Line::styled(text, style));
        if let Some(a) = &s.alarm {
            lines.push(Line::styled(format!("        {a}"), theme.error));
        }
    }
    f.render_widget(Paragraph::new(lines), sites);
    f.render_widget(
        Paragraph::new(Line::styled(KEYS.get(lang), theme.dim)),
        keys,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::view::{EmergencyLine, OverdueLine, SiteLine};
    use chrono::{TimeZone, Utc};

    fn site(id: &str, ok: bool, silent: bool) -> SiteLine {
        SiteLine {
            site: id.into(),
            last_seq: 42,
            lag_seconds: Some(if silent { 7200 } else { 3 }),
            active_emergencies: 0,
            overdue: 0,
            chain_ok: ok,
            alarm: (!ok).then(|| format!("site {id}: record 43 is refused (forged or damaged)")),
            dispatch_target_pct: Some(75.0),
            silent,
        }
    }

    fn screen(v: &GroupView, lang: Lang) -> String {
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
        t.draw(|f| draw(f, f.area(), v, None, lang, &Theme::monochrome()))
            .unwrap();
        let buf = t.backend().buffer().clone();
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_group_screen_puts_emergencies_first_and_names_broken_and_silent_sites() {
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 20, 0, 0).unwrap();
        let em = |site: &str, id: &str, sev, mins| EmergencyLine {
            site: site.into(),
            id: id.into(),
            name_en: "Fire alarm".into(),
            name_zh: "火警".into(),
            location: Some("B2".into()),
            severity: sev,
            started_at: at - chrono::Duration::minutes(mins),
        };
        let v = GroupView {
            at,
            // As the view's SQL orders them: severity, then age.
            emergencies: vec![
                em("s2", "EM1", 1, 30),
                em("s1", "EM4", 1, 5),
                em("s3", "EM2", 2, 90),
            ],
            overdue: vec![OverdueLine {
                site: "s1".into(),
                id: "R12".into(),
                kind: "repair".into(),
                priority: 2,
                unit: "3-0201".into(),
                summary: "leak".into(),
                due_at: at - chrono::Duration::minutes(12),
            }],
            sites: vec![
                site("s1", true, false),
                site("s2", false, false),
                site("s3", true, true),
            ],
        };
        let text = screen(&v, Lang::En);
        let pos = |needle: &str| {
            text.find(needle)
                .unwrap_or_else(|| panic!("no {needle:?} in\n{text}"))
        };
        assert!(pos("Active emergencies") < pos("Overdue tickets"));
        assert!(pos("EM1") < pos("EM4") && pos("EM4") < pos("EM2"), "{text}");
        assert!(pos("R12") > pos("Overdue tickets") && text.contains("+12 min"));
        // The broken chain first among the sites, with its alarm; the silent site marked.
        let line_of = |start: &str| text.lines().position(|l| l.starts_with(start)).unwrap();
        assert!(
            line_of("s2 ") < line_of("s3 ") && line_of("s3 ") < line_of("s1 "),
            "{text}"
        );
        assert!(text.contains("CHAIN BROKEN"));
        assert!(
            text.contains("forged or damaged") && text.contains("(silent)"),
            "{text}"
        );
        assert!(text.contains("75%"));
        // A wide character's second cell reads as a space in the test buffer.
        let zh = screen(&v, Lang::Zh).replace(' ', "");
        for w in ["进行中的应急事件", "超时工单", "链断裂", "无消息", "火警"] {
            assert!(zh.contains(w), "no {w} in\n{zh}");
        }
    }
}
