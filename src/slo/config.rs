//! `[[slos]]` and `[[slo_imports]]` in the config file, and turning them into SLO
//! definitions.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::config::{ConfigError, DurationValue, FileConfig, SloConfig, SourceKind};

use super::burn::{Objective, ObjectiveError};
use super::spec::{Indicator, SloDef, has_placeholder};

/// The window an SLO holds over when nothing says otherwise.
pub const DEFAULT_WINDOW: chrono::Duration = chrono::Duration::days(30);

fn window_of(value: Option<DurationValue>) -> chrono::Duration {
    value
        .and_then(|d| chrono::Duration::from_std(d.0).ok())
        .unwrap_or(DEFAULT_WINDOW)
}

/// Why an SLO's `source` cannot measure it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SloSourceError {
    #[error(
        "source `{name}` is a {} source; SLOs are measured on a prometheus source",
        .kind.as_str()
    )]
    NotPrometheus { name: String, kind: SourceKind },
    #[error("no [[sources]] entry is named `{name}`")]
    Unknown { name: String },
}

/// Checks `[[slos]]` and `[[slo_imports]]` (across tables: their sources must exist,
/// so only when every part of the file was read); problems are (key path, message).
pub fn check_config(config: &FileConfig, _path: &Path) -> Vec<(String, String)> {
    validate(config).err().into_iter().collect()
}

fn validate(config: &FileConfig) -> Result<(), (String, String)> {
    let prometheus = |source: &str| -> Result<(), SloSourceError> {
        let name = source.to_string();
        match config.sources.iter().find(|s| s.name == source) {
            Some(s) if s.kind == SourceKind::Prometheus => Ok(()),
            Some(s) => Err(SloSourceError::NotPrometheus { name, kind: s.kind }),
            None => Err(SloSourceError::Unknown { name }),
        }
    };
    let mut names = HashSet::new();
    for (i, slo) in config.slos.iter().enumerate() {
        let key = |k: &str| format!("slos[{i}].{k}");
        if slo.name.trim().is_empty() {
            return Err((key("name"), "an SLO needs a name".into()));
        }
        if !names.insert(slo.name.as_str()) {
            return Err((
                key("name"),
                format!("an SLO named `{}` already exists", slo.name),
            ));
        }
        if slo.service.trim().is_empty() {
            return Err((key("service"), "name the service the SLO is about".into()));
        }
        Objective::new(slo.objective, window_of(slo.window)).map_err(|e| {
            let field = if slo.objective > 0.0 && slo.objective < 100.0 {
                "window"
            } else {
                "objective"
            };
            (key(field), e.to_string())
        })?;
        prometheus(&slo.source).map_err(|e| (key("source"), e.to_string()))?;
        let queries = match (&slo.errors, &slo.total, &slo.ratio) {
            (Some(e), Some(t), None) => vec![("errors", e), ("total", t)],
            (None, None, Some(r)) => vec![("ratio", r)],
            (Some(_), None, None) => {
                return Err((key("errors"), "give `total` with `errors`".into()));
            }
            (None, Some(_), None) => {
                return Err((key("total"), "give `errors` with `total`".into()));
            }
            (None, None, None) => {
                return Err((
                    key("name"),
                    "give `errors` and `total` queries, or a `ratio` query".into(),
                ));
            }
            _ => {
                return Err((
                    key("ratio"),
                    "give either `ratio` or `errors` and `total`, not both".into(),
                ));
            }
        };
        for (field, query) in queries {
            if !has_placeholder(query) {
                return Err((
                    key(field),
                    "the query has no `{{window}}` placeholder for the window to measure over, \
                     as in rate(x[{{window}}])"
                        .into(),
                ));
            }
        }
    }
    for (i, import) in config.slo_imports.iter().enumerate() {
        let key = |k: &str| format!("slo_imports[{i}].{k}");
        prometheus(&import.source).map_err(|e| (key("source"), e.to_string()))?;
        match (&import.path, import.rules) {
            (Some(_), true) => {
                return Err((
                    key("rules"),
                    "give `path` or `rules = true`, not both".into(),
                ));
            }
            (None, false) => {
                return Err((
                    key("source"),
                    "give `path` (Sloth or OpenSLO files) or `rules = true` (discover Sloth or \
                     Pyrra recording rules)"
                        .into(),
                ));
            }
            _ => {}
        }
        if import.rules && import.window.is_some() {
            return Err((
                key("window"),
                "discovered SLOs take their window from their rules".into(),
            ));
        }
        if let Some(w) = import.window
            && w.0.is_zero()
        {
            return Err((key("window"), "the window must be longer than zero".into()));
        }
    }
    Ok(())
}

