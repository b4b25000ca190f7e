//! `verify`, `audit` and `user`: tamper evidence, the audit trail, and accounts from the shell.
use std::io::IsTerminal;

use chrono::Utc;

use super::{Failure, fail, identify, open};
use crate::cli::{Identity, UserCmd};
use crate::domain::user::Role;
use crate::domain::ward::NewUser;
use crate::report;
use crate::store::OpenMode;
use crate::store::audit::AuditFilter;

/// `wardterm verify`: integrity_check, then the hash chain; exit 1 naming the first broken record.
pub fn verify(args: &crate::cli::DbArgs) -> Result<(), Failure> {
    let store = open(args, OpenMode::MustExist)?;
    let v = store.verify()?;
    println!("integrity_check: {}", v.integrity);
    println!("sealed records in the chain: {}", v.records);
    if v.sealed_at_upgrade > 0 {
        // Their hash dates from the upgrade, not from when they were written (schema version 4).
        println!(
            "  of which sealed at a schema upgrade (written before their kind was sealed): {}",
            v.sealed_at_upgrade
        );
    }
    match &v.first_broken {
        None if v.ok() => {
            println!("OK: every sealed record matches its hash and the chain is unbroken.");
            Ok(())
        }
        None => fail(format!("the database file is damaged: {}", v.integrity)),
        Some(what) => fail(format!("TAMPERING OR DAMAGE: {what}")),
    }
}

/// `wardterm audit`: who read or wrote which record (charge nurses and admins).
pub fn audit(
    args: &crate::cli::DbArgs,
    as_user: &str,
    patient: Option<String>,
    user: Option<String>,
    since: Option<String>,
    limit: usize,
) -> Result<(), Failure> {
    let mut store = open(args, OpenMode::MustExist)?;
    let Some(ward) = store.ward()? else { return fail("this database has no ward yet") };
    let me = identify(&mut store, &Identity { user: as_user.to_string() })?;
    if !crate::domain::user::can(me.role, crate::domain::user::Action::ReadAudit) {
        return fail(format!("a {} may not read the audit trail", me.role));
    }
    let since = match since.as_deref() {
        None => None,
        Some(s) => {
            let d = crate::domain::time::parse_date("--since", s).map_err(|e| Failure { message: e, code: 2 })?;
            let local = d.and_hms_opt(0, 0, 0).unwrap_or_default();
            Some(
                crate::domain::time::parse_local("--since", &local.format("%Y-%m-%d %H:%M").to_string(), ward.tz)
                    .map_err(|e| Failure { message: e, code: 2 })?,
            )
        }
    };
    let filter = AuditFilter { mrn: patient.clone(), username: user.clone(), since };
    let (rows, _) = store.audit_rows(&filter, None, limit.clamp(1, 100_000))?;
    let described = format!(
        "patient {} · user {} · since {} · newest {} entries",
        patient.as_deref().unwrap_or("any"),
        user.as_deref().unwrap_or("any"),
        since.map_or("the start".to_string(), |t| crate::domain::time::local(t, ward.tz)),
        limit
    );
    let now = Utc::now();
    store.record_printed(&me, crate::store::audit::Printed::Audit, &described, now)?;
    print!("{}", report::audit::render(&ward, &rows, &described, now, &me.signature()));
    Ok(())
}

/// A new password from WARDTERM_NEW_PASSWORD (scripts) or typed twice on the terminal.
fn new_password() -> Result<(String, String), Failure> {
    if let Ok(p) = std::env::var("WARDTERM_NEW_PASSWORD") {
        return Ok((p.clone(), p));
    }
    if !std::io::stdin().is_terminal() {
        return fail("set WARDTERM_NEW_PASSWORD or run on a terminal to type the new password");
    }
    let a = rpassword::prompt_password("New password: ")?;
    let b = rpassword::prompt_password("Repeat it: ")?;
    Ok((a, b))
}

/// `wardterm user add|list|disable|enable|reset-password`.
pub fn user(args: &crate::cli::DbArgs, cmd: UserCmd) -> Result<(), Failure> {
    let mut store = open(args, OpenMode::MustExist)?;
    let now = Utc::now();
    match cmd {
        UserCmd::Add { username, name, credentials, role, id } => {
            let me = identify(&mut store, &id)?;
            let role = Role::from_code(&role).ok_or_else(|| Failure {
                message: format!("--role: {role:?} is not one of nurse, charge, admin"),
                code: 2,
            })?;
            let (pw, again) = new_password()?;
            let u = NewUser::validate(&username, &name, &credentials, role, &pw, &again)
                .map_err(|e| Failure { message: e, code: 2 })?;
            let s = store.add_account(&me, &u, now)?;
            println!("Added {} ({}, {}).", s.username, s.signature(), s.role);
        }
        UserCmd::List { id } => {
            let me = identify(&mut store, &id)?;
            if !store.may_manage_accounts(&me)? {
                return fail(format!("a {} may not list accounts", me.role));
            }
            for (s, disabled) in store.users()? {
                let state = if disabled { "DISABLED" } else { "active" };
                println!("{:<16} {:<28} {:<14} {state}", s.username, s.signature(), s.role.label());
            }
        }
        UserCmd::Disable { username, id } => {
            let me = identify(&mut store, &id)?;
            store.set_disabled(&me, &username, true, now)?;
            println!("Disabled {username}; their history is kept.");
        }
        UserCmd::Enable { username, id } => {
            let me = identify(&mut store, &id)?;
            store.set_disabled(&me, &username, false, now)?;
            println!("Enabled {username}.");
        }
        UserCmd::ResetPassword { username, id } => {
            let me = identify(&mut store, &id)?;
            let (pw, again) = new_password()?;
            if pw != again {
                return fail("the two passwords differ");
            }
            store.reset_password(&me, &username, &pw, now)?;
            println!("New password set for {username}.");
        }
    }
    Ok(())
}
