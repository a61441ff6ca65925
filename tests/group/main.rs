//! The group view end to end with the real servers: a hub nats-server, a leaf
//! nats-server per site (JetStream domain = the site id), one PostgreSQL, real
//! owners shipping their logs and `dutydesk group ingest` between the hub and
//! PostgreSQL. Skipped (and saying why) where the servers are not installed;
//! in CI a skip is a failure.

#[path = "../support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use dutydesk::store::Record;
use dutydesk::DeskApi;
use support::multi::{call, Site, BIN};
use support::servers::{Nats, Pg, Proc};

/// How long anything may take to arrive on a loaded 2-core machine.
const ARRIVE: Duration = Duration::from_secs(40);

struct Group {
    // Dropped in this order: the ingest, the owners, the leaves, the hub, PostgreSQL.
    ingest: Option<Proc>,
    sites: Vec<(String, Site)>,
    _leaves: Vec<Nats>,
    hub: Nats,
    pg: Pg,
    tmp: tempfile::TempDir,
}

impl Group {
    /// Servers for `ids`, each site's data directory pointing at its leaf, and
    /// the ingest running; `None` when the servers are not installed.
    fn start(ids: &[&str]) -> Option<Group> {
        let (nats, initdb, postgres) = support::servers::available()?;
        let tmp = tempfile::Builder::new()
            .prefix("ddg")
            .tempdir_in("/tmp")
            .expect("tempdir");
        let pg = Pg::start(&initdb, &postgres, tmp.path());
        let hub = Nats::hub(&nats, tmp.path());
        let mut leaves = Vec::new();
        let mut sites = Vec::new();
        for id in ids {
            let leaf = Nats::leaf(&nats, tmp.path(), id, hub.leaf_port);
            let site = Site::new();
            std::fs::write(
                site.dir().join("group.toml"),
                format!("site = \"{id}\"\nnats = \"{}\"\n", leaf.url()),
            )
            .expect("write group.toml");
            leaves.push(leaf);
            sites.push((id.to_string(), site));
        }
        let mut g = Group {
            ingest: None,
            sites,
            _leaves: leaves,
            hub,
            pg,
            tmp,
        };
        g.start_ingest();
        Some(g)
    }

    fn start_ingest(&mut self) {
        let ids: Vec<&str> = self.sites.iter().map(|(id, _)| id.as_str()).collect();
        let log = self.tmp.path().join("ingest.log");
        self.ingest = Some(support::servers::ingest(
            BIN, &self.hub, &self.pg, &ids, &log,
        ));
    }

    fn ingest_log(&self) -> String {
        support::servers::read_to_string(&self.tmp.path().join("ingest.log"))
    }

    fn site(&self, id: &str) -> &Site {
        &self.sites.iter().find(|(i, _)| i == id).expect("site").1
    }

    /// Every record the group holds of `site`: (seq, hash), in order.
    fn held(&self, site: &str) -> Vec<(i64, Vec<u8>)> {
        let mut c = match postgres::Client::connect(&self.pg.url(), postgres::NoTls) {
            Ok(c) => c,
            Err(_) => return Vec::new(),
        };
        match c.query(
            "SELECT seq, hash FROM dd_events WHERE site = $1 ORDER BY seq",
            &[&site],
        ) {
            Ok(rows) => rows.iter().map(|r| (r.get(0), r.get(1))).collect(),
            Err(_) => Vec::new(), // the ingest has not created the tables yet
        }
    }

