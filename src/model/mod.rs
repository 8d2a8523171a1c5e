//! Plain domain types shared by sources, triage and the console.

pub mod alert;
pub mod board;
pub mod deploy;
pub mod fetch;
pub mod hash;
pub mod incident;
pub mod labels;
pub mod matcher;
pub(crate) mod prefetch;
pub mod rule;
pub mod service;
pub mod silence;
pub mod sli;
pub mod snapshot;

pub use alert::{Alert, AlertState, Fingerprint, Labels, Origin, Quiet, Severity, fingerprint};
pub use board::{Board, Class, Group, Health, SourceStatus, Stats};
pub use deploy::Deploy;
pub use labels::LabelSet;
pub use matcher::{MatchOp, Matcher, MatcherError};
pub use rule::{RuleHealth, RuleState};
pub use service::{Edge, Service, ServiceGraph, ServiceStatus};
pub use silence::{NewSilence, Silence, SilenceState};
pub use sli::SliSample;
pub use snapshot::{Latest, Snapshot};
