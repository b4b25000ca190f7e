//! The command line as scripts use it: exit codes, messages, and what reaches the database.
use std::process::{Command, Output};

use tempfile::TempDir;

fn wardterm(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wardterm"));
    c.args(args).env_remove("WARDTERM_DB").env_remove("WARDTERM_USER").env_remove("WARDTERM_PASSWORD");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run wardterm")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn demo_db() -> (TempDir, String) {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("w.db").to_string_lossy().into_owned();
    let o = wardterm(&["init", "--demo", "--db", &db], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    (dir, db)
}

#[test]
fn init_demo_refuses_an_existing_ward_unless_forced() {
    let (_d, db) = demo_db();
    let again = wardterm(&["init", "--demo", "--db", &db], &[]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already holds a ward"), "{}", stderr(&again));
    let forced = wardterm(&["init", "--demo", "--db", &db, "--force"], &[]);
    assert!(forced.status.success(), "{}", stderr(&forced));
}

#[test]
fn census_printout_names_ward_printer_and_carries_the_part2_notice() {
    let (_d, db) = demo_db();
    let o = wardterm(&["census", "--db", &db, "--user", "nurse"], &[("WARDTERM_PASSWORD", "demo-nurse1")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("CENSUS - 4 West Detox\n"), "{text}");
    assert!(text.contains("by Sam Okafor, RN"));
    assert!(text.contains("Maria Delgado") && text.contains("(empty)"));
    assert!(text.contains("42 CFR part 2"));
    assert!(text.lines().all(|l| l.chars().count() <= 80), "80 columns for paper");
}

#[test]
fn census_refuses_a_wrong_password_and_an_unknown_user() {
    let (_d, db) = demo_db();
    let o = wardterm(&["census", "--db", &db, "--user", "nurse"], &[("WARDTERM_PASSWORD", "nope-nope-nope")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("wrong username or password"));
    assert!(stdout(&o).is_empty(), "no patient data without identification");
    let o = wardterm(&["census", "--db", &db], &[]);
    assert_ne!(o.status.code(), Some(0), "--user is required");
}

#[test]
fn bad_database_paths_get_clear_messages() {
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join("no/such/dir/w.db").to_string_lossy().into_owned();
    let o = wardterm(&["init", "--db", &missing], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database at all, just words\n").unwrap();
    let o = wardterm(&["census", "--db", &text.to_string_lossy(), "--user", "x"], &[("WARDTERM_PASSWORD", "x")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not a SQLite database"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "not a database at all, just words\n");

    let o = wardterm(&["census", "--db", &dir.path().join("absent.db").to_string_lossy(), "--user", "x"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("there is no database"), "{}", stderr(&o));
}

#[test]
fn the_app_needs_a_terminal() {
    let (_d, db) = demo_db();
    let o = wardterm(&["--db", &db], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("needs a terminal"), "{}", stderr(&o));
}

#[test]
fn wardterm_db_environment_variable_is_honoured() {
    let (_d, db) = demo_db();
    let o = wardterm(&["census", "--user", "charge"], &[("WARDTERM_DB", &db), ("WARDTERM_PASSWORD", "demo-charge1")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("4 West Detox"));
}

// ------------------------------------------------------------------ the score calculator

#[test]
fn score_json_has_the_documented_shape() {
    let o = wardterm(&["score", "ciwa-ar", "nausea=1", "tremor=4", "--json"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["band", "band_set", "complete", "items", "max", "scale", "total", "unanswered"]);
    assert_eq!(v["total"], 5);
    assert_eq!(v["max"], 67);
    assert_eq!(v["complete"], false);
    assert!(v["band"].is_null(), "an incomplete score has no band (issue 14, point 7)");
    assert_eq!(v["band_set"], "VA PAWS / CamCOPS");
    assert_eq!(v["unanswered"].as_array().unwrap().len(), 8);
    assert_eq!(v["unanswered"][0], "sweats");
    assert_eq!(v["items"]["tremor"], 4);
    assert!(v["items"]["sweats"].is_null());
}

#[test]
fn score_bands_by_name_and_a_complete_score_has_its_band() {
    let all = ["nausea=2", "tremor=2", "sweats=2", "anxiety=2", "agitation=1", "tactile=0", "auditory=0"];
    let rest = ["visual=0", "headache=0", "orientation=0"];
    let mut argv = vec!["score", "ciwa-ar"];
    argv.extend(all);
    argv.extend(rest);
    argv.push("--json");
    let o = wardterm(&argv, &[]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!((v["total"].as_u64(), v["band"].as_str()), (Some(9), Some("moderate")));
    argv.extend(["--bands", "ASAM 2020"]);
    let o = wardterm(&argv, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!((v["band"].as_str(), v["band_set"].as_str()), (Some("mild"), Some("ASAM 2020")));
    let o = wardterm(&["score", "ciwa-ar", "--bands", "nope"], &[]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no band set \"nope\""), "{}", stderr(&o));
    // The text form ends with a newline.
    let o = wardterm(&["score", "ciwa-ar", "nausea=1"], &[]);
    assert!(
        stdout(&o).ends_with(
            "unanswered: tremor, sweats, anxiety, agitation, tactile, auditory, visual, headache, orientation)\n"
        ),
        "{}",
        stdout(&o)
    );
}

#[test]
fn score_refuses_the_heart_rates_the_nurse_screen_refuses() {
    for hr in ["0", "400", "24", "251"] {
        let o = wardterm(&["score", "cows", "--hr", hr], &[]);
        assert_eq!(o.status.code(), Some(2), "--hr {hr}");
        assert!(stderr(&o).contains("25-250"), "{}", stderr(&o));
    }
    assert!(wardterm(&["score", "cows", "--hr", "250"], &[]).status.success());
}

#[test]
fn score_derives_cows_pulse_from_heart_rate() {
    let o = wardterm(&["score", "cows", "--hr", "101", "--json"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["items"]["pulse"], 2, "HR 101-120 scores 2 (REFERENCE.md section 2)");
}

#[test]
fn illegal_scores_exit_non_zero_naming_item_and_legal_values() {
    let o = wardterm(&["score", "cows", "restlessness=2"], &[]);
    assert_ne!(o.status.code(), Some(0));
    let e = stderr(&o);
    assert!(e.contains("restlessness") && e.contains("0, 1, 3, 5"), "{e}");
    let o = wardterm(&["score", "ciwa-ar", "orientation=5"], &[]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("orientation"), "{}", stderr(&o));
    let o = wardterm(&["score", "ciwa-ar", "dizziness=1"], &[]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("dizziness"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
}

#[test]
fn score_list_names_every_scale_and_item() {
    let o = wardterm(&["score", "--list"], &[]);
    assert!(o.status.success());
    let s = stdout(&o);
    for k in ["ciwa-ar", "cows", "ciwa-b", "gooseflesh", "orientation"] {
        assert!(s.contains(k), "{k} missing from --list");
    }
}

/// `wardterm config set late-entry-minutes N` (admin) sets the unit's late-entry threshold
/// (REFERENCE.md section 5), `config show` names it, and a bad figure is refused with the range.
#[test]
fn config_sets_the_late_entry_threshold() {
    let (_d, db) = demo_db();
    let show = wardterm(&["config", "show", "--db", &db], &[]);
    assert!(stdout(&show).contains("late entry       signed more than 15 minutes after the event (unit default"));
    let admin = [("WARDTERM_PASSWORD", "demo-admin1")];
    let o = wardterm(&["config", "set", "late-entry-minutes", "30", "--db", &db, "--user", "admin"], &admin);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("signed more than 30 minutes after the event is labelled a late entry"),
        "{}",
        stdout(&o)
    );
    let show = wardterm(&["config", "show", "--db", &db], &[]);
    assert!(
        stdout(&show).contains("late entry       signed more than 30 minutes after the event v1"),
        "{}",
        stdout(&show)
    );
    let bad = wardterm(&["config", "set", "late-entry-minutes", "two", "--db", &db, "--user", "admin"], &admin);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("whole minutes from 0 to 1440"), "{}", stderr(&bad));
    let nurse = wardterm(
        &["config", "set", "late-entry-minutes", "5", "--db", &db, "--user", "nurse"],
        &[("WARDTERM_PASSWORD", "demo-nurse1")],
    );
    assert!(!nurse.status.success(), "only an admin changes unit policy");
}

/// Issue 16: `config set cssrs-every-hours`, `morse-every-hours` and `morse-bands` (admin);
/// `config show` (text and JSON) names them; a band set with a gap is refused.
#[test]
fn config_sets_the_screening_intervals_and_the_morse_bands() {
    let (_d, db) = demo_db();
    let show = stdout(&wardterm(&["config", "show", "--db", &db], &[]));
    assert!(show.contains("C-SSRS screen    every 12 h (and at admission)"), "{show}");
    assert!(show.contains("Morse screen     every 24 h"), "{show}");
    let admin = [("WARDTERM_PASSWORD", "demo-admin1")];
    let set = |k: &str, v: &str| wardterm(&["config", "set", k, v, "--db", &db, "--user", "admin"], &admin);
    let o = set("cssrs-every-hours", "8");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("C-SSRS is now due every 8 h"), "{}", stdout(&o));
    assert!(set("morse-every-hours", "0").status.success());
    let o = set("morse-bands", "0-20 low, 21-50 moderate, 51+ high");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("0-20 low, 21-50 moderate, 51-125 high"), "{}", stdout(&o));
    let show = stdout(&wardterm(&["config", "show", "--db", &db], &[]));
    assert!(show.contains("C-SSRS screen    every 8 h"), "{show}");
    assert!(show.contains("Morse screen     at admission only"), "{show}");
    assert!(show.contains("0-20 low, 21-50 moderate, 51-125 high"), "{show}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&wardterm(&["config", "show", "--json", "--db", &db], &[]))).unwrap();
    assert_eq!(json["screens"]["cssrs_every_hours"], 8);
    assert_eq!(json["screens"]["morse_every_hours"], 0);
    assert_eq!(json["screens"]["morse_bands"], "0-20 low, 21-50 moderate, 51-125 high");
    let gap = set("morse-bands", "0-20 low, 30+ high");
    assert_eq!(gap.status.code(), Some(2), "{}", stderr(&gap));
    let bad = set("cssrs-every-hours", "often");
    assert_eq!(bad.status.code(), Some(2));
    let nurse = wardterm(
        &["config", "set", "cssrs-every-hours", "4", "--db", &db, "--user", "nurse"],
        &[("WARDTERM_PASSWORD", "demo-nurse1")],
    );
    assert!(!nurse.status.success(), "only an admin changes unit policy");
}

/// Issue 17: `config set vitals-alerts`, `news2-notify-at`, `vitals-thresholds` and
/// `naloxone-vitals` (admin); `config show` names them; thresholds are refused until set, and a
/// limit that no patient has is refused.
#[test]
fn config_sets_the_vitals_alerts_and_the_naloxone_follow_up() {
    let (_d, db) = demo_db();
    let show = stdout(&wardterm(&["config", "show", "--db", &db], &[]));
    assert!(show.contains("vitals alerts    NEWS2 >= 5 or a single parameter scoring 3"), "{show}");
    assert!(show.contains("after naloxone   vitals every 15 min for 120 min"), "{show}");
    let admin = [("WARDTERM_PASSWORD", "demo-admin1")];
    let set = |k: &str, v: &str| wardterm(&["config", "set", k, v, "--db", &db, "--user", "admin"], &admin);
    assert!(!set("vitals-alerts", "thresholds").status.success(), "no thresholds yet");
    assert_eq!(set("vitals-thresholds", r#"{"hr_above":1200}"#).status.code(), Some(2));
    let o = set("vitals-thresholds", r#"{"hr_above":120,"sbp_below":90}"#);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("HR > 120 · SBP < 90"), "{}", stdout(&o));
    let o = set("vitals-alerts", "thresholds");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(set("news2-notify-at", "6").status.success());
    assert_eq!(set("news2-notify-at", "often").status.code(), Some(2));
    let o = set("naloxone-vitals", "10 60");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("every 10 min for 60 min"), "{}", stdout(&o));
    let show = stdout(&wardterm(&["config", "show", "--db", &db], &[]));
    assert!(show.contains("vitals alerts    unit thresholds: HR > 120 · SBP < 90"), "{show}");
    assert!(show.contains("after naloxone   vitals every 10 min for 60 min"), "{show}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&wardterm(&["config", "show", "--json", "--db", &db], &[]))).unwrap();
    assert_eq!(json["vitals"]["alerts"], "thresholds");
    assert_eq!(json["vitals"]["news2_notify_at"], 6);
    assert_eq!(json["vitals"]["thresholds"]["hr_above"], 120);
    let nurse = wardterm(
        &["config", "set", "news2-notify-at", "3", "--db", &db, "--user", "nurse"],
        &[("WARDTERM_PASSWORD", "demo-nurse1")],
    );
    assert!(!nurse.status.success(), "only an admin changes unit policy");
}
