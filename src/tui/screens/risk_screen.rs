//! The risk screens, one component for the five kinds (issue 16 points 2-5): the C-SSRS screener,
//! the Morse Fall Scale, RASS, SOWS and PAWSS (REFERENCE.md §3 and §3a). The census's `r` opens
//! it on a small picker; the scoring screen opens a RASS or a SOWS beside a saved score.
//!
//! Every screen asks the occasion (chosen by the nurse, never defaulted; "with a withdrawal
//! score" only when opened beside one) and the time taken (typed, with the echo every time field
//! has), then the items in the reference's words with their legal answers, and shows the result
//! live. Save writes through [`Write::Screen`]; what the store recorded comes back as
//! [`Done::ScreenRecorded`] and is shown with who and when.
//!
//! The C-SSRS asks only what [`Cssrs::to_ask`] lists (question 2 decides 3-5, 6b follows a yes
//! to 6). A high-risk screen goes through a decision step before it is saved: "notify the
//! provider" is said, the suicide precaution and an observation level are suggested, never
//! ticked or chosen for her (REFERENCE.md §3a). PAWSS asks its gate first; when the gate is
//! negative the items are not asked and the result is "not applicable", never 0 (REFERENCE.md
//! §3). Beside items 2, 3, 5 and 6 the admission assessment's withdrawal history is shown, and
//! beside the BAL gate and item 9 its BAL, for the nurse to confirm: never filled in for her.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::domain::admission::Test;
use crate::domain::census::CensusRow;
use crate::domain::cssrs::{Cssrs, Period, Question, Triage};
use crate::domain::morse::{MORSE, MorseBands};
use crate::domain::pawss::{self, Bal, GATE_ALCOHOL_TEXT, GATE_BAL_TEXT, Gate, Pawss, Suggestion};
use crate::domain::rass::Rass;
use crate::domain::scale::Answers;
use crate::domain::scales::sows::SOWS;
use crate::domain::screen::{Decision, NewScreen, Occasion, RecordedScreen, ScreenAnswers, ScreenKind};
use crate::domain::text::inert;
use crate::domain::time::{TimeEcho, TimeRule, local_short, parse_event_time, time_echo};
use crate::store::ward::Coded;
use crate::tui::app::Screen;
use crate::tui::component::{Cmd, Component, Ctx, Done, View, Write};
use crate::tui::keymap::{Binding, DIGITS, Hints, Key, hints, lookup};
use crate::tui::screens::scoring::wrap;
use crate::tui::theme;
use crate::tui::widgets::line_input;

/// The longest time or decision text the nurse can type, in characters.
const MAX_TIME: usize = 20;
const MAX_TEXT: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RiskAction {
    // The picker.
    PickCssrs,
    PickMorse,
    PickRass,
    PickSows,
    PickPawss,
    // Moving and saving.
    Prev,
    Next,
    Enter,
    Save,
    Clear,
    Help,
    Back,
    // Answers.
    Yes,
    No,
    Digit,
    Sign,
    Step,
    BalPositive,
    BalNegative,
    BalNotDone,
    Tick,
}

/// Morse options are numbered from 1: the footer names `1` (any other digit is refused, named).
const OPTION_DIGITS: &[Key] = &[
    Key::ch('1'),
    Key::ch('2'),
    Key::ch('3'),
    Key::ch('4'),
    Key::ch('5'),
    Key::ch('6'),
    Key::ch('7'),
    Key::ch('8'),
    Key::ch('9'),
    Key::ch('0'),
];
const STEP: &[Key] = &[Key::plain(KeyCode::Left), Key::plain(KeyCode::Right)];

/// The picker the census's `r` opens.
#[rustfmt::skip]
pub static PICK_KEYS: &[Binding<RiskAction>] = &[
    Binding::foot(&[Key::ch('c')],              RiskAction::PickCssrs, "C-SSRS", "C-SSRS screener (suicide risk)"),
    Binding::foot(&[Key::ch('m')],              RiskAction::PickMorse, "Morse",  "Morse Fall Scale (fall risk)"),
    Binding::foot(&[Key::ch('r')],              RiskAction::PickRass,  "RASS",   "Richmond Agitation-Sedation Scale"),
    Binding::foot(&[Key::ch('w')],              RiskAction::PickSows,  "SOWS",   "Subjective Opiate Withdrawal Scale (patient-rated)"),
    Binding::foot(&[Key::ch('p')],              RiskAction::PickPawss, "PAWSS",  "Prediction of Alcohol Withdrawal Severity Scale"),
    Binding::foot(&[Key::plain(KeyCode::Esc)],  RiskAction::Back,      "cancel", "Back to the census, nothing recorded"),
];

/// Keys on every field and question.
#[rustfmt::skip]
pub static KEYS: &[Binding<RiskAction>] = &[
    Binding::foot(&[Key::plain(KeyCode::Enter)],                          RiskAction::Enter, "next", "Next field or question; on the last, save (a high-risk C-SSRS asks what was decided first)"),
    Binding::help(&[Key::plain(KeyCode::Up), Key::plain(KeyCode::BackTab)], RiskAction::Prev, "previous", "Previous field or question"),
    Binding::help(&[Key::plain(KeyCode::Down), Key::plain(KeyCode::Tab)],   RiskAction::Next, "next", "Next field or question, without answering"),
    Binding::foot(&[Key::ctrl('s')],                                      RiskAction::Save,  "save", "Save the screen (every question asked answered, occasion and time given)"),
    Binding::help(&[Key::plain(KeyCode::Backspace), Key::plain(KeyCode::Delete)], RiskAction::Clear, "clear", "Clear the answer"),
    Binding::foot(&[Key::plain(KeyCode::F(1))],                           RiskAction::Help,  "help", "Show every key of this screen (also ? on the questions)"),
    Binding::foot(&[Key::plain(KeyCode::Esc)],                            RiskAction::Back,  "back", "Back (twice to discard unsaved answers)"),
];

/// Once recorded: nothing is left to answer or save.
#[rustfmt::skip]
static SAVED_KEYS: &[Binding<RiskAction>] = &[
    Binding::foot(&[Key::plain(KeyCode::Enter), Key::plain(KeyCode::Esc)], RiskAction::Back, "back", "Back to where the screen was opened"),
    Binding::foot(&[Key::plain(KeyCode::F(1))],                          RiskAction::Help, "help", "Show every key of this screen"),
];

#[rustfmt::skip]
static YES_NO_KEYS: &[Binding<RiskAction>] = &[
    Binding::foot(&[Key::ch('y')], RiskAction::Yes, "yes", "Answer yes, then the next question"),
    Binding::foot(&[Key::ch('n')], RiskAction::No,  "no",  "Answer no, then the next question"),
    Binding::help(&[Key::ch('?')], RiskAction::Help, "help", "Show every key of this screen"),
];

#[rustfmt::skip]
static MORSE_KEYS: &[Binding<RiskAction>] = &[
    Binding::foot(OPTION_DIGITS, RiskAction::Digit, "option", "Type the option's number (1, 2, 3 as listed), then the next item"),
    Binding::help(STEP,   RiskAction::Step,  "step",   "Step through the options"),
    Binding::help(&[Key::ch('?')], RiskAction::Help, "help", "Show every key of this screen"),
];

