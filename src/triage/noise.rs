//! Noise controls: flapping alerts and maintenance windows keep alerts from paging.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::{DateTime, Duration, Utc};

use crate::config::MaintenanceConfig;
use crate::model::hash::FingerprintMap;
use crate::model::{Alert, Fingerprint, Matcher, MatcherError, Quiet};

/// A maintenance window, ready to match.
#[derive(Debug, Clone)]
pub struct Maintenance {
    pub name: String,
    pub matchers: Vec<Matcher>,
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

/// A configured maintenance window that cannot be used, named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MaintenanceError {
    #[error("maintenance `{name}`: {error}")]
    Matchers { name: String, error: MatcherError },
    #[error("maintenance `{name}`: give at least one matcher")]
    NoMatchers { name: String },
    #[error("maintenance `{name}`: `until` must come after `from`")]
    EndsBeforeStart { name: String },
}

impl Maintenance {
    /// The configured windows; the error names the bad one.
    pub fn from_config(
        configs: &[MaintenanceConfig],
    ) -> Result<Vec<Maintenance>, MaintenanceError> {
        configs
            .iter()
            .map(|c| {
                let name = || c.name.clone();
                let matchers = Matcher::parse_list(&c.matchers).map_err(|error| {
                    MaintenanceError::Matchers {
                        name: name(),
                        error,
                    }
                })?;
                if matchers.is_empty() {
                    return Err(MaintenanceError::NoMatchers { name: name() });
                }
                if c.until <= c.from {
                    return Err(MaintenanceError::EndsBeforeStart { name: name() });
                }
                Ok(Maintenance {
                    name: c.name.clone(),
                    matchers,
                    from: c.from,
                    until: c.until,
                })
            })
            .collect()
    }

    /// True when the window is open at `now` and covers `alert`.
    pub fn covers(&self, alert: &Alert, now: DateTime<Utc>) -> bool {
        self.from <= now
            && now < self.until
            && self
                .matchers
                .iter()
                .all(|m| m.matches(alert.matched_labels()))
    }
}

/// How much later than its last start an alert must start to count as firing anew.
/// Rules evaluate every 15 s or more, so a real re-fire is never closer than that.
const RESTART_SLACK_S: i64 = 5;

/// Remembers when each alert started, to see which keep starting anew.
#[derive(Debug, Clone, Default)]
pub struct FlapHistory {
    starts: FingerprintMap<Starts>,
    /// Something was learned or forgotten since [`FlapHistory::take_changed`].
    changed: bool,
}

/// The most starts remembered of one alert: enough to tell any sensible `flap_count`.
const MOST_STARTS: usize = 32;

/// One alert's remembered starts, as kept between runs (oldest first).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FlapRecord {
    pub fingerprint: String,
    pub starts: Vec<DateTime<Utc>>,
    /// When it was last seen firing.
    pub seen: DateTime<Utc>,
}

/// When an alert last started, and (only if it started more than once) the starts
/// before: most alerts start once, and then this allocates nothing.
#[derive(Debug, Clone)]
struct Starts {
    latest: DateTime<Utc>,
    earlier: Vec<DateTime<Utc>>,
    /// When it was last seen firing.
    seen: DateTime<Utc>,
}

impl FlapHistory {
    /// Records the alerts seen at `now`; returns how many times each alert that flaps
    /// (started `count` or more times within `within` up to its latest start) has
    /// started then. An alert is remembered for `within` after it was last seen.
    pub fn observe(
        &mut self,
        alerts: &[Alert],
        now: DateTime<Utc>,
        count: usize,
        within: Duration,
    ) -> HashMap<Fingerprint, usize> {
        // Room for the alerts not remembered yet, at most: once the history knows them,
        // this asks for nothing.
        self.starts
            .reserve(alerts.len().saturating_sub(self.starts.len()));
        for a in alerts {
            match self.starts.entry(a.fingerprint) {
                Entry::Vacant(v) => {
                    v.insert(Starts {
                        latest: a.starts_at,
                        earlier: Vec::new(),
                        seen: now,
                    });
                    self.changed = true;
                }
                Entry::Occupied(mut o) => {
                    o.get_mut().seen = now;
                    // Only a start well after the last one is the alert firing anew: an
                    // earlier or barely later one is the same firing, reported by a
                    // peer whose clock or rounding differs.
                    let s = o.get_mut();
                    if a.starts_at > s.latest + Duration::seconds(RESTART_SLACK_S) {
                        s.earlier.push(s.latest);
                        s.latest = a.starts_at;
                        if s.earlier.len() >= MOST_STARTS {
                            s.earlier.remove(0);
                        }
                        self.changed = true;
                    }
                }
            }
        }
        // Whether an alert flaps is a matter of how it kept starting before its
        // latest start, not of how long ago that was: one that flapped and then kept
        // firing for hours still flapped into whatever it overlaps.
        let horizon = now - within;
        let before = self.starts.len();
        self.starts.retain(|_, s| {
            let since = s.latest - within;
            s.earlier.retain(|t| *t >= since);
            s.seen >= horizon
        });
        self.changed |= self.starts.len() != before;
        self.starts
            .iter()
            .map(|(fp, s)| (fp, 1 + s.earlier.len()))
            .filter(|(_, n)| *n >= count)
            .map(|(fp, n)| (*fp, n))
            .collect()
    }

