//! Vital signs on their own (issue 17 point 3): the census's `V` opens the patient's flowsheet
//! (a table, newest first, each set with who and when, and a trend of each parameter), `n`
//! enters a new set.
//!
//! Entering a set: every field empty means not measured and is saved as nothing (never a
//! default); air or oxygen and the level of consciousness are choices that start unchosen. The
//! live line shows NEWS2 when every parameter was measured, else "NEWS2 incomplete: not measured
//! ..." (REFERENCE.md §10), and what the unit's rule would prompt. Save writes through
//! [`Write::Vitals`]; what the store recorded comes back as [`Done::VitalsRecorded`].
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::census::CensusRow;
use crate::domain::news2::{Breathing, Consciousness, Observations};
use crate::domain::text::{fit, inert};
use crate::domain::time::{TimeRule, local_short, parse_event_time};
use crate::domain::vital_alert::{Policy, evaluate};
use crate::domain::vitals::{TempUnit, Vitals};
use crate::store::vitals::{NewVitals, VitalSet, VitalSource};
use crate::tui::app::Screen;
use crate::tui::component::{Cmd, Component, Ctx, Done, View, Write};
use crate::tui::keymap::{Binding, Hints, Key, hints, lookup};
use crate::tui::screens::scoring::wrap;
use crate::tui::theme;
use crate::tui::widgets::form::{Field, Form, FormEvent};

/// How many sets the flowsheet reads.
const SHEET_ROWS: usize = 200;

/// The patient, as the census knows them.
#[derive(Clone, Debug, PartialEq)]
pub struct Patient {
    pub stay_id: i64,
    pub patient_id: i64,
    pub bed: String,
    pub name: String,
}

impl Patient {
    pub fn of(row: &CensusRow) -> Option<Patient> {
        row.occupant.as_ref().map(|o| Patient {
            stay_id: o.stay_id,
            patient_id: o.patient_id,
            bed: row.bed.clone(),
            name: o.name.clone(),
        })
    }

    /// " Bed 3 · Ana Ortiz · what".
    pub fn head(&self, what: &str, width: u16) -> Line<'static> {
        let who = format!(" Bed {} · {} · ", inert(&self.bed), inert(&self.name));
        let room = usize::from(width).saturating_sub(unicode_width::UnicodeWidthStr::width(who.as_str()));
        Line::from(vec![Span::styled(who, theme::label()), Span::styled(fit(what, room), theme::title())])
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VitalsAction {
    New,
    Up,
    Down,
    Help,
    Back,
}

#[rustfmt::skip]
pub static SHEET_KEYS: &[Binding<VitalsAction>] = &[
    Binding::foot(&[Key::ch('n')],                                VitalsAction::New,  "new set", "Enter a new set of vital signs (empty = not measured)"),
    Binding::help(&[Key::plain(KeyCode::Up), Key::ch('k')],       VitalsAction::Up,   "up",      "Previous / next set (its who and when below the table)"),
    Binding::help(&[Key::plain(KeyCode::Down), Key::ch('j')],     VitalsAction::Down, "down",    "Previous / next set (its who and when below the table)"),
    Binding::foot(&[Key::ch('?'), Key::plain(KeyCode::F(1))],     VitalsAction::Help, "help",    "Show every key of this screen"),
    Binding::foot(&[Key::plain(KeyCode::Esc)],                    VitalsAction::Back, "back",    "Back to the census"),
];

/// The entry form's fields, in order.
const TAKEN: usize = 0;
const TEMP: usize = 1;
const HR: usize = 2;
const SBP: usize = 3;
const DBP: usize = 4;
const RR: usize = 5;
const SPO2: usize = 6;
const AIR: usize = 7;
const ACVPU: usize = 8;
const COMMENT: usize = 9;

fn entry_form(unit: TempUnit) -> Form {
    let temp = match unit {
        TempUnit::C => "Temperature °C",
        TempUnit::F => "Temperature °F",
    };
    let not = "empty = not measured (never filled in)";
    let mut f = Form::new(
        "New set of vital signs",
        vec![
            Field::time("Time taken", "now, -15m, 08:30 or YYYY-MM-DD HH:MM (ward time)", TimeRule::Charted),
            Field::text(temp, not),
            Field::text("Heart rate /min", not),
            Field::text("BP systolic mmHg", "systolic and diastolic, or neither"),
            Field::text("BP diastolic mmHg", "systolic and diastolic, or neither"),
            Field::text("Resp. rate /min", not),
            Field::text("SpO2 %", not),
            Field::choice(
                "Air or oxygen",
                "←/→ choose; nothing chosen = not measured",
                vec![("air".into(), "air".into()), ("oxygen".into(), "supplemental oxygen".into())],
            ),
            Field::choice(
                "Consciousness",
                "ACVPU, ←/→ choose; nothing chosen = not measured",
                Consciousness::ALL.iter().map(|c| (c.label().to_string(), c.label().to_string())).collect(),
            ),
            Field::text("Comment", "optional, e.g. taken lying down; at most 200 characters"),
        ],
    )
    .with_verb("save");
    f.intro = Vec::new();
    f
}

#[derive(Clone, Debug)]
enum Stage {
    Sheet,
    Entry(Box<Form>),
}

#[derive(Clone, Debug)]
pub struct VitalsScreen {
    patient: Patient,
    stage: Stage,
    sheet: Vec<VitalSet>,
    selected: usize,
    policy: Option<Policy>,
    unit: TempUnit,
    /// The last save's result, or why reading failed.
    message: Option<(String, bool)>,
}

impl VitalsScreen {
    /// The census's `V` on an occupied bed: the flowsheet, and the audit of the read.
    pub fn open(row: &CensusRow, ctx: &Ctx<'_>) -> Cmd {
        let Some(patient) = Patient::of(row) else { return Cmd::None };
        let mut s = VitalsScreen {
            patient: patient.clone(),
            stage: Stage::Sheet,
            sheet: Vec::new(),
            selected: 0,
            policy: None,
            unit: ctx.temp_unit(),
            message: None,
        };
        if let Err(e) = s.reload(ctx) {
            return Cmd::error(e);
        }
        Cmd::Many(vec![
            Cmd::Write(Write::AuditRead { patient_ids: vec![patient.patient_id], what: "vital signs".into() }),
            Cmd::Open(Screen::Other(Box::new(s))),
        ])
    }

