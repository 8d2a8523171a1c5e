//! Grouping that follows outages rather than label names.
//!
//! In one cluster, alerts are taken in the order they started. An alert joins an
//! outage that began at most `window` before it when it is related to it:
//! - it is about a service the outage already has (a bad release: many alerts, one
//!   service);
//! - it is about a machine the outage already has (a node going down takes its pods);
//! - its service depends, directly or not, on a service the outage has, and started
//!   after it (callers fail after what they call; `lead` forgives rules that fire a
//!   little early) — or the reverse: it is what an outage's service depends on and
//!   started no later than `lead` after it;
//! - it is inhibited by one of the outage's alerts.
//!
//! Alerts close in time but unrelated stay apart: noise must not ride on a page.
//! Housekeeping alerts (`standalone`) never join outages; they are grouped with their
//! own kind on the same thing.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use crate::model::Fingerprint;
use crate::model::Severity;
use crate::model::hash::{FingerprintMap, TextMap};

use chrono::{DateTime, Duration, Utc};

use crate::model::alert::Names;
use crate::model::{Alert, ServiceGraph};

/// Who depends on whom, transitively: `depends_on(a, b)` when a calls b, or calls
/// something that (eventually) calls b.
///
/// Catalogs go stale. An edge a live source measured (tracing, service-graph metrics:
/// it has a call rate) is trusted; a catalog edge between two services the live graph
/// sees, but with no traffic between them, is contradicted and counts less; an edge only
/// the live graph knows counts like any other.
#[derive(Debug, Clone, Default)]
pub struct Topology {
    /// Over every edge.
    reach: HashMap<String, HashSet<String>>,
    /// Over every edge but the contradicted ones.
    firm: HashMap<String, HashSet<String>>,
    /// Over the edges with measured traffic.
    live: HashMap<String, HashSet<String>>,
}

/// `e`'s caller and callee.
fn pair(e: &crate::model::Edge) -> (&str, &str) {
    (e.from.as_str(), e.to.as_str())
}

/// The transitive closure of `edges`.
fn closure<'e>(
    edges: impl Iterator<Item = (&'e str, &'e str)>,
) -> HashMap<String, HashSet<String>> {
    let mut direct: HashMap<&str, Vec<&str>> = HashMap::new();
    for (from, to) in edges {
        direct.entry(from).or_default().push(to);
    }
    let mut reach = HashMap::new();
    for &start in direct.keys() {
        let mut seen: HashSet<String> = HashSet::new();
        let mut stack: Vec<&str> = direct[start].clone();
        while let Some(s) = stack.pop() {
            if s != start && seen.insert(s.to_string()) {
                stack.extend(direct.get(s).into_iter().flatten());
            }
        }
        reach.insert(start.to_string(), seen);
    }
    reach
}

impl Topology {
    /// The transitive closure of `graph`'s edges.
    pub fn from_graph(graph: &ServiceGraph) -> Topology {
        let measured = |e: &crate::model::Edge| e.calls_per_s.is_some();
        let seen_live: HashSet<&str> = graph
            .edges
            .iter()
            .filter(|e| measured(e))
            .flat_map(|e| [e.from.as_str(), e.to.as_str()])
            .collect();
        let contradicted = |e: &crate::model::Edge| {
            !measured(e) && seen_live.contains(e.from.as_str()) && seen_live.contains(e.to.as_str())
        };
        let reach = closure(graph.edges.iter().map(pair));
        let (firm, live) = if seen_live.is_empty() {
            (reach.clone(), HashMap::new())
        } else {
            (
                closure(graph.edges.iter().filter(|e| !contradicted(e)).map(pair)),
                closure(graph.edges.iter().filter(|e| measured(e)).map(pair)),
            )
        };
        Topology { reach, firm, live }
    }

    /// True when `caller` depends on `callee`, directly or through others.
    pub fn depends_on(&self, caller: &str, callee: &str) -> bool {
        self.reach.get(caller).is_some_and(|r| r.contains(callee))
    }

    /// True when nothing is known about dependencies.
    pub fn is_empty(&self) -> bool {
        self.reach.is_empty()
    }
}

/// The knobs of outage grouping.
#[derive(Debug, Clone)]
pub struct Settings {
    pub service_label: String,
    pub node_label: String,
    /// Where the service comes from when `service_label` is missing, in order.
    pub service_from: Vec<String>,
    /// Jobs and services (globs) that name a scraper, never what an alert is about.
    pub exporters: Vec<String>,
    /// Labels naming a shared dependency.
    pub shared_labels: Vec<String>,
    pub window: Duration,
    pub lead: Duration,
    pub standalone: Vec<String>,
}

impl Settings {
    /// The settings for `service_label`, everything else as configured by default.
    pub fn new(service_label: &str) -> Settings {
        let d = crate::config::TriageConfig::default();
        Settings {
            service_label: service_label.into(),
            node_label: d.node_label,
            service_from: d.service_from,
            exporters: d.exporters,
            shared_labels: d.shared_labels,
            window: Duration::minutes(15),
            lead: Duration::minutes(1),
            standalone: d.standalone,
        }
    }
}

/// Why the alerts of a component are together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bond {
    /// One alert.
    Alone,
    /// Alerts of one service.
    Service(String),
    /// Alerts on one machine (and whatever runs there).
    Node(String),
    /// Alerts sharing a dependency named by a label (`kafka_cluster events-1`) or a
    /// host named by their `instance`, and what depends on them.
    Shared(String),
    /// An alert that keeps firing anew: never tied to an outage.
    Flapping(usize),
    /// A service failing and others that depend on it: the root first.
    Dependency {
        root: String,
        dependents: Vec<String>,
        /// Where the dependencies come from, when a live source measures any.
        evidence: Option<Evidence>,
    },
    /// Housekeeping or mild alerts of one kind on one thing (one or more).
    Chores,
    /// Related some other way (inhibition, mixed evidence).
    Mixed,
}

/// Where the dependencies that tie an outage were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// Every one was measured by a live source (tracing, service-graph metrics).
    Live,
    /// Some were measured, some come from the catalog alone.
    LiveAndCatalog,
    /// None was measured: the catalog alone.
    Catalog,
    /// A catalog edge the live graph contradicts tied alerts that started together.
    Contradicted,
}

/// A set of alerts (indices into the input) found to be one outage.
#[derive(Debug, Clone)]
pub struct Outage {
    pub alerts: Vec<usize>,
    pub bond: Bond,
    /// The time from the first alert's start to the last one's.
    pub span: Duration,
}

