//! The withdrawal-scoring screen: one item per row, the anchors of the selected item on screen,
//! vitals, live total and band, and the protocol's answer after saving.
//!
//! Digits are scores (REFERENCE.md §2 keyboard note, revised): the nurse types the score she reads
//! on the form, so `3` on COWS restlessness records 3 points. A digit that is not a legal score
//! for the item (`2` on restlessness, `4` on gooseflesh, `5`-`9` on CIWA-Ar orientation) is
//! refused on the spot with the item's legal scores shown, and nothing changes. ←/→ step through
//! the legal choices. The focused item's question and every anchor are shown in full, wrapped,
//! in the form's own words (REFERENCE.md §1-3).
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::domain::assessment::{NewAssessment, Outcome};
use crate::domain::census::CensusRow;
use crate::domain::census::LastScore;
use crate::domain::scale::{Answers, BandSet, Item, Scale, default_bands};
use crate::domain::scales::cows;
use crate::domain::stay::parse_event_time;
use crate::domain::text::inert;
use crate::domain::time::local_short;
use crate::domain::time::{TimeEcho, TimeRule, time_echo};
use crate::domain::vitals::{TempUnit, Vitals};
use crate::tui::app::Screen;
use crate::tui::component::{Cmd, Ctx, Done, View, Write};
use crate::tui::keymap::{Binding, DIGITS, Hints, Key, hints, lookup};
use crate::tui::screens::dialog::{Dialog, DialogKind};
use crate::tui::screens::history::HistoryScreen;
use crate::tui::screens::risk_screen::{Beside, RiskPatient, RiskScreen};
use crate::tui::screens::{scoring_forms, stay_forms};
use crate::tui::theme;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoringAction {
    PrevItem,
    NextItem,
    Lower,
    Higher,
    Pick,
    Clear,
    NextField,
    PrevField,
    Save,
    Unable,
    Prn,
    OverridePulse,
    ChangeScale,
    History,
    Help,
    Back,
    /// After a save: a RASS, or beside a COWS a SOWS, linked to the saved score.
    RassBeside,
    SowsBeside,
}

/// Keys of the whole screen (they work in every field).
#[rustfmt::skip]
pub static KEYS: &[Binding<ScoringAction>] = &[
    Binding::foot(&[Key::ctrl('s')],               ScoringAction::Save,          "save",           "Save the assessment (every item answered), or with Ctrl-U an unable-to-assess"),
    Binding::foot(&[Key::plain(KeyCode::Tab)],     ScoringAction::NextField,     "vitals/time",    "Next field: items, then each vital, then the time taken"),
    Binding::help(&[Key::plain(KeyCode::BackTab)], ScoringAction::PrevField,     "back",           "Previous field"),
    Binding::foot(&[Key::ctrl('u')],               ScoringAction::Unable,        "unable",         "Record 'unable to assess' (asleep, sedated, delirious, refused, off unit) with a reason"),
    Binding::help(&[Key::ctrl('p')],               ScoringAction::Prn,           "PRN",            "The patient's PRN orders: available now given the score, or why not; give one"),
    Binding::help(&[Key::ctrl('o')],               ScoringAction::OverridePulse, "override pulse", "COWS: override the pulse item derived from the heart rate (a reason is required)"),
    Binding::help(&[Key::ctrl('t')],               ScoringAction::ChangeScale,   "scale",          "Score with another scale (CIWA-Ar, COWS, CIWA-B)"),
    Binding::help(&[Key::ctrl('r')],               ScoringAction::History,       "trend",          "Trend chart and past assessments of this stay"),
    Binding::foot(&[Key::plain(KeyCode::F(1))],    ScoringAction::Help,          "help",           "Show every key of this screen (also ? on the items)"),
    Binding::foot(&[Key::plain(KeyCode::Esc)],     ScoringAction::Back,          "back",           "Back to the census (twice to discard unsaved scores)"),
];

/// Keys in a vital or the time taken: Enter moves on, so the footer says so (issue 20, point 11).
#[rustfmt::skip]
pub static FIELD_KEYS: &[Binding<ScoringAction>] = &[
    Binding::foot(&[Key::plain(KeyCode::Enter)], ScoringAction::NextField, "next field", "Next vital, then the time taken, then back to the items"),
];

