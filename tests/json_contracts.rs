//! Every JSON contract clops prints, byte for byte: a script that reads `-o json` today
//! reads the same text tomorrow. The inputs are fixed — real Alertmanagers holding
//! alerts with fixed start times, a deploy command printing fixed deploys, a service
//! catalog, an incident store written at fixed moments, runbook files — and the few
//! values that follow the clock or a random generator (`generated_at`, a new silence's
//! id and times) are checked for their shape and then pinned.

mod common;

use std::path::Path;
use std::process::Output;

use chrono::{DateTime, TimeZone, Utc};
use common::servers::{Alertmanager, eventually, require_servers};
use serde_json::{Value, json};

use clops::model::incident::{ActionKind, AttachedAlert, Change, Sev, Status};
use clops::model::{
    Alert, AlertState, Board, Class, Deploy, Group, Health, Origin, Quiet, RuleHealth, RuleState,
    SourceStatus, Stats,
};

/// Far enough ahead that Alertmanager keeps the alerts for the whole test.
const FAR: &str = "2099-01-01T00:00:00Z";

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, h, m, s).unwrap()
}

/// clops with a private home and data dir, a known author, and `home/clops.toml`.
fn clops(home: &Path, args: &[&str]) -> Output {
    common::clops_process(home)
        .env("CLOPS_AUTHOR", "tester@jump-1")
        .arg("--config")
        .arg(home.join("clops.toml"))
        .arg("--data-dir")
        .arg(home.join("data"))
        .args(args)
        .output()
        .unwrap()
}

/// What clops printed, after checking it exited with `code`.
fn printed(out: &Output, code: i32) -> String {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("JSON output is UTF-8")
}

/// RFC 3339 in UTC with a `Z`, to the second or to the millisecond: how clops writes
/// every moment.
fn is_stamp(v: &str) -> bool {
    let Ok(t) = DateTime::parse_from_rfc3339(v) else {
        return false;
    };
    let fraction = v
        .strip_suffix('Z')
        .and_then(|rest| rest.rsplit_once('.'))
        .map(|(_, f)| f.len());
    t.offset().local_minus_utc() == 0 && v.ends_with('Z') && matches!(fraction, None | Some(3))
}

/// `text` with the string value of every `"key": "…"` line replaced by `<key>`, after
/// checking each with `check`; pretty JSON writes one key a line. Panics when the key
/// is not there, so a pin cannot hide a field that went missing.
fn pin(text: &str, key: &str, check: impl Fn(&str) -> bool) -> String {
    let head = format!("\"{key}\": \"");
    let mut pinned = 0;
    let lines: Vec<String> = text
        .split_inclusive('\n')
        .map(|line| {
            let Some(start) = line.find(&head).filter(|i| line[..*i].trim().is_empty()) else {
                return line.to_string();
            };
            let value_at = start + head.len();
            let end = value_at + line[value_at..].find('"').expect("a closing quote");
            let value = &line[value_at..end];
            assert!(check(value), "{key} has an unexpected value: {value}");
            pinned += 1;
            format!("{}<{key}>{}", &line[..value_at], &line[end..])
        })
        .collect();
    assert!(pinned > 0, "no \"{key}\" in:\n{text}");
    lines.concat()
}

/// `text` with the loopback address of each peer (a free port, new each run) said as
/// `<peer>`.
fn unported(text: &str, peers: &[&Alertmanager]) -> String {
    peers.iter().fold(text.to_string(), |text, am| {
        text.replace(am.url.trim_start_matches("http://"), "<peer>")
    })
}

