//! What one source knew at one moment, and what triage reads: the latest of every
//! source.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::hash::Digest;
use super::{Alert, Deploy, RuleHealth, ServiceGraph, Silence, SourceStatus};

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

/// What triage reads: the last good snapshot of every source that has one, and every
/// source's health, in configured order.
#[derive(Debug, Default)]
pub struct Latest<'a> {
    pub snapshots: Vec<&'a Snapshot>,
    pub statuses: Vec<SourceStatus>,
}
