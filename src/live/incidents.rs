//! The incident store's worker: writes and reads touch the disk (or the network), and
//! the screen must not wait for them.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;

use crate::incident::{Declaration, Store, StoreError};
use crate::model::incident::Change as TimelineChange;
use crate::model::incident::{Event as TimelineEvent, Incident};

/// What the store worker reports: the incident list and the followed timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub list: Vec<Incident>,
    /// (incident id, its whole timeline)
    pub timeline: Option<(String, Vec<TimelineEvent>)>,
    pub error: Option<String>,
}

/// What the store did with a write.
#[derive(Debug, Clone, PartialEq)]
pub enum Recorded {
    Declared(String),
    /// (incident id, what was recorded)
    Appended(String, String),
}

/// Why the store refused a write. Shared, as the events that carry it are cloned.
#[derive(Debug, Clone, thiserror::Error)]
#[error(transparent)]
pub struct WriteError(pub Arc<StoreError>);

impl From<StoreError> for WriteError {
    fn from(e: StoreError) -> WriteError {
        WriteError(Arc::new(e))
    }
}

/// What the worker reports.
#[derive(Debug, Clone)]
pub enum StoreEvent {
    /// A write carried out (or refused).
    Recorded(Result<Recorded, WriteError>),
    /// The incident list and followed timeline, when they changed.
    Feed(Feed),
}

/// Work for the incident store's thread.
pub enum Job {
    Declare(Declaration),
    Record(String, TimelineChange),
    Follow(String),
}

pub fn send_job(journal: &Option<std::sync::mpsc::Sender<Job>>, job: Job) {
    if let Some(j) = journal {
        let _ = j.send(job);
    }
}

/// The incident store lives on its own thread: writes and reads touch the disk, and
/// the screen must not wait for them. Every second (and after each write) it reads
/// the incident list and the followed timeline, and reports only what changed — so
/// notes written by other clops processes appear within a second.
pub fn spawn<E: From<StoreEvent> + Send + 'static>(
    store: Arc<dyn Store>,
    author: String,
    events: mpsc::Sender<E>,
) -> std::sync::mpsc::Sender<Job> {
    use std::sync::mpsc::RecvTimeoutError;
    let (jobs_tx, jobs) = std::sync::mpsc::channel::<Job>();
    std::thread::spawn(move || {
        let mut followed: Option<String> = None;
        let mut last: Option<Feed> = None;
        let mut seen: Option<u64> = None;
        loop {
            let job = match jobs.recv_timeout(Duration::from_secs(1)) {
                Ok(job) => Some(job),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            let wrote_or_followed = job.is_some();
            let done = match job {
                // The console follows what it declared by asking, as for any other.
                Some(Job::Declare(d)) => Some(
                    store
                        .declare(d, &author, Utc::now())
                        .map(Recorded::Declared)
                        .map_err(WriteError::from),
                ),
                Some(Job::Record(id, change)) => Some(
                    store
                        .append(&id, change, &author, Utc::now())
                        .map(|e| Recorded::Appended(id, e.change.describe()))
                        .map_err(WriteError::from),
                ),
                Some(Job::Follow(id)) => {
                    followed = Some(id);
                    None
                }
                None => None,
            };
            if let Some(result) = done {
                if let Err(e) = &result {
                    tracing::warn!(error = %e, "incident store write failed");
                }
                if events
                    .blocking_send(StoreEvent::Recorded(result).into())
                    .is_err()
                {
                    return;
                }
            }
            // Idle is idle: read the store only when someone may have changed it.
            let version = store.version();
            let last_ok = last.as_ref().is_some_and(|f| f.error.is_none());
            if !wrote_or_followed && last_ok && version.is_some() && version == seen {
                continue;
            }
            seen = version;
            let feed = read_feed(&*store, followed.as_deref());
            if last.as_ref() != Some(&feed) {
                last = Some(feed.clone());
                if events.blocking_send(StoreEvent::Feed(feed).into()).is_err() {
                    return;
                }
            }
        }
    });
    jobs_tx
}

fn read_feed(store: &dyn Store, followed: Option<&str>) -> Feed {
    let list = store.incidents();
    let timeline = followed.map(|id| (id, store.events(id, 0)));
    let error = match (&list, &timeline) {
        (Err(e), _) | (_, Some((_, Err(e)))) => Some(e.to_string()),
        _ => None,
    };
    Feed {
        list: list.unwrap_or_default(),
        timeline: timeline.and_then(|(id, t)| Some((id.to_string(), t.ok()?))),
        error,
    }
}
