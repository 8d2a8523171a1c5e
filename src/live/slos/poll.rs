//! The task a console runs for SLOs: measure every SLO on an interval, the burn history
//! for the charts less often, and report each round. What it sends always carries the
//! last good values of an SLO whose measurement failed, marked stale, so a slow or
//! failing Prometheus makes SLOs stale, never the console slow.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{Notify, mpsc};
use tokio::task::JoinHandle;

use crate::slo::eval::{Backends, Options, SloStatus, evaluate};
use crate::slo::spec::SloDef;

/// How often SLOs are measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SloPollSettings {
    /// Burn rates and budgets: eight instant queries per SLO.
    pub interval: Duration,
    /// The 24h and 7d charts: two range queries per SLO, which change slowly.
    pub history_every: Duration,
    /// How many SLOs are measured at once.
    pub concurrency: usize,
}

impl Default for SloPollSettings {
    fn default() -> Self {
        SloPollSettings {
            interval: Duration::from_secs(30),
            history_every: Duration::from_secs(300),
            concurrency: 8,
        }
    }
}

/// Starts measuring `slos` through `backends`; every round's statuses go to `updates`,
/// `refresh` asks for a round now. The task ends when the receiving side is gone.
pub fn spawn_slo_poller(
    slos: Vec<SloDef>,
    backends: Backends,
    settings: SloPollSettings,
    updates: mpsc::Sender<Vec<SloStatus>>,
    refresh: Arc<Notify>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut previous: Vec<SloStatus> = Vec::new();
        let mut history_at: Option<tokio::time::Instant> = None;
        loop {
            let history = history_at.is_none_or(|t| t.elapsed() >= settings.history_every);
            let options = Options {
                history,
                concurrency: settings.concurrency,
            };
            let statuses = evaluate(&slos, &backends, Utc::now(), &previous, options).await;
            if history {
                history_at = Some(tokio::time::Instant::now());
            }
            for s in statuses.iter().filter(|s| s.error.is_some()) {
                tracing::warn!(slo = %s.name, error = ?s.error, "SLO measurement failed");
            }
            previous.clone_from(&statuses);
            if updates.send(statuses).await.is_err() {
                return;
            }
            tokio::select! {
                _ = tokio::time::sleep(settings.interval) => {}
                _ = refresh.notified() => {}
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use chrono::{DateTime, Duration as ChronoDuration};

    use super::*;
    use crate::model::Health;
    use crate::slo::burn::{Objective, Window};
    use crate::slo::eval::{Measurements, Points};
    use crate::slo::spec::Indicator;
    use crate::sources::{BoxFuture, SourceError};

    /// Answers 0.2% errors everywhere until `fail_after` instant answers, then fails;
    /// counts the range queries.
    struct Counting {
        instant: AtomicUsize,
        ranges: AtomicUsize,
        fail_after: usize,
    }

    impl Measurements for Counting {
        fn error_ratio<'a>(
            &'a self,
            _: &'a SloDef,
            _: ChronoDuration,
            _: DateTime<Utc>,
        ) -> BoxFuture<'a, Result<Option<f64>, SourceError>> {
            let n = self.instant.fetch_add(1, Ordering::SeqCst);
            let answer = if n < self.fail_after {
                Ok(Some(0.002))
            } else {
                Err(SourceError::Other("prom: connection refused".into()))
            };
            Box::pin(async move { answer })
        }

        fn error_ratio_range<'a>(
            &'a self,
            _: &'a SloDef,
            _: ChronoDuration,
            start: DateTime<Utc>,
            _: DateTime<Utc>,
            _: ChronoDuration,
        ) -> BoxFuture<'a, Result<Points, SourceError>> {
            self.ranges.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move { Ok(vec![(start, 0.002)]) })
        }
    }

    fn slo() -> SloDef {
        SloDef {
            name: "checkout".into(),
            service: "checkout".into(),
            objective: Objective::new(99.9, ChronoDuration::days(30)).unwrap(),
            source: "prom".into(),
            indicator: Indicator::Ratio("r[{{window}}]".into()),
            labels: Default::default(),
            origin: "test".into(),
            alerting: None,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn rounds_keep_the_charts_and_the_last_values_when_measuring_fails() {
        // Eight instant queries a round: the first two rounds answer, the third fails.
        let counting = Arc::new(Counting {
            instant: AtomicUsize::new(0),
            ranges: AtomicUsize::new(0),
            fail_after: 16,
        });
        let backends: Backends = HashMap::from([(
            "prom".to_string(),
            counting.clone() as Arc<dyn Measurements>,
        )]);
        let settings = SloPollSettings {
            interval: Duration::from_secs(30),
            history_every: Duration::from_secs(300),
            concurrency: 1,
        };
        let (tx, mut rx) = mpsc::channel(1);
        let handle = spawn_slo_poller(vec![slo()], backends, settings, tx, Arc::new(Notify::new()));

        let first = rx.recv().await.unwrap().remove(0);
        assert_eq!(first.health(), Health::Ok);
        let hour = first.burn_rates.get(Window::H1).unwrap();
        assert!((hour - 2.0).abs() < 1e-9, "{hour}");
        assert_eq!(first.history.as_ref().unwrap().day.len(), 1);
        assert_eq!(counting.ranges.load(Ordering::SeqCst), 2, "day and week");

        // Thirty seconds on: burn rates again, the charts kept rather than asked for.
        let second = rx.recv().await.unwrap().remove(0);
        assert_eq!(second.history, first.history);
        assert_eq!(counting.ranges.load(Ordering::SeqCst), 2);

        let third = rx.recv().await.unwrap().remove(0);
        assert_eq!(third.health(), Health::Stale);
        assert_eq!(third.burn_rates, first.burn_rates);
        assert_eq!(third.measured_at, second.measured_at);
        assert!(third.error.unwrap().contains("connection refused"));

        drop(rx);
        handle.await.unwrap();
    }
}
