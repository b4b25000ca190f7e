//! The rounds screen: one pass over every occupied bed in bed order, about two keys a bed
//! (where, then how; `Space` for the commonest night answer, room and asleep with breathing
//! seen). Every check is asked of the runner, and saved in its own transaction, the moment its
//! answer is complete: a terminal that dies in the middle of a round loses nothing already
//! recorded. Also the pieces the census draws from the same data: the Obs cell, the alert
//! banner, the detail line.
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use unicode_width::UnicodeWidthStr;

use crate::domain::rounds::{Answer, Location, ObsBoard, ObsDue, OpenAlert, State, StayObs, legend, minutes_left};
use crate::domain::text::{fit, inert};
use crate::domain::time::{local_short, span};
use crate::tui::app::Screen;
use crate::tui::component::{Cmd, Component, Ctx, Done, View, Write};
use crate::tui::keymap::{Binding, Hints, Key, hints, lookup};
use crate::tui::theme;
use crate::tui::widgets::line_input;

/// The longest note on an acknowledgement (schema.sql `obs_alert.ack_note`).
pub(crate) const ACK_NOTE_MAX: usize = 200;

/// Due within this long shows as coming up (yellow) in the Obs cell.
const DUE_SOON_MIN: i64 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundAction {
    /// Where the patient is (on the unit): a state digit follows.
    Where(Location),
    /// How the patient is: completes the check.
    Then(State),
    /// Room, asleep - breathing seen: one key.
    AsleepInRoom,
    OffUnitWithStaff,
    OffUnitNoStaff,
    NotFound,
    Skip,
    Back,
    Ack,
    /// While acknowledging: the previous / next open alert.
    PrevAlert,
    NextAlert,
    End,
    Help,
}

/// Each binding names its keys literally; `keys_match_the_domain` checks them against
/// `Location::key`, `State::key` and the paper codes, so the screen and the sheet agree.
#[rustfmt::skip]
pub static KEYS: &[Binding<RoundAction>] = &[
    Binding::foot(&[Key::ch(' ')],             RoundAction::AsleepInRoom,                 "asleep in room", "Room, asleep - breathing seen (r1)"),
    Binding::help(&[Key::ch('r')],             RoundAction::Where(Location::Room),        "room",           "Room, then 1-5"),
    Binding::help(&[Key::ch('b')],             RoundAction::Where(Location::Bathroom),    "bathroom",       "Bathroom, then 1-5"),
    Binding::help(&[Key::ch('d')],             RoundAction::Where(Location::DayRoom),     "day room",       "Day room, then 1-5"),
    Binding::help(&[Key::ch('g')],             RoundAction::Where(Location::Group),       "group",          "Group, then 1-5"),
    Binding::help(&[Key::ch('m')],             RoundAction::Where(Location::Dining),      "dining",         "Dining room, then 1-5"),
    Binding::help(&[Key::ch('s')],             RoundAction::Where(Location::Station),     "station",        "Nursing station, then 1-5"),
    Binding::help(&[Key::ch('h')],             RoundAction::Where(Location::Hallway),     "hall",           "Hallway, then 1-5"),
    Binding::help(&[Key::ch('1')],             RoundAction::Then(State::AsleepBreathing), "asleep",         "Asleep - breathing seen"),
    Binding::help(&[Key::ch('2')],             RoundAction::Then(State::Calm),            "calm",           "Awake, calm"),
    Binding::help(&[Key::ch('3')],             RoundAction::Then(State::Withdrawn),       "withdrawn",      "Withdrawn"),
    Binding::help(&[Key::ch('4')],             RoundAction::Then(State::Agitated),        "agitated",       "Agitated (raises an alert)"),
    Binding::help(&[Key::ch('5')],             RoundAction::Then(State::Distressed),      "distressed",     "Distressed (raises an alert)"),
    Binding::help(&[Key::ch('o')],             RoundAction::OffUnitWithStaff,             "off unit",       "Off the unit with staff"),
    Binding::help(&[Key::ch('u')],             RoundAction::OffUnitNoStaff,               "no staff",       "Off the unit WITHOUT staff (alert)"),
    Binding::help(&[Key::ch('x')],             RoundAction::NotFound,                     "not found",      "Patient NOT FOUND (alert)"),
    Binding::foot(&[Key::ch('n'), Key::plain(KeyCode::Enter), Key::plain(KeyCode::Down)], RoundAction::Skip, "skip", "Skip this bed (it stays due)"),
    Binding::foot(&[Key::plain(KeyCode::Backspace), Key::plain(KeyCode::Up)], RoundAction::Back, "back",    "Undo the location, or back one bed"),
    Binding::foot(&[Key::ch('!')],             RoundAction::Ack,                          "ack",            "Acknowledge an open alert"),
    Binding::foot(&[Key::plain(KeyCode::Esc)], RoundAction::End,                          "end",            "End the round"),
    Binding::foot(&[Key::ch('?')],             RoundAction::Help,                         "help",           "Every key of this screen"),
];

