//! The admission assessment screen (issue 16 point 1; REFERENCE.md §8): the five sections on the
//! left with each one's state in words, the current section's fields on the right. Every section
//! is answered or marked "not assessed" with a reason (Ctrl-N, then the reason); nothing is
//! chosen for the nurse. The draft saves itself a few seconds after she pauses (like a note's);
//! Ctrl-S signs it with her password once nothing is missing. A signed assessment is read here,
//! with who signed it and when and each addendum laid over it; `a` writes an addendum to a
//! section. Another nurse's draft is shown read-only.
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::domain::admission::{AdmissionRecord, Assessment, MAX_SUBSTANCES, MAX_TEXT, SectionKey, Status};
use crate::domain::text::{fit, inert};
use crate::domain::time::local;
use crate::tui::app::Screen;
use crate::tui::component::{Cmd, Component, Ctx, Done, Secret, View, Write};
use crate::tui::keymap::{Binding, Hints, Key, hints, lookup};
use crate::tui::screens::admission_sections::{Draft, F, FieldKind, HISTORY, idx, pawss_item, section_lines};
use crate::tui::screens::note_editor::AUTOSAVE_AFTER;
use crate::tui::theme;
use crate::tui::widgets::form::{Field, Form, FormEvent};
use crate::tui::widgets::line_input;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditAction {
    Next,
    Prev,
    NextSection,
    PrevSection,
    NotAssessed,
    AddRow,
    DeleteRow,
    Sign,
    Close,
    Help,
}

#[rustfmt::skip]
pub static EDIT_KEYS: &[Binding<EditAction>] = &[
    Binding::foot(&[Key::plain(KeyCode::Enter), Key::plain(KeyCode::Tab), Key::plain(KeyCode::Down)], EditAction::Next, "next field", "Next field (also Tab, ↓); after a section's last field, the next section"),
    Binding::help(&[Key::plain(KeyCode::BackTab), Key::plain(KeyCode::Up)], EditAction::Prev,       "previous",      "Previous field (also ↑)"),
    Binding::foot(&[Key::plain(KeyCode::PageDown)], EditAction::NextSection, "section",       "Next / previous section (PgDn / PgUp)"),
    Binding::help(&[Key::plain(KeyCode::PageUp)],   EditAction::PrevSection, "prev section",  "Next / previous section (PgDn / PgUp)"),
    Binding::foot(&[Key::ctrl('n')],                EditAction::NotAssessed, "not assessed",  "Mark this section not assessed (then type why); again to answer it"),
    Binding::help(&[Key::ctrl('a')],                EditAction::AddRow,      "add substance", "Substance use: add a row (one per substance, nicotine included)"),
    Binding::help(&[Key::ctrl('d')],                EditAction::DeleteRow,   "delete row",    "Substance use: delete the row you are in (twice if it has text)"),
    Binding::foot(&[Key::ctrl('s')],                EditAction::Sign,        "sign",          "Sign with your password (refused, with what is missing, until complete)"),
    Binding::foot(&[Key::plain(KeyCode::Esc)],      EditAction::Close,       "close",         "Close; the draft is saved and resumed with i on the bed"),
    Binding::foot(&[Key::plain(KeyCode::F(1))],     EditAction::Help,        "help",          "Show every key of this screen"),
];

