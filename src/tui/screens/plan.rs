//! The stay beyond detox: today's therapy schedule with attendance (one key per
//! status), and a patient's treatment plan with the aftercare readiness checklist.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};

use crate::domain::aftercare::{Checklist, Item, done_of};
use crate::domain::plan::{
    Attendance, AttendanceMark, Modality, NewSession, PlanDraft, PlanVersion, Session, missing, next_session, ward_day,
};
use crate::domain::text::inert;
use crate::domain::time::local_short;
use crate::domain::user::{Action, can};
use crate::store::Store;
use crate::tui::app::Screen;
use crate::tui::component::{Cmd, Component, Ctx, Done, View, Write};
use crate::tui::keymap::{Binding, Hints, Key, hints, lookup};
use crate::tui::screens::dialog::{Dialog, DialogKind};
use crate::tui::screens::plan_forms;
use crate::tui::theme;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleAction {
    Up,
    Down,
    PrevSession,
    NextSession,
    Mark(Attendance),
    Comment,
    NewSession,
    Patient,
    Help,
    Back,
}

/// Help lists only the keys the signed-in role may use (issue 20, point 11): adding a session is
/// the charge nurse's (`Action::Assign`). The key still answers anyone, with why not.
pub fn schedule_help_allows(a: ScheduleAction, role: Option<crate::domain::user::Role>) -> bool {
    use crate::domain::user::{Action, can};
    a != ScheduleAction::NewSession || role.is_some_and(|r| can(r, Action::Assign))
}

#[rustfmt::skip]
pub static SCHEDULE_KEYS: &[Binding<ScheduleAction>] = &[
    Binding::help(&[Key::plain(KeyCode::Up), Key::ch('k')], ScheduleAction::Up,      "up",          "Previous / next patient"),
    Binding::help(&[Key::plain(KeyCode::Down), Key::ch('j')], ScheduleAction::Down,  "down",        "Previous / next patient"),
    Binding::help(&[Key::plain(KeyCode::Left), Key::ch('[')], ScheduleAction::PrevSession, "session", "Previous / next session of the day (also [ / ])"),
    Binding::foot(&[Key::plain(KeyCode::Right), Key::ch(']')], ScheduleAction::NextSession, "session", "Previous / next session of the day (also [ / ])"),
    Binding::foot(&[Key::ch('a')], ScheduleAction::Mark(Attendance::Attended),       "attended",    "Attended"),
    Binding::foot(&[Key::ch('p')], ScheduleAction::Mark(Attendance::Partial),        "partial",     "Partial attendance"),
    Binding::foot(&[Key::ch('r')], ScheduleAction::Mark(Attendance::Refused),        "refused",     "Refused"),
    Binding::foot(&[Key::ch('e')], ScheduleAction::Mark(Attendance::ExcusedMedical), "excused",     "Excused (medical)"),
    Binding::foot(&[Key::ch('z')], ScheduleAction::Mark(Attendance::Asleep),         "asleep",      "Asleep"),
    Binding::help(&[Key::ch('c')], ScheduleAction::Comment,                          "comment",     "Record attendance with a short comment"),
    Binding::help(&[Key::ch('N')], ScheduleAction::NewSession,                       "new session", "Add a session to the schedule (charge nurse)"),
    Binding::foot(&[Key::plain(KeyCode::Enter)], ScheduleAction::Patient,            "plan",        "The patient's treatment plan and aftercare checklist"),
    Binding::foot(&[Key::ch('?')], ScheduleAction::Help,                             "help",        "Show every key of this screen"),
    Binding::foot(&[Key::plain(KeyCode::Esc), Key::ch('q')], ScheduleAction::Back,   "back",        "Back to the census"),
];

/// A patient on the ward, as the schedule lists them.
#[derive(Clone, Debug, PartialEq)]
pub struct WardPatient {
    pub stay_id: i64,
    pub patient_id: i64,
    pub bed: String,
    pub name: String,
}

