//! The ward's shift handoff, keyboard-driven: a list of every occupied bed with where its handoff
//! stands, and one screen per patient in I-PASS order, readable at 80x24.
use std::cell::Cell;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::domain::handoff::{self, PatientHandoff, Status, progress};
use crate::domain::shift::{ShiftWindow, describe, next_shift, shift_at};
use crate::domain::text::inert;
use crate::domain::time::{local_short, parse_event_time_allowing_future};
use crate::domain::user::{Action, Role, can};
use crate::store::Store;
use crate::tui::app::Screen;
use crate::tui::component::{Cmd, Component, Ctx, Done, Received, View, Write};
use crate::tui::keymap::{Binding, Hints, Key, hints, lookup};
use crate::tui::screens::dialog::{Dialog, DialogKind};
use crate::tui::screens::handoff_forms;
use crate::tui::screens::handoff_prepare::{self, PrepareEditor, PrepareEffect};
use crate::tui::theme;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandoffAction {
    Up,
    Down,
    Open,
    NextPatient,
    PrevPatient,
    Order,
    PageDown,
    PageUp,
    Prepare,
    AddItem,
    CloseItem,
    Accept,
    Assign,
    Help,
    Back,
}

#[rustfmt::skip]
pub static KEYS: &[Binding<HandoffAction>] = &[
    Binding::help(&[Key::plain(KeyCode::Up), Key::ch('k')], HandoffAction::Up,        "up",         "Previous / next bed in the list"),
    Binding::help(&[Key::plain(KeyCode::Down), Key::ch('j')], HandoffAction::Down,    "down",       "Previous / next bed in the list"),
    Binding::foot(&[Key::plain(KeyCode::Enter)],            HandoffAction::Open,      "open",       "Open the patient's I-PASS page"),
    Binding::foot(&[Key::ch('n'), Key::plain(KeyCode::Right)], HandoffAction::NextPatient, "next patient", "Next / previous patient (in the chosen order)"),
    Binding::help(&[Key::ch('p'), Key::plain(KeyCode::Left)], HandoffAction::PrevPatient, "previous", "Next / previous patient (in the chosen order)"),
    Binding::foot(&[Key::plain(KeyCode::PageDown)],         HandoffAction::PageDown,  "more",       "Scroll the patient's page down / up (to the contingencies and the synthesis)"),
    Binding::help(&[Key::plain(KeyCode::PageUp)],           HandoffAction::PageUp,    "back up",    "Scroll the patient's page down / up (to the contingencies and the synthesis)"),
    Binding::help(&[Key::ch('o')],                          HandoffAction::Order,     "order",      "Step by bed, or by acuity (unstable first)"),
    Binding::foot(&[Key::ch('e')],                          HandoffAction::Prepare,   "prepare",    "Prepare: illness severity, summary, situation (outgoing nurse)"),
    Binding::help(&[Key::ch('a')],                          HandoffAction::AddItem,   "action",     "Add an action item (what, owner, due time)"),
    Binding::help(&[Key::ch('x')],                          HandoffAction::CloseItem, "close item", "Close the first open action item, with a note"),
    Binding::foot(&[Key::ch('r')],                          HandoffAction::Accept,    "receive",    "Receiving nurse: synthesis and accept, with own password"),
    Binding::help(&[Key::ch('g')],                          HandoffAction::Assign,    "assign",     "Assign the next shift's nurse to this bed (charge nurse)"),
    Binding::foot(&[Key::ch('?')],                          HandoffAction::Help,      "help",       "Show every key of this screen"),
    Binding::foot(&[Key::plain(KeyCode::Esc), Key::ch('q')], HandoffAction::Back,     "back",       "Back (from a patient: to the list)"),
];

