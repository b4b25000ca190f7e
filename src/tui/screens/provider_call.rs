//! The call to the provider and the open prompts (issue 17 point 4): the census's `C` lists the
//! patient's open prompts ("notify provider" after a breach, an emergency's follow-ups) and the
//! calls of the last 24 hours, each with who and when. Space ticks the prompts a call answers
//! (nothing is ticked for her), `c` documents the call: provider, time, reason (pre-filled from
//! the ticked prompts' words as a suggestion she edits, SBAR), response. `x` dismisses the
//! selected prompt with a reason. A prompt is done only by a recorded call or a dismissal.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::census::CensusRow;
use crate::domain::provider_call::{Call, NewCall, Prompt, PromptKind, suggested_reason};
use crate::domain::text::{fit, inert};
use crate::domain::time::{TimeRule, local_short, parse_event_time};
use crate::tui::app::Screen;
use crate::tui::component::{Cmd, Component, Ctx, Done, View, Write};
use crate::tui::keymap::{Binding, Hints, Key, help_lines, hints, lookup};
use crate::tui::screens::scoring::wrap;
use crate::tui::screens::vitals::Patient;
use crate::tui::theme;
use crate::tui::widgets::form::{Field, Form, FormEvent};

/// How far back the screen lists calls.
const CALLS_HOURS: i64 = 24;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallAction {
    Tick,
    Call,
    Dismiss,
    Up,
    Down,
    Help,
    Back,
}

#[rustfmt::skip]
pub static LIST_KEYS: &[Binding<CallAction>] = &[
    Binding::foot(&[Key::ch(' ')],                            CallAction::Tick,    "tick",    "Tick or untick the prompt as answered by the call (nothing is ticked for you)"),
    Binding::foot(&[Key::ch('c')],                            CallAction::Call,    "call",    "Document a call to the provider; it closes the ticked prompts"),
    Binding::foot(&[Key::ch('x')],                            CallAction::Dismiss, "dismiss", "Dismiss the selected prompt, with a reason"),
    Binding::help(&[Key::plain(KeyCode::Up), Key::ch('k')],   CallAction::Up,      "up",      "Previous / next prompt"),
    Binding::help(&[Key::plain(KeyCode::Down), Key::ch('j')], CallAction::Down,    "down",    "Previous / next prompt"),
    Binding::foot(&[Key::ch('?'), Key::plain(KeyCode::F(1))], CallAction::Help,    "help",    "Show every key of this screen"),
    Binding::foot(&[Key::plain(KeyCode::Esc)],                CallAction::Back,    "back",    "Back to the census"),
];

#[derive(Clone, Debug)]
enum Stage {
    List,
    Call(Box<Form>),
    Dismiss { prompt_id: i64, form: Box<Form> },
}

#[derive(Clone, Debug)]
pub struct CallScreen {
    patient: Patient,
    stage: Stage,
    prompts: Vec<Prompt>,
    ticked: Vec<i64>,
    calls: Vec<Call>,
    selected: usize,
    message: Option<(String, bool)>,
}

/// How far back an order may have been entered to be the call's new order.
const NEW_ORDER_HOURS: i64 = 2;

/// The call form. `orders` are the patient's running orders entered in the last
/// [`NEW_ORDER_HOURS`] (a telephone order is entered in the MAR while on the phone, then the call
/// is documented): the nurse says which one the call gave, or none; nothing is chosen for her.
fn call_form(reason: &str, orders: &[(i64, String)]) -> Form {
    let mut options = vec![("none".to_string(), "none on this call".to_string())];
    options.extend(orders.iter().map(|(id, what)| (id.to_string(), what.clone())));
    Form::new(
        "Call to the provider",
        vec![
            Field::text("Provider called", "who was called (name, role)"),
            Field::time("Called at", "now, -15m, 08:30 or YYYY-MM-DD HH:MM (ward time)", TimeRule::Charted),
            Field::text("Reason (SBAR)", "situation, background, assessment, recommendation; edit the suggestion")
                .with_text(reason),
            Field::text("Response", "what the provider said or ordered"),
            Field::choice(
                "New order",
                "←/→ the order this call gave (enter it in the MAR first: m, o), or none",
                options,
            ),
        ],
    )
    .with_verb("save call")
}

