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

/// The checks of a config file that the layers above config make: the console's
/// `[keys]` and theme, the SLO tables, which config keeps as written, and (on this host
/// only) token files.
pub const CONFIG_CHECKS: crate::config::Checks = crate::config::Checks {
    file: &[keymap::check_config, theme::check_config_name],
    host: &[
        theme::check_config_file,
        crate::secrets::check_config_token_files,
    ],
    whole: &[crate::slo::config::check_config],
};