/// Keys while typing what was done for an alert (the text goes to the line, not the table).
#[rustfmt::skip]
pub static ACK_KEYS: &[Binding<RoundAction>] = &[
    Binding::foot(&[Key::plain(KeyCode::Enter)], RoundAction::Ack, "acknowledge", "Acknowledge the chosen alert (your name and the time are recorded)"),
    Binding::help(&[Key::plain(KeyCode::Down), Key::plain(KeyCode::Tab)], RoundAction::NextAlert, "another alert", "Choose the next open alert"),
    Binding::help(&[Key::plain(KeyCode::Up), Key::plain(KeyCode::BackTab)], RoundAction::PrevAlert, "previous alert", "Choose the previous open alert"),
    Binding::foot(&[Key::plain(KeyCode::Esc)],   RoundAction::End, "cancel",      "Cancel: the alert stays open"),
];

/// What happened to one bed in this round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BedResult {
    Saved { check_id: i64, at: DateTime<Utc>, answer: Answer, alert: bool, corrected: bool },
    Skipped,
}

/// One occupied bed, as the round found it at the start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundBed {
    pub stay_id: i64,
    pub bed: String,
    pub name: String,
    pub level: String,
    pub result: Option<BedResult>,
}

/// Typing what was done about an alert, and which alert: every open alert of the ward, the one
/// chosen first being the current bed's (else the oldest); ↑/↓ choose another (issue 20,
/// point 11: with two alerts open the nurse says which one she dealt with).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AckInput {
    /// `(check id, what it was)` of each open alert, oldest first.
    pub alerts: Vec<(i64, String)>,
    pub chosen: usize,
    pub text: String,
}

impl AckInput {
    /// The alert the note is about: its check id and what it was.
    pub fn current(&self) -> Option<&(i64, String)> {
        self.alerts.get(self.chosen)
    }