/// Keys on the item list.
#[rustfmt::skip]
pub static ITEM_KEYS: &[Binding<ScoringAction>] = &[
    Binding::help(&[Key::plain(KeyCode::Up), Key::ch('k')],    ScoringAction::PrevItem, "item",   "Previous item"),
    Binding::help(&[Key::plain(KeyCode::Down), Key::ch('j')],  ScoringAction::NextItem, "item",   "Next item"),
    Binding::help(&[Key::plain(KeyCode::Left), Key::ch('h')],  ScoringAction::Lower,    "lower",  "Step down to the next lower legal score"),
    Binding::help(&[Key::plain(KeyCode::Right), Key::ch('l')], ScoringAction::Higher,   "higher", "Step up to the next higher legal score"),
    Binding::help(DIGITS,                                      ScoringAction::Pick,     "score",  "Type the score itself (COWS: only the item's legal scores, e.g. restlessness 0, 1, 3, 5; \
               any other digit is refused and nothing changes), then go to the next item"),
    Binding::help(&[Key::plain(KeyCode::Backspace), Key::plain(KeyCode::Delete)], ScoringAction::Clear, "clear", "Clear the item's answer"),
    Binding::help(&[Key::ch('?')],                             ScoringAction::Help,     "help",   "Show every key of this screen"),
    Binding::help(&[Key::ch('r')],                             ScoringAction::RassBeside, "RASS", "After a save: record a RASS with that score (e.g. when unable to assess: sedated, delirious)"),
    Binding::help(&[Key::ch('s')],                             ScoringAction::SowsBeside, "SOWS", "After a saved COWS: record a SOWS beside it (its own series)"),
];

/// What the screen asks the app to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoringEffect {
    None,
    Save,
    Unable,
    Prn,
    OverridePulse,
    ChangeScale,
    History,
    Help,
    Back,
}

/// Where the keyboard is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Items,
    /// 0 temp, 1 HR, 2 systolic, 3 diastolic, 4 RR, 5 SpO2.
    Vital(usize),
    Taken,
}

/// The longest vital or time the nurse can type, in characters.
const MAX_FIELD: usize = 20;

const VITAL_LABELS: [&str; 6] = ["T", "HR", "BP", "/", "RR", "SpO2"];
const VITAL_WIDTHS: [usize; 6] = [5, 3, 3, 3, 2, 3];

/// The patient being scored, as the census knows them.
#[derive(Clone, Debug, PartialEq)]
pub struct Patient {
    pub stay_id: i64,
    pub patient_id: i64,
    pub bed: String,
    pub name: String,
    pub allergies: String,
    pub last: Option<LastScore>,
}

#[derive(Clone, Debug)]
pub struct ScoringScreen {
    pub patient: Patient,
    pub answers: Answers,
    pub bands: BandSet,
    pub item: usize,
    pub focus: Focus,
    pub vitals: [String; 6],
    pub taken: String,
    /// Why the COWS pulse item was set by hand instead of from the heart rate.
    pub pulse_override: Option<String>,
    pub temp_unit: TempUnit,
    pub error: Option<String>,
    /// Esc was pressed once over unsaved input.
    pub discard_armed: bool,
    /// The protocol's answer to the last save, shown until the next edit.
    pub saved: Option<Vec<String>>,
    /// The last saved score (and its scale key), which a RASS or SOWS can be recorded beside.
    pub beside: Option<(Beside, String)>,
}

impl ScoringScreen {
    pub fn new(patient: Patient, scale: &'static Scale, bands: BandSet, temp_unit: TempUnit) -> ScoringScreen {
        ScoringScreen {
            patient,
            answers: Answers::new(scale),
            bands,
            item: 0,
            focus: Focus::Items,
            vitals: Default::default(),
            taken: String::new(),
            pulse_override: None,
            temp_unit,
            error: None,
            discard_armed: false,
            saved: None,
            beside: None,
        }
    }

