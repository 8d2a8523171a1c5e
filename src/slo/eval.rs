//! Measuring SLOs: error ratios over each burn window and over the SLO window, through
//! whatever answers PromQL-shaped questions (a Prometheus, the demo world), turned into
//! the status `clops slo` prints and the console shows.
//!
//! The I/O stays behind [`Measurements`]; what comes back goes through the pure math of
//! [`super::burn`]. A failed measurement never erases what was known: the last good
//! values are kept, marked stale with the reason.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use futures_util::StreamExt;
use futures_util::future::join_all;

use crate::model::Health;
use crate::model::fetch::{BoxFuture, SourceError};
use crate::redact;
use crate::text::clean_line;

use super::burn::{self, BurnRates, Objective, State, Window};
use super::spec::SloDef;

/// Values over time, oldest first.
pub type Points = Vec<(DateTime<Utc>, f64)>;

/// Answers "what was this SLO's error ratio over `window`?".
pub trait Measurements: Send + Sync {
    /// The error ratio over the `window` before `at`; None when there is no data (no
    /// traffic, a window no rule records).
    fn error_ratio<'a>(
        &'a self,
        slo: &'a SloDef,
        window: Duration,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<Option<f64>, SourceError>>;

    /// The error ratio over `window`, every `step` from `start` to `end`.
    fn error_ratio_range<'a>(
        &'a self,
        slo: &'a SloDef,
        window: Duration,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        step: Duration,
    ) -> BoxFuture<'a, Result<Points, SourceError>>;
}

/// Burn rate over time, for the console's charts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BurnHistory {
    /// The last 24 hours: the burn rate of each 5 minutes.
    pub day: Vec<(DateTime<Utc>, f64)>,
    /// The last 7 days: the burn rate of each hour.
    pub week: Vec<(DateTime<Utc>, f64)>,
}

/// One chart: how far back, and how long each point's window (and step) is. Each point
/// measures the step before it, so the chart misses nothing and counts nothing twice.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub back: Duration,
    pub step: Duration,
}

/// The 24h chart: 288 points.
pub const DAY: Span = Span {
    back: Duration::hours(24),
    step: Duration::minutes(5),
};

/// The 7d chart: 168 points.
pub const WEEK: Span = Span {
    back: Duration::days(7),
    step: Duration::hours(1),
};

/// What is known about one SLO.
#[derive(Debug, Clone, PartialEq)]
pub struct SloStatus {
    pub name: String,
    pub service: String,
    pub source: String,
    pub objective: Objective,
    pub labels: std::collections::BTreeMap<String, String>,
    pub burn_rates: BurnRates,
    /// The error ratio over the whole SLO window.
    pub error_ratio: Option<f64>,
    /// Fraction of the window's error budget left; negative when overspent.
    pub budget_remaining: Option<f64>,
    pub state: State,
    /// Windows the SLO's alerts need that nothing records (`2d`): its state cannot
    /// say those alerts are quiet.
    pub unknown_windows: Vec<String>,
    /// How long the remaining budget lasts at the 1h burn rate; zero when it is spent;
    /// None when it is not spent faster than its pace (1h burn at most 1) or nothing is
    /// known.
    pub time_to_exhaustion: Option<Duration>,
    /// Present when asked for (the console's charts).
    pub history: Option<BurnHistory>,
    /// Why the charts could not be read the last time they were asked for; the
    /// history shown, if any, is from before.
    pub history_error: Option<String>,
    /// When the values were measured; None when never.
    pub measured_at: Option<DateTime<Utc>>,
    /// Why the last evaluation failed; the values, if any, are from `measured_at`.
    pub error: Option<String>,
}

impl SloStatus {
    /// Nothing measured yet.
    pub fn unmeasured(def: &SloDef) -> SloStatus {
        SloStatus {
            name: def.name.clone(),
            service: def.service.clone(),
            source: def.source.clone(),
            objective: def.objective,
            labels: def.labels.clone(),
            burn_rates: BurnRates::default(),
            error_ratio: None,
            budget_remaining: None,
            state: State::Ok,
            unknown_windows: Vec::new(),
            time_to_exhaustion: None,
            history: None,
            history_error: None,
            measured_at: None,
            error: None,
        }
    }

    /// Ok when fresh, stale when the last evaluation failed but earlier values are
    /// kept, down when nothing was ever measured.
    pub fn health(&self) -> Health {
        match (&self.error, self.measured_at) {
            (None, Some(_)) => Health::Ok,
            (Some(_), Some(_)) => Health::Stale,
            (Some(_), None) => Health::Down,
            (None, None) => Health::Waiting,
        }
    }

