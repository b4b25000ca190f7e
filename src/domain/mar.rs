//! The medication administration record (REFERENCE.md §9): who the patient is before a dose,
//! the order's hold parameters checked against values the nurse typed, and what happened
//! (given / held / refused / omitted). Pure: the store records it (src/store/meds.rs).
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::orders::{Holds, OrderKind, ROUTES};
use super::text::clean_line;
use super::time::parse_event_time;

/// One hold parameter of an order (REFERENCE.md §9: "hold if RASS <= -2, RR < 12, SBP < 90").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HoldParam {
    Rass,
    Rr,
    Sbp,
    Hr,
}

impl HoldParam {
    pub const ALL: [HoldParam; 4] = [HoldParam::Rass, HoldParam::Rr, HoldParam::Sbp, HoldParam::Hr];

    /// The key in med_admin.hold_values.
    pub fn key(self) -> &'static str {
        match self {
            HoldParam::Rass => "rass",
            HoldParam::Rr => "rr",
            HoldParam::Sbp => "sbp",
            HoldParam::Hr => "hr",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            HoldParam::Rass => "RASS",
            HoldParam::Rr => "RR",
            HoldParam::Sbp => "SBP",
            HoldParam::Hr => "HR",
        }
    }

    /// The values a nurse can have measured: RASS's own range (REFERENCE.md §3, -5..+4), the
    /// others the plausibility limits the schema sets on vital signs (0006 migration).
    pub fn range(self) -> (i32, i32) {
        match self {
            HoldParam::Rass => (-5, 4),
            HoldParam::Rr => (2, 80),
            HoldParam::Sbp => (40, 300),
            HoldParam::Hr => (20, 250),
        }
    }

    /// The order's limit for this parameter, if it has one.
    pub fn limit(self, holds: &Holds) -> Option<i32> {
        match self {
            HoldParam::Rass => holds.rass_at_or_below,
            HoldParam::Rr => holds.rr_below,
            HoldParam::Sbp => holds.sbp_below,
            HoldParam::Hr => holds.hr_below,
        }
    }

    /// The parameters an order holds on, in the order the screen asks them.
    pub fn of(holds: &Holds) -> Vec<HoldParam> {
        HoldParam::ALL.into_iter().filter(|p| p.limit(holds).is_some()).collect()
    }

    /// Whether `value` is past `limit`. REFERENCE.md §9: "hold if RASS <= -2, RR < 12, SBP < 90":
    /// RASS holds at or below its limit, RR, SBP and HR below theirs.
    pub fn past(self, value: i32, limit: i32) -> bool {
        match self {
            HoldParam::Rass => value <= limit,
            HoldParam::Rr | HoldParam::Sbp | HoldParam::Hr => value < limit,
        }
    }

    /// "<=" or "<".
    fn sign(self) -> &'static str {
        if self == HoldParam::Rass { "<=" } else { "<" }
    }
}

/// The hold values the nurse typed before the dose (any she did not type are `None`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HoldValues {
    pub rass: Option<i32>,
    pub rr: Option<i32>,
    pub sbp: Option<i32>,
    pub hr: Option<i32>,
}

impl HoldValues {
    pub fn get(&self, p: HoldParam) -> Option<i32> {
        match p {
            HoldParam::Rass => self.rass,
            HoldParam::Rr => self.rr,
            HoldParam::Sbp => self.sbp,
            HoldParam::Hr => self.hr,
        }
    }

    pub fn set(&mut self, p: HoldParam, v: Option<i32>) {
        match p {
            HoldParam::Rass => self.rass = v,
            HoldParam::Rr => self.rr = v,
            HoldParam::Sbp => self.sbp = v,
            HoldParam::Hr => self.hr = v,
        }
    }

    /// `{"rass":-1,"rr":14}`: only the values typed (med_admin.hold_values).
    pub fn to_json(&self) -> String {
        let parts: Vec<String> =
            HoldParam::ALL.iter().filter_map(|p| self.get(*p).map(|v| format!("\"{}\":{v}", p.key()))).collect();
        format!("{{{}}}", parts.join(","))
    }

