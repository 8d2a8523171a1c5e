//! The flap history kept in the data dir, so that a one-shot `clops alerts` (by cron or
//! by hand) knows which alerts flap as the console does: small (the alerts that started
//! most recently, a few starts each), and written whole to a temporary file that then
//! takes the old one's place, so a crash leaves the old history or the new, never half.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::triage::{FlapHistory, FlapRecord};

/// The file's name in the data dir.
pub const FILE: &str = "flaps.json";

/// The most alerts remembered.
const MOST_ALERTS: usize = 50_000;

/// Where the history is kept in `data_dir`.
pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

/// Why the history could not be kept.
#[derive(Debug, thiserror::Error)]
pub enum FlapsError {
    #[error("cannot write the flap history {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What was kept at `path`: nothing when there is no file yet, or one that cannot be
/// read (logged; the next save replaces it).
pub fn load(path: &Path) -> FlapHistory {
    let mut history = FlapHistory::default();
    history.remember(&read(path));
    history
}

fn read(path: &Path) -> Vec<FlapRecord> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            tracing::warn!(path = %path.display(), error = %e, "flap history unreadable: starting afresh");
            Vec::new()
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "flap history unreadable: starting afresh");
            Vec::new()
        }
    }
}

/// Keeps `history` at `path`, with what another clops kept there meanwhile.
pub fn save(path: &Path, history: &FlapHistory) -> Result<(), FlapsError> {
    let fail = |source| FlapsError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut merged = history.clone();
    merged.remember(&read(path));
    let records = merged.records(MOST_ALERTS);
    let json = serde_json::to_vec(&records).map_err(|e| fail(e.into()))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    // A name of its own per process: two clops saving at once never share a file.
    let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(&json)?;
        f.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Alert, AlertState, Labels, Origin};
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn a_history_kept_is_the_history_loaded_and_a_torn_file_is_no_history() {
        let dir = tempfile::tempdir().unwrap();
        let path = path(dir.path());
        assert!(load(&path).records(10).is_empty(), "no file yet");
        let t0 = Utc.with_ymd_and_hms(2026, 11, 21, 20, 0, 0).unwrap();
        let labels: Labels = [("alertname".to_string(), "Throttled".to_string())].into();
        let mut history = FlapHistory::default();
        for m in [0, 10, 20] {
            let a = Alert::new(
                labels.clone(),
                Labels::new(),
                AlertState::Active,
                t0 + Duration::minutes(m),
                &Origin::new("s", "e"),
            );
            history.observe(&[a], t0 + Duration::minutes(m + 1), 3, Duration::hours(1));
        }
        save(&path, &history).unwrap();
        assert_eq!(load(&path).records(10), history.records(10));
        assert!(
            std::fs::read_dir(dir.path()).unwrap().count() == 1,
            "no temporary file left behind"
        );
        std::fs::write(&path, b"[{\"fingerprint\": \"0123").unwrap();
        assert!(load(&path).records(10).is_empty());
    }
}
