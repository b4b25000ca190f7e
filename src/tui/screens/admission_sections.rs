//! The admission assessment's five sections as the nurse fills them in (REFERENCE.md §8): the
//! fields of each, the answers as typed and chosen so far (nothing chosen for her: every choice
//! starts unanswered), and the conversion to and from [`Assessment`] for the draft, signing and
//! an addendum. The component that holds it is `admission.rs`.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::admission::{
    Arrival, Assessment, Medical, Pregnancy, Psychiatric, Search, Section, SectionKey, SubstanceUse, Substances, Test,
};
use crate::domain::pawss::{HistoryField, ITEMS, Known, WithdrawalHistory};
use crate::domain::time::{TimeRule, local, local_short, parse_time, span};

/// Which of the two tests on arrival (REFERENCE.md §8: "breathalyser/BAL and urine drug screen").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Bal,
    Uds,
}

impl Which {
    pub fn name(self) -> &'static str {
        match self {
            Which::Bal => "Breathalyser/BAL",
            Which::Uds => "Urine drug screen",
        }
    }
}

/// The withdrawal-history questions in REFERENCE.md §8's order.
pub const HISTORY: [HistoryField; 4] =
    [HistoryField::PriorWithdrawal, HistoryField::Seizures, HistoryField::DeliriumTremens, HistoryField::Treatment];

/// One field of a section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum F {
    /// Substance row, column (`SubstanceUse::FIELDS`).
    Sub(usize, usize),
    NoNicotine,
    History(usize),
    Conditions,
    Medications,
    Pregnancy,
    Allergies,
    Diagnoses,
    Hospitalisation,
    SelfHarm,
    Outpatient,
    TestDone(Which),
    TestResult(Which),
    TestPositive(Which),
    TestTime(Which),
    TestReason(Which),
    SearchDone,
    SearchBy,
    SearchTime,
    SearchFindings,
    SearchReason,
    /// The reason a section is not assessed.
    Reason,
}

/// How a field is answered: typed, or chosen with keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Time,
    /// The letters that choose, shown beside it.
    Choice(&'static str),
}

impl F {
    pub fn kind(self) -> FieldKind {
        match self {
            F::NoNicotine => FieldKind::Choice("Space/y marks, n clears"),
            F::History(_) | F::Hospitalisation | F::SelfHarm => FieldKind::Choice("y/n/u"),
            F::Pregnancy => FieldKind::Choice("p/n/u, a n/a"),
            F::TestDone(_) | F::SearchDone => FieldKind::Choice("d done, n not done"),
            F::TestPositive(_) => FieldKind::Choice("y/n"),
            F::TestTime(_) | F::SearchTime => FieldKind::Time,
            _ => FieldKind::Text,
        }
    }

    pub fn label(self) -> String {
        match self {
            F::Sub(_, c) => SubstanceUse::FIELDS[c.min(5)].to_string(),
            F::NoNicotine => "no nicotine use".into(),
            F::History(i) => HISTORY[i.min(3)].label().to_string(),
            F::Conditions => "active conditions".into(),
            F::Medications => "current medications".into(),
            F::Pregnancy => "pregnancy status".into(),
            F::Allergies => "allergies (with reaction)".into(),
            F::Diagnoses => "diagnoses".into(),
            F::Hospitalisation => "prior psychiatric hospitalisation".into(),
            F::SelfHarm => "prior self-harm or suicide attempts".into(),
            F::Outpatient => "current outpatient care".into(),
            F::TestDone(w) => w.name().into(),
            F::TestResult(_) => "result".into(),
            F::TestPositive(_) => "positive".into(),
            F::TestTime(_) => "time".into(),
            F::TestReason(_) | F::SearchReason => "not done because".into(),
            F::SearchDone => "Belongings/contraband search".into(),
            F::SearchBy => "done by".into(),
            F::SearchTime => "when".into(),
            F::SearchFindings => "findings".into(),
            F::Reason => "not assessed because".into(),
        }
    }

