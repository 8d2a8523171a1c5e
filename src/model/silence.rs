//! Silences: "stop paging about alerts matching these labels until then".

use chrono::{DateTime, Duration, Utc};

use crate::text::clean_line;

use super::alert::Alert;
use super::labels::LabelSet;
use super::matcher::Matcher;

/// Marks a silence clops created as an acknowledgement: it is expired as soon as no
/// alert it matches is firing any more.
pub const ACK_MARKER: &str = "[clops ack]";

/// Where a silence is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SilenceState {
    Active,
    Pending,
    Expired,
}

impl SilenceState {
    /// The Alertmanager word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            SilenceState::Active => "active",
            SilenceState::Pending => "pending",
            SilenceState::Expired => "expired",
        }
    }

    /// Reads Alertmanager's word; anything unknown counts as expired.
    pub fn parse(s: &str) -> SilenceState {
        match s {
            "active" => SilenceState::Active,
            "pending" => SilenceState::Pending,
            _ => SilenceState::Expired,
        }
    }
}

/// A silence as a source reports it. Strings are sanitized on the way in.
#[derive(Debug, Clone, PartialEq)]
pub struct Silence {
    pub id: String,
    /// The configured source it lives in.
    pub source: String,
    pub matchers: Vec<Matcher>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub created_by: String,
    pub comment: String,
    pub state: SilenceState,
}

impl Silence {
    /// True when clops created this silence as an ack.
    pub fn is_ack(&self) -> bool {
        self.comment.contains(ACK_MARKER)
    }

    /// True when every matcher holds for `labels`.
    pub fn matches(&self, labels: &LabelSet) -> bool {
        self.matchers.iter().all(|m| m.matches(labels))
    }
}

/// The alerts `matchers` cover, matched on their labels as stored, as Alertmanager
/// matches them; each once (HA copies, or an alert in two groups, are one alert).
pub fn covered<'a>(
    matchers: &[Matcher],
    alerts: impl IntoIterator<Item = &'a Alert>,
) -> Vec<&'a Alert> {
    let mut seen = std::collections::HashSet::new();
    alerts
        .into_iter()
        .filter(|a| {
            matchers.iter().all(|m| m.matches(a.matched_labels())) && seen.insert(a.fingerprint)
        })
        .collect()
}

/// A silence to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSilence {
    pub matchers: Vec<Matcher>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub created_by: String,
    pub comment: String,
}

impl NewSilence {
    /// A silence from now for `duration`.
    pub fn lasting(
        matchers: Vec<Matcher>,
        duration: Duration,
        created_by: &str,
        comment: &str,
        now: DateTime<Utc>,
    ) -> NewSilence {
        NewSilence {
            matchers,
            starts_at: now,
            ends_at: now + duration,
            created_by: clean_line(created_by),
            comment: clean_line(comment),
        }
    }

    /// An ack of the alert with exactly `labels`: every label must match, so it silences
    /// that alert and nothing else; `cap` bounds it should nobody expire it.
    pub fn ack(
        labels: &LabelSet,
        cap: Duration,
        created_by: &str,
        now: DateTime<Utc>,
    ) -> NewSilence {
        let matchers = labels.iter().map(|(k, v)| Matcher::equal(k, v)).collect();
        NewSilence::lasting(
            matchers,
            cap,
            created_by,
            &format!("acknowledged by {created_by} {ACK_MARKER}"),
            now,
        )
    }
}

/// Acks to expire: active acks that match none of the alerts still firing.
pub fn resolved_acks<'a>(silences: &'a [Silence], firing: &[&LabelSet]) -> Vec<&'a Silence> {
    silences
        .iter()
        .filter(|s| s.state == SilenceState::Active && s.is_ack())
        .filter(|s| !firing.iter().any(|labels| s.matches(labels)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> LabelSet {
        pairs.iter().copied().collect()
    }

    #[test]
    fn an_ack_matches_exactly_its_alert() {
        let now = Utc::now();
        let a = labels(&[("alertname", "Down"), ("instance", "db-1")]);
        let ack = NewSilence::ack(&a, Duration::hours(4), "alice@jump-1", now);
        assert_eq!(ack.matchers.len(), 2);
        assert!(ack.comment.contains(ACK_MARKER) && ack.comment.contains("alice@jump-1"));
        assert_eq!(ack.ends_at - ack.starts_at, Duration::hours(4));
        let s = Silence {
            id: "1".into(),
            source: "eu".into(),
            matchers: ack.matchers,
            starts_at: now,
            ends_at: ack.ends_at,
            created_by: ack.created_by,
            comment: ack.comment,
            state: SilenceState::Active,
        };
        assert!(s.matches(&a));
        assert!(!s.matches(&labels(&[("alertname", "Down"), ("instance", "db-2")])));
    }

    #[test]
    fn acks_whose_alert_resolved_are_found_and_plain_silences_are_left_alone() {
        let now = Utc::now();
        let firing = labels(&[("alertname", "Down"), ("instance", "db-1")]);
        let gone = labels(&[("alertname", "Down"), ("instance", "db-2")]);
        let make = |l: &LabelSet, ack: bool, state| {
            let n = NewSilence::ack(l, Duration::hours(1), "bob@h", now);
            Silence {
                id: format!("{}-{ack}", l.get("instance").unwrap()),
                source: "eu".into(),
                matchers: n.matchers,
                starts_at: now,
                ends_at: n.ends_at,
                created_by: n.created_by,
                comment: if ack { n.comment } else { "maintenance".into() },
                state,
            }
        };
        let silences = vec![
            make(&firing, true, SilenceState::Active),
            make(&gone, true, SilenceState::Active),
            make(&gone, false, SilenceState::Active),
            make(&gone, true, SilenceState::Expired),
        ];
        let stale = resolved_acks(&silences, &[&firing]);
        assert_eq!(
            stale.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ["db-2-true"]
        );
    }
}