#[derive(Clone, Debug)]
pub struct HandoffScreen {
    pub shift: ShiftWindow,
    pub next: ShiftWindow,
    pub patients: Vec<PatientHandoff>,
    /// Indices into `patients` in stepping order.
    pub order: Vec<usize>,
    pub by_acuity: bool,
    pub selected: usize,
    /// Showing one patient's page.
    pub open: bool,
    /// The patient page's first shown line (PgDn/PgUp).
    pub scroll: u16,
    /// What the last drawing of the page found: (the largest useful scroll, rows shown), so the
    /// keys page by what fits and never past the end.
    pub page: Cell<Option<(u16, u16)>>,
    /// Preparing this patient's handoff (the I-PASS editor over the page).
    pub editing: Option<PrepareEditor>,
    /// The dialog whose write is under way: shown again, as the nurse left it, with the store's
    /// refusal (a wrong password keeps the synthesis typed), or followed by the confirmation.
    pending: Option<Dialog>,
}

impl HandoffScreen {
    pub fn new(shift: ShiftWindow, next: ShiftWindow, patients: Vec<PatientHandoff>) -> HandoffScreen {
        HandoffScreen {
            shift,
            next,
            patients,
            order: Vec::new(),
            by_acuity: false,
            selected: 0,
            open: false,
            scroll: 0,
            page: Cell::new(None),
            editing: None,
            pending: None,
        }
    }

    /// The handoff of the shift that is ending now, from the ward's records.
    fn load(store: &Store, now: DateTime<Utc>, tz: Tz) -> Result<HandoffScreen, String> {
        let defs = store.shift_defs().map_err(|e| e.to_string())?;
        let shift = shift_at(&defs, now, tz).ok_or("the ward has no shifts defined")?;
        let next = next_shift(&defs, &shift, tz).ok_or("the ward has no shifts defined")?;
        let records = store.ward_handoff_records(&shift, next.start, now, tz).map_err(|e| e.to_string())?;
        let patients = records.iter().map(|r| handoff::build(r, &shift, now, tz)).collect();
        let mut s = HandoffScreen::new(shift, next, patients);
        s.reorder();
        Ok(s)
    }

    /// Open the handoff (from the census), or say why it could not be built.
    pub fn open(store: &Store, now: DateTime<Utc>, tz: Tz) -> Cmd {
        match HandoffScreen::load(store, now, tz) {
            Ok(s) => Cmd::Open(Screen::Handoff(Box::new(s))),
            Err(e) => Cmd::error(format!("Could not build the handoff: {e}")),
        }
    }

    /// Rebuild from the store after a write, keeping the nurse's place, order, page and scroll.
    fn reload(&mut self, ctx: &Ctx<'_>) -> Result<(), String> {
        let mut s = HandoffScreen::load(ctx.store, ctx.now, ctx.tz)?;
        s.by_acuity = self.by_acuity;
        s.reorder();
        s.selected = self.selected.min(s.order.len().saturating_sub(1));
        s.open = self.open;
        s.scroll = self.scroll;
        *self = s;
        Ok(())
    }

    /// Which keys act now: assigning is the charge nurse's; scrolling is for a patient's page.
    pub fn allows(&self, a: HandoffAction, can_assign: bool) -> bool {
        match a {
            HandoffAction::Assign => can_assign,
            // Shown and dispatched only while the page is longer than the screen.
            HandoffAction::PageDown | HandoffAction::PageUp => {
                self.open && self.page.get().is_none_or(|(max, _)| max > 0)
            }
            _ => true,
        }
    }

    /// Page the patient's page down (`down`) or up by what fits, never past either end.
    pub fn page_by(&mut self, down: bool) {
        let (max, rows) = self.page.get().unwrap_or((u16::MAX, 12));
        let step = rows.saturating_sub(2).max(1);
        let at = self.scroll.min(max);
        self.scroll = if down { at.saturating_add(step).min(max) } else { at.saturating_sub(step) };
    }

    pub fn current(&self) -> Option<&PatientHandoff> {
        self.order.get(self.selected).and_then(|&i| self.patients.get(i))
    }

    pub fn reorder(&mut self) {
        let keep = self.current().map(|p| p.records.stay_id);
        let mut idx: Vec<usize> = (0..self.patients.len()).collect();
        if self.by_acuity {
            idx.sort_by_key(|&i| crate::domain::handoff::acuity_key(&self.patients[i]));
        }
        self.order = idx;
        self.selected =
            keep.and_then(|s| self.order.iter().position(|&i| self.patients[i].records.stay_id == s)).unwrap_or(0);
    }
}

