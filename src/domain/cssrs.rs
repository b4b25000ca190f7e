//! C-SSRS Screen Version (Columbia Protocol; Posner et al., Am J Psychiatry 2011;168:1266-77):
//! REFERENCE.md §3a. Six yes/no questions, past month unless said; question 2 decides whether
//! 3-5 are asked ("if 2 is yes, ask 3-5 (if no, go to 6)"); question 6 is lifetime with the
//! follow-up "was it within the past 3 months?". Triage low / moderate / high by the reference's
//! rules; high risk carries the actions the reference names, as data: the nurse decides.
// TODO(clinical): REFERENCE.md §3a names no level for "no to every question". It is modelled as
// [`Triage::NoRiskIdentified`] ("no risk identified"), below low risk, with no actions.
// TODO(clinical): REFERENCE.md §3a names actions for high risk only; low and moderate carry none
// here until it names some.

use std::fmt;

/// How far back a question asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// "past month" (REFERENCE.md §3a: "past month unless said").
    PastMonth,
    /// Question 6: "(lifetime ...)".
    Lifetime,
    /// Question 6's follow-up: "within the past 3 months".
    PastThreeMonths,
}

/// One question of the screener, in asking order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Question {
    Q1,
    Q2,
    Q3,
    Q4,
    Q5,
    Q6,
    /// Question 6's follow-up, asked when 6 is yes.
    Q6Recent,
}

impl Question {
    /// Every question in asking order.
    pub const ALL: [Question; 7] =
        [Question::Q1, Question::Q2, Question::Q3, Question::Q4, Question::Q5, Question::Q6, Question::Q6Recent];

    /// The reference's words (REFERENCE.md §3a).
    pub fn text(self) -> &'static str {
        match self {
            Question::Q1 => "wished you were dead or could go to sleep and not wake up",
            Question::Q2 => "actually had any thoughts of killing yourself",
            Question::Q3 => "thought about how you might do this",
            Question::Q4 => "had these thoughts and had some intention of acting on them",
            Question::Q5 => {
                "started to work out or worked out the details of how to kill yourself, and intend to carry out this plan"
            }
            Question::Q6 => "ever done anything, started to do anything, or prepared to do anything to end your life",
            Question::Q6Recent => "was it within the past 3 months?",
        }
    }

    /// "1".."6", and "6b" for the follow-up.
    pub fn number(self) -> &'static str {
        match self {
            Question::Q1 => "1",
            Question::Q2 => "2",
            Question::Q3 => "3",
            Question::Q4 => "4",
            Question::Q5 => "5",
            Question::Q6 => "6",
            Question::Q6Recent => "6b",
        }
    }

    /// The period it asks about (REFERENCE.md §3a).
    pub fn period(self) -> Period {
        match self {
            Question::Q6 => Period::Lifetime,
            Question::Q6Recent => Period::PastThreeMonths,
            _ => Period::PastMonth,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The answers given so far: yes, no, or `None` (not asked or not yet answered).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cssrs {
    answers: [Option<bool>; 7],
}

/// Why a set of answers cannot be triaged: questions that must be asked and were not, and
/// answers to questions that must not be asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CssrsError {
    pub missing: Vec<Question>,
    pub not_to_be_asked: Vec<Question>,
}

impl fmt::Display for CssrsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |qs: &[Question]| qs.iter().map(|q| q.number()).collect::<Vec<_>>().join(", ");
        let mut parts = Vec::new();
        if !self.missing.is_empty() {
            parts.push(format!("question(s) {} not answered", list(&self.missing)));
        }
        if !self.not_to_be_asked.is_empty() {
            parts.push(format!(
                "question(s) {} answered but not to be asked (3-5 only when 2 is yes; 6b only when 6 is yes)",
                list(&self.not_to_be_asked)
            ));
        }
        write!(f, "C-SSRS: {}", parts.join("; "))
    }
}

impl std::error::Error for CssrsError {}

/// The screener's triage (REFERENCE.md §3a: "the Columbia screener's own colours").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Triage {
    /// No to every question (see the TODO(clinical) at the top of this file).
    NoRiskIdentified,
    /// "yes to 1 or 2 only".
    Low,
    /// "yes to 3, or yes to 6 more than 3 months ago".
    Moderate,
    /// "yes to 4 or 5, or yes to 6 within the past 3 months".
    High,
}

