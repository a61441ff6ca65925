//! Frames on the socket: `[length: u32 BE][version: u8][postcard payload]`, where
//! the length counts the version byte and the payload. A frame over the size limit
//! is refused before anything is allocated for it.

use std::io::{self, Read, Write};

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The protocol version every frame carries. 2: errors and warnings travel as
/// typed values (refusals with their arguments), rendered by the client; and the
/// desk writes a handover's and a report's files itself (`EmergencyReport`).
pub const VERSION: u8 = 2;
/// The largest frame a client may send the owner (a command is at most 1 MiB of text).
pub const MAX_REQUEST: u32 = 2 << 20;
/// The largest frame the owner sends (a snapshot of a large store, a page of records).
pub const MAX_REPLY: u32 = 256 << 20;

#[derive(Debug)]
pub enum FrameError {
    /// The peer closed the connection between frames.
    Closed,
    Io(io::Error),
    TooLarge(u32),
    Version(u8),
    Malformed(String),
}

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FrameError::Closed => f.write_str("the connection was closed"),
            FrameError::Io(e) => write!(f, "{e}"),
            FrameError::TooLarge(n) => write!(f, "a frame of {n} bytes is over the size limit"),
            FrameError::Version(v) => write!(
                f,
                "a frame of protocol version {v}, but this dutydesk speaks version {VERSION}; run the same dutydesk version everywhere"
            ),
            FrameError::Malformed(why) => write!(f, "a malformed frame: {why}"),
        }
    }
}

/// Encodes a message as one whole frame.
///
/// Sized first, then written once into a buffer of exactly that size: a snapshot
/// of a year of data is ~25 MB, and encoding into a growing buffer and copying it
/// behind the header held it two to three times over at the owner's peak.
pub fn encode<T: Serialize>(msg: &T) -> Result<Vec<u8>, FrameError> {
    let malformed = |e: postcard::Error| FrameError::Malformed(e.to_string());
    let size = postcard::experimental::serialized_size(msg).map_err(malformed)?;
    let len = u32::try_from(size + 1).map_err(|_| FrameError::TooLarge(u32::MAX))?;
    let mut out = Vec::with_capacity(size + 5);
    out.extend_from_slice(&len.to_be_bytes());
    out.push(VERSION);
    postcard::to_extend(msg, out).map_err(malformed)
}

pub fn write<T: Serialize>(w: &mut impl Write, msg: &T) -> Result<(), FrameError> {
    let bytes = encode(msg)?;
    w.write_all(&bytes).map_err(FrameError::Io)
}

/// Reads one frame and decodes it, refusing one longer than `max`.
pub fn read<T: DeserializeOwned>(r: &mut impl Read, max: u32) -> Result<T, FrameError> {
    let mut head = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match r.read(&mut head[got..]) {
            Ok(0) if got == 0 => return Err(FrameError::Closed),
            Ok(0) => return Err(FrameError::Malformed("cut short in its length".into())),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(FrameError::Io(e)),
        }
    }
    let len = u32::from_be_bytes(head);
    if len == 0 {
        return Err(FrameError::Malformed("an empty frame".into()));
    }
    if len > max {
        return Err(FrameError::TooLarge(len));
    }
    let mut body = vec![0u8; len as usize];
    r.read_exact(&mut body).map_err(|e| {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            FrameError::Malformed(format!("cut short (expected {len} bytes)"))
        } else {
            FrameError::Io(e)
        }
    })?;
    if body[0] != VERSION {
        return Err(FrameError::Version(body[0]));
    }
    postcard::from_bytes(&body[1..]).map_err(|e| FrameError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_round_trips() {
        let bytes = encode(&("说明", 7u64)).unwrap();
        let back: (String, u64) = read(&mut &bytes[..], MAX_REQUEST).unwrap();
        assert_eq!(back, ("说明".to_string(), 7));
    }

    #[test]
    fn oversized_wrong_version_and_garbage_are_refused() {
        let mut big = Vec::new();
        big.extend_from_slice(&(MAX_REQUEST + 1).to_be_bytes());
        assert!(matches!(
            read::<u64>(&mut &big[..], MAX_REQUEST),
            Err(FrameError::TooLarge(_))
        ));
        let mut bytes = encode(&5u64).unwrap();
        bytes[4] = 9;
        assert!(matches!(
            read::<u64>(&mut &bytes[..], MAX_REQUEST),
            Err(FrameError::Version(9))
        ));
        let garbage = [0, 0, 0, 3, VERSION, 0xff, 0xff];
        assert!(matches!(
            read::<String>(&mut &garbage[..], MAX_REQUEST),
            Err(FrameError::Malformed(_))
        ));
        assert!(matches!(
            read::<u64>(&mut &[][..], MAX_REQUEST),
            Err(FrameError::Closed)
        ));
    }
}