impl HandoffScreen {
    /// Ctrl-S in the I-PASS editor: the save, or the editor kept open with why not.
    fn save_prepared(&mut self) -> Cmd {
        let Some(e) = &mut self.editing else { return Cmd::None };
        let Some(severity) = e.severity else {
            e.focus = 0;
            e.error = Some("I: choose the illness severity (s, w, u or ←/→)".into());
            return Cmd::None;
        };
        Cmd::Write(Write::PrepareHandoff {
            stay_id: e.stay_id,
            shift: self.shift.clone(),
            severity,
            summary: e.summary_text(),
            situation: e.situation_text(),
        })
    }

    /// A key of the list or of a patient's page.
    fn act(&mut self, action: HandoffAction, role: Role, ctx: &Ctx<'_>) -> Cmd {
        let n = self.order.len().max(1);
        match action {
            HandoffAction::Up => self.selected = self.selected.saturating_sub(1),
            HandoffAction::Down => self.selected = (self.selected + 1).min(n - 1),
            HandoffAction::Open => self.open = true,
            HandoffAction::NextPatient => {
                self.selected = (self.selected + 1) % n;
                self.open = true;
            }
            HandoffAction::PrevPatient => {
                self.selected = (self.selected + n - 1) % n;
                self.open = true;
            }
            HandoffAction::PageDown => self.page_by(true),
            HandoffAction::PageUp => self.page_by(false),
            HandoffAction::Order => {
                self.by_acuity = !self.by_acuity;
                self.reorder();
            }
            HandoffAction::Help => return Cmd::Help,
            HandoffAction::Back if self.open => self.open = false,
            HandoffAction::Back => return Cmd::Back,
            HandoffAction::Prepare => {
                let Some(p) = self.current() else { return Cmd::None };
                let r = &p.records;
                let (summary, situation) = match (&r.this_shift, &r.previous) {
                    (Some(h), _) | (None, Some(h)) => (h.summary.as_str(), h.situation.as_str()),
                    (None, None) => ("", ""),
                };
                let title = format!("I-PASS: bed {} · {}", r.bed, r.name);
                let editor = PrepareEditor::new(r.stay_id, title, summary, situation);
                self.editing = Some(editor);
            }
            HandoffAction::AddItem => {
                let Some(p) = self.current() else { return Cmd::None };
                return Cmd::Dialog(handoff_forms::add_item(p.records.stay_id, &p.records.bed));
            }
            HandoffAction::CloseItem => {
                return match self.current().and_then(|p| p.records.open_items.first()) {
                    Some(item) => Cmd::Dialog(handoff_forms::close_item(item)),
                    None => Cmd::tell("No open action item for this patient."),
                };
            }
            HandoffAction::Accept => {
                let Some(p) = self.current() else { return Cmd::None };
                if p.records.this_shift.is_none() {
                    return Cmd::error("Prepare this patient's handoff first (e).");
                }
                return Cmd::Dialog(handoff_forms::accept(p.records.stay_id, &p.records.bed, &p.records.name));
            }
            HandoffAction::Assign => {
                if !can(role, Action::Assign) {
                    return Cmd::error(format!("A {role} may not assign nurses."));
                }
                let Some(p) = self.current() else { return Cmd::None };
                let nurses = match ctx.store.users() {
                    Ok(u) => u
                        .into_iter()
                        .filter(|(s, disabled)| !disabled && s.role != Role::Admin)
                        .map(|(s, _)| (s.id.to_string(), s.signature()))
                        .collect(),
                    Err(e) => return Cmd::error(e.to_string()),
                };
                return Cmd::Dialog(handoff_forms::assign(&self.next.name, &p.records.bed, p.records.bed_id, nurses));
            }
        }
        Cmd::None
    }

    /// After a write: the screen rebuilt from the store, and what was done.
    fn rebuilt(&mut self, ctx: &Ctx<'_>, done: String) -> Cmd {
        match self.reload(ctx) {
            Ok(()) => Cmd::tell(done),
            Err(e) => Cmd::error(format!("{done} Could not rebuild the handoff: {e}")),
        }
    }
}

