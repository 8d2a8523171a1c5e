//! The simulated company behind `clops demo`: services in two clusters, their metrics,
//! the alert rules evaluated over those metrics, deploys, and background noise.
//!
//! Everything is a pure function of (scenario, seed, simulated time), so `--seed` gives
//! the same story every time and `--speed` only changes how fast the clock runs.

use std::collections::BTreeMap;

use crate::model::{Edge, Labels, Service, ServiceGraph, ServiceStatus, SliSample};

use super::scenario::{DeployKind, Fault, Scenario, Script};

/// Simulated seconds since the world's origin. The scripted incident repeats every cycle.
pub type SimTime = i64;

/// The two clusters of the simulated company.
pub const CLUSTERS: [&str; 2] = ["prod-eu", "prod-us"];

/// Step of the rule evaluator, as a Prometheus `evaluation_interval`.
const EVAL_STEP: SimTime = 15;
/// How far back a rule looks for the moment its condition became true.
const LOOKBACK: SimTime = 6 * 3600;

/// An alerting rule: name, severity, how long the condition must hold, the condition.
type Rule = (
    &'static str,
    &'static str,
    SimTime,
    fn(&SliSample, &ServiceDef) -> bool,
);

/// A service of the simulated company.
#[derive(Debug, Clone, Copy)]
pub struct ServiceDef {
    pub name: &'static str,
    pub team: &'static str,
    pub calls: &'static [&'static str],
    pub requests_per_s: f64,
    pub latency_ms: f64,
    pub replicas: u32,
}

/// The company: who calls whom, how busy each service is, who owns it.
pub const SERVICES: &[ServiceDef] = &[
    svc("frontend", "web", &["api-gateway"], 420.0, 80.0, 4),
    svc(
        "api-gateway",
        "platform",
        &[
            "auth",
            "checkout",
            "search",
            "catalog",
            "recommendations",
            "cart",
        ],
        400.0,
        60.0,
        4,
    ),
    svc("auth", "identity", &["redis-sessions"], 300.0, 12.0, 3),
    svc(
        "checkout",
        "payments",
        &["payments", "cart", "inventory", "shipping"],
        45.0,
        180.0,
        3,
    ),
    svc("payments", "payments", &["payments-db"], 40.0, 120.0, 3),
    svc("cart", "shop", &["redis-cart"], 150.0, 25.0, 3),
    svc("search", "discovery", &["catalog"], 120.0, 90.0, 3),
    svc("catalog", "discovery", &["catalog-db"], 260.0, 35.0, 3),
    svc("recommendations", "discovery", &["catalog"], 90.0, 140.0, 2),
    svc("inventory", "fulfilment", &["inventory-db"], 60.0, 30.0, 2),
    svc("shipping", "fulfilment", &["kafka"], 20.0, 70.0, 2),
    svc("notifications", "fulfilment", &["kafka"], 35.0, 40.0, 2),
    svc("payments-db", "payments", &[], 400.0, 4.0, 2),
    svc("catalog-db", "discovery", &[], 900.0, 3.0, 2),
    svc("inventory-db", "fulfilment", &[], 200.0, 3.0, 2),
    svc("redis-cart", "shop", &[], 1500.0, 1.0, 1),
    svc("redis-sessions", "identity", &[], 2500.0, 1.0, 1),
    svc("kafka", "platform", &[], 800.0, 6.0, 3),
];

const fn svc(
    name: &'static str,
    team: &'static str,
    calls: &'static [&'static str],
    requests_per_s: f64,
    latency_ms: f64,
    replicas: u32,
) -> ServiceDef {
    ServiceDef {
        name,
        team,
        calls,
        requests_per_s,
        latency_ms,
        replicas,
    }
}

/// Looks a service up by name.
pub fn service(name: &str) -> Option<&'static ServiceDef> {
    SERVICES.iter().find(|s| s.name == name)
}

/// An alert the world fires at some moment: labels, annotations and when it started.
#[derive(Debug, Clone, PartialEq)]
pub struct FiringAlert {
    pub labels: Labels,
    pub annotations: Labels,
    pub starts_at: SimTime,
}

