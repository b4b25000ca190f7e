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

use crate::domain::note::{Format, LateEntryRule, Note};
use crate::domain::stay::parse_event_time;
use crate::domain::text::inert;
use crate::domain::time::TimeRule;
use crate::store::Store;
use crate::tui::app::Screen;
use crate::tui::component::{Cmd, Component, Ctx, Done, Secret, View, Write};
use crate::tui::keymap::{Binding, Hints, Key, hints, lookup};
use crate::tui::screens::dialog::{Dialog, DialogKind};
use crate::tui::screens::timeline::TimelineScreen;
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

/// How the editor opens on a draft: for which patient, under which title, and (an addendum)
/// the original note's text shown above it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opening {
    pub patient_id: i64,
    pub title: String,
    pub original: Option<Vec<String>>,
}

/// What to do once the draft is saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AfterSave {
    /// Keep editing (autosave, a section change, locking, quitting).
    Stay,
    /// Close the editor, the draft kept.
    Close,
    /// Sign it.
    Sign { event_at: DateTime<Utc>, password: Secret },
}

/// The editor on a draft just started or resumed, or why it could not open.
pub fn opened(result: Result<Note, String>, opening: Opening, view: &View<'_>) -> Cmd {
    match result {
        Ok(note) => {
            let e =
                NoteEditor::open(&note, opening.patient_id, opening.title, opening.original, view.late_entry, view.now);
            Cmd::Open(Screen::NoteEditor(Box::new(e)))
        }
        Err(e) => Cmd::error(e),
    }
}

/// The format of a new note: the template lays out its headed sections.
pub fn format_dialog(stay_id: i64, patient_id: i64, title: String) -> Dialog {
    let options =
        crate::domain::note::Format::ALL.iter().map(|f| (f.code().to_string(), f.label().to_string())).collect();
    let mut form =
        Form::new(format!("New note: {title}"), vec![Field::choice("Format", "", options)]).with_verb("start note");
    form.intro = vec!["The template lays out its headed sections.".into()];
    Dialog { kind: DialogKind::NoteFormat { stay_id, patient_id, title }, form }
}

/// `n` on a patient: resume the nurse's draft for them if she has one, else choose a format.
pub fn new_note(store: &Store, view: &View<'_>, stay_id: i64, patient_id: i64, title: String) -> Cmd {
    let Some(me) = view.me else { return Cmd::None };
    match store.my_drafts(me) {
        Ok(drafts) => match drafts.into_iter().find(|d| d.stay_id == stay_id && d.kind == "note") {
            Some(d) => {
                let when = crate::domain::time::local(d.saved_at, view.tz);
                let title = format!("{} note · {title}", d.format);
                Cmd::Many(vec![
                    opened(Ok(d), Opening { patient_id, title, original: None }, view),
                    Cmd::tell(format!("Resumed your draft last saved {when}.")),
                ])
            }
            None => Cmd::Dialog(format_dialog(stay_id, patient_id, title)),
        },
        Err(e) => Cmd::error(e.to_string()),
    }
}

/// The format dialog's submit: start the draft (the editor opens when it is written).
pub fn start_note(d: &Dialog) -> Option<Result<Cmd, String>> {
    let DialogKind::NoteFormat { stay_id, patient_id, title } = &d.kind else { return None };
    Some(match Format::from_code(&d.form.value(0)) {
        None => Err("Format: choose one with ←/→".to_string()),
        Some(format) => Ok(Cmd::Write(Write::StartNote {
            stay_id: *stay_id,
            format: Some(format),
            addendum_to: None,
            opening: Opening {
                patient_id: *patient_id,
                title: format!("{} note · {title}", format.code()),
                original: None,
            },
        })),
    })
}

impl NoteEditor {
    /// Save what is unsaved, then `then`; with nothing unsaved, `then` at once.
    pub fn save(&self, then: AfterSave) -> Cmd {
        if self.dirty {
            Cmd::Write(Write::SaveDraft { note_id: self.note_id, sections: self.sections(), then })
        } else {
            self.after_saved(then)
        }
    }

