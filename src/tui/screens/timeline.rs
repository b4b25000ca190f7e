//! A patient's timeline: notes, addenda, assessments and PRN doses in time order with author and
//! credentials; filter by kind; open any entry to read it whole; page through long histories;
//! full-text search of the notes.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::domain::note::{self, LateEntryRule};
use crate::domain::text::fit;
use crate::domain::text::inert;
use crate::domain::time::local;
use crate::domain::timeline::{EntryKind, Filter, TimelineEntry};
use crate::store::notes::Cursor;
use crate::tui::keymap::{Binding, Key};
use crate::tui::theme;

/// Entries per page.
pub const PAGE: usize = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimelineAction {
    Up,
    Down,
    Older,
    Newer,
    Open,
    Filter,
    Search,
    NewNote,
    Addendum,
    Help,
    Back,
}

#[rustfmt::skip]
pub static KEYS: &[Binding<TimelineAction>] = &[
    Binding::help(&[Key::plain(KeyCode::Up), Key::ch('k')],   TimelineAction::Up,       "up",       "Previous entry"),
    Binding::help(&[Key::plain(KeyCode::Down), Key::ch('j')], TimelineAction::Down,     "down",     "Next entry"),
    Binding::help(&[Key::plain(KeyCode::PageDown)],           TimelineAction::Older,    "older",    "Older entries (next page)"),
    Binding::help(&[Key::plain(KeyCode::PageUp)],             TimelineAction::Newer,    "newer",    "Newer entries (previous page)"),
    Binding::foot(&[Key::plain(KeyCode::Enter)],              TimelineAction::Open,     "read",     "Read the selected entry whole (a note with its addenda)"),
    Binding::foot(&[Key::ch('f')],                            TimelineAction::Filter,   "filter",   "Show everything, notes only, assessments only, or PRN doses only"),
    Binding::foot(&[Key::ch('/')],                            TimelineAction::Search,   "search",   "Search the signed notes' text (Enter searches, Esc clears)"),
    Binding::foot(&[Key::ch('n')],                            TimelineAction::NewNote,  "new note", "Start a progress note for this patient"),
    Binding::help(&[Key::ch('a')],                            TimelineAction::Addendum, "addendum", "Write an addendum to the selected note (corrections are addenda)"),
    Binding::foot(&[Key::ch('?')],                            TimelineAction::Help,     "help",     "Show every key of this screen"),
    Binding::foot(&[Key::plain(KeyCode::Esc), Key::ch('q')],  TimelineAction::Back,     "back",     "Back (from reading: to the list)"),
];

#[derive(Clone, Debug, PartialEq)]
pub struct TimelineScreen {
    pub stay_id: i64,
    pub patient_id: i64,
    pub title: String,
    pub filter: Filter,
    pub entries: Vec<TimelineEntry>,
    pub selected: usize,
    /// Cursors of the pages before this one.
    pub back: Vec<Option<Cursor>>,
    pub page_start: Option<Cursor>,
    /// Typing a search.
    pub typing: Option<String>,
    /// A search's results replace the list until Esc.
    pub search: Option<String>,
    /// Reading one entry: its lines and scroll.
    pub reading: Option<(Vec<Line<'static>>, u16)>,
}

impl TimelineScreen {
    pub fn current(&self) -> Option<&TimelineEntry> {
        self.entries.get(self.selected)
    }

    pub fn next_cursor(&self) -> Option<Cursor> {
        self.entries.last().map(|e| (e.order_at, e.kind, e.id))
    }
}

fn kind_label(e: &TimelineEntry) -> &'static str {
    match e.kind {
        EntryKind::Note => "NOTE",
        EntryKind::Addendum => "ADDENDUM",
        EntryKind::Assessment => "SCORE",
        EntryKind::Prn => "PRN",
        EntryKind::Change => "CHANGE",
    }
}