#[rustfmt::skip]
static SOWS_KEYS: &[Binding<RiskAction>] = &[
    Binding::foot(DIGITS, RiskAction::Digit, "score", "Type the patient's score, 0 not at all to 4 extremely, then the next item"),
    Binding::help(STEP,   RiskAction::Step,  "step",  "Step through the scores"),
    Binding::help(&[Key::ch('?')], RiskAction::Help, "help", "Show every key of this screen"),
];

#[rustfmt::skip]
static RASS_KEYS: &[Binding<RiskAction>] = &[
    Binding::foot(DIGITS,                        RiskAction::Digit, "level", "Type the level: 0 to 4, or - then 1 to 5 for sedation (-2 light sedation)"),
    Binding::help(&[Key::ch('-'), Key::ch('+')], RiskAction::Sign,  "sign",  "- before a digit for -1 to -5 (+ is optional for +1 to +4)"),
    Binding::help(STEP,                          RiskAction::Step,  "step",  "Step up or down the list"),
    Binding::help(&[Key::ch('?')],               RiskAction::Help,  "help",  "Show every key of this screen"),
];

#[rustfmt::skip]
static BAL_KEYS: &[Binding<RiskAction>] = &[
    Binding::foot(&[Key::ch('p')], RiskAction::BalPositive, "positive", "BAL on admission positive"),
    Binding::foot(&[Key::ch('n')], RiskAction::BalNegative, "negative", "BAL on admission negative"),
    Binding::foot(&[Key::ch('d')], RiskAction::BalNotDone,  "not done", "BAL not done"),
    Binding::help(&[Key::ch('?')], RiskAction::Help,        "help",     "Show every key of this screen"),
];

#[rustfmt::skip]
static CHOOSE_KEYS: &[Binding<RiskAction>] = &[
    Binding::foot(STEP, RiskAction::Step, "choose", "Choose with ←/→"),
];

#[rustfmt::skip]
static TICK_KEYS: &[Binding<RiskAction>] = &[
    Binding::foot(&[Key::ch(' ')], RiskAction::Tick, "tick", "Tick or untick (nothing is ticked for you)"),
];

/// The patient, as the census knows them.
#[derive(Clone, Debug, PartialEq)]
pub struct RiskPatient {
    pub stay_id: i64,
    pub bed: String,
    pub name: String,
    /// The stay's precautions and observation level now (shown in the C-SSRS decision step).
    pub precautions: String,
    pub observation: String,
}

impl RiskPatient {
    pub fn of(row: &CensusRow) -> Option<RiskPatient> {
        row.occupant.as_ref().map(|o| RiskPatient {
            stay_id: o.stay_id,
            bed: row.bed.clone(),
            name: o.name.clone(),
            precautions: o.precautions.clone(),
            observation: o.observation.clone(),
        })
    }
}

/// The withdrawal score a RASS or SOWS goes with.
#[derive(Clone, Debug, PartialEq)]
pub struct Beside {
    pub assessment_id: i64,
    /// "CIWA-Ar 18 severe at 03:10", "CIWA-Ar unable to assess at 03:10".
    pub what: String,
}

/// What the admission assessment says that PAWSS can be shown beside (REFERENCE.md §8).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AdmissionFacts {
    /// "admission assessment by Ana Ortiz, RN, signed 02:40" or "... draft by ...".
    pub source: String,
    pub suggestions: Vec<Suggestion>,
    /// The BAL as recorded ("BAL 210 mg/dL (positive) at 02:10", "not done: refused").
    pub bal: Option<String>,
    /// The same, short, beside the gate's row: "pos?", "neg?", "not done?".
    pub bal_short: Option<&'static str>,
}

/// One answer of the kind being screened.
#[derive(Clone, Debug)]
enum Given {
    Cssrs(Cssrs),
    Morse(Answers),
    Rass(Option<Rass>),
    Sows(Answers),
    Pawss(Pawss),
}

/// One row the nurse answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Row {
    Q(Question),
    /// A Morse or SOWS item.
    Item(usize),
    Rass,
    GateAlcohol,
    GateBal,
    Pawss(u8),
}

/// Where the keyboard is on the questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Focus {
    Occasion,
    Taken,
    Row(usize),
}

/// The C-SSRS decision step's fields.
#[derive(Clone, Debug, Default)]
struct DecisionForm {
    notified: String,
    not_because: String,
    precaution: bool,
    /// An index into the ward's observation levels; `None` = leave it as it is.
    observation: Option<usize>,
    field: usize,
}

const DECISION_FIELDS: usize = 4;

#[derive(Clone, Debug)]
enum Stage {
    Pick,
    Questions,
    Decision,
    Saved(Box<RecordedScreen>),
}

#[derive(Clone, Debug)]
pub struct RiskScreen {
    patient: RiskPatient,
    stage: Stage,
    kind: ScreenKind,
    given: Given,
    occasion: Option<Occasion>,
    beside: Option<Beside>,
    taken: String,
    focus: Focus,
    decision: DecisionForm,
    /// RASS: '-' typed, waiting for the digit.
    minus: bool,
    bands: MorseBands,
    levels: Vec<Coded>,
    facts: Option<AdmissionFacts>,
    error: Option<String>,
    note: Option<String>,
    discard_armed: bool,
}

fn blank(kind: ScreenKind) -> Given {
    match kind {
        ScreenKind::Cssrs => Given::Cssrs(Cssrs::new()),
        ScreenKind::Morse => Given::Morse(Answers::new(&MORSE)),
        ScreenKind::Rass => Given::Rass(None),
        ScreenKind::Sows => Given::Sows(Answers::new(&SOWS)),
        ScreenKind::Pawss => Given::Pawss(Pawss::new()),
    }
}

fn yes_no(a: Option<bool>) -> &'static str {
    match a {
        Some(true) => "yes",
        Some(false) => "no",
        None => "__",
    }
}

fn bal_text(b: Option<Bal>) -> &'static str {
    match b {
        Some(Bal::Positive) => "positive",
        Some(Bal::Negative) => "negative",
        Some(Bal::NotDone) => "not done",
        None => "__",
    }
}

impl RiskScreen {
    fn new(patient: RiskPatient, kind: ScreenKind) -> RiskScreen {
        RiskScreen {
            patient,
            stage: Stage::Pick,
            kind,
            given: blank(kind),
            occasion: None,
            beside: None,
            taken: String::new(),
            focus: Focus::Occasion,
            decision: DecisionForm::default(),
            minus: false,
            bands: MorseBands::common_set(),
            levels: Vec::new(),
            facts: None,
            error: None,
            note: None,
            discard_armed: false,
        }
    }

    /// The census's `r` on an occupied bed: the picker, and the audit of the read.
    pub fn open(row: &CensusRow, _ctx: &Ctx<'_>) -> Cmd {
        let Some(patient) = RiskPatient::of(row) else { return Cmd::None };
        let patient_id = row.occupant.as_ref().map_or(0, |o| o.patient_id);
        Cmd::Many(vec![
            Cmd::Write(Write::AuditRead { patient_ids: vec![patient_id], what: "risk screen".into() }),
            Cmd::Open(Screen::Other(Box::new(RiskScreen::new(patient, ScreenKind::Cssrs)))),
        ])
    }