/// Services and nodes as small numbers, and who depends on whom as a bit matrix: the
/// inner loop asks these questions millions of times on a big storm.
struct Dense<'a> {
    services: TextMap<&'a str, u32>,
    nodes: TextMap<&'a str, u32>,
    /// Names by id.
    service_names: Vec<&'a str>,
    node_names: Vec<&'a str>,
    /// Row `a` has bit `b` set when service a depends on service b: over every
    /// edge, over the edges no live source contradicts, over measured edges.
    reach: Vec<u64>,
    firm: Vec<u64>,
    live: Vec<u64>,
    /// Some edge was measured by a live source.
    any_live: bool,
    words: usize,
}

impl<'a> Dense<'a> {
    fn new(topology: &'a Topology) -> Dense<'a> {
        // Numbered in name order, not the map's (randomly seeded) order: numbers break
        // ties between services that started together, and a group's root and id must
        // come out the same on every run.
        let mut names: Vec<&'a str> = topology
            .reach
            .iter()
            .flat_map(|(caller, callees)| {
                std::iter::once(caller.as_str()).chain(callees.iter().map(String::as_str))
            })
            .collect();
        names.sort_unstable();
        names.dedup();
        let services: TextMap<&'a str, u32> = names
            .iter()
            .enumerate()
            .map(|(id, &name)| (name, id as u32))
            .collect();
        let words = services.len().div_ceil(64).max(1);
        let bits = |closure: &HashMap<String, HashSet<String>>| {
            let mut reach = vec![0u64; services.len() * words];
            for (caller, callees) in closure {
                let a = services[caller.as_str()] as usize;
                for c in callees {
                    let b = services[c.as_str()] as usize;
                    reach[a * words + b / 64] |= 1 << (b % 64);
                }
            }
            reach
        };
        let (reach, firm, live) = (
            bits(&topology.reach),
            bits(&topology.firm),
            bits(&topology.live),
        );
        Dense {
            any_live: !topology.live.is_empty(),
            services,
            nodes: TextMap::default(),
            service_names: names,
            node_names: Vec::new(),
            reach,
            firm,
            live,
            words,
        }
    }

    /// The id of a service (one the map does not know gets an id with no dependencies).
    fn service(&mut self, name: &'a str) -> Option<u32> {
        if name.is_empty() {
            return None;
        }
        let n = self.services.len() as u32;
        let id = *self.services.entry(name).or_insert(n);
        if id == n {
            self.service_names.push(name);
        }
        Some(id)
    }

    fn node(&mut self, name: &'a str) -> Option<u32> {
        if name.is_empty() {
            return None;
        }
        let n = self.nodes.len() as u32;
        let id = *self.nodes.entry(name).or_insert(n);
        if id == n {
            self.node_names.push(name);
        }
        Some(id)
    }

    /// True when a depends on b, by any edge.
    fn depends_on(&self, a: u32, b: u32) -> bool {
        Dense::bit(&self.reach, self.words, a, b)
    }

    /// True when a depends on b by edges no live source contradicts.
    fn firmly_depends_on(&self, a: u32, b: u32) -> bool {
        Dense::bit(&self.firm, self.words, a, b)
    }

    /// True when a depends on b by edges a live source measured.
    fn depends_live(&self, a: u32, b: u32) -> bool {
        Dense::bit(&self.live, self.words, a, b)
    }

    fn bit(rows: &[u64], words: usize, a: u32, b: u32) -> bool {
        let (a, b) = (a as usize, b as usize);
        let row = a * words;
        row + words <= rows.len() && (rows[row + b / 64] >> (b % 64)) & 1 == 1
    }
}

/// When an alert started, and its fingerprint to order alerts that started together.
type When = (DateTime<Utc>, Fingerprint);

/// What triage needs of every alert, read once. Each distinct label value is kept once
/// and alerts name it by number: later steps compare and hash numbers instead of text
/// that is a cache miss away in each alert's labels, and read the few facts they need
/// from one small array rather than from alerts spread over tens of megabytes.
pub struct Reading {
    /// Every distinct value read; `""` (label absent) is word [`ABSENT`].
    words: Words,
    /// Per word, a list naming just it, made when first asked for: groups share these
    /// rather than each copying the names of its service and cluster.
    named: Vec<OnceLock<Names>>,
    /// Per alert, in input order.
    pub alerts: Vec<Read>,
}

/// The word of a label an alert does not have.
pub const ABSENT: u32 = 0;

/// What grouping needs of one alert: label values as numbers of [`Reading::word`],
/// and the facts that order alerts and groups.
#[derive(Debug, Clone, Copy)]
pub struct Read {
    pub name: u32,
    pub cluster: u32,
    /// The service label's value, or the service derived from other labels.
    pub service: u32,
    /// How the service was found: 0 from the service label (or not at all), `k + 1`
    /// from `service_from[k]`.
    pub derived: u8,
    pub node: u32,
    /// The host its `instance` names (port, scheme and path dropped), and the
    /// instance itself.
    pub host: u32,
    pub instance: u32,
    /// `label=value` of the first shared-dependency label it carries.
    pub shared: u32,
    /// It keeps starting anew (how many times), and is kept out of outages.
    pub flapping: Option<usize>,
    pub starts_at: DateTime<Utc>,
    pub fingerprint: Fingerprint,
    pub severity: Severity,
    /// Too mild to page (info, none): never part of an outage.
    pub mild: bool,
    /// It would wake someone ([`Alert::pages`]).
    pub pages: bool,
    /// Some alert inhibits it.
    pub inhibited: bool,
}

impl Read {
    fn when(&self) -> When {
        (self.starts_at, self.fingerprint)
    }
}

impl Reading {
    /// The text of a word.
    pub fn word(&self, w: u32) -> &str {
        self.words.word(w)
    }

    /// How many distinct words there are.
    pub fn word_count(&self) -> usize {
        self.words.ends.len()
    }

    /// The list naming just word `w`.
    pub fn named(&self, w: u32) -> &Names {
        self.named[w as usize].get_or_init(|| Names::from(vec![Arc::from(self.word(w))]))
    }
}

/// Distinct texts, numbered in the order they are first met, copied side by side into
/// one buffer: whoever reads them later (titles, services, the outage search) finds
/// them together in cache, not in the labels of whichever alert named them first.
#[derive(Default)]
struct Words {
    text: String,
    /// Where each word ends in `text` (it starts where the one before ends).
    ends: Vec<u32>,
    index: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::FixedState,
}

impl Words {
    fn word(&self, w: u32) -> &str {
        word_in(&self.text, &self.ends, w)
    }

