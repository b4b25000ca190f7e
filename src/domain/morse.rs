//! The Morse Fall Scale (Morse et al., Can J Aging 1989;8:366-77): REFERENCE.md §3a.
//!
//! Six items with the reference's options and points, total 0-125, as a [`Scale`] so that
//! [`Answers`] holds only legal choices. Band cut-offs "vary by institution (a common set: 0-24
//! low, 25-44 moderate, 45+ high): unit configuration" (REFERENCE.md §3a): [`MorseBands`].
//! Morse is not a withdrawal scale and is not in `scales::ALL`.
// TODO(clinical): REFERENCE.md §3a gives the items and options, not how each is assessed (asked,
// charted or observed); the items' `how` is empty and their question is the item's name.

use std::fmt;

use super::scale::{Answers, Choice, Item, Scale};

/// The highest total: 25 + 15 + 30 + 20 + 20 + 15 (REFERENCE.md §3a "Total 0-125").
pub const MAX: u16 = 125;

const fn item(key: &'static str, label: &'static str, choices: &'static [Choice]) -> Item {
    Item { key, label, how: "", question: label, choices }
}

/// The Morse Fall Scale: REFERENCE.md §3a's items, options and points, in its order.
pub static MORSE: Scale = Scale {
    key: "morse",
    name: "Morse",
    title: "Morse Fall Scale",
    items: &[
        // "history of falling (no 0, yes 25)"
        item("history", "history of falling", &[Choice::new(0, "no"), Choice::new(25, "yes")]),
        // "secondary diagnosis (no 0, yes 15)"
        item("secondary_dx", "secondary diagnosis", &[Choice::new(0, "no"), Choice::new(15, "yes")]),
        // "ambulatory aid (none / bed rest / nurse assist 0; crutches, cane, walker 15; furniture 30)"
        item(
            "aid",
            "ambulatory aid",
            &[
                Choice::new(0, "none / bed rest / nurse assist"),
                Choice::new(15, "crutches, cane, walker"),
                Choice::new(30, "furniture"),
            ],
        ),
        // "IV or heparin lock (no 0, yes 20)"
        item("iv", "IV or heparin lock", &[Choice::new(0, "no"), Choice::new(20, "yes")]),
        // "gait (normal / bed rest / wheelchair 0; weak 10; impaired 20)"
        item(
            "gait",
            "gait",
            &[Choice::new(0, "normal / bed rest / wheelchair"), Choice::new(10, "weak"), Choice::new(20, "impaired")],
        ),
        // "mental status (oriented to own ability 0; overestimates or forgets limitations 15)"
        item(
            "mental",
            "mental status",
            &[Choice::new(0, "oriented to own ability"), Choice::new(15, "overestimates or forgets limitations")],
        ),
    ],
};

/// The total of a complete Morse, `None` while an item is unanswered (never a partial sum).
pub fn total(answers: &Answers) -> Option<u16> {
    (answers.scale().key == MORSE.key && answers.complete()).then(|| answers.total())
}

/// One band: totals `min..=max` and the unit's name for it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MorseBand {
    pub min: u16,
    pub max: u16,
    pub label: String,
}

/// The unit's Morse bands: contiguous, covering 0-125 with no gap or overlap, each labelled.
/// Only [`MorseBands::new`] (which checks) and [`MorseBands::common_set`] make one.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "Unchecked")]
pub struct MorseBands {
    bands: Vec<MorseBand>,
}

/// A band set as read from the ward's policy, checked by [`MorseBands::new`] before use.
#[derive(serde::Deserialize)]
struct Unchecked {
    bands: Vec<MorseBand>,
}

impl TryFrom<Unchecked> for MorseBands {
    type Error = String;
    fn try_from(u: Unchecked) -> Result<Self, String> {
        MorseBands::new(u.bands)
    }
}

/// The `policy.scale` of the unit's Morse band set.
pub const MORSE_POLICY: &str = "morse";

impl MorseBands {
    /// REFERENCE.md §3a's "common set: 0-24 low, 25-44 moderate, 45+ high" (the unit may
    /// configure another).
    pub fn common_set() -> Self {
        let band = |min, max, label: &str| MorseBand { min, max, label: label.to_string() };
        MorseBands { bands: vec![band(0, 24, "low"), band(25, 44, "moderate"), band(45, MAX, "high")] }
    }

    /// A configured set, in ascending order; refused unless it starts at 0, each band starts one
    /// past the previous band's end, the last ends at 125, and every band is labelled (labels
    /// distinct).
    pub fn new(bands: Vec<MorseBand>) -> Result<Self, String> {
        let Some(first) = bands.first() else {
            return Err("Morse bands: no bands".to_string());
        };
        if first.min != 0 {
            return Err(format!("Morse bands: the first band must start at 0, not {}", first.min));
        }
        for b in &bands {
            if b.label.trim().is_empty() {
                return Err(format!("Morse bands: the band {}-{} has no label", b.min, b.max));
            }
            if b.min > b.max {
                return Err(format!("Morse bands: {:?} starts at {} after its end {}", b.label, b.min, b.max));
            }
        }
        for pair in bands.windows(2) {
            if let [a, b] = pair {
                if b.min <= a.max {
                    return Err(format!(
                        "Morse bands: {:?} ({}-{}) overlaps {:?} ({}-{})",
                        b.label, b.min, b.max, a.label, a.min, a.max
                    ));
                }
                if b.min != a.max + 1 {
                    return Err(format!("Morse bands: totals {}-{} are in no band", a.max + 1, b.min - 1));
                }
            }
        }
        for (i, b) in bands.iter().enumerate() {
            if bands[..i].iter().any(|o| o.label.trim().eq_ignore_ascii_case(b.label.trim())) {
                return Err(format!("Morse bands: the label {:?} is used twice", b.label));
            }
        }
        let last = bands.last().map_or(0, |b| b.max);
        if last != MAX {
            return Err(format!("Morse bands: the last band must end at {MAX}, not {last}"));
        }
        Ok(MorseBands { bands })
    }

