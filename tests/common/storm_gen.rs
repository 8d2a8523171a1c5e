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

/// A storm shaped like a real Kubernetes cluster, of the kinds triage's first rules got
/// wrong, with other names, topologies, timings and label layouts than storm-4 … 9:
/// services whose own alerts lack the service label (job, pod, instance only),
/// kube-state-metrics and node-exporter alerts, nodes named only in `instance`, a
/// shared dependency tied by a label, services on a VM tied by its host, slow burns,
/// two unrelated incidents minutes apart, a catalog with missing and dead edges (the
/// live graph shows the truth), flapping alerts and tickets hours before.
pub fn kube_storm(seed: u64) -> super::storms::Storm {
    use super::storms::Storm;
    let mut rng = Rng::new(seed ^ 0x6b75_6265);
    // The label naming services, and which layout the rules use.
    let service_label = *rng.pick(&["service", "app", "app_kubernetes_io_name", "component"]);
    let rules_join_pod_labels = rng.chance(50);
    // A layered service map, as in `storm`, with other syllables.
    const PARTS: &[&str] = &[
        "amber", "birch", "cedar", "delta", "ember", "flint", "grove", "heron", "iris", "juno",
        "kite", "lumen", "moss", "nova", "onyx", "pike", "quill", "rune",
    ];
    let layers = rng.range(3, 4) as usize;
    let mut names: Vec<Vec<String>> = Vec::new();
    let mut used = HashSet::new();
    for layer in 0..layers {
        let mut layer_names = Vec::new();
        while layer_names.len() < rng.range(3, 5) as usize {
            let n = format!(
                "{}-{}{}",
                rng.pick(PARTS),
                rng.pick(PARTS),
                if layer + 1 == layers { "-db" } else { "" }
            );
            if used.insert(n.clone()) {
                layer_names.push(n);
            }
        }
        names.push(layer_names);
    }
    let mut true_edges: Vec<(String, String)> = Vec::new();
    for (layer, group) in names.iter().enumerate().take(layers - 1) {
        for name in group {
            for _ in 0..rng.range(1, 2) {
                let below = &names[rng.range(layer as i64 + 1, layers as i64 - 1) as usize];
                let to = rng.pick(below).clone();
                if !true_edges.contains(&(name.clone(), to.clone())) {
                    true_edges.push((name.clone(), to));
                }
            }
        }
    }
    let all: Vec<String> = names.concat();
    let edge = |(f, t): &(String, String)| Edge {
        from: f.clone(),
        to: t.clone(),
        calls_per_s: None,
        error_ratio: None,
    };
    // The catalog misses about a fifth of the true edges and keeps two dead ones.
    let mut catalog = ServiceGraph::default();
    for s in &all {
        catalog.services.push(Service {
            name: s.clone(),
            status: ServiceStatus::Unknown,
            owner: None,
        });
    }
    for e in &true_edges {
        if !rng.chance(20) {
            catalog.edges.push(edge(e));
        }
    }
    let mut dead = Vec::new();
    while dead.len() < 2 {
        let (a, b) = (
            rng.pick(&names[0]).clone(),
            rng.pick(&names[layers - 1]).clone(),
        );
        if !true_edges.contains(&(a.clone(), b.clone())) && !dead.contains(&(a.clone(), b.clone()))
        {
            dead.push((a, b));
        }
    }
    catalog.edges.extend(dead.iter().map(edge));
    let live = ServiceGraph {
        services: Vec::new(),
        edges: true_edges
            .iter()
            .map(|e| Edge {
                calls_per_s: Some(5.0),
                ..edge(e)
            })
            .collect(),
    };
    let truly = clops::triage::outages::Topology::from_graph(&live);
    let callers_of = |target: &str| -> Vec<String> {
        all.iter()
            .filter(|s| truly.depends_on(s, target))
            .cloned()
            .collect()
    };
    // About a third of the services' scrape configs never copied the service label.
    let unlabelled: HashSet<String> = all.iter().filter(|_| rng.chance(33)).cloned().collect();
    // One hash per workload, as a ReplicaSet would have it.
    let alnum = |rng: &mut Rng, n: usize| -> String {
        (0..n)
            .map(|_| *rng.pick(&b"bcdfghjklmnpqrstvwxz2456789"[..]) as char)
            .collect()
    };
    let hashes: BTreeMap<String, String> = all
        .iter()
        .map(|s| (s.clone(), alnum(&mut rng, 9)))
        .collect();

    let mut alerts: Vec<(Labels, Labels, i64)> = Vec::new();
    let mut truth: Vec<Vec<usize>> = Vec::new();
    let mut flaps: Vec<Vec<(i64, i64)>> = Vec::new();
    let push = |alerts: &mut Vec<(Labels, Labels, i64)>,
                flaps: &mut Vec<Vec<(i64, i64)>>,
                pairs: Vec<(&str, String)>,
                at: i64,
                history: Vec<(i64, i64)>|
     -> usize {
        let labels: Labels = pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let mut annotations = Labels::new();
        annotations.insert("summary".into(), labels["alertname"].clone());
        alerts.push((labels, annotations, at));
        flaps.push(history);
        alerts.len() - 1
    };
    let clusters = rng.range(2, 3) as usize;
    for c in 0..clusters {
        let cluster = format!("{}-{}", rng.pick(PARTS), c + 1);
        let net = format!("10.{}", 40 + c);
        let ip = |rng: &mut Rng| format!("{net}.{}.{}", rng.range(1, 254), rng.range(1, 254));
        let ksm = format!("{}:8080", ip(&mut rng));
        let node_name = |n: i64| format!("{cluster}-w{n}.nodes.internal");
        // What a service's own pods report.
        let own =
            |rng: &mut Rng, svc: &str, name: &str, sev: &str| -> Vec<(&'static str, String)> {
                let pod = format!("{svc}-{}-{}", hashes[svc], alnum(rng, 5));
                let mut l = vec![
                    ("alertname", name.to_string()),
                    ("severity", sev.to_string()),
                    ("cluster", cluster.clone()),
                    ("instance", format!("{}:8080", ip(rng))),
                    ("pod", pod),
                    ("namespace", "apps".to_string()),
                ];
                if unlabelled.contains(svc) {
                    let job = if rng.chance(50) {
                        format!("apps/{svc}")
                    } else {
                        svc.to_string()
                    };
                    l.push(("job", job));
                } else {
                    l.push(("job", svc.to_string()));
                    l.push((service_label, svc.to_string()));
                }
                l
            };
        // What kube-state-metrics says of a service's pod (its own instance and job).
        let kube = |rng: &mut Rng, svc: &str, name: &str, node: Option<String>| {
            let mut l = vec![
                ("alertname", name.to_string()),
                ("severity", "warning".to_string()),
                ("cluster", cluster.clone()),
                ("instance", ksm.clone()),
                ("job", "kube-state-metrics".to_string()),
                ("namespace", "apps".to_string()),
            ];
            if name == "KubeDeploymentRolloutStuck" {
                l.push(("deployment", svc.to_string()));
            } else {
                l.push(("pod", format!("{svc}-{}-{}", hashes[svc], alnum(rng, 5))));
                l.push(("container", svc.to_string()));
                l.push(("node", node.unwrap_or_else(|| node_name(rng.range(1, 40)))));
            }
            if rules_join_pod_labels {
                l.push((service_label, svc.to_string()));
            } else if service_label == "service" {
                l.push(("service", "kube-state-metrics".to_string()));
            }
            l
        };
        let mut onset = -rng.range(4 * 3600, 5 * 3600);
        let kinds = [0, 1, 2, 3, 4, 5];
        for &kind in kinds.iter() {
            let mut members = Vec::new();
            let mut end = onset + 600;
            match kind {
                0 => {
                    // A failing service and its callers failing after it.
                    let roots: Vec<&String> =
                        all.iter().filter(|s| !callers_of(s).is_empty()).collect();
                    let root = (*rng.pick(&roots)).clone();
                    for _ in 0..rng.range(2, 3) {
                        let at = onset + rng.range(0, 40);
                        let l = own(&mut rng, &root, "ServiceDown", "critical");
                        members.push(push(&mut alerts, &mut flaps, l, at, vec![]));
                    }
                    let callers = callers_of(&root);
                    for _ in 0..rng.range(2, 5) {
                        let svc = rng.pick(&callers).clone();
                        let at = onset + rng.range(60, 420);
                        let l = own(&mut rng, &svc, "RequestErrorsHigh", "critical");
                        members.push(push(&mut alerts, &mut flaps, l, at, vec![]));
                    }
                }
                1 => {
                    // A node goes NotReady: node-exporter (its instance names it), the
                    // node's Kubernetes alerts, and the pods it ran.
                    let node = node_name(rng.range(41, 60));
                    let exporter = if rng.chance(50) {
                        format!("{node}:9100")
                    } else {
                        node.clone()
                    };
                    for name in ["NodeDiskPressure", "NodeNetworkDown"] {
                        let l = vec![
                            ("alertname", name.to_string()),
                            ("severity", "warning".to_string()),
                            ("cluster", cluster.clone()),
                            ("instance", exporter.clone()),
                            ("job", "node-exporter".to_string()),
                            ("container", "node-exporter".to_string()),
                            ("pod", format!("node-exporter-{}", alnum(&mut rng, 5))),
                        ];
                        let at = onset + rng.range(0, 90);
                        members.push(push(&mut alerts, &mut flaps, l, at, vec![]));
                    }
                    let l = vec![
                        ("alertname", "KubeNodeNotReady".to_string()),
                        ("severity", "warning".to_string()),
                        ("cluster", cluster.clone()),
                        ("instance", ksm.clone()),
                        ("job", "kube-state-metrics".to_string()),
                        ("node", node.clone()),
                    ];
                    members.push(push(&mut alerts, &mut flaps, l, onset + 120, vec![]));
                    for _ in 0..rng.range(2, 5) {
                        let svc = rng.pick(&all).clone();
                        let l = kube(&mut rng, &svc, "KubePodNotReady", Some(node.clone()));
                        let at = onset + rng.range(150, 400);
                        members.push(push(&mut alerts, &mut flaps, l, at, vec![]));
                    }
                }
                2 => {
                    // A shared dependency named by a label: its own alerts, and the
                    // services using it.
                    let label = *rng.pick(&["rabbitmq_cluster", "nats_cluster", "db_cluster"]);
                    let value = format!("{}-{}", rng.pick(PARTS), rng.range(1, 9));
                    for k in 0..rng.range(2, 3) {
                        let l = vec![
                            ("alertname", "BrokerNodeDown".to_string()),
                            ("severity", "critical".to_string()),
                            ("cluster", cluster.clone()),
                            ("instance", format!("{value}-{k}.data.svc:9419")),
                            ("job", "broker-exporter".to_string()),
                            (label, value.clone()),
                        ];
                        let at = onset + rng.range(0, 60);
                        members.push(push(&mut alerts, &mut flaps, l, at, vec![]));
                    }
                    for _ in 0..rng.range(2, 4) {
                        let svc = rng.pick(&all).clone();
                        let mut l = own(&mut rng, &svc, "PublishFailures", "critical");
                        l.push((label, value.clone()));
                        let at = onset + rng.range(30, 300);
                        members.push(push(&mut alerts, &mut flaps, l, at, vec![]));
                    }
                }
                3 => {
                    // A slow burn: one service's alerts trickle in for half an hour or
                    // more, then its callers'.
                    let svc = rng.pick(&all).clone();
                    let mut at = onset;
                    for k in 0..rng.range(6, 9) {
                        let name = ["MemoryNearLimit", "LatencyHigh", "ContainerOOMKilled"]
                            [k as usize % 3];
                        let l = if k % 3 == 2 {
                            kube(&mut rng, &svc, name, None)
                        } else {
                            own(&mut rng, &svc, name, "warning")
                        };
                        members.push(push(&mut alerts, &mut flaps, l, at, vec![]));
                        at += rng.range(3 * 60, 9 * 60);
                    }
                    for caller in callers_of(&svc).iter().take(2) {
                        let l = own(&mut rng, caller, "RequestErrorsHigh", "critical");
                        let t = at + rng.range(0, 200);
                        members.push(push(&mut alerts, &mut flaps, l, t, vec![]));
                    }
                    end = at + 600;
                }
                4 => {
                    // Services on a VM whose host dies: the host's own alerts and theirs,
                    // each on its own port of the host.
                    let host = format!(
                        "vm-{}-{}.{cluster}.internal",
                        rng.pick(PARTS),
                        rng.range(1, 30)
                    );
                    let l = vec![
                        ("alertname", "HostUnitFailed".to_string()),
                        ("severity", "warning".to_string()),
                        ("cluster", cluster.clone()),
                        ("instance", format!("{host}:9100")),
                        ("job", "node".to_string()),
                    ];
                    members.push(push(&mut alerts, &mut flaps, l, onset, vec![]));
                    let mut on_vm = all.clone();
                    on_vm.retain(|_| rng.chance(30));
                    on_vm.truncate(3);
                    for (k, svc) in on_vm.iter().enumerate() {
                        let mut l = vec![
                            ("alertname", "RequestErrorsHigh".to_string()),
                            ("severity", "critical".to_string()),
                            ("cluster", cluster.clone()),
                            ("instance", format!("{host}:{}", 8081 + k)),
                            ("job", svc.clone()),
                        ];
                        if !unlabelled.contains(svc) {
                            l.push((service_label, svc.clone()));
                        }
                        let at = onset + rng.range(20, 240);
                        members.push(push(&mut alerts, &mut flaps, l, at, vec![]));
                    }
                }
                _ => {
                    // Two unrelated incidents minutes apart: a release gone bad, then
                    // a failure of something it has nothing to do with.
                    let a = rng.pick(&all).clone();
                    let unrelated: Vec<&String> = all
                        .iter()
                        .filter(|b| {
                            **b != a
                                && !truly.depends_on(b, &a)
                                && !truly.depends_on(&a, b)
                                && !dead
                                    .iter()
                                    .any(|(x, y)| (x == &a && y == *b) || (y == &a && x == *b))
                        })
                        .collect();
                    let Some(b) = (!unrelated.is_empty()).then(|| (*rng.pick(&unrelated)).clone())
                    else {
                        continue;
                    };
                    for _ in 0..rng.range(3, 5) {
                        let l = own(&mut rng, &a, "ErrorRatioHigh", "critical");
                        let at = onset + rng.range(0, 180);
                        members.push(push(&mut alerts, &mut flaps, l, at, vec![]));
                    }
                    let l = kube(&mut rng, &a, "KubeDeploymentRolloutStuck", None);
                    members.push(push(&mut alerts, &mut flaps, l, onset + 240, vec![]));
                    truth.push(std::mem::take(&mut members));
                    let later = onset + rng.range(2 * 60, 5 * 60);
                    for _ in 0..rng.range(2, 4) {
                        let l = own(&mut rng, &b, "ServiceDown", "critical");
                        let at = later + rng.range(0, 120);
                        members.push(push(&mut alerts, &mut flaps, l, at, vec![]));
                    }
                }
            }
            // A ticket on one of the incident's services, hours before it.
            if let Some(&first) = members.first()
                && let Some(svc) = alerts[first].0.get(service_label).cloned()
                && all.contains(&svc)
            {
                let l = own(&mut rng, &svc, "SlowRequestsTicket", "warning");
                let at = onset - rng.range(3 * 3600, 4 * 3600);
                let k = push(&mut alerts, &mut flaps, l, at, vec![]);
                truth.push(vec![k]);
            }
            // Now and then an alert that keeps flapping fires again during it.
            if rng.chance(40) {
                let svc = rng.pick(&all).clone();
                let at = onset + rng.range(30, 300);
                let mut history = Vec::new();
                let mut t = at - rng.range(40 * 60, 50 * 60);
                for _ in 0..rng.range(4, 8) {
                    let last = rng.range(2 * 60, 4 * 60);
                    history.push((t, t + last));
                    t += last + rng.range(3 * 60, 5 * 60);
                    if t >= at {
                        break;
                    }
                }
                let l = kube(&mut rng, &svc, "KubePodRestarting", None);
                let k = push(&mut alerts, &mut flaps, l, at, history);
                truth.push(vec![k]);
            }
            if !members.is_empty() {
                truth.push(members);
            }
            onset = end + rng.range(20 * 60, 30 * 60);
        }
    }
    let mut config = clops::config::TriageConfig {
        service_label: service_label.to_string(),
        ..Default::default()
    };
    // Sometimes a shared dependency named by a label of the user's own.
    if rng.chance(30) {
        config.shared_labels = vec![
            "db_cluster".into(),
            "nats_cluster".into(),
            "rabbitmq_cluster".into(),
        ];
    }
    Storm {
        alerts,
        truth,
        graph: catalog,
        config,
        flaps,
        live: Some(live),
    }
}
