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
    /// The cluster or environment it went to (`environment` in `clops deploys -o json`).
    #[serde(skip)]
    pub cluster: Option<String>,
    #[serde(skip)]
    pub author: Option<String>,
}