/// Choosing an answer, listed in help (the field's own letters are shown beside it).
pub const CHOICE_HELP: &[(&str, &str)] = &[
    ("y n u", "Yes / no / unknown (the next field follows)"),
    ("←/→ Space", "Step through a choice's answers; Backspace clears it"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadAction {
    Up,
    Down,
    Addendum,
    ScrollUp,
    ScrollDown,
    Close,
    Help,
}

#[rustfmt::skip]
pub static READ_KEYS: &[Binding<ReadAction>] = &[
    Binding::help(&[Key::plain(KeyCode::Up), Key::ch('k')],   ReadAction::Up,   "up",   "Previous / next section (also k / j)"),
    Binding::help(&[Key::plain(KeyCode::Down), Key::ch('j')], ReadAction::Down, "down", "Previous / next section (also k / j)"),
    Binding::foot(&[Key::ch('a')],                  ReadAction::Addendum,   "addendum",  "Write a signed addendum to the selected section (complete or correct it)"),
    Binding::help(&[Key::plain(KeyCode::PageUp)],   ReadAction::ScrollUp,   "scroll up", "Scroll the section and the record (PgUp / PgDn)"),
    Binding::help(&[Key::plain(KeyCode::PageDown)], ReadAction::ScrollDown, "scroll",    "Scroll the section and the record (PgUp / PgDn)"),
    Binding::foot(&[Key::plain(KeyCode::Esc)],      ReadAction::Close,      "back",      "Back to the census"),
    Binding::foot(&[Key::plain(KeyCode::F(1)), Key::ch('?')], ReadAction::Help, "help",  "Show every key of this screen"),
];

/// What the screen is doing.
#[derive(Clone, Debug, PartialEq)]
enum Mode {
    /// Waiting for the store to start (or resume) the draft.
    Starting,
    /// Editing the nurse's own draft.
    Draft { id: i64 },
    /// Reading: a signed assessment (addenda possible) or another nurse's draft.
    Read,
    /// Writing an addendum to one section of the signed assessment `original`.
    Addendum { original: i64, key: SectionKey },
}

#[derive(Clone, Debug)]
pub struct AdmissionScreen {
    stay_id: i64,
    /// "Bed 3 · Ana Ortiz".
    title: String,
    mode: Mode,
    record: Option<AdmissionRecord>,
    draft: Draft,
    section: usize,
    field: usize,
    cursor: usize,
    dirty: bool,
    last_edit: DateTime<Utc>,
    saved_at: Option<DateTime<Utc>>,
    /// Esc was pressed: leave once the save is written.
    closing: bool,
    /// A one-line message on the screen: (text, is an error).
    message: Option<(String, bool)>,
    /// Why signing was refused, listed until the next key.
    problems: Vec<String>,
    /// The password (and, for an addendum, the reason) form.
    signing: Option<Form>,
    armed: bool,
    scroll: u16,
}

fn is_ctrl(k: &KeyEvent) -> bool {
    k.modifiers.contains(KeyModifiers::CONTROL)
}

impl AdmissionScreen {
    fn new(stay_id: i64, title: String, mode: Mode, now: DateTime<Utc>) -> AdmissionScreen {
        AdmissionScreen {
            stay_id,
            title,
            mode,
            record: None,
            draft: Draft::default(),
            section: 0,
            field: 0,
            cursor: 0,
            dirty: false,
            last_edit: now,
            saved_at: None,
            closing: false,
            message: None,
            problems: Vec::new(),
            signing: None,
            armed: false,
            scroll: 0,
        }
    }

    /// `i` on a bed (and after the admission form): the nurse's draft started or resumed; a
    /// signed assessment or another nurse's draft opens to be read.
    pub fn open(ctx: &Ctx<'_>, stay_id: i64) -> Cmd {
        let Some(me) = ctx.me else { return Cmd::None };
        let title = ctx
            .board
            .rows
            .iter()
            .find_map(|r| {
                r.occupant.as_ref().filter(|o| o.stay_id == stay_id).map(|o| format!("Bed {} · {}", r.bed, o.name))
            })
            .unwrap_or_else(|| format!("stay {stay_id}"));
        let record = match ctx.store.admission_assessment(stay_id) {
            Ok(r) => r,
            Err(e) => return Cmd::error(format!("Could not read the admission assessment: {e}")),
        };
        match record {
            Some(rec) if rec.signed() || rec.original.author_id != me.id => {
                let mut s = AdmissionScreen::new(stay_id, title, Mode::Read, ctx.now);
                s.show_record(rec, me.id);
                Cmd::Open(Screen::Other(Box::new(s)))
            }
            _ => Cmd::Many(vec![
                Cmd::Open(Screen::Other(Box::new(AdmissionScreen::new(stay_id, title, Mode::Starting, ctx.now)))),
                Cmd::Write(Write::StartAdmission { stay_id }),
            ]),
        }
    }

    fn show_record(&mut self, rec: AdmissionRecord, me: i64) {
        self.mode = Mode::Read;
        self.signing = None;
        self.message = if !rec.signed() && rec.original.author_id != me {
            Some((
                format!(
                    "In progress by {}: only they can continue or sign it. You are reading it.",
                    rec.original.author
                ),
                false,
            ))
        } else {
            None
        };
        self.record = Some(rec);
    }

    fn key(&self) -> SectionKey {
        SectionKey::ALL[self.section.min(4)]
    }

    fn fields(&self) -> Vec<F> {
        self.draft.fields(self.key())
    }

    fn current(&self) -> Option<F> {
        self.fields().get(self.field).copied()
    }

    fn editable(&self) -> bool {
        matches!(self.mode, Mode::Draft { .. } | Mode::Addendum { .. })
    }

    /// Put the focus on field `i` of section `s` (clamped), the cursor at the end of its text.
    fn focus(&mut self, s: usize, i: usize) {
        self.section = s.min(4);
        let n = self.fields().len();
        self.field = i.min(n.saturating_sub(1));
        self.cursor = self.current().map_or(0, |f| self.draft.text(self.key(), f).chars().count());
    }

    fn next(&mut self, step: i32) {
        let n = self.fields().len();
        let addendum = matches!(self.mode, Mode::Addendum { .. });
        if step > 0 {
            if self.field + 1 < n {
                self.focus(self.section, self.field + 1);
            } else if !addendum {
                self.focus((self.section + 1) % 5, 0);
            } else {
                self.focus(self.section, 0);
            }
        } else if self.field > 0 {
            self.focus(self.section, self.field - 1);
        } else if !addendum {
            let s = (self.section + 4) % 5;
            self.section = s;
            let last = self.fields().len().saturating_sub(1);
            self.focus(s, last);
        } else {
            self.focus(self.section, n.saturating_sub(1));
        }
    }

    fn edited(&mut self, now: DateTime<Utc>) {
        self.dirty = true;
        self.last_edit = now;
        self.armed = false;
    }

    /// Save what is unsaved (the draft only: an addendum is written when signed).
    fn save(&self) -> Cmd {
        match self.mode {
            Mode::Draft { id } if self.dirty => Cmd::Write(Write::SaveAdmission { id, body: self.draft.saved_body() }),
            _ => Cmd::None,
        }
    }

    /// Everything that keeps the draft (or addendum) from being signed.
    fn sign_problems(&self) -> Vec<String> {
        match self.mode {
            Mode::Addendum { key, .. } => {
                let mut p: Vec<String> =
                    self.draft.unfinished().into_iter().filter(|l| l.starts_with(key.title())).collect();
                p.extend(self.draft.body_of(key).problems(false));
                p
            }
            _ => {
                let mut p = self.draft.unfinished();
                let body = self.draft.body();
                // A section with a choice still to make is listed once, by what to choose.
                let rest: Vec<String> = body
                    .problems(true)
                    .into_iter()
                    .filter(|l| {
                        !(l.contains("answer it") && p.iter().any(|u| u.split(':').next() == l.split(':').next()))
                    })
                    .collect();
                p.extend(rest);
                p
            }
        }
    }

    /// The problems of the section in view (the nicotine rule among them), as it stands.
    fn section_problems(&self) -> Vec<String> {
        let key = self.key();
        let mut p: Vec<String> = self.draft.unfinished().into_iter().filter(|l| l.starts_with(key.title())).collect();
        p.extend(self.draft.body_of(key).problems(false).into_iter().filter(|l| l.starts_with(key.title())));
        p
    }

    fn start_signing(&mut self) {
        let problems = self.sign_problems();
        if !problems.is_empty() {
            self.message = Some((format!("Not signed: {} thing(s) missing, listed here.", problems.len()), true));
            self.problems = problems;
            return;
        }
        let password = Field::secret("Password", "your password again: this is your signature");
        let mut form = match self.mode {
            Mode::Addendum { key, .. } => {
                let mut f = Form::new(
                    format!("Sign an addendum: {}", key.title()),
                    vec![Field::text("Why", "what it completes or corrects"), password],
                )
                .with_verb("sign addendum");
                f.intro = vec!["It is added to the record under the signed assessment.".into()];
                f
            }
            _ => {
                let mut f = Form::new("Sign the admission assessment", vec![password]).with_verb("sign");
                f.intro = vec!["Once signed it never changes; corrections are addenda.".into()];
                f
            }
        };
        form.focus = 0;
        self.signing = Some(form);
    }

    fn sign_key(&mut self, k: &KeyEvent) -> Cmd {
        let Some(form) = &mut self.signing else { return Cmd::None };
        match k.code {
            KeyCode::PageDown => self.scroll = self.scroll.saturating_add(5),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(5),
            _ => match form.handle_key(k) {
                FormEvent::Cancel => self.signing = None,
                FormEvent::Edited => {}
                FormEvent::Submit => match self.mode {
                    Mode::Draft { id } => {
                        let password = Secret(form.value(0));
                        return Cmd::Write(Write::SignAdmission { id, body: self.draft.body(), password });
                    }
                    Mode::Addendum { original, key } => {
                        if form.value(0).trim().is_empty() {
                            form.error = Some("Why: say what the addendum completes or corrects".into());
                            return Cmd::None;
                        }
                        return Cmd::Write(Write::AdmissionAddendum {
                            original,
                            body: self.draft.body_of(key),
                            note: form.value(0).trim().to_string(),
                            password: Secret(form.value(1)),
                        });
                    }
                    _ => {}
                },
            },
        }
        Cmd::None
    }

    fn edit_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        let action = lookup(EDIT_KEYS, k, |_| true);
        if action != Some(EditAction::DeleteRow) && action != Some(EditAction::Close) {
            self.armed = false;
        }
        let key = self.key();
        let addendum = matches!(self.mode, Mode::Addendum { .. });
        match action {
            Some(EditAction::Next) => self.next(1),
            Some(EditAction::Prev) => self.next(-1),
            Some(EditAction::NextSection) if !addendum => {
                self.focus((self.section + 1) % 5, 0);
                return self.save();
            }
            Some(EditAction::PrevSection) if !addendum => {
                self.focus((self.section + 4) % 5, 0);
                return self.save();
            }
            Some(EditAction::NextSection | EditAction::PrevSection) => {}
            Some(EditAction::NotAssessed) => {
                let marked = self.draft.toggle_not_assessed(key);
                self.edited(ctx.now);
                self.focus(self.section, 0);
                self.message = Some((
                    if marked {
                        format!("{}: not assessed. Type why; Ctrl-N again to answer it instead.", key.title())
                    } else {
                        format!("{}: answering it again (what you typed before is kept).", key.title())
                    },
                    false,
                ));
            }
            Some(EditAction::AddRow) => {
                if key != SectionKey::Substances || self.draft.not_assessed[0].is_some() {
                    self.message = Some(("Rows are added in Substance use.".into(), true));
                } else if self.draft.rows.len() >= MAX_SUBSTANCES {
                    self.message = Some((format!("At most {MAX_SUBSTANCES} substances."), true));
                } else {
                    self.draft.rows.push(Default::default());
                    let first = (self.draft.rows.len() - 1) * 6;
                    self.focus(self.section, first);
                }
            }
            Some(EditAction::DeleteRow) => {
                let Some(F::Sub(r, _)) = self.current() else {
                    self.message = Some(("Go to the substance row to delete first.".into(), true));
                    return Cmd::None;
                };
                let has_text = self.draft.rows.get(r).is_some_and(|row| (0..6).any(|i| !row.get(i).trim().is_empty()));
                if has_text && !self.armed {
                    self.armed = true;
                    self.message = Some((format!("Press Ctrl-D again to delete substance {}.", r + 1), false));
                    return Cmd::None;
                }
                self.draft.rows.remove(r);
                self.armed = false;
                self.edited(ctx.now);
                self.focus(self.section, r * 6);
                self.message = Some((format!("Substance {} deleted.", r + 1), false));
            }
            Some(EditAction::Sign) => {
                self.start_signing();
                return self.save();
            }
            Some(EditAction::Close) => match self.mode {
                Mode::Addendum { .. } => {
                    let empty = self.draft.body_of(key) == Assessment::default();
                    if empty || self.armed {
                        self.mode = Mode::Read;
                        self.armed = false;
                        self.message = Some(("No addendum written.".into(), false));
                    } else {
                        self.armed = true;
                        self.message = Some(("Press Esc again to leave without writing the addendum.".into(), true));
                    }
                }
                _ if self.dirty => {
                    self.closing = true;
                    return self.save();
                }
                _ => return Cmd::Many(vec![Cmd::Back, Cmd::tell("Draft kept; press i on the bed to resume it.")]),
            },
            Some(EditAction::Help) => return Cmd::Help,
            None => return self.answer_key(k, ctx),
        }
        Cmd::None
    }

    /// A key that is not the screen's: it edits the field in focus.
    fn answer_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        let key = self.key();
        let Some(f) = self.current() else { return Cmd::None };
        match f.kind() {
            FieldKind::Text | FieldKind::Time => {
                let Some(text) = self.draft.text_mut(key, f) else { return Cmd::None };
                let before = text.clone();
                line_input::edit_at(text, &mut self.cursor, k, MAX_TEXT);
                if *text != before {
                    self.draft.reread_time(f, ctx.now, ctx.tz);
                    self.edited(ctx.now);
                }
            }
            FieldKind::Choice(_) => {
                let (c, step, clear) = match k.code {
                    KeyCode::Char(c) if !is_ctrl(k) => (Some(c.to_ascii_lowercase()), 0, false),
                    KeyCode::Left => (None, -1, false),
                    KeyCode::Right => (None, 1, false),
                    KeyCode::Backspace | KeyCode::Delete => (None, 0, true),
                    _ => return Cmd::None,
                };
                let (c, step) = if c == Some(' ') && f != F::NoNicotine { (None, 1) } else { (c, step) };
                if self.draft.choose(f, c, step, clear) {
                    self.edited(ctx.now);
                    // A letter answers and moves on; stepping stays to look.
                    if c.is_some() && c != Some(' ') && f != F::NoNicotine {
                        self.next(1);
                    }
                } else if let Some(c) = c.filter(|c| *c != ' ')
                    && let FieldKind::Choice(letters) = f.kind()
                {
                    self.message = Some((format!("{c:?} is not an answer here: {letters}"), true));
                }
            }
        }
        Cmd::None
    }

    fn read_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        match lookup(READ_KEYS, k, |_| true) {
            Some(ReadAction::Up) => {
                self.section = (self.section + 4) % 5;
                self.scroll = 0;
            }
            Some(ReadAction::Down) => {
                self.section = (self.section + 1) % 5;
                self.scroll = 0;
            }
            Some(ReadAction::ScrollUp) => self.scroll = self.scroll.saturating_sub(5),
            Some(ReadAction::ScrollDown) => self.scroll = self.scroll.saturating_add(5),
            Some(ReadAction::Addendum) => {
                let Some(rec) = &self.record else { return Cmd::None };
                if !rec.signed() {
                    return Cmd::error(format!(
                        "Not signed yet: {} has it in progress; an addendum attaches to a signed assessment.",
                        rec.original.author
                    ));
                }
                let key = self.key();
                // A correction starts from the section as it stands; a section not assessed
                // starts empty.
                let effective = rec.effective();
                let mut draft = Draft::from_body(&effective, ctx.tz);
                draft.not_assessed[idx(key)] = None;
                let mut fresh = Draft::default();
                match key {
                    SectionKey::Substances => (fresh.rows, fresh.no_nicotine) = (draft.rows, draft.no_nicotine),
                    SectionKey::Withdrawal => fresh.history = draft.history,
                    SectionKey::Medical => {
                        (fresh.conditions, fresh.medications, fresh.pregnancy, fresh.allergies) =
                            (draft.conditions, draft.medications, draft.pregnancy, draft.allergies)
                    }
                    SectionKey::Psychiatric => {
                        (fresh.diagnoses, fresh.hospitalisation, fresh.self_harm, fresh.outpatient) =
                            (draft.diagnoses, draft.hospitalisation, draft.self_harm, draft.outpatient)
                    }
                    SectionKey::Arrival => (fresh.bal, fresh.uds, fresh.search) = (draft.bal, draft.uds, draft.search),
                }
                self.draft = fresh;
                self.mode = Mode::Addendum { original: rec.original.id, key };
                self.dirty = false;
                self.focus(self.section, 0);
                self.message =
                    Some((format!("Addendum to {}: fill it in, then Ctrl-S to sign with why.", key.title()), false));
            }
            Some(ReadAction::Close) => return Cmd::Back,
            Some(ReadAction::Help) => return Cmd::Help,
            None => {}
        }
        Cmd::None
    }

    fn reload(&mut self, ctx: &Ctx<'_>) -> Result<AdmissionRecord, String> {
        match ctx.store.admission_assessment(self.stay_id) {
            Ok(Some(r)) => Ok(r),
            Ok(None) => Err("the admission assessment is not in the record".into()),
            Err(e) => Err(e.to_string()),
        }
    }

    fn failed_signing(&mut self, err: String) {
        if let Some(form) = &mut self.signing {
            // Never keep a typed password after a failed attempt.
            let pw = form.fields.len() - 1;
            form.fields[pw] = Field::secret("Password", "your password again");
            form.focus = pw;
            form.error = Some(err);
        }
    }
}

