//! The Elm loop's model and update: `App::update(Msg)` is the only place state changes.
//! Messages are data (keys, paste, tick), so tests drive the app without a terminal.
use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::census::{SortBy, WardBoard};
use crate::domain::user::Staff;
use crate::domain::ward::Ward;
use crate::store::{Store, StoreError};
use crate::tui::component::{Component, View};
use crate::tui::keymap::is_press;
use crate::tui::screens::census::CensusScreen;
use crate::tui::screens::dialog::Dialog;
use crate::tui::screens::history::HistoryScreen;
use crate::tui::screens::note_editor::{AfterSave, NoteEditor};
use crate::tui::screens::scoring::ScoringScreen;
use crate::tui::screens::sign_in::{setup_form, sign_in_form};
use crate::tui::screens::timeline::TimelineScreen;
use crate::tui::widgets::form::{Form, FormEvent};

/// Everything that can happen to the app.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// The clock moved (once a second): "time since", due states and other terminals' changes.
    Tick(DateTime<Utc>),
    /// The terminal's size, at start and on every resize (columns, rows).
    Resize(u16, u16),
}

/// Which screen is in front. The census board's state lives in the model and survives visits
/// to other screens, so coming back keeps the nurse's place, sort and filter.
#[derive(Clone, Debug)]
pub enum Screen {
    Setup(Form),
    SignIn(Form),
    Census,
    Scoring(Box<ScoringScreen>),
    History(Box<HistoryScreen>),
    NoteEditor(Box<NoteEditor>),
    Timeline(Box<TimelineScreen>),
    /// Find in notes, over the ward or the whole record.
    NoteSearch(Box<crate::tui::screens::note_search::NoteSearchScreen>),
    Handoff(Box<crate::tui::screens::handoff::HandoffScreen>),
    Rounds(Box<crate::tui::screens::rounds::RoundsScreen>),
    /// Today's therapy schedule and attendance.
    Schedule(Box<crate::tui::screens::plan::ScheduleScreen>),
    /// A patient's treatment plan and aftercare checklist.
    Plan(Box<crate::tui::screens::plan::PlanScreen>),
    Accounts(Box<crate::tui::screens::admin::AccountsScreen>),
    Audit(Box<crate::tui::screens::admin::AuditScreen>),
    /// Any other screen: a component that needs no variant here (`component::OtherScreen`).
    Other(Box<dyn crate::tui::component::OtherScreen>),
    /// Locked after idle time or `L`: shows no patient data.
    Locked {
        user: Staff,
        form: Form,
    },
}

/// Every screen that is a component, in the one list both delegations read. It names every
/// variant (no `_`), so a new screen must say whether it is one.
macro_rules! each_component {
    ($screen:expr, $as:ident) => {
        match $screen {
            Screen::Scoring(s) => Some(s.$as()),
            Screen::History(h) => Some(h.$as()),
            Screen::NoteEditor(e) => Some(e.$as()),
            Screen::Timeline(t) => Some(t.$as()),
            Screen::NoteSearch(n) => Some(n.$as()),
            Screen::Schedule(s) => Some(s.$as()),
            Screen::Plan(p) => Some(p.$as()),
            Screen::Handoff(h) => Some(h.$as()),
            Screen::Rounds(r) => Some(r.$as()),
            Screen::Accounts(a) => Some(a.$as()),
            Screen::Audit(a) => Some(a.$as()),
            Screen::Other(o) => Some(o.$as()),
            // The census's state lives in the model (`Model::front`); sign-in, first-run setup
            // and the lock are the session's own forms (`runner.rs`).
            Screen::Census | Screen::Setup(_) | Screen::SignIn(_) | Screen::Locked { .. } => None,
        }
    };
}

impl Screen {
    /// The screen as a component, when it is one (issue 15, point 1).
    pub fn component(&self) -> Option<&dyn Component> {
        each_component!(self, as_ref)
    }

    pub fn component_mut(&mut self) -> Option<&mut dyn Component> {
        each_component!(self, as_mut)
    }
}

/// A one-line message at the bottom of the screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