    fn after_saved(&self, then: AfterSave) -> Cmd {
        match then {
            AfterSave::Stay => Cmd::None,
            AfterSave::Close => {
                Cmd::Many(vec![Cmd::Back, Cmd::tell("Draft kept; press n on the patient's bed to resume it.")])
            }
            AfterSave::Sign { event_at, password } => {
                Cmd::Write(Write::SignNote { note_id: self.note_id, password, event_at })
            }
        }
    }
}

impl Component for NoteEditor {
    fn unsaved(&self) -> Option<String> {
        self.dirty.then(|| format!("{}: draft NOT saved", self.title))
    }

    fn title(&self) -> String {
        "Progress note".into()
    }

    fn hints(&self, _view: &View<'_>) -> (Hints, Hints) {
        let foot = match &self.signing {
            Some((_, form)) => form.footer_hints(),
            None => hints(&self.tables(), |_| true).0,
        };
        let mut help = crate::tui::keymap::help_lines(KEYS, |_| true);
        help.extend(EDITING_HELP.iter().map(|(k, h)| (k.to_string(), *h)));
        (foot, help)
    }

    fn on_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        match self.handle(k, ctx.now) {
            EditorEffect::None => Cmd::None,
            EditorEffect::Help => Cmd::Help,
            EditorEffect::Save => self.save(AfterSave::Stay),
            EditorEffect::Close => self.save(AfterSave::Close),
            EditorEffect::Discard => Cmd::Write(Write::DiscardDraft { note_id: self.note_id }),
            EditorEffect::Sign { event_time, password } => {
                match parse_event_time("Event time", &event_time, ctx.now, ctx.tz) {
                    Ok(event_at) => self.save(AfterSave::Sign { event_at, password: Secret(password) }),
                    Err(err) => {
                        if let Some((_, form)) = &mut self.signing {
                            form.error = Some(err);
                        }
                        Cmd::None
                    }
                }
            }
        }
    }

    fn on_paste(&mut self, text: &str, ctx: &Ctx<'_>) -> Cmd {
        self.paste(text, ctx.now);
        Cmd::None
    }

    /// A pause in typing saves the draft (nothing older than a few seconds is lost).
    fn on_tick(&mut self, ctx: &Ctx<'_>) -> Cmd {
        self.late_rule = ctx.late_entry;
        if self.autosave_due(ctx.now) { self.save(AfterSave::Stay) } else { Cmd::None }
    }

    fn on_done(&mut self, done: Done, ctx: &Ctx<'_>) -> Cmd {
        match done {
            Done::DraftSaved { result: Ok(()), then } => {
                self.mark_saved(ctx.now);
                self.after_saved(then)
            }
            // The save failed: stay, so the text is not lost from view, and sign nothing.
            Done::DraftSaved { result: Err(err), .. } => {
                self.error = Some(format!("Draft NOT saved: {err}. Keep this screen open and tell the charge nurse."));
                Cmd::None
            }
            Done::DraftDiscarded(Ok(())) => Cmd::Many(vec![Cmd::Back, Cmd::tell("Draft discarded.")]),
            Done::DraftDiscarded(Err(err)) => Cmd::error(err),
            Done::NoteSigned(Ok(note)) => {
                let late = if note.is_late_entry(ctx.late_entry) { " (late entry)" } else { "" };
                // The signed note is read in the timeline: the one it was written from (shown
                // afresh), or a new one in front of the census.
                Cmd::Many(vec![
                    Cmd::Back,
                    TimelineScreen::open(ctx.store, self.stay_id, self.patient_id, &self.title),
                    Cmd::tell(format!("Signed{late}. It is now part of the record and can no longer change.")),
                ])
            }
            Done::NoteSigned(Err(err)) => {
                if let Some((_, form)) = &mut self.signing {
                    // Never keep a typed password around after a failed attempt.
                    if let Some(pw) = form.fields.get_mut(1) {
                        *pw = Field::secret("Password", "your password again");
                    }
                    form.error = Some(err);
                }
                Cmd::None
            }
            _ => Cmd::None,
        }
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        draw(f, area, self, view.now, view.tz);
    }
}
