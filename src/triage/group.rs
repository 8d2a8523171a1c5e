//! Grouping: alerts that share the configured labels form one page.
// Moving alerts into their groups on every core, each exactly once.
#![allow(unsafe_code)]

use std::collections::HashMap;

use crate::model::hash::FingerprintMap;
use chrono::{DateTime, Utc};

use crate::model::{Alert, Fingerprint, Group, LabelSet, Severity, fingerprint};

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
    let order = page_order(
        groups
            .iter()
            .map(|g| (g.severity, g.last_started, g.id.as_str())),
    );
    *groups = permuted(std::mem::take(groups), &order);
}

/// Where each of the groups described goes (severity, last start, id), in the order
/// [`sort_groups`] gives: an index per place.
pub(crate) fn page_order<'a>(
    groups: impl Iterator<Item = (Severity, Option<DateTime<Utc>>, &'a str)>,
) -> Vec<usize> {
    // Groups are big: sort small keys, then move each group once (a storm has tens of
    // thousands of groups, and sorting them in place moved each one many times). Each
    // key is two numbers that compare in one step: severity and start (newest first,
    // none last) in one; the start of the id, which settles most ties (alerts from one
    // rule evaluation start together), in the other; the whole id only after that.
    let mut keys: Vec<(u128, u128, &str, usize)> = groups
        .enumerate()
        .map(|(i, (severity, last_started, id))| {
            let mut head = [0u8; 16];
            let n = id.len().min(16);
            head[..n].copy_from_slice(&id.as_bytes()[..n]);
            let rank = (severity as u128) << 104 | recency(last_started);
            (rank, u128::from_be_bytes(head), id, i)
        })
        .collect();
    {
        use rayon::slice::ParallelSliceMut;
        keys.par_sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| a.2.cmp(b.2)));
    }
    keys.into_iter().map(|k| k.3).collect()
}

/// A number below 2^100 that is smaller the later `at` is; `None` gets the largest.
fn recency(at: Option<DateTime<Utc>>) -> u128 {
    const NONE: u128 = (1 << 100) - 1;
    at.map_or(NONE, |t| {
        // Seconds shifted to be positive over chrono's whole range, then nanoseconds.
        let secs = (i128::from(t.timestamp()) + (1 << 62)) as u128;
        let at = secs << 30 | u128::from(t.timestamp_subsec_nanos());
        NONE - 1 - at
    })
}

/// Moves `items` into parts, on every core, and makes each part into what `build`
/// makes of it: part k holds the items `parts[k]` names (`names` tells which), in that
/// order. Each item moves once (a storm's alerts are tens of megabytes: a copy through
/// a vector of options would write them all twice), and a part is built while its
/// items are still in cache.
///
/// What comes out k-th is made of part `order[k]`: parts, too, move once, straight
/// into their making, rather than into a reordered vector first.
///
/// Every part's names are read once, up front. Panics, before moving anything, unless
/// every item is named exactly once and `order` names every part exactly once.
pub(crate) fn take_apart<T: Send, P: Send, R: Send>(
    items: Vec<T>,
    parts: Vec<P>,
    order: &[usize],
    names: impl Fn(&P) -> &[usize],
    build: impl Fn(P, Vec<T>) -> R + Sync,
) -> Vec<R> {
    let mut places = Vec::with_capacity(items.len());
    let mut ends = Vec::with_capacity(parts.len());
    for &k in order {
        places.extend_from_slice(names(&parts[k]));
        ends.push(places.len());
    }
    let parts = Moving::new(parts, order.to_vec());
    Moving::new(items, places).into_runs(parts, &ends, build)
}

/// `items` reordered on every core so that the i-th is the one `order` names i-th.
///
/// Panics, before moving anything, unless `order` names every item exactly once.
pub(crate) fn permuted<T: Send>(items: Vec<T>, order: &[usize]) -> Vec<T> {
    Moving::new(items, order.to_vec()).into_order()
}

/// Items on their way to new places: place p gets the item `order[p]`. `order` is
/// checked to name every item exactly once, and each place is visited once, so each
/// item moves once with no bookkeeping per item (a storm moves 100k alerts; a flag
/// flipped atomically per item cost more than the moves).
struct Moving<T> {
    items: std::mem::ManuallyDrop<Vec<T>>,
    order: Vec<usize>,
}

