//! A modal form over a screen, and which change it asks for. The screen that opened it answers
//! its submit (`Component::on_dialog`); the forms themselves live with their subject:
//! `stay_forms.rs` (a stay's changes), `scoring_forms.rs`, `handoff_forms.rs`, `plan_forms.rs`,
//! `admin.rs` (accounts), `note_editor.rs` (a new note's format).
use chrono::{DateTime, Utc};

use crate::domain::user::Staff;
use crate::tui::widgets::form::Form;

/// Which change a dialog makes, and to what.
#[derive(Clone, Debug, PartialEq)]
pub enum DialogKind {
    Admit {
        bed_id: i64,
    },
    Transfer {
        stay_id: i64,
    },
    LevelOfCare {
        stay_id: i64,
    },
    Observation {
        stay_id: i64,
    },
    Discharge {
        stay_id: i64,
        admitted_at: DateTime<Utc>,
    },
    /// Issue 20, point 9: allergies, precautions or code status changed after admission.
    SafetyFact {
        stay_id: i64,
    },
    Prn {
        stay_id: i64,
    },
    /// Handoff dialogs (submitted by the handoff screen). Preparing is the I-PASS editor
    /// (`screens::handoff_prepare`), not a dialog.
    AddActionItem {
        stay_id: i64,
    },
    CloseActionItem {
        item_id: i64,
    },
    AcceptHandoff {
        stay_id: i64,
    },
    /// Issue 20: the identified receiver is not the nurse assigned to the bed; accept in her place?
    ConfirmAcceptInPlace {
        stay_id: i64,
        receiver: Staff,
        synthesis: String,
        assigned_id: i64,
        assigned: String,
    },
    Assign {
        bed_id: i64,
    },
    /// Admin dialogs (answered by the accounts and audit screens).
    AddAccount,
    ResetPassword {
        username: String,
    },
    AuditFilter,
    /// Choose the format of a new progress note.
    NoteFormat {
        stay_id: i64,
        patient_id: i64,
        title: String,
    },
    /// The schedule's and the plan's dialogs (`screens/plan_forms.rs`).
    PlanVersion {
        stay_id: i64,
    },
    NewSession,
    Attendance {
        session_id: i64,
        stay_id: i64,
    },
    /// The scoring screen's own dialogs (`screens/scoring_forms.rs`).
    Unable,
    PulseOverride,
    ChooseScale,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Dialog {
    pub kind: DialogKind,
    pub form: Form,
}
