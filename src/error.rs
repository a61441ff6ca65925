//! Typed errors of the library. The binary turns each into a sentence and an exit code.

use thiserror::Error;

use crate::domain::Lang;

#[derive(Debug, Error, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DeskError {
    /// A field of a command is wrong: which field, and why.
    #[error("{field}: {}", en(reason))]
    Invalid { field: String, reason: String },

    /// Nothing by that id.
    #[error("{}", en(.0))]
    NotFound(String),

    /// The move is not legal in the current state; the message says what is.
    #[error("{}", en(.0))]
    Refused(String),

    /// The operator's role does not allow this command.
    #[error("{}", en(.0))]
    Forbidden(String),

    /// Another process holds the store.
    #[error("{}", en(.0))]
    Locked(String),

    /// The store's files are damaged; nothing will be written to them.
    #[error("{}", en(.0))]
    Damaged(String),

    /// The disk refused the write (full, read-only, gone). Nothing was recorded.
    #[error("{}", en(.0))]
    Storage(String),

    /// A configuration or data file is wrong: names the file and the line.
    #[error("{}", en(.0))]
    Config(String),

    /// The owner process could not be reached.
    #[error("{}", en(.0))]
    Connection(String),

    #[error("internal error: {}", en(.0))]
    Internal(String),
}

fn en(text: &str) -> &str {
    crate::domain::text::pick(text, Lang::En)
}

impl DeskError {
    /// The sentence for a reader of `lang` (`Display` gives the English one).
    pub fn text(&self, lang: Lang) -> String {
        use crate::domain::text::{field_name, pick};
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (DeskError::Invalid { field, reason }, Lang::Zh) => {
                format!("{}：{}", field_name(field, lang), pick(reason, lang))
            }
            (DeskError::Internal(t), Lang::Zh) => format!("内部错误：{}", pick(t, lang)),
            (
                DeskError::NotFound(t)
                | DeskError::Refused(t)
                | DeskError::Forbidden(t)
                | DeskError::Locked(t)
                | DeskError::Damaged(t)
                | DeskError::Storage(t)
                | DeskError::Config(t)
                | DeskError::Connection(t),
                Lang::Zh,
            ) => pick(t, lang).to_string(),
        }
    }

    /// What went wrong, without the closing advice of a refused command ("…;
    /// nothing was recorded"): for a failure that follows a recorded command.
    pub fn cause(&self, lang: Lang) -> String {
        let text = self.text(lang);
        match text.rsplit_once(". ") {
            Some((cause, advice)) if advice.ends_with("nothing was recorded") => cause.to_string(),
            _ => text,
        }
    }

    pub fn invalid(field: &str, reason: impl Into<String>) -> DeskError {
        DeskError::Invalid {
            field: field.to_string(),
            reason: reason.into(),
        }
    }

    /// The process exit code for this error, so scripts can tell them apart.
    pub fn exit_code(&self) -> i32 {
        match self {
            DeskError::Invalid { .. } => 2,
            DeskError::NotFound(_) => 3,
            DeskError::Refused(_) => 4,
            DeskError::Forbidden(_) => 5,
            DeskError::Locked(_) | DeskError::Connection(_) => 6,
            DeskError::Damaged(_) => 7,
            DeskError::Storage(_) => 8,
            DeskError::Config(_) => 9,
            DeskError::Internal(_) => 70,
        }
    }

    pub(crate) fn storage(what: &str, e: impl std::fmt::Display) -> DeskError {
        let text = e.to_string();
        let hint = if text.contains("No space")
            || text.contains("ENOSPC")
            || text.contains("os error 28")
        {
            "the disk is full: free some space (old exports, logs) and try again; nothing was recorded"
        } else {
            "check that the disk is present and writable, then try again; nothing was recorded"
        };
        DeskError::Storage(format!("could not {what}: {text}. {hint}"))
    }
}

pub type Result<T, E = DeskError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cause_of_a_storage_error_drops_the_nothing_was_recorded_advice() {
        let e = DeskError::storage("create /d/exports", "File exists (os error 17)");
        assert!(e.to_string().ends_with("nothing was recorded"));
        assert_eq!(
            e.cause(Lang::En),
            "could not create /d/exports: File exists (os error 17)"
        );
        let refused = DeskError::Refused("no shift is open. Start one".into());
        assert_eq!(refused.cause(Lang::En), refused.to_string());
    }
}
