//! The audit trail as a printout (`wardterm audit`).
use chrono::{DateTime, Utc};

use super::wrap_after;
use crate::domain::text::inert;
use crate::domain::time::local;
use crate::domain::ward::Ward;
use crate::store::audit::AuditRow;

pub fn render(ward: &Ward, rows: &[AuditRow], filter: &str, now: DateTime<Utc>, printed_by: &str) -> String {
    let mut out = format!(
        "AUDIT TRAIL - {}\nPrinted {} ({}) by {}\nFilter: {}\n{}\n",
        inert(&ward.name),
        local(now, ward.tz),
        ward.tz.name(),
        inert(printed_by),
        inert(filter),
        "=".repeat(80)
    );
    if rows.is_empty() {
        out.push_str("No matching entries.\n");
    }
    for r in rows {
        // The time, user and action keep their columns; the patient and detail follow and wrap
        // on words under a four-space indent (the one rule of every printout: `report::wrap`).
        let lead = format!("{} {:<12} {:<20} ", local(r.at, ward.tz), inert(&r.user), inert(&r.action));
        let text = format!("{} {}", inert(&r.patient), inert(&r.detail));
        for l in wrap_after(&lead, &text, 80, "    ") {
            out.push_str(&l);
            out.push('\n');
        }
    }
    super::close(&mut out);
    out
}
