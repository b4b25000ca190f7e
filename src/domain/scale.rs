//! Withdrawal scales as DATA: items and their legal choices, answers, totals, severity bands,
//! and the command-line calculator (`wardterm score SCALE ITEM=VALUE...`).
//!
//! A [`Scale`] is static data defined in [`crate::domain::scales`]. [`Answers`] stores, per item,
//! the *position* of the chosen level, never a raw score, so an illegal score cannot be held
//! (REFERENCE.md §2 keyboard note: "Illegal values stay unrepresentable"); a score typed by the
//! nurse goes through [`Answers::set_score`], which refuses one the item does not have. Severity
//! bands are configuration ([`BandSet`]), not constants, because the sources disagree
//! (REFERENCE.md §1 and §3).

use std::collections::HashSet;
use std::fmt::{self, Write as _};
use std::sync::LazyLock;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use super::scales;

/// One level of an item: the score it is worth and the words the form prints beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    /// Points this level adds to the total.
    pub score: u8,
    /// Words printed beside the level; "" when the reference prints none (an unlabelled level).
    pub anchor: &'static str,
}

impl Choice {
    /// A choice worth `score`, labelled `anchor` ("" for an unlabelled level).
    pub const fn new(score: u8, anchor: &'static str) -> Self {
        Choice { score, anchor }
    }
}

/// Levels scored 0, 1, ..., N-1, one anchor each ("" for unlabelled): the dense scales.
pub(crate) const fn levels<const N: usize>(anchors: [&'static str; N]) -> [Choice; N] {
    assert!(N <= 256, "a score is a u8"); // evaluated at compile time: the scales are statics
    let mut out = [Choice::new(0, ""); N];
    let mut i = 0;
    while i < N {
        out[i] = Choice::new(i as u8, anchors[i]);
        i += 1;
    }
    out
}

/// One item of a scale with its legal choices, in ascending score order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    /// Stable short key (`tremor`), used in the database and on the command line.
    pub key: &'static str,
    /// What the form calls the item.
    pub label: &'static str,
    /// How it is rated: "observe", "ask + observe", "ask only ...".
    pub how: &'static str,
    /// What the nurse asks or does, in the form's own words (REFERENCE.md §1-3), shown on the
    /// scoring screen above the anchors.
    pub question: &'static str,
    /// The legal levels; a choice is picked by its position in this slice.
    pub choices: &'static [Choice],
}

impl Item {
    /// The highest score this item can give (0 for an item without choices).
    pub fn max(&self) -> u8 {
        self.choices.iter().map(|c| c.score).max().unwrap_or(0)
    }

    /// Every legal score, in choice order.
    pub fn legal_scores(&self) -> Vec<u8> {
        self.choices.iter().map(|c| c.score).collect()
    }

    /// The position of the choice worth `score`, if that score is legal for this item.
    pub fn position_of(&self, score: u8) -> Option<usize> {
        self.choices.iter().position(|c| c.score == score)
    }

    /// Legal scores written for people: `0-7` when dense, else `0, 1, 3, 5`.
    pub fn legal_text(&self) -> String {
        let scores = self.legal_scores();
        let dense = scores.iter().enumerate().all(|(i, &s)| usize::from(s) == i);
        match (dense, scores.last()) {
            (true, Some(last)) if scores.len() > 2 => format!("0-{last}"),
            _ => join(&scores),
        }
    }
}

/// A withdrawal scale: a fixed list of items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scale {
    /// Stable key: "ciwa-ar" | "cows" | "ciwa-b".
    pub key: &'static str,
    /// Display name: "CIWA-Ar".
    pub name: &'static str,
    /// Full title.
    pub title: &'static str,
    /// The items, in form order.
    pub items: &'static [Item],
}

impl Scale {
    /// The highest possible total: the sum of each item's highest choice.
    pub fn max(&self) -> u16 {
        self.items.iter().map(|i| u16::from(i.max())).sum()
    }

    /// The item with this key (case-insensitive) and its position.
    pub fn item(&self, key: &str) -> Option<(usize, &'static Item)> {
        let items: &'static [Item] = self.items;
        items.iter().enumerate().find(|(_, i)| i.key.eq_ignore_ascii_case(key.trim()))
    }

    /// The item keys, in form order.
    pub fn item_keys(&self) -> Vec<&'static str> {
        self.items.iter().map(|i| i.key).collect()
    }
}

/// The position of a chosen level within its item's `choices`; only [`Answers`] makes one,
/// after checking it against the item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChoiceIdx(usize);

