//! clops against real Alertmanagers: an HA pair joined by gossip, fed by a real
//! Prometheus evaluating rules on its own metrics, as in production.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::servers::{Alertmanager, Prometheus, eventually, require_servers, synthetic_alerts};
use serde_json::Value;

/// clops with a private home and the given config.
fn clops(home: &Path, config: &Path) -> Command {
    let mut cmd = Command::cargo_bin("clops").unwrap();
    cmd.env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("XDG_STATE_HOME", home.join("state"))
        .env("CLOPS_AUTHOR", "tester@jump-1")
        .arg("--config")
        .arg(config);
    cmd
}

fn write_config(home: &Path, text: &str) -> PathBuf {
    let path = home.join("clops.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn pair_config(home: &Path, a: &Alertmanager, b: &Alertmanager) -> PathBuf {
    write_config(
        home,
        &format!(
            "[[sources]]\nname = \"prod-eu\"\nkind = \"alertmanager\"\nurls = [\"{}\", \"{}\"]\ntimeout = \"3s\"\n",
            a.url, b.url
        ),
    )
}

fn alerts_json(home: &Path, config: &Path) -> (Option<i32>, Value, String) {
    let out = clops(home, config)
        .args(["alerts", "-o", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), json, stderr)
}

fn all_alerts(v: &Value) -> Vec<&Value> {
    v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["alerts"].as_array().unwrap())
        .collect()
}

#[test]
fn every_alert_of_an_ha_pair_is_shown_once_with_both_peers() {
    require_servers();
    let (a, b) = Alertmanager::pair();
    let alerts = synthetic_alerts(30, "prod-eu");
    // Prometheus sends every alert to every peer; do the same.
    a.post_alerts(&alerts);
    b.post_alerts(&alerts);
    let home = tempfile::tempdir().unwrap();
    let config = pair_config(home.path(), &a, &b);
    let (code, v, stderr) = alerts_json(home.path(), &config);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(v["stats"]["raw"], 60);
    assert_eq!(v["stats"]["unique"], 30);
    let shown = all_alerts(&v);
    assert_eq!(shown.len(), 30);
    let mut peers: Vec<String> = [&a, &b]
        .iter()
        .map(|am| format!("prod-eu/{}", am.url.trim_start_matches("http://")))
        .collect();
    peers.sort();
    let fingerprints: std::collections::HashSet<String> = a
        .alerts()
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["fingerprint"].as_str().unwrap().to_string())
        .collect();
    for alert in shown {
        let seen: Vec<&str> = alert["seen_by"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(seen, peers, "both peers listed");
        assert!(
            fingerprints.contains(alert["fingerprint"].as_str().unwrap()),
            "clops's fingerprint is Alertmanager's"
        );
        assert!(
            !alert["receivers"].as_array().unwrap().is_empty(),
            "routed somewhere"
        );
    }
}

#[test]
fn alerts_from_a_real_prometheus_arrive_once_through_both_paths() {
    require_servers();
    let (a, b) = Alertmanager::pair();
    let prom = Prometheus::start(
        "- alert: PrometheusScrapesItself\n  expr: up{job=\"prometheus\"} == 1\n  labels: {severity: warning, service: prometheus}\n  annotations: {summary: \"Prometheus is up and scraping itself\"}\n",
        &[&a, &b],
    );
    prom.wait_for_alertmanagers(2);
    eventually("the alert reaches both peers", || {
        [&a, &b].iter().all(|am| {
            am.alerts()
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["labels"]["alertname"] == "PrometheusScrapesItself")
        })
    });
    let home = tempfile::tempdir().unwrap();
    let config = write_config(
        home.path(),
        &format!(
            "[[sources]]\nname = \"prod-eu\"\nkind = \"alertmanager\"\nurls = [\"{}\", \"{}\"]\n\n[[sources]]\nname = \"prom-eu\"\nkind = \"prometheus\"\nurl = \"{}\"\n",
            a.url, b.url, prom.url
        ),
    );
    let (code, v, stderr) = alerts_json(home.path(), &config);
    assert_eq!(code, Some(0), "{stderr}");
    let ours: Vec<&Value> = all_alerts(&v)
        .into_iter()
        .filter(|x| x["labels"]["alertname"] == "PrometheusScrapesItself")
        .collect();
    assert_eq!(
        ours.len(),
        1,
        "one alert, though three endpoints reported it"
    );
    let sources: Vec<&str> = ours[0]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(sources, ["prod-eu", "prom-eu"]);
    assert_eq!(ours[0]["seen_by"].as_array().unwrap().len(), 3);
    assert_eq!(ours[0]["state"], "active");
    assert!(
        ours[0]["generator_url"]
            .as_str()
            .unwrap()
            .contains(prom.url.trim_start_matches("http://"))
    );
    let prom_status = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "prom-eu")
        .unwrap();
    assert_eq!(prom_status["rules"]["total"], 1);
    assert_eq!(prom_status["rules"]["failing"].as_array().unwrap().len(), 0);
}

