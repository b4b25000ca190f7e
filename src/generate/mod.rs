//! The big generated ward: `wardterm init --demo --beds 40 --years 10` fills a database with ten
//! years of a fictitious detox ward, to measure wardterm at the size a real ward reaches.
//!
//! What is generated (for 40 beds over 10 years, about):
//! - 15,000 stays (a mix of short AMA stays, 5-10 day detoxes and 2-4 week extended stays; beds
//!   turn over within a day, so about 94% are occupied), re-admissions of earlier patients;
//! - 1.5 million withdrawal assessments with their items (CIWA-Ar, COWS, CIWA-B), scored on a
//!   severity curve that peaks on day 2, spaced by the ward's ladder (the default policy) under a
//!   standing order that never lets a stay on a protocol go more than 2 h unassessed; one open
//!   stay (the first bed, a long benzodiazepine taper) has about 2,000 of them;
//! - PRN doses when the ladder prompts one, level-of-care and observation changes, discharges;
//! - about 500,000 signed progress notes and addenda, and an I-PASS handoff of every patient at
//!   every change of the ward's shifts, with action items ([`charting`]);
//! - 6 million audit rows: every write, every scoring screen and trend opened, sign-ins per shift;
//! - nurses rotating through three shifts a day, with staff turnover over the years.
//!
//! Rows are written in time order across the whole ward (an event queue), as a real ward writes
//! them: a stay's assessments are interleaved with everyone else's on disk, so reading one
//! stay's page costs what it would in year ten of a real ward. The open stays run up to `now`.
//!
//! Deterministic for a given plan (seed, beds, years, `now`).
//!
//! Extending it: each kind of record is one handler on the event queue ([`Event`]), one row type
//! and INSERT in `store::bulk`; notes and handoffs (in [`charting`]) are the example to follow.
mod charting;

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Instant;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use self::charting::NoteKind;

use crate::demo::ACCOUNTS;
use crate::domain::protocol::{Entry, Ladder, Prompt, Scored, default_ladder, prompts_text};
use crate::domain::scale::{Scale, default_bands};
use crate::domain::scales;
use crate::domain::shift::{ShiftDef, shift_at};
use crate::domain::user::Role;
use crate::domain::vitals::Vitals;
use crate::domain::ward::{NewUser, Setup, parse_beds};
use crate::rng::Rng;
use crate::store::bulk::{AssessmentRow, BulkLoader, PatientRow, PrnRow, StayEventRow, StayRow, UserRow};
use crate::store::{Result, Store, StoreError};

/// What to generate.
#[derive(Clone, Debug)]
pub struct Plan {
    pub beds: u32,
    pub years: u32,
    /// The open stays end here; the ward opened `years` before.
    pub now: DateTime<Utc>,
    pub seed: u64,
}

impl Plan {
    pub fn new(beds: u32, years: u32, now: DateTime<Utc>) -> Plan {
        Plan { beds, years, now, seed: 0x0005_EED0_F7E4_0A2D }
    }
}

/// What was written.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub users: u64,
    pub patients: u64,
    pub stays: u64,
    pub open_stays: u64,
    pub stay_events: u64,
    pub assessments: u64,
    pub items: u64,
    pub prns: u64,
    pub audit: u64,
    pub notes: u64,
    pub addenda: u64,
    pub handoffs: u64,
    pub action_items: u64,
    pub obs_checks: u64,
    pub rows: u64,
    /// The open stay with the longest history (the trend benchmark's patient), and its count.
    pub longest_open_stay: Option<(i64, u64)>,
}

const MINUTE: i64 = 60;
const HOUR: i64 = 3600;
const DAY: i64 = 86_400;
/// The standing order: a stay on a protocol is never left longer than this unassessed.
const STANDING_MAX_INTERVAL: i64 = 2 * HOUR;
/// Shifts start at 07:00, 15:00 and 23:00 in New York (EST; the generator ignores DST).
const SHIFT_OFFSET: i64 = 4 * HOUR;
const SHIFT: i64 = 8 * HOUR;
/// The long stay on the first bed: about 2,000 assessments at the standing interval.
const LONG_STAY_DAYS: i64 = 180;
/// Observation checks are generated for this long before `now` only: the rounds screens, the
/// census's Obs column and the handoff look back a shift. Ten years of hourly checks would be
/// four million rows that no screen reads.
const OBS_WINDOW: i64 = 2 * DAY;
/// Share of patients with a session note on a day or evening shift.
const SESSION_NOTE_SHARE: f64 = 0.25;
/// Password of every generated (non-demo) account; hashed once, shared by all of them.
const STAFF_PASSWORD: &str = "demo-staff-01";

/// A UTC time (seconds since the epoch) in the database's text form, without allocating.
struct Ts([u8; 20]);

