//! Entering a medication order as the prescriber gave it, and discontinuing one with a reason
//! (REFERENCE.md §9). The MAR screen ([`super::mar`]) opens these forms over itself: the kind is
//! chosen first (scheduled, taper, PRN), then the fields of that kind. Nothing is filled in:
//! every choice starts unchosen, every field empty (the software never proposes a drug or a
//! dose). A taper's dated steps are typed one per line as `start; dose; every N h; doses`.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::orders::{self, NewOrder, Order, OrderForm, OrderKind, PRN_SCALES, StepForm, parse_holds};
use crate::domain::time::{TimeRule, parse_event_time};
use crate::tui::widgets::form::{Field, Form};

/// How many taper steps the form has room for.
pub const TAPER_STEPS: usize = 4;

const STEP_LABELS: [&str; TAPER_STEPS] = ["Step 1", "Step 2", "Step 3", "Step 4"];

fn common_head() -> Vec<Field> {
    vec![
        Field::text("Drug", "as written on the order"),
        Field::text("Dose", "as written, with units (e.g. 25 mg); a taper's steps carry their own"),
        Field::text("Route", "PO, SL, IM, IV, PR, SC, TD or other"),
    ]
}

fn common_tail() -> Vec<Field> {
    let modes = ["written", "verbal", "telephone"].iter().map(|m| (m.to_string(), m.to_string())).collect();
    let yes_no = vec![("yes".to_string(), "yes, read back".to_string()), ("no".to_string(), "no".to_string())];
    vec![
        Field::text("Hold if", "as the order says, e.g. RASS <= -2, RR < 12, SBP < 90 (empty: none)"),
        Field::text("Note", "optional, at most 200 characters"),
        Field::text("Prescriber", "who gave the order"),
        Field::time("Ordered at", "when the prescriber gave it", TimeRule::Charted),
        Field::choice("Order", "written, verbal or telephone", modes),
        Field::choice("Read back", "a verbal or telephone order is read back (REFERENCE.md §9)", yes_no),
    ]
}

/// The form for a new order of `kind` for the patient named in `intro`.
pub fn new_order(kind: OrderKind, intro: Vec<String>) -> Form {
    let mut fields = common_head();
    match kind {
        OrderKind::Scheduled => {
            fields.push(Field::text("Every (hours)", "the interval, e.g. 6 for q6h"));
            fields.push(Field::time("First dose at", "when the first dose is due", TimeRule::Planned));
            fields.push(Field::time("Ends at", "optional: when the order ends", TimeRule::Planned));
        }
        OrderKind::Taper => {
            for label in STEP_LABELS {
                fields.push(Field::text(label, "start; dose; every N h; doses, e.g. 2026-11-25 10:00; 50 mg; 6; 4"));
            }
        }
        OrderKind::Prn => {
            let scales = PRN_SCALES.iter().map(|s| (s.to_string(), orders::scale_label(s).to_string())).collect();
            fields.push(Field::text("Indication", "in the order's words, e.g. alcohol withdrawal"));
            fields.push(Field::choice("Score scale", "the scale of the order's threshold, if it gives one", scales));
            fields.push(Field::text("Score at least", "the threshold, e.g. 8 for CIWA-Ar >= 8"));
            fields.push(Field::text("Repeat (minutes)", "may repeat after, e.g. 60 for q1h (empty: not said)"));
            fields.push(Field::text("Max per 24 h", "the most doses in 24 hours (empty: not said)"));
        }
    }
    fields.extend(common_tail());
    let title = match kind {
        OrderKind::Scheduled => "New scheduled order",
        OrderKind::Taper => "New taper order",
        OrderKind::Prn => "New PRN order",
    };
    let mut form = Form::new(title, fields).with_verb("enter order");
    form.intro = intro;
    form
}

/// One taper step typed as `start; dose; every; doses`.
fn step(i: usize, s: &str) -> Result<StepForm, String> {
    if s.trim().is_empty() {
        return Ok(StepForm::default());
    }
    let parts: Vec<&str> = s.split(';').map(str::trim).collect();
    let [starts_at, dose, every, doses] = parts[..] else {
        return Err(format!("Step {}: type start; dose; every N h; doses (four parts)", i + 1));
    };
    let every = every.trim_end_matches('h').trim_start_matches('q').trim();
    Ok(StepForm { starts_at: starts_at.into(), dose: dose.into(), every_hours: every.into(), doses: doses.into() })
}