impl ChoiceIdx {
    /// The position in the item's `choices`.
    pub fn position(self) -> usize {
        self.0
    }
}

/// The answers of one assessment in progress: per item, the chosen position or nothing yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answers {
    scale: &'static Scale,
    picks: Vec<Option<ChoiceIdx>>,
}

impl Answers {
    /// No item answered yet.
    pub fn new(scale: &'static Scale) -> Self {
        Answers { scale, picks: vec![None; scale.items.len()] }
    }

    /// Answers from `(item key, score)` pairs; unknown items, illegal scores and an item given
    /// twice are errors.
    pub fn from_scores(scale: &'static Scale, scores: &[(&str, u8)]) -> Result<Self, ScaleError> {
        let mut answers = Answers::new(scale);
        for &(key, score) in scores {
            let idx = answers.index_of(key)?;
            if answers.pick(idx).is_some() {
                return Err(ScaleError::DuplicateItem { scale: scale.name, item: scale.items[idx].key });
            }
            answers.set_score(idx, score)?;
        }
        Ok(answers)
    }

    /// The scale these answers belong to.
    pub fn scale(&self) -> &'static Scale {
        self.scale
    }

    /// Choose the level at `position` for item `item`; refuses positions the item does not have.
    pub fn set(&mut self, item: usize, position: usize) -> Result<(), ScaleError> {
        let it = self.item_at(item)?;
        if position >= it.choices.len() {
            return Err(ScaleError::NoSuchChoice {
                scale: self.scale.name,
                item: it.key,
                position,
                count: it.choices.len(),
            });
        }
        if let Some(slot) = self.picks.get_mut(item) {
            *slot = Some(ChoiceIdx(position));
        }
        Ok(())
    }

    /// Choose the level worth `score` for item `item`; refuses a score the item does not have.
    pub fn set_score(&mut self, item: usize, score: u8) -> Result<(), ScaleError> {
        let it = self.item_at(item)?;
        let position = it.position_of(score).ok_or_else(|| ScaleError::IllegalScore {
            scale: self.scale.name,
            item: it.key,
            score,
            legal: it.legal_scores(),
        })?;
        self.set(item, position)
    }

    /// Forget the answer to item `item` (no effect for an item the scale does not have).
    pub fn clear(&mut self, item: usize) {
        if let Some(slot) = self.picks.get_mut(item) {
            *slot = None;
        }
    }

    /// The chosen position for item `item`, if answered.
    pub fn pick(&self, item: usize) -> Option<usize> {
        self.picks.get(item).copied().flatten().map(ChoiceIdx::position)
    }

    /// The score of item `item`, if answered.
    pub fn score(&self, item: usize) -> Option<u8> {
        let position = self.pick(item)?;
        let it = self.scale.items.get(item)?;
        it.choices.get(position).map(|c| c.score)
    }

    /// Every item's score in form order (`None` = unanswered).
    pub fn scores(&self) -> Vec<Option<u8>> {
        (0..self.picks.len()).map(|i| self.score(i)).collect()
    }

    /// The sum of the answered items (a partial total until [`Answers::complete`]).
    pub fn total(&self) -> u16 {
        self.scores().into_iter().flatten().fold(0u16, |sum, s| sum.saturating_add(u16::from(s)))
    }

    /// True when every item has an answer.
    pub fn complete(&self) -> bool {
        self.picks.iter().all(Option::is_some)
    }

    /// Positions of the items still unanswered.
    pub fn unanswered(&self) -> Vec<usize> {
        (0..self.picks.len()).filter(|&i| self.pick(i).is_none()).collect()
    }

    fn item_at(&self, item: usize) -> Result<&'static Item, ScaleError> {
        let items: &'static [Item] = self.scale.items;
        items.get(item).ok_or(ScaleError::NoSuchItemIndex { scale: self.scale.name, index: item, count: items.len() })
    }

    fn index_of(&self, key: &str) -> Result<usize, ScaleError> {
        self.scale.item(key).map(|(i, _)| i).ok_or_else(|| ScaleError::UnknownItem {
            scale: self.scale.name,
            given: key.to_string(),
            items: self.scale.item_keys(),
        })
    }
}