#[test]
fn a_silence_made_by_clops_is_seen_by_amtool_and_suppresses_its_alerts() {
    require_servers();
    let (a, b) = Alertmanager::pair();
    let alerts = synthetic_alerts(12, "prod-eu");
    a.post_alerts(&alerts);
    b.post_alerts(&alerts);
    let home = tempfile::tempdir().unwrap();
    let config = pair_config(home.path(), &a, &b);

    let out = clops(home.path(), &config)
        .args([
            "silence",
            "add",
            "-m",
            "alertname=HighErrorRate",
            "-m",
            "cluster=prod-eu",
        ])
        .args([
            "--duration",
            "90m",
            "--comment",
            "payments rollback in progress",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert_eq!(id.len(), 36, "a silence id: {id}");

    // amtool, on the other peer: gossip carried it there.
    eventually("amtool on the second peer sees the silence", || {
        let out = b.amtool(&["silence", "query", "-o", "json"]);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        v.as_array().is_some_and(|s| {
            s.iter().any(|x| {
                x["id"] == id.as_str()
                    && x["createdBy"] == "tester@jump-1"
                    && x["comment"] == "payments rollback in progress"
            })
        })
    });

    let (code, v, _) = alerts_json(home.path(), &config);
    assert_eq!(code, Some(0));
    for alert in all_alerts(&v) {
        let silenced = alert["labels"]["alertname"] == "HighErrorRate";
        assert_eq!(
            alert["state"],
            if silenced { "suppressed" } else { "active" },
            "{alert}"
        );
        if silenced {
            assert_eq!(alert["silenced_by"][0], id.as_str());
        }
    }

    let out = clops(home.path(), &config)
        .args(["silence", "list", "-o", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = v["silences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id.as_str())
        .unwrap();
    assert_eq!(listed["state"], "active");
    assert_eq!(listed["matchers"][0], "alertname=\"HighErrorRate\"");

    let out = clops(home.path(), &config)
        .args(["silence", "expire", &id])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = a.amtool(&["silence", "query", "--expired", "-o", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v.as_array().unwrap().iter().any(|x| x["id"] == id.as_str()),
        "amtool lists it as expired"
    );
}

#[test]
fn read_only_refuses_silences_from_the_shell() {
    require_servers();
    let am = Alertmanager::start();
    let home = tempfile::tempdir().unwrap();
    let config = write_config(
        home.path(),
        &format!(
            "[[sources]]\nname = \"lab\"\nkind = \"alertmanager\"\nurl = \"{}\"\n",
            am.url
        ),
    );
    let out = clops(home.path(), &config)
        .args([
            "--read-only",
            "silence",
            "add",
            "-m",
            "alertname=X",
            "--comment",
            "y",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().contains("read-only"));
    assert!(
        am.silences().as_array().unwrap().is_empty(),
        "nothing reached Alertmanager"
    );
}

#[test]
fn with_one_peer_killed_nothing_is_missing_and_the_dead_peer_is_named() {
    require_servers();
    let (a, mut b) = Alertmanager::pair();
    let alerts = synthetic_alerts(20, "prod-eu");
    a.post_alerts(&alerts);
    b.post_alerts(&alerts);
    let dead = b.url.trim_start_matches("http://").to_string();
    b.kill();
    let home = tempfile::tempdir().unwrap();
    let config = pair_config(home.path(), &a, &b);
    let (code, v, stderr) = alerts_json(home.path(), &config);
    assert_eq!(code, Some(0), "the answer is whole: {stderr}");
    assert_eq!(v["stats"]["unique"], 20);
    let source = &v["sources"][0];
    assert_eq!(source["status"], "ok");
    let error = source["error"].as_str().unwrap();
    assert!(
        error.contains(&dead) && error.contains("connection refused"),
        "{error}"
    );
    assert!(stderr.contains(&dead), "{stderr}");
}

#[test]
fn with_both_peers_killed_it_fails_in_one_line() {
    require_servers();
    let (mut a, mut b) = Alertmanager::pair();
    let names = [
        a.url.trim_start_matches("http://").to_string(),
        b.url.trim_start_matches("http://").to_string(),
    ];
    a.kill();
    b.kill();
    let home = tempfile::tempdir().unwrap();
    let config = pair_config(home.path(), &a, &b);
    let (code, v, stderr) = alerts_json(home.path(), &config);
    assert_eq!(code, Some(1));
    assert_eq!(v, Value::Null, "nothing on stdout");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("clops: every source failed: prod-eu:"),
        "{stderr}"
    );
    for n in names {
        assert!(stderr.contains(&n), "{stderr}");
    }
    assert!(!stderr.contains("panicked"));
}

/// A server that answers every request on a loopback port with `reply(request_no)`
/// (raw bytes, HTTP head included), or never answers when it returns None.
fn fake_endpoint(reply: impl Fn() -> Option<Vec<u8>> + Send + 'static) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            match reply() {
                Some(bytes) => {
                    let _ = stream.write_all(&bytes);
                }
                None => held.push(stream), // keep it open, say nothing
            }
        }
    });
    url
}

fn http_reply(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

#[test]
fn broken_endpoints_are_named_errors_and_nothing_of_their_body_reaches_the_terminal() {
    let html =
        b"<!DOCTYPE html><html><title>Corp SSO \x1b]0;owned\x07Login</title></html>".to_vec();
    let truncated = b"[{\"labels\":{\"alertname\":\"Trunc\x1b[31m".to_vec();
    let huge = vec![b' '; 50 * 1024 * 1024];
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "html",
            fake_endpoint(move || Some(http_reply("text/html", &html))),
            "HTML page",
        ),
        (
            "truncated",
            fake_endpoint(move || Some(http_reply("application/json", &truncated))),
            "not valid JSON",
        ),
        (
            // Within the limit, so read whole; nothing but blanks in it.
            "huge",
            fake_endpoint(move || Some(http_reply("application/json", &huge))),
            "truncated",
        ),
        ("silent", fake_endpoint(|| None), "no answer within 2s"),
    ];
    for (name, url, expected) in cases {
        // 50 MiB must arrive whole before the timeout, even on a busy machine.
        let timeout = if name == "silent" { "2s" } else { "30s" };
        let (stdout, stderr) = failing_alerts(name, &url, timeout);
        assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("every source failed: {name}:")),
            "{name}: {stderr}"
        );
        assert!(
            stderr.contains(expected),
            "{name}: expected `{expected}` in {stderr}"
        );
        for leak in ["Corp SSO", "owned", "Trunc", "\u{1b}", "\u{7}"] {
            assert!(
                !stderr.contains(leak),
                "{name}: the body leaked `{leak:?}`: {stderr:?}"
            );
        }
        assert!(stdout.is_empty());
    }
}

