//! Find in notes (`F` on the census): a full-text search of the signed notes of every patient on
//! the ward, or of the whole record (Tab), newest written first, each with whose it is; open one
//! to read it whole. What is searched, and how fast, is `Store::find_notes`.
use std::collections::BTreeSet;

use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::domain::note::{LateEntryRule, NOTE_TIMES, plain_text};
use crate::domain::text::{fit, inert};
use crate::domain::time::local;
use crate::store::notes::{Found, SearchScope};
use crate::tui::component::{Cmd, Component, Ctx, View, Write};
use crate::tui::keymap::{Binding, Hints, Key, hints, lookup};
use crate::tui::screens::timeline::{MAX_SEARCH, first_in_view, head_lines, note_reading, written_parts};
use crate::tui::theme;
use crate::tui::widgets::{line_input, reading};

/// Notes shown for one search.
pub const LIMIT: usize = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchAction {
    Up,
    Down,
    Open,
    Scope,
    NewSearch,
    Help,
    Back,
}

#[rustfmt::skip]
pub static KEYS: &[Binding<SearchAction>] = &[
    Binding::help(&[Key::plain(KeyCode::Up), Key::ch('k')],  SearchAction::Up,    "up",             "Previous / next note found (also k / j)"),
    Binding::help(&[Key::plain(KeyCode::Down), Key::ch('j')], SearchAction::Down, "down",           "Previous / next note found (also k / j)"),
    Binding::foot(&[Key::plain(KeyCode::Enter)],             SearchAction::Open,  "read",           "Read the note whole"),
    Binding::foot(&[Key::plain(KeyCode::Tab)],               SearchAction::Scope, "ward/record",    "Search the patients on the ward / the whole record"),
    Binding::foot(&[Key::ch('/')],                           SearchAction::NewSearch, "new search", "Type a new search"),
    Binding::help(&[Key::ch('?')],                           SearchAction::Help,  "help",           "This help"),
    Binding::foot(&[Key::plain(KeyCode::Esc), Key::ch('q')], SearchAction::Back,  "census",         "Back to the census"),
];

#[derive(Clone, Debug)]
pub struct NoteSearchScreen {
    pub scope: SearchScope,
    /// Typing the words to find; `None` once searched.
    pub typing: Option<String>,
    /// The words of the search shown.
    pub query: String,
    pub found: Vec<Found>,
    pub selected: usize,
    /// Reading one note: its lines and scroll.
    pub reading: Option<(Vec<Line<'static>>, u16)>,
}

impl NoteSearchScreen {
    pub fn new() -> NoteSearchScreen {
        NoteSearchScreen {
            scope: SearchScope::Ward,
            typing: Some(String::new()),
            query: String::new(),
            found: Vec::new(),
            selected: 0,
            reading: None,
        }
    }

