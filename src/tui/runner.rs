//! The command runner: the one place a screen's [`Cmd`] is carried out, and the one door for
//! writes (issue 15, point 2). Only here is `&mut Store` used on a screen's behalf: each write
//! runs as the signed-in nurse (the store records its audit row in the same transaction), the
//! board is refreshed once, and the result goes back to the screen that asked as a [`Done`].
use crate::tui::app::{App, Model};
use crate::tui::component::{Cmd, Component, Ctx, Done, View, Write};

impl App {
    /// Hand an event to the front screen when it is a component, with what it may read; `None`
    /// when the front screen is not one.
    pub(crate) fn with_front<R>(&mut self, f: impl FnOnce(&mut dyn Component, &Ctx<'_>) -> R) -> Option<R> {
        let tz = self.model.tz();
        let App { store, model } = self;
        let Model { screen, board, me, ward, now, late_entry, .. } = model;
        let front = screen.component_mut()?;
        let view = View { now: *now, tz, me: me.as_ref(), ward: ward.as_ref(), board, late_entry: *late_entry };
        Some(f(front, &Ctx { view, store }))
    }

    /// The command runner: the one place a screen's commands are carried out, and the one door
    /// for writes (issue 15, point 2).
    pub(crate) fn run(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::None => {}
            Cmd::Open(screen) => self.open(screen),
            Cmd::Back => self.back(),
            Cmd::Dialog(d) => self.model.dialog = Some(d),
            Cmd::Tell { text, error } => self.tell(text, error),
            Cmd::Help => self.model.help_open = true,
            Cmd::Write(w) => self.write(w),
            Cmd::Lock => self.lock("Locked. Your work is kept for you."),
            Cmd::Quit => self.quit_asking(),
            Cmd::Many(cmds) => cmds.into_iter().for_each(|c| self.run(c)),
        }
    }

    /// Perform a write as the signed-in nurse (the store records its audit row in the same
    /// transaction), refresh the board once, and hand the result to the screen that asked.
    fn write(&mut self, w: Write) {
        let Some(me) = self.model.me.clone() else { return };
        let now = self.model.now;
        match w {
            Write::AuditRead { patient_ids, what } => self.audit_reads(&patient_ids, &what),
            Write::Assessment(asked) => {
                let result = self.store.record_assessment(&me, &asked, now).map_err(|e| e.to_string());
                if result.is_ok() {
                    self.reload_census();
                }
                self.deliver(Done::Assessment { asked, result });
            }
            Write::RoundCheck { stay_id, answer, supersedes } => {
                let result = self.store.record_check(&me, stay_id, answer, supersedes, now).map_err(|e| e.to_string());
                if result.is_ok() {
                    self.reload_census();
                }
                self.deliver(Done::RoundCheck { stay_id, answer, supersedes, result });
            }
            Write::AlertAck { check_id, note } => {
                let result = self.store.acknowledge_alert(&me, check_id, &note, now).map_err(|e| e.to_string());
                if result.is_ok() {
                    self.reload_census();
                }
                self.deliver(Done::AlertAck { check_id, result });
            }
        }
    }

    fn deliver(&mut self, done: Done) {
        if let Some(cmd) = self.with_front(|front, ctx| front.on_done(done, ctx)) {
            self.run(cmd);
        }
    }
}