    /// The remaining budget as time of total outage.
    pub fn budget_remaining_time(&self) -> Option<Duration> {
        self.budget_remaining
            .and_then(|r| burn::budget_remaining_time(r, &self.objective))
    }
}

/// What to measure beyond the current burn.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Also the 24h and 7d burn history (two range queries per SLO).
    pub history: bool,
    /// How many SLOs are measured at once.
    pub concurrency: usize,
}

/// The measurements of every source, by source name.
pub type Backends = HashMap<String, Arc<dyn Measurements>>;

/// Measures every SLO at `at`. An SLO whose measurement fails keeps its values from
/// `previous` (matched by name), marked stale with the reason; an SLO without history
/// this time keeps its previous history.
pub async fn evaluate(
    slos: &[SloDef],
    backends: &Backends,
    at: DateTime<Utc>,
    previous: &[SloStatus],
    options: Options,
) -> Vec<SloStatus> {
    let concurrency = options.concurrency.max(1);
    // The futures are made up front so that no closure is part of the stream's type:
    // that keeps it Send, and the console can run this in a spawned task.
    let rounds: Vec<_> = slos
        .iter()
        .map(|def| evaluate_one(def, backends, at, previous, options))
        .collect();
    futures_util::stream::iter(rounds)
        .buffered(concurrency)
        .collect()
        .await
}

/// One SLO: measured now, or what was known before, marked stale with the reason.
async fn evaluate_one(
    def: &SloDef,
    backends: &Backends,
    at: DateTime<Utc>,
    previous: &[SloStatus],
    options: Options,
) -> SloStatus {
    let before = previous.iter().find(|p| p.name == def.name);
    let result = match backends.get(&def.source) {
        Some(m) => measure(def, m.as_ref(), at, options).await,
        None => Err(SourceError::Other(format!(
            "source {} is not a configured Prometheus source",
            def.source
        ))),
    };
    match result {
        Ok(mut status) => {
            if status.history.is_none() {
                status.history = before.and_then(|b| b.history.clone());
            }
            status
        }
        Err(e) => {
            let mut kept = before
                .cloned()
                .unwrap_or_else(|| SloStatus::unmeasured(def));
            // A Prometheus that echoes the token it refused: scrubbed for the SLO
            // view and `clops slo` alike.
            kept.error = Some(redact::scrubbed(&clean_line(&e.to_string())));
            kept
        }
    }
}

/// Measures one SLO now: every burn window and the SLO window at once.
async fn measure(
    def: &SloDef,
    m: &dyn Measurements,
    at: DateTime<Utc>,
    options: Options,
) -> Result<SloStatus, SourceError> {
    let objective = def.objective;
    // The fixed windows, the SLO window, then any other its tool's alerts use.
    let mut windows: Vec<Duration> = Window::ALL
        .iter()
        .map(|w| w.duration())
        .chain([objective.window()])
        .collect();
    for w in def.alerting.iter().flatten() {
        for d in [w.long, w.short] {
            if !windows.contains(&d) {
                windows.push(d);
            }
        }
    }
    let ratios = join_all(windows.iter().map(|w| m.error_ratio(def, *w, at))).await;
    let mut burn_rates = BurnRates::default();
    let mut window_ratio = None;
    let mut burns: Vec<(Duration, Option<f64>)> = Vec::with_capacity(windows.len());
    for (i, ratio) in ratios.into_iter().enumerate() {
        // Clamped to 0..=1: misaligned counters can put errors above the total.
        let ratio = ratio?.and_then(|r| burn::error_ratio(r, 1.0));
        let burn = ratio
            .map(|r| burn::burn_rate(r, &objective))
            .filter(|b| b.is_finite() && *b >= 0.0);
        burns.push((windows[i], burn));
        match Window::ALL.get(i) {
            Some(w) => {
                if let Some(r) = ratio {
                    burn_rates.set(*w, burn::burn_rate(r, &objective));
                }
            }
            None if i == Window::ALL.len() => window_ratio = ratio,
            None => {}
        }
    }
    let (state, unknown_windows) = match &def.alerting {
        Some(alerts) => burn::state_of(alerts, &|d| {
            burns.iter().find(|(w, _)| *w == d).and_then(|(_, b)| *b)
        }),
        None => (burn::state(&burn_rates, &objective), Vec::new()),
    };
    // The charts are extra: when their range queries fail, the burn rates just
    // measured still stand, and the caller keeps the charts it had.
    let (history, history_error) = if options.history {
        let (day, week) = tokio::join!(burn_series(def, m, at, DAY), burn_series(def, m, at, WEEK));
        match (day, week) {
            (Ok(day), Ok(week)) => (Some(BurnHistory { day, week }), None),
            (Err(e), _) | (_, Err(e)) => {
                (None, Some(redact::scrubbed(&clean_line(&e.to_string()))))
            }
        }
    } else {
        (None, None)
    };
    let budget_remaining = window_ratio.map(|r| burn::budget_remaining(r, &objective));
    let time_to_exhaustion = budget_remaining.and_then(|remaining| {
        if remaining <= 0.0 {
            return Some(Duration::zero());
        }
        // At or below the budget's pace a rolling window never runs out: old errors
        // leave it as fast as new ones come.
        let current = burn_rates.get(Window::H1).filter(|b| *b > 1.0)?;
        burn::time_to_exhaustion(remaining, current, &objective)
    });
    Ok(SloStatus {
        burn_rates,
        error_ratio: window_ratio,
        budget_remaining,
        state,
        unknown_windows: unknown_windows
            .iter()
            .map(|d| crate::text::time::Style::Prom.format(*d))
            .collect(),
        time_to_exhaustion,
        history,
        history_error,
        measured_at: Some(at),
        error: None,
        ..SloStatus::unmeasured(def)
    })
}

