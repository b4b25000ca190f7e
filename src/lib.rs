//! wardterm: the nursing-station terminal of an inpatient detox ward.
//!
//! Layers, arrows pointing down only:
//! `tui` and `report` (and the command line in `main.rs`) read through `store` and compute
//! through `domain`; `store` is the only module that speaks SQL; `domain` is pure.
pub mod cli;
pub mod commands;
pub mod demo;
pub mod domain;
pub mod generate;
pub mod report;
mod rng;
pub mod store;
pub mod tui;
