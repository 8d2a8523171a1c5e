//! Building the configured sources, and keeping the latest result of each.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::config::{SourceConfig, SourceKind};
use crate::model::{Health, Latest, SourceStatus};
use crate::redact;

use crate::secrets::{self, Keyring, SecretError};
use crate::text::clean_line;

use super::alertmanager::AlertmanagerSource;
use super::catalog::CatalogSource;
use super::deferred::Deferred;
use super::demo::{DemoOptions, DemoSource, Scenario, SimClock, World};
use super::http::{ClientError, Credentials, Endpoint, HttpClient, HttpSettings, UrlError};
use super::prometheus::{PromClient, PrometheusSource};
use super::{BoxFuture, PollSettings, Snapshot, Source, SourceError, SourceUpdate};

/// A configured source, ready to poll.
pub struct Configured {
    pub source: Arc<dyn Source>,
    pub poll: PollSettings,
}

/// Scenario name, seed and speed (as bits): demo sources alike in these share a world.
type WorldKey = (&'static str, u64, u64);

/// Builds every `[[sources]]` entry. An HTTP source finds its token through the
/// secrets chain on its first poll, not here: nothing waits on a token_command before
/// the console's first frame. Demo sources with the same scenario, seed and speed
/// share one simulated world. A source that cannot be built still appears, failing
/// with why.
pub fn build_sources(configs: &[SourceConfig], keyring: Arc<dyn Keyring>) -> Vec<Configured> {
    build_sources_placed(configs, &BTreeMap::new(), keyring)
}

/// [`build_sources`], the deploys of deploy sources given their clusters by each
/// source's `clusters` and by `environments` (`[environments]`).
pub fn build_sources_placed(
    configs: &[SourceConfig],
    environments: &BTreeMap<String, Vec<String>>,
    keyring: Arc<dyn Keyring>,
) -> Vec<Configured> {
    let environments = Arc::new(environments.clone());
    let env = |var: &str| std::env::var(var).ok();
    let mut worlds: HashMap<WorldKey, (Arc<World>, Arc<SimClock>)> = HashMap::new();
    configs
        .iter()
        .map(|c| {
            let source: Arc<dyn Source> = match c.kind {
                SourceKind::Demo => {
                    let defaults = DemoOptions::default();
                    let scenario = c
                        .scenario
                        .as_deref()
                        .and_then(Scenario::from_name)
                        .unwrap_or(defaults.scenario);
                    let seed = c.seed.unwrap_or(defaults.seed);
                    let speed = c.speed.unwrap_or(defaults.speed);
                    let (world, clock) = worlds
                        .entry((scenario.name(), seed, speed.to_bits()))
                        .or_insert_with(|| {
                            let world = Arc::new(World::new(scenario, seed));
                            let clock = Arc::new(SimClock::running(&world, speed));
                            (world, clock)
                        })
                        .clone();
                    Arc::new(DemoSource::new(&c.name, world, clock, c.cluster.as_deref()))
                }
                SourceKind::Alertmanager | SourceKind::Prometheus | SourceKind::Jaeger => {
                    Arc::new(Deferred::new(c.clone(), keyring.clone(), http_source))
                }
                SourceKind::Catalog => Arc::new(CatalogSource::new(
                    &c.name,
                    c.path.clone().unwrap_or_default(),
                )),
                // A local command has no token to find.
                kind if kind.is_deploys() && kind != SourceKind::Command => Arc::new(
                    Deferred::new(c.clone(), keyring.clone(), super::deploys::build),
                ),
                kind if kind.is_deploys() => match super::deploys::build(c, &env, &*keyring) {
                    Ok(s) => s,
                    Err(reason) => Arc::new(Unbuildable {
                        name: c.name.clone(),
                        kind,
                        error: SourceError::Other(reason.to_string()),
                    }),
                },
                kind => Arc::new(Unbuildable {
                    name: c.name.clone(),
                    kind,
                    error: SourceError::NotAvailable(format!(
                        "clops cannot read {} sources in this version",
                        kind.as_str()
                    )),
                }),
            };
            let source = if c.kind.is_deploys() {
                let placement = super::deploys::Placement {
                    clusters: c.clusters.clone(),
                    environments: environments.clone(),
                };
                super::deploys::Placed::wrap(source, placement)
            } else {
                source
            };
            let fetch_timeout = if c.kind.is_deploys() {
                super::deploys::fetch_timeout(c)
            } else {
                c.request_timeout()
            };
            Configured {
                source,
                poll: PollSettings::new(c.poll_interval(), fetch_timeout),
            }
        })
        .collect()
}

/// Why a source's HTTP settings cannot be made: its credentials.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(transparent)]
    Token(#[from] SecretError),
    #[error(
        "source {name}: username `{username}` is set but no password was found ({} / keyring / token_command / token_file)",
        secrets::env_var(.name)
    )]
    NoPassword { name: String, username: String },
}

