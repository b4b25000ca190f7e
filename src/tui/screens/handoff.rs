//! The ward's shift handoff, keyboard-driven: a list of every occupied bed with where its handoff
//! stands, and one screen per patient in I-PASS order, readable at 80x24.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::handoff::{PatientHandoff, Status, progress};
use crate::domain::shift::{ShiftWindow, describe};
use crate::domain::text::inert;
use crate::domain::time::local_short;
use crate::tui::keymap::{Binding, Key};
use crate::tui::theme;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandoffAction {
    Up,
    Down,
    Open,
    NextPatient,
    PrevPatient,
    Order,
    Prepare,
    AddItem,
    CloseItem,
    Accept,
    Assign,
    Help,
    Back,
}

pub static KEYS: &[Binding<HandoffAction>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Up), Key::ch('k')],
        action: HandoffAction::Up,
        short: "up",
        help: "Previous / next bed in the list",
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Down), Key::ch('j')],
        action: HandoffAction::Down,
        short: "down",
        help: "Previous / next bed in the list",
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        action: HandoffAction::Open,
        short: "open",
        help: "Open the patient's I-PASS page",
        footer: true,
    },
    Binding {
        keys: &[Key::ch('n'), Key::plain(KeyCode::Right)],
        action: HandoffAction::NextPatient,
        short: "next patient",
        help: "Next / previous patient (in the chosen order)",
        footer: true,
    },
    Binding {
        keys: &[Key::ch('p'), Key::plain(KeyCode::Left)],
        action: HandoffAction::PrevPatient,
        short: "previous",
        help: "Next / previous patient (in the chosen order)",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('o')],
        action: HandoffAction::Order,
        short: "order",
        help: "Step by bed, or by acuity (unstable first)",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('e')],
        action: HandoffAction::Prepare,
        short: "prepare",
        help: "Prepare: illness severity, summary, situation (outgoing nurse)",
        footer: true,
    },
    Binding {
        keys: &[Key::ch('a')],
        action: HandoffAction::AddItem,
        short: "action",
        help: "Add an action item (what, owner, due time)",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('x')],
        action: HandoffAction::CloseItem,
        short: "close item",
        help: "Close the first open action item, with a note",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('r')],
        action: HandoffAction::Accept,
        short: "receive",
        help: "Receiving nurse: synthesis and accept, with own password",
        footer: true,
    },
    Binding {
        keys: &[Key::ch('g')],
        action: HandoffAction::Assign,
        short: "assign",
        help: "Assign the next shift's nurse to this bed (charge nurse)",
        footer: false,
    },
    Binding {
        keys: &[Key::ch('?')],
        action: HandoffAction::Help,
        short: "help",
        help: "Show every key of this screen",
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc), Key::ch('q')],
        action: HandoffAction::Back,
        short: "back",
        help: "Back (from a patient: to the list)",
        footer: true,
    },
];

#[derive(Clone, Debug, PartialEq)]
pub struct HandoffScreen {
    pub shift: ShiftWindow,
    pub next: ShiftWindow,
    pub patients: Vec<PatientHandoff>,
    /// Indices into `patients` in stepping order.
    pub order: Vec<usize>,
    pub by_acuity: bool,
    pub selected: usize,
    /// Showing one patient's page.
    pub open: bool,
}

impl HandoffScreen {
    pub fn current(&self) -> Option<&PatientHandoff> {
        self.order.get(self.selected).and_then(|&i| self.patients.get(i))
    }

    pub fn reorder(&mut self) {
        let keep = self.current().map(|p| p.records.stay_id);
        let mut idx: Vec<usize> = (0..self.patients.len()).collect();
        if self.by_acuity {
            idx.sort_by_key(|&i| crate::domain::handoff::acuity_key(&self.patients[i]));
        }
        self.order = idx;
        self.selected =
            keep.and_then(|s| self.order.iter().position(|&i| self.patients[i].records.stay_id == s)).unwrap_or(0);
    }
}

fn status_text(p: &PatientHandoff, now: DateTime<Utc>, tz: Tz) -> String {
    match (&p.status, &p.records.this_shift) {
        (Status::NotPrepared, _) | (_, None) => "not prepared".into(),
        (Status::Prepared, Some(h)) => format!("prepared by {}", h.prepared_by),
        (Status::Accepted, Some(h)) => {
            let a = h.accepted.as_ref();
            format!(
                "ACCEPTED by {} {}",
                a.map_or("", |a| a.by.as_str()),
                a.map_or(String::new(), |a| local_short(a.at, now, tz))
            )
        }
    }
}

