//! PAWSS itemised, the Prediction of Alcohol Withdrawal Severity Scale: REFERENCE.md §3
//! (Maldonado et al., Alcohol Alcohol 2014;49:638-42), at admission.
//!
//! The gate (no points): "any alcohol use in the past 30 days, or a positive blood alcohol level
//! (BAL) on admission; if neither, PAWSS does not apply (recorded as "not applicable", never as
//! 0)". Then ten items, one point each, 0-10; "Total >= 4: high risk of complicated withdrawal.
//! The gate is never counted as a point" (REFERENCE.md §3). Answers are yes, no or not yet
//! answered (`None`): nothing is defaulted.
//!
//! Items 2, 3, 5 and 6 can be shown beside the withdrawal history (REFERENCE.md §8: "these feed
//! PAWSS items 2, 3, 5, 6: shown, never auto-scored"): [`suggestions`] gives them as
//! [`Suggestion`]s, a type that is never an answer.
// TODO(clinical): REFERENCE.md §3 does not say what a BAL "not done" means for the gate. Here
// the gate is negative only when the patient answers "no" to alcohol use in the past 30 days and
// the BAL is negative or was not done ("neither" as far as is known); a BAL not yet recorded
// leaves the gate open.
// TODO(clinical): REFERENCE.md §8's withdrawal history asks about prior withdrawal and prior
// detox or rehabilitation treatment without naming the substance, whereas PAWSS items 2 and 3
// are about alcohol; a suggestion from the history is only shown, the nurse answers for alcohol.

use std::fmt;

use super::stay::PAWSS_HIGH_RISK;

/// The gate's first question (REFERENCE.md §3).
pub const GATE_ALCOHOL_TEXT: &str = "any alcohol use in the past 30 days";
/// The gate's second question (REFERENCE.md §3).
pub const GATE_BAL_TEXT: &str = "a positive blood alcohol level (BAL) on admission";

/// The withdrawal-history field (REFERENCE.md §8) that an item can be shown beside.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HistoryField {
    /// "prior withdrawal"
    PriorWithdrawal,
    /// "prior withdrawal seizures"
    Seizures,
    /// "prior delirium tremens"
    DeliriumTremens,
    /// "prior detox or rehabilitation treatment"
    Treatment,
}

impl HistoryField {
    /// REFERENCE.md §8's words for the field.
    pub fn label(self) -> &'static str {
        match self {
            HistoryField::PriorWithdrawal => "prior withdrawal",
            HistoryField::Seizures => "prior withdrawal seizures",
            HistoryField::DeliriumTremens => "prior delirium tremens",
            HistoryField::Treatment => "prior detox or rehabilitation treatment",
        }
    }
}

/// One PAWSS item: its number (1-10), a stable key, the reference's words, and the withdrawal-
/// history field it can be shown beside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PawssItem {
    pub number: u8,
    pub key: &'static str,
    pub text: &'static str,
    pub history: Option<HistoryField>,
}

const fn item(number: u8, key: &'static str, text: &'static str, history: Option<HistoryField>) -> PawssItem {
    PawssItem { number, key, text, history }
}

/// The ten items in REFERENCE.md §3's order and words, one point each.
pub const ITEMS: [PawssItem; 10] = [
    item(1, "intoxicated_30d", "recently intoxicated/drunk within the last 30 days", None),
    item(2, "rehab", "ever undergone alcohol rehabilitation treatment", Some(HistoryField::Treatment)),
    item(3, "withdrawal", "ever had alcohol withdrawal, of any severity", Some(HistoryField::PriorWithdrawal)),
    item(4, "blackouts", "ever had blackouts", None),
    item(5, "seizures", "ever had alcohol withdrawal seizures", Some(HistoryField::Seizures)),
    item(6, "dts", "ever had delirium tremens", Some(HistoryField::DeliriumTremens)),
    item(7, "downers_90d", "combined alcohol with downers (benzodiazepines, barbiturates) in the last 90 days", None),
    item(8, "other_90d", "combined alcohol with any other substance of abuse in the last 90 days", None),
    item(9, "bal_200", "BAL >= 200 mg/dL on presentation", None),
    item(
        10,
        "autonomic",
        "evidence of increased autonomic activity (e.g. HR > 120, tremor, sweating, agitation, nausea)",
        None,
    ),
];

/// The BAL on admission, for the gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bal {
    Positive,
    Negative,
    NotDone,
}

/// Whether PAWSS applies (REFERENCE.md §3's gate).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Alcohol use in the past 30 days, or a positive BAL: the items are asked.
    Positive,
    /// Neither: PAWSS does not apply ("not applicable", never 0).
    Negative,
    /// Not yet known.
    Open,
}

