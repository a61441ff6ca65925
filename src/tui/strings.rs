//! Every word the dashboard shows, in both languages, in one place.

use crate::domain::text::Bilingual as B;
use crate::domain::Lang;
use crate::tui::keymap::{Act, Ctx, Keymap};

// Header.
pub const SHIFT: B = B::new("Shift", "班次");
pub const NO_SHIFT: B = B::new("no shift open", "未开班");
pub const OPERATOR: B = B::new("on duty", "值班");
pub const YOU: B = B::new("you", "本机");
pub const OPEN: B = B::new("open", "未结");
pub const TO_DISPATCH: B = B::new("to dispatch", "待派工");
pub const TO_CALL_BACK: B = B::new("to call back", "待回访");
pub const OVERDUE: B = B::new("overdue", "超时");
pub const EMERGENCY: B = B::new("EMERGENCY", "紧急事件");
pub const RUNNING_FOR: B = B::new("running for", "已进行");
pub const HANDOVER_WAITING: B = B::new("Handover waiting for signature", "交接班待签收");
pub const RECONNECTED: B = B::new(
    "Connection to the desk restored; records from the outage are shown. At",
    "与值班台的连接已恢复，断线期间的记录已补上。恢复时间",
);
pub const DISCONNECTED: B = B::new(
    "DISCONNECTED from the desk: reconnecting; read-only, your input is kept",
    "与值班台的连接已断开：正在重连；只读，已输入内容保留",
);
pub const GROUP_LINK_DOWN: B = B::new(
    "Group link down: the desk works as usual; records not yet shipped to the group:",
    "集团链路中断：值班台照常工作；尚未上传集团的记录：",
);
pub const GROUP_STOPPED: B = B::new(
    "Shipping to the group STOPPED (the group's copy differs): run `dutydesk doctor`",
    "向集团上传已停止（集团副本不一致）：请运行 `dutydesk doctor`",
);
pub const DISK_FULL: B = B::new(
    "NOT SAVED: the disk refused the write; free space, then save again (input kept)",
    "未保存：磁盘写入失败；请腾出空间后重新保存（内容已保留）",
);
pub const STATE_ALARM: B = B::new(
    "ALARM: what this desk showed differed from its log (a bad checkpoint); it now shows the log. Run `dutydesk doctor`",
    "警报：本值班台显示的内容与日志不符（检查点有误）；现已按日志显示。请运行 `dutydesk doctor`",
);
pub const CLOCK_BACK: B = B::new("CLOCK moved back", "系统时钟回拨");
pub const CLOCK_AHEAD: B = B::new("CLOCK moved ahead", "系统时钟前跳");
pub const CLOCK_AT: B = B::new("at", "于");
pub const CLOCK_HELD: B = B::new(
    "records keep the log's time; set the system clock right",
    "记录沿用日志时间；请校准系统时钟",
);
pub const CLOCK_CHECK: B = B::new("check the system clock", "请核对系统时钟");
pub const JUMP_HINT: B = B::new("to show", "查看");
pub const SIGN_HINT: B = B::new("to sign", "签收");

// Emergency plans and the runner.
pub const PLANS: B = B::new("Emergency plans", "应急预案");
pub const PLANS_FILTER: B = B::new("Type to filter", "输入筛选");
pub const NO_PLAN: B = B::new("no plan matches", "没有匹配的预案");
pub const STARTED_BY: B = B::new("started by", "启动人");
pub const ELAPSED: B = B::new("Elapsed", "已进行");
pub const STEPS: B = B::new("Steps", "步骤");
pub const CONTACT: B = B::new("Contact", "联系人");
pub const CLOSED: B = B::new("CLOSED", "已结束");
pub const RECORD_VALUE: B = B::new("Record", "记录");
pub const SKIP_REASON: B = B::new("Reason for skipping", "跳过原因");
pub const RUN_NOTE: B = B::new("Note on the run", "应急记录备注");
pub const OVERRIDE_ASK: B = B::new(
    "This step is critical. Override and skip it?",
    "此为关键步骤。确认越权跳过？",
);
pub const NO_ACTIVE_RUN: B = B::new("No emergency is active.", "当前没有进行中的紧急事件。");
pub const NOTES: B = B::new("Notes", "备注");
pub const REASON: B = B::new("Reason", "原因");
pub const VALUE: B = B::new("Value", "数值");
pub const CRITICAL: B = B::new("critical", "关键");
pub const MET: B = B::new("met", "按时");
pub const SKIPPED: B = B::new("skipped", "已跳过");

