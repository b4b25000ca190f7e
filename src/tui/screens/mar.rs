//! The medication administration record of one patient at the station (issue 17, point 2;
//! REFERENCE.md §9): the patient's orders, each scheduled dose due, overdue or recorded, each PRN
//! available now or why not, and the recent entries with who and when. The census's `m` opens
//! it; `p` (and the scoring screen's PRN key) opens it on the patient's PRN orders.
//!
//! Recording a dose goes in steps, each a form over the record: the patient's identity first
//! (a wristband scan: the scanner types the MRN and Enter; or the name and date of birth typed
//! and matched), then the value of each hold parameter of the order, then the outcome. A value
//! past a hold is said, the reason field carries it for a hold, and "given" is refused without
//! an override reason. The store checks all of it again. Nothing is filled in for the nurse
//! except that visible hold reason, which comes from the values she typed.
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::census::CensusRow;
use crate::domain::mar::{
    AdminForm, Administration, Breach, HoldParam, HoldValues, IdentityProof, OVERDUE_BACK, OrderFacts, Outcome,
    SlotState, breaches_text, hold_check, identify_by_name_dob, identify_by_scan, slot_entry, slot_state, validate,
};
use crate::domain::orders::{DueDose, Holds, Order, OrderKind, PrnStatus, Schedule, due_times, scale_label};
use crate::domain::text::{fit, inert};
use crate::domain::time::{TimeRule, clock, local_short};
use crate::store::meds::StayMar;
use crate::tui::app::Screen;
use crate::tui::component::{Cmd, Component, Ctx, Done, View, Write};
use crate::tui::keymap::{Binding, Hints, Key, hints, lookup};
use crate::tui::screens::order_form;
use crate::tui::theme;
use crate::tui::widgets::form::{Field, Form, FormEvent};

/// How far ahead the record shows scheduled doses.
const SHOW_AHEAD: Duration = Duration::hours(12);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarAction {
    Up,
    Down,
    PrevDose,
    NextDose,
    Record,
    Correct,
    NewOrder,
    Stop,
    Help,
    Back,
    // Choosing the kind of a new order.
    Scheduled,
    Taper,
    Prn,
}

#[rustfmt::skip]
pub static KEYS: &[Binding<MarAction>] = &[
    Binding::help(&[Key::plain(KeyCode::Up), Key::ch('k')],    MarAction::Up,       "up",       "Previous / next order (also k / j)"),
    Binding::help(&[Key::plain(KeyCode::Down), Key::ch('j')],  MarAction::Down,     "down",     "Previous / next order (also k / j)"),
    Binding::help(&[Key::plain(KeyCode::Left)],                MarAction::PrevDose, "earlier",  "Choose an earlier / later scheduled dose of the order (← / →)"),
    Binding::help(&[Key::plain(KeyCode::Right)],               MarAction::NextDose, "later",    "Choose an earlier / later scheduled dose of the order (← / →)"),
    Binding::foot(&[Key::plain(KeyCode::Enter)],               MarAction::Record,   "record dose", "Record the chosen dose: identify the patient, hold values, then the outcome"),
    Binding::foot(&[Key::ch('c')],                             MarAction::Correct,  "correct",  "Correct the order's last entry with a new one that says why"),
    Binding::foot(&[Key::ch('o')],                             MarAction::NewOrder, "new order", "Enter an order as the prescriber gave it"),
    Binding::foot(&[Key::ch('x')],                             MarAction::Stop,     "discontinue", "Discontinue the selected order, with a reason"),
    Binding::foot(&[Key::plain(KeyCode::F(1)), Key::ch('?')],  MarAction::Help,     "help",     "Show every key of this screen"),
    Binding::foot(&[Key::plain(KeyCode::Esc)],                 MarAction::Back,     "back",     "Back to where the record was opened"),
];

#[rustfmt::skip]
static KIND_KEYS: &[Binding<MarAction>] = &[
    Binding::foot(&[Key::ch('s')],             MarAction::Scheduled, "scheduled", "Every N hours from a first time"),
    Binding::foot(&[Key::ch('t')],             MarAction::Taper,     "taper",     "A fixed taper: dated steps"),
    Binding::foot(&[Key::ch('p')],             MarAction::Prn,       "PRN",       "As needed, with its indication and score threshold"),
    Binding::foot(&[Key::plain(KeyCode::Esc)], MarAction::Back,      "cancel",    "Back to the record, nothing entered"),
];

