//! The one-shot commands as a script or a user at a shell sees them.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// clops with a private HOME, so no real config or data dir is touched.
fn clops(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("clops").unwrap();
    cmd.env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"));
    cmd
}

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn alerts_demo_json_follows_the_contract() {
    let home = tempfile::tempdir().unwrap();
    let out = clops(home.path())
        .args(["alerts", "--demo", "-o", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    assert_eq!(keys(&v), ["generated_at", "sources", "stats", "groups"]);
    assert!(v["generated_at"].as_str().unwrap().ends_with('Z'));
    for s in v["sources"].as_array().unwrap() {
        assert_eq!(keys(s), ["name", "kind", "status", "error"]);
        assert_eq!(s["status"], "ok");
        assert!(s["error"].is_null());
    }
    let stats = &v["stats"];
    assert_eq!(keys(stats), ["raw", "unique", "groups"]);
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(stats["groups"].as_u64().unwrap() as usize, groups.len());
    let alerts: Vec<&Value> = groups
        .iter()
        .flat_map(|g| g["alerts"].as_array().unwrap())
        .collect();
    assert_eq!(stats["unique"].as_u64().unwrap() as usize, alerts.len());
    // Each demo cluster answers from two HA peers: every alert arrives twice.
    assert_eq!(
        stats["raw"].as_u64().unwrap(),
        2 * stats["unique"].as_u64().unwrap()
    );
    for g in groups {
        assert_eq!(
            &keys(g)[..5],
            ["id", "title", "severity", "reason", "alerts"]
        );
        assert!(!g["reason"].as_str().unwrap().is_empty());
        for d in g["suspect_deploys"]
            .as_array()
            .expect("suspect_deploys is a list")
        {
            assert_eq!(keys(d), ["service", "version", "at", "source"]);
            assert!(d["at"].as_str().unwrap().ends_with('Z'));
        }
    }
    for a in alerts {
        for k in [
            "fingerprint",
            "labels",
            "annotations",
            "state",
            "starts_at",
            "sources",
        ] {
            assert!(a.get(k).is_some(), "alert lacks {k}: {a}");
        }
        assert_eq!(a["fingerprint"].as_str().unwrap().len(), 16);
        assert_eq!(a["state"], "active");
        assert_eq!(a["seen_by"].as_array().unwrap().len(), 2);
    }
}

#[test]
fn group_ids_are_stable_across_runs() {
    let home = tempfile::tempdir().unwrap();
    let ids = || {
        let out = clops(home.path())
            .args(["alerts", "--demo", "-o", "json"])
            .output()
            .unwrap();
        let v = json_of(&out);
        let mut ids: Vec<String> = v["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(), ids());
}

#[test]
fn alerts_demo_table_lists_groups_and_counts() {
    let home = tempfile::tempdir().unwrap();
    let out = clops(home.path())
        .args(["alerts", "--demo"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("SEV   GROUP / ALERT"), "{text}");
    assert!(text.contains("HighErrorRate"), "{text}");
    assert!(text.contains("raw →") && text.contains("groups"), "{text}");
}

#[test]
fn filter_by_matchers_or_words() {
    let home = tempfile::tempdir().unwrap();
    let out = clops(home.path())
        .args([
            "alerts",
            "--demo",
            "-o",
            "json",
            "--filter",
            "severity=critical,cluster=~prod-.*",
        ])
        .output()
        .unwrap();
    let v = json_of(&out);
    let groups = v["groups"].as_array().unwrap();
    assert!(!groups.is_empty());
    for g in groups {
        for a in g["alerts"].as_array().unwrap() {
            assert_eq!(a["labels"]["severity"], "critical");
        }
    }
    let out = clops(home.path())
        .args(["alerts", "--demo", "-o", "json", "--filter", "kafka"])
        .output()
        .unwrap();
    let v = json_of(&out);
    for g in v["groups"].as_array().unwrap() {
        for a in g["alerts"].as_array().unwrap() {
            assert!(a.to_string().contains("kafka"), "{a}");
        }
    }
    let out = clops(home.path())
        .args(["alerts", "--demo", "--filter", "cluster=~("])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a usage error");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("clops: --filter:") && err.lines().count() == 1,
        "{err}"
    );
}

#[test]
fn no_sources_is_one_clear_line() {
    let home = tempfile::tempdir().unwrap();
    let out = clops(home.path()).arg("alerts").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("no sources configured") && err.contains("--demo"),
        "{err}"
    );
}

#[test]
fn slo_demo_json_follows_the_contract() {
    let home = tempfile::tempdir().unwrap();
    let out = clops(home.path())
        .args(["slo", "--demo", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["generated_at"].as_str().unwrap().ends_with('Z'));
    let slos = v["slos"].as_array().unwrap();
    assert_eq!(slos.len(), 10, "five services in two clusters");
    for slo in slos {
        for field in ["name", "service", "window", "state"] {
            assert!(slo[field].is_string(), "{field} in {slo}");
        }
        assert!(slo["objective"].as_f64().unwrap() > 99.0);
        let burn = slo["burn_rates"].as_object().unwrap();
        assert_eq!(
            burn.keys().map(String::as_str).collect::<Vec<_>>(),
            ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]
        );
        let remaining = slo["budget_remaining"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&remaining), "{slo}");
        assert!(["page", "ticket", "ok"].contains(&slo["state"].as_str().unwrap()));
    }
    // The demo opens minutes into a bad deploy of payments in prod-eu: its last five
    // minutes burn the budget far faster than the same service's in prod-us.
    let five = |name: &str| {
        slos.iter().find(|s| s["name"] == name).unwrap()["burn_rates"]["5m"]
            .as_f64()
            .unwrap()
    };
    assert!(five("prod-eu/payments-availability") > 10.0);
    assert!(five("prod-us/payments-availability") < 1.0);
}

#[test]
fn slo_without_slos_is_one_clear_line() {
    let home = tempfile::tempdir().unwrap();
    let out = clops(home.path()).arg("slo").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("no SLOs configured") && err.contains("--demo"),
        "{err}"
    );
}

/// `clops config check --config CONFIG`, run.
fn config_check(home: &Path, config: &Path) -> std::process::Output {
    clops(home)
        .args(["config", "check", "--config"])
        .arg(config)
        .output()
        .unwrap()
}

fn write_config(home: &Path, text: &str) -> std::path::PathBuf {
    let path = home.join("clops.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_failing_source_makes_output_partial_with_exit_3() {
    let home = tempfile::tempdir().unwrap();
    let config = write_config(
        home.path(),
        "[[sources]]\nname = \"sim\"\nkind = \"demo\"\n\n[[sources]]\nname = \"prod-eu\"\nkind = \"pagerduty\"\nurl = \"https://api.pagerduty.com\"\n",
    );
    let out = clops(home.path())
        .args(["alerts", "-o", "json", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v = json_of(&out);
    let down = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "prod-eu")
        .unwrap();
    assert_eq!(down["status"], "down");
    assert!(
        down["error"]
            .as_str()
            .unwrap()
            .contains("not available yet")
    );
    assert!(
        !v["groups"].as_array().unwrap().is_empty(),
        "the demo source still answered"
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("prod-eu") && err.contains("not available yet"),
        "{err}"
    );
}

#[test]
fn every_source_failing_is_exit_1_naming_them() {
    let home = tempfile::tempdir().unwrap();
    let config = write_config(
        home.path(),
        "[[sources]]\nname = \"ops\"\nkind = \"opsgenie\"\nurl = \"https://api.opsgenie.com\"\n",
    );
    let out = clops(home.path())
        .arg("alerts")
        .env("CLOPS_CONFIG", &config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("every source failed: ops: not available yet"),
        "{err}"
    );
}

#[test]
fn config_init_check_and_path() {
    let home = tempfile::tempdir().unwrap();
    let expected = home.path().join("config/clops/config.toml");
    let out = clops(home.path())
        .args(["config", "path"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        expected.to_str().unwrap()
    );

    let out = clops(home.path())
        .args(["config", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "nothing to check yet");
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("config init")
    );

    let out = clops(home.path())
        .args(["config", "init"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let written = std::fs::read_to_string(&expected).unwrap();
    assert!(
        written.contains("[[sources]]") && written.contains("# "),
        "commented example"
    );

    let out = clops(home.path())
        .args(["config", "init"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "never overwrites without --force"
    );
    std::fs::write(&expected, "# mine\n").unwrap();
    assert!(
        clops(home.path())
            .args(["config", "init", "--force"])
            .output()
            .unwrap()
            .status
            .success()
    );
    assert_eq!(std::fs::read_to_string(&expected).unwrap(), written);

    let out = clops(home.path())
        .args(["config", "check"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("ok, 1 source(s)")
    );

    let out = clops(home.path())
        .args(["config", "init", "--stdout"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), written);
}

#[test]
fn config_errors_name_file_line_and_key() {
    let home = tempfile::tempdir().unwrap();
    let config = write_config(
        home.path(),
        "[console]\ntheme = \"default\"\n\n[[sources]]\nname = \"eu\"\nkind = \"alertmanager\"\nurl = \"http://am:9093\"\npoll = \"often\"\n",
    );
    let out = config_check(home.path(), &config);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    let expected = format!("{}:8: key `sources[0].poll`:", config.display());
    assert!(err.starts_with(&expected), "{err}");
    assert!(err.contains("not a duration"), "{err}");
    // The console refuses a broken config the same way, before touching the terminal.
    let out = clops(home.path())
        .arg("--config")
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains(":8: key `sources[0].poll`")
    );
}

#[test]
fn config_check_reports_every_mistake_at_once_with_its_line_and_key() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let open_token = home.path().join("open-token");
    std::fs::write(&open_token, "s3cret\n").unwrap();
    std::fs::set_permissions(&open_token, std::fs::Permissions::from_mode(0o644)).unwrap();
    let kept_token = home.path().join("kept-token");
    std::fs::write(&kept_token, "s3cret\n").unwrap();
    std::fs::set_permissions(&kept_token, std::fs::Permissions::from_mode(0o600)).unwrap();
    let missing_token = home.path().join("no-such-token");
    let text = format!(
        r#"[keys]
down = ["q"]

[[sources]]
name = "eu"
kind = "alertmanager"
url = "http://am-eu:9093"
token_file = "{open}"
ca_file = "/etc/hostname"

[sources.headers]
"X Scope" = "a"
X-Tenant = "eu\r\nX-Admin: yes"

[[sources]]
name = "us"
kind = "alertmanager"
url = "http://am-us:9093"
token_file = "{missing}"

[[sources]]
name = "pd"
kind = "pagerduty"
url = "https://api.pagerduty.com"
token_file = "{kept}"
"#,
        open = open_token.display(),
        missing = missing_token.display(),
        kept = kept_token.display(),
    );
    let config = write_config(home.path(), &text);
    let out = config_check(home.path(), &config);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    let file = config.display().to_string();
    let expected = [
        (2, "keys.down", "`q` is already bound to `quit`"),
        (
            8,
            "sources[0].token_file",
            "can be read by others (mode 0644)",
        ),
        (
            9,
            "sources[0].ca_file",
            "/etc/hostname holds no PEM certificate",
        ),
        (12, "sources[0].headers.X Scope", "not a header name"),
        (13, "sources[0].headers.X-Tenant", "line break"),
        (19, "sources[1].token_file", "No such file"),
        (23, "sources[2].kind", "not available yet"),
    ];
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines.len(),
        expected.len() + 1,
        "one line per problem:\n{err}"
    );
    for ((line, key, what), got) in expected.iter().zip(&lines) {
        let head = format!("{file}:{line}: key `{key}`: ");
        assert!(
            got.starts_with(&head) && got.contains(what),
            "expected {head}…{what}…, got {got}"
        );
    }
    assert_eq!(
        lines[expected.len()],
        format!("clops: 7 problem(s) in {file}")
    );

    // The console refuses the keymap (and the rest) before touching the terminal,
    // saying how to see every problem.
    let out = clops(home.path())
        .arg("--config")
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(":2: key `keys.down`") && err.contains("and 3 more: `clops config check`"),
        "{err}"
    );

    // Fixed, it passes.
    let good = text
        .replace("down = [\"q\"]", "down = [\"q\"]\nquit = [\"ctrl-q\"]")
        .replace("ca_file = \"/etc/hostname\"\n", "")
        .replace("\"X Scope\"", "X-Scope")
        .replace("eu\\r\\nX-Admin: yes", "eu")
        .replace(
            &open_token.display().to_string(),
            &kept_token.display().to_string(),
        )
        .replace(
            &missing_token.display().to_string(),
            &kept_token.display().to_string(),
        )
        .replace("kind = \"pagerduty\"", "kind = \"prometheus\"");
    let config = write_config(home.path(), &good);
    let out = config_check(home.path(), &config);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("ok, 3 source(s)")
    );
}

#[test]
fn config_check_names_a_clash_inside_a_mode_with_its_file_line_and_key() {
    let home = tempfile::tempdir().unwrap();
    let text = r#"[keys]
note = "N"

[keys.incidents]
activate = "o"
down = ["o", "down"]

[keys.confirm]
yes = "enter"
"#;
    let config = write_config(home.path(), text);
    let out = config_check(home.path(), &config);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    let file = config.display().to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            format!(
                "{file}:6: key `keys.incidents.down`: `o` is already bound to `activate` in the \
                 incident list"
            )
            .as_str(),
            format!(
                "{file}:9: key `keys.confirm.yes`: `enter` is `submit` in the silence form, \
                 which asks first: pressed twice, it would answer"
            )
            .as_str(),
            format!("clops: 2 problem(s) in {file}").as_str(),
        ],
        "{err}"
    );
    // The console refuses it the same way, before touching the terminal.
    let out = clops(home.path())
        .arg("--config")
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(":6: key `keys.incidents.down`") && err.contains("and 1 more"),
        "{err}"
    );
    // Fixed, it passes.
    let good = text
        .replace("[\"o\", \"down\"]", "[\"j\", \"down\"]")
        .replace("yes = \"enter\"", "yes = \"ctrl-y\"");
    let config = write_config(home.path(), &good);
    let out = config_check(home.path(), &config);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_named_config_that_does_not_exist_is_an_error() {
    let home = tempfile::tempdir().unwrap();
    let out = clops(home.path())
        .args(["alerts", "--config", "/nonexistent/clops.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("/nonexistent/clops.toml: cannot read")
    );
}

#[test]
fn usage_errors_exit_2() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        vec!["alerts", "-o", "yaml"],
        vec!["demo", "--scenario", "nope"],
        vec!["frobnicate"],
    ] {
        let out = clops(home.path()).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn logs_go_to_the_state_dir_not_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let config = write_config(
        home.path(),
        "[[sources]]\nname = \"ops\"\nkind = \"opsgenie\"\nurl = \"https://api.opsgenie.com\"\n",
    );
    let out = clops(home.path())
        .args(["alerts", "--config"])
        .arg(&config)
        .env("CLOPS_LOG", "debug")
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.lines().count(),
        1,
        "only the error line, no log lines: {err}"
    );
    let log = std::fs::read_to_string(home.path().join("state/clops/clops.log")).unwrap();
    assert!(!log.is_empty());
}