/// The alerts of a small outage, as Prometheus would post them: fixed start times
/// (one to the millisecond), a generator URL, a multi-line annotation, text that JSON
/// must escape, and a service in a maintenance window.
fn outage_alerts() -> Value {
    json!([
        {
            "labels": {"alertname": "HighErrorRate", "severity": "critical", "service": "checkout",
                       "cluster": "prod-eu", "namespace": "shop"},
            "annotations": {"summary": "5xx ratio above 2% for 5m",
                            "description": "checkout answers 3.1% of requests with a 5xx.\nSee the \"checkout\" dashboard.",
                            "runbook_url": "https://runbooks.example/checkout-5xx"},
            "startsAt": "2026-11-21T19:58:12Z", "endsAt": FAR,
            "generatorURL": "http://prometheus.example/graph?g0.expr=rate%28http_requests_total%5B5m%5D%29&g0.tab=1"
        },
        {
            "labels": {"alertname": "CheckoutLatencyP99", "severity": "warning", "service": "checkout",
                       "cluster": "prod-eu"},
            "annotations": {"summary": "p99 latency above 1.5s"},
            "startsAt": "2026-11-21T20:01:00.250Z", "endsAt": FAR
        },
        {
            "labels": {"alertname": "PaymentsDBConnections", "severity": "error", "service": "payments-db",
                       "cluster": "prod-eu"},
            "annotations": {"summary": "connections at 97% of max_connections"},
            "startsAt": "2026-11-21T19:59:30Z", "endsAt": FAR
        },
        {
            "labels": {"alertname": "KafkaUnderReplicated", "severity": "critical", "service": "kafka",
                       "cluster": "prod-us"},
            "annotations": {"summary": "12 partitions under-replicated"},
            "startsAt": "2026-11-21T19:30:00Z", "endsAt": FAR
        },
        {
            "labels": {"alertname": "DiskAlmostFull", "severity": "info", "instance": "node-7:9100",
                       "cluster": "prod-eu", "device": "/dev/sda1"},
            "annotations": {"summary": "Disk 91% full on ünïcödé \\ path"},
            "startsAt": "2026-11-20T08:00:00Z", "endsAt": FAR
        }
    ])
}

/// Deploys the `ci` command source prints: one with every field, one with the fewest,
/// one to the millisecond.
const DEPLOYS: &str = r#"{"service": "checkout", "version": "v2.8.0", "at": "2026-11-21T19:52:00Z", "status": "success", "url": "https://ci.example/run/1", "environment": "prod-eu", "author": "alice"}
{"service": "payments", "version": "v1.4.2", "at": "2026-11-21T18:00:00+01:00"}
{"service": "kafka", "version": "3.7.1", "at": "2026-11-20T09:15:30.500Z", "status": "rolled_back", "environment": "prod-us"}
"#;

const CATALOG: &str = r#"[[services]]
name = "frontend"
depends_on = ["checkout"]

[[services]]
name = "checkout"
depends_on = ["payments", "kafka"]

[[services]]
name = "payments"
depends_on = ["payments-db"]

[[services]]
name = "payments-db"

[[services]]
name = "kafka"
"#;

/// A home with the deploy command's output and the catalog, and a config naming them
/// (and the Alertmanager peers, when there are any).
fn on_call_home(peers: &[&str]) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();
    std::fs::write(dir.join("deploys.jsonl"), DEPLOYS).unwrap();
    std::fs::write(dir.join("catalog.toml"), CATALOG).unwrap();
    let mut config = String::new();
    if !peers.is_empty() {
        let urls: Vec<String> = peers.iter().map(|u| format!("\"{u}\"")).collect();
        config.push_str(&format!(
            "[[sources]]\nname = \"prod-eu\"\nkind = \"alertmanager\"\nurls = [{}]\ntimeout = \"5s\"\n\n",
            urls.join(", ")
        ));
    }
    config.push_str(&format!(
        "[[sources]]\nname = \"ci\"\nkind = \"command\"\ncommand = \"cat '{}'\"\nhistory = \"3650d\"\n\n\
         [[sources]]\nname = \"map\"\nkind = \"catalog\"\npath = \"{}\"\n\n\
         [[maintenance]]\nname = \"kafka upgrade\"\nmatchers = \"service=kafka\"\n\
         from = 2026-01-01T00:00:00Z\nuntil = 2099-01-01T00:00:00Z\n",
        dir.join("deploys.jsonl").display(),
        dir.join("catalog.toml").display()
    ));
    std::fs::write(dir.join("clops.toml"), config).unwrap();
    home
}

