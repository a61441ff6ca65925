//! Events: what the log records. Each accepted command becomes one or more of these.
//!
//! These types are stored with postcard, which is positional: never reorder, remove
//! or change a variant or field. A new kind of event is appended at the end of the
//! enum; a changed one becomes a new variant, and the record's schema number says
//! which decoder reads it (see `store::record`).

use serde::{Deserialize, Serialize};

use crate::domain::ticket::{Department, Kind, Priority, TicketId};

/// Whether a target (for example "repair dispatched within 5 minutes") was met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetOutcome {
    pub target_minutes: u32,
    pub actual_seconds: i64,
    pub met: bool,
}

/// One step of an emergency plan as it stood when the run started, so the log
/// alone tells what the operator was asked to do even if the plan file changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepSnapshot {
    pub en: String,
    pub zh: String,
    pub critical: bool,
    pub role: String,
    pub contact: Option<String>,
    pub contact_phone: Option<String>,
    pub deadline_minutes: Option<u32>,
    pub record_en: Option<String>,
    pub record_zh: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The first record of a store: names the site so that an export says where it is from.
    StoreCreated {
        site: String,
    },
    TicketOpened {
        id: TicketId,
        kind: Kind,
        priority: Priority,
        unit: String,
        caller: Option<String>,
        phone: Option<String>,
        summary: String,
        /// An open ticket of the same unit that this call is about too.
        related: Option<TicketId>,
    },
    TicketDispatched {
        id: TicketId,
        to: Department,
        note: Option<String>,
        target: Option<TargetOutcome>,
    },
    TicketStarted {
        id: TicketId,
    },
    TicketDone {
        id: TicketId,
        note: Option<String>,
    },
    CallbackRecorded {
        id: TicketId,
        satisfied: bool,
        note: Option<String>,
    },
    TicketClosed {
        id: TicketId,
        note: Option<String>,
    },
    TicketCancelled {
        id: TicketId,
        reason: String,
    },
    TicketNoted {
        id: TicketId,
        text: String,
    },
    ShiftStarted {
        shift: u64,
        operator: String,
    },
    HandoverOffered {
        from_shift: u64,
        to_shift: u64,
        to: String,
        note: Option<String>,
        /// Why the handover went ahead despite a warning (an active emergency, a missing report).
        override_reason: Option<String>,
    },
    HandoverAccepted {
        shift: u64,
        by: String,
    },
    HandoverRefused {
        shift: u64,
        by: String,
        reason: String,
    },
    EmergencyStarted {
        run: String,
        plan: String,
        name_en: String,
        name_zh: String,
        location: Option<String>,
        ticket: TicketId,
        steps: Vec<StepSnapshot>,
    },
    EmergencyStepDone {
        run: String,
        step: u32,
        value: Option<String>,
        note: Option<String>,
    },
    EmergencyStepSkipped {
        run: String,
        step: u32,
        reason: String,
        overridden: bool,
        note: Option<String>,
    },
    EmergencyNoted {
        run: String,
        text: String,
    },
    EmergencyClosed {
        run: String,
    },
    IncidentReportWritten {
        run: String,
        path: String,
    },
    ExportWritten {
        shift: u64,
        paths: Vec<String>,
    },
    /// The caller declined to give a name (the manuals say to respect that and
    /// mark the record), as opposed to a name that was simply not taken.
    CallerAnonymous {
        id: TicketId,
    },
    /// The outgoing operator (or the duty manager) took back a handover that was
    /// not yet signed, e.g. addressed to the wrong name; their shift goes on.
    HandoverWithdrawn {
        shift: u64,
        by: String,
        reason: String,
    },
    /// The system clock moved by more than the site's bound between two looks:
    /// `from_us` is where the desk expected it (its last reading plus the time
    /// measured since, or the previous record's time), `to_us` what it read.
    /// Recorded so the jump is on file and shown until the clock is put right.
    ClockJumped {
        from_us: i64,
        to_us: i64,
    },
    /// A further call about an open ticket (a resident calling again), recorded
    /// on that ticket instead of opening a second one.
    CallAdded {
        id: TicketId,
        caller: Option<String>,
        phone: Option<String>,
        note: Option<String>,
    },
}

