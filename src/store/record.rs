//! One record of the log, its stored bytes, its hash and its JSON form.
//!
//! Stored layout (all records, all versions):
//! `[format: u8 = 1][schema: u16 BE][prev_hash: 32][hash: 32][body: postcard]`.
//! The hash is SHA-256 over `prev_hash ‖ body`, computed on the stored bytes, so
//! checking the chain never depends on re-encoding. The schema number says which
//! body type the postcard bytes hold; a newer schema is refused by an older binary
//! with a clear message instead of being misread.

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::Event;
use crate::error::DeskError;

pub const FORMAT: u8 = 1;
pub const SCHEMA: u16 = 1;
const HEADER: usize = 1 + 2 + 32 + 32;
/// A record larger than this is damage, not data: no operator types a megabyte.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

pub type Hash = [u8; 32];
pub const GENESIS: Hash = [0u8; 32];

/// The hashed part of a record (schema 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    pub seq: u64,
    /// Microseconds since the Unix epoch, UTC.
    pub at_us: i64,
    pub operator: String,
    pub unix_user: String,
    pub shift: u64,
    /// The client's idempotency key, so a retried submission is applied once.
    pub request: Option<String>,
    pub event: Event,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub body: Body,
    pub prev_hash: Hash,
    pub hash: Hash,
}

pub fn hash_of(prev: &Hash, body_bytes: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(body_bytes);
    h.finalize().into()
}

impl Record {
    /// Seals a body onto the chain after `prev`, returning the record and its stored bytes.
    pub fn seal(body: Body, prev: Hash) -> Result<(Record, Vec<u8>), DeskError> {
        let body_bytes = postcard::to_stdvec(&body)
            .map_err(|e| DeskError::Internal(format!("cannot encode a record: {e}")))?;
        if body_bytes.len() > MAX_RECORD_BYTES {
            return Err(DeskError::invalid(
                "text",
                "the command is too large to record (over 1 MiB)",
            ));
        }
        let hash = hash_of(&prev, &body_bytes);
        let bytes = stored_bytes(&prev, &hash, &body_bytes);
        Ok((
            Record {
                body,
                prev_hash: prev,
                hash,
            },
            bytes,
        ))
    }

    /// The stored bytes of this record (postcard is deterministic for these types,
    /// so they are the bytes in the log): what travels over the owner's socket.
    pub fn to_bytes(&self) -> Result<Vec<u8>, DeskError> {
        let body_bytes = postcard::to_stdvec(&self.body)
            .map_err(|e| DeskError::Internal(format!("cannot encode a record: {e}")))?;
        Ok(stored_bytes(&self.prev_hash, &self.hash, &body_bytes))
    }

    /// Reads stored bytes, checking that the stored hash matches the stored body.
    pub fn decode(bytes: &[u8]) -> Result<Record, String> {
        if bytes.len() < HEADER {
            return Err(format!("record too short ({} bytes)", bytes.len()));
        }
        if bytes.len() > MAX_RECORD_BYTES + HEADER {
            return Err(format!("record too long ({} bytes)", bytes.len()));
        }
        if bytes[0] != FORMAT {
            return Err(format!("unknown record format {}", bytes[0]));
        }
        let schema = u16::from_be_bytes([bytes[1], bytes[2]]);
        if schema != SCHEMA {
            return Err(format!(
                "record schema {schema} is newer than this dutydesk understands (schema {SCHEMA}); upgrade dutydesk"
            ));
        }
        let mut prev = [0u8; 32];
        prev.copy_from_slice(&bytes[3..35]);
        let mut hash = [0u8; 32];
        hash.copy_from_slice(&bytes[35..67]);
        let body_bytes = &bytes[HEADER..];
        if hash_of(&prev, body_bytes) != hash {
            return Err("record hash does not match its contents".into());
        }
        let body: Body = postcard::from_bytes(body_bytes)
            .map_err(|e| format!("record body does not decode: {e}"))?;
        Ok(Record {
            body,
            prev_hash: prev,
            hash,
        })
    }

    pub fn at(&self) -> DateTime<Utc> {
        time_of(self.body.at_us)
    }