/// An HA pair holding the outage's alerts, every one processed (`active`) on both.
fn pair_with_outage() -> (Alertmanager, Alertmanager) {
    let (a, b) = Alertmanager::pair();
    let alerts = outage_alerts();
    let n = alerts.as_array().unwrap().len();
    for am in [&a, &b] {
        am.post_alerts(&alerts);
    }
    eventually("both peers to hold every alert as active", || {
        [&a, &b].iter().all(|am| {
            let held = am.alerts();
            let held = held.as_array().unwrap();
            held.len() == n && held.iter().all(|x| x["status"]["state"] == "active")
        })
    });
    (a, b)
}

#[test]
fn alerts_and_deps_json_byte_for_byte() {
    require_servers();
    let (a, b) = pair_with_outage();
    let home = on_call_home(&[&a.url, &b.url]);

    let alerts = printed(&clops(home.path(), &["alerts", "-o", "json"]), 0);
    let alerts = unported(&alerts, &[&a, &b]);
    insta::assert_snapshot!("alerts", pin(&alerts, "generated_at", is_stamp));

    let filtered = printed(
        &clops(
            home.path(),
            &["alerts", "-o", "json", "--filter", "service=checkout"],
        ),
        0,
    );
    let filtered = unported(&filtered, &[&a, &b]);
    insta::assert_snapshot!("alerts_filtered", pin(&filtered, "generated_at", is_stamp));

    let deps = printed(&clops(home.path(), &["deps", "-o", "json"]), 0);
    insta::assert_snapshot!("deps", deps);
}

#[test]
fn deploys_json_byte_for_byte() {
    let home = on_call_home(&[]);
    let deploys = printed(
        &clops(home.path(), &["deploys", "--since", "3650d", "-o", "json"]),
        0,
    );
    insta::assert_snapshot!("deploys", deploys);
}

#[test]
fn silence_json_byte_for_byte() {
    require_servers();
    let (a, b) = pair_with_outage();
    let home = on_call_home(&[&a.url, &b.url]);
    // Silences that start later keep the times they were given (Alertmanager moves a
    // start in the past to now).
    for silence in [
        json!({
            "matchers": [{"name": "service", "value": "kafka", "isRegex": false, "isEqual": true}],
            "startsAt": "2030-01-01T00:00:00Z", "endsAt": "2030-01-01T06:00:00Z",
            "createdBy": "alice@jump-1", "comment": "kafka upgrade"
        }),
        json!({
            "matchers": [
                {"name": "alertname", "value": "Disk.*", "isRegex": true, "isEqual": true},
                {"name": "instance", "value": "node-7:9100", "isRegex": false, "isEqual": false}
            ],
            "startsAt": "2030-01-02T00:00:00Z", "endsAt": "2030-01-02T01:30:00.500Z",
            "createdBy": "bob@jump-2", "comment": "[clops ack] looking at the \"disk\""
        }),
    ] {
        a.post("/api/v2/silences", &silence);
    }
    eventually("both peers to hold both silences", || {
        [&a, &b]
            .iter()
            .all(|am| am.silences().as_array().unwrap().len() == 2)
    });
    let is_id = |v: &str| v.len() == 36 && v.chars().all(|c| c.is_ascii_hexdigit() || c == '-');

    let list = printed(&clops(home.path(), &["silence", "list", "-o", "json"]), 0);
    insta::assert_snapshot!("silence_list", pin(&list, "id", is_id));

    let dry = [
        "silence",
        "add",
        "--dry-run",
        "-o",
        "json",
        "--matcher",
        "service=checkout",
        "--matcher",
        "alertname=~\"High.*|Checkout.*\"",
        "--duration",
        "90m",
        "--comment",
        "rolling back v2.8.0",
    ];
    let dry = printed(&clops(home.path(), &dry), 0);
    let dry = pin(&pin(&dry, "starts_at", is_stamp), "ends_at", is_stamp);
    insta::assert_snapshot!("silence_add_dry_run", dry);

    let created = [
        "silence",
        "add",
        "-o",
        "json",
        "--matcher",
        "{alertname=\"CheckoutLatencyP99\", cluster!=\"prod-us\"}",
        "--duration",
        "30m",
        "--comment",
        "known: the rollback fixes it",
    ];
    let created = printed(&clops(home.path(), &created), 0);
    let created = pin(&created, "id", is_id);
    let created = pin(&pin(&created, "starts_at", is_stamp), "ends_at", is_stamp);
    insta::assert_snapshot!("silence_add", created);
}

