//! `kind = "alertmanager"`: the Alertmanager API v2 of one cluster, whose peers are
//! the source's `urls`. Every peer is asked; the copies are merged by triage, so one
//! peer down hides nothing the other still has.
//!
//! A peer's alert list is read as it arrives, element by element, and never held whole
//! (a storm's list runs to tens of MiB a peer). Each element is digested (leaving out
//! what every resend changes) before it is parsed: one the last reply had gives the
//! alert it gave then, and when every element of every peer is what it was, the last
//! snapshot is sent again.

mod elements;
mod reply;

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use futures_util::future::join_all;
use serde::{Deserialize, Serialize};

use crate::model::{MatchOp, Matcher, NewSilence, Origin, Silence, SilenceState};

use super::http::{Endpoint, HttpClient, Streamed, json_error};
use super::{BoxFuture, Created, Extended, Silencer, Snapshot, Source, SourceError};
use crate::model::hash::{Digest, Digester};
use crate::text::clean_line;
use crate::text::time::{Style, Timestamp};
use reply::{Before, PeerAlerts, PeerReader, SharedTexts};

/// How long a silence may take to reach every peer by gossip before clops calls the
/// cluster split. Gossip normally takes well under a second.
const READ_BACK_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// One Alertmanager cluster.
pub struct AlertmanagerSource {
    name: String,
    client: HttpClient,
    peers: Vec<Endpoint>,
    /// What the last poll read and made, to recognise its replies when they come again.
    last: Mutex<Option<Arc<LastPoll>>>,
    /// How many alerts have been parsed (those a reply had before are not).
    parsed: AtomicU64,
}

/// What one poll read from each peer, and the snapshot it made of that.
struct LastPoll {
    replies: Vec<Reply>,
    /// What each peer's alert list made, in peer order.
    peers: Vec<PeerLast>,
    snapshot: Snapshot,
}

/// What one peer's alert list made in a poll.
#[derive(Default)]
struct PeerLast {
    /// Where its alerts are in the snapshot.
    alerts: Range<usize>,
    /// The digest of each element of its list, in order: one alert each.
    elements: Arc<[Digest]>,
}

impl LastPoll {
    /// What peer `i`'s list made, if it was read.
    fn before(&self, i: usize) -> Option<Before<'_>> {
        let peer = self.peers.get(i)?;
        match self.replies.get(i)? {
            Reply::Read { alerts, .. } => Some(Before {
                alerts: &self.snapshot.alerts[peer.alerts.clone()],
                elements: &peer.elements,
                digest: *alerts,
            }),
            Reply::Failed(_) => None,
        }
    }
}

/// What one peer answered, as far as telling it again goes.
#[derive(Debug, Clone, PartialEq)]
enum Reply {
    Read { alerts: Digest, silences: Digest },
    Failed(SourceError),
}

/// One peer's answer, read.
enum Read {
    Parsed {
        alerts: PeerAlerts,
        silences: Silences,
    },
    Failed(SourceError),
}

/// One peer's silences and the digest of their reply.
struct Silences {
    list: Vec<Silence>,
    digest: Digest,
}

#[derive(Deserialize)]
struct ApiReceiver {
    name: String,
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
            last: Mutex::new(None),
            parsed: AtomicU64::new(0),
        }
    }

    /// How many alerts this source has parsed so far: an alert whose element of the
    /// reply is what it was in the poll before is not parsed again.
    pub fn parsed_alerts(&self) -> u64 {
        self.parsed.load(Ordering::Relaxed)
    }

    /// Both replies of peer `i`: its alerts (active, silenced, inhibited and
    /// unprocessed alike) and its silences, each with its digest.
    async fn peer_replies(
        &self,
        i: usize,
        before: Option<Before<'_>>,
        texts: &SharedTexts,
    ) -> Result<((PeerAlerts, Digest), Silences), SourceError> {
        let peer = &self.peers[i];
        let (alerts, silences) = tokio::join!(
            self.read_alerts(peer, before, texts),
            self.client.get_body(peer, "api/v2/silences", 0)
        );
        let (alerts, silences) = (alerts?, silences?);
        let list = self.silences(peer, &silences.bytes)?;
        Ok((
            alerts,
            Silences {
                list,
                digest: silences.digest,
            },
        ))
    }

    /// Reads `peer`'s alert list as it arrives; `before` is what its last list made.
    async fn read_alerts(
        &self,
        peer: &Endpoint,
        before: Option<Before<'_>>,
        texts: &SharedTexts,
    ) -> Result<(PeerAlerts, Digest), SourceError> {
        let origin = Origin::new(&self.name, &peer.label);
        let expected = before.map_or(0, |b| b.elements.len());
        let mut reader = PeerReader::new(&origin, texts, before, expected);
        let read = self
            .client
            .get_pieces(peer, "api/v2/alerts", |piece| reader.feed(piece))
            .await;
        self.parsed
            .fetch_add(reader.parsed() as u64, Ordering::Relaxed);
        let unreadable = |e: reply::ReadError| json_error(peer, e.fault, e.line, e.column);
        match read {
            Ok(_) => {}
            Err(Streamed::Exchange(e)) => return Err(e),
            Err(Streamed::Reader(e)) => return Err(unreadable(e)),
        }
        reader.finish().map_err(unreadable)
    }

    fn silences(&self, peer: &Endpoint, body: &[u8]) -> Result<Vec<Silence>, SourceError> {
        let api: Vec<ApiSilence> = super::http::decode(peer, body)?;
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
            let last = self
                .last
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .clone();
            let texts = SharedTexts::new(last.as_ref().map(|l| l.snapshot.alerts.clone()));
            let answers = join_all((0..self.peers.len()).map(|i| {
                let (last, texts) = (last.as_deref(), &texts);
                async move {
                    let before = last.and_then(|l| l.before(i));
                    match self.peer_replies(i, before, texts).await {
                        Ok(((alerts, digest), silences)) => (
                            Reply::Read {
                                alerts: digest,
                                silences: silences.digest,
                            },
                            Read::Parsed { alerts, silences },
                        ),
                        Err(e) => {
                            tracing::warn!(source = %self.name, peer = %self.peers[i].label, error = %e, "peer failed");
                            (Reply::Failed(e.clone()), Read::Failed(e))
                        }
                    }
                }
            }))
            .await;
            drop(texts);
            let (replies, reads): (Vec<Reply>, Vec<Read>) = answers.into_iter().unzip();
            if let Some(last) = &last
                && last.replies == replies
            {
                return Ok(Snapshot {
                    taken_at: Utc::now(),
                    ..last.snapshot.clone()
                });
            }
            let (snapshot, peers) = self.merge(&replies, reads, last.as_deref())?;
            *self
                .last
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Arc::new(LastPoll {
                replies,
                peers,
                snapshot: snapshot.clone(),
            }));
            Ok(snapshot)
        })
    }

    fn silencer(&self) -> Option<&dyn Silencer> {
        Some(self)
    }
}