/// A write the store refused: its dialog again, as the nurse left it, saying why.
fn refused(asked: Option<Dialog>, why: String) -> Cmd {
    match asked {
        Some(mut d) => {
            d.form.error = Some(why);
            Cmd::Dialog(d)
        }
        None => Cmd::error(why),
    }
}

impl Component for HandoffScreen {
    fn unsaved(&self) -> Option<String> {
        self.editing
            .as_ref()
            .is_some_and(|e| e.changed())
            .then(|| "the I-PASS handoff being prepared, not saved".to_string())
    }

    fn title(&self) -> String {
        if self.editing.is_some() { "Preparing the handoff (I-PASS)" } else { "Handoff" }.into()
    }

    /// The editor's keys while preparing; else the handoff's, where assigning is the charge
    /// nurse's and scrolling is for a patient's page longer than the screen.
    fn hints(&self, view: &View<'_>) -> (Hints, Hints) {
        if self.editing.is_some() {
            let (foot, mut help) = hints(&[handoff_prepare::PREPARE_KEYS], |_| true);
            help.extend(handoff_prepare::EDITING_HELP.iter().map(|(k, h)| (k.to_string(), *h)));
            return (foot, help);
        }
        let assign = view.role().is_some_and(|r| can(r, Action::Assign));
        hints(&[KEYS], |a| self.allows(a, assign))
    }

