//! Text from the record made safe to show: control characters never reach a terminal or a printout.

/// Replace every control character (C0, DEL, C1) with a visible stand-in so that a name such as
/// `"\x1b[2J"` is shown as text and never acts on the screen. Tabs become one space; newlines
/// become `⏎` because every caller of this shows one line.
pub fn inert(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' => out.push(' '),
            '\n' | '\r' => out.push('⏎'),
            c if c.is_control() => {
                // U+2400.. are the "control pictures" for C0; anything else is shown as U+FFFD.
                let code = c as u32;
                let shown = if code < 0x20 {
                    char::from_u32(0x2400 + code).unwrap_or('\u{FFFD}')
                } else if code == 0x7f {
                    '\u{2421}'
                } else {
                    '\u{FFFD}'
                };
                out.push(shown);
            }
            c => out.push(c),
        }
    }
    out
}

/// Cut `s` to at most `w` display columns (wide CJK characters count two), marking a cut with
/// `…`, with control characters shown inert. For cells, footers and printouts.
pub fn fit(s: &str, w: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    let s = inert(s);
    if s.width() <= w {
        return s;
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw + 1 > w {
            break;
        }
        used += cw;
        out.push(c);
    }
    if w > 0 {
        out.push('…');
    }
    out
}

/// [`fit`], then padded with spaces to exactly `w` columns (for fixed-width printouts).
pub fn fit_pad(s: &str, w: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let out = fit(s, w);
    let pad = w.saturating_sub(out.width());
    out + &" ".repeat(pad)
}

/// A comma-separated list fitted to `w` columns without hiding any item: the items that fit
/// whole, then "+N" for the rest ("penicillin +1"). When not even the first fits with its
/// count, the first is cut with "…" and the count still follows: every item is shown or
/// counted, never silently dropped (issue 20, point 1).
pub fn fit_list(s: &str, w: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let s = inert(s);
    if s.width() <= w {
        return s;
    }
    let items: Vec<&str> = s.split(',').map(str::trim).filter(|i| !i.is_empty()).collect();
    let n = items.len();
    let mut shown = String::new();
    for (k, item) in items.iter().enumerate() {
        let rest = n - k - 1;
        let candidate = if shown.is_empty() { (*item).to_string() } else { format!("{shown}, {item}") };
        let tail = if rest > 0 { format!(" +{rest}") } else { String::new() };
        if candidate.width() + tail.width() <= w {
            shown = candidate;
        } else {
            if shown.is_empty() {
                // Not even the first fits whole: cut it, and count the others after it.
                if rest == 0 {
                    return fit(item, w);
                }
                let room = w.saturating_sub(tail.width());
                return if room >= 2 { format!("{}{tail}", fit(item, room)) } else { fit(&format!("+{n}"), w) };
            }
            return format!("{shown} +{}", n - k);
        }
    }
    shown
}

/// "1 draft", "2 drafts": a count with its noun, never "draft(s)".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Trim, and refuse control characters in a one-line field typed by a nurse.
pub fn clean_line(field: &str, s: &str, max_chars: usize) -> Result<String, String> {
    let t = s.trim();
    if t.chars().any(char::is_control) {
        return Err(format!("{field}: control characters are not allowed"));
    }
    if t.chars().count() > max_chars {
        return Err(format!("{field}: at most {max_chars} characters"));
    }
    Ok(t.to_string())
}

/// Refuse the first field that holds a control character (an escape sequence, a bell, a line
/// break): the store's last line of defence for text that did not come through a form.
pub fn refuse_control(fields: &[(&str, &str)]) -> Result<(), String> {
    match fields.iter().find(|(_, v)| v.chars().any(char::is_control)) {
        Some((field, _)) => Err(format!("{field}: control characters are not allowed")),
        None => Ok(()),
    }
}

/// Like [`clean_line`] but the field may not be empty.
pub fn required_line(field: &str, s: &str, max_chars: usize) -> Result<String, String> {
    let t = clean_line(field, s, max_chars)?;
    if t.is_empty() {
        return Err(format!("{field} is required"));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_inert() {
        let shown = inert("\x1b[2JBob\x07\u{9b}");
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert!(shown.contains("[2JBob"));
    }

    #[test]
    fn fit_counts_display_columns() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("眠れない", 5), "眠れ…");
        assert_eq!(fit("ok", 4), "ok");
        assert_eq!(fit_pad("ok", 4), "ok  ");
        assert_eq!(fit("\x1b[2J", 10), "\u{241b}[2J");
    }

    #[test]
    fn required_refuses_blank_and_control() {
        assert!(required_line("Name", "   ", 10).is_err());
        assert!(required_line("Name", "a\x1bb", 10).is_err());
        assert_eq!(required_line("Name", "  Ana  ", 10).unwrap(), "Ana");
        assert!(required_line("Name", "abcdefghijk", 10).is_err());
    }
}

#[cfg(test)]
mod fit_list_tests {
    use super::fit_list;

    #[test]
    fn lists_show_what_fits_and_count_the_rest() {
        assert_eq!(fit_list("penicillin, shellfish", 30), "penicillin, shellfish");
        assert_eq!(fit_list("penicillin, shellfish", 13), "penicillin +1");
        assert_eq!(fit_list("penicillin, shellfish", 8), "peni… +1");
        assert_eq!(fit_list("elopement, suicide", 12), "elopement +1");
        assert_eq!(fit_list("a, b, c", 3), "+3");
    }
}
