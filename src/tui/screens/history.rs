//! A stay's withdrawal trend: totals over time with PRN doses marked, and a table of past
//! assessments with their items, paged from the database (never the whole history at once).
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph};

use crate::domain::census::CensusRow;
use crate::domain::census::protocol_abbrev;
use crate::domain::note::LateEntryRule;
use crate::domain::text::inert;
use crate::domain::time::local;
use crate::domain::vitals::TempUnit;
use crate::store::Store;
use crate::store::assessments::{GivenPrn, PastAssessment, TrendPoint};
use crate::tui::app::Screen;
use crate::tui::component::{Cmd, Component, Ctx, View, Write};
use crate::tui::keymap::{Binding, Hints, Key, hints, lookup};
use crate::tui::screens::timeline::head_lines;
use crate::tui::theme;

/// Rows of past assessments per page.
pub const PAGE: usize = 8;
/// Points on the chart: the newest this many assessments.
pub const TREND_POINTS: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryAction {
    Older,
    Newer,
    Back,
    Help,
}

#[rustfmt::skip]
pub static KEYS: &[Binding<HistoryAction>] = &[
    Binding::foot(&[Key::plain(KeyCode::PageDown), Key::ch('n')], HistoryAction::Older, "older", "Older assessments"),
    Binding::foot(&[Key::plain(KeyCode::PageUp), Key::ch('p')],   HistoryAction::Newer, "newer", "Newer assessments"),
    Binding::foot(&[Key::ch('?')],                                HistoryAction::Help,  "help",  "Show every key of this screen"),
    Binding::foot(&[Key::plain(KeyCode::Esc), Key::ch('q')],      HistoryAction::Back,  "back",  "Back"),
];

#[derive(Clone, Debug, PartialEq)]
pub struct HistoryScreen {
    pub stay_id: i64,
    pub title: String,
    pub max: u16,
    pub trend: Vec<TrendPoint>,
    pub prns: Vec<GivenPrn>,
    pub page: Vec<PastAssessment>,
    /// Keyset cursors of the pages before this one (to page back).
    pub cursors: Vec<Option<(DateTime<Utc>, i64)>>,
    /// The first entry of the page on screen: a page holds more than a small terminal shows,
    /// and PgDn shows the rest of it before loading an older one, so none is skipped unseen.
    pub first: usize,
    /// How many entries the last frame fitted whole (the drawing tells the keys).
    pub shown: std::cell::Cell<usize>,
    pub temp_unit: TempUnit,
}

impl HistoryScreen {
    /// Where the next (older) page starts.
    pub fn older_cursor(&self) -> Option<(DateTime<Utc>, i64)> {
        self.page.last().map(|a| (a.taken_at, a.id))
    }

    /// Open the trend of a board row's stay (from the census or the scoring screen): the screen,
    /// and the audit of the read; or why it could not be read.
    pub fn open(store: &Store, row: &CensusRow, temp_unit: TempUnit) -> Cmd {
        let Some(o) = &row.occupant else { return Cmd::error(format!("Bed {} is empty.", row.bed)) };
        let scale = o.protocol.scale_to_score();
        let loaded = (|| -> Result<HistoryScreen, crate::store::StoreError> {
            Ok(HistoryScreen {
                stay_id: o.stay_id,
                title: format!("Bed {} · {} · {} trend", row.bed, o.name, scale.name),
                max: scale.max(),
                trend: store.trend(o.stay_id, TREND_POINTS)?,
                prns: store.prns(o.stay_id, TREND_POINTS)?,
                page: store.assessments_page(o.stay_id, None, PAGE)?,
                cursors: Vec::new(),
                first: 0,
                shown: std::cell::Cell::new(PAGE),
                temp_unit,
            })
        })();
        match loaded {
            Ok(h) => Cmd::Many(vec![
                Cmd::Write(Write::AuditRead {
                    patient_ids: vec![o.patient_id],
                    what: "trend and past assessments".into(),
                }),
                Cmd::Open(Screen::History(Box::new(h))),
            ]),
            Err(e) => Cmd::error(format!("Could not load the history: {e}")),
        }
    }
}

impl Component for HistoryScreen {
    fn title(&self) -> String {
        "Trend".into()
    }

    fn hints(&self, _view: &View<'_>) -> (Hints, Hints) {
        hints(&[KEYS], |_| true)
    }

