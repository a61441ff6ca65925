//! Emergency plans and what the desk does with them: the plans as data, a run
//! seen at a moment (`view`), and the major-incident report (`report`).

pub mod report;
pub mod view;

// The plans are data, read with the rest of the site's files (`config`).
pub use crate::config::plans::{self as plan, Plan, Plans, Step};
pub use view::{Deadline, RunView, StepView};
