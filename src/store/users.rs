//! Accounts and sign-in: argon2id hashes, failed-attempt lockout, disabled accounts.
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
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

/// argon2id with 7 MiB, 5 passes, 1 lane: one of the configurations the OWASP Password Storage
/// Cheat Sheet lists as equal in defence (beside 19 MiB x 2, 12 MiB x 3, 9 MiB x 4). The
/// smallest memory keeps a terminal session within its 20 MB (issue 8): at 19 MiB argon2 alone
/// was two thirds of the peak. Hashes made with other parameters still verify (the parameters
/// are in each hash) and are re-hashed with these at the next sign-in.
const ARGON2_MEMORY_KIB: u32 = 7 * 1024;
const ARGON2_PASSES: u32 = 5;
const ARGON2_LANES: u32 = 1;

fn argon2() -> Argon2<'static> {
    // The constants are valid parameters; the default (19 MiB x 2) is only a fallback.
    let params = Params::new(ARGON2_MEMORY_KIB, ARGON2_PASSES, ARGON2_LANES, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash for an unknown username, so that its check costs what a real one does.
const DUMMY_HASH: &str = "$argon2id$v=19$m=7168,t=5,p=1$c2FsdHNhbHRzYWx0$0";

pub(crate) fn hash_password(pw: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(pw.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Refused(format!("could not hash the password: {e}")))
}

fn verify_password(pw: &str, hash: &str) -> bool {
    PasswordHash::new(hash).map(|h| argon2().verify_password(pw.as_bytes(), &h).is_ok()).unwrap_or(false)
}

/// Whether a stored hash was made with other parameters than [`argon2`]'s.
fn needs_rehash(hash: &str) -> bool {
    let current = format!("m={ARGON2_MEMORY_KIB},t={ARGON2_PASSES},p={ARGON2_LANES}");
    PasswordHash::new(hash).map_or(true, |h| h.algorithm.as_str() != "argon2id" || h.params.to_string() != current)
}

const STAFF_COLS: &str = "id, username, display_name, credentials, role";

/// The sign-in lookup: an account by username (case-insensitive, on the username index).
pub const SIGN_IN_SQL: &str =
    "SELECT id, username, display_name, credentials, role, password_hash, disabled, locked_until
     FROM user WHERE username = ?1";

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
            .query_row(SIGN_IN_SQL, [&username], |r| {
                Ok((staff_row(r)?, r.get::<_, String>(5)?, r.get::<_, bool>(6)?, r.get::<_, Option<String>>(7)?))
            })
            .optional()?;
        let Some((staff, hash, disabled, locked_until)) = found else {
            // Spend the same time as a real check so that timing does not reveal usernames.
            let _ = verify_password(password, DUMMY_HASH);
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
        let rehashed = if ok && needs_rehash(&hash) { Some(hash_password(password)?) } else { None };
        self.write(|tx| {
            if ok {
                tx.execute("UPDATE user SET failed_signins = 0, locked_until = NULL WHERE id = ?1", [staff.id])?;
                if let Some(new) = &rehashed {
                    tx.execute("UPDATE user SET password_hash = ?2 WHERE id = ?1", params![staff.id, new])?;
                }
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

impl super::Store {
    /// Whether `actor` may manage accounts now (see [`may_manage_accounts`]).
    pub fn may_manage_accounts(&self, actor: &Staff) -> Result<bool> {
        may_manage_accounts(self.conn(), actor)
    }
}

/// Who may manage accounts: admins; and, until the ward has an enabled admin, its charge nurses
/// (so that the charge nurse made at first-run setup can create the first admin).
pub fn may_manage_accounts(conn: &Connection, actor: &Staff) -> Result<bool> {
    use crate::domain::user::{Action, can};
    if can(actor.role, Action::ManageAccounts) {
        return Ok(true);
    }
    if actor.role != Role::Charge {
        return Ok(false);
    }
    let admins: i64 =
        conn.query_row("SELECT count(*) FROM user WHERE role = 'admin' AND disabled = 0", [], |r| r.get(0))?;
    Ok(admins == 0)
}

impl Store {
    fn require_accounts(&self, actor: &Staff) -> Result<()> {
        if may_manage_accounts(self.conn(), actor)? {
            Ok(())
        } else {
            refuse(format!("a {} may not manage accounts; ask an admin", actor.role))
        }
    }

    /// Add an account as `actor` (admin, or a charge nurse before the ward has an admin).
    pub fn add_account(&mut self, actor: &Staff, u: &NewUser, now: DateTime<Utc>) -> Result<Staff> {
        self.require_accounts(actor)?;
        let hash = hash_password(&u.password)?;
        self.write(|tx| insert_user(tx, u, &hash, Some(actor.id), now))
    }

    /// Disable (or enable again) an account. A disabled account keeps its history and cannot
    /// sign in. Nobody disables their own account (the ward could lose its last admin).
    pub fn set_disabled(&mut self, actor: &Staff, username: &str, disabled: bool, now: DateTime<Utc>) -> Result<()> {
        self.require_accounts(actor)?;
        let username = username.trim().to_ascii_lowercase();
        if disabled && username == actor.username {
            return refuse("you cannot disable your own account");
        }
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE user SET disabled = ?2, failed_signins = 0, locked_until = NULL WHERE username = ?1",
                params![username, disabled],
            )?;
            if n == 0 {
                return refuse(format!("no account named {username}"));
            }
            let action = if disabled { "user.disable" } else { "user.enable" };
            audit::record(tx, now, Some(actor.id), action, None, &username)
        })
    }

    /// Set a new password for an account (and lift a lockout).
    pub fn reset_password(&mut self, actor: &Staff, username: &str, password: &str, now: DateTime<Utc>) -> Result<()> {
        self.require_accounts(actor)?;
        crate::domain::user::check_password_policy(password).map_err(StoreError::Refused)?;
        let hash = hash_password(password)?;
        let username = username.trim().to_ascii_lowercase();
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE user SET password_hash = ?2, failed_signins = 0, locked_until = NULL WHERE username = ?1",
                params![username, hash],
            )?;
            if n == 0 {
                return refuse(format!("no account named {username}"));
            }
            audit::record(tx, now, Some(actor.id), "user.reset_password", None, &username)
        })
    }
}
