//! The dialogs that change a stay: admit, transfer, level of care, observation, allergies,
//! precautions and code status, discharge, a PRN dose. Each builds its form; on submit it is
//! validated in `domain` into a [`StayChange`], which the runner writes.
use chrono::{DateTime, Utc};

use chrono_tz::Tz;

use crate::domain::prn::Prn;
use crate::domain::stay::{
    Admission, AdmissionForm, CodeStatus, Discharge, DischargeType, Protocol, SafetyFact, Sex, validate_discharge,
};
use crate::domain::time::TimeRule;
use crate::store::{Store, StoreError};
use crate::tui::component::{Cmd, Ctx, Write};
use crate::tui::screens::dialog::{Dialog, DialogKind};
use crate::tui::widgets::form::{Field, Form};

fn pairs(v: impl IntoIterator<Item = (String, String)>) -> Vec<(String, String)> {
    v.into_iter().collect()
}

pub fn admit(store: &Store, bed: &str, bed_id: i64) -> Result<Dialog, StoreError> {
    let levels =
        pairs(store.levels_of_care()?.into_iter().map(|c| (c.code.clone(), format!("{} (ASAM {})", c.name, c.code))));
    let obs =
        pairs(store.observation_levels()?.into_iter().map(|c| (c.code.clone(), format!("{} ({})", c.name, c.code))));
    let fields = vec![
        Field::text("Name", "Full name as on the ID band"),
        Field::text("Date of birth", "YYYY-MM-DD"),
        Field::choice(
            "Sex",
            "←/→ or a letter",
            Sex::ALL.iter().map(|s| (s.code().to_string(), s.label().to_string())).collect(),
        ),
        Field::text("MRN", "Medical record number; a known MRN re-admits that patient"),
        Field::time("Admitted at", "now, -15m, 08:30 or YYYY-MM-DD HH:MM (ward time)", TimeRule::Charted),
        Field::choice("Level of care", "ASAM level", levels),
        Field::text("Substances", "e.g. alcohol, opioids (fentanyl)"),
        Field::text("Last use", "as the patient reports it, e.g. 2026-11-24 22:00, or unknown"),
        Field::text("Allergies", "type NKDA if none known"),
        Field::text("Precautions", "any of: seizure, fall, elopement, suicide, aggression, isolation"),
        Field::text("Attending", "Responsible physician"),
        Field::choice(
            "Code status",
            "",
            CodeStatus::ALL.iter().map(|c| (c.code().to_string(), c.code().to_string())).collect(),
        ),
        Field::choice(
            "Protocol",
            "Withdrawal scale",
            Protocol::ALL.iter().map(|p| (p.code().to_string(), p.label().to_string())).collect(),
        ),
        Field::choice("Observation", "Safety-check level", obs),
    ];
    let mut form = Form::new(format!("Admit to bed {bed}"), fields).with_verb("admit");
    form.intro = vec!["Every field is required; nothing is filled in for you.".into()];
    Ok(Dialog { kind: DialogKind::Admit { bed_id }, form })
}

pub fn transfer(store: &Store, stay_id: i64, patient: &str, from_bed: &str, empty_beds: &[(i64, String)]) -> Dialog {
    let _ = store;
    let beds = empty_beds.iter().map(|(id, l)| (id.to_string(), format!("bed {l}"))).collect();
    let mut form = Form::new(format!("Transfer {patient}"), vec![Field::choice("To bed", "Empty beds only", beds)])
        .with_verb("transfer");
    form.intro = vec![format!("Now in bed {from_bed}.")];
    Dialog { kind: DialogKind::Transfer { stay_id }, form }
}

pub fn level_of_care(store: &Store, stay_id: i64, patient: &str, current: &str) -> Result<Dialog, StoreError> {
    let levels =
        pairs(store.levels_of_care()?.into_iter().map(|c| (c.code.clone(), format!("{} (ASAM {})", c.name, c.code))));
    let mut form = Form::new(format!("Level of care: {patient}"), vec![Field::choice("New level", "", levels)])
        .with_verb("change level");
    form.intro = vec![format!("Now {current}.")];
    Ok(Dialog { kind: DialogKind::LevelOfCare { stay_id }, form })
}