// Handover.
pub const HANDOVER: B = B::new("Handover", "交接班");
pub const INCOMING: B = B::new("Incoming operator", "接班人");
pub const HANDOVER_NOTE: B = B::new("Note for the next shift", "交班留言");
pub const HANDOVER_REASON: B = B::new("Reason to hand over anyway", "仍然交班的原因");
pub const PREVIEW: B = B::new("Report preview", "交班报告预览");
pub const HANDED_OVER: B = B::new("Handed over; files written", "已交班，文件已写出");
pub const CONCERNS: B = B::new("Before handing over", "交班前请注意");
pub const SIGN_TITLE: B = B::new("Sign the handover", "签收交接班");
pub const REFUSE_REASON: B = B::new("Reason for refusing", "拒签原因");
pub const SIGN_FROM: B = B::new("Outgoing", "交班人");
pub const SIGN_TO: B = B::new("Incoming", "接班人");
pub const SIGN_AT: B = B::new("handed over", "交班时间");
pub const ACTIVE_EMERGENCIES: B = B::new("emergencies", "紧急事件");
pub const NO_HANDOVER: B = B::new(
    "No handover is waiting for a signature.",
    "没有待签收的交接班。",
);

// Queue.
pub const VIEW_OPEN: B = B::new("Open", "未结");
pub const VIEW_CALLBACK: B = B::new("Callback", "待回访");
pub const VIEW_CLOSED_TODAY: B = B::new("Closed today", "今日已结");
pub const VIEW_ALL: B = B::new("All", "全部");
pub const COL_ID: B = B::new("ID", "编号");
pub const COL_AGE: B = B::new("Age", "时长");
pub const COL_PRIO: B = B::new("P", "级");
pub const COL_KIND: B = B::new("Kind", "类型");
pub const COL_UNIT: B = B::new("Unit", "房号");
pub const COL_SUMMARY: B = B::new("Summary", "内容");
pub const COL_STATE: B = B::new("State", "状态");
pub const COL_DEPT: B = B::new("Dept", "部门");
pub const COL_DUE: B = B::new("Due", "时限");
pub const EMPTY_QUEUE: B = B::new("Nothing here.", "暂无工单。");
pub const FILTER: B = B::new("Filter", "筛选");

// Detail.
pub const DETAIL: B = B::new("Ticket", "工单");
pub const CALLER: B = B::new("Caller", "来电人");
pub const PHONE: B = B::new("Phone", "电话");
pub const ANONYMOUS: B = B::new("anonymous", "匿名");
pub const OPENED: B = B::new("Opened", "受理");
pub const BY: B = B::new("by", "经办");
pub const DEPARTMENT: B = B::new("Department", "部门");
pub const PRIORITY: B = B::new("Priority", "优先级");
pub const KIND: B = B::new("Kind", "类型");
pub const STATE: B = B::new("State", "状态");
pub const UNIT: B = B::new("Unit", "房号");
pub const SUMMARY: B = B::new("Summary", "内容");
pub const RELATED: B = B::new("Linked to", "关联");
pub const REOPENED: B = B::new("Reopened", "重开次数");
pub const TIMELINE: B = B::new("Timeline", "处理记录");
pub const LOADING: B = B::new("loading…", "载入中…");
pub const ACTIONS: B = B::new("Actions", "可用操作");
pub const NO_MOVES: B = B::new("finished: notes only", "已完结：仅可备注");
pub const PICK_DEPARTMENT: B = B::new("Dispatch to", "派工至");
pub const PICK_CALLBACK: B = B::new("Callback result", "回访结果");
pub const SATISFIED: B = B::new("Satisfied", "满意");
pub const UNSATISFIED: B = B::new("Not satisfied (reopens)", "不满意（重新打开）");
pub const NOTE_PROMPT: B = B::new("Note", "备注");
pub const CANCEL_PROMPT: B = B::new("Reason for cancelling", "取消原因");

