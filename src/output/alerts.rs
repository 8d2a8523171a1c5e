//! `clops alerts -o json`.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{ListOf, Stamp};
use crate::model::alert::Names;
use crate::model::{
    Alert, AlertState, Board, Class, Deploy, Fingerprint, Group, LabelSet, Quiet, RuleHealth,
    Severity, SourceStatus, Stats,
};

/// `clops alerts -o json`, as DESIGN.md describes it.
#[derive(Serialize)]
pub struct AlertsJson<'a> {
    generated_at: Stamp,
    sources: ListOf<'a, SourceStatus, SourceJson<'a>>,
    stats: &'a Stats,
    groups: ListOf<'a, Group, GroupJson<'a>>,
}

impl<'a> AlertsJson<'a> {
    /// The board as generated at `generated_at`.
    pub fn new(board: &'a Board, generated_at: DateTime<Utc>) -> AlertsJson<'a> {
        AlertsJson {
            generated_at: Stamp(generated_at),
            sources: ListOf(&board.sources, SourceJson::new),
            stats: &board.stats,
            groups: ListOf(&board.groups, GroupJson::new),
        }
    }
}

/// One source: `name`, `kind`, `status`, `error`; and its rules, for sources that
/// have them (Prometheus). `clops slo -o json` lists its sources the same way.
#[derive(Serialize)]
pub struct SourceJson<'a> {
    name: &'a str,
    kind: &'a str,
    status: &'static str,
    error: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rules: Option<RulesJson<'a>>,
}

impl<'a> SourceJson<'a> {
    /// The source and, when it has any, its rules.
    pub fn new(s: &'a SourceStatus) -> SourceJson<'a> {
        SourceJson {
            rules: (!s.rules.is_empty()).then(|| RulesJson {
                total: s.rules.len(),
                failing: s.failing_rules().map(FailingRule::new).collect(),
            }),
            ..SourceJson::without_rules(s)
        }
    }

    /// The source alone.
    pub fn without_rules(s: &'a SourceStatus) -> SourceJson<'a> {
        SourceJson {
            name: &s.name,
            kind: &s.kind,
            status: s.status.as_str(),
            error: s.error.as_deref(),
            rules: None,
        }
    }
}

#[derive(Serialize)]
struct RulesJson<'a> {
    total: usize,
    failing: Vec<FailingRule<'a>>,
}

#[derive(Serialize)]
struct FailingRule<'a> {
    name: &'a str,
    group: &'a str,
    error: Option<&'a str>,
    last_evaluation: Option<Stamp>,
}

impl<'a> FailingRule<'a> {
    fn new(r: &'a RuleHealth) -> FailingRule<'a> {
        FailingRule {
            name: &r.name,
            group: &r.group,
            error: r.last_error.as_deref(),
            last_evaluation: r.last_evaluation.map(Stamp),
        }
    }
}

#[derive(Serialize)]
struct GroupJson<'a> {
    id: &'a str,
    title: &'a str,
    severity: Severity,
    reason: &'a str,
    alerts: ListOf<'a, Alert, AlertJson<'a>>,
    class: Class,
    root: Option<&'a str>,
    services: &'a Names,
    clusters: &'a Names,
    suspect_deploys: ListOf<'a, Deploy, SuspectDeploy<'a>>,
}

impl<'a> GroupJson<'a> {
    fn new(g: &'a Group) -> GroupJson<'a> {
        GroupJson {
            id: &g.id,
            title: &g.title,
            severity: g.severity,
            reason: g.reason.as_ref(),
            alerts: ListOf(&g.alerts, AlertJson::new),
            class: g.class,
            root: g.root.as_deref(),
            services: &g.services,
            clusters: &g.clusters,
            suspect_deploys: ListOf(&g.suspect_deploys, SuspectDeploy::new),
        }
    }
}

#[derive(Serialize)]
struct AlertJson<'a> {
    fingerprint: Fingerprint,
    labels: &'a LabelSet,
    annotations: &'a LabelSet,
    state: AlertState,
    starts_at: Stamp,
    sources: &'a Names,
    seen_by: &'a Names,
    silenced_by: &'a [String],
    inhibited_by: &'a [String],
    receivers: &'a Names,
    #[serde(skip_serializing_if = "Option::is_none")]
    generator_url: Option<&'a str>,
    /// The maintenance window it falls in.
    #[serde(skip_serializing_if = "Option::is_none")]
    maintenance: Option<&'a str>,
    /// How often it started anew lately, when that makes it flap.
    #[serde(skip_serializing_if = "Option::is_none")]
    flapping: Option<usize>,
}

impl<'a> AlertJson<'a> {
    fn new(a: &'a Alert) -> AlertJson<'a> {
        let (maintenance, flapping) = match a.quiet.as_deref() {
            Some(Quiet::Maintenance(name)) => (Some(name.as_str()), None),
            Some(Quiet::Flapping(n)) => (None, Some(*n)),
            None => (None, None),
        };
        AlertJson {
            fingerprint: a.fingerprint,
            labels: &a.labels,
            annotations: &a.annotations,
            state: a.state,
            starts_at: Stamp(a.starts_at),
            sources: &a.sources,
            seen_by: &a.seen_by,
            silenced_by: &a.silenced_by,
            inhibited_by: &a.inhibited_by,
            receivers: &a.receivers,
            generator_url: a.generator_url.as_deref(),
            maintenance,
            flapping,
        }
    }
}

#[derive(Serialize)]
struct SuspectDeploy<'a> {
    service: &'a str,
    version: &'a str,
    at: Stamp,
    source: &'a str,
}

impl<'a> SuspectDeploy<'a> {
    fn new(d: &'a Deploy) -> SuspectDeploy<'a> {
        SuspectDeploy {
            service: &d.service,
            version: &d.version,
            at: Stamp(d.at),
            source: &d.source,
        }
    }
}