    /// The next (`by` 1) or previous (`by` -1) open alert, wrapping round.
    pub fn choose(&mut self, by: isize) {
        let n = self.alerts.len();
        if n > 0 {
            self.chosen = (self.chosen as isize + by).rem_euclid(n as isize) as usize;
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundsScreen {
    pub started_at: DateTime<Utc>,
    pub by: String,
    pub beds: Vec<RoundBed>,
    /// The bed in hand; `beds.len()` once the last bed is done.
    pub at: usize,
    /// The location typed for the current bed, waiting for its state.
    pub pending: Option<Location>,
    pub ack: Option<AckInput>,
    pub error: Option<String>,
}

impl RoundsScreen {
    pub fn new(beds: Vec<RoundBed>, by: String, now: DateTime<Utc>) -> RoundsScreen {
        RoundsScreen { started_at: now, by, beds, at: 0, pending: None, ack: None, error: None }
    }

    pub fn done(&self) -> bool {
        self.at >= self.beds.len()
    }

    pub fn current(&self) -> Option<&RoundBed> {
        self.beds.get(self.at)
    }

    pub fn saved(&self) -> usize {
        self.beds.iter().filter(|b| matches!(b.result, Some(BedResult::Saved { .. }))).count()
    }

    /// Beds skipped (still due), by label.
    pub fn skipped(&self) -> Vec<&str> {
        self.beds.iter().filter(|b| b.result == Some(BedResult::Skipped)).map(|b| b.bed.as_str()).collect()
    }

    pub fn alerts(&self) -> usize {
        self.beds.iter().filter(|b| matches!(b.result, Some(BedResult::Saved { alert: true, .. }))).count()
    }

    /// "Round: 14 saved, 2 skipped (beds 7, 12: still due), 1 alert."
    pub fn summary(&self) -> String {
        let mut s = format!("{} saved", self.saved());
        let skipped = self.skipped();
        if !skipped.is_empty() {
            s.push_str(&format!(", {} skipped (bed {}: still due)", skipped.len(), skipped.join(", ")));
        }
        let untouched = self.beds.iter().filter(|b| b.result.is_none()).count();
        if untouched > 0 {
            s.push_str(&format!(", {untouched} not reached"));
        }
        match self.alerts() {
            0 => {}
            1 => s.push_str(", 1 alert"),
            n => s.push_str(&format!(", {n} alerts")),
        }
        s
    }
}

// ------------------------------------------------------------------------------ shared cells

/// The census Obs cell: `q15 !x` when the latest check is an exception (here "not found"; the
/// paper code after the `!`, in the alert colour) until a check that is not one, `q15 !`
/// overdue (red, and `!` for a screen without colour), `q15 3m` minutes to the next check, `1:1`
/// continuous. Only the level when nothing is loaded.
pub fn obs_cell(level: &str, obs: Option<&StayObs>, now: DateTime<Utc>) -> (String, Style) {
    let level = inert(level);
    if let Some(x) = obs.and_then(|o| o.exception()) {
        return (format!("{level} !{}", x.answer.code()), theme::alert());
    }
    match obs.map(|o| o.due(now)) {
        None | Some(ObsDue::Continuous) => (level, theme::base()),
        Some(ObsDue::Overdue(_)) => (format!("{level} !"), theme::overdue()),
        Some(ObsDue::DueIn(d)) if d <= Duration::minutes(DUE_SOON_MIN) => {
            (format!("{level} {}", minutes_left(d)), theme::due_soon())
        }
        Some(ObsDue::DueIn(d)) => (format!("{level} {}", minutes_left(d)), theme::base()),
    }
}

/// " · ! 2 obs overdue, 3 missed" for the census status line: patients overdue for a check now,
/// and checks missed so far this shift (see `domain::rounds` for what counts as missed).
pub fn status_spans(obs: &ObsBoard, now: DateTime<Utc>, tz: Tz) -> Vec<Span<'static>> {
    let overdue = obs.overdue(now);
    let shift = obs.shift(now, tz);
    let missed: u32 = obs.stays.iter().map(|o| o.tally(shift.start, now).missed).sum();
    let mut spans = Vec::new();
    if overdue > 0 {
        spans.push(Span::raw(" · "));
        spans.push(Span::styled(format!("! {overdue} obs overdue"), theme::overdue()));
    }
    if missed > 0 {
        spans.push(Span::raw(if overdue > 0 { ", " } else { " · obs " }));
        spans.push(Span::styled(format!("{missed} missed"), theme::due_soon()));
    }
    spans
}

/// The patient's name in an alert line is cut no shorter than this to make room for who
/// recorded the exception.
const ALERT_NAME_MIN: usize = 8;

/// "! ALERT bed 3 Aisha Rahman: PATIENT NOT FOUND at 04:00 by Sam Okafor, RN", then `more` (how
/// many other alerts) and the first of `hints` (how to acknowledge, longest first) that fits
/// `width`. Who recorded the exception is never the part that goes: the hint goes first, then
/// the patient's name is shortened.
fn alert_line(a: &OpenAlert, more: &str, hints: &[&str], width: usize, now: DateTime<Utc>, tz: Tz) -> String {
    let line = |name: &str, hint: &str| {
        format!(
            "! ALERT bed {} {name}: {} at {} by {}{more}{hint}",
            inert(&a.bed),
            a.why.to_uppercase(),
            local_short(a.at, now, tz),
            inert(&a.by)
        )
    };
    let name = inert(&a.name);
    for hint in hints.iter().chain([&""]) {
        let candidate = line(&name, hint);
        if candidate.width() <= width {
            return candidate;
        }
    }
    let without_name = line("", "").width();
    let room = width.saturating_sub(without_name).max(ALERT_NAME_MIN);
    fit(&line(&fit(&name, room), ""), width)
}

/// Lines the census gives the alert banner (0 when there is no open alert).
pub fn banner_height(obs: &ObsBoard) -> u16 {
    u16::from(!obs.alerts.is_empty())
}

/// The census banner: the oldest open alert, how many more, and how to acknowledge.
pub fn draw_banner(f: &mut Frame<'_>, area: Rect, obs: &ObsBoard, now: DateTime<Utc>, tz: Tz) {
    let Some(first) = obs.alerts.first() else { return };
    let more = match obs.alerts.len() {
        1 => String::new(),
        n => format!(" (+{} more)", n - 1),
    };
    let text = alert_line(first, &more, &[" · R then ! acknowledges", " · R, ! to ack"], area.width as usize, now, tz);
    f.render_widget(Paragraph::new(text).style(theme::alert()), area);
}

/// The census detail line for the selected patient: due state first, then the last check (when,
/// by whom, what was seen), this shift's late and missed, and who set the level when.
pub fn detail_line(stay_id: i64, level: &str, obs: &ObsBoard, now: DateTime<Utc>, tz: Tz) -> Option<Line<'static>> {
    let o = obs.stay(stay_id)?;
    let (due, style) = match o.due(now) {
        ObsDue::Continuous => ("continuous".to_string(), theme::base()),
        ObsDue::Overdue(d) => (format!("! OVERDUE by {}", span(d)), theme::overdue()),
        ObsDue::DueIn(_) => {
            (format!("next {}", o.due_at(now).map_or(String::new(), |t| local_short(t, now, tz))), theme::base())
        }
    };
    let checked = |c: &crate::domain::rounds::Check, what: &str| {
        format!("{what} {} by {}: {}", local_short(c.at, now, tz), inert(&c.by), c.answer.describe())
    };
    // An exception stays marked until a check that is not one; one in which nobody saw the
    // patient also says when they were last seen (the interval runs from then).
    let (mark, last) = match (o.exception(), o.last_check()) {
        (Some(x), _) => {
            let mark = format!(" · ! {} at {} by {}", x.answer.describe(), local_short(x.at, now, tz), inert(&x.by));
            let last = match o.last_seen() {
                _ if x.answer.seen() => String::new(),
                Some(c) => format!(" · {}", checked(c, "last seen")),
                None => " · not seen on a check since admission".to_string(),
            };
            (Some(mark), last)
        }
        (None, Some(c)) => (None, format!(" · {}", checked(c, "checked"))),
        (None, None) => (None, " · no check yet".to_string()),
    };
    let shift = obs.shift(now, tz);
    let t = o.tally(shift.start, now);
    let mut rest = String::new();
    if t.late + t.missed > 0 {
        rest.push_str(&format!(" · this shift {} late, {} missed", t.late, t.missed));
    }
    rest.push_str(&last);
    if let Some(l) = o.level_set() {
        match &l.by {
            Some(by) => {
                rest.push_str(&format!(" · {} set {} by {}", inert(&l.code), local_short(l.at, now, tz), inert(by)))
            }
            None => rest.push_str(&format!(" · {} since admission", inert(&l.code))),
        }
    }
    let mut spans = vec![Span::styled(format!("Obs {} ", inert(level)), theme::label()), Span::styled(due, style)];
    if let Some(m) = mark {
        spans.push(Span::styled(m, theme::alert()));
    }
    spans.push(Span::raw(rest));
    Some(Line::from(spans))
}

// ------------------------------------------------------------------------------ the screen

fn result_cell(r: &Option<BedResult>, now: DateTime<Utc>, tz: Tz) -> (String, Style) {
    match r {
        None => (String::new(), theme::base()),
        Some(BedResult::Skipped) => ("skipped: still due".into(), theme::hint()),
        Some(BedResult::Saved { at, answer, alert, corrected, .. }) => {
            let fixed = if *corrected { " corrected:" } else { "" };
            let text = format!("{} {}{fixed} {}", local_short(*at, now, tz), answer.code(), answer.describe());
            if *alert { (format!("! {text}"), theme::overdue()) } else { (format!("✓ {text}"), theme::base()) }
        }
    }
}

fn prompt_line(s: &RoundsScreen) -> Line<'static> {
    if let Some(a) = &s.ack {
        let what = a.current().map_or("", |(_, w)| w.as_str());
        let text = match a.alerts.len() {
            0 | 1 => format!("Acknowledge the alert: {}", inert(what)),
            // The line under the note says ↑/↓ choose another.
            n => format!("Acknowledge alert {} of {n}: {}", a.chosen + 1, inert(what)),
        };
        return Line::from(Span::styled(text, theme::overdue()));
    }
    if let Some(e) = &s.error {
        return Line::from(Span::styled(format!(" {} ", inert(e)), theme::error()));
    }
    match s.current() {
        None => Line::from(vec![
            Span::styled("Round done: ", theme::label()),
            Span::raw(format!("{}. Esc: census · Backspace: last bed", s.summary())),
        ]),
        Some(bed) => {
            let who = format!("Bed {} · {} · {}: ", inert(&bed.bed), inert(&bed.name), inert(&bed.level));
            let ask = match (s.pending, &bed.result) {
                (Some(l), _) => format!("{}, then how? 1-5 (Backspace: change where)", l.label()),
                (None, Some(BedResult::Saved { .. })) => "saved; a new answer corrects it, n moves on".to_string(),
                (None, _) => "where, then how? (keys below)".to_string(),
            };
            Line::from(vec![Span::styled(who, theme::label()), Span::raw(ask)])
        }
    }
}

