//! The app's side of shift handoff: building the ward's I-PASS pages for the current shift,
//! preparing, action items, acceptance by the receiving nurse, and next-shift assignments.
use ratatui::crossterm::event::KeyEvent;

use crate::domain::handoff;
use crate::domain::shift::{next_shift, shift_at};
use crate::domain::time::{TimeRule, parse_event_time_allowing_future};
use crate::domain::user::{Action, can};
use crate::tui::app::{App, Screen};
use crate::tui::keymap::lookup;
use crate::tui::screens::handoff::{HandoffAction, HandoffScreen, KEYS};
use crate::tui::screens::handoff_prepare::{PrepareEditor, PrepareEffect};
use crate::tui::screens::stay_forms::{Dialog, DialogKind};
use crate::tui::widgets::form::{Field, Form};

impl App {
    /// Build the handoff screen for the shift that is ending now.
    pub(crate) fn open_handoff(&mut self) {
        let tz = self.model.tz();
        let now = self.model.now;
        let loaded = (|| -> Result<HandoffScreen, String> {
            let defs = self.store.shift_defs().map_err(|e| e.to_string())?;
            let shift = shift_at(&defs, now, tz).ok_or("the ward has no shifts defined")?;
            let next = next_shift(&defs, &shift, tz).ok_or("the ward has no shifts defined")?;
            let records = self.store.ward_handoff_records(&shift, next.start, now, tz).map_err(|e| e.to_string())?;
            let patients: Vec<_> = records.iter().map(|r| handoff::build(r, &shift, now, tz)).collect();
            let mut s = HandoffScreen::new(shift, next, patients);
            s.reorder();
            Ok(s)
        })();
        match loaded {
            Ok(s) => {
                let selected = match &self.model.screen {
                    Screen::Handoff(old) => Some((old.selected, old.open, old.by_acuity, old.scroll)),
                    _ => None,
                };
                let mut s = s;
                if let Some((sel, open, acuity, scroll)) = selected {
                    s.by_acuity = acuity;
                    s.reorder();
                    s.selected = sel.min(s.order.len().saturating_sub(1));
                    s.open = open;
                    s.scroll = scroll;
                }
                self.show(Screen::Handoff(Box::new(s)));
            }
            Err(e) => self.tell(format!("Could not build the handoff: {e}"), true),
        }
    }

