//! Prometheus rules and their health: a rule that fails to evaluate pages nobody.

use chrono::{DateTime, Utc};

use super::LabelSet;

/// Whether a rule evaluated cleanly last time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleState {
    Ok,
    Failing,
    /// Not evaluated yet.
    Unknown,
}

/// One rule of a Prometheus server.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleHealth {
    /// `file:group` the rule belongs to.
    pub group: String,
    pub name: String,
    /// True for alerting rules, false for recording rules.
    pub alerting: bool,
    pub query: String,
    pub state: RuleState,
    /// Why the last evaluation failed (sanitized).
    pub last_error: Option<String>,
    pub last_evaluation: Option<DateTime<Utc>>,
}

/// A recording rule as Prometheus lists it: what it records, from which query, with
/// which extra labels. SLO tools (Sloth, Pyrra) are recognised by these.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordingRule {
    pub name: String,
    pub query: String,
    pub labels: LabelSet,
}
