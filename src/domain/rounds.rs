//! Observation rounds: safety checks of every patient at the interval of their
//! observation level, and how late or missed checks are counted. Pure: no IO, no SQL.
//!
//! # When a check is due
//!
//! Observation levels are data (`observation_level`: q60, q30, q15 at 60/30/15 minutes, 1:1 with
//! no interval = continuous). A check is due one interval after the last check, or after the
//! admission if there has been none. Every duration is real (UTC) time: a q15 check across the
//! night the clocks fall back is still due 15 minutes later, even though the wall clock went back.
//!
//! * A check made at or before its due time is **on time**, and the next one is due one interval
//!   after it (an early check moves the clock forward; it never builds credit).
//! * When a due time passes with no check, the patient is **overdue** from that due time. The
//!   schedule goes on without them: the next due time is one interval later, and so on.
//! * A change of level never postpones a check already due: the first check under the new level
//!   is due one interval after the change, or at the check already due under the old level if
//!   that is sooner. Setting the same level again therefore changes nothing, and a patient who is
//!   overdue stays overdue until someone looks at them. Changing to 1:1 (continuous) ends the
//!   schedule; changing from 1:1 starts it one interval after the change.
//! * 1:1 is never "due" and never late or missed: a person is with the patient all the time.
//! * **An exception in which nobody saw the patient is never a completed check** (issue 20):
//!   "patient not found" and "off unit without staff" ([`Answer::seen`] is false) are recorded,
//!   raise their alert and mark the patient's row, but they do not restart the interval, answer
//!   a due time or count among the checks: the patient stays due (then overdue) from the last
//!   real sighting until someone sees them. An agitated or distressed patient *was* seen: that
//!   check restarts the interval like any other, and raises its alert.
//! * The row stays marked (`!` and the alert colour) while the patient's latest check is an
//!   exception of any kind ([`StayObs::exception`]), whether or not its alert has been
//!   acknowledged: the mark clears with the next check that is not an exception.
//!
//! # Late and missed, over a window (a shift)
//!
//! Every due time that passes has exactly one outcome, and it is counted in the window that
//! contains the **due time** (so a lapse at 18:58 belongs to the day shift even if the check
//! came at 19:03, and no lapse is counted twice across two shifts):
//!
//! * **late**: the due time passed, and the next check came before the following due time
//!   passed. That check answers it late.
//! * **missed**: the due time passed and no check answered it (another due time passed first, or
//!   the level changed to 1:1, or none has been made yet at the end of the window: a check still
//!   owed when the window is reckoned counts as missed, because it is).
//!
//! `checks` counts the checks made inside the window (1:1 included), sightings only: the callers
//! pass the times of checks in which the patient was seen. So a 45-minute gap in q15
//! checks (10:00, then 10:45) has due times 10:15 and 10:30 passed: 10:15 is missed, 10:30 is
//! late (answered at 10:45).
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use crate::domain::shift::{ShiftDef, ShiftWindow, shift_at};

type Time = DateTime<Utc>;

// ------------------------------------------------------------------------------ what was seen

/// Where the patient was. The key is also the code written on the paper round sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    Room,
    Bathroom,
    DayRoom,
    Group,
    Dining,
    Station,
    Hallway,
    OffUnit,
    NotFound,
}

impl Location {
    pub const ALL: [Location; 9] = [
        Location::Room,
        Location::Bathroom,
        Location::DayRoom,
        Location::Group,
        Location::Dining,
        Location::Station,
        Location::Hallway,
        Location::OffUnit,
        Location::NotFound,
    ];

    /// The value stored in `obs_check.location` (schema.sql CHECK).
    pub fn code(self) -> &'static str {
        match self {
            Location::Room => "room",
            Location::Bathroom => "bathroom",
            Location::DayRoom => "day_room",
            Location::Group => "group",
            Location::Dining => "dining",
            Location::Station => "station",
            Location::Hallway => "hallway",
            Location::OffUnit => "off_unit",
            Location::NotFound => "not_found",
        }
    }

    pub fn from_code(s: &str) -> Option<Location> {
        Location::ALL.into_iter().find(|l| l.code() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Location::Room => "room",
            Location::Bathroom => "bathroom",
            Location::DayRoom => "day room",
            Location::Group => "group",
            Location::Dining => "dining room",
            Location::Station => "nursing station",
            Location::Hallway => "hallway",
            Location::OffUnit => "off unit",
            Location::NotFound => "NOT FOUND",
        }
    }

    /// A label short enough for the legend line.
    pub fn short(self) -> &'static str {
        match self {
            Location::Dining => "dining",
            Location::Station => "station",
            Location::Hallway => "hall",
            l => l.label(),
        }
    }

    /// The key on the rounds screen and the letter on the paper sheet.
    pub fn key(self) -> char {
        match self {
            Location::Room => 'r',
            Location::Bathroom => 'b',
            Location::DayRoom => 'd',
            Location::Group => 'g',
            Location::Dining => 'm',
            Location::Station => 's',
            Location::Hallway => 'h',
            Location::OffUnit => 'o',
            Location::NotFound => 'x',
        }
    }

    /// On the unit, where a state (1-5) is recorded after the location.
    pub fn on_unit(self) -> bool {
        !matches!(self, Location::OffUnit | Location::NotFound)
    }
}

