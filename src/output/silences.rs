//! `clops silence list -o json`, `silence add -o json` and `silence add --dry-run -o json`.

use serde::Serialize;

use super::{CleanPairs, ListOf, Stamp};
use crate::model::{Alert, Fingerprint, Matcher, NewSilence, Silence};
use crate::text::clean_line;

/// `clops silence list -o json`: every silence, in the order given.
#[derive(Serialize)]
pub struct SilenceList<'a> {
    silences: ListOf<'a, &'a Silence, SilenceJson<'a>>,
}

impl<'a> SilenceList<'a> {
    pub fn new(silences: &'a [&'a Silence]) -> SilenceList<'a> {
        SilenceList {
            silences: ListOf(silences, |s| SilenceJson::new(s)),
        }
    }
}

#[derive(Serialize)]
struct SilenceJson<'a> {
    id: &'a str,
    source: &'a str,
    state: &'static str,
    /// As the user would type them, one line each.
    matchers: Vec<String>,
    starts_at: Stamp,
    ends_at: Stamp,
    created_by: &'a str,
    comment: &'a str,
    ack: bool,
}

impl<'a> SilenceJson<'a> {
    fn new(s: &'a Silence) -> SilenceJson<'a> {
        SilenceJson {
            id: &s.id,
            source: &s.source,
            state: s.state.as_str(),
            matchers: s
                .matchers
                .iter()
                .map(|m| clean_line(&m.to_string()))
                .collect(),
            starts_at: Stamp(s.starts_at),
            ends_at: Stamp(s.ends_at),
            created_by: &s.created_by,
            comment: &s.comment,
            ack: s.is_ack(),
        }
    }
}

/// A matcher as Alertmanager stores it (the value exactly; JSON escapes what it must),
/// and as the user would type it.
#[derive(Serialize)]
struct MatcherJson<'a> {
    name: &'a str,
    value: &'a str,
    #[serde(rename = "isRegex")]
    is_regex: bool,
    #[serde(rename = "isEqual")]
    is_equal: bool,
    text: String,
}

impl<'a> MatcherJson<'a> {
    fn new(m: &'a Matcher) -> MatcherJson<'a> {
        MatcherJson {
            name: &m.name,
            value: &m.value,
            is_regex: m.op.is_regex(),
            is_equal: m.op.is_equal(),
            text: m.to_string(),
        }
    }
}

/// `clops silence add -o json`: the silence created and the peers that could not be
/// asked to read it back.
#[derive(Serialize)]
pub struct CreatedSilence<'a> {
    id: &'a str,
    source: &'a str,
    matchers: ListOf<'a, Matcher, MatcherJson<'a>>,
    starts_at: Stamp,
    ends_at: Stamp,
    unchecked_peers: &'a [String],
}

impl<'a> CreatedSilence<'a> {
    pub fn new(
        id: &'a str,
        source: &'a str,
        silence: &'a NewSilence,
        unchecked_peers: &'a [String],
    ) -> CreatedSilence<'a> {
        CreatedSilence {
            id,
            source,
            matchers: ListOf(&silence.matchers, MatcherJson::new),
            starts_at: Stamp(silence.starts_at),
            ends_at: Stamp(silence.ends_at),
            unchecked_peers,
        }
    }
}

/// `clops silence add --dry-run -o json`: the silence as it would be stored and the
/// alerts it covers now.
#[derive(Serialize)]
pub struct DryRun<'a> {
    dry_run: bool,
    source: &'a str,
    starts_at: Stamp,
    ends_at: Stamp,
    created_by: &'a str,
    comment: &'a str,
    matchers: ListOf<'a, Matcher, MatcherJson<'a>>,
    covers: Covers<'a>,
}

impl<'a> DryRun<'a> {
    pub fn new(source: &'a str, silence: &'a NewSilence, covers: &'a [&'a Alert]) -> DryRun<'a> {
        DryRun {
            dry_run: true,
            source,
            starts_at: Stamp(silence.starts_at),
            ends_at: Stamp(silence.ends_at),
            created_by: &silence.created_by,
            comment: &silence.comment,
            matchers: ListOf(&silence.matchers, MatcherJson::new),
            covers: Covers {
                count: covers.len(),
                alerts: ListOf(covers, |a| CoveredAlert::new(a)),
            },
        }
    }
}

#[derive(Serialize)]
struct Covers<'a> {
    count: usize,
    alerts: ListOf<'a, &'a Alert, CoveredAlert>,
}

#[derive(Serialize)]
struct CoveredAlert {
    fingerprint: Fingerprint,
    labels: CleanPairs,
    state: &'static str,
}

impl CoveredAlert {
    fn new(a: &Alert) -> CoveredAlert {
        CoveredAlert {
            fingerprint: a.fingerprint,
            labels: a.labels.iter().collect(),
            state: a.state.as_str(),
        }
    }
}