// Intake.
pub const INTAKE: B = B::new("New call", "新来电");
pub const CALLER_NAME: B = B::new("Caller", "来电人");
pub const YES: B = B::new("yes", "是");
pub const NO: B = B::new("no", "否");
pub const HISTORY: B = B::new("Unit history", "房号历史");
pub const HISTORY_OPEN: B = B::new("Open now", "未结工单");
pub const HISTORY_RECENT: B = B::new("Closed, last 30 days", "近30天已结");
pub const HISTORY_NONE: B = B::new(
    "no other ticket of this unit in 30 days",
    "该房号30天内无其他工单",
);
pub const HISTORY_HINT: B = B::new("type a unit to see its tickets", "输入房号查看该户工单");
pub const DISCARD_FORM: B = B::new(
    "Discard this call? What you typed will be lost.",
    "放弃本次来电登记？已输入内容将丢失。",
);
pub const QUIT_WITH_FORM: B = B::new(
    "A form has unsaved input. Quit anyway?",
    "表单有未保存的内容。仍然退出？",
);
pub const QUIT_WITH_EMERGENCY: B = B::new(
    "An emergency is running. Quit the dashboard anyway?",
    "有紧急事件正在进行。仍然退出？",
);
pub const CANCEL_ASK: B = B::new(
    "Cancel this ticket? A cancelled ticket cannot be reopened.",
    "取消此工单？取消后不能恢复。",
);
pub const CLOSE_RUN_ASK: B = B::new(
    "Close this emergency with these steps still pending?",
    "以下步骤尚未完成，仍然结束本次应急？",
);
pub const ANSWER_PROMPT: B = B::new("Answer given (closes it)", "答复内容（记录后关闭）");
pub const NOTE_AFTER: B = B::new("adds a note", "添加备注");
/// "y: yes · n/Esc: no", with the keys bound now.
pub fn confirm_keys(lang: Lang, yes: &str, no: &str) -> String {
    match lang {
        Lang::En => format!("{yes}: yes · {no}: no"),
        Lang::Zh => format!("{yes}：是 · {no}：否"),
    }
}
pub const SAVE_FAILED: B = B::new("Not saved", "未保存");

// Help and status.
pub const HELP: B = B::new("Keys", "按键");
pub const HELP_GLOBAL: B = B::new("Everywhere", "全局");
pub const TOO_SMALL: B = B::new("The window is too small", "窗口太小");
pub const PLEASE_ENLARGE: B = B::new("please make it at least", "请调整到至少");
pub const SAVED: B = B::new("Saved", "已保存");
pub const DONE_OK: B = B::new("Recorded", "已记录");
pub const NO_EXPORT_DIR: B = B::new(
    "no data directory to write the exports into",
    "没有数据目录，无法写出交接文件",
);

pub fn tr(b: B, lang: Lang) -> &'static str {
    b.get(lang)
}

pub fn saved_ticket(lang: Lang, id: &str) -> String {
    match lang {
        Lang::En => format!("Saved {id}"),
        Lang::Zh => format!("已登记 {id}"),
    }
}

/// "Incident report of EM1 written: /data/reports/2026-11-25-EM1.md".
pub fn report_written(lang: Lang, run: &str, path: &str) -> String {
    match lang {
        Lang::En => format!("Incident report of {run} written: {path}"),
        Lang::Zh => format!("{run} 事件报告已写出：{path}"),
    }
}

/// Where the help is scrolled to: "12–30 of 54 ↓ more" / "第 12–30 行，共 54 行 ↓ 还有".
pub fn lines_shown(lang: Lang, from: usize, to: usize, total: usize, more: bool) -> String {
    let more = match (lang, more) {
        (_, false) => "",
        (Lang::En, true) => " ↓ more",
        (Lang::Zh, true) => " ↓ 还有",
    };
    match lang {
        Lang::En => format!("{from}–{to} of {total}{more}"),
        Lang::Zh => format!("第 {from}–{to} 行，共 {total} 行{more}"),
    }
}