impl AlertmanagerSource {
    /// One snapshot of every peer's alerts and silences, and where each peer's alerts
    /// are in it. A peer whose list is what it was lends the last snapshot's alerts.
    fn merge(
        &self,
        replies: &[Reply],
        reads: Vec<Read>,
        last: Option<&LastPoll>,
    ) -> Result<(Snapshot, Vec<PeerLast>), SourceError> {
        let mut digester = Digester::new();
        for reply in replies {
            match reply {
                Reply::Read { alerts, silences } => {
                    digester.update(b"ok");
                    digester.update(&alerts.0.to_le_bytes());
                    digester.update(&silences.0.to_le_bytes());
                }
                Reply::Failed(e) => {
                    digester.update(b"failed");
                    digester.field(e.to_string().as_bytes());
                }
            }
        }
        let total: usize = reads
            .iter()
            .enumerate()
            .map(|(i, read)| match read {
                Read::Parsed {
                    alerts: PeerAlerts::Read { alerts, .. },
                    ..
                } => alerts.len(),
                Read::Parsed { .. } => last.and_then(|l| l.before(i)).map_or(0, |b| b.alerts.len()),
                Read::Failed(_) => 0,
            })
            .sum();
        let mut alerts = Vec::with_capacity(total);
        let mut peers = Vec::with_capacity(reads.len());
        let mut errors = Vec::new();
        let mut silences: Vec<Silence> = Vec::new();
        for (i, read) in reads.into_iter().enumerate() {
            match read {
                Read::Parsed {
                    alerts: theirs,
                    silences: their_silences,
                } => {
                    let start = alerts.len();
                    let elements = match theirs {
                        PeerAlerts::Read {
                            alerts: mut read,
                            elements,
                        } => {
                            alerts.append(&mut read);
                            elements.into()
                        }
                        PeerAlerts::Same => {
                            let (before, last) = last
                                .and_then(|l| Some((l.before(i)?, l)))
                                .expect("a list is the same only as a last one");
                            alerts.extend_from_slice(before.alerts);
                            last.peers[i].elements.clone()
                        }
                    };
                    peers.push(PeerLast {
                        alerts: start..alerts.len(),
                        elements,
                    });
                    for s in their_silences.list {
                        if !silences.iter().any(|k| k.id == s.id) {
                            silences.push(s);
                        }
                    }
                }
                Read::Failed(e) => {
                    peers.push(PeerLast::default());
                    errors.push(e);
                }
            }
        }
        if errors.len() == self.peers.len() {
            return Err(combine(errors));
        }
        let snapshot = Snapshot {
            taken_at: Utc::now(),
            alerts: Arc::new(alerts),
            silences,
            partial_errors: errors.iter().map(ToString::to_string).collect(),
            digest: Some(digester.digest()),
            ..Snapshot::default()
        };
        Ok((snapshot, peers))
    }
}

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
                            Style::Config.format(READ_BACK_WAIT)
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
            Timestamp::Rfc3339.format(stored.ends_at),
            Timestamp::Rfc3339.format(asked.ends_at)
        ));
    }
    if stored.starts_at >= stored.ends_at {
        out.push(format!(
            "starts at {}, not before its end",
            Timestamp::Rfc3339.format(stored.starts_at)
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
                    Timestamp::Rfc3339.format(old.ends_at)
                )));
            }
            let until = old.ends_at + by;
            if until <= Utc::now().max(old.starts_at) {
                return Err(SourceError::Other(format!(
                    "silence {} would end at {}, which has passed: give a longer duration",
                    clean_line(&id),
                    Timestamp::Rfc3339.format(until)
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
