//! `clops incident …`: declare, run and close incidents from the shell.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
use chrono::{DateTime, Utc};

use crate::cli::{
    ActionType, ExportFormat, Format, Global, IncidentCommand, IncidentSeverity, IncidentStatus,
};
use crate::incident::{Declaration, Store, export, open_store, stats};
use crate::model::incident::{ActionKind, AttachedAlert, Change, Event, Incident, Sev, Status};
use crate::output::{IncidentList, Timeline, json_text};
use crate::text::time::{self, Style, Timestamp};

use super::{Outcome, Settings, init_logging, refuse_if_read_only};

pub fn run(global: &Global, command: IncidentCommand) -> Outcome {
    let settings = Settings::resolve(global, true)?;
    init_logging(&settings);
    let store = open_store(&settings.file.incident, &settings.dirs.data_dir)?;
    let author = crate::author::author();
    let now = Utc::now();
    let change = |what: &str| refuse_if_read_only(&settings, what);
    match command {
        IncidentCommand::Declare {
            title,
            severity,
            commander,
            started,
        } => {
            change("declare an incident")?;
            if title.trim().is_empty() {
                bail!("--title: say what is happening, in a few words");
            }
            let started = started
                .map(|w| moment(&w, now))
                .transpose()
                .map_err(|e| anyhow!("--started: {e}"))?;
            let id = store.declare(
                Declaration {
                    title: title.trim().to_string(),
                    severity: sev(severity),
                    commander: commander.unwrap_or_else(|| author.clone()),
                    services: Vec::new(),
                    alerts: Vec::new(),
                    group: None,
                    started,
                },
                &author,
                now,
            )?;
            println!("{id}");
        }
        IncidentCommand::List { output } => {
            let incidents = store.incidents()?;
            print(&match output {
                Format::Json => json_text(&IncidentList::new(&incidents))?,
                Format::Table => list_table(&incidents, now),
            })?;
        }
        IncidentCommand::Show { id, output } => {
            let (incident, events) = store.timeline(&id)?;
            print(&match output {
                Format::Json => json_text(&Timeline::new(&incident, &events))?,
                Format::Table => show_text(&incident, &events, now),
            })?;
        }
        IncidentCommand::Note { id, text } => {
            change("add a note")?;
            if text.trim().is_empty() {
                bail!("the note is empty");
            }
            record(&*store, &id, Change::Note { text }, &author)?;
        }
        IncidentCommand::Status { id, status } => {
            change("change the status")?;
            let incident = store.incident(&id)?;
            let to = self::status(status);
            if incident.status == to {
                eprintln!("clops: {id} is already {to}; nothing recorded");
            } else {
                let from = incident.status;
                record(&*store, &id, Change::StatusChanged { from, to }, &author)?;
            }
        }
        IncidentCommand::Assign { id, role, who } => {
            change("assign a role")?;
            let roles = &settings.file.incident.roles;
            if !roles.contains(&role) {
                bail!("unknown role `{role}` (roles: {})", roles.join(", "));
            }
            if who.trim().is_empty() {
                bail!("say who takes the role");
            }
            let who = who.trim().to_string();
            record(&*store, &id, Change::RoleAssigned { role, who }, &author)?;
        }
        IncidentCommand::Attach { id, alert } => {
            change("attach an alert")?;
            let fingerprint = alert.trim().to_string();
            if fingerprint.is_empty() || fingerprint.contains(char::is_whitespace) {
                bail!("--alert: give the alert's fingerprint (shown by `clops alerts -o json`)");
            }
            store.incident(&id)?;
            let found = find_alert(&settings, &fingerprint);
            let alert = found.unwrap_or_else(|why| {
                eprintln!("clops: {why}; recorded by fingerprint only");
                AttachedAlert {
                    fingerprint,
                    ..AttachedAlert::default()
                }
            });
            let alerts = vec![alert];
            record(
                &*store,
                &id,
                Change::AlertAttached {
                    alerts,
                    group: None,
                },
                &author,
            )?;
        }
        IncidentCommand::Action {
            id,
            text,
            owner,
            kind,
        } => {
            change("record an action item")?;
            if text.trim().is_empty() {
                bail!("the action item is empty");
            }
            let change = Change::ActionItem {
                text: text.trim().to_string(),
                owner: owner.filter(|o| !o.trim().is_empty()),
                kind: action(kind),
            };
            record(&*store, &id, change, &author)?;
        }
        IncidentCommand::Export { id, format, output } => {
            let (incident, events) = store.timeline(&id)?;
            let (text, word) = match format {
                ExportFormat::Md => (export::markdown(&incident, &events, now), "md"),
                ExportFormat::Json => (json_text(&Timeline::new(&incident, &events))?, "json"),
            };
            match &output {
                Some(path) => write_file(path, &text)?,
                None => print(&text)?,
            }
            // Exporting is part of the record; a read-only console still exports, but
            // leaves no trace.
            if !settings.read_only {
                let change = Change::Exported {
                    format: word.to_string(),
                };
                store.append(&id, change, &author, now)?;
            }
            if let Some(path) = output {
                eprintln!("clops: wrote {}", path.display());
            }
        }
        IncidentCommand::Stats { since, output } => {
            let back = time::parse(&since).map_err(|e| anyhow!("--since: {e}"))?;
            let since = now - chrono::Duration::from_std(back).context("--since: too long")?;
            let summary = stats::summarize(&store.incidents()?, since);
            match output {
                Format::Table => print(&stats::table(&summary))?,
                Format::Json => print(&json_text(&summary)?)?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Appends and says what was recorded, so the shell shows the timeline growing.
fn record(store: &dyn Store, id: &str, change: Change, author: &str) -> anyhow::Result<()> {
    let e = store.append(id, change, author, Utc::now())?;
    println!("{id} #{} {}", e.seq, e.change.describe());
    Ok(())
}

/// The alert as the configured sources report it now, to remember more than its
/// fingerprint.
fn find_alert(settings: &Settings, fingerprint: &str) -> anyhow::Result<AttachedAlert> {
    super::alert_now(settings, fingerprint)
        .map(|a| AttachedAlert::from_alert(&a, &settings.file.triage.service_label))
}

/// `2026-11-22T01:05:00Z`, or how long ago: `45m`. Never in the future.
fn moment(when: &str, now: DateTime<Utc>) -> anyhow::Result<DateTime<Utc>> {
    let at = match DateTime::parse_from_rfc3339(when.trim()) {
        Ok(t) => t.with_timezone(&Utc),
        Err(_) => {
            let ago = time::parse(when).map_err(|_| {
                anyhow!("`{when}` is neither a time like 2026-11-22T01:05:00Z nor a duration ago like 45m")
            })?;
            now - chrono::Duration::from_std(ago)
                .map_err(|_| anyhow!("`{when}` is too long ago"))?
        }
    };
    if at > now {
        bail!("`{when}` is in the future");
    }
    Ok(at)
}

fn sev(s: IncidentSeverity) -> Sev {
    match s {
        IncidentSeverity::Sev1 => Sev::Sev1,
        IncidentSeverity::Sev2 => Sev::Sev2,
        IncidentSeverity::Sev3 => Sev::Sev3,
        IncidentSeverity::Sev4 => Sev::Sev4,
    }
}

fn status(s: IncidentStatus) -> Status {
    match s {
        IncidentStatus::Investigating => Status::Investigating,
        IncidentStatus::Identified => Status::Identified,
        IncidentStatus::Monitoring => Status::Monitoring,
        IncidentStatus::Resolved => Status::Resolved,
    }
}

fn action(k: ActionType) -> ActionKind {
    match k {
        ActionType::Mitigate => ActionKind::Mitigate,
        ActionType::Prevent => ActionKind::Prevent,
        ActionType::Process => ActionKind::Process,
    }
}

/// Timelines hold runbook output and notes: whatever token this process knows is
/// scrubbed from them on the way out, as from exports.
fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(crate::redact::scrub(text).as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Writes whole or not at all: a half-written postmortem is worse than none.
fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    let tmp = path.with_extension("clops-tmp");
    std::fs::write(&tmp, crate::redact::scrub(text).as_bytes())
        .and_then(|()| std::fs::rename(&tmp, path))
        .with_context(|| format!("cannot write {}", path.display()))?;
    if let Some(dir) = dir {
        // Best effort: the rename is what makes the file whole.
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

fn list_table(incidents: &[Incident], now: chrono::DateTime<Utc>) -> String {
    if incidents.is_empty() {
        return "no incidents declared (`clops incident declare --title … --severity sev2`)\n"
            .into();
    }
    let mut out = format!(
        "{:<16}  {:<4}  {:<13}  {:>8}  {:<20}  {}\n",
        "ID", "SEV", "STATUS", "DECLARED", "COMMANDER", "TITLE"
    );
    for i in incidents {
        out.push_str(&format!(
            "{:<16}  {:<4}  {:<13}  {:>8}  {:<20}  {}\n",
            i.id,
            i.severity.as_str(),
            i.status.as_str(),
            Style::Age.format(now - i.declared_at) + " ago",
            i.commander,
            i.title
        ));
    }
    out
}

fn show_text(i: &Incident, events: &[Event], now: chrono::DateTime<Utc>) -> String {
    let mut out = format!(
        "{}  {}  {} · {}\n",
        i.id,
        i.title,
        i.severity.as_str(),
        i.status.as_str()
    );
    let roles: Vec<String> = i.roles.iter().map(|(r, w)| format!("{r}: {w}")).collect();
    out.push_str(&format!("roles     {}\n", roles.join(", ")));
    out.push_str(&format!(
        "declared  {} ago by {}\n",
        Style::Age.format(now - i.declared_at),
        i.declared_by
    ));
    if !i.services.is_empty() {
        out.push_str(&format!("services  {}\n", i.services.join(", ")));
    }
    if !i.alerts.is_empty() {
        let alerts: Vec<String> = i.alerts.iter().map(AttachedAlert::label).collect();
        out.push_str(&format!("alerts    {}\n", alerts.join(", ")));
    }
    out.push_str("\ntimeline (UTC)\n");
    for e in events {
        out.push_str(&format!(
            "{:>4}  {}  {:<20}  {}\n",
            e.seq,
            Timestamp::UtcCell.format(e.at),
            e.author,
            e.change.describe()
        ));
    }
    out
}
