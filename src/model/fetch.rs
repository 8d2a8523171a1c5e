//! What asking a backend gives back: a boxed future (sources and SLO measurers of
//! different kinds sit behind one trait object) and, when it fails, why.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::text::time::Style;

/// A boxed future, so sources of different kinds can sit behind one trait object.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a fetch failed. Messages are sanitized and never carry credentials.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SourceError {
    #[error("timed out after {}", Style::Config.format(*.0))]
    Timeout(Duration),
    /// The request did not get an answer: refused, reset, timed out, unresolvable.
    #[error("{endpoint}: {reason}")]
    Transport { endpoint: String, reason: String },
    #[error("{endpoint} answered HTTP {status}{}", detail_suffix(.detail))]
    Http {
        endpoint: String,
        status: u16,
        detail: String,
    },
    #[error("{endpoint} sent a reply clops cannot read: {reason}")]
    Decode { endpoint: String, reason: String },
    /// The backend asked clops to slow down (HTTP 429, or GitHub's 403 with its rate
    /// limit spent); the poller waits at least `retry_after` before asking again.
    #[error(
        "{endpoint} answered HTTP {status}: rate limited, asking again in {}",
        Style::Config.format(*.retry_after)
    )]
    RateLimited {
        endpoint: String,
        status: u16,
        retry_after: Duration,
    },
    #[error("not available yet: {0}")]
    NotAvailable(String),
    #[error("{0}")]
    Other(String),
}

impl SourceError {
    /// How long the backend asked clops to wait before its next request, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            SourceError::RateLimited { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }
}

fn detail_suffix(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    }
}
