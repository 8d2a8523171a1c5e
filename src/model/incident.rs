//! Incidents and their timelines.
//!
//! The timeline is the record: an incident's current state (title, status, roles,
//! alerts, action items) is what its events add up to, read by [`Incident::from_events`].
//! Events are never edited; a correction is a new event. So whatever the console shows
//! and whatever an export says can always be traced to who did what, and when.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::text::time::{Style, Timestamp};
use crate::text::{clean_line, clean_text};

/// How bad an incident is: sev1 (worst) to sev4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sev {
    Sev1,
    Sev2,
    Sev3,
    Sev4,
}

impl Sev {
    pub const ALL: [Sev; 4] = [Sev::Sev1, Sev::Sev2, Sev::Sev3, Sev::Sev4];

    /// `sev1` … `sev4`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sev::Sev1 => "sev1",
            Sev::Sev2 => "sev2",
            Sev::Sev3 => "sev3",
            Sev::Sev4 => "sev4",
        }
    }

    /// The next severity in the cycle sev1 → sev2 → … → sev4 → sev1 (for one-key edits).
    pub fn next(self) -> Sev {
        Sev::ALL[(self as usize + 1) % Sev::ALL.len()]
    }
}

impl fmt::Display for Sev {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an incident is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Investigating,
        Status::Identified,
        Status::Monitoring,
        Status::Resolved,
    ];

    /// The word used in JSON and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Investigating => "investigating",
            Status::Identified => "identified",
            Status::Monitoring => "monitoring",
            Status::Resolved => "resolved",
        }
    }

    /// The next step forward (resolved stays resolved).
    pub fn next(self) -> Status {
        match self {
            Status::Investigating => Status::Identified,
            Status::Identified => Status::Monitoring,
            Status::Monitoring | Status::Resolved => Status::Resolved,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an action item is for, as the postmortem layout sorts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionKind {
    Mitigate,
    Prevent,
    Process,
}

impl ActionKind {
    /// The word used in JSON and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Mitigate => "mitigate",
            ActionKind::Prevent => "prevent",
            ActionKind::Process => "process",
        }
    }
}

/// An alert as the incident remembers it: enough to recognise it after the alert is gone.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AttachedAlert {
    pub fingerprint: String,
    /// `alertname`, when known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<DateTime<Utc>>,
    /// The alert's summary line, when it had one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
}

/// One entry of the timeline: who did what, when. `seq` counts up from 1 per incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub author: String,
    #[serde(flatten)]
    pub change: Change,
}

/// What an event records. In JSON: `"kind": "note", "data": {"text": …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum Change {
    Declared {
        title: String,
        severity: Sev,
        commander: String,
        #[serde(default)]
        services: Vec<String>,
        #[serde(default)]
        alerts: Vec<AttachedAlert>,
        /// The triage group it was declared from, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<String>,
        /// When the impact began, when someone knows: time to detect counts from it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        started: Option<DateTime<Utc>>,
    },
    StatusChanged {
        from: Status,
        to: Status,
    },
    SeverityChanged {
        from: Sev,
        to: Sev,
    },
    RoleAssigned {
        role: String,
        who: String,
    },
    Note {
        text: String,
    },
    AlertAttached {
        alerts: Vec<AttachedAlert>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<String>,
    },
    SilenceCreated {
        id: String,
        source: String,
        matchers: String,
        ends_at: DateTime<Utc>,
        comment: String,
    },
    Ack {
        id: String,
        source: String,
        matchers: String,
        ends_at: DateTime<Utc>,
    },
    RunbookStepStarted {
        runbook: String,
        step: String,
        command: String,
    },
    RunbookStepFinished {
        runbook: String,
        step: String,
        /// None when the step was killed (timeout, cancel) before it exited.
        exit_code: Option<i32>,
        duration_ms: u64,
        /// The last lines of its output.
        output: String,
    },
    DeployCorrelated {
        service: String,
        version: String,
        at: DateTime<Utc>,
        source: String,
    },
    ActionItem {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
        #[serde(rename = "type")]
        kind: ActionKind,
    },
    Exported {
        format: String,
    },
}

