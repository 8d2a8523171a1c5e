//! `kind = "prometheus"`: pending and firing alerts, rule health, and a query client
//! for `/api/v1/query` and `/api/v1/query_range`.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use futures_util::future::join_all;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::model::{Alert, AlertState, LabelSet, Origin, RuleHealth, RuleState};
use crate::text::clean_line;
use crate::text::time::{Style, Timestamp};

use super::http::{Endpoint, HttpClient};
use super::{BoxFuture, Snapshot, Source, SourceError};

/// The envelope of every Prometheus API reply.
#[derive(Deserialize)]
struct Envelope<T> {
    status: String,
    data: Option<T>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
struct AlertsData {
    alerts: Vec<ApiAlert>,
}

#[derive(Deserialize)]
struct ApiAlert {
    labels: BTreeMap<String, String>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
    state: String,
    #[serde(rename = "activeAt")]
    active_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct RulesData {
    groups: Vec<ApiGroup>,
}

#[derive(Deserialize)]
struct ApiGroup {
    name: String,
    file: String,
    rules: Vec<ApiRule>,
}

#[derive(Deserialize)]
struct ApiRule {
    name: String,
    query: String,
    health: String,
    #[serde(rename = "lastError", default)]
    last_error: Option<String>,
    #[serde(rename = "lastEvaluation", default)]
    last_evaluation: Option<DateTime<Utc>>,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

pub use crate::model::rule::RecordingRule;

/// Asks a Prometheus server PromQL questions. The SLO work reuses it.
#[derive(Debug, Clone)]
pub struct PromClient {
    client: HttpClient,
    endpoint: Endpoint,
}

/// One labelled value at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub metric: LabelSet,
    pub at: DateTime<Utc>,
    pub value: f64,
}

/// One labelled series of values over time.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub metric: LabelSet,
    pub points: Vec<(DateTime<Utc>, f64)>,
}

/// What an instant query returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Instant {
    Vector(Vec<Sample>),
    Scalar(DateTime<Utc>, f64),
    /// Range vectors (`x[5m]`) asked for at an instant.
    Matrix(Vec<Series>),
}

#[derive(Deserialize)]
struct QueryData {
    #[serde(rename = "resultType")]
    result_type: String,
    result: serde_json::Value,
}

#[derive(Deserialize)]
struct ApiSample {
    #[serde(default)]
    metric: BTreeMap<String, String>,
    value: (f64, String),
}

#[derive(Deserialize)]
struct ApiSeries {
    #[serde(default)]
    metric: BTreeMap<String, String>,
    values: Vec<(f64, String)>,
}

impl PromClient {
    /// A client for the server at `endpoint`.
    pub fn new(client: HttpClient, endpoint: Endpoint) -> PromClient {
        PromClient { client, endpoint }
    }