pub fn draw(f: &mut Frame<'_>, area: Rect, s: &RoundsScreen, obs: &ObsBoard, now: DateTime<Utc>, tz: Tz) {
    let alerts = obs.alerts.len().min(3) as u16 + u16::from(obs.alerts.len() > 3);
    let [status, alert_area, table_area, prompt, legend_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(alerts),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(3),
    ])
    .areas(area);
    let place = if s.done() { "done".to_string() } else { format!("bed {} of {}", s.at + 1, s.beds.len()) };
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("Observation round", theme::title()),
            Span::raw(format!(
                " · started {} by {} · {place} · {} saved",
                local_short(s.started_at, now, tz),
                inert(&s.by),
                s.saved()
            )),
        ])),
        status,
    );
    let mut lines: Vec<Line<'_>> = obs
        .alerts
        .iter()
        .take(3)
        .map(|a| {
            Line::from(Span::styled(
                alert_line(a, "", &[" · ! acknowledges", " · ! to ack"], area.width as usize, now, tz),
                theme::alert(),
            ))
        })
        .collect();
    if obs.alerts.len() > 3 {
        lines.push(Line::from(Span::styled(
            format!("! and {} more open alerts", obs.alerts.len() - 3),
            theme::overdue(),
        )));
    }
    f.render_widget(Paragraph::new(lines), alert_area);

    let widths = [
        Constraint::Length(4),
        Constraint::Length(17),
        Constraint::Length(7),
        Constraint::Length(23),
        Constraint::Min(10),
    ];
    let header =
        Row::new(["Bed", "Patient", "Obs", "Last check", "This round"].map(Cell::from)).style(theme::table_header());
    let rest_w = table_area.width.saturating_sub(4 + 17 + 7 + 23 + 4) as usize;
    let rows: Vec<Row<'_>> = s
        .beds
        .iter()
        .map(|bed| {
            let o = obs.stay(bed.stay_id);
            let (due, due_style) = obs_cell(o.map_or(&bed.level, |o| &o.level), o, now);
            let last = o.and_then(|o| o.last_check()).map_or("—".to_string(), |c| {
                format!("{} {} {}", local_short(c.at, now, tz), c.answer.code(), inert(&c.by))
            });
            let (res, res_style) = result_cell(&bed.result, now, tz);
            Row::new(vec![
                Cell::from(inert(&bed.bed)),
                Cell::from(fit(&bed.name, 17)),
                Cell::from(Span::styled(due, due_style)),
                Cell::from(fit(&last, 23)),
                Cell::from(Span::styled(fit(&res, rest_w), res_style)),
            ])
        })
        .collect();
    let table = Table::new(rows, widths).header(header).row_highlight_style(theme::selected()).column_spacing(1);
    let mut state = TableState::default().with_selected(if s.done() { None } else { Some(s.at) });
    f.render_stateful_widget(table, table_area, &mut state);
    f.render_widget(Paragraph::new(prompt_line(s)), prompt);

    if let Some(a) = &s.ack {
        // The note being typed, its end always in view.
        let room = (legend_area.width as usize).saturating_sub(3);
        let typed: Vec<char> = inert(&a.text).chars().collect();
        let tail: String = typed[typed.len().saturating_sub(room)..].iter().collect();
        let lines = vec![
            Line::from(Span::styled("What was done? (who was told, where the patient is now)", theme::label())),
            Line::from(format!("> {tail}▏")),
            Line::from(Span::styled(
                if a.alerts.len() > 1 {
                    "Enter acknowledges this one (name, time recorded) · ↑/↓ another · Esc cancels"
                } else {
                    "Enter acknowledges (your name and the time are recorded); Esc cancels"
                },
                theme::hint(),
            )),
        ];
        f.render_widget(Paragraph::new(lines), legend_area);
        return;
    }
    let [where_line, then_line] = legend();
    let waiting = s.pending.is_some();
    let legend_lines = vec![
        Line::from(Span::styled(where_line, if waiting { theme::hint() } else { theme::base() })),
        Line::from(Span::styled(then_line, if waiting { theme::label() } else { theme::base() })),
        Line::from("Or:    Space = r1  o off unit, staff  u off unit, NO staff!  x NOT FOUND!"),
    ];
    f.render_widget(Paragraph::new(legend_lines), legend_area);
}

