//! The command line, declared once: it drives parsing, `--help`, the shell completions
//! in completions/ and the man page in man/.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::text::time::{self, DurationError};

/// A terminal on-call incident console: see what is burning, act on it, remember what
/// was done.
#[derive(Debug, Parser)]
#[command(name = "clops", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every command takes.
#[derive(Debug, Args, Clone, Default)]
pub struct Global {
    /// Config file to read instead of the default (see `clops config path`)
    #[arg(long, global = true, env = "CLOPS_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where clops keeps its data (incidents, run logs)
    #[arg(long, global = true, env = "CLOPS_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Console theme: default, light, high-contrast, mono, or one of your own
    #[arg(long, global = true, env = "CLOPS_THEME", value_name = "NAME")]
    pub theme: Option<String>,
    /// No colour at all (as NO_COLOR does): the mono theme, attributes only
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Refuse every change: silences, acks, runbook steps
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Log more (repeat for more); logs go to a file, never the terminal
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the console on the built-in simulated environment; no config needed
    Demo(DemoArgs),
    /// Fetch, deduplicate and group alerts once, and print them
    Alerts(AlertsArgs),
    /// Alertmanager silences
    #[command(subcommand)]
    Silence(SilenceCommand),
    /// SLO burn rates and error budgets
    Slo(SloArgs),
    /// Recent deploys
    Deploys(DeploysArgs),
    /// The service dependency map
    Deps(DepsArgs),
    /// Declare and run incidents; export postmortems
    #[command(subcommand)]
    Incident(IncidentCommand),
    /// Find and run runbooks
    #[command(subcommand)]
    Runbook(RunbookCommand),
    /// Write, check or locate the config file
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Store and inspect source credentials
    #[command(subcommand)]
    Auth(AuthCommand),
    /// Print a shell completion script
    Completions {
        /// The shell
        shell: Shell,
    },
    /// Print the man page (roff)
    Man,
}

/// `clops demo`
#[derive(Debug, Args, Clone)]
pub struct DemoArgs {
    /// Which scripted incident to play
    #[arg(long, value_name = "NAME", default_value = "bad-deploy",
          value_parser = clap::builder::PossibleValuesParser::new(crate::config::DEMO_SCENARIOS))]
    pub scenario: String,
    /// Seed of the simulated environment; the same seed plays the same story
    #[arg(long, value_name = "N", default_value_t = crate::sources::demo::DEFAULT_SEED)]
    pub seed: u64,
    /// Run the simulation this many times faster than real time
    #[arg(long, value_name = "X", default_value_t = 1.0, value_parser = positive_speed)]
    pub speed: f64,
}

/// A `--speed` that is not a number in (0, 10000].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("give a number above 0 (and at most 10000)")]
pub struct SpeedError;

fn positive_speed(s: &str) -> Result<f64, SpeedError> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 && x <= 10_000.0 => Ok(x),
        _ => Err(SpeedError),
    }
}

/// Output of commands that print a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// `clops alerts`
#[derive(Debug, Args, Clone)]
pub struct AlertsArgs {
    /// Output format
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// Keep only matching alerts: label matchers (`severity=critical,cluster=~prod-.*`,
    /// also `!=` and `!~`), or words matched fuzzily like the console's `/`
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,
    /// Read the built-in simulated environment instead of the configured sources
    #[arg(long)]
    pub demo: bool,
}

/// `clops silence …`
#[derive(Debug, Subcommand)]
pub enum SilenceCommand {
    /// Create a silence, read it back from every peer, and print its id
    Add {
        /// The Alertmanager source to silence in
        #[arg(long, value_name = "NAME")]
        source: Option<String>,
        /// Label matchers as Alertmanager reads them: alertname=HighErrorRate,
        /// 'service=~"api|web"', '{cluster="eu",job!="node"}' (repeatable)
        #[arg(
            long = "matcher",
            short = 'm',
            value_name = "MATCHERS",
            required = true
        )]
        matchers: Vec<String>,
        /// How long the silence lasts
        #[arg(long, value_name = "DUR", default_value = "2h")]
        duration: String,
        /// Why
        #[arg(long, value_name = "TEXT")]
        comment: String,
        /// Create nothing: show the matchers as Alertmanager will store them and the
        /// alerts they cover now
        #[arg(long)]
        dry_run: bool,
        /// Output format
        #[arg(short, long, value_enum, default_value_t = Format::Table)]
        output: Format,
    },
    /// Make a silence end later, and read it back from every peer
    Extend {
        /// Silence id
        id: String,
        /// How much longer: 30m, 2h, 1d…
        #[arg(value_name = "DUR")]
        duration: String,
        /// The Alertmanager source the silence lives in
        #[arg(long, value_name = "NAME")]
        source: Option<String>,
    },
    /// List silences
    List {
        /// Output format
        #[arg(short, long, value_enum, default_value_t = Format::Table)]
        output: Format,
    },
    /// Expire a silence now
    Expire {
        /// Silence id
        id: String,
        /// The Alertmanager source the silence lives in
        #[arg(long, value_name = "NAME")]
        source: Option<String>,
    },
}

