//! The responder's corrections: groups they split or merged stay that way for the rest
//! of the session, whatever triage decides on the next poll.

use std::collections::{BTreeMap, HashSet};

use crate::model::board::distinct;
use crate::model::{Alert, Fingerprint, Group, LabelSet, fingerprint};
use crate::text::plural;

use super::{sort_alerts, sort_groups};

/// One correction, by the alerts it was made on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Override {
    /// These alerts no longer belong with each other: each service its own group.
    Split(HashSet<Fingerprint>),
    /// These alerts belong together.
    Merge(HashSet<Fingerprint>),
}

/// Applies the corrections in the order they were made.
pub fn apply(mut groups: Vec<Group>, overrides: &[Override], service_label: &str) -> Vec<Group> {
    if overrides.is_empty() {
        return groups;
    }
    for o in overrides {
        groups = match o {
            Override::Split(set) => split(groups, set, service_label),
            Override::Merge(set) => merge(groups, set, service_label),
        };
    }
    sort_groups(&mut groups);
    groups
}

fn split(groups: Vec<Group>, set: &HashSet<Fingerprint>, service_label: &str) -> Vec<Group> {
    let mut out = Vec::new();
    for g in groups {
        if !g.alerts.iter().any(|a| set.contains(&a.fingerprint)) {
            out.push(g);
            continue;
        }
        let (picked, rest): (Vec<Alert>, Vec<Alert>) = g
            .alerts
            .into_iter()
            .partition(|a| set.contains(&a.fingerprint));
        if !rest.is_empty() {
            out.push(rebuild(
                rest,
                "left after you split off the rest",
                service_label,
                g.root.clone(),
            ));
        }
        let mut parts: BTreeMap<String, Vec<Alert>> = BTreeMap::new();
        for a in picked {
            let key = match a.label(service_label) {
                "" => a.name().to_string(),
                s => s.to_string(),
            };
            parts.entry(key).or_default().push(a);
        }
        for (key, alerts) in parts {
            out.push(rebuild(
                alerts,
                &format!("split by you: the alerts of {key}"),
                service_label,
                Some(key),
            ));
        }
    }
    out
}

fn merge(groups: Vec<Group>, set: &HashSet<Fingerprint>, service_label: &str) -> Vec<Group> {
    let (touched, mut out): (Vec<Group>, Vec<Group>) = groups
        .into_iter()
        .partition(|g| g.alerts.iter().any(|a| set.contains(&a.fingerprint)));
    if touched.len() < 2 {
        out.extend(touched);
        return out;
    }
    let root = touched.first().and_then(|g| g.root.clone());
    let alerts: Vec<Alert> = touched.into_iter().flat_map(|g| g.alerts).collect();
    out.push(rebuild(alerts, "merged by you", service_label, root));
    out
}

fn rebuild(
    mut alerts: Vec<Alert>,
    reason: &str,
    service_label: &str,
    root: Option<String>,
) -> Group {
    sort_alerts(&mut alerts);
    let services = distinct(alerts.iter().map(|a| a.label(service_label)));
    let title = match (alerts.len(), services.as_slice()) {
        (1, _) => alerts[0].headline().to_string(),
        (n, [one]) => format!("{one}: {}", plural(n, "alert")),
        (n, many) => format!("{} on {}", plural(n, "alert"), super::list(many)),
    };
    let mut key: Vec<(&str, String)> = vec![("override", reason.to_string())];
    if let Some(first) = alerts.iter().min_by_key(|a| (a.starts_at, a.fingerprint)) {
        key.push(("anchor", first.fingerprint.to_string()));
    }
    let id = format!("g-{}", fingerprint(&key.into_iter().collect::<LabelSet>()));
    // The services are read already (for the title): only the clusters are left.
    let clusters = distinct(alerts.iter().map(|a| a.label("cluster")));
    let mut g = Group::with_places(id, title, reason.to_string(), alerts, services, clusters);
    g.root = root;
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AlertState, Labels, Origin};

    fn alert(service: &str, n: u32) -> Alert {
        let l: Labels = [
            ("alertname".to_string(), format!("A{n}")),
            ("service".to_string(), service.to_string()),
            ("severity".to_string(), "critical".to_string()),
        ]
        .into();
        Alert::new(
            l,
            Labels::new(),
            AlertState::Active,
            chrono::Utc::now(),
            &Origin::new("s", "e"),
        )
    }

    fn group(alerts: Vec<Alert>) -> Group {
        Group::new("g".into(), "t".into(), "r", alerts, "service")
    }

    fn fps(alerts: &[&Alert]) -> HashSet<Fingerprint> {
        alerts.iter().map(|a| a.fingerprint).collect()
    }

    #[test]
    fn split_gives_each_service_its_own_group_and_merge_puts_them_back() {
        let (a, b, c) = (alert("db", 1), alert("api", 2), alert("api", 3));
        let groups = vec![group(vec![a.clone(), b.clone(), c.clone()])];
        let split_all = Override::Split(fps(&[&a, &b, &c]));
        let out = apply(groups.clone(), std::slice::from_ref(&split_all), "service");
        assert_eq!(out.len(), 2);
        assert!(
            out.iter()
                .any(|g| g.alerts.len() == 2 && g.reason.contains("api"))
        );
        // A later merge wins over the earlier split.
        let merged = apply(
            groups.clone(),
            &[split_all, Override::Merge(fps(&[&a, &b]))],
            "service",
        );
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].reason, "merged by you");
        // Alerts the overrides do not know are left as triage made them.
        let other = vec![group(vec![alert("x", 9)])];
        assert_eq!(
            apply(other.clone(), &[Override::Merge(fps(&[&a]))], "service"),
            other
        );
    }
}