impl WardPatient {
    pub fn label(&self) -> String {
        format!("{} {}", self.bed, self.name)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ScheduleScreen {
    pub day: String,
    pub sessions: Vec<Session>,
    pub patients: Vec<WardPatient>,
    pub marks: HashMap<(i64, i64), AttendanceMark>,
    /// Index into `sessions`.
    pub session: usize,
    /// Index into the selected session's invited patients.
    pub selected: usize,
    /// The dialog whose write is out (attendance with a comment, a new session): shown again,
    /// as the nurse filled it in, when the store refuses it.
    pub asking: Option<Dialog>,
}

impl ScheduleScreen {
    /// Today's sessions (ward day), their attendance, and the patients on the board, on the latest
    /// session that has started (attendance can be recorded), else the first.
    pub fn load(store: &Store, view: &View<'_>) -> Result<ScheduleScreen, String> {
        let (now, tz) = (view.now, view.tz);
        let (from, to) = ward_day(now, tz);
        let sessions = store.sessions_between(from, to).map_err(|e| e.to_string())?;
        let ids: Vec<i64> = sessions.iter().map(|s| s.id).collect();
        let marks = store.attendance_for(&ids).map_err(|e| e.to_string())?;
        let patients = view
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
        let session = sessions.iter().rposition(|s| s.started(now)).unwrap_or(0);
        Ok(ScheduleScreen {
            day: now.with_timezone(&tz).format("%a %d %b").to_string(),
            sessions,
            patients,
            marks,
            session,
            selected: 0,
            asking: None,
        })
    }

    /// The census's `S`: today's schedule and who is missing from the next session.
    pub fn open(store: &Store, view: &View<'_>) -> Cmd {
        match ScheduleScreen::load(store, view) {
            Ok(s) => Cmd::Open(Screen::Schedule(Box::new(s))),
            Err(e) => Cmd::error(format!("Could not load the schedule: {e}")),
        }
    }

    /// Read the schedule again after a write, at this session and patient (as far as they still
    /// exist), then say `saved`.
    fn reload(&mut self, ctx: &Ctx<'_>, session: usize, selected: usize, saved: String) -> Cmd {
        match ScheduleScreen::load(ctx.store, &ctx.view) {
            Ok(mut s) => {
                s.session = session.min(s.sessions.len().saturating_sub(1));
                s.selected = selected.min(s.invited().len().saturating_sub(1));
                *self = s;
                Cmd::tell(saved)
            }
            Err(e) => Cmd::error(format!("{saved} Could not load the schedule: {e}")),
        }
    }

    pub fn current_session(&self) -> Option<&Session> {
        self.sessions.get(self.session)
    }

    /// The selected session's invited patients, in bed order.
    pub fn invited(&self) -> Vec<&WardPatient> {
        match self.current_session() {
            None => Vec::new(),
            Some(s) => self.patients.iter().filter(|p| s.invites(p.stay_id)).collect(),
        }
    }

    pub fn current_patient(&self) -> Option<&WardPatient> {
        self.invited().get(self.selected).copied()
    }

    /// "Next: 14:00 Group "Relapse prevention" · missing: 3 Ann, 7 Bo" (or that none is left).
    pub fn next_line(&self, now: DateTime<Utc>, tz: Tz) -> String {
        let Some(i) = next_session(&self.sessions, now) else {
            return "No more sessions today.".into();
        };
        let s = &self.sessions[i];
        let names: Vec<(i64, String)> = self.patients.iter().map(|p| (p.stay_id, p.label())).collect();
        let beds: Vec<(i64, String)> = self.patients.iter().map(|p| (p.stay_id, p.bed.clone())).collect();
        let miss = missing(s, &names, &self.marks);
        let when = if s.started(now) { "Now" } else { "Next" };
        // Names while they fit on the line; bed labels when many are missing.
        let who = match miss.len() {
            0 => "everyone is there".to_string(),
            1..=3 => format!("missing: {}", miss.join(", ")),
            n => format!("missing {n}: beds {}", missing(s, &beds, &self.marks).join(" ")),
        };
        format!("{when}: {} {} \"{}\" · {who}", local_short(s.starts_at, now, tz), s.modality.label(), s.title)
    }
}

impl Component for ScheduleScreen {
    fn title(&self) -> String {
        "Today's schedule".into()
    }

    fn hints(&self, view: &View<'_>) -> (Hints, Hints) {
        let role = view.role();
        hints(&[SCHEDULE_KEYS], |a| schedule_help_allows(a, role))
    }

    fn on_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        let Some(action) = lookup(SCHEDULE_KEYS, k, |_| true) else { return Cmd::None };
        let n = self.invited().len().max(1);
        match action {
            ScheduleAction::Up => self.selected = self.selected.saturating_sub(1),
            ScheduleAction::Down => self.selected = (self.selected + 1).min(n - 1),
            ScheduleAction::PrevSession => {
                self.session = self.session.saturating_sub(1);
                self.selected = 0;
            }
            ScheduleAction::NextSession => {
                self.session = (self.session + 1).min(self.sessions.len().saturating_sub(1));
                self.selected = 0;
            }
            ScheduleAction::Help => return Cmd::Help,
            ScheduleAction::Back => return Cmd::Back,
            ScheduleAction::Mark(status) => {
                let (Some(session), Some(p)) = (self.current_session(), self.current_patient()) else {
                    return Cmd::error("Choose a session and a patient first.");
                };
                let w = Write::Attendance { session_id: session.id, stay_id: p.stay_id, status, comment: None };
                self.asking = None;
                return Cmd::Write(w);
            }
            ScheduleAction::Comment => {
                let (Some(session), Some(p)) = (self.current_session(), self.current_patient()) else {
                    return Cmd::error("Choose a session and a patient first.");
                };
                return Cmd::Dialog(plan_forms::attendance(session, p));
            }
            ScheduleAction::NewSession => {
                let Some(role) = ctx.role() else { return Cmd::None };
                if !can(role, Action::Assign) {
                    return Cmd::error(format!("A {role} may not add sessions."));
                }
                return Cmd::Dialog(plan_forms::new_session());
            }
            ScheduleAction::Patient => {
                let Some(p) = self.current_patient() else { return Cmd::None };
                return PlanScreen::open(ctx.store, p.stay_id, p.patient_id, format!("Bed {} · {}", p.bed, p.name));
            }
        }
        Cmd::None
    }

    /// Attendance with a comment and a new session: checked here, saved by the runner.
    fn on_dialog(&mut self, d: &Dialog, ctx: &Ctx<'_>) -> Option<Result<Cmd, String>> {
        let v = |i| d.form.value(i);
        let write = match &d.kind {
            DialogKind::NewSession => {
                NewSession::validate(&v(0), &v(1), &v(2), &v(3), &v(4), &v(5), ctx.now, ctx.tz).map(Write::Session)
            }
            DialogKind::Attendance { session_id, stay_id } => match Attendance::from_code(&v(0)) {
                Some(status) => {
                    Ok(Write::Attendance { session_id: *session_id, stay_id: *stay_id, status, comment: Some(v(1)) })
                }
                None => Err("Status: choose one with ←/→".to_string()),
            },
            _ => return None,
        };
        Some(write.map(|w| {
            self.asking = Some(d.clone());
            Cmd::Write(w)
        }))
    }

    /// A mark moves the cursor on to the next patient; a dialog's record keeps it. The schedule
    /// is read again either way (another terminal may have marked meanwhile). A dialog the store
    /// refused comes back as it was, with the reason.
    fn on_done(&mut self, done: Done, ctx: &Ctx<'_>) -> Cmd {
        let asked = self.asking.take();
        let (session, selected) = (self.session, self.selected);
        match (done, asked) {
            (Done::Attendance { result: Err(e), .. } | Done::Session { result: Err(e) }, Some(mut d)) => {
                d.form.error = Some(e);
                Cmd::Dialog(d)
            }
            (Done::Attendance { result: Err(e), .. }, None) => Cmd::error(format!("Not recorded: {e}")),
            (Done::Attendance { status, result: Ok(()), .. }, Some(_)) => {
                self.reload(ctx, session, selected, format!("Recorded: {}.", status.label()))
            }
            (Done::Attendance { stay_id, status, result: Ok(()), .. }, None) => {
                let name = self.patients.iter().find(|p| p.stay_id == stay_id).map_or("", |p| p.name.as_str());
                let saved = format!("{name}: {}.", status.label());
                let next = (selected + 1).min(self.invited().len().max(1) - 1);
                self.reload(ctx, session, next, saved)
            }
            (Done::Session { result: Err(e) }, None) => Cmd::error(format!("Not saved: {e}")),
            (Done::Session { result: Ok(_) }, _) => {
                self.reload(ctx, session, selected, "Session added to the schedule.".to_string())
            }
            _ => Cmd::None,
        }
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        draw_schedule(f, area, self, view.now, view.tz);
    }
}

pub fn draw_schedule(f: &mut Frame<'_>, area: Rect, s: &ScheduleScreen, now: DateTime<Utc>, tz: Tz) {
    let n = s.sessions.len().max(1) as u16;
    let [head, list, table_area] =
        Layout::vertical([Constraint::Length(3), Constraint::Length(n.min(6)), Constraint::Min(3)]).areas(area);
    f.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(format!("Today's schedule · {}", s.day), theme::title())),
            Line::from(Span::styled(inert(&s.next_line(now, tz)), theme::due_soon())),
            Line::from(""),
        ])
        .wrap(Wrap { trim: true }),
        head,
    );
    if s.sessions.is_empty() {
        f.render_widget(Paragraph::new("No sessions scheduled today (N adds one)."), list);
        return;
    }
    let start = s.session.saturating_sub(5);
    let lines: Vec<Line<'_>> = s
        .sessions
        .iter()
        .enumerate()
        .skip(start)
        .take(6)
        .map(|(i, x)| {
            let who = match &x.invited {
                None => "all".to_string(),
                Some(v) => format!("{} listed", v.len()),
            };
            let mark = if i == s.session { "▶" } else { " " };
            let text = format!(
                "{mark} {}-{} {:<11} {} · {} · {who}",
                local_short(x.starts_at, now, tz),
                x.ends_at().with_timezone(&tz).format("%H:%M"),
                x.modality.label(),
                inert(&x.title),
                inert(&x.facilitator)
            );
            let style = if i == s.session { theme::label() } else { theme::base() };
            Line::from(Span::styled(text, style))
        })
        .collect();
    f.render_widget(Paragraph::new(lines), list);
    let Some(session) = s.current_session() else { return };
    let header =
        Row::new(["Bed", "Patient", "Attendance", "Recorded", "Comment"].map(Cell::from)).style(theme::table_header());
    let future = !session.started(now);
    let rows: Vec<Row<'_>> = s
        .invited()
        .into_iter()
        .map(|p| match s.marks.get(&(session.id, p.stay_id)) {
            Some(m) => {
                let style = if m.status.present() { theme::base() } else { theme::due_soon() };
                Row::new(vec![
                    Cell::from(inert(&p.bed)),
                    Cell::from(inert(&p.name)),
                    Cell::from(m.status.label()),
                    Cell::from(format!("{} {}", local_short(m.at, now, tz), inert(&m.by))),
                    Cell::from(inert(m.comment.as_deref().unwrap_or(""))),
                ])
                .style(style)
            }
            None => Row::new(vec![
                Cell::from(inert(&p.bed)),
                Cell::from(inert(&p.name)),
                Cell::from(Span::styled(if future { "not started" } else { "— not recorded" }, theme::hint())),
                Cell::from(""),
                Cell::from(""),
            ]),
        })
        .collect();
    let widths = [
        Constraint::Length(4),
        Constraint::Length(18),
        Constraint::Length(17),
        Constraint::Length(22),
        Constraint::Min(8),
    ];
    let table = Table::new(rows, widths).header(header).row_highlight_style(theme::selected()).column_spacing(1);
    let mut state = TableState::default().with_selected(Some(s.selected));
    f.render_stateful_widget(table, table_area, &mut state);
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanAction {
    Toggle(Item),
    Edit,
    Older,
    Help,
    Back,
}

