//! Preparing a patient's I-PASS handoff (issue 20): illness severity, then the summary and the
//! situation / contingencies, each a real multi-line editor (ratatui-textarea, as the note
//! editor): Enter starts a new line, and the lines are saved as typed.
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use crate::domain::handoff::Severity;
use crate::domain::text::inert;
use crate::store::handoff::MAX_HANDOFF_TEXT;
use crate::tui::keymap::{Binding, Key, lookup};
use crate::tui::theme;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrepareAction {
    NextField,
    PrevField,
    Save,
    Clear,
    Cancel,
    Help,
}

#[rustfmt::skip]
pub static PREPARE_KEYS: &[Binding<PrepareAction>] = &[
    Binding::foot(&[Key::plain(KeyCode::Tab)],     PrepareAction::NextField, "next field",  "Next field (severity, summary, situation)"),
    Binding::help(&[Key::plain(KeyCode::BackTab)], PrepareAction::PrevField, "previous",    "Previous field"),
    Binding::foot(&[Key::ctrl('s')],               PrepareAction::Save,      "save",        "Save the handoff (Enter starts a new line in the summary and situation)"),
    Binding::foot(&[Key::plain(KeyCode::F(5))],    PrepareAction::Clear,     "clear field", "Clear the field to write it afresh (Ctrl-U undoes)"),
    Binding::foot(&[Key::plain(KeyCode::Esc)],     PrepareAction::Cancel,    "cancel",      "Cancel; with changes typed, press Esc a second time to discard them"),
    Binding::foot(&[Key::plain(KeyCode::F(1))],    PrepareAction::Help,      "help",        "Show every key of this screen"),
];

/// The editors' own keys, listed in help (they come from ratatui-textarea, as in the note editor).
pub const EDITING_HELP: &[(&str, &str)] = &[
    ("Enter", "New line (in the summary and the situation)"),
    ("←/→ Space, s w u", "Choose the illness severity (on its field)"),
    ("Ctrl-←/→, Alt-b/f", "Move by word"),
    ("Shift-arrows", "Select text"),
    ("Ctrl-X / Ctrl-Y", "Cut the selection / paste"),
    ("Ctrl-U / Ctrl-R", "Undo / redo"),
    ("Ctrl-K / Ctrl-W", "Delete to the end of the line / the word before"),
];

/// What the editor asks the app to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrepareEffect {
    None,
    Save,
    /// Close without saving (nothing typed, or Esc pressed twice).
    Close,
    Help,
}

#[derive(Clone, Debug)]
pub struct PrepareEditor {
    pub stay_id: i64,
    pub title: String,
    /// Chosen every shift: never carried over, never defaulted.
    pub severity: Option<Severity>,
    pub summary: TextArea<'static>,
    pub situation: TextArea<'static>,
    /// 0 severity, 1 summary, 2 situation.
    pub focus: usize,
    pub error: Option<String>,
    /// The text it opened with, to know whether Esc would throw anything away.
    start: (String, String),
    discard_armed: bool,
}

fn area(text: &str, title: &str, placeholder: &str) -> TextArea<'static> {
    let lines: Vec<String> =
        if text.is_empty() { vec![String::new()] } else { text.split('\n').map(str::to_string).collect() };
    let mut a = TextArea::new(lines);
    a.set_wrap_mode(WrapMode::WordOrGlyph);
    a.set_cursor_line_style(Style::default());
    a.set_placeholder_text(placeholder);
    a.set_block(Block::default().borders(Borders::ALL).title(format!(" {title} ")));
    a.set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
    a.move_cursor(CursorMove::Bottom);
    a.move_cursor(CursorMove::End);
    a
}

fn text_of(a: &TextArea<'_>) -> String {
    a.lines().join("\n")
}

fn chars_of(a: &TextArea<'_>) -> usize {
    a.lines().iter().map(|l| l.chars().count() + 1).sum::<usize>().saturating_sub(1)
}

