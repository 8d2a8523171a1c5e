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
use super::{BoxFuture, Created, Extended, Silencer, Snapshot, Source, SourceError};

/// How long a silence may take to reach every peer by gossip before clops calls the
/// cluster split. Gossip normally takes well under a second.
const READ_BACK_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

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

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
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
    /// Set to change an existing silence.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
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
            && same(seen.matched_labels(), &a.labels)
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

impl AlertmanagerSource {
    /// What the first peer that answers says to `ask`; every peer's error otherwise.
    /// Any one peer will do for silences: the cluster gossips them to the others.
    async fn first_peer<'a, T, F>(
        &'a self,
        ask: impl Fn(&'a Endpoint) -> F,
    ) -> Result<T, SourceError>
    where
        F: std::future::Future<Output = Result<T, SourceError>>,
    {
        let mut errors = Vec::new();
        for peer in &self.peers {
            match ask(peer).await {
                Ok(answer) => return Ok(answer),
                Err(e) => errors.push(e),
            }
        }
        Err(combine(errors))
    }

    /// Posts `body` to the first peer that takes it: the id Alertmanager gave.
    async fn post_silence(&self, body: &PostableSilence<'_>) -> Result<String, SourceError> {
        self.first_peer(|peer| {
            self.client
                .post_json::<_, SilenceCreated>(peer, "api/v2/silences", body)
        })
        .await
        .map(|created| created.silence_id)
    }

    /// Reads silence `id` back from every peer and checks each holds exactly `asked`.
    /// A peer that holds something else, or never shows it while it answers, is an
    /// error; a peer that cannot be reached at all is noted (it gets the silence
    /// when it rejoins).
    async fn read_back(
        &self,
        id: &str,
        asked: &PostableSilence<'_>,
    ) -> Result<Vec<String>, Unconfirmed> {
        let shown = clean_line(id);
        let path = format!("api/v2/silence/{id}");
        let deadline = tokio::time::Instant::now() + READ_BACK_WAIT;
        let mut unchecked = Vec::new();
        for peer in &self.peers {
            loop {
                match self.client.get_json::<ApiSilence>(peer, &path, &[]).await {
                    Ok(stored) => {
                        let differences = differences(&stored, asked);
                        if differences.is_empty() {
                            break;
                        }
                        // A peer may still hold the version before a change, until
                        // gossip brings the new one.
                        if tokio::time::Instant::now() < deadline {
                            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                            continue;
                        }
                        return Err(Unconfirmed::StoredWrong(format!(
                            "silence {shown} as {} stores it is not what was asked: {}",
                            peer.label,
                            differences.join("; ")
                        )));
                    }
                    Err(SourceError::Http { status: 404, .. })
                        if tokio::time::Instant::now() < deadline =>
                    {
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    }
                    Err(SourceError::Http { status: 404, .. }) => {
                        return Err(Unconfirmed::NotShown(format!(
                            "silence {shown} was created, but {} still does not have it after {}: the cluster may be split (check its peers)",
                            peer.label,
                            crate::config::format_duration(READ_BACK_WAIT)
                        )));
                    }
                    Err(e) => {
                        unchecked.push(format!("{} could not be asked ({e})", peer.label));
                        break;
                    }
                }
            }
        }
        if unchecked.len() == self.peers.len() {
            return Err(Unconfirmed::NotShown(format!(
                "silence {shown} was created, but no peer could be asked for it: {}",
                unchecked.join("; ")
            )));
        }
        Ok(unchecked)
    }

    /// Creates or changes a silence and reads it back. A new silence that is stored
    /// wrong is expired at once rather than left to silence what nobody asked for; a
    /// changed one is left as it is (it was silencing before) and the error says so.
    async fn set_silence(&self, body: PostableSilence<'_>) -> Result<Created, SourceError> {
        let id = self.post_silence(&body).await?;
        match self.read_back(&id, &body).await {
            Ok(unchecked) => Ok(Created {
                id: clean_line(&id),
                unchecked,
            }),
            Err(Unconfirmed::StoredWrong(e) | Unconfirmed::NotShown(e)) if body.id.is_some() => {
                Err(SourceError::Other(format!(
                    "{e}; it was left as it is: check it with `clops silence list`"
                )))
            }
            Err(Unconfirmed::StoredWrong(e)) => {
                let undone = match self.expire_now(&id).await {
                    Ok(()) => "it was expired again".to_string(),
                    Err(x) => format!("expiring it failed too ({x}): expire it by hand"),
                };
                Err(SourceError::Other(format!("{e}; {undone}")))
            }
            Err(Unconfirmed::NotShown(e)) => Err(SourceError::Other(e)),
        }
    }

