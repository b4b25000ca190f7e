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

use crate::domain::census::{self, CensusRow, Due, Occupant, SortBy, WardBoard, protocol_abbrev};
use crate::domain::drafts::StayDrafts;
use crate::domain::rounds::ObsBoard;
use crate::domain::stay::PAWSS_HIGH_RISK;
use crate::domain::text::{fit, fit_list, inert};
use crate::domain::time::{age_years, day_of_stay, local_short, span};
use crate::domain::user::{Action, Role, can};
use crate::tui::keymap::{Binding, Key};
use crate::tui::screens::rounds;
use crate::tui::theme;
use unicode_width::UnicodeWidthStr;

/// Marks a bed whose patient has an unsigned draft of the signed-in nurse (the legend says so).
pub const DRAFT_MARK: &str = "✎";

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
    ClearFilter,
    Score,
    RiskScreen,
    NewNote,
    Assessment,
    Timeline,
    Trend,
    Prn,
    Mar,
    MarDue,
    Admit,
    Transfer,
    LevelOfCare,
    Observation,
    Discharge,
    SafetyFact,
    Handoff,
    Round,
    Schedule,
    Accounts,
    Audit,
    FindNotes,
    // Issue 17: vital signs, the call to the provider, emergencies.
    Vitals,
    ProviderCall,
    Emergency,
    Help,
    SignOut,
    Quit,
}

impl CensusAction {
    /// The permission an action needs, if any.
    fn needs(self) -> Option<Action> {
        match self {
            CensusAction::Score
            | CensusAction::Prn
            | CensusAction::Mar
            | CensusAction::MarDue
            | CensusAction::RiskScreen
            | CensusAction::Assessment => Some(Action::Assess),
            CensusAction::NewNote => Some(Action::WriteNote),
            CensusAction::Admit => Some(Action::Admit),
            CensusAction::Transfer => Some(Action::Transfer),
            CensusAction::LevelOfCare => Some(Action::ChangeLevelOfCare),
            CensusAction::Observation | CensusAction::Round => Some(Action::Assess),
            CensusAction::Discharge => Some(Action::Discharge),
            CensusAction::SafetyFact => Some(Action::Assess),
            CensusAction::Vitals | CensusAction::ProviderCall | CensusAction::Emergency => Some(Action::Assess),
            CensusAction::Accounts => Some(Action::ManageAccounts),
            CensusAction::Audit => Some(Action::ReadAudit),
            _ => None,
        }
    }

    pub fn allowed(self, role: Role) -> bool {
        self.needs().is_none_or(|a| can(role, a))
    }
}