pub fn too_small(lang: Lang, w: u16, h: u16) -> String {
    match lang {
        Lang::En => format!("The window is {w}x{h}; please make it at least 80x24."),
        Lang::Zh => format!("窗口为 {w}x{h}，请调整到至少 80x24。"),
    }
}

pub fn more_rows(lang: Lang, shown: usize, total: usize) -> String {
    match lang {
        Lang::En => format!("{shown} of {total}"),
        Lang::Zh => format!("共 {total} 条，第 {shown} 条"),
    }
}

/// Timeline lines: what an event did, in words.
pub fn event_text(lang: Lang, ev: &crate::domain::Event) -> String {
    use crate::domain::Event as E;
    let zh = lang == Lang::Zh;
    match ev {
        E::TicketOpened {
            kind,
            priority,
            related,
            ..
        } => {
            let rel = related
                .as_ref()
                .map(|r| {
                    if zh {
                        format!("，关联 {r}")
                    } else {
                        format!(", linked to {r}")
                    }
                })
                .unwrap_or_default();
            if zh {
                format!("受理{} P{}{rel}", kind.label().zh, priority.0)
            } else {
                format!("opened as {} P{}{rel}", kind, priority.0)
            }
        }
        E::TicketDispatched { to, note, .. } => {
            let s = if zh {
                format!("派工至{}", to.label().zh)
            } else {
                format!("dispatched to {}", to.label().en)
            };
            with_note(s, note)
        }
        E::TicketStarted { .. } => tr(B::new("work started", "已开工"), lang).to_string(),
        E::TicketDone { note, .. } => {
            with_note(tr(B::new("work done", "已完工"), lang).into(), note)
        }
        E::CallbackRecorded {
            satisfied, note, ..
        } => {
            let s = match (satisfied, zh) {
                (true, false) => "callback: satisfied",
                (false, false) => "callback: not satisfied, reopened",
                (true, true) => "回访：满意",
                (false, true) => "回访：不满意，重新打开",
            };
            with_note(s.into(), note)
        }
        E::TicketClosed { note, .. } => with_note(tr(B::new("closed", "关闭"), lang).into(), note),
        E::TicketCancelled { reason, .. } => with_note(
            tr(B::new("cancelled", "取消"), lang).into(),
            &Some(reason.clone()),
        ),
        E::TicketNoted { text, .. } => {
            with_note(tr(B::new("note", "备注"), lang).into(), &Some(text.clone()))
        }
        E::CallAdded {
            caller,
            phone,
            note,
            ..
        } => {
            let who = [caller.as_deref(), phone.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            let s = format!("{} {who}", tr(B::new("called again:", "再次来电："), lang));
            with_note(s.trim_end().to_string(), note)
        }
        E::EmergencyStarted {
            run,
            name_en,
            name_zh,
            ..
        } => {
            if zh {
                format!("启动应急预案 {run}：{name_zh}")
            } else {
                format!("emergency {run} started: {name_en}")
            }
        }
        other => other.type_name().replace('_', " "),
    }
}

fn with_note(s: String, note: &Option<String>) -> String {
    match note {
        Some(n) => format!("{s}: {n}"),
        None => s,
    }
}

/// One line of help for an action.
pub fn describe(act: Act, lang: Lang) -> &'static str {
    let b = match act {
        Act::Quit => B::new("quit the dashboard", "退出"),
        Act::Help => B::new("show the keys of this screen", "显示本屏按键"),
        Act::New => B::new("log a new call", "登记新来电"),
        Act::Open => B::new("open the selected ticket", "打开所选工单"),
        Act::Filter => B::new("filter the queue as you type", "边输入边筛选"),
        Act::Up => B::new("move up", "上移"),
        Act::Down => B::new("move down", "下移"),
        Act::PageUp => B::new("one page up", "上一页"),
        Act::PageDown => B::new("one page down", "下一页"),
        Act::Top => B::new("first ticket", "第一条"),
        Act::Bottom => B::new("last ticket", "最后一条"),
        Act::NextView => B::new(
            "next view: open, callback, closed today, all",
            "下一视图：未结、待回访、今日已结、全部",
        ),
        Act::PrevView => B::new("previous view", "上一视图"),
        Act::Apply => B::new("keep the filter", "保留筛选"),
        Act::Clear => B::new("clear the filter", "清除筛选"),
        Act::Back => B::new("go back", "返回"),
        Act::Dispatch
        | Act::Start
        | Act::Done
        | Act::Callback
        | Act::Close
        | Act::Cancel
        | Act::Note
        | Act::Answer => crate::domain::Move::from_name(act.name())
            .map(|m| m.help())
            .unwrap_or(B::new("", "")),
        Act::Save => B::new("save the call", "保存"),
        Act::NextField => B::new("next field", "下一项"),
        Act::PrevField => B::new("previous field", "上一项"),
        Act::Accept => B::new("take the unit suggestion", "选用房号提示"),
        Act::Discard => B::new(
            "leave the form (asks if it has input)",
            "退出表单（有内容时先确认）",
        ),
        Act::Choose => B::new("choose", "选定"),
        Act::Submit => B::new("record it", "提交"),
        Act::Yes => B::new("yes", "是"),
        Act::No => B::new("no", "否"),
        Act::Emergency => B::new("start an emergency plan", "启动应急预案"),
        Act::Jump => B::new(
            "show the active emergency (cycles)",
            "查看进行中的紧急事件（轮换）",
        ),
        Act::StepDone => B::new("mark the selected step done", "所选步骤完成"),
        Act::StepSkip => B::new(
            "skip the selected step, with a reason",
            "跳过所选步骤（需原因）",
        ),
        Act::RunNote => B::new("add a note to the run", "添加应急备注"),
        Act::RunClose => B::new("close the run", "结束应急"),
        Act::RunReport => B::new(
            "write the incident report (shows where)",
            "写出事件报告（显示文件位置）",
        ),
        Act::Handover => B::new("hand the shift over", "交班"),
        Act::Sign => B::new("sign (or refuse) the handover", "签收（或拒签）交接班"),
        Act::Refuse => B::new("refuse to sign, with a reason", "拒签（需原因）"),
        Act::PrevChoice => B::new(
            "previous choice (kind, priority, anonymous)",
            "上一个选项（类型、优先级、匿名）",
        ),
        Act::NextChoice => B::new(
            "next choice; on the unit, take the suggestion",
            "下一个选项；在房号上选用提示",
        ),
        Act::Toggle => B::new(
            "change the choice (a space in text)",
            "切换选项（文字中为空格）",
        ),
        Act::AddCall => B::new(
            "add this call to the open ticket of the unit or phone",
            "把本次来电加到该房号或电话的未结工单",
        ),
    };
    b.get(lang)
}

