//! The ward itself: its name, zone, beds, and the first-run setup form.
use chrono_tz::Tz;

use super::text::required_line;
use super::time::parse_zone;
use super::user::{Role, check_password_policy, check_username};

/// Ward configuration (one row of `ward`).
#[derive(Clone, Debug, PartialEq)]
pub struct Ward {
    pub name: String,
    pub tz: Tz,
    /// 'C' or 'F': how temperatures are typed and shown; stored in Celsius.
    pub temp_unit: char,
    pub idle_lock_secs: u32,
    pub is_demo: bool,
}

/// A new account, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub credentials: String,
    pub role: Role,
    pub password: String,
}

impl NewUser {
    pub fn validate(
        username: &str,
        display_name: &str,
        credentials: &str,
        role: Role,
        password: &str,
        confirm: &str,
    ) -> Result<NewUser, String> {
        let username = check_username(username)?;
        let display_name = required_line("Display name", display_name, 80)?;
        let credentials = required_line("Credentials (RN, LPN, ...)", credentials, 20)?;
        check_password_policy(password)?;
        if password != confirm {
            return Err("the two passwords differ".into());
        }
        Ok(NewUser { username, display_name, credentials, role, password: password.to_string() })
    }
}

/// First-run setup, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Setup {
    pub ward_name: String,
    pub tz: Tz,
    pub beds: Vec<String>,
    pub first_user: NewUser,
    /// 'C' or 'F': how this ward types and reads temperatures.
    pub temp_unit: char,
}

/// Parse a bed list: `20` (beds 1..=20), `1-12, 14`, or `A1-A4, B1`.
pub fn parse_beds(s: &str) -> Result<Vec<String>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("Beds: type a count (20), ranges (1-12, 14) or labels (A1-A4, B1)".into());
    }
    if let Ok(n) = s.parse::<u32>() {
        if !(1..=200).contains(&n) {
            return Err("Beds: between 1 and 200".into());
        }
        return Ok((1..=n).map(|i| i.to_string()).collect());
    }
    let mut beds: Vec<String> = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if let Some((a, b)) = part.split_once('-') {
            let (pa, na) = split_label(a.trim()).ok_or_else(|| bad_bed(part))?;
            let (pb, nb) = split_label(b.trim()).ok_or_else(|| bad_bed(part))?;
            if pa != pb || na > nb || nb - na > 200 {
                return Err(bad_bed(part));
            }
            beds.extend((na..=nb).map(|i| format!("{pa}{i}")));
        } else {
            if part.chars().count() > 8 || !part.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(bad_bed(part));
            }
            beds.push(part.to_string());
        }
    }
    for (i, b) in beds.iter().enumerate() {
        if beds[..i].contains(b) {
            return Err(format!("Beds: {b} is listed twice"));
        }
        if b.len() > 8 {
            return Err(bad_bed(b));
        }
    }
    if beds.is_empty() || beds.len() > 200 {
        return Err("Beds: between 1 and 200".into());
    }
    Ok(beds)
}

fn bad_bed(part: &str) -> String {
    format!("Beds: cannot read {part:?}; use 20, 1-12, or A1-A4 (letters then a number)")
}

/// "A12" -> ("A", 12); "7" -> ("", 7).
fn split_label(s: &str) -> Option<(String, u32)> {
    let digits = s.chars().rev().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let (prefix, num) = s.split_at(s.len() - digits);
    if !prefix.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    Some((prefix.to_string(), num.parse().ok()?))
}

impl Setup {
    pub fn validate(
        ward_name: &str,
        zone: &str,
        beds: &str,
        temp_unit: &str,
        first_user: NewUser,
    ) -> Result<Setup, String> {
        let temp_unit = match temp_unit {
            "C" => 'C',
            "F" => 'F',
            _ => return Err("Temperature unit: choose °C or °F".into()),
        };
        Ok(Setup {
            ward_name: required_line("Ward name", ward_name, 80)?,
            tz: parse_zone(zone)?,
            beds: parse_beds(beds)?,
            first_user,
            temp_unit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bed_lists() {
        assert_eq!(parse_beds("3").unwrap(), ["1", "2", "3"]);
        assert_eq!(parse_beds("A1-A3, B1").unwrap(), ["A1", "A2", "A3", "B1"]);
        assert_eq!(parse_beds("1-2,14").unwrap(), ["1", "2", "14"]);
        assert!(parse_beds("A1-B3").is_err());
        assert!(parse_beds("1,1").is_err());
        assert!(parse_beds("").is_err());
        assert!(parse_beds("0").is_err());
        assert!(parse_beds("a b").is_err());
    }

    #[test]
    fn new_user_checks() {
        assert!(NewUser::validate("ana", "Ana", "RN", Role::Nurse, "longpassword", "longpassword").is_ok());
        assert!(NewUser::validate("ana", "Ana", "RN", Role::Nurse, "longpassword", "other-password").is_err());
        assert!(NewUser::validate("ana", "Ana", "", Role::Nurse, "longpassword", "longpassword").is_err());
    }
}