impl Component for AdmissionScreen {
    fn title(&self) -> String {
        "Admission assessment".into()
    }

    fn hints(&self, _view: &View<'_>) -> (Hints, Hints) {
        if let Some(form) = &self.signing {
            return (
                form.footer_hints(),
                crate::tui::keymap::help_lines(crate::tui::widgets::form::FORM_KEYS, |_| true),
            );
        }
        match self.mode {
            Mode::Read | Mode::Starting => {
                let signed = self.record.as_ref().is_some_and(AdmissionRecord::signed);
                hints(&[READ_KEYS], |a| a != ReadAction::Addendum || signed)
            }
            _ => {
                let (foot, mut help) = hints(&[EDIT_KEYS], |_| true);
                help.extend(CHOICE_HELP.iter().map(|(k, h)| (k.to_string(), *h)));
                (foot, help)
            }
        }
    }

    fn on_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        if !self.problems.is_empty() {
            // The list of what is missing stays until the next key, which still does its work.
            self.problems.clear();
        }
        self.message = None;
        if self.signing.is_some() {
            return self.sign_key(k);
        }
        match self.mode {
            Mode::Starting => match k.code {
                KeyCode::Esc => Cmd::Back,
                _ => Cmd::None,
            },
            Mode::Read => self.read_key(k, ctx),
            _ => self.edit_key(k, ctx),
        }
    }

    fn on_paste(&mut self, text: &str, ctx: &Ctx<'_>) -> Cmd {
        if let Some(form) = &mut self.signing {
            form.paste(text);
            return Cmd::None;
        }
        if !self.editable() {
            return Cmd::None;
        }
        let key = self.key();
        if let Some(f) = self.current().filter(|f| matches!(f.kind(), FieldKind::Text | FieldKind::Time))
            && let Some(t) = self.draft.text_mut(key, f)
        {
            line_input::paste_at(t, &mut self.cursor, text, MAX_TEXT);
            self.draft.reread_time(f, ctx.now, ctx.tz);
            self.edited(ctx.now);
        }
        Cmd::None
    }

    /// A pause in typing saves the draft (as the note editor does: nothing older than a few
    /// seconds is lost).
    fn on_tick(&mut self, ctx: &Ctx<'_>) -> Cmd {
        if matches!(self.mode, Mode::Draft { .. }) && self.dirty && ctx.now - self.last_edit >= AUTOSAVE_AFTER {
            self.save()
        } else {
            Cmd::None
        }
    }

    fn on_done(&mut self, done: Done, ctx: &Ctx<'_>) -> Cmd {
        let me = ctx.me.map_or(0, |m| m.id);
        match done {
            Done::AdmissionStarted(Ok(id)) => match self.reload(ctx) {
                Ok(rec) if rec.original.id == id && !rec.signed() => {
                    let resumed = rec.original.body != Assessment::default();
                    self.draft = Draft::from_body(&rec.original.body, ctx.tz);
                    self.saved_at = Some(rec.original.saved_at);
                    self.mode = Mode::Draft { id };
                    self.record = Some(rec.clone());
                    self.focus(0, 0);
                    if resumed {
                        let first =
                            SectionKey::ALL.iter().position(|k| rec.original.body.status(*k) == Status::Unanswered);
                        self.focus(first.unwrap_or(0), 0);
                        return Cmd::tell(format!(
                            "Resumed your draft last saved {}.",
                            local(rec.original.saved_at, ctx.tz)
                        ));
                    }
                    Cmd::None
                }
                Ok(rec) => {
                    self.show_record(rec, me);
                    Cmd::None
                }
                Err(e) => Cmd::Many(vec![Cmd::Back, Cmd::error(e)]),
            },
            Done::AdmissionStarted(Err(e)) => match self.reload(ctx) {
                Ok(rec) => {
                    self.show_record(rec, me);
                    if self.message.is_none() {
                        self.message = Some((e, false));
                    }
                    Cmd::None
                }
                Err(_) => Cmd::Many(vec![Cmd::Back, Cmd::error(e)]),
            },
            Done::AdmissionSaved(Ok(())) => {
                self.dirty = false;
                self.saved_at = Some(ctx.now);
                if std::mem::take(&mut self.closing) {
                    return Cmd::Many(vec![Cmd::Back, Cmd::tell("Draft kept; press i on the bed to resume it.")]);
                }
                Cmd::None
            }
            Done::AdmissionSaved(Err(e)) => {
                self.closing = false;
                self.message =
                    Some((format!("Draft NOT saved: {e}. Keep this screen open and tell the charge nurse."), true));
                Cmd::None
            }
            Done::AdmissionSigned(Ok(())) | Done::AdmissionAddendum(Ok(_)) => {
                let addendum = matches!(self.mode, Mode::Addendum { .. });
                self.dirty = false;
                match self.reload(ctx) {
                    Ok(rec) => self.show_record(rec, me),
                    Err(e) => return Cmd::error(e),
                }
                Cmd::tell(if addendum {
                    "Addendum signed: it is part of the record, laid over the section it gives."
                } else {
                    "Signed: the admission assessment is part of the record and can no longer change."
                })
            }
            Done::AdmissionSigned(Err(e)) | Done::AdmissionAddendum(Err(e)) => {
                self.failed_signing(e);
                Cmd::None
            }
            _ => Cmd::None,
        }
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        draw(f, area, self, view);
    }

    fn unsaved(&self) -> Option<String> {
        match self.mode {
            Mode::Draft { .. } if self.dirty => Some(format!("Admission assessment ({}): draft NOT saved", self.title)),
            Mode::Draft { .. } if !self.draft.unfinished().is_empty() => Some(format!(
                "Admission assessment ({}): a section with a choice still to make is not in the draft",
                self.title
            )),
            Mode::Addendum { key, .. } if self.draft.body_of(key) != Assessment::default() => {
                Some(format!("Admission assessment ({}): addendum not signed", self.title))
            }
            _ => None,
        }
    }
}

