//! Service-graph metrics read from a real Prometheus: `traces_service_graph_*`
//! counters written in by remote write, so each edge's rate and error ratio is known by
//! construction; and what happens when that Prometheus goes away.

mod common;

use chrono::Utc;
use common::remote_write::{Series, write_history};
use common::servers::{Prometheus, require_servers};
use serde_json::Value;

/// Counters of one edge: `per_s` calls a second, `failed_per_s` of them failing, one
/// sample every 15 s for the last 10 minutes.
fn edge(client: &str, server: &str, per_s: f64, failed_per_s: f64, now_ms: i64) -> Vec<Series> {
    let labels = [
        ("client", client),
        ("server", server),
        ("connection_type", ""),
    ];
    let mut requests = Series::new("traces_service_graph_request_total", &labels);
    let mut failed = Series::new("traces_service_graph_request_failed_total", &labels);
    for k in 0..=40 {
        let at = now_ms - 5_000 - (40 - k) * 15_000;
        let seconds = (k * 15) as f64;
        requests.samples.push((at, 1.0e6 + per_s * seconds));
        failed.samples.push((at, 1.0e4 + failed_per_s * seconds));
    }
    vec![requests, failed]
}

fn configure(home: &std::path::Path, url: &str) {
    let dir = home.join("config/clops");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "[[sources]]\nname = \"prom\"\nkind = \"prometheus\"\nurl = \"{url}\"\nservice_graph = true\ntimeout = \"3s\"\n"
        ),
    )
    .unwrap();
}

fn close(actual: &Value, expected: f64) -> bool {
    actual
        .as_f64()
        .is_some_and(|a| (a - expected).abs() < 1e-6 * expected.max(1.0))
}

#[test]
fn edges_carry_the_rates_and_error_ratios_the_metrics_say() {
    require_servers();
    let prom = Prometheus::start_for_history("", &[]);
    let now_ms = Utc::now().timestamp_millis();
    let mut series = edge("checkout", "payments", 10.0, 2.5, now_ms);
    series.extend(edge("frontend", "checkout", 20.0, 0.0, now_ms));
    write_history(&prom.url, &series);

    let home = tempfile::tempdir().unwrap();
    configure(home.path(), &prom.url);
    let v = common::clops_json(home.path(), &["deps", "-o", "json"]);
    let edges = v["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 2, "{v}");
    let find = |from: &str| edges.iter().find(|e| e["from"] == from).unwrap();
    let payments = find("checkout");
    assert_eq!(payments["to"], "payments");
    assert!(close(&payments["calls_per_s"], 10.0), "{payments}");
    assert!(close(&payments["error_ratio"], 0.25), "{payments}");
    let checkout = find("frontend");
    assert!(close(&checkout["calls_per_s"], 20.0), "{checkout}");
    assert!(close(&checkout["error_ratio"], 0.0), "{checkout}");
    let names: Vec<&str> = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["checkout", "frontend", "payments"]);

    // The map says it in words too.
    let text = common::clops_process(home.path())
        .args(["deps"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("payments [ok]  10.0/s, 25.0% errors"),
        "{text}"
    );
}

#[test]
fn a_prometheus_that_is_gone_is_named() {
    require_servers();
    let mut prom = Prometheus::start_for_history("", &[]);
    let url = prom.url.clone();
    prom.kill();
    let home = tempfile::tempdir().unwrap();
    configure(home.path(), &url);
    let out = common::clops_process(home.path())
        .args(["deps"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "nothing could be read");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("prom"), "{err}");
}