    fn on_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        if let Some(e) = &mut self.editing {
            return match e.handle(k) {
                PrepareEffect::None => Cmd::None,
                PrepareEffect::Help => Cmd::Help,
                PrepareEffect::Close => {
                    self.editing = None;
                    Cmd::tell("Cancelled; nothing was saved.")
                }
                PrepareEffect::Save => self.save_prepared(),
            };
        }
        let Some(role) = ctx.role() else { return Cmd::None };
        let assign = can(role, Action::Assign);
        let Some(action) = lookup(KEYS, k, |a| self.allows(a, assign)) else { return Cmd::None };
        let before = (self.selected, self.open);
        let cmd = self.act(action, role, ctx);
        // Another patient's page (or the list) starts at its top.
        if (self.selected, self.open) != before {
            self.scroll = 0;
        }
        cmd
    }

    fn on_paste(&mut self, text: &str, _ctx: &Ctx<'_>) -> Cmd {
        if let Some(e) = &mut self.editing {
            e.paste(text);
        }
        Cmd::None
    }

    /// The handoff's dialogs: each submit checked here, then written through the runner.
    fn on_dialog(&mut self, d: &Dialog, ctx: &Ctx<'_>) -> Option<Result<Cmd, String>> {
        let v = |i| d.form.value(i);
        let write = match &d.kind {
            DialogKind::AddActionItem { stay_id } => parse_event_time_allowing_future("Due", &v(2), ctx.now, ctx.tz)
                .map(|due| Write::AddActionItem { stay_id: *stay_id, what: v(0), owner: v(1), due }),
            DialogKind::CloseActionItem { .. } if v(0).trim().is_empty() => Err("Note: say why it is closed".into()),
            DialogKind::CloseActionItem { item_id } => Ok(Write::CloseActionItem { item_id: *item_id, note: v(0) }),
            DialogKind::AcceptHandoff { .. } if v(0).trim().is_empty() => {
                Err("Synthesis: restate the plan and ask your questions".into())
            }
            DialogKind::AcceptHandoff { stay_id } => Ok(Write::ReceiveHandoff {
                stay_id: *stay_id,
                shift: self.shift.clone(),
                synthesis: v(0),
                username: v(1),
                password: crate::tui::component::Secret(v(2)),
            }),
            DialogKind::ConfirmAcceptInPlace { assigned, .. } if v(0) != "yes" => {
                return Some(Ok(Cmd::tell(format!("Not accepted: the patient stays assigned to {assigned}."))));
            }
            DialogKind::ConfirmAcceptInPlace { stay_id, receiver, synthesis, assigned_id, .. } => {
                Ok(Write::AcceptHandoffInPlace {
                    stay_id: *stay_id,
                    shift: self.shift.clone(),
                    receiver: receiver.clone(),
                    synthesis: synthesis.clone(),
                    assigned_id: *assigned_id,
                })
            }
            DialogKind::Assign { bed_id } => v(0)
                .parse()
                .map(|nurse_id| Write::AssignNurse { shift_start: self.next.start, bed_id: *bed_id, nurse_id })
                .map_err(|_| "Nurse: choose one with ←/→".to_string()),
            _ => return None,
        };
        Some(write.map(|w| {
            self.pending = Some(d.clone());
            Cmd::Write(w)
        }))
    }

    /// The store's answer: the screen rebuilt and what was recorded; or the dialog (or the
    /// editor) again with why not; or, for a patient assigned to another nurse, the question.
    fn on_done(&mut self, done: Done, ctx: &Ctx<'_>) -> Cmd {
        let asked = self.pending.take();
        let result = match done {
            Done::HandoffPrepared(Ok(())) => {
                self.editing = None;
                Ok("Handoff prepared.".to_string())
            }
            Done::HandoffPrepared(Err(e)) => {
                if let Some(editor) = &mut self.editing {
                    editor.error = Some(format!("Not saved: {e}"));
                }
                return Cmd::None;
            }
            Done::ActionItemAdded(r) => r.map(|_| "Action item added; it stays on the list until closed.".to_string()),
            Done::ActionItemClosed(r) => r.map(|()| "Action item closed.".to_string()),
            Done::NurseAssigned(r) => r.map(|()| "Assigned for the next shift.".to_string()),
            Done::HandoffReceived(Ok(Received::AssignedToAnother { receiver, assigned_id, assigned })) => {
                let accepting = asked.and_then(|d| match d.kind {
                    DialogKind::AcceptHandoff { stay_id } => Some((d, stay_id)),
                    _ => None,
                });
                let Some((accept, stay_id)) = accepting else {
                    return Cmd::error("The acceptance was interrupted: press r to receive again.");
                };
                let confirm = handoff_forms::confirm_in_place(
                    &accept,
                    stay_id,
                    receiver,
                    accept.form.value(0),
                    assigned_id,
                    assigned,
                );
                return Cmd::Many(vec![
                    Cmd::Dialog(confirm),
                    Cmd::tell("Confirm: this patient is assigned to another nurse."),
                ]);
            }
            Done::HandoffReceived(Ok(Received::Accepted(by))) => Ok(match asked.as_ref().map(|d| &d.kind) {
                Some(DialogKind::ConfirmAcceptInPlace { assigned, .. }) => {
                    format!("Accepted by {} in place of {assigned}.", by.signature())
                }
                _ => format!("Accepted by {}.", by.signature()),
            }),
            Done::HandoffReceived(Err(e)) => Err(e),
            _ => return Cmd::None,
        };
        match result {
            Ok(msg) => self.rebuilt(ctx, msg),
            Err(e) => refused(asked, e),
        }
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        draw(f, area, self, view.now, view.tz);
    }
}

fn status_text(p: &PatientHandoff, now: DateTime<Utc>, tz: Tz) -> String {
    match (&p.status, &p.records.this_shift) {
        (Status::NotPrepared, _) | (_, None) => "not prepared".into(),
        (Status::Prepared, Some(h)) => format!("prepared by {}", h.prepared_by),
        (Status::Accepted, Some(h)) => {
            let a = h.accepted.as_ref();
            format!(
                "ACCEPTED by {} {}",
                a.map_or("", |a| a.by.as_str()),
                a.map_or(String::new(), |a| local_short(a.at, now, tz))
            )
        }
    }
}

