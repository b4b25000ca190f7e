//! Progress notes: formats and their sections, the rules of signing, addenda and late entries,
//! and the canonical serialization a signature's hash covers (REFERENCE.md section 5).
use super::ledger::Canon;
use chrono::{DateTime, Duration, Utc};

/// The note formats a nurse can start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Soap,
    Dap,
    Birp,
    Narrative,
    Shift,
}

impl Format {
    pub const ALL: [Format; 5] = [Format::Soap, Format::Dap, Format::Birp, Format::Narrative, Format::Shift];

    /// The value stored in `note.format`.
    pub fn code(self) -> &'static str {
        match self {
            Format::Soap => "SOAP",
            Format::Dap => "DAP",
            Format::Birp => "BIRP",
            Format::Narrative => "narrative",
            Format::Shift => "shift",
        }
    }

    pub fn from_code(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.code().eq_ignore_ascii_case(s))
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::Soap => "SOAP (Subjective, Objective, Assessment, Plan)",
            Format::Dap => "DAP (Data, Assessment, Plan)",
            Format::Birp => "BIRP (Behavior, Intervention, Response, Plan)",
            Format::Narrative => "narrative",
            Format::Shift => "shift note",
        }
    }

    /// The template's headed sections (REFERENCE.md section 5).
    pub fn sections(self) -> &'static [&'static str] {
        match self {
            Format::Soap => &["Subjective", "Objective", "Assessment", "Plan"],
            Format::Dap => &["Data", "Assessment", "Plan"],
            Format::Birp => &["Behavior", "Intervention", "Response", "Plan"],
            Format::Narrative => &["Note"],
            Format::Shift => &["Summary", "Events", "For the next shift"],
        }
    }
}

/// How long after the event an entry (note, addendum, assessment) may be written before it is a
/// late entry. Nursing documentation practice, not a number from REFERENCE.md: one rule for the
/// whole record, shown wherever the entry is shown.
pub const LATE_ENTRY_AFTER: Duration = Duration::minutes(60);

/// A late entry is signed well after the event it records; it is labelled so wherever shown.
pub fn is_late_entry(event_at: DateTime<Utc>, signed_at: DateTime<Utc>) -> bool {
    signed_at - event_at > LATE_ENTRY_AFTER
}

/// Check the event time given at signing: never in the future (never chart ahead).
pub fn check_event_time(event_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), String> {
    if event_at > now + Duration::minutes(1) {
        return Err("the event time is in the future; notes are never charted ahead".into());
    }
    Ok(())
}

/// A note's text must say something: at least one section with words.
pub fn check_sections(sections: &[(String, String)]) -> Result<(), String> {
    if sections.iter().all(|(_, t)| t.trim().is_empty()) {
        return Err("the note is empty; write at least one section before signing".into());
    }
    if sections.iter().map(|(_, t)| t.len()).sum::<usize>() > 256 * 1024 {
        return Err("the note is longer than 256 KiB; split it into two notes".into());
    }
    Ok(())
}

/// Everything a signature covers. Changing any of it afterwards changes the hash.
#[derive(Clone, Debug, PartialEq)]
pub struct Signed<'a> {
    pub id: i64,
    pub stay_id: i64,
    pub kind: &'a str,
    pub format: &'a str,
    pub addendum_to: Option<i64>,
    pub author_id: i64,
    pub author_name: &'a str,
    pub author_credentials: &'a str,
    pub event_at: &'a str,
    pub signed_at: &'a str,
    pub sections: &'a [(String, String)],
}