// ------------------------------------------------------------------------------ the component

/// Said when an answer comes after the last bed.
const ROUND_DONE: &str = "The round is done: Backspace goes back to the last bed, Esc ends it.";

impl RoundsScreen {
    /// `R` on the census: a round over every occupied bed, in bed order (or why there is none).
    pub fn open(view: &View<'_>) -> Cmd {
        let Some(me) = view.me else { return Cmd::None };
        let beds: Vec<RoundBed> = view
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
        if beds.is_empty() && view.board.obs.alerts.is_empty() {
            return Cmd::error("No bed is occupied: there is no one to check.");
        }
        Cmd::Open(Screen::Rounds(Box::new(RoundsScreen::new(beds, me.signature(), view.now))))
    }

    /// Ask to save the answer for the bed in hand, correcting this round's earlier answer for it
    /// if there is one; the bed moves on when the store has saved it ([`Component::on_done`]).
    fn record(&mut self, answer: Answer) -> Cmd {
        let Some(bed) = self.current() else {
            self.error = Some(ROUND_DONE.into());
            return Cmd::None;
        };
        let supersedes = match bed.result {
            Some(BedResult::Saved { check_id, .. }) => Some(check_id),
            _ => None,
        };
        Cmd::Write(Write::RoundCheck { stay_id: bed.stay_id, answer, supersedes })
    }

