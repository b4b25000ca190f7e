//! Ward configuration that an admin may change: name, idle lock, temperature unit, shifts, and
//! the versioned policies (band sets, protocol ladders) that sources disagree on. A policy change
//! is a new version; assessments keep the version that scored them.
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError, audit, refuse, require};
use crate::domain::note::LateEntryRule;
use crate::domain::protocol::Ladder;
use crate::domain::scale::BandSet;
use crate::domain::shift::ShiftDef;
use crate::domain::time::to_db;
use crate::domain::user::{Action, Staff};

impl Store {
    /// Set the ward's name, idle lock (seconds) or temperature unit ('C' / 'F').
    pub fn set_ward_field(&mut self, actor: &Staff, field: &str, value: &str, now: DateTime<Utc>) -> Result<()> {
        require(actor, Action::Configure)?;
        let (column, value): (&str, rusqlite::types::Value) = match field {
            "name" => {
                let v = crate::domain::text::required_line("Ward name", value, 80).map_err(StoreError::Refused)?;
                ("name", v.into())
            }
            "idle_lock_secs" => match value.trim().parse::<i64>() {
                Ok(v) if (30..=3600).contains(&v) => ("idle_lock_secs", v.into()),
                _ => return refuse("idle lock: between 30 seconds and 60 minutes"),
            },
            "temp_unit" => match value.trim() {
                "C" | "F" => ("temp_unit", value.trim().to_string().into()),
                _ => return refuse("temperature unit: C or F"),
            },
            other => return refuse(format!("unknown setting {other:?}")),
        };
        self.write(|tx| {
            tx.execute(&format!("UPDATE ward SET {column} = ?1 WHERE id = 1"), [value])?;
            audit::record(
                tx,
                now,
                Some(actor.id),
                "config.ward",
                None,
                &format!("{field} = {}", value_text(field, tx)?),
            )
        })
    }

    /// Replace the ward's shift definitions (each starts at a local time and ends at the next).
    pub fn set_shifts(&mut self, actor: &Staff, defs: &[ShiftDef], now: DateTime<Utc>) -> Result<()> {
        require(actor, Action::Configure)?;
        if defs.is_empty() {
            return refuse("define at least one shift");
        }
        self.write(|tx| {
            tx.execute("DELETE FROM shift_def", [])?;
            for d in defs {
                tx.execute(
                    "INSERT INTO shift_def (name, starts) VALUES (?1, ?2)",
                    params![d.name, d.starts.format("%H:%M").to_string()],
                )?;
            }
            let text: Vec<String> = defs.iter().map(|d| format!("{}={}", d.name, d.starts.format("%H:%M"))).collect();
            audit::record(tx, now, Some(actor.id), "config.shifts", None, &text.join(","))
        })
    }

    /// Add a new version of a scale's band set. Returns the version number.
    pub fn set_bands(&mut self, actor: &Staff, scale: &str, bands: &BandSet, now: DateTime<Utc>) -> Result<i64> {
        bands.validate().map_err(StoreError::Refused)?;
        let body = serde_json::to_string(bands).map_err(|e| StoreError::Refused(e.to_string()))?;
        self.add_policy(actor, scale, "bands", &body, now)
    }

    /// Add a new version of a scale's protocol ladder. Returns the version number.
    pub fn set_ladder(&mut self, actor: &Staff, scale: &str, ladder: &Ladder, now: DateTime<Utc>) -> Result<i64> {
        ladder.validate_for(scale).map_err(StoreError::Refused)?;
        let body = serde_json::to_string(ladder).map_err(|e| StoreError::Refused(e.to_string()))?;
        self.add_policy(actor, scale, "ladder", &body, now)
    }

    /// Set the unit's late-entry threshold (REFERENCE.md section 5: unit policy, default 15 min):
    /// a new version of the `late-entry` policy. Returns the version number.
    pub fn set_late_entry_rule(&mut self, actor: &Staff, rule: LateEntryRule, now: DateTime<Utc>) -> Result<i64> {
        let body = serde_json::to_string(&rule.to_bands()).map_err(|e| StoreError::Refused(e.to_string()))?;
        self.add_policy(actor, LATE_ENTRY_POLICY, "bands", &body, now)
    }

    /// The unit's late-entry threshold: its latest `late-entry` policy, or, when it never set one,
    /// the default of REFERENCE.md section 5 (15 minutes; `config show` says which it is). A
    /// policy this program cannot read is an error, never replaced by the default.
    pub fn late_entry_rule(&self) -> Result<LateEntryRule> {
        Ok(self.late_entry_policy()?.map_or(LateEntryRule::DEFAULT, |(rule, _)| rule))
    }

