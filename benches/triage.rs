//! Dedup + grouping of a large storm (budget: ≤ 100 ms at 100k, linear growth).

use clops::config::TriageConfig;
use clops::triage::build_board;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

#[path = "support.rs"]
mod support;

// The same allocator as the binary, so the numbers are the console's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn dedup_and_group(c: &mut Criterion) {
    let config = TriageConfig::default();
    let mut group = c.benchmark_group("dedup+group");
    group.sample_size(10);
    for n in [10_000usize, 100_000] {
        let set = support::loaded(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &set, |b, set| {
            b.iter(|| build_board(set, &config));
        });
    }
    group.finish();
}

criterion_group!(benches, dedup_and_group);
criterion_main!(benches);