/// The patient, as the census knows them.
#[derive(Clone, Debug, PartialEq)]
pub struct MarPatient {
    pub stay_id: i64,
    pub patient_id: i64,
    pub bed: String,
    pub name: String,
    pub mrn: String,
    pub birth_date: NaiveDate,
    pub allergies: String,
}

impl MarPatient {
    pub fn of(row: &CensusRow) -> Option<MarPatient> {
        row.occupant.as_ref().map(|o| MarPatient {
            stay_id: o.stay_id,
            patient_id: o.patient_id,
            bed: row.bed.clone(),
            name: o.name.clone(),
            mrn: o.mrn.clone(),
            birth_date: o.birth_date,
            allergies: o.allergies.clone(),
        })
    }
}

/// A dose being recorded: the order, the scheduled time it answers (none for a PRN), the entry it
/// corrects.
#[derive(Clone, Debug, PartialEq)]
struct Dose {
    order_id: i64,
    due_at: Option<DateTime<Utc>>,
    corrects: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
enum Stage {
    List,
    Identify { dose: Dose, form: Form },
    Holds { dose: Dose, proof: IdentityProof, form: Form },
    Outcome { dose: Dose, proof: IdentityProof, values: HoldValues, form: Form },
    Kind,
    NewOrder { kind: OrderKind, form: Form },
    Stop { order_id: i64, form: Form },
}

#[derive(Clone, Debug, PartialEq)]
pub struct MarScreen {
    pub patient: MarPatient,
    pub mar: StayMar,
    /// The orders in the order shown: running ones first, then discontinued, each oldest first.
    shown: Vec<usize>,
    /// The selected order (an index into `shown`).
    pub selected: usize,
    /// The chosen scheduled dose of the selected order.
    pub chosen: Option<DateTime<Utc>>,
    stage: Stage,
    /// The data version and minute the record was read at (re-read when either moves).
    read_at: (i64, i64),
}

const OUTCOMES: [(&str, &str); 4] =
    [("given", "given"), ("held", "held (reason)"), ("refused", "refused"), ("omitted", "omitted (reason)")];

impl MarScreen {
    fn new(patient: MarPatient, mar: StayMar) -> MarScreen {
        let mut s = MarScreen {
            patient,
            mar,
            shown: Vec::new(),
            selected: 0,
            chosen: None,
            stage: Stage::List,
            read_at: (0, 0),
        };
        s.order_rows();
        s
    }

    /// Open the record of the bed's patient; `prn_first` selects the first running PRN order.
    pub fn open(row: &CensusRow, ctx: &Ctx<'_>, prn_first: bool) -> Cmd {
        let Some(patient) = MarPatient::of(row) else {
            return Cmd::error(format!("Bed {} is empty: choose an occupied bed first.", row.bed));
        };
        let mar = match ctx.store.stay_mar(patient.stay_id, ctx.now) {
            Ok(m) => m,
            Err(e) => return Cmd::error(format!("Could not read the medication record: {e}")),
        };
        let patient_id = patient.patient_id;
        let mut s = MarScreen::new(patient, mar);
        s.read_at = (ctx.store.data_version().unwrap_or(0), ctx.now.timestamp() / 60);
        let mut notice = Cmd::None;
        if prn_first {
            match s.shown.iter().position(|&i| {
                let o = &s.mar.orders[i];
                o.kind() == OrderKind::Prn && o.active_at(ctx.now)
            }) {
                Some(p) => s.selected = p,
                None => {
                    notice = Cmd::tell("No running PRN order for this patient: o enters one as the prescriber gave it.")
                }
            }
        }
        s.choose_first_open(ctx.now);
        Cmd::Many(vec![
            Cmd::Write(Write::AuditRead { patient_ids: vec![patient_id], what: "medication record".into() }),
            Cmd::Open(Screen::Other(Box::new(s))),
            notice,
        ])
    }

    /// Open the record of the patient of `stay_id` from the board.
    pub fn open_stay(stay_id: i64, ctx: &Ctx<'_>, prn_first: bool) -> Cmd {
        match ctx.board.rows.iter().find(|r| r.occupant.as_ref().is_some_and(|o| o.stay_id == stay_id)) {
            Some(row) => MarScreen::open(row, ctx, prn_first),
            None => Cmd::error("This patient is no longer on the board."),
        }
    }

    fn order_rows(&mut self) {
        let mut idx: Vec<usize> = (0..self.mar.orders.len()).collect();
        idx.sort_by_key(|&i| (self.mar.orders[i].stop.is_some(), self.mar.orders[i].id));
        self.shown = idx;
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
    }