impl Ts {
    fn new(secs: i64) -> Ts {
        let days = secs.div_euclid(DAY);
        let rem = secs.rem_euclid(DAY);
        // Civil from days (H. Hinnant).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        let mut b = *b"0000-00-00T00:00:00Z";
        let mut put = |at: usize, v: i64, width: usize| {
            let mut v = v;
            for i in (0..width).rev() {
                b[at + i] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(0, y, 4);
        put(5, m, 2);
        put(8, d, 2);
        put(11, rem / HOUR, 2);
        put(14, rem % HOUR / MINUTE, 2);
        put(17, rem % MINUTE, 2);
        Ts(b)
    }
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("1970-01-01T00:00:00Z")
    }
}

fn dt(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

// ---------------------------------------------------------------- fictitious people and words

const FIRST: &[&str] = &[
    "Maria", "James", "Aisha", "Tomás", "Linda", "Kevin", "Hannah", "Robert", "Yusuf", "Grace", "Daniel", "Priya",
    "Walter", "Jing", "Marcus", "Olivia", "Ana", "Samuel", "Fatima", "Noah", "Elena", "Omar", "Chloe", "Ivan", "Rosa",
    "Liam", "Mei", "Tariq", "Sofia", "Ethan", "Nadia", "Lucas", "Amara", "Diego", "Keiko", "Victor", "Leah", "Kofi",
    "Ingrid", "Mateo",
];
const LAST: &[&str] = &[
    "Delgado",
    "O'Connor",
    "Rahman",
    "Herrera",
    "Kowalski",
    "Brooks",
    "Lee",
    "Nakamura",
    "Demir",
    "Whitfield",
    "Sørensen",
    "Shah",
    "Greene",
    "Chen",
    "Bell",
    "Martin",
    "Ortiz",
    "Novak",
    "Haddad",
    "Fischer",
    "Moreau",
    "Silva",
    "Kim",
    "Petrov",
    "Mensah",
    "Rossi",
    "Tanaka",
    "Walsh",
    "Yilmaz",
    "Okafor",
    "Larsen",
    "Duarte",
    "Nguyen",
    "Abbott",
    "Castillo",
    "Popescu",
    "Ibrahim",
    "Kaur",
    "Jensen",
    "Romero",
];
const ATTENDINGS: &[&str] = &["Dr. Patel", "Dr. Nguyen", "Dr. Adeyemi", "Dr. Lindqvist", "Dr. Morales", "Dr. Osei"];
const ALLERGIES: &[&str] =
    &["penicillin", "sulfa", "codeine", "latex", "aspirin", "morphine", "shellfish", "penicillin, sulfa"];
const AFTERCARE: &[&str] = &[
    "IOP referral; follow-up with PCP in 1 week",
    "Residential 3.5 bed offered; naltrexone started",
    "Buprenorphine clinic intake booked; naloxone kit given",
    "Sober-living referral; AA meeting list given",
    "Outpatient counselling; PCP follow-up",
];

/// (substances, protocol, weight out of 100)
const PROFILES: &[(&str, &str, u64)] = &[
    ("alcohol", "ciwa-ar", 45),
    ("alcohol, cannabis", "ciwa-ar", 5),
    ("opioids (fentanyl)", "cows", 18),
    ("opioids (heroin)", "cows", 8),
    ("opioids (oxycodone)", "cows", 4),
    ("benzodiazepines", "ciwa-b", 6),
    ("benzodiazepines, alcohol", "ciwa-b", 3),
    ("methamphetamine", "none", 5),
    ("cocaine", "none", 3),
    ("cannabis", "none", 3),
];

fn pick_profile(rng: &mut Rng) -> usize {
    let mut roll = rng.below(100);
    for (i, p) in PROFILES.iter().enumerate() {
        if roll < p.2 {
            return i;
        }
        roll -= p.2;
    }
    0
}

// ---------------------------------------------------------------- the plan of every stay

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StayKind {
    /// Left against medical advice within days.
    Ama,
    /// A 5-10 day withdrawal-management stay.
    Detox,
    /// Stepped down to residential care: 2-4 weeks.
    Extended,
    /// The first bed's long taper (the trend benchmark's patient).
    Long,
}

/// A level-of-care or observation change planned at admission.
#[derive(Clone, Debug)]
struct Change {
    at: i64,
    kind: &'static str,
    from: &'static str,
    to: &'static str,
}

#[derive(Clone, Debug)]
struct StayPlan {
    id: i64,
    bed: usize,
    admitted: i64,
    /// Discharge time; `None` while still admitted at `now`.
    discharged: Option<i64>,
    kind: StayKind,
    profile: usize,
    patient: usize,
    /// Peak severity as a fraction of the scale's maximum.
    peak: f64,
    level: &'static str,
    observation: &'static str,
    changes: Vec<Change>,
    discharge_type: &'static str,
}

impl StayPlan {
    fn end(&self, now: i64) -> i64 {
        self.discharged.unwrap_or(now)
    }
    fn protocol(&self) -> &'static str {
        if self.kind == StayKind::Long { "ciwa-b" } else { PROFILES[self.profile].1 }
    }
    fn substances(&self) -> &'static str {
        if self.kind == StayKind::Long { "benzodiazepines (alprazolam), alcohol" } else { PROFILES[self.profile].0 }
    }
}

fn stay_length(kind: StayKind, rng: &mut Rng) -> i64 {
    match kind {
        StayKind::Ama => rng.range(10 * HOUR, 4 * DAY),
        StayKind::Detox => rng.range(5 * DAY, 10 * DAY),
        StayKind::Extended => rng.range(14 * DAY, 28 * DAY),
        StayKind::Long => LONG_STAY_DAYS * DAY,
    }
}

/// Every bed's stays from the ward's opening to `now`, then the patients who filled them.
fn plan_stays(plan: &Plan, start: i64, now: i64, patients: &mut Vec<PatientPlan>) -> Vec<StayPlan> {
    let mut rng = Rng::new(plan.seed, 1);
    let mut stays = Vec::new();
    for bed in 0..plan.beds as usize {
        let long = bed == 0 && now - start > (LONG_STAY_DAYS + 30) * DAY;
        let horizon = if long { now - LONG_STAY_DAYS * DAY - rng.range(2 * HOUR, 20 * HOUR) } else { now };
        let mut t = start + rng.range(0, 3 * DAY);
        while t < horizon {
            let kind = match rng.below(10) {
                0 | 1 => StayKind::Ama,
                2 | 3 => StayKind::Extended,
                _ => StayKind::Detox,
            };
            let mut end = t + stay_length(kind, &mut rng);
            if long && end > horizon {
                end = horizon;
            }
            // A few beds are empty at `now`: their last patient left earlier today.
            let discharged = if end < now {
                Some(end)
            } else if rng.chance(0.03) {
                Some(now - rng.range(HOUR, 20 * HOUR)).filter(|d| *d > t + HOUR)
            } else {
                None
            };
            stays.push(new_stay(bed, t, discharged, kind, &mut rng));
            match discharged {
                Some(d) => t = d + rng.range(2 * HOUR, 24 * HOUR),
                None => break,
            }
        }
        if long {
            stays.push(new_stay(bed, now - LONG_STAY_DAYS * DAY, None, StayKind::Long, &mut rng));
        }
    }
    stays.sort_by_key(|s| (s.admitted, s.bed));
    // Re-admissions: about a third of stays are a returning patient who is not on the ward.
    let mut busy_until: Vec<i64> = Vec::new();
    for (i, s) in stays.iter_mut().enumerate() {
        s.id = i as i64 + 1;
        let mut who = None;
        if !patients.is_empty() && rng.chance(0.35) {
            for _ in 0..4 {
                let p = rng.below(patients.len() as u64) as usize;
                if busy_until[p] < s.admitted - DAY {
                    who = Some(p);
                    break;
                }
            }
        }
        let p = match who {
            Some(p) => p,
            None => {
                patients.push(PatientPlan::new(patients.len(), s.admitted, &mut rng));
                busy_until.push(0);
                patients.len() - 1
            }
        };
        busy_until[p] = s.discharged.unwrap_or(i64::MAX);
        s.patient = p;
    }
    stays
}

