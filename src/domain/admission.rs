//! The admission nursing assessment (REFERENCE.md §8): substance-use, withdrawal, medical and
//! psychiatric history and what was done on arrival. Every section is answered or explicitly
//! "not assessed" with a reason; none is defaulted ("Every field is either answered or explicitly
//! 'not assessed' with a reason; none is defaulted"). The risk screens the reference lists on
//! arrival (C-SSRS, Morse, PAWSS) and the vital signs are recorded as their own entries
//! (`domain::screen`, the scoring screen's vitals), not copied in here.
//!
//! A draft is saved every few seconds like a note's; signing locks it; a later section or a
//! correction is an addendum, which carries only the sections it gives ([`Assessment::overlay`]).
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::pawss::{Known, WithdrawalHistory};

/// The longest free-text field.
pub const MAX_TEXT: usize = 400;
/// The most substance rows.
pub const MAX_SUBSTANCES: usize = 12;

/// One section's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "status", content = "value", rename_all = "snake_case")]
pub enum Section<T> {
    /// Not yet filled in (a draft, or an addendum that leaves the section alone).
    #[default]
    Unanswered,
    Answered(T),
    /// "not assessed" with the reason (patient too intoxicated, refused, ...).
    NotAssessed {
        reason: String,
    },
}

impl<T> Section<T> {
    pub fn is_unanswered(&self) -> bool {
        matches!(self, Section::Unanswered)
    }

    pub fn answered(&self) -> Option<&T> {
        match self {
            Section::Answered(v) => Some(v),
            _ => None,
        }
    }
}

/// The five sections, in the form's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SectionKey {
    Substances,
    Withdrawal,
    Medical,
    Psychiatric,
    Arrival,
}

impl SectionKey {
    pub const ALL: [SectionKey; 5] = [
        SectionKey::Substances,
        SectionKey::Withdrawal,
        SectionKey::Medical,
        SectionKey::Psychiatric,
        SectionKey::Arrival,
    ];

    pub fn title(self) -> &'static str {
        match self {
            SectionKey::Substances => "Substance use",
            SectionKey::Withdrawal => "Withdrawal history",
            SectionKey::Medical => "Medical history",
            SectionKey::Psychiatric => "Psychiatric history",
            SectionKey::Arrival => "On arrival",
        }
    }

    /// The JSON key (`json_extract(body, '$.<key>.status')` in schema.sql).
    pub fn key(self) -> &'static str {
        match self {
            SectionKey::Substances => "substances",
            SectionKey::Withdrawal => "withdrawal",
            SectionKey::Medical => "medical",
            SectionKey::Psychiatric => "psychiatric",
            SectionKey::Arrival => "arrival",
        }
    }
}

/// One substance (REFERENCE.md §8: "substance, route (oral, smoked, intranasal, IV, ...), amount
/// and frequency, last use (date/time or "unknown"), age at first use, pattern (daily, binge,
/// ...)"). Each field as the patient gave it; "unknown" is an answer and must be typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubstanceUse {
    pub substance: String,
    pub route: String,
    pub amount_frequency: String,
    pub last_use: String,
    pub age_first_use: String,
    pub pattern: String,
}

impl SubstanceUse {
    pub const FIELDS: [&'static str; 6] =
        ["substance", "route", "amount and frequency", "last use", "age at first use", "pattern"];

    pub fn get(&self, i: usize) -> &str {
        [&self.substance, &self.route, &self.amount_frequency, &self.last_use, &self.age_first_use, &self.pattern][i]
    }

    pub fn get_mut(&mut self, i: usize) -> &mut String {
        match i {
            0 => &mut self.substance,
            1 => &mut self.route,
            2 => &mut self.amount_frequency,
            3 => &mut self.last_use,
            4 => &mut self.age_first_use,
            _ => &mut self.pattern,
        }
    }

    /// Names nicotine (REFERENCE.md §8: "Nicotine included").
    pub fn is_nicotine(&self) -> bool {
        let s = self.substance.to_lowercase();
        ["nicotine", "tobacco", "cigar", "vape", "vaping", "snus", "chew", "e-cig"].iter().any(|w| s.contains(w))
    }
}

/// The substance-use section: one row per substance, nicotine included; a patient who uses no
/// nicotine says so (`no_nicotine`), it is never assumed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Substances {
    pub rows: Vec<SubstanceUse>,
    pub no_nicotine: bool,
}

