//! The admin's accounts screen and the audit trail viewer (charge nurses and admins), as
//! components: they read the store and ask the runner for every change (adding an account, a
//! new password, disabling, and the record that the trail was viewed); the store checks the role
//! again.
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::text::inert;
use crate::domain::time::local;
use crate::domain::user::{Role, Staff};
use crate::domain::ward::NewUser;
use crate::store::audit::{AuditFilter, AuditRow};
use crate::store::{Store, StoreError};
use crate::tui::app::Screen;
use crate::tui::component::{Cmd, Component, Ctx, Done, Secret, View, Write};
use crate::tui::keymap::{Binding, Hints, Key, hints, lookup};
use crate::tui::screens::dialog::{Dialog, DialogKind};
use crate::tui::theme;
use crate::tui::widgets::form::{Field, Form};

/// Audit rows per page.
pub const AUDIT_PAGE: usize = 18;

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
    /// The account dialog whose write is under way: it opens again with the store's refusal
    /// (a username taken, a password too short), so nothing typed is lost.
    pub asked: Option<Dialog>,
}

impl AccountsScreen {
    pub fn current(&self) -> Option<&(Staff, bool)> {
        self.rows.get(self.selected)
    }

    /// Open the accounts screen (from the census), or say why the accounts cannot be read.
    pub fn open(store: &Store) -> Cmd {
        match store.users() {
            Ok(rows) => Cmd::Open(Screen::Accounts(Box::new(AccountsScreen { rows, selected: 0, asked: None }))),
            Err(e) => Cmd::error(e.to_string()),
        }
    }

    /// Read the list again after a change, keeping the selection in range (the list stays as it
    /// was if it cannot be read: the change itself was saved).
    fn reload(&mut self, store: &Store) {
        let Ok(rows) = store.users() else { return };
        self.rows = rows;
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    /// A change the store made: the list read again, and what was done.
    fn changed(&mut self, store: &Store, message: String) -> Cmd {
        self.asked = None;
        self.reload(store);
        Cmd::tell(message)
    }

    /// A dialog's change the store refused: the dialog again, showing why.
    fn refused(&mut self, why: String) -> Cmd {
        match self.asked.take() {
            Some(mut d) => {
                d.form.error = Some(why);
                Cmd::Dialog(d)
            }
            None => Cmd::error(why),
        }
    }
}

/// The write an account dialog asks for, or why it cannot be asked yet; `None` when the dialog
/// is not an account dialog.
fn account_write(d: &Dialog) -> Option<Result<Write, String>> {
    let v = |i| d.form.value(i);
    Some(match &d.kind {
        DialogKind::AddAccount => Role::from_code(&v(3))
            .ok_or_else(|| "Role: choose one with ←/→".to_string())
            .and_then(|role| NewUser::validate(&v(0), &v(1), &v(2), role, &v(4), &v(5)))
            .map(Write::NewAccount),
        DialogKind::ResetPassword { username } => match (v(0), v(1)) {
            (password, repeated) if password == repeated => {
                Ok(Write::PasswordReset { username: username.clone(), password: Secret(password) })
            }
            _ => Err("the two passwords differ".into()),
        },
        _ => return None,
    })
}

impl Component for AccountsScreen {
    fn title(&self) -> String {
        "Accounts".into()
    }

    fn hints(&self, _view: &View<'_>) -> (Hints, Hints) {
        hints(&[ACCOUNT_KEYS], |_| true)
    }

    fn on_key(&mut self, k: &KeyEvent, _ctx: &Ctx<'_>) -> Cmd {
        let Some(action) = lookup(ACCOUNT_KEYS, k, |_| true) else { return Cmd::None };
        match action {
            AccountsAction::Up => self.selected = self.selected.saturating_sub(1),
            AccountsAction::Down => self.selected = (self.selected + 1).min(self.rows.len().saturating_sub(1)),
            AccountsAction::Help => return Cmd::Help,
            AccountsAction::Back => return Cmd::Back,
            AccountsAction::Add => {
                return Cmd::Dialog(Dialog { kind: DialogKind::AddAccount, form: add_account_form() });
            }
            AccountsAction::ResetPassword => {
                if let Some((u, _)) = self.current() {
                    let username = u.username.clone();
                    let form = reset_password_form(&username);
                    return Cmd::Dialog(Dialog { kind: DialogKind::ResetPassword { username }, form });
                }
            }
            AccountsAction::ToggleDisabled => {
                if let Some((u, disabled)) = self.current() {
                    return Cmd::Write(Write::AccountDisabled { username: u.username.clone(), disabled: !disabled });
                }
            }
        }
        Cmd::None
    }

    fn on_done(&mut self, done: Done, ctx: &Ctx<'_>) -> Cmd {
        match done {
            Done::NewAccount(Ok(s)) => self.changed(ctx.store, format!("Added {} ({}).", s.username, s.role)),
            Done::PasswordReset { username, result: Ok(()) } => {
                self.changed(ctx.store, format!("New password set for {username}."))
            }
            Done::NewAccount(Err(e)) | Done::PasswordReset { result: Err(e), .. } => self.refused(e),
            Done::AccountDisabled { username, disabled, result: Ok(()) } => {
                let what = if disabled { "disabled; their history is kept" } else { "enabled" };
                self.changed(ctx.store, format!("{username} {what}."))
            }
            Done::AccountDisabled { result: Err(e), .. } => Cmd::error(e),
            _ => Cmd::None,
        }
    }

