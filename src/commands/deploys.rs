//! `clops deploys`: what changed lately, from every source that reports deploys.

use std::time::Duration;

use anyhow::bail;
use chrono::{DateTime, Utc};

use crate::cli::{DeploysArgs, Format, Global};
use crate::config::{DurationValue, SourceConfig, SourceKind};
use crate::model::Deploy;
use crate::report;
use crate::sources::SourceSet;
use crate::sources::demo::DemoOptions;
use crate::sources::deploys::{newest_first, since};
use crate::sources::registry::build_sources_placed;
use crate::text::time::{Style, Timestamp};
use crate::text::{fit, pad};

use super::{
    Outcome, Settings, demo_sources, fail_if_all_failed, init_logging, partial_exit, print_text,
};

pub fn run(global: &Global, args: &DeploysArgs) -> Outcome {
    let settings = Settings::resolve(global, !args.demo)?;
    init_logging(&settings);
    let sources = if args.demo {
        demo_sources(DemoOptions::default())
    } else {
        build_sources_placed(
            &deploy_configs(&settings.file.sources, args.since),
            &settings.file.environments,
            std::sync::Arc::new(crate::secrets::OsKeyring),
        )
    };
    if sources.is_empty() {
        bail!(
            "no deploy sources configured in {}: add a [[sources]] of kind github, argocd, grafana or command (see `clops config init --stdout`), or pass --demo",
            settings.dirs.config_file.display()
        );
    }
    let set = super::runtime()?.block_on(report::fetch_all(&sources));
    let statuses = set.statuses();
    fail_if_all_failed(&statuses)?;
    let now = Utc::now();
    let deploys = recent(&set, since(now, args.since));
    match args.output {
        Format::Json => crate::output::print_json(&crate::output::DeploysJson::new(&deploys))?,
        Format::Table => print_text(&deploys_table(&deploys, now, args.since))?,
    }
    Ok(partial_exit(&statuses))
}

/// The configured sources that report deploys, each reading back as far as asked
/// (rather than its own `history`): a one-shot asks for no more than it prints.
fn deploy_configs(configs: &[SourceConfig], since: Duration) -> Vec<SourceConfig> {
    configs
        .iter()
        .filter(|c| c.kind.is_deploys() || c.kind == SourceKind::Demo)
        .cloned()
        .map(|mut c| {
            if c.kind.is_deploys() {
                c.history = Some(DurationValue(since));
            }
            c
        })
        .collect()
}

/// Every source's deploys since `from`, newest first.
pub fn recent(set: &SourceSet, from: DateTime<Utc>) -> Vec<Deploy> {
    let mut deploys: Vec<Deploy> = set
        .snapshots()
        .flat_map(|s| s.deploys.iter())
        .filter(|d| d.at >= from)
        .cloned()
        .collect();
    newest_first(&mut deploys);
    deploys
}

