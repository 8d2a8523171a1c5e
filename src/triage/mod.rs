//! Triage: turns what the sources reported into the board — deduplicated, marked where
//! noise controls keep alerts quiet, and grouped into the few pages that matter.

pub mod correlate;
mod dedup;
mod group;
pub mod noise;
pub mod outages;
pub mod overrides;
pub mod search;

pub use dedup::dedup;
use group::order_alerts;
pub use group::{group_by_labels, inhibitor, sort_alerts, sort_groups};

use std::borrow::Cow;

use chrono::{DateTime, Duration, Utc};

use crate::config::{Grouping, MaintenanceConfig, TriageConfig};
use crate::model::alert::Names;
use crate::model::alert::fingerprint_pairs;
use crate::model::board::Known;
use crate::model::{Alert, Board, Group, Latest, ServiceGraph, Stats};
use crate::text::Digits;
use crate::text::time;

pub use noise::{FlapHistory, FlapRecord};
use noise::{Maintenance, MaintenanceError};
use outages::{Bond, Outage, Settings, Topology};

/// Triage as it runs over time: its settings, and what it remembers between boards
/// (which alerts keep starting anew).
#[derive(Debug, Clone, Default)]
pub struct Triage {
    config: TriageConfig,
    windows: Vec<Maintenance>,
    flaps: FlapHistory,
}

impl Triage {
    /// Triage with these settings and maintenance windows.
    pub fn new(
        config: TriageConfig,
        maintenance: &[MaintenanceConfig],
    ) -> Result<Triage, MaintenanceError> {
        Ok(Triage {
            config,
            windows: Maintenance::from_config(maintenance)?,
            flaps: FlapHistory::default(),
        })
    }

    /// The settings in force.
    pub fn config(&self) -> &TriageConfig {
        &self.config
    }

    /// What it remembers of which alerts keep starting anew.
    pub fn flaps(&self) -> &FlapHistory {
        &self.flaps
    }

    /// The same triage, remembering `flaps` (what an earlier run saw).
    pub fn with_flaps(mut self, flaps: FlapHistory) -> Triage {
        self.flaps = flaps;
        self
    }

    /// What it remembers of flaps, to change or take.
    pub fn flaps_mut(&mut self) -> &mut FlapHistory {
        &mut self.flaps
    }

    /// The board for the last good data of every source, as of `now`.
    pub fn board(&mut self, sources: Latest, now: DateTime<Utc>) -> Board {
        self.board_where(sources, now, |_| true)
    }

    /// Like [`Triage::board`], grouping only the alerts `keep` accepts. Stats still count
    /// everything received (`raw`, `unique`); `groups` counts the groups built.
    pub fn board_where(
        &mut self,
        sources: Latest,
        now: DateTime<Utc>,
        keep: impl Fn(&Alert) -> bool,
    ) -> Board {
        let raw: usize = sources.snapshots.iter().map(|s| s.alerts.len()).sum();
        // Where each alert was seen and which alerts flap are both worked out on one
        // thread: side by side.
        let copies = dedup::Copies::of(sources.snapshots.iter().flat_map(|s| s.alerts.iter()));
        let mut unique = copies.merged();
        let unique_count = unique.len();
        let within = Duration::from_std(self.config.flap_within.0).unwrap_or(Duration::hours(1));
        let (count, flaps) = (self.config.flap_count, &mut self.flaps);
        let (places, flapping) = rayon::join(
            || copies.places(),
            || flaps.observe(&unique, now, count, within),
        );
        dedup::Copies::place(&mut unique, places);
        drop(copies);
        noise::mark_quiet(&mut unique, &self.windows, &flapping, now);
        unique.retain(|a| keep(a));
        let graph = merged_graph(&sources);
        let deploys = merged_deploys(&sources);
        let groups = group(unique, &self.config, &graph);
        let mut board = Board {
            stats: Stats {
                raw,
                unique: unique_count,
                groups: groups.len(),
                matched: None,
            },
            groups,
            sources: sources.statuses,
            silences: sources
                .snapshots
                .iter()
                .flat_map(|s| s.silences.iter().cloned())
                .collect(),
            graph,
            deploys,
        };
        correlate::attach_suspects(&mut board, self.deploy_window());
        board
    }

