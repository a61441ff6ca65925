//! operators.toml: identity and roles decided by the owner from the Unix user the
//! kernel reports, never from what the client says.

use crate::support::multi::*;
use crate::support::owner::stop_owner;
use dutydesk::domain::identity::current_unix_user;
use dutydesk::server::Client;
use dutydesk::{DeskApi, DeskError};

fn operators(site: &Site, entries: &[(&str, &str, &str)]) {
    let mut text = String::new();
    for (user, name, role) in entries {
        text.push_str(&format!(
            "[[operator]]\nunix_user = \"{user}\"\nname = \"{name}\"\nrole = \"{role}\"\n\n"
        ));
    }
    std::fs::write(site.dir().join("operators.toml"), text).unwrap();
}

#[test]
fn a_guard_may_log_and_dispatch_security_but_not_close_or_cancel() {
    let site = Site::new();
    let me = current_unix_user();
    operators(
        &site,
        &[
            (&me, "保安 李强", "security"),
            ("chen", "Chen Jing", "duty-manager"),
        ],
    );
    // --operator cannot change the recorded name of a listed user.
    let id = site.ok(&[
        "--operator",
        "冒名",
        "call",
        "--unit",
        "1-0101",
        "--kind",
        "help",
        "--summary",
        "电梯异响",
    ]);
    let id = id.trim();
    let log = site.ok(&["log", "--json"]);
    assert!(log.contains("保安 李强"), "{log}");
    assert!(!log.contains("冒名"), "{log}");

    site.ok(&["dispatch", id, "--to", "security"]);
    for args in [
        vec!["dispatch", id, "--to", "engineering"],
        vec!["cancel", id, "--reason", "重复"],
        vec!["close", id],
        vec!["callback", id, "--satisfied"],
    ] {
        let out = site.cli(&args);
        assert_eq!(out.status.code(), Some(5), "{args:?} should be forbidden");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("security role"), "{err}");
    }
    // The refusals recorded nothing.
    let snap = site.client("x").snapshot().unwrap();
    assert_eq!(snap.state.tickets.len(), 1);
}

#[test]
fn a_user_not_in_operators_toml_is_refused_with_a_message_saying_so() {
    let site = Site::new();
    site.ok(&["tickets"]); // an owner is up before the file appears
    operators(&site, &[("chen", "Chen Jing", "duty-manager")]);
    let out = site.cli(&[
        "call",
        "--unit",
        "1-0101",
        "--kind",
        "help",
        "--summary",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(5));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not listed"), "{err}");
    assert!(err.contains(&current_unix_user()), "{err}");
    match Client::open(site.options("anyone")) {
        Err(e @ DeskError::Forbidden(_)) => {
            assert!(e.to_string().contains("operators.toml"), "{e}")
        }
        Err(e) => panic!("expected Forbidden, got {e}"),
        Ok(_) => panic!("an unlisted user was let in"),
    }
    assert!(site.log().contains("refusing client"), "{}", site.log());
}

#[test]
fn a_broken_operators_toml_is_reported_with_its_line() {
    let site = Site::new();
    std::fs::write(
        site.dir().join("operators.toml"),
        "[[operator]]\nunix_user = \"chen\"\nname = \"C\"\nrole = \"boss\"\n",
    )
    .unwrap();
    let out = site.cli(&["tickets"]);
    assert_eq!(out.status.code(), Some(9));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("operators.toml:4"), "{err}");
}

/// Throwaway Unix users and a group, removed when dropped (even if the test fails).
struct Accounts {
    group: String,
    users: Vec<String>,
}