    /// A RASS or SOWS beside a saved withdrawal score (the scoring screen's keys): the occasion
    /// is "with a withdrawal score" and the screen is linked to the assessment.
    pub fn beside(patient: RiskPatient, kind: ScreenKind, beside: Beside, ctx: &Ctx<'_>) -> Cmd {
        let mut s = RiskScreen::new(patient, kind);
        s.beside = Some(beside);
        s.occasion = Some(Occasion::WithScore);
        match s.start(kind, ctx) {
            Ok(()) => Cmd::Open(Screen::Other(Box::new(s))),
            Err(e) => Cmd::error(e),
        }
    }

    /// Begin the questions of `kind`, reading what the screen shows beside them.
    fn start(&mut self, kind: ScreenKind, ctx: &Ctx<'_>) -> Result<(), String> {
        self.kind = kind;
        self.given = blank(kind);
        self.stage = Stage::Questions;
        self.focus = if self.occasion.is_some() { Focus::Taken } else { Focus::Occasion };
        match kind {
            ScreenKind::Morse => self.bands = ctx.store.morse_bands().map_err(|e| e.to_string())?,
            ScreenKind::Cssrs => self.levels = ctx.store.observation_levels().map_err(|e| e.to_string())?,
            ScreenKind::Pawss => {
                let rec = ctx.store.admission_assessment(self.patient.stay_id).map_err(|e| e.to_string())?;
                self.facts = rec.map(|r| {
                    let local = |t| local_short(t, ctx.now, ctx.tz);
                    let source = match r.original.signed_at {
                        Some(at) => format!("admission assessment by {}, signed {}", r.original.author, local(at)),
                        None => format!(
                            "admission assessment draft by {}, saved {}",
                            r.original.author,
                            local(r.original.saved_at)
                        ),
                    };
                    let a = r.effective();
                    AdmissionFacts {
                        source,
                        suggestions: a.withdrawal.answered().map(pawss::suggestions).unwrap_or_default(),
                        bal: a.arrival.answered().map(|arr| arr.bal.text(local)),
                        bal_short: a.arrival.answered().map(|arr| match arr.bal {
                            Test::Done { positive: true, .. } => "pos?",
                            Test::Done { positive: false, .. } => "neg?",
                            Test::NotDone { .. } => "not done?",
                        }),
                    }
                });
            }
            _ => {}
        }
        Ok(())
    }

    /// The occasions offered for this kind.
    // TODO(clinical): REFERENCE.md §3a says C-SSRS "at admission and each shift" and the issue
    // Morse "at admission, after a fall, and when the unit's interval says"; which occasions RASS,
    // SOWS and PAWSS may have is not said: offered here as admission, routine and change in
    // condition (PAWSS: admission and change in condition).
    fn occasions(&self) -> Vec<Occasion> {
        if self.beside.is_some() {
            return vec![Occasion::WithScore];
        }
        match self.kind {
            ScreenKind::Morse => {
                vec![Occasion::Admission, Occasion::Routine, Occasion::AfterFall, Occasion::ChangeInCondition]
            }
            ScreenKind::Pawss => vec![Occasion::Admission, Occasion::ChangeInCondition],
            _ => vec![Occasion::Admission, Occasion::Routine, Occasion::ChangeInCondition],
        }
    }

    fn rows(&self) -> Vec<Row> {
        match &self.given {
            Given::Cssrs(c) => c.to_ask().into_iter().map(Row::Q).collect(),
            Given::Morse(a) | Given::Sows(a) => (0..a.scale().items.len()).map(Row::Item).collect(),
            Given::Rass(_) => vec![Row::Rass],
            Given::Pawss(p) => {
                let mut rows = vec![Row::GateAlcohol, Row::GateBal];
                if p.gate() == Gate::Positive {
                    rows.extend(pawss::ITEMS.iter().map(|i| Row::Pawss(i.number)));
                }
                rows
            }
        }
    }

    fn has_input(&self) -> bool {
        let answered = match &self.given {
            Given::Cssrs(c) => Question::ALL.iter().any(|q| c.get(*q).is_some()),
            Given::Morse(a) | Given::Sows(a) => a.scores().iter().any(Option::is_some),
            Given::Rass(r) => r.is_some(),
            Given::Pawss(p) => *p != Pawss::new(),
        };
        answered || !self.taken.trim().is_empty() || (self.beside.is_none() && self.occasion.is_some())
    }

    fn answering(&self) -> bool {
        matches!(self.stage, Stage::Questions | Stage::Decision)
    }

