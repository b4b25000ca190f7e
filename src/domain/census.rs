//! The census board as data: one row per bed, what is due, and how the board sorts and filters.
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// The latest withdrawal assessment of a stay, with who recorded it and when.
#[derive(Clone, Debug, PartialEq)]
pub struct LastScore {
    pub scale: String,
    /// `None` when the outcome was "unable to assess" (never shown as a zero).
    pub total: Option<u16>,
    pub band: Option<String>,
    pub severe: bool,
    pub unable_reason: Option<String>,
    pub taken_at: DateTime<Utc>,
    pub by: String,
}

/// One scale's own series on the board: its last entry, and the next due and prompts the
/// ladder gave that entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub last: LastScore,
    /// When this scale's ladder next wants an assessment.
    pub next_due: Option<DateTime<Utc>>,
    /// Prompts the ladder gave with the last entry ("PRN per order; Notify provider now").
    pub prompts: String,
    /// A PRN prompted by this scale and given since its last entry brings the reassessment here.
    pub prn_due: Option<DateTime<Utc>>,
}

impl Series {
    /// When this scale is next due: the ladder's time, brought forward (never later) by a PRN.
    pub fn due_at(&self) -> Option<DateTime<Utc>> {
        match (self.next_due, self.prn_due) {
            (Some(a), Some(p)) => Some(a.min(p)),
            (a, p) => a.or(p),
        }
    }

    /// The scale's display name ("CIWA-Ar").
    pub fn scale_name(&self) -> &str {
        crate::domain::scales::by_key(&self.last.scale).map_or(self.last.scale.as_str(), |s| s.name)
    }
}

/// Sorts series the earliest due first (the board shows that one first); ties by scale key.
pub fn sort_series(series: &mut [Series]) {
    series.sort_by(|a, b| {
        let key = |s: &Series| (s.due_at().is_none(), s.due_at());
        key(a).cmp(&key(b)).then_with(|| a.last.scale.cmp(&b.last.scale))
    });
}

/// Who is in a bed, as the board needs them.
#[derive(Clone, Debug, PartialEq)]
pub struct Occupant {
    pub stay_id: i64,
    pub patient_id: i64,
    pub name: String,
    pub mrn: String,
    pub birth_date: NaiveDate,
    pub sex: crate::domain::stay::Sex,
    pub admitted_at: DateTime<Utc>,
    pub level_of_care: String,
    /// From the `level_of_care` table: higher is more intensive.
    pub care_acuity: u8,
    pub substances: String,
    pub protocol: crate::domain::stay::Protocol,
    pub allergies: String,
    pub precautions: String,
    pub attending: String,
    pub code_status: crate::domain::stay::CodeStatus,
    pub observation: String,
    /// One entry per scale the stay has been scored on, each its own schedule (REFERENCE.md §1:
    /// "a patient scored on two scales has two schedules"), the earliest due first.
    pub series: Vec<Series>,
    /// PAWSS on admission, if scored: the latest PAWSS screen's total (REFERENCE.md §3), or for a
    /// stay admitted before schema version 5 the total typed at admission.
    pub pawss: Option<u8>,
    /// The handoff into this shift; `None` for a patient admitted during this shift.
    pub handoff: Option<HandoffFlag>,
    /// The risk screens and the admission assessment (REFERENCE.md §3a, §8).
    pub risk: Risk,
    /// The next dose due, the open prompts and the latest vital signs (REFERENCE.md §9, §10).
    pub care: Care,
}

