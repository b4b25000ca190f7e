//! Screens as components (issue 15, points 1 and 2).
//!
//! A screen owns its state, its key tables, its key handling and its drawing. It reads the ward
//! through [`Ctx`] (the store among it, read-only) and never writes: it answers every event with
//! a [`Cmd`] (open a screen, back, a dialog, a notice, a write, lock, quit), and the app's runner
//! ([`crate::tui::app::App::run`]) carries it out. A write goes through the one door, the
//! runner, which holds `&mut Store`; its result comes back to the screen that asked as a
//! [`Done`], so nothing is re-read to learn what was just saved.
//!
//! Adding a screen: a file under `screens/` with its state and `impl Component`, and the key
//! that opens it as `Screen::Other` ([`OtherScreen`]).
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::domain::admission::Assessment;
use crate::domain::aftercare::Item;
use crate::domain::assessment::NewAssessment;
use crate::domain::census::WardBoard;
use crate::domain::handoff::Severity;
use crate::domain::note::{Format, LateEntryRule, Note};
use crate::domain::plan::{Attendance, NewSession, PlanDraft};
use crate::domain::protocol::Charted;
use crate::domain::rounds::Answer;
use crate::domain::scale::BandSet;
use crate::domain::screen::{NewScreen, RecordedScreen};
use crate::domain::shift::ShiftWindow;
use crate::domain::user::Staff;
use crate::domain::vitals::TempUnit;
use crate::domain::ward::{NewUser, Ward};
use crate::store::Store;
use crate::store::rounds::SavedCheck;
use crate::tui::app::Screen;
use crate::tui::keymap::Hints;
use crate::tui::screens::dialog::Dialog;
use crate::tui::screens::note_editor::{AfterSave, Opening};
use crate::tui::screens::stay_forms::StayChange;

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
// A command is made once per key and moved once, to the runner: its size costs nothing a box
// would save.
#[derive(Debug, Default)]
#[allow(clippy::large_enum_variant)]
pub enum Cmd {
    #[default]
    None,
    /// Put a screen in front; the current one waits below it.
    Open(Screen),
    /// Show a screen: in place of the front one when it is the same screen reloaded (the
    /// timeline after signing a note written from it), else in front of it.
    Show(Screen),
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
// Made once per write and moved once, like a command.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Write {
    /// Chart an assessment (scored or unable to assess).
    Assessment(NewAssessment),
    /// Add an account (admins; the store checks the role again).
    NewAccount(NewUser),
    /// Set a new password for an account, which also lifts a lockout.
    PasswordReset {
        username: String,
        password: Secret,
    },
    /// Disable an account (its history stays), or enable it again.
    AccountDisabled {
        username: String,
        disabled: bool,
    },
    /// Record in the audit trail that the nurse opened (or filtered) the audit viewer.
    AuditViewed,
    /// Record a round's observation check of a stay, correcting (`supersedes`) this round's
    /// earlier check of it.
    RoundCheck {
        stay_id: i64,
        answer: Answer,
        supersedes: Option<i64>,
    },
    /// Acknowledge an open observation alert (the check that raised it), saying what was done.
    AlertAck {
        check_id: i64,
        note: String,
    },
    /// A change of a stay from a stay form; the form comes back with the store's refusal.
    StayChange {
        change: StayChange,
        dialog: Dialog,
    },
    /// Record in the audit trail that the nurse read these patients' records.
    AuditRead {
        patient_ids: Vec<i64>,
        what: String,
    },
    /// Start a draft note (`format`) or an addendum to a signed note (`addendum_to`); the editor
    /// opens on it as `opening` says.
    StartNote {
        stay_id: i64,
        format: Option<Format>,
        addendum_to: Option<i64>,
        opening: Opening,
    },
    /// Save a draft's sections, then do `then`.
    SaveDraft {
        note_id: i64,
        sections: Vec<(String, String)>,
        then: AfterSave,
    },
    DiscardDraft {
        note_id: i64,
    },
    /// Sign a draft: the nurse's password again is her signature.
    SignNote {
        note_id: i64,
        password: Secret,
        event_at: DateTime<Utc>,
    },
    /// A patient's attendance at a session (a status key, or the dialog with a comment).
    Attendance {
        session_id: i64,
        stay_id: i64,
        status: Attendance,
        comment: Option<String>,
    },
    /// A session on today's (or a later) schedule.
    Session(NewSession),
    /// A new version of a stay's treatment plan (the earlier ones stay readable).
    PlanVersion {
        stay_id: i64,
        draft: PlanDraft,
    },
    /// An aftercare item done, or open again.
    Aftercare {
        stay_id: i64,
        item: Item,
    },
    /// The outgoing nurse's I-PASS for a stay this shift: illness severity, summary, situation.
    PrepareHandoff {
        stay_id: i64,
        shift: ShiftWindow,
        severity: Severity,
        summary: String,
        situation: String,
    },
    /// The receiving nurse accepts a stay's handoff. She is identified by her own username and
    /// password (the store checks them; she is not the signed-in nurse), and asked first when the
    /// bed is assigned to another nurse for the next shift.
    ReceiveHandoff {
        stay_id: i64,
        shift: ShiftWindow,
        synthesis: String,
        username: String,
        password: Secret,
    },
    /// The identified receiver confirmed she takes the patient in the assigned nurse's place.
    AcceptHandoffInPlace {
        stay_id: i64,
        shift: ShiftWindow,
        receiver: Staff,
        synthesis: String,
        assigned_id: i64,
    },
    /// A handoff action item (what, owner, due), open until closed.
    AddActionItem {
        stay_id: i64,
        what: String,
        owner: String,
        due: DateTime<Utc>,
    },
    /// Close a handoff action item, with a note.
    CloseActionItem {
        item_id: i64,
        note: String,
    },
    /// Assign a nurse to a bed for the shift starting at `shift_start` (charge nurse).
    AssignNurse {
        shift_start: DateTime<Utc>,
        bed_id: i64,
        nurse_id: i64,
    },
    /// Record a risk screen (C-SSRS, Morse, RASS, SOWS, PAWSS); a high-risk C-SSRS's decision is
    /// applied to the stay in the same transaction.
    Screen(NewScreen),
    /// Start (or resume) the stay's admission assessment.
    StartAdmission {
        stay_id: i64,
    },
    /// Autosave the admission assessment draft.
    SaveAdmission {
        id: i64,
        body: Assessment,
    },
    /// Sign the admission assessment: the nurse's password is her signature.
    SignAdmission {
        id: i64,
        body: Assessment,
        password: Secret,
    },
    /// A signed addendum giving or correcting sections of a signed admission assessment.
    AdmissionAddendum {
        original: i64,
        body: Assessment,
        note: String,
        password: Secret,
    },
    DiscardAdmission {
        id: i64,
    },
    /// Issue 17: a medication order as the prescriber gave it (the MAR screen's order form).
    Order {
        stay_id: i64,
        order: crate::domain::orders::NewOrder,
    },
    /// Issue 17: discontinue an order, with when and why.
    StopOrder {
        order_id: i64,
        stopped_at: DateTime<Utc>,
        reason: String,
    },
    /// Issue 17: a dose given, held, refused or omitted (or a correction), after the patient
    /// was identified; the store checks the identifiers and the hold values again.
    Administration(crate::domain::mar::NewAdministration),
    /// Issue 17: a set of vital signs (a breach raises a "notify provider" prompt with it).
    Vitals(crate::store::vitals::NewVitals),
    /// Issue 17: a documented call to the provider, closing the prompts it answers.
    ProviderCall(crate::domain::provider_call::NewCall),
    /// Issue 17: an open prompt dismissed with a reason.
    DismissPrompt {
        prompt_id: i64,
        reason: String,
    },
    /// Issue 17: an emergency and the follow-ups the unit's settings give it.
    Event(crate::domain::emergency::NewEvent),
}

