//! The stay beyond detox: treatment plan, the ward's therapy schedule and attendance.
//!
//! Pure rules only. A plan is a sequence of versions (a change is a new version, never an edit);
//! attendance is recorded only for a session that has started, and never for a discharged patient.
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// The ways a plan intervenes and a session runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Modality {
    Individual,
    Group,
    Family,
    Cbt,
    Dbt,
    Holistic,
    LifeSkills,
    Mat,
}

impl Modality {
    pub const ALL: [Modality; 8] = [
        Modality::Individual,
        Modality::Group,
        Modality::Family,
        Modality::Cbt,
        Modality::Dbt,
        Modality::Holistic,
        Modality::LifeSkills,
        Modality::Mat,
    ];

    /// The value stored in the database (schema.sql CHECK).
    pub fn code(self) -> &'static str {
        match self {
            Modality::Individual => "individual",
            Modality::Group => "group",
            Modality::Family => "family",
            Modality::Cbt => "cbt",
            Modality::Dbt => "dbt",
            Modality::Holistic => "holistic",
            Modality::LifeSkills => "life_skills",
            Modality::Mat => "mat",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Modality::Individual => "Individual",
            Modality::Group => "Group",
            Modality::Family => "Family",
            Modality::Cbt => "CBT",
            Modality::Dbt => "DBT",
            Modality::Holistic => "Holistic",
            Modality::LifeSkills => "Life skills",
            Modality::Mat => "MAT",
        }
    }

    pub fn from_code(s: &str) -> Option<Modality> {
        Modality::ALL.into_iter().find(|m| m.code() == s)
    }
}

/// One version of a stay's treatment plan, as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanDraft {
    pub problems: String,
    pub goals: String,
    /// At most one line per modality; modalities not in use are absent.
    pub interventions: Vec<(Modality, String)>,
}

pub const PLAN_TEXT_MAX: usize = 1000;
pub const INTERVENTION_MAX: usize = 300;

impl PlanDraft {
    /// Check what was typed: problems and goals are required, interventions are optional per
    /// modality but at least one is needed, no control characters, bounded lengths.
    pub fn validate(problems: &str, goals: &str, interventions: &[(Modality, String)]) -> Result<PlanDraft, String> {
        let (problems, goals) = (problems.trim(), goals.trim());
        if problems.is_empty() {
            return Err("Problems: at least one problem is required".into());
        }
        if goals.is_empty() {
            return Err("Goals: at least one goal is required".into());
        }
        for (field, v) in [("Problems", problems), ("Goals", goals)] {
            if v.chars().count() > PLAN_TEXT_MAX {
                return Err(format!("{field}: at most {PLAN_TEXT_MAX} characters"));
            }
        }
        let mut out = Vec::new();
        for (m, text) in interventions {
            let t = text.trim();
            if t.is_empty() {
                continue;
            }
            if t.chars().count() > INTERVENTION_MAX {
                return Err(format!("{}: at most {INTERVENTION_MAX} characters", m.label()));
            }
            if out.iter().any(|(o, _): &(Modality, String)| o == m) {
                return Err(format!("{}: one line per modality", m.label()));
            }
            out.push((*m, t.to_string()));
        }
        if out.is_empty() {
            return Err("Interventions: type at least one (by modality)".into());
        }
        let all: Vec<(&str, &str)> = [("Problems", problems), ("Goals", goals)]
            .into_iter()
            .chain(out.iter().map(|(m, t)| (m.label(), t.as_str())))
            .collect();
        super::text::refuse_control(&all)?;
        Ok(PlanDraft { problems: problems.into(), goals: goals.into(), interventions: out })
    }
}

/// A saved version of a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanVersion {
    pub id: i64,
    pub version: i64,
    pub problems: String,
    pub goals: String,
    pub interventions: Vec<(Modality, String)>,
    pub set_by: String,
    pub set_at: DateTime<Utc>,
}

/// What a nurse records for one patient at one session: one key each on the schedule screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Attendance {
    Attended,
    Partial,
    Refused,
    ExcusedMedical,
    Asleep,
}

impl Attendance {
    pub const ALL: [Attendance; 5] = [
        Attendance::Attended,
        Attendance::Partial,
        Attendance::Refused,
        Attendance::ExcusedMedical,
        Attendance::Asleep,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Attendance::Attended => "attended",
            Attendance::Partial => "partial",
            Attendance::Refused => "refused",
            Attendance::ExcusedMedical => "excused_medical",
            Attendance::Asleep => "asleep",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Attendance::Attended => "attended",
            Attendance::Partial => "partial",
            Attendance::Refused => "refused",
            Attendance::ExcusedMedical => "excused (medical)",
            Attendance::Asleep => "asleep",
        }
    }

    pub fn from_code(s: &str) -> Option<Attendance> {
        Attendance::ALL.into_iter().find(|a| a.code() == s)
    }

    /// Present for (some of) the session.
    pub fn present(self) -> bool {
        matches!(self, Attendance::Attended | Attendance::Partial)
    }
}

