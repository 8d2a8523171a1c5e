//! What each command does, from parsed arguments to an exit code.

mod auth;
mod deploys;
mod incident;
mod runbook;
mod silence;
mod slo;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, anyhow, bail};
use chrono::Utc;

use crate::cli::{AlertsArgs, Cli, Command, ConfigCommand, DemoArgs, Format, Global};
use crate::config::{self, ConfigErrors, Dirs, FileConfig};
use crate::model::{Health, SourceStatus};
use crate::output;
use crate::report;
use crate::sources::demo::{self, DemoOptions, Scenario};
use crate::sources::registry::{Configured, build_sources_placed};
use crate::sources::{PollSettings, Source};
use crate::triage::Triage;
use crate::triage::search::AlertFilter;
use crate::tui::keymap::Keymap;
use crate::tui::{ColorDepth, Console, SloSetup};

/// Exit code of a partial answer: output printed, at least one source failed.
pub const EXIT_PARTIAL: u8 = 3;

/// A command failed in a way the user must hear about: one line on stderr, exit 1.
pub type Outcome = anyhow::Result<ExitCode>;

/// Arguments that cannot be read (a matcher Alertmanager would refuse): exit 2, as for
/// any other usage error.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Settings after layering defaults, the config file, the environment and the flags.
pub struct Settings {
    pub dirs: Dirs,
    pub file: FileConfig,
    /// A config problem that did not stop the command (the demo runs without config).
    pub warning: Option<ConfigErrors>,
    pub theme: String,
    pub depth: ColorDepth,
    pub read_only: bool,
    pub keymap: Keymap,
    pub verbose: u8,
}

impl Settings {
    /// Resolves settings. With `strict`, a broken config file is an error; without, it
    /// is reported as a warning and defaults are used.
    pub fn resolve(global: &Global, strict: bool) -> anyhow::Result<Settings> {
        let dirs = Dirs::resolve(global.config.as_deref(), global.data_dir.as_deref());
        let (file, warning) = match load_config(&dirs.config_file, global.config.is_some()) {
            Ok(f) => (f, None),
            Err(e) if strict => return Err(anyhow!(e)),
            Err(e) => (FileConfig::default(), Some(e)),
        };
        let no_color =
            global.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let depth = if no_color {
            ColorDepth::None
        } else {
            ColorDepth::detect(
                std::env::var("COLORTERM").ok().as_deref(),
                std::env::var("TERM").ok().as_deref(),
            )
        };
        let theme = if no_color {
            "mono".to_string()
        } else {
            global
                .theme
                .clone()
                .or_else(|| file.console.theme.clone())
                .unwrap_or_else(|| "default".into())
        };
        let keymap = Keymap::from_config(&file.keys)?;
        Ok(Settings {
            read_only: global.read_only || file.console.read_only,
            dirs,
            file,
            warning,
            theme,
            depth,
            keymap,
            verbose: global.verbose,
        })
    }

    /// Where user theme files live: `themes/` next to the config file.
    pub fn user_themes(&self) -> Option<PathBuf> {
        self.dirs.config_file.parent().map(|p| p.join("themes"))
    }
}

/// Reads the config file. A missing file at the default place means defaults; a
/// missing file that was asked for by name is an error.
fn load_config(path: &Path, named: bool) -> Result<FileConfig, ConfigErrors> {
    if !named && !path.exists() {
        return Ok(FileConfig::default());
    }
    config::load_file(path, &crate::tui::CONFIG_CHECKS)
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Outcome {
    // Tokens in the environment are known from the start, whatever the command.
    crate::redact::learn_environment();
    match cli.command {
        None => console(&cli.global, None),
        Some(Command::Demo(args)) => console(&cli.global, Some(args)),
        Some(Command::Alerts(args)) => alerts(&cli.global, &args),
        Some(Command::Config(c)) => config_command(&cli.global, c),
        Some(Command::Completions { shell }) => {
            std::io::stdout().write_all(&crate::cli::completions(shell))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man) => {
            std::io::stdout().write_all(&crate::cli::man_page()?)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Silence(c)) => silence::run(&cli.global, c),
        Some(Command::Slo(args)) => slo::run(&cli.global, &args),
        Some(Command::Deploys(args)) => deploys::run(&cli.global, &args),
        Some(Command::Deps(args)) => deps(&cli.global, &args),
        Some(Command::Incident(c)) => incident::run(&cli.global, c),
        Some(Command::Runbook(c)) => runbook::run(&cli.global, c),
        Some(Command::Auth(c)) => auth::run(&cli.global, c),
    }
}

/// Every command that changes something asks this first.
pub fn refuse_if_read_only(settings: &Settings, what: &str) -> anyhow::Result<()> {
    if settings.read_only {
        bail!("read-only: refusing to {what} (started with --read-only or read_only = true)");
    }
    Ok(())
}

/// The async runtime every networked command runs on.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    runtime_builder()
        .build()
        .context("cannot start the async runtime")
}