    /// The answer keys of the focused row.
    fn row_keys(&self) -> &'static [Binding<RiskAction>] {
        match self.focus {
            Focus::Occasion => CHOOSE_KEYS,
            Focus::Taken => &[],
            Focus::Row(i) => match self.rows().get(i) {
                Some(Row::Item(_)) if self.kind == ScreenKind::Morse => MORSE_KEYS,
                Some(Row::Item(_)) => SOWS_KEYS,
                Some(Row::Rass) => RASS_KEYS,
                Some(Row::GateBal) => BAL_KEYS,
                _ => YES_NO_KEYS,
            },
        }
    }

    fn tables(&self) -> Vec<&'static [Binding<RiskAction>]> {
        match self.stage {
            Stage::Pick => vec![PICK_KEYS],
            Stage::Questions => vec![self.row_keys(), KEYS],
            Stage::Decision => match self.decision.field {
                2 => vec![TICK_KEYS, KEYS],
                3 => vec![CHOOSE_KEYS, KEYS],
                _ => vec![KEYS],
            },
            Stage::Saved(_) => vec![SAVED_KEYS],
        }
    }

    fn move_focus(&mut self, forward: bool) {
        let n = self.rows().len();
        let order: Vec<Focus> = [Focus::Occasion, Focus::Taken].into_iter().chain((0..n).map(Focus::Row)).collect();
        let at = order.iter().position(|f| *f == self.focus).unwrap_or(0);
        let to = if forward { (at + 1).min(order.len() - 1) } else { at.saturating_sub(1) };
        self.focus = order[to];
        self.minus = false;
    }

    fn last_focused(&self) -> bool {
        match self.focus {
            Focus::Row(i) => i + 1 >= self.rows().len(),
            _ => false,
        }
    }

    /// Answer the focused row; then the next row, unless the answer closed the list.
    fn answer(&mut self, action: RiskAction, k: &KeyEvent) {
        let Focus::Row(i) = self.focus else { return };
        let Some(row) = self.rows().get(i).copied() else { return };
        let yes = match action {
            RiskAction::Yes => Some(Some(true)),
            RiskAction::No => Some(Some(false)),
            RiskAction::Clear => Some(None),
            _ => None,
        };
        let digit = match k.code {
            KeyCode::Char(c) => c.to_digit(10).and_then(|d| u8::try_from(d).ok()),
            _ => None,
        };
        let mut advance = action != RiskAction::Clear && action != RiskAction::Step && action != RiskAction::Sign;
        match (&mut self.given, row) {
            (Given::Cssrs(c), Row::Q(q)) => {
                let Some(a) = yes else { return };
                c.set(q, a);
                // The branching decides what is asked: answers to questions no longer asked are
                // cleared, and she is told so (nothing dropped silently).
                let ask = c.to_ask();
                let dropped: Vec<Question> =
                    Question::ALL.into_iter().filter(|q| !ask.contains(q) && c.get(*q).is_some()).collect();
                for d in &dropped {
                    c.set(*d, None);
                }
                if !dropped.is_empty() {
                    let nums: Vec<&str> = dropped.iter().map(|q| q.number()).collect();
                    self.note = Some(format!(
                        "Question(s) {} no longer asked (3-5 only when 2 is yes; 6b only when 6 is yes): their answers were cleared.",
                        nums.join(", ")
                    ));
                }
            }
            (Given::Morse(a) | Given::Sows(a), Row::Item(item)) => {
                let choices = a.scale().items[item].choices.len();
                match action {
                    RiskAction::Clear => a.clear(item),
                    RiskAction::Step => {
                        let right = k.code == KeyCode::Right;
                        let p = match a.pick(item) {
                            None => 0,
                            Some(p) if right => (p + 1).min(choices - 1),
                            Some(p) => p.saturating_sub(1),
                        };
                        let _ = a.set(item, p);
                    }
                    RiskAction::Digit => {
                        let Some(d) = digit else { return };
                        let ok = if a.scale().key == MORSE.key {
                            // Morse: the option's number as listed (its points are not digits).
                            usize::from(d)
                                .checked_sub(1)
                                .filter(|p| *p < choices)
                                .is_some_and(|p| a.set(item, p).is_ok())
                        } else {
                            a.set_score(item, d).is_ok()
                        };
                        if !ok {
                            let it = &a.scale().items[item];
                            self.error = Some(if a.scale().key == MORSE.key {
                                format!(
                                    "{d} is not an option here: {} has options 1 to {choices} (nothing changed)",
                                    it.label
                                )
                            } else {
                                format!("{d} is not a score here: {} is rated 0 to 4 (nothing changed)", it.label)
                            });
                            return;
                        }
                    }
                    _ => return,
                }
            }
            (Given::Rass(r), Row::Rass) => match action {
                RiskAction::Clear => *r = None,
                RiskAction::Sign => {
                    self.minus = matches!(k.code, KeyCode::Char('-'));
                    return;
                }
                RiskAction::Step => {
                    // The list runs +4 at the top to -5 at the bottom: → goes down it.
                    let v = r.map_or(0, Rass::value) + if k.code == KeyCode::Right { -1 } else { 1 };
                    if let Ok(n) = Rass::new(v.clamp(Rass::MIN, Rass::MAX)) {
                        *r = Some(n);
                    }
                }
                RiskAction::Digit => {
                    let Some(d) = digit.and_then(|d| i8::try_from(d).ok()) else { return };
                    let v = if self.minus { -d } else { d };
                    self.minus = false;
                    match Rass::new(v) {
                        Ok(n) => *r = Some(n),
                        Err(_) => {
                            self.error = Some(format!("{v} is not a RASS level: +4 to -5 (nothing changed)"));
                            return;
                        }
                    }
                }
                _ => return,
            },
            (Given::Pawss(p), Row::GateAlcohol) => {
                let Some(a) = yes else { return };
                p.alcohol_past_30_days = a;
                self.gate_changed();
            }
            (Given::Pawss(p), Row::GateBal) => {
                p.bal_on_admission = match action {
                    RiskAction::BalPositive => Some(Bal::Positive),
                    RiskAction::BalNegative => Some(Bal::Negative),
                    RiskAction::BalNotDone => Some(Bal::NotDone),
                    RiskAction::Clear => None,
                    _ => return,
                };
                self.gate_changed();
            }
            (Given::Pawss(p), Row::Pawss(n)) => {
                let Some(a) = yes else { return };
                let _ = p.set(n, a);
            }
            _ => return,
        }
        self.discard_armed = false;
        if action == RiskAction::Clear {
            advance = false;
        }
        let n = self.rows().len();
        if advance && i + 1 < n {
            self.focus = Focus::Row(i + 1);
        } else if let Focus::Row(j) = self.focus
            && j >= n
        {
            self.focus = Focus::Row(n.saturating_sub(1));
        }
    }

    /// A negative gate: PAWSS does not apply, so items answered are cleared, with a word.
    fn gate_changed(&mut self) {
        let Given::Pawss(p) = &mut self.given else { return };
        if p.gate() == Gate::Negative {
            let answered: Vec<u8> =
                pawss::ITEMS.iter().filter(|i| p.answer(i.number).is_some()).map(|i| i.number).collect();
            for n in &answered {
                let _ = p.set(*n, None);
            }
            if !answered.is_empty() {
                self.note = Some("The gate is negative: PAWSS does not apply, the items' answers were cleared.".into());
            }
        }
    }

    fn live_result(&self) -> (String, ratatui::style::Style) {
        match &self.given {
            Given::Cssrs(c) => match c.triage() {
                Ok(t) => {
                    let style = if t == Triage::High { theme::severe() } else { theme::title() };
                    let mark = if t == Triage::High { "* " } else { "" };
                    let acts: Vec<&str> = t.actions().iter().map(|a| a.label()).collect();
                    let acts = if acts.is_empty() { String::new() } else { format!(": {}", acts.join("; ")) };
                    (format!("Triage: {mark}{}{acts}", t.label()), style)
                }
                Err(e) => {
                    // What the yes answers so far already reach (the rest read as no).
                    let mut floor = *c;
                    while let Some(q) = floor.next() {
                        floor.set(q, Some(false));
                    }
                    let nums: Vec<&str> = e.missing.iter().map(|q| q.number()).collect();
                    let so_far = match floor.triage() {
                        Ok(Triage::NoRiskIdentified) | Err(_) => String::new(),
                        Ok(t) => format!("at least {} so far; ", t.label()),
                    };
                    (format!("Triage: {so_far}question(s) {} to answer", nums.join(", ")), theme::due_soon())
                }
            },
            Given::Morse(a) => {
                let t = a.total();
                let bands: Vec<String> =
                    self.bands.bands().iter().map(|b| format!("{}-{} {}", b.min, b.max, inert(&b.label))).collect();
                if a.complete() {
                    let band = self.bands.band_for(t).map_or("in no band".to_string(), |b| inert(&b.label));
                    (format!("Total {t}/125 · {band} (unit's bands: {})", bands.join(", ")), theme::title())
                } else {
                    let n = a.unanswered().len();
                    (format!("Total so far {t}: {n} item(s) unanswered, not a final total"), theme::due_soon())
                }
            }
            Given::Sows(a) => {
                let t = a.total();
                if a.complete() {
                    (format!("Total {t}/64 · no bands in the reference (REFERENCE.md §3)"), theme::title())
                } else {
                    let n = a.unanswered().len();
                    (format!("Total so far {t}/64: {n} item(s) unanswered, not a final total"), theme::due_soon())
                }
            }
            Given::Rass(r) => match r {
                Some(r) => (format!("RASS {} {}", r.signed(), r.label()), theme::title()),
                None => ("RASS: no level chosen yet".to_string(), theme::due_soon()),
            },
            Given::Pawss(p) => {
                let t = p.total();
                let style = match t.high_risk() {
                    Some(true) => theme::severe(),
                    Some(false) => theme::title(),
                    None if t == pawss::PawssTotal::NotApplicable => theme::title(),
                    None => theme::due_soon(),
                };
                let mark = if t.high_risk() == Some(true) { "* " } else { "" };
                (format!("{mark}{t}"), style)
            }
        }
    }

    fn answers(&self, decision: Option<Decision>) -> Result<ScreenAnswers, String> {
        Ok(match &self.given {
            Given::Cssrs(c) => ScreenAnswers::Cssrs { answers: *c, decision },
            Given::Morse(a) => ScreenAnswers::Morse(a.clone()),
            Given::Sows(a) => ScreenAnswers::Sows(a.clone()),
            Given::Rass(r) => ScreenAnswers::Rass(r.ok_or("RASS: choose a level (+4 to -5)")?),
            Given::Pawss(p) => ScreenAnswers::Pawss(*p),
        })
    }

    /// The screen to record, or why not (the field named first so the cursor can go there).
    fn build(&self, decision: Option<Decision>, now: DateTime<Utc>, tz: Tz) -> Result<NewScreen, String> {
        let occasion = self.occasion.ok_or_else(|| {
            let names: Vec<&str> = self.occasions().iter().map(|o| o.label()).collect();
            format!("Occasion: choose one with ←/→ ({})", names.join(", "))
        })?;
        let taken_at = parse_event_time("Time taken", &self.taken, now, tz)?;
        let s = NewScreen {
            stay_id: self.patient.stay_id,
            answers: self.answers(decision)?,
            occasion,
            taken_at,
            with_assessment: self.beside.as_ref().map(|b| b.assessment_id),
            comment: None,
        };
        Ok(s)
    }

    fn decision(&self) -> Decision {
        let said = |s: &str| Some(s.trim().to_string()).filter(|t| !t.is_empty());
        Decision {
            notified: said(&self.decision.notified),
            not_notified_because: said(&self.decision.not_because),
            add_suicide_precaution: self.decision.precaution,
            observation: self.decision.observation.and_then(|i| self.levels.get(i)).map(|l| l.code.clone()),
        }
    }

    fn refuse(&mut self, e: String) -> Cmd {
        if e.starts_with("Occasion") {
            self.focus = Focus::Occasion;
        } else if e.starts_with("Time taken") {
            self.focus = Focus::Taken;
        }
        self.error = Some(e);
        Cmd::None
    }

    /// Save from the questions: refused with words while incomplete; a high-risk C-SSRS goes to
    /// the decision step first.
    fn save(&mut self, ctx: &Ctx<'_>) -> Cmd {
        let s = match self.build(None, ctx.now, ctx.tz) {
            Ok(s) => s,
            Err(e) => return self.refuse(e),
        };
        if let Given::Cssrs(c) = &self.given
            && c.triage() == Ok(Triage::High)
        {
            self.stage = Stage::Decision;
            self.decision.field = 0;
            return Cmd::None;
        }
        match s.evaluate(&self.bands) {
            Ok(_) => Cmd::Write(Write::Screen(s)),
            Err(e) => self.refuse(e),
        }
    }

    fn save_decision(&mut self, ctx: &Ctx<'_>) -> Cmd {
        let d = self.decision();
        if let Err(e) = d.validate() {
            self.decision.field = 0;
            self.error = Some(e);
            return Cmd::None;
        }
        match self.build(Some(d), ctx.now, ctx.tz).and_then(|s| s.evaluate(&self.bands).map(|_| s)) {
            Ok(s) => Cmd::Write(Write::Screen(s)),
            Err(e) => {
                self.error = Some(e);
                Cmd::None
            }
        }
    }

    fn back(&mut self) -> Cmd {
        if self.answering() && self.has_input() && !self.discard_armed {
            self.discard_armed = true;
            self.error = Some("Unsaved answers: press Esc again to discard them, or Ctrl-S to save.".into());
            return Cmd::None;
        }
        Cmd::Back
    }

    fn pick_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        let kind = match lookup(PICK_KEYS, k, |_| true) {
            Some(RiskAction::PickCssrs) => ScreenKind::Cssrs,
            Some(RiskAction::PickMorse) => ScreenKind::Morse,
            Some(RiskAction::PickRass) => ScreenKind::Rass,
            Some(RiskAction::PickSows) => ScreenKind::Sows,
            Some(RiskAction::PickPawss) => ScreenKind::Pawss,
            Some(RiskAction::Back) => return Cmd::Back,
            _ => return Cmd::None,
        };
        match self.start(kind, ctx) {
            Ok(()) => Cmd::None,
            Err(e) => Cmd::error(e),
        }
    }

    fn question_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        let on_text = self.focus == Focus::Taken;
        let global = lookup(KEYS, k, |a| !(on_text && a == RiskAction::Clear));
        if global != Some(RiskAction::Back) {
            self.discard_armed = false;
        }
        match global {
            Some(RiskAction::Back) => return self.back(),
            Some(RiskAction::Help) => return Cmd::Help,
            Some(RiskAction::Save) => return self.save(ctx),
            Some(RiskAction::Prev) => self.move_focus(false),
            Some(RiskAction::Next) => self.move_focus(true),
            Some(RiskAction::Enter) => {
                if self.last_focused() {
                    return self.save(ctx);
                }
                self.move_focus(true);
            }
            Some(RiskAction::Clear) => self.answer(RiskAction::Clear, k),
            _ => {
                if on_text {
                    if line_input::edit(&mut self.taken, k, MAX_TIME) {
                        self.discard_armed = false;
                    }
                    return Cmd::None;
                }
                match lookup(self.row_keys(), k, |_| true) {
                    Some(RiskAction::Help) => return Cmd::Help,
                    Some(RiskAction::Step) if self.focus == Focus::Occasion => {
                        let all = self.occasions();
                        let at = self.occasion.and_then(|o| all.iter().position(|x| *x == o));
                        let right = k.code == KeyCode::Right;
                        let to = match at {
                            None => 0,
                            Some(i) if right => (i + 1) % all.len(),
                            Some(i) => (i + all.len() - 1) % all.len(),
                        };
                        self.occasion = all.get(to).copied();
                    }
                    Some(a) => self.answer(a, k),
                    None => {}
                }
            }
        }
        Cmd::None
    }

    fn decision_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        let field = self.decision.field;
        let text = field < 2;
        let global = lookup(KEYS, k, |a| !(text && a == RiskAction::Clear));
        match global {
            Some(RiskAction::Back) => {
                self.stage = Stage::Questions;
                return Cmd::None;
            }
            Some(RiskAction::Help) => return Cmd::Help,
            Some(RiskAction::Save) => return self.save_decision(ctx),
            Some(RiskAction::Prev) => self.decision.field = field.saturating_sub(1),
            Some(RiskAction::Next) => self.decision.field = (field + 1).min(DECISION_FIELDS - 1),
            Some(RiskAction::Enter) => {
                if field + 1 >= DECISION_FIELDS {
                    return self.save_decision(ctx);
                }
                self.decision.field = field + 1;
            }
            Some(RiskAction::Clear) if field == 3 => self.decision.observation = None,
            _ => match field {
                0 => {
                    line_input::edit(&mut self.decision.notified, k, MAX_TEXT);
                }
                1 => {
                    line_input::edit(&mut self.decision.not_because, k, MAX_TEXT);
                }
                2 if lookup(TICK_KEYS, k, |_| true).is_some() => self.decision.precaution = !self.decision.precaution,
                3 if lookup(CHOOSE_KEYS, k, |_| true).is_some() => {
                    // Unchanged, then each level: she chooses, nothing is chosen for her.
                    let n = self.levels.len() + 1;
                    let at = self.decision.observation.map_or(0, |i| i + 1);
                    let to = if k.code == KeyCode::Right { (at + 1) % n } else { (at + n - 1) % n };
                    self.decision.observation = to.checked_sub(1);
                }
                _ => {}
            },
        }
        Cmd::None
    }
}