#[test]
fn alertmanagers_own_routing_groups_are_read() {
    require_servers();
    let am = Alertmanager::start_with_config(
        "route:\n  receiver: \"team\"\n  group_by: [alertname]\nreceivers:\n  - name: \"team\"\n",
    );
    let alerts = synthetic_alerts(16, "prod-eu");
    am.post_alerts(&alerts);
    let client = clops::sources::http::HttpClient::new(&clops::sources::http::HttpSettings {
        timeout: std::time::Duration::from_secs(5),
        ..Default::default()
    })
    .unwrap();
    let source = clops::sources::alertmanager::AlertmanagerSource::new(
        "prod-eu",
        client,
        vec![clops::sources::http::Endpoint::parse(&am.url).unwrap()],
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut groups = None;
    eventually("Alertmanager has grouped every alert", || {
        let g = rt.block_on(source.route_groups()).unwrap();
        let n: usize = g.iter().map(|g| g.fingerprints.len()).sum();
        let done = n == 16;
        groups = Some(g);
        done
    });
    let groups = groups.unwrap();
    assert_eq!(groups.len(), 8, "one group per alertname");
    for g in &groups {
        assert_eq!(g.receiver, "team");
        assert_eq!(g.labels.keys().collect::<Vec<_>>(), ["alertname"]);
        assert_eq!(g.fingerprints.len(), 2);
    }
}

#[test]
fn a_storm_through_a_real_ha_pair_comes_out_as_its_incidents() {
    require_servers();
    let (a, b) = Alertmanager::pair();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/storms");
    for storm in ["storm-1", "storm-2", "storm-3"] {
        let dir = fixtures.join(storm);
        let alerts: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("alerts.json")).unwrap())
                .unwrap();
        // As the storm README says: start times relative to now, ends hours ahead; the
        // same list to both peers, as Prometheus sends it.
        let now = chrono::Utc::now();
        let posted: Vec<Value> = alerts
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                let starts =
                    now + chrono::Duration::seconds(x["starts_offset_s"].as_i64().unwrap());
                serde_json::json!({
                    "labels": x["labels"],
                    "annotations": x["annotations"],
                    "startsAt": starts.to_rfc3339(),
                    "endsAt": (now + chrono::Duration::hours(6)).to_rfc3339(),
                })
            })
            .collect();
        // Each storm in its own pair-state: expire what the previous one left.
        let expire: Vec<Value> = a
            .alerts()
            .as_array()
            .unwrap()
            .iter()
            .map(|x| serde_json::json!({"labels": x["labels"], "endsAt": now.to_rfc3339()}))
            .collect();
        if !expire.is_empty() {
            a.post_alerts(&Value::Array(expire.clone()));
            b.post_alerts(&Value::Array(expire));
        }
        a.post_alerts(&Value::Array(posted.clone()));
        b.post_alerts(&Value::Array(posted.clone()));
        eventually("both peers hold exactly the storm", || {
            [&a, &b]
                .iter()
                .all(|am| am.alerts().as_array().map(Vec::len) == Some(posted.len()))
        });
        let home = tempfile::tempdir().unwrap();
        let config = write_config(
            home.path(),
            &format!(
                "[[sources]]\nname = \"prod\"\nkind = \"alertmanager\"\nurls = [\"{}\", \"{}\"]\n\n[[sources]]\nname = \"catalog\"\nkind = \"catalog\"\npath = \"{}\"\n",
                a.url,
                b.url,
                dir.join("catalog.toml").display()
            ),
        );
        let out = clops(home.path(), &config)
            .args(["alerts", "-o", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            v["stats"]["raw"].as_u64().unwrap() as usize,
            2 * posted.len(),
            "{storm}: both peers' copies"
        );
        assert_eq!(
            v["stats"]["unique"].as_u64().unwrap() as usize,
            posted.len()
        );
        // Scored by the storm's own script.
        let output = home.path().join("alerts.json");
        std::fs::write(&output, &out.stdout).unwrap();
        let scored = std::process::Command::new("python3")
            .arg(fixtures.join("score.py"))
            .arg(&dir)
            .arg(&output)
            .output()
            .expect("python3 runs score.py");
        let score: Value = serde_json::from_slice(&scored.stdout)
            .unwrap_or_else(|_| panic!("score.py: {}", String::from_utf8_lossy(&scored.stderr)));
        println!("{storm} through the HA pair: {score}");
        assert_eq!(score["missing"], 0, "{storm}: {score}");
        assert!(
            score["precision"].as_f64().unwrap() >= 0.9,
            "{storm}: {score}"
        );
        assert!(
            score["recall"].as_f64().unwrap() >= 0.85,
            "{storm}: {score}"
        );
    }
}

