//! Several operators at once: one owner process serving clients over its socket,
//! live updates, roles, load, and the owner dying.

#[path = "../support/mod.rs"]
mod support;

mod crash_owner;
mod frames;
mod live;
mod load;
mod owner_death;
mod roles;
