//! Alert storms made up on the spot, with their ground truth: other service names,
//! topologies, timings and noise than the three fixtures, so triage is checked on
//! storms it was never shown. Also makes the big storms of the benches.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashSet};

use chrono::Duration;
use clops::model::{Alert, AlertState, Edge, Labels, Origin, Service, ServiceGraph, ServiceStatus};

use super::storms::t0;

/// A small, fixed PRNG (SplitMix64), so a seed is a storm everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5851_f42d_4c95_7f2d)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A number in lo..=hi.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next() as usize % items.len()]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ru", "te", "zan", "vo", "pex", "qui", "dor", "fen", "gal", "hux", "jin",
];
const SYMPTOMS: &[&str] = &[
    "RequestErrorsHigh",
    "P99LatencyHigh",
    "ErrorBudgetBurn",
    "UpstreamTimeouts",
    "QueueDepthGrowing",
    "Http5xxRatio",
    "SaturationHigh",
    "AvailabilityDrop",
];
const NODE_DOWN: &[&str] = &["KubeNodeNotReady", "NodeUnreachable", "NodeDown"];
const POD_TROUBLE: &[&str] = &[
    "KubePodNotReady",
    "KubePodCrashLooping",
    "TargetDown",
    "ContainerRestarting",
];
/// Housekeeping alerts from the usual Prometheus and Kubernetes rule sets.
const CHORES: &[&str] = &[
    "KubeJobFailed",
    "KubeCronJobRunning",
    "CertificateExpiringSoon",
    "NodeClockSkewDetected",
    "NodeFilesystemSpaceFillingUp",
    "PrometheusRuleFailures",
];

/// A generated storm: alerts, truth (incidents as alert indices), and the catalog.
pub struct Generated {
    pub alerts: Vec<Alert>,
    pub truth: Vec<Vec<usize>>,
    pub graph: ServiceGraph,
}

impl Generated {
    /// The alerts' label sets grouped as `groups` says, for scoring.
    pub fn score(&self, groups: &[clops::model::Group]) -> (f64, f64, f64) {
        let storm = super::storms::Storm {
            alerts: self
                .alerts
                .iter()
                .map(|a| (a.labels.to_map(), Labels::new(), 0))
                .collect(),
            truth: self.truth.clone(),
            graph: self.graph.clone(),
            config: Default::default(),
            flaps: Vec::new(),
            live: None,
        };
        let sets: Vec<Vec<BTreeMap<String, String>>> = groups
            .iter()
            .map(|g| g.alerts.iter().map(|a| a.labels.to_map()).collect())
            .collect();
        super::storms::score(&storm, &sets)
    }
}

struct Builder {
    rng: Rng,
    alerts: Vec<Alert>,
    truth: Vec<Vec<usize>>,
    origin: Origin,
    serial: u64,
}

impl Builder {
    fn alert(
        &mut self,
        name: &str,
        severity: &str,
        cluster: &str,
        extra: &[(&str, String)],
        offset_s: i64,
    ) -> usize {
        self.serial += 1;
        let mut l = Labels::new();
        l.insert("alertname".into(), name.into());
        l.insert("severity".into(), severity.into());
        l.insert("cluster".into(), cluster.into());
        l.insert("alert_id".into(), format!("{:x}", self.serial));
        for (k, v) in extra {
            l.insert((*k).into(), v.clone());
        }
        let mut a = Labels::new();
        a.insert("summary".into(), format!("{name} in {cluster}"));
        let at = t0() + Duration::seconds(offset_s);
        self.alerts
            .push(Alert::new(l, a, AlertState::Active, at, &self.origin));
        self.alerts.len() - 1
    }
}