impl Component for RiskScreen {
    fn title(&self) -> String {
        match self.stage {
            Stage::Pick => "Risk screen".into(),
            _ => self.kind.title().into(),
        }
    }

    fn hints(&self, _view: &View<'_>) -> (Hints, Hints) {
        hints(&self.tables(), |_| true)
    }

    fn on_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        self.error = None;
        if !matches!(self.stage, Stage::Pick) {
            self.note = None;
        }
        match self.stage {
            Stage::Pick => self.pick_key(k, ctx),
            Stage::Questions => self.question_key(k, ctx),
            Stage::Decision => self.decision_key(k, ctx),
            Stage::Saved(_) => match lookup(SAVED_KEYS, k, |_| true) {
                Some(RiskAction::Back) => Cmd::Back,
                Some(RiskAction::Help) => Cmd::Help,
                _ => Cmd::None,
            },
        }
    }

    fn on_paste(&mut self, text: &str, _ctx: &Ctx<'_>) -> Cmd {
        match (&self.stage, self.focus, self.decision.field) {
            (Stage::Questions, Focus::Taken, _) => line_input::paste(&mut self.taken, text, MAX_TIME),
            (Stage::Decision, _, 0) => line_input::paste(&mut self.decision.notified, text, MAX_TEXT),
            (Stage::Decision, _, 1) => line_input::paste(&mut self.decision.not_because, text, MAX_TEXT),
            _ => {}
        }
        Cmd::None
    }

    /// What the store recorded, with who and when; or its refusal, the answers kept.
    fn on_done(&mut self, done: Done, _ctx: &Ctx<'_>) -> Cmd {
        if let Done::ScreenRecorded(r) = done {
            match r {
                Ok(rec) => {
                    self.stage = Stage::Saved(Box::new(rec));
                    self.error = None;
                }
                Err(e) => self.error = Some(format!("Not saved: {e}")),
            }
        }
        Cmd::None
    }

    fn unsaved(&self) -> Option<String> {
        (self.answering() && self.has_input())
            .then(|| format!("{} for bed {} · {}, not saved", self.kind.name(), self.patient.bed, self.patient.name))
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        match &self.stage {
            Stage::Pick => draw_pick(f, area, self),
            Stage::Questions => draw_questions(f, area, self, view.now, view.tz),
            Stage::Decision => draw_decision(f, area, self),
            Stage::Saved(rec) => draw_saved(f, area, self, rec, view.now, view.tz),
        }
    }
}

