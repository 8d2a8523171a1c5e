//! Dedup + grouping of big storms (budget: ≤ 100 ms at 100k alerts, linear growth).
//! The storms are made by the generator the quality tests use, scaled out to many
//! clusters, each alert reported by two HA peers.

use std::time::Duration;

use chrono::TimeZone;
use clops::sources::{Snapshot, SourceSet, SourceUpdate};
use clops::triage::Triage;
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

#[path = "../tests/common/storm_gen.rs"]
mod storm_gen;
#[path = "../tests/common/storms.rs"]
mod storms;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// About `n` distinct alerts, as 2n raw copies from an HA pair, with the catalog.
fn loaded(n: usize) -> SourceSet {
    // One generated cluster holds about 27 alerts; scale by clusters.
    let storm = storm_gen::storm(7, (n / 27).max(1), 4);
    let second = clops::model::Origin::new("storm", "am-1");
    let mut alerts = Vec::with_capacity(storm.alerts.len() * 2);
    for a in storm.alerts {
        let mut copy = a.clone();
        copy.seen_at(&second);
        alerts.push(a);
        alerts.push(copy);
    }
    let now = chrono::Utc
        .with_ymd_and_hms(2026, 11, 21, 20, 0, 0)
        .unwrap();
    let mut set = SourceSet::new([("storm", "alertmanager"), ("catalog", "catalog")]);
    set.apply(SourceUpdate {
        source: "storm".into(),
        at: now,
        result: Ok(Snapshot {
            taken_at: now,
            alerts: alerts.into(),
            ..Snapshot::default()
        }),
    });
    set.apply(SourceUpdate {
        source: "catalog".into(),
        at: now,
        result: Ok(Snapshot {
            taken_at: now,
            graph: Some(storm.graph),
            ..Snapshot::default()
        }),
    });
    set
}

fn dedup_and_group(c: &mut Criterion) {
    let now = chrono::Utc
        .with_ymd_and_hms(2026, 11, 21, 20, 0, 0)
        .unwrap();
    let mut group = c.benchmark_group("dedup+group");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for n in [10_000usize, 100_000, 1_000_000] {
        let set = loaded(n);
        let unique = Triage::default().board(set.latest(), now).stats.unique;
        group.throughput(Throughput::Elements(unique as u64));
        group.bench_with_input(BenchmarkId::from_parameter(unique), &set, |b, set| {
            // The console drops the board a new one replaces on another thread, so
            // dropping is not part of the time a responder waits for.
            b.iter_batched(
                || (),
                |()| Triage::default().board(set.latest(), now),
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, dedup_and_group);
criterion_main!(benches);
