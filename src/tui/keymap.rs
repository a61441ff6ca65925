//! Keys as data: every key of every screen comes from a keymap file (built-in
//! `keymaps/default.toml` or `keymaps/vim.toml`, overridden entry by entry by the
//! user's `keymap.toml`). Screens see named actions, never raw keys, and the help
//! screen is generated from the same tables.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::config::parse_toml;
use crate::error::DeskError;

pub const DEFAULT: &str = include_str!("../../keymaps/default.toml");
pub const VIM: &str = include_str!("../../keymaps/vim.toml");

/// A section of the keymap: the screen (or the global layer) a binding works in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ctx {
    Global,
    Queue,
    Filter,
    Detail,
    Intake,
    Picker,
    Prompt,
    Confirm,
    Help,
    Plans,
    Runner,
    Handover,
    Sign,
}

impl Ctx {
    pub const ALL: [Ctx; 13] = [
        Ctx::Global,
        Ctx::Queue,
        Ctx::Filter,
        Ctx::Detail,
        Ctx::Intake,
        Ctx::Picker,
        Ctx::Prompt,
        Ctx::Confirm,
        Ctx::Help,
        Ctx::Plans,
        Ctx::Runner,
        Ctx::Handover,
        Ctx::Sign,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Ctx::Global => "global",
            Ctx::Queue => "queue",
            Ctx::Filter => "filter",
            Ctx::Detail => "detail",
            Ctx::Intake => "intake",
            Ctx::Picker => "picker",
            Ctx::Prompt => "prompt",
            Ctx::Confirm => "confirm",
            Ctx::Help => "help",
            Ctx::Plans => "plans",
            Ctx::Runner => "runner",
            Ctx::Handover => "handover",
            Ctx::Sign => "sign",
        }
    }

    /// The actions this section may bind.
    pub fn actions(self) -> &'static [Act] {
        use Act::*;
        match self {
            Ctx::Global => &[Quit, Help, Emergency, Jump],
            Ctx::Queue => &[
                Quit, New, Open, Filter, Help, Up, Down, PageUp, PageDown, Top, Bottom, NextView,
                PrevView, Handover, Sign,
            ],
            Ctx::Filter => &[Apply, Clear],
            Ctx::Detail => &[
                Back, Quit, Help, Dispatch, Start, Done, Callback, Close, Cancel, Note, Up, Down,
                Answer,
            ],
            Ctx::Intake => &[
                Save, NextField, PrevField, Accept, Discard, PrevChoice, NextChoice, Toggle,
                AddCall,
            ],
            Ctx::Picker => &[Up, Down, Choose, Back],
            Ctx::Prompt => &[Submit, Back],
            Ctx::Confirm => &[Yes, No],
            Ctx::Help => &[Back, Up, Down, PageUp, PageDown, Top, Bottom],
            Ctx::Plans => &[Up, Down, Choose, Back],
            Ctx::Runner => &[
                Back, Help, Up, Down, StepDone, StepSkip, RunNote, RunReport, RunClose,
            ],
            Ctx::Handover => &[Save, NextField, PrevField, PageUp, PageDown, Discard],
            Ctx::Sign => &[Submit, Refuse, Back],
        }
    }
}

/// A named action. Its description for the help screen is in `strings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Act {
    Quit,
    Help,
    New,
    Open,
    Filter,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    NextView,
    PrevView,
    Apply,
    Clear,
    Back,
    Dispatch,
    Start,
    Done,
    Callback,
    Close,
    Cancel,
    Note,
    Save,
    NextField,
    PrevField,
    Accept,
    Discard,
    Choose,
    Submit,
    Yes,
    No,
    Emergency,
    Jump,
    StepDone,
    StepSkip,
    RunNote,
    RunClose,
    RunReport,
    Handover,
    Sign,
    Refuse,
    Answer,
    PrevChoice,
    NextChoice,
    Toggle,
    AddCall,
}

