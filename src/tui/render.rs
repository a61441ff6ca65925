//! Messages as the dashboard says them: what to do next is the key bound to it
//! now (from the keymap, so a remapped key shows as remapped), never a flag.

use crate::domain::wording::{self, Hint, Surface};
use crate::domain::{Lang, Move, Warning};
use crate::error::DeskError;
use crate::tui::keymap::{Act, Ctx, Keymap};

/// The dashboard as a [`Surface`], naming the keys of `keymap`.
pub struct Dashboard<'a>(pub &'a Keymap);

impl Dashboard<'_> {
    /// The key of `act` in `ctx`, or the action's name when nothing is bound.
    fn key(&self, ctx: Ctx, act: Act) -> String {
        let k = self.0.keys(ctx, act);
        if k.is_empty() {
            act.name().to_string()
        } else {
            k
        }
    }

    /// "press y to override" / "按 y 强制跳过".
    fn press(&self, ctx: Ctx, act: Act, lang: Lang, en: &str, zh: &str) -> String {
        let k = self.key(ctx, act);
        match lang {
            Lang::En => format!("press {k} {en}").trim_end().to_string(),
            Lang::Zh => format!("按 {k} {zh}").trim_end().to_string(),
        }
    }
}

impl Surface for Dashboard<'_> {
    fn how(&self, hint: Hint, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match hint {
            Hint::Override => self.press(Ctx::Confirm, Act::Yes, lang, "to override", "强制跳过"),
            Hint::Reason if zh => "填写原因一栏".into(),
            Hint::Reason => "fill in the reason".into(),
            Hint::Move { mv, .. } => {
                self.press(Ctx::Detail, Act::from(mv), lang, "", mv.label().zh)
            }
            Hint::CallbackSatisfied { .. } => self.press(
                Ctx::Detail,
                Act::Callback,
                lang,
                "and choose satisfied",
                "并选择满意",
            ),
            Hint::ShiftStart if zh => "请先开班".into(),
            Hint::ShiftStart => "start a shift first".into(),
            Hint::ShiftHandover => self.press(Ctx::Queue, Act::Handover, lang, "", "交班"),
            Hint::ShiftAccept => self.press(Ctx::Queue, Act::Sign, lang, "to sign", "签收"),
            Hint::ListTickets => self.press(
                Ctx::Queue,
                Act::Filter,
                lang,
                "to search the queue",
                "在列表中查找",
            ),
            Hint::ListRuns => self.press(
                Ctx::Global,
                Act::Emergency,
                lang,
                "for the emergencies",
                "查看应急",
            ),
            Hint::RunNote { .. } => {
                self.press(Ctx::Runner, Act::RunNote, lang, "to add it", "补记")
            }
            Hint::RunReport { run } => {
                let k = self.key(Ctx::Runner, Act::RunReport);
                match lang {
                    Lang::En => format!("press {k} in the runner of {run} to write it"),
                    Lang::Zh => format!("在 {run} 的应急界面按 {k} 写出报告"),
                }
            }
            Hint::RunClose { .. } => {
                let k = self.key(Ctx::Runner, Act::RunClose);
                match lang {
                    Lang::En => format!("closing it (press {k})"),
                    Lang::Zh => format!("按 {k} 结束"),
                }
            }
            Hint::DropName if zh => "去掉姓名或匿名标记".into(),
            Hint::DropName => "clear the name or the anonymous mark".into(),
            Hint::ChooseShift if zh => "选择其他班次".into(),
            Hint::ChooseShift => "choose another shift".into(),
            Hint::EmptyDir if zh => "使用空的数据目录".into(),
            Hint::EmptyDir => "use an empty data directory".into(),
        }
    }
}

impl From<Move> for Act {
    fn from(m: Move) -> Act {
        match m {
            Move::Dispatch => Act::Dispatch,
            Move::Start => Act::Start,
            Move::Done => Act::Done,
            Move::Callback => Act::Callback,
            Move::Close => Act::Close,
            Move::Cancel => Act::Cancel,
            Move::Note => Act::Note,
            Move::Answer => Act::Answer,
        }
    }
}

/// An error as the dashboard shows it.
pub fn error(e: &DeskError, lang: Lang, keymap: &Keymap) -> String {
    e.render(lang, &Dashboard(keymap))
}

/// A warning as the dashboard shows it.
pub fn warning(w: &Warning, lang: Lang, keymap: &Keymap) -> String {
    wording::warning(w, lang, &Dashboard(keymap))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_move_is_an_action_of_the_detail_screen_under_its_name() {
        let keymap = Keymap::builtin();
        for m in Move::ALL {
            let act = Act::from(m);
            assert_eq!(act.name(), m.name());
            assert!(Ctx::Detail.actions().contains(&act), "{m:?}");
            assert!(
                !keymap.keys(Ctx::Detail, act).is_empty(),
                "{m:?} has no key"
            );
            // The help describes the action starting with the move's own label.
            assert!(crate::tui::strings::describe(act, Lang::Zh).starts_with(m.label().zh));
        }
    }
}
