//! `kind = "alertmanager"`: the Alertmanager API v2 of one cluster, whose peers are
//! the source's `urls`. Every peer is asked; the copies are merged by triage, so one
//! peer down hides nothing the other still has.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use futures_util::future::join_all;
use serde::{Deserialize, Serialize};

use crate::model::text::clean_line;
use crate::model::{
    Alert, AlertState, MatchOp, Matcher, NewSilence, Origin, Silence, SilenceState,
};

use super::http::{Endpoint, HttpClient};
use super::{BoxFuture, Silencer, Snapshot, Source, SourceError};

/// One Alertmanager cluster.
pub struct AlertmanagerSource {
    name: String,
    client: HttpClient,
    peers: Vec<Endpoint>,
}

#[derive(Deserialize)]
struct ApiAlert {
    labels: BTreeMap<String, String>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
    #[serde(rename = "startsAt")]
    starts_at: DateTime<Utc>,
    #[serde(default)]
    receivers: Vec<ApiReceiver>,
    status: ApiAlertStatus,
    #[serde(rename = "generatorURL", default)]
    generator_url: Option<String>,
}

#[derive(Deserialize)]
struct ApiReceiver {
    name: String,
}

#[derive(Deserialize)]
struct ApiAlertStatus {
    state: String,
    #[serde(rename = "silencedBy", default)]
    silenced_by: Vec<String>,
    #[serde(rename = "inhibitedBy", default)]
    inhibited_by: Vec<String>,
}

#[derive(Deserialize, Serialize)]
struct ApiMatcher {
    name: String,
    value: String,
    #[serde(rename = "isRegex")]
    is_regex: bool,
    #[serde(rename = "isEqual", default = "yes")]
    is_equal: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct ApiSilence {
    id: String,
    status: ApiSilenceStatus,
    matchers: Vec<ApiMatcher>,
    #[serde(rename = "startsAt")]
    starts_at: DateTime<Utc>,
    #[serde(rename = "endsAt")]
    ends_at: DateTime<Utc>,
    #[serde(rename = "createdBy", default)]
    created_by: String,
    #[serde(default)]
    comment: String,
}

#[derive(Deserialize)]
struct ApiSilenceStatus {
    state: String,
}

#[derive(Serialize)]
struct PostableSilence<'a> {
    matchers: Vec<ApiMatcher>,
    #[serde(rename = "startsAt")]
    starts_at: DateTime<Utc>,
    #[serde(rename = "endsAt")]
    ends_at: DateTime<Utc>,
    #[serde(rename = "createdBy")]
    created_by: &'a str,
    comment: &'a str,
}

#[derive(Deserialize)]
struct SilenceCreated {
    #[serde(rename = "silenceID")]
    silence_id: String,
}

/// An Alertmanager routing group: the labels it groups by and where it sends.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteGroup {
    pub labels: BTreeMap<String, String>,
    pub receiver: String,
    /// Fingerprints of the group's alerts, as Alertmanager reports them.
    pub fingerprints: Vec<String>,
}

#[derive(Deserialize)]
struct ApiGroup {
    labels: BTreeMap<String, String>,
    receiver: ApiReceiver,
    alerts: Vec<ApiGroupAlert>,
}

#[derive(Deserialize)]
struct ApiGroupAlert {
    fingerprint: String,
}

impl AlertmanagerSource {
    /// The cluster called `name`, reached at `peers`.
    pub fn new(name: &str, client: HttpClient, peers: Vec<Endpoint>) -> AlertmanagerSource {
        AlertmanagerSource {
            name: name.to_string(),
            client,
            peers,
        }
    }

    /// Alerts (active, silenced, inhibited and unprocessed alike) of one peer.
    async fn peer_alerts(&self, peer: &Endpoint) -> Result<Vec<ApiAlert>, SourceError> {
        self.client.get_json(peer, "api/v2/alerts", &[]).await
    }

    async fn peer_silences(&self, peer: &Endpoint) -> Result<Vec<Silence>, SourceError> {
        let api: Vec<ApiSilence> = self.client.get_json(peer, "api/v2/silences", &[]).await?;
        Ok(api
            .into_iter()
            .map(|s| Silence {
                id: clean_line(&s.id),
                source: self.name.clone(),
                matchers: s.matchers.iter().filter_map(from_api_matcher).collect(),
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                created_by: clean_line(&s.created_by),
                comment: clean_line(&s.comment),
                state: SilenceState::parse(&s.status.state),
            })
            .collect())
    }

    /// Alertmanager's own routing groups, from the first peer that answers.
    pub async fn route_groups(&self) -> Result<Vec<RouteGroup>, SourceError> {
        let mut last = None;
        for peer in &self.peers {
            match self
                .client
                .get_json::<Vec<ApiGroup>>(peer, "api/v2/alerts/groups", &[])
                .await
            {
                Ok(groups) => {
                    return Ok(groups
                        .into_iter()
                        .map(|g| RouteGroup {
                            labels: g
                                .labels
                                .into_iter()
                                .map(|(k, v)| (clean_line(&k), clean_line(&v)))
                                .collect(),
                            receiver: clean_line(&g.receiver.name),
                            fingerprints: g
                                .alerts
                                .into_iter()
                                .map(|a| clean_line(&a.fingerprint))
                                .collect(),
                        })
                        .collect());
                }
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| SourceError::Other("no peers configured".into())))
    }
}

/// Turns peers' answers into alerts. Peers of a cluster report the same alerts; a copy
/// seen before shares the first one's labels and annotations instead of holding its
/// own, which halves what an HA pair costs in memory.
#[derive(Default)]
struct Copies {
    first: std::collections::HashMap<crate::model::Fingerprint, Alert>,
}