/// How the patient was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    /// Asleep, and the nurse saw them breathe: a sleeping patient is never checked from the door.
    AsleepBreathing,
    Calm,
    Withdrawn,
    Agitated,
    Distressed,
    /// Off the unit, escorted (x-ray, court, a walk with staff).
    WithStaff,
    /// Off the unit without staff: an exception.
    NoStaff,
}

impl State {
    pub const ALL: [State; 7] = [
        State::AsleepBreathing,
        State::Calm,
        State::Withdrawn,
        State::Agitated,
        State::Distressed,
        State::WithStaff,
        State::NoStaff,
    ];

    /// The five states recorded after an on-unit location, in key order 1-5.
    pub const ON_UNIT: [State; 5] =
        [State::AsleepBreathing, State::Calm, State::Withdrawn, State::Agitated, State::Distressed];

    /// The value stored in `obs_check.state` (schema.sql CHECK).
    pub fn code(self) -> &'static str {
        match self {
            State::AsleepBreathing => "asleep_breathing",
            State::Calm => "calm",
            State::Withdrawn => "withdrawn",
            State::Agitated => "agitated",
            State::Distressed => "distressed",
            State::WithStaff => "with_staff",
            State::NoStaff => "no_staff",
        }
    }

    pub fn from_code(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            State::AsleepBreathing => "asleep - breathing seen",
            State::Calm => "awake, calm",
            State::Withdrawn => "withdrawn",
            State::Agitated => "AGITATED",
            State::Distressed => "DISTRESSED",
            State::WithStaff => "with staff",
            State::NoStaff => "WITHOUT STAFF",
        }
    }

    /// A label short enough for the legend line.
    pub fn short(self) -> &'static str {
        match self {
            State::AsleepBreathing => "asleep, breathing",
            State::Calm => "calm",
            State::Withdrawn => "withdrawn",
            State::Agitated => "agitated",
            State::Distressed => "distressed",
            State::WithStaff => "with staff",
            State::NoStaff => "no staff",
        }
    }

    /// The digit on the rounds screen and on the paper sheet (on-unit states only).
    pub fn key(self) -> Option<char> {
        State::ON_UNIT.iter().position(|s| *s == self).and_then(|i| char::from_digit(i as u32 + 1, 10))
    }

    pub fn from_key(c: char) -> Option<State> {
        State::ON_UNIT.into_iter().find(|s| s.key() == Some(c))
    }
}

/// One answer of a check: where, and how. Only sensible pairs can be built (the schema's CHECKs
/// say the same): an on-unit location takes one of the five states, off unit is with or without
/// staff, and a patient not found has no state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Answer {
    location: Location,
    state: Option<State>,
}

impl Answer {
    pub fn new(location: Location, state: Option<State>) -> Result<Answer, String> {
        let ok = match (location, state) {
            (Location::NotFound, None) => true,
            (Location::OffUnit, Some(State::WithStaff | State::NoStaff)) => true,
            (l, Some(s)) if l.on_unit() => State::ON_UNIT.contains(&s),
            _ => false,
        };
        if ok {
            Ok(Answer { location, state })
        } else {
            Err(format!("{} cannot be recorded with {}", location.label(), state.map_or("no state", |s| s.label())))
        }
    }

    /// The commonest answer at night: in their room, asleep, breathing seen (the Space key).
    pub const ASLEEP_IN_ROOM: Answer = Answer { location: Location::Room, state: Some(State::AsleepBreathing) };
    pub const OFF_UNIT_WITH_STAFF: Answer = Answer { location: Location::OffUnit, state: Some(State::WithStaff) };
    pub const OFF_UNIT_NO_STAFF: Answer = Answer { location: Location::OffUnit, state: Some(State::NoStaff) };
    pub const NOT_FOUND: Answer = Answer { location: Location::NotFound, state: None };

    pub fn location(&self) -> Location {
        self.location
    }

    pub fn state(&self) -> Option<State> {
        self.state
    }

    /// Rebuild an answer from the database's codes.
    pub fn from_codes(location: &str, state: Option<&str>) -> Option<Answer> {
        let location = Location::from_code(location)?;
        let state = match state {
            None => None,
            Some(s) => Some(State::from_code(s)?),
        };
        Answer::new(location, state).ok()
    }

    /// Why this answer is an exception that raises an alert, if it is. The alert stays on every
    /// screen until someone acknowledges it.
    pub fn alert(&self) -> Option<&'static str> {
        match (self.location, self.state) {
            (Location::NotFound, _) => Some("patient not found"),
            (Location::OffUnit, Some(State::NoStaff)) => Some("off unit without staff"),
            (_, Some(State::Distressed)) => Some("distressed"),
            (_, Some(State::Agitated)) => Some("agitated"),
            _ => None,
        }
    }

    /// Whether someone saw the patient: false for "not found" and "off unit without staff",
    /// the exceptions that are never a completed check (they do not restart the interval).
    pub fn seen(&self) -> bool {
        !matches!((self.location, self.state), (Location::NotFound, _) | (Location::OffUnit, Some(State::NoStaff)))
    }

    /// The paper code: location letter and state digit (`r1`), or one letter (`o`, `u`, `x`).
    pub fn code(&self) -> String {
        match (self.location, self.state) {
            (Location::OffUnit, Some(State::NoStaff)) => "u".into(),
            (Location::OffUnit, _) => "o".into(),
            (Location::NotFound, _) => "x".into(),
            (l, Some(s)) => format!("{}{}", l.key(), s.key().unwrap_or('?')),
            (l, None) => l.key().to_string(),
        }
    }

    /// "room, asleep - breathing seen", "off unit, with staff", "NOT FOUND".
    pub fn describe(&self) -> String {
        match self.state {
            None => self.location.label().to_string(),
            Some(s) => format!("{}, {}", self.location.label(), s.label()),
        }
    }
}