/// The source `name` reading the Alertmanagers at `urls`, and a runtime to poll it on.
fn source_of(
    name: &str,
    urls: &[&str],
) -> (
    clops::sources::alertmanager::AlertmanagerSource,
    tokio::runtime::Runtime,
) {
    use clops::sources::http::{Endpoint, HttpClient, HttpSettings};
    let client = HttpClient::new(&HttpSettings {
        timeout: std::time::Duration::from_secs(30),
        ..Default::default()
    })
    .unwrap();
    let peers = urls.iter().map(|u| Endpoint::parse(u).unwrap()).collect();
    let source = clops::sources::alertmanager::AlertmanagerSource::new(name, client, peers);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    (source, rt)
}

/// Both peers hold `n` alerts, each processed (no longer `unprocessed`).
fn settled(a: &Alertmanager, b: &Alertmanager, n: usize) {
    eventually("both peers hold every alert, processed", || {
        [a, b].iter().all(|am| {
            let alerts = am.alerts();
            let alerts = alerts.as_array().unwrap();
            alerts.len() == n && alerts.iter().all(|x| x["status"]["state"] == "active")
        })
    });
}

#[test]
fn an_unchanged_alert_is_not_parsed_again_and_a_new_one_is() {
    use clops::sources::{Source, SourceSet, SourceUpdate};
    require_servers();
    let (a, b) = Alertmanager::pair();
    let alerts = synthetic_alerts(40, "prod-eu");
    a.post_alerts(&alerts);
    b.post_alerts(&alerts);
    settled(&a, &b, 40);
    let (source, rt) = source_of("prod-eu", &[&a.url, &b.url]);
    let mut set = SourceSet::new([("prod-eu", "alertmanager")]);
    let mut poll = || {
        let snapshot = rt.block_on(source.fetch()).unwrap();
        let alerts = snapshot.alerts.clone();
        let changed = set.apply(SourceUpdate {
            source: "prod-eu".into(),
            at: snapshot.taken_at,
            result: Ok(snapshot),
        });
        (changed, alerts)
    };

    let (changed, first) = poll();
    assert!(changed);
    assert_eq!(first.len(), 80, "both peers' copies");
    assert_eq!(source.parsed_alerts(), 80, "every alert of both peers");

    let (changed, second) = poll();
    assert!(!changed, "nothing to show anew");
    assert_eq!(
        source.parsed_alerts(),
        80,
        "the same replies are not parsed again"
    );
    assert!(
        std::sync::Arc::ptr_eq(&first, &second),
        "the last alerts are handed on, not rebuilt"
    );

    // Prometheus resends every firing alert each evaluation: `updatedAt` and `endsAt`
    // move, nothing clops shows does.
    let before = a.alerts();
    a.post_alerts(&alerts);
    b.post_alerts(&alerts);
    eventually("the resend is in", || a.alerts() != before);
    let (changed, resent) = poll();
    assert!(!changed, "a resend is nothing new");
    assert_eq!(source.parsed_alerts(), 80, "a resend is not parsed");
    assert!(std::sync::Arc::ptr_eq(&first, &resent));

    let one_more = synthetic_alerts(41, "prod-eu");
    let newest = serde_json::json!([one_more[40].clone()]);
    a.post_alerts(&newest);
    b.post_alerts(&newest);
    settled(&a, &b, 41);
    let (changed, third) = poll();
    assert!(changed);
    assert_eq!(
        source.parsed_alerts(),
        82,
        "only the new alert is parsed, once a peer"
    );
    assert_eq!(third.len(), 82);
    let kept = third
        .iter()
        .find(|x| x.fingerprint == first[0].fingerprint)
        .unwrap();
    assert!(
        kept.labels.same(&first[0].labels),
        "an alert that did not change keeps the labels it had, not a copy"
    );
}