pub fn draw(f: &mut Frame<'_>, area: Rect, s: &HandoffScreen, now: DateTime<Utc>, tz: Tz) {
    let (done, total) = progress(&s.patients);
    let state = if done == total && total > 0 {
        format!("{done}/{total} accepted · HANDOFF COMPLETE")
    } else {
        format!("{done}/{total} accepted")
    };
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
    f.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(format!("Handoff · {} → {}", describe(&s.shift, tz), s.next.name), theme::title())),
            Line::from(format!("{state} · order: {}", if s.by_acuity { "acuity" } else { "bed" })),
        ]),
        head,
    );
    if s.open
        && let Some(p) = s.current()
    {
        return draw_patient(f, body, p, now, tz);
    }
    let mut lines = vec![Line::from(Span::styled(
        format!("{:<4} {:<18} {:<9} {:<30} {}", "Bed", "Patient", "I-PASS", "Handoff", "Next shift"),
        theme::table_header(),
    ))];
    for (pos, &i) in s.order.iter().enumerate() {
        let p = &s.patients[i];
        let sev = p.records.this_shift.as_ref().map_or("—", |h| h.severity.code());
        let line = format!(
            "{:<4} {:<18} {:<9} {:<30} {}",
            inert(&p.records.bed),
            inert(&p.records.name).chars().take(18).collect::<String>(),
            sev,
            status_text(p, now, tz).chars().take(30).collect::<String>(),
            inert(p.records.next_nurse.as_deref().unwrap_or("unassigned"))
        );
        let style = if pos == s.selected {
            theme::selected()
        } else if p.status == Status::Accepted {
            theme::base()
        } else {
            theme::due_soon()
        };
        lines.push(Line::from(Span::styled(line, style)));
    }
    f.render_widget(Paragraph::new(lines), body);
}

fn draw_patient(f: &mut Frame<'_>, area: Rect, p: &PatientHandoff, now: DateTime<Utc>, tz: Tz) {
    let r = &p.records;
    let mut lines: Vec<Line<'_>> = vec![
        Line::from(vec![
            Span::styled(format!("Bed {} · {} ", inert(&r.bed), inert(&r.name)), theme::label()),
            Span::raw(inert(&r.header)),
        ]),
        Line::from(format!(
            "Allergies: {} · Precautions: {} · Next shift: {}",
            inert(&r.allergies),
            if r.precautions.is_empty() { "none".to_string() } else { inert(&r.precautions) },
            inert(r.next_nurse.as_deref().unwrap_or("unassigned"))
        )),
    ];
    let sev = match &r.this_shift {
        Some(h) => Span::styled(
            format!(
                "{} (prepared by {} {})",
                h.severity.code().to_uppercase(),
                inert(&h.prepared_by),
                local_short(h.prepared_at, now, tz)
            ),
            if h.severity == crate::domain::handoff::Severity::Unstable { theme::severe() } else { theme::label() },
        ),
        None => Span::styled("not chosen yet: e to prepare", theme::due_soon()),
    };
    lines.push(Line::from(vec![Span::styled("I ", theme::title()), Span::raw("Illness severity: "), sev]));
    let summary = r
        .this_shift
        .as_ref()
        .map(|h| h.summary.clone())
        .or_else(|| r.previous.as_ref().map(|h| format!("(last shift's, to review) {}", h.summary)));
    lines.push(Line::from(vec![
        Span::styled("P ", theme::title()),
        Span::raw(inert(summary.as_deref().unwrap_or("—"))),
    ]));
    let due_style = if p.overdue { theme::overdue() } else { theme::base() };
    lines.push(Line::from(vec![
        Span::raw(format!("  {} · {} · ", inert(&p.trend), inert(&p.last))),
        Span::styled(inert(&p.next_due), due_style),
    ]));
    lines.push(Line::from(format!(
        "  PRNs this shift: {}",
        if p.prns.is_empty() { "none".to_string() } else { inert(&p.prns.join("; ")) }
    )));
    lines.push(Line::from(format!(
        "  Notes this shift: {}",
        if p.notes.is_empty() { "none".to_string() } else { inert(&p.notes.join("; ")) }
    )));
    for note in &r.plan_notes {
        lines.push(Line::from(format!("  {}", inert(note))));
    }
    if let Some(obs) = &r.observation_note {
        lines.push(Line::from(format!("  Observation: {}", inert(obs))));
    }
    lines.push(Line::from(Span::styled("A Action list (open items carry forward until closed):", theme::title())));
    if r.open_items.is_empty() {
        lines.push(Line::from("  none"));
    }
    for i in &r.open_items {
        let overdue = if i.due_at <= now { " OVERDUE" } else { "" };
        lines.push(Line::from(format!(
            "  • {} — owner {} — due {}{overdue} (added by {})",
            inert(&i.what),
            inert(&i.owner),
            local_short(i.due_at, now, tz),
            inert(&i.created_by)
        )));
    }
    let situation = r.this_shift.as_ref().map(|h| h.situation.clone()).filter(|s| !s.is_empty());
    lines.push(Line::from(vec![
        Span::styled("S ", theme::title()),
        Span::raw(format!("Situation / contingency: {}", inert(situation.as_deref().unwrap_or("—")))),
    ]));
    let synthesis = r.this_shift.as_ref().and_then(|h| h.accepted.as_ref());
    lines.push(Line::from(vec![
        Span::styled("S ", theme::title()),
        match synthesis {
            Some(a) => Span::raw(format!(
                "Synthesis by {} at {}: {}",
                inert(&a.by),
                local_short(a.at, now, tz),
                inert(&a.synthesis)
            )),
            None => Span::styled("Synthesis by receiver: not yet (r: receiving nurse accepts)", theme::due_soon()),
        },
    ]));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
