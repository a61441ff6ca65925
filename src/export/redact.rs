//! `--redact`: masks residents' phone numbers and names in exports that leave
//! the site (业主档案属于绝密档案: show no more personal data than the job needs).
//!
//! Phones keep their first 3 and last 4 digits (`138****5678`) when they have 11
//! or more digits; shorter numbers keep at most their last 4 digits and never
//! more than half. Names keep their first character (`陈**`). Phone numbers and
//! callers' names typed into free text (summaries, notes, step values) are masked
//! too. Staff names are not personal data of residents and stay.

use crate::state::State;

/// Masks a phone number, keeping any separators where they were.
pub fn phone(p: &str) -> String {
    let n = p.chars().filter(char::is_ascii_digit).count();
    let front = if n >= 11 { 3 } else { 0 };
    let back = (n / 2).min(4);
    let mut i = 0;
    p.chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            i += 1;
            if i <= front || i > n - back {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Masks a name: its first character stays, every other non-space one is `*`.
pub fn name(n: &str) -> String {
    let t = n.trim();
    let mut chars = t.chars();
    match chars.next() {
        None => String::new(),
        Some(_) if t.chars().count() == 1 => "*".into(),
        Some(first) => std::iter::once(first)
            .chain(chars.map(|c| if c.is_whitespace() { c } else { '*' }))
            .collect(),
    }
}

/// Masks phone numbers in free text: runs of 7 or more digits, also written in
/// groups (`138 1234 5678`, `021-12345678`). Dates such as 2026-11-25 are not
/// phone numbers: a group of fewer than 3 digits ends a number.
pub fn phones_in(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // One candidate: digit groups joined by a single space or hyphen.
        let start = i;
        let mut groups: Vec<(usize, usize)> = Vec::new();
        loop {
            let g = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            groups.push((g, i));
            let joined = i + 1 < chars.len()
                && matches!(chars[i], ' ' | '-')
                && chars[i + 1].is_ascii_digit();
            if !joined {
                break;
            }
            i += 1;
        }
        let end = i;
        let lens: Vec<usize> = groups.iter().map(|(a, b)| b - a).collect();
        let total: usize = lens.iter().sum();
        let grouped_phone = total >= 7 && lens.iter().skip(1).all(|l| *l >= 3);
        if grouped_phone {
            out.push_str(&phone(&chars[start..end].iter().collect::<String>()));
        } else {
            // Not one number: mask any single group that is long enough alone.
            let mut pos = start;
            for (a, b) in groups {
                out.extend(&chars[pos..a]);
                let g: String = chars[a..b].iter().collect();
                if b - a >= 7 {
                    out.push_str(&phone(&g));
                } else {
                    out.push_str(&g);
                }
                pos = b;
            }
            out.extend(&chars[pos..end]);
        }
    }
    out
}

/// Masks what a resident could be recognised by in the whole state: callers'
/// names and phones on tickets, and both wherever they were typed as text.
pub fn state(s: &mut State) {
    let mut names: Vec<String> = s
        .tickets
        .values()
        .filter_map(|t| t.caller.as_deref().map(str::trim))
        .filter(|n| n.chars().count() >= 2)
        .map(str::to_string)
        .collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    names.dedup();
    let text = |t: &str| -> String {
        let mut out = phones_in(t);
        for n in &names {
            if out.contains(n.as_str()) {
                out = out.replace(n.as_str(), &name(n));
            }
        }
        out
    };
    let opt = |t: &mut Option<String>| {
        if let Some(v) = t {
            *v = text(v);
        }
    };
    for t in s.tickets.values_mut() {
        t.caller = t.caller.as_deref().map(name);
        t.phone = t.phone.as_deref().map(phone);
        t.summary = text(&t.summary);
        for n in &mut t.notes {
            n.text = text(&n.text);
        }
    }
    for r in s.runs.values_mut() {
        opt(&mut r.location);
        for n in &mut r.notes {
            n.text = text(&n.text);
        }
        for p in &mut r.progress {
            opt(&mut p.value);
            opt(&mut p.note);
            opt(&mut p.reason);
        }
    }
    for sh in &mut s.shifts.all {
        opt(&mut sh.handover_note);
        opt(&mut sh.handover_override);
        for r in &mut sh.refusals {
            r.reason = text(&r.reason);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_keep_three_and_four() {
        assert_eq!(phone("13812345678"), "138****5678");
        assert_eq!(phone("138-1234-5678"), "138-****-5678");
        assert_eq!(phone("8765432"), "****432");
        assert_eq!(phone("110"), "**0");
    }

    #[test]
    fn names_keep_their_first_character() {
        assert_eq!(name("陈建国"), "陈**");
        assert_eq!(name("Chen Jianguo"), "C*** *******");
        assert_eq!(name("王"), "*");
    }

    #[test]
    fn phones_in_text_are_masked_but_dates_and_units_are_not() {
        assert_eq!(
            phones_in("call 13812345678 or 139 1234 5678 on 2026-11-25 about 1-1203"),
            "call 138****5678 or 139 **** 5678 on 2026-11-25 about 1-1203"
        );
        assert_eq!(phones_in("tel 021-12345678"), "tel 021-****5678");
    }
}
