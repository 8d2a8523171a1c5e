//! Layered configuration: defaults → TOML file → `CLOPS_*` environment → flags.
//!
//! Every error names the file, the line and the key, so a broken config at 3 am is a
//! one-line fix rather than a hunt.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// The file's top level.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(default)]
    pub console: ConsoleConfig,
    /// `[keys]` as written; the console's keymap reads and checks it.
    #[serde(default)]
    pub keys: KeysConfig,
    #[serde(default)]
    pub triage: TriageConfig,
    #[serde(default)]
    pub sources: Vec<SourceConfig>,
    #[serde(default)]
    pub maintenance: Vec<MaintenanceConfig>,
    #[serde(default)]
    pub incident: IncidentConfig,
    #[serde(default)]
    pub runbooks: RunbooksConfig,
    /// `[[slos]]`: SLOs defined here.
    #[serde(default)]
    pub slos: Vec<SloConfig>,
    /// `[[slo_imports]]`: SLOs from Sloth or OpenSLO files, or discovered in rules.
    #[serde(default)]
    pub slo_imports: Vec<SloImport>,
    /// `[environments]`: deploy environment → the clusters it covers
    /// (`production = ["eu-1", "us-1"]`).
    #[serde(default)]
    pub environments: BTreeMap<String, Vec<String>>,
}

/// `[runbooks]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunbooksConfig {
    /// Directories of runbook files; relative ones are read from the config file's dir.
    /// Empty: `<config dir>/runbooks`.
    #[serde(default)]
    pub dirs: Vec<String>,
}

/// `[incident]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentConfig {
    /// `sqlite` (a file in the data dir) or a `postgres://` URL for a shared store.
    #[serde(default = "default_store")]
    pub store: String,
    /// The roles people can be given; `commander` is always one of them.
    #[serde(default = "default_roles")]
    pub roles: Vec<String>,
}

impl Default for IncidentConfig {
    fn default() -> Self {
        IncidentConfig {
            store: default_store(),
            roles: default_roles(),
        }
    }
}

fn default_store() -> String {
    "sqlite".into()
}

fn default_roles() -> Vec<String> {
    ["commander", "scribe", "comms", "ops"]
        .map(String::from)
        .to_vec()
}

/// `[console]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleConfig {
    /// Theme name: a shipped theme or a file in `<config dir>/themes/`.
    pub theme: Option<String>,
    /// Refuse every mutation (silences, acks, runbook steps).
    #[serde(default)]
    pub read_only: bool,
    /// How long a silence made in the console lasts unless changed in its form.
    pub silence_duration: Option<DurationValue>,
    /// The longest an ack lasts when the alert never resolves.
    pub ack_cap: Option<DurationValue>,
}

impl ConsoleConfig {
    /// Default length of a silence (2h).
    pub fn silence_duration(&self) -> Duration {
        self.silence_duration
            .map(|d| d.0)
            .unwrap_or(Duration::from_secs(2 * 3600))
    }

    /// Longest life of an ack (12h): past a shift, an ack nobody renewed should page.
    pub fn ack_cap(&self) -> Duration {
        self.ack_cap
            .map(|d| d.0)
            .unwrap_or(Duration::from_secs(12 * 3600))
    }
}

/// `[triage]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageConfig {
    /// `outages` (topology- and time-aware) or `labels` (plain `group_by`).
    #[serde(default)]
    pub grouping: Grouping,
    /// Labels whose values put alerts in one group when `grouping = "labels"`.
    #[serde(default = "default_group_by")]
    pub group_by: Vec<String>,
    /// The label naming the service an alert is about.
    #[serde(default = "default_service_label")]
    pub service_label: String,
    /// The label naming the machine an alert is about.
    #[serde(default = "default_node_label")]
    pub node_label: String,
    /// Where the service comes from when `service_label` is missing (or names an
    /// exporter), in order: workload labels (`pod` loses its ReplicaSet and pod hash),
    /// `container`, `job` (its `namespace/` prefix dropped), aliases.
    #[serde(default = "default_service_from")]
    pub service_from: Vec<String>,
    /// Jobs and services (globs) that name the scraper rather than what its alerts
    /// are about (kube-state-metrics, node-exporter): never taken as the service.
    #[serde(default = "default_exporters")]
    pub exporters: Vec<String>,
    /// Labels naming a shared dependency (a Kafka or database cluster): alerts with
    /// the same value are tied like alerts of one node.
    #[serde(default = "default_shared_labels")]
    pub shared_labels: Vec<String>,
    /// How long after an outage's latest alert related alerts still join it.
    #[serde(default = "default_window")]
    pub window: DurationValue,
    /// How much earlier than what it depends on an alert may start and still count as
    /// caused by it (alert rules of callers can fire a little before their callee's).
    #[serde(default = "default_lead")]
    pub lead: DurationValue,
    /// Alert names (globs) of housekeeping alerts that never join an outage.
    #[serde(default = "default_standalone")]
    pub standalone: Vec<String>,
    /// An alert that starts anew this many times within `flap_within` is flapping.
    #[serde(default = "default_flap_count")]
    pub flap_count: usize,
    #[serde(default = "default_flap_within")]
    pub flap_within: DurationValue,
    /// How long before a group's first alert a deploy is a suspect.
    #[serde(default = "default_deploy_window")]
    pub deploy_window: DurationValue,
}

/// One `[[slos]]` entry: an SLO defined in the config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SloConfig {
    pub name: String,
    pub service: String,
    /// Percent of good events promised, e.g. 99.9.
    pub objective: f64,
    /// The rolling window the objective holds over (default 30d).
    pub window: Option<DurationValue>,
    /// The Prometheus source to query.
    pub source: String,
    /// PromQL counting failed events per second over `{{window}}`.
    pub errors: Option<String>,
    /// PromQL counting all events per second over `{{window}}`.
    pub total: Option<String>,
    /// PromQL giving the error ratio over `{{window}}`, instead of `errors` and `total`.
    pub ratio: Option<String>,
    /// Extra labels shown with the SLO.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

/// One `[[slo_imports]]` entry: SLOs defined elsewhere.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SloImport {
    /// The Prometheus source the imported SLOs are measured on.
    pub source: String,
    /// A Sloth or OpenSLO YAML file, or a directory of them; relative paths are
    /// relative to the config file.
    pub path: Option<PathBuf>,
    /// Discover the SLOs that Sloth or Pyrra recording rules on `source` record.
    #[serde(default)]
    pub rules: bool,
    /// Window of imported SLOs whose file does not say (Sloth specs never do); 30d.
    pub window: Option<DurationValue>,
}

/// How alerts are put into groups.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    /// Follow outages: services and what they depend on, shared nodes, time.
    /// (`incidents`, its first name, is still read.)
    #[default]
    #[serde(alias = "incidents")]
    Outages,
    /// Equal values of `group_by` labels.
    Labels,
}

impl Default for TriageConfig {
    fn default() -> Self {
        TriageConfig {
            grouping: Grouping::default(),
            group_by: default_group_by(),
            service_label: default_service_label(),
            node_label: default_node_label(),
            service_from: default_service_from(),
            exporters: default_exporters(),
            shared_labels: default_shared_labels(),
            window: default_window(),
            lead: default_lead(),
            standalone: default_standalone(),
            flap_count: default_flap_count(),
            flap_within: default_flap_within(),
            deploy_window: default_deploy_window(),
        }
    }
}

fn default_deploy_window() -> DurationValue {
    DurationValue(Duration::from_secs(30 * 60))
}

fn default_group_by() -> Vec<String> {
    vec!["alertname".into(), "cluster".into()]
}

fn default_service_label() -> String {
    "service".into()
}

fn default_node_label() -> String {
    "node".into()
}