pub fn draw(f: &mut Frame<'_>, area: Rect, s: &HandoffScreen, now: DateTime<Utc>, tz: Tz) {
    let (done, total) = progress(&s.patients);
    let state = if done == total && total > 0 {
        format!("{done}/{total} accepted · HANDOFF COMPLETE")
    } else {
        format!("{done}/{total} accepted")
    };
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
    f.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(format!("Handoff · {} → {}", describe(&s.shift, tz), s.next.name), theme::title())),
            Line::from(format!("{state} · order: {}", if s.by_acuity { "acuity" } else { "bed" })),
        ]),
        head,
    );
    if let Some(e) = &s.editing {
        return handoff_prepare::draw(f, body, e);
    }
    if s.open
        && let Some(p) = s.current()
    {
        return draw_patient(f, body, s, p, now, tz);
    }
    let mut lines = vec![Line::from(Span::styled(
        format!("{:<4} {:<18} {:<9} {:<30} {}", "Bed", "Patient", "I-PASS", "Handoff", "Next shift"),
        theme::table_header(),
    ))];
    for (pos, &i) in s.order.iter().enumerate() {
        let p = &s.patients[i];
        let sev = p.records.this_shift.as_ref().map_or("—", |h| h.severity.code());
        let line = format!(
            "{:<4} {:<18} {:<9} {:<30} {}",
            inert(&p.records.bed),
            inert(&p.records.name).chars().take(18).collect::<String>(),
            sev,
            status_text(p, now, tz).chars().take(30).collect::<String>(),
            inert(p.records.next_nurse.as_deref().unwrap_or("unassigned"))
        );
        let style = if pos == s.selected {
            theme::selected()
        } else if p.status == Status::Accepted {
            theme::base()
        } else {
            theme::due_soon()
        };
        lines.push(Line::from(Span::styled(line, style)));
    }
    f.render_widget(Paragraph::new(lines), body);
}

/// A record's text, line by line as typed (newlines kept), each line made inert.
fn text_lines(s: &str) -> Vec<String> {
    s.trim_end().split('\n').map(|l| inert(l.trim_end_matches('\r'))).collect()
}