    /// Adding an account and setting a password: checked here as far as can be without the
    /// store, then asked of the runner; the dialog closes, and a copy is kept until the store
    /// answers, to open again if it refuses.
    fn on_dialog(&mut self, d: &Dialog, _ctx: &Ctx<'_>) -> Option<Result<Cmd, String>> {
        Some(account_write(d)?.map(|w| {
            self.asked = Some(d.clone());
            Cmd::Write(w)
        }))
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, _view: &View<'_>) {
        draw_accounts(f, area, self);
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
    /// The viewer as it was before a new filter, until the new viewing is recorded in the
    /// trail: it comes back if the record cannot be written, so no page stays on screen
    /// unrecorded. `None` on a viewer just opened, which then closes instead.
    pub before: Option<Box<AuditScreen>>,
}

impl AuditScreen {
    /// Open the audit viewer on the newest page under `filter`; the viewing is recorded in the
    /// trail (and the viewer closes again if it cannot be), or say why the trail cannot be read.
    pub fn open(store: &Store, filter: AuditFilter) -> Cmd {
        match AuditScreen::newest(store, filter) {
            Ok(s) => Cmd::Many(vec![Cmd::Open(Screen::Audit(Box::new(s))), Cmd::Write(Write::AuditViewed)]),
            Err(e) => Cmd::error(e.to_string()),
        }
    }

    /// The viewer on the newest page under `filter`.
    fn newest(store: &Store, filter: AuditFilter) -> Result<AuditScreen, StoreError> {
        let (rows, next) = store.audit_rows(&filter, None, AUDIT_PAGE)?;
        Ok(AuditScreen { filter, rows, next, back: Vec::new(), start: None, before: None })
    }
}

/// The filter the audit filter dialog asks for (the date is the ward's), or why it cannot.
fn filter_of(d: &Dialog, tz: Tz) -> Result<AuditFilter, String> {
    let v = |i| d.form.value(i);
    let since = match v(2).trim() {
        "" => None,
        s => {
            let d = crate::domain::time::parse_date("Since", s)?;
            let at = d.and_hms_opt(0, 0, 0).unwrap_or_default().format("%Y-%m-%d %H:%M").to_string();
            Some(crate::domain::time::parse_local("Since", &at, tz)?)
        }
    };
    let none_if_empty = |s: String| (!s.trim().is_empty()).then(|| s.trim().to_string());
    Ok(AuditFilter { mrn: none_if_empty(v(0)), username: none_if_empty(v(1)), since })
}

impl Component for AuditScreen {
    fn title(&self) -> String {
        "Audit trail".into()
    }

    fn hints(&self, _view: &View<'_>) -> (Hints, Hints) {
        hints(&[AUDIT_KEYS], |_| true)
    }

    fn on_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        let Some(action) = lookup(AUDIT_KEYS, k, |_| true) else { return Cmd::None };
        match action {
            AuditAction::Back => Cmd::Back,
            AuditAction::Help => Cmd::Help,
            AuditAction::Filter => {
                Cmd::Dialog(Dialog { kind: DialogKind::AuditFilter, form: audit_filter_form(&self.filter) })
            }
            AuditAction::Older => {
                let Some(next) = self.next else { return Cmd::tell("No older entries.") };
                match ctx.store.audit_rows(&self.filter, Some(next), AUDIT_PAGE) {
                    Ok((rows, n)) => {
                        self.back.push(self.start);
                        self.start = Some(next);
                        self.rows = rows;
                        self.next = n;
                        Cmd::None
                    }
                    Err(e) => Cmd::error(e.to_string()),
                }
            }
            AuditAction::Newer => {
                let Some(start) = self.back.pop() else { return Cmd::tell("This is the newest page.") };
                match ctx.store.audit_rows(&self.filter, start, AUDIT_PAGE) {
                    Ok((rows, n)) => {
                        self.start = start;
                        self.rows = rows;
                        self.next = n;
                        Cmd::None
                    }
                    Err(e) => Cmd::error(e.to_string()),
                }
            }
        }
    }

    /// The viewing recorded: the page stays. Not recorded: the page goes (the viewer as it was
    /// before the filter, or no viewer), and the nurse is told why.
    fn on_done(&mut self, done: Done, _ctx: &Ctx<'_>) -> Cmd {
        let Done::AuditViewed(result) = done else { return Cmd::None };
        match (result, self.before.take()) {
            (Ok(()), _) => Cmd::None,
            (Err(e), Some(was)) => {
                *self = *was;
                Cmd::error(e)
            }
            (Err(e), None) => Cmd::Many(vec![Cmd::Back, Cmd::error(e)]),
        }
    }

    /// A new filter: its newest page in place of this one (one Esc still goes back), recorded
    /// as a viewing like the first.
    fn on_dialog(&mut self, d: &Dialog, ctx: &Ctx<'_>) -> Option<Result<Cmd, String>> {
        if d.kind != DialogKind::AuditFilter {
            return None;
        }
        let filter = match filter_of(d, ctx.tz) {
            Ok(f) => f,
            Err(e) => return Some(Err(e)),
        };
        Some(Ok(match AuditScreen::newest(ctx.store, filter) {
            Ok(page) => {
                let mut was = std::mem::replace(self, page);
                was.before = None;
                self.before = Some(Box::new(was));
                Cmd::Write(Write::AuditViewed)
            }
            Err(e) => Cmd::error(e.to_string()),
        }))
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        draw_audit(f, area, self, view.tz);
    }
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
