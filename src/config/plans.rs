//! Emergency plans (应急预案) as data: the seven built in, replaced or extended by
//! TOML files in `DATA/checklists/`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::site::Site;
use crate::config::{line_of, parse_toml};
use crate::domain::{Bilingual, StepSnapshot};
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

/// Who does a step, in both languages (an unknown role is shown as written).
pub fn role_label(role: &str) -> Bilingual {
    match role {
        "desk" => Bilingual::new("Desk", "值班台"),
        "security" => Bilingual::new("Security", "秩序部"),
        "engineering" => Bilingual::new("Engineering", "工程部"),
        "duty-manager" => Bilingual::new("Duty manager", "值班经理"),
        _ => Bilingual::new("Other", "其他"),
    }
}

/// The line of the `n`th (from 0) `[[step]]` header, and of the first line after
/// it that contains `needle` (before the next header), so an error found after
/// parsing points at the step it is about rather than the first one in the file.
fn step_line(text: &str, n: usize, needle: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let Some(header) = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("[[step]]"))
        .nth(n)
        .map(|(i, _)| i)
    else {
        return line_of(text, needle);
    };
    lines[header + 1..]
        .iter()
        .take_while(|l| !l.trim_start().starts_with("[["))
        .position(|l| l.trim_start().starts_with(needle))
        .map(|i| header + 2 + i)
        .unwrap_or(header + 1)
}

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
        let at_step = |i: usize, needle: &str, what: String| {
            DeskError::Config(format!(
                "{}:{}: step {}: {what}",
                file.display(),
                step_line(text, i, needle),
                i + 1
            ))
        };
        let id_ok = !plan.id.is_empty()
            && plan
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !id_ok {
            return Err(err(
                "id",
                format!(
                    "the plan id '{}' must be one word of lowercase letters, digits and hyphens, like fire or gas-leak",
                    plan.id
                ),
            ));
        }
        if plan.name_en.trim().is_empty() || plan.name_zh.trim().is_empty() {
            return Err(err(
                "name_",
                "the plan needs its name in both `name_en` and `name_zh`".into(),
            ));
        }
        if plan.steps.is_empty() {
            return Err(err("id", format!("plan '{}' has no [[step]]", plan.id)));
        }
        for (i, s) in plan.steps.iter().enumerate() {
            if s.en.trim().is_empty() {
                return Err(at_step(i, "en", "the English text `en` is empty".into()));
            }
            if s.zh.trim().is_empty() {
                return Err(at_step(i, "zh", "the Chinese text `zh` is empty".into()));
            }
            if !ROLES.contains(&s.role.as_str()) {
                return Err(at_step(
                    i,
                    "role",
                    format!(
                        "unknown role '{}': use desk, security, engineering or duty-manager",
                        s.role
                    ),
                ));
            }
            if s.record_en.is_some() != s.record_zh.is_some() {
                return Err(at_step(
                    i,
                    "record_",
                    "a value to record needs its label in both `record_en` and `record_zh`".into(),
                ));
            }
            if s.deadline_minutes == Some(0) {
                return Err(at_step(
                    i,
                    "deadline_minutes",
                    "a deadline must be at least 1 minute".into(),
                ));
            }
            if s.contact.as_deref().is_some_and(|c| c.trim().is_empty()) {
                return Err(at_step(
                    i,
                    "contact",
                    "`contact` is empty: name a contact of site.toml, or leave the line out".into(),
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
            || self.name_zh.to_lowercase().contains(&n)
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
        let mut from_site: Vec<(String, std::path::PathBuf)> = Vec::new();
        for file in files {
            // Listed a moment ago: gone now reads as empty, and says so below.
            let text = crate::config::read_text(&file)?.unwrap_or_default();
            let plan = Plan::parse(&text, &file)?;
            // Two site files for one plan: which wins would depend on file names.
            if let Some((_, other)) = from_site.iter().find(|(id, _)| *id == plan.id) {
                return Err(DeskError::Config(format!(
                    "{}:{}: plan '{}' is also defined in {}: keep one file per plan",
                    file.display(),
                    line_of(&text, "id"),
                    plan.id,
                    other.display()
                )));
            }
            from_site.push((plan.id.clone(), file.clone()));
            match plans.all.iter_mut().find(|p| p.id == plan.id) {
                Some(existing) => *existing = plan,
                None => plans.all.push(plan),
            }
        }
        Ok(plans)
    }

    /// Contacts named by a plan that the site directory does not know: their
    /// numbers would be missing on the screen at the worst moment.
    pub fn unknown_contacts(&self, site: &Site) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for p in &self.all {
            for c in p.steps.iter().filter_map(|s| s.contact.as_deref()) {
                let pair = (p.id.clone(), c.to_string());
                if site.contact(c).is_none() && !out.contains(&pair) {
                    out.push(pair);
                }
            }
        }
        out
    }

    pub fn get(&self, id: &str) -> Option<&Plan> {
        let id = id.trim().to_lowercase();
        self.all.iter().find(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "id = \"lift-b\"\nname_en = \"Lift B\"\nname_zh = \"B梯\"\n\n[[step]]\nen = \"One\"\nzh = \"一\"\ncritical = true\nrole = \"desk\"\n\n[[step]]\nen = \"Two\"\nzh = \"二\"\ncritical = false\nrole = \"desk\"\n";

    fn parse(text: &str) -> Result<Plan, String> {
        Plan::parse(text, Path::new("site/lift-b.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn every_builtin_plan_loads_validates_and_knows_its_contacts() {
        let plans = Plans::builtin().unwrap();
        let ids: Vec<&str> = plans.all.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "elevator-entrapment",
                "power-cut",
                "gas-leak",
                "flooding",
                "fire",
                "theft",
                "injury"
            ]
        );
        for p in &plans.all {
            assert!(
                p.steps.iter().any(|s| s.critical),
                "{} has no critical step",
                p.id
            );
            assert!(!p.name_zh.is_empty() && !p.name_en.is_empty());
        }
        let site = Site::builtin().unwrap();
        assert_eq!(
            plans.unknown_contacts(&site),
            Vec::<(String, String)>::new()
        );
        let demo = Site::parse(crate::config::site::DEMO_SITE, Path::new("demo")).unwrap();
        assert_eq!(
            plans.unknown_contacts(&demo),
            Vec::<(String, String)>::new()
        );
    }

    #[test]
    fn a_good_site_plan_parses() {
        let p = parse(GOOD).unwrap();
        assert_eq!(p.steps.len(), 2);
        assert!(p.matches("b梯") && p.matches("LIFT") && !p.matches("fire"));
    }

    #[test]
    fn an_unknown_role_names_the_line_of_that_step() {
        let bad = GOOD.replacen("role = \"desk\"\n\n[[step]]\nen = \"Two\"\nzh = \"二\"\ncritical = false\nrole = \"desk\"", "role = \"desk\"\n\n[[step]]\nen = \"Two\"\nzh = \"二\"\ncritical = false\nrole = \"janitor\"", 1);
        let e = parse(&bad).unwrap_err();
        assert!(
            e.starts_with("site/lift-b.toml:15: step 2: unknown role 'janitor'"),
            "{e}"
        );
    }

    #[test]
    fn a_missing_or_empty_chinese_text_is_named_with_file_and_line() {
        let missing = GOOD.replace("zh = \"二\"\n", "");
        let e = parse(&missing).unwrap_err();
        assert!(e.starts_with("site/lift-b.toml:"), "{e}");
        assert!(e.contains("zh"), "{e}");
        let empty = GOOD.replace("zh = \"二\"", "zh = \" \"");
        let e = parse(&empty).unwrap_err();
        assert!(e.starts_with("site/lift-b.toml:13: step 2:"), "{e}");
    }

    #[test]
    fn bad_toml_and_bad_ids_are_refused() {
        let e = parse("id = \"x\"\nname_en = \n").unwrap_err();
        assert!(e.starts_with("site/lift-b.toml:2:"), "{e}");
        let e = parse(&GOOD.replace("lift-b", "Lift B")).unwrap_err();
        assert!(e.contains("lowercase"), "{e}");
        let e = parse(&GOOD.replace(
            "critical = true\n",
            "critical = true\ndeadline_minutes = 0\n",
        ))
        .unwrap_err();
        assert!(e.starts_with("site/lift-b.toml:9: step 1:"), "{e}");
    }

    #[test]
    fn site_files_replace_or_add_plans_and_may_not_clash() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), GOOD).unwrap();
        std::fs::write(dir.path().join("fire.toml"), GOOD.replace("lift-b", "fire")).unwrap();
        let plans = Plans::load(dir.path()).unwrap();
        assert_eq!(plans.all.len(), 8);
        assert_eq!(plans.get("fire").unwrap().name_en, "Lift B");
        std::fs::write(dir.path().join("b.toml"), GOOD).unwrap();
        let e = Plans::load(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("b.toml:1: plan 'lift-b' is also defined in"),
            "{e}"
        );
    }
}