#[rustfmt::skip]
pub static KEYS: &[Binding<CensusAction>] = &[
    Binding::help(&[Key::plain(KeyCode::Up), Key::ch('k')], CensusAction::Up,  "up",               "Previous / next bed (also k / j)"),
    Binding::help(&[Key::plain(KeyCode::Down), Key::ch('j')], CensusAction::Down, "down",          "Previous / next bed (also k / j)"),
    Binding::help(&[Key::plain(KeyCode::PageUp)],   CensusAction::PageUp,      "page up",          "Page up / down"),
    Binding::help(&[Key::plain(KeyCode::PageDown)], CensusAction::PageDown,    "page down",        "Page up / down"),
    Binding::help(&[Key::plain(KeyCode::Home), Key::ch('g')], CensusAction::Top, "top",            "First / last bed (also g / G)"),
    Binding::help(&[Key::plain(KeyCode::End), Key::ch('G')], CensusAction::Bottom, "bottom",       "First / last bed (also g / G)"),
    Binding::foot(&[Key::ch('s')],                  CensusAction::Sort,        "sort",             "Sort by bed, due time (most urgent first) or acuity"),
    Binding::foot(&[Key::ch('/')],                  CensusAction::Filter,      "filter",           "Filter by typed text (name, MRN, bed, substance...); Esc clears"),
    // Esc on the board clears an applied filter: the "/" line says so ("Esc clears"), and the
    // help shows one line for both, so the legend of the board's marks fits at 80x24.
    Binding::help(&[Key::plain(KeyCode::Esc)],      CensusAction::ClearFilter, "clear filter",     ""),
    Binding::foot(&[Key::plain(KeyCode::Enter)],    CensusAction::Score,       "score",            "Score withdrawal (protocol preselected), or r a risk screen"),
    Binding::help(&[Key::ch('r')],                  CensusAction::RiskScreen,  "risk screen",      "Score withdrawal (protocol preselected), or r a risk screen"),
    Binding::foot(&[Key::ch('n')],                  CensusAction::NewNote,     "note",             "Note (n) or admission assessment (i): start, resume, addendum"),
    Binding::help(&[Key::ch('i')],                  CensusAction::Assessment,  "intake",           "Note (n) or admission assessment (i): start, resume, addendum"),
    Binding::help(&[Key::ch('v')],                  CensusAction::Timeline,    "timeline",         "Timeline: notes, scores, meds, vitals, calls; read, search"),
    Binding::help(&[Key::ch('h')],                  CensusAction::Trend,       "trend",            "Trend chart and past assessments of the selected patient"),
    Binding::help(&[Key::ch('m')],                  CensusAction::Mar,         "MAR",              "Meds, PRNs, doses due · vitals, call the provider, emergency"),
    Binding::help(&[Key::ch('p')],                  CensusAction::Prn,         "PRN",              "Meds, PRNs, doses due · vitals, call the provider, emergency"),
    Binding::help(&[Key::ch('M')],                  CensusAction::MarDue,      "doses due",        "Meds, PRNs, doses due · vitals, call the provider, emergency"),
    Binding::help(&[Key::ch('V')],                  CensusAction::Vitals,      "vitals",           "Meds, PRNs, doses due · vitals, call the provider, emergency"),
    Binding::help(&[Key::ch('C')],                  CensusAction::ProviderCall, "call provider",   "Meds, PRNs, doses due · vitals, call the provider, emergency"),
    Binding::help(&[Key::ch('E')],                  CensusAction::Emergency,   "emergency",        "Meds, PRNs, doses due · vitals, call the provider, emergency"),
    Binding::help(&[Key::ch('R')],                  CensusAction::Round,       "round",            "Observation round (! acknowledges alerts), today's schedule"),
    Binding::help(&[Key::ch('S')],                  CensusAction::Schedule,    "schedule",         "Observation round (! acknowledges alerts), today's schedule"),
    Binding::foot(&[Key::ch('a')],                  CensusAction::Admit,       "admit",            "Admit a patient to the selected empty bed"),
    Binding::help(&[Key::ch('t')],                  CensusAction::Transfer,    "transfer",         "Change bed (t), level of care (l) or observation level (o)"),
    Binding::help(&[Key::ch('l')],                  CensusAction::LevelOfCare, "level",            "Change bed (t), level of care (l) or observation level (o)"),
    Binding::help(&[Key::ch('o')],                  CensusAction::Observation, "obs",              "Change bed (t), level of care (l) or observation level (o)"),
    Binding::help(&[Key::ch('d')],                  CensusAction::Discharge,   "discharge",        "Discharge (the patient leaves the board, never the record)"),
    Binding::help(&[Key::ch('c')],                  CensusAction::SafetyFact,  "change allergies", "Change allergies, precautions or code status, and say why"),
    Binding::help(&[Key::ch('H')],                  CensusAction::Handoff,     "handoff",          "Shift handoff (I-PASS), patient by patient"),
    Binding::help(&[Key::ch('U')],                  CensusAction::Accounts,    "accounts",         "Accounts: add, disable, reset passwords (admin)"),
    Binding::help(&[Key::ch('F')],                  CensusAction::FindNotes,   "find in notes",    "Find in notes: the ward's patients, or the whole record"),
    Binding::help(&[Key::ch('A')],                  CensusAction::Audit,       "audit",            "The audit trail: who read or wrote which record"),
    // Issue 17: one help line for the three (the nurse's help is one page at 80x24 but for them).
    Binding::foot(&[Key::ch('?')],                  CensusAction::Help,        "help",             "Show every key of this screen"),
    Binding::foot(&[Key::ch('L'), Key::ctrl('l')],  CensusAction::SignOut,     "lock",             "Lock the terminal (Ctrl-L anywhere); your work is kept"),
    Binding::foot(&[Key::ch('q')],                  CensusAction::Quit,        "quit",             "Quit wardterm"),
];

/// The census screen's own state: where the nurse is, how the board is sorted and filtered, and
/// what its cells read. The ward's data is not here: it is the shared [`WardBoard`], passed in.
#[derive(Clone, Debug, PartialEq)]
pub struct CensusScreen {
    /// Indices into the board's rows, sorted and filtered.
    pub order: Vec<usize>,
    pub selected: usize,
    pub sort: SortBy,
    pub filter: String,
    pub filtering: bool,
    /// What each cell of the board reads, derived from the board and the clock.
    cells: BoardCells,
}

/// The text of every cell of the board (every column of every row, in `rows` order) as of a clock
/// and time zone. Update derives it when the data or the clock change
/// ([`CensusScreen::refresh_cells`]); a frame only lays it out.
#[derive(Clone, Debug, Default, PartialEq)]
struct BoardCells {
    at: Option<(DateTime<Utc>, Tz)>,
    rows: Vec<Vec<Cell>>,
    /// What each column needs ([`column_needs`]).
    need: Vec<u16>,
}

impl CensusScreen {
    pub fn new(board: &WardBoard, now: DateTime<Utc>) -> CensusScreen {
        let mut s = CensusScreen {
            order: Vec::new(),
            selected: 0,
            sort: SortBy::Bed,
            filter: String::new(),
            filtering: false,
            cells: BoardCells::default(),
        };
        s.reorder(board, now);
        s
    }