/// Why a scale, item or score was refused; the message names what is legal instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScaleError {
    /// No scale has this key or name.
    UnknownScale {
        /// What was asked for.
        given: String,
    },
    /// The scale has no item with this key.
    UnknownItem {
        /// Scale display name.
        scale: &'static str,
        /// What was asked for.
        given: String,
        /// The scale's item keys.
        items: Vec<&'static str>,
    },
    /// The scale has no item at this position.
    NoSuchItemIndex {
        /// Scale display name.
        scale: &'static str,
        /// The position asked for.
        index: usize,
        /// How many items the scale has.
        count: usize,
    },
    /// The item has no choice worth this score.
    IllegalScore {
        /// Scale display name.
        scale: &'static str,
        /// Item key.
        item: &'static str,
        /// The refused score.
        score: u8,
        /// The item's legal scores.
        legal: Vec<u8>,
    },
    /// The item has no choice at this position.
    NoSuchChoice {
        /// Scale display name.
        scale: &'static str,
        /// Item key.
        item: &'static str,
        /// The refused position.
        position: usize,
        /// How many choices the item has.
        count: usize,
    },
    /// A command-line `ITEM=SCORE` that does not parse.
    BadAssignment {
        /// The argument as given.
        given: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The same item was given twice.
    DuplicateItem {
        /// Scale display name.
        scale: &'static str,
        /// Item key.
        item: &'static str,
    },
    /// An explicit COWS `pulse=N` disagrees with the score derived from `--hr`.
    PulseConflict {
        /// The explicit pulse score.
        pulse: u8,
        /// The heart rate given.
        hr: u16,
        /// The pulse score that heart rate gives.
        derived: u8,
    },
    /// `--hr` was given for a scale that has no pulse item.
    HrNotApplicable {
        /// Scale display name.
        scale: &'static str,
    },
    /// `--hr` outside the range a nurse's screen accepts ([`super::vitals::HR_RANGE`]).
    HrImplausible {
        /// The heart rate given.
        hr: u16,
    },
    /// `--bands NAME` names no band set of the scale.
    UnknownBands {
        /// Scale display name.
        scale: &'static str,
        /// What was asked for.
        given: String,
        /// The scale's band sets.
        names: Vec<String>,
    },
}

impl fmt::Display for ScaleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScaleError::UnknownScale { given } => {
                let keys: Vec<&str> = scales::ALL.iter().map(|s| s.key).collect();
                write!(f, "unknown scale {given:?}; scales: {}", keys.join(", "))
            }
            ScaleError::UnknownItem { scale, given, items } => {
                write!(f, "unknown item {given:?} for {scale}; items: {}", items.join(", "))
            }
            ScaleError::NoSuchItemIndex { scale, index, count } => {
                write!(f, "{scale} has no item number {index}; items are numbered 0-{}", count.saturating_sub(1))
            }
            ScaleError::IllegalScore { scale, item, score, legal } => {
                write!(f, "{scale} item {item:?} has no score {score}; legal scores: {}", join(legal))
            }
            ScaleError::NoSuchChoice { scale, item, position, count } => write!(
                f,
                "{scale} item {item:?} has no choice at position {position}; positions are 0-{}",
                count.saturating_sub(1)
            ),
            ScaleError::BadAssignment { given, problem } => {
                write!(f, "bad assignment {given:?}: {problem}")
            }
            ScaleError::DuplicateItem { scale, item } => {
                write!(f, "{scale} item {item:?} is given more than once")
            }
            ScaleError::PulseConflict { pulse, hr, derived } => write!(
                f,
                "pulse={pulse} disagrees with --hr {hr}, which scores pulse {derived}; \
                 give one or the other"
            ),
            ScaleError::HrImplausible { hr } => {
                let (lo, hi) = super::vitals::HR_RANGE;
                write!(f, "--hr {hr}: a heart rate must be {lo}-{hi} beats/min (check the reading)")
            }
            ScaleError::UnknownBands { scale, given, names } => {
                write!(f, "{scale} has no band set {given:?}; band sets: {}", names.join(" | "))
            }
            ScaleError::HrNotApplicable { scale } => write!(
                f,
                "--hr derives the COWS pulse item; {scale} has no pulse item \
                 (record heart rate with the vitals instead)"
            ),
        }
    }
}

impl std::error::Error for ScaleError {}

/// One severity band: totals from `min` up to the next band's `min`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    /// Lowest total in the band.
    pub min: u16,
    /// What the band is called ("moderate").
    pub label: String,
    /// True for bands shown in the alarm colour.
    pub severe: bool,
}

impl Band {
    /// A band starting at `min`.
    pub fn new(min: u16, label: &str, severe: bool) -> Self {
        Band { min, label: label.to_string(), severe }
    }
}