#[rustfmt::skip]
pub static PLAN_KEYS: &[Binding<PlanAction>] = &[
    Binding::help(&[Key::ch('1')], PlanAction::Toggle(Item::Outpatient),        "toggle",      "Toggle an aftercare item (1-6)"),
    Binding::help(&[Key::ch('2')], PlanAction::Toggle(Item::SupportGroup),      "toggle",      "Toggle an aftercare item (1-6)"),
    Binding::help(&[Key::ch('3')], PlanAction::Toggle(Item::RelapsePlan),       "toggle",      "Toggle an aftercare item (1-6)"),
    Binding::help(&[Key::ch('4')], PlanAction::Toggle(Item::HousingTransport),  "toggle",      "Toggle an aftercare item (1-6)"),
    Binding::help(&[Key::ch('5')], PlanAction::Toggle(Item::Medications),       "toggle",      "Toggle an aftercare item (1-6)"),
    Binding::help(&[Key::ch('6')], PlanAction::Toggle(Item::EmergencyContacts), "toggle",      "Toggle an aftercare item (1-6)"),
    Binding::foot(&[Key::ch('e')], PlanAction::Edit,                            "new version", "Change the plan (saved as a new version)"),
    Binding::foot(&[Key::ch('v')], PlanAction::Older,                           "versions",    "Step through earlier versions of the plan"),
    Binding::foot(&[Key::ch('?')], PlanAction::Help,                            "help",        "Show every key of this screen"),
    Binding::foot(&[Key::plain(KeyCode::Esc), Key::ch('q')], PlanAction::Back,  "back",        "Back"),
];

