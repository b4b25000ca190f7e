//! Sign-in and first-run setup: the two screens before anyone sees a patient.
use crate::domain::user::Role;
use crate::tui::widgets::form::{Field, Form, SIGN_IN_KEYS};

pub fn sign_in_form() -> Form {
    let mut form = Form::new("Sign in", vec![Field::text("Username", ""), Field::secret("Password", "")]);
    form.keys = SIGN_IN_KEYS;
    form
}

pub fn setup_form() -> Form {
    let mut form = Form::new(
        "First-run setup",
        vec![
            Field::text("Ward name", "e.g. 4 West Detox"),
            Field::text("Time zone", "IANA name, e.g. America/New_York"),
            Field::text("Beds", "a count (20), ranges (1-12, 14) or labels (A1-A4, B1)"),
            Field::choice(
                "Temperature",
                "the unit nurses type temperatures in",
                vec![("C".into(), "°C".into()), ("F".into(), "°F".into())],
            ),
            Field::text("Username", "the first charge nurse's sign-in name"),
            Field::text("Display name", "e.g. Ana Ortiz"),
            Field::text("Credentials", "RN, LPN, ..."),
            Field::secret("Password", "at least 10 characters"),
            Field::secret("Repeat password", ""),
        ],
    );
    form.intro = vec![
        "This database is empty. Set up the ward and the first charge-nurse account.".into(),
        format!("That account's role: {}.", Role::Charge.label()),
    ];
    form.keys = SIGN_IN_KEYS;
    form
}
