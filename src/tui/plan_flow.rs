//! The app's side of the stay beyond detox: today's schedule and attendance, the treatment plan with its
//! versions, and the aftercare checklist. Every write goes through `store::plan`.
use ratatui::crossterm::event::KeyEvent;

use crate::domain::aftercare::open_text;
use crate::domain::plan::{Attendance, Modality, NewSession, PlanDraft, ward_day};
use crate::domain::time::TimeRule;
use crate::domain::user::{Action, can};
use crate::tui::app::{App, Screen};
use crate::tui::keymap::lookup;
use crate::tui::screens::plan::{
    PLAN_KEYS, PlanAction, PlanScreen, SCHEDULE_KEYS, ScheduleAction, ScheduleScreen, WardPatient,
};
use crate::tui::screens::stay_forms::{Dialog, DialogKind};
use crate::tui::widgets::form::{Field, Form};

impl App {
    fn load_schedule(&self) -> Result<ScheduleScreen, String> {
        let tz = self.model.tz();
        let now = self.model.now;
        let (from, to) = ward_day(now, tz);
        let sessions = self.store.sessions_between(from, to).map_err(|e| e.to_string())?;
        let ids: Vec<i64> = sessions.iter().map(|s| s.id).collect();
        let marks = self.store.attendance_for(&ids).map_err(|e| e.to_string())?;
        let patients = self
            .model
            .board
            .rows
            .iter()
            .filter_map(|r| {
                r.occupant.as_ref().map(|o| WardPatient {
                    stay_id: o.stay_id,
                    patient_id: o.patient_id,
                    bed: r.bed.clone(),
                    name: o.name.clone(),
                })
            })
            .collect();
        // Start on the latest session that has started (attendance can be recorded), else the first.
        let session = sessions.iter().rposition(|s| s.started(now)).unwrap_or(0);
        Ok(ScheduleScreen {
            day: now.with_timezone(&tz).format("%a %d %b").to_string(),
            sessions,
            patients,
            marks,
            session,
            selected: 0,
        })
    }

    /// The census's `S`: today's schedule and who is missing from the next session.
    pub(crate) fn open_schedule(&mut self) {
        self.open_schedule_at(None);
    }

    fn open_schedule_at(&mut self, keep: Option<(usize, usize)>) {
        match self.load_schedule() {
            Ok(mut s) => {
                if let Some((session, selected)) = keep {
                    s.session = session.min(s.sessions.len().saturating_sub(1));
                    s.selected = selected.min(s.invited().len().saturating_sub(1));
                }
                self.show(Screen::Schedule(Box::new(s)));
            }
            Err(e) => self.tell(format!("Could not load the schedule: {e}"), true),
        }
    }

    fn schedule_position(&self) -> Option<(usize, usize)> {
        match &self.model.screen {
            Screen::Schedule(s) => Some((s.session, s.selected)),
            _ => None,
        }
    }