fn new_stay(bed: usize, admitted: i64, discharged: Option<i64>, kind: StayKind, rng: &mut Rng) -> StayPlan {
    let profile = pick_profile(rng);
    let u = rng.unit();
    let peak = if kind == StayKind::Long { 0.18 } else { 0.06 + 0.40 * u * u };
    let end = discharged.unwrap_or(i64::MAX);
    let severe = peak > 0.28;
    let mut level: &'static str = match (kind, rng.below(10)) {
        (StayKind::Long, _) => "3.7",
        (_, 0) => "3.2-WM",
        (_, 1 | 2) => "4-WM",
        _ => "3.7-WM",
    };
    let mut changes = Vec::new();
    let mut change = |at: i64, kind: &'static str, from: &mut &'static str, to: &'static str| {
        if at < end && *from != to {
            changes.push(Change { at, kind, from, to });
            *from = to;
        }
    };
    if level == "4-WM" {
        change(admitted + rng.range(DAY, 3 * DAY), "level_of_care", &mut level, "3.7-WM");
    }
    if kind == StayKind::Extended {
        change(admitted + rng.range(5 * DAY, 8 * DAY), "level_of_care", &mut level, "3.5");
    }
    let mut obs: &'static str = if kind == StayKind::Long {
        "q60"
    } else if rng.chance(0.02) {
        "1:1"
    } else if severe {
        "q15"
    } else {
        "q30"
    };
    if kind != StayKind::Long {
        if obs == "1:1" {
            change(admitted + rng.range(12 * HOUR, DAY), "observation", &mut obs, "q15");
        }
        if obs == "q15" {
            change(admitted + rng.range(2 * DAY, 3 * DAY), "observation", &mut obs, "q30");
        }
        change(admitted + rng.range(3 * DAY, 5 * DAY), "observation", &mut obs, "q60");
    }
    changes.sort_by_key(|c| c.at);
    let discharge_type = match (kind, rng.below(20)) {
        (StayKind::Ama, _) => "ama",
        (StayKind::Detox, 0 | 1) => "transfer-out",
        (StayKind::Detox, 2) => "administrative",
        _ => "completed",
    };
    StayPlan {
        discharge_type,
        id: 0,
        bed,
        admitted,
        discharged,
        kind,
        profile,
        patient: 0,
        peak,
        level,
        observation: obs,
        changes,
    }
}

#[derive(Clone, Debug)]
struct PatientPlan {
    mrn: String,
    name: String,
    birth_date: String,
    sex: &'static str,
    allergies: &'static str,
    code_status: &'static str,
    written: bool,
}

impl PatientPlan {
    fn new(n: usize, first_admitted: i64, rng: &mut Rng) -> PatientPlan {
        let age_days = rng.range(19 * 365, 75 * 365);
        let birth = Ts::new(first_admitted - age_days * DAY);
        let sex = match rng.below(100) {
            0..=35 => "F",
            36..=97 => "M",
            98 => "X",
            _ => "U",
        };
        let allergies = if rng.chance(0.6) { "NKDA" } else { *rng.pick(ALLERGIES) };
        let code_status = match rng.below(100) {
            0..=91 => "Full code",
            92..=96 => "DNR",
            _ => "DNR/DNI",
        };
        PatientPlan {
            mrn: format!("W{:07}", 1_000_000 + n * 7 + 3),
            name: format!("{} {}", rng.pick(FIRST), rng.pick(LAST)),
            birth_date: birth.as_str()[..10].to_string(),
            sex,
            allergies,
            code_status,
            written: false,
        }
    }
}

// ---------------------------------------------------------------- staff and shifts

#[derive(Clone, Debug)]
struct StaffMember {
    id: i64,
    name: String,
    credentials: &'static str,
    role: Role,
    hired: i64,
    left: Option<i64>,
}

impl StaffMember {
    fn on_staff(&self, t: i64) -> bool {
        self.hired <= t && self.left.is_none_or(|l| t < l)
    }
}

/// Who is on: the charge nurse and the nurses, each nurse with a share of the beds.
#[derive(Clone, Debug, Default)]
struct Roster {
    charge: i64,
    nurses: Vec<i64>,
}

impl Roster {
    fn nurse_for(&self, bed: usize) -> i64 {
        if self.nurses.is_empty() { self.charge } else { self.nurses[bed % self.nurses.len()] }
    }
}

