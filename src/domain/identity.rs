//! Who is acting: the display name on the record, the OS account, and a role.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    DutyManager,
    Dispatcher,
    Security,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::DutyManager => "duty-manager",
            Role::Dispatcher => "dispatcher",
            Role::Security => "security",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The person behind a command. `role` is `None` where the site has no
/// `operators.toml`: then everyone with access to the data directory may act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub operator: String,
    pub unix_user: String,
    pub role: Option<Role>,
}

impl Actor {
    pub fn new(operator: impl Into<String>, unix_user: impl Into<String>) -> Actor {
        Actor {
            operator: operator.into(),
            unix_user: unix_user.into(),
            role: None,
        }
    }
}

/// The longest operator name, in characters: a name is shown in table columns
/// and headers on every operator's screen.
pub const MAX_NAME_CHARS: usize = 64;

/// An operator name as it may be recorded: trimmed, not empty, at most
/// [`MAX_NAME_CHARS`] characters and no control characters (an escape sequence
/// in a name would be replayed into every terminal that shows the record).
/// Every place a name enters (`--operator`, `DUTYDESK_OPERATOR`, the socket
/// hello, operators.toml, the `--to` of a handover) goes through here. The
/// error is the reason, in both languages; the caller names the field.
pub fn operator_name(raw: &str) -> Result<String, crate::domain::Reason> {
    use crate::domain::Reason;
    let name = raw.trim();
    if name.is_empty() {
        return Err(Reason::Empty);
    }
    if name.chars().any(char::is_control) {
        return Err(Reason::ControlCharacters {
            text: name.to_string(),
        });
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Reason::TooLong {
            max: MAX_NAME_CHARS,
        });
    }
    Ok(name.to_string())
}

/// The login name of the account running this process.
pub fn current_unix_user() -> String {
    user_name_of(unsafe { libc::geteuid() })
}

/// The account name for a uid, or the number when the account has no name.
pub fn user_name_of(uid: u32) -> String {
    let mut buf = vec![0u8; 4096];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: getpwuid_r writes into the buffers we own and sets result to &pwd or null.
    let rc = unsafe {
        libc::getpwuid_r(
            uid,
            &mut pwd,
            buf.as_mut_ptr() as *mut libc::c_char,
            buf.len(),
            &mut result,
        )
    };
    if rc == 0 && !result.is_null() && !pwd.pw_name.is_null() {
        // SAFETY: pw_name points into buf and is NUL-terminated.
        let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
        if let Ok(s) = name.to_str() {
            return s.to_string();
        }
    }
    uid.to_string()
}

#[cfg(test)]
mod name_tests {
    use super::*;
    use crate::domain::Reason;

    #[test]
    fn names_are_trimmed_and_plain_text_of_at_most_64_characters() {
        assert_eq!(operator_name("  陈静 ").unwrap(), "陈静");
        assert_eq!(operator_name(&"名".repeat(64)).unwrap(), "名".repeat(64));
        assert!(matches!(
            operator_name("\u{1b}[31mEVIL\u{1b}[0m"),
            Err(Reason::ControlCharacters { .. })
        ));
        assert_eq!(
            operator_name(&"x".repeat(100_000)),
            Err(Reason::TooLong { max: 64 })
        );
        assert_eq!(operator_name(" \t "), Err(Reason::Empty));
        assert!(operator_name("a\nb").is_err());
    }
}