fn default_service_from() -> Vec<String> {
    [
        "deployment",
        "statefulset",
        "daemonset",
        "horizontalpodautoscaler",
        "pod",
        "container",
        "job",
        "app_kubernetes_io_name",
        "app",
    ]
    .map(String::from)
    .to_vec()
}

fn default_exporters() -> Vec<String> {
    [
        "kube-state-metrics",
        "node-exporter",
        "node",
        "kubelet",
        "cadvisor",
        "blackbox*",
        "*-exporter",
        "*_exporter",
        "prometheus",
        "alertmanager",
        "pushgateway",
    ]
    .map(String::from)
    .to_vec()
}

fn default_shared_labels() -> Vec<String> {
    [
        "kafka_cluster",
        "rabbitmq_cluster",
        "db_cluster",
        "redis_cluster",
        "elasticsearch_cluster",
        "cassandra_cluster",
        "nats_cluster",
    ]
    .map(String::from)
    .to_vec()
}

fn default_window() -> DurationValue {
    DurationValue(Duration::from_secs(15 * 60))
}

fn default_lead() -> DurationValue {
    DurationValue(Duration::from_secs(60))
}

fn default_flap_count() -> usize {
    3
}

fn default_flap_within() -> DurationValue {
    DurationValue(Duration::from_secs(3600))
}

/// Housekeeping alerts of the common Prometheus and Kubernetes rule sets: they warn of
/// chores (a job, a certificate, a clock, a filling disk), not of an outage spreading.
fn default_standalone() -> Vec<String> {
    [
        "Watchdog",
        "InfoInhibitor",
        "KubeJob*",
        "KubeCronJob*",
        "*Certificate*",
        "*CertExpir*",
        "*ClockSkew*",
        "*ClockNotSynchronising*",
        "*FillingUp",
        "Prometheus*Rule*",
        "*Backup*",
    ]
    .map(String::from)
    .to_vec()
}

/// `[[maintenance]]`: a time when matching alerts are expected and must not page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaintenanceConfig {
    pub name: String,
    /// Label matchers, as `clops alerts --filter` takes them.
    pub matchers: String,
    #[serde(deserialize_with = "moment")]
    pub from: chrono::DateTime<chrono::Utc>,
    #[serde(deserialize_with = "moment")]
    pub until: chrono::DateTime<chrono::Utc>,
}

/// A moment written as a TOML date-time (`2026-11-21T22:00:00Z`) or as an RFC 3339
/// string; either way it must say its offset, since a jump host's zone is anyone's guess.
fn moment<'de, D: Deserializer<'de>>(d: D) -> Result<chrono::DateTime<chrono::Utc>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Toml(toml::value::Datetime),
        Text(String),
    }
    let text = match Written::deserialize(d).map_err(|_| {
        serde::de::Error::custom("expected a date and time like 2026-11-21T22:00:00Z")
    })? {
        Written::Toml(t) => t.to_string(),
        Written::Text(s) => s,
    };
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| {
            serde::de::Error::custom(format!(
                "`{text}` is not a date and time with an offset (write it like 2026-11-21T22:00:00Z)"
            ))
        })
}

/// One `[[sources]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub name: String,
    pub kind: SourceKind,
    pub url: Option<String>,
    pub urls: Option<Vec<String>>,
    /// How often to poll.
    pub poll: Option<DurationValue>,
    /// How long one request may take.
    pub timeout: Option<DurationValue>,
    /// Extra HTTP headers sent with every request.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Demo only: which scripted incident to play.
    pub scenario: Option<String>,
    /// Demo only: seed of the simulated environment.
    pub seed: Option<u64>,
    /// Demo only: how much faster than real time the simulation runs.
    pub speed: Option<f64>,
    /// Demo only: serve only this cluster's alerts.
    pub cluster: Option<String>,
    /// Catalog only: the TOML file of services and what they depend on.
    pub path: Option<std::path::PathBuf>,
    /// Basic auth user; the password comes from the token chain.
    pub username: Option<String>,
    /// A command that prints the token (after env and keyring, before `token_file`).
    pub token_command: Option<String>,
    /// How long `token_command` may run before its whole process group is killed.
    pub token_timeout: Option<DurationValue>,
    /// A file holding the token; it must not be readable by others (mode 0600).
    pub token_file: Option<std::path::PathBuf>,
    /// A PEM file of a CA to trust for this source besides the system's.
    pub ca_file: Option<std::path::PathBuf>,
    /// Prometheus only: read call rates and error ratios between services from the
    /// `traces_service_graph_*` metrics.
    #[serde(default)]
    pub service_graph: bool,
    // Deploy sources (github, argocd, grafana, command); checked in `sources::deploys`.
    /// github: the repository, `owner/name`.
    pub repo: Option<String>,
    /// github, grafana: the service the deploys are of (github: the repository's name).
    pub service: Option<String>,
    /// Where the deploys went (github: only deploys to this environment are read).
    pub environment: Option<String>,
    /// The clusters this source's deploys reach, whatever environment they name.
    pub clusters: Option<Vec<String>>,
    /// argocd: application name → service, where they differ.
    #[serde(default)]
    pub services: BTreeMap<String, String>,
    /// grafana: the tags an annotation must all carry to be a deploy (`["deploy"]`).
    pub tags: Option<Vec<String>>,
    /// command: run with `sh -c`; prints deploys as JSON lines.
    pub command: Option<String>,
    /// How far back deploys are read (24h).
    pub history: Option<DurationValue>,
}

impl SourceConfig {
    /// Every endpoint of the source, from `url` or `urls`.
    pub fn endpoints(&self) -> Vec<String> {
        match (&self.url, &self.urls) {
            (Some(u), _) => vec![u.clone()],
            (None, Some(us)) => us.clone(),
            (None, None) if self.kind == SourceKind::Github => {
                vec![GITHUB_API.to_string()]
            }
            (None, None) => Vec::new(),
        }
    }

    /// Poll interval, defaulting by kind.
    pub fn poll_interval(&self) -> Duration {
        self.poll.map(|d| d.0).unwrap_or(match self.kind {
            SourceKind::Demo => Duration::from_secs(2),
            // Call graphs change slowly, and are costly to compute.
            SourceKind::Jaeger => Duration::from_secs(60),
            k if k.is_deploys() => Duration::from_secs(60),
            _ => Duration::from_secs(15),
        })
    }

    /// How long `token_command` may run (10s).
    pub fn token_timeout(&self) -> Duration {
        self.token_timeout
            .map(|d| d.0)
            .unwrap_or(Duration::from_secs(10))
    }

    /// Request timeout (for `command`, how long the command may run).
    pub fn request_timeout(&self) -> Duration {
        self.timeout.map(|d| d.0).unwrap_or(match self.kind {
            SourceKind::Command => Duration::from_secs(30),
            _ => Duration::from_secs(5),
        })
    }
}

/// Backend kinds of the config contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Alertmanager,
    Prometheus,
    Pagerduty,
    Opsgenie,
    Grafana,
    Github,
    Argocd,
    Jaeger,
    Catalog,
    Command,
    Demo,
}