/// One admission's PAWSS as answered so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pawss {
    /// Gate: any alcohol use in the past 30 days (`None` = not answered).
    pub alcohol_past_30_days: Option<bool>,
    /// Gate: the BAL on admission (`None` = not recorded).
    pub bal_on_admission: Option<Bal>,
    /// Items 1-10 at positions 0-9: yes, no, or `None` (not answered).
    answers: [Option<bool>; 10],
}

/// Why an answer was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PawssError {
    /// No item with this number (items are 1-10).
    NoSuchItem(u8),
    /// No item with this key.
    UnknownKey(String),
    /// Items were answered although the gate is negative.
    AnsweredButNotApplicable(Vec<u8>),
}

impl fmt::Display for PawssError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PawssError::NoSuchItem(n) => write!(f, "PAWSS has no item {n} (items are 1 to 10)"),
            PawssError::UnknownKey(k) => {
                let keys: Vec<&str> = ITEMS.iter().map(|i| i.key).collect();
                write!(f, "PAWSS has no item {k:?}; items: {}", keys.join(", "))
            }
            PawssError::AnsweredButNotApplicable(items) => write!(
                f,
                "PAWSS does not apply (no alcohol use in the past 30 days and no positive BAL), \
                 but item(s) {} are answered",
                numbers(items)
            ),
        }
    }
}

impl std::error::Error for PawssError {}

/// The total, or why there is none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PawssTotal {
    /// The gate is negative: "not applicable", never 0 (REFERENCE.md §3).
    NotApplicable,
    /// The gate is still open, or items are unanswered (their numbers, in order).
    Incomplete { gate_open: bool, unanswered: Vec<u8> },
    /// Every item answered: the number of yes, 0-10.
    Scored(u8),
}

impl PawssTotal {
    /// For a scored PAWSS, whether the total is >= 4, "high risk of complicated withdrawal"
    /// (REFERENCE.md §3, [`PAWSS_HIGH_RISK`]); `None` when not applicable or incomplete.
    pub fn high_risk(&self) -> Option<bool> {
        match self {
            PawssTotal::Scored(t) => Some(*t >= PAWSS_HIGH_RISK),
            _ => None,
        }
    }
}

impl fmt::Display for PawssTotal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PawssTotal::NotApplicable => f.write_str("PAWSS not applicable"),
            PawssTotal::Incomplete { gate_open: true, .. } => {
                write!(f, "PAWSS incomplete: {GATE_ALCOHOL_TEXT} or {GATE_BAL_TEXT} not yet known")
            }
            PawssTotal::Incomplete { unanswered, .. } => {
                write!(f, "PAWSS incomplete: item(s) {} not answered", numbers(unanswered))
            }
            PawssTotal::Scored(t) if *t >= PAWSS_HIGH_RISK => {
                write!(f, "PAWSS {t}/10: high risk of complicated withdrawal")
            }
            PawssTotal::Scored(t) => write!(f, "PAWSS {t}/10"),
        }
    }
}

fn numbers(items: &[u8]) -> String {
    items.iter().map(u8::to_string).collect::<Vec<_>>().join(", ")
}

impl Pawss {
    /// Nothing answered.
    pub fn new() -> Self {
        Pawss::default()
    }

    /// The gate (REFERENCE.md §3): positive on alcohol use in the past 30 days or a positive
    /// BAL; negative when neither (see the TODO(clinical) on a BAL not done); else open.
    pub fn gate(&self) -> Gate {
        match (self.alcohol_past_30_days, self.bal_on_admission) {
            (Some(true), _) | (_, Some(Bal::Positive)) => Gate::Positive,
            (Some(false), Some(Bal::Negative | Bal::NotDone)) => Gate::Negative,
            _ => Gate::Open,
        }
    }

    /// Answers item `number` (1-10): `Some(true)` yes, `Some(false)` no, `None` clears it.
    pub fn set(&mut self, number: u8, answer: Option<bool>) -> Result<(), PawssError> {
        let slot = usize::from(number).checked_sub(1).and_then(|i| self.answers.get_mut(i));
        let slot = slot.ok_or(PawssError::NoSuchItem(number))?;
        *slot = answer;
        Ok(())
    }

    /// Answers the item with this key (case-insensitive).
    pub fn set_key(&mut self, key: &str, answer: Option<bool>) -> Result<(), PawssError> {
        let it = ITEMS
            .iter()
            .find(|i| i.key.eq_ignore_ascii_case(key.trim()))
            .ok_or_else(|| PawssError::UnknownKey(key.to_string()))?;
        self.set(it.number, answer)
    }