/// A deploy the world performed.
#[derive(Debug, Clone, PartialEq)]
pub struct WorldDeploy {
    pub service: &'static str,
    pub cluster: &'static str,
    pub version: String,
    pub at: SimTime,
    pub status: &'static str,
    pub author: &'static str,
}

/// The simulated environment for one scenario and seed.
#[derive(Debug, Clone)]
pub struct World {
    pub scenario: Scenario,
    pub seed: u64,
    script: Script,
}

impl World {
    /// The world playing `scenario`, with noise drawn from `seed`.
    pub fn new(scenario: Scenario, seed: u64) -> World {
        World {
            scenario,
            seed,
            script: scenario.script(),
        }
    }

    /// Where the clock starts: a little into the first incident, so the console opens
    /// on a live page that is still unfolding.
    pub fn opening_time(&self) -> SimTime {
        self.script.opening
    }

    /// Length of one scripted cycle; the incident plays again in the next one.
    pub fn cycle_length(&self) -> SimTime {
        self.script.cycle
    }

    /// Request rate, error ratio and p99 latency of `service` in `cluster` at `t`.
    pub fn sli(&self, service: &ServiceDef, cluster: &str, t: SimTime) -> SliSample {
        let minute = t.div_euclid(60);
        let day_phase = (t as f64 / 86_400.0) * std::f64::consts::TAU;
        let traffic = 1.0 + 0.3 * day_phase.sin();
        let wobble = unit(self.hash(&[service.name, cluster, "err"], minute));
        let base_error = 0.0005 + 0.0025 * wobble * wobble;
        let lat_wobble = unit(self.hash(&[service.name, cluster, "lat"], minute));
        let (extra_error, latency_factor) = self.fault_effect(service.name, cluster, t);
        SliSample {
            at: chrono::DateTime::UNIX_EPOCH,
            requests_per_s: service.requests_per_s * traffic,
            error_ratio: (base_error + extra_error).min(1.0),
            latency_p99_ms: service.latency_ms * (1.2 + 0.3 * lat_wobble) * latency_factor,
        }
    }

    /// Extra error ratio and latency multiplier that active faults cause on `service`,
    /// directly or through the services it calls (callers feel it a little later).
    fn fault_effect(&self, service: &str, cluster: &str, t: SimTime) -> (f64, f64) {
        let mut error = 0.0;
        let mut latency = 1.0;
        for fault in self.script.faults.iter().filter(|f| f.cluster == cluster) {
            let Some(hops) = hops_to(service, fault.service) else {
                continue;
            };
            // Each hop away delays the effect and softens it.
            let felt_at = t - 45 * SimTime::from(hops);
            if self.cycle_index(felt_at) < 0 {
                continue; // the script starts at the origin; before it, all was calm
            }
            let level = fault.level(self.cycle_position(felt_at).1);
            let weight = match hops {
                0 => 1.0,
                h => 0.8 * 0.35f64.powi(h as i32 - 1),
            };
            error += fault.error_peak * weight * level;
            latency += (fault.latency_factor - 1.0) * weight * level;
        }
        (error, latency)
    }

    /// (start of the current cycle, seconds into it).
    fn cycle_position(&self, t: SimTime) -> (SimTime, SimTime) {
        let u = t.rem_euclid(self.script.cycle);
        (t - u, u)
    }

    /// Index of the cycle `t` falls in (0 for the first incident).
    fn cycle_index(&self, t: SimTime) -> i64 {
        t.div_euclid(self.script.cycle)
    }

    /// Every alert firing in `cluster` at `t`.
    pub fn alerts(&self, cluster: &str, t: SimTime) -> Vec<FiringAlert> {
        let mut out = Vec::new();
        for service in SERVICES {
            self.rule_alerts(service, cluster, t, &mut out);
        }
        self.script_alerts(cluster, t, &mut out);
        self.noise_alerts(cluster, t, &mut out);
        out
    }

