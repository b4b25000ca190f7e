//! Screens as components: each owns its UI state, its key table, and its drawing.
pub mod admin;
pub mod census;
pub mod census_keys;
pub mod handoff;
pub mod handoff_forms;
pub mod handoff_prepare;
pub mod help;
pub mod history;
pub mod note_editor;
pub mod note_search;
pub mod plan;
pub mod plan_forms;
pub mod rounds;
pub mod scoring;
pub mod sign_in;
pub mod stay_forms;
pub mod timeline;
