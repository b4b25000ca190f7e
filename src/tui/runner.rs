//! The command runner: the one place a screen's [`Cmd`] is carried out, and the one door for
//! writes (issue 15, point 2). Only here is `&mut Store` used on a screen's behalf: each write
//! runs as the signed-in nurse (the store records its audit row in the same transaction), the
//! board is refreshed once, and the result goes back to the screen that asked as a [`Done`].
use chrono::{DateTime, Utc};

use crate::domain::census::WardBoard;
use crate::domain::user::Staff;
use crate::domain::ward::{NewUser, Setup};
use crate::store::StoreError;
use crate::tui::app::{App, Model, Screen};
use crate::tui::component::{Cmd, Component, Ctx, Done, Received, View, Write};
use crate::tui::screens::census::CensusScreen;
use crate::tui::screens::sign_in::sign_in_form;
use crate::tui::screens::stay_forms::StayChange;
use crate::tui::session::unlock_form;

/// Whether a write changes what the ward board shows (accounts and draft text do not).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Board {
    Changes,
    Same,
}

impl App {
    /// Hand an event to the front screen when it is a component, with what it may read; `None`
    /// when the front screen is not one.
    pub(crate) fn with_front<R>(&mut self, f: impl FnOnce(&mut dyn Component, &Ctx<'_>) -> R) -> Option<R> {
        let tz = self.model.tz();
        let App { store, model } = self;
        let Model { screen, census, board, me, ward, now, late_entry, .. } = model;
        let front: &mut dyn Component = match screen {
            Screen::Census => census,
            s => s.component_mut()?,
        };
        let view = View { now: *now, tz, me: me.as_ref(), ward: ward.as_ref(), board, late_entry: *late_entry };
        Some(f(front, &Ctx { view, store }))
    }

    /// The command runner: the one place a screen's commands are carried out, and the one door
    /// for writes (issue 15, point 2).
    pub(crate) fn run(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::None => {}
            Cmd::Open(screen) => self.open(screen),
            Cmd::Show(screen) => self.show(screen),
            Cmd::Back => self.back(),
            Cmd::Dialog(d) => self.model.dialog = Some(d),
            Cmd::Tell { text, error } => self.tell(text, error),
            Cmd::Help => self.model.help_open = true,
            Cmd::Write(w) => self.write(w),
            Cmd::Lock => self.lock("Locked. Your work is kept for you."),
            Cmd::Quit => self.quit_asking(),
            Cmd::Many(cmds) => cmds.into_iter().for_each(|c| self.run(c)),
        }
    }

