//! Emergencies charted as they happen (issue 17 point 5): the census's `E`, a letter for the kind
//! (s seizure, f fall, o suspected overdose, r rapid response, c code), the fields, Ctrl-S. A
//! suspected overdose asks whether naloxone was given (chosen, never defaulted) and then its
//! dose, route, time and response. Once saved the screen says the follow-ups the unit's settings
//! set (a Morse after a fall, vitals after naloxone), each with its due time.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::census::CensusRow;
use crate::domain::emergency::{EventKind, NALOXONE_ROUTES, Naloxone, NewEvent};
use crate::domain::text::{fit, inert};
use crate::domain::time::{TimeRule, local_short, parse_event_time};
use crate::store::events::RecordedEvent;
use crate::tui::app::Screen;
use crate::tui::component::{Cmd, Component, Ctx, Done, View, Write};
use crate::tui::keymap::{Binding, Hints, Key, help_lines, hints, lookup};
use crate::tui::screens::scoring::wrap;
use crate::tui::screens::vitals::Patient;
use crate::tui::theme;
use crate::tui::widgets::form::{Field, Form, FormEvent};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventAction {
    Seizure,
    Fall,
    Overdose,
    RapidResponse,
    Code,
    Help,
    Back,
}

#[rustfmt::skip]
pub static PICK_KEYS: &[Binding<EventAction>] = &[
    Binding::foot(&[Key::ch('s')],               EventAction::Seizure,       "seizure",  "Seizure"),
    Binding::foot(&[Key::ch('f')],               EventAction::Fall,          "fall",     "Fall (a Morse screen is then due)"),
    Binding::foot(&[Key::ch('o')],               EventAction::Overdose,      "overdose", "Suspected overdose (naloxone: dose, route, time, response)"),
    Binding::foot(&[Key::ch('r')],               EventAction::RapidResponse, "rapid",    "Rapid response call"),
    Binding::foot(&[Key::ch('c')],               EventAction::Code,          "code",     "Code"),
    Binding::help(&[Key::ch('?'), Key::plain(KeyCode::F(1))], EventAction::Help, "help", "Show every key of this screen"),
    Binding::foot(&[Key::plain(KeyCode::Esc)],   EventAction::Back,          "cancel",   "Back to the census, nothing recorded"),
];

#[rustfmt::skip]
static SAVED_KEYS: &[Binding<EventAction>] = &[
    Binding::foot(&[Key::plain(KeyCode::Enter), Key::plain(KeyCode::Esc)], EventAction::Back, "back", "Back to the census"),
    Binding::help(&[Key::ch('?'), Key::plain(KeyCode::F(1))],             EventAction::Help, "help", "Show every key of this screen"),
];

const STARTED: usize = 0;
const ENDED: usize = 1;
const ACTIONS: usize = 2;
const CALLED: usize = 3;
const OUTCOME: usize = 4;
const NALOXONE: usize = 5;
const DOSE: usize = 6;
const ROUTE: usize = 7;
const NAL_AT: usize = 8;
const RESPONSE: usize = 9;

const TIME_HINT: &str = "now, -15m, 08:30 or YYYY-MM-DD HH:MM (ward time)";

fn event_form(kind: EventKind) -> Form {
    let mut fields = vec![
        Field::time("Started", TIME_HINT, TimeRule::Charted),
        Field::time("Ended", "empty = still going or not known; else as Started", TimeRule::Charted),
        Field::text("Actions taken", "what was done, in order (required)"),
        Field::text("Who was called", "provider, team, 911, or 'nobody' (required)"),
        Field::text("Outcome", "how the patient is now (required)"),
    ];
    if kind == EventKind::Overdose {
        fields.push(Field::choice(
            "Naloxone given",
            "←/→ choose: nothing is chosen for you",
            vec![("no".into(), "no".into()), ("yes".into(), "yes".into())],
        ));
        fields.push(Field::text("Naloxone dose", "as given, with units, e.g. 4 mg (never proposed)"));
        fields.push(Field::choice(
            "Naloxone route",
            "←/→ IN intranasal · IM · IV · SC",
            NALOXONE_ROUTES.iter().map(|r| ((*r).to_string(), (*r).to_string())).collect(),
        ));
        fields.push(Field::time("Naloxone at", TIME_HINT, TimeRule::Charted));
        fields.push(Field::text("Naloxone response", "e.g. RR 14 and rousable in 3 min"));
    }
    Form::new(kind.label(), fields).with_verb("save")
}

#[derive(Clone, Debug)]
enum Stage {
    Pick,
    Fields(EventKind, Box<Form>),
    Saved(Box<RecordedEvent>),
}

#[derive(Clone, Debug)]
pub struct EmergencyScreen {
    patient: Patient,
    stage: Stage,
}

