//! Keys that must not lose or do blind what the nurse cannot see (issue 20, points 5 and 8).
//!
//! - While the window is too small to draw (the screen says "Window too small"), every key but
//!   Ctrl-C (quit) and Ctrl-L (lock) is dropped: nothing happens that the nurse cannot see.
//! - Ctrl-C over unsaved work (scores, a form typed into, a note draft that could not be saved,
//!   another session's work kept on this terminal) asks first: keep it (lock the terminal, the
//!   work waits for the password), discard it and quit, or go back to it. With nothing unsaved,
//!   Ctrl-C quits at once as before (an open note's draft is saved first).
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::domain::text::inert;
use crate::tui::app::{App, Screen};
use crate::tui::keymap::{Binding, Key, lookup};
use crate::tui::screens::dialog::Dialog;
use crate::tui::theme;
use crate::tui::view;

/// The question Ctrl-C asks over unsaved work.
#[derive(Clone, Debug, PartialEq)]
pub struct QuitConfirm {
    /// What quitting would lose, one line each (no patient data while the terminal is locked).
    pub work: Vec<String>,
    /// Someone is signed in, so the work can be kept by locking the terminal.
    pub can_keep: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfirmAction {
    Keep,
    Discard,
    Back,
}

#[rustfmt::skip]
pub static CONFIRM_KEYS: &[Binding<ConfirmAction>] = &[
    Binding::foot(&[Key::ch('k'), Key::ctrl('l')], ConfirmAction::Keep,    "keep (lock)",      "Keep it: lock the terminal; it waits for your password"),
    Binding::foot(&[Key::ch('d')],                 ConfirmAction::Discard, "discard and quit", "Discard it and quit wardterm"),
    Binding::foot(&[Key::plain(KeyCode::Esc), Key::ch('b'), Key::plain(KeyCode::Enter)], ConfirmAction::Back, "go back", "Go back to it, as it was"),
];

impl QuitConfirm {
    pub fn allowed(&self, a: ConfirmAction) -> bool {
        a != ConfirmAction::Keep || self.can_keep
    }
}

fn is_ctrl(k: &KeyEvent, c: char) -> bool {
    k.code == KeyCode::Char(c) && k.modifiers.contains(KeyModifiers::CONTROL)
}

/// What would be lost if these screens and this dialog went away now: every screen of the stack
/// says what it holds unsaved (a score waiting under the trend it opened counts too).
fn unsaved(screen: &Screen, below: &[Screen], dialog: Option<&Dialog>) -> Vec<String> {
    let mut work: Vec<String> =
        std::iter::once(screen).chain(below.iter().rev()).filter_map(|s| s.component()?.unsaved()).collect();
    if let Some(d) = dialog
        && d.form.touched
    {
        work.push(format!("the form \"{}\", filled in but not saved", d.form.title));
    }
    work
}

impl App {
    /// The window is too small to show the screen: keys would act blind.
    pub(crate) fn too_small(&self) -> bool {
        self.model.size.is_some_and(|(w, h)| !view::fits(w, h))
    }

    /// Everything unsaved on this terminal: the nurse's own, and other sessions' kept here.
    fn unsaved_work(&self) -> Vec<String> {
        let locked = self.model.me.is_none();
        let mut work = if locked {
            Vec::new()
        } else {
            unsaved(&self.model.screen, &self.model.below, self.model.dialog.as_ref())
        };
        let kept =
            self.model.stash.values().filter(|s| !unsaved(&s.screen, &s.below, s.dialog.as_ref()).is_empty()).count();
        if kept > 0 {
            // Never patient details here: the lock screen shows none.
            let s = if kept == 1 { "" } else { "s" };
            work.push(format!("unsaved work of {kept} locked session{s}, kept on this terminal"));
        }
        work
    }

    /// Keys taken before the screen's own: while the window is too small, while the quit
    /// question is open, and Ctrl-C. True when the key was dealt with here.
    pub(crate) fn guard_key(&mut self, k: &KeyEvent) -> bool {
        if self.too_small() {
            if is_ctrl(k, 'c') {
                self.quit_asking();
            } else if is_ctrl(k, 'l') && self.model.me.is_some() {
                self.lock("Locked. Your work is kept for you.");
            }
            return true;
        }
        if self.model.confirm_quit.is_some() {
            self.confirm_key(k);
            return true;
        }
        if is_ctrl(k, 'c') {
            let copying = matches!(&self.model.screen, Screen::NoteEditor(e) if e.wants_ctrl_c());
            if !copying {
                self.quit_asking();
                return true;
            }
        }
        false
    }

    /// Ctrl-C (and `q` on the census): quit, unless that would lose work; then ask.
    pub(crate) fn quit_asking(&mut self) {
        if self.model.confirm_quit.is_some() {
            return; // the question stands; it says which key quits
        }
        // An open note's draft is saved first, as before; only a failed save is unsaved work.
        self.save_open_draft();
        let work = self.unsaved_work();
        if work.is_empty() {
            self.shutdown();
            self.model.quit = true;
            return;
        }
        self.model.help_open = false;
        self.model.confirm_quit = Some(QuitConfirm { work, can_keep: self.model.me.is_some() });
    }

    fn confirm_key(&mut self, k: &KeyEvent) {
        let Some(c) = &self.model.confirm_quit else { return };
        match lookup(CONFIRM_KEYS, k, |a| c.allowed(a)) {
            Some(ConfirmAction::Keep) => {
                self.model.confirm_quit = None;
                self.lock("Locked; nothing was lost. Sign in again to carry on where you were.");
            }
            Some(ConfirmAction::Discard) => {
                self.model.confirm_quit = None;
                self.shutdown();
                self.model.quit = true;
            }
            Some(ConfirmAction::Back) => {
                self.model.confirm_quit = None;
                self.tell("Back to your work; nothing was lost.", false);
            }
            None => {}
        }
    }
}

/// Lines of the question, for drawing and for its height.
fn lines(c: &QuitConfirm) -> Vec<Line<'static>> {
    let mut out = vec![Line::from("Quitting now would lose:")];
    out.extend(c.work.iter().map(|w| Line::from(format!("  • {}", inert(w)))));
    out.push(Line::from(""));
    for b in CONFIRM_KEYS.iter().filter(|b| c.allowed(b.action)) {
        let name = b.keys.first().map(Key::name).unwrap_or_default();
        out.push(Line::from(vec![Span::styled(format!("{name:<4} "), theme::footer_key()), Span::raw(b.help)]));
    }
    out
}

/// The question, over the middle of `body`.
pub fn draw(f: &mut Frame<'_>, body: Rect, c: &QuitConfirm) {
    let text = lines(c);
    let w = body.width.min(76);
    // Border, lines, and room for wrapping at narrow widths.
    let h = (text.len() as u16 + 4).min(body.height);
    let r = Rect { x: body.x + (body.width - w) / 2, y: body.y + (body.height - h) / 2, width: w, height: h };
    f.render_widget(Clear, r);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(" Quit wardterm? ", theme::title()));
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }).block(block), r);
}
