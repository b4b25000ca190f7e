//! Progress notes: formats and their sections, the rules of signing, addenda and late entries,
//! and the canonical serialization a signature's hash covers (REFERENCE.md section 5).
use super::ledger::Canon;
use super::scale::{Band, BandSet};
use super::text::inert;
use super::time::local;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

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

/// How late makes a "late entry": unit policy, one rule for every kind of entry (note, addendum,
/// assessment, PRN). REFERENCE.md section 5: "how late makes a 'late entry' is unit policy (there
/// is no national number); the default is 15 minutes between the event and signing,
/// configurable". The ward keeps its own as a policy (`wardterm config set late-entry-minutes`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LateEntryRule {
    /// An entry signed more than this many minutes after its event is a late entry.
    pub after_minutes: u16,
}

impl LateEntryRule {
    /// REFERENCE.md section 5: "the default is 15 minutes between the event and signing".
    pub const DEFAULT: LateEntryRule = LateEntryRule { after_minutes: 15 };
    /// The longest threshold a unit may set: a day.
    pub const MAX_MINUTES: u16 = 24 * 60;
    /// The label of the band set the threshold is kept as (see [`LateEntryRule::to_bands`]).
    const LATE: &'static str = "late entry";
    const ON_TIME: &'static str = "on time";

    /// A threshold typed by an admin: whole minutes, 0 (any delay) to a day.
    pub fn parse(typed: &str) -> Result<LateEntryRule, String> {
        match typed.trim().parse::<u16>() {
            Ok(m) if m <= Self::MAX_MINUTES => Ok(LateEntryRule { after_minutes: m }),
            _ => Err(format!(
                "late entry: whole minutes from 0 to {} (an entry signed more than that many minutes after its \
                 event is labelled a late entry; the default is {})",
                Self::MAX_MINUTES,
                Self::DEFAULT.after_minutes
            )),
        }
    }

    /// Signed more than the threshold after the event.
    pub fn is_late(self, event_at: DateTime<Utc>, signed_at: DateTime<Utc>) -> bool {
        signed_at - event_at > Duration::minutes(i64::from(self.after_minutes))
    }

    /// "more than 15 minutes after the event", for dialogs and `config show`.
    pub fn describe(self) -> String {
        match self.after_minutes {
            1 => "more than 1 minute after the event".into(),
            m => format!("more than {m} minutes after the event"),
        }
    }

    /// The threshold as the ward's policy table keeps it (no schema of its own): a band set over
    /// the whole minutes, rounded up, from event to signing: `0+ on time`, `N+1 late entry`. A
    /// gap of 15 min 01 s is 16 minutes, so the label starts exactly past the threshold.
    pub fn to_bands(self) -> BandSet {
        BandSet {
            name: format!("late entry after {} min", self.after_minutes),
            bands: vec![Band::new(0, Self::ON_TIME, false), Band::new(self.after_minutes + 1, Self::LATE, false)],
        }
    }

    /// Read back what [`LateEntryRule::to_bands`] wrote; anything else is refused, never guessed.
    pub fn from_bands(b: &BandSet) -> Result<LateEntryRule, String> {
        match b.bands.as_slice() {
            [on_time, late]
                if on_time.min == 0
                    && on_time.label == Self::ON_TIME
                    && late.label == Self::LATE
                    && (1..=Self::MAX_MINUTES + 1).contains(&late.min) =>
            {
                Ok(LateEntryRule { after_minutes: late.min - 1 })
            }
            _ => Err(format!("the ward's late-entry policy {:?} is not one this program wrote", b.name)),
        }
    }
}

/// Written after its event at all (not only late): then both times are shown wherever the entry
/// is read (REFERENCE.md section 5).
pub fn written_after(event_at: DateTime<Utc>, signed_at: DateTime<Utc>) -> bool {
    signed_at > event_at
}

/// An entry's two times, "event 08:20 · signed 09:09" (the words are the entry's own: "taken" and
/// "recorded" for a score). The event carries its date when `with_date`; the signing carries its
/// date only when it fell on another day than the event.
pub fn both_times(
    event_at: DateTime<Utc>,
    signed_at: DateTime<Utc>,
    (event_word, signed_word): (&str, &str),
    with_date: bool,
    tz: Tz,
) -> String {
    let (e, s) = (event_at.with_timezone(&tz), signed_at.with_timezone(&tz));
    let event = if with_date { local(event_at, tz) } else { crate::domain::time::clock(event_at, tz) };
    let signed =
        if s.date_naive() == e.date_naive() { crate::domain::time::clock(signed_at, tz) } else { local(signed_at, tz) };
    format!("{event_word} {event} · {signed_word} {signed}")
}