    /// What to type, under the fields.
    pub fn hint(self) -> &'static str {
        match self {
            F::Sub(_, 0) => "alcohol, opioids (fentanyl), nicotine (cigarettes), ...",
            F::Sub(_, 1) => "oral, smoked, intranasal, IV, ...",
            F::Sub(_, 2) => "e.g. 1 L vodka daily",
            F::Sub(_, 3) => "date/time as the patient gives it, or unknown",
            F::Sub(_, 4) => "years, or unknown",
            F::Sub(..) => "daily, binge, ...",
            F::NoNicotine => "the patient says they use no nicotine (else add a nicotine row)",
            F::History(_) | F::Hospitalisation | F::SelfHarm => "y yes · n no · u unknown",
            F::Conditions => "liver disease, seizure disorder, cardiac, diabetes, HIV/HCV; or none",
            F::Medications => "name, dose, frequency; or none",
            F::Pregnancy => "p pregnant · n not pregnant · u unknown · a not applicable",
            F::Allergies => "each with its reaction (penicillin: hives), or NKDA",
            F::Diagnoses => "depression, anxiety, PTSD/trauma, bipolar, psychosis; or none",
            F::Outpatient => "who and how often; or none",
            F::TestDone(_) | F::SearchDone => "d done · n not done",
            F::TestResult(Which::Bal) => "as read, e.g. BrAC 0.12 or BAL 210 mg/dL",
            F::TestResult(Which::Uds) => "as read, e.g. positive: opiates; or negative",
            F::TestPositive(_) => "y positive · n negative",
            F::TestTime(_) | F::SearchTime => "now, -15m, 08:30 or YYYY-MM-DD HH:MM (ward time)",
            F::TestReason(_) | F::SearchReason => "why not: refused, unable to void, ...",
            F::SearchBy => "the name of who searched",
            F::SearchFindings => "what was found and done with it, or none",
            F::Reason => "patient too intoxicated, refused, ...",
        }
    }
}

/// A time as typed, and what it was read as when typed (the draft keeps the instant, so a
/// "now" or "-15m" is not read again later).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TypedTime {
    pub text: String,
    pub at: Option<DateTime<Utc>>,
    pub refused: Option<String>,
}

impl TypedTime {
    fn from(at: DateTime<Utc>, tz: Tz) -> TypedTime {
        TypedTime { text: at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(), at: Some(at), refused: None }
    }

    /// Read the text again (after an edit), with the existing time parser (charted: never ahead).
    pub fn read(&mut self, label: &str, now: DateTime<Utc>, tz: Tz) {
        if self.text.trim().is_empty() {
            (self.at, self.refused) = (None, None);
            return;
        }
        match parse_time(label, &self.text, now, tz, TimeRule::Charted) {
            Ok(at) => (self.at, self.refused) = (Some(at), None),
            Err(e) => (self.at, self.refused) = (None, Some(e)),
        }
    }

    /// The echo beside the field: what the typed time was read as.
    pub fn echo(&self, now: DateTime<Utc>, tz: Tz) -> Option<(String, bool)> {
        match (&self.at, &self.refused) {
            (Some(at), _) => Some((format!("→ {} ({} ago)", local_short(*at, now, tz), span(now - *at)), false)),
            (None, Some(e)) => Some((format!("not a time yet: {e}"), true)),
            _ => None,
        }
    }
}

/// A test on arrival as filled in so far.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TestForm {
    pub done: Option<bool>,
    pub result: String,
    pub positive: Option<bool>,
    pub time: TypedTime,
    pub reason: String,
}

/// The belongings search as filled in so far.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SearchForm {
    pub done: Option<bool>,
    pub by: String,
    pub time: TypedTime,
    pub findings: String,
    pub reason: String,
}

/// The whole assessment as filled in so far: every choice `None` until made.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Draft {
    /// A section marked "not assessed", with its reason as typed.
    pub not_assessed: [Option<String>; 5],
    pub rows: Vec<SubstanceUse>,
    pub no_nicotine: bool,
    pub history: [Option<Known>; 4],
    pub conditions: String,
    pub medications: String,
    pub pregnancy: Option<Pregnancy>,
    pub allergies: String,
    pub diagnoses: String,
    pub hospitalisation: Option<Known>,
    pub self_harm: Option<Known>,
    pub outpatient: String,
    pub bal: TestForm,
    pub uds: TestForm,
    pub search: SearchForm,
}

impl Default for Draft {
    fn default() -> Draft {
        Draft {
            not_assessed: Default::default(),
            // One empty row to type in: an empty row is not an answer (the section stays
            // unanswered until something is typed).
            rows: vec![SubstanceUse::default()],
            no_nicotine: false,
            history: [None; 4],
            conditions: String::new(),
            medications: String::new(),
            pregnancy: None,
            allergies: String::new(),
            diagnoses: String::new(),
            hospitalisation: None,
            self_harm: None,
            outpatient: String::new(),
            bal: TestForm::default(),
            uds: TestForm::default(),
            search: SearchForm::default(),
        }
    }
}