    /// The board was reloaded (after a write or another terminal's change): keep the nurse's
    /// place. `before` is the board she was looking at; the cursor follows the patient (a
    /// transferred patient's new bed), or the bed if it is empty.
    pub fn board_changed(&mut self, before: &WardBoard, board: &WardBoard, now: DateTime<Utc>) {
        let keep = self.current(before).map(|r| (r.bed_id, r.occupant.as_ref().map(|o| o.stay_id)));
        self.cells.at = None;
        self.reorder(board, now);
        if let Some((bed, stay)) = keep {
            let same_stay = |r: &CensusRow| stay.is_some() && r.occupant.as_ref().map(|o| o.stay_id) == stay;
            let at = self.order.iter().position(|&i| same_stay(&board.rows[i]));
            if let Some(i) = at.or_else(|| self.order.iter().position(|&i| board.rows[i].bed_id == bed)) {
                self.selected = i;
            }
        }
    }

    /// Re-derive the order from sort and filter (also on the tick: due times move).
    pub fn reorder(&mut self, board: &WardBoard, now: DateTime<Utc>) {
        let keep = self.current(board).map(|r| r.bed_id);
        let mut sorted: Vec<CensusRow> = board.rows.clone();
        census::sort(&mut sorted, self.sort, now);
        self.order = sorted
            .iter()
            .filter(|r| census::matches(r, &self.filter))
            .filter_map(|r| board.rows.iter().position(|x| x.bed_id == r.bed_id))
            .collect();
        self.selected = keep
            .and_then(|bed| self.order.iter().position(|&i| board.rows[i].bed_id == bed))
            .unwrap_or(0)
            .min(self.order.len().saturating_sub(1));
    }

    /// Derive every cell's text for `now`, unless it already is (the board has not changed
    /// since, nor the clock).
    pub fn refresh_cells(&mut self, board: &WardBoard, now: DateTime<Utc>, tz: Tz) {
        if self.cells.at != Some((now, tz)) {
            let rows = derive_cells(board, now, tz);
            let need = column_needs(&rows);
            self.cells = BoardCells { at: Some((now, tz)), rows, need };
        }
    }

    /// The bed under the cursor.
    pub fn current<'b>(&self, board: &'b WardBoard) -> Option<&'b CensusRow> {
        self.order.get(self.selected).and_then(|&i| board.rows.get(i))
    }

    pub fn move_by(&mut self, delta: i64) {
        let n = self.order.len() as i64;
        if n == 0 {
            return;
        }
        self.selected = (self.selected as i64 + delta).clamp(0, n - 1) as usize;
    }
}

fn derive_cells(board: &WardBoard, now: DateTime<Utc>, tz: Tz) -> Vec<Vec<Cell>> {
    board
        .rows
        .iter()
        .map(|r| row_cells(r, now, tz, &board.obs, board.aftercare_of(r), board.drafts_of(r).is_some()))
        .collect()
}

/// How a cell's text is fitted to its column's width at draw time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FitKind {
    /// A name or label: cut with "…" when it must be.
    Cut,
    /// A comma-separated clinical list: what fits whole, then "+N" (never silently dropped).
    List,
    /// Never cut (a number, a score, a due time): the column is at least this wide, and the
    /// cell offers shorter forms that say the same.
    Whole,
}

/// A census column: title, least width, how important (0 = never dropped), how cells fit, and
/// whether it carries clinical facts (those get the width their text needs before a column of
/// identifiers or demographics is shown at all).
struct Column {
    title: &'static str,
    width: u16,
    priority: u8,
    fit: FitKind,
    clinical: bool,
}

const fn col(title: &'static str, width: u16, priority: u8, fit: FitKind, clinical: bool) -> Column {
    Column { title, width, priority, fit, clinical }
}

const COLUMNS: &[Column] = &[
    // The bed label (at most 8 characters, domain::ward) and, when the signed-in nurse has an
    // unsigned draft for its patient, " ✎": whole, never cut (issue 20, point 11).
    col("Bed", 4, 0, FitKind::Whole, false),
    col("Patient", 15, 0, FitKind::Cut, false),
    col("MRN", 9, 6, FitKind::Cut, false),
    col("Age", 4, 5, FitKind::Whole, false),
    // Day of stay and level of care are care facts the board promises (clinical for layout).
    col("Day", 3, 4, FitKind::Whole, true),
    col("Level", 6, 4, FitKind::Cut, true),
    col("Subst.", 12, 7, FitKind::List, false),
    // "CIWA P10": the PAWSS is a number and is never cut (issue 20, point 1).
    col("Prot.", 7, 1, FitKind::Whole, true),
    // "22* 32m ago" fits 11; a wider terminal shows the band too.
    col("Last score", 11, 0, FitKind::Whole, true),
    col("Due", 6, 0, FitKind::Whole, true),
    // The next scheduled dose with nothing recorded ("!03:00" overdue) and an open prompt: " N"
    // notify the provider, " F" an emergency's follow-up (REFERENCE.md §9, §10).
    col("Meds", 1, 1, FitKind::Whole, true),
    // The risk screens (REFERENCE.md §3a): C-SSRS triage then Morse band, "H!m" = suicide risk
    // high and overdue, fall risk moderate; the detail panel says each in words.
    col("S/F", 3, 1, FitKind::Whole, true),
    col("Obs", 7, 1, FitKind::Cut, true),
    col("Precautions", 12, 3, FitKind::List, true),
    col("Allergies", 13, 2, FitKind::List, true),
    col("Attending", 12, 8, FitKind::Cut, false),
    // I-PASS illness severity (S/W/U) from the handoff into this shift; "?" = not accepted.
    col("I", 2, 1, FitKind::Whole, true),
    // Aftercare readiness "3/6" = 3 of 6 done; wide terminals only, the detail lines always show it.
    col("AC", 4, 6, FitKind::Whole, false),
];