fn root_cmd(args: &[&str]) -> bool {
    std::process::Command::new(args[0])
        .args(&args[1..])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl Accounts {
    fn create(tag: &str) -> Accounts {
        let id = std::process::id();
        let mut a = Accounts {
            group: format!("dd{tag}g{id}"),
            users: Vec::new(),
        };
        assert!(root_cmd(&["groupadd", &a.group]), "groupadd {}", a.group);
        for (n, in_group) in [(1, true), (2, true), (3, false)] {
            let user = format!("dd{tag}u{n}x{id}");
            a.users.push(user.clone());
            let mut args = vec!["useradd", "-M", "-N", "-s", "/bin/sh"];
            if in_group {
                args.extend(["-G", &a.group]);
            }
            args.push(&user);
            assert!(root_cmd(&args), "useradd {user}");
        }
        a
    }

    /// The binary (or any program) as `user` with the README's default umask 022.
    fn run_as(&self, user: &str, program: &str, args: &[&str]) -> std::process::Command {
        use std::os::unix::process::CommandExt;
        let mut c = std::process::Command::new("setpriv");
        c.args([
            &format!("--reuid={user}"),
            "--regid=users",
            "--init-groups",
            "--",
            program,
        ])
        .args(args)
        .env_remove("DUTYDESK_OPERATOR")
        .env_remove("DUTYDESK_NOW")
        .env_remove("DUTYDESK_DATA")
        .env("LANG", "C.UTF-8");
        // SAFETY: umask is async-signal-safe and touches only the child.
        unsafe {
            c.pre_exec(|| {
                libc::umask(0o022);
                Ok(())
            });
        }
        c
    }
}

impl Drop for Accounts {
    fn drop(&mut self) {
        for u in &self.users {
            root_cmd(&["userdel", u]);
        }
        root_cmd(&["groupdel", &self.group]);
    }
}

#[test]
fn the_readme_group_set_up_lets_the_next_operator_take_over_and_keeps_others_out() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI must run this test as root: it creates Unix users and a group"
        );
        eprintln!("skipped: not root, so no throwaway users and group can be made");
        return;
    }
    let accounts = Accounts::create("rm");
    let (u1, u2, u3) = (&accounts.users[0], &accounts.users[1], &accounts.users[2]);
    let tmp = tempfile::Builder::new()
        .prefix("dd")
        .tempdir_in("/tmp")
        .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let data = tmp.path().join("srv");
    let d = data.to_str().unwrap();
    // The README's set-up, word for word.
    assert!(root_cmd(&[
        "install",
        "-d",
        "-m",
        "2770",
        "-g",
        &accounts.group,
        d
    ]));
    let out = |c: &mut std::process::Command| {
        let o = c.output().unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    // Operator 1 serves until idle, logs a call and exports the residents' list.
    let mut owner = accounts
        .run_as(u1, BIN, &["--data", d, "serve", "--idle-exit", "2"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let call = ["--data", d, "call", "--unit", "1-0101", "--kind", "repair"];
    let call = [&call[..], &["--summary", "漏水", "--phone", "13812345678"]].concat();
    let (code, _, err) = out(&mut accounts.run_as(u1, BIN, &call));
    assert_eq!(code, Some(0), "{err}");
    let csv = data.join("exports/residents.csv");
    let export = ["--data", d, "export", "--format", "csv", "--out"];
    let export = [&export[..], &[csv.to_str().unwrap()]].concat();
    let (code, _, err) = out(&mut accounts.run_as(u1, BIN, &export));
    assert_eq!(code, Some(0), "{err}");
    wait_until("operator 1's owner exits when idle", || {
        owner.try_wait().is_ok_and(|s| s.is_some())
    });
    // Operator 2 takes over: a background owner of their own opens the same files.
    let (code, _, err) = out(&mut accounts.run_as(u2, BIN, &call));
    assert_eq!(code, Some(0), "operator 2 is locked out: {err}");
    let (code, text, err) = out(&mut accounts.run_as(u2, BIN, &["--data", d, "doctor"]));
    assert!(
        text.contains("[ ok ] file permissions"),
        "{code:?} {text} {err}"
    );
    stop_owner(&data);
    // A store file the group cannot write (an old install's 0640): the failing
    // background owner says why in the log the client points at.
    let db = data.join("store/db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o640)).unwrap();
    let (code, _, err) = out(&mut accounts.run_as(u2, BIN, &call));
    assert_eq!(code, Some(8), "{err}");
    assert!(
        err.contains("store") && err.contains("group") && err.contains("dutydesk doctor"),
        "the message says what is wrong and what to do: {err}"
    );
    let log = std::fs::read_to_string(data.join("dutydesk.log")).unwrap();
    assert!(
        log.contains("could not start") && log.contains("could not open the store"),
        "the log says nothing about the refusal: {log}"
    );
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o660)).unwrap();
    // Nobody outside the group reads anything, whatever they try.
    let mut files = Vec::new();
    let mut stack = vec![data.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            assert_eq!(
                std::os::unix::fs::MetadataExt::mode(&meta) & 0o007,
                0,
                "{} is open to others",
                p.display()
            );
            if meta.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    assert!(files.iter().any(|f| f.ends_with("store/db")), "{files:?}");
    for f in &files {
        let (code, _, _) = out(&mut accounts.run_as(u3, "cat", &[f.to_str().unwrap()]));
        assert_ne!(
            code,
            Some(0),
            "{} is readable by a user outside the group",
            f.display()
        );
    }
    let (code, _, _) = out(&mut accounts.run_as(u3, BIN, &["--data", d, "tickets"]));
    assert_ne!(code, Some(0), "a user outside the group used the desk");
}

#[test]
fn a_role_that_is_not_one_of_the_three_and_a_file_not_in_utf8_say_what_to_write() {
    let site = Site::new();
    let file = site.dir().join("operators.toml");
    std::fs::write(
        &file,
        "[[operator]]\nunix_user = \"chen\"\nname = \"C\"\nrole = 3\n",
    )
    .unwrap();
    let out = site.cli(&["tickets"]);
    assert_eq!(out.status.code(), Some(9));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("operators.toml:4")
            && err.contains("role must be one of duty-manager, dispatcher, security"),
        "{err}"
    );
    // 陈 in GBK, as an editor set to a Chinese code page would save it.
    let mut gbk = b"[[operator]]\nunix_user = \"chen\"\nname = \"".to_vec();
    gbk.extend_from_slice(&[0xb3, 0xc2]);
    gbk.extend_from_slice(b"\"\nrole = \"dispatcher\"\n");
    std::fs::write(&file, gbk).unwrap();
    let out = site.cli(&["tickets"]);
    assert_eq!(out.status.code(), Some(9));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("operators.toml line 3: not UTF-8 text (byte 0xb3)"),
        "{err}"
    );
}