    pub(crate) fn handoff_key(&mut self, k: KeyEvent) {
        let (Some(me), Screen::Handoff(h)) = (self.model.me.clone(), &mut self.model.screen) else { return };
        if let Some(e) = &mut h.editing {
            return match e.handle(&k) {
                PrepareEffect::None => {}
                PrepareEffect::Help => self.model.help_open = true,
                PrepareEffect::Close => {
                    h.editing = None;
                    self.tell("Cancelled; nothing was saved.", false);
                }
                PrepareEffect::Save => self.save_prepared(),
            };
        }
        let assign = can(me.role, Action::Assign);
        let Some(action) = lookup(KEYS, &k, |a| h.allows(a, assign)) else { return };
        let n = h.order.len().max(1);
        let current = h.current().cloned();
        let before = (h.selected, h.open);
        match action {
            HandoffAction::Up => h.selected = h.selected.saturating_sub(1),
            HandoffAction::Down => h.selected = (h.selected + 1).min(n - 1),
            HandoffAction::Open => h.open = true,
            HandoffAction::NextPatient => {
                h.selected = (h.selected + 1) % n;
                h.open = true;
            }
            HandoffAction::PrevPatient => {
                h.selected = (h.selected + n - 1) % n;
                h.open = true;
            }
            HandoffAction::PageDown => h.page_by(true),
            HandoffAction::PageUp => h.page_by(false),
            HandoffAction::Order => {
                h.by_acuity = !h.by_acuity;
                h.reorder();
            }
            HandoffAction::Help => self.model.help_open = true,
            HandoffAction::Back => {
                if h.open {
                    h.open = false;
                } else {
                    self.back();
                    self.reload_census();
                }
            }
            HandoffAction::Prepare => {
                let Some(p) = current else { return };
                let r = &p.records;
                let (summary, situation) = match (&r.this_shift, &r.previous) {
                    (Some(h), _) | (None, Some(h)) => (h.summary.clone(), h.situation.clone()),
                    (None, None) => (String::new(), String::new()),
                };
                let title = format!("I-PASS: bed {} · {}", r.bed, r.name);
                h.editing = Some(PrepareEditor::new(r.stay_id, title, &summary, &situation));
            }
            HandoffAction::AddItem => {
                let Some(p) = current else { return };
                let form = Form::new(
                    format!("Action item: bed {}", p.records.bed),
                    vec![
                        Field::text("What", "the to-do"),
                        Field::text("Owner", "who will do it, e.g. day RN, Dr. Patel"),
                        Field::time(
                            "Due",
                            "08:30 (the next one), now, +2h or YYYY-MM-DD HH:MM (ward time)",
                            TimeRule::Planned,
                        ),
                    ],
                )
                .with_verb("add item");
                self.model.dialog =
                    Some(Dialog { kind: DialogKind::AddActionItem { stay_id: p.records.stay_id }, form });
            }
            HandoffAction::CloseItem => {
                let Some(item) = current.and_then(|p| p.records.open_items.first().cloned()) else {
                    return self.tell("No open action item for this patient.", false);
                };
                let mut form =
                    Form::new("Close an action item", vec![Field::text("Note", "done, or why it is no longer needed")])
                        .with_verb("close item");
                form.intro = vec![format!("{} — owner {}", item.what, item.owner)];
                self.model.dialog = Some(Dialog { kind: DialogKind::CloseActionItem { item_id: item.id }, form });
            }
            HandoffAction::Accept => {
                let Some(p) = current else { return };
                if p.records.this_shift.is_none() {
                    return self.tell("Prepare this patient's handoff first (e).", true);
                }
                let mut form = Form::new(
                    format!("Receive: bed {} · {}", p.records.bed, p.records.name),
                    vec![
                        Field::text("Synthesis", "restate the plan and ask your questions"),
                        Field::text("Receiving nurse", "your username (not the nurse handing off)"),
                        Field::secret("Password", "your own password"),
                    ],
                )
                .with_verb("accept");
                form.intro = vec!["I-PASS S: synthesis by receiver, then accept.".into()];
                self.model.dialog =
                    Some(Dialog { kind: DialogKind::AcceptHandoff { stay_id: p.records.stay_id }, form });
            }
            HandoffAction::Assign => {
                if !can(me.role, Action::Assign) {
                    return self.tell(format!("A {} may not assign nurses.", me.role), true);
                }
                let Some(p) = current else { return };
                let nurses = match self.store.users() {
                    Ok(u) => u
                        .into_iter()
                        .filter(|(s, disabled)| !disabled && s.role != crate::domain::user::Role::Admin)
                        .map(|(s, _)| (s.id.to_string(), s.signature()))
                        .collect(),
                    Err(e) => return self.tell(e.to_string(), true),
                };
                let form = Form::new(
                    format!("Next shift ({}): bed {}", h.next.name, p.records.bed),
                    vec![Field::choice("Nurse", "←/→ or a letter", nurses)],
                )
                .with_verb("assign");
                self.model.dialog = Some(Dialog { kind: DialogKind::Assign { bed_id: p.records.bed_id }, form });
            }
        }
        // Another patient's page (or the list) starts at its top.
        if let Screen::Handoff(h) = &mut self.model.screen
            && (h.selected, h.open) != before
        {
            h.scroll = 0;
        }
    }

    /// Ctrl-S in the I-PASS editor: save through the store, or keep the editor open with why not.
    fn save_prepared(&mut self) {
        let Some(me) = self.model.me.clone() else { return };
        let Screen::Handoff(h) = &mut self.model.screen else { return };
        let Some(e) = &mut h.editing else { return };
        let Some(sev) = e.severity else {
            e.focus = 0;
            e.error = Some("I: choose the illness severity (s, w, u or ←/→)".into());
            return;
        };
        let (summary, situation) = (e.summary_text(), e.situation_text());
        match self.store.prepare_handoff(&me, e.stay_id, &h.shift, sev, &summary, &situation, self.model.now) {
            Ok(()) => {
                h.editing = None;
                self.open_handoff();
                self.tell("Handoff prepared.", false);
            }
            Err(err) => e.error = Some(format!("Not saved: {err}")),
        }
    }

