//! clops against a real Prometheus: its pending and firing alerts, the health of its
//! rules, and the query client the SLO work builds on.

mod common;

use std::time::Duration;

use chrono::Utc;
use clops::sources::http::{Endpoint, HttpClient, HttpSettings};
use clops::sources::prometheus::{Instant, PromClient, PrometheusSource};
use clops::sources::{Source, SourceError};
use common::servers::{Prometheus, eventually, require_servers};

const RULES: &str = r#"groups:
  - name: clops-test
    interval: 1s
    rules:
      - alert: AlwaysFiring
        expr: vector(1)
        labels: {severity: warning, service: prometheus}
        annotations: {summary: "fires from the first evaluation"}
      - alert: SlowToFire
        expr: vector(1)
        for: 1h
        labels: {severity: critical}
      - alert: BrokenRule
        # Two metrics with equal labels lose their names in the product: duplicates.
        expr: '{__name__=~"prometheus_config_last_reload_success.*"} * 1'
        labels: {severity: critical}
      - record: job:up:sum
        expr: sum by (job) (up)
"#;

fn client(prom: &Prometheus) -> PromClient {
    let http = HttpClient::new(&HttpSettings {
        timeout: Duration::from_secs(5),
        ..HttpSettings::default()
    })
    .unwrap();
    PromClient::new(http, Endpoint::parse(&prom.url).unwrap())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn pending_and_firing_alerts_and_failing_rules_are_reported() {
    require_servers();
    let prom = Prometheus::start(RULES, &[]);
    eventually("the rules have been evaluated after a scrape", || {
        let v = prom.get("/api/v1/rules");
        v["data"]["groups"][0]["rules"]
            .as_array()
            .is_some_and(|rules| {
                rules
                    .iter()
                    .any(|r| r["name"] == "BrokenRule" && r["health"] == "err")
            })
            && prom.get("/api/v1/alerts")["data"]["alerts"]
                .as_array()
                .is_some_and(|a| a.len() >= 2)
    });
    let source = PrometheusSource::new("prom", vec![client(&prom)]);
    let snap = runtime().block_on(source.fetch()).unwrap();
    let state = |name: &str| {
        snap.alerts
            .iter()
            .find(|a| a.name() == name)
            .map(|a| a.state)
            .unwrap_or_else(|| panic!("{name} missing: {:?}", snap.alerts))
    };
    assert_eq!(state("AlwaysFiring"), clops::model::AlertState::Active);
    assert_eq!(state("SlowToFire"), clops::model::AlertState::Pending);
    assert_eq!(snap.rules.len(), 4);
    let broken = snap.rules.iter().find(|r| r.name == "BrokenRule").unwrap();
    assert_eq!(broken.state, clops::model::RuleState::Failing);
    assert!(
        broken
            .last_error
            .as_deref()
            .unwrap()
            .contains("same labelset"),
        "{broken:?}"
    );
    assert!(
        snap.rules
            .iter()
            .any(|r| !r.alerting && r.name == "job:up:sum")
    );
    assert!(
        snap.rules
            .iter()
            .filter(|r| r.name != "BrokenRule")
            .all(|r| r.state == clops::model::RuleState::Ok)
    );
}

#[test]
fn the_query_client_reads_vectors_scalars_ranges_and_errors() {
    require_servers();
    let prom = Prometheus::start("", &[]);
    eventually("a first scrape", || {
        prom.query("up").as_array().is_some_and(|r| !r.is_empty())
    });
    let c = client(&prom);
    let rt = runtime();
    let now = Utc::now();

    let Instant::Vector(up) = rt.block_on(c.query("up", now)).unwrap() else {
        panic!("a vector")
    };
    assert_eq!(up.len(), 1);
    assert_eq!(up[0].metric.get("job"), Some("prometheus"));
    assert_eq!(up[0].value, 1.0);

    let Instant::Scalar(_, v) = rt.block_on(c.query("1 + 2 * 3", now)).unwrap() else {
        panic!("a scalar")
    };
    assert_eq!(v, 7.0);

    let Instant::Vector(inf) = rt.block_on(c.query("vector(1) / 0", now)).unwrap() else {
        panic!()
    };
    assert_eq!(inf[0].value, f64::INFINITY);

    eventually("three scrapes", || {
        prom.query("count_over_time(up[1m])")[0]["value"][1]
            .as_str()
            .is_some_and(|v| v.parse::<f64>().unwrap_or(0.0) >= 3.0)
    });
    let end = Utc::now();
    let series = rt
        .block_on(c.query_range(
            "up",
            end - chrono::Duration::seconds(30),
            end,
            Duration::from_secs(1),
        ))
        .unwrap();
    assert_eq!(series.len(), 1);
    assert!(series[0].points.len() >= 3, "{:?}", series[0].points);
    assert!(
        series[0]
            .points
            .windows(2)
            .all(|w| w[1].0 - w[0].0 == chrono::Duration::seconds(1))
    );

    let err = rt.block_on(c.query("sum(up", now)).unwrap_err();
    let SourceError::Http { status, detail, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 400);
    assert!(detail.contains("parse error"), "{detail}");
}

#[test]
fn a_prometheus_that_goes_away_is_a_named_failure() {
    require_servers();
    let mut prom = Prometheus::start("", &[]);
    let c = client(&prom);
    let label = prom.url.trim_start_matches("http://").to_string();
    prom.kill();
    let source = PrometheusSource::new("prom", vec![c]);
    let err = runtime().block_on(source.fetch()).unwrap_err().to_string();
    assert!(
        err.contains(&label) && err.contains("connection refused"),
        "{err}"
    );
}