/// A password on its way to the store: never printed (`Debug` shows dots).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(•••)")
    }
}

/// A write's result, for the screen that asked. Each is made once per write and moved to the
/// screen at once, so the assessment's size costs nothing worth a box.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Done {
    /// The account the store added, or why it refused.
    NewAccount(Result<Staff, String>),
    /// Whether the account's new password was set, or why not.
    PasswordReset {
        username: String,
        result: Result<(), String>,
    },
    /// Whether the account was disabled (or enabled again), or why not.
    AccountDisabled {
        username: String,
        disabled: bool,
        result: Result<(), String>,
    },
    /// Whether the viewing of the audit trail was recorded (the page is not shown unless it was).
    AuditViewed(Result<(), String>),
    /// What the store saved for a round's check (its id, time, and any alert it raised).
    RoundCheck {
        stay_id: i64,
        answer: Answer,
        supersedes: Option<i64>,
        result: Result<SavedCheck, String>,
    },
    /// An alert acknowledged, or why not.
    AlertAck {
        check_id: i64,
        result: Result<(), String>,
    },
    /// [`Write::StayChange`]: the message to show, or why the store refused.
    StayChanged {
        result: Result<String, String>,
        dialog: Dialog,
    },
    /// A patient admitted from the admission form: the new stay, and the message to show (the
    /// admission assessment opens for it).
    Admitted {
        stay_id: i64,
        message: String,
    },
    /// What the store charted (total, band, next due, prompts), or why it refused.
    Assessment {
        asked: NewAssessment,
        result: Result<Charted, String>,
    },
    /// The new draft, to open in the editor as `opening` says.
    NoteStarted {
        result: Result<Note, String>,
        opening: Opening,
    },
    DraftSaved {
        result: Result<(), String>,
        then: AfterSave,
    },
    DraftDiscarded(Result<(), String>),
    /// The screen as recorded (with its result), or why it was refused.
    ScreenRecorded(Result<RecordedScreen, String>),
    /// The admission assessment draft's id (new or resumed).
    AdmissionStarted(Result<i64, String>),
    AdmissionSaved(Result<(), String>),
    AdmissionSigned(Result<(), String>),
    AdmissionAddendum(Result<i64, String>),
    AdmissionDiscarded(Result<(), String>),
    /// The signed note as it now stands in the record.
    NoteSigned(Result<Note, String>),
    /// Whether the attendance was recorded (the store refuses a session not yet started).
    Attendance {
        session_id: i64,
        stay_id: i64,
        status: Attendance,
        result: Result<(), String>,
    },
    /// The new session's id.
    Session {
        result: Result<i64, String>,
    },
    /// The plan's new version number.
    PlanVersion {
        stay_id: i64,
        result: Result<i64, String>,
    },
    /// Whether the item is now done (else open again).
    Aftercare {
        stay_id: i64,
        item: Item,
        result: Result<bool, String>,
    },
    /// [`Write::PrepareHandoff`].
    HandoffPrepared(Result<(), String>),
    /// [`Write::ReceiveHandoff`] and [`Write::AcceptHandoffInPlace`].
    HandoffReceived(Result<Received, String>),
    /// [`Write::AddActionItem`]: the new item's id.
    ActionItemAdded(Result<i64, String>),
    /// [`Write::CloseActionItem`].
    ActionItemClosed(Result<(), String>),
    /// [`Write::AssignNurse`].
    NurseAssigned(Result<(), String>),
    /// Issue 17: [`Write::Order`]'s new order id.
    OrderEntered(Result<i64, String>),
    /// Issue 17: [`Write::StopOrder`].
    OrderStopped(Result<(), String>),
    /// Issue 17: [`Write::Administration`]'s new entry id.
    Administered(Result<i64, String>),
    /// Issue 17: [`Write::Vitals`]: the set as recorded (NEWS2, alert) and its prompt.
    VitalsRecorded(Result<crate::store::vitals::RecordedVitals, String>),
    /// Issue 17: [`Write::ProviderCall`]: the call's id.
    CallRecorded(Result<i64, String>),
    /// Issue 17: [`Write::DismissPrompt`].
    PromptDismissed(Result<(), String>),
    /// Issue 17: [`Write::Event`]: the event and the follow-ups it set.
    EventRecorded(Result<crate::store::events::RecordedEvent, String>),
}