pub fn idx(key: SectionKey) -> usize {
    SectionKey::ALL.iter().position(|k| *k == key).unwrap_or(0)
}

pub fn known_label(k: Known) -> &'static str {
    match k {
        Known::Yes => "yes",
        Known::No => "no",
        Known::Unknown => "unknown",
    }
}

fn yes_no(b: bool, yes: &'static str, no: &'static str) -> &'static str {
    if b { yes } else { no }
}

/// A section's content as far as it goes: given (all it needs chosen), nothing yet, or begun with a
/// choice still to make (which a draft cannot hold until it is made).
pub enum Built<T> {
    Given(T),
    Empty,
    Partial(Vec<&'static str>),
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

impl Draft {
    /// The fields of a section, in order (they follow the choices made: a test "not done" asks
    /// for the reason instead of the result).
    pub fn fields(&self, key: SectionKey) -> Vec<F> {
        if self.not_assessed[idx(key)].is_some() {
            return vec![F::Reason];
        }
        match key {
            SectionKey::Substances => {
                let mut v: Vec<F> = (0..self.rows.len()).flat_map(|r| (0..6).map(move |c| F::Sub(r, c))).collect();
                v.push(F::NoNicotine);
                v
            }
            SectionKey::Withdrawal => (0..4).map(F::History).collect(),
            SectionKey::Medical => vec![F::Conditions, F::Medications, F::Pregnancy, F::Allergies],
            SectionKey::Psychiatric => vec![F::Diagnoses, F::Hospitalisation, F::SelfHarm, F::Outpatient],
            SectionKey::Arrival => {
                let mut v = Vec::new();
                for (w, t) in [(Which::Bal, &self.bal), (Which::Uds, &self.uds)] {
                    v.push(F::TestDone(w));
                    match t.done {
                        Some(true) => v.extend([F::TestResult(w), F::TestPositive(w), F::TestTime(w)]),
                        Some(false) => v.push(F::TestReason(w)),
                        None => {}
                    }
                }
                v.push(F::SearchDone);
                match self.search.done {
                    Some(true) => v.extend([F::SearchBy, F::SearchTime, F::SearchFindings]),
                    Some(false) => v.push(F::SearchReason),
                    None => {}
                }
                v
            }
        }
    }

    fn test(&self, w: Which) -> &TestForm {
        match w {
            Which::Bal => &self.bal,
            Which::Uds => &self.uds,
        }
    }

    fn test_mut(&mut self, w: Which) -> &mut TestForm {
        match w {
            Which::Bal => &mut self.bal,
            Which::Uds => &mut self.uds,
        }
    }

    /// The typed text of a text or time field (`None` for a choice).
    pub fn text_mut(&mut self, key: SectionKey, f: F) -> Option<&mut String> {
        Some(match f {
            F::Sub(r, c) => self.rows.get_mut(r)?.get_mut(c),
            F::Conditions => &mut self.conditions,
            F::Medications => &mut self.medications,
            F::Allergies => &mut self.allergies,
            F::Diagnoses => &mut self.diagnoses,
            F::Outpatient => &mut self.outpatient,
            F::TestResult(w) => &mut self.test_mut(w).result,
            F::TestTime(w) => &mut self.test_mut(w).time.text,
            F::TestReason(w) => &mut self.test_mut(w).reason,
            F::SearchBy => &mut self.search.by,
            F::SearchTime => &mut self.search.time.text,
            F::SearchFindings => &mut self.search.findings,
            F::SearchReason => &mut self.search.reason,
            F::Reason => self.not_assessed[idx(key)].as_mut()?,
            _ => return None,
        })
    }

    pub fn text(&self, key: SectionKey, f: F) -> String {
        let mut copy = self.clone();
        copy.text_mut(key, f).map(|s| s.clone()).unwrap_or_default()
    }

    /// After a time field's text changed: read it again.
    pub fn reread_time(&mut self, f: F, now: DateTime<Utc>, tz: Tz) {
        match f {
            F::TestTime(w) => self.test_mut(w).time.read(&format!("{} time", w.name()), now, tz),
            F::SearchTime => self.search.time.read("Search time", now, tz),
            _ => {}
        }
    }

    pub fn time(&self, f: F) -> Option<&TypedTime> {
        match f {
            F::TestTime(w) => Some(&self.test(w).time),
            F::SearchTime => Some(&self.search.time),
            _ => None,
        }
    }

    /// A choice field's answer as shown ("yes", "not done"), or `None` while unanswered.
    pub fn choice(&self, f: F) -> Option<&'static str> {
        match f {
            F::NoNicotine => self.no_nicotine.then_some("[x] no nicotine use"),
            F::History(i) => self.history[i.min(3)].map(known_label),
            F::Hospitalisation => self.hospitalisation.map(known_label),
            F::SelfHarm => self.self_harm.map(known_label),
            F::Pregnancy => self.pregnancy.map(Pregnancy::label),
            F::TestDone(w) => self.test(w).done.map(|d| yes_no(d, "done", "not done")),
            F::TestPositive(w) => self.test(w).positive.map(|p| yes_no(p, "positive", "negative")),
            F::SearchDone => self.search.done.map(|d| yes_no(d, "done", "not done")),
            _ => None,
        }
    }

    /// A key on a choice field: a letter chooses, ←/→ and Space step through the answers,
    /// Backspace clears. Returns whether it changed anything.
    pub fn choose(&mut self, f: F, c: Option<char>, step: i32, clear: bool) -> bool {
        fn pick<T: Copy + PartialEq>(
            cur: &mut Option<T>,
            all: &[T],
            letter: Option<T>,
            step: i32,
            clear: bool,
        ) -> bool {
            let before = *cur;
            if clear {
                *cur = None;
            } else if let Some(v) = letter {
                *cur = Some(v);
            } else if step != 0 {
                let n = all.len() as i32;
                let i = cur
                    .and_then(|v| all.iter().position(|a| *a == v))
                    .map_or(if step > 0 { 0 } else { n - 1 }, |i| (i as i32 + step).rem_euclid(n));
                *cur = Some(all[i as usize]);
            }
            *cur != before
        }
        let known = |c: Option<char>| match c {
            Some('y') => Some(Known::Yes),
            Some('n') => Some(Known::No),
            Some('u') => Some(Known::Unknown),
            _ => None,
        };
        let done = |c: Option<char>| match c {
            Some('d') => Some(true),
            Some('n') => Some(false),
            _ => None,
        };
        const KNOWN: [Known; 3] = [Known::Yes, Known::No, Known::Unknown];
        match f {
            F::NoNicotine => {
                let before = self.no_nicotine;
                self.no_nicotine = match c {
                    Some(' ') => !before,
                    Some('y') | Some('x') => true,
                    Some('n') => false,
                    _ if clear => false,
                    _ if step != 0 => !before,
                    _ => before,
                };
                self.no_nicotine != before
            }
            F::History(i) => pick(&mut self.history[i.min(3)], &KNOWN, known(c), step, clear),
            F::Hospitalisation => pick(&mut self.hospitalisation, &KNOWN, known(c), step, clear),
            F::SelfHarm => pick(&mut self.self_harm, &KNOWN, known(c), step, clear),
            F::Pregnancy => {
                let letter = match c {
                    Some('p') => Some(Pregnancy::Pregnant),
                    Some('n') => Some(Pregnancy::NotPregnant),
                    Some('u') => Some(Pregnancy::Unknown),
                    Some('a') => Some(Pregnancy::NotApplicable),
                    _ => None,
                };
                pick(&mut self.pregnancy, &Pregnancy::ALL, letter, step, clear)
            }
            F::TestDone(w) => pick(&mut self.test_mut(w).done, &[true, false], done(c), step, clear),
            F::SearchDone => pick(&mut self.search.done, &[true, false], done(c), step, clear),
            F::TestPositive(w) => {
                let letter = match c {
                    Some('y') | Some('p') => Some(true),
                    Some('n') => Some(false),
                    _ => None,
                };
                pick(&mut self.test_mut(w).positive, &[true, false], letter, step, clear)
            }
            _ => false,
        }
    }

    /// Mark a section "not assessed" (the reason typed next), or take the mark away (the answers
    /// typed before are still there).
    pub fn toggle_not_assessed(&mut self, key: SectionKey) -> bool {
        let slot = &mut self.not_assessed[idx(key)];
        *slot = match slot {
            Some(_) => None,
            None => Some(String::new()),
        };
        slot.is_some()
    }

    fn substances(&self) -> Built<Substances> {
        let rows: Vec<SubstanceUse> = self.rows.iter().filter(|r| (0..6).any(|i| !blank(r.get(i)))).cloned().collect();
        if rows.is_empty() && !self.no_nicotine {
            return Built::Empty;
        }
        Built::Given(Substances { rows, no_nicotine: self.no_nicotine })
    }

    fn withdrawal(&self) -> Built<WithdrawalHistory> {
        match self.history {
            [Some(a), Some(b), Some(c), Some(d)] => {
                Built::Given(WithdrawalHistory { prior_withdrawal: a, seizures: b, delirium_tremens: c, treatment: d })
            }
            [None, None, None, None] => Built::Empty,
            h => Built::Partial(h.iter().zip(HISTORY).filter(|(a, _)| a.is_none()).map(|(_, f)| f.label()).collect()),
        }
    }

    fn medical(&self) -> Built<Medical> {
        let m = |pregnancy| Medical {
            conditions: self.conditions.clone(),
            medications: self.medications.clone(),
            pregnancy,
            allergies: self.allergies.clone(),
        };
        match self.pregnancy {
            Some(p) => Built::Given(m(p)),
            None if [&self.conditions, &self.medications, &self.allergies].iter().all(|s| blank(s)) => Built::Empty,
            None => Built::Partial(vec!["pregnancy status"]),
        }
    }

    fn psychiatric(&self) -> Built<Psychiatric> {
        match (self.hospitalisation, self.self_harm) {
            (Some(h), Some(s)) => Built::Given(Psychiatric {
                diagnoses: self.diagnoses.clone(),
                hospitalisation: h,
                self_harm: s,
                outpatient_care: self.outpatient.clone(),
            }),
            (None, None) if blank(&self.diagnoses) && blank(&self.outpatient) => Built::Empty,
            (h, s) => {
                let mut missing = Vec::new();
                if h.is_none() {
                    missing.push("prior psychiatric hospitalisation");
                }
                if s.is_none() {
                    missing.push("prior self-harm or suicide attempts");
                }
                Built::Partial(missing)
            }
        }
    }

    fn arrival(&self) -> Built<Arrival> {
        let mut missing = Vec::new();
        let mut test = |t: &TestForm, w: Which| match t.done {
            Some(true) => {
                if t.positive.is_none() {
                    missing.push(match w {
                        Which::Bal => "BAL positive or negative",
                        Which::Uds => "drug screen positive or negative",
                    });
                }
                if t.time.at.is_none() {
                    missing.push(match w {
                        Which::Bal => "BAL time",
                        Which::Uds => "drug screen time",
                    });
                }
                match (t.positive, t.time.at) {
                    (Some(positive), Some(at)) => Some(Test::Done { result: t.result.clone(), positive, at }),
                    _ => None,
                }
            }
            Some(false) => Some(Test::NotDone { reason: t.reason.clone() }),
            None => {
                missing.push(match w {
                    Which::Bal => "BAL done or not done",
                    Which::Uds => "drug screen done or not done",
                });
                None
            }
        };
        let bal = test(&self.bal, Which::Bal);
        let uds = test(&self.uds, Which::Uds);
        let search = match self.search.done {
            Some(true) => match self.search.time.at {
                Some(at) => {
                    Some(Search::Done { by: self.search.by.clone(), at, findings: self.search.findings.clone() })
                }
                None => {
                    missing.push("search time");
                    None
                }
            },
            Some(false) => Some(Search::NotDone { reason: self.search.reason.clone() }),
            None => {
                missing.push("search done or not done");
                None
            }
        };
        match (bal, uds, search) {
            (Some(bal), Some(uds), Some(search)) => Built::Given(Arrival { bal, uds, search }),
            _ if self.built_is_empty_arrival() => Built::Empty,
            _ => Built::Partial(missing),
        }
    }

    fn built_is_empty_arrival(&self) -> bool {
        self.bal == TestForm::default() && self.uds == TestForm::default() && self.search == SearchForm::default()
    }

    /// What of a section is still to choose before the draft can hold it (empty: it can).
    pub fn partial(&self, key: SectionKey) -> Vec<&'static str> {
        if self.not_assessed[idx(key)].is_some() {
            return Vec::new();
        }
        match key {
            SectionKey::Substances => Vec::new(),
            SectionKey::Withdrawal => as_missing(self.withdrawal()),
            SectionKey::Medical => as_missing(self.medical()),
            SectionKey::Psychiatric => as_missing(self.psychiatric()),
            SectionKey::Arrival if self.built_is_empty_arrival() => Vec::new(),
            SectionKey::Arrival => as_missing(self.arrival()),
        }
    }

