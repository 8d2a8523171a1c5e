//! `clops incident list -o json`, `incident show -o json` and `incident export
//! --format json` (the timeline), and `incident stats -o json`.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Serialize, Serializer};

use super::{CleanPairs, ListOf, Stamp};
use crate::model::incident::{
    ActionItem, AttachedAlert, Change, Event, Incident, KeyMoments, Sev, Status,
};
use crate::text::clean_line;

/// `clops incident list -o json`: each incident as it stands, in the order given.
#[derive(Serialize)]
pub struct IncidentList<'a> {
    incidents: ListOf<'a, Incident, IncidentLine<'a>>,
}

impl<'a> IncidentList<'a> {
    pub fn new(incidents: &'a [Incident]) -> IncidentList<'a> {
        IncidentList {
            incidents: ListOf(incidents, IncidentLine::new),
        }
    }
}

#[derive(Serialize)]
struct IncidentLine<'a> {
    id: &'a str,
    title: &'a str,
    severity: Sev,
    status: Status,
    commander: &'a str,
    roles: &'a BTreeMap<String, String>,
    declared_at: Stamp,
    services: &'a [String],
    /// How many alerts are attached.
    alerts: usize,
    updated_at: Stamp,
}

impl<'a> IncidentLine<'a> {
    fn new(i: &'a Incident) -> IncidentLine<'a> {
        IncidentLine {
            id: &i.id,
            title: &i.title,
            severity: i.severity,
            status: i.status,
            commander: &i.commander,
            roles: &i.roles,
            declared_at: Stamp(i.declared_at),
            services: &i.services,
            alerts: i.alerts.len(),
            updated_at: Stamp(i.updated_at),
        }
    }
}

/// The incident and its timeline as the JSON contract of DESIGN.md ("Incident
/// timeline"); fields beyond the contract are only ever added, never renamed.
///
/// Every string from a timeline is cleaned here, field by field, even though the store
/// cleans what it keeps: an export is pasted into wikis, tickets and terminals, and an
/// old database or another writer must not smuggle escape sequences into it. Line
/// breaks survive only where they belong (notes, commands, runbook output).
#[derive(Serialize)]
pub struct Timeline<'a> {
    incident: IncidentJson,
    events: ListOf<'a, Event, EventJson>,
}

impl<'a> Timeline<'a> {
    pub fn new(incident: &Incident, events: &'a [Event]) -> Timeline<'a> {
        Timeline {
            incident: IncidentJson::new(incident),
            events: ListOf(events, EventJson::new),
        }
    }
}

#[derive(Serialize)]
struct IncidentJson {
    id: String,
    title: String,
    severity: &'static str,
    status: &'static str,
    commander: String,
    roles: CleanPairs,
    declared_at: Stamp,
    declared_by: String,
    services: Vec<String>,
    alerts: Vec<AttachedJson>,
    action_items: Vec<ActionItemJson>,
    moments: MomentsJson,
    last_seq: u64,
    updated_at: Stamp,
}

impl IncidentJson {
    fn new(i: &Incident) -> IncidentJson {
        IncidentJson {
            id: clean_line(&i.id),
            title: clean_line(&i.title),
            severity: i.severity.as_str(),
            status: i.status.as_str(),
            commander: clean_line(&i.commander),
            roles: i.roles.iter().collect(),
            declared_at: Stamp(i.declared_at),
            declared_by: clean_line(&i.declared_by),
            services: i.services.iter().map(|s| clean_line(s)).collect(),
            alerts: i.alerts.iter().map(AttachedJson::new).collect(),
            action_items: i.action_items.iter().map(ActionItemJson::new).collect(),
            moments: MomentsJson::new(&i.moments),
            last_seq: i.last_seq,
            updated_at: Stamp(i.updated_at),
        }
    }
}

/// An attached alert with every field, null where unknown.
#[derive(Serialize)]
struct AttachedJson {
    fingerprint: String,
    name: String,
    service: Option<String>,
    severity: Option<String>,
    starts_at: Option<Stamp>,
    summary: String,
}

impl AttachedJson {
    fn new(a: &AttachedAlert) -> AttachedJson {
        AttachedJson {
            fingerprint: clean_line(&a.fingerprint),
            name: clean_line(&a.name),
            service: a.service.as_deref().map(clean_line),
            severity: a.severity.as_deref().map(clean_line),
            starts_at: a.starts_at.map(Stamp),
            summary: clean_line(&a.summary),
        }
    }
}

#[derive(Serialize)]
struct ActionItemJson {
    text: String,
    owner: Option<String>,
    #[serde(rename = "type")]
    kind: &'static str,
}

impl ActionItemJson {
    fn new(i: &ActionItem) -> ActionItemJson {
        ActionItemJson {
            text: clean_line(&i.text),
            owner: i.owner.as_deref().map(clean_line),
            kind: i.kind.as_str(),
        }
    }
}

/// The key moments, and the times between them in whole seconds.
#[derive(Serialize)]
struct MomentsJson {
    started: Option<Stamp>,
    detected: Stamp,
    acknowledged: Stamp,
    declared: Stamp,
    mitigated: Option<Stamp>,
    resolved: Option<Stamp>,
    to_detect_s: Option<i64>,
    to_acknowledge_s: i64,
    to_declare_s: i64,
    to_mitigate_s: Option<i64>,
    to_resolve_s: Option<i64>,
}

impl MomentsJson {
    fn new(m: &KeyMoments) -> MomentsJson {
        let seconds = |d: Option<Duration>| d.map(|d| d.num_seconds());
        MomentsJson {
            started: m.started.map(Stamp),
            detected: Stamp(m.detected),
            acknowledged: Stamp(m.acknowledged),
            declared: Stamp(m.declared),
            mitigated: m.mitigated.map(Stamp),
            resolved: m.resolved.map(Stamp),
            to_detect_s: seconds(m.to_detect()),
            to_acknowledge_s: m.to_acknowledge().num_seconds(),
            to_declare_s: m.to_declare().num_seconds(),
            to_mitigate_s: seconds(m.to_mitigate()),
            to_resolve_s: seconds(m.to_resolve()),
        }
    }
}

/// `{"seq", "at", "author", "kind", "data"}`: the change, cleaned, gives `kind` and
/// `data` as the store keeps them.
#[derive(Serialize)]
struct EventJson {
    seq: u64,
    at: Stamp,
    author: String,
    #[serde(flatten)]
    change: Change,
}

impl EventJson {
    fn new(e: &Event) -> EventJson {
        EventJson {
            seq: e.seq,
            at: Stamp(e.at),
            author: clean_line(&e.author),
            change: e.change.clone().sanitized(),
        }
    }
}

/// `clops incident stats -o json`: the incidents declared since a moment, summed up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    #[serde(serialize_with = "stamp")]
    pub since: DateTime<Utc>,
    pub total: usize,
    pub open: usize,
    pub resolved: usize,
    /// Every severity, zero when none was declared, so tables and scripts see all four.
    pub by_severity: BTreeMap<Sev, usize>,
    /// Mean time from detection to acknowledgement; None without incidents.
    #[serde(rename = "mtta_s", serialize_with = "seconds")]
    pub mtta: Option<Duration>,
    /// Mean time from detection to resolution over the resolved ones; None when none is.
    #[serde(rename = "mttr_s", serialize_with = "seconds")]
    pub mttr: Option<Duration>,
}