/// Read the form into a checked order.
pub fn read(kind: OrderKind, form: &Form, now: DateTime<Utc>, tz: Tz) -> Result<NewOrder, String> {
    let v = |i: usize| form.value(i);
    let mut f = OrderForm { kind: kind.as_db().into(), drug: v(0), dose: v(1), route: v(2), ..OrderForm::default() };
    let tail = match kind {
        OrderKind::Scheduled => {
            f.every_hours = v(3);
            f.first_due_at = v(4);
            f.ends_at = v(5);
            6
        }
        OrderKind::Taper => {
            f.steps = (0..TAPER_STEPS).map(|i| step(i, &v(3 + i))).collect::<Result<_, _>>()?;
            3 + TAPER_STEPS
        }
        OrderKind::Prn => {
            f.prn_indication = v(3);
            f.prn_scale = v(4);
            f.prn_min_score = v(5);
            f.prn_repeat_minutes = v(6);
            f.prn_max_per_24h = v(7);
            8
        }
    };
    let holds = parse_holds(&v(tail))?;
    let num = |x: Option<i32>| x.map(|n| n.to_string()).unwrap_or_default();
    f.hold_rass = num(holds.rass_at_or_below);
    f.hold_rr = num(holds.rr_below);
    f.hold_sbp = num(holds.sbp_below);
    f.hold_hr = num(holds.hr_below);
    f.note = v(tail + 1);
    f.prescriber = v(tail + 2);
    f.ordered_at = v(tail + 3);
    f.mode = v(tail + 4);
    if f.mode.is_empty() {
        return Err("Order: choose written, verbal or telephone".into());
    }
    f.read_back = v(tail + 5) == "yes";
    orders::validate(&f, now, tz)
}

/// The form that discontinues `order`.
pub fn stop(order: &Order) -> Form {
    let mut form = Form::new(
        "Discontinue order",
        vec![
            Field::time("Stopped at", "when the prescriber stopped it", TimeRule::Charted),
            Field::text("Reason", "why, as the prescriber said (required)"),
        ],
    )
    .with_verb("discontinue");
    form.intro = vec![order.summary(), "An order is never edited: a change is a new order.".into()];
    form
}

/// Read the discontinue form: when and why.
pub fn read_stop(form: &Form, now: DateTime<Utc>, tz: Tz) -> Result<(DateTime<Utc>, String), String> {
    let at = parse_event_time("Stopped at", &form.value(0), now, tz)?;
    let reason = crate::domain::text::required_line("Reason", &form.value(1), 200)?;
    Ok((at, reason))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::orders::Schedule;
    use chrono::TimeZone;

    fn filled(kind: OrderKind, values: &[&str]) -> Form {
        let mut form = new_order(kind, Vec::new());
        for (f, v) in form.fields.iter_mut().zip(values) {
            if !v.is_empty() && !matches!(f.kind, crate::tui::widgets::form::Kind::Choice(_)) {
                *f = f.clone().with_text(v);
            }
        }
        form
    }

    #[test]
    fn a_taper_is_read_from_its_step_lines_and_nothing_is_filled_in() {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
        let tz = chrono_tz::America::New_York;
        let values = [
            "chlordiazepoxide",
            "50 mg tapering",
            "PO",
            "2026-11-25 06:00; 50 mg; q6h; 4",
            "2026-11-26 06:00; 25 mg; 6; 4",
            "",
            "",
            "RASS <= -2",
            "",
            "Dr. Patel",
            "-1h",
        ];
        let form = filled(OrderKind::Taper, &values);
        // The order's mode is a choice the nurse makes: left unchosen, it is asked.
        assert!(read(OrderKind::Taper, &form, now, tz).unwrap_err().contains("written, verbal or telephone"));
        let mut form = form;
        let mode = form.fields.iter().position(|f| f.label == "Order").unwrap();
        form.focus = mode;
        form.handle_key(&ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Right));
        let o = read(OrderKind::Taper, &form, now, tz).unwrap();
        let Schedule::Taper(steps) = &o.schedule else { panic!("{o:?}") };
        assert_eq!(steps.len(), 2);
        assert_eq!((steps[0].every_hours, steps[0].doses, steps[1].dose.as_str()), (6, 4, "25 mg"));
        assert_eq!(o.holds.rass_at_or_below, Some(-2));
        let bad = filled(OrderKind::Taper, &["x", "1 mg", "PO", "2026-11-25 06:00; 50 mg"]);
        assert!(read(OrderKind::Taper, &bad, now, tz).unwrap_err().contains("four parts"));
    }
}