#[test]
fn fingerprints_are_alertmanagers_and_clops_computes_them_alike() {
    use clops::sources::Source;
    require_servers();
    let am = Alertmanager::start();
    let alerts = synthetic_alerts(25, "prod-us");
    am.post_alerts(&alerts);
    eventually("the alerts arrived", || {
        am.alerts().as_array().map(Vec::len) == Some(25)
    });
    let theirs: std::collections::BTreeMap<String, Value> = am
        .alerts()
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["fingerprint"].as_str().unwrap().to_string(),
                x["labels"].clone(),
            )
        })
        .collect();
    let (source, rt) = source_of("prod-us", &[&am.url]);
    let snapshot = rt.block_on(source.fetch()).unwrap();
    assert_eq!(snapshot.alerts.len(), 25);
    for alert in snapshot.alerts.iter() {
        let labels = &theirs[&alert.fingerprint.to_string()];
        assert_eq!(labels["instance"], alert.label("instance"));
        assert_eq!(
            clops::model::fingerprint(alert.matched_labels()),
            alert.fingerprint,
            "clops's own hash of the labels is the one Alertmanager sent"
        );
    }
}

/// A server on a loopback port answering `GET /api/v2/alerts` with `alerts` (chunked
/// when `chunked`) and every other path with an empty list.
fn fake_alertmanager(alerts: std::sync::Arc<Vec<u8>>, chunked: bool) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let alerts = alerts.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let n = stream.read(&mut buf).unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]);
                if !head.starts_with("GET /api/v2/alerts ") {
                    let _ = stream.write_all(&http_reply("application/json", b"[]"));
                    return;
                }
                if !chunked {
                    let _ = stream.write_all(&http_reply("application/json", &alerts));
                    return;
                }
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                );
                for piece in alerts.chunks(64 * 1024) {
                    let size = format!("{:x}\r\n", piece.len());
                    if stream.write_all(size.as_bytes()).is_err()
                        || stream.write_all(piece).is_err()
                        || stream.write_all(b"\r\n").is_err()
                    {
                        return;
                    }
                }
                let _ = stream.write_all(b"0\r\n\r\n");
            });
        }
    });
    url
}

