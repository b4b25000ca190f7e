//! Medication orders as the prescriber gave them (REFERENCE.md §9): scheduled (every N hours from
//! a first time), a fixed taper (dated steps), or PRN (as needed, with its indication and, where
//! the order gives one, a score threshold). The software never proposes a drug or a dose: every
//! field here is text or a number the nurse typed from the order; nothing is filled in for her.
//!
//! Pure: no IO, no SQL. The store reads and writes these (src/store/meds.rs); the MAR screen and
//! the printed MAR read [`due_times`] and [`prn_available`].
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::text::{clean_line, required_line};
use super::time::{clock, parse_event_time, parse_event_time_allowing_future};

/// Routes an order may name (the schema's CHECK on med_order.route and med_admin.route).
pub const ROUTES: [&str; 8] = ["PO", "SL", "IM", "IV", "PR", "SC", "TD", "other"];

/// The scales a PRN may be triggered by (the schema's CHECK on med_order.prn_scale).
pub const PRN_SCALES: [&str; 3] = ["ciwa-ar", "cows", "ciwa-b"];

/// The kinds of order (REFERENCE.md §9, "order patterns in use").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderKind {
    Scheduled,
    Taper,
    Prn,
}

impl OrderKind {
    pub fn as_db(self) -> &'static str {
        match self {
            OrderKind::Scheduled => "scheduled",
            OrderKind::Taper => "taper",
            OrderKind::Prn => "prn",
        }
    }

    pub fn from_db(s: &str) -> Option<OrderKind> {
        match s {
            "scheduled" => Some(OrderKind::Scheduled),
            "taper" => Some(OrderKind::Taper),
            "prn" => Some(OrderKind::Prn),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OrderKind::Scheduled => "scheduled",
            OrderKind::Taper => "taper",
            OrderKind::Prn => "PRN",
        }
    }
}

/// How the order reached the nurse. REFERENCE.md §9: "a transcribed verbal or telephone order is
/// marked as such and read back".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderMode {
    Written,
    Verbal,
    Telephone,
}

impl OrderMode {
    pub fn as_db(self) -> &'static str {
        match self {
            OrderMode::Written => "written",
            OrderMode::Verbal => "verbal",
            OrderMode::Telephone => "telephone",
        }
    }

    pub fn from_db(s: &str) -> Option<OrderMode> {
        match s.trim().to_ascii_lowercase().as_str() {
            "written" => Some(OrderMode::Written),
            "verbal" => Some(OrderMode::Verbal),
            "telephone" | "phone" => Some(OrderMode::Telephone),
            _ => None,
        }
    }
}

/// One dated step of a fixed taper: from `starts_at`, `dose` every `every_hours` hours, `doses`
/// times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub starts_at: DateTime<Utc>,
    pub dose: String,
    pub every_hours: u32,
    pub doses: u32,
}

impl Step {
    /// The time of this step's last dose.
    pub fn last_at(&self) -> DateTime<Utc> {
        self.starts_at + Duration::hours(i64::from(self.every_hours) * i64::from(self.doses.saturating_sub(1)))
    }
}

/// A PRN's rule: the indication in the order's words, the score trigger where the order gives one
/// ("CIWA-Ar >= 8"), how soon it may repeat and how many doses in 24 hours at most.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrnRule {
    pub indication: String,
    /// (scale key, minimum total): given only when the last score of that scale is at least this.
    pub trigger: Option<(String, u16)>,
    pub repeat_minutes: Option<u32>,
    pub max_per_24h: Option<u32>,
}

/// When the doses of an order fall.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// Every `every_hours` hours from `first_due_at`, until stopped or (exclusive) `ends_at`.
    Scheduled {
        every_hours: u32,
        first_due_at: DateTime<Utc>,
        ends_at: Option<DateTime<Utc>>,
    },
    /// Dated steps, in order.
    Taper(Vec<Step>),
    Prn(PrnRule),
}

impl Schedule {
    pub fn kind(&self) -> OrderKind {
        match self {
            Schedule::Scheduled { .. } => OrderKind::Scheduled,
            Schedule::Taper(_) => OrderKind::Taper,
            Schedule::Prn(_) => OrderKind::Prn,
        }
    }
}

/// Hold parameters (REFERENCE.md §9: "hold if RASS <= -2, RR < 12, SBP < 90"): hold when the
/// value is at or below `rass_at_or_below`, or below `rr_below` / `sbp_below` / `hr_below`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Holds {
    pub rass_at_or_below: Option<i32>,
    pub rr_below: Option<i32>,
    pub sbp_below: Option<i32>,
    pub hr_below: Option<i32>,
}

impl Holds {
    pub fn is_empty(&self) -> bool {
        *self == Holds::default()
    }