// SAFETY: rayon's threads share `&Moving`, and all they do through it is
// `take_for`. `into_order` hands each place to exactly one call of its parallel map;
// `into_runs` gives each task a run of places no other run overlaps and its own part.
// `new` checked that distinct places name distinct items, so no item is read twice and
// no two threads touch one item. Items are moved to the thread that reads them, hence
// `T: Send`.
unsafe impl<T: Send> Sync for Moving<T> {}

impl<T: Send> Moving<T> {
    /// Panics unless `order` names every item exactly once.
    fn new(items: Vec<T>, order: Vec<usize>) -> Moving<T> {
        let mut seen = vec![false; items.len()];
        for &i in &order {
            assert!(
                !std::mem::replace(&mut seen[i], true),
                "item {i} named twice"
            );
        }
        assert!(seen.into_iter().all(|n| n), "an item in no part");
        Moving {
            items: std::mem::ManuallyDrop::new(items),
            order,
        }
    }

    /// Moves out the item for place `p`, first hinting that the item a few places on
    /// will be wanted soon: items are read in an order of their own, which the CPU
    /// cannot guess, so without the hint every item is a wait on memory.
    ///
    /// SAFETY: the caller visits place `p` only once.
    unsafe fn take_for(&self, p: usize) -> T {
        const AHEAD: usize = 6;
        if let Some(&later) = self.order.get(p + AHEAD) {
            crate::model::prefetch::prefetch_value(self.items.as_ptr().wrapping_add(later));
        }
        // SAFETY: `order` names each item once, in bounds (checked in `new`), and place
        // `p` is visited once.
        unsafe { std::ptr::read(self.items.as_ptr().add(self.order[p])) }
    }

    /// Every item, in its place.
    fn into_order(self) -> Vec<T> {
        use rayon::prelude::*;
        // SAFETY: each place is visited once.
        (0..self.order.len())
            .into_par_iter()
            .map(|p| unsafe { self.take_for(p) })
            .collect()
    }

    /// The items cut into runs of places (run k ends before place `ends[k]`), each run
    /// made into what `build` makes of it with the part in place k of `parts`.
    fn into_runs<P: Send, R: Send>(
        self,
        parts: Moving<P>,
        ends: &[usize],
        build: impl Fn(P, Vec<T>) -> R + Sync,
    ) -> Vec<R> {
        use rayon::prelude::*;
        assert_eq!(parts.order.len(), ends.len(), "a part per run");
        assert!(
            ends.is_sorted() && ends.last().is_none_or(|&e| e == self.order.len()),
            "runs cover every place"
        );
        (0..ends.len())
            .into_par_iter()
            .map(|k| {
                let start = if k == 0 { 0 } else { ends[k - 1] };
                // SAFETY: runs do not overlap, and each run and each part is visited
                // once.
                let part = unsafe { parts.take_for(k) };
                let items = (start..ends[k])
                    .map(|p| unsafe { self.take_for(p) })
                    .collect();
                build(part, items)
            })
            .collect()
    }
}

impl<T> Drop for Moving<T> {
    fn drop(&mut self) {
        // Every item was moved out, or (a build panicked part way) is leaked: only the
        // buffer is left to free.
        // SAFETY: no item is dropped through the vector again.
        unsafe {
            self.items.set_len(0);
            std::mem::ManuallyDrop::drop(&mut self.items);
        }
    }
}

/// Most severe first, then the newest, then by fingerprint for a stable order; an
/// inhibited alert goes just under the alert in the group that inhibits it.
pub fn sort_alerts(alerts: &mut Vec<Alert>) {
    let mut order: Vec<usize> = (0..alerts.len()).collect();
    let any_inhibited = alerts.iter().any(|a| !a.inhibited_by.is_empty());
    order_alerts(alerts, &mut order, any_inhibited, |i| {
        let a = &alerts[i];
        (a.severity, a.starts_at, a.fingerprint)
    });
    *alerts = permuted(std::mem::take(alerts), &order);
}