    /// How long before a group's first alert a deploy is a suspect.
    pub fn deploy_window(&self) -> Duration {
        Duration::from_std(self.config.deploy_window.0).unwrap_or(Duration::minutes(30))
    }
}

/// Every source's deploys, newest first, each once.
fn merged_deploys(sources: &Latest) -> Vec<crate::model::Deploy> {
    let mut deploys: Vec<crate::model::Deploy> = sources
        .snapshots
        .iter()
        .flat_map(|s| s.deploys.iter().cloned())
        .collect();
    deploys.sort_by(|a, b| {
        b.at.cmp(&a.at)
            .then_with(|| a.service.cmp(&b.service))
            .then_with(|| a.version.cmp(&b.version))
    });
    deploys.dedup_by(|a, b| {
        a.service == b.service
            && a.version == b.version
            && a.at == b.at
            && a.environment == b.environment
            && a.clusters == b.clusters
    });
    deploys
}

/// Every source's dependency map, as one.
fn merged_graph(sources: &Latest) -> ServiceGraph {
    let mut graph = ServiceGraph::default();
    for g in sources.snapshots.iter().filter_map(|s| s.graph.as_ref()) {
        for s in &g.services {
            if !graph.services.iter().any(|k| k.name == s.name) {
                graph.services.push(s.clone());
            }
        }
        // One edge per caller and callee; the first source that measured its rate
        // and errors (tracing, service-graph metrics) gives them.
        for e in &g.edges {
            match graph
                .edges
                .iter_mut()
                .find(|k| k.from == e.from && k.to == e.to)
            {
                Some(known) => {
                    known.calls_per_s = known.calls_per_s.or(e.calls_per_s);
                    known.error_ratio = known.error_ratio.or(e.error_ratio);
                }
                None => graph.edges.push(e.clone()),
            }
        }
    }
    graph
}

/// Groups alerts as configured: following outages, or by labels.
pub fn group(alerts: Vec<Alert>, config: &TriageConfig, graph: &ServiceGraph) -> Vec<Group> {
    if config.grouping == Grouping::Labels {
        return group_by_labels(alerts, &config.group_by, &config.service_label);
    }
    let settings = Settings {
        service_label: config.service_label.clone(),
        node_label: config.node_label.clone(),
        service_from: config.service_from.clone(),
        exporters: config.exporters.clone(),
        shared_labels: config.shared_labels.clone(),
        window: Duration::from_std(config.window.0).unwrap_or(Duration::minutes(15)),
        lead: Duration::from_std(config.lead.0).unwrap_or(Duration::minutes(1)),
        standalone: config.standalone.clone(),
    };
    let topology = Topology::from_graph(graph);
    let reading = outages::read_labels(&alerts, &settings);
    let found = outages::outages_read(&alerts, &reading, &settings, &topology);
    // Everything a group says is worked out while the alerts stay where they are, from
    // what was read of their labels (naming groups is independent work per group: share
    // it across the cores); the drafts are put in page order; then each alert moves once,
    // into its place in its group.
    use rayon::prelude::*;
    let drafts: Vec<Draft> = found
        .into_par_iter()
        .map(|outage| draft(&alerts, &reading, outage, &settings.service_from))
        .collect();
    drop(reading);
    let order = group::page_order(
        drafts
            .iter()
            .map(|d| (d.known.severity, d.known.last_started, d.id.as_str())),
    );
    group::take_apart(
        alerts,
        drafts,
        &order,
        |d| d.order.as_slice(),
        |d, members| {
            let mut group = Group::with_known(d.id, d.title, d.reason, members, d.known);
            group.root = d.root;
            group
        },
    )
}

/// A group before its alerts move in: what it says, and its alerts (indices) in order.
struct Draft {
    id: String,
    title: String,
    reason: Cow<'static, str>,
    root: Option<String>,
    order: Vec<usize>,
    /// What the group says of its alerts, known before they move in; the page order
    /// needs its severity and last start.
    known: Known,
}