/// `clops slo`
#[derive(Debug, Args, Clone)]
pub struct SloArgs {
    /// Output format
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// Read the built-in simulated environment
    #[arg(long)]
    pub demo: bool,
}

/// `clops deploys`
#[derive(Debug, Args, Clone)]
pub struct DeploysArgs {
    /// How far back to look: 30m, 6h, 2d…
    #[arg(long, value_name = "DUR", default_value = "6h", value_parser = since_duration)]
    pub since: std::time::Duration,
    /// Output format
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// Read the built-in simulated environment
    #[arg(long)]
    pub demo: bool,
}

fn since_duration(s: &str) -> Result<std::time::Duration, DurationError> {
    match time::parse(s)? {
        d if d.is_zero() => Err(DurationError::Zero),
        d => Ok(d),
    }
}

/// Output of `clops deps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Text,
    Dot,
    Json,
}

/// `clops deps`
#[derive(Debug, Args, Clone)]
pub struct DepsArgs {
    /// Output format
    #[arg(short, long, value_enum, default_value_t = GraphFormat::Text)]
    pub output: GraphFormat,
    /// Read the built-in simulated environment
    #[arg(long)]
    pub demo: bool,
}

/// Incident severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IncidentSeverity {
    Sev1,
    Sev2,
    Sev3,
    Sev4,
}

/// Incident status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IncidentStatus {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

/// Kind of action item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActionType {
    Mitigate,
    Prevent,
    Process,
}

/// Export format of an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Md,
    Json,
}

/// `clops incident …`
#[derive(Debug, Subcommand)]
pub enum IncidentCommand {
    /// Declare an incident; prints its id
    Declare {
        /// What is happening, in a few words
        #[arg(long)]
        title: String,
        /// How bad it is
        #[arg(long, value_enum)]
        severity: IncidentSeverity,
        /// Who runs the incident (default: you)
        #[arg(long, value_name = "WHO")]
        commander: Option<String>,
        /// When the impact began, if known: an RFC 3339 time or how long ago (45m)
        #[arg(long, value_name = "WHEN")]
        started: Option<String>,
    },
    /// List incidents
    List {
        /// Output format
        #[arg(short, long, value_enum, default_value_t = Format::Table)]
        output: Format,
    },
    /// Show one incident and its timeline
    Show {
        /// Incident id (INC-YYYYMMDD-N)
        id: String,
        /// Output format
        #[arg(short, long, value_enum, default_value_t = Format::Table)]
        output: Format,
    },
    /// Add a note to the timeline
    Note {
        /// Incident id
        id: String,
        /// The note
        text: String,
    },
    /// Change the status
    Status {
        /// Incident id
        id: String,
        /// New status
        #[arg(value_enum)]
        status: IncidentStatus,
    },
    /// Give someone a role (commander, scribe, comms, ops)
    Assign {
        /// Incident id
        id: String,
        /// The role
        role: String,
        /// Who takes it
        who: String,
    },
    /// Attach an alert to the incident
    Attach {
        /// Incident id
        id: String,
        /// Fingerprint of the alert
        #[arg(long, value_name = "FINGERPRINT")]
        alert: String,
    },
    /// Record an action item
    Action {
        /// Incident id
        id: String,
        /// What should be done
        text: String,
        /// Who owns it
        #[arg(long, value_name = "WHO")]
        owner: Option<String>,
        /// Kind of action
        #[arg(long = "type", value_enum, default_value_t = ActionType::Prevent)]
        kind: ActionType,
    },
    /// Export the postmortem draft or the timeline
    Export {
        /// Incident id
        id: String,
        /// md: postmortem draft; json: the timeline
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write to this file instead of stdout
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Incident counts, time to acknowledge and to resolve
    Stats {
        /// How far back to look
        #[arg(long, value_name = "DUR", default_value = "30d")]
        since: String,
        /// Output format
        #[arg(short, long, value_enum, default_value_t = Format::Table)]
        output: Format,
    },
}

/// `clops runbook …`
#[derive(Debug, Subcommand)]
pub enum RunbookCommand {
    /// List runbooks: name, title, the alerts they serve, steps
    List {
        /// Output format
        #[arg(short, long, value_enum, default_value_t = Format::Table)]
        output: Format,
    },
    /// Show a runbook's steps and the commands they run
    Show {
        /// Runbook name (its file name without .md)
        name: String,
    },
    /// Run a runbook's steps in order, stopping at the first that fails
    Run {
        /// Runbook name (its file name without .md)
        name: String,
        /// Record the steps in this incident's timeline
        #[arg(long, value_name = "ID")]
        incident: Option<String>,
        /// Alert label handed to the steps as CLOPS_LABEL_<K> (repeatable; wins over
        /// the same label of --alert)
        #[arg(long = "label", value_name = "K=V")]
        labels: Vec<String>,
        /// Hand the steps the labels of this alert, as the configured sources report it
        /// now (its fingerprint, as `clops alerts -o json` shows it)
        #[arg(long, value_name = "FINGERPRINT")]
        alert: Option<String>,
        /// Run every step without asking (needed when stdin is not a terminal)
        #[arg(long)]
        yes: bool,
        /// Show what would run and run nothing
        #[arg(long)]
        dry_run: bool,
    },
}

/// `clops config …`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Write a commented example config to the config path
    Init {
        /// Print it instead of writing it
        #[arg(long)]
        stdout: bool,
        /// Overwrite an existing file
        #[arg(long)]
        force: bool,
    },
    /// Validate the config file
    Check,
    /// Print where the config file is looked for
    Path,
}

