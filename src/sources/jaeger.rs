//! `kind = "jaeger"`: who calls whom, from Jaeger's `GET /api/dependencies`
//! (parent, child, call count over a lookback window), as edges with call rates.
//! Call counts become rates over the window; an `errorCount`, where the backend gives
//! one (Zipkin-style links), becomes the edge's error ratio.

use chrono::Utc;
use serde::Deserialize;

use crate::model::{Edge, Service, ServiceGraph, ServiceStatus};
use crate::text::clean_line;

use super::http::{Endpoint, HttpClient};
use super::{BoxFuture, Snapshot, Source, SourceError};

/// How far back the call counts reach.
pub const LOOKBACK: chrono::Duration = chrono::Duration::hours(1);

#[derive(Deserialize)]
struct Reply {
    #[serde(default)]
    data: Vec<Link>,
}

#[derive(Deserialize)]
struct Link {
    parent: String,
    child: String,
    #[serde(rename = "callCount", default)]
    call_count: u64,
    #[serde(rename = "errorCount", default)]
    error_count: Option<u64>,
}

/// One Jaeger query service.
pub struct JaegerSource {
    name: String,
    client: HttpClient,
    endpoint: Endpoint,
}

impl JaegerSource {
    pub fn new(name: &str, client: HttpClient, endpoint: Endpoint) -> JaegerSource {
        JaegerSource {
            name: name.to_string(),
            client,
            endpoint,
        }
    }

    async fn graph(&self) -> Result<ServiceGraph, SourceError> {
        let end = Utc::now().timestamp_millis().to_string();
        let lookback = LOOKBACK.num_milliseconds().to_string();
        let reply: Reply = self
            .client
            .get_json(
                &self.endpoint,
                "api/dependencies",
                &[("endTs", end.as_str()), ("lookback", lookback.as_str())],
            )
            .await?;
        Ok(graph_of(reply.data))
    }
}

fn graph_of(links: Vec<Link>) -> ServiceGraph {
    let seconds = LOOKBACK.num_seconds() as f64;
    let mut graph = ServiceGraph::default();
    for link in links {
        let (from, to) = (clean_line(&link.parent), clean_line(&link.child));
        if from.is_empty() || to.is_empty() {
            continue;
        }
        for name in [&from, &to] {
            if !graph.services.iter().any(|s| &s.name == name) {
                graph.services.push(Service {
                    name: name.clone(),
                    status: ServiceStatus::Unknown,
                    owner: None,
                });
            }
        }
        graph.edges.push(Edge {
            from,
            to,
            calls_per_s: Some(link.call_count as f64 / seconds),
            error_ratio: link
                .error_count
                .filter(|_| link.call_count > 0)
                .map(|e| e as f64 / link.call_count as f64),
        });
    }
    graph
}

impl Source for JaegerSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> &str {
        "jaeger"
    }

    fn fetch(&self) -> BoxFuture<'_, Result<Snapshot, SourceError>> {
        Box::pin(async move {
            Ok(Snapshot {
                taken_at: Utc::now(),
                graph: Some(self.graph().await?),
                ..Snapshot::default()
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_counts_become_rates_and_errors_ratios() {
        let links: Vec<Link> = serde_json::from_str::<Reply>(
            r#"{"data": [
                {"parent": "frontend", "child": "checkout", "callCount": 7200},
                {"parent": "checkout", "child": "payments", "callCount": 3600, "errorCount": 360},
                {"parent": "checkout", "child": "\u001b[31mcart", "callCount": 0, "errorCount": 0}
            ], "total": 3, "limit": 0, "offset": 0, "errors": null}"#,
        )
        .unwrap()
        .data;
        let g = graph_of(links);
        assert_eq!(g.edges[0].calls_per_s, Some(2.0));
        assert_eq!(g.edges[0].error_ratio, None, "Jaeger does not count errors");
        assert_eq!(g.edges[1].error_ratio, Some(0.1));
        assert_eq!(g.edges[2].to, "cart", "names are sanitized");
        assert_eq!(g.edges[2].error_ratio, None, "no calls, no ratio");
        let names: Vec<&str> = g.services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["frontend", "checkout", "payments", "cart"]);
    }
}