    /// True when something was learned or forgotten since the last call: worth
    /// keeping again.
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }

    /// What is remembered, to keep between runs; the alerts that started most
    /// recently first, at most `most` of them.
    pub fn records(&self, most: usize) -> Vec<FlapRecord> {
        let mut all: Vec<(&Fingerprint, &Starts)> = self.starts.iter().collect();
        all.sort_unstable_by(|a, b| b.1.latest.cmp(&a.1.latest).then(a.0.cmp(b.0)));
        all.truncate(most);
        all.into_iter()
            .map(|(fp, s)| FlapRecord {
                fingerprint: fp.to_string(),
                starts: s.earlier.iter().copied().chain([s.latest]).collect(),
                seen: s.seen,
            })
            .collect()
    }

    /// Remembers what was kept (records that cannot be read are skipped), along with
    /// what is known already.
    pub fn remember(&mut self, records: &[FlapRecord]) {
        for r in records {
            let (Ok(fp), Some(&latest)) = (r.fingerprint.parse::<Fingerprint>(), r.starts.last())
            else {
                continue;
            };
            let s = self.starts.entry(fp).or_insert(Starts {
                latest,
                earlier: Vec::new(),
                seen: r.seen,
            });
            let mut all: Vec<DateTime<Utc>> = s
                .earlier
                .iter()
                .copied()
                .chain([s.latest])
                .chain(r.starts.iter().copied())
                .collect();
            all.sort_unstable();
            // The same start seen by two runs (or two peers) is one start.
            all.dedup_by(|b, a| *b <= *a + Duration::seconds(RESTART_SLACK_S));
            let keep = all.len().saturating_sub(MOST_STARTS + 1);
            let latest = all.pop().unwrap_or(latest);
            *s = Starts {
                latest,
                earlier: all.split_off(keep),
                seen: s.seen.max(r.seen),
            };
        }
    }
}