    /// Read med_admin.hold_values back.
    pub fn from_json(s: &str) -> Result<HoldValues, String> {
        let v: serde_json::Value = serde_json::from_str(s).map_err(|e| format!("hold values {s:?}: {e}"))?;
        let mut out = HoldValues::default();
        for p in HoldParam::ALL {
            if let Some(x) = v.get(p.key()) {
                let n = x.as_i64().ok_or_else(|| format!("hold values {s:?}: {} is not a number", p.key()))?;
                out.set(p, Some(n as i32));
            }
        }
        Ok(out)
    }

    /// "RASS -1, RR 14", or "" with none.
    pub fn text(&self) -> String {
        HoldParam::ALL
            .iter()
            .filter_map(|p| self.get(*p).map(|v| format!("{} {v}", p.label())))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Read one typed value: empty is `None` (not measured), never a default.
    pub fn parse(p: HoldParam, s: &str) -> Result<Option<i32>, String> {
        let t = s.trim();
        if t.is_empty() {
            return Ok(None);
        }
        let (lo, hi) = p.range();
        match t.trim_start_matches('+').parse::<i32>() {
            Ok(v) if (lo..=hi).contains(&v) => Ok(Some(v)),
            _ => Err(format!("{}: type a whole number from {lo} to {hi}", p.label())),
        }
    }
}

/// A value past one of the order's hold parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Breach {
    pub param: HoldParam,
    pub value: i32,
    pub limit: i32,
}

impl Breach {
    /// "RASS -3 (hold if <= -2)".
    pub fn text(&self) -> String {
        format!("{} {} (hold if {} {})", self.param.label(), self.value, self.param.sign(), self.limit)
    }
}

/// "RASS -3 (hold if <= -2); RR 10 (hold if < 12)".
pub fn breaches_text(b: &[Breach]) -> String {
    b.iter().map(Breach::text).collect::<Vec<_>>().join("; ")
}

/// Check the typed values against the order's hold parameters (REFERENCE.md §9: the screen
/// "asks for the value before a dose is recorded as given"). A parameter of the order without
/// its value is refused, naming it; otherwise the values past a limit.
pub fn hold_check(holds: &Holds, values: &HoldValues) -> Result<Vec<Breach>, String> {
    let params = HoldParam::of(holds);
    let missing: Vec<&str> = params.iter().filter(|p| values.get(**p).is_none()).map(|p| p.label()).collect();
    if !missing.is_empty() {
        return Err(format!("the order holds on {}: type the value before the dose", missing.join(", ")));
    }
    Ok(params
        .into_iter()
        .filter_map(|p| {
            let (value, limit) = (values.get(p)?, p.limit(holds)?);
            p.past(value, limit).then_some(Breach { param: p, value, limit })
        })
        .collect())
}

/// What happened to a dose (REFERENCE.md §9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Given,
    Held,
    Refused,
    Omitted,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [Outcome::Given, Outcome::Held, Outcome::Refused, Outcome::Omitted];

    pub fn as_db(self) -> &'static str {
        match self {
            Outcome::Given => "given",
            Outcome::Held => "held",
            Outcome::Refused => "refused",
            Outcome::Omitted => "omitted",
        }
    }

    pub fn from_db(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_db() == s)
    }

    /// Held and omitted say why (REFERENCE.md §9: "held (reason) ... omitted (reason)").
    pub fn needs_reason(self) -> bool {
        matches!(self, Outcome::Held | Outcome::Omitted)
    }
}

/// How the patient was identified before the dose (REFERENCE.md §9, Joint Commission NPSG
/// 01.01.01: two identifiers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identity {
    /// Name and date of birth typed and matched against the record.
    NameDob,
    /// The wristband's barcode scanned (the scanner types the MRN and Enter).
    Wristband,
}

