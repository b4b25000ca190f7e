//! How the app moves through progress notes: starting or resuming a draft, autosaving, signing,
//! addenda, and the patient's timeline. The screens draw and take keys; this speaks to the store.
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::text::{Line, Span};

use crate::domain::note::{Format, LateEntryRule};
use crate::domain::stay::parse_event_time;
use crate::domain::text::inert;
use crate::domain::time::local;
use crate::domain::timeline::{EntryKind, Filter};
use crate::domain::user::Staff;
use crate::tui::app::{App, Screen};
use crate::tui::keymap::lookup;
use crate::tui::screens::note_editor::{self, EditorEffect, NoteEditor, note_lines};
use crate::tui::screens::stay_forms::{self, Dialog, DialogKind};
use crate::tui::screens::timeline::{self, TimelineAction, TimelineScreen, signed_line};
use crate::tui::theme;
use crate::tui::widgets::{line_input, reading};

/// The longest search a nurse can type (the timeline's and Find in notes').
pub(crate) const MAX_SEARCH: usize = 200;

impl App {
    /// The unit's late-entry threshold, as last read from the database.
    fn late_rule(&self) -> LateEntryRule {
        self.model.late_entry
    }

    /// `n` on a patient: resume your draft for them if you have one, else choose a format.
    pub(crate) fn new_note(&mut self, stay_id: i64, patient_id: i64, bed: &str, name: &str) {
        let Some(me) = self.model.me.clone() else { return };
        let title = format!("Bed {bed} · {name}");
        match self.store.my_drafts(&me) {
            Ok(drafts) => {
                if let Some(d) = drafts.into_iter().find(|d| d.stay_id == stay_id && d.kind == "note") {
                    let when = local(d.saved_at, self.model.tz());
                    self.open_editor(&d, patient_id, format!("{} note · {title}", d.format), None);
                    self.tell(format!("Resumed your draft last saved {when}."), false);
                    return;
                }
            }
            Err(e) => return self.tell(e.to_string(), true),
        }
        self.model.dialog = Some(stay_forms::note_format(stay_id, patient_id, title));
    }

    /// Submit of the format dialog: start the draft and open the editor.
    pub(crate) fn start_note(&mut self, d: &Dialog) -> Result<(), String> {
        let DialogKind::NoteFormat { stay_id, patient_id, title } = &d.kind else { return Ok(()) };
        let Some(me) = self.model.me.clone() else { return Ok(()) };
        let format = Format::from_code(&d.form.value(0)).ok_or("Format: choose one with ←/→")?;
        let id = self.store.start_note(&me, *stay_id, Some(format), None, self.model.now).map_err(|e| e.to_string())?;
        let note = self.store.note(&me, id).map_err(|e| e.to_string())?.ok_or("the new draft vanished")?;
        self.model.dialog = None;
        self.open_editor(&note, *patient_id, format!("{} note · {title}", format.code()), None);
        Ok(())
    }

    fn open_editor(
        &mut self,
        note: &crate::domain::note::Note,
        patient_id: i64,
        title: String,
        original: Option<Vec<String>>,
    ) {
        let e = NoteEditor::open(note, patient_id, title, original, self.late_rule(), self.model.now);
        self.show(Screen::NoteEditor(Box::new(e)));
    }

    /// Save the open draft now (autosave, section change, leaving, quitting, locking).
    pub(crate) fn save_open_draft(&mut self) {
        let (Some(me), Screen::NoteEditor(e)) = (self.model.me.clone(), &mut self.model.screen) else { return };
        if !e.dirty {
            return;
        }
        match self.store.save_draft(&me, e.note_id, &e.sections(), self.model.now) {
            Ok(()) => e.mark_saved(self.model.now),
            Err(err) => {
                e.error = Some(format!("Draft NOT saved: {err}. Keep this screen open and tell the charge nurse."))
            }
        }
    }

    /// Before the app ends: nothing typed is lost.
    pub fn shutdown(&mut self) {
        self.save_open_draft();
    }

