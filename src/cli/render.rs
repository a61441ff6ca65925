//! Messages as the command line says them: what to do next is a flag or a
//! `dutydesk` command, never a key.

use crate::domain::wording::{self, Hint, Surface};
use crate::domain::{Lang, Warning};
use crate::error::DeskError;

/// The command line as a [`Surface`].
pub struct Cli;

impl Surface for Cli {
    fn how(&self, hint: Hint, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match hint {
            Hint::Override if zh => "加上 --override".into(),
            Hint::Override => "add --override".into(),
            Hint::Reason if zh => "用 --reason 写明原因".into(),
            Hint::Reason => "--reason TEXT".into(),
            Hint::Move { mv, id } => format!("`dutydesk {} {id}`", mv.cli_verb()),
            Hint::CallbackSatisfied { id } => format!("`dutydesk callback {id} --satisfied`"),
            Hint::ShiftStart if zh => "请用 `dutydesk shift start` 开班".into(),
            Hint::ShiftStart => "start one with `dutydesk shift start`".into(),
            Hint::ShiftHandover => "`dutydesk shift handover --to NAME`".into(),
            Hint::ShiftAccept => "`dutydesk shift accept`".into(),
            Hint::ListTickets if zh => "用 `dutydesk tickets --all` 核对编号".into(),
            Hint::ListTickets => "check the id with `dutydesk tickets --all`".into(),
            Hint::ListRuns if zh => "用 `dutydesk emergency list` 核对".into(),
            Hint::ListRuns => "see `dutydesk emergency list`".into(),
            Hint::RunNote { run } if zh => format!("用 `dutydesk emergency note {run} …` 补记"),
            Hint::RunNote { run } => format!("add it with `dutydesk emergency note {run} ...`"),
            Hint::RunReport { run } => format!("`dutydesk emergency report {run}`"),
            Hint::RunClose { run } => format!("`dutydesk emergency close {run}`"),
            Hint::DropName if zh => "去掉姓名或去掉 --anonymous".into(),
            Hint::DropName => "leave the name out or drop --anonymous".into(),
            Hint::ChooseShift if zh => "改用 --shift last、班次编号或 all".into(),
            Hint::ChooseShift => "use --shift current, last, a shift number, or all".into(),
            Hint::EmptyDir if zh => "不写 --data 即用新的临时目录".into(),
            Hint::EmptyDir => "leave out --data for a new temporary one".into(),
        }
    }
}

/// An error as the command line prints it.
pub fn error(e: &DeskError, lang: Lang) -> String {
    e.render(lang, &Cli)
}

/// A warning as the command line prints it.
pub fn warning(w: &Warning, lang: Lang) -> String {
    wording::warning(w, lang, &Cli)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use crate::domain::Move;

    #[test]
    fn every_move_is_a_command_line_verb() {
        let cli = crate::cli::Cli::command();
        for m in Move::ALL {
            assert!(
                cli.find_subcommand(m.cli_verb()).is_some(),
                "no `dutydesk {}`",
                m.cli_verb()
            );
        }
    }
}