impl Act {
    pub fn name(self) -> &'static str {
        match self {
            Act::Quit => "quit",
            Act::Help => "help",
            Act::New => "new",
            Act::Open => "open",
            Act::Filter => "filter",
            Act::Up => "up",
            Act::Down => "down",
            Act::PageUp => "page_up",
            Act::PageDown => "page_down",
            Act::Top => "top",
            Act::Bottom => "bottom",
            Act::NextView => "next_view",
            Act::PrevView => "prev_view",
            Act::Apply => "apply",
            Act::Clear => "clear",
            Act::Back => "back",
            Act::Dispatch => "dispatch",
            Act::Start => "start",
            Act::Done => "done",
            Act::Callback => "callback",
            Act::Close => "close",
            Act::Cancel => "cancel",
            Act::Note => "note",
            Act::Save => "save",
            Act::NextField => "next_field",
            Act::PrevField => "prev_field",
            Act::Accept => "accept",
            Act::Discard => "discard",
            Act::Choose => "choose",
            Act::Submit => "submit",
            Act::Yes => "yes",
            Act::No => "no",
            Act::Emergency => "emergency",
            Act::Jump => "jump",
            Act::StepDone => "step_done",
            Act::StepSkip => "step_skip",
            Act::RunNote => "run_note",
            Act::RunClose => "run_close",
            Act::RunReport => "run_report",
            Act::Handover => "handover",
            Act::Sign => "sign",
            Act::Refuse => "refuse",
            Act::Answer => "answer",
            Act::PrevChoice => "prev_choice",
            Act::NextChoice => "next_choice",
            Act::Toggle => "toggle",
            Act::AddCall => "add_call",
        }
    }
}

/// One key with its modifiers, normalised so that what the terminal sends and
/// what the file says compare equal ("G" is `Char('G')` without SHIFT).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Chord {
    code: KeyCodeOrd,
    ctrl: bool,
    alt: bool,
}

/// `KeyCode` has no `Ord`; this is the part of it keymaps use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum KeyCodeOrd {
    Char(char),
    F(u8),
    Enter,
    Esc,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Backspace,
    Delete,
    Insert,
}

impl Chord {
    pub fn from_event(ev: &KeyEvent) -> Option<Chord> {
        let code = match ev.code {
            KeyCode::Char(' ') => KeyCodeOrd::Char(' '),
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            KeyCode::Enter => KeyCodeOrd::Enter,
            KeyCode::Esc => KeyCodeOrd::Esc,
            KeyCode::Tab if ev.modifiers.contains(KeyModifiers::SHIFT) => KeyCodeOrd::BackTab,
            KeyCode::Tab => KeyCodeOrd::Tab,
            KeyCode::BackTab => KeyCodeOrd::BackTab,
            KeyCode::Up => KeyCodeOrd::Up,
            KeyCode::Down => KeyCodeOrd::Down,
            KeyCode::Left => KeyCodeOrd::Left,
            KeyCode::Right => KeyCodeOrd::Right,
            KeyCode::PageUp => KeyCodeOrd::PageUp,
            KeyCode::PageDown => KeyCodeOrd::PageDown,
            KeyCode::Home => KeyCodeOrd::Home,
            KeyCode::End => KeyCodeOrd::End,
            KeyCode::Backspace => KeyCodeOrd::Backspace,
            KeyCode::Delete => KeyCodeOrd::Delete,
            KeyCode::Insert => KeyCodeOrd::Insert,
            _ => return None,
        };
        Some(Chord {
            code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        })
    }

