//! The simulated stays' own events: admission (with the patient's first record), planned
//! level-of-care and observation changes, discharge.
use super::people::{AFTERCARE, ATTENDINGS};
use super::*;

impl Sim<'_, '_> {
    pub(super) fn admit(&mut self, i: usize, t: i64) -> Result<()> {
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
        // PAWSS is recorded item by item since schema version 5 (a typed total is refused).
        let pawss = None;
        let last_use = format!("about {} h before admission", rng.range(4, 48));
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
            // Written open and discharged when the queue reaches the discharge (orders and
            // vital signs are refused on a discharged stay, as in the app).
            discharge: None,
        })?;
        self.aftercare[i] = aftercare;
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
        self.order_on_admission(i, t)?;
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

    pub(super) fn change(&mut self, i: usize, c: usize) -> Result<()> {
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

    pub(super) fn discharge(&mut self, i: usize) -> Result<()> {
        let by = self.roster.charge;
        let s = &self.stays[i];
        let Some(at) = s.discharged else { return Ok(()) };
        self.present.retain(|&p| p != i);
        let (id, patient, bed) = (s.id, self.patient_id(i), self.beds[s.bed].1.clone());
        let kind = s.discharge_type;
        let at_s = Ts::new(at);
        self.out.discharge(id, at_s.as_str(), by, kind, self.aftercare[i])?;
        self.stop_orders(i, at, by)?;
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
}
