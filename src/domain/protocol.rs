//! Symptom-triggered schedule as CONFIGURATION: from the last scores to the next reassessment
//! and the prompts that go with it (REFERENCE.md §1 "Symptom-triggered schedule").
//!
//! A [`Ladder`] is unit configuration, stored versioned as JSON. The software never gives a
//! dose: prompts say "PRN per order"; the dose comes from the patient's own order
//! (REFERENCE.md §1).

use std::fmt::Write as _;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::scales;

/// What the nurse is prompted to do after a score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Prompt {
    /// No medication prompt (same as an empty prompt list).
    None,
    /// Give the PRN the patient's order allows; the dose is the order's, never the software's.
    PrnPerOrder,
    /// Notify the provider now.
    NotifyProvider,
    /// Evaluate for a higher level of care.
    EvaluateHigherLevel,
}

impl Prompt {
    /// The words shown to the nurse.
    pub fn text(&self) -> &'static str {
        match self {
            Prompt::None => "none",
            Prompt::PrnPerOrder => "PRN per order",
            Prompt::NotifyProvider => "Notify provider now",
            Prompt::EvaluateHigherLevel => "Evaluate for higher level of care",
        }
    }
}

/// One rung: totals from `min_total` up to the next rung's `min_total`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rung {
    /// Lowest total on this rung.
    pub min_total: u16,
    /// Minutes until the next assessment.
    pub reassess_minutes: u32,
    /// Prompts shown with a score on this rung (empty = none).
    pub prompts: Vec<Prompt>,
}

/// Less frequent assessment while scores stay low (REFERENCE.md §1, CIWA-Ar rung 0-7).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDown {
    /// Scores below this count as low (8).
    pub below: u16,
    /// After this many consecutive low scores... (3)
    pub after_consecutive: u32,
    /// ...assess every this many minutes (240).
    pub to_minutes: u32,
    /// After this many more consecutive low scores... (3)
    pub then_after: u32,
    /// ...assess every this many minutes (480).
    pub then_to_minutes: u32,
    /// Monitoring may stop once the run of low scores spans this many hours (48).
    pub stop_after_hours: u32,
}

/// A unit's symptom-triggered schedule for one scale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ladder {
    /// Scale key ("ciwa-ar").
    pub scale: String,
    /// Rungs in ascending `min_total`, the first at 0.
    pub rungs: Vec<Rung>,
    /// Step-down while scores stay low, if the unit uses one.
    pub step_down: Option<StepDown>,
    /// `(n, over)`: n consecutive scores greater than `over` add "notify provider" (site order).
    pub notify_consecutive_over: Option<(u32, u16)>,
    /// A PRN given after the last score makes a reassessment due this many minutes after it.
    pub prn_reassess_minutes: u32,
}

/// A completed assessment. "Unable to assess" entries are not `Scored`: they never count as a
/// score and must not be passed to [`Ladder::next_due`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scored {
    /// When it was taken.
    pub at: DateTime<Utc>,
    /// Its total.
    pub total: u16,
}

/// The next reassessment and what to do meanwhile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    /// When the next assessment is due.
    pub at: DateTime<Utc>,
    /// The interval that set `at`, in minutes from the last score (or from the PRN).
    pub interval_minutes: u32,
    /// Prompts in force (a PRN prompt already answered by a PRN after the score is dropped).
    pub prompts: Vec<Prompt>,
    /// Why, in words: "score 12: reassess in 1 h", "3 consecutive < 8: every 4 h".
    pub reason: String,
    /// True when the step-down rule says monitoring may stop (a provider's decision).
    pub monitoring_may_stop: bool,
}

/// Interval used when no rung covers a total (an invalid ladder): hourly, the ladder's most
/// frequent default, so a configuration error never lengthens monitoring.
const FALLBACK_MINUTES: u32 = 60;