pub fn draw(f: &mut Frame<'_>, area: Rect, s: &TimelineScreen, rule: LateEntryRule, tz: Tz) {
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
    let what = match (&s.typing, &s.search) {
        (Some(q), _) => format!("search: {}▏ (Enter searches, Esc cancels)", inert(q)),
        (None, Some(q)) => format!("notes matching \"{}\" (Esc: back to the timeline)", inert(q)),
        (None, None) => format!("showing {}, newest first", s.filter.label()),
    };
    f.render_widget(
        Paragraph::new(vec![Line::from(Span::styled(inert(&s.title), theme::label())), Line::from(what)]),
        head,
    );
    if let Some((lines, scroll)) = &s.reading {
        f.render_widget(
            Paragraph::new(lines.clone())
                .wrap(Wrap { trim: false })
                .scroll((*scroll, 0))
                .block(Block::default().borders(Borders::ALL).title(" Reading (↑/↓ scroll, a addendum, Esc back) ")),
            body,
        );
        return;
    }
    let width = body.width as usize;
    let mut lines: Vec<Line<'_>> = Vec::new();
    if s.entries.is_empty() {
        lines.push(Line::from(Span::styled("Nothing here.", theme::hint())));
    }
    let rows: Vec<Vec<String>> = s
        .entries
        .iter()
        .map(|e| {
            let lead = format!("{} {:<8}", local(e.at, tz), kind_label(e));
            let mut rows =
                head_lines(&lead, &written_parts(e.at, e.written_at, &e.by, e.time_words(), rule, tz), width);
            rows.push(fit(&format!("    {}", inert(&e.summary)), width));
            rows
        })
        .collect();
    // Keep the selected entry in view (a late entry may take a line more).
    let first = first_in_view(&rows, s.selected, body.height as usize);
    let mut used = 0;
    for (i, rows) in rows.iter().enumerate().skip(first) {
        // Whole rows only: a time or a label is never shown without the rest of its row.
        used += rows.len();
        if used > body.height as usize && i > first {
            break;
        }
        let (head, summary) = rows.split_at(rows.len() - 1);
        let style = if i == s.selected { theme::selected() } else { theme::base() };
        lines.extend(head.iter().map(|h| Line::from(Span::styled(h.clone(), style))));
        lines.extend(summary.iter().map(|t| Line::from(Span::styled(t.clone(), theme::hint()))));
    }
    f.render_widget(Paragraph::new(lines), body);
}

/// Who wrote an entry and, when it was written after it happened, both times (REFERENCE.md
/// section 5): `["Sam Okafor, RN"]`, or `["LATE ENTRY", "event 02:00", "signed 04:00 by Sam
/// Okafor, RN"]` (the label only past the unit's threshold). The event's date is the row's own.
pub fn written_parts(
    at: DateTime<Utc>,
    written_at: DateTime<Utc>,
    by: &str,
    words: (&str, &str),
    rule: LateEntryRule,
    tz: Tz,
) -> Vec<String> {
    if !note::written_after(at, written_at) {
        return vec![inert(by)];
    }
    let mut parts = Vec::new();
    if rule.is_late(at, written_at) {
        parts.push("LATE ENTRY".to_string());
    }
    let times = note::both_times(at, written_at, words, false, tz);
    let (event, signed) = times.split_once(" · ").unwrap_or((&times, ""));
    parts.push(event.to_string());
    parts.push(format!("{signed} by {}", inert(by)));
    parts
}

/// A list row's head: `lead` then the parts joined by " · ", broken before a part that would
/// pass the width onto an indented line, so no time or label is cut off.
pub fn head_lines(lead: &str, parts: &[String], width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = lead.to_string();
    for (i, part) in parts.iter().enumerate() {
        let sep = if i == 0 { " " } else { " · " };
        if i > 0 && (cur.chars().count() + sep.len() + part.chars().count()) > width {
            out.push(fit(&cur, width));
            cur = format!("    {part}");
        } else {
            cur.push_str(sep);
            cur.push_str(part);
        }
    }
    out.push(fit(&cur, width));
    out
}

/// The first row to draw so that the selected one (rows of `rows[i].len()` lines each) is whole
/// within `height` lines.
pub fn first_in_view(rows: &[Vec<String>], selected: usize, height: usize) -> usize {
    let Some(last) = rows.len().checked_sub(1) else { return 0 };
    let mut first = selected.min(last);
    let mut used = rows[first].len();
    while first > 0 && used + rows[first - 1].len() <= height {
        first -= 1;
        used += rows[first].len();
    }
    first
}

/// "2026-11-25 04:10 · signed by Sam Okafor, RN", or both times and "LATE ENTRY" when written
/// after the event, for reading views (see [`note::signed_by_line`]).
pub fn signed_line(
    event_at: Option<DateTime<Utc>>,
    signed_at: Option<DateTime<Utc>>,
    by: &str,
    rule: LateEntryRule,
    tz: Tz,
) -> String {
    let (Some(e), Some(s)) = (event_at, signed_at) else { return "draft".into() };
    note::signed_by_line(e, s, by, note::NOTE_TIMES, rule, tz)
}
