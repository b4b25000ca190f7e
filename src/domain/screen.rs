//! A risk screen as the nurse gives it, before the store records it: the C-SSRS screener, the
//! Morse Fall Scale, RASS, SOWS and PAWSS (REFERENCE.md §3 and §3a). Each kind's items, legal
//! answers, branching and bands live in its own module (`cssrs`, `morse`, `rass`, `scales::sows`,
//! `pawss`); this module turns one screen into what the database stores: the items as
//! `(item, answer)` pairs drawn from [`choices`] (the rows of `screen_choice`, so the database
//! refuses an answer the screen does not have), the computed total and the result. Nothing here is
//! typed by the nurse that the screen can compute, and nothing is filled that she did not give.
use std::fmt;

use chrono::{DateTime, Utc};

use super::cssrs::{Cssrs, Question, Triage};
use super::morse::{MORSE, MorseBands};
use super::pawss::{Bal, Gate, ITEMS as PAWSS_ITEMS, Pawss, PawssTotal};
use super::rass::Rass;
use super::scale::Answers;
use super::scales::sows::SOWS;

/// Which screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScreenKind {
    Cssrs,
    Morse,
    Rass,
    Sows,
    Pawss,
}

impl ScreenKind {
    pub const ALL: [ScreenKind; 5] =
        [ScreenKind::Cssrs, ScreenKind::Morse, ScreenKind::Rass, ScreenKind::Sows, ScreenKind::Pawss];

    /// The database's code (`screen.kind`).
    pub fn code(self) -> &'static str {
        match self {
            ScreenKind::Cssrs => "cssrs",
            ScreenKind::Morse => "morse",
            ScreenKind::Rass => "rass",
            ScreenKind::Sows => "sows",
            ScreenKind::Pawss => "pawss",
        }
    }

    pub fn from_code(code: &str) -> Option<ScreenKind> {
        ScreenKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The short name a nurse knows it by.
    pub fn name(self) -> &'static str {
        match self {
            ScreenKind::Cssrs => "C-SSRS",
            ScreenKind::Morse => "Morse",
            ScreenKind::Rass => "RASS",
            ScreenKind::Sows => "SOWS",
            ScreenKind::Pawss => "PAWSS",
        }
    }

    /// The full title (REFERENCE.md §3, §3a).
    pub fn title(self) -> &'static str {
        match self {
            ScreenKind::Cssrs => "C-SSRS Screen Version (Columbia Protocol)",
            ScreenKind::Morse => "Morse Fall Scale",
            ScreenKind::Rass => "Richmond Agitation-Sedation Scale",
            ScreenKind::Sows => "Subjective Opiate Withdrawal Scale",
            ScreenKind::Pawss => "Prediction of Alcohol Withdrawal Severity Scale",
        }
    }
}

impl fmt::Display for ScreenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why the screen was done (REFERENCE.md §3a: "at admission and each shift"; issue text: Morse
/// "at admission, after a fall, and when the unit's interval says").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Occasion {
    Admission,
    /// Once per shift or the unit's interval.
    Routine,
    AfterFall,
    /// Beside a withdrawal score (RASS, SOWS).
    WithScore,
    ChangeInCondition,
}

impl Occasion {
    pub const ALL: [Occasion; 5] =
        [Occasion::Admission, Occasion::Routine, Occasion::AfterFall, Occasion::WithScore, Occasion::ChangeInCondition];

    pub fn code(self) -> &'static str {
        match self {
            Occasion::Admission => "admission",
            Occasion::Routine => "routine",
            Occasion::AfterFall => "after-fall",
            Occasion::WithScore => "with-score",
            Occasion::ChangeInCondition => "change",
        }
    }

    pub fn from_code(code: &str) -> Option<Occasion> {
        Occasion::ALL.into_iter().find(|o| o.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Occasion::Admission => "on admission",
            Occasion::Routine => "routine (shift / interval)",
            Occasion::AfterFall => "after a fall",
            Occasion::WithScore => "with a withdrawal score",
            Occasion::ChangeInCondition => "change in condition",
        }
    }
}

/// What the nurse decided on a high-risk C-SSRS (REFERENCE.md §3a: "immediate safety measures
/// and notify the provider (unit policy)"). The screen suggests; she decides; this is recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Who was notified and when, as she says it ("Dr Patel 03:10"), or `None` with the reason
    /// in `not_notified_because`.
    pub notified: Option<String>,
    pub not_notified_because: Option<String>,
    /// Add the suicide precaution to the stay (in the same transaction).
    pub add_suicide_precaution: bool,
    /// A new observation level for the stay (its code), if she sets one.
    pub observation: Option<String>,
}