impl Identity {
    pub fn as_db(self) -> &'static str {
        match self {
            Identity::NameDob => "name+dob",
            Identity::Wristband => "wristband",
        }
    }

    pub fn from_db(s: &str) -> Option<Identity> {
        match s {
            "name+dob" => Some(Identity::NameDob),
            "wristband" => Some(Identity::Wristband),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Identity::NameDob => "name and date of birth",
            Identity::Wristband => "wristband scan",
        }
    }
}

/// A name's words, lower-cased, punctuation set aside, in order: "Doe, Jane" and "jane doe" are
/// the same words.
fn name_words(s: &str) -> Vec<String> {
    let mut w: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.chars().filter(|c| c.is_alphanumeric() || *c == '-' || *c == '\'').collect::<String>())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect();
    w.sort();
    w
}

/// Identify by name and date of birth, both typed and both matching the record.
// TODO(clinical): REFERENCE.md §9 says "name and date of birth" without saying how exact the
// name must be; chosen: the same words in any order, case and commas aside ("Doe, Jane" = "jane
// doe"); a missing or extra word, or a different spelling, does not match.
pub fn identify_by_name_dob(
    typed_name: &str,
    typed_dob: &str,
    name: &str,
    birth_date: NaiveDate,
) -> Result<Identity, String> {
    if typed_name.trim().is_empty() || typed_dob.trim().is_empty() {
        return Err("type both the patient's name and date of birth (or scan the wristband)".into());
    }
    let dob = super::time::parse_date("Date of birth", typed_dob)?;
    if name_words(typed_name) != name_words(name) {
        return Err("the name does not match this patient's record: check the patient".into());
    }
    if dob != birth_date {
        return Err("the date of birth does not match this patient's record: check the patient".into());
    }
    Ok(Identity::NameDob)
}

/// Identify by a wristband scan: the scanned text is this patient's MRN.
pub fn identify_by_scan(scanned: &str, mrn: &str) -> Result<Identity, String> {
    let s = scanned.trim();
    if s.is_empty() {
        return Err("scan the wristband (or type the name and date of birth)".into());
    }
    if !s.eq_ignore_ascii_case(mrn.trim()) {
        return Err("the wristband is not this patient's: check the patient".into());
    }
    Ok(Identity::Wristband)
}

/// What the nurse typed or scanned to identify the patient: kept with the administration on its
/// way to the store, which checks it again against the patient's record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentityProof {
    NameDob { name: String, dob: String },
    Wristband(String),
}

impl IdentityProof {
    pub fn identity(&self) -> Identity {
        match self {
            IdentityProof::NameDob { .. } => Identity::NameDob,
            IdentityProof::Wristband(_) => Identity::Wristband,
        }
    }

    /// Check it against the patient's record.
    pub fn check(&self, name: &str, birth_date: NaiveDate, mrn: &str) -> Result<Identity, String> {
        match self {
            IdentityProof::NameDob { name: typed, dob } => identify_by_name_dob(typed, dob, name, birth_date),
            IdentityProof::Wristband(scanned) => identify_by_scan(scanned, mrn),
        }
    }
}

/// The outcome form's fields as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AdminForm {
    pub dose: String,
    pub route: String,
    pub at: String,
    pub reason: String,
    pub override_reason: String,
}

/// A checked administration, ready for the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAdministration {
    pub order_id: i64,
    /// The scheduled dose this answers; `None` for a PRN.
    pub due_at: Option<DateTime<Utc>>,
    pub outcome: Outcome,
    pub dose_given: Option<String>,
    pub route: Option<String>,
    pub at: DateTime<Utc>,
    /// How the patient was identified (the store checks it again).
    pub proof: IdentityProof,
    pub hold_values: HoldValues,
    pub override_reason: Option<String>,
    pub reason: Option<String>,
    /// The entry this one corrects.
    pub corrects: Option<i64>,
}