/// A section's state in words (a text marker, never colour alone).
fn state_words(body: &Assessment, draft: Option<&Draft>, key: SectionKey) -> (String, ratatui::style::Style) {
    if let Some(d) = draft
        && !d.partial(key).is_empty()
    {
        return (format!("begun: {} to choose", d.partial(key).len()), theme::due_soon());
    }
    match body.status(key) {
        Status::Answered => ("answered".into(), theme::base()),
        Status::NotAssessed(r) if r.trim().is_empty() => ("not assessed: why?".into(), theme::due_soon()),
        Status::NotAssessed(r) => (format!("not assessed: {}", r.trim()), theme::unable()),
        Status::Unanswered => ("not yet".into(), theme::hint()),
    }
}

fn draw(f: &mut Frame<'_>, area: Rect, s: &AdmissionScreen, view: &View<'_>) {
    let (now, tz) = (view.now, view.tz);
    let [head, body, status] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(1)]).areas(area);
    let state = match (&s.mode, &s.record) {
        (Mode::Starting, _) => "opening…".to_string(),
        (Mode::Draft { .. }, _) if s.dirty => "editing (autosaves when you pause)".into(),
        (Mode::Draft { .. }, _) => match s.saved_at {
            Some(t) => format!("draft saved {}s ago", (now - t).num_seconds().max(0)),
            None => "draft".into(),
        },
        (Mode::Addendum { key, .. }, _) => format!("addendum to {} (not signed yet)", key.title()),
        (Mode::Read, Some(r)) => match r.original.signed_at {
            Some(at) => format!("signed {} by {}", local(at, tz), r.original.author),
            None => format!("in progress by {}", r.original.author),
        },
        (Mode::Read, None) => String::new(),
    };
    let line = format!("Admission assessment · {} · {state}", s.title);
    f.render_widget(Paragraph::new(Span::styled(fit(&line, area.width as usize), theme::label())), head);
    if let Some((text, error)) = &s.message {
        let style = if *error { theme::error() } else { theme::info() };
        f.render_widget(Paragraph::new(Span::styled(fit(&format!(" {text} "), status.width as usize), style)), status);
    }
    if let Some(form) = &s.signing {
        let h = form.height().min(body.height);
        let [preview, sign] = Layout::vertical([Constraint::Min(1), Constraint::Length(h)]).areas(body);
        let (a, keys): (Assessment, Vec<SectionKey>) = match s.mode {
            Mode::Addendum { key, .. } => (s.draft.body_of(key), vec![key]),
            _ => (s.draft.body(), SectionKey::ALL.to_vec()),
        };
        let mut lines = vec![Line::from(Span::styled("As it will stand (PgUp/PgDn):", theme::label()))];
        for k in keys {
            lines.push(Line::from(Span::styled(format!("{}:", k.title()), theme::label())));
            lines.extend(section_lines(&a, k, tz).into_iter().map(|l| Line::from(format!("  {}", inert(&l)))));
        }
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((s.scroll, 0)), preview);
        form.draw_at(f, sign, Some((now, tz)));
        return;
    }
    let list_w = if body.width >= 70 { 24 } else { 21 };
    let [list, _gap, right] =
        Layout::horizontal([Constraint::Length(list_w), Constraint::Length(1), Constraint::Min(10)]).areas(body);
    // The sections and their states.
    let (shown, draft) = match s.mode {
        Mode::Draft { .. } => (s.draft.body(), Some(&s.draft)),
        _ => (s.record.as_ref().map(AdmissionRecord::effective).unwrap_or_default(), None),
    };
    let mut lines = Vec::new();
    let w = list_w as usize;
    for (i, k) in SectionKey::ALL.iter().enumerate() {
        let here = i == s.section;
        let mark = if here { "▶ " } else { "  " };
        let style = if here { theme::selected() } else { theme::label() };
        lines.push(Line::from(Span::styled(fit(&format!("{mark}{}", k.title()), w), style)));
        let (words, st) = match s.mode {
            Mode::Addendum { key, .. } if key == *k => ("addendum being written".to_string(), theme::due_soon()),
            _ => state_words(&shown, draft, *k),
        };
        lines.push(Line::from(Span::styled(fit(&format!("    {words}"), w), st)));
    }
    f.render_widget(Paragraph::new(lines), list);
    match s.mode {
        Mode::Starting => {}
        Mode::Read => draw_read(f, right, s, view),
        _ => draw_fields(f, right, s, view),
    }
}