impl Decision {
    /// Refuses a decision that neither names who was notified nor says why no one was.
    pub fn validate(&self) -> Result<(), String> {
        let said = |s: &Option<String>| s.as_deref().is_some_and(|t| !t.trim().is_empty());
        match (said(&self.notified), said(&self.not_notified_because)) {
            (true, false) | (false, true) => Ok(()),
            (true, true) => Err("say who was notified, or why no one was: not both".into()),
            (false, false) => {
                Err("high risk: say who was notified (provider and time), or why the provider was not".into())
            }
        }
    }

    /// The decision as it is stored and printed: "provider notified: Dr Patel 03:10; suicide
    /// precaution added; observation set to 1:1".
    pub fn text(&self, observation_was: Option<&str>) -> String {
        let mut parts = Vec::new();
        match (&self.notified, &self.not_notified_because) {
            (Some(who), _) => parts.push(format!("provider notified: {}", who.trim())),
            (None, Some(why)) => parts.push(format!("provider not notified: {}", why.trim())),
            (None, None) => {}
        }
        parts.push(if self.add_suicide_precaution {
            "suicide precaution added".to_string()
        } else {
            "suicide precaution not added".to_string()
        });
        match (&self.observation, observation_was) {
            (Some(to), Some(was)) => parts.push(format!("observation set to {to} (was {was})")),
            (Some(to), None) => parts.push(format!("observation set to {to}")),
            (None, _) => parts.push("observation level unchanged".to_string()),
        }
        parts.join("; ")
    }
}

/// The answers of one screen.
#[derive(Clone, Debug)]
pub enum ScreenAnswers {
    /// The screener's answers, and on high risk the nurse's decision.
    Cssrs {
        answers: Cssrs,
        decision: Option<Decision>,
    },
    Morse(Answers),
    Rass(Rass),
    Sows(Answers),
    Pawss(Pawss),
}

impl ScreenAnswers {
    pub fn kind(&self) -> ScreenKind {
        match self {
            ScreenAnswers::Cssrs { .. } => ScreenKind::Cssrs,
            ScreenAnswers::Morse(_) => ScreenKind::Morse,
            ScreenAnswers::Rass(_) => ScreenKind::Rass,
            ScreenAnswers::Sows(_) => ScreenKind::Sows,
            ScreenAnswers::Pawss(_) => ScreenKind::Pawss,
        }
    }
}

/// One screen to record.
#[derive(Clone, Debug)]
pub struct NewScreen {
    pub stay_id: i64,
    pub answers: ScreenAnswers,
    pub occasion: Occasion,
    /// When it was done (earlier than now for a late entry; never in the future).
    pub taken_at: DateTime<Utc>,
    /// The withdrawal assessment it goes with (RASS or SOWS beside a score), if any.
    pub with_assessment: Option<i64>,
    pub comment: Option<String>,
}

/// A screen's result as the database stores it: `screen.total`, `screen.result` and the items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluated {
    /// Morse 0-125, SOWS 0-64, PAWSS 0-10, RASS -5..+4; `None` for C-SSRS (it triages, it does
    /// not add up) and for PAWSS "not applicable" (never 0).
    pub total: Option<i32>,
    /// The result code: C-SSRS [`triage_code`], Morse the band's label, RASS its label, SOWS
    /// "scored" (no bands: TODO(clinical) in `scales::sows`), PAWSS [`PAWSS_NA`] / [`PAWSS_HIGH`] /
    /// [`PAWSS_LOW`].
    pub result: String,
    /// `(item, answer)` pairs, every one a row of [`choices`].
    pub items: Vec<(String, String)>,
    /// For a high-risk C-SSRS: the reference's actions, as a prompt.
    pub high_risk: bool,
}

/// PAWSS results (REFERENCE.md §3: "not applicable", never 0; "Total >= 4: high risk").
pub const PAWSS_NA: &str = "not applicable";
pub const PAWSS_HIGH: &str = "high risk";
pub const PAWSS_LOW: &str = "not high risk";

