//! The command line, as clap sees it. Names are fixed: scripts depend on them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "dutydesk",
    version,
    about = "The night duty desk: calls, dispatch, emergencies and the signed shift handover",
    long_about = "The night duty desk: calls, dispatch, emergencies and the signed shift handover.\n\n\
                  Without a subcommand, opens the dashboard on the store in --data."
)]
pub struct Cli {
    /// The data directory (store, site.toml, checklists, exports).
    #[arg(long, global = true, env = "DUTYDESK_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,

    /// The name recorded as operator (defaults to the login name).
    #[arg(long, global = true, env = "DUTYDESK_OPERATOR", value_name = "NAME")]
    pub operator: Option<String>,

    /// Language of screens and messages: zh or en (default from the locale).
    #[arg(long, global = true, value_name = "zh|en")]
    pub lang: Option<String>,

    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum KindArg {
    Repair,
    Complaint,
    Inquiry,
    Help,
    Emergency,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DeptArg {
    Engineering,
    Security,
    Cleaning,
    CustomerService,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
    Md,
    /// The tickets as a spreadsheet with typed cells (phones and ids as text).
    Xlsx,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Log a call; prints the new ticket id alone on stdout.
    Call {
        #[arg(long)]
        unit: String,
        #[arg(long, value_enum)]
        kind: KindArg,
        #[arg(long)]
        summary: String,
        /// The caller's name.
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        /// The caller declined to give a name.
        #[arg(long)]
        anonymous: bool,
        /// 1 (most urgent) to 4; default by kind.
        #[arg(long)]
        priority: Option<u8>,
    },
    /// Send a ticket to a department.
    Dispatch {
        id: String,
        #[arg(long, value_enum)]
        to: DeptArg,
        #[arg(long)]
        note: Option<String>,
    },
    /// The department has started work.
    Start { id: String },
    /// The work is done; the resident is to be called back.
    Done {
        id: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Record the return call (回访) on a done ticket.
    Callback {
        id: String,
        #[arg(
            long,
            conflicts_with = "unsatisfied",
            required_unless_present = "unsatisfied"
        )]
        satisfied: bool,
        #[arg(long)]
        unsatisfied: bool,
        #[arg(long)]
        note: Option<String>,
    },
    /// Close a done ticket (repairs and complaints need a satisfied callback).
    Close {
        id: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Cancel an open ticket, with a reason.
    Cancel {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// Add a note to a ticket.
    Note { id: String, text: String },
    /// Close an inquiry or a request for help answered on the phone, with the answer.
    Answer {
        id: String,
        /// What the caller was told.
        #[arg(long)]
        note: String,
    },
    /// Record a further call about an open ticket (a resident calling again),
    /// instead of logging a second ticket: `dutydesk add-call R017 --name 陈建国`.
    AddCall {
        id: String,
        /// The caller's name.
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        /// What the caller said this time.
        #[arg(long)]
        note: Option<String>,
    },
    /// List open tickets (every ticket with --all).
    Tickets {
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show one ticket with its timeline.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Print the log's records.
    Log {
        #[arg(long)]
        json: bool,
    },
    /// Write the log (or a shift of it) to a file.
    Export(ExportArgs),
    /// Check the hash chain of an exported JSON-lines file.
    Verify { file: PathBuf },
    /// Copy every record that still verifies out of a damaged store into a new data directory.
    Recover {
        /// The new data directory (must be empty or absent).
        #[arg(long)]
        out: PathBuf,
    },
    /// Check the installation and the store, and say what is wrong.
    Doctor {
        #[arg(long)]
        json: bool,
    },
    /// The group view across sites (集团视图): `ingest`, `status`, or the dashboard.
    Group(crate::cli::group::GroupArgs),
    /// Emergency plans (应急预案) step by step: kinds, start, step, note, show, list, close, report.
    Emergency {
        #[command(subcommand)]
        cmd: crate::cli::emergency::EmergencyCmd,
    },
    /// Shifts and the signed handover (交接班): start, handover, accept, refuse, current.
    Shift {
        #[command(subcommand)]
        cmd: crate::cli::shift::ShiftCmd,
    },
    /// Monthly statistics (月统计分析) of the calls of a local calendar month.
    Stats {
        /// The month, as YYYY-MM.
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        #[arg(long)]
        json: bool,
    },
    /// Own the store and serve other dutydesk processes (for a service manager).
    Serve {
        /// Detach-friendly mode used when a command starts an owner by itself:
        /// exits quietly if another owner is alive, and after --idle-exit.
        #[arg(long)]
        background: bool,
        /// Exit after this many seconds with no client (default: never in the
        /// foreground, 600 with --background).
        #[arg(long, value_name = "SECS")]
        idle_exit: Option<u64>,
    },
    /// Load the demo site and its scripted evening into a fresh store, then open the dashboard.
    Demo {
        /// Load it and print where, without opening the dashboard.
        #[arg(long)]
        no_tui: bool,
        /// Instead of the evening, build a synthetic history of about N records
        /// (a busy site over many months) and print where; for load testing.
        #[arg(long, value_name = "N")]
        generate: Option<u64>,
    },
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: Format,
    #[arg(long)]
    pub out: PathBuf,
    /// current, last, a shift number, or all (the default).
    #[arg(long, default_value = "all")]
    pub shift: String,
    /// Mask phone numbers and caller names, for exports that leave the site.
    #[arg(long)]
    pub redact: bool,
}
