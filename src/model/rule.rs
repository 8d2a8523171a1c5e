//! Prometheus rules and their health: a rule that fails to evaluate pages nobody.

use chrono::{DateTime, Utc};

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
