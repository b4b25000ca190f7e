//! COWS, opioid withdrawal: REFERENCE.md §2 (Wesson & Ling, J Psychoactive Drugs
//! 2003;35:253-9; SAMHSA TIP 43, App. B).
//!
//! Eleven items with SPARSE legal scores: only the listed scores exist; total 0-48. Questions
//! ("item and how it is rated") and anchors are the TIP 43 form's own words as REFERENCE.md §2
//! prints them, level 0 included; `tests/anchors.rs` compares them with the reference. The
//! short `label`s and the `how` texts are ours, read off each item's wording.
//! Known errors in public calculators, never to repeat (REFERENCE.md §2): pulse value 3,
//! gooseflesh 4, maximum 47 or 55.

use crate::domain::scale::{Band, BandSet, Choice, Item, Scale};

/// Key of the pulse item, which `--hr` derives.
pub const PULSE_KEY: &str = "pulse";

/// The HR-to-pulse rule for people (command-line listing).
pub const HR_RULE_TEXT: &str = "--hr BPM derives pulse: <= 80 -> 0, 81-100 -> 1, 101-120 -> 2, > 120 -> 4";

/// The COWS definition. Max 48: REFERENCE.md §2.
pub static COWS: Scale = Scale {
    key: "cows",
    name: "COWS",
    title: "Clinical Opiate Withdrawal Scale",
    items: &[
        // COWS item 1: 0 (HR <= 80), 1 (81-100), 2 (101-120), 4 (> 120); no 3. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B wording).
        Item {
            key: PULSE_KEY,
            label: "Resting pulse after 1 min sitting/lying",
            how: "measure (derive from the measured HR)",
            question: "Resting pulse rate, beats/minute, measured after the patient is sitting or lying for one minute",
            choices: &[
                Choice::new(0, "pulse rate 80 or below"),
                Choice::new(1, "pulse rate 81-100"),
                Choice::new(2, "pulse rate 101-120"),
                Choice::new(4, "pulse rate greater than 120"),
            ],
        },
        // COWS item 2: 0-4. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B wording).
        Item {
            key: "sweating",
            label: "Sweating, past 1/2 h, not from room temperature or activity",
            how: "ask + observe",
            question: "Sweating over past 1/2 hour not accounted for by room temperature or patient activity",
            choices: &[
                Choice::new(0, "no report of chills or flushing"),
                Choice::new(1, "subjective report of chills or flushing"),
                Choice::new(2, "flushed or observable moistness on face"),
                Choice::new(3, "beads of sweat on brow or face"),
                Choice::new(4, "sweat streaming off face"),
            ],
        },
        // COWS item 3: 0, 1, 3, 5. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B wording).
        Item {
            key: "restlessness",
            label: "Restlessness during assessment",
            how: "ask + observe",
            question: "Restlessness, observation during assessment",
            choices: &[
                Choice::new(0, "able to sit still"),
                Choice::new(1, "reports difficulty sitting still, but is able to do so"),
                Choice::new(3, "frequent shifting or extraneous movements of legs/arms"),
                Choice::new(5, "unable to sit still for more than a few seconds"),
            ],
        },
        // COWS item 4: 0, 1, 2, 5. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B wording).
        Item {
            key: "pupils",
            label: "Pupil size",
            how: "observe",
            question: "Pupil size",
            choices: &[
                Choice::new(0, "pupils pinned or normal size for room light"),
                Choice::new(1, "pupils possibly larger than normal for room light"),
                Choice::new(2, "pupils moderately dilated"),
                Choice::new(5, "pupils so dilated that only the rim of the iris is visible"),
            ],
        },
        // COWS item 5: 0, 1, 2, 4. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B wording).
        Item {
            key: "aches",
            label: "Bone or joint aches (withdrawal component only)",
            how: "ask + observe",
            question: "Bone or joint aches; if the patient was having pain previously, only the additional component attributed to opiate withdrawal is scored",
            choices: &[
                Choice::new(0, "not present"),
                Choice::new(1, "mild diffuse discomfort"),
                Choice::new(2, "patient reports severe diffuse aching of joints/muscles"),
                Choice::new(4, "patient is rubbing joints or muscles and is unable to sit still because of discomfort"),
            ],
        },
        // COWS item 6: 0, 1, 2, 4. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B wording).
        Item {
            key: "nose",
            label: "Runny nose or tearing (not cold/allergy)",
            how: "ask + observe",
            question: "Runny nose or tearing, not accounted for by cold symptoms or allergies",
            choices: &[
                Choice::new(0, "not present"),
                Choice::new(1, "nasal stuffiness or unusually moist eyes"),
                Choice::new(2, "nose running or tearing"),
                Choice::new(4, "nose constantly running or tears streaming down cheeks"),
            ],
        },
        // COWS item 7: 0, 1, 2, 3, 5. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B wording).
        Item {
            key: "gi",
            label: "GI upset, past 1/2 h",
            how: "ask + observe",
            question: "GI upset over last 1/2 hour",
            choices: &[
                Choice::new(0, "no GI symptoms"),
                Choice::new(1, "stomach cramps"),
                Choice::new(2, "nausea or loose stool"),
                Choice::new(3, "vomiting or diarrhea"),
                Choice::new(5, "multiple episodes of diarrhea or vomiting"),
            ],
        },
        // COWS item 8: 0, 1, 2, 4. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B wording).
        Item {
            key: "tremor",
            label: "Tremor, outstretched hands",
            how: "observe",
            question: "Tremor, observation of outstretched hands",
            choices: &[
                Choice::new(0, "no tremor"),
                Choice::new(1, "tremor can be felt, but not observed"),
                Choice::new(2, "slight tremor observable"),
                Choice::new(4, "gross tremor or muscle twitching"),
            ],
        },
        // COWS item 9: 0, 1, 2, 4. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B wording).
        Item {
            key: "yawning",
            label: "Yawning during assessment",
            how: "observe",
            question: "Yawning, observation during assessment",
            choices: &[
                Choice::new(0, "no yawning"),
                Choice::new(1, "yawning once or twice during assessment"),
                Choice::new(2, "yawning three or more times during assessment"),
                Choice::new(4, "yawning several times/minute"),
            ],
        },
        // COWS item 10: 0, 1, 2, 4. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B wording).
        Item {
            key: "anxiety",
            label: "Anxiety or irritability",
            how: "ask + observe",
            question: "Anxiety or irritability",
            choices: &[
                Choice::new(0, "none"),
                Choice::new(1, "patient reports increasing irritability or anxiousness"),
                Choice::new(2, "patient obviously irritable or anxious"),
                Choice::new(4, "patient so irritable or anxious that participation in the assessment is difficult"),
            ],
        },
        // COWS item 11: 0, 3, 5; no 4. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B wording).
        Item {
            key: "gooseflesh",
            label: "Gooseflesh skin",
            how: "observe",
            question: "Gooseflesh skin",
            choices: &[
                Choice::new(0, "skin is smooth"),
                Choice::new(3, "piloerection of skin can be felt or hairs standing up on arms"),
                Choice::new(5, "prominent piloerection"),
            ],
        },
    ],
};