#[test]
fn the_console_refuses_to_draw_into_a_pipe() {
    let home = tempfile::tempdir().unwrap();
    let out = clops(home.path()).arg("demo").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing drawn into the pipe");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("needs a terminal") && err.contains("clops alerts"),
        "{err}"
    );
}

#[test]
fn filtered_output_counts_what_matched() {
    let home = tempfile::tempdir().unwrap();
    let out = clops(home.path())
        .args([
            "alerts",
            "--demo",
            "-o",
            "json",
            "--filter",
            "severity=critical",
        ])
        .output()
        .unwrap();
    let v = json_of(&out);
    let shown: usize = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["alerts"].as_array().unwrap().len())
        .sum();
    assert_eq!(v["stats"]["matched"].as_u64().unwrap() as usize, shown);
    assert!(v["stats"]["unique"].as_u64().unwrap() as usize > shown);
    let out = clops(home.path())
        .args(["alerts", "--demo", "--filter", "severity=critical"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(&format!("→ {shown} matching →")), "{text}");
    assert!(
        text.trim_end().ends_with("1 group") || !text.contains("1 groups"),
        "{text}"
    );
}

#[test]
fn an_unusable_log_filter_is_said_once_and_ignored() {
    let home = tempfile::tempdir().unwrap();
    let out = clops(home.path())
        .args(["alerts", "--demo"])
        .env("CLOPS_LOG", "[[[")
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("CLOPS_LOG `[[[` is not a log filter"), "{err}");
}