    pub fn scale(&self) -> &'static Scale {
        self.answers.scale()
    }

    /// Start again on another scale (answers do not carry over; vitals and time do).
    pub fn set_scale(&mut self, scale: &'static Scale, bands: BandSet) {
        self.answers = Answers::new(scale);
        self.bands = bands;
        self.item = 0;
        self.pulse_override = None;
        self.derive_pulse();
    }

    pub fn has_input(&self) -> bool {
        self.answers.scores().iter().any(Option::is_some)
            || self.vitals.iter().any(|v| !v.is_empty())
            || !self.taken.is_empty()
    }

    fn pulse_item(&self) -> Option<usize> {
        cows::pulse_item(self.scale())
    }

    /// COWS item 1 comes from the measured heart rate (REFERENCE.md section 2), unless overridden.
    fn derive_pulse(&mut self) {
        let Some(i) = self.pulse_item() else { return };
        if self.pulse_override.is_some() {
            return;
        }
        match cows::pulse_position_for_typed_hr(&self.vitals[1]) {
            Some(position) => {
                let _ = self.answers.set(i, position);
            }
            None => self.answers.clear(i),
        }
    }

    /// The keys in force where the keyboard is, for the footer and help.
    pub fn tables(&self) -> Vec<&'static [Binding<ScoringAction>]> {
        match self.focus {
            Focus::Items => vec![KEYS, ITEM_KEYS],
            _ => vec![FIELD_KEYS, KEYS],
        }
    }

    pub fn handle(&mut self, k: &KeyEvent) -> ScoringEffect {
        self.error = None;
        let on_items = self.focus == Focus::Items;
        let action =
            lookup(KEYS, k, |_| true).or_else(|| lookup(if on_items { ITEM_KEYS } else { FIELD_KEYS }, k, |_| true));
        if action != Some(ScoringAction::Back) {
            self.discard_armed = false;
        }
        let n = self.scale().items.len();
        match action {
            Some(ScoringAction::Save) => return ScoringEffect::Save,
            Some(ScoringAction::Unable) => return ScoringEffect::Unable,
            Some(ScoringAction::Prn) => return ScoringEffect::Prn,
            Some(ScoringAction::OverridePulse) => {
                return if self.pulse_item().is_some() {
                    ScoringEffect::OverridePulse
                } else {
                    self.error = Some("Only the COWS pulse item is derived (from the heart rate).".into());
                    ScoringEffect::None
                };
            }
            Some(ScoringAction::ChangeScale) => return ScoringEffect::ChangeScale,
            Some(ScoringAction::History) => return ScoringEffect::History,
            Some(ScoringAction::Help) => return ScoringEffect::Help,
            Some(ScoringAction::Back) => {
                if self.has_input() && self.saved.is_none() && !self.discard_armed {
                    self.discard_armed = true;
                    self.error = Some("Unsaved scores: press Esc again to discard them, or Ctrl-S to save.".into());
                    return ScoringEffect::None;
                }
                return ScoringEffect::Back;
            }
            Some(ScoringAction::NextField) => {
                self.focus = match self.focus {
                    Focus::Items => Focus::Vital(0),
                    Focus::Vital(5) => Focus::Taken,
                    Focus::Vital(i) => Focus::Vital(i + 1),
                    Focus::Taken => Focus::Items,
                };
                // Leaving the heart rate settles the COWS pulse item from it.
                self.derive_pulse();
            }
            Some(ScoringAction::PrevField) => {
                self.focus = match self.focus {
                    Focus::Items => Focus::Taken,
                    Focus::Vital(0) => Focus::Items,
                    Focus::Vital(i) => Focus::Vital(i - 1),
                    Focus::Taken => Focus::Vital(5),
                };
            }
            Some(ScoringAction::PrevItem) => self.item = (self.item + n - 1) % n,
            Some(ScoringAction::NextItem) => self.item = (self.item + 1) % n,
            Some(a @ (ScoringAction::Lower | ScoringAction::Higher | ScoringAction::Pick | ScoringAction::Clear)) => {
                self.saved = None;
                if Some(self.item) == self.pulse_item() && self.pulse_override.is_none() {
                    self.error = Some("The COWS pulse item comes from the heart rate (Tab to HR). To set it by hand, Ctrl-O and give a reason.".into());
                    return ScoringEffect::None;
                }
                let choices = self.scale().items[self.item].choices.len();
                let current = self.answers.pick(self.item);
                match a {
                    ScoringAction::Lower => {
                        let _ = self.answers.set(self.item, current.map_or(0, |p| p.saturating_sub(1)));
                    }
                    ScoringAction::Higher => {
                        let _ = self.answers.set(self.item, current.map_or(0, |p| (p + 1).min(choices - 1)));
                    }
                    ScoringAction::Clear => self.answers.clear(self.item),
                    _ => self.type_score(k),
                }
            }
            Some(ScoringAction::RassBeside | ScoringAction::SowsBeside) => {
                self.error =
                    Some("Save the score first: then r records a RASS with it (s a SOWS beside a COWS).".into());
            }
            None => self.edit_field(k),
        }
        ScoringEffect::None
    }

    /// A digit on the item list: that digit is the score. Refused, with the item's legal
    /// scores named and the answers untouched, when the item has no such score.
    fn type_score(&mut self, k: &KeyEvent) {
        let n = self.scale().items.len();
        let item = &self.scale().items[self.item];
        let Some(score) = (match k.code {
            KeyCode::Char(c) => c.to_digit(10).and_then(|d| u8::try_from(d).ok()),
            _ => None,
        }) else {
            return;
        };
        match self.answers.set_score(self.item, score) {
            Ok(()) => self.item = (self.item + 1).min(n - 1),
            Err(_) => self.error = Some(refusal(item, score)),
        }
    }

    /// A paste into the focused vital or time (the one line editor's rule); on the items it
    /// means nothing, so nothing changes.
    pub fn paste(&mut self, text: &str) {
        let field = match self.focus {
            Focus::Items => return,
            Focus::Vital(i) => &mut self.vitals[i],
            Focus::Taken => &mut self.taken,
        };
        crate::tui::widgets::line_input::paste(field, text, MAX_FIELD);
        self.saved = None;
        self.error = None;
        self.discard_armed = false;
        self.derive_pulse();
    }

    fn edit_field(&mut self, k: &KeyEvent) {
        let field = match self.focus {
            Focus::Items => return,
            Focus::Vital(i) => &mut self.vitals[i],
            Focus::Taken => &mut self.taken,
        };
        if !crate::tui::widgets::line_input::edit(field, k, MAX_FIELD) {
            return;
        }
        self.saved = None;
        if self.focus == Focus::Vital(1) {
            self.derive_pulse();
        }
    }

    pub fn set_pulse_override(&mut self, reason: String) {
        self.pulse_override = Some(reason);
        if let Some(i) = self.pulse_item() {
            self.item = i;
            self.focus = Focus::Items;
        }
    }

    /// Check vitals and time: the parts common to a score and an unable-to-assess.
    fn common(&self, now: DateTime<Utc>, tz: Tz) -> Result<(Vitals, DateTime<Utc>), String> {
        let v = &self.vitals;
        let vitals = Vitals::parse([&v[0], &v[1], &v[2], &v[3], &v[4], &v[5]], self.temp_unit)?;
        let taken_at = parse_event_time("Time taken", &self.taken, now, tz)?;
        Ok((vitals, taken_at))
    }

    /// After a refused save, put the cursor on the field the message is about (issue 20,
    /// point 11): the vitals' and the time's messages start with the field's name.
    pub fn focus_on_error(&mut self, message: &str) {
        const FIELDS: [(&str, Focus); 9] = [
            ("Temperature", Focus::Vital(0)),
            ("Heart rate", Focus::Vital(1)),
            ("COWS needs the measured heart rate", Focus::Vital(1)),
            ("Systolic BP", Focus::Vital(2)),
            ("Blood pressure", Focus::Vital(2)),
            ("Diastolic BP", Focus::Vital(3)),
            ("Respiratory rate", Focus::Vital(4)),
            ("SpO2", Focus::Vital(5)),
            ("Time taken", Focus::Taken),
        ];
        if let Some((_, focus)) = FIELDS.iter().find(|(name, _)| message.starts_with(name)) {
            self.focus = *focus;
        }
    }

    /// The assessment to save, or what is missing.
    pub fn build(&self, now: DateTime<Utc>, tz: Tz) -> Result<NewAssessment, String> {
        let missing = self.answers.unanswered();
        if let Some(&first) = missing.first() {
            let label = self.scale().items[first].label;
            return Err(format!(
                "{} unanswered, first: {label}. A total is final only when every item is answered.",
                crate::domain::text::count(missing.len(), "item", "items")
            ));
        }
        let (vitals, taken_at) = self.common(now, tz)?;
        if self.pulse_item().is_some() && self.pulse_override.is_none() && vitals.heart_rate.is_none() {
            return Err("COWS needs the measured heart rate for its pulse item.".into());
        }
        Ok(NewAssessment {
            stay_id: self.patient.stay_id,
            outcome: Outcome::Scored(self.answers.clone()),
            vitals,
            taken_at,
            comment: self.pulse_override.as_ref().map(|r| format!("pulse item set by hand: {r}")),
        })
    }

    /// An unable-to-assess entry with the given reason and note (vitals and time from the screen).
    pub fn build_unable(&self, reason: &str, note: &str, now: DateTime<Utc>, tz: Tz) -> Result<NewAssessment, String> {
        let (vitals, taken_at) = self.common(now, tz)?;
        Ok(NewAssessment {
            stay_id: self.patient.stay_id,
            outcome: Outcome::Unable { scale: self.scale().key.into(), reason: reason.into(), note: note.into() },
            vitals,
            taken_at,
            comment: None,
        })
    }

    /// After a save: a fresh form, and the protocol's answer kept on screen.
    pub fn after_save(&mut self, summary: Vec<String>) {
        let scale = self.scale();
        self.answers = Answers::new(scale);
        self.vitals = Default::default();
        self.taken.clear();
        self.pulse_override = None;
        self.item = 0;
        self.focus = Focus::Items;
        self.saved = Some(summary);
    }
}