    /// Perform a write as the signed-in nurse (the store records its audit row in the same
    /// transaction), refresh the board once, and hand the result to the screen that asked.
    fn write(&mut self, w: Write) {
        let Some(me) = self.model.me.clone() else { return };
        let now = self.model.now;
        match w {
            // One audited read of several patients' records, in one transaction.
            Write::AuditRead { patient_ids, what } => {
                if let Err(e) = self.store.audit_reads(me.id, &patient_ids, &what, now) {
                    self.tell(format!("Could not write the audit trail: {e}"), true);
                }
            }
            Write::RoundCheck { stay_id, answer, supersedes } => {
                let result = self.store.record_check(&me, stay_id, answer, supersedes, now);
                self.answer(result, Board::Changes, move |result| Done::RoundCheck {
                    stay_id,
                    answer,
                    supersedes,
                    result,
                });
            }
            Write::AlertAck { check_id, note } => {
                let result = self.store.acknowledge_alert(&me, check_id, &note, now);
                self.answer(result, Board::Changes, move |result| Done::AlertAck { check_id, result });
            }
            // Accounts and the audit viewer: the board does not change.
            Write::NewAccount(u) => {
                let result = self.store.add_account(&me, &u, now);
                self.answer(result, Board::Same, Done::NewAccount);
            }
            Write::PasswordReset { username, password } => {
                let result = self.store.reset_password(&me, &username, &password.0, now);
                self.answer(result, Board::Same, move |result| Done::PasswordReset { username, result });
            }
            Write::AccountDisabled { username, disabled } => {
                let result = self.store.set_disabled(&me, &username, disabled, now);
                self.answer(result, Board::Same, move |result| Done::AccountDisabled { username, disabled, result });
            }
            Write::AuditViewed => {
                let result = self.store.record_audit_viewed(&me, now);
                self.answer(result, Board::Same, Done::AuditViewed);
            }
            Write::StayChange { change, dialog } => {
                let result = self.change_stay(&me, &change, now);
                if result.is_ok() {
                    self.reload_census();
                }
                match result {
                    Ok(Some(stay_id)) => self.deliver(Done::Admitted { stay_id, message: change.done_message() }),
                    r => self.deliver(Done::StayChanged { result: r.map(|_| change.done_message()), dialog }),
                }
            }
            Write::Assessment(asked) => {
                let result = self.store.record_assessment(&me, &asked, now);
                self.answer(result, Board::Changes, move |result| Done::Assessment { asked, result });
            }
            Write::StartNote { stay_id, format, addendum_to, opening } => {
                let result = self
                    .store
                    .start_note(&me, stay_id, format, addendum_to, now)
                    .and_then(|id| self.store.note(&me, id))
                    .map_err(|e| e.to_string())
                    .and_then(|n| n.ok_or_else(|| "the new draft vanished".to_string()));
                if result.is_ok() {
                    self.reload_census();
                }
                self.deliver(Done::NoteStarted { result, opening });
            }
            Write::SaveDraft { note_id, sections, then } => {
                let result = self.store.save_draft(&me, note_id, &sections, now);
                self.answer(result, Board::Same, move |result| Done::DraftSaved { result, then });
            }
            Write::DiscardDraft { note_id } => {
                let result = self.store.discard_draft(&me, note_id, now);
                self.answer(result, Board::Changes, Done::DraftDiscarded);
            }
            Write::SignNote { note_id, password, event_at } => {
                let result = self.store.sign_note(&me, note_id, &password.0, event_at, now);
                self.answer(result, Board::Changes, Done::NoteSigned);
            }
            Write::Attendance { session_id, stay_id, status, comment } => {
                let result = self.store.record_attendance(&me, session_id, stay_id, status, comment.as_deref(), now);
                self.answer(result, Board::Changes, move |result| Done::Attendance {
                    session_id,
                    stay_id,
                    status,
                    result,
                });
            }
            Write::Session(session) => {
                let result = self.store.add_session(&me, &session, now);
                self.answer(result, Board::Changes, move |result| Done::Session { result });
            }
            Write::PlanVersion { stay_id, draft } => {
                let result = self.store.set_plan(&me, stay_id, &draft, now);
                self.answer(result, Board::Changes, move |result| Done::PlanVersion { stay_id, result });
            }
            Write::Aftercare { stay_id, item } => {
                let result = self.store.toggle_aftercare(&me, stay_id, item, now);
                self.answer(result, Board::Changes, move |result| Done::Aftercare { stay_id, item, result });
            }
            Write::PrepareHandoff { stay_id, shift, severity, summary, situation } => {
                let result = self.store.prepare_handoff(&me, stay_id, &shift, severity, &summary, &situation, now);
                self.answer(result, Board::Changes, Done::HandoffPrepared);
            }
            Write::ReceiveHandoff { stay_id, shift, synthesis, username, password } => {
                let store = &mut self.store;
                let result = (|| {
                    let receiver = store.identify_receiver(&username, &password.0, now)?;
                    // Issue 20: the receiver is the nurse assigned to the bed, or she confirms
                    // first that she takes the patient in that nurse's place.
                    match store.handoff_assignee(stay_id, &shift)? {
                        Some((assigned_id, assigned)) if assigned_id != receiver.id => {
                            Ok(Received::AssignedToAnother { receiver, assigned_id, assigned })
                        }
                        _ => store
                            .accept_handoff_as(&receiver, stay_id, &shift, &synthesis, None, now)
                            .map(Received::Accepted),
                    }
                })()
                .map_err(|e: crate::store::StoreError| e.to_string());
                if matches!(result, Ok(Received::Accepted(_))) {
                    self.reload_census();
                }
                self.deliver(Done::HandoffReceived(result));
            }
            Write::AcceptHandoffInPlace { stay_id, shift, receiver, synthesis, assigned_id } => {
                let result = self
                    .store
                    .accept_handoff_as(&receiver, stay_id, &shift, &synthesis, Some(assigned_id), now)
                    .map(Received::Accepted);
                self.answer(result, Board::Changes, Done::HandoffReceived);
            }
            Write::AddActionItem { stay_id, what, owner, due } => {
                let result = self.store.add_action_item(&me, stay_id, &what, &owner, due, now);
                self.answer(result, Board::Changes, Done::ActionItemAdded);
            }
            Write::CloseActionItem { item_id, note } => {
                let result = self.store.close_action_item(&me, item_id, &note, now);
                self.answer(result, Board::Changes, Done::ActionItemClosed);
            }
            Write::Screen(screen) => {
                let result = self.store.record_screen(&me, &screen, now);
                self.answer(result, Board::Changes, Done::ScreenRecorded);
            }
            // Issue 17: orders and the administration record.
            Write::Order { stay_id, order } => {
                let result = self.store.enter_order(&me, stay_id, &order, now);
                self.answer(result, Board::Changes, Done::OrderEntered);
            }
            Write::StopOrder { order_id, stopped_at, reason } => {
                let result = self.store.discontinue_order(&me, order_id, stopped_at, &reason, now);
                self.answer(result, Board::Changes, Done::OrderStopped);
            }
            Write::Administration(a) => {
                let result = self.store.record_administration(&me, &a, now);
                self.answer(result, Board::Changes, Done::Administered);
            }
            Write::StartAdmission { stay_id } => {
                let result = self.store.start_admission_assessment(&me, stay_id, now);
                self.answer(result, Board::Changes, Done::AdmissionStarted);
            }
            Write::SaveAdmission { id, body } => {
                let result = self.store.save_admission_draft(&me, id, &body, now);
                self.answer(result, Board::Same, Done::AdmissionSaved);
            }
            Write::SignAdmission { id, body, password } => {
                let result = self.store.sign_admission_assessment(&me, id, &body, &password.0, now);
                self.answer(result, Board::Changes, Done::AdmissionSigned);
            }
            Write::AdmissionAddendum { original, body, note, password } => {
                let result = self.store.add_admission_addendum(&me, original, &body, &note, &password.0, now);
                self.answer(result, Board::Changes, Done::AdmissionAddendum);
            }
            Write::DiscardAdmission { id } => {
                let result = self.store.discard_admission_draft(&me, id, now);
                self.answer(result, Board::Changes, Done::AdmissionDiscarded);
            }
            Write::AssignNurse { shift_start, bed_id, nurse_id } => {
                let result = self.store.assign(&me, shift_start, bed_id, nurse_id, now);
                self.answer(result, Board::Changes, Done::NurseAssigned);
            }
            // Issue 17: vital signs, the call to the provider, prompts, emergencies.
            Write::Vitals(v) => {
                let result = self.store.record_vitals(&me, &v, now);
                self.answer(result, Board::Changes, Done::VitalsRecorded);
            }
            Write::ProviderCall(c) => {
                let result = self.store.record_call(&me, &c, now);
                self.answer(result, Board::Changes, Done::CallRecorded);
            }
            Write::DismissPrompt { prompt_id, reason } => {
                let result = self.store.dismiss_prompt(&me, prompt_id, &reason, now);
                self.answer(result, Board::Changes, Done::PromptDismissed);
            }
            Write::Event(e) => {
                let result = self.store.record_event(&me, &e, now);
                self.answer(result, Board::Changes, Done::EventRecorded);
            }
        }
    }

