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
                        "unknown setting {other:?}; settings: ward-name, idle-lock-minutes, temp-unit, late-entry-minutes, shifts, bands, ladder, cssrs-every-hours, morse-every-hours, morse-bands"
                    ));
                }
            }
            println!("{key} set.");
            Ok(())
        }
    }
}
