//! Service level objectives: how fast an SLO's error budget is burning and how much of
//! it is left.
//!
//! `burn` is pure math on numbers. `spec`, `config`, `import` and `discover` say what
//! the SLOs are (from the config, Sloth or OpenSLO files, or recording rules); `eval`
//! measures them through a Prometheus or the demo world; `setup` turns the config into
//! SLOs and clients; `poll` measures them on an interval for the console; `report`
//! prints them.

pub mod burn;
pub mod config;
pub mod demo;
pub mod discover;
pub mod eval;
pub mod import;
pub mod poll;
pub mod report;
pub mod setup;
pub mod spec;

pub use eval::{BurnHistory, Measurements, SloStatus, evaluate};
pub use spec::{Indicator, SloDef};
