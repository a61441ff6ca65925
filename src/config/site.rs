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

/// A common place (a gate, a lift, the garage). Its `id` is what the log
/// records; `name_en`/`name_zh` are what each language's screens show, and
/// `aliases` are other names operators type for it (all complete to the id).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub id: String,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default)]
    pub name_zh: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl Place {
    /// Every name the place answers to: id, both names, aliases.
    fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str())
            .chain(self.name_en.as_deref())
            .chain(self.name_zh.as_deref())
            .chain(self.aliases.iter().map(String::as_str))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub phone: String,
}

/// Service targets (the manuals' 时效制: a promise is kept within the time
/// promised), per kind of ticket. First contact: from the call to its dispatch
/// (or to its answer, for a call settled on the phone). Resolution: from the
/// call to done. Then the return call. A kind left out of a map has no such
/// target; a ticket that follows an emergency run has the run's deadlines instead.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// Minutes from the call to first contact (dispatch), by kind. Repairs: 5.
    #[serde(default = "default_dispatch")]
    pub dispatch_minutes: BTreeMap<Kind, u32>,
    /// Minutes from the call to done, by kind.
    #[serde(default = "default_resolution")]
    pub resolution_minutes: BTreeMap<Kind, u32>,
    /// Minutes from `done` to the return call.
    #[serde(default = "default_callback")]
    pub callback_minutes: u32,
}

fn default_dispatch() -> BTreeMap<Kind, u32> {
    BTreeMap::from([
        (Kind::Repair, 5),
        (Kind::Complaint, 30),
        (Kind::Inquiry, 30),
        (Kind::Help, 10),
        (Kind::Emergency, 2),
    ])
}

fn default_resolution() -> BTreeMap<Kind, u32> {
    BTreeMap::from([
        (Kind::Repair, 24 * 60),
        (Kind::Complaint, 24 * 60),
        (Kind::Inquiry, 4 * 60),
        (Kind::Help, 2 * 60),
    ])
}

fn default_callback() -> u32 {
    24 * 60
}

impl Default for Targets {
    fn default() -> Targets {
        Targets {
            dispatch_minutes: default_dispatch(),
            resolution_minutes: default_resolution(),
            callback_minutes: default_callback(),
        }
    }
}

/// `[phones]`: what a caller's number looks like here (defaults: mainland China).
/// Short service numbers (110, 96333, an extension) are accepted only when the
/// directory lists them (a department, a contact, or `service_numbers`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneRules {
    #[serde(default = "default_mobile_digits")]
    pub mobile_digits: usize,
    /// What a mobile number starts with.
    #[serde(default = "default_mobile_prefix")]
    pub mobile_prefix: String,
    /// What a landline's area code starts with.
    #[serde(default = "default_area_prefix")]
    pub area_code_prefix: String,
    /// A landline's digits with its area code (010-1234567 to 0571-88235617).
    #[serde(default = "default_landline_min")]
    pub landline_min_digits: usize,
    #[serde(default = "default_landline_max")]
    pub landline_max_digits: usize,
    /// The country code a number may be written with (`+86`, `0086`).
    #[serde(default = "default_country")]
    pub country_code: String,
    /// Further short numbers a caller may call from (besides the directory's).
    #[serde(default)]
    pub service_numbers: Vec<String>,
}

fn default_mobile_digits() -> usize {
    11
}
fn default_mobile_prefix() -> String {
    "1".into()
}
fn default_area_prefix() -> String {
    "0".into()
}
fn default_landline_min() -> usize {
    10
}
fn default_landline_max() -> usize {
    12
}
fn default_country() -> String {
    "86".into()
}

