//! Service level indicators as measured samples.

use chrono::{DateTime, Utc};

/// Request rate, error ratio and latency of one service at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SliSample {
    pub at: DateTime<Utc>,
    pub requests_per_s: f64,
    /// Failed requests / all requests, 0..=1.
    pub error_ratio: f64,
    pub latency_p99_ms: f64,
}
