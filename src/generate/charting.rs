//! What the generated nurses write besides scores: progress notes (a note per patient per shift,
//! group-therapy notes, admission and discharge notes, a few late entries and addenda), the
//! I-PASS handoff of every patient at every change of the ward's shifts, with action items, and
//! observation rounds over the last two days.
//!
//! About four notes per patient-day: for 40 beds over ten years, about 545,000 notes and addenda
//! (issue 8 asks for 500,000). Most nursing notes say something about tremor, as real ones do ("no tremor", "fine
//! tremor on extension"), so "tremor" matches most of the record: the common-word search case.
use super::{DAY, HOUR, MINUTE, Sim, Ts, dt};
use crate::domain::protocol::Entry;
use crate::domain::shift::shift_at;
use crate::rng::Rng;
use crate::store::Result;
use crate::store::bulk::{ActionItemRow, HandoffRow, NoteRow, ObsCheckRow};

/// Which note an [`super::Event::Note`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum NoteKind {
    Admission,
    /// The nurse's note of the shift.
    Shift,
    /// A group or individual session (DAP or BIRP).
    Session,
    Discharge,
    /// An addendum to the note with this id.
    Addendum(i64),
}

/// Share of notes signed more than an hour after the event (labelled late entries).
const LATE_SHARE: f64 = 0.03;
/// Share of notes that later get an addendum.
const ADDENDUM_SHARE: f64 = 0.02;
/// How often the nurse on a 1:1 (continuous, no interval) logs a check.
const ONE_TO_ONE_LOG: i64 = 15 * MINUTE;
/// Share of handoffs that raise an action item.
const ACTION_SHARE: f64 = 0.08;

const TREMOR: &[&str] = &[
    "No tremor.",
    "Fine tremor on extension of the arms.",
    "Mild tremor of the hands, steady gait.",
    "Tremor moderate with arms extended.",
    "No visible tremor; tongue steady.",
    "Tremor improved since last shift.",
];
const SUBJECTIVE: &[&str] = &[
    "Reports sleeping about four hours; mild anxiety.",
    "States cravings are 5/10 and easing.",
    "Complains of nausea, no vomiting; drinking fluids.",
    "Reports headache 3/10 and muscle aches.",
    "Says he feels restless and cannot sit still.",
    "Denies hallucinations; reports vivid dreams.",
    "Reports feeling better; asking about discharge plans.",
];
const PLAN: &[&str] = &[
    "Continue protocol; PRN per order; encourage fluids.",
    "Reassess per ladder; fall precautions maintained.",
    "Continue monitoring; notify provider if score rises.",
    "Encourage group attendance; continue current orders.",
    "Thiamine given as ordered; continue protocol.",
];
const SESSION_DATA: &[&str] = &[
    "Attended relapse-prevention group; spoke about triggers at home.",
    "Individual session on coping with cravings; engaged throughout.",
    "Attended coping-skills group; quiet but attentive.",
    "Family-support session by phone with spouse; tearful at times.",
    "Attended morning community meeting; shared goals for the week.",
];
const SESSION_PLAN: &[&str] = &[
    "Continue groups; review aftercare options tomorrow.",
    "Practise urge-surfing; check in next shift.",
    "Counsellor to follow up on housing referral.",
];
const SITUATIONS: &[&str] = &[
    "Sleeping most of the shift; vitals stable.",
    "Anxious in the evening, settled after PRN.",
    "Ate well; ambulating independently.",
    "Requested to leave, talked through it; staying.",
    "Nausea overnight, tolerating fluids now.",
    "Family visited; mood brighter after.",
];
const SYNTHESES: &[&str] = &[
    "Heard: reassess per ladder, watch for rising score.",
    "Understood: fall precautions, recheck vitals at start of shift.",
    "Got it: PRN given, reassess due early in my shift.",
    "Heard: stable, continue plan.",
];
const ACTIONS: &[(&str, &str)] = &[
    ("Recheck BP before morning meds", "Oncoming RN"),
    ("Follow up CBC and LFT results", "Oncoming RN"),
    ("Ask provider about PRN order renewal", "Charge RN"),
    ("Confirm aftercare intake appointment", "Case manager"),
    ("Encourage oral fluids; record intake", "Oncoming RN"),
];