impl SourceKind {
    /// The word used in config and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Alertmanager => "alertmanager",
            SourceKind::Prometheus => "prometheus",
            SourceKind::Pagerduty => "pagerduty",
            SourceKind::Opsgenie => "opsgenie",
            SourceKind::Grafana => "grafana",
            SourceKind::Github => "github",
            SourceKind::Argocd => "argocd",
            SourceKind::Jaeger => "jaeger",
            SourceKind::Catalog => "catalog",
            SourceKind::Command => "command",
            SourceKind::Demo => "demo",
        }
    }

    /// Kinds this version of clops can read.
    pub fn is_built(self) -> bool {
        matches!(
            self,
            SourceKind::Demo
                | SourceKind::Alertmanager
                | SourceKind::Prometheus
                | SourceKind::Catalog
                | SourceKind::Jaeger
        ) || self.is_deploys()
    }

    /// Kinds that report deploys.
    pub fn is_deploys(self) -> bool {
        matches!(
            self,
            SourceKind::Github | SourceKind::Argocd | SourceKind::Grafana | SourceKind::Command
        )
    }

    /// Kinds reached over HTTP, which need `url` or `urls`.
    pub fn is_http(self) -> bool {
        !matches!(
            self,
            SourceKind::Catalog | SourceKind::Command | SourceKind::Demo
        )
    }
}

/// One key or several, as written in `[keys]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

/// `[keys]` as written: action name → key or keys for the actions of the whole
/// console, and `[keys.MODE]` tables of the same for the keys inside one mode. Plain
/// names and key strings: the console's keymap knows what they mean and checks them.
#[derive(Debug, Clone, Default)]
pub struct KeysConfig {
    /// `action = keys` written directly in `[keys]`.
    pub global: BTreeMap<String, KeyList>,
    /// `[keys.MODE]`: mode name → its `action = keys`.
    pub modes: BTreeMap<String, BTreeMap<String, KeyList>>,
}

impl<'de> Deserialize<'de> for KeysConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let entries = BTreeMap::<String, KeyEntry>::deserialize(d)?;
        let mut keys = KeysConfig::default();
        for (name, entry) in entries {
            match entry {
                KeyEntry::Keys(list) => {
                    keys.global.insert(name, list);
                }
                KeyEntry::Mode(table) => {
                    keys.modes.insert(name, table);
                }
            }
        }
        Ok(keys)
    }
}

/// One entry of `[keys]`: an action's keys, or a mode's table, told apart by shape.
enum KeyEntry {
    Keys(KeyList),
    Mode(BTreeMap<String, KeyList>),
}

impl<'de> Deserialize<'de> for KeyEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entry;
        // What serde says of a value that is no key list, as before modes had tables.
        const NOT_KEYS: &str = "data did not match any variant of untagged enum KeyList";
        impl<'de> serde::de::Visitor<'de> for Entry {
            type Value = KeyEntry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key, a list of keys, or a table of a mode's keys")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KeyEntry, E> {
                Ok(KeyEntry::Keys(KeyList::One(v.to_string())))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<KeyEntry, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = seq
                    .next_element::<String>()
                    .map_err(|_| serde::de::Error::custom(NOT_KEYS))?
                {
                    keys.push(k);
                }
                Ok(KeyEntry::Keys(KeyList::Many(keys)))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<KeyEntry, A::Error> {
                BTreeMap::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(KeyEntry::Mode)
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<KeyEntry, E> {
                Err(E::custom(NOT_KEYS))
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<KeyEntry, E> {
                Err(E::custom(NOT_KEYS))
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<KeyEntry, E> {
                Err(E::custom(NOT_KEYS))
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<KeyEntry, E> {
                Err(E::custom(NOT_KEYS))
            }
        }
        d.deserialize_any(Entry)
    }
}

impl KeyList {
    /// The keys as a list.
    pub fn as_slice(&self) -> &[String] {
        match self {
            KeyList::One(k) => std::slice::from_ref(k),
            KeyList::Many(ks) => ks,
        }
    }
}

/// A duration written like `15s`, `5m`, `1h30m`, `500ms` or `30d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DurationValue(pub Duration);

impl<'de> Deserialize<'de> for DurationValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        crate::text::time::parse(&s)
            .map(DurationValue)
            .map_err(serde::de::Error::custom)
    }
}

/// A config problem, located in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    /// 1-based; 0 when the problem is not tied to a line (unreadable file).
    pub line: usize,
    /// Dotted key path such as `sources[1].poll`; empty for whole-file problems.
    pub key: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if !self.key.is_empty() {
            write!(f, ": key `{}`", self.key)?;
        }
        // The message may quote the file, which anyone could have edited.
        write!(f, ": {}", crate::text::clean_line(&self.message))
    }
}

impl std::error::Error for ConfigError {}

/// Every problem found in one config file, first line first; never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl ConfigErrors {
    /// The problem on the earliest line.
    pub fn first(&self) -> &ConfigError {
        &self.0[0]
    }
}

impl From<ConfigError> for ConfigErrors {
    fn from(e: ConfigError) -> Self {
        ConfigErrors(vec![e])
    }
}

impl fmt::Display for ConfigErrors {
    /// One line: the first problem, and how many more `clops config check` lists.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.first())?;
        match self.0.len() {
            1 => Ok(()),
            n => write!(
                f,
                " (and {} more: `clops config check` lists every one)",
                n - 1
            ),
        }
    }
}

impl std::error::Error for ConfigErrors {}

/// A check of a part of the file that a layer above config reads itself (the console
/// checks its `[keys]` and `console.theme`): given what was read and the config file's
/// path, every problem as (dotted key, message). Problems are put on their lines and
/// reported with every other one.
pub type Check = fn(&FileConfig, &Path) -> Vec<(String, String)>;

/// The checks the layers above config add to its own.
#[derive(Debug, Clone, Copy, Default)]
pub struct Checks {
    /// Wherever the file is read.
    pub file: &'static [Check],
    /// In `clops config check` only: what only this host can tell.
    pub host: &'static [Check],
    /// Checks across tables, only when every part of the file was read (with a part
    /// refused, they would report what is missing because it was refused).
    pub whole: &'static [Check],
}

/// Reads and validates a config file; every problem is reported, not just the first.
pub fn load_file(path: &Path, checks: &Checks) -> Result<FileConfig, ConfigErrors> {
    let text = read_text(path)?;
    parse_all_with(path, &text, checks)
}

fn read_text(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: path.to_path_buf(),
        line: 0,
        key: String::new(),
        message: format!("cannot read: {e}"),
    })
}

/// Parses and validates config text that came from `path`; the error is the problem on
/// the earliest line.
pub fn parse(path: &Path, text: &str) -> Result<FileConfig, ConfigError> {
    parse_all(path, text).map_err(|e| e.0.into_iter().next().expect("never empty"))
}

/// Parses and validates config text that came from `path`, finding every problem.
pub fn parse_all(path: &Path, text: &str) -> Result<FileConfig, ConfigErrors> {
    parse_all_with(path, text, &Checks::default())
}

/// [`parse_all`] with the checks of the layers above config.
pub fn parse_all_with(
    path: &Path,
    text: &str,
    checks: &Checks,
) -> Result<FileConfig, ConfigErrors> {
    let reading = Reading::of(path, text).map_err(ConfigErrors)?;
    let problems = reading.problems(path, checks);
    if problems.is_empty() {
        Ok(reading.config)
    } else {
        Err(ConfigErrors(problems))
    }
}

/// What `clops config check` reports: every problem [`parse_all`] finds, and those
/// only this host can tell, which do not stop clops from starting: a source kind this
/// version cannot read (the source shows as down), and what `checks.host` find (a token
/// file that is missing or readable by others, which the token chain refuses when it
/// gets there; a theme file that cannot be read).
pub fn check(path: &Path, checks: &Checks) -> Result<FileConfig, ConfigErrors> {
    let text = read_text(path)?;
    let reading = Reading::of(path, &text).map_err(ConfigErrors)?;
    let mut problems = reading.problems(path, checks);
    problems.extend(reading.checked(path, checks.host));
    for (i, s) in reading.config.sources.iter().enumerate() {
        let key = |k: &str| format!("sources[{i}].{k}");
        if !s.kind.is_built() {
            problems.push(reading.at.error(
                key("kind"),
                format!(
                    "kind `{}` is not available yet in this version of clops",
                    s.kind.as_str()
                ),
            ));
        }
    }
    sort(&mut problems);
    if problems.is_empty() {
        Ok(reading.config)
    } else {
        Err(ConfigErrors(problems))
    }
}