/// One line of a cell: its forms, longest first (all say the same thing), and its style.
#[derive(Clone, Debug, PartialEq)]
struct CellLine {
    forms: Vec<String>,
    style: Style,
}

impl CellLine {
    fn new(text: impl Into<String>, style: Style) -> Self {
        CellLine { forms: vec![inert(&text.into())], style }
    }

    fn forms(forms: Vec<String>, style: Style) -> Self {
        CellLine { forms: forms.iter().map(|f| inert(f)).collect(), style }
    }

    /// The text for a column `w` wide.
    fn fitted(&self, w: usize, kind: FitKind) -> String {
        let first = self.forms.first().map_or("", String::as_str);
        match kind {
            FitKind::List => fit_list(first, w),
            FitKind::Cut => fit(first, w),
            FitKind::Whole => self
                .forms
                .iter()
                .find(|f| f.width() <= w)
                .cloned()
                .unwrap_or_else(|| fit(self.forms.last().map_or("", String::as_str), w)),
        }
    }
}

/// A cell: one line, or one per scale in the score and due columns.
type Cell = Vec<CellLine>;

/// Which columns show in `width` and how wide each is. Columns are taken the most important
/// first (ties: leftmost first), each at its least width, while they fit; a column that is not
/// clinical is taken only if every clinical column already taken can still have the width its
/// text needs (no MRN while an allergy is counted instead of shown). The room left goes to the
/// columns whose text is cut, the most important first, up to what their text needs: a column
/// never takes more than it needs (no 65 blank characters of Patient while an allergy is hidden).
fn layout_columns(width: u16, need: &[u16]) -> Vec<(usize, u16)> {
    let least = |c: usize| match COLUMNS[c].fit {
        // A Whole column is as wide as its shortest form needs.
        FitKind::Whole => COLUMNS[c].width.max(need.get(COLUMNS.len() + c).copied().unwrap_or(0)),
        _ => COLUMNS[c].width,
    };
    // The most a column asks for: a long band name ("not in a withdrawal band") or name has
    // shorter forms and must not take the room a hidden allergy needs.
    let cap = |c: usize| match COLUMNS[c].title {
        "Last score" => 22,
        "Patient" => 24,
        _ => u16::MAX,
    };
    let want =
        |c: usize| least(c).max(need.get(c).copied().unwrap_or(0).min(cap(c))).max(COLUMNS[c].title.len() as u16);
    let mut by_priority: Vec<usize> = (0..COLUMNS.len()).collect();
    by_priority.sort_by_key(|&c| (COLUMNS[c].priority, c));
    let mut taken: Vec<usize> = Vec::new();
    for &c in &by_priority {
        let with: Vec<usize> = taken.iter().copied().chain([c]).collect();
        let gaps = with.len() as u16;
        let at_least: u16 = with.iter().map(|&i| least(i)).sum::<u16>() + gaps;
        let reserved: u16 =
            with.iter().map(|&i| if COLUMNS[i].clinical { want(i) } else { least(i) }).sum::<u16>() + gaps;
        let fits = at_least <= width && (COLUMNS[c].clinical || reserved <= width);
        if COLUMNS[c].priority == 0 || fits {
            taken.push(c);
        }
    }
    taken.sort_unstable();
    let mut widths: Vec<(usize, u16)> = taken.iter().map(|&c| (c, least(c))).collect();
    let used: u16 = widths.iter().map(|&(_, w)| w + 1).sum();
    let mut room = width.saturating_sub(used);
    let mut order: Vec<usize> = (0..widths.len()).collect();
    order.sort_by_key(|&k| (COLUMNS[widths[k].0].priority, k));
    // One column at a time, a column each turn, the most important first: the room is shared,
    // so one long list does not take it all while the next shows "+N".
    while room > 0 {
        let mut grew = false;
        for &k in &order {
            let (c, w) = widths[k];
            if room > 0 && w < want(c) {
                widths[k].1 += 1;
                room -= 1;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    widths
}

/// One scale's line on the board (or the protocol's owed baseline).
struct ScheduleEntry<'a> {
    series: Option<&'a census::Series>,
    due: Option<DateTime<Utc>>,
}

/// The board's schedule of a patient: one entry per scale, the earliest due first, and the
/// protocol's baseline while it has no score.
fn schedule(o: &Occupant) -> Vec<ScheduleEntry<'_>> {
    let mut out: Vec<ScheduleEntry<'_>> =
        o.series.iter().map(|s| ScheduleEntry { series: Some(s), due: s.due_at() }).collect();
    if o.baseline_owed() {
        out.push(ScheduleEntry { series: None, due: Some(o.admitted_at) });
    }
    out.sort_by_key(|e| (e.due.is_none(), e.due));
    out
}

/// "18 severe* 2h05 ago" (with the scale first when the patient has more than one): the total,
/// the band in words, `*` for a severe band, and how long ago. Shorter forms drop the band (the
/// detail panel has it in words), then "ago"; the number is never cut.
fn last_score_line(o: &Occupant, e: &ScheduleEntry<'_>, many: bool, now: DateTime<Utc>) -> CellLine {
    let Some(s) = e.series else {
        let scale = if many { format!("{} ", protocol_abbrev(o.protocol.code())) } else { String::new() };
        return CellLine::forms(vec![format!("{scale}none yet"), format!("{scale}none")], theme::hint());
    };
    let l = &s.last;
    let scale = if many { format!("{} ", protocol_abbrev(&l.scale)) } else { String::new() };
    let ago = span(now - l.taken_at);
    match (l.total, &l.unable_reason) {
        (Some(t), _) => {
            let band = l.band.as_deref().unwrap_or("");
            let mark = if l.severe { "*" } else { "" };
            let style = if l.severe { theme::severe() } else { theme::base() };
            CellLine::forms(
                // "ago" goes last of all, so every cell that says how long says which way.
                vec![
                    format!("{scale}{t} {band}{mark} {ago} ago"),
                    format!("{scale}{t}{mark} {ago} ago"),
                    format!("{scale}{t}{mark} {ago}"),
                    format!("{scale}{t}{mark}"),
                ],
                style,
            )
        }
        (None, reason) => {
            let reason = reason.as_deref().unwrap_or("");
            CellLine::forms(
                vec![
                    format!("{scale}UTA {reason} {ago} ago"),
                    format!("{scale}UTA {ago} ago"),
                    format!("{scale}UTA {ago}"),
                ],
                theme::unable(),
            )
        }
    }
}

/// "! 25m late", "in 1h10", "at 04:10", "—": overdue says so in text as well as colour.
fn due_line(o: &Occupant, e: &ScheduleEntry<'_>, many: bool, now: DateTime<Utc>, tz: Tz) -> CellLine {
    let scale = match (many, e.series) {
        (false, _) => String::new(),
        (true, Some(s)) => format!("{} ", protocol_abbrev(&s.last.scale)),
        (true, None) => format!("{} ", protocol_abbrev(o.protocol.code())),
    };
    match e.due {
        None => CellLine::new(format!("{scale}—"), theme::hint()),
        Some(at) if at <= now => {
            let d = span(now - at);
            CellLine::forms(vec![format!("{scale}! {d} late"), format!("{scale}! {d}")], theme::overdue())
        }
        Some(at) if at - now <= Duration::minutes(DUE_SOON) => {
            CellLine::forms(vec![format!("{scale}in {}", span(at - now))], theme::due_soon())
        }
        Some(at) => {
            let clock = local_short(at, now, tz);
            CellLine::forms(vec![format!("{scale}at {clock}"), format!("{scale}{clock}")], theme::base())
        }
    }
}

/// The C-SSRS triage's mark: n none, l low, m moderate, H high (capital: the one that acts),
/// ? not screened.
fn cssrs_mark(o: &Occupant) -> (&'static str, &'static str) {
    match o.risk.cssrs.as_ref().map(|m| m.result.as_str()) {
        None => ("?", "not done"),
        Some("high") => ("H", "high"),
        Some("moderate") => ("m", "mod"),
        Some("low") => ("l", "low"),
        Some(_) => ("n", "none"),
    }
}

/// The Morse band's mark: the band label's first letter, capital for the unit's top band (the
/// bands are unit configuration, REFERENCE.md §3a), ? not screened.
// TODO(clinical): two configured band labels with the same first letter share a mark on the
// board; the detail panel names the band in full.
fn morse_mark(o: &Occupant) -> (String, String) {
    match &o.risk.morse {
        None => ("?".into(), "not done".into()),
        Some(m) => {
            let first = m.result.chars().next().unwrap_or('?');
            let top = m.result == "high";
            let letter = if top { first.to_uppercase().to_string() } else { first.to_lowercase().to_string() };
            let short: String =
                if m.result.chars().count() > 4 { m.result.chars().take(3).collect() } else { m.result.clone() };
            (letter, short)
        }
    }
}

/// The S/F cell: "H!m" (suicide risk high, its screen overdue; fall risk moderate), "n l" (no
/// suicide risk identified, fall risk low), wider
/// "S:high! F:mod". Overdue says "!" as well as the colour; high risk is a capital and red.
fn risk_line(o: &Occupant, now: DateTime<Utc>) -> CellLine {
    let late = |d| if matches!(census::Risk::due(d, now), Due::Overdue(_)) { "!" } else { "" };
    let (s, s_word) = cssrs_mark(o);
    let (f, f_word) = morse_mark(o);
    let (sl, fl) = (late(o.risk.cssrs_due), late(o.risk.morse_due));
    let high = o.risk.suicide_high_risk() || o.risk.morse.as_ref().is_some_and(|m| m.result == "high");
    let style = if o.risk.suicide_high_risk() {
        theme::severe()
    } else if o.risk.overdue(now) {
        theme::overdue()
    } else if high {
        theme::severe()
    } else {
        theme::base()
    };
    let gap = if sl.is_empty() { " " } else { sl };
    CellLine::forms(vec![format!("S:{s_word}{sl} F:{f_word}{fl}"), format!("{s}{gap}{f}{fl}")], style)
}

/// Every column's cell for one row.
fn row_cells(
    row: &CensusRow,
    now: DateTime<Utc>,
    tz: Tz,
    obs: &ObsBoard,
    ac: Option<(u8, u8)>,
    my_draft: bool,
) -> Vec<Cell> {
    let one = |t: String| vec![CellLine::new(t, theme::base())];
    let Some(o) = &row.occupant else {
        return (0..COLUMNS.len())
            .map(|c| match c {
                0 => one(row.bed.clone()),
                1 => vec![CellLine::new("— empty —", theme::empty_bed())],
                _ => Vec::new(),
            })
            .collect();
    };
    let entries = schedule(o);
    let many = entries.len() > 1;
    (0..COLUMNS.len())
        .map(|c| match c {
            0 if my_draft => vec![CellLine::forms(
                vec![format!("{} {DRAFT_MARK}", row.bed), format!("{}{DRAFT_MARK}", row.bed)],
                theme::base(),
            )],
            0 => one(row.bed.clone()),
            1 => one(o.name.clone()),
            2 => one(o.mrn.clone()),
            3 => one(format!("{}{}", age_years(o.birth_date, now, tz), o.sex)),
            4 => one(day_of_stay(o.admitted_at, now, tz).to_string()),
            5 => one(o.level_of_care.clone()),
            6 => one(o.substances.clone()),
            7 => match o.pawss {
                // PAWSS >= 4: high risk of complicated withdrawal (REFERENCE.md section 3).
                Some(p) if p >= PAWSS_HIGH_RISK => {
                    vec![CellLine::new(format!("{} P{p}", protocol_abbrev(o.protocol.code())), theme::severe())]
                }
                _ => one(protocol_abbrev(o.protocol.code()).to_string()),
            },
            8 if entries.is_empty() => vec![CellLine::new("—", theme::hint())],
            8 => entries.iter().map(|e| last_score_line(o, e, many, now)).collect(),
            9 if entries.is_empty() => vec![CellLine::new("—", theme::hint())],
            9 => entries.iter().map(|e| due_line(o, e, many, now, tz)).collect(),
            10 => {
                let style = if o.care.dose_overdue(now) || o.care.notify_open() {
                    theme::overdue()
                } else if o.care.prompts.is_empty() {
                    theme::base()
                } else {
                    theme::due_soon()
                };
                vec![CellLine::forms(o.care.cell(now, tz), style)]
            }
            11 => vec![risk_line(o, now)],
            12 => {
                let (t, s) = rounds::obs_cell(&o.observation, obs.stay(o.stay_id), now);
                vec![CellLine::new(t, s)]
            }
            13 => one(o.precautions.clone()),
            14 => one(o.allergies.clone()),
            15 => one(o.attending.clone()),
            17 => one(ac.map_or(String::new(), |(d, t)| format!("{d}/{t}"))),
            _ => match &o.handoff {
                None => Vec::new(),
                Some(h) => {
                    let letter = h.severity.map_or('·', |s| s.letter());
                    let mark = if h.accepted { "" } else { "?" };
                    let style = if h.severity == Some(crate::domain::handoff::Severity::Unstable) || !h.accepted {
                        theme::severe()
                    } else {
                        theme::base()
                    };
                    vec![CellLine::new(format!("{letter}{mark}"), style)]
                }
            },
        })
        .collect()
}

/// What each column's text needs: `[natural widths..., shortest-form widths...]` over the rows.
fn column_needs(rows: &[Vec<Cell>]) -> Vec<u16> {
    let mut need = vec![0u16; COLUMNS.len() * 2];
    for row in rows {
        for (c, cell) in row.iter().enumerate() {
            for line in cell {
                let longest = line.forms.first().map_or(0, |f| f.width());
                let shortest = line.forms.last().map_or(0, |f| f.width());
                need[c] = need[c].max(u16::try_from(longest).unwrap_or(u16::MAX));
                need[COLUMNS.len() + c] = need[COLUMNS.len() + c].max(u16::try_from(shortest).unwrap_or(u16::MAX));
            }
        }
    }
    need
}

/// Three lines about the selected bed, with every clinical value's when and who.
fn detail_lines(
    row: Option<&CensusRow>,
    now: DateTime<Utc>,
    tz: Tz,
    can_admit: bool,
    obs: &ObsBoard,
    ac: Option<(u8, u8)>,
    drafts: Option<&StayDrafts>,
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
            o.code_status.code(),
            inert(&o.attending)
        )),
    ])];
    let precautions = if o.precautions.is_empty() { "none".to_string() } else { inert(&o.precautions) };
    lines.push(Line::from(format!(
        "Allergies: {} · Precautions: {} · {}{}{}",
        inert(&o.allergies),
        precautions,
        inert(&o.substances),
        // Compact on the board (the legend says "AC 3/6 = 3 of 6 done"); in words elsewhere.
        ac.map_or(String::new(), |(d, t)| format!(" · AC {d}/{t}")),
        // On this line, not one of its own, so the table keeps its rows at 80x24.
        drafts.map_or(String::new(), |d| match d.total() {
            1 => format!(" · {DRAFT_MARK} your unsigned draft: {}", d.describe()),
            n => format!(" · {DRAFT_MARK} your {n} unsigned drafts: {}", d.describe()),
        })
    )));
    lines.push(risk_detail(o, now, tz));
    lines.push(care_detail(o, now, tz));
    let schedule = o.schedule_lines(now, tz);
    if schedule.is_empty() {
        lines.push(Line::from("No withdrawal protocol."));
    }
    for l in schedule {
        lines.push(Line::from(inert(&l)));
    }
    lines.push(
        rounds::detail_line(o.stay_id, &o.observation, obs, now, tz)
            .unwrap_or_else(|| Line::from(format!("Obs {}", inert(&o.observation)))),
    );
    lines
}

