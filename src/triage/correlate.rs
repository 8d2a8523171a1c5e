//! "What changed?": the deploys that finished shortly before a group's first alert,
//! of its services or of what they depend on; and how each service on the map is
//! doing, from the groups that name it.

use std::collections::{BTreeSet, HashMap};

use chrono::Duration;

use crate::model::{Board, Class, Deploy, Group, ServiceGraph, ServiceStatus};

/// Gives every group of `board` its suspect deploys, from `board.deploys`.
pub fn attach_suspects(board: &mut Board, window: Duration) {
    let Board {
        groups,
        graph,
        deploys,
        ..
    } = board;
    if deploys.is_empty() {
        for group in groups.iter_mut() {
            group.suspect_deploys.clear();
        }
        return;
    }
    let calls = calls(graph);
    let known = known_clusters(groups);
    for group in groups.iter_mut() {
        group.suspect_deploys = suspects_with(group, &calls, &known, deploys, window);
    }
}

/// The clusters the board's alerts name: a deploy environment that is one of them is
/// taken for that cluster.
pub fn known_clusters(groups: &[Group]) -> BTreeSet<String> {
    groups
        .iter()
        .flat_map(|g| g.clusters.iter())
        .map(|c| c.to_string())
        .collect()
}

/// Deploys of the group's services, or of any service they depend on (directly or
/// further down), that happened within `window` before the group's first alert —
/// newest first. A deploy counts only for groups in a cluster it reaches
/// ([`Deploy::reaches`]); `known` are the clusters alerts name.
pub fn suspects(
    group: &Group,
    graph: &ServiceGraph,
    known: &BTreeSet<String>,
    deploys: &[Deploy],
    window: Duration,
) -> Vec<Deploy> {
    suspects_with(group, &calls(graph), known, deploys, window)
}

/// Who each service calls: built once per board, read once per group.
type Calls<'a> = HashMap<&'a str, Vec<&'a str>>;

fn calls(graph: &ServiceGraph) -> Calls<'_> {
    let mut calls: Calls = HashMap::new();
    for e in &graph.edges {
        calls
            .entry(e.from.as_str())
            .or_default()
            .push(e.to.as_str());
    }
    calls
}

fn suspects_with(
    group: &Group,
    calls: &Calls<'_>,
    known: &BTreeSet<String>,
    deploys: &[Deploy],
    window: Duration,
) -> Vec<Deploy> {
    let Some(first) = group.first_started else {
        return Vec::new();
    };
    if group.services.is_empty() || deploys.is_empty() {
        return Vec::new();
    }
    let reach = downstream(calls, group.services.iter().map(|s| &**s));
    let mut found: Vec<Deploy> = deploys
        .iter()
        .filter(|d| reach.contains(d.service.as_str()))
        .filter(|d| d.at <= first && first - d.at <= window)
        .filter(|d| {
            group.clusters.is_empty()
                || group
                    .clusters
                    .iter()
                    .any(|c| d.reaches(c, &|name| known.contains(name)))
        })
        .cloned()
        .collect();
    found.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.service.cmp(&b.service)));
    found.dedup_by(|a, b| a.service == b.service && a.version == b.version && a.at == b.at);
    found
}

/// "payments v2.8.0 12m before": a suspect as the console and the table say it.
pub fn describe(deploy: &Deploy, group: &Group) -> String {
    let before = group
        .first_started
        .map(|first| {
            let mins = (first - deploy.at).num_minutes();
            if mins < 1 {
                " just before".to_string()
            } else {
                format!(" {mins}m before")
            }
        })
        .unwrap_or_default();
    format!("{} {}{before}", deploy.service, deploy.version)
}

/// The group's newest suspect in words, with how many more there are.
pub fn headline(group: &Group) -> Option<String> {
    let first = group.suspect_deploys.first()?;
    let more = group.suspect_deploys.len() - 1;
    let tail = if more > 0 {
        format!(" (+{more})")
    } else {
        String::new()
    };
    Some(format!("deploy {}{tail}", describe(first, group)))
}

