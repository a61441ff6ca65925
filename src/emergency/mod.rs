//! Emergency plans and what the desk does with them: the plans as data, a run
//! seen at a moment (`view`), and the major-incident report (`report`).

pub mod plan;
pub mod report;
pub mod view;

pub use plan::{Plan, Plans, Step};
pub use view::{Deadline, RunView, StepView};