impl Sim<'_, '_> {
    /// Write one note (or addendum) of stay `i` whose event happened at `t`.
    pub(super) fn note(&mut self, i: usize, kind: NoteKind, t: i64) -> Result<()> {
        if !self.present.contains(&i) || t >= self.now {
            return Ok(());
        }
        let stay = &self.stays[i];
        let (stay_id, bed, patient) = (stay.id, stay.bed, self.patient_id(i));
        let mut rng = Rng::new(self.plan.seed, 7_000_000 + self.next_note as u64);
        let author = self.staff_member(self.roster.nurse_for(bed));
        let late = kind != NoteKind::Admission && rng.chance(LATE_SHARE);
        let started =
            t + rng.range(MINUTE, 10 * MINUTE) + if late { rng.range(HOUR + 10 * MINUTE, 4 * HOUR) } else { 0 };
        let signed = started + rng.range(3 * MINUTE, 15 * MINUTE);
        if signed >= self.now {
            return Ok(()); // still a draft at `now`: drafts are private and not part of the record
        }
        let (format, sections) = self.note_text(i, kind, t, &mut rng);
        let id = self.next_note;
        self.next_note += 1;
        let (event_at, started_at, signed_at) = (Ts::new(t), Ts::new(started), Ts::new(signed));
        let addendum_to = match kind {
            NoteKind::Addendum(of) => Some(of),
            _ => None,
        };
        self.out.note(&NoteRow {
            id,
            stay_id,
            addendum_to,
            format,
            author: author.id,
            author_name: &author.name,
            author_credentials: author.credentials,
            sections: &sections,
            started_at: started_at.as_str(),
            event_at: event_at.as_str(),
            signed_at: signed_at.as_str(),
        })?;
        let what = if addendum_to.is_some() { "addendum" } else { "note" };
        self.audit(started, author.id, "note.draft", Some(patient), &format!("{what} {id}"))?;
        self.audit(signed, author.id, "note.sign", Some(patient), &format!("{what} {id}"))?;
        if addendum_to.is_some() {
            self.summary.addenda += 1;
        } else {
            self.summary.notes += 1;
            if rng.chance(ADDENDUM_SHARE) {
                self.push(signed + rng.range(HOUR, 8 * HOUR), super::Event::Note(i, NoteKind::Addendum(id)));
            }
        }
        Ok(())
    }

    /// The note's format and sections, from the patient's course so far.
    fn note_text(&self, i: usize, kind: NoteKind, t: i64, rng: &mut Rng) -> (&'static str, Vec<(String, String)>) {
        let s = |h: &str, x: String| (h.to_string(), x);
        let day = (t - self.stays[i].admitted) / DAY + 1;
        let score = self.last_score(i);
        match kind {
            NoteKind::Admission => (
                "narrative",
                vec![s(
                    "Note",
                    format!(
                        "Admitted for withdrawal management ({}). Oriented to the unit, belongings searched, \
                         vitals taken. {} Allergies reviewed. Precautions explained.",
                        self.stays[i].substances(),
                        rng.pick(TREMOR)
                    ),
                )],
            ),
            NoteKind::Shift => (
                "SOAP",
                vec![
                    s("Subjective", rng.pick(SUBJECTIVE).to_string()),
                    s("Objective", format!("Day {day}. {score} {}", rng.pick(TREMOR))),
                    s(
                        "Assessment",
                        match rng.below(3) {
                            0 => "Withdrawal improving.".to_string(),
                            1 => "Withdrawal unchanged from last shift.".to_string(),
                            _ => "Symptoms managed with current orders.".to_string(),
                        },
                    ),
                    s("Plan", rng.pick(PLAN).to_string()),
                ],
            ),
            NoteKind::Session if rng.chance(0.5) => (
                "DAP",
                vec![
                    s("Data", rng.pick(SESSION_DATA).to_string()),
                    s("Assessment", "Engaged; insight developing.".to_string()),
                    s("Plan", rng.pick(SESSION_PLAN).to_string()),
                ],
            ),
            NoteKind::Session => (
                "BIRP",
                vec![
                    s("Behavior", rng.pick(SESSION_DATA).to_string()),
                    s("Intervention", "Motivational interviewing; reviewed coping skills.".to_string()),
                    s("Response", "Receptive; identified two triggers.".to_string()),
                    s("Plan", rng.pick(SESSION_PLAN).to_string()),
                ],
            ),
            NoteKind::Discharge => (
                "narrative",
                vec![s(
                    "Note",
                    format!("Day {day}. Discharge teaching done; medications reconciled. {score} {}", rng.pick(TREMOR)),
                )],
            ),
            NoteKind::Addendum(of) => (
                "addendum",
                vec![s(
                    "Addendum",
                    format!(
                        "Addendum to note {of}: {}",
                        rng.pick(&[
                            "vitals rechecked and stable.",
                            "PRN effect noted: calmer, tremor less.",
                            "provider informed of the score."
                        ])
                    ),
                )],
            ),
        }
    }