    /// Alerting rules over the metrics, evaluated as Prometheus would every 15 s.
    fn rule_alerts(&self, s: &ServiceDef, cluster: &str, t: SimTime, out: &mut Vec<FiringAlert>) {
        let now = self.sli(s, cluster, t);
        let rules: [Rule; 3] = [
            ("HighErrorRate", "critical", 60, |x, _| x.error_ratio > 0.05),
            ("HighLatency", "warning", 120, |x, s| {
                x.latency_p99_ms > 3.0 * s.latency_ms
            }),
            // 14.4× burn of a 99.9% objective: the fast-burn page of the SRE workbook.
            ("SLOErrorBudgetBurn", "critical", 300, |x, _| {
                x.error_ratio > 14.4 * 0.001
            }),
        ];
        for (name, severity, hold, holds) in rules {
            if !holds(&now, s) {
                continue;
            }
            let mut onset = t - t.rem_euclid(EVAL_STEP);
            while t - onset < LOOKBACK && holds(&self.sli(s, cluster, onset - EVAL_STEP), s) {
                onset -= EVAL_STEP;
            }
            if t - onset < hold {
                continue;
            }
            let mut labels = base_labels(name, severity, cluster, s);
            let summary = match name {
                "HighErrorRate" => format!(
                    "{}: {:.1}% of requests failing",
                    s.name,
                    now.error_ratio * 100.0
                ),
                "HighLatency" => format!(
                    "{}: p99 latency {:.0} ms (usually {:.0} ms)",
                    s.name, now.latency_p99_ms, s.latency_ms
                ),
                _ => {
                    labels.insert("slo".into(), format!("{}-availability", s.name));
                    format!(
                        "{}: burning the 30-day error budget {:.0}× too fast",
                        s.name,
                        now.error_ratio / 0.001
                    )
                }
            };
            let description = format!(
                "{} in {} has been over its threshold since the rule began firing. Check recent deploys and the services it calls: {}.",
                s.name,
                cluster,
                if s.calls.is_empty() {
                    "none".to_string()
                } else {
                    s.calls.join(", ")
                }
            );
            out.push(FiringAlert {
                labels,
                annotations: annotations(&summary, &description, runbook(name)),
                starts_at: onset + hold,
            });
        }
    }

    /// Alerts the script fires besides metric rules: crash-looping pods, a node gone.
    fn script_alerts(&self, cluster: &str, t: SimTime, out: &mut Vec<FiringAlert>) {
        let (cycle_start, u) = self.cycle_position(t);
        let cycle = self.cycle_index(t);
        if cycle < 0 {
            return;
        }
        for fault in self.script.faults.iter().filter(|f| f.cluster == cluster) {
            let Some(s) = service(fault.service) else {
                continue;
            };
            if let Some((from, to)) = fault.crashloop
                && u >= from
                && u < to
            {
                for replica in 0..2 {
                    let pod = self.pod_name(s, cluster, cycle, replica + 10);
                    let mut labels = base_labels("KubePodCrashLooping", "warning", cluster, s);
                    labels.insert("pod".into(), pod.clone());
                    labels.insert("node".into(), self.node_of(&pod, cluster));
                    let summary = format!("Pod {pod} is restarting repeatedly");
                    let description = format!(
                        "Container {} of pod {pod} restarted {} times in the last 10 minutes.",
                        s.name,
                        3 + (u - from) / 120
                    );
                    out.push(FiringAlert {
                        labels,
                        annotations: annotations(
                            &summary,
                            &description,
                            runbook("KubePodCrashLooping"),
                        ),
                        starts_at: cycle_start + from + 30 * replica as SimTime,
                    });
                }
            }
        }
        if let Some(node) = &self.script.node_down
            && node.cluster == cluster
            && u >= node.from
            && u < node.to
        {
            let mut labels = Labels::new();
            for (k, v) in [
                ("alertname", "KubeNodeNotReady"),
                ("severity", "critical"),
                ("cluster", cluster),
                ("node", node.node),
                ("job", "kube-state-metrics"),
                ("team", "platform"),
            ] {
                labels.insert(k.into(), v.into());
            }
            out.push(FiringAlert {
                labels,
                annotations: annotations(
                    &format!(
                        "Node {} has been unready for more than 2 minutes",
                        node.node
                    ),
                    "The kubelet stopped posting status; pods on the node are being evicted.",
                    runbook("KubeNodeNotReady"),
                ),
                starts_at: cycle_start + node.from,
            });
            for (i, svc_name) in node.pods_of.iter().enumerate() {
                let Some(s) = service(svc_name) else { continue };
                let pod = self.pod_name(s, cluster, cycle, i as u32);
                let mut labels = base_labels("KubePodNotReady", "warning", cluster, s);
                labels.insert("pod".into(), pod.clone());
                labels.insert("node".into(), node.node.into());
                out.push(FiringAlert {
                    labels,
                    annotations: annotations(
                        &format!("Pod {pod} has been unready for more than 1 minute"),
                        &format!("Pod {pod} runs on node {}, which is not ready.", node.node),
                        runbook("KubePodNotReady"),
                    ),
                    starts_at: cycle_start + node.from + 60 + 10 * i as SimTime,
                });
            }
        }
    }

