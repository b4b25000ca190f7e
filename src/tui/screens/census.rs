//! The census board: every bed, who is in it, and what is due. The screen the ward lives on.
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::domain::census::{self, CensusRow, Due, Occupant, SortBy, band_abbrev, protocol_abbrev};
use crate::domain::rounds::ObsBoard;
use crate::domain::stay::PAWSS_HIGH_RISK;
use crate::domain::text::{fit, inert};
use crate::domain::time::{age_years, day_of_stay, local_short, span};
use crate::domain::user::{Action, Role, can};
use crate::tui::keymap::{Binding, Key};
use crate::tui::screens::rounds;
use crate::tui::theme;

/// Due within this long is shown as coming up.
const DUE_SOON: i64 = 15;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CensusAction {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Sort,
    Filter,
    Score,
    NewNote,
    Timeline,
    Trend,
    Prn,
    Admit,
    Transfer,
    LevelOfCare,
    Observation,
    Discharge,
    Handoff,
    Round,
    Schedule,
    Accounts,
    Audit,
    FindNotes,
    Help,
    SignOut,
    Quit,
}

impl CensusAction {
    /// The permission an action needs, if any.
    fn needs(self) -> Option<Action> {
        match self {
            CensusAction::Score | CensusAction::Prn => Some(Action::Assess),
            CensusAction::NewNote => Some(Action::WriteNote),
            CensusAction::Admit => Some(Action::Admit),
            CensusAction::Transfer => Some(Action::Transfer),
            CensusAction::LevelOfCare => Some(Action::ChangeLevelOfCare),
            CensusAction::Observation | CensusAction::Round => Some(Action::Assess),
            CensusAction::Discharge => Some(Action::Discharge),
            CensusAction::Accounts => Some(Action::ManageAccounts),
            CensusAction::Audit => Some(Action::ReadAudit),
            _ => None,
        }
    }

    pub fn allowed(self, role: Role) -> bool {
        self.needs().is_none_or(|a| can(role, a))
    }
}

pub static KEYS: &[Binding<CensusAction>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Up), Key::ch('k')],
        action: CensusAction::Up,
        short: "up",
        help: "Previous / next bed (also k / j)",
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Down), Key::ch('j')],
        action: CensusAction::Down,
        short: "down",
        help: "Previous / next bed (also k / j)",
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::PageUp)],
        action: CensusAction::PageUp,
        short: "page up",
        help: "Page up / down",
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::PageDown)],
        action: CensusAction::PageDown,
        short: "page down",
        help: "Page up / down",
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Home), Key::ch('g')],
        action: CensusAction::Top,
        short: "top",
        help: "First / last bed (also g / G)",
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::End), Key::ch('G')],
        action: CensusAction::Bottom,
        short: "bottom",
        help: "First / last bed (also g / G)",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('s')],
        action: CensusAction::Sort,
        short: "sort",
        help: "Sort by bed, due time (most urgent first) or acuity",
        footer: true,
    },
    Binding {
        keys: &[Key::ch('/')],
        action: CensusAction::Filter,
        short: "filter",
        help: "Filter by typed text (name, MRN, bed, substance, ...); Esc clears",
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        action: CensusAction::Score,
        short: "score",
        help: "Score withdrawal (the patient's protocol is preselected)",
        footer: true,
    },
    Binding {
        keys: &[Key::ch('n')],
        action: CensusAction::NewNote,
        short: "note",
        help: "Write a progress note (resumes your draft if you have one)",
        footer: true,
    },
    Binding {
        keys: &[Key::ch('v')],
        action: CensusAction::Timeline,
        short: "timeline",
        help: "Timeline: notes, addenda, scores, PRNs; read, search, addenda",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('h')],
        action: CensusAction::Trend,
        short: "trend",
        help: "Trend chart and past assessments of the selected patient",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('p')],
        action: CensusAction::Prn,
        short: "PRN",
        help: "Record a PRN dose given to the selected patient",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('R')],
        action: CensusAction::Round,
        short: "round",
        help: "Observation round: check every bed; ! acknowledges alerts",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('S')],
        action: CensusAction::Schedule,
        short: "schedule",
        help: "Today's schedule and who is missing",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('a')],
        action: CensusAction::Admit,
        short: "admit",
        help: "Admit a patient to the selected empty bed",
        footer: true,
    },
    Binding {
        keys: &[Key::ch('t')],
        action: CensusAction::Transfer,
        short: "transfer",
        help: "Change bed (t), level of care (l) or observation level (o)",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('l')],
        action: CensusAction::LevelOfCare,
        short: "level",
        help: "Change bed (t), level of care (l) or observation level (o)",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('o')],
        action: CensusAction::Observation,
        short: "obs",
        help: "Change bed (t), level of care (l) or observation level (o)",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('d')],
        action: CensusAction::Discharge,
        short: "discharge",
        help: "Discharge (the patient leaves the board, never the record)",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('H')],
        action: CensusAction::Handoff,
        short: "handoff",
        help: "Shift handoff (I-PASS), patient by patient",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('U')],
        action: CensusAction::Accounts,
        short: "accounts",
        help: "Accounts: add, disable, reset passwords (admin)",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('F')],
        action: CensusAction::FindNotes,
        short: "find in notes",
        help: "Find in notes: the ward's patients, or the whole record",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('A')],
        action: CensusAction::Audit,
        short: "audit",
        help: "The audit trail: who read or wrote which record",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('?')],
        action: CensusAction::Help,
        short: "help",
        help: "Show every key of this screen",
        footer: true,
    },
    Binding {
        keys: &[Key::ch('L'), Key::ctrl('l')],
        action: CensusAction::SignOut,
        short: "lock",
        help: "Lock the terminal (Ctrl-L anywhere); your work is kept",
        footer: true,
    },
    Binding { keys: &[Key::ch('q')], action: CensusAction::Quit, short: "quit", help: "Quit wardterm", footer: true },
];