#[derive(Clone, Debug, PartialEq)]
pub struct PlanScreen {
    pub stay_id: i64,
    pub patient_id: i64,
    pub title: String,
    /// Newest first.
    pub versions: Vec<PlanVersion>,
    /// Index into `versions` of the one shown.
    pub shown: usize,
    pub checklist: Checklist,
    /// The new version's dialog while its write is out: shown again, as the nurse filled it in,
    /// when the store refuses it.
    pub asking: Option<Dialog>,
}

impl PlanScreen {
    /// The patient view from the schedule: the treatment plan (current and earlier versions) and
    /// aftercare in full, with the audit of the read; or why it could not be read.
    pub fn open(store: &Store, stay_id: i64, patient_id: i64, title: String) -> Cmd {
        let loaded = store.plan_versions(stay_id).and_then(|v| Ok((v, store.aftercare(stay_id)?)));
        match loaded {
            Ok((versions, checklist)) => Cmd::Many(vec![
                Cmd::Write(Write::AuditRead {
                    patient_ids: vec![patient_id],
                    what: "treatment plan and aftercare".into(),
                }),
                Cmd::Open(Screen::Plan(Box::new(PlanScreen {
                    stay_id,
                    patient_id,
                    title,
                    versions,
                    shown: 0,
                    checklist,
                    asking: None,
                }))),
            ]),
            Err(e) => Cmd::error(format!("Could not load the plan: {e}")),
        }
    }

