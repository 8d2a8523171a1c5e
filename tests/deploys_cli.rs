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