    pub fn current(&self) -> Option<&Found> {
        self.found.get(self.selected)
    }
}

impl Default for NoteSearchScreen {
    fn default() -> Self {
        NoteSearchScreen::new()
    }
}

pub fn draw(f: &mut Frame<'_>, area: Rect, s: &NoteSearchScreen, rule: LateEntryRule, tz: Tz) {
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
    let title = format!("Find in notes · {}", s.scope.label());
    let what = match &s.typing {
        Some(q) => format!("find: {}▏ (Enter searches, Esc cancels)", inert(q)),
        None if s.found.is_empty() => format!("no signed note has \"{}\"", inert(&s.query)),
        None if s.found.len() == LIMIT => format!("the {LIMIT} newest notes with \"{}\"", inert(&s.query)),
        None if s.found.len() == 1 => format!("1 note with \"{}\"", inert(&s.query)),
        None => format!("{} notes with \"{}\", newest first", s.found.len(), inert(&s.query)),
    };
    f.render_widget(Paragraph::new(vec![Line::from(Span::styled(title, theme::label())), Line::from(what)]), head);
    if let Some((lines, scroll)) = &s.reading {
        // Found across patients: the frame says whose note this is.
        let whose = s.current().map_or(String::new(), |h| format!("{} · ", inert(&whose(h))));
        f.render_widget(
            Paragraph::new(lines.clone())
                .wrap(Wrap { trim: false })
                .scroll((*scroll, 0))
                .block(Block::default().borders(Borders::ALL).title(format!(" {whose}↑/↓ scroll, Esc back "))),
            body,
        );
        return;
    }
    let width = body.width as usize;
    // Two lines a note (three when its times need a line of their own); keep the selected one in
    // view.
    let rows: Vec<Vec<String>> = s
        .found
        .iter()
        .map(|h| {
            let n = &h.note;
            let lead = format!("{} {:<9}", n.event_at.map_or_else(|| "draft".to_string(), |e| local(e, tz)), n.format);
            let by = n.signed_by.as_deref().unwrap_or_default();
            let mut parts = vec![inert(&whose(h))];
            match (n.event_at, n.signed_at) {
                (Some(e), Some(w)) => parts.extend(written_parts(e, w, by, NOTE_TIMES, rule, tz)),
                _ => parts.push(inert(by)),
            }
            let mut rows = head_lines(&lead, &parts, width);
            let text = plain_text(&n.sections).replace('\n', " ");
            let text = around_match(&text, &s.query);
            rows.push(fit(&format!("    {}", inert(&text)), width));
            rows
        })
        .collect();
    let first = first_in_view(&rows, s.selected, body.height as usize);
    let mut lines: Vec<Line<'_>> = Vec::new();
    let mut used = 0;
    for (i, rows) in rows.iter().enumerate().skip(first) {
        // Whole rows only: a time or a label is never shown without the rest of its row.
        used += rows.len();
        if used > body.height as usize && i > first {
            break;
        }
        let (head, text) = rows.split_at(rows.len() - 1);
        let style = if i == s.selected { theme::selected() } else { theme::base() };
        lines.extend(head.iter().map(|h| Line::from(Span::styled(h.clone(), style))));
        lines.extend(text.iter().map(|t| Line::from(Span::styled(t.clone(), theme::hint()))));
    }
    f.render_widget(Paragraph::new(lines), body);
}

/// "Bed 3 Maria Delgado", or "Maria Delgado (discharged)".
fn whose(h: &Found) -> String {
    if h.on_ward { format!("Bed {} {}", h.bed, h.patient) } else { format!("{} (discharged)", h.patient) }
}

/// The note's text from a little before the first word of the search it contains, so that the
/// line shows why the note was found ("…Day 3. Fine tremor on extension…"). The whole text when
/// no word is found as typed (the index also matches without accents).
fn around_match(text: &str, query: &str) -> String {
    let lower = text.to_lowercase();
    // Lower-casing can change byte lengths outside ASCII: only use a position valid in both.
    let at = query
        .split_whitespace()
        .filter_map(|w| lower.find(&w.to_lowercase()))
        .min()
        .filter(|&i| lower.len() == text.len() && text.is_char_boundary(i));
    match at {
        Some(i) if i > 24 => {
            let mut start = i - 16;
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            // From the next word start (a space is one byte, so +1 stays on a boundary).
            let start = text[start..i].find(' ').map_or(start, |k| start + k + 1);
            format!("…{}", &text[start..])
        }
        _ => text.to_string(),
    }
}

impl NoteSearchScreen {
    fn search(&mut self, ctx: &Ctx<'_>) -> Cmd {
        if self.query.is_empty() {
            return Cmd::None;
        }
        match ctx.store.find_notes(self.scope, &self.query, LIMIT) {
            Ok(found) => {
                // What a search shows is a read of each patient's notes (one transaction).
                let patients: BTreeSet<i64> = found.iter().map(|h| h.patient_id).collect();
                self.found = found;
                self.selected = 0;
                Cmd::Write(Write::AuditRead {
                    patient_ids: patients.into_iter().collect(),
                    what: "notes found by a search".into(),
                })
            }
            Err(e) => Cmd::error(format!("Could not search the notes: {e}")),
        }
    }