/// Pregnancy status "where relevant" (REFERENCE.md §8): "not applicable" is chosen, not assumed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pregnancy {
    Pregnant,
    NotPregnant,
    Unknown,
    NotApplicable,
}

impl Pregnancy {
    pub const ALL: [Pregnancy; 4] =
        [Pregnancy::Pregnant, Pregnancy::NotPregnant, Pregnancy::Unknown, Pregnancy::NotApplicable];

    pub fn label(self) -> &'static str {
        match self {
            Pregnancy::Pregnant => "pregnant",
            Pregnancy::NotPregnant => "not pregnant",
            Pregnancy::Unknown => "unknown",
            Pregnancy::NotApplicable => "not applicable",
        }
    }
}

/// REFERENCE.md §8: "active conditions (e.g. liver disease, seizure disorder, cardiac, diabetes,
/// HIV/HCV), current medications, pregnancy status where relevant, allergies (with reaction)".
/// "none" is typed, never assumed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Medical {
    pub conditions: String,
    pub medications: String,
    pub pregnancy: Pregnancy,
    /// Each allergy with its reaction ("penicillin: hives"), or "NKDA".
    pub allergies: String,
}

/// REFERENCE.md §8: "diagnoses (depression, anxiety, PTSD/trauma, bipolar, psychosis), prior
/// psychiatric hospitalisation, prior self-harm or suicide attempts, current outpatient care".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Psychiatric {
    pub diagnoses: String,
    pub hospitalisation: Known,
    pub self_harm: Known,
    pub outpatient_care: String,
}

/// A test on arrival (REFERENCE.md §8: "breathalyser/BAL and urine drug screen (result, time, or
/// 'not done')").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "done", rename_all = "snake_case")]
pub enum Test {
    Done {
        /// As read ("BrAC 0.12", "BAL 210 mg/dL", "positive: opiates, benzodiazepines").
        result: String,
        /// Positive (alcohol present; any substance detected): the PAWSS gate reads the BAL's.
        positive: bool,
        at: DateTime<Utc>,
    },
    NotDone {
        reason: String,
    },
}

impl Test {
    pub fn text(&self, local: impl Fn(DateTime<Utc>) -> String) -> String {
        match self {
            Test::Done { result, positive, at } => {
                let sign = if *positive { "positive" } else { "negative" };
                // "negative (negative)" says nothing twice: the sign only where the result lacks it.
                if result.trim().to_lowercase().starts_with(sign) {
                    format!("{} at {}", result.trim(), local(*at))
                } else {
                    format!("{} ({sign}) at {}", result.trim(), local(*at))
                }
            }
            Test::NotDone { reason } => format!("not done: {}", reason.trim()),
        }
    }
}

/// REFERENCE.md §8: "belongings/contraband search done (by whom, when)".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "done", rename_all = "snake_case")]
pub enum Search {
    Done {
        by: String,
        at: DateTime<Utc>,
        /// What was found and done with it, or "none".
        findings: String,
    },
    NotDone {
        reason: String,
    },
}

/// On arrival: BAL, urine drug screen, the belongings search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrival {
    pub bal: Test,
    pub uds: Test,
    pub search: Search,
}

/// The whole assessment (or, in an addendum, the sections it gives).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    #[serde(default)]
    pub substances: Section<Substances>,
    #[serde(default)]
    pub withdrawal: Section<WithdrawalHistory>,
    #[serde(default)]
    pub medical: Section<Medical>,
    #[serde(default)]
    pub psychiatric: Section<Psychiatric>,
    #[serde(default)]
    pub arrival: Section<Arrival>,
    /// A draft only: the form exactly as typed so far, so that a section begun but not yet
    /// whole (a choice still to make) survives a crash like a note's text does. Never part of a
    /// signed record: the store drops it at signing and the database refuses a signed row that
    /// holds one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<serde_json::Value>,
}