    /// The answer to item `number` (1-10); `None` when unanswered or no such item.
    pub fn answer(&self, number: u8) -> Option<bool> {
        usize::from(number).checked_sub(1).and_then(|i| self.answers.get(i)).copied().flatten()
    }

    /// Refuses answers to items when the gate is negative (the items are not asked).
    pub fn validate(&self) -> Result<(), PawssError> {
        if self.gate() == Gate::Negative {
            let answered: Vec<u8> =
                ITEMS.iter().filter(|i| self.answer(i.number).is_some()).map(|i| i.number).collect();
            if !answered.is_empty() {
                return Err(PawssError::AnsweredButNotApplicable(answered));
            }
        }
        Ok(())
    }

    /// The total: not applicable when the gate is negative (never 0), incomplete while the gate
    /// is open or an item is unanswered, else the number of yes (the gate never counts).
    pub fn total(&self) -> PawssTotal {
        let unanswered: Vec<u8> = ITEMS.iter().filter(|i| self.answer(i.number).is_none()).map(|i| i.number).collect();
        match self.gate() {
            Gate::Negative => PawssTotal::NotApplicable,
            Gate::Open => PawssTotal::Incomplete { gate_open: true, unanswered },
            Gate::Positive if !unanswered.is_empty() => PawssTotal::Incomplete { gate_open: false, unanswered },
            Gate::Positive => PawssTotal::Scored(self.answers.iter().filter(|a| **a == Some(true)).count() as u8),
        }
    }

    /// Shorthand for `self.total().high_risk()`.
    pub fn high_risk(&self) -> Option<bool> {
        self.total().high_risk()
    }
}

/// A withdrawal-history answer (REFERENCE.md §8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Known {
    Yes,
    No,
    Unknown,
}

/// The withdrawal history of the admission assessment (REFERENCE.md §8: "prior withdrawal, prior
/// withdrawal seizures, prior delirium tremens, prior detox or rehabilitation treatment").
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WithdrawalHistory {
    pub prior_withdrawal: Known,
    pub seizures: Known,
    pub delirium_tremens: Known,
    pub treatment: Known,
}

impl WithdrawalHistory {
    /// The answer recorded for `field`.
    pub fn get(&self, field: HistoryField) -> Known {
        match field {
            HistoryField::PriorWithdrawal => self.prior_withdrawal,
            HistoryField::Seizures => self.seizures,
            HistoryField::DeliriumTremens => self.delirium_tremens,
            HistoryField::Treatment => self.treatment,
        }
    }
}

/// What the withdrawal history says beside a PAWSS item: shown for the nurse to confirm, never
/// an answer (REFERENCE.md §8 "shown, never auto-scored"). Nothing converts it into one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// The PAWSS item (2, 3, 5 or 6).
    pub item: u8,
    /// The history field it comes from.
    pub from: HistoryField,
    /// What the history recorded (`Unknown` suggests nothing).
    pub history: Known,
}

impl Suggestion {
    /// The answer the history points to, if it points to one.
    pub fn suggested(&self) -> Option<bool> {
        match self.history {
            Known::Yes => Some(true),
            Known::No => Some(false),
            Known::Unknown => None,
        }
    }

    /// "suggested from withdrawal history (prior withdrawal seizures): yes; confirm".
    pub fn text(&self) -> String {
        let said = match self.history {
            Known::Yes => "yes",
            Known::No => "no",
            Known::Unknown => "unknown",
        };
        format!("suggested from withdrawal history ({}): {said}; confirm", self.from.label())
    }
}