    fn read_found(&mut self, ctx: &Ctx<'_>) -> Cmd {
        let Some(me) = ctx.me else { return Cmd::None };
        let Some(h) = self.current().cloned() else { return Cmd::tell("Nothing found to read.") };
        match note_reading(ctx.store, me, h.note.id, ctx.late_entry, ctx.tz) {
            Ok(lines) => {
                self.reading = Some((lines, 0));
                Cmd::Write(Write::AuditRead {
                    patient_ids: vec![h.patient_id],
                    what: format!("note {} (from a search)", h.note.id),
                })
            }
            Err(e) => Cmd::error(e),
        }
    }
}

impl Component for NoteSearchScreen {
    fn title(&self) -> String {
        "Find in notes".into()
    }

    fn hints(&self, _view: &View<'_>) -> (Hints, Hints) {
        hints(&[KEYS], |_| true)
    }

    fn on_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        if let Some(q) = &mut self.typing {
            match k.code {
                KeyCode::Esc if self.query.is_empty() => return Cmd::Back,
                KeyCode::Esc => self.typing = None,
                KeyCode::Enter if q.trim().is_empty() => return Cmd::tell("Type a word to find."),
                KeyCode::Enter => {
                    self.query = q.trim().to_string();
                    self.typing = None;
                    return self.search(ctx);
                }
                _ => {
                    line_input::edit(q, k, MAX_SEARCH);
                }
            }
            return Cmd::None;
        }
        if let Some((_, offset)) = &mut self.reading {
            if !reading::scroll(offset, k.code) && matches!(k.code, KeyCode::Esc | KeyCode::Char('q')) {
                self.reading = None;
            }
            return Cmd::None;
        }
        let Some(action) = lookup(KEYS, k, |_| true) else { return Cmd::None };
        match action {
            SearchAction::Up => self.selected = self.selected.saturating_sub(1),
            SearchAction::Down => self.selected = (self.selected + 1).min(self.found.len().saturating_sub(1)),
            SearchAction::Scope => {
                self.scope = self.scope.other();
                return self.search(ctx);
            }
            SearchAction::NewSearch => self.typing = Some(String::new()),
            SearchAction::Help => return Cmd::Help,
            SearchAction::Back => return Cmd::Back,
            SearchAction::Open => return self.read_found(ctx),
        }
        Cmd::None
    }

    fn on_paste(&mut self, text: &str, _ctx: &Ctx<'_>) -> Cmd {
        if let Some(q) = &mut self.typing {
            line_input::paste(q, text, MAX_SEARCH);
        }
        Cmd::None
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        draw(f, area, self, view.late_entry, view.tz);
    }
}

#[cfg(test)]
mod tests {
    use super::around_match;

    #[test]
    fn the_excerpt_starts_near_the_word_found() {
        let t = "Subjective: Reports sleeping about four hours. Objective: Day 3. Fine tremor on extension.";
        let e = around_match(t, "Tremor");
        assert!(e.starts_with('…') && e.contains("Fine tremor on extension."), "{e}");
        assert!(e.len() < t.len());
        assert_eq!(around_match("Tremor at rest.", "tremor"), "Tremor at rest.", "near the start: all of it");
        assert_eq!(around_match(t, "absent"), t, "no word found: all of it");
        let accented = "Ünterschrift geleistet, keine Auffälligkeiten bei der Visite, Tremor fein";
        assert!(around_match(accented, "tremor").contains("Tremor fein"));
        // Multi-byte text just before the word: never cut inside a character.
        for pad in 0..12 {
            let t = format!("{}{}ééé€€€ 震え tremor", "x".repeat(pad), "ö".repeat(20));
            assert!(around_match(&t, "tremor").ends_with("tremor"), "{t}");
        }
    }
}
