//! Reading a runbook: TOML front matter between `+++` lines, then Markdown where each
//! `##` heading is a step. A step with a `sh` block can run; one with `- [ ]` items is
//! a checklist ticked by hand.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::config::{ConfigError, DurationValue, parse_toml};
use crate::model::Matcher;
use crate::text::time;

use super::{Runbook, Step};

/// The front matter's keys.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    /// `{ alertname = "X", severity = ["critical", "page"] }` or
    /// `["alertname=~Postgres.*", "env!=dev"]`.
    #[serde(default, rename = "match")]
    matches: Option<MatchSpec>,
    timeout: Option<DurationValue>,
    /// Names passed through from the caller's environment to every step.
    #[serde(default)]
    env: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum MatchSpec {
    Labels(BTreeMap<String, OneOrMany>),
    Matchers(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// Languages whose fenced blocks are run by `sh -c`.
const SHELLS: [&str; 3] = ["sh", "bash", "shell"];

/// Parses runbook `text` read from `path`; `name` is its file stem.
pub fn parse(path: &Path, name: &str, text: &str) -> Result<Runbook, ConfigError> {
    let error = |line: usize, key: &str, message: String| ConfigError {
        file: path.to_path_buf(),
        line,
        key: key.to_string(),
        message,
    };
    let lines: Vec<&str> = text.lines().collect();
    if lines.first().map(|l| l.trim_end()) != Some("+++") {
        return Err(error(
            1,
            "",
            "a runbook starts with TOML front matter between `+++` lines (title, match)".into(),
        ));
    }
    let close = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == "+++")
        .map(|i| i + 1)
        .ok_or_else(|| error(1, "", "the front matter's closing `+++` is missing".into()))?;
    let front_text = lines[1..close].join("\n");
    // Lines in the front matter are one below their place in the file.
    let (front, _): (FrontMatter, _) =
        parse_toml(path, &front_text).map_err(|mut e: ConfigError| {
            e.line += 1;
            e
        })?;
    let front_line = |key: &str| {
        lines[1..close]
            .iter()
            .position(|l| l.trim_start().starts_with(key))
            .map(|i| i + 2)
            .unwrap_or(1)
    };
    let matchers = match front.matches {
        None => Vec::new(),
        Some(MatchSpec::Labels(map)) => map
            .into_iter()
            .map(|(name, values)| {
                let values = match values {
                    OneOrMany::One(v) => vec![v],
                    OneOrMany::Many(v) => v,
                };
                Matcher::any_of(&name, &values)
            })
            .collect::<Result<_, _>>()
            .map_err(|e| error(front_line("match"), "match", e.to_string()))?,
        Some(MatchSpec::Matchers(list)) => list
            .iter()
            .map(|m| Matcher::parse(m).map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()
            .map_err(|e| error(front_line("match"), "match", e))?,
    };
    let env = front
        .env
        .iter()
        .map(|name| passable(name).map(|()| name.clone()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| error(front_line("env"), "env", e.to_string()))?;
    let body_start = close + 1;
    let (intro, steps) = steps(&lines[body_start..], body_start, &error)?;
    Ok(Runbook {
        name: name.to_string(),
        title: front.title,
        matchers,
        timeout: front.timeout.map(|d| d.0),
        intro,
        steps,
        path: path.to_path_buf(),
        remote: None,
        dir: None,
        env,
    })
}

/// Why a name in the front matter's `env` cannot pass into steps.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvNameError {
    #[error("`{0}` is not an environment variable name (letters, digits and _)")]
    NotAName(String),
    #[error("`{0}` holds a source's token: tokens never reach runbook steps")]
    Token(String),
    #[error("`{0}` is set by clops for every step; it cannot come from your environment")]
    SetByClops(String),
}

/// Whether the runbook may declare `name` in `env`: an environment name, and none that
/// holds a token or that clops sets itself.
fn passable(name: &str) -> Result<(), EnvNameError> {
    // Environment names follow the rule of label names.
    if !crate::model::matcher::is_label_name(name) {
        return Err(EnvNameError::NotAName(name.to_string()));
    }
    let upper = name.to_ascii_uppercase();
    if upper.starts_with("CLOPS_TOKEN_") {
        return Err(EnvNameError::Token(name.to_string()));
    }
    if upper.starts_with("CLOPS_LABEL_")
        || upper == "CLOPS_INCIDENT"
        || upper == "CLOPS_RUNBOOK_DIR"
    {
        return Err(EnvNameError::SetByClops(name.to_string()));
    }
    Ok(())
}

type ErrorAt<'a> = dyn Fn(usize, &str, String) -> ConfigError + 'a;

/// Splits the body into the text before the first step and the steps. `offset` is the
/// 0-based line of `body[0]` in the file.
fn steps(
    body: &[&str],
    offset: usize,
    error: &ErrorAt<'_>,
) -> Result<(String, Vec<Step>), ConfigError> {
    let mut intro = Vec::new();
    let mut steps: Vec<Step> = Vec::new();
    // (fence marker, language, first line of the block, lines so far)
    let mut fence: Option<(String, String, usize, Vec<String>)> = None;
    for (i, raw) in body.iter().enumerate() {
        let line_no = offset + i + 1;
        let trimmed = raw.trim_start();
        if let Some((marker, lang, start, mut block)) = fence.take() {
            if trimmed.starts_with(marker.as_str()) && trimmed.trim_end() == marker {
                let Some(step) = steps.last_mut() else {
                    continue;
                };
                if let Some(timeout) = lang
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix("timeout="))
                {
                    step.timeout = Some(
                        time::parse(timeout).map_err(|e| error(start, "timeout", e.to_string()))?,
                    );
                }
                if SHELLS.contains(&lang.split_whitespace().next().unwrap_or("")) {
                    if step.command.is_some() {
                        return Err(error(
                            start,
                            "",
                            format!(
                                "step \"{}\" has a second shell block; make it a step of its own",
                                step.title
                            ),
                        ));
                    }
                    step.command = Some(block.join("\n"));
                } else {
                    step.text.push(format!("{marker}{lang}"));
                    step.text.append(&mut block);
                    step.text.push(marker);
                }
            } else {
                block.push(raw.to_string());
                fence = Some((marker, lang, start, block));
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker: String = trimmed
                .chars()
                .take_while(|c| *c == '`' || *c == '~')
                .collect();
            let lang = trimmed[marker.len()..].trim().to_string();
            fence = Some((marker, lang, line_no, Vec::new()));
            continue;
        }
        if let Some(title) = raw.strip_prefix("## ") {
            steps.push(Step {
                title: title.trim().to_string(),
                ..Step::default()
            });
            continue;
        }
        let Some(step) = steps.last_mut() else {
            intro.push(raw.to_string());
            continue;
        };
        let item = trimmed
            .strip_prefix("- [ ] ")
            .or_else(|| trimmed.strip_prefix("- [x] "))
            .or_else(|| trimmed.strip_prefix("- [X] "));
        match item {
            Some(item) => step.checklist.push(item.trim().to_string()),
            None => step.text.push(raw.to_string()),
        }
    }
    if let Some((_, _, start, _)) = fence {
        return Err(error(start, "", "this code block is never closed".into()));
    }
    for step in &mut steps {
        trim_blank(&mut step.text);
    }
    trim_blank(&mut intro);
    Ok((intro.join("\n"), steps))
}

fn trim_blank(lines: &mut Vec<String>) {
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let lead = lines.iter().take_while(|l| l.trim().is_empty()).count();
    lines.drain(..lead);
}

/// The timeout of a step when neither it nor its runbook sets one.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5 * 60);
