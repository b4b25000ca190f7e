//! CIWA-B, benzodiazepine withdrawal: REFERENCE.md §3 (Busto et al. 1989).
//!
//! 20 items scored 0-4 each, total 0-80: REFERENCE.md §3. The reference does not list the
//! items; the topics below follow the published form (17 patient-rated, 3 observed).
// TODO(clinical): verify item wording, order and anchors against Busto 1989 before clinical
// use; the anchors here are generic (0 "not at all"/"none" ... 4 "very much so"/"severe"),
// except the two sleep items, whose wording runs the other way (0 = slept well).

use crate::domain::scale::{Band, BandSet, Choice, Item, Scale, levels};

const ASKED: [Choice; 5] = levels(["not at all", "", "", "", "very much so"]);
const OBSERVED: [Choice; 5] = levels(["none", "", "", "", "severe"]);
const ASK: &str = "ask only (patient rates)";

/// A patient-rated item with the generic anchors.
const fn asked(key: &'static str, label: &'static str) -> Item {
    Item { key, label, how: ASK, choices: &ASKED }
}

/// The CIWA-B definition. 20 items x 0-4, max 80: REFERENCE.md §3 (Busto et al. 1989).
pub static CIWA_B: Scale = Scale {
    key: "ciwa-b",
    name: "CIWA-B",
    title: "Clinical Institute Withdrawal Assessment for Benzodiazepines",
    items: &[
        asked("irritable", "Feels irritable"),
        asked("fatigued", "Feels fatigued"),
        asked("tense", "Feels tense"),
        asked("concentration", "Difficulty concentrating"),
        asked("appetite", "Loss of appetite"),
        asked("numbness", "Numbness or burning on face, hands or feet"),
        asked("heart_racing", "Feels heart racing"),
        asked("head_full", "Head feels full or achy"),
        asked("muscle_aches", "Muscle aches or stiffness"),
        asked("anxious", "Feels anxious, nervous or jittery"),
        asked("upset", "Feels upset"),
        Item {
            key: "sleep_restful",
            label: "How restful was sleep last night (0 = very restful)",
            how: ASK,
            choices: &levels(["very restful", "", "", "", "not at all restful"]),
        },
        asked("weak", "Feels weak"),
        Item {
            key: "sleep_enough",
            label: "Enough sleep last night (0 = yes, enough)",
            how: ASK,
            choices: &levels(["yes, enough", "", "", "", "not at all"]),
        },
        asked("visual", "Visual disturbances"),
        asked("fearful", "Feels fearful"),
        asked("worrying", "Worrying about possible misfortunes"),
        Item {
            key: "obs_agitation",
            label: "Sweating, restlessness and agitation (observed)",
            how: "observe",
            choices: &OBSERVED,
        },
        Item { key: "obs_tremor", label: "Tremor (observed)", how: "observe", choices: &OBSERVED },
        Item { key: "obs_palms", label: "Palms moist (feel palms)", how: "observe (feel palms)", choices: &OBSERVED },
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
