//! Emergencies charted as they happen (issue 17 point 5): a seizure, a fall, a suspected overdose
//! (naloxone: dose, route, time, response), a rapid-response or code call, each with its times,
//! the actions taken, who was called and the outcome; and the follow-up each prompts from the
//! unit's settings (a Morse screen after a fall, vitals every N minutes after naloxone).
use chrono::{DateTime, Duration, Utc};

use super::text::required_line;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    Seizure,
    Fall,
    Overdose,
    RapidResponse,
    Code,
}

impl EventKind {
    pub const ALL: [EventKind; 5] =
        [EventKind::Seizure, EventKind::Fall, EventKind::Overdose, EventKind::RapidResponse, EventKind::Code];

    /// The database's word (`clinical_event.kind`).
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Seizure => "seizure",
            EventKind::Fall => "fall",
            EventKind::Overdose => "overdose",
            EventKind::RapidResponse => "rapid response",
            EventKind::Code => "code",
        }
    }

    pub fn from_code(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.code() == s)
    }

    /// How the screen names it.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Seizure => "Seizure",
            EventKind::Fall => "Fall",
            EventKind::Overdose => "Suspected overdose",
            EventKind::RapidResponse => "Rapid response call",
            EventKind::Code => "Code",
        }
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Naloxone routes the schema knows (`clinical_event.naloxone_route`): intranasal,
/// intramuscular, intravenous, subcutaneous.
pub const NALOXONE_ROUTES: [&str; 4] = ["IN", "IM", "IV", "SC"];

/// Naloxone given in a suspected overdose, as the nurse charts it (never proposed).
#[derive(Clone, Debug, PartialEq)]
pub struct Naloxone {
    /// As given, with units ("4 mg").
    pub dose: String,
    pub route: String,
    pub at: DateTime<Utc>,
    pub response: String,
}

/// An emergency as entered.
#[derive(Clone, Debug, PartialEq)]
pub struct NewEvent {
    pub stay_id: i64,
    pub kind: EventKind,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub actions: String,
    /// Who was called ("Dr Patel, rapid response team"), or "nobody".
    pub called: String,
    pub outcome: String,
    pub naloxone: Option<Naloxone>,
}

impl NewEvent {
    /// Every field the schema asks, checked with words the nurse understands.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), String> {
        let slack = Duration::minutes(1);
        if self.started_at > now + slack {
            return Err("Started: the time is in the future; an event is charted after it began".into());
        }
        if let Some(end) = self.ended_at {
            if end < self.started_at {
                return Err("Ended: before it started".into());
            }
            if end > now + slack {
                return Err("Ended: the time is in the future".into());
            }
        }
        required_line("Actions taken", &self.actions, 400)?;
        required_line("Who was called (or 'nobody')", &self.called, 120)?;
        required_line("Outcome", &self.outcome, 400)?;
        if let Some(n) = &self.naloxone {
            if self.kind != EventKind::Overdose {
                return Err(format!("Naloxone is charted with a suspected overdose, not a {}", self.kind.code()));
            }
            required_line("Naloxone dose", &n.dose, 40)?;
            if !NALOXONE_ROUTES.contains(&n.route.as_str()) {
                return Err(format!("Naloxone route: one of {}", NALOXONE_ROUTES.join(", ")));
            }
            if n.at < self.started_at {
                return Err("Naloxone time: before the event started".into());
            }
            if n.at > now + slack {
                return Err("Naloxone time: in the future".into());
            }
            required_line("Naloxone response", &n.response, 200)?;
        }
        Ok(())
    }
}

/// The unit's follow-up settings (`ward.naloxone_vitals_every_min`, `_for_min`; 0 turns it off).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FollowUpSettings {
    pub naloxone_vitals_every_min: u16,
    pub naloxone_vitals_for_min: u16,
}

/// A follow-up an event prompts: what, and when it is due.
#[derive(Clone, Debug, PartialEq)]
pub struct FollowUp {
    pub why: String,
    pub due_at: DateTime<Utc>,
}

