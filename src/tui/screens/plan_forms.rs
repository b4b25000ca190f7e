//! The dialogs of the stay beyond detox: attendance with a comment and a new session
//! (the schedule's), a new version of the treatment plan (the plan's), and the discharge
//! dialog's warning about aftercare still open, so a nurse sees it before the patient leaves.
use crate::domain::aftercare::{Item, done_of, open_text};
use crate::domain::plan::{Attendance, Modality, PlanVersion, Session};
use crate::domain::time::TimeRule;
use crate::store::Store;
use crate::tui::screens::dialog::{Dialog, DialogKind};
use crate::tui::screens::plan::WardPatient;
use crate::tui::widgets::form::{Field, Form};

/// Attendance at a session with a short comment (the status keys record one without).
pub fn attendance(session: &Session, p: &WardPatient) -> Dialog {
    let statuses = Attendance::ALL.iter().map(|a| (a.code().to_string(), a.label().to_string())).collect();
    let mut form = Form::new(
        format!("Attendance: {} · {}", p.name, session.title),
        vec![
            Field::choice("Status", "←/→ or a letter", statuses),
            Field::text("Comment", "short, e.g. left after 20 min: nausea"),
        ],
    )
    .with_verb("record");
    form.intro = vec!["Recording again keeps the earlier record.".into()];
    Dialog { kind: DialogKind::Attendance { session_id: session.id, stay_id: p.stay_id }, form }
}

/// A session on the schedule (the charge nurse's).
pub fn new_session() -> Dialog {
    let modalities = Modality::ALL.iter().map(|m| (m.code().to_string(), m.label().to_string())).collect();
    let mut form = Form::new(
        "New session",
        vec![
            Field::time("Starts", "08:30 (the next one), +2h or YYYY-MM-DD HH:MM (ward time)", TimeRule::Planned),
            Field::text("Minutes", "e.g. 60"),
            Field::choice("Modality", "←/→ or a letter", modalities),
            Field::text("Title", "e.g. Relapse prevention"),
            Field::text("Facilitator", "who runs it"),
            Field::text("Patients", "all, or bed labels: 1, 3, 7"),
        ],
    )
    .with_verb("add session");
    form.intro = vec!["A session may be planned ahead; attendance once it starts.".into()];
    Dialog { kind: DialogKind::NewSession, form }
}

/// A new version of the treatment plan, filled in from the current one (which stays readable).
pub fn plan_version(stay_id: i64, title: &str, current: Option<&PlanVersion>) -> Dialog {
    let text = |m: Modality| {
        current.and_then(|v| v.interventions.iter().find(|(x, _)| *x == m).map(|(_, d)| d.clone())).unwrap_or_default()
    };
    let mut fields = vec![
        Field::text("Problems", "e.g. alcohol use disorder, severe; insomnia")
            .with_text(current.map_or("", |v| &v.problems)),
        Field::text("Goals", "e.g. complete withdrawal safely; engage in groups")
            .with_text(current.map_or("", |v| &v.goals)),
    ];
    for m in Modality::ALL {
        fields.push(Field::text(m.label(), "intervention, or leave empty").with_text(&text(m)));
    }
    let mut form = Form::new(format!("Treatment plan: {title}"), fields).with_verb("save version");
    form.intro = vec![match current {
        Some(v) => format!("Saves version {}; version {} stays readable.", v.version + 1, v.version),
        None => "Saves version 1.".to_string(),
    }];
    Dialog { kind: DialogKind::PlanVersion { stay_id }, form }
}

/// The discharge dialog warns about aftercare items still open (it only reads; no warning when
/// the checklist cannot be read).
pub fn warn_open_aftercare(store: &Store, mut d: Dialog, stay_id: i64) -> Dialog {
    if let Ok(c) = store.aftercare(stay_id) {
        let open = c.open();
        if !open.is_empty() {
            let total = Item::ALL.len();
            d.form.intro.push(format!(
                "Aftercare still OPEN ({}): {}.",
                done_of((
                    u8::try_from(total.saturating_sub(open.len())).unwrap_or(0),
                    u8::try_from(total).unwrap_or(0)
                )),
                open_text(&open)
            ));
            d.form.intro.push("An AMA discharge records them in the stay's history.".into());
        }
    }
    d
}