/// A named set of bands, as the ward stores it (versioned) in its database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BandSet {
    /// Where the set comes from ("VA PAWS / CamCOPS").
    pub name: String,
    /// Bands in ascending `min`, the first starting at 0.
    pub bands: Vec<Band>,
}

/// What [`BandSet::band_for`] returns for a set with no bands (which `validate` refuses).
static UNBANDED: LazyLock<Band> = LazyLock::new(|| Band::new(0, "no bands configured", false));

impl BandSet {
    /// The band holding `total`: the highest band whose `min <= total` (the lowest band if the
    /// set does not start at 0; a placeholder if the set is empty).
    pub fn band_for(&self, total: u16) -> &Band {
        self.bands
            .iter()
            .filter(|b| b.min <= total)
            .max_by_key(|b| b.min)
            .or_else(|| self.bands.iter().min_by_key(|b| b.min))
            .unwrap_or(&UNBANDED)
    }

    /// Checks the set is usable: a name, at least one band, the first at 0, mins strictly
    /// ascending, every band labelled.
    pub fn validate(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("band set has no name".to_string());
        }
        let Some(first) = self.bands.first() else {
            return Err(format!("band set {:?} has no bands", self.name));
        };
        if first.min != 0 {
            return Err(format!("band set {:?}: the first band must start at 0, not {}", self.name, first.min));
        }
        for pair in self.bands.windows(2) {
            if let [a, b] = pair
                && b.min <= a.min
            {
                return Err(format!(
                    "band set {:?}: bands must ascend, but {:?} (from {}) follows {:?} (from {})",
                    self.name, b.label, b.min, a.label, a.min
                ));
            }
        }
        if let Some(b) = self.bands.iter().find(|b| b.label.trim().is_empty()) {
            return Err(format!("band set {:?}: the band from {} has no label", self.name, b.min));
        }
        Ok(())
    }
}

/// The shipped default band set of a scale (the first of [`band_presets`]); for an unknown
/// scale, a single unlabelled-severity band so callers never fail.
pub fn default_bands(scale_key: &str) -> BandSet {
    band_presets(scale_key)
        .into_iter()
        .next()
        .unwrap_or_else(|| BandSet { name: "none".to_string(), bands: vec![Band::new(0, "unbanded", false)] })
}

/// The band sets the reference names for a scale, default first (empty for an unknown scale).
pub fn band_presets(scale_key: &str) -> Vec<BandSet> {
    match scales::by_key(scale_key).map(|s| s.key) {
        Some(k) if k == scales::ciwa_ar::CIWA_AR.key => scales::ciwa_ar::band_presets(),
        Some(k) if k == scales::cows::COWS.key => scales::cows::band_presets(),
        Some(k) if k == scales::ciwa_b::CIWA_B.key => scales::ciwa_b::band_presets(),
        _ => Vec::new(),
    }
}

/// Item scores in form order; serialises as a JSON object `{"nausea": 3, "tremor": null}`
/// that keeps that order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemScores(pub Vec<(String, Option<u8>)>);

impl Serialize for ItemScores {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, score) in &self.0 {
            map.serialize_entry(key, score)?;
        }
        map.end()
    }
}

/// The result of scoring one set of answers, for the `score` command (text or `--json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScoreReport {
    /// Scale key.
    pub scale: String,
    /// Sum of the answered items.
    pub total: u16,
    /// Highest possible total.
    pub max: u16,
    /// Label of the band holding `total`; `None` while any item is unanswered (an incomplete
    /// score has no band: issue 14, point 7) or if the band set is empty.
    pub band: Option<String>,
    /// The name of the band set that banded it ("VA PAWS / CamCOPS"): bands are unit
    /// configuration, so the set is always named.
    pub band_set: String,
    /// True when every item is answered; only then is `total` final.
    pub complete: bool,
    /// The keys of the items still unanswered, in form order.
    pub unanswered: Vec<String>,
    /// Each item's score in form order (`null` = unanswered).
    pub items: ItemScores,
}

impl ScoreReport {
    /// The report for `answers`, banded by `bands`.
    pub fn from_answers(answers: &Answers, bands: &BandSet) -> Self {
        let scale = answers.scale();
        let total = answers.total();
        let complete = answers.complete();
        ScoreReport {
            scale: scale.key.to_string(),
            total,
            max: scale.max(),
            band: (complete && !bands.bands.is_empty()).then(|| bands.band_for(total).label.clone()),
            band_set: bands.name.clone(),
            complete,
            unanswered: answers.unanswered().into_iter().map(|i| scale.items[i].key.to_string()).collect(),
            items: ItemScores(
                scale.items.iter().zip(answers.scores()).map(|(item, score)| (item.key.to_string(), score)).collect(),
            ),
        }
    }

