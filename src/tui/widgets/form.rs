//! A keyboard form: one line per field, text or choice, with the error of the last submit.
//!
//! Choice fields start with nothing chosen: a form never picks a clinical value for the nurse.
//! A time field echoes, beside it and as she types, the time it understood (issue 20, point 10).
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::domain::text::fit;
use crate::domain::text::inert;
use crate::domain::time::{TimeEcho, TimeRule, time_echo};
use crate::tui::keymap::{Binding, Key, lookup};
use crate::tui::theme;

/// The longest text a form field takes, in characters.
const MAX_TEXT: usize = 500;
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Text,
    /// Typed characters are shown as `•`.
    Secret,
    /// `(code, label)` pairs; ←/→ cycle, a letter jumps to the next choice starting with it.
    Choice(Vec<(String, String)>),
    /// A time typed as nurses type them (`08:30`, `now`, `-15m`, a full date), read by the rule;
    /// the form echoes the time it understood.
    Time(TimeRule),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub label: &'static str,
    pub hint: &'static str,
    pub kind: Kind,
    text: String,
    /// Cursor as a char index into `text`.
    cursor: usize,
    choice: Option<usize>,
}

impl Field {
    pub fn text(label: &'static str, hint: &'static str) -> Field {
        Field { label, hint, kind: Kind::Text, text: String::new(), cursor: 0, choice: None }
    }
    pub fn secret(label: &'static str, hint: &'static str) -> Field {
        Field { kind: Kind::Secret, ..Field::text(label, hint) }
    }
    /// A time field: typed like text, read by [`crate::domain::time::parse_time`] with `rule`.
    pub fn time(label: &'static str, hint: &'static str, rule: TimeRule) -> Field {
        Field { kind: Kind::Time(rule), ..Field::text(label, hint) }
    }
    pub fn choice(label: &'static str, hint: &'static str, options: Vec<(String, String)>) -> Field {
        Field { kind: Kind::Choice(options), ..Field::text(label, hint) }
    }
    pub fn with_text(mut self, s: &str) -> Field {
        self.text = s.to_string();
        self.cursor = s.chars().count();
        self
    }

    /// The typed text, or the chosen code ("" when nothing is chosen).
    pub fn value(&self) -> String {
        match &self.kind {
            Kind::Choice(opts) => self.choice.and_then(|i| opts.get(i)).map(|(c, _)| c.clone()).unwrap_or_default(),
            _ => self.text.clone(),
        }
    }

    fn shown(&self) -> String {
        match &self.kind {
            Kind::Text | Kind::Time(_) => inert(&self.text),
            Kind::Secret => "•".repeat(self.text.chars().count()),
            Kind::Choice(opts) => match self.choice.and_then(|i| opts.get(i)) {
                // The label only: a code is the program's ("excused_medical", a user's id),
                // the label what a nurse reads (issue 20, point 11).
                Some((_, label)) => format!("◂ {label} ▸"),
                None => "◂ choose with ←/→ ▸".into(),
            },
        }
    }

    fn edit(&mut self, key: &KeyEvent) {
        if let Kind::Choice(opts) = &self.kind {
            let n = opts.len();
            if n == 0 {
                return;
            }
            match key.code {
                KeyCode::Right | KeyCode::Char(' ') => self.choice = Some(self.choice.map_or(0, |i| (i + 1) % n)),
                KeyCode::Left => self.choice = Some(self.choice.map_or(n - 1, |i| (i + n - 1) % n)),
                KeyCode::Backspace | KeyCode::Delete => self.choice = None,
                KeyCode::Char(c) => {
                    let c = c.to_lowercase().to_string();
                    let start = self.choice.map_or(0, |i| i + 1);
                    let hit = (0..n).map(|k| (start + k) % n).find(|&i| {
                        opts[i].0.to_lowercase().starts_with(&c) || opts[i].1.to_lowercase().starts_with(&c)
                    });
                    if hit.is_some() {
                        self.choice = hit;
                    }
                }
                _ => {}
            }
            return;
        }
        crate::tui::widgets::line_input::edit_at(&mut self.text, &mut self.cursor, key, MAX_TEXT);
    }