/// The shipped default ladder of a scale (unit configuration, editable by the ward). An unknown
/// scale gets a single hourly rung, which [`Ladder::validate`] refuses.
pub fn default_ladder(scale_key: &str) -> Ladder {
    use Prompt::{EvaluateHigherLevel, NotifyProvider, PrnPerOrder};
    let key = scales::by_key(scale_key).map(|s| s.key);
    let rung = |min_total, reassess_minutes, prompts: &[Prompt]| Rung {
        min_total,
        reassess_minutes,
        prompts: prompts.to_vec(),
    };
    match key {
        Some("ciwa-ar") => Ladder {
            scale: "ciwa-ar".to_string(),
            // CIWA-Ar default ladder: REFERENCE.md §1 "Symptom-triggered schedule"
            // (CCJM table, Saitz-style protocols).
            rungs: vec![
                rung(0, 120, &[]),                                    // 0-7: no prompt, 2 h
                rung(8, 120, &[PrnPerOrder]),                         // 8-10: PRN per order, 2 h
                rung(11, 60, &[PrnPerOrder]),                         // 11-15: PRN per order, 1 h
                rung(16, 60, &[PrnPerOrder]),                         // 16-19: PRN per order, 1 h
                rung(20, 60, &[NotifyProvider, EvaluateHigherLevel]), // 20+: notify, evaluate, 1 h
            ],
            // 4 h after 3 consecutive < 8; 8 h after 3 more; may stop after 48 h < 8:
            // REFERENCE.md §1 (0-7 row).
            step_down: Some(StepDown {
                below: 8,
                after_consecutive: 3,
                to_minutes: 240,
                then_after: 3,
                then_to_minutes: 480,
                stop_after_hours: 48,
            }),
            // "two consecutive scores > 10 (site order)": REFERENCE.md §1.
            notify_consecutive_over: Some((2, 10)),
            // Reassess 1 h after a PRN: unit configuration (the reference gives no figure).
            prn_reassess_minutes: 60,
        },
        // COWS: the reference gives NO ladder (REFERENCE.md §2). This is a minimal, conservative
        // unit default keyed to the COWS bands (0-4 none, 5-12 mild, 13+ moderate or worse),
        // for the ward to edit; not clinical guidance from the reference.
        Some("cows") => Ladder {
            scale: "cows".to_string(),
            rungs: vec![rung(0, 240, &[]), rung(5, 120, &[PrnPerOrder]), rung(13, 60, &[PrnPerOrder])],
            step_down: None,
            notify_consecutive_over: None,
            prn_reassess_minutes: 60,
        },
        // CIWA-B: the reference gives NO ladder (REFERENCE.md §3). Minimal unit default keyed to
        // the common band set (<= 20 mild, 21-40 moderate, 41+ severe); for the ward to edit.
        Some("ciwa-b") => Ladder {
            scale: "ciwa-b".to_string(),
            rungs: vec![rung(0, 240, &[]), rung(21, 120, &[PrnPerOrder]), rung(41, 60, &[PrnPerOrder, NotifyProvider])],
            step_down: None,
            notify_consecutive_over: None,
            prn_reassess_minutes: 60,
        },
        _ => Ladder {
            scale: scale_key.to_string(),
            rungs: vec![rung(0, FALLBACK_MINUTES, &[])],
            step_down: None,
            notify_consecutive_over: None,
            prn_reassess_minutes: FALLBACK_MINUTES,
        },
    }
}

impl Ladder {
    /// The next reassessment after `history` (completed scores, oldest first), or `None` with
    /// no history. The last score picks the rung; a run of consecutive low scores steps the
    /// interval down; `n` consecutive scores over the notify threshold add "notify provider";
    /// a PRN given after the last score brings the reassessment forward to
    /// `prn_reassess_minutes` after the dose when that is earlier. The 48-hour stop rule is
    /// measured back from the last score. The step-down counts scores, not their spacing.
    pub fn next_due(&self, history: &[Scored], last_prn: Option<DateTime<Utc>>) -> Option<Due> {
        let last = *history.last()?;
        let (mut interval, mut prompts, mut reason) = match self.rung_for(last.total) {
            Some(r) => (
                r.reassess_minutes,
                r.prompts.iter().copied().filter(|p| *p != Prompt::None).collect::<Vec<_>>(),
                format!("score {}: reassess in {}", last.total, minutes_text(r.reassess_minutes)),
            ),
            None => (
                FALLBACK_MINUTES,
                Vec::new(),
                format!(
                    "score {}: no rung of the {} ladder covers it; reassess in {} \
                     (check the unit's ladder)",
                    last.total,
                    self.scale,
                    minutes_text(FALLBACK_MINUTES)
                ),
            ),
        };
        let mut may_stop = false;
        if let Some(sd) = &self.step_down {
            let run = history.iter().rev().take_while(|s| s.total < sd.below).count();
            let first = usize::try_from(sd.after_consecutive).unwrap_or(usize::MAX);
            let second = first.saturating_add(usize::try_from(sd.then_after).unwrap_or(usize::MAX));
            let stage = if run >= second && sd.then_after > 0 {
                Some(sd.then_to_minutes)
            } else if run >= first && sd.after_consecutive > 0 {
                Some(sd.to_minutes)
            } else {
                None
            };
            if let Some(minutes) = stage {
                interval = minutes;
                reason = format!("{run} consecutive < {}: every {}", sd.below, minutes_text(minutes));
            }
            let run_start = history.len().checked_sub(run).and_then(|i| history.get(i));
            if let (true, Some(start)) = (run > 0 && sd.stop_after_hours > 0, run_start) {
                let span = last.at.signed_duration_since(start.at);
                let needed = TimeDelta::try_hours(i64::from(sd.stop_after_hours)).unwrap_or(TimeDelta::MAX);
                if span >= needed {
                    may_stop = true;
                    let _ = write!(
                        reason,
                        "; every score < {} for {} h: monitoring may stop (provider decides)",
                        sd.below, sd.stop_after_hours
                    );
                }
            }
        }
        if let Some((n, over)) = self.notify_consecutive_over {
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            let recent = history.len().checked_sub(n).and_then(|i| history.get(i..));
            if let Some(recent) = recent.filter(|r| !r.is_empty())
                && recent.iter().all(|s| s.total > over)
            {
                if !prompts.contains(&Prompt::NotifyProvider) {
                    prompts.push(Prompt::NotifyProvider);
                }
                let _ = write!(reason, "; {n} consecutive > {over}: notify provider");
            }
        }
        let mut at = add_minutes(last.at, interval);
        if let Some(prn) = last_prn.filter(|p| *p >= last.at) {
            // The PRN answered this score's PRN prompt; the next score decides the next one.
            prompts.retain(|p| *p != Prompt::PrnPerOrder);
            let after_prn = add_minutes(prn, self.prn_reassess_minutes);
            if after_prn < at {
                at = after_prn;
                interval = self.prn_reassess_minutes;
                reason = format!(
                    "PRN given after the last score: reassess {} after the dose ({reason})",
                    minutes_text(self.prn_reassess_minutes)
                );
            } else {
                reason.push_str("; PRN given since the last score");
            }
        }
        Some(Due { at, interval_minutes: interval, prompts, reason, monitoring_may_stop: may_stop })
    }