/// The two legend lines (where, then how) printed on the paper sheet and shown on the rounds
/// screen; `!` marks a state that raises an alert. Each fits 80 columns.
pub fn legend() -> [String; 2] {
    let locs: Vec<String> =
        Location::ALL.iter().filter(|l| l.on_unit()).map(|l| format!("{} {}", l.key(), l.short())).collect();
    let states: Vec<String> = State::ON_UNIT
        .iter()
        .map(|s| {
            let mark = if Answer::new(Location::Room, Some(*s)).is_ok_and(|a| a.alert().is_some()) { "!" } else { "" };
            format!("{} {}{mark}", s.key().unwrap_or('?'), s.short())
        })
        .collect();
    [format!("Where: {}", locs.join("  ")), format!("Then:  {}", states.join("  "))]
}

// ------------------------------------------------------------------------------ the schedule

/// The observation level from a moment on: the first is the level on admission, the others the
/// changes (`stay_event` kind 'observation'). `interval` None = continuous (1:1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelChange {
    pub at: Time,
    pub code: String,
    pub interval: Option<Duration>,
    /// Who set it ("Dana Reyes, RN"); `None` for the level given on admission.
    pub by: Option<String>,
}

/// Checks, late and missed in a window (see the module documentation for the definitions).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub checks: u32,
    pub late: u32,
    pub missed: u32,
}

/// Where a patient's next check stands against the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObsDue {
    /// 1:1: continuous observation, never "due".
    Continuous,
    DueIn(Duration),
    /// Overdue since a due time that passed with no check.
    Overdue(Duration),
}

/// Everything the handoff needs about a stay's checks over a window
/// (`Store::observation_summary`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ObsSummary {
    pub checks: u32,
    pub late: u32,
    pub missed: u32,
    /// Alerts raised before the end of the window and not acknowledged by then.
    pub open_alerts: u32,
    /// Alerts raised inside the window (acknowledged or not).
    pub alerts: u32,
}

/// Ceiling of `a / b` for `b > 0`, correct for negative `a`.
fn ceil_div(a: i64, b: i64) -> i64 {
    a.div_euclid(b) + i64::from(a.rem_euclid(b) != 0)
}

/// The schedule walked forward through level changes and checks.
struct Walk {
    interval: Option<Duration>,
    /// The next due time not yet passed.
    next_due: Option<Time>,
    /// The latest due time that passed unanswered: the next check answers it (late).
    pending: Option<Time>,
    /// The first due time that passed unanswered since the last check: overdue since then.
    first_unmet: Option<Time>,
    window: Option<(Time, Time)>,
    tally: Tally,
}

impl Walk {
    fn in_window(&self, t: Time) -> bool {
        self.window.is_some_and(|(from, to)| from <= t && t < to)
    }

    fn missed(&mut self, t: Time) {
        if self.in_window(t) {
            self.tally.missed += 1;
        }
    }

    /// Count the due times `start + j * step` for `j` in `0..n` that fall in the window.
    fn missed_run(&mut self, start: Time, step: Duration, n: i64) {
        let Some((from, to)) = self.window else { return };
        if n <= 0 {
            return;
        }
        let s = step.num_seconds().max(1);
        let lo = ceil_div((from - start).num_seconds(), s).max(0);
        let hi = (ceil_div((to - start).num_seconds(), s) - 1).min(n - 1);
        if hi >= lo {
            self.tally.missed += (hi - lo + 1) as u32;
        }
    }

    /// Let every due time before `t` pass unanswered.
    fn pass_until(&mut self, t: Time) {
        let (Some(i), Some(nd)) = (self.interval, self.next_due) else { return };
        if nd >= t {
            return;
        }
        let s = i.num_seconds().max(1);
        // Due times nd, nd+i, ..., nd+(k-1)i are all before t.
        let k = ceil_div((t - nd).num_seconds(), s);
        if let Some(p) = self.pending.take() {
            self.missed(p);
        }
        self.missed_run(nd, i, k - 1);
        self.pending = Some(nd + Duration::seconds(s * (k - 1)));
        self.first_unmet.get_or_insert(nd);
        self.next_due = Some(nd + Duration::seconds(s * k));
    }

    fn check(&mut self, c: Time) {
        self.pass_until(c);
        if self.in_window(c) {
            self.tally.checks += 1;
        }
        if let Some(p) = self.pending.take()
            && self.in_window(p)
        {
            self.tally.late += 1;
        }
        self.first_unmet = None;
        self.next_due = self.interval.map(|i| c + i);
    }

    fn change(&mut self, t: Time, interval: Option<Duration>) {
        self.pass_until(t);
        match interval {
            None => {
                if let Some(p) = self.pending.take() {
                    self.missed(p);
                }
                self.first_unmet = None;
                self.next_due = None;
            }
            Some(i) => {
                let fresh = t + i;
                self.next_due = Some(self.next_due.map_or(fresh, |nd| nd.min(fresh)));
            }
        }
        self.interval = interval;
    }