    /// The JSON form used by `log --json`, exports and `verify`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "seq": self.body.seq,
            "at": rfc3339(self.body.at_us),
            "operator": self.body.operator,
            "unix_user": self.body.unix_user,
            "shift": self.body.shift,
            "request": self.body.request,
            "event": self.body.event.to_json(),
            "prev_hash": hex(&self.prev_hash),
            "hash": hex(&self.hash),
        })
    }

    /// Reads the JSON form back and checks its hash by re-encoding the body
    /// canonically (postcard is deterministic for these types).
    pub fn from_json(v: &serde_json::Value) -> Result<Record, String> {
        let field = |k: &str| v.get(k).ok_or_else(|| format!("missing field \"{k}\""));
        let str_field = |k: &str| -> Result<String, String> {
            field(k)?
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("field \"{k}\" is not text"))
        };
        let seq = field("seq")?
            .as_u64()
            .ok_or("field \"seq\" is not a number")?;
        let at = str_field("at")?;
        let at_us = DateTime::parse_from_rfc3339(&at)
            .map_err(|e| format!("field \"at\" is not an RFC 3339 time: {e}"))?
            .with_timezone(&Utc)
            .timestamp_micros();
        let shift = field("shift")?
            .as_u64()
            .ok_or("field \"shift\" is not a number")?;
        let request = match v.get("request") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(_) => return Err("field \"request\" is not text".into()),
        };
        let body = Body {
            seq,
            at_us,
            operator: str_field("operator")?,
            unix_user: str_field("unix_user")?,
            shift,
            request,
            event: Event::from_json(field("event")?)?,
        };
        let prev_hash =
            unhex(&str_field("prev_hash")?).ok_or("field \"prev_hash\" is not a hash")?;
        let hash = unhex(&str_field("hash")?).ok_or("field \"hash\" is not a hash")?;
        Ok(Record {
            body,
            prev_hash,
            hash,
        })
    }

    /// Whether `hash` is right for `prev_hash` and the body.
    pub fn hash_is_valid(&self) -> bool {
        match postcard::to_stdvec(&self.body) {
            Ok(bytes) => hash_of(&self.prev_hash, &bytes) == self.hash,
            Err(_) => false,
        }
    }
}

/// The one place the stored layout is written: header, then the body.
fn stored_bytes(prev: &Hash, hash: &Hash, body_bytes: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(HEADER + body_bytes.len());
    bytes.push(FORMAT);
    bytes.extend_from_slice(&SCHEMA.to_be_bytes());
    bytes.extend_from_slice(prev);
    bytes.extend_from_slice(hash);
    bytes.extend_from_slice(body_bytes);
    bytes
}

pub fn time_of(at_us: i64) -> DateTime<Utc> {
    Utc.timestamp_micros(at_us)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

pub fn rfc3339(at_us: i64) -> String {
    time_of(at_us).to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(s: &str) -> Option<Hash> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, chunk) in s.as_bytes().chunks(2).enumerate() {
        let text = std::str::from_utf8(chunk).ok()?;
        out[i] = u8::from_str_radix(text, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Kind, Priority, TicketId};

    fn body(seq: u64) -> Body {
        Body {
            seq,
            at_us: 1_764_100_000_123_456,
            operator: "王军".into(),
            unix_user: "wang".into(),
            shift: 1,
            request: None,
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
        }
    }

    #[test]
    fn stored_bytes_round_trip_and_detect_a_flipped_byte() {
        let (rec, mut bytes) = Record::seal(body(1), GENESIS).unwrap();
        assert_eq!(Record::decode(&bytes).unwrap(), rec);
        assert_eq!(rec.to_bytes().unwrap(), bytes);
        let last = bytes.len() - 1;
        bytes[last] ^= 0x40;
        assert!(Record::decode(&bytes).unwrap_err().contains("hash"));
        assert!(Record::decode(&bytes[..10]).is_err());
    }

    #[test]
    fn json_round_trip_keeps_the_hash_valid() {
        let (rec, _) = Record::seal(body(7), [9u8; 32]).unwrap();
        let back = Record::from_json(&rec.to_json()).unwrap();
        assert_eq!(back, rec);
        assert!(back.hash_is_valid());
    }

    #[test]
    fn newer_schema_is_refused_clearly() {
        let (_, mut bytes) = Record::seal(body(1), GENESIS).unwrap();
        bytes[2] = 9;
        assert!(Record::decode(&bytes).unwrap_err().contains("upgrade"));
    }
}
