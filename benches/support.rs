//! Shared by the benches: a large synthetic alert load shaped like a real storm.
#![allow(dead_code)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use clops::model::{Alert, AlertState, Labels, Origin};
use clops::sources::{Snapshot, SourceSet, SourceUpdate};

/// The moment the benches pretend it is.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 20, 0, 0).unwrap()
}

/// A source set whose one source ("storm") reported [`storm`]`(n)`.
pub fn loaded(n: usize) -> SourceSet {
    let mut set = SourceSet::new([("storm", "alertmanager")]);
    set.apply(SourceUpdate {
        source: "storm".into(),
        at: now(),
        result: Ok(Snapshot {
            taken_at: now(),
            alerts: storm(n).into(),
            ..Snapshot::default()
        }),
    });
    set
}

/// `n` distinct alerts across many clusters, services and pods, each reported by two
/// HA peers (so `2n` raw alerts), as a big fleet in a bad hour produces them.
pub fn storm(n: usize) -> Vec<Alert> {
    let names = [
        "HighErrorRate",
        "HighLatency",
        "KubePodCrashLooping",
        "KubePodNotReady",
        "TargetDown",
        "SLOErrorBudgetBurn",
        "DiskSpaceLow",
        "CPUThrottlingHigh",
    ];
    let severities = ["critical", "warning", "warning", "info"];
    let start = Utc.with_ymd_and_hms(2026, 11, 21, 19, 0, 0).unwrap();
    let origins: Vec<[Origin; 2]> = (0..40)
        .map(|i| {
            let source = format!("am-{i}");
            [Origin::new(&source, "am-0"), Origin::new(&source, "am-1")]
        })
        .collect();
    let mut out = Vec::with_capacity(2 * n);
    for i in 0..n {
        let mut labels = Labels::new();
        let cluster = format!("prod-{}", i % 40);
        let service = format!("svc-{}", (i / 7) % 2000);
        labels.insert("alertname".into(), names[i % names.len()].into());
        labels.insert("severity".into(), severities[i % severities.len()].into());
        labels.insert("cluster".into(), cluster.clone());
        labels.insert("service".into(), service.clone());
        labels.insert("namespace".into(), format!("team-{}", i % 90));
        labels.insert("pod".into(), format!("{service}-{:x}", i));
        labels.insert(
            "node".into(),
            format!("ip-10-{}-{}-{}", i % 40, i % 250, i % 7),
        );
        let mut annotations = Labels::new();
        annotations.insert(
            "summary".into(),
            format!("{service} in {cluster}: something is wrong with pod {i}"),
        );
        annotations.insert(
            "runbook_url".into(),
            "https://runbooks.example.com/x.md".into(),
        );
        let at = start + Duration::seconds((i % 3600) as i64);
        // As an Alertmanager source hands them over: the second peer's copy shares the
        // first one's labels and annotations.
        let [first, second] = &origins[i % 40];
        let alert = Alert::new(labels, annotations, AlertState::Active, at, first);
        let mut copy = alert.clone();
        copy.seen_at(second);
        out.push(alert);
        out.push(copy);
    }
    out
}
