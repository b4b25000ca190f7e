//! The demo ward: fictitious patients, staff and a few days of history, for trying wardterm
//! and for tests. Built only through the store's public API, so it obeys every rule a real ward
//! does. Deterministic for a given `now`.
use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::domain::assessment::{NewAssessment, Outcome};
use crate::domain::prn::Prn;
use crate::domain::protocol::{Ladder, Scored, default_ladder};
use crate::domain::scale::Answers;
use crate::domain::scales;
use crate::domain::stay::{Admission, CodeStatus, Protocol, Sex};
use crate::domain::user::{Role, Staff};
use crate::domain::vitals::Vitals;
use crate::domain::ward::{NewUser, Setup, parse_beds};
use crate::rng::Rng;
use crate::store::{Result, Store, StoreError};

mod meds;
mod risk;

/// A code of the demo's tables, checked: a typo in them is an error, never a default.
fn known<T>(code: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    parse(code).ok_or_else(|| StoreError::Refused(format!("demo data: unknown code {code:?}")))
}

/// Demo accounts: (username, password, role). Shown on the sign-in screen of a demo ward only.
pub const ACCOUNTS: &[(&str, &str, &str)] = &[
    ("charge", "demo-charge1", "charge nurse"),
    ("nurse", "demo-nurse1", "nurse"),
    ("lpn", "demo-lpn-01", "nurse (LPN)"),
    ("admin", "demo-admin1", "admin"),
];

const STAFF: &[(&str, &str, &str, Role)] = &[
    ("charge", "Dana Reyes", "RN", Role::Charge),
    ("nurse", "Sam Okafor", "RN", Role::Nurse),
    ("lpn", "Lee Park", "LPN", Role::Nurse),
    ("admin", "Morgan Hale", "RN", Role::Admin),
];

/// (name, dob, sex, substances, protocol, level, observation, precautions, allergies, attending,
///  code status, days ago admitted, hours ago admitted within the day)
pub(crate) type Patient = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
);