/// The next dose, the open prompts and the latest vital signs in words, each with when (and the
/// vitals by whom). Always one line (each part says when there is none), so moving between beds
/// never changes the panel's height and the table does not jump.
fn care_detail(o: &Occupant, now: DateTime<Utc>, tz: Tz) -> Line<'static> {
    let c = &o.care;
    let mut spans = Vec::new();
    let sep = |spans: &mut Vec<Span<'static>>| {
        if !spans.is_empty() {
            spans.push(Span::raw(" · "));
        }
    };
    if let Some(d) = &c.next_dose {
        let overdue = d.at <= now;
        spans.push(Span::styled(
            format!(
                "{}{} {}",
                if overdue { "! Dose OVERDUE since " } else { "Next dose " },
                local_short(d.at, now, tz),
                inert(&d.what)
            ),
            if overdue { theme::overdue() } else { theme::base() },
        ));
    } else {
        spans.push(Span::styled("No scheduled dose due", theme::hint()));
    }
    for p in &c.prompts {
        sep(&mut spans);
        let words = if p.notify { "NOTIFY PROVIDER" } else { "Follow-up" };
        spans.push(Span::styled(
            format!("{words}: {} (since {}; C)", inert(&p.why), local_short(p.raised_at, now, tz)),
            if p.notify { theme::overdue() } else { theme::due_soon() },
        ));
    }
    if let Some(v) = &c.vitals {
        sep(&mut spans);
        let alert = v.alert.as_deref().map(|a| format!(" ALERT {}", inert(a))).unwrap_or_default();
        spans.push(Span::styled(
            format!("Vitals {} by {}: {}{alert}", local_short(v.at, now, tz), inert(&v.by), v.news2),
            if v.alert.is_some() { theme::severe() } else { theme::base() },
        ));
    } else {
        sep(&mut spans);
        spans.push(Span::styled("no vital signs taken on their own", theme::hint()));
    }
    Line::from(spans)
}