/// Reads `value` with `read`; when a table is refused for one of its keys, reads it
/// again without that key, and so on, so each mistake in a table is found and the rest
/// of the table is still checked. The table as it could be read, and every refusal.
fn pruned<'a, T>(
    mut value: toml::Spanned<toml::de::DeValue<'a>>,
    read: impl Fn(toml::Spanned<toml::de::DeValue<'a>>) -> Result<T, toml::de::Error>,
) -> (
    Option<toml::Spanned<toml::de::DeValue<'a>>>,
    Vec<toml::de::Error>,
) {
    use toml::de::DeValue;
    let mut errors = Vec::new();
    loop {
        let e = match read(value.clone()) {
            Ok(_) => return (Some(value), errors),
            Err(e) => e,
        };
        // The key of the table whose name or value the refusal points into.
        let culprit = match (value.get_ref(), e.span()) {
            (DeValue::Table(table), Some(at)) => table
                .iter()
                .find(|(k, v)| {
                    let (k, v) = (k.span(), v.span());
                    (k.start <= at.start && at.end <= k.end)
                        || (v.start <= at.start && at.end <= v.end)
                })
                .map(|(k, _)| k.clone()),
            _ => None,
        };
        let Some(culprit) = culprit else {
            // Once a key was taken out, a refusal that points at no key is its echo
            // (`missing field`), not a mistake of its own.
            if errors.is_empty() {
                errors.push(e);
            }
            return (None, errors);
        };
        errors.push(e);
        let span = value.span();
        let DeValue::Table(mut table) = value.into_inner() else {
            unreachable!("a culprit is a key of a table");
        };
        table.remove(&culprit);
        value = toml::Spanned::new(span, DeValue::Table(table));
    }
}

fn sort(problems: &mut Vec<ConfigError>) {
    problems.sort_by_key(|p| p.line);
    problems.dedup();
}

/// A config file read as far as it goes.
struct Reading {
    /// The whole file, or when serde refused parts of it, the rest.
    config: FileConfig,
    /// Every part was read.
    whole: bool,
    /// What serde refused.
    refused: Vec<ConfigError>,
    at: Locator,
}

impl Reading {
    /// Reads `text`; Err only when it is not TOML at all.
    fn of(path: &Path, text: &str) -> Result<Reading, Vec<ConfigError>> {
        use toml::de::{DeArray, DeTable, DeValue, Deserializer};
        let (root, syntax) = DeTable::parse_recoverable(text);
        let mut at = Locator {
            file: path.to_path_buf(),
            keys: KeyLines::of(root.get_ref(), text),
            kept: BTreeMap::new(),
        };
        if !syntax.is_empty() {
            let mut problems: Vec<_> = syntax.iter().map(|e| at.refused(text, e)).collect();
            sort(&mut problems);
            return Err(problems);
        }
        let read = |table: DeTable| {
            FileConfig::deserialize(Deserializer::from(toml::Spanned::new(root.span(), table)))
        };
        if let Ok(config) = read(root.get_ref().clone()) {
            return Ok(Reading {
                config,
                whole: true,
                refused: Vec::new(),
                at,
            });
        }
        // Each top-level key alone, and each table of an array alone: one mistake does
        // not hide the next.
        let mut good = DeTable::new();
        let mut refused = Vec::new();
        for (key, value) in root.get_ref() {
            let alone = |value: toml::Spanned<DeValue>| {
                let mut t = DeTable::new();
                t.insert(key.clone(), value);
                read(t)
            };
            match value.get_ref() {
                DeValue::Array(items)
                    if !items.is_empty() && items.iter().all(|i| i.get_ref().is_table()) =>
                {
                    let mut kept = DeArray::new();
                    let mut index = Vec::new();
                    for (i, item) in items.iter().enumerate() {
                        let (item, errors) = pruned(item.clone(), |item| {
                            let mut one = DeArray::new();
                            one.push(item);
                            alone(toml::Spanned::new(value.span(), DeValue::Array(one)))
                        });
                        refused.extend(errors.iter().map(|e| at.refused(text, e)));
                        if let Some(item) = item {
                            kept.push(item);
                            index.push(i);
                        }
                    }
                    at.kept.insert(key.get_ref().to_string(), index);
                    good.insert(
                        key.clone(),
                        toml::Spanned::new(value.span(), DeValue::Array(kept)),
                    );
                }
                _ => {
                    let (value, errors) = pruned(value.clone(), alone);
                    refused.extend(errors.iter().map(|e| at.refused(text, e)));
                    if let Some(value) = value {
                        good.insert(key.clone(), value);
                    }
                }
            }
        }
        let config = read(good).unwrap_or_else(|e| {
            refused.push(at.refused(text, &e));
            FileConfig::default()
        });
        Ok(Reading {
            config,
            whole: false,
            refused,
            at,
        })
    }

    /// Everything wrong with the file that holds wherever clops runs, first line first:
    /// what serde refused, config's own checks, then `checks` of the layers above.
    fn problems(&self, path: &Path, checks: &Checks) -> Vec<ConfigError> {
        let mut problems = self.refused.clone();
        problems.extend(
            validate(&self.config)
                .into_iter()
                .map(|(key, message)| self.at.error(key, message)),
        );
        problems.extend(self.checked(path, checks.file));
        if self.whole {
            problems.extend(self.checked(path, checks.whole));
        }
        sort(&mut problems);
        problems
    }

    /// What `checks` find in what was read, located.
    fn checked(&self, path: &Path, checks: &[Check]) -> Vec<ConfigError> {
        checks
            .iter()
            .flat_map(|check| check(&self.config, path))
            .map(|(key, message)| self.at.error(key, message))
            .collect()
    }
}

/// Puts problems on the lines of the file.
struct Locator {
    file: PathBuf,
    keys: KeyLines,
    /// Array name → the file's index of each table read, where some were refused.
    kept: BTreeMap<String, Vec<usize>>,
}

impl Locator {
    /// A problem with `key` (a path into what was read).
    fn error(&self, key: String, message: String) -> ConfigError {
        let key = self.in_file(key);
        ConfigError {
            file: self.file.clone(),
            line: self.keys.line_of(&key).unwrap_or(0),
            key,
            message,
        }
    }

    /// `sources[1].poll` of what was read, as the file numbers its tables.
    fn in_file(&self, key: String) -> String {
        let Some((name, rest)) = key.split_once('[') else {
            return key;
        };
        let Some((n, rest)) = rest.split_once(']') else {
            return key;
        };
        match (self.kept.get(name), n.parse::<usize>()) {
            (Some(kept), Ok(n)) if n < kept.len() => format!("{name}[{}]{rest}", kept[n]),
            _ => key,
        }
    }

    /// A problem serde or the TOML parser found in `text`.
    fn refused(&self, text: &str, e: &toml::de::Error) -> ConfigError {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        let line = line_of_offset(text, offset);
        ConfigError {
            file: self.file.clone(),
            line,
            key: self.keys.key_at(line).unwrap_or_default(),
            message: first_line(e.message()),
        }
    }
}

/// Parses any TOML file of clops's (catalog, runbook front matter) into `T`, errors
/// located by file, line and key. Returns the key index too, for locating later checks.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
) -> Result<(T, KeyLines), ConfigError> {
    let root = toml::de::DeTable::parse(text);
    let keys = root
        .as_ref()
        .map(|r| KeyLines::of(r.get_ref(), text))
        .unwrap_or_default();
    let value = root.and_then(|r| T::deserialize(toml::de::Deserializer::from(r)));
    let value = value.map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        let line = line_of_offset(text, offset);
        ConfigError {
            file: path.to_path_buf(),
            line,
            key: keys.key_at(line).unwrap_or_default(),
            message: first_line(e.message()),
        }
    })?;
    Ok((value, keys))
}

