//! From the config to something to measure: the SLO definitions (configured, imported
//! and discovered in rules) and a measuring client for each Prometheus source they use.
//! `clops slo` runs this once; the console can run it at start and again to rediscover.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::config::{FileConfig, SourceConfig, SourceKind};
use crate::secrets::Keyring;
use crate::sources::demo::{DemoOptions, SimClock, World};
use crate::sources::http::{Endpoint, HttpClient};
use crate::sources::prometheus::{PromClient, RecordingRule};
use crate::sources::registry::BuildError;
use crate::sources::{BoxFuture, SourceError};

use crate::slo::discover;
use crate::slo::eval::{Backends, Measurements, Points};
use crate::slo::spec::SloDef;

use super::prometheus::Prometheus;

/// The SLOs and where they are measured.
pub struct Plan {
    pub slos: Vec<SloDef>,
    pub backends: Backends,
    /// Every source involved, by name: its kind, and why it failed before any SLO was
    /// measured (its client could not be built, its rules could not be read).
    pub sources: BTreeMap<String, (String, Option<String>)>,
    /// SLOs recognised in rules but unusable, and why.
    pub notes: Vec<String>,
}

/// The demo world's SLOs, measured through `clock` as `clops demo` shows the world.
pub fn demo(options: DemoOptions) -> Plan {
    let world = Arc::new(World::new(options.scenario, options.seed));
    let clock = Arc::new(SimClock::running(&world, options.speed));
    let backends = super::demo::backends(world, clock);
    let sources = backends
        .keys()
        .map(|name| (name.clone(), ("demo".to_string(), None)))
        .collect();
    Plan {
        slos: super::demo::definitions(),
        backends,
        sources,
        notes: Vec::new(),
    }
}

/// `slos` (from [`super::config::definitions`]) plus those discovered in the rules of
/// the sources `[[slo_imports]]` names with `rules = true`, and a client for each
/// Prometheus source involved, its token found through the secrets chain.
pub async fn configured(file: &FileConfig, mut slos: Vec<SloDef>, keyring: &dyn Keyring) -> Plan {
    let discover_on = crate::slo::config::discovery_sources(file);
    let mut wanted: Vec<&str> = slos.iter().map(|s| s.source.as_str()).collect();
    wanted.extend(discover_on.iter().map(String::as_str));
    wanted.sort_unstable();
    wanted.dedup();
    let mut plan = Plan {
        slos: Vec::new(),
        backends: Backends::new(),
        sources: BTreeMap::new(),
        notes: Vec::new(),
    };
    let mut clients: BTreeMap<String, Vec<PromClient>> = BTreeMap::new();
    for name in wanted {
        let Some(config) = file
            .sources
            .iter()
            .find(|s| s.name == name && s.kind == SourceKind::Prometheus)
        else {
            continue; // config validation names such a source
        };
        let kind = ("prometheus".to_string(), None);
        plan.sources.insert(name.to_string(), kind);
        match prom_clients(config, keyring) {
            Ok(servers) => {
                clients.insert(name.to_string(), servers.clone());
                let m: Arc<dyn Measurements> = Arc::new(Prometheus { servers });
                plan.backends.insert(name.to_string(), m);
            }
            Err(e) => {
                let e = e.to_string();
                // Every SLO on it fails with the reason, not as "unknown source".
                let m: Arc<dyn Measurements> = Arc::new(Unavailable(e.clone()));
                plan.backends.insert(name.to_string(), m);
                fail(&mut plan, name, e);
            }
        }
    }
    for name in &discover_on {
        let Some(servers) = clients.get(name) else {
            continue;
        };
        match recording_rules(servers).await {
            Ok(rules) => {
                let found = discover::from_rules(&rules, name);
                for problem in found.problems {
                    plan.notes.push(format!("source {name}: {problem}"));
                }
                for d in found.slos {
                    // An SLO defined in the config or a file wins over its rules.
                    if !slos.iter().any(|s| s.name == d.name) {
                        slos.push(d);
                    }
                }
            }
            Err(e) => fail(
                &mut plan,
                name,
                format!("cannot read its rules to discover SLOs: {e}"),
            ),
        }
    }
    plan.slos = slos;
    plan
}

/// A source whose client could not be built: every measurement says why.
struct Unavailable(String);

impl Measurements for Unavailable {
    fn error_ratio<'a>(
        &'a self,
        _: &'a SloDef,
        _: chrono::Duration,
        _: chrono::DateTime<chrono::Utc>,
    ) -> BoxFuture<'a, Result<Option<f64>, SourceError>> {
        let e = SourceError::Other(self.0.clone());
        Box::pin(async move { Err(e) })
    }

    fn error_ratio_range<'a>(
        &'a self,
        _: &'a SloDef,
        _: chrono::Duration,
        _: chrono::DateTime<chrono::Utc>,
        _: chrono::DateTime<chrono::Utc>,
        _: chrono::Duration,
    ) -> BoxFuture<'a, Result<Points, SourceError>> {
        let e = SourceError::Other(self.0.clone());
        Box::pin(async move { Err(e) })
    }
}

fn fail(plan: &mut Plan, source: &str, error: String) {
    if let Some(entry) = plan.sources.get_mut(source) {
        entry.1 = Some(crate::redact::scrubbed(&error));
    }
}

/// The recording rules of the first server that answers.
async fn recording_rules(servers: &[PromClient]) -> Result<Vec<RecordingRule>, SourceError> {
    let mut last = None;
    for server in servers {
        match server.recording_rules().await {
            Ok(rules) => return Ok(rules),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| SourceError::Other("the source has no servers".into())))
}

/// A query client for each server of a Prometheus source, with its credentials.
fn prom_clients(
    config: &SourceConfig,
    keyring: &dyn Keyring,
) -> Result<Vec<PromClient>, BuildError> {
    let env = |var: &str| std::env::var(var).ok();
    let settings = crate::sources::registry::http_settings(config, &env, keyring)?;
    let client = HttpClient::new(&settings)?;
    let clients = config
        .endpoints()
        .iter()
        .map(|u| Endpoint::parse(u).map(|e| PromClient::new(client.clone(), e)))
        .collect::<Result<_, _>>()?;
    Ok(clients)
}
