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
    /// Where the rung comes from ("CCJM table (REFERENCE.md §1)"); `None` = a unit default.
    /// Every rung shown to the nurse or by `config show` says one or the other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Rung {
    /// The rung's source for people: its citation, or "unit default".
    pub fn source_text(&self) -> &str {
        self.source.as_deref().unwrap_or(UNIT_DEFAULT)
    }
}

/// What a rung or rule with no published source is called on screen and in `config show`.
pub const UNIT_DEFAULT: &str = "unit default";

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
    /// A low score counts toward the step-down only when it comes at least the interval then in
    /// force, less this many minutes, after the previous counted one (REFERENCE.md §1: "a re-score
    /// taken before the current interval is due does not count"). The grace is a unit default.
    #[serde(default = "default_grace_minutes")]
    pub grace_minutes: u32,
}

/// The step-down's default grace: a check up to 15 minutes early still counts (unit default).
pub const DEFAULT_GRACE_MINUTES: u32 = 15;

fn default_grace_minutes() -> u32 {
    DEFAULT_GRACE_MINUTES
}

/// "Unable to assess" reasons that prompt "notify provider" by default: a delirious patient, and
/// one sedated past scoring ("not easily rousable": REFERENCE.md §1 notify rules). Unit
/// configuration. TODO(clinical): the form has no separate "not rousable" reason; a sedated but
/// rousable patient is charted as "sedated" too, so this errs toward calling the provider.
pub fn default_notify_unable() -> Vec<String> {
    vec!["delirious".to_string(), "sedated".to_string()]
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
    /// "Unable to assess" reasons that add "notify provider" (unit configuration, default on).
    #[serde(default = "default_notify_unable")]
    pub notify_when_unable: Vec<String>,
}

/// A completed assessment: a total, never "unable to assess" (that is [`Entry::Unable`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scored {
    /// When it was taken.
    pub at: DateTime<Utc>,
    /// Its total.
    pub total: u16,
}

/// One entry of ONE scale's own series, as the ladder reads it (REFERENCE.md §1: "The ladder
/// applies to one scale's own scores only ... a patient scored on two scales has two
/// schedules"). A caller never mixes scales in one history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A total.
    Scored(Scored),
    /// "Unable to assess", with its reason ("delirious", "sedated", ...): never a zero.
    Unable {
        /// When the attempt was made.
        at: DateTime<Utc>,
        /// The reason code.
        reason: String,
    },
}

impl Entry {
    /// When it was taken.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Entry::Scored(s) => s.at,
            Entry::Unable { at, .. } => *at,
        }
    }

    /// The total, if it is a score.
    pub fn total(&self) -> Option<u16> {
        match self {
            Entry::Scored(s) => Some(s.total),
            Entry::Unable { .. } => None,
        }
    }
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

/// What the store charted for one assessment, returned by the write that made it: the nurse is
/// told exactly this, never a re-read of "the latest row" (issue 14, point 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Charted {
    /// The new assessment's row id.
    pub id: i64,
    /// Its scale key.
    pub scale: String,
    /// Its total (`None` for "unable to assess").
    pub total: Option<u16>,
    /// Its band label and whether the band is a severe one (`None` with no total).
    pub band: Option<(String, bool)>,
    /// The "unable to assess" reason, if that is what was charted.
    pub unable_reason: Option<String>,
    /// The next reassessment and prompts the ladder gave it.
    pub due: Due,
    /// A later entry of the same scale was already charted: this one's due time and prompts
    /// are history, shown labelled "late entry".
    pub superseded: bool,
}

impl Charted {
    /// The prompts as stored ("PRN per order; Notify provider now").
    pub fn prompts_text(&self) -> String {
        prompts_text(&self.due.prompts)
    }
}

/// What the nurse is told after a save, from what was charted: "Saved CIWA-Ar 18 severe",
/// "next due 04:10", the prompts; a superseded late entry says so, and keeps its prompts.
pub fn saved_summary(c: &Charted, now: DateTime<Utc>, tz: chrono_tz::Tz) -> Vec<String> {
    let name = scales::by_key(&c.scale).map_or(c.scale.as_str(), |s| s.name);
    let mut out = vec![match (c.total, &c.band) {
        (Some(t), Some((band, _))) => format!("Saved {name} {t} {band}"),
        (Some(t), None) => format!("Saved {name} {t}"),
        (None, _) => format!("Saved {name}: unable to assess ({})", c.unable_reason.as_deref().unwrap_or("")),
    }];
    if c.superseded {
        out.push("late entry: a later score already set the schedule".to_string());
        out.push(format!("at the time: next due {}", super::time::local_short(c.due.at, now, tz)));
    } else {
        out.push(format!("next due {}", super::time::local_short(c.due.at, now, tz)));
    }
    if !c.due.prompts.is_empty() {
        let label = if c.superseded { "at the time: " } else { "" };
        out.push(format!("{label}{}", c.prompts_text()));
    }
    // Why, with the rung's source or "unit default" (issue 14, point 8).
    out.push(format!("why: {}", c.due.reason));
    out
}

