//! The built-in simulated environment: `clops demo`, `--demo`, and `kind = "demo"`.
//!
//! A demo source answers like an Alertmanager HA pair (every alert from two peers), so
//! the same triage and console code paths run on it as on real backends.

mod scenario;
mod world;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, Duration as ChronoDuration, Timelike, Utc};

use crate::model::{Alert, AlertState, Deploy, NewSilence, Origin, Silence, SilenceState};

use super::{BoxFuture, Created, Extended, Silencer, Snapshot, Source, SourceError};

pub use scenario::Scenario;
pub use world::{CLUSTERS, SERVICES, SimTime, World, hops_to};

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 7;

/// Simulated time: starts at the world's opening moment and runs `speed` times real time.
#[derive(Debug)]
pub struct SimClock {
    started: Instant,
    /// Wall time (whole seconds) at which the simulation stood at `opening`.
    started_wall: DateTime<Utc>,
    opening: SimTime,
    speed: f64,
    frozen: bool,
}

impl SimClock {
    /// A clock that runs from the world's opening moment.
    pub fn running(world: &World, speed: f64) -> SimClock {
        let now = Utc::now();
        SimClock {
            started: Instant::now(),
            started_wall: now.with_nanosecond(0).unwrap_or(now),
            opening: world.opening_time(),
            speed,
            frozen: false,
        }
    }

    /// A clock stopped at `t`, which the wall clock shows as `wall`; for tests.
    pub fn fixed(t: SimTime, wall: DateTime<Utc>) -> SimClock {
        SimClock {
            started: Instant::now(),
            started_wall: wall,
            opening: t,
            speed: 1.0,
            frozen: true,
        }
    }

    /// Simulated seconds now.
    pub fn now(&self) -> SimTime {
        if self.frozen {
            return self.opening;
        }
        self.opening + (self.started.elapsed().as_secs_f64() * self.speed) as SimTime
    }

    /// The wall time at which the simulation reaches `sim`. Moments before it are
    /// shown at their simulated distance, so ages read in scenario time, and every
    /// source of one world maps the same moment to the same wall time.
    pub fn wall_at(&self, sim: SimTime) -> DateTime<Utc> {
        let real = (sim - self.opening) as f64 / self.speed;
        self.started_wall + ChronoDuration::milliseconds((real * 1000.0) as i64)
    }

    /// The simulated moment the wall clock shows as `wall`: the inverse of
    /// [`SimClock::wall_at`].
    pub fn sim_at(&self, wall: DateTime<Utc>) -> SimTime {
        let real = (wall - self.started_wall).num_milliseconds() as f64 / 1000.0;
        self.opening + (real * self.speed).round() as SimTime
    }
}

/// One simulated Alertmanager cluster (two peers) of the demo world.
pub struct DemoSource {
    name: String,
    world: Arc<World>,
    clock: Arc<SimClock>,
    /// Only this cluster's alerts; all clusters when None.
    cluster: Option<String>,
    /// Silences made in this session: the demo keeps them in memory, as an
    /// Alertmanager would, so silencing and acking can be tried without one.
    silences: Mutex<Vec<Silence>>,
}

/// The simulated HA peers every demo source answers from.
const PEERS: [&str; 2] = ["am-0", "am-1"];

impl DemoSource {
    /// A demo source named `name` over `world`, read through `clock`.
    pub fn new(name: &str, world: Arc<World>, clock: Arc<SimClock>, cluster: Option<&str>) -> Self {
        DemoSource {
            name: name.to_string(),
            world,
            clock,
            cluster: cluster.map(str::to_string),
            silences: Mutex::new(Vec::new()),
        }
    }

