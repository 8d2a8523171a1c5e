//! Logs go to a file in the state directory, never to the terminal the console draws on.
//! The file is its owner's alone (0600), and every known secret is scrubbed from each
//! line before it is written.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

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
                crate::text::clean_line(&spec)
            ));
            EnvFilter::new(default)
        }),
        _ => EnvFilter::new(default),
    };
    let path = open(state_dir).and_then(|(path, file)| {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(ScrubbedLog(Mutex::new(file)))
            .with_ansi(false)
            .try_init()
            .ok()
            .map(|_| path)
    });
    Logging { path, warning }
}

/// Opens the log for appending, created 0600. A log an older clops left readable by
/// others (0644) is tightened, and so is its rotated copy: the log holds source names,
/// URLs and errors that are nobody else's business.
fn open(state_dir: &Path) -> Option<(PathBuf, File)> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(state_dir)
        .ok()?;
    let path = state_dir.join("clops.log");
    let rotated = state_dir.join("clops.log.1");
    tighten(&path);
    tighten(&rotated);
    if std::fs::metadata(&path).is_ok_and(|m| m.len() > ROTATE_AT) {
        let _ = std::fs::rename(&path, &rotated);
    }
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&path)
        .ok()?;
    Some((path, file))
}

/// Takes group and other permissions off `path`, if it is a file that has any.
fn tighten(path: &Path) {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    let mode = meta.permissions().mode() & 0o777;
    if meta.is_file() && mode & 0o077 != 0 {
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700));
    }
}

/// The log file, written one event at a time with known secrets scrubbed.
struct ScrubbedLog(Mutex<File>);

impl<'a> MakeWriter<'a> for ScrubbedLog {
    type Writer = ScrubbedLine<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        ScrubbedLine(self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// One event's writer. tracing's formatter hands each event over in one piece, so a
/// secret cannot straddle two writes.
struct ScrubbedLine<'a>(MutexGuard<'a, File>);

impl Write for ScrubbedLine<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(crate::redact::scrub(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_and_its_rotated_copy_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        let (path, _) = open(&state).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&state), 0o700);
        // Left 0644 by an older clops, and big enough to rotate.
        std::fs::write(&path, vec![b'x'; ROTATE_AT as usize + 1]).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let rotated = state.join("clops.log.1");
        let (path, _) = open(&state).unwrap();
        assert_eq!((mode(&path), mode(&rotated)), (0o600, 0o600));
        // An old rotated copy is tightened too, and nothing is ever widened.
        std::fs::set_permissions(&rotated, std::fs::Permissions::from_mode(0o640)).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
        open(&state);
        assert_eq!((mode(&path), mode(&rotated)), (0o400, 0o600));
    }

    #[test]
    fn log_lines_are_scrubbed_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let (path, file) = open(dir.path()).unwrap();
        let token = "logged-token-5e1d0c3b";
        crate::redact::learn(token);
        let log = ScrubbedLog(Mutex::new(file));
        // As tracing's formatter does: the whole event in one write.
        let line = format!("poll failed: invalid token {token}\n");
        log.make_writer().write_all(line.as_bytes()).unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(text, "poll failed: invalid token [redacted]\n");
    }
}