    /// Read the plan and the checklist again after a write (keeping the version shown, as far
    /// as it exists), then say `saved`.
    fn reload(&mut self, ctx: &Ctx<'_>, saved: String) -> Cmd {
        let stay = self.stay_id;
        match ctx.store.plan_versions(stay).and_then(|v| Ok((v, ctx.store.aftercare(stay)?))) {
            Ok((versions, checklist)) => {
                self.shown = self.shown.min(versions.len().saturating_sub(1));
                self.versions = versions;
                self.checklist = checklist;
                Cmd::tell(saved)
            }
            Err(e) => Cmd::error(format!("{saved} Could not load the plan: {e}")),
        }
    }
}

impl Component for PlanScreen {
    fn title(&self) -> String {
        "Treatment plan and aftercare".into()
    }

    fn hints(&self, _view: &View<'_>) -> (Hints, Hints) {
        hints(&[PLAN_KEYS], |_| true)
    }

    fn on_key(&mut self, k: &KeyEvent, _ctx: &Ctx<'_>) -> Cmd {
        let Some(action) = lookup(PLAN_KEYS, k, |_| true) else { return Cmd::None };
        match action {
            PlanAction::Help => Cmd::Help,
            // Back to where the plan was opened from, as it was left (the schedule's session and
            // patient).
            PlanAction::Back => Cmd::Back,
            PlanAction::Older => {
                if self.versions.len() < 2 {
                    return Cmd::tell("There is no earlier version.");
                }
                self.shown = (self.shown + 1) % self.versions.len();
                Cmd::None
            }
            PlanAction::Toggle(item) => {
                self.asking = None;
                Cmd::Write(Write::Aftercare { stay_id: self.stay_id, item })
            }
            PlanAction::Edit => Cmd::Dialog(plan_forms::plan_version(self.stay_id, &self.title, self.versions.first())),
        }
    }

