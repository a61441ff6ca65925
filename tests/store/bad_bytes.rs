//! Bad bytes everywhere: every decoder gets arbitrary and mutated input and must
//! answer with an error, never a panic, and never allocate beyond its limit.
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
        let _ = Record::decode(&bytes);
    }

    #[test]
    fn stored_records_with_a_valid_hash_over_arbitrary_bodies(
        body in prop::collection::vec(any::<u8>(), 0..300)
    ) {
        let _ = Record::decode(&with_valid_hash(&body));
    }

    #[test]
    fn stored_records_mutated((e, cut) in edits()) {
        let bytes = mutate(valid_record_bytes(), &e, cut);
        if let Ok(rec) = Record::decode(&bytes) {
            // Whatever still decodes is self-consistent.
            prop_assert!(rec.hash_is_valid());
        }
        // The body re-sealed with a valid hash reaches postcard with damaged fields.
        let body = mutate(valid_record_bytes()[67..].to_vec(), &e, cut);
        let _ = Record::decode(&with_valid_hash(&body));
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
        let _ = dutydesk::config::site::Site::parse(&mutate_text(&text, &e, cut), Path::new("site.toml"));
    }

    #[test]
    fn checklist_toml_mutated((e, cut) in edits(), which in 0usize..7) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/emergency/plans");
        let mut files: Vec<_> = std::fs::read_dir(&dir).expect("plans").filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        let path = &files[which % files.len()];
        let text = std::fs::read_to_string(path).expect("plan");
        let _ = dutydesk::emergency::Plan::parse(&mutate_text(&text, &e, cut), path);
    }

    #[test]
    fn keymap_toml_mutated((e, cut) in edits(), vim in any::<bool>()) {
        let text = if vim { dutydesk::tui::keymap::VIM } else { dutydesk::tui::keymap::DEFAULT };
        let _ = dutydesk::tui::keymap::Keymap::with_user(&mutate_text(text, &e, cut), Path::new("keys.toml"));
    }

    #[test]
    fn any_text_as_toml_anywhere(text in "\\PC{0,200}") {
        let p = Path::new("x.toml");
        let _ = dutydesk::config::site::Site::parse(&text, p);
        let _ = dutydesk::emergency::Plan::parse(&text, p);
        let _ = dutydesk::tui::keymap::Keymap::with_user(&text, p);
    }
}

proptest! {
    // These write a file per case: fewer cases.
    #![proptest_config(cases(200))]

    #[test]
    fn operators_toml_mutated((e, cut) in edits()) {
        let text = "[[operator]]\nunix_user = \"wang\"\nname = \"王军\"\nrole = \"manager\"\n\n\
                    [[operator]]\nunix_user = \"li\"\nname = \"李伟\"\nrole = \"dispatcher\"\n";
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("operators.toml");
        std::fs::write(&file, mutate_text(text, &e, cut)).expect("write");
        let _ = dutydesk::server::operators::load(&file);
        let _ = dutydesk::server::operators::resolve(&file, "wang", None);
    }

    #[test]
    fn exported_jsonl_mutated((e, cut) in edits(), lines in 1usize..4) {
        let mut prev = GENESIS;
        let mut text = String::new();
        for seq in 1..=lines as u64 {
            let mut body = Record::decode(&valid_record_bytes()).expect("valid").body;
            body.seq = seq;
            let (rec, _) = Record::seal(body, prev).expect("seal");
            prev = rec.hash;
            text.push_str(&rec.to_json().to_string());
            text.push('\n');
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("shift.jsonl");
        let mut f = std::fs::File::create(&file).expect("create");
        f.write_all(mutate_text(&text, &e, cut).as_bytes()).expect("write");
        drop(f);
        let _ = dutydesk::export::verify::verify_file(&file);
    }

    #[test]
    fn exported_jsonl_arbitrary(text in "(\\PC{0,80}\n){0,4}") {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("any.jsonl");
        std::fs::write(&file, &text).expect("write");
        let _ = dutydesk::export::verify::verify_file(&file);
    }
}
