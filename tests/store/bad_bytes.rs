//! Bad bytes everywhere: every decoder gets arbitrary and mutated input and must
//! answer with an error, never a panic, and never allocate beyond its limit.
//! Where the right verdict is known it is asserted, not only the absence of a
//! panic: a damaged record or export is refused, an untouched one accepted.
//! Case counts are kept small so the whole file runs in a few seconds.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::Write;
use std::path::Path;

use dutydesk::domain::{Event, Kind, Priority, TicketId};
use dutydesk::server::frame;
use dutydesk::server::protocol::{Reply, Request};
use dutydesk::store::record::{hash_of, FORMAT, SCHEMA};
use dutydesk::store::{Body, Record, GENESIS};
use proptest::prelude::*;

/// Counts the largest single allocation made on the current thread, so the frame
/// test can check that a hostile length never makes the reader allocate past `max`.
struct Tracking;

thread_local! {
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Tracking {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let _ = LARGEST.try_with(|c| c.set(c.get().max(l.size())));
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        let _ = LARGEST.try_with(|c| c.set(c.get().max(n)));
        System.realloc(p, l, n)
    }
}

#[global_allocator]
static ALLOC: Tracking = Tracking;

fn cases(n: u32) -> ProptestConfig {
    ProptestConfig {
        cases: n,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn valid_record_bytes() -> Vec<u8> {
    let body = Body {
        seq: 1,
        at_us: 1_700_000_000_000_000,
        operator: "王军".into(),
        unix_user: "wang".into(),
        shift: 1,
        request: Some("req-1".into()),
        event: Event::TicketOpened {
            id: TicketId("R001".into()),
            kind: Kind::Repair,
            priority: Priority(2),
            unit: "1-1203".into(),
            caller: Some("陈建国".into()),
            phone: Some("13812345678".into()),
            summary: "卫生间天花板漏水".into(),
            related: None,
        },
    };
    Record::seal(body, GENESIS).expect("seal").1
}

/// Stored bytes whose hash matches `body`, so the body decoder itself is reached.
fn with_valid_hash(body: &[u8]) -> Vec<u8> {
    let hash = hash_of(&GENESIS, body);
    let mut out = vec![FORMAT];
    out.extend_from_slice(&SCHEMA.to_be_bytes());
    out.extend_from_slice(&GENESIS);
    out.extend_from_slice(&hash);
    out.extend_from_slice(body);
    out
}

fn mutate(mut bytes: Vec<u8>, edits: &[(usize, u8)], cut: Option<usize>) -> Vec<u8> {
    if !bytes.is_empty() {
        for (at, b) in edits {
            let i = at % bytes.len();
            bytes[i] ^= b | 1;
        }
    }
    if let Some(c) = cut {
        bytes.truncate(c % (bytes.len() + 1));
    }
    bytes
}

fn mutate_text(text: &str, edits: &[(usize, u8)], cut: Option<usize>) -> String {
    String::from_utf8_lossy(&mutate(text.as_bytes().to_vec(), edits, cut)).into_owned()
}

/// How many whole records of `original` (one JSON record a line) a mutated copy
/// still holds unchanged, if that is all it holds: each non-blank line equal to
/// the original line at its place, but for a byte-order mark in front and JSON's
/// own white space around it. `None` when any line was damaged (or none is left).
fn intact_prefix(original: &str, mutated: &str) -> Option<usize> {
    let lines: Vec<&str> = original.lines().collect();
    let json_space: &[char] = &[' ', '\t', '\n', '\r'];
    let mut n = 0;
    for line in mutated.lines() {
        let line = line.trim_start_matches('\u{feff}');
        if line.trim().is_empty() {
            continue;
        }
        if lines.get(n) != Some(&line.trim_matches(json_space)) {
            return None;
        }
        n += 1;
    }
    (n > 0).then_some(n)
}

/// The verdict on a mutated configuration file: the untouched text is accepted,
/// and a refusal names the file (a mutated one may still be valid, with other values).
fn judged<T, E: std::fmt::Display>(
    original: &str,
    given: &str,
    file: &str,
    verdict: Result<T, E>,
) -> Result<(), TestCaseError> {
    if let Err(e) = &verdict {
        prop_assert!(given != original, "the untouched {file} is refused: {e}");
    }
    names_the_file(file, verdict)
}

/// A refusal of a configuration file says which file the operator must fix.
fn names_the_file<T, E: std::fmt::Display>(
    file: &str,
    verdict: Result<T, E>,
) -> Result<(), TestCaseError> {
    if let Err(e) = verdict {
        let msg = e.to_string();
        prop_assert!(msg.contains(file), "the refusal names {file}: {msg}");
    }
    Ok(())
}

fn edits() -> impl Strategy<Value = (Vec<(usize, u8)>, Option<usize>)> {
    (
        prop::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        prop::option::of(any::<usize>()),
    )
}

proptest! {
    #![proptest_config(cases(1000))]

    #[test]
    fn stored_records_from_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        // Bytes nobody sealed never carry a matching SHA-256: always refused.
        prop_assert!(Record::decode(&bytes).is_err());
    }

    #[test]
    fn stored_records_with_a_valid_hash_over_arbitrary_bodies(
        body in prop::collection::vec(any::<u8>(), 0..300)
    ) {
        let _ = Record::decode(&with_valid_hash(&body));
    }

    #[test]
    fn stored_records_mutated((e, cut) in edits()) {
        let good = valid_record_bytes();
        let bytes = mutate(good.clone(), &e, cut);
        // Any changed or missing byte is refused; only the untouched record decodes.
        prop_assert_eq!(Record::decode(&bytes).is_ok(), bytes == good);
        // The body re-sealed with a valid hash reaches postcard with damaged fields:
        // it may decode to another record, never silently to the original one.
        let original = Record::decode(&good).expect("valid").body;
        let body = mutate(good[67..].to_vec(), &e, cut);
        let decoded = Record::decode(&with_valid_hash(&body)).map(|r| r.body);
        if body == good[67..] {
            prop_assert_eq!(decoded, Ok(original));
        } else {
            prop_assert_ne!(decoded, Ok(original));
        }
    }

    #[test]
    fn socket_frames_from_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = frame::read::<Request>(&mut &bytes[..], frame::MAX_REQUEST);
        let _ = frame::read::<Reply>(&mut &bytes[..], 4096);
    }

    #[test]
    fn a_hostile_frame_length_never_allocates_past_the_limit(
        len in any::<u32>(),
        rest in prop::collection::vec(any::<u8>(), 0..64)
    ) {
        let max = 64 << 10;
        let mut bytes = len.to_be_bytes().to_vec();
        bytes.extend_from_slice(&rest);
        LARGEST.with(|c| c.set(0));
        let r = frame::read::<Request>(&mut &bytes[..], max);
        let largest = LARGEST.with(|c| c.get());
        prop_assert!(r.is_err() || len <= max);
        prop_assert!(largest <= max as usize + 4096, "allocated {largest} bytes for a {len}-byte frame");
    }

    #[test]
    fn site_directory_toml_mutated((e, cut) in edits()) {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/site.toml"),
        ).expect("fixture");
        let given = mutate_text(&text, &e, cut);
        let verdict = dutydesk::config::site::Site::parse(&given, Path::new("site.toml"));
        judged(&text, &given, "site.toml", verdict)?;
    }

    #[test]
    fn checklist_toml_mutated((e, cut) in edits(), which in 0usize..7) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/config/plans");
        let mut files: Vec<_> = std::fs::read_dir(&dir).expect("plans").filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        let path = &files[which % files.len()];
        let text = std::fs::read_to_string(path).expect("plan");
        let given = mutate_text(&text, &e, cut);
        let name = path.file_name().and_then(|n| n.to_str()).expect("a plan's name");
        judged(&text, &given, name, dutydesk::emergency::Plan::parse(&given, path))?;
    }

    #[test]
    fn keymap_toml_mutated((e, cut) in edits(), vim in any::<bool>()) {
        let text = if vim { dutydesk::tui::keymap::VIM } else { dutydesk::tui::keymap::DEFAULT };
        let given = mutate_text(text, &e, cut);
        let verdict = dutydesk::tui::keymap::Keymap::with_user(&given, Path::new("keys.toml"));
        judged(text, &given, "keys.toml", verdict)?;
    }

    #[test]
    fn any_text_as_toml_anywhere(text in "\\PC{0,200}") {
        let p = Path::new("x.toml");
        // Whatever the text, a refusal says which file it is about.
        for verdict in [
            dutydesk::config::site::Site::parse(&text, p).map(drop),
            dutydesk::emergency::Plan::parse(&text, p).map(drop),
            dutydesk::tui::keymap::Keymap::with_user(&text, p).map(drop),
        ] {
            names_the_file("x.toml", verdict)?;
        }
    }
}