/// `n` alerts as Alertmanager sends them, ~560 bytes each.
fn alertmanager_reply(n: usize) -> Vec<u8> {
    let mut out = b"[".to_vec();
    for i in 0..n {
        if i > 0 {
            out.push(b',');
        }
        let labels: std::collections::BTreeMap<&str, String> = [
            ("alertname", "HighErrorRate".to_string()),
            ("cluster", "prod-eu".to_string()),
            ("instance", format!("checkout-{i:06}.prod-eu:8080")),
            ("job", "checkout".to_string()),
            ("service", "checkout".to_string()),
            ("severity", "critical".to_string()),
        ]
        .into_iter()
        .collect();
        let fp = clops::model::fingerprint(&labels.iter().map(|(k, v)| (*k, v.as_str())).collect());
        let alert = serde_json::json!({
            "annotations": {
                "description": format!("Synthetic alert {i} of {n} in prod-eu, with a longer description."),
                "summary": format!("HighErrorRate on checkout-{i:06}.prod-eu:8080"),
            },
            "endsAt": "2026-12-02T19:00:00.000Z",
            "fingerprint": fp.to_string(),
            "receivers": [{"name": "null"}],
            "startsAt": "2026-12-02T13:00:00.000Z",
            "status": {"inhibitedBy": [], "silencedBy": [], "state": "active"},
            "updatedAt": "2026-12-02T13:00:01.000Z",
            "labels": labels,
        });
        serde_json::to_writer(&mut out, &alert).unwrap();
    }
    out.push(b']');
    out
}

