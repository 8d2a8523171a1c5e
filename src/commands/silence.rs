//! `clops silence add|list|expire`: Alertmanager silences from the shell.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{anyhow, bail};
use chrono::Utc;
use serde_json::json;

use crate::cli::{Format, Global, SilenceCommand};
use crate::config::{SourceKind, parse_duration};
use crate::model::{Matcher, NewSilence, Silence, SilenceState};
use crate::report::{self, timestamp};
use crate::sources::registry::{Configured, build_sources};

use super::{
    Outcome, Settings, fail_if_all_failed, init_logging, partial_exit, refuse_if_read_only, runtime,
};

pub fn run(global: &Global, command: SilenceCommand) -> Outcome {
    let settings = Settings::resolve(global, true)?;
    init_logging(&settings);
    let sources = silence_sources(&settings);
    if sources.is_empty() {
        bail!(
            "no Alertmanager source is configured in {}",
            settings.dirs.config_file.display()
        );
    }
    match command {
        SilenceCommand::Add {
            source,
            matchers,
            duration,
            comment,
        } => {
            refuse_if_read_only(&settings, "create a silence")?;
            let matchers = parse_matchers(&matchers)?;
            let duration = parse_duration(&duration).map_err(|e| anyhow!("--duration: {e}"))?;
            if duration.is_zero() {
                bail!("--duration: a silence must last longer than zero");
            }
            if comment.trim().is_empty() {
                bail!("--comment: say why, for whoever finds this silence later");
            }
            let target = pick(&sources, source.as_deref())?;
            let silence = NewSilence::lasting(
                matchers,
                chrono::Duration::from_std(duration)?,
                &crate::author::author(),
                &comment,
                Utc::now(),
            );
            let silencer = target
                .source
                .silencer()
                .expect("only silencing sources are picked");
            let id = runtime()?.block_on(silencer.create(silence))?;
            println!("{id}");
            Ok(ExitCode::SUCCESS)
        }
        SilenceCommand::List { output } => {
            let set = runtime()?.block_on(report::fetch_all(&sources));
            let statuses = set.statuses();
            fail_if_all_failed(&statuses)?;
            let mut silences: Vec<&Silence> = set.snapshots().flat_map(|s| &s.silences).collect();
            silences.sort_by(|a, b| a.state.cmp(&b.state).then(b.ends_at.cmp(&a.ends_at)));
            let mut out = std::io::stdout().lock();
            match output {
                Format::Json => {
                    serde_json::to_writer_pretty(&mut out, &silences_json(&silences))?;
                    writeln!(out)?;
                }
                Format::Table => out.write_all(silences_table(&silences).as_bytes())?,
            }
            out.flush()?;
            Ok(partial_exit(&statuses))
        }
        SilenceCommand::Expire { id, source } => {
            refuse_if_read_only(&settings, "expire a silence")?;
            let candidates: Vec<&Configured> = match &source {
                Some(_) => vec![pick(&sources, source.as_deref())?],
                None => sources.iter().collect(),
            };
            let rt = runtime()?;
            let mut errors = Vec::new();
            for c in candidates {
                let silencer = c
                    .source
                    .silencer()
                    .expect("only silencing sources are picked");
                match rt.block_on(silencer.expire(&id)) {
                    Ok(()) => {
                        println!("expired {id} in {}", c.source.name());
                        return Ok(ExitCode::SUCCESS);
                    }
                    Err(e) => errors.push(format!("{}: {e}", c.source.name())),
                }
            }
            bail!("cannot expire silence {id}: {}", errors.join("; "))
        }
    }
}

/// The configured Alertmanager sources (the only ones whose silences outlive clops).
fn silence_sources(settings: &Settings) -> Vec<Configured> {
    let configs: Vec<_> = settings
        .file
        .sources
        .iter()
        .filter(|c| c.kind == SourceKind::Alertmanager)
        .cloned()
        .collect();
    build_sources(&configs, std::sync::Arc::new(crate::secrets::OsKeyring))
}

fn parse_matchers(args: &[String]) -> anyhow::Result<Vec<Matcher>> {
    let mut out = Vec::new();
    for a in args {
        out.extend(Matcher::parse_list(a).map_err(|e| anyhow!("--matcher: {e}"))?);
    }
    if out.is_empty() {
        bail!("--matcher: give at least one, like alertname=HighErrorRate");
    }
    Ok(out)
}

fn pick<'a>(sources: &'a [Configured], name: Option<&str>) -> anyhow::Result<&'a Configured> {
    let names = || {
        sources
            .iter()
            .map(|c| c.source.name().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match name {
        Some(n) => sources
            .iter()
            .find(|c| c.source.name() == n)
            .ok_or_else(|| {
                anyhow!(
                    "--source: no Alertmanager source named `{n}` (configured: {})",
                    names()
                )
            }),
        None if sources.len() == 1 => Ok(&sources[0]),
        None => bail!("--source: which one? configured: {}", names()),
    }
}

fn silences_json(silences: &[&Silence]) -> serde_json::Value {
    json!({
        "silences": silences.iter().map(|s| json!({
            "id": s.id,
            "source": s.source,
            "state": s.state.as_str(),
            "matchers": s.matchers.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "starts_at": timestamp(s.starts_at),
            "ends_at": timestamp(s.ends_at),
            "created_by": s.created_by,
            "comment": s.comment,
            "ack": s.is_ack(),
        })).collect::<Vec<_>>()
    })
}

fn silences_table(silences: &[&Silence]) -> String {
    let now = Utc::now();
    let mut out = format!(
        "{:<36}  {:<8}  {:<10}  {:<20}  {}\n",
        "ID", "STATE", "ENDS IN", "CREATED BY", "MATCHERS · COMMENT"
    );
    for s in silences {
        let ends = if s.state == SilenceState::Expired {
            "-".to_string()
        } else {
            crate::format::age(s.ends_at, now)
        };
        let matchers: Vec<String> = s.matchers.iter().map(ToString::to_string).collect();
        out.push_str(&format!(
            "{:<36}  {:<8}  {:<10}  {:<20}  {} · {}\n",
            s.id,
            s.state.as_str(),
            ends,
            s.created_by,
            matchers.join(","),
            s.comment
        ));
    }
    out
}
