//! How the on-call period went, in numbers: incidents by severity, how many are still
//! open, and the mean times to acknowledge and to resolve.
//!
//! Times are measured from detection (the first attached alert's start), as
//! [`KeyMoments`](crate::model::incident::KeyMoments) defines them, so a slow
//! declaration counts against the response rather than being hidden by it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Duration, Utc};

use crate::model::incident::{Incident, Sev};
pub use crate::output::Summary;
use crate::text::time::{Style, Timestamp};

/// Sums up the incidents declared at or after `since`.
pub fn summarize(incidents: &[Incident], since: DateTime<Utc>) -> Summary {
    let counted: Vec<&Incident> = incidents
        .iter()
        .filter(|i| i.declared_at >= since)
        .collect();
    let mut by_severity: BTreeMap<Sev, usize> = Sev::ALL.iter().map(|s| (*s, 0)).collect();
    for i in &counted {
        *by_severity.entry(i.severity).or_default() += 1;
    }
    let open = counted.iter().filter(|i| i.is_open()).count();
    let to_resolve: Vec<Duration> = counted
        .iter()
        .filter_map(|i| i.moments.to_resolve())
        .collect();
    Summary {
        since,
        total: counted.len(),
        open,
        resolved: to_resolve.len(),
        by_severity,
        mtta: mean(counted.iter().map(|i| i.moments.to_acknowledge())),
        mttr: mean(to_resolve.into_iter()),
    }
}

/// The arithmetic mean, to the millisecond; None for no durations.
fn mean(durations: impl Iterator<Item = Duration>) -> Option<Duration> {
    let (sum, n) = durations.fold((0i128, 0i128), |(sum, n), d| {
        (sum + i128::from(d.num_milliseconds()), n + 1)
    });
    if n == 0 {
        return None;
    }
    i64::try_from(sum / n).ok().map(Duration::milliseconds)
}

