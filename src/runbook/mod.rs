//! Runbooks: Markdown files whose `##` steps the responder runs one at a time.
//!
//! Parsing and matching are pure; `vars` finds what a step's command reads of the
//! environment clops gives it, and `visible` shows a command with nothing hidden;
//! [`crate::process`] runs a step as its own process group with a clean environment;
//! `journal` writes what ran to the incident timeline or a local run log.

pub mod demo;
pub mod journal;
mod parse;
pub mod remote;
pub mod vars;
pub mod visible;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::config::ConfigError;
use crate::model::{Alert, LabelSet, Matcher};
use crate::process::{self, StepCommand};
use crate::text::clean_line;

pub use parse::{DEFAULT_TIMEOUT, parse};

/// One runbook file.
#[derive(Debug, Clone)]
pub struct Runbook {
    /// The file stem: what `clops runbook run NAME` takes.
    pub name: String,
    pub title: String,
    /// All must hold for the runbook to serve an alert; none means "find it by name".
    pub matchers: Vec<Matcher>,
    /// Every step's timeout unless the step sets its own.
    pub timeout: Option<Duration>,
    /// Markdown before the first step.
    pub intro: String,
    pub steps: Vec<Step>,
    /// The file it was read from (for a fetched one, its URL as a path).
    pub path: PathBuf,
    /// The URL it was fetched from, when it came from an alert's `runbook_url`.
    pub remote: Option<String>,
    /// The directory it was loaded from, which its steps see as `CLOPS_RUNBOOK_DIR`
    /// (for scripts kept beside it); None for a built-in or fetched runbook.
    pub dir: Option<PathBuf>,
    /// Variables passed through from the caller's environment to its steps (front
    /// matter `env`), on top of [`process::INHERITED`].
    pub env: Vec<String>,
}

/// One `##` section of a runbook.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Step {
    pub title: String,
    /// The `sh` block, run with `sh -c`; `None` for a step done by hand.
    pub command: Option<String>,
    /// `- [ ]` items, ticked by hand.
    pub checklist: Vec<String>,
    /// The rest of the section's Markdown.
    pub text: Vec<String>,
    /// From the block's info string: ```` ```sh timeout=30s ````.
    pub timeout: Option<Duration>,
}

impl Runbook {
    /// True when every matcher holds for `labels` (and there is at least one).
    pub fn serves(&self, labels: &LabelSet) -> bool {
        !self.matchers.is_empty() && self.matchers.iter().all(|m| m.matches(labels))
    }

    /// How long `step` may run before it is killed.
    pub fn timeout_of(&self, step: &Step) -> Duration {
        step.timeout.or(self.timeout).unwrap_or(DEFAULT_TIMEOUT)
    }

    /// Where it came from, for the responder: `file PATH`, or `remote URL` (without
    /// what the link carries for access).
    pub fn source(&self) -> String {
        match &self.remote {
            Some(url) => format!("remote {} (fetched)", remote::shown_url(url)),
            None => format!("file {}", self.path.display()),
        }
    }

    /// What runs for `step`, given what clops sets (`CLOPS_LABEL_*`, `CLOPS_INCIDENT`);
    /// None for a step done by hand.
    pub fn step_command(&self, step: &Step, env: Vec<(String, String)>) -> Option<StepCommand> {
        Some(StepCommand {
            command: step.command.clone()?,
            env,
            timeout: self.timeout_of(step),
            runbook_dir: self.dir.clone(),
            inherit: process::Inherit::Allowlist(self.env.clone()),
        })
    }

    /// The variables `step`'s command reads plainly that would be unset or empty, with
    /// `env` what clops sets from the labels and incident.
    pub fn missing(&self, step: &Step, env: &[(String, String)]) -> Vec<vars::Missing> {
        let Some(command) = &step.command else {
            return Vec::new();
        };
        let mut env = env.to_vec();
        if let Some(dir) = &self.dir {
            env.push(("CLOPS_RUNBOOK_DIR".into(), dir.display().to_string()));
        }
        vars::missing(command, &env)
    }