/// What the board says of a patient's medications and vital signs: the first scheduled or taper
/// dose with nothing recorded (overdue when past), every prompt still open ("notify provider",
/// an emergency's follow-up), and the latest vital-sign set with its NEWS2 and alert.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Care {
    pub next_dose: Option<DoseDue>,
    pub prompts: Vec<OpenPrompt>,
    pub vitals: Option<VitalsMark>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DoseDue {
    pub at: DateTime<Utc>,
    /// "chlordiazepoxide 25 mg PO".
    pub what: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OpenPrompt {
    pub raised_at: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    /// A call to the provider is asked for (not an emergency's follow-up).
    pub notify: bool,
    pub why: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VitalsMark {
    pub at: DateTime<Utc>,
    pub by: String,
    /// "NEWS2 3" or "NEWS2 incomplete" (REFERENCE.md §10: never scored as normal).
    pub news2: String,
    pub alert: Option<String>,
}

impl Care {
    /// The next dose is past its time with nothing recorded.
    pub fn dose_overdue(&self, now: DateTime<Utc>) -> bool {
        self.next_dose.as_ref().is_some_and(|d| d.at <= now)
    }
    /// A "notify provider" prompt is open.
    pub fn notify_open(&self) -> bool {
        self.prompts.iter().any(|p| p.notify)
    }
    /// The board's medication cell, longest form first: "!13:56 N" (a dose overdue since 13:56;
    /// a call to the provider asked for), "10:25" (the next dose), "—" (none due), with "N" when
    /// a call to the provider is asked for and "F" when only an emergency's follow-up is open.
    /// Then the one-character form of a narrow board, the most urgent mark only: "N", "!", "F",
    /// or "·" for nothing to do now (the detail lines say the next dose in words).
    pub fn cell(&self, now: DateTime<Utc>, tz: chrono_tz::Tz) -> Vec<String> {
        let letter = if self.notify_open() {
            Some('N')
        } else if !self.prompts.is_empty() {
            Some('F')
        } else {
            None
        };
        let overdue = self.dose_overdue(now);
        let mark = match letter {
            Some('N') => "N",
            _ if overdue => "!",
            Some(_) => "F",
            None => "·",
        };
        let dose = match &self.next_dose {
            None => "—".to_string(),
            Some(d) => {
                let t = d.at.with_timezone(&tz).format("%H:%M").to_string();
                if overdue { format!("!{t}") } else { t }
            }
        };
        let long = match letter {
            Some(l) => format!("{dose} {l}"),
            None => dose,
        };
        vec![long, mark.to_string()]
    }
}

/// The latest screen of one kind, as the board shows it: what it found, when, by whom.
#[derive(Clone, Debug, PartialEq)]
pub struct ScreenMark {
    /// The stored result: C-SSRS "none" / "low" / "moderate" / "high", Morse the band, PAWSS
    /// "not applicable" / "high risk" / "not high risk".
    pub result: String,
    pub total: Option<i32>,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// Where the stay's admission assessment stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum AdmissionMark {
    #[default]
    NotStarted,
    /// A draft, with its author.
    InProgress {
        by: String,
    },
    /// Signed, with sections still not assessed (the addenda laid over it).
    Open(Vec<crate::domain::admission::SectionKey>),
    Complete,
}

impl AdmissionMark {
    /// "not started", "in progress (Ana Ortiz, RN)", "not assessed: Psychiatric history",
    /// "complete".
    pub fn text(&self) -> String {
        match self {
            AdmissionMark::NotStarted => "not started".into(),
            AdmissionMark::InProgress { by } => format!("in progress ({by})"),
            AdmissionMark::Open(keys) => {
                format!("not assessed: {}", keys.iter().map(|k| k.title()).collect::<Vec<_>>().join(", "))
            }
            AdmissionMark::Complete => "complete".into(),
        }
    }
}

/// A stay's risk screens and admission assessment, for the board, its printout and the handoff.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Risk {
    pub cssrs: Option<ScreenMark>,
    /// When the next C-SSRS is due (the unit's interval after the last; at admission when none);
    /// `None` when the unit screens at admission only and it was done.
    pub cssrs_due: Option<DateTime<Utc>>,
    pub morse: Option<ScreenMark>,
    pub morse_due: Option<DateTime<Utc>>,
    /// The latest PAWSS screen found PAWSS does not apply ("not applicable", never 0).
    pub pawss_not_applicable: bool,
    pub admission: AdmissionMark,
}

impl Risk {
    /// A screen's standing against the clock.
    pub fn due(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Due {
        match at {
            None => Due::NotScheduled,
            Some(t) if t <= now => Due::Overdue(now - t),
            Some(t) => Due::DueIn(t - now),
        }
    }

    /// The C-SSRS triage is high risk.
    pub fn suicide_high_risk(&self) -> bool {
        self.cssrs.as_ref().is_some_and(|c| c.result == "high")
    }
}

/// Names alcohol among the substances (the admission's substances line: "alcohol, cocaine",
/// "EtOH"): PAWSS is asked "for every patient with alcohol among the substances, whatever the
/// protocol" (issue 16; REFERENCE.md §3 gates it on alcohol use).
pub fn mentions_alcohol(substances: &str) -> bool {
    let s = substances.to_lowercase();
    ["alcohol", "etoh", "beer", "wine", "vodka", "whisk", "liquor", "spirits", "gin", "rum"]
        .iter()
        .any(|w| s.split(|c: char| !c.is_alphanumeric()).any(|t| t.starts_with(w)))
}

/// Where the handoff into the current shift stands for a patient.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HandoffFlag {
    pub severity: Option<crate::domain::handoff::Severity>,
    pub accepted: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CensusRow {
    pub bed_id: i64,
    pub bed: String,
    pub occupant: Option<Occupant>,
}

/// Where an assessment stands against the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    /// No protocol, or no bed occupant.
    NotScheduled,
    DueIn(Duration),
    Overdue(Duration),
}

impl Occupant {
    /// The series due first (the one the board leads with), if any scale has been scored.
    pub fn first_series(&self) -> Option<&Series> {
        self.series.first()
    }

    /// The most recent entry on any scale (who last assessed the patient, and when).
    pub fn latest(&self) -> Option<&LastScore> {
        self.series.iter().map(|s| &s.last).max_by_key(|l| l.taken_at)
    }

    /// The PAWSS screen is owed: not done for a stay on the alcohol protocol or with alcohol
    /// among its substances, whatever the protocol (REFERENCE.md section 3: PAWSS screens alcohol
    /// withdrawal risk at admission). The one place the census, its printout and the handoff ask.
    pub fn pawss_owed(&self) -> bool {
        self.pawss.is_none()
            && !self.risk.pawss_not_applicable
            && (self.protocol == crate::domain::stay::Protocol::CiwaAr || mentions_alcohol(&self.substances))
    }

    /// True when the stay's protocol scale has no entry yet: its baseline score is owed.
    pub fn baseline_owed(&self) -> bool {
        self.protocol.scale().is_some_and(|p| !self.series.iter().any(|s| s.last.scale == p.key))
    }

    /// When the next assessment is due, over every scale: each scale's own due time, and the
    /// protocol's baseline from admission while it has no score (never assumed). A stay with no
    /// protocol and no scores is not scheduled.
    pub fn due_at(&self) -> Option<DateTime<Utc>> {
        let baseline = self.baseline_owed().then_some(self.admitted_at);
        self.series.iter().filter_map(Series::due_at).chain(baseline).min()
    }

    /// Where the next assessment stands against the clock.
    pub fn due(&self, now: DateTime<Utc>) -> Due {
        match self.due_at() {
            None => Due::NotScheduled,
            Some(at) if at <= now => Due::Overdue(now - at),
            Some(at) => Due::DueIn(at - now),
        }
    }

    fn severity_rank(&self) -> i32 {
        let rank = |l: &LastScore| match l {
            l if l.severe => 3,
            l if l.total.is_some_and(|t| t > 0) => 2,
            l if l.unable_reason.is_some() => 2,
            _ => 1,
        };
        self.series.iter().map(|s| rank(&s.last)).max().unwrap_or(1)
    }

    /// The highest last total over the scales (for the acuity sort).
    fn top_total(&self) -> u16 {
        self.series.iter().filter_map(|s| s.last.total).max().unwrap_or(0)
    }
}

impl Occupant {
    /// One line per scale, the earliest due first, then an owed baseline: "CIWA-Ar 18 severe at
    /// 03:10 by Ana Ruiz, RN; next due 04:10; PRN per order". Every value with when and who;
    /// the board's detail panel and the census printout both read these.
    pub fn schedule_lines(&self, now: DateTime<Utc>, tz: chrono_tz::Tz) -> Vec<String> {
        use crate::domain::time::local_short;
        let mut out: Vec<String> = self
            .series
            .iter()
            .map(|s| {
                let l = &s.last;
                let what = match l.total {
                    Some(t) => format!("{t} {}", l.band.as_deref().unwrap_or("")),
                    None => format!("unable to assess ({})", l.unable_reason.as_deref().unwrap_or("")),
                };
                let due = match s.due_at() {
                    None => "not scheduled".to_string(),
                    Some(d) if d <= now => format!("OVERDUE since {}", local_short(d, now, tz)),
                    Some(d) => format!("next due {}", local_short(d, now, tz)),
                };
                let prompts = if s.prompts.is_empty() { String::new() } else { format!("; {}", s.prompts) };
                format!(
                    "{} {} at {} by {}; {due}{prompts}",
                    s.scale_name(),
                    what.trim_end(),
                    local_short(l.taken_at, now, tz),
                    l.by
                )
            })
            .collect();
        if self.baseline_owed() {
            let name = self.protocol.name().unwrap_or(self.protocol.code());
            out.push(format!(
                "{name}: no score yet; baseline due since admission {}",
                local_short(self.admitted_at, now, tz)
            ));
        }
        out
    }
}

/// How the board is ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    Bed,
    /// Most overdue first, then soonest due; unscheduled and empty beds last.
    Due,
    /// Severe scores first, then higher score, more intensive care, closer observation.
    Acuity,
}