/// The group for one outage: its title, why its alerts are together, its root.
///
/// A storm makes tens of thousands of these: the words are joined with [`cat`], which
/// allocates once, rather than `format!`, which costs several times more.
fn draft(
    alerts: &[Alert],
    reading: &outages::Reading,
    outage: Outage,
    service_from: &[String],
) -> Draft {
    let read = |i: usize| reading.alerts[i];
    let mut order = outage.alerts;
    let any_inhibited = order.iter().any(|&i| read(i).inhibited);
    order_alerts(alerts, &mut order, any_inhibited, |i| {
        let r = read(i);
        (r.severity, r.starts_at, r.fingerprint)
    });
    let cluster = order
        .first()
        .map(|&i| reading.word(read(i).cluster))
        .unwrap_or_default();
    let services = distinct_words(reading, order.iter().map(|&i| read(i).service));
    let clusters = distinct_words(reading, order.iter().map(|&i| read(i).cluster));
    let n = order.len();
    // Most groups are one alert: the list of alert names, which only bigger groups
    // show, is made on demand.
    let (mut count, mut span) = (Digits::default(), Digits::default());
    let count = count.of(n);
    let alerts_word = if n == 1 { " alert" } else { " alerts" };
    let within = time::within(outage.span, &mut span);
    let within = within.as_ref();
    let in_cluster: [&str; 2] = if cluster.is_empty() {
        ["", ""]
    } else {
        [" in ", cluster]
    };
    let names = || {
        let mut n: Vec<&str> = order.iter().map(|&i| reading.word(read(i).name)).collect();
        n.sort_unstable();
        n.dedup();
        n.join(", ")
    };
    let first = &alerts[order[0]];
    let (title, reason, root): (_, Cow<'static, str>, _) = match &outage.bond {
        Bond::Alone => (
            first.headline().to_string(),
            "nothing else related started near it".into(),
            None,
        ),
        Bond::Chores if n == 1 => (
            first.headline().to_string(),
            "a housekeeping or low-severity alert: never tied to an outage".into(),
            None,
        ),
        Bond::Service(svc) => (
            cat(&[svc.as_str(), ": ", count, alerts_word, " (", &names(), ")"]),
            cat(&[
                count,
                alerts_word,
                " about ",
                svc,
                in_cluster[0],
                in_cluster[1],
                ", started within ",
                within,
            ])
            .into(),
            Some(svc.clone()),
        ),
        Bond::Node(node) => (
            cat(&[
                "node ",
                node.as_str(),
                ": ",
                count,
                alerts_word,
                " on ",
                &list(&services),
            ]),
            cat(&[
                count,
                alerts_word,
                " about node ",
                node,
                in_cluster[0],
                in_cluster[1],
                ", started within ",
                within,
            ])
            .into(),
            Some(cat(&["node ", node.as_str()])),
        ),
        Bond::Dependency {
            root,
            dependents,
            evidence,
        } => {
            let dependents = list(dependents);
            // Said when the live graph did not confirm every dependency (tied as the
            // catalog says, as the console always did, when it did).
            let evidence = match evidence {
                None | Some(outages::Evidence::Live) => "",
                Some(outages::Evidence::LiveAndCatalog) => {
                    " (some dependencies from the catalog alone, not seen live)"
                }
                Some(outages::Evidence::Catalog) => {
                    " (dependencies from the catalog alone, not seen live)"
                }
                Some(outages::Evidence::Contradicted) => {
                    " (by a catalog dependency the live graph no longer shows: started together)"
                }
            };
            (
                cat(&[root.as_str(), " failing → ", &dependents]),
                cat(&[
                    &dependents,
                    " depend on ",
                    root,
                    " and started alerting after it, within ",
                    within,
                    in_cluster[0],
                    in_cluster[1],
                    evidence,
                ])
                .into(),
                Some(root.clone()),
            )
        }
        Bond::Shared(what) => (
            cat(&[
                what.as_str(),
                ": ",
                count,
                alerts_word,
                " on ",
                &list(&services),
            ]),
            cat(&[
                count,
                alerts_word,
                " sharing ",
                what,
                " or depending on what does",
                in_cluster[0],
                in_cluster[1],
                ", started within ",
                within,
            ])
            .into(),
            Some(what.clone()),
        ),
        Bond::Flapping(starts) => (
            first.headline().to_string(),
            format!("flapping (started {starts} times lately): never tied to an outage").into(),
            None,
        ),
        Bond::Chores => (
            cat(&[reading.word(read(order[0]).name), " ×", count]),
            "housekeeping alerts of one kind on one thing: never tied to outages".into(),
            None,
        ),
        Bond::Mixed => (
            cat(&[
                count,
                alerts_word,
                " on ",
                &list(&services),
                " (",
                &names(),
                ")",
            ]),
            cat(&[
                "related by dependencies, shared nodes or inhibition, started within ",
                within,
                in_cluster[0],
                in_cluster[1],
            ])
            .into(),
            None,
        ),
    };
    // Where the label naming the service was missing, the reason says where it came from.
    let mut derived: smallvec::SmallVec<[u8; 4]> = order
        .iter()
        .map(|&i| read(i).derived)
        .filter(|&d| d > 0)
        .collect();
    let reason = if derived.is_empty() {
        reason
    } else {
        derived.sort_unstable();
        derived.dedup();
        let from: Vec<&str> = derived
            .iter()
            .filter_map(|&d| service_from.get(d as usize - 1).map(String::as_str))
            .collect();
        cat(&[
            &reason,
            "; service taken from ",
            &from.join(", "),
            " where the service label is missing",
        ])
        .into()
    };
    // Stable for the same alerts: what holds them together, and the first of them.
    let anchor = order
        .iter()
        .map(|&i| read(i))
        .min_by_key(|r| (r.starts_at, r.fingerprint))
        .map(|r| r.fingerprint.hex())
        .unwrap_or_default();
    let anchor = std::str::from_utf8(&anchor).unwrap_or_default();
    let bond = bond_key(&outage.bond);
    let key = [("anchor", anchor), ("bond", &bond), ("cluster", cluster)];
    let id = fingerprint_pairs(key.into_iter()).hex();
    Draft {
        id: cat(&["g-", std::str::from_utf8(&id).unwrap_or_default()]),
        title,
        reason,
        root,
        known: Known::of(
            order.iter().map(|&i| {
                let r = read(i);
                (r.severity, r.starts_at, r.pages)
            }),
            services,
            clusters,
        ),
        order,
    }
}