fn cut(s: &str, w: usize) -> String {
    if s.width() <= w {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if out.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) + 1 > w {
            break;
        }
        out.push(c);
    }
    out + "…"
}

fn head_line(s: &RiskScreen, width: u16) -> Line<'static> {
    let who = format!(" Bed {} · {} · ", inert(&s.patient.bed), inert(&s.patient.name));
    let room = usize::from(width).saturating_sub(who.width());
    let title = if matches!(s.stage, Stage::Pick) {
        "risk screen".to_string()
    } else if s.kind.title().width() <= room {
        s.kind.title().to_string()
    } else {
        s.kind.name().to_string()
    };
    Line::from(vec![Span::styled(who, theme::label()), Span::styled(cut(&title, room), theme::title())])
}

fn draw_pick(f: &mut Frame<'_>, area: Rect, s: &RiskScreen) {
    let mut lines = vec![head_line(s, area.width), Line::from(""), Line::from(" Which screen?")];
    for b in PICK_KEYS.iter().filter(|b| b.action != RiskAction::Back) {
        lines.push(Line::from(format!("   {}  {}", b.key_names(), b.help)));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(" Esc cancels: nothing is recorded.", theme::hint())));
    f.render_widget(Paragraph::new(lines), area);
}

fn field_span(text: &str, width: usize, focused: bool) -> Span<'static> {
    let shown = if text.is_empty() && !focused { "_".repeat(width) } else { inert(text) };
    let pad = width.saturating_sub(shown.width());
    let style = if focused { theme::focused_field() } else { theme::base() };
    Span::styled(format!("{shown}{}", " ".repeat(pad)), style)
}

/// The focused row's words in full, its legal answers, and what is shown beside it.
fn detail(s: &RiskScreen, width: usize) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut push = |text: &str, style| {
        for l in wrap(text, width) {
            out.push(Line::from(Span::styled(l, style)));
        }
    };
    match s.focus {
        Focus::Occasion => {
            let names: Vec<&str> = s.occasions().iter().map(|o| o.label()).collect();
            push(&format!("Why this screen now: {} (←/→).", names.join(" · ")), theme::label());
        }
        Focus::Taken => push(
            "Time taken: now, -15m, 08:30 or YYYY-MM-DD HH:MM (ward time; 01:30 EST in the repeated hour)",
            theme::hint(),
        ),
        Focus::Row(i) => match (s.rows().get(i).copied(), &s.given) {
            (Some(Row::Q(q)), _) => {
                let period = match q.period() {
                    Period::PastMonth => "In the past month, have you",
                    Period::Lifetime => "In your lifetime, have you",
                    Period::PastThreeMonths => "If yes to 6:",
                };
                let end = if q.text().ends_with('?') { "" } else { "?" };
                push(&format!("{}. {period} {}{end}", q.number(), q.text()), theme::title());
                push("y yes · n no", theme::hint());
            }
            (Some(Row::Item(item)), Given::Morse(a) | Given::Sows(a)) => {
                let it = &a.scale().items[item];
                let mut text = format!("{} {}", item + 1, it.label);
                if !it.how.is_empty() {
                    text.push_str(&format!(": {}", it.how));
                }
                push(&text, theme::title());
                let morse = a.scale().key == MORSE.key;
                let opts: Vec<String> = it
                    .choices
                    .iter()
                    .enumerate()
                    .map(|(p, c)| {
                        let mark = if a.pick(item) == Some(p) { "▶" } else { "" };
                        if morse {
                            format!("{mark}{} {} ({} points)", p + 1, c.anchor, c.score)
                        } else {
                            format!("{mark}{} {}", c.score, c.anchor)
                        }
                    })
                    .collect();
                push(&opts.join(" · "), theme::base());
            }
            (Some(Row::Rass), _) => push(
                "Type the level: 0 to 4 (+ optional), - then 1 to 5 for sedation; ←/→ step down/up the list.",
                theme::hint(),
            ),
            (Some(Row::GateAlcohol), _) => {
                push(&format!("Gate (no points): {GATE_ALCOHOL_TEXT}?"), theme::title());
                push("y yes · n no", theme::hint());
            }
            (Some(Row::GateBal), _) => {
                push(&format!("Gate (no points): {GATE_BAL_TEXT}?"), theme::title());
                push("p positive · n negative · d not done", theme::hint());
                bal_beside(s, &mut push);
            }
            (Some(Row::Pawss(n)), _) => {
                if let Some(it) = pawss::ITEMS.iter().find(|i| i.number == n) {
                    push(&format!("{n} {} (1 point if yes)", it.text), theme::title());
                }
                push("y yes · n no", theme::hint());
                if let Some(sg) = s.facts.as_ref().and_then(|f| f.suggestions.iter().find(|x| x.item == n)) {
                    let from = s.facts.as_ref().map_or(String::new(), |f| f.source.clone());
                    push(&format!("{} ({from})", sg.text()), theme::info());
                }
                if n == 9 {
                    bal_beside(s, &mut push);
                }
            }
            _ => {}
        },
    }
    out
}