    /// The sections with a choice still to make, in words ("Medical history: pregnancy status").
    pub fn unfinished(&self) -> Vec<String> {
        SectionKey::ALL
            .iter()
            .filter_map(|k| {
                let m = self.partial(*k);
                (!m.is_empty()).then(|| format!("{}: choose {}", k.title(), m.join(", ")))
            })
            .collect()
    }

    /// The assessment as the draft (or an addendum) holds it: each section answered, not assessed,
    /// or unanswered (nothing given yet, or a choice still to make).
    pub fn body(&self) -> Assessment {
        fn section<T>(na: &Option<String>, b: Built<T>) -> Section<T> {
            match (na, b) {
                (Some(reason), _) => Section::NotAssessed { reason: reason.clone() },
                (None, Built::Given(v)) => Section::Answered(v),
                _ => Section::Unanswered,
            }
        }
        let na = &self.not_assessed;
        Assessment {
            substances: section(&na[0], self.substances()),
            withdrawal: section(&na[1], self.withdrawal()),
            medical: section(&na[2], self.medical()),
            psychiatric: section(&na[3], self.psychiatric()),
            arrival: section(&na[4], if self.built_is_empty_arrival() { Built::Empty } else { self.arrival() }),
            form: None,
        }
    }

    /// The body an autosave writes: the sections as far as they are whole, and the form exactly
    /// as typed, so a section begun but not whole is not lost to a crash.
    pub fn saved_body(&self) -> Assessment {
        Assessment { form: serde_json::to_value(self).ok(), ..self.body() }
    }