impl Change {
    /// The `kind` word of this event.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::Declared { .. } => "declared",
            Change::StatusChanged { .. } => "status_changed",
            Change::SeverityChanged { .. } => "severity_changed",
            Change::RoleAssigned { .. } => "role_assigned",
            Change::Note { .. } => "note",
            Change::AlertAttached { .. } => "alert_attached",
            Change::SilenceCreated { .. } => "silence_created",
            Change::Ack { .. } => "ack",
            Change::RunbookStepStarted { .. } => "runbook_step_started",
            Change::RunbookStepFinished { .. } => "runbook_step_finished",
            Change::DeployCorrelated { .. } => "deploy_correlated",
            Change::ActionItem { .. } => "action_item",
            Change::Exported { .. } => "exported",
        }
    }

    /// The same change with every string stripped of control characters and escape
    /// sequences: notes typed by others and runbook output reach terminals and exports.
    pub fn sanitized(self) -> Change {
        let line = |s: String| clean_line(&s);
        let text = |s: String| clean_text(&s);
        let alerts = |v: Vec<AttachedAlert>| v.into_iter().map(AttachedAlert::sanitized).collect();
        match self {
            Change::Declared {
                title,
                severity,
                commander,
                services,
                alerts: a,
                group,
                started,
            } => Change::Declared {
                title: line(title),
                severity,
                commander: line(commander),
                services: services.into_iter().map(line).collect(),
                alerts: alerts(a),
                group: group.map(line),
                started,
            },
            Change::RoleAssigned { role, who } => Change::RoleAssigned {
                role: line(role),
                who: line(who),
            },
            Change::Note { text: t } => Change::Note { text: text(t) },
            Change::AlertAttached { alerts: a, group } => Change::AlertAttached {
                alerts: alerts(a),
                group: group.map(line),
            },
            Change::SilenceCreated {
                id,
                source,
                matchers,
                ends_at,
                comment,
            } => Change::SilenceCreated {
                id: line(id),
                source: line(source),
                matchers: line(matchers),
                ends_at,
                comment: text(comment),
            },
            Change::Ack {
                id,
                source,
                matchers,
                ends_at,
            } => Change::Ack {
                id: line(id),
                source: line(source),
                matchers: line(matchers),
                ends_at,
            },
            Change::RunbookStepStarted {
                runbook,
                step,
                command,
            } => Change::RunbookStepStarted {
                runbook: line(runbook),
                step: line(step),
                command: text(command),
            },
            Change::RunbookStepFinished {
                runbook,
                step,
                exit_code,
                duration_ms,
                output,
            } => Change::RunbookStepFinished {
                runbook: line(runbook),
                step: line(step),
                exit_code,
                duration_ms,
                output: text(output),
            },
            Change::DeployCorrelated {
                service,
                version,
                at,
                source,
            } => Change::DeployCorrelated {
                service: line(service),
                version: line(version),
                at,
                source: line(source),
            },
            Change::ActionItem {
                text: t,
                owner,
                kind,
            } => Change::ActionItem {
                text: line(t),
                owner: owner.map(line),
                kind,
            },
            Change::Exported { format } => Change::Exported {
                format: line(format),
            },
            c @ (Change::StatusChanged { .. } | Change::SeverityChanged { .. }) => c,
        }
    }

    /// One line saying what happened, for timelines on screen and in exports.
    pub fn describe(&self) -> String {
        match self {
            Change::Declared {
                title,
                severity,
                commander,
                ..
            } => format!("declared {severity} \"{title}\", commander {commander}"),
            Change::StatusChanged { from, to } => format!("status {from} → {to}"),
            Change::SeverityChanged { from, to } => format!("severity {from} → {to}"),
            Change::RoleAssigned { role, who } => format!("{who} is {role}"),
            Change::Note { text } => format!("note: {}", text.replace('\n', " / ")),
            Change::AlertAttached { alerts, .. } => match alerts.as_slice() {
                [one] => format!("attached alert {}", one.label()),
                many => format!(
                    "attached {} alerts ({})",
                    many.len(),
                    many.iter()
                        .map(|a| a.label())
                        .take(3)
                        .collect::<Vec<_>>()
                        .join(", ")
                        + if many.len() > 3 { ", …" } else { "" }
                ),
            },
            Change::SilenceCreated {
                id,
                source,
                matchers,
                ends_at,
                ..
            } => format!(
                "silenced {matchers} on {source} until {} ({id})",
                Timestamp::Minute.format(*ends_at)
            ),
            Change::Ack {
                id,
                source,
                matchers,
                ..
            } => format!("acknowledged {matchers} on {source} ({id})"),
            Change::RunbookStepStarted {
                runbook,
                step,
                command,
            } => format!(
                "runbook {runbook}: started \"{step}\": {}",
                command.replace('\n', "; ")
            ),
            Change::RunbookStepFinished {
                runbook,
                step,
                exit_code,
                duration_ms,
                ..
            } => {
                let how = match exit_code {
                    Some(0) => "succeeded".to_string(),
                    Some(c) => format!("failed (exit {c})"),
                    None => "was killed".to_string(),
                };
                format!(
                    "runbook {runbook}: \"{step}\" {how} after {}",
                    Style::Tenths.format(std::time::Duration::from_millis(*duration_ms))
                )
            }
            Change::DeployCorrelated {
                service,
                version,
                at,
                source,
            } => format!(
                "deploy {service} {version} at {} ({source}) may be related",
                Timestamp::Minute.format(*at)
            ),
            Change::ActionItem { text, owner, kind } => match owner {
                Some(o) => format!("action item ({}): {text} — {o}", kind.as_str()),
                None => format!("action item ({}): {text}", kind.as_str()),
            },
            Change::Exported { format } => format!("exported as {format}"),
        }
    }
}

