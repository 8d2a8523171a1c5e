//! The board: everything the console and `clops alerts` show, built by triage.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::text::plural;

use super::alert::{Alert, Names, Severity};
use super::deploy::Deploy;
use super::rule::{RuleHealth, RuleState};
use super::service::ServiceGraph;
use super::silence::Silence;

/// Alerts a responder should treat as one page.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Stable across runs for the same alerts: derived from what joins them.
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// Why these alerts are one group, in words (most reasons are fixed sentences).
    pub reason: Cow<'static, str>,
    /// Most severe first, then newest.
    pub alerts: Vec<Alert>,
    // The three lists below are shared, not copied: a storm makes tens of thousands of
    // groups, most naming the one service, cluster and source that many others name.
    /// Services named by the alerts, sorted.
    pub services: Names,
    /// Clusters named by the alerts, sorted.
    pub clusters: Names,
    /// Every source that reported at least one alert, sorted.
    pub sources: Names,
    /// When the earliest alert started.
    pub first_started: Option<DateTime<Utc>>,
    /// When the latest alert started.
    pub last_started: Option<DateTime<Utc>>,
    /// What the incident comes from: a service, `node NAME`; None when unknown.
    pub root: Option<String>,
    /// Whether it should wake someone.
    pub class: Class,
    /// Deploys shortly before its first alert, of its services or what they depend
    /// on; newest first.
    pub suspect_deploys: Vec<Deploy>,
}

/// Page someone now, or leave a ticket for working hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    Page,
    Ticket,
}

impl Class {
    /// The word used in JSON and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Page => "page",
            Class::Ticket => "ticket",
        }
    }
}

impl Group {
    /// A group of `alerts` (already in display order); the summaries the console shows
    /// on every frame are computed here, once.
    pub fn new(
        id: String,
        title: String,
        reason: impl Into<Cow<'static, str>>,
        alerts: Vec<Alert>,
        service_label: &str,
    ) -> Group {
        let services = distinct(alerts.iter().map(|a| a.label(service_label)));
        let clusters = distinct(alerts.iter().map(|a| a.label("cluster")));
        Group::with_places(id, title, reason, alerts, services, clusters)
    }

    /// Like [`Group::new`], for a caller that has read the alerts' services and clusters
    /// already (each list sorted, each name once): labels are the slow part to read.
    pub fn with_places(
        id: String,
        title: String,
        reason: impl Into<Cow<'static, str>>,
        alerts: Vec<Alert>,
        services: Names,
        clusters: Names,
    ) -> Group {
        let facts = alerts.iter().map(|a| (a.severity, a.starts_at, a.pages()));
        let known = Known::of(facts, services, clusters);
        Group::with_known(id, title, reason, alerts, known)
    }

    /// Like [`Group::with_places`], for a caller that already knows what the group
    /// says of its alerts (triage reads it from a compact array while they are spread
    /// over memory, rather than again once they move in).
    pub fn with_known(
        id: String,
        title: String,
        reason: impl Into<Cow<'static, str>>,
        alerts: Vec<Alert>,
        known: Known,
    ) -> Group {
        // Nearly always every alert lists the same shared sources: share them too.
        let sources = match alerts.split_first() {
            None => Names::new(),
            Some((first, rest)) if rest.iter().all(|a| a.sources == first.sources) => {
                first.sources.clone()
            }
            Some(_) => Names::distinct(alerts.iter().flat_map(|a| a.sources.iter())),
        };
        Group {
            services: known.services,
            clusters: known.clusters,
            sources,
            first_started: known.first_started,
            last_started: known.last_started,
            root: None,
            suspect_deploys: Vec::new(),
            class: known.class,
            id,
            title,
            severity: known.severity,
            reason: reason.into(),
            alerts,
        }
    }
}

impl Group {
    /// True when `alert` is one of its root's: the root service's, or the node's when
    /// the root is `node NAME` (triage's words). Runbooks run for these first.
    pub fn is_root_alert(&self, alert: &Alert, service_label: &str, node_label: &str) -> bool {
        match self.root.as_deref() {
            None => false,
            Some(root) => match root.strip_prefix("node ") {
                Some(node) => alert.label(node_label) == node,
                None => alert.label(service_label) == root,
            },
        }
    }
}

/// What a group says of its alerts: the most severe, when they started, whether any
/// pages, and the services and clusters they name (sorted, each once).
pub struct Known {
    pub severity: Severity,
    pub first_started: Option<DateTime<Utc>>,
    pub last_started: Option<DateTime<Utc>>,
    pub class: Class,
    pub services: Names,
    pub clusters: Names,
}