/// A labelled text of one or more lines: the first after the label, the rest under it.
fn push_text(lines: &mut Vec<(Line<'static>, usize)>, label: Vec<Span<'static>>, text: &str, style: Style) {
    let mut rows = text_lines(text).into_iter();
    let mut first = label;
    first.push(Span::styled(rows.next().unwrap_or_default(), style));
    lines.push((Line::from(first), 2));
    for row in rows {
        lines.push((Line::from(Span::styled(format!("  {row}"), style)), 2));
    }
}

/// Wrap a styled line at word boundaries to `width` columns; continuation rows are indented by
/// `indent` spaces. A word longer than a row is broken. Done here (not by the paragraph) so the
/// page knows how many rows it has, and PgDn can reach the last one.
fn wrap_line(line: Line<'static>, width: usize, indent: usize) -> Vec<Line<'static>> {
    let width = width.max(indent + 10);
    let mut tokens: Vec<(String, Style)> = Vec::new();
    for span in &line.spans {
        let mut word = String::new();
        for c in span.content.chars() {
            if (c == ' ') != word.starts_with(' ') && !word.is_empty() {
                tokens.push((std::mem::take(&mut word), span.style));
            }
            word.push(c);
        }
        if !word.is_empty() {
            tokens.push((word, span.style));
        }
    }
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut row: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    let mut fresh = true; // nothing but the indent on this row yet
    for (tok, style) in tokens {
        let space = tok.starts_with(' ');
        if space && fresh && !out.is_empty() {
            continue; // no leading blanks on a continuation row
        }
        let mut tok = tok;
        loop {
            let w = tok.width();
            if used + w <= width {
                used += w;
                row.push(Span::styled(tok, style));
                fresh = false;
                break;
            }
            if space {
                // Blanks at the end of a row are dropped with the break.
                tok = String::new();
            } else if fresh {
                // A word longer than a whole row: break it where the row ends.
                let mut head = String::new();
                let mut hw = 0;
                let mut rest = tok.chars().peekable();
                while let Some(&c) = rest.peek() {
                    let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(1);
                    if used + hw + cw > width && !head.is_empty() {
                        break;
                    }
                    hw += cw;
                    head.push(c);
                    rest.next();
                }
                row.push(Span::styled(head, style));
                tok = rest.collect();
            }
            while row.len() > 1 && row.last().is_some_and(|s| s.content.trim().is_empty()) {
                row.pop(); // no blanks left at the end of a row
            }
            out.push(Line::from(std::mem::take(&mut row)));
            row.push(Span::raw(" ".repeat(indent)));
            used = indent;
            fresh = true;
            if tok.is_empty() {
                break;
            }
        }
    }
    if !fresh || out.is_empty() {
        out.push(Line::from(row));
    }
    out
}

fn draw_patient(f: &mut Frame<'_>, area: Rect, s: &HandoffScreen, p: &PatientHandoff, now: DateTime<Utc>, tz: Tz) {
    let r = &p.records;
    // Each logical line with the indent its wrapped rows continue at.
    let mut lines: Vec<(Line<'static>, usize)> = vec![
        (
            Line::from(vec![
                Span::styled(format!("Bed {} · {} ", inert(&r.bed), inert(&r.name)), theme::label()),
                Span::raw(inert(&r.header)),
            ]),
            2,
        ),
        (
            Line::from(format!(
                "Allergies: {} · Precautions: {} · Next shift: {}",
                inert(&r.allergies),
                if r.precautions.is_empty() { "none".to_string() } else { inert(&r.precautions) },
                inert(r.next_nurse.as_deref().unwrap_or("unassigned"))
            )),
            2,
        ),
    ];
    let sev = match &r.this_shift {
        Some(h) => Span::styled(
            format!(
                "{} (prepared by {} {})",
                h.severity.code().to_uppercase(),
                inert(&h.prepared_by),
                local_short(h.prepared_at, now, tz)
            ),
            if h.severity == crate::domain::handoff::Severity::Unstable { theme::severe() } else { theme::label() },
        ),
        None => Span::styled("not chosen yet: e to prepare", theme::due_soon()),
    };
    lines.push((Line::from(vec![Span::styled("I ", theme::title()), Span::raw("Illness severity: "), sev]), 2));
    let summary = r
        .this_shift
        .as_ref()
        .map(|h| h.summary.clone())
        .or_else(|| r.previous.as_ref().map(|h| format!("(last shift's, to review) {}", h.summary)));
    push_text(&mut lines, vec![Span::styled("P ", theme::title())], summary.as_deref().unwrap_or("—"), theme::base());
    let due_style = if p.overdue { theme::overdue() } else { theme::base() };
    lines.push((
        Line::from(vec![
            Span::raw(format!("  {} · {} · ", inert(&p.trend), inert(&p.last))),
            Span::styled(inert(&p.next_due), due_style),
        ]),
        4,
    ));
    lines.push((
        Line::from(format!(
            "  PRNs this shift: {}",
            if p.prns.is_empty() { "none".to_string() } else { inert(&p.prns.join("; ")) }
        )),
        4,
    ));
    // Medications, calls, emergencies and open prompts (REFERENCE.md §9, §10), one line each.
    lines.push((
        Line::from(format!(
            "  Meds this shift: {}",
            if p.meds.is_empty() { "none recorded".to_string() } else { inert(&p.meds.join("; ")) }
        )),
        4,
    ));
    for c in &p.calls {
        lines.push((Line::from(format!("  Call: {}", inert(c))), 4));
    }
    for e in &p.events {
        lines.push((Line::from(Span::styled(format!("  Emergency: {}", inert(e)), theme::severe())), 4));
    }
    for o in &p.prompts {
        lines.push((Line::from(Span::styled(format!("  {}", inert(o)), theme::severe())), 4));
    }
    lines.push((
        Line::from(format!(
            "  Notes this shift: {}",
            if p.notes.is_empty() { "none".to_string() } else { inert(&p.notes.join("; ")) }
        )),
        4,
    ));
    for note in &r.plan_notes {
        lines.push((Line::from(format!("  {}", inert(note))), 4));
    }
    if let Some(obs) = &r.observation_note {
        lines.push((Line::from(format!("  Observation: {}", inert(obs))), 4));
    }
    for change in &r.changes {
        lines.push((Line::from(Span::styled(format!("  {}", inert(change)), theme::severe())), 4));
    }
    lines.push((Line::from(Span::styled("A Action list (open items carry forward until closed):", theme::title())), 2));
    if r.open_items.is_empty() {
        lines.push((Line::from("  none"), 4));
    }
    for i in &r.open_items {
        let overdue = if i.due_at <= now { " OVERDUE" } else { "" };
        lines.push((
            Line::from(format!(
                "  • {} — owner {} — due {}{overdue} (added by {})",
                inert(&i.what),
                inert(&i.owner),
                local_short(i.due_at, now, tz),
                inert(&i.created_by)
            )),
            4,
        ));
    }
    let situation = r.this_shift.as_ref().map(|h| h.situation.clone()).filter(|s| !s.trim().is_empty());
    push_text(
        &mut lines,
        vec![Span::styled("S ", theme::title()), Span::raw("Situation / contingency: ")],
        situation.as_deref().unwrap_or("—"),
        theme::base(),
    );
    match r.this_shift.as_ref().and_then(|h| h.accepted.as_ref()) {
        Some(a) => {
            let mut label = vec![
                Span::styled("S ", theme::title()),
                Span::raw(format!("Synthesis by {} at {}", inert(&a.by), local_short(a.at, now, tz))),
            ];
            if let Some(assigned) = &a.in_place_of {
                label.push(Span::styled(
                    format!(" (accepted in place of {}, who was assigned)", inert(assigned)),
                    theme::due_soon(),
                ));
            }
            label.push(Span::raw(": "));
            push_text(&mut lines, label, &a.synthesis, theme::base());
        }
        None => lines.push((
            Line::from(vec![
                Span::styled("S ", theme::title()),
                Span::styled("Synthesis by receiver: not yet (r: receiving nurse accepts)", theme::due_soon()),
            ]),
            2,
        )),
    }
    // Issue 16: the risk screens, BAL/UDS on arrival, the admission assessment's state, each
    // wrapped whole; a high suicide risk says HIGH in words and in the severe colour.
    if !r.risk.is_empty() {
        lines.push((Line::from(Span::styled("Risk screens and admission assessment:", theme::title())), 2));
    }
    for line in &r.risk {
        let style = if line.contains("C-SSRS high risk") { theme::severe() } else { theme::base() };
        let text = inert(line).replacen("C-SSRS high risk", "C-SSRS HIGH RISK", 1);
        lines.push((Line::from(Span::styled(format!("  {text}"), style)), 4));
    }
    let width = area.width as usize;
    let mut rows: Vec<Line<'static>> = lines.into_iter().flat_map(|(l, indent)| wrap_line(l, width, indent)).collect();
    let total = rows.len() as u16;
    let (max, shown) = if total > area.height {
        // One row says there is more, and where the page stands.
        let shown = area.height.saturating_sub(1);
        (total - shown, shown)
    } else {
        (0, area.height)
    };
    s.page.set(Some((max, shown)));
    let at = s.scroll.min(max);
    let mut visible: Vec<Line<'static>> = rows.drain(..).skip(at as usize).take(shown as usize).collect();
    if max > 0 {
        let end = at + shown;
        let more = if at >= max {
            format!("— end of page · rows {}-{end} of {total} · PgUp: back up —", at + 1)
        } else {
            format!("— more below: PgDn · rows {}-{end} of {total} —", at + 1)
        };
        visible.push(Line::from(Span::styled(more, theme::hint())));
    }
    f.render_widget(Paragraph::new(visible), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn wrapping_keeps_words_whole_and_indents_what_follows() {
        let l = Line::from(vec![Span::raw("S "), Span::raw("If CIWA rises above twenty twice, call Dr. Patel now")]);
        let rows = text(&wrap_line(l, 20, 2));
        assert_eq!(rows, vec!["S If CIWA rises", "  above twenty", "  twice, call Dr.", "  Patel now"]);
        assert!(rows.iter().all(|r| r.width() <= 20));
        let long = text(&wrap_line(Line::from("x".repeat(45)), 20, 2));
        assert_eq!(long.len(), 3, "{long:?}");
        assert!(long.iter().all(|r| r.width() <= 20));
        assert_eq!(text(&wrap_line(Line::from(""), 20, 2)), vec![String::new()]);
    }
}
