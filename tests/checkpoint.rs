//! The state checkpoint: a cache that makes a long history open fast, never a
//! second source of truth.

use std::sync::Arc;

use dutydesk::clock::SystemClock;
use dutydesk::demo::generate::generate;
use dutydesk::domain::Lang;
use dutydesk::Desk;

fn tickets_of(dir: &std::path::Path) -> String {
    let desk = Desk::open(dir, Arc::new(SystemClock)).unwrap();
    let st = desk.state();
    format!("{} {:?} {:?}", st.seq, st.tickets, st.shifts)
}

#[test]
fn a_checkpoint_gives_the_same_state_and_a_damaged_or_stale_one_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 21_000, Lang::En).unwrap();
    let cp = dir.path().join("checkpoint.bin");
    // The first open replays everything and leaves a checkpoint behind.
    let full = tickets_of(dir.path());
    assert!(cp.exists(), "a long replay writes a checkpoint");
    assert_eq!(
        tickets_of(dir.path()),
        full,
        "from the checkpoint: the same state"
    );

    // A damaged checkpoint is detected, ignored and written afresh.
    let mut bytes = std::fs::read(&cp).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&cp, &bytes).unwrap();
    assert_eq!(tickets_of(dir.path()), full);
    assert_ne!(std::fs::read(&cp).unwrap(), bytes, "rewritten");

    // A checkpoint of another store (stale: its record is not in this log) is ignored.
    let other = tempfile::tempdir().unwrap();
    generate(other.path(), 21_500, Lang::Zh).unwrap();
    let _ = tickets_of(other.path());
    std::fs::copy(other.path().join("checkpoint.bin"), &cp).unwrap();
    assert_eq!(
        tickets_of(dir.path()),
        full,
        "the log wins over a foreign checkpoint"
    );
}