    /// Walk `levels` (the first is the admission) and `checks` (sorted), in time order; a level
    /// change and a check at the same instant: the change first.
    fn run(levels: &[LevelChange], checks: &[Time], window: Option<(Time, Time)>) -> Walk {
        let mut w =
            Walk { interval: None, next_due: None, pending: None, first_unmet: None, window, tally: Tally::default() };
        let Some(first) = levels.first() else { return w };
        w.interval = first.interval;
        w.next_due = first.interval.map(|i| first.at + i);
        let (mut li, mut ci) = (1, 0);
        // Checks before the admission cannot exist; ignore them rather than count them.
        while ci < checks.len() && checks[ci] < first.at {
            ci += 1;
        }
        loop {
            let l = levels.get(li);
            let c = checks.get(ci);
            match (l, c) {
                (None, None) => break,
                (Some(l), Some(c)) if l.at <= *c => {
                    w.change(l.at, l.interval);
                    li += 1;
                }
                (Some(l), None) => {
                    w.change(l.at, l.interval);
                    li += 1;
                }
                (_, Some(c)) => {
                    w.check(*c);
                    ci += 1;
                }
            }
        }
        w
    }
}

/// Where the next check stands at `now`, given every level change and the checks from (at
/// least) the last one before the ones that matter.
pub fn due(levels: &[LevelChange], checks: &[Time], now: Time) -> ObsDue {
    let upto: Vec<Time> = checks.iter().copied().filter(|c| *c <= now).collect();
    let lv: Vec<LevelChange> = levels.iter().filter(|l| l.at <= now).cloned().collect();
    let mut w = Walk::run(&lv, &upto, None);
    if w.interval.is_none() {
        return ObsDue::Continuous;
    }
    w.pass_until(now);
    match w.first_unmet.or(w.next_due) {
        None => ObsDue::Continuous,
        Some(at) if at <= now => ObsDue::Overdue(now - at),
        Some(at) => ObsDue::DueIn(at - now),
    }
}

/// When the next check is (or was) due at `now`; `None` on 1:1.
pub fn due_at(levels: &[LevelChange], checks: &[Time], now: Time) -> Option<Time> {
    match due(levels, checks, now) {
        ObsDue::Continuous => None,
        ObsDue::DueIn(d) => Some(now + d),
        ObsDue::Overdue(d) => Some(now - d),
    }
}

/// Checks, late and missed in the window `[from, to)`, reckoned at `to`: due times up to `to`
/// have passed. `checks` (sorted) must hold every check from the last one before `from` on, and
/// the first check at or after `to` if there is one (it decides whether a check owed at `to`
/// was late or missed). For a window still in progress, pass `to = now`.
pub fn tally(levels: &[LevelChange], checks: &[Time], from: Time, to: Time) -> Tally {
    let mut w = Walk::run(levels, checks, Some((from, to)));
    w.pass_until(to);
    if let Some(p) = w.pending.take() {
        w.missed(p);
    }
    w.tally
}

// ------------------------------------------------------------------------------ shifts

/// The shifts used when the ward has configured none: the 12-hour blocks 07:00-19:00 and
/// 19:00-07:00 in the ward's zone.
pub fn default_shifts() -> Vec<ShiftDef> {
    let at = |h| chrono::NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default();
    vec![ShiftDef { name: "Day".into(), starts: at(7) }, ShiftDef { name: "Night".into(), starts: at(19) }]
}

/// The shift containing `t` (the ward's shifts, or the default 12-hour blocks).
pub fn shift_for(defs: &[ShiftDef], t: Time, tz: Tz) -> ShiftWindow {
    shift_at(defs, t, tz).or_else(|| shift_at(&default_shifts(), t, tz)).unwrap_or(ShiftWindow {
        name: "Shift".into(),
        start: t - Duration::hours(12),
        end: t,
    })
}

// ------------------------------------------------------------------------------ the board

/// One recorded check, as the screens show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub id: i64,
    pub at: Time,
    pub by_id: i64,
    /// "Lee Park, LPN".
    pub by: String,
    pub answer: Answer,
}

/// One open stay's observation: its level history and its recent checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StayObs {
    pub stay_id: i64,
    pub patient_id: i64,
    pub bed: String,
    pub name: String,
    pub mrn: String,
    /// The level now (`stay.observation`).
    pub level: String,
    /// Admission level first, then every change.
    pub levels: Vec<LevelChange>,
    /// The last check before the loaded window in which the patient was seen, any exceptions
    /// after it, then every check since, in time order.
    pub checks: Vec<Check>,
}

impl StayObs {
    /// The times of the checks that saw the patient: the only ones the schedule counts.
    fn times(&self) -> Vec<Time> {
        self.checks.iter().filter(|c| c.answer.seen()).map(|c| c.at).collect()
    }

    pub fn due(&self, now: Time) -> ObsDue {
        due(&self.levels, &self.times(), now)
    }

    pub fn due_at(&self, now: Time) -> Option<Time> {
        due_at(&self.levels, &self.times(), now)
    }

    /// Checks, late and missed from `from` to `now` (a shift in progress).
    pub fn tally(&self, from: Time, now: Time) -> Tally {
        tally(&self.levels, &self.times(), from, now)
    }