/// A service catalog file: `[[services]] name, depends_on, owner`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    #[serde(default)]
    pub services: Vec<CatalogService>,
}

/// One `[[services]]` entry of a catalog.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogService {
    pub name: String,
    #[serde(default)]
    pub depends_on: Vec<String>,
    pub owner: Option<String>,
}

/// Reads a catalog; every error names the file, line and key.
pub fn parse_catalog(path: &Path, text: &str) -> Result<CatalogFile, ConfigError> {
    let (catalog, keys): (CatalogFile, KeyLines) = parse_toml(path, text)?;
    let mut seen = std::collections::HashSet::new();
    for (i, s) in catalog.services.iter().enumerate() {
        let problem = if s.name.trim().is_empty() {
            Some(("name", "a service needs a name".to_string()))
        } else if !seen.insert(s.name.as_str()) {
            Some(("name", format!("`{}` is listed twice", s.name)))
        } else if s.depends_on.contains(&s.name) {
            Some((
                "depends_on",
                format!("`{}` cannot depend on itself", s.name),
            ))
        } else {
            None
        };
        if let Some((field, message)) = problem {
            let key = format!("services[{i}].{field}");
            return Err(ConfigError {
                file: path.to_path_buf(),
                line: keys.line_of(&key).unwrap_or(0),
                key,
                message,
            });
        }
    }
    Ok(catalog)
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).trim().to_string()
}

fn line_of_offset(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Checks what serde cannot: names, URLs, combinations. Every problem is (key path,
/// message). The console's keys and theme and the SLO tables are checked by the layers
/// that read them ([`Checks`]).
fn validate(config: &FileConfig) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    if config.triage.group_by.is_empty() {
        problems.push(("triage.group_by".into(), "give at least one label".into()));
    }
    if config.triage.window.0.is_zero() {
        problems.push((
            "triage.window".into(),
            "the window must be longer than zero".into(),
        ));
    }
    if config.triage.flap_count < 2 {
        problems.push((
            "triage.flap_count".into(),
            "flapping takes at least 2 starts".into(),
        ));
    }
    for (i, m) in config.maintenance.iter().enumerate() {
        let key = |k: &str| format!("maintenance[{i}].{k}");
        match crate::model::Matcher::parse_list(&m.matchers) {
            Ok(ms) if !ms.is_empty() => {}
            Ok(_) => problems.push((key("matchers"), "give at least one matcher".into())),
            Err(e) => problems.push((key("matchers"), e.to_string())),
        }
        if m.until <= m.from {
            problems.push((key("until"), "`until` must come after `from`".into()));
        }
    }
    let store = &config.incident.store;
    if store != "sqlite" && !store.starts_with("postgres://") && !store.starts_with("postgresql://")
    {
        problems.push((
            "incident.store".into(),
            format!("`{store}` is neither `sqlite` nor a postgres:// URL"),
        ));
    }
    if !config.incident.roles.iter().any(|r| r == "commander") {
        problems.push((
            "incident.roles".into(),
            "`commander` must be one of the roles".into(),
        ));
    }
    if let Some(bad) = config.incident.roles.iter().find(|r| {
        r.is_empty()
            || !r
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    }) {
        problems.push((
            "incident.roles".into(),
            format!("`{bad}` is not a role name (letters, digits, - and _)"),
        ));
    }
    for (environment, clusters) in &config.environments {
        if let Err(message) = cluster_list(clusters) {
            problems.push((format!("environments.{environment}"), message));
        }
    }
    let mut names = std::collections::HashSet::new();
    for (i, source) in config.sources.iter().enumerate() {
        validate_source(i, source, &mut names, &mut problems);
    }
    problems
}

fn validate_source<'a>(
    i: usize,
    s: &'a SourceConfig,
    names: &mut std::collections::HashSet<&'a str>,
    problems: &mut Vec<(String, String)>,
) {
    let key = |k: &str| format!("sources[{i}].{k}");
    let mut problem = |k: &str, message: String| problems.push((key(k), message));
    if s.name.is_empty()
        || !s
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        problem(
            "name",
            format!(
                "`{}` is not a usable name: use letters, digits, `-`, `_` or `.`",
                s.name
            ),
        );
    } else if !names.insert(&s.name) {
        problem(
            "name",
            format!("a source named `{}` already exists", s.name),
        );
    }
    if s.url.is_some() && s.urls.is_some() {
        problem("urls", "give `url` or `urls`, not both".into());
    } else if s.kind.is_http() {
        let endpoints = s.endpoints();
        let field = if s.url.is_some() { "url" } else { "urls" };
        if endpoints.is_empty() {
            problem(
                if s.urls.is_some() { "urls" } else { "url" },
                format!("a {} source needs `url` or `urls`", s.kind.as_str()),
            );
        }
        for u in &endpoints {
            match reqwest::Url::parse(u) {
                Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {}
                _ => problem(field, format!("`{u}` is not an http:// or https:// URL")),
            }
        }
    }
    if let Some(p) = s.poll
        && p.0 < Duration::from_secs(1)
    {
        problem("poll", "poll at most once a second".into());
    }
    if let Some(t) = s.timeout
        && t.0.is_zero()
    {
        problem("timeout", "a timeout must be longer than zero".into());
    }
    if s.service_graph && s.kind != SourceKind::Prometheus {
        problem(
            "service_graph",
            "`service_graph` only applies to kind = \"prometheus\"".into(),
        );
    }
    if s.kind == SourceKind::Catalog && s.path.is_none() {
        problem(
            "path",
            "a catalog source needs `path`, the TOML file of its services".into(),
        );
    }
    if s.kind != SourceKind::Catalog && s.path.is_some() {
        problem("path", "`path` only applies to kind = \"catalog\"".into());
    }
    let demo_only = [
        ("scenario", s.scenario.is_some()),
        ("seed", s.seed.is_some()),
        ("speed", s.speed.is_some()),
        ("cluster", s.cluster.is_some()),
    ];
    let http_only = [
        ("username", s.username.is_some()),
        ("token_command", s.token_command.is_some()),
        ("token_file", s.token_file.is_some()),
        ("token_timeout", s.token_timeout.is_some()),
        ("ca_file", s.ca_file.is_some()),
        ("headers", !s.headers.is_empty()),
    ];
    if !s.kind.is_http() {
        for (field, _) in http_only.iter().filter(|(_, set)| *set) {
            problem(
                field,
                format!("`{field}` only applies to sources reached over HTTP"),
            );
        }
    } else {
        for (name, message) in header_problems(&s.headers) {
            problem(&format!("headers.{name}"), message);
        }
        if let Some(path) = &s.ca_file
            && let Err(e) = check_ca_file(path)
        {
            problem("ca_file", e.to_string());
        }
    }
    if s.token_command
        .as_deref()
        .is_some_and(|c| c.trim().is_empty())
    {
        problem("token_command", "the command is empty".into());
    }
    if let Err((field, message)) = check_deploy_keys(s) {
        problem(field, message);
    }
    if let Some(t) = s.token_timeout {
        if s.token_command.is_none() {
            problem(
                "token_timeout",
                "`token_timeout` limits token_command: set token_command too".into(),
            );
        }
        if t.0.is_zero() {
            problem("token_timeout", "a timeout must be longer than zero".into());
        }
    }
    if s.kind != SourceKind::Demo {
        for (field, _) in demo_only.iter().filter(|(_, set)| *set) {
            problem(field, format!("`{field}` only applies to kind = \"demo\""));
        }
    } else {
        if let Some(name) = &s.scenario
            && !DEMO_SCENARIOS.contains(&name.as_str())
        {
            problem(
                "scenario",
                format!(
                    "unknown scenario `{name}` (known: {})",
                    DEMO_SCENARIOS.join(", ")
                ),
            );
        }
        if let Some(speed) = s.speed
            && !(speed.is_finite() && speed > 0.0 && speed <= 10_000.0)
        {
            problem(
                "speed",
                "speed must be a number above 0 (and at most 10000)".into(),
            );
        }
    }
}