/// The board's UI state. Rows come from the store; the order is derived from sort and filter.
#[derive(Clone, Debug, PartialEq)]
pub struct CensusScreen {
    pub rows: Vec<CensusRow>,
    /// Indices into `rows`, sorted and filtered.
    pub order: Vec<usize>,
    pub selected: usize,
    pub sort: SortBy,
    pub filter: String,
    pub filtering: bool,
    /// Observation checks and open alerts (`tui/rounds_flow.rs` loads them when `obs_stale`).
    pub obs: ObsBoard,
    /// The rows changed since `obs` was loaded.
    pub obs_stale: bool,
    /// Aftercare readiness (done, total) per open stay (`tui/plan_flow.rs` loads it when stale).
    pub aftercare: std::collections::HashMap<i64, (u8, u8)>,
    pub aftercare_stale: bool,
    /// What each cell of the board reads, derived from the rows, `obs`, `aftercare` and the clock.
    cells: BoardCells,
}

/// The text of every cell of the board (every column of every row, in `rows` order) as of a clock
/// and time zone. Update derives it when the data or the clock change
/// ([`CensusScreen::refresh_cells`]); a frame only lays it out.
#[derive(Clone, Debug, Default, PartialEq)]
struct BoardCells {
    at: Option<(DateTime<Utc>, Tz)>,
    rows: Vec<Vec<Text<'static>>>,
}

impl CensusScreen {
    pub fn new(rows: Vec<CensusRow>, now: DateTime<Utc>) -> CensusScreen {
        let mut s = CensusScreen {
            rows,
            order: Vec::new(),
            selected: 0,
            sort: SortBy::Bed,
            filter: String::new(),
            filtering: false,
            obs: ObsBoard::default(),
            obs_stale: true,
            aftercare: Default::default(),
            aftercare_stale: true,
            cells: BoardCells::default(),
        };
        s.reorder(now);
        s
    }

    /// Replace the rows (after a write or another terminal's change) keeping the selected bed.
    pub fn set_rows(&mut self, rows: Vec<CensusRow>, now: DateTime<Utc>) {
        let keep = self.current().map(|r| r.bed_id);
        self.rows = rows;
        self.obs_stale = true;
        self.aftercare_stale = true;
        self.cells.at = None;
        self.reorder(now);
        if let Some(bed) = keep
            && let Some(i) = self.order.iter().position(|&i| self.rows[i].bed_id == bed)
        {
            self.selected = i;
        }
    }