/// Prompts joined as the record stores and shows them.
pub fn prompts_text(prompts: &[Prompt]) -> String {
    prompts.iter().map(Prompt::text).collect::<Vec<_>>().join("; ")
}

/// Interval used when no rung covers a total (an invalid ladder): hourly, the ladder's most
/// frequent default, so a configuration error never lengthens monitoring.
const FALLBACK_MINUTES: u32 = 60;

/// The CIWA-Ar ladder's citation, shown beside each rung it covers.
const CCJM: &str = "CCJM table (REFERENCE.md §1)";

/// The shipped default ladder of a scale (unit configuration, editable by the ward). An unknown
/// scale gets a single hourly rung, which [`Ladder::validate`] refuses.
pub fn default_ladder(scale_key: &str) -> Ladder {
    use Prompt::{EvaluateHigherLevel, NotifyProvider, PrnPerOrder};
    let key = scales::by_key(scale_key).map(|s| s.key);
    let rung = |min_total, reassess_minutes, prompts: &[Prompt], source: Option<&str>| Rung {
        min_total,
        reassess_minutes,
        prompts: prompts.to_vec(),
        source: source.map(str::to_string),
    };
    match key {
        Some("ciwa-ar") => Ladder {
            scale: "ciwa-ar".to_string(),
            // CIWA-Ar default ladder: REFERENCE.md §1 "Symptom-triggered schedule"
            // (CCJM table, Saitz-style protocols).
            rungs: vec![
                rung(0, 120, &[], Some(CCJM)),            // 0-7: no prompt, 2 h
                rung(8, 120, &[PrnPerOrder], Some(CCJM)), // 8-10: PRN per order, 2 h
                rung(11, 60, &[PrnPerOrder], Some(CCJM)), // 11-15: PRN per order, 1 h
                rung(16, 60, &[PrnPerOrder], Some(CCJM)), // 16-19: PRN per order, 1 h
                // 20+: PRN per order, and notify provider now; evaluate for higher level of care.
                // The prompts are CCJM's; the 1 h interval is a unit default (REFERENCE.md §1).
                rung(
                    20,
                    60,
                    &[PrnPerOrder, NotifyProvider, EvaluateHigherLevel],
                    Some("CCJM table (REFERENCE.md §1); 1 h: unit default"),
                ),
            ],
            // 4 h after 3 consecutive scheduled checks < 8; 8 h after 3 more at 4 h; may stop
            // after 48 h < 8: REFERENCE.md §1 (0-7 row).
            step_down: Some(StepDown {
                below: 8,
                after_consecutive: 3,
                to_minutes: 240,
                then_after: 3,
                then_to_minutes: 480,
                stop_after_hours: 48,
                grace_minutes: DEFAULT_GRACE_MINUTES,
            }),
            // "two consecutive scores > 10 (site order)": REFERENCE.md §1.
            notify_consecutive_over: Some((2, 10)),
            // Reassess 1 h after a PRN: unit configuration (the reference gives no figure).
            prn_reassess_minutes: 60,
            notify_when_unable: default_notify_unable(),
        },
        // COWS: the reference gives NO ladder (REFERENCE.md §2). This is a minimal, conservative
        // unit default keyed to the COWS bands (below 5 no band, 5-12 mild, 13+ moderate or
        // worse), for the ward to edit; not clinical guidance from the reference.
        Some("cows") => Ladder {
            scale: "cows".to_string(),
            rungs: vec![
                rung(0, 240, &[], None),
                rung(5, 120, &[PrnPerOrder], None),
                rung(13, 60, &[PrnPerOrder], None),
            ],
            step_down: None,
            notify_consecutive_over: None,
            prn_reassess_minutes: 60,
            notify_when_unable: default_notify_unable(),
        },
        // CIWA-B: the reference gives NO ladder (REFERENCE.md §3). Minimal unit default keyed to
        // the common band set (<= 20 mild, 21-40 moderate, 41+ severe); for the ward to edit.
        Some("ciwa-b") => Ladder {
            scale: "ciwa-b".to_string(),
            rungs: vec![
                rung(0, 240, &[], None),
                rung(21, 120, &[PrnPerOrder], None),
                rung(41, 60, &[PrnPerOrder, NotifyProvider], None),
            ],
            step_down: None,
            notify_consecutive_over: None,
            prn_reassess_minutes: 60,
            notify_when_unable: default_notify_unable(),
        },
        _ => Ladder {
            scale: scale_key.to_string(),
            rungs: vec![rung(0, FALLBACK_MINUTES, &[], None)],
            step_down: None,
            notify_consecutive_over: None,
            prn_reassess_minutes: FALLBACK_MINUTES,
            notify_when_unable: Vec::new(),
        },
    }
}