    /// The session's silences as they stand at `wall`, and the alerts with the ones
    /// they silence marked suppressed.
    fn apply_silences(&self, snapshot: &mut Snapshot, wall: DateTime<Utc>) {
        let mut silences = self.silences.lock().unwrap_or_else(|p| p.into_inner());
        for s in silences.iter_mut() {
            s.state = if wall < s.starts_at {
                SilenceState::Pending
            } else if wall < s.ends_at {
                SilenceState::Active
            } else {
                SilenceState::Expired
            };
        }
        // The snapshot was just made: its alert list is not shared yet, so this copies nothing.
        for alert in Arc::make_mut(&mut snapshot.alerts).iter_mut() {
            alert.silenced_by = silences
                .iter()
                .filter(|s| s.state == SilenceState::Active && s.matches(&alert.labels))
                .map(|s| s.id.clone())
                .collect();
            if !alert.silenced_by.is_empty() {
                alert.state = AlertState::Suppressed;
            }
        }
        snapshot.silences = silences.clone();
    }

    /// What the source reports when the simulated clock reads `sim` and the wall clock
    /// `wall`. Simulated moments are shown relative to now, so ages read in scenario time.
    pub fn snapshot_at(&self, sim: SimTime, wall: DateTime<Utc>) -> Snapshot {
        let to_wall = |t: SimTime| wall - ChronoDuration::seconds(sim - t);
        let clusters: Vec<&str> = CLUSTERS
            .iter()
            .copied()
            .filter(|c| self.cluster.as_deref().is_none_or(|want| want == *c))
            .collect();
        let mut alerts = Vec::new();
        let mut deploys = Vec::new();
        let origins = PEERS.map(|peer| Origin::new(&self.name, peer));
        for cluster in &clusters {
            for fired in self.world.alerts(cluster, sim) {
                for origin in &origins {
                    alerts.push(Alert::new(
                        fired.labels.clone(),
                        fired.annotations.clone(),
                        AlertState::Active,
                        to_wall(fired.starts_at),
                        origin,
                    ));
                }
            }
            for d in self.world.deploys(cluster, sim, 24 * 3600) {
                deploys.push(Deploy {
                    service: d.service.into(),
                    version: d.version,
                    at: to_wall(d.at),
                    source: self.name.clone(),
                    status: d.status.into(),
                    url: Some(format!(
                        "https://deploys.example.com/{}/{}",
                        d.cluster, d.service
                    )),
                    environment: Some(d.cluster.into()),
                    clusters: vec![d.cluster.into()],
                    author: Some(d.author.into()),
                });
            }
        }
        inhibit(&mut alerts);
        Snapshot {
            taken_at: wall,
            alerts: Arc::new(alerts),
            deploys,
            graph: clusters.first().map(|c| self.world.graph(c, sim)),
            ..Snapshot::default()
        }
    }
}

impl Source for DemoSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> &str {
        "demo"
    }

    fn fetch(&self) -> BoxFuture<'_, Result<Snapshot, SourceError>> {
        let sim = self.clock.now();
        let wall = self.clock.wall_at(sim);
        let mut snapshot = self.snapshot_at(sim, wall);
        self.apply_silences(&mut snapshot, wall);
        Box::pin(async move { Ok(snapshot) })
    }

    fn silencer(&self) -> Option<&dyn Silencer> {
        Some(self)
    }
}