fn runtime_builder() -> tokio::runtime::Builder {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.worker_threads(2).enable_all();
    builder
}

/// The alert with `fingerprint` as the configured sources report it now, after triage.
pub fn alert_now(settings: &Settings, fingerprint: &str) -> anyhow::Result<crate::model::Alert> {
    let sources = build_sources_placed(
        &settings.file.sources,
        &settings.file.environments,
        std::sync::Arc::new(crate::secrets::OsKeyring),
    );
    if sources.is_empty() {
        bail!("no sources configured to look the alert up in");
    }
    let set = runtime()?.block_on(report::fetch_all(&sources));
    let mut triage = Triage::new(settings.file.triage.clone(), &settings.file.maintenance)?;
    let board = triage.board(set.latest(), Utc::now());
    board
        .groups
        .into_iter()
        .flat_map(|g| g.alerts)
        .find(|a| a.fingerprint.to_string() == fingerprint)
        .ok_or_else(|| anyhow!("no source reports an alert {fingerprint} now"))
}

/// Starts logging to the state dir, noting a config that was ignored.
pub fn init_logging(settings: &Settings) {
    let logging = crate::logging::init(&settings.dirs.state_dir, settings.verbose);
    if let Some(w) = logging.warning {
        eprintln!("clops: {w}");
    }
    if let Some(w) = &settings.warning {
        tracing::warn!(%w, "config ignored");
    }
}

/// The demo environment's sources, configured as `clops demo` polls them.
pub fn demo_sources(options: DemoOptions) -> Vec<Configured> {
    demo::environment(options)
        .into_iter()
        .map(|s| Configured {
            source: Arc::new(s) as Arc<dyn Source>,
            poll: PollSettings::new(
                std::time::Duration::from_secs(2),
                std::time::Duration::from_secs(5),
            ),
        })
        .collect()
}

fn console(global: &Global, demo: Option<DemoArgs>) -> Outcome {
    use std::io::IsTerminal;
    let settings = Settings::resolve(global, demo.is_none())?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!(
            "the console needs a terminal, and {} is not one; for output to a file or a pipe use `clops alerts`",
            if std::io::stdout().is_terminal() {
                "stdin"
            } else {
                "stdout"
            }
        );
    }
    init_logging(&settings);
    let mut slo_problems = Vec::new();
    let (title, sources, slos) = match &demo {
        Some(args) => {
            let scenario = Scenario::from_name(&args.scenario)
                .ok_or_else(|| anyhow!("unknown scenario `{}`", args.scenario))?;
            let options = DemoOptions {
                scenario,
                seed: args.seed,
                speed: args.speed,
            };
            (
                "clops demo".to_string(),
                demo_sources(options),
                SloSetup::Demo(options),
            )
        }
        None => (
            "clops".to_string(),
            build_sources_placed(
                &settings.file.sources,
                &settings.file.environments,
                Arc::new(crate::secrets::OsKeyring),
            ),
            console_slos(&settings, &mut slo_problems),
        ),
    };
    let mut library = crate::runbook::Library::load(&crate::runbook::dirs(
        &settings.file.runbooks.dirs,
        &settings.dirs.config_file,
    ));
    if demo.is_some() {
        library.add_missing(crate::runbook::demo::runbooks());
    }
    let mut warning = settings
        .warning
        .as_ref()
        .map(|w| format!("config ignored: {w}"));
    if let Some(problem) = library.problems.first() {
        warning.get_or_insert_with(|| format!("runbook ignored: {problem}"));
    }
    if let Some(problem) = slo_problems.first() {
        let more = match slo_problems.len() {
            1 => String::new(),
            n => format!(" (and {} more; `clops slo` lists them)", n - 1),
        };
        warning.get_or_insert_with(|| format!("SLO file ignored: {problem}{more}"));
    }
    let console = Console {
        title,
        sources,
        triage: Triage::new(settings.file.triage.clone(), &settings.file.maintenance)?.with_flaps(
            match demo {
                Some(_) => Default::default(),
                None => {
                    crate::live::flaps::load(&crate::live::flaps::path(&settings.dirs.data_dir))
                }
            },
        ),
        keymap: settings.keymap.clone(),
        theme: settings.theme.clone(),
        depth: settings.depth,
        user_themes: settings.user_themes(),
        read_only: settings.read_only,
        warning,
        silence_duration: settings.file.console.silence_duration(),
        ack_cap: settings.file.console.ack_cap(),
        store: console_store(&settings, demo.is_some()),
        roles: settings.file.incident.roles.clone(),
        runbooks: Arc::new(library),
        data_dir: settings.dirs.data_dir.clone(),
        flaps_file: demo
            .is_none()
            .then(|| crate::live::flaps::path(&settings.dirs.data_dir)),
        slos,
    };
    // The console's loop runs on this thread at its own priority; every thread that
    // works for it (the runtime's, triage's cores) runs lower, so keys are answered
    // while a storm keeps the cores busy.
    let rt = runtime_builder()
        .on_thread_start(crate::process::lower_this_thread)
        .build()
        .context("cannot start the async runtime")?;
    let _ = rayon::ThreadPoolBuilder::new()
        .start_handler(|_| crate::process::lower_this_thread())
        .build_global();
    let outcome = rt.block_on(crate::tui::run(console));
    // Quitting waits for nothing: an SLO round being measured or rules still being
    // read would otherwise hold the process, and the keys typed meanwhile, after the
    // terminal was given back.
    rt.shutdown_background();
    crate::secrets::stop_token_commands();
    outcome?;
    Ok(ExitCode::SUCCESS)
}

