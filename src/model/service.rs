//! The service dependency map.

use serde::Serialize;

/// How a service is doing, as lit on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceStatus {
    Failing,
    Degraded,
    Ok,
    Unknown,
}

/// A service of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    pub name: String,
    pub status: ServiceStatus,
    #[serde(skip)]
    pub owner: Option<String>,
}

/// `from` calls `to` (so `from` depends on `to`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub calls_per_s: Option<f64>,
    pub error_ratio: Option<f64>,
}

/// Services and who calls whom.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ServiceGraph {
    pub services: Vec<Service>,
    pub edges: Vec<Edge>,
}

impl ServiceGraph {
    /// Services that `service` calls directly.
    pub fn dependencies<'a>(&'a self, service: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.edges
            .iter()
            .filter(move |e| e.from == service)
            .map(|e| e.to.as_str())
    }

    /// Services that call `service` directly.
    pub fn callers<'a>(&'a self, service: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.edges
            .iter()
            .filter(move |e| e.to == service)
            .map(|e| e.from.as_str())
    }
}
