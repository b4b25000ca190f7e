//! A patient's timeline: notes, addenda, assessments and PRN doses in time order with author and
//! credentials; filter by kind; open any entry to read it whole; page through long histories;
//! full-text search of the notes.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::domain::note::{self, LateEntryRule};
use crate::domain::text::fit;
use crate::domain::text::inert;
use crate::domain::time::local;
use crate::domain::timeline::{EntryKind, Filter, TimelineEntry};
use crate::domain::user::Staff;
use crate::store::Store;
use crate::store::notes::Cursor;
use crate::tui::app::Screen;
use crate::tui::component::{Cmd, Component, Ctx, Done, View, Write};
use crate::tui::keymap::{Binding, Hints, Key, hints, lookup};
use crate::tui::screens::dialog::Dialog;
use crate::tui::screens::note_editor::{self, Opening};
use crate::tui::theme;
use crate::tui::widgets::{line_input, reading};

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
        EntryKind::Screen => "SCREEN",
        EntryKind::Admission => "INTAKE",
        EntryKind::Order => "ORDER",
        EntryKind::OrderStop => "D/C",
        EntryKind::Dose => "MED",
        EntryKind::Vitals => "VITALS",
        EntryKind::Call => "CALL",
        EntryKind::Event => "EVENT",
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

/// The longest search a nurse can type (the timeline's and Find in notes').
pub const MAX_SEARCH: usize = 200;

impl TimelineScreen {
    /// A stay's timeline, newest first, and the audit of the read; `title` is the patient's
    /// ("Bed 3 · Aisha Rahman", or an editor's title ending so). Shown in place of a timeline
    /// in front (after signing a note written from it), else in front of the screen.
    pub fn open(store: &Store, stay_id: i64, patient_id: i64, title: &str) -> Cmd {
        let title = title.split(" · ").skip_while(|p| !p.starts_with("Bed ")).collect::<Vec<_>>().join(" · ");
        match store.timeline(stay_id, Filter::All, None, PAGE) {
            Ok(entries) => Cmd::Many(vec![
                Cmd::Write(Write::AuditRead { patient_ids: vec![patient_id], what: "timeline".into() }),
                Cmd::Show(Screen::Timeline(Box::new(TimelineScreen {
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
                }))),
            ]),
            Err(e) => Cmd::error(format!("Could not load the timeline: {e}")),
        }
    }

    /// The patient's part of the title ("Bed 3 · Aisha Rahman").
    fn patient_title(&self) -> String {
        self.title.trim_end_matches(" · timeline").to_string()
    }

    fn reload(&mut self, store: &Store, filter: Filter, start: Option<Cursor>) -> Cmd {
        match store.timeline(self.stay_id, filter, start, PAGE) {
            Ok(entries) => {
                self.entries = entries;
                self.filter = filter;
                self.page_start = start;
                self.selected = 0;
                Cmd::None
            }
            Err(e) => Cmd::error(e.to_string()),
        }
    }

    fn search_key(&mut self, k: &KeyEvent, store: &Store) -> Cmd {
        let Some(q) = &mut self.typing else { return Cmd::None };
        match k.code {
            KeyCode::Esc => self.typing = None,
            KeyCode::Enter => {
                let q = q.clone();
                self.typing = None;
                match store.search_notes(self.stay_id, &q, 50) {
                    Ok(notes) => {
                        self.entries = notes
                            .into_iter()
                            .map(|n| TimelineEntry {
                                kind: if n.kind == "addendum" { EntryKind::Addendum } else { EntryKind::Note },
                                id: n.id,
                                at: n.event_at.unwrap_or(n.saved_at),
                                written_at: n.signed_at.unwrap_or(n.saved_at),
                                order_at: n.event_at.unwrap_or(n.saved_at),
                                by: n.signed_by.clone().unwrap_or_default(),
                                summary: note::plain_text(&n.sections).replace('\n', " "),
                            })
                            .collect();
                        self.selected = 0;
                        self.search = Some(q);
                    }
                    Err(e) => return Cmd::error(e.to_string()),
                }
            }
            _ => {
                line_input::edit(q, k, MAX_SEARCH);
            }
        }
        Cmd::None
    }