impl PrepareEditor {
    pub fn new(stay_id: i64, title: String, summary: &str, situation: &str) -> PrepareEditor {
        PrepareEditor {
            stay_id,
            title,
            severity: None,
            summary: area(summary, "P: summary", "summary, course, ongoing assessment, plan"),
            situation: area(situation, "S: situation", "awareness and contingencies: if ... then ..."),
            focus: 0,
            error: None,
            start: (summary.to_string(), situation.to_string()),
            discard_armed: false,
        }
    }

    pub fn summary_text(&self) -> String {
        text_of(&self.summary)
    }

    pub fn situation_text(&self) -> String {
        text_of(&self.situation)
    }

    pub fn changed(&self) -> bool {
        self.severity.is_some() || (self.summary_text(), self.situation_text()) != self.start
    }

    fn focused(&mut self) -> Option<&mut TextArea<'static>> {
        match self.focus {
            1 => Some(&mut self.summary),
            2 => Some(&mut self.situation),
            _ => None,
        }
    }

    /// Paste into the focused text (newlines kept, other control characters dropped).
    pub fn paste(&mut self, s: &str) {
        let clean: String = s.chars().filter(|c| *c == '\n' || *c == '\t' || !c.is_control()).collect();
        let clean = clean.replace('\t', "    ");
        let Some(a) = self.focused() else { return };
        if chars_of(a) + clean.chars().count() > MAX_HANDOFF_TEXT {
            self.error = Some(format!("Nothing pasted: the field would pass its {MAX_HANDOFF_TEXT} characters."));
            return;
        }
        a.insert_str(&clean);
        self.discard_armed = false;
    }

    pub fn handle(&mut self, k: &KeyEvent) -> PrepareEffect {
        self.error = None;
        let action = lookup(PREPARE_KEYS, k, |_| true);
        if action != Some(PrepareAction::Cancel) {
            self.discard_armed = false;
        }
        match action {
            Some(PrepareAction::NextField) => self.focus = (self.focus + 1) % 3,
            Some(PrepareAction::PrevField) => self.focus = (self.focus + 2) % 3,
            Some(PrepareAction::Save) => return PrepareEffect::Save,
            Some(PrepareAction::Help) => return PrepareEffect::Help,
            Some(PrepareAction::Clear) => match self.focused() {
                Some(a) => {
                    a.clear();
                }
                None => self.severity = None,
            },
            Some(PrepareAction::Cancel) => {
                if !self.changed() || self.discard_armed {
                    return PrepareEffect::Close;
                }
                self.discard_armed = true;
                self.error = Some("Press Esc again to discard what you changed; Ctrl-S saves it.".into());
            }
            None if self.focus == 0 => self.choose(k),
            None => {
                let typing = matches!(k.code, KeyCode::Char(_) | KeyCode::Enter)
                    && !k.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
                let Some(a) = self.focused() else { return PrepareEffect::None };
                if typing && chars_of(a) >= MAX_HANDOFF_TEXT {
                    self.error = Some(format!("The field is at its limit of {MAX_HANDOFF_TEXT} characters."));
                } else {
                    a.input(*k);
                }
            }
        }
        PrepareEffect::None
    }

    /// The severity field: ←/→/Space cycle, a letter chooses, Enter moves on, Backspace clears.
    fn choose(&mut self, k: &KeyEvent) {
        let all = Severity::ALL;
        let at = self.severity.and_then(|s| all.iter().position(|x| *x == s));
        match k.code {
            KeyCode::Right | KeyCode::Char(' ') => self.severity = Some(all[at.map_or(0, |i| (i + 1) % all.len())]),
            KeyCode::Left => self.severity = Some(all[at.map_or(all.len() - 1, |i| (i + all.len() - 1) % all.len())]),
            KeyCode::Backspace | KeyCode::Delete => self.severity = None,
            KeyCode::Enter => self.focus = 1,
            KeyCode::Char(c) => {
                let c = c.to_ascii_lowercase();
                match all.iter().find(|s| s.code().starts_with(c)) {
                    Some(s) => self.severity = Some(*s),
                    None => self.error = Some("I: stable, watcher or unstable (s, w, u or ←/→)".into()),
                }
            }
            _ => {}
        }
    }
}

