//! The admin's accounts screen and the audit trail viewer (charge nurses and admins).
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::text::inert;
use crate::domain::time::local;
use crate::domain::user::{Role, Staff};
use crate::store::audit::{AuditFilter, AuditRow};
use crate::tui::keymap::{Binding, Key};
use crate::tui::theme;
use crate::tui::widgets::form::{Field, Form};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountsAction {
    Up,
    Down,
    Add,
    ToggleDisabled,
    ResetPassword,
    Help,
    Back,
}

#[rustfmt::skip]
pub static ACCOUNT_KEYS: &[Binding<AccountsAction>] = &[
    Binding::help(&[Key::plain(KeyCode::Up), Key::ch('k')], AccountsAction::Up, "up",             "Previous account"),
    Binding::help(&[Key::plain(KeyCode::Down), Key::ch('j')], AccountsAction::Down, "down",       "Next account"),
    Binding::foot(&[Key::ch('a')], AccountsAction::Add,                         "add",            "Add an account (username, name, credentials, role, password)"),
    Binding::foot(&[Key::ch('d')], AccountsAction::ToggleDisabled,              "disable/enable", "Disable the selected account (its history stays), or enable it again"),
    Binding::foot(&[Key::ch('r')], AccountsAction::ResetPassword,               "reset password", "Set a new password for the selected account and lift a lockout"),
    Binding::foot(&[Key::ch('?')], AccountsAction::Help,                        "help",           "Show every key of this screen"),
    Binding::foot(&[Key::plain(KeyCode::Esc), Key::ch('q')], AccountsAction::Back, "back",        "Back to the census"),
];

#[derive(Clone, Debug, PartialEq)]
pub struct AccountsScreen {
    pub rows: Vec<(Staff, bool)>,
    pub selected: usize,
}

impl AccountsScreen {
    pub fn current(&self) -> Option<&(Staff, bool)> {
        self.rows.get(self.selected)
    }
}

pub fn add_account_form() -> Form {
    let roles = Role::ALL.iter().map(|r| (r.code().to_string(), r.label().to_string())).collect();
    Form::new(
        "Add an account",
        vec![
            Field::text("Username", "letters, digits, . - _"),
            Field::text("Display name", "e.g. Ana Ortiz"),
            Field::text("Credentials", "RN, LPN, ..."),
            Field::choice("Role", "", roles),
            Field::secret("Password", "at least 10 characters"),
            Field::secret("Repeat password", ""),
        ],
    )
    .with_verb("add account")
}

pub fn reset_password_form(username: &str) -> Form {
    Form::new(
        format!("New password for {username}"),
        vec![Field::secret("Password", "at least 10 characters"), Field::secret("Repeat password", "")],
    )
    .with_verb("set password")
}

pub fn draw_accounts(f: &mut Frame<'_>, area: Rect, s: &AccountsScreen) {
    let mut lines = vec![
        Line::from(Span::styled("Accounts", theme::title())),
        Line::from(Span::styled(
            format!("{:<16} {:<30} {:<14} {}", "Username", "Name, credentials", "Role", "State"),
            theme::table_header(),
        )),
    ];
    for (i, (u, disabled)) in s.rows.iter().enumerate() {
        let state = if *disabled { "DISABLED" } else { "active" };
        let style = if i == s.selected { theme::selected() } else { theme::base() };
        lines.push(Line::from(Span::styled(
            format!("{:<16} {:<30} {:<14} {state}", inert(&u.username), inert(&u.signature()), u.role.label()),
            style,
        )));
    }
    f.render_widget(Paragraph::new(lines), area);
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    Older,
    Newer,
    Filter,
    Help,
    Back,
}

#[rustfmt::skip]
pub static AUDIT_KEYS: &[Binding<AuditAction>] = &[
    Binding::foot(&[Key::plain(KeyCode::PageDown), Key::ch('n')], AuditAction::Older,  "older",  "Older entries"),
    Binding::foot(&[Key::plain(KeyCode::PageUp), Key::ch('p')],   AuditAction::Newer,  "newer",  "Newer entries"),
    Binding::foot(&[Key::ch('f')],                                AuditAction::Filter, "filter", "Filter by patient MRN, username and date"),
    Binding::foot(&[Key::ch('?')],                                AuditAction::Help,   "help",   "Show every key of this screen"),
    Binding::foot(&[Key::plain(KeyCode::Esc), Key::ch('q')],      AuditAction::Back,   "back",   "Back to the census"),
];

#[derive(Clone, Debug, PartialEq)]
pub struct AuditScreen {
    pub filter: AuditFilter,
    pub rows: Vec<AuditRow>,
    /// Cursor of the next (older) page.
    pub next: Option<i64>,
    /// Cursors of the pages before this one.
    pub back: Vec<Option<i64>>,
    pub start: Option<i64>,
}

pub fn audit_filter_form(f: &AuditFilter) -> Form {
    Form::new(
        "Filter the audit trail",
        vec![
            Field::text("Patient MRN", "empty: every patient").with_text(f.mrn.as_deref().unwrap_or("")),
            Field::text("Username", "empty: everyone").with_text(f.username.as_deref().unwrap_or("")),
            Field::text("Since", "YYYY-MM-DD (ward date); empty: from the start"),
        ],
    )
    .with_verb("filter")
}

pub fn draw_audit(f: &mut Frame<'_>, area: Rect, s: &AuditScreen, tz: Tz) {
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    let filter = format!(
        "patient {} · user {} · since {}",
        s.filter.mrn.as_deref().unwrap_or("any"),
        s.filter.username.as_deref().unwrap_or("any"),
        s.filter.since.map_or("the start".to_string(), |t| local(t, tz))
    );
    f.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled("Audit trail, newest first (append-only)", theme::title())),
            Line::from(inert(&filter)),
        ]),
        head,
    );
    let w = body.width as usize;
    let lines: Vec<Line<'_>> = s
        .rows
        .iter()
        .map(|r| {
            let line = format!(
                "{} {:<10} {:<18} {} {}",
                local(r.at, tz),
                inert(&r.user),
                inert(&r.action),
                inert(&r.patient),
                inert(&r.detail)
            );
            Line::from(line.chars().take(w).collect::<String>())
        })
        .collect();
    f.render_widget(Paragraph::new(lines), body);
}