impl EmergencyScreen {
    /// The census's `E` on an occupied bed: the kind picker.
    pub fn open(row: &CensusRow, _ctx: &Ctx<'_>) -> Cmd {
        let Some(patient) = Patient::of(row) else { return Cmd::None };
        Cmd::Open(Screen::Other(Box::new(EmergencyScreen { patient, stage: Stage::Pick })))
    }

    fn build(&self, kind: EventKind, form: &Form, now: DateTime<Utc>, tz: Tz) -> Result<NewEvent, String> {
        let started_at = parse_event_time("Started", &form.value(STARTED), now, tz)?;
        let ended = form.value(ENDED);
        let ended_at = if ended.trim().is_empty() { None } else { Some(parse_event_time("Ended", &ended, now, tz)?) };
        let naloxone = if kind == EventKind::Overdose {
            let typed = [DOSE, ROUTE, NAL_AT, RESPONSE].iter().any(|i| !form.value(*i).trim().is_empty());
            match form.value(NALOXONE).as_str() {
                "yes" => Some(Naloxone {
                    dose: form.value(DOSE),
                    route: form.value(ROUTE),
                    at: parse_event_time("Naloxone at", &form.value(NAL_AT), now, tz)?,
                    response: form.value(RESPONSE),
                }),
                "no" if typed => {
                    return Err("Naloxone given: no, yet a naloxone field is filled in; clear it or choose yes".into());
                }
                "no" => None,
                _ => return Err("Naloxone given: choose yes or no with ←/→".into()),
            }
        } else {
            None
        };
        let e = NewEvent {
            stay_id: self.patient.stay_id,
            kind,
            started_at,
            ended_at,
            actions: form.value(ACTIONS),
            called: form.value(CALLED),
            outcome: form.value(OUTCOME),
            naloxone,
        };
        e.validate(now)?;
        Ok(e)
    }

    /// Put the cursor on the field a refusal names.
    fn focus_for(e: &str) -> Option<usize> {
        [
            ("Started", STARTED),
            ("Ended", ENDED),
            ("Actions", ACTIONS),
            ("Who was called", CALLED),
            ("Outcome", OUTCOME),
            ("Naloxone given", NALOXONE),
            ("Naloxone dose", DOSE),
            ("Naloxone route", ROUTE),
            ("Naloxone time", NAL_AT),
            ("Naloxone at", NAL_AT),
            ("Naloxone response", RESPONSE),
        ]
        .iter()
        .find(|(p, _)| e.starts_with(p))
        .map(|(_, i)| *i)
    }
}

impl Component for EmergencyScreen {
    fn title(&self) -> String {
        match &self.stage {
            Stage::Pick => "Emergency".into(),
            Stage::Fields(k, _) => k.label().into(),
            Stage::Saved(r) => r.event.kind.label().into(),
        }
    }

    fn hints(&self, _view: &View<'_>) -> (Hints, Hints) {
        match &self.stage {
            Stage::Pick => hints(&[PICK_KEYS], |_| true),
            Stage::Fields(_, form) => (form.footer_hints(), help_lines(form.keys, |_| true)),
            Stage::Saved(_) => hints(&[SAVED_KEYS], |_| true),
        }
    }

