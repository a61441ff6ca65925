//! A fresh data directory with the demo site, and the real binary run against it
//! by a fixed operator.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::bin;

/// A throwaway data directory holding the demo site's directory of units.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new() -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/site.toml");
        std::fs::copy(fixture, dir.path().join("site.toml")).expect("copy site.toml");
        Site { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The binary with `--data` set and a fixed operator, not yet run.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = bin::dutydesk(self.path());
        c.args(args)
            .env("DUTYDESK_OPERATOR", "王军")
            .env("LANG", "en_US.UTF-8");
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run(bin::run(&mut self.cmd(args)))
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert!(
            r.0.status.success(),
            "dutydesk {args:?} failed ({:?}): {}",
            r.0.status.code(),
            r.stderr()
        );
        r.stdout()
    }

    /// Logs a call and returns the id printed.
    pub fn call(&self, unit: &str, kind: &str) -> String {
        self.ok(&[
            "call",
            "--unit",
            unit,
            "--kind",
            kind,
            "--summary",
            "测试 test",
        ])
        .trim()
        .to_string()
    }

    /// The records as `log --json` prints them.
    pub fn log(&self) -> Vec<serde_json::Value> {
        self.ok(&["log", "--json"])
            .lines()
            .map(|l| serde_json::from_str(l).expect("log line is JSON"))
            .collect()
    }

    /// Every ticket as `tickets --all --json` prints it.
    pub fn tickets(&self) -> Vec<serde_json::Value> {
        let out = self.ok(&["tickets", "--all", "--json"]);
        match serde_json::from_str(&out).expect("tickets --json is JSON") {
            serde_json::Value::Array(a) => a,
            other => panic!("tickets --json is not an array: {other}"),
        }
    }

    pub fn ticket(&self, id: &str) -> serde_json::Value {
        self.tickets()
            .into_iter()
            .find(|t| t["id"] == id)
            .unwrap_or_else(|| panic!("no ticket {id}"))
    }

    pub fn state_of(&self, id: &str) -> String {
        self.ticket(id)["state"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> Option<i32> {
        self.0.status.code()
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
}

impl Site {
    /// After a crash: every acknowledged ticket id is in the log, the sequence
    /// has no gap, and an export of the whole log verifies end to end.
    pub fn assert_holds(&self, acked: &[String], what: &str) {
        let log = self.log();
        let opened: std::collections::HashSet<String> = log
            .iter()
            .filter(|r| r["event"]["type"] == "ticket_opened")
            .filter_map(|r| r["event"]["id"].as_str().map(str::to_string))
            .collect();
        for id in acked {
            assert!(
                opened.contains(id),
                "{what}: {id} was acknowledged but is not in the log"
            );
        }
        for (i, r) in log.iter().enumerate() {
            assert_eq!(r["seq"], i as u64 + 1, "{what}: seq gap");
        }
        let out = self.file("holds-check.jsonl");
        self.ok(&[
            "export",
            "--format",
            "jsonl",
            "--out",
            out.to_str().unwrap(),
        ]);
        let verified = self.ok(&["verify", out.to_str().unwrap()]);
        assert!(
            verified.starts_with(&format!("ok: {} records", log.len())),
            "{what}: {verified}"
        );
        let _ = std::fs::remove_file(&out);
    }
}
