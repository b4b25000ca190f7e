//! Plain-text printouts for paper, for when the terminals are down. Every one names the ward,
//! the time, who printed it, and carries the 42 CFR Part 2 notice (REFERENCE.md section 6).
pub mod audit;
pub mod census;
pub mod handoff;
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

/// Wrap text to `width` columns on word boundaries.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