/// A storm over `clusters` clusters with about `per_cluster` incidents each.
pub fn storm(seed: u64, clusters: usize, per_cluster: usize) -> Generated {
    let mut rng = Rng::new(seed);
    // A layered service map: each service calls one to three of the layers below.
    let layers = rng.range(3, 5) as usize;
    let mut names: Vec<Vec<String>> = Vec::new();
    let mut used = HashSet::new();
    for layer in 0..layers {
        let count = rng.range(3, 7) as usize;
        let mut layer_names = Vec::new();
        while layer_names.len() < count {
            let n = format!(
                "{}{}{}",
                rng.pick(SYLLABLES),
                rng.pick(SYLLABLES),
                if layer + 1 == layers { "-store" } else { "" }
            );
            if used.insert(n.clone()) {
                layer_names.push(n);
            }
        }
        names.push(layer_names);
    }
    let mut graph = ServiceGraph::default();
    for (layer, group) in names.iter().enumerate() {
        for name in group {
            graph.services.push(Service {
                name: name.clone(),
                status: ServiceStatus::Unknown,
                owner: None,
            });
            if layer + 1 < layers {
                let calls = rng.range(1, 3);
                for _ in 0..calls {
                    let below = &names[rng.range(layer as i64 + 1, layers as i64 - 1) as usize];
                    let to = rng.pick(below).clone();
                    if !graph.edges.iter().any(|e| e.from == *name && e.to == to) {
                        graph.edges.push(Edge {
                            from: name.clone(),
                            to,
                            calls_per_s: None,
                            error_ratio: None,
                        });
                    }
                }
            }
        }
    }
    let all: Vec<String> = names.concat();
    let topology = clops::triage::outages::Topology::from_graph(&graph);
    let callers: Vec<(String, Vec<String>)> = all
        .iter()
        .map(|target| {
            (
                target.clone(),
                all.iter()
                    .filter(|s| topology.depends_on(s, target))
                    .cloned()
                    .collect(),
            )
        })
        .collect();
    let callers_of = |target: &str| -> Vec<String> {
        callers
            .iter()
            .find(|(t, _)| t == target)
            .map(|(_, c)| c.clone())
            .unwrap_or_default()
    };
    let roots: Vec<String> = callers
        .iter()
        .filter(|(_, c)| !c.is_empty())
        .map(|(t, _)| t.clone())
        .collect();

    let mut b = Builder {
        rng,
        alerts: Vec::new(),
        truth: Vec::new(),
        origin: Origin::new("storm", "am-0"),
        serial: seed << 32,
    };
    for c in 0..clusters {
        let cluster = format!("{}-{}", b.rng.pick(SYLLABLES), c);
        // Incidents of one cluster start at least 20 minutes apart.
        let mut onset = -b.rng.range(5 * 3600, 6 * 3600);
        let mut busy: Vec<(i64, i64)> = Vec::new();
        for _ in 0..per_cluster {
            let kind = b.rng.range(0, 2);
            let mut members = Vec::new();
            match kind {
                0 => {
                    // A failing service, and services that depend on it failing after it.
                    let root = b.rng.pick(&roots).clone();
                    for _ in 0..b.rng.range(1, 4) {
                        let (name, inst) = (
                            b.rng.pick(SYMPTOMS).to_string(),
                            format!("{root}-{}", b.rng.range(1, 99)),
                        );
                        let at = onset + b.rng.range(0, 30);
                        members.push(b.alert(
                            &name,
                            "critical",
                            &cluster,
                            &[("service", root.clone()), ("instance", inst)],
                            at,
                        ));
                    }
                    let callers = callers_of(&root);
                    let n = b.rng.range(1, callers.len().min(5) as i64) as usize;
                    for _ in 0..n {
                        let svc = b.rng.pick(&callers).clone();
                        for _ in 0..b.rng.range(1, 3) {
                            let sev = if b.rng.chance(50) {
                                "critical"
                            } else {
                                "warning"
                            };
                            let (name, inst) = (
                                b.rng.pick(SYMPTOMS).to_string(),
                                format!("{svc}-{}", b.rng.range(1, 99)),
                            );
                            // Mostly after the root; now and then a rule fires a little before it.
                            let at = if b.rng.chance(10) {
                                onset - b.rng.range(0, 45)
                            } else {
                                onset + b.rng.range(30, 420)
                            };
                            members.push(b.alert(
                                &name,
                                sev,
                                &cluster,
                                &[("service", svc.clone()), ("instance", inst)],
                                at,
                            ));
                        }
                    }
                }
                1 => {
                    // A node goes, and the pods on it.
                    let node = format!("{cluster}-node-{}", b.rng.range(1, 30));
                    let name = b.rng.pick(NODE_DOWN).to_string();
                    members.push(b.alert(
                        &name,
                        "critical",
                        &cluster,
                        &[("node", node.clone())],
                        onset,
                    ));
                    for _ in 0..b.rng.range(2, 6) {
                        let svc = b.rng.pick(&all).clone();
                        let (name, pod) = (
                            b.rng.pick(POD_TROUBLE).to_string(),
                            format!("{svc}-{}", b.rng.range(1000, 9999)),
                        );
                        let at = onset + b.rng.range(20, 300);
                        members.push(b.alert(
                            &name,
                            "warning",
                            &cluster,
                            &[("service", svc), ("node", node.clone()), ("pod", pod)],
                            at,
                        ));
                    }
                }
                _ => {
                    // A bad release of one service: many of its alerts at once.
                    let svc = b.rng.pick(&all).clone();
                    let version = format!("v{}.{}.0", b.rng.range(1, 9), b.rng.range(0, 30));
                    for _ in 0..b.rng.range(3, 8) {
                        let sev = if b.rng.chance(60) {
                            "critical"
                        } else {
                            "warning"
                        };
                        let (name, inst) = (
                            b.rng.pick(SYMPTOMS).to_string(),
                            format!("{svc}-{}", b.rng.range(1, 99)),
                        );
                        let at = onset + b.rng.range(0, 240);
                        members.push(b.alert(
                            &name,
                            sev,
                            &cluster,
                            &[
                                ("service", svc.clone()),
                                ("instance", inst),
                                ("version", version.clone()),
                            ],
                            at,
                        ));
                    }
                }
            }
            busy.push((onset, onset + 420));
            b.truth.push(members);
            onset += b.rng.range(20 * 60, 45 * 60);
        }
        // Noise: housekeeping alerts any time, and mild ones, each its own thing.
        for _ in 0..b.rng.range(3, 6) {
            let at = -b.rng.range(0, 6 * 3600);
            let members = if b.rng.chance(70) {
                let name = b.rng.pick(CHORES).to_string();
                let on = if b.rng.chance(50) {
                    ("service", b.rng.pick(&all).clone())
                } else {
                    ("node", format!("{cluster}-node-{}", b.rng.range(1, 30)))
                };
                vec![b.alert(&name, "warning", &cluster, &[on], at)]
            } else {
                let svc = b.rng.pick(&all).clone();
                vec![b.alert(
                    "ConfigReloadSlow",
                    "info",
                    &cluster,
                    &[("service", svc)],
                    at,
                )]
            };
            b.truth.push(members);
        }
    }
    Generated {
        alerts: b.alerts,
        truth: b.truth,
        graph,
    }
}