/// How a signed entry's authorship reads (REFERENCE.md section 5), `by` as "Sam Okafor, RN":
/// "2026-11-25 04:10 · signed by Sam Okafor, RN" when written at its event time; when written
/// later, both times, "event 2026-11-25 08:20 · signed 09:09 by Sam Okafor, RN", led by
/// "LATE ENTRY · " when past the unit's threshold.
pub fn signed_by_line(
    event_at: DateTime<Utc>,
    signed_at: DateTime<Utc>,
    by: &str,
    words: (&str, &str),
    rule: LateEntryRule,
    tz: Tz,
) -> String {
    let by = inert(by);
    if !written_after(event_at, signed_at) {
        return format!("{} · {} by {by}", local(event_at, tz), words.1);
    }
    let late = if rule.is_late(event_at, signed_at) { "LATE ENTRY · " } else { "" };
    format!("{late}{} by {by}", both_times(event_at, signed_at, words, true, tz))
}

/// The words for a note's or an addendum's two times.
pub const NOTE_TIMES: (&str, &str) = ("event", "signed");

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

/// A note as its author or a reader sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub id: i64,
    pub stay_id: i64,
    pub kind: String,
    pub format: String,
    pub addendum_to: Option<i64>,
    pub author: i64,
    pub sections: Vec<(String, String)>,
    pub started_at: DateTime<Utc>,
    pub saved_at: DateTime<Utc>,
    pub event_at: Option<DateTime<Utc>>,
    pub signed_at: Option<DateTime<Utc>>,
    /// "Ana Ortiz, RN" as signed.
    pub signed_by: Option<String>,
    pub hash: Option<String>,
}

impl Note {
    /// Signed past the unit's late-entry threshold after its event.
    pub fn is_late_entry(&self, rule: LateEntryRule) -> bool {
        matches!((self.event_at, self.signed_at), (Some(e), Some(s)) if rule.is_late(e, s))
    }
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
        let rule = LateEntryRule::DEFAULT;
        // REFERENCE.md section 5: more than 15 minutes between event and signing.
        assert!(!rule.is_late(t, t + Duration::minutes(15)));
        assert!(rule.is_late(t, t + Duration::minutes(15) + Duration::seconds(1)));
        assert!(rule.is_late(t, t + Duration::minutes(16)));
        assert!(!rule.is_late(t, t));
        let strict = LateEntryRule::parse("0").unwrap();
        assert!(strict.is_late(t, t + Duration::seconds(1)) && !strict.is_late(t, t));
        assert!(check_event_time(t + Duration::hours(1), t).is_err());
        assert!(check_event_time(t - Duration::hours(1), t).is_ok());
    }

    #[test]
    fn the_threshold_is_typed_in_minutes_and_kept_as_a_band_set_that_reads_back() {
        assert!(LateEntryRule::parse("-1").is_err());
        assert!(LateEntryRule::parse("1441").is_err());
        assert!(LateEntryRule::parse("ten").is_err());
        for m in [0, 1, 15, 30, 1440] {
            let rule = LateEntryRule::parse(&m.to_string()).unwrap();
            let bands = rule.to_bands();
            bands.validate().unwrap();
            assert_eq!(LateEntryRule::from_bands(&bands), Ok(rule));
        }
        let other = crate::domain::scale::default_bands("ciwa-ar");
        assert!(LateEntryRule::from_bands(&other).is_err(), "never guessed from another band set");
        assert_eq!(LateEntryRule::DEFAULT.describe(), "more than 15 minutes after the event");
    }

    #[test]
    fn both_times_are_shown_whenever_an_entry_was_written_after_its_event() {
        let tz = chrono_tz::America::New_York;
        let at = |h, m| DateTime::parse_from_rfc3339(&format!("2026-11-25T{h:02}:{m:02}:00Z")).unwrap().to_utc();
        let rule = LateEntryRule::DEFAULT;
        assert_eq!(
            signed_by_line(at(13, 20), at(13, 20), "Sam Okafor, RN", NOTE_TIMES, rule, tz),
            "2026-11-25 08:20 · signed by Sam Okafor, RN"
        );
        assert_eq!(
            signed_by_line(at(13, 20), at(13, 30), "Sam Okafor, RN", NOTE_TIMES, rule, tz),
            "event 2026-11-25 08:20 · signed 08:30 by Sam Okafor, RN"
        );
        assert_eq!(
            signed_by_line(at(13, 20), at(14, 9), "Sam Okafor, RN", NOTE_TIMES, rule, tz),
            "LATE ENTRY · event 2026-11-25 08:20 · signed 09:09 by Sam Okafor, RN"
        );
        // Signed the next (local) day: the signing carries its date.
        assert_eq!(
            both_times(at(4, 50), at(5, 10), ("taken", "recorded"), false, tz),
            "taken 23:50 · recorded 2026-11-25 00:10"
        );
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
