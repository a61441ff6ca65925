//! Styles in one place. With `NO_COLOR` set the monochrome theme marks the
//! selection, focus, overdue rows and the emergency banner by bold, reverse and
//! underline, because the terminal then strips colours but keeps those.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub base: Style,
    pub header: Style,
    pub dim: Style,
    pub title: Style,
    pub selected: Style,
    pub overdue: Style,
    pub urgent: Style,
    pub banner: Style,
    pub notice: Style,
    pub error: Style,
    pub ok: Style,
    pub focus: Style,
    pub tab_active: Style,
    pub key: Style,
}

impl Theme {
    pub fn colour() -> Theme {
        Theme {
            base: Style::default(),
            header: Style::default().fg(Color::White).bg(Color::Blue),
            dim: Style::default().fg(Color::DarkGray),
            title: Style::default().add_modifier(Modifier::BOLD),
            selected: Style::default().add_modifier(Modifier::REVERSED),
            overdue: Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            urgent: Style::default().fg(Color::Yellow),
            banner: Style::default()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            notice: Style::default().fg(Color::Black).bg(Color::Yellow),
            error: Style::default().fg(Color::Red),
            ok: Style::default().fg(Color::Green),
            focus: Style::default()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            tab_active: Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            key: Style::default().fg(Color::Cyan),
        }
    }

    pub fn monochrome() -> Theme {
        let plain = Style::default();
        Theme {
            base: plain,
            header: plain.add_modifier(Modifier::REVERSED),
            dim: plain,
            title: plain.add_modifier(Modifier::BOLD),
            selected: plain.add_modifier(Modifier::REVERSED),
            overdue: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            urgent: plain.add_modifier(Modifier::BOLD),
            banner: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            notice: plain.add_modifier(Modifier::REVERSED),
            error: plain.add_modifier(Modifier::BOLD),
            ok: plain,
            focus: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            tab_active: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            key: plain.add_modifier(Modifier::BOLD),
        }
    }

    /// Monochrome when `NO_COLOR` is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::monochrome(),
            _ => Theme::colour(),
        }
    }
}