    /// Parses "0-24 low, 25-44 moderate, 45-125 high" ("45+ high" also means 45-125), then
    /// checks it as [`MorseBands::new`] does.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut bands = Vec::new();
        for part in s.split(',').map(str::trim) {
            let (range, label) =
                part.split_once(' ').ok_or_else(|| format!("Morse bands: {part:?} is not \"MIN-MAX label\""))?;
            let num =
                |t: &str| t.trim().parse::<u16>().map_err(|_| format!("Morse bands: {t:?} in {part:?} is not a total"));
            let (min, max) = match range.strip_suffix('+') {
                Some(min) => (num(min)?, MAX),
                None => {
                    let (a, b) =
                        range.split_once('-').ok_or_else(|| format!("Morse bands: {range:?} is not MIN-MAX"))?;
                    (num(a)?, num(b)?)
                }
            };
            bands.push(MorseBand { min, max, label: label.trim().to_string() });
        }
        MorseBands::new(bands)
    }

    /// The bands in ascending order.
    pub fn bands(&self) -> &[MorseBand] {
        &self.bands
    }

    /// The band holding `total`; `None` for a total above 125 (no Morse has one).
    pub fn band_for(&self, total: u16) -> Option<&MorseBand> {
        self.bands.iter().find(|b| b.min <= total && total <= b.max)
    }
}

impl fmt::Display for MorseBands {
    /// "0-24 low, 25-44 moderate, 45-125 high" (what [`MorseBands::parse`] reads).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.bands.iter().map(|b| format!("{}-{} {}", b.min, b.max, b.label)).collect();
        f.write_str(&parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_items_with_the_references_points_max_125() {
        let points: Vec<(&str, Vec<u8>)> = MORSE.items.iter().map(|i| (i.label, i.legal_scores())).collect();
        assert_eq!(
            points,
            [
                ("history of falling", vec![0, 25]),
                ("secondary diagnosis", vec![0, 15]),
                ("ambulatory aid", vec![0, 15, 30]),
                ("IV or heparin lock", vec![0, 20]),
                ("gait", vec![0, 10, 20]),
                ("mental status", vec![0, 15]),
            ]
        );
        assert_eq!(MORSE.max(), MAX);
    }

    #[test]
    fn total_only_when_complete_and_illegal_points_refused() {
        let mut a = Answers::new(&MORSE);
        assert!(a.set_score(0, 15).is_err(), "history of falling is 0 or 25");
        assert!(a.set_score(4, 15).is_err(), "gait is 0, 10 or 20");
        a.set_score(0, 25).expect("legal");
        a.set_score(2, 30).expect("legal");
        assert_eq!(total(&a), None, "never a partial sum");
        for (i, s) in [(1, 0), (3, 20), (4, 10), (5, 15)] {
            a.set_score(i, s).expect("legal");
        }
        assert_eq!(total(&a), Some(100));
        let other = Answers::new(&crate::domain::scales::cows::COWS);
        assert_eq!(total(&other), None);
    }

    #[test]
    fn common_set_edges_and_one_past() {
        let b = MorseBands::common_set();
        let label = |t| b.band_for(t).map(|x| x.label.as_str());
        for (t, want) in [(0, "low"), (24, "low"), (25, "moderate"), (44, "moderate"), (45, "high"), (125, "high")] {
            assert_eq!(label(t), Some(want), "{t}");
        }
        assert_eq!(label(126), None);
        assert_eq!(MorseBands::new(b.bands().to_vec()), Ok(b.clone()), "the common set passes its own check");
        assert_eq!(b.to_string(), "0-24 low, 25-44 moderate, 45-125 high");
        assert_eq!(MorseBands::parse("0-24 low, 25-44 moderate, 45+ high"), Ok(b));
    }

    #[test]
    fn configured_sets_are_checked() {
        let band = |min, max, label: &str| MorseBand { min, max, label: label.to_string() };
        let two = MorseBands::new(vec![band(0, 50, "standard"), band(51, 125, "high")]).expect("a two-band unit");
        assert_eq!(two.band_for(51).map(|b| b.label.as_str()), Some("high"));
        let bad = [
            (vec![], "no bands"),
            (vec![band(1, 125, "all")], "start at 0"),
            (vec![band(0, 24, "low"), band(26, 125, "high")], "totals 25-25 are in no band"),
            (vec![band(0, 24, "low"), band(24, 125, "high")], "overlaps"),
            (vec![band(0, 124, "low")], "end at 125"),
            (vec![band(0, 130, "low")], "end at 125"),
            (vec![band(0, 24, " "), band(25, 125, "high")], "no label"),
            (vec![band(0, 24, "low"), band(25, 125, "Low")], "used twice"),
            (vec![band(0, 30, "low"), band(25, 20, "x"), band(21, 125, "high")], "after its end"),
        ];
        for (bands, why) in bad {
            let e = MorseBands::new(bands.clone()).expect_err(why);
            assert!(e.contains(why), "{bands:?}: {e}");
        }
        for bad in ["", "0-24", "0-x low", "low 0-24", "0-24 low; 25-125 high"] {
            assert!(MorseBands::parse(bad).is_err(), "{bad:?}");
        }
    }
}