    /// The number of `text`, numbering it if it is new.
    fn id(&mut self, text: &str) -> u32 {
        use std::hash::BuildHasher;
        let hash = self.hasher.hash_one(text);
        let same = |w: &u32| {
            let known = self.word(*w);
            known.len() == text.len()
                && crate::model::labels::same_bytes(known.as_bytes(), text.as_bytes())
        };
        if let Some(&w) = self.index.find(hash, same) {
            return w;
        }
        self.text.push_str(text);
        self.ends.push(self.text.len() as u32);
        let w = self.ends.len() as u32 - 1;
        let Words {
            text,
            ends,
            index,
            hasher,
        } = self;
        index.insert_unique(hash, w, |&w| hasher.hash_one(word_in(text, ends, w)));
        w
    }
}

/// Word `w` of `text`, where each word ends at `ends[w]` and starts where the one
/// before ends (apart from [`Words`] so that its table can rehash while it is borrowed).
fn word_in<'t>(text: &'t str, ends: &[u32], w: u32) -> &'t str {
    let w = w as usize;
    let start = if w == 0 { 0 } else { ends[w - 1] as usize };
    &text[start..ends[w] as usize]
}

/// [`Words`] for one slice of alerts. Alerts come in runs (one cluster, one rule), so
/// each label also remembers the last value it met, and most lookups end there.
#[derive(Default)]
struct SliceWords<'a> {
    words: Words,
    last: [Option<(&'a str, u32)>; 7],
    /// The last value checked against the exporters, and the verdict.
    exporter: Option<(&'a str, bool)>,
}

impl<'a> SliceWords<'a> {
    fn id(&mut self, label: usize, text: &'a str) -> u32 {
        // Values are short: an inline loop, not a call to `memcmp` per lookup.
        if let Some((last, id)) = self.last[label]
            && last.len() == text.len()
            && crate::model::labels::same_bytes(last.as_bytes(), text.as_bytes())
        {
            return id;
        }
        let id = self.words.id(text);
        self.last[label] = Some((text, id));
        id
    }

    /// True when `text` names a scraper (kube-state-metrics, node-exporter…).
    fn is_exporter(&mut self, text: &'a str, exporters: &[String]) -> bool {
        if let Some((last, verdict)) = self.exporter
            && last == text
        {
            return verdict;
        }
        let verdict = exporters.iter().any(|g| glob(g, text));
        self.exporter = Some((text, verdict));
        verdict
    }
}

/// The service an alert is about, and how it was found (see [`Read::derived`]): the
/// service label unless it is missing or names an exporter, else the first of
/// `service_from` that names something other than an exporter.
fn service_of<'a>(
    a: &'a Alert,
    label: &'a str,
    s: &Settings,
    words: &mut SliceWords<'a>,
) -> (&'a str, u8) {
    if !label.is_empty() && !words.is_exporter(label, &s.exporters) {
        return (label, 0);
    }
    for (k, from) in s.service_from.iter().enumerate() {
        let Some(value) = a.labels.get(from) else {
            continue;
        };
        let value = match from.as_str() {
            "pod" => workload_of_pod(value),
            "job" => value.rsplit('/').next().unwrap_or(value),
            _ => value,
        };
        if !value.is_empty() && !words.is_exporter(value, &s.exporters) {
            return (value, (k + 1).min(u8::MAX as usize) as u8);
        }
    }
    ("", 0)
}

/// The workload a pod belongs to: a Deployment's pod loses its ReplicaSet hash and
/// pod suffix (`api-7d9f8b6c5d-x2kqz` → `api`), a StatefulSet's its ordinal
/// (`db-2` → `db`), a DaemonSet's or Job's its suffix (`agent-x2kqz` → `agent`).
pub fn workload_of_pod(pod: &str) -> &str {
    let alnum = |p: &str| {
        p.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    let mut parts = pod.rsplitn(3, '-');
    let (Some(last), Some(before)) = (parts.next(), parts.next()) else {
        return pod;
    };
    let rest = parts.next();
    let strip = |n: usize| &pod[..pod.len() - n];
    if last.len() == 5 && alnum(last) {
        // Kubernetes spells its hashes without vowels; a word (`node-exporter-x2kqz`)
        // has some and no digit.
        let hash = |p: &str| {
            alnum(p)
                && (p.bytes().any(|b| b.is_ascii_digit())
                    || !p.bytes().any(|b| b"aeiou".contains(&b)))
        };
        if let Some(rest) = rest
            && (6..=10).contains(&before.len())
            && hash(before)
            && !rest.is_empty()
        {
            return strip(last.len() + before.len() + 2);
        }
        return strip(last.len() + 1);
    }
    if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        return strip(last.len() + 1);
    }
    pod
}

/// The host an `instance` names: `https://db-1.example:9187/metrics` → `db-1.example`.
pub fn host_of(instance: &str) -> &str {
    let rest = instance.split_once("://").map_or(instance, |(_, r)| r);
    let rest = rest.split('/').next().unwrap_or(rest);
    if let Some(v6) = rest.strip_prefix('[') {
        return v6.split(']').next().unwrap_or(v6);
    }
    match rest.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => rest,
    }
}

/// The first of `names` the alert carries, and its value.
fn first_shared<'s, 'a>(a: &'a Alert, names: &'s [String]) -> Option<(&'s str, &'a str)> {
    names.iter().find_map(|n| {
        a.labels
            .get(n)
            .filter(|v| !v.is_empty())
            .map(|v| (n.as_str(), v))
    })
}

