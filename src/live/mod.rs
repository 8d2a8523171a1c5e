//! Tasks and threads that keep the console's data fresh without the console waiting on
//! them: the board worker (triage off the UI thread). Nothing here touches the terminal.

pub mod board;
