//! The help overlay: every key of the current screen, from the same table that dispatches them.
//! It covers the whole terminal so that every key fits at 80x24; when a screen has more keys than
//! rows, they are laid out in two columns, or, where the screen pages its help (the census:
//! every key and the legend of the board's marks, read whole), one column a page at a time with
//! PgDn / PgUp and the border saying what more there is.
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::domain::text::fit;
use crate::tui::theme;

/// Which lines of `len` a page of `rows` shows: page `page` starts `page * rows` lines in, and the
/// last page is a full one ending at the last line.
pub fn page_start(len: usize, rows: usize, page: usize) -> usize {
    page.saturating_mul(rows).min(len.saturating_sub(rows))
}

/// `page`: `Some` where the help pages (one column), `None` for two columns when it is long.
pub fn draw(f: &mut Frame<'_>, area: Rect, title: &str, lines: &[(String, &'static str)], page: Option<usize>) {
    f.render_widget(Clear, area);
    let rows = area.height.saturating_sub(2) as usize;
    let paging = page.is_some() && lines.len() > rows;
    let start = if paging { page_start(lines.len(), rows, page.unwrap_or(0)) } else { 0 };
    let mut block = Block::default().borders(Borders::ALL).title(Span::styled(
        if paging {
            format!(" Keys: {title} — PgDn / PgUp more, any other key closes this help ")
        } else {
            format!(" Keys: {title} — any key closes this help ")
        },
        theme::title(),
    ));
    if paging {
        let below = lines.len() - (start + rows).min(lines.len());
        let more = match (start, below) {
            (0, n) => format!(" ▼ {} below: PgDn ", crate::domain::text::count(n, "more line", "more lines")),
            (n, 0) => format!(" ▲ {} above: PgUp · end of the list ", crate::domain::text::count(n, "line", "lines")),
            (a, b) => format!(" ▲ {a} above: PgUp · ▼ {b} below: PgDn "),
        };
        block = block.title_bottom(Span::styled(more, theme::title()));
    }
    let inner = block.inner(area);
    f.render_widget(block, area);
    // The key column is as wide on every page.
    let key_w = lines.iter().map(|(k, _)| k.width()).max().unwrap_or(4).min(12);
    let lines = &lines[start..];
    let columns = if lines.len() > rows && !paging { 2 } else { 1 };
    let col_w = inner.width as usize / columns;
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