/// Where a run of low scores stands, walking one scale's series forward.
#[derive(Clone, Copy, Debug, Default)]
struct Run {
    /// Counted low scores in the current run.
    counted: usize,
    /// When the first counted score of the run was taken.
    started: Option<DateTime<Utc>>,
    /// When the last counted score was taken.
    last_counted: Option<DateTime<Utc>>,
}

impl Ladder {
    /// The next reassessment after `history` (completed scores of this ladder's scale, oldest
    /// first), or `None` with no history. See [`Ladder::chart`], which this calls.
    pub fn next_due(&self, history: &[Scored], last_prn: Option<DateTime<Utc>>) -> Option<Due> {
        let entries: Vec<Entry> = history.iter().copied().map(Entry::Scored).collect();
        self.chart(&entries, last_prn)
    }

    /// THE charting rule (the store, the generator and the demo all call this one): from one
    /// scale's own series, oldest first and ending with the entry being charted, to the next
    /// reassessment and the prompts in force.
    ///
    /// - The last score picks the rung (interval and prompts).
    /// - Step-down (REFERENCE.md §1, 0-7 row): low scores count only when each comes at least
    ///   the interval then in force, less the unit's grace, after the previous counted one; a
    ///   quick re-score neither counts nor breaks the run; a score at or above the threshold, or
    ///   "unable to assess", breaks it.
    /// - `n` consecutive scores over the notify threshold add "notify provider" ("unable to
    ///   assess" entries between them are skipped, not counted as low: the safer reading).
    /// - "Unable to assess" gives no rung: reassess at the ladder's most frequent interval, and
    ///   the unit's listed reasons (delirious, sedated) add "notify provider".
    /// - A PRN given after the last entry brings the reassessment forward to
    ///   `prn_reassess_minutes` after the dose, never later, and answers the PRN prompt.
    pub fn chart(&self, history: &[Entry], last_prn: Option<DateTime<Utc>>) -> Option<Due> {
        let last = history.last()?;
        let (mut interval, mut prompts, mut reason) = match last {
            Entry::Unable { reason: why, .. } => {
                let mins = self.rungs.iter().map(|r| r.reassess_minutes).min().unwrap_or(FALLBACK_MINUTES);
                let mut prompts = Vec::new();
                let mut reason = format!("unable to assess ({why}): reassess in {}", minutes_text(mins));
                if self.notify_when_unable.iter().any(|r| r == why) {
                    prompts.push(Prompt::NotifyProvider);
                    let _ = write!(reason, "; {why}: notify provider");
                }
                (mins, prompts, reason)
            }
            Entry::Scored(s) => match self.rung_for(s.total) {
                Some(r) => (
                    r.reassess_minutes,
                    r.prompts.iter().copied().filter(|p| *p != Prompt::None).collect::<Vec<_>>(),
                    format!(
                        "score {}: reassess in {} ({})",
                        s.total,
                        minutes_text(r.reassess_minutes),
                        r.source_text()
                    ),
                ),
                None => (
                    FALLBACK_MINUTES,
                    Vec::new(),
                    format!(
                        "score {}: no rung of the {} ladder covers it; reassess in {} \
                         (check the unit's ladder)",
                        s.total,
                        self.scale,
                        minutes_text(FALLBACK_MINUTES)
                    ),
                ),
            },
        };
        let mut may_stop = false;
        if let (Some(sd), Entry::Scored(last_score)) = (&self.step_down, last) {
            let run = self.walk_run(sd, history);
            if run.counted > 0 && last_score.total < sd.below {
                let stage = self.stage(sd, run.counted);
                if stage != self.base_interval(last_score.total) {
                    interval = stage;
                    reason = format!(
                        "{} consecutive scheduled checks < {}: every {}",
                        run.counted,
                        sd.below,
                        minutes_text(stage)
                    );
                }
                if let Some(start) = run.started {
                    let span = last_score.at.signed_duration_since(start);
                    let needed = TimeDelta::try_hours(i64::from(sd.stop_after_hours)).unwrap_or(TimeDelta::MAX);
                    if sd.stop_after_hours > 0 && span >= needed {
                        may_stop = true;
                        let _ = write!(
                            reason,
                            "; every score < {} for {} h: monitoring may stop (provider decides)",
                            sd.below, sd.stop_after_hours
                        );
                    }
                }
            }
        }
        if let (Some((n, over)), Entry::Scored(_)) = (self.notify_consecutive_over, last) {
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            let scores: Vec<u16> = history.iter().filter_map(Entry::total).collect();
            let recent = scores.len().checked_sub(n).and_then(|i| scores.get(i..));
            if let Some(recent) = recent.filter(|r| !r.is_empty())
                && recent.iter().all(|&t| t > over)
            {
                if !prompts.contains(&Prompt::NotifyProvider) {
                    prompts.push(Prompt::NotifyProvider);
                }
                let _ = write!(reason, "; {n} consecutive > {over}: notify provider");
            }
        }
        let last_at = last.at();
        let mut at = add_minutes(last_at, interval);
        if let Some(prn) = last_prn.filter(|p| *p >= last_at) {
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

    /// The rung's own interval for a total (the fallback when no rung covers it).
    fn base_interval(&self, total: u16) -> u32 {
        self.rung_for(total).map_or(FALLBACK_MINUTES, |r| r.reassess_minutes)
    }

    /// The interval a run of `counted` scheduled low checks earns.
    fn stage(&self, sd: &StepDown, counted: usize) -> u32 {
        let first = usize::try_from(sd.after_consecutive).unwrap_or(usize::MAX);
        let second = first.saturating_add(usize::try_from(sd.then_after).unwrap_or(usize::MAX));
        if counted >= second && sd.then_after > 0 {
            sd.then_to_minutes
        } else if counted >= first && sd.after_consecutive > 0 {
            sd.to_minutes
        } else {
            self.base_interval(0)
        }
    }

    /// Walks the series forward and returns the run of counted low scores in force at its end.
    fn walk_run(&self, sd: &StepDown, history: &[Entry]) -> Run {
        let mut run = Run::default();
        for e in history {
            match e {
                Entry::Unable { .. } => run = Run::default(),
                Entry::Scored(s) if s.total >= sd.below => run = Run::default(),
                Entry::Scored(s) => match run.last_counted {
                    None => run = Run { counted: 1, started: Some(s.at), last_counted: Some(s.at) },
                    Some(prev) => {
                        // The interval in force after the previous counted check, less the grace.
                        let needed = i64::from(self.stage(sd, run.counted).saturating_sub(sd.grace_minutes));
                        if s.at.signed_duration_since(prev) >= TimeDelta::minutes(needed) {
                            run.counted += 1;
                            run.last_counted = Some(s.at);
                        }
                    }
                },
            }
        }
        run
    }

    /// Checks the ladder may be filed under `scale_key`: it is that scale's ladder (a CIWA-Ar
    /// ladder's rungs mean nothing for COWS), and it is usable.
    pub fn validate_for(&self, scale_key: &str) -> Result<(), String> {
        let filed = scales::by_key(scale_key).ok_or_else(|| format!("unknown scale {scale_key:?}"))?;
        let own = scales::by_key(&self.scale);
        if own.map(|s| s.key) != Some(filed.key) {
            let own = own.map_or(format!("{:?}", self.scale), |s| s.name.to_string());
            return Err(format!(
                "this is a ladder for {own}, not {}: file it under its own scale, or write a {} ladder",
                filed.name, filed.name
            ));
        }
        self.validate()
    }

    /// The ladder for people, one line per rung and rule, each with its source or "unit
    /// default": "0-7: every 2 h; no prompt [CCJM table (REFERENCE.md §1)]".
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (i, r) in self.rungs.iter().enumerate() {
            let range = match self.rungs.get(i + 1) {
                Some(next) if next.min_total > r.min_total + 1 => format!("{}-{}", r.min_total, next.min_total - 1),
                Some(_) => r.min_total.to_string(),
                None => format!("{}+", r.min_total),
            };
            let prompts = if r.prompts.is_empty() { "no prompt".to_string() } else { prompts_text(&r.prompts) };
            out.push(format!("{range}: every {}; {prompts} [{}]", minutes_text(r.reassess_minutes), r.source_text()));
        }
        if let Some(sd) = &self.step_down {
            out.push(format!(
                "step-down: {} scheduled checks < {} -> every {}; {} more -> every {}; may stop after {} h < {} \
                 (a check counts {} min early at most) [REFERENCE.md §1; grace: {UNIT_DEFAULT}]",
                sd.after_consecutive,
                sd.below,
                minutes_text(sd.to_minutes),
                sd.then_after,
                minutes_text(sd.then_to_minutes),
                sd.stop_after_hours,
                sd.below,
                sd.grace_minutes
            ));
        }
        if let Some((n, over)) = self.notify_consecutive_over {
            out.push(format!("notify provider after {n} consecutive > {over} [REFERENCE.md §1, site order]"));
        }
        if !self.notify_when_unable.is_empty() {
            out.push(format!(
                "notify provider when unable to assess: {} [{UNIT_DEFAULT}]",
                self.notify_when_unable.join(", ")
            ));
        }
        out.push(format!("after a PRN: reassess in {} [{UNIT_DEFAULT}]", minutes_text(self.prn_reassess_minutes)));
        out
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
