//! `DATA/operators.toml`: which Unix users may act, under which name and role.
//! Without the file everyone who can reach the socket may act, under the name
//! they ask for. The file is read at each connection, so an edit takes effect for
//! the next client without restarting the owner.

use std::path::Path;

use serde::Deserialize;

use crate::config::{line_of, load_toml};
use crate::domain::identity::operator_name;
use crate::domain::{Actor, Lang, Role};
use crate::error::DeskError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OperatorsFile {
    #[serde(default)]
    operator: Vec<Operator>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Operator {
    pub unix_user: String,
    pub name: String,
    #[serde(deserialize_with = "role_in_toml")]
    pub role: Role,
}

/// The roles as written in the file, for the message when one is wrong.
const ROLES: &str =
    "role must be one of duty-manager, dispatcher, security (as text, e.g. role = \"dispatcher\")";

/// `role = 3` or `role = "boss"` is told which values are allowed; serde's own
/// words for a number ("wanted string or table") name none. TOML only: the
/// `Role` type itself stays as postcard reads it on the socket.
fn role_in_toml<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Role, D::Error> {
    let value = toml::Value::deserialize(d)?;
    let text = value.as_str().map(str::trim);
    [Role::DutyManager, Role::Dispatcher, Role::Security]
        .into_iter()
        .find(|r| Some(r.as_str()) == text)
        .ok_or_else(|| serde::de::Error::custom(format!("{ROLES}, not {value}")))
}

/// The operators listed in `file`, or `None` when there is no file.
pub fn load(file: &Path) -> Result<Option<Vec<Operator>>, DeskError> {
    let Some(parsed) = load_toml::<OperatorsFile>(file)? else {
        return Ok(None);
    };
    let text = crate::config::read_text(file)?.unwrap_or_default();
    let mut seen = std::collections::BTreeSet::new();
    for op in &parsed.operator {
        let place = |needle: &str| format!("{}:{}", file.display(), line_of(&text, needle));
        if op.unix_user.trim().is_empty() {
            return Err(DeskError::Config(format!(
                "{}: unix_user must not be empty",
                place("unix_user")
            )));
        }
        if let Err(why) = operator_name(&op.name) {
            return Err(DeskError::Config(format!(
                "{}: the name of {}: {}",
                place(&op.unix_user),
                op.unix_user,
                crate::domain::wording::reason(&why, Lang::En, &crate::domain::wording::Plain)
            )));
        }
        if !seen.insert(op.unix_user.clone()) {
            return Err(DeskError::Config(format!(
                "{}: unix_user \"{}\" is listed twice; keep one entry per user",
                place(&op.unix_user),
                op.unix_user
            )));
        }
    }
    Ok(Some(parsed.operator))
}

/// Who a client acts as: `unix_user` comes from the kernel, `requested` is the
/// name the client asked for (`--operator`), used only when there is no file.
pub fn resolve(file: &Path, unix_user: &str, requested: Option<&str>) -> Result<Actor, DeskError> {
    match load(file)? {
        None => {
            let name = match requested {
                Some(n) => operator_name(n).map_err(|why| DeskError::invalid("operator", why))?,
                None => unix_user.to_string(),
            };
            Ok(Actor::new(name, unix_user))
        }
        Some(ops) => match ops.into_iter().find(|o| o.unix_user == unix_user) {
            Some(op) => Ok(Actor {
                operator: op.name,
                unix_user: unix_user.to_string(),
                role: Some(op.role),
            }),
            None => Err(DeskError::Forbidden(
                crate::domain::Forbidden::UserNotListed {
                    unix_user: unix_user.to_string(),
                    file: file.display().to_string(),
                },
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("operators.toml");
        std::fs::write(&file, text).unwrap();
        (dir, file)
    }

    #[test]
    fn a_listed_user_gets_the_name_and_role_whatever_it_asks_for() {
        let (_d, file) = write(
            "[[operator]]\nunix_user = \"chen\"\nname = \"Chen Jing\"\nrole = \"duty-manager\"\n\
             [[operator]]\nunix_user = \"li\"\nname = \"李强\"\nrole = \"security\"\n",
        );
        let a = resolve(&file, "li", Some("someone else")).unwrap();
        assert_eq!(a.operator, "李强");
        assert_eq!(a.role, Some(Role::Security));
        let err = resolve(&file, "zhao", None).unwrap_err();
        assert!(err.to_string().contains("\"zhao\" is not listed"), "{err}");
    }

    #[test]
    fn without_a_file_the_requested_name_is_used() {
        let dir = tempfile::tempdir().unwrap();
        let a = resolve(&dir.path().join("operators.toml"), "chen", Some("陈")).unwrap();
        assert_eq!((a.operator.as_str(), a.role), ("陈", None));
        let a = resolve(&dir.path().join("operators.toml"), "chen", None).unwrap();
        assert_eq!(a.operator, "chen");
    }

    #[test]
    fn bad_files_name_the_line() {
        let (_d, file) =
            write("[[operator]]\nunix_user = \"chen\"\nname = \"C\"\nrole = \"guard\"\n");
        let err = resolve(&file, "chen", None).unwrap_err().to_string();
        assert!(err.contains("operators.toml:4"), "{err}");
        let (_d, file) = write(
            "[[operator]]\nunix_user = \"chen\"\nname = \"C\"\nrole = \"security\"\n\
             [[operator]]\nunix_user = \"chen\"\nname = \"D\"\nrole = \"security\"\n",
        );
        let err = resolve(&file, "chen", None).unwrap_err().to_string();
        assert!(err.contains("listed twice"), "{err}");
    }

    #[test]
    fn names_in_the_file_and_in_a_hello_are_checked_like_any_operator_name() {
        let (_d, file) = write(
            "[[operator]]\nunix_user = \"chen\"\nname = \"\\u001b[31mEVIL\"\nrole = \"security\"\n",
        );
        let err = resolve(&file, "chen", None).unwrap_err().to_string();
        assert!(err.contains("operators.toml:2"), "{err}");
        assert!(err.contains("control characters"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let none = dir.path().join("operators.toml");
        let err = resolve(&none, "chen", Some(&"x".repeat(100_000))).unwrap_err();
        assert!(matches!(err, DeskError::Invalid { .. }), "{err}");
        assert!(err.to_string().contains("at most 64 characters"), "{err}");
        assert_eq!(resolve(&none, "chen", Some(" 陈 ")).unwrap().operator, "陈");
    }
}