/// The stored code of a C-SSRS triage.
pub fn triage_code(t: Triage) -> &'static str {
    match t {
        Triage::NoRiskIdentified => "none",
        Triage::Low => "low",
        Triage::Moderate => "moderate",
        Triage::High => "high",
    }
}

pub fn triage_from_code(code: &str) -> Option<Triage> {
    [Triage::NoRiskIdentified, Triage::Low, Triage::Moderate, Triage::High]
        .into_iter()
        .find(|t| triage_code(*t) == code)
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn cssrs_item(q: Question) -> String {
    format!("q{}", q.number())
}

fn bal_code(b: Bal) -> &'static str {
    match b {
        Bal::Positive => "positive",
        Bal::Negative => "negative",
        Bal::NotDone => "not done",
    }
}

impl NewScreen {
    /// Computes what is stored, or says in words why the screen cannot be recorded (a question
    /// the branching asks left unanswered, an item missing, PAWSS items answered when it does not
    /// apply, a high-risk C-SSRS without the nurse's decision).
    pub fn evaluate(&self, morse_bands: &MorseBands) -> Result<Evaluated, String> {
        let scored = |answers: &Answers| -> Result<Vec<(String, String)>, String> {
            let missing = answers.unanswered();
            if !missing.is_empty() {
                let names: Vec<&str> = missing.iter().map(|i| answers.scale().items[*i].label).collect();
                return Err(format!("{}: not answered: {}", answers.scale().name, names.join("; ")));
            }
            Ok(answers
                .scale()
                .items
                .iter()
                .enumerate()
                .filter_map(|(i, it)| answers.score(i).map(|s| (it.key.to_string(), s.to_string())))
                .collect())
        };
        match &self.answers {
            ScreenAnswers::Cssrs { answers, decision } => {
                let triage = answers.triage().map_err(|e| e.to_string())?;
                let high = triage == Triage::High;
                match (high, decision) {
                    (true, None) => {
                        return Err(
                            "C-SSRS high risk: record what was decided (provider notified, precaution, observation)"
                                .into(),
                        );
                    }
                    (true, Some(d)) => d.validate()?,
                    (false, Some(_)) => return Err("a decision is recorded only for a high-risk C-SSRS".into()),
                    (false, None) => {}
                }
                let items = Question::ALL
                    .into_iter()
                    .filter_map(|q| answers.get(q).map(|a| (cssrs_item(q), yes_no(a).to_string())))
                    .collect();
                Ok(Evaluated { total: None, result: triage_code(triage).into(), items, high_risk: high })
            }
            ScreenAnswers::Morse(a) => {
                if a.scale().key != MORSE.key {
                    return Err("not a Morse Fall Scale".into());
                }
                let items = scored(a)?;
                let total = a.total();
                let band = morse_bands.band_for(total).ok_or_else(|| format!("Morse total {total} is in no band"))?;
                Ok(Evaluated { total: Some(i32::from(total)), result: band.label.clone(), items, high_risk: false })
            }
            ScreenAnswers::Sows(a) => {
                if a.scale().key != SOWS.key {
                    return Err("not a SOWS".into());
                }
                let items = scored(a)?;
                Ok(Evaluated { total: Some(i32::from(a.total())), result: "scored".into(), items, high_risk: false })
            }
            ScreenAnswers::Rass(r) => Ok(Evaluated {
                total: Some(i32::from(r.value())),
                result: r.label().into(),
                items: vec![("level".into(), r.value().to_string())],
                high_risk: false,
            }),
            ScreenAnswers::Pawss(p) => {
                p.validate().map_err(|e| e.to_string())?;
                let mut items = Vec::new();
                if let Some(a) = p.alcohol_past_30_days {
                    items.push(("gate_alcohol".to_string(), yes_no(a).to_string()));
                }
                if let Some(b) = p.bal_on_admission {
                    items.push(("gate_bal".to_string(), bal_code(b).to_string()));
                }
                let (total, result) = match p.total() {
                    PawssTotal::NotApplicable => (None, PAWSS_NA),
                    t @ PawssTotal::Incomplete { .. } => return Err(t.to_string()),
                    PawssTotal::Scored(n) => {
                        (Some(i32::from(n)), if n >= super::stay::PAWSS_HIGH_RISK { PAWSS_HIGH } else { PAWSS_LOW })
                    }
                };
                if p.gate() == Gate::Positive {
                    for it in PAWSS_ITEMS {
                        if let Some(a) = p.answer(it.number) {
                            items.push((it.key.to_string(), yes_no(a).to_string()));
                        }
                    }
                }
                Ok(Evaluated { total, result: result.into(), items, high_risk: false })
            }
        }
    }
}

