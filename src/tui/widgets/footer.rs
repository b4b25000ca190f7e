//! The footer: the main keys of the screen, from its key table. Hints that do not fit are left
//! out whole (never cut mid-word); `?` always lists every key.
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::tui::theme;

pub fn draw(f: &mut Frame<'_>, area: Rect, hints: &[(String, &'static str)]) {
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (k, what) in hints {
        let key = k.to_string();
        let text = format!(" {what}  ");
        let w = key.width() + text.width();
        if used + w > area.width as usize {
            continue;
        }
        used += w;
        spans.push(Span::styled(key, theme::footer_key()));
        spans.push(Span::styled(text, theme::footer_text()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