/// (header name, problem) for each header the HTTP client would refuse or that would
/// change the request: names are RFC 7230 tokens, values hold no control character
/// (tab aside), above all no line break to end the header and start another.
fn header_problems(headers: &BTreeMap<String, String>) -> Vec<(String, String)> {
    use reqwest::header::{HeaderName, HeaderValue};
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (name, value) in headers {
        match HeaderName::from_bytes(name.as_bytes()) {
            Err(_) => problems.push((
                name.clone(),
                format!(
                    "`{name}` is not a header name: use letters, digits and !#$%&'*+-.^_`|~ (no spaces)"
                ),
            )),
            Ok(parsed) if !seen.insert(parsed.clone()) => problems.push((
                name.clone(),
                format!("header `{parsed}` is given twice (header names ignore case)"),
            )),
            Ok(_) => {}
        }
        if HeaderValue::from_str(value).is_err() {
            let why = if value.contains(['\r', '\n']) {
                "holds a line break (CR or LF), which would end the header and start another"
                    .to_string()
            } else if let Some(c) = value.chars().find(|c| c.is_control()) {
                format!("holds the control character U+{:04X}", u32::from(c))
            } else {
                "holds something HTTP headers cannot carry".to_string()
            };
            problems.push((name.clone(), format!("the value of header `{name}` {why}")));
        }
    }
    problems
}

/// Why a configured CA file cannot be trusted.
#[derive(Debug, thiserror::Error)]
pub enum CaFileError {
    #[error("{} does not exist", .path.display())]
    Missing { path: PathBuf },
    #[error("cannot read {}: {error}", .path.display())]
    Unreadable {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{} is not valid PEM: {error}", .path.display())]
    NotPem {
        path: PathBuf,
        error: rustls::pki_types::pem::Error,
    },
    /// `number` counts the file's certificates from 1.
    #[error("certificate {number} in {} cannot be trusted: {error}", .path.display())]
    Untrusted {
        path: PathBuf,
        number: usize,
        error: rustls::Error,
    },
    #[error(
        "{} holds no PEM certificate (a -----BEGIN CERTIFICATE----- block)",
        .path.display()
    )]
    NoCertificate { path: PathBuf },
}

/// A CA file must be PEM holding at least one certificate rustls accepts as a root.
fn check_ca_file(path: &Path) -> Result<(), CaFileError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let path_buf = || path.to_path_buf();
    if !path.is_file() {
        return Err(CaFileError::Missing { path: path_buf() });
    }
    let pem = std::fs::read(path).map_err(|error| CaFileError::Unreadable {
        path: path_buf(),
        error,
    })?;
    let mut roots = rustls::RootCertStore::empty();
    for (n, cert) in CertificateDer::pem_slice_iter(&pem).enumerate() {
        let cert = cert.map_err(|error| CaFileError::NotPem {
            path: path_buf(),
            error,
        })?;
        roots.add(cert).map_err(|error| CaFileError::Untrusted {
            path: path_buf(),
            number: n + 1,
            error,
        })?;
    }
    if roots.is_empty() {
        return Err(CaFileError::NoCertificate { path: path_buf() });
    }
    Ok(())
}

/// Where each key of a TOML text is defined, for pointing errors at lines.
#[derive(Debug, Default)]
pub(crate) struct KeyLines {
    /// (1-based line, dotted path) of every key and table, by line.
    entries: Vec<(usize, String)>,
}

impl KeyLines {
    /// Indexes a parsed document: `sources[1].headers.X-Tenant` and the like, from the
    /// parser's spans, so dotted keys, inline tables and `[sources.headers]` all count.
    fn of(root: &toml::de::DeTable, text: &str) -> KeyLines {
        fn walk(
            table: &toml::de::DeTable,
            prefix: &str,
            text: &str,
            out: &mut Vec<(usize, String)>,
        ) {
            for (key, value) in table {
                let path = if prefix.is_empty() {
                    key.get_ref().to_string()
                } else {
                    format!("{prefix}.{}", key.get_ref())
                };
                let line = line_of_offset(text, key.span().start);
                match value.get_ref() {
                    toml::de::DeValue::Table(t) => {
                        out.push((line, path.clone()));
                        walk(t, &path, text, out);
                    }
                    toml::de::DeValue::Array(items)
                        if items.iter().any(|i| i.get_ref().is_table()) =>
                    {
                        out.push((line, path.clone()));
                        for (i, item) in items.iter().enumerate() {
                            let at = format!("{path}[{i}]");
                            out.push((line_of_offset(text, item.span().start), at.clone()));
                            if let toml::de::DeValue::Table(t) = item.get_ref() {
                                walk(t, &at, text, out);
                            }
                        }
                    }
                    _ => out.push((line, path)),
                }
            }
        }
        let mut entries = Vec::new();
        walk(root, "", text, &mut entries);
        entries.sort_by_key(|(line, _)| *line);
        KeyLines { entries }
    }

    /// The key defined on `line`, or the table that line sits in.
    fn key_at(&self, line: usize) -> Option<String> {
        self.entries
            .iter()
            .rev()
            .find(|(n, _)| *n <= line)
            .map(|(_, p)| p.clone())
    }

    /// The line defining `path`, or its closest enclosing table.
    fn line_of(&self, path: &str) -> Option<usize> {
        let mut probe = path;
        loop {
            if let Some((n, _)) = self.entries.iter().find(|(_, p)| p == probe) {
                return Some(*n);
            }
            probe = &probe[..probe.rfind('.')?];
        }
    }
}

/// Where clops looks for things on this machine.
#[derive(Debug, Clone)]
pub struct Dirs {
    pub config_file: PathBuf,
    pub data_dir: PathBuf,
    pub state_dir: PathBuf,
}

impl Dirs {
    /// The platform's directories (XDG on Linux), overridden by flags and environment.
    pub fn resolve(config: Option<&Path>, data_dir: Option<&Path>) -> Dirs {
        let project = directories::ProjectDirs::from("", "", "clops");
        let fallback = || PathBuf::from(".clops");
        let config_file = config.map(Path::to_path_buf).unwrap_or_else(|| {
            project
                .as_ref()
                .map(|p| p.config_dir().join("config.toml"))
                .unwrap_or_else(|| fallback().join("config.toml"))
        });
        let data_dir = data_dir.map(Path::to_path_buf).unwrap_or_else(|| {
            project
                .as_ref()
                .map(|p| p.data_dir().to_path_buf())
                .unwrap_or_else(fallback)
        });
        let state_dir = project
            .as_ref()
            .and_then(|p| p.state_dir().map(Path::to_path_buf))
            .unwrap_or_else(|| data_dir.clone());
        Dirs {
            config_file,
            data_dir,
            state_dir,
        }
    }
}

/// The commented example written by `clops config init`.
pub const EXAMPLE: &str = include_str!("config_example.toml");

/// Where a `github` source asks when no `url` is set.
pub const GITHUB_API: &str = "https://api.github.com";

/// The demo's scenarios, as `--scenario` and `scenario = "…"` name them.
pub const DEMO_SCENARIOS: &[&str] = &["bad-deploy", "node-down"];

