//! The sentences of refusals, warnings and the rest, in both languages. What to
//! do next is asked of the [`Surface`] showing the message: the command line
//! names its flags and commands, the dashboard the keys bound now. Nothing here
//! knows either.

use crate::display::short_duration;
use crate::domain::moves::{self, Move};
use crate::domain::refusal::{Concern, Forbidden, Missing, Reason, Refusal, Warning};
use crate::domain::text::shown;
use crate::domain::{Bilingual, Lang, Role};

/// Something the reader can do about a message; each surface says how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint<'a> {
    /// Skip a critical step as an override.
    Override,
    /// Give a reason with the command.
    Reason,
    /// Make a move on a ticket.
    Move {
        mv: Move,
        id: &'a str,
    },
    /// Record a satisfied callback on a ticket.
    CallbackSatisfied {
        id: &'a str,
    },
    ShiftStart,
    ShiftHandover,
    ShiftAccept,
    /// Look up ticket ids.
    ListTickets,
    /// Look up emergency runs.
    ListRuns,
    RunNote {
        run: &'a str,
    },
    RunReport {
        run: &'a str,
    },
    RunClose {
        run: &'a str,
    },
    /// Take the name off an anonymous call.
    DropName,
    /// Pick a shift that exists.
    ChooseShift,
    /// Use a data directory without a store.
    EmptyDir,
}

/// A place messages are shown: it knows how its reader does things.
pub trait Surface {
    /// A short clause telling the reader how to do `hint`, in `lang`.
    fn how(&self, hint: Hint, lang: Lang) -> String;
}

/// The surface of `Display` and logs: says what to do without naming flags or keys.
pub struct Plain;