    /// Re-derive the order from sort and filter (also on the tick: due times move).
    pub fn reorder(&mut self, now: DateTime<Utc>) {
        let keep = self.current().map(|r| r.bed_id);
        let mut sorted: Vec<CensusRow> = self.rows.clone();
        census::sort(&mut sorted, self.sort, now);
        self.order = sorted
            .iter()
            .filter(|r| census::matches(r, &self.filter))
            .filter_map(|r| self.rows.iter().position(|x| x.bed_id == r.bed_id))
            .collect();
        self.selected = keep
            .and_then(|bed| self.order.iter().position(|&i| self.rows[i].bed_id == bed))
            .unwrap_or(0)
            .min(self.order.len().saturating_sub(1));
    }

    /// Replace the observation checks (the Obs column reads them).
    pub fn set_obs(&mut self, obs: ObsBoard) {
        self.obs = obs;
        self.cells.at = None;
    }

    /// Replace the aftercare progress (the AC column reads it).
    pub fn set_aftercare(&mut self, aftercare: std::collections::HashMap<i64, (u8, u8)>) {
        self.aftercare = aftercare;
        self.cells.at = None;
    }

    /// Derive every cell's text for `now`, unless it already is (the rows, checks and aftercare
    /// have not changed since, nor the clock).
    pub fn refresh_cells(&mut self, now: DateTime<Utc>, tz: Tz) {
        if self.cells.at != Some((now, tz)) {
            self.cells = BoardCells { at: Some((now, tz)), rows: self.derive_cells(now, tz) };
        }
    }

    fn derive_cells(&self, now: DateTime<Utc>, tz: Tz) -> Vec<Vec<Text<'static>>> {
        self.rows.iter().map(|r| row_cells(r, now, tz, &self.obs, self.aftercare_of(r))).collect()
    }

    fn aftercare_of(&self, row: &CensusRow) -> Option<(u8, u8)> {
        row.occupant.as_ref().and_then(|o| self.aftercare.get(&o.stay_id).copied())
    }

    pub fn current(&self) -> Option<&CensusRow> {
        self.order.get(self.selected).and_then(|&i| self.rows.get(i))
    }

    pub fn move_by(&mut self, delta: i64) {
        let n = self.order.len() as i64;
        if n == 0 {
            return;
        }
        self.selected = (self.selected as i64 + delta).clamp(0, n - 1) as usize;
    }
}

/// A census column: title, width, how important (0 = never dropped), and how to fill a cell.
struct Column {
    title: &'static str,
    width: u16,
    priority: u8,
}

const COLUMNS: &[Column] = &[
    Column { title: "Bed", width: 4, priority: 0 },
    Column { title: "Patient", width: 15, priority: 0 },
    Column { title: "MRN", width: 9, priority: 6 },
    Column { title: "Age", width: 4, priority: 4 },
    Column { title: "Day", width: 3, priority: 3 },
    Column { title: "Level", width: 6, priority: 3 },
    Column { title: "Subst.", width: 12, priority: 7 },
    Column { title: "Prot.", width: 7, priority: 1 },
    Column { title: "Last score", width: 14, priority: 0 },
    Column { title: "Next due", width: 13, priority: 0 },
    Column { title: "Obs", width: 7, priority: 1 },
    Column { title: "Precautions", width: 14, priority: 5 },
    Column { title: "Allergies", width: 10, priority: 2 },
    Column { title: "Attending", width: 12, priority: 8 },
    // I-PASS illness severity (S/W/U) from the handoff into this shift; "?" = not accepted.
    Column { title: "I", width: 2, priority: 1 },
    // Aftercare readiness "3/6" (issue 10); wide terminals only, the detail lines always show it.
    Column { title: "AC", width: 4, priority: 6 },
];