    fn reload(&mut self, ctx: &Ctx<'_>) {
        if let Ok(m) = ctx.store.stay_mar(self.patient.stay_id, ctx.now) {
            let keep = self.order().map(|o| o.id);
            self.mar = m;
            self.order_rows();
            if let Some(id) = keep
                && let Some(p) = self.shown.iter().position(|&i| self.mar.orders[i].id == id)
            {
                self.selected = p;
            }
        }
        self.read_at = (ctx.store.data_version().unwrap_or(0), ctx.now.timestamp() / 60);
    }

    pub fn order(&self) -> Option<&Order> {
        self.shown.get(self.selected).map(|&i| &self.mar.orders[i])
    }

    /// The scheduled doses of an order the record shows at `now`: from a day back to 12 hours
    /// ahead, each with the entry that stands for it.
    fn slots<'a>(&'a self, o: &Order, now: DateTime<Utc>) -> Vec<(DueDose, Option<&'a Administration>)> {
        due_times(o, now - OVERDUE_BACK, now + SHOW_AHEAD)
            .into_iter()
            .map(|d| {
                let e = slot_entry(&self.mar.administrations, o.id, d.at);
                (d, e)
            })
            // Recorded doses older than the last 12 hours are in the entries list, not here.
            .filter(|(d, e)| e.is_none() || d.at >= now - Duration::hours(12))
            .collect()
    }

    /// Choose the selected order's first dose with nothing recorded (overdue first).
    fn choose_first_open(&mut self, now: DateTime<Utc>) {
        self.chosen = self.order().and_then(|o| {
            let slots = self.slots(o, now);
            slots.iter().find(|(_, e)| e.is_none()).or(slots.last()).map(|(d, _)| d.at)
        });
    }

    fn prn_status(&self, order_id: i64) -> Option<&(i64, PrnStatus, Option<crate::domain::orders::LastScore>)> {
        self.mar.prn.iter().find(|(id, _, _)| *id == order_id)
    }

    /// Begin recording a dose of the selected order: identity first.
    fn start_dose(&mut self, corrects: Option<i64>, now: DateTime<Utc>, tz: Tz) -> Cmd {
        let Some(o) = self.order() else { return Cmd::error("No order: o enters one as the prescriber gave it.") };
        if corrects.is_none() && !o.active_at(now) {
            return Cmd::error("This order is discontinued: no dose is recorded against it.");
        }
        let due_at = match (o.kind(), corrects) {
            (OrderKind::Prn, _) => None,
            (_, Some(c)) => self.mar.administrations.iter().find(|a| a.id == c).and_then(|a| a.due_at),
            (_, None) => match self.chosen {
                Some(t) => Some(t),
                None => return Cmd::error("No scheduled dose of this order is shown to record."),
            },
        };
        if corrects.is_none()
            && let Some(t) = due_at
            && let Some(e) = slot_entry(&self.mar.administrations, o.id, t)
        {
            return Cmd::error(format!(
                "The {} dose is already recorded ({}): c corrects it with a new entry.",
                clock(t, tz),
                e.outcome.as_db()
            ));
        }
        let mut form = Form::new(
            "Identify the patient",
            vec![
                Field::text("Wristband", "scan the wristband (the scanner types it and Enter)"),
                Field::text("Name", "or type the patient's name as the patient says it"),
                Field::text("Date of birth", "and the date of birth, YYYY-MM-DD"),
            ],
        )
        .with_verb("identify");
        form.intro = vec![
            o.summary(),
            "Two identifiers before any dose: scan the wristband, or type name and date of birth.".into(),
        ];
        self.stage = Stage::Identify { dose: Dose { order_id: o.id, due_at, corrects }, form };
        Cmd::None
    }

    fn holds_form(o: &Order) -> Form {
        let fields =
            HoldParam::of(&o.holds).into_iter().map(|p| Field::text(p.label(), "the value measured now")).collect();
        let mut form = Form::new("Hold parameters", fields).with_verb("next");
        form.intro = vec![o.summary(), format!("{}: type each value measured now.", capitalised(&o.holds.text()))];
        form
    }