    /// Reads "Ctrl-s", "Shift-Tab", "G", "?", "Enter", "F1".
    pub fn parse(text: &str) -> Result<Chord, String> {
        let mut rest = text.trim();
        let (mut ctrl, mut alt, mut shift) = (false, false, false);
        loop {
            let lower = rest.to_ascii_lowercase();
            let cut = ["ctrl-", "c-", "alt-", "a-", "shift-", "s-"]
                .into_iter()
                .find(|p| lower.starts_with(p) && rest.len() > p.len());
            match cut {
                Some(p) => {
                    match p {
                        "ctrl-" | "c-" => ctrl = true,
                        "alt-" | "a-" => alt = true,
                        _ => shift = true,
                    }
                    rest = &rest[p.len()..];
                }
                None => break,
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                let c = if shift { c.to_ascii_uppercase() } else { c };
                KeyCodeOrd::Char(if ctrl { c.to_ascii_lowercase() } else { c })
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCodeOrd::Enter,
                "esc" | "escape" => KeyCodeOrd::Esc,
                "tab" if shift => KeyCodeOrd::BackTab,
                "tab" => KeyCodeOrd::Tab,
                "backtab" => KeyCodeOrd::BackTab,
                "up" => KeyCodeOrd::Up,
                "down" => KeyCodeOrd::Down,
                "left" => KeyCodeOrd::Left,
                "right" => KeyCodeOrd::Right,
                "pageup" | "pgup" => KeyCodeOrd::PageUp,
                "pagedown" | "pgdn" => KeyCodeOrd::PageDown,
                "home" => KeyCodeOrd::Home,
                "end" => KeyCodeOrd::End,
                "backspace" => KeyCodeOrd::Backspace,
                "delete" | "del" => KeyCodeOrd::Delete,
                "insert" | "ins" => KeyCodeOrd::Insert,
                "space" => KeyCodeOrd::Char(' '),
                f if f.starts_with('f') && f.len() > 1 => match f[1..].parse::<u8>() {
                    Ok(n) if (1..=12).contains(&n) => KeyCodeOrd::F(n),
                    _ => return Err(format!("'{text}' is not a key: function keys are F1 to F12")),
                },
                _ => {
                    return Err(format!(
                        "'{text}' is not a key: use a single character, or Enter, Esc, Tab, Shift-Tab, Up, Down, Left, Right, PageUp, PageDown, Home, End, Backspace, Delete, Space, F1-F12, with Ctrl- or Alt- in front if needed"
                    ))
                }
            },
        };
        Ok(Chord { code, ctrl, alt })
    }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCodeOrd::Char(' ') => f.write_str("Space"),
            KeyCodeOrd::Char(c) => write!(f, "{c}"),
            KeyCodeOrd::F(n) => write!(f, "F{n}"),
            other => f.write_str(match other {
                KeyCodeOrd::Enter => "Enter",
                KeyCodeOrd::Esc => "Esc",
                KeyCodeOrd::Tab => "Tab",
                KeyCodeOrd::BackTab => "Shift-Tab",
                KeyCodeOrd::Up => "↑",
                KeyCodeOrd::Down => "↓",
                KeyCodeOrd::Left => "←",
                KeyCodeOrd::Right => "→",
                KeyCodeOrd::PageUp => "PgUp",
                KeyCodeOrd::PageDown => "PgDn",
                KeyCodeOrd::Home => "Home",
                KeyCodeOrd::End => "End",
                KeyCodeOrd::Backspace => "Backspace",
                KeyCodeOrd::Delete => "Delete",
                _ => "Insert",
            }),
        }
    }
}

/// The loaded keymap: per section, which keys do which action.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<Ctx, BTreeMap<Act, Vec<Chord>>>,
}

/// One file's entries, kept with where they came from for error messages.
type Entries = BTreeMap<Ctx, BTreeMap<Act, Vec<Chord>>>;

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Keys {
    One(String),
    Many(Vec<String>),
}

impl Keymap {
    /// The built-in default keymap.
    pub fn builtin() -> Keymap {
        // The built-in files are tested; an error here is a broken build, reported as empty.
        Keymap::from_files(&[(DEFAULT, Path::new("<built-in default.toml>"))]).unwrap_or(Keymap {
            bindings: BTreeMap::new(),
        })
    }

    /// The keymap for this user: a preset overridden by `keymap.toml` in the config directory.
    pub fn load_for_user() -> Result<Keymap, DeskError> {
        match user_file() {
            Some(path) => Keymap::load(&path),
            None => Keymap::from_files(&[(DEFAULT, Path::new("<built-in default.toml>"))]),
        }
    }

    /// A preset overridden by the file at `path` (if it exists).
    pub fn load(path: &Path) -> Result<Keymap, DeskError> {
        let Some(text) = crate::config::read_text(path)? else {
            return Keymap::from_files(&[(DEFAULT, Path::new("<built-in default.toml>"))]);
        };
        Keymap::with_user(&text, path)
    }

    /// A preset (chosen by `preset = "..."` in the user's text) with the user's entries on top.
    pub fn with_user(text: &str, path: &Path) -> Result<Keymap, DeskError> {
        let table: toml::Table = parse_toml(text, path)?;
        let preset = match table.get("preset") {
            None => DEFAULT,
            Some(toml::Value::String(p)) if p == "default" => DEFAULT,
            Some(toml::Value::String(p)) if p == "vim" => VIM,
            Some(other) => {
                return Err(DeskError::Config(format!(
                    "{}:{}: unknown preset {other}: use \"default\" or \"vim\"",
                    path.display(),
                    crate::config::line_of(text, "preset")
                )))
            }
        };
        let name = if preset == VIM { "vim" } else { "default" };
        Keymap::from_files(&[
            (preset, Path::new(&format!("<built-in {name}.toml>"))),
            (text, path),
        ])
    }

    /// Merges files in order: a later file's entry replaces an earlier one's keys
    /// for that action. Conflicts are checked on the result.
    fn from_files(files: &[(&str, &Path)]) -> Result<Keymap, DeskError> {
        let mut bindings: Entries = BTreeMap::new();
        let mut origin: BTreeMap<(Ctx, Act), (PathBuf, usize)> = BTreeMap::new();
        for (text, path) in files {
            for (ctx, acts) in parse_file(text, path)? {
                for (act, (chords, line)) in acts {
                    bindings.entry(ctx).or_default().insert(act, chords);
                    origin.insert((ctx, act), (path.to_path_buf(), line));
                }
            }
        }
        check_conflicts(&bindings, &origin)?;
        Ok(Keymap { bindings })
    }

