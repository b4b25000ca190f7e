//! The one line editor: every single-line text field (form fields, the scoring screen's vitals
//! and time, the census filter, the searches, the rounds' acknowledgement note) edits through
//! these functions, so the keys and paste work the same in all of them (issue 15, point 5).
//!
//! Keys: printable characters insert at the cursor; Backspace and Delete remove before and
//! under it; ←/→, Home and End move it; Ctrl-U clears the line. A paste inserts its printable
//! characters (control characters, escape sequences included, are dropped), up to the field's
//! length limit counted in characters.
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn byte_at(text: &str, char_idx: usize) -> usize {
    text.char_indices().nth(char_idx).map_or(text.len(), |(b, _)| b)
}

/// Edit `text` with the cursor at character `cursor`, up to `max` characters. Returns whether the
/// key was the editor's (Enter, Esc, Tab and the rest are the caller's).
pub fn edit_at(text: &mut String, cursor: &mut usize, k: &KeyEvent, max: usize) -> bool {
    let len = text.chars().count();
    *cursor = (*cursor).min(len);
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    match k.code {
        KeyCode::Char('u') if ctrl => {
            text.clear();
            *cursor = 0;
        }
        KeyCode::Char(c) if !ctrl && !c.is_control() => {
            if len < max {
                text.insert(byte_at(text, *cursor), c);
                *cursor += 1;
            }
        }
        KeyCode::Backspace => {
            if *cursor > 0 {
                text.remove(byte_at(text, *cursor - 1));
                *cursor -= 1;
            }
        }
        KeyCode::Delete => {
            if *cursor < len {
                text.remove(byte_at(text, *cursor));
            }
        }
        KeyCode::Left => *cursor = cursor.saturating_sub(1),
        KeyCode::Right => *cursor = (*cursor + 1).min(len),
        KeyCode::Home => *cursor = 0,
        KeyCode::End => *cursor = len,
        _ => return false,
    }
    true
}

/// Paste into `text` at the cursor: printable characters only, up to `max` characters in all.
pub fn paste_at(text: &mut String, cursor: &mut usize, pasted: &str, max: usize) {
    *cursor = (*cursor).min(text.chars().count());
    let room = max.saturating_sub(text.chars().count());
    for c in pasted.chars().filter(|c| !c.is_control()).take(room) {
        text.insert(byte_at(text, *cursor), c);
        *cursor += 1;
    }
}

/// [`edit_at`] for a field whose cursor is always at its end (the census filter, the
/// searches, the scoring vitals): the same keys, the movement keys left to the caller.
pub fn edit(text: &mut String, k: &KeyEvent, max: usize) -> bool {
    if matches!(k.code, KeyCode::Left | KeyCode::Right | KeyCode::Home | KeyCode::End | KeyCode::Delete) {
        return false;
    }
    let mut end = text.chars().count();
    edit_at(text, &mut end, k, max)
}

/// [`paste_at`] at the end of the field.
pub fn paste(text: &mut String, pasted: &str, max: usize) {
    let mut end = text.chars().count();
    paste_at(text, &mut end, pasted, max);
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
        assert!(edit(&mut t, &KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL), 6) && t.is_empty());
    }

    #[test]
    fn the_cursor_edits_in_the_middle() {
        let (mut t, mut at) = ("0830".to_string(), 4);
        for k in [KeyCode::Left, KeyCode::Left] {
            assert!(edit_at(&mut t, &mut at, &key(k), 10));
        }
        assert!(edit_at(&mut t, &mut at, &key(KeyCode::Char(':')), 10));
        assert_eq!((t.as_str(), at), ("08:30", 3));
        assert!(edit_at(&mut t, &mut at, &key(KeyCode::Delete), 10));
        assert_eq!(t, "08:0");
        assert!(edit_at(&mut t, &mut at, &key(KeyCode::Home), 10) && at == 0);
        paste_at(&mut t, &mut at, "-\x07", 10);
        assert_eq!((t.as_str(), at), ("-08:0", 1));
        assert!(!edit_at(&mut t, &mut at, &key(KeyCode::Tab), 10), "Tab is the caller's");
    }
}
