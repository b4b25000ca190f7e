//! COWS, opioid withdrawal: REFERENCE.md §2 (Wesson & Ling, J Psychoactive Drugs
//! 2003;35:253-9; SAMHSA TIP 43, App. B).
//!
//! Eleven items with SPARSE legal scores: only the listed scores exist; total 0-48. Anchors
//! are the reference's; "" where it prints none (most items' 0). The `how` texts are read off
//! each item's wording in the reference (the reference has no "how" column for COWS).
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
        // COWS item 1: 0 (HR <= 80), 1 (81-100), 2 (101-120), 4 (> 120); no 3.
        // REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B).
        Item {
            key: PULSE_KEY,
            label: "Resting pulse after 1 min sitting/lying",
            how: "measure (derive from the measured HR)",
            choices: &[
                Choice::new(0, "HR <= 80"),
                Choice::new(1, "HR 81-100"),
                Choice::new(2, "HR 101-120"),
                Choice::new(4, "HR > 120"),
            ],
        },
        // COWS item 2: 0-4. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B).
        Item {
            key: "sweating",
            label: "Sweating, past 1/2 h, not from room temperature or activity",
            how: "ask + observe",
            choices: &[
                Choice::new(0, ""),
                Choice::new(1, "subjective chills/flushing"),
                Choice::new(2, "flushed or moist face"),
                Choice::new(3, "beads on brow or face"),
                Choice::new(4, "sweat streaming"),
            ],
        },
        // COWS item 3: 0, 1, 3, 5. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B).
        Item {
            key: "restlessness",
            label: "Restlessness during assessment",
            how: "ask + observe",
            choices: &[
                Choice::new(0, ""),
                Choice::new(1, "reports difficulty sitting still"),
                Choice::new(3, "frequent shifting or extraneous movement"),
                Choice::new(5, "cannot sit still more than a few seconds"),
            ],
        },
        // COWS item 4: 0, 1, 2, 5. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B).
        Item {
            key: "pupils",
            label: "Pupil size",
            how: "observe",
            choices: &[
                Choice::new(0, "pinned or normal for room light"),
                Choice::new(1, "possibly larger than normal"),
                Choice::new(2, "moderately dilated"),
                Choice::new(5, "only rim of iris visible"),
            ],
        },
        // COWS item 5: 0, 1, 2, 4. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B).
        Item {
            key: "aches",
            label: "Bone or joint aches (withdrawal component only)",
            how: "ask + observe",
            choices: &[
                Choice::new(0, ""),
                Choice::new(1, "mild diffuse discomfort"),
                Choice::new(2, "reports severe diffuse aching"),
                Choice::new(4, "rubbing joints, cannot sit still"),
            ],
        },
        // COWS item 6: 0, 1, 2, 4. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B).
        Item {
            key: "nose",
            label: "Runny nose or tearing (not cold/allergy)",
            how: "ask + observe",
            choices: &[
                Choice::new(0, ""),
                Choice::new(1, "nasal stuffiness or moist eyes"),
                Choice::new(2, "nose running or tearing"),
                Choice::new(4, "constant running or tears streaming"),
            ],
        },
        // COWS item 7: 0, 1, 2, 3, 5. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B).
        Item {
            key: "gi",
            label: "GI upset, past 1/2 h",
            how: "ask + observe",
            choices: &[
                Choice::new(0, ""),
                Choice::new(1, "stomach cramps"),
                Choice::new(2, "nausea or loose stool"),
                Choice::new(3, "vomiting or diarrhea"),
                Choice::new(5, "multiple episodes"),
            ],
        },
        // COWS item 8: 0, 1, 2, 4. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B).
        Item {
            key: "tremor",
            label: "Tremor, outstretched hands",
            how: "observe",
            choices: &[
                Choice::new(0, ""),
                Choice::new(1, "felt, not seen"),
                Choice::new(2, "slight, observable"),
                Choice::new(4, "gross tremor or twitching"),
            ],
        },
        // COWS item 9: 0, 1, 2, 4. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B).
        Item {
            key: "yawning",
            label: "Yawning during assessment",
            how: "observe",
            choices: &[
                Choice::new(0, ""),
                Choice::new(1, "once or twice"),
                Choice::new(2, "three or more times"),
                Choice::new(4, "several times per minute"),
            ],
        },
        // COWS item 10: 0, 1, 2, 4. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B).
        Item {
            key: "anxiety",
            label: "Anxiety or irritability",
            how: "ask + observe",
            choices: &[
                Choice::new(0, ""),
                Choice::new(1, "reports increasing"),
                Choice::new(2, "obviously irritable or anxious"),
                Choice::new(4, "so irritable/anxious that participation is difficult"),
            ],
        },
        // COWS item 11: 0, 3, 5; no 4. REFERENCE.md §2 (Wesson & Ling 2003; TIP 43 App. B).
        Item {
            key: "gooseflesh",
            label: "Gooseflesh skin",
            how: "observe",
            choices: &[
                Choice::new(0, "smooth"),
                Choice::new(3, "piloerection can be felt or hairs standing up"),
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

/// The COWS band set of REFERENCE.md §2: 0-4 none, 5-12 mild, 13-24 moderate,
/// 25-36 moderately severe, 37+ severe.
pub fn band_presets() -> Vec<BandSet> {
    vec![BandSet {
        name: "Wesson & Ling 2003".to_string(),
        bands: vec![
            Band::new(0, "none", false),
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
