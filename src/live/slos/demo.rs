//! The demo's SLOs: availability objectives of the simulated company's front services
//! in both clusters, measured on the SLI samples the demo world produces, as a
//! Prometheus would measure them from request counters.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

use crate::sources::demo::{CLUSTERS, SERVICES, SimClock, SimTime, World};
use crate::sources::{BoxFuture, SourceError};

use crate::slo::burn::Objective;
use crate::slo::eval::{Backends, Measurements, Points};
use crate::slo::spec::{Indicator, SloDef};

/// Services with an SLO in the demo, and their objectives. Checkout and payments
/// promise more than the rest; every service's everyday errors stay within budget.
const OBJECTIVES: [(&str, f64); 5] = [
    ("frontend", 99.5),
    ("api-gateway", 99.5),
    ("checkout", 99.8),
    ("payments", 99.8),
    ("search", 99.5),
];

/// The demo source answering for `cluster`, as `clops demo` names them.
fn source_of(cluster: &str) -> String {
    match cluster {
        "prod-us" => "demo-us".into(),
        _ => "demo-eu".into(),
    }
}

/// The demo's SLO definitions: one availability SLO per service and cluster, 30 days.
pub fn definitions() -> Vec<SloDef> {
    let mut defs = Vec::new();
    for cluster in CLUSTERS {
        for (service, target) in OBJECTIVES {
            let selector = format!(r#"service="{service}",cluster="{cluster}""#);
            defs.push(SloDef {
                name: format!("{cluster}/{service}-availability"),
                service: service.into(),
                objective: Objective::new(target, Duration::days(30))
                    .expect("the demo's objectives are valid"),
                source: source_of(cluster),
                indicator: Indicator::Events {
                    errors: format!(
                        r#"sum(rate(http_requests_total{{{selector},code=~"5.."}}[{{{{window}}}}]))"#
                    ),
                    total: format!(r#"sum(rate(http_requests_total{{{selector}}}[{{{{window}}}}]))"#),
                },
                labels: BTreeMap::from([("cluster".to_string(), cluster.to_string())]),
                origin: "demo".into(),
                alerting: None,
            });
        }
    }
    defs
}

/// Every demo source's measurements over `world`, read through `clock`.
pub fn backends(world: Arc<World>, clock: Arc<SimClock>) -> Backends {
    let m: Arc<dyn Measurements> = Arc::new(DemoMeasurements::new(world, clock));
    CLUSTERS.iter().map(|c| (source_of(c), m.clone())).collect()
}

/// Samples are a minute apart over the last few days, ten minutes apart before: the
/// long SLO window needs the sum, not the detail, and the demo must answer at once.
const FINE: SimTime = 60;
const COARSE: SimTime = 600;
const FINE_SPAN: SimTime = 3 * 86_400 + 2 * 3600;
/// The longest look back: the 30-day window plus the 7-day chart's first point.
const SPAN: SimTime = 38 * 86_400;

/// Errors and requests summed from the start of the span up to each sample.
struct Sums {
    end: SimTime,
    /// (sample start, cumulative failed requests, cumulative requests), oldest first.
    points: Vec<(SimTime, f64, f64)>,
}

impl Sums {
    fn build(world: &World, service: &str, cluster: &str, end: SimTime) -> Sums {
        let Some(def) = SERVICES.iter().find(|s| s.name == service) else {
            return Sums {
                end,
                points: Vec::new(),
            };
        };
        let fine_from = (end - FINE_SPAN).div_euclid(COARSE) * COARSE;
        let mut t = (end - SPAN).div_euclid(COARSE) * COARSE;
        let (mut errors, mut requests) = (0.0, 0.0);
        let mut points = Vec::new();
        while t < end {
            let step = if t < fine_from { COARSE } else { FINE };
            let sample = world.sli(def, cluster, t);
            let served = sample.requests_per_s * step as f64;
            points.push((t, errors, requests));
            errors += served * sample.error_ratio;
            requests += served;
            t += step;
        }
        points.push((t, errors, requests));
        Sums { end, points }
    }

    /// Failed over all requests of the samples that start in [from, to).
    fn ratio(&self, from: SimTime, to: SimTime) -> Option<f64> {
        let at = |t: SimTime| self.points.partition_point(|p| p.0 < t);
        let (a, b) = (at(from), at(to));
        if b <= a || b >= self.points.len() {
            return None;
        }
        let (first, last) = (self.points[a], self.points[b]);
        let requests = last.2 - first.2;
        (requests > 0.0).then(|| (last.1 - first.1) / requests)
    }
}

/// Measures the demo world's SLIs for its SLO definitions.
pub struct DemoMeasurements {
    world: Arc<World>,
    clock: Arc<SimClock>,
    sums: Mutex<HashMap<(String, String), Arc<Sums>>>,
}

impl DemoMeasurements {
    /// Measurements of `world`, whose wall times `clock` maps to simulated ones.
    pub fn new(world: Arc<World>, clock: Arc<SimClock>) -> DemoMeasurements {
        DemoMeasurements {
            world,
            clock,
            sums: Mutex::new(HashMap::new()),
        }
    }

    /// The sums for `slo` up to the simulated moment `end`, built once per moment.
    fn sums(&self, slo: &SloDef, end: SimTime) -> Arc<Sums> {
        let cluster = slo.labels.get("cluster").cloned().unwrap_or_default();
        let key = (slo.service.clone(), cluster);
        let mut cache = self.sums.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = cache.get(&key).filter(|s| s.end == end) {
            return s.clone();
        }
        let built = Arc::new(Sums::build(&self.world, &key.0, &key.1, end));
        cache.insert(key, built.clone());
        built
    }

    fn ratio_at(&self, slo: &SloDef, window: Duration, sim: SimTime, end: SimTime) -> Option<f64> {
        self.sums(slo, end).ratio(sim - window.num_seconds(), sim)
    }
}

impl Measurements for DemoMeasurements {
    fn error_ratio<'a>(
        &'a self,
        slo: &'a SloDef,
        window: Duration,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<Option<f64>, SourceError>> {
        let sim = self.clock.sim_at(at);
        let ratio = self.ratio_at(slo, window, sim, sim);
        Box::pin(async move { Ok(ratio) })
    }

    fn error_ratio_range<'a>(
        &'a self,
        slo: &'a SloDef,
        window: Duration,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        step: Duration,
    ) -> BoxFuture<'a, Result<Points, SourceError>> {
        let sim_end = self.clock.sim_at(end);
        let mut points = Vec::new();
        let mut t = start;
        while t <= end && step > Duration::zero() {
            if let Some(r) = self.ratio_at(slo, window, self.clock.sim_at(t), sim_end) {
                points.push((t, r));
            }
            t += step;
        }
        Box::pin(async move { Ok(points) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slo::burn::{State, Window};
    use crate::slo::eval::{Options, evaluate};
    use crate::sources::demo::{DEFAULT_SEED, Scenario};

    fn statuses_at(sim: SimTime) -> Vec<crate::slo::SloStatus> {
        let world = Arc::new(World::new(Scenario::BadDeploy, DEFAULT_SEED));
        let wall = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let clock = Arc::new(SimClock::fixed(sim, wall));
        let backends = backends(world, clock);
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(evaluate(
            &definitions(),
            &backends,
            wall,
            &[],
            Options {
                history: true,
                concurrency: 4,
            },
        ))
    }

    #[test]
    fn the_bad_deploy_pages_on_payments_in_eu_only() {
        let statuses = statuses_at(600);
        let find = |name: &str| statuses.iter().find(|s| s.name == name).unwrap();
        let eu = find("prod-eu/payments-availability");
        let us = find("prod-us/payments-availability");
        assert_eq!(eu.state, State::Page, "{eu:?}");
        assert_eq!(us.state, State::Ok, "{us:?}");
        assert!(eu.burn_rates.get(Window::M5).unwrap() > 14.4);
        assert!(eu.budget_remaining.unwrap() < us.budget_remaining.unwrap());
        // Only a budget spent faster than its pace runs out.
        assert!(eu.time_to_exhaustion.is_some());
        assert_eq!(us.time_to_exhaustion, None);
        // Everyday errors stay within every budget.
        assert!(
            statuses
                .iter()
                .filter(|s| s.labels["cluster"] == "prod-us")
                .all(|s| s.state == State::Ok && s.budget_remaining.unwrap() > 0.0),
            "{statuses:?}"
        );
        let history = eu.history.as_ref().unwrap();
        assert_eq!(history.day.len(), 288);
        assert_eq!(history.week.len(), 168);
        assert!(history.day.last().unwrap().1 > 14.4);
    }
}