/// A repeat caller: how many tickets this phone opened in 30 days, any unit
/// (tickets, like the unit's counts above it; `others` leaves out the one shown).
pub fn phone_calls(lang: Lang, n: usize, others: bool) -> String {
    match (lang, others) {
        (Lang::En, false) => format!("Phone: {n} ticket(s), 30 days, any unit"),
        (Lang::En, true) => format!("Phone: {n} other ticket(s), 30 days, any unit"),
        (Lang::Zh, false) => format!("该电话近30天共报 {n} 单（含其他房号）"),
        (Lang::Zh, true) => format!("该电话近30天另报 {n} 单（含其他房号）"),
    }
}

/// A word or two for the key-hint line at the bottom.
pub fn hint(act: Act, lang: Lang) -> &'static str {
    let b = match act {
        Act::Quit => B::new("quit", "退出"),
        Act::Help => B::new("keys", "按键"),
        Act::New => B::new("new call", "新来电"),
        Act::Open => B::new("open", "打开"),
        Act::Filter => B::new("filter", "筛选"),
        Act::NextView | Act::PrevView => B::new("view", "视图"),
        Act::Apply => B::new("keep", "保留"),
        Act::Clear => B::new("clear", "清除"),
        Act::Back => B::new("back", "返回"),
        Act::Save => B::new("save", "保存"),
        Act::NextField => B::new("next", "下一项"),
        Act::PrevField => B::new("previous", "上一项"),
        Act::Accept => B::new("take suggestion", "选用提示"),
        Act::Discard => B::new("leave", "退出表单"),
        Act::Choose => B::new("choose", "选定"),
        Act::Submit => B::new("record", "提交"),
        Act::Emergency => B::new("emergency", "应急"),
        Act::Jump => B::new("show emergency", "查看应急"),
        Act::StepDone => B::new("done", "完成"),
        Act::StepSkip => B::new("skip", "跳过"),
        Act::RunNote => B::new("note", "备注"),
        Act::RunClose => B::new("close run", "结束"),
        Act::RunReport => B::new("report", "报告"),
        Act::Handover => B::new("handover", "交班"),
        Act::Sign => B::new("sign", "签收"),
        Act::Refuse => B::new("refuse", "拒签"),
        Act::PrevChoice | Act::NextChoice => B::new("change", "切换"),
        Act::Toggle => B::new("toggle", "切换"),
        Act::AddCall => B::new("add to open ticket", "加到未结工单"),
        Act::Dispatch
        | Act::Start
        | Act::Done
        | Act::Callback
        | Act::Close
        | Act::Cancel
        | Act::Note
        | Act::Answer => {
            return crate::domain::Move::from_name(act.name())
                .map(|m| m.label().get(lang))
                .unwrap_or_else(|| act.name())
        }
        other => return describe(other, lang),
    };
    b.get(lang)
}