/// What the record needs to know of the order to check an administration.
#[derive(Clone, Copy, Debug)]
pub struct OrderFacts<'a> {
    pub id: i64,
    pub kind: OrderKind,
    pub holds: &'a Holds,
}

/// Check an administration (REFERENCE.md §9): the patient identified first; given needs the dose
/// actually given, route and time, and every hold parameter's value; a given dose past a hold
/// needs an override reason; held and omitted need a reason; a correction names its entry and
/// says why. Nothing is filled in: every value is the nurse's.
#[allow(clippy::too_many_arguments)]
pub fn validate(
    order: OrderFacts<'_>,
    due_at: Option<DateTime<Utc>>,
    identity: Option<IdentityProof>,
    values: &HoldValues,
    outcome: Outcome,
    form: &AdminForm,
    corrects: Option<i64>,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<NewAdministration, String> {
    let identity =
        identity.ok_or_else(|| "identify the patient first (name and date of birth, or wristband)".to_string())?;
    match (order.kind, due_at) {
        (OrderKind::Prn, Some(_)) => return Err("a PRN dose answers no scheduled time".into()),
        (OrderKind::Scheduled | OrderKind::Taper, None) => return Err("choose the scheduled dose this answers".into()),
        _ => {}
    }
    let at = parse_event_time("Time", &form.at, now, tz)?;
    let reason = clean_line("Reason", &form.reason, 200)?;
    let override_reason = clean_line("Override reason", &form.override_reason, 200)?;
    let (dose_given, route) = if outcome == Outcome::Given {
        let dose = clean_line("Dose given", &form.dose, 40)?;
        if dose.is_empty() {
            return Err("Dose given is required (the dose actually given, with units)".into());
        }
        if !dose.chars().any(|c| c.is_ascii_digit()) {
            return Err("Dose given: give the amount with its unit, e.g. 2 mg".into());
        }
        let r = form.route.trim();
        let Some(route) = ROUTES.iter().find(|x| x.eq_ignore_ascii_case(r)) else {
            return Err(format!("Route: type one ({})", ROUTES.join(", ")));
        };
        (Some(dose), Some(route.to_string()))
    } else {
        if !form.dose.trim().is_empty() || !form.route.trim().is_empty() {
            return Err(format!("a dose {} has no dose or route given", outcome.as_db()));
        }
        (None, None)
    };
    let breaches = if outcome == Outcome::Given {
        hold_check(order.holds, values)?
    } else {
        // Values typed before a hold, a refusal or an omission are kept; none is required.
        HoldParam::of(order.holds)
            .into_iter()
            .filter_map(|p| {
                let (value, limit) = (values.get(p)?, p.limit(order.holds)?);
                p.past(value, limit).then_some(Breach { param: p, value, limit })
            })
            .collect()
    };
    if outcome == Outcome::Given && !breaches.is_empty() && override_reason.is_empty() {
        return Err(format!("{}: hold the dose, or give it with an override reason", breaches_text(&breaches)));
    }
    if !override_reason.is_empty() && (outcome != Outcome::Given || breaches.is_empty()) {
        return Err("an override reason is only for a dose given past a hold parameter".into());
    }
    if outcome.needs_reason() && reason.is_empty() {
        return Err(format!("a dose {} needs its reason", outcome.as_db()));
    }
    if corrects.is_some() && reason.is_empty() {
        return Err("a correction says why (the reason)".into());
    }
    Ok(NewAdministration {
        order_id: order.id,
        due_at,
        outcome,
        dose_given,
        route,
        at,
        proof: identity,
        hold_values: *values,
        override_reason: (!override_reason.is_empty()).then_some(override_reason),
        reason: (!reason.is_empty()).then_some(reason),
        corrects,
    })
}

/// A recorded administration, as read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Administration {
    pub id: i64,
    pub order_id: i64,
    pub stay_id: i64,
    pub due_at: Option<DateTime<Utc>>,
    pub outcome: Outcome,
    pub dose_given: Option<String>,
    pub route: Option<String>,
    pub at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    /// "Ana Ortiz, RN".
    pub by: String,
    pub identity: Identity,
    pub hold_values: HoldValues,
    pub override_reason: Option<String>,
    pub reason: Option<String>,
    /// A PRN's triggering score: the assessment and its total.
    pub trigger: Option<(i64, Option<u16>)>,
    pub reassess_due_at: Option<DateTime<Utc>>,
    pub corrects: Option<i64>,
}

