//! The journal puts back what sled had not flushed, and nothing else.

use super::*;

use super::test_body as body;

/// A store holding records 1..=n, flushed (its journal empty).
fn store_with(dir: &Path, n: u64) -> Store {
    let mut store = Store::open(dir).unwrap();
    for i in 0..n {
        store.append(vec![body(i)]).unwrap();
    }
    store.sync().unwrap();
    store
}

/// The journal of a store that went on to records 4 and 5 after 1..=3.
fn journal_with_4_and_5() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with(dir.path(), 3);
    store.append(vec![body(3)]).unwrap();
    store.append(vec![body(4)]).unwrap();
    std::fs::read(dir.path().join(journal::FILE)).unwrap()
}

#[test]
fn records_only_in_the_journal_are_put_back_into_the_log() {
    let journal = journal_with_4_and_5();
    assert!(!journal.is_empty());
    // The same first three records, flushed; then a crash left 4 and 5 only in the journal.
    let dir = tempfile::tempdir().unwrap();
    drop(store_with(dir.path(), 3));
    std::fs::write(dir.path().join(journal::FILE), &journal).unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.head().seq, 5);
    let all: Vec<Record> = store.records_from(1).map(|r| r.unwrap()).collect();
    assert_eq!(all.len(), 5, "every link checked on the way");
    assert_eq!(
        std::fs::metadata(dir.path().join(journal::FILE))
            .unwrap()
            .len(),
        0,
        "emptied once sled holds them durably"
    );
}

#[test]
fn a_torn_last_frame_ends_the_replay_and_a_foreign_journal_is_ignored() {
    let journal = journal_with_4_and_5();
    let dir = tempfile::tempdir().unwrap();
    drop(store_with(dir.path(), 3));
    // The crash came in the middle of writing record 5: it was never acknowledged.
    std::fs::write(
        dir.path().join(journal::FILE),
        &journal[..journal.len() - 7],
    )
    .unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.head().seq, 4);
    drop(store);

    // A journal whose records do not follow this log's head adds nothing.
    let other = tempfile::tempdir().unwrap();
    drop(store_with(other.path(), 1));
    std::fs::write(other.path().join(journal::FILE), &journal).unwrap();
    let store = Store::open(other.path()).unwrap();
    assert_eq!(store.head().seq, 1);
}

#[test]
fn an_append_is_durable_in_the_journal_before_it_returns() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with(dir.path(), 1);
    let before = std::fs::metadata(dir.path().join(journal::FILE))
        .unwrap()
        .len();
    store.append(vec![body(1)]).unwrap();
    let after = std::fs::read(dir.path().join(journal::FILE)).unwrap();
    assert!(after.len() as u64 > before);
    let (_, records) = journal::Journal::open(dir.path()).unwrap();
    assert_eq!(records.last().map(|r| r.body.seq), Some(2));
}