    fn on_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        match &mut self.stage {
            Stage::Pick => {
                let kind = match lookup(PICK_KEYS, k, |_| true) {
                    Some(EventAction::Seizure) => EventKind::Seizure,
                    Some(EventAction::Fall) => EventKind::Fall,
                    Some(EventAction::Overdose) => EventKind::Overdose,
                    Some(EventAction::RapidResponse) => EventKind::RapidResponse,
                    Some(EventAction::Code) => EventKind::Code,
                    Some(EventAction::Help) => return Cmd::Help,
                    Some(EventAction::Back) => return Cmd::Back,
                    None => return Cmd::None,
                };
                self.stage = Stage::Fields(kind, Box::new(event_form(kind)));
                Cmd::None
            }
            Stage::Fields(kind, form) => {
                if k.code == KeyCode::F(1) {
                    return Cmd::Help;
                }
                let kind = *kind;
                match form.handle_key(k) {
                    FormEvent::Edited => {
                        form.error = None;
                        Cmd::None
                    }
                    FormEvent::Cancel => {
                        // Esc with typed work goes back to the picker only once the work is gone.
                        if form.touched && form.error.as_deref() != Some(DISCARD) {
                            form.error = Some(DISCARD.into());
                            return Cmd::None;
                        }
                        self.stage = Stage::Pick;
                        Cmd::None
                    }
                    FormEvent::Submit => {
                        let snapshot = (**form).clone();
                        match self.build(kind, &snapshot, ctx.now, ctx.tz) {
                            Ok(e) => Cmd::Write(Write::Event(e)),
                            Err(e) => {
                                if let Stage::Fields(_, f) = &mut self.stage {
                                    if let Some(i) = Self::focus_for(&e) {
                                        f.focus = i;
                                    }
                                    f.error = Some(e);
                                }
                                Cmd::None
                            }
                        }
                    }
                }
            }
            Stage::Saved(_) => match lookup(SAVED_KEYS, k, |_| true) {
                Some(EventAction::Back) => Cmd::Back,
                Some(EventAction::Help) => Cmd::Help,
                _ => Cmd::None,
            },
        }
    }

    fn on_paste(&mut self, text: &str, _ctx: &Ctx<'_>) -> Cmd {
        if let Stage::Fields(_, form) = &mut self.stage {
            form.paste(text);
        }
        Cmd::None
    }

    fn on_done(&mut self, done: Done, _ctx: &Ctx<'_>) -> Cmd {
        let Done::EventRecorded(r) = done else { return Cmd::None };
        match r {
            Ok(rec) => self.stage = Stage::Saved(Box::new(rec)),
            Err(e) => {
                if let Stage::Fields(_, f) = &mut self.stage {
                    f.error = Some(format!("Not saved: {e}"));
                }
            }
        }
        Cmd::None
    }

    fn unsaved(&self) -> Option<String> {
        match &self.stage {
            Stage::Fields(k, f) if f.touched => Some(format!(
                "{} for bed {} · {}, not saved",
                k.label().to_lowercase(),
                self.patient.bed,
                self.patient.name
            )),
            _ => None,
        }
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        let (now, tz) = (view.now, view.tz);
        let w = usize::from(area.width).saturating_sub(2);
        match &self.stage {
            Stage::Pick => {
                let mut lines =
                    vec![self.patient.head("emergency", area.width), Line::from(""), Line::from(" What happened?")];
                for b in PICK_KEYS.iter().filter(|b| !matches!(b.action, EventAction::Back | EventAction::Help)) {
                    lines.push(Line::from(fit(&format!("   {}  {}", b.key_names(), b.help), usize::from(area.width))));
                }
                lines.push(Line::from(""));
                for l in wrap(
                    "Charted as it happens: its times, the actions taken, who was called and the outcome. Esc cancels: nothing is recorded.",
                    w,
                ) {
                    lines.push(Line::from(Span::styled(format!(" {l}"), theme::hint())));
                }
                f.render_widget(Paragraph::new(lines), area);
            }
            Stage::Fields(kind, form) => {
                let [head, body, _] =
                    Layout::vertical([Constraint::Length(1), Constraint::Length(form.height()), Constraint::Min(0)])
                        .areas(area);
                f.render_widget(Paragraph::new(self.patient.head(&kind.label().to_lowercase(), area.width)), head);
                form.draw_at(f, body, Some((now, tz)));
            }
            Stage::Saved(r) => {
                let e = &r.event;
                let mut lines = vec![self.patient.head(&e.kind.label().to_lowercase(), area.width)];
                let mut push = |text: &str, style| {
                    for l in wrap(text, w) {
                        lines.push(Line::from(Span::styled(format!(" {l}"), style)));
                    }
                };
                let ended = e.ended_at.map_or("not ended / not known".to_string(), |t| local_short(t, now, tz));
                push(
                    &format!(
                        "Recorded: {} started {} · ended {}",
                        e.kind.label(),
                        local_short(e.started_at, now, tz),
                        ended
                    ),
                    theme::title(),
                );
                push(&format!("recorded {} by {}", local_short(e.recorded_at, now, tz), inert(&e.by)), theme::base());
                push(&format!("actions: {}", inert(&e.actions)), theme::base());
                push(&format!("called: {} · outcome: {}", inert(&e.called), inert(&e.outcome)), theme::base());
                if let Some(n) = &e.naloxone {
                    push(
                        &format!(
                            "naloxone {} {} at {} · response: {}",
                            inert(&n.dose),
                            n.route,
                            local_short(n.at, now, tz),
                            inert(&n.response)
                        ),
                        theme::base(),
                    );
                }
                if r.follow_ups.is_empty() {
                    push("No follow-up set by the unit for this event.", theme::hint());
                } else {
                    push(&format!("Follow-ups set ({}), open on C until done:", r.follow_ups.len()), theme::info());
                    for p in &r.follow_ups {
                        let due = p.due_at.map_or(String::new(), |d| format!("due {} · ", local_short(d, now, tz)));
                        push(&format!("  {due}{}", inert(&p.why)), theme::info());
                    }
                }
                push("Enter or Esc: back", theme::hint());
                f.render_widget(Paragraph::new(lines), area);
            }
        }
    }
}

/// What the first Esc over typed work says (the second discards it).
pub const DISCARD: &str = "Unsaved: press Esc again to discard what you typed, or Ctrl-S to save.";
