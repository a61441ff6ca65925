//! The vocabulary of the desk: tickets, commands and events. Knows nothing of
//! storage, terminals or sockets.

pub mod command;
pub mod event;
pub mod identity;
pub mod moves;
pub mod refusal;
pub mod text;
pub mod ticket;
pub mod wording;

pub use command::{Command, StepAction};
pub use event::{Event, StepSnapshot, TargetOutcome};
pub use identity::{Actor, Role};
pub use moves::Move;
pub use refusal::{Concern, Forbidden, Missing, PhoneRule, Reason, Refusal, Warning};
pub use text::{Bilingual, Lang};
pub use ticket::{phone_digits, Department, Kind, Priority, TicketId, TicketState};
