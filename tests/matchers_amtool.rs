//! clops reads matchers exactly as Alertmanager does: the same name, operator and value
//! for every text Alertmanager accepts, a refusal for every text it refuses, and the
//! same alerts selected on a real Alertmanager.
//!
//! The texts are Alertmanager's own matcher compliance and parser cases, and some of
//! ours (tests/fixtures/matchers/cases.json). Nothing expected is written down here:
//! for each text, amtool 0.25 says how it reads it (`amtool config routes show` on a
//! route with `matchers: [TEXT]`, which goes through the same `ParseMatchers` as
//! everything else), and `amtool alert query` says which alerts those matchers select
//! on a real Alertmanager, fed with alerts made to tell the matchers apart.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::servers::{Alertmanager, require_servers};
use serde_json::{Value, json};

/// (name, operator, value)
type Parsed = Vec<(String, String, String)>;

fn cases() -> Vec<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/matchers/cases.json"),
    )
    .unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["input"].as_str().unwrap().to_string())
        .collect()
}

/// How amtool reads `input` as a route's matchers: sorted, as Alertmanager sorts them,
/// or its error.
fn amtool_reads(dir: &Path, input: &str) -> Result<Parsed, String> {
    let file = dir.join("routes.yml");
    std::fs::write(
        &file,
        format!(
            "route:\n  receiver: \"null\"\n  routes:\n    - receiver: \"null\"\n      matchers: [{}]\nreceivers:\n  - name: \"null\"\n",
            serde_json::to_string(input).unwrap()
        ),
    )
    .unwrap();
    let out = Command::new("amtool")
        .args(["config", "routes", "show"])
        .arg(format!("--config.file={}", file.display()))
        .env("HOME", dir)
        .output()
        .expect("amtool runs");
    let stdout = String::from_utf8(out.stdout).unwrap();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    let child = stdout
        .lines()
        .find(|l| l.starts_with("    └── "))
        .unwrap_or_else(|| panic!("no child route in {stdout}"));
    let slug = child
        .trim_start_matches("    └── ")
        .trim_end()
        .strip_suffix("receiver: null")
        .unwrap()
        .trim_end();
    if slug == "default-route" {
        return Ok(Vec::new());
    }
    Ok(canonical(slug))
}

/// Reads Alertmanager's printed form `{name op "escaped",…}`: every value quoted, with
/// `\\`, `\n` and `\"` escaped.
fn canonical(s: &str) -> Parsed {
    let mut rest = s
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or_else(|| panic!("not a matcher list: {s}"));
    let mut out = Vec::new();
    while !rest.is_empty() {
        let at = rest.find(['=', '!']).unwrap();
        let name = rest[..at].to_string();
        let op = ["=~", "!=", "!~", "="]
            .into_iter()
            .find(|op| rest[at..].starts_with(op))
            .unwrap();
        rest = rest[at + op.len()..].strip_prefix('"').unwrap();
        let mut value = String::new();
        let mut chars = rest.char_indices();
        let end = loop {
            match chars.next().expect("a closing quote") {
                (_, '\\') => match chars.next().unwrap().1 {
                    'n' => value.push('\n'),
                    c => value.push(c),
                },
                (i, '"') => break i,
                (_, c) => value.push(c),
            }
        };
        out.push((name, op.to_string(), value));
        rest = &rest[end + 1..];
        rest = rest.strip_prefix(',').unwrap_or(rest);
    }
    out
}

/// Alertmanager's printed form of one matcher, which its parser reads back exactly.
fn printed((name, op, value): &(String, String, String)) -> String {
    let escaped = value
        .replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('"', "\\\"");
    format!("{name}{op}\"{escaped}\"")
}

fn clops(home: &Path, config: &Path, args: &[&str]) -> std::process::Output {
    common::clops_process(home)
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .unwrap()
}