    /// A screen on the entry form at once (tests, and a caller that has the patient).
    pub fn entering(patient: Patient, ctx: &Ctx<'_>) -> Result<VitalsScreen, String> {
        let mut s = VitalsScreen {
            patient,
            stage: Stage::Sheet,
            sheet: Vec::new(),
            selected: 0,
            policy: None,
            unit: ctx.temp_unit(),
            message: None,
        };
        s.reload(ctx)?;
        s.stage = Stage::Entry(Box::new(entry_form(s.unit)));
        Ok(s)
    }

    fn reload(&mut self, ctx: &Ctx<'_>) -> Result<(), String> {
        self.sheet = ctx.store.flowsheet(self.patient.stay_id, SHEET_ROWS).map_err(|e| e.to_string())?;
        self.policy = Some(ctx.store.vitals_settings().map_err(|e| e.to_string())?.policy);
        self.selected = self.selected.min(self.sheet.len().saturating_sub(1));
        Ok(())
    }

    fn values(form: &Form) -> [String; 6] {
        [form.value(TEMP), form.value(HR), form.value(SBP), form.value(DBP), form.value(RR), form.value(SPO2)]
    }

    /// The set as typed so far, or why it is not one yet (the time aside).
    fn typed(form: &Form, unit: TempUnit) -> Result<(Vitals, Option<Breathing>, Option<Consciousness>), String> {
        let v = Self::values(form);
        let vitals = Vitals::parse([&v[0], &v[1], &v[2], &v[3], &v[4], &v[5]], unit)?;
        let breathing = match form.value(AIR).as_str() {
            "air" => Some(Breathing::Air),
            "oxygen" => Some(Breathing::Oxygen),
            _ => None,
        };
        let consciousness = Consciousness::ALL.into_iter().find(|c| c.label() == form.value(ACVPU));
        Ok((vitals, breathing, consciousness))
    }

    /// The live line: NEWS2 (or what is not measured) and what the unit's rule would prompt.
    fn live(&self, form: &Form) -> (String, ratatui::style::Style) {
        let (vitals, breathing, consciousness) = match Self::typed(form, self.unit) {
            Ok(t) => t,
            Err(e) => return (e, theme::due_soon()),
        };
        let obs = match Observations::from_vitals(&vitals, breathing, consciousness) {
            Ok(o) => o,
            Err(e) => return (e, theme::due_soon()),
        };
        let total = obs.total().to_string();
        match self.policy.as_ref().and_then(|p| evaluate(&obs, p)) {
            Some(alert) => (format!("{total} · * prompts notify provider: {alert}"), theme::severe()),
            None => {
                let rule =
                    self.policy.as_ref().map_or(String::new(), |p| format!(" · the unit prompts on {}", p.describe()));
                (format!("{total}{rule}"), theme::title())
            }
        }
    }