    /// Background noise every real cluster has: the watchdog, a slowly filling volume,
    /// a flapping throttling alert, consumer lag that comes and goes, failed batch jobs.
    fn noise_alerts(&self, cluster: &str, t: SimTime, out: &mut Vec<FiringAlert>) {
        let mut push = |name: &str,
                        severity: &str,
                        about: Option<&str>,
                        extra: &[(&str, String)],
                        summary: String,
                        starts_at: SimTime| {
            let mut labels = Labels::new();
            labels.insert("alertname".into(), name.into());
            labels.insert("severity".into(), severity.into());
            labels.insert("cluster".into(), cluster.into());
            if let Some(s) = about.and_then(service) {
                labels.insert("service".into(), s.name.into());
                labels.insert("namespace".into(), s.team.into());
                labels.insert("team".into(), s.team.into());
            }
            for (k, v) in extra {
                labels.insert((*k).into(), v.clone());
            }
            out.push(FiringAlert {
                labels,
                annotations: annotations(&summary, "", runbook(name)),
                starts_at,
            });
        };
        push(
            "Watchdog",
            "none",
            None,
            &[],
            "Alerting pipeline is alive: this alert always fires".into(),
            -3 * 86_400,
        );
        if cluster == "prod-us" {
            push(
                "KubePersistentVolumeFillingUp",
                "warning",
                Some("kafka"),
                &[("persistentvolumeclaim", "data-kafka-2".into())],
                "Volume data-kafka-2 is 87% full and will fill within 4 days".into(),
                -5 * 3600 - 17 * 60,
            );
            // Consumer lag: each 20-minute slot, maybe a 5–12 minute episode.
            let slot = t.div_euclid(1200);
            for s in [slot - 1, slot] {
                let h = self.hash(&["lag", cluster], s);
                if h.is_multiple_of(2) {
                    let start = s * 1200 + (h >> 8) as SimTime % 600;
                    let end = start + 300 + (h >> 20) as SimTime % 420;
                    if t >= start && t < end {
                        push(
                            "KafkaConsumerGroupLag",
                            "warning",
                            Some("notifications"),
                            &[("consumergroup", "notifications-email".into())],
                            format!(
                                "Consumer group notifications-email is {} messages behind",
                                4000 + (h >> 32) % 9000
                            ),
                            start,
                        );
                    }
                }
            }
            let hour = t.div_euclid(3600);
            if self.hash(&["job", cluster], hour) % 10 < 3 {
                push(
                    "KubeJobFailed",
                    "warning",
                    Some("notifications"),
                    &[(
                        "job_name",
                        format!("digest-mailer-{}", hour.rem_euclid(10_000)),
                    )],
                    "Job digest-mailer failed to complete".into(),
                    hour * 3600 + 120,
                );
            }
        } else {
            push(
                "CertificateExpiringSoon",
                "info",
                Some("api-gateway"),
                &[("secret", "api-gateway-tls".into())],
                "TLS certificate api-gateway-tls expires in 13 days".into(),
                -2 * 86_400 - 3600,
            );
            // Throttling flaps on and off in 4-minute slots.
            let slot = t.div_euclid(240);
            let h = self.hash(&["throttle", cluster], slot);
            let start = slot * 240 + (h >> 8) as SimTime % 60;
            if !h.is_multiple_of(3) && t >= start {
                push(
                    "CPUThrottlingHigh",
                    "info",
                    Some("recommendations"),
                    &[("container", "recommender".into())],
                    "recommender is throttled 38% of the time".into(),
                    start,
                );
            }
        }
    }