/// Every legal `(kind, item, answer, points)`: the rows of `screen_choice` (schema.sql), which
/// `tests/store.rs` checks row for row against this function. C-SSRS answers carry no points (it
/// triages); Morse's points are REFERENCE.md §3a's; SOWS 0-4 (§3); RASS -5..+4 (§3); PAWSS one
/// point per yes (§3), the gate none ("The gate is never counted as a point").
pub fn choices() -> Vec<(&'static str, String, String, i32)> {
    let mut rows = Vec::new();
    for q in Question::ALL {
        for a in ["yes", "no"] {
            rows.push(("cssrs", cssrs_item(q), a.to_string(), 0));
        }
    }
    for it in MORSE.items {
        for c in it.choices {
            rows.push(("morse", it.key.to_string(), c.score.to_string(), i32::from(c.score)));
        }
    }
    for it in SOWS.items {
        for c in it.choices {
            rows.push(("sows", it.key.to_string(), c.score.to_string(), i32::from(c.score)));
        }
    }
    for r in Rass::all() {
        rows.push(("rass", "level".to_string(), r.value().to_string(), i32::from(r.value())));
    }
    for a in ["yes", "no"] {
        rows.push(("pawss", "gate_alcohol".to_string(), a.to_string(), 0));
    }
    for b in [Bal::Positive, Bal::Negative, Bal::NotDone] {
        rows.push(("pawss", "gate_bal".to_string(), bal_code(b).to_string(), 0));
    }
    for it in PAWSS_ITEMS {
        rows.push(("pawss", it.key.to_string(), "yes".to_string(), 1));
        rows.push(("pawss", it.key.to_string(), "no".to_string(), 0));
    }
    rows
}

/// A recorded screen, as every screen, printout and the timeline shows it: with who and when.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedScreen {
    pub id: i64,
    pub stay_id: i64,
    pub kind: ScreenKind,
    pub taken_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    /// "Ana Ortiz, RN" as stored at recording.
    pub by: String,
    pub total: Option<i32>,
    pub result: String,
    pub occasion: Occasion,
    pub with_assessment: Option<i64>,
    pub decision: Option<String>,
    pub comment: Option<String>,
    pub items: Vec<(String, String)>,
}

impl RecordedScreen {
    /// "C-SSRS high risk", "Morse 45 high", "RASS -2 light sedation", "SOWS 23/64", "PAWSS 5/10
    /// high risk", "PAWSS not applicable".
    pub fn summary(&self) -> String {
        match self.kind {
            ScreenKind::Cssrs => match triage_from_code(&self.result) {
                Some(t) => format!("C-SSRS {}", t.label()),
                None => format!("C-SSRS {}", self.result),
            },
            ScreenKind::Morse => format!("Morse {} {}", self.total.unwrap_or_default(), self.result),
            ScreenKind::Rass => {
                let v = self.total.unwrap_or_default();
                let signed = if v > 0 { format!("+{v}") } else { v.to_string() };
                format!("RASS {signed} {}", self.result)
            }
            ScreenKind::Sows => format!("SOWS {}/64", self.total.unwrap_or_default()),
            ScreenKind::Pawss => match self.total {
                Some(t) => format!("PAWSS {t}/10 {}", self.result),
                None => "PAWSS not applicable".to_string(),
            },
        }
    }