    /// The `CLOPS_LABEL_*` names any of its steps reads.
    pub fn label_vars(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .steps
            .iter()
            .filter_map(|s| s.command.as_deref())
            .flat_map(vars::references)
            .map(|r| r.name)
            .filter(|n| n.starts_with("CLOPS_LABEL_"))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// `match` as written, for listings.
    pub fn match_text(&self) -> String {
        self.matchers
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The runbooks found in the configured directories, and the files that did not parse.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Sorted by name; a name found in several dirs is taken from the first.
    pub runbooks: Vec<Runbook>,
    pub problems: Vec<ConfigError>,
}

impl Library {
    /// Reads every `*.md` file directly inside `dirs`. A missing dir is no problem (the
    /// default one need not exist); an unreadable file or a broken runbook is listed
    /// in `problems` and the others still load.
    pub fn load(dirs: &[PathBuf]) -> Library {
        let mut library = Library::default();
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut paths: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "md") && p.is_file())
                .collect();
            paths.sort();
            for path in paths {
                let name = stem(&path);
                if library.get(&name).is_some() {
                    continue;
                }
                match std::fs::read_to_string(&path) {
                    Ok(text) => match parse(&path, &name, &text) {
                        Ok(runbook) => library.runbooks.push(Runbook {
                            dir: Some(dir.clone()),
                            ..runbook
                        }),
                        Err(e) => library.problems.push(e),
                    },
                    Err(e) => library.problems.push(ConfigError {
                        file: path.clone(),
                        line: 0,
                        key: String::new(),
                        message: format!("cannot read: {e}"),
                    }),
                }
            }
        }
        library.runbooks.sort_by(|a, b| a.name.cmp(&b.name));
        library
    }

    /// Adds the runbooks whose names are not taken yet (the demo's built-in ones).
    pub fn add_missing(&mut self, runbooks: Vec<Runbook>) {
        for rb in runbooks {
            if self.get(&rb.name).is_none() {
                self.runbooks.push(rb);
            }
        }
        self.runbooks.sort_by(|a, b| a.name.cmp(&b.name));
    }

    pub fn get(&self, name: &str) -> Option<&Runbook> {
        self.runbooks.iter().find(|r| r.name == name)
    }

    /// The runbooks serving any of `alerts`, the most-served first, then by name.
    pub fn serving<'a>(&'a self, alerts: &[&LabelSet]) -> Vec<&'a Runbook> {
        let mut found: Vec<(usize, &Runbook)> = self
            .runbooks
            .iter()
            .map(|r| (alerts.iter().filter(|a| r.serves(a)).count(), r))
            .filter(|(n, _)| *n > 0)
            .collect();
        found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
        found.into_iter().map(|(_, r)| r).collect()
    }
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The environment a step gets: each label as `CLOPS_LABEL_<NAME>` (upper-cased,
/// anything but letters, digits and `_` made `_`), and `CLOPS_INCIDENT` when there is
/// one. Values go in verbatim: they are data, never command text. Only NUL, which no
/// environment can hold, is dropped.
pub fn step_env<'a>(
    labels: impl IntoIterator<Item = (&'a str, &'a str)>,
    incident: Option<&str>,
) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = labels
        .into_iter()
        .map(|(name, value)| {
            let name: String = name
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            (format!("CLOPS_LABEL_{name}"), value.replace('\0', ""))
        })
        .collect();
    if let Some(id) = incident {
        env.push(("CLOPS_INCIDENT".into(), id.to_string()));
    }
    env
}

/// An alert as a runbook's target, in a few words: `HighErrorRate · service payments ·
/// cluster prod-eu` (what is not labelled is left out).
pub fn alert_words(alert: &Alert, service_label: &str) -> String {
    let mut words = vec![clean_line(alert.name())];
    for (what, label) in [("service", service_label), ("cluster", "cluster")] {
        let value = alert.label(label);
        if !value.is_empty() {
            words.push(format!("{what} {}", visible::plain_line(value)));
        }
    }
    words.join(" · ")
}

