//! A checkpoint of the folded state, so that a year of history opens in well under
//! a second. The log stays the source of truth: a checkpoint names the record it
//! was folded up to (seq and hash), and is used only if that record is still in
//! the log with that hash, its own checksum matches, and it was written by the
//! same fold. Anything else is a stale or damaged checkpoint: it is ignored, the
//! state is rebuilt from the log, and a fresh checkpoint replaces it.
//!
//! Layout: `DDCKPT01` ‖ fold version u32 ‖ seq u64 ‖ hash 32 ‖ sha256(payload) 32 ‖
//! postcard(State).

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::state::State;
use crate::store::Hash;

const MAGIC: &[u8; 8] = b"DDCKPT01";
/// Bump when `State::apply` changes what it derives, so old checkpoints are rebuilt.
const FOLD_VERSION: u32 = 4;
const HEADER: usize = 8 + 4 + 8 + 32 + 32;

/// Replaying more records than this after the checkpoint writes a new one.
pub const REFRESH_AFTER: u64 = 20_000;

pub struct Checkpoint {
    pub seq: u64,
    pub hash: Hash,
    pub state: State,
}

/// Reads a checkpoint; `None` if it is missing, damaged or from another fold.
pub fn load(path: &Path) -> Option<Checkpoint> {
    let bytes = std::fs::read(path).ok()?;
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return None;
    }
    let version = u32::from_be_bytes(bytes[8..12].try_into().ok()?);
    if version != FOLD_VERSION {
        return None;
    }
    let seq = u64::from_be_bytes(bytes[12..20].try_into().ok()?);
    let hash: Hash = bytes[20..52].try_into().ok()?;
    let sum: [u8; 32] = bytes[52..84].try_into().ok()?;
    let payload = &bytes[HEADER..];
    let actual: [u8; 32] = Sha256::digest(payload).into();
    if actual != sum {
        return None;
    }
    let state: State = postcard::from_bytes(payload).ok()?;
    if state.seq != seq {
        return None;
    }
    Some(Checkpoint { seq, hash, state })
}

/// Writes a checkpoint of `state` (folded up to the record with `hash`), whole or
/// not at all. A failure is not an error for the caller: the log is the truth.
pub fn save(path: &Path, state: &State, hash: &Hash) -> bool {
    // Sized first so the buffer is allocated once, exactly (no doubling to 2x at
    // the owner's memory peak).
    let Ok(size) = postcard::experimental::serialized_size(state) else {
        return false;
    };
    let Ok(payload) = postcard::to_extend(state, Vec::with_capacity(size)) else {
        return false;
    };
    let sum: [u8; 32] = Sha256::digest(&payload).into();
    crate::fsx::write_atomically(path, |w| {
        use std::io::Write;
        let mut write = |b: &[u8]| {
            w.write_all(b)
                .map_err(|e| crate::error::DeskError::storage("write the checkpoint", e))
        };
        write(MAGIC)?;
        write(&FOLD_VERSION.to_be_bytes())?;
        write(&state.seq.to_be_bytes())?;
        write(hash)?;
        write(&sum)?;
        write(&payload)
    })
    .is_ok()
}
