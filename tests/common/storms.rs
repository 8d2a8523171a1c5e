//! Alert storms with ground truth: the fixtures in tests/fixtures/storms, and scoring of
//! a grouping against them (pairwise precision and recall, as score.py computes them).
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use clops::model::{Alert, AlertState, Edge, Labels, Origin, Service, ServiceGraph, ServiceStatus};
use serde::Deserialize;
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
    /// The triage settings its `clops.toml` fragment gives (defaults otherwise).
    pub config: clops::config::TriageConfig,
    /// Per alert, its earlier firings `(start, end)` as offsets: a flapping alert's.
    pub flaps: Vec<Vec<(i64, i64)>>,
    /// What a live dependency source (tracing, service-graph metrics) would show: the
    /// edges `world.json` says are true, with traffic.
    pub live: Option<ServiceGraph>,
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
    let config = match std::fs::read_to_string(d.join("clops.toml")) {
        Ok(text) => {
            let t: toml::Table = toml::from_str(&text).unwrap();
            clops::config::TriageConfig::deserialize(t["triage"].clone()).unwrap()
        }
        Err(_) => clops::config::TriageConfig::default(),
    };
    let raw: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("alerts.json")).unwrap()).unwrap();
    let flaps = raw
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            a.get("flap_history")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|f| (f[0].as_i64().unwrap(), f[1].as_i64().unwrap()))
                .collect()
        })
        .collect();
    let live = std::fs::read_to_string(d.join("world.json"))
        .ok()
        .map(|text| {
            let world: Value = serde_json::from_str(&text).unwrap();
            ServiceGraph {
                services: Vec::new(),
                edges: world["true_edges"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| Edge {
                        from: e[0].as_str().unwrap().into(),
                        to: e[1].as_str().unwrap().into(),
                        calls_per_s: Some(1.0),
                        error_ratio: None,
                    })
                    .collect(),
            }
        });
    Storm {
        alerts,
        truth,
        graph,
        config,
        flaps,
        live,
    }
}

impl Storm {
    /// The groups triage makes of the storm at `t0()`, as the console would after
    /// seeing each flapping alert's earlier firings, with the catalog and (when
    /// `live`) the live dependency graph as sources.
    pub fn triaged(&self, live: bool) -> Vec<clops::model::Group> {
        use clops::sources::{Snapshot, SourceSet, SourceUpdate};
        let mut triage = clops::triage::Triage::new(self.config.clone(), &[]).unwrap();
        let all = self.alerts();
        let mut set = SourceSet::new([
            ("storm", "alertmanager"),
            ("catalog", "catalog"),
            ("traces", "jaeger"),
        ]);
        let apply = |set: &mut SourceSet, source: &str, at, snapshot: Snapshot| {
            set.apply(SourceUpdate {
                source: source.into(),
                at,
                result: Ok(snapshot),
            })
        };
        let graph = |g: ServiceGraph| Snapshot {
            taken_at: t0(),
            graph: Some(g),
            ..Snapshot::default()
        };
        apply(&mut set, "catalog", t0(), graph(self.graph.clone()));
        if live && let Some(g) = &self.live {
            apply(&mut set, "traces", t0(), graph(g.clone()));
        }
        // Earlier firings, in the order they happened, each seen by one poll: replayed
        // just before the storm, as through an Alertmanager (their starts in the past).
        let mut firings: Vec<(i64, usize)> = self
            .flaps
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.iter().map(move |&(start, _)| (start, i)))
            .collect();
        firings.sort();
        for (start, i) in firings {
            let mut a = all[i].clone();
            a.starts_at = t0() + Duration::seconds(start);
            let at = t0();
            let snapshot = Snapshot {
                taken_at: at,
                alerts: vec![a].into(),
                ..Snapshot::default()
            };
            apply(&mut set, "storm", at, snapshot);
            triage.board(set.latest(), at);
        }
        let snapshot = Snapshot {
            taken_at: t0(),
            alerts: all.into(),
            ..Snapshot::default()
        };
        apply(&mut set, "storm", t0(), snapshot);
        triage.board(set.latest(), t0()).groups
    }

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

/// Prints each group with the truth incident of each alert (`STORM_DEBUG=1`), to see
/// where a grouping goes wrong.
pub fn explain(storm: &Storm, groups: &[clops::model::Group]) {
    if std::env::var_os("STORM_DEBUG").is_none() {
        return;
    }
    let index: HashMap<BTreeMap<String, String>, usize> = storm
        .alerts
        .iter()
        .enumerate()
        .map(|(i, (l, _, _))| (l.clone(), i))
        .collect();
    let incident = |i: usize| storm.truth.iter().position(|t| t.contains(&i));
    for g in groups {
        let members: Vec<String> = g
            .alerts
            .iter()
            .filter_map(|a| index.get(&a.labels.to_map()))
            .map(|&i| format!("{i}:{:?}@{}", incident(i), storm.alerts[i].2))
            .collect();
        println!("  [{}] {} | {}", g.title, g.reason, members.join(" "));
    }
}