/// What receiving a handoff came to.
#[derive(Debug)]
pub enum Received {
    /// Accepted by this nurse, the one the store identified.
    Accepted(Staff),
    /// Nothing accepted yet: the bed is assigned to another nurse for the next shift, and the
    /// identified receiver must confirm she takes the patient in that nurse's place (issue 20).
    AssignedToAnother { receiver: Staff, assigned_id: i64, assigned: String },
}

/// A screen that needs no variant of its own in [`Screen`]: a new screen is a file with its
/// state and `impl Component` (and `Clone + Debug`, which every screen has, so a locked session
/// can be stashed), opened with `Cmd::Open(Screen::Other(Box::new(it)))` from the key that opens
/// it. Nothing else changes.
pub trait OtherScreen: Component + std::fmt::Debug {
    fn clone_box(&self) -> Box<dyn OtherScreen>;
    /// Which screen it is, for "show" (the same screen reloaded replaces the front one).
    fn kind(&self) -> std::any::TypeId;
}

impl<T: Component + Clone + std::fmt::Debug + 'static> OtherScreen for T {
    fn clone_box(&self) -> Box<dyn OtherScreen> {
        Box::new(self.clone())
    }
    fn kind(&self) -> std::any::TypeId {
        std::any::TypeId::of::<T>()
    }
}

