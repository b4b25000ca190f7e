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

use crate::domain::text::fit;
use crate::domain::text::inert;
use crate::domain::time::local;
use crate::store::notes::{Cursor, Entry, EntryKind, Filter};
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

pub static KEYS: &[Binding<TimelineAction>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Up), Key::ch('k')],
        action: TimelineAction::Up,
        short: "up",
        help: "Previous entry",
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Down), Key::ch('j')],
        action: TimelineAction::Down,
        short: "down",
        help: "Next entry",
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::PageDown)],
        action: TimelineAction::Older,
        short: "older",
        help: "Older entries (next page)",
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::PageUp)],
        action: TimelineAction::Newer,
        short: "newer",
        help: "Newer entries (previous page)",
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        action: TimelineAction::Open,
        short: "read",
        help: "Read the selected entry whole (a note with its addenda)",
        footer: true,
    },
    Binding {
        keys: &[Key::ch('f')],
        action: TimelineAction::Filter,
        short: "filter",
        help: "Show everything, notes only, assessments only, or PRN doses only",
        footer: true,
    },
    Binding {
        keys: &[Key::ch('/')],
        action: TimelineAction::Search,
        short: "search",
        help: "Search the signed notes' text (Enter searches, Esc clears)",
        footer: true,
    },
    Binding {
        keys: &[Key::ch('n')],
        action: TimelineAction::NewNote,
        short: "new note",
        help: "Start a progress note for this patient",
        footer: true,
    },
    Binding {
        keys: &[Key::ch('a')],
        action: TimelineAction::Addendum,
        short: "addendum",
        help: "Write an addendum to the selected note (corrections are addenda)",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('?')],
        action: TimelineAction::Help,
        short: "help",
        help: "Show every key of this screen",
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc), Key::ch('q')],
        action: TimelineAction::Back,
        short: "back",
        help: "Back (from reading: to the list)",
        footer: true,
    },
];

#[derive(Clone, Debug, PartialEq)]
pub struct TimelineScreen {
    pub stay_id: i64,
    pub patient_id: i64,
    pub title: String,
    pub filter: Filter,
    pub entries: Vec<Entry>,
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
    pub fn current(&self) -> Option<&Entry> {
        self.entries.get(self.selected)
    }

    pub fn next_cursor(&self) -> Option<Cursor> {
        self.entries.last().map(|e| (e.at, e.kind, e.id))
    }
}

fn kind_label(e: &Entry) -> &'static str {
    match e.kind {
        EntryKind::Note => "NOTE",
        EntryKind::Addendum => "ADDENDUM",
        EntryKind::Assessment => "SCORE",
        EntryKind::Prn => "PRN",
    }
}

pub fn draw(f: &mut Frame<'_>, area: Rect, s: &TimelineScreen, tz: Tz) {
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
    for (i, e) in s.entries.iter().enumerate() {
        let late = if e.is_late_entry() {
            format!(" LATE ENTRY (written {})", local(e.written_at, tz))
        } else {
            String::new()
        };
        let head = format!("{} {:<8} {}{late}", local(e.at, tz), kind_label(e), inert(&e.by));
        let style = if i == s.selected { theme::selected() } else { theme::base() };
        lines.push(Line::from(Span::styled(fit(&head, width), style)));
        lines.push(Line::from(Span::styled(fit(&format!("    {}", inert(&e.summary)), width), theme::hint())));
    }
    f.render_widget(Paragraph::new(lines), body);
}

/// "2026-11-25 04:10 · Sam Okafor, RN" and "LATE ENTRY" when it is one, for reading views.
pub fn signed_line(event_at: Option<DateTime<Utc>>, signed_at: Option<DateTime<Utc>>, by: &str, tz: Tz) -> String {
    let (Some(e), Some(s)) = (event_at, signed_at) else { return "draft".into() };
    let late = if crate::domain::note::is_late_entry(e, s) {
        format!(" · LATE ENTRY: event {} written {}", local(e, tz), local(s, tz))
    } else {
        String::new()
    };
    format!("{} · signed by {}{late}", local(e, tz), inert(by))
}
