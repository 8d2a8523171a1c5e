//! `clops deploys` as a script or a user at a shell sees it.

mod common;

use std::path::Path;
use std::process::Output;

use chrono::{DateTime, SecondsFormat, Utc};
use common::fake_http::{FakeServer, Reply};
use common::stdout_json;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

fn clops(home: &Path, args: &[&str]) -> Output {
    common::clops_process(home).args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn at(d: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(d["at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

fn write_config(home: &Path, text: &str) -> String {
    let path = home.join("clops.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn deploys_demo_json_follows_the_contract_newest_first() {
    let home = tempfile::tempdir().unwrap();
    let out = clops(home.path(), &["deploys", "--demo", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = stdout_json(&out);
    assert_eq!(keys(&v), ["deploys"]);
    let deploys = v["deploys"].as_array().unwrap();
    assert!(deploys.len() > 5, "the demo has a deploy history");
    for d in deploys {
        assert_eq!(
            keys(d)[..6],
            ["service", "version", "at", "source", "status", "url"],
            "{d}"
        );
        assert!(d["at"].as_str().unwrap().ends_with('Z'), "{d}");
        assert!(["demo-eu", "demo-us"].contains(&d["source"].as_str().unwrap()));
        assert!(d["environment"].as_str().unwrap().starts_with("prod-"));
    }
    let times: Vec<DateTime<Utc>> = deploys.iter().map(at).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let oldest_allowed = Utc::now() - chrono::Duration::hours(6) - chrono::Duration::minutes(1);
    assert!(
        times.iter().all(|t| *t >= oldest_allowed),
        "the default window is 6h"
    );
}

#[test]
fn since_narrows_the_window_and_a_bad_one_is_a_usage_error() {
    let home = tempfile::tempdir().unwrap();
    let count = |since: &str| {
        let out = clops(
            home.path(),
            &["deploys", "--demo", "--since", since, "-o", "json"],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout_json(&out)["deploys"].as_array().unwrap().len()
    };
    let (hour, day) = (count("1h"), count("24h"));
    assert!(hour < day, "1h: {hour}, 24h: {day}");
    for bad in ["soon", "0s", "6"] {
        let out = clops(home.path(), &["deploys", "--demo", "--since", bad]);
        assert_eq!(out.status.code(), Some(2), "--since {bad}");
        assert!(stderr(&out).contains("--since"), "{}", stderr(&out));
    }
}

#[test]
fn deploys_demo_table_is_readable_at_80_columns() {
    let home = tempfile::tempdir().unwrap();
    let out = clops(home.path(), &["deploys", "--demo"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    for line in &lines {
        assert!(line.width() <= 80, "{} columns: {line}", line.width());
    }
    for column in [
        "AGE", "UTC", "SERVICE", "VERSION", "STATUS", "ENV", "SOURCE",
    ] {
        assert!(lines[0].contains(column), "{}", lines[0]);
    }
    assert!(lines.iter().any(|l| l.contains("demo-eu")), "{table}");
    assert!(
        lines
            .last()
            .unwrap()
            .contains("in the last 6h, from 2 sources"),
        "{table}"
    );
}

fn ago(minutes: i64) -> String {
    (Utc::now() - chrono::Duration::minutes(minutes)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A deploy line as a `command` source prints it.
fn line(service: &str, version: &str, minutes_ago: i64) -> String {
    format!(
        r#"{{"service":"{service}","version":"{version}","at":"{}","status":"success"}}"#,
        ago(minutes_ago)
    )
}

#[test]
fn a_failing_source_makes_the_answer_partial_naming_it_never_its_token() {
    let home = tempfile::tempdir().unwrap();
    let github = FakeServer::start(|_| {
        Reply::status(401).body(
            r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}"#,
        )
    });
    let config = write_config(
        home.path(),
        &format!(
            "[[sources]]\nname = \"ci\"\nkind = \"command\"\ncommand = '''echo '{}'; echo '{}'; echo 'not json' '''\n\n\
             [[sources]]\nname = \"gh-checkout\"\nkind = \"github\"\nurl = \"{}\"\nrepo = \"acme/checkout\"\n\n\
             [[sources]]\nname = \"am\"\nkind = \"alertmanager\"\nurl = \"http://127.0.0.1:9\"\n",
            line("checkout", "v2.8.0", 5),
            line("payments", "v1.4.2", 90),
            github.url()
        ),
    );
    let out = common::clops_process(home.path())
        .args(["deploys", "-o", "json", "--config", &config])
        .env("CLOPS_TOKEN_GH_CHECKOUT", "ghp_tokenThatMustNeverShow")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    let v = stdout_json(&out);
    let versions: Vec<&str> = v["deploys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["v2.8.0", "v1.4.2"]);
    assert!(
        err.contains("source gh-checkout failed") && err.contains("HTTP 401"),
        "{err}"
    );
    assert!(
        err.contains("source ci answered, but") && err.contains("line 3"),
        "{err}"
    );
    assert!(!err.contains("ghp_tokenThatMustNeverShow"), "{err}");
    // Alertmanager reports no deploys: it is not asked (and its absence is no failure).
    assert!(!err.contains("source am"), "{err}");
    assert_eq!(github.requests().len(), 1);
}

#[test]
fn every_deploy_source_failing_is_exit_1_naming_them() {
    let home = tempfile::tempdir().unwrap();
    let config = write_config(
        home.path(),
        "[[sources]]\nname = \"ci\"\nkind = \"command\"\ncommand = \"echo 'deploy log unreachable' >&2; exit 2\"\n",
    );
    let out = clops(home.path(), &["deploys", "--config", &config]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(
            "every source failed: ci: the command exited with status 2: deploy log unreachable"
        ),
        "{err}"
    );
}

#[test]
fn no_deploy_source_is_one_clear_line() {
    let home = tempfile::tempdir().unwrap();
    let config = write_config(
        home.path(),
        "[[sources]]\nname = \"am\"\nkind = \"alertmanager\"\nurl = \"http://127.0.0.1:9\"\n",
    );
    let out = clops(home.path(), &["deploys", "--config", &config]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("no deploy sources configured") && err.contains("--demo"),
        "{err}"
    );
}

#[test]
fn an_empty_window_says_so() {
    let home = tempfile::tempdir().unwrap();
    let config = write_config(
        home.path(),
        &format!(
            "[[sources]]\nname = \"ci\"\nkind = \"command\"\ncommand = '''echo '{}' '''\n",
            line("checkout", "v2.8.0", 300)
        ),
    );
    let out = clops(
        home.path(),
        &["deploys", "--since", "1h", "--config", &config],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "no deploys in the last 1h\n"
    );
}

#[test]
fn config_check_knows_the_deploy_kinds() {
    let home = tempfile::tempdir().unwrap();
    let config = write_config(
        home.path(),
        "[[sources]]\nname = \"gh\"\nkind = \"github\"\nrepo = \"acme/checkout\"\n\n\
         [[sources]]\nname = \"argo\"\nkind = \"argocd\"\nurl = \"https://argocd.example\"\n",
    );
    let out = clops(home.path(), &["config", "check", "--config", &config]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("gh (github)") && said.contains("argo (argocd)"),
        "{said}"
    );
    assert!(!said.contains("not available"), "{said}");
    let config = write_config(
        home.path(),
        "[[sources]]\nname = \"gh\"\nkind = \"github\"\nrepo = \"checkout\"\n",
    );
    let out = clops(home.path(), &["config", "check", "--config", &config]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("clops.toml:4: key `sources[0].repo`"),
        "{}",
        stderr(&out)
    );
}

/// A GitHub that holds one deployment of acme/payments to `production`, `minutes_ago`.
fn github_with_a_production_deploy(minutes_ago: i64) -> FakeServer {
    let created = Utc::now() - chrono::Duration::minutes(minutes_ago);
    let stamp = created.to_rfc3339_opts(SecondsFormat::Secs, true);
    FakeServer::start(move |r| match r.path.as_str() {
        "/api/v3/repos/acme/payments/deployments" => Reply::json(&serde_json::json!([{
            "url": "https://api.github.com/repos/acme/payments/deployments/7",
            "id": 7, "node_id": "MDEwOkRlcGxveW1lbnQx",
            "sha": "a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d", "ref": "v2.8.0",
            "task": "deploy", "payload": {}, "original_environment": "production",
            "environment": "production", "description": "Deploy request from CI",
            "creator": {"login": "octocat", "id": 1, "type": "User", "site_admin": false},
            "created_at": stamp, "updated_at": stamp,
            "statuses_url": "https://api.github.com/repos/acme/payments/deployments/7/statuses",
            "repository_url": "https://api.github.com/repos/acme/payments",
            "transient_environment": false, "production_environment": true
        }])),
        "/api/v3/repos/acme/payments/deployments/7/statuses" => Reply::json(&serde_json::json!([{
            "id": 1, "state": "success", "environment": "production",
            "created_at": stamp, "updated_at": stamp,
            "log_url": "https://ci.example/deploy/7/log"
        }])),
        _ => Reply::status(404)
            .body(r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}"#),
    })
}

#[test]
fn a_deploy_to_production_is_a_suspect_in_the_clusters_production_covers() {
    common::servers::require_servers();
    let am = common::servers::Alertmanager::start();
    let started =
        (Utc::now() - chrono::Duration::minutes(2)).to_rfc3339_opts(SecondsFormat::Secs, true);
    let far = (Utc::now() + chrono::Duration::hours(6)).to_rfc3339_opts(SecondsFormat::Secs, true);
    am.post_alerts(&serde_json::json!([{
        "labels": {"alertname": "PaymentsErrors", "severity": "critical",
                   "service": "payments", "cluster": "eu-1"},
        "annotations": {"summary": "5xx above 2%"},
        "startsAt": started, "endsAt": far
    }]));
    common::servers::eventually("the alert is active", || {
        am.alerts().as_array().is_some_and(|a| a.len() == 1)
    });
    let github = github_with_a_production_deploy(10);
    let home = tempfile::tempdir().unwrap();
    let sources = format!(
        "[[sources]]\nname = \"am\"\nkind = \"alertmanager\"\nurl = \"{}\"\n\n\
         [[sources]]\nname = \"gh-payments\"\nkind = \"github\"\nurl = \"{}/api/v3\"\n\
         repo = \"acme/payments\"\nenvironment = \"production\"\n",
        am.url,
        github.url()
    );
    let suspects = |environments: &str| {
        let config = write_config(home.path(), &format!("{environments}{sources}"));
        let out = common::clops_process(home.path())
            .args(["alerts", "-o", "json", "--config", &config])
            .env("CLOPS_TOKEN_GH_PAYMENTS", "ghp_token")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let v = stdout_json(&out);
        let groups = v["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 1, "{v}");
        groups[0]["suspect_deploys"]
            .as_array()
            .map(|s| {
                s.iter()
                    .map(|d| d["version"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    // `production` names no cluster an alert knows: it may have reached eu-1.
    assert_eq!(suspects(""), ["v2.8.0"]);
    assert_eq!(
        suspects("[environments]\nproduction = [\"eu-1\", \"us-1\"]\n\n"),
        ["v2.8.0"]
    );
    assert!(suspects("[environments]\nproduction = [\"us-1\"]\n\n").is_empty());

    let config = write_config(
        home.path(),
        &format!("[environments]\nproduction = [\"eu-1\", \"us-1\"]\n\n{sources}"),
    );
    let out = common::clops_process(home.path())
        .args(["deploys", "-o", "json", "--config", &config])
        .env("CLOPS_TOKEN_GH_PAYMENTS", "ghp_token")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let d = &stdout_json(&out)["deploys"][0];
    assert_eq!(d["environment"], "production");
    assert_eq!(d["clusters"], serde_json::json!(["eu-1", "us-1"]));
    let out = common::clops_process(home.path())
        .args(["deploys", "--config", &config])
        .env("CLOPS_TOKEN_GH_PAYMENTS", "ghp_token")
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("production reaches eu-1, us-1"), "{table}");
}
