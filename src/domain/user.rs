//! Staff, roles and what each role may do (REFERENCE.md section 6: unique user identification).
//!
//! The one table of permissions: the TUI asks it which actions to offer and the store asks it
//! before every write, so the two can never disagree.
use std::fmt;

/// What a signed-in person may do is decided by their role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Nurse,
    Charge,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Nurse, Role::Charge, Role::Admin];

    /// The value stored in `user.role` (schema.sql CHECK).
    pub fn code(self) -> &'static str {
        match self {
            Role::Nurse => "nurse",
            Role::Charge => "charge",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Nurse => "nurse",
            Role::Charge => "charge nurse",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Everything the record lets someone do that a role may be refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    ViewCensus,
    Assess,
    WriteNote,
    HandOff,
    Admit,
    Transfer,
    ChangeLevelOfCare,
    Discharge,
    Assign,
    RunWardHandoff,
    ManageAccounts,
    Configure,
    ReadAudit,
}

impl Action {
    /// What the action is, in words, for refusals: "a nurse may not discharge patients".
    pub fn describe(self) -> &'static str {
        use Action::*;
        match self {
            ViewCensus => "view the census",
            Assess => "record assessments",
            WriteNote => "write notes",
            HandOff => "hand off patients",
            Admit => "admit patients",
            Transfer => "transfer patients",
            ChangeLevelOfCare => "change the level of care",
            Discharge => "discharge patients",
            Assign => "assign nurses to beds",
            RunWardHandoff => "run the ward's handoff",
            ManageAccounts => "manage accounts",
            Configure => "configure the ward",
            ReadAudit => "read the audit trail",
        }
    }
}

/// The permission table.
pub fn can(role: Role, action: Action) -> bool {
    use Action::*;
    match action {
        ViewCensus | Assess | WriteNote | HandOff => true,
        Admit | Transfer | ChangeLevelOfCare | Discharge | Assign | RunWardHandoff => {
            matches!(role, Role::Charge | Role::Admin)
        }
        ManageAccounts | Configure => role == Role::Admin,
        ReadAudit => matches!(role, Role::Charge | Role::Admin),
    }
}

/// Minimum password length for every account.
pub const MIN_PASSWORD_CHARS: usize = 10;

pub fn check_password_policy(pw: &str) -> Result<(), String> {
    if pw.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!("password must be at least {MIN_PASSWORD_CHARS} characters"));
    }
    if pw.trim() != pw {
        return Err("password may not begin or end with a space".into());
    }
    Ok(())
}

/// A username: letters, digits, '.', '-', '_'; 2 to 32 characters.
pub fn check_username(u: &str) -> Result<String, String> {
    let u = u.trim();
    if !(2..=32).contains(&u.chars().count()) {
        return Err("username must be 2 to 32 characters".into());
    }
    if !u.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')) {
        return Err("username may use letters, digits, '.', '-' and '_' only".into());
    }
    Ok(u.to_ascii_lowercase())
}

/// A signed-in person as the rest of the program sees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staff {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub credentials: String,
    pub role: Role,
}

impl Staff {
    /// "Ana Ortiz, RN" — how an author is shown beside everything they wrote.
    pub fn signature(&self) -> String {
        format!("{}, {}", self.display_name, self.credentials)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nurse_cannot_admit_or_discharge_but_can_assess() {
        assert!(can(Role::Nurse, Action::Assess));
        assert!(!can(Role::Nurse, Action::Admit));
        assert!(!can(Role::Nurse, Action::Discharge));
        assert!(can(Role::Charge, Action::Discharge));
        assert!(!can(Role::Charge, Action::ManageAccounts));
        assert!(can(Role::Admin, Action::ManageAccounts));
    }

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        assert_eq!(Role::from_code("doctor"), None);
    }

    #[test]
    fn password_and_username_rules() {
        assert!(check_password_policy("short").is_err());
        assert!(check_password_policy("long enough pw").is_ok());
        assert_eq!(check_username(" RN.Ortiz ").unwrap(), "rn.ortiz");
        assert!(check_username("a b").is_err());
    }
}
