//! `clops slo`: measure every SLO once and print burn rates, budgets and states.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{anyhow, bail};
use chrono::Utc;

use crate::cli::{Format, Global, SloArgs};
use crate::config::{FileConfig, SourceKind};
use crate::model::text::clean_line;
use crate::model::{Health, SourceStatus};
use crate::slo::eval::{Backends, Measurements, Options, Prometheus};
use crate::slo::{SloDef, discover, evaluate};
use crate::sources::demo::{self, Scenario, SimClock, World};
use crate::sources::http::{Endpoint, HttpClient};
use crate::sources::prometheus::PromClient;

use super::{EXIT_PARTIAL, Outcome, Settings, init_logging, runtime};

/// How many SLOs are measured at once: enough to hide latency, few enough to be kind
/// to a Prometheus that other people also query.
const CONCURRENCY: usize = 8;

/// What the SLOs are and where they are measured.
struct Plan {
    slos: Vec<SloDef>,
    backends: Backends,
    /// Every source asked, with why it failed before any SLO was measured.
    sources: BTreeMap<String, (String, Option<String>)>,
    /// SLOs recognised in rules but unusable, by source.
    notes: Vec<String>,
}

pub fn run(global: &Global, args: &SloArgs) -> Outcome {
    let settings = Settings::resolve(global, !args.demo)?;
    init_logging(&settings);
    let rt = runtime()?;
    let plan = if args.demo {
        demo_plan()
    } else {
        let slos = crate::slo::config::definitions(&settings.file, &settings.dirs.config_file)?;
        rt.block_on(configured_plan(&settings.file, slos))
    };
    if plan.slos.is_empty() && plan.sources.values().all(|(_, e)| e.is_none()) {
        bail!(
            "no SLOs configured in {} (nor discovered in rules): add [[slos]] or [[slo_imports]] (see `clops config init --stdout`), or pass --demo",
            settings.dirs.config_file.display()
        );
    }
    let now = Utc::now();
    let statuses = rt.block_on(evaluate(
        &plan.slos,
        &plan.backends,
        now,
        &[],
        Options {
            history: false,
            concurrency: CONCURRENCY,
        },
    ));
    let sources = source_statuses(&plan, &statuses);
    let measured = statuses.iter().any(|s| s.health() == Health::Ok);
    if !measured {
        let mut reasons: Vec<String> = sources
            .iter()
            .filter_map(|s| Some(format!("{}: {}", s.name, s.error.as_deref()?)))
            .collect();
        if reasons.is_empty() {
            reasons = statuses
                .iter()
                .filter_map(|s| Some(format!("{}: {}", s.name, s.error.as_deref()?)))
                .collect();
        }
        bail!("no SLO could be measured: {}", reasons.join("; "));
    }
    let mut out = std::io::stdout().lock();
    match args.output {
        Format::Json => {
            let json = crate::slo::report::slo_json(&statuses, &sources, now);
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
        Format::Table => out.write_all(crate::slo::report::slo_table(&statuses, now).as_bytes())?,
    }
    out.flush()?;
    for note in &plan.notes {
        eprintln!("clops: {note}");
    }
    let mut partial = false;
    for s in sources.iter().filter(|s| s.status != Health::Ok) {
        eprintln!(
            "clops: source {} failed: {}",
            s.name,
            s.error.as_deref().unwrap_or("")
        );
        partial = true;
    }
    for s in statuses.iter().filter(|s| s.health() != Health::Ok) {
        eprintln!(
            "clops: SLO {} could not be measured: {}",
            clean_line(&s.name),
            s.error.as_deref().unwrap_or("")
        );
        partial = true;
    }
    Ok(if partial {
        ExitCode::from(EXIT_PARTIAL)
    } else {
        ExitCode::SUCCESS
    })
}

/// Each source asked: down when it failed before measuring (discovery, building its
/// client) or when every SLO on it failed.
fn source_statuses(plan: &Plan, statuses: &[crate::slo::SloStatus]) -> Vec<SourceStatus> {
    plan.sources
        .iter()
        .map(|(name, (kind, error))| {
            let on_it: Vec<_> = statuses.iter().filter(|s| &s.source == name).collect();
            let all_failed = !on_it.is_empty() && on_it.iter().all(|s| s.health() != Health::Ok);
            let error = error.clone().or_else(|| {
                all_failed
                    .then(|| on_it.iter().find_map(|s| s.error.clone()))
                    .flatten()
            });
            SourceStatus {
                name: name.clone(),
                kind: kind.clone(),
                status: if error.is_some() {
                    Health::Down
                } else {
                    Health::Ok
                },
                error: error.map(|e| clean_line(&e)),
                data_at: None,
                rules: Vec::new(),
            }
        })
        .collect()
}

/// The demo world's SLOs, as `clops demo` would show them now.
fn demo_plan() -> Plan {
    let options = demo::DemoOptions::default();
    let world = Arc::new(World::new(options.scenario, options.seed));
    let clock = Arc::new(SimClock::running(&world, options.speed));
    debug_assert_eq!(options.scenario, Scenario::BadDeploy);
    let backends = crate::slo::demo::backends(world, clock);
    let sources = backends
        .keys()
        .map(|name| (name.clone(), ("demo".to_string(), None)))
        .collect();
    Plan {
        slos: crate::slo::demo::definitions(),
        backends,
        sources,
        notes: Vec::new(),
    }
}

/// The configured SLOs plus those discovered in rules, and a client per Prometheus
/// source they use.
async fn configured_plan(file: &FileConfig, mut slos: Vec<SloDef>) -> Plan {
    let discover_on = crate::slo::config::discovery_sources(file);
    let mut wanted: Vec<&str> = slos.iter().map(|s| s.source.as_str()).collect();
    wanted.extend(discover_on.iter().map(String::as_str));
    wanted.sort_unstable();
    wanted.dedup();
    let mut plan = Plan {
        slos: Vec::new(),
        backends: Backends::new(),
        sources: BTreeMap::new(),
        notes: Vec::new(),
    };
    let mut clients: BTreeMap<String, Vec<PromClient>> = BTreeMap::new();
    for name in wanted {
        let Some(config) = file
            .sources
            .iter()
            .find(|s| s.name == name && s.kind == SourceKind::Prometheus)
        else {
            continue; // config validation names such a source
        };
        match prom_clients(config) {
            Ok(servers) => {
                clients.insert(name.to_string(), servers.clone());
                let m: Arc<dyn Measurements> = Arc::new(Prometheus { servers });
                plan.backends.insert(name.to_string(), m);
                plan.sources
                    .insert(name.to_string(), ("prometheus".into(), None));
            }
            Err(e) => {
                plan.sources
                    .insert(name.to_string(), ("prometheus".into(), Some(e)));
            }
        }
    }
    for name in &discover_on {
        let Some(servers) = clients.get(name) else {
            continue;
        };
        match recording_rules(servers).await {
            Ok(rules) => {
                let found = discover::from_rules(&rules, name);
                for problem in found.problems {
                    plan.notes.push(format!("source {name}: {problem}"));
                }
                for d in found.slos {
                    // An SLO defined in the config or a file wins over its rules.
                    if !slos.iter().any(|s| s.name == d.name) {
                        slos.push(d);
                    }
                }
            }
            Err(e) => {
                if let Some(entry) = plan.sources.get_mut(name) {
                    entry.1 = Some(format!("cannot read its rules to discover SLOs: {e}"));
                }
            }
        }
    }
    plan.slos = slos;
    plan
}

async fn recording_rules(
    servers: &[PromClient],
) -> Result<Vec<crate::sources::prometheus::RecordingRule>, crate::sources::SourceError> {
    let mut last = None;
    for server in servers {
        match server.recording_rules().await {
            Ok(rules) => return Ok(rules),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| crate::sources::SourceError::Other("no servers".into())))
}

/// A query client for each server of a Prometheus source, with its credentials.
fn prom_clients(config: &crate::config::SourceConfig) -> Result<Vec<PromClient>, String> {
    let env = |var: &str| std::env::var(var).ok();
    let settings =
        crate::sources::registry::http_settings(config, &env, &crate::secrets::OsKeyring)?;
    let client = HttpClient::new(&settings)?;
    config
        .endpoints()
        .iter()
        .map(|u| Endpoint::parse(u).map(|e| PromClient::new(client.clone(), e)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow!(e).to_string())
}