    /// Checks the ladder is usable: a known scale, rungs ascending from 0 within the scale's
    /// maximum, every interval positive, sensible step-down and notify rules.
    pub fn validate(&self) -> Result<(), String> {
        let Some(scale) = scales::by_key(&self.scale) else {
            return Err(format!("ladder for unknown scale {:?}", self.scale));
        };
        let Some(first) = self.rungs.first() else {
            return Err(format!("{} ladder has no rungs", scale.name));
        };
        if first.min_total != 0 {
            return Err(format!("{} ladder: the first rung must start at 0, not {}", scale.name, first.min_total));
        }
        for pair in self.rungs.windows(2) {
            if let [a, b] = pair
                && b.min_total <= a.min_total
            {
                return Err(format!(
                    "{} ladder: rungs must ascend, but {} follows {}",
                    scale.name, b.min_total, a.min_total
                ));
            }
        }
        for r in &self.rungs {
            if r.min_total > scale.max() {
                return Err(format!(
                    "{} ladder: rung {} is above the scale maximum {}",
                    scale.name,
                    r.min_total,
                    scale.max()
                ));
            }
            if r.reassess_minutes == 0 {
                return Err(format!("{} ladder: rung {} has no reassessment interval", scale.name, r.min_total));
            }
        }
        if self.prn_reassess_minutes == 0 {
            return Err(format!("{} ladder: the PRN reassessment interval must be positive", scale.name));
        }
        if let Some(sd) = &self.step_down {
            let counts = sd.after_consecutive > 0 && sd.then_after > 0;
            let minutes = sd.to_minutes > 0 && sd.then_to_minutes > 0;
            if sd.below == 0 || !counts || !minutes || sd.stop_after_hours == 0 {
                return Err(format!("{} ladder: every step-down figure must be positive", scale.name));
            }
        }
        if let Some((n, _)) = self.notify_consecutive_over
            && n == 0
        {
            return Err(format!("{} ladder: the notify rule needs at least 1 score", scale.name));
        }
        Ok(())
    }

    /// The rung holding `total`: the highest whose `min_total <= total`.
    fn rung_for(&self, total: u16) -> Option<&Rung> {
        self.rungs.iter().filter(|r| r.min_total <= total).max_by_key(|r| r.min_total)
    }
}

/// `t` plus `minutes`, saturating at the latest representable time.
fn add_minutes(t: DateTime<Utc>, minutes: u32) -> DateTime<Utc> {
    TimeDelta::try_minutes(i64::from(minutes)).and_then(|d| t.checked_add_signed(d)).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// "45 min", "1 h", "1 h 30 min".
fn minutes_text(m: u32) -> String {
    match (m / 60, m % 60) {
        (0, min) => format!("{min} min"),
        (h, 0) => format!("{h} h"),
        (h, min) => format!("{h} h {min} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_ladders_validate() {
        for scale in scales::ALL {
            assert_eq!(default_ladder(scale.key).validate(), Ok(()), "{}", scale.key);
        }
        assert!(default_ladder("nope").validate().is_err());
    }

    #[test]
    fn ladder_round_trips_through_json() {
        let ladder = default_ladder("CIWA-Ar");
        let json = serde_json::to_string(&ladder).expect("encode");
        assert!(json.contains("\"prn_per_order\""));
        let back: Ladder = serde_json::from_str(&json).expect("decode");
        assert_eq!(back, ladder);
    }

    #[test]
    fn minutes_read_naturally() {
        assert_eq!(minutes_text(45), "45 min");
        assert_eq!(minutes_text(60), "1 h");
        assert_eq!(minutes_text(90), "1 h 30 min");
        assert_eq!(minutes_text(480), "8 h");
    }

    #[test]
    fn prompt_texts() {
        assert_eq!(Prompt::PrnPerOrder.text(), "PRN per order");
        assert_eq!(Prompt::NotifyProvider.text(), "Notify provider now");
        assert_eq!(Prompt::EvaluateHigherLevel.text(), "Evaluate for higher level of care");
    }
}