/// The runbook dirs to read: `[runbooks] dirs` (relative ones from the config file's
/// dir, `~/` from home) or `<config dir>/runbooks`.
pub fn dirs(configured: &[String], config_file: &Path) -> Vec<PathBuf> {
    let config_dir = config_file.parent().unwrap_or(Path::new("."));
    if configured.is_empty() {
        return vec![config_dir.join("runbooks")];
    }
    configured
        .iter()
        .map(|d| {
            if let Some(rest) = d.strip_prefix("~/")
                && let Some(home) = std::env::var_os("HOME")
            {
                return PathBuf::from(home).join(rest);
            }
            config_dir.join(d)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAYMENTS: &str = r#"+++
title = "Payments DB connection saturation"
match = { alertname = "PostgresTooManyConnections" }
timeout = "2m"
+++
When the pool is full, checkout fails first.

## Check connection count
```sh
psql -h "$CLOPS_LABEL_INSTANCE" -c 'select count(*) from pg_stat_activity'
```
## Kill idle sessions
Only idle ones.
```sh timeout=10s
echo killing
```
## Tell the payments channel
- [ ] posted status in #payments
- [x] paged the DBA
"#;

    fn payments() -> Runbook {
        parse(Path::new("rb/payments-db.md"), "payments-db", PAYMENTS).unwrap()
    }

    fn labels(pairs: &[(&str, &str)]) -> LabelSet {
        pairs.iter().copied().collect()
    }

    #[test]
    fn steps_commands_checklists_and_timeouts_are_read() {
        let rb = payments();
        assert_eq!(rb.title, "Payments DB connection saturation");
        assert_eq!(rb.intro, "When the pool is full, checkout fails first.");
        let titles: Vec<&str> = rb.steps.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Check connection count",
                "Kill idle sessions",
                "Tell the payments channel"
            ]
        );
        assert_eq!(
            rb.steps[0].command.as_deref(),
            Some("psql -h \"$CLOPS_LABEL_INSTANCE\" -c 'select count(*) from pg_stat_activity'")
        );
        assert_eq!(rb.timeout_of(&rb.steps[0]), Duration::from_secs(120));
        assert_eq!(rb.timeout_of(&rb.steps[1]), Duration::from_secs(10));
        assert_eq!(rb.steps[1].text, ["Only idle ones."]);
        assert_eq!(rb.steps[2].command, None);
        assert_eq!(
            rb.steps[2].checklist,
            ["posted status in #payments", "paged the DBA"]
        );
    }

    #[test]
    fn headings_inside_code_blocks_are_not_steps() {
        let text = "+++\ntitle = \"t\"\n+++\n## One\n```text\n## not a step\n```\n";
        let rb = parse(Path::new("x.md"), "x", text).unwrap();
        assert_eq!(rb.steps.len(), 1);
        assert_eq!(rb.steps[0].text, ["```text", "## not a step", "```"]);
    }

    #[test]
    fn matching_needs_every_matcher_and_counts_alerts() {
        let rb = payments();
        assert!(rb.serves(&labels(&[("alertname", "PostgresTooManyConnections")])));
        assert!(!rb.serves(&labels(&[("alertname", "Other")])));
        let text = "+++\ntitle = \"t\"\nmatch = [\"alertname=~Postgres.*\", \"env!=dev\"]\n+++\n";
        let regex = parse(Path::new("pg.md"), "pg", text).unwrap();
        let prod = labels(&[("alertname", "PostgresDown"), ("env", "prod")]);
        let dev = labels(&[("alertname", "PostgresDown"), ("env", "dev")]);
        assert!(regex.serves(&prod));
        assert!(!regex.serves(&dev));
        let either = "+++\ntitle = \"t\"\nmatch = { severity = [\"critical\", \"a.b\"] }\n+++\n";
        let either = parse(Path::new("e.md"), "e", either).unwrap();
        assert!(either.serves(&labels(&[("severity", "a.b")])));
        assert!(
            !either.serves(&labels(&[("severity", "axb")])),
            "values are literal"
        );
        let unmatched = parse(Path::new("u.md"), "u", "+++\ntitle = \"t\"\n+++\n").unwrap();
        assert!(!unmatched.serves(&prod), "no match means search only");

        let library = Library {
            runbooks: vec![regex, payments()],
            problems: vec![],
        };
        let other = labels(&[("alertname", "PostgresTooManyConnections"), ("env", "prod")]);
        let served: Vec<&str> = library
            .serving(&[&prod, &other, &dev])
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(served, ["pg", "payments-db"], "two alerts served beat one");
    }

    #[test]
    fn broken_runbooks_name_file_line_and_key() {
        let e = parse(Path::new("rb/a.md"), "a", "## no front matter\n").unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse(
            Path::new("rb/a.md"),
            "a",
            "+++\ntitle = \"t\"\ntimeout = \"soon\"\n+++\n",
        )
        .unwrap_err();
        assert_eq!((e.line, e.key.as_str()), (3, "timeout"), "{e}");
        assert!(e.to_string().starts_with("rb/a.md:3: key `timeout`"), "{e}");
        let e = parse(
            Path::new("a.md"),
            "a",
            "+++\ntitle = \"t\"\ncolour = 1\n+++\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("colour"), "{e}");
        let e = parse(
            Path::new("a.md"),
            "a",
            "+++\ntitle = \"t\"\n+++\n## s\n```sh\necho\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 5, "{e}");
        let e = parse(
            Path::new("a.md"),
            "a",
            "+++\ntitle = \"t\"\n+++\n## s\n```sh timeout=later\necho\n```\n",
        )
        .unwrap_err();
        assert_eq!((e.line, e.key.as_str()), (5, "timeout"), "{e}");
        let e = parse(
            Path::new("a.md"),
            "a",
            "+++\ntitle = \"t\"\nmatch = { \"bad name\" = \"x\" }\n+++\n",
        )
        .unwrap_err();
        assert_eq!((e.line, e.key.as_str()), (3, "match"), "{e}");
    }

    #[test]
    fn labels_become_environment_names_and_values_stay_verbatim() {
        let env = step_env(
            [
                ("instance", "db-1:5432"),
                ("odd-name", "$(touch x); `id`\n\"'"),
            ],
            Some("INC-20261122-1"),
        );
        assert_eq!(
            env,
            [
                ("CLOPS_LABEL_INSTANCE".into(), "db-1:5432".into()),
                (
                    "CLOPS_LABEL_ODD_NAME".into(),
                    "$(touch x); `id`\n\"'".into()
                ),
                ("CLOPS_INCIDENT".into(), "INC-20261122-1".into()),
            ]
        );
    }

    #[test]
    fn library_loads_dirs_in_order_and_keeps_going_past_broken_files() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        std::fs::write(a.path().join("payments-db.md"), PAYMENTS).unwrap();
        std::fs::write(a.path().join("broken.md"), "no front matter").unwrap();
        std::fs::write(a.path().join("notes.txt"), "not a runbook").unwrap();
        std::fs::write(
            b.path().join("payments-db.md"),
            "+++\ntitle = \"shadowed\"\n+++\n",
        )
        .unwrap();
        std::fs::write(b.path().join("disk.md"), "+++\ntitle = \"Disk\"\n+++\n").unwrap();
        let missing = a.path().join("nope");
        let library = Library::load(&[missing, a.path().into(), b.path().into()]);
        let names: Vec<&str> = library.runbooks.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["disk", "payments-db"]);
        assert_eq!(library.get("payments-db").unwrap().title, PAYMENTS_TITLE);
        assert_eq!(
            library.get("disk").unwrap().dir.as_deref(),
            Some(b.path()),
            "steps see the dir the runbook was read from"
        );
        assert_eq!(library.problems.len(), 1);
        assert!(library.problems[0].file.ends_with("broken.md"));
    }

    #[test]
    fn env_declares_what_steps_get_from_the_caller_and_never_a_token() {
        let rb = parse(
            Path::new("k.md"),
            "k",
            "+++\ntitle = \"t\"\nenv = [\"KUBECONFIG\", \"AWS_PROFILE\"]\n+++\n## s\n```sh\nkubectl get nodes\n```\n",
        )
        .unwrap();
        assert_eq!(rb.env, ["KUBECONFIG", "AWS_PROFILE"]);
        assert_eq!(
            rb.step_command(&rb.steps[0], vec![]).unwrap().inherit,
            process::Inherit::Allowlist(vec!["KUBECONFIG".into(), "AWS_PROFILE".into()])
        );
        for (name, why) in [
            ("CLOPS_TOKEN_PROD_EU", "token"),
            ("clops_token_x", "token"),
            ("CLOPS_LABEL_NODE", "set by clops"),
            ("CLOPS_INCIDENT", "set by clops"),
            ("A-B", "not an environment variable name"),
        ] {
            let text = format!("+++\ntitle = \"t\"\nenv = [\"PATH\", \"{name}\"]\n+++\n");
            let e = parse(Path::new("k.md"), "k", &text).unwrap_err();
            assert_eq!((e.line, e.key.as_str()), (3, "env"), "{e}");
            assert!(e.message.contains(why), "{name}: {e}");
        }
    }

    #[test]
    fn a_file_runbook_says_its_path_and_a_fetched_one_its_url() {
        let rb = payments();
        assert_eq!(rb.source(), "file rb/payments-db.md");
        assert_eq!(rb.dir, None, "parsed, not loaded from a dir");
        let fetched = remote::from_text(
            "https://bob:pw@runbooks.example.com/rb/disk.md?token=abc",
            "# Disk\n## s\n```sh\ndf\n```\n",
        )
        .unwrap();
        assert_eq!(
            fetched.source(),
            "remote https://runbooks.example.com/rb/disk.md?… (fetched)"
        );
        assert_eq!(fetched.dir, None);
    }

    #[test]
    fn missing_names_what_a_step_reads_that_would_be_unset() {
        let rb = parse(
            Path::new("n.md"),
            "n",
            "+++\ntitle = \"t\"\n+++\n## Drain\n```sh\nkubectl drain $CLOPS_LABEL_NODE -n \"$CLOPS_LABEL_NS\" # $CLOPS_RUNBOOK_DIR\n```\n",
        )
        .unwrap();
        let env = step_env([("ns", "kube-system"), ("cluster", "eu")], None);
        let missing: Vec<String> = rb
            .missing(&rb.steps[0], &env)
            .iter()
            .map(vars::Missing::describe)
            .collect();
        assert_eq!(
            missing,
            [
                "$CLOPS_LABEL_NODE is not set",
                "$CLOPS_RUNBOOK_DIR is not set"
            ]
        );
        assert_eq!(rb.label_vars(), ["CLOPS_LABEL_NODE", "CLOPS_LABEL_NS"]);
    }

    const PAYMENTS_TITLE: &str = "Payments DB connection saturation";

    #[test]
    fn dirs_default_beside_the_config_and_resolve_relative_ones_there() {
        let config = Path::new("/etc/clops/config.toml");
        assert_eq!(dirs(&[], config), [PathBuf::from("/etc/clops/runbooks")]);
        assert_eq!(
            dirs(&["team".into(), "/srv/rb".into()], config),
            [PathBuf::from("/etc/clops/team"), PathBuf::from("/srv/rb")]
        );
    }
}