impl AttachedAlert {
    fn sanitized(self) -> AttachedAlert {
        AttachedAlert {
            fingerprint: clean_line(&self.fingerprint),
            name: clean_line(&self.name),
            service: self.service.map(|s| clean_line(&s)),
            severity: self.severity.map(|s| clean_line(&s)),
            starts_at: self.starts_at,
            summary: clean_line(&self.summary),
        }
    }

    /// The alert from the console's board.
    pub fn from_alert(a: &super::Alert, service_label: &str) -> AttachedAlert {
        let service = a.label(service_label);
        AttachedAlert {
            fingerprint: a.fingerprint.to_string(),
            name: a.name().to_string(),
            service: (!service.is_empty()).then(|| service.to_string()),
            severity: Some(a.label("severity").to_string()).filter(|s| !s.is_empty()),
            starts_at: Some(a.starts_at),
            summary: a.headline().to_string(),
        }
    }

    /// `HighErrorRate (payments)`, or the fingerprint when nothing else is known.
    pub fn label(&self) -> String {
        match (&self.name[..], &self.service) {
            ("", _) => self.fingerprint.clone(),
            (name, Some(s)) => format!("{name} ({s})"),
            (name, None) => name.to_string(),
        }
    }
}

/// An action item as the incident holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionItem {
    pub text: String,
    pub owner: Option<String>,
    #[serde(rename = "type")]
    pub kind: ActionKind,
}

/// The moments that measure an incident: from these come time to detect, acknowledge,
/// mitigate and resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KeyMoments {
    /// When the impact began, if someone said so at the declaration.
    pub started: Option<DateTime<Utc>>,
    /// When the first attached alert started (the declaration, when none is attached).
    pub detected: DateTime<Utc>,
    /// When someone first acted: the first ack, or the declaration.
    pub acknowledged: DateTime<Utc>,
    pub declared: DateTime<Utc>,
    /// When the status first reached monitoring (or resolved, if it skipped monitoring).
    pub mitigated: Option<DateTime<Utc>>,
    /// When it was resolved; None while it is open (a reopened incident is open).
    pub resolved: Option<DateTime<Utc>>,
}

impl KeyMoments {
    /// From the impact's start to its detection, when the start is known.
    pub fn to_detect(&self) -> Option<Duration> {
        self.started
            .map(|s| (self.detected - s).max(Duration::zero()))
    }

    /// From detection to the first acknowledgement.
    pub fn to_acknowledge(&self) -> Duration {
        (self.acknowledged - self.detected).max(Duration::zero())
    }

    /// From detection to declaration.
    pub fn to_declare(&self) -> Duration {
        (self.declared - self.detected).max(Duration::zero())
    }

    /// From detection to mitigation, once mitigated.
    pub fn to_mitigate(&self) -> Option<Duration> {
        self.mitigated
            .map(|m| (m - self.detected).max(Duration::zero()))
    }

    /// From detection to resolution, once resolved.
    pub fn to_resolve(&self) -> Option<Duration> {
        self.resolved
            .map(|r| (r - self.detected).max(Duration::zero()))
    }
}

