//! Dialogs drawn over the queue. Clearing the dialog's rectangle is not enough
//! when a wide (CJK) character starts one column left of it: the terminal draws
//! that character two columns wide, over the dialog's left border, and ratatui's
//! diff then skips the border cell as "covered". So the character straddling an
//! edge is blanked too, and the border always shows.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Clear;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use super::centered;

/// A `w` x `h` rectangle in the middle of `area`, cleared edge to edge.
pub fn popup(f: &mut Frame, area: Rect, w: u16, h: u16) -> Rect {
    let r = centered(area, w, h);
    clear(f, r);
    r
}

/// Clears `r` and any wide character that reaches into it from outside.
pub fn clear(f: &mut Frame, r: Rect) {
    f.render_widget(Clear, r);
    unstraddle(f.buffer_mut(), r);
}

/// Blanks the wide characters that start outside `r` and end inside it.
pub fn unstraddle(buf: &mut Buffer, r: Rect) {
    if r.x == 0 || r.width == 0 {
        return;
    }
    let area = buf.area;
    for y in r.top()..r.bottom().min(area.bottom()) {
        // A character wider than the columns left of the edge covers the edge.
        let mut x = r.x;
        while x > area.x && r.x - x < 2 {
            x -= 1;
            let sym = buf[(x, y)].symbol();
            let w = UnicodeWidthStr::width(sym) as u16;
            if w > 1 && x + w > r.x {
                buf[(x, y)].reset();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::TestBackend;
    use ratatui::widgets::{Block, Borders};
    use ratatui::Terminal;

    /// What a terminal shows in each cell: a wide character hides the cell after it.
    fn visible(buf: &Buffer) -> Vec<Vec<Option<String>>> {
        (0..buf.area.height)
            .map(|y| {
                let mut row = vec![None; buf.area.width as usize];
                let mut x = 0;
                while x < buf.area.width {
                    let sym = buf[(x, y)].symbol().to_string();
                    let w = UnicodeWidthStr::width(sym.as_str()).max(1) as u16;
                    row[x as usize] = Some(sym);
                    x += w;
                }
                row
            })
            .collect()
    }

    #[test]
    fn borders_stay_whole_over_chinese_text_at_every_column_offset() {
        for offset in 0..4u16 {
            for left in 5..9u16 {
                let mut t = Terminal::new(TestBackend::new(30, 6)).unwrap();
                t.draw(|f| {
                    let a = f.area();
                    for y in 0..a.height {
                        let text = format!(
                            "{}楼上漏水卫生间天花板渗水秩序部",
                            " ".repeat(offset as usize)
                        );
                        f.buffer_mut()
                            .set_string(0, y, text, ratatui::style::Style::default());
                    }
                    let r = Rect::new(left, 1, 11, 4);
                    clear(f, r);
                    f.render_widget(Block::default().borders(Borders::ALL), r);
                })
                .unwrap();
                let v = visible(t.backend().buffer());
                let right = (left + 10) as usize;
                for (y, row) in v.iter().enumerate().take(5).skip(1) {
                    let (l, r) = match y {
                        1 => ("┌", "┐"),
                        4 => ("└", "┘"),
                        _ => ("│", "│"),
                    };
                    assert_eq!(
                        row[left as usize].as_deref(),
                        Some(l),
                        "offset {offset} left {left} row {y}"
                    );
                    assert_eq!(
                        row[right].as_deref(),
                        Some(r),
                        "offset {offset} left {left} row {y}"
                    );
                }
            }
        }
    }
}
