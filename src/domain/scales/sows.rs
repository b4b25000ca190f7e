//! SOWS, the Subjective Opiate Withdrawal Scale: REFERENCE.md §3 (Handelsman et al., Am J Drug
//! Alcohol Abuse 1987;13:293-308).
//!
//! 16 patient-rated items, 0-4 each (0 not at all, 1 a little, 2 moderately, 3 quite a bit,
//! 4 extremely), total 0-64: REFERENCE.md §3. The item labels are the reference's words, in its
//! order; `tests/risk_reference.rs` compares them with the reference.
//!
//! SOWS is NOT in [`super::ALL`] and [`super::by_key`] does not find it: those lists drive the
//! census, the scoring screen's Ctrl-T choice, `wardterm score`, the generator, the demo and the
//! `scale_choice` rows the store seeds, and existing tests assert `by_key("sows")` is `None`.
//! SOWS is its own series beside COWS (issue 16 point 5), found with [`by_key`] here.
// TODO(clinical): REFERENCE.md §3 gives no severity bands for SOWS. None are invented:
// [`band_presets`] is empty and a SOWS total is shown without a band.
// TODO(clinical): REFERENCE.md §3 gives the items' words, not the form's instruction to the
// patient (Handelsman's "how you feel now"); the question shows "Patient-rated." until it does.

use crate::domain::scale::{BandSet, Choice, Item, Scale, levels};

// REFERENCE.md §3: "0 not at all, 1 a little, 2 moderately, 3 quite a bit, 4 extremely".
const ANCHORS: [Choice; 5] = levels(["not at all", "a little", "moderately", "quite a bit", "extremely"]);
const HOW: &str = "ask only (patient rates)";
const QUESTION: &str = "Patient-rated.";

/// A patient-rated item with the reference's anchors; `label` is the reference's words.
const fn item(key: &'static str, label: &'static str) -> Item {
    Item { key, label, how: HOW, question: QUESTION, choices: &ANCHORS }
}

/// The SOWS definition: 16 items x 0-4, max 64, in the order and words of REFERENCE.md §3.
pub static SOWS: Scale = Scale {
    key: "sows",
    name: "SOWS",
    title: "Subjective Opiate Withdrawal Scale",
    items: &[
        item("anxious", "I feel anxious"),
        item("yawning", "I feel like yawning"),
        item("perspiring", "I am perspiring"),
        item("teary", "my eyes are teary"),
        item("nose", "my nose is running"),
        item("goosebumps", "I have goosebumps"),
        item("shaking", "I am shaking"),
        item("hot_flushes", "I have hot flushes"),
        item("cold_flushes", "I have cold flushes"),
        item("aches", "my bones and muscles ache"),
        item("restless", "I feel restless"),
        item("nauseous", "I feel nauseous"),
        item("vomiting", "I feel like vomiting"),
        item("twitch", "my muscles twitch"),
        item("cramps", "I have stomach cramps"),
        item("using", "I feel like using now"),
    ],
};

/// SOWS's own lookup: `key` names SOWS (its key or name, ignoring case and the separators
/// `-`, `_`, `.` and spaces, as [`super::by_key`] does for the others).
pub fn by_key(key: &str) -> Option<&'static Scale> {
    let want: String =
        key.chars().filter(|c| !matches!(c, '-' | '_' | '.' | ' ')).flat_map(char::to_lowercase).collect();
    (want == SOWS.key || want == SOWS.name.to_lowercase()).then_some(&SOWS)
}

/// No band sets: REFERENCE.md §3 gives none for SOWS (see the TODO(clinical) above).
pub fn band_presets() -> Vec<BandSet> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scale::Answers;
    use crate::domain::scales;

    #[test]
    fn sixteen_items_of_zero_to_four_max_64_with_the_reference_anchors() {
        assert_eq!(SOWS.items.len(), 16);
        assert_eq!(SOWS.max(), 64);
        for it in SOWS.items {
            assert_eq!(it.legal_scores(), vec![0, 1, 2, 3, 4], "{}", it.key);
            let words: Vec<&str> = it.choices.iter().map(|c| c.anchor).collect();
            assert_eq!(words, ["not at all", "a little", "moderately", "quite a bit", "extremely"]);
        }
        let mut keys = SOWS.item_keys();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 16, "item keys are unique");
    }

    #[test]
    fn answers_refuse_a_score_above_four_and_total_to_64() {
        let mut a = Answers::new(&SOWS);
        assert!(a.set_score(0, 5).is_err());
        for i in 0..SOWS.items.len() {
            a.set_score(i, 4).expect("legal");
        }
        assert!(a.complete());
        assert_eq!(a.total(), 64);
    }

    #[test]
    fn its_own_lookup_and_not_the_withdrawal_scales_list() {
        for k in ["sows", "SOWS", " s-o_w.s "] {
            assert_eq!(by_key(k).map(|s| s.key), Some("sows"), "{k}");
        }
        for k in ["", "cows", "sow", "sows!"] {
            assert!(by_key(k).is_none(), "{k}");
        }
        assert!(scales::by_key("sows").is_none(), "SOWS stays out of scales::ALL");
        assert!(!scales::ALL.iter().any(|s| s.key == SOWS.key));
    }

    #[test]
    fn no_bands_are_invented() {
        assert!(band_presets().is_empty());
    }
}