/// What the event prompts, each due no earlier than `raised_at` (when it is recorded).
// TODO(clinical): the reference names no follow-up times. Chosen: after a fall, a Morse screen
// due at once (issue 16: Morse "after a fall"); after naloxone, vitals every N minutes for M
// minutes from the naloxone time as the unit set them (issue 17: "e.g. vitals every 15 minutes
// after naloxone"); a check whose time has already passed when the event is charted late is due
// at once (and says when it was due). Seizure, rapid response and code prompt nothing here: the
// unit has set no follow-up for them.
pub fn follow_ups(e: &NewEvent, s: &FollowUpSettings, raised_at: DateTime<Utc>) -> Vec<FollowUp> {
    let mut out = Vec::new();
    if e.kind == EventKind::Fall {
        out.push(FollowUp { why: "Morse Fall Scale after the fall".into(), due_at: raised_at.max(e.started_at) });
    }
    if let Some(n) = &e.naloxone {
        let (every, span) = (s.naloxone_vitals_every_min, s.naloxone_vitals_for_min);
        if every > 0 && span >= every {
            let count = span / every;
            for k in 1..=count {
                let at = n.at + Duration::minutes(i64::from(every) * i64::from(k));
                let why = if at < raised_at {
                    format!("vitals after naloxone ({k} of {count}, every {every} min for {span} min; was due earlier)")
                } else {
                    format!("vitals after naloxone ({k} of {count}, every {every} min for {span} min)")
                };
                out.push(FollowUp { why, due_at: at.max(raised_at) });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, h, m, 0).unwrap()
    }

    fn event(kind: EventKind) -> NewEvent {
        NewEvent {
            stay_id: 1,
            kind,
            started_at: at(3, 0),
            ended_at: Some(at(3, 10)),
            actions: "airway, recovery position".into(),
            called: "Dr Patel".into(),
            outcome: "awake, breathing".into(),
            naloxone: None,
        }
    }

    #[test]
    fn naloxone_only_with_an_overdose_and_every_field_needed() {
        let now = at(3, 20);
        let n = Naloxone { dose: "4 mg".into(), route: "IN".into(), at: at(3, 2), response: "RR 14 in 3 min".into() };
        let mut e = event(EventKind::Fall);
        e.naloxone = Some(n.clone());
        assert!(e.validate(now).unwrap_err().contains("suspected overdose"));
        e.kind = EventKind::Overdose;
        assert_eq!(e.validate(now), Ok(()));
        e.naloxone = Some(Naloxone { route: "PO".into(), ..n.clone() });
        assert!(e.validate(now).unwrap_err().contains("route"));
        e.naloxone = Some(Naloxone { at: at(2, 0), ..n });
        assert!(e.validate(now).unwrap_err().contains("before the event"));
        let mut e = event(EventKind::Seizure);
        e.outcome = "  ".into();
        assert!(e.validate(now).unwrap_err().contains("Outcome"));
        e.outcome = "ok".into();
        e.started_at = at(4, 0);
        assert!(e.validate(now).is_err(), "in the future");
    }

    #[test]
    fn follow_ups_from_the_unit_settings() {
        let s = FollowUpSettings { naloxone_vitals_every_min: 15, naloxone_vitals_for_min: 120 };
        let now = at(3, 20);
        let f = follow_ups(&event(EventKind::Fall), &s, now);
        assert_eq!(f, vec![FollowUp { why: "Morse Fall Scale after the fall".into(), due_at: now }]);
        assert!(follow_ups(&event(EventKind::Seizure), &s, now).is_empty());
        let mut e = event(EventKind::Overdose);
        assert!(follow_ups(&e, &s, now).is_empty(), "no naloxone, no vitals follow-up");
        e.naloxone = Some(Naloxone { dose: "4 mg".into(), route: "IN".into(), at: at(3, 0), response: "woke".into() });
        let f = follow_ups(&e, &s, now);
        assert_eq!(f.len(), 8);
        assert_eq!(f[0].due_at, now, "03:15 had passed when charted: due at once");
        assert!(f[0].why.contains("was due earlier"));
        assert_eq!(f[1].due_at, at(3, 30));
        assert_eq!(f[7].due_at, at(5, 0));
        let off = FollowUpSettings { naloxone_vitals_every_min: 0, naloxone_vitals_for_min: 120 };
        assert!(follow_ups(&e, &off, now).is_empty());
    }
}