fn roster(staff: &[StaffMember], t: i64, per_shift: usize, rng: &mut Rng) -> Roster {
    let charges: Vec<i64> = staff.iter().filter(|s| s.role == Role::Charge && s.on_staff(t)).map(|s| s.id).collect();
    let mut nurses: Vec<i64> = staff.iter().filter(|s| s.role == Role::Nurse && s.on_staff(t)).map(|s| s.id).collect();
    // A partial shuffle: the first `per_shift` are this shift's.
    for i in 0..nurses.len().min(per_shift) {
        let j = i + rng.below((nurses.len() - i) as u64) as usize;
        nurses.swap(i, j);
    }
    nurses.truncate(per_shift);
    Roster { charge: charges.get(rng.below(charges.len() as u64) as usize).copied().unwrap_or(1), nurses }
}

// ---------------------------------------------------------------- the event queue

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    /// A shift starts: sign-ins, and the night shift prints the downtime census.
    Shift,
    Admit(usize),
    /// A planned level-of-care or observation change (stay, index into its changes).
    Change(usize, usize),
    Assess(usize),
    Discharge(usize),
    /// A progress note of a stay (or an addendum), its event at the queue time.
    Note(usize, NoteKind),
    /// One of the ward's shifts ends: every patient is handed over.
    Handoff,
    /// An observation check of a stay (in the last [`OBS_WINDOW`] only).
    ObsCheck(usize),
}

/// A stay on the ward while the queue runs: its withdrawal course so far.
struct Live {
    rng: Rng,
    scale: &'static Scale,
    scale_ix: usize,
    /// The stay's own entries (its one scale) in the ladder's look-back window, oldest first.
    history: Vec<Entry>,
    last_prn: Option<i64>,
    assessments: u64,
}

/// A scale's configuration, looked up once.
struct ScaleConf {
    ladder: Ladder,
    /// Band label and severity for every total `0..=max`.
    bands: Vec<(String, bool)>,
    bands_policy: i64,
    ladder_policy: i64,
    min_interval: i64,
    window: i64,
    prn: (&'static str, &'static str),
}

