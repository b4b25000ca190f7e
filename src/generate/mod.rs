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
//!
//! Where each part lives: this file holds the plan, the event queue and the shifts; `people` the
//! fictitious patients, staff and each stay's planned course; `stays` admissions, changes and
//! discharges; `assess` the withdrawal course (scored on the severity curve, charted by
//! `Ladder::chart`, the store's own rule); `charting` notes, handoffs and rounds; `clock` the
//! allocation-free timestamps.
mod assess;
mod charting;
mod clock;
mod meds;
mod people;
mod stays;

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Instant;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use self::charting::NoteKind;
use self::clock::{DAY, HOUR, MINUTE, Ts, dt};
use self::people::{FIRST, LAST, PatientPlan, Roster, StaffMember, StayPlan, plan_stays, roster};

use crate::demo::ACCOUNTS;
use crate::domain::protocol::{Entry, Ladder, Prompt, Scored, default_ladder, prompts_text};
use crate::domain::scale::{Scale, default_bands};
use crate::domain::scales;
use crate::domain::shift::{ShiftDef, shift_at};
use crate::domain::user::Role;
use crate::domain::vitals::Vitals;
use crate::domain::ward::{NewUser, Setup, parse_beds};
use crate::rng::Rng;
use crate::store::bulk::{AssessmentRow, BulkLoader, PatientRow, StayEventRow, StayRow, UserRow};
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
    /// Medication orders (PRN, taper, scheduled), administrations (PRNs included), vital-sign sets.
    pub orders: u64,
    pub administrations: u64,
    pub vital_signs: u64,
    pub rows: u64,
    /// The open stay with the longest history (the trend benchmark's patient), and its count.
    pub longest_open_stay: Option<(i64, u64)>,
}

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
    /// A stay's `k`th scheduled or taper dose is due.
    Dose(usize, usize),
    /// A vital-sign set on its own.
    Vitals(usize),
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
    /// Each stay's medication orders while it is on the ward.
    meds: Vec<Option<meds::StayMeds>>,
    /// Each stay's aftercare text, written with its discharge.
    aftercare: Vec<&'static str>,
    next_order: i64,
    queue: BinaryHeap<Reverse<(i64, u64, Event)>>,
    seq: u64,
    rng: Rng,
    next_assessment: i64,
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
        meds: (0..stays.len()).map(|_| None).collect(),
        aftercare: vec![""; stays.len()],
        next_order: 0,
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
            Event::Dose(i, k) => sim.dose(i, k)?,
            Event::Vitals(i) => sim.vitals(i, t)?,
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
}
