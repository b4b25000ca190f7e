//! The Elm loop's model and update: `update(&mut App, Msg)` is the only place state changes.
//! Messages are data (keys, paste, tick), so tests drive the app without a terminal.
use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::user::Staff;
use crate::domain::ward::{NewUser, Setup, Ward};
use crate::store::Store;
use crate::tui::keymap::{is_press, lookup};
use crate::tui::screens::census::{CensusAction, CensusScreen, KEYS as CENSUS_KEYS};
use crate::tui::screens::sign_in::{setup_form, sign_in_form};
use crate::tui::screens::stay_forms::{self, Dialog};
use crate::tui::widgets::form::{Form, FormEvent};

/// Everything that can happen to the app.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// The clock moved (once a second); refreshes "time since", due states and other terminals'
    /// changes.
    Tick(DateTime<Utc>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Screen {
    Setup(Form),
    SignIn(Form),
    Census {
        board: CensusScreen,
        dialog: Option<Dialog>,
    },
}

/// A one-line message at the bottom of the screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub now: DateTime<Utc>,
    pub ward: Option<Ward>,
    pub me: Option<Staff>,
    pub screen: Screen,
    pub help_open: bool,
    pub notice: Option<Notice>,
    pub quit: bool,
    data_version: i64,
}

pub struct App {
    pub store: Store,
    pub model: Model,
}

impl App {
    /// Start on setup (empty database) or sign-in.
    pub fn new(store: Store, now: DateTime<Utc>) -> Result<App, crate::store::StoreError> {
        let ward = store.ward()?;
        let screen = if ward.is_some() {
            Screen::SignIn(sign_in_form())
        } else {
            Screen::Setup(setup_form())
        };
        let data_version = store.data_version()?;
        Ok(App {
            store,
            model: Model {
                now,
                ward,
                me: None,
                screen,
                help_open: false,
                notice: None,
                quit: false,
                data_version,
            },
        })
    }

    /// Sign a known person straight in (tests and benchmarks; never from the command line).
    pub fn signed_in_as(mut self, me: Staff) -> Result<App, crate::store::StoreError> {
        let rows = self.store.census()?;
        self.model.screen = Screen::Census {
            board: CensusScreen::new(rows, self.model.now),
            dialog: None,
        };
        self.model.me = Some(me);
        Ok(self)
    }

    fn tell(&mut self, text: impl Into<String>, error: bool) {
        self.model.notice = Some(Notice {
            text: text.into(),
            error,
        });
    }

    fn reload_census(&mut self) {
        let now = self.model.now;
        match self.store.census() {
            Ok(rows) => {
                if let Screen::Census { board, .. } = &mut self.model.screen {
                    board.set_rows(rows, now);
                }
            }
            Err(e) => self.tell(format!("Could not load the census: {e}"), true),
        }
    }

    pub fn update(&mut self, msg: Msg) {
        match msg {
            Msg::Tick(now) => self.tick(now),
            Msg::Paste(s) => self.paste(&s),
            Msg::Key(k) if is_press(&k) => self.key(k),
            Msg::Key(_) => {}
        }
    }

    fn tick(&mut self, now: DateTime<Utc>) {
        self.model.now = now;
        if let Ok(v) = self.store.data_version()
            && v != self.model.data_version
        {
            self.model.data_version = v;
            self.reload_census();
        }
        if let Screen::Census { board, .. } = &mut self.model.screen
            && board.sort != crate::domain::census::SortBy::Bed
        {
            board.reorder(now);
        }
    }

    fn paste(&mut self, s: &str) {
        match &mut self.model.screen {
            Screen::Setup(f) | Screen::SignIn(f) => f.paste(s),
            Screen::Census {
                dialog: Some(d), ..
            } => d.form.paste(s),
            Screen::Census {
                board,
                dialog: None,
            } if board.filtering => {
                board
                    .filter
                    .extend(s.chars().filter(|c| !c.is_control()).take(100));
                board.reorder(self.model.now);
            }
            Screen::Census { .. } => {}
        }
    }