/// Reads what grouping uses of every alert, on every core: reading labels is most of
/// the work on a big storm (each alert's labels are a cache miss away), so it is done
/// once, here.
// Fills one buffer of reads from every core without initialising it first.
#[allow(unsafe_code)]
pub fn read_labels(alerts: &[Alert], s: &Settings) -> Reading {
    use rayon::prelude::*;
    // Each slice of alerts numbers its own values; the few distinct ones are then
    // numbered again across slices, and each slice renumbers its alerts, in parallel.
    const SLICE: usize = 4096;
    // Each slice writes its alerts' reads straight into their places in one vector:
    // gathering per-slice vectors afterwards cost a copy of them all on one core.
    let mut read: Vec<Read> = Vec::with_capacity(alerts.len());
    let local: Vec<Words> = read.spare_capacity_mut()[..alerts.len()]
        .par_chunks_mut(SLICE)
        .zip(alerts.par_chunks(SLICE))
        .map(|(out, slice)| {
            let mut words = SliceWords::default();
            // Labels are read a few alerts ahead of their use (see `merged`).
            const AHEAD: usize = 8;
            for (k, (place, a)) in out.iter_mut().zip(slice).enumerate() {
                if let Some(later) = slice.get(k + AHEAD) {
                    later.labels.prefetch();
                }
                let [name, cluster, service, node, instance] = a.labels.get_each([
                    "alertname",
                    "cluster",
                    &s.service_label,
                    &s.node_label,
                    "instance",
                ]);
                let (service, derived) = service_of(a, service, s, &mut words);
                let shared = match first_shared(a, &s.shared_labels) {
                    Some((label, value)) => words.words.id(&format!("{label}={value}")),
                    None => words.id(6, ""),
                };
                place.write(Read {
                    name: words.id(0, name),
                    cluster: words.id(1, cluster),
                    service: words.id(2, service),
                    derived,
                    node: words.id(3, node),
                    host: words.id(4, host_of(instance)),
                    instance: words.id(5, instance),
                    shared,
                    flapping: match a.quiet.as_deref() {
                        Some(crate::model::Quiet::Flapping(n)) => Some(*n),
                        _ => None,
                    },
                    starts_at: a.starts_at,
                    fingerprint: a.fingerprint,
                    severity: a.severity,
                    mild: a.severity >= Severity::Info,
                    pages: a.pages(),
                    inhibited: !a.inhibited_by.is_empty(),
                });
            }
            words.words
        })
        .collect();
    // SAFETY: the slices of places and of alerts pair up one to one, and every place
    // of a slice was written above (a panic there leaves `read` empty, never unwritten).
    unsafe { read.set_len(alerts.len()) };
    let mut words = Words::default();
    let absent = words.id("");
    debug_assert_eq!(absent, ABSENT);
    let global: Vec<Vec<u32>> = local
        .iter()
        .map(|local| {
            (0..local.ends.len() as u32)
                .map(|w| words.id(local.word(w)))
                .collect()
        })
        .collect();
    read.par_chunks_mut(SLICE)
        .zip(&global)
        .for_each(|(slice, global)| {
            let to = |w: u32| global[w as usize];
            for r in slice {
                (r.name, r.cluster, r.service, r.node) =
                    (to(r.name), to(r.cluster), to(r.service), to(r.node));
                (r.host, r.instance, r.shared) = (to(r.host), to(r.instance), to(r.shared));
            }
        });
    Reading {
        named: (0..words.ends.len()).map(|_| Default::default()).collect(),
        words,
        alerts: read,
    }
}

/// What ties an alert to others, as small numbers: its service, the machine it is on
/// (a node, or the host its `instance` names), the shared dependency it names.
#[derive(Debug, Clone, Copy)]
struct Ids {
    service: Option<u32>,
    node: Option<u32>,
    /// The node came from the node label, not from `instance`.
    labelled_node: bool,
    shared: Option<u32>,
}

/// An outage being put together.
struct Open {
    /// When its first alert started.
    onset: DateTime<Utc>,
    /// When its latest alert started: it stays open while related alerts keep coming
    /// within the window of that one (a slow burn is one outage).
    last: DateTime<Utc>,
    members: Vec<usize>,
    /// Services, and when each one's first and latest alerts started.
    services: Vec<(u32, DateTime<Utc>, DateTime<Utc>)>,
    /// Nodes, hosts and shared dependencies, and when the latest alert on each started.
    nodes: Vec<(u32, DateTime<Utc>)>,
}

/// Groups `alerts` into outages. Alerts of different clusters never share one.
pub fn outages(alerts: &[Alert], s: &Settings, topology: &Topology) -> Vec<Outage> {
    outages_read(alerts, &read_labels(alerts, s), s, topology)
}

/// Like [`outages`], with the alerts' labels already read.
pub fn outages_read<'a>(
    alerts: &[Alert],
    reading: &'a Reading,
    s: &Settings,
    topology: &'a Topology,
) -> Vec<Outage> {
    use rayon::prelude::*;
    let mut dense = Dense::new(topology);
    let when = &reading.alerts;
    // Per word, what it is as a service, a node, and (for alert names) whether it names
    // a chore: each decided once, on first use, in alert order as before.
    let n = reading.word_count();
    let mut as_service: Vec<Option<Option<u32>>> = vec![None; n];
    let mut as_node: Vec<Option<Option<u32>>> = vec![None; n];
    let mut chore_name: Vec<Option<bool>> = vec![None; n];
    let mut ids: Vec<Ids> = Vec::with_capacity(alerts.len());
    // An instance that reports on several services or dependencies (kube-state-metrics,
    // a lag exporter) is the scraper's own address: not a host its alerts are about.
    const ONE: u8 = 1;
    const MANY: u8 = 2;
    let mut reports: Vec<(u8, (u32, u32))> = vec![(0, (ABSENT, ABSENT)); n];
    for r in when.iter().filter(|r| r.instance != ABSENT) {
        let subject = (r.service, r.shared);
        if subject == (ABSENT, ABSENT) {
            continue;
        }
        let seen = &mut reports[r.instance as usize];
        match seen.0 {
            0 => *seen = (ONE, subject),
            ONE if seen.1 != subject => seen.0 = MANY,
            _ => {}
        }
    }
    let mut chore: Vec<bool> = Vec::with_capacity(alerts.len());
    // Alerts per cluster (by the cluster's word), in one list: counted here, then dealt
    // out in order, so no list grows one alert at a time.
    let mut per_cluster = vec![0usize; n + 1];
    for r in &reading.alerts {
        let service = *as_service[r.service as usize]
            .get_or_insert_with(|| dense.service(reading.word(r.service)));
        let mut node_of =
            |w: u32| *as_node[w as usize].get_or_insert_with(|| dense.node(reading.word(w)));
        let (node, labelled_node) = if r.node != ABSENT {
            (node_of(r.node), true)
        } else if r.host != ABSENT && reports[r.instance as usize].0 != MANY {
            (node_of(r.host), false)
        } else {
            (None, false)
        };
        let shared = node_of(r.shared);
        ids.push(Ids {
            service,
            node,
            labelled_node,
            shared,
        });
        chore.push(
            r.mild
                || r.flapping.is_some()
                || *chore_name[r.name as usize].get_or_insert_with(|| {
                    let name = reading.word(r.name);
                    s.standalone.iter().any(|g| glob(g, name))
                }),
        );
        per_cluster[r.cluster as usize + 1] += 1;
    }
    let mut clusters: Vec<u32> = (0..n as u32)
        .filter(|&c| per_cluster[c as usize + 1] > 0)
        .collect();
    clusters.sort_by_key(|&c| reading.word(c));
    for c in 0..n {
        per_cluster[c + 1] += per_cluster[c];
    }
    let mut by_cluster = vec![0usize; when.len()];
    let mut at = per_cluster.clone();
    for (i, r) in when.iter().enumerate() {
        by_cluster[at[r.cluster as usize]] = i;
        at[r.cluster as usize] += 1;
    }
    // Clusters never share an outage: each is worked through on its own, in parallel.
    // Chores are kept apart, one group per kind of chore on one thing (name, service,
    // node: the cluster is the same).
    let worked: Vec<_> = clusters
        .into_par_iter()
        .map(|c| {
            let all = &by_cluster[per_cluster[c as usize]..per_cluster[c as usize + 1]];
            let mut members = Vec::with_capacity(all.len());
            let mut kinds: Vec<([u32; 3], usize)> = Vec::new();
            for &i in all {
                if when[i].flapping.is_some() {
                    // One row of its own: it never pulls others into an outage.
                    kinds.push(([u32::MAX, u32::MAX, i as u32], i));
                } else if chore[i] {
                    let (r, id) = (&when[i], ids[i]);
                    let none = u32::MAX;
                    kinds.push((
                        [r.name, id.service.unwrap_or(none), id.node.unwrap_or(none)],
                        i,
                    ));
                } else {
                    members.push(i);
                }
            }
            members.sort_by_key(|&i| when[i].when());
            let mut found = Vec::new();
            in_one_cluster(when, &ids, &members, s, &dense, &mut found);
            kinds.sort_unstable();
            let chores: Vec<Vec<usize>> = kinds
                .chunk_by(|a, b| a.0 == b.0)
                .map(|run| run.iter().map(|&(_, i)| i).collect())
                .collect();
            (found, chores)
        })
        .collect();
    let (mut found, mut chores) = (Vec::new(), Vec::new());
    for (f, c) in worked {
        found.extend(f);
        chores.extend(c);
    }
    let found = join_inhibited(alerts, when, found);
    let mut out: Vec<Outage> = found
        .into_par_iter()
        .map(|m| describe(when, &ids, m, &dense))
        .collect();
    chores.par_sort_unstable_by_key(|m: &Vec<usize>| m[0]);
    out.par_extend(chores.into_par_iter().map(|members| Outage {
        span: span(when, &members),
        bond: match when[members[0]].flapping {
            Some(n) if members.len() == 1 => Bond::Flapping(n),
            _ => Bond::Chores,
        },
        alerts: members,
    }));
    out
}