/// A store holding two incidents written at fixed moments: one resolved with a
/// timeline of every kind of event, one still open.
fn incident_home() -> (tempfile::TempDir, String) {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("clops.toml"), "").unwrap();
    let config = clops::config::FileConfig::default();
    let store = clops::incident::open_store(&config.incident, &home.path().join("data")).unwrap();
    let alice = "alice@jump-1";
    let bob = "bob@jump-2";
    let attached =
        |name: &str, service: Option<&str>, starts: Option<DateTime<Utc>>| AttachedAlert {
            fingerprint: format!("{:016x}", name.len() * 7919),
            name: name.into(),
            service: service.map(str::to_string),
            severity: Some("critical".into()),
            starts_at: starts,
            summary: format!("{name} is firing"),
        };
    let id = store
        .declare(
            clops::incident::Declaration {
                title: "Checkout 5xx above 2%".into(),
                severity: Sev::Sev2,
                commander: alice.into(),
                services: vec!["checkout".into()],
                alerts: vec![attached(
                    "HighErrorRate",
                    Some("checkout"),
                    Some(at(19, 58, 12)),
                )],
                group: Some("checkout".into()),
                started: Some(at(19, 56, 0)),
            },
            alice,
            at(20, 7, 30),
        )
        .unwrap();
    let timeline = [
        (
            at(20, 8, 10),
            alice,
            Change::RoleAssigned {
                role: "comms".into(),
                who: bob.into(),
            },
        ),
        (
            at(20, 9, 0),
            bob,
            Change::Note {
                text: "customers report failed payments\nsince ~19:57".into(),
            },
        ),
        (
            at(20, 9, 30),
            alice,
            Change::AlertAttached {
                alerts: vec![attached("PaymentsDBConnections", None, None)],
                group: None,
            },
        ),
        (
            at(20, 10, 0),
            alice,
            Change::SilenceCreated {
                id: "5e1c0d3a-0000-4000-8000-000000000001".into(),
                source: "prod-eu".into(),
                matchers: "{service=\"checkout\"}".into(),
                ends_at: at(22, 10, 0),
                comment: "rolling back".into(),
            },
        ),
        (
            at(20, 10, 5),
            bob,
            Change::Ack {
                id: "5e1c0d3a-0000-4000-8000-000000000002".into(),
                source: "prod-eu".into(),
                matchers: "{alertname=\"PaymentsDBConnections\"}".into(),
                ends_at: at(21, 10, 5),
            },
        ),
        (
            at(20, 11, 0),
            alice,
            Change::RunbookStepStarted {
                runbook: "checkout-rollback".into(),
                step: "Roll back".into(),
                command: "kubectl rollout undo deploy/checkout".into(),
            },
        ),
        (
            at(20, 11, 42),
            alice,
            Change::RunbookStepFinished {
                runbook: "checkout-rollback".into(),
                step: "Roll back".into(),
                exit_code: Some(0),
                duration_ms: 41_873,
                output: "deployment.apps/checkout rolled back".into(),
            },
        ),
        (
            at(20, 12, 0),
            alice,
            Change::DeployCorrelated {
                service: "checkout".into(),
                version: "v2.8.0".into(),
                at: at(19, 52, 0),
                source: "ci".into(),
            },
        ),
        (
            at(20, 14, 0),
            alice,
            Change::SeverityChanged {
                from: Sev::Sev2,
                to: Sev::Sev1,
            },
        ),
        (
            at(20, 20, 0),
            alice,
            Change::StatusChanged {
                from: Status::Investigating,
                to: Status::Monitoring,
            },
        ),
        (
            at(20, 45, 0),
            bob,
            Change::ActionItem {
                text: "alert on the deploy's error budget".into(),
                owner: Some("bob".into()),
                kind: ActionKind::Prevent,
            },
        ),
        (
            at(20, 50, 0),
            alice,
            Change::StatusChanged {
                from: Status::Monitoring,
                to: Status::Resolved,
            },
        ),
    ];
    for (when, who, change) in timeline {
        store.append(&id, change, who, when).unwrap();
    }
    store
        .declare(
            clops::incident::Declaration {
                title: "Kafka lag in prod-us".into(),
                severity: Sev::Sev3,
                commander: bob.into(),
                services: Vec::new(),
                alerts: Vec::new(),
                group: None,
                started: None,
            },
            bob,
            at(21, 0, 0),
        )
        .unwrap();
    (home, id)
}