/// `services` and everything they depend on, following edges to the end.
fn downstream<'a>(calls: &Calls<'a>, services: impl Iterator<Item = &'a str>) -> BTreeSet<&'a str> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut todo: Vec<&str> = services.collect();
    while let Some(s) = todo.pop() {
        if seen.insert(s) {
            todo.extend(calls.get(s).into_iter().flatten().copied());
        }
    }
    seen
}

/// Every service of the map (and every service an alert names), with its status:
/// failing when a paging group names it, degraded when only tickets do, ok otherwise.
/// Sorted by name.
pub fn service_statuses(board: &Board) -> Vec<(String, ServiceStatus)> {
    let mut status: HashMap<&str, ServiceStatus> = HashMap::new();
    for s in &board.graph.services {
        status.insert(&s.name, ServiceStatus::Ok);
    }
    for e in &board.graph.edges {
        status.entry(&e.from).or_insert(ServiceStatus::Ok);
        status.entry(&e.to).or_insert(ServiceStatus::Ok);
    }
    for g in &board.groups {
        // Quiet alerts (silenced, in maintenance) light nothing.
        let lit = if g.class == Class::Page {
            ServiceStatus::Failing
        } else {
            ServiceStatus::Degraded
        };
        for s in &g.services {
            let entry = status.entry(s).or_insert(ServiceStatus::Ok);
            *entry = (*entry).min(lit);
        }
    }
    let mut out: Vec<(String, ServiceStatus)> = status
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edge, Severity};
    use chrono::{DateTime, TimeZone, Utc};

    fn t(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 20, 0, 0).unwrap() + Duration::minutes(min)
    }

    fn deploy(service: &str, version: &str, at: i64, environment: Option<&str>) -> Deploy {
        Deploy {
            service: service.into(),
            version: version.into(),
            at: t(at),
            source: "ci".into(),
            status: "success".into(),
            url: None,
            environment: environment.map(Into::into),
            clusters: Vec::new(),
            author: None,
        }
    }

    fn known(clusters: &[&str]) -> BTreeSet<String> {
        clusters.iter().map(|c| c.to_string()).collect()
    }

    fn group(services: &[&str], first: i64, class: Class) -> Group {
        let mut g = Group::new("g".into(), "t".into(), "r", Vec::new(), "service");
        g.services = services.iter().copied().collect();
        g.clusters = ["prod-eu"].into_iter().collect();
        g.first_started = Some(t(first));
        g.class = class;
        g.severity = Severity::Critical;
        g
    }

    fn graph(edges: &[(&str, &str)]) -> ServiceGraph {
        ServiceGraph {
            services: Vec::new(),
            edges: edges
                .iter()
                .map(|(a, b)| Edge {
                    from: a.to_string(),
                    to: b.to_string(),
                    calls_per_s: None,
                    error_ratio: None,
                })
                .collect(),
        }
    }

    #[test]
    fn deploys_of_the_group_or_what_it_depends_on_shortly_before_are_suspects() {
        let map = graph(&[
            ("checkout", "payments"),
            ("payments", "payments-db"),
            ("search", "catalog"),
        ]);
        let deploys = vec![
            deploy("payments", "v2.8.0", -12, Some("prod-eu")),
            deploy("payments-db", "15.4", -25, None),
            deploy("checkout", "v1.2", -45, None), // too early
            deploy("checkout", "v1.3", 3, None),   // after the first alert
            deploy("catalog", "v9", -5, None),     // not a dependency
            deploy("payments", "v2.7.9", -20, Some("prod-us")), // other cluster
        ];
        let g = group(&["checkout"], 0, Class::Page);
        let both = known(&["prod-eu", "prod-us"]);
        let found = suspects(&g, &map, &both, &deploys, Duration::minutes(30));
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|d| (d.service.as_str(), d.version.as_str()))
            .collect();
        assert_eq!(
            got,
            [("payments", "v2.8.0"), ("payments-db", "15.4")],
            "newest first"
        );
        let narrow = suspects(&g, &map, &both, &deploys, Duration::minutes(10));
        assert!(narrow.is_empty(), "{narrow:?}");
        // Callers are not suspects: a deploy of checkout does not break payments.
        let payments = group(&["payments"], 0, Class::Page);
        let late = vec![deploy("checkout", "v1.2", -5, None)];
        assert!(suspects(&payments, &map, &both, &late, Duration::minutes(30)).is_empty());
    }

    #[test]
    fn an_environment_is_not_a_cluster() {
        let map = graph(&[("checkout", "payments")]);
        let g = group(&["checkout"], 0, Class::Page); // in prod-eu
        let eu_and_us = known(&["prod-eu", "prod-us"]);
        let found =
            |d: Deploy| !suspects(&g, &map, &eu_and_us, &[d], Duration::minutes(30)).is_empty();
        // `production` names no cluster the alerts know: it may have reached any.
        assert!(found(deploy("payments", "v2", -5, Some("production"))));
        // Mapped, it reaches its clusters and no others.
        let mut mapped = deploy("payments", "v2", -5, Some("production"));
        mapped.clusters = vec!["prod-us".into(), "prod-eu".into()];
        assert!(found(mapped.clone()));
        mapped.clusters = vec!["prod-us".into()];
        assert!(!found(mapped));
        // An environment named like a known cluster is that cluster.
        assert!(found(deploy("payments", "v2", -5, Some("prod-eu"))));
        assert!(!found(deploy("payments", "v2", -5, Some("prod-us"))));
        // A group whose alerts name no cluster suspects every deploy of its services.
        let mut anywhere = g.clone();
        anywhere.clusters = crate::model::alert::Names::new();
        let mut elsewhere = deploy("payments", "v2", -5, None);
        elsewhere.clusters = vec!["prod-us".into()];
        assert_eq!(
            suspects(
                &anywhere,
                &map,
                &eu_and_us,
                &[elsewhere],
                Duration::minutes(30)
            )
            .len(),
            1
        );
    }

    #[test]
    fn clusters_on_the_board_are_the_known_ones() {
        let mut us = group(&["search"], 0, Class::Ticket);
        us.clusters = ["prod-us"].into_iter().collect();
        let mut board = Board {
            graph: graph(&[]),
            groups: vec![group(&["payments"], 0, Class::Page), us],
            deploys: vec![
                deploy("payments", "v2", -5, Some("prod-us")),
                deploy("payments", "v3", -4, Some("production")),
            ],
            ..Board::default()
        };
        attach_suspects(&mut board, Duration::minutes(30));
        let versions: Vec<&str> = board.groups[0]
            .suspect_deploys
            .iter()
            .map(|d| d.version.as_str())
            .collect();
        assert_eq!(versions, ["v3"], "prod-us is a cluster the board knows");
    }

    #[test]
    fn cycles_in_the_map_end() {
        let map = graph(&[("a", "b"), ("b", "a")]);
        let g = group(&["a"], 0, Class::Page);
        let found = suspects(
            &g,
            &map,
            &known(&["prod-eu"]),
            &[deploy("b", "1", -1, None)],
            Duration::minutes(30),
        );
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn services_are_lit_by_the_groups_that_name_them() {
        let mut board = Board {
            graph: graph(&[("checkout", "payments"), ("checkout", "cart")]),
            ..Board::default()
        };
        board.groups = vec![
            group(&["payments"], 0, Class::Page),
            group(&["cart"], 0, Class::Ticket),
            group(&["payments"], 0, Class::Ticket),
            group(&["batch"], 0, Class::Ticket),
        ];
        assert_eq!(
            service_statuses(&board),
            [
                ("batch".to_string(), ServiceStatus::Degraded),
                ("cart".to_string(), ServiceStatus::Degraded),
                ("checkout".to_string(), ServiceStatus::Ok),
                ("payments".to_string(), ServiceStatus::Failing),
            ]
        );
    }
}