    /// Paste text into a text field (control characters dropped, one line).
    fn paste(&mut self, s: &str) {
        if matches!(self.kind, Kind::Choice(_)) {
            return;
        }
        // The same cap as typing, counting what is already there.
        crate::tui::widgets::line_input::paste_at(&mut self.text, &mut self.cursor, s, MAX_TEXT);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormAction {
    Next,
    Prev,
    Submit,
    Cancel,
}

/// Moving between fields: the same in every form.
#[rustfmt::skip]
const NEXT_FIELD: Binding<FormAction> = Binding::foot(&[Key::plain(KeyCode::Tab), Key::plain(KeyCode::Down)], FormAction::Next, "next field", "Move to the next field");
#[rustfmt::skip]
const PREV_FIELD: Binding<FormAction> = Binding::help(&[Key::plain(KeyCode::BackTab), Key::plain(KeyCode::Up)], FormAction::Prev, "previous", "Move to the previous field");

/// The form's own keys; everything else edits the focused field.
#[rustfmt::skip]
pub static FORM_KEYS: &[Binding<FormAction>] = &[
    NEXT_FIELD,
    PREV_FIELD,
    Binding::foot(&[Key::plain(KeyCode::Enter), Key::ctrl('s')], FormAction::Submit, "save",   "Enter: next field, or save on the last field; Ctrl-S saves from any field"),
    Binding::foot(&[Key::plain(KeyCode::Esc)],                   FormAction::Cancel, "cancel", "Cancel: nothing is saved"),
];

/// The sign-in and first-run forms: Enter signs in (or sets up); Esc quits wardterm.
#[rustfmt::skip]
pub static SIGN_IN_KEYS: &[Binding<FormAction>] = &[
    NEXT_FIELD,
    PREV_FIELD,
    Binding::foot(&[Key::plain(KeyCode::Enter)], FormAction::Submit, "sign in", "Enter: next field, or sign in from the last field"),
    Binding::foot(&[Key::plain(KeyCode::Esc)],   FormAction::Cancel, "quit",    "Quit wardterm"),
];

/// The lock screen: there is no way past it but a password (Ctrl-C still quits; drafts are saved,
/// and a locked session's unsaved work is not thrown away unasked).
/// Another nurse types her own username in the first field.
#[rustfmt::skip]
pub static LOCK_KEYS: &[Binding<FormAction>] = &[
    NEXT_FIELD,
    PREV_FIELD,
    Binding::foot(&[Key::plain(KeyCode::Enter)], FormAction::Submit, "unlock / sign in", "Your password unlocks your session; another nurse's signs them in to their own"),
];

/// What a key did to the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormEvent {
    Edited,
    Submit,
    Cancel,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    /// Lines of context shown above the fields (who, which bed).
    pub intro: Vec<String>,
    /// The form's keys: the same table dispatches them and describes them in footer and help.
    pub keys: &'static [Binding<FormAction>],
    /// The nurse has typed, chosen or pasted something here since it opened: closing it
    /// unasked (Ctrl-C) would lose her work.
    pub touched: bool,
    /// What submitting does, in the footer ("admit", "sign"); the key table's word otherwise.
    pub verb: Option<&'static str>,
}

impl Form {
    pub fn new(title: impl Into<String>, fields: Vec<Field>) -> Form {
        Form {
            title: title.into(),
            fields,
            focus: 0,
            error: None,
            intro: Vec::new(),
            keys: FORM_KEYS,
            touched: false,
            verb: None,
        }
    }

    /// Says in the footer what submitting this form does ("Enter admit").
    pub fn with_verb(mut self, verb: &'static str) -> Form {
        self.verb = Some(verb);
        self
    }

    /// The footer says what Enter does where the nurse is (issue 20, point 11): on a field before
    /// the last it moves on ("Enter next field", with Ctrl-S for submitting from anywhere); on
    /// the last it submits ("Enter admit"). The help overlay still lists every binding.
    pub fn footer_hints(&self) -> Vec<(String, &'static str)> {
        let last = self.focus + 1 >= self.fields.len();
        let mut out = Vec::new();
        for b in self.keys.iter().filter(|b| b.footer) {
            match b.action {
                // Enter says it on a field before the last; on the last, Tab wraps to the first.
                FormAction::Next => {}
                FormAction::Submit => {
                    let verb = self.verb.unwrap_or(b.short);
                    let enter = b.keys.iter().any(|k| k.code == KeyCode::Enter);
                    if last || !enter {
                        out.push((b.keys[0].name(), verb));
                    } else {
                        out.push(("Enter".to_string(), "next field"));
                        if let Some(k) = b.keys.iter().find(|k| k.code != KeyCode::Enter) {
                            out.push((k.name(), verb));
                        }
                    }
                }
                _ => out.push((b.keys.first().map(Key::name).unwrap_or_default(), b.short)),
            }
        }
        out
    }

