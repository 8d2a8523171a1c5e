//! One task per source: poll on an interval with a timeout, back off with jitter while
//! it fails, and report every result. Slow sources make data stale, never the UI slow.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{Notify, mpsc};
use tokio::task::JoinHandle;

use super::{Snapshot, Source, SourceError, SourceUpdate};

/// How one source is polled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollSettings {
    pub interval: Duration,
    pub timeout: Duration,
    /// Longest wait between attempts while the source keeps failing.
    pub max_backoff: Duration,
}

impl PollSettings {
    /// How long a whole fetch may take: each request has `timeout`, and the requests of
    /// one fetch run side by side, so this only catches a source that ignores its own
    /// timeout. It is a little longer, so that the request's own error, which names
    /// the endpoint, is the one reported.
    pub fn deadline(&self) -> Duration {
        self.timeout + (self.timeout / 2).max(Duration::from_secs(1))
    }

    /// Poll every `interval`, giving each request `timeout`.
    pub fn new(interval: Duration, timeout: Duration) -> Self {
        PollSettings {
            interval,
            timeout,
            max_backoff: Duration::from_secs(300).max(interval),
        }
    }
}

/// Finds the source's credentials if it still has to, then fetches once, giving up
/// after the timeout.
pub async fn fetch_once(source: &dyn Source, timeout: Duration) -> Result<Snapshot, SourceError> {
    source.authenticate().await?;
    match tokio::time::timeout(timeout, source.fetch()).await {
        Ok(result) => result,
        Err(_) => Err(SourceError::Timeout(timeout)),
    }
}

/// Starts polling `source`; updates go to `updates`, `refresh` asks for a poll now.
/// The task ends when the receiving side is gone.
pub fn spawn_poller(
    source: Arc<dyn Source>,
    settings: PollSettings,
    updates: mpsc::Sender<SourceUpdate>,
    refresh: Arc<Notify>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut failures = 0u32;
        loop {
            let result = fetch_once(source.as_ref(), settings.deadline()).await;
            failures = if result.is_ok() { 0 } else { failures + 1 };
            // A backend that said how long to wait is not asked before then, not even
            // by a refresh.
            let not_before = result
                .as_ref()
                .err()
                .and_then(SourceError::retry_after)
                .map(|wait| tokio::time::Instant::now() + wait);
            if let Err(e) = &result {
                tracing::warn!(source = source.name(), error = %e, failures, "poll failed");
            }
            let update = SourceUpdate {
                source: source.name().to_string(),
                at: Utc::now(),
                result,
            };
            if updates.send(update).await.is_err() {
                return;
            }
            let wait = next_delay(settings, failures, jitter());
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = refresh.notified() => {}
            }
            if let Some(at) = not_before {
                tokio::time::sleep_until(at).await;
            }
        }
    })
}

/// Wait before the next attempt: the interval while healthy; after failures, the
/// interval doubled per further failure up to `max_backoff`; ±20% jitter either way so
/// many consoles do not hit a recovering backend in step. `jitter` is in 0..1.
pub fn next_delay(settings: PollSettings, failures: u32, jitter: f64) -> Duration {
    let base = if failures <= 1 {
        settings.interval
    } else {
        let factor = 2u32.saturating_pow(failures - 1);
        settings
            .interval
            .saturating_mul(factor)
            .min(settings.max_backoff)
    };
    base.mul_f64(0.8 + 0.4 * jitter.clamp(0.0, 1.0))
}

/// A number in 0..1 that differs from call to call; good enough to spread polls.
fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    f64::from(nanos % 1000) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> PollSettings {
        PollSettings::new(Duration::from_secs(10), Duration::from_secs(2))
    }

    #[test]
    fn healthy_sources_poll_on_the_interval_with_jitter() {
        assert_eq!(next_delay(settings(), 0, 0.5), Duration::from_secs(10));
        assert_eq!(next_delay(settings(), 0, 0.0), Duration::from_secs(8));
        assert_eq!(next_delay(settings(), 0, 1.0), Duration::from_secs(12));
    }

    #[test]
    fn failing_sources_back_off_exponentially_up_to_a_cap() {
        assert_eq!(next_delay(settings(), 1, 0.5), Duration::from_secs(10));
        assert_eq!(next_delay(settings(), 2, 0.5), Duration::from_secs(20));
        assert_eq!(next_delay(settings(), 3, 0.5), Duration::from_secs(40));
        assert_eq!(next_delay(settings(), 30, 0.5), Duration::from_secs(300));
    }

    struct Never;
    impl Source for Never {
        fn name(&self) -> &str {
            "never"
        }
        fn kind(&self) -> &str {
            "test"
        }
        fn fetch(&self) -> super::super::BoxFuture<'_, Result<Snapshot, SourceError>> {
            Box::pin(std::future::pending())
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_source_that_never_answers_times_out() {
        let r = fetch_once(&Never, Duration::from_secs(3)).await;
        assert_eq!(r, Err(SourceError::Timeout(Duration::from_secs(3))));
        assert_eq!(r.unwrap_err().to_string(), "timed out after 3s");
    }

    /// Rate limited on its first request, then answers; records when it was asked.
    struct Limited {
        asked: std::sync::Mutex<Vec<tokio::time::Instant>>,
    }
    impl Source for Limited {
        fn name(&self) -> &str {
            "limited"
        }
        fn kind(&self) -> &str {
            "test"
        }
        fn fetch(&self) -> super::super::BoxFuture<'_, Result<Snapshot, SourceError>> {
            let mut asked = self.asked.lock().unwrap();
            asked.push(tokio::time::Instant::now());
            let result = if asked.len() == 1 {
                Err(SourceError::RateLimited {
                    endpoint: "api".into(),
                    status: 429,
                    retry_after: Duration::from_secs(120),
                })
            } else {
                Ok(Snapshot::default())
            };
            Box::pin(async move { result })
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_rate_limited_source_is_not_asked_again_before_it_said_not_even_on_refresh() {
        let source = Arc::new(Limited {
            asked: Default::default(),
        });
        let (tx, mut rx) = mpsc::channel(4);
        let refresh = Arc::new(Notify::new());
        let started = tokio::time::Instant::now();
        // Polled every 10s: without Retry-After the next ask would come ~10s later.
        let handle = spawn_poller(source.clone(), settings(), tx, refresh.clone());
        let first = rx.recv().await.unwrap();
        assert_eq!(
            first.result.unwrap_err().retry_after(),
            Some(Duration::from_secs(120))
        );
        tokio::time::sleep(Duration::from_secs(30)).await;
        refresh.notify_one();
        let second = rx.recv().await.unwrap();
        assert!(second.result.is_ok());
        let asked = source.asked.lock().unwrap().clone();
        assert!(
            asked[1] - started >= Duration::from_secs(120),
            "{:?}",
            asked[1] - started
        );
        drop(rx);
        handle.abort();
    }

    #[tokio::test(start_paused = true)]
    async fn poller_reports_failures_and_stops_when_nobody_listens() {
        let (tx, mut rx) = mpsc::channel(4);
        let handle = spawn_poller(Arc::new(Never), settings(), tx, Arc::new(Notify::new()));
        let update = rx.recv().await.unwrap();
        assert_eq!(update.source, "never");
        assert!(matches!(update.result, Err(SourceError::Timeout(_))));
        drop(rx);
        handle.await.unwrap();
    }
}
