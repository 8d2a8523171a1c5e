//! The console: state and update (`app`), the event loop (`run`), pure views, and the
//! keymap, palette, themes and terminal handling they use.

pub mod actions;
pub mod app;
pub mod deploys;
pub mod incidents;
pub mod keymap;
pub mod layout;
pub mod map;
pub mod palette;
pub mod run;
pub mod runbooks;
pub mod slos;
pub mod terminal;
pub mod theme;
pub mod views;

pub use crate::live::slos::SloSetup;
pub use app::{Effect, Event, State, update};
pub use run::{Console, ConsoleError, run};
pub use theme::{ColorDepth, Theme};
pub use views::render;

/// The console's checks of a config file: its `[keys]` and its theme, which config
/// keeps as written and the console reads.
pub const CONFIG_CHECKS: crate::config::Checks = crate::config::Checks {
    file: &[keymap::check_config, theme::check_config_name],
    host: &[theme::check_config_file],
};
