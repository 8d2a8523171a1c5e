//! Backends that feed clops. Sources know nothing of the screen: each one is polled by
//! its own task and reports a [`SourceUpdate`]; the console keeps the latest of each.

pub mod alertmanager;
pub mod argocd;
pub mod catalog;
pub mod command;
pub mod deferred;
pub mod demo;
pub mod deploys;
pub mod github;
pub mod grafana;
pub mod http;
pub mod jaeger;
pub mod poll;
pub mod prometheus;
pub mod registry;
pub mod service_graph;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::model::hash::Digest;
use crate::model::{Alert, Deploy, NewSilence, RuleHealth, ServiceGraph, Silence};
use crate::text::time::Style;

pub use poll::{PollSettings, spawn_poller};
pub use registry::{SourceSet, build_sources};

/// A boxed future, so sources of different kinds can sit behind one trait object.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A backend clops can read.
pub trait Source: Send + Sync {
    /// The configured name (`[[sources]] name`).
    fn name(&self) -> &str;
    /// The configured kind (`alertmanager`, `prometheus`, `demo`, …).
    fn kind(&self) -> &str;
    /// Fetch everything this source knows now. Callers wrap it in a timeout.
    fn fetch(&self) -> BoxFuture<'_, Result<Snapshot, SourceError>>;
    /// Silence support, for sources that have it.
    fn silencer(&self) -> Option<&dyn Silencer> {
        None
    }
    /// True while the source has yet to find a configured credential (a token_command,
    /// a token_file, a Basic-auth password): it shows `authenticating` meanwhile.
    fn authenticating(&self) -> bool {
        false
    }
    /// Finds the source's credentials if it has not yet; later calls return at once.
    /// Callers run it before a fetch and outside the fetch's timeout: the token chain
    /// keeps its own limits.
    fn authenticate(&self) -> BoxFuture<'_, Result<(), SourceError>> {
        Box::pin(std::future::ready(Ok(())))
    }
}

/// A source that can create and expire silences.
pub trait Silencer: Send + Sync {
    /// Creates the silence, then reads it back from every peer: an error when a peer
    /// holds something other than what was asked, or never shows it.
    fn create(&self, silence: NewSilence) -> BoxFuture<'_, Result<Created, SourceError>>;
    /// Expires the silence `id` now.
    fn expire(&self, id: &str) -> BoxFuture<'_, Result<(), SourceError>>;
    /// Moves the end of silence `id` later by `by`, read back like a new silence.
    fn extend(
        &self,
        id: &str,
        by: chrono::Duration,
    ) -> BoxFuture<'_, Result<Extended, SourceError>>;
}

/// A silence created (or changed) and read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub id: String,
    /// Peers that could not be asked to read it back, and why: they get the silence
    /// by gossip when they rejoin.
    pub unchecked: Vec<String>,
}

/// A silence whose end moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extended {
    /// Its id now: Alertmanager may give a changed silence a new one.
    pub created: Created,
    pub was_until: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

/// What one source knew at one moment.
///
/// A source that digests its replies sets `digest`; when a poll's replies are what the
/// last poll read, it sends the same snapshot again (the alerts shared, not copied) with
/// the same digest, and whoever keeps the last snapshot knows from the digest alone that
/// nothing changed: no comparing, no rebuilding, nothing big to drop.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub taken_at: DateTime<Utc>,
    /// Alerts as received from every endpoint, HA copies included (dedup is triage's job).
    /// Shared: the next poll of an unchanged source hands the same list on.
    pub alerts: Arc<Vec<Alert>>,
    pub deploys: Vec<Deploy>,
    pub graph: Option<ServiceGraph>,
    /// Endpoints that failed while others of the same source answered.
    pub partial_errors: Vec<String>,
    /// Silences, from sources that have them.
    pub silences: Vec<Silence>,
    /// Alerting and recording rules and their health, from Prometheus.
    pub rules: Vec<RuleHealth>,
    /// A digest of everything above but `taken_at`, from sources that keep one: equal
    /// digests mean the same data.
    pub digest: Option<Digest>,
}

impl Snapshot {
    /// True when both hold the same data, whenever they were taken: by their digests when
    /// both have one, else field by field. (Every field is named, so a new one cannot
    /// be forgotten here.)
    pub fn same_data(&self, other: &Snapshot) -> bool {
        let Snapshot {
            taken_at: _,
            alerts,
            deploys,
            graph,
            partial_errors,
            silences,
            rules,
            digest,
        } = self;
        if let (Some(mine), Some(theirs)) = (digest, other.digest) {
            return *mine == theirs;
        }
        (Arc::ptr_eq(alerts, &other.alerts) || *alerts == other.alerts)
            && *deploys == other.deploys
            && *graph == other.graph
            && *partial_errors == other.partial_errors
            && *silences == other.silences
            && *rules == other.rules
    }
}

/// HA peers report the same alerts; their copies are parsed separately. Make copies with
/// the same fingerprint share one set of labels and annotations, halving what a pair
/// costs in memory. Runs in the source's own task, off the console's thread.
pub fn share_copies(alerts: &mut Vec<Alert>) {
    use std::collections::HashMap;
    let mut first: HashMap<crate::model::Fingerprint, usize> = HashMap::with_capacity(alerts.len());
    for i in 0..alerts.len() {
        match first.get(&alerts[i].fingerprint) {
            Some(&j) => {
                if alerts[j].labels == alerts[i].labels {
                    alerts[i].labels = alerts[j].labels.clone();
                }
                if alerts[j].annotations == alerts[i].annotations {
                    alerts[i].annotations = alerts[j].annotations.clone();
                }
            }
            None => {
                first.insert(alerts[i].fingerprint, i);
            }
        }
    }
    alerts.shrink_to_fit();
}

/// Why a fetch failed. Messages are sanitized and never carry credentials.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SourceError {
    #[error("timed out after {}", Style::Config.format(*.0))]
    Timeout(Duration),
    /// The request did not get an answer: refused, reset, timed out, unresolvable.
    #[error("{endpoint}: {reason}")]
    Transport { endpoint: String, reason: String },
    #[error("{endpoint} answered HTTP {status}{}", detail_suffix(.detail))]
    Http {
        endpoint: String,
        status: u16,
        detail: String,
    },
    #[error("{endpoint} sent a reply clops cannot read: {reason}")]
    Decode { endpoint: String, reason: String },
    /// The backend asked clops to slow down (HTTP 429, or GitHub's 403 with its rate
    /// limit spent); the poller waits at least `retry_after` before asking again.
    #[error(
        "{endpoint} answered HTTP {status}: rate limited, asking again in {}",
        Style::Config.format(*.retry_after)
    )]
    RateLimited {
        endpoint: String,
        status: u16,
        retry_after: Duration,
    },
    #[error("not available yet: {0}")]
    NotAvailable(String),
    #[error("{0}")]
    Other(String),
}

impl SourceError {
    /// How long the backend asked clops to wait before its next request, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            SourceError::RateLimited { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }
}

fn detail_suffix(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    }
}

/// One poll result, sent from a source task to whoever shows the data.
#[derive(Debug, Clone)]
pub struct SourceUpdate {
    pub source: String,
    pub at: DateTime<Utc>,
    pub result: Result<Snapshot, SourceError>,
}
