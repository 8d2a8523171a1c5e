//! Deduplication: the same alert seen on several HA peers or through several sources is
//! one alert that lists where it was seen.

use std::collections::hash_map::Entry;

use crate::model::alert::Names;
use crate::model::hash::FingerprintMap;
use crate::model::{Alert, AlertState};

/// Merges alerts with the same fingerprint. Active wins over any other state, the
/// earliest start is kept, and every source and endpoint that reported it is listed.
/// Output order is first appearance, so results are stable for the same input.
pub fn dedup<'a>(alerts: impl IntoIterator<Item = &'a Alert>) -> Vec<Alert> {
    let copies = Copies::of(alerts);
    let mut out = copies.merged();
    Copies::place(&mut out, copies.places());
    out
}

/// The alerts as received, and which of them are copies of one alert.
pub(crate) struct Copies<'a> {
    alerts: Vec<&'a Alert>,
    /// The first copy of each alert, in order of appearance.
    first: Vec<u32>,
    /// Each copy's next one (NONE ends the chain).
    next: Vec<u32>,
}

const NONE: u32 = u32::MAX;

/// Where one alert was seen: its sources and endpoints.
pub(crate) type Places = (Names, Names);

impl<'a> Copies<'a> {
    /// Which copies are one alert, from fingerprints alone.
    pub(crate) fn of(alerts: impl IntoIterator<Item = &'a Alert>) -> Copies<'a> {
        // References are cheap; knowing the count up front sizes everything exactly.
        let alerts: Vec<&Alert> = alerts.into_iter().collect();
        // Which copies are one alert: the first copy of each, and each copy's next one.
        // Most alerts arrive from an HA pair, so half the copies is the usual count;
        // sizing the index up front spares rehashing a table of 100k entries as it grows.
        let mut index: FingerprintMap<u32> =
            FingerprintMap::with_capacity_and_hasher(alerts.len() / 2, Default::default());
        let mut first: Vec<u32> = Vec::with_capacity(alerts.len() / 2);
        let mut last: Vec<u32> = Vec::with_capacity(alerts.len() / 2);
        let mut next: Vec<u32> = vec![NONE; alerts.len()];
        for (i, alert) in alerts.iter().enumerate() {
            let i = i as u32;
            match index.entry(alert.fingerprint) {
                Entry::Occupied(e) => {
                    let u = *e.get() as usize;
                    next[last[u] as usize] = i;
                    last[u] = i;
                }
                Entry::Vacant(e) => {
                    e.insert(first.len() as u32);
                    first.push(i);
                    last.push(i);
                }
            }
        }
        Copies {
            alerts,
            first,
            next,
        }
    }

    /// Every copy of the alert whose first copy is `u`, in the order they came.
    fn copies(&self, u: u32) -> impl Iterator<Item = &'a Alert> + '_ {
        std::iter::successors(Some(u), |&i| {
            Some(self.next[i as usize]).filter(|&n| n != NONE)
        })
        .map(|i| self.alerts[i as usize])
    }

    /// One alert per fingerprint, merged from its copies, on every core: it reads each
    /// alert's labels, a cache miss away. Where each alert was seen is left out here
    /// ([`Copies::places`]): those names are shared by every alert of a source, and
    /// cores counting their users at once wait on each other.
    pub(crate) fn merged(&self) -> Vec<Alert> {
        use rayon::prelude::*;
        // Each alert's labels are a cache miss away, and counting a new user of them
        // stalls the CPU until they arrive: ask for them a few alerts ahead.
        const AHEAD: usize = 8;
        (0..self.first.len())
            .into_par_iter()
            .map(|k| {
                if let Some(&later) = self.first.get(k + AHEAD) {
                    let later = self.alerts[later as usize];
                    later.labels.prefetch();
                    later.annotations.prefetch();
                }
                let mut copies = self.copies(self.first[k]);
                let mut kept = unplaced_copy(copies.next().expect("a first copy"));
                copies.for_each(|other| merge_into(&mut kept, other));
                kept
            })
            .collect()
    }

    /// Where each alert was seen, in the order of [`Copies::merged`]; on one thread.
    /// Alerts come in runs seen by the same peers (an HA pair reports every alert): the
    /// lists made for the last alert serve again when its copies came from the same
    /// places (names are shared: compared by address).
    pub(crate) fn places(&self) -> Vec<Places> {
        let mut out = Vec::with_capacity(self.first.len());
        let mut last: Option<(Vec<*const u8>, Places)> = None;
        let mut seen: Vec<*const u8> = Vec::new();
        for &u in &self.first {
            seen.clear();
            seen.extend(
                self.copies(u)
                    .flat_map(|c| c.sources.iter().chain(&c.seen_by))
                    .map(|n| n.as_ptr()),
            );
            if let Some((known, places)) = &last
                && *known == seen
            {
                out.push(places.clone());
                continue;
            }
            let mut copies = self.copies(u);
            let only = copies.next().expect("a first copy");
            let (mut sources, mut seen_by) = (only.sources.to_vec(), only.seen_by.to_vec());
            let mut more = false;
            for other in copies {
                insert_sorted(&mut sources, &other.sources);
                insert_sorted(&mut seen_by, &other.seen_by);
                more = true;
            }
            // One copy: its own lists serve as they are.
            let places = if more {
                (Names::from(sources), Names::from(seen_by))
            } else {
                (only.sources.clone(), only.seen_by.clone())
            };
            out.push(places.clone());
            last = Some((seen.clone(), places));
        }
        out
    }

    /// Gives each merged alert its places (moves only: no names are counted again).
    pub(crate) fn place(merged: &mut [Alert], places: Vec<Places>) {
        use rayon::prelude::*;
        merged
            .par_iter_mut()
            .zip(places)
            .for_each(|(alert, (sources, seen_by))| {
                alert.sources = sources;
                alert.seen_by = seen_by;
            });
    }
}

/// A copy of `alert` that lists no source or endpoint yet.
fn unplaced_copy(alert: &Alert) -> Alert {
    Alert {
        fingerprint: alert.fingerprint,
        labels: alert.labels.clone(),
        annotations: alert.annotations.clone(),
        severity: alert.severity,
        state: alert.state,
        starts_at: alert.starts_at,
        sources: Names::new(),
        seen_by: Names::new(),
        generator_url: alert.generator_url.clone(),
        silenced_by: alert.silenced_by.clone(),
        inhibited_by: alert.inhibited_by.clone(),
        receivers: alert.receivers.clone(),
        quiet: alert.quiet.clone(),
        raw_labels: alert.raw_labels.clone(),
    }
}

/// Merges what `other` knows into `kept`, except where it was seen.
fn merge_into(kept: &mut Alert, other: &Alert) {
    // The peer whose state wins also says what suppresses the alert, if anything.
    if rank(other.state) < rank(kept.state) {
        kept.state = other.state;
        kept.silenced_by.clone_from(&other.silenced_by);
        kept.inhibited_by.clone_from(&other.inhibited_by);
    }
    if other.receivers.iter().any(|r| !kept.receivers.contains(r)) {
        let mut all = kept.receivers.to_vec();
        all.extend(
            other
                .receivers
                .iter()
                .filter(|r| !kept.receivers.contains(r))
                .cloned(),
        );
        kept.receivers = all.into();
    }
    if other.starts_at < kept.starts_at {
        kept.starts_at = other.starts_at;
    }
    // Peers normally agree (a source's copies even share their annotations); only copy
    // them when one knows more.
    if !kept.annotations.same(&other.annotations)
        && other
            .annotations
            .keys()
            .any(|k| !kept.annotations.contains_key(k))
    {
        kept.annotations = kept.annotations.merged_with(&other.annotations);
    }
    if kept.generator_url.is_none() {
        kept.generator_url.clone_from(&other.generator_url);
    }
}

/// Adds what `more` has that `list` lacks, keeping `list` sorted: names are shared
/// pointers, so most checks compare addresses, not text.
fn insert_sorted(list: &mut Vec<std::sync::Arc<str>>, more: &[std::sync::Arc<str>]) {
    for m in more {
        if list.iter().any(|k| std::sync::Arc::ptr_eq(k, m)) {
            continue;
        }
        if let Err(at) = list.binary_search(m) {
            list.insert(at, m.clone());
        }
    }
}

/// Which state to show when peers disagree: firing beats everything, since a silence
/// that has not reached every peer yet must not hide a page.
fn rank(state: AlertState) -> u8 {
    match state {
        AlertState::Active => 0,
        AlertState::Unprocessed => 1,
        AlertState::Suppressed => 2,
        AlertState::Pending => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Labels, Origin};
    use chrono::{TimeZone, Utc};

    fn alert(name: &str, state: AlertState, minute: u32, source: &str, peer: &str) -> Alert {
        let labels: Labels = [("alertname".to_string(), name.to_string())].into();
        let at = Utc.with_ymd_and_hms(2026, 11, 21, 20, minute, 0).unwrap();
        Alert::new(labels, Labels::new(), state, at, &Origin::new(source, peer))
    }

    #[test]
    fn ha_copies_become_one_alert_listing_both_peers() {
        let a = alert("Down", AlertState::Suppressed, 5, "eu", "am-0");
        let b = alert("Down", AlertState::Active, 3, "eu", "am-1");
        let c = alert("Other", AlertState::Active, 1, "eu", "am-0");
        let out = dedup([&a, &b, &c]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].state, AlertState::Active);
        assert_eq!(out[0].starts_at, b.starts_at);
        assert_eq!(out[0].sources.as_slice(), ["eu".into()]);
        assert_eq!(
            out[0].seen_by.as_slice(),
            ["eu/am-0".into(), "eu/am-1".into()]
        );
        assert_eq!(out[1].name(), "Other");
    }

    #[test]
    fn the_same_alert_through_two_sources_lists_both() {
        let a = alert("Down", AlertState::Pending, 5, "prom", "p0");
        let b = alert("Down", AlertState::Active, 5, "am", "am-0");
        let out = dedup([&a, &b]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].sources.as_slice(), ["am".into(), "prom".into()]);
        assert_eq!(out[0].state, AlertState::Active);
    }
}