/// True for housekeeping alerts, and for those too mild to page (info, none).
pub fn is_standalone(a: &Alert, globs: &[String]) -> bool {
    a.severity >= Severity::Info || globs.iter().any(|g| glob(g, a.name()))
}

/// `*` matches any run of characters; everything else matches itself.
pub fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

fn in_one_cluster(
    when: &[Read],
    ids: &[Ids],
    ordered: &[usize],
    s: &Settings,
    dense: &Dense,
    done: &mut Vec<Vec<usize>>,
) {
    let mut open: Vec<Open> = Vec::new();
    let mut related: Vec<usize> = Vec::new();
    for &i in ordered {
        let t = when[i].starts_at;
        // Outages whose latest alert is older than the window take no more alerts.
        let mut k = 0;
        while k < open.len() {
            if t - open[k].last > s.window {
                done.push(open.swap_remove(k).members);
            } else {
                k += 1;
            }
        }
        let id = ids[i];
        let (service, node, shared) = (id.service, id.node, id.shared);
        related.clear();
        related.extend(
            open.iter()
                .enumerate()
                .filter(|(_, o)| t - o.onset <= s.window && relates(o, id, t, s, dense))
                .map(|(k, _)| k),
        );
        if related.is_empty() {
            // Only outages that began longer ago than the window and still go on (a slow
            // burn) remain: the alert continues the one most recently alerting; it ties
            // none of them together, each may well be winding down on its own.
            related.extend(
                open.iter()
                    .enumerate()
                    .filter(|(_, o)| relates(o, id, t, s, dense))
                    .max_by_key(|(k, o)| (o.last, std::cmp::Reverse(*k)))
                    .map(|(k, _)| k),
            );
        }
        let target = match related.split_first() {
            None => {
                open.push(Open {
                    onset: t,
                    last: t,
                    members: Vec::new(),
                    services: Vec::new(),
                    nodes: Vec::new(),
                });
                open.len() - 1
            }
            Some((&first, others)) => {
                // One alert can tie two outages together (a node alert for a service
                // already failing elsewhere): they become one. Highest index first, so
                // removing does not move the others.
                let mut others = others.to_vec();
                others.sort_unstable_by(|a, b| b.cmp(a));
                let mut first = first;
                for k in others {
                    let o = open.swap_remove(k);
                    if first == open.len() {
                        first = k; // swap_remove moved `first` into slot k
                    }
                    let keep = &mut open[first];
                    keep.members.extend(o.members);
                    keep.last = keep.last.max(o.last);
                    keep.onset = keep.onset.min(o.onset);
                    for (svc, first, latest) in o.services {
                        match keep.services.iter_mut().find(|e| e.0 == svc) {
                            Some(e) => (e.1, e.2) = (e.1.min(first), e.2.max(latest)),
                            None => keep.services.push((svc, first, latest)),
                        }
                    }
                    for (n, latest) in o.nodes {
                        match keep.nodes.iter_mut().find(|e| e.0 == n) {
                            Some(e) => e.1 = e.1.max(latest),
                            None => keep.nodes.push((n, latest)),
                        }
                    }
                }
                first
            }
        };
        let o = &mut open[target];
        o.members.push(i);
        o.last = o.last.max(t);
        if let Some(svc) = service {
            match o.services.iter_mut().find(|e| e.0 == svc) {
                Some(e) => e.2 = e.2.max(t),
                None => o.services.push((svc, t, t)),
            }
        }
        for n in [node, shared].into_iter().flatten() {
            match o.nodes.iter_mut().find(|e| e.0 == n) {
                Some(e) => e.1 = e.1.max(t),
                None => o.nodes.push((n, t)),
            }
        }
    }
    done.extend(open.into_iter().map(|o| o.members));
}

