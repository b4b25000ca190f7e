//! `wardterm init --demo --beds N --years N`: generate a big fictitious ward, with progress and
//! the elapsed time on stderr and a summary on stdout.
use std::time::Instant;

use chrono::Utc;

use super::Failure;
use crate::generate::{self, Plan};
use crate::store::Store;

pub fn generate(store: &mut Store, beds: u32, years: u32) -> Result<(), Failure> {
    let clock = Instant::now();
    eprintln!("Generating a {beds}-bed demo ward with {years} years of history into {}", store.path().display());
    let plan = Plan::new(beds, years, Utc::now());
    let s = generate::build(store, &plan, &mut |line| eprintln!("  {line}"))?;
    let secs = clock.elapsed().as_secs_f64();
    let size = std::fs::metadata(store.path()).map(|m| m.len()).unwrap_or(0);
    println!(
        "Demo ward generated in {secs:.1} s: {} stays ({} open), {} patients, {} assessments ({} items), {} PRN doses, \
         {} medication orders ({} administrations, PRNs included), {} vital-sign sets, {} notes and {} addenda, {} handoffs ({} action items), {} observation checks, {} stay events, {} audit rows, {} accounts; {:.0} MB",
        s.stays,
        s.open_stays,
        s.patients,
        s.assessments,
        s.items,
        s.prns,
        s.orders,
        s.administrations,
        s.vital_signs,
        s.notes,
        s.addenda,
        s.handoffs,
        s.action_items,
        s.obs_checks,
        s.stay_events,
        s.audit,
        s.users,
        size as f64 / 1e6
    );
    if let Some((stay, n)) = s.longest_open_stay {
        println!("The longest open stay is stay {stay}, with {n} assessments.");
    }
    Ok(())
}
