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

use chrono::{DateTime, Utc};

pub use crate::model::Snapshot;
pub use crate::model::fetch::{BoxFuture, SourceError};
use crate::model::{Alert, NewSilence};

pub use poll::{PollSettings, spawn_poller};
pub use registry::{SourceSet, build_sources};

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

/// One poll result, sent from a source task to whoever shows the data.
#[derive(Debug, Clone)]
pub struct SourceUpdate {
    pub source: String,
    pub at: DateTime<Utc>,
    pub result: Result<Snapshot, SourceError>,
}