#[derive(Clone, Debug)]
pub struct Model {
    pub now: DateTime<Utc>,
    pub ward: Option<Ward>,
    /// The unit's late-entry threshold (REFERENCE.md section 5), reread when the data changes.
    pub late_entry: crate::domain::note::LateEntryRule,
    pub me: Option<Staff>,
    /// The screen in front.
    pub screen: Screen,
    /// The screens under it, in the order they were opened (the census at the bottom once a
    /// nurse is signed in): "back" closes the front one and shows the one below as it was left.
    pub below: Vec<Screen>,
    /// The ward's shared data, read by every screen (one snapshot, `Store::ward_board`).
    pub board: WardBoard,
    /// The census screen's place, sort and filter: kept while other screens are in front.
    pub census: CensusScreen,
    /// A modal form over the current screen.
    pub dialog: Option<Dialog>,
    pub help_open: bool,
    /// The page of a help that pages (the census's: [`crate::tui::view::paged_help_len`]).
    pub help_page: usize,
    pub notice: Option<Notice>,
    pub quit: bool,
    data_version: i64,
    /// The last key or paste: the idle lock counts from here.
    pub last_input: DateTime<Utc>,
    /// Work of nurses whose session was locked, kept in memory (neither lost nor shown) until
    /// they sign in again on this terminal. Notes are also saved as drafts in the database.
    pub stash: std::collections::HashMap<i64, crate::tui::session::Stashed>,
    /// The terminal's size as last reported; `None` until known (then the screen is assumed to fit).
    pub size: Option<(u16, u16)>,
    /// Ctrl-C over unsaved work: keep, discard or go back (issue 20 point 8).
    pub confirm_quit: Option<crate::tui::leave_flow::QuitConfirm>,
}

impl Model {
    /// The ward's time zone, the one place every screen reads it from (UTC before the ward
    /// exists: first-run setup shows no ward time).
    pub fn tz(&self) -> chrono_tz::Tz {
        self.ward.as_ref().map_or(chrono_tz::UTC, |w| w.tz)
    }

    /// The front screen as a component: the census (whose place, sort and filter live in the
    /// model, kept while other screens are in front) or the screen on top.
    pub fn front(&self) -> Option<&dyn Component> {
        match &self.screen {
            Screen::Census => Some(&self.census),
            s => s.component(),
        }
    }

    /// What a screen reads to draw.
    pub fn view(&self) -> View<'_> {
        View {
            now: self.now,
            tz: self.tz(),
            me: self.me.as_ref(),
            ward: self.ward.as_ref(),
            board: &self.board,
            late_entry: self.late_entry,
        }
    }
}

pub struct App {
    pub store: Store,
    pub model: Model,
}

impl App {
    /// Start on setup (empty database) or sign-in.
    pub fn new(store: Store, now: DateTime<Utc>) -> Result<App, StoreError> {
        let ward = store.ward()?;
        let late_entry = store.late_entry_rule()?;
        let screen = if ward.is_some() { Screen::SignIn(sign_in_form()) } else { Screen::Setup(setup_form()) };
        let data_version = store.data_version()?;
        let notice = store.permission_warning().map(|text| Notice { text, error: true });
        Ok(App {
            store,
            model: Model {
                now,
                ward,
                late_entry,
                me: None,
                screen,
                below: Vec::new(),
                board: WardBoard::default(),
                census: CensusScreen::new(&WardBoard::default(), now),
                dialog: None,
                help_open: false,
                help_page: 0,
                notice,
                quit: false,
                data_version,
                last_input: now,
                stash: Default::default(),
                size: None,
                confirm_quit: None,
            },
        })
    }

    /// Sign a known person straight in (tests and benchmarks; never from the command line).
    pub fn signed_in_as(mut self, me: Staff) -> Result<App, StoreError> {
        self.model.board = self.store.ward_board(Some(&me), self.model.now, self.model.tz())?;
        self.model.census = CensusScreen::new(&self.model.board, self.model.now);
        self.home(Screen::Census);
        self.model.me = Some(me);
        self.refresh_board_cells();
        Ok(self)
    }

    /// Put `screen` in front; the one in front now waits below it.
    pub(crate) fn open(&mut self, screen: Screen) {
        let was = std::mem::replace(&mut self.model.screen, screen);
        self.model.below.push(was);
    }