pub(crate) const PATIENTS: &[Patient] = &[
    (
        "Maria Delgado",
        "1979-03-14",
        "F",
        "alcohol",
        "ciwa-ar",
        "3.7-WM",
        "q15",
        "seizure, fall",
        "penicillin",
        "Dr. Patel",
        "Full code",
        1,
        5,
    ),
    (
        "James O'Connor",
        "1966-11-02",
        "M",
        "alcohol",
        "ciwa-ar",
        "4-WM",
        "1:1",
        "seizure, fall",
        "NKDA",
        "Dr. Patel",
        "DNR",
        2,
        3,
    ),
    (
        "Aisha Rahman",
        "1991-07-22",
        "F",
        "opioids (fentanyl)",
        "cows",
        "3.7-WM",
        "q15",
        "elopement",
        "sulfa",
        "Dr. Nguyen",
        "Full code",
        0,
        6,
    ),
    (
        "Tomás Herrera",
        "1985-01-30",
        "M",
        "opioids (heroin)",
        "cows",
        "3.7-WM",
        "q30",
        "",
        "NKDA",
        "Dr. Nguyen",
        "Full code",
        3,
        2,
    ),
    (
        "Linda Kowalski",
        "1958-09-09",
        "F",
        "benzodiazepines, alcohol",
        "ciwa-b",
        "4-WM",
        "q15",
        "seizure, fall",
        "codeine",
        "Dr. Patel",
        "DNR/DNI",
        4,
        8,
    ),
    (
        "Kevin Brooks",
        "1994-05-17",
        "M",
        "stimulants",
        "none",
        "3.5",
        "q60",
        "suicide",
        "NKDA",
        "Dr. Adeyemi",
        "Full code",
        5,
        1,
    ),
    (
        "Hannah Lee",
        "1988-12-01",
        "F",
        "alcohol",
        "ciwa-ar",
        "3.7-WM",
        "q30",
        "fall",
        "latex",
        "Dr. Patel",
        "Full code",
        2,
        10,
    ),
    (
        "Robert Nakamura",
        "1972-04-08",
        "M",
        "alcohol",
        "ciwa-ar",
        "3.2-WM",
        "q60",
        "",
        "NKDA",
        "Dr. Adeyemi",
        "Full code",
        3,
        4,
    ),
    (
        "Yusuf Demir",
        "1983-08-25",
        "M",
        "opioids (oxycodone)",
        "cows",
        "3.7-WM",
        "q30",
        "",
        "penicillin, shellfish",
        "Dr. Nguyen",
        "Full code",
        1,
        12,
    ),
    (
        "Grace Whitfield",
        "1969-02-11",
        "F",
        "alcohol",
        "ciwa-ar",
        "4-WM",
        "q15",
        "seizure, fall, elopement",
        "NKDA",
        "Dr. Patel",
        "Full code",
        0,
        9,
    ),
    (
        "Daniel Sørensen",
        "1990-10-19",
        "M",
        "cannabis, alcohol",
        "ciwa-ar",
        "3.7-WM",
        "q30",
        "",
        "NKDA",
        "Dr. Adeyemi",
        "Full code",
        2,
        7,
    ),
    (
        "Priya Shah",
        "1997-06-05",
        "F",
        "opioids (fentanyl), benzodiazepines",
        "cows",
        "4-WM",
        "q15",
        "elopement, suicide",
        "NKDA",
        "Dr. Nguyen",
        "Full code",
        1,
        2,
    ),
    (
        "Walter Greene",
        "1955-12-24",
        "M",
        "alcohol",
        "ciwa-ar",
        "3.7-WM",
        "q15",
        "fall",
        "aspirin",
        "Dr. Patel",
        "DNR",
        4,
        5,
    ),
    (
        "Chen Jing",
        "1981-03-03",
        "F",
        "alcohol",
        "ciwa-ar",
        "3.7-WM",
        "q30",
        "",
        "NKDA",
        "Dr. Adeyemi",
        "Full code",
        0,
        3,
    ),
    (
        "Marcus Bell",
        "1987-07-07",
        "M",
        "methamphetamine",
        "none",
        "3.5",
        "q60",
        "aggression",
        "NKDA",
        "Dr. Adeyemi",
        "Full code",
        6,
        11,
    ),
    (
        "Olivia Martin",
        "1993-11-29",
        "F",
        "opioids (heroin)",
        "cows",
        "3.7-WM",
        "q30",
        "",
        "morphine",
        "Dr. Nguyen",
        "Full code",
        2,
        1,
    ),
];

/// One demo stay as the risk screens and the admission assessment need it: its row in
/// [`PATIENTS`], when it was admitted, and its latest withdrawal score (a RASS or SOWS goes beside).
pub(crate) struct DemoStay {
    pub n: usize,
    pub stay_id: i64,
    pub admitted_at: DateTime<Utc>,
    pub last_score: Option<(i64, DateTime<Utc>)>,
}

/// Beds left empty in the demo (20 beds, 16 patients).
const EMPTY_BEDS: &[usize] = &[4, 10, 16, 19];

/// Build the demo ward into an empty database. `now` fixes every time in it.
pub fn build(store: &mut Store, now: DateTime<Utc>) -> Result<()> {
    let charge = &STAFF[0];
    let first = NewUser::validate(charge.0, charge.1, charge.2, charge.3, ACCOUNTS[0].1, ACCOUNTS[0].1)
        .map_err(StoreError::Refused)?;
    let setup = Setup {
        ward_name: "4 West Detox".into(),
        tz: chrono_tz::America::New_York,
        beds: parse_beds("20").map_err(StoreError::Refused)?,
        first_user: first,
        temp_unit: 'C',
    };
    store.set_bulk_loading(true)?;
    let result = fill(store, &setup, now);
    store.set_bulk_loading(false)?;
    result
}

