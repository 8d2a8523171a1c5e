//! One-shot output: fetch every source once, triage, and print a table (the JSON
//! shapes DESIGN.md promises to scripts are in [`crate::output`]).

use chrono::{DateTime, Utc};
use futures_util::future::join_all;

use crate::model::{Alert, Board, Health, SourceStatus};
use crate::sources::poll::fetch_once;
use crate::sources::registry::Configured;
use crate::sources::{SourceSet, SourceUpdate};
use crate::text::time::Style;
use crate::text::{fit, pad};

/// Polls every source once, concurrently, each within its own timeout.
pub async fn fetch_all(sources: &[Configured]) -> SourceSet {
    let mut set = SourceSet::new(sources.iter().map(|c| (c.source.name(), c.source.kind())));
    let results = join_all(sources.iter().map(|c| async move {
        let result = fetch_once(c.source.as_ref(), c.poll.deadline()).await;
        match &result {
            Ok(s) => tracing::debug!(source = c.source.name(), alerts = s.alerts.len(), "fetched"),
            Err(e) => tracing::warn!(source = c.source.name(), error = %e, "fetch failed"),
        }
        SourceUpdate {
            source: c.source.name().to_string(),
            at: Utc::now(),
            result,
        }
    }))
    .await;
    for r in results {
        set.apply(r);
    }
    set
}

/// `clops alerts` as a table: a line per group, its alerts indented beneath.
pub fn alerts_table(board: &Board, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    let title_w = 56;
    out.push_str(&format!(
        "{}  {}  {:>6}  {:>6}  {}\n",
        pad("SEV", 4),
        pad("GROUP / ALERT", title_w),
        "ALERTS",
        "AGE",
        "SOURCES"
    ));
    for g in &board.groups {
        let first = g
            .first_started
            .map(|t| Style::Age.format(now - t))
            .unwrap_or_default();
        // A group of one is said in one line: the alert's name and summary.
        let title = match g.alerts.as_slice() {
            [only] => format!("{} {}", only.name(), summary_unless_name(only)),
            _ => g.title.clone(),
        };
        out.push_str(&format!(
            "{}  {}  {:>6}  {:>6}  {}\n",
            g.severity.tag(),
            pad(title.trim_end(), title_w),
            g.alerts.len(),
            first,
            g.sources.join(",")
        ));
        if let Some(suspect) = crate::triage::correlate::headline(g) {
            out.push_str(&format!("      suspect: {suspect}\n"));
        }
        if g.alerts.len() == 1 {
            continue;
        }
        for a in &g.alerts {
            let text = format!("  {} {}", a.name(), summary_unless_name(a));
            out.push_str(&format!(
                "{}  {}  {:>6}  {:>6}  {}\n",
                a.severity().tag(),
                pad(&fit(text.trim_end(), title_w), title_w),
                "",
                Style::Age.format(now - a.starts_at),
                a.sources.join(",")
            ));
        }
    }
    out.push_str(&format!("\n{}\n", board.stats.describe()));
    out
}

fn summary_unless_name(a: &Alert) -> String {
    let summary = a.headline();
    if summary == a.name() {
        String::new()
    } else {
        format!("· {summary}")
    }
}

/// Sources that failed, for the stderr lines of a partial answer.
pub fn failed_sources(statuses: &[SourceStatus]) -> Vec<&SourceStatus> {
    statuses
        .iter()
        .filter(|s| matches!(s.status, Health::Down | Health::Stale))
        .collect()
}
