//! Alert storms with ground truth: the fixtures in tests/fixtures/storms, and scoring of
//! a grouping against them (pairwise precision and recall, as score.py computes them).
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use clops::model::{Alert, AlertState, Edge, Labels, Origin, Service, ServiceGraph, ServiceStatus};
use serde_json::Value;

/// Where the storms live.
pub fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/storms")
        .join(name)
}

/// One storm: its alerts (labels, annotations, start offset), truth and catalog.
pub struct Storm {
    pub alerts: Vec<(Labels, Labels, i64)>,
    /// Incidents as sets of alert indices.
    pub truth: Vec<Vec<usize>>,
    pub graph: ServiceGraph,
}

/// The moment storms are replayed at.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 20, 0, 0).unwrap()
}

/// Reads `tests/fixtures/storms/<name>`.
pub fn load(name: &str) -> Storm {
    let d = dir(name);
    let alerts: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("alerts.json")).unwrap()).unwrap();
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("truth.json")).unwrap()).unwrap();
    let catalog: toml::Table =
        toml::from_str(&std::fs::read_to_string(d.join("catalog.toml")).unwrap()).unwrap();
    let map = |v: &Value| -> Labels {
        v.as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let alerts = alerts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                map(&a["labels"]),
                map(&a["annotations"]),
                a["starts_offset_s"].as_i64().unwrap(),
            )
        })
        .collect();
    let truth = truth["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            i["alerts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() as usize)
                .collect()
        })
        .collect();
    let mut graph = ServiceGraph::default();
    for s in catalog["services"].as_array().unwrap() {
        let name = s["name"].as_str().unwrap().to_string();
        for dep in s
            .get("depends_on")
            .and_then(|d| d.as_array())
            .into_iter()
            .flatten()
        {
            graph.edges.push(Edge {
                from: name.clone(),
                to: dep.as_str().unwrap().to_string(),
                calls_per_s: None,
                error_ratio: None,
            });
        }
        graph.services.push(Service {
            name,
            status: ServiceStatus::Unknown,
            owner: None,
        });
    }
    Storm {
        alerts,
        truth,
        graph,
    }
}

impl Storm {
    /// The storm's alerts as a source reports them at `t0()`.
    pub fn alerts(&self) -> Vec<Alert> {
        let origin = Origin::new("storm", "am-0");
        self.alerts
            .iter()
            .map(|(l, a, off)| {
                Alert::new(
                    l.clone(),
                    a.clone(),
                    AlertState::Active,
                    t0() + Duration::seconds(*off),
                    &origin,
                )
            })
            .collect()
    }
}

/// Pairwise precision, recall and F1 of `groups` (lists of label sets) against truth.
pub fn score(storm: &Storm, groups: &[Vec<BTreeMap<String, String>>]) -> (f64, f64, f64) {
    let index: HashMap<&Labels, usize> = storm
        .alerts
        .iter()
        .enumerate()
        .map(|(i, (l, _, _))| (l, i))
        .collect();
    let pairs = |clusters: &[Vec<usize>]| -> HashSet<(usize, usize)> {
        let mut s = HashSet::new();
        for c in clusters {
            let mut c = c.clone();
            c.sort();
            for (k, &a) in c.iter().enumerate() {
                for &b in &c[k + 1..] {
                    s.insert((a, b));
                }
            }
        }
        s
    };
    let found: Vec<Vec<usize>> = groups
        .iter()
        .map(|g| g.iter().filter_map(|l| index.get(l).copied()).collect())
        .collect();
    let (truth, ours) = (pairs(&storm.truth), pairs(&found));
    let tp = truth.intersection(&ours).count() as f64;
    let precision = if ours.is_empty() {
        1.0
    } else {
        tp / ours.len() as f64
    };
    let recall = if truth.is_empty() {
        1.0
    } else {
        tp / truth.len() as f64
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    (precision, recall, f1)
}