impl Clone for Box<dyn OtherScreen> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
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
    /// The clock moved (once a second).
    fn on_tick(&mut self, _ctx: &Ctx<'_>) -> Cmd {
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
    /// Work typed here and not saved, in words, which Ctrl-C must not discard unasked
    /// (`leave_flow.rs` asks every screen of the stack).
    fn unsaved(&self) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    use ratatui::widgets::Paragraph;

    use super::*;
    use crate::store::OpenMode;
    use crate::tui::app::{App, Msg};

    /// A screen written as a new one would be: one file's worth, no variant of its own.
    #[derive(Clone, Debug, Default)]
    struct Counter {
        keys: usize,
    }

    impl Component for Counter {
        fn title(&self) -> String {
            "Counter".into()
        }
        fn hints(&self, _view: &View<'_>) -> (Hints, Hints) {
            (vec![("x".into(), "count")], vec![("x".into(), "Count a key")])
        }
        fn on_key(&mut self, key: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
            if key.code == KeyCode::Esc {
                return Cmd::Back;
            }
            self.keys += 1;
            // It reads the ward like any screen.
            Cmd::tell(format!("{} beds on the board", ctx.board.rows.len()))
        }
        fn draw(&self, f: &mut Frame<'_>, area: Rect, _view: &View<'_>) {
            f.render_widget(Paragraph::new(format!("counted {}", self.keys)), area);
        }
        fn unsaved(&self) -> Option<String> {
            (self.keys > 0).then(|| format!("{} keys counted", self.keys))
        }
    }

    fn shown(app: &App) -> String {
        let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
        t.draw(|f| crate::tui::view::view(f, &app.model, &[])).unwrap();
        let b = t.backend().buffer();
        (0..b.area.height).map(|y| (0..b.area.width).map(|x| b[(x, y)].symbol()).collect::<String>() + "\n").collect()
    }

    /// Adding a screen is one file plus the key that opens it (issue 15, point 1): it takes keys,
    /// draws, names its keys in the footer, survives a lock, and goes back.
    #[test]
    fn a_screen_with_no_variant_of_its_own_takes_keys_draws_and_goes_back() {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
        let dir = tempfile::TempDir::new().unwrap();
        let mut store = Store::open(&dir.path().join("w.db"), OpenMode::CreateIfMissing).unwrap();
        crate::demo::build(&mut store, now).unwrap();
        let me = store.sign_in("nurse", "demo-nurse1", now).unwrap().unwrap();
        let mut app = App::new(store, now).unwrap().signed_in_as(me).unwrap();
        app.run(Cmd::Open(Screen::Other(Box::new(Counter::default()))));
        let press = |app: &mut App, code| app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        press(&mut app, KeyCode::Char('x'));
        press(&mut app, KeyCode::Char('x'));
        let s = shown(&app);
        assert!(s.contains("counted 2") && s.contains("20 beds on the board") && s.contains("x count"), "{s}");
        // Locked and unlocked: the screen is stashed (cloned) and comes back as it was.
        app.update(Msg::Key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL)));
        assert!(!shown(&app).contains("counted"));
        for c in "demo-nurse1".chars() {
            press(&mut app, KeyCode::Char(c));
        }
        press(&mut app, KeyCode::Enter);
        assert!(shown(&app).contains("counted 2"), "{}", shown(&app));
        // Ctrl-C over its unsaved work asks first, naming it.
        app.update(Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
        assert!(app.model.confirm_quit.is_some() && !app.model.quit);
        assert!(shown(&app).contains("2 keys counted"), "{}", shown(&app));
        press(&mut app, KeyCode::Esc);
        assert!(app.model.confirm_quit.is_none() && !app.model.quit, "Esc goes back to the work");
        press(&mut app, KeyCode::Esc);
        assert!(matches!(app.model.screen, Screen::Census), "{}", shown(&app));
    }
}