struct Sim<'a, 'c> {
    out: BulkLoader<'c>,
    plan: &'a Plan,
    now: i64,
    stays: Vec<StayPlan>,
    patients: Vec<PatientPlan>,
    beds: Vec<(i64, String)>,
    staff: Vec<StaffMember>,
    roster: Roster,
    conf: Vec<ScaleConf>,
    live: Vec<Option<Live>>,
    queue: BinaryHeap<Reverse<(i64, u64, Event)>>,
    seq: u64,
    rng: Rng,
    next_assessment: i64,
    next_prn: i64,
    next_note: i64,
    /// Each stay's observation level in force as the queue runs.
    obs_level: Vec<&'static str>,
    /// Each level's interval between checks, from the ward's `observation_level` table.
    obs_intervals: std::collections::HashMap<String, Option<chrono::Duration>>,
    /// The stays on the ward now (indices into `stays`), in admission order.
    present: Vec<usize>,
    /// The ward's shifts and zone: handoffs follow them, not the generator's 8-hour roster.
    shifts: Vec<ShiftDef>,
    tz: Tz,
    items: Vec<(&'static str, u8)>,
    summary: Summary,
}

/// Build the big ward into an empty database. `progress` hears about each simulated year.
pub fn build(store: &mut Store, plan: &Plan, progress: &mut dyn FnMut(&str)) -> Result<Summary> {
    if plan.beds == 0 || plan.beds > 200 {
        return crate::store::refuse("beds: between 1 and 200");
    }
    if plan.years == 0 || plan.years > 30 {
        return crate::store::refuse("years: between 1 and 30");
    }
    let clock = Instant::now();
    let now = plan.now.timestamp() / MINUTE * MINUTE;
    let start = now - i64::from(plan.years) * 36_525 * DAY / 100;

    // The ward and the demo accounts, through the store like any ward (four argon2 hashes).
    let charge = &ACCOUNTS[0];
    let first = NewUser::validate(charge.0, "Dana Reyes", "RN", Role::Charge, charge.1, charge.1)
        .map_err(StoreError::Refused)?;
    let setup = Setup {
        ward_name: "4 West Detox".into(),
        tz: chrono_tz::America::New_York,
        beds: parse_beds(&plan.beds.to_string()).map_err(StoreError::Refused)?,
        first_user: first,
        temp_unit: 'C',
    };
    store.set_bulk_loading(true)?;
    let charge = store.setup(&setup, true, dt(start))?;
    let mut staff = vec![StaffMember {
        id: charge.id,
        name: charge.display_name.clone(),
        credentials: "RN",
        role: Role::Charge,
        hired: start,
        left: None,
    }];
    for (username, pw, _) in &ACCOUNTS[1..] {
        let (name, cred, role) = match *username {
            "nurse" => ("Sam Okafor", "RN", Role::Nurse),
            "lpn" => ("Lee Park", "LPN", Role::Nurse),
            _ => ("Morgan Hale", "RN", Role::Admin),
        };
        let u = NewUser::validate(username, name, cred, role, pw, pw).map_err(StoreError::Refused)?;
        let s = store.add_user(None, &u, dt(start))?;
        staff.push(StaffMember { id: s.id, name: name.into(), credentials: cred, role, hired: start, left: None });
    }
    let staff_hash = crate::store::users::hash_password(STAFF_PASSWORD)?;
    let beds = store.beds()?;
    let shifts = store.shift_defs()?;
    let obs_intervals = store.observation_intervals()?;
    progress(&format!("ward and demo accounts ready ({:.1} s)", clock.elapsed().as_secs_f64()));

    let mut patients = Vec::new();
    let stays = plan_stays(plan, start, now, &mut patients);
    let mut out = store.bulk_loader()?;
    let policies = out.policies()?;
    let policy_id = |scale: &str, kind: &str| {
        policies
            .iter()
            .find(|(s, k, _)| s == scale && k == kind)
            .map(|p| p.2)
            .ok_or_else(|| StoreError::Refused(format!("the new ward has no {kind} policy for {scale}")))
    };
    let mut conf = Vec::new();
    for scale in scales::ALL {
        let ladder = default_ladder(scale.key);
        let bandset = default_bands(scale.key);
        let bands = (0..=scale.max())
            .map(|t| {
                let b = bandset.band_for(t);
                (b.label.clone(), b.severe)
            })
            .collect();
        let min_interval = i64::from(ladder.rungs.iter().map(|r| r.reassess_minutes).min().unwrap_or(60)) * MINUTE;
        let window = ladder.step_down.as_ref().map_or(72, |s| i64::from(s.stop_after_hours) + 24) * HOUR;
        conf.push(ScaleConf {
            bands_policy: policy_id(scale.key, "bands")?,
            ladder_policy: policy_id(scale.key, "ladder")?,
            ladder,
            bands,
            min_interval,
            window,
            prn: match scale.key {
                "cows" => ("clonidine", "0.1 mg"),
                "ciwa-b" => ("diazepam", "10 mg"),
                _ => ("lorazepam", "2 mg"),
            },
        });
    }

    // Generated staff: about four nurses per bed-share, one in six a charge nurse, with turnover.
    let per_shift = (plan.beds as usize).div_ceil(8).max(2);
    let mut rng = Rng::new(plan.seed, 2);
    let slots = per_shift * 4 + 2;
    let mut n = 0;
    for slot in 0..slots {
        let mut hired = start - rng.range(0, 5 * 365 * DAY);
        loop {
            n += 1;
            let left = hired + rng.range(365 * DAY, 12 * 365 * DAY);
            let left = (left < now).then_some(left);
            let role = if slot % 6 == 5 { Role::Charge } else { Role::Nurse };
            let lpn = role == Role::Nurse && n % 5 == 0;
            let display = format!("{} {}", rng.pick(FIRST), rng.pick(LAST));
            let id = out.user(&UserRow {
                username: &format!("staff{n:03}"),
                display_name: &display,
                credentials: if lpn { "LPN" } else { "RN" },
                role: role.code(),
                password_hash: &staff_hash,
                disabled: left.is_some(),
                created_at: Ts::new(hired.max(start)).as_str(),
                created_by: Some(charge.id),
            })?;
            let credentials = if lpn { "LPN" } else { "RN" };
            staff.push(StaffMember { id, name: display, credentials, role, hired: hired.max(start), left });
            match left {
                Some(l) => hired = l,
                None => break,
            }
        }
    }

    let mut sim = Sim {
        out,
        plan,
        now,
        live: (0..stays.len()).map(|_| None).collect(),
        stays,
        patients,
        beds,
        staff,
        roster: Roster::default(),
        conf,
        queue: BinaryHeap::new(),
        seq: 0,
        rng,
        next_assessment: 1,
        next_prn: 1,
        next_note: 1,
        obs_level: Vec::new(),
        obs_intervals,
        present: Vec::with_capacity(plan.beds as usize),
        shifts,
        tz: setup.tz,
        items: Vec::with_capacity(32),
        summary: Summary { users: n as u64 + 4, ..Summary::default() },
    };
    // The level each stay starts at: the first observation change's "from", or its only level.
    sim.obs_level = sim
        .stays
        .iter()
        .map(|s| s.changes.iter().find(|c| c.kind == "observation").map_or(s.observation, |c| c.from))
        .collect();
    let first_shift = (start - SHIFT_OFFSET).div_euclid(SHIFT) * SHIFT + SHIFT_OFFSET;
    sim.roster = roster(&sim.staff, start, per_shift, &mut sim.rng);
    sim.push(first_shift.max(start), Event::Shift);
    if let Some(w) = shift_at(&sim.shifts, dt(start), sim.tz) {
        sim.push(w.end.timestamp(), Event::Handoff);
    }
    for i in 0..sim.stays.len() {
        let at = sim.stays[i].admitted;
        sim.push(at, Event::Admit(i));
    }
    let year = 365 * DAY + DAY / 4;
    let mut next_report = start + year;
    while let Some(Reverse((t, _, ev))) = sim.queue.pop() {
        if t >= next_report {
            let y = (next_report - start) / year;
            progress(&format!(
                "year {y:>2}/{}: {:>9} assessments, {:>9} audit rows ({:.1} s)",
                plan.years,
                sim.summary.assessments,
                sim.summary.audit,
                clock.elapsed().as_secs_f64()
            ));
            next_report += year;
        }
        match ev {
            Event::Shift => sim.shift(t, per_shift)?,
            Event::Admit(i) => sim.admit(i, t)?,
            Event::Change(i, c) => sim.change(i, c)?,
            Event::Assess(i) => sim.assess(i, t)?,
            Event::Discharge(i) => sim.discharge(i)?,
            Event::Note(i, kind) => sim.note(i, kind, t)?,
            Event::Handoff => sim.handoff(t)?,
            Event::ObsCheck(i) => sim.obs_check(i, t)?,
        }
    }
    let longest = (0..sim.stays.len())
        .filter(|&i| sim.stays[i].discharged.is_none())
        .filter_map(|i| sim.live[i].as_ref().map(|l| (sim.stays[i].id, l.assessments)))
        .max_by_key(|x| x.1);
    sim.summary.longest_open_stay = longest;
    sim.summary.stays = sim.stays.len() as u64;
    sim.summary.open_stays = sim.stays.iter().filter(|s| s.discharged.is_none()).count() as u64;
    sim.summary.patients = sim.patients.len() as u64;
    let mut summary = sim.summary;
    progress(&format!("committing ({:.1} s)", clock.elapsed().as_secs_f64()));
    summary.rows = sim.out.finish()?;
    Ok(summary)
}

impl Sim<'_, '_> {
    fn push(&mut self, at: i64, ev: Event) {
        self.seq += 1;
        self.queue.push(Reverse((at, self.seq, ev)));
    }

    fn audit(&mut self, at: i64, user: i64, action: &str, patient: Option<i64>, detail: &str) -> Result<()> {
        self.summary.audit += 1;
        self.out.audit(Ts::new(at.min(self.now)).as_str(), Some(user), action, patient, detail)
    }

