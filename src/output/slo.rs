//! `clops slo -o json`.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::alerts::SourceJson;
use super::{ListOf, Stamp};
use crate::model::SourceStatus;
use crate::slo::SloStatus;
use crate::slo::burn::{BurnRates, State};
use crate::text::time::Style;

/// `clops slo -o json`: `generated_at` and `slos` exactly as DESIGN.md promises, plus
/// the sources asked and, per SLO, what else is known.
#[derive(Serialize)]
pub struct SloJson<'a> {
    generated_at: Stamp,
    sources: ListOf<'a, SourceStatus, SourceJson<'a>>,
    slos: ListOf<'a, SloStatus, SloEntry<'a>>,
}

impl<'a> SloJson<'a> {
    /// The SLOs measured and the sources asked, as generated at `generated_at`.
    pub fn new(
        slos: &'a [SloStatus],
        sources: &'a [SourceStatus],
        generated_at: DateTime<Utc>,
    ) -> SloJson<'a> {
        SloJson {
            generated_at: Stamp(generated_at),
            sources: ListOf(sources, SourceJson::without_rules),
            slos: ListOf(slos, SloEntry::new),
        }
    }
}

#[derive(Serialize)]
struct SloEntry<'a> {
    name: &'a str,
    service: &'a str,
    objective: f64,
    window: String,
    burn_rates: &'a BurnRates,
    budget_remaining: Option<f64>,
    state: State,
    /// Windows the SLO's alerts need that nothing records; only when there are some.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    unknown_windows: &'a [String],
    source: &'a str,
    labels: &'a std::collections::BTreeMap<String, String>,
    error_ratio: Option<f64>,
    budget_remaining_seconds: Option<f64>,
    time_to_exhaustion_seconds: Option<f64>,
    status: &'static str,
    error: Option<&'a str>,
    measured_at: Option<Stamp>,
    /// Only when the history was read (the console's charts).
    #[serde(skip_serializing_if = "Option::is_none")]
    burn_history: Option<BurnHistoryJson<'a>>,
}

/// Seconds, to the millisecond.
fn seconds(d: Option<chrono::Duration>) -> Option<f64> {
    d.map(|d| d.num_milliseconds() as f64 / 1000.0)
}

impl<'a> SloEntry<'a> {
    fn new(s: &'a SloStatus) -> SloEntry<'a> {
        SloEntry {
            name: &s.name,
            service: &s.service,
            objective: s.objective.target(),
            window: Style::Prom.format(s.objective.window()),
            burn_rates: &s.burn_rates,
            budget_remaining: s.budget_remaining,
            state: s.state,
            unknown_windows: &s.unknown_windows,
            source: &s.source,
            labels: &s.labels,
            error_ratio: s.error_ratio,
            budget_remaining_seconds: seconds(s.budget_remaining_time()),
            time_to_exhaustion_seconds: seconds(s.time_to_exhaustion),
            status: s.health().as_str(),
            error: s.error.as_deref(),
            measured_at: s.measured_at.map(Stamp),
            burn_history: s.history.as_ref().map(|h| BurnHistoryJson {
                day: ListOf(&h.day, point),
                week: ListOf(&h.week, point),
            }),
        }
    }
}

/// Burn rate charts: `[moment, burn]` pairs, oldest first.
#[derive(Serialize)]
struct BurnHistoryJson<'a> {
    #[serde(rename = "24h")]
    day: ListOf<'a, (DateTime<Utc>, f64), (Stamp, f64)>,
    #[serde(rename = "7d")]
    week: ListOf<'a, (DateTime<Utc>, f64), (Stamp, f64)>,
}

fn point(p: &(DateTime<Utc>, f64)) -> (Stamp, f64) {
    (Stamp(p.0), p.1)
}
