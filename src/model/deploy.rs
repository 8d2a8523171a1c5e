//! Deploys: what changed, where and when.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// One rollout of one version of a service.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deploy {
    pub service: String,
    pub version: String,
    pub at: DateTime<Utc>,
    pub source: String,
    /// `success`, `failure`, `in_progress`, `pending`, `rolled_back`, `degraded`,
    /// `inactive`, … (see the README's Deploys section)
    pub status: String,
    pub url: Option<String>,
    /// The environment it went to as its source names it (`production`, `prod-eu`).
    #[serde(skip)]
    pub environment: Option<String>,
    /// The clusters that environment covers, when the source or `[environments]` says;
    /// empty when nobody said (see [`Deploy::reaches`]).
    #[serde(skip)]
    pub clusters: Vec<String>,
    #[serde(skip)]
    pub author: Option<String>,
}

impl Deploy {
    /// Whether this deploy may have changed something in `cluster`. `known` tells
    /// whether a name is a cluster that alerts name. A deploy with clusters reaches
    /// those; one whose environment is a known cluster reaches that cluster; any other
    /// (an environment like `production` that nobody mapped) may have reached any
    /// cluster, so it reaches every one.
    pub fn reaches(&self, cluster: &str, known: &dyn Fn(&str) -> bool) -> bool {
        if !self.clusters.is_empty() {
            return self.clusters.iter().any(|c| c == cluster);
        }
        match &self.environment {
            Some(env) if known(env) => env == cluster,
            _ => true,
        }
    }
}