impl Default for PhoneRules {
    fn default() -> PhoneRules {
        PhoneRules {
            mobile_digits: default_mobile_digits(),
            mobile_prefix: default_mobile_prefix(),
            area_code_prefix: default_area_prefix(),
            landline_min_digits: default_landline_min(),
            landline_max_digits: default_landline_max(),
            country_code: default_country(),
            service_numbers: Vec::new(),
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
    #[serde(default)]
    pub phones: PhoneRules,
}

/// `text` without `prefix` at its start, any case; None if it does not start so.
fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    if prefix.is_empty() {
        return None;
    }
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
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
        // A name that two places answer to would record a call against either.
        let mut names: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
        for p in &site.places {
            for n in p.names().collect::<std::collections::BTreeSet<_>>() {
                if let Some(other) = names.insert(n.to_lowercase(), p.id.as_str()) {
                    if other != p.id {
                        return Err(DeskError::Config(format!(
                            "{}:{}: the name '{n}' is used by places '{other}' and '{}'; give each place its own names",
                            file.display(),
                            nth_line_of(text, &format!("\"{n}\""), 2),
                            p.id
                        )));
                    }
                }
            }
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

    /// Whether the directory knows this unit or place (by id or any of its names).
    pub fn knows_unit(&self, unit: &str) -> bool {
        self.resolve_unit(unit).is_some()
    }

    /// The id the log records for what an operator typed: a place by its id, its
    /// names or an alias ("3栋A梯" is "Lift 3-A"), a flat as `3-1502` also when
    /// typed with the building's name ("3栋1502"). None: the directory has no such unit.
    pub fn resolve_unit(&self, typed: &str) -> Option<String> {
        let u = typed.trim();
        if let Some(p) = self
            .places
            .iter()
            .find(|p| p.names().any(|n| n.eq_ignore_ascii_case(u)))
        {
            return Some(p.id.clone());
        }
        let (building, rest) = self.split_flat(u)?;
        if rest.len() != 4 || !rest.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let floor: u32 = rest[..2].parse().ok()?;
        let unit_no: u32 = rest[2..].parse().ok()?;
        let known = (1..=building.floors).contains(&floor)
            && (1..=building.units_per_floor).contains(&unit_no);
        known.then(|| format!("{}-{rest}", building.id))
    }

    /// A flat's building and the rest, from `3-1502`, `3栋1502` or `Building 3 1502`.
    fn split_flat<'a>(&self, u: &'a str) -> Option<(&Building, &'a str)> {
        if let Some((b, rest)) = u.split_once('-') {
            if let Some(building) = self.buildings.iter().find(|x| x.id == b.trim()) {
                return Some((building, rest.trim()));
            }
        }
        self.buildings.iter().find_map(|b| {
            [b.name_zh.as_str(), b.name_en.as_str()]
                .into_iter()
                .find_map(|name| strip_prefix_ci(u, name))
                .map(|rest| (b, rest.trim_start_matches(['-', ' '])))
        })
    }

    /// The warning the call form shows before saving, when the directory does not
    /// know the unit (the same warning the desk gives when it records the call).
    pub fn check_unit(&self, typed: &str) -> Option<crate::domain::Warning> {
        let u = typed.trim();
        (!u.is_empty() && !self.knows_unit(u)).then(|| crate::domain::Warning::UnknownUnit {
            unit: u.to_string(),
        })
    }

    /// A unit or place by the name of `lang`: "3栋A梯" or "Lift 3-A", "3栋1502"
    /// or "3-1502". A unit the directory does not know reads as recorded.
    pub fn place_name(&self, unit: &str, lang: crate::domain::Lang) -> String {
        use crate::domain::Lang;
        let u = unit.trim();
        if let Some(p) = self.places.iter().find(|p| p.id.eq_ignore_ascii_case(u)) {
            let name = match lang {
                Lang::Zh => p.name_zh.as_deref(),
                Lang::En => p.name_en.as_deref(),
            };
            return name.unwrap_or(&p.id).to_string();
        }
        if lang == Lang::Zh {
            if let Some((b, rest)) = u.split_once('-') {
                if let Some(building) = self.buildings.iter().find(|x| x.id == b) {
                    return format!("{}{rest}", building.name_zh);
                }
            }
        }
        unit.to_string()
    }

    /// A common place by the name of `lang`, a flat as recorded; borrowed, for
    /// screens that lay out `&str` (prefer [`Site::place_name`], which names flats too).
    pub fn unit_label<'a>(&'a self, unit: &'a str, lang: crate::domain::Lang) -> &'a str {
        use crate::domain::Lang;
        self.places
            .iter()
            .find(|p| p.id.eq_ignore_ascii_case(unit.trim()))
            .and_then(|p| match lang {
                Lang::Zh => p.name_zh.as_deref(),
                Lang::En => p.name_en.as_deref(),
            })
            .unwrap_or(unit)
    }

    /// Units and places whose id or any name starts with what was typed, for
    /// completion (at most `limit`); each is offered by its id, which the log records.
    pub fn complete_unit(&self, prefix: &str, limit: usize) -> Vec<String> {
        let p = prefix.trim().to_lowercase();
        if p.is_empty() {
            return Vec::new();
        }
        let starts = |n: &str| n.to_lowercase().starts_with(&p);
        let places = self
            .places
            .iter()
            .filter(|pl| pl.names().any(starts))
            .map(|pl| pl.id.clone());
        // A flat typed with its building's Chinese name: "3栋15" offers 3-1501….
        let flats = self
            .units()
            .filter(|u| starts(u) || starts(&self.place_name(u, crate::domain::Lang::Zh)));
        flats.chain(places).take(limit).collect()
    }

    /// The caller's number as typed (trimmed), if it is one by the site's rules:
    /// digits with the usual separators and an optional leading +; a mobile of
    /// the right length, a landline with its area code, or a short number the
    /// directory lists. What a screen shows is what was typed (`0571-88235617`);
    /// numbers are compared by their digits ([`crate::domain::phone_digits`]).
    pub fn check_phone(&self, typed: &str) -> Result<String, crate::domain::Reason> {
        use crate::domain::{PhoneRule, Reason};
        let t = typed.trim();
        for (i, c) in t.chars().enumerate() {
            match c {
                '0'..='9' | ' ' | '-' | '(' | ')' | '.' => {}
                '+' if i == 0 => {}
                _ => {
                    return Err(Reason::NotAPhone {
                        text: t.to_string(),
                    })
                }
            }
        }
        let all = crate::domain::phone_digits(t);
        let rules = &self.phones;
        let intl = format!("00{}", rules.country_code);
        let national = if t.starts_with('+') {
            match all.strip_prefix(rules.country_code.as_str()) {
                Some(rest) => rest.to_string(),
                // Another country's number: E.164 allows up to 15 digits.
                None if (7..=15).contains(&all.len()) => return Ok(t.to_string()),
                None => {
                    return Err(Reason::PhoneDigits {
                        text: t.to_string(),
                        digits: all.len(),
                    })
                }
            }
        } else {
            all.strip_prefix(intl.as_str()).unwrap_or(&all).to_string()
        };
        let digits = national.len();
        if !(3..=20).contains(&digits) {
            return Err(Reason::PhoneDigits {
                text: t.to_string(),
                digits,
            });
        }
        let rule = |rule| {
            Err(Reason::PhoneRule {
                text: t.to_string(),
                digits,
                rule,
            })
        };
        if self.lists_number(&national) {
            return Ok(t.to_string());
        }
        if digits <= 6 {
            return rule(PhoneRule::ShortNotListed);
        }
        if national.starts_with(&rules.mobile_prefix) {
            if digits != rules.mobile_digits {
                return rule(PhoneRule::Mobile {
                    digits: rules.mobile_digits,
                });
            }
            return Ok(t.to_string());
        }
        if national.starts_with(&rules.area_code_prefix) {
            if !(rules.landline_min_digits..=rules.landline_max_digits).contains(&digits) {
                return rule(PhoneRule::Landline {
                    min: rules.landline_min_digits,
                    max: rules.landline_max_digits,
                });
            }
            return Ok(t.to_string());
        }
        if digits <= 8 {
            return rule(PhoneRule::NeedsAreaCode);
        }
        rule(PhoneRule::Landline {
            min: rules.landline_min_digits,
            max: rules.landline_max_digits,
        })
    }

    /// Whether the directory lists this number (digits only): a department's
    /// extension, an outside service, or one of `[phones] service_numbers`.
    fn lists_number(&self, digits: &str) -> bool {
        self.contacts
            .iter()
            .chain(&self.departments)
            .map(|c| c.phone.as_str())
            .chain(self.phones.service_numbers.iter().map(String::as_str))
            .any(|p| crate::domain::phone_digits(p) == digits)
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
    fn units_resolve_and_complete_from_chinese_names_and_aliases() {
        let site = Site::parse(DEMO_SITE, Path::new("site.toml")).unwrap();
        for typed in ["Lift 3-A", "lift 3-a", "3栋A梯", "3A梯", "3号楼A梯"] {
            assert_eq!(
                site.resolve_unit(typed).as_deref(),
                Some("Lift 3-A"),
                "{typed}"
            );
        }
        assert_eq!(site.resolve_unit("3栋1502").as_deref(), Some("3-1502"));
        assert_eq!(
            site.resolve_unit("Building 3 1502").as_deref(),
            Some("3-1502")
        );
        // Building 3 has 18 floors: 3栋1905 is fine, 3栋1905 in a 6-floor block is not.
        assert_eq!(site.resolve_unit("4栋0701"), None);
        let w = site.check_unit("4栋0701");
        assert!(
            matches!(&w, Some(crate::domain::Warning::UnknownUnit { unit }) if unit == "4栋0701"),
            "{w:?}"
        );
        assert_eq!(site.check_unit("3栋A梯"), None);
        assert_eq!(
            site.check_unit("  "),
            None,
            "nothing typed, nothing to warn of"
        );
        // Completion offers the id the log records, whatever name was typed.
        assert_eq!(site.complete_unit("3栋A", 5), vec!["Lift 3-A"]);
        assert_eq!(site.complete_unit("3A梯", 5), vec!["Lift 3-A"]);
        let flats = site.complete_unit("3栋150", 10);
        assert_eq!(flats, vec!["3-1501", "3-1502", "3-1503", "3-1504"]);
        assert_eq!(site.complete_unit("南门", 5), vec!["Main gate"]);
    }

    #[test]
    fn a_name_two_places_answer_to_is_refused_at_its_line() {
        let text = "[site]\nname_en = \"S\"\nname_zh = \"项目\"\n\
                    [[place]]\nid = \"Lift 3-A\"\naliases = [\"3A梯\"]\n\
                    [[place]]\nid = \"Lift 3-B\"\naliases = [\"3A梯\"]\n";
        let err = Site::parse(text, Path::new("site.toml")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "site.toml:9: the name '3A梯' is used by places 'Lift 3-A' and 'Lift 3-B'; give each place its own names"
        );
    }

    #[test]
    fn a_place_reads_by_the_name_of_the_screens_language() {
        let site = Site::parse(DEMO_SITE, Path::new("site.toml")).unwrap();
        assert_eq!(site.place_name("Lift 3-A", Lang::Zh), "3栋A梯");
        assert_eq!(site.place_name("Lift 3-A", Lang::En), "Lift 3-A");
        assert_eq!(site.place_name("3-1502", Lang::Zh), "3栋1502");
        assert_eq!(site.place_name("3-1502", Lang::En), "3-1502");
        assert_eq!(site.place_name("B9 仓库", Lang::Zh), "B9 仓库");
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
