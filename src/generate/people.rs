//! The generated ward's people and their plans: fictitious patients and staff, each stay's
//! course (kind, length, profile, planned changes), and the roster of each shift.
use super::*;

// ---------------------------------------------------------------- fictitious people and words

pub(super) const FIRST: &[&str] = &[
    "Maria", "James", "Aisha", "Tomás", "Linda", "Kevin", "Hannah", "Robert", "Yusuf", "Grace", "Daniel", "Priya",
    "Walter", "Jing", "Marcus", "Olivia", "Ana", "Samuel", "Fatima", "Noah", "Elena", "Omar", "Chloe", "Ivan", "Rosa",
    "Liam", "Mei", "Tariq", "Sofia", "Ethan", "Nadia", "Lucas", "Amara", "Diego", "Keiko", "Victor", "Leah", "Kofi",
    "Ingrid", "Mateo",
];
pub(super) const LAST: &[&str] = &[
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
pub(super) const ATTENDINGS: &[&str] =
    &["Dr. Patel", "Dr. Nguyen", "Dr. Adeyemi", "Dr. Lindqvist", "Dr. Morales", "Dr. Osei"];
pub(super) const ALLERGIES: &[&str] =
    &["penicillin", "sulfa", "codeine", "latex", "aspirin", "morphine", "shellfish", "penicillin, sulfa"];
pub(super) const AFTERCARE: &[&str] = &[
    "IOP referral; follow-up with PCP in 1 week",
    "Residential 3.5 bed offered; naltrexone started",
    "Buprenorphine clinic intake booked; naloxone kit given",
    "Sober-living referral; AA meeting list given",
    "Outpatient counselling; PCP follow-up",
];

/// (substances, protocol, weight out of 100)
pub(super) const PROFILES: &[(&str, &str, u64)] = &[
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

pub(super) fn pick_profile(rng: &mut Rng) -> usize {
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
pub(super) enum StayKind {
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
pub(super) struct Change {
    pub(super) at: i64,
    pub(super) kind: &'static str,
    pub(super) from: &'static str,
    pub(super) to: &'static str,
}

#[derive(Clone, Debug)]
pub(super) struct StayPlan {
    pub(super) id: i64,
    pub(super) bed: usize,
    pub(super) admitted: i64,
    /// Discharge time; `None` while still admitted at `now`.
    pub(super) discharged: Option<i64>,
    pub(super) kind: StayKind,
    pub(super) profile: usize,
    pub(super) patient: usize,
    /// Peak severity as a fraction of the scale's maximum.
    pub(super) peak: f64,
    pub(super) level: &'static str,
    pub(super) observation: &'static str,
    pub(super) changes: Vec<Change>,
    pub(super) discharge_type: &'static str,
}

impl StayPlan {
    pub(super) fn end(&self, now: i64) -> i64 {
        self.discharged.unwrap_or(now)
    }
    pub(super) fn protocol(&self) -> &'static str {
        if self.kind == StayKind::Long { "ciwa-b" } else { PROFILES[self.profile].1 }
    }
    pub(super) fn substances(&self) -> &'static str {
        if self.kind == StayKind::Long { "benzodiazepines (alprazolam), alcohol" } else { PROFILES[self.profile].0 }
    }
}

pub(super) fn stay_length(kind: StayKind, rng: &mut Rng) -> i64 {
    match kind {
        StayKind::Ama => rng.range(10 * HOUR, 4 * DAY),
        StayKind::Detox => rng.range(5 * DAY, 10 * DAY),
        StayKind::Extended => rng.range(14 * DAY, 28 * DAY),
        StayKind::Long => LONG_STAY_DAYS * DAY,
    }
}

/// Every bed's stays from the ward's opening to `now`, then the patients who filled them.
pub(super) fn plan_stays(plan: &Plan, start: i64, now: i64, patients: &mut Vec<PatientPlan>) -> Vec<StayPlan> {
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

pub(super) fn new_stay(bed: usize, admitted: i64, discharged: Option<i64>, kind: StayKind, rng: &mut Rng) -> StayPlan {
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
pub(super) struct PatientPlan {
    pub(super) mrn: String,
    pub(super) name: String,
    pub(super) birth_date: String,
    pub(super) sex: &'static str,
    pub(super) allergies: &'static str,
    pub(super) code_status: &'static str,
    pub(super) written: bool,
}

impl PatientPlan {
    pub(super) fn new(n: usize, first_admitted: i64, rng: &mut Rng) -> PatientPlan {
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
pub(super) struct StaffMember {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) credentials: &'static str,
    pub(super) role: Role,
    pub(super) hired: i64,
    pub(super) left: Option<i64>,
}

impl StaffMember {
    pub(super) fn on_staff(&self, t: i64) -> bool {
        self.hired <= t && self.left.is_none_or(|l| t < l)
    }
}

/// Who is on: the charge nurse and the nurses, each nurse with a share of the beds.
#[derive(Clone, Debug, Default)]
pub(super) struct Roster {
    pub(super) charge: i64,
    pub(super) nurses: Vec<i64>,
}

impl Roster {
    pub(super) fn nurse_for(&self, bed: usize) -> i64 {
        if self.nurses.is_empty() { self.charge } else { self.nurses[bed % self.nurses.len()] }
    }
}

pub(super) fn roster(staff: &[StaffMember], t: i64, per_shift: usize, rng: &mut Rng) -> Roster {
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
