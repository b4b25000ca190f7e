//! Reading a whole record in a scrolling frame (a note from the timeline or from a search).
use ratatui::crossterm::event::KeyCode;

/// Move a reading frame's scroll for ↑/↓ (a line) and PgUp/PgDn (ten lines). Returns whether
/// the key was a scroll key.
pub fn scroll(offset: &mut u16, key: KeyCode) -> bool {
    match key {
        KeyCode::Up => *offset = offset.saturating_sub(1),
        KeyCode::Down => *offset = offset.saturating_add(1),
        KeyCode::PageUp => *offset = offset.saturating_sub(10),
        KeyCode::PageDown => *offset = offset.saturating_add(10),
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolls_by_line_and_page_and_never_below_zero() {
        let mut at = 0;
        assert!(scroll(&mut at, KeyCode::Up) && at == 0);
        assert!(scroll(&mut at, KeyCode::PageDown) && at == 10);
        assert!(scroll(&mut at, KeyCode::Up) && at == 9);
        assert!(!scroll(&mut at, KeyCode::Esc) && at == 9);
    }
}