    fn on_key(&mut self, k: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        match lookup(KEYS, k, |_| true) {
            Some(HistoryAction::Back) => Cmd::Back,
            Some(HistoryAction::Help) => Cmd::Help,
            Some(HistoryAction::Older) => {
                // The rest of this page first.
                let step = self.shown.get().max(1);
                if self.first + step < self.page.len() {
                    self.first += step;
                    return Cmd::None;
                }
                if self.page.len() < PAGE {
                    return Cmd::tell("No older assessments.");
                }
                match ctx.store.assessments_page(self.stay_id, self.older_cursor(), PAGE) {
                    Ok(page) if !page.is_empty() => {
                        let here = self.page.first().map(|a| (a.taken_at, a.id + 1));
                        self.cursors.push(here);
                        self.page = page;
                        self.first = 0;
                        Cmd::None
                    }
                    Ok(_) => Cmd::tell("No older assessments."),
                    Err(e) => Cmd::error(e.to_string()),
                }
            }
            Some(HistoryAction::Newer) => {
                let step = self.shown.get().max(1);
                if self.first > 0 {
                    self.first = self.first.saturating_sub(step);
                    return Cmd::None;
                }
                let Some(cursor) = self.cursors.pop() else {
                    return Cmd::tell("This is the newest page.");
                };
                match ctx.store.assessments_page(self.stay_id, cursor, PAGE) {
                    Ok(page) => {
                        // The newer page from its end: the entries just before the ones left.
                        self.first = page.len().saturating_sub(step);
                        self.page = page;
                        Cmd::None
                    }
                    Err(e) => Cmd::error(e.to_string()),
                }
            }
            None => Cmd::None,
        }
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        draw(f, area, self, view.now, view.late_entry, view.tz);
    }
}

pub fn draw(f: &mut Frame<'_>, area: Rect, s: &HistoryScreen, now: DateTime<Utc>, rule: LateEntryRule, tz: Tz) {
    let [title, chart, table] =
        Layout::vertical([Constraint::Length(1), Constraint::Percentage(45), Constraint::Min(4)]).areas(area);
    f.render_widget(Paragraph::new(Span::styled(inert(&s.title), theme::label())), title);
    draw_chart(f, chart, s, now);
    draw_table(f, table, s, rule, tz);
}

fn hours_before(t: DateTime<Utc>, now: DateTime<Utc>) -> f64 {
    -((now - t).num_minutes() as f64) / 60.0
}

/// One colour per scale line, in the order the scales first appear.
const SCALE_COLOURS: [Color; 3] = [Color::Cyan, Color::Magenta, Color::Green];

fn draw_chart(f: &mut Frame<'_>, area: Rect, s: &HistoryScreen, now: DateTime<Utc>) {
    // One line per scale: a COWS score is never joined to a CIWA-Ar line (REFERENCE.md §1).
    let mut scales: Vec<&str> = Vec::new();
    for p in &s.trend {
        if !scales.contains(&p.scale.as_str()) {
            scales.push(&p.scale);
        }
    }
    let lines: Vec<(String, Vec<(f64, f64)>)> = scales
        .iter()
        .map(|key| {
            let name = crate::domain::scales::by_key(key).map_or((*key).to_string(), |sc| sc.name.to_string());
            let pts = s
                .trend
                .iter()
                .filter(|p| p.scale == *key)
                .filter_map(|p| p.total.map(|v| (hours_before(p.at, now), f64::from(v))))
                .collect();
            (name, pts)
        })
        .collect();
    let prn: Vec<(f64, f64)> =
        s.prns.iter().map(|p| (hours_before(p.given_at, now), f64::from(p.prompted_by_total.unwrap_or(0)))).collect();
    let earliest = lines.iter().filter_map(|(_, p)| p.first().map(|x| x.0)).fold(-1.0f64, f64::min);
    let x_min = if lines.iter().all(|(_, p)| p.is_empty()) { -24.0 } else { earliest.min(-1.0) }.floor();
    let top = lines.iter().flat_map(|(_, p)| p.iter().map(|x| x.1 as u16)).max().unwrap_or(10).max(10);
    let scale_max =
        scales.iter().filter_map(|k| crate::domain::scales::by_key(k)).map(|sc| sc.max()).max().unwrap_or(s.max);
    let y_max = f64::from(top.min(scale_max.max(s.max)));
    let mut datasets: Vec<Dataset<'_>> = lines
        .iter()
        .zip(SCALE_COLOURS.iter().cycle())
        .map(|((name, pts), colour)| {
            Dataset::default()
                .name(name.clone())
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(Style::default().fg(*colour))
                .data(pts)
        })
        .collect();
    datasets.push(
        Dataset::default()
            .name("PRN ◆")
            .marker(Marker::Block)
            .graph_type(GraphType::Scatter)
            .style(Style::default().fg(Color::Yellow))
            .data(&prn),
    );
    let title = if lines.len() > 1 {
        " Totals over the stay, one line per scale (hours before now); PRN doses in yellow "
    } else {
        " Totals over the stay (hours before now); PRN doses in yellow "
    };
    let chart = Chart::new(datasets)
        .block(Block::default().borders(Borders::ALL).title(title))
        .x_axis(Axis::default().bounds([x_min, 0.0]).labels(vec![Span::raw(format!("{x_min:.0}h")), Span::raw("now")]))
        .y_axis(Axis::default().bounds([0.0, y_max]).labels(vec![Span::raw("0"), Span::raw(format!("{y_max:.0}"))]))
        // The legend names each scale's line whenever there is more than one.
        .hidden_legend_constraints((Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)));
    f.render_widget(chart, area);
}