#[test]
fn incident_json_byte_for_byte() {
    let (home, id) = incident_home();
    let home = home.path();

    let list = printed(&clops(home, &["incident", "list", "-o", "json"]), 0);
    insta::assert_snapshot!("incident_list", list);

    let show = printed(&clops(home, &["incident", "show", &id, "-o", "json"]), 0);
    insta::assert_snapshot!("incident_show", show);

    // Read-only: the export leaves no `exported` event, so each run prints the same.
    let export = printed(
        &clops(
            home,
            &["--read-only", "incident", "export", &id, "--format", "json"],
        ),
        0,
    );
    assert_eq!(export, show, "the export is what `show -o json` prints");

    let stats = printed(
        &clops(
            home,
            &["incident", "stats", "--since", "3650d", "-o", "json"],
        ),
        0,
    );
    insta::assert_snapshot!("incident_stats", pin(&stats, "since", is_stamp));
}

#[test]
fn runbook_list_json_byte_for_byte() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("clops.toml"), "").unwrap();
    let dir = home.path().join("runbooks");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("payments-db.md"),
        "+++\ntitle = \"Payments DB connection saturation\"\n\
         match = { alertname = \"PaymentsDBConnections\", service = \"payments-db\" }\n+++\n\
         ## Check connection count\n```sh\npsql -c 'select count(*) from pg_stat_activity'\n```\n\
         ## Tell the payments channel\n- [ ] posted status in #payments\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("checkout-rollback.md"),
        "+++\ntitle = \"Roll checkout back\"\nmatch = { service = \"checkout\" }\n+++\n\
         ## Roll back\n```sh\nkubectl rollout undo deploy/checkout\n```\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("broken.md"),
        "+++\ntitle = \"x\"\ntimeout = \"soon\"\n+++\n",
    )
    .unwrap();
    let list = printed(&clops(home.path(), &["runbook", "list", "-o", "json"]), 3);
    let list = list.replace(&home.path().display().to_string(), "<home>");
    insta::assert_snapshot!("runbook_list", list);
}