fn dismiss_form(why: &str) -> Form {
    let mut f = Form::new("Dismiss a prompt", vec![Field::text("Reason", "why no call is needed (required)")])
        .with_verb("dismiss");
    f.intro = vec![format!("Prompt: {why}")];
    f
}

/// The stay's running orders entered in the last [`NEW_ORDER_HOURS`], newest first, as the form
/// lists them: "lorazepam 2 mg PO PRN ... (telephone, 03:10)".
fn recent_orders(ctx: &Ctx<'_>, stay_id: i64) -> Result<Vec<(i64, String)>, String> {
    let since = ctx.now - chrono::Duration::hours(NEW_ORDER_HOURS);
    let mut out: Vec<(i64, String)> = ctx
        .store
        .orders_of_stay(stay_id)
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|o| o.stop.is_none() && o.entered_at >= since)
        .map(|o| {
            let when = crate::domain::time::local_short(o.entered_at, ctx.now, ctx.tz);
            (o.id, format!("{} ({}, {when})", o.summary(), o.mode.as_db()))
        })
        .collect();
    out.reverse();
    Ok(out)
}

impl CallScreen {
    /// The census's `C` on an occupied bed.
    pub fn open(row: &CensusRow, ctx: &Ctx<'_>) -> Cmd {
        let Some(patient) = Patient::of(row) else { return Cmd::None };
        let mut s = CallScreen {
            patient: patient.clone(),
            stage: Stage::List,
            prompts: Vec::new(),
            ticked: Vec::new(),
            calls: Vec::new(),
            selected: 0,
            message: None,
        };
        if let Err(e) = s.reload(ctx) {
            return Cmd::error(e);
        }
        Cmd::Many(vec![
            Cmd::Write(Write::AuditRead { patient_ids: vec![patient.patient_id], what: "prompts and calls".into() }),
            Cmd::Open(Screen::Other(Box::new(s))),
        ])
    }

    fn reload(&mut self, ctx: &Ctx<'_>) -> Result<(), String> {
        self.prompts = ctx.store.open_prompts(self.patient.stay_id).map_err(|e| e.to_string())?;
        self.calls = ctx.store.recent_calls(self.patient.stay_id, CALLS_HOURS, ctx.now).map_err(|e| e.to_string())?;
        self.ticked.retain(|id| self.prompts.iter().any(|p| p.id == *id));
        self.selected = self.selected.min(self.prompts.len().saturating_sub(1));
        Ok(())
    }

    fn build_call(&self, form: &Form, now: DateTime<Utc>, tz: Tz) -> Result<NewCall, String> {
        let called_at = parse_event_time("Called at", &form.value(1), now, tz)?;
        let c = NewCall {
            stay_id: self.patient.stay_id,
            provider: form.value(0),
            called_at,
            reason: form.value(2),
            response: form.value(3),
            new_order: None,
            answers: self.ticked.clone(),
        };
        c.validate(now)?;
        // After the fields above it, so the messages come in the form's order.
        let c = NewCall {
            new_order: match form.value(4).as_str() {
                "" => return Err("New order: choose the order this call gave, or none".into()),
                "none" => None,
                id => Some(id.parse().map_err(|_| "New order: choose from the list".to_string())?),
            },
            ..c
        };
        Ok(c)
    }

