//! clops: a terminal on-call incident console.
//!
//! Data flows from `sources` (one polling task each) through pure `triage` into the
//! `Board` that the console (`tui`) and the one-shot commands (`report`) show.

// Unsafe code only where a module says why it pays (label storage, triage's parallel
// steps, prefetch hints, the terminal's stop signal).
#![deny(unsafe_code)]

pub mod author;
pub mod cli;
pub mod commands;
pub mod config;
pub mod deps;
pub mod incident;
pub mod live;
pub mod logging;
pub mod model;
pub mod output;
pub mod process;
pub mod redact;
pub mod report;
pub mod runbook;
pub mod secrets;
pub mod slo;
pub mod sources;
pub mod text;
pub mod triage;
pub mod tui;