#[test]
fn label_grouping_and_maintenance_windows_come_from_the_config() {
    let home = tempfile::tempdir().unwrap();
    let config = write_config(
        home.path(),
        r#"[[sources]]
name = "sim"
kind = "demo"

[triage]
grouping = "labels"
group_by = ["alertname", "cluster"]

[[maintenance]]
name = "us-failover-drill"
matchers = "cluster=prod-us"
from = 2026-01-01T00:00:00Z
until = 2099-01-01T00:00:00Z
"#,
    );
    let out = clops(home.path())
        .args(["alerts", "-o", "json", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v = json_of(&out);
    let groups = v["groups"].as_array().unwrap();
    let mut us = 0;
    for g in groups {
        let alerts = g["alerts"].as_array().unwrap();
        let first = &alerts[0]["labels"];
        assert_eq!(
            g["reason"],
            format!(
                "same alertname={}, cluster={}",
                first["alertname"].as_str().unwrap(),
                first["cluster"].as_str().unwrap()
            ),
            "{g}"
        );
        for a in alerts {
            assert_eq!(a["labels"]["alertname"], first["alertname"]);
            assert_eq!(a["labels"]["cluster"], first["cluster"]);
            let in_us = a["labels"]["cluster"] == "prod-us";
            assert_eq!(a.get("maintenance").is_some(), in_us, "{a}");
            if in_us {
                us += 1;
                assert_eq!(a["maintenance"], "us-failover-drill");
            }
        }
        if first["cluster"] == "prod-us" {
            assert_eq!(g["class"], "ticket", "{g}");
        }
    }
    assert!(us > 0, "the demo has alerts in prod-us");
}

#[test]
fn deps_prints_the_map_as_a_tree_as_json_and_as_dot_that_graphviz_renders() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = clops(home.path()).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let tree = run(&["deps", "--demo"]);
    assert!(tree.starts_with("frontend ["), "{tree}");
    assert!(tree.contains("└── "), "{tree}");
    assert!(tree.contains("payments ["), "{tree}");

    let v: Value = serde_json::from_str(&run(&["deps", "--demo", "-o", "json"])).unwrap();
    assert_eq!(keys(&v), ["services", "edges"]);
    for s in v["services"].as_array().unwrap() {
        assert_eq!(keys(s), ["name", "status"]);
        assert!(["failing", "degraded", "ok", "unknown"].contains(&s["status"].as_str().unwrap()));
    }
    let edges = v["edges"].as_array().unwrap();
    assert!(
        edges
            .iter()
            .any(|e| e["from"] == "checkout" && e["to"] == "payments")
    );
    for e in edges {
        assert_eq!(keys(e), ["from", "to", "calls_per_s", "error_ratio"]);
    }

    let dot = run(&["deps", "--demo", "-o", "dot"]);
    let mut graphviz = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("Graphviz `dot` (Debian package graphviz; scripts/test installs it)");
    use std::io::Write;
    graphviz
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let svg = graphviz.wait_with_output().unwrap();
    assert!(
        svg.status.success(),
        "Graphviz refused the dot output:\n{dot}"
    );
    let svg = String::from_utf8(svg.stdout).unwrap();
    assert!(
        svg.contains("<svg") && svg.contains(">payments</text>"),
        "{svg}"
    );
}

#[test]
fn deps_reads_a_catalog_and_lights_nothing_without_alerts() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config/clops");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("catalog.toml"),
        "[[services]]\nname = \"checkout\"\ndepends_on = [\"payments\"]\n\n[[services]]\nname = \"payments\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "[[sources]]\nname = \"map\"\nkind = \"catalog\"\npath = \"{}\"\n",
            dir.join("catalog.toml").display()
        ),
    )
    .unwrap();
    let out = clops(home.path()).args(["deps"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "checkout [ok]\n└── payments [ok]\n"
    );
}

#[test]
fn an_slo_on_a_source_that_does_not_exist_is_named_by_config_check_and_refused_at_start() {
    let home = tempfile::tempdir().unwrap();
    let text = r#"[[sources]]
name = "prom"
kind = "prometheus"
url = "http://127.0.0.1:1"

[[slos]]
name = "checkout"
service = "checkout"
objective = 99.9
source = "nope"
ratio = "x"
"#;
    let config = write_config(home.path(), text);
    let file = config.display().to_string();
    let want = format!("{file}:10: key `slos[0].source`: no [[sources]] entry is named `nope`");
    for args in [
        &["config", "check", "--config"][..],
        &["slo", "--config"][..],
    ] {
        let out = clops(home.path()).args(args).arg(&config).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_ne!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.lines().any(|l| l.ends_with(&want)), "{args:?}: {err}");
    }
}