/// The distinct words named, sorted by text ("" left out). Numbers are deduplicated
/// first: most groups name one service and one cluster, and then no text is compared
/// and the list is one the reading already holds.
fn distinct_words(reading: &outages::Reading, words: impl Iterator<Item = u32>) -> Names {
    let mut words: smallvec::SmallVec<[u32; 4]> = words.filter(|&w| w != outages::ABSENT).collect();
    words.sort_unstable();
    words.dedup();
    match words[..] {
        [] => Names::new(),
        [one] => reading.named(one).clone(),
        _ => Names::distinct(words.iter().flat_map(|&w| reading.named(w).iter())),
    }
}

/// `parts` joined, in one allocation.
fn cat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    parts.iter().for_each(|p| s.push_str(p));
    s
}

fn bond_key(b: &Bond) -> std::borrow::Cow<'static, str> {
    match b {
        Bond::Alone => "alone".into(),
        Bond::Service(s) => cat(&["service:", s.as_str()]).into(),
        Bond::Node(n) => cat(&["node:", n.as_str()]).into(),
        Bond::Shared(w) => cat(&["shared:", w.as_str()]).into(),
        Bond::Flapping(_) => "flapping".into(),
        Bond::Dependency { root, .. } => cat(&["root:", root.as_str()]).into(),
        Bond::Chores => "chores".into(),
        Bond::Mixed => "mixed".into(),
    }
}

/// `a`, `a and b`, `a, b and 3 more`.
pub(crate) fn list(items: &[impl AsRef<str>]) -> String {
    let name = |i: usize| items[i].as_ref();
    match items.len() {
        0 => "none".into(),
        1 => name(0).to_string(),
        2 => format!("{} and {}", name(0), name(1)),
        3 => format!("{}, {} and {}", name(0), name(1), name(2)),
        n => format!("{}, {} and {} more", name(0), name(1), n - 2),
    }
}

/// Dedups and groups with the default settings and no history: for one-shot callers
/// and tests.
pub fn build_board(sources: Latest, config: &TriageConfig) -> Board {
    Triage::new(config.clone(), &[])
        .expect("no maintenance windows to check")
        .board(sources, Utc::now())
}