    fn key(&mut self, k: KeyEvent) {
        if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
            self.model.quit = true;
            return;
        }
        if self.model.help_open {
            self.model.help_open = false;
            return;
        }
        self.model.notice = None;
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
            Screen::Census {
                dialog: Some(_), ..
            } => self.dialog_key(k),
            Screen::Census { board, .. } if board.filtering => {
                match k.code {
                    KeyCode::Enter => board.filtering = false,
                    KeyCode::Esc => {
                        board.filtering = false;
                        board.filter.clear();
                    }
                    KeyCode::Backspace => {
                        board.filter.pop();
                    }
                    KeyCode::Char(c)
                        if !k.modifiers.contains(KeyModifiers::CONTROL)
                            && board.filter.len() < 100 =>
                    {
                        board.filter.push(c)
                    }
                    _ => {}
                }
                board.reorder(self.model.now);
            }
            Screen::Census { .. } => self.census_key(k),
        }
    }

    fn submit_setup(&mut self) {
        let Screen::Setup(form) = &mut self.model.screen else {
            return;
        };
        let v = |i| form.value(i);
        let result = NewUser::validate(
            &v(3),
            &v(4),
            &v(5),
            crate::domain::user::Role::Charge,
            &v(6),
            &v(7),
        )
        .and_then(|u| Setup::validate(&v(0), &v(1), &v(2), u));
        let setup = match result {
            Ok(s) => s,
            Err(e) => {
                form.error = Some(e);
                return;
            }
        };
        match self.store.setup(&setup, false, self.model.now) {
            Ok(_) => {
                self.model.ward = self.store.ward().ok().flatten();
                self.model.screen = Screen::SignIn(sign_in_form());
                self.tell(
                    "The ward is set up. Sign in with the account you just made.",
                    false,
                );
            }
            Err(e) => form.error = Some(e.to_string()),
        }
    }

    fn submit_sign_in(&mut self) {
        let Screen::SignIn(form) = &mut self.model.screen else {
            return;
        };
        let (user, pw) = (form.value(0), form.value(1));
        if user.trim().is_empty() || pw.is_empty() {
            form.error = Some("type your username and password".into());
            return;
        }
        match self.store.sign_in(&user, &pw, self.model.now) {
            Ok(Ok(me)) => match self.store.census() {
                Ok(rows) => {
                    self.model.screen = Screen::Census {
                        board: CensusScreen::new(rows, self.model.now),
                        dialog: None,
                    };
                    self.model.me = Some(me);
                }
                Err(e) => form.error = Some(format!("could not load the census: {e}")),
            },
            Ok(Err(refused)) => {
                *form = sign_in_form();
                form.error = Some(refused.to_string());
            }
            Err(e) => form.error = Some(e.to_string()),
        }
    }

    fn census_key(&mut self, k: KeyEvent) {
        let Some(me) = self.model.me.clone() else {
            return;
        };
        let Some(action) = lookup(CENSUS_KEYS, &k, |a: CensusAction| a.allowed(me.role)) else {
            if let Some(a) = lookup(CENSUS_KEYS, &k, |_| true) {
                self.tell(format!("A {} may not do this ({a:?}).", me.role), true);
            }
            return;
        };
        let now = self.model.now;
        let Screen::Census { board, dialog } = &mut self.model.screen else {
            return;
        };
        let page = 10;
        let current = board.current().cloned();
        let occupant = current.as_ref().and_then(|r| r.occupant.clone());
        let opened: Result<Option<Dialog>, String> = match action {
            CensusAction::Up => {
                board.move_by(-1);
                Ok(None)
            }
            CensusAction::Down => {
                board.move_by(1);
                Ok(None)
            }
            CensusAction::PageUp => {
                board.move_by(-page);
                Ok(None)
            }
            CensusAction::PageDown => {
                board.move_by(page);
                Ok(None)
            }
            CensusAction::Top => {
                board.move_by(-10_000);
                Ok(None)
            }
            CensusAction::Bottom => {
                board.move_by(10_000);
                Ok(None)
            }
            CensusAction::Sort => {
                board.sort = board.sort.next();
                board.reorder(now);
                Ok(None)
            }
            CensusAction::Filter => {
                board.filtering = true;
                Ok(None)
            }
            CensusAction::Help => {
                self.model.help_open = true;
                Ok(None)
            }
            CensusAction::Quit => {
                self.model.quit = true;
                Ok(None)
            }
            CensusAction::SignOut => {
                self.model.me = None;
                self.model.screen = Screen::SignIn(sign_in_form());
                self.tell("Signed out.", false);
                return;
            }
            CensusAction::Refresh => {
                self.reload_census();
                return;
            }
            CensusAction::Admit => match (&current, &occupant) {
                (Some(r), None) => stay_forms::admit(&self.store, &r.bed, r.bed_id)
                    .map(Some)
                    .map_err(|e| e.to_string()),
                (Some(r), Some(o)) => Err(format!(
                    "Bed {} is occupied by {}; choose an empty bed.",
                    r.bed, o.name
                )),
                (None, _) => Err("No bed selected.".into()),
            },
            _ if occupant.is_none() => Err("Choose an occupied bed first.".into()),
            CensusAction::Transfer => {
                let o = occupant
                    .as_ref()
                    .map(|o| o.name.clone())
                    .unwrap_or_default();
                let empty: Vec<(i64, String)> = board
                    .rows
                    .iter()
                    .filter(|r| r.occupant.is_none())
                    .map(|r| (r.bed_id, r.bed.clone()))
                    .collect();
                if empty.is_empty() {
                    Err("There is no empty bed to transfer to.".into())
                } else {
                    let from = current.as_ref().map(|r| r.bed.clone()).unwrap_or_default();
                    Ok(Some(stay_forms::transfer(
                        &self.store,
                        occupant.as_ref().map_or(0, |o| o.stay_id),
                        &o,
                        &from,
                        &empty,
                    )))
                }
            }
            CensusAction::LevelOfCare => {
                let o = occupant.as_ref().cloned();
                o.map_or(Ok(None), |o| {
                    stay_forms::level_of_care(&self.store, o.stay_id, &o.name, &o.level_of_care)
                        .map(Some)
                        .map_err(|e| e.to_string())
                })
            }
            CensusAction::Observation => {
                let o = occupant.as_ref().cloned();
                o.map_or(Ok(None), |o| {
                    stay_forms::observation(&self.store, o.stay_id, &o.name, &o.observation)
                        .map(Some)
                        .map_err(|e| e.to_string())
                })
            }
            CensusAction::Discharge => Ok(occupant
                .as_ref()
                .map(|o| stay_forms::discharge(o.stay_id, &o.name, o.admitted_at))),
        };
        match opened {
            Ok(Some(d)) => *dialog = Some(d),
            Ok(None) => {}
            Err(e) => self.tell(e, true),
        }
    }

    fn dialog_key(&mut self, k: KeyEvent) {
        let (Some(me), Some(ward)) = (self.model.me.clone(), self.model.ward.clone()) else {
            return;
        };
        let now = self.model.now;
        let Screen::Census {
            dialog: Some(d), ..
        } = &mut self.model.screen
        else {
            return;
        };
        match d.form.handle_key(&k) {
            FormEvent::Edited => {}
            FormEvent::Cancel => {
                if let Screen::Census { dialog, .. } = &mut self.model.screen {
                    *dialog = None;
                }
                self.tell("Cancelled; nothing was saved.", false);
            }
            FormEvent::Submit => match stay_forms::submit(d, &mut self.store, &me, &ward, now) {
                Ok(msg) => {
                    if let Screen::Census { dialog, .. } = &mut self.model.screen {
                        *dialog = None;
                    }
                    self.reload_census();
                    if let Ok(v) = self.store.data_version() {
                        self.model.data_version = v;
                    }
                    self.tell(msg, false);
                }
                Err(e) => d.form.error = Some(e),
            },
        }
    }
}
