//! Service-graph metrics in Prometheus (`traces_service_graph_request_total` and
//! `_failed_total` by `client` and `server`, as Tempo's and the OpenTelemetry
//! Collector's service-graph processors write them): live call rates and error ratios
//! per edge, for a `prometheus` source with `service_graph = true`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::model::{Edge, Service, ServiceGraph, ServiceStatus};
use crate::text::clean_line;

use super::SourceError;
use super::prometheus::{Instant, PromClient};

/// Calls per second of each edge, over the last five minutes.
pub const REQUESTS: &str = "sum by (client, server) (rate(traces_service_graph_request_total[5m]))";
/// Failed calls per second of each edge.
pub const FAILED: &str =
    "sum by (client, server) (rate(traces_service_graph_request_failed_total[5m]))";

/// The graph the metrics describe at `at`.
pub async fn read(client: &PromClient, at: DateTime<Utc>) -> Result<ServiceGraph, SourceError> {
    let (requests, failed) = tokio::join!(client.query(REQUESTS, at), client.query(FAILED, at));
    Ok(graph(&per_edge(requests?), &per_edge(failed?)))
}

/// (client, server) → value, from an instant vector.
fn per_edge(answer: Instant) -> BTreeMap<(String, String), f64> {
    let Instant::Vector(samples) = answer else {
        return BTreeMap::new();
    };
    samples
        .into_iter()
        .filter_map(|s| {
            let client = clean_line(s.metric.get("client")?);
            let server = clean_line(s.metric.get("server")?);
            (!client.is_empty() && !server.is_empty() && s.value.is_finite())
                .then_some(((client, server), s.value))
        })
        .collect()
}

fn graph(
    requests: &BTreeMap<(String, String), f64>,
    failed: &BTreeMap<(String, String), f64>,
) -> ServiceGraph {
    let mut graph = ServiceGraph::default();
    for ((client, server), rate) in requests {
        for name in [client, server] {
            if !graph.services.iter().any(|s| &s.name == name) {
                graph.services.push(Service {
                    name: name.clone(),
                    status: ServiceStatus::Unknown,
                    owner: None,
                });
            }
        }
        let failures = failed.get(&(client.clone(), server.clone())).copied();
        graph.edges.push(Edge {
            from: client.clone(),
            to: server.clone(),
            calls_per_s: Some(*rate),
            // No failed series for an edge that has calls means none failed.
            error_ratio: (*rate > 0.0).then(|| failures.unwrap_or(0.0) / rate),
        });
    }
    graph
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_become_edges_with_error_ratios() {
        let key = |a: &str, b: &str| (a.to_string(), b.to_string());
        let requests = BTreeMap::from([
            (key("checkout", "payments"), 10.0),
            (key("frontend", "checkout"), 20.0),
            (key("idle", "nobody"), 0.0),
        ]);
        let failed = BTreeMap::from([(key("checkout", "payments"), 2.5)]);
        let g = graph(&requests, &failed);
        assert_eq!(g.edges[0].error_ratio, Some(0.25));
        assert_eq!(
            g.edges[1].error_ratio,
            Some(0.0),
            "no failed series: none failed"
        );
        assert_eq!(g.edges[2].error_ratio, None, "no calls: no ratio");
        assert_eq!(g.services.len(), 5);
    }
}