impl Known {
    /// What alerts with these facts (severity, start, whether it pages) say, with the
    /// services and clusters they name.
    pub fn of(
        facts: impl Iterator<Item = (Severity, DateTime<Utc>, bool)>,
        services: Names,
        clusters: Names,
    ) -> Known {
        let mut known = Known {
            severity: Severity::None,
            first_started: None,
            last_started: None,
            class: Class::Ticket,
            services,
            clusters,
        };
        for (severity, at, pages) in facts {
            known.severity = known.severity.min(severity);
            known.first_started = Some(known.first_started.map_or(at, |t| t.min(at)));
            known.last_started = Some(known.last_started.map_or(at, |t| t.max(at)));
            if pages {
                known.class = Class::Page;
            }
        }
        known
    }
}

/// The non-empty values, sorted, each once, as a list of their own. Groups are small:
/// sorting references beats hashing them.
pub(crate) fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Names {
    let mut v: smallvec::SmallVec<[&str; 4]> = values.filter(|s| !s.is_empty()).collect();
    v.sort_unstable();
    v.dedup();
    v.into_iter().collect()
}

/// Alert counts along the triage pipeline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// As received from every endpoint, HA copies included.
    pub raw: usize,
    /// After deduplication.
    pub unique: usize,
    /// Pages a responder has to look at.
    pub groups: usize,
    /// Alerts that passed a filter, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<usize>,
}

impl Stats {
    /// `18 raw → 9 unique → 4 groups`, said as plainly as the numbers allow.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.raw != self.unique {
            parts.push(format!("{} raw", self.raw));
            parts.push(format!("{} unique", self.unique));
        } else {
            parts.push(plural(self.unique, "alert"));
        }
        if let Some(m) = self.matched {
            parts.push(format!("{m} matching"));
        }
        parts.push(plural(self.groups, "group"));
        let shown = self.matched.unwrap_or(self.unique);
        let mut text = parts.join(" → ");
        // The page reduction: how many alerts each group spares a responder.
        if self.groups > 0 && shown > self.groups {
            text.push_str(&format!(" (×{:.1})", shown as f64 / self.groups as f64));
        }
        text
    }
}

/// Health of one configured source as the console reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Health {
    /// Last poll succeeded.
    Ok,
    /// Last poll failed; the last good data is still shown.
    Stale,
    /// No good data at all (never reached, or nothing kept).
    Down,
    /// No answer yet (the console has just started).
    Waiting,
    /// No answer yet: still finding its token (a token_command may take a while).
    Authenticating,
}

impl Health {
    /// The word used in JSON and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Ok => "ok",
            Health::Stale => "stale",
            Health::Down => "down",
            Health::Waiting => "waiting",
            Health::Authenticating => "authenticating",
        }
    }
}

/// One source line of the status bar and of the JSON `sources` list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceStatus {
    pub name: String,
    pub kind: String,
    pub status: Health,
    /// Why the source is stale or down (sanitized, never holds a token).
    pub error: Option<String>,
    /// When the data shown was fetched.
    #[serde(skip)]
    pub data_at: Option<DateTime<Utc>>,
    /// The rules a Prometheus source evaluates, with their health.
    #[serde(skip)]
    pub rules: Vec<RuleHealth>,
}

impl SourceStatus {
    /// Rules that failed their last evaluation.
    pub fn failing_rules(&self) -> impl Iterator<Item = &RuleHealth> {
        self.rules.iter().filter(|r| r.state == RuleState::Failing)
    }
}

/// The triaged view of every source.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Board {
    /// Most severe first, then most recent.
    pub groups: Vec<Group>,
    pub stats: Stats,
    pub sources: Vec<SourceStatus>,
    /// Every source's silences, acks included.
    pub silences: Vec<Silence>,
    /// Every source's dependency map, as one.
    pub graph: ServiceGraph,
    /// Every source's deploys, newest first.
    pub deploys: Vec<Deploy>,
}

impl Board {
    /// The silence with this id.
    pub fn silence(&self, id: &str) -> Option<&Silence> {
        self.silences.iter().find(|s| s.id == id)
    }

    /// Number of alerts in all groups.
    pub fn alert_count(&self) -> usize {
        self.groups.iter().map(|g| g.alerts.len()).sum()
    }
}