    pub(crate) fn editor_effect(&mut self, effect: EditorEffect) {
        match effect {
            EditorEffect::None => {}
            EditorEffect::Help => self.model.help_open = true,
            EditorEffect::Save => self.save_open_draft(),
            EditorEffect::Close => {
                self.save_open_draft();
                let Screen::NoteEditor(e) = &self.model.screen else { return };
                if e.error.is_some() {
                    return; // the save failed: stay, so the text is not lost from view
                }
                self.back();
                self.tell("Draft kept; press n on the patient's bed to resume it.", false);
            }
            EditorEffect::Discard => {
                let (Some(me), Screen::NoteEditor(e)) = (self.model.me.clone(), &self.model.screen) else { return };
                match self.store.discard_draft(&me, e.note_id, self.model.now) {
                    Ok(()) => {
                        self.back();
                        self.tell("Draft discarded.", false);
                    }
                    Err(err) => self.tell(err.to_string(), true),
                }
            }
            EditorEffect::Sign { event_time, password } => self.sign_open_note(&event_time, &password),
        }
    }

    fn sign_open_note(&mut self, event_time: &str, password: &str) {
        let tz = self.model.tz();
        let now = self.model.now;
        self.save_open_draft();
        let (Some(me), Screen::NoteEditor(e)) = (self.model.me.clone(), &mut self.model.screen) else { return };
        let event_at = match parse_event_time("Event time", event_time, now, tz) {
            Ok(t) => t,
            Err(err) => {
                if let Some((_, form)) = &mut e.signing {
                    form.error = Some(err);
                }
                return;
            }
        };
        let (stay_id, patient_id, title) = (e.stay_id, e.patient_id, e.title.clone());
        match self.store.sign_note(&me, e.note_id, password, event_at, now) {
            Ok(note) => {
                let late = if note.is_late_entry(self.late_rule()) { " (late entry)" } else { "" };
                // The signed note is read in the timeline: the one it was written from (reloaded),
                // or a new one in front of the census.
                self.back();
                self.open_timeline_titled(stay_id, patient_id, title);
                self.tell(format!("Signed{late}. It is now part of the record and can no longer change."), false);
            }
            Err(err) => {
                if let Some((_, form)) = &mut e.signing {
                    form.error = Some(err.to_string());
                    // Never keep a typed password around after a failed attempt.
                    *form = {
                        let mut f = form.clone();
                        f.fields[1] = crate::tui::widgets::form::Field::secret("Password", "your password again");
                        f
                    };
                }
            }
        }
    }

    pub(crate) fn open_timeline(&mut self, stay_id: i64, patient_id: i64, bed: &str, name: &str) {
        self.open_timeline_titled(stay_id, patient_id, format!("Bed {bed} · {name}"));
    }

    fn open_timeline_titled(&mut self, stay_id: i64, patient_id: i64, title: String) {
        let title = title.split(" · ").skip_while(|p| !p.starts_with("Bed ")).collect::<Vec<_>>().join(" · ");
        match self.store.timeline(stay_id, Filter::All, None, timeline::PAGE) {
            Ok(entries) => {
                self.audit_read(patient_id, "timeline");
                self.show(Screen::Timeline(Box::new(TimelineScreen {
                    stay_id,
                    patient_id,
                    title: format!("{title} · timeline"),
                    filter: Filter::All,
                    entries,
                    selected: 0,
                    back: Vec::new(),
                    page_start: None,
                    typing: None,
                    search: None,
                    reading: None,
                })));
            }
            Err(e) => self.tell(format!("Could not load the timeline: {e}"), true),
        }
    }

