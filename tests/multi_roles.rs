//! operators.toml: identity and roles decided by the owner from the Unix user the
//! kernel reports, never from what the client says.

mod multi_support;

use dutydesk::domain::identity::current_unix_user;
use dutydesk::server::Client;
use dutydesk::{DeskApi, DeskError};
use multi_support::*;

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
        Err(DeskError::Forbidden(m)) => assert!(m.contains("operators.toml"), "{m}"),
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