/// An incident as its timeline says it is now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    pub id: String,
    pub title: String,
    pub severity: Sev,
    pub status: Status,
    pub commander: String,
    /// Role → who holds it (the commander included).
    pub roles: BTreeMap<String, String>,
    pub declared_at: DateTime<Utc>,
    pub declared_by: String,
    pub services: Vec<String>,
    pub alerts: Vec<AttachedAlert>,
    pub action_items: Vec<ActionItem>,
    pub moments: KeyMoments,
    /// The seq of the newest event read.
    pub last_seq: u64,
    pub updated_at: DateTime<Utc>,
}

impl Incident {
    /// What the events add up to; None unless the first is the declaration.
    pub fn from_events(id: &str, events: &[Event]) -> Option<Incident> {
        let first = events.first()?;
        let Change::Declared {
            title,
            severity,
            commander,
            services,
            alerts,
            started,
            ..
        } = &first.change
        else {
            return None;
        };
        let mut inc = Incident {
            id: id.to_string(),
            title: title.clone(),
            severity: *severity,
            status: Status::Investigating,
            commander: commander.clone(),
            roles: BTreeMap::from([("commander".to_string(), commander.clone())]),
            declared_at: first.at,
            declared_by: first.author.clone(),
            services: Vec::new(),
            alerts: Vec::new(),
            action_items: Vec::new(),
            moments: KeyMoments {
                started: *started,
                detected: first.at,
                acknowledged: first.at,
                declared: first.at,
                mitigated: None,
                resolved: None,
            },
            last_seq: first.seq,
            updated_at: first.at,
        };
        inc.add_services(services.iter().cloned());
        inc.attach(alerts);
        for e in &events[1..] {
            inc.apply(e);
        }
        Some(inc)
    }

    /// Folds one more event in.
    pub fn apply(&mut self, e: &Event) {
        self.last_seq = self.last_seq.max(e.seq);
        self.updated_at = self.updated_at.max(e.at);
        match &e.change {
            Change::Declared { .. } => {}
            Change::StatusChanged { to, .. } => {
                self.status = *to;
                if matches!(to, Status::Monitoring | Status::Resolved)
                    && self.moments.mitigated.is_none()
                {
                    self.moments.mitigated = Some(e.at);
                }
                self.moments.resolved = (*to == Status::Resolved).then_some(e.at);
            }
            Change::SeverityChanged { to, .. } => self.severity = *to,
            Change::RoleAssigned { role, who } => {
                if role == "commander" {
                    self.commander = who.clone();
                }
                self.roles.insert(role.clone(), who.clone());
            }
            Change::AlertAttached { alerts, .. } => self.attach(alerts),
            Change::Ack { .. } => {
                self.moments.acknowledged = self.moments.acknowledged.min(e.at);
            }
            Change::ActionItem { text, owner, kind } => self.action_items.push(ActionItem {
                text: text.clone(),
                owner: owner.clone(),
                kind: *kind,
            }),
            Change::Note { .. }
            | Change::SilenceCreated { .. }
            | Change::RunbookStepStarted { .. }
            | Change::RunbookStepFinished { .. }
            | Change::DeployCorrelated { .. }
            | Change::Exported { .. } => {}
        }
    }

    fn attach(&mut self, alerts: &[AttachedAlert]) {
        for a in alerts {
            if self.alerts.iter().any(|k| k.fingerprint == a.fingerprint) {
                continue;
            }
            if let Some(at) = a.starts_at {
                self.moments.detected = self.moments.detected.min(at);
                self.moments.acknowledged = self.moments.acknowledged.max(self.moments.detected);
            }
            self.add_services(a.service.iter().cloned());
            self.alerts.push(a.clone());
        }
    }

    fn add_services(&mut self, services: impl Iterator<Item = String>) {
        for s in services {
            if !s.is_empty() && !self.services.contains(&s) {
                self.services.push(s);
            }
        }
        self.services.sort();
    }

    /// True until it is resolved.
    pub fn is_open(&self) -> bool {
        self.status != Status::Resolved
    }
}

