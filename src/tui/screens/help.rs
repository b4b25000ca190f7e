//! The help overlay: every key of the current screen, from the same table that dispatches them.
//! It covers the whole terminal so that every key fits at 80x24; when a screen has more keys than
//! rows, they are laid out in two columns.
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::domain::text::fit;
use crate::tui::theme;

pub fn draw(f: &mut Frame<'_>, area: Rect, title: &str, lines: &[(String, &'static str)]) {
    f.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" Keys: {title} — any key closes this help "), theme::title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let rows = inner.height as usize;
    let columns = if lines.len() > rows { 2 } else { 1 };
    let col_w = inner.width as usize / columns;
    let key_w = lines.iter().map(|(k, _)| k.width()).max().unwrap_or(4).min(12);
    let per_col = lines.len().div_ceil(columns);
    let mut text: Vec<Line<'_>> = Vec::new();
    for r in 0..per_col.min(rows) {
        let mut spans = Vec::new();
        for c in 0..columns {
            if let Some((k, h)) = lines.get(c * per_col + r) {
                let key = format!(" {:<key_w$} ", fit(k, key_w));
                let help = fit(h, col_w.saturating_sub(key.width() + 1));
                let pad = col_w.saturating_sub(key.width() + help.width());
                spans.push(Span::styled(key, theme::label()));
                spans.push(Span::raw(format!("{help}{}", " ".repeat(pad))));
            }
        }
        text.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(text), inner);
}