    /// The latest check recorded, exception or not.
    pub fn last_check(&self) -> Option<&Check> {
        self.checks.last()
    }

    /// The latest check in which the patient was seen: the one the interval runs from.
    pub fn last_seen(&self) -> Option<&Check> {
        self.checks.iter().rev().find(|c| c.answer.seen())
    }

    /// The latest check, when it is an exception: the row stays marked until a check that is
    /// not one (see the module documentation).
    pub fn exception(&self) -> Option<&Check> {
        self.checks.last().filter(|c| c.answer.alert().is_some())
    }

    /// Exceptions recorded in `[from, to)`.
    pub fn exceptions(&self, from: Time, to: Time) -> usize {
        self.checks.iter().filter(|c| from <= c.at && c.at < to && c.answer.alert().is_some()).count()
    }

    /// The level in force and who set it when (the admission level: `by` is None).
    pub fn level_set(&self) -> Option<&LevelChange> {
        self.levels.last()
    }
}

/// An exception that stays on every screen until someone acknowledges it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenAlert {
    pub check_id: i64,
    pub stay_id: i64,
    pub bed: String,
    pub name: String,
    pub at: Time,
    pub by: String,
    pub why: String,
}

/// What the census and the rounds screen need: every occupied bed's checks since the start of
/// the shift, and the open alerts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObsBoard {
    /// The ward's shifts (or the default blocks), to find the shift at any moment.
    pub shifts: Vec<ShiftDef>,
    /// In bed order.
    pub stays: Vec<StayObs>,
    pub alerts: Vec<OpenAlert>,
}

impl ObsBoard {
    pub fn stay(&self, stay_id: i64) -> Option<&StayObs> {
        self.stays.iter().find(|s| s.stay_id == stay_id)
    }

    pub fn shift(&self, now: Time, tz: Tz) -> ShiftWindow {
        let defs = if self.shifts.is_empty() { default_shifts() } else { self.shifts.clone() };
        shift_for(&defs, now, tz)
    }

    /// How many patients are overdue for a check at `now`.
    pub fn overdue(&self, now: Time) -> usize {
        self.stays.iter().filter(|s| matches!(s.due(now), ObsDue::Overdue(_))).count()
    }
}

/// An alert as the handoff tells it: what it was, who recorded it and when, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertRecord {
    pub at: Time,
    /// "patient not found" ([`Answer::alert`]).
    pub why: String,
    /// Who recorded the check that raised it.
    pub by: String,
    pub acked: Option<AlertAck>,
}

/// Who acknowledged an alert, when, and what was done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertAck {
    pub at: Time,
    pub by: String,
    pub note: String,
}

/// The handoff's observation line: the shift's checks, then each alert with what it was, who
/// recorded it when, and whether it was acknowledged (by whom, what was done) or is still open
/// at `now` ("... 1 alert, 1 still open: PATIENT NOT FOUND 20:00 recorded by Lee Park, LPN,
/// STILL OPEN").
pub fn handoff_note(s: &ObsSummary, alerts: &[AlertRecord], now: Time, tz: Tz) -> String {
    use crate::domain::time::local_short;
    let mut out = format!(
        "{}, {} late, {} missed this shift; {}, {} still open",
        crate::domain::text::count(s.checks as usize, "check", "checks"),
        s.late,
        s.missed,
        crate::domain::text::count(s.alerts as usize, "alert", "alerts"),
        s.open_alerts
    );
    for (i, a) in alerts.iter().enumerate() {
        out.push_str(if i == 0 { ": " } else { "; " });
        out.push_str(&format!("{} {} recorded by {}", a.why.to_uppercase(), local_short(a.at, now, tz), a.by));
        match &a.acked {
            Some(k) => out.push_str(&format!(", acknowledged {} by {}: {}", local_short(k.at, now, tz), k.by, k.note)),
            None => out.push_str(", STILL OPEN"),
        }
    }
    out
}