    /// A new version: checked here, saved by the runner.
    fn on_dialog(&mut self, d: &Dialog, _ctx: &Ctx<'_>) -> Option<Result<Cmd, String>> {
        let DialogKind::PlanVersion { stay_id } = d.kind else { return None };
        let v = |i| d.form.value(i);
        let interventions: Vec<(Modality, String)> =
            Modality::ALL.iter().enumerate().map(|(i, m)| (*m, v(i + 2))).collect();
        Some(PlanDraft::validate(&v(0), &v(1), &interventions).map(|draft| {
            self.asking = Some(d.clone());
            Cmd::Write(Write::PlanVersion { stay_id, draft })
        }))
    }

    fn on_done(&mut self, done: Done, ctx: &Ctx<'_>) -> Cmd {
        let asked = self.asking.take();
        match (done, asked) {
            (Done::PlanVersion { result: Err(e), .. }, Some(mut d)) => {
                d.form.error = Some(e);
                Cmd::Dialog(d)
            }
            (Done::PlanVersion { result: Ok(version), .. }, _) => {
                self.reload(ctx, format!("Plan version {version} saved."))
            }
            (Done::Aftercare { item, result: Ok(done), .. }, _) => {
                let what = if done { "done" } else { "open again" };
                self.reload(ctx, format!("{}: {what}.", item.label()))
            }
            (Done::PlanVersion { result: Err(e), .. } | Done::Aftercare { result: Err(e), .. }, _) => {
                Cmd::error(format!("Not saved: {e}"))
            }
            _ => Cmd::None,
        }
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        draw_plan(f, area, self, view.now, view.tz);
    }
}

pub fn draw_plan(f: &mut Frame<'_>, area: Rect, s: &PlanScreen, now: DateTime<Utc>, tz: Tz) {
    let [plan_area, ac_area] = Layout::vertical([Constraint::Min(4), Constraint::Length(8)]).areas(area);
    let mut lines = vec![Line::from(Span::styled(format!("Treatment plan · {}", inert(&s.title)), theme::title()))];
    match s.versions.get(s.shown) {
        None => lines.push(Line::from(Span::styled("No plan yet: e writes version 1.", theme::due_soon()))),
        Some(v) => {
            let which = if s.shown == 0 { "current".to_string() } else { "EARLIER VERSION".to_string() };
            lines.push(Line::from(Span::styled(
                format!(
                    "Version {} of {} ({which}) · set by {} {}",
                    v.version,
                    s.versions.len(),
                    inert(&v.set_by),
                    local_short(v.set_at, now, tz)
                ),
                if s.shown == 0 { theme::label() } else { theme::due_soon() },
            )));
            lines.push(Line::from(vec![Span::styled("Problems: ", theme::label()), Span::raw(inert(&v.problems))]));
            lines.push(Line::from(vec![Span::styled("Goals: ", theme::label()), Span::raw(inert(&v.goals))]));
            for (m, d) in &v.interventions {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {:<12}", m.label()), theme::label()),
                    Span::raw(inert(d)),
                ]));
            }
        }
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), plan_area);
    let (done, total) = s.checklist.progress();
    let mut ac = vec![Line::from(Span::styled(
        format!("Aftercare readiness · {} · keys 1-6 toggle", done_of((done, total))),
        theme::title(),
    ))];
    for (n, (item, m)) in s.checklist.marks.iter().enumerate() {
        let done = m.as_ref().is_some_and(|m| m.done);
        let who = match m {
            Some(m) => format!("{} {}{}", if m.done { "" } else { "reopened by" }, inert(&m.by), {
                format!(" {}", local_short(m.at, now, tz))
            }),
            None => "open".to_string(),
        };
        let text = format!("{} [{}] {:<32} {}", n + 1, if done { "x" } else { " " }, item.label(), who.trim());
        ac.push(Line::from(Span::styled(text, if done { theme::base() } else { theme::due_soon() })));
    }
    f.render_widget(Paragraph::new(ac), ac_area);
}
