//! What the desk says back, as values: a refusal, a permission denied, a thing
//! not found, a field that is wrong, a warning. The rules build these with their
//! arguments and never a sentence; each surface (the command line, the
//! dashboard) renders them in its reader's language with its own way of saying
//! what to do next (a flag, a key). They cross the socket as they are.

use serde::{Deserialize, Serialize};

use crate::domain::moves::Move;
use crate::domain::{Kind, Role, TicketState};

/// A command that is not legal in the current state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// The ticket's state does not allow the move; `allowed` are the ones it does.
    Move {
        id: String,
        state: TicketState,
        tried: Move,
        allowed: Vec<Move>,
    },
    CallbackAlreadySatisfied {
        id: String,
    },
    CloseNeedsSatisfiedCallback {
        id: String,
        kind: Kind,
    },
    ShiftStillOpen {
        shift: u64,
        operator: String,
    },
    NoShiftOpen,
    /// The open shift was handed over to its operator, who has not signed yet.
    ShiftNotAccepted {
        shift: u64,
        operator: String,
    },
    NotYourShift {
        shift: u64,
        owner: String,
        you: String,
    },
    /// Things to settle before a handover; a reason lets it go ahead anyway.
    HandoverConcerns {
        concerns: Vec<Concern>,
    },
    NoHandoverWaiting,
    NothingToWithdraw,
    HandoverAddressedTo {
        to: String,
        you: String,
    },
    SignedNameDiffers {
        to: String,
        typed: String,
    },
    WithdrawNotYours {
        from: Option<String>,
    },
    /// An emergency can be linked only to an open ticket.
    TicketNotOpen {
        id: String,
        state: TicketState,
    },
    StepAlreadyDone {
        run: String,
        step: u32,
        skipped: bool,
    },
    CriticalStepNeedsOverride {
        step: u32,
    },
    CriticalStepsPending {
        run: String,
        steps: Vec<u32>,
    },
    RunClosed {
        run: String,
    },
    /// The demo or generator would write over an existing store.
    StoreExists {
        dir: String,
        generate: bool,
    },
    /// An export file does not verify: which line, and what is wrong with it.
    ExportBroken {
        file: String,
        line: usize,
        what: String,
    },
    /// A client named an evidence file: only the desk records files it wrote.
    EvidenceIsTheDesks,
    /// An idempotency key already used by another operator, or for another command.
    RequestKeyReused {
        key: String,
        operator: String,
        unix_user: String,
        record: u64,
    },
    /// The owner serves as many connections of this Unix user as one may have.
    TooManyConnectionsOfUser {
        user: String,
        count: usize,
    },
    /// The owner serves as many connections as it takes.
    TooManyConnections {
        count: usize,
    },
    /// A further call is added only to an open ticket; about a closed one it is a new call.
    CallOnClosedTicket {
        id: String,
        state: TicketState,
    },
}

/// Something the operator's role (or account) may not do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Forbidden {
    RoleMayNotOverride {
        operator: String,
        unix_user: String,
        role: Role,
    },
    RoleMayNot {
        operator: String,
        unix_user: String,
        role: Role,
        command: String,
        /// Security may dispatch, but only to security.
        dispatch: bool,
    },
    SignFromOwnAccount {
        to: String,
    },
    UserNotListed {
        unix_user: String,
        file: String,
    },
}

/// Something named that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Missing {
    Ticket {
        id: String,
    },
    /// The number exists, but as another kind of ticket (C12 typed for R012).
    WrongKind {
        typed: String,
        id: String,
        kind: Kind,
    },
    Run {
        id: String,
    },
    Plan {
        id: String,
        known: Vec<String>,
    },
    Shift {
        shift: u64,
        count: usize,
    },
    NoOpenShift,
    NoEndedShift,
    NothingToExport,
}

/// Why a field is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reason {
    Empty,
    TooLong {
        max: usize,
    },
    AnonymousWithName,
    NotAPhone {
        text: String,
    },
    PhoneDigits {
        text: String,
        digits: usize,
    },
    NeedTicketId,
    SameOperator,
    SkipNeedsReason,
    NoSuchStep {
        run: String,
        steps: usize,
        step: u32,
    },
    /// A path the user named for a file the desk writes lies in the live store.
    PathInStore {
        path: String,
        store: String,
    },
    /// A path the user named is one of the desk's own files.
    PathIsDesksOwn {
        path: String,
    },
    PathIsSymlink {
        path: String,
    },
    /// A directory where a file was meant (or no file name at all).
    PathIsDirectory {
        path: String,
    },
    /// A device, FIFO or socket: an atomic write would replace it.
    PathNotRegular {
        path: String,
    },
    /// Text that must be plain (a name) holds control characters.
    ControlCharacters {
        text: String,
    },
    /// The dashboard was started without a terminal.
    NeedsTerminal,
    /// A reason given by a part outside the rules (argument parsing, files),
    /// in English; the Chinese text frames it.
    Text(String),
    /// Digits that break the site's number rules (`[phones]` in site.toml).
    PhoneRule {
        text: String,
        digits: usize,
        rule: PhoneRule,
    },
}

/// Which of the site's number rules a phone number breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhoneRule {
    /// Starts like a mobile but has not `digits` digits.
    Mobile { digits: usize },
    /// Starts with the area code's 0 but is not `min`–`max` digits long.
    Landline { min: usize, max: usize },
    /// A local number (7 or 8 digits) typed without its area code.
    NeedsAreaCode,
    /// A short number that the site directory does not list (110, 96333 are
    /// accepted only where the directory lists them).
    ShortNotListed,
}

impl From<String> for Reason {
    fn from(s: String) -> Reason {
        Reason::Text(s)
    }
}

impl From<&str> for Reason {
    fn from(s: &str) -> Reason {
        Reason::Text(s.to_string())
    }
}

/// What holds up a handover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Concern {
    ActiveEmergency {
        run: String,
        name_en: String,
        name_zh: String,
        /// The shift it started in, when not this one.
        started_in: Option<u64>,
    },
    MissingReport {
        run: String,
        name_en: String,
        name_zh: String,
    },
}

/// Accepted, but the operator should know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Warning {
    UnknownUnit {
        unit: String,
    },
    LinkedToOpenTicket {
        unit: String,
        ticket: String,
    },
    Concern(Concern),
    StepValueMissing {
        run: String,
        step: u32,
        record_en: String,
        record_zh: String,
    },
    StepLate {
        step: u32,
        minutes: u32,
        late_seconds: i64,
    },
    AwaitingSignature {
        shift: u64,
        to: String,
        from: Option<String>,
    },
    /// A plan names a contact the site directory does not list.
    UnknownContact {
        plan: String,
        contact: String,
    },
    /// The incident report of a run still active is only an interim one.
    InterimReport {
        run: String,
    },
    /// The same request was submitted again (a retry); nothing new was written.
    AlreadyRecorded,
    /// A handover stands but its export files could not be written yet; the
    /// desk writes them at a later command. `first`: said by the handover itself.
    /// The cause is the error's own sentence in each language.
    ExportsPending {
        shift: u64,
        cause_en: String,
        cause_zh: String,
        first: bool,
    },
}