    fn patient_id(&self, stay: usize) -> i64 {
        self.stays[stay].patient as i64 + 1
    }

    fn shift(&mut self, t: i64, per_shift: usize) -> Result<()> {
        self.roster = roster(&self.staff, t, per_shift, &mut self.rng);
        let on: Vec<i64> = std::iter::once(self.roster.charge).chain(self.roster.nurses.iter().copied()).collect();
        for (k, id) in on.into_iter().enumerate() {
            let at = t - 10 * MINUTE + k as i64 * 2 * MINUTE;
            if at < self.now {
                self.audit(at, id, "signin", None, "")?;
            }
        }
        // The night shift prints the downtime census at about 03:30 (08:30 UTC).
        let night = (t - SHIFT_OFFSET).rem_euclid(DAY) == 0;
        let print_at = t + 4 * HOUR + 30 * MINUTE;
        if night && print_at < self.now {
            let detail = format!("{} beds", self.beds.len());
            self.audit(print_at, self.roster.charge, "print.census", None, &detail)?;
        }
        if t + SHIFT < self.now {
            self.push(t + SHIFT, Event::Shift);
        }
        // Each patient's nurse writes the shift's note late in the shift; on day and evening
        // shifts some patients also have a group or individual session written up.
        let mut rng = Rng::new(self.plan.seed, 8_000_000 + t as u64);
        let nights = night;
        for k in 0..self.present.len() {
            let i = self.present[k];
            self.push(t + rng.range(4 * HOUR, SHIFT - 20 * MINUTE), Event::Note(i, NoteKind::Shift));
            if !nights && rng.chance(SESSION_NOTE_SHARE) {
                self.push(t + rng.range(HOUR, 6 * HOUR), Event::Note(i, NoteKind::Session));
            }
        }
        Ok(())
    }

    /// An account by id (every author is one of `staff`).
    fn staff_member(&self, id: i64) -> StaffMember {
        self.staff.iter().find(|s| s.id == id).unwrap_or(&self.staff[0]).clone()
    }

    fn admit(&mut self, i: usize, t: i64) -> Result<()> {
        let by = self.roster.charge;
        let s = &self.stays[i];
        let patient_id = s.patient as i64 + 1;
        let recorded = Ts::new((t + 20 * MINUTE).min(self.now));
        let admitted = Ts::new(t);
        let mut rng = Rng::new(self.plan.seed, 1_000 + s.id as u64);
        let p = &self.patients[s.patient];
        if !p.written {
            self.out.patient(&PatientRow {
                id: patient_id,
                mrn: &p.mrn,
                name: &p.name,
                birth_date: &p.birth_date,
                sex: p.sex,
                created_at: recorded.as_str(),
                created_by: by,
            })?;
        }
        let protocol = s.protocol();
        let severe = s.peak > 0.28;
        let precautions = match (protocol, severe) {
            ("ciwa-ar" | "ciwa-b", true) => "seizure, fall",
            ("ciwa-ar", false) if rng.chance(0.3) => "fall",
            ("cows", _) if rng.chance(0.2) => "elopement",
            ("none", _) if rng.chance(0.2) => "suicide",
            _ => "",
        };
        let pawss = (protocol == "ciwa-ar" && rng.chance(0.8)).then(|| (s.peak * 25.0).min(10.0) as u8);
        let last_use = format!("about {} h before admission", rng.range(4, 48));
        let discharge_at = s.discharged.map(Ts::new);
        let discharge_type = s.discharge_type;
        let aftercare = if discharge_type == "ama" {
            "Left before a plan was made; naloxone kit offered"
        } else {
            *rng.pick(AFTERCARE)
        };
        let bed_id = self.beds[s.bed].0;
        self.out.stay(&StayRow {
            id: s.id,
            patient_id,
            bed_id,
            admitted_at: admitted.as_str(),
            admitted_by: by,
            recorded_at: recorded.as_str(),
            level_of_care: s.level,
            substances: s.substances(),
            last_use: &last_use,
            protocol,
            allergies: p.allergies,
            precautions,
            attending: ATTENDINGS[rng.below(ATTENDINGS.len() as u64) as usize],
            code_status: p.code_status,
            observation: s.observation,
            pawss,
            discharge: discharge_at.as_ref().map(|d| (d.as_str(), by, discharge_type, aftercare)),
        })?;
        self.patients[s.patient].written = true;
        let bed = self.beds[s.bed].1.clone();
        self.out.stay_event(&StayEventRow {
            stay_id: self.stays[i].id,
            kind: "admit",
            from_value: None,
            to_value: Some(&bed),
            note: None,
            at: recorded.as_str(),
            by_user: by,
        })?;
        self.summary.stay_events += 1;
        self.audit(t + 20 * MINUTE, by, "stay.admit", Some(patient_id), &format!("bed {bed}"))?;
        let s = &self.stays[i];
        let end = s.end(self.now);
        let changes: Vec<i64> = s.changes.iter().map(|c| c.at).collect();
        let discharged = s.discharged;
        for (c, at) in changes.into_iter().enumerate() {
            self.push(at, Event::Change(i, c));
        }
        self.present.push(i);
        let mut notes = Rng::new(self.plan.seed, 5_000_000 + self.stays[i].id as u64);
        let first_check = (t + notes.range(5 * MINUTE, 15 * MINUTE)).max(self.now - OBS_WINDOW + notes.range(0, HOUR));
        if first_check < discharged.unwrap_or(self.now) {
            self.push(first_check, Event::ObsCheck(i));
        }
        self.push(t + notes.range(40 * MINUTE, 90 * MINUTE), Event::Note(i, NoteKind::Admission));
        if let Some(d) = discharged {
            let note_at = d - notes.range(20 * MINUTE, 60 * MINUTE);
            if note_at > t + 2 * HOUR {
                self.push(note_at, Event::Note(i, NoteKind::Discharge));
            }
            self.push(d, Event::Discharge(i));
        }
        if let Some(scale_ix) = scales::ALL.iter().position(|sc| sc.key == protocol) {
            let first = t + rng.range(10 * MINUTE, 40 * MINUTE);
            self.live[i] = Some(Live {
                rng,
                scale: scales::ALL[scale_ix],
                scale_ix,
                history: Vec::new(),
                last_prn: None,
                assessments: 0,
            });
            if first < end {
                self.push(first, Event::Assess(i));
            }
        }
        Ok(())
    }