/// The summary as a small table for the terminal.
pub fn table(s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Incidents declared since {}",
        Timestamp::UtcMinute.format(s.since)
    );
    let _ = writeln!(out, "{:<9} {:>6}", "SEVERITY", "COUNT");
    for (sev, n) in &s.by_severity {
        let _ = writeln!(out, "{:<9} {n:>6}", sev.as_str());
    }
    let _ = writeln!(out, "{:<9} {:>6}", "total", s.total);
    let _ = writeln!(out);
    let _ = writeln!(out, "{:<9} {:>6}", "open", s.open);
    let _ = writeln!(out, "{:<9} {:>6}", "resolved", s.resolved);
    let mean = |d: Option<Duration>| {
        d.map(|d| Style::Report.format(d))
            .unwrap_or_else(|| "—".into())
    };
    let _ = writeln!(
        out,
        "{:<9} {:>6}  mean time from detection to acknowledgement",
        "MTTA",
        mean(s.mtta)
    );
    let _ = writeln!(
        out,
        "{:<9} {:>6}  mean time from detection to resolution (resolved incidents)",
        "MTTR",
        mean(s.mttr)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::incident::{AttachedAlert, Change, Event, Status};
    use chrono::TimeZone;

    fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap()
    }

    fn october(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 10, 30, h, 0, 0).unwrap()
    }

    /// An incident whose first alert started at `detected`, declared at `declared`,
    /// and resolved at `resolved` if given.
    fn incident(
        sev: Sev,
        detected: DateTime<Utc>,
        declared: DateTime<Utc>,
        resolved: Option<DateTime<Utc>>,
    ) -> Incident {
        let ev = |seq, at, change| Event {
            seq,
            at,
            author: "alice@jump-1".into(),
            change,
        };
        let mut events = vec![ev(
            1,
            declared,
            Change::Declared {
                title: "Checkout errors".into(),
                severity: sev,
                commander: "alice@jump-1".into(),
                services: vec![],
                alerts: vec![AttachedAlert {
                    fingerprint: "f".into(),
                    starts_at: Some(detected),
                    ..AttachedAlert::default()
                }],
                group: None,
                started: None,
            },
        )];
        if let Some(r) = resolved {
            events.push(ev(
                2,
                r,
                Change::StatusChanged {
                    from: Status::Investigating,
                    to: Status::Resolved,
                },
            ));
        }
        Incident::from_events("INC-20261121-1", &events).unwrap()
    }

    #[test]
    fn means_are_taken_over_the_incidents_that_qualify() {
        let since = at(1, 0, 0);
        let incidents = [
            // acknowledged (declared) after 5m, resolved after 60m
            incident(Sev::Sev1, at(2, 10, 0), at(2, 10, 5), Some(at(2, 11, 0))),
            // after 10m, resolved after 30m
            incident(Sev::Sev2, at(3, 10, 0), at(3, 10, 10), Some(at(3, 10, 30))),
            // after 15m, still open
            incident(Sev::Sev2, at(4, 10, 0), at(4, 10, 15), None),
            // declared before `since`: not counted anywhere
            incident(Sev::Sev4, october(1), october(9), None),
        ];
        let s = summarize(&incidents, since);
        assert_eq!(s.total, 3);
        assert_eq!(s.open, 1);
        assert_eq!(s.resolved, 2);
        assert_eq!(
            s.by_severity,
            BTreeMap::from([
                (Sev::Sev1, 1),
                (Sev::Sev2, 2),
                (Sev::Sev3, 0),
                (Sev::Sev4, 0)
            ])
        );
        assert_eq!(s.mtta, Some(Duration::minutes(10)));
        assert_eq!(s.mttr, Some(Duration::minutes(45)));
    }

    #[test]
    fn without_resolved_incidents_there_is_no_mttr() {
        let s = summarize(
            &[incident(Sev::Sev3, at(2, 10, 0), at(2, 10, 1), None)],
            at(1, 0, 0),
        );
        assert_eq!(s.mtta, Some(Duration::minutes(1)));
        assert_eq!(s.mttr, None);
        assert_eq!(s.resolved, 0);
    }

    #[test]
    fn nothing_declared_means_all_zero_and_no_means() {
        let s = summarize(&[], at(1, 0, 0));
        assert_eq!(s.total, 0);
        assert_eq!(s.by_severity.len(), 4);
        assert!(s.by_severity.values().all(|n| *n == 0));
        assert_eq!((s.mtta, s.mttr), (None, None));
    }

    #[test]
    fn an_incident_declared_exactly_at_since_counts() {
        let s = summarize(
            &[incident(Sev::Sev2, at(1, 0, 0), at(1, 0, 0), None)],
            at(1, 0, 0),
        );
        assert_eq!(s.total, 1);
        assert_eq!(s.mtta, Some(Duration::zero()));
    }

    #[test]
    fn means_keep_seconds() {
        let since = at(1, 0, 0);
        let a = incident(Sev::Sev2, at(2, 10, 0), at(2, 10, 1), None);
        let b = incident(Sev::Sev2, at(3, 10, 0), at(3, 10, 2), None);
        // (60s + 120s) / 2
        assert_eq!(summarize(&[a, b], since).mtta, Some(Duration::seconds(90)));
    }

    #[test]
    fn json_gives_durations_in_seconds() {
        let s = summarize(
            &[incident(
                Sev::Sev1,
                at(2, 10, 0),
                at(2, 10, 5),
                Some(at(2, 11, 5)),
            )],
            at(1, 0, 0),
        );
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["since"], "2026-11-01T00:00:00Z");
        assert_eq!(v["mtta_s"], 300);
        assert_eq!(v["mttr_s"], 3900);
        assert_eq!(v["by_severity"]["sev1"], 1);
        assert_eq!(v["by_severity"]["sev4"], 0);
        let none = serde_json::to_value(summarize(&[], at(1, 0, 0))).unwrap();
        assert!(none["mttr_s"].is_null());
    }

    #[test]
    fn the_table_shows_counts_and_means() {
        let s = summarize(
            &[
                incident(Sev::Sev1, at(2, 10, 0), at(2, 10, 5), Some(at(2, 11, 5))),
                incident(Sev::Sev3, at(3, 10, 0), at(3, 10, 7), None),
            ],
            at(1, 0, 0),
        );
        let t = table(&s);
        let expected = "\
Incidents declared since 2026-11-01 00:00 UTC
SEVERITY   COUNT
sev1           1
sev2           0
sev3           1
sev4           0
total          2

open           1
resolved       1
MTTA          6m  mean time from detection to acknowledgement
MTTR       1h05m  mean time from detection to resolution (resolved incidents)
";
        assert_eq!(t, expected);
        let empty = table(&summarize(&[], at(1, 0, 0)));
        assert!(empty.contains("MTTR           —  "), "{empty}");
    }
}