impl Copies {
    fn convert(&mut self, a: ApiAlert, origin: &Origin) -> Alert {
        let fingerprint = crate::model::alert::fingerprint_pairs(
            a.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
        let same = |set: &crate::model::LabelSet, map: &BTreeMap<String, String>| {
            set.iter()
                .eq(map.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        };
        if let Some(seen) = self.first.get(&fingerprint)
            && same(&seen.labels, &a.labels)
            && same(&seen.annotations, &a.annotations)
        {
            let mut copy = seen.clone();
            copy.seen_at(origin);
            fill_status(&mut copy, a);
            return copy;
        }
        let alert = to_alert(a, origin);
        self.first.insert(alert.fingerprint, alert.clone());
        alert
    }
}

fn to_alert(mut a: ApiAlert, origin: &Origin) -> Alert {
    let labels = std::mem::take(&mut a.labels);
    let annotations = std::mem::take(&mut a.annotations);
    let mut alert = Alert::new(labels, annotations, AlertState::Active, a.starts_at, origin);
    fill_status(&mut alert, a);
    alert
}

/// What differs between peers' copies: state, start, suppression, routing.
fn fill_status(alert: &mut Alert, a: ApiAlert) {
    alert.state = match a.status.state.as_str() {
        "active" => AlertState::Active,
        "suppressed" => AlertState::Suppressed,
        _ => AlertState::Unprocessed,
    };
    alert.starts_at = a.starts_at;
    alert.generator_url = a
        .generator_url
        .filter(|u| !u.is_empty())
        .map(|u| clean_line(&u).into());
    alert.silenced_by = a.status.silenced_by.iter().map(|s| clean_line(s)).collect();
    alert.inhibited_by = a
        .status
        .inhibited_by
        .iter()
        .map(|s| clean_line(s))
        .collect();
    alert.receivers = a.receivers.iter().map(|r| clean_line(&r.name)).collect();
}

/// A stored matcher as Alertmanager returns it, value byte for byte: what is shown is
/// sanitized where it is drawn, what is compared must be what is stored.
fn from_api_matcher(m: &ApiMatcher) -> Option<Matcher> {
    Matcher::new(
        &m.name,
        MatchOp::from_flags(m.is_regex, m.is_equal),
        &m.value,
    )
    .ok()
}

fn to_api_matcher(m: &Matcher) -> ApiMatcher {
    ApiMatcher {
        name: m.name.clone(),
        value: m.value.clone(),
        is_regex: m.op.is_regex(),
        is_equal: m.op.is_equal(),
    }
}

impl Source for AlertmanagerSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> &str {
        "alertmanager"
    }

    fn fetch(&self) -> BoxFuture<'_, Result<Snapshot, SourceError>> {
        Box::pin(async move {
            let answers = join_all(self.peers.iter().map(|peer| async move {
                let (alerts, silences) =
                    tokio::join!(self.peer_alerts(peer), self.peer_silences(peer));
                (peer, alerts.and_then(|a| silences.map(|s| (a, s))))
            }))
            .await;
            let mut snapshot = Snapshot {
                taken_at: Utc::now(),
                ..Snapshot::default()
            };
            let mut errors = Vec::new();
            let mut copies = Copies::default();
            for (peer, answer) in answers {
                match answer {
                    Ok((alerts, silences)) => {
                        let origin = Origin::new(&self.name, &peer.label);
                        for a in alerts {
                            snapshot.alerts.push(copies.convert(a, &origin));
                        }
                        for s in silences {
                            if !snapshot.silences.iter().any(|k| k.id == s.id) {
                                snapshot.silences.push(s);
                            }
                        }
                    }
                    Err(e) => {
                        tracing::warn!(source = %self.name, peer = %peer.label, error = %e, "peer failed");
                        errors.push(e);
                    }
                }
            }
            if errors.len() == self.peers.len() {
                return Err(combine(errors));
            }
            snapshot.partial_errors = errors.iter().map(ToString::to_string).collect();
            Ok(snapshot)
        })
    }

    fn silencer(&self) -> Option<&dyn Silencer> {
        Some(self)
    }
}

/// Every peer failed: one error naming each.
fn combine(mut errors: Vec<SourceError>) -> SourceError {
    if errors.len() == 1 {
        return errors.remove(0);
    }
    SourceError::Other(
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
    )
}

impl Silencer for AlertmanagerSource {
    fn create(&self, silence: NewSilence) -> BoxFuture<'_, Result<String, SourceError>> {
        Box::pin(async move {
            let body = PostableSilence {
                matchers: silence.matchers.iter().map(to_api_matcher).collect(),
                starts_at: silence.starts_at,
                ends_at: silence.ends_at,
                created_by: &silence.created_by,
                comment: &silence.comment,
            };
            // Any one peer will do: the cluster gossips silences to the others.
            let mut errors = Vec::new();
            for peer in &self.peers {
                match self
                    .client
                    .post_json::<_, SilenceCreated>(peer, "api/v2/silences", &body)
                    .await
                {
                    Ok(created) => return Ok(clean_line(&created.silence_id)),
                    Err(e) => errors.push(e),
                }
            }
            Err(combine(errors))
        })
    }

    fn expire(&self, id: &str) -> BoxFuture<'_, Result<(), SourceError>> {
        let id = id.to_string();
        Box::pin(async move {
            // Ids are UUIDs; anything else must not reach the URL path.
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(SourceError::Other(format!(
                    "`{}` is not a silence id",
                    clean_line(&id)
                )));
            }
            let mut errors = Vec::new();
            for peer in &self.peers {
                match self
                    .client
                    .delete(peer, &format!("api/v2/silence/{id}"))
                    .await
                {
                    Ok(()) => return Ok(()),
                    Err(e) => errors.push(e),
                }
            }
            Err(combine(errors))
        })
    }
}