/// How clops reads `input`, through what `silence add --dry-run` says it would store.
fn clops_reads(home: &Path, config: &Path, input: &str) -> Result<Parsed, String> {
    let out = clops(
        home,
        config,
        &[
            "silence",
            "add",
            "--dry-run",
            "-o",
            "json",
            "--comment",
            "x",
            "-m",
            input,
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
    match out.status.code() {
        Some(0) => {}
        Some(2) if stderr.contains("give at least one") => return Ok(Vec::new()),
        Some(2) => return Err(stderr),
        other => panic!("{input:?}: exit {other:?}: {stderr}"),
    }
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut parsed: Parsed = v["matchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let op = match (
                m["isRegex"].as_bool().unwrap(),
                m["isEqual"].as_bool().unwrap(),
            ) {
                (false, true) => "=",
                (false, false) => "!=",
                (true, true) => "=~",
                (true, false) => "!~",
            };
            (
                m["name"].as_str().unwrap().to_string(),
                op.to_string(),
                m["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    parsed.sort();
    Ok(parsed)
}

fn fingerprints(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|a| a["fingerprint"].as_str().unwrap().to_string())
        .collect()
}

/// Alerts that tell the accepted matchers apart: for each, one alert with every label
/// its `=` matchers name set to their value, and one with each of those values
/// changed; label names Alertmanager refuses for alerts (`a:b`) are left out.
fn alerts_for(readings: &[Parsed]) -> Value {
    let ends = (chrono::Utc::now() + chrono::Duration::hours(6)).to_rfc3339();
    let mut alerts = Vec::new();
    for (i, matchers) in readings.iter().enumerate() {
        for variant in ["exact", "other"] {
            let mut labels = serde_json::Map::new();
            labels.insert("alertname".into(), json!(format!("Case{i}")));
            labels.insert("variant".into(), json!(variant));
            for (name, op, value) in matchers {
                let valid = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if op == "=" && valid && !value.is_empty() {
                    let value = if variant == "exact" {
                        value.clone()
                    } else {
                        format!("{value}x")
                    };
                    labels.insert(name.clone(), json!(value));
                }
            }
            alerts.push(json!({"labels": labels, "endsAt": ends}));
        }
    }
    Value::Array(alerts)
}

#[test]
fn clops_reads_every_matcher_text_as_amtool_does_and_selects_the_same_alerts() {
    require_servers();
    let dir = tempfile::tempdir().unwrap();
    let am = Alertmanager::start();
    let home = dir.path();
    let config = home.join("clops.toml");
    std::fs::write(
        &config,
        format!(
            "[[sources]]\nname = \"lab\"\nkind = \"alertmanager\"\nurl = \"{}\"\n",
            am.url
        ),
    )
    .unwrap();

    let cases = cases();
    let readings: Vec<(String, Result<Parsed, String>)> = cases
        .iter()
        .map(|c| (c.clone(), amtool_reads(home, c)))
        .collect();
    let accepted: Vec<Parsed> = readings
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok().cloned())
        .collect();
    assert!(
        accepted.len() > 40 && accepted.len() < cases.len(),
        "amtool accepts some texts and refuses others"
    );
    am.post_alerts(&alerts_for(&accepted));

    let mut disagreements = Vec::new();
    let mut same_alerts = 0;
    for (input, amtool) in &readings {
        let ours = clops_reads(home, &config, input);
        match (amtool, &ours) {
            (Ok(a), Ok(o)) if a == o => {}
            (Err(_), Err(e)) => {
                // Refused by both: ours says where.
                if !e.contains("at column") {
                    disagreements.push(format!("{input:?}: refused without a column: {e}"));
                }
                let filter = clops(home, &config, &["alerts", "--filter", input]);
                if filter.status.code() != Some(2) {
                    disagreements.push(format!(
                        "{input:?}: --filter did not refuse it: {:?}",
                        filter.status.code()
                    ));
                }
                continue;
            }
            _ => {
                disagreements.push(format!("{input:?}: amtool {amtool:?}, clops {ours:?}"));
                continue;
            }
        }
        let matchers = amtool.as_ref().unwrap();
        // The same alerts: amtool on the real Alertmanager, one matcher per argument
        // in Alertmanager's printed form; clops through --filter on the text as typed.
        let mut args: Vec<String> = ["alert", "query", "-o", "json", "-a", "-s", "-i", "-u"]
            .map(String::from)
            .to_vec();
        args.extend(matchers.iter().map(printed));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = am.amtool(&args);
        assert!(
            out.status.success(),
            "amtool alert query {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let theirs = fingerprints(&serde_json::from_slice(&out.stdout).unwrap());
        let filter = if input.trim().is_empty() {
            // No text is no filter.
            clops(home, &config, &["alerts", "-o", "json"])
        } else {
            clops(home, &config, &["alerts", "-o", "json", "--filter", input])
        };
        assert!(
            filter.status.success(),
            "{input:?}: {}",
            String::from_utf8_lossy(&filter.stderr)
        );
        let v: Value = serde_json::from_slice(&filter.stdout).unwrap();
        let ours: BTreeSet<String> = v["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| fingerprints(&g["alerts"]))
            .collect();
        if ours != theirs {
            disagreements.push(format!(
                "{input:?}: amtool selects {} alerts, clops {}",
                theirs.len(),
                ours.len()
            ));
        } else {
            same_alerts += 1;
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} texts read differently from amtool:\n{}",
        disagreements.len(),
        cases.len(),
        disagreements.join("\n")
    );
    assert_eq!(same_alerts, accepted.len());
}
