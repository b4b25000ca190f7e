//! `view(frame, &model)`: pure drawing of the whole screen from the model.
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::domain::text::inert;
use crate::tui::app::{Model, Screen};
use crate::tui::keymap::{footer_hints, help_lines};
use crate::tui::screens::census::{self, CensusAction, KEYS as CENSUS_KEYS};
use crate::tui::screens::help;
use crate::tui::theme;
use crate::tui::widgets::footer;
use crate::tui::widgets::form::{FORM_KEYS, Form};

/// The smallest terminal the layout is drawn for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Demo accounts shown on the sign-in screen of a demo ward only.
pub type DemoAccounts = &'static [(&'static str, &'static str, &'static str)];

pub fn view(f: &mut Frame<'_>, m: &Model, demo_accounts: DemoAccounts) {
    let area = f.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(f, area);
        return;
    }
    let demo = m.ward.as_ref().is_some_and(|w| w.is_demo);
    let [head, banner, body, notice, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::from(demo)),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    header(f, head, m);
    if demo {
        f.render_widget(
            Paragraph::new(
                " DEMO WARD: every patient here is fictitious. Do not enter real patient data.",
            )
            .style(theme::demo_banner()),
            banner,
        );
    }
    let role = m.me.as_ref().map(|s| s.role);
    let allowed = |a: CensusAction| role.is_some_and(|r| a.allowed(r));
    let (hints, help_title, help_rows) = match &m.screen {
        Screen::Setup(form) | Screen::SignIn(form) => {
            draw_centered_form(f, body, form, m, demo.then_some(demo_accounts));
            (
                footer_hints(FORM_KEYS, |_| true),
                form.title.clone(),
                help_lines(FORM_KEYS, |_| true),
            )
        }
        Screen::Census { board, dialog } => {
            let tz = m.ward.as_ref().map_or(chrono_tz::UTC, |w| w.tz);
            census::draw(f, body, board, m.now, tz);
            match dialog {
                Some(d) => {
                    let h = d.form.height().min(body.height);
                    let w = body.width.min(78);
                    let r = Rect {
                        x: body.x + (body.width - w) / 2,
                        y: body.y + (body.height - h) / 2,
                        width: w,
                        height: h,
                    };
                    d.form.draw(f, r);
                    (
                        footer_hints(FORM_KEYS, |_| true),
                        d.form.title.clone(),
                        help_lines(FORM_KEYS, |_| true),
                    )
                }
                None => (
                    footer_hints(CENSUS_KEYS, allowed),
                    "Census".to_string(),
                    help_lines(CENSUS_KEYS, allowed),
                ),
            }
        }
    };
    if let Some(n) = &m.notice {
        let style = if n.error {
            theme::error()
        } else {
            theme::info()
        };
        f.render_widget(
            Paragraph::new(Line::from(Span::styled(
                format!(" {} ", inert(&n.text)),
                style,
            ))),
            notice,
        );
    }
    footer::draw(f, foot, &hints);
    if m.help_open {
        help::draw(f, body, &help_title, &help_rows);
    }
}

fn header(f: &mut Frame<'_>, area: Rect, m: &Model) {
    let ward = m.ward.as_ref();
    let name = ward.map_or("new ward".to_string(), |w| inert(&w.name));
    let clock = ward.map_or(String::new(), |w| {
        m.now
            .with_timezone(&w.tz)
            .format("%a %d %b %H:%M %Z")
            .to_string()
    });
    let who = m.me.as_ref().map_or("not signed in".to_string(), |s| {
        format!("{} ({})", inert(&s.signature()), s.role)
    });
    let left = if ward.is_some() { format!(" wardterm · {name} · {clock}") } else { " wardterm · first-run setup".to_string() };
    let right = format!("{who} ");
    let pad = (area.width as usize).saturating_sub(left.chars().count() + right.chars().count());
    f.render_widget(
        Paragraph::new(format!("{left}{}{right}", " ".repeat(pad))).style(theme::header()),
        area,
    );
}

fn draw_centered_form(
    f: &mut Frame<'_>,
    body: Rect,
    form: &Form,
    m: &Model,
    demo: Option<DemoAccounts>,
) {
    let extra = demo.map_or(0, |d| d.len() as u16 + 3);
    let h = (form.height() + extra).min(body.height);
    let w = body.width.min(78);
    let r = Rect {
        x: body.x + (body.width - w) / 2,
        y: body.y + (body.height.saturating_sub(h)) / 2,
        width: w,
        height: h,
    };
    let form_h = form.height().min(h);
    form.draw(
        f,
        Rect {
            height: form_h,
            ..r
        },
    );
    if let Some(accounts) = demo
        && h > form_h
    {
        let mut lines = vec![Line::from(Span::styled(
            "Demo accounts (shown on a demo ward only):",
            theme::label(),
        ))];
        for (user, pw, role) in accounts {
            lines.push(Line::from(format!("  {user:<12} password {pw:<16} {role}")));
        }
        let area = Rect {
            y: r.y + form_h,
            height: h - form_h,
            ..r
        };
        f.render_widget(
            Paragraph::new(lines).block(Block::default().borders(Borders::NONE)),
            area,
        );
    }
    let _ = m;
}

fn too_small(f: &mut Frame<'_>, area: Rect) {
    let text = vec![
        Line::from(Span::styled("Window too small", theme::title())),
        Line::from(format!("Enlarge it to at least {MIN_WIDTH}x{MIN_HEIGHT}.")),
        Line::from(format!("Now {}x{}.", area.width, area.height)),
        Line::from("No patient data is shown until it fits."),
    ];
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}
