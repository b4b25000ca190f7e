//! The handoff screen's dialogs (issue 5, issue 20): an action item added or closed, the
//! receiving nurse's synthesis and acceptance, the confirmation of accepting in place of the
//! assigned nurse, and the next shift's nurse for a bed. Their submits are read by the screen
//! (`HandoffScreen::on_dialog`); the writes go through the runner.
use crate::domain::handoff::ActionItem;
use crate::domain::time::TimeRule;
use crate::domain::user::Staff;
use crate::tui::screens::dialog::{Dialog, DialogKind};
use crate::tui::widgets::form::{Field, Form};

pub fn add_item(stay_id: i64, bed: &str) -> Dialog {
    let form = Form::new(
        format!("Action item: bed {bed}"),
        vec![
            Field::text("What", "the to-do"),
            Field::text("Owner", "who will do it, e.g. day RN, Dr. Patel"),
            Field::time("Due", "08:30 (the next one), now, +2h or YYYY-MM-DD HH:MM (ward time)", TimeRule::Planned),
        ],
    )
    .with_verb("add item");
    Dialog { kind: DialogKind::AddActionItem { stay_id }, form }
}

pub fn close_item(item: &ActionItem) -> Dialog {
    let mut form = Form::new("Close an action item", vec![Field::text("Note", "done, or why it is no longer needed")])
        .with_verb("close item");
    form.intro = vec![format!("{} — owner {}", item.what, item.owner)];
    Dialog { kind: DialogKind::CloseActionItem { item_id: item.id }, form }
}

/// I-PASS S: the receiving nurse restates the plan, then accepts with her own password.
pub fn accept(stay_id: i64, bed: &str, name: &str) -> Dialog {
    let mut form = Form::new(
        format!("Receive: bed {bed} · {name}"),
        vec![
            Field::text("Synthesis", "restate the plan and ask your questions"),
            Field::text("Receiving nurse", "your username (not the nurse handing off)"),
            Field::secret("Password", "your own password"),
        ],
    )
    .with_verb("accept");
    form.intro = vec!["I-PASS S: synthesis by receiver, then accept.".into()];
    Dialog { kind: DialogKind::AcceptHandoff { stay_id }, form }
}

/// The confirmation asked when the receiving nurse is not the one assigned to the bed.
pub fn confirm_in_place(
    accept: &Dialog,
    stay_id: i64,
    receiver: Staff,
    synthesis: String,
    assigned_id: i64,
    assigned: String,
) -> Dialog {
    let choices = vec![
        ("yes".to_string(), format!("accept in place of {assigned}")),
        ("no".to_string(), "do not accept; leave it for the assigned nurse".to_string()),
    ];
    let mut form = Form::new(
        accept.form.title.replace("Receive:", "Accept in place of the assigned nurse?"),
        vec![Field::choice("Accept", "y or n (←/→), then Enter; Esc: do not accept", choices)],
    )
    .with_verb("answer");
    form.intro = vec![
        format!("This patient is assigned to {assigned} for the next shift."),
        format!("You are {}. If you accept, the record says:", receiver.signature()),
        format!("\"accepted in place of {assigned}\"."),
    ];
    Dialog { kind: DialogKind::ConfirmAcceptInPlace { stay_id, receiver, synthesis, assigned_id, assigned }, form }
}

/// The next shift's nurse for a bed, chosen among `nurses` (id, signature).
pub fn assign(next_shift: &str, bed: &str, bed_id: i64, nurses: Vec<(String, String)>) -> Dialog {
    let form = Form::new(
        format!("Next shift ({next_shift}): bed {bed}"),
        vec![Field::choice("Nurse", "←/→ or a letter", nurses)],
    )
    .with_verb("assign");
    Dialog { kind: DialogKind::Assign { bed_id }, form }
}
