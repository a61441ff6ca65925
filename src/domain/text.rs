//! Text in both of the desk's languages.

use serde::{Deserialize, Serialize};

/// The language of the screens and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The language the locale asks for: Chinese when LC_ALL, LC_MESSAGES or LANG says zh.
    pub fn from_env() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if v.is_empty() {
                    continue;
                }
                return if v.to_lowercase().starts_with("zh") {
                    Lang::Zh
                } else {
                    Lang::En
                };
            }
        }
        Lang::En
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "en" | "english" => Ok(Lang::En),
            "zh" | "cn" | "chinese" | "中文" => Ok(Lang::Zh),
            _ => Err(format!("unknown language '{}': use zh or en", shown(s))),
        }
    }
}

/// A pair of fixed strings, one per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bilingual {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Bilingual {
    pub const fn new(en: &'static str, zh: &'static str) -> Bilingual {
        Bilingual { en, zh }
    }

    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }

    /// "Repair 报修": both at once, for reports read by either side.
    pub fn both(&self) -> String {
        format!("{} {}", self.en, self.zh)
    }
}

/// How many characters of someone's input a message repeats before `…`.
pub const SHOWN_CHARS: usize = 40;

/// User input as a message or a screen repeats it: every control character
/// written out (ESC as `\e`, the separator of [`both`] as `\x1f`), so an echo
/// can neither drive the terminal nor cut a message in two, and long input cut
/// with `…`. Every refusal that repeats what was typed goes through here.
pub fn shown(input: &str) -> String {
    let mut out = String::new();
    for (i, c) in input.trim().chars().enumerate() {
        if i == SHOWN_CHARS {
            out.push('…');
            break;
        }
        match c {
            '\u{1b}' => out.push_str("\\e"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() && (c as u32) < 0x100 => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// A field name as the operator sees it.
pub fn field_name(field: &str, lang: Lang) -> &str {
    if lang == Lang::En {
        return field;
    }
    match field {
        "unit" => "房号",
        "summary" => "内容",
        "phone" => "电话",
        "name" | "caller" => "来电人",
        "priority" => "级别",
        "reason" => "原因",
        "note" => "备注",
        "kind" => "类别",
        "to" => "接班人",
        "id" => "编号",
        "step" => "步骤",
        "value" => "记录值",
        "location" => "地点",
        "text" => "内容",
        "signed_by" => "签名",
        "dashboard" => "值班台界面",
        other => other,
    }
}

#[cfg(test)]
mod message_tests {
    use super::*;

    #[test]
    fn input_is_shown_with_its_control_characters_written_out_and_cut_when_long() {
        assert_eq!(shown("\u{1b}[2JR1"), "\\e[2JR1");
        assert_eq!(shown("R1\u{1f}x"), "R1\\x1fx");
        assert_eq!(shown(" R1\n"), "R1");
        assert_eq!(shown("a\u{9b}b"), "a\\x9bb");
        let long = "楼".repeat(100);
        assert_eq!(shown(&long).chars().count(), SHOWN_CHARS + 1);
        assert!(shown(&long).ends_with('…'));
    }
}
