//! The site directory: buildings and units, common places, departments with their
//! on-duty phones, outside services, and the service targets.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::{line_of, load_toml, nth_line_of, parse_toml, read_text};
use crate::domain::{Department, Kind};
use crate::error::DeskError;

pub const DEFAULT_SITE: &str = include_str!("default_site.toml");
/// The demo site (`dutydesk demo`); here so the site's own tests can read it.
pub const DEMO_SITE: &str = include_str!("../../fixtures/demo/site.toml");

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteName {
    pub name_en: String,
    pub name_zh: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Building {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub floors: u32,
    pub units_per_floor: u32,
    #[serde(default)]
    pub lifts: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub id: String,
    #[serde(default)]
    pub name_zh: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub phone: String,
}

/// Service targets: how soon a call must be dispatched, and a resident called back.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// Minutes from the call to dispatch, by kind. Repairs: 5 (the manuals' rule).
    #[serde(default = "default_dispatch")]
    pub dispatch_minutes: BTreeMap<Kind, u32>,
    /// Minutes from `done` to the return call.
    #[serde(default = "default_callback")]
    pub callback_minutes: u32,
}

fn default_dispatch() -> BTreeMap<Kind, u32> {
    BTreeMap::from([(Kind::Repair, 5), (Kind::Emergency, 2), (Kind::Help, 10)])
}

fn default_callback() -> u32 {
    24 * 60
}

impl Default for Targets {
    fn default() -> Targets {
        Targets {
            dispatch_minutes: default_dispatch(),
            callback_minutes: default_callback(),
        }
    }
}

/// `[clock]`: how far the system clock may move between two looks before the
/// desk records it as a jump (see `rules::clock`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockRules {
    #[serde(default = "default_max_jump")]
    pub max_jump_minutes: u32,
}

fn default_max_jump() -> u32 {
    30
}

impl Default for ClockRules {
    fn default() -> ClockRules {
        ClockRules {
            max_jump_minutes: default_max_jump(),
        }
    }
}

impl ClockRules {
    pub fn max_jump_us(&self) -> i64 {
        i64::from(self.max_jump_minutes) * 60 * 1_000_000
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    pub site: SiteName,
    #[serde(default, rename = "building")]
    pub buildings: Vec<Building>,
    #[serde(default, rename = "place")]
    pub places: Vec<Place>,
    #[serde(default, rename = "department")]
    pub departments: Vec<Contact>,
    #[serde(default, rename = "contact")]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub targets: Targets,
    #[serde(default)]
    pub clock: ClockRules,
}

impl Site {
    /// The site's own `site.toml` in the data directory, or the built-in default.
    pub fn load(data_dir: &Path) -> Result<Site, DeskError> {
        let file = data_dir.join("site.toml");
        match read_text(&file)? {
            Some(text) => Site::parse(&text, &file),
            None => Site::builtin(),
        }
    }

    pub fn builtin() -> Result<Site, DeskError> {
        Site::parse(DEFAULT_SITE, Path::new("<built-in site.toml>"))
    }