    /// The human-readable report: one line per item, then the total line, which says "Final"
    /// only when every item is answered.
    pub fn text(&self) -> String {
        let scale = scales::by_key(&self.scale);
        let mut out = String::new();
        if let Some(s) = scale {
            let _ = writeln!(out, "{} ({})", s.name, s.title);
        }
        let key_w = self.items.0.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        let item_of = |key: &str| scale.and_then(|s| s.item(key)).map(|(_, it)| it);
        let label_w =
            self.items.0.iter().map(|(k, _)| item_of(k).map_or(0, |it| it.label.chars().count())).max().unwrap_or(0);
        for (key, score) in &self.items.0 {
            let item = item_of(key);
            let label = item.map_or("", |it| it.label);
            let value = match (score, item) {
                (Some(s), Some(it)) => format!("{s}/{}", it.max()),
                (Some(s), None) => s.to_string(),
                (None, _) => "- (unanswered)".to_string(),
            };
            let _ = writeln!(out, "  {key:<key_w$}  {label:<label_w$}  {value}");
        }
        let band = self.band.as_deref().map(|b| format!(" — {b} (band set: {})", self.band_set)).unwrap_or_default();
        let missing = self.unanswered.len();
        if self.complete {
            let _ = writeln!(out, "Final total {}/{}{band}", self.total, self.max);
        } else {
            // An incomplete score has no band: a partial total is not a severity.
            let noun = if missing == 1 { "item" } else { "items" };
            let _ = writeln!(
                out,
                "Partial total {}/{}, no band (incomplete: {missing} {noun} unanswered: {})",
                self.total,
                self.max,
                self.unanswered.join(", ")
            );
        }
        out
    }
}

/// Parses a command-line `ITEM=SCORE` ("tremor=4") into the item key and the score.
pub fn parse_assignment(s: &str) -> Result<(String, u8), ScaleError> {
    let bad = |problem: String| ScaleError::BadAssignment { given: s.to_string(), problem };
    let Some((key, value)) = s.split_once('=') else {
        return Err(bad("missing '='; write ITEM=SCORE, for example tremor=4".to_string()));
    };
    let (key, value) = (key.trim(), value.trim());
    if key.is_empty() {
        return Err(bad("no item name before '='".to_string()));
    }
    if value.is_empty() {
        return Err(bad(format!("no score after '{key}='")));
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(format!("{value:?} is not a whole number")));
    }
    let score = value.parse::<u8>().map_err(|_| bad(format!("{value} is too large for any item")))?;
    Ok((key.to_string(), score))
}

/// Scores `ITEM=SCORE` assignments on the scale `scale_key`; for COWS, `hr` (beats per minute)
/// derives the pulse item. Unknown scales or items, illegal scores, an item given twice, `hr`
/// for a scale without a pulse item, and a `pulse=` that disagrees with `hr` are errors.
/// `bands` names one of the scale's band sets ([`band_presets`]); `None` takes the default.
pub fn calculate(
    scale_key: &str,
    assignments: &[String],
    hr: Option<u16>,
    bands: Option<&str>,
) -> Result<ScoreReport, ScaleError> {
    let scale = scales::by_key(scale_key).ok_or_else(|| ScaleError::UnknownScale { given: scale_key.to_string() })?;
    let band_set = match bands {
        None => default_bands(scale.key),
        Some(name) => {
            let presets = band_presets(scale.key);
            presets.iter().find(|b| b.name.eq_ignore_ascii_case(name.trim())).cloned().ok_or_else(|| {
                ScaleError::UnknownBands {
                    scale: scale.name,
                    given: name.to_string(),
                    names: presets.iter().map(|b| b.name.clone()).collect(),
                }
            })?
        }
    };
    if let Some(hr) = hr {
        // One range for the calculator and the nurse's screen (domain/vitals.rs).
        let (lo, hi) = super::vitals::HR_RANGE;
        if !(lo..=hi).contains(&hr) {
            return Err(ScaleError::HrImplausible { hr });
        }
    }
    let pulse_item = scales::cows::pulse_item(scale);
    if hr.is_some() && pulse_item.is_none() {
        return Err(ScaleError::HrNotApplicable { scale: scale.name });
    }
    let mut answers = Answers::new(scale);
    let mut seen = HashSet::new();
    for raw in assignments {
        let (key, score) = parse_assignment(raw)?;
        let idx = answers.index_of(&key)?;
        if !seen.insert(idx) {
            return Err(ScaleError::DuplicateItem { scale: scale.name, item: scale.items[idx].key });
        }
        answers.set_score(idx, score)?;
    }
    if let (Some(hr), Some(idx)) = (hr, pulse_item) {
        let derived = scales::cows::pulse_score_for_hr(hr);
        match answers.score(idx) {
            Some(pulse) if pulse != derived => {
                return Err(ScaleError::PulseConflict { pulse, hr, derived });
            }
            _ => answers.set_score(idx, derived)?,
        }
    }
    Ok(ScoreReport::from_answers(&answers, &band_set))
}