fn fill(store: &mut Store, setup: &Setup, now: DateTime<Utc>) -> Result<()> {
    let start = now - Duration::days(8);
    let charge = store.setup(setup, true, start)?;
    let mut staff: Vec<Staff> = vec![charge.clone()];
    for (s, (_, pw, _)) in STAFF.iter().zip(ACCOUNTS).skip(1) {
        let u = NewUser::validate(s.0, s.1, s.2, s.3, pw, pw).map_err(StoreError::Refused)?;
        staff.push(store.add_user(None, &u, start)?);
    }
    let nurses: Vec<Staff> = staff.iter().filter(|s| s.role != Role::Admin).cloned().collect();
    let beds = store.beds()?;
    let mut rng = Rng::from_state(0x05EE_D0F4_0E57);
    let mut stays: Vec<DemoStay> = Vec::new();
    let free_beds = beds.iter().enumerate().filter(|(i, _)| !EMPTY_BEDS.contains(i)).map(|(_, b)| b);
    for (n, (p, (bed_id, _))) in PATIENTS.iter().zip(free_beds).enumerate() {
        let admitted_at = now - Duration::days(p.11) - Duration::hours(p.12) - Duration::minutes(rng.below(50) as i64);
        let a = Admission {
            name: p.0.into(),
            birth_date: NaiveDate::parse_from_str(p.1, "%Y-%m-%d").unwrap_or_default(),
            sex: known(p.2, Sex::from_code)?,
            mrn: format!("D{:06}", 100_200 + n * 37),
            admitted_at,
            level_of_care: p.5.into(),
            substances: p.3.into(),
            last_use: "about 12 h before admission".into(),
            allergies: p.8.into(),
            precautions: p.7.into(),
            attending: p.9.into(),
            code_status: known(p.10, CodeStatus::from_code)?,
            protocol: known(p.4, Protocol::from_code)?,
            observation: p.6.into(),
        };
        let stay_id = store.admit(&charge, *bed_id, &a, admitted_at + Duration::minutes(20))?;
        let last_score =
            if p.4 != "none" { history(store, &nurses, stay_id, p.4, admitted_at, now, n, &mut rng)? } else { None };
        stays.push(DemoStay { n, stay_id, admitted_at, last_score });
    }
    // Before the rounds: a high-risk C-SSRS changes a level of observation the rounds follow.
    risk::record(store, &nurses, &stays, now)?;
    meds::record(store, &nurses, &stays, now)?;
    observation_rounds(store, &nurses, now)?;
    handoffs(store, &nurses, now)?;
    therapy(store, &staff, now)
}

/// The handoff into the current shift: accepted for every patient who was here before it
/// started, except one still waiting (so the census shows the flag).
fn handoffs(store: &mut Store, nurses: &[Staff], now: DateTime<Utc>) -> Result<()> {
    use crate::domain::handoff::Severity;
    use crate::domain::shift::shift_at;
    let tz = chrono_tz::America::New_York;
    let defs = store.shift_defs()?;
    let (Some(current), Some(previous)) = (
        shift_at(&defs, now, tz),
        shift_at(&defs, shift_at(&defs, now, tz).map_or(now, |c| c.start) - Duration::seconds(1), tz),
    ) else {
        return Ok(());
    };
    let prepared_at = current.start - Duration::minutes(20);
    let accepted_at = (current.start + Duration::minutes(15)).min(now);
    for (i, row) in store.census()?.into_iter().enumerate() {
        let Some(o) = row.occupant else { continue };
        if o.admitted_at >= current.start {
            continue; // admitted during this shift: there was no handoff into it
        }
        // A patient admitted just before the change is handed over as soon as admitted.
        let prepared_at = prepared_at.max(o.admitted_at + Duration::minutes(1));
        let severity = if o.series.iter().any(|s| s.last.severe) {
            Severity::Unstable
        } else if o.series.iter().any(|s| s.last.total.unwrap_or(0) >= 8) {
            Severity::Watcher
        } else {
            Severity::Stable
        };
        // The scale's display name, never its key (issue 20, point 11: "on ciwa-ar protocol").
        let protocol = match o.protocol.name() {
            Some(name) => format!("on {name} protocol"),
            None => "on no withdrawal protocol".to_string(),
        };
        let summary = format!(
            "Day {} of {}; {protocol}.",
            crate::domain::time::day_of_stay(o.admitted_at, now, tz),
            o.substances,
        );
        let giver = &nurses[i % nurses.len()];
        let receiver = &nurses[(i + 1) % nurses.len()];
        store.prepare_handoff(
            giver,
            o.stay_id,
            &previous,
            severity,
            &summary,
            "If scores rise, follow the protocol's prompts.",
            prepared_at,
        )?;
        if i != 5 {
            store.accept_handoff_as(
                receiver,
                o.stay_id,
                &previous,
                "Restated the plan; no questions.",
                None,
                accepted_at,
            )?;
        }
    }
    Ok(())
}