    /// Submit of a handoff dialog; `Ok(message)` closes it and rebuilds the screen.
    pub(crate) fn submit_handoff_dialog(&mut self, d: &Dialog) -> Result<String, String> {
        let Some(me) = self.model.me.clone() else { return Err("not signed in".into()) };
        let Screen::Handoff(h) = &self.model.screen else { return Err("no handoff open".into()) };
        let (shift, next) = (h.shift.clone(), h.next.clone());
        let tz = self.model.tz();
        let now = self.model.now;
        let v = |i| d.form.value(i);
        let err = |e: crate::store::StoreError| e.to_string();
        let msg = match &d.kind {
            DialogKind::AddActionItem { stay_id } => {
                let due = parse_event_time_allowing_future("Due", &v(2), now, tz)?;
                self.store.add_action_item(&me, *stay_id, &v(0), &v(1), due, now).map_err(err)?;
                "Action item added; it stays on the list until closed.".to_string()
            }
            DialogKind::CloseActionItem { item_id } => {
                if v(0).trim().is_empty() {
                    return Err("Note: say why it is closed".into());
                }
                self.store.close_action_item(&me, *item_id, &v(0), now).map_err(err)?;
                "Action item closed.".to_string()
            }
            DialogKind::AcceptHandoff { stay_id } => {
                let synthesis = v(0);
                if synthesis.trim().is_empty() {
                    return Err("Synthesis: restate the plan and ask your questions".into());
                }
                let receiver = self.store.identify_receiver(&v(1), &v(2), now).map_err(err)?;
                // Issue 20: the receiver is the nurse assigned to the bed, or she confirms she
                // takes the patient in that nurse's place (and the acceptance says so).
                match self.store.handoff_assignee(*stay_id, &shift).map_err(err)? {
                    Some((nurse, name)) if nurse != receiver.id => {
                        self.model.dialog = Some(confirm_in_place(d, *stay_id, receiver, synthesis, nurse, name));
                        return Ok("Confirm: this patient is assigned to another nurse.".into());
                    }
                    _ => {}
                }
                self.store.accept_handoff_as(&receiver, *stay_id, &shift, &synthesis, None, now).map_err(err)?;
                format!("Accepted by {}.", receiver.signature())
            }
            DialogKind::ConfirmAcceptInPlace { stay_id, receiver, synthesis, assigned_id, assigned } => {
                if v(0) != "yes" {
                    self.model.dialog = None;
                    return Ok(format!("Not accepted: the patient stays assigned to {assigned}."));
                }
                self.store
                    .accept_handoff_as(receiver, *stay_id, &shift, synthesis, Some(*assigned_id), now)
                    .map_err(err)?;
                format!("Accepted by {} in place of {assigned}.", receiver.signature())
            }
            DialogKind::Assign { bed_id } => {
                let nurse: i64 = v(0).parse().map_err(|_| "Nurse: choose one with ←/→".to_string())?;
                self.store.assign(&me, next.start, *bed_id, nurse, now).map_err(err)?;
                "Assigned for the next shift.".to_string()
            }
            _ => return Err("not a handoff dialog".into()),
        };
        self.model.dialog = None;
        self.open_handoff();
        Ok(msg)
    }
}

/// The confirmation asked when the receiving nurse is not the one assigned to the bed.
fn confirm_in_place(
    accept: &Dialog,
    stay_id: i64,
    receiver: crate::domain::user::Staff,
    synthesis: String,
    assigned_id: i64,
    assigned: String,
) -> Dialog {
    let choices = vec![
        ("yes".to_string(), format!("accept in place of {assigned}")),
        ("no".to_string(), "do not accept; leave it for the assigned nurse".to_string()),
    ];
    let mut form = Form::new(
        accept.form.title.replace("Receive:", "Accept in place of the assigned nurse?"),
        vec![Field::choice("Accept", "y or n (←/→), then Enter; Esc: do not accept", choices)],
    )
    .with_verb("answer");
    form.intro = vec![
        format!("This patient is assigned to {assigned} for the next shift."),
        format!("You are {}. If you accept, the record says:", receiver.signature()),
        format!("\"accepted in place of {assigned}\"."),
    ];
    Dialog { kind: DialogKind::ConfirmAcceptInPlace { stay_id, receiver, synthesis, assigned_id, assigned }, form }
}