    /// `!`: acknowledge the current bed's open alert, or else the oldest one.
    fn open_ack(&mut self, view: &View<'_>) {
        let alerts: &[OpenAlert] = &view.board.obs.alerts;
        if alerts.is_empty() {
            self.error = Some("There is no open alert.".into());
            return;
        }
        let here = self.current().map(|b| b.stay_id);
        let chosen = alerts.iter().position(|a| Some(a.stay_id) == here).unwrap_or(0);
        self.pending = None;
        self.ack = Some(AckInput {
            alerts: alerts
                .iter()
                .map(|a| {
                    (
                        a.check_id,
                        format!("bed {} {} ({} {})", a.bed, a.name, a.why, local_short(a.at, view.now, view.tz)),
                    )
                })
                .collect(),
            chosen,
            text: String::new(),
        });
    }

    /// Keys while typing what was done about an alert: the table names the keys (footer and
    /// help); other keys edit the note.
    fn ack_key(&mut self, k: &KeyEvent) -> Cmd {
        let Some(ack) = &mut self.ack else { return Cmd::None };
        match lookup(ACK_KEYS, k, |_| true) {
            Some(RoundAction::End) => {
                self.ack = None;
                Cmd::tell("Not acknowledged; the alert stays open.")
            }
            Some(RoundAction::PrevAlert) => {
                ack.choose(-1);
                Cmd::None
            }
            Some(RoundAction::NextAlert) => {
                ack.choose(1);
                Cmd::None
            }
            Some(RoundAction::Ack) => match ack.current() {
                Some((check_id, _)) => Cmd::Write(Write::AlertAck { check_id: *check_id, note: ack.text.clone() }),
                None => Cmd::None,
            },
            _ => {
                line_input::edit(&mut ack.text, k, ACK_NOTE_MAX);
                Cmd::None
            }
        }
    }
}

