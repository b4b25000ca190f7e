//! A patient's stay on the ward: admission, transfer, level of care, discharge — the rules, not
//! the storage. Forms arrive here as the strings the nurse typed and leave validated or refused
//! with a message that names the field.
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::text::{clean_line, required_line};
use super::time::parse_date;

/// Sex as recorded at admission (schema.sql `patient.sex`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sex {
    Female,
    Male,
    Other,
    Unknown,
}

impl Sex {
    pub const ALL: [Sex; 4] = [Sex::Female, Sex::Male, Sex::Other, Sex::Unknown];

    /// The one letter stored and shown after the age ("45F").
    pub fn code(self) -> &'static str {
        match self {
            Sex::Female => "F",
            Sex::Male => "M",
            Sex::Other => "X",
            Sex::Unknown => "U",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::Other => "other",
            Sex::Unknown => "unknown",
        }
    }
    pub fn from_code(s: &str) -> Option<Sex> {
        Sex::ALL.into_iter().find(|x| x.code() == s)
    }
}

impl std::fmt::Display for Sex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Code status (schema.sql `stay.code_status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeStatus {
    FullCode,
    Dnr,
    DnrDni,
}

impl CodeStatus {
    pub const ALL: [CodeStatus; 3] = [CodeStatus::FullCode, CodeStatus::Dnr, CodeStatus::DnrDni];

    /// As stored and as read ("Full code", "DNR", "DNR/DNI").
    pub fn code(self) -> &'static str {
        match self {
            CodeStatus::FullCode => "Full code",
            CodeStatus::Dnr => "DNR",
            CodeStatus::DnrDni => "DNR/DNI",
        }
    }
    pub fn from_code(s: &str) -> Option<CodeStatus> {
        CodeStatus::ALL.into_iter().find(|x| x.code() == s)
    }
}

impl std::fmt::Display for CodeStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A stay's withdrawal protocol (schema.sql `stay.protocol`): a scale's symptom-triggered
/// protocol, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    CiwaAr,
    Cows,
    CiwaB,
    NoProtocol,
}

impl Protocol {
    pub const ALL: [Protocol; 4] = [Protocol::CiwaAr, Protocol::Cows, Protocol::CiwaB, Protocol::NoProtocol];

    /// As stored: the scale's key, or "none".
    pub fn code(self) -> &'static str {
        match self {
            Protocol::CiwaAr => "ciwa-ar",
            Protocol::Cows => "cows",
            Protocol::CiwaB => "ciwa-b",
            Protocol::NoProtocol => "none",
        }
    }
    pub fn from_code(s: &str) -> Option<Protocol> {
        Protocol::ALL.into_iter().find(|x| x.code() == s)
    }

    /// The scale the protocol scores with; `None` for no withdrawal protocol.
    pub fn scale(self) -> Option<&'static crate::domain::scale::Scale> {
        crate::domain::scales::by_key(self.code())
    }

    /// As the admission form offers it: the scale and the withdrawal it scores.
    pub fn label(self) -> &'static str {
        match self {
            Protocol::CiwaAr => "CIWA-Ar (alcohol)",
            Protocol::Cows => "COWS (opioids)",
            Protocol::CiwaB => "CIWA-B (benzodiazepines)",
            Protocol::NoProtocol => "none",
        }
    }

    /// As people read it in text: the scale's display name ("CIWA-Ar"), never its key;
    /// `None` for no withdrawal protocol.
    pub fn name(self) -> Option<&'static str> {
        self.scale().map(|s| s.name)
    }

    /// The scale a scoring screen opens on. A stay on no protocol opens on CIWA-Ar, the ward's
    /// most common scale: the screen names its scale in the title, nothing is scored for the
    /// nurse, and Ctrl-T changes the scale.
    pub fn scale_to_score(self) -> &'static crate::domain::scale::Scale {
        self.scale().unwrap_or(&crate::domain::scales::ciwa_ar::CIWA_AR)
    }
}

/// One of a closed set of codes, as a form's choice field gives it.
fn chosen_of<T: Copy>(field: &str, value: &str, all: &[T], code: impl Fn(T) -> &'static str) -> Result<T, String> {
    let codes: Vec<&str> = all.iter().map(|t| code(*t)).collect();
    let c = chosen(field, value, &codes)?;
    all.iter().copied().find(|t| code(*t) == c).ok_or_else(|| format!("{field}: choose one"))
}

/// Precautions a detox ward tracks: seizure, fall, elopement and suicide from REFERENCE.md section
/// 4, aggression and isolation the ward's own. Stored canonical, comma-separated, in this order;
/// schema.sql's `precaution_list` holds every legal list, so the database refuses any other.
pub const PRECAUTIONS: [&str; 6] = ["seizure", "fall", "elopement", "suicide", "aggression", "isolation"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DischargeType {
    Completed,
    Ama,
    TransferOut,
    Administrative,
}

impl DischargeType {
    pub const ALL: [DischargeType; 4] =
        [DischargeType::Completed, DischargeType::Ama, DischargeType::TransferOut, DischargeType::Administrative];

    pub fn code(self) -> &'static str {
        match self {
            DischargeType::Completed => "completed",
            DischargeType::Ama => "ama",
            DischargeType::TransferOut => "transfer-out",
            DischargeType::Administrative => "administrative",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DischargeType::Completed => "completed treatment",
            DischargeType::Ama => "against medical advice",
            DischargeType::TransferOut => "transfer out",
            DischargeType::Administrative => "administrative",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == s)
    }
}

/// What an admission form holds once every field has been checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Admission {
    pub name: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub mrn: String,
    pub admitted_at: DateTime<Utc>,
    pub level_of_care: String,
    pub substances: String,
    pub last_use: String,
    pub allergies: String,
    pub precautions: String,
    pub attending: String,
    pub code_status: CodeStatus,
    pub protocol: Protocol,
    pub observation: String,
}

/// The admission form as typed. Choice fields hold the chosen code, or "" when none was chosen:
/// nothing clinical is ever filled in for the nurse.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AdmissionForm {
    pub name: String,
    pub birth_date: String,
    pub sex: String,
    pub mrn: String,
    pub admitted_at: String,
    pub level_of_care: String,
    pub substances: String,
    pub last_use: String,
    pub allergies: String,
    pub precautions: String,
    pub attending: String,
    pub code_status: String,
    pub protocol: String,
    pub observation: String,
}

/// PAWSS >= 4: high risk of complicated alcohol withdrawal (REFERENCE.md section 3).
pub const PAWSS_HIGH_RISK: u8 = 4;

fn chosen(field: &str, value: &str, allowed: &[&str]) -> Result<String, String> {
    if value.is_empty() {
        return Err(format!("{field}: choose one ({})", allowed.join(", ")));
    }
    if !allowed.contains(&value) {
        return Err(format!("{field}: {value:?} is not one of {}", allowed.join(", ")));
    }
    Ok(value.to_string())
}

/// Times as nurses type them (issue 20, point 10): the one parser lives in [`super::time`].
pub use super::time::parse_event_time;

/// Normalise "Fall, seizure" to "fall, seizure" in the canonical order; refuse unknown words.
pub fn parse_precautions(s: &str) -> Result<String, String> {
    let mut found = Vec::new();
    for word in s.split([',', ';', ' ']).map(str::trim).filter(|w| !w.is_empty()) {
        let w = word.to_lowercase();
        match PRECAUTIONS.iter().find(|p| **p == w) {
            Some(p) => found.push(*p),
            None => {
                return Err(format!(
                    "Precautions: unknown {word:?}; use any of {} (or leave empty for none)",
                    PRECAUTIONS.join(", ")
                ));
            }
        }
    }
    let ordered: Vec<&str> = PRECAUTIONS.iter().copied().filter(|p| found.contains(p)).collect();
    Ok(ordered.join(", "))
}

impl AdmissionForm {
    /// Check every field. `levels` and `observations` are the codes the ward's tables hold.
    pub fn validate(
        &self,
        now: DateTime<Utc>,
        tz: Tz,
        levels: &[String],
        observations: &[String],
    ) -> Result<Admission, String> {
        let name = required_line("Name", &self.name, 100)?;
        let birth_date = parse_date("Date of birth", &self.birth_date)?;
        let today = now.with_timezone(&tz).date_naive();
        if birth_date > today {
            return Err("Date of birth is in the future".into());
        }
        if today.years_since(birth_date).unwrap_or(0) > 120 {
            return Err("Date of birth is more than 120 years ago; check the year".into());
        }
        let sex = chosen_of("Sex", &self.sex, &Sex::ALL, Sex::code)?;
        let mrn = required_line("MRN", &self.mrn, 20)?;
        let admitted_at = parse_event_time("Admitted at", &self.admitted_at, now, tz)?;
        let level_refs: Vec<&str> = levels.iter().map(String::as_str).collect();
        let level_of_care = chosen("Level of care", &self.level_of_care, &level_refs)?;
        let substances = required_line("Substances", &self.substances, 200)?;
        let last_use = required_line("Last use", &self.last_use, 60)?;
        let allergies = required_line("Allergies (type NKDA if none)", &self.allergies, 200)?;
        let precautions = parse_precautions(&self.precautions)?;
        let attending = required_line("Attending", &self.attending, 80)?;
        let code_status = chosen_of("Code status", &self.code_status, &CodeStatus::ALL, CodeStatus::code)?;
        let protocol = chosen_of("Protocol", &self.protocol, &Protocol::ALL, Protocol::code)?;
        let obs_refs: Vec<&str> = observations.iter().map(String::as_str).collect();
        let observation = chosen("Observation", &self.observation, &obs_refs)?;
        Ok(Admission {
            name,
            birth_date,
            sex,
            mrn,
            admitted_at,
            level_of_care,
            substances,
            last_use,
            allergies,
            precautions,
            attending,
            code_status,
            protocol,
            observation,
        })
    }
}

/// A discharge once checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Discharge {
    pub at: DateTime<Utc>,
    pub kind: DischargeType,
    pub aftercare: String,
}

/// Validate a discharge: a type, a time not before admission nor in the future, and an aftercare
/// summary (outpatient referral, support groups, relapse-prevention plan). An AMA discharge may
/// have no plan, but must say so.
pub fn validate_discharge(
    kind: &str,
    at: &str,
    aftercare: &str,
    admitted_at: DateTime<Utc>,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<Discharge, String> {
    let codes: Vec<&str> = DischargeType::ALL.iter().map(|d| d.code()).collect();
    let kind = DischargeType::from_code(&chosen("Discharge type", kind, &codes)?)
        .ok_or_else(|| "Discharge type: unknown".to_string())?;
    let at = parse_event_time("Discharged at", at, now, tz)?;
    if at < admitted_at {
        return Err("Discharged at is before the admission".into());
    }
    let aftercare = clean_line("Aftercare", aftercare, 500)?;
    if aftercare.is_empty() {
        return Err("Aftercare summary is required (referral, support groups, relapse plan; or why none)".into());
    }
    Ok(Discharge { at, kind, aftercare })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn tz() -> Tz {
        "America/New_York".parse().unwrap()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0).unwrap()
    }

    fn form() -> AdmissionForm {
        AdmissionForm {
            name: "Test Patient".into(),
            birth_date: "1980-02-29".into(),
            sex: "F".into(),
            mrn: "MRN1".into(),
            admitted_at: "now".into(),
            level_of_care: "3.7-WM".into(),
            substances: "alcohol".into(),
            last_use: "2026-11-24 20:00".into(),
            allergies: "NKDA".into(),
            precautions: "Seizure fall".into(),
            attending: "Dr Lee".into(),
            code_status: "Full code".into(),
            protocol: "ciwa-ar".into(),
            observation: "q15".into(),
        }
    }

    fn v(f: &AdmissionForm) -> Result<Admission, String> {
        f.validate(now(), tz(), &["3.7-WM".into()], &["q15".into()])
    }

    #[test]
    fn a_complete_form_validates() {
        let a = v(&form()).unwrap();
        assert_eq!(a.admitted_at, now());
        assert_eq!(a.precautions, "seizure, fall");
    }

    #[test]
    fn nothing_clinical_is_assumed() {
        for blank in [
            |f: &mut AdmissionForm| f.allergies.clear(),
            |f: &mut AdmissionForm| f.protocol.clear(),
            |f: &mut AdmissionForm| f.admitted_at.clear(),
            |f: &mut AdmissionForm| f.code_status.clear(),
        ] {
            let mut f = form();
            blank(&mut f);
            assert!(v(&f).is_err());
        }
    }

    #[test]
    fn bad_dates_are_refused_with_the_field_named() {
        let mut f = form();
        f.birth_date = "1980-02-30".into();
        assert!(v(&f).unwrap_err().starts_with("Date of birth"));
        let mut f = form();
        f.admitted_at = "2026-11-26 10:00".into();
        assert!(v(&f).unwrap_err().contains("future"));
        let mut f = form();
        f.precautions = "seizure, wobbly".into();
        assert!(v(&f).unwrap_err().contains("wobbly"));
    }

    #[test]
    fn discharge_rules() {
        let adm = now() - chrono::Duration::days(3);
        assert!(validate_discharge("", "now", "x", adm, now(), tz()).is_err());
        assert!(validate_discharge("ama", "now", "", adm, now(), tz()).is_err());
        let d = validate_discharge("ama", "now", "declined plan", adm, now(), tz()).unwrap();
        assert_eq!(d.kind, DischargeType::Ama);
        assert!(validate_discharge("completed", "2026-11-01 10:00", "x", adm, now(), tz()).is_err());
    }
}

#[cfg(test)]
mod event_time_tests {
    use super::parse_event_time;
    use crate::domain::time::{parse_local, to_db};
    use chrono::Duration;

    #[test]
    fn times_as_nurses_type_them() {
        let tz = chrono_tz::America::New_York;
        let now = parse_local("t", "2026-11-25 09:10", tz).unwrap();
        let p = |s: &str| parse_event_time("Time", s, now, tz);
        assert_eq!(p("now").unwrap(), now);
        assert_eq!(p("-15m").unwrap(), now - Duration::minutes(15));
        assert_eq!(p("-2h").unwrap(), now - Duration::hours(2));
        assert_eq!(p("08:30").unwrap(), parse_local("t", "2026-11-25 08:30", tz).unwrap());
        assert_eq!(p("8:30").unwrap(), parse_local("t", "2026-11-25 08:30", tz).unwrap());
        // 23:50 has not come yet today: the most recent past one is yesterday's.
        assert_eq!(to_db(p("23:50").unwrap()), to_db(parse_local("t", "2026-11-24 23:50", tz).unwrap()));
        assert_eq!(p("2026-11-25 07:00").unwrap(), parse_local("t", "2026-11-25 07:00", tz).unwrap());
        assert!(p("-15x").is_err());
        assert!(p("-99999999999999h").unwrap_err().contains("too far back"), "never a panic");
        assert!(p("-99999999999999999999m").is_err());
        assert!(p("2026-11-26 07:00").unwrap_err().contains("future"));
        assert!(p("").unwrap_err().contains("-15m"));
    }
}

/// A safety fact of a stay that changes after admission (issue 20, point 9): each change is
/// recorded with who, when and why, and shown in the timeline and the handoff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SafetyFact {
    Allergies,
    Precautions,
    CodeStatus,
}

impl SafetyFact {
    pub const ALL: [SafetyFact; 3] = [SafetyFact::Allergies, SafetyFact::Precautions, SafetyFact::CodeStatus];

    /// The `stay_event.kind` and the `stay` column it changes.
    pub fn code(self) -> &'static str {
        match self {
            SafetyFact::Allergies => "allergies",
            SafetyFact::Precautions => "precautions",
            SafetyFact::CodeStatus => "code_status",
        }
    }

    pub fn from_code(s: &str) -> Option<SafetyFact> {
        SafetyFact::ALL.into_iter().find(|f| f.code() == s)
    }

    /// For people: "Allergies", "Precautions", "Code status".
    pub fn label(self) -> &'static str {
        match self {
            SafetyFact::Allergies => "Allergies",
            SafetyFact::Precautions => "Precautions",
            SafetyFact::CodeStatus => "Code status",
        }
    }

    /// The new value as the stay stores it, checked as at admission, and the reason, required.
    pub fn validate(self, value: &str, why: &str) -> Result<(String, String), String> {
        let value = match self {
            SafetyFact::Allergies => required_line("Allergies (type NKDA if none)", value, 200)?,
            SafetyFact::Precautions => parse_precautions(value)?,
            SafetyFact::CodeStatus => {
                chosen_of("Code status", value, &CodeStatus::ALL, CodeStatus::code)?.code().to_string()
            }
        };
        let why = required_line("Why (source: patient, pharmacy, provider order, ...)", why, 200)?;
        Ok((value, why))
    }
}

#[cfg(test)]
mod safety_fact_tests {
    use super::SafetyFact;

    #[test]
    fn a_change_is_checked_as_at_admission_and_needs_a_reason() {
        let ok = SafetyFact::Allergies.validate("penicillin, shellfish", "patient recalled at 03:00").unwrap();
        assert_eq!(ok.0, "penicillin, shellfish");
        assert!(SafetyFact::Allergies.validate("", "x").is_err());
        assert!(SafetyFact::Allergies.validate("latex", " ").unwrap_err().contains("Why"));
        assert_eq!(SafetyFact::Precautions.validate("Fall, seizure", "fell").unwrap().0, "seizure, fall");
        assert!(SafetyFact::CodeStatus.validate("maybe", "x").is_err());
        assert_eq!(SafetyFact::CodeStatus.validate("DNR", "order from Dr Patel").unwrap().0, "DNR");
    }
}