fn bal_beside(s: &RiskScreen, push: &mut impl FnMut(&str, ratatui::style::Style)) {
    match &s.facts {
        Some(AdmissionFacts { bal: Some(bal), source, .. }) => {
            push(&format!("BAL recorded: {bal}; confirm ({source})"), theme::info());
        }
        Some(f) => push(&format!("No BAL recorded yet in the {}", f.source), theme::hint()),
        None => push("No admission assessment yet: no BAL recorded", theme::hint()),
    }
}

/// What is shown beside a row in the list (history or BAL), short.
fn beside_mark(s: &RiskScreen, row: Row) -> String {
    let Some(facts) = &s.facts else { return String::new() };
    match row {
        Row::Pawss(n) => match facts.suggestions.iter().find(|x| x.item == n).and_then(Suggestion::suggested) {
            Some(a) => format!("hist: {}?", yes_no(Some(a))),
            None if n == 9 && facts.bal.is_some() => "BAL: see ↓".into(),
            None => String::new(),
        },
        Row::GateBal => facts.bal_short.map_or(String::new(), |b| format!("BAL: {b}")),
        _ => String::new(),
    }
}

fn row_text(s: &RiskScreen, row: Row) -> (String, String) {
    match (row, &s.given) {
        (Row::Q(q), Given::Cssrs(c)) => (format!("{:<2} {}", q.number(), q.text()), yes_no(c.get(q)).into()),
        (Row::Item(i), Given::Morse(a) | Given::Sows(a)) => {
            let ans = a.score(i).map_or("__".to_string(), |v| v.to_string());
            (format!("{:>2} {}", i + 1, a.scale().items[i].label), ans)
        }
        (Row::Rass, Given::Rass(r)) => ("RASS level".into(), r.map_or("__".into(), |r| r.signed())),
        (Row::GateAlcohol, Given::Pawss(p)) => {
            (format!("gate: {GATE_ALCOHOL_TEXT}"), yes_no(p.alcohol_past_30_days).into())
        }
        (Row::GateBal, Given::Pawss(p)) => ("gate: BAL on admission".into(), bal_text(p.bal_on_admission).into()),
        (Row::Pawss(n), Given::Pawss(p)) => {
            let text = pawss::ITEMS.iter().find(|i| i.number == n).map_or("", |i| i.text);
            (format!("{n:>2} {text}"), yes_no(p.answer(n)).into())
        }
        _ => (String::new(), String::new()),
    }
}

fn draw_questions(f: &mut Frame<'_>, area: Rect, s: &RiskScreen, now: DateTime<Utc>, tz: Tz) {
    let w = usize::from(area.width);
    let detail_lines = detail(s, w.saturating_sub(2));
    let message = s.error.clone().or_else(|| s.note.clone());
    let msg_h = message.as_ref().map_or(1, |m| wrap(m, w.saturating_sub(2)).len().clamp(1, 2));
    let (result_text, result_style) = s.live_result();
    let result_lines = wrap(&result_text, w.saturating_sub(2));
    let result_h = result_lines.len().clamp(1, 2);
    let fixed = 2 + result_h + msg_h; // head, fields, result, message
    let room = usize::from(area.height).saturating_sub(fixed);
    let detail_h = detail_lines.len().min(room.saturating_sub(3));
    let [head, fields, list, det, result, msg] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(u16::try_from(detail_h).unwrap_or(0)),
        Constraint::Length(u16::try_from(result_h).unwrap_or(1)),
        Constraint::Length(u16::try_from(msg_h).unwrap_or(1)),
    ])
    .areas(area);
    f.render_widget(Paragraph::new(head_line(s, area.width)), head);

    // The occasion and the time taken.
    let occ = match (s.occasion, &s.beside) {
        (Some(Occasion::WithScore), Some(b)) => format!("with {}", b.what),
        (Some(o), _) => o.label().to_string(),
        (None, _) => "choose ←/→".to_string(),
    };
    let occ_w = occ.width().max(12).min(w.saturating_sub(30).max(8));
    let spans = vec![
        Span::raw(" Occasion "),
        field_span(&cut(&occ, occ_w), occ_w, s.focus == Focus::Occasion),
        Span::raw("  Taken "),
        field_span(&s.taken, 12, s.focus == Focus::Taken),
    ];
    f.render_widget(Paragraph::new(Line::from(spans)), fields);

    // The rows: the questions asked, one a line, the answer on the right.
    let rows = s.rows();
    let h = usize::from(list.height);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let sel = match s.focus {
        Focus::Row(i) => Some(i),
        _ => None,
    };
    let extra: Vec<Line<'static>> = match &s.given {
        Given::Pawss(p) if p.gate() == Gate::Negative => {
            vec![Line::from(Span::styled(" Items 1-10 not asked: gate negative, PAWSS does not apply", theme::info()))]
        }
        Given::Pawss(p) if p.gate() == Gate::Open => {
            vec![Line::from(Span::styled(" Items 1-10 follow once the gate is known", theme::hint()))]
        }
        Given::Rass(r) => Rass::all()
            .map(|v| {
                let on = *r == Some(v);
                let mark = if on { "▶" } else { " " };
                let style = if on { theme::selected() } else { theme::base() };
                Line::from(Span::styled(format!("   {mark}{:>3} {}", v.signed(), v.label()), style))
            })
            .collect(),
        _ => Vec::new(),
    };
    let total_rows = rows.len() + extra.len();
    let first = match sel {
        Some(i) if i >= h => i + 1 - h,
        _ => 0,
    }
    .min(total_rows.saturating_sub(h));
    let ans_w = 8;
    for (i, row) in rows.iter().enumerate() {
        let (label, ans) = row_text(s, *row);
        let side = beside_mark(s, *row);
        let label_w = w.saturating_sub(ans_w + 3 + if side.is_empty() { 0 } else { side.width() + 1 });
        let label = cut(&inert(&label), label_w);
        let mark = if sel == Some(i) { "▶" } else { " " };
        let style = if sel == Some(i) {
            theme::selected()
        } else if ans == "__" {
            theme::due_soon()
        } else {
            theme::base()
        };
        let mut spans = vec![Span::styled(format!("{mark}{label:<label_w$}"), style)];
        if !side.is_empty() {
            spans.push(Span::styled(format!(" {side}"), theme::info()));
        }
        spans.push(Span::styled(format!(" {ans:>ans_w$} "), style));
        lines.push(Line::from(spans));
    }
    lines.extend(extra);
    let lines: Vec<Line<'static>> = lines.into_iter().skip(first).take(h).collect();
    f.render_widget(Paragraph::new(lines), list);

    let shown: Vec<Line<'static>> = detail_lines
        .into_iter()
        .take(detail_h)
        .map(|l| {
            let mut spans = vec![Span::raw(" ")];
            spans.extend(l.spans);
            Line::from(spans)
        })
        .collect();
    f.render_widget(Paragraph::new(shown), det);

    let result_lines: Vec<Line<'static>> = result_lines
        .into_iter()
        .take(result_h)
        .map(|l| Line::from(Span::styled(format!(" {l}"), result_style)))
        .collect();
    f.render_widget(Paragraph::new(result_lines), result);

    let line = if let Some(e) = &s.error {
        Some((e.clone(), theme::error()))
    } else if let Some(n) = &s.note {
        Some((n.clone(), theme::info()))
    } else if s.focus == Focus::Taken && !s.taken.trim().is_empty() {
        let echo = time_echo(&s.taken, now, tz, TimeRule::Charted);
        let style = if matches!(echo, TimeEcho::NotYet(_)) { theme::due_soon() } else { theme::info() };
        Some((format!("Time taken: {}", echo.text()), style))
    } else {
        None
    };
    if let Some((text, style)) = line {
        let lines: Vec<Line<'static>> = wrap(&text, w.saturating_sub(2))
            .into_iter()
            .map(|l| Line::from(Span::styled(format!(" {l}"), style)))
            .collect();
        f.render_widget(Paragraph::new(lines), msg);
    }
}