/// The message for a digit that is not a legal score of `item`: names the legal scores the way
/// REFERENCE.md §2 does ("restlessness: 0, 1, 3, 5").
pub fn refusal(item: &Item, score: u8) -> String {
    let legal: Vec<String> = item.legal_scores().iter().map(u8::to_string).collect();
    format!("{score} is not a score here. {}: {} (nothing changed)", item.key, legal.join(", "))
}

/// Default bands of a scale (used until the ward's own are loaded).
pub fn bands_for(scale: &Scale) -> BandSet {
    default_bands(scale.key)
}

/// Which scale a stay's protocol preselects.
fn field_span(text: &str, width: usize, focused: bool) -> Span<'static> {
    let shown = if text.is_empty() && !focused { "_".repeat(width) } else { inert(text) };
    let pad = width.saturating_sub(shown.width());
    let style = if focused { theme::focused_field() } else { theme::base() };
    Span::styled(format!("{shown}{}", " ".repeat(pad)), style)
}

pub fn draw(f: &mut Frame<'_>, area: Rect, s: &ScoringScreen, now: DateTime<Utc>, tz: Tz) {
    // What was saved, or what is wrong, is never cut: it takes the lines it needs (up to three),
    // the items' panel giving them up.
    let message = s
        .error
        .as_ref()
        .map(|e| e.chars().count() + 2)
        .or_else(|| s.saved.as_ref().map(|v| v.iter().map(|l| l.chars().count() + 3).sum::<usize>()));
    let message_lines = message.map_or(1, |n| n.div_ceil(usize::from(area.width.max(1))).clamp(1, 3));
    let total_h = 1 + u16::try_from(message_lines).unwrap_or(1);
    let [who, vit, main, total] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(5),
        Constraint::Length(total_h),
    ])
    .areas(area);
    let scale = s.scale();
    // Longest first; the first that fits is shown, so allergies and the time are never cut
    // (the scorer's name goes before the band, the band before the time).
    let lasts: Vec<String> = match &s.patient.last {
        None => vec!["no score yet".to_string()],
        Some(l) => {
            let when = local_short(l.taken_at, now, tz);
            match l.total {
                Some(t) => {
                    let band = l.band.as_deref().unwrap_or("");
                    vec![
                        format!("last {t} {band} at {when} by {}", inert(&l.by)),
                        format!("last {t} {band} at {when}"),
                        format!("last {t} at {when}"),
                    ]
                }
                None => {
                    let why = l.unable_reason.as_deref().unwrap_or("");
                    vec![
                        format!("last: unable to assess ({why}) at {when} by {}", inert(&l.by)),
                        format!("last: unable to assess ({why}) at {when}"),
                        format!("last: UTA at {when}"),
                    ]
                }
            }
        }
    };
    let head = format!("Bed {} · {} · {} ", inert(&s.patient.bed), inert(&s.patient.name), scale.name);
    let allergies = format!("· Allergies: {} · ", inert(&s.patient.allergies));
    let room = usize::from(who.width).saturating_sub(head.chars().count() + allergies.chars().count());
    let last = lasts.iter().find(|l| l.chars().count() <= room).or(lasts.last()).cloned().unwrap_or_default();
    f.render_widget(
        Paragraph::new(Line::from(vec![Span::styled(head, theme::label()), Span::raw(format!("{allergies}{last}"))])),
        who,
    );
    let mut spans = Vec::new();
    for (i, label) in VITAL_LABELS.iter().enumerate() {
        spans.push(Span::raw(if i == 3 { "/".to_string() } else { format!(" {label} ") }));
        spans.push(field_span(&s.vitals[i], VITAL_WIDTHS[i], s.focus == Focus::Vital(i)));
        if i == 0 {
            spans.push(Span::raw(s.temp_unit.symbol()));
        }
    }
    spans.push(Span::raw("  Taken "));
    spans.push(field_span(&s.taken, 16, s.focus == Focus::Taken));

    f.render_widget(Paragraph::new(Line::from(spans)), vit);

    // The anchors get the wider half: at 80x24 the longest item (CIWA-Ar tactile: question and
    // eight anchors) needs 15 lines of 42 columns, so the panels have no bottom border.
    let [left, right] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(main);
    draw_items(f, left, s);
    draw_anchors(f, right, s);

    let complete = s.answers.complete();
    let t = s.answers.total();
    let band = s.bands.band_for(t);
    let mut line = vec![Span::styled(format!(" Total {t}/{} ", scale.max()), theme::title())];
    if complete {
        let mark = if band.severe { "*" } else { "" };
        let style = if band.severe { theme::severe() } else { theme::base() };
        line.push(Span::styled(format!("· {}{mark} (final when saved)", band.label), style));
    } else {
        line.push(Span::styled(
            format!("· {} unanswered (marked __): not a final total", s.answers.unanswered().len()),
            theme::due_soon(),
        ));
    }
    let mut lines = vec![Line::from(line)];
    if let Some(e) = &s.error {
        lines.push(Line::from(Span::styled(format!(" {} ", inert(e)), theme::error())));
    } else if let Some(saved) = &s.saved {
        lines.push(Line::from(Span::styled(format!(" {}", saved.join(" · ")), theme::info())));
    } else if s.focus == Focus::Taken && !s.taken.trim().is_empty() {
        // Echo the time as understood, so "08:30" is seen to mean today's (or yesterday's): the
        // same words as every form's time field (issue 20, point 10).
        let echo = time_echo(&s.taken, now, tz, TimeRule::Charted);
        let style = if matches!(echo, TimeEcho::NotYet(_)) { theme::due_soon() } else { theme::info() };
        let echo = (format!(" Time taken: {}", inert(&echo.text())), style);
        lines.push(Line::from(Span::styled(echo.0, echo.1)));
    } else if s.focus == Focus::Taken {
        lines.push(Line::from(Span::styled(
            " Time taken: now, -15m, 08:30 or YYYY-MM-DD HH:MM (ward time; 01:30 EST in the repeated hour)",
            theme::hint(),
        )));
    } else if let Some(r) = &s.pulse_override {
        lines.push(Line::from(format!(" Pulse item set by hand: {}", inert(r))));
    } else if s.focus == Focus::Items {
        let item = &scale.items[s.item];
        lines.push(Line::from(Span::styled(
            format!(" Type the score ({}: {}) · ←/→ step through them · Backspace clears", item.key, item.legal_text()),
            theme::hint(),
        )));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), total);
}

