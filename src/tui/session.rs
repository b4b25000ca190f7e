//! Sessions on a shared terminal: the idle lock, unlocking, and another nurse signing in while
//! the first one's unsaved work is kept (HIPAA automatic logoff, REFERENCE.md section 6).
use chrono::{DateTime, Duration, Utc};

use crate::domain::census::WardBoard;
use crate::tui::app::{App, Screen};
use crate::tui::screens::census::CensusScreen;
use crate::tui::screens::dialog::Dialog;
use crate::tui::widgets::form::{Field, Form, LOCK_KEYS};

/// One nurse's screens, put aside while the terminal is locked or used by someone else.
#[derive(Clone, Debug)]
pub struct Stashed {
    pub screen: Screen,
    /// The screens under it.
    pub below: Vec<Screen>,
    pub dialog: Option<Dialog>,
    /// Their place, sort and filter on the census.
    pub census: CensusScreen,
}

/// The lock screen's form: the username is given, the password is not.
pub fn unlock_form(username: &str) -> Form {
    let mut form = Form::new(
        "Locked",
        vec![
            Field::text("Username", "yours to unlock; another nurse may sign in with theirs").with_text(username),
            Field::secret("Password", ""),
        ],
    );
    form.focus = 1;
    form.keys = LOCK_KEYS;
    form.intro = vec!["No patient data is shown while the terminal is locked.".into()];
    form
}

impl App {
    pub(crate) fn idle_lock_due(&self, now: DateTime<Utc>) -> bool {
        let Some(ward) = &self.model.ward else { return false };
        self.model.me.is_some() && now - self.model.last_input >= Duration::seconds(i64::from(ward.idle_lock_secs))
    }

    /// Lock: save the open draft, put the nurse's screens aside, show nothing of any patient.
    pub(crate) fn lock(&mut self, why: &str) {
        self.save_open_draft();
        // A quit question left open would let whoever comes next discard this nurse's work.
        self.model.confirm_quit = None;
        let Some(me) = self.model.me.take() else { return };
        let screen = std::mem::replace(
            &mut self.model.screen,
            Screen::Locked { user: me.clone(), form: unlock_form(&me.username) },
        );
        let stashed =
            Stashed {
                screen,
                below: std::mem::take(&mut self.model.below),
                // A receiving nurse's identity confirmed before the lock is not kept past it: whoever
                // unlocks must have the receiver identify herself again.
                dialog: self.model.dialog.take().filter(|d| {
                    !matches!(d.kind, crate::tui::screens::dialog::DialogKind::ConfirmAcceptInPlace { .. })
                }),
                census: self.model.census.clone(),
            };
        self.model.stash.insert(me.id, stashed);
        // Nothing of the ward stays loaded behind the lock screen.
        self.model.board = WardBoard::default();
        self.model.help_open = false;
        self.tell(why, false);
    }

    /// Give a nurse back what they left, if this terminal kept anything for them.
    pub(crate) fn restore_stash(&mut self, user_id: i64) {
        if let Some(s) = self.model.stash.remove(&user_id) {
            self.model.screen = s.screen;
            self.model.below = s.below;
            self.model.dialog = s.dialog;
            self.model.census = s.census;
            self.model.census.reorder(&self.model.board, self.model.now);
            self.tell("Welcome back: your screen is as you left it.", false);
        }
    }
}