    fn wait_held(&self, site: &str, seq: u64) {
        let deadline = Instant::now() + ARRIVE;
        loop {
            let held = self.held(site);
            if held.last().is_some_and(|(s, _)| *s as u64 >= seq) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "site {site}: the group holds {} records, expected {seq}; ingest log:\n{}",
                held.len(),
                self.ingest_log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Every record of the site's log is held once, with the site's own hash.
    fn assert_exactly_once(&self, site: &str) -> u64 {
        let mut c = self.site(site).client("checker");
        let ours: Vec<Record> = c.records(1, usize::MAX).expect("read the site's log");
        let head = ours.len() as u64;
        self.wait_held(site, head);
        let held = self.held(site);
        assert_eq!(
            held.len() as u64,
            head,
            "site {site}: not every record once"
        );
        for (r, (seq, hash)) in ours.iter().zip(&held) {
            assert_eq!(r.body.seq, *seq as u64, "site {site}: out of order");
            assert_eq!(&r.hash[..], &hash[..], "site {site}: record {seq} altered");
        }
        head
    }

    fn status_json(&self) -> (serde_json::Value, i32) {
        let out = std::process::Command::new(BIN)
            .args(["group", "status", "--json", "--pg", &self.pg.url()])
            .output()
            .expect("run group status");
        let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "group status --json gave no JSON ({e}): {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (v, out.status.code().unwrap_or(-1))
    }

    fn site_status(&self, site: &str) -> serde_json::Value {
        let (v, _) = self.status_json();
        v["sites"]
            .as_array()
            .and_then(|a| a.iter().find(|s| s["site"] == site).cloned())
            .unwrap_or_else(|| panic!("no site {site} in group status: {v}"))
    }
}

/// The site's last committed record.
fn head(site: &Site) -> u64 {
    site.client("checker")
        .snapshot()
        .expect("snapshot")
        .state
        .seq
}

fn commit(site: &Site, n: usize, tag: &str) {
    let mut c = site.client("wang");
    for i in 0..n {
        c.submit(
            call(&format!("{}-{:04}", tag, i % 100), &format!("{tag} {i}")),
            None,
        )
        .expect("a command at the site");
    }
}

#[test]
fn a_site_cut_off_commits_1000_records_and_every_one_arrives_exactly_once() {
    let Some(mut g) = Group::start(&["s1", "s2"]) else {
        return;
    };
    commit(g.site("s1"), 5, "A");
    commit(g.site("s2"), 3, "B");
    // What the duty office looks for: an emergency and a repair not dispatched.
    g.site("s2")
        .ok(&["emergency", "start", "gas-leak", "--location", "B2"]);
    g.site("s2").ok(&[
        "call",
        "--unit",
        "2-0301",
        "--kind",
        "repair",
        "--summary",
        "leak",
        "--anonymous",
    ]);
    let before = head(g.site("s1"));
    g.wait_held("s1", before);
    g.wait_held("s2", head(g.site("s2")));

    // Cut the sites off from the group: the hub goes down.
    g.hub.stop();
    let t = Instant::now();
    commit(g.site("s1"), 1000, "C");
    let took = t.elapsed();
    // The desk works on alone, at its own pace (shipping never holds a command).
    assert!(
        took < Duration::from_secs(60),
        "1000 commands took {took:?} while cut off"
    );
    let (v, _) = g.status_json();
    let s1 = v["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["site"] == "s1")
        .unwrap()
        .clone();
    assert_eq!(
        s1["last_seq"], before,
        "the group cannot have seen records while cut off"
    );
    let cut_off = head(g.site("s1"));
    assert!(cut_off >= before + 1000, "1000 records at the site");

    // The link is back: everything arrives, once, with a verified chain.
    g.hub.start();
    assert_eq!(g.assert_exactly_once("s1"), cut_off);
    g.assert_exactly_once("s2");
    let s1 = g.site_status("s1");
    assert_eq!(s1["last_seq"], cut_off);
    assert_eq!(s1["chain_ok"], true);
    for k in ["lag_seconds", "active_emergencies", "overdue"] {
        assert!(s1.get(k).is_some(), "group status has no {k}: {s1}");
    }
    let shipped = format!("last shipped record {cut_off}, 0 not yet shipped");
    support::multi::wait_until("the site's doctor to show it shipped", || {
        dutydesk::group::status::read(g.site("s1").dir()).is_some_and(|s| s.shipped == cut_off)
    });
    // Other checks may warn on a test machine (a tmpfs); this line must be right.
    let out = g.site("s1").cli(&["doctor"]);
    let doctor = String::from_utf8_lossy(&out.stdout);
    assert!(doctor.contains(&shipped), "{doctor}");
    // The read model: s2's emergency is active, and its repair is overdue an
    // hour later (its dispatch target is minutes).
    let s2 = g.site_status("s2");
    assert_eq!(s2["active_emergencies"], 1, "{s2}");
    let later = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let out = std::process::Command::new(BIN)
        .args(["group", "status", "--json", "--pg", &g.pg.url()])
        .env("DUTYDESK_NOW", &later)
        .output()
        .expect("group status");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["emergencies"][0]["site"], "s2", "{v}");
    let od = v["overdue"].as_array().expect("overdue");
    assert!(
        od.iter()
            .any(|t| t["site"] == "s2" && t["summary"] == "leak"),
        "{v}"
    );
    let s2 = v["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["site"] == "s2")
        .unwrap()
        .clone();
    assert!(s2["overdue"].as_u64().unwrap_or(0) >= 1, "{s2}");
}

#[test]
fn an_owner_killed_mid_stream_ships_every_record_once_after_its_restart() {
    let Some(mut g) = Group::start(&["s3"]) else {
        return;
    };
    let site = g.site("s3");
    commit(site, 50, "D");
    // Killed at once after a burst: records committed but not yet shipped.
    let pid = site.owner_pid().expect("an owner");
    unsafe { libc::kill(pid, libc::SIGKILL) };
    support::multi::wait_until("the owner to die", || !support::multi::is_alive(pid));
    // The next command starts a new owner, which catches up from the stream.
    commit(site, 50, "E");
    assert_eq!(g.assert_exactly_once("s3"), head(site));
    // The ingest killed mid-stream too: unacknowledged batches come again and
    // the chain check passes the records it already holds over.
    let mut ingest = g.ingest.take().expect("ingest");
    if let Some(c) = ingest.child.as_mut() {
        let _ = c.kill();
    }
    drop(ingest);
    commit(g.site("s3"), 30, "F");
    g.start_ingest();
    assert_eq!(g.assert_exactly_once("s3"), head(g.site("s3")));
}

#[test]
fn a_duplicate_publish_is_stored_once() {
    let Some(g) = Group::start(&["s4"]) else {
        return;
    };
    let site = g.site("s4");
    commit(site, 10, "F");
    let h = head(site);
    g.wait_held("s4", h);
    let mut c = site.client("checker");
    let rec = c.records(5, 1).expect("record 5").remove(0);
    // Record 5 sent again as a publisher resending after an outage would.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let answer = rt.block_on(async {
        let target = dutydesk::group::publish::Target::of(
            &dutydesk::group::GroupConfig::load(site.dir())
                .unwrap()
                .unwrap(),
            None,
        );
        let js = dutydesk::group::publish::connect(&target)
            .await
            .expect("connect");
        let msg = async_nats::jetstream::message::PublishMessage::build()
            .payload(rec.to_bytes().unwrap().into())
            .message_id("s4:5")
            .expected_last_sequence(4);
        let ack = js
            .send_publish(target.subject.clone(), msg)
            .await
            .expect("send");
        let answer = ack.await;
        let info = js
            .get_stream(&target.stream)
            .await
            .unwrap()
            .get_info()
            .await
            .unwrap();
        (answer.map(|a| a.sequence), info.state.messages)
    });
    assert!(matches!(answer.0, Err(_) | Ok(5)), "{:?}", answer.0);
    assert_eq!(answer.1, h, "the site's stream holds a record twice");
    commit(site, 1, "G");
    assert_eq!(g.assert_exactly_once("s4"), head(site));
}

#[test]
fn a_forged_record_is_refused_at_the_centre_and_reported() {
    let Some(g) = Group::start(&["s5"]) else {
        return;
    };
    let site = g.site("s5");
    commit(site, 3, "H");
    let h = head(site);
    g.wait_held("s5", h);
    let mut c = site.client("checker");
    let rec = c.records(h, 1).expect("the last record").remove(0);
    // A record 5 that links to record 4 but whose contents were changed after sealing.
    let mut forged = rec.clone();
    forged.body.seq = h + 1;
    forged.prev_hash = rec.hash;
    forged.body.operator = "mallory".into();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let target = dutydesk::group::publish::Target::of(
            &dutydesk::group::GroupConfig::load(site.dir())
                .unwrap()
                .unwrap(),
            None,
        );
        let js = dutydesk::group::publish::connect(&target)
            .await
            .expect("connect");
        let msg = async_nats::jetstream::message::PublishMessage::build()
            .payload(forged.to_bytes().unwrap().into())
            .message_id(format!("s5:{}", h + 1))
            .expected_last_sequence(h);
        js.send_publish(target.subject.clone(), msg)
            .await
            .expect("send")
            .await
            .expect("stored");
    });
    // The centre refuses it, stops that site's projection and says why.
    let deadline = Instant::now() + ARRIVE;
    let s5 = loop {
        let s5 = g.site_status("s5");
        if s5["chain_ok"] == false {
            break s5;
        }
        assert!(
            Instant::now() < deadline,
            "the forged record was not reported: {s5}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(
        s5["last_seq"], h,
        "nothing past the forged record is projected"
    );
    let alarm = s5["alarm"].as_str().unwrap_or_default();
    assert!(
        alarm.contains(&format!("record {}", h + 1)) && alarm.contains("forged"),
        "{alarm}"
    );
    assert!(g.ingest_log().contains("ALARM"), "{}", g.ingest_log());
    let (_, code) = g.status_json();
    assert_eq!(code, 1, "group status must fail while a chain is broken");
    assert_eq!(g.held("s5").len() as u64, h);

    // The site's next record meets the forged one in its stream: shipping stops
    // and the site's doctor says so (the desk itself works on).
    commit(site, 1, "I");
    support::multi::wait_until("the site to notice", || {
        dutydesk::group::status::read(site.dir()).is_some_and(|s| s.diverged_at == Some(h + 1))
    });
    let out = site.cli(&["doctor"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("shipping STOPPED at record {}", h + 1)),
        "{text}"
    );
}