    fn outcome_form(&self, o: &Order, dose: &Dose, breaches: &[Breach], tz: Tz) -> Form {
        let outcomes = OUTCOMES.iter().map(|(c, l)| (c.to_string(), l.to_string())).collect();
        let ordered = match (&o.schedule, dose.due_at) {
            (Schedule::Taper(_), Some(t)) => {
                due_times(o, t, t + Duration::seconds(1)).first().map_or(o.dose.clone(), |d| d.dose.clone())
            }
            _ => o.dose.clone(),
        };
        let reason = Field::text("Reason", "held or omitted: why; a correction: what was wrong");
        let reason = if breaches.is_empty() { reason } else { reason.with_text(&breaches_text(breaches)) };
        let mut form = Form::new(
            if dose.corrects.is_some() { "Correction" } else { "Record the dose" },
            vec![
                Field::choice("Outcome", "given, held, refused or omitted", outcomes),
                Field::text("Dose given", "the dose actually given, with units (given only)"),
                Field::text("Route", "PO, SL, IM, IV, PR, SC, TD or other (given only)"),
                Field::time("Time", "when it was given, held, refused or omitted", TimeRule::Charted),
                reason,
                Field::text("Override reason", "only to give a dose past a hold parameter"),
            ],
        )
        .with_verb("record");
        let mut intro = vec![format!("{} · ordered: {ordered} {}", o.drug, o.route)];
        if let Some(t) = dose.due_at {
            intro[0].push_str(&format!(" · due {}", clock(t, tz)));
        }
        if let Some(c) = dose.corrects {
            intro.push(format!("Corrects entry {c}: the new entry says what happened, and why."));
        }
        if !breaches.is_empty() {
            intro.push(format!("{}: HOLD, unless given with an override reason.", breaches_text(breaches)));
        }
        form.intro = intro;
        form
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        match &mut self.stage {
            Stage::Identify { form, .. }
            | Stage::Holds { form, .. }
            | Stage::Outcome { form, .. }
            | Stage::NewOrder { form, .. }
            | Stage::Stop { form, .. } => Some(form),
            Stage::List | Stage::Kind => None,
        }
    }

    fn form(&self) -> Option<&Form> {
        match &self.stage {
            Stage::Identify { form, .. }
            | Stage::Holds { form, .. }
            | Stage::Outcome { form, .. }
            | Stage::NewOrder { form, .. }
            | Stage::Stop { form, .. } => Some(form),
            Stage::List | Stage::Kind => None,
        }
    }

    fn order_by_id(&self, id: i64) -> Option<&Order> {
        self.mar.orders.iter().find(|o| o.id == id)
    }