    /// "CIWA-Ar 12 (moderate)." from the stay's latest completed score, or "" if none yet.
    fn last_score(&self, i: usize) -> String {
        let Some(live) = self.live[i].as_ref() else { return String::new() };
        let Some(total) = live.history.iter().rev().find_map(Entry::total) else { return String::new() };
        let conf = &self.conf[live.scale_ix];
        let band = &conf.bands[usize::from(total).min(conf.bands.len() - 1)].0;
        format!("{} {total} ({band}).", live.scale.name)
    }

    /// At the end of one of the ward's shifts (`t`): the outgoing nurse hands over every patient
    /// on the ward, and the oncoming nurse accepts.
    pub(super) fn handoff(&mut self, t: i64) -> Result<()> {
        let Some(outgoing) = shift_at(&self.shifts, dt(t - 1), self.tz) else { return Ok(()) };
        if let Some(next) = shift_at(&self.shifts, dt(t), self.tz) {
            let end = next.end.timestamp();
            if end <= self.now {
                self.push(end, super::Event::Handoff);
            }
        }
        let shift_start = Ts::new(outgoing.start.timestamp());
        let mut rng = Rng::new(self.plan.seed, 9_000_000 + t as u64);
        let present = self.present.clone();
        for i in present {
            let stay = &self.stays[i];
            if stay.admitted >= t {
                continue;
            }
            let (stay_id, bed, patient, end) = (stay.id, stay.bed, self.patient_id(i), stay.end(self.now));
            let giver = self.roster.nurse_for(bed);
            let taker = if self.roster.charge != giver {
                self.roster.charge
            } else {
                self.roster.nurses.iter().copied().find(|n| *n != giver).unwrap_or(giver)
            };
            if taker == giver {
                continue;
            }
            let severity = self.severity(i, &mut rng);
            let summary = match self.last_score(i).as_str() {
                "" => format!("{}; no withdrawal protocol.", self.stays[i].substances()),
                score => format!("{score} Day {}.", (t - self.stays[i].admitted) / DAY + 1),
            };
            let prepared = t - rng.range(10 * MINUTE, 40 * MINUTE);
            let accepted = t + rng.range(5 * MINUTE, 25 * MINUTE);
            let accepted_at = Ts::new(accepted);
            let synthesis = rng.pick(SYNTHESES);
            let situation = *rng.pick(SITUATIONS);
            self.out.handoff(&HandoffRow {
                stay_id,
                shift_start: shift_start.as_str(),
                severity,
                summary: &summary,
                situation,
                prepared_by: giver,
                prepared_at: Ts::new(prepared).as_str(),
                accepted: (accepted < self.now).then_some((taker, accepted_at.as_str(), *synthesis)),
            })?;
            self.summary.handoffs += 1;
            self.audit(prepared, giver, "handoff.prepare", Some(patient), severity)?;
            if accepted < self.now {
                self.audit(accepted, taker, "handoff.accept", Some(patient), "")?;
            }
            if rng.chance(ACTION_SHARE) {
                let (what, owner) = *rng.pick(ACTIONS);
                let due = t + rng.range(HOUR, 6 * HOUR);
                let close = (due + rng.range(-30 * MINUTE, HOUR)).max(prepared + MINUTE).min(end);
                let close_at = Ts::new(close);
                self.out.action_item(&ActionItemRow {
                    stay_id,
                    what,
                    owner,
                    due_at: Ts::new(due).as_str(),
                    created_by: giver,
                    created_at: Ts::new(prepared).as_str(),
                    closed: (close < self.now).then_some((taker, close_at.as_str(), "Done")),
                })?;
                self.summary.action_items += 1;
                self.audit(prepared, giver, "action.add", Some(patient), what)?;
            }
        }
        Ok(())
    }

