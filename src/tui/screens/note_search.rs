//! Find in notes (`F` on the census): a full-text search of the signed notes of every patient on
//! the ward, or of the whole record (Tab), newest written first, each with whose it is; open one
//! to read it whole. What is searched, and how fast, is `Store::find_notes`.
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::domain::note::{LateEntryRule, NOTE_TIMES, plain_text};
use crate::domain::text::{fit, inert};
use crate::domain::time::local;
use crate::store::notes::{Found, SearchScope};
use crate::tui::keymap::{Binding, Key};
use crate::tui::screens::timeline::{first_in_view, head_lines, written_parts};
use crate::tui::theme;

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