fn draw_items(f: &mut Frame<'_>, area: Rect, s: &ScoringScreen) {
    let block = Block::default()
        .borders(Borders::LEFT | Borders::TOP | Borders::RIGHT)
        .title(format!(" {} items ", s.scale().name));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let h = inner.height as usize;
    let n = s.scale().items.len();
    let first = if s.item >= h { s.item + 1 - h } else { 0 }.min(n.saturating_sub(h));
    let label_w = (inner.width as usize).saturating_sub(8);
    let pulse = s.pulse_item();
    let lines: Vec<Line<'_>> = s
        .scale()
        .items
        .iter()
        .enumerate()
        .skip(first)
        .take(h)
        .map(|(i, item)| {
            let sel = i == s.item && s.focus == Focus::Items;
            let mark = if i == s.item { "▶" } else { " " };
            let mut label: String = format!("{:>2} {}", i + 1, item.label);
            if label.width() > label_w {
                label = label.chars().take(label_w.saturating_sub(1)).collect::<String>() + "…";
            }
            let score = match s.answers.score(i) {
                Some(v) if Some(i) == pulse && s.pulse_override.is_none() => format!("{v}·HR"),
                Some(v) => v.to_string(),
                None => "__".into(),
            };
            let style = if sel {
                theme::selected()
            } else if s.answers.score(i).is_none() {
                theme::due_soon()
            } else {
                theme::base()
            };
            Line::from(Span::styled(format!("{mark}{label:<label_w$} {score:>4}"), style))
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

fn draw_anchors(f: &mut Frame<'_>, area: Rect, s: &ScoringScreen) {
    let item = &s.scale().items[s.item];
    let room = usize::from(area.width.saturating_sub(2));
    // The item's name in the title when it fits there, else as the first line (never cut).
    let mut head = Vec::new();
    let title = [format!(" {} ({}) ", item.label, item.how), format!(" {} ", item.label)]
        .into_iter()
        .find(|t| t.width() <= room)
        .unwrap_or_else(|| {
            head.push(item.label);
            format!(" Item {} ({}) ", s.item + 1, item.how)
        });
    let block = Block::default().borders(Borders::LEFT | Borders::TOP | Borders::RIGHT).title(title);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = usize::from(inner.width);
    let mut lines: Vec<Line<'_>> = Vec::new();
    for label in head {
        lines.extend(wrap(label, w).into_iter().map(|l| Line::from(Span::styled(l, theme::title()))));
    }
    // What the nurse asks or does, in the form's words (REFERENCE.md §1-3).
    lines.extend(wrap(item.question, w).into_iter().map(|l| Line::from(Span::styled(l, theme::label()))));
    let picked = s.answers.pick(s.item);
    for (pos, c) in item.choices.iter().enumerate() {
        // The score, then the anchor in full; continuation lines indent under the anchor.
        let anchor = if c.anchor.is_empty() { "·" } else { c.anchor };
        let style = if picked == Some(pos) { theme::selected() } else { theme::base() };
        let score = format!("{}  ", c.score);
        let indent = " ".repeat(score.width());
        for (n, l) in wrap(anchor, w.saturating_sub(score.width())).into_iter().enumerate() {
            let lead = if n == 0 { &score } else { &indent };
            lines.push(Line::from(Span::styled(format!("{lead}{l}"), style)));
        }
    }
    if s.pulse_item() == Some(s.item) {
        let how = if s.pulse_override.is_some() {
            "Set by hand (reason given): type its score."
        } else {
            "Comes from the measured HR in the vitals (Tab to HR). Ctrl-O overrides, with a reason."
        };
        lines.extend(wrap(how, w).into_iter().map(|l| Line::from(Span::styled(l, theme::hint()))));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// `text` wrapped on spaces to `width` columns (runs of spaces collapse); a word wider than a
/// line is split, so nothing is ever cut off.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut line = String::new();
    for word in inert(text).split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        for ch in word.chars() {
            // A word wider than the line: break it where the line ends.
            if !line.is_empty() && line.width() + ch.width().unwrap_or(0) > width {
                out.push(std::mem::take(&mut line));
            }
            line.push(ch);
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

impl ScoringScreen {
    /// The scoring screen on a bed's patient, on the stay's protocol scale, and the audit of the
    /// read.
    pub fn open(row: &CensusRow, ctx: &Ctx<'_>) -> Cmd {
        let Some(o) = &row.occupant else { return Cmd::None };
        let scale = o.protocol.scale_to_score();
        let patient = Patient {
            stay_id: o.stay_id,
            patient_id: o.patient_id,
            bed: row.bed.clone(),
            name: o.name.clone(),
            allergies: o.allergies.clone(),
            // The last entry of THIS scale: another scale's score is another schedule.
            last: o.series.iter().find(|x| x.last.scale == scale.key).map(|x| x.last.clone()),
        };
        let s = ScoringScreen::new(patient, scale, ctx.bands(scale.key), ctx.temp_unit());
        Cmd::Many(vec![
            Cmd::Write(Write::AuditRead { patient_ids: vec![o.patient_id], what: "scoring screen".into() }),
            Cmd::Open(Screen::Scoring(Box::new(s))),
        ])
    }
}

impl crate::tui::component::Component for ScoringScreen {
    /// The same test as Esc here ("Unsaved scores: press Esc again...").
    fn unsaved(&self) -> Option<String> {
        (self.has_input() && self.saved.is_none()).then(|| {
            format!("{} scores for bed {} · {}, not saved", self.scale().name, self.patient.bed, self.patient.name)
        })
    }

    fn title(&self) -> String {
        format!("{} scoring", self.scale().name)
    }

    fn hints(&self, _view: &View<'_>) -> (Hints, Hints) {
        hints(&self.tables(), |_| true)
    }

    fn on_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        if let Some(cmd) = self.screen_beside(k, ctx) {
            return cmd;
        }
        match self.handle(k) {
            ScoringEffect::None => Cmd::None,
            ScoringEffect::Help => Cmd::Help,
            ScoringEffect::Back => Cmd::Back,
            ScoringEffect::Unable => Cmd::Dialog(scoring_forms::unable()),
            ScoringEffect::OverridePulse => Cmd::Dialog(scoring_forms::pulse_override()),
            ScoringEffect::ChangeScale => Cmd::Dialog(scoring_forms::choose_scale(self.scale().name)),
            // Issue 17: the PRN is given from the record, against the patient's PRN orders.
            ScoringEffect::Prn => crate::tui::screens::mar::MarScreen::open_stay(self.patient.stay_id, ctx, true),
            ScoringEffect::History => {
                let stay = self.patient.stay_id;
                match ctx.board.rows.iter().find(|r| r.occupant.as_ref().is_some_and(|o| o.stay_id == stay)) {
                    Some(row) => HistoryScreen::open(ctx.store, row, self.temp_unit),
                    None => Cmd::error("This stay is no longer on the board."),
                }
            }
            ScoringEffect::Save => match self.build(ctx.now, ctx.tz) {
                Ok(a) => Cmd::Write(Write::Assessment(a)),
                Err(e) => {
                    self.focus_on_error(&e);
                    self.error = Some(e);
                    Cmd::None
                }
            },
        }
    }

    fn on_paste(&mut self, text: &str, _ctx: &Ctx<'_>) -> Cmd {
        self.paste(text);
        Cmd::None
    }

    /// The store's answer to a save: exactly what it charted (total, band, next due, prompts),
    /// never a re-read of the board.
    fn on_done(&mut self, done: Done, ctx: &Ctx<'_>) -> Cmd {
        let (asked, result) = match done {
            Done::Assessment { asked, result } => (asked, result),
            Done::StayChanged { result, dialog } => return stay_forms::changed(result, dialog),
            _ => return Cmd::None,
        };
        match result {
            Ok(charted) => {
                if !charted.superseded {
                    self.patient.last = Some(LastScore {
                        scale: charted.scale.clone(),
                        total: charted.total,
                        band: charted.band.as_ref().map(|(b, _)| b.clone()),
                        severe: charted.band.as_ref().is_some_and(|(_, severe)| *severe),
                        unable_reason: charted.unable_reason.clone(),
                        taken_at: asked.taken_at,
                        by: ctx.me.map(|m| m.signature()).unwrap_or_default(),
                    });
                }
                let mut summary = crate::domain::protocol::saved_summary(&charted, ctx.now, ctx.tz);
                summary.push(beside_hint(&charted));
                let what = summary.first().map_or(String::new(), |l| l.trim_start_matches("Saved ").to_string());
                let at = local_short(asked.taken_at, ctx.now, ctx.tz);
                self.after_save(summary);
                self.beside =
                    Some((Beside { assessment_id: charted.id, what: format!("{what} at {at}") }, charted.scale));
            }
            Err(e) => self.error = Some(format!("Not saved: {e}")),
        }
        Cmd::None
    }

    /// The scoring screen's own dialogs: unable to assess, the COWS pulse override, another
    /// scale. A PRN dose is the stay's, saved by the app's stay forms.
    fn on_dialog(&mut self, d: &Dialog, ctx: &Ctx<'_>) -> Option<Result<Cmd, String>> {
        Some(match d.kind {
            DialogKind::Unable => {
                let (reason, note) = (d.form.value(0), d.form.value(1));
                if reason.is_empty() {
                    Err("Reason: choose one with ←/→".to_string())
                } else if note.trim().is_empty() {
                    Err("Note: say what you saw".to_string())
                } else {
                    self.build_unable(&reason, note.trim(), ctx.now, ctx.tz).map(|a| Cmd::Write(Write::Assessment(a)))
                }
            }
            DialogKind::PulseOverride => {
                let reason = d.form.value(0);
                if reason.trim().is_empty() {
                    Err("Reason is required to override the pulse item".to_string())
                } else {
                    self.set_pulse_override(reason.trim().to_string());
                    Ok(Cmd::tell("Pulse item unlocked: type its score with the digits."))
                }
            }
            DialogKind::ChooseScale => match crate::domain::scales::by_key(&d.form.value(0)) {
                None => Err("Scale: choose one with ←/→".to_string()),
                Some(scale) => {
                    self.set_scale(scale, ctx.bands(scale.key));
                    Ok(Cmd::tell(format!("Scoring with {}.", scale.name)))
                }
            },
            // A PRN dose is the stay's: validated and written like every stay form.
            DialogKind::Prn { .. } => return stay_forms::answer(d, ctx),
            _ => return None,
        })
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        draw(f, area, self, view.now, view.tz);
    }
}

/// The saved summary's last line: what can be recorded beside this score (issue 16 point 5).
/// "unable to assess" on CIWA-Ar points to a RASS (REFERENCE.md §3: RASS is used "when a patient
/// is too sedated or delirious for CIWA-Ar").
fn beside_hint(c: &crate::domain::protocol::Charted) -> String {
    let ciwa = c.scale == crate::domain::scales::ciwa_ar::CIWA_AR.key;
    if ciwa && c.unable_reason.is_some() {
        "unable to assess: record a RASS (r)".into()
    } else if c.scale == cows::COWS.key {
        "r RASS, s SOWS beside this score".into()
    } else {
        "r RASS beside this score".into()
    }
}

impl ScoringScreen {
    /// `r` / `s` on the items after a save: the RASS or SOWS screen, linked to the saved score.
    fn screen_beside(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Option<Cmd> {
        if self.saved.is_none() || self.focus != Focus::Items {
            return None;
        }
        let (beside, scale) = self.beside.clone()?;
        let kind = match lookup(ITEM_KEYS, k, |_| true)? {
            ScoringAction::RassBeside => crate::domain::screen::ScreenKind::Rass,
            ScoringAction::SowsBeside if scale == cows::COWS.key => crate::domain::screen::ScreenKind::Sows,
            ScoringAction::SowsBeside => return Some(Cmd::error("A SOWS goes beside a COWS.")),
            _ => return None,
        };
        let o = ctx.board.rows.iter().find(|r| r.occupant.as_ref().is_some_and(|o| o.stay_id == self.patient.stay_id));
        Some(match o.and_then(RiskPatient::of) {
            Some(p) => RiskScreen::beside(p, kind, beside, ctx),
            None => Cmd::error("This stay is no longer on the board."),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_every_word_within_the_width() {
        let text = "very mild itching, pins and needles, burning or numbness";
        assert_eq!(wrap(text, 27), ["very mild itching, pins and", "needles, burning or", "numbness"]);
        let long = wrap("abcdefghij klm", 4);
        assert_eq!(long, ["abcd", "efgh", "ij", "klm"]);
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("a  b", 10), ["a b"]);
    }
}
