//! SLOs measured on Prometheus: the servers of one source, asked in order.

use chrono::{DateTime, Duration, Utc};

use crate::slo::eval::{Measurements, Points};
use crate::slo::spec::SloDef;
use crate::sources::prometheus::{Instant, PromClient};
use crate::sources::{BoxFuture, SourceError};

/// The servers of one Prometheus source, asked in order until one answers (the peers
/// of an HA pair record the same series).
pub struct Prometheus {
    pub servers: Vec<PromClient>,
}

impl Prometheus {
    async fn first_answer<'a, T, F>(&'a self, ask: F) -> Result<T, SourceError>
    where
        F: Fn(&'a PromClient) -> BoxFuture<'a, Result<T, SourceError>>,
    {
        let mut errors = Vec::new();
        for server in &self.servers {
            match ask(server).await {
                Ok(v) => return Ok(v),
                // A bad query fails the same on every peer: no point asking the next.
                Err(
                    e @ SourceError::Http {
                        status: 400 | 422, ..
                    },
                ) => return Err(e),
                Err(e) => errors.push(e),
            }
        }
        match errors.len() {
            0 => Err(SourceError::Other("the source has no servers".into())),
            1 => Err(errors.remove(0)),
            _ => Err(SourceError::Other(
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )),
        }
    }
}

/// One number from an instant query: None for no series, an error for several.
fn single_value(slo: &SloDef, answer: Instant) -> Result<Option<f64>, SourceError> {
    match answer {
        Instant::Scalar(_, v) => Ok(Some(v)),
        Instant::Vector(samples) => match samples.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one.value)),
            many => Err(several_series(slo, many.len())),
        },
        Instant::Matrix(_) => Err(SourceError::Other(format!(
            "SLO {}: the query returns a range vector, not a number",
            slo.name
        ))),
    }
}

/// A query Prometheus refused (HTTP 400 or 422: a function it lacks, a syntax error)
/// names the SLO and the file it came from, with Prometheus's own message.
fn refused(slo: &SloDef, e: SourceError) -> SourceError {
    match e {
        SourceError::Http {
            endpoint,
            status: status @ (400 | 422),
            detail,
        } => {
            let said = if detail.is_empty() {
                format!("HTTP {status}")
            } else {
                detail
            };
            SourceError::Other(format!(
                "SLO {} (from {}): {endpoint} refused its query: {said}",
                slo.name, slo.origin
            ))
        }
        other => other,
    }
}

fn several_series(slo: &SloDef, n: usize) -> SourceError {
    SourceError::Other(format!(
        "SLO {}: the query returns {n} series where one number is needed; aggregate it, \
         e.g. with sum(…)",
        slo.name
    ))
}

impl Measurements for Prometheus {
    fn error_ratio<'a>(
        &'a self,
        slo: &'a SloDef,
        window: Duration,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<Option<f64>, SourceError>> {
        Box::pin(async move {
            let Some(query) = slo.indicator.ratio_query(window) else {
                return Ok(None);
            };
            let answer = self
                .first_answer(|server| {
                    let q = query.clone();
                    Box::pin(async move { server.query(&q, at).await })
                })
                .await
                .map_err(|e| refused(slo, e))?;
            single_value(slo, answer)
        })
    }

    fn error_ratio_range<'a>(
        &'a self,
        slo: &'a SloDef,
        window: Duration,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        step: Duration,
    ) -> BoxFuture<'a, Result<Points, SourceError>> {
        Box::pin(async move {
            let Some(query) = slo.indicator.ratio_query(window) else {
                return Ok(Vec::new());
            };
            let step = step.to_std().unwrap_or(std::time::Duration::from_secs(60));
            let mut series = self
                .first_answer(|server| {
                    let q = query.clone();
                    Box::pin(async move { server.query_range(&q, start, end, step).await })
                })
                .await
                .map_err(|e| refused(slo, e))?;
            match series.len() {
                0 => Ok(Vec::new()),
                1 => Ok(series.remove(0).points),
                n => Err(several_series(slo, n)),
            }
        })
    }
}
