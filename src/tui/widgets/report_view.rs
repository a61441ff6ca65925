//! The handover report laid out for the screen: the report's headings, tables
//! and paragraphs (as `export::report` writes them) become styled lines with
//! aligned columns sized to the window, so no Markdown syntax (`| |`, `|---|`,
//! `**`) reaches the operator and nothing wraps into broken rows.

use ratatui::style::Style;
use ratatui::text::Line;

use crate::display::{fit, truncate, width};

/// The styles the preview uses.
pub struct Looks {
    pub title: Style,
    pub head: Style,
    pub base: Style,
}

/// The report `md` as lines at most `cols` wide (paragraphs are left to wrap).
pub fn lines(md: &str, cols: usize, looks: &Looks) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    for raw in md.lines() {
        let t = raw.trim();
        if t.starts_with('|') {
            if !is_rule(t) {
                table.push(cells(t));
            }
            continue;
        }
        if !table.is_empty() {
            out.extend(layout(&std::mem::take(&mut table), cols, looks));
        }
        if let Some(h) = t.strip_prefix('#') {
            let h = h.trim_start_matches('#').trim();
            out.push(Line::styled(truncate(&plain(h), cols), looks.title));
        } else {
            out.push(Line::styled(plain(t), looks.base));
        }
    }
    if !table.is_empty() {
        out.extend(layout(&table, cols, looks));
    }
    out
}

/// `|---|---|`: the Markdown line under a table's header.
fn is_rule(t: &str) -> bool {
    t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// The cells of a table row, with `\|` kept as a bar.
fn cells(t: &str) -> Vec<String> {
    let inner = t.trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut esc = false;
    for c in inner.chars() {
        match c {
            '\\' if !esc => esc = true,
            '|' if !esc => out.push(plain(std::mem::take(&mut cur).trim())),
            _ => {
                if esc && c != '|' {
                    cur.push('\\');
                }
                esc = false;
                cur.push(c);
            }
        }
    }
    out.push(plain(cur.trim()));
    out
}

/// Text without Markdown emphasis and code marks.
fn plain(s: &str) -> String {
    s.replace("**", "").replace('`', "")
}

/// A table in aligned columns: each column as wide as its widest cell, the
/// widest columns narrowed (cut with "…") until the row fits in `cols`.
fn layout(rows: &[Vec<String>], cols: usize, looks: &Looks) -> Vec<Line<'static>> {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    // Sized by the data: a long bilingual header is cut before the data is.
    let mut w: Vec<usize> = (0..n)
        .map(|i| {
            let data = rows
                .iter()
                .skip(1)
                .filter_map(|r| r.get(i))
                .map(|c| width(c))
                .max()
                .unwrap_or(0);
            let head = rows.first().and_then(|r| r.get(i)).map_or(0, |c| width(c));
            data.max(head.min(4))
        })
        .collect();
    let gaps = 2 * n.saturating_sub(1);
    while w.iter().sum::<usize>() + gaps > cols {
        let Some((i, widest)) = w.iter().copied().enumerate().max_by_key(|(_, x)| *x) else {
            break;
        };
        if widest <= 4 {
            break;
        }
        w[i] = widest - 1;
    }
    // A key/value table's header row is empty: it is not shown.
    let skip_head = rows.first().is_some_and(|r| r.iter().all(String::is_empty));
    rows.iter()
        .enumerate()
        .filter(|(i, _)| !(*i == 0 && skip_head))
        .map(|(i, r)| {
            let text: Vec<String> = (0..n)
                .map(|c| fit(r.get(c).map(String::as_str).unwrap_or(""), w[c]))
                .collect();
            let style = if i == 0 && !skip_head {
                looks.head
            } else {
                looks.base
            };
            Line::styled(text.join("  ").trim_end().to_string(), style)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(md: &str, cols: usize) -> Vec<String> {
        let looks = Looks {
            title: Style::default(),
            head: Style::default(),
            base: Style::default(),
        };
        lines(md, cols, &looks)
            .into_iter()
            .map(|l| l.spans.iter().map(|s| s.content.to_string()).collect())
            .collect()
    }

    #[test]
    fn tables_become_aligned_columns_without_markdown() {
        let md = "# 交接班记录 Shift handover\n\n| | |\n|---|---|\n| 交班人 Outgoing | **王军** |\n| 开始 Started | 2026-11-25 19:00 |\n\n| 编号 ID | 摘要 Summary |\n|---|---|\n| R001 | 卫生间漏水 a\\|b |\n";
        let t = text(md, 40);
        assert_eq!(t[0], "交接班记录 Shift handover");
        assert!(
            t.iter().all(|l| !l.contains('|') || l.contains("a|b")),
            "{t:?}"
        );
        assert!(
            t.iter().all(|l| !l.contains("**") && !l.contains("---")),
            "{t:?}"
        );
        assert!(t.contains(&"交班人 Outgoing  王军".to_string()), "{t:?}");
        assert!(
            t.contains(&"开始 Started     2026-11-25 19:00".to_string()),
            "{t:?}"
        );
        assert!(t.contains(&"R001  卫生间漏水 a|b".to_string()), "{t:?}");
        // Narrow: every row fits, the cut cell ends in "…".
        for l in text(md, 20) {
            assert!(width(&l) <= 20, "{l}");
        }
        assert!(text(md, 20).iter().any(|l| l.ends_with('…')));
    }
}