pub fn observation(store: &Store, stay_id: i64, patient: &str, current: &str) -> Result<Dialog, StoreError> {
    let obs =
        pairs(store.observation_levels()?.into_iter().map(|c| (c.code.clone(), format!("{} ({})", c.name, c.code))));
    let mut form = Form::new(format!("Observation level: {patient}"), vec![Field::choice("New level", "", obs)])
        .with_verb("change level");
    form.intro = vec![format!("Now {current}.")];
    Ok(Dialog { kind: DialogKind::Observation { stay_id }, form })
}

/// Change a safety fact: which one, its new value (typed whole, never pre-filled), and why.
pub fn safety_fact(stay_id: i64, patient: &str, allergies: &str, precautions: &str, code_status: &str) -> Dialog {
    let facts = SafetyFact::ALL.iter().map(|f| (f.code().to_string(), f.label().to_string())).collect();
    let fields = vec![
        Field::choice("Change", "←/→: allergies, precautions or code status", facts),
        Field::text("New value", "the whole new list (NKDA if none) or code status"),
        Field::text("Why", "source: patient, pharmacy, family, provider order, ..."),
    ];
    let mut form = Form::new(format!("Change: {patient}"), fields).with_verb("record change");
    let precautions = if precautions.is_empty() { "none" } else { precautions };
    form.intro = vec![
        format!("Now: allergies {allergies} · precautions {precautions} · {code_status}"),
        format!("Code status: one of {}.", CodeStatus::ALL.map(CodeStatus::code).join(", ")),
    ];
    Dialog { kind: DialogKind::SafetyFact { stay_id }, form }
}

pub fn discharge(stay_id: i64, patient: &str, admitted_at: DateTime<Utc>) -> Dialog {
    let types = DischargeType::ALL.iter().map(|d| (d.code().to_string(), d.label().to_string())).collect();
    let fields = vec![
        Field::choice("Type", "", types),
        Field::time("Discharged at", "now, -15m, 08:30 or YYYY-MM-DD HH:MM (ward time)", TimeRule::Charted),
        Field::text("Aftercare", "Outpatient referral, support groups, relapse-prevention plan"),
    ];
    let mut form = Form::new(format!("Discharge {patient}"), fields).with_verb("discharge");
    form.intro = vec!["The patient leaves the board; the record stays.".into()];
    Dialog { kind: DialogKind::Discharge { stay_id, admitted_at }, form }
}

pub fn prn(stay_id: i64, patient: &str) -> Dialog {
    let routes = crate::domain::prn::ROUTES.iter().map(|r| (r.to_string(), r.to_string())).collect();
    let fields = vec![
        Field::text("Medication", "as on the patient's PRN order"),
        Field::text("Dose", "amount and unit as ordered, e.g. 2 mg"),
        Field::choice("Route", "", routes),
        Field::time("Given at", "now, -15m, 08:30 or YYYY-MM-DD HH:MM (ward time)", TimeRule::Charted),
    ];
    let mut form = Form::new(format!("PRN given: {patient}"), fields).with_verb("record dose");
    form.intro = vec!["Drug and dose come from the patient's order; wardterm suggests none.".into()];
    Dialog { kind: DialogKind::Prn { stay_id }, form }
}

/// A change of a stay that a stay form asks for, validated: the runner writes it
/// (`runner.rs`), the one door.
#[derive(Clone, Debug, PartialEq)]
pub enum StayChange {
    Admit { bed_id: i64, admission: Admission },
    Transfer { stay_id: i64, to_bed: i64 },
    LevelOfCare { stay_id: i64, code: String },
    Observation { stay_id: i64, code: String },
    SafetyFact { stay_id: i64, fact: SafetyFact, value: String, why: String },
    Discharge { stay_id: i64, discharge: Discharge },
    Prn { stay_id: i64, prn: Prn },
}