    fn form_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        if k.code == KeyCode::F(1) {
            return Cmd::Help;
        }
        let (form, dismissing) = match &mut self.stage {
            Stage::Call(f) => (f.as_mut(), None),
            Stage::Dismiss { prompt_id, form } => (form.as_mut(), Some(*prompt_id)),
            Stage::List => return Cmd::None,
        };
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
                self.stage = Stage::List;
                Cmd::None
            }
            FormEvent::Submit => match dismissing {
                Some(prompt_id) => {
                    let reason = form.value(0);
                    if reason.trim().is_empty() {
                        form.error =
                            Some("Reason: say why no call is needed; a prompt is dismissed only with one".into());
                        return Cmd::None;
                    }
                    Cmd::Write(Write::DismissPrompt { prompt_id, reason })
                }
                None => {
                    let snapshot = form.clone();
                    match self.build_call(&snapshot, ctx.now, ctx.tz) {
                        Ok(c) => Cmd::Write(Write::ProviderCall(c)),
                        Err(e) => {
                            if let Stage::Call(f) = &mut self.stage {
                                if e.starts_with("Called at") {
                                    f.focus = 1;
                                }
                                f.error = Some(e);
                            }
                            Cmd::None
                        }
                    }
                }
            },
        }
    }

    fn done(&mut self, ok: Result<String, String>, ctx: &Ctx<'_>) -> Cmd {
        match ok {
            Ok(text) => {
                self.stage = Stage::List;
                self.ticked.clear();
                self.message = Some((text, false));
                if let Err(e) = self.reload(ctx) {
                    self.message = Some((format!("Saved, but the prompts could not be read again: {e}"), true));
                }
            }
            Err(e) => match &mut self.stage {
                Stage::Call(f) => {
                    // Another terminal may have closed a ticked prompt: read them again, so the
                    // next save answers only what is still open (the form says which).
                    f.error = Some(format!("Not saved: {e}"));
                    let _ = self.reload(ctx);
                }
                Stage::Dismiss { form, .. } => form.error = Some(format!("Not saved: {e}")),
                Stage::List => self.message = Some((format!("Not saved: {e}"), true)),
            },
        }
        Cmd::None
    }
}

impl Component for CallScreen {
    fn title(&self) -> String {
        match self.stage {
            Stage::List => "Prompts and calls".into(),
            Stage::Call(_) => "Call to the provider".into(),
            Stage::Dismiss { .. } => "Dismiss a prompt".into(),
        }
    }

    fn hints(&self, _view: &View<'_>) -> (Hints, Hints) {
        match &self.stage {
            Stage::List => hints(&[LIST_KEYS], |_| true),
            Stage::Call(form) | Stage::Dismiss { form, .. } => (form.footer_hints(), help_lines(form.keys, |_| true)),
        }
    }