fn draw_table(f: &mut Frame<'_>, area: Rect, s: &HistoryScreen, rule: LateEntryRule, tz: Tz) {
    let mut lines = vec![Line::from(Span::styled(
        "Taken            Scale Total        By / vitals · items",
        theme::table_header(),
    ))];
    if s.page.is_empty() {
        lines.push(Line::from("No assessments on this page."));
    }
    // Whole entries only, from `first`, as many as the area holds (the border and the header
    // take two lines); the keys page by what was shown.
    let height = usize::from(area.height).saturating_sub(2);
    let mut shown = 0;
    for a in s.page.iter().skip(s.first) {
        let before = lines.len();
        let total = match a.total {
            Some(t) => {
                format!("{t} {}{}", a.band.as_deref().unwrap_or(""), if a.severe { "*" } else { "" })
            }
            None => format!("UTA {}", a.unable_reason.as_deref().unwrap_or("")),
        };
        // One rule for every kind of entry (domain::note, the unit's threshold): both times when
        // recorded after it was taken, "LATE ENTRY" past the threshold (REFERENCE.md section 5).
        let lead = format!("{} {:<5} {:<12}", local(a.taken_at, tz), protocol_abbrev(&a.scale), total);
        // The row starts with the time taken (the column says so): the recording time follows.
        let mut parts = Vec::new();
        if rule.is_late(a.taken_at, a.recorded_at) {
            parts.push("LATE ENTRY".to_string());
        }
        if a.recorded_at > a.taken_at {
            let recorded = crate::domain::note::both_times(a.taken_at, a.recorded_at, ("", "recorded"), false, tz);
            let recorded = recorded.split_once(" · ").map_or(recorded.as_str(), |(_, r)| r);
            parts.push(format!("{recorded} by {}", inert(&a.by)));
        } else {
            parts.push(inert(&a.by));
        }
        lines.extend(head_lines(&lead, &parts, area.width as usize).into_iter().map(Line::from));
        // The vitals first and whole (RR and SpO2 too, issue 20 point 11), then the items that
        // fit whole and "+N items" for the rest: a number is never cut.
        let vitals = format!("   {}", a.vitals.summary(s.temp_unit));
        let room = (area.width as usize).saturating_sub(vitals.chars().count() + 3);
        let detail = if a.items.is_empty() {
            crate::domain::text::fit(&inert(a.unable_note.as_deref().unwrap_or("")), room)
        } else {
            let items: Vec<String> =
                a.items.iter().map(|(k, v)| format!("{}{v}", k.chars().take(3).collect::<String>())).collect();
            fit_words(&items, room)
        };
        let line = if detail.is_empty() { vitals } else { format!("{vitals} · {detail}") };
        lines.push(Line::from(Span::styled(line, theme::hint())));
        if lines.len() - 1 > height && shown > 0 {
            lines.truncate(before);
            break;
        }
        shown += 1;
    }
    s.shown.set(shown);
    let last = s.first + shown;
    let more = if last < s.page.len() || s.page.len() == PAGE { " · PgDn older" } else { "" };
    let title = if s.page.is_empty() {
        " Past assessments, newest first ".to_string()
    } else {
        format!(" Past assessments, newest first · {}-{} of this page{more} ", s.first + 1, last)
    };
    f.render_widget(Paragraph::new(lines).block(Block::default().borders(Borders::TOP).title(title)), area);
}

/// Words joined by spaces, as many as fit whole in `width`, then "+N items" for the rest (never
/// a word cut, never one dropped without saying so).
fn fit_words(words: &[String], width: usize) -> String {
    let all = words.join(" ");
    if all.chars().count() <= width {
        return all;
    }
    let mut shown = 0;
    let mut used = 0;
    for (i, w) in words.iter().enumerate() {
        let rest = words.len() - i - 1;
        let more = if rest > 0 { format!(" +{rest} items").chars().count() } else { 0 };
        let add = w.chars().count() + usize::from(i > 0);
        if used + add + more > width {
            break;
        }
        used += add;
        shown += 1;
    }
    let rest = words.len() - shown;
    let more = crate::domain::text::count(rest, "item", "items");
    if shown == 0 { format!("+{more}") } else { format!("{} +{more}", words[..shown].join(" ")) }
}

#[cfg(test)]
mod tests {
    use super::fit_words;

    #[test]
    fn items_fit_whole_and_the_rest_are_counted() {
        let w: Vec<String> = ["nau2", "tre2", "swe3", "anx1"].iter().map(|s| s.to_string()).collect();
        assert_eq!(fit_words(&w, 40), "nau2 tre2 swe3 anx1");
        assert_eq!(fit_words(&w, 18), "nau2 tre2 +2 items");
        assert_eq!(fit_words(&w, 3), "+4 items");
    }
}