#[test]
fn a_reply_larger_than_32_mib_is_read_whole() {
    use clops::sources::Source;
    let n = 70_000;
    let body = alertmanager_reply(n);
    assert!(body.len() > 32 * 1024 * 1024, "{} bytes", body.len());
    let url = fake_alertmanager(std::sync::Arc::new(body), true);
    let (source, rt) = source_of("big", &[&url]);
    let snapshot = rt.block_on(source.fetch()).unwrap();
    assert_eq!(snapshot.alerts.len(), n);
    assert!(snapshot.partial_errors.is_empty());
    assert_eq!(
        snapshot.alerts[n - 1].label("instance"),
        format!("checkout-{:06}.prod-eu:8080", n - 1)
    );
}

#[test]
fn a_reply_over_the_limit_is_refused_and_says_which_source() {
    // Past the limit while it streams, with no length declared: the read stops there.
    let spaces = std::sync::Arc::new(vec![b' '; 129 * 1024 * 1024]);
    let streamed = fake_alertmanager(spaces, true);
    // A declared length past the limit is refused before anything is read.
    let declared = fake_endpoint(|| {
        Some(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200000000\r\nConnection: close\r\n\r\n[]"
                .to_vec(),
        )
    });
    for (name, url) in [("streamed", streamed), ("declared", declared)] {
        let (_, stderr) = failing_alerts(name, &url, "20s");
        let host = url.trim_start_matches("http://");
        assert!(
            stderr.contains(&format!("every source failed: {name}: {host} sent a reply clops cannot read: the reply is larger than 128 MiB")),
            "{name}: {stderr}"
        );
    }
}