/// Why a configured source cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Url(#[from] UrlError),
    #[error("source {name}: set `url` to Jaeger's query service")]
    NoJaegerUrl { name: String },
    #[error("{} does not report deploys", .kind.as_str())]
    NotDeploys { kind: SourceKind },
}

/// The HTTP settings of a source: timeout, CA, headers and credentials.
pub fn http_settings(
    c: &SourceConfig,
    env: &dyn Fn(&str) -> Option<String>,
    keyring: &dyn Keyring,
) -> Result<HttpSettings, SettingsError> {
    let token = secrets::lookup(c, env, keyring)?.token;
    let credentials = match (&c.username, token) {
        (Some(user), Some(t)) => Credentials::Basic {
            username: user.clone(),
            password: t.secret,
        },
        (Some(user), None) => {
            return Err(SettingsError::NoPassword {
                name: c.name.clone(),
                username: user.clone(),
            });
        }
        (None, Some(t)) => Credentials::Bearer(t.secret),
        (None, None) => Credentials::None,
    };
    Ok(HttpSettings {
        timeout: c.request_timeout(),
        credentials,
        headers: c
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        ca_file: c.ca_file.clone(),
    })
}

fn http_source(
    c: &SourceConfig,
    env: &dyn Fn(&str) -> Option<String>,
    keyring: &dyn Keyring,
) -> Result<Arc<dyn Source>, BuildError> {
    let client = HttpClient::new(&http_settings(c, env, keyring)?)?;
    let endpoints = c
        .endpoints()
        .iter()
        .map(|u| Endpoint::parse(u))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(match c.kind {
        SourceKind::Prometheus => Arc::new(
            PrometheusSource::new(
                &c.name,
                endpoints
                    .into_iter()
                    .map(|e| PromClient::new(client.clone(), e))
                    .collect(),
            )
            .with_service_graph(c.service_graph),
        ),
        SourceKind::Jaeger => {
            let endpoint = endpoints
                .into_iter()
                .next()
                .ok_or_else(|| BuildError::NoJaegerUrl {
                    name: c.name.clone(),
                })?;
            Arc::new(super::jaeger::JaegerSource::new(&c.name, client, endpoint))
        }
        _ => Arc::new(AlertmanagerSource::new(&c.name, client, endpoints)),
    })
}

/// A source that cannot work as configured (a kind not built yet): every poll says why.
struct Unbuildable {
    name: String,
    kind: SourceKind,
    error: SourceError,
}

impl Source for Unbuildable {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> &str {
        self.kind.as_str()
    }

    fn fetch(&self) -> BoxFuture<'_, Result<Snapshot, SourceError>> {
        let error = self.error.clone();
        Box::pin(async move { Err(error) })
    }
}

/// The latest result of one source.
#[derive(Debug, Clone)]
pub struct SourceEntry {
    pub name: String,
    pub kind: String,
    /// The last snapshot that arrived whole; kept while the source fails.
    pub last_good: Option<Snapshot>,
    /// Why the last attempt failed, if it did.
    pub last_error: Option<SourceError>,
    pub last_attempt: Option<DateTime<Utc>>,
    /// Finding its token before its first answer.
    pub authenticating: bool,
}

/// The latest result of every source, in configured order.
#[derive(Debug, Clone, Default)]
pub struct SourceSet {
    entries: Vec<SourceEntry>,
}

