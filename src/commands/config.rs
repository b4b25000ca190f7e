//! `wardterm config`: show the ward's settings, or change one (admin).
use chrono::Utc;

use super::{Failure, fail, identify, open};
use crate::cli::{ConfigCmd, DbArgs};
use crate::domain::morse::MorseBands;
use crate::domain::note::LateEntryRule;
use crate::domain::protocol::Ladder;
use crate::domain::scale::band_presets;
use crate::domain::screen::ScreenKind;
use crate::domain::shift::{ShiftDef, parse_start};
use crate::store::OpenMode;

fn usage<T>(message: impl Into<String>) -> Result<T, Failure> {
    Err(Failure { message: message.into(), code: 2 })
}

pub fn run(args: &DbArgs, cmd: ConfigCmd) -> Result<(), Failure> {
    let mut store = open(args, OpenMode::MustExist)?;
    match cmd {
        ConfigCmd::Show { json } => {
            if json {
                println!("{}", serde_json::to_string_pretty(&store.config_json()?)?);
            } else {
                print!("{}", store.config_text()?);
            }
            Ok(())
        }
        ConfigCmd::Set { key, value, id } => {
            let me = identify(&mut store, &id)?;
            let now = Utc::now();
            match key.as_str() {
                "ward-name" => store.set_ward_field(&me, "name", &value, now)?,
                "idle-lock-minutes" => {
                    let m: i64 = value.trim().parse().or_else(|_| usage("idle-lock-minutes: a whole number"))?;
                    store.set_ward_field(&me, "idle_lock_secs", &(m * 60).to_string(), now)?
                }
                "late-entry-minutes" => {
                    let rule = LateEntryRule::parse(&value).or_else(usage)?;
                    let v = store.set_late_entry_rule(&me, rule, now)?;
                    println!(
                        "late-entry-minutes is now version {v}: an entry signed {} is labelled a late entry.",
                        rule.describe()
                    );
                    return Ok(());
                }
                // Issue 16: how often the unit screens (REFERENCE.md §3a), 0 = at admission only.
                "cssrs-every-hours" | "morse-every-hours" => {
                    let hours: u16 =
                        value.trim().parse().or_else(|_| usage(format!("{key}: a whole number of hours")))?;
                    let kind = if key.starts_with("cssrs") { ScreenKind::Cssrs } else { ScreenKind::Morse };
                    store.set_screen_interval(&me, kind, hours, now)?;
                    match hours {
                        0 => println!("{kind} is now screened at admission only."),
                        h => println!("{kind} is now due every {h} h after the last screen (and at admission)."),
                    }
                    return Ok(());
                }
                // The unit's Morse bands, e.g. "0-24 low, 25-44 moderate, 45+ high".
                "morse-bands" => {
                    let bands = MorseBands::parse(&value).or_else(|e| usage(format!("morse-bands: {e}")))?;
                    let v = store.set_morse_bands(&me, &bands, now)?;
                    println!("Morse bands are now version {v} ({bands}); earlier screens keep theirs.");
                    return Ok(());
                }
                // Issue 17: how vital signs prompt "notify the provider" (REFERENCE.md §10: "a unit may
                // adopt [NEWS2] or set its own notify thresholds"), and the follow-up after naloxone.
                "vitals-alerts" => {
                    let thresholds = match value.trim() {
                        "news2" => false,
                        "thresholds" => true,
                        _ => return usage("vitals-alerts: news2 or thresholds"),
                    };
                    store.set_vitals_alerts(&me, thresholds, now)?;
                    println!("Vital signs now alert on {}.", store.vitals_settings()?.policy.describe());
                    return Ok(());
                }
                "news2-notify-at" => {
                    let n: u8 = value.trim().parse().or_else(|_| usage("news2-notify-at: a NEWS2 total, 1 to 20"))?;
                    store.set_news2_notify_at(&me, n, now)?;
                    println!("NEWS2 now prompts the call at {n} or more (or any single parameter scoring 3).");
                    return Ok(());
                }
                "vitals-thresholds" => {
                    let t = crate::domain::vital_alert::Thresholds::from_json(&value).or_else(usage)?;
                    store.set_vitals_thresholds(&me, &t, now)?;
                    println!("The unit's vitals thresholds are now: {}.", t.describe());
                    return Ok(());
                }
                "naloxone-vitals" => {
                    let nums: Vec<&str> = value
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '/')
                        .filter(|p| !p.is_empty())
                        .collect();
                    let parsed: Option<(u16, u16)> = match nums.as_slice() {
                        [a, b] => a.parse().ok().zip(b.parse().ok()),
                        _ => None,
                    };
                    let Some((every, span)) = parsed else {
                        return usage("naloxone-vitals: \"EVERY_MIN FOR_MIN\", e.g. \"15 120\" (\"0 0\" turns it off)");
                    };
                    store.set_naloxone_vitals(&me, every, span, now)?;
                    match every {
                        0 => println!("Naloxone no longer prompts vital signs."),
                        e => println!("After naloxone, vital signs are prompted every {e} min for {span} min."),
                    }
                    return Ok(());
                }
                "temp-unit" => store.set_ward_field(&me, "temp_unit", &value.to_uppercase(), now)?,
                "shifts" => {
                    let mut defs = Vec::new();
                    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                        let Some((name, at)) = part.split_once('=') else {
                            return usage("shifts: NAME=HH:MM,NAME=HH:MM (e.g. Day=07:00,Night=19:00)");
                        };
                        defs.push(ShiftDef {
                            name: name.trim().to_string(),
                            starts: parse_start(at).map_err(|e| Failure { message: e, code: 2 })?,
                        });
                    }
                    store.set_shifts(&me, &defs, now)?
                }
                "bands" => {
                    let Some((scale, preset)) = value.split_once(':') else {
                        return usage("bands: SCALE:PRESET, e.g. ciwa-ar:ASAM 2020 (see `wardterm config show`)");
                    };
                    let presets = band_presets(scale.trim());
                    let Some(b) = presets.iter().find(|b| b.name.eq_ignore_ascii_case(preset.trim())) else {
                        let names: Vec<&str> = presets.iter().map(|b| b.name.as_str()).collect();
                        return usage(format!(
                            "bands: no preset {preset:?} for {scale}; presets: {}",
                            names.join(" | ")
                        ));
                    };
                    let v = store.set_bands(&me, scale.trim(), b, now)?;
                    println!("{scale} bands are now version {v} ({}); earlier assessments keep theirs.", b.name);
                    return Ok(());
                }
                "ladder" => {
                    let Some((scale, path)) = value.split_once(":@") else {
                        return usage(
                            "ladder: SCALE:@FILE.json (a ladder in the JSON shape `config show --json` prints)",
                        );
                    };
                    let text = std::fs::read_to_string(path.trim())?;
                    let ladder: Ladder = serde_json::from_str(&text)
                        .map_err(|e| Failure { message: format!("{path}: {e}"), code: 2 })?;
                    let v = store.set_ladder(&me, scale.trim(), &ladder, now)?;
                    println!("{scale} ladder is now version {v}; earlier assessments keep theirs.");
                    return Ok(());
                }
                other => {
                    return fail(format!(
                        "unknown setting {other:?}; settings: ward-name, idle-lock-minutes, temp-unit, late-entry-minutes, shifts, bands, ladder, cssrs-every-hours, morse-every-hours, morse-bands, vitals-alerts, news2-notify-at, vitals-thresholds, naloxone-vitals"
                    ));
                }
            }
            println!("{key} set.");
            Ok(())
        }
    }
}
