//! With --lang zh, refusals and warnings are in Chinese; English stays the default.

use crate::support::bin;
use crate::support::owner::stop_owner;

fn dd(data: &std::path::Path, lang: &str, args: &[&str]) -> std::process::Output {
    bin::run(
        bin::dutydesk(data)
            .args(["--lang", lang, "--operator", "王军"])
            .args(args),
    )
}

#[test]
fn refusals_and_warnings_speak_the_operators_language() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = dd(
        d,
        "zh",
        &[
            "call",
            "--unit",
            "B9 仓库",
            "--kind",
            "repair",
            "--summary",
            "漏水",
        ],
    );
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("注意：房号“B9 仓库”不在项目档案中"), "{err}");
    let out = dd(d, "zh", &["close", "R001"]);
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("R001 当前为“待派工”，不能关闭。下一步可以：派工、取消、备注"),
        "{err}"
    );
    let out = dd(
        d,
        "zh",
        &["call", "--unit", " ", "--kind", "repair", "--summary", "x"],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("房号：不能为空"));
    let out = dd(d, "en", &["close", "R001"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("R001 is new; it cannot be closed. Allowed next: dispatch, cancel, note"),
        "{err}"
    );
    assert!(!err.contains('\u{1f}'), "one language at a time: {err:?}");
    stop_owner(d);
}