/// The risk screens and the admission assessment in words, each with when and by whom; a high
/// risk in the severe style, an overdue screen in the overdue style, both also said in text.
fn risk_detail(o: &Occupant, now: DateTime<Utc>, tz: Tz) -> Line<'static> {
    let cssrs_style = if o.risk.suicide_high_risk() {
        theme::severe()
    } else if matches!(census::Risk::due(o.risk.cssrs_due, now), Due::Overdue(_)) {
        theme::overdue()
    } else {
        theme::base()
    };
    let morse_style = if matches!(census::Risk::due(o.risk.morse_due, now), Due::Overdue(_)) {
        theme::overdue()
    } else if o.risk.morse.as_ref().is_some_and(|m| m.result == "high") {
        theme::severe()
    } else {
        theme::base()
    };
    let cssrs = o.risk.cssrs_text(now, tz, true);
    let mut spans = vec![
        Span::styled(inert(&cssrs), cssrs_style),
        Span::raw(" · "),
        Span::styled(inert(&o.risk.morse_text(now, tz)), morse_style),
    ];
    if let Some(p) = o.pawss_text() {
        let high = o.pawss.is_some_and(|p| p >= PAWSS_HIGH_RISK);
        spans.push(Span::raw(" · "));
        spans.push(Span::styled(p, if high { theme::severe() } else { theme::base() }));
    }
    spans.push(Span::raw(format!(" · Assessment {}", inert(&o.risk.admission.text()))));
    Line::from(spans)
}