    async fn expire_now(&self, id: &str) -> Result<(), SourceError> {
        let path = format!("api/v2/silence/{id}");
        self.first_peer(|peer| self.client.delete(peer, &path))
            .await
    }

    /// Silence `id` from the first peer that has it.
    async fn silence(&self, id: &str) -> Result<ApiSilence, SourceError> {
        let path = format!("api/v2/silence/{id}");
        self.first_peer(|peer| self.client.get_json(peer, &path, &[]))
            .await
    }
}

/// Why a silence did not read back as asked.
enum Unconfirmed {
    /// A peer holds other matchers, end, author or comment than were asked.
    StoredWrong(String),
    /// A peer that answers never showed it, or no peer could be asked.
    NotShown(String),
}

/// Where a stored silence differs from what was asked; empty when it is the same.
/// Alertmanager moves a start in the past to now, so the start may be later, never
/// past the end.
fn differences(stored: &ApiSilence, asked: &PostableSilence<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let mut have = stored.matchers.clone();
    let mut want = asked.matchers.clone();
    have.sort();
    want.sort();
    if have != want {
        let show = |ms: &[ApiMatcher]| {
            ms.iter()
                .filter_map(from_api_matcher)
                .map(|m| clean_line(&m.to_string()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push(format!(
            "matchers {{{}}} instead of {{{}}}",
            show(&have),
            show(&want)
        ));
    }
    let millis = |t: DateTime<Utc>| t.timestamp_millis();
    if millis(stored.ends_at) != millis(asked.ends_at) {
        out.push(format!(
            "ends at {} instead of {}",
            crate::report::timestamp(stored.ends_at),
            crate::report::timestamp(asked.ends_at)
        ));
    }
    if stored.starts_at >= stored.ends_at {
        out.push(format!(
            "starts at {}, not before its end",
            crate::report::timestamp(stored.starts_at)
        ));
    }
    if stored.created_by != asked.created_by {
        out.push(format!(
            "created by `{}` instead of `{}`",
            clean_line(&stored.created_by),
            clean_line(asked.created_by)
        ));
    }
    if stored.comment != asked.comment {
        out.push(format!(
            "comment `{}` instead of `{}`",
            clean_line(&stored.comment),
            clean_line(asked.comment)
        ));
    }
    if stored.status.state == "expired" {
        out.push("it is expired".into());
    }
    out
}

/// Ids are UUIDs; anything else must not reach the URL path.
fn check_id(id: &str) -> Result<(), SourceError> {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(SourceError::Other(format!(
            "`{}` is not a silence id",
            clean_line(id)
        )));
    }
    Ok(())
}

impl Silencer for AlertmanagerSource {
    fn create(&self, silence: NewSilence) -> BoxFuture<'_, Result<Created, SourceError>> {
        Box::pin(async move {
            let body = PostableSilence {
                id: None,
                matchers: silence.matchers.iter().map(to_api_matcher).collect(),
                starts_at: silence.starts_at,
                ends_at: silence.ends_at,
                created_by: &silence.created_by,
                comment: &silence.comment,
            };
            self.set_silence(body).await
        })
    }

    fn expire(&self, id: &str) -> BoxFuture<'_, Result<(), SourceError>> {
        let id = id.to_string();
        Box::pin(async move {
            check_id(&id)?;
            self.expire_now(&id).await
        })
    }

    fn extend(
        &self,
        id: &str,
        by: chrono::Duration,
    ) -> BoxFuture<'_, Result<Extended, SourceError>> {
        let id = id.to_string();
        Box::pin(async move {
            check_id(&id)?;
            let old = self.silence(&id).await?;
            if old.status.state == "expired" {
                return Err(SourceError::Other(format!(
                    "silence {} expired at {}: create a new one with `clops silence add`",
                    clean_line(&id),
                    crate::report::timestamp(old.ends_at)
                )));
            }
            let until = old.ends_at + by;
            if until <= Utc::now().max(old.starts_at) {
                return Err(SourceError::Other(format!(
                    "silence {} would end at {}, which has passed: give a longer duration",
                    clean_line(&id),
                    crate::report::timestamp(until)
                )));
            }
            // Same matchers and start: Alertmanager changes an active silence in
            // place, or gives it a new id when it cannot.
            let body = PostableSilence {
                id: Some(&id),
                matchers: old.matchers.clone(),
                starts_at: old.starts_at,
                ends_at: until,
                created_by: &old.created_by,
                comment: &old.comment,
            };
            let created = self.set_silence(body).await?;
            Ok(Extended {
                created,
                was_until: old.ends_at,
                until,
            })
        })
    }
}
