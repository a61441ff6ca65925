//! The store and its caches when things go wrong: the checkpoint, damaged bytes,
//! a full disk, kills mid-write, and doctor.

#[path = "../support/mod.rs"]
mod support;

mod bad_bytes;
mod checkpoint;
mod crash_kill;
mod damaged;
mod disk_full;
mod doctor;
mod doctor_owner;
