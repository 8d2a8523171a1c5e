//! Service level objectives: how fast an SLO's error budget is burning and how much of
//! it is left.
//!
//! `burn` is pure math on numbers. `spec`, `config`, `import` and `discover` say what
//! the SLOs are (from the config, Sloth or OpenSLO files, or recording rules).

pub mod burn;
pub mod config;
pub mod discover;
pub mod import;
pub mod spec;

pub use spec::{Indicator, SloDef};
