//! The runbook step runner: a confirmed step runs on its own thread, its output and end
//! come back as events, its start and finish are recorded.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use tokio::sync::mpsc;

use crate::model::incident::Change as TimelineChange;
use crate::process::{self, StepCommand};
use crate::runbook::Runbook;
use crate::runbook::journal::{Journal, JournalError};
use crate::runbook::remote::FetchError;

use super::incidents::Job;

/// What the step runner reports.
#[derive(Debug, Clone)]
pub enum StepEvent {
    Output {
        step: usize,
        line: String,
    },
    Finished {
        step: usize,
        ok: bool,
        summary: String,
    },
    /// A `runbook_url` fetched (or why not).
    Fetched(Result<Runbook, FetchError>),
}

/// A step to run, and where its start and finish are recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct StepJob {
    pub runbook: String,
    pub step: String,
    pub index: usize,
    pub command: StepCommand,
    /// The active incident; None records to the run log.
    pub incident: Option<String>,
}

/// Where a runbook step is remembered: the incident's timeline through the store's
/// thread (so the incident pane shows it at once), or the run log.
pub struct StepRecorder {
    pub journal: Option<std::sync::mpsc::Sender<Job>>,
    pub run_log: Journal,
    pub author: String,
}

/// Why a step's start or finish was not remembered.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("the incident store has stopped")]
    StoreStopped,
    /// Writing the run log failed.
    #[error("not recorded: {0}")]
    RunLog(JournalError),
}

impl StepRecorder {
    pub fn record(
        &self,
        incident: Option<&str>,
        change: TimelineChange,
    ) -> Result<(), RecordError> {
        match (incident, &self.journal) {
            (Some(id), Some(journal)) => journal
                .send(Job::Record(id.to_string(), change.sanitized()))
                .map_err(|_| RecordError::StoreStopped),
            _ => self
                .run_log
                .record(change, &self.author)
                .map_err(RecordError::RunLog),
        }
    }
}

/// Runs a confirmed step on its own thread: output lines and the end come back as
/// events, the start and finish are recorded. Returns the step's kill switch.
pub fn spawn_step<E: From<StepEvent> + Send + 'static>(
    job: StepJob,
    recorder: StepRecorder,
    events: mpsc::Sender<E>,
) -> Arc<AtomicBool> {
    let cancel = Arc::new(AtomicBool::new(false));
    let kill_switch = cancel.clone();
    std::thread::spawn(move || {
        let incident = job.incident.as_deref();
        let started = recorder.record(
            incident,
            TimelineChange::RunbookStepStarted {
                runbook: job.runbook.clone(),
                step: job.step.clone(),
                command: job.command.command.clone(),
            },
        );
        // A step that cannot be recorded does not run: the record is the point.
        if let Err(e) = started {
            let _ = events.blocking_send(E::from(StepEvent::Finished {
                step: job.index,
                ok: false,
                summary: format!("not run: {e}"),
            }));
            return;
        }
        let index = job.index;
        let done = process::run(&job.command, &cancel, |_, line| {
            let _ = events.blocking_send(E::from(StepEvent::Output {
                step: index,
                line: line.to_string(),
            }));
        });
        let mut summary = done.summary(job.command.timeout);
        if let Err(e) = recorder.record(
            incident,
            TimelineChange::RunbookStepFinished {
                runbook: job.runbook.clone(),
                step: job.step.clone(),
                exit_code: done.exit_code(),
                duration_ms: done.duration.as_millis() as u64,
                output: done.tail.join("\n"),
            },
        ) {
            summary.push_str(&format!(" ({e})"));
        }
        let _ = events.blocking_send(E::from(StepEvent::Finished {
            step: index,
            ok: done.succeeded(),
            summary,
        }));
    });
    kill_switch
}

/// Fetches a Markdown `runbook_url` in the background.
pub fn fetch_runbook<E: From<StepEvent> + Send + 'static>(url: String, events: mpsc::Sender<E>) {
    tokio::spawn(async move {
        let fetched = crate::runbook::remote::fetch(&url, std::time::Duration::from_secs(10)).await;
        let _ = events.send(StepEvent::Fetched(fetched).into()).await;
    });
}