/// `clops deploys` as a table that fits 80 columns: newest first, one line each.
pub fn deploys_table(deploys: &[Deploy], now: DateTime<Utc>, since: Duration) -> String {
    // AGE 6, UTC 5, SERVICE 13, VERSION 13, STATUS 11, ENV 8, SOURCE the rest of 80.
    const SOURCE_W: usize = 80 - (6 + 5 + 13 + 13 + 11 + 8 + 6 * 2);
    let row = |cells: [&str; 7]| {
        format!(
            "{}  {}  {}  {}  {}  {}  {}\n",
            pad(cells[0], 6),
            pad(cells[1], 5),
            pad(cells[2], 13),
            pad(cells[3], 13),
            pad(cells[4], 11),
            pad(cells[5], 8),
            fit(cells[6], SOURCE_W)
        )
    };
    let window = Style::Config.format(since);
    if deploys.is_empty() {
        return format!("no deploys in the last {window}\n");
    }
    let mut out = row([
        "AGE", "UTC", "SERVICE", "VERSION", "STATUS", "ENV", "SOURCE",
    ]);
    for d in deploys {
        let version = if d.version.is_empty() {
            "-"
        } else {
            &d.version
        };
        out.push_str(&row([
            &Style::Age.format(now - d.at),
            &Timestamp::MinuteCell.format(d.at),
            &d.service,
            version,
            &d.status,
            d.environment.as_deref().unwrap_or("-"),
            &d.source,
        ]));
    }
    // Where an environment is not simply a cluster, say which clusters it reaches.
    let reaches: std::collections::BTreeSet<(&str, String)> = deploys
        .iter()
        .filter(|d| !d.clusters.is_empty())
        .map(|d| {
            (
                d.environment.as_deref().unwrap_or("-"),
                d.clusters.join(", "),
            )
        })
        .filter(|(env, clusters)| env != clusters)
        .collect();
    if !reaches.is_empty() {
        out.push('\n');
        for (env, clusters) in reaches {
            out.push_str(&fit(&format!("{env} reaches {clusters}"), 80));
            out.push('\n');
        }
    }
    let sources: std::collections::BTreeSet<&str> =
        deploys.iter().map(|d| d.source.as_str()).collect();
    out.push_str(&format!(
        "\n{} in the last {window}, from {}\n",
        crate::text::plural(deploys.len(), "deploy"),
        crate::text::plural(sources.len(), "source"),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use unicode_width::UnicodeWidthStr;

    fn deploy(service: &str, version: &str, minutes_ago: i64, source: &str) -> Deploy {
        Deploy {
            service: service.into(),
            version: version.into(),
            at: now() - chrono::Duration::minutes(minutes_ago),
            source: source.into(),
            status: "success".into(),
            url: None,
            environment: Some("prod-eu".into()),
            clusters: Vec::new(),
            author: None,
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 20, 0, 0).unwrap()
    }

    #[test]
    fn the_table_fits_80_columns_even_with_long_names() {
        let mut long = deploy(
            "a-service-with-a-very-long-name",
            "main@a1b2c3d-and-more",
            125,
            "a-source-name-longer-than-its-column",
        );
        long.status = "rolled_back".into();
        let table = deploys_table(
            &[deploy("checkout", "v2.8.0", 8, "gh-checkout"), long],
            now(),
            Duration::from_secs(6 * 3600),
        );
        for line in table.lines() {
            assert!(line.width() <= 80, "{} columns: {line}", line.width());
        }
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("AGE     UTC    SERVICE"), "{table}");
        assert!(
            lines[1].starts_with("8m      19:52  checkout       v2.8.0"),
            "{table}"
        );
        assert!(
            lines[2].contains("2h05m") && lines[2].contains("rolled_back"),
            "{table}"
        );
        assert!(
            table.ends_with("2 deploys in the last 6h, from 2 sources\n"),
            "{table}"
        );
    }

    #[test]
    fn environments_that_are_not_clusters_say_which_they_reach() {
        let mut mapped = deploy("checkout", "v2.8.0", 8, "gh-checkout");
        mapped.environment = Some("production".into());
        mapped.clusters = vec!["eu-1".into(), "us-1".into()];
        let mut named = deploy("payments", "v1", 9, "argo");
        named.clusters = vec!["prod-eu".into()];
        let table = deploys_table(&[mapped, named], now(), Duration::from_secs(3600));
        assert!(
            table.ends_with(
                "\nproduction reaches eu-1, us-1\n\n2 deploys in the last 1h, from 2 sources\n"
            ),
            "{table}"
        );
        let json = serde_json::to_value(crate::output::DeploysJson::new(&[deploy(
            "checkout", "v2", 1, "ci",
        )]))
        .unwrap();
        assert_eq!(json["deploys"][0]["environment"], "prod-eu");
        assert_eq!(json["deploys"][0]["clusters"], serde_json::json!([]));
    }

    #[test]
    fn nothing_to_show_says_so() {
        assert_eq!(
            deploys_table(&[], now(), Duration::from_secs(1800)),
            "no deploys in the last 30m\n"
        );
        assert_eq!(
            serde_json::to_string(&crate::output::DeploysJson::new(&[])).unwrap(),
            r#"{"deploys":[]}"#
        );
    }
}