impl Surface for Plain {
    fn how(&self, hint: Hint, lang: Lang) -> String {
        let (en, zh) = match hint {
            Hint::Override => ("override it".to_string(), "强制跳过".to_string()),
            Hint::Reason => ("give a reason".into(), "说明原因".into()),
            Hint::Move { mv, id } => (
                format!("{} {id}", mv.label().en),
                format!("{}{id}", mv.label().zh),
            ),
            Hint::CallbackSatisfied { id } => (
                format!("record a satisfied callback on {id}"),
                format!("为 {id} 记录满意回访"),
            ),
            Hint::ShiftStart => ("start one first".into(), "请先开班".into()),
            Hint::ShiftHandover => ("hand it over".into(), "交班".into()),
            Hint::ShiftAccept => ("accept it".into(), "签收".into()),
            Hint::ListTickets => ("check the id".into(), "核对编号".into()),
            Hint::ListRuns => ("check the run's id".into(), "核对应急编号".into()),
            Hint::RunNote { run } => (format!("add a note to {run}"), format!("为 {run} 加备注")),
            Hint::RunReport { run } => (
                format!("write the report of {run}"),
                format!("写出 {run} 的报告"),
            ),
            Hint::RunClose { run } => (format!("closing {run}"), format!("结束 {run}")),
            Hint::DropName => ("leave the name out".into(), "去掉姓名".into()),
            Hint::ChooseShift => ("choose another shift".into(), "选择其他班次".into()),
            Hint::EmptyDir => ("use an empty directory".into(), "使用空目录".into()),
        };
        match lang {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

pub fn role_label(role: Role) -> Bilingual {
    match role {
        Role::DutyManager => Bilingual::new("duty-manager", "值班经理"),
        Role::Dispatcher => Bilingual::new("dispatcher", "调度员"),
        Role::Security => Bilingual::new("security", "秩序维护员"),
    }
}

fn en_list<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(T::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn zh_list<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(T::to_string)
        .collect::<Vec<_>>()
        .join("、")
}

pub fn refusal(r: &Refusal, lang: Lang, s: &dyn Surface) -> String {
    use Refusal as R;
    let how = |h| s.how(h, lang);
    match (r, lang) {
        (R::Move { id, state, tried, allowed }, Lang::En) => {
            let next = if allowed.len() <= 1 {
                "nothing but notes: the ticket is finished".to_string()
            } else {
                moves::list(allowed, lang)
            };
            format!(
                "{id} is {}; it cannot be {}. Allowed next: {next}",
                state.as_str().replace('_', " "),
                tried.done_to()
            )
        }
        (R::Move { id, state, tried, allowed }, Lang::Zh) => {
            let next = if allowed.len() <= 1 {
                "只能加备注，工单已结束".to_string()
            } else {
                moves::list(allowed, lang)
            };
            format!(
                "{id} 当前为“{}”，不能{}。下一步可以：{next}",
                state.label().zh,
                tried.label().zh
            )
        }
        (R::CallbackAlreadySatisfied { id }, Lang::En) => format!(
            "{id} has its satisfied callback already; close it ({})",
            how(Hint::Move { mv: Move::Close, id })
        ),
        (R::CallbackAlreadySatisfied { id }, Lang::Zh) => format!(
            "{id} 已有满意回访记录，请直接关闭（{}）",
            how(Hint::Move { mv: Move::Close, id })
        ),
        (R::CloseNeedsSatisfiedCallback { id, kind }, Lang::En) => format!(
            "{id} is {} and closes only after a satisfied callback: record it first ({})",
            kind.with_article(),
            how(Hint::CallbackSatisfied { id })
        ),
        (R::CloseNeedsSatisfiedCallback { id, kind }, Lang::Zh) => format!(
            "{id} 是{}工单，须回访且业主满意后才能关闭：请先记录满意回访（{}）",
            kind.label().zh,
            how(Hint::CallbackSatisfied { id })
        ),
        (R::ShiftStillOpen { shift, operator }, Lang::En) => format!(
            "shift {shift} of {operator} is still open; hand it over instead ({})",
            how(Hint::ShiftHandover)
        ),
        (R::ShiftStillOpen { shift, operator }, Lang::Zh) => format!(
            "{operator} 的第 {shift} 班还没有结束；请改为交班（{}）",
            how(Hint::ShiftHandover)
        ),
        (R::NoShiftOpen, Lang::En) => format!("no shift is open: {}", how(Hint::ShiftStart)),
        (R::NoShiftOpen, Lang::Zh) => format!("当前没有在岗班次：{}", how(Hint::ShiftStart)),
        (R::ShiftNotAccepted { shift, operator }, Lang::En) => format!(
            "shift {shift} has not been signed by {operator} yet: it must be accepted ({}) before it is handed on",
            how(Hint::ShiftAccept)
        ),
        (R::ShiftNotAccepted { shift, operator }, Lang::Zh) => format!(
            "第 {shift} 班尚未由 {operator} 签收：签收（{}）之后才能再交班",
            how(Hint::ShiftAccept)
        ),
        (R::NotYourShift { shift, owner, you }, Lang::En) => format!(
            "shift {shift} is {owner}'s; only they (or the duty manager) can hand it over (you are {you})"
        ),
        (R::NotYourShift { shift, owner, you }, Lang::Zh) => format!(
            "第 {shift} 班属于 {owner}，只有本人或值班经理可以交班（你是 {you}）"
        ),
        (R::HandoverConcerns { concerns }, Lang::En) => format!(
            "{}. Hand over anyway with a reason ({})",
            concerns.iter().map(|c| concern(c, lang, s)).collect::<Vec<_>>().join("; "),
            how(Hint::Reason)
        ),
        (R::HandoverConcerns { concerns }, Lang::Zh) => format!(
            "{}。如仍要交班，请说明原因（{}）",
            concerns.iter().map(|c| concern(c, lang, s)).collect::<Vec<_>>().join("；"),
            how(Hint::Reason)
        ),
        (R::NoHandoverWaiting, Lang::En) => "no handover is waiting for a signature".into(),
        (R::NoHandoverWaiting, Lang::Zh) => "没有等待签收的交接".into(),
        (R::NothingToWithdraw, Lang::En) => {
            "no handover is waiting for a signature; there is nothing to withdraw".into()
        }
        (R::NothingToWithdraw, Lang::Zh) => "没有等待签收的交接，无可撤回".into(),
        (R::HandoverAddressedTo { to, you }, Lang::En) => format!(
            "the handover is addressed to {to}; only they can sign or refuse it (you are {you})"
        ),
        (R::HandoverAddressedTo { to, you }, Lang::Zh) => {
            format!("这份交接是交给 {to} 的，只有本人可以签收或拒签（你是 {you}）")
        }
        (R::SignedNameDiffers { to, typed }, Lang::En) => format!(
            "the handover is addressed to {to}; type that name exactly to sign it (you typed {typed})"
        ),
        (R::SignedNameDiffers { to, typed }, Lang::Zh) => {
            format!("这份交接是交给 {to} 的，请准确输入这个名字签收（你输入的是 {typed}）")
        }
        (R::WithdrawNotYours { from }, Lang::En) => format!(
            "only {} (who handed over) or the duty manager may withdraw this handover",
            from.as_deref().unwrap_or("the outgoing operator")
        ),
        (R::WithdrawNotYours { from }, Lang::Zh) => format!(
            "只有交班人{}或值班经理可以撤回这份交接",
            from.as_deref().map(|f| format!(" {f} ")).unwrap_or_default()
        ),
        (R::CallOnClosedTicket { id, state }, Lang::En) => format!(
            "{id} is {state}; a further call is added only to an open ticket: log this call as a new one"
        ),
        (R::CallOnClosedTicket { id, state }, Lang::Zh) => format!(
            "{id} 当前为“{}”，只能给未结工单追加来电：请作为新来电登记",
            state.label().zh
        ),
        (R::TicketNotOpen { id, state }, Lang::En) => {
            format!("{id} is {state}; an emergency links to an open ticket")
        }
        (R::TicketNotOpen { id, state }, Lang::Zh) => format!(
            "{id} 当前为“{}”；应急事件只能关联未结工单",
            state.label().zh
        ),
        (R::StepAlreadyDone { run, step, skipped }, Lang::En) => format!(
            "step {step} of {run} is already {}",
            if *skipped { "skipped" } else { "done" }
        ),
        (R::StepAlreadyDone { run, step, skipped }, Lang::Zh) => format!(
            "{run} 的第 {step} 步已经{}",
            if *skipped { "跳过" } else { "完成" }
        ),
        (R::CriticalStepNeedsOverride { step }, Lang::En) => format!(
            "step {step} is critical: it can be skipped only as an override, with a reason ({})",
            how(Hint::Override)
        ),
        (R::CriticalStepNeedsOverride { step }, Lang::Zh) => format!(
            "第 {step} 步是关键步骤：只有说明原因并强制跳过才能跳过（{}）",
            how(Hint::Override)
        ),
        (R::CriticalStepsPending { run, steps }, Lang::En) => format!(
            "{run} cannot close: critical step{} {} still pending (do them, or skip them as an override with a reason: {})",
            if steps.len() == 1 { "" } else { "s" },
            en_list(steps),
            how(Hint::Override)
        ),
        (R::CriticalStepsPending { run, steps }, Lang::Zh) => format!(
            "{run} 不能结束：关键步骤 {} 尚未完成（请完成，或说明原因强制跳过：{}）",
            zh_list(steps),
            how(Hint::Override)
        ),
        (R::RunClosed { run }, Lang::En) => format!("{run} is closed"),
        (R::RunClosed { run }, Lang::Zh) => format!("{run} 已经结束"),
        (R::StoreExists { dir, generate }, Lang::En) => format!(
            "{dir} already holds a store; {} loads into a fresh directory only ({})",
            if *generate { "the generator" } else { "the demo" },
            how(Hint::EmptyDir)
        ),
        (R::StoreExists { dir, generate }, Lang::Zh) => format!(
            "{dir} 里已有数据；{}只写入新的目录（{}）",
            if *generate { "生成器" } else { "演示" },
            how(Hint::EmptyDir)
        ),
        (R::ExportBroken { file, line, what }, Lang::En) => format!("{file}:{line}: {what}"),
        (R::ExportBroken { file, line, what }, Lang::Zh) => {
            format!("{file} 第 {line} 行校验不通过：{what}")
        }
        (R::EvidenceIsTheDesks, Lang::En) => "only the desk records where its evidence files are: \
             the handover writes a shift's exports and the incident report is written by the desk"
            .into(),
        (
            R::RequestKeyReused {
                key,
                operator,
                unix_user,
                record,
            },
            Lang::En,
        ) => format!(
            "the request key {key:?} was already used by {operator} ({unix_user}) for another command \
             (record {record}); a retry must repeat the same command as the same operator. \
             Nothing was recorded: send it again with a new request key"
        ),
        (
            R::RequestKeyReused {
                key,
                operator,
                unix_user,
                record,
            },
            Lang::Zh,
        ) => format!(
            "请求键 {key:?} 已被 {operator}（{unix_user}）用于另一条命令（记录 {record}）；\
             重试必须由同一操作员重复同一命令。未记录任何内容：请换一个新的请求键重新提交"
        ),
        (R::TooManyConnectionsOfUser { user, count }, Lang::En) => format!(
            "the owner already serves {count} connections from user {user} (the most one user may have); \
             close some dashboards or stuck dutydesk commands of {user}, then try again"
        ),
        (R::TooManyConnectionsOfUser { user, count }, Lang::Zh) => format!(
            "属主进程已为用户 {user} 服务 {count} 个连接（单个用户的上限）；\
             请关闭 {user} 的一些看板或卡住的 dutydesk 命令后重试"
        ),
        (R::TooManyConnections { count }, Lang::En) => format!(
            "the owner already serves {count} connections (the most it takes); \
             close some dashboards, then try again"
        ),
        (R::TooManyConnections { count }, Lang::Zh) => {
            format!("属主进程已服务 {count} 个连接（上限）；请关闭一些看板后重试")
        }
        (R::EvidenceIsTheDesks, Lang::Zh) => {
            "证据文件只能由值班台自己记录：交班时由值班台写出交接文件，重大事件报告也由值班台写出".into()
        }
    }
}

pub fn forbidden(f: &Forbidden, lang: Lang, s: &dyn Surface) -> String {
    use Forbidden as F;
    match (f, lang) {
        (F::RoleMayNotOverride { operator, unix_user, role }, Lang::En) => format!(
            "{operator} ({unix_user}) has the {role} role, which may not override a critical checklist step; only the duty-manager role may"
        ),
        (F::RoleMayNotOverride { operator, unix_user, role }, Lang::Zh) => format!(
            "{operator}（{unix_user}）的角色是{}，不能强制跳过关键步骤，须由值班经理操作",
            role_label(*role).zh
        ),
        (F::RoleMayNot { operator, unix_user, role, command, dispatch }, Lang::En) => format!(
            "{operator} ({unix_user}) has the {role} role, which may not {command}{}",
            if *dispatch {
                " to that department (security may dispatch only to security)"
            } else {
                ""
            }
        ),
        (F::RoleMayNot { operator, unix_user, role, command, dispatch }, Lang::Zh) => format!(
            "{operator}（{unix_user}）的角色是{}，无权执行 {command}{}",
            role_label(*role).zh,
            if *dispatch { "（秩序维护员只能派工给秩序部）" } else { "" }
        ),
        (F::SignFromOwnAccount { to }, Lang::En) => format!(
            "operators.toml is in force: {to} must sign from their own account ({})",
            s.how(Hint::ShiftAccept, lang)
        ),
        (F::SignFromOwnAccount { to }, Lang::Zh) => format!(
            "已启用 operators.toml：{to} 须用本人账户签收（{}）",
            s.how(Hint::ShiftAccept, lang)
        ),
        (F::UserNotListed { unix_user, file }, Lang::En) => format!(
            "the Unix user \"{unix_user}\" is not listed in {file}, so it may not use this desk; ask the duty manager to add an [[operator]] entry for it"
        ),
        (F::UserNotListed { unix_user, file }, Lang::Zh) => format!(
            "系统用户“{unix_user}”不在 {file} 中，不能使用值班台；请值班经理为它添加 [[operator]] 条目"
        ),
    }
}

pub fn missing(m: &Missing, lang: Lang, s: &dyn Surface) -> String {
    use Missing as M;
    let how = |h| s.how(h, lang);
    match (m, lang) {
        (M::Ticket { id }, Lang::En) => {
            format!("no ticket '{}': {}", shown(id), how(Hint::ListTickets))
        }
        (M::Ticket { id }, Lang::Zh) => {
            format!("没有工单“{}”：请{}", shown(id), how(Hint::ListTickets))
        }
        (M::WrongKind { typed, id, kind }, Lang::En) => {
            format!(
                "no ticket '{}': {id} is {} (did you mean {id}?)",
                shown(typed),
                kind.with_article()
            )
        }
        (M::WrongKind { typed, id, kind }, Lang::Zh) => format!(
            "没有工单“{}”：{id} 是{}工单（是不是 {id}？）",
            shown(typed),
            kind.label().zh
        ),
        (M::Run { id }, Lang::En) => {
            format!("no emergency run '{}': {}", shown(id), how(Hint::ListRuns))
        }
        (M::Run { id }, Lang::Zh) => {
            format!("没有应急事件“{}”：请{}", shown(id), how(Hint::ListRuns))
        }
        (M::Plan { id, known }, Lang::En) => {
            format!(
                "no emergency plan '{}': use one of {}",
                shown(id),
                en_list(known)
            )
        }
        (M::Plan { id, known }, Lang::Zh) => {
            format!("没有应急预案“{}”：可用的有 {}", shown(id), zh_list(known))
        }
        (M::Shift { shift, count }, Lang::En) => {
            format!("there is no shift {shift} (shifts 1 to {count} exist)")
        }
        (M::Shift { shift, count }, Lang::Zh) => {
            format!("没有第 {shift} 班（现有第 1 到 {count} 班）")
        }
        (M::NoOpenShift, Lang::En) => format!("no shift is open: {}", how(Hint::ChooseShift)),
        (M::NoOpenShift, Lang::Zh) => format!("当前没有在岗班次：请{}", how(Hint::ChooseShift)),
        (M::NoEndedShift, Lang::En) => {
            format!(
                "no shift has been handed over yet: {}",
                how(Hint::ChooseShift)
            )
        }
        (M::NoEndedShift, Lang::Zh) => {
            format!("还没有交过班：请{}", how(Hint::ChooseShift))
        }
        (M::NothingToExport, Lang::En) => {
            "the selected shift holds no records yet: nothing to export".into()
        }
        (M::NothingToExport, Lang::Zh) => "所选班次还没有任何记录，无可导出".into(),
    }
}

/// What is wrong with a field (the field's name is put in front by the caller).
pub fn reason(r: &Reason, lang: Lang, s: &dyn Surface) -> String {
    use Reason as W;
    match (r, lang) {
        (W::Empty, Lang::En) => "must not be empty".into(),
        (W::Empty, Lang::Zh) => "不能为空".into(),
        (W::TooLong { max }, Lang::En) => format!("is too long (at most {max} characters)"),
        (W::TooLong { max }, Lang::Zh) => format!("太长（最多 {max} 个字）"),
        (W::AnonymousWithName, Lang::En) => format!(
            "an anonymous call has no name: {}",
            s.how(Hint::DropName, lang)
        ),
        (W::AnonymousWithName, Lang::Zh) => {
            format!("匿名来电不记姓名：请{}", s.how(Hint::DropName, lang))
        }
        (W::NotAPhone { text }, Lang::En) => {
            format!(
                "'{}' is not a phone number: use digits, spaces, dashes and a leading +",
                shown(text)
            )
        }
        (W::NotAPhone { text }, Lang::Zh) => {
            format!("“{}”不是电话号码：只能用数字、空格、横线和开头的 +", shown(text))
        }
        (W::PhoneDigits { text, digits }, Lang::En) => {
            format!(
                "'{}' is not a phone number: it has {digits} digits (3 to 20 expected)",
                shown(text)
            )
        }
        (W::PhoneDigits { text, digits }, Lang::Zh) => {
            format!(
                "“{}”不是电话号码：只有 {digits} 位数字（应为 3 到 20 位）",
                shown(text)
            )
        }
        (W::NeedTicketId, Lang::En) => "a ticket id is needed, like R012".into(),
        (W::NeedTicketId, Lang::Zh) => "需要工单编号，例如 R012".into(),
        (W::SameOperator, Lang::En) => "a shift cannot be handed over to the same operator".into(),
        (W::SameOperator, Lang::Zh) => "不能交班给自己".into(),
        (W::SkipNeedsReason, Lang::En) => "skipping a step needs a reason".into(),
        (W::SkipNeedsReason, Lang::Zh) => "跳过步骤须说明原因".into(),
        (W::NoSuchStep { run, steps, step }, Lang::En) => {
            format!("{run} has steps 1 to {steps}; there is no step {step}")
        }
        (W::NoSuchStep { run, steps, step }, Lang::Zh) => {
            format!("{run} 只有第 1 到 {steps} 步，没有第 {step} 步")
        }
        (W::PathInStore { path, store }, Lang::En) => format!(
            "{path} is inside the desk's store {store}: writing there would replace the live log. \
             Name a file outside the store, e.g. in the exports directory beside it"
        ),
        (W::PathInStore { path, store }, Lang::Zh) => format!(
            "{path} 位于值班台的存储目录 {store} 之内：写到那里会替换正在使用的日志。请指定存储目录以外的文件，例如旁边的 exports 目录"
        ),
        (W::PathIsDesksOwn { path }, Lang::En) => {
            format!("{path} is one of the desk's own files: name another file")
        }
        (W::PathIsDesksOwn { path }, Lang::Zh) => {
            format!("{path} 是值班台自己的文件：请指定其他文件")
        }
        (W::PathIsSymlink { path }, Lang::En) => format!(
            "{path} is a symbolic link: the desk would replace the link, not write where it points. \
             Name the real file, or a new one"
        ),
        (W::PathIsSymlink { path }, Lang::Zh) => format!(
            "{path} 是符号链接：值班台会替换链接本身而不是写到它指向的地方。请指定真实文件或新文件"
        ),
        (W::PathIsDirectory { path }, Lang::En) => {
            format!("{path} is a directory: name a file inside it, e.g. {path}/export.csv")
        }
        (W::PathIsDirectory { path }, Lang::Zh) => {
            format!("{path} 是目录：请指定其中的文件，例如 {path}/export.csv")
        }
        (W::PathNotRegular { path }, Lang::En) => format!(
            "{path} is not a regular file (a device, FIFO or socket): the desk writes a file whole by \
             replacing it, which would replace that too. Name a regular file"
        ),
        (W::PathNotRegular { path }, Lang::Zh) => format!(
            "{path} 不是普通文件（是设备、管道或套接字）：值班台以整体替换的方式写文件，会把它也替换掉。请指定普通文件"
        ),
        (W::ControlCharacters { text }, Lang::En) => format!(
            "'{}' holds control characters; type the name as plain text",
            shown(text)
        ),
        (W::ControlCharacters { text }, Lang::Zh) => {
            format!("“{}”含有控制字符；请输入普通文字", shown(text))
        }
        (W::NeedsTerminal, Lang::En) => "needs a terminal (stdin/stdout are not a TTY); use the \
             command line instead, e.g. `dutydesk tickets`"
            .into(),
        (W::NeedsTerminal, Lang::Zh) => {
            "需要在终端中运行（标准输入/输出不是终端）；请改用命令行，例如 `dutydesk tickets`".into()
        }
        (W::Text(t), Lang::En) => t.clone(),
        (W::Text(t), Lang::Zh) => format!("填写有误（{t}）"),
        (W::PhoneRule { text, digits, rule }, lang) => phone_rule(&shown(text), *digits, rule, lang),
    }
}

fn concern(c: &Concern, lang: Lang, s: &dyn Surface) -> String {
    match (c, lang) {
        (
            Concern::ActiveEmergency {
                run,
                name_en,
                started_in,
                ..
            },
            Lang::En,
        ) => format!(
            "emergency {run} ({name_en}{}) is still active",
            started_in
                .map(|n| format!(", started in shift {n}"))
                .unwrap_or_default()
        ),
        (
            Concern::ActiveEmergency {
                run,
                name_zh,
                started_in,
                ..
            },
            Lang::Zh,
        ) => format!(
            "应急事件 {run}（{name_zh}{}）仍在进行",
            started_in
                .map(|n| format!("，始于第 {n} 班"))
                .unwrap_or_default()
        ),
        (Concern::MissingReport { run, name_en, .. }, Lang::En) => format!(
            "emergency {run} ({name_en}) was closed without its incident report ({})",
            s.how(Hint::RunReport { run }, lang)
        ),
        (Concern::MissingReport { run, name_zh, .. }, Lang::Zh) => format!(
            "应急事件 {run}（{name_zh}）已结束，但还没有写重大事件报告（{}）",
            s.how(Hint::RunReport { run }, lang)
        ),
    }
}

pub fn warning(w: &Warning, lang: Lang, s: &dyn Surface) -> String {
    use Warning as W;
    match (w, lang) {
        (W::UnknownUnit { unit }, Lang::En) => {
            format!(
                "'{}' is not in the site directory; recorded as given",
                shown(unit)
            )
        }
        (W::UnknownUnit { unit }, Lang::Zh) => format!("房号“{}”不在项目档案中，已按原样记录", shown(unit)),
        (W::LinkedToOpenTicket { unit, ticket }, Lang::En) => {
            format!("{unit} already has open ticket {ticket}; linked to it")
        }
        (W::LinkedToOpenTicket { unit, ticket }, Lang::Zh) => {
            format!("{unit} 已有未结工单 {ticket}，已关联")
        }
        (W::Concern(c), _) => concern(c, lang, s),
        (W::StepValueMissing { run, step, record_en, record_zh }, Lang::En) => format!(
            "step {step} asks for a value ({record_en} {record_zh}) and none was given: {}",
            s.how(Hint::RunNote { run }, lang)
        ),
        (W::StepValueMissing { run, step, record_zh, .. }, Lang::Zh) => format!(
            "第 {step} 步需要记录“{record_zh}”，但没有填写：请补上（{}）",
            s.how(Hint::RunNote { run }, lang)
        ),
        (W::StepLate { step, minutes, late_seconds }, Lang::En) => format!(
            "step {step} is done {} after its {minutes}-minute deadline; the report will show it missed",
            short_duration(*late_seconds)
        ),
        (W::StepLate { step, minutes, late_seconds }, Lang::Zh) => format!(
            "第 {step} 步超过 {minutes} 分钟时限 {} 才完成；报告将记为超时",
            short_duration(*late_seconds)
        ),
        (W::AwaitingSignature { shift, to, from }, Lang::En) => format!(
            "the handover of shift {shift} to {to} is waiting for their signature ({} as {to}); {} stays responsible until then",
            s.how(Hint::ShiftAccept, lang),
            from.as_deref().unwrap_or("the outgoing operator")
        ),
        (W::AwaitingSignature { shift, to, from }, Lang::Zh) => format!(
            "第 {shift} 班交给 {to} 的交接尚未签字（{}）；签字前仍由{}负责",
            s.how(Hint::ShiftAccept, lang),
            from.as_deref().map(|f| format!(" {f} ")).unwrap_or_else(|| "交班人".into())
        ),
        (W::UnknownContact { plan, contact }, Lang::En) => format!(
            "plan '{plan}' names contact '{contact}', which site.toml does not list: its number will not be shown"
        ),
        (W::UnknownContact { plan, contact }, Lang::Zh) => format!(
            "预案“{plan}”中的联系人“{contact}”不在 site.toml 中：不会显示其电话"
        ),
        (W::InterimReport { run }, Lang::En) => format!(
            "{run} is still active: this is an interim report; write it again after {}",
            s.how(Hint::RunClose { run }, lang)
        ),
        (W::InterimReport { run }, Lang::Zh) => format!(
            "{run} 仍在进行：这是阶段性报告；请在结束（{}）后重新生成",
            s.how(Hint::RunClose { run }, lang)
        ),
        (W::AlreadyRecorded, Lang::En) => "already recorded (a retried submission)".into(),
        (W::AlreadyRecorded, Lang::Zh) => "已记录过（重复提交）".into(),
        (W::ExportsPending { shift, cause_en, first: true, .. }, Lang::En) => format!(
            "shift {shift} is handed over; its export files could not be written yet ({cause_en}): \
             the desk writes them at the next command it records, once DATA/exports can be written"
        ),
        (W::ExportsPending { shift, cause_zh, first: true, .. }, Lang::Zh) => format!(
            "第 {shift} 班已交班；交接文件暂未能写出（{cause_zh}）：待 DATA/exports 可写后，值班台会在记录下一条命令时补写"
        ),
        (W::ExportsPending { shift, cause_en, first: false, .. }, Lang::En) => format!(
            "the export files of shift {shift} are still not written ({cause_en}); the desk tries again at the next command it records"
        ),
        (W::ExportsPending { shift, cause_zh, first: false, .. }, Lang::Zh) => {
            format!("第 {shift} 班的交接文件仍未写出（{cause_zh}）；下一条命令会再试")
        }
    }
}

/// Why digits are not a phone number by the site's rules, with what to type instead.
fn phone_rule(text: &str, digits: usize, rule: &crate::domain::PhoneRule, lang: Lang) -> String {
    use crate::domain::PhoneRule as P;
    match (rule, lang) {
        (P::Mobile { digits: want }, Lang::En) => format!(
            "'{text}' is not a mobile number: it has {digits} digits, a mobile has {want}"
        ),
        (P::Mobile { digits: want }, Lang::Zh) => {
            format!("“{text}”不是手机号：只有 {digits} 位数字，手机号应为 {want} 位")
        }
        (P::Landline { min, max }, Lang::En) => format!(
            "'{text}' is not a landline number: with its area code it has {digits} digits, \
             {min} to {max} expected (e.g. 0571-88235617)"
        ),
        (P::Landline { min, max }, Lang::Zh) => format!(
            "“{text}”不是固定电话：连区号共 {digits} 位，应为 {min} 到 {max} 位（例如 0571-88235617）"
        ),
        (P::NeedsAreaCode, Lang::En) => format!(
            "'{text}' has {digits} digits: a landline needs its area code in front \
             (e.g. 0571-88235617), a mobile has 11 digits"
        ),
        (P::NeedsAreaCode, Lang::Zh) => format!(
            "“{text}”只有 {digits} 位：固定电话请加区号（例如 0571-88235617），手机号为 11 位"
        ),
        (P::ShortNotListed, Lang::En) => format!(
            "'{text}' is a short number the site directory does not list: \
             type the caller's full number, or add the service to site.toml"
        ),
        (P::ShortNotListed, Lang::Zh) => format!(
            "“{text}”是项目档案中没有的短号：请填来电人的完整号码，或在 site.toml 中登记该服务号码"
        ),
    }
}

/// "4m00 left" or "overdue 12m00": a promise's countdown, as every surface shows it.
pub fn time_left(left_seconds: i64, lang: Lang) -> String {
    let d = short_duration(left_seconds.abs());
    match (left_seconds >= 0, lang) {
        (true, Lang::En) => format!("{d} left"),
        (true, Lang::Zh) => format!("剩{d}"),
        (false, Lang::En) => format!("overdue {d}"),
        (false, Lang::Zh) => format!("超时{d}"),
    }
}