    /// Hand a write's result to the screen that asked, the board reloaded first when the write
    /// changed what it shows.
    fn answer<T>(&mut self, result: Result<T, StoreError>, board: Board, done: impl FnOnce(Result<T, String>) -> Done) {
        if result.is_ok() && board == Board::Changes {
            self.reload_census();
        }
        self.deliver(done(result.map_err(|e| e.to_string())));
    }

    /// A stay change; an admission gives the new stay's id.
    fn change_stay(&mut self, me: &Staff, change: &StayChange, now: DateTime<Utc>) -> Result<Option<i64>, String> {
        let store = &mut self.store;
        let none = |r: Result<(), StoreError>| r.map(|()| None);
        match change {
            StayChange::Admit { bed_id, admission } => store.admit(me, *bed_id, admission, now).map(Some),
            StayChange::Transfer { stay_id, to_bed } => none(store.transfer(me, *stay_id, *to_bed, now)),
            StayChange::LevelOfCare { stay_id, code } => none(store.change_level_of_care(me, *stay_id, code, now)),
            StayChange::Observation { stay_id, code } => none(store.change_observation(me, *stay_id, code, now)),
            StayChange::SafetyFact { stay_id, fact, value, why } => {
                none(store.change_safety_fact(me, *stay_id, *fact, value, why, now))
            }
            StayChange::Discharge { stay_id, discharge } => none(store.discharge(me, *stay_id, discharge, now)),
            StayChange::Prn { stay_id, prn } => store.record_prn(me, *stay_id, prn, now).map(|_| None),
        }
        .map_err(|e| e.to_string())
    }

