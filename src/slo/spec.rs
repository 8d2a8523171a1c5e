//! What an SLO is, wherever it was defined: `[[slos]]` in the config, a Sloth or
//! OpenSLO file, or recording rules Sloth or Pyrra left in a Prometheus.

use std::collections::BTreeMap;

use chrono::Duration;

use super::burn::{AlertWindow, Objective};

use crate::text::time::Style;

/// One SLO, ready to be measured.
#[derive(Debug, Clone, PartialEq)]
pub struct SloDef {
    /// Unique among the SLOs clops shows.
    pub name: String,
    pub service: String,
    pub objective: Objective,
    /// The Prometheus source (`[[sources]] name`) its queries go to.
    pub source: String,
    pub indicator: Indicator,
    /// Extra labels that tell SLOs apart (Sloth's `labels`, the demo's `cluster`).
    pub labels: BTreeMap<String, String>,
    /// Where the definition came from: `config`, a file path, `rules` (discovered).
    pub origin: String,
    /// The alerts of the tool that generated its rules, when clops knows them (Pyrra):
    /// its state follows them. None: the workbook's rules over clops's fixed windows.
    pub alerting: Option<Vec<AlertWindow>>,
}

/// How the error ratio over a window is measured.
#[derive(Debug, Clone, PartialEq)]
pub enum Indicator {
    /// Failed and all events, each PromQL with a `{{window}}` placeholder.
    Events { errors: String, total: String },
    /// The error ratio itself, PromQL with a `{{window}}` placeholder.
    Ratio(String),
    /// Error ratios already recorded by rules (Sloth, Pyrra): one selector per window,
    /// keyed by its Prometheus duration (`5m`, `30d`). Other windows are unknown.
    Recorded(BTreeMap<String, String>),
}

/// The placeholder spellings accepted in queries: clops's and Sloth's (Go template).
const PLACEHOLDERS: [&str; 4] = ["{{window}}", "{{ window }}", "{{.window}}", "{{ .window }}"];

/// True when `query` has a window placeholder in any accepted spelling.
pub fn has_placeholder(query: &str) -> bool {
    PLACEHOLDERS.iter().any(|p| query.contains(p))
}

/// `query` with every window placeholder replaced by `window` (`5m`, `30d`).
pub fn with_window(query: &str, window: &str) -> String {
    PLACEHOLDERS
        .iter()
        .fold(query.to_string(), |q, p| q.replace(p, window))
}

impl Indicator {
    /// The PromQL whose value is the error ratio over `window`, or None when this
    /// indicator cannot measure that window (a window no rule records).
    pub fn ratio_query(&self, window: Duration) -> Option<String> {
        let w = Style::Prom.format(window);
        match self {
            Indicator::Events { errors, total } => {
                // A service that never failed often has no error series at all: with
                // traffic, that is 0 errors, not "unknown".
                let (errors, total) = (with_window(errors, &w), with_window(total, &w));
                Some(format!("(({errors}) or (0 * ({total}))) / ({total})"))
            }
            Indicator::Ratio(q) => Some(with_window(q, &w)),
            Indicator::Recorded(by_window) => by_window.get(&w).cloned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_in_both_spellings_take_the_window() {
        let q = "sum(rate(a[{{window}}])) + sum(rate(b[{{.window}}])) + c[{{ .window }}]";
        assert_eq!(
            with_window(q, "5m"),
            "sum(rate(a[5m])) + sum(rate(b[5m])) + c[5m]"
        );
        assert!(has_placeholder("x[{{ window }}]"));
        assert!(!has_placeholder("x[5m]"));
    }

    #[test]
    fn event_queries_become_one_ratio_query() {
        let sli = Indicator::Events {
            errors: r#"sum(rate(http_requests_total{code=~"5.."}[{{window}}]))"#.into(),
            total: "sum(rate(http_requests_total[{{window}}]))".into(),
        };
        assert_eq!(
            sli.ratio_query(Duration::hours(1)).unwrap(),
            r#"((sum(rate(http_requests_total{code=~"5.."}[1h]))) or (0 * (sum(rate(http_requests_total[1h]))))) / (sum(rate(http_requests_total[1h])))"#
        );
        assert_eq!(
            Indicator::Ratio("r[{{window}}]".into()).ratio_query(Duration::days(30)),
            Some("r[30d]".into())
        );
    }

    #[test]
    fn recorded_indicators_know_only_their_windows() {
        let sli = Indicator::Recorded(BTreeMap::from([(
            "5m".to_string(),
            r#"slo:sli_error:ratio_rate5m{sloth_id="x"}"#.to_string(),
        )]));
        assert!(sli.ratio_query(Duration::minutes(5)).is_some());
        assert_eq!(sli.ratio_query(Duration::hours(1)), None);
    }
}