/// `clops config check`: every problem on its own line, `FILE:LINE: key `KEY`: what`,
/// then exit 1; or what the file configures.
fn check_config(path: &Path) -> Outcome {
    if !path.exists() {
        bail!(
            "{} does not exist: `clops config init` writes a commented example",
            path.display()
        );
    }
    let (file, mut problems) = match config::check(path, &crate::tui::CONFIG_CHECKS) {
        Ok(file) => (Some(file), Vec::new()),
        Err(ConfigErrors(problems)) => (None, problems),
    };
    let mut slos = Vec::new();
    if let Some(file) = &file {
        // Imported SLO files are checked too, each error naming its own file.
        match crate::slo::config::definitions(file, path) {
            Ok(found) => {
                slos = found.slos;
                problems.extend(found.problems);
            }
            Err(e) => problems.push(e),
        }
    }
    if !problems.is_empty() {
        let mut err = std::io::stderr().lock();
        for p in &problems {
            writeln!(err, "{p}")?;
        }
        writeln!(
            err,
            "clops: {} problem(s) in {}",
            problems.len(),
            path.display()
        )?;
        return Ok(ExitCode::FAILURE);
    }
    let file = file.expect("no problems, so the file was read");
    println!("{}: ok, {} source(s)", path.display(), file.sources.len());
    if !slos.is_empty() {
        println!("  {} SLO(s) defined or imported", slos.len());
    }
    for s in &file.sources {
        println!("  {} ({})", s.name, s.kind.as_str());
    }
    Ok(ExitCode::SUCCESS)
}

/// The console's SLOs: the configured ones and those its sources' rules record.
/// The console's SLOs; the import files that could not be used go to `problems`.
fn console_slos(settings: &Settings, problems: &mut Vec<crate::config::ConfigError>) -> SloSetup {
    let config_file = &settings.dirs.config_file;
    match crate::slo::config::definitions(&settings.file, config_file) {
        Ok(found) => SloSetup::Configured {
            file: Box::new(settings.file.clone()),
            slos: {
                problems.extend(found.problems);
                found.slos
            },
            none: format!(
                "No SLOs configured in {} (nor discovered in rules): add [[slos]] or \
                 [[slo_imports]] (see `clops config init --stdout` and the README's SLOs \
                 section).",
                config_file.display()
            ),
        },
        Err(e) => SloSetup::Missing(format!("SLOs not read: {e}")),
    }
}

/// The console's incident store. The demo keeps its incidents apart from real ones,
/// in their own file of the data dir.
fn console_store(
    settings: &Settings,
    demo: bool,
) -> Result<Arc<dyn crate::incident::Store>, crate::incident::StoreError> {
    let opened = if demo {
        crate::incident::SqliteStore::open(&settings.dirs.data_dir.join("demo-incidents.db"))
            .map(|s| Box::new(s) as Box<dyn crate::incident::Store>)
    } else {
        crate::incident::open_store(&settings.file.incident, &settings.dirs.data_dir)
    };
    opened.map(Arc::from)
}

/// Every configured source (or the demo's) polled once.
fn fetch_sources(settings: &Settings, demo: bool) -> anyhow::Result<crate::sources::SourceSet> {
    let sources = if demo {
        demo_sources(DemoOptions::default())
    } else {
        build_sources_placed(
            &settings.file.sources,
            &settings.file.environments,
            Arc::new(crate::secrets::OsKeyring),
        )
    };
    if sources.is_empty() {
        bail!(
            "no sources configured in {}: run `clops config init`, or pass --demo",
            settings.dirs.config_file.display()
        );
    }
    Ok(runtime()?.block_on(report::fetch_all(&sources)))
}

