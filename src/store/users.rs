//! Accounts and sign-in: argon2id hashes, failed-attempt lockout, disabled accounts.
use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::{Result, Store, StoreError, audit, refuse};
use crate::domain::time::{from_db, to_db};
use crate::domain::user::{Role, Staff};
use crate::domain::ward::NewUser;

/// Failed sign-ins in a row that lock an account.
pub const MAX_FAILED_SIGNINS: i64 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT: Duration = Duration::minutes(15);

pub(crate) fn hash_password(pw: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(pw.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Refused(format!("could not hash the password: {e}")))
}

fn verify_password(pw: &str, hash: &str) -> bool {
    PasswordHash::new(hash).map(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok()).unwrap_or(false)
}

const STAFF_COLS: &str = "id, username, display_name, credentials, role";

fn staff_row(r: &Row<'_>) -> rusqlite::Result<Staff> {
    let role: String = r.get(4)?;
    Ok(Staff {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        credentials: r.get(3)?,
        role: Role::from_code(&role).unwrap_or(Role::Nurse),
    })
}

pub(crate) fn insert_user(
    tx: &Transaction<'_>,
    u: &NewUser,
    hash: &str,
    created_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Staff> {
    let taken: bool =
        tx.query_row("SELECT EXISTS (SELECT 1 FROM user WHERE username = ?1)", [&u.username], |r| r.get(0))?;
    if taken {
        return refuse(format!("the username {} is already taken", u.username));
    }
    tx.execute(
        "INSERT INTO user (username, display_name, credentials, role, password_hash, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![u.username, u.display_name, u.credentials, u.role.code(), hash, to_db(now), created_by],
    )?;
    let id = tx.last_insert_rowid();
    audit::record(tx, now, created_by.or(Some(id)), "user.add", None, &u.username)?;
    Ok(Staff {
        id,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        credentials: u.credentials.clone(),
        role: u.role,
    })
}

/// Why a sign-in was refused. Deliberately does not say whether the username exists.
#[derive(Debug, PartialEq, Eq)]
pub enum SignInError {
    BadCredentials,
    Locked { until: DateTime<Utc> },
    Disabled,
}

impl std::fmt::Display for SignInError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignInError::BadCredentials => f.write_str("wrong username or password"),
            SignInError::Locked { until } => write!(
                f,
                "too many failed sign-ins: this account is locked until {} UTC; ask the charge nurse",
                until.format("%H:%M")
            ),
            SignInError::Disabled => f.write_str("this account is disabled; ask an admin"),
        }
    }
}

impl Store {
    /// Add an account (the actor must be allowed to manage accounts, or be setting up the demo).
    pub fn add_user(&mut self, actor: Option<&Staff>, u: &NewUser, now: DateTime<Utc>) -> Result<Staff> {
        if let Some(a) = actor
            && !crate::domain::user::can(a.role, crate::domain::user::Action::ManageAccounts)
        {
            return refuse(format!("a {} may not add accounts", a.role));
        }
        let hash = hash_password(&u.password)?;
        self.write(|tx| insert_user(tx, u, &hash, actor.map(|a| a.id), now))
    }

    /// Check a username and password. Five failures in a row lock the account for
    /// [`LOCKOUT`]; while locked even the right password is refused. Every attempt is audited.
    pub fn sign_in(
        &mut self,
        username: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<std::result::Result<Staff, SignInError>> {
        let username = username.trim().to_ascii_lowercase();
        let found = self
            .conn()
            .query_row(
                &format!("SELECT {STAFF_COLS}, password_hash, disabled, locked_until FROM user WHERE username = ?1"),
                [&username],
                |r| Ok((staff_row(r)?, r.get::<_, String>(5)?, r.get::<_, bool>(6)?, r.get::<_, Option<String>>(7)?)),
            )
            .optional()?;
        let Some((staff, hash, disabled, locked_until)) = found else {
            // Spend the same time as a real check so that timing does not reveal usernames.
            let _ = verify_password(password, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0");
            self.write(|tx| audit::record(tx, now, None, "signin.fail", None, &format!("unknown user {username}")))?;
            return Ok(Err(SignInError::BadCredentials));
        };
        if disabled {
            self.write(|tx| audit::record(tx, now, Some(staff.id), "signin.refused", None, "disabled"))?;
            return Ok(Err(SignInError::Disabled));
        }
        if let Some(until) = locked_until.as_deref().and_then(from_db).filter(|u| *u > now) {
            self.write(|tx| audit::record(tx, now, Some(staff.id), "signin.refused", None, "locked"))?;
            return Ok(Err(SignInError::Locked { until }));
        }
        let ok = verify_password(password, &hash);
        self.write(|tx| {
            if ok {
                tx.execute("UPDATE user SET failed_signins = 0, locked_until = NULL WHERE id = ?1", [staff.id])?;
                audit::record(tx, now, Some(staff.id), "signin", None, "")?;
                return Ok(Ok(staff.clone()));
            }
            let failed: i64 = tx.query_row(
                "UPDATE user SET failed_signins = failed_signins + 1 WHERE id = ?1 RETURNING failed_signins",
                [staff.id],
                |r| r.get(0),
            )?;
            audit::record(tx, now, Some(staff.id), "signin.fail", None, &format!("attempt {failed}"))?;
            if failed >= MAX_FAILED_SIGNINS {
                let until = now + LOCKOUT;
                tx.execute(
                    "UPDATE user SET locked_until = ?2, failed_signins = 0 WHERE id = ?1",
                    params![staff.id, to_db(until)],
                )?;
                audit::record(tx, now, Some(staff.id), "user.locked", None, "")?;
                return Ok(Err(SignInError::Locked { until }));
            }
            Ok(Err(SignInError::BadCredentials))
        })
    }

    /// Confirm the signed-in person's password again (electronic signature, unlock).
    pub fn confirm_password(&self, staff_id: i64, password: &str) -> Result<bool> {
        let hash: String =
            self.conn().query_row("SELECT password_hash FROM user WHERE id = ?1", [staff_id], |r| r.get(0))?;
        Ok(verify_password(password, &hash))
    }

    /// Every account, enabled ones first.
    pub fn users(&self) -> Result<Vec<(Staff, bool)>> {
        let mut st = self
            .conn()
            .prepare_cached(&format!("SELECT {STAFF_COLS}, disabled FROM user ORDER BY disabled, username"))?;
        let rows = st.query_map([], |r| Ok((staff_row(r)?, r.get::<_, bool>(5)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn user_count(&self) -> Result<i64> {
        Ok(self.conn().query_row("SELECT count(*) FROM user", [], |r| r.get(0))?)
    }
}

/// Look up one account by id.
pub fn staff_by_id(conn: &Connection, id: i64) -> Result<Option<Staff>> {
    Ok(conn.query_row(&format!("SELECT {STAFF_COLS} FROM user WHERE id = ?1"), [id], staff_row).optional()?)
}
