//! A nurse's unsigned drafts as the ward reads them: which patients they are for, how many on
//! each bed, and the reminder at sign-in that names them (issue 20, point 11).
//!
//! "Mine" is the store's rule (`store::notes::MY_DRAFTS_SQL`): a note or addendum whose author is
//! the signed-in nurse and that is not signed. A draft is visible to its author only, so the
//! board's mark and the reminder are per nurse.
use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::text::count;

/// One of the signed-in nurse's unsigned drafts, with whose it is.
#[derive(Clone, Debug, PartialEq)]
pub struct MyDraft {
    pub note_id: i64,
    pub stay_id: i64,
    /// An addendum to a signed note (else a progress note).
    pub addendum: bool,
    pub saved_at: DateTime<Utc>,
    pub patient: String,
    /// The bed while the stay is open; `None` once the patient is discharged.
    pub bed: Option<String>,
}

/// The drafts of one stay, in the order the store read them (open beds in bed order first).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct StayDrafts {
    pub notes: usize,
    pub addenda: usize,
}

impl StayDrafts {
    pub fn total(&self) -> usize {
        self.notes + self.addenda
    }

    /// "progress note", "2 progress notes, addendum".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        match self.notes {
            0 => {}
            1 => parts.push("progress note".to_string()),
            n => parts.push(format!("{n} progress notes")),
        }
        match self.addenda {
            0 => {}
            1 => parts.push("addendum".to_string()),
            n => parts.push(format!("{n} addenda")),
        }
        parts.join(", ")
    }
}

/// How many drafts of each kind each stay has.
pub fn by_stay(drafts: &[MyDraft]) -> HashMap<i64, StayDrafts> {
    let mut out: HashMap<i64, StayDrafts> = HashMap::new();
    for d in drafts {
        let e = out.entry(d.stay_id).or_default();
        if d.addendum {
            e.addenda += 1;
        } else {
            e.notes += 1;
        }
    }
    out
}

/// The reminder at sign-in: "2 unsigned drafts: bed 3 Aisha Rahman (progress note), bed 7 Kevin
/// Brooks (addendum); ..." naming every patient that fits in `budget` characters, then "+N more
/// patients" (the board marks every bed with a draft). `None` when there is no draft.
pub fn reminder(drafts: &[MyDraft], budget: usize) -> Option<String> {
    if drafts.is_empty() {
        return None;
    }
    // One entry per stay, in the store's order.
    let mut stays: Vec<(i64, &MyDraft)> = Vec::new();
    for d in drafts {
        if !stays.iter().any(|(s, _)| *s == d.stay_id) {
            stays.push((d.stay_id, d));
        }
    }
    let kinds = by_stay(drafts);
    let head = format!("{}: ", count(drafts.len(), "unsigned draft", "unsigned drafts"));
    let any_addendum = drafts.iter().any(|d| d.addendum);
    let tail = if any_addendum {
        "; n on the bed resumes a note, a on the note in the timeline (v) its addendum."
    } else {
        "; press n on the bed to resume."
    };
    let names: Vec<String> = stays
        .iter()
        .map(|(stay, d)| {
            let who = match &d.bed {
                Some(bed) => format!("bed {bed} {}", d.patient),
                None => format!("{} (discharged)", d.patient),
            };
            format!("{who} ({})", kinds.get(stay).map(StayDrafts::describe).unwrap_or_default())
        })
        .collect();
    let len = |s: &str| s.chars().count();
    let mut shown: Vec<&str> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let rest = names.len() - i - 1;
        let more = more_patients(rest);
        let body: usize = shown.iter().map(|s| len(s) + 2).sum::<usize>() + len(name);
        // The first patient is always named; a later one only with room for what follows it.
        if !shown.is_empty() && len(&head) + body + len(&more) + len(tail) > budget {
            break;
        }
        shown.push(name);
    }
    let hidden = names.len() - shown.len();
    let more = more_patients(hidden);
    Some(format!("{head}{}{more}{tail}", shown.join(", ")))
}

/// ", +2 more patients" (nothing when none is left).
fn more_patients(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => ", +1 more patient".into(),
        n => format!(", +{n} more patients"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(id: i64, stay: i64, addendum: bool, patient: &str, bed: Option<&str>) -> MyDraft {
        MyDraft {
            note_id: id,
            stay_id: stay,
            addendum,
            saved_at: DateTime::UNIX_EPOCH,
            patient: patient.into(),
            bed: bed.map(str::to_string),
        }
    }

    #[test]
    fn the_reminder_names_each_patient_once_with_what_is_waiting() {
        assert_eq!(reminder(&[], 200), None);
        let one = [d(1, 3, false, "Aisha Rahman", Some("3"))];
        assert_eq!(
            reminder(&one, 200).unwrap(),
            "1 unsigned draft: bed 3 Aisha Rahman (progress note); press n on the bed to resume."
        );
        let two = [d(1, 3, false, "Aisha Rahman", Some("3")), d(2, 3, true, "Aisha Rahman", Some("3"))];
        let r = reminder(&two, 300).unwrap();
        assert!(r.starts_with("2 unsigned drafts: bed 3 Aisha Rahman (progress note, addendum);"), "{r}");
        assert!(r.contains("timeline (v)"), "{r}");
        let gone = [d(1, 9, false, "Kevin Brooks", None)];
        assert!(reminder(&gone, 300).unwrap().contains("Kevin Brooks (discharged) (progress note)"));
    }

    #[test]
    fn what_does_not_fit_is_counted_never_dropped() {
        let many: Vec<MyDraft> =
            (0..6).map(|i| d(i, i, false, &format!("Patient Number {i}"), Some(&i.to_string()))).collect();
        let r = reminder(&many, 156).unwrap();
        assert!(r.chars().count() <= 156, "{r}");
        assert!(r.starts_with("6 unsigned drafts: bed 0 Patient Number 0 (progress note)"), "{r}");
        let named = (0..6).filter(|i| r.contains(&format!("Number {i}"))).count();
        assert!(r.contains(&format!(", +{} more patients;", 6 - named)), "{r}");
        // A tiny budget still names the first patient.
        assert!(reminder(&many, 10).unwrap().contains("Patient Number 0"));
    }

    #[test]
    fn counts_by_stay_and_kind() {
        let all = [d(1, 3, false, "A", Some("3")), d(2, 3, true, "A", Some("3")), d(3, 4, false, "B", Some("4"))];
        let m = by_stay(&all);
        assert_eq!(m[&3].total(), 2);
        assert_eq!(m[&3].describe(), "progress note, addendum");
        assert_eq!(m[&4], StayDrafts { notes: 1, addenda: 0 });
    }
}