#[allow(clippy::too_many_arguments)] // the screen, the shared board, the clock, the role
pub fn draw(
    f: &mut Frame<'_>,
    area: Rect,
    s: &CensusScreen,
    board: &WardBoard,
    now: DateTime<Utc>,
    tz: Tz,
    can_admit: bool,
) {
    let here = s.current(board);
    let ac = here.and_then(|r| board.aftercare_of(r));
    let drafts = here.and_then(|r| board.drafts_of(r));
    let lines = detail_lines(here, now, tz, can_admit, &board.obs, ac, drafts);
    // The detail panel is as tall as its wrapped lines, so its last line (the observation
    // status) is never lost; the table keeps at least three lines.
    let wide = usize::from(area.width.max(1));
    let wrapped: usize = lines.iter().map(|l| l.width().max(1).div_ceil(wide)).sum();
    let detail_h = u16::try_from(wrapped).unwrap_or(u16::MAX).min(area.height.saturating_sub(6)).max(2);
    let [status, banner, table_area, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(rounds::banner_height(&board.obs)),
        Constraint::Min(3),
        Constraint::Length(detail_h),
    ])
    .areas(area);
    let occupied = board.rows.iter().filter(|r| r.occupant.is_some()).count();
    let overdue =
        board.rows.iter().filter_map(|r| r.occupant.as_ref()).filter(|o| matches!(o.due(now), Due::Overdue(_))).count();
    let mut spans =
        vec![Span::raw(format!("{occupied}/{} beds occupied · sorted by {}", board.rows.len(), s.sort.label()))];
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
    spans.extend(rounds::status_spans(&board.obs, now, tz));
    f.render_widget(Paragraph::new(Line::from(spans)), status);
    rounds::draw_banner(f, banner, &board.obs, now, tz);

    // Derived in update; derived here only if a caller drew without updating.
    let fresh;
    let (cells, need) = if s.cells.at == Some((now, tz)) {
        (&s.cells.rows, &s.cells.need)
    } else {
        let rows = derive_cells(board, now, tz);
        let need = column_needs(&rows);
        fresh = (rows, need);
        (&fresh.0, &fresh.1)
    };
    draw_table(f.buffer_mut(), table_area, s, board, cells, need);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), detail);
}