#[test]
fn a_move_has_one_chinese_word_in_refusals_and_english_ones_name_no_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let call = ["call", "--unit", "B9", "--kind", "repair", "--summary", "x"];
    assert!(dd(d, "zh", &call).status.success());
    assert!(dd(d, "zh", &["dispatch", "R001", "--to", "engineering"])
        .status
        .success());
    // The same words as the detail screen and the help: 开工 and 完工.
    let out = dd(d, "zh", &["done", "R001"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("不能完工。下一步可以：开工、派工、取消、备注"),
        "{err}"
    );
    // Refusals that used to exist only in English now speak Chinese too.
    let out = dd(d, "zh", &["emergency", "close", "EM9"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("没有应急事件“EM9”"), "{err}");
    let out = dd(d, "zh", &["shift", "accept"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("没有等待签收的交接"), "{err}");
    stop_owner(d);
}

mod every_message {
    //! Every refusal, warning and error the desk can give, rendered on both
    //! surfaces in both languages. The data in them is ASCII, so any Chinese in
    //! the English text, or none in the Chinese, is the wording's fault.

    use dutydesk::domain::{
        Concern, Forbidden, Kind, Lang, Missing, Move, PhoneRule, Reason, Refusal, Role,
        TicketState, Warning,
    };
    use dutydesk::tui::Keymap;
    use dutydesk::DeskError;

    fn s(t: &str) -> String {
        t.to_string()
    }

    fn concerns() -> Vec<Concern> {
        let all = vec![
            Concern::ActiveEmergency {
                run: s("EM1"),
                name_en: s("Lift"),
                name_zh: s("Lift"),
                started_in: Some(2),
            },
            Concern::MissingReport {
                run: s("EM2"),
                name_en: s("Fire"),
                name_zh: s("Fire"),
            },
        ];
        // A new concern fails to compile here until it is given a sample above.
        for c in &all {
            match c {
                Concern::ActiveEmergency { .. } | Concern::MissingReport { .. } => {}
            }
        }
        all
    }

    /// Which variant a refusal is; with no wildcard, a new variant must be listed.
    fn refusal_kind(r: &Refusal) -> usize {
        match r {
            Refusal::Move { .. } => 0,
            Refusal::CallbackAlreadySatisfied { .. } => 1,
            Refusal::CloseNeedsSatisfiedCallback { .. } => 2,
            Refusal::ShiftStillOpen { .. } => 3,
            Refusal::NoShiftOpen => 4,
            Refusal::ShiftNotAccepted { .. } => 5,
            Refusal::NotYourShift { .. } => 6,
            Refusal::HandoverConcerns { .. } => 7,
            Refusal::NoHandoverWaiting => 8,
            Refusal::NothingToWithdraw => 9,
            Refusal::HandoverAddressedTo { .. } => 10,
            Refusal::SignedNameDiffers { .. } => 11,
            Refusal::WithdrawNotYours { .. } => 12,
            Refusal::TicketNotOpen { .. } => 13,
            Refusal::StepAlreadyDone { .. } => 14,
            Refusal::CriticalStepNeedsOverride { .. } => 15,
            Refusal::CriticalStepsPending { .. } => 16,
            Refusal::RunClosed { .. } => 17,
            Refusal::StoreExists { .. } => 18,
            Refusal::ExportBroken { .. } => 19,
            Refusal::EvidenceIsTheDesks => 20,
            Refusal::RequestKeyReused { .. } => 21,
            Refusal::TooManyConnectionsOfUser { .. } => 22,
            Refusal::TooManyConnections { .. } => 23,
            Refusal::CallOnClosedTicket { .. } => 24,
        }
    }
    const REFUSALS: usize = 25;

    fn refusals() -> Vec<Refusal> {
        vec![
            Refusal::Move {
                id: s("R001"),
                state: TicketState::Dispatched,
                tried: Move::Close,
                allowed: vec![Move::Start, Move::Dispatch, Move::Cancel, Move::Note],
            },
            Refusal::Move {
                id: s("R002"),
                state: TicketState::Closed,
                tried: Move::Callback,
                allowed: vec![Move::Note],
            },
            Refusal::CallbackAlreadySatisfied { id: s("R001") },
            Refusal::CloseNeedsSatisfiedCallback {
                id: s("R001"),
                kind: Kind::Repair,
            },
            Refusal::ShiftStillOpen {
                shift: 1,
                operator: s("wang"),
            },
            Refusal::NoShiftOpen,
            Refusal::ShiftNotAccepted {
                shift: 2,
                operator: s("li"),
            },
            Refusal::NotYourShift {
                shift: 1,
                owner: s("wang"),
                you: s("li"),
            },
            Refusal::HandoverConcerns {
                concerns: concerns(),
            },
            Refusal::NoHandoverWaiting,
            Refusal::NothingToWithdraw,
            Refusal::HandoverAddressedTo {
                to: s("li"),
                you: s("zhao"),
            },
            Refusal::SignedNameDiffers {
                to: s("li"),
                typed: s("lee"),
            },
            Refusal::WithdrawNotYours { from: None },
            Refusal::WithdrawNotYours {
                from: Some(s("wang")),
            },
            Refusal::TicketNotOpen {
                id: s("R001"),
                state: TicketState::Closed,
            },
            Refusal::StepAlreadyDone {
                run: s("EM1"),
                step: 2,
                skipped: true,
            },
            Refusal::CriticalStepNeedsOverride { step: 4 },
            Refusal::CriticalStepsPending {
                run: s("EM1"),
                steps: vec![1, 3],
            },
            Refusal::RunClosed { run: s("EM1") },
            Refusal::StoreExists {
                dir: s("/tmp/x"),
                generate: true,
            },
            Refusal::ExportBroken {
                file: s("a.jsonl"),
                line: 3,
                what: s("hash mismatch"),
            },
            Refusal::EvidenceIsTheDesks,
            Refusal::RequestKeyReused {
                key: s("k1"),
                operator: s("wang"),
                unix_user: s("wang"),
                record: 7,
            },
            Refusal::TooManyConnectionsOfUser {
                user: s("chen"),
                count: 64,
            },
            Refusal::TooManyConnections { count: 256 },
            Refusal::CallOnClosedTicket {
                id: s("R017"),
                state: TicketState::Closed,
            },
        ]
    }

    fn forbidden_kind(f: &Forbidden) -> usize {
        match f {
            Forbidden::RoleMayNotOverride { .. } => 0,
            Forbidden::RoleMayNot { .. } => 1,
            Forbidden::SignFromOwnAccount { .. } => 2,
            Forbidden::UserNotListed { .. } => 3,
        }
    }
    const FORBIDDEN: usize = 4;

    fn forbidden() -> Vec<Forbidden> {
        vec![
            Forbidden::RoleMayNotOverride {
                operator: s("wang"),
                unix_user: s("wang"),
                role: Role::Dispatcher,
            },
            Forbidden::RoleMayNot {
                operator: s("zhao"),
                unix_user: s("zhao"),
                role: Role::Security,
                command: s("dispatch"),
                dispatch: true,
            },
            Forbidden::SignFromOwnAccount { to: s("li") },
            Forbidden::UserNotListed {
                unix_user: s("guest"),
                file: s("operators.toml"),
            },
        ]
    }

    fn missing_kind(m: &Missing) -> usize {
        match m {
            Missing::Ticket { .. } => 0,
            Missing::WrongKind { .. } => 1,
            Missing::Run { .. } => 2,
            Missing::Plan { .. } => 3,
            Missing::Shift { .. } => 4,
            Missing::NoOpenShift => 5,
            Missing::NoEndedShift => 6,
            Missing::NothingToExport => 7,
        }
    }
    const MISSING: usize = 8;

    fn missing() -> Vec<Missing> {
        vec![
            Missing::Ticket { id: s("R404") },
            Missing::WrongKind {
                typed: s("C1"),
                id: s("R001"),
                kind: Kind::Repair,
            },
            Missing::Run { id: s("EM9") },
            Missing::Plan {
                id: s("flood"),
                known: vec![s("fire"), s("lift")],
            },
            Missing::Shift { shift: 9, count: 2 },
            Missing::NoOpenShift,
            Missing::NoEndedShift,
            Missing::NothingToExport,
        ]
    }

    fn reason_kind(r: &Reason) -> usize {
        match r {
            Reason::Empty => 0,
            Reason::TooLong { .. } => 1,
            Reason::AnonymousWithName => 2,
            Reason::NotAPhone { .. } => 3,
            Reason::PhoneDigits { .. } => 4,
            Reason::NeedTicketId => 5,
            Reason::SameOperator => 6,
            Reason::SkipNeedsReason => 7,
            Reason::NoSuchStep { .. } => 8,
            Reason::Text(_) => 9,
            Reason::PathInStore { .. } => 10,
            Reason::PathIsDesksOwn { .. } => 11,
            Reason::PathIsSymlink { .. } => 12,
            Reason::PathIsDirectory { .. } => 13,
            Reason::PathNotRegular { .. } => 14,
            Reason::ControlCharacters { .. } => 15,
            Reason::NeedsTerminal => 16,
            Reason::PhoneRule { .. } => 17,
        }
    }
    const REASONS: usize = 18;

    fn reasons() -> Vec<Reason> {
        vec![
            Reason::Empty,
            Reason::TooLong { max: 40 },
            Reason::AnonymousWithName,
            Reason::NotAPhone { text: s("abc") },
            Reason::PhoneDigits {
                text: s("12"),
                digits: 2,
            },
            Reason::NeedTicketId,
            Reason::SameOperator,
            Reason::SkipNeedsReason,
            Reason::NoSuchStep {
                run: s("EM1"),
                steps: 11,
                step: 12,
            },
            Reason::Text(s("not a number")),
            Reason::PathInStore {
                path: s("/srv/d/store/db"),
                store: s("/srv/d/store"),
            },
            Reason::PathIsDesksOwn {
                path: s("/srv/d/owner.lock"),
            },
            Reason::PathIsSymlink { path: s("/tmp/l") },
            Reason::PathIsDirectory { path: s("/tmp") },
            Reason::PathNotRegular {
                path: s("/dev/full"),
            },
            Reason::ControlCharacters {
                text: s("\u{1b}[31mEVIL"),
            },
            Reason::NeedsTerminal,
            Reason::PhoneRule {
                text: s("8823561"),
                digits: 7,
                rule: PhoneRule::NeedsAreaCode,
            },
            Reason::PhoneRule {
                text: s("1381234567"),
                digits: 10,
                rule: PhoneRule::Mobile { digits: 11 },
            },
            Reason::PhoneRule {
                text: s("0571-882"),
                digits: 7,
                rule: PhoneRule::Landline { min: 10, max: 12 },
            },
            Reason::PhoneRule {
                text: s("12345"),
                digits: 5,
                rule: PhoneRule::ShortNotListed,
            },
        ]
    }

    fn warning_kind(w: &Warning) -> usize {
        match w {
            Warning::UnknownUnit { .. } => 0,
            Warning::LinkedToOpenTicket { .. } => 1,
            Warning::Concern(_) => 2,
            Warning::StepValueMissing { .. } => 3,
            Warning::StepLate { .. } => 4,
            Warning::AwaitingSignature { .. } => 5,
            Warning::UnknownContact { .. } => 6,
            Warning::InterimReport { .. } => 7,
            Warning::AlreadyRecorded => 8,
            Warning::ExportsPending { .. } => 9,
        }
    }
    const WARNINGS: usize = 10;

    fn warnings() -> Vec<Warning> {
        let mut all = vec![
            Warning::UnknownUnit { unit: s("B9") },
            Warning::LinkedToOpenTicket {
                unit: s("B9"),
                ticket: s("R001"),
            },
            Warning::StepValueMissing {
                run: s("EM1"),
                step: 1,
                record_en: s("People"),
                record_zh: s("People"),
            },
            Warning::StepLate {
                step: 6,
                minutes: 30,
                late_seconds: 660,
            },
            Warning::AwaitingSignature {
                shift: 1,
                to: s("li"),
                from: Some(s("wang")),
            },
            Warning::AwaitingSignature {
                shift: 1,
                to: s("li"),
                from: None,
            },
            Warning::UnknownContact {
                plan: s("lift"),
                contact: s("otis"),
            },
            Warning::InterimReport { run: s("EM1") },
            Warning::AlreadyRecorded,
            Warning::ExportsPending {
                shift: 1,
                cause_en: s("could not create /d/exports: File exists"),
                cause_zh: s("could not create /d/exports: File exists"),
                first: true,
            },
            Warning::ExportsPending {
                shift: 1,
                cause_en: s("disk full"),
                cause_zh: s("disk full"),
                first: false,
            },
        ];
        all.extend(concerns().into_iter().map(Warning::Concern));
        all
    }

    /// Every variant of every message type, as the error or warning it travels in.
    fn everything() -> (Vec<DeskError>, Vec<Warning>) {
        let kinds = |mut seen: Vec<usize>, n: usize, what: &str| {
            seen.sort();
            seen.dedup();
            assert_eq!(
                seen,
                (0..n).collect::<Vec<_>>(),
                "a {what} variant has no sample"
            );
        };
        let (r, f, m, w, q) = (refusals(), forbidden(), missing(), reasons(), warnings());
        kinds(r.iter().map(refusal_kind).collect(), REFUSALS, "refusal");
        kinds(
            f.iter().map(forbidden_kind).collect(),
            FORBIDDEN,
            "forbidden",
        );
        kinds(m.iter().map(missing_kind).collect(), MISSING, "missing");
        kinds(w.iter().map(reason_kind).collect(), REASONS, "reason");
        kinds(q.iter().map(warning_kind).collect(), WARNINGS, "warning");
        let mut errors: Vec<DeskError> = Vec::new();
        errors.extend(r.into_iter().map(DeskError::Refused));
        errors.extend(f.into_iter().map(DeskError::Forbidden));
        errors.extend(m.into_iter().map(DeskError::NotFound));
        errors.extend(w.into_iter().map(|reason| DeskError::Invalid {
            field: s("phone"),
            reason,
        }));
        // The errors met outside the rules carry an English detail from the
        // system; their framing is in the reader's language.
        for e in [
            DeskError::Locked(s("pid 42")),
            DeskError::Damaged(s("record 7")),
            DeskError::Storage(s("ENOSPC")),
            DeskError::Config(s("site.toml:3: bad")),
            DeskError::Connection(s("socket gone")),
            DeskError::Group(s("PostgreSQL: cannot connect")),
            DeskError::Internal(s("oops")),
        ] {
            match e {
                DeskError::Invalid { .. }
                | DeskError::NotFound(_)
                | DeskError::Refused(_)
                | DeskError::Forbidden(_)
                | DeskError::Locked(_)
                | DeskError::Damaged(_)
                | DeskError::Storage(_)
                | DeskError::Config(_)
                | DeskError::Connection(_)
                | DeskError::Group(_)
                | DeskError::Internal(_) => errors.push(e),
            }
        }
        (errors, q)
    }

    fn is_cjk(c: char) -> bool {
        matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
    }

    fn ideographs(t: &str) -> usize {
        t.chars()
            .filter(|c| matches!(c, '\u{3400}'..='\u{9fff}'))
            .count()
    }

    fn check(text: &str, lang: Lang, dashboard: bool, what: &str) {
        assert!(
            !text.contains('\u{1f}'),
            "a joined message: {what}: {text:?}"
        );
        assert!(!text.trim().is_empty(), "{what} says nothing");
        match lang {
            Lang::En => assert!(
                !text.chars().any(is_cjk),
                "Chinese in the English text of {what}: {text}"
            ),
            Lang::Zh => assert!(
                ideographs(text) >= 2,
                "no Chinese sentence for {what}: {text}"
            ),
        }
        if dashboard {
            assert!(
                !text.contains("--"),
                "a flag on the dashboard: {what}: {text}"
            );
        } else {
            for key in ["press", "Press", "Ctrl-", "Enter", "Esc", "按 "] {
                assert!(
                    !text.contains(key),
                    "a key on the command line: {what}: {text}"
                );
            }
        }
    }

    #[test]
    fn every_refusal_warning_and_error_reads_in_each_language_on_each_surface() {
        let keymap = Keymap::builtin();
        let (errors, warnings) = everything();
        for lang in [Lang::En, Lang::Zh] {
            for e in &errors {
                let what = format!("{e:?} in {lang:?}");
                check(&dutydesk::cli::render::error(e, lang), lang, false, &what);
                check(
                    &dutydesk::tui::render::error(e, lang, &keymap),
                    lang,
                    true,
                    &what,
                );
                check(&e.text(lang), lang, true, &what);
            }
            for w in &warnings {
                let what = format!("{w:?} in {lang:?}");
                check(&dutydesk::cli::render::warning(w, lang), lang, false, &what);
                check(
                    &dutydesk::tui::render::warning(w, lang, &keymap),
                    lang,
                    true,
                    &what,
                );
            }
        }
    }

    #[test]
    fn the_command_line_names_its_flags_and_the_dashboard_the_keys_bound_now() {
        let override_needed = DeskError::Refused(Refusal::CriticalStepNeedsOverride { step: 4 });
        let cli = dutydesk::cli::render::error(&override_needed, Lang::En);
        assert!(cli.contains("--override"), "{cli}");
        let remapped =
            Keymap::with_user("[confirm]\nyes = \"o\"\n", std::path::Path::new("k.toml")).unwrap();
        let en = dutydesk::tui::render::error(&override_needed, Lang::En, &remapped);
        assert!(en.contains("press o to override"), "{en}");
        let zh = dutydesk::tui::render::error(&override_needed, Lang::Zh, &remapped);
        assert!(zh.contains("按 o 强制跳过"), "{zh}");
        // The moves allowed now are one table's words: 开工, never 开始处理.
        let refused = DeskError::Refused(Refusal::Move {
            id: s("R001"),
            state: TicketState::Dispatched,
            tried: Move::Done,
            allowed: vec![Move::Start, Move::Dispatch, Move::Cancel, Move::Note],
        });
        let zh = dutydesk::cli::render::error(&refused, Lang::Zh);
        assert!(zh.contains("开工、派工、取消、备注"), "{zh}");
        assert!(zh.contains("不能完工"), "{zh}");
    }
}

#[test]
fn typed_input_is_echoed_escaped_in_chinese_too_and_the_dashboard_needs_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = dd(d, "zh", &["start", "\u{1b}[2J\u{1f}R9"]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("没有工单“\\e[2J\\x1fR9”：请用 `dutydesk tickets --all` 核对编号"),
        "{err:?}"
    );
    let out = bin::run(
        bin::dutydesk(d)
            .args(["--lang", "zh"])
            .stdin(std::process::Stdio::null()),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("需要在终端中运行"), "{err}");
    stop_owner(d);
}