    /// The action a key does in a section, or in the global layer.
    pub fn action(&self, ctx: Ctx, ev: &KeyEvent) -> Option<Act> {
        let chord = Chord::from_event(ev)?;
        self.find(ctx, chord)
            .or_else(|| self.find(Ctx::Global, chord))
    }

    fn find(&self, ctx: Ctx, chord: Chord) -> Option<Act> {
        self.bindings
            .get(&ctx)?
            .iter()
            .find(|(_, keys)| keys.contains(&chord))
            .map(|(a, _)| *a)
    }

    /// The keys of an action, as shown to people ("Enter/→").
    pub fn keys(&self, ctx: Ctx, act: Act) -> String {
        self.bindings
            .get(&ctx)
            .and_then(|m| m.get(&act))
            .map(|ks| {
                ks.iter()
                    .map(|k| k.to_string())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default()
    }

    /// Every bound action of a section, in the section's order, with its keys.
    pub fn entries(&self, ctx: Ctx) -> Vec<(Act, String)> {
        ctx.actions()
            .iter()
            .filter_map(|a| {
                let k = self.keys(ctx, *a);
                (!k.is_empty()).then_some((*a, k))
            })
            .collect()
    }
}

/// `$XDG_CONFIG_HOME/dutydesk/keymap.toml`, else `~/.config/dutydesk/keymap.toml`.
pub fn user_file() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".config"))
        })?;
    Some(base.join("dutydesk").join("keymap.toml"))
}

type Parsed = BTreeMap<Ctx, BTreeMap<Act, (Vec<Chord>, usize)>>;

fn parse_file(text: &str, path: &Path) -> Result<Parsed, DeskError> {
    let table: toml::Table = parse_toml(text, path)?;
    let mut out: Parsed = BTreeMap::new();
    let at =
        |line: usize, msg: String| DeskError::Config(format!("{}:{line}: {msg}", path.display()));
    for (section, value) in &table {
        if section == "preset" {
            continue;
        }
        let line = section_line(text, section);
        let Some(ctx) = Ctx::ALL.into_iter().find(|c| c.name() == section) else {
            let names: Vec<_> = Ctx::ALL.iter().map(|c| c.name()).collect();
            return Err(at(
                line,
                format!(
                    "unknown section [{section}]: use one of {}",
                    names.join(", ")
                ),
            ));
        };
        let toml::Value::Table(entries) = value else {
            return Err(at(
                line,
                format!("'{section}' must be a section like [{section}]"),
            ));
        };
        for (name, keys) in entries {
            let line = entry_line(text, section, name);
            let Some(act) = ctx.actions().iter().find(|a| a.name() == name) else {
                let names: Vec<_> = ctx.actions().iter().map(|a| a.name()).collect();
                return Err(at(
                    line,
                    format!(
                        "[{section}] has no action '{name}': use one of {}",
                        names.join(", ")
                    ),
                ));
            };
            let keys: Keys = keys.clone().try_into().map_err(|_| {
                at(
                    line,
                    format!("{name}: give a key as a string, or a list of strings"),
                )
            })?;
            let list = match keys {
                Keys::One(k) => vec![k],
                Keys::Many(ks) => ks,
            };
            if list.is_empty() {
                return Err(at(line, format!("{name}: the list of keys is empty")));
            }
            let chords = list
                .iter()
                .map(|k| Chord::parse(k).map_err(|e| at(line, format!("{name}: {e}"))))
                .collect::<Result<Vec<_>, _>>()?;
            out.entry(ctx).or_default().insert(*act, (chords, line));
        }
    }
    Ok(out)
}

fn check_conflicts(
    b: &Entries,
    origin: &BTreeMap<(Ctx, Act), (PathBuf, usize)>,
) -> Result<(), DeskError> {
    let place = |ctx: Ctx, act: Act| {
        origin
            .get(&(ctx, act))
            .map(|(p, l)| format!("{}:{l}", p.display()))
            .unwrap_or_default()
    };
    let global = b.get(&Ctx::Global).cloned().unwrap_or_default();
    for (ctx, acts) in b {
        let mut seen: BTreeMap<Chord, Act> = BTreeMap::new();
        for (act, chords) in acts {
            for c in chords {
                if let Some(other) = seen.insert(*c, *act) {
                    if other != *act {
                        return Err(DeskError::Config(format!(
                            "{}: key {c} is bound twice in [{}]: to '{}' and to '{}'; give one of them another key",
                            place(*ctx, *act),
                            ctx.name(),
                            other.name(),
                            act.name()
                        )));
                    }
                }
                if *ctx != Ctx::Global {
                    if let Some((gact, _)) = global.iter().find(|(_, ks)| ks.contains(c)) {
                        return Err(DeskError::Config(format!(
                            "{}: key {c} of [{}] {} is already the global key for '{}'; give one of them another key",
                            place(*ctx, *act),
                            ctx.name(),
                            act.name(),
                            gact.name()
                        )));
                    }
                }
            }
        }
    }
    Ok(())
}

