//! `clops silence add|list|expire`: Alertmanager silences from the shell.

use std::process::ExitCode;

use anyhow::{anyhow, bail};
use chrono::Utc;

use crate::cli::{Format, Global, SilenceCommand};
use crate::config::SourceKind;
use crate::model::{Alert, Matcher, NewSilence, Silence, SilenceState};
use crate::output::{CreatedSilence, DryRun, SilenceList, print_json};
use crate::report;
use crate::sources::registry::{Configured, build_sources};
use crate::text::clean_line;
use crate::text::time::{self, Style, Timestamp};
use unicode_width::UnicodeWidthStr;

use super::{
    EXIT_PARTIAL, Outcome, Settings, UsageError, fail_if_all_failed, init_logging, partial_exit,
    print_text, refuse_if_read_only, runtime,
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
            dry_run,
            output,
        } => {
            if !dry_run {
                refuse_if_read_only(&settings, "create a silence")?;
            }
            let matchers = parse_matchers(&matchers)?;
            let duration = time::parse(&duration).map_err(|e| anyhow!("--duration: {e}"))?;
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
            let rt = runtime()?;
            if dry_run {
                let set = rt.block_on(report::fetch_all(std::slice::from_ref(target)));
                let statuses = set.statuses();
                fail_if_all_failed(&statuses)?;
                let alerts = covered(&set, &silence.matchers);
                let plan = Plan {
                    source: target.source.name(),
                    silence: &silence,
                    alerts: &alerts,
                    service_label: &settings.file.triage.service_label,
                };
                match output {
                    Format::Json => {
                        print_json(&DryRun::new(plan.source, plan.silence, plan.alerts))?
                    }
                    Format::Table => print_text(&plan.table())?,
                }
                return Ok(partial_exit(&statuses));
            }
            let silencer = target
                .source
                .silencer()
                .expect("only silencing sources are picked");
            let created = rt.block_on(silencer.create(silence.clone()))?;
            match output {
                Format::Json => print_json(&CreatedSilence::new(
                    &created.id,
                    target.source.name(),
                    &silence,
                    &created.unchecked,
                ))?,
                Format::Table => println!("{}", created.id),
            }
            Ok(unchecked_exit(target.source.name(), &created.unchecked))
        }
        SilenceCommand::Extend {
            id,
            duration,
            source,
        } => {
            refuse_if_read_only(&settings, "extend a silence")?;
            let by = time::parse(&duration).map_err(|e| anyhow!("DUR: {e}"))?;
            if by.is_zero() {
                bail!("DUR: extend by more than zero");
            }
            let by = chrono::Duration::from_std(by)?;
            let rt = runtime()?;
            let (c, extended) = in_whichever(&sources, source.as_deref(), |s| {
                rt.block_on(s.extend(&id, by))
            })
            .map_err(|e| anyhow!("cannot extend silence {}: {e}", clean_line(&id)))?;
            let now_id = &extended.created.id;
            let renamed = if *now_id == clean_line(&id) {
                String::new()
            } else {
                format!(" (Alertmanager gave it the new id {now_id})")
            };
            println!(
                "extended {} in {}: ends {} (was {}){renamed}",
                clean_line(&id),
                c.source.name(),
                Timestamp::Rfc3339.format(extended.until),
                Timestamp::Rfc3339.format(extended.was_until),
            );
            Ok(unchecked_exit(c.source.name(), &extended.created.unchecked))
        }
        SilenceCommand::List { output } => {
            let set = runtime()?.block_on(report::fetch_all(&sources));
            let statuses = set.statuses();
            fail_if_all_failed(&statuses)?;
            let mut silences: Vec<&Silence> = set.snapshots().flat_map(|s| &s.silences).collect();
            silences.sort_by(|a, b| a.state.cmp(&b.state).then(b.ends_at.cmp(&a.ends_at)));
            match output {
                Format::Json => print_json(&SilenceList::new(&silences))?,
                Format::Table => print_text(&silences_table(&silences))?,
            }
            Ok(partial_exit(&statuses))
        }
        SilenceCommand::Expire { id, source } => {
            refuse_if_read_only(&settings, "expire a silence")?;
            let rt = runtime()?;
            let (c, ()) = in_whichever(&sources, source.as_deref(), |s| rt.block_on(s.expire(&id)))
                .map_err(|e| anyhow!("cannot expire silence {}: {e}", clean_line(&id)))?;
            println!("expired {} in {}", clean_line(&id), c.source.name());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Does `act` on the silence in the source named, or in each configured source until
/// one has it: the source that did, and what it answered; otherwise every source's
/// reason, in one line.
fn in_whichever<'a, T>(
    sources: &'a [Configured],
    name: Option<&str>,
    act: impl Fn(&dyn crate::sources::Silencer) -> Result<T, crate::sources::SourceError>,
) -> anyhow::Result<(&'a Configured, T)> {
    let candidates: Vec<&Configured> = match name {
        Some(_) => vec![pick(sources, name)?],
        None => sources.iter().collect(),
    };
    let mut errors = Vec::new();
    for c in candidates {
        let silencer = c
            .source
            .silencer()
            .expect("only silencing sources are picked");
        match act(silencer) {
            Ok(done) => return Ok((c, done)),
            Err(e) => errors.push(format!("{}: {e}", c.source.name())),
        }
    }
    bail!("{}", errors.join("; "))
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

/// Peers that could not be asked to read a silence back: said on stderr, and the
/// answer is partial.
fn unchecked_exit(source: &str, unchecked: &[String]) -> ExitCode {
    for u in unchecked {
        eprintln!("clops: warning: {source}: {u}; it gets the silence when it rejoins");
    }
    if unchecked.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_PARTIAL)
    }
}