fn draw_read(f: &mut Frame<'_>, area: Rect, s: &AdmissionScreen, view: &View<'_>) {
    let Some(rec) = &s.record else { return };
    let tz = view.tz;
    let key = s.key();
    let eff = rec.effective();
    let mut lines = vec![Line::from(Span::styled(key.title(), theme::label()))];
    lines.extend(section_lines(&eff, key, tz).into_iter().map(|l| Line::from(format!("  {}", inert(&l)))));
    // Where the section as it stands comes from: the last addendum that gives it, else the original.
    let from = rec.addenda.iter().enumerate().rev().find(|(_, a)| a.body.status(key) != Status::Unanswered);
    let source = match (from, rec.original.signed_at) {
        (Some((n, a)), _) => format!(
            "  from addendum {} by {} at {}",
            n + 1,
            a.author,
            a.signed_at.map(|t| local(t, tz)).unwrap_or_default()
        ),
        (None, Some(at)) => format!("  signed by {} at {}", rec.original.author, local(at, tz)),
        (None, None) => format!("  draft by {}, last saved {}", rec.original.author, local(rec.original.saved_at, tz)),
    };
    lines.push(Line::from(Span::styled(source, theme::hint())));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("The record", theme::label())));
    match rec.original.signed_at {
        Some(at) => lines.push(Line::from(format!("  signed {} by {}", local(at, tz), rec.original.author))),
        None => lines.push(Line::from(format!(
            "  in progress by {}: started {}, saved {}",
            rec.original.author,
            local(rec.original.started_at, tz),
            local(rec.original.saved_at, tz)
        ))),
    }
    for (n, a) in rec.addenda.iter().enumerate() {
        let gives: Vec<&str> =
            SectionKey::ALL.iter().filter(|k| a.body.status(**k) != Status::Unanswered).map(|k| k.title()).collect();
        lines.push(Line::from(format!(
            "  addendum {} signed {} by {}: {}; why: {}",
            n + 1,
            a.signed_at.map(|t| local(t, tz)).unwrap_or_default(),
            a.author,
            gives.join(", "),
            a.note.as_deref().unwrap_or("").trim()
        )));
    }
    if rec.signed() {
        lines.push(Line::from(Span::styled("  a: an addendum to this section", theme::hint())));
    }
    let lines: Vec<Line<'_>> = lines.into_iter().map(|l| Line::from(inert_line(l))).collect();
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((s.scroll, 0)), area);
}