/// "step 3 asks for: Water level 水位".
pub fn record_prompt(lang: Lang, n: u32, en: &str, zh: &str) -> String {
    match lang {
        Lang::En => format!("Step {n} done · {en}"),
        Lang::Zh => format!("步骤 {n} 完成 · {zh}"),
    }
}

pub fn step_title(lang: Lang, n: u32, what: B) -> String {
    match lang {
        Lang::En => format!("Step {n} · {}", what.en),
        Lang::Zh => format!("步骤 {n} · {}", what.zh),
    }
}

/// How a deadline stands, in a few columns; missed ones carry "!!" so they show
/// without colour too.
pub fn deadline(lang: Lang, d: &crate::emergency::view::Deadline) -> String {
    use crate::emergency::view::Deadline as D;
    let t = |s: i64| crate::display::short_duration(s);
    match (d, lang) {
        (D::Running { seconds, .. }, Lang::En) => format!("in {}", clock(*seconds)),
        (D::Running { seconds, .. }, Lang::Zh) => format!("剩 {}", clock(*seconds)),
        (D::Overdue { seconds, .. }, Lang::En) => format!("!! late {}", clock(*seconds)),
        (D::Overdue { seconds, .. }, Lang::Zh) => format!("!! 超时 {}", clock(*seconds)),
        (D::Met { .. }, _) => MET.get(lang).to_string(),
        (D::Missed { seconds, .. }, Lang::En) => format!("!! missed {}", t(*seconds)),
        (D::Missed { seconds, .. }, Lang::Zh) => format!("!! 超时 {}", t(*seconds)),
        (D::Skipped { .. }, _) => "-".to_string(),
    }
}