/// Which columns fit in `width`: drop the least important first (ties: rightmost first).
fn visible_columns(width: u16) -> Vec<usize> {
    let mut shown: Vec<usize> = (0..COLUMNS.len()).collect();
    let total = |s: &[usize]| s.iter().map(|&i| COLUMNS[i].width + 1).sum::<u16>();
    while total(&shown) > width {
        let drop = shown
            .iter()
            .enumerate()
            .filter(|(_, i)| COLUMNS[**i].priority > 0)
            .max_by_key(|(pos, i)| (COLUMNS[**i].priority, *pos))
            .map(|(pos, _)| pos);
        match drop {
            Some(pos) => {
                shown.remove(pos);
            }
            None => break,
        }
    }
    shown
}

/// "12 mod* 2h05": the total, the band, `*` for a severe band, and how long ago.
fn last_score_text(o: &Occupant, now: DateTime<Utc>) -> (String, Style) {
    match &o.last {
        None if o.protocol == "none" => ("—".into(), theme::hint()),
        None => ("none yet".into(), theme::hint()),
        Some(l) => {
            let ago = span(now - l.taken_at);
            match (l.total, &l.unable_reason) {
                (Some(t), _) => {
                    let band = band_abbrev(l.band.as_deref().unwrap_or(""));
                    let mark = if l.severe { "*" } else { "" };
                    let style = if l.severe { theme::severe() } else { theme::base() };
                    (format!("{t} {band}{mark} {ago}"), style)
                }
                (None, reason) => (format!("UTA {} {ago}", reason.as_deref().unwrap_or("")), theme::unable()),
            }
        }
    }
}

/// "! 25m late", "in 1h10", "—": overdue says so in text as well as colour.
pub fn due_text(o: &Occupant, now: DateTime<Utc>, tz: Tz) -> (String, Style) {
    match o.due(now) {
        Due::NotScheduled => ("—".into(), theme::hint()),
        Due::Overdue(d) => (format!("! {} late", span(d)), theme::overdue()),
        Due::DueIn(d) if d <= Duration::minutes(DUE_SOON) => (format!("in {}", span(d)), theme::due_soon()),
        Due::DueIn(_) => (format!("at {}", local_short(o.due_at().unwrap_or(now), now, tz)), theme::base()),
    }
}

/// Every column's text for one row.
fn row_cells(row: &CensusRow, now: DateTime<Utc>, tz: Tz, obs: &ObsBoard, ac: Option<(u8, u8)>) -> Vec<Text<'static>> {
    let Some(o) = &row.occupant else {
        return (0..COLUMNS.len())
            .map(|c| match c {
                0 => Text::from(inert(&row.bed)),
                1 => Text::from(Span::styled("— empty —", theme::empty_bed())),
                _ => Text::from(""),
            })
            .collect();
    };
    (0..COLUMNS.len())
        .map(|c| {
            let w = COLUMNS[c].width as usize;
            match c {
                0 => Text::from(inert(&row.bed)),
                1 => Text::from(fit(&o.name, w)),
                2 => Text::from(fit(&o.mrn, w)),
                3 => Text::from(format!("{}{}", age_years(o.birth_date, now, tz), o.sex)),
                4 => Text::from(day_of_stay(o.admitted_at, now, tz).to_string()),
                5 => Text::from(fit(&o.level_of_care, w)),
                6 => Text::from(fit(&o.substances, w)),
                7 => match o.pawss {
                    // PAWSS >= 4: high risk of complicated withdrawal (REFERENCE.md section 3).
                    Some(p) if p >= PAWSS_HIGH_RISK => {
                        Text::from(Span::styled(format!("{} P{p}", protocol_abbrev(&o.protocol)), theme::severe()))
                    }
                    _ => Text::from(protocol_abbrev(&o.protocol)),
                },
                8 => {
                    let (t, s) = last_score_text(o, now);
                    Text::from(Span::styled(fit(&t, w), s))
                }
                9 => {
                    let (t, s) = due_text(o, now, tz);
                    Text::from(Span::styled(fit(&t, w), s))
                }
                10 => {
                    let (t, s) = rounds::obs_cell(&o.observation, obs.stay(o.stay_id), now);
                    Text::from(Span::styled(fit(&t, w), s))
                }
                11 => Text::from(fit(&o.precautions, w)),
                12 => Text::from(fit(&o.allergies, w)),
                13 => Text::from(fit(&o.attending, w)),
                15 => Text::from(ac.map_or(String::new(), |(d, t)| format!("{d}/{t}"))),
                _ => match &o.handoff {
                    None => Text::from(""),
                    Some(h) => {
                        let letter = h.severity.map_or('·', |s| s.letter());
                        let mark = if h.accepted { "" } else { "?" };
                        let style = if h.severity == Some(crate::domain::handoff::Severity::Unstable) || !h.accepted {
                            theme::severe()
                        } else {
                            theme::base()
                        };
                        Text::from(Span::styled(format!("{letter}{mark}"), style))
                    }
                },
            }
        })
        .collect()
}

