//! Service level objectives: how fast an SLO's error budget is burning and how much of
//! it is left.
//!
//! `burn` is pure math on numbers. `spec`, `config`, `import` and `discover` say what
//! the SLOs are (from the config, Sloth or OpenSLO files, or recording rules); `eval`
//! measures them through any [`eval::Measurements`] and keeps stale values; `report`
//! prints them. What measures on Prometheus or the demo world, the set-up from config
//! and the poller are tasks of their own, in [`crate::live::slos`].

pub mod burn;
pub mod config;
pub mod discover;
pub mod eval;
pub mod import;
pub mod report;
pub mod spec;

pub use eval::{BurnHistory, Measurements, SloStatus, evaluate};
pub use spec::{Indicator, SloDef};