    /// Only one section's part of the body (an addendum gives the sections it gives).
    pub fn body_of(&self, key: SectionKey) -> Assessment {
        let full = self.body();
        let mut a = Assessment::default();
        match key {
            SectionKey::Substances => a.substances = full.substances,
            SectionKey::Withdrawal => a.withdrawal = full.withdrawal,
            SectionKey::Medical => a.medical = full.medical,
            SectionKey::Psychiatric => a.psychiatric = full.psychiatric,
            SectionKey::Arrival => a.arrival = full.arrival,
        }
        a
    }

    /// The draft as a saved assessment left it (resuming after a close, a lock or a crash).
    pub fn from_body(a: &Assessment, tz: Tz) -> Draft {
        // A draft saved with its form resumes exactly as it was typed.
        if let Some(d) = a.form.as_ref().and_then(|f| serde_json::from_value::<Draft>(f.clone()).ok()) {
            return d;
        }
        let mut d = Draft::default();
        fn na<T>(s: &Section<T>) -> Option<String> {
            match s {
                Section::NotAssessed { reason } => Some(reason.clone()),
                _ => None,
            }
        }
        d.not_assessed = [na(&a.substances), na(&a.withdrawal), na(&a.medical), na(&a.psychiatric), na(&a.arrival)];
        if let Section::Answered(s) = &a.substances {
            d.rows = if s.rows.is_empty() { vec![SubstanceUse::default()] } else { s.rows.clone() };
            d.no_nicotine = s.no_nicotine;
        }
        if let Section::Answered(h) = &a.withdrawal {
            d.history = [Some(h.prior_withdrawal), Some(h.seizures), Some(h.delirium_tremens), Some(h.treatment)];
        }
        if let Section::Answered(m) = &a.medical {
            d.conditions = m.conditions.clone();
            d.medications = m.medications.clone();
            d.pregnancy = Some(m.pregnancy);
            d.allergies = m.allergies.clone();
        }
        if let Section::Answered(p) = &a.psychiatric {
            d.diagnoses = p.diagnoses.clone();
            d.hospitalisation = Some(p.hospitalisation);
            d.self_harm = Some(p.self_harm);
            d.outpatient = p.outpatient_care.clone();
        }
        if let Section::Answered(ar) = &a.arrival {
            let test = |t: &Test| match t {
                Test::Done { result, positive, at } => TestForm {
                    done: Some(true),
                    result: result.clone(),
                    positive: Some(*positive),
                    time: TypedTime::from(*at, tz),
                    reason: String::new(),
                },
                Test::NotDone { reason } => {
                    TestForm { done: Some(false), reason: reason.clone(), ..TestForm::default() }
                }
            };
            d.bal = test(&ar.bal);
            d.uds = test(&ar.uds);
            d.search = match &ar.search {
                Search::Done { by, at, findings } => SearchForm {
                    done: Some(true),
                    by: by.clone(),
                    time: TypedTime::from(*at, tz),
                    findings: findings.clone(),
                    reason: String::new(),
                },
                Search::NotDone { reason } => {
                    SearchForm { done: Some(false), reason: reason.clone(), ..SearchForm::default() }
                }
            };
        }
        d
    }
}

