//! Aftercare readiness: the checklist built before discharge, and its progress.
use chrono::{DateTime, Utc};

/// The items of the checklist, in the order they are shown and keyed (1-6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Item {
    Outpatient,
    SupportGroup,
    RelapsePlan,
    HousingTransport,
    Medications,
    EmergencyContacts,
}

impl Item {
    pub const ALL: [Item; 6] = [
        Item::Outpatient,
        Item::SupportGroup,
        Item::RelapsePlan,
        Item::HousingTransport,
        Item::Medications,
        Item::EmergencyContacts,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Item::Outpatient => "outpatient",
            Item::SupportGroup => "support_group",
            Item::RelapsePlan => "relapse_plan",
            Item::HousingTransport => "housing_transport",
            Item::Medications => "medications",
            Item::EmergencyContacts => "emergency_contacts",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Item::Outpatient => "Outpatient appointment booked",
            Item::SupportGroup => "Support group chosen",
            Item::RelapsePlan => "Relapse-prevention plan written",
            Item::HousingTransport => "Housing and transport",
            Item::Medications => "Medications and prescriptions",
            Item::EmergencyContacts => "Emergency contacts",
        }
    }

    /// A short name for lists and warnings.
    pub fn short(self) -> &'static str {
        match self {
            Item::Outpatient => "outpatient appt",
            Item::SupportGroup => "support group",
            Item::RelapsePlan => "relapse plan",
            Item::HousingTransport => "housing/transport",
            Item::Medications => "meds/scripts",
            Item::EmergencyContacts => "emergency contacts",
        }
    }

    pub fn from_code(s: &str) -> Option<Item> {
        Item::ALL.into_iter().find(|i| i.code() == s)
    }
}

/// The latest mark of one item: done or not, by whom, when.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub done: bool,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A stay's checklist: each item with its latest mark (none = never touched, i.e. open).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Checklist {
    pub marks: Vec<(Item, Option<Mark>)>,
}

impl Checklist {
    pub fn done(&self, item: Item) -> bool {
        self.marks.iter().any(|(i, m)| *i == item && m.as_ref().is_some_and(|m| m.done))
    }

    /// (done, total)
    pub fn progress(&self) -> (u8, u8) {
        (Item::ALL.iter().filter(|i| self.done(**i)).count() as u8, Item::ALL.len() as u8)
    }

    pub fn open(&self) -> Vec<Item> {
        Item::ALL.into_iter().filter(|i| !self.done(*i)).collect()
    }
}

/// "3 of 6 done": the one way aftercare progress is written (a "3/6" reads as a date).
pub fn done_of((done, total): (u8, u8)) -> String {
    format!("{done} of {total} done")
}

/// "outpatient appt, relapse plan" — what is still open, for warnings and the handoff.
pub fn open_text(open: &[Item]) -> String {
    open.iter().map(|i| i.short()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_counts_the_latest_marks() {
        let m = |done| Some(Mark { done, by: "A".into(), at: DateTime::<Utc>::default() });
        let c = Checklist {
            marks: vec![(Item::Outpatient, m(true)), (Item::SupportGroup, m(false)), (Item::RelapsePlan, None)],
        };
        assert_eq!(c.progress(), (1, 6));
        assert_eq!(done_of(c.progress()), "1 of 6 done");
        assert_eq!(c.open().len(), 5);
        assert!(open_text(&c.open()).starts_with("support group, relapse plan"));
        for i in Item::ALL {
            assert_eq!(Item::from_code(i.code()), Some(i));
        }
    }
}
