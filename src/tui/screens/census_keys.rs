//! What the census does with a key: the board's own moves (place, sort, filter), the screens it
//! opens on the selected bed, and the stay forms it puts over itself. The census's state is its
//! place, sort and filter ([`CensusScreen`]); the board it shows is the ward's
//! (`Ctx::board`), shared with every screen.
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;

use crate::domain::census::CensusRow;
use crate::tui::app::Screen;
use crate::tui::component::{Cmd, Component, Ctx, Done, View};
use crate::tui::keymap::{Hints, help_lines, hints, lookup, short_of};
use crate::tui::screens::admin::{AccountsScreen, AuditScreen};
use crate::tui::screens::admission::AdmissionScreen;
use crate::tui::screens::census::{self, CensusAction, CensusScreen, KEYS};
use crate::tui::screens::dialog::Dialog;
use crate::tui::screens::handoff::HandoffScreen;
use crate::tui::screens::history::HistoryScreen;
use crate::tui::screens::mar::MarScreen;
use crate::tui::screens::note_editor;
use crate::tui::screens::plan::ScheduleScreen;
use crate::tui::screens::plan_forms::warn_open_aftercare;
use crate::tui::screens::risk_screen::RiskScreen;
use crate::tui::screens::rounds::RoundsScreen;
use crate::tui::screens::scoring::ScoringScreen;
use crate::tui::screens::stay_forms;
use crate::tui::screens::timeline::TimelineScreen;
use crate::tui::widgets::line_input;

/// The longest census filter.
pub const MAX_FILTER: usize = 100;

/// What the census board's markers mean, listed under its keys in the help (four lines of at
/// most 66 characters, so a nurse's keys and the legend fit one column at 80x24; the charge
/// nurse's longer list pages with PgDn).
pub const LEGEND: &[(&str, &str)] = &[
    ("marks", "! overdue (red) · * severe band · UTA unable to assess, never 0"),
    ("", "P4+ PAWSS high · +N more · AC 3/6 = 3 of 6 done · ✎ your draft"),
    // S/F: suicide risk (C-SSRS triage) then fall risk (Morse band), REFERENCE.md §3a; I: the
    // handoff's I-PASS severity; "?" a screen not done or a handoff not accepted.
    ("", "S/F C-SSRS/Morse n none l low m mod H high · I SWU · ? not done"),
    // M: the most urgent medication or escalation mark (REFERENCE.md §9, §10); the detail lines
    // say the next dose, the open prompts and the latest vital signs in words.
    ("", "M ! dose overdue · N notify provider · F follow-up · · none now"),
];

/// The census help: the keys the role may use, then the legend of every marker.
pub fn help(role: Option<crate::domain::user::Role>) -> Hints {
    let mut rows = help_lines(KEYS, |a: CensusAction| role.is_some_and(|r| a.allowed(r)));
    rows.extend(LEGEND.iter().map(|(k, h)| ((*k).to_string(), *h)));
    rows
}

impl CensusScreen {
    fn filter_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        match k.code {
            KeyCode::Enter => self.filtering = false,
            KeyCode::Esc => {
                self.filtering = false;
                self.filter.clear();
            }
            _ => {
                line_input::edit(&mut self.filter, k, MAX_FILTER);
            }
        }
        self.reorder(ctx.board, ctx.now);
        Cmd::None
    }

    /// A key on the selected bed: a screen about its patient, or a form over the census.
    fn bed_key(&self, action: CensusAction, row: &CensusRow, ctx: &Ctx<'_>) -> Cmd {
        let store = ctx.store;
        if action == CensusAction::Admit {
            return match &row.occupant {
                None => dialog(stay_forms::admit(store, &row.bed, row.bed_id).map_err(|e| e.to_string())),
                Some(o) => Cmd::error(format!("Bed {} is occupied by {}; choose an empty bed.", row.bed, o.name)),
            };
        }
        let Some(o) = &row.occupant else {
            return Cmd::error(format!("Bed {} is empty: choose an occupied bed first.", row.bed));
        };
        let title = format!("Bed {} · {}", row.bed, o.name);
        match action {
            CensusAction::Score => ScoringScreen::open(row, ctx),
            CensusAction::RiskScreen => RiskScreen::open(row, ctx),
            CensusAction::Vitals => crate::tui::screens::vitals::VitalsScreen::open(row, ctx),
            CensusAction::ProviderCall => crate::tui::screens::provider_call::CallScreen::open(row, ctx),
            CensusAction::Emergency => crate::tui::screens::emergency::EmergencyScreen::open(row, ctx),
            CensusAction::NewNote => note_editor::new_note(store, &ctx.view, o.stay_id, o.patient_id, title),
            CensusAction::Assessment => AdmissionScreen::open(ctx, o.stay_id),
            CensusAction::Timeline => TimelineScreen::open(store, o.stay_id, o.patient_id, &title),
            CensusAction::Trend => HistoryScreen::open(store, row, ctx.temp_unit()),
            // Issue 17: PRN doses are given from the record, against the patient's PRN orders.
            CensusAction::Prn => MarScreen::open(row, ctx, true),
            CensusAction::Mar => MarScreen::open(row, ctx, false),
            CensusAction::SafetyFact => Cmd::Dialog(stay_forms::safety_fact(
                o.stay_id,
                &o.name,
                &o.allergies,
                &o.precautions,
                o.code_status.code(),
            )),
            CensusAction::Transfer => {
                let empty: Vec<(i64, String)> =
                    ctx.board.rows.iter().filter(|r| r.occupant.is_none()).map(|r| (r.bed_id, r.bed.clone())).collect();
                if empty.is_empty() {
                    Cmd::error("There is no empty bed to transfer to.")
                } else {
                    Cmd::Dialog(stay_forms::transfer(store, o.stay_id, &o.name, &row.bed, &empty))
                }
            }
            CensusAction::LevelOfCare => dialog(
                stay_forms::level_of_care(store, o.stay_id, &o.name, &o.level_of_care).map_err(|e| e.to_string()),
            ),
            CensusAction::Observation => {
                dialog(stay_forms::observation(store, o.stay_id, &o.name, &o.observation).map_err(|e| e.to_string()))
            }
            CensusAction::Discharge => {
                let d = stay_forms::discharge(o.stay_id, &o.name, o.admitted_at);
                Cmd::Dialog(warn_open_aftercare(store, d, o.stay_id))
            }
            _ => Cmd::None,
        }
    }
}