    /// Deploys up to `t` going back `span` seconds, oldest first.
    pub fn deploys(&self, cluster: &str, t: SimTime, span: SimTime) -> Vec<WorldDeploy> {
        let from = t - span;
        let mut out = Vec::new();
        // Routine deploys: each service ships roughly every 7 hours, at seeded times.
        // History starts a day earlier than asked so scripted versions follow on from it.
        for (i, s) in SERVICES.iter().enumerate() {
            if s.calls.is_empty() {
                continue; // datastores are not deployed by the teams
            }
            let period = 7 * 3600;
            for slot in (from - 86_400).div_euclid(period)..=t.div_euclid(period) {
                let h = self.hash(&[s.name, cluster, "deploy"], slot);
                let at = slot * period + (h % period as u64) as SimTime;
                if at >= from - 86_400 && at <= t && !self.script.quiet_for(s.name, cluster, at) {
                    out.push(WorldDeploy {
                        service: s.name,
                        cluster: CLUSTERS
                            .iter()
                            .copied()
                            .find(|c| *c == cluster)
                            .unwrap_or("prod-eu"),
                        version: format!("v1.{}.{}", 20 + i, slot.rem_euclid(50)),
                        at,
                        status: "success",
                        author: AUTHORS[(h >> 40) as usize % AUTHORS.len()],
                    });
                }
            }
        }
        for cycle in from.div_euclid(self.script.cycle).max(0)..=t.div_euclid(self.script.cycle) {
            for d in &self.script.deploys {
                let at = cycle * self.script.cycle + d.at;
                if d.cluster == cluster && at <= t {
                    out.push(WorldDeploy {
                        service: d.service,
                        cluster: d.cluster,
                        version: String::new(), // filled in below from what ran before
                        at,
                        status: match d.kind {
                            DeployKind::Release => "success",
                            DeployKind::Rollback => "rolled_back",
                        },
                        author: d.author,
                    });
                }
            }
        }
        out.sort_by_key(|d| d.at);
        // Scripted versions follow on from the service's history: a release bumps the
        // minor version, a rollback returns to what ran before that release.
        let mut history: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for d in &mut out {
            let past = history.entry(d.service).or_default();
            if d.version.is_empty() {
                d.version = if d.status == "rolled_back" {
                    past.iter()
                        .rev()
                        .nth(1)
                        .cloned()
                        .unwrap_or_else(|| "v1.0.0".into())
                } else {
                    bump_minor(past.last().map(String::as_str).unwrap_or("v1.0.0"))
                };
            }
            past.push(d.version.clone());
        }
        out.retain(|d| d.at >= from);
        out
    }

    /// The dependency map with each service's state in `cluster` at `t`.
    pub fn graph(&self, cluster: &str, t: SimTime) -> ServiceGraph {
        let mut services = Vec::new();
        let mut edges = Vec::new();
        let slis: BTreeMap<&str, SliSample> = SERVICES
            .iter()
            .map(|s| (s.name, self.sli(s, cluster, t)))
            .collect();
        for s in SERVICES {
            let x = slis[s.name];
            let status = if x.error_ratio > 0.05 {
                ServiceStatus::Failing
            } else if x.error_ratio > 0.0144 || x.latency_p99_ms > 3.0 * s.latency_ms {
                ServiceStatus::Degraded
            } else {
                ServiceStatus::Ok
            };
            services.push(Service {
                name: s.name.into(),
                status,
                owner: Some(s.team.into()),
            });
            let fanout = s.calls.len().max(1) as f64;
            for callee in s.calls {
                edges.push(Edge {
                    from: s.name.into(),
                    to: (*callee).into(),
                    calls_per_s: Some((x.requests_per_s / fanout * 10.0).round() / 10.0),
                    error_ratio: Some((slis[callee].error_ratio * 1000.0).round() / 1000.0),
                });
            }
        }
        ServiceGraph { services, edges }
    }