/// Three lines about the selected bed, with every clinical value's when and who.
fn detail_lines(
    row: Option<&CensusRow>,
    now: DateTime<Utc>,
    tz: Tz,
    can_admit: bool,
    obs: &ObsBoard,
    ac: Option<(u8, u8)>,
) -> Vec<Line<'static>> {
    let Some(row) = row else {
        return vec![Line::from("No bed matches the filter.")];
    };
    let Some(o) = &row.occupant else {
        let hint = if can_admit { "a: admit a patient here" } else { "Admission is done by the charge nurse." };
        return vec![
            Line::from(format!("Bed {} is empty.", inert(&row.bed))),
            Line::from(Span::styled(hint, theme::hint())),
        ];
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("Bed {} · {} ", inert(&row.bed), inert(&o.name)), theme::label()),
        Span::raw(format!(
            "MRN {} · {}{} · day {} · {} · {} · {}",
            inert(&o.mrn),
            age_years(o.birth_date, now, tz),
            o.sex,
            day_of_stay(o.admitted_at, now, tz),
            inert(&o.level_of_care),
            inert(&o.code_status),
            inert(&o.attending)
        )),
    ])];
    let precautions = if o.precautions.is_empty() { "none".to_string() } else { inert(&o.precautions) };
    let pawss = match o.pawss {
        Some(p) if p >= PAWSS_HIGH_RISK => format!(" · PAWSS {p}: HIGH RISK of complicated withdrawal"),
        Some(p) => format!(" · PAWSS {p}"),
        None if o.protocol == "ciwa-ar" => " · PAWSS not done".to_string(),
        None => String::new(),
    };
    lines.push(Line::from(format!(
        "Allergies: {} · Precautions: {} · {}{pawss}{}",
        inert(&o.allergies),
        precautions,
        inert(&o.substances),
        ac.map_or(String::new(), |p| format!(" · {}", crate::domain::aftercare::marker(p)))
    )));
    let last = match &o.last {
        None if o.protocol == "none" => "No withdrawal protocol.".to_string(),
        None => format!("No {} score yet: baseline due since admission.", protocol_abbrev(&o.protocol)),
        Some(l) => {
            let what = match (l.total, &l.unable_reason) {
                (Some(t), _) => format!("{} {t} {}", protocol_abbrev(&l.scale), l.band.as_deref().unwrap_or("")),
                (None, r) => format!("{} unable to assess ({})", protocol_abbrev(&l.scale), r.as_deref().unwrap_or("")),
            };
            format!("Last {what} at {} by {}", local_short(l.taken_at, now, tz), inert(&l.by))
        }
    };
    let due = match o.due(now) {
        Due::NotScheduled => String::new(),
        Due::Overdue(d) => format!(" · OVERDUE by {}", span(d)),
        Due::DueIn(_) => format!(" · next due {}", local_short(o.due_at().unwrap_or(now), now, tz)),
    };
    let prompts = if o.prompts.is_empty() { String::new() } else { format!(" · {}", inert(&o.prompts)) };
    lines.push(Line::from(format!("{last}{due}{prompts}")));
    lines.push(
        rounds::detail_line(o.stay_id, &o.observation, obs, now, tz)
            .unwrap_or_else(|| Line::from(format!("Obs {}", inert(&o.observation)))),
    );
    lines
}