/// True when an alert is tied to an open outage: one of its services, its node or
/// host, its shared dependency, or a dependency between services at the right time.
/// What ties it must still be failing: its latest alert started within the window
/// (a slow burn stays one outage; the same service failing again later is another).
fn relates(o: &Open, id: Ids, t: DateTime<Utc>, s: &Settings, dense: &Dense) -> bool {
    let (lead, window) = (s.lead, s.window);
    let recent = |latest: DateTime<Utc>| t - latest <= window;
    if [id.node, id.shared]
        .into_iter()
        .flatten()
        .any(|n| o.nodes.iter().any(|&(m, latest)| m == n && recent(latest)))
    {
        return true;
    }
    let Some(svc) = id.service else { return false };
    o.services.iter().any(|&(other, first, latest)| {
        recent(latest)
            && (other == svc
            // Caller of a failing service, failing after it...
            || (dense.firmly_depends_on(svc, other) && first <= t + lead)
            // ...or the service that the outage's caller depends on, failing with it.
            || (dense.firmly_depends_on(other, svc) && t <= first + lead)
            // A dependency the live graph contradicts counts only for alerts that
            // start together.
            || ((dense.depends_on(svc, other) || dense.depends_on(other, svc))
                && (t - first).abs() <= lead))
    })
}

/// An inhibited alert belongs with what inhibits it, whenever either started.
fn join_inhibited(alerts: &[Alert], read: &[Read], mut found: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
    if read.iter().all(|r| !r.inhibited) {
        return found;
    }
    let mut home: FingerprintMap<usize> = FingerprintMap::default();
    for (k, members) in found.iter().enumerate() {
        for &i in members {
            home.insert(alerts[i].fingerprint, k);
        }
    }
    let mut parent: Vec<usize> = (0..found.len()).collect();
    fn root(p: &mut [usize], mut k: usize) -> usize {
        while p[k] != k {
            p[k] = p[p[k]];
            k = p[k];
        }
        k
    }
    for (k, members) in found.iter().enumerate() {
        for &i in members {
            for by in alerts[i].inhibitors() {
                if let Some(&other) = home.get(&by) {
                    let (a, b) = (root(&mut parent, k), root(&mut parent, other));
                    if a != b {
                        parent[a] = b;
                    }
                }
            }
        }
    }
    if parent.iter().enumerate().all(|(k, &p)| k == p) {
        return found;
    }
    let mut merged: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, members) in found.iter_mut().enumerate() {
        let r = root(&mut parent, k);
        merged.entry(r).or_default().append(members);
    }
    let mut out: Vec<Vec<usize>> = merged.into_values().collect();
    out.sort_by_key(|m| m.iter().copied().min());
    out
}

fn span(when: &[Read], members: &[usize]) -> Duration {
    let times = members.iter().map(|&i| when[i].starts_at);
    match (times.clone().min(), times.max()) {
        (Some(a), Some(b)) => b - a,
        _ => Duration::zero(),
    }
}

