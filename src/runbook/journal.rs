//! Where a run is remembered: the incident's timeline when there is an incident, a
//! local run log (JSON lines in the data dir) when there is none.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::incident::{Store, StoreError};
use crate::model::incident::Change;
use crate::text::time::Timestamp;

use crate::process::Finished;

/// The run log's file name in the data dir.
pub const RUN_LOG: &str = "runbook-runs.jsonl";

/// Why a step event was not written. Each message is whole, as in [`StoreError`].
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The incident's store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The run log's directory cannot be made.
    #[error("cannot create {}: {error}", .dir.display())]
    CreateDir { dir: PathBuf, error: std::io::Error },
    /// The run log cannot be opened for appending.
    #[error("cannot write the run log {}: {error}", .path.display())]
    Open {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The line could not be appended.
    #[error("{0}")]
    Write(std::io::Error),
    /// The event could not be turned into a JSON line.
    #[error("{0}")]
    Encode(serde_json::Error),
}

type Result<T, E = JournalError> = std::result::Result<T, E>;

/// Where step events go.
#[derive(Clone)]
pub enum Journal {
    Incident { store: Arc<dyn Store>, id: String },
    RunLog(PathBuf),
}

/// One line of the run log: the same `kind`/`data` shape as a timeline event.
#[derive(Serialize)]
struct RunLogLine<'a> {
    at: String,
    author: &'a str,
    #[serde(flatten)]
    change: &'a Change,
}

impl Journal {
    pub fn run_log(data_dir: &Path) -> Journal {
        Journal::RunLog(data_dir.join(RUN_LOG))
    }

    /// "incident INC-…" or the run log's path, for telling the user.
    pub fn describe(&self) -> String {
        match self {
            Journal::Incident { id, .. } => format!("incident {id}"),
            Journal::RunLog(path) => format!("run log {}", path.display()),
        }
    }

    pub fn incident(&self) -> Option<&str> {
        match self {
            Journal::Incident { id, .. } => Some(id),
            Journal::RunLog(_) => None,
        }
    }

    pub fn started(&self, runbook: &str, step: &str, command: &str, author: &str) -> Result<()> {
        self.record(
            Change::RunbookStepStarted {
                runbook: runbook.into(),
                step: step.into(),
                command: command.into(),
            },
            author,
        )
    }

    pub fn finished(&self, runbook: &str, step: &str, done: &Finished, author: &str) -> Result<()> {
        self.record(
            Change::RunbookStepFinished {
                runbook: runbook.into(),
                step: step.into(),
                exit_code: done.exit_code(),
                duration_ms: done.duration.as_millis() as u64,
                output: done.tail.join("\n"),
            },
            author,
        )
    }

    /// A checklist step ticked by hand: finished, with no exit code, the items as output.
    pub fn ticked(&self, runbook: &str, step: &str, items: &[String], author: &str) -> Result<()> {
        self.record(
            Change::RunbookStepFinished {
                runbook: runbook.into(),
                step: step.into(),
                exit_code: None,
                duration_ms: 0,
                output: items
                    .iter()
                    .map(|i| format!("[x] {i}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            },
            author,
        )
    }

    /// Writes `change` (sanitized first).
    pub fn record(&self, change: Change, author: &str) -> Result<()> {
        // Output comes from commands that print whatever they like.
        let change = change.sanitized();
        let now: DateTime<Utc> = Utc::now();
        match self {
            Journal::Incident { store, id } => {
                store.append(id, change, author, now)?;
            }
            Journal::RunLog(path) => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|error| JournalError::CreateDir {
                        dir: dir.to_path_buf(),
                        error,
                    })?;
                }
                let line = serde_json::to_string(&RunLogLine {
                    at: Timestamp::Rfc3339Millis.format(now),
                    author,
                    change: &change,
                })
                .map_err(JournalError::Encode)?;
                let mut file = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(|error| JournalError::Open {
                        path: path.clone(),
                        error,
                    })?;
                // One write per line, so two runs appending at once never interleave.
                file.write_all(format!("{line}\n").as_bytes())
                    .map_err(JournalError::Write)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_log_that_cannot_be_written_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        let note = || Change::Note { text: "x".into() };

        let e = Journal::run_log(&file.join("data"))
            .record(note(), "a@h")
            .unwrap_err();
        assert!(matches!(e, JournalError::CreateDir { .. }), "{e:?}");
        assert!(
            e.to_string()
                .starts_with(&format!("cannot create {}: ", file.join("data").display())),
            "{e}"
        );
        let e = Journal::RunLog(dir.path().to_path_buf())
            .record(note(), "a@h")
            .unwrap_err();
        assert!(
            e.to_string().starts_with(&format!(
                "cannot write the run log {}: ",
                dir.path().display()
            )),
            "{e}"
        );
    }
}
