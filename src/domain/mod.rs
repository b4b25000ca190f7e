//! Pure rules of the ward: no IO, no SQL, no terminal. Everything here is testable alone.
pub mod census;
pub mod handoff;
pub mod ledger;
pub mod note;
pub mod prn;
pub mod protocol;
pub mod rounds;
pub mod scale;
pub mod scales;
pub mod shift;
pub mod stay;
pub mod text;
pub mod time;
pub mod user;
pub mod vitals;
pub mod ward;