/// One session on the ward's schedule.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub minutes: i64,
    pub modality: Modality,
    pub title: String,
    pub facilitator: String,
    /// `None` = every patient on the ward; otherwise the invited stays.
    pub invited: Option<Vec<i64>>,
}

impl Session {
    pub fn ends_at(&self) -> DateTime<Utc> {
        self.starts_at + Duration::minutes(self.minutes)
    }

    pub fn invites(&self, stay_id: i64) -> bool {
        self.invited.as_ref().is_none_or(|v| v.contains(&stay_id))
    }

    pub fn started(&self, now: DateTime<Utc>) -> bool {
        self.starts_at <= now
    }
}

/// A session as typed on the schedule screen.
#[derive(Clone, Debug, PartialEq)]
pub struct NewSession {
    pub starts_at: DateTime<Utc>,
    pub minutes: i64,
    pub modality: Modality,
    pub title: String,
    pub facilitator: String,
    /// Bed labels, or `None` for all patients.
    pub beds: Option<Vec<String>>,
}

impl NewSession {
    /// Validate the session dialog. The time may be in the future (it is a schedule), read as
    /// nurses type it by [`crate::domain::time::parse_event_time_allowing_future`].
    // The dialog's six typed fields, and the ward's clock to read the time by.
    #[allow(clippy::too_many_arguments)]
    pub fn validate(
        at: &str,
        minutes: &str,
        modality: &str,
        title: &str,
        facilitator: &str,
        who: &str,
        now: DateTime<Utc>,
        tz: Tz,
    ) -> Result<NewSession, String> {
        let starts_at = super::time::parse_event_time_allowing_future("Starts", at, now, tz)?;
        let minutes: i64 = minutes.trim().parse().map_err(|_| "Minutes: type a number, e.g. 60".to_string())?;
        if !(5..=480).contains(&minutes) {
            return Err("Minutes: between 5 and 480".into());
        }
        let modality = Modality::from_code(modality).ok_or("Modality: choose one with ←/→")?;
        let (title, facilitator) = (title.trim(), facilitator.trim());
        if title.is_empty() || title.chars().count() > 60 {
            return Err("Title: 1 to 60 characters".into());
        }
        if facilitator.is_empty() || facilitator.chars().count() > 60 {
            return Err("Facilitator: 1 to 60 characters".into());
        }
        super::text::refuse_control(&[("Title", title), ("Facilitator", facilitator), ("Patients", who)])?;
        let who = who.trim();
        let beds = if who.eq_ignore_ascii_case("all") {
            None
        } else {
            let beds: Vec<String> =
                who.split([',', ' ']).map(str::trim).filter(|b| !b.is_empty()).map(String::from).collect();
            if beds.is_empty() {
                return Err("Patients: type all, or bed labels such as 1, 3, 7".into());
            }
            Some(beds)
        };
        Ok(NewSession { starts_at, minutes, modality, title: title.into(), facilitator: facilitator.into(), beds })
    }
}

/// The attendance rule, in one place (the store and the schema enforce it again).
pub fn check_attendance(session_start: DateTime<Utc>, now: DateTime<Utc>, discharged: bool) -> Result<(), String> {
    if discharged {
        return Err("this patient has been discharged; attendance can no longer be recorded".into());
    }
    if session_start > now {
        return Err("this session has not started; attendance is recorded once it has".into());
    }
    Ok(())
}

/// The ward day containing `now`, as a UTC window [start, end).
pub fn ward_day(now: DateTime<Utc>, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let day: NaiveDate = now.with_timezone(&tz).date_naive();
    let at = |d: NaiveDate| {
        let naive = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        tz.from_local_datetime(&naive).earliest().map_or(now, |t| t.with_timezone(&Utc))
    };
    (at(day), at(day.succ_opt().unwrap_or(day)))
}

/// "Next session": the one running now, else the next to start (sessions sorted by start).
pub fn next_session(sessions: &[Session], now: DateTime<Utc>) -> Option<usize> {
    sessions
        .iter()
        .position(|s| s.starts_at <= now && now < s.ends_at())
        .or_else(|| sessions.iter().position(|s| s.starts_at > now))
}

/// Who of the invited is missing from a session: those with no attendance recorded for it.
/// A patient already marked (attended, partial, refused, excused, asleep) is accounted for and
/// is not missing (issue 20, point 11): the list is who the nurse still has to find or mark.
/// `patients` are (stay id, label) of the ward's open stays; `marks` the latest per
/// (session id, stay id). The one rule for the schedule screen, its printout and the CLI.
pub fn missing<'a, M>(
    s: &Session,
    patients: &'a [(i64, String)],
    marks: &std::collections::HashMap<(i64, i64), M>,
) -> Vec<&'a str> {
    patients
        .iter()
        .filter(|(stay, _)| s.invites(*stay))
        .filter(|(stay, _)| !marks.contains_key(&(s.id, *stay)))
        .map(|(_, l)| l.as_str())
        .collect()
}

