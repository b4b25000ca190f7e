//! How the app runs an observation round and keeps the census's observation data fresh. The
//! screen (`screens/rounds.rs`) draws and names the keys; this speaks to the store. Every check is
//! saved, in its own transaction, the moment its answer is complete: a terminal that dies in the
//! middle of a round loses nothing already recorded.
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::rounds::{Answer, OpenAlert};
use crate::domain::text::inert;
use crate::domain::time::local_short;
use crate::tui::app::{App, Screen};
use crate::tui::keymap::lookup;
use crate::tui::screens::rounds::{self, AckInput, BedResult, RoundAction, RoundBed, RoundsScreen};

/// The longest note on an acknowledgement (schema.sql `obs_alert.ack_note`).
pub(crate) const ACK_NOTE_MAX: usize = 200;

impl App {
    /// `R` on the census: a round over every occupied bed, in bed order.
    pub(crate) fn start_round(&mut self) {
        let Some(me) = &self.model.me else { return };
        let beds: Vec<RoundBed> = self
            .model
            .board
            .rows
            .iter()
            .filter_map(|r| {
                r.occupant.as_ref().map(|o| RoundBed {
                    stay_id: o.stay_id,
                    bed: r.bed.clone(),
                    name: o.name.clone(),
                    level: o.observation.clone(),
                    result: None,
                })
            })
            .collect();
        if beds.is_empty() && self.model.board.obs.alerts.is_empty() {
            return self.tell("No bed is occupied: there is no one to check.", true);
        }
        self.show(Screen::Rounds(Box::new(RoundsScreen::new(beds, me.signature(), self.model.now))));
    }

    pub(crate) fn rounds_key(&mut self, k: KeyEvent) {
        let Screen::Rounds(s) = &mut self.model.screen else { return };
        s.error = None;
        if s.ack.is_some() {
            return self.ack_key(k);
        }
        let Some(action) = lookup(rounds::KEYS, &k, |_| true) else {
            if let KeyCode::Char(c) = k.code
                && !k.modifiers.contains(KeyModifiers::CONTROL)
            {
                s.error =
                    Some(format!("{c:?} is not a round key: r b d g m s h then 1-5, Space, o u x (? lists them)"));
            }
            return;
        };
        let done = s.done();
        match action {
            RoundAction::Help => self.model.help_open = true,
            RoundAction::End => {
                if s.pending.take().is_none() {
                    let summary = s.summary();
                    self.back();
                    self.tell(format!("Round ended: {summary}."), false);
                }
            }
            RoundAction::Back => {
                if s.pending.take().is_none() {
                    if s.at == 0 {
                        s.error = Some("This is the first bed of the round.".into());
                    } else {
                        s.at -= 1;
                    }
                }
            }
            RoundAction::Skip if done => s.error = Some("The round is done: Esc returns to the census.".into()),
            RoundAction::Skip => {
                s.pending = None;
                let bed = &mut s.beds[s.at];
                if bed.result.is_none() {
                    bed.result = Some(BedResult::Skipped);
                }
                s.at += 1;
            }
            RoundAction::Ack => self.open_ack(),
            // Only while acknowledging (ACK_KEYS).
            RoundAction::PrevAlert | RoundAction::NextAlert => {}
            RoundAction::Where(_) | RoundAction::Then(_) if done => {
                s.error = Some("The round is done: Backspace goes back to the last bed, Esc ends it.".into())
            }
            RoundAction::Where(l) => s.pending = Some(l),
            RoundAction::Then(state) => match s.pending {
                None => {
                    s.error =
                        Some("Where first: r room, b bathroom, d day room, g group, m dining, s station, h hall".into())
                }
                Some(l) => match Answer::new(l, Some(state)) {
                    Ok(a) => self.record_answer(a),
                    Err(e) => s.error = Some(e),
                },
            },
            RoundAction::AsleepInRoom => self.record_answer(Answer::ASLEEP_IN_ROOM),
            RoundAction::OffUnitWithStaff => self.record_answer(Answer::OFF_UNIT_WITH_STAFF),
            RoundAction::OffUnitNoStaff => self.record_answer(Answer::OFF_UNIT_NO_STAFF),
            RoundAction::NotFound => self.record_answer(Answer::NOT_FOUND),
        }
    }

