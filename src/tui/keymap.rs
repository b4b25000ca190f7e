//! Keys as data. Each screen has one table of bindings; the same table dispatches keys, fills
//! the footer and lists the help overlay, so the three can never disagree.
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// One key with its modifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key { code, mods: KeyModifiers::NONE }
    }
    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }
    pub const fn ctrl(c: char) -> Key {
        Key { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL }
    }

    fn matches(&self, ev: &KeyEvent) -> bool {
        // Shift-Tab: crossterm decodes `ESC [ Z` as BackTab *with* SHIFT; a terminal reporting
        // keys in full (kitty protocol) may send Tab with SHIFT instead. Both are BackTab.
        let code = match ev.code {
            KeyCode::Tab if ev.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            c => c,
        };
        // Shift is part of the key for printable characters ('?' is Shift-/ on most layouts)
        // and for BackTab (it is Shift-Tab), so there it matches whatever the Shift state.
        let shift_in_key = |c: KeyCode| matches!(c, KeyCode::Char(_) | KeyCode::BackTab);
        let mods = if shift_in_key(code) { ev.modifiers - KeyModifiers::SHIFT } else { ev.modifiers };
        let want_mods = if shift_in_key(self.code) { self.mods - KeyModifiers::SHIFT } else { self.mods };
        code == self.code && mods == want_mods
    }

    /// How the key is written in the footer and help: `a`, `Enter`, `Ctrl-S`, `↑`.
    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) { format!("Ctrl-{}", base.to_uppercase()) } else { base }
    }
}

/// A binding: the keys, what they do, and how to describe them.
#[derive(Debug, PartialEq)]
pub struct Binding<A: 'static> {
    pub keys: &'static [Key],
    pub action: A,
    /// One or two words for the footer.
    pub short: &'static str,
    /// A sentence for the help overlay.
    pub help: &'static str,
    /// Shown in the footer (the help overlay shows every binding).
    pub footer: bool,
}

impl<A> Binding<A> {
    /// A binding shown in the footer (`footer: true`) and in the help overlay.
    pub const fn foot(keys: &'static [Key], action: A, short: &'static str, help: &'static str) -> Binding<A> {
        Binding { keys, action, short, help, footer: true }
    }

    /// A binding shown only in the help overlay (`footer: false`), not in the footer.
    pub const fn help(keys: &'static [Key], action: A, short: &'static str, help: &'static str) -> Binding<A> {
        Binding { keys, action, short, help, footer: false }
    }

    pub fn key_names(&self) -> String {
        self.keys.iter().map(Key::name).collect::<Vec<_>>().join("/")
    }
}

/// Only presses dispatch: key releases and repeats reported by some terminals are ignored.
pub fn is_press(ev: &KeyEvent) -> bool {
    ev.kind == KeyEventKind::Press
}

/// The action bound to a key press, if any. A binding whose action the `allowed` filter refuses
/// (for example one the signed-in role may not take) does not dispatch.
pub fn lookup<A: Copy>(table: &'static [Binding<A>], ev: &KeyEvent, allowed: impl Fn(A) -> bool) -> Option<A> {
    if !is_press(ev) {
        return None;
    }
    table.iter().find(|b| allowed(b.action) && b.keys.iter().any(|k| k.matches(ev))).map(|b| b.action)
}

