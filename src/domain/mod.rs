//! Pure rules of the ward: no IO, no SQL, no terminal. Everything here is testable alone.
pub mod protocol;
pub mod scale;
pub mod scales;
