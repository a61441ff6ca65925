//! Tickets at the command line: taking calls, moving tickets, the log, the
//! messages in both languages, and the record format that must decode forever.

#[path = "../support/mod.rs"]
mod support;

mod cli;
mod golden_records;
mod log;
mod messages_zh;
mod replay;
