//! Shift handoff in I-PASS form (REFERENCE.md section 4), computed as a pure function of a stay's
//! records and the shift window: Illness severity, Patient summary (with what the shift's
//! records say), Action list (carried forward until closed), Situation awareness and
//! contingencies, Synthesis by the receiver.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::shift::ShiftWindow;
use super::time::local_short;

/// I: how sick the patient is, chosen by the outgoing nurse every shift (never carried over).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Stable,
    Watcher,
    Unstable,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Stable, Severity::Watcher, Severity::Unstable];
    pub fn code(self) -> &'static str {
        match self {
            Severity::Stable => "stable",
            Severity::Watcher => "watcher",
            Severity::Unstable => "unstable",
        }
    }
    pub fn from_code(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.code() == s)
    }
    /// One letter for a narrow census column.
    pub fn letter(self) -> char {
        match self {
            Severity::Stable => 'S',
            Severity::Watcher => 'W',
            Severity::Unstable => 'U',
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ScorePoint {
    pub at: DateTime<Utc>,
    pub scale: String,
    pub total: Option<u16>,
    pub band: Option<String>,
    pub by: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PrnPoint {
    pub at: DateTime<Utc>,
    pub what: String,
    pub by: String,
}

/// One administration in the shift, as the store read it (REFERENCE.md §9: "given / held
/// (reason) / refused / omitted (reason) ... a PRN records its indication (the triggering score)
/// and its effect (reassessment score) when reassessed").
#[derive(Clone, Debug, PartialEq)]
pub struct DosePoint {
    pub at: DateTime<Utc>,
    /// given, held, refused or omitted.
    pub outcome: String,
    /// Drug, dose and route: as given, or as ordered when not given.
    pub what: String,
    pub prn: bool,
    pub reason: Option<String>,
    /// Given past a hold parameter: the nurse's reason.
    pub override_reason: Option<String>,
    /// The triggering score of a PRN: its scale's name and total.
    pub trigger: Option<(String, u16)>,
    /// The first score of the trigger's scale after the dose: its total and when.
    pub effect: Option<(u16, DateTime<Utc>)>,
    pub by: String,
}

impl DosePoint {
    /// The handoff's words: "03:05 given lorazepam 2 mg PO (PRN for CIWA-Ar 12; effect CIWA-Ar 6
    /// at 04:10) by ..." or "06:00 HELD chlordiazepoxide 25 mg PO: RASS -3 by ...".
    pub fn line(&self, now: DateTime<Utc>, tz: Tz) -> String {
        let outcome = if self.outcome == "given" { "given".to_string() } else { self.outcome.to_uppercase() };
        let mut s = format!("{} {outcome} {}", local_short(self.at, now, tz), self.what);
        if self.prn {
            let mut why = vec![match &self.trigger {
                Some((scale, total)) => format!("PRN for {scale} {total}"),
                None => "PRN".to_string(),
            }];
            if self.outcome == "given" {
                why.push(match (&self.trigger, self.effect) {
                    (Some((scale, _)), Some((total, at))) => {
                        format!("effect {scale} {total} at {}", local_short(at, now, tz))
                    }
                    (Some(_), None) => "effect not yet reassessed".to_string(),
                    (None, _) => "effect: see notes".to_string(),
                });
            }
            s.push_str(&format!(" ({})", why.join("; ")));
        }
        if let Some(r) = &self.reason {
            s.push_str(&format!(": {r}"));
        }
        if let Some(r) = &self.override_reason {
            s.push_str(&format!(" · given past a hold: {r}"));
        }
        s.push_str(&format!(" by {}", self.by));
        s
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct NoteRef {
    /// When what it records happened.
    pub event_at: DateTime<Utc>,
    pub signed_at: DateTime<Utc>,
    pub format: String,
    pub by: String,
    pub late: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ActionItem {
    pub id: i64,
    pub what: String,
    pub owner: String,
    pub due_at: DateTime<Utc>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A handoff as recorded for a shift.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub id: i64,
    pub severity: Severity,
    pub summary: String,
    pub situation: String,
    pub prepared_by: String,
    pub prepared_at: DateTime<Utc>,
    pub accepted: Option<Accepted>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Accepted {
    pub by: String,
    pub at: DateTime<Utc>,
    /// The receiver's synthesis as typed (without the in-place-of line, see [`in_place_of_line`]).
    pub synthesis: String,
    /// Issue 20: the nurse who was assigned to the bed, when someone else accepted in their place.
    pub in_place_of: Option<String>,
}

/// The schema has no column for "accepted in place of" (the handoff row's `synthesis` is the
/// acceptance's only text), so the store records it there as this last line, sealed with the rest.
const IN_PLACE_OPEN: &str = "[accepted in place of ";
const IN_PLACE_CLOSE: &str = ", who was assigned]";

/// The line recorded under the synthesis when `assigned` was the nurse assigned to the bed.
pub fn in_place_of_line(assigned: &str) -> String {
    format!("{IN_PLACE_OPEN}{assigned}{IN_PLACE_CLOSE}")
}

/// Does typed text contain the recorded line's opening? A receiver may not type it (it would
/// read as a record the store never made).
pub fn mentions_in_place_of(typed: &str) -> bool {
    typed.lines().any(|l| l.trim_start().starts_with(IN_PLACE_OPEN))
}

/// The synthesis as stored, split into what the receiver typed and who she accepted in place of.
pub fn split_in_place_of(stored: &str) -> (String, Option<String>) {
    if let Some((typed, last)) = stored.rsplit_once('\n')
        && let Some(name) = last.strip_prefix(IN_PLACE_OPEN).and_then(|r| r.strip_suffix(IN_PLACE_CLOSE))
    {
        return (typed.trim_end().to_string(), Some(name.to_string()));
    }
    (stored.to_string(), None)
}

/// Everything the handoff of one stay is built from (the store loads it).
#[derive(Clone, Debug, PartialEq)]
pub struct StayRecords {
    pub stay_id: i64,
    pub bed_id: i64,
    pub bed: String,
    pub name: String,
    pub header: String,
    pub allergies: String,
    pub precautions: String,
    pub observation: String,
    /// Completed scores and unable-to-assess entries, oldest first, from before the shift too.
    pub scores: Vec<ScorePoint>,
    /// When the next assessment is due (the census's effective due time).
    pub next_due: Option<DateTime<Utc>>,
    pub prns: Vec<PrnPoint>,
    pub notes: Vec<NoteRef>,
    pub open_items: Vec<ActionItem>,
    /// The last accepted handoff before this shift, whose text is offered as a starting point.
    pub previous: Option<Recorded>,
    pub this_shift: Option<Recorded>,
    /// The nurse assigned to the bed for the next shift.
    pub next_nurse: Option<String>,
    /// Observation checks summary line from rounds, when available.
    pub observation_note: Option<String>,
    /// Allergies, precautions or code status changed this shift, each with who, when and why
    /// (issue 20, point 9): "CHANGED Allergies: NKDA -> penicillin (...) at 03:10 by ...".
    pub changes: Vec<String>,
    /// Issue 10: "Therapy: ..." (attendance and refusals recorded this shift) and "Aftercare
    /// open: ..." (checklist items still open), one line each when there is something to say.
    pub plan_notes: Vec<String>,
    /// Issue 16: the risk screens (C-SSRS, Morse, PAWSS), BAL/UDS on arrival and the admission
    /// assessment's state, one line each (`Occupant::risk_lines`).
    pub risk: Vec<String>,
    /// Administrations in the shift (given, held, refused, omitted), oldest first.
    pub doses: Vec<DosePoint>,
    /// Calls to the provider in the shift: what = "Dr X: reason · response: ...".
    pub calls: Vec<PrnPoint>,
    /// Emergencies in the shift: what = "FALL: actions · called ... · outcome".
    pub events: Vec<PrnPoint>,
    /// Prompts still open, whenever raised: what = the prompt's words.
    pub prompts: Vec<PrnPoint>,
}

/// Where a patient's handoff stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    NotPrepared,
    Prepared,
    Accepted,
}

/// A patient's handoff, ready to show or print.
#[derive(Clone, Debug, PartialEq)]
pub struct PatientHandoff {
    pub records: StayRecords,
    pub status: Status,
    /// "CIWA-Ar 18 → 15 → 12" over the shift (and the score before it).
    pub trend: String,
    pub last: String,
    pub next_due: String,
    pub overdue: bool,
    pub prns: Vec<String>,
    pub notes: Vec<String>,
    pub overdue_items: Vec<String>,
    /// The shift's doses, calls and emergencies, and the prompts still open, one line each.
    pub meds: Vec<String>,
    pub calls: Vec<String>,
    pub events: Vec<String>,
    pub prompts: Vec<String>,
}

/// Build one patient's handoff for the shift `w`.
pub fn build(r: &StayRecords, w: &ShiftWindow, now: DateTime<Utc>, tz: Tz) -> PatientHandoff {
    // One trend and one "last" per scale, never mixed (REFERENCE.md §1: a patient on two scales
    // has two schedules): "CIWA-Ar 12 → 11 · COWS 3".
    let mut scales: Vec<&str> = Vec::new();
    for p in &r.scores {
        if !scales.contains(&p.scale.as_str()) {
            scales.push(&p.scale);
        }
    }
    let fmt = |s: &ScorePoint| s.total.map_or("UTA".to_string(), |t| t.to_string());
    let name = |key: &str| crate::domain::scales::by_key(key).map_or(key.to_string(), |s| s.name.to_string());
    let mut trends = Vec::new();
    let mut lasts = Vec::new();
    for scale in &scales {
        let own: Vec<&ScorePoint> = r.scores.iter().filter(|p| p.scale == *scale).collect();
        let before = own.iter().rev().find(|s| s.at < w.start).copied();
        let shown: Vec<&ScorePoint> =
            before.into_iter().chain(own.iter().copied().filter(|s| w.contains(s.at))).collect();
        if !shown.is_empty() {
            let mut t: Vec<String> = shown.iter().map(|s| fmt(s)).collect();
            if t.len() > 8 {
                let tail = t.split_off(t.len() - 7);
                t = vec![t[0].clone(), "…".into()].into_iter().chain(tail).collect();
            }
            trends.push(format!("{} {}", name(scale), t.join(" → ")));
        }
        if let Some(s) = own.last() {
            let band = s.band.as_deref().map(|b| format!(" {b}")).unwrap_or_default();
            lasts.push(format!("{} {}{band} at {} by {}", name(scale), fmt(s), local_short(s.at, now, tz), s.by));
        }
    }
    let trend = if trends.is_empty() { "no scores".to_string() } else { trends.join(" · ") };
    let last = if lasts.is_empty() { "no score yet".to_string() } else { format!("last {}", lasts.join(" · ")) };
    let overdue = r.next_due.is_some_and(|d| d <= now);
    let next_due = match r.next_due {
        None => "no assessment scheduled".into(),
        Some(d) if d <= now => format!("next due {} — OVERDUE", local_short(d, now, tz)),
        Some(d) => format!("next due {}", local_short(d, now, tz)),
    };
    let prns = r
        .prns
        .iter()
        .filter(|p| w.contains(p.at))
        .map(|p| format!("{} {} ({})", local_short(p.at, now, tz), p.what, p.by))
        .collect();
    let notes = r
        .notes
        .iter()
        .filter(|n| w.contains(n.signed_at))
        .map(|n| {
            // Written after its event: both times (REFERENCE.md section 5), and the label past
            // the unit's threshold (`late`, decided by the store).
            if n.event_at < n.signed_at {
                let late = if n.late { "LATE ENTRY · " } else { "" };
                format!(
                    "{} note, {late}event {} · signed {} by {}",
                    n.format,
                    local_short(n.event_at, now, tz),
                    local_short(n.signed_at, now, tz),
                    n.by
                )
            } else {
                format!("{} {} note ({})", local_short(n.signed_at, now, tz), n.format, n.by)
            }
        })
        .collect();
    let overdue_items = r
        .open_items
        .iter()
        .filter(|i| i.due_at <= now)
        .map(|i| format!("{} (owner {}, due {})", i.what, i.owner, local_short(i.due_at, now, tz)))
        .collect();
    let status = match &r.this_shift {
        None => Status::NotPrepared,
        Some(h) if h.accepted.is_some() => Status::Accepted,
        Some(_) => Status::Prepared,
    };
    let meds = r.doses.iter().filter(|d| w.contains(d.at)).map(|d| d.line(now, tz)).collect();
    let timed = |v: &[PrnPoint]| -> Vec<String> {
        v.iter()
            .filter(|p| w.contains(p.at))
            .map(|p| format!("{} {} (by {})", local_short(p.at, now, tz), p.what, p.by))
            .collect()
    };
    let calls = timed(&r.calls);
    let events = timed(&r.events);
    let prompts = r.prompts.iter().map(|p| format!("OPEN since {}: {}", local_short(p.at, now, tz), p.what)).collect();
    PatientHandoff {
        records: r.clone(),
        status,
        trend,
        last,
        next_due,
        overdue,
        prns,
        notes,
        overdue_items,
        meds,
        calls,
        events,
        prompts,
    }
}

/// The ward's handoff is complete when every occupied bed's handoff has been accepted.
pub fn complete(ward: &[PatientHandoff]) -> bool {
    !ward.is_empty() && ward.iter().all(|p| p.status == Status::Accepted)
}

/// How many are accepted, of how many.
pub fn progress(ward: &[PatientHandoff]) -> (usize, usize) {
    (ward.iter().filter(|p| p.status == Status::Accepted).count(), ward.len())
}

/// Order for stepping through: unstable first, then watchers, overdue before on time, then bed.
pub fn acuity_key(p: &PatientHandoff) -> (i32, i32) {
    let sev = p.records.this_shift.as_ref().map_or(0, |h| h.severity as i32 + 1);
    (-sev, -(p.overdue as i32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::shift::{ShiftDef, parse_start, shift_at};
    use chrono::Duration;

    fn w() -> ShiftWindow {
        let defs = vec![
            ShiftDef { name: "Day".into(), starts: parse_start("07:00").unwrap() },
            ShiftDef { name: "Night".into(), starts: parse_start("19:00").unwrap() },
        ];
        shift_at(&defs, now(), chrono_tz::America::New_York).unwrap()
    }

    fn now() -> DateTime<Utc> {
        crate::domain::time::parse_local("t", "2026-11-25 06:00", chrono_tz::America::New_York).unwrap()
    }

    fn records() -> StayRecords {
        let score = |h: i64, t: u16| ScorePoint {
            at: now() - Duration::hours(h),
            scale: "ciwa-ar".into(),
            total: Some(t),
            band: Some("moderate".into()),
            by: "A, RN".into(),
        };
        StayRecords {
            stay_id: 1,
            bed_id: 1,
            bed: "1".into(),
            name: "Pat".into(),
            header: String::new(),
            allergies: "NKDA".into(),
            precautions: String::new(),
            observation: "q15".into(),
            scores: vec![score(20, 9), score(8, 18), score(4, 15), score(1, 12)],
            next_due: Some(now() - Duration::minutes(5)),
            prns: vec![PrnPoint {
                at: now() - Duration::hours(7),
                what: "lorazepam 2 mg PO".into(),
                by: "A, RN".into(),
            }],
            notes: vec![
                NoteRef {
                    event_at: now() - Duration::hours(3),
                    signed_at: now() - Duration::hours(3),
                    format: "DAP".into(),
                    by: "A, RN".into(),
                    late: false,
                },
                NoteRef {
                    event_at: now() - Duration::minutes(100),
                    signed_at: now() - Duration::minutes(51),
                    format: "SOAP".into(),
                    by: "A, RN".into(),
                    late: true,
                },
            ],
            open_items: vec![ActionItem {
                id: 1,
                what: "Repeat BMP".into(),
                owner: "day RN".into(),
                due_at: now() - Duration::hours(1),
                created_by: "A, RN".into(),
                created_at: now() - Duration::hours(30),
            }],
            previous: None,
            this_shift: None,
            next_nurse: None,
            observation_note: None,
            changes: Vec::new(),
            plan_notes: Vec::new(),
            risk: Vec::new(),
            doses: vec![
                DosePoint {
                    at: now() - Duration::hours(2),
                    outcome: "given".into(),
                    what: "lorazepam 2 mg PO".into(),
                    prn: true,
                    reason: None,
                    override_reason: None,
                    trigger: Some(("CIWA-Ar".into(), 12)),
                    effect: Some((6, now() - Duration::hours(1))),
                    by: "A, RN".into(),
                },
                DosePoint {
                    at: now() - Duration::minutes(30),
                    outcome: "held".into(),
                    what: "chlordiazepoxide 25 mg PO".into(),
                    prn: false,
                    reason: Some("RASS -3".into()),
                    override_reason: None,
                    trigger: None,
                    effect: None,
                    by: "A, RN".into(),
                },
                DosePoint {
                    at: now() - Duration::hours(30),
                    outcome: "refused".into(),
                    what: "thiamine 100 mg PO".into(),
                    prn: false,
                    reason: None,
                    override_reason: None,
                    trigger: None,
                    effect: None,
                    by: "A, RN".into(),
                },
            ],
            calls: Vec::new(),
            events: Vec::new(),
            prompts: vec![PrnPoint {
                at: now() - Duration::hours(30),
                what: "notify provider: NEWS2 7 (high)".into(),
                by: "A, RN".into(),
            }],
        }
    }

    #[test]
    fn the_shifts_doses_say_their_outcome_trigger_and_effect_and_open_prompts_stay() {
        let h = build(&records(), &w(), now(), chrono_tz::America::New_York);
        assert_eq!(h.meds.len(), 2, "the dose refused before the shift is not this shift's: {:?}", h.meds);
        assert!(
            h.meds[0].contains("given lorazepam 2 mg PO (PRN for CIWA-Ar 12; effect CIWA-Ar 6 at"),
            "{}",
            h.meds[0]
        );
        assert!(h.meds[1].contains("HELD chlordiazepoxide 25 mg PO: RASS -3 by A, RN"), "{}", h.meds[1]);
        assert_eq!(h.prompts.len(), 1, "an open prompt is listed whenever it was raised");
        assert!(h.prompts[0].starts_with("OPEN since"), "{}", h.prompts[0]);
    }

    #[test]
    fn prefills_the_shift_from_its_records() {
        let h = build(&records(), &w(), now(), chrono_tz::America::New_York);
        // The score before the shift (9 at 10:00 the day before) starts the trend; then the shift's.
        assert_eq!(h.trend, "CIWA-Ar 9 → 18 → 15 → 12");
        assert!(h.overdue && h.next_due.contains("OVERDUE"));
        assert_eq!(h.prns.len(), 1);
        // A note signed after its event shows both times; one signed at it, the one.
        assert_eq!(
            h.notes,
            vec![
                "03:00 DAP note (A, RN)".to_string(),
                "SOAP note, LATE ENTRY · event 04:20 · signed 05:09 by A, RN".to_string()
            ]
        );
        assert_eq!(h.overdue_items, vec!["Repeat BMP (owner day RN, due 05:00)".to_string()]);
        assert_eq!(h.status, Status::NotPrepared);
    }

    #[test]
    fn the_ward_is_complete_only_when_every_bed_is_accepted() {
        let mut r = records();
        let mut a = build(&r, &w(), now(), chrono_tz::UTC);
        assert!(!complete(std::slice::from_ref(&a)));
        r.this_shift = Some(Recorded {
            id: 1,
            severity: Severity::Watcher,
            summary: "x".into(),
            situation: String::new(),
            prepared_by: "A".into(),
            prepared_at: now(),
            accepted: None,
        });
        a = build(&r, &w(), now(), chrono_tz::UTC);
        assert_eq!(a.status, Status::Prepared);
        assert!(!complete(std::slice::from_ref(&a)));
        if let Some(h) = &mut r.this_shift {
            h.accepted = Some(Accepted { by: "B".into(), at: now(), synthesis: "restated".into(), in_place_of: None });
        }
        let b = build(&r, &w(), now(), chrono_tz::UTC);
        assert!(complete(std::slice::from_ref(&b)));
        assert!(!complete(&[b, a]));
        assert!(!complete(&[]), "an empty ward has nothing to accept");
    }

    #[test]
    fn the_in_place_of_line_is_split_off_the_synthesis_and_only_when_whole() {
        let stored = format!("Restated.\nQuestions: none.\n{}", in_place_of_line("Sam Okafor, RN"));
        assert_eq!(
            split_in_place_of(&stored),
            ("Restated.\nQuestions: none.".to_string(), Some("Sam Okafor, RN".to_string()))
        );
        assert_eq!(split_in_place_of("Restated."), ("Restated.".to_string(), None));
        // Only a whole last line counts.
        let half = "Restated.\n[accepted in place of someone";
        assert_eq!(split_in_place_of(half), (half.to_string(), None));
        assert!(mentions_in_place_of("ok\n  [accepted in place of X, who was assigned]"));
        assert!(!mentions_in_place_of("accepted in place of nobody"));
    }
}
