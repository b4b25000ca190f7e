//! The audit trail as a printout (`wardterm audit`).
use chrono::{DateTime, Utc};

use super::wrap;
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
        let line = format!(
            "{} {:<12} {:<20} {} {}",
            local(r.at, ward.tz),
            inert(&r.user),
            inert(&r.action),
            inert(&r.patient),
            inert(&r.detail)
        );
        // Keep the columns of the first 80 characters; wrap only what runs past them.
        let first: String = line.chars().take(80).collect();
        out.push_str(first.trim_end());
        out.push('\n');
        let rest: String = line.chars().skip(80).collect();
        for l in wrap(&rest, 76) {
            out.push_str("    ");
            out.push_str(&l);
            out.push('\n');
        }
    }
    super::close(&mut out);
    out
}