/// A help entry: key names and a sentence, for the overlay. Consecutive bindings with the same
/// sentence share one line ("↑ ↓  Previous / next bed"), so the list fits a small terminal.
pub fn help_lines<A: Copy>(table: &'static [Binding<A>], allowed: impl Fn(A) -> bool) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    // A binding with no help text is told by its neighbour's line (Esc on the census: "/ ... Esc
    // clears").
    for b in table.iter().filter(|b| allowed(b.action) && !b.help.is_empty()) {
        match out.last_mut() {
            Some((keys, help)) if *help == b.help => {
                let first = b.keys.first().map(Key::name).unwrap_or_default();
                let kept = keys.split('/').next().unwrap_or_default().to_string();
                *keys = format!("{kept} {first}");
            }
            _ => out.push((b.key_names(), b.help)),
        }
    }
    out
}

/// The short name of an action, from its binding ("admit"), for messages.
pub fn short_of<A: Copy + PartialEq>(table: &'static [Binding<A>], action: A) -> &'static str {
    table.iter().find(|b| b.action == action).map_or("do this", |b| b.short)
}

/// Footer hints: `(keys, short)` for the bindings marked for the footer: the first key, and
/// Enter beside it when Enter does the same ("n/Enter skip"), so the footer says what Enter does.
pub fn footer_hints<A: Copy>(table: &'static [Binding<A>], allowed: impl Fn(A) -> bool) -> Vec<(String, &'static str)> {
    table
        .iter()
        .filter(|b| b.footer && allowed(b.action))
        .map(|b| {
            let first = b.keys.first().map(Key::name).unwrap_or_default();
            let enter = b.keys.iter().skip(1).any(|k| *k == Key::plain(KeyCode::Enter));
            (if enter { format!("{first}/Enter") } else { first }, b.short)
        })
        .collect()
}

/// Footer hints or help lines: `(keys, words)`.
pub type Hints = Vec<(String, &'static str)>;

/// The footer hints and the help lines of several tables, in order.
pub fn hints<A: Copy>(tables: &[&'static [Binding<A>]], allowed: impl Fn(A) -> bool + Copy) -> (Hints, Hints) {
    let mut foot = Vec::new();
    let mut help = Vec::new();
    for t in tables {
        foot.extend(footer_hints(t, allowed));
        help.extend(help_lines(t, allowed));
    }
    (foot, help)
}

/// The digit keys 0-9, for a table whose action reads the digit typed (a score, a level).
pub const DIGITS: &[Key] = &[
    Key::ch('0'),
    Key::ch('1'),
    Key::ch('2'),
    Key::ch('3'),
    Key::ch('4'),
    Key::ch('5'),
    Key::ch('6'),
    Key::ch('7'),
    Key::ch('8'),
    Key::ch('9'),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum A {
        Help,
        Save,
    }

    #[rustfmt::skip]
    static T: &[Binding<A>] = &[
        Binding::foot(&[Key::ch('?')],   A::Help, "help", "Help"),
        Binding::help(&[Key::ctrl('s')], A::Save, "save", "Save"),
    ];

    #[test]
    fn lookup_ignores_shift_on_characters_and_releases() {
        let q = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(lookup(T, &q, |_| true), Some(A::Help));
        let s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(lookup(T, &s, |_| true), Some(A::Save));
        assert_eq!(lookup(T, &KeyEvent::new(KeyCode::Char('s'), KeyModifiers::NONE), |_| true), None);
        let mut rel = q;
        rel.kind = KeyEventKind::Release;
        assert_eq!(lookup(T, &rel, |_| true), None);
        assert_eq!(lookup(T, &q, |a| a != A::Help), None);
    }

    #[test]
    fn back_tab_matches_as_crossterm_decodes_it() {
        #[rustfmt::skip]
        static B: &[Binding<A>] = &[
            Binding::help(&[Key::plain(KeyCode::BackTab)], A::Help, "back", "Back"),
        ];
        // `ESC [ Z` from a real terminal: BackTab with SHIFT (crossterm's unix parser).
        let decoded = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(lookup(B, &decoded, |_| true), Some(A::Help));
        assert_eq!(lookup(B, &KeyEvent::new(KeyCode::BackTab, KeyModifiers::NONE), |_| true), Some(A::Help));
        assert_eq!(lookup(B, &KeyEvent::new(KeyCode::Tab, KeyModifiers::SHIFT), |_| true), Some(A::Help));
        // Other modifiers still count: Ctrl-Shift-Tab is not Shift-Tab, and Tab is not either.
        let ctrl = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT | KeyModifiers::CONTROL);
        assert_eq!(lookup(B, &ctrl, |_| true), None);
        assert_eq!(lookup(B, &KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE), |_| true), None);
    }

    #[test]
    fn footer_and_help_come_from_the_same_table() {
        assert_eq!(footer_hints(T, |_| true), vec![("?".to_string(), "help")]);
        assert_eq!(help_lines(T, |_| true).len(), 2);
        assert_eq!(T[1].key_names(), "Ctrl-S");
    }
}
