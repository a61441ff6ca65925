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
fn a_torn_last_frame_ends_the_replay() {
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
}

#[test]
fn a_journal_that_does_not_match_the_log_is_refused_and_kept() {
    let journal = journal_with_4_and_5();
    // Records 4 and 5 after a log that holds only record 1: records 2 and 3 are
    // gone from somewhere, so this is damage, and the journal is evidence of it.
    let other = tempfile::tempdir().unwrap();
    drop(store_with(other.path(), 1));
    std::fs::write(other.path().join(journal::FILE), &journal).unwrap();
    let err = Store::open(other.path()).err().expect("refused");
    assert!(matches!(err, DeskError::Damaged(_)), "{err:?}");
    assert!(err.to_string().contains("recover"), "{err}");
    assert_eq!(
        std::fs::read(other.path().join(journal::FILE)).unwrap(),
        journal,
        "kept as it was"
    );
}

/// A data directory whose log holds records 1..=4 flushed, whose journal holds
/// 4 and 5, and whose marker says 5 was acknowledged: the owner was killed after
/// acknowledging 5, before sled flushed it. Returns the directory and the journal.
fn killed_after_acknowledging_5() -> (tempfile::TempDir, Vec<u8>) {
    let journal = journal_with_4_and_5();
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("store");
    drop(store_with(&dir, 4));
    std::fs::write(dir.join(journal::FILE), &journal).unwrap();
    let five = journal::scan(&journal).records[1].clone();
    let mut marker = five.body.seq.to_be_bytes().to_vec();
    marker.extend_from_slice(&five.hash);
    std::fs::write(dir.join(ACKNOWLEDGED), marker).unwrap();
    (data, journal)
}

#[test]
fn a_damaged_older_frame_refuses_the_store_keeps_the_journal_and_recover_brings_back_the_last_record(
) {
    let (data, mut journal) = killed_after_acknowledging_5();
    let dir = data.path().join("store");
    // One flipped bit in the body of frame 1 (record 4, which sled holds too).
    journal[4 + 67 + 5] ^= 0x01;
    std::fs::write(dir.join(journal::FILE), &journal).unwrap();

    let err = Store::open(&dir)
        .err()
        .expect("a damaged journal is refused");
    let text = err.to_string();
    assert_eq!(err.exit_code(), 7, "{text}");
    assert!(
        text.contains("journal") && text.contains("frame 1") && text.contains("recover"),
        "names the frame and what to run: {text}"
    );
    assert_eq!(
        std::fs::read(dir.join(journal::FILE)).unwrap(),
        journal,
        "the journal is unchanged, byte for byte"
    );
    // Any later command is refused the same way, and still changes nothing.
    assert!(Store::open(&dir).is_err());
    assert_eq!(std::fs::read(dir.join(journal::FILE)).unwrap(), journal);

    let out = tempfile::tempdir().unwrap();
    let r = recover::recover(data.path(), &out.path().join("new")).unwrap();
    assert_eq!((r.kept, r.lost_acknowledged), (5, 0), "{r:?}");
    assert!(r.is_complete());
    let store = Store::open(&out.path().join("new/store")).unwrap();
    assert_eq!(store.head().seq, 5);
}

#[test]
fn recover_says_how_many_acknowledged_records_it_could_not_bring_back() {
    let (data, mut journal) = killed_after_acknowledging_5();
    let dir = data.path().join("store");
    // The only copy of record 5 is damaged.
    let last = journal.len() - 3;
    journal[last] ^= 0x01;
    std::fs::write(dir.join(journal::FILE), &journal).unwrap();
    let err = Store::open(&dir).err().expect("refused");
    assert!(err.to_string().contains("acknowledged record 5"), "{err}");
    assert_eq!(std::fs::read(dir.join(journal::FILE)).unwrap(), journal);

    let out = tempfile::tempdir().unwrap();
    let r = recover::recover(data.path(), &out.path().join("new")).unwrap();
    assert_eq!(r.kept, 4);
    assert_eq!(r.acknowledged, Some(5));
    assert_eq!(r.lost_acknowledged, 1, "{r:?}");
    assert!(
        !r.is_complete(),
        "never \"all\" while an acknowledged record is missing"
    );
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
    assert_eq!(records.records.last().map(|r| r.body.seq), Some(2));
}