    fn change(&mut self, i: usize, c: usize) -> Result<()> {
        let by = self.roster.charge;
        let s = &self.stays[i];
        let ch = s.changes[c].clone();
        let (id, patient) = (s.id, self.patient_id(i));
        if ch.kind == "observation" {
            self.obs_level[i] = ch.to;
        }
        self.out.stay_event(&StayEventRow {
            stay_id: id,
            kind: ch.kind,
            from_value: Some(ch.from),
            to_value: Some(ch.to),
            note: None,
            at: Ts::new(ch.at).as_str(),
            by_user: by,
        })?;
        self.summary.stay_events += 1;
        let (action, detail) = match ch.kind {
            "level_of_care" => ("stay.level_of_care", format!("{} -> {}", ch.from, ch.to)),
            _ => ("stay.observation", ch.to.to_string()),
        };
        self.audit(ch.at, by, action, Some(patient), &detail)
    }

    fn discharge(&mut self, i: usize) -> Result<()> {
        let by = self.roster.charge;
        let s = &self.stays[i];
        let Some(at) = s.discharged else { return Ok(()) };
        self.present.retain(|&p| p != i);
        let (id, patient, bed) = (s.id, self.patient_id(i), self.beds[s.bed].1.clone());
        let kind = s.discharge_type;
        self.out.stay_event(&StayEventRow {
            stay_id: id,
            kind: "discharge",
            from_value: Some(&bed),
            to_value: Some(kind),
            note: None,
            at: Ts::new(at).as_str(),
            by_user: by,
        })?;
        self.summary.stay_events += 1;
        self.audit(at, by, "stay.discharge", Some(patient), kind)
    }

