//! Every word the dashboard shows, in both languages, in one place.

use crate::domain::text::Bilingual as B;
use crate::domain::Lang;
use crate::tui::keymap::Act;

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
pub const REMOTE: B = B::new("(remote)", "(远程)");
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
pub const JUMP_HINT: B = B::new("to show", "查看");
pub const SIGN_HINT: B = B::new("to sign", "签收");

// Emergency plans and the runner.
pub const PLANS: B = B::new("Emergency plans", "应急预案");
pub const PLANS_FILTER: B = B::new("Type to filter", "输入筛选");
pub const NO_PLAN: B = B::new("no plan matches", "没有匹配的预案");
pub const LOCATION_PROMPT: B = B::new(
    "Location (optional), Enter starts",
    "地点（可不填），回车启动",
);
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
pub const HANDOVER_KEYS: B = B::new(
    "Tab next field · PgUp/PgDn scroll · Ctrl-S hand over · Esc leave",
    "Tab 下一项 · PgUp/PgDn 翻页 · Ctrl-S 交班 · Esc 退出",
);
pub const HANDED_OVER: B = B::new("Handed over; files written", "已交班，文件已写出");
pub const CONCERNS: B = B::new("Before handing over", "交班前请注意");
pub const SIGN_TITLE: B = B::new("Sign the handover", "签收交接班");
pub const SIGN_NAME: B = B::new(
    "Incoming operator: type your name, Enter signs · Ctrl-R refuses",
    "接班人：输入姓名，回车签收 · Ctrl-R 拒签",
);
pub const REFUSE_REASON: B = B::new("Reason for refusing", "拒签原因");
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
pub const FILTER_HINT: B = B::new(
    "type unit, id, name, phone or words; Enter keeps, Esc clears",
    "输入房号、编号、姓名、电话或内容；回车保留，Esc 清除",
);

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
pub const SUGGESTION: B = B::new("Enter/→ takes", "回车/→ 选用");
pub const HISTORY: B = B::new("Unit history", "房号历史");
pub const HISTORY_OPEN: B = B::new("Open now", "未结工单");
pub const HISTORY_RECENT: B = B::new("Last 30 days", "近30天");
pub const HISTORY_NONE: B = B::new("no calls in 30 days", "30天内无来电");
pub const HISTORY_HINT: B = B::new("type a unit to see its tickets", "输入房号查看该户工单");
pub const FORM_KEYS: B = B::new(
    "Tab next field · Shift-Tab back · ←/→ change choice · Space toggles · Ctrl-S save · Esc leave",
    "Tab 下一项 · Shift-Tab 上一项 · ←/→ 切换选项 · 空格 切换 · Ctrl-S 保存 · Esc 退出",
);
pub const DISCARD_FORM: B = B::new(
    "Discard this call? What you typed will be lost.",
    "放弃本次来电登记？已输入内容将丢失。",
);
pub const QUIT_WITH_FORM: B = B::new(
    "A form has unsaved input. Quit anyway?",
    "表单有未保存的内容。仍然退出？",
);
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
pub const HINT_QUEUE: B = B::new("? keys", "? 按键说明");

pub fn tr(b: B, lang: Lang) -> &'static str {
    b.get(lang)
}

pub fn saved_ticket(lang: Lang, id: &str) -> String {
    match lang {
        Lang::En => format!("Saved {id}"),
        Lang::Zh => format!("已登记 {id}"),
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
        | Act::Note => crate::domain::Move::from_name(act.name())
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
        Act::Handover => B::new("hand the shift over", "交班"),
        Act::Sign => B::new("sign (or refuse) the handover", "签收（或拒签）交接班"),
        Act::Refuse => B::new("refuse to sign, with a reason", "拒签（需原因）"),
    };
    b.get(lang)
}

/// A repeat caller: how often this phone called in 30 days.
pub fn phone_calls(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("This phone called {n} time(s) in the last 30 days"),
        Lang::Zh => format!("该电话近30天来电 {n} 次"),
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
        Act::Handover => B::new("handover", "交班"),
        Act::Sign => B::new("sign", "签收"),
        Act::Refuse => B::new("refuse", "拒签"),
        Act::Dispatch
        | Act::Start
        | Act::Done
        | Act::Callback
        | Act::Close
        | Act::Cancel
        | Act::Note => {
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
