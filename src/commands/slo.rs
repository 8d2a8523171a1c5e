//! `clops slo`: measure every SLO once and print burn rates, budgets and states.

use std::process::ExitCode;

use anyhow::bail;
use chrono::Utc;

use crate::cli::{Format, Global, SloArgs};
use crate::live::slos::setup;
use crate::model::{Health, SourceStatus};
use crate::slo::eval::Options;
use crate::slo::evaluate;
use crate::sources::demo::DemoOptions;
use crate::text::clean_line;

use super::{EXIT_PARTIAL, Outcome, Settings, init_logging, print_text, runtime};

/// How many SLOs are measured at once: enough to hide latency, few enough to be kind
/// to a Prometheus that other people also query.
const CONCURRENCY: usize = 8;

/// Runs `clops slo`.
pub fn run(global: &Global, args: &SloArgs) -> Outcome {
    let settings = Settings::resolve(global, !args.demo)?;
    init_logging(&settings);
    let rt = runtime()?;
    let mut problems = Vec::new();
    let plan = if args.demo {
        setup::demo(DemoOptions::default())
    } else {
        let found = crate::slo::config::definitions(&settings.file, &settings.dirs.config_file)?;
        problems = found.problems;
        rt.block_on(setup::configured(
            &settings.file,
            found.slos,
            &crate::secrets::OsKeyring,
        ))
    };
    if plan.slos.is_empty() && !problems.is_empty() {
        bail!(
            "no usable SLO: {}",
            problems
                .iter()
                .map(|p| clean_line(&p.to_string()))
                .chain(plan.notes.iter().map(|n| clean_line(n)))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    if plan.slos.is_empty() && !plan.notes.is_empty() {
        bail!(
            "no usable SLO: {}",
            plan.notes
                .iter()
                .map(|n| clean_line(n))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
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
                .filter_map(|s| Some(format!("{}: {}", clean_line(&s.name), s.error.as_deref()?)))
                .collect();
        }
        bail!("no SLO could be measured: {}", reasons.join("; "));
    }
    match args.output {
        Format::Json => {
            crate::output::print_json(&crate::output::SloJson::new(&statuses, &sources, now))?
        }
        Format::Table => print_text(&crate::slo::report::slo_table(&statuses, now))?,
    }
    for note in &plan.notes {
        eprintln!("clops: {}", clean_line(note));
    }
    // A file that could not be used is a source of SLOs that failed.
    let mut partial = !problems.is_empty();
    for problem in &problems {
        eprintln!(
            "clops: SLO file ignored: {}",
            clean_line(&problem.to_string())
        );
    }
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
fn source_statuses(plan: &setup::Plan, statuses: &[crate::slo::SloStatus]) -> Vec<SourceStatus> {
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
                error: error.map(|e| crate::redact::scrubbed(&clean_line(&e))),
                data_at: None,
                rules: Vec::new(),
            }
        })
        .collect()
}