fn inert_line(l: Line<'_>) -> Vec<Span<'static>> {
    l.spans.into_iter().map(|sp| Span::styled(inert(&sp.content), sp.style)).collect()
}

/// A value as shown: the text with a cursor mark when in focus, cut to `w` keeping the cursor's end.
fn value_shown(text: &str, cursor: Option<usize>, w: usize) -> String {
    let mut v: String = inert(text);
    if let Some(c) = cursor {
        let at = v.char_indices().nth(c).map_or(v.len(), |(b, _)| b);
        v.insert(at, '▏');
        if v.width() > w && w > 1 {
            let tail: String = v.chars().rev().take(w - 1).collect::<Vec<_>>().into_iter().rev().collect();
            return format!("…{tail}");
        }
    }
    fit(&v, w)
}

fn draw_fields(f: &mut Frame<'_>, area: Rect, s: &AdmissionScreen, view: &View<'_>) {
    let (now, tz) = (view.now, view.tz);
    let key = s.key();
    let fields = s.fields();
    let width = area.width as usize;
    let label_w = fields.iter().map(|x| x.label().width()).max().unwrap_or(10).min(width * 2 / 5).max(8) + 1;
    let mut lines: Vec<Line<'_>> = Vec::new();
    let mut focus_line = 0;
    let title = match s.draft.not_assessed[idx(key)] {
        Some(_) => format!("{} ({}/5) · not assessed", key.title(), s.section + 1),
        None => format!("{} ({}/5)", key.title(), s.section + 1),
    };
    lines.push(Line::from(Span::styled(fit(&title, width), theme::label())));
    if key == SectionKey::Withdrawal && s.draft.not_assessed[1].is_none() {
        // REFERENCE.md §8: "these feed PAWSS items 2, 3, 5, 6: shown, never auto-scored".
        let mut items: Vec<u8> = HISTORY.iter().filter_map(|h| pawss_item(*h)).collect();
        items.sort_unstable();
        let items: Vec<String> = items.iter().map(u8::to_string).collect();
        let text = format!("Feeds PAWSS {} (shown there, never scored)", items.join(", "));
        lines.push(Line::from(Span::styled(fit(&text, width), theme::hint())));
    }
    for (i, field) in fields.iter().enumerate() {
        if let F::Sub(r, 0) = field {
            lines.push(Line::from(Span::styled(fit(&format!("Substance {}", r + 1), width), theme::label())));
        }
        let indent = match field {
            F::TestResult(_) | F::TestPositive(_) | F::TestTime(_) | F::TestReason(_) => "  ",
            F::SearchBy | F::SearchTime | F::SearchFindings | F::SearchReason => "  ",
            _ => "",
        };
        let here = i == s.field;
        if here {
            focus_line = lines.len();
        }
        let mark = if here { "▶ " } else { "  " };
        let label = fit(&format!("{mark}{indent}{}", field.label()), label_w + 2);
        let label = format!("{label:<w$} ", w = label_w + 2);
        let room = width.saturating_sub(label.width());
        let mut below: Option<(String, bool)> = None;
        let (value, extra) = match field.kind() {
            FieldKind::Choice(letters) => {
                let v = match (s.draft.choice(*field), field) {
                    (Some(v), _) => format!("◂ {v} ▸"),
                    (None, F::NoNicotine) => "[ ] (Space marks it)".to_string(),
                    (None, _) => format!("◂ {letters} ▸"),
                };
                let v = if *field == F::NoNicotine && s.draft.no_nicotine { "[x] marked".to_string() } else { v };
                (fit(&v, room), None)
            }
            FieldKind::Text | FieldKind::Time => {
                let text = s.draft.text(key, *field);
                let echo = s.draft.time(*field).and_then(|t| t.echo(now, tz));
                let beside = echo.as_ref().is_some_and(|(e, _)| room > e.width() + 12);
                let vw = match &echo {
                    Some((e, _)) if beside => room - e.width() - 2,
                    _ => room,
                };
                let v = value_shown(&text, here.then_some(s.cursor), vw);
                if !beside {
                    below = echo.clone();
                }
                (v, echo.filter(|_| beside))
            }
        };
        let vstyle = if here { theme::focused_field() } else { theme::base() };
        let mut spans = vec![Span::styled(label, theme::label()), Span::styled(value, vstyle)];
        if let Some((e, refused)) = extra {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(e, if refused { theme::due_soon() } else { theme::info() }));
        }
        if let F::History(h) = field
            && let Some(n) = pawss_item(HISTORY[(*h).min(3)])
        {
            spans.push(Span::styled(format!(" PAWSS {n}"), theme::hint()));
        }
        lines.push(Line::from(spans));
        // The time as read, under the field when it does not fit beside it.
        if let Some((e, refused)) = below.take() {
            let style = if refused { theme::due_soon() } else { theme::info() };
            lines.push(Line::from(Span::styled(fit(&format!("      {e}"), width), style)));
        }
        if *field == F::Allergies
            && let Some(o) = view.board.rows.iter().find_map(|r| r.occupant.as_ref().filter(|o| o.stay_id == s.stay_id))
            && !o.allergies.trim().is_empty()
        {
            // The stay's allergies as on the board: for reference, never copied in.
            let text = format!("    on the board: {} (not copied in)", o.allergies.trim());
            lines.push(Line::from(Span::styled(fit(&text, width), theme::hint())));
        }
    }
    if key == SectionKey::Substances && s.draft.not_assessed[0].is_none() {
        lines.push(Line::from(Span::styled(fit("Ctrl-A adds a substance · Ctrl-D deletes one", width), theme::hint())));
    }
    // Below the fields: what to type here, and this section's problems (or, after a refused
    // Ctrl-S, everything missing).
    let mut under: Vec<Line<'_>> = Vec::new();
    let focused = fields.get(s.field);
    if let Some(fd) = focused {
        let refused = s.draft.time(*fd).and_then(|t| t.refused.clone());
        match refused {
            Some(e) => under.push(Line::from(Span::styled(e, theme::due_soon()))),
            // A label cut to fit its column is said whole here, with what to type.
            None if fd.label().width() + 1 > label_w => {
                under.push(Line::from(Span::styled(format!("{}: {}", fd.label(), fd.hint()), theme::hint())))
            }
            None => under.push(Line::from(Span::styled(fd.hint().to_string(), theme::hint()))),
        }
    }
    let (head, list) =
        if s.problems.is_empty() { ("", s.section_problems()) } else { ("Not ready to sign:", s.problems.clone()) };
    if !head.is_empty() {
        under.push(Line::from(Span::styled(head, theme::error())));
    }
    // While editing, the section's first two problems (the nicotine rule among them); after a
    // refused Ctrl-S, everything missing.
    let keep = if head.is_empty() { 2 } else { list.len() };
    let more = list.len().saturating_sub(keep);
    for p in list.into_iter().take(keep) {
        under.push(Line::from(Span::styled(format!("! {}", inert(&p)), theme::due_soon())));
    }
    if more > 0 {
        under.push(Line::from(Span::styled(format!("  and {more} more (Ctrl-S lists them all)"), theme::hint())));
    }
    let under_h = (under.len() as u16 * 2).min(area.height / 2).max(1);
    let [top, bottom] = Layout::vertical([Constraint::Min(1), Constraint::Length(under_h)]).areas(area);
    let h = top.height as usize;
    let offset = (focus_line + 2).saturating_sub(h);
    let shown: Vec<Line<'_>> = lines.into_iter().skip(offset).collect();
    f.render_widget(Paragraph::new(shown), top);
    f.render_widget(Paragraph::new(under).wrap(Wrap { trim: false }), bottom);
}