/// Describes every scale for `wardterm score --list`: name, key, maximum, default bands, and
/// each item's key, legal scores and label.
pub fn list_text() -> String {
    let mut out = String::new();
    for (n, scale) in scales::ALL.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "{} (key {}): {}; {} items, max {}",
            scale.name,
            scale.key,
            scale.title,
            scale.items.len(),
            scale.max()
        );
        let _ = writeln!(out, "  bands (default): {}", bands_text(&default_bands(scale.key)));
        let key_w = scale.items.iter().map(|i| i.key.len()).max().unwrap_or(0);
        let legal: Vec<String> = scale.items.iter().map(Item::legal_text).collect();
        let legal_w = legal.iter().map(String::len).max().unwrap_or(0);
        for (item, legal) in scale.items.iter().zip(&legal) {
            let _ = writeln!(out, "  {:<key_w$}  {legal:<legal_w$}  {}", item.key, item.label);
        }
        if scale.key == scales::cows::COWS.key {
            let _ = writeln!(out, "  {}", scales::cows::HR_RULE_TEXT);
        }
    }
    out
}

/// "0-7 minimal · 8-14 moderate · 15+ severe".
fn bands_text(set: &BandSet) -> String {
    let mut parts = Vec::new();
    for (i, band) in set.bands.iter().enumerate() {
        let range = match set.bands.get(i + 1).map(|next| next.min.saturating_sub(1)) {
            Some(end) if end > band.min => format!("{}-{end}", band.min),
            Some(_) => band.min.to_string(),
            None => format!("{}+", band.min),
        };
        parts.push(format!("{range} {}", band.label));
    }
    parts.join(" · ")
}

fn join(scores: &[u8]) -> String {
    scores.iter().map(u8::to_string).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scales::{ciwa_ar::CIWA_AR, cows::COWS};

    #[test]
    fn illegal_score_message_names_item_and_legal_values() {
        let mut a = Answers::new(&COWS);
        let (idx, _) = COWS.item("restlessness").expect("item");
        let err = a.set_score(idx, 2).expect_err("2 is not legal");
        assert_eq!(err.to_string(), r#"COWS item "restlessness" has no score 2; legal scores: 0, 1, 3, 5"#);
    }

    #[test]
    fn unknown_item_and_scale_messages_list_what_exists() {
        let err = Answers::from_scores(&CIWA_AR, &[("foo", 1)]).expect_err("no foo");
        assert!(err.to_string().starts_with(r#"unknown item "foo" for CIWA-Ar; items: nausea, tremor, "#));
        let err = calculate("x", &[], None, None).expect_err("no scale x");
        assert_eq!(err.to_string(), r#"unknown scale "x"; scales: ciwa-ar, cows, ciwa-b"#);
    }

    #[test]
    fn band_for_picks_highest_band_at_or_below_total() {
        let set = default_bands("ciwa-ar");
        assert_eq!(set.band_for(0).label, "minimal");
        assert_eq!(set.band_for(7).label, "minimal");
        assert_eq!(set.band_for(8).label, "moderate");
        assert_eq!(set.band_for(15).label, "severe");
        let empty = BandSet { name: "x".into(), bands: vec![] };
        assert!(empty.validate().is_err());
        assert_eq!(empty.band_for(3).min, 0);
    }

    #[test]
    fn legal_text_is_a_range_when_dense() {
        assert_eq!(CIWA_AR.items[0].legal_text(), "0-7");
        assert_eq!(COWS.items[0].legal_text(), "0, 1, 2, 4");
    }
}
