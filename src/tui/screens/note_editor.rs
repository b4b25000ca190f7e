//! The progress-note editor: the template's headed sections, each a real multi-line editor
//! (ratatui-textarea: soft wrap, word movement, selection, cut/copy/paste, undo/redo), drafts that
//! save themselves, and signing with the note shown as it will stand.
use chrono::{DateTime, Duration, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui_textarea::{TextArea, WrapMode};

use crate::domain::note::LateEntryRule;
use crate::domain::note::Note;
use crate::domain::text::inert;
use crate::domain::time::TimeRule;
use crate::tui::keymap::{Binding, Key, lookup};
use crate::tui::theme;
use crate::tui::widgets::form::{Field, Form, FormEvent};

/// Save a draft this long after typing stops.
pub const AUTOSAVE_AFTER: Duration = Duration::seconds(3);
/// The longest note the editor accepts (the store refuses longer ones too).
pub const MAX_NOTE_BYTES: usize = 256 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditorAction {
    NextSection,
    PrevSection,
    Sign,
    Discard,
    Close,
    Help,
}

#[rustfmt::skip]
pub static KEYS: &[Binding<EditorAction>] = &[
    Binding::foot(&[Key::plain(KeyCode::Tab)],     EditorAction::NextSection, "next section",       "Next section (the draft is saved)"),
    Binding::help(&[Key::plain(KeyCode::BackTab)], EditorAction::PrevSection, "previous",           "Previous section (the draft is saved)"),
    Binding::foot(&[Key::ctrl('s')],               EditorAction::Sign,        "sign",               "Review the note as it will stand and sign it with your password"),
    Binding::help(&[Key::plain(KeyCode::F(8))],    EditorAction::Discard,     "discard",            "Discard this draft (press F8 twice); a signed note can never be discarded"),
    Binding::foot(&[Key::plain(KeyCode::Esc)],     EditorAction::Close,       "close (draft kept)", "Close; the draft is saved and offered when you come back"),
    Binding::foot(&[Key::plain(KeyCode::F(1))],    EditorAction::Help,        "help",               "Show every key of this screen"),
];

/// The text editor's own keys, listed in help (they come from ratatui-textarea).
pub const EDITING_HELP: &[(&str, &str)] = &[
    ("Ctrl-←/→, Alt-b/f", "Move by word"),
    ("Shift-arrows", "Select text"),
    ("Ctrl-C", "Copy the selection (with nothing selected, Ctrl-C quits; the draft is saved)"),
    ("Ctrl-X / Ctrl-Y", "Cut the selection / paste"),
    ("Ctrl-U / Ctrl-R", "Undo / redo"),
    ("Ctrl-K / Ctrl-W", "Delete to the end of the line / the word before"),
];

/// What the editor asks the app to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditorEffect {
    None,
    /// Save the draft now (section change).
    Save,
    /// Sign with this event time text and password.
    Sign {
        event_time: String,
        password: String,
    },
    Discard,
    Close,
    Help,
}

#[derive(Clone, Debug)]
pub struct NoteEditor {
    pub note_id: i64,
    pub stay_id: i64,
    pub patient_id: i64,
    pub title: String,
    /// The original note an addendum is written under, shown above it.
    pub original: Option<Vec<String>>,
    pub headings: Vec<String>,
    pub areas: Vec<TextArea<'static>>,
    pub current: usize,
    pub dirty: bool,
    pub last_edit: DateTime<Utc>,
    pub saved_at: DateTime<Utc>,
    pub error: Option<String>,
    /// The signing step: the preview scroll and the event time + password form.
    pub signing: Option<(u16, Form)>,
    /// The unit's late-entry threshold, which the signing form states.
    pub late_rule: LateEntryRule,
    discard_armed: bool,
}

fn new_area(text: &str, heading: &str) -> TextArea<'static> {
    let lines: Vec<String> =
        if text.is_empty() { vec![String::new()] } else { text.lines().map(str::to_string).collect() };
    let mut a = TextArea::new(lines);
    a.set_wrap_mode(WrapMode::WordOrGlyph);
    a.set_cursor_line_style(Style::default());
    a.set_placeholder_text(format!("Type the {heading} here…"));
    a.set_block(Block::default().borders(Borders::ALL).title(format!(" {heading} ")));
    a.set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
    a.move_cursor(ratatui_textarea::CursorMove::Bottom);
    a.move_cursor(ratatui_textarea::CursorMove::End);
    a
}

