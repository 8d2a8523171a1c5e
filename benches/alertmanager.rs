//! Fetch + merge 10k alerts from a real Alertmanager HA pair, against
//! `amtool alert query -o json` on one peer, in the same run.
//! Needs the Debian packages prometheus-alertmanager (amtool comes with it).

use std::sync::Arc;
use std::time::Duration;

use clops::config::TriageConfig;
use clops::sources::alertmanager::AlertmanagerSource;
use clops::sources::http::{Endpoint, HttpClient, HttpSettings};
use clops::sources::{Source, SourceSet, SourceUpdate};
use clops::triage::build_board;
use criterion::{Criterion, criterion_group, criterion_main};

#[path = "../tests/common/servers.rs"]
mod servers;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ALERTS: usize = 10_000;

fn ha_pair(c: &mut Criterion) {
    servers::require_servers();
    let (a, b) = servers::Alertmanager::pair();
    let alerts = servers::synthetic_alerts(ALERTS, "prod-eu");
    a.post_alerts(&alerts);
    b.post_alerts(&alerts);
    servers::eventually("both peers hold every alert", || {
        [&a, &b]
            .iter()
            .all(|am| am.alerts().as_array().map(Vec::len) == Some(ALERTS))
    });

    let client = HttpClient::new(&HttpSettings {
        timeout: Duration::from_secs(30),
        ..HttpSettings::default()
    })
    .unwrap();
    let peers = vec![
        Endpoint::parse(&a.url).unwrap(),
        Endpoint::parse(&b.url).unwrap(),
    ];
    // A new source for each fetch: a source remembers its last replies and would not
    // parse the same ones again (measured apart, below).
    let fresh = || AlertmanagerSource::new("prod-eu", client.clone(), peers.clone());
    let source = Arc::new(fresh());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let config = TriageConfig::default();

    let mut group = c.benchmark_group(format!("{}k alerts", ALERTS / 1000));
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("clops: fetch both peers + dedup + group", |bench| {
        bench.iter(|| {
            let snapshot = rt.block_on(fresh().fetch()).unwrap();
            let mut set = SourceSet::new([("prod-eu", "alertmanager")]);
            set.apply(SourceUpdate {
                source: "prod-eu".into(),
                at: snapshot.taken_at,
                result: Ok(snapshot),
            });
            let board = build_board(set.latest(), &config);
            assert_eq!(board.stats.unique, ALERTS);
            board
        })
    });
    rt.block_on(source.fetch()).unwrap();
    group.bench_function("clops: poll both peers, replies unchanged", |bench| {
        let mut set = SourceSet::new([("prod-eu", "alertmanager")]);
        bench.iter(|| {
            let snapshot = rt.block_on(source.fetch()).unwrap();
            set.apply(SourceUpdate {
                source: "prod-eu".into(),
                at: snapshot.taken_at,
                result: Ok(snapshot),
            })
        })
    });
    group.bench_function("amtool alert query -o json (one peer)", |bench| {
        bench.iter(|| {
            let out = a.amtool(&["alert", "query", "-o", "json"]);
            assert!(out.status.success() && out.stdout.len() > ALERTS * 100);
            out.stdout.len()
        })
    });
    group.finish();
}

criterion_group!(benches, ha_pair);
criterion_main!(benches);
