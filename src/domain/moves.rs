//! The moves of a ticket, in one table: the name the rules and the keymap use,
//! the label in each language, and the command-line verb. Refusals ("allowed
//! now: …"), the detail screen, the help and the CLI all read it from here, so
//! a move has one Chinese word everywhere.

use serde::{Deserialize, Serialize};

use crate::domain::{Bilingual, Lang};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Move {
    Dispatch,
    Start,
    Done,
    Callback,
    Close,
    Cancel,
    Note,
    /// An inquiry or a request for help answered on the phone: done and closed
    /// in one move, the answer as its note.
    Answer,
}

impl Move {
    pub const ALL: [Move; 8] = [
        Move::Dispatch,
        Move::Start,
        Move::Done,
        Move::Callback,
        Move::Close,
        Move::Cancel,
        Move::Note,
        Move::Answer,
    ];

    /// The move's name: also the keymap action bound to it (`[detail] close = "c"`).
    pub fn name(self) -> &'static str {
        match self {
            Move::Dispatch => "dispatch",
            Move::Start => "start",
            Move::Done => "done",
            Move::Callback => "callback",
            Move::Close => "close",
            Move::Cancel => "cancel",
            Move::Note => "note",
            Move::Answer => "answer",
        }
    }

    /// The `dutydesk` subcommand that makes the move.
    pub fn cli_verb(self) -> &'static str {
        self.name()
    }

    /// The move as the operator reads it: the manuals' word in Chinese.
    pub fn label(self) -> Bilingual {
        match self {
            Move::Dispatch => Bilingual::new("dispatch", "派工"),
            Move::Start => Bilingual::new("start", "开工"),
            Move::Done => Bilingual::new("done", "完工"),
            Move::Callback => Bilingual::new("callback", "回访"),
            Move::Close => Bilingual::new("close", "关闭"),
            Move::Cancel => Bilingual::new("cancel", "取消"),
            Move::Note => Bilingual::new("note", "备注"),
            Move::Answer => Bilingual::new("answer", "答复"),
        }
    }

    /// One line of help: the label first, then what the move records.
    pub fn help(self) -> Bilingual {
        match self {
            Move::Dispatch => Bilingual::new("dispatch to a department", "派工：派给部门"),
            Move::Start => {
                Bilingual::new("start: the department started work", "开工：部门已开始工作")
            }
            Move::Done => Bilingual::new("done: the work is finished", "完工：工作已完成"),
            Move::Callback => Bilingual::new("callback: record the result", "回访：登记回访结果"),
            Move::Close => Bilingual::new("close the ticket", "关闭：结束工单"),
            Move::Cancel => Bilingual::new("cancel, with a reason", "取消（需填原因）"),
            Move::Note => Bilingual::new("note: add a note", "备注：添加备注"),
            Move::Answer => Bilingual::new(
                "answer: answered on the phone, closes it with the answer",
                "答复：电话中已答复，记下答复并关闭",
            ),
        }
    }

    /// "it cannot be …": the ticket after the move, in English.
    pub fn done_to(self) -> &'static str {
        match self {
            Move::Dispatch => "dispatched",
            Move::Start => "started",
            Move::Done => "marked done",
            Move::Callback => "called back (a callback is recorded on a done ticket)",
            Move::Close => "closed",
            Move::Cancel => "cancelled",
            Move::Note => "noted",
            Move::Answer => "answered (only a new inquiry or request for help is)",
        }
    }

    pub fn from_name(name: &str) -> Option<Move> {
        Move::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// "dispatch, cancel, note" / "派工、取消、备注".
pub fn list(moves: &[Move], lang: Lang) -> String {
    let sep = match lang {
        Lang::En => ", ",
        Lang::Zh => "、",
    };
    moves
        .iter()
        .map(|m| m.label().get(lang))
        .collect::<Vec<_>>()
        .join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_move_has_one_chinese_word_and_its_own_verb() {
        let mut zh: Vec<&str> = Move::ALL.iter().map(|m| m.label().zh).collect();
        zh.sort();
        zh.dedup();
        assert_eq!(zh.len(), Move::ALL.len());
        for m in Move::ALL {
            assert_eq!(Move::from_name(m.name()), Some(m));
            assert_eq!(m.label().en, m.cli_verb());
            assert!(m.help().zh.starts_with(m.label().zh), "{m:?}");
            assert!(m.help().en.starts_with(m.label().en), "{m:?}");
        }
        assert_eq!(Move::Start.label().zh, "开工");
    }
}