    /// "hold if RASS <= -2, RR < 12, SBP < 90", or "" with none.
    pub fn text(&self) -> String {
        let mut parts = Vec::new();
        if let Some(v) = self.rass_at_or_below {
            parts.push(format!("RASS <= {v}"));
        }
        if let Some(v) = self.rr_below {
            parts.push(format!("RR < {v}"));
        }
        if let Some(v) = self.sbp_below {
            parts.push(format!("SBP < {v}"));
        }
        if let Some(v) = self.hr_below {
            parts.push(format!("HR < {v}"));
        }
        if parts.is_empty() { String::new() } else { format!("hold if {}", parts.join(", ")) }
    }
}

/// A checked new order, ready for the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOrder {
    pub drug: String,
    /// The dose as written, with its units (a taper's steps carry their own doses).
    pub dose: String,
    pub route: String,
    pub schedule: Schedule,
    pub holds: Holds,
    pub note: Option<String>,
    pub prescriber: String,
    pub ordered_at: DateTime<Utc>,
    pub mode: OrderMode,
    pub read_back: bool,
    /// The order this one replaces (a change is a new order).
    pub replaces: Option<i64>,
}

impl NewOrder {
    pub fn kind(&self) -> OrderKind {
        self.schedule.kind()
    }
}

/// A discontinued order's stop: once, with who, when and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stop {
    pub stopped_at: DateTime<Utc>,
    pub by: String,
    pub reason: String,
}

/// An order as read back from the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    pub id: i64,
    pub stay_id: i64,
    pub drug: String,
    pub dose: String,
    pub route: String,
    pub schedule: Schedule,
    pub holds: Holds,
    pub note: Option<String>,
    pub prescriber: String,
    pub ordered_at: DateTime<Utc>,
    pub mode: OrderMode,
    pub read_back: bool,
    pub replaces: Option<i64>,
    pub entered_by: String,
    pub entered_at: DateTime<Utc>,
    pub stop: Option<Stop>,
}

impl Order {
    pub fn kind(&self) -> OrderKind {
        self.schedule.kind()
    }

    /// Active at `now`: not discontinued by then.
    pub fn active_at(&self, now: DateTime<Utc>) -> bool {
        self.stop.as_ref().is_none_or(|s| s.stopped_at > now)
    }

    /// The PRN rule, for a PRN order.
    pub fn prn(&self) -> Option<&PrnRule> {
        match &self.schedule {
            Schedule::Prn(r) => Some(r),
            _ => None,
        }
    }

    /// One line as the order reads: "lorazepam 2 mg PO q6h" / "... taper, 4 steps" / "... PRN
    /// alcohol withdrawal CIWA-Ar >= 8, q1h, max 4/24 h".
    pub fn summary(&self) -> String {
        let how = match &self.schedule {
            Schedule::Scheduled { every_hours, .. } => format!("q{every_hours}h"),
            Schedule::Taper(steps) => format!("taper, {}", super::text::count(steps.len(), "step", "steps")),
            Schedule::Prn(r) => {
                let mut s = format!("PRN {}", r.indication);
                if let Some((scale, min)) = &r.trigger {
                    s.push_str(&format!(" {} >= {min}", scale_label(scale)));
                }
                if let Some(m) = r.repeat_minutes {
                    s.push_str(&format!(", {}", repeat_text(m)));
                }
                if let Some(max) = r.max_per_24h {
                    s.push_str(&format!(", max {max}/24 h"));
                }
                s
            }
        };
        format!("{} {} {} {how}", self.drug, self.dose, self.route)
    }
}

/// "CIWA-Ar", "COWS", "CIWA-B" for a scale key.
pub fn scale_label(key: &str) -> &str {
    match key {
        "ciwa-ar" => "CIWA-Ar",
        "cows" => "COWS",
        "ciwa-b" => "CIWA-B",
        other => other,
    }
}

/// "q1h", "q90min".
fn repeat_text(minutes: u32) -> String {
    if minutes.is_multiple_of(60) { format!("q{}h", minutes / 60) } else { format!("q{minutes}min") }
}

/// One dose due: when, and the dose as written (a taper step's own dose).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueDose {
    pub at: DateTime<Utc>,
    pub dose: String,
}

