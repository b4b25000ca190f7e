//! A one-line text being typed outside a form: the census filter, a timeline search, Find in
//! notes. One rule for what a key or a paste does to it, and how long it may grow.
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Backspace and printable characters edit `text`, up to `max` characters. Returns whether the
/// key was an edit (Enter, Esc and the rest are the caller's).
pub fn edit(text: &mut String, k: &KeyEvent, max: usize) -> bool {
    match k.code {
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => {
            if text.chars().count() < max {
                text.push(c);
            }
        }
        _ => return false,
    }
    true
}

/// Pasted text, control characters dropped, up to `max` characters in all.
pub fn paste(text: &mut String, pasted: &str, max: usize) {
    let room = max.saturating_sub(text.chars().count());
    text.extend(pasted.chars().filter(|c| !c.is_control()).take(room));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_is_capped_in_characters_and_paste_is_inert() {
        let mut t = String::new();
        for c in "ééééé".chars() {
            assert!(edit(&mut t, &key(KeyCode::Char(c)), 3));
        }
        assert_eq!(t, "ééé", "capped at three characters, not bytes");
        assert!(edit(&mut t, &key(KeyCode::Backspace), 3) && t == "éé");
        assert!(!edit(&mut t, &key(KeyCode::Enter), 3));
        assert!(!edit(&mut t, &KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL), 3), "Ctrl-L is the caller's");
        assert_eq!(t, "éé");
        paste(&mut t, "a\x1b[2Jbcdef", 6);
        assert_eq!(t, "ééa[2J", "control characters dropped, total capped");
    }
}
