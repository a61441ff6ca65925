//! The centre's check of each site's chain: the next record must be the next
//! `seq`, link to the last `hash`, and carry its own right hash. What fails is
//! never skipped: that site's projection stops with an alarm.

use crate::store::{Hash, Record, GENESIS};

/// Where the centre's copy of one site's chain ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: u64,
    pub hash: Hash,
}

impl Default for Head {
    fn default() -> Head {
        Head {
            seq: 0,
            hash: GENESIS,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The next link of the chain.
    Next(Box<Record>),
    /// A record the centre already holds (a redelivery): nothing to do.
    Known(u64),
    /// Refused: the alarm says what, in English, for a person.
    Refused { seq: u64, why: String },
    /// A later record than the next: a delivery out of order (a redelivery
    /// after a restart comes after newer messages) or a hole in the stream.
    /// Never skipped: the consumer goes back to `expected`, or the site stops.
    Gap { expected: u64, got: u64 },
}

/// The alarm for records missing from a site's stream at the hub.
pub fn missing(site: &str, expected: u64, got: u64) -> String {
    format!(
        "site {site}: record {got} follows record {}: records {expected}..{} are missing from the hub's stream",
        expected - 1,
        got - 1
    )
}

/// Checks one message against the chain. `known` gives the hash the centre holds
/// for an earlier seq, so a redelivered record must be the same record.
pub fn check(
    site: &str,
    head: &Head,
    stream_seq: u64,
    payload: &[u8],
    known: impl Fn(u64) -> Option<Hash>,
) -> Verdict {
    let rec = match Record::decode(payload) {
        Ok(r) => r,
        Err(why) => {
            return Verdict::Refused {
                seq: stream_seq,
                why: format!(
                    "site {site}: record {stream_seq} is refused: {why} (forged or damaged)"
                ),
            }
        }
    };
    let seq = rec.body.seq;
    if seq != stream_seq {
        return Verdict::Refused {
            seq: stream_seq,
            why: format!(
                "site {site}: message {stream_seq} of the stream holds record {seq}: records were lost or added on the way"
            ),
        };
    }
    if seq <= head.seq {
        return match known(seq) {
            Some(h) if h == rec.hash => Verdict::Known(seq),
            _ => Verdict::Refused {
                seq,
                why: format!(
                    "site {site}: record {seq} differs from the copy the group already holds: the site's history was rewritten after it shipped"
                ),
            },
        };
    }
    if seq != head.seq + 1 {
        return Verdict::Gap {
            expected: head.seq + 1,
            got: seq,
        };
    }
    if rec.prev_hash != head.hash {
        return Verdict::Refused {
            seq,
            why: format!(
                "site {site}: record {seq} does not link to record {}: the chain is broken (the site's history was rewritten)",
                head.seq
            ),
        };
    }
    Verdict::Next(Box::new(rec))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Event;
    use crate::store::record::Body;

    fn chain(n: u64) -> Vec<(Record, Vec<u8>)> {
        let mut prev = GENESIS;
        (1..=n)
            .map(|seq| {
                let body = Body {
                    seq,
                    at_us: 1_700_000_000_000_000 + seq as i64,
                    operator: "op".into(),
                    unix_user: "u".into(),
                    shift: 0,
                    request: None,
                    event: Event::StoreCreated { site: "s".into() },
                };
                let (r, b) = Record::seal(body, prev).unwrap();
                prev = r.hash;
                (r, b)
            })
            .collect()
    }

    #[test]
    fn a_chain_is_taken_in_order_and_every_fault_is_refused_with_a_reason() {
        let c = chain(3);
        let h0 = Head::default();
        assert!(matches!(
            check("s", &h0, 1, &c[0].1, |_| None),
            Verdict::Next(_)
        ));
        let h1 = Head {
            seq: 1,
            hash: c[0].0.hash,
        };
        // A redelivery of what is held is passed over; a different record 1 is not.
        assert_eq!(
            check("s", &h1, 1, &c[0].1, |_| Some(c[0].0.hash)),
            Verdict::Known(1)
        );
        let other = chain(1);
        let mut forged = other[0].1.clone();
        let last = forged.len() - 1;
        forged[last] ^= 1;
        match check("s", &h1, 2, &forged, |_| None) {
            Verdict::Refused { why, .. } => assert!(why.contains("forged"), "{why}"),
            v => panic!("{v:?}"),
        }
        // A gap.
        assert_eq!(
            check("s", &h1, 3, &c[2].1, |_| None),
            Verdict::Gap {
                expected: 2,
                got: 3
            }
        );
        assert!(missing("s", 2, 3).contains("records 2..2 are missing"));
        // A record 2 that links to another record 1.
        let h1b = Head {
            seq: 1,
            hash: [7; 32],
        };
        match check("s", &h1b, 2, &c[1].1, |_| None) {
            Verdict::Refused { why, .. } => assert!(why.contains("chain is broken"), "{why}"),
            v => panic!("{v:?}"),
        }
    }
}
