//! The downtime medication administration record (issue 17, point 7): every patient on the ward,
//! two identifiers and allergies, each order as written with its hold parameters, and a grid of
//! the scheduled and taper doses over the window: what was given, held, refused or omitted as
//! recorded, and a blank box (time, outcome, initials) for each dose still to come, so the round
//! of medications can go on by hand while the terminals are down. PRN orders get their state and
//! lines to write doses on. 80 columns; the 42 CFR Part 2 notice at the end.
//!
//! Nothing is proposed: every drug and dose printed is the order's (REFERENCE.md §9).
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use unicode_width::UnicodeWidthStr;

use super::{close, wrap, wrap_after};
use crate::domain::census::Occupant;
use crate::domain::mar::{Administration, Outcome, slot_entry};
use crate::domain::orders::{Order, due_times};
use crate::domain::text::inert;
use crate::domain::time::{clock, local};
use crate::domain::ward::Ward;
use crate::store::meds::StayMar;

pub const WIDTH: usize = 80;
/// Grid cells: two to a line, after the indent.
const INDENT: &str = "    ";
const CELL_W: usize = 37;
/// A box to fill by hand: time, outcome code (legend), initials.
const BLANK: &str = "[__:__ _ ___]";
/// Lines to write PRN doses on.
const PRN_LINES: usize = 2;

/// One patient's page: the bed, who they are, and their record.
pub struct Patient<'a> {
    pub bed: &'a str,
    pub occupant: &'a Occupant,
    pub mar: &'a StayMar,
}

/// "Lee Park, LPN" -> "LP".
fn initials(by: &str) -> String {
    let name = by.split(',').next().unwrap_or(by);
    name.split_whitespace().filter_map(|w| w.chars().next()).flat_map(char::to_uppercase).take(3).collect()
}

fn code(o: Outcome) -> &'static str {
    match o {
        Outcome::Given => "GIVEN",
        Outcome::Held => "HELD",
        Outcome::Refused => "REFUSED",
        Outcome::Omitted => "OMITTED",
    }
}

/// One dose's cell and, for a held/omitted/refused dose with a reason, its footnote.
fn cell(
    due: DateTime<Utc>,
    dose: &str,
    entry: Option<&Administration>,
    now: DateTime<Utc>,
    tz: Tz,
) -> (String, Option<String>) {
    let head = format!("{} {}", clock(due, tz), inert(dose));
    match entry {
        Some(a) => {
            let what = format!("{head} {} {} {}", code(a.outcome), clock(a.at, tz), inert(&initials(&a.by)));
            let note = match (a.outcome, &a.reason, &a.override_reason) {
                (_, _, Some(o)) => Some(format!("override: {o}")),
                (Outcome::Given, _, None) => None,
                (_, Some(r), None) => Some(r.clone()),
                (_, None, None) => None,
            };
            let day = due.with_timezone(&tz).format("%a");
            let note =
                note.map(|n| format!("{day} {} {}: {}", clock(due, tz), code(a.outcome).to_lowercase(), inert(&n)));
            (what, note)
        }
        // Past its time with nothing recorded: still a box, marked late.
        None if due < now => (format!("{head} LATE {BLANK}"), None),
        None => (format!("{head} {BLANK}"), None),
    }
}

/// The grid of one order's doses in `[from, to)`, a heading line per ward day.
fn grid(
    order: &Order,
    admins: &[Administration],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
    tz: Tz,
) -> Vec<String> {
    let due = due_times(order, from, to);
    if due.is_empty() {
        return vec![format!("{INDENT}no doses due in this window")];
    }
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let mut day = None;
    let mut row: Vec<String> = Vec::new();
    let flush = |row: &mut Vec<String>, out: &mut Vec<String>| {
        if !row.is_empty() {
            let cells: Vec<String> = std::mem::take(row);
            let mut line = INDENT.to_string();
            for (i, c) in cells.iter().enumerate() {
                line.push_str(c);
                if i + 1 < cells.len() {
                    line.push_str(&" ".repeat(CELL_W + 2 - c.width()));
                }
            }
            out.push(line);
        }
    };
    for d in &due {
        let date = d.at.with_timezone(&tz).date_naive();
        if day != Some(date) {
            flush(&mut row, &mut out);
            out.push(format!("  {}", d.at.with_timezone(&tz).format("%a %-d %b")));
            day = Some(date);
        }
        let (c, note) = cell(d.at, &d.dose, slot_entry(admins, order.id, d.at), now, tz);
        notes.extend(note);
        if c.width() > CELL_W {
            // Too long for half a line (a long dose as written): a line of its own, wrapped.
            flush(&mut row, &mut out);
            out.extend(wrap_after(INDENT, &c, WIDTH, "      "));
            continue;
        }
        row.push(c);
        if row.len() == 2 {
            flush(&mut row, &mut out);
        }
    }
    flush(&mut row, &mut out);
    for n in notes {
        out.extend(wrap_after(&format!("{INDENT}* "), &n, WIDTH, "      "));
    }
    out
}