impl StayChange {
    /// What the nurse is told once it is written.
    pub fn done_message(&self) -> String {
        match self {
            StayChange::Admit { admission, .. } => format!("Admitted {}.", admission.name),
            StayChange::Transfer { .. } => "Transferred.".into(),
            StayChange::LevelOfCare { code, .. } => format!("Level of care now {code}."),
            StayChange::Observation { code, .. } => format!("Observation now {code}."),
            StayChange::SafetyFact { fact, .. } => {
                format!("{} changed; the timeline and the handoff show it.", fact.label())
            }
            StayChange::Discharge { discharge, .. } => format!("Discharged ({}).", discharge.kind.label()),
            StayChange::Prn { prn, .. } => format!(
                "PRN recorded: {} {} {}. The reassessment it calls for shows as next due.",
                prn.medication, prn.dose, prn.route
            ),
        }
    }
}

/// A stay form's submit, validated (the store is read for the unit's levels): the write to
/// make, `Err` to keep the dialog open with the message, `None` for a dialog that is not a stay
/// form.
pub fn validate(d: &Dialog, store: &Store, tz: Tz, now: DateTime<Utc>) -> Option<Result<StayChange, String>> {
    let v = |i| d.form.value(i);
    let err = |e: StoreError| e.to_string();
    Some(match &d.kind {
        DialogKind::Admit { bed_id } => (|| {
            let f = AdmissionForm {
                name: v(0),
                birth_date: v(1),
                sex: v(2),
                mrn: v(3),
                admitted_at: v(4),
                level_of_care: v(5),
                substances: v(6),
                last_use: v(7),
                allergies: v(8),
                precautions: v(9),
                attending: v(10),
                code_status: v(11),
                protocol: v(12),
                observation: v(13),
            };
            let levels: Vec<String> = store.levels_of_care().map_err(err)?.into_iter().map(|c| c.code).collect();
            let obs: Vec<String> = store.observation_levels().map_err(err)?.into_iter().map(|c| c.code).collect();
            let admission = f.validate(now, tz, &levels, &obs)?;
            Ok(StayChange::Admit { bed_id: *bed_id, admission })
        })(),
        DialogKind::Transfer { stay_id } => v(0)
            .parse()
            .map(|to_bed| StayChange::Transfer { stay_id: *stay_id, to_bed })
            .map_err(|_| "To bed: choose an empty bed".to_string()),
        DialogKind::LevelOfCare { stay_id } => match v(0) {
            code if code.is_empty() => Err("New level: choose one with ←/→".into()),
            code => Ok(StayChange::LevelOfCare { stay_id: *stay_id, code }),
        },
        DialogKind::Observation { stay_id } => match v(0) {
            code if code.is_empty() => Err("New level: choose one with ←/→".into()),
            code => Ok(StayChange::Observation { stay_id: *stay_id, code }),
        },
        DialogKind::SafetyFact { stay_id } => SafetyFact::from_code(&v(0))
            .ok_or_else(|| "Change: choose one with ←/→".to_string())
            .map(|fact| StayChange::SafetyFact { stay_id: *stay_id, fact, value: v(1), why: v(2) }),
        DialogKind::Discharge { stay_id, admitted_at } => {
            validate_discharge(&v(0), &v(1), &v(2), *admitted_at, now, tz)
                .map(|discharge| StayChange::Discharge { stay_id: *stay_id, discharge })
        }
        DialogKind::Prn { stay_id } => crate::domain::prn::validate(&v(0), &v(1), &v(2), &v(3), now, tz)
            .map(|prn| StayChange::Prn { stay_id: *stay_id, prn }),
        _ => return None,
    })
}

/// A stay form's submit as a screen answers it: the write, or the message that keeps it open.
pub fn answer(d: &Dialog, ctx: &Ctx<'_>) -> Option<Result<Cmd, String>> {
    validate(d, ctx.store, ctx.tz, ctx.now)
        .map(|r| r.map(|change| Cmd::Write(Write::StayChange { change, dialog: d.clone() })))
}

/// The result of a stay change, for the screen that asked: its message, or the dialog again as
/// the nurse filled it in, with why the store refused.
pub fn changed(result: Result<String, String>, mut dialog: Dialog) -> Cmd {
    match result {
        Ok(message) => Cmd::tell(message),
        Err(e) => {
            dialog.form.error = Some(e);
            Cmd::Dialog(dialog)
        }
    }
}
