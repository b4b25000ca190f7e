//! Screens as components (issue 15, points 1 and 2).
//!
//! A screen owns its state, its key tables, its key handling and its drawing. It reads the ward
//! through [`Ctx`] (the store among it, read-only) and never writes: it answers every event with
//! a [`Cmd`] (open a screen, back, a dialog, a notice, a write, lock, quit), and the app's runner
//! ([`crate::tui::app::App::run`]) carries it out. A write goes through the one door, the
//! runner, which holds `&mut Store`; its result comes back to the screen that asked as a
//! [`Done`], so nothing is re-read to learn what was just saved.
//!
//! Adding a screen: a file under `screens/` with its state and `impl Component`, a variant of
//! [`crate::tui::app::Screen`] delegating to it, and the key that opens it.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::domain::assessment::NewAssessment;
use crate::domain::census::WardBoard;
use crate::domain::note::LateEntryRule;
use crate::domain::protocol::Charted;
use crate::domain::rounds::Answer;
use crate::domain::scale::BandSet;
use crate::domain::user::Staff;
use crate::domain::vitals::TempUnit;
use crate::domain::ward::Ward;
use crate::store::Store;
use crate::store::rounds::SavedCheck;
use crate::tui::app::Screen;
use crate::tui::keymap::Hints;
use crate::tui::screens::stay_forms::Dialog;

/// What a screen may read while it draws: the clock, the ward, the signed-in nurse, the shared
/// board. Drawing reads no database.
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub now: DateTime<Utc>,
    pub tz: Tz,
    pub me: Option<&'a Staff>,
    pub ward: Option<&'a Ward>,
    pub board: &'a WardBoard,
    pub late_entry: LateEntryRule,
}

impl View<'_> {
    /// The ward's temperature unit (Celsius before a ward exists).
    pub fn temp_unit(&self) -> TempUnit {
        self.ward.map_or(TempUnit::C, |w| TempUnit::from_char(w.temp_unit))
    }
    /// The signed-in nurse's role.
    pub fn role(&self) -> Option<crate::domain::user::Role> {
        self.me.map(|s| s.role)
    }
}

/// What a screen may read while it handles an event: the [`View`] and the store, read-only
/// (`&Store`: every write method takes `&mut Store`, which only the runner holds).
pub struct Ctx<'a> {
    pub view: View<'a>,
    pub store: &'a Store,
}

impl<'a> std::ops::Deref for Ctx<'a> {
    type Target = View<'a>;
    fn deref(&self) -> &View<'a> {
        &self.view
    }
}

impl Ctx<'_> {
    /// A scale's current bands as the unit set them (the shipped ones if they cannot be read).
    pub fn bands(&self, scale_key: &str) -> BandSet {
        self.store.current_bands(scale_key).unwrap_or_else(|_| crate::domain::scale::default_bands(scale_key))
    }
}

/// What a screen asks the app to do.
#[derive(Debug, Default)]
pub enum Cmd {
    #[default]
    None,
    /// Put a screen in front; the current one waits below it.
    Open(Screen),
    /// Close the front screen: the one below comes back as it was left.
    Back,
    /// A modal form over the screen; its submit comes back through [`Component::on_dialog`].
    Dialog(Dialog),
    /// A one-line message (an error in red).
    Tell {
        text: String,
        error: bool,
    },
    /// The help overlay of the front screen.
    Help,
    /// A write, through the one door.
    Write(Write),
    Lock,
    Quit,
    /// Several, in order.
    Many(Vec<Cmd>),
}

impl Cmd {
    pub fn tell(text: impl Into<String>) -> Cmd {
        Cmd::Tell { text: text.into(), error: false }
    }
    pub fn error(text: impl Into<String>) -> Cmd {
        Cmd::Tell { text: text.into(), error: true }
    }
}

/// Every write a screen can ask for. The runner performs it with the signed-in nurse as author,
/// refreshes the board once, and hands the result back as a [`Done`].
#[derive(Debug)]
pub enum Write {
    /// Chart an assessment (scored or unable to assess).
    Assessment(NewAssessment),
    /// Record in the audit trail that the nurse read these patients' records.
    AuditRead { patient_ids: Vec<i64>, what: String },
    /// Record a round's observation check of a stay, correcting (`supersedes`) this round's
    /// earlier check of it.
    RoundCheck { stay_id: i64, answer: Answer, supersedes: Option<i64> },
    /// Acknowledge an open observation alert (the check that raised it), saying what was done.
    AlertAck { check_id: i64, note: String },
}

/// A write's result, for the screen that asked.
// One lives at a time, moved once from the runner to the screen: boxing the charted assessment
// would save nothing worth the indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Done {
    /// What the store charted (total, band, next due, prompts), or why it refused.
    Assessment { asked: NewAssessment, result: Result<Charted, String> },
    /// What the store saved for a round's check (its id, time, and any alert it raised).
    RoundCheck { stay_id: i64, answer: Answer, supersedes: Option<i64>, result: Result<SavedCheck, String> },
    /// An alert acknowledged, or why not.
    AlertAck { check_id: i64, result: Result<(), String> },
}

/// A screen.
pub trait Component {
    /// The help overlay's title.
    fn title(&self) -> String;
    /// The footer hints and the help lines, from the screen's key tables (filtered by role).
    fn hints(&self, view: &View<'_>) -> (Hints, Hints);
    fn on_key(&mut self, key: &KeyEvent, ctx: &Ctx<'_>) -> Cmd;
    fn on_paste(&mut self, _text: &str, _ctx: &Ctx<'_>) -> Cmd {
        Cmd::None
    }
    /// The result of a write this screen asked for.
    fn on_done(&mut self, _done: Done, _ctx: &Ctx<'_>) -> Cmd {
        Cmd::None
    }
    /// A dialog this screen opened was submitted: `None` when the dialog is not this screen's
    /// (the app's stay forms handle it), `Err` to keep it open with the message.
    fn on_dialog(&mut self, _dialog: &Dialog, _ctx: &Ctx<'_>) -> Option<Result<Cmd, String>> {
        None
    }
    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>);
}