/// The doses of a scheduled or taper order due in `[from, to)`, in time order; none for a PRN.
/// A dose at or after the order's stop is not due; a scheduled order's `ends_at` is exclusive.
// TODO(clinical): REFERENCE.md §9 does not say whether a dose falling exactly at the order's end
// time is still given; chosen: not (the end is the first moment the order no longer runs).
pub fn due_times(order: &Order, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DueDose> {
    let to = match &order.stop {
        Some(s) if s.stopped_at < to => s.stopped_at,
        _ => to,
    };
    if to <= from {
        return Vec::new();
    }
    let mut out = Vec::new();
    match &order.schedule {
        Schedule::Scheduled { every_hours, first_due_at, ends_at } => {
            let to = ends_at.map_or(to, |e| e.min(to));
            let every = Duration::hours(i64::from((*every_hours).max(1)));
            // Skip straight to the first dose at or after `from`.
            let mut k = 0i64;
            if from > *first_due_at {
                let gap = (from - *first_due_at).num_seconds();
                k = (gap + every.num_seconds() - 1) / every.num_seconds();
            }
            let at_k = |k: i64| {
                i32::try_from(k)
                    .ok()
                    .and_then(|k| every.checked_mul(k))
                    .and_then(|d| first_due_at.checked_add_signed(d))
            };
            while let Some(at) = at_k(k).filter(|at| *at < to) {
                if at >= from {
                    out.push(DueDose { at, dose: order.dose.clone() });
                }
                k += 1;
            }
        }
        Schedule::Taper(steps) => {
            for step in steps {
                let every = Duration::hours(i64::from(step.every_hours.max(1)));
                for k in 0..step.doses {
                    let at = step.starts_at + every * k as i32;
                    if at >= from && at < to {
                        out.push(DueDose { at, dose: step.dose.clone() });
                    }
                }
            }
            out.sort_by_key(|d| d.at);
        }
        Schedule::Prn(_) => {}
    }
    out
}

/// The stay's last score on a PRN's scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LastScore {
    /// `None`: the last entry was "unable to assess".
    pub total: Option<u16>,
    pub at: DateTime<Utc>,
}

/// Whether a PRN may be given now, and if not, why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrnStatus {
    Available,
    /// Not a PRN, or discontinued.
    NotActive,
    /// The order's scale has no score on this stay yet.
    NoScore {
        scale: String,
    },
    /// The last entry of the scale was "unable to assess".
    Unable {
        scale: String,
    },
    /// The last score is below the order's threshold.
    BelowTrigger {
        scale: String,
        score: u16,
        min: u16,
    },
    /// The last score was taken before the last dose: it already led to a dose.
    ScoreBeforeLastDose {
        scale: String,
    },
    /// Too soon after the last dose (may repeat every `repeat_minutes`).
    TooSoon {
        next: DateTime<Utc>,
        repeat_minutes: u32,
    },
    /// The 24-hour maximum is reached.
    MaxReached {
        given: u32,
        max: u32,
    },
}

impl PrnStatus {
    pub fn is_available(&self) -> bool {
        *self == PrnStatus::Available
    }

    /// In words: "available", "last CIWA-Ar 5 < 8", "next at 03:10 (q1h)", "4 of 4 in 24 h".
    pub fn text(&self, tz: Tz) -> String {
        match self {
            PrnStatus::Available => "available now".into(),
            PrnStatus::NotActive => "discontinued".into(),
            PrnStatus::NoScore { scale } => format!("no {} score yet", scale_label(scale)),
            PrnStatus::Unable { scale } => format!("last {}: unable to assess", scale_label(scale)),
            PrnStatus::BelowTrigger { scale, score, min } => format!("last {} {score} < {min}", scale_label(scale)),
            PrnStatus::ScoreBeforeLastDose { scale } => {
                format!("no {} since the last dose: score first", scale_label(scale))
            }
            PrnStatus::TooSoon { next, repeat_minutes } => {
                format!("next at {} ({})", clock(*next, tz), repeat_text(*repeat_minutes))
            }
            PrnStatus::MaxReached { given, max } => format!("{given} of {max} in 24 h"),
        }
    }
}

