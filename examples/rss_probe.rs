//! How much memory the console holds with 100k alerts: the source's last snapshot (200k
//! raw alerts from an HA pair), the board built from it, and the rendered state.
//! `cargo run --release --example rss_probe [N]`

use chrono::{FixedOffset, TimeZone, Utc};
use clops::sources::{Snapshot, SourceSet, SourceUpdate};
use clops::tui::keymap::Keymap;
use clops::tui::{ColorDepth, Event, State, Theme, render, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "../benches/support.rs"]
mod support;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let before = rss_mib();
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 20, 0, 0).unwrap();
    let mut state = State::new(
        "clops",
        SourceSet::new([("storm", "alertmanager")]),
        clops::triage::Triage::default(),
        Keymap::default(),
        now,
        FixedOffset::east_opt(0).unwrap(),
        (160, 48),
    );
    let alerts = support::storm(n);
    eprintln!("snapshot made: {:.0} MiB", rss_mib());
    update(
        &mut state,
        Event::Source(SourceUpdate {
            source: "storm".into(),
            at: now,
            result: Ok(Snapshot {
                taken_at: now,
                alerts: std::sync::Arc::new(alerts),
                ..Snapshot::default()
            }),
        }),
    );
    let theme = Theme::builtin("default", ColorDepth::TrueColor);
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    terminal.draw(|f| render(&state, &theme, f)).unwrap();
    assert_eq!(state.board.alert_count(), n);
    println!(
        "{} groups; {n} alerts ({} raw): RSS {:.0} MiB (started at {before:.0} MiB)",
        state.board.groups.len(),
        state.board.stats.raw,
        rss_mib()
    );
}