impl SourceSet {
    /// A set expecting results from these (name, kind) sources.
    pub fn new<'a>(sources: impl IntoIterator<Item = (&'a str, &'a str)>) -> SourceSet {
        SourceSet {
            entries: sources
                .into_iter()
                .map(|(name, kind)| SourceEntry {
                    name: name.into(),
                    kind: kind.into(),
                    last_good: None,
                    last_error: None,
                    last_attempt: None,
                    authenticating: false,
                })
                .collect(),
        }
    }

    /// Marks source `name` as finding its token: `authenticating` until its first answer.
    pub fn authenticating(&mut self, name: &str) {
        if let Some(entry) = self.entries.iter_mut().find(|e| e.name == name) {
            entry.authenticating = true;
        }
    }

    /// Records one poll result. Returns true when what the console shows changed.
    pub fn apply(&mut self, update: SourceUpdate) -> bool {
        let Some(entry) = self.entries.iter_mut().find(|e| e.name == update.source) else {
            return false;
        };
        entry.last_attempt = Some(update.at);
        entry.authenticating = false;
        match update.result {
            Ok(snapshot) => {
                let was_failing = entry.last_error.take().is_some();
                match &mut entry.last_good {
                    // The source vouches by digest that this is the data it sent last:
                    // keep what is held (the new copy shares it, so dropping that is
                    // cheap) and only note when it was taken.
                    Some(old) if old.digest.is_some() && old.digest == snapshot.digest => {
                        old.taken_at = snapshot.taken_at;
                        was_failing
                    }
                    old => {
                        let same_data = old.as_ref().is_some_and(|old| old.same_data(&snapshot));
                        *old = Some(snapshot);
                        !same_data || was_failing
                    }
                }
            }
            Err(error) => {
                let changed = entry.last_error.as_ref() != Some(&error);
                entry.last_error = Some(error);
                changed
            }
        }
    }

    /// Every source's entry.
    pub fn entries(&self) -> &[SourceEntry] {
        &self.entries
    }

    /// The data to show: the last good snapshot of each source that has one.
    pub fn snapshots(&self) -> impl Iterator<Item = &Snapshot> {
        self.entries.iter().filter_map(|e| e.last_good.as_ref())
    }

    /// What triage reads: every last good snapshot and every source's health.
    pub fn latest(&self) -> Latest<'_> {
        Latest {
            snapshots: self.snapshots().collect(),
            statuses: self.statuses(),
        }
    }

    /// Health of each source for the status bar and JSON.
    pub fn statuses(&self) -> Vec<SourceStatus> {
        self.entries
            .iter()
            .map(|e| {
                let status = match (&e.last_error, &e.last_good) {
                    (None, Some(_)) => Health::Ok,
                    (Some(_), Some(_)) => Health::Stale,
                    (Some(_), None) => Health::Down,
                    (None, None) if e.authenticating => Health::Authenticating,
                    (None, None) => Health::Waiting,
                };
                let partial = e
                    .last_good
                    .as_ref()
                    .filter(|_| e.last_error.is_none())
                    .map(|s| s.partial_errors.join("; "))
                    .filter(|s| !s.is_empty());
                SourceStatus {
                    name: e.name.clone(),
                    kind: e.kind.clone(),
                    status,
                    // Sources promise clean messages without secrets; this holds
                    // them to it for the screen, stderr and JSON alike.
                    error: e
                        .last_error
                        .as_ref()
                        .map(|err| err.to_string())
                        .or(partial)
                        .map(|text| redact::scrubbed(&clean_line(&text))),
                    data_at: e.last_good.as_ref().map(|s| s.taken_at),
                    rules: e
                        .last_good
                        .as_ref()
                        .map(|s| s.rules.clone())
                        .unwrap_or_default(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(source: &str, result: Result<Snapshot, SourceError>) -> SourceUpdate {
        SourceUpdate {
            source: source.into(),
            at: Utc::now(),
            result,
        }
    }

    #[test]
    fn failure_keeps_the_last_good_data_and_marks_it_stale() {
        let mut set = SourceSet::new([("eu", "demo")]);
        assert_eq!(set.statuses()[0].status, Health::Waiting);
        assert!(set.apply(update("eu", Ok(Snapshot::default()))));
        assert_eq!(set.statuses()[0].status, Health::Ok);
        // The same data again changes nothing on screen.
        assert!(!set.apply(update("eu", Ok(Snapshot::default()))));
        let err = SourceError::Other("boom".into());
        assert!(set.apply(update("eu", Err(err.clone()))));
        let s = &set.statuses()[0];
        assert_eq!(
            (s.status, s.error.as_deref()),
            (Health::Stale, Some("boom"))
        );
        assert_eq!(set.snapshots().count(), 1);
        assert!(!set.apply(update("eu", Err(err))));
        assert!(set.apply(update("eu", Ok(Snapshot::default()))));
        assert_eq!(set.statuses()[0].status, Health::Ok);
    }

    #[test]
    fn a_snapshot_with_the_digest_held_changes_nothing_and_replaces_nothing() {
        use crate::model::hash::Digest;
        use crate::model::{Alert, AlertState, Origin};
        let alert = |name: &str| {
            Alert::new(
                [("alertname".to_string(), name.to_string())].into(),
                Default::default(),
                AlertState::Active,
                Utc::now(),
                &Origin::new("eu", "am-0"),
            )
        };
        let snapshot = |alerts: Vec<Alert>, digest: u128| Snapshot {
            alerts: alerts.into(),
            digest: Some(Digest(digest)),
            ..Snapshot::default()
        };
        let mut set = SourceSet::new([("eu", "alertmanager")]);
        assert!(set.apply(update("eu", Ok(snapshot(vec![alert("Up")], 1)))));
        let held = set.snapshots().next().unwrap().alerts.clone();
        let again = Snapshot {
            taken_at: Utc::now() + chrono::Duration::seconds(15),
            ..set.snapshots().next().unwrap().clone()
        };
        assert!(!set.apply(update("eu", Ok(again.clone()))));
        let now = set.snapshots().next().unwrap();
        assert!(
            std::sync::Arc::ptr_eq(&now.alerts, &held),
            "what is held stays"
        );
        assert_eq!(
            now.taken_at, again.taken_at,
            "its data is as fresh as the poll"
        );
        // A digest stands for the data: another one is news, whatever the alerts say.
        assert!(set.apply(update("eu", Ok(snapshot(vec![alert("Up")], 2)))));
        assert!(set.apply(update("eu", Ok(snapshot(vec![alert("Down")], 3)))));
        assert_eq!(set.snapshots().next().unwrap().alerts[0].name(), "Down");
    }

    #[test]
    fn a_source_finding_its_token_is_authenticating_until_its_first_answer() {
        let mut set = SourceSet::new([("eu", "alertmanager"), ("us", "alertmanager")]);
        set.authenticating("eu");
        let health = |set: &SourceSet| set.statuses().iter().map(|s| s.status).collect::<Vec<_>>();
        assert_eq!(health(&set), [Health::Authenticating, Health::Waiting]);
        assert_eq!(set.statuses()[0].status.as_str(), "authenticating");
        let failed = SourceError::Other("source eu: token_command failed (exit status: 1)".into());
        assert!(set.apply(update("eu", Err(failed))));
        assert_eq!(health(&set), [Health::Down, Health::Waiting]);
    }

    #[test]
    fn errors_are_scrubbed_of_known_secrets_on_the_way_out() {
        crate::redact::learn("registry-secret-9d2f");
        let mut set = SourceSet::new([("eu", "alertmanager")]);
        let echoed = SourceError::Http {
            endpoint: "am:9093".into(),
            status: 401,
            detail: "invalid token registry-secret-9d2f".into(),
        };
        set.apply(update("eu", Err(echoed)));
        assert_eq!(
            set.statuses()[0].error.as_deref(),
            Some("am:9093 answered HTTP 401: invalid token [redacted]")
        );
    }

    #[test]
    fn a_source_never_reached_is_down_with_its_reason() {
        let mut set = SourceSet::new([("us", "alertmanager")]);
        set.apply(update("us", Err(SourceError::Other("refused".into()))));
        let s = &set.statuses()[0];
        assert_eq!(
            (s.status, s.error.as_deref()),
            (Health::Down, Some("refused"))
        );
        assert!(!set.apply(update("nobody", Ok(Snapshot::default()))));
    }
}
