//! The vocabulary of the desk: tickets, commands and events. Knows nothing of
//! storage, terminals or sockets.

pub mod command;
pub mod event;
pub mod identity;
pub mod text;
pub mod ticket;

pub use command::{Command, StepAction};
pub use event::{Event, StepSnapshot, TargetOutcome};
pub use identity::{Actor, Role};
pub use text::{Bilingual, Lang};
pub use ticket::{Department, Kind, Priority, TicketId, TicketState};