/// What the reference says to do, returned as data for the screen to prompt; the nurse decides
/// and records the decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// REFERENCE.md §3a: "immediate safety measures".
    ImmediateSafetyMeasures,
    /// REFERENCE.md §3a: "notify the provider (unit policy)".
    NotifyProvider,
}

impl Action {
    /// The reference's words.
    pub fn label(self) -> &'static str {
        match self {
            Action::ImmediateSafetyMeasures => "immediate safety measures",
            Action::NotifyProvider => "notify the provider (unit policy)",
        }
    }
}

impl Triage {
    /// "low risk", "moderate risk", "high risk" (REFERENCE.md §3a); "no risk identified" (ours).
    pub fn label(self) -> &'static str {
        match self {
            Triage::NoRiskIdentified => "no risk identified",
            Triage::Low => "low risk",
            Triage::Moderate => "moderate risk",
            Triage::High => "high risk",
        }
    }

    /// REFERENCE.md §3a: "High risk: immediate safety measures and notify the provider (unit
    /// policy)"; nothing for the other levels.
    pub fn actions(self) -> &'static [Action] {
        match self {
            Triage::High => &[Action::ImmediateSafetyMeasures, Action::NotifyProvider],
            _ => &[],
        }
    }
}

impl fmt::Display for Triage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl Cssrs {
    /// Nothing answered.
    pub fn new() -> Self {
        Cssrs::default()
    }

    /// Records `answer` (`None` clears it). Answering 2 "no" or 6 "no" does not erase 3-5 or 6b:
    /// [`Cssrs::triage`] refuses them until they are cleared, so nothing is dropped silently.
    pub fn set(&mut self, q: Question, answer: Option<bool>) {
        self.answers[q.index()] = answer;
    }

    /// The answer to `q`.
    pub fn get(&self, q: Question) -> Option<bool> {
        self.answers[q.index()]
    }

    /// The questions to ask given the answers so far, in order (REFERENCE.md §3a branching):
    /// 1, 2; 3-5 if 2 is yes; 6; 6b if 6 is yes. While 2 (or 6) is unanswered the questions it
    /// decides are not listed.
    pub fn to_ask(&self) -> Vec<Question> {
        let mut qs = vec![Question::Q1, Question::Q2];
        if self.get(Question::Q2) == Some(true) {
            qs.extend([Question::Q3, Question::Q4, Question::Q5]);
        }
        qs.push(Question::Q6);
        if self.get(Question::Q6) == Some(true) {
            qs.push(Question::Q6Recent);
        }
        qs
    }

    /// The next question to ask, or `None` when every question to ask is answered.
    pub fn next(&self) -> Option<Question> {
        self.to_ask().into_iter().find(|q| self.get(*q).is_none())
    }

    /// Checks the answers against the branching: every question to ask is answered, and no
    /// question that must not be asked has an answer.
    pub fn validate(&self) -> Result<(), CssrsError> {
        let ask = self.to_ask();
        let missing: Vec<Question> = ask.iter().copied().filter(|q| self.get(*q).is_none()).collect();
        let not_to_be_asked: Vec<Question> =
            Question::ALL.into_iter().filter(|q| !ask.contains(q) && self.get(*q).is_some()).collect();
        if missing.is_empty() && not_to_be_asked.is_empty() {
            Ok(())
        } else {
            Err(CssrsError { missing, not_to_be_asked })
        }
    }