impl Event {
    /// The `type` tag this event has in JSON.
    pub fn type_name(&self) -> &'static str {
        match self {
            Event::StoreCreated { .. } => "store_created",
            Event::TicketOpened { .. } => "ticket_opened",
            Event::TicketDispatched { .. } => "ticket_dispatched",
            Event::TicketStarted { .. } => "ticket_started",
            Event::TicketDone { .. } => "ticket_done",
            Event::CallbackRecorded { .. } => "callback_recorded",
            Event::TicketClosed { .. } => "ticket_closed",
            Event::TicketCancelled { .. } => "ticket_cancelled",
            Event::TicketNoted { .. } => "ticket_noted",
            Event::ShiftStarted { .. } => "shift_started",
            Event::HandoverOffered { .. } => "handover_offered",
            Event::HandoverAccepted { .. } => "handover_accepted",
            Event::HandoverRefused { .. } => "handover_refused",
            Event::EmergencyStarted { .. } => "emergency_started",
            Event::EmergencyStepDone { .. } => "emergency_step_done",
            Event::EmergencyStepSkipped { .. } => "emergency_step_skipped",
            Event::EmergencyNoted { .. } => "emergency_noted",
            Event::EmergencyClosed { .. } => "emergency_closed",
            Event::IncidentReportWritten { .. } => "incident_report_written",
            Event::ExportWritten { .. } => "export_written",
            Event::CallerAnonymous { .. } => "caller_anonymous",
            Event::HandoverWithdrawn { .. } => "handover_withdrawn",
            Event::ClockJumped { .. } => "clock_jumped",
            Event::CallAdded { .. } => "call_added",
        }
    }

    /// The ticket this event is about, if any.
    pub fn ticket(&self) -> Option<&TicketId> {
        match self {
            Event::TicketOpened { id, .. }
            | Event::TicketDispatched { id, .. }
            | Event::TicketStarted { id }
            | Event::TicketDone { id, .. }
            | Event::CallbackRecorded { id, .. }
            | Event::TicketClosed { id, .. }
            | Event::TicketCancelled { id, .. }
            | Event::TicketNoted { id, .. }
            | Event::CallerAnonymous { id }
            | Event::CallAdded { id, .. } => Some(id),
            Event::EmergencyStarted { ticket, .. } => Some(ticket),
            _ => None,
        }
    }

    /// The emergency run this event is about, if any.
    pub fn run(&self) -> Option<&str> {
        match self {
            Event::EmergencyStarted { run, .. }
            | Event::EmergencyStepDone { run, .. }
            | Event::EmergencyStepSkipped { run, .. }
            | Event::EmergencyNoted { run, .. }
            | Event::EmergencyClosed { run }
            | Event::IncidentReportWritten { run, .. } => Some(run),
            _ => None,
        }
    }

    /// The JSON form: the fields of the event with a `type` tag among them.
    pub fn to_json(&self) -> serde_json::Value {
        // serde's default form is {"ticket_opened": {...}}; postcard cannot carry an
        // internally tagged enum, so the tag is moved inside here, for JSON only.
        let outer = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        match outer {
            serde_json::Value::Object(map) if map.len() == 1 => {
                let (tag, inner) = map.into_iter().next().unwrap_or_default();
                let mut fields = match inner {
                    serde_json::Value::Object(f) => f,
                    _ => serde_json::Map::new(),
                };
                fields.insert("type".into(), serde_json::Value::String(tag));
                serde_json::Value::Object(fields)
            }
            other => other,
        }
    }

    /// Reads the JSON form written by [`Event::to_json`].
    pub fn from_json(value: &serde_json::Value) -> Result<Event, String> {
        let mut fields = value
            .as_object()
            .cloned()
            .ok_or_else(|| "the event is not a JSON object".to_string())?;
        let tag = match fields.remove("type") {
            Some(serde_json::Value::String(t)) => t,
            _ => return Err("the event has no \"type\"".into()),
        };
        let mut outer = serde_json::Map::new();
        outer.insert(tag, serde_json::Value::Object(fields));
        serde_json::from_value(serde_json::Value::Object(outer)).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_form_has_a_type_tag_and_reads_back() {
        let e = Event::TicketDispatched {
            id: TicketId("R001".into()),
            to: Department::Engineering,
            note: None,
            target: Some(TargetOutcome {
                target_minutes: 5,
                actual_seconds: 120,
                met: true,
            }),
        };
        let j = e.to_json();
        assert_eq!(j["type"], "ticket_dispatched");
        assert_eq!(j["to"], "engineering");
        assert_eq!(Event::from_json(&j).unwrap(), e);
        assert_eq!(e.type_name(), "ticket_dispatched");
    }
}
