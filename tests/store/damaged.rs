//! A damaged store: flipped or truncated bytes never crash the desk, and
//! `recover` keeps every record that still verifies.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::bin;
use crate::support::owner::stop_owner;

fn dutydesk(data: &Path, args: &[&str]) -> Output {
    bin::run(bin::dutydesk(data).args(args).env("RUST_BACKTRACE", "0"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        let kind = e.file_type().unwrap();
        if kind.is_dir() {
            copy_dir(&e.path(), &t);
        } else if kind.is_file() && e.file_name() != "owner.lock" {
            // The owner's socket and lock belong to the running owner, not the data.
            std::fs::copy(e.path(), t).unwrap();
        }
    }
}

fn store_files(data: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(data.join("store"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && std::fs::metadata(p).map(|m| m.len() > 0).unwrap_or(false))
        .collect();
    v.sort();
    v
}

/// A good store with some history, made once per test.
fn good_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..20 {
        let unit = format!("1-{:02}01", i % 18 + 1);
        let out = dutydesk(
            dir.path(),
            &[
                "call",
                "--unit",
                &unit,
                "--kind",
                "repair",
                "--summary",
                "卫生间漏水 leak",
            ],
        );
        assert!(out.status.success());
    }
    stop_owner(dir.path());
    dir
}

fn assert_no_crash(out: &Output, what: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(101), "{what}: panicked: {err}");
    assert!(
        out.status.code().is_some(),
        "{what}: killed by a signal: {err}"
    );
    assert!(!err.contains("panicked at"), "{what}: {err}");
    if !out.status.success() {
        assert!(
            err.contains("damaged") || err.contains("could not") || err.contains("cannot"),
            "{what}: unclear message: {err}"
        );
    }
}

#[test]
fn flipped_bytes_anywhere_in_the_store_give_a_clear_answer_never_a_crash() {
    let good = good_store();
    let files = store_files(good.path());
    assert!(!files.is_empty());
    let mut tried = 0;
    for file in &files {
        let len = std::fs::metadata(file).unwrap().len() as usize;
        // A spread of positions through each file, fixed so failures reproduce.
        for k in 1..=6 {
            let pos = len * k / 7;
            let copy = tempfile::tempdir().unwrap();
            copy_dir(good.path(), copy.path());
            let target = copy.path().join("store").join(file.file_name().unwrap());
            let mut bytes = std::fs::read(&target).unwrap();
            for b in bytes.iter_mut().skip(pos).take(16) {
                *b ^= 0x5a;
            }
            std::fs::write(&target, bytes).unwrap();
            let out = dutydesk(copy.path(), &["tickets", "--json"]);
            assert_no_crash(&out, &format!("{} at {pos}", file.display()));
            tried += 1;
        }
    }
    assert!(tried >= 6);
}

#[test]
fn a_truncated_store_gives_a_clear_answer_and_recover_keeps_what_verifies() {
    let good = good_store();
    for file in store_files(good.path()) {
        let copy = tempfile::tempdir().unwrap();
        copy_dir(good.path(), copy.path());
        let target = copy.path().join("store").join(file.file_name().unwrap());
        let len = std::fs::metadata(&target).unwrap().len();
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(&target)
            .unwrap();
        f.set_len(len / 2).unwrap();
        drop(f);
        let out = dutydesk(copy.path(), &["tickets"]);
        assert_no_crash(&out, &format!("{} truncated", file.display()));
        let new = copy.path().join("recovered");
        let rec = dutydesk(copy.path(), &["recover", "--out", new.to_str().unwrap()]);
        assert_no_crash(&rec, "recover");
        if rec.status.success() {
            // Whatever was kept opens and verifies end to end.
            let doc = dutydesk(&new, &["doctor", "--json"]);
            assert!(
                doc.status.success(),
                "{}",
                String::from_utf8_lossy(&doc.stderr)
            );
            let v: serde_json::Value = serde_json::from_slice(&doc.stdout).unwrap();
            assert_eq!(v["chain_ok"], true);
        }
    }
}

