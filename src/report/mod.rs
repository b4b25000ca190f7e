//! Plain-text printouts for paper, for when the terminals are down. Every one names the ward,
//! the time, who printed it, and carries the 42 CFR Part 2 notice (REFERENCE.md section 6).
pub mod audit;
pub mod census;
pub mod handoff;
pub mod mar;
pub mod rounds;
pub mod schedule;

/// The redisclosure notice required on substance-use-disorder records (42 CFR 2.32).
pub const PART2_NOTICE: &str = "\
CONFIDENTIAL - 42 CFR Part 2: This record is protected by federal confidentiality rules \
(42 CFR part 2). Federal law prohibits any further disclosure of information in this record \
that identifies a patient as having or having had a substance use disorder unless the \
further disclosure is expressly permitted by the written consent of the individual whose \
information is being disclosed or as otherwise permitted by 42 CFR part 2.";

/// The end of every printout: a rule, then the 42 CFR Part 2 notice wrapped to 80 columns.
pub fn close(out: &mut String) {
    out.push_str(&"=".repeat(80));
    out.push('\n');
    for l in wrap(PART2_NOTICE, 80) {
        out.push_str(&l);
        out.push('\n');
    }
}

/// Joins words that must stay on one line: a checkbox and the patient it belongs to
/// (`"[ ]{GLUE}12{GLUE}Grace{GLUE}Whitfield"`). [`wrap`] never breaks at it and prints it as a
/// plain space.
pub const GLUE: char = '\u{a0}';

/// `text` with every space made [`GLUE`]: one unit that [`wrap`] keeps on one line.
pub fn glued(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(&GLUE.to_string())
}

/// The one wrapping rule of every printout: `text` on word boundaries (runs of spaces; never
/// at a [`GLUE`]) in lines of at most `width` display columns (a wide character counts two). A
/// word is never split unless it is longer than a whole line on its own; then, and only then,
/// it is cut at the width, so nothing runs off the paper and nothing is lost.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_after("", text, width, "")
}

/// [`wrap`] with the first line starting with `lead` (kept as it is, spaces and all: the
/// columns of a table row) and every other line with `indent`. When not even the first word
/// fits after `lead`, the words start on the next line; a `lead` wider than the page is itself
/// wrapped.
pub fn wrap_after(lead: &str, text: &str, width: usize, indent: &str) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let width = width.max(1);
    // An indent that leaves no room for a word is dropped rather than looping.
    let indent = if indent.width() >= width { "" } else { indent };
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // `fresh`: no word on the line yet after its lead or indent, so a word too long for the
    // rest of it must be cut here (a fresh line is as much room as there will ever be).
    let mut fresh = true;
    if lead.width() > width {
        let mut wrapped = wrap_after("", lead, width, indent);
        line = wrapped.pop().unwrap_or_default();
        lines = wrapped;
        fresh = false;
    } else if !lead.is_empty() {
        line.push_str(lead);
        fresh = false;
    }
    // Runs of white space part words; the glue (itself white space to Unicode) does not.
    for word in text.split(|c: char| c.is_whitespace() && c != GLUE).filter(|w| !w.is_empty()) {
        let word = word.replace(GLUE, " ");
        let mut rest: &str = &word;
        while !rest.is_empty() {
            let sep = usize::from(!line.is_empty() && !line.ends_with(' '));
            if line.width() + sep + rest.width() <= width {
                if sep == 1 {
                    line.push(' ');
                }
                line.push_str(rest);
                fresh = false;
                rest = "";
            } else if !fresh {
                lines.push(std::mem::take(&mut line).trim_end().to_string());
                line.push_str(indent);
                fresh = true;
            } else {
                // Longer than a whole line on its own. Glued words part at their last space
                // that fits (the box stays with the bed number); a single word is cut at the
                // width: the one place a word is split.
                let room = width.saturating_sub(line.width()).max(1);
                let (head, tail) = split_at_width(rest, room);
                // (Unless the word after that space is itself too long for a line: then it is
                // cut here, and the box keeps the first of it beside it.)
                let next_word_fits = |i: usize| {
                    rest[i..].trim_start().split(' ').next().map_or(0, UnicodeWidthStr::width) <= width - indent.width()
                };
                let (head, tail) = match head.rfind(' ') {
                    Some(i) if i > 0 && !tail.starts_with(' ') && next_word_fits(i) => {
                        (&rest[..i], rest[i..].trim_start())
                    }
                    _ => (head, tail.trim_start()),
                };
                // Not even one character fits (a wide one on a one-column page): take it anyway.
                let (head, tail) = if head.is_empty() {
                    rest.split_at(rest.chars().next().map_or(0, char::len_utf8))
                } else {
                    (head, tail)
                };
                line.push_str(head);
                lines.push(std::mem::take(&mut line).trim_end().to_string());
                line.push_str(indent);
                rest = tail;
            }
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// The longest prefix of `s` at most `w` display columns wide, and the rest.
fn split_at_width(s: &str, w: usize) -> (&str, &str) {
    use unicode_width::UnicodeWidthChar;
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let cw = c.width().unwrap_or(0);
        if used + cw > w {
            return s.split_at(i);
        }
        used += cw;
    }
    (s, "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn words_stay_whole_and_only_a_word_longer_than_a_line_is_cut() {
        assert_eq!(wrap("alpha beta gamma", 10), ["alpha beta", "gamma"]);
        assert_eq!(wrap("abcdefghijkl xy", 5), ["abcde", "fghij", "kl xy"]);
        assert_eq!(wrap("眠れない夜", 4), ["眠れ", "ない", "夜"]);
        assert!(wrap("", 10).is_empty());
        assert_eq!(wrap("a b", 0), ["a", "b"]);
        // A box glued to a word longer than a line keeps the start of it beside it.
        assert_eq!(wrap(&glued("[ ] abcdefghijkl"), 8), ["[ ] abcd", "efghijkl"]);
    }

    #[test]
    fn glued_words_never_part_and_print_as_spaces() {
        let items = format!("{}; {}", glued("[ ] 1 Maria Delgado"), glued("[ ] 12 Grace Whitfield"));
        for w in [14, 20, 30, 40, 80] {
            let lines = wrap(&items, w);
            let whole = w >= 23;
            assert!(
                lines.iter().any(|l| l.contains(if whole { "[ ] 12 Grace Whitfield" } else { "[ ] 12 Grace" })),
                "{w}: {lines:?}"
            );
            assert!(lines.iter().all(|l| l.width() <= w && !l.contains(GLUE)), "{w}: {lines:?}");
        }
    }

    #[test]
    fn a_lead_keeps_its_columns_and_what_follows_is_indented() {
        let lines = wrap_after("08:00 dana   print  ", "one two three four", 26, "    ");
        assert_eq!(lines, ["08:00 dana   print  one", "    two three four"]);
        let lines = wrap_after("a-lead-too-long-for-the-page ", "x", 10, "  ");
        assert!(lines.iter().all(|l| l.width() <= 10), "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), "a-lead-too-long-for-the-pagex");
    }
}
