//! Emergency plans and what the desk does with them.

pub mod plan;

pub use plan::{Plan, Plans, Step};