    fn pod_name(&self, s: &ServiceDef, cluster: &str, cycle: i64, replica: u32) -> String {
        let h = self.hash(&[s.name, cluster, "pod"], cycle * 100 + i64::from(replica));
        format!("{}-{:x}-{}", s.name, (h >> 12) & 0xfffff, pod_suffix(h))
    }

    fn node_of(&self, pod: &str, cluster: &str) -> String {
        let h = self.hash(&[pod, cluster, "node"], 0);
        let zone = if cluster == "prod-eu" { 0 } else { 1 };
        format!("ip-10-{zone}-{}-{}", 1 + h % 4, 10 + (h >> 8) % 40)
    }

    /// A well-mixed 64-bit value for (seed, words, n).
    fn hash(&self, words: &[&str], n: i64) -> u64 {
        let mut h = mix64(self.seed ^ 0x9e37_79b9_7f4a_7c15);
        for w in words {
            for b in w.bytes() {
                h = mix64(h ^ u64::from(b));
            }
            h = mix64(h ^ 0xff);
        }
        mix64(h ^ n as u64)
    }
}

/// `v1.24.7` → `v1.25.0`.
fn bump_minor(version: &str) -> String {
    let parts: Vec<u64> = version
        .trim_start_matches('v')
        .split('.')
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    let major = parts.first().copied().unwrap_or(1);
    let minor = parts.get(1).copied().unwrap_or(0);
    format!("v{major}.{}.0", minor + 1)
}

const AUTHORS: &[&str] = &["alice", "bob", "chen", "dana", "emeka", "farah"];

/// How many calls away `service` is from `target` along the call graph (0 when it is
/// the target), or None when it does not depend on it at all.
pub fn hops_to(service: &str, target: &str) -> Option<u32> {
    if service == target {
        return Some(0);
    }
    let def = self::service(service)?;
    def.calls
        .iter()
        .filter_map(|callee| hops_to(callee, target))
        .min()
        .map(|h| h + 1)
}

fn base_labels(name: &str, severity: &str, cluster: &str, s: &ServiceDef) -> Labels {
    let mut labels = Labels::new();
    for (k, v) in [
        ("alertname", name),
        ("severity", severity),
        ("cluster", cluster),
        ("service", s.name),
        ("namespace", s.team),
        ("team", s.team),
        ("job", s.name),
    ] {
        labels.insert(k.into(), v.into());
    }
    labels
}

fn annotations(summary: &str, description: &str, runbook_url: Option<String>) -> Labels {
    let mut a = Labels::new();
    a.insert("summary".into(), summary.into());
    if !description.is_empty() {
        a.insert("description".into(), description.into());
    }
    if let Some(url) = runbook_url {
        a.insert("runbook_url".into(), url);
    }
    a
}

fn runbook(alertname: &str) -> Option<String> {
    match alertname {
        "Watchdog" | "CPUThrottlingHigh" => None,
        _ => Some(format!(
            "https://runbooks.example.com/{}.md",
            alertname.to_ascii_lowercase()
        )),
    }
}

fn pod_suffix(h: u64) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    (0..5)
        .map(|i| ALPHABET[((h >> (i * 6)) % ALPHABET.len() as u64) as usize] as char)
        .collect()
}

/// A number in 0..1 from a hash.
fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// SplitMix64's finalizer: a fixed, well-mixed permutation of u64.
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Fault {
    /// How strong the fault is `u` seconds into its cycle, 0..=1.
    pub fn level(&self, u: SimTime) -> f64 {
        let (start, full, ease, gone) = self.shape;
        let u = u as f64;
        let (start, full, ease, gone) = (start as f64, full as f64, ease as f64, gone as f64);
        if u < start || u >= gone {
            0.0
        } else if u < full {
            (u - start) / (full - start)
        } else if u < ease {
            1.0
        } else {
            1.0 - (u - ease) / (gone - ease)
        }
    }
}
