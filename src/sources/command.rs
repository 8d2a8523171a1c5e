//! `kind = "command"`: any command that prints deploys, one JSON object a line:
//!
//! ```json
//! {"service": "checkout", "version": "v2.8.0", "at": "2026-11-21T19:52:00Z",
//!  "status": "success", "url": "https://ci.example/run/1", "environment": "prod-eu"}
//! ```
//!
//! `service`, `version` and `at` (RFC 3339, with its offset) are needed; `status`
//! (`success` when left out), `url`, `environment` and `author` are optional. The
//! command runs with `sh -c` as the leader of its own process group, killed with
//! everything it started when `timeout` passes; it is told how far back to look in
//! `CLOPS_DEPLOYS_SINCE` (RFC 3339). A line that cannot be read is reported by its
//! number; the good lines still count.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::model::Deploy;
use crate::process::{self, Ending, StepCommand, Stream};
use crate::text::time::Timestamp;

use super::deploys::{field, link, newest_first, since};
use super::{BoxFuture, Snapshot, Source, SourceError};

/// Lines read at most; a command printing more is cut off there, and says so.
const MAX_LINES: usize = 100_000;

/// How many unreadable lines a report names before it only counts them.
const NAMED_BAD_LINES: usize = 3;

/// A command that prints deploys.
pub struct CommandSource {
    name: String,
    command: String,
    timeout: Duration,
    history: Duration,
    environment: Option<String>,
}

impl CommandSource {
    /// Runs `command` for at most `timeout`, reading deploys as far back as `history`;
    /// `environment` is where deploys that do not say went.
    pub fn new(
        name: &str,
        command: String,
        timeout: Duration,
        history: Duration,
        environment: Option<String>,
    ) -> CommandSource {
        CommandSource {
            name: name.to_string(),
            command,
            timeout,
            history,
            environment,
        }
    }
}

/// Sets the flag when dropped: a poll given up on (its future dropped) stops the
/// command rather than leaving it to run.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// What a run printed and how it ended.
struct Run {
    ending: Ending,
    stdout: Vec<String>,
    cut: bool,
    last_stderr: Option<String>,
}

fn run(step: StepCommand, cancel: Arc<AtomicBool>) -> Run {
    let mut stdout = Vec::new();
    let mut cut = false;
    let mut last_stderr = None;
    let finished = process::run(&step, &cancel, |stream, line| match stream {
        Stream::Stdout if stdout.len() < MAX_LINES => stdout.push(line.to_string()),
        Stream::Stdout => cut = true,
        Stream::Stderr if !line.trim().is_empty() => last_stderr = Some(line.to_string()),
        Stream::Stderr => {}
    });
    Run {
        ending: finished.ending,
        stdout,
        cut,
        last_stderr,
    }
}

impl Source for CommandSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> &str {
        "command"
    }

    fn fetch(&self) -> BoxFuture<'_, Result<Snapshot, SourceError>> {
        Box::pin(async move {
            let now = Utc::now();
            let from = since(now, self.history);
            let step = StepCommand {
                command: self.command.clone(),
                env: vec![
                    (
                        "CLOPS_DEPLOYS_SINCE".into(),
                        Timestamp::Rfc3339Secs.format(from),
                    ),
                    ("CLOPS_SOURCE".into(), self.name.clone()),
                ],
                timeout: self.timeout,
                runbook_dir: None,
                inherit: process::Inherit::Everything,
            };
            let cancel = Arc::new(AtomicBool::new(false));
            let _guard = CancelOnDrop(cancel.clone());
            let done = tokio::task::spawn_blocking(move || run(step, cancel))
                .await
                .map_err(|_| SourceError::Other("the command's runner stopped".into()))?;
            let why = |what: String| {
                let said = done
                    .last_stderr
                    .as_deref()
                    .map(|l| format!(": {}", crate::text::fit(l, 200)))
                    .unwrap_or_default();
                SourceError::Other(format!("the command {what}{said}"))
            };
            match done.ending {
                Ending::Exited(0) => {}
                Ending::Exited(code) => return Err(why(format!("exited with status {code}"))),
                Ending::Signalled(sig) => return Err(why(format!("was killed by signal {sig}"))),
                Ending::TimedOut => return Err(SourceError::Timeout(self.timeout)),
                Ending::Cancelled => {
                    return Err(SourceError::Other("the command was stopped".into()));
                }
                Ending::NotStarted(e) => {
                    return Err(SourceError::Other(format!("cannot start sh: {e}")));
                }
            }
            let read = read_lines(&done.stdout, &self.name, self.environment.as_deref());
            let mut deploys: Vec<Deploy> =
                read.deploys.into_iter().filter(|d| d.at >= from).collect();
            newest_first(&mut deploys);
            let mut partial_errors = Vec::new();
            if !read.bad.is_empty() {
                partial_errors.push(describe_bad(&read.bad, read.lines));
            }
            if done.cut {
                partial_errors.push(format!(
                    "the command printed more than {MAX_LINES} lines; the rest were ignored"
                ));
            }
            Ok(Snapshot {
                taken_at: now,
                deploys,
                partial_errors,
                ..Snapshot::default()
            })
        })
    }
}

/// Deploys read from the command's output, and the lines that could not be.
#[derive(Debug, Default)]
pub struct Read {
    pub deploys: Vec<Deploy>,
    /// (1-based line number, why).
    pub bad: Vec<(usize, BadLine)>,
    /// Lines that were not blank.
    pub lines: usize,
}