/// Minutes left, rounded up, for a narrow cell: `3m`, `59m`, `2h`.
pub fn minutes_left(d: Duration) -> String {
    let m = (d.num_seconds() + 59).div_euclid(60).max(0);
    if m < 100 { format!("{m}m") } else { format!("{}h", m / 60) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn ny() -> Tz {
        chrono_tz::America::New_York
    }

    /// A local time in New York (refuses the ambiguous and the skipped).
    fn at(s: &str) -> Time {
        crate::domain::time::parse_local("t", s, ny()).unwrap()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Time {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn level(t: Time, code: &str) -> LevelChange {
        let interval = match code {
            "q15" => Some(Duration::minutes(15)),
            "q30" => Some(Duration::minutes(30)),
            "q60" => Some(Duration::minutes(60)),
            _ => None,
        };
        LevelChange { at: t, code: code.into(), interval, by: None }
    }

    fn every(from: Time, to: Time, step: i64) -> Vec<Time> {
        let mut v = Vec::new();
        let mut t = from;
        while t < to {
            v.push(t);
            t += Duration::minutes(step);
        }
        v
    }

    fn two() -> Vec<ShiftDef> {
        default_shifts()
    }

    #[test]
    fn answers_only_in_sensible_pairs_with_alerts_and_codes() {
        assert!(Answer::new(Location::Room, None).is_err());
        assert!(Answer::new(Location::NotFound, Some(State::Calm)).is_err());
        assert!(Answer::new(Location::OffUnit, Some(State::Calm)).is_err());
        assert!(Answer::new(Location::Room, Some(State::WithStaff)).is_err());
        let a = Answer::new(Location::DayRoom, Some(State::Calm)).unwrap();
        assert_eq!((a.code(), a.describe(), a.alert()), ("d2".into(), "day room, awake, calm".into(), None));
        assert_eq!(Answer::ASLEEP_IN_ROOM.code(), "r1");
        assert_eq!(Answer::NOT_FOUND.alert(), Some("patient not found"));
        assert_eq!(Answer::OFF_UNIT_NO_STAFF.alert(), Some("off unit without staff"));
        assert_eq!(Answer::OFF_UNIT_WITH_STAFF.alert(), None);
        assert!(Answer::new(Location::Group, Some(State::Distressed)).unwrap().alert().is_some());
        assert!(Answer::new(Location::Room, Some(State::Agitated)).unwrap().alert().is_some());
        for l in Location::ALL {
            assert_eq!(Location::from_code(l.code()), Some(l));
        }
        for s in State::ALL {
            assert_eq!(State::from_code(s.code()), Some(s));
        }
        assert_eq!(Answer::from_codes("off_unit", Some("no_staff")), Some(Answer::OFF_UNIT_NO_STAFF));
        assert_eq!(State::from_key('1'), Some(State::AsleepBreathing));
        assert_eq!(State::from_key('6'), None);
        // Every key is distinct: locations, the three one-key answers and the digits.
        let mut keys: Vec<char> = Location::ALL.iter().map(|l| l.key()).collect();
        keys.push('u');
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), 10);
    }

    #[test]
    fn on_time_checks_leave_nothing_late_or_missed() {
        let adm = at("2026-11-25 08:00");
        let checks = every(adm, at("2026-11-25 19:00"), 15);
        let t = tally(&[level(adm, "q15")], &checks, at("2026-11-25 07:00"), at("2026-11-25 19:00"));
        assert_eq!(t, Tally { checks: 44, late: 0, missed: 0 });
        assert_eq!(due(&[level(adm, "q15")], &checks, at("2026-11-25 18:50")), ObsDue::DueIn(Duration::minutes(10)));
    }

    #[test]
    fn a_gap_is_late_for_the_last_due_time_and_missed_for_the_others() {
        let adm = at("2026-11-25 09:00");
        let lv = [level(adm, "q15")];
        let from = at("2026-11-25 07:00");
        // 10:00 then 10:20: due 10:15 answered late.
        let c = [at("2026-11-25 10:00"), at("2026-11-25 10:20")];
        let t = tally(&lv, &c, from, at("2026-11-25 10:25"));
        // Before 10:00: 09:15 and 09:30 missed, 09:45 answered late at 10:00; then 10:15 late.
        assert_eq!((t.late, t.missed), (2, 2));
        let t = tally(&lv, &c, at("2026-11-25 10:00"), at("2026-11-25 10:25"));
        assert_eq!(t, Tally { checks: 2, late: 1, missed: 0 });
        // 10:00 then 10:50: 10:15 and 10:30 missed, 10:45 late.
        let c = [at("2026-11-25 10:00"), at("2026-11-25 10:50")];
        let t = tally(&lv, &c, at("2026-11-25 10:00"), at("2026-11-25 11:00"));
        assert_eq!(t, Tally { checks: 2, late: 1, missed: 2 });
        // Exactly at the due time is on time.
        let c = [at("2026-11-25 10:00"), at("2026-11-25 10:15")];
        assert_eq!(tally(&lv, &c, at("2026-11-25 10:00"), at("2026-11-25 10:20")).late, 0);
        // Overdue from the first due time that passed.
        let c = [at("2026-11-25 10:00")];
        assert_eq!(due(&lv, &c, at("2026-11-25 10:40")), ObsDue::Overdue(Duration::minutes(25)));
        assert_eq!(due(&lv, &c, at("2026-11-25 10:15")), ObsDue::Overdue(Duration::zero()));
        // No check since admission: due one interval after it.
        assert_eq!(due(&lv, &[], at("2026-11-25 09:05")), ObsDue::DueIn(Duration::minutes(10)));
    }

    #[test]
    fn overdue_and_late_across_a_shift_boundary_count_where_the_due_time_falls() {
        let lv = [level(at("2026-11-25 06:00"), "q15")];
        let day = shift_for(&two(), at("2026-11-25 12:00"), ny());
        let night = shift_for(&two(), at("2026-11-25 20:00"), ny());
        assert_eq!((day.end, night.start), (at("2026-11-25 19:00"), at("2026-11-25 19:00")));
        let mut checks = every(at("2026-11-25 06:00"), at("2026-11-25 19:00"), 15);
        checks.retain(|c| *c <= at("2026-11-25 18:45"));
        checks.push(at("2026-11-25 18:55"));
        // Overdue across the boundary: due 19:10, at 19:12 overdue by 2 minutes.
        assert_eq!(due(&lv, &checks, at("2026-11-25 19:12")), ObsDue::Overdue(Duration::minutes(2)));
        checks.push(at("2026-11-25 19:30"));
        // 19:10 passed unanswered (missed), 19:25 answered at 19:30 (late): both in the night.
        assert_eq!(tally(&lv, &checks, day.start, day.end), Tally { checks: 49, late: 0, missed: 0 });
        assert_eq!(tally(&lv, &checks, night.start, at("2026-11-25 19:35")), Tally { checks: 1, late: 1, missed: 1 });

        // Due 18:58, checked 19:03: the lapse is the day shift's, once, as late.
        let lv = [level(at("2026-11-25 18:00"), "q15")];
        let c = [at("2026-11-25 18:13"), at("2026-11-25 18:28"), at("2026-11-25 18:43"), at("2026-11-25 19:03")];
        assert_eq!(tally(&lv, &c, day.start, day.end), Tally { checks: 3, late: 1, missed: 0 });
        assert_eq!(tally(&lv, &c, night.start, at("2026-11-25 19:10")), Tally { checks: 1, late: 0, missed: 0 });
        // Reckoned at 19:00 before the 19:03 check exists, it was owed: missed.
        assert_eq!(tally(&lv, &c[..3], day.start, day.end).missed, 1);
    }

    #[test]
    fn the_night_the_clocks_fall_back_has_thirteen_hours_of_checks() {
        // 2026-11-01: 02:00 EDT becomes 01:00 EST; the night shift is 13 real hours.
        let night = shift_for(&two(), utc(2026, 11, 1, 8, 0), ny());
        assert_eq!(night.length(), Duration::hours(13));
        let lv = [level(night.start - Duration::hours(3), "q15")];
        // One check at 19:00 and none after: every due time in the night is missed.
        let t = tally(&lv, &[night.start], night.start, night.end);
        assert_eq!(t, Tally { checks: 1, late: 0, missed: 13 * 4 - 1 });
        // Checks every 15 real minutes: the wall clock repeats 01:00-02:00, nothing is late.
        let checks = every(night.start, night.end, 15);
        assert_eq!(checks.len(), 52);
        assert_eq!(tally(&lv, &checks, night.start, night.end), Tally { checks: 52, late: 0, missed: 0 });
        // 01:50 EDT (05:50Z) then 01:05 EST (06:05Z): 15 minutes apart although the clock went back.
        let c = [utc(2026, 11, 1, 5, 50), utc(2026, 11, 1, 6, 5)];
        assert_eq!(tally(&lv, &c, c[0], utc(2026, 11, 1, 6, 10)), Tally { checks: 2, late: 0, missed: 0 });
        assert_eq!(crate::domain::time::local(c[1], ny()), "2026-11-01 01:05 EST");
        assert_eq!(due(&lv, &c[..1], utc(2026, 11, 1, 6, 0)), ObsDue::DueIn(Duration::minutes(5)));
    }

    #[test]
    fn the_night_the_clocks_spring_forward_has_eleven() {
        let night = shift_for(&two(), at("2026-03-08 04:00"), ny());
        assert_eq!(night.length(), Duration::hours(11));
        let lv = [level(night.start - Duration::hours(1), "q30")];
        assert_eq!(tally(&lv, &[night.start], night.start, night.end).missed, 11 * 2 - 1);
        // 01:50 EST then 03:05 EDT: 15 real minutes, on time under q30.
        let c = [at("2026-03-08 01:50"), at("2026-03-08 03:05")];
        assert_eq!(c[1] - c[0], Duration::minutes(15));
        assert_eq!(tally(&lv, &c, c[0], at("2026-03-08 03:10")).late, 0);
    }

    #[test]
    fn a_level_change_never_postpones_a_check_already_due() {
        let adm = at("2026-11-25 08:00");
        let c = [at("2026-11-25 09:10")];
        // q60 -> q15 at 10:00: the q60 check due 10:10 still stands (not 10:15).
        let lv = [level(adm, "q60"), level(at("2026-11-25 10:00"), "q15")];
        assert_eq!(due_at(&lv, &c, at("2026-11-25 10:01")), Some(at("2026-11-25 10:10")));
        // q60 -> q15 at 10:00 after a check at 09:58: due 10:15 (one q15 interval after the change).
        let c2 = [at("2026-11-25 09:58")];
        assert_eq!(due_at(&lv, &c2, at("2026-11-25 10:01")), Some(at("2026-11-25 10:15")));
        // Setting the same level again while overdue changes nothing.
        let lv = [level(adm, "q15"), level(at("2026-11-25 10:00"), "q15")];
        assert_eq!(due(&lv, &c, at("2026-11-25 10:01")), ObsDue::Overdue(Duration::minutes(36)));
        // Stepping down from q15 to q60 while overdue: still overdue.
        let lv = [level(adm, "q15"), level(at("2026-11-25 10:00"), "q60")];
        assert!(matches!(due(&lv, &c, at("2026-11-25 10:01")), ObsDue::Overdue(_)));
        // 1:1 is never due, and the schedule starts again one interval after 1:1 ends.
        let lv = [level(adm, "1:1")];
        assert_eq!(due(&lv, &[], at("2026-11-26 08:00")), ObsDue::Continuous);
        assert_eq!(tally(&lv, &[], adm, at("2026-11-26 08:00")), Tally::default());
        let lv = [level(adm, "1:1"), level(at("2026-11-25 12:00"), "q15")];
        assert_eq!(due_at(&lv, &[], at("2026-11-25 12:05")), Some(at("2026-11-25 12:15")));
        // Overdue when 1:1 starts: that due time is missed, nothing after it.
        let lv = [level(adm, "q15"), level(at("2026-11-25 08:20"), "1:1")];
        assert_eq!(tally(&lv, &[], adm, at("2026-11-25 12:00")), Tally { checks: 0, late: 0, missed: 1 });
    }

    #[test]
    fn the_window_needs_only_the_last_check_before_it() {
        let adm = at("2026-11-20 08:00");
        let lv = [level(adm, "q15"), level(at("2026-11-23 10:00"), "q30"), level(at("2026-11-25 03:00"), "q15")];
        let mut all = every(adm, at("2026-11-25 08:00"), 17);
        all.retain(|t| !(at("2026-11-25 01:00")..at("2026-11-25 02:10")).contains(t));
        let (from, to) = (at("2026-11-24 19:00"), at("2026-11-25 07:00"));
        let full = tally(&lv, &all, from, to);
        let seed = all.iter().rposition(|c| *c < from).unwrap();
        let end = all.iter().position(|c| *c >= to).unwrap();
        let part = tally(&lv, &all[seed..=end], from, to);
        assert_eq!(full, part);
        assert!(full.missed > 0 && full.late > 0, "{full:?}");
        assert_eq!(due(&lv, &all, to), due(&lv, &all[seed..], to));
    }

    #[test]
    fn an_exception_nobody_saw_the_patient_in_never_restarts_the_interval() {
        let adm = at("2026-11-25 08:00");
        let check =
            |id: i64, t: &str, answer: Answer| Check { id, at: at(t), by_id: 1, by: "Lee Park, LPN".into(), answer };
        let agitated = Answer::new(Location::Hallway, Some(State::Agitated)).unwrap();
        assert!(!Answer::NOT_FOUND.seen() && !Answer::OFF_UNIT_NO_STAFF.seen());
        assert!(Answer::OFF_UNIT_WITH_STAFF.seen() && agitated.seen() && Answer::ASLEEP_IN_ROOM.seen());
        let mut o = StayObs {
            stay_id: 1,
            patient_id: 1,
            bed: "1".into(),
            name: "Ana".into(),
            mrn: "M".into(),
            level: "q15".into(),
            levels: vec![level(adm, "q15")],
            checks: vec![check(1, "2026-11-25 09:00", Answer::ASLEEP_IN_ROOM)],
        };
        o.checks.push(check(2, "2026-11-25 09:10", Answer::NOT_FOUND));
        o.checks.push(check(3, "2026-11-25 09:12", Answer::OFF_UNIT_NO_STAFF));
        assert_eq!(o.due_at(at("2026-11-25 09:13")), Some(at("2026-11-25 09:15")));
        assert_eq!(o.exception().map(|c| c.id), Some(3));
        assert_eq!(o.last_seen().map(|c| c.id), Some(1));
        assert_eq!(o.exceptions(at("2026-11-25 09:00"), at("2026-11-25 10:00")), 2);
        assert_eq!(o.tally(at("2026-11-25 09:00"), at("2026-11-25 09:20")), Tally { checks: 1, late: 0, missed: 1 });
        // Seen agitated: the interval restarts, the mark stays; seen calm: the mark clears.
        o.checks.push(check(4, "2026-11-25 09:20", agitated));
        assert_eq!(o.due_at(at("2026-11-25 09:21")), Some(at("2026-11-25 09:35")));
        assert_eq!(o.exception().map(|c| c.id), Some(4));
        o.checks.push(check(5, "2026-11-25 09:25", Answer::ASLEEP_IN_ROOM));
        assert!(o.exception().is_none());
        assert_eq!(o.due_at(at("2026-11-25 09:26")), Some(at("2026-11-25 09:40")));
    }

    #[test]
    fn the_handoff_note_says_what_each_alert_was_who_recorded_it_and_what_became_of_it() {
        let s = ObsSummary { checks: 2, late: 0, missed: 3, open_alerts: 1, alerts: 2 };
        let alerts = [
            AlertRecord {
                at: at("2026-11-25 02:00"),
                why: "agitated".into(),
                by: "Lee Park, LPN".into(),
                acked: Some(AlertAck { at: at("2026-11-25 02:06"), by: "Dana Reyes, RN".into(), note: "calm".into() }),
            },
            AlertRecord {
                at: at("2026-11-25 03:58"),
                why: "patient not found".into(),
                by: "Sam Okafor, RN".into(),
                acked: None,
            },
        ];
        assert_eq!(
            handoff_note(&s, &alerts, at("2026-11-25 04:00"), ny()),
            "2 checks, 0 late, 3 missed this shift; 2 alerts, 1 still open: AGITATED 02:00 recorded by Lee Park, \
             LPN, acknowledged 02:06 by Dana Reyes, RN: calm; PATIENT NOT FOUND 03:58 recorded by Sam Okafor, RN, \
             STILL OPEN"
        );
        assert_eq!(
            handoff_note(&s, &[], at("2026-11-25 04:00"), ny()),
            "2 checks, 0 late, 3 missed this shift; 2 alerts, 1 still open"
        );
    }

    #[test]
    fn minutes_left_rounds_up() {
        assert_eq!(minutes_left(Duration::seconds(61)), "2m");
        assert_eq!(minutes_left(Duration::minutes(60)), "60m");
        assert_eq!(minutes_left(Duration::minutes(150)), "2h");
        assert_eq!(minutes_left(Duration::zero()), "0m");
    }
}