fn as_missing<T>(b: Built<T>) -> Vec<&'static str> {
    match b {
        Built::Partial(m) => m,
        _ => Vec::new(),
    }
}

/// The PAWSS item a withdrawal-history question feeds (REFERENCE.md §8: "these feed PAWSS items
/// 2, 3, 5, 6: shown, never auto-scored"), from `pawss::ITEMS`.
pub fn pawss_item(field: HistoryField) -> Option<u8> {
    ITEMS.iter().find(|i| i.history == Some(field)).map(|i| i.number)
}

/// A section of a stored assessment in words, for reading (the signed view, the signing preview).
pub fn section_lines(a: &Assessment, key: SectionKey, tz: Tz) -> Vec<String> {
    fn status<T>(s: &Section<T>) -> Option<Vec<String>> {
        match s {
            Section::Unanswered => Some(vec!["not yet answered".into()]),
            Section::NotAssessed { reason } => Some(vec![format!("not assessed: {}", reason.trim())]),
            Section::Answered(_) => None,
        }
    }
    let kv = |k: &str, v: &str| format!("{k}: {}", if v.trim().is_empty() { "(empty)" } else { v.trim() });
    match key {
        SectionKey::Substances => status(&a.substances).unwrap_or_else(|| {
            let mut out = Vec::new();
            if let Section::Answered(s) = &a.substances {
                for (n, r) in s.rows.iter().enumerate() {
                    out.push(format!(
                        "{}. {} · {} · {}",
                        n + 1,
                        r.substance.trim(),
                        r.route.trim(),
                        r.amount_frequency.trim()
                    ));
                    out.push(format!(
                        "   last use {} · first use age {} · {}",
                        r.last_use.trim(),
                        r.age_first_use.trim(),
                        r.pattern.trim()
                    ));
                }
                if s.no_nicotine {
                    out.push("no nicotine use".into());
                }
            }
            out
        }),
        SectionKey::Withdrawal => status(&a.withdrawal).unwrap_or_else(|| {
            let mut out = Vec::new();
            if let Section::Answered(h) = &a.withdrawal {
                for f in HISTORY {
                    out.push(kv(f.label(), known_label(h.get(f))));
                }
            }
            out
        }),
        SectionKey::Medical => status(&a.medical).unwrap_or_else(|| match &a.medical {
            Section::Answered(m) => vec![
                kv("active conditions", &m.conditions),
                kv("current medications", &m.medications),
                kv("pregnancy status", m.pregnancy.label()),
                kv("allergies", &m.allergies),
            ],
            _ => Vec::new(),
        }),
        SectionKey::Psychiatric => status(&a.psychiatric).unwrap_or_else(|| match &a.psychiatric {
            Section::Answered(p) => vec![
                kv("diagnoses", &p.diagnoses),
                kv("prior psychiatric hospitalisation", known_label(p.hospitalisation)),
                kv("prior self-harm or suicide attempts", known_label(p.self_harm)),
                kv("current outpatient care", &p.outpatient_care),
            ],
            _ => Vec::new(),
        }),
        SectionKey::Arrival => status(&a.arrival).unwrap_or_else(|| match &a.arrival {
            Section::Answered(ar) => {
                let t = |at| local(at, tz);
                let search = match &ar.search {
                    Search::Done { by, at, findings } => {
                        format!("done by {} at {}; findings: {}", by.trim(), t(*at), findings.trim())
                    }
                    Search::NotDone { reason } => format!("not done: {}", reason.trim()),
                };
                vec![
                    format!("BAL: {}", ar.bal.text(t)),
                    format!("urine drug screen: {}", ar.uds.text(t)),
                    format!("belongings search: {search}"),
                ]
            }
            _ => Vec::new(),
        }),
    }
}