/// `clops alerts` on one Alertmanager source `name` at `url` that is expected to fail:
/// what it printed on stdout and on stderr, once the exit code was checked.
fn failing_alerts(name: &str, url: &str, timeout: &str) -> (Vec<u8>, String) {
    let home = tempfile::tempdir().unwrap();
    let config = write_config(
        home.path(),
        &format!(
            "[[sources]]\nname = \"{name}\"\nkind = \"alertmanager\"\nurl = \"{url}\"\ntimeout = \"{timeout}\"\n"
        ),
    );
    let out = clops(home.path(), &config)
        .args(["alerts"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
    (out.stdout, stderr)
}

/// Storms shaped like real Kubernetes clusters (storm-4 … storm-9) through a real HA
/// pair, as their README says: the config fragment appended, a live dependency source
/// (a Jaeger answering with the storm's true edges) beside the stale catalog, and each
/// flapping alert's earlier firings replayed first (fire, poll with `clops alerts`,
/// resolve), so what one run saw the next knows from the data dir.
#[test]
fn second_generation_storms_through_a_real_ha_pair_come_out_as_their_incidents() {
    use common::fake_http::{FakeServer, Reply};
    require_servers();
    let (a, b) = Alertmanager::pair();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/storms");
    let post_both = |alerts: Vec<Value>| {
        let alerts = Value::Array(alerts);
        a.post_alerts(&alerts);
        b.post_alerts(&alerts);
    };
    let mut scores = Vec::new();
    for storm in [
        "storm-4", "storm-5", "storm-6", "storm-7", "storm-8", "storm-9",
    ] {
        let dir = fixtures.join(storm);
        let read = |file: &str| -> Value {
            serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap()
        };
        let (alerts, world) = (read("alerts.json"), read("world.json"));
        let links: Vec<Value> = world["true_edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| serde_json::json!({"parent": e[0], "child": e[1], "callCount": 3600}))
            .collect();
        let dependencies = serde_json::json!({ "data": links }).to_string();
        let jaeger = FakeServer::start(move |_| Reply::status(200).body(&dependencies));
        let now = chrono::Utc::now();
        let at = |offset: i64| (now + chrono::Duration::seconds(offset)).to_rfc3339();
        // Each storm in its own pair-state: expire what the previous one left.
        let expire: Vec<Value> = a
            .alerts()
            .as_array()
            .unwrap()
            .iter()
            .map(|x| serde_json::json!({"labels": x["labels"], "endsAt": at(0)}))
            .collect();
        if !expire.is_empty() {
            post_both(expire);
        }
        eventually("both peers are empty", || {
            [&a, &b]
                .iter()
                .all(|am| am.alerts().as_array().is_some_and(Vec::is_empty))
        });
        let home = tempfile::tempdir().unwrap();
        let fragment = std::fs::read_to_string(dir.join("clops.toml")).unwrap_or_default();
        let config = write_config(
            home.path(),
            &format!(
                "{fragment}\n[[sources]]\nname = \"prod\"\nkind = \"alertmanager\"\nurls = [\"{}\", \"{}\"]\n\n[[sources]]\nname = \"catalog\"\nkind = \"catalog\"\npath = \"{}\"\n\n[[sources]]\nname = \"traces\"\nkind = \"jaeger\"\nurl = \"{}\"\ntimeout = \"3s\"\n",
                a.url,
                b.url,
                dir.join("catalog.toml").display(),
                jaeger.url()
            ),
        );
        let poll = || {
            let out = clops(home.path(), &config)
                .args(["alerts", "-o", "json"])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        // The flap history, replayed: each earlier firing fires, is polled, resolves.
        let mut firings: Vec<(i64, i64, &Value)> = alerts
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|x| {
                x["flap_history"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(move |f| (f[0].as_i64().unwrap(), f[1].as_i64().unwrap(), x))
            })
            .collect();
        firings.sort_by_key(|f| (f.0, f.1));
        for (start, end, x) in firings {
            let firing = serde_json::json!({
                "labels": x["labels"], "annotations": x["annotations"],
                "startsAt": at(start), "endsAt": at(6 * 3600),
            });
            post_both(vec![firing.clone()]);
            eventually("the firing is held", || {
                [&a, &b].iter().all(|am| {
                    am.alerts().as_array().is_some_and(|l| {
                        l.iter()
                            .any(|y| y["labels"] == x["labels"] && y["status"]["state"] == "active")
                    })
                })
            });
            poll();
            let mut resolved = firing;
            resolved["endsAt"] = Value::String(at(end));
            post_both(vec![resolved]);
            eventually("the firing is resolved", || {
                [&a, &b]
                    .iter()
                    .all(|am| am.alerts().as_array().is_some_and(Vec::is_empty))
            });
        }
        let posted: Vec<Value> = alerts
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                serde_json::json!({
                    "labels": x["labels"],
                    "annotations": x["annotations"],
                    "startsAt": at(x["starts_offset_s"].as_i64().unwrap()),
                    "endsAt": at(6 * 3600),
                })
            })
            .collect();
        let n = posted.len();
        post_both(posted);
        eventually("both peers hold exactly the storm", || {
            [&a, &b]
                .iter()
                .all(|am| am.alerts().as_array().map(Vec::len) == Some(n))
        });
        let output = home.path().join("alerts.json");
        std::fs::write(&output, poll()).unwrap();
        let score = |baseline: bool| -> Value {
            let mut cmd = std::process::Command::new("python3");
            cmd.arg(fixtures.join("score.py")).arg(&dir);
            if baseline {
                cmd.args(["--baseline", "alertname,cluster,service"]);
            } else {
                cmd.arg(&output);
            }
            let scored = cmd.output().expect("python3 runs score.py");
            serde_json::from_slice(&scored.stdout)
                .unwrap_or_else(|_| panic!("score.py: {}", String::from_utf8_lossy(&scored.stderr)))
        };
        let (ours, plain) = (score(false), score(true));
        println!("{storm} through the HA pair: {ours}; plain label grouping: {plain}");
        scores.push((storm, ours));
    }
    for (storm, score) in scores {
        assert_eq!(score["missing"], 0, "{storm}: {score}");
        assert!(
            score["precision"].as_f64().unwrap() >= 0.95,
            "{storm}: {score}"
        );
        assert!(
            score["recall"].as_f64().unwrap() >= 0.90,
            "{storm}: {score}"
        );
    }
}