/// Checks the deploy keys of one `[[sources]]` entry: each belongs to the kinds that
/// use it, and the kinds that need one have it. Errors are (key, message).
fn check_deploy_keys(s: &SourceConfig) -> Result<(), (&'static str, String)> {
    use SourceKind::{Argocd, Command, Github, Grafana};
    let kinds = |ks: &[SourceKind]| ks.contains(&s.kind);
    let only = |field: &'static str, set: bool, ks: &[SourceKind]| {
        if set && !kinds(ks) {
            let names: Vec<String> = ks
                .iter()
                .map(|k| format!("kind = \"{}\"", k.as_str()))
                .collect();
            return Err((
                field,
                format!("`{field}` only applies to {}", names.join(" or ")),
            ));
        }
        Ok(())
    };
    only("repo", s.repo.is_some(), &[Github])?;
    only("service", s.service.is_some(), &[Github, Grafana])?;
    only(
        "environment",
        s.environment.is_some(),
        &[Github, Argocd, Grafana, Command],
    )?;
    only(
        "clusters",
        s.clusters.is_some(),
        &[Github, Argocd, Grafana, Command],
    )?;
    only("services", !s.services.is_empty(), &[Argocd])?;
    only("tags", s.tags.is_some(), &[Grafana])?;
    only("command", s.command.is_some(), &[Command])?;
    only(
        "history",
        s.history.is_some(),
        &[Github, Argocd, Grafana, Command],
    )?;
    let blank = |v: &str| v.trim().is_empty();
    match s.kind {
        Github => match s.repo.as_deref() {
            None => {
                return Err((
                    "repo",
                    "a github source needs `repo = \"owner/name\"`".into(),
                ));
            }
            Some(r) if !is_repo(r) => {
                return Err((
                    "repo",
                    format!("`{r}` is not `owner/name` (like `acme/checkout`)"),
                ));
            }
            Some(_) => {}
        },
        Command => match s.command.as_deref() {
            None => {
                return Err((
                    "command",
                    "a command source needs `command`, run with `sh -c`; it prints deploys as JSON lines".into(),
                ));
            }
            Some(c) if blank(c) => return Err(("command", "the command is empty".into())),
            Some(_) => {}
        },
        Grafana => {
            if let Some(tags) = &s.tags {
                if tags.is_empty() {
                    return Err((
                        "tags",
                        "give at least one tag (Grafana would return every annotation)".into(),
                    ));
                }
                if tags.iter().any(|t| blank(t)) {
                    return Err(("tags", "a tag cannot be empty".into()));
                }
            }
        }
        Argocd => {
            if let Some((app, _)) = s.services.iter().find(|(a, v)| blank(a) || blank(v)) {
                return Err((
                    "services",
                    format!("application `{app}`: neither it nor its service may be empty"),
                ));
            }
        }
        _ => {}
    }
    for (field, value) in [("service", &s.service), ("environment", &s.environment)] {
        if value.as_deref().is_some_and(blank) {
            return Err((field, format!("`{field}` cannot be empty")));
        }
    }
    if let Some(h) = s.history
        && h.0.is_zero()
    {
        return Err(("history", "history must be longer than zero".into()));
    }
    if let Some(clusters) = &s.clusters {
        cluster_list(clusters).map_err(|m| ("clusters", m))?;
    }
    Ok(())
}

/// Checks a list of cluster names (a source's `clusters`, an `[environments]` entry).
fn cluster_list(clusters: &[String]) -> Result<(), String> {
    if clusters.is_empty() {
        return Err("give at least one cluster".into());
    }
    if clusters.iter().any(|c| c.trim().is_empty()) {
        return Err("a cluster name cannot be empty".into());
    }
    Ok(())
}

