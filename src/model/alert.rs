//! Alerts as clops sees them, whatever backend they came from.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::text::{clean_line, clean_text};

/// Label or annotation name → value, sorted so output and fingerprints are stable.
pub type Labels = BTreeMap<String, String>;

/// One alert. Built through [`Alert::new`], which sanitizes everything from outside.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// Label-set fingerprint, the same value Alertmanager reports.
    pub fingerprint: String,
    pub labels: Labels,
    pub annotations: Labels,
    pub state: AlertState,
    pub starts_at: DateTime<Utc>,
    /// Names of the configured sources that reported this alert.
    pub sources: Vec<String>,
    /// Endpoints (HA peers) that reported it, as `source/endpoint`.
    pub seen_by: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generator_url: Option<String>,
}

impl Alert {
    /// An alert as reported by `endpoint` of `source`; strings are sanitized here, once.
    pub fn new(
        labels: Labels,
        annotations: Labels,
        state: AlertState,
        starts_at: DateTime<Utc>,
        source: &str,
        endpoint: &str,
    ) -> Alert {
        let labels: Labels = labels
            .into_iter()
            .map(|(k, v)| (clean_line(&k), clean_line(&v)))
            .collect();
        let annotations = annotations
            .into_iter()
            .map(|(k, v)| (clean_line(&k), clean_text(&v)))
            .collect();
        Alert {
            fingerprint: fingerprint(&labels),
            labels,
            annotations,
            state,
            starts_at,
            sources: vec![clean_line(source)],
            seen_by: vec![format!("{}/{}", clean_line(source), clean_line(endpoint))],
            generator_url: None,
        }
    }

    /// Label value, or "" when the label is absent.
    pub fn label(&self, name: &str) -> &str {
        self.labels.get(name).map(String::as_str).unwrap_or("")
    }

    /// Severity from the conventional `severity` label.
    pub fn severity(&self) -> Severity {
        Severity::from_label(self.label("severity"))
    }

    /// The alert's name (`alertname` label).
    pub fn name(&self) -> &str {
        self.label("alertname")
    }

    /// The one-line human summary: the `summary` annotation, else the alert name.
    pub fn summary(&self) -> &str {
        self.annotations
            .get("summary")
            .or_else(|| self.annotations.get("description"))
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| self.name())
    }
}

/// Where an alert is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertState {
    /// Firing and routed to people.
    Active,
    /// Prometheus rule condition true, `for:` not yet elapsed.
    Pending,
    /// Received but not yet processed by Alertmanager.
    Unprocessed,
    /// Silenced or inhibited.
    Suppressed,
}

impl AlertState {
    /// The word used in JSON and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertState::Active => "active",
            AlertState::Pending => "pending",
            AlertState::Unprocessed => "unprocessed",
            AlertState::Suppressed => "suppressed",
        }
    }
}

/// How urgent an alert is, most urgent first in `Ord`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    Error,
    Warning,
    Info,
    None,
}

impl Severity {
    /// Reads the many spellings teams use for the `severity` label.
    pub fn from_label(value: &str) -> Severity {
        match value.trim().to_ascii_lowercase().as_str() {
            "critical" | "crit" | "page" | "p1" | "sev1" | "emergency" | "fatal" => {
                Severity::Critical
            }
            "error" | "err" | "high" | "major" | "p2" | "sev2" => Severity::Error,
            "warning" | "warn" | "medium" | "minor" | "ticket" | "p3" | "sev3" => Severity::Warning,
            "info" | "informational" | "low" | "notice" | "p4" | "p5" | "sev4" => Severity::Info,
            _ => Severity::None,
        }
    }

    /// The word used in JSON and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::None => "none",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Alertmanager's fingerprint of a label set: FNV-1a 64 over the sorted names and
/// values, each followed by a 0xff separator, printed as 16 hex digits.
pub fn fingerprint(labels: &Labels) -> String {
    const OFFSET: u64 = 0xcbf29ce484222325;
    const PRIME: u64 = 0x100000001b3;
    let mut hash = OFFSET;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(PRIME);
        }
    };
    for (name, value) in labels {
        feed(name.as_bytes());
        feed(&[0xff]);
        feed(value.as_bytes());
        feed(&[0xff]);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn empty_label_set_fingerprint_is_fnv_offset() {
        assert_eq!(fingerprint(&Labels::new()), "cbf29ce484222325");
    }

    #[test]
    fn fingerprint_ignores_label_order_but_not_values() {
        let a = labels(&[("alertname", "Up"), ("job", "api")]);
        let b = labels(&[("job", "api"), ("alertname", "Up")]);
        let c = labels(&[("alertname", "Up"), ("job", "web")]);
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
    }

    #[test]
    fn new_alert_is_sanitized_before_fingerprinting() {
        let a = Alert::new(
            labels(&[("alertname", "Bad\u{1b}[31mName")]),
            labels(&[("summary", "line one\n\u{1b}]0;title\u{7}line two")]),
            AlertState::Active,
            Utc::now(),
            "prod",
            "am-0",
        );
        assert_eq!(a.name(), "BadName");
        assert_eq!(a.summary(), "line one\nline two");
        assert_eq!(
            a.fingerprint,
            fingerprint(&labels(&[("alertname", "BadName")]))
        );
        assert_eq!(a.seen_by, vec!["prod/am-0".to_string()]);
    }

    #[test]
    fn severity_spellings() {
        assert_eq!(Severity::from_label("CRITICAL"), Severity::Critical);
        assert_eq!(Severity::from_label("warn"), Severity::Warning);
        assert_eq!(Severity::from_label(""), Severity::None);
        assert!(Severity::Critical < Severity::Warning);
    }
}