fn stamp<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    Stamp(*t).serialize(s)
}

/// Whole seconds: what dashboards and `jq` expect of a duration.
fn seconds<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    d.map(|d| d.num_seconds()).serialize(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::incident::ActionKind;
    use crate::text::clean_text;
    use chrono::TimeZone;
    use proptest::prelude::*;
    use serde_json::Value;

    /// Cleans every string and key as an export once did after building its JSON: if
    /// this changes nothing, every field was cleaned where it was made.
    fn cleaned_again(v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(clean_text(s)),
            Value::Array(items) => Value::Array(items.iter().map(cleaned_again).collect()),
            Value::Object(map) => {
                let mut out = serde_json::Map::new();
                for (k, item) in map {
                    out.insert(clean_line(k), cleaned_again(item));
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    }

    /// Outside text at its worst: escapes, controls, line breaks of every kind, bidi
    /// overrides, joiners that stay (between emoji, between Persian letters) and that
    /// go, and anything at all.
    fn hostile() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            3 => "[a-z .:|<>-]{0,6}",
            1 => Just("\u{1b}[31m".to_string()),
            1 => Just("\u{1b}]52;c;aGk=\u{7}".to_string()),
            1 => Just("\r\n".to_string()),
            1 => Just("\r".to_string()),
            1 => Just("\n".to_string()),
            1 => Just("\t".to_string()),
            1 => Just("\u{85}\u{2028}\u{2029}".to_string()),
            1 => Just("\u{202e}\u{200b}\u{feff}".to_string()),
            1 => Just("👩\u{200d}💻".to_string()),
            1 => Just("\u{200d}".to_string()),
            1 => Just("می\u{200c}خواهم".to_string()),
            1 => Just("\u{9b}2J\u{9d}x".to_string()),
            1 => any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..6).prop_map(|p| p.concat())
    }

    fn timeline(t: &[String]) -> Vec<Event> {
        let at = |m: u32| Utc.with_ymd_and_hms(2026, 11, 21, 20, m, 0).unwrap();
        let alert = AttachedAlert {
            fingerprint: t[0].clone(),
            name: t[1].clone(),
            service: Some(t[2].clone()),
            severity: Some(t[3].clone()),
            starts_at: Some(at(0)),
            summary: t[4].clone(),
        };
        let changes = [
            Change::Declared {
                title: t[5].clone(),
                severity: Sev::Sev2,
                commander: t[6].clone(),
                services: vec![t[7].clone()],
                alerts: vec![alert.clone()],
                group: Some(t[8].clone()),
                started: None,
            },
            Change::RoleAssigned {
                role: t[9].clone(),
                who: t[10].clone(),
            },
            Change::Note {
                text: t[11].clone(),
            },
            Change::AlertAttached {
                alerts: vec![alert],
                group: None,
            },
            Change::ActionItem {
                text: t[12].clone(),
                owner: Some(t[13].clone()),
                kind: ActionKind::Process,
            },
            Change::RunbookStepFinished {
                runbook: t[14].clone(),
                step: t[15].clone(),
                exit_code: None,
                duration_ms: 5,
                output: t[16].clone(),
            },
        ];
        changes
            .into_iter()
            .enumerate()
            .map(|(i, change)| Event {
                seq: i as u64 + 1,
                at: at(i as u32 + 1),
                author: t[17].clone(),
                change,
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn every_string_of_the_timeline_is_cleaned_where_it_is_made(
            texts in prop::collection::vec(hostile(), 18),
        ) {
            let events = timeline(&texts);
            let incident = Incident::from_events("INC-1", &events).expect("declared first");
            let v = serde_json::to_value(Timeline::new(&incident, &events)).unwrap();
            prop_assert_eq!(cleaned_again(&v), v);
        }
    }
}