async fn burn_series(
    def: &SloDef,
    m: &dyn Measurements,
    at: DateTime<Utc>,
    span: Span,
) -> Result<Vec<(DateTime<Utc>, f64)>, SourceError> {
    // Points on whole steps, so successive evaluations line up.
    let step_ms = span.step.num_milliseconds().max(1);
    let end =
        DateTime::from_timestamp_millis(at.timestamp_millis() / step_ms * step_ms).unwrap_or(at);
    let start = end - span.back + span.step;
    let points = m
        .error_ratio_range(def, span.step, start, end, span.step)
        .await?;
    Ok(points
        .into_iter()
        .filter_map(|(t, r)| {
            let burn = burn::burn_rate(burn::error_ratio(r, 1.0)?, &def.objective);
            burn.is_finite().then_some((t, burn))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slo::spec::Indicator;

    /// 0.5% errors over every window; range queries refused.
    struct NoRanges;

    impl Measurements for NoRanges {
        fn error_ratio<'a>(
            &'a self,
            _: &'a SloDef,
            _: Duration,
            _: DateTime<Utc>,
        ) -> BoxFuture<'a, Result<Option<f64>, SourceError>> {
            Box::pin(async { Ok(Some(0.005)) })
        }

        fn error_ratio_range<'a>(
            &'a self,
            _: &'a SloDef,
            _: Duration,
            _: DateTime<Utc>,
            _: DateTime<Utc>,
            _: Duration,
        ) -> BoxFuture<'a, Result<Points, SourceError>> {
            Box::pin(async {
                Err(SourceError::Other(
                    "query processing would load too many samples".into(),
                ))
            })
        }
    }

    #[tokio::test]
    async fn failing_charts_leave_fresh_burn_rates_and_the_charts_from_before() {
        let slo = SloDef {
            name: "checkout".into(),
            service: "checkout".into(),
            objective: Objective::new(99.0, Duration::days(30)).unwrap(),
            source: "prom".into(),
            indicator: Indicator::Ratio("r[{{window}}]".into()),
            labels: Default::default(),
            origin: "test".into(),
            alerting: None,
        };
        let backends: Backends = HashMap::from([(
            "prom".to_string(),
            Arc::new(NoRanges) as Arc<dyn Measurements>,
        )]);
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let mut before = SloStatus::unmeasured(&slo);
        let charts = BurnHistory {
            day: vec![(at, 1.0)],
            week: vec![(at, 1.0)],
        };
        before.history = Some(charts.clone());
        let options = Options {
            history: true,
            concurrency: 1,
        };
        let now = evaluate(&[slo], &backends, at, &[before], options).await;
        let s = &now[0];
        assert_eq!(s.health(), Health::Ok);
        assert_eq!(s.measured_at, Some(at));
        // 0.005 of a 1% budget: half its pace; half the month's budget is left.
        assert!((s.burn_rates.get(Window::M5).unwrap() - 0.5).abs() < 1e-9);
        assert!((s.budget_remaining.unwrap() - 0.5).abs() < 1e-9);
        assert_eq!(s.time_to_exhaustion, None, "half the pace never runs out");
        assert_eq!(s.history.as_ref(), Some(&charts));
        assert!(
            s.history_error
                .as_deref()
                .unwrap()
                .contains("too many samples")
        );
    }
}
