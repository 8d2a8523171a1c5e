//! Dedup + grouping of a large storm (budget: ≤ 100 ms at 100k, linear growth).

use chrono::{TimeZone, Utc};
use clops::config::TriageConfig;
use clops::sources::{Snapshot, SourceSet, SourceUpdate};
use clops::triage::build_board;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

#[path = "support.rs"]
mod support;

// The same allocator as the binary, so the numbers are the console's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn dedup_and_group(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 20, 0, 0).unwrap();
    let config = TriageConfig::default();
    let mut group = c.benchmark_group("dedup+group");
    group.sample_size(10);
    for n in [10_000usize, 100_000] {
        let mut set = SourceSet::new([("storm", "alertmanager")]);
        set.apply(SourceUpdate {
            source: "storm".into(),
            at: now,
            result: Ok(Snapshot {
                taken_at: now,
                alerts: support::storm(n),
                ..Snapshot::default()
            }),
        });
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &set, |b, set| {
            b.iter(|| build_board(set, &config));
        });
    }
    group.finish();
}

criterion_group!(benches, dedup_and_group);
criterion_main!(benches);
