//! Silences that do what was typed, against real Alertmanagers: the dry run shows the
//! matchers as Alertmanager stores them and the alerts they cover (the same alerts
//! amtool finds); a created silence is read back from every peer, and clops fails
//! loudly when a peer holds something else or never shows it; `extend` moves the end.

mod common;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use common::servers::{Alertmanager, eventually, http, require_servers, synthetic_alerts};
use serde_json::Value;

/// clops with a private home, a known author and `config`.
fn clops(home: &Path, config: &Path) -> std::process::Command {
    let mut cmd = common::clops_process(home);
    cmd.env("CLOPS_AUTHOR", "tester@jump-1")
        .arg("--config")
        .arg(config);
    cmd
}

fn config_for(home: &Path, urls: &[&str]) -> PathBuf {
    let path = home.join("clops.toml");
    let urls: Vec<String> = urls.iter().map(|u| format!("\"{u}\"")).collect();
    std::fs::write(
        &path,
        format!(
            "[[sources]]\nname = \"prod-eu\"\nkind = \"alertmanager\"\nurls = [{}]\ntimeout = \"3s\"\n",
            urls.join(", ")
        ),
    )
    .unwrap();
    path
}

/// Fingerprints of the alerts `amtool alert query` finds for `matchers` (one per
/// argument, as amtool takes them).
fn amtool_fingerprints(am: &Alertmanager, matchers: &[&str]) -> BTreeSet<String> {
    let mut args = vec!["alert", "query", "-o", "json", "--active", "--silenced"];
    args.extend(matchers);
    let out = am.amtool(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|a| a["fingerprint"].as_str().unwrap().to_string())
        .collect()
}

fn active_silences(am: &Alertmanager) -> Vec<Value> {
    am.silences()
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"]["state"] == "active")
        .cloned()
        .collect()
}