/// Marks the alerts that must not page: in an open maintenance window, or flapping.
pub fn mark_quiet(
    alerts: &mut [Alert],
    windows: &[Maintenance],
    flapping: &HashMap<Fingerprint, usize>,
    now: DateTime<Utc>,
) {
    use rayon::prelude::*;
    // A storm's alerts are spread over tens of megabytes: every core takes a share.
    alerts.par_iter_mut().for_each(|a| {
        a.quiet = windows
            .iter()
            .find(|w| w.covers(a, now))
            .map(|w| Quiet::Maintenance(w.name.clone()))
            .or_else(|| flapping.get(&a.fingerprint).map(|&n| Quiet::Flapping(n)))
            .map(Box::new);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AlertState, Labels, Origin};
    use chrono::TimeZone;

    fn alert(name: &str, starts_min: i64) -> Alert {
        let l: Labels = [
            ("alertname".to_string(), name.to_string()),
            ("service".into(), "db".into()),
        ]
        .into();
        let at =
            Utc.with_ymd_and_hms(2026, 11, 21, 20, 0, 0).unwrap() + Duration::minutes(starts_min);
        Alert::new(
            l,
            Labels::new(),
            AlertState::Active,
            at,
            &Origin::new("s", "e"),
        )
    }

    #[test]
    fn an_alert_that_keeps_starting_anew_is_flapping() {
        let mut h = FlapHistory::default();
        let now = |m| Utc.with_ymd_and_hms(2026, 11, 21, 20, 0, 0).unwrap() + Duration::minutes(m);
        let within = Duration::hours(1);
        assert!(
            h.observe(&[alert("Throttled", 0)], now(1), 3, within)
                .is_empty()
        );
        // Seen again with the same start: the same firing, not a new one.
        assert!(
            h.observe(&[alert("Throttled", 0)], now(2), 3, within)
                .is_empty()
        );
        assert!(
            h.observe(&[alert("Throttled", 10)], now(11), 3, within)
                .is_empty()
        );
        let f = h.observe(
            &[alert("Throttled", 20), alert("Steady", 0)],
            now(21),
            3,
            within,
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f.values().next(), Some(&3));
        // Still firing an hour later: it flapped before this start, and still does.
        assert_eq!(
            h.observe(&[alert("Throttled", 20)], now(90), 3, within)
                .len(),
            1
        );
        // Resolved, then an hour on: forgotten.
        assert!(h.observe(&[], now(151), 3, within).is_empty());
        assert!(
            h.observe(&[alert("Throttled", 155)], now(156), 3, within)
                .is_empty()
        );
    }

    #[test]
    fn what_one_run_saw_the_next_one_knows() {
        let now = |m| Utc.with_ymd_and_hms(2026, 11, 21, 20, 0, 0).unwrap() + Duration::minutes(m);
        let within = Duration::hours(1);
        // Each run sees one firing, and keeps what it knows for the next.
        let mut kept = Vec::new();
        for (k, start) in [0, 10, 20].into_iter().enumerate() {
            let mut h = FlapHistory::default();
            h.remember(&kept);
            let flapping = h.observe(&[alert("Throttled", start)], now(start + 1), 3, within);
            assert_eq!(flapping.len(), usize::from(k == 2), "run {k}");
            assert!(h.take_changed());
            kept = h.records(100);
        }
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].starts.len(), 3);
        // Kept twice (two runs that saw the same firing), the starts count once.
        let mut h = FlapHistory::default();
        h.remember(&kept);
        h.remember(&kept);
        assert_eq!(h.records(100), kept);
    }

    #[test]
    fn one_firing_whose_reported_start_wobbles_is_not_flapping() {
        let mut h = FlapHistory::default();
        let within = Duration::hours(1);
        let now =
            |m: i64| Utc.with_ymd_and_hms(2026, 11, 21, 20, 0, 0).unwrap() + Duration::minutes(m);
        // Each poll reports the start a little earlier (a fast-forwarded clock) or a
        // second later (rounding): still the one firing.
        for (poll, shift_s) in [(1, 0), (2, -20), (3, 1), (4, -40), (5, -39), (6, -60)] {
            let mut a = alert("Slow", 0);
            a.starts_at += Duration::seconds(shift_s);
            assert!(
                h.observe(&[a], now(poll), 2, within).is_empty(),
                "poll {poll}"
            );
        }
    }

    #[test]
    fn maintenance_covers_matching_alerts_while_open() {
        let cfg = MaintenanceConfig {
            name: "db upgrade".into(),
            matchers: "service=db".into(),
            from: Utc.with_ymd_and_hms(2026, 11, 21, 19, 0, 0).unwrap(),
            until: Utc.with_ymd_and_hms(2026, 11, 21, 21, 0, 0).unwrap(),
        };
        let w = Maintenance::from_config(std::slice::from_ref(&cfg)).unwrap();
        let mut alerts = vec![alert("Down", 0)];
        mark_quiet(
            &mut alerts,
            &w,
            &HashMap::new(),
            Utc.with_ymd_and_hms(2026, 11, 21, 20, 30, 0).unwrap(),
        );
        assert_eq!(
            alerts[0].quiet.as_deref(),
            Some(&Quiet::Maintenance("db upgrade".into()))
        );
        assert!(!alerts[0].pages());
        mark_quiet(
            &mut alerts,
            &w,
            &HashMap::new(),
            Utc.with_ymd_and_hms(2026, 11, 21, 21, 30, 0).unwrap(),
        );
        assert_eq!(alerts[0].quiet, None);
        let bad = MaintenanceConfig {
            until: cfg.from,
            ..cfg
        };
        assert!(
            Maintenance::from_config(&[bad])
                .unwrap_err()
                .to_string()
                .contains("until")
        );
    }
}