    /// Show `screen`: in place of the front one when it is the same screen reloaded (the schedule
    /// after a mark, the plan after a new version), else in front of it.
    pub(crate) fn show(&mut self, screen: Screen) {
        let same = match (&screen, &self.model.screen) {
            (Screen::Other(a), Screen::Other(b)) => a.kind() == b.kind(),
            (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
        };
        if same {
            self.model.screen = screen;
        } else {
            self.open(screen);
        }
    }

    /// Close the front screen: the one below comes back as it was left (the census if none).
    pub(crate) fn back(&mut self) {
        self.model.screen = self.model.below.pop().unwrap_or(Screen::Census);
    }

    /// Start a nurse's navigation afresh on `screen` (sign-in, unlock by another nurse).
    pub(crate) fn home(&mut self, screen: Screen) {
        self.model.below.clear();
        self.model.screen = screen;
    }

    pub(crate) fn tell(&mut self, text: impl Into<String>, error: bool) {
        self.model.notice = Some(Notice { text: text.into(), error });
    }

    /// Reload the ward's shared board (after a write, a sign-in, another terminal's change),
    /// keeping the nurse's place on the census.
    pub(crate) fn reload_census(&mut self) {
        match self.store.ward_board(self.model.me.as_ref(), self.model.now, self.model.tz()) {
            Ok(board) => {
                let before = std::mem::replace(&mut self.model.board, board);
                self.model.census.board_changed(&before, &self.model.board, self.model.now);
            }
            Err(e) => self.tell(format!("Could not load the census: {e}"), true),
        }
        if let Ok(v) = self.store.data_version() {
            self.model.data_version = v;
        }
    }

    /// Save the open draft now (locking, quitting, the app ending): nothing typed is lost.
    pub(crate) fn save_open_draft(&mut self) {
        let cmd = match &self.model.screen {
            Screen::NoteEditor(e) if e.dirty => e.save(AfterSave::Stay),
            _ => return,
        };
        self.run(cmd);
    }

    /// Before the app ends: nothing typed is lost.
    pub fn shutdown(&mut self) {
        self.save_open_draft();
    }

    pub fn update(&mut self, msg: Msg) {
        let was_editing = matches!(self.model.screen, Screen::NoteEditor(_));
        let had_help = self.model.help_open;
        match msg {
            Msg::Tick(now) => self.tick(now),
            Msg::Resize(w, h) => self.model.size = Some((w, h)),
            Msg::Paste(s) => self.paste(&s),
            Msg::Key(k) if is_press(&k) => self.key(k),
            Msg::Key(_) => {}
        }
        // A help opened anew starts at its first page.
        if self.model.help_open && !had_help {
            self.model.help_page = 0;
        }
        // Leaving the note editor (kept, signed, discarded) changes the nurse's drafts.
        if was_editing && !matches!(self.model.screen, Screen::NoteEditor(_)) && self.model.me.is_some() {
            self.reload_census();
        }
        // And what the board's cells read, when the data or the clock moved.
        self.refresh_board_cells();
    }

    /// The reminder of the nurse's unsigned drafts, naming the patients (sign-in and unlock),
    /// sized to the message area's three lines at the terminal's width (with room for the words
    /// wrapped whole).
    pub(crate) fn drafts_reminder(&self, me: &Staff) -> Option<String> {
        let width = self.model.size.map_or(crate::tui::view::MIN_WIDTH, |(w, _)| w);
        let budget = (usize::from(width).saturating_sub(2) * 3).saturating_sub(30);
        match self.store.my_drafts_by_stay(me) {
            Ok(d) => crate::domain::drafts::reminder(&d, budget),
            Err(e) => Some(format!("Could not read your drafts: {e}")),
        }
    }

    fn refresh_board_cells(&mut self) {
        let tz = self.model.tz();
        self.model.census.refresh_cells(&self.model.board, self.model.now, tz);
    }

    fn tick(&mut self, now: DateTime<Utc>) {
        self.model.now = now;
        if self.model.me.is_none() {
            return;
        }
        if let Some(cmd) = self.with_front(|front, ctx| front.on_tick(ctx)) {
            self.run(cmd);
        }
        if self.idle_lock_due(now) {
            self.lock("Locked after inactivity.");
            return;
        }
        if let Ok(v) = self.store.data_version()
            && v != self.model.data_version
        {
            // A threshold set meanwhile (`wardterm config set late-entry-minutes`) labels at once.
            match self.store.late_entry_rule() {
                Ok(rule) => {
                    self.model.late_entry = rule;
                    if let Screen::NoteEditor(e) = &mut self.model.screen {
                        e.late_rule = rule;
                    }
                }
                Err(e) => self.tell(e.to_string(), true),
            }
            self.reload_census();
        }
        if self.model.census.sort != SortBy::Bed {
            self.model.census.reorder(&self.model.board, now);
        }
    }

    fn paste(&mut self, s: &str) {
        self.model.last_input = self.model.now;
        if self.too_small() || self.model.confirm_quit.is_some() {
            return; // nothing goes in that the nurse cannot see
        }
        if let Some(d) = &mut self.model.dialog {
            d.form.paste(s);
            return;
        }
        if let Some(cmd) = self.with_front(|front, ctx| front.on_paste(s, ctx)) {
            return self.run(cmd);
        }
        match &mut self.model.screen {
            Screen::Setup(f) | Screen::SignIn(f) | Screen::Locked { form: f, .. } => f.paste(s),
            _ => {}
        }
    }

    fn key(&mut self, k: KeyEvent) {
        self.model.last_input = self.model.now;
        // Too small a window, the quit question, and Ctrl-C (see leave_flow.rs).
        if self.guard_key(&k) {
            return;
        }
        if self.model.help_open {
            // A help longer than the screen pages with PgDn / PgUp; any other key closes it.
            if let Some(len) = crate::tui::view::paged_help_len(&self.model) {
                let h = self.model.size.map_or(crate::tui::view::MIN_HEIGHT, |(_, h)| h);
                let rows = usize::from(h.saturating_sub(2)).max(1);
                let last = len.saturating_sub(1) / rows;
                let page = self.model.help_page.min(last);
                let step = match k.code {
                    KeyCode::PageDown if len > rows => Some(page.saturating_add(1).min(last)),
                    KeyCode::PageUp if len > rows => Some(page.saturating_sub(1)),
                    _ => None,
                };
                if let Some(p) = step {
                    self.model.help_page = p;
                    return;
                }
            }
            self.model.help_open = false;
            return;
        }
        // Ctrl-L locks the terminal from any screen (the census also has L).
        if k.code == KeyCode::Char('l') && k.modifiers.contains(KeyModifiers::CONTROL) && self.model.me.is_some() {
            return self.lock("Locked. Your work is kept for you.");
        }
        self.model.notice = None;
        if self.model.dialog.is_some() {
            self.dialog_key(k);
            return;
        }
        if let Some(cmd) = self.with_front(|front, ctx| front.on_key(&k, ctx)) {
            return self.run(cmd);
        }
        match &mut self.model.screen {
            Screen::Setup(form) => match form.handle_key(&k) {
                FormEvent::Submit => self.submit_setup(),
                FormEvent::Cancel => self.model.quit = true,
                FormEvent::Edited => {}
            },
            Screen::SignIn(form) => match form.handle_key(&k) {
                FormEvent::Submit => self.submit_sign_in(),
                FormEvent::Cancel => self.model.quit = true,
                FormEvent::Edited => {}
            },
            Screen::Locked { form, .. } => match form.handle_key(&k) {
                FormEvent::Submit => self.submit_unlock(),
                FormEvent::Cancel | FormEvent::Edited => {}
            },
            // Components: handled above.
            _ => {}
        }
    }

    fn dialog_key(&mut self, k: KeyEvent) {
        let Some(d) = &mut self.model.dialog else { return };
        match d.form.handle_key(&k) {
            FormEvent::Edited => {}
            FormEvent::Cancel => {
                self.model.dialog = None;
                self.tell("Cancelled; nothing was saved.", false);
            }
            FormEvent::Submit => {
                // A dialog the front screen opened is the screen's to answer.
                let asked = d.clone();
                if let Some(answer) = self.with_front(|front, ctx| front.on_dialog(&asked, ctx)).flatten() {
                    match answer {
                        Ok(cmd) => {
                            self.model.dialog = None;
                            self.run(cmd);
                        }
                        Err(e) => {
                            if let Some(d) = &mut self.model.dialog {
                                d.form.error = Some(e);
                            }
                        }
                    }
                    return;
                }
                // No screen answers it: say so, and keep the form.
                if let Some(d) = &mut self.model.dialog {
                    d.form.error = Some("this form belongs to a screen that is no longer open; Esc closes it".into());
                }
            }
        }
    }
}