/// Withdrawal scores from admission to now, following the default ladder, with a severity curve
/// that peaks on day 2 and falls away. A few patients are left overdue; one could not be assessed.
#[allow(clippy::too_many_arguments)]
fn history(
    store: &mut Store,
    nurses: &[Staff],
    stay_id: i64,
    scale_key: &str,
    admitted_at: DateTime<Utc>,
    now: DateTime<Utc>,
    n: usize,
    rng: &mut Rng,
) -> Result<Option<(i64, DateTime<Utc>)>> {
    let Some(scale) = scales::by_key(scale_key) else {
        return Ok(None);
    };
    let mut last_id = None;
    let ladder: Ladder = default_ladder(scale_key);
    let peak = match n % 4 {
        0 => 0.34,
        1 => 0.30,
        2 => 0.20,
        _ => 0.12,
    };
    let mut t = admitted_at + Duration::minutes(10 + rng.below(30) as i64);
    let mut scored: Vec<Scored> = Vec::new();
    let mut last_prn = None;
    // Patients 2 and 9 are left overdue; 4 is asleep at the last check ("unable to assess").
    let stop_early =
        if [2, 4, 9].contains(&n) { Duration::minutes(70 + rng.below(40) as i64) } else { Duration::zero() };
    while t < now - stop_early {
        let hours = (t - admitted_at).num_minutes() as f64 / 60.0;
        // Rises to a peak around 36 h, then falls.
        let curve = (hours / 36.0) * (1.0 - hours / 36.0).exp();
        let target = (scale.max() as f64 * peak * curve.clamp(0.05, 1.0) + rng.below(4) as f64) as u16;
        let answers = answers_near(scale, target, rng);
        let total = answers.total();
        let nurse = &nurses[rng.below(nurses.len() as u64) as usize];
        let vitals = Vitals {
            temp_c: Some(36.6 + rng.below(12) as f64 / 10.0),
            heart_rate: Some(72 + total.min(40) + rng.below(10) as u16),
            bp_systolic: Some(118 + rng.below(30) as u16),
            bp_diastolic: Some(72 + rng.below(18) as u16),
            resp_rate: Some(14 + rng.below(6) as u16),
            spo2: Some(95 + rng.below(5) as u16),
        };
        let recorded = t + Duration::minutes(2 + rng.below(6) as i64);
        let a = NewAssessment { stay_id, outcome: Outcome::Scored(answers), vitals, taken_at: t, comment: None };
        last_id = Some((store.record_assessment(nurse, &a, recorded.min(now))?.id, t));
        scored.push(Scored { at: t, total });
        // A PRN per the (fictitious) order when the ladder prompts one, most of the time.
        let prompted = ladder
            .rungs
            .iter()
            .rev()
            .find(|r| total >= r.min_total)
            .is_some_and(|r| r.prompts.contains(&crate::domain::protocol::Prompt::PrnPerOrder));
        let given = t + Duration::minutes(10 + rng.below(10) as i64);
        if prompted && given < now && rng.below(3) == 0 {
            let (medication, dose) = match scale_key {
                "cows" => ("clonidine", "0.1 mg"),
                "ciwa-b" => ("diazepam", "10 mg"),
                _ => ("lorazepam", "2 mg"),
            };
            let prn = Prn { medication: medication.into(), dose: dose.into(), route: "PO".into(), given_at: given };
            store.record_prn(nurse, stay_id, &prn, given + Duration::minutes(2))?;
            last_prn = Some(given);
        }
        let next_t = ladder.next_due(&scored, last_prn.filter(|p| *p > t)).map(|d| d.at);
        match next_t {
            Some(nt) => t = nt + Duration::minutes(rng.below(15) as i64),
            None => break,
        }
    }
    if n == 4 {
        let t = now - Duration::minutes(25);
        let outcome = Outcome::Unable {
            scale: scale.key.into(),
            reason: "asleep".into(),
            note: "asleep, breathing even and unlaboured; reassess on waking".into(),
        };
        let a = NewAssessment { stay_id, outcome, vitals: Vitals::default(), taken_at: t, comment: None };
        last_id = Some((store.record_assessment(&nurses[1], &a, t + Duration::minutes(3))?.id, t));
    }
    Ok(last_id)
}