/// The alerts of `set` that `matchers` cover, once each (HA copies are one alert).
fn covered<'a>(set: &'a crate::sources::SourceSet, matchers: &[Matcher]) -> Vec<&'a Alert> {
    let mut alerts =
        crate::model::silence::covered(matchers, set.snapshots().flat_map(|s| s.alerts.iter()));
    alerts.sort_by(|a, b| {
        a.name()
            .cmp(b.name())
            .then(a.fingerprint.cmp(&b.fingerprint))
    });
    alerts
}

/// What `silence add --dry-run` shows: the silence as it would be stored and what it
/// covers now.
struct Plan<'a> {
    source: &'a str,
    silence: &'a NewSilence,
    alerts: &'a [&'a Alert],
    service_label: &'a str,
}

impl Plan<'_> {
    fn table(&self) -> String {
        let mut out = format!(
            "Dry run: nothing was created.\nWould silence in {} until {}, as {}: “{}”\nMatchers, as Alertmanager will store them:\n",
            self.source,
            Timestamp::Rfc3339.format(self.silence.ends_at),
            self.silence.created_by,
            self.silence.comment
        );
        for m in &self.silence.matchers {
            out.push_str(&format!("  {}\n", clean_line(&m.to_string())));
        }
        if self.alerts.is_empty() {
            out.push_str("It covers no alert now.\n");
            return out;
        }
        out.push_str(&format!(
            "It covers {} now:\n",
            crate::text::plural(self.alerts.len(), "alert")
        ));
        let cell = |s: &str| clean_line(s);
        let rows: Vec<[String; 5]> = self
            .alerts
            .iter()
            .map(|a| {
                [
                    a.fingerprint.to_string(),
                    cell(a.name()),
                    cell(a.label(self.service_label)),
                    cell(a.label("cluster")),
                    a.state.as_str().to_string(),
                ]
            })
            .collect();
        let head = ["FINGERPRINT", "ALERT", "SERVICE", "CLUSTER", "STATE"];
        let widths: Vec<usize> = (0..5)
            .map(|i| {
                rows.iter()
                    .map(|r| r[i].width())
                    .chain([head[i].len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in std::iter::once(head.map(String::from)).chain(rows) {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(c, w)| crate::text::pad(c, *w))
                .collect();
            out.push_str(&format!("  {}\n", cells.join("  ").trim_end()));
        }
        out
    }
}

fn parse_matchers(args: &[String]) -> anyhow::Result<Vec<Matcher>> {
    let mut out = Vec::new();
    for a in args {
        out.extend(Matcher::parse_list(a).map_err(|e| UsageError(format!("--matcher: {e}")))?);
    }
    if out.is_empty() {
        return Err(UsageError(
            "--matcher: give at least one, like alertname=HighErrorRate".into(),
        )
        .into());
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
            Style::Age.format(s.ends_at - now)
        };
        let matchers: Vec<String> = s
            .matchers
            .iter()
            .map(|m| clean_line(&m.to_string()))
            .collect();
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