impl NoteEditor {
    pub fn open(
        note: &Note,
        patient_id: i64,
        title: String,
        original: Option<Vec<String>>,
        late_rule: LateEntryRule,
        now: DateTime<Utc>,
    ) -> NoteEditor {
        NoteEditor {
            note_id: note.id,
            stay_id: note.stay_id,
            patient_id,
            title,
            original,
            headings: note.sections.iter().map(|(h, _)| h.clone()).collect(),
            areas: note.sections.iter().map(|(h, t)| new_area(t, h)).collect(),
            current: 0,
            dirty: false,
            last_edit: now,
            saved_at: note.saved_at,
            error: None,
            signing: None,
            late_rule,
            discard_armed: false,
        }
    }

    /// The sections as they stand in the editor.
    pub fn sections(&self) -> Vec<(String, String)> {
        self.headings.iter().zip(&self.areas).map(|(h, a)| (h.clone(), a.lines().join("\n"))).collect()
    }

    fn bytes(&self) -> usize {
        self.areas.iter().map(|a| a.lines().iter().map(|l| l.len() + 1).sum::<usize>()).sum()
    }

    /// Due for an autosave: edited, and quiet for [`AUTOSAVE_AFTER`].
    pub fn autosave_due(&self, now: DateTime<Utc>) -> bool {
        self.dirty && now - self.last_edit >= AUTOSAVE_AFTER
    }

    pub fn mark_saved(&mut self, at: DateTime<Utc>) {
        self.dirty = false;
        self.saved_at = at;
    }

    /// Does Ctrl-C belong to the editor (copy a selection) rather than to the app (quit)?
    pub fn wants_ctrl_c(&self) -> bool {
        self.signing.is_none() && self.areas.get(self.current).is_some_and(|a| a.selection_range().is_some())
    }

    pub fn tables(&self) -> Vec<&'static [Binding<EditorAction>]> {
        vec![KEYS]
    }

    pub fn paste(&mut self, s: &str, now: DateTime<Utc>) {
        if let Some((_, form)) = &mut self.signing {
            form.paste(s);
            return;
        }
        let clean: String = s.chars().filter(|c| *c == '\n' || *c == '\t' || !c.is_control()).collect();
        let clean = clean.replace('\t', "    ");
        if self.bytes() + clean.len() > MAX_NOTE_BYTES {
            self.error = Some(format!(
                "Nothing pasted: {} KiB would pass the note's {} KiB limit.",
                clean.len() / 1024,
                MAX_NOTE_BYTES / 1024
            ));
            return;
        }
        if let Some(a) = self.areas.get_mut(self.current) {
            a.insert_str(&clean);
            self.dirty = true;
            self.last_edit = now;
        }
    }

    pub fn handle(&mut self, k: &KeyEvent, now: DateTime<Utc>) -> EditorEffect {
        self.error = None;
        if let Some((scroll, form)) = &mut self.signing {
            match k.code {
                KeyCode::PageDown => *scroll = scroll.saturating_add(5),
                KeyCode::PageUp => *scroll = scroll.saturating_sub(5),
                _ => match form.handle_key(k) {
                    FormEvent::Cancel => self.signing = None,
                    FormEvent::Submit => {
                        return EditorEffect::Sign { event_time: form.value(0), password: form.value(1) };
                    }
                    FormEvent::Edited => {}
                },
            }
            return EditorEffect::None;
        }
        let action = lookup(KEYS, k, |_| true);
        if action != Some(EditorAction::Discard) {
            self.discard_armed = false;
        }
        let n = self.areas.len().max(1);
        match action {
            Some(EditorAction::NextSection) => {
                self.current = (self.current + 1) % n;
                return EditorEffect::Save;
            }
            Some(EditorAction::PrevSection) => {
                self.current = (self.current + n - 1) % n;
                return EditorEffect::Save;
            }
            Some(EditorAction::Sign) => {
                let mut form = Form::new(
                    "Sign",
                    vec![
                        Field::time(
                            "Event time",
                            "when it happened: now, -15m, 08:30 or YYYY-MM-DD HH:MM",
                            TimeRule::Charted,
                        ),
                        Field::secret("Password", "your password again: this is your signature"),
                    ],
                )
                .with_verb("sign note");
                // The threshold as the unit set it (REFERENCE.md section 5), never a fixed figure.
                form.intro = vec![
                    "Once signed, the note can never be changed; corrections are addenda.".into(),
                    format!("Late entry: signed {} (unit policy).", self.late_rule.describe()),
                ];
                self.signing = Some((0, form));
                return EditorEffect::Save;
            }
            Some(EditorAction::Discard) => {
                if self.discard_armed {
                    return EditorEffect::Discard;
                }
                self.discard_armed = true;
                self.error = Some("Press F8 again to discard this draft for good.".into());
                return EditorEffect::None;
            }
            Some(EditorAction::Close) => return EditorEffect::Close,
            Some(EditorAction::Help) => return EditorEffect::Help,
            None => {}
        }
        // Everything else edits the current section. Enter is a new line, never "submit".
        let is_text = matches!(k.code, KeyCode::Char(_)) && !k.modifiers.contains(KeyModifiers::CONTROL);
        if is_text && self.bytes() >= MAX_NOTE_BYTES {
            self.error = Some(format!("The note is at its limit of {} KiB.", MAX_NOTE_BYTES / 1024));
            return EditorEffect::None;
        }
        if let Some(a) = self.areas.get_mut(self.current)
            && a.input(*k)
        {
            self.dirty = true;
            self.last_edit = now;
        }
        EditorEffect::None
    }
}