pub fn draw(f: &mut Frame<'_>, body: Rect, e: &PrepareEditor) {
    f.render_widget(Clear, body);
    let [head, sev, summary, situation, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Min(3),
        Constraint::Length(2),
    ])
    .areas(body);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(inert(&e.title), theme::title()),
            Span::styled(" · starts from the last accepted handoff: review it", theme::hint()),
        ])),
        head,
    );
    let (mark, style) = if e.focus == 0 { ("▶ ", theme::focused_field()) } else { ("  ", theme::base()) };
    let chosen = match e.severity {
        Some(s) => format!("◂ {} ▸", s.code()),
        None => "◂ choose: s stable, w watcher, u unstable ▸".to_string(),
    };
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("{mark}I: severity  "), theme::label()),
            Span::styled(chosen, style),
            Span::styled("  chosen every shift", theme::hint()),
        ])),
        sev,
    );
    for (i, (a, r)) in [(&e.summary, summary), (&e.situation, situation)].into_iter().enumerate() {
        let mut a = a.clone();
        let focused = e.focus == i + 1;
        if !focused {
            // Only the focused editor shows a cursor.
            a.set_cursor_style(Style::default());
        }
        let title = if focused { "▶ " } else { "" };
        let name = if i == 0 { "P: summary" } else { "S: situation / contingencies" };
        a.set_block(Block::default().borders(Borders::ALL).title(format!(" {title}{name} ")));
        f.render_widget(&a, r);
    }
    let line = match &e.error {
        Some(err) => Line::from(Span::styled(format!(" {} ", inert(err)), theme::error())),
        None => {
            Line::from(Span::styled(" Enter: new line · Tab: next field · Ctrl-S: save · Esc: cancel", theme::hint()))
        }
    };
    f.render_widget(Paragraph::new(line).wrap(Wrap { trim: false }), status);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn enter_is_a_new_line_and_esc_asks_before_throwing_text_away() {
        let mut e = PrepareEditor::new(1, "t".into(), "Day 2.", "");
        assert_eq!(e.handle(&key(KeyCode::Char('w'))), PrepareEffect::None);
        assert_eq!(e.severity, Some(Severity::Watcher));
        e.handle(&key(KeyCode::Enter));
        assert_eq!(e.focus, 1, "Enter on the severity moves on");
        e.handle(&key(KeyCode::Enter));
        for c in "CIWA 12".chars() {
            e.handle(&key(KeyCode::Char(c)));
        }
        assert_eq!(e.summary_text(), "Day 2.\nCIWA 12");
        assert_eq!(e.handle(&key(KeyCode::Esc)), PrepareEffect::None, "the first Esc only warns");
        assert!(e.error.is_some());
        assert_eq!(e.handle(&key(KeyCode::Esc)), PrepareEffect::Close);
        let mut untouched = PrepareEditor::new(1, "t".into(), "Day 2.", "");
        assert_eq!(untouched.handle(&key(KeyCode::Esc)), PrepareEffect::Close);
    }

    #[test]
    fn clear_paste_and_the_limit() {
        let mut e = PrepareEditor::new(1, "t".into(), "old\ntext", "");
        e.focus = 1;
        e.handle(&key(KeyCode::F(5)));
        assert_eq!(e.summary_text(), "");
        e.paste("a\x1b[2Jb\nc\td");
        assert_eq!(e.summary_text(), "a[2Jb\nc    d");
        e.paste(&"x".repeat(MAX_HANDOFF_TEXT));
        assert!(e.error.is_some() && e.summary_text().len() < 20, "nothing pasted past the limit");
        assert_eq!(e.handle(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)), PrepareEffect::Save);
    }
}
