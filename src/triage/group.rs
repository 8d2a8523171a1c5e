//! Grouping: alerts that share the configured labels form one page.

use std::collections::HashMap;

use crate::model::hash::FingerprintMap;
use chrono::{DateTime, Utc};

use crate::model::{Alert, Group, LabelSet, Severity, fingerprint};

/// Groups alerts by the values of `group_by` labels. Groups come out most severe first,
/// then most recent; alerts inside a group likewise.
pub fn group_by_labels(alerts: Vec<Alert>, group_by: &[String], service_label: &str) -> Vec<Group> {
    // First pass borrows the label values to find each alert's group; the second moves
    // the alerts, so no key is copied per alert.
    let mut index: HashMap<Vec<&str>, usize> = HashMap::new();
    let mut keys: Vec<Vec<String>> = Vec::new();
    let slot: Vec<usize> = alerts
        .iter()
        .map(|alert| {
            let key: Vec<&str> = group_by.iter().map(|l| alert.label(l)).collect();
            *index.entry(key).or_insert_with_key(|k| {
                keys.push(k.iter().map(|v| v.to_string()).collect());
                keys.len() - 1
            })
        })
        .collect();
    drop(index);
    // Exact capacities: with 100k alerts, growth by doubling would leave tens of MB
    // of slack behind.
    let mut sizes = vec![0usize; keys.len()];
    for &g in &slot {
        sizes[g] += 1;
    }
    let mut members: Vec<Vec<Alert>> = sizes.into_iter().map(Vec::with_capacity).collect();
    for (alert, g) in alerts.into_iter().zip(slot) {
        members[g].push(alert);
    }
    let mut groups: Vec<Group> = keys
        .iter()
        .zip(members)
        .map(|(key, alerts)| make_group(group_by, key, alerts, service_label))
        .collect();
    sort_groups(&mut groups);
    groups
}

fn make_group(
    group_by: &[String],
    key: &[String],
    mut alerts: Vec<Alert>,
    service_label: &str,
) -> Group {
    sort_alerts(&mut alerts);
    let key_labels: LabelSet = group_by.iter().zip(key).collect();
    let parts: Vec<String> = group_by
        .iter()
        .zip(key)
        .map(|(k, v)| {
            if v.is_empty() {
                format!("no {k}")
            } else {
                format!("{k}={v}")
            }
        })
        .collect();
    let mut group = Group::new(
        format!("g-{}", fingerprint(&key_labels)),
        String::new(),
        format!("same {}", parts.join(", ")),
        alerts,
        service_label,
    );
    group.title = if group.alerts.len() == 1 {
        group.alerts[0].headline().to_string()
    } else {
        let named: Vec<&str> = key
            .iter()
            .map(String::as_str)
            .filter(|v| !v.is_empty())
            .collect();
        let mut t = if named.is_empty() {
            "(no labels)".to_string()
        } else {
            named.join(" · ")
        };
        if group.services.len() > 1 {
            t.push_str(&format!(" on {} services", group.services.len()));
        }
        t
    };
    group
}

/// Most severe first, then the most recently started.
pub fn sort_groups(groups: &mut Vec<Group>) {
    // Groups are big: sort small keys, then move each group once (a storm has tens of
    // thousands of groups, and sorting them in place moved each one many times).
    // Ties are common (alerts from one rule evaluation start together): the start of
    // the id, copied into the key, settles most without a trip to each group's id.
    type Key = (
        Severity,
        std::cmp::Reverse<Option<DateTime<Utc>>>,
        [u8; 16],
        usize,
    );
    let mut keys: Vec<Key> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let mut head = [0u8; 16];
            let n = g.id.len().min(16);
            head[..n].copy_from_slice(&g.id.as_bytes()[..n]);
            (g.severity, std::cmp::Reverse(g.last_started), head, i)
        })
        .collect();
    keys.sort_unstable_by(|a, b| {
        (a.0, a.1, a.2)
            .cmp(&(b.0, b.1, b.2))
            .then_with(|| groups[a.3].id.cmp(&groups[b.3].id))
    });
    permute(groups, keys.into_iter().map(|k| k.3));
}

/// Reorders `items` so that the i-th is the one `order` names i-th (a permutation).
fn permute<T>(items: &mut Vec<T>, order: impl Iterator<Item = usize>) {
    let mut slots: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(order.filter_map(|i| slots[i].take()));
}

/// Most severe first, then the newest, then by fingerprint for a stable order; an
/// inhibited alert goes just under the alert in the group that inhibits it.
pub fn sort_alerts(alerts: &mut Vec<Alert>) {
    let mut order: Vec<usize> = (0..alerts.len()).collect();
    order_alerts(alerts, &mut order);
    permute(alerts, order.into_iter());
}