impl SortBy {
    pub fn next(self) -> Self {
        match self {
            SortBy::Bed => SortBy::Due,
            SortBy::Due => SortBy::Acuity,
            SortBy::Acuity => SortBy::Bed,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortBy::Bed => "bed",
            SortBy::Due => "due time",
            SortBy::Acuity => "acuity",
        }
    }
}

/// Observation levels ordered from closest watch (lowest key) to routine.
fn observation_rank(code: &str) -> i32 {
    match code {
        "1:1" => 0,
        "q15" => 1,
        "q30" => 2,
        _ => 3,
    }
}

/// Sort in place; the bed order (as the rows arrive) breaks ties, so the order is stable.
pub fn sort(rows: &mut [CensusRow], by: SortBy, now: DateTime<Utc>) {
    match by {
        SortBy::Bed => {}
        SortBy::Due => rows.sort_by_key(|r| match &r.occupant {
            None => (2, 0),
            Some(o) => match o.due(now) {
                Due::Overdue(d) => (0, -d.num_seconds()),
                Due::DueIn(d) => (0, d.num_seconds()),
                Due::NotScheduled => (1, 0),
            },
        }),
        SortBy::Acuity => rows.sort_by_key(|r| match &r.occupant {
            None => (1, 0, 0, 0, 0),
            Some(o) => (
                0,
                -o.severity_rank(),
                -i32::from(o.top_total()),
                -(o.care_acuity as i32),
                observation_rank(&o.observation),
            ),
        }),
    }
}