    fn build(&self, form: &Form, now: DateTime<Utc>, tz: Tz) -> Result<NewVitals, String> {
        let taken_at = parse_event_time("Time taken", &form.value(TAKEN), now, tz)?;
        let (vitals, breathing, consciousness) = Self::typed(form, self.unit)?;
        let comment = Some(form.value(COMMENT)).filter(|c| !c.trim().is_empty());
        let v = NewVitals { stay_id: self.patient.stay_id, taken_at, vitals, breathing, consciousness, comment };
        if v.is_empty() {
            return Err("No vital sign typed: an empty field is not measured, and a set needs at least one".into());
        }
        v.observations()?;
        Ok(v)
    }

    fn entry_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        let Stage::Entry(form) = &mut self.stage else { return Cmd::None };
        if k.code == KeyCode::F(1) {
            return Cmd::Help;
        }
        match form.handle_key(k) {
            FormEvent::Edited => {
                form.error = None;
                Cmd::None
            }
            FormEvent::Cancel => {
                use crate::tui::screens::emergency::DISCARD;
                if form.touched && form.error.as_deref() != Some(DISCARD) {
                    form.error = Some(DISCARD.into());
                    return Cmd::None;
                }
                self.stage = Stage::Sheet;
                Cmd::None
            }
            FormEvent::Submit => {
                let form = form.clone();
                match self.build(&form, ctx.now, ctx.tz) {
                    Ok(v) => Cmd::Write(Write::Vitals(v)),
                    Err(e) => {
                        if let Stage::Entry(f) = &mut self.stage {
                            if e.starts_with("Time taken") {
                                f.focus = TAKEN;
                            }
                            f.error = Some(e);
                        }
                        Cmd::None
                    }
                }
            }
        }
    }
}

impl Component for VitalsScreen {
    fn title(&self) -> String {
        match self.stage {
            Stage::Sheet => "Vital signs".into(),
            Stage::Entry(_) => "New set of vital signs".into(),
        }
    }

    fn hints(&self, _view: &View<'_>) -> (Hints, Hints) {
        match &self.stage {
            Stage::Sheet => hints(&[SHEET_KEYS], |_| true),
            Stage::Entry(form) => {
                let all = crate::tui::keymap::help_lines(form.keys, |_| true);
                (form.footer_hints(), all)
            }
        }
    }

    fn on_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        if matches!(self.stage, Stage::Entry(_)) {
            return self.entry_key(k, ctx);
        }
        match lookup(SHEET_KEYS, k, |_| true) {
            Some(VitalsAction::New) => {
                self.message = None;
                self.stage = Stage::Entry(Box::new(entry_form(self.unit)));
            }
            Some(VitalsAction::Up) => self.selected = self.selected.saturating_sub(1),
            Some(VitalsAction::Down) => self.selected = (self.selected + 1).min(self.sheet.len().saturating_sub(1)),
            Some(VitalsAction::Help) => return Cmd::Help,
            Some(VitalsAction::Back) => return Cmd::Back,
            None => {}
        }
        Cmd::None
    }

    fn on_paste(&mut self, text: &str, _ctx: &Ctx<'_>) -> Cmd {
        if let Stage::Entry(form) = &mut self.stage {
            form.paste(text);
        }
        Cmd::None
    }

    fn on_done(&mut self, done: Done, ctx: &Ctx<'_>) -> Cmd {
        let Done::VitalsRecorded(result) = done else { return Cmd::None };
        match result {
            Ok(r) => {
                let mut text = format!("Recorded: {}", r.set.news2_text());
                if let Some(a) = &r.set.alert {
                    text.push_str(&format!(" · * {a} · prompt raised: notify provider (C on the census)"));
                }
                self.message = Some((text, r.set.alert.is_some()));
                self.stage = Stage::Sheet;
                self.selected = 0;
                if let Err(e) = self.reload(ctx) {
                    self.message = Some((format!("Recorded, but the flowsheet could not be read: {e}"), true));
                }
            }
            Err(e) => {
                if let Stage::Entry(f) = &mut self.stage {
                    f.error = Some(format!("Not saved: {e}"));
                }
            }
        }
        Cmd::None
    }

    fn unsaved(&self) -> Option<String> {
        match &self.stage {
            Stage::Entry(f) if f.touched => {
                Some(format!("vital signs for bed {} · {}, not saved", self.patient.bed, self.patient.name))
            }
            _ => None,
        }
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        match &self.stage {
            Stage::Sheet => draw_sheet(f, area, self, view.now, view.tz),
            Stage::Entry(form) => {
                let (live, style) = self.live(form);
                let w = usize::from(area.width).saturating_sub(2);
                let live_lines = wrap(&live, w);
                let live_h = live_lines.len().clamp(1, 2) as u16;
                let [head, body, result, _] = Layout::vertical([
                    Constraint::Length(1),
                    Constraint::Length(form.height()),
                    Constraint::Length(live_h),
                    Constraint::Min(0),
                ])
                .areas(area);
                f.render_widget(Paragraph::new(self.patient.head("new set of vital signs", area.width)), head);
                form.draw_at(f, body, Some((view.now, view.tz)));
                let lines: Vec<Line<'static>> = live_lines
                    .into_iter()
                    .take(usize::from(live_h))
                    .map(|l| Line::from(Span::styled(format!(" {l}"), style)))
                    .collect();
                f.render_widget(Paragraph::new(lines), result);
            }
        }
    }
}