    pub(crate) fn timeline_key(&mut self, k: KeyEvent) {
        let Screen::Timeline(t) = &mut self.model.screen else { return };
        // Typing a search.
        if let Some(q) = &mut t.typing {
            match k.code {
                KeyCode::Esc => t.typing = None,
                KeyCode::Enter => {
                    let q = q.clone();
                    t.typing = None;
                    let stay_id = t.stay_id;
                    match self.store.search_notes(stay_id, &q, 50) {
                        Ok(notes) => {
                            let Screen::Timeline(t) = &mut self.model.screen else { return };
                            t.entries = notes
                                .into_iter()
                                .map(|n| crate::domain::timeline::TimelineEntry {
                                    kind: if n.kind == "addendum" { EntryKind::Addendum } else { EntryKind::Note },
                                    id: n.id,
                                    at: n.event_at.unwrap_or(n.saved_at),
                                    written_at: n.signed_at.unwrap_or(n.saved_at),
                                    order_at: n.event_at.unwrap_or(n.saved_at),
                                    by: n.signed_by.clone().unwrap_or_default(),
                                    summary: crate::domain::note::plain_text(&n.sections).replace('\n', " "),
                                })
                                .collect();
                            t.selected = 0;
                            t.search = Some(q);
                        }
                        Err(e) => self.tell(e.to_string(), true),
                    }
                }
                _ => {
                    line_input::edit(q, &k, MAX_SEARCH);
                }
            }
            return;
        }
        // Reading one entry.
        if let Some((_, offset)) = &mut t.reading {
            if reading::scroll(offset, k.code) {
                return;
            }
            match k.code {
                KeyCode::Char('a') => self.addendum(),
                KeyCode::Esc | KeyCode::Char('q') => t.reading = None,
                _ => {}
            }
            return;
        }
        let Some(action) = lookup(timeline::KEYS, &k, |_| true) else { return };
        let (stay_id, patient_id) = (t.stay_id, t.patient_id);
        match action {
            TimelineAction::Up => t.selected = t.selected.saturating_sub(1),
            TimelineAction::Down => t.selected = (t.selected + 1).min(t.entries.len().saturating_sub(1)),
            TimelineAction::Help => self.model.help_open = true,
            TimelineAction::Back => {
                if t.search.take().is_some() {
                    let filter = t.filter;
                    self.reload_timeline(filter, None);
                } else {
                    self.back();
                }
            }
            TimelineAction::Search => t.typing = Some(String::new()),
            TimelineAction::Filter => {
                let f = t.filter.next();
                t.back.clear();
                t.search = None;
                self.reload_timeline(f, None);
            }
            TimelineAction::Older => {
                if t.search.is_some() || t.entries.len() < timeline::PAGE {
                    return self.tell("No older entries.", false);
                }
                let (cursor, start, filter) = (t.next_cursor(), t.page_start, t.filter);
                t.back.push(start);
                self.reload_timeline(filter, cursor);
            }
            TimelineAction::Newer => {
                let Some(start) = t.back.pop() else { return self.tell("This is the newest page.", false) };
                let filter = t.filter;
                self.reload_timeline(filter, start);
            }
            TimelineAction::Open => self.read_entry(),
            TimelineAction::NewNote => {
                let title = t.title.trim_end_matches(" · timeline").to_string();
                let (bed, name) = title.split_once(" · ").unwrap_or((&title, ""));
                let bed = bed.trim_start_matches("Bed ").to_string();
                let name = name.to_string();
                self.new_note(stay_id, patient_id, &bed, &name);
            }
            TimelineAction::Addendum => self.addendum(),
        }
    }

    fn reload_timeline(&mut self, filter: Filter, start: Option<crate::store::notes::Cursor>) {
        let Screen::Timeline(t) = &mut self.model.screen else { return };
        match self.store.timeline(t.stay_id, filter, start, timeline::PAGE) {
            Ok(entries) => {
                t.entries = entries;
                t.filter = filter;
                t.page_start = start;
                t.selected = 0;
            }
            Err(e) => self.tell(e.to_string(), true),
        }
    }