    fn on_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        if !matches!(self.stage, Stage::List) {
            return self.form_key(k, ctx);
        }
        let action = lookup(LIST_KEYS, k, |_| true);
        if action.is_some() {
            self.message = None;
        }
        match action {
            Some(CallAction::Tick) => {
                let Some(p) = self.prompts.get(self.selected) else {
                    self.message = Some(("There is no open prompt to tick.".into(), true));
                    return Cmd::None;
                };
                if let Some(i) = self.ticked.iter().position(|id| *id == p.id) {
                    self.ticked.remove(i);
                } else {
                    self.ticked.push(p.id);
                }
            }
            Some(CallAction::Call) => {
                let whys: Vec<&str> =
                    self.prompts.iter().filter(|p| self.ticked.contains(&p.id)).map(|p| p.why.as_str()).collect();
                let orders = match recent_orders(ctx, self.patient.stay_id) {
                    Ok(o) => o,
                    Err(e) => return Cmd::error(e),
                };
                self.stage = Stage::Call(Box::new(call_form(&suggested_reason(&whys), &orders)));
            }
            Some(CallAction::Dismiss) => match self.prompts.get(self.selected) {
                Some(p) => self.stage = Stage::Dismiss { prompt_id: p.id, form: Box::new(dismiss_form(&p.why)) },
                None => self.message = Some(("There is no open prompt to dismiss.".into(), true)),
            },
            Some(CallAction::Up) => self.selected = self.selected.saturating_sub(1),
            Some(CallAction::Down) => self.selected = (self.selected + 1).min(self.prompts.len().saturating_sub(1)),
            Some(CallAction::Help) => return Cmd::Help,
            Some(CallAction::Back) => return Cmd::Back,
            None => {}
        }
        Cmd::None
    }

    fn on_paste(&mut self, text: &str, _ctx: &Ctx<'_>) -> Cmd {
        match &mut self.stage {
            Stage::Call(f) | Stage::Dismiss { form: f, .. } => f.paste(text),
            Stage::List => {}
        }
        Cmd::None
    }

    fn on_done(&mut self, done: Done, ctx: &Ctx<'_>) -> Cmd {
        match done {
            Done::CallRecorded(r) => {
                let n = self.ticked.len();
                let text = match n {
                    0 => "Call documented (it answered no open prompt).".to_string(),
                    1 => "Call documented; 1 prompt closed by it.".to_string(),
                    n => format!("Call documented; {n} prompts closed by it."),
                };
                self.done(r.map(|_| text), ctx)
            }
            Done::PromptDismissed(r) => self.done(r.map(|()| "Prompt dismissed, with its reason.".to_string()), ctx),
            _ => Cmd::None,
        }
    }

    fn unsaved(&self) -> Option<String> {
        match &self.stage {
            Stage::Call(f) if f.touched => {
                Some(format!("a call for bed {} · {}, not saved", self.patient.bed, self.patient.name))
            }
            Stage::Dismiss { form, .. } if form.touched => Some("a prompt's dismissal, not saved".into()),
            _ => None,
        }
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        let (now, tz) = (view.now, view.tz);
        match &self.stage {
            Stage::List => draw_list(f, area, self, now, tz),
            Stage::Call(form) | Stage::Dismiss { form, .. } => {
                let ticked: Vec<String> = self
                    .prompts
                    .iter()
                    .filter(|p| self.ticked.contains(&p.id))
                    .map(|p| format!("{} ({})", inert(&p.why), local_short(p.raised_at, now, tz)))
                    .collect();
                let answers = if matches!(self.stage, Stage::Call(_)) {
                    if ticked.is_empty() {
                        "Answers no open prompt (Esc, then Space to tick one).".to_string()
                    } else {
                        format!("Closes: {}", ticked.join("; "))
                    }
                } else {
                    String::new()
                };
                let w = usize::from(area.width).saturating_sub(2);
                let lines = wrap(&answers, w);
                let h = if answers.is_empty() { 0 } else { lines.len().min(3) as u16 };
                let [head, body, foot, _] = Layout::vertical([
                    Constraint::Length(1),
                    Constraint::Length(form.height()),
                    Constraint::Length(h),
                    Constraint::Min(0),
                ])
                .areas(area);
                f.render_widget(Paragraph::new(self.patient.head(&self.title().to_lowercase(), area.width)), head);
                form.draw_at(f, body, Some((now, tz)));
                let lines: Vec<Line<'static>> = lines
                    .into_iter()
                    .take(usize::from(h))
                    .map(|l| Line::from(Span::styled(format!(" {l}"), theme::info())))
                    .collect();
                f.render_widget(Paragraph::new(lines), foot);
            }
        }
    }
}

