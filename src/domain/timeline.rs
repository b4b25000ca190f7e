//! A stay's timeline as the nurse reads it: notes, addenda, scores, PRN doses, safety changes,
//! risk screens, medication orders and doses, vital signs, calls to the provider and
//! emergencies, each with when it happened and when it was written.
use chrono::{DateTime, Utc};

use super::note::{self, LateEntryRule};

/// What kind of entry a timeline row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    Prn,
    Assessment,
    Addendum,
    Note,
    /// A change of allergies, precautions or code status (issue 20, point 9).
    Change,
    /// A risk screen: C-SSRS, Morse, RASS, SOWS, PAWSS (issue 16).
    Screen,
    /// The signed admission assessment or one of its addenda (issue 16).
    Admission,
    /// A medication order as entered, and its discontinuation.
    Order,
    OrderStop,
    /// An administration: given, held, refused or omitted.
    Dose,
    /// Vital signs taken on their own.
    Vitals,
    /// A documented call to the provider.
    Call,
    /// An emergency as charted.
    Event,
}

impl EntryKind {
    /// The kind's code in the timeline query.
    pub fn code(self) -> &'static str {
        match self {
            EntryKind::Prn => "prn",
            EntryKind::Assessment => "assessment",
            EntryKind::Addendum => "addendum",
            EntryKind::Note => "note",
            EntryKind::Change => "change",
            EntryKind::Screen => "screen",
            EntryKind::Admission => "admission",
            EntryKind::Order => "order",
            EntryKind::OrderStop => "order stop",
            EntryKind::Dose => "dose",
            EntryKind::Vitals => "vitals",
            EntryKind::Call => "call",
            EntryKind::Event => "event",
        }
    }
    /// The kind of a timeline query row.
    pub fn from_code(s: &str) -> EntryKind {
        match s {
            "prn" => EntryKind::Prn,
            "assessment" => EntryKind::Assessment,
            "addendum" => EntryKind::Addendum,
            "change" => EntryKind::Change,
            "screen" => EntryKind::Screen,
            "admission" => EntryKind::Admission,
            "order" => EntryKind::Order,
            "order stop" => EntryKind::OrderStop,
            "dose" => EntryKind::Dose,
            "vitals" => EntryKind::Vitals,
            "call" => EntryKind::Call,
            "event" => EntryKind::Event,
            _ => EntryKind::Note,
        }
    }
}

/// One line of a patient's timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineEntry {
    pub kind: EntryKind,
    pub id: i64,
    /// When it happened (event time; taken; given).
    pub at: DateTime<Utc>,
    /// When it was written (signed; recorded).
    pub written_at: DateTime<Utc>,
    /// Where it stands in the timeline: `at`, except an addendum never before its note.
    pub order_at: DateTime<Utc>,
    pub by: String,
    /// A one-line summary.
    pub summary: String,
}

impl TimelineEntry {
    /// Written past the unit's late-entry threshold after it happened.
    pub fn is_late_entry(&self, rule: LateEntryRule) -> bool {
        rule.is_late(self.at, self.written_at)
    }

    /// The words for its two times: a note's event and signing, a score's taking and recording.
    pub fn time_words(&self) -> (&'static str, &'static str) {
        match self.kind {
            EntryKind::Note | EntryKind::Addendum => note::NOTE_TIMES,
            EntryKind::Assessment => ("taken", "recorded"),
            EntryKind::Prn => ("given", "recorded"),
            EntryKind::Change => ("changed", "recorded"),
            EntryKind::Screen => ("taken", "recorded"),
            EntryKind::Admission => ("signed", "signed"),
            EntryKind::Order => ("ordered", "entered"),
            EntryKind::OrderStop => ("stopped", "recorded"),
            EntryKind::Dose => ("at", "recorded"),
            EntryKind::Vitals => ("taken", "recorded"),
            EntryKind::Call => ("called", "recorded"),
            EntryKind::Event => ("began", "recorded"),
        }
    }
}

/// Which kinds a timeline shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    All,
    Notes,
    Assessments,
    Prns,
}

impl Filter {
    pub fn next(self) -> Filter {
        match self {
            Filter::All => Filter::Notes,
            Filter::Notes => Filter::Assessments,
            Filter::Assessments => Filter::Prns,
            Filter::Prns => Filter::All,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Filter::All => "everything",
            Filter::Notes => "notes and addenda",
            Filter::Assessments => "assessments",
            Filter::Prns => "medications",
        }
    }
    /// Whether a timeline row of kind code `k` is shown.
    pub fn wants(self, k: &str) -> bool {
        match self {
            Filter::All => true,
            Filter::Notes => k == "note",
            Filter::Assessments => k == "assessment",
            Filter::Prns => k == "prn",
        }
    }
}