    /// A note to read whole: the original (an addendum's too), who signed it and when, and its
    /// addenda below.
    pub(crate) fn note_reading(&self, me: &Staff, id: i64) -> Result<Vec<Line<'static>>, String> {
        let (tz, rule) = (self.model.tz(), self.late_rule());
        let n = self.store.note(me, id).map_err(|x| x.to_string())?.ok_or("no such note")?;
        let original = match n.addendum_to {
            Some(o) => self.store.note(me, o).map_err(|x| x.to_string())?,
            None => None,
        };
        let main = original.as_ref().unwrap_or(&n);
        let mut lines = note_lines(&format!("{} note", main.format), &main.sections);
        let by = main.signed_by.clone().unwrap_or_default();
        lines.insert(
            1,
            Line::from(Span::styled(signed_line(main.event_at, main.signed_at, &by, rule, tz), theme::hint())),
        );
        for a in self.store.addenda(main.id).map_err(|x| x.to_string())? {
            lines.push(Line::from(""));
            let by = a.signed_by.clone().unwrap_or_default();
            lines.push(Line::from(Span::styled(
                format!("ADDENDUM · {}", signed_line(a.event_at, a.signed_at, &by, rule, tz)),
                theme::label(),
            )));
            for (_, text) in &a.sections {
                lines.extend(text.lines().map(|l| Line::from(format!("  {}", inert(l)))));
            }
        }
        Ok(lines)
    }

    /// Open the selected entry whole: a note with its addenda below, or an assessment's items.
    fn read_entry(&mut self) {
        let (tz, rule) = (self.model.tz(), self.late_rule());
        let Some(me) = self.model.me.clone() else { return };
        let Screen::Timeline(t) = &self.model.screen else { return };
        let Some(e) = t.current().cloned() else { return };
        let lines: Result<Vec<Line<'static>>, String> = match e.kind {
            EntryKind::Note | EntryKind::Addendum => self.note_reading(&me, e.id),
            EntryKind::Assessment => (|| {
                let a = self.store.assessment(e.id).map_err(|x| x.to_string())?.ok_or("no such assessment")?;
                let unit =
                    crate::domain::vitals::TempUnit::from_char(self.model.ward.as_ref().map_or('C', |w| w.temp_unit));
                let mut lines = vec![
                    Line::from(Span::styled(format!("{} · {}", a.scale.to_uppercase(), e.summary), theme::title())),
                    Line::from(crate::domain::note::signed_by_line(
                        a.taken_at,
                        a.recorded_at,
                        &a.by,
                        e.time_words(),
                        rule,
                        tz,
                    )),
                    Line::from(a.vitals.summary(unit)),
                ];
                let scale = crate::domain::scales::by_key(&a.scale);
                for (k, v) in &a.items {
                    let label = scale.and_then(|s| s.item(k)).map_or(k.clone(), |(_, i)| i.label.to_string());
                    lines.push(Line::from(format!("  {label:<44} {v}")));
                }
                if let Some(note) = &a.unable_note {
                    lines.push(Line::from(format!("Unable to assess: {}", inert(note))));
                }
                if !a.prompts.is_empty() {
                    lines.push(Line::from(format!("Protocol: {}", inert(&a.prompts))));
                }
                if let Some(c) = &a.comment {
                    lines.push(Line::from(format!("Comment: {}", inert(c))));
                }
                Ok(lines)
            })(),
            EntryKind::Prn | EntryKind::Change => Ok(vec![
                Line::from(Span::styled(inert(&e.summary), theme::title())),
                Line::from(crate::domain::note::signed_by_line(e.at, e.written_at, &e.by, e.time_words(), rule, tz)),
            ]),
        };
        match lines {
            Ok(lines) => {
                if let Screen::Timeline(t) = &mut self.model.screen {
                    let patient_id = t.patient_id;
                    t.reading = Some((lines, 0));
                    self.audit_read(patient_id, &format!("{:?} {}", e.kind, e.id).to_lowercase());
                }
            }
            Err(err) => self.tell(err, true),
        }
    }

    /// Start (or resume) an addendum to the selected note: it attaches to the original note,
    /// even when the selected entry is itself an addendum.
    fn addendum(&mut self) {
        let Some(me) = self.model.me.clone() else { return };
        let Screen::Timeline(t) = &self.model.screen else { return };
        let Some(e) = t.current().cloned() else { return };
        let (stay_id, patient_id, title) =
            (t.stay_id, t.patient_id, t.title.trim_end_matches(" · timeline").to_string());
        if !matches!(e.kind, EntryKind::Note | EntryKind::Addendum) {
            return self.tell("Addenda are written to notes; choose a note.", true);
        }
        let result = (|| -> Result<(), String> {
            let picked = self.store.note(&me, e.id).map_err(|x| x.to_string())?.ok_or("no such note")?;
            let original_id = picked.addendum_to.unwrap_or(picked.id);
            let original = self.store.note(&me, original_id).map_err(|x| x.to_string())?.ok_or("no such note")?;
            let drafts = self.store.my_drafts(&me).map_err(|x| x.to_string())?;
            let draft = match drafts.into_iter().find(|d| d.addendum_to == Some(original_id)) {
                Some(d) => d,
                None => {
                    let id = self
                        .store
                        .start_note(&me, stay_id, None, Some(original_id), self.model.now)
                        .map_err(|x| x.to_string())?;
                    self.store.note(&me, id).map_err(|x| x.to_string())?.ok_or("the new draft vanished")?
                }
            };
            let text: Vec<String> =
                crate::domain::note::plain_text(&original.sections).lines().map(str::to_string).collect();
            self.open_editor(&draft, patient_id, format!("Addendum · {title}"), Some(text));
            Ok(())
        })();
        if let Err(err) = result {
            self.tell(err, true);
        }
    }
}

/// The editor's help: its own keys and the text editor's.
pub fn editor_help() -> Vec<(String, &'static str)> {
    let mut rows = crate::tui::keymap::help_lines(note_editor::KEYS, |_| true);
    rows.extend(note_editor::EDITING_HELP.iter().map(|(k, h)| (k.to_string(), *h)));
    rows
}