    pub fn parse(text: &str, file: &Path) -> Result<Site, DeskError> {
        let site: Site = parse_toml(text, file)?;
        for d in &site.departments {
            if d.id.parse::<Department>().is_err() {
                return Err(DeskError::Config(format!(
                    "{}:{}: unknown department '{}': use engineering, security, cleaning or customer-service",
                    file.display(),
                    line_of(text, &format!("\"{}\"", d.id)),
                    d.id
                )));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for c in site.contacts.iter().chain(&site.departments) {
            if !seen.insert(c.id.as_str()) {
                return Err(DeskError::Config(format!(
                    "{}:{}: the id '{}' is used twice",
                    file.display(),
                    line_of(text, &format!("\"{}\"", c.id)),
                    c.id
                )));
            }
        }
        if site.clock.max_jump_minutes == 0 || site.clock.max_jump_minutes > 24 * 60 {
            return Err(DeskError::Config(format!(
                "{}:{}: [clock] max_jump_minutes must be 1 to 1440 (minutes), e.g. 30",
                file.display(),
                line_of(text, "max_jump_minutes"),
            )));
        }
        let mut buildings = std::collections::HashSet::new();
        for b in &site.buildings {
            if !buildings.insert(b.id.as_str()) {
                return Err(DeskError::Config(format!(
                    "{}:{}: building '{}' is listed twice; give each building its own id",
                    file.display(),
                    nth_line_of(text, &format!("\"{}\"", b.id), 2),
                    b.id
                )));
            }
            if b.floors == 0 || b.floors > 200 || b.units_per_floor == 0 || b.units_per_floor > 99 {
                return Err(DeskError::Config(format!(
                    "{}:{}: building '{}' needs 1-200 floors and 1-99 units per floor",
                    file.display(),
                    line_of(text, &format!("\"{}\"", b.id)),
                    b.id
                )));
            }
        }
        Ok(site)
    }

    /// Writes nothing; reads `DATA/site.toml` if present. Used by `demo` to install its site.
    pub fn load_file(file: &Path) -> Result<Option<Site>, DeskError> {
        load_toml(file)
    }

    pub fn name(&self, lang: crate::domain::Lang) -> &str {
        match lang {
            crate::domain::Lang::En => &self.site.name_en,
            crate::domain::Lang::Zh => &self.site.name_zh,
        }
    }

    /// Every unit of every building, as `1-0101`.
    pub fn units(&self) -> impl Iterator<Item = String> + '_ {
        self.buildings.iter().flat_map(|b| {
            (1..=b.floors).flat_map(move |f| {
                (1..=b.units_per_floor).map(move |u| format!("{}-{:02}{:02}", b.id, f, u))
            })
        })
    }

    /// Whether the directory knows this unit or place.
    pub fn knows_unit(&self, unit: &str) -> bool {
        let u = unit.trim();
        if self
            .places
            .iter()
            .any(|p| p.id.eq_ignore_ascii_case(u) || p.name_zh.as_deref() == Some(u))
        {
            return true;
        }
        let Some((b, rest)) = u.split_once('-') else {
            return false;
        };
        let Some(building) = self.buildings.iter().find(|x| x.id == b) else {
            return false;
        };
        if rest.len() != 4 || !rest.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
        let floor: u32 = rest[..2].parse().unwrap_or(0);
        let unit_no: u32 = rest[2..].parse().unwrap_or(0);
        (1..=building.floors).contains(&floor) && (1..=building.units_per_floor).contains(&unit_no)
    }

    /// A unit as an operator of `lang` reads it: a common place by its Chinese
    /// name in Chinese ("地下车库B1" for "B1 garage"), a flat as its number.
    pub fn unit_label<'a>(&'a self, unit: &'a str, lang: crate::domain::Lang) -> &'a str {
        if lang == crate::domain::Lang::Zh {
            if let Some(zh) = self
                .places
                .iter()
                .find(|p| p.id.eq_ignore_ascii_case(unit.trim()))
                .and_then(|p| p.name_zh.as_deref())
            {
                return zh;
            }
        }
        unit
    }

    /// Units and places that start with what was typed, for completion (at most `limit`).
    pub fn complete_unit(&self, prefix: &str, limit: usize) -> Vec<String> {
        let p = prefix.trim().to_lowercase();
        if p.is_empty() {
            return Vec::new();
        }
        self.units()
            .chain(self.places.iter().map(|pl| pl.id.clone()))
            .filter(|u| u.to_lowercase().starts_with(&p))
            .take(limit)
            .collect()
    }

    /// A department or outside contact by id.
    pub fn contact(&self, id: &str) -> Option<&Contact> {
        self.contacts
            .iter()
            .chain(&self.departments)
            .find(|c| c.id == id)
    }

    pub fn department_phone(&self, d: Department) -> Option<&str> {
        self.departments
            .iter()
            .find(|c| c.id == d.as_str())
            .map(|c| c.phone.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;

    #[test]
    fn common_places_read_by_their_chinese_name_in_chinese() {
        let site = Site::parse(DEMO_SITE, Path::new("site.toml")).unwrap();
        let place = &site.places[0];
        let zh = place.name_zh.clone().unwrap();
        assert_eq!(site.unit_label(&place.id, Lang::Zh), zh);
        assert_eq!(site.unit_label(&place.id, Lang::En), place.id);
        assert_eq!(site.unit_label("1-0101", Lang::Zh), "1-0101");
        assert!(site.knows_unit("1-1804") && !site.knows_unit("1-1905"));
    }

    #[test]
    fn a_building_listed_twice_is_refused_at_its_second_line() {
        let b = "[[building]]\nid = \"1\"\nname_en = \"B\"\nname_zh = \"楼\"\nfloors = 2\nunits_per_floor = 2\n";
        let text = format!("[site]\nname_en = \"S\"\nname_zh = \"项目\"\n{b}{b}");
        let err = Site::parse(&text, Path::new("site.toml")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "site.toml:11: building '1' is listed twice; give each building its own id"
        );
    }

    #[test]
    fn a_site_file_not_in_utf8_is_named_with_its_line_and_byte() {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = b"[site]\nname_en = \"S\"\nname_zh = \"".to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe]);
        bytes.extend_from_slice(b"\"\n");
        std::fs::write(dir.path().join("site.toml"), bytes).unwrap();
        let err = Site::load(dir.path()).unwrap_err().to_string();
        assert!(
            err.ends_with("site.toml line 3: not UTF-8 text (byte 0xff); save the file as UTF-8"),
            "{err}"
        );
    }

    #[test]
    fn the_clock_bound_has_a_default_and_is_checked() {
        assert_eq!(Site::builtin().unwrap().clock.max_jump_minutes, 30);
        let text = "[site]\nname_en = \"S\"\nname_zh = \"项目\"\n[clock]\nmax_jump_minutes = 0\n";
        let err = Site::parse(text, Path::new("site.toml")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("site.toml:5: [clock] max_jump_minutes"),
            "{err}"
        );
    }
}
