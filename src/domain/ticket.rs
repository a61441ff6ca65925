//! Tickets: the calls and jobs the desk follows from the call to closure.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::domain::text::Bilingual;

/// What a call is about. The order is the order the manuals list them in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Repair,
    Complaint,
    Inquiry,
    Help,
    Emergency,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Repair,
        Kind::Complaint,
        Kind::Inquiry,
        Kind::Help,
        Kind::Emergency,
    ];

    /// The priority a call of this kind gets when the operator does not choose one.
    pub fn default_priority(self) -> Priority {
        match self {
            Kind::Emergency => Priority(1),
            Kind::Repair | Kind::Help => Priority(2),
            Kind::Complaint => Priority(3),
            Kind::Inquiry => Priority(4),
        }
    }

    /// Repairs and complaints close only after the resident says they are satisfied.
    pub fn needs_satisfied_callback(self) -> bool {
        matches!(self, Kind::Repair | Kind::Complaint)
    }

    /// The letter that starts a ticket id, so an id says what it is on the phone.
    pub fn letter(self) -> char {
        match self {
            Kind::Repair => 'R',
            Kind::Complaint => 'C',
            Kind::Inquiry => 'I',
            Kind::Help => 'H',
            Kind::Emergency => 'E',
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Repair => "repair",
            Kind::Complaint => "complaint",
            Kind::Inquiry => "inquiry",
            Kind::Help => "help",
            Kind::Emergency => "emergency",
        }
    }

    /// "a repair", "an inquiry": the kind in an English sentence.
    pub fn with_article(self) -> String {
        let name = self.as_str();
        let an = name.starts_with(['a', 'e', 'i', 'o', 'u']);
        format!("{} {name}", if an { "an" } else { "a" })
    }

    pub fn label(self) -> Bilingual {
        match self {
            Kind::Repair => Bilingual::new("Repair", "报修"),
            Kind::Complaint => Bilingual::new("Complaint", "投诉"),
            Kind::Inquiry => Bilingual::new("Inquiry", "咨询"),
            Kind::Help => Bilingual::new("Help", "求助"),
            Kind::Emergency => Bilingual::new("Emergency", "紧急"),
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_lowercase();
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == t || k.label().zh == s.trim())
            .ok_or_else(|| {
                format!(
                    "unknown kind '{}': use one of repair, complaint, inquiry, help, emergency",
                    crate::domain::text::shown(s)
                )
            })
    }
}

/// 1 is the most urgent, 4 the least.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Priority(pub u8);

impl Priority {
    pub fn new(p: u8) -> Result<Priority, String> {
        if (1..=4).contains(&p) {
            Ok(Priority(p))
        } else {
            Err(format!(
                "priority {p} is out of range: use 1 (most urgent) to 4"
            ))
        }
    }
}

/// The departments the desk dispatches to, in the order the picker offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Department {
    Engineering,
    Security,
    Cleaning,
    CustomerService,
}

impl Department {
    pub const ALL: [Department; 4] = [
        Department::Engineering,
        Department::Security,
        Department::Cleaning,
        Department::CustomerService,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Department::Engineering => "engineering",
            Department::Security => "security",
            Department::Cleaning => "cleaning",
            Department::CustomerService => "customer-service",
        }
    }

    pub fn label(self) -> Bilingual {
        match self {
            Department::Engineering => Bilingual::new("Engineering", "工程部"),
            Department::Security => Bilingual::new("Security", "秩序部"),
            Department::Cleaning => Bilingual::new("Cleaning", "保洁部"),
            Department::CustomerService => Bilingual::new("Customer service", "客服部"),
        }
    }
}

impl fmt::Display for Department {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Department {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_lowercase().replace('_', "-");
        Department::ALL
            .into_iter()
            .find(|d| d.as_str() == t || d.label().zh == s.trim())
            .ok_or_else(|| {
                format!(
                    "unknown department '{}': use one of engineering, security, cleaning, customer-service",
                    crate::domain::text::shown(s)
                )
            })
    }
}

/// Where a ticket is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketState {
    New,
    Dispatched,
    InProgress,
    Done,
    Closed,
    Cancelled,
}

impl TicketState {
    pub fn is_open(self) -> bool {
        !matches!(self, TicketState::Closed | TicketState::Cancelled)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TicketState::New => "new",
            TicketState::Dispatched => "dispatched",
            TicketState::InProgress => "in_progress",
            TicketState::Done => "done",
            TicketState::Closed => "closed",
            TicketState::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> Bilingual {
        match self {
            TicketState::New => Bilingual::new("new", "待派工"),
            TicketState::Dispatched => Bilingual::new("dispatched", "已派工"),
            TicketState::InProgress => Bilingual::new("in progress", "处理中"),
            TicketState::Done => Bilingual::new("done", "待回访"),
            TicketState::Closed => Bilingual::new("closed", "已关闭"),
            TicketState::Cancelled => Bilingual::new("cancelled", "已取消"),
        }
    }
}

impl fmt::Display for TicketState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A ticket id as said on the phone: the kind's letter and a number, e.g. `R042`.
/// The number alone is unique, so `42`, `r42` and `R042` all name the same ticket.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TicketId(pub String);

impl TicketId {
    pub fn new(kind: Kind, number: u64) -> TicketId {
        TicketId(format!("{}{:03}", kind.letter(), number))
    }

    /// The number inside an id, or inside whatever an operator typed for one.
    pub fn number_of(text: &str) -> Option<u64> {
        let t = text.trim();
        let digits = t.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if t.len() - digits.len() > 1 {
            return None;
        }
        digits.parse().ok()
    }

    pub fn number(&self) -> u64 {
        Self::number_of(&self.0).unwrap_or(0)
    }
}

impl fmt::Display for TicketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A phone number's digits alone: how numbers are compared (`0571-88235617`
/// and `057188235617` are one number) while screens show them as typed.
pub fn phone_digits(p: &str) -> String {
    p.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_by_number_whatever_the_case() {
        let id = TicketId::new(Kind::Repair, 42);
        assert_eq!(id.0, "R042");
        assert_eq!(TicketId::number_of("r42"), Some(42));
        assert_eq!(TicketId::number_of("42"), Some(42));
        assert_eq!(TicketId::number_of("R042"), Some(42));
        assert_eq!(TicketId::number_of("RR42"), None);
        assert_eq!(TicketId::number_of("R4x"), None);
        assert_eq!(TicketId::number_of(""), None);
    }

    #[test]
    fn kinds_and_departments_parse_in_both_languages() {
        assert_eq!("报修".parse::<Kind>(), Ok(Kind::Repair));
        assert_eq!("Complaint".parse::<Kind>(), Ok(Kind::Complaint));
        assert!("plumbing".parse::<Kind>().unwrap_err().contains("repair"));
        assert_eq!(
            "customer_service".parse::<Department>(),
            Ok(Department::CustomerService)
        );
        assert!("it".parse::<Department>().is_err());
    }
}