/// `clops deps`: the dependency map every source knows, lit by what is alerting.
fn deps(global: &Global, args: &crate::cli::DepsArgs) -> Outcome {
    let settings = Settings::resolve(global, !args.demo)?;
    init_logging(&settings);
    let set = fetch_sources(&settings, args.demo)?;
    let mut triage = Triage::new(settings.file.triage.clone(), &settings.file.maintenance)?;
    let board = triage.board(set.latest(), Utc::now());
    fail_if_all_failed(&board.sources)?;
    let map = crate::deps::Map::from_board(&board);
    match args.output {
        crate::cli::GraphFormat::Json => output::print_json(&output::DepsJson::new(&map))?,
        crate::cli::GraphFormat::Dot => print_text(&crate::deps::dot(&map))?,
        crate::cli::GraphFormat::Text => print_text(&crate::deps::text(&map))?,
    }
    Ok(partial_exit(&board.sources))
}

fn alerts(global: &Global, args: &AlertsArgs) -> Outcome {
    let settings = Settings::resolve(global, !args.demo)?;
    init_logging(&settings);
    let filter = args
        .filter
        .as_deref()
        .map(AlertFilter::parse)
        .transpose()
        .map_err(|e| UsageError(format!("--filter: {e}")))?;
    let set = fetch_sources(&settings, args.demo)?;
    // Which alerts flap is known from what earlier runs and the console saw.
    let flaps = (!args.demo).then(|| crate::live::flaps::path(&settings.dirs.data_dir));
    let mut triage = Triage::new(settings.file.triage.clone(), &settings.file.maintenance)?
        .with_flaps(
            flaps
                .as_deref()
                .map(crate::live::flaps::load)
                .unwrap_or_default(),
        );
    let mut board = triage.board_where(set.latest(), Utc::now(), |a| {
        filter.as_ref().is_none_or(|f| f.keeps(a))
    });
    if let Some(path) = &flaps
        && triage.flaps_mut().take_changed()
        && let Err(e) = crate::live::flaps::save(path, triage.flaps())
    {
        tracing::warn!(error = %e, "flap history not kept");
    }
    if filter.is_some() {
        board.stats.matched = Some(board.alert_count());
    }
    fail_if_all_failed(&board.sources)?;
    let now = Utc::now();
    match args.output {
        Format::Json => output::print_json(&output::AlertsJson::new(&board, now))?,
        Format::Table => print_text(&report::alerts_table(&board, now))?,
    }
    Ok(partial_exit(&board.sources))
}

/// Prints text made whole (a table, a tree) to stdout in one write.
pub fn print_text(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Every source failed: the one error line to exit with.
pub fn fail_if_all_failed(statuses: &[SourceStatus]) -> anyhow::Result<()> {
    let failed = report::failed_sources(statuses);
    if !failed.is_empty() && failed.len() == statuses.len() {
        let reasons: Vec<String> = failed
            .iter()
            .map(|s| format!("{}: {}", s.name, s.error.as_deref().unwrap_or("failed")))
            .collect();
        bail!("every source failed: {}", reasons.join("; "));
    }
    Ok(())
}

/// After output was printed: names each failed source on stderr and says whether the
/// answer was whole (0) or partial (3).
pub fn partial_exit(statuses: &[SourceStatus]) -> ExitCode {
    // Whole answers can still come from a degraded source (one HA peer down) or one
    // whose rules fail to evaluate: worth a line, not a failure.
    for s in statuses.iter().filter(|s| s.status == Health::Ok) {
        if let Some(e) = &s.error {
            eprintln!("clops: source {} answered, but {e}", s.name);
        }
        for r in s.failing_rules() {
            eprintln!(
                "clops: source {}: rule {} fails to evaluate: {}",
                s.name,
                r.name,
                r.last_error.as_deref().unwrap_or("no reason given")
            );
        }
    }
    let failed = report::failed_sources(statuses);
    for s in &failed {
        let what = if s.status == Health::Stale {
            "stale"
        } else {
            "failed"
        };
        eprintln!(
            "clops: source {} {what}: {}",
            s.name,
            s.error.as_deref().unwrap_or("")
        );
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_PARTIAL)
    }
}

fn config_command(global: &Global, command: ConfigCommand) -> Outcome {
    let dirs = Dirs::resolve(global.config.as_deref(), global.data_dir.as_deref());
    let path = &dirs.config_file;
    match command {
        ConfigCommand::Path => {
            println!("{}", path.display());
        }
        ConfigCommand::Init { stdout: true, .. } => {
            print!("{}", config::EXAMPLE);
        }
        ConfigCommand::Init { force, .. } => {
            if path.exists() && !force {
                bail!(
                    "{} already exists; `clops config check` validates it, --force overwrites it",
                    path.display()
                );
            }
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            std::fs::write(path, config::EXAMPLE)
                .with_context(|| format!("cannot write {}", path.display()))?;
            println!("wrote {}", path.display());
        }
        ConfigCommand::Check => return check_config(path),
    }
    Ok(ExitCode::SUCCESS)
}