/// Does a row match the typed filter? Case-insensitive, every word must match some field.
pub fn matches(row: &CensusRow, filter: &str) -> bool {
    let words: Vec<String> = filter.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return true;
    }
    let mut hay = row.bed.to_lowercase();
    if let Some(o) = &row.occupant {
        for f in [
            o.name.as_str(),
            &o.mrn,
            &o.level_of_care,
            &o.substances,
            o.protocol.code(),
            &o.allergies,
            &o.precautions,
            &o.attending,
            &o.observation,
        ] {
            hay.push('\u{1f}');
            hay.push_str(&f.to_lowercase());
        }
    } else {
        hay.push_str("\u{1f}empty");
    }
    words.iter().all(|w| hay.contains(w.as_str()))
}

/// The ward's shared data: every bed and its occupant, the observation checks and open alerts,
/// each open stay's aftercare progress, and the signed-in nurse's unsigned drafts. Loaded
/// together in one read snapshot (`Store::ward_board`) and read by every screen; no screen owns
/// it (issue 15, point 3).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WardBoard {
    /// Every active bed in bed order.
    pub rows: Vec<CensusRow>,
    pub obs: crate::domain::rounds::ObsBoard,
    /// Aftercare readiness (done, total) per open stay.
    pub aftercare: std::collections::HashMap<i64, (u8, u8)>,
    /// The signed-in nurse's unsigned drafts per stay.
    pub drafts: std::collections::HashMap<i64, crate::domain::drafts::StayDrafts>,
}

impl WardBoard {
    /// The bed and occupant of an open stay.
    pub fn stay(&self, stay_id: i64) -> Option<(&CensusRow, &Occupant)> {
        self.rows.iter().find_map(|r| r.occupant.as_ref().filter(|o| o.stay_id == stay_id).map(|o| (r, o)))
    }

    /// A bed's aftercare progress, if it has a patient.
    pub fn aftercare_of(&self, row: &CensusRow) -> Option<(u8, u8)> {
        row.occupant.as_ref().and_then(|o| self.aftercare.get(&o.stay_id).copied())
    }

    /// The nurse's drafts on a bed's patient, if any.
    pub fn drafts_of(&self, row: &CensusRow) -> Option<&crate::domain::drafts::StayDrafts> {
        row.occupant.as_ref().and_then(|o| self.drafts.get(&o.stay_id)).filter(|d| d.total() > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 8, 0, 0).unwrap()
    }

