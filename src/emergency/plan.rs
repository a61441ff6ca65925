//! Emergency plans (应急预案) as data: the seven built in, replaced or extended by
//! TOML files in `DATA/checklists/`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::site::Site;
use crate::config::{line_of, parse_toml};
use crate::domain::StepSnapshot;
use crate::error::DeskError;

const BUILTIN: [(&str, &str); 7] = [
    (
        "elevator-entrapment",
        include_str!("plans/elevator-entrapment.toml"),
    ),
    ("power-cut", include_str!("plans/power-cut.toml")),
    ("gas-leak", include_str!("plans/gas-leak.toml")),
    ("flooding", include_str!("plans/flooding.toml")),
    ("fire", include_str!("plans/fire.toml")),
    ("theft", include_str!("plans/theft.toml")),
    ("injury", include_str!("plans/injury.toml")),
];

const ROLES: [&str; 4] = ["desk", "security", "engineering", "duty-manager"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub en: String,
    pub zh: String,
    pub critical: bool,
    pub role: String,
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub deadline_minutes: Option<u32>,
    #[serde(default)]
    pub record_en: Option<String>,
    #[serde(default)]
    pub record_zh: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    #[serde(rename = "step")]
    pub steps: Vec<Step>,
}

impl Plan {
    pub fn parse(text: &str, file: &Path) -> Result<Plan, DeskError> {
        let plan: Plan = parse_toml(text, file)?;
        let err = |needle: &str, what: String| {
            DeskError::Config(format!(
                "{}:{}: {what}",
                file.display(),
                line_of(text, needle)
            ))
        };
        if plan.id.trim().is_empty() || plan.id.chars().any(char::is_whitespace) {
            return Err(err(
                "id",
                "the plan id must be one word, like fire or gas-leak".into(),
            ));
        }
        if plan.steps.is_empty() {
            return Err(err("id", format!("plan '{}' has no [[step]]", plan.id)));
        }
        for s in &plan.steps {
            if s.en.trim().is_empty() || s.zh.trim().is_empty() {
                return Err(err(
                    "[[step]]",
                    "every step needs its text in both `en` and `zh`".into(),
                ));
            }
            if !ROLES.contains(&s.role.as_str()) {
                return Err(err(
                    &format!("\"{}\"", s.role),
                    format!(
                        "unknown role '{}': use desk, security, engineering or duty-manager",
                        s.role
                    ),
                ));
            }
            if s.record_en.is_some() != s.record_zh.is_some() {
                return Err(err(
                    "record_",
                    "a value to record needs its label in both `record_en` and `record_zh`".into(),
                ));
            }
            if s.deadline_minutes == Some(0) {
                return Err(err(
                    "deadline_minutes",
                    "a deadline must be at least 1 minute".into(),
                ));
            }
        }
        Ok(plan)
    }

    /// The steps as the run will record them, with the contacts' numbers filled in.
    pub fn snapshot(&self, site: &Site) -> Vec<StepSnapshot> {
        self.steps
            .iter()
            .map(|s| StepSnapshot {
                en: s.en.clone(),
                zh: s.zh.clone(),
                critical: s.critical,
                role: s.role.clone(),
                contact: s.contact.clone(),
                contact_phone: s
                    .contact
                    .as_deref()
                    .and_then(|c| site.contact(c))
                    .map(|c| c.phone.clone()),
                deadline_minutes: s.deadline_minutes,
                record_en: s.record_en.clone(),
                record_zh: s.record_zh.clone(),
            })
            .collect()
    }

    /// Matches the picker's filter: the id, or the English or Chinese name.
    pub fn matches(&self, needle: &str) -> bool {
        let n = needle.trim().to_lowercase();
        n.is_empty()
            || self.id.contains(&n)
            || self.name_en.to_lowercase().contains(&n)
            || self.name_zh.contains(needle.trim())
    }
}

/// The plans a desk knows: built-in ones, with the site's files laid over them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Plans {
    pub all: Vec<Plan>,
}

impl Plans {
    pub fn builtin() -> Result<Plans, DeskError> {
        let mut all = Vec::new();
        for (id, text) in BUILTIN {
            all.push(Plan::parse(
                text,
                Path::new(&format!("<built-in {id}.toml>")),
            )?);
        }
        Ok(Plans { all })
    }

    /// Built-in plans, then every `*.toml` in `dir` (a plan with a known id replaces it).
    pub fn load(dir: &Path) -> Result<Plans, DeskError> {
        let mut plans = Plans::builtin()?;
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(plans),
            Err(e) => {
                return Err(DeskError::Config(format!(
                    "{}: cannot be read: {e}",
                    dir.display()
                )))
            }
        };
        let mut files: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).map_err(|e| {
                DeskError::Config(format!("{}: cannot be read: {e}", file.display()))
            })?;
            let plan = Plan::parse(&text, &file)?;
            match plans.all.iter_mut().find(|p| p.id == plan.id) {
                Some(existing) => *existing = plan,
                None => plans.all.push(plan),
            }
        }
        Ok(plans)
    }

    pub fn get(&self, id: &str) -> Option<&Plan> {
        let id = id.trim().to_lowercase();
        self.all.iter().find(|p| p.id == id)
    }
}
