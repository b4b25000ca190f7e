//! The footer: the main keys of the screen, from its key table.
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::theme;

pub fn draw(f: &mut Frame<'_>, area: Rect, hints: &[(String, &'static str)]) {
    let mut spans = Vec::new();
    for (k, what) in hints {
        spans.push(Span::styled(format!(" {k} "), theme::footer_key()));
        spans.push(Span::styled(format!(" {what}  "), theme::footer_text()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
