//! SLOs measured on a real Prometheus whose history was written in by remote write, so
//! every burn rate and budget is known by construction: checkout served 2000 requests
//! a minute for a month, 0.05% of them failing (half the budget's pace for 99.9%),
//! until 70 minutes ago, when 2% started failing (20 times the pace).

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use clops::live::slos::prometheus::Prometheus as PromSlo;
use clops::slo::burn::{self, Objective, State, Window};
use clops::slo::eval::{Backends, Measurements, Options};
use clops::slo::{Indicator, SloDef, SloStatus, evaluate};
use clops::sources::http::{Endpoint, HttpClient, HttpSettings};
use clops::sources::prometheus::PromClient;
use common::remote_write::{MINUTE_MS, Series, write_history};
use common::servers::{Prometheus, eventually, require_servers};
use common::stdout_json;
use serde_json::Value;

const PER_MINUTE: f64 = 2000.0;
const STEADY_ERRORS: f64 = 1.0;
const BURN_ERRORS: f64 = 40.0;
const BURN_MINUTES: i64 = 70;

/// Failed and all requests in the minute that ends `k` minutes before the last sample.
fn minute(k: i64) -> (f64, f64) {
    let errors = if k < BURN_MINUTES {
        BURN_ERRORS
    } else {
        STEADY_ERRORS
    };
    (errors, PER_MINUTE)
}

/// Checkout's request counters, one sample a minute for `days` days up to `last`:
/// `http_requests_total{service, code="200"|"500"}`. They start high, as counters of
/// a long-running process do, so no rate is extrapolated down to zero.
fn history(service: &str, last: DateTime<Utc>, days: i64) -> Vec<Series> {
    let mut ok = Series::new(
        "http_requests_total",
        &[("service", service), ("code", "200")],
    );
    let mut failed = Series::new(
        "http_requests_total",
        &[("service", service), ("code", "500")],
    );
    let n = days * 1440;
    let (mut ok_count, mut failed_count) = (1e9, 1e6);
    let last_ms = last.timestamp_millis();
    for k in (0..=n).rev() {
        let t = last_ms - k * MINUTE_MS;
        if k < n {
            // The minute ending at this sample.
            let (errors, total) = minute(k);
            failed_count += errors;
            ok_count += total - errors;
        }
        ok.samples.push((t, ok_count));
        failed.samples.push((t, failed_count));
    }
    vec![ok, failed]
}

/// The error ratio a query at `last` + 30s sees over `window`: the minutes between the
/// samples inside it (`rate` extrapolates both counters alike, so their ratio is
/// exact).
fn expected_ratio(window: Duration) -> f64 {
    let samples = window.num_minutes();
    let (errors, total) = (0..samples - 1)
        .map(minute)
        .fold((0.0, 0.0), |(e, t), (de, dt)| (e + de, t + dt));
    errors / total
}