    async fn api<T: DeserializeOwned>(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<T, SourceError> {
        // POST keeps long queries out of URL length limits and access logs.
        let envelope: Envelope<T> = if form.is_empty() {
            self.client.get_json(&self.endpoint, path, &[]).await?
        } else {
            self.client.post_form(&self.endpoint, path, form).await?
        };
        match (envelope.status.as_str(), envelope.data) {
            ("success", Some(data)) => Ok(data),
            _ => Err(SourceError::Http {
                endpoint: self.endpoint.label.clone(),
                status: 200,
                detail: clean_line(
                    envelope
                        .error
                        .as_deref()
                        .unwrap_or("the API reported an error"),
                ),
            }),
        }
    }

    /// Evaluates `expr` at `at`.
    pub async fn query(&self, expr: &str, at: DateTime<Utc>) -> Result<Instant, SourceError> {
        let time = Timestamp::Unix.format(at);
        let data: QueryData = self
            .api("api/v1/query", &[("query", expr), ("time", &time)])
            .await?;
        let shape = |e: serde_json::Error| self.shape_error(e);
        match data.result_type.as_str() {
            "vector" => {
                let samples: Vec<ApiSample> = serde_json::from_value(data.result).map_err(shape)?;
                Ok(Instant::Vector(
                    samples
                        .into_iter()
                        .map(|s| Sample {
                            metric: labels(s.metric),
                            at: from_unix(s.value.0),
                            value: parse_value(&s.value.1),
                        })
                        .collect(),
                ))
            }
            "scalar" => {
                let (t, v): (f64, String) = serde_json::from_value(data.result).map_err(shape)?;
                Ok(Instant::Scalar(from_unix(t), parse_value(&v)))
            }
            "matrix" => Ok(Instant::Matrix(matrix(data.result).map_err(shape)?)),
            other => Err(SourceError::Decode {
                endpoint: self.endpoint.label.clone(),
                reason: format!("unexpected result type `{}`", clean_line(other)),
            }),
        }
    }

    /// Evaluates `expr` from `start` to `end` every `step`.
    pub async fn query_range(
        &self,
        expr: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        step: std::time::Duration,
    ) -> Result<Vec<Series>, SourceError> {
        let (start, end) = (Timestamp::Unix.format(start), Timestamp::Unix.format(end));
        let step = Style::Seconds.format(step);
        let data: QueryData = self
            .api(
                "api/v1/query_range",
                &[
                    ("query", expr),
                    ("start", &start),
                    ("end", &end),
                    ("step", &step),
                ],
            )
            .await?;
        matrix(data.result).map_err(|e| self.shape_error(e))
    }

    fn shape_error(&self, e: serde_json::Error) -> SourceError {
        SourceError::Decode {
            endpoint: self.endpoint.label.clone(),
            reason: format!(
                "the query result does not have the expected shape ({})",
                e.classify_name()
            ),
        }
    }

    /// The label of the server this client asks, for errors.
    pub fn endpoint_label(&self) -> &str {
        &self.endpoint.label
    }

    /// Every recording rule the server evaluates, names and labels sanitized.
    pub async fn recording_rules(&self) -> Result<Vec<RecordingRule>, SourceError> {
        let data: RulesData = self.api("api/v1/rules", &[]).await?;
        Ok(data
            .groups
            .into_iter()
            .flat_map(|g| g.rules)
            .filter(|r| r.kind == "recording")
            .map(|r| RecordingRule {
                name: clean_line(&r.name),
                query: clean_line(&r.query),
                labels: labels(r.labels),
            })
            .collect())
    }

    async fn alerts(&self, origin: &Origin) -> Result<Vec<Alert>, SourceError> {
        let data: AlertsData = self.api("api/v1/alerts", &[]).await?;
        Ok(data
            .alerts
            .into_iter()
            .map(|a| {
                let state = if a.state == "firing" {
                    AlertState::Active
                } else {
                    AlertState::Pending
                };
                Alert::new(
                    a.labels,
                    a.annotations,
                    state,
                    a.active_at.unwrap_or_else(Utc::now),
                    origin,
                )
            })
            .collect())
    }

    async fn rules(&self) -> Result<Vec<RuleHealth>, SourceError> {
        let data: RulesData = self.api("api/v1/rules", &[]).await?;
        Ok(data
            .groups
            .into_iter()
            .flat_map(|g| {
                let group = clean_line(&format!("{}:{}", g.file, g.name));
                g.rules.into_iter().map(move |r| RuleHealth {
                    group: group.clone(),
                    name: clean_line(&r.name),
                    alerting: r.kind == "alerting",
                    query: clean_line(&r.query),
                    state: match r.health.as_str() {
                        "ok" => RuleState::Ok,
                        "err" => RuleState::Failing,
                        _ => RuleState::Unknown,
                    },
                    last_error: r
                        .last_error
                        .filter(|e| !e.is_empty())
                        .map(|e| clean_line(&e)),
                    last_evaluation: r.last_evaluation.filter(|t| t.timestamp() > 0),
                })
            })
            .collect())
    }
}

/// Short names for serde_json error categories, for messages that quote nothing.
trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Data => "unexpected values",
            serde_json::error::Category::Syntax => "bad syntax",
            serde_json::error::Category::Eof => "truncated",
            serde_json::error::Category::Io => "unreadable",
        }
    }
}