impl Administration {
    /// "given 2 mg PO", "held: RASS -3 (hold if <= -2)", "refused", "omitted: NPO".
    pub fn text(&self) -> String {
        let mut s = match self.outcome {
            Outcome::Given => {
                format!("given {} {}", self.dose_given.as_deref().unwrap_or(""), self.route.as_deref().unwrap_or(""))
            }
            o => o.as_db().to_string(),
        };
        if let Some(r) = &self.reason {
            s.push_str(&format!(": {r}"));
        }
        if let Some(o) = &self.override_reason {
            s.push_str(&format!(" (override: {o})"));
        }
        if let Some(c) = self.corrects {
            s.push_str(&format!(" [corrects entry {c}]"));
        }
        s
    }
}

/// The ids of entries a later entry corrects: what they said no longer stands.
pub fn corrected(admins: &[Administration]) -> std::collections::HashSet<i64> {
    admins.iter().filter_map(|a| a.corrects).collect()
}

/// The entry that stands for an order's scheduled dose at `due_at`: the newest one not corrected.
pub fn slot_entry(admins: &[Administration], order_id: i64, due_at: DateTime<Utc>) -> Option<&Administration> {
    let gone = corrected(admins);
    admins
        .iter()
        .filter(|a| a.order_id == order_id && a.due_at == Some(due_at) && !gone.contains(&a.id))
        .max_by_key(|a| a.id)
}

/// A PRN's given doses that stand: how many in the 24 hours up to `now`, and the last one's time.
pub fn prn_given(admins: &[Administration], order_id: i64, now: DateTime<Utc>) -> (u32, Option<DateTime<Utc>>) {
    let gone = corrected(admins);
    let given: Vec<&Administration> = admins
        .iter()
        .filter(|a| a.order_id == order_id && a.outcome == Outcome::Given && !gone.contains(&a.id) && a.at <= now)
        .collect();
    let in_24h = given.iter().filter(|a| a.at > now - chrono::Duration::hours(24)).count() as u32;
    (in_24h, given.iter().map(|a| a.at).max())
}

/// Where a scheduled dose stands at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotState {
    /// Something is recorded for it.
    Recorded,
    /// Past its time with nothing recorded.
    Overdue,
    /// Due within the hour.
    Due,
    /// Later.
    Later,
}

/// How far ahead a dose counts as due ("the ward's doses due in the next hour", issue 17).
pub const DUE_AHEAD: chrono::Duration = chrono::Duration::hours(1);

/// How far back an unrecorded dose is still shown as overdue.
// TODO(clinical): REFERENCE.md §9 gives no window for a missed dose; chosen: 24 hours back, and a
// dose is overdue as soon as its time has passed with nothing recorded (no grace period).
pub const OVERDUE_BACK: chrono::Duration = chrono::Duration::hours(24);

