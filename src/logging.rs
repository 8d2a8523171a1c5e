//! Logs go to a file in the state directory, never to the terminal the console draws on.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// Starts logging to `<state_dir>/clops.log`. `CLOPS_LOG` (an env-filter such as
/// `debug` or `clops=trace`) wins over `-v`. Returns the log path, or None when the
/// file cannot be opened (clops then runs without a log rather than failing).
pub fn init(state_dir: &Path, verbose: u8) -> Option<PathBuf> {
    let filter = match std::env::var("CLOPS_LOG") {
        Ok(spec) if !spec.trim().is_empty() => EnvFilter::try_new(spec).ok()?,
        _ => EnvFilter::new(match verbose {
            0 => "warn",
            1 => "info",
            2 => "debug",
            _ => "trace",
        }),
    };
    std::fs::create_dir_all(state_dir).ok()?;
    let path = state_dir.join("clops.log");
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(path)
}
