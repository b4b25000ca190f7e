//! The app's side of Find in notes: typing the words, searching the ward or the whole record
//! through the store, reading a note found. Every patient whose notes a search shows, and every
//! note opened, is an audited read.
use std::collections::BTreeSet;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::tui::app::{App, Screen};
use crate::tui::keymap::lookup;
use crate::tui::notes_flow::MAX_SEARCH;
use crate::tui::screens::note_search::{self, SearchAction};
use crate::tui::widgets::{line_input, reading};

impl App {
    /// `F` on the census: type what to find.
    pub(crate) fn open_note_search(&mut self) {
        self.show(Screen::NoteSearch(Box::default()));
    }

    pub(crate) fn note_search_key(&mut self, k: KeyEvent) {
        let Screen::NoteSearch(s) = &mut self.model.screen else { return };
        if let Some(q) = &mut s.typing {
            match k.code {
                KeyCode::Esc if s.query.is_empty() => self.back(),
                KeyCode::Esc => s.typing = None,
                KeyCode::Enter if q.trim().is_empty() => self.tell("Type a word to find.", false),
                KeyCode::Enter => {
                    s.query = q.trim().to_string();
                    s.typing = None;
                    self.run_note_search();
                }
                _ => {
                    line_input::edit(q, &k, MAX_SEARCH);
                }
            }
            return;
        }
        if let Some((_, offset)) = &mut s.reading {
            if !reading::scroll(offset, k.code) && matches!(k.code, KeyCode::Esc | KeyCode::Char('q')) {
                s.reading = None;
            }
            return;
        }
        let Some(action) = lookup(note_search::KEYS, &k, |_| true) else { return };
        match action {
            SearchAction::Up => s.selected = s.selected.saturating_sub(1),
            SearchAction::Down => s.selected = (s.selected + 1).min(s.found.len().saturating_sub(1)),
            SearchAction::Scope => {
                s.scope = s.scope.other();
                self.run_note_search();
            }
            SearchAction::NewSearch => s.typing = Some(String::new()),
            SearchAction::Help => self.model.help_open = true,
            SearchAction::Back => self.back(),
            SearchAction::Open => self.read_found_note(),
        }
    }

    fn run_note_search(&mut self) {
        let Screen::NoteSearch(s) = &self.model.screen else { return };
        let (scope, query) = (s.scope, s.query.clone());
        if query.is_empty() {
            return;
        }
        match self.store.find_notes(scope, &query, note_search::LIMIT) {
            Ok(found) => {
                // What a search shows is a read of each patient's notes (one transaction).
                let patients: BTreeSet<i64> = found.iter().map(|h| h.patient_id).collect();
                let patients: Vec<i64> = patients.into_iter().collect();
                self.audit_reads(&patients, "notes found by a search");
                if let Screen::NoteSearch(s) = &mut self.model.screen {
                    s.found = found;
                    s.selected = 0;
                }
            }
            Err(e) => self.tell(format!("Could not search the notes: {e}"), true),
        }
    }

    fn read_found_note(&mut self) {
        let Some(me) = self.model.me.clone() else { return };
        let Screen::NoteSearch(s) = &self.model.screen else { return };
        let Some(h) = s.current().cloned() else { return self.tell("Nothing found to read.", false) };
        match self.note_reading(&me, h.note.id) {
            Ok(lines) => {
                self.audit_read(h.patient_id, &format!("note {} (from a search)", h.note.id));
                if let Screen::NoteSearch(s) = &mut self.model.screen {
                    s.reading = Some((lines, 0));
                }
            }
            Err(e) => self.tell(e, true),
        }
    }
}