    /// A form was submitted: check it and go to the next step, or write.
    fn submit(&mut self, ctx: &Ctx<'_>) -> Cmd {
        let (now, tz) = (ctx.now, ctx.tz);
        let stage = std::mem::replace(&mut self.stage, Stage::List);
        let (next, cmd) = match stage {
            Stage::Identify { dose, mut form } => {
                let scanned = form.value(0);
                let proof = if scanned.trim().is_empty() {
                    IdentityProof::NameDob { name: form.value(1), dob: form.value(2) }
                } else {
                    IdentityProof::Wristband(scanned.trim().to_string())
                };
                let p = &self.patient;
                let checked = match &proof {
                    IdentityProof::Wristband(s) => identify_by_scan(s, &p.mrn),
                    IdentityProof::NameDob { name, dob } => identify_by_name_dob(name, dob, &p.name, p.birth_date),
                };
                match (checked, self.order_by_id(dose.order_id).cloned()) {
                    (Err(e), _) => {
                        form.error = Some(e);
                        (Stage::Identify { dose, form }, Cmd::None)
                    }
                    (Ok(_), None) => (Stage::List, Cmd::error("The order is no longer in the record.")),
                    (Ok(_), Some(o)) if o.holds.is_empty() => {
                        let form = self.outcome_form(&o, &dose, &[], tz);
                        (Stage::Outcome { dose, proof, values: HoldValues::default(), form }, Cmd::None)
                    }
                    (Ok(_), Some(o)) => (Stage::Holds { dose, proof, form: Self::holds_form(&o) }, Cmd::None),
                }
            }
            Stage::Holds { dose, proof, mut form } => {
                let Some(o) = self.order_by_id(dose.order_id).cloned() else {
                    return Cmd::error("The order is no longer in the record.");
                };
                let mut values = HoldValues::default();
                let mut bad = None;
                for (i, p) in HoldParam::of(&o.holds).into_iter().enumerate() {
                    match HoldValues::parse(p, &form.value(i)) {
                        Ok(v) => values.set(p, v),
                        Err(e) => bad = bad.or(Some(e)),
                    }
                }
                // Every value is asked before "given" (REFERENCE.md §9). One not measured (a
                // patient who refuses, who is off the unit) is said on the outcome form, and
                // "given" is refused without it: never taken as normal.
                match bad {
                    Some(e) => {
                        form.error = Some(e);
                        (Stage::Holds { dose, proof, form }, Cmd::None)
                    }
                    None => {
                        let measured = Holds {
                            rass_at_or_below: o.holds.rass_at_or_below.filter(|_| values.rass.is_some()),
                            rr_below: o.holds.rr_below.filter(|_| values.rr.is_some()),
                            sbp_below: o.holds.sbp_below.filter(|_| values.sbp.is_some()),
                            hr_below: o.holds.hr_below.filter(|_| values.hr.is_some()),
                        };
                        let breaches = hold_check(&measured, &values).unwrap_or_default();
                        let mut form = self.outcome_form(&o, &dose, &breaches, tz);
                        if let Err(missing) = hold_check(&o.holds, &values) {
                            form.intro.push(format!("Not measured: {missing}; \"given\" needs every value."));
                        }
                        (Stage::Outcome { dose, proof, values, form }, Cmd::None)
                    }
                }
            }
            Stage::Outcome { dose, proof, values, mut form } => {
                let Some(o) = self.order_by_id(dose.order_id).cloned() else {
                    return Cmd::error("The order is no longer in the record.");
                };
                let outcome = Outcome::from_db(&form.value(0));
                let typed = AdminForm {
                    dose: form.value(1),
                    route: form.value(2),
                    at: form.value(3),
                    reason: form.value(4),
                    override_reason: form.value(5),
                };
                let facts = OrderFacts { id: o.id, kind: o.kind(), holds: &o.holds };
                let checked = outcome
                    .ok_or_else(|| "Outcome: choose given, held, refused or omitted".to_string())
                    .and_then(|out| {
                        validate(facts, dose.due_at, Some(proof.clone()), &values, out, &typed, dose.corrects, now, tz)
                    });
                match checked {
                    Err(e) => {
                        form.error = Some(e);
                        (Stage::Outcome { dose, proof, values, form }, Cmd::None)
                    }
                    Ok(a) => (Stage::Outcome { dose, proof, values, form }, Cmd::Write(Write::Administration(a))),
                }
            }
            Stage::NewOrder { kind, mut form } => match order_form::read(kind, &form, now, tz) {
                Err(e) => {
                    form.error = Some(e);
                    (Stage::NewOrder { kind, form }, Cmd::None)
                }
                Ok(order) => {
                    let stay_id = self.patient.stay_id;
                    (Stage::NewOrder { kind, form }, Cmd::Write(Write::Order { stay_id, order }))
                }
            },
            Stage::Stop { order_id, mut form } => match order_form::read_stop(&form, now, tz) {
                Err(e) => {
                    form.error = Some(e);
                    (Stage::Stop { order_id, form }, Cmd::None)
                }
                Ok((stopped_at, reason)) => {
                    (Stage::Stop { order_id, form }, Cmd::Write(Write::StopOrder { order_id, stopped_at, reason }))
                }
            },
            other => (other, Cmd::None),
        };
        self.stage = next;
        cmd
    }

    /// A write came back: on success the record is read again and the list shown; a refusal
    /// stays on the form with the store's words.
    fn finished(&mut self, result: Result<String, String>, ctx: &Ctx<'_>) -> Cmd {
        match result {
            Ok(msg) => {
                self.stage = Stage::List;
                self.reload(ctx);
                self.choose_first_open(ctx.now);
                Cmd::tell(msg)
            }
            Err(e) => {
                if let Some(f) = self.form_mut() {
                    f.error = Some(e.clone());
                }
                Cmd::error(format!("Not saved: {e}"))
            }
        }
    }

