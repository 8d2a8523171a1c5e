//! The real-server test harness itself: Alertmanager HA pairs that gossip, Prometheus
//! delivering alerts to both peers, amtool against them, and no servers left behind.

mod common;

use common::servers::{Alertmanager, Prometheus, eventually, synthetic_alerts};
use serde_json::Value;

/// The `alertname`s of an `/api/v2/alerts` answer.
fn alertnames(alerts: &Value) -> Vec<&str> {
    alerts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["labels"]["alertname"].as_str().unwrap())
        .collect()
}

fn alive(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

#[test]
fn an_ha_pair_lists_both_peers_at_each_peer() {
    let (a, b) = Alertmanager::pair();
    let mut both = vec![a.cluster_addr.clone(), b.cluster_addr.clone()];
    both.sort();
    for am in [&a, &b] {
        let mut peers = am.peers();
        peers.sort();
        assert_eq!(peers, both, "peers of {}", am.url);
    }
    assert_ne!(a.url, b.url);
}

#[test]
fn a_lone_alertmanager_has_gossip_disabled() {
    let am = Alertmanager::start();
    assert_eq!(am.cluster_addr, "");
    let status = am.get("/api/v2/status");
    assert_eq!(status["cluster"]["status"], "disabled", "{status}");
    assert!(am.peers().is_empty());
}

#[test]
fn silences_gossip_between_peers_but_alerts_do_not() {
    let (a, b) = Alertmanager::pair();
    let alerts = synthetic_alerts(3, "eu-1");
    a.post_alerts(&alerts);
    assert_eq!(a.alerts().as_array().unwrap().len(), 3);

    let id = a.silence(&[("alertname", "HighErrorRate")], "harness self-test");
    eventually("the silence to reach the other peer", || {
        b.silences()
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == id)
    });
    // Gossip has run; alerts are not part of it.
    assert_eq!(b.alerts(), Value::Array(vec![]));

    // Sent to both peers (as Prometheus does), the alert is silenced at both.
    b.post_alerts(&alerts);
    for am in [&a, &b] {
        let alerts = am.alerts();
        let silenced = alerts
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["labels"]["alertname"] == "HighErrorRate")
            .unwrap();
        assert_eq!(silenced["status"]["state"], "suppressed", "{silenced}");
        assert_eq!(
            silenced["status"]["silencedBy"][0],
            id.as_str(),
            "{silenced}"
        );
    }
}

#[test]
fn a_killed_peer_leaves_the_other_answering() {
    let (a, mut b) = Alertmanager::pair();
    let pid = b.pid();
    b.kill();
    b.kill();
    assert!(!b.running());
    assert!(!alive(pid), "the killed peer was reaped");

    a.post_alerts(&synthetic_alerts(2, "us-1"));
    assert_eq!(a.alerts().as_array().unwrap().len(), 2);
    eventually("the survivor to drop the dead peer", || {
        a.peers().len() == 1
    });
    assert_eq!(a.peers(), vec![a.cluster_addr.clone()]);
}

#[test]
fn prometheus_delivers_a_firing_rule_to_both_peers_of_a_pair() {
    let (a, b) = Alertmanager::pair();
    let prometheus = Prometheus::start(
        "- alert: AlwaysFiring\n  expr: vector(1)\n  labels: {severity: warning}",
        &[&a, &b],
    );
    prometheus.wait_for_alertmanagers(2);
    for am in [&a, &b] {
        eventually(&format!("AlwaysFiring at {}", am.url), || {
            alertnames(&am.alerts()).contains(&"AlwaysFiring")
        });
        let alerts = am.alerts();
        let alert = &alerts[0];
        assert_eq!(alert["labels"]["severity"], "warning", "{alert}");
        assert!(
            alert["generatorURL"]
                .as_str()
                .unwrap()
                .starts_with(&prometheus.url),
            "{alert}"
        );
    }
    let firing = prometheus.get("/api/v1/alerts");
    assert_eq!(
        firing["data"]["alerts"][0]["labels"]["alertname"],
        "AlwaysFiring"
    );
    let up = prometheus.query("up{job=\"prometheus\"}");
    assert_eq!(up[0]["value"][1], "1", "{up}");
}

#[test]
fn amtool_alert_query_sees_posted_alerts() {
    let am = Alertmanager::start();
    am.post_alerts(&synthetic_alerts(5, "eu-2"));
    let out = am.amtool(&["alert", "query", "-o", "json"]);
    assert!(out.status.success(), "{out:?}");
    let seen: Value = serde_json::from_slice(&out.stdout).unwrap();
    let seen = seen.as_array().unwrap();
    assert_eq!(seen.len(), 5, "{seen:?}");
    assert!(seen.iter().all(|a| a["labels"]["cluster"] == "eu-2"));
}

#[test]
fn synthetic_alerts_are_distinct_to_alertmanager() {
    let am = Alertmanager::start();
    am.post_alerts(&synthetic_alerts(500, "eu-3"));
    let alerts = am.alerts();
    let mut fingerprints: Vec<&str> = alerts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["fingerprint"].as_str().unwrap())
        .collect();
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), 500);
    assert!(
        alerts
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["status"]["state"] == "active")
    );
}

#[test]
fn dropped_servers_leave_no_process_even_when_the_test_panics() {
    let (tx, rx) = std::sync::mpsc::channel();
    let panicked = std::panic::catch_unwind(move || {
        let am = Alertmanager::start();
        let prometheus = Prometheus::start("", &[&am]);
        tx.send([am.pid(), prometheus.pid()]).unwrap();
        assert!(alive(am.pid()) && alive(prometheus.pid()));
        panic!("a failing test");
    });
    assert!(panicked.is_err());
    for pid in rx.recv().unwrap() {
        assert!(!alive(pid), "process {pid} outlived its test");
    }
}