impl Silencer for DemoSource {
    fn create(&self, new: NewSilence) -> BoxFuture<'_, Result<Created, SourceError>> {
        let mut silences = self.silences.lock().unwrap_or_else(|p| p.into_inner());
        // Shaped like Alertmanager's UUIDs, unique within the session.
        let n = silences.len() as u64 + 1;
        let h = world::mix64(n ^ new.starts_at.timestamp_millis() as u64);
        let id = format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            h >> 32,
            (h >> 16) & 0xffff,
            h & 0xfff,
            n & 0xfff,
            world::mix64(h) & 0xffff_ffff_ffff
        );
        silences.push(Silence {
            id: id.clone(),
            source: self.name.clone(),
            matchers: new.matchers,
            starts_at: new.starts_at,
            ends_at: new.ends_at,
            created_by: new.created_by,
            comment: new.comment,
            state: SilenceState::Active,
        });
        Box::pin(async move {
            Ok(Created {
                id,
                unchecked: Vec::new(),
            })
        })
    }

    fn extend(
        &self,
        id: &str,
        by: chrono::Duration,
    ) -> BoxFuture<'_, Result<Extended, SourceError>> {
        let mut silences = self.silences.lock().unwrap_or_else(|p| p.into_inner());
        let now = self.clock.wall_at(self.clock.now());
        let result = match silences.iter_mut().find(|s| s.id == id) {
            Some(s) if s.ends_at > now && s.ends_at + by > now => {
                let was_until = s.ends_at;
                s.ends_at += by;
                Ok(Extended {
                    created: Created {
                        id: s.id.clone(),
                        unchecked: Vec::new(),
                    },
                    was_until,
                    until: s.ends_at,
                })
            }
            Some(s) if s.ends_at <= now => Err(SourceError::Other(format!(
                "silence {id} expired: create a new one"
            ))),
            Some(_) => Err(SourceError::Other(format!(
                "silence {id} would end in the past: give a longer duration"
            ))),
            None => Err(SourceError::Other(format!("no silence {id}"))),
        };
        Box::pin(async move { result })
    }

    fn expire(&self, id: &str) -> BoxFuture<'_, Result<(), SourceError>> {
        let mut silences = self.silences.lock().unwrap_or_else(|p| p.into_inner());
        let now = self.clock.wall_at(self.clock.now());
        let result = match silences.iter_mut().find(|s| s.id == id) {
            Some(s) if s.ends_at > now => {
                s.ends_at = now;
                Ok(())
            }
            Some(_) => Err(SourceError::Other(format!(
                "silence {id} has already expired"
            ))),
            None => Err(SourceError::Other(format!("no silence {id}"))),
        };
        Box::pin(async move { result })
    }
}

/// How the demo was asked to run.
#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub scenario: Scenario,
    pub seed: u64,
    pub speed: f64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            scenario: Scenario::BadDeploy,
            seed: DEFAULT_SEED,
            speed: 1.0,
        }
    }
}

/// The sources of `clops demo`: one per simulated cluster, sharing one world and clock.
pub fn environment(options: DemoOptions) -> Vec<DemoSource> {
    let world = Arc::new(World::new(options.scenario, options.seed));
    let clock = Arc::new(SimClock::running(&world, options.speed));
    environment_with_clock(world, clock)
}

/// The demo sources over a given world and clock.
pub fn environment_with_clock(world: Arc<World>, clock: Arc<SimClock>) -> Vec<DemoSource> {
    [("demo-eu", "prod-eu"), ("demo-us", "prod-us")]
        .into_iter()
        .map(|(name, cluster)| DemoSource::new(name, world.clone(), clock.clone(), Some(cluster)))
        .collect()
}

