//! Tasks and threads that keep the console's data fresh and carry out what it asks,
//! without the console waiting on them: the board worker (triage off the UI thread),
//! the SLO poller, the incident store's worker, the effect executor and the runbook
//! step runner. Nothing here touches the terminal.

pub mod actions;
pub mod board;
pub mod flaps;
pub mod incidents;
pub mod slos;
pub mod steps;