    pub(crate) fn schedule_key(&mut self, k: KeyEvent) {
        let (Some(me), Screen::Schedule(s)) = (self.model.me.clone(), &mut self.model.screen) else { return };
        let Some(action) = lookup(SCHEDULE_KEYS, &k, |_| true) else { return };
        let n = s.invited().len().max(1);
        match action {
            ScheduleAction::Up => s.selected = s.selected.saturating_sub(1),
            ScheduleAction::Down => s.selected = (s.selected + 1).min(n - 1),
            ScheduleAction::PrevSession => {
                s.session = s.session.saturating_sub(1);
                s.selected = 0;
            }
            ScheduleAction::NextSession => {
                s.session = (s.session + 1).min(s.sessions.len().saturating_sub(1));
                s.selected = 0;
            }
            ScheduleAction::Help => self.model.help_open = true,
            ScheduleAction::Back => {
                self.back();
                self.reload_census();
            }
            ScheduleAction::Mark(status) => {
                let (Some(session), Some(p)) = (s.current_session().cloned(), s.current_patient().cloned()) else {
                    return self.tell("Choose a session and a patient first.", true);
                };
                let keep = (s.session, (s.selected + 1).min(n - 1));
                match self.store.record_attendance(&me, session.id, p.stay_id, status, None, self.model.now) {
                    Ok(()) => {
                        self.open_schedule_at(Some(keep));
                        self.tell(format!("{}: {}.", p.name, status.label()), false);
                    }
                    Err(e) => self.tell(format!("Not recorded: {e}"), true),
                }
            }
            ScheduleAction::Comment => {
                let (Some(session), Some(p)) = (s.current_session().cloned(), s.current_patient().cloned()) else {
                    return self.tell("Choose a session and a patient first.", true);
                };
                let statuses = Attendance::ALL.iter().map(|a| (a.code().to_string(), a.label().to_string())).collect();
                let mut form = Form::new(
                    format!("Attendance: {} · {}", p.name, session.title),
                    vec![
                        Field::choice("Status", "←/→ or a letter", statuses),
                        Field::text("Comment", "short, e.g. left after 20 min: nausea"),
                    ],
                )
                .with_verb("record");
                form.intro = vec!["Recording again keeps the earlier record.".into()];
                self.model.dialog =
                    Some(Dialog { kind: DialogKind::Attendance { session_id: session.id, stay_id: p.stay_id }, form });
            }
            ScheduleAction::NewSession => {
                if !can(me.role, Action::Assign) {
                    return self.tell(format!("A {} may not add sessions.", me.role), true);
                }
                let modalities = Modality::ALL.iter().map(|m| (m.code().to_string(), m.label().to_string())).collect();
                let mut form = Form::new(
                    "New session",
                    vec![
                        Field::time(
                            "Starts",
                            "08:30 (the next one), +2h or YYYY-MM-DD HH:MM (ward time)",
                            TimeRule::Planned,
                        ),
                        Field::text("Minutes", "e.g. 60"),
                        Field::choice("Modality", "←/→ or a letter", modalities),
                        Field::text("Title", "e.g. Relapse prevention"),
                        Field::text("Facilitator", "who runs it"),
                        Field::text("Patients", "all, or bed labels: 1, 3, 7"),
                    ],
                )
                .with_verb("add session");
                form.intro = vec!["A session may be planned ahead; attendance once it starts.".into()];
                self.model.dialog = Some(Dialog { kind: DialogKind::NewSession, form });
            }
            ScheduleAction::Patient => {
                let Some(p) = s.current_patient().cloned() else { return };
                self.open_plan(p.stay_id, p.patient_id, format!("Bed {} · {}", p.bed, p.name));
            }
        }
    }

    /// The patient view: treatment plan (current and earlier versions) and aftercare in full.
    pub(crate) fn open_plan(&mut self, stay_id: i64, patient_id: i64, title: String) {
        let loaded = (|| -> Result<PlanScreen, crate::store::StoreError> {
            Ok(PlanScreen {
                stay_id,
                patient_id,
                title,
                versions: self.store.plan_versions(stay_id)?,
                shown: 0,
                checklist: self.store.aftercare(stay_id)?,
            })
        })();
        match loaded {
            Ok(p) => {
                self.audit_read(patient_id, "treatment plan and aftercare");
                self.show(Screen::Plan(Box::new(p)));
            }
            Err(e) => self.tell(format!("Could not load the plan: {e}"), true),
        }
    }

    fn reload_plan(&mut self) {
        let Screen::Plan(p) = &self.model.screen else { return };
        let (stay, patient, title, shown) = (p.stay_id, p.patient_id, p.title.clone(), p.shown);
        let loaded = self.store.plan_versions(stay).and_then(|v| Ok((v, self.store.aftercare(stay)?)));
        match loaded {
            Ok((versions, checklist)) => {
                let shown = shown.min(versions.len().saturating_sub(1));
                self.show(Screen::Plan(Box::new(PlanScreen {
                    stay_id: stay,
                    patient_id: patient,
                    title,
                    versions,
                    shown,
                    checklist,
                })));
            }
            Err(e) => self.tell(e.to_string(), true),
        }
    }

