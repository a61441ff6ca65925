//! The site's own files: the directory of units and the emergency plans.

use super::{Check, Facts};
use crate::config::plans::Plans;
use crate::config::site::Site;

pub fn site(f: &mut Facts<'_>) -> Check {
    const NAME: &str = "site directory";
    match Site::load(f.dir) {
        Ok(s) if f.data.site().exists() => Check::ok(
            NAME,
            format!(
                "{} ({} buildings, {} places)",
                f.data.site().display(),
                s.buildings.len(),
                s.places.len()
            ),
        ),
        Ok(_) => Check::ok(
            NAME,
            "built-in default (no site.toml: units will not be recognised; see README)",
        ),
        Err(e) => Check::fail(
            NAME,
            e.to_string(),
            "mend the file at the line named, then run doctor again",
        ),
    }
}

pub fn plans(f: &mut Facts<'_>) -> Check {
    const NAME: &str = "emergency plans";
    match Plans::load(&f.data.checklists()) {
        Ok(p) => Check::ok(NAME, format!("{} plans", p.all.len())),
        Err(e) => Check::fail(
            NAME,
            e.to_string(),
            "mend the plan file named, then run doctor again",
        ),
    }
}