    /// Open the selected entry whole: a note with its addenda below, or an assessment's items.
    fn read_entry(&mut self, ctx: &Ctx<'_>) -> Cmd {
        let Some(me) = ctx.me else { return Cmd::None };
        let Some(e) = self.current().cloned() else { return Cmd::None };
        let (rule, tz) = (ctx.late_entry, ctx.tz);
        let lines: Result<Vec<Line<'static>>, String> = match e.kind {
            EntryKind::Note | EntryKind::Addendum => note_reading(ctx.store, me, e.id, rule, tz),
            EntryKind::Assessment => (|| {
                let a = ctx.store.assessment(e.id).map_err(|x| x.to_string())?.ok_or("no such assessment")?;
                let mut lines = vec![
                    Line::from(Span::styled(format!("{} · {}", a.scale.to_uppercase(), e.summary), theme::title())),
                    Line::from(note::signed_by_line(a.taken_at, a.recorded_at, &a.by, e.time_words(), rule, tz)),
                    Line::from(a.vitals.summary(ctx.temp_unit())),
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
            EntryKind::Screen => screen_reading(ctx.store, &e, rule, tz),
            EntryKind::Admission => admission_reading(ctx.store, &e, self.stay_id, tz),
            EntryKind::Prn
            | EntryKind::Change
            | EntryKind::Order
            | EntryKind::OrderStop
            | EntryKind::Dose
            | EntryKind::Vitals
            | EntryKind::Call
            | EntryKind::Event => Ok(vec![
                Line::from(Span::styled(inert(&e.summary), theme::title())),
                Line::from(note::signed_by_line(e.at, e.written_at, &e.by, e.time_words(), rule, tz)),
            ]),
        };
        match lines {
            Ok(lines) => {
                self.reading = Some((lines, 0));
                let what = format!("{:?} {}", e.kind, e.id).to_lowercase();
                Cmd::Write(Write::AuditRead { patient_ids: vec![self.patient_id], what })
            }
            Err(err) => Cmd::error(err),
        }
    }

    /// Start (or resume) an addendum to the selected note: it attaches to the original note,
    /// even when the selected entry is itself an addendum.
    fn addendum(&self, ctx: &Ctx<'_>) -> Cmd {
        let Some(me) = ctx.me else { return Cmd::None };
        let Some(e) = self.current() else { return Cmd::None };
        if !matches!(e.kind, EntryKind::Note | EntryKind::Addendum) {
            return Cmd::error("Addenda are written to notes; choose a note.");
        }
        let result = (|| -> Result<Cmd, String> {
            let err = |x: crate::store::StoreError| x.to_string();
            let picked = ctx.store.note(me, e.id).map_err(err)?.ok_or("no such note")?;
            let original_id = picked.addendum_to.unwrap_or(picked.id);
            let original = ctx.store.note(me, original_id).map_err(err)?.ok_or("no such note")?;
            let text: Vec<String> = note::plain_text(&original.sections).lines().map(str::to_string).collect();
            let opening = Opening {
                patient_id: self.patient_id,
                title: format!("Addendum · {}", self.patient_title()),
                original: Some(text),
            };
            let drafts = ctx.store.my_drafts(me).map_err(err)?;
            Ok(match drafts.into_iter().find(|d| d.addendum_to == Some(original_id)) {
                Some(d) => note_editor::opened(Ok(d), opening, &ctx.view),
                None => Cmd::Write(Write::StartNote {
                    stay_id: self.stay_id,
                    format: None,
                    addendum_to: Some(original_id),
                    opening,
                }),
            })
        })();
        result.unwrap_or_else(Cmd::error)
    }
}

/// A note to read whole: the original (an addendum's too), who signed it and when, and its
/// addenda below. The timeline and Find in notes read notes so.
pub fn note_reading(
    store: &Store,
    me: &Staff,
    id: i64,
    rule: LateEntryRule,
    tz: Tz,
) -> Result<Vec<Line<'static>>, String> {
    let n = store.note(me, id).map_err(|x| x.to_string())?.ok_or("no such note")?;
    let original = match n.addendum_to {
        Some(o) => store.note(me, o).map_err(|x| x.to_string())?,
        None => None,
    };
    let main = original.as_ref().unwrap_or(&n);
    let mut lines = note_editor::note_lines(&format!("{} note", main.format), &main.sections);
    let by = main.signed_by.clone().unwrap_or_default();
    lines.insert(1, Line::from(Span::styled(signed_line(main.event_at, main.signed_at, &by, rule, tz), theme::hint())));
    for a in store.addenda(main.id).map_err(|x| x.to_string())? {
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

impl Component for TimelineScreen {
    fn title(&self) -> String {
        "Timeline".into()
    }

    fn hints(&self, _view: &View<'_>) -> (Hints, Hints) {
        hints(&[KEYS], |_| true)
    }

    fn on_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        if self.typing.is_some() {
            return self.search_key(k, ctx.store);
        }
        if let Some((_, offset)) = &mut self.reading {
            if reading::scroll(offset, k.code) {
                return Cmd::None;
            }
            match k.code {
                KeyCode::Char('a') => return self.addendum(ctx),
                KeyCode::Esc | KeyCode::Char('q') => self.reading = None,
                _ => {}
            }
            return Cmd::None;
        }
        let Some(action) = lookup(KEYS, k, |_| true) else { return Cmd::None };
        match action {
            TimelineAction::Up => self.selected = self.selected.saturating_sub(1),
            TimelineAction::Down => self.selected = (self.selected + 1).min(self.entries.len().saturating_sub(1)),
            TimelineAction::Help => return Cmd::Help,
            TimelineAction::Back => {
                if self.search.take().is_some() {
                    return self.reload(ctx.store, self.filter, None);
                }
                return Cmd::Back;
            }
            TimelineAction::Search => self.typing = Some(String::new()),
            TimelineAction::Filter => {
                self.back.clear();
                self.search = None;
                return self.reload(ctx.store, self.filter.next(), None);
            }
            TimelineAction::Older => {
                if self.search.is_some() || self.entries.len() < PAGE {
                    return Cmd::tell("No older entries.");
                }
                let cursor = self.next_cursor();
                self.back.push(self.page_start);
                return self.reload(ctx.store, self.filter, cursor);
            }
            TimelineAction::Newer => {
                let Some(start) = self.back.pop() else { return Cmd::tell("This is the newest page.") };
                return self.reload(ctx.store, self.filter, start);
            }
            TimelineAction::Open => return self.read_entry(ctx),
            TimelineAction::NewNote => {
                return note_editor::new_note(
                    ctx.store,
                    &ctx.view,
                    self.stay_id,
                    self.patient_id,
                    self.patient_title(),
                );
            }
            TimelineAction::Addendum => return self.addendum(ctx),
        }
        Cmd::None
    }

    fn on_paste(&mut self, text: &str, _ctx: &Ctx<'_>) -> Cmd {
        if let Some(q) = &mut self.typing {
            line_input::paste(q, text, MAX_SEARCH);
        }
        Cmd::None
    }

    fn on_done(&mut self, done: Done, ctx: &Ctx<'_>) -> Cmd {
        match done {
            Done::NoteStarted { result, opening } => note_editor::opened(result, opening, &ctx.view),
            _ => Cmd::None,
        }
    }

    fn on_dialog(&mut self, d: &Dialog, _ctx: &Ctx<'_>) -> Option<Result<Cmd, String>> {
        note_editor::start_note(d)
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        draw(f, area, self, view.late_entry, view.tz);
    }
}

/// A screen read whole (issue 16): what it found, who took it when, why, each item as asked and
/// answered, and on a high-risk C-SSRS the nurse's recorded decision.
fn screen_reading(store: &Store, e: &TimelineEntry, rule: LateEntryRule, tz: Tz) -> Result<Vec<Line<'static>>, String> {
    use crate::domain::screen::ScreenKind;
    let sc = store.screen(e.id).map_err(|x| x.to_string())?.ok_or("no such screen")?;
    let mut lines = vec![
        Line::from(Span::styled(format!("{} · {}", sc.kind.title(), sc.summary()), theme::title())),
        Line::from(note::signed_by_line(sc.taken_at, sc.recorded_at, &sc.by, e.time_words(), rule, tz)),
        Line::from(format!("Occasion: {}", sc.occasion.label())),
    ];
    let label = |item: &str| -> String {
        match sc.kind {
            ScreenKind::Cssrs => crate::domain::cssrs::Question::ALL
                .into_iter()
                .find(|q| format!("q{}", q.number()) == item)
                .map_or(item.to_string(), |q| format!("{}. {}", q.number(), q.text())),
            ScreenKind::Morse => {
                crate::domain::morse::MORSE.item(item).map_or(item.to_string(), |(_, i)| i.label.to_string())
            }
            ScreenKind::Sows => {
                crate::domain::scales::sows::SOWS.item(item).map_or(item.to_string(), |(_, i)| i.label.to_string())
            }
            ScreenKind::Pawss => match item {
                "gate_alcohol" => format!("gate: {}", crate::domain::pawss::GATE_ALCOHOL_TEXT),
                "gate_bal" => format!("gate: {}", crate::domain::pawss::GATE_BAL_TEXT),
                _ => crate::domain::pawss::ITEMS
                    .iter()
                    .find(|i| i.key == item)
                    .map_or(item.to_string(), |i| format!("{}. {}", i.number, i.text)),
            },
            ScreenKind::Rass => "RASS level".to_string(),
        }
    };
    for (item, answer) in &sc.items {
        lines.push(Line::from(format!("  {} : {}", inert(&label(item)), inert(answer))));
    }
    if let Some(d) = &sc.decision {
        lines.push(Line::from(Span::styled(format!("Decision: {}", inert(d)), theme::severe())));
    }
    if let Some(c) = &sc.comment {
        lines.push(Line::from(format!("Comment: {}", inert(c))));
    }
    Ok(lines)
}

/// The admission assessment (or one addendum) read whole: each section it gives, answered or
/// "not assessed" with the reason.
fn admission_reading(store: &Store, e: &TimelineEntry, stay_id: i64, tz: Tz) -> Result<Vec<Line<'static>>, String> {
    use crate::domain::admission::{Search, Section, SectionKey};
    let record = store.admission_assessment(stay_id).map_err(|x| x.to_string())?.ok_or("no admission assessment")?;
    let entry = std::iter::once(&record.original)
        .chain(record.addenda.iter())
        .find(|a| a.id == e.id)
        .ok_or("no such admission assessment entry")?;
    let signed = entry.signed_at.unwrap_or(entry.saved_at);
    let mut lines = vec![
        Line::from(Span::styled(inert(&e.summary), theme::title())),
        // Started and signed, not an event and its writing: never a "late entry".
        Line::from(format!(
            "started {} · signed {} by {}",
            local(entry.started_at, tz),
            local(signed, tz),
            inert(&entry.author)
        )),
    ];
    if let Some(n) = &entry.note {
        lines.push(Line::from(format!("Why: {}", inert(n))));
    }
    let at = |t: DateTime<Utc>| local(t, tz);
    let known = |k: crate::domain::pawss::Known| format!("{k:?}").to_lowercase();
    let b = &entry.body;
    for key in SectionKey::ALL {
        let body: Vec<String> = match key {
            SectionKey::Substances => match &b.substances {
                Section::Answered(s) => {
                    let mut v: Vec<String> = s
                        .rows
                        .iter()
                        .map(|r| {
                            format!(
                                "{}: {}; {}; last use {}; first use at {}; {}",
                                r.substance, r.route, r.amount_frequency, r.last_use, r.age_first_use, r.pattern
                            )
                        })
                        .collect();
                    if s.no_nicotine {
                        v.push("no nicotine use".into());
                    }
                    v
                }
                other => section_state(other),
            },
            SectionKey::Withdrawal => match &b.withdrawal {
                Section::Answered(h) => vec![format!(
                    "prior withdrawal {}; seizures {}; delirium tremens {}; detox/rehab treatment {}",
                    known(h.prior_withdrawal),
                    known(h.seizures),
                    known(h.delirium_tremens),
                    known(h.treatment)
                )],
                other => section_state(other),
            },
            SectionKey::Medical => match &b.medical {
                Section::Answered(m) => vec![
                    format!("conditions: {}", m.conditions),
                    format!("medications: {}", m.medications),
                    format!("pregnancy: {}; allergies: {}", m.pregnancy.label(), m.allergies),
                ],
                other => section_state(other),
            },
            SectionKey::Psychiatric => match &b.psychiatric {
                Section::Answered(p) => vec![
                    format!("diagnoses: {}", p.diagnoses),
                    format!(
                        "prior psychiatric hospitalisation {}; prior self-harm or attempts {}",
                        known(p.hospitalisation),
                        known(p.self_harm)
                    ),
                    format!("outpatient care: {}", p.outpatient_care),
                ],
                other => section_state(other),
            },
            SectionKey::Arrival => match &b.arrival {
                Section::Answered(a) => vec![
                    format!("BAL: {}", a.bal.text(at)),
                    format!("urine drug screen: {}", a.uds.text(at)),
                    match &a.search {
                        Search::Done { by, at: t, findings } => format!("search by {by} at {}: {findings}", at(*t)),
                        Search::NotDone { reason } => format!("search not done: {reason}"),
                    },
                ],
                other => section_state(other),
            },
        };
        if body.is_empty() {
            continue; // an addendum leaves this section as it was
        }
        lines.push(Line::from(Span::styled(key.title().to_string(), theme::label())));
        for l in body {
            lines.push(Line::from(format!("  {}", inert(&l))));
        }
    }
    Ok(lines)
}

/// A section that is not answered: "not assessed: <reason>", or nothing (left as it was).
fn section_state<T>(s: &crate::domain::admission::Section<T>) -> Vec<String> {
    match s {
        crate::domain::admission::Section::NotAssessed { reason } => vec![format!("not assessed: {reason}")],
        _ => Vec::new(),
    }
}
