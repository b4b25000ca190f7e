//! The help overlay: every key of the current screen, from the same table that dispatches them.
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::tui::theme;

pub fn draw(f: &mut Frame<'_>, area: Rect, title: &str, lines: &[(String, &'static str)]) {
    let h = (lines.len() as u16 + 4).min(area.height);
    let w = area.width.min(76);
    let r = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    f.render_widget(Clear, r);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(format!(" Keys: {title} "), theme::title()));
    let key_w = lines.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(4).min(22);
    let mut text: Vec<Line<'_>> = lines
        .iter()
        .map(|(k, h)| Line::from(vec![Span::styled(format!(" {k:<key_w$}  "), theme::label()), Span::raw(*h)]))
        .collect();
    text.push(Line::from(Span::styled(" Any key closes this help.", theme::hint())));
    f.render_widget(Paragraph::new(text).block(block).wrap(Wrap { trim: false }), r);
}