/// Where to discover SLOs: Prometheus sources whose rules to read.
pub fn discovery_sources(config: &FileConfig) -> Vec<String> {
    config
        .slo_imports
        .iter()
        .filter(|i| i.rules)
        .map(|i| i.source.clone())
        .collect()
}

/// The SLOs the config defines and imports, and the import files that could not be
/// used, each with why.
#[derive(Debug, Default)]
pub struct Definitions {
    pub slos: Vec<SloDef>,
    /// One per file or path that gave no SLO (file, line, key and why); the SLOs of
    /// the other files are in `slos`.
    pub problems: Vec<ConfigError>,
}

/// Every SLO defined in the config and in the files it imports (discovery is separate:
/// it needs the network). `config_file` locates relative import paths. Each file is
/// read on its own: one that cannot be used is a problem, never the end of the rest.
pub fn definitions(config: &FileConfig, config_file: &Path) -> Result<Definitions, ConfigError> {
    let mut found = Definitions::default();
    for (i, slo) in config.slos.iter().enumerate() {
        found.slos.push(from_config(slo).map_err(|e| ConfigError {
            file: config_file.to_path_buf(),
            line: 0,
            key: format!("slos[{i}].objective"),
            message: e.to_string(),
        })?);
    }
    let mut seen: HashSet<String> = found.slos.iter().map(|d| d.name.clone()).collect();
    let base = config_file.parent().unwrap_or(Path::new("."));
    for import in &config.slo_imports {
        let Some(path) = &import.path else { continue };
        let path = base.join(path);
        let files = match yaml_files(&path, config_file) {
            Ok(files) => files,
            Err(e) => {
                found.problems.push(e);
                continue;
            }
        };
        for file in files {
            let read = std::fs::read_to_string(&file)
                .map_err(|e| ConfigError {
                    file: file.clone(),
                    line: 0,
                    key: String::new(),
                    message: format!("cannot read: {e}"),
                })
                .and_then(|text| {
                    super::import::parse(&file, &text, &import.source, window_of(import.window))
                });
            let defs = match read {
                Ok(defs) => defs,
                Err(e) => {
                    found.problems.push(e);
                    continue;
                }
            };
            for d in defs {
                // The first definition of a name wins; the later one is named.
                if seen.insert(d.name.clone()) {
                    found.slos.push(d);
                } else {
                    found.problems.push(ConfigError {
                        file: file.clone(),
                        line: 0,
                        key: String::new(),
                        message: format!(
                            "an SLO named `{}` is defined already (SLO names must be unique); \
                             this one is left out",
                            d.name
                        ),
                    });
                }
            }
        }
    }
    Ok(found)
}