/// One suggestion per item the history feeds (2, 3, 5, 6, in item order).
pub fn suggestions(history: &WithdrawalHistory) -> Vec<Suggestion> {
    ITEMS
        .iter()
        .filter_map(|i| i.history.map(|from| Suggestion { item: i.number, from, history: history.get(from) }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gated() -> Pawss {
        Pawss { alcohol_past_30_days: Some(true), ..Pawss::new() }
    }

    fn with_yes(n: usize) -> Pawss {
        let mut p = gated();
        for number in 1..=10u8 {
            p.set(number, Some(usize::from(number) <= n)).expect("item");
        }
        p
    }

    #[test]
    fn ten_items_in_order_and_only_2_3_5_6_beside_the_history() {
        let numbers: Vec<u8> = ITEMS.iter().map(|i| i.number).collect();
        assert_eq!(numbers, (1..=10).collect::<Vec<_>>());
        let fed: Vec<u8> = ITEMS.iter().filter(|i| i.history.is_some()).map(|i| i.number).collect();
        assert_eq!(fed, [2, 3, 5, 6]);
    }

    #[test]
    fn gate_decides_applicability_and_is_never_a_point() {
        let mut p = Pawss::new();
        assert_eq!(p.gate(), Gate::Open);
        p.alcohol_past_30_days = Some(false);
        assert_eq!(p.gate(), Gate::Open, "BAL not yet recorded");
        p.bal_on_admission = Some(Bal::NotDone);
        assert_eq!(p.gate(), Gate::Negative);
        assert_eq!(p.total(), PawssTotal::NotApplicable);
        assert_ne!(p.total(), PawssTotal::Scored(0));
        assert_eq!(p.high_risk(), None);
        p.bal_on_admission = Some(Bal::Negative);
        assert_eq!(p.total(), PawssTotal::NotApplicable);
        p.bal_on_admission = Some(Bal::Positive);
        assert_eq!(p.gate(), Gate::Positive, "a positive BAL opens PAWSS whatever the patient says");
        let mut q = Pawss { bal_on_admission: Some(Bal::Negative), ..gated() };
        assert_eq!(q.gate(), Gate::Positive);
        for n in 1..=10 {
            q.set(n, Some(false)).expect("item");
        }
        assert_eq!(q.total(), PawssTotal::Scored(0), "both gate questions yes still score 0");
        assert_eq!(q.high_risk(), Some(false));
    }

    #[test]
    fn incomplete_names_the_unanswered_items() {
        let mut p = gated();
        p.set(1, Some(true)).expect("item");
        p.set(10, Some(false)).expect("item");
        assert_eq!(p.total(), PawssTotal::Incomplete { gate_open: false, unanswered: vec![2, 3, 4, 5, 6, 7, 8, 9] });
        assert_eq!(p.total().to_string(), "PAWSS incomplete: item(s) 2, 3, 4, 5, 6, 7, 8, 9 not answered");
        let open = Pawss { alcohol_past_30_days: None, ..with_yes(10) };
        assert_eq!(open.total(), PawssTotal::Incomplete { gate_open: true, unanswered: vec![] });
        let mut cleared = with_yes(5);
        cleared.set(3, None).expect("item");
        assert_eq!(cleared.total(), PawssTotal::Incomplete { gate_open: false, unanswered: vec![3] });
    }

    #[test]
    fn high_risk_from_four_every_total_0_to_10() {
        for n in 0..=10 {
            let p = with_yes(n);
            assert_eq!(p.total(), PawssTotal::Scored(n as u8));
            assert_eq!(p.high_risk(), Some(n >= 4), "{n}");
        }
        assert_eq!(with_yes(3).total().to_string(), "PAWSS 3/10");
        assert_eq!(with_yes(4).total().to_string(), "PAWSS 4/10: high risk of complicated withdrawal");
    }

    #[test]
    fn bad_item_numbers_and_keys_are_refused() {
        let mut p = gated();
        for n in [0, 11, 255] {
            assert_eq!(p.set(n, Some(true)), Err(PawssError::NoSuchItem(n)));
        }
        assert_eq!(p.answer(0), None);
        assert!(p.set_key("DTs", Some(true)).is_ok());
        assert_eq!(p.answer(6), Some(true));
        assert!(p.set_key("gate", Some(true)).unwrap_err().to_string().contains("intoxicated_30d"));
    }

    #[test]
    fn items_answered_when_not_applicable_are_refused() {
        let mut p = Pawss { alcohol_past_30_days: Some(false), bal_on_admission: Some(Bal::Negative), ..Pawss::new() };
        assert_eq!(p.validate(), Ok(()));
        p.set(4, Some(false)).expect("item");
        assert_eq!(p.validate(), Err(PawssError::AnsweredButNotApplicable(vec![4])));
        assert_eq!(with_yes(2).validate(), Ok(()));
    }

    #[test]
    fn history_is_shown_as_suggestions_never_as_answers() {
        let h = WithdrawalHistory {
            prior_withdrawal: Known::Yes,
            seizures: Known::No,
            delirium_tremens: Known::Unknown,
            treatment: Known::Yes,
        };
        let s = suggestions(&h);
        let got: Vec<(u8, Option<bool>)> = s.iter().map(|s| (s.item, s.suggested())).collect();
        assert_eq!(got, [(2, Some(true)), (3, Some(true)), (5, Some(false)), (6, None)]);
        assert_eq!(s[2].text(), "suggested from withdrawal history (prior withdrawal seizures): no; confirm");
        // The PAWSS is untouched by the history: items 2, 3, 5, 6 stay unanswered.
        let p = gated();
        let _ = suggestions(&h);
        assert_eq!(p.total(), PawssTotal::Incomplete { gate_open: false, unanswered: (1..=10).collect() });
    }
}