    fn occ(name: &str, protocol: &str, due_mins: Option<i64>, total: Option<u16>, severe: bool) -> Occupant {
        Occupant {
            care: Care::default(),
            stay_id: 1,
            patient_id: 1,
            name: name.into(),
            mrn: format!("M-{name}"),
            birth_date: NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(),
            sex: crate::domain::stay::Sex::Female,
            admitted_at: now() - Duration::days(1),
            level_of_care: "3.7-WM".into(),
            care_acuity: 3,
            substances: "alcohol".into(),
            protocol: crate::domain::stay::Protocol::from_code(protocol).unwrap(),
            allergies: "NKDA".into(),
            precautions: String::new(),
            attending: "Dr Lee".into(),
            code_status: crate::domain::stay::CodeStatus::FullCode,
            observation: "q15".into(),
            series: total
                .map(|t| Series {
                    last: LastScore {
                        scale: if protocol == "none" { "ciwa-ar".into() } else { protocol.into() },
                        total: Some(t),
                        band: Some("x".into()),
                        severe,
                        unable_reason: None,
                        taken_at: now() - Duration::hours(1),
                        by: "A, RN".into(),
                    },
                    next_due: due_mins.map(|m| now() + Duration::minutes(m)),
                    prompts: String::new(),
                    prn_due: None,
                })
                .into_iter()
                .collect(),
            pawss: None,
            handoff: None,
            risk: Risk::default(),
        }
    }

    fn row(bed: &str, o: Option<Occupant>) -> CensusRow {
        CensusRow { bed_id: 0, bed: bed.into(), occupant: o }
    }

    #[test]
    fn no_score_yet_is_due_from_admission() {
        let o = occ("a", "ciwa-ar", None, None, false);
        assert!(matches!(o.due(now()), Due::Overdue(_)));
        let o = occ("a", "none", None, None, false);
        assert_eq!(o.due(now()), Due::NotScheduled);
    }

    #[test]
    fn a_prn_brings_the_reassessment_forward_only() {
        let mut o = occ("a", "ciwa-ar", Some(120), Some(12), false);
        o.series[0].prn_due = Some(now() + Duration::minutes(60));
        assert_eq!(o.due(now()), Due::DueIn(Duration::minutes(60)));
        o.series[0].prn_due = Some(now() + Duration::minutes(180));
        assert_eq!(o.due(now()), Due::DueIn(Duration::minutes(120)));
    }

    #[test]
    fn due_sort_puts_most_overdue_first_and_empty_beds_last() {
        let mut rows = vec![
            row("1", None),
            row("2", Some(occ("soon", "ciwa-ar", Some(30), Some(3), false))),
            row("3", Some(occ("late", "ciwa-ar", Some(-90), Some(3), false))),
            row("4", Some(occ("none", "none", None, None, false))),
            row("5", Some(occ("bit late", "cows", Some(-5), Some(3), false))),
        ];
        sort(&mut rows, SortBy::Due, now());
        let beds: Vec<&str> = rows.iter().map(|r| r.bed.as_str()).collect();
        assert_eq!(beds, ["3", "5", "2", "4", "1"]);
    }

    #[test]
    fn acuity_sort_puts_severe_first() {
        let mut rows = vec![
            row("1", Some(occ("mild", "ciwa-ar", Some(30), Some(5), false))),
            row("2", None),
            row("3", Some(occ("severe", "ciwa-ar", Some(30), Some(18), true))),
        ];
        sort(&mut rows, SortBy::Acuity, now());
        assert_eq!(rows[0].bed, "3");
        assert_eq!(rows[2].bed, "2");
    }

    #[test]
    fn filter_matches_every_word_anywhere() {
        let r = row("12", Some(occ("Ana Ortiz", "cows", None, None, false)));
        assert!(matches(&r, "ortiz cows"));
        assert!(matches(&r, "ANA"));
        assert!(!matches(&r, "ortiz ciwa"));
        assert!(matches(&row("7", None), "empty"));
    }
}

/// The short name of a protocol for narrow columns.
pub fn protocol_abbrev(protocol: &str) -> &'static str {
    match protocol {
        "ciwa-ar" => "CIWA",
        "cows" => "COWS",
        "ciwa-b" => "CIWAB",
        "none" => "none",
        _ => "?",
    }
}

#[cfg(test)]
mod abbrev_tests {
    use super::*;

    #[test]
    fn abbreviations() {
        assert_eq!(protocol_abbrev("ciwa-b"), "CIWAB");
    }
}