/// "▁▃▅▇" of the values oldest to newest; `·` where the parameter was not measured.
pub fn spark(values: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    let (lo, hi) = known.iter().fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(*v), h.max(*v)));
    values
        .iter()
        .map(|v| match v {
            None => '·',
            Some(_) if hi <= lo => BARS[3],
            Some(x) => BARS[(((x - lo) / (hi - lo)) * 7.0).round().clamp(0.0, 7.0) as usize],
        })
        .collect()
}

fn temp_text(c: Option<f64>, unit: TempUnit) -> String {
    c.map_or("—".into(), |c| match unit {
        TempUnit::C => format!("{c:.1}"),
        TempUnit::F => format!("{:.1}", c * 9.0 / 5.0 + 32.0),
    })
}

fn n(v: Option<u16>) -> String {
    v.map_or("—".into(), |x| x.to_string())
}

fn draw_sheet(f: &mut Frame<'_>, area: Rect, s: &VitalsScreen, now: DateTime<Utc>, tz: Tz) {
    let w = usize::from(area.width);
    let wide = w >= 72;
    let msg_lines = s.message.as_ref().map_or(Vec::new(), |(m, _)| wrap(m, w.saturating_sub(2)));
    let msg_h = msg_lines.len().min(2) as u16;
    let trend_h: u16 = if s.sheet.is_empty() { 0 } else { 6 };
    let [head, table, detail, trend, msg] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(2),
        Constraint::Length(trend_h),
        Constraint::Length(msg_h),
    ])
    .areas(area);
    f.render_widget(Paragraph::new(s.patient.head("vital signs (flowsheet, newest first)", area.width)), head);

    // The table.
    let mut lines = Vec::new();
    let by_w = if wide { w.saturating_sub(62) } else { w.saturating_sub(54) };
    let header = if wide {
        format!(
            " {:<10} {:>5} {:>3} {:>7} {:>3} {:>4} {:<3} {:<3} {:<7} {}",
            "taken", "T", "HR", "BP", "RR", "SpO2", "O2", "C", "NEWS2", "by"
        )
    } else {
        format!(" {:<10} {:>5} {:>3} {:>7} {:>3} {:>4} {:<7} {}", "taken", "T", "HR", "BP", "RR", "SpO2", "NEWS2", "by")
    };
    lines.push(Line::from(Span::styled(fit(&header, w), theme::table_header())));
    if s.sheet.is_empty() {
        lines.push(Line::from(Span::styled(" No vital signs recorded yet: n enters a set.", theme::hint())));
    }
    let h = usize::from(table.height).saturating_sub(1);
    let first = if s.selected >= h { s.selected + 1 - h } else { 0 };
    for (i, v) in s.sheet.iter().enumerate().skip(first).take(h) {
        let bp = match (v.vitals.bp_systolic, v.vitals.bp_diastolic) {
            (Some(a), Some(b)) => format!("{a}/{b}"),
            _ => "—".into(),
        };
        let news = match (v.news2, &v.alert) {
            (Some(t), Some(_)) => format!("*{t}"),
            (Some(t), None) => t.to_string(),
            (None, Some(_)) => "*inc".into(),
            (None, None) => "inc".into(),
        };
        let o2 = match v.breathing {
            Some(Breathing::Oxygen) => "O2",
            Some(Breathing::Air) => "air",
            None => "—",
        };
        let c = match v.consciousness {
            Some(Consciousness::Alert) => "A",
            Some(Consciousness::NewConfusion) => "C",
            Some(Consciousness::Voice) => "V",
            Some(Consciousness::Pain) => "P",
            Some(Consciousness::Unresponsive) => "U",
            None => "—",
        };
        let by = match &v.source {
            VitalSource::Vitals => inert(&v.by),
            VitalSource::Assessment(scale) => format!("{}: {}", scale.to_uppercase(), inert(&v.by)),
        };
        let taken = local_short(v.taken_at, now, tz);
        let row = if wide {
            format!(
                " {:<10} {:>5} {:>3} {:>7} {:>3} {:>4} {:<3} {:<3} {:<7} {}",
                taken,
                temp_text(v.vitals.temp_c, s.unit),
                n(v.vitals.heart_rate),
                bp,
                n(v.vitals.resp_rate),
                n(v.vitals.spo2),
                o2,
                c,
                news,
                fit(&by, by_w)
            )
        } else {
            format!(
                " {:<10} {:>5} {:>3} {:>7} {:>3} {:>4} {:<7} {}",
                taken,
                temp_text(v.vitals.temp_c, s.unit),
                n(v.vitals.heart_rate),
                bp,
                n(v.vitals.resp_rate),
                n(v.vitals.spo2),
                news,
                fit(&by, by_w)
            )
        };
        let mark = if i == s.selected { "▶" } else { " " };
        let style = if i == s.selected {
            theme::selected()
        } else if v.alert.is_some() {
            theme::severe()
        } else {
            theme::base()
        };
        lines.push(Line::from(Span::styled(fit(&format!("{mark}{}", &row[1..]), w), style)));
    }
    f.render_widget(Paragraph::new(lines), table);

    // The selected set in full: who, when, NEWS2 or what was not measured, the alert.
    if let Some(v) = s.sheet.get(s.selected) {
        let source = match &v.source {
            VitalSource::Vitals => String::new(),
            VitalSource::Assessment(scale) => format!(" with a {} score", scale.to_uppercase()),
        };
        let mut text = format!(
            "taken {}{source} · recorded {} by {} · {}",
            local_short(v.taken_at, now, tz),
            local_short(v.recorded_at, now, tz),
            inert(&v.by),
            v.news2_text()
        );
        if let Some(a) = &v.alert {
            text.push_str(&format!(" · * {}", inert(a)));
        }
        if let Some(c) = &v.comment {
            text.push_str(&format!(" · “{}”", inert(c)));
        }
        let lines: Vec<Line<'static>> = wrap(&text, w.saturating_sub(2))
            .into_iter()
            .take(2)
            .map(|l| Line::from(Span::styled(format!(" {l}"), theme::info())))
            .collect();
        f.render_widget(Paragraph::new(lines), detail);
    }

    // The trend, oldest to newest, of the sets shown (at most the width allows).
    if trend_h > 0 {
        let room = w.saturating_sub(20).max(4);
        let chron: Vec<&VitalSet> = s.sheet.iter().take(room).rev().collect();
        let series =
            |get: &dyn Fn(&VitalSet) -> Option<f64>| -> Vec<Option<f64>> { chron.iter().map(|v| get(v)).collect() };
        let rows: [(&str, Vec<Option<f64>>); 5] = [
            ("HR", series(&|v| v.vitals.heart_rate.map(f64::from))),
            ("SBP", series(&|v| v.vitals.bp_systolic.map(f64::from))),
            ("RR", series(&|v| v.vitals.resp_rate.map(f64::from))),
            ("SpO2", series(&|v| v.vitals.spo2.map(f64::from))),
            ("T", series(&|v| v.vitals.temp_c)),
        ];
        let mut lines =
            vec![Line::from(Span::styled(fit(" trend, oldest → newest (· not measured)", w), theme::hint()))];
        for (name, vals) in rows {
            let last =
                vals.iter().rev().flatten().next().map_or("—".to_string(), |x| {
                    if name == "T" { temp_text(Some(*x), s.unit) } else { format!("{x:.0}") }
                });
            lines.push(Line::from(vec![
                Span::styled(format!(" {name:<5}"), theme::label()),
                Span::raw(spark(&vals)),
                Span::styled(format!("  {last}"), theme::base()),
            ]));
        }
        f.render_widget(Paragraph::new(lines), trend);
    }

    if let Some((_, error)) = &s.message {
        let style = if *error { theme::severe() } else { theme::info() };
        let lines: Vec<Line<'static>> =
            msg_lines.into_iter().take(2).map(|l| Line::from(Span::styled(format!(" {l}"), style))).collect();
        f.render_widget(Paragraph::new(lines), msg);
    }
}

#[cfg(test)]
mod tests {
    use super::spark;

    #[test]
    fn spark_marks_what_was_not_measured() {
        assert_eq!(spark(&[Some(60.0), None, Some(120.0), Some(90.0)]), "▁·█▅");
        assert_eq!(spark(&[Some(80.0), Some(80.0)]), "▄▄");
        assert_eq!(spark(&[None]), "·");
    }
}
