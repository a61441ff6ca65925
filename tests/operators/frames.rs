//! Malformed, oversized and wrong-version frames drop only the client that sent
//! them, with the reason in the owner's log; everyone else carries on.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use crate::support::multi::*;
use dutydesk::server::frame;
use dutydesk::server::protocol::{Reply, Request};
use dutydesk::DeskApi;

/// Sends `bytes` and expects the owner to close the connection.
fn expect_dropped(site: &Site, bytes: &[u8]) {
    let mut s = UnixStream::connect(site.dir().join("owner.sock")).unwrap();
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    s.write_all(bytes).unwrap();
    // The client goes quiet, as a crashed or hostile one would.
    let _ = s.shutdown(std::net::Shutdown::Write);
    let mut rest = Vec::new();
    // The owner closes its end; whatever it said first, the read ends.
    let _ = s.read_to_end(&mut rest);
}

fn hello() -> Vec<u8> {
    frame::encode(&Request::Hello {
        version: frame::VERSION,
        operator: Some("x".into()),
        now: None,
    })
    .unwrap()
}

#[test]
fn bad_frames_drop_only_their_client() {
    let site = Site::new();
    let mut good = site.client("王军");
    let live = good.subscribe_live().unwrap();

    expect_dropped(&site, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    expect_dropped(&site, &[0xff, 0xff, 0xff, 0xff, 1, 2, 3]);
    expect_dropped(&site, &[0, 0, 0, 2, 9, 0]);
    expect_dropped(&site, &[0, 0, 0, 5, frame::VERSION, 0xff, 0xff, 0xff, 0xff]);
    let mut after_hello = hello();
    after_hello.extend_from_slice(&[0, 0, 0, 3, frame::VERSION, 0xee, 0xee]);
    expect_dropped(&site, &after_hello);
    // A half frame, then the client vanishes.
    expect_dropped(&site, &[0, 0, 0, 50, frame::VERSION, 1]);

    // A well-formed hello of another protocol version is told why.
    let mut s = UnixStream::connect(site.dir().join("owner.sock")).unwrap();
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    frame::write(
        &mut s,
        &Request::Hello {
            version: 9,
            operator: None,
            now: None,
        },
    )
    .unwrap();
    match frame::read::<Reply>(&mut s, frame::MAX_REPLY).unwrap() {
        Reply::Error(e) => assert!(e.to_string().contains("version"), "{e}"),
        other => panic!("expected a refusal, got {other:?}"),
    }

    // The good client and its subscription never noticed.
    good.submit(call("1-0101", "照常工作"), None).unwrap();
    wait_record(&live, "照常工作");
    assert!(site.owner_pid().is_some_and(is_alive));
    let log = site.log();
    for why in ["over the size limit", "protocol version 9", "malformed"] {
        assert!(log.contains(why), "log lacks {why:?}:\n{log}");
    }
    // Failures of one kind before a hello are logged once a second (a flood of
    // them must not flood the log): the two oversized and the two malformed
    // frames above give one line each.
    assert!(log.matches("dropping client").count() >= 4, "{log}");
}

#[test]
fn a_client_that_never_says_hello_does_not_block_others() {
    let site = Site::new();
    let mut good = site.client("a");
    let _silent = UnixStream::connect(site.dir().join("owner.sock")).unwrap();
    let mut quiet = UnixStream::connect(site.dir().join("owner.sock")).unwrap();
    quiet.write_all(&hello()).unwrap();
    std::thread::sleep(Duration::from_millis(10));
    good.submit(call("1-0101", "不受影响"), None).unwrap();
    assert_eq!(good.snapshot().unwrap().state.tickets.len(), 1);
}

/// Evidence is only what the desk wrote: a raw client naming any existing file
/// as a shift's export or a run's report is refused, and nothing is recorded.
#[test]
fn a_raw_client_cannot_record_evidence_files() {
    let site = Site::new();
    let mut good = site.client("王军");
    good.submit(call("1-0101", "漏水"), None).unwrap();
    let head = good.snapshot().unwrap().state.seq;
    let claims = [
        dutydesk::domain::Command::ExportRecorded {
            shift: 1,
            paths: vec!["/etc/shadow".into()],
        },
        dutydesk::domain::Command::EmergencyReported {
            run: "EM1".into(),
            path: "/etc/hostname".into(),
        },
    ];
    for (n, cmd) in claims.into_iter().enumerate() {
        let mut s = UnixStream::connect(site.dir().join("owner.sock")).unwrap();
        s.set_read_timeout(Some(PATIENCE)).unwrap();
        s.write_all(&hello()).unwrap();
        assert!(matches!(
            frame::read::<Reply>(&mut s, frame::MAX_REPLY).unwrap(),
            Reply::Welcome { .. }
        ));
        let submit = Request::Submit {
            cmd,
            request: format!("raw-{n}"),
        };
        frame::write(&mut s, &submit).unwrap();
        match frame::read::<Reply>(&mut s, frame::MAX_REPLY).unwrap() {
            Reply::Error(e) => assert!(
                e.to_string()
                    .contains("only the desk records where its evidence"),
                "{e}"
            ),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
    assert_eq!(good.snapshot().unwrap().state.seq, head, "nothing recorded");
}

#[test]
fn a_hello_with_an_escape_sequence_for_a_name_is_refused_with_the_reason() {
    let site = Site::new();
    let _good = site.client("王军");
    let mut s = UnixStream::connect(site.dir().join("owner.sock")).unwrap();
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    let evil = Request::Hello {
        version: frame::VERSION,
        operator: Some("\u{1b}[31mEVIL\u{1b}[0m".into()),
        now: None,
    };
    frame::write(&mut s, &evil).unwrap();
    match frame::read::<Reply>(&mut s, frame::MAX_REPLY).unwrap() {
        Reply::Error(e) => assert!(e.to_string().contains("control characters"), "{e}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}