/// Puts `order` (indices into `alerts`) in the order [`sort_alerts`] gives: sorting
/// small indices moves less than sorting alerts.
pub(crate) fn order_alerts(alerts: &[Alert], order: &mut Vec<usize>) {
    order.sort_unstable_by(|&i, &j| {
        let (a, b) = (&alerts[i], &alerts[j]);
        a.severity
            .cmp(&b.severity)
            .then_with(|| b.starts_at.cmp(&a.starts_at))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
            // Where all else is equal, input order, as a stable sort keeps it.
            .then(i.cmp(&j))
    });
    nest_inhibited(alerts, order);
}

/// Where in `alerts` the alert that inhibits `alerts[i]` is, if it is among them.
pub fn inhibitor(alerts: &[Alert], i: usize) -> Option<usize> {
    alerts[i]
        .inhibitors()
        .find_map(|f| alerts.iter().position(|a| a.fingerprint == f))
        .filter(|&p| p != i)
}

fn nest_inhibited(alerts: &[Alert], order: &mut Vec<usize>) {
    if order.iter().all(|&i| alerts[i].inhibited_by.is_empty()) {
        return;
    }
    // Positions in `order` from here on.
    let n = order.len();
    let at: FingerprintMap<usize> = order
        .iter()
        .enumerate()
        .map(|(p, &i)| (alerts[i].fingerprint, p))
        .collect();
    let parent: Vec<Option<usize>> = (0..n)
        .map(|p| {
            alerts[order[p]]
                .inhibitors()
                .find_map(|f| at.get(&f).copied())
                .filter(|&q| q != p)
        })
        .collect();
    let mut children = vec![Vec::new(); n];
    for (p, q) in parent.iter().enumerate() {
        if let Some(q) = q {
            children[*q].push(p);
        }
    }
    let mut nested = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    // Alerts nobody here inhibits first, each followed by what it inhibits; then any
    // left in a cycle of inhibitions, in their sorted order.
    let tops = (0..n).filter(|&p| parent[p].is_none());
    for top in tops.chain(0..n) {
        let mut stack = vec![top];
        while let Some(p) = stack.pop() {
            if std::mem::replace(&mut placed[p], true) {
                continue;
            }
            nested.push(order[p]);
            stack.extend(children[p].iter().rev());
        }
    }
    *order = nested;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AlertState, Labels, Origin, Severity};
    use chrono::{TimeZone, Utc};

    fn alert(pairs: &[(&str, &str)], minute: u32) -> Alert {
        let labels: Labels = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let at = Utc.with_ymd_and_hms(2026, 11, 21, 20, minute, 0).unwrap();
        Alert::new(
            labels,
            Labels::new(),
            AlertState::Active,
            at,
            &Origin::new("s", "e"),
        )
    }

    fn by() -> Vec<String> {
        vec!["alertname".into(), "cluster".into()]
    }

    #[test]
    fn alerts_sharing_the_labels_are_one_group_with_a_reason() {
        let alerts = vec![
            alert(
                &[
                    ("alertname", "Err"),
                    ("cluster", "eu"),
                    ("service", "a"),
                    ("severity", "warning"),
                ],
                1,
            ),
            alert(
                &[
                    ("alertname", "Err"),
                    ("cluster", "eu"),
                    ("service", "b"),
                    ("severity", "critical"),
                ],
                2,
            ),
            alert(
                &[
                    ("alertname", "Err"),
                    ("cluster", "us"),
                    ("service", "a"),
                    ("severity", "warning"),
                ],
                3,
            ),
        ];
        let groups = group_by_labels(alerts, &by(), "service");
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].severity, Severity::Critical);
        assert_eq!(groups[0].alerts.len(), 2);
        assert_eq!(groups[0].reason, "same alertname=Err, cluster=eu");
        assert_eq!(groups[0].title, "Err · eu on 2 services");
        assert_eq!(groups[0].services, vec!["a", "b"]);
        assert_eq!(
            groups[0].alerts[0].label("service"),
            "b",
            "most severe alert first"
        );
    }

    #[test]
    fn group_ids_are_stable_and_distinct() {
        let make = || {
            group_by_labels(
                vec![alert(&[("alertname", "X"), ("cluster", "eu")], 1)],
                &by(),
                "service",
            )
        };
        assert_eq!(make()[0].id, make()[0].id);
        let other = group_by_labels(
            vec![alert(&[("alertname", "X"), ("cluster", "us")], 1)],
            &by(),
            "service",
        );
        assert_ne!(make()[0].id, other[0].id);
    }

    #[test]
    fn equal_severity_groups_put_the_most_recent_first() {
        let alerts = vec![
            alert(&[("alertname", "Old"), ("severity", "warning")], 1),
            alert(&[("alertname", "New"), ("severity", "warning")], 9),
        ];
        let groups = group_by_labels(alerts, &by(), "service");
        assert_eq!(groups[0].alerts[0].name(), "New");
    }
}