#[test]
fn a_dry_run_shows_the_stored_matchers_and_the_alerts_amtool_finds_and_creates_nothing() {
    require_servers();
    let (a, b) = Alertmanager::pair();
    let alerts = synthetic_alerts(40, "prod-eu");
    a.post_alerts(&alerts);
    b.post_alerts(&alerts);
    let home = tempfile::tempdir().unwrap();
    let config = config_for(home.path(), &[&a.url, &b.url]);
    let out = clops(home.path(), &config)
        .args(["silence", "add", "--dry-run", "-o", "json"])
        .args(["-m", r#"{alertname=~"High.*", service!="search"}"#])
        .args(["-m", "severity=critical"])
        .args(["--comment", "db failover", "--duration", "45m"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["dry_run"], true);
    let matchers: Vec<(String, String, bool, bool)> = v["matchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap().into(),
                m["value"].as_str().unwrap().into(),
                m["isRegex"].as_bool().unwrap(),
                m["isEqual"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        matchers,
        [
            ("alertname".into(), "High.*".into(), true, true),
            ("service".into(), "search".into(), false, false),
            ("severity".into(), "critical".into(), false, true),
        ]
    );
    let covered: BTreeSet<String> = v["covers"]["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["fingerprint"].as_str().unwrap().to_string())
        .collect();
    let expected = amtool_fingerprints(
        &a,
        &[
            r#"alertname=~"High.*""#,
            r#"service!="search""#,
            "severity=critical",
        ],
    );
    assert!(!expected.is_empty(), "the test covers some alerts");
    assert_eq!(covered, expected, "the same alerts amtool finds");
    assert_eq!(v["covers"]["count"], expected.len());
    assert!(
        a.silences().as_array().unwrap().is_empty(),
        "nothing was created"
    );

    // The table says the same, in words.
    let out = clops(home.path(), &config)
        .args([
            "silence",
            "add",
            "--dry-run",
            "-m",
            "alertname=HighErrorRate,cluster=prod-eu",
        ])
        .args(["--comment", "db failover"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Dry run: nothing was created."), "{text}");
    assert!(
        text.contains("  alertname=\"HighErrorRate\"\n  cluster=\"prod-eu\"\n"),
        "{text}"
    );
    let n = amtool_fingerprints(&a, &["alertname=HighErrorRate"]).len();
    assert!(
        text.contains(&format!("It covers {n} alerts now:")),
        "{text}"
    );
    assert_eq!(text.matches("HighErrorRate  ").count(), n, "{text}");
}

#[test]
fn matchers_alertmanager_refuses_are_refused_with_the_column_and_nothing_is_created() {
    require_servers();
    let am = Alertmanager::start();
    let home = tempfile::tempdir().unwrap();
    let config = config_for(home.path(), &[&am.url]);
    for (typed, column) in [
        (r#"job="value"#, 5),
        (r#"job=value""#, 10),
        ("foo=bar,,baz=qux", 9),
        ("payments, checkout", 9),
    ] {
        let out = clops(home.path(), &config)
            .args(["silence", "add", "-m", typed, "--comment", "x"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{typed}: a usage error");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with("clops: --matcher:") && err.contains(&format!("column {column} ")),
            "{typed}: {err}"
        );
    }
    assert!(am.silences().as_array().unwrap().is_empty());
}

#[test]
fn a_peer_that_never_shows_the_silence_fails_the_command_loudly() {
    require_servers();
    // Two Alertmanagers that are not one cluster, configured as if they were.
    let a = Alertmanager::start();
    let b = Alertmanager::start();
    let home = tempfile::tempdir().unwrap();
    let config = config_for(home.path(), &[&a.url, &b.url]);
    let out = clops(home.path(), &config)
        .args([
            "silence",
            "add",
            "-m",
            "alertname=Down",
            "--comment",
            "maintenance",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    let b_label = b.url.trim_start_matches("http://");
    assert!(
        err.contains("was created, but")
            && err.contains(b_label)
            && err.contains("does not have it")
            && err.contains("split"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(out.stdout.is_empty(), "no id printed as if all was well");
}

#[test]
fn a_dead_peer_is_named_and_the_answer_is_partial() {
    require_servers();
    let (a, mut b) = Alertmanager::pair();
    b.kill();
    let home = tempfile::tempdir().unwrap();
    let config = config_for(home.path(), &[&a.url, &b.url]);
    let out = clops(home.path(), &config)
        .args([
            "silence",
            "add",
            "-m",
            "alertname=Down",
            "--comment",
            "maintenance",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "created, not read back everywhere"
    );
    let id = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert_eq!(active_silences(&a).len(), 1);
    assert_eq!(active_silences(&a)[0]["id"], id.as_str());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("warning") && err.contains(b.url.trim_start_matches("http://")),
        "{err}"
    );
}

/// A proxy in front of a real Alertmanager that drops the last matcher of every silence
/// it passes on: the silence stored is broader than the one asked for.
fn dropping_proxy(upstream: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let upstream = upstream.clone();
            std::thread::spawn(move || {
                let mut raw = Vec::new();
                let mut buf = [0u8; 8192];
                let (head, body) = loop {
                    let n = stream.read(&mut buf).unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    raw.extend_from_slice(&buf[..n]);
                    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
                        continue;
                    };
                    let head = String::from_utf8_lossy(&raw[..end]).to_string();
                    let length = head
                        .lines()
                        .find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case("content-length")
                                .then(|| v.trim().parse::<usize>().ok())?
                        })
                        .unwrap_or(0);
                    if raw.len() >= end + 4 + length {
                        let body = String::from_utf8_lossy(&raw[end + 4..end + 4 + length]);
                        break (head, body.to_string());
                    }
                };
                let mut first = head.lines().next().unwrap_or("").split(' ');
                let (method, path) = (first.next().unwrap_or(""), first.next().unwrap_or(""));
                let mut body = body;
                if method == "POST" && path.ends_with("/api/v2/silences") {
                    let mut v: Value = serde_json::from_str(&body).unwrap();
                    v["matchers"].as_array_mut().unwrap().pop();
                    body = v.to_string();
                }
                let sent = (!body.is_empty()).then_some(body.as_str());
                let answer = http(method, &format!("{upstream}{path}"), sent).unwrap();
                let reply = format!(
                    "HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                    answer.status,
                    answer.body.len(),
                    answer.body
                );
                let _ = stream.write_all(reply.as_bytes());
            });
        }
    });
    url
}

#[test]
fn a_silence_stored_differently_from_what_was_asked_fails_and_is_expired_again() {
    require_servers();
    let am = Alertmanager::start();
    let proxy = dropping_proxy(am.url.clone());
    let home = tempfile::tempdir().unwrap();
    let config = config_for(home.path(), &[&proxy]);
    let out = clops(home.path(), &config)
        .args([
            "silence",
            "add",
            "-m",
            "service=checkout",
            "-m",
            "alertname=HighErrorRate",
        ])
        .args(["--comment", "rollback"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("is not what was asked")
            && err.contains(r#"matchers {service="checkout"} instead of {alertname="HighErrorRate", service="checkout"}"#)
            && err.contains("expired again"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    let silences = am.silences();
    let all = silences.as_array().unwrap();
    assert_eq!(all.len(), 1, "{silences}");
    eventually("the broader silence is expired", || {
        active_silences(&am).is_empty()
    });
}

#[test]
fn extend_moves_the_end_on_every_peer() {
    require_servers();
    let (a, b) = Alertmanager::pair();
    let home = tempfile::tempdir().unwrap();
    let config = config_for(home.path(), &[&a.url, &b.url]);
    let out = clops(home.path(), &config)
        .args([
            "silence",
            "add",
            "-m",
            "alertname=Down",
            "--comment",
            "maintenance",
        ])
        .args(["--duration", "1h"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let ends = |am: &Alertmanager, id: &str| {
        let s = am.get(&format!("/api/v2/silence/{id}"));
        chrono::DateTime::parse_from_rfc3339(s["endsAt"].as_str().unwrap()).unwrap()
    };
    let before = ends(&a, &id);

    let out = clops(home.path(), &config)
        .args(["silence", "extend", &id, "90m"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(
        said.starts_with(&format!("extended {id} in prod-eu: ends ")),
        "{said}"
    );
    // Alertmanager may give the changed silence a new id; clops says which.
    let now_id = match said.split("the new id ").nth(1) {
        Some(rest) => rest.trim_end_matches([')', '\n']).to_string(),
        None => id.clone(),
    };
    for am in [&a, &b] {
        assert_eq!(
            ends(am, &now_id) - before,
            chrono::Duration::minutes(90),
            "{}",
            am.url
        );
    }
    assert_eq!(active_silences(&a).len(), 1, "one silence, not two");

    // An expired silence is not brought back by extending it.
    let out = clops(home.path(), &config)
        .args(["silence", "expire", &now_id])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = clops(home.path(), &config)
        .args(["silence", "extend", &now_id, "1h"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("expired") && err.contains("silence add"),
        "{err}"
    );
    assert!(active_silences(&a).is_empty());
}

#[test]
fn in_the_console_an_ack_a_split_cluster_never_shows_is_an_error_not_done() {
    use common::pty::{Session, clops_command};
    require_servers();
    // Two Alertmanagers that are not one cluster, configured as if they were.
    let a = Alertmanager::start();
    let b = Alertmanager::start();
    let alerts = synthetic_alerts(1, "prod-eu");
    a.post_alerts(&alerts);
    b.post_alerts(&alerts);
    let home = tempfile::tempdir().unwrap();
    let config = config_for(home.path(), &[&a.url, &b.url]);
    let mut cmd = clops_command(home.path(), &["--config", config.to_str().unwrap()]);
    cmd.env("CLOPS_AUTHOR", "tester@jump-1");
    let mut console = Session::spawn(cmd, 120, 30);
    console.wait_for("the alert", |s| s.contains("HighErrorRate"));
    console.send(b"a");
    console.wait_for("the ack's confirmation", |s| {
        s.contains("Ack 1 alert (HighErrorRate on checkout in prod-eu)")
    });
    console.send(b"y");
    let screen = console.wait_for("the failure", |s| s.contains("failed:"));
    let b_label = b.url.trim_start_matches("http://");
    assert!(
        screen.contains("was created, but") && screen.contains(&b_label[..b_label.len().min(10)]),
        "{screen}"
    );
    assert!(!screen.contains("done:"), "{screen}");
    console.send(b"q");
    console.wait_exit();
}