fn matrix(value: serde_json::Value) -> Result<Vec<Series>, serde_json::Error> {
    let series: Vec<ApiSeries> = serde_json::from_value(value)?;
    Ok(series
        .into_iter()
        .map(|s| Series {
            metric: labels(s.metric),
            points: s
                .values
                .into_iter()
                .map(|(t, v)| (from_unix(t), parse_value(&v)))
                .collect(),
        })
        .collect())
}

fn labels(m: BTreeMap<String, String>) -> LabelSet {
    m.into_iter()
        .map(|(k, v)| (clean_line(&k), clean_line(&v)))
        .collect()
}

/// Prometheus sends sample values as strings: numbers, `NaN`, `+Inf`, `-Inf`.
pub fn parse_value(s: &str) -> f64 {
    match s {
        "+Inf" | "Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        other => other.parse().unwrap_or(f64::NAN),
    }
}

fn from_unix(t: f64) -> DateTime<Utc> {
    let secs = t.floor();
    let nanos = ((t - secs) * 1e9).round() as u32;
    Utc.timestamp_opt(secs as i64, nanos.min(999_999_999))
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// One or more Prometheus servers (an HA pair evaluating the same rules is deduplicated
/// like Alertmanager peers).
pub struct PrometheusSource {
    name: String,
    servers: Vec<PromClient>,
    /// Also read the service graph from `traces_service_graph_*` metrics.
    service_graph: bool,
}

impl PrometheusSource {
    /// The source called `name`, asking each of `servers`.
    pub fn new(name: &str, servers: Vec<PromClient>) -> PrometheusSource {
        PrometheusSource {
            name: name.to_string(),
            servers,
            service_graph: false,
        }
    }

    /// Reads the service graph too (`service_graph = true`).
    pub fn with_service_graph(mut self, on: bool) -> PrometheusSource {
        self.service_graph = on;
        self
    }

    /// The query client of the first server.
    pub fn client(&self) -> Option<&PromClient> {
        self.servers.first()
    }
}

impl Source for PrometheusSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> &str {
        "prometheus"
    }

    fn fetch(&self) -> BoxFuture<'_, Result<Snapshot, SourceError>> {
        Box::pin(async move {
            let answers = join_all(self.servers.iter().map(|server| async move {
                let origin = Origin::new(&self.name, &server.endpoint.label);
                let (alerts, rules) = tokio::join!(server.alerts(&origin), server.rules());
                alerts.and_then(|a| rules.map(|r| (a, r)))
            }))
            .await;
            let mut snapshot = Snapshot {
                taken_at: Utc::now(),
                ..Snapshot::default()
            };
            let mut errors = Vec::new();
            let mut alerts = Vec::new();
            for answer in answers {
                match answer {
                    Ok((theirs, rules)) => {
                        alerts.extend(theirs);
                        if snapshot.rules.is_empty() {
                            snapshot.rules = rules;
                        }
                    }
                    Err(e) => errors.push(e.to_string()),
                }
            }
            if errors.len() == self.servers.len() {
                return Err(SourceError::Other(errors.join("; ")));
            }
            super::share_copies(&mut alerts);
            snapshot.alerts = std::sync::Arc::new(alerts);
            snapshot.partial_errors = errors;
            // A graph that cannot be read fails the poll: the last good one is kept and
            // the source says why, rather than the map silently losing its rates.
            if self.service_graph
                && let Some(server) = self.servers.first()
            {
                let graph = super::service_graph::read(server, snapshot.taken_at)
                    .await
                    .map_err(|e| SourceError::Other(format!("service graph: {e}")))?;
                snapshot.graph = Some(graph);
            }
            Ok(snapshot)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_times_parse_like_prometheus_writes_them() {
        assert_eq!(parse_value("1.5"), 1.5);
        assert_eq!(parse_value("+Inf"), f64::INFINITY);
        assert!(parse_value("NaN").is_nan());
        assert_eq!(
            from_unix(1_700_000_000.25).timestamp_millis(),
            1_700_000_000_250
        );
        assert_eq!(
            Timestamp::Unix.format(from_unix(1_700_000_000.25)),
            "1700000000.250"
        );
    }
}