    /// One observation check of stay `i` at `t`, and the next one a level's interval later (a few
    /// minutes either way; one in fifty late). 1:1 is continuous: its nurse still logs every
    /// 15 minutes. Where the patient is follows the hour: asleep in their room at night.
    pub(super) fn obs_check(&mut self, i: usize, t: i64) -> Result<()> {
        if !self.present.contains(&i) || t >= self.now {
            return Ok(());
        }
        let level = self.obs_level[i];
        let (stay_id, bed, end) = (self.stays[i].id, self.stays[i].bed, self.stays[i].end(self.now));
        let nurse = self.roster.nurse_for(bed);
        let mut rng = Rng::new(self.plan.seed, 11_000_000 + (t as u64 ^ stay_id as u64));
        let local_hour = (t - 5 * HOUR).rem_euclid(DAY) / HOUR;
        let (location, state) = match local_hour {
            23 | 0..=5 if rng.chance(0.9) => ("room", "asleep_breathing"),
            _ => match rng.below(10) {
                0..=3 => ("room", "calm"),
                4 => ("room", "withdrawn"),
                5 | 6 => ("day_room", "calm"),
                7 => ("group", "calm"),
                8 => ("dining", "calm"),
                _ => ("hallway", "calm"),
            },
        };
        let at = Ts::new(t);
        self.out.obs_check(&ObsCheckRow {
            stay_id,
            checked_at: at.as_str(),
            by_user: nurse,
            level,
            location,
            state,
        })?;
        self.summary.obs_checks += 1;
        let patient = self.patient_id(i);
        let bed_label = self.beds[bed].1.clone();
        self.audit(t, nurse, "obs.check", Some(patient), &format!("bed {bed_label}: {location}, {state} {level}"))?;
        // The level's interval as the ward defines it (observation_level).
        let interval = match self.obs_intervals.get(level) {
            Some(Some(every)) => every.num_seconds(),
            _ => ONE_TO_ONE_LOG,
        };
        let late = if rng.chance(0.02) { rng.range(5 * MINUTE, 20 * MINUTE) } else { 0 };
        let next = t + interval - rng.range(0, 4 * MINUTE) + late;
        if next < end {
            self.push(next, super::Event::ObsCheck(i));
        }
        Ok(())
    }

    /// I-PASS illness severity from the latest score: severe band unstable, over a sixth of the
    /// scale watcher.
    fn severity(&self, i: usize, rng: &mut Rng) -> &'static str {
        let scored =
            self.live[i].as_ref().and_then(|l| l.history.iter().rev().find_map(Entry::total).map(|total| (l, total)));
        match scored {
            Some((l, total)) if self.conf[l.scale_ix].bands[usize::from(total).min(l.scale.max() as usize)].1 => {
                "unstable"
            }
            Some((l, total)) if u32::from(total) * 6 > u32::from(l.scale.max()) => "watcher",
            _ if rng.chance(0.1) => "watcher",
            _ => "stable",
        }
    }
}
