//! The ward's doses due in the next hour, overdue first (issue 17, point 2): every scheduled or
//! taper dose of a patient on the ward with nothing recorded, from a day back to an hour ahead.
//! The census's `M` opens it; Enter opens the selected patient's record to give the dose.
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::mar::DUE_AHEAD;
use crate::domain::text::{fit, fit_pad, inert};
use crate::domain::time::{clock, span};
use crate::store::meds::WardDose;
use crate::tui::app::Screen;
use crate::tui::component::{Cmd, Component, Ctx, View};
use crate::tui::keymap::{Binding, Hints, Key, hints, lookup};
use crate::tui::screens::mar::MarScreen;
use crate::tui::theme;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DueAction {
    Up,
    Down,
    Open,
    Help,
    Back,
}

#[rustfmt::skip]
pub static KEYS: &[Binding<DueAction>] = &[
    Binding::help(&[Key::plain(KeyCode::Up), Key::ch('k')],   DueAction::Up,   "up",     "Previous / next dose (also k / j)"),
    Binding::help(&[Key::plain(KeyCode::Down), Key::ch('j')], DueAction::Down, "down",   "Previous / next dose (also k / j)"),
    Binding::foot(&[Key::plain(KeyCode::Enter)],              DueAction::Open, "open MAR", "Open the patient's medication record to record the dose"),
    Binding::foot(&[Key::plain(KeyCode::F(1)), Key::ch('?')], DueAction::Help, "help",   "Show every key of this screen"),
    Binding::foot(&[Key::plain(KeyCode::Esc)],                DueAction::Back, "back",   "Back to the census"),
];

#[derive(Clone, Debug, PartialEq)]
pub struct DueScreen {
    pub doses: Vec<WardDose>,
    pub selected: usize,
    read_at: (i64, i64),
}

impl DueScreen {
    pub fn open(ctx: &Ctx<'_>) -> Cmd {
        match ctx.store.ward_due(ctx.now, DUE_AHEAD) {
            Ok(doses) => {
                let read_at = (ctx.store.data_version().unwrap_or(0), ctx.now.timestamp() / 60);
                Cmd::Open(Screen::Other(Box::new(DueScreen { doses, selected: 0, read_at })))
            }
            Err(e) => Cmd::error(format!("Could not read the doses due: {e}")),
        }
    }

    fn reload(&mut self, ctx: &Ctx<'_>) {
        if let Ok(d) = ctx.store.ward_due(ctx.now, DUE_AHEAD) {
            self.doses = d;
            self.selected = self.selected.min(self.doses.len().saturating_sub(1));
        }
        self.read_at = (ctx.store.data_version().unwrap_or(0), ctx.now.timestamp() / 60);
    }
}

impl Component for DueScreen {
    fn title(&self) -> String {
        "Doses due on the ward".into()
    }

    fn hints(&self, _view: &View<'_>) -> (Hints, Hints) {
        hints(&[KEYS], |_| true)
    }

    fn on_key(&mut self, key: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        match lookup(KEYS, key, |_| true) {
            Some(DueAction::Up) => self.selected = self.selected.saturating_sub(1),
            Some(DueAction::Down) if self.selected + 1 < self.doses.len() => self.selected += 1,
            Some(DueAction::Open) => {
                return match self.doses.get(self.selected) {
                    Some(d) => MarScreen::open_stay(d.stay_id, ctx, false),
                    None => Cmd::tell("Nothing is due in the next hour."),
                };
            }
            Some(DueAction::Help) => return Cmd::Help,
            Some(DueAction::Back) => return Cmd::Back,
            Some(DueAction::Down) | None => {}
        }
        Cmd::None
    }

    fn on_tick(&mut self, ctx: &Ctx<'_>) -> Cmd {
        let now = (ctx.store.data_version().unwrap_or(0), ctx.now.timestamp() / 60);
        if now != self.read_at {
            self.reload(ctx);
        }
        Cmd::None
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        let (now, tz) = (view.now, view.tz);
        let w = area.width as usize;
        let overdue = self.doses.iter().filter(|d| d.overdue).count();
        let mut lines = vec![
            Line::from(Span::styled(
                fit(
                    &format!(" Doses due in the next hour · {overdue} overdue · {} due", self.doses.len() - overdue),
                    w,
                ),
                theme::title(),
            )),
            Line::from(Span::styled(fit(" When              Bed  Patient          Order", w), theme::table_header())),
        ];
        if self.doses.is_empty() {
            lines.push(Line::from(" Nothing is due in the next hour, and nothing is overdue."));
        }
        for (i, d) in self.doses.iter().enumerate() {
            let when = if d.overdue {
                format!("!{} {} late", clock(d.due.at, tz), span(now - d.due.at))
            } else {
                format!(" {} in {}", clock(d.due.at, tz), span(d.due.at - now))
            };
            let text = format!(
                "{}{} {} {} {} {} {}",
                if i == self.selected { "▶" } else { " " },
                fit_pad(&when, 17),
                fit_pad(&inert(&d.bed), 4),
                fit_pad(&inert(&d.patient), 16),
                inert(&d.order.drug),
                inert(&d.due.dose),
                inert(&d.order.route)
            );
            let style = if i == self.selected {
                theme::selected()
            } else if d.overdue {
                theme::overdue()
            } else {
                theme::base()
            };
            lines.push(Line::from(Span::styled(fit(&text, w), style)));
        }
        f.render_widget(Paragraph::new(lines), area);
    }
}