impl Signed<'_> {
    /// The canonical serialization of a signed note or addendum (version-tagged).
    pub fn canonical(&self) -> Canon {
        let mut c = Canon::new("wardterm-note-v1")
            .field("id", &self.id.to_string())
            .field("stay", &self.stay_id.to_string())
            .field("kind", self.kind)
            .field("format", self.format)
            .opt("addendum_to", self.addendum_to.map(|i| i.to_string()).as_deref())
            .field("author", &self.author_id.to_string())
            .field("author_name", self.author_name)
            .field("credentials", self.author_credentials)
            .field("event_at", self.event_at)
            .field("signed_at", self.signed_at)
            .field("sections", &self.sections.len().to_string());
        for (heading, text) in self.sections {
            c = c.field("heading", heading).field("text", text);
        }
        c
    }

    /// SHA-256 of the canonical serialization, as lowercase hex.
    pub fn hash(&self) -> String {
        self.canonical().hash()
    }
}

/// Turn a typed search into an FTS5 query that matches every word, with no FTS syntax: each
/// word becomes a quoted string, so `AND`, `*`, `"` or `NEAR(` typed by a nurse are just text.
pub fn fts_query(typed: &str) -> Option<String> {
    let words: Vec<String> = typed
        .split_whitespace()
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The plain text of a note for search and printing: "Heading: text" per section.
pub fn plain_text(sections: &[(String, String)]) -> String {
    sections
        .iter()
        .filter(|(_, t)| !t.trim().is_empty())
        .map(|(h, t)| format!("{h}: {t}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(sections: &[(String, String)]) -> Signed<'_> {
        Signed {
            id: 1,
            stay_id: 2,
            kind: "note",
            format: "DAP",
            addendum_to: None,
            author_id: 3,
            author_name: "Ana Ortiz",
            author_credentials: "RN",
            event_at: "2026-11-25T04:00:00Z",
            signed_at: "2026-11-25T04:10:00Z",
            sections,
        }
    }

    #[test]
    fn serialization_is_unambiguous_where_gluing_would_not_be() {
        // Glued together these would be the same bytes: "ab" + "c" == "a" + "bc".
        let a = vec![("Data".to_string(), "ab".to_string()), ("Plan".to_string(), "c".to_string())];
        let b = vec![("Data".to_string(), "a".to_string()), ("Plan".to_string(), "bc".to_string())];
        assert_ne!(signed(&a).hash(), signed(&b).hash());
        let c = vec![("Data".to_string(), "x\ntext=1:y".to_string())];
        let d = vec![("Data".to_string(), "x".to_string()), ("text".to_string(), "y".to_string())];
        assert_ne!(signed(&c).hash(), signed(&d).hash());
        assert_eq!(signed(&a).hash(), signed(&a).hash());
        assert_eq!(signed(&a).hash().len(), 64);
    }

    #[test]
    fn every_field_is_covered() {
        let s = vec![("Data".to_string(), "calm".to_string())];
        let base = signed(&s).hash();
        let mut x = signed(&s);
        x.author_credentials = "LPN";
        assert_ne!(x.hash(), base);
        let mut y = signed(&s);
        y.event_at = "2026-11-25T03:00:00Z";
        assert_ne!(y.hash(), base);
    }

    #[test]
    fn late_entry_and_future_time() {
        let t = DateTime::parse_from_rfc3339("2026-11-25T04:00:00Z").unwrap().with_timezone(&Utc);
        assert!(!is_late_entry(t, t + Duration::minutes(30)));
        assert!(is_late_entry(t, t + Duration::hours(3)));
        assert!(check_event_time(t + Duration::hours(1), t).is_err());
        assert!(check_event_time(t - Duration::hours(1), t).is_ok());
    }

    #[test]
    fn fts_query_neutralises_syntax() {
        assert_eq!(fts_query("tremor  night").as_deref(), Some("\"tremor\" \"night\""));
        assert_eq!(fts_query("a\"b OR").as_deref(), Some("\"a\"\"b\" \"OR\""));
        assert_eq!(fts_query("   "), None);
    }

    #[test]
    fn formats_have_their_sections() {
        assert_eq!(Format::Dap.sections(), ["Data", "Assessment", "Plan"]);
        assert_eq!(Format::from_code("soap"), Some(Format::Soap));
        assert!(check_sections(&[("Data".into(), "  ".into())]).is_err());
    }
}