/// Whether a PRN order may be given at `now` (REFERENCE.md §9: "lorazepam 1-2 mg PO when
/// CIWA-Ar &gt;= 8, may repeat q1h"): the last score of its scale at or above the threshold, the repeat
/// interval gone by since `last_given`, fewer than the maximum in the 24 hours before now
/// (`doses_in_24h`, given doses only). The dose itself is always the order's, never proposed.
// TODO(clinical): REFERENCE.md §9 is silent on a score that already led to a dose; chosen: a
// score-triggered PRN needs a score taken after the last dose (each dose answers its own score,
// as the symptom-triggered ladder's reassessment after a PRN does, REFERENCE.md §1).
pub fn prn_available(
    order: &Order,
    last_score: Option<LastScore>,
    doses_in_24h: u32,
    last_given: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> PrnStatus {
    let Some(rule) = order.prn() else { return PrnStatus::NotActive };
    if !order.active_at(now) {
        return PrnStatus::NotActive;
    }
    if let Some(max) = rule.max_per_24h
        && doses_in_24h >= max
    {
        return PrnStatus::MaxReached { given: doses_in_24h, max };
    }
    if let (Some(m), Some(last)) = (rule.repeat_minutes, last_given) {
        let next = last + Duration::minutes(i64::from(m));
        if next > now {
            return PrnStatus::TooSoon { next, repeat_minutes: m };
        }
    }
    if let Some((scale, min)) = &rule.trigger {
        let Some(score) = last_score else { return PrnStatus::NoScore { scale: scale.clone() } };
        let Some(total) = score.total else { return PrnStatus::Unable { scale: scale.clone() } };
        if total < *min {
            return PrnStatus::BelowTrigger { scale: scale.clone(), score: total, min: *min };
        }
        if last_given.is_some_and(|g| score.at <= g) {
            return PrnStatus::ScoreBeforeLastDose { scale: scale.clone() };
        }
    }
    PrnStatus::Available
}

/// Read hold parameters written as the order gives them: "RASS <= -2, RR < 12, SBP < 90, HR <
/// 50" (any of them, any order; empty is none). REFERENCE.md §9: RASS holds at or below its
/// limit, RR, SBP and HR below theirs, so those are the only signs taken: a sign that says
/// otherwise is refused rather than read another way.
pub fn parse_holds(s: &str) -> Result<Holds, String> {
    let mut h = Holds::default();
    let t = s.trim().trim_start_matches("hold if").trim();
    if t.is_empty() {
        return Ok(h);
    }
    for part in t.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        let compact: String = part.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        let (name, sign, value) = ["<=", "<"]
            .iter()
            .find_map(|sign| compact.split_once(sign).map(|(n, v)| (n.to_string(), *sign, v.to_string())))
            .ok_or_else(|| format!("Hold if: {part:?}: write it as RASS <= -2, RR < 12, SBP < 90 or HR < 50"))?;
        let v: i32 = value
            .trim_start_matches('+')
            .parse()
            .map_err(|_| format!("Hold if: {part:?}: the limit is a whole number"))?;
        let (slot, want, lo, hi) = match name.as_str() {
            "rass" => (&mut h.rass_at_or_below, "<=", -5, 4),
            "rr" => (&mut h.rr_below, "<", 4, 40),
            "sbp" => (&mut h.sbp_below, "<", 50, 200),
            "hr" => (&mut h.hr_below, "<", 25, 150),
            _ => return Err(format!("Hold if: {part:?}: the parameters are RASS, RR, SBP and HR")),
        };
        if sign != want {
            return Err(format!("Hold if: {} holds when the value is {want} its limit", name.to_ascii_uppercase()));
        }
        if !(lo..=hi).contains(&v) {
            return Err(format!("Hold if: {} limit from {lo} to {hi}", name.to_ascii_uppercase()));
        }
        if slot.replace(v).is_some() {
            return Err(format!("Hold if: {} is given twice", name.to_ascii_uppercase()));
        }
    }
    Ok(h)
}

/// One taper step as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepForm {
    pub starts_at: String,
    pub dose: String,
    pub every_hours: String,
    pub doses: String,
}

/// The order form's fields as typed. Empty means not typed: nothing is filled in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderForm {
    /// "scheduled", "taper" or "prn".
    pub kind: String,
    pub drug: String,
    pub dose: String,
    pub route: String,
    pub every_hours: String,
    pub first_due_at: String,
    pub ends_at: String,
    pub steps: Vec<StepForm>,
    pub prn_indication: String,
    pub prn_scale: String,
    pub prn_min_score: String,
    pub prn_repeat_minutes: String,
    pub prn_max_per_24h: String,
    pub hold_rass: String,
    pub hold_rr: String,
    pub hold_sbp: String,
    pub hold_hr: String,
    pub note: String,
    pub prescriber: String,
    pub ordered_at: String,
    /// "written", "verbal" or "telephone".
    pub mode: String,
    pub read_back: bool,
    pub replaces: Option<i64>,
}

/// An optional whole number in `lo..=hi`: empty is `None` (not typed), never a default.
fn optional_int(field: &str, s: &str, lo: i32, hi: i32) -> Result<Option<i32>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i32>() {
        Ok(v) if (lo..=hi).contains(&v) => Ok(Some(v)),
        _ => Err(format!("{field}: type a whole number from {lo} to {hi}")),
    }
}

fn required_int(field: &str, s: &str, lo: i32, hi: i32) -> Result<i32, String> {
    optional_int(field, s, lo, hi)?.ok_or_else(|| format!("{field} is required"))
}