/// Reads JSON lines into deploys of `source`. Blank lines are skipped.
pub fn read_lines(lines: &[String], source: &str, environment: Option<&str>) -> Read {
    let mut read = Read::default();
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        read.lines += 1;
        match deploy_of(line, source, environment) {
            Ok(d) => read.deploys.push(d),
            Err(why) => read.bad.push((i + 1, why)),
        }
    }
    read
}

fn describe_bad(bad: &[(usize, BadLine)], lines: usize) -> String {
    let named: Vec<String> = bad
        .iter()
        .take(NAMED_BAD_LINES)
        .map(|(n, why)| format!("line {n}: {why}"))
        .collect();
    let more = bad.len().saturating_sub(NAMED_BAD_LINES);
    format!(
        "{} of {lines} line(s) unreadable: {}{}",
        bad.len(),
        named.join("; "),
        if more > 0 {
            format!("; and {more} more")
        } else {
            String::new()
        }
    )
}

/// Why a line of the command's output is not a deploy. It never quotes the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadLine {
    #[error("the JSON ends early")]
    EndsEarly,
    #[error("not JSON (column {column})")]
    NotJson { column: usize },
    #[error("not a JSON object")]
    NotAnObject,
    #[error("`{key}` is missing")]
    Missing { key: &'static str },
    #[error("`{key}` is empty")]
    Empty { key: &'static str },
    #[error("`{key}` is not a string")]
    NotText { key: &'static str },
    #[error("`at` is not an RFC 3339 time with an offset (like 2026-11-21T19:52:00Z)")]
    NotATime,
}

/// One line as a deploy; the error says what is wrong without quoting the line.
fn deploy_of(line: &str, source: &str, environment: Option<&str>) -> Result<Deploy, BadLine> {
    let v: Value = serde_json::from_str(line).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Eof => BadLine::EndsEarly,
            _ => BadLine::NotJson { column: e.column() },
        }
    })?;
    let Value::Object(o) = v else {
        return Err(BadLine::NotAnObject);
    };
    let text = |key: &'static str, needed: bool| -> Result<Option<String>, BadLine> {
        match o.get(key) {
            None | Some(Value::Null) if needed => Err(BadLine::Missing { key }),
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if needed && s.trim().is_empty() => Err(BadLine::Empty { key }),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) if key == "version" => Ok(Some(n.to_string())),
            Some(_) => Err(BadLine::NotText { key }),
        }
    };
    let service = text("service", true)?.unwrap_or_default();
    let version = text("version", true)?.unwrap_or_default();
    let at_text = text("at", true)?.unwrap_or_default();
    let at: DateTime<Utc> = DateTime::parse_from_rfc3339(at_text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| BadLine::NotATime)?;
    let status = text("status", false)?;
    let url = text("url", false)?;
    let env = text("environment", false)?;
    let author = text("author", false)?;
    Ok(Deploy {
        service: field(&service, 120),
        version: field(&version, 120),
        at,
        source: source.to_string(),
        status: status
            .map(|s| field(&s, 40))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "success".into()),
        url: link(url.as_deref()),
        clusters: Vec::new(),
        environment: env
            .as_deref()
            .or(environment)
            .map(|e| field(e, 80))
            .filter(|e| !e.is_empty()),
        author: author.map(|a| field(&a, 80)).filter(|a| !a.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(String::from).collect()
    }

    #[test]
    fn good_lines_become_deploys_and_bad_ones_are_named_by_number() {
        let out = lines(concat!(
            r#"{"service":"checkout","version":"v2.8.0","at":"2026-11-21T19:52:00Z","status":"success","url":"https://ci.example/1","environment":"prod-eu"}"#,
            "\n\n",
            "oops, a stray log line\n",
            r#"{"service":"payments","version":"v1.4.2","at":"2026-11-21T20:52:00+01:00"}"#,
            "\n",
            r#"{"service":"search","at":"2026-11-21T19:00:00Z"}"#,
            "\n",
            r#"{"service":"auth","version":"v3","at":"yesterday"}"#,
        ));
        let read = read_lines(&out, "ci", None);
        assert_eq!(read.deploys.len(), 2);
        assert_eq!(read.deploys[0].service, "checkout");
        assert_eq!(read.deploys[0].environment.as_deref(), Some("prod-eu"));
        assert_eq!(
            read.deploys[1].status, "success",
            "status defaults to success"
        );
        assert_eq!(read.deploys[1].at.to_rfc3339(), "2026-11-21T19:52:00+00:00");
        let numbers: Vec<usize> = read.bad.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, [3, 5, 6]);
        assert!(
            read.bad[1].1.to_string().contains("`version` is missing"),
            "{:?}",
            read.bad
        );
        assert!(
            read.bad[2].1.to_string().contains("RFC 3339"),
            "{:?}",
            read.bad
        );
        let said = describe_bad(&read.bad, read.lines);
        assert!(
            said.starts_with("3 of 5 line(s) unreadable: line 3: not JSON"),
            "{said}"
        );
        assert!(
            !said.contains("stray"),
            "the line itself is not quoted: {said}"
        );
    }

    #[test]
    fn outside_text_is_cleaned() {
        let out = lines(
            r#"{"service":"check\u001b[31mout","version":"v1","at":"2026-11-21T19:52:00Z","url":"javascript:alert(1)","author":"mallory\u0007"}"#,
        );
        let d = &read_lines(&out, "ci", Some("prod")).deploys[0];
        assert_eq!(d.service, "checkout");
        assert_eq!(d.url, None);
        assert_eq!(d.author.as_deref(), Some("mallory"));
        assert_eq!(
            d.environment.as_deref(),
            Some("prod"),
            "the source's environment fills in"
        );
    }
}