/// The demo Alertmanager's one inhibition rule, as an operator would write it:
/// `source_matchers: [alertname="HighErrorRate"]`,
/// `target_matchers: [alertname="HighLatency"]`, `equal: [cluster, service]`.
/// A service already paging for errors does not also page for its latency.
fn inhibit(alerts: &mut [Alert]) {
    let key = |a: &Alert| {
        (
            a.label("cluster").to_string(),
            a.label("service").to_string(),
        )
    };
    let sources: HashMap<(String, String), String> = alerts
        .iter()
        .filter(|a| a.name() == "HighErrorRate")
        .map(|a| (key(a), a.fingerprint.to_string()))
        .collect();
    for alert in alerts.iter_mut().filter(|a| a.name() == "HighLatency") {
        if let Some(by) = sources.get(&key(alert)) {
            alert.inhibited_by = Box::new([by.clone()]);
            alert.state = AlertState::Suppressed;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(world: &World, cluster: &str, t: SimTime) -> Vec<String> {
        let mut v: Vec<String> = world
            .alerts(cluster, t)
            .iter()
            .map(|a| {
                format!(
                    "{}/{}",
                    a.labels["alertname"],
                    a.labels.get("service").map(String::as_str).unwrap_or("-")
                )
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn same_seed_same_story_other_seed_other_noise() {
        let a = World::new(Scenario::BadDeploy, 1);
        let b = World::new(Scenario::BadDeploy, 1);
        let c = World::new(Scenario::BadDeploy, 2);
        let at = |w: &World, t| w.alerts("prod-us", t);
        assert_eq!(at(&a, 500), at(&b, 500));
        let differs = (0..40).any(|i| at(&a, i * 600) != at(&c, i * 600));
        assert!(differs, "noise should depend on the seed");
    }

    #[test]
    fn bad_deploy_cascades_to_callers_then_recovers() {
        let w = World::new(Scenario::BadDeploy, DEFAULT_SEED);
        let opening = names(&w, "prod-eu", w.opening_time());
        assert!(
            opening.contains(&"HighErrorRate/payments".to_string()),
            "{opening:?}"
        );
        assert!(
            opening.contains(&"KubePodCrashLooping/payments".to_string()),
            "{opening:?}"
        );
        // Within the first minute the callers start failing too.
        let soon = names(&w, "prod-eu", w.opening_time() + 60);
        assert!(
            soon.contains(&"HighErrorRate/checkout".to_string()),
            "{soon:?}"
        );
        assert!(
            soon.contains(&"HighLatency/payments".to_string()),
            "{soon:?}"
        );

        let peak = names(&w, "prod-eu", 600);
        for expected in [
            "HighErrorRate/payments",
            "HighErrorRate/checkout",
            "HighErrorRate/api-gateway",
            "SLOErrorBudgetBurn/frontend",
            "KubePodCrashLooping/payments",
        ] {
            assert!(
                peak.contains(&expected.to_string()),
                "{expected} missing at peak: {peak:?}"
            );
        }
        // Callers start later than what they call.
        let start = |svc: &str| {
            w.alerts("prod-eu", 600)
                .into_iter()
                .find(|a| a.labels["alertname"] == "HighErrorRate" && a.labels["service"] == svc)
                .map(|a| a.starts_at)
                .unwrap()
        };
        assert!(start("payments") < start("checkout"));
        assert!(start("checkout") < start("api-gateway"));

        let after = names(&w, "prod-eu", 1500);
        assert!(
            after
                .iter()
                .all(|n| !n.contains("payments") && !n.contains("checkout")),
            "{after:?}"
        );
        // The other cluster never sees the incident.
        assert!(
            names(&w, "prod-us", 600)
                .iter()
                .all(|n| !n.contains("payments"))
        );
    }

    #[test]
    fn deploy_history_has_the_bad_deploy_and_its_rollback() {
        let w = World::new(Scenario::BadDeploy, DEFAULT_SEED);
        let deploys = w.deploys("prod-eu", 1000, 24 * 3600);
        let payments: Vec<_> = deploys.iter().filter(|d| d.service == "payments").collect();
        let n = payments.len();
        assert!(n >= 3, "{payments:?}");
        let (before, release, rollback) = (payments[n - 3], payments[n - 2], payments[n - 1]);
        assert_eq!((release.at, release.status), (0, "success"));
        assert_eq!((rollback.at, rollback.status), (900, "rolled_back"));
        assert_eq!(rollback.version, before.version);
        assert_ne!(release.version, before.version);
        assert!(deploys.len() > 20, "routine deploys make a history");
    }

    #[test]
    fn node_down_takes_pods_with_it() {
        let w = World::new(Scenario::NodeDown, DEFAULT_SEED);
        let alerts = w.alerts("prod-eu", 300);
        let on_node = alerts
            .iter()
            .filter(|a| a.labels.get("node").map(String::as_str) == Some("ip-10-0-2-14"))
            .count();
        assert!(on_node >= 4, "node plus its pods: {alerts:?}");
    }

    #[test]
    fn the_company_is_big_enough() {
        assert!(SERVICES.len() >= 12);
        assert_eq!(hops_to("frontend", "payments"), Some(3));
        assert_eq!(hops_to("search", "payments"), None);
        for s in SERVICES {
            for callee in s.calls {
                assert!(world::service(callee).is_some(), "{callee} undefined");
            }
        }
    }

    #[test]
    fn every_alert_comes_from_both_peers() {
        let world = Arc::new(World::new(Scenario::BadDeploy, DEFAULT_SEED));
        let sources =
            environment_with_clock(world.clone(), Arc::new(SimClock::fixed(600, Utc::now())));
        let snap = sources[0].snapshot_at(600, Utc::now());
        assert_eq!(snap.alerts.len(), 2 * world.alerts("prod-eu", 600).len());
        assert!(snap.graph.is_some());
    }
}
