//! `view(frame, &model)`: pure drawing of the whole screen from the model.
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::text::inert;
use crate::tui::app::{Model, Screen};
use crate::tui::screens::help;
use crate::tui::theme;
use crate::tui::widgets::footer;
use crate::tui::widgets::form::Form;

/// The smallest terminal the layout is drawn for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Does a terminal of this size fit the layout? Below it the screen says "Window too small"
/// and no key acts but quit and lock (the app asks the same question before taking a key).
pub fn fits(width: u16, height: u16) -> bool {
    width >= MIN_WIDTH && height >= MIN_HEIGHT
}

/// Demo accounts shown on the sign-in screen of a demo ward only.
pub type DemoAccounts = &'static [(&'static str, &'static str, &'static str)];

use crate::tui::keymap::hints as all;

/// How many lines the open help has when it pages (PgDn / PgUp) rather than closing on any key:
/// the census help, whose keys and legend are read whole, one column, one page at a time.
pub fn paged_help_len(m: &Model) -> Option<usize> {
    let census = matches!(m.screen, Screen::Census) && m.dialog.is_none() && m.confirm_quit.is_none();
    (m.help_open && census).then(|| crate::tui::screens::census_keys::help(m.me.as_ref().map(|s| s.role)).len())
}

pub fn view(f: &mut Frame<'_>, m: &Model, demo_accounts: DemoAccounts) {
    let area = f.area();
    if !fits(area.width, area.height) {
        too_small(f, area, m);
        return;
    }
    let demo = m.ward.as_ref().is_some_and(|w| w.is_demo);
    // A message wraps onto as many lines as it needs (up to three) instead of being cut.
    let notice_h = m.notice.as_ref().map_or(1, |n| {
        let w = usize::from(area.width.max(1));
        u16::try_from((inert(&n.text).chars().count() + 2).div_ceil(w)).unwrap_or(3).clamp(1, 3)
    });
    let [head, banner, body, notice, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::from(demo)),
        Constraint::Min(1),
        Constraint::Length(notice_h),
        Constraint::Length(1),
    ])
    .areas(area);
    header(f, head, m);
    if demo {
        f.render_widget(
            Paragraph::new(" DEMO WARD: every patient here is fictitious. Do not enter real patient data.")
                .style(theme::demo_banner()),
            banner,
        );
    }
    let tz = m.tz();
    // A component draws itself and names its keys (issue 15, point 1).
    let front = m.front().map(|front| {
        let view = m.view();
        front.draw(f, body, &view);
        let (h, r) = front.hints(&view);
        (h, front.title(), r)
    });
    let (mut hints, mut help_title, mut help_rows) = match &m.screen {
        _ if front.is_some() => front.unwrap_or_default(),
        Screen::Locked { form, .. } => {
            draw_centered_form(f, body, form, None);
            let (_, r) = all(&[form.keys], |_| true);
            (form.footer_hints(), form.title.clone(), r)
        }
        Screen::Setup(form) | Screen::SignIn(form) => {
            draw_centered_form(f, body, form, demo.then_some(demo_accounts));
            let (_, r) = all(&[form.keys], |_| true);
            (form.footer_hints(), form.title.clone(), r)
        }
        // Components: drawn above.
        _ => Default::default(),
    };
    if let Some(d) = &m.dialog {
        let h = d.form.height().min(body.height);
        let r = Rect { y: body.y + (body.height - h) / 2, height: h, ..body };
        d.form.draw_at(f, r, Some((m.now, tz)));
        help_rows = all(&[d.form.keys], |_| true).1;
        hints = d.form.footer_hints();
        help_title = d.form.title.clone();
    }
    if let Some(c) = &m.confirm_quit {
        crate::tui::leave_flow::draw(f, body, c);
        (hints, help_rows) = all(&[crate::tui::leave_flow::CONFIRM_KEYS], |a| c.allowed(a));
        help_title = "Quit wardterm?".to_string();
    }
    if let Some(n) = &m.notice {
        let style = if n.error { theme::error() } else { theme::info() };
        f.render_widget(
            Paragraph::new(Line::from(Span::styled(format!(" {} ", inert(&n.text)), style))).wrap(Wrap { trim: false }),
            notice,
        );
    }
    footer::draw(f, foot, &hints);
    if m.help_open {
        let page = paged_help_len(m).map(|_| m.help_page);
        help::draw(f, area, &help_title, &help_rows, page);
    }
}

fn header(f: &mut Frame<'_>, area: Rect, m: &Model) {
    let left = match &m.ward {
        Some(w) => {
            format!(" wardterm · {} · {}", inert(&w.name), m.now.with_timezone(&w.tz).format("%a %d %b %H:%M %Z"))
        }
        None => " wardterm · first-run setup".to_string(),
    };
    let who = match (&m.me, &m.screen) {
        (Some(s), _) => format!("{} ({})", inert(&s.signature()), s.role),
        (None, Screen::Locked { user, .. }) => format!("LOCKED · {}", inert(&user.signature())),
        (None, _) => "not signed in".to_string(),
    };
    let right = format!("{who} ");
    let pad = (area.width as usize).saturating_sub(left.chars().count() + right.chars().count());
    f.render_widget(Paragraph::new(format!("{left}{}{right}", " ".repeat(pad))).style(theme::header()), area);
}

fn draw_centered_form(f: &mut Frame<'_>, body: Rect, form: &Form, demo: Option<DemoAccounts>) {
    let extra = demo.map_or(0, |d| d.len() as u16 + 1);
    let h = (form.height() + extra).min(body.height);
    let w = body.width.min(78);
    let r =
        Rect { x: body.x + (body.width - w) / 2, y: body.y + (body.height.saturating_sub(h)) / 2, width: w, height: h };
    let form_h = form.height().min(h);
    form.draw(f, Rect { height: form_h, ..r });
    if let Some(accounts) = demo
        && h > form_h
    {
        let mut lines = vec![Line::from(Span::styled("Demo accounts (shown on a demo ward only):", theme::label()))];
        for (user, pw, role) in accounts {
            lines.push(Line::from(format!("  {user:<12} password {pw:<16} {role}")));
        }
        f.render_widget(Paragraph::new(lines), Rect { y: r.y + form_h, height: h - form_h, ..r });
    }
}

fn too_small(f: &mut Frame<'_>, area: Rect, m: &Model) {
    let mut text = vec![
        Line::from(Span::styled("Window too small", theme::title())),
        Line::from(format!("Enlarge it to at least {MIN_WIDTH}x{MIN_HEIGHT}.")),
        Line::from(format!("Now {}x{}.", area.width, area.height)),
        Line::from("No patient data is shown until it fits."),
        Line::from("Until then only Ctrl-C quits and Ctrl-L locks."),
    ];
    if m.confirm_quit.is_some() {
        text.push(Line::from(Span::styled("A question is waiting: enlarge the window to answer it.", theme::error())));
    }
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}
