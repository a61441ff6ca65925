//! Files on disk, below everything that writes them (store, state, export, server):
//! writing a file whole or not at all, the modes of what the desk creates, and the
//! one guarded way to write a file the user names.

pub mod atomic;
pub mod guard;
pub mod perms;

pub use atomic::write_atomically;
pub use guard::{write_named, Kept};