/// How many screen lines a bed takes: one per scale in its score and due cells.
fn row_height(cells: &[Cell]) -> usize {
    cells.iter().map(Vec::len).max().unwrap_or(1).max(1)
}

/// The board as a table, drawn cell by cell from the derived texts: the header, then the beds that
/// fit with the selected one in view (scrolled as little as needed), the selected one reversed.
/// A bed scored on two scales takes two lines. It draws what `Table` drew, without building a
/// row of cells per bed every frame.
fn draw_table(buf: &mut Buffer, area: Rect, s: &CensusScreen, board: &WardBoard, cells: &[Vec<Cell>], need: &[u16]) {
    let cols = layout_columns(area.width, need);
    let widths = cols.iter().map(|&(_, w)| Constraint::Length(w));
    let xs = Layout::horizontal(widths).flex(Flex::Start).spacing(1).split(Rect { height: 1, ..area });
    let [header, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    buf.set_style(header, theme::table_header());
    for (&(c, _), x) in cols.iter().zip(xs.iter()) {
        Text::from(COLUMNS[c].title).render(Rect { y: header.y, ..*x }, buf);
    }
    let height = usize::from(body.height);
    // The first bed drawn: as late as needed for the selected bed to fit whole.
    let heights: Vec<usize> = s.order.iter().map(|&i| row_height(&cells[i])).collect();
    let mut first = s.selected.min(heights.len().saturating_sub(1));
    let mut used = heights.get(first).copied().unwrap_or(0);
    while first > 0 && used + heights[first - 1] <= height {
        first -= 1;
        used += heights[first];
    }
    // Scroll as little as needed: start at the top when the selected bed fits from there.
    let from_top: usize = heights.iter().take(s.selected + 1).sum();
    if from_top <= height {
        first = 0;
    }
    let mut y = body.y;
    for (pos, &i) in s.order.iter().enumerate().skip(first) {
        let h = heights[pos];
        if usize::from(y - body.y) + h > height {
            break;
        }
        let block = Rect { y, height: h as u16, ..body };
        buf.set_style(block, if board.rows[i].occupant.is_none() { theme::empty_bed() } else { theme::base() });
        for (&(c, w), x) in cols.iter().zip(xs.iter()) {
            for (dy, line) in cells[i][c].iter().enumerate() {
                let text = line.fitted(usize::from(w), COLUMNS[c].fit);
                Span::styled(text, line.style).render(Rect { y: y + dy as u16, height: 1, ..*x }, buf);
            }
        }
        if pos == s.selected {
            buf.set_style(block, theme::selected());
        }
        y += h as u16;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_drop_by_priority_and_share_the_room_by_need() {
        let none = vec![0u16; COLUMNS.len() * 2];
        let all: u16 = COLUMNS.iter().map(|c| c.width.max(c.title.len() as u16) + 1).sum();
        assert_eq!(layout_columns(all, &none).len(), COLUMNS.len());
        let narrow = layout_columns(80, &none);
        assert!(narrow.iter().map(|&(_, w)| w + 1).sum::<u16>() <= 80);
        for must in ["Bed", "Patient", "Last score", "Due"] {
            assert!(narrow.iter().any(|&(i, _)| COLUMNS[i].title == must), "{must} dropped at 80");
        }
        assert!(!narrow.iter().any(|&(i, _)| COLUMNS[i].title == "Attending"));
        // At 200 columns the allergies get what they need before the patient's name grows past it.
        let mut need = none.clone();
        need[1] = 18; // longest name
        need[14] = 40; // longest allergy list
        let wide = layout_columns(200, &need);
        let width_of = |t: &str| wide.iter().find(|&&(i, _)| COLUMNS[i].title == t).map(|&(_, w)| w);
        assert_eq!(width_of("Allergies"), Some(40));
        assert_eq!(width_of("Patient"), Some(18));
    }
}