/// The note as it will stand, for the signing preview and for reading.
pub fn note_lines(title: &str, sections: &[(String, String)]) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(Span::styled(inert(title), theme::title()))];
    for (h, t) in sections {
        lines.push(Line::from(Span::styled(format!("{h}:"), theme::label())));
        if t.trim().is_empty() {
            lines.push(Line::from(Span::styled("  (empty)", theme::hint())));
        }
        for l in t.lines() {
            lines.push(Line::from(format!("  {}", inert(l))));
        }
    }
    lines
}

pub fn draw(f: &mut Frame<'_>, area: Rect, e: &NoteEditor, now: DateTime<Utc>, tz: chrono_tz::Tz) {
    let saved = if e.dirty {
        "editing (autosaves when you pause)".to_string()
    } else {
        format!("draft saved {}s ago", (now - e.saved_at).num_seconds().max(0))
    };
    if let Some((scroll, form)) = &e.signing {
        let [preview, sign] = Layout::vertical([Constraint::Min(3), Constraint::Length(form.height())]).areas(area);
        let lines = note_lines(&e.title, &e.sections());
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((*scroll, 0))
                .block(Block::default().borders(Borders::ALL).title(" The note as it will stand (PgUp/PgDn) ")),
            preview,
        );
        form.draw_at(f, sign, Some((now, tz)));
        return;
    }
    let orig_h = e.original.as_ref().map_or(0, |o| (o.len() as u16 + 2).min(area.height / 3));
    let [head, tabs, original, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(orig_h),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(inert(&e.title), theme::label()),
            Span::styled(format!(" · {saved}"), theme::hint()),
        ])),
        head,
    );
    let mut spans = Vec::new();
    for (i, h) in e.headings.iter().enumerate() {
        let style = if i == e.current { theme::selected() } else { theme::base() };
        spans.push(Span::styled(format!(" {h} "), style));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled("Tab/Shift-Tab: sections", theme::hint()));
    f.render_widget(Paragraph::new(Line::from(spans)), tabs);
    if let Some(o) = &e.original {
        let lines: Vec<Line<'_>> = o.iter().map(|l| Line::from(inert(l))).collect();
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL).title(" Original note (signed, read-only) ")),
            original,
        );
    }
    if let Some(a) = e.areas.get(e.current) {
        f.render_widget(a, body);
    }
    if let Some(err) = &e.error {
        f.render_widget(Paragraph::new(Span::styled(format!(" {} ", inert(err)), theme::error())), status);
    }
}
