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
            _ => Err(format!("unknown language '{s}': use zh or en")),
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
        other => other,
    }
}
