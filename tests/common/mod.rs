//! Helpers shared by the test binaries; each binary uses only part of them, hence the allow.
#![allow(dead_code)]
pub mod app;
pub mod pty;
