//! Helpers shared by every test binary (each includes this module with
//! `#[path = "../support/mod.rs"] mod support;` and uses part of it).
#![allow(dead_code)]

pub mod bin;
pub mod drill;
pub mod keys;
pub mod multi;
pub mod owner;
pub mod pty;
pub mod screen;
pub mod servers;
pub mod site;