/// Random legal answers whose total is close to `target`.
fn answers_near(scale: &'static crate::domain::scale::Scale, target: u16, rng: &mut Rng) -> Answers {
    let mut ans = Answers::new(scale);
    let mut remaining = target as i32;
    let n = scale.items.len();
    let offset = rng.below(n as u64) as usize;
    for k in 0..n {
        let i = (k + offset) % n;
        let item = &scale.items[i];
        let share = if k + 1 == n { remaining } else { remaining / (n - k) as i32 + rng.below(2) as i32 };
        // The highest legal position whose score does not exceed the share.
        let pos = item.choices.iter().rposition(|c| i32::from(c.score) <= share.max(0)).unwrap_or(0);
        let _ = ans.set(i, pos);
        remaining -= i32::from(item.choices[pos].score);
    }
    ans
}

/// Observation rounds every 15 minutes through the last 13 hours (the current shift, and then
/// some): each patient whose level is due is checked in bed order, one transaction per check, as
/// on the ward. Bed 3 missed the last two rounds (the census shows it overdue), bed 12 was once
/// checked late, and an agitated patient raised an alert that the charge nurse acknowledged.
fn observation_rounds(store: &mut Store, nurses: &[Staff], now: DateTime<Utc>) -> Result<()> {
    use crate::domain::rounds::{Answer, Location, State};
    use chrono::Timelike;
    let tz = store.ward()?.map_or(chrono_tz::UTC, |w| w.tz);
    let stays: Vec<(i64, DateTime<Utc>, String)> = store
        .census()?
        .into_iter()
        .filter_map(|r| r.occupant)
        .map(|o| (o.stay_id, o.admitted_at, o.observation))
        .collect();
    let mut rng = Rng::from_state(0x0B5E_4CA7_1015);
    let day_answers = [
        (Location::DayRoom, State::Calm),
        (Location::Group, State::Calm),
        (Location::Dining, State::Calm),
        (Location::Room, State::Calm),
        (Location::Hallway, State::Calm),
        (Location::Room, State::Withdrawn),
    ];
    for k in (0..52_i64).rev() {
        let round = now - Duration::minutes(8 + 15 * k);
        let nurse = &nurses[(k as usize / 4) % nurses.len()];
        let night = !(7..22).contains(&round.with_timezone(&tz).hour());
        for (n, (stay_id, admitted_at, level)) in stays.iter().enumerate() {
            let every = match level.as_str() {
                "q15" => 1,
                "q30" => 2,
                _ => 4, // q60, and the 1:1 observer's hourly entry
            };
            let mut at = round + Duration::seconds(20 * n as i64);
            if at < *admitted_at + Duration::minutes(5) || k % every != 0 || (n == 2 && k < 2) {
                continue;
            }
            if n == 9 && k == 3 {
                at += Duration::minutes(5);
            }
            let (location, state) = if n == 10 && k == 8 {
                (Location::Hallway, State::Agitated)
            } else if night {
                match rng.below(14) {
                    0 => (Location::Bathroom, State::Calm),
                    1 => (Location::Room, State::Calm),
                    _ => (Location::Room, State::AsleepBreathing),
                }
            } else {
                day_answers[rng.below(day_answers.len() as u64) as usize]
            };
            let answer = Answer::new(location, Some(state)).map_err(StoreError::Refused)?;
            let saved = store.record_check(nurse, *stay_id, answer, None, at)?;
            if saved.alert.is_some() {
                let note = "Talked down in the quiet room; calm at recheck; provider informed";
                store.acknowledge_alert(&nurses[0], saved.id, note, at + Duration::minutes(6))?;
            }
        }
    }
    Ok(())
}

