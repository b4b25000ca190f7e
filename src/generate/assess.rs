//! The simulated withdrawal course: each assessment scored on the stay's severity curve and
//! charted by the ward's ladder (the same `Ladder::chart` the store uses), with PRN doses when
//! the ladder prompts one.
use super::*;

impl Sim<'_, '_> {
    pub(super) fn assess(&mut self, i: usize, t: i64) -> Result<()> {
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
            let (_, dose) = conf.prn;
            let reassess = prn_at + i64::from(conf.ladder.prn_reassess_minutes.max(1)) * MINUTE;
            // Given against the stay's PRN order in the administration record (schema v6); the
            // old `prn` table is history the generator no longer writes.
            let rass = if total.unwrap_or(0) > 20 { 0 } else { -((id % 2) as i32) };
            if self.prn_dose(i, id, total, prn_at, reassess, nurse, dose, rass)? {
                last_prn = Some(prn_at);
            }
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
pub(super) fn rng_offset(id: i64) -> i64 {
    5 * MINUTE + (id * 7919).rem_euclid(50) * MINUTE
}

/// Legal item scores whose total is close to `target`, in the scale's item order.
pub(super) fn answers_near(scale: &'static Scale, target: i32, rng: &mut Rng, out: &mut Vec<(&'static str, u8)>) {
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
