//! The call to the provider, documented (REFERENCE.md §10: "who was called, when, by whom, the
//! reason (e.g. SBAR), and the response or new orders"), and the open prompts it answers.
use chrono::{DateTime, Duration, Utc};

use super::text::required_line;

/// A call as entered.
#[derive(Clone, Debug, PartialEq)]
pub struct NewCall {
    pub stay_id: i64,
    pub provider: String,
    pub called_at: DateTime<Utc>,
    /// Why (SBAR words: situation, background, assessment, recommendation).
    pub reason: String,
    pub response: String,
    /// An order the provider gave on the call, once entered.
    pub new_order: Option<i64>,
    /// The open prompts this call answers (closed with it, in the same transaction).
    pub answers: Vec<i64>,
}

impl NewCall {
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), String> {
        required_line("Provider called", &self.provider, 80)?;
        if self.called_at > now + Duration::minutes(1) {
            return Err("Called at: the time is in the future; a call is documented after it is made".into());
        }
        required_line("Reason (SBAR)", &self.reason, 400)?;
        required_line("Response", &self.response, 400)?;
        Ok(())
    }
}

/// A suggested reason from the open prompts' words, for the nurse to edit (SBAR's S and A;
/// background and recommendation are hers to say): never saved unless she saves it.
pub fn suggested_reason(whys: &[&str]) -> String {
    if whys.is_empty() {
        return String::new();
    }
    format!("S: {}. B: . A: . R: ", whys.join("; "))
}

/// What a prompt is and why it is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// "Notify the provider now".
    Notify,
    /// An emergency's follow-up (a Morse after a fall, vitals after naloxone).
    FollowUp,
}

impl PromptKind {
    pub fn code(self) -> &'static str {
        match self {
            PromptKind::Notify => "notify",
            PromptKind::FollowUp => "follow-up",
        }
    }
    pub fn from_code(s: &str) -> Option<PromptKind> {
        match s {
            "notify" => Some(PromptKind::Notify),
            "follow-up" => Some(PromptKind::FollowUp),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            PromptKind::Notify => "notify provider",
            PromptKind::FollowUp => "follow-up",
        }
    }
}

/// An open (or closed) prompt as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct Prompt {
    pub id: i64,
    pub stay_id: i64,
    pub kind: PromptKind,
    /// 'vitals', 'hold', 'score' or 'event', and that row's id.
    pub source: String,
    pub source_id: i64,
    pub why: String,
    pub raised_at: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
}

/// A documented call as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub id: i64,
    pub stay_id: i64,
    pub provider: String,
    pub called_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    /// "Ana Ortiz, RN".
    pub by: String,
    pub reason: String,
    pub response: String,
    pub new_order: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_call_needs_who_why_and_the_answer() {
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 3, 0, 0).unwrap();
        let c = NewCall {
            stay_id: 1,
            provider: "Dr Patel".into(),
            called_at: now,
            reason: "S: NEWS2 7".into(),
            response: "coming to see".into(),
            new_order: None,
            answers: vec![],
        };
        assert_eq!(c.validate(now), Ok(()));
        assert!(NewCall { response: " ".into(), ..c.clone() }.validate(now).unwrap_err().contains("Response"));
        assert!(NewCall { provider: "".into(), ..c.clone() }.validate(now).unwrap_err().contains("Provider"));
        assert!(NewCall { called_at: now + Duration::hours(1), ..c }.validate(now).is_err());
        assert_eq!(suggested_reason(&["NEWS2 7: high", "HR 131"]), "S: NEWS2 7: high; HR 131. B: . A: . R: ");
        assert_eq!(suggested_reason(&[]), "");
    }
}