/// A dose as written: with an amount (a digit) in it.
fn dose_text(field: &str, s: &str) -> Result<String, String> {
    let dose = required_line(field, s, 40)?;
    if !dose.chars().any(|c| c.is_ascii_digit()) {
        return Err(format!("{field}: give the amount with its unit as written, e.g. 25 mg"));
    }
    Ok(dose)
}

/// Check the order form (REFERENCE.md §9). Each limit is the schema's (0006 migration).
pub fn validate(form: &OrderForm, now: DateTime<Utc>, tz: Tz) -> Result<NewOrder, String> {
    let drug = required_line("Drug", &form.drug, 80)?;
    let dose = dose_text("Dose (as written, with units)", &form.dose)?;
    let route = form.route.trim();
    let Some(route) = ROUTES.iter().find(|r| r.eq_ignore_ascii_case(route)) else {
        return Err(format!("Route: choose one ({})", ROUTES.join(", ")));
    };
    let kind =
        OrderKind::from_db(form.kind.trim()).ok_or_else(|| "Kind: choose scheduled, taper or PRN".to_string())?;
    let schedule = match kind {
        OrderKind::Scheduled => {
            let every_hours = required_int("Every (hours)", &form.every_hours, 1, 168)? as u32;
            let first_due_at = parse_event_time_allowing_future("First dose at", &form.first_due_at, now, tz)?;
            let ends_at = if form.ends_at.trim().is_empty() {
                None
            } else {
                let e = parse_event_time_allowing_future("Ends at", &form.ends_at, now, tz)?;
                if e <= first_due_at {
                    return Err("Ends at: the end comes after the first dose".into());
                }
                Some(e)
            };
            Schedule::Scheduled { every_hours, first_due_at, ends_at }
        }
        OrderKind::Taper => {
            let typed: Vec<&StepForm> = form
                .steps
                .iter()
                .filter(|s| {
                    !(s.starts_at.trim().is_empty()
                        && s.dose.trim().is_empty()
                        && s.every_hours.trim().is_empty()
                        && s.doses.trim().is_empty())
                })
                .collect();
            if typed.is_empty() {
                return Err("Steps: a taper needs at least one dated step".into());
            }
            if typed.len() > 60 {
                return Err("Steps: at most 60".into());
            }
            let mut steps: Vec<Step> = Vec::new();
            for (i, s) in typed.iter().enumerate() {
                let n = i + 1;
                let starts_at =
                    parse_event_time_allowing_future(&format!("Step {n} starts at"), &s.starts_at, now, tz)?;
                let dose = dose_text(&format!("Step {n} dose"), &s.dose)?;
                let every_hours = required_int(&format!("Step {n} every (hours)"), &s.every_hours, 1, 168)? as u32;
                let doses = required_int(&format!("Step {n} doses"), &s.doses, 1, 48)? as u32;
                let step = Step { starts_at, dose, every_hours, doses };
                if let Some(prev) = steps.last()
                    && step.starts_at <= prev.last_at()
                {
                    return Err(format!("Step {n} starts at: after step {}'s last dose", n - 1));
                }
                steps.push(step);
            }
            Schedule::Taper(steps)
        }
        OrderKind::Prn => {
            let indication = required_line("PRN indication", &form.prn_indication, 120)?;
            let scale = form.prn_scale.trim().to_ascii_lowercase();
            let min = optional_int("PRN minimum score", &form.prn_min_score, 0, 80)?;
            let trigger = match (scale.is_empty(), min) {
                (true, None) => None,
                (false, Some(min)) => {
                    if !PRN_SCALES.contains(&scale.as_str()) {
                        return Err(format!("PRN scale: choose one ({})", PRN_SCALES.join(", ")));
                    }
                    Some((scale, min as u16))
                }
                (false, None) => return Err("PRN minimum score: the order names a scale; type its threshold".into()),
                (true, Some(_)) => return Err("PRN scale: a threshold needs its scale".into()),
            };
            let repeat_minutes = optional_int("May repeat every (minutes)", &form.prn_repeat_minutes, 5, 1440)?;
            let max_per_24h = optional_int("Max doses per 24 h", &form.prn_max_per_24h, 1, 48)?;
            Schedule::Prn(PrnRule {
                indication,
                trigger,
                repeat_minutes: repeat_minutes.map(|v| v as u32),
                max_per_24h: max_per_24h.map(|v| v as u32),
            })
        }
    };
    if kind != OrderKind::Scheduled
        && [&form.every_hours, &form.first_due_at, &form.ends_at].iter().any(|f| !f.trim().is_empty())
    {
        return Err("Every / first dose / ends at belong to a scheduled order".into());
    }
    if kind != OrderKind::Prn
        && [&form.prn_indication, &form.prn_scale, &form.prn_min_score, &form.prn_repeat_minutes, &form.prn_max_per_24h]
            .iter()
            .any(|f| !f.trim().is_empty())
    {
        return Err("The PRN fields belong to a PRN order".into());
    }
    if kind != OrderKind::Taper && form.steps.iter().any(|s| *s != StepForm::default()) {
        return Err("Dated steps belong to a taper order".into());
    }
    let holds = Holds {
        rass_at_or_below: optional_int("Hold if RASS at or below", &form.hold_rass, -5, 4)?,
        rr_below: optional_int("Hold if RR below", &form.hold_rr, 4, 40)?,
        sbp_below: optional_int("Hold if SBP below", &form.hold_sbp, 50, 200)?,
        hr_below: optional_int("Hold if HR below", &form.hold_hr, 25, 150)?,
    };
    let note = clean_line("Note", &form.note, 200)?;
    let prescriber = required_line("Prescriber", &form.prescriber, 80)?;
    let ordered_at = parse_event_time("Ordered at", &form.ordered_at, now, tz)?;
    let mode =
        OrderMode::from_db(&form.mode).ok_or_else(|| "Order: choose written, verbal or telephone".to_string())?;
    if mode != OrderMode::Written && !form.read_back {
        return Err(format!("A {} order is read back to the prescriber before it is entered", mode.as_db()));
    }
    Ok(NewOrder {
        drug,
        dose,
        route: route.to_string(),
        schedule,
        holds,
        note: (!note.is_empty()).then_some(note),
        prescriber,
        ordered_at,
        mode,
        read_back: form.read_back,
        replaces: form.replaces,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap()
    }

    fn order(schedule: Schedule) -> Order {
        Order {
            id: 1,
            stay_id: 1,
            drug: "lorazepam".into(),
            dose: "2 mg".into(),
            route: "PO".into(),
            schedule,
            holds: Holds::default(),
            note: None,
            prescriber: "Dr Ames".into(),
            ordered_at: t(0, 0),
            mode: OrderMode::Written,
            read_back: false,
            replaces: None,
            entered_by: "nurse".into(),
            entered_at: t(0, 0),
            stop: None,
        }
    }

    fn prn(trigger: Option<(&str, u16)>, repeat: Option<u32>, max: Option<u32>) -> Order {
        order(Schedule::Prn(PrnRule {
            indication: "alcohol withdrawal".into(),
            trigger: trigger.map(|(s, m)| (s.to_string(), m)),
            repeat_minutes: repeat,
            max_per_24h: max,
        }))
    }

    #[test]
    fn scheduled_doses_fall_every_n_hours_inside_the_window() {
        let o = order(Schedule::Scheduled { every_hours: 6, first_due_at: t(2, 0), ends_at: Some(t(20, 0)) });
        let at: Vec<_> = due_times(&o, t(3, 0), t(23, 0)).into_iter().map(|d| d.at).collect();
        // 08:00 and 14:00; 20:00 is the (exclusive) end.
        assert_eq!(at, vec![t(8, 0), t(14, 0)]);
        let at: Vec<_> = due_times(&o, t(0, 0), t(8, 0)).into_iter().map(|d| d.at).collect();
        assert_eq!(at, vec![t(2, 0)]);
    }

    #[test]
    fn no_dose_is_due_after_a_stop() {
        let mut o = order(Schedule::Scheduled { every_hours: 4, first_due_at: t(0, 0), ends_at: None });
        o.stop = Some(Stop { stopped_at: t(9, 0), by: "n".into(), reason: "r".into() });
        let at: Vec<_> = due_times(&o, t(0, 0), t(23, 0)).into_iter().map(|d| d.at).collect();
        assert_eq!(at, vec![t(0, 0), t(4, 0), t(8, 0)]);
    }

    #[test]
    fn a_taper_gives_each_steps_own_dose() {
        let o = order(Schedule::Taper(vec![
            Step { starts_at: t(0, 0), dose: "50 mg".into(), every_hours: 6, doses: 2 },
            Step { starts_at: t(12, 0), dose: "25 mg".into(), every_hours: 8, doses: 2 },
        ]));
        let due = due_times(&o, t(0, 0), t(23, 59));
        let got: Vec<_> = due.iter().map(|d| (d.at, d.dose.as_str())).collect();
        assert_eq!(got, vec![(t(0, 0), "50 mg"), (t(6, 0), "50 mg"), (t(12, 0), "25 mg"), (t(20, 0), "25 mg")]);
        assert!(due_times(&prn(None, None, None), t(0, 0), t(23, 0)).is_empty());
    }

    #[test]
    fn prn_says_why_it_is_not_available() {
        let tz = chrono_tz::UTC;
        let o = prn(Some(("ciwa-ar", 8)), Some(60), Some(4));
        let score = |total, at| Some(LastScore { total: Some(total), at });
        assert_eq!(prn_available(&o, None, 0, None, t(2, 0)).text(tz), "no CIWA-Ar score yet");
        assert_eq!(prn_available(&o, score(5, t(1, 0)), 0, None, t(2, 0)).text(tz), "last CIWA-Ar 5 < 8");
        assert!(prn_available(&o, score(8, t(1, 0)), 0, None, t(2, 0)).is_available());
        assert_eq!(prn_available(&o, score(12, t(2, 30)), 1, Some(t(2, 10)), t(2, 40)).text(tz), "next at 03:10 (q1h)");
        assert_eq!(prn_available(&o, score(12, t(1, 0)), 4, Some(t(1, 5)), t(9, 0)).text(tz), "4 of 4 in 24 h");
        assert!(matches!(
            prn_available(&o, score(12, t(1, 0)), 1, Some(t(1, 5)), t(3, 0)),
            PrnStatus::ScoreBeforeLastDose { .. }
        ));
        assert!(prn_available(&o, score(12, t(2, 0)), 1, Some(t(1, 5)), t(3, 0)).is_available());
        let unable = Some(LastScore { total: None, at: t(1, 0) });
        assert_eq!(prn_available(&o, unable, 0, None, t(2, 0)).text(tz), "last CIWA-Ar: unable to assess");
        // No trigger: only the repeat interval and the maximum count.
        assert!(prn_available(&prn(None, None, None), None, 9, Some(t(2, 59)), t(3, 0)).is_available());
    }

    fn form() -> OrderForm {
        OrderForm {
            kind: "prn".into(),
            drug: "lorazepam".into(),
            dose: "2 mg".into(),
            route: "PO".into(),
            prn_indication: "alcohol withdrawal".into(),
            prn_scale: "ciwa-ar".into(),
            prn_min_score: "8".into(),
            prn_repeat_minutes: "60".into(),
            prn_max_per_24h: "4".into(),
            hold_rass: "-2".into(),
            prescriber: "Dr Ames".into(),
            ordered_at: "now".into(),
            mode: "written".into(),
            ..OrderForm::default()
        }
    }

    #[test]
    fn the_form_is_checked_and_nothing_is_filled_in() {
        let tz = chrono_tz::UTC;
        let now = t(10, 0);
        let o = validate(&form(), now, tz).unwrap();
        assert_eq!(o.holds, Holds { rass_at_or_below: Some(-2), ..Holds::default() });
        assert_eq!(o.kind(), OrderKind::Prn);
        let e = |f: OrderForm| validate(&f, now, tz).unwrap_err();
        assert!(e(OrderForm { dose: "".into(), ..form() }).contains("required"));
        assert!(e(OrderForm { dose: "two".into(), ..form() }).contains("amount"));
        assert!(e(OrderForm { prn_min_score: "".into(), ..form() }).contains("threshold"));
        assert!(e(OrderForm { mode: "verbal".into(), ..form() }).contains("read back"));
        assert!(validate(&OrderForm { mode: "verbal".into(), read_back: true, ..form() }, now, tz).is_ok());
        assert!(e(OrderForm { hold_rass: "-9".into(), ..form() }).contains("-5 to 4"));
        assert!(e(OrderForm { prescriber: " ".into(), ..form() }).contains("Prescriber"));
        assert!(e(OrderForm { ordered_at: "".into(), ..form() }).contains("required"));
        assert!(e(OrderForm { kind: "".into(), ..form() }).contains("Kind"));
        let sched =
            OrderForm { kind: "scheduled".into(), every_hours: "6".into(), first_due_at: "+1h".into(), ..form() };
        assert!(e(sched.clone()).contains("PRN"), "a scheduled order carries no PRN fields");
        let sched = OrderForm {
            prn_indication: "".into(),
            prn_scale: "".into(),
            prn_min_score: "".into(),
            prn_repeat_minutes: "".into(),
            prn_max_per_24h: "".into(),
            ..sched
        };
        let o = validate(&sched, now, tz).unwrap();
        assert_eq!(o.schedule, Schedule::Scheduled { every_hours: 6, first_due_at: t(11, 0), ends_at: None });
        assert!(e(OrderForm { ends_at: "+1h".into(), ..sched.clone() }).contains("after the first dose"));
        assert!(e(OrderForm { every_hours: "".into(), ..sched }).contains("required"));
    }

    #[test]
    fn taper_steps_come_in_order() {
        let tz = chrono_tz::UTC;
        let now = t(10, 0);
        let step = |s: &str, d: &str, e: &str, n: &str| StepForm {
            starts_at: s.into(),
            dose: d.into(),
            every_hours: e.into(),
            doses: n.into(),
        };
        let taper = OrderForm {
            kind: "taper".into(),
            prn_indication: "".into(),
            prn_scale: "".into(),
            prn_min_score: "".into(),
            prn_repeat_minutes: "".into(),
            prn_max_per_24h: "".into(),
            steps: vec![step("2026-12-01 12:00", "50 mg", "6", "4"), step("2026-12-02 12:00", "25 mg", "6", "4")],
            ..form()
        };
        let o = validate(&taper, now, tz).unwrap();
        assert!(matches!(&o.schedule, Schedule::Taper(s) if s.len() == 2));
        let overlapping = OrderForm {
            steps: vec![step("2026-12-01 12:00", "50 mg", "6", "4"), step("2026-12-01 23:00", "25 mg", "6", "4")],
            ..taper.clone()
        };
        assert!(validate(&overlapping, now, tz).unwrap_err().contains("after step 1"));
        assert!(validate(&OrderForm { steps: vec![], ..taper }, now, tz).unwrap_err().contains("step"));
    }

    #[test]
    fn hold_parameters_read_as_the_order_writes_them() {
        let h = parse_holds("hold if RASS <= -2, RR < 12, SBP<90").unwrap();
        assert_eq!(h, Holds { rass_at_or_below: Some(-2), rr_below: Some(12), sbp_below: Some(90), hr_below: None });
        assert_eq!(h.text(), "hold if RASS <= -2, RR < 12, SBP < 90");
        assert_eq!(parse_holds(&h.text()).unwrap(), h);
        assert_eq!(parse_holds("").unwrap(), Holds::default());
        assert!(parse_holds("RASS < -2").unwrap_err().contains("<="));
        assert!(parse_holds("RR <= 12").is_err());
        assert!(parse_holds("SpO2 < 90").unwrap_err().contains("RASS, RR"));
        assert!(parse_holds("RR < 2").is_err());
        assert!(parse_holds("RR < 12, RR < 10").unwrap_err().contains("twice"));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// A taper's due times over a window holding all its steps are exactly its steps' doses,
        /// the sum of their counts, in time order, each inside [from, to).
        #[test]
        fn a_taper_yields_every_step_dose_in_order(
            raw in proptest::collection::vec((0u32..48, 1u32..=24, 1u32..=12), 1..8),
            before in 0i64..100,
            after in 1i64..100,
        ) {
            let mut steps = Vec::new();
            let mut start = t(0, 0);
            for (i, (gap, every, doses)) in raw.iter().enumerate() {
                let step = Step { starts_at: start, dose: format!("{} mg", i + 1), every_hours: *every, doses: *doses };
                start = step.last_at() + Duration::hours(i64::from(*gap) + 1);
                steps.push(step);
            }
            let expected: u32 = steps.iter().map(|s| s.doses).sum();
            let from = steps[0].starts_at - Duration::minutes(before);
            let to = steps.last().unwrap().last_at() + Duration::minutes(after);
            let o = order(Schedule::Taper(steps.clone()));
            let due = due_times(&o, from, to);
            prop_assert_eq!(due.len() as u32, expected);
            prop_assert!(due.windows(2).all(|w| w[0].at < w[1].at));
            prop_assert!(due.iter().all(|d| d.at >= from && d.at < to));
            let doses: Vec<String> = steps.iter().flat_map(|s| (0..s.doses).map(|_| s.dose.clone())).collect();
            prop_assert_eq!(due.iter().map(|d| d.dose.clone()).collect::<Vec<_>>(), doses);
        }

        /// Any window of a taper gives exactly the doses of the whole taper that fall inside it.
        #[test]
        fn a_taper_window_holds_only_its_doses(
            raw in proptest::collection::vec((0u32..48, 1u32..=24, 1u32..=12), 1..6),
            from_h in 0i64..300,
            len_h in 0i64..300,
        ) {
            let mut steps = Vec::new();
            let mut start = t(0, 0);
            for (gap, every, doses) in &raw {
                let step = Step { starts_at: start, dose: "5 mg".into(), every_hours: *every, doses: *doses };
                start = step.last_at() + Duration::hours(i64::from(*gap) + 1);
                steps.push(step);
            }
            let o = order(Schedule::Taper(steps));
            let from = t(0, 0) + Duration::hours(from_h);
            let to = from + Duration::hours(len_h);
            let all = due_times(&o, t(0, 0), t(0, 0) + Duration::days(400));
            let inside: Vec<_> = all.into_iter().filter(|d| d.at >= from && d.at < to).collect();
            prop_assert_eq!(due_times(&o, from, to), inside);
        }
    }
}