/// A board with everything `alerts -o json` can say, built by hand: a source with
/// failing rules, a stale source, alerts in maintenance and flapping, silenced and
/// inhibited alerts, suspect deploys, a group of one.
fn full_board() -> Board {
    let eu = Origin::new("prod-eu", "am-0");
    let labels = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let mut high = Alert::new(
        labels(&[
            ("alertname", "HighErrorRate"),
            ("severity", "critical"),
            ("service", "checkout"),
            ("cluster", "prod-eu"),
        ]),
        labels(&[("summary", "5xx above 2%"), ("description", "two\nlines")]),
        AlertState::Active,
        at(19, 58, 12),
        &eu,
    );
    high.generator_url = Some("http://prometheus.example/graph?g0.expr=up".into());
    high.receivers = clops::model::alert::Names::from(vec![
        std::sync::Arc::<str>::from("pager"),
        std::sync::Arc::<str>::from("slack"),
    ]);
    let mut flapping = Alert::new(
        labels(&[
            ("alertname", "CPUThrottlingHigh"),
            ("severity", "warning"),
            ("service", "checkout"),
        ]),
        labels(&[]),
        AlertState::Suppressed,
        Utc.with_ymd_and_hms(2026, 11, 21, 20, 1, 0).unwrap() + chrono::Duration::milliseconds(250),
        &eu,
    );
    flapping.quiet = Some(Box::new(Quiet::Flapping(4)));
    flapping.silenced_by = vec!["5e1c0d3a-0000-4000-8000-000000000001".to_string()].into();
    flapping.inhibited_by = vec!["0123456789abcdef".to_string()].into();
    flapping.seen_at(&Origin::new("prod-eu", "am-1"));
    let mut kafka = Alert::new(
        labels(&[("alertname", "KafkaUnderReplicated"), ("service", "kafka")]),
        labels(&[("summary", "12 partitions")]),
        AlertState::Active,
        at(19, 30, 0),
        &Origin::new("prod-us", "am-0"),
    );
    kafka.quiet = Some(Box::new(Quiet::Maintenance("kafka upgrade".into())));

    let mut checkout = Group::new(
        "g-checkout".into(),
        "checkout: HighErrorRate and 1 more".into(),
        "same service, started within 15m",
        vec![high, flapping],
        "service",
    );
    checkout.root = Some("checkout".into());
    checkout.suspect_deploys = vec![Deploy {
        service: "checkout".into(),
        version: "v2.8.0".into(),
        at: at(19, 52, 0),
        source: "ci".into(),
        status: "success".into(),
        url: None,
        environment: Some("prod-eu".into()),
        clusters: Vec::new(),
        author: None,
    }];
    let kafka = Group::new(
        "g-kafka".into(),
        "KafkaUnderReplicated".into(),
        "one alert",
        vec![kafka],
        "service",
    );
    assert_eq!(checkout.class, Class::Page);

    let rule = |name: &str, state: RuleState, error: Option<&str>| RuleHealth {
        group: "rules.yml:checkout".into(),
        name: name.into(),
        alerting: true,
        query: "up == 0".into(),
        state,
        last_error: error.map(str::to_string),
        last_evaluation: error.map(|_| at(19, 59, 58)),
    };
    let mut prometheus = SourceStatus {
        name: "prom".into(),
        kind: "prometheus".into(),
        status: Health::Ok,
        error: None,
        data_at: Some(at(20, 0, 0)),
        rules: Vec::new(),
    };
    prometheus.rules = vec![
        rule("CheckoutUp", RuleState::Ok, None),
        rule(
            "BrokenRule",
            RuleState::Failing,
            Some("many-to-many matching not allowed"),
        ),
        RuleHealth {
            last_evaluation: None,
            ..rule("NeverRan", RuleState::Failing, Some("query timed out"))
        },
    ];
    let stale = SourceStatus {
        name: "prod-us".into(),
        kind: "alertmanager".into(),
        status: Health::Stale,
        error: Some("am-0: connection refused".into()),
        data_at: Some(at(19, 55, 0)),
        rules: Vec::new(),
    };
    let eu_status = SourceStatus {
        name: "prod-eu".into(),
        kind: "alertmanager".into(),
        status: Health::Ok,
        error: None,
        data_at: Some(at(20, 0, 0)),
        rules: Vec::new(),
    };
    Board {
        groups: vec![checkout, kafka],
        stats: Stats {
            raw: 5,
            unique: 3,
            groups: 2,
            matched: None,
        },
        sources: vec![eu_status, stale, prometheus],
        ..Board::default()
    }
}

#[test]
fn alerts_json_of_a_full_board_byte_for_byte() {
    let board = full_board();
    let text = serde_json::to_string_pretty(&clops::output::AlertsJson::new(
        &board,
        at(20, 0, 0) + chrono::Duration::milliseconds(7),
    ))
    .unwrap();
    insta::assert_snapshot!("alerts_full_board", text);
}