/// Issue 10: treatment plans, today's therapy schedule with some attendance, aftercare progress.
/// The group session running now has beds 2 and 3 recorded and bed 1 still to record.
fn therapy(store: &mut Store, staff: &[Staff], now: DateTime<Utc>) -> Result<()> {
    use crate::domain::aftercare::Item;
    use crate::domain::plan::{Attendance, Modality, NewSession, PlanDraft, ward_day};
    let tz = chrono_tz::America::New_York;
    let charge = &staff[0];
    let nurse = staff.iter().find(|s| s.role == Role::Nurse).unwrap_or(charge);
    let stays: Vec<(i64, DateTime<Utc>)> =
        store.census()?.into_iter().filter_map(|r| r.occupant.map(|o| (o.stay_id, o.admitted_at))).collect();
    let plan = |problems: &str, goals: &str, items: &[(Modality, &str)]| {
        PlanDraft::validate(problems, goals, &items.iter().map(|(m, t)| (*m, t.to_string())).collect::<Vec<_>>())
            .map_err(StoreError::Refused)
    };
    for (i, (stay, admitted)) in stays.iter().take(6).enumerate() {
        // The plan is set the day after admission, or an hour after it for a new patient.
        let stay = *stay;
        let set_at = (now - Duration::hours(30)).max(*admitted + Duration::hours(1)).min(now);
        let first = plan(
            "Substance use disorder, withdrawal phase; poor sleep",
            "Complete withdrawal safely; attend daily groups",
            &[(Modality::Individual, "Counselor 1:1 twice weekly"), (Modality::Group, "Daily process group")],
        )?;
        store.set_plan(charge, stay, &first, set_at)?;
        if i == 0 {
            let second = plan(
                "Alcohol use disorder, severe; insomnia; family conflict",
                "Complete withdrawal safely; relapse-prevention plan before discharge; repair family contact",
                &[
                    (Modality::Individual, "Counselor 1:1 twice weekly"),
                    (Modality::Group, "Daily process group"),
                    (Modality::Family, "Family session Thursday"),
                    (Modality::Cbt, "Thought records for cravings"),
                    (Modality::LifeSkills, "Budgeting module"),
                ],
            )?;
            store.set_plan(charge, stay, &second, (now - Duration::hours(6)).max(set_at))?;
        }
    }
    let (day_start, _) = ward_day(now, tz);
    let group_at = (now - Duration::minutes(40)).max(day_start);
    let later = |h: i64| now + Duration::hours(h);
    let session = |at: DateTime<Utc>, minutes, modality, title: &str, who: Option<Vec<String>>| NewSession {
        starts_at: at,
        minutes,
        modality,
        title: title.into(),
        facilitator: "J. Park, LCSW".into(),
        beds: who,
    };
    let group = store.add_session(
        charge,
        &session(group_at, 60, Modality::Group, "Relapse prevention", None),
        now - Duration::hours(20),
    )?;
    store.add_session(
        charge,
        &session(later(2), 45, Modality::Cbt, "Thought records", Some(vec!["1".into(), "2".into(), "3".into()])),
        now - Duration::hours(20),
    )?;
    store.add_session(charge, &session(later(4), 60, Modality::Holistic, "Yoga", None), now - Duration::hours(20))?;
    let stays: Vec<i64> = stays.iter().map(|(id, _)| *id).collect();
    if let [_, second, third, ..] = stays[..] {
        let at = (now - Duration::minutes(5)).max(group_at);
        store.record_attendance(nurse, group, second, Attendance::Attended, None, at)?;
        store.record_attendance(nurse, group, third, Attendance::Refused, Some("nauseated, stayed in room"), at)?;
    }
    let done: &[(usize, &[Item])] = &[
        (0, &[Item::Outpatient, Item::SupportGroup, Item::EmergencyContacts]),
        (1, &Item::ALL),
        (2, &[Item::Medications]),
    ];
    for (i, items) in done {
        if let Some(stay) = stays.get(*i) {
            for item in *items {
                store.toggle_aftercare(nurse, *stay, *item, now - Duration::hours(3))?;
            }
        }
    }
    Ok(())
}