    fn assess(&mut self, i: usize, t: i64) -> Result<()> {
        let s = &self.stays[i];
        let (stay_id, bed, admitted, peak, end) = (s.id, s.bed, s.admitted, s.peak, s.end(self.now));
        let patient = self.patient_id(i);
        let nurse = self.roster.nurse_for(bed);
        let Some(live) = self.live[i].as_mut() else { return Ok(()) };
        let conf = &self.conf[live.scale_ix];
        let rng = &mut live.rng;
        let id = self.next_assessment;
        self.next_assessment += 1;
        live.assessments += 1;

        let hours = (t - admitted) as f64 / HOUR as f64;
        let curve = (hours / 36.0) * (1.0 - hours / 36.0).exp();
        let asleep_hours = matches!((t.rem_euclid(DAY) / HOUR + 24 - 5) % 24, 0..=6); // 00:00-06:59 local
        let unable = rng.chance(if asleep_hours { 0.05 } else { 0.01 });
        let taken = Ts::new(t);
        let late = rng.chance(0.01);
        let recorded_secs =
            (t + if late { rng.range(35 * MINUTE, 150 * MINUTE) } else { rng.range(2 * MINUTE, 8 * MINUTE) })
                .min(self.now)
                .max(t);
        let recorded = Ts::new(recorded_secs);
        let scale = live.scale;
        let mut items = std::mem::take(&mut self.items);
        items.clear();
        let (next_due, prompts, scored, unable_row, detail, total) = if unable {
            let reason = if asleep_hours && rng.chance(0.8) {
                "asleep"
            } else {
                *rng.pick(&["refused", "off unit", "sedated", "asleep"])
            };
            let note = match reason {
                "asleep" => "asleep, breathing even and unlaboured; reassess on waking",
                "refused" => "declined the assessment; will offer again",
                "off unit" => "off the unit with staff (imaging)",
                _ => "sedated after PRN; rousable, breathing even",
            };
            // The same charting rule as the store: an "unable to assess" breaks a low run, and
            // some reasons prompt the provider (unit configuration).
            live.history.retain(|h| h.at().timestamp() >= t - conf.window);
            live.history.push(Entry::Unable { at: dt(t), reason: reason.to_string() });
            let due = conf.ladder.chart(&live.history, None);
            let prompts = due.as_ref().map(|d| prompts_text(&d.prompts)).unwrap_or_default();
            let at = due.as_ref().map_or(t + conf.min_interval, |d| d.at.timestamp());
            (at, prompts, None, Some((reason, note)), "unable to assess".to_string(), None)
        } else {
            let target = (f64::from(scale.max()) * peak * curve.clamp(0.05, 1.0) + rng.below(4) as f64) as i32;
            answers_near(scale, target, rng, &mut items);
            let total: u16 = items.iter().map(|(_, s)| u16::from(*s)).sum();
            live.history.retain(|h| h.at().timestamp() >= t - conf.window);
            live.history.push(Entry::Scored(Scored { at: dt(t), total }));
            let due = conf.ladder.chart(&live.history, None);
            let prompts = due.as_ref().map(|d| prompts_text(&d.prompts)).unwrap_or_default();
            let (band, severe) = &conf.bands[usize::from(total).min(conf.bands.len() - 1)];
            let at = due.as_ref().map_or(t + conf.min_interval, |d| d.at.timestamp());
            (at, prompts, Some((total, band.as_str(), *severe)), None, format!("{} {total}", scale.key), Some(total))
        };
        let v = if unable {
            Vitals::default()
        } else {
            let sym = total.unwrap_or(0).min(40);
            Vitals {
                temp_c: Some(36.4 + rng.below(14) as f64 / 10.0),
                heart_rate: Some(68 + sym + rng.below(12) as u16),
                bp_systolic: Some(114 + sym / 2 + rng.below(30) as u16),
                bp_diastolic: Some(70 + rng.below(18) as u16),
                resp_rate: Some(14 + rng.below(6) as u16),
                spo2: Some(94 + rng.below(6) as u16),
            }
        };
        let due_ts = Ts::new(next_due);
        // Opening the scoring screen is audited before the save; sometimes the trend is looked
        // at after, and sometimes a screen is opened and left without saving.
        let opened = (t - rng.range(MINUTE, 3 * MINUTE)).max(admitted);
        let looked = rng.chance(0.8);
        let abandoned = rng.chance(0.3);
        let prn_roll = rng.chance(0.35);
        let prn_at = t + rng.range(10 * MINUTE, 20 * MINUTE);
        let jitter = rng.range(-5 * MINUTE, 25 * MINUTE);
        self.out.assessment(
            &AssessmentRow {
                id,
                stay_id,
                scale: scale.key,
                taken_at: taken.as_str(),
                recorded_at: recorded.as_str(),
                by_user: nurse,
                scored,
                unable: unable_row,
                bands_policy: conf.bands_policy,
                ladder_policy: conf.ladder_policy,
                next_due_at: Some(due_ts.as_str()),
                prompts: &prompts,
                vitals: v,
                comment: None,
            },
            &items,
        )?;
        self.summary.assessments += 1;
        self.summary.items += items.len() as u64;
        self.items = items;
        self.audit(opened, nurse, "read", Some(patient), "scoring screen")?;
        self.audit(recorded_secs, nurse, "assessment.add", Some(patient), &detail)?;
        if looked {
            self.audit(recorded_secs + MINUTE, nurse, "read", Some(patient), "trend and past assessments")?;
        }
        if abandoned {
            self.audit(t + rng_offset(id), nurse, "read", Some(patient), "scoring screen")?;
        }
        // A PRN per the patient's order when the ladder prompts one, about a third of the time.
        let conf = &self.conf[self.live[i].as_ref().map_or(0, |l| l.scale_ix)];
        let prn_prompted = prompts.contains(Prompt::PrnPerOrder.text());
        let mut last_prn = self.live[i].as_ref().and_then(|l| l.last_prn);
        if prn_prompted && prn_roll && prn_at < end {
            let (medication, dose) = conf.prn;
            let reassess = prn_at + i64::from(conf.ladder.prn_reassess_minutes.max(1)) * MINUTE;
            let ladder_policy = conf.ladder_policy;
            let prn_id = self.next_prn;
            self.next_prn += 1;
            self.out.prn(&PrnRow {
                id: prn_id,
                stay_id,
                assessment_id: Some(id),
                medication,
                dose,
                route: "PO",
                given_at: Ts::new(prn_at).as_str(),
                recorded_at: Ts::new((prn_at + 2 * MINUTE).min(self.now).max(prn_at)).as_str(),
                by_user: nurse,
                reassess_due_at: Ts::new(reassess).as_str(),
                ladder_policy,
            })?;
            self.summary.prns += 1;
            self.audit(prn_at + 2 * MINUTE, nurse, "prn.add", Some(patient), &format!("{medication} {dose}"))?;
            last_prn = Some(prn_at);
        }
        // The next assessment: the ladder's time (brought forward by a PRN), never later than the
        // standing order allows, a few minutes early or late as a real shift runs.
        let conf = &self.conf[self.live[i].as_ref().map_or(0, |l| l.scale_ix)];
        let Some(live) = self.live[i].as_mut() else { return Ok(()) };
        live.last_prn = last_prn;
        let mut next = next_due;
        if let Some(p) = last_prn.filter(|p| *p > t) {
            next = next.min(p + i64::from(conf.ladder.prn_reassess_minutes) * MINUTE);
        }
        let next = (next.min(t + STANDING_MAX_INTERVAL) + jitter).max(t + 20 * MINUTE);
        if next < end {
            self.push(next, Event::Assess(i));
        }
        Ok(())
    }
}

/// When an abandoned scoring screen was opened: within the hour after the assessment.
fn rng_offset(id: i64) -> i64 {
    5 * MINUTE + (id * 7919).rem_euclid(50) * MINUTE
}

/// Legal item scores whose total is close to `target`, in the scale's item order.
fn answers_near(scale: &'static Scale, target: i32, rng: &mut Rng, out: &mut Vec<(&'static str, u8)>) {
    let n = scale.items.len();
    let offset = rng.below(n as u64) as usize;
    let mut picks = [0u8; 32];
    let mut remaining = target.max(0);
    for k in 0..n {
        let i = (k + offset) % n;
        let item = &scale.items[i];
        let share = if k + 1 == n { remaining } else { remaining / (n - k) as i32 + rng.below(2) as i32 };
        let pos = item.choices.iter().rposition(|c| i32::from(c.score) <= share.max(0)).unwrap_or(0);
        picks[i] = item.choices[pos].score;
        remaining -= i32::from(item.choices[pos].score);
    }
    for (i, item) in scale.items.iter().enumerate() {
        out.push((item.key, picks[i]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_match_chrono() {
        for secs in [0, 951_782_400, 1_700_000_000, 1_795_000_000 + 12_345, 4_102_444_799] {
            assert_eq!(Ts::new(secs).as_str(), crate::domain::time::to_db(dt(secs)));
        }
    }

    #[test]
    fn answers_are_legal_and_near_the_target() {
        let mut rng = Rng::new(1, 1);
        let mut out = Vec::new();
        for scale in scales::ALL {
            for target in [0, 5, 17, 40] {
                out.clear();
                answers_near(scale, target, &mut rng, &mut out);
                assert_eq!(out.len(), scale.items.len());
                for ((key, score), item) in out.iter().zip(scale.items) {
                    assert_eq!(*key, item.key);
                    assert!(item.position_of(*score).is_some(), "{key}={score} is legal");
                }
            }
        }
    }
}
