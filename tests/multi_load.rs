//! Eight operators submitting at once: every command applied exactly once, in
//! one unbroken chain.

mod multi_support;

use std::collections::HashSet;

use dutydesk::DeskApi;
use multi_support::*;

const CLIENTS: usize = 8;
const EACH: usize = 40;

#[test]
fn eight_clients_submitting_at_once_apply_every_command_once() {
    let site = Site::new();
    let mut watcher = site.client("watcher");
    let live = watcher.subscribe_live().unwrap();
    let mut threads = Vec::new();
    for c in 0..CLIENTS {
        let opts = site.options(&format!("op{c}"));
        threads.push(std::thread::spawn(move || {
            let mut client = dutydesk::server::Client::open(opts).expect("connect");
            for i in 0..EACH {
                client
                    .submit(call("1-0101", &format!("c{c}-n{i}")), None)
                    .expect("submit");
            }
        }));
    }
    for t in threads {
        t.join().expect("a client thread");
    }
    let records = watcher.records(1, usize::MAX).unwrap();
    let opened: Vec<_> = records
        .iter()
        .filter(|r| r.body.event.type_name() == "ticket_opened")
        .collect();
    assert_eq!(opened.len(), CLIENTS * EACH);
    let keys: HashSet<_> = opened.iter().map(|r| r.body.request.clone()).collect();
    assert_eq!(
        keys.len(),
        CLIENTS * EACH,
        "one idempotency key per submission"
    );
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r.body.seq, i as u64 + 1);
        if i > 0 {
            assert_eq!(
                r.prev_hash,
                records[i - 1].hash,
                "chain broken at {}",
                i + 1
            );
        }
    }
    // The watcher saw every one of them live, in order.
    let mut seen = 0;
    while seen < records.len() {
        if let dutydesk::Live::Record(r) = live.recv_timeout(PATIENCE).expect("live") {
            seen += 1;
            assert_eq!(r.body.seq, seen as u64);
        }
    }
    let out = site.dir().join("all.jsonl");
    site.ok(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(site
        .ok(&["verify", out.to_str().unwrap()])
        .starts_with("ok:"));
}