/// Puts `order` (indices into `alerts`) in the order [`sort_alerts`] gives, from each
/// alert's severity, start and fingerprint as `facts` tells them: sorting small indices
/// moves less than sorting alerts, and facts read from a small array spare a cache miss
/// per alert. The alerts themselves are read only when some are inhibited.
pub(crate) fn order_alerts(
    alerts: &[Alert],
    order: &mut Vec<usize>,
    any_inhibited: bool,
    facts: impl Fn(usize) -> (Severity, DateTime<Utc>, Fingerprint),
) {
    order.sort_unstable_by(|&i, &j| {
        let (a, b) = (facts(i), facts(j));
        a.0.cmp(&b.0)
            .then_with(|| b.1.cmp(&a.1))
            .then_with(|| a.2.cmp(&b.2))
            // Where all else is equal, input order, as a stable sort keeps it.
            .then(i.cmp(&j))
    });
    if any_inhibited {
        nest_inhibited(alerts, order);
    }
}

/// Where in `alerts` the alert that inhibits `alerts[i]` is, if it is among them.
pub fn inhibitor(alerts: &[Alert], i: usize) -> Option<usize> {
    alerts[i]
        .inhibitors()
        .find_map(|f| alerts.iter().position(|a| a.fingerprint == f))
        .filter(|&p| p != i)
}

fn nest_inhibited(alerts: &[Alert], order: &mut Vec<usize>) {
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
        assert_eq!(groups[0].services.to_strings(), ["a", "b"]);
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
    fn taking_apart_moves_each_item_once_into_its_part() {
        let take = |items: Vec<String>, parts: Vec<Vec<usize>>| {
            let order: Vec<usize> = (0..parts.len()).collect();
            take_apart(items, parts, &order, |p| p.as_slice(), |_, items| items)
        };
        let items: Vec<String> = (0..5).map(|i| i.to_string()).collect();
        assert_eq!(
            take(items, vec![vec![3, 0], vec![], vec![4, 1, 2]]),
            vec![vec!["3", "0"], vec![], vec!["4", "1", "2"]]
        );
        // Parts come out in the order asked for, each with its own items.
        let items: Vec<String> = (0..4).map(|i| i.to_string()).collect();
        let parts = vec![vec![2], vec![0, 3], vec![1]];
        let made = take_apart(
            items,
            parts,
            &[1, 2, 0],
            |p| p.as_slice(),
            |p, items| (p, items.join(",")),
        );
        assert_eq!(
            made,
            [
                (vec![0, 3], "0,3".to_string()),
                (vec![1], "1".into()),
                (vec![2], "2".into())
            ],
            "part 1, then 2, then 0"
        );
        let parts_twice = std::panic::catch_unwind(|| {
            take_apart(
                vec![String::new()],
                vec![vec![0], vec![]],
                &[0, 0],
                |p| p.as_slice(),
                |_, items| items,
            )
        });
        assert!(parts_twice.is_err(), "a part named twice is refused");
        let twice = std::panic::catch_unwind(|| {
            take(
                vec![String::new(), String::new()],
                vec![vec![0, 0], vec![1]],
            )
        });
        assert!(twice.is_err(), "an item named twice is refused");
        let missing =
            std::panic::catch_unwind(|| take(vec!["1".into(), "2".into()], vec![vec![1]]));
        assert!(missing.is_err(), "an item left out is refused");
        // Each part's names are read once, before anything moves: a part that would
        // name other items later cannot move one twice.
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let fickle = take_apart(
            vec!["a".to_string(), "b".to_string()],
            vec![vec![0], vec![1]],
            &[0, 1],
            |p| {
                let n = asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if n < 2 { p.as_slice() } else { &[0] }
            },
            |_, items| items,
        );
        assert_eq!(fickle, [["a"], ["b"]]);
        assert_eq!(asked.into_inner(), 2, "names read once per part");
        assert_eq!(
            permuted(vec!["a", "b", "c"], &[2, 0, 1]),
            ["c", "a", "b"],
            "permuting puts the named item in each place"
        );
    }

    #[test]
    fn pages_go_by_severity_then_newest_then_groups_without_a_start() {
        let at = |m: u32| Some(Utc.with_ymd_and_hms(2026, 11, 21, 20, m, 0).unwrap());
        let groups = [
            (Severity::Warning, at(9), "g-a"),
            (Severity::Critical, None, "g-b"),
            (Severity::Critical, at(1), "g-c"),
            (Severity::Critical, at(5), "g-e"),
            (Severity::Critical, at(5), "g-d"),
        ];
        assert_eq!(page_order(groups.into_iter()), [4, 3, 2, 1, 0]);
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
