//! Pieces shared by screens.
pub mod footer;
pub mod form;
pub mod line_input;
pub mod reading;
