//! Text measured as a terminal shows it: CJK characters take two columns.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` columns, ending in "…" when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    // "Security …" reads as two words: the mark goes right after the last letter.
    let kept = out.trim_end().len();
    out.truncate(kept);
    out.push('…');
    out
}

/// `s` cut or padded with spaces to exactly `cols` columns.
pub fn fit(s: &str, cols: usize) -> String {
    let t = truncate(s, cols);
    let pad = cols.saturating_sub(width(&t));
    format!("{t}{}", " ".repeat(pad))
}

/// `s` broken into lines of at most `cols` columns: at a space between words,
/// before or after a wide (CJK) character, or inside a word too long for a
/// line. Nothing is lost: every character of `s` but the spaces broken at is kept.
pub fn wrap(s: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(2);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut used = 0;
    // Where the current line may be broken: (byte offset, skip a space there).
    let mut brk: Option<(usize, bool)> = None;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > cols && c != ' ' {
            match brk {
                Some((at, space)) if at > 0 => {
                    let rest = cur[at + usize::from(space)..].to_string();
                    cur.truncate(at);
                    out.push(cur.trim_end().to_string());
                    cur = rest;
                }
                _ => out.push(std::mem::take(&mut cur).trim_end().to_string()),
            }
            used = width(&cur);
            brk = None;
        }
        if c == ' ' {
            if cur.is_empty() && !out.is_empty() {
                continue;
            }
            brk = Some((cur.len(), true));
        } else if w > 1 {
            brk = Some((cur.len(), false));
        }
        cur.push(c);
        used += w;
        if w > 1 {
            brk = Some((cur.len(), false));
        }
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur.trim_end().to_string());
    }
    out
}

/// "3m", "1h05", "2d4h": an age or a countdown short enough for a table cell.
pub fn short_duration(seconds: i64) -> String {
    let s = seconds.abs();
    let sign = if seconds < 0 { "-" } else { "" };
    if s < 60 {
        format!("{sign}{s}s")
    } else if s < 3600 {
        format!("{sign}{}m{:02}", s / 60, s % 60)
    } else if s < 86_400 {
        format!("{sign}{}h{:02}", s / 3600, (s % 3600) / 60)
    } else {
        format!("{sign}{}d{}h", s / 86_400, (s % 86_400) / 3600)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_measured_in_columns() {
        assert_eq!(width("漏水"), 4);
        assert_eq!(fit("漏水", 6), "漏水  ");
        assert_eq!(fit("卫生间漏水", 6), "卫生… ");
        assert_eq!(width(&fit("卫生间漏水", 7)), 7);
        assert_eq!(truncate("Security control room", 10), "Security…");
        // A wide character that would overrun is left out whole, never split.
        assert_eq!(truncate("电梯困人", 6), "电梯…");
        assert_eq!(width(&truncate("a电梯困人", 6)), 6);
        assert_eq!(short_duration(61), "1m01");
        assert_eq!(wrap("pipe leaking badly", 10), ["pipe", "leaking", "badly"]);
        assert_eq!(wrap("楼上漏水卫生间", 6), ["楼上漏", "水卫生", "间"]);
        assert_eq!(wrap("Leak 楼上漏水", 8), ["Leak 楼", "上漏水"]);
        let long = "Kitchen ceiling dripping 卫生间天花板渗水，怀疑是3-1602的水管";
        for cols in 5..30 {
            let lines = wrap(long, cols);
            assert!(lines.iter().all(|l| width(l) <= cols), "{cols}: {lines:?}");
            assert_eq!(lines.concat().replace(' ', ""), long.replace(' ', ""));
        }
        assert_eq!(short_duration(-3700), "-1h01");
    }
}