fn is_repo(r: &str) -> bool {
    let ok = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    matches!(r.split_once('/'), Some((owner, name)) if ok(owner) && ok(name) && !name.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ConfigError {
        parse(Path::new("clops.toml"), text).unwrap_err()
    }

    #[test]
    fn grouping_reads_outages_and_its_first_name() {
        for (text, want) in [
            ("outages", Grouping::Outages),
            ("incidents", Grouping::Outages),
            ("labels", Grouping::Labels),
        ] {
            let config = format!("[triage]\ngrouping = \"{text}\"\n");
            let file = parse(Path::new("clops.toml"), &config).unwrap();
            assert_eq!(file.triage.grouping, want, "{text}");
        }
    }

    #[test]
    fn the_shipped_example_is_valid() {
        let c = parse(Path::new("example.toml"), EXAMPLE).unwrap();
        assert!(!c.sources.is_empty());
    }

    #[test]
    fn unknown_key_names_line_and_key() {
        let e = err("[[sources]]\nname = \"a\"\nkind = \"demo\"\npolll = \"5s\"\n");
        assert_eq!(e.line, 4);
        assert_eq!(e.key, "sources[0].polll");
        assert!(e.message.contains("unknown field"), "{}", e.message);
        assert!(
            e.to_string()
                .starts_with("clops.toml:4: key `sources[0].polll`")
        );
    }

    #[test]
    fn bad_duration_names_the_second_source() {
        let e = err(concat!(
            "[[sources]]\nname = \"a\"\nkind = \"demo\"\n\n",
            "[[sources]]\nname = \"b\"\nkind = \"demo\"\npoll = \"soon\"\n"
        ));
        assert_eq!((e.line, e.key.as_str()), (8, "sources[1].poll"));
        assert!(e.message.contains("not a duration"), "{}", e.message);
    }

    #[test]
    fn semantic_errors_are_located_too() {
        let e = err("[[sources]]\nname = \"am\"\nkind = \"alertmanager\"\n");
        assert_eq!((e.line, e.key.as_str()), (1, "sources[0].url"));
        let e = err("[[sources]]\nname = \"am\"\nkind = \"alertmanager\"\nurl = \"ftp://x\"\n");
        assert_eq!((e.line, e.key.as_str()), (4, "sources[0].url"));
        let e = err("[[sources]]\nname = \"a\"\nkind = \"alertmanager\"\nurls = []\n");
        assert_eq!((e.line, e.key.as_str()), (4, "sources[0].urls"));
        let e = err("[[sources]]\nname = \"a\"\nkind = \"demo\"\nspeed = 99999.0\n");
        assert_eq!((e.line, e.key.as_str()), (4, "sources[0].speed"));
        let e =
            err("[[sources]]\nname=\"x\"\nkind=\"demo\"\n[[sources]]\nname=\"x\"\nkind=\"demo\"\n");
        assert_eq!((e.line, e.key.as_str()), (5, "sources[1].name"));
    }

    /// Stands in for the console's checks of its keys and theme, which config does not
    /// know: it refuses the theme `neon` and every `[keys]` entry.
    fn console_check(file: &FileConfig, _: &Path) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        if file.console.theme.as_deref() == Some("neon") {
            problems.push(("console.theme".into(), "unknown theme `neon`".into()));
        }
        for name in file.keys.global.keys() {
            problems.push((format!("keys.{name}"), "refused".into()));
        }
        for (mode, table) in &file.keys.modes {
            for name in table.keys() {
                problems.push((format!("keys.{mode}.{name}"), "refused".into()));
            }
        }
        problems
    }

    const CONSOLE: Checks = Checks {
        file: &[console_check],
        host: &[],
        whole: &[],
    };

    fn all(text: &str) -> Vec<(usize, String, String)> {
        parse_all_with(Path::new("clops.toml"), text, &CONSOLE)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| (e.line, e.key, e.message))
            .collect()
    }

    #[test]
    fn every_problem_is_reported_not_just_the_first() {
        let text = concat!(
            "[console]\ntheme = \"neon\"\n",                                 // 2
            "[[sources]]\nname = \"a\"\nkind = \"demo\"\npolll = \"5s\"\n",  // 6: refused by serde
            "[[sources]]\nname = \"b\"\nkind = \"alertmanager\"\n",          // 7
            "url = \"ftp://x\"\n",                                           // 10
            "timeout = \"0s\"\n",                                            // 11
            "[[sources]]\nname = \"c\"\nkind = \"demo\"\npoll = \"soon\"\n", // 15: refused
            "[keys]\ndown = \"q\"\n",                                        // 17
        );
        let found = all(text);
        let at: Vec<(usize, &str)> = found.iter().map(|(l, k, _)| (*l, k.as_str())).collect();
        assert_eq!(
            at,
            [
                (2, "console.theme"),
                (6, "sources[0].polll"),
                (10, "sources[1].url"),
                (11, "sources[1].timeout"),
                (15, "sources[2].poll"),
                (17, "keys.down"),
            ],
            "{found:#?}"
        );
        let e = parse_all_with(Path::new("clops.toml"), text, &CONSOLE).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("(and 5 more: `clops config check` lists every one)"),
            "{e}"
        );
    }

    #[test]
    fn the_layers_above_check_their_tables_where_they_are_written() {
        let text = concat!(
            "[console]\nread_only = true\n", // 1-2
            "[keys]\ndown = \"n\"\n",        // 3-4
            "[keys.confirm]\n",              // 5
            "yes = [\"Y\"]\n",               // 6
            "[keys.runbook_target]\n",       // 7
            "choose = \"enter\"\n",          // 8
        );
        let found = all(text);
        let at: Vec<(usize, &str)> = found.iter().map(|(l, k, _)| (*l, k.as_str())).collect();
        assert_eq!(
            at,
            [
                (4, "keys.down"),
                (6, "keys.confirm.yes"),
                (8, "keys.runbook_target.choose"),
            ],
            "{found:#?}"
        );
        // Without them, config reads the tables as written and finds nothing wrong.
        let file = parse(Path::new("clops.toml"), text).unwrap();
        assert_eq!(file.keys.global["down"].as_slice(), ["n"]);
        assert_eq!(file.keys.modes["confirm"]["yes"].as_slice(), ["Y"]);
    }

    #[test]
    fn a_key_that_is_no_key_list_is_refused_on_its_line() {
        let e = err("[keys]\nup = \"k\"\ndown = 5\n");
        assert_eq!((e.line, e.key.as_str()), (3, "keys.down"), "{e}");
        assert!(e.message.contains("did not match"), "{e}");
        let e = err("[keys.confirm]\nyes = [\"y\"]\nup = true\n");
        assert_eq!((e.line, e.key.as_str()), (3, "keys.confirm.up"), "{e}");
    }

    #[test]
    fn a_mistake_in_a_table_does_not_hide_the_next_one_in_it() {
        let text = concat!(
            "[[sources]]\nname = \"a\"\nkind = \"alertmanager\"\n", // 1-3
            "url = \"http://am:9093\"\npoll = \"often\"\n",         // 5: refused by serde
            "headers = { \"X Org\" = \"1\" }\n",                    // 6: checked after
            "[console]\nread_only = \"yes\"\ntheme = \"neon\"\nbogus = 1\n", // 8, 9, 10
        );
        let found = all(text);
        let at: Vec<(usize, &str)> = found.iter().map(|(l, k, _)| (*l, k.as_str())).collect();
        assert_eq!(
            at,
            [
                (5, "sources[0].poll"),
                (6, "sources[0].headers.X Org"),
                (8, "console.read_only"),
                (9, "console.theme"),
                (10, "console.bogus"),
            ],
            "{found:#?}"
        );
    }

    #[test]
    fn headers_are_checked_wherever_they_are_written() {
        let inline = "[[sources]]\nname = \"a\"\nkind = \"alertmanager\"\nurl = \"http://am:9093\"\nheaders = { \"X Tenant\" = \"t\" }\n";
        let e = err(inline);
        assert_eq!(
            (e.line, e.key.as_str()),
            (5, "sources[0].headers.X Tenant"),
            "{e}"
        );
        let text = concat!(
            "[[sources]]\nname = \"a\"\nkind = \"alertmanager\"\nurl = \"http://am:9093\"\n",
            "[sources.headers]\n",
            "\"X Tenant\" = \"t\"\n",            // 6
            "X-Token = \"a\\r\\nX-Admin: 1\"\n", // 7
            "X-Nul = \"a\\u0000\"\n",            // 8
            "x-token = \"b\"\n",                 // 9
            "X-Name = \"José\"\n",               // 10
        );
        let found = all(text);
        let at: Vec<(usize, &str)> = found.iter().map(|(l, k, _)| (*l, k.as_str())).collect();
        assert_eq!(
            at,
            [
                (6, "sources[0].headers.X Tenant"),
                (7, "sources[0].headers.X-Token"),
                (8, "sources[0].headers.X-Nul"),
                (9, "sources[0].headers.x-token"),
            ],
            "{found:#?}"
        );
        assert!(found[0].2.contains("not a header name"), "{found:?}");
        assert!(found[1].2.contains("line break"), "{found:?}");
        assert!(found[2].2.contains("U+0000"), "{found:?}");
        assert!(found[3].2.contains("given twice"), "{found:?}");
    }

    #[test]
    fn a_ca_file_must_hold_a_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let not_pem = dir.path().join("hostname");
        std::fs::write(&not_pem, "jump-1\n").unwrap();
        let broken = dir.path().join("broken.pem");
        std::fs::write(
            &broken,
            "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let source = |ca: &Path| {
            format!(
                "[[sources]]\nname = \"a\"\nkind = \"alertmanager\"\nurl = \"https://am:9093\"\nca_file = \"{}\"\n",
                ca.display()
            )
        };
        let e = err(&source(&not_pem));
        assert_eq!((e.line, e.key.as_str()), (5, "sources[0].ca_file"));
        assert!(e.message.contains("holds no PEM certificate"), "{e}");
        let e = err(&source(&broken));
        assert!(e.message.contains("cannot be trusted"), "{e}");
        let e = err(&source(&dir.path().join("missing.pem")));
        assert!(e.message.contains("does not exist"), "{e}");
    }

    #[test]
    fn maintenance_times_are_toml_date_times_or_strings_with_an_offset() {
        let window = |from: &str| {
            format!(
                "[[maintenance]]\nname = \"drill\"\nmatchers = \"cluster=eu\"\nfrom = {from}\nuntil = 2026-11-21T23:00:00Z\n"
            )
        };
        for from in [
            "2026-11-21T21:00:00Z",
            "\"2026-11-21T21:00:00Z\"",
            "2026-11-21T22:00:00+01:00",
        ] {
            let file = parse(Path::new("clops.toml"), &window(from)).unwrap();
            assert_eq!(
                file.maintenance[0].from.to_rfc3339(),
                "2026-11-21T21:00:00+00:00",
                "{from}"
            );
        }
        for from in ["2026-11-21T21:00:00", "\"tonight\"", "1"] {
            let e = err(&window(from));
            assert_eq!((e.line, e.key.as_str()), (4, "maintenance[0].from"), "{e}");
            assert!(e.message.contains("2026-11-21T22:00:00Z"), "{e}");
        }
    }

    #[test]
    fn bad_kind_and_syntax_errors_name_the_line() {
        let e = err("[[sources]]\nname = \"a\"\nkind = \"nagios\"\n");
        assert_eq!((e.line, e.key.as_str()), (3, "sources[0].kind"));
        let e = err("[console]\ntheme = \n");
        assert_eq!(e.line, 2);
    }
}
