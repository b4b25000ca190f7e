//! The ward's I-PASS handoff sheet for paper: one block per patient, 80 columns.
use chrono::{DateTime, Utc};

use super::{GLUE, wrap};
use crate::domain::handoff::{PatientHandoff, Status, progress};
use crate::domain::shift::{ShiftWindow, describe};
use crate::domain::text::inert;
use crate::domain::time::{local, local_short};
use crate::domain::ward::Ward;

pub const WIDTH: usize = 80;

fn block(out: &mut String, label: &str, text: &str) {
    // Typed lines stay lines (issue 20: the summary and contingencies are multi-line); each is
    // wrapped on its own, under the label. Blank lines between them are kept, not at the ends.
    let lines: Vec<String> = text
        .trim()
        .split('\n')
        .flat_map(|l| {
            let w = wrap(&inert(l), WIDTH - label.len());
            if w.is_empty() { vec![String::new()] } else { w }
        })
        .collect();
    let lines = if lines.iter().all(String::is_empty) { Vec::new() } else { lines };
    if lines.is_empty() {
        out.push_str(label.trim_end());
        out.push('\n');
    }
    for (i, l) in lines.iter().enumerate() {
        if l.is_empty() {
            out.push('\n');
            continue;
        }
        out.push_str(if i == 0 { label } else { &"                    "[..label.len().min(20)] });
        out.push_str(l);
        out.push('\n');
    }
}

pub fn render(
    ward: &Ward,
    shift: &ShiftWindow,
    next: &ShiftWindow,
    patients: &[PatientHandoff],
    now: DateTime<Utc>,
    printed_by: &str,
) -> String {
    let tz = ward.tz;
    let (done, total) = progress(patients);
    let mut out = format!(
        "I-PASS HANDOFF - {}\nShift: {} -> {}\nPrinted {} ({}) by {}\n{done} of {total} patients accepted\n",
        inert(&ward.name),
        describe(shift, tz),
        next.name,
        local(now, tz),
        tz.name(),
        inert(printed_by)
    );
    if ward.is_demo {
        out.push_str("DEMO WARD: every patient is fictitious.\n");
    }
    for p in patients {
        let r = &p.records;
        out.push_str(&"=".repeat(WIDTH));
        out.push('\n');
        block(&mut out, "", &format!("BED {} - {} - {}", r.bed, r.name, r.header));
        block(
            &mut out,
            "",
            &format!(
                "Allergies: {} | Precautions: {}",
                r.allergies,
                if r.precautions.is_empty() { "none" } else { &r.precautions }
            ),
        );
        // Issue 16: the risk screens, BAL/UDS on arrival, the admission assessment's state.
        for (i, line) in r.risk.iter().enumerate() {
            block(&mut out, if i == 0 { "   Risk:     " } else { "             " }, line);
        }
        let sev = r.this_shift.as_ref().map_or("NOT PREPARED".to_string(), |h| h.severity.code().to_uppercase());
        block(&mut out, "I  Severity: ", &sev);
        let summary = r.this_shift.as_ref().map_or("-".to_string(), |h| h.summary.clone());
        block(&mut out, "P  Summary:  ", &summary);
        block(&mut out, "   Scores:   ", &format!("{}; {}; {}", p.trend, p.last, p.next_due));
        block(
            &mut out,
            "   PRNs:     ",
            &if p.prns.is_empty() { "none this shift".to_string() } else { p.prns.join("; ") },
        );
        block(
            &mut out,
            "   Meds:     ",
            &if p.meds.is_empty() { "none recorded this shift".to_string() } else { p.meds.join("; ") },
        );
        for c in &p.calls {
            block(&mut out, "   Call:     ", c);
        }
        for e in &p.events {
            block(&mut out, "   EMERGENCY:", &format!(" {e}"));
        }
        for o in &p.prompts {
            block(&mut out, "   ", o);
        }
        block(
            &mut out,
            "   Notes:    ",
            &if p.notes.is_empty() { "none this shift".to_string() } else { p.notes.join("; ") },
        );
        if let Some(obs) = &r.observation_note {
            block(&mut out, "   Obs:      ", obs);
        }
        for change in &r.changes {
            block(&mut out, "   ", change);
        }
        for note in &r.plan_notes {
            block(&mut out, "   ", note);
        }
        if r.open_items.is_empty() {
            block(&mut out, "A  Actions:  ", "none open");
        }
        for (i, item) in r.open_items.iter().enumerate() {
            let label = if i == 0 { "A  Actions:  " } else { "             " };
            let overdue = if item.due_at <= now { " OVERDUE" } else { "" };
            block(
                &mut out,
                label,
                &format!(
                    // The box is glued to the item's first word: it never ends a line alone.
                    "[{GLUE}]{GLUE}{} (owner {}, due {}{overdue})",
                    item.what,
                    item.owner,
                    local_short(item.due_at, now, tz)
                ),
            );
        }
        let situation =
            r.this_shift.as_ref().map(|h| h.situation.clone()).filter(|s| !s.is_empty()).unwrap_or("-".into());
        block(&mut out, "S  If/then:  ", &situation);
        let synthesis = match (&p.status, r.this_shift.as_ref().and_then(|h| h.accepted.as_ref())) {
            (Status::Accepted, Some(a)) => {
                let in_place = a
                    .in_place_of
                    .as_ref()
                    .map_or(String::new(), |n| format!(" (accepted in place of {n}, who was assigned)"));
                format!("accepted by {} at {}{in_place}: {}", a.by, local_short(a.at, now, tz), a.synthesis)
            }
            _ => "Received by: ______________________  Time: ________".to_string(),
        };
        block(&mut out, "S  Receiver: ", &synthesis);
        if let Some(n) = &r.next_nurse {
            block(&mut out, "   Next:     ", n);
        }
    }
    super::close(&mut out);
    out
}