pub fn draw(f: &mut Frame<'_>, area: Rect, s: &CensusScreen, now: DateTime<Utc>, tz: Tz, can_admit: bool) {
    let [status, banner, table_area, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(rounds::banner_height(&s.obs)),
        Constraint::Min(3),
        Constraint::Length(5),
    ])
    .areas(area);
    let occupied = s.rows.iter().filter(|r| r.occupant.is_some()).count();
    let overdue =
        s.rows.iter().filter_map(|r| r.occupant.as_ref()).filter(|o| matches!(o.due(now), Due::Overdue(_))).count();
    let mut spans =
        vec![Span::raw(format!("{occupied}/{} beds occupied · sorted by {}", s.rows.len(), s.sort.label()))];
    if overdue > 0 {
        spans.push(Span::raw(" · "));
        spans.push(Span::styled(format!("! {overdue} overdue"), theme::overdue()));
    }
    if s.filtering || !s.filter.is_empty() {
        spans.push(Span::raw(format!(" · filter: {}", inert(&s.filter))));
        if s.filtering {
            spans.push(Span::raw("▏ (Enter keeps, Esc clears)"));
        }
    }
    spans.extend(rounds::status_spans(&s.obs, now, tz));
    f.render_widget(Paragraph::new(Line::from(spans)), status);
    rounds::draw_banner(f, banner, &s.obs, now, tz);

    // Derived in update; derived here only if a caller drew without updating.
    let fresh;
    let cells = if s.cells.at == Some((now, tz)) {
        &s.cells.rows
    } else {
        fresh = s.derive_cells(now, tz);
        &fresh
    };
    draw_table(f.buffer_mut(), table_area, s, cells);
    let ac = s.current().and_then(|r| s.aftercare_of(r));
    let lines = detail_lines(s.current(), now, tz, can_admit, &s.obs, ac);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), detail);
}

/// The board as a table, drawn cell by cell from the derived texts: the header, then the beds that
/// fit with the selected one in view (scrolled as little as needed), the selected one reversed.
/// It draws what `Table` drew, without building a row of cells per bed every frame.
fn draw_table(buf: &mut Buffer, area: Rect, s: &CensusScreen, cells: &[Vec<Text<'static>>]) {
    let cols = visible_columns(area.width);
    let widths = cols
        .iter()
        .map(|&c| if c == 1 { Constraint::Min(COLUMNS[c].width) } else { Constraint::Length(COLUMNS[c].width) });
    let xs = Layout::horizontal(widths).flex(Flex::Start).spacing(1).split(Rect { height: 1, ..area });
    let [header, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    buf.set_style(header, theme::table_header());
    for (&c, x) in cols.iter().zip(xs.iter()) {
        Text::from(COLUMNS[c].title).render(Rect { y: header.y, ..*x }, buf);
    }
    let height = usize::from(body.height);
    let first = (s.selected + 1).saturating_sub(height);
    for ((y, pos), &i) in (body.y..).zip(first..).zip(s.order.iter().skip(first).take(height)) {
        let line = Rect { y, height: 1, ..body };
        buf.set_style(line, if s.rows[i].occupant.is_none() { theme::empty_bed() } else { theme::base() });
        for (&c, x) in cols.iter().zip(xs.iter()) {
            Widget::render(&cells[i][c], Rect { y, ..*x }, buf);
        }
        if pos == s.selected {
            buf.set_style(line, theme::selected());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_drop_by_priority() {
        let all: u16 = COLUMNS.iter().map(|c| c.width + 1).sum();
        assert_eq!(visible_columns(all).len(), COLUMNS.len());
        let narrow = visible_columns(80);
        assert!(narrow.iter().map(|&i| COLUMNS[i].width + 1).sum::<u16>() <= 80);
        for must in ["Bed", "Patient", "Last score", "Next due"] {
            assert!(narrow.iter().any(|&i| COLUMNS[i].title == must), "{must} dropped at 80");
        }
        assert!(!narrow.iter().any(|&i| COLUMNS[i].title == "Attending"));
    }
}
