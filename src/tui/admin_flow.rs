//! The app's side of the admin screens: accounts (admins) and the audit trail (charge nurses and
//! admins). Every change goes through the store, which checks the role again.
use ratatui::crossterm::event::KeyEvent;

use crate::domain::user::Role;
use crate::domain::ward::NewUser;
use crate::store::audit::AuditFilter;
use crate::tui::app::{App, Screen};
use crate::tui::keymap::lookup;
use crate::tui::screens::admin::{
    self, ACCOUNT_KEYS, AUDIT_KEYS, AccountsAction, AccountsScreen, AuditAction, AuditScreen,
};
use crate::tui::screens::stay_forms::{Dialog, DialogKind};

/// Audit rows per page.
pub const AUDIT_PAGE: usize = 18;

impl App {
    pub(crate) fn open_accounts(&mut self) {
        match self.store.users() {
            Ok(rows) => self.show(Screen::Accounts(Box::new(AccountsScreen { rows, selected: 0 }))),
            Err(e) => self.tell(e.to_string(), true),
        }
    }

    fn reload_accounts(&mut self) {
        let Ok(rows) = self.store.users() else { return };
        if let Screen::Accounts(a) = &mut self.model.screen {
            a.rows = rows;
            a.selected = a.selected.min(a.rows.len().saturating_sub(1));
        }
    }

    pub(crate) fn accounts_key(&mut self, k: KeyEvent) {
        let (Some(me), Screen::Accounts(a)) = (self.model.me.clone(), &mut self.model.screen) else { return };
        let Some(action) = lookup(ACCOUNT_KEYS, &k, |_| true) else { return };
        match action {
            AccountsAction::Up => a.selected = a.selected.saturating_sub(1),
            AccountsAction::Down => a.selected = (a.selected + 1).min(a.rows.len().saturating_sub(1)),
            AccountsAction::Help => self.model.help_open = true,
            AccountsAction::Back => self.back(),
            AccountsAction::Add => {
                self.model.dialog = Some(Dialog { kind: DialogKind::AddAccount, form: admin::add_account_form() })
            }
            AccountsAction::ResetPassword => {
                if let Some((u, _)) = a.current() {
                    let username = u.username.clone();
                    self.model.dialog = Some(Dialog {
                        kind: DialogKind::ResetPassword { username: username.clone() },
                        form: admin::reset_password_form(&username),
                    });
                }
            }
            AccountsAction::ToggleDisabled => {
                let Some((u, disabled)) = a.current().cloned() else { return };
                match self.store.set_disabled(&me, &u.username, !disabled, self.model.now) {
                    Ok(()) => {
                        self.reload_accounts();
                        let what = if disabled { "enabled" } else { "disabled; their history is kept" };
                        self.tell(format!("{} {what}.", u.username), false);
                    }
                    Err(e) => self.tell(e.to_string(), true),
                }
            }
        }
    }

    /// Submit of an account dialog. `Ok(message)` closes it.
    pub(crate) fn submit_account_dialog(&mut self, d: &Dialog) -> Result<String, String> {
        let Some(me) = self.model.me.clone() else { return Err("not signed in".into()) };
        let v = |i| d.form.value(i);
        let msg = match &d.kind {
            DialogKind::AddAccount => {
                let role = Role::from_code(&v(3)).ok_or("Role: choose one with ←/→")?;
                let u = NewUser::validate(&v(0), &v(1), &v(2), role, &v(4), &v(5))?;
                let s = self.store.add_account(&me, &u, self.model.now).map_err(|e| e.to_string())?;
                format!("Added {} ({}).", s.username, s.role)
            }
            DialogKind::ResetPassword { username } => {
                if v(0) != v(1) {
                    return Err("the two passwords differ".into());
                }
                self.store.reset_password(&me, username, &v(0), self.model.now).map_err(|e| e.to_string())?;
                format!("New password set for {username}.")
            }
            DialogKind::AuditFilter => {
                let tz = self.model.tz();
                let since = match v(2).trim() {
                    "" => None,
                    s => {
                        let d = crate::domain::time::parse_date("Since", s)?;
                        let at = d.and_hms_opt(0, 0, 0).unwrap_or_default().format("%Y-%m-%d %H:%M").to_string();
                        Some(crate::domain::time::parse_local("Since", &at, tz)?)
                    }
                };
                let none_if_empty = |s: String| (!s.trim().is_empty()).then(|| s.trim().to_string());
                let filter = AuditFilter { mrn: none_if_empty(v(0)), username: none_if_empty(v(1)), since };
                self.model.dialog = None;
                self.open_audit(filter);
                return Ok(String::new());
            }
            _ => return Err("not an account dialog".into()),
        };
        self.model.dialog = None;
        self.reload_accounts();
        Ok(msg)
    }

    pub(crate) fn open_audit(&mut self, filter: AuditFilter) {
        match self.store.audit_rows(&filter, None, AUDIT_PAGE) {
            Ok((rows, next)) => {
                if let Some(me) = &self.model.me
                    && let Err(e) = self.store.record_audit_viewed(me, self.model.now)
                {
                    return self.tell(e.to_string(), true);
                }
                self.model.screen =
                    Screen::Audit(Box::new(AuditScreen { filter, rows, next, back: Vec::new(), start: None }));
            }
            Err(e) => self.tell(e.to_string(), true),
        }
    }

    pub(crate) fn audit_key(&mut self, k: KeyEvent) {
        let Screen::Audit(a) = &mut self.model.screen else { return };
        let Some(action) = lookup(AUDIT_KEYS, &k, |_| true) else { return };
        match action {
            AuditAction::Back => self.back(),
            AuditAction::Help => self.model.help_open = true,
            AuditAction::Filter => {
                self.model.dialog =
                    Some(Dialog { kind: DialogKind::AuditFilter, form: admin::audit_filter_form(&a.filter) })
            }
            AuditAction::Older => {
                let Some(next) = a.next else { return self.tell("No older entries.", false) };
                match self.store.audit_rows(&a.filter, Some(next), AUDIT_PAGE) {
                    Ok((rows, n)) => {
                        a.back.push(a.start);
                        a.start = Some(next);
                        a.rows = rows;
                        a.next = n;
                    }
                    Err(e) => self.tell(e.to_string(), true),
                }
            }
            AuditAction::Newer => {
                let Some(start) = a.back.pop() else { return self.tell("This is the newest page.", false) };
                match self.store.audit_rows(&a.filter, start, AUDIT_PAGE) {
                    Ok((rows, n)) => {
                        a.start = start;
                        a.rows = rows;
                        a.next = n;
                    }
                    Err(e) => self.tell(e.to_string(), true),
                }
            }
        }
    }
}