    pub fn value(&self, i: usize) -> String {
        self.fields.get(i).map(Field::value).unwrap_or_default()
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> FormEvent {
        let n = self.fields.len().max(1);
        match lookup(self.keys, key, |_| true) {
            Some(FormAction::Next) => self.focus = (self.focus + 1) % n,
            Some(FormAction::Prev) => self.focus = (self.focus + n - 1) % n,
            Some(FormAction::Submit) => {
                let last = self.focus + 1 >= self.fields.len();
                if key.code == KeyCode::Enter && !last {
                    self.focus += 1;
                } else {
                    return FormEvent::Submit;
                }
            }
            Some(FormAction::Cancel) => return FormEvent::Cancel,
            None => {
                if let Some(f) = self.fields.get_mut(self.focus) {
                    let before = (f.text.clone(), f.choice);
                    f.edit(key);
                    self.touched |= (f.text.as_str(), f.choice) != (before.0.as_str(), before.1);
                }
            }
        }
        FormEvent::Edited
    }

    pub fn paste(&mut self, s: &str) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            let before = f.text.len();
            f.paste(s);
            self.touched |= f.text.len() != before;
        }
    }

    /// Height the form wants: border, intro, fields, hint, and two lines for an error.
    pub fn height(&self) -> u16 {
        (self.intro.len() + self.fields.len() + 5) as u16
    }

    /// Draw a form without a clock: its time fields (if any) show no echo.
    pub fn draw(&self, f: &mut Frame<'_>, area: Rect) {
        self.draw_at(f, area, None);
    }

    /// What the time field `field` understood of its text, with the ward's clock.
    fn echo(field: &Field, clock: Option<(DateTime<Utc>, Tz)>) -> Option<TimeEcho> {
        match (&field.kind, clock) {
            (Kind::Time(rule), Some((now, tz))) => Some(time_echo(&field.text, now, tz, *rule)),
            _ => None,
        }
    }

    /// Draw the form; with the ward's `clock` (now, zone) every time field echoes the time it
    /// understood beside it ("→ today 08:30 EST (40m ago)" or "not a time yet"), and the focused
    /// one says under the fields why its text is not a time yet and what to type.
    pub fn draw_at(&self, f: &mut Frame<'_>, area: Rect, clock: Option<(DateTime<Utc>, Tz)>) {
        f.render_widget(Clear, area);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!(" {} ", inert(&self.title)), theme::title()));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let width = inner.width as usize;
        let label_w = self.fields.iter().map(|x| x.label.width()).max().unwrap_or(10) + 2;
        let mut lines: Vec<Line<'_>> = self.intro.iter().map(|s| Line::from(fit(&inert(s), width))).collect();
        for (i, field) in self.fields.iter().enumerate() {
            let focused = i == self.focus;
            let mark = if focused { "▶ " } else { "  " };
            let label = format!("{mark}{:<label_w$}", field.label);
            let mut value = field.shown();
            if focused && !matches!(field.kind, Kind::Choice(_)) {
                value.push('▏');
            }
            // One line per field, always: a long value is cut at the edge, never wrapped, so the
            // error line below can never be pushed out of the box. A time field's echo stands
            // beside its value while both fit whole (so the cursor stays on the value).
            let room = width.saturating_sub(label.width());
            let echo = Self::echo(field, clock).map(|e| (e.short(), matches!(e, TimeEcho::NotYet(_))));
            let echo = echo.filter(|(t, _)| !t.is_empty() && room >= value.width() + 2 + t.width());
            let value = fit_tail(&value, room - echo.as_ref().map_or(0, |(t, _)| t.width() + 2), focused);
            let vstyle = if focused { theme::focused_field() } else { theme::base() };
            let mut spans = vec![Span::styled(label, theme::label()), Span::styled(value, vstyle)];
            if let Some((text, refused)) = echo {
                spans.push(Span::raw("  "));
                spans.push(Span::styled(text, if refused { theme::due_soon() } else { theme::info() }));
            }
            lines.push(Line::from(spans));
        }
        // Under the fields: the focused field's hint, or, for a time field whose text is not a
        // time yet, why and what to type (wrapped into the error's lines while there is no error).
        let focused = self.fields.get(self.focus);
        let refusal = focused.and_then(|x| Self::echo(x, clock)).filter(|e| matches!(e, TimeEcho::NotYet(_)));
        let (under, style) = match &refusal {
            Some(e) => (format!("  {}", e.text()), theme::due_soon()),
            None => (format!("  {}", focused.map_or("", |x| x.hint)), theme::hint()),
        };
        let below = |used: usize| {
            let used = (used as u16).min(inner.height);
            Rect { y: inner.y + used, height: inner.height - used, ..inner }
        };
        if refusal.is_some() && self.error.is_none() {
            f.render_widget(Paragraph::new(lines), inner);
            let rest = below(self.intro.len() + self.fields.len());
            f.render_widget(Paragraph::new(Line::from(Span::styled(under, style))).wrap(Wrap { trim: false }), rest);
            return self.place_cursor(f, inner, label_w);
        }
        lines.push(Line::from(Span::styled(fit(&under, width), style)));
        let used = lines.len();
        f.render_widget(Paragraph::new(lines), inner);
        if let Some(e) = &self.error {
            let rest = below(used);
            f.render_widget(
                Paragraph::new(Line::from(Span::styled(format!(" {} ", inert(e)), theme::error())))
                    .wrap(Wrap { trim: false }),
                rest,
            );
        }
        self.place_cursor(f, inner, label_w);
    }

    /// Put the real cursor on the focused text field for screen readers and terminals.
    fn place_cursor(&self, f: &mut Frame<'_>, inner: Rect, label_w: usize) {
        if let Some(field) = self.fields.get(self.focus)
            && !matches!(field.kind, Kind::Choice(_))
        {
            let before: String = match field.kind {
                Kind::Secret => "•".repeat(field.cursor),
                _ => inert(&field.text.chars().take(field.cursor).collect::<String>()),
            };
            let x = inner.x + (label_w + 2 + before.width()) as u16;
            let y = inner.y + self.intro.len() as u16 + self.focus as u16;
            if x < inner.right() && y < inner.bottom() {
                f.set_cursor_position((x, y));
            }
        }
    }
}