#[test]
fn recover_of_a_healthy_store_keeps_every_record_with_its_hashes() {
    let good = good_store();
    let new = good.path().join("copy");
    let out = dutydesk(good.path(), &["recover", "--out", new.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("recovered all 22 records"));
    let a = dutydesk(good.path(), &["log", "--json"]);
    let b = dutydesk(&new, &["log", "--json"]);
    assert_eq!(a.stdout, b.stdout, "same records, same hashes");
    assert!(new.join("site.toml").exists() || !good.path().join("site.toml").exists());
    let again = dutydesk(good.path(), &["recover", "--out", new.to_str().unwrap()]);
    assert!(
        !again.status.success(),
        "never over a directory that holds something"
    );
}

#[test]
fn a_record_altered_on_disk_is_reported_by_number_and_recover_keeps_the_records_before_it() {
    let dir = tempfile::tempdir().unwrap();
    for (i, summary) in ["first leak", "MARK-altered-here", "third leak"]
        .iter()
        .enumerate()
    {
        let unit = format!("1-0{}01", i + 1);
        let out = dutydesk(
            dir.path(),
            &[
                "call",
                "--unit",
                &unit,
                "--kind",
                "repair",
                "--summary",
                summary,
            ],
        );
        assert!(out.status.success());
    }
    stop_owner(dir.path());
    // Change the record's text wherever sled keeps a copy of it, as a curious edit would.
    let mut hits = 0;
    for file in store_files(dir.path()) {
        let mut bytes = std::fs::read(&file).unwrap();
        let needle = b"MARK-altered-here";
        let mut i = 0;
        while i + needle.len() <= bytes.len() {
            if &bytes[i..i + needle.len()] == needle {
                bytes[i] = b'W';
                hits += 1;
            }
            i += 1;
        }
        std::fs::write(&file, bytes).unwrap();
    }
    assert!(hits > 0, "the record's text is in the store files");
    // Recover reads the files only; run it on an untouched copy of the damage.
    let untouched = tempfile::tempdir().unwrap();
    copy_dir(dir.path(), untouched.path());
    let out = dutydesk(dir.path(), &["tickets"]);
    assert_no_crash(&out, "altered record");
    assert!(
        !out.status.success(),
        "an altered record must not be accepted"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    // sled's own checksums or the record's hash catch it, whichever reads it first.
    assert!(err.contains("damaged"), "{err}");
    assert!(err.contains("recover"), "says how to recover: {err}");
    assert_eq!(out.status.code(), Some(7));
    // Nothing more is written to it.
    let call = dutydesk(
        dir.path(),
        &[
            "call",
            "--unit",
            "1-0101",
            "--kind",
            "repair",
            "--summary",
            "x",
        ],
    );
    assert!(!call.status.success());
    // Doctor prints its diagnosis with the command to run, then says problems were found.
    let doc = dutydesk(dir.path(), &["doctor"]);
    let text = String::from_utf8_lossy(&doc.stdout);
    assert_eq!(doc.status.code(), Some(1), "{text}");
    assert!(
        text.contains("[FAIL] store: does not open") && text.contains("damaged"),
        "{text}"
    );
    assert!(
        text.contains("next: dutydesk --data") && text.contains("recover --out NEWDIR"),
        "{text}"
    );
    let new = dir.path().join("recovered");
    let rec = dutydesk(
        untouched.path(),
        &["recover", "--out", new.to_str().unwrap()],
    );
    assert!(
        rec.status.success(),
        "{}",
        String::from_utf8_lossy(&rec.stderr)
    );
    let text = String::from_utf8_lossy(&rec.stdout);
    assert!(
        text.contains("recovered records 1..3") && text.contains("breaks at record 4"),
        "{text}"
    );
    assert!(
        text.contains("1 later records"),
        "record 5 is kept aside for a person: {text}"
    );
    assert!(new.join("unlinked-records.jsonl").exists());
    let tickets = dutydesk(&new, &["tickets", "--json"]);
    assert!(tickets.status.success());
    let v: serde_json::Value = serde_json::from_slice(&tickets.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1, "the first call survives");
}

#[test]
fn records_sled_dropped_are_noticed_and_recover_takes_them_back_from_the_handover_export() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let op = |name: &str, args: &[&str]| {
        let mut all = vec!["--operator", name];
        all.extend_from_slice(args);
        let out = dutydesk(d, &all);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    op(
        "王军",
        &[
            "call",
            "--unit",
            "1-0101",
            "--kind",
            "repair",
            "--summary",
            "first leak",
        ],
    );
    op(
        "王军",
        &[
            "call",
            "--unit",
            "1-0201",
            "--kind",
            "repair",
            "--summary",
            "MARK-in-the-export",
        ],
    );
    op(
        "王军",
        &[
            "call",
            "--unit",
            "1-0301",
            "--kind",
            "repair",
            "--summary",
            "third leak",
        ],
    );
    op("王军", &["shift", "handover", "--to", "李娜"]);
    op("李娜", &["shift", "accept"]);
    op(
        "李娜",
        &[
            "call",
            "--unit",
            "1-0401",
            "--kind",
            "help",
            "--summary",
            "after the handover",
        ],
    );
    let before = dutydesk(d, &["log", "--json"]).stdout;
    stop_owner(d);
    for file in store_files(d) {
        let mut bytes = std::fs::read(&file).unwrap();
        if let Some(i) = bytes.windows(18).position(|w| w == b"MARK-in-the-export") {
            bytes[i] = b'W';
            std::fs::write(&file, bytes).unwrap();
        }
    }
    let untouched = tempfile::tempdir().unwrap();
    copy_dir(d, untouched.path());
    // Opening lets sled drop what it cannot read; the desk notices and refuses.
    let out = dutydesk(d, &["tickets"]);
    assert_no_crash(&out, "dropped records");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("damaged") && err.contains("recover"), "{err}");
    // The export written at the handover holds a verified copy of shift 1.
    let new = untouched.path().join("recovered");
    let rec = dutydesk(
        untouched.path(),
        &["recover", "--out", new.to_str().unwrap()],
    );
    assert!(
        rec.status.success(),
        "{}",
        String::from_utf8_lossy(&rec.stderr)
    );
    assert!(
        String::from_utf8_lossy(&rec.stdout).contains("recovered all"),
        "{}",
        String::from_utf8_lossy(&rec.stdout)
    );
    let after = dutydesk(&new, &["log", "--json"]).stdout;
    stop_owner(&new);
    assert_eq!(after, before, "every record back, with its hashes");
}

#[test]
fn a_damaged_older_journal_frame_refuses_the_store_keeps_the_journal_and_recover_gets_everything() {
    let good = good_store();
    let journal_path = good.path().join("store/journal");
    let mut journal = std::fs::read(&journal_path).unwrap();
    // The owner was killed: its journal still holds every record since it started.
    let frame_len =
        |at: usize| u32::from_be_bytes(journal[at..at + 4].try_into().unwrap()) as usize;
    let third = 4 + frame_len(0);
    let third = third + 4 + frame_len(third);
    assert!(journal.len() > third + 200, "the journal holds many frames");
    journal[third + 4 + 67 + 3] ^= 0x10;
    std::fs::write(&journal_path, &journal).unwrap();

    let out = dutydesk(good.path(), &["tickets"]);
    assert_no_crash(&out, "damaged journal frame");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "refused as damaged: {err}");
    assert!(
        err.contains("journal") && err.contains("frame 3") && err.contains("recover"),
        "names the journal frame and `recover`: {err}"
    );
    assert_eq!(
        std::fs::read(&journal_path).unwrap(),
        journal,
        "the journal is evidence: unchanged, byte for byte"
    );

    // Doctor diagnoses it: every line, the damaged frame, what to run; then exit 1.
    let doc = dutydesk(good.path(), &["doctor"]);
    let text = String::from_utf8_lossy(&doc.stdout);
    assert_eq!(doc.status.code(), Some(1), "problems found: {text}");
    assert!(text.contains("[FAIL] store: does not open"), "{text}");
    assert!(
        text.contains("[FAIL] journal") && text.contains("frame 3"),
        "{text}"
    );
    assert!(text.contains("recover --out NEWDIR"), "{text}");
    assert!(
        text.contains("free disk space") && text.contains("durable append"),
        "{text}"
    );
    assert_eq!(
        std::fs::read(&journal_path).unwrap(),
        journal,
        "doctor changes nothing"
    );

    let new = good.path().join("recovered");
    let rec = dutydesk(good.path(), &["recover", "--out", new.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&rec.stdout);
    assert!(
        rec.status.success(),
        "{}",
        String::from_utf8_lossy(&rec.stderr)
    );
    assert!(text.contains("recovered all 22 records"), "{text}");
    stop_owner(good.path());
}

#[test]
fn recover_never_says_all_while_acknowledged_records_are_missing() {
    let good = good_store();
    // The marker says 3 more records were acknowledged than any file still holds.
    let marker = good.path().join("store/acknowledged");
    let mut bytes = std::fs::read(&marker).unwrap();
    let seq = u64::from_be_bytes(bytes[..8].try_into().unwrap());
    assert_eq!(seq, 22);
    bytes[..8].copy_from_slice(&(seq + 3).to_be_bytes());
    std::fs::write(&marker, bytes).unwrap();
    let new = good.path().join("recovered");
    let rec = dutydesk(good.path(), &["recover", "--out", new.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&rec.stdout);
    assert!(!text.contains("recovered all"), "{text}");
    assert!(text.contains("recovered records 1..22"), "{text}");
    assert!(
        text.contains("3 acknowledged records could not be brought back")
            && text.contains("up to record 25"),
        "{text}"
    );
}

#[test]
fn a_damaged_sled_conf_file_points_to_recover() {
    let good = good_store();
    let copy = tempfile::tempdir().unwrap();
    copy_dir(good.path(), copy.path());
    // Bytes that are not text: sled 0.34.7 then says the store "may have been
    // created using a sled version earlier than 0.29".
    std::fs::write(copy.path().join("store").join("conf"), [0xffu8; 24]).unwrap();
    let out = dutydesk(copy.path(), &["tickets", "--json"]);
    assert_no_crash(&out, "damaged conf");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "{err}");
    assert!(err.contains("dutydesk recover --out NEWDIR"), "{err}");
}