/// One recorded attendance, as the schedule and handoff show it.
#[derive(Clone, Debug, PartialEq)]
pub struct AttendanceMark {
    pub session_id: i64,
    pub stay_id: i64,
    pub status: Attendance,
    pub comment: Option<String>,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A stay's attendance line for the handoff: when, which session, what.
#[derive(Clone, Debug, PartialEq)]
pub struct AttendanceLine {
    pub session_at: DateTime<Utc>,
    pub modality: Modality,
    pub title: String,
    pub status: Attendance,
    pub comment: Option<String>,
    pub by: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        super::super::time::from_db(s).unwrap()
    }

    #[test]
    fn codes_round_trip() {
        for m in Modality::ALL {
            assert_eq!(Modality::from_code(m.code()), Some(m));
        }
        for a in Attendance::ALL {
            assert_eq!(Attendance::from_code(a.code()), Some(a));
        }
    }

    #[test]
    fn plan_needs_problems_goals_and_an_intervention() {
        assert!(PlanDraft::validate("", "g", &[(Modality::Cbt, "x".into())]).is_err());
        assert!(PlanDraft::validate("p", " ", &[(Modality::Cbt, "x".into())]).is_err());
        assert!(PlanDraft::validate("p", "g", &[(Modality::Cbt, "  ".into())]).is_err());
        let d = PlanDraft::validate(" p ", "g", &[(Modality::Cbt, " x ".into()), (Modality::Dbt, "".into())]).unwrap();
        assert_eq!(d.interventions, vec![(Modality::Cbt, "x".to_string())]);
        assert!(PlanDraft::validate("p\u{1b}[2J", "g", &[(Modality::Cbt, "x".into())]).is_err());
    }

    #[test]
    fn no_attendance_before_the_session_or_after_discharge() {
        let now = t("2026-11-25T15:00:00Z");
        assert!(check_attendance(t("2026-11-25T15:30:00Z"), now, false).unwrap_err().contains("not started"));
        assert!(check_attendance(t("2026-11-25T14:00:00Z"), now, true).unwrap_err().contains("discharged"));
        assert!(check_attendance(t("2026-11-25T15:00:00Z"), now, false).is_ok());
    }

    #[test]
    fn next_session_and_who_is_missing() {
        let s = |id, at: &str, invited: Option<Vec<i64>>| Session {
            id,
            starts_at: t(at),
            minutes: 60,
            modality: Modality::Group,
            title: "x".into(),
            facilitator: "y".into(),
            invited,
        };
        let day = vec![s(1, "2026-11-25T13:00:00Z", None), s(2, "2026-11-25T16:00:00Z", Some(vec![2, 3]))];
        assert_eq!(next_session(&day, t("2026-11-25T13:30:00Z")), Some(0));
        assert_eq!(next_session(&day, t("2026-11-25T14:30:00Z")), Some(1));
        assert_eq!(next_session(&day, t("2026-11-25T18:00:00Z")), None);
        let patients = vec![(1, "1 Ann".to_string()), (2, "2 Bo".to_string()), (3, "3 Cy".to_string())];
        let mut marks = std::collections::HashMap::new();
        marks.insert((1, 1), Attendance::Attended);
        marks.insert((1, 2), Attendance::Refused);
        marks.insert((2, 3), Attendance::ExcusedMedical);
        // Refused and excused are marked: accounted for, not missing.
        assert_eq!(missing(&day[0], &patients, &marks), vec!["3 Cy"]);
        assert_eq!(missing(&day[1], &patients, &marks), vec!["2 Bo"]);
        for a in Attendance::ALL {
            let one = std::collections::HashMap::from([((1, 3), a)]);
            assert_eq!(missing(&day[0], &patients, &one), vec!["1 Ann", "2 Bo"], "{a:?}");
        }
    }

    #[test]
    fn a_session_may_be_scheduled_ahead() {
        let tz = chrono_tz::America::New_York;
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 14, 0, 0).unwrap();
        let s = NewSession::validate("2030-01-02 14:00", "60", "group", "Relapse", "Dr A", "1, 3", now, tz).unwrap();
        assert_eq!(s.beds, Some(vec!["1".to_string(), "3".to_string()]));
        assert!(NewSession::validate("2030-01-02 14:00", "60", "", "T", "F", "all", now, tz).is_err());
        assert!(NewSession::validate("2030-01-02 14:00", "2", "group", "T", "F", "all", now, tz).is_err());
    }
}