/// Like [`fit`], but a field being typed in keeps its end (where the cursor is) in view.
fn fit_tail(s: &str, w: usize, keep_end: bool) -> String {
    if !keep_end || s.width() <= w {
        return fit(s, w);
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 1;
    for c in s.chars().rev() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(1);
        if used + cw > w {
            break;
        }
        used += cw;
        tail.push(c);
    }
    std::iter::once('…').chain(tail.into_iter().rev()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn typing_editing_and_moving() {
        let mut form = Form::new(
            "t",
            vec![
                Field::text("A", ""),
                Field::choice("B", "", vec![("x".into(), "ex".into()), ("y".into(), "why".into())]),
            ],
        );
        form.handle_key(&key(KeyCode::Tab));
        form.handle_key(&KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
        form.handle_key(&key(KeyCode::Left));
        assert!(!form.touched, "moving about is not work");
        assert_eq!(form.focus, 0, "Shift-Tab as crossterm decodes it moves back");
        for c in "héllo".chars() {
            form.handle_key(&key(KeyCode::Char(c)));
        }
        form.handle_key(&key(KeyCode::Left));
        form.handle_key(&key(KeyCode::Backspace));
        assert_eq!(form.value(0), "hélo");
        assert!(form.touched, "typing is work the form must not lose unasked");
        assert_eq!(form.handle_key(&key(KeyCode::Enter)), FormEvent::Edited);
        assert_eq!(form.focus, 1);
        assert_eq!(form.value(1), "", "a choice starts unchosen");
        form.handle_key(&key(KeyCode::Char('w')));
        assert_eq!(form.value(1), "y");
        form.handle_key(&key(KeyCode::Right));
        assert_eq!(form.value(1), "x");
        assert_eq!(form.handle_key(&key(KeyCode::Enter)), FormEvent::Submit);
        assert_eq!(form.handle_key(&key(KeyCode::Esc)), FormEvent::Cancel);
    }

    /// The footer says what Enter does on the field the nurse is in, and names the form's verb.
    #[test]
    fn the_footer_says_what_enter_does_here() {
        let mut form = Form::new("t", vec![Field::text("A", ""), Field::text("B", "")]).with_verb("admit");
        let words = |f: &Form| f.footer_hints().into_iter().map(|(k, w)| format!("{k} {w}")).collect::<Vec<_>>();
        assert_eq!(words(&form), ["Enter next field", "Ctrl-S admit", "Esc cancel"]);
        form.handle_key(&key(KeyCode::Enter));
        assert_eq!(words(&form), ["Enter admit", "Esc cancel"]);
        assert_eq!(form.handle_key(&key(KeyCode::Enter)), FormEvent::Submit, "and Enter does admit there");
        let mut sign_in = Form::new("s", vec![Field::text("User", ""), Field::secret("Password", "")]);
        sign_in.keys = SIGN_IN_KEYS;
        assert_eq!(words(&sign_in), ["Enter next field", "Esc quit"], "no Ctrl-S in the sign-in table");
        sign_in.focus = 1;
        assert_eq!(words(&sign_in), ["Enter sign in", "Esc quit"]);
    }

    #[test]
    fn paste_drops_control_characters() {
        let mut form = Form::new("t", vec![Field::text("A", "")]);
        form.paste("a\x1b[2Jb\nc");
        assert_eq!(form.value(0), "a[2Jbc");
    }
}
