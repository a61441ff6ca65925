//! `dutydesk group`: the group's side. `ingest` feeds PostgreSQL from the hub,
//! `status` prints the view (or JSON), and with no subcommand the dashboard.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use clap::{Args, Subcommand};

use crate::domain::Lang;
use crate::error::DeskError;
use crate::group::view::{self, GroupView};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct GroupArgs {
    #[command(subcommand)]
    pub cmd: Option<GroupCmd>,
    /// The group's PostgreSQL, e.g. postgres://dutydesk@HOST/dutydesk (for the dashboard).
    #[arg(long, env = "DUTYDESK_GROUP_PG", value_name = "URL")]
    pub pg: Option<String>,
    /// A site with no record for longer than this many minutes is listed as silent.
    #[arg(long, default_value_t = view::SILENT_MINUTES, value_name = "MIN")]
    pub silent_minutes: i64,
}

#[derive(Debug, Subcommand)]
pub enum GroupCmd {
    /// Consume every site's stream at the hub into PostgreSQL, checking each chain (runs until stopped).
    Ingest {
        /// The hub's nats-server, e.g. nats://127.0.0.1:4222.
        #[arg(long, value_name = "URL")]
        nats: String,
        #[arg(long, env = "DUTYDESK_GROUP_PG", value_name = "URL")]
        pg: String,
        /// Create the hub's mirror of this site's stream (repeat for each site; once is enough).
        #[arg(long = "site", value_name = "ID")]
        sites: Vec<String>,
        /// A NATS credentials file for the hub.
        #[arg(long, value_name = "FILE")]
        credentials: Option<std::path::PathBuf>,
    },
    /// Every site's last record, lag, active emergencies, overdue tickets and chain check.
    Status {
        #[arg(long, env = "DUTYDESK_GROUP_PG", value_name = "URL")]
        pg: String,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = view::SILENT_MINUTES, value_name = "MIN")]
        silent_minutes: i64,
    },
}

pub fn run(args: &GroupArgs, lang: Lang) -> Result<i32, DeskError> {
    match &args.cmd {
        Some(GroupCmd::Ingest {
            nats,
            pg,
            sites,
            credentials,
        }) => {
            let opts = crate::group::ingest::Options {
                nats: nats.clone(),
                pg: pg.clone(),
                credentials: credentials.clone(),
                sites: sites.clone(),
            };
            crate::group::ingest::run(&opts, Arc::new(AtomicBool::new(false)), |line| {
                eprintln!("{line}")
            })?;
            Ok(0)
        }
        Some(GroupCmd::Status {
            pg,
            json,
            silent_minutes,
        }) => {
            let v = load(pg, *silent_minutes)?;
            if *json {
                println!("{}", status_json(&v));
            } else {
                print!("{}", status_text(&v, lang));
            }
            // A broken chain anywhere is what a script must notice.
            Ok(if v.sites.iter().all(|s| s.chain_ok) {
                0
            } else {
                1
            })
        }
        None => {
            let Some(pg) = &args.pg else {
                return Err(DeskError::invalid(
                    "--pg",
                    "say which PostgreSQL holds the group view: --pg postgres://USER@HOST/DB (or DUTYDESK_GROUP_PG)",
                ));
            };
            let clock =
                crate::clock::from_env().map_err(|e| DeskError::invalid("DUTYDESK_NOW", e))?;
            crate::tui::screens::group::run(pg, args.silent_minutes, clock, lang)
        }
    }
}

pub fn load(pg: &str, silent_minutes: i64) -> Result<GroupView, DeskError> {
    let clock = crate::clock::from_env().map_err(|e| DeskError::invalid("DUTYDESK_NOW", e))?;
    let now = clock.now();
    let mut client = view::connect(pg)?;
    view::load(&mut client, now, view::local_midnight(now), silent_minutes)
}

/// The JSON of `group status --json`: `sites` with `site`, `last_seq`,
/// `lag_seconds`, `active_emergencies`, `overdue`, `chain_ok` (and more).
pub fn status_json(v: &GroupView) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| "{}".into())
}

pub fn status_text(v: &GroupView, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    if v.sites.is_empty() {
        out.push_str(if zh {
            "还没有任何管理处的记录：请确认 `dutydesk group ingest` 正在运行。\n"
        } else {
            "no site has shipped any record yet: check that `dutydesk group ingest` is running\n"
        });
        return out;
    }
    out.push_str(if zh {
        "管理处    最后记录  延迟(秒)  应急  超时  派单达标  链\n"
    } else {
        "site      last rec  lag (s)   emerg overdue dispatch  chain\n"
    });
    for s in &v.sites {
        let lag = s
            .lag_seconds
            .map(|l| l.to_string())
            .unwrap_or_else(|| "-".into());
        let pct = s
            .dispatch_target_pct
            .map(|p| format!("{p:.0}%"))
            .unwrap_or_else(|| "-".into());
        let chain = match (s.chain_ok, zh) {
            (true, false) => "ok",
            (true, true) => "正常",
            (false, false) => "BROKEN",
            (false, true) => "断裂",
        };
        out.push_str(&format!(
            "{:<9} {:>8}  {:>7}  {:>5} {:>7} {:>8}  {chain}{}\n",
            s.site,
            s.last_seq,
            lag,
            s.active_emergencies,
            s.overdue,
            pct,
            if s.silent {
                if zh {
                    "  （无消息）"
                } else {
                    "  (silent)"
                }
            } else {
                ""
            }
        ));
        if let Some(a) = &s.alarm {
            out.push_str(&format!("  {} {a}\n", if zh { "告警：" } else { "ALARM:" }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::view::SiteLine;

    #[test]
    fn group_status_names_a_broken_chain_in_both_languages_and_in_json() {
        let v = GroupView {
            at: chrono::Utc::now(),
            sites: vec![SiteLine {
                site: "s5".into(),
                last_seq: 9,
                lag_seconds: Some(4),
                active_emergencies: 1,
                overdue: 2,
                chain_ok: false,
                alarm: Some("site s5: record 10 is refused".into()),
                dispatch_target_pct: None,
                silent: false,
            }],
            emergencies: vec![],
            overdue: vec![],
        };
        let en = status_text(&v, Lang::En);
        assert!(
            en.contains("BROKEN") && en.contains("ALARM: site s5: record 10"),
            "{en}"
        );
        let zh = status_text(&v, Lang::Zh);
        assert!(zh.contains("断裂") && zh.contains("告警"), "{zh}");
        let j: serde_json::Value = serde_json::from_str(&status_json(&v)).unwrap();
        let s = &j["sites"][0];
        for k in [
            "site",
            "last_seq",
            "lag_seconds",
            "active_emergencies",
            "overdue",
            "chain_ok",
        ] {
            assert!(s.get(k).is_some(), "no {k} in {s}");
        }
        assert_eq!(s["chain_ok"], false);
    }
}
