//! One file per screen or dialog. The queue is the base; the others stack above it.

pub mod ask;
pub mod confirm;
pub mod detail;
pub mod filter;
pub mod group;
pub mod handover;
pub mod help;
pub mod intake;
pub mod picker;
pub mod plans;
pub mod prompt;
pub mod queue;
pub mod runner;
pub mod sign;
