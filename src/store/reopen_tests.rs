//! A write that failed half-way: the store stops writing, and reopening it keeps
//! exactly the acknowledged records, whatever sled wrote out of the refused batch.

use super::*;

use super::test_body as body;

#[test]
fn a_poisoned_store_refuses_writes_and_reopens_with_only_what_was_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    for n in 0..3 {
        store.append(vec![body(n)]).unwrap();
    }
    let acknowledged = store.head();
    // A refused batch that reached sled (its flush then failed): record 4 sits in
    // the tree, and sled may write it out later.
    let (refused, bytes) = Record::seal(Body { seq: 4, ..body(99) }, acknowledged.hash).unwrap();
    store
        .log()
        .unwrap()
        .insert(4u64.to_be_bytes(), bytes)
        .unwrap();
    store.handles().unwrap().db.flush().unwrap();
    store.poisoned = Some("No space left on device (os error 28)".into());

    let err = store.append(vec![body(5)]).unwrap_err();
    assert!(matches!(err, DeskError::Storage(_)), "{err:?}");
    assert!(err.to_string().contains("Nothing was recorded"));

    store.reopen().unwrap();
    assert!(!store.is_poisoned());
    assert_eq!(store.head(), acknowledged);
    assert_eq!(store.get(4).unwrap(), None, "the refused record is gone");
    let next = store.append(vec![body(6)]).unwrap();
    assert_eq!(next[0].body.seq, 4);
    assert_ne!(next[0].hash, refused.hash);

    // From the files alone: four records, the chain verifies, no trace of the refused one.
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    let all: Vec<Record> = store.records_from(1).collect::<Result<_, _>>().unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[3].hash, next[0].hash);
}

#[test]
fn a_full_disk_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let free = space::free_bytes(dir.path()).unwrap_or(0);
    // A margin no disk has: the check must refuse and say so.
    let err = space::check(dir.path(), free).unwrap_err();
    let text = err.to_string();
    assert_eq!(err.exit_code(), 8);
    assert!(
        text.contains("is full") && text.contains("Free some space"),
        "{text}"
    );
    assert!(space::check(dir.path(), 0).is_ok() || free < FREE_MARGIN);
}