    /// A write's result to the screen that asked: the front one.
    fn deliver(&mut self, done: Done) {
        if let Some(cmd) = self.with_front(|front, ctx| front.on_done(done, ctx)) {
            self.run(cmd);
        }
    }
}

/// The session's writes: first-run setup, signing in, unlocking. They change who is signed in,
/// which is the app's state, not a screen's, so the app's own forms ask for them; they are here
/// so that this file stays the only one in the terminal app that writes.
impl App {
    pub(crate) fn submit_setup(&mut self) {
        let Screen::Setup(form) = &mut self.model.screen else { return };
        let v = |i| form.value(i);
        let result = NewUser::validate(&v(4), &v(5), &v(6), crate::domain::user::Role::Charge, &v(7), &v(8))
            .and_then(|u| Setup::validate(&v(0), &v(1), &v(2), &v(3), u));
        let setup = match result {
            Ok(s) => s,
            Err(e) => {
                form.error = Some(e);
                return;
            }
        };
        match self.store.setup(&setup, false, self.model.now) {
            Ok(_) => {
                self.model.ward = self.store.ward().ok().flatten();
                self.model.screen = Screen::SignIn(sign_in_form());
                self.tell("The ward is set up. Sign in with the account you just made.", false);
            }
            Err(e) => form.error = Some(e.to_string()),
        }
    }

    pub(crate) fn submit_sign_in(&mut self) {
        let Screen::SignIn(form) = &mut self.model.screen else { return };
        let (user, pw) = (form.value(0), form.value(1));
        if user.trim().is_empty() || pw.is_empty() {
            form.error = Some("type your username and password".into());
            return;
        }
        let result = self.store.sign_in(&user, &pw, self.model.now);
        let board = match &result {
            Ok(Ok(me)) => Some(self.store.ward_board(Some(me), self.model.now, self.model.tz())),
            _ => None,
        };
        let Screen::SignIn(form) = &mut self.model.screen else { return };
        match result {
            Ok(Ok(me)) => match board.unwrap_or_else(|| Ok(WardBoard::default())) {
                Ok(board) => {
                    self.model.census = CensusScreen::new(&board, self.model.now);
                    self.model.board = board;
                    self.home(Screen::Census);
                    self.model.last_input = self.model.now;
                    self.restore_stash(me.id);
                    let drafts = self.drafts_reminder(&me);
                    self.model.me = Some(me);
                    if let Some(text) = drafts {
                        self.tell(text, false);
                    }
                }
                Err(e) => form.error = Some(format!("could not load the census: {e}")),
            },
            Ok(Err(refused)) => {
                *form = sign_in_form();
                form.error = Some(refused.to_string());
            }
            Err(e) => form.error = Some(e.to_string()),
        }
    }

    /// Unlock (the same nurse) or sign in (another nurse, who gets a session of their own).
    pub(crate) fn submit_unlock(&mut self) {
        let Screen::Locked { form, .. } = &mut self.model.screen else { return };
        let (user, pw) = (form.value(0), form.value(1));
        if user.trim().is_empty() || pw.is_empty() {
            form.error = Some("type your username and password".into());
            return;
        }
        match self.store.sign_in(&user, &pw, self.model.now) {
            Ok(Ok(me)) => {
                let board = match self.store.ward_board(Some(&me), self.model.now, self.model.tz()) {
                    Ok(board) => board,
                    Err(e) => return self.tell(format!("Could not load the census: {e}"), true),
                };
                self.model.census = CensusScreen::new(&board, self.model.now);
                self.model.board = board;
                self.home(Screen::Census);
                self.model.last_input = self.model.now;
                let id = me.id;
                let drafts = self.drafts_reminder(&me);
                let welcome = self.model.stash.contains_key(&id);
                self.model.me = Some(me);
                self.restore_stash(id);
                match (drafts, &self.model.notice) {
                    (Some(d), Some(n)) if welcome => self.tell(format!("{} {d}", n.text), false),
                    (Some(d), _) => self.tell(d, false),
                    (None, _) => {}
                }
            }
            Ok(Err(refused)) => {
                let name = form.value(0);
                *form = unlock_form(&name);
                form.error = Some(refused.to_string());
            }
            Err(e) => form.error = Some(e.to_string()),
        }
    }
}