/// The risk screens in words, for the census detail, its printout and the handoff (one wording
/// everywhere, each with when and by whom).
impl Risk {
    fn overdue_text(due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
        match Risk::due(due, now) {
            Due::Overdue(d) => format!(" (! {} late)", crate::domain::time::span(d)),
            _ => String::new(),
        }
    }

    /// "C-SSRS high risk 03:10 by Sam Okafor, RN", "C-SSRS not done (! 2h late)"; `short` says
    /// "none" for "no risk identified" and "HIGH" for "high risk" (the board's detail panel).
    pub fn cssrs_text(&self, now: DateTime<Utc>, tz: chrono_tz::Tz, short: bool) -> String {
        let late = Risk::overdue_text(self.cssrs_due, now);
        match &self.cssrs {
            None => format!("C-SSRS not done{late}"),
            Some(m) => {
                let triage = match (short, m.result.as_str()) {
                    (true, "none") => "none",
                    (true, "high") => "HIGH RISK",
                    _ => crate::domain::screen::triage_from_code(&m.result).map_or(m.result.as_str(), |t| t.label()),
                };
                let at = crate::domain::time::local_short(m.at, now, tz);
                format!("C-SSRS {triage} {at} by {}{late}", m.by)
            }
        }
    }

    /// "Morse 45 high 02:00 by Lee Park, LPN", "Morse not done".
    pub fn morse_text(&self, now: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
        let late = Risk::overdue_text(self.morse_due, now);
        match &self.morse {
            None => format!("Morse not done{late}"),
            Some(m) => {
                let total = m.total.map_or(String::new(), |t| format!("{t} "));
                let at = crate::domain::time::local_short(m.at, now, tz);
                format!("Morse {total}{} {at} by {}{late}", m.result, m.by)
            }
        }
    }

    /// Either screen is past its due time (the unit's interval after the last, or never done).
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        [self.cssrs_due, self.morse_due].into_iter().any(|d| matches!(Risk::due(d, now), Due::Overdue(_)))
    }
}

impl Occupant {
    /// "PAWSS 5/10 HIGH RISK", "PAWSS 2/10", "PAWSS not applicable", "PAWSS not done" (owed), or
    /// nothing for a stay PAWSS does not concern (REFERENCE.md §3: >= 4 high risk; "not
    /// applicable", never 0).
    pub fn pawss_text(&self) -> Option<String> {
        match self.pawss {
            Some(p) if p >= crate::domain::stay::PAWSS_HIGH_RISK => Some(format!("PAWSS {p}/10 HIGH RISK")),
            Some(p) => Some(format!("PAWSS {p}/10")),
            None if self.risk.pawss_not_applicable => Some("PAWSS not applicable".into()),
            None if self.pawss_owed() => Some("PAWSS not done".into()),
            None => None,
        }
    }
}

impl Occupant {
    /// What the handoff, its printed sheet and the census printout say of the risk screens and
    /// the admission assessment (issue 16, point 6): the C-SSRS triage; the Morse band and PAWSS;
    /// BAL and urine drug screen from the assessment's arrival section (as it stands, addenda
    /// laid over it); the assessment's state. Each with when and by whom.
    pub fn risk_lines(
        &self,
        record: Option<&crate::domain::admission::AdmissionRecord>,
        now: DateTime<Utc>,
        tz: chrono_tz::Tz,
    ) -> Vec<String> {
        use crate::domain::admission::Section;
        let mut fall = vec![self.risk.morse_text(now, tz)];
        fall.extend(self.pawss_text());
        let local = |t: DateTime<Utc>| crate::domain::time::local_short(t, now, tz);
        let arrival = match record.map(|r| r.effective().arrival) {
            None => "BAL/UDS: not recorded (admission assessment not started)".to_string(),
            Some(Section::Unanswered) => "BAL/UDS: not recorded yet (admission assessment in progress)".to_string(),
            Some(Section::NotAssessed { reason }) => format!("BAL/UDS: on arrival not assessed: {}", reason.trim()),
            Some(Section::Answered(a)) => {
                format!("BAL {}\nUDS {}", a.bal.text(local), a.uds.text(local))
            }
        };
        let assessment = match record {
            None => "not started".to_string(),
            Some(r) => r.state_text(),
        };
        // Short lines (each fits 80 columns on its own in the common case; printouts wrap).
        let mut lines = vec![self.risk.cssrs_text(now, tz, false), fall.join(" · ")];
        lines.extend(arrival.split('\n').map(str::to_string));
        lines.push(format!("Admission assessment: {assessment}"));
        lines
    }
}