    /// "Recorded: given 2 mg PO at 04:00; CIWA-Ar reassessment due 05:00".
    fn recorded_message(&self, id: i64, tz: Tz) -> String {
        let Some(a) = self.mar.administrations.iter().find(|a| a.id == id) else {
            return "Recorded.".into();
        };
        let drug = self.order_by_id(a.order_id).map_or("", |o| o.drug.as_str());
        let mut s = format!("Recorded: {drug} {} at {}", a.text(), clock(a.at, tz));
        if let Some(t) = a.reassess_due_at {
            let scale = self
                .order_by_id(a.order_id)
                .and_then(|o| o.prn())
                .and_then(|r| r.trigger.as_ref())
                .map_or("", |(s, _)| scale_label(s));
            s.push_str(&format!("; {scale} reassessment due {}", clock(t, tz)));
        }
        s
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

impl Component for MarScreen {
    fn title(&self) -> String {
        format!("Medication record · Bed {} · {}", self.patient.bed, self.patient.name)
    }

    fn hints(&self, view: &View<'_>) -> (Hints, Hints) {
        let _ = view;
        match (&self.stage, self.form()) {
            (_, Some(form)) => {
                let foot = form.footer_hints();
                let help = crate::tui::keymap::help_lines(form.keys, |_| true);
                (foot, help)
            }
            (Stage::Kind, _) => hints(&[KIND_KEYS], |_| true),
            _ => hints(&[KEYS], |_| true),
        }
    }

    fn on_key(&mut self, key: &KeyEvent, ctx: &Ctx<'_>) -> Cmd {
        let now = ctx.now;
        if let Some(form) = self.form_mut() {
            // A scanner types the MRN then Enter: Enter on a filled wristband field identifies.
            let scan_enter = matches!(key.code, KeyCode::Enter) && form.focus == 0 && !form.value(0).trim().is_empty();
            let identify = scan_enter && form.title == "Identify the patient";
            let event = if identify { FormEvent::Submit } else { form.handle_key(key) };
            return match event {
                FormEvent::Submit => self.submit(ctx),
                FormEvent::Cancel => {
                    self.stage = Stage::List;
                    Cmd::tell("Nothing recorded.")
                }
                FormEvent::Edited => Cmd::None,
            };
        }
        if self.stage == Stage::Kind {
            let kind = match lookup(KIND_KEYS, key, |_| true) {
                Some(MarAction::Scheduled) => OrderKind::Scheduled,
                Some(MarAction::Taper) => OrderKind::Taper,
                Some(MarAction::Prn) => OrderKind::Prn,
                Some(MarAction::Back) => {
                    self.stage = Stage::List;
                    return Cmd::None;
                }
                _ => return Cmd::None,
            };
            let intro = vec![format!("Bed {} · {}: as the prescriber gave it.", self.patient.bed, self.patient.name)];
            self.stage = Stage::NewOrder { kind, form: order_form::new_order(kind, intro) };
            return Cmd::None;
        }
        match lookup(KEYS, key, |_| true) {
            Some(MarAction::Up) => {
                self.selected = self.selected.saturating_sub(1);
                self.choose_first_open(now);
            }
            Some(MarAction::Down) => {
                if self.selected + 1 < self.shown.len() {
                    self.selected += 1;
                }
                self.choose_first_open(now);
            }
            Some(a @ (MarAction::PrevDose | MarAction::NextDose)) => {
                let Some(o) = self.order() else { return Cmd::None };
                let times: Vec<DateTime<Utc>> = self.slots(o, now).into_iter().map(|(d, _)| d.at).collect();
                let at = self.chosen.and_then(|c| times.iter().position(|t| *t == c));
                let next = match (a, at) {
                    (MarAction::PrevDose, Some(i)) => i.checked_sub(1),
                    (MarAction::NextDose, Some(i)) => (i + 1 < times.len()).then_some(i + 1),
                    (_, None) => (!times.is_empty()).then_some(0),
                    _ => None,
                };
                if let Some(i) = next {
                    self.chosen = Some(times[i]);
                }
            }
            Some(MarAction::Record) => return self.start_dose(None, now, ctx.tz),
            Some(MarAction::Correct) => {
                let Some(o) = self.order() else { return Cmd::None };
                let gone = crate::domain::mar::corrected(&self.mar.administrations);
                let last = match (o.kind(), self.chosen) {
                    (OrderKind::Prn, _) => self
                        .mar
                        .administrations
                        .iter()
                        .filter(|a| a.order_id == o.id && !gone.contains(&a.id))
                        .max_by_key(|a| (a.at, a.id))
                        .map(|a| a.id),
                    (_, Some(t)) => slot_entry(&self.mar.administrations, o.id, t).map(|a| a.id),
                    (_, None) => None,
                };
                return match last {
                    Some(id) => self.start_dose(Some(id), now, ctx.tz),
                    None => Cmd::error("Nothing recorded for this dose to correct."),
                };
            }
            Some(MarAction::NewOrder) => self.stage = Stage::Kind,
            Some(MarAction::Stop) => {
                let Some(o) = self.order() else { return Cmd::None };
                if o.stop.is_some() {
                    return Cmd::error("This order is already discontinued.");
                }
                self.stage = Stage::Stop { order_id: o.id, form: order_form::stop(o) };
            }
            Some(MarAction::Help) => return Cmd::Help,
            Some(MarAction::Back) => return Cmd::Back,
            _ => {}
        }
        Cmd::None
    }

    fn on_paste(&mut self, text: &str, _ctx: &Ctx<'_>) -> Cmd {
        if let Some(f) = self.form_mut() {
            f.paste(text);
        }
        Cmd::None
    }

    fn on_tick(&mut self, ctx: &Ctx<'_>) -> Cmd {
        let now = (ctx.store.data_version().unwrap_or(0), ctx.now.timestamp() / 60);
        if self.stage == Stage::List && now != self.read_at {
            self.reload(ctx);
        }
        Cmd::None
    }

    fn on_done(&mut self, done: Done, ctx: &Ctx<'_>) -> Cmd {
        match done {
            Done::Administered(r) => {
                let tz = ctx.tz;
                match r {
                    Ok(id) => {
                        // The record read again first: the message tells what it now holds.
                        let _ = self.finished(Ok(String::new()), ctx);
                        Cmd::tell(self.recorded_message(id, tz))
                    }
                    Err(e) => self.finished(Err(e), ctx),
                }
            }
            Done::OrderEntered(r) => {
                let r = r.map(|id| format!("Order {id} entered as written."));
                let cmd = self.finished(r, ctx);
                if let Some(p) = self.shown.iter().rposition(|&i| self.mar.orders[i].stop.is_none()) {
                    self.selected = p;
                    self.choose_first_open(ctx.now);
                }
                cmd
            }
            Done::OrderStopped(r) => self.finished(r.map(|()| "Order discontinued.".to_string()), ctx),
            _ => Cmd::None,
        }
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, view: &View<'_>) {
        let (now, tz) = (view.now, view.tz);
        let w = area.width as usize;
        let p = &self.patient;
        let mut lines: Vec<Line<'static>> = vec![
            Line::from(vec![Span::styled(
                fit(
                    &format!(
                        " Bed {} · {} · MRN {} · DOB {} · MAR",
                        inert(&p.bed),
                        inert(&p.name),
                        inert(&p.mrn),
                        p.birth_date.format("%Y-%m-%d")
                    ),
                    w,
                ),
                theme::title(),
            )]),
            Line::from(Span::styled(fit(&format!(" Allergies: {}", inert(&p.allergies)), w), theme::alert())),
        ];
        if self.shown.is_empty() {
            lines.push(Line::from(""));
            lines.push(Line::from(" No orders yet. o enters one as the prescriber gave it."));
        }
        for (row, &i) in self.shown.iter().enumerate() {
            let o = &self.mar.orders[i];
            let sel = row == self.selected;
            let mark = if sel { "▶" } else { " " };
            let head = format!("{mark}{} {}", if o.stop.is_some() { "×" } else { " " }, inert(&o.summary()));
            let style = if sel {
                theme::selected()
            } else if o.stop.is_some() {
                theme::hint()
            } else {
                theme::base()
            };
            lines.push(Line::from(Span::styled(fit(&head, w), style)));
            let mut detail: Vec<Span<'static>> = vec![Span::raw("    ")];
            if let Some(s) = &o.stop {
                detail.push(Span::styled(
                    format!(
                        "discontinued {} by {}: {}",
                        local_short(s.stopped_at, now, tz),
                        inert(&s.by),
                        inert(&s.reason)
                    ),
                    theme::hint(),
                ));
            } else if o.kind() == OrderKind::Prn {
                if let Some((_, status, last)) = self.prn_status(o.id) {
                    let st = if status.is_available() { theme::info() } else { theme::hint() };
                    detail.push(Span::styled(status.text(tz), st));
                    // A PRN given and not yet reassessed: when the reassessment is due.
                    let gone = crate::domain::mar::corrected(&self.mar.administrations);
                    let last_given = self
                        .mar
                        .administrations
                        .iter()
                        .filter(|a| a.order_id == o.id && a.outcome == Outcome::Given && !gone.contains(&a.id))
                        .max_by_key(|a| (a.at, a.id));
                    if let Some(g) = last_given
                        && let Some(due) = g.reassess_due_at
                        && last.is_none_or(|l| l.at <= g.at)
                    {
                        let style = if due <= now { theme::overdue() } else { theme::due_soon() };
                        detail.push(Span::styled(format!(" · reassess by {}", clock(due, tz)), style));
                    }
                    if let (Some(l), Some((scale, _))) = (last, o.prn().and_then(|r| r.trigger.as_ref())) {
                        let score = l.total.map_or("unable".to_string(), |t| t.to_string());
                        detail.push(Span::raw(format!(
                            " · last {} {score} at {}",
                            scale_label(scale),
                            clock(l.at, tz)
                        )));
                    }
                }
            } else {
                for (d, e) in self.slots(o, now) {
                    let chosen = sel && self.chosen == Some(d.at);
                    let (text, style) = match slot_state(d.at, e, now) {
                        SlotState::Recorded => {
                            (format!("{} {}", clock(d.at, tz), e.map_or("", |e| e.outcome.as_db())), theme::hint())
                        }
                        SlotState::Overdue => (format!("!{} overdue", clock(d.at, tz)), theme::overdue()),
                        SlotState::Due => (format!("{} due", clock(d.at, tz)), theme::due_soon()),
                        SlotState::Later => (clock(d.at, tz), theme::base()),
                    };
                    let text = if o.kind() == OrderKind::Taper { format!("{text} {}", inert(&d.dose)) } else { text };
                    // The chosen dose: marked, not only coloured.
                    let (text, style) =
                        if chosen { (format!("▸{text}"), theme::focused_field()) } else { (text, style) };
                    detail.push(Span::styled(text, style));
                    detail.push(Span::raw("  "));
                }
            }
            lines.push(Line::from(fit_spans(detail, w)));
            if !o.holds.is_empty() && o.stop.is_none() {
                lines.push(Line::from(Span::styled(fit(&format!("    {}", o.holds.text()), w), theme::due_soon())));
            }
        }
        // The entries, newest first, with who and when.
        let mut recent: Vec<&Administration> = self.mar.administrations.iter().collect();
        recent.sort_by_key(|a| std::cmp::Reverse((a.at, a.id)));
        if !recent.is_empty() {
            lines.push(Line::from(Span::styled(" Entries, newest first", theme::table_header())));
        }
        for a in recent {
            let drug = self.order_by_id(a.order_id).map_or("", |o| o.drug.as_str());
            let mut s = format!(" {} {} {}", local_short(a.at, now, tz), inert(drug), inert(&a.text()));
            if let Some((_, Some(total))) = a.trigger {
                let scale = self
                    .order_by_id(a.order_id)
                    .and_then(|o| o.prn())
                    .and_then(|r| r.trigger.as_ref())
                    .map_or("score", |(s, _)| scale_label(s));
                s.push_str(&format!(" · {scale} {total}"));
            }
            let hv = a.hold_values.text();
            if !hv.is_empty() {
                s.push_str(&format!(" · {hv}"));
            }
            s.push_str(&format!(" · {} · {}", inert(&a.by), a.identity.as_db()));
            lines.push(Line::from(fit(&s, w)));
        }
        f.render_widget(Paragraph::new(lines), area);
        match (&self.stage, self.form()) {
            (_, Some(form)) => {
                let h = form.height().min(area.height);
                let r = Rect { x: area.x, y: area.y + area.height.saturating_sub(h), width: area.width, height: h };
                form.draw_at(f, r, Some((now, tz)));
            }
            (Stage::Kind, _) => {
                let lines = vec![
                    Line::from(Span::styled(" New order: which kind?", theme::title())),
                    Line::from("   s  scheduled: every N hours from a first time"),
                    Line::from("   t  taper: dated steps, each its own dose"),
                    Line::from("   p  PRN: as needed, with its indication and score threshold"),
                    Line::from(Span::styled(" Esc cancels: nothing is entered.", theme::hint())),
                ];
                let h = (lines.len() as u16 + 2).min(area.height);
                let r = Rect { x: area.x, y: area.y + area.height.saturating_sub(h), width: area.width, height: h };
                f.render_widget(ratatui::widgets::Clear, r);
                f.render_widget(
                    Paragraph::new(lines)
                        .block(ratatui::widgets::Block::default().borders(ratatui::widgets::Borders::ALL)),
                    r,
                );
            }
            _ => {}
        }
    }

    fn unsaved(&self) -> Option<String> {
        let f = self.form()?;
        f.touched.then(|| match &self.stage {
            Stage::NewOrder { .. } => "an order being entered".to_string(),
            Stage::Stop { .. } => "an order being discontinued".to_string(),
            _ => "a dose being recorded".to_string(),
        })
    }
}

/// Cut a line of spans at `w` columns.
fn fit_spans(spans: Vec<Span<'static>>, w: usize) -> Vec<Span<'static>> {
    use unicode_width::UnicodeWidthStr;
    let mut used = 0;
    let mut out = Vec::new();
    for s in spans {
        let sw = s.content.width();
        if used + sw <= w {
            used += sw;
            out.push(s);
        } else {
            let room = w.saturating_sub(used);
            if room > 0 {
                out.push(Span::styled(fit(&s.content, room), s.style));
            }
            break;
        }
    }
    out
}
