//! CIWA-Ar, alcohol withdrawal: REFERENCE.md §1 (Sullivan et al., Br J Addict 1989;84:1353-7).
//!
//! Ten items; nine score 0-7, orientation 0-4; total 0-67. Every integer in range is legal.
//! Labels, questions and anchors are the form's own words as REFERENCE.md §1 prints them (item
//! label + ". " + question = the reference's "item, and what the nurse asks or does"); ""
//! marks an unlabelled intermediate level. `tests/anchors.rs` compares them with the reference.

use crate::domain::scale::{Band, BandSet, Item, Scale, levels};

/// The CIWA-Ar definition. Max 67: REFERENCE.md §1.
pub static CIWA_AR: Scale = Scale {
    key: "ciwa-ar",
    name: "CIWA-Ar",
    title: "Clinical Institute Withdrawal Assessment for Alcohol, revised",
    items: &[
        // Item 1, 0-7, anchors 0/1/4/7: REFERENCE.md §1 (Sullivan 1989, exact wording).
        Item {
            key: "nausea",
            label: "Nausea and vomiting",
            how: "ask + observe",
            question: r#"Ask "Do you feel sick to your stomach? Have you vomited?" Observation."#,
            choices: &levels([
                "no nausea and no vomiting",
                "mild nausea with no vomiting",
                "",
                "",
                "intermittent nausea with dry heaves",
                "",
                "",
                "constant nausea, frequent dry heaves and vomiting",
            ]),
        },
        // Item 2, 0-7, anchors 0/1/4/7: REFERENCE.md §1 (Sullivan 1989, exact wording).
        Item {
            key: "tremor",
            label: "Tremor",
            how: "observe",
            question: "Arms extended and fingers spread apart. Observation.",
            choices: &levels([
                "no tremor",
                "not visible, but can be felt fingertip to fingertip",
                "",
                "",
                "moderate, with patient's arms extended",
                "",
                "",
                "severe, even with arms not extended",
            ]),
        },
        // Item 3, 0-7, anchors 0/1/4/7: REFERENCE.md §1 (Sullivan 1989, exact wording).
        Item {
            key: "sweats",
            label: "Paroxysmal sweats",
            how: "observe",
            question: "Observation.",
            choices: &levels([
                "no sweat visible",
                "barely perceptible sweating, palms moist",
                "",
                "",
                "beads of sweat obvious on forehead",
                "",
                "",
                "drenching sweats",
            ]),
        },
        // Item 4, 0-7, anchors 0/1/4/7: REFERENCE.md §1 (Sullivan 1989, exact wording).
        Item {
            key: "anxiety",
            label: "Anxiety",
            how: "ask + observe",
            question: r#"Ask "Do you feel nervous?" Observation."#,
            choices: &levels([
                "no anxiety, at ease",
                "mildly anxious",
                "",
                "",
                "moderately anxious, or guarded, so anxiety is inferred",
                "",
                "",
                "equivalent to acute panic states as seen in severe delirium or acute schizophrenic reactions",
            ]),
        },
        // Item 5, 0-7, anchors 0/1/4/7: REFERENCE.md §1 (Sullivan 1989, exact wording).
        Item {
            key: "agitation",
            label: "Agitation",
            how: "observe",
            question: "Observation.",
            choices: &levels([
                "normal activity",
                "somewhat more than normal activity",
                "",
                "",
                "moderately fidgety and restless",
                "",
                "",
                "paces back and forth during most of the interview, or constantly thrashes about",
            ]),
        },
        // Item 6, 0-7, every level labelled: REFERENCE.md §1 (Sullivan 1989, exact wording).
        Item {
            key: "tactile",
            label: "Tactile disturbances",
            how: "ask + observe",
            question: r#"Ask "Have you any itching, pins and needles sensations, any burning, any numbness, or do you feel bugs crawling on or under your skin?" Observation."#,
            choices: &levels([
                "none",
                "very mild itching, pins and needles, burning or numbness",
                "mild itching, pins and needles, burning or numbness",
                "moderate itching, pins and needles, burning or numbness",
                "moderately severe hallucinations",
                "severe hallucinations",
                "extremely severe hallucinations",
                "continuous hallucinations",
            ]),
        },
        // Item 7, 0-7, every level labelled: REFERENCE.md §1 (Sullivan 1989, exact wording).
        Item {
            key: "auditory",
            label: "Auditory disturbances",
            how: "ask + observe",
            question: r#"Ask "Are you more aware of sounds around you? Are they harsh? Do they frighten you? Are you hearing anything that is disturbing to you? Are you hearing things you know are not there?" Observation."#,
            choices: &levels([
                "not present",
                "very mild harshness or ability to frighten",
                "mild harshness or ability to frighten",
                "moderate harshness or ability to frighten",
                "moderately severe hallucinations",
                "severe hallucinations",
                "extremely severe hallucinations",
                "continuous hallucinations",
            ]),
        },
        // Item 8, 0-7, every level labelled: REFERENCE.md §1 (Sullivan 1989, exact wording).
        Item {
            key: "visual",
            label: "Visual disturbances",
            how: "ask + observe",
            question: r#"Ask "Does the light appear to be too bright? Is its color different? Does it hurt your eyes? Are you seeing anything that is disturbing to you? Are you seeing things you know are not there?" Observation."#,
            choices: &levels([
                "not present",
                "very mild sensitivity",
                "mild sensitivity",
                "moderate sensitivity",
                "moderately severe hallucinations",
                "severe hallucinations",
                "extremely severe hallucinations",
                "continuous hallucinations",
            ]),
        },
        // Item 9, 0-7, every level labelled: REFERENCE.md §1 (Sullivan 1989, exact wording).
        Item {
            key: "headache",
            label: "Headache, fullness in head",
            how: "ask only (do not rate dizziness)",
            question: r#"Ask "Does your head feel different? Does it feel like there is a band around your head?" Do not rate for dizziness or lightheadedness."#,
            choices: &levels([
                "not present",
                "very mild",
                "mild",
                "moderate",
                "moderately severe",
                "severe",
                "very severe",
                "extremely severe",
            ]),
        },
        // Item 10, 0-4, every level labelled: REFERENCE.md §1 (Sullivan 1989, exact wording).
        Item {
            key: "orientation",
            label: "Orientation and clouding of sensorium",
            how: "ask (date, place, person)",
            question: r#"Ask "What day is this? Where are you? Who am I?""#,
            choices: &levels([
                "oriented and can do serial additions",
                "cannot do serial additions or is uncertain about date",
                "disoriented for date by no more than 2 calendar days",
                "disoriented for date by more than 2 calendar days",
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