/// The state of a scheduled dose at `now`.
pub fn slot_state(at: DateTime<Utc>, entry: Option<&Administration>, now: DateTime<Utc>) -> SlotState {
    if entry.is_some() {
        SlotState::Recorded
    } else if at < now {
        SlotState::Overdue
    } else if at < now + DUE_AHEAD {
        SlotState::Due
    } else {
        SlotState::Later
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn holds() -> Holds {
        Holds { rass_at_or_below: Some(-2), rr_below: Some(12), sbp_below: Some(90), hr_below: Some(50) }
    }

    fn values(rass: i32, rr: i32, sbp: i32, hr: i32) -> HoldValues {
        HoldValues { rass: Some(rass), rr: Some(rr), sbp: Some(sbp), hr: Some(hr) }
    }

    #[test]
    fn rass_holds_at_and_below_its_limit_not_above() {
        let h = holds();
        // REFERENCE.md §9: "hold if RASS <= -2".
        assert_eq!(hold_check(&h, &values(-2, 14, 120, 80)).unwrap().len(), 1, "at");
        assert_eq!(hold_check(&h, &values(-3, 14, 120, 80)).unwrap()[0].param, HoldParam::Rass, "below");
        assert!(hold_check(&h, &values(-1, 14, 120, 80)).unwrap().is_empty(), "above");
    }

    #[test]
    fn rr_sbp_hr_hold_below_their_limits_not_at_or_above() {
        let h = holds();
        // REFERENCE.md §9: "RR < 12, SBP < 90".
        assert!(hold_check(&h, &values(0, 12, 90, 50)).unwrap().is_empty(), "at");
        assert!(hold_check(&h, &values(0, 13, 91, 51)).unwrap().is_empty(), "above");
        let b = hold_check(&h, &values(0, 11, 89, 49)).unwrap();
        assert_eq!(b.iter().map(|b| b.param).collect::<Vec<_>>(), vec![HoldParam::Rr, HoldParam::Sbp, HoldParam::Hr]);
        assert_eq!(b[0].text(), "RR 11 (hold if < 12)");
    }

    #[test]
    fn a_missing_value_is_refused_never_taken_as_normal() {
        let h = holds();
        let v = HoldValues { rass: Some(0), rr: None, sbp: Some(120), hr: Some(80) };
        assert!(hold_check(&h, &v).unwrap_err().contains("RR"));
        // An order with no hold parameter asks for nothing.
        assert!(hold_check(&Holds::default(), &HoldValues::default()).unwrap().is_empty());
        assert_eq!(HoldValues::parse(HoldParam::Rass, "").unwrap(), None);
        assert!(HoldValues::parse(HoldParam::Rass, "-6").is_err());
        assert_eq!(HoldValues::parse(HoldParam::Rass, "+1").unwrap(), Some(1));
    }

    #[test]
    fn hold_values_round_trip_as_json() {
        let v = HoldValues { rass: Some(-1), rr: Some(14), sbp: None, hr: None };
        assert_eq!(v.to_json(), r#"{"rass":-1,"rr":14}"#);
        assert_eq!(HoldValues::from_json(&v.to_json()).unwrap(), v);
        assert_eq!(HoldValues::default().to_json(), "{}");
    }

    #[test]
    fn identity_needs_both_identifiers_matching() {
        let dob = NaiveDate::from_ymd_opt(1980, 4, 2).unwrap();
        assert_eq!(identify_by_name_dob("jane doe", "1980-04-02", "Doe, Jane", dob), Ok(Identity::NameDob));
        assert!(
            identify_by_name_dob("Jane Doe", "1980-04-03", "Doe, Jane", dob).unwrap_err().contains("date of birth")
        );
        assert!(identify_by_name_dob("Jane Dough", "1980-04-02", "Doe, Jane", dob).unwrap_err().contains("name"));
        assert!(identify_by_name_dob("Jane", "", "Doe, Jane", dob).is_err());
        assert_eq!(identify_by_scan("MRN0042\n", "MRN0042"), Ok(Identity::Wristband));
        assert!(identify_by_scan("MRN0043", "MRN0042").is_err());
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap()
    }

    fn scan() -> IdentityProof {
        IdentityProof::Wristband("MRN0042".into())
    }

    fn named() -> IdentityProof {
        IdentityProof::NameDob { name: "Jane Doe".into(), dob: "1980-04-02".into() }
    }

    fn given() -> AdminForm {
        AdminForm { dose: "2 mg".into(), route: "PO".into(), at: "now".into(), ..AdminForm::default() }
    }

    #[test]
    fn a_given_dose_needs_identity_values_dose_route_and_time() {
        let h = Holds { rass_at_or_below: Some(-2), ..Holds::default() };
        let o = OrderFacts { id: 7, kind: OrderKind::Prn, holds: &h };
        let tz = chrono_tz::UTC;
        let ok = HoldValues { rass: Some(0), ..HoldValues::default() };
        let v = |id: Option<IdentityProof>, vals: &HoldValues, out, f: &AdminForm| {
            validate(o, None, id.clone(), vals, out, f, None, now(), tz)
        };
        let a = v(Some(scan()), &ok, Outcome::Given, &given()).unwrap();
        assert_eq!((a.dose_given.as_deref(), a.route.as_deref(), a.at), (Some("2 mg"), Some("PO"), now()));
        assert!(v(None, &ok, Outcome::Given, &given()).unwrap_err().contains("identify"));
        assert!(v(Some(named()), &HoldValues::default(), Outcome::Given, &given()).unwrap_err().contains("RASS"));
        let no_dose = AdminForm { dose: "".into(), ..given() };
        assert!(v(Some(named()), &ok, Outcome::Given, &no_dose).unwrap_err().contains("Dose"));
        let no_time = AdminForm { at: "".into(), ..given() };
        assert!(v(Some(named()), &ok, Outcome::Given, &no_time).unwrap_err().contains("Time"));
        // Past a hold: refused without an override, taken with one.
        let sedated = HoldValues { rass: Some(-3), ..HoldValues::default() };
        let e = v(Some(named()), &sedated, Outcome::Given, &given()).unwrap_err();
        assert!(e.contains("RASS -3 (hold if <= -2)") && e.contains("override"), "{e}");
        let over = AdminForm { override_reason: "per Dr Ames by phone".into(), ..given() };
        assert!(v(Some(named()), &sedated, Outcome::Given, &over).is_ok());
        assert!(v(Some(named()), &ok, Outcome::Given, &over).unwrap_err().contains("only for"));
        // Held and omitted need a reason; refused does not; none carries a dose.
        let held = AdminForm { at: "now".into(), ..AdminForm::default() };
        assert!(v(Some(named()), &sedated, Outcome::Held, &held).unwrap_err().contains("reason"));
        let held = AdminForm { reason: "RASS -3".into(), ..held };
        assert_eq!(v(Some(named()), &sedated, Outcome::Held, &held).unwrap().outcome, Outcome::Held);
        let refused = AdminForm { at: "now".into(), ..AdminForm::default() };
        assert!(v(Some(named()), &HoldValues::default(), Outcome::Refused, &refused).is_ok());
        assert!(v(Some(named()), &ok, Outcome::Omitted, &given()).unwrap_err().contains("no dose"));
    }

    #[test]
    fn a_scheduled_dose_names_its_time_and_a_correction_says_why() {
        let h = Holds::default();
        let tz = chrono_tz::UTC;
        let o = OrderFacts { id: 7, kind: OrderKind::Scheduled, holds: &h };
        let none = HoldValues::default();
        let id = Some(named());
        assert!(
            validate(o, None, id.clone(), &none, Outcome::Given, &given(), None, now(), tz)
                .unwrap_err()
                .contains("scheduled")
        );
        let due = Some(now());
        assert!(validate(o, due, id.clone(), &none, Outcome::Given, &given(), None, now(), tz).is_ok());
        let e = validate(o, due, id.clone(), &none, Outcome::Given, &given(), Some(3), now(), tz).unwrap_err();
        assert!(e.contains("correction"));
        let fixed = AdminForm { reason: "entered against the wrong time".into(), ..given() };
        assert_eq!(
            validate(o, due, id.clone(), &none, Outcome::Given, &fixed, Some(3), now(), tz).unwrap().corrects,
            Some(3)
        );
        let prn = OrderFacts { kind: OrderKind::Prn, ..o };
        assert!(validate(prn, due, id.clone(), &none, Outcome::Given, &given(), None, now(), tz).is_err());
    }
}