    /// The C-SSRS triage, if this is one.
    pub fn triage(&self) -> Option<Triage> {
        (self.kind == ScreenKind::Cssrs).then(|| triage_from_code(&self.result)).flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 3, 0, 0).unwrap()
    }

    fn screen(answers: ScreenAnswers) -> NewScreen {
        NewScreen {
            stay_id: 1,
            answers,
            occasion: Occasion::Admission,
            taken_at: at(),
            with_assessment: None,
            comment: None,
        }
    }

    fn legal(e: &Evaluated, kind: &str) -> bool {
        let rows = choices();
        e.items.iter().all(|(i, a)| rows.iter().any(|(k, ri, ra, _)| *k == kind && ri == i && ra == a))
    }

    #[test]
    fn a_high_risk_cssrs_needs_the_decision_and_a_lower_one_refuses_it() {
        let mut c = Cssrs::new();
        for (q, a) in [
            (Question::Q1, true),
            (Question::Q2, true),
            (Question::Q3, true),
            (Question::Q4, true),
            (Question::Q5, false),
            (Question::Q6, false),
        ] {
            c.set(q, Some(a));
        }
        let err = screen(ScreenAnswers::Cssrs { answers: c, decision: None }).evaluate(&MorseBands::common_set());
        assert!(err.unwrap_err().contains("high risk"));
        let d = Decision {
            notified: Some("Dr Patel 03:10".into()),
            not_notified_because: None,
            add_suicide_precaution: true,
            observation: Some("1:1".into()),
        };
        let e = screen(ScreenAnswers::Cssrs { answers: c, decision: Some(d.clone()) })
            .evaluate(&MorseBands::common_set())
            .unwrap();
        assert_eq!((e.result.as_str(), e.total, e.high_risk), ("high", None, true));
        assert!(legal(&e, "cssrs"));
        assert_eq!(
            d.text(Some("q15")),
            "provider notified: Dr Patel 03:10; suicide precaution added; observation set to 1:1 (was q15)"
        );
        let mut low = Cssrs::new();
        for q in [Question::Q1, Question::Q2, Question::Q6] {
            low.set(q, Some(q == Question::Q1));
        }
        let refused =
            screen(ScreenAnswers::Cssrs { answers: low, decision: Some(d) }).evaluate(&MorseBands::common_set());
        assert!(refused.is_err());
    }

    #[test]
    fn pawss_not_applicable_has_no_total_and_a_scored_one_flags_four() {
        let mut p = Pawss::new();
        p.alcohol_past_30_days = Some(false);
        p.bal_on_admission = Some(Bal::Negative);
        let e = screen(ScreenAnswers::Pawss(p)).evaluate(&MorseBands::common_set()).unwrap();
        assert_eq!((e.total, e.result.as_str()), (None, PAWSS_NA));
        let mut p = Pawss::new();
        p.alcohol_past_30_days = Some(true);
        for n in 1..=10 {
            p.set(n, Some(n <= 4)).unwrap();
        }
        let e = screen(ScreenAnswers::Pawss(p)).evaluate(&MorseBands::common_set()).unwrap();
        assert_eq!((e.total, e.result.as_str()), (Some(4), PAWSS_HIGH));
        assert!(legal(&e, "pawss"));
        p.set(4, Some(false)).unwrap();
        let e = screen(ScreenAnswers::Pawss(p)).evaluate(&MorseBands::common_set()).unwrap();
        assert_eq!((e.total, e.result.as_str()), (Some(3), PAWSS_LOW));
        p.set(7, None).unwrap();
        assert!(screen(ScreenAnswers::Pawss(p)).evaluate(&MorseBands::common_set()).is_err(), "incomplete is refused");
    }

    #[test]
    fn morse_takes_the_units_band_and_refuses_a_partial_screen() {
        let mut a = Answers::new(&MORSE);
        assert!(screen(ScreenAnswers::Morse(a.clone())).evaluate(&MorseBands::common_set()).is_err());
        for (i, it) in MORSE.items.iter().enumerate() {
            a.set(i, it.choices.len() - 1).unwrap();
        }
        let e = screen(ScreenAnswers::Morse(a)).evaluate(&MorseBands::common_set()).unwrap();
        assert_eq!((e.total, e.result.as_str()), (Some(125), "high"));
        assert!(legal(&e, "morse"));
        let bands = MorseBands::parse("0-50 low, 51-125 high").unwrap();
        let mut a = Answers::new(&MORSE);
        for i in 0..MORSE.items.len() {
            a.set(i, 0).unwrap();
        }
        a.set(0, 1).unwrap();
        a.set(3, 1).unwrap();
        let e = screen(ScreenAnswers::Morse(a)).evaluate(&bands).unwrap();
        assert_eq!((e.total, e.result.as_str()), (Some(45), "low"));
    }

    #[test]
    fn choices_are_unique_and_cover_each_kind() {
        let rows = choices();
        let mut keys: Vec<_> = rows.iter().map(|(k, i, a, _)| (*k, i.clone(), a.clone())).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), rows.len());
        for k in ScreenKind::ALL {
            assert!(rows.iter().any(|r| r.0 == k.code()), "{k} has choices");
        }
        assert_eq!(rows.iter().filter(|r| r.0 == "rass").count(), 10);
    }
}