/// Why an assessment cannot be signed: each problem in words, naming its section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incomplete(pub Vec<String>);

impl fmt::Display for Incomplete {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("; "))
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn check_text(problems: &mut Vec<String>, section: SectionKey, field: &str, value: &str) {
    if blank(value) {
        problems.push(format!(
            "{}: {field} is empty (type \"none\" or \"unknown\" if that is the answer)",
            section.title()
        ));
    } else if value.chars().count() > MAX_TEXT {
        problems.push(format!("{}: {field} is longer than {MAX_TEXT} characters", section.title()));
    }
}

impl Assessment {
    /// The state of a section, whatever its type.
    pub fn status(&self, key: SectionKey) -> Status {
        fn of<T>(s: &Section<T>) -> Status {
            match s {
                Section::Unanswered => Status::Unanswered,
                Section::Answered(_) => Status::Answered,
                Section::NotAssessed { reason } => Status::NotAssessed(reason.clone()),
            }
        }
        match key {
            SectionKey::Substances => of(&self.substances),
            SectionKey::Withdrawal => of(&self.withdrawal),
            SectionKey::Medical => of(&self.medical),
            SectionKey::Psychiatric => of(&self.psychiatric),
            SectionKey::Arrival => of(&self.arrival),
        }
    }

    /// Marks a section "not assessed" with its reason.
    pub fn set_not_assessed(&mut self, key: SectionKey, reason: &str) {
        let reason = reason.trim().to_string();
        match key {
            SectionKey::Substances => self.substances = Section::NotAssessed { reason },
            SectionKey::Withdrawal => self.withdrawal = Section::NotAssessed { reason },
            SectionKey::Medical => self.medical = Section::NotAssessed { reason },
            SectionKey::Psychiatric => self.psychiatric = Section::NotAssessed { reason },
            SectionKey::Arrival => self.arrival = Section::NotAssessed { reason },
        }
    }

    /// The problems with the answered sections' fields; with `whole`, also each section neither
    /// answered nor marked "not assessed" (signing needs every section; an addendum only those it
    /// gives, and at least one).
    pub fn problems(&self, whole: bool) -> Vec<String> {
        let mut p = Vec::new();
        for key in SectionKey::ALL {
            match self.status(key) {
                Status::Unanswered if whole => {
                    p.push(format!("{}: answer it or mark it not assessed with a reason", key.title()))
                }
                Status::NotAssessed(r) if blank(&r) => p.push(format!("{}: not assessed needs a reason", key.title())),
                _ => {}
            }
        }
        if !whole && SectionKey::ALL.iter().all(|k| self.status(*k) == Status::Unanswered) {
            p.push("the addendum gives no section".into());
        }
        if let Section::Answered(s) = &self.substances {
            let k = SectionKey::Substances;
            if s.rows.is_empty() {
                p.push(format!("{}: no substance listed", k.title()));
            }
            if s.rows.len() > MAX_SUBSTANCES {
                p.push(format!("{}: at most {MAX_SUBSTANCES} substances", k.title()));
            }
            for (n, row) in s.rows.iter().enumerate() {
                for (i, field) in SubstanceUse::FIELDS.iter().enumerate() {
                    check_text(&mut p, k, &format!("row {} {field}", n + 1), row.get(i));
                }
            }
            let nicotine = s.rows.iter().any(SubstanceUse::is_nicotine);
            if !nicotine && !s.no_nicotine {
                p.push(format!("{}: nicotine not asked (add a nicotine row, or mark \"no nicotine use\")", k.title()));
            }
            if nicotine && s.no_nicotine {
                p.push(format!("{}: a nicotine row and \"no nicotine use\" disagree", k.title()));
            }
        }
        if let Section::Answered(m) = &self.medical {
            let k = SectionKey::Medical;
            check_text(&mut p, k, "active conditions", &m.conditions);
            check_text(&mut p, k, "current medications", &m.medications);
            check_text(&mut p, k, "allergies (with reaction)", &m.allergies);
        }
        if let Section::Answered(s) = &self.psychiatric {
            let k = SectionKey::Psychiatric;
            check_text(&mut p, k, "diagnoses", &s.diagnoses);
            check_text(&mut p, k, "current outpatient care", &s.outpatient_care);
        }
        if let Section::Answered(a) = &self.arrival {
            let k = SectionKey::Arrival;
            for (name, t) in [("BAL", &a.bal), ("urine drug screen", &a.uds)] {
                match t {
                    Test::Done { result, .. } => check_text(&mut p, k, &format!("{name} result"), result),
                    Test::NotDone { reason } => check_text(&mut p, k, &format!("{name} not done: reason"), reason),
                }
            }
            match &a.search {
                Search::Done { by, findings, .. } => {
                    check_text(&mut p, k, "search done by", by);
                    check_text(&mut p, k, "search findings", findings);
                }
                Search::NotDone { reason } => check_text(&mut p, k, "search not done: reason", reason),
            }
        }
        p
    }