fn errors_query(service: &str) -> String {
    format!(r#"sum(rate(http_requests_total{{service="{service}",code=~"5.."}}[{{{{window}}}}]))"#)
}

fn total_query(service: &str) -> String {
    format!(r#"sum(rate(http_requests_total{{service="{service}"}}[{{{{window}}}}]))"#)
}

fn checkout_slo() -> SloDef {
    SloDef {
        name: "checkout-availability".into(),
        service: "checkout".into(),
        objective: Objective::new(99.9, Duration::days(30)).unwrap(),
        source: "prom".into(),
        indicator: Indicator::Events {
            errors: errors_query("checkout"),
            total: total_query("checkout"),
        },
        labels: Default::default(),
        origin: "test".into(),
        alerting: None,
    }
}

fn client(url: &str) -> PromClient {
    let http = HttpClient::new(&HttpSettings {
        timeout: StdDuration::from_secs(30),
        ..HttpSettings::default()
    })
    .unwrap();
    PromClient::new(http, Endpoint::parse(url).unwrap())
}

fn backends(url: &str) -> Backends {
    let m: Arc<dyn Measurements> = Arc::new(PromSlo {
        servers: vec![client(url)],
    });
    HashMap::from([("prom".to_string(), m)])
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn measure(url: &str, at: DateTime<Utc>, previous: &[SloStatus], history: bool) -> SloStatus {
    measure_slo(url, checkout_slo(), at, previous, history)
}

fn measure_slo(
    url: &str,
    slo: SloDef,
    at: DateTime<Utc>,
    previous: &[SloStatus],
    history: bool,
) -> SloStatus {
    let statuses = runtime().block_on(evaluate(
        &[slo],
        &backends(url),
        at,
        previous,
        Options {
            history,
            concurrency: 2,
        },
    ));
    statuses.into_iter().next().unwrap()
}

/// The last sample: a few seconds ago, on a whole second (never at or after now).
fn last_sample() -> DateTime<Utc> {
    let now = Utc::now() - Duration::seconds(5);
    DateTime::from_timestamp(now.timestamp(), 0).unwrap()
}

/// Prometheus with `days` of checkout's history, all of it queryable.
fn prometheus_with_history(rules: &str, days: i64, args: &[&str]) -> (Prometheus, DateTime<Utc>) {
    require_servers();
    let prom = Prometheus::start_for_history(rules, args);
    let last = last_sample();
    write_history(&prom.url, &history("checkout", last, days));
    let expected = (days * 1440 + 1).to_string();
    eventually("the history to be queryable", || {
        let at = format!("{:.3}", last.timestamp_millis() as f64 / 1000.0);
        let r = prom.get(&format!(
            "/api/v1/query?time={at}&query={}",
            common::servers::urlencode(&format!(
                r#"count_over_time(http_requests_total{{code="500"}}[{}d])"#,
                days + 1
            ))
        ));
        r["data"]["result"][0]["value"][1].as_str() == Some(expected.as_str())
    });
    (prom, last)
}

fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{what}: expected {expected}, got {actual}"
    );
}

#[test]
fn burn_rates_budget_and_history_are_what_the_history_says() {
    let (prom, last) = prometheus_with_history("", 31, &[]);
    let at = last + Duration::seconds(30);
    let status = measure(&prom.url, at, &[], true);
    assert_eq!(status.error, None);
    let slo = checkout_slo();

    // Every burn window: 5m, 30m and 1h lie inside the fast burn (20×); 2h and longer
    // mix it with the steady 0.5×.
    for w in Window::ALL {
        let expected = expected_ratio(w.duration()) / slo.objective.budget();
        let got = status.burn_rates.get(w).unwrap_or(f64::NAN);
        assert_close(got, expected, w.label());
    }
    assert_close(status.burn_rates.get(Window::H1).unwrap(), 20.0, "1h");
    assert!(status.burn_rates.get(Window::D3).unwrap() < 1.0);

    // The month: 43 199 minutes, 70 of them at 40 errors, the rest at 1.
    let month = expected_ratio(Duration::days(30));
    assert_close(status.error_ratio.unwrap(), month, "30d error ratio");
    let remaining = 1.0 - month / 0.001;
    assert_close(
        status.budget_remaining.unwrap(),
        remaining,
        "budget remaining",
    );
    assert!((0.4..0.5).contains(&remaining), "{remaining}");

    // 1h and 5m both burn above 14.4: page. The rest lasts remaining × 30d / 20.
    assert_eq!(status.state, State::Page);
    assert_eq!(
        status.time_to_exhaustion,
        burn::time_to_exhaustion(remaining, 20.0, &slo.objective)
    );
    assert_eq!(status.measured_at, Some(at));

    let history = status.history.expect("history was asked for");
    assert_eq!(history.day.len(), 288);
    assert_eq!(history.week.len(), 168);
    let burn_started = last - Duration::minutes(BURN_MINUTES);
    for (t, b) in &history.day {
        if *t < burn_started - Duration::minutes(1) {
            assert_close(*b, 0.5, &format!("24h chart at {t}"));
        } else if *t - Duration::minutes(5) > burn_started + Duration::minutes(1) {
            assert_close(*b, 20.0, &format!("24h chart at {t}"));
        }
    }
    for (t, b) in &history.week {
        if *t < burn_started - Duration::minutes(1) {
            assert_close(*b, 0.5, &format!("7d chart at {t}"));
        }
    }
    assert!(history.week.last().unwrap().1 > 0.5);
    // The charts end at the last whole step and go back a day and a week.
    let (first, end) = (history.day[0].0, history.day[287].0);
    assert_eq!(end - first, Duration::hours(24) - Duration::minutes(5));
    assert!(end <= at && at - end < Duration::minutes(5));
}

#[test]
fn a_prometheus_that_goes_away_leaves_the_last_values_marked_stale() {
    let (mut prom, last) = prometheus_with_history("", 1, &[]);
    let at = last + Duration::seconds(30);
    let fresh = measure(&prom.url, at, &[], true);
    assert_eq!(fresh.health(), clops::model::Health::Ok);
    assert_eq!(fresh.state, State::Page);

    // Checkout never answered 503: no such series exists, which is no errors at all.
    let mut never_503 = checkout_slo();
    never_503.indicator = Indicator::Events {
        errors: errors_query("checkout").replace(r#"code=~"5..""#, r#"code="503""#),
        total: total_query("checkout"),
    };
    let clean = measure_slo(&prom.url, never_503, at, &[], false);
    assert_eq!(clean.burn_rates.get(Window::M5), Some(0.0));
    assert_eq!(clean.budget_remaining, Some(1.0));
    assert_eq!(clean.state, State::Ok);

    // The peers of a source are asked in turn: one down is no failure.
    let pair: Arc<dyn Measurements> = Arc::new(PromSlo {
        servers: vec![client("http://127.0.0.1:9"), client(&prom.url)],
    });
    let statuses = runtime().block_on(evaluate(
        &[checkout_slo()],
        &HashMap::from([("prom".to_string(), pair)]),
        at,
        &[],
        Options::default(),
    ));
    assert_eq!(statuses[0].error, None);
    assert_eq!(statuses[0].burn_rates, fresh.burn_rates);

    let label = prom.url.trim_start_matches("http://").to_string();
    prom.kill();
    let later = at + Duration::minutes(1);
    let stale = measure(&prom.url, later, std::slice::from_ref(&fresh), true);
    assert_eq!(stale.health(), clops::model::Health::Stale);
    let error = stale.error.as_deref().unwrap();
    assert!(
        error.contains(&label) && error.contains("connection refused"),
        "{error}"
    );
    // Everything known before is still shown, as of when it was measured.
    assert_eq!(stale.burn_rates, fresh.burn_rates);
    assert_eq!(stale.budget_remaining, fresh.budget_remaining);
    assert_eq!(stale.state, State::Page);
    assert_eq!(stale.history, fresh.history);
    assert_eq!(stale.measured_at, Some(at));

    // With nothing measured before, there is nothing to keep: down, not made up.
    let never = measure(&prom.url, later, &[], false);
    assert_eq!(never.health(), clops::model::Health::Down);
    assert_eq!(never.burn_rates.known().count(), 0);
    assert_eq!(never.budget_remaining, None);
}

#[test]
fn a_prometheus_that_answers_with_errors_leaves_the_last_values_marked_stale() {
    // A query may hold at most 10 000 samples at once: a day of history (1441 samples
    // a series in the 30d window) fits, eleven days (15 841) do not.
    let (prom, last) = prometheus_with_history("", 1, &["--query.max-samples=10000"]);
    let at = last + Duration::seconds(30);
    let fresh = measure(&prom.url, at, &[], false);
    assert_eq!(fresh.error, None);

    let older = history(
        "checkout",
        last - Duration::days(1) - Duration::minutes(1),
        10,
    );
    write_history(&prom.url, &older);
    let failed = measure(&prom.url, at, std::slice::from_ref(&fresh), false);
    assert_eq!(failed.health(), clops::model::Health::Stale);
    let error = failed.error.as_deref().unwrap();
    assert!(error.contains("too many samples"), "{error}");
    assert_eq!(failed.burn_rates, fresh.burn_rates);
    assert_eq!(failed.budget_remaining, fresh.budget_remaining);
}

// ---------------------------------------------------------------------------------
// `clops slo` from a shell's point of view.

fn write_config(dir: &std::path::Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn slo_config(sources: &[(&str, &str)], slos: &[(&str, &str, &str)]) -> String {
    let mut text = String::new();
    for (name, url) in sources {
        text.push_str(&format!(
            "[[sources]]\nname = \"{name}\"\nkind = \"prometheus\"\nurl = \"{url}\"\ntimeout = \"30s\"\n\n"
        ));
    }
    for (name, service, source) in slos {
        text.push_str(&format!(
            "[[slos]]\nname = \"{name}\"\nservice = \"{service}\"\nobjective = 99.9\nwindow = \"30d\"\n\
             source = \"{source}\"\nerrors = '{}'\ntotal = '{}'\n\n",
            errors_query(service),
            total_query(service)
        ));
    }
    text
}

fn run_slo(
    home: &std::path::Path,
    config: &std::path::Path,
    args: &[&str],
) -> std::process::Output {
    common::clops_process(home)
        .arg("--config")
        .arg(config)
        .arg("slo")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn clops_slo_prints_the_contract_and_exits_by_what_answered() {
    let (mut prom, _) = prometheus_with_history("", 31, &[]);
    let home = tempfile::tempdir().unwrap();
    let config = write_config(
        home.path(),
        &slo_config(
            &[("prom", &prom.url)],
            &[("checkout-availability", "checkout", "prom")],
        ),
    );

    let out = run_slo(home.path(), &config, &["-o", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = stdout_json(&out);
    assert!(json["generated_at"].as_str().unwrap().ends_with('Z'));
    let slo = &json["slos"][0];
    assert_eq!(slo["name"], "checkout-availability");
    assert_eq!(slo["service"], "checkout");
    assert_eq!(slo["objective"], 99.9);
    assert_eq!(slo["window"], "30d");
    assert_eq!(slo["state"], "page");
    assert_eq!(slo["status"], "ok");
    let burn = slo["burn_rates"].as_object().unwrap();
    let keys: Vec<&str> = burn.keys().map(String::as_str).collect();
    assert_eq!(keys, ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
    for w in ["5m", "30m", "1h"] {
        assert_close(burn[w].as_f64().unwrap(), 20.0, w);
    }
    // Measured now rather than on a sample boundary, the month holds a minute more or
    // less of steady traffic: the same budget to the percent.
    let remaining = slo["budget_remaining"].as_f64().unwrap();
    let expected = 1.0 - expected_ratio(Duration::days(30)) / 0.001;
    assert_eq!(
        format!("{remaining:.2}"),
        format!("{expected:.2}"),
        "budget remaining"
    );

    let table = run_slo(home.path(), &config, &[]);
    assert_eq!(table.status.code(), Some(0));
    let text = String::from_utf8(table.stdout).unwrap();
    let row = text
        .lines()
        .find(|l| l.starts_with("checkout-availability"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(row.contains(" page ") && row.contains(" 20.0 "), "{row}");
    assert!(text.contains("1 SLO: 1 page"), "{text}");

    // A second Prometheus that is not there: the answer is printed, but partial.
    let dead = "http://127.0.0.1:9";
    let config = write_config(
        home.path(),
        &slo_config(
            &[("prom", &prom.url), ("gone", dead)],
            &[
                ("checkout-availability", "checkout", "prom"),
                ("search-availability", "search", "gone"),
            ],
        ),
    );
    let out = run_slo(home.path(), &config, &["-o", "json"]);
    assert_eq!(out.status.code(), Some(3));
    let json = stdout_json(&out);
    let sources = json["sources"].as_array().unwrap();
    let gone = sources.iter().find(|s| s["name"] == "gone").unwrap();
    assert_eq!(gone["status"], "down");
    let search = json["slos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "search-availability")
        .unwrap();
    assert_eq!(search["status"], "down");
    assert_eq!(search["burn_rates"], serde_json::json!({}));
    assert_eq!(search["budget_remaining"], Value::Null);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("clops: source gone failed: 127.0.0.1:9: connection refused"),
        "{err}"
    );

    // Nothing answers at all: one line, exit 1, nothing printed.
    prom.kill();
    let out = run_slo(home.path(), &config, &["-o", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("clops: no SLO could be measured: ") && err.contains("connection refused"),
        "{err}"
    );
}

/// Rules as Sloth generates them for `service: checkout`, `slos: [{name:
/// requests-availability, objective: 99.9}]`, evaluated every second.
fn sloth_rules() -> String {
    let id = "checkout-requests-availability";
    let labels = format!(
        "sloth_id: {id}\n        sloth_service: checkout\n        sloth_slo: requests-availability"
    );
    let selector =
        format!(r#"sloth_id="{id}", sloth_service="checkout", sloth_slo="requests-availability""#);
    let mut sli = String::new();
    for w in ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] {
        sli.push_str(&format!(
            r#"    - record: slo:sli_error:ratio_rate{w}
      expr: |
        (sum(rate(http_requests_total{{service="checkout",code=~"5.."}}[{w}])))
        /
        (sum(rate(http_requests_total{{service="checkout"}}[{w}])))
      labels:
        {labels}
        sloth_window: {w}
"#
        ));
    }
    format!(
        r#"groups:
  - name: sloth-slo-sli-recordings-{id}
    interval: 1s
    rules:
{sli}    - record: slo:sli_error:ratio_rate30d
      expr: |
        sum_over_time(slo:sli_error:ratio_rate5m{{{selector}}}[30d])
        / ignoring (sloth_window)
        count_over_time(slo:sli_error:ratio_rate5m{{{selector}}}[30d])
      labels:
        sloth_window: 30d
  - name: sloth-slo-meta-recordings-{id}
    interval: 1s
    rules:
    - record: slo:objective:ratio
      expr: vector(0.9990000000000001)
      labels:
        {labels}
    - record: slo:error_budget:ratio
      expr: vector(1-0.9990000000000001)
      labels:
        {labels}
    - record: slo:time_period:days
      expr: vector(30)
      labels:
        {labels}
    - record: slo:current_burn_rate:ratio
      expr: |
        slo:sli_error:ratio_rate5m{{{selector}}}
        / on(sloth_id, sloth_slo, sloth_service) group_left
        slo:error_budget:ratio{{{selector}}}
      labels:
        {labels}
"#
    )
}

/// Rules as Pyrra generates them (with `--generic-rules`) for an SLO `checkout-errors`
/// of 99.9% over 30 days on the same counters: error ratios named `…:burnrate<w>`
/// labelled with the SLO, and the objective, window and availability as plain rules.
/// The windows are those Pyrra derives for 30 days (its 28-day set scaled, to the
/// minute); only the page alerts' are recorded here, so the ticket ones are unknown.
fn pyrra_rules() -> String {
    let mut burnrates = String::new();
    for w in ["5m", "32m", "1h4m", "6h26m"] {
        burnrates.push_str(&format!(
            r#"    - record: http_requests:burnrate{w}
      expr: sum(rate(http_requests_total{{service="checkout",code=~"5.."}}[{w}])) / sum(rate(http_requests_total{{service="checkout"}}[{w}]))
      labels:
        service: checkout
        slo: checkout-errors
"#
        ));
    }
    format!(
        r#"  - name: checkout-errors
    interval: 1s
    rules:
{burnrates}  - name: checkout-errors-generic
    interval: 1s
    rules:
    - record: pyrra_objective
      expr: "0.999"
      labels:
        slo: checkout-errors
    - record: pyrra_window
      expr: "2592000"
      labels:
        slo: checkout-errors
    - record: pyrra_availability
      expr: 1 - sum(increase(http_requests_total{{service="checkout",code=~"5.."}}[30d]) or vector(0)) / sum(increase(http_requests_total{{service="checkout"}}[30d]))
      labels:
        slo: checkout-errors
"#
    )
}

const SLOTH_SPEC: &str = r#"version: "prometheus/v1"
service: "checkout-api"
labels:
  owner: "payments-team"
slos:
  - name: "requests-availability"
    objective: 99.9
    description: "Checkout requests answered without a server error."
    sli:
      events:
        error_query: sum(rate(http_requests_total{service="checkout",code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total{service="checkout"}[{{.window}}]))
    alerting:
      name: CheckoutHighErrorRate
      page_alert:
        labels:
          severity: critical
"#;

const OPENSLO: &str = r#"apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-good-requests
spec:
  service: checkout
  indicator:
    metadata:
      name: checkout-good
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total{service="checkout",code="200"}[{{.window}}]))
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total{service="checkout"}[{{.window}}]))
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: Checkout works
      target: 0.999
"#;

#[test]
fn slos_from_sloth_rules_sloth_specs_and_openslo_files_are_found_and_measured() {
    let rules = format!("{}{}", sloth_rules(), pyrra_rules());
    let (prom, _) = prometheus_with_history(&rules, 4, &[]);
    // Every rule must have been evaluated once before clops reads them: on a loaded
    // machine the groups' first rounds can lag the Prometheus start by seconds.
    let recorded: std::collections::BTreeSet<&str> = rules
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- record:"))
        .map(str::trim)
        .collect();
    eventually("Sloth's and Pyrra's rules to have recorded values", || {
        recorded
            .iter()
            .all(|q| prom.query(q).as_array().is_some_and(|r| !r.is_empty()))
    });
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join("slos")).unwrap();
    std::fs::write(home.path().join("slos/checkout.yml"), SLOTH_SPEC).unwrap();
    std::fs::write(home.path().join("slos/openslo.yaml"), OPENSLO).unwrap();
    let config = write_config(
        home.path(),
        &format!(
            "{}[[slo_imports]]\nsource = \"prom\"\nrules = true\n\n\
             [[slo_imports]]\nsource = \"prom\"\npath = \"slos\"\n",
            slo_config(&[("prom", &prom.url)], &[])
        ),
    );
    let out = run_slo(home.path(), &config, &["-o", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = stdout_json(&out);
    let slos = json["slos"].as_array().unwrap();
    let names: Vec<&str> = slos.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "checkout-api-requests-availability",
            "checkout-good-requests",
            "checkout-requests-availability",
            "checkout-errors"
        ],
        "the files' SLOs in file order, then those Sloth's and Pyrra's rules record"
    );
    for slo in slos {
        assert_eq!(slo["objective"], 99.9, "{slo}");
        let window = if slo["name"] == "checkout-good-requests" {
            "28d"
        } else {
            "30d"
        };
        assert_eq!(slo["window"], window, "{slo}");
        assert_eq!(slo["state"], "page", "{slo}");
        let pyrra = slo["name"] == "checkout-errors";
        for w in ["5m", "30m", "1h"]
            .into_iter()
            .take(if pyrra { 1 } else { 3 })
        {
            assert_close(slo["burn_rates"][w].as_f64().unwrap(), 20.0, w);
        }
    }
    // Pyrra's state follows its own windows; those of its ticket alerts that no rule
    // records are named, not taken for quiet.
    let pyrra = &slos[3];
    let windows: Vec<&str> = pyrra["burn_rates"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(windows, ["5m"]);
    assert_eq!(
        pyrra["unknown_windows"],
        serde_json::json!(["2h9m", "1d1h43m", "4d6h51m"])
    );
    assert_eq!(pyrra["service"], "checkout");
    // Its budget is the availability over the window: four days of history, 70
    // minutes of them at 40 errors a minute and the rest at 1, of 2000.
    let ratio =
        (70.0 * BURN_ERRORS + (4.0 * 1440.0 - 70.0) * STEADY_ERRORS) / (4.0 * 1440.0 * PER_MINUTE);
    assert_close(
        pyrra["budget_remaining"].as_f64().unwrap(),
        1.0 - ratio / 0.001,
        "Pyrra budget",
    );
    let discovered = &slos[2];
    assert_eq!(discovered["service"], "checkout");
    // Sloth's period rule averages its own 5m ratios, which since Prometheus started
    // have all been 2%: 20 budgets spent, 19 overspent.
    assert_close(
        discovered["budget_remaining"].as_f64().unwrap(),
        -19.0,
        "budget",
    );
    let imported = &slos[0];
    assert_eq!(imported["labels"]["owner"], "payments-team");
    assert!(imported["budget_remaining"].as_f64().unwrap() > 0.0);
}

/// Sloth's own OpenSLO example (examples/openslo-getting-started.yml in slok/sloth,
/// Apache-2.0), on checkout's counters.
const OPENSLO_V1ALPHA: &str = r#"apiVersion: openslo/v1alpha
kind: SLO
metadata:
  name: sloth-slo-checkout
spec:
  service: checkout
  objectives:
    - ratioMetrics:
        good:
          source: prometheus
          queryType: promql
          query: sum(rate(http_requests_total{service="checkout",code="200"}[{{.window}}]))
        total:
          source: prometheus
          queryType: promql
          query: sum(rate(http_requests_total{service="checkout"}[{{.window}}]))
      target: 0.999
  timeWindows:
    - count: 30
      unit: Day
"#;

#[test]
fn an_import_directory_with_bad_files_shows_the_good_ones_and_names_the_bad() {
    let (prom, _) = prometheus_with_history("", 1, &[]);
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("slos");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("a-sloth.yml"), SLOTH_SPEC).unwrap();
    std::fs::write(dir.join("b-v1alpha.yml"), OPENSLO_V1ALPHA).unwrap();
    // The OpenSLO tooling accepts a file that is a YAML list of objects.
    let listed: String = OPENSLO
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{}{l}\n", if i == 0 { "- " } else { "  " }))
        .collect();
    std::fs::write(dir.join("c-list.yaml"), listed).unwrap();
    std::fs::write(
        dir.join("d-broken.yml"),
        "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: x\nspec:\n  service: x\n  budgetingMethod: Timeslices\n  objectives: []\n",
    )
    .unwrap();
    // rollup_rate is MetricsQL: Prometheus refuses the query.
    std::fs::write(
        dir.join("e-metricsql.yml"),
        SLOTH_SPEC
            .replace("checkout-api", "checkout-vm")
            .replace("sum(rate(", "sum(rollup_rate("),
    )
    .unwrap();
    let config = write_config(
        home.path(),
        &format!(
            "{}[[slo_imports]]\nsource = \"prom\"\npath = \"slos\"\n",
            slo_config(&[("prom", &prom.url)], &[])
        ),
    );
    let out = run_slo(home.path(), &config, &["-o", "json"]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(3), "{err}");
    let json = stdout_json(&out);
    let names: Vec<&str> = json["slos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for name in [
        "checkout-api-requests-availability",
        "checkout-sloth-slo-checkout-0",
        "checkout-good-requests",
        "checkout-vm-requests-availability",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let broken = dir.join("d-broken.yml").display().to_string();
    assert!(
        err.contains(&format!("SLO file ignored: {broken}:7"))
            && err.contains("spec.budgetingMethod")
            && err.contains("Timeslices"),
        "{err}"
    );
    let metricsql = dir.join("e-metricsql.yml").display().to_string();
    let refused = err
        .lines()
        .find(|l| l.contains("SLO checkout-vm-requests-availability could not be measured"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        refused.contains(&metricsql) && refused.contains("rollup_rate"),
        "Prometheus's own message, the SLO and its file: {refused}"
    );
}
