//! Time from exec of `clops demo` to its first frame on a real pty (budget: ≤ 50 ms).
//! The first frame is the moment the status bar has been written.

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "../tests/common/pty.rs"]
mod pty;

fn first_frame(c: &mut Criterion) {
    let home = tempfile::tempdir().unwrap();
    c.bench_function("clops demo: exec to first frame (80x24 pty)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let mut s = pty::Session::spawn(pty::clops_command(home.path(), &["demo"]), 80, 24);
                s.wait_for_bytes("the first frame", |raw| {
                    raw.windows(10).any(|w| w == b"clops demo")
                });
                total += start.elapsed();
                s.send(b"q");
                s.wait_exit();
            }
            total
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(10));
    targets = first_frame
}
criterion_main!(benches);