/// The PRN lines: the order's state now, its doses in the window, lines to write on.
fn prn_lines(order: &Order, p: &Patient<'_>, from: DateTime<Utc>, to: DateTime<Utc>, tz: Tz) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((_, status, _)) = p.mar.prn.iter().find(|(id, _, _)| *id == order.id) {
        out.extend(wrap_after(INDENT, &format!("Now: {}", inert(&status.text(tz))), WIDTH, "      "));
    }
    let gone = crate::domain::mar::corrected(&p.mar.administrations);
    let given: Vec<String> = p
        .mar
        .administrations
        .iter()
        .filter(|a| a.order_id == order.id && from <= a.at && a.at < to && !gone.contains(&a.id))
        .map(|a| {
            let score = a.trigger.and_then(|t| t.1).map_or(String::new(), |t| format!(" (score {t})"));
            format!("{} {}{score} {}", clock(a.at, tz), inert(&a.text()), inert(&initials(&a.by)))
        })
        .collect();
    if !given.is_empty() {
        out.extend(wrap_after(INDENT, &format!("In this window: {}", given.join("; ")), WIDTH, "      "));
    }
    for _ in 0..PRN_LINES {
        out.push(format!("{INDENT}[__:__] score ____ dose ________ route ___ init ___ reassess __:__"));
    }
    out
}

/// The whole record, for the window `[from, to)`.
pub fn render(
    ward: &Ward,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    patients: &[Patient<'_>],
    now: DateTime<Utc>,
    printed_by: &str,
) -> String {
    let tz = ward.tz;
    let hours = (to - from).num_hours();
    let mut out = format!(
        "MEDICATION ADMINISTRATION RECORD (DOWNTIME) - {}\nDoses due {} to {} ({}), {hours} h\nPrinted {} by {}\n",
        inert(&ward.name),
        local(from, tz),
        local(to, tz),
        tz.name(),
        local(now, tz),
        inert(printed_by)
    );
    if ward.is_demo {
        out.push_str("DEMO WARD: every patient is fictitious.\n");
    }
    for l in wrap(
        "Each dose: its time and dose as ordered, then what was recorded (time, initials) or a box to fill: \
         [time, G given / H held / R refused / O omitted, initials]. LATE: past its time, nothing recorded. \
         Identify the patient by two identifiers before every dose; ask each hold value before giving.",
        WIDTH,
    ) {
        out.push_str(&l);
        out.push('\n');
    }
    for p in patients {
        let o = p.occupant;
        out.push_str(&"=".repeat(WIDTH));
        out.push('\n');
        let who = format!(
            "BED {} - {} - DOB {} - MRN {}",
            inert(p.bed),
            inert(&o.name),
            o.birth_date.format("%Y-%m-%d"),
            inert(&o.mrn)
        );
        for l in wrap(&who, WIDTH) {
            out.push_str(&l);
            out.push('\n');
        }
        let allergies = if o.allergies.trim().is_empty() { "none recorded".to_string() } else { inert(&o.allergies) };
        for l in wrap_after("Allergies: ", &allergies, WIDTH, "           ") {
            out.push_str(&l);
            out.push('\n');
        }
        let orders: Vec<&Order> =
            p.mar.orders.iter().filter(|ord| ord.stop.as_ref().is_none_or(|s| s.stopped_at > from)).collect();
        if orders.is_empty() {
            out.push_str("  No medication orders.\n");
        }
        for (n, ord) in orders.iter().enumerate() {
            out.push_str(&"-".repeat(WIDTH));
            out.push('\n');
            for l in wrap_after(&format!("{}. ", n + 1), &inert(&ord.summary()), WIDTH, "   ") {
                out.push_str(&l);
                out.push('\n');
            }
            let mut facts = Vec::new();
            if !ord.holds.is_empty() {
                facts.push(ord.holds.text().to_uppercase());
            }
            facts.push(format!(
                "{}, {} {}{}",
                inert(&ord.prescriber),
                ord.mode.as_db(),
                local(ord.ordered_at, tz),
                if ord.read_back { ", read back" } else { "" }
            ));
            if let Some(note) = &ord.note {
                facts.push(inert(note));
            }
            if let Some(s) = &ord.stop {
                facts.push(format!(
                    "DISCONTINUED {} by {}: {}",
                    local(s.stopped_at, tz),
                    inert(&s.by),
                    inert(&s.reason)
                ));
            }
            for l in wrap_after("   ", &facts.join(" | "), WIDTH, "   ") {
                out.push_str(&l);
                out.push('\n');
            }
            let lines = if ord.prn().is_some() {
                prn_lines(ord, p, from, to, tz)
            } else {
                grid(ord, &p.mar.administrations, from, to, now, tz)
            };
            for l in lines {
                out.push_str(&l);
                out.push('\n');
            }
        }
    }
    if patients.is_empty() {
        out.push_str(&"=".repeat(WIDTH));
        out.push_str("\nNo patients on the ward.\n");
    }
    close(&mut out);
    out
}