/// The COWS pulse score for a measured heart rate: HR <= 80 -> 0, 81-100 -> 1, 101-120 -> 2,
/// > 120 -> 4. COWS item 1: REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B).
pub fn pulse_score_for_hr(hr: u16) -> u8 {
    match hr {
        0..=80 => 0,
        81..=100 => 1,
        101..=120 => 2,
        _ => 4,
    }
}

/// The position of [`pulse_score_for_hr`] among the pulse item's choices.
pub fn pulse_position_for_hr(hr: u16) -> usize {
    match hr {
        0..=80 => 0,
        81..=100 => 1,
        101..=120 => 2,
        _ => 3,
    }
}

/// The pulse item's index on `scale`: only COWS derives an item from the heart rate.
pub fn pulse_item(scale: &Scale) -> Option<usize> {
    (scale.key == COWS.key).then(|| scale.item(PULSE_KEY).map(|(i, _)| i)).flatten()
}

/// The pulse item's choice for a heart rate as the nurse typed it (REFERENCE.md §2: COWS item 1
/// comes from the measured rate), or `None` when she gave no plausible rate
/// ([`crate::domain::vitals::HR_RANGE`]): the item is then left unanswered, never guessed.
pub fn pulse_position_for_typed_hr(typed: &str) -> Option<usize> {
    let hr: u16 = typed.trim().parse().ok()?;
    let (lo, hi) = crate::domain::vitals::HR_RANGE;
    (lo..=hi).contains(&hr).then(|| pulse_position_for_hr(hr))
}