fn dialog(opened: Result<Dialog, String>) -> Cmd {
    match opened {
        Ok(d) => Cmd::Dialog(d),
        Err(e) => Cmd::error(e),
    }
}

impl Component for CensusScreen {
    fn title(&self) -> String {
        "Census".into()
    }

    /// The keys and the legend of every marker the board shows (issue 20, point 11), in one
    /// column: a two-column help cuts every line, so a longer list pages.
    fn hints(&self, view: &View<'_>) -> (Hints, Hints) {
        let role = view.role();
        (hints(&[KEYS], |a: CensusAction| role.is_some_and(|r| a.allowed(r))).0, help(role))
    }

    fn on_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        if self.filtering {
            return self.filter_key(k, ctx);
        }
        let Some(me) = ctx.me else { return Cmd::None };
        let Some(action) = lookup(KEYS, k, |a: CensusAction| a.allowed(me.role)) else {
            return match lookup(KEYS, k, |_| true) {
                Some(a) => Cmd::error(format!("A {} may not {}.", me.role, short_of(KEYS, a))),
                None => Cmd::None,
            };
        };
        let (board, now) = (ctx.board, ctx.now);
        match action {
            CensusAction::Up => self.move_by(-1),
            CensusAction::Down => self.move_by(1),
            CensusAction::PageUp => self.move_by(-10),
            CensusAction::PageDown => self.move_by(10),
            CensusAction::Top => self.move_by(-10_000),
            CensusAction::Bottom => self.move_by(10_000),
            CensusAction::Sort => {
                self.sort = self.sort.next();
                self.reorder(board, now);
            }
            CensusAction::Filter => self.filtering = true,
            // Esc clears an applied filter (README and help say so); with none, it does nothing.
            CensusAction::ClearFilter => {
                self.filter.clear();
                self.reorder(board, now);
            }
            CensusAction::Accounts => return AccountsScreen::open(ctx.store),
            CensusAction::Handoff => return HandoffScreen::open(ctx.store, now, ctx.tz),
            CensusAction::Round => return RoundsScreen::open(&ctx.view),
            CensusAction::Schedule => return ScheduleScreen::open(ctx.store, &ctx.view),
            CensusAction::MarDue => return crate::tui::screens::mar_due::DueScreen::open(ctx),
            CensusAction::Audit => return AuditScreen::open(ctx.store, Default::default()),
            CensusAction::FindNotes => return Cmd::Show(Screen::NoteSearch(Box::default())),
            CensusAction::Help => return Cmd::Help,
            // As Ctrl-C: a locked session's unsaved work kept here is not thrown away unasked.
            CensusAction::Quit => return Cmd::Quit,
            CensusAction::SignOut => return Cmd::Lock,
            _ => {
                return match self.current(board) {
                    Some(row) => self.bed_key(action, row, ctx),
                    None => Cmd::error("No bed selected."),
                };
            }
        }
        Cmd::None
    }

    fn on_paste(&mut self, text: &str, ctx: &Ctx<'_>) -> Cmd {
        if self.filtering {
            line_input::paste(&mut self.filter, text, MAX_FILTER);
            self.reorder(ctx.board, ctx.now);
        }
        Cmd::None
    }

    fn on_done(&mut self, done: Done, ctx: &Ctx<'_>) -> Cmd {
        match done {
            Done::NoteStarted { result, opening } => note_editor::opened(result, opening, &ctx.view),
            Done::StayChanged { result, dialog } => stay_forms::changed(result, dialog),
            // After the admission form, the admission assessment opens for the new stay.
            Done::Admitted { stay_id, message } => {
                Cmd::Many(vec![AdmissionScreen::open(ctx, stay_id), Cmd::tell(message)])
            }
            _ => Cmd::None,
        }
    }

    /// The stay forms and the new-note format, put over the census.
    fn on_dialog(&mut self, d: &Dialog, ctx: &Ctx<'_>) -> Option<Result<Cmd, String>> {
        note_editor::start_note(d).or_else(|| stay_forms::answer(d, ctx))
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        let can_admit = view.role().is_some_and(|r| CensusAction::Admit.allowed(r));
        census::draw(f, area, self, view.board, view.now, view.tz, can_admit);
    }
}