/// `clops auth …`
#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Store a source's token (read from stdin)
    Set {
        /// Source name
        source: String,
    },
    /// Show which credential provider each source uses (never the token)
    Status,
}

/// Shells with completion scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

impl Shell {
    /// Every shell, for generating completions/.
    pub const ALL: [Shell; 5] = [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::Powershell,
    ];

    /// The file name used in completions/.
    pub fn file_name(self) -> &'static str {
        match self {
            Shell::Bash => "clops.bash",
            Shell::Zsh => "_clops",
            Shell::Fish => "clops.fish",
            Shell::Elvish => "clops.elv",
            Shell::Powershell => "_clops.ps1",
        }
    }
}

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> Vec<u8> {
    use clap::CommandFactory;
    use clap_complete::Shell as S;
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    let s = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Elvish => S::Elvish,
        Shell::Powershell => S::PowerShell,
    };
    clap_complete::generate(s, &mut cmd, "clops", &mut out);
    out
}

/// The man page: clops(1) with every subcommand described.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let mut out = Vec::new();
    let man = clap_mangen::Man::new(cmd.clone()).date("2026-11-21");
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    for sub in cmd.get_subcommands().filter(|s| shown_in_man(s)) {
        render_subcommand_section(&mut out, &cmd, sub, "")?;
    }
    out.extend_from_slice(MAN_TAIL.as_bytes());
    man.render_version_section(&mut out)?;
    Ok(out)
}

fn render_subcommand_section(
    out: &mut Vec<u8>,
    root: &clap::Command,
    sub: &clap::Command,
    prefix: &str,
) -> std::io::Result<()> {
    let path = format!("{prefix}{} ", sub.get_name());
    let mut full = sub
        .clone()
        .name(format!("{} {}", root.get_name(), path.trim()));
    full.build();
    out.extend_from_slice(
        format!(
            ".SH \"{}\"\n",
            format!("clops {}", path.trim()).to_uppercase()
        )
        .as_bytes(),
    );
    let mut section = Vec::new();
    let man = clap_mangen::Man::new(full.clone());
    man.render_synopsis_section(&mut section)?;
    man.render_description_section(&mut section)?;
    man.render_options_section(&mut section)?;
    // Each piece renders with its own .SH heading; keep ours and demote theirs.
    let text = String::from_utf8_lossy(&section).replace(".SH ", ".SS ");
    out.extend_from_slice(text.as_bytes());
    for nested in full.get_subcommands().filter(|s| shown_in_man(s)) {
        render_subcommand_section(out, root, nested, &path)?;
    }
    Ok(())
}

/// Every subcommand gets a section, except clap's own `help`.
fn shown_in_man(sub: &clap::Command) -> bool {
    !sub.is_hide_set() && sub.get_name() != "help"
}

const MAN_TAIL: &str = r#".SH ENVIRONMENT
.TP
\fBCLOPS_CONFIG\fR
Config file, as \fB\-\-config\fR.
.TP
\fBCLOPS_DATA_DIR\fR
Data directory, as \fB\-\-data\-dir\fR.
.TP
\fBCLOPS_THEME\fR
Console theme, as \fB\-\-theme\fR.
.TP
\fBNO_COLOR\fR
When set to anything, no colour is written: the mono theme is used.
.TP
\fBCLOPS_LOG\fR
Log filter (for example \fIinfo\fR or \fIclops=debug\fR); logs go to clops.log in the state directory.
.SH "EXIT STATUS"
0 success; 1 failure, with one line on stderr; 2 usage error; 3 partial: output printed but at least one source failed (named on stderr).
"#;