    /// Ready to sign: every section answered or not assessed, every answered field given.
    pub fn ready_to_sign(&self) -> Result<(), Incomplete> {
        let p = self.problems(true);
        if p.is_empty() { Ok(()) } else { Err(Incomplete(p)) }
    }

    /// An addendum's sections laid over the assessment they correct or complete: each section the
    /// addendum gives replaces the one before; the others stay.
    pub fn overlay(&mut self, addendum: &Assessment) {
        if !addendum.substances.is_unanswered() {
            self.substances = addendum.substances.clone();
        }
        if !addendum.withdrawal.is_unanswered() {
            self.withdrawal = addendum.withdrawal.clone();
        }
        if !addendum.medical.is_unanswered() {
            self.medical = addendum.medical.clone();
        }
        if !addendum.psychiatric.is_unanswered() {
            self.psychiatric = addendum.psychiatric.clone();
        }
        if !addendum.arrival.is_unanswered() {
            self.arrival = addendum.arrival.clone();
        }
    }

    /// The sections still open: not assessed, or not answered.
    pub fn incomplete(&self) -> Vec<SectionKey> {
        SectionKey::ALL.into_iter().filter(|k| self.status(*k) != Status::Answered).collect()
    }

    /// The assessment without the draft's form: what is signed.
    pub fn without_form(&self) -> Assessment {
        Assessment { form: None, ..self.clone() }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an assessment always serializes")
    }

    pub fn from_json(s: &str) -> Result<Assessment, String> {
        serde_json::from_str(s).map_err(|e| format!("the admission assessment is unreadable: {e}"))
    }
}

/// A section's state, without its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Unanswered,
    Answered,
    NotAssessed(String),
}

/// One stored admission assessment or addendum, with who and when.
#[derive(Clone, Debug, PartialEq)]
pub struct AdmissionEntry {
    pub id: i64,
    pub stay_id: i64,
    pub addendum_to: Option<i64>,
    pub author_id: i64,
    /// "Ana Ortiz, RN": as stored at signing, or the draft's author as the account shows now.
    pub author: String,
    pub started_at: DateTime<Utc>,
    pub saved_at: DateTime<Utc>,
    pub signed_at: Option<DateTime<Utc>>,
    pub body: Assessment,
    /// An addendum's own words (why it corrects or completes).
    pub note: Option<String>,
}

/// A stay's admission assessment: the original (draft or signed) and its signed addenda.
#[derive(Clone, Debug, PartialEq)]
pub struct AdmissionRecord {
    pub original: AdmissionEntry,
    pub addenda: Vec<AdmissionEntry>,
}

impl AdmissionRecord {
    /// The assessment as it stands: the original with every addendum laid over it, in order.
    pub fn effective(&self) -> Assessment {
        let mut a = self.original.body.clone();
        for add in &self.addenda {
            a.overlay(&add.body);
        }
        a
    }