/// The label of the COWS totals below 5, which the form puts in no band: REFERENCE.md §2 ("The
/// form names no band below 5: show \"below 5: not in a withdrawal band\"").
pub const BELOW_FIRST_BAND: &str = "not in a withdrawal band";

/// The COWS band set of REFERENCE.md §2, as printed on the form: 5-12 mild, 13-24 moderate,
/// 25-36 moderately severe, more than 36 severe. The form names no band below 5, so totals 0-4
/// are labelled [`BELOW_FIRST_BAND`] (a band set must start at 0) and the set's name says that
/// the form's bands start at 5: nothing here attributes a "none" band to Wesson & Ling.
pub fn band_presets() -> Vec<BandSet> {
    vec![BandSet {
        name: "Wesson & Ling 2003 form bands (from 5; below 5 is not a band)".to_string(),
        bands: vec![
            Band::new(0, BELOW_FIRST_BAND, false),
            Band::new(5, "mild", false),
            Band::new(13, "moderate", false),
            Band::new(25, "moderately severe", true),
            Band::new(37, "severe", true),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pulse_item_comes_only_from_a_plausible_typed_rate() {
        // REFERENCE.md §2 bands: <= 80 -> 0, 81-100 -> 1, 101-120 -> 2, > 120 -> 4 (position 3).
        for (typed, want) in [("80", Some(0)), (" 81 ", Some(1)), ("120", Some(2)), ("121", Some(3))] {
            assert_eq!(pulse_position_for_typed_hr(typed), want, "{typed:?}");
        }
        // Nothing typed, not a number, or outside vitals::HR_RANGE: left unanswered.
        for typed in ["", "abc", "24", "251", "-5", "8O"] {
            assert_eq!(pulse_position_for_typed_hr(typed), None, "{typed:?}");
        }
        assert_eq!(pulse_item(&COWS), COWS.item(PULSE_KEY).map(|(i, _)| i));
        assert_eq!(pulse_item(&crate::domain::scales::ciwa_ar::CIWA_AR), None);
    }

    #[test]
    fn pulse_position_agrees_with_score() {
        let (_, pulse) = COWS.item(PULSE_KEY).expect("pulse item");
        for hr in [0, 80, 81, 100, 101, 120, 121, u16::MAX] {
            let pos = pulse_position_for_hr(hr);
            assert_eq!(pulse.choices.get(pos).map(|c| c.score), Some(pulse_score_for_hr(hr)));
        }
    }

    #[test]
    fn known_public_calculator_errors_are_absent() {
        // REFERENCE.md §2: "pulse value 3, gooseflesh 4, maximum 47 or 55".
        let legal = |key| COWS.item(key).map(|(_, i)| i.legal_scores());
        assert!(!legal("pulse").unwrap_or_default().contains(&3));
        assert!(!legal("gooseflesh").unwrap_or_default().contains(&4));
        assert_eq!(COWS.max(), 48);
    }
}