/// `path` itself, or the `.yml`/`.yaml` files directly in it, sorted.
fn yaml_files(path: &Path, config_file: &Path) -> Result<Vec<PathBuf>, ConfigError> {
    let unreadable = |e: std::io::Error| ConfigError {
        file: config_file.to_path_buf(),
        line: 0,
        key: "slo_imports".into(),
        message: format!("cannot read {}: {e}", path.display()),
    };
    if !path.is_dir() {
        std::fs::metadata(path).map_err(unreadable)?;
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(unreadable)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    files.sort();
    Ok(files)
}

fn from_config(c: &SloConfig) -> Result<SloDef, ObjectiveError> {
    let indicator = match (&c.errors, &c.total, &c.ratio) {
        (Some(errors), Some(total), _) => Indicator::Events {
            errors: errors.clone(),
            total: total.clone(),
        },
        (_, _, ratio) => Indicator::Ratio(ratio.clone().unwrap_or_default()),
    };
    Ok(SloDef {
        name: c.name.clone(),
        service: c.service.clone(),
        objective: Objective::new(c.objective, window_of(c.window))?,
        source: c.source.clone(),
        indicator,
        labels: c.labels.clone(),
        origin: "config".into(),
        alerting: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROM: &str =
        "[[sources]]\nname = \"prom\"\nkind = \"prometheus\"\nurl = \"http://p:9090\"\n\n";

    fn slo(extra: &str) -> String {
        format!(
            "{PROM}[[slos]]\nname = \"checkout\"\nservice = \"checkout\"\nobjective = 99.9\n\
             source = \"prom\"\n{extra}"
        )
    }

    const QUERIES: &str =
        "errors = 'sum(rate(e[{{window}}]))'\ntotal = 'sum(rate(t[{{window}}]))'\n";

    /// The problem on the earliest line, with the SLO tables checked as clops does.
    fn err(text: &str) -> ConfigError {
        let checks = crate::config::Checks {
            whole: &[check_config],
            ..Default::default()
        };
        crate::config::parse_all_with(Path::new("clops.toml"), text, &checks)
            .unwrap_err()
            .0
            .remove(0)
    }

    #[test]
    fn a_defined_slo_reads_with_a_30_day_default_window() {
        let file = crate::config::parse(Path::new("clops.toml"), &slo(QUERIES)).unwrap();
        let defs = definitions(&file, Path::new("clops.toml")).unwrap().slos;
        assert_eq!(defs[0].objective.window(), chrono::Duration::days(30));
        assert_eq!(defs[0].source, "prom");
    }

    #[test]
    fn slo_errors_name_the_line_and_key() {
        let e = err(&slo(&format!("{QUERIES}windw = \"30d\"\n")));
        assert_eq!((e.line, e.key.as_str()), (13, "slos[0].windw"), "{e}");
        let e = err(&slo(QUERIES).replace("99.9", "100.0"));
        assert_eq!((e.line, e.key.as_str()), (9, "slos[0].objective"), "{e}");
        let e = err(&slo(
            "errors = 'sum(rate(e[5m]))'\ntotal = 'sum(rate(t[{{window}}]))'\n",
        ));
        assert_eq!((e.line, e.key.as_str()), (11, "slos[0].errors"), "{e}");
        assert!(e.message.contains("{{window}}"), "{e}");
        let e = err(&slo("errors = 'sum(rate(e[{{window}}]))'\n"));
        assert_eq!((e.line, e.key.as_str()), (11, "slos[0].errors"), "{e}");
        let e = err(&slo(QUERIES).replace("source = \"prom\"", "source = \"nope\""));
        assert_eq!((e.line, e.key.as_str()), (10, "slos[0].source"), "{e}");
        let e = err(&format!(
            "{}{}",
            slo(QUERIES),
            "\n[[slos]]\nname = \"checkout\"\n"
        ));
        assert!(e.message.contains("missing field"), "{e}");
        let text =
            format!("{PROM}[[slo_imports]]\nsource = \"prom\"\npath = \"x.yml\"\nrules = true\n");
        let e = err(&text);
        assert_eq!((e.line, e.key.as_str()), (9, "slo_imports[0].rules"), "{e}");
    }

    #[test]
    fn imported_files_are_read_relative_to_the_config_and_name_their_own_lines() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("clops.toml");
        let text = format!("{PROM}[[slo_imports]]\nsource = \"prom\"\npath = \"sloth.yml\"\n");
        let file = crate::config::parse(&config, &text).unwrap();
        let e = definitions(&file, &config).unwrap().problems.remove(0);
        assert_eq!(e.key, "slo_imports");
        assert!(e.message.contains("sloth.yml"), "{e}");
        std::fs::write(
            dir.path().join("sloth.yml"),
            "version: prometheus/v1\nservice: x\nslos:\n  - name: a\n    objective: lots\n",
        )
        .unwrap();
        let e = definitions(&file, &config).unwrap().problems.remove(0);
        assert!(e.file.ends_with("sloth.yml"), "{e}");
        assert_eq!((e.line, e.key.as_str()), (5, "slos[0].objective"), "{e}");
    }
}
