//! JSON shapes that scripts read: tickets as `tickets --json` prints them.

use serde_json::{json, Value};

use crate::state::Ticket;
use crate::store::record::rfc3339;

pub fn ticket(t: &Ticket) -> Value {
    json!({
        "id": t.id.0,
        "kind": t.kind.as_str(),
        "priority": t.priority.0,
        "state": t.state.as_str(),
        "unit": t.unit,
        "caller": t.caller,
        "anonymous": t.anonymous,
        "phone": t.phone,
        "summary": t.summary,
        "department": t.department.map(|d| d.as_str()),
        "opened_at": rfc3339(t.opened_at_us),
        "updated_at": rfc3339(t.updated_at_us),
        "reopen_count": t.reopen_count,
        "related": t.related.as_ref().map(|r| r.0.clone()),
        "dispatch_target_met": t.dispatch_target.as_ref().map(|x| x.met),
        "callback": t.callback,
        "notes": t.notes.iter().map(|n| json!({
            "at": rfc3339(n.at_us), "operator": n.operator, "text": n.text,
        })).collect::<Vec<_>>(),
        "calls": t.calls.iter().map(|c| json!({
            "at": rfc3339(c.at_us), "operator": c.operator, "caller": c.caller,
            "phone": c.phone, "note": c.note,
        })).collect::<Vec<_>>(),
    })
}
