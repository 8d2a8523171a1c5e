//! Triage: pure functions that turn what the sources reported into the board.

mod dedup;
mod group;
pub mod search;

pub use dedup::dedup;
pub use group::{group_by_labels, sort_alerts, sort_groups};

use crate::config::TriageConfig;
use crate::model::{Alert, Board, Stats};
use crate::sources::SourceSet;

/// Dedups and groups the last good data of every source into the board.
pub fn build_board(sources: &SourceSet, config: &TriageConfig) -> Board {
    build_board_where(sources, config, |_| true)
}

/// Like [`build_board`], grouping only the alerts `keep` accepts. Stats still count
/// everything received (`raw`, `unique`); `groups` counts the groups built.
pub fn build_board_where(
    sources: &SourceSet,
    config: &TriageConfig,
    keep: impl Fn(&Alert) -> bool,
) -> Board {
    let raw: usize = sources.snapshots().map(|s| s.alerts.len()).sum();
    let mut unique = dedup(sources.snapshots().flat_map(|s| s.alerts.iter()));
    let unique_count = unique.len();
    unique.retain(|a| keep(a));
    let groups = group_by_labels(unique, &config.group_by, &config.service_label);
    Board {
        stats: Stats {
            raw,
            unique: unique_count,
            groups: groups.len(),
            matched: None,
        },
        groups,
        sources: sources.statuses(),
        silences: sources
            .snapshots()
            .flat_map(|s| s.silences.iter().cloned())
            .collect(),
    }
}