    /// The triage of a complete, valid screen (REFERENCE.md §3a), the highest level that applies:
    /// high = yes to 4 or 5, or yes to 6 within the past 3 months; moderate = yes to 3, or yes to
    /// 6 more than 3 months ago; low = yes to 1 or 2 only; no risk identified = all no.
    pub fn triage(&self) -> Result<Triage, CssrsError> {
        self.validate()?;
        let yes = |q| self.get(q) == Some(true);
        let q6_recent = yes(Question::Q6) && yes(Question::Q6Recent);
        let q6_earlier = yes(Question::Q6) && self.get(Question::Q6Recent) == Some(false);
        Ok(if yes(Question::Q4) || yes(Question::Q5) || q6_recent {
            Triage::High
        } else if yes(Question::Q3) || q6_earlier {
            Triage::Moderate
        } else if yes(Question::Q1) || yes(Question::Q2) {
            Triage::Low
        } else {
            Triage::NoRiskIdentified
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Question::*;

    fn screen(answers: &[(Question, bool)]) -> Cssrs {
        let mut c = Cssrs::new();
        for &(q, a) in answers {
            c.set(q, Some(a));
        }
        c
    }

    /// Every path through the branching: 1 and 2 each yes/no; 3, 4, 5 each yes/no when 2 is
    /// yes; 6 no, yes within 3 months, or yes earlier. 2 x (1 + 8) x 3 = 54 paths.
    fn every_path() -> Vec<Cssrs> {
        let mut out = Vec::new();
        for q1 in [false, true] {
            for q2 in [false, true] {
                let middles: Vec<Option<(bool, bool, bool)>> =
                    if q2 { (0..8).map(|m| Some((m & 1 != 0, m & 2 != 0, m & 4 != 0))).collect() } else { vec![None] };
                for mid in &middles {
                    for six in [None, Some(true), Some(false)] {
                        let mut a = vec![(Q1, q1), (Q2, q2)];
                        if let Some((q3, q4, q5)) = mid {
                            a.extend([(Q3, *q3), (Q4, *q4), (Q5, *q5)]);
                        }
                        match six {
                            None => a.push((Q6, false)),
                            Some(recent) => a.extend([(Q6, true), (Q6Recent, recent)]),
                        }
                        out.push(screen(&a));
                    }
                }
            }
        }
        out
    }

    /// The reference's rules written out independently: the highest level any "yes" reaches.
    fn expected(c: &Cssrs) -> Triage {
        let y = |q| c.get(q) == Some(true);
        let mut levels = vec![Triage::NoRiskIdentified];
        if y(Q1) || y(Q2) {
            levels.push(Triage::Low);
        }
        if y(Q3) {
            levels.push(Triage::Moderate);
        }
        if y(Q6) && c.get(Q6Recent) == Some(false) {
            levels.push(Triage::Moderate);
        }
        if y(Q4) || y(Q5) {
            levels.push(Triage::High);
        }
        if y(Q6) && y(Q6Recent) {
            levels.push(Triage::High);
        }
        levels.into_iter().max().unwrap_or(Triage::NoRiskIdentified)
    }

    #[test]
    fn every_path_through_the_branching_is_valid_and_triaged_by_the_rules() {
        let paths = every_path();
        assert_eq!(paths.len(), 54);
        for c in &paths {
            assert_eq!(c.validate(), Ok(()), "{c:?}");
            assert_eq!(c.next(), None);
            assert_eq!(c.triage(), Ok(expected(c)), "{c:?}");
        }
        let count = |t| paths.iter().filter(|c| c.triage() == Ok(t)).count();
        // All no: 1 path. Low: 1/2 yes, 3-5 no, 6 no: (q1 yes, q2 no) + (q2 yes, either q1) = 3.
        assert_eq!(count(Triage::NoRiskIdentified), 1);
        assert_eq!(count(Triage::Low), 3);
        assert_eq!(count(Triage::Low) + count(Triage::Moderate) + count(Triage::High), 53);
    }

    #[test]
    fn the_reference_examples() {
        let no6 = (Q6, false);
        assert_eq!(screen(&[(Q1, false), (Q2, false), no6]).triage(), Ok(Triage::NoRiskIdentified));
        assert_eq!(screen(&[(Q1, true), (Q2, false), no6]).triage(), Ok(Triage::Low));
        let two_only = [(Q1, false), (Q2, true), (Q3, false), (Q4, false), (Q5, false), no6];
        assert_eq!(screen(&two_only).triage(), Ok(Triage::Low));
        let three = [(Q1, true), (Q2, true), (Q3, true), (Q4, false), (Q5, false), no6];
        assert_eq!(screen(&three).triage(), Ok(Triage::Moderate));
        let four = [(Q1, true), (Q2, true), (Q3, false), (Q4, true), (Q5, false), no6];
        assert_eq!(screen(&four).triage(), Ok(Triage::High));
        let five = [(Q1, true), (Q2, true), (Q3, false), (Q4, false), (Q5, true), no6];
        assert_eq!(screen(&five).triage(), Ok(Triage::High));
        let old = [(Q1, false), (Q2, false), (Q6, true), (Q6Recent, false)];
        assert_eq!(screen(&old).triage(), Ok(Triage::Moderate));
        let recent = [(Q1, false), (Q2, false), (Q6, true), (Q6Recent, true)];
        assert_eq!(screen(&recent).triage(), Ok(Triage::High));
    }

    #[test]
    fn high_risk_carries_the_references_actions_only() {
        assert_eq!(Triage::High.actions(), [Action::ImmediateSafetyMeasures, Action::NotifyProvider]);
        assert_eq!(Action::NotifyProvider.label(), "notify the provider (unit policy)");
        for t in [Triage::NoRiskIdentified, Triage::Low, Triage::Moderate] {
            assert!(t.actions().is_empty(), "{t}");
        }
    }

    #[test]
    fn branching_refuses_questions_not_to_be_asked_and_requires_the_others() {
        // 2 is no: 3-5 must not be answered.
        let c = screen(&[(Q1, true), (Q2, false), (Q3, false), (Q6, false)]);
        assert_eq!(c.validate(), Err(CssrsError { missing: vec![], not_to_be_asked: vec![Q3] }));
        assert!(c.triage().is_err());
        // 2 is yes: 3-5 must be answered.
        let c = screen(&[(Q1, true), (Q2, true), (Q3, true), (Q6, false)]);
        assert_eq!(c.validate(), Err(CssrsError { missing: vec![Q4, Q5], not_to_be_asked: vec![] }));
        // 6 is no: the follow-up must not be answered; 6 is yes: it must.
        let c = screen(&[(Q1, false), (Q2, false), (Q6, false), (Q6Recent, true)]);
        assert_eq!(c.validate(), Err(CssrsError { missing: vec![], not_to_be_asked: vec![Q6Recent] }));
        let c = screen(&[(Q1, false), (Q2, false), (Q6, true)]);
        assert_eq!(c.validate(), Err(CssrsError { missing: vec![Q6Recent], not_to_be_asked: vec![] }));
        // Nothing answered: 1, 2 and 6 are asked of everyone.
        let e = Cssrs::new().validate().unwrap_err();
        assert_eq!(e.missing, [Q1, Q2, Q6]);
        assert_eq!(e.to_string(), "C-SSRS: question(s) 1, 2, 6 not answered");
        // Changing 2 from yes to no keeps 3-5, which are then refused until cleared.
        let mut c = screen(&[(Q1, true), (Q2, true), (Q3, true), (Q4, true), (Q5, true), (Q6, false)]);
        c.set(Q2, Some(false));
        assert_eq!(c.validate().unwrap_err().not_to_be_asked, [Q3, Q4, Q5]);
        for q in [Q3, Q4, Q5] {
            c.set(q, None);
        }
        assert_eq!(c.triage(), Ok(Triage::Low));
    }

    #[test]
    fn next_follows_the_branching() {
        let mut c = Cssrs::new();
        let mut asked = Vec::new();
        // Answer yes to everything asked: 1, 2, 3, 4, 5, 6, 6b.
        while let Some(q) = c.next() {
            asked.push(q);
            c.set(q, Some(true));
        }
        assert_eq!(asked, Question::ALL);
        let mut c = Cssrs::new();
        let mut asked = Vec::new();
        while let Some(q) = c.next() {
            asked.push(q);
            c.set(q, Some(false));
        }
        assert_eq!(asked, [Q1, Q2, Q6], "2 no goes to 6; 6 no ends");
    }

    #[test]
    fn words_and_periods() {
        assert_eq!(Q1.period(), Period::PastMonth);
        assert_eq!(Q5.period(), Period::PastMonth);
        assert_eq!(Q6.period(), Period::Lifetime);
        assert_eq!(Q6Recent.period(), Period::PastThreeMonths);
        assert_eq!(Q6Recent.text(), "was it within the past 3 months?");
    }

    proptest::proptest! {
        /// Any combination of answers: valid exactly when it follows the branching, and then the
        /// triage is the rules'.
        #[test]
        fn arbitrary_answers(a in proptest::array::uniform7(proptest::option::of(proptest::bool::ANY))) {
            let c = Cssrs { answers: a };
            let y = |i: usize| a[i] == Some(true);
            let follows = a[0].is_some() && a[1].is_some() && a[5].is_some()
                && (2..5).all(|i| a[i].is_some() == y(1))
                && a[6].is_some() == y(5);
            proptest::prop_assert_eq!(c.validate().is_ok(), follows);
            if follows {
                proptest::prop_assert_eq!(c.triage(), Ok(expected(&c)));
            }
        }
    }
}