impl Component for RoundsScreen {
    fn unsaved(&self) -> Option<String> {
        self.ack
            .as_ref()
            .is_some_and(|a| !a.text.trim().is_empty())
            .then(|| "the alert acknowledgement being typed".to_string())
    }

    fn title(&self) -> String {
        "Observation round".into()
    }

    fn hints(&self, _view: &View<'_>) -> (Hints, Hints) {
        hints(&[if self.ack.is_some() { ACK_KEYS } else { KEYS }], |_| true)
    }

    fn on_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        self.error = None;
        if self.ack.is_some() {
            return self.ack_key(k);
        }
        let Some(action) = lookup(KEYS, k, |_| true) else {
            if let KeyCode::Char(c) = k.code
                && !k.modifiers.contains(KeyModifiers::CONTROL)
            {
                self.error =
                    Some(format!("{c:?} is not a round key: r b d g m s h then 1-5, Space, o u x (? lists them)"));
            }
            return Cmd::None;
        };
        let done = self.done();
        match action {
            RoundAction::Help => return Cmd::Help,
            RoundAction::End => {
                if self.pending.take().is_none() {
                    return Cmd::Many(vec![Cmd::Back, Cmd::tell(format!("Round ended: {}.", self.summary()))]);
                }
            }
            RoundAction::Back => {
                if self.pending.take().is_none() {
                    if self.at == 0 {
                        self.error = Some("This is the first bed of the round.".into());
                    } else {
                        self.at -= 1;
                    }
                }
            }
            RoundAction::Skip if done => self.error = Some("The round is done: Esc returns to the census.".into()),
            RoundAction::Skip => {
                self.pending = None;
                if let Some(bed) = self.beds.get_mut(self.at)
                    && bed.result.is_none()
                {
                    bed.result = Some(BedResult::Skipped);
                }
                self.at += 1;
            }
            RoundAction::Ack => self.open_ack(ctx),
            // Only while acknowledging (ACK_KEYS).
            RoundAction::PrevAlert | RoundAction::NextAlert => {}
            RoundAction::Where(_) | RoundAction::Then(_) if done => self.error = Some(ROUND_DONE.into()),
            RoundAction::Where(l) => self.pending = Some(l),
            RoundAction::Then(state) => match self.pending {
                None => {
                    self.error =
                        Some("Where first: r room, b bathroom, d day room, g group, m dining, s station, h hall".into())
                }
                Some(l) => match Answer::new(l, Some(state)) {
                    Ok(a) => return self.record(a),
                    Err(e) => self.error = Some(e),
                },
            },
            RoundAction::AsleepInRoom => return self.record(Answer::ASLEEP_IN_ROOM),
            RoundAction::OffUnitWithStaff => return self.record(Answer::OFF_UNIT_WITH_STAFF),
            RoundAction::OffUnitNoStaff => return self.record(Answer::OFF_UNIT_NO_STAFF),
            RoundAction::NotFound => return self.record(Answer::NOT_FOUND),
        }
        Cmd::None
    }

    /// A paste goes into the acknowledgement note being typed (nowhere else on this screen).
    fn on_paste(&mut self, text: &str, _ctx: &Ctx<'_>) -> Cmd {
        if let Some(ack) = &mut self.ack {
            line_input::paste(&mut ack.text, text, ACK_NOTE_MAX);
        }
        Cmd::None
    }

    /// The store's answer: what it saved for a bed (its check id and time, and any alert, which
    /// is announced at once), or that an alert is acknowledged; or why not.
    fn on_done(&mut self, done: Done, _ctx: &Ctx<'_>) -> Cmd {
        match done {
            Done::RoundCheck { stay_id, answer, supersedes, result } => {
                let Some(at) = self.beds.iter().position(|b| b.stay_id == stay_id) else { return Cmd::None };
                let saved = match result {
                    Ok(saved) => saved,
                    Err(e) => {
                        self.error = Some(format!("Not saved: {e}"));
                        return Cmd::None;
                    }
                };
                let Some(bed) = self.beds.get_mut(at) else { return Cmd::None };
                bed.result = Some(BedResult::Saved {
                    check_id: saved.id,
                    at: saved.at,
                    answer,
                    alert: saved.alert.is_some(),
                    corrected: supersedes.is_some(),
                });
                let label = inert(&bed.bed);
                self.pending = None;
                self.at = at + 1;
                match saved.alert {
                    Some(why) => Cmd::error(format!("ALERT bed {label}: {why}. It stays open until acknowledged (!).")),
                    None => Cmd::None,
                }
            }
            Done::AlertAck { check_id, result } => match result {
                Ok(()) => {
                    let what = self
                        .ack
                        .take()
                        .and_then(|a| a.alerts.into_iter().find(|(id, _)| *id == check_id))
                        .map(|(_, what)| what)
                        .unwrap_or_default();
                    Cmd::tell(format!("Acknowledged: {what}."))
                }
                Err(e) => Cmd::error(format!("Not acknowledged: {e}")),
            },
            _ => Cmd::None,
        }
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        draw(f, area, self, &view.board.obs, view.now, view.tz);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_the_domain() {
        let key_of = |a: RoundAction| KEYS.iter().find(|b| b.action == a).map(|b| b.keys[0]);
        for l in Location::ALL.iter().filter(|l| l.on_unit()) {
            assert_eq!(key_of(RoundAction::Where(*l)), Some(Key::ch(l.key())), "{l:?}");
        }
        for s in State::ON_UNIT {
            assert_eq!(key_of(RoundAction::Then(s)), Some(Key::ch(s.key().unwrap())), "{s:?}");
        }
        assert_eq!(
            key_of(RoundAction::OffUnitWithStaff),
            Some(Key::ch(Answer::OFF_UNIT_WITH_STAFF.code().chars().next().unwrap()))
        );
        assert_eq!(
            key_of(RoundAction::OffUnitNoStaff),
            Some(Key::ch(Answer::OFF_UNIT_NO_STAFF.code().chars().next().unwrap()))
        );
        assert_eq!(key_of(RoundAction::NotFound), Some(Key::ch(Answer::NOT_FOUND.code().chars().next().unwrap())));
        // No key is bound twice.
        let mut all: Vec<String> = KEYS.iter().flat_map(|b| b.keys.iter().map(Key::name)).collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n);
    }

    #[test]
    fn legend_fits_80_columns() {
        for l in legend() {
            assert!(l.chars().count() <= 80, "{l}");
        }
    }
}
