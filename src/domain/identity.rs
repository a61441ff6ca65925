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

/// Whether `name` may stand on records as an operator's name: it is shown on
/// every screen and in every export, so it may hold no control characters.
pub fn check_name(name: &str) -> Result<(), crate::domain::Reason> {
    if name.chars().any(char::is_control) {
        return Err(crate::domain::Reason::ControlCharacters {
            text: name.to_string(),
        });
    }
    Ok(())
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