    pub fn signed(&self) -> bool {
        self.original.signed_at.is_some()
    }

    /// What the census and the handoff say: "in progress (Ana Ortiz, RN)", "signed; not
    /// assessed: Psychiatric history", "complete".
    pub fn state_text(&self) -> String {
        if !self.signed() {
            return format!("in progress ({})", self.original.author);
        }
        let open = self.effective().incomplete();
        if open.is_empty() {
            "complete".into()
        } else {
            let names: Vec<&str> = open.iter().map(|k| k.title()).collect();
            format!("not assessed: {}", names.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 2, 0, 0).unwrap()
    }

    pub(crate) fn complete() -> Assessment {
        let row = |s: &str| SubstanceUse {
            substance: s.into(),
            route: "oral".into(),
            amount_frequency: "1 L vodka daily".into(),
            last_use: "yesterday 22:00".into(),
            age_first_use: "15".into(),
            pattern: "daily".into(),
        };
        Assessment {
            substances: Section::Answered(Substances {
                rows: vec![row("alcohol"), row("nicotine")],
                no_nicotine: false,
            }),
            withdrawal: Section::Answered(WithdrawalHistory {
                prior_withdrawal: Known::Yes,
                seizures: Known::No,
                delirium_tremens: Known::Unknown,
                treatment: Known::Yes,
            }),
            medical: Section::Answered(Medical {
                conditions: "none".into(),
                medications: "none".into(),
                pregnancy: Pregnancy::NotApplicable,
                allergies: "NKDA".into(),
            }),
            psychiatric: Section::NotAssessed { reason: "too intoxicated to answer".into() },
            arrival: Section::Answered(Arrival {
                bal: Test::Done { result: "BrAC 0.12".into(), positive: true, at: at() },
                uds: Test::NotDone { reason: "unable to void".into() },
                search: Search::Done { by: "Ana Ortiz, RN".into(), at: at(), findings: "none".into() },
            }),
            form: None,
        }
    }

    #[test]
    fn nothing_is_defaulted_an_empty_assessment_lists_every_section() {
        let err = Assessment::default().ready_to_sign().unwrap_err();
        assert_eq!(err.0.len(), 5, "{err}");
        assert!(complete().ready_to_sign().is_ok());
    }

    #[test]
    fn nicotine_must_be_asked_and_blank_fields_are_refused() {
        let mut a = complete();
        if let Section::Answered(s) = &mut a.substances {
            s.rows.pop();
        }
        assert!(a.ready_to_sign().unwrap_err().to_string().contains("nicotine"));
        if let Section::Answered(s) = &mut a.substances {
            s.no_nicotine = true;
            s.rows[0].last_use = "  ".into();
        }
        let e = a.ready_to_sign().unwrap_err().to_string();
        assert!(e.contains("row 1 last use is empty"), "{e}");
        a.set_not_assessed(SectionKey::Medical, " ");
        assert!(a.ready_to_sign().unwrap_err().to_string().contains("needs a reason"));
    }

    #[test]
    fn an_addendum_completes_a_not_assessed_section_and_round_trips() {
        let original = complete();
        assert_eq!(original.incomplete(), vec![SectionKey::Psychiatric]);
        let add = Assessment {
            psychiatric: Section::Answered(Psychiatric {
                diagnoses: "depression".into(),
                hospitalisation: Known::No,
                self_harm: Known::Yes,
                outpatient_care: "none".into(),
            }),
            ..Assessment::default()
        };
        assert!(add.problems(false).is_empty());
        assert!(!Assessment::default().problems(false).is_empty(), "an empty addendum is refused");
        let mut eff = original.clone();
        eff.overlay(&add);
        assert!(eff.incomplete().is_empty());
        assert_eq!(eff.substances, original.substances);
        let json = eff.to_json();
        assert!(json.contains(r#""psychiatric":{"status":"answered""#), "{json}");
        assert_eq!(Assessment::from_json(&json).unwrap(), eff);
    }
}
