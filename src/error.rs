//! Typed errors of the library. The binary turns each into a sentence and an exit code.

use thiserror::Error;

use crate::domain::refusal::{Forbidden, Missing, Reason, Refusal};
use crate::domain::text::field_name;
use crate::domain::wording::{self, Plain, Surface};
use crate::domain::Lang;

/// `Display` gives the English sentence without naming flags or keys (for logs
/// and tests); a surface renders it for its reader with [`DeskError::render`].
#[derive(Debug, Error, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DeskError {
    /// A field of a command is wrong: which field, and why.
    #[error("{}", self.render(Lang::En, &Plain))]
    Invalid { field: String, reason: Reason },

    /// Nothing by that id.
    #[error("{}", self.render(Lang::En, &Plain))]
    NotFound(Missing),

    /// The move is not legal in the current state; the refusal says what is.
    #[error("{}", self.render(Lang::En, &Plain))]
    Refused(Refusal),

    /// The operator's role does not allow this command.
    #[error("{}", self.render(Lang::En, &Plain))]
    Forbidden(Forbidden),

    // The variants below carry a detail in English made where the failure was
    // met (a path, the system's own error); `render` frames it in the reader's
    // language.
    /// Another process holds the store.
    #[error("{0}")]
    Locked(String),

    /// The store's files are damaged; nothing will be written to them.
    #[error("{0}")]
    Damaged(String),

    /// The disk refused the write (full, read-only, gone). Nothing was recorded.
    #[error("{0}")]
    Storage(String),

    /// A configuration or data file is wrong: names the file and the line.
    #[error("{0}")]
    Config(String),

    /// The owner process could not be reached.
    #[error("{0}")]
    Connection(String),

    /// A server of the group view (NATS, PostgreSQL) could not be reached or refused.
    #[error("{0}")]
    Group(String),

    #[error("internal error: {0}")]
    Internal(String),
}

impl DeskError {
    /// The sentence for a reader of `lang`, saying what to do the way `surface` does it.
    pub fn render(&self, lang: Lang, surface: &dyn Surface) -> String {
        match (self, lang) {
            (DeskError::Invalid { field, reason }, _) => format!(
                "{}{}{}",
                field_name(field, lang),
                if lang == Lang::Zh { "：" } else { ": " },
                wording::reason(reason, lang, surface)
            ),
            (DeskError::NotFound(m), _) => wording::missing(m, lang, surface),
            (DeskError::Refused(r), _) => wording::refusal(r, lang, surface),
            (DeskError::Forbidden(f), _) => wording::forbidden(f, lang, surface),
            (_, Lang::En) => self.to_string(),
            (DeskError::Locked(t), Lang::Zh) => format!("数据目录正被另一个进程使用：{t}"),
            (DeskError::Damaged(t), Lang::Zh) => format!("数据文件已损坏，不会再写入：{t}"),
            (DeskError::Storage(t), Lang::Zh) => {
                format!("磁盘写入失败，本次没有记录任何内容：{t}")
            }
            (DeskError::Config(t), Lang::Zh) => format!("配置文件有误：{t}"),
            (DeskError::Connection(t), Lang::Zh) => format!("连接不上值班台：{t}"),
            (DeskError::Group(t), Lang::Zh) => {
                format!("集团视图的服务器（NATS 或 PostgreSQL）出错：{t}")
            }
            (DeskError::Internal(t), Lang::Zh) => format!("内部错误：{t}"),
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

    /// The sentence for a reader of `lang`, naming neither flags nor keys.
    pub fn text(&self, lang: Lang) -> String {
        self.render(lang, &Plain)
    }

    pub fn invalid(field: &str, reason: impl Into<Reason>) -> DeskError {
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
            DeskError::Locked(_) | DeskError::Connection(_) | DeskError::Group(_) => 6,
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
        } else if text.contains("os error 13") || text.contains("os error 1)") {
            // Another operator's files: the group set-up, not the disk, is wrong.
            "this user may not use that file: the data directory and its files must be \
             the operators' group's to read and write (see the README on several operators); \
             `dutydesk doctor`, run by their owner, names the files and the command to fix them; \
             nothing was recorded"
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
    fn a_refused_permission_points_at_the_group_set_up_not_the_disk() {
        let e = DeskError::storage("open x", std::io::Error::from_raw_os_error(13));
        let text = e.to_string();
        assert!(
            text.contains("operators' group") && text.contains("doctor"),
            "{text}"
        );
        assert!(!text.contains("disk is present"), "{text}");
    }

    #[test]
    fn the_cause_of_a_storage_error_drops_the_nothing_was_recorded_advice() {
        let e = DeskError::storage("create /d/exports", "File exists (os error 17)");
        assert!(e.to_string().ends_with("nothing was recorded"));
        assert_eq!(
            e.cause(Lang::En),
            "could not create /d/exports: File exists (os error 17)"
        );
        let refused = DeskError::Config("site.toml line 3: expected a table. Fix the file".into());
        assert_eq!(refused.cause(Lang::En), refused.to_string());
    }
}
