//! Every colour and style in one place. Colour never carries meaning alone: each coloured state
//! also has a text marker (`!` for overdue, `*` for a severe band) that survives a monochrome
//! terminal or a printout.
use ratatui::style::{Color, Modifier, Style};

pub fn base() -> Style {
    Style::default()
}
pub fn header() -> Style {
    Style::default().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD)
}
pub fn demo_banner() -> Style {
    Style::default().fg(Color::Black).bg(Color::Yellow).add_modifier(Modifier::BOLD)
}
pub fn table_header() -> Style {
    Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}
pub fn selected() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}
pub fn empty_bed() -> Style {
    Style::default().fg(Color::DarkGray)
}
/// An assessment past due: red background, and the cell also reads `!`.
pub fn overdue() -> Style {
    Style::default().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD)
}
/// An exception on a round (an open alert; a row whose latest check is an exception): the same
/// red as overdue, and the text also reads `!`.
pub fn alert() -> Style {
    overdue()
}
/// Due within the warning window.
pub fn due_soon() -> Style {
    Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}
/// A score in a severe band: the cell also reads `*`.
pub fn severe() -> Style {
    Style::default().fg(Color::LightRed).add_modifier(Modifier::BOLD)
}
pub fn unable() -> Style {
    Style::default().fg(Color::Magenta)
}
pub fn footer_key() -> Style {
    Style::default().fg(Color::Black).bg(Color::Gray)
}
pub fn footer_text() -> Style {
    Style::default()
}
pub fn error() -> Style {
    Style::default().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD)
}
pub fn info() -> Style {
    Style::default().fg(Color::Black).bg(Color::Green)
}
pub fn hint() -> Style {
    Style::default().fg(Color::DarkGray)
}
pub fn label() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}
pub fn focused_field() -> Style {
    Style::default().bg(Color::Blue).fg(Color::White)
}
pub fn title() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}
