//! Scale definitions, answers, the score calculator, the protocol schedule, and the generated
//! `scales_seed.sql`, checked against REFERENCE.md §1-3.

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use wardterm::domain::protocol::{Ladder, Prompt, Scored, default_ladder};
use wardterm::domain::scale::{
    Answers, Scale, ScaleError, ScoreReport, band_presets, calculate, default_bands, list_text, parse_assignment,
};
use wardterm::domain::scales::{self, ALL, ciwa_ar::CIWA_AR, ciwa_b::CIWA_B, cows};

fn legal(scale: &Scale, key: &str) -> Vec<u8> {
    scale.item(key).map(|(_, i)| i.legal_scores()).unwrap_or_default()
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

// ---- scale definitions -------------------------------------------------------------------

#[test]
fn maxima_and_item_counts() {
    // REFERENCE.md §1 (67, 10 items), §2 (48, 11 items), §3 (80, 20 items).
    assert_eq!((CIWA_AR.max(), CIWA_AR.items.len()), (67, 10));
    assert_eq!((cows::COWS.max(), cows::COWS.items.len()), (48, 11));
    assert_eq!((CIWA_B.max(), CIWA_B.items.len()), (80, 20));
}

#[test]
fn ciwa_ar_keys_and_anchors() {
    let keys = [
        "nausea",
        "tremor",
        "sweats",
        "anxiety",
        "agitation",
        "tactile",
        "auditory",
        "visual",
        "headache",
        "orientation",
    ];
    assert_eq!(CIWA_AR.item_keys(), keys);
    for item in &CIWA_AR.items[..5] {
        // Items 1-5 print anchors at 0, 1, 4 and 7 only: REFERENCE.md §1.
        let labelled: Vec<u8> = item.choices.iter().filter(|c| !c.anchor.is_empty()).map(|c| c.score).collect();
        assert_eq!(labelled, [0, 1, 4, 7], "{}", item.key);
    }
    for item in &CIWA_AR.items[5..] {
        // Items 6-9 (and orientation) label every level: REFERENCE.md §1.
        assert!(item.choices.iter().all(|c| !c.anchor.is_empty()), "{}", item.key);
    }
    assert_eq!(legal(&CIWA_AR, "orientation"), [0, 1, 2, 3, 4]);
    assert_eq!(legal(&CIWA_AR, "headache"), [0, 1, 2, 3, 4, 5, 6, 7]);
}

#[test]
fn cows_legal_values_per_item() {
    // REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B).
    let expect: [(&str, &[u8]); 11] = [
        ("pulse", &[0, 1, 2, 4]),
        ("sweating", &[0, 1, 2, 3, 4]),
        ("restlessness", &[0, 1, 3, 5]),
        ("pupils", &[0, 1, 2, 5]),
        ("aches", &[0, 1, 2, 4]),
        ("nose", &[0, 1, 2, 4]),
        ("gi", &[0, 1, 2, 3, 5]),
        ("tremor", &[0, 1, 2, 4]),
        ("yawning", &[0, 1, 2, 4]),
        ("anxiety", &[0, 1, 2, 4]),
        ("gooseflesh", &[0, 3, 5]),
    ];
    let keys: Vec<&str> = expect.iter().map(|(k, _)| *k).collect();
    assert_eq!(cows::COWS.item_keys(), keys);
    for (key, scores) in expect {
        assert_eq!(legal(&cows::COWS, key), scores, "{key}");
    }
}

#[test]
fn cows_known_public_errors_are_not_repeated() {
    // REFERENCE.md §2: "Known errors ... pulse value 3, gooseflesh 4, maximum 47 or 55".
    let mut a = Answers::new(&cows::COWS);
    let (pulse, _) = cows::COWS.item("pulse").expect("pulse");
    let (goose, _) = cows::COWS.item("gooseflesh").expect("gooseflesh");
    assert!(a.set_score(pulse, 3).is_err());
    assert!(a.set_score(goose, 4).is_err());
    assert_ne!(cows::COWS.max(), 47);
    assert_ne!(cows::COWS.max(), 55);
    // Picking the 4th gooseflesh choice is refused (there are 3), not read as score 4.
    assert!(a.set(goose, 3).is_err());
    assert_eq!(a.set(goose, 2), Ok(()));
    assert_eq!(a.score(goose), Some(5));
}

#[test]
fn hr_boundaries() {
    // COWS item 1: REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B).
    for (hr, score) in [(0, 0), (80, 0), (81, 1), (100, 1), (101, 2), (120, 2), (121, 4), (u16::MAX, 4)] {
        assert_eq!(cows::pulse_score_for_hr(hr), score, "HR {hr}");
    }
}

#[test]
fn answers_lifecycle() {
    let mut a = Answers::new(&CIWA_AR);
    assert_eq!((a.total(), a.complete()), (0, false));
    assert_eq!(a.unanswered().len(), 10);
    a.set_score(0, 3).expect("nausea 3");
    a.set(9, 4).expect("orientation position 4");
    assert_eq!(a.total(), 7);
    assert_eq!(a.pick(9), Some(4));
    assert_eq!(a.score(9), Some(4));
    assert!(a.set(9, 5).is_err(), "orientation has 5 choices");
    assert!(a.set_score(9, 5).is_err(), "orientation max is 4");
    assert!(a.set(10, 0).is_err(), "no 11th item");
    a.clear(0);
    a.clear(99);
    assert_eq!(a.score(0), None);
    assert_eq!(a.total(), 4);
    let scores = a.scores();
    assert_eq!(scores.len(), 10);
    assert_eq!(scores[9], Some(4));
}

#[test]
fn from_scores_builds_and_refuses() {
    let a = Answers::from_scores(&cows::COWS, &[("pulse", 4), ("gooseflesh", 5)]).expect("ok");
    assert_eq!(a.total(), 9);
    let dup = Answers::from_scores(&cows::COWS, &[("pulse", 4), ("PULSE", 1)]);
    assert!(matches!(dup, Err(ScaleError::DuplicateItem { .. })));
    let err = Answers::from_scores(&cows::COWS, &[("restlessness", 2)]).expect_err("illegal");
    assert_eq!(err.to_string(), r#"COWS item "restlessness" has no score 2; legal scores: 0, 1, 3, 5"#);
}

#[test]
fn band_defaults_and_presets() {
    let ciwa = default_bands("ciwa-ar");
    // REFERENCE.md §1 default (VA PAWS / CamCOPS): 0-7 minimal, 8-14 moderate, 15+ severe.
    let labels: Vec<(u16, &str, bool)> = [0, 7, 8, 14, 15, 67]
        .iter()
        .map(|&t| {
            let b = ciwa.band_for(t);
            (t, b.label.as_str(), b.severe)
        })
        .collect();
    assert_eq!(
        labels,
        [
            (0, "minimal", false),
            (7, "minimal", false),
            (8, "moderate", false),
            (14, "moderate", false),
            (15, "severe", true),
            (67, "severe", true),
        ]
    );
    let presets = band_presets("ciwa-ar");
    assert_eq!(presets.len(), 3);
    // REFERENCE.md §1 ASAM 2020: <10 mild, 10-18 moderate, 19+ severe.
    let asam = &presets[1];
    assert_eq!(asam.band_for(9).label, "mild");
    assert_eq!(asam.band_for(10).label, "moderate");
    assert_eq!(asam.band_for(18).label, "moderate");
    assert_eq!(asam.band_for(19).label, "severe");
    // REFERENCE.md §2: 0-4 not in a withdrawal band, 5-12 mild, 13-24 moderate, 25-36 mod. severe, 37+ severe.
    let c = default_bands("cows");
    let got: Vec<(&str, bool)> =
        [4, 5, 12, 13, 24, 25, 36, 37].iter().map(|&t| (c.band_for(t).label.as_str(), c.band_for(t).severe)).collect();
    assert_eq!(
        got,
        [
            (cows::BELOW_FIRST_BAND, false),
            ("mild", false),
            ("mild", false),
            ("moderate", false),
            ("moderate", false),
            ("moderately severe", true),
            ("moderately severe", true),
            ("severe", true),
        ]
    );
    // REFERENCE.md §3: 1-20 mild, 21-40 moderate, 41-60 severe, 61-80 very severe.
    let b = default_bands("ciwa-b");
    let got: Vec<&str> = [0, 1, 20, 21, 40, 41, 60, 61, 80].iter().map(|&t| b.band_for(t).label.as_str()).collect();
    assert_eq!(got, ["none", "mild", "mild", "moderate", "moderate", "severe", "severe", "very severe", "very severe"]);
    for scale in ALL {
        for set in band_presets(scale.key) {
            assert_eq!(set.validate(), Ok(()), "{} {}", scale.key, set.name);
        }
    }
}

#[test]
fn band_set_validation() {
    let mut set = default_bands("cows");
    set.bands[0].min = 1;
    assert!(set.validate().is_err(), "must start at 0");
    let mut set = default_bands("cows");
    set.bands.swap(1, 2);
    assert!(set.validate().is_err(), "must ascend");
    let json = serde_json::to_string(&default_bands("cows")).expect("encode");
    let back: wardterm::domain::scale::BandSet = serde_json::from_str(&json).expect("decode");
    assert_eq!(back, default_bands("cows"));
}

// ---- calculator ----------------------------------------------------------------------------

#[test]
fn parse_assignment_accepts_and_refuses() {
    assert_eq!(parse_assignment("tremor=4"), Ok(("tremor".to_string(), 4)));
    assert_eq!(parse_assignment(" gi = 5 "), Ok(("gi".to_string(), 5)));
    assert_eq!(parse_assignment("x=255"), Ok(("x".to_string(), 255)));
    for bad in ["tremor", "=4", "tremor=", "tremor=x", "tremor=-1", "tremor=256", "t=+4"] {
        assert!(matches!(parse_assignment(bad), Err(ScaleError::BadAssignment { .. })), "{bad}");
    }
}

#[test]
fn calculate_ciwa_ar_incomplete() {
    let r = calculate("CIWA-Ar", &args(&["nausea=3", "tremor=4", "anxiety=5"]), None, None).expect("report");
    assert_eq!((r.total, r.max, r.complete), (12, 67, false));
    assert_eq!(r.band, None, "an incomplete score has no band");
    let text = r.text();
    assert!(
        text.ends_with(
            "Partial total 12/67, no band (incomplete: 7 items unanswered: sweats, agitation, tactile, auditory, visual, headache, orientation)\n"
        ),
        "{text}"
    );
    assert!(!text.contains("Final"));
    assert_eq!(text.lines().filter(|l| l.starts_with("  ")).count(), 10);
}

#[test]
fn calculate_cows_complete_with_hr() {
    let all = args(&[
        "sweating=1",
        "restlessness=1",
        "pupils=1",
        "aches=1",
        "nose=1",
        "gi=1",
        "tremor=1",
        "yawning=1",
        "anxiety=1",
        "gooseflesh=3",
    ]);
    let r = calculate("cows", &all, Some(121), None).expect("report");
    assert_eq!((r.total, r.max, r.complete), (16, 48, true));
    assert_eq!(r.items.0[0], ("pulse".to_string(), Some(4)));
    assert!(
        r.text().ends_with(
            "Final total 16/48 — moderate (band set: Wesson & Ling 2003 form bands (from 5; below 5 is not a band))\n"
        ),
        "{}",
        r.text()
    );
    // An explicit pulse that agrees with --hr is fine; one that disagrees is an error.
    let mut agree = all.clone();
    agree.push("pulse=4".into());
    assert!(calculate("cows", &agree, Some(130), None).is_ok());
    let mut disagree = all;
    disagree.push("pulse=1".into());
    let err = calculate("cows", &disagree, Some(130), None).expect_err("conflict");
    assert!(matches!(err, ScaleError::PulseConflict { .. }));
    assert!(err.to_string().contains("--hr 130"), "{err}");
}

#[test]
fn calculate_refusals() {
    let dup = calculate("cows", &args(&["gi=1", "gi=2"]), None, None);
    assert!(matches!(dup, Err(ScaleError::DuplicateItem { .. })));
    let illegal = calculate("cows", &args(&["pulse=3"]), None, None).expect_err("illegal");
    assert_eq!(illegal.to_string(), r#"COWS item "pulse" has no score 3; legal scores: 0, 1, 2, 4"#);
    let hr = calculate("ciwa-ar", &[], Some(90), None);
    assert!(matches!(hr, Err(ScaleError::HrNotApplicable { .. })));
    let unknown = calculate("ciwa-ar", &args(&["foo=1"]), None, None).expect_err("unknown");
    assert!(unknown.to_string().starts_with(r#"unknown item "foo" for CIWA-Ar; items: nausea, tremor"#));
    let scale = calculate("x", &[], None, None).expect_err("unknown scale");
    assert_eq!(scale.to_string(), r#"unknown scale "x"; scales: ciwa-ar, cows, ciwa-b"#);
}

#[test]
fn score_report_json_shape() {
    let r = calculate("ciwa-ar", &args(&["tremor=2", "nausea=3"]), None, None).expect("report");
    let json = serde_json::to_string(&r).expect("json");
    assert!(
        json.starts_with(
            r#"{"scale":"ciwa-ar","total":5,"max":67,"band":null,"band_set":"VA PAWS / CamCOPS","complete":false,"unanswered":["sweats","#
        ),
        "{json}"
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("parse");
    let obj = v.as_object().expect("object");
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["band", "band_set", "complete", "items", "max", "scale", "total", "unanswered"]);
    assert_eq!(v["items"].as_object().map(|m| m.len()), Some(10));
}

#[test]
fn list_text_describes_every_scale() {
    let text = list_text();
    for scale in ALL {
        assert!(text.contains(&format!("(key {})", scale.key)), "{}", scale.key);
        assert!(text.contains(&format!("max {}", scale.max())));
        for item in scale.items {
            assert!(text.contains(item.key));
        }
    }
    assert!(text.contains("0, 3, 5"), "gooseflesh legal scores");
    assert!(text.contains("0-7"));
}

#[test]
fn report_from_answers_matches_calculate() {
    let a = Answers::from_scores(&CIWA_B, &[("tense", 2)]).expect("answers");
    let r = ScoreReport::from_answers(&a, &default_bands("ciwa-b"));
    let c = calculate("ciwa-b", &args(&["tense=2"]), None, None).expect("calc");
    assert_eq!(r, c);
}

// ---- properties ------------------------------------------------------------------------------

/// A scale and, per item, an optional legal choice position.
fn scale_and_picks() -> impl Strategy<Value = (usize, Vec<Option<usize>>)> {
    (0..ALL.len()).prop_flat_map(|s| {
        let picks: Vec<_> = ALL[s].items.iter().map(|it| proptest::option::of(0..it.choices.len())).collect();
        (Just(s), picks)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn legal_answers_total_is_sum_and_in_range((s, picks) in scale_and_picks()) {
        let scale = ALL[s];
        let mut a = Answers::new(scale);
        let mut sum = 0u16;
        for (i, pick) in picks.iter().enumerate() {
            if let Some(p) = pick {
                prop_assert!(a.set(i, *p).is_ok());
                sum += u16::from(scale.items[i].choices[*p].score);
            }
        }
        prop_assert_eq!(a.total(), sum);
        prop_assert!(a.total() <= scale.max());
        prop_assert_eq!(a.complete(), picks.iter().all(Option::is_some));
        prop_assert_eq!(a.unanswered().len(), picks.iter().filter(|p| p.is_none()).count());
        // The same answers by score give the same total.
        let mut b = Answers::new(scale);
        for (i, score) in a.scores().iter().enumerate() {
            if let Some(score) = score {
                prop_assert!(b.set_score(i, *score).is_ok());
            }
        }
        prop_assert_eq!(a, b);
    }

    #[test]
    fn illegal_scores_are_refused(s in 0..ALL.len(), item in 0usize..20, score in any::<u8>()) {
        let scale = ALL[s];
        let item = item % scale.items.len();
        prop_assume!(scale.items[item].position_of(score).is_none());
        let mut a = Answers::new(scale);
        let refused = matches!(a.set_score(item, score), Err(ScaleError::IllegalScore { .. }));
        prop_assert!(refused);
        prop_assert_eq!(a.score(item), None);
    }

    #[test]
    fn parse_assignment_never_panics(s in any::<String>()) {
        let _ = parse_assignment(&s);
    }

    #[test]
    fn parse_assignment_never_panics_on_near_misses(s in "[a-z_ ]{0,6}=?[ 0-9+x-]{0,5}") {
        let _ = parse_assignment(&s);
    }

    #[test]
    fn calculate_never_panics(
        key in prop::sample::select(vec!["ciwa-ar", "COWS", "ciwa_b", "x", ""]),
        assignments in prop::collection::vec(
            "(pulse|gooseflesh|nausea|orientation|tense|foo|)=?[0-9]{0,3}", 0..12),
        hr in proptest::option::of(any::<u16>()),
    ) {
        if let Ok(r) = calculate(key, &assignments, hr, None) {
            prop_assert!(r.total <= r.max);
            let _ = r.text();
        }
    }

    #[test]
    fn next_due_never_panics_and_is_after_last(
        s in 0..ALL.len(),
        steps in prop::collection::vec((0i64..600, 0u16..90), 0..20),
        prn in proptest::option::of(-600i64..600),
    ) {
        let ladder = default_ladder(ALL[s].key);
        let mut at = t0();
        let history: Vec<Scored> = steps
            .iter()
            .map(|&(gap, total)| {
                at += Duration::minutes(gap);
                Scored { at, total }
            })
            .collect();
        let due = ladder.next_due(&history, prn.map(|m| at + Duration::minutes(m)));
        prop_assert_eq!(due.is_some(), !history.is_empty());
        if let (Some(due), Some(last)) = (due, history.last()) {
            prop_assert!(due.at > last.at);
            prop_assert!(due.interval_minutes > 0);
        }
    }
}

// ---- protocol --------------------------------------------------------------------------------

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).single().expect("valid time")
}

fn at(minutes: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(minutes)
}

/// Scores `(minutes after t0, total)`.
fn hist(points: &[(i64, u16)]) -> Vec<Scored> {
    points.iter().map(|&(m, total)| Scored { at: at(m), total }).collect()
}

fn ciwa() -> Ladder {
    default_ladder("ciwa-ar")
}

#[test]
fn no_history_no_due() {
    assert_eq!(ciwa().next_due(&[], None), None);
    assert_eq!(ciwa().next_due(&[], Some(t0())), None);
}

#[test]
fn score_12_prn_and_one_hour() {
    let due = ciwa().next_due(&hist(&[(0, 12)]), None).expect("due");
    assert_eq!(due.at, at(60));
    assert_eq!(due.interval_minutes, 60);
    assert_eq!(due.prompts, [Prompt::PrnPerOrder]);
    assert_eq!(due.reason, "score 12: reassess in 1 h (CCJM table (REFERENCE.md §1))");
    assert!(!due.monitoring_may_stop);
}

#[test]
fn each_ciwa_rung() {
    // REFERENCE.md §1 ladder: 0-7 2 h; 8-10 PRN 2 h; 11-15 PRN 1 h; 16-19 PRN 1 h; 20+ 1 h.
    for (total, minutes, prn) in [
        (0, 120, false),
        (7, 120, false),
        (8, 120, true),
        (10, 120, true),
        (11, 60, true),
        (15, 60, true),
        (16, 60, true),
        (19, 60, true),
    ] {
        let due = ciwa().next_due(&hist(&[(0, total)]), None).expect("due");
        assert_eq!(due.interval_minutes, minutes, "score {total}");
        assert_eq!(due.prompts.contains(&Prompt::PrnPerOrder), prn, "score {total}");
    }
}

#[test]
fn score_22_notify_and_evaluate_one_hour() {
    let due = ciwa().next_due(&hist(&[(0, 22)]), None).expect("due");
    assert_eq!(due.interval_minutes, 60);
    assert_eq!(due.at, at(60));
    assert!(due.prompts.contains(&Prompt::NotifyProvider));
    assert!(due.prompts.contains(&Prompt::EvaluateHigherLevel));
}

#[test]
fn step_down_to_4_then_8_hours_and_reset() {
    let mut points = vec![(0, 5), (120, 6), (240, 3)];
    let due = ciwa().next_due(&hist(&points), None).expect("due");
    assert_eq!(due.interval_minutes, 240);
    assert_eq!(due.at, at(480));
    assert_eq!(due.reason, "3 consecutive scheduled checks < 8: every 4 h");

    points.extend([(480, 4), (720, 2)]);
    let due = ciwa().next_due(&hist(&points), None).expect("due");
    assert_eq!(due.interval_minutes, 240, "only 2 taken at the 4-h step");

    points.push((960, 1));
    let due = ciwa().next_due(&hist(&points), None).expect("due");
    assert_eq!(due.interval_minutes, 480);
    assert_eq!(due.at, at(960 + 480));
    assert_eq!(due.reason, "6 consecutive scheduled checks < 8: every 8 h");
    assert!(!due.monitoring_may_stop, "16 h is not 48 h");

    points.push((1440, 9));
    let due = ciwa().next_due(&hist(&points), None).expect("due");
    assert_eq!(due.interval_minutes, 120);
    assert_eq!(due.prompts, [Prompt::PrnPerOrder]);

    points.push((1560, 4));
    let due = ciwa().next_due(&hist(&points), None).expect("due");
    assert_eq!(due.interval_minutes, 120, "the run starts over after a score >= 8");
}

#[test]
fn monitoring_may_stop_after_48_hours_below_8() {
    // REFERENCE.md §1: "monitoring may stop after 48 h < 8". 2-h, then 4-h, then 8-h steps.
    let low = |last: i64| {
        let mut p = vec![(0, 5), (120, 4), (240, 3), (480, 3), (720, 2), (960, 2)];
        p.extend([1440, 1920, 2400].map(|m| (m, 1)));
        p.push((last, 1));
        p
    };
    let due = ciwa().next_due(&hist(&low(2880)), None).expect("due");
    assert!(due.monitoring_may_stop, "48 h of scores < 8");
    assert!(due.reason.contains("monitoring may stop"), "{}", due.reason);
    assert_eq!(due.interval_minutes, 480, "still scheduled; the provider decides");
    let due = ciwa().next_due(&hist(&low(2820)), None).expect("due");
    assert!(!due.monitoring_may_stop, "47 h is not 48 h");
    // A score >= 8 inside the 48 h restarts the clock.
    let mut broken = low(2880);
    broken[4].1 = 9;
    let due = ciwa().next_due(&hist(&broken), None).expect("due");
    assert!(!due.monitoring_may_stop);
}

#[test]
fn two_consecutive_over_10_notify_provider() {
    let due = ciwa().next_due(&hist(&[(0, 11), (60, 12)]), None).expect("due");
    assert!(due.prompts.contains(&Prompt::NotifyProvider));
    assert!(due.reason.contains("2 consecutive > 10: notify provider"), "{}", due.reason);
    let once = ciwa().next_due(&hist(&[(0, 10), (60, 12)]), None).expect("due");
    assert!(!once.prompts.contains(&Prompt::NotifyProvider), "10 is not > 10");
    let single = ciwa().next_due(&hist(&[(0, 14)]), None).expect("due");
    assert!(!single.prompts.contains(&Prompt::NotifyProvider));
    let mut no_rule = ciwa();
    no_rule.notify_consecutive_over = None;
    let due = no_rule.next_due(&hist(&[(0, 11), (60, 12)]), None).expect("due");
    assert!(!due.prompts.contains(&Prompt::NotifyProvider));
}

#[test]
fn prn_after_last_score_brings_reassessment_forward() {
    // Score 5 at 0 is due at 2 h; a PRN at 0:30 makes it due at 1:30.
    let due = ciwa().next_due(&hist(&[(0, 5)]), Some(at(30))).expect("due");
    assert_eq!(due.at, at(90));
    assert_eq!(due.interval_minutes, 60);
    assert!(due.reason.starts_with("PRN given after the last score"), "{}", due.reason);
    // Score 12 at 0 is due at 1 h; a PRN at 0:30 would give 1:30, later, so 1 h stands,
    // and the PRN prompt has been answered.
    let due = ciwa().next_due(&hist(&[(0, 12)]), Some(at(30))).expect("due");
    assert_eq!(due.at, at(60));
    assert!(!due.prompts.contains(&Prompt::PrnPerOrder));
    // A PRN before the last score does not count.
    let due = ciwa().next_due(&hist(&[(0, 5)]), Some(at(-30))).expect("due");
    assert_eq!(due.at, at(120));
}

#[test]
fn ladder_validation_refuses_bad_configuration() {
    let mut l = ciwa();
    l.rungs[0].min_total = 1;
    assert!(l.validate().is_err());
    let mut l = ciwa();
    l.rungs.swap(1, 2);
    assert!(l.validate().is_err());
    let mut l = ciwa();
    l.rungs[2].reassess_minutes = 0;
    assert!(l.validate().is_err());
    let mut l = ciwa();
    l.rungs.push(wardterm::domain::protocol::Rung {
        min_total: 68,
        reassess_minutes: 30,
        prompts: vec![],
        source: None,
    });
    assert!(l.validate().is_err(), "above the maximum of 67");
    let mut l = ciwa();
    l.notify_consecutive_over = Some((0, 10));
    assert!(l.validate().is_err());
    let mut l = ciwa();
    l.scale = "sows".into();
    assert!(l.validate().is_err());
    for scale in ALL {
        assert_eq!(default_ladder(scale.key).validate(), Ok(()));
    }
}

#[test]
fn by_key_is_forgiving_about_spelling() {
    assert_eq!(scales::by_key("CIWA-Ar").map(|s| s.key), Some("ciwa-ar"));
    assert_eq!(scales::by_key("ciwa_b").map(|s| s.key), Some("ciwa-b"));
    assert!(scales::by_key("sows").is_none());
}