/// Checks an incident id's shape: `INC-YYYYMMDD-N`.
pub fn is_incident_id(id: &str) -> bool {
    let Some(rest) = id.strip_prefix("INC-") else {
        return false;
    };
    let Some((day, n)) = rest.split_once('-') else {
        return false;
    };
    day.len() == 8
        && day.bytes().all(|b| b.is_ascii_digit())
        && !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, h, m, 0).unwrap()
    }

    fn ev(seq: u64, t: DateTime<Utc>, change: Change) -> Event {
        Event {
            seq,
            at: t,
            author: "alice@jump-1".into(),
            change,
        }
    }

    fn declared() -> Change {
        Change::Declared {
            title: "Checkout errors".into(),
            severity: Sev::Sev2,
            commander: "alice@jump-1".into(),
            services: vec!["checkout".into()],
            alerts: vec![],
            group: None,
            started: None,
        }
    }

    #[test]
    fn the_timeline_adds_up_to_the_incident_and_its_key_moments() {
        let alert = AttachedAlert {
            fingerprint: "abc".into(),
            name: "HighErrorRate".into(),
            service: Some("payments".into()),
            starts_at: Some(at(20, 0)),
            ..AttachedAlert::default()
        };
        let events = vec![
            ev(1, at(20, 10), declared()),
            ev(
                2,
                at(20, 12),
                Change::AlertAttached {
                    alerts: vec![alert],
                    group: None,
                },
            ),
            ev(
                3,
                at(20, 15),
                Change::RoleAssigned {
                    role: "commander".into(),
                    who: "bob@jump-2".into(),
                },
            ),
            ev(
                4,
                at(20, 20),
                Change::StatusChanged {
                    from: Status::Investigating,
                    to: Status::Monitoring,
                },
            ),
            ev(
                5,
                at(20, 40),
                Change::StatusChanged {
                    from: Status::Monitoring,
                    to: Status::Resolved,
                },
            ),
            ev(
                6,
                at(20, 41),
                Change::SeverityChanged {
                    from: Sev::Sev2,
                    to: Sev::Sev1,
                },
            ),
        ];
        let inc = Incident::from_events("INC-20261121-1", &events).unwrap();
        assert_eq!(inc.commander, "bob@jump-2");
        assert_eq!(inc.roles["commander"], "bob@jump-2");
        assert_eq!(inc.services, ["checkout", "payments"]);
        assert_eq!(inc.severity, Sev::Sev1);
        assert_eq!(inc.status, Status::Resolved);
        let m = inc.moments;
        assert_eq!(m.detected, at(20, 0));
        assert_eq!(m.to_acknowledge(), Duration::minutes(10));
        assert_eq!(m.to_mitigate(), Some(Duration::minutes(20)));
        assert_eq!(m.to_resolve(), Some(Duration::minutes(40)));
        assert_eq!(inc.last_seq, 6);
    }

    #[test]
    fn a_reopened_incident_is_open_again() {
        let events = vec![
            ev(1, at(20, 0), declared()),
            ev(
                2,
                at(20, 5),
                Change::StatusChanged {
                    from: Status::Investigating,
                    to: Status::Resolved,
                },
            ),
            ev(
                3,
                at(20, 9),
                Change::StatusChanged {
                    from: Status::Resolved,
                    to: Status::Investigating,
                },
            ),
        ];
        let inc = Incident::from_events("INC-20261121-1", &events).unwrap();
        assert!(inc.is_open());
        assert_eq!(inc.moments.resolved, None);
        assert_eq!(inc.moments.mitigated, Some(at(20, 5)));
    }

    #[test]
    fn events_read_back_as_the_timeline_contract() {
        let e = ev(
            7,
            at(20, 1),
            Change::Note {
                text: "db failover".into(),
            },
        );
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["seq"], 7);
        assert_eq!(json["kind"], "note");
        assert_eq!(json["data"]["text"], "db failover");
        assert_eq!(json["at"], "2026-11-21T20:01:00Z");
        let back: Event = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn sanitizing_removes_escapes_from_every_string() {
        let c = Change::Note {
            text: "ok\u{1b}[2Jgone\nnext".into(),
        }
        .sanitized();
        assert_eq!(
            c,
            Change::Note {
                text: "okgone\nnext".into()
            }
        );
        let c = Change::RoleAssigned {
            role: "scribe".into(),
            who: "eve\u{7}@x".into(),
        }
        .sanitized();
        assert_eq!(c.describe(), "eve@x is scribe");
    }

    #[test]
    fn incident_ids_have_one_shape() {
        assert!(is_incident_id("INC-20261121-12"));
        assert!(!is_incident_id("INC-2026112-1"));
        assert!(!is_incident_id("INC-20261121-"));
        assert!(!is_incident_id("20261121-1"));
    }
}
