//! CIWA-Ar, alcohol withdrawal: REFERENCE.md §1 (Sullivan et al., Br J Addict 1989;84:1353-7).
//!
//! Ten items; nine score 0-7, orientation 0-4; total 0-67. Every integer in range is legal.
//! Anchors are the reference's labelled levels; "" marks an unlabelled intermediate level.

use crate::domain::scale::{Band, BandSet, Item, Scale, levels};

/// The CIWA-Ar definition. Max 67: REFERENCE.md §1.
pub static CIWA_AR: Scale = Scale {
    key: "ciwa-ar",
    name: "CIWA-Ar",
    title: "Clinical Institute Withdrawal Assessment for Alcohol, revised",
    items: &[
        // Item 1, 0-7, anchors 0/1/4/7: REFERENCE.md §1.
        Item {
            key: "nausea",
            label: "Nausea and vomiting",
            how: "ask + observe",
            choices: &levels([
                "none",
                "mild nausea, no vomiting",
                "",
                "",
                "intermittent nausea with dry heaves",
                "",
                "",
                "constant nausea, frequent dry heaves and vomiting",
            ]),
        },
        // Item 2, 0-7, anchors 0/1/4/7: REFERENCE.md §1.
        Item {
            key: "tremor",
            label: "Tremor (arms extended, fingers spread)",
            how: "observe",
            choices: &levels([
                "none",
                "not visible, felt fingertip to fingertip",
                "",
                "",
                "moderate, arms extended",
                "",
                "",
                "severe, even arms not extended",
            ]),
        },
        // Item 3, 0-7, anchors 0/1/4/7: REFERENCE.md §1.
        Item {
            key: "sweats",
            label: "Paroxysmal sweats",
            how: "observe",
            choices: &levels([
                "none visible",
                "barely perceptible, palms moist",
                "",
                "",
                "beads on forehead",
                "",
                "",
                "drenching",
            ]),
        },
        // Item 4, 0-7, anchors 0/1/4/7: REFERENCE.md §1.
        Item {
            key: "anxiety",
            label: "Anxiety",
            how: "ask + observe",
            choices: &levels([
                "at ease",
                "mildly anxious",
                "",
                "",
                "moderately anxious or guarded",
                "",
                "",
                "acute panic",
            ]),
        },
        // Item 5, 0-7, anchors 0/1/4/7: REFERENCE.md §1.
        Item {
            key: "agitation",
            label: "Agitation",
            how: "observe",
            choices: &levels([
                "normal activity",
                "somewhat more than normal",
                "",
                "",
                "moderately fidgety and restless",
                "",
                "",
                "paces or thrashes constantly",
            ]),
        },
        // Item 6, 0-7, every level labelled: REFERENCE.md §1.
        Item {
            key: "tactile",
            label: "Tactile disturbances",
            how: "ask + observe",
            choices: &levels([
                "none",
                "very mild",
                "mild",
                "moderate itching/pins and needles/burning/numbness",
                "moderately severe hallucinations",
                "severe",
                "extremely severe",
                "continuous hallucinations",
            ]),
        },
        // Item 7, 0-7: "as item 6, for harshness/loudness of sounds and hearing things",
        // REFERENCE.md §1; item 6's levels with the reference's own words for this item.
        Item {
            key: "auditory",
            label: "Auditory disturbances",
            how: "ask + observe",
            choices: &levels([
                "none",
                "very mild harshness/loudness of sounds",
                "mild harshness/loudness of sounds",
                "moderate harshness/loudness of sounds",
                "moderately severe hallucinations (hearing things)",
                "severe",
                "extremely severe",
                "continuous hallucinations (hearing things)",
            ]),
        },
        // Item 8, 0-7: "as item 6, for light brightness/colour and seeing things",
        // REFERENCE.md §1; item 6's levels with the reference's own words for this item.
        Item {
            key: "visual",
            label: "Visual disturbances",
            how: "ask + observe",
            choices: &levels([
                "none",
                "very mild light brightness/colour",
                "mild light brightness/colour",
                "moderate light brightness/colour",
                "moderately severe hallucinations (seeing things)",
                "severe",
                "extremely severe",
                "continuous hallucinations (seeing things)",
            ]),
        },
        // Item 9, 0-7, every level labelled; ask only, do not rate dizziness: REFERENCE.md §1.
        Item {
            key: "headache",
            label: "Headache, fullness in head",
            how: "ask only (do not rate dizziness)",
            choices: &levels([
                "none",
                "very mild",
                "mild",
                "moderate",
                "moderately severe",
                "severe",
                "very severe",
                "extremely severe",
            ]),
        },
        // Item 10, 0-4, every level labelled: REFERENCE.md §1.
        Item {
            key: "orientation",
            label: "Orientation, clouding of sensorium",
            how: "ask (date, place, person)",
            choices: &levels([
                "oriented, can do serial additions",
                "cannot do serial additions or uncertain of date",
                "date off by up to 2 days",
                "date off by more than 2 days",
                "disoriented for place and/or person",
            ]),
        },
    ],
};

/// The CIWA-Ar band sets of REFERENCE.md §1, the unit default first.
pub fn band_presets() -> Vec<BandSet> {
    vec![
        // Default: REFERENCE.md §1 (VA PAWS / CamCOPS): 0-7 minimal, 8-14 moderate, 15+ severe.
        BandSet {
            name: "VA PAWS / CamCOPS".to_string(),
            bands: vec![Band::new(0, "minimal", false), Band::new(8, "moderate", false), Band::new(15, "severe", true)],
        },
        // REFERENCE.md §1 (ASAM 2020): <10 mild, 10-18 moderate, 19+ severe.
        BandSet {
            name: "ASAM 2020".to_string(),
            bands: vec![Band::new(0, "mild", false), Band::new(10, "moderate", false), Band::new(19, "severe", true)],
        },
        // REFERENCE.md §1 ("others in use"): <=10 / 11-15 / 16+. The reference gives no labels
        // for this set; mild/moderate/severe are ours.
        BandSet {
            name: "<=10 / 11-15 / 16+".to_string(),
            bands: vec![Band::new(0, "mild", false), Band::new(11, "moderate", false), Band::new(16, "severe", true)],
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_items_max_67_every_integer_legal() {
        assert_eq!(CIWA_AR.items.len(), 10);
        assert_eq!(CIWA_AR.max(), 67);
        for item in CIWA_AR.items {
            let expect: Vec<u8> = (0..=item.max()).collect();
            assert_eq!(item.legal_scores(), expect, "{}", item.key);
        }
    }

    #[test]
    fn presets_validate() {
        for set in band_presets() {
            assert_eq!(set.validate(), Ok(()), "{}", set.name);
        }
    }
}