    /// Save the answer for the bed in hand (correcting this round's earlier answer for it, if
    /// there is one) and move to the next bed.
    fn record_answer(&mut self, answer: Answer) {
        let now = self.model.now;
        let (Some(me), Screen::Rounds(s)) = (self.model.me.clone(), &mut self.model.screen) else { return };
        let Some(bed) = s.beds.get_mut(s.at) else {
            s.error = Some("The round is done: Backspace goes back to the last bed, Esc ends it.".into());
            return;
        };
        let supersedes = match bed.result {
            Some(BedResult::Saved { check_id, .. }) => Some(check_id),
            _ => None,
        };
        match self.store.record_check(&me, bed.stay_id, answer, supersedes, now) {
            Ok(saved) => {
                bed.result = Some(BedResult::Saved {
                    check_id: saved.id,
                    at: saved.at,
                    answer,
                    alert: saved.alert.is_some(),
                    corrected: supersedes.is_some(),
                });
                let label = bed.bed.clone();
                s.pending = None;
                s.at += 1;
                self.reload_census();
                if let Some(why) = saved.alert {
                    self.tell(
                        format!("ALERT bed {}: {why}. It stays open until acknowledged (!).", inert(&label)),
                        true,
                    );
                }
            }
            Err(e) => s.error = Some(format!("Not saved: {e}")),
        }
    }

    /// `!`: acknowledge the current bed's open alert, or else the oldest one.
    fn open_ack(&mut self) {
        let tz = self.model.tz();
        let now = self.model.now;
        let Screen::Rounds(s) = &mut self.model.screen else { return };
        let alerts: &[OpenAlert] = &self.model.board.obs.alerts;
        if alerts.is_empty() {
            s.error = Some("There is no open alert.".into());
            return;
        }
        let here = s.current().map(|b| b.stay_id);
        let chosen = alerts.iter().position(|a| Some(a.stay_id) == here).unwrap_or(0);
        s.pending = None;
        s.ack = Some(AckInput {
            alerts: alerts
                .iter()
                .map(|a| (a.check_id, format!("bed {} {} ({} {})", a.bed, a.name, a.why, local_short(a.at, now, tz))))
                .collect(),
            chosen,
            text: String::new(),
        });
    }

    fn ack_key(&mut self, k: KeyEvent) {
        let now = self.model.now;
        let (Some(me), Screen::Rounds(s)) = (self.model.me.clone(), &mut self.model.screen) else { return };
        let Some(ack) = &mut s.ack else { return };
        // The table names the keys (footer and help); other keys edit the note.
        match lookup(rounds::ACK_KEYS, &k, |_| true) {
            Some(RoundAction::End) => {
                s.ack = None;
                self.tell("Not acknowledged; the alert stays open.", false);
            }
            Some(RoundAction::PrevAlert) => ack.choose(-1),
            Some(RoundAction::NextAlert) => ack.choose(1),
            Some(RoundAction::Ack) => {
                let Some((id, what)) = ack.current().cloned() else { return };
                match self.store.acknowledge_alert(&me, id, &ack.text, now) {
                    Ok(()) => {
                        s.ack = None;
                        self.reload_census();
                        self.tell(format!("Acknowledged: {what}."), false);
                    }
                    Err(e) => self.tell(format!("Not acknowledged: {e}"), true),
                }
            }
            _ => {
                crate::tui::widgets::line_input::edit(&mut ack.text, &k, ACK_NOTE_MAX);
            }
        }
    }
}