/// "4:05", "1:02:03": a countdown.
pub fn clock(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

pub fn run_started(lang: Lang, run: &str) -> String {
    match lang {
        Lang::En => format!("Emergency {run} started"),
        Lang::Zh => format!("已启动紧急事件 {run}"),
    }
}

pub fn signed(lang: Lang, shift: u64, by: &str) -> String {
    match lang {
        Lang::En => format!("Shift {shift} signed by {by}"),
        Lang::Zh => format!("班次 {shift} 已由 {by} 签收"),
    }
}

// Hints that name keys: built from the keymap, so a remapped key shows as remapped.

/// The key(s) of an action, or its name when the user left it unbound.
fn k(keymap: &Keymap, ctx: Ctx, act: Act) -> String {
    let keys = keymap.keys(ctx, act);
    if keys.is_empty() {
        act.name().to_string()
    } else {
        keys
    }
}

/// The intake form's line of keys.
pub fn form_keys(lang: Lang, keymap: &Keymap) -> String {
    let key = |a| k(keymap, Ctx::Intake, a);
    let (next, prev, save, leave) = (
        key(Act::NextField),
        key(Act::PrevField),
        key(Act::Save),
        key(Act::Discard),
    );
    let change = format!("{}/{}", key(Act::PrevChoice), key(Act::NextChoice));
    let toggle = key(Act::Toggle);
    match lang {
        Lang::En => format!(
            "{next} next field · {prev} back · {change} change choice · {toggle} toggles · priority: type 1-4 · {save} save · {leave} leave"
        ),
        Lang::Zh => format!(
            "{next} 下一项 · {prev} 上一项 · {change} 切换选项 · {toggle} 切换 · 优先级：输入 1-4 · {save} 保存 · {leave} 退出"
        ),
    }
}

/// "Enter/→ takes": how the unit suggestion is taken.
pub fn suggestion(lang: Lang, keymap: &Keymap) -> String {
    let keys = format!(
        "{}/{}",
        k(keymap, Ctx::Intake, Act::Accept),
        k(keymap, Ctx::Intake, Act::NextChoice)
    );
    match lang {
        Lang::En => format!("{keys} takes"),
        Lang::Zh => format!("{keys} 选用"),
    }
}

/// The handover form's line of keys.
pub fn handover_keys(lang: Lang, keymap: &Keymap) -> String {
    let key = |a| k(keymap, Ctx::Handover, a);
    let (next, save, leave) = (key(Act::NextField), key(Act::Save), key(Act::Discard));
    let scroll = format!("{}/{}", key(Act::PageUp), key(Act::PageDown));
    match lang {
        Lang::En => {
            format!("{next} next field · {scroll} scroll · {save} hand over · {leave} leave")
        }
        Lang::Zh => format!("{next} 下一项 · {scroll} 翻页 · {save} 交班 · {leave} 退出"),
    }
}

/// The sign dialog's instruction.
pub fn sign_name(lang: Lang, keymap: &Keymap) -> String {
    let (sign, refuse) = (
        k(keymap, Ctx::Sign, Act::Submit),
        k(keymap, Ctx::Sign, Act::Refuse),
    );
    match lang {
        Lang::En => format!("Incoming operator: type your name, {sign} signs · {refuse} refuses"),
        Lang::Zh => format!("接班人：输入姓名，{sign} 签收 · {refuse} 拒签"),
    }
}

/// The question after choosing a plan.
pub fn location_prompt(lang: Lang, keymap: &Keymap) -> String {
    let start = k(keymap, Ctx::Prompt, Act::Submit);
    match lang {
        Lang::En => format!("Location (optional), {start} starts"),
        Lang::Zh => format!("地点（可不填），{start} 启动"),
    }
}

/// Under a picker's choices: the note line, which costs nothing when left empty.
pub fn note_line_hint(lang: Lang, choose: &str) -> String {
    match lang {
        Lang::En => format!("Note (optional): type it; {choose} records, with or without"),
        Lang::Zh => format!("备注（可不填）：直接输入；{choose} 提交，有无备注均可"),
    }
}

pub const UNSATISFIED_WHY: B = B::new(
    "Why is the resident not satisfied? Type the reason, then choose again.",
    "住户为何不满意？请输入原因，再选定。",
);

/// The form's offer when the unit or phone already has an open ticket.
pub fn repeat_call(lang: Lang, keymap: &Keymap, id: &str, summary: &str) -> String {
    let add = k(keymap, Ctx::Intake, Act::AddCall);
    let save = k(keymap, Ctx::Intake, Act::Save);
    match lang {
        Lang::En => format!(
            "{id} is open here ({summary}): {add} adds this call to it · {save} logs a new one"
        ),
        Lang::Zh => {
            format!("{id} 尚未办结（{summary}）：{add} 将本次来电加入该单 · {save} 登记新单")
        }
    }
}

pub fn call_added(lang: Lang, id: &str) -> String {
    match lang {
        Lang::En => format!("Call added to {id}"),
        Lang::Zh => format!("来电已加入 {id}"),
    }
}