fn draw_list(f: &mut Frame<'_>, area: Rect, s: &CallScreen, now: DateTime<Utc>, tz: Tz) {
    let w = usize::from(area.width);
    let msg = s.message.as_ref().map_or(Vec::new(), |(m, _)| wrap(m, w.saturating_sub(2)));
    let msg_h = msg.len().min(2) as u16;
    let calls_h = (s.calls.len() * 2 + 1).clamp(2, 7) as u16;
    let detail_h: u16 = if s.prompts.is_empty() { 0 } else { 2 };
    let [head, list, detail, calls, message] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(detail_h),
        Constraint::Length(calls_h),
        Constraint::Length(msg_h),
    ])
    .areas(area);
    f.render_widget(Paragraph::new(s.patient.head("open prompts and calls to the provider", area.width)), head);
    let mut lines = vec![Line::from(Span::styled(
        fit(" Open prompts (done only by a call or a dismissal)", w),
        theme::table_header(),
    ))];
    if s.prompts.is_empty() {
        lines.push(Line::from(Span::styled(" No open prompt. c documents a call all the same.", theme::hint())));
    }
    let h = usize::from(list.height).saturating_sub(1);
    let first = if s.selected >= h { s.selected + 1 - h } else { 0 };
    for (i, p) in s.prompts.iter().enumerate().skip(first).take(h) {
        let tick = if s.ticked.contains(&p.id) { "[x]" } else { "[ ]" };
        let mark = if i == s.selected { "▶" } else { " " };
        let kind = match p.kind {
            PromptKind::Notify => format!("* notify ({})", p.source),
            PromptKind::FollowUp => match p.due_at {
                Some(d) if d <= now => format!("! due {}", local_short(d, now, tz)),
                Some(d) => format!("due {}", local_short(d, now, tz)),
                None => "follow-up".into(),
            },
        };
        let text = format!("{mark}{tick} {:<5} {:<16} {}", local_short(p.raised_at, now, tz), kind, inert(&p.why));
        let style = if i == s.selected {
            theme::selected()
        } else if p.kind == PromptKind::Notify {
            theme::severe()
        } else {
            theme::base()
        };
        lines.push(Line::from(Span::styled(fit(&text, w), style)));
    }
    f.render_widget(Paragraph::new(lines), list);
    // The selected prompt in full: what, when raised, from what, when due.
    if let Some(p) = s.prompts.get(s.selected) {
        let due = p.due_at.map_or(String::new(), |d| format!(" · due {}", local_short(d, now, tz)));
        let text = format!(
            "{}: {} · raised {} by {}{due}",
            p.kind.label(),
            inert(&p.why),
            local_short(p.raised_at, now, tz),
            match p.source.as_str() {
                "vitals" => "the vital signs",
                "event" => "the emergency",
                "hold" => "a held dose",
                "score" => "a score",
                other => other,
            }
        );
        let lines: Vec<Line<'static>> = wrap(&text, w.saturating_sub(2))
            .into_iter()
            .take(2)
            .map(|l| Line::from(Span::styled(format!(" {l}"), theme::info())))
            .collect();
        f.render_widget(Paragraph::new(lines), detail);
    }

    let mut lines =
        vec![Line::from(Span::styled(fit(&format!(" Calls, last {CALLS_HOURS} h"), w), theme::table_header()))];
    if s.calls.is_empty() {
        lines.push(Line::from(Span::styled(" None documented.", theme::hint())));
    }
    for c in s.calls.iter().rev().take(3) {
        lines.push(Line::from(fit(
            &format!(
                " {} {} · by {} · recorded {}",
                local_short(c.called_at, now, tz),
                inert(&c.provider),
                inert(&c.by),
                local_short(c.recorded_at, now, tz)
            ),
            w,
        )));
        lines.push(Line::from(Span::styled(
            fit(&format!("   response: {} · why: {}", inert(&c.response), inert(&c.reason)), w),
            theme::hint(),
        )));
    }
    f.render_widget(Paragraph::new(lines), calls);
    if let Some((_, error)) = &s.message {
        let style = if *error { theme::error() } else { theme::info() };
        let lines: Vec<Line<'static>> =
            msg.into_iter().take(2).map(|l| Line::from(Span::styled(format!(" {l}"), style))).collect();
        f.render_widget(Paragraph::new(lines), message);
    }
}