/// Names what holds an outage together, and its root.
fn describe(when: &[Read], ids: &[Ids], members: Vec<usize>, dense: &Dense) -> Outage {
    let span = span(when, &members);
    if members.len() == 1 {
        return Outage {
            alerts: members,
            bond: Bond::Alone,
            span,
        };
    }
    let mut services: Vec<(u32, DateTime<Utc>)> = Vec::new();
    let mut nodes: Vec<u32> = Vec::new();
    // Shared dependencies and hosts, with how many alerts name each.
    let mut places: Vec<(u32, usize)> = Vec::new();
    let (mut all_on_a_node, mut any_labelled) = (true, false);
    for &i in &members {
        let id = ids[i];
        let t = when[i].starts_at;
        if let Some(svc) = id.service {
            match services.iter_mut().find(|(s, _)| *s == svc) {
                Some(e) => e.1 = e.1.min(t),
                None => services.push((svc, t)),
            }
        }
        any_labelled |= id.labelled_node;
        match id.node {
            Some(n) if !nodes.contains(&n) => nodes.push(n),
            Some(_) => {}
            None => all_on_a_node = false,
        }
        for p in [id.shared, id.node.filter(|_| !id.labelled_node)]
            .into_iter()
            .flatten()
        {
            match places.iter_mut().find(|(q, _)| *q == p) {
                Some(e) => e.1 += 1,
                None => places.push((p, 1)),
            }
        }
    }
    let name = |id: u32, names: &[&str]| names.get(id as usize).unwrap_or(&"").to_string();
    // A service on one pod or host is that service's outage, not the machine's.
    let bond = if all_on_a_node && nodes.len() == 1 && (services.len() != 1 || any_labelled) {
        Bond::Node(name(nodes[0], &dense.node_names))
    } else if services.len() == 1 {
        Bond::Service(name(services[0].0, &dense.service_names))
    } else {
        // The root: the service none of the others depend on being below it — the
        // deepest one; the earliest first among equals.
        services.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        let deepest = services.iter().find(|(svc, _)| {
            !services
                .iter()
                .any(|(other, _)| other != svc && dense.depends_on(*svc, *other))
        });
        // The shared dependency or host most of them name, shared labels first.
        places.sort_by_key(|&(p, n)| {
            let text = dense.node_names.get(p as usize).unwrap_or(&"");
            (
                std::cmp::Reverse(text.contains('=')),
                std::cmp::Reverse(n),
                p,
            )
        });
        match deepest {
            Some(&(root, _))
                if services
                    .iter()
                    .all(|&(o, _)| o == root || dense.depends_on(o, root)) =>
            {
                let live = services
                    .iter()
                    .filter(|&&(o, _)| o != root && dense.depends_live(o, root))
                    .count();
                Bond::Dependency {
                    root: name(root, &dense.service_names),
                    dependents: services
                        .iter()
                        .filter(|(o, _)| *o != root)
                        .map(|&(o, _)| name(o, &dense.service_names))
                        .collect(),
                    evidence: dense.any_live.then_some(
                        if services
                            .iter()
                            .any(|&(o, _)| o != root && !dense.firmly_depends_on(o, root))
                        {
                            Evidence::Contradicted
                        } else {
                            match live {
                                0 => Evidence::Catalog,
                                n if n + 1 == services.len() => Evidence::Live,
                                _ => Evidence::LiveAndCatalog,
                            }
                        },
                    ),
                }
            }
            _ => match places.first() {
                Some(&(p, n)) if n > 1 => {
                    let text = name(p, &dense.node_names);
                    Bond::Shared(match text.split_once('=') {
                        Some((label, value)) => format!("{label} {value}"),
                        None => format!("host {text}"),
                    })
                }
                _ => Bond::Mixed,
            },
        }
    };
    Outage {
        alerts: members,
        bond,
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AlertState, Edge, Labels, Origin};
    use chrono::TimeZone;

    fn graph(edges: &[(&str, &str)]) -> ServiceGraph {
        ServiceGraph {
            services: Vec::new(),
            edges: edges
                .iter()
                .map(|(f, t)| Edge {
                    from: f.to_string(),
                    to: t.to_string(),
                    calls_per_s: None,
                    error_ratio: None,
                })
                .collect(),
        }
    }

    fn alert(name: &str, labels: &[(&str, &str)], at_s: i64) -> Alert {
        let mut l: Labels = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        l.insert("alertname".into(), name.into());
        l.entry("severity".into())
            .or_insert_with(|| "critical".into());
        l.entry("cluster".into()).or_insert_with(|| "eu".into());
        let at = Utc.with_ymd_and_hms(2026, 11, 21, 20, 0, 0).unwrap() + Duration::seconds(at_s);
        Alert::new(
            l,
            Labels::new(),
            AlertState::Active,
            at,
            &Origin::new("s", "e"),
        )
    }

    fn settings() -> Settings {
        Settings {
            standalone: vec!["KubeJob*".into(), "*Certificate*".into()],
            ..Settings::new("service")
        }
    }

    #[test]
    fn every_alert_reads_its_own_label_values_absent_ones_included() {
        // Values repeat from alert to alert, and a label is sometimes absent: each
        // alert must still read exactly its own values, across slices of alerts.
        let mut alerts = Vec::new();
        for k in 0..5000 {
            let node = format!("n{}", k % 3);
            let mut labels = vec![("service", "api")];
            if k % 7 != 0 {
                labels.push(("node", node.as_str()));
            }
            alerts.push(alert(if k % 2 == 0 { "Down" } else { "Slow" }, &labels, k));
        }
        let reading = read_labels(&alerts, &settings());
        for (a, r) in alerts.iter().zip(&reading.alerts) {
            assert_eq!(reading.word(r.name), a.name());
            assert_eq!(reading.word(r.cluster), a.label("cluster"));
            assert_eq!(reading.word(r.service), "api");
            assert_eq!(reading.word(r.node), a.label("node"));
            assert_eq!((r.starts_at, r.fingerprint), (a.starts_at, a.fingerprint));
        }
        assert_eq!(reading.word(0), "", "word 0 is the absent label");
    }

    fn groups(alerts: &[Alert], edges: &[(&str, &str)]) -> Vec<Vec<usize>> {
        let mut g: Vec<Vec<usize>> =
            outages(alerts, &settings(), &Topology::from_graph(&graph(edges)))
                .into_iter()
                .map(|mut i| {
                    i.alerts.sort();
                    i.alerts
                })
                .collect();
        g.sort();
        g
    }

    #[test]
    fn topology_is_transitive() {
        let t = Topology::from_graph(&graph(&[("web", "api"), ("api", "db")]));
        assert!(t.depends_on("web", "db"));
        assert!(!t.depends_on("db", "web"));
        assert!(!t.depends_on("web", "web"));
    }

    #[test]
    fn callers_failing_after_what_they_call_join_it() {
        let alerts = vec![
            alert("HighErrorRate", &[("service", "db")], 0),
            alert("HighErrorRate", &[("service", "api")], 40),
            alert("SLOBurn", &[("service", "web")], 90),
            alert("HighErrorRate", &[("service", "search")], 60), // unrelated
        ];
        let edges = [("web", "api"), ("api", "db"), ("search", "index")];
        assert_eq!(groups(&alerts, &edges), vec![vec![0, 1, 2], vec![3]]);
        let found = outages(&alerts, &settings(), &Topology::from_graph(&graph(&edges)));
        let dep = found.iter().find(|i| i.alerts.len() == 3).unwrap();
        assert_eq!(
            dep.bond,
            Bond::Dependency {
                root: "db".into(),
                dependents: vec!["api".into(), "web".into()],
                evidence: None,
            }
        );
    }

    #[test]
    fn services_that_start_together_are_named_in_the_same_order_every_time() {
        // Each topology's maps are seeded anew: ties must not follow their order.
        let alerts = vec![
            alert("HighErrorRate", &[("service", "db")], 0),
            alert("HighErrorRate", &[("service", "web")], 30),
            alert("HighErrorRate", &[("service", "api")], 30),
            alert("HighErrorRate", &[("service", "cart")], 30),
        ];
        let edges = [("web", "db"), ("api", "db"), ("cart", "db")];
        for _ in 0..20 {
            let found = outages(&alerts, &settings(), &Topology::from_graph(&graph(&edges)));
            assert_eq!(
                found[0].bond,
                Bond::Dependency {
                    root: "db".into(),
                    dependents: vec!["api".into(), "cart".into(), "web".into()],
                    evidence: None,
                }
            );
        }
    }

    #[test]
    fn a_caller_that_failed_well_before_is_not_caused_by_it() {
        let alerts = vec![
            alert("SLOBurn", &[("service", "web")], 0),
            alert("HighErrorRate", &[("service", "db")], 300),
        ];
        assert_eq!(groups(&alerts, &[("web", "db")]), vec![vec![0], vec![1]]);
        // Within the lead it counts (rules fire at slightly different moments).
        let alerts = vec![
            alert("SLOBurn", &[("service", "web")], 0),
            alert("HighErrorRate", &[("service", "db")], 30),
        ];
        assert_eq!(groups(&alerts, &[("web", "db")]), vec![vec![0, 1]]);
    }

    #[test]
    fn separate_incidents_of_one_service_stay_apart_in_time() {
        let alerts = vec![
            alert("HighErrorRate", &[("service", "db")], 0),
            alert("HighLatency", &[("service", "db")], 120),
            alert("HighErrorRate", &[("service", "db")], 25 * 60),
        ];
        assert_eq!(groups(&alerts, &[]), vec![vec![0, 1], vec![2]]);
    }

    #[test]
    fn a_node_takes_its_pods_with_it_and_clusters_stay_apart() {
        let alerts = vec![
            alert("KubeNodeNotReady", &[("node", "n5")], 0),
            alert("KubePodNotReady", &[("node", "n5"), ("service", "a")], 60),
            alert("TargetDown", &[("node", "n5"), ("service", "b")], 90),
            alert(
                "KubePodNotReady",
                &[("node", "n5"), ("service", "a"), ("cluster", "us")],
                60,
            ),
        ];
        let found = groups(&alerts, &[]);
        assert_eq!(found, vec![vec![0, 1, 2], vec![3]]);
        let i = outages(&alerts, &settings(), &Topology::default());
        assert!(i.iter().any(|x| x.bond == Bond::Node("n5".into())));
    }

    #[test]
    fn housekeeping_and_mild_alerts_never_join_an_incident() {
        let alerts = vec![
            alert("HighErrorRate", &[("service", "db")], 0),
            alert("KubeJobFailed", &[("service", "db")], 10),
            alert("RuleSlow", &[("service", "db"), ("severity", "info")], 20),
            alert("KubeJobFailed", &[("service", "db")], 3000),
        ];
        let found = groups(&alerts, &[]);
        assert_eq!(found, vec![vec![0], vec![1, 3], vec![2]]);
    }

    #[test]
    fn inhibited_alerts_sit_with_what_inhibits_them() {
        let inhibitor = alert("ClusterDown", &[("service", "db")], 0);
        let mut inhibited = alert("Lag", &[("service", "kafka")], 3600);
        inhibited.inhibited_by = vec![inhibitor.fingerprint.to_string()].into();
        assert_eq!(groups(&[inhibitor, inhibited], &[]), vec![vec![0, 1]]);
    }

    #[test]
    fn workloads_and_hosts_are_read_from_pod_and_instance_names() {
        assert_eq!(workload_of_pod("api-7d9f8b6c5d-x2kqz"), "api");
        assert_eq!(workload_of_pod("orders-db-2"), "orders-db");
        assert_eq!(workload_of_pod("node-exporter-x2kqz"), "node-exporter");
        assert_eq!(
            workload_of_pod("redis-cache-1093-w75"),
            "redis-cache-1093-w75"
        );
        assert_eq!(host_of("vm-7.internal:9100"), "vm-7.internal");
        assert_eq!(host_of("https://db-1.example:9187/metrics"), "db-1.example");
        assert_eq!(host_of("[fe80::1]:9100"), "fe80::1");
        assert_eq!(
            host_of("ip-10-0-0-1.ec2.internal"),
            "ip-10-0-0-1.ec2.internal"
        );
    }

    #[test]
    fn alerts_without_the_service_label_join_their_service_and_node() {
        let ksm = [("job", "kube-state-metrics"), ("instance", "10.0.9.9:8080")];
        let alerts = vec![
            alert("HighErrorRate", &[("service", "ledger")], 0),
            // Its pod names the workload; kube-state-metrics' own labels do not count.
            alert(
                "KubePodCrashLooping",
                &[
                    &ksm[..],
                    &[
                        ("pod", "ledger-7d9f8b6c5d-x2kqz"),
                        ("service", "kube-state-metrics"),
                    ],
                ]
                .concat(),
                60,
            ),
            // A scrape config that never copied the label: its job names it.
            alert(
                "HighLatency",
                &[("job", "apps/ledger"), ("instance", "10.0.1.2:8080")],
                90,
            ),
            // Node-exporter names its node in `instance` only.
            alert(
                "KubeNodeNotReady",
                &[&ksm[..], &[("node", "n7.internal")]].concat(),
                1000,
            ),
            alert(
                "NodeDiskPressure",
                &[("job", "node-exporter"), ("instance", "n7.internal:9100")],
                1030,
            ),
            // Another service reported by the same kube-state-metrics: not on its "host".
            alert(
                "KubePodCrashLooping",
                &[&ksm[..], &[("pod", "search-5c6d7f8b9c-abcde")]].concat(),
                1040,
            ),
        ];
        assert_eq!(
            groups(&alerts, &[]),
            vec![vec![0, 1, 2], vec![3, 4], vec![5]]
        );
    }

    #[test]
    fn a_shared_dependency_label_and_a_vm_host_tie_alerts_like_a_node() {
        let alerts = vec![
            alert(
                "BrokerDown",
                &[("service", "mq"), ("rabbitmq_cluster", "q1")],
                0,
            ),
            alert(
                "PublishErrors",
                &[("service", "orders"), ("rabbitmq_cluster", "q1")],
                60,
            ),
            alert(
                "UnitFailed",
                &[("job", "node"), ("instance", "vm-3:9100")],
                0,
            ),
            alert(
                "HighErrorRate",
                &[("service", "billing"), ("instance", "vm-3:8081")],
                90,
            ),
        ];
        assert_eq!(groups(&alerts, &[]), vec![vec![0, 1], vec![2, 3]]);
        let found = outages(&alerts, &settings(), &Topology::default());
        assert!(
            found
                .iter()
                .any(|o| o.bond == Bond::Shared("rabbitmq_cluster q1".into()))
        );
    }

    #[test]
    fn a_slow_burn_stays_one_outage_while_its_alerts_keep_coming() {
        let alerts: Vec<Alert> = (0..6)
            .map(|k| alert("MemoryNearLimit", &[("service", "cart")], k * 8 * 60))
            .collect();
        assert_eq!(groups(&alerts, &[]), vec![(0..6).collect::<Vec<_>>()]);
    }

    #[test]
    fn a_catalog_edge_the_live_graph_contradicts_ties_only_alerts_that_start_together() {
        let live = |from: &str, to: &str| Edge {
            from: from.into(),
            to: to.into(),
            calls_per_s: Some(3.0),
            error_ratio: None,
        };
        let mut g = graph(&[("pricing", "redis")]);
        g.edges.push(live("pricing", "db"));
        g.edges.push(live("api", "redis"));
        let topology = Topology::from_graph(&g);
        let of = |alerts: &[Alert]| {
            let mut g: Vec<Vec<usize>> = outages(alerts, &settings(), &topology)
                .into_iter()
                .map(|o| o.alerts)
                .collect();
            g.sort();
            g
        };
        let apart = vec![
            alert("RedisDown", &[("service", "redis")], 0),
            alert("HighErrorRate", &[("service", "pricing")], 180),
        ];
        assert_eq!(of(&apart), vec![vec![0], vec![1]]);
        let together = vec![
            alert("RedisDown", &[("service", "redis")], 0),
            alert("HighErrorRate", &[("service", "pricing")], 30),
        ];
        assert_eq!(of(&together), vec![vec![0, 1]]);
    }

    #[test]
    fn globs() {
        assert!(glob("KubeJob*", "KubeJobFailed"));
        assert!(glob("*Certificate*", "TLSCertificateExpiring"));
        assert!(glob("*FillingUp", "NodeFilesystemSpaceFillingUp"));
        assert!(!glob("*FillingUp", "FillingUpNow"));
        assert!(glob("Watchdog", "Watchdog") && !glob("Watchdog", "Watchdogs"));
        assert!(glob("a*b*c", "a-x-b-y-c") && !glob("a*b*c", "a-c-b"));
    }
}