    /// The latest `late-entry` policy and "v2 (2026-11-25T09:00:00Z by admin)", if any.
    fn late_entry_policy(&self) -> Result<Option<(LateEntryRule, String)>> {
        let row = self
            .conn()
            .query_row(
                "SELECT p.body, p.version, p.created_at, coalesce(u.username, '-') FROM policy p
                 LEFT JOIN user u ON u.id = p.created_by
                 WHERE p.scale = ?1 AND p.kind = 'bands' ORDER BY p.version DESC LIMIT 1",
                [LATE_ENTRY_POLICY],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?)),
            )
            .optional()?;
        let Some((body, version, at, by)) = row else { return Ok(None) };
        let rule = serde_json::from_str::<BandSet>(&body)
            .map_err(|e| e.to_string())
            .and_then(|b| LateEntryRule::from_bands(&b))
            .map_err(|e| {
                StoreError::Refused(format!(
                    "the ward's late-entry policy v{version} is unreadable ({e}); set it again with \
                     `wardterm config set late-entry-minutes N`"
                ))
            })?;
        Ok(Some((rule, format!("v{version} ({at} by {by})"))))
    }

    pub(crate) fn add_policy(
        &mut self,
        actor: &Staff,
        scale: &str,
        kind: &str,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        require(actor, Action::Configure)?;
        self.write(|tx| {
            let version: i64 = tx.query_row(
                "SELECT coalesce(max(version), 0) + 1 FROM policy WHERE scale = ?1 AND kind = ?2",
                params![scale, kind],
                |r| r.get(0),
            )?;
            tx.execute(
                "INSERT INTO policy (scale, kind, version, body, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![scale, kind, version, body, to_db(now), actor.id],
            )?;
            audit::record(tx, now, Some(actor.id), "config.policy", None, &format!("{scale} {kind} v{version}"))?;
            Ok(version)
        })
    }

    /// Each policy's current version.
    fn current_policies(&self) -> Result<Vec<PolicyRow>> {
        let mut st = self.conn().prepare(
            "SELECT p.scale, p.kind, p.version, p.created_at, coalesce(u.username, '-'), p.body FROM policy p
             LEFT JOIN user u ON u.id = p.created_by
             WHERE p.version = (SELECT max(version) FROM policy q WHERE q.scale = p.scale AND q.kind = p.kind)
             ORDER BY p.scale, p.kind",
        )?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every current setting as JSON (no patient data): the ward, its shifts, and each policy's
    /// current version with its body; every ladder rung carries its "source" ("unit default"
    /// where none is published) and its prompts.
    pub fn config_json(&self) -> Result<serde_json::Value> {
        use serde_json::json;
        let ward = self.ward()?.map(|w| {
            json!({"name": w.name, "time_zone": w.tz.name(), "temp_unit": w.temp_unit.to_string(),
                   "idle_lock_secs": w.idle_lock_secs})
        });
        let shifts: Vec<serde_json::Value> = self
            .shift_defs()?
            .iter()
            .map(|d| json!({"name": d.name, "starts": d.starts.format("%H:%M").to_string()}))
            .collect();
        let mut policies = Vec::new();
        for (scale, kind, version, at, by, body) in self.current_policies()? {
            let mut body: serde_json::Value = serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
            if kind == "ladder"
                && let Some(rungs) = body.get_mut("rungs").and_then(|r| r.as_array_mut())
            {
                for r in rungs {
                    if let Some(o) = r.as_object_mut()
                        && o.get("source").is_none_or(serde_json::Value::is_null)
                    {
                        o.insert("source".into(), json!(crate::domain::protocol::UNIT_DEFAULT));
                    }
                }
            }
            policies.push(json!({"scale": scale, "kind": kind, "version": version, "created_at": at,
                                 "created_by": by, "body": body}));
        }
        let iv = self.screen_intervals()?;
        // REFERENCE.md §3a: C-SSRS "at admission and each shift"; Morse "when the unit's interval
        // says"; 0 = at admission only.
        let screens = json!({"cssrs_every_hours": iv.cssrs_hours, "morse_every_hours": iv.morse_hours,
                             "morse_bands": self.morse_bands()?.to_string()});
        let vs = self.vitals_settings()?;
        let vitals = json!({
            "alerts": if matches!(vs.policy, crate::domain::vital_alert::Policy::Thresholds(_)) { "thresholds" } else { "news2" },
            "news2_notify_at": vs.news2_notify_at,
            "thresholds": vs.thresholds.as_ref().map(|t| serde_json::to_value(t).unwrap_or(serde_json::Value::Null)),
            "naloxone_vitals_every_min": vs.follow_up.naloxone_vitals_every_min,
            "naloxone_vitals_for_min": vs.follow_up.naloxone_vitals_for_min,
        });
        Ok(json!({"ward": ward, "shifts": shifts, "screens": screens, "vitals": vitals, "policies": policies}))
    }

    /// Every current setting, as lines of text (no patient data).
    pub fn config_text(&self) -> Result<String> {
        let mut out = String::new();
        if let Some(w) = self.ward()? {
            out.push_str(&format!(
                "ward name        {}\ntime zone        {}\ntemperature unit {}\nidle lock        {} s\n",
                w.name,
                w.tz.name(),
                w.temp_unit,
                w.idle_lock_secs
            ));
        }
        let shifts: Vec<String> =
            self.shift_defs()?.iter().map(|d| format!("{}={}", d.name, d.starts.format("%H:%M"))).collect();
        out.push_str(&format!("shifts           {}\n", shifts.join(",")));
        let (rule, whence) = match self.late_entry_policy()? {
            Some((rule, whence)) => (rule, whence),
            None => (LateEntryRule::DEFAULT, "(unit default, REFERENCE.md section 5)".to_string()),
        };
        out.push_str(&format!("late entry       signed {} {whence}\n", rule.describe()));
        let iv = self.screen_intervals()?;
        let every = |h: u16| if h == 0 { "at admission only".to_string() } else { format!("every {h} h") };
        out.push_str(&format!("C-SSRS screen    {} (and at admission)\n", every(iv.cssrs_hours)));
        out.push_str(&format!("Morse screen     {} (and at admission, after a fall)\n", every(iv.morse_hours)));
        // Issue 17: how vital signs prompt the call (REFERENCE.md §10), the naloxone follow-up.
        let vs = self.vitals_settings()?;
        out.push_str(&format!("vitals alerts    {}\n", vs.policy.describe()));
        if let (crate::domain::vital_alert::Policy::News2 { .. }, Some(t)) = (&vs.policy, &vs.thresholds) {
            out.push_str(&format!("vitals limits    {} (kept; not in use)\n", t.describe()));
        }
        let f = vs.follow_up;
        out.push_str(&match f.naloxone_vitals_every_min {
            0 => "after naloxone   no vitals follow-up\n".to_string(),
            e => format!("after naloxone   vitals every {e} min for {} min\n", f.naloxone_vitals_for_min),
        });
        for (scale, kind, version, at, by, body) in self.current_policies()? {
            if scale == LATE_ENTRY_POLICY {
                continue; // shown above, as the threshold it is
            }
            let what = if scale == crate::domain::morse::MORSE_POLICY && kind == "bands" {
                // The Morse Fall Scale's band set (REFERENCE.md §3a: unit configuration).
                serde_json::from_str::<crate::domain::morse::MorseBands>(&body).map(|b| b.to_string())
            } else if kind == "bands" {
                serde_json::from_str::<BandSet>(&body).map(|b| {
                    let bands: Vec<String> = b.bands.iter().map(|x| format!("{}+ {}", x.min, x.label)).collect();
                    format!("{}: {}", b.name, bands.join(", "))
                })
            } else {
                serde_json::from_str::<Ladder>(&body).map(|l| {
                    let lines: Vec<String> = l.describe().iter().map(|d| format!("\n    {d}")).collect();
                    lines.concat()
                })
            }
            .unwrap_or_else(|_| "(unreadable)".into());
            out.push_str(&format!("{scale:<8} {kind:<6} v{version} ({at} by {by}): {what}\n"));
        }
        Ok(out)
    }
}

/// A policy's current version: (scale, kind, version, created at, by username, body).
type PolicyRow = (String, String, i64, String, String, String);

/// The `policy.scale` under which the late-entry threshold is kept (as a band set: the schema's
/// policy kinds are `bands` and `ladder`, and a threshold is a two-band set over minutes late).
pub const LATE_ENTRY_POLICY: &str = "late-entry";

fn value_text(field: &str, tx: &rusqlite::Connection) -> Result<String> {
    let column = match field {
        "name" => "name",
        "idle_lock_secs" => "idle_lock_secs",
        _ => "temp_unit",
    };
    Ok(tx.query_row(&format!("SELECT CAST({column} AS TEXT) FROM ward WHERE id = 1"), [], |r| r.get(0))?)
}
