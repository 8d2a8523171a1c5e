//! `clops deps -o json`.

use serde::Serialize;

use super::ListOf;
use crate::deps::Map;
use crate::model::{Edge, ServiceStatus};

/// `{"services": [{name, status}], "edges": [{from, to, calls_per_s, error_ratio}]}`.
#[derive(Serialize)]
pub struct DepsJson<'a> {
    services: ListOf<'a, (String, ServiceStatus), ServiceJson<'a>>,
    edges: ListOf<'a, Edge, EdgeJson<'a>>,
}

impl<'a> DepsJson<'a> {
    /// The map as it is ordered.
    pub fn new(map: &'a Map) -> DepsJson<'a> {
        DepsJson {
            services: ListOf(&map.services, |(name, status)| ServiceJson {
                name,
                status: *status,
            }),
            edges: ListOf(&map.edges, |e| EdgeJson {
                from: &e.from,
                to: &e.to,
                calls_per_s: e.calls_per_s,
                error_ratio: e.error_ratio,
            }),
        }
    }
}

#[derive(Serialize)]
struct ServiceJson<'a> {
    name: &'a str,
    status: ServiceStatus,
}

/// Rates that are unknown, or no number at all, are null.
#[derive(Serialize)]
struct EdgeJson<'a> {
    from: &'a str,
    to: &'a str,
    calls_per_s: Option<f64>,
    error_ratio: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_follows_the_contract() {
        let edge = |to: &str, rate, err| Edge {
            from: "checkout".into(),
            to: to.into(),
            calls_per_s: rate,
            error_ratio: err,
        };
        let map = Map {
            services: vec![
                ("cart".into(), ServiceStatus::Ok),
                ("checkout".into(), ServiceStatus::Failing),
            ],
            edges: vec![
                edge("cart", None, Some(f64::NAN)),
                edge("payments", Some(10.0), Some(0.125)),
            ],
        };
        assert_eq!(
            serde_json::to_value(DepsJson::new(&map)).unwrap(),
            json!({
                "services": [
                    {"name": "cart", "status": "ok"},
                    {"name": "checkout", "status": "failing"},
                ],
                "edges": [
                    {"from": "checkout", "to": "cart", "calls_per_s": null, "error_ratio": null},
                    {"from": "checkout", "to": "payments", "calls_per_s": 10.0, "error_ratio": 0.125},
                ],
            })
        );
    }
}
