//! The scoring screen's own dialogs: unable to assess (never a zero), the COWS pulse item set
//! by hand (with a reason), and scoring with another scale. `ScoringScreen::on_dialog` answers
//! them.
use crate::tui::screens::dialog::{Dialog, DialogKind};
use crate::tui::widgets::form::{Field, Form};

pub fn unable() -> Dialog {
    let reasons = ["asleep", "sedated", "delirious", "refused", "off unit"]
        .iter()
        .map(|r| (r.to_string(), r.to_string()))
        .collect();
    let fields =
        vec![Field::choice("Reason", "", reasons), Field::text("Note", "what you saw, e.g. asleep, breathing even")];
    let mut form = Form::new("Unable to assess", fields).with_verb("record unable");
    form.intro = vec!["Recorded as unable to assess, never as a zero. Vitals and time come from the screen.".into()];
    Dialog { kind: DialogKind::Unable, form }
}

pub fn pulse_override() -> Dialog {
    let mut form = Form::new(
        "Override the COWS pulse item",
        vec![Field::text("Reason", "e.g. HR raised by exertion, not withdrawal")],
    )
    .with_verb("override");
    form.intro = vec!["The pulse item normally comes from the measured heart rate.".into()];
    Dialog { kind: DialogKind::PulseOverride, form }
}

pub fn choose_scale(current: &str) -> Dialog {
    let options = crate::domain::scales::ALL.iter().map(|s| (s.key.to_string(), s.title.to_string())).collect();
    let mut form =
        Form::new("Score with another scale", vec![Field::choice("Scale", "", options)]).with_verb("switch scale");
    form.intro = vec![format!("Now {current}. Answers do not carry over.")];
    Dialog { kind: DialogKind::ChooseScale, form }
}
