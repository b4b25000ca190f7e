//! CIWA-B, benzodiazepine withdrawal: REFERENCE.md §3 (Busto et al., J Clin Psychopharmacol
//! 1989;9:412-6).
//!
//! 20 items scored 0-4 each, total 0-80: REFERENCE.md §3. Items 1-17 are patient-rated,
//! anchored "Not at all" 0 ... "Very much so" 4; items 18-20 are observed, anchored none 0 ...
//! severe 4. Labels and anchors are the reference's words in its order; `tests/anchors.rs`
//! compares them with the reference.
// TODO(clinical): REFERENCE.md §3 gives each item's topic, not the question as Busto's form
// prints it; the patient-rated items show "Patient-rated." as their question until it does.
// TODO(clinical): REFERENCE.md §3 gives every patient-rated item "Not at all" 0 ... "Very much
// so" 4, which read literally on item 12 ("how restful was your sleep last night") would score a
// very restful night 4. Item 12 keeps the direction of the published form (0 = very restful,
// 4 = not at all restful) until the reference says which is meant.

use crate::domain::scale::{Band, BandSet, Choice, Item, Scale, levels};

// REFERENCE.md §3: items 1-17 "Not at all" 0 ... "Very much so" 4; items 18-20 none 0 ... severe 4.
const ASKED: [Choice; 5] = levels(["Not at all", "", "", "", "Very much so"]);
const OBSERVED: [Choice; 5] = levels(["none", "", "", "", "severe"]);
const ASK: &str = "ask only (patient rates)";
const PATIENT_RATED: &str = "Patient-rated.";

/// A patient-rated item with the reference's anchors.
const fn asked(key: &'static str, label: &'static str) -> Item {
    Item { key, label, how: ASK, question: PATIENT_RATED, choices: &ASKED }
}

/// An observed item: what the nurse does is the reference's parenthesis.
const fn observed(key: &'static str, label: &'static str, question: &'static str) -> Item {
    Item { key, label, how: "observe", question, choices: &OBSERVED }
}

/// The CIWA-B definition. 20 items x 0-4, max 80; items in the order and words of
/// REFERENCE.md §3 (Busto et al. 1989).
pub static CIWA_B: Scale = Scale {
    key: "ciwa-b",
    name: "CIWA-B",
    title: "Clinical Institute Withdrawal Assessment for Benzodiazepines",
    items: &[
        asked("irritable", "Irritable"),
        asked("fatigued", "Fatigued"),
        asked("tense", "Tense"),
        asked("concentration", "Difficulty concentrating"),
        asked("appetite", "Loss of appetite"),
        asked("numbness", "Numbness or burning of face, hands or feet"),
        asked("heart_racing", "Heart racing (palpitations)"),
        asked("head_full", "Head full or achy"),
        asked("muscle_aches", "Muscle aches or stiffness"),
        asked("anxious", "Anxious, nervous or jittery"),
        asked("upset", "Upset"),
        // Item 12: see the TODO(clinical) above on its anchors' direction.
        Item {
            key: "sleep_restful",
            label: "How restful was your sleep last night",
            how: ASK,
            question: "Patient-rated (0 = very restful).",
            choices: &levels(["very restful", "", "", "", "not at all restful"]),
        },
        asked("weak", "Feel weak"),
        asked("sleep_enough", "Think you did not have enough sleep last night"),
        asked("visual", "Visual disturbances (sensitivity to light, blurred vision)"),
        asked("fearful", "Fearful"),
        asked("worrying", "Worrying about possible misfortunes"),
        // Items 18-20, observed: REFERENCE.md §3 (18 restlessness and agitation, not sweating).
        observed("obs_agitation", "Restlessness and agitation", "observe behaviour"),
        observed("obs_tremor", "Tremor", "ask the patient to extend arms with fingers apart"),
        observed("obs_palms", "Sweating", "feel palms"),
    ],
};

/// The CIWA-B band set: REFERENCE.md §3 "one common set: 1-20 mild, 21-40 moderate, 41-60
/// severe, 61-80 very severe" (bands not settled in the literature: configurable). The reference
/// leaves 0 unbanded; a 0 "none" band is ours so that every total has a band.
pub fn band_presets() -> Vec<BandSet> {
    vec![BandSet {
        name: "common set (REFERENCE.md §3)".to_string(),
        bands: vec![
            Band::new(0, "none", false),
            Band::new(1, "mild", false),
            Band::new(21, "moderate", false),
            Band::new(41, "severe", true),
            Band::new(61, "very severe", true),
        ],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_items_of_zero_to_four_max_80() {
        assert_eq!(CIWA_B.items.len(), 20);
        assert_eq!(CIWA_B.max(), 80);
        for item in CIWA_B.items {
            assert_eq!(item.legal_scores(), vec![0, 1, 2, 3, 4], "{}", item.key);
        }
    }
}