proptest! {
    // These write a file per case: fewer cases.
    #![proptest_config(cases(200))]

    #[test]
    fn operators_toml_mutated((e, cut) in edits()) {
        let text = "[[operator]]\nunix_user = \"wang\"\nname = \"王军\"\nrole = \"duty-manager\"\n\n\
                    [[operator]]\nunix_user = \"li\"\nname = \"李伟\"\nrole = \"dispatcher\"\n";
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("operators.toml");
        let given = mutate_text(text, &e, cut);
        std::fs::write(&file, &given).expect("write");
        judged(text, &given, "operators.toml", dutydesk::server::operators::load(&file))?;
        let who = dutydesk::server::operators::resolve(&file, "wang", None);
        if given == text {
            prop_assert_eq!(who.ok().map(|a| a.operator), Some("王军".to_string()));
        }
    }

    #[test]
    fn exported_jsonl_mutated((e, cut) in edits(), lines in 1usize..4) {
        let mut prev = GENESIS;
        let mut text = String::new();
        let mut heads = Vec::new();
        for seq in 1..=lines as u64 {
            let mut body = Record::decode(&valid_record_bytes()).expect("valid").body;
            body.seq = seq;
            let (rec, _) = Record::seal(body, prev).expect("seal");
            prev = rec.hash;
            heads.push(dutydesk::store::record::hex(&rec.hash));
            text.push_str(&rec.to_json().to_string());
            text.push('\n');
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("shift.jsonl");
        let mutated = mutate_text(&text, &e, cut);
        let mut f = std::fs::File::create(&file).expect("create");
        f.write_all(mutated.as_bytes()).expect("write");
        drop(f);
        let verdict = dutydesk::export::verify::verify_file(&file);
        match (intact_prefix(&text, &mutated), verdict) {
            // What is left is whole records of the original chain: it verifies as such.
            (Some(n), Ok(v)) => {
                prop_assert_eq!(v.records, n as u64);
                prop_assert_eq!(v.last_seq, n as u64);
                prop_assert_eq!(&v.head_hash, &heads[n - 1]);
            }
            (Some(n), Err(e)) => prop_assert!(false, "{n} intact records refused: {e}"),
            (None, Ok(v)) => prop_assert!(false, "a damaged export verified: {v:?}"),
            (None, Err(e)) => {
                let msg = e.to_string();
                prop_assert!(msg.contains("shift.jsonl"), "names the file: {msg}");
            }
        }
    }

    #[test]
    fn exported_jsonl_arbitrary(text in "(\\PC{0,80}\n){0,4}") {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("any.jsonl");
        std::fs::write(&file, &text).expect("write");
        // Text nobody sealed is never a chain of records.
        prop_assert!(dutydesk::export::verify::verify_file(&file).is_err());
    }
}