#[test]
fn slo_json_byte_for_byte() {
    use clops::slo::SloStatus;
    use clops::slo::burn::{Objective, State, Window};
    let measured = SloStatus {
        name: "checkout-availability".into(),
        service: "checkout".into(),
        source: "prom".into(),
        objective: Objective::new(99.9, chrono::Duration::days(30)).unwrap(),
        labels: [("team".to_string(), "shop".to_string())].into(),
        burn_rates: [
            (Window::M5, 14.2),
            (Window::H1, 6.0),
            (Window::H6, 0.1 + 0.2),
            (Window::D3, 1.0),
        ]
        .into_iter()
        .collect(),
        error_ratio: Some(0.0123),
        budget_remaining: Some(-0.25),
        state: State::Page,
        unknown_windows: Vec::new(),
        time_to_exhaustion: Some(chrono::Duration::milliseconds(5_400_250)),
        history: Some(clops::slo::BurnHistory {
            day: vec![(at(19, 55, 0), 1.5), (at(20, 0, 0), 14.25)],
            week: vec![(at(19, 0, 0), 0.75)],
        }),
        history_error: None,
        measured_at: Some(at(20, 0, 0) + chrono::Duration::milliseconds(120)),
        error: None,
    };
    let unmeasured = SloStatus {
        name: "payments-latency".into(),
        service: "payments".into(),
        source: "prom-us".into(),
        objective: Objective::new(99.0, chrono::Duration::days(7)).unwrap(),
        labels: Default::default(),
        burn_rates: Default::default(),
        error_ratio: None,
        budget_remaining: None,
        state: State::Ok,
        unknown_windows: Vec::new(),
        time_to_exhaustion: None,
        history: None,
        history_error: Some("query timed out".into()),
        measured_at: None,
        error: Some("prom-us: HTTP 503".into()),
    };
    let sources = [
        SourceStatus {
            name: "prom".into(),
            kind: "prometheus".into(),
            status: Health::Ok,
            error: None,
            data_at: None,
            rules: Vec::new(),
        },
        SourceStatus {
            name: "prom-us".into(),
            kind: "prometheus".into(),
            status: Health::Down,
            error: Some("HTTP 503".into()),
            data_at: None,
            rules: Vec::new(),
        },
    ];
    let text = serde_json::to_string_pretty(&clops::output::SloJson::new(
        &[measured, unmeasured],
        &sources,
        at(20, 0, 1),
    ))
    .unwrap();
    insta::assert_snapshot!("slo", text);
}

#[test]
fn deps_json_with_rates_byte_for_byte() {
    use clops::deps::Map;
    use clops::model::{Edge, ServiceStatus};
    let edge = |from: &str, to: &str, calls_per_s, error_ratio| Edge {
        from: from.into(),
        to: to.into(),
        calls_per_s,
        error_ratio,
    };
    let map = Map {
        services: vec![
            ("checkout".into(), ServiceStatus::Failing),
            ("frontend".into(), ServiceStatus::Ok),
            ("ledger".into(), ServiceStatus::Unknown),
            ("payments".into(), ServiceStatus::Degraded),
        ],
        edges: vec![
            edge("checkout", "ledger", None, None),
            edge("checkout", "payments", Some(10.0), Some(0.125)),
            edge("frontend", "checkout", Some(1234.5678), Some(0.0)),
            // A rate nobody could compute is no number at all.
            edge("payments", "ledger", Some(f64::NAN), Some(f64::INFINITY)),
        ],
    };
    let text = serde_json::to_string_pretty(&clops::output::DepsJson::new(&map)).unwrap();
    insta::assert_snapshot!("deps_with_rates", text);
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    use std::io::Read;
    require_servers();
    let am = Alertmanager::start();
    // Far more JSON than a pipe and clops's own buffer hold, so clops is still
    // writing when the reader goes away.
    am.post_alerts(&common::servers::synthetic_alerts(3000, "prod-eu"));
    eventually("the Alertmanager to hold every alert", || {
        am.alerts().as_array().unwrap().len() == 3000
    });
    let home = on_call_home(&[&am.url]);
    let mut child = common::clops_process(home.path())
        .arg("--config")
        .arg(home.path().join("clops.toml"))
        .args(["alerts", "-o", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // What `clops alerts -o json | head -c 4096` does.
    let mut head = [0u8; 4096];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(head.starts_with(b"{\n  \"generated_at\": "));
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "a closed pipe is the reader's choice, not an error: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