fn draw_decision(f: &mut Frame<'_>, area: Rect, s: &RiskScreen) {
    let w = usize::from(area.width).saturating_sub(2);
    let d = &s.decision;
    let mut lines = vec![head_line(s, area.width)];
    let push = |lines: &mut Vec<Line<'static>>, text: &str, style| {
        for l in wrap(text, w) {
            lines.push(Line::from(Span::styled(format!(" {l}"), style)));
        }
    };
    push(
        &mut lines,
        "* HIGH RISK. Immediate safety measures; notify the provider (unit policy) (REFERENCE.md §3a).",
        theme::severe(),
    );
    push(&mut lines, "Record what was decided; nothing below is ticked or chosen for you.", theme::hint());
    let focus = |i: usize| d.field == i;
    let text_w = w.saturating_sub(30).max(10);
    let shown = |t: &str| {
        let t = inert(t);
        let n = t.chars().count();
        if n > text_w { t.chars().skip(n - text_w).collect() } else { t }
    };
    // The focused field is marked in text (▶), not by its colour alone.
    let mark = |i: usize| if focus(i) { "▶" } else { " " };
    lines.push(Line::from(vec![
        Span::raw(format!("{}Provider notified (who, when) ", mark(0))),
        field_span(&shown(&d.notified), text_w, focus(0)),
    ]));
    lines.push(Line::from(vec![
        Span::raw(format!("{}or not notified, because     ", mark(1))),
        field_span(&shown(&d.not_because), text_w, focus(1)),
    ]));
    let tick = if d.precaution { "[x]" } else { "[ ]" };
    let now = if s.patient.precautions.trim().is_empty() { "none".to_string() } else { inert(&s.patient.precautions) };
    lines.push(Line::from(vec![
        Span::raw(mark(2)),
        Span::styled(
            format!("{tick} add the suicide precaution"),
            if focus(2) { theme::focused_field() } else { theme::base() },
        ),
        Span::styled(" (suggested)", theme::hint()),
    ]));
    push(&mut lines, &format!("precautions now: {now}"), theme::hint());
    let level = match d.observation.and_then(|i| s.levels.get(i)) {
        Some(l) => format!("{} {}", l.code, l.name),
        None => format!("unchanged ({})", inert(&s.patient.observation)),
    };
    lines.push(Line::from(vec![
        Span::raw(format!("{}Observation level ", mark(3))),
        Span::styled(format!("← {level} →"), if focus(3) { theme::focused_field() } else { theme::base() }),
    ]));
    // TODO(clinical): REFERENCE.md §3a names "immediate safety measures" without a level; the
    // screen suggests a closer level and lists the unit's, choosing none.
    let levels: Vec<String> = s.levels.iter().map(|l| format!("{} {}", l.code, l.name)).collect();
    push(&mut lines, &format!("Suggested: a closer observation level. Levels: {}", levels.join(" · ")), theme::hint());
    if let Some(e) = &s.error {
        push(&mut lines, e, theme::error());
    } else {
        push(&mut lines, "Enter next field · Enter on the level saves · Esc back to the questions", theme::hint());
    }
    f.render_widget(Paragraph::new(lines), area);
}

fn draw_saved(f: &mut Frame<'_>, area: Rect, s: &RiskScreen, r: &RecordedScreen, now: DateTime<Utc>, tz: Tz) {
    let w = usize::from(area.width).saturating_sub(2);
    let mut lines = vec![head_line(s, area.width)];
    let mut push = |text: &str, style| {
        for l in wrap(text, w) {
            lines.push(Line::from(Span::styled(format!(" {l}"), style)));
        }
    };
    let high = r.triage() == Some(Triage::High);
    push(
        &format!("Recorded: {}{}", if high { "* " } else { "" }, r.summary()),
        if high { theme::severe() } else { theme::title() },
    );
    push(
        &format!(
            "taken {} · recorded {} by {}",
            local_short(r.taken_at, now, tz),
            local_short(r.recorded_at, now, tz),
            inert(&r.by)
        ),
        theme::base(),
    );
    let occasion = match (&s.beside, r.occasion) {
        (Some(b), Occasion::WithScore) => format!("occasion: with {}", b.what),
        _ => format!("occasion: {}", r.occasion.label()),
    };
    push(&occasion, theme::base());
    if let Some(d) = &r.decision {
        push(&format!("decision: {d}"), theme::base());
    }
    if r.kind == ScreenKind::Sows {
        push("SOWS is its own series: no bands in the reference (REFERENCE.md §3).", theme::hint());
    }
    push("Enter or Esc: back", theme::hint());
    f.render_widget(Paragraph::new(lines), area);
}
