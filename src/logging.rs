//! Logs go to a file in the state directory, never to the terminal the console draws on.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// A log bigger than this is moved aside to `clops.log.1` when clops starts.
const ROTATE_AT: u64 = 10 * 1024 * 1024;

/// What became of logging.
#[derive(Debug)]
pub struct Logging {
    /// Where the log goes, when it could be opened.
    pub path: Option<PathBuf>,
    /// A problem to tell the user once (an unusable `CLOPS_LOG`).
    pub warning: Option<String>,
}

/// Starts logging to `<state_dir>/clops.log`. `CLOPS_LOG` (an env-filter such as
/// `debug` or `clops=trace`) wins over `-v`; an unusable one falls back to the default
/// and says so. A log that cannot be opened means running without one, not failing.
pub fn init(state_dir: &Path, verbose: u8) -> Logging {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let mut warning = None;
    let filter = match std::env::var("CLOPS_LOG") {
        Ok(spec) if !spec.trim().is_empty() => EnvFilter::try_new(&spec).unwrap_or_else(|_| {
            warning = Some(format!(
                "CLOPS_LOG `{}` is not a log filter (try `debug` or `clops=trace`); logging at {default}",
                crate::model::text::clean_line(&spec)
            ));
            EnvFilter::new(default)
        }),
        _ => EnvFilter::new(default),
    };
    let path = open(state_dir).and_then(|(path, file)| {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(Mutex::new(file))
            .with_ansi(false)
            .try_init()
            .ok()
            .map(|_| path)
    });
    Logging { path, warning }
}

fn open(state_dir: &Path) -> Option<(PathBuf, std::fs::File)> {
    std::fs::create_dir_all(state_dir).ok()?;
    let path = state_dir.join("clops.log");
    if std::fs::metadata(&path).is_ok_and(|m| m.len() > ROTATE_AT) {
        let _ = std::fs::rename(&path, state_dir.join("clops.log.1"));
    }
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    Some((path, file))
}