    pub(crate) fn plan_key(&mut self, k: KeyEvent) {
        let (Some(me), Screen::Plan(p)) = (self.model.me.clone(), &mut self.model.screen) else { return };
        let Some(action) = lookup(PLAN_KEYS, &k, |_| true) else { return };
        match action {
            PlanAction::Help => self.model.help_open = true,
            // Back to where the plan was opened from, as it was left (the schedule's session and
            // patient, or the census).
            PlanAction::Back => {
                self.back();
                self.reload_census();
            }
            PlanAction::Older => {
                if p.versions.len() < 2 {
                    return self.tell("There is no earlier version.", false);
                }
                p.shown = (p.shown + 1) % p.versions.len();
            }
            PlanAction::Toggle(item) => {
                let stay = p.stay_id;
                match self.store.toggle_aftercare(&me, stay, item, self.model.now) {
                    Ok(done) => {
                        self.reload_plan();
                        let what = if done { "done" } else { "open again" };
                        self.tell(format!("{}: {what}.", item.label()), false);
                    }
                    Err(e) => self.tell(format!("Not saved: {e}"), true),
                }
            }
            PlanAction::Edit => {
                let current = p.versions.first().cloned();
                let text = |m: Modality| {
                    current
                        .as_ref()
                        .and_then(|v| v.interventions.iter().find(|(x, _)| *x == m).map(|(_, d)| d.clone()))
                        .unwrap_or_default()
                };
                let mut fields = vec![
                    Field::text("Problems", "e.g. alcohol use disorder, severe; insomnia")
                        .with_text(current.as_ref().map_or("", |v| &v.problems)),
                    Field::text("Goals", "e.g. complete withdrawal safely; engage in groups")
                        .with_text(current.as_ref().map_or("", |v| &v.goals)),
                ];
                for m in Modality::ALL {
                    fields.push(Field::text(m.label(), "intervention, or leave empty").with_text(&text(m)));
                }
                let mut form = Form::new(format!("Treatment plan: {}", p.title), fields).with_verb("save version");
                form.intro = vec![match &current {
                    Some(v) => format!("Saves version {}; version {} stays readable.", v.version + 1, v.version),
                    None => "Saves version 1.".to_string(),
                }];
                self.model.dialog = Some(Dialog { kind: DialogKind::PlanVersion { stay_id: p.stay_id }, form });
            }
        }
    }

    /// Submit of a plan, session or attendance dialog; `Ok(message)` closes it.
    pub(crate) fn submit_plan_dialog(&mut self, d: &Dialog) -> Result<String, String> {
        let Some(me) = self.model.me.clone() else { return Err("not signed in".into()) };
        let tz = self.model.tz();
        let now = self.model.now;
        let v = |i| d.form.value(i);
        let err = |e: crate::store::StoreError| e.to_string();
        let msg = match &d.kind {
            DialogKind::PlanVersion { stay_id } => {
                let interventions: Vec<(Modality, String)> =
                    Modality::ALL.iter().enumerate().map(|(i, m)| (*m, v(i + 2))).collect();
                let draft = PlanDraft::validate(&v(0), &v(1), &interventions)?;
                let version = self.store.set_plan(&me, *stay_id, &draft, now).map_err(err)?;
                self.model.dialog = None;
                self.reload_plan();
                format!("Plan version {version} saved.")
            }
            DialogKind::NewSession => {
                let s = NewSession::validate(&v(0), &v(1), &v(2), &v(3), &v(4), &v(5), now, tz)?;
                self.store.add_session(&me, &s, now).map_err(err)?;
                self.model.dialog = None;
                let keep = self.schedule_position();
                self.open_schedule_at(keep);
                "Session added to the schedule.".to_string()
            }
            DialogKind::Attendance { session_id, stay_id } => {
                let status = Attendance::from_code(&v(0)).ok_or("Status: choose one with ←/→")?;
                let comment = v(1);
                self.store
                    .record_attendance(&me, *session_id, *stay_id, status, Some(comment.as_str()), now)
                    .map_err(err)?;
                self.model.dialog = None;
                let keep = self.schedule_position();
                self.open_schedule_at(keep);
                format!("Recorded: {}.", status.label())
            }
            _ => return Err("not a plan dialog".into()),
        };
        Ok(msg)
    }

    /// The discharge dialog warns about aftercare items still open.
    pub(crate) fn warn_open_aftercare(&self, mut d: Dialog, stay_id: i64) -> Dialog {
        if let Ok(c) = self.store.aftercare(stay_id) {
            let open = c.open();
            if !open.is_empty() {
                d.form.intro.push(format!(
                    "Aftercare still OPEN ({}): {}.",
                    crate::domain::aftercare::done_of((
                        u8::try_from(crate::domain::aftercare::Item::ALL.len() - open.len()).unwrap_or(0),
                        u8::try_from(crate::domain::aftercare::Item::ALL.len()).unwrap_or(0)
                    )),
                    open_text(&open)
                ));
                d.form.intro.push("An AMA discharge records them in the stay's history.".into());
            }
        }
        d
    }
}
