//! Width-aware layout of a line: columns that share the screen's width, cells
//! that keep what must stay whole (a phone number) and cut the rest with "…".

use ratatui::text::{Line, Span};

use crate::display::{truncate, width};

/// "Security control room 0571-86…" must never happen: the name is cut, the
/// phone never. Exactly `cols` columns unless the phone alone is wider.
pub fn name_and_phone(name: &str, phone: &str, cols: usize) -> String {
    let text = match (name.is_empty(), phone.is_empty()) {
        (_, true) => truncate(name, cols),
        (true, false) => phone.to_string(),
        (false, false) => {
            let whole = format!("{name} {phone}");
            if width(&whole) <= cols {
                whole
            } else {
                let room = cols.saturating_sub(width(phone) + 1);
                if room >= 3 {
                    format!("{} {phone}", truncate(name, room))
                } else {
                    phone.to_string()
                }
            }
        }
    };
    let pad = cols.saturating_sub(width(&text));
    format!("{text}{}", " ".repeat(pad))
}

/// The width of a column that shares `total` with a text column: the column
/// gets what its widest cell needs, but at least `must` (what may not be cut)
/// and no more than leaves `text_min` for the text.
pub fn share(total: usize, wanted: usize, must: usize, text_min: usize) -> usize {
    wanted.min(total.saturating_sub(text_min)).max(must)
}

/// The hints that fit in `cols`, in priority order (`rank`: lower stays longer),
/// shown in their original order; a hint is shown whole or not at all.
pub fn hints(items: &[(String, String, u8)], cols: usize) -> Vec<(String, String)> {
    let cell = |k: &str, w: &str| width(k) + 1 + width(w) + 2;
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| (items[i].2, i));
    let mut keep = vec![false; items.len()];
    let mut used = 1;
    for i in order {
        let (k, w, _) = &items[i];
        let c = cell(k, w);
        if used + c <= cols + 2 {
            used += c;
            keep[i] = true;
        }
    }
    items
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|((k, w, _), _)| (k.clone(), w.clone()))
        .collect()
}

/// `line` cut to `cols` columns, the span at the edge ending in "…".
pub fn line(line: Line<'static>, cols: usize) -> Line<'static> {
    let mut left = cols;
    let mut spans = Vec::new();
    for sp in line.spans {
        let w = width(&sp.content);
        if w <= left {
            left -= w;
            spans.push(sp);
        } else {
            spans.push(Span::styled(truncate(&sp.content, left), sp.style));
            break;
        }
    }
    Line::from(spans).style(line.style)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phone_stays_whole_and_the_name_is_cut_with_an_ellipsis() {
        assert_eq!(
            name_and_phone("Security control room", "0571-86001234", 24),
            "Security… 0571-86001234 "
        );
        assert_eq!(
            name_and_phone("保安监控室", "0571-86001234", 20),
            "保安… 0571-86001234 "
        );
        assert_eq!(name_and_phone("Lift", "110", 20), "Lift 110            ");
        assert_eq!(
            name_and_phone("Security", "0571-86001234", 10),
            "0571-86001234"
        );
    }

    #[test]
    fn hints_drop_the_least_important_whole() {
        let items = vec![
            ("n".to_string(), "new".to_string(), 0),
            ("Tab".to_string(), "view".to_string(), 2),
            ("S".to_string(), "sign".to_string(), 1),
            ("F1".to_string(), "Keys".to_string(), 0),
        ];
        let got = hints(&items, 30);
        assert_eq!(got.len(), 3);
        assert!(got.iter().all(|(k, _)| k != "Tab"));
        assert_eq!(got.last().map(|h| h.0.as_str()), Some("F1"));
    }
}
