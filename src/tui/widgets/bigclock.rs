//! Large digits for the runner's elapsed time: three rows of box-drawing
//! characters per glyph (each one column wide, so it fits 80x24 next to the plan).

/// Rows of a glyph, top to bottom; every row of a glyph has the same width.
fn glyph(c: char) -> [&'static str; 3] {
    match c {
        '0' => ["┏━┓", "┃ ┃", "┗━┛"],
        '1' => [" ┓ ", " ┃ ", " ┻ "],
        '2' => ["╺━┓", "┏━┛", "┗━╸"],
        '3' => ["╺━┓", " ━┫", "╺━┛"],
        '4' => ["╻ ╻", "┗━┫", "  ╹"],
        '5' => ["┏━╸", "┗━┓", "╺━┛"],
        '6' => ["┏━╸", "┣━┓", "┗━┛"],
        '7' => ["╺━┓", "  ┃", "  ╹"],
        '8' => ["┏━┓", "┣━┫", "┗━┛"],
        '9' => ["┏━┓", "┗━┫", "╺━┛"],
        ':' => [" ", "╏", " "],
        _ => ["   ", "   ", "   "],
    }
}

/// `text` ("12:34", "1:02:03") as three lines of large glyphs, one space apart.
pub fn lines(text: &str) -> [String; 3] {
    let mut out = [String::new(), String::new(), String::new()];
    for (i, c) in text.chars().enumerate() {
        let g = glyph(c);
        for (row, part) in out.iter_mut().zip(g) {
            if i > 0 {
                row.push(' ');
            }
            row.push_str(part);
        }
    }
    out
}

/// Elapsed seconds as the runner shows them: "MM:SS", or "H:MM:SS" past an hour.
pub fn elapsed_text(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// How many columns `lines(text)` takes.
pub fn width(text: &str) -> usize {
    lines(text)[0].chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_three_rows_of_equal_width() {
        let l = lines("12:34");
        assert_eq!(l.len(), 3);
        let w = l[0].chars().count();
        assert!(l.iter().all(|r| r.chars().count() == w));
        assert_eq!(l[0], " ┓  ╺━┓   ╺━┓ ╻ ╻");
        // Even ten hours fits a third of an 80-column screen.
        assert!(width(&elapsed_text(36_000)) <= 28);
    }

    #[test]
    fn elapsed_is_minutes_then_hours() {
        assert_eq!(elapsed_text(65), "01:05");
        assert_eq!(elapsed_text(3725), "1:02:05");
        assert_eq!(elapsed_text(-3), "00:00");
    }
}