fn section_line(text: &str, section: &str) -> usize {
    let header = format!("[{section}]");
    text.lines()
        .position(|l| l.trim() == header)
        .map(|i| i + 1)
        .unwrap_or(1)
}

/// The line of `name = ...` inside `[section]`.
fn entry_line(text: &str, section: &str, name: &str) -> usize {
    let start = section_line(text, section);
    text.lines()
        .enumerate()
        .skip(start)
        .take_while(|(_, l)| !l.trim_start().starts_with('['))
        .find(|(_, l)| {
            let t = l.trim_start();
            t.strip_prefix(name)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|(i, _)| i + 1)
        .unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventKind;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers: mods,
            kind: KeyEventKind::Press,
            state: crossterm::event::KeyEventState::NONE,
        }
    }

    #[test]
    fn both_presets_load_without_conflicts() {
        Keymap::from_files(&[(DEFAULT, Path::new("default.toml"))]).unwrap();
        Keymap::from_files(&[(VIM, Path::new("vim.toml"))]).unwrap();
    }

    #[test]
    fn keys_map_to_actions_per_screen_and_globally() {
        let k = Keymap::builtin();
        let n = key(KeyCode::Char('n'), KeyModifiers::NONE);
        assert_eq!(k.action(Ctx::Queue, &n), Some(Act::New));
        assert_eq!(k.action(Ctx::Detail, &n), Some(Act::Note));
        assert_eq!(k.action(Ctx::Intake, &n), None);
        let cs = key(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(k.action(Ctx::Intake, &cs), Some(Act::Save));
        let cc = key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(k.action(Ctx::Intake, &cc), Some(Act::Quit));
        let bt = key(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(k.action(Ctx::Intake, &bt), Some(Act::PrevField));
        let big_g = key(KeyCode::Char('G'), KeyModifiers::SHIFT);
        let vim = Keymap::with_user("preset = \"vim\"\n", Path::new("k.toml")).unwrap();
        assert_eq!(vim.action(Ctx::Queue, &big_g), Some(Act::Bottom));
        assert_eq!(k.keys(Ctx::Intake, Act::Accept), "Enter");
        assert_eq!(k.keys(Ctx::Intake, Act::NextChoice), "→");
    }

    #[test]
    fn a_user_file_overrides_single_keys() {
        let k = Keymap::with_user("[queue]\nnew = \"a\"\n", Path::new("k.toml")).unwrap();
        let a = key(KeyCode::Char('a'), KeyModifiers::NONE);
        let n = key(KeyCode::Char('n'), KeyModifiers::NONE);
        assert_eq!(k.action(Ctx::Queue, &a), Some(Act::New));
        assert_eq!(k.action(Ctx::Queue, &n), None);
        assert_eq!(
            k.action(Ctx::Queue, &key(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Act::Quit)
        );
    }

    #[test]
    fn bad_files_name_the_file_line_and_problem() {
        let e = Keymap::with_user("[queue]\n\nnew = \"Ctrl-\"\n", Path::new("/u/keymap.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("/u/keymap.toml:3:"), "{e}");
        let e = Keymap::with_user("[queue]\nfly = \"z\"\n", Path::new("k.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("k.toml:2") && e.contains("no action 'fly'"),
            "{e}"
        );
        let e = Keymap::with_user("[queue\n", Path::new("k.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("k.toml:1:"), "{e}");
        let e = Keymap::with_user("[screen]\n", Path::new("k.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown section [screen]"), "{e}");
    }

    #[test]
    fn conflicting_bindings_are_reported() {
        let e = Keymap::with_user("[queue]\nnew = \"q\"\n", Path::new("k.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("key q is bound twice in [queue]"), "{e}");
        let e = Keymap::with_user("[detail]\nnote = \"Ctrl-c\"\n", Path::new("k.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("k.toml:2") && e.contains("global key for 'quit'"),
            "{e}"
        );
    }
}
