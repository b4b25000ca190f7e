//! A withdrawal assessment as the nurse gives it, before the store charts it: the scores (or why
//! there are none), the vitals, when it was done.
use chrono::{DateTime, Utc};

use super::scale::Answers;
use super::vitals::Vitals;

/// What the assessment found: a score, or why there is none (never a zero).
#[derive(Clone, Debug)]
pub enum Outcome {
    Scored(Answers),
    Unable { scale: String, reason: String, note: String },
}

#[derive(Clone, Debug)]
pub struct NewAssessment {
    pub stay_id: i64,
    pub outcome: Outcome,
    pub vitals: Vitals,
    /// When it was done (earlier than now for a late entry; never in the future).
    pub taken_at: DateTime<Utc>,
    /// Free text kept with it, e.g. why the COWS pulse item was overridden.
    pub comment: Option<String>,
}
