//! Incident exports: a Markdown postmortem draft in the layout of the Google SRE book,
//! and the JSON timeline DESIGN.md promises to scripts (its shape is
//! [`crate::output::Timeline`]).
//!
//! Both are pure functions of the incident and its events. Every string that came from
//! a timeline is cleaned again, even though the store already cleans what it keeps: an
//! export is pasted into wikis, tickets and terminals, and an old database or another
//! writer must not be able to smuggle escape sequences or table breaks into it.

use std::fmt::Write as _;

use chrono::{DateTime, Duration, Utc};

use crate::model::incident::{Change, Event, Incident, Status};
use crate::text::time::{Style, Timestamp};
use crate::text::{clean_line, clean_text};

/// Said wherever a human has to write the part the timeline cannot know.
const TO_BE_WRITTEN: &str = "_To be written._";

/// Runbook output kept in the draft: enough to recognise, short enough to read.
const OUTPUT_LINES: usize = 20;

/// The incident and its timeline as the JSON contract of DESIGN.md ("Incident
/// timeline"), as a value for code that reads it back; clops prints
/// [`Timeline`](crate::output::Timeline) straight, without building one.
pub fn json(incident: &Incident, events: &[Event]) -> serde_json::Value {
    serde_json::to_value(crate::output::Timeline::new(incident, events))
        .expect("a timeline has only string keys")
}

/// A postmortem draft: what the timeline knows filled in, what only people know left
/// as clearly marked placeholders. `now` is only printed, so equal inputs give equal
/// drafts.
pub fn markdown(incident: &Incident, events: &[Event], now: DateTime<Utc>) -> String {
    // From here on only cleaned events are read: describe() and every field below are
    // then free of escapes whatever the caller passed.
    let events: Vec<Event> = events
        .iter()
        .map(|e| Event {
            seq: e.seq,
            at: e.at,
            author: clean_line(&e.author),
            change: e.change.clone().sanitized(),
        })
        .collect();
    let d = Draft {
        inc: incident,
        events: &events,
    };
    let mut out = String::new();
    d.header(&mut out, now);
    d.summary(&mut out);
    d.impact(&mut out);
    section(&mut out, "Root causes", TO_BE_WRITTEN);
    d.trigger(&mut out);
    d.resolution(&mut out);
    d.detection(&mut out);
    d.action_items(&mut out);
    d.lessons(&mut out);
    d.timeline(&mut out);
    d.key_moments(&mut out);
    d.supporting(&mut out);
    // Belt and braces: nothing but '\n' may be a control character in the draft.
    out.retain(|c| c == '\n' || !c.is_control());
    out
}

struct Draft<'a> {
    inc: &'a Incident,
    events: &'a [Event],
}

fn section(out: &mut String, heading: &str, body: &str) {
    let _ = write!(out, "\n## {heading}\n\n{body}\n");
}

/// Outside text for running prose: one line, no raw HTML (a note holding `<img src=…>`
/// must not load anything when the draft is viewed), no characters that end a line.
fn inline(s: &str) -> String {
    clean_line(s)
        .replace('<', "&lt;")
        .replace(['\u{2028}', '\u{2029}'], " ")
}

/// Outside text for a table cell: like [`inline`], and a `|` must not start a new cell.
/// Backslashes are doubled first so that a `\` before a `|` cannot cancel its escape.
fn cell(s: &str) -> String {
    inline(s).replace('\\', "\\\\").replace('|', "\\|")
}

/// Outside text that may span lines, folded onto one (notes in lists and tables).
fn folded(s: &str) -> String {
    clean_text(s)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" / ")
}

/// A fenced code block that its content cannot close: the fence is longer than any
/// run of backticks inside.
fn code_block(out: &mut String, info: &str, content: &str) {
    let content = clean_text(content);
    let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    let _ = write!(out, "\n{fence}{info}\n{}", content.trim_end_matches('\n'));
    let _ = write!(out, "\n{fence}\n");
}

fn or_unknown(s: &str) -> String {
    let s = inline(s);
    if s.trim().is_empty() {
        "(unknown)".to_string()
    } else {
        s
    }
}

/// A runbook step as the timeline tells it: a start, a finish, or both.
struct StepRun<'a> {
    runbook: &'a str,
    step: &'a str,
    started: Option<&'a Event>,
    command: Option<&'a str>,
    finished: Option<&'a Event>,
    exit_code: Option<i32>,
    duration_ms: u64,
    output: &'a str,
}

/// Which key moment an event is, for the markers in the timeline.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Moment {
    Acknowledged,
    Declared,
    Mitigated,
    Resolved,
}

impl Moment {
    fn marker(self) -> &'static str {
        match self {
            Moment::Acknowledged => "**acknowledged**",
            Moment::Declared => "**declared**",
            Moment::Mitigated => "**mitigated**",
            Moment::Resolved => "**resolved**",
        }
    }
}

impl Draft<'_> {
    fn header(&self, out: &mut String, now: DateTime<Utc>) {
        let inc = self.inc;
        let title = inline(&inc.title);
        let title = if title.trim().is_empty() {
            "(untitled)".to_string()
        } else {
            title
        };
        let roles = if inc.roles.is_empty() {
            "none".to_string()
        } else {
            inc.roles
                .iter()
                .map(|(role, who)| format!("{} {}", inline(role), or_unknown(who)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(out, "# Postmortem: {title} ({})", inline(&inc.id));
        let _ = writeln!(
            out,
            "\n**Status:** {} · **Severity:** {} · **Commander:** {} · **Roles:** {roles} · \
             draft generated {}",
            inc.status,
            inc.severity,
            or_unknown(&inc.commander),
            Timestamp::UtcMinute.format(now),
        );
        let _ = writeln!(
            out,
            "\n> Draft generated from the incident timeline. Check every part; the parts \
             marked {TO_BE_WRITTEN} need the people who were there."
        );
    }

    fn summary(&self, out: &mut String) {
        let inc = self.inc;
        let m = &inc.moments;
        let services = if inc.services.is_empty() {
            "none recorded".to_string()
        } else {
            inc.services
                .iter()
                .map(|s| inline(s))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let duration = match m.to_resolve() {
            Some(d) => format!("{} from detection to resolution", Style::Report.format(d)),
            None => format!(
                "still {} ({} since detection at the last recorded event)",
                inc.status,
                Style::Report.format(inc.updated_at - m.detected)
            ),
        };
        let mut body = String::new();
        let _ = writeln!(body, "- **What:** {}", or_unknown(&inc.title));
        let _ = writeln!(body, "- **Services affected:** {services}");
        let _ = writeln!(
            body,
            "- **Severity:** {} · **Alerts attached:** {}",
            inc.severity,
            inc.alerts.len()
        );
        let _ = writeln!(
            body,
            "- **Declared:** {} by {}",
            Timestamp::Utc.format(inc.declared_at),
            or_unknown(&inc.declared_by)
        );
        let _ = write!(body, "- **Duration:** {duration}");
        section(out, "Summary", &body);
    }

    fn impact(&self, out: &mut String) {
        let m = &self.inc.moments;
        let window = match (m.mitigated, m.resolved) {
            (Some(mit), _) => format!(
                "Impact window as the timeline sees it: from detection at {} to mitigation \
                 at {} ({}).",
                Timestamp::Utc.format(m.detected),
                Timestamp::Utc.format(mit),
                Style::Report.format(mit - m.detected)
            ),
            (None, _) => format!(
                "Impact window as the timeline sees it: from detection at {}; not yet \
                 mitigated.",
                Timestamp::Utc.format(m.detected)
            ),
        };
        let body = format!(
            "{TO_BE_WRITTEN} Who and what was affected, and how much (users, requests, \
             revenue, data).\n\n{window}"
        );
        section(out, "Impact", &body);
    }

    fn trigger(&self, out: &mut String) {
        let mut body = TO_BE_WRITTEN.to_string();
        let deploys: Vec<String> = self
            .correlated_deploys()
            .map(|(service, version, at, source)| {
                format!(
                    "- deploy of {} {} at {} ({})",
                    inline(service),
                    inline(version),
                    Timestamp::Utc.format(at),
                    inline(source)
                )
            })
            .collect();
        if !deploys.is_empty() {
            body.push_str("\n\nDeploys the console correlated with this incident:\n\n");
            body.push_str(&deploys.join("\n"));
        }
        section(out, "Trigger", &body);
    }

    fn resolution(&self, out: &mut String) {
        let m = &self.inc.moments;
        let mut body = String::new();
        let by = |t: Option<DateTime<Utc>>, to: &[Status]| {
            self.events.iter().find(|e| {
                Some(e.at) == t
                    && matches!(&e.change, Change::StatusChanged { to: s, .. } if to.contains(s))
            })
        };
        match m.mitigated {
            Some(t) => {
                let who = by(Some(t), &[Status::Monitoring, Status::Resolved])
                    .map(|e| format!(" by {}", inline(&e.author)))
                    .unwrap_or_default();
                let _ = writeln!(
                    body,
                    "- **Mitigated** at {}{who}, {} after detection.",
                    Timestamp::Utc.format(t),
                    Style::Report.format(t - m.detected)
                );
            }
            None => body.push_str("- **Mitigated:** not yet.\n"),
        }
        match m.resolved {
            Some(t) => {
                let who = by(Some(t), &[Status::Resolved])
                    .map(|e| format!(" by {}", inline(&e.author)))
                    .unwrap_or_default();
                let _ = writeln!(
                    body,
                    "- **Resolved** at {}{who}, {} after detection.",
                    Timestamp::Utc.format(t),
                    Style::Report.format(t - m.detected)
                );
            }
            None => body.push_str("- **Resolved:** not yet.\n"),
        }
        let notes = self.resolution_notes();
        if notes.is_empty() {
            body.push_str(
                "\nNo notes were written between identification and resolution. \
                 _To be written:_ what was done to mitigate and resolve it.",
            );
        } else {
            body.push_str("\nNotes from identification to resolution:\n\n");
            body.push_str(&notes.join("\n"));
        }
        section(out, "Resolution", body.trim_end());
    }

    /// Notes written while the fix was under way: from the first move to identified
    /// (or 15 minutes before mitigation, when nobody marked it identified) up to the
    /// resolution, or the end of the timeline while it is open.
    fn resolution_notes(&self) -> Vec<String> {
        let m = &self.inc.moments;
        let identified = self.events.iter().find_map(|e| match e.change {
            Change::StatusChanged {
                to: Status::Identified,
                ..
            } => Some(e.at),
            _ => None,
        });
        let Some(from) = identified.or(m.mitigated.map(|t| t - Duration::minutes(15))) else {
            return Vec::new();
        };
        self.events
            .iter()
            .filter(|e| e.at >= from && m.resolved.is_none_or(|r| e.at <= r))
            .filter_map(|e| match &e.change {
                Change::Note { text } => Some(format!(
                    "- {} {}: {}",
                    Timestamp::TimeCell.format(e.at),
                    or_unknown(&e.author),
                    inline(&folded(text))
                )),
                _ => None,
            })
            .collect()
    }

    fn detection(&self, out: &mut String) {
        let inc = self.inc;
        let m = &inc.moments;
        let mut started: Vec<_> = inc
            .alerts
            .iter()
            .filter(|a| a.starts_at.is_some())
            .collect();
        started.sort_by_key(|a| a.starts_at);
        let mut body = String::new();
        match started.first() {
            Some(first) => {
                let _ = writeln!(
                    body,
                    "Detected at {} when {} started firing; the incident was declared {} \
                     later, at {}.",
                    Timestamp::Utc.format(m.detected),
                    inline(&first.label()),
                    Style::Report.format(m.to_declare()),
                    Timestamp::Utc.format(m.declared)
                );
                body.push_str("\nFirst alerts to fire:\n\n");
                for a in started.iter().take(3) {
                    let summary = if a.summary.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", inline(&a.summary))
                    };
                    let _ = writeln!(
                        body,
                        "- {} at {}{summary}",
                        inline(&a.label()),
                        a.starts_at
                            .map(|t| Timestamp::Utc.format(t))
                            .unwrap_or_default()
                    );
                }
                if started.len() > 3 {
                    let _ = writeln!(
                        body,
                        "- … and {} more (see Supporting information)",
                        started.len() - 3
                    );
                }
            }
            None => {
                let _ = writeln!(
                    body,
                    "No alert with a start time is attached: detection is taken as the \
                     declaration at {} by {}.",
                    Timestamp::Utc.format(m.declared),
                    or_unknown(&inc.declared_by)
                );
            }
        }
        body.push_str(&format!(
            "\n{TO_BE_WRITTEN} Did alerting catch it early enough? Which alert should have \
             fired sooner?"
        ));
        section(out, "Detection", &body);
    }

    fn action_items(&self, out: &mut String) {
        let items = &self.inc.action_items;
        if items.is_empty() {
            section(out, "Action items", "none recorded");
            return;
        }
        let mut body = String::from("| Action | Type | Owner |\n|---|---|---|");
        for i in items {
            let owner = i
                .owner
                .as_deref()
                .map(cell)
                .filter(|o| !o.trim().is_empty())
                .unwrap_or_else(|| "unassigned".to_string());
            let _ = write!(
                body,
                "\n| {} | {} | {owner} |",
                cell(&i.text),
                i.kind.as_str()
            );
        }
        section(out, "Action items", &body);
    }

    fn lessons(&self, out: &mut String) {
        out.push_str("\n## Lessons learned\n");
        for heading in ["What went well", "What went wrong", "Where we got lucky"] {
            let _ = write!(out, "\n### {heading}\n\n{TO_BE_WRITTEN}\n");
        }
    }

    /// Which key moment each event is (at most one event per moment).
    fn moments(&self) -> Vec<Vec<Moment>> {
        let m = &self.inc.moments;
        let mut marks = vec![Vec::new(); self.events.len()];
        let mut mark = |moment: Moment, hit: &dyn Fn(&Event) -> bool| {
            if let Some(i) = self.events.iter().position(hit) {
                marks[i].push(moment);
            }
        };
        mark(Moment::Declared, &|e| {
            matches!(e.change, Change::Declared { .. })
        });
        // Acknowledging is usually the declaration itself; an ack before it is marked.
        if m.acknowledged < m.declared {
            mark(Moment::Acknowledged, &|e| {
                e.at == m.acknowledged && matches!(e.change, Change::Ack { .. })
            });
        }
        if let Some(t) = m.mitigated {
            mark(Moment::Mitigated, &|e| {
                e.at == t
                    && matches!(
                        e.change,
                        Change::StatusChanged {
                            to: Status::Monitoring | Status::Resolved,
                            ..
                        }
                    )
            });
        }
        if let Some(t) = m.resolved {
            // The last resolution counts: an incident can be reopened and resolved again.
            if let Some(i) = self.events.iter().rposition(|e| {
                e.at == t
                    && matches!(
                        e.change,
                        Change::StatusChanged {
                            to: Status::Resolved,
                            ..
                        }
                    )
            }) {
                marks[i].push(Moment::Resolved);
            }
        }
        marks
    }

    fn timeline(&self, out: &mut String) {
        let inc = self.inc;
        let m = &inc.moments;
        let mut body = String::from("| Time (UTC) | Who | What |\n|---|---|---|");
        let mut last_day = None;
        let mut when = |t: DateTime<Utc>| {
            let day = t.date_naive();
            if last_day == Some(day) {
                Timestamp::TimeCell.format(t)
            } else {
                last_day = Some(day);
                Timestamp::UtcCell.format(t)
            }
        };
        // Detection is when the first alert started, before anyone wrote anything: it
        // gets a row of its own.
        let first_alert = inc.alerts.iter().find(|a| a.starts_at == Some(m.detected));
        if let Some(a) = first_alert.filter(|_| m.detected < m.declared) {
            let _ = write!(
                body,
                "\n| {} | alerting | **detected** — {} started firing |",
                when(m.detected),
                cell(&a.label())
            );
        }
        for (e, marks) in self.events.iter().zip(self.moments()) {
            let markers = marks
                .iter()
                .map(|m| m.marker())
                .collect::<Vec<_>>()
                .join(" · ");
            let what = cell(&e.change.describe());
            let what = if markers.is_empty() {
                what
            } else {
                format!("{markers} — {what}")
            };
            let _ = write!(
                body,
                "\n| {} | {} | {what} |",
                when(e.at),
                cell(&or_unknown(&e.author))
            );
        }
        if self.events.is_empty() {
            body.push_str("\n| | | no events recorded |");
        }
        section(out, "Timeline (UTC)", &body);
    }

    fn key_moments(&self, out: &mut String) {
        let m = &self.inc.moments;
        let mut body = String::from("| Moment | Time (UTC) | From detection |\n|---|---|---|");
        let not_yet = || "not yet".to_string();
        let when = |t: Option<DateTime<Utc>>| {
            t.map(|t| Timestamp::UtcCell.format(t))
                .unwrap_or_else(not_yet)
        };
        let took = |d: Option<Duration>| d.map(|d| Style::Report.format(d)).unwrap_or_else(not_yet);
        let rows = [
            (
                "impact started",
                m.started
                    .map(|t| Timestamp::UtcCell.format(t))
                    .unwrap_or_else(|| "unknown".into()),
                "—".to_string(),
            ),
            ("detected", when(Some(m.detected)), "—".to_string()),
            (
                "acknowledged",
                when(Some(m.acknowledged)),
                took(Some(m.to_acknowledge())),
            ),
            (
                "declared",
                when(Some(m.declared)),
                took(Some(m.to_declare())),
            ),
            ("mitigated", when(m.mitigated), took(m.to_mitigate())),
            ("resolved", when(m.resolved), took(m.to_resolve())),
        ];
        for (name, at, took) in rows {
            let _ = write!(body, "\n| {name} | {at} | {took} |");
        }
        match m.to_detect() {
            Some(d) => {
                let _ = write!(body, "\n\nTime to detect: {}.", Style::Report.format(d));
            }
            None => body.push_str(
                "\n\nTime to detect needs the moment the problem began, which only people \
                 know (`clops incident declare --started`): _To be written._",
            ),
        }
        section(out, "Key moments and durations", &body);
    }

    fn supporting(&self, out: &mut String) {
        out.push_str("\n## Supporting information\n");
        self.alerts_involved(out);
        self.runbook_steps(out);
        self.silences_and_acks(out);
        self.deploys(out);
        self.notes(out);
    }

    fn alerts_involved(&self, out: &mut String) {
        out.push_str("\n### Alerts involved\n\n");
        let alerts = &self.inc.alerts;
        if alerts.is_empty() {
            out.push_str("none attached\n");
            return;
        }
        out.push_str("| Alert | Service | Severity | Started (UTC) |\n|---|---|---|---|\n");
        let mut sorted: Vec<_> = alerts.iter().collect();
        // Unknown start times last; ties keep the order they were attached in.
        sorted.sort_by_key(|a| (a.starts_at.is_none(), a.starts_at));
        for a in sorted {
            let name = if a.name.is_empty() {
                &a.fingerprint
            } else {
                &a.name
            };
            let alert = if a.summary.is_empty() || a.summary == *name {
                cell(name)
            } else {
                format!("{} — {}", cell(name), cell(&a.summary))
            };
            let _ = writeln!(
                out,
                "| {alert} | {} | {} | {} |",
                a.service.as_deref().map(cell).unwrap_or_default(),
                a.severity.as_deref().map(cell).unwrap_or_default(),
                a.starts_at
                    .map(|t| Timestamp::UtcCell.format(t))
                    .unwrap_or_else(|| "unknown".to_string()),
            );
        }
    }

    fn step_runs(&self) -> Vec<StepRun<'_>> {
        let mut runs: Vec<StepRun> = Vec::new();
        for e in self.events {
            match &e.change {
                Change::RunbookStepStarted {
                    runbook,
                    step,
                    command,
                } => runs.push(StepRun {
                    runbook,
                    step,
                    started: Some(e),
                    command: Some(command),
                    finished: None,
                    exit_code: None,
                    duration_ms: 0,
                    output: "",
                }),
                Change::RunbookStepFinished {
                    runbook,
                    step,
                    exit_code,
                    duration_ms,
                    output,
                } => {
                    let open = runs
                        .iter_mut()
                        .rev()
                        .find(|r| r.finished.is_none() && r.runbook == runbook && r.step == step);
                    let run = match open {
                        Some(r) => r,
                        None => {
                            runs.push(StepRun {
                                runbook,
                                step,
                                started: None,
                                command: None,
                                finished: None,
                                exit_code: None,
                                duration_ms: 0,
                                output: "",
                            });
                            let last = runs.len() - 1;
                            &mut runs[last]
                        }
                    };
                    run.finished = Some(e);
                    run.exit_code = *exit_code;
                    run.duration_ms = *duration_ms;
                    run.output = output;
                }
                _ => {}
            }
        }
        runs
    }

    fn runbook_steps(&self, out: &mut String) {
        out.push_str("\n### Runbook steps run\n");
        let runs = self.step_runs();
        if runs.is_empty() {
            out.push_str("\nnone\n");
            return;
        }
        for r in runs {
            let who_when = match (r.started, r.finished) {
                (Some(s), _) => format!(
                    "run by {} at {}",
                    or_unknown(&s.author),
                    Timestamp::Utc.format(s.at)
                ),
                (None, Some(f)) => {
                    format!(
                        "finished for {} at {}",
                        or_unknown(&f.author),
                        Timestamp::Utc.format(f.at)
                    )
                }
                (None, None) => String::new(),
            };
            let outcome = match (r.finished, r.exit_code) {
                (None, _) => "no finish recorded".to_string(),
                (Some(_), Some(code)) => {
                    format!(
                        "exit code {code} after {}",
                        Style::Step.format(std::time::Duration::from_millis(r.duration_ms))
                    )
                }
                (Some(_), None) => format!(
                    "killed after {}",
                    Style::Step.format(std::time::Duration::from_millis(r.duration_ms))
                ),
            };
            let _ = writeln!(
                out,
                "\n**{}** (runbook {}): {outcome}; {who_when}.",
                or_unknown(r.step),
                or_unknown(r.runbook)
            );
            if let Some(cmd) = r.command.filter(|c| !c.trim().is_empty()) {
                code_block(out, "sh", cmd);
            }
            if r.finished.is_some() {
                let lines: Vec<&str> = r.output.lines().collect();
                let skipped = lines.len().saturating_sub(OUTPUT_LINES);
                let shown = if lines.iter().all(|l| l.trim().is_empty()) {
                    "(no output)".to_string()
                } else if skipped > 0 {
                    format!(
                        "… {skipped} earlier lines not shown\n{}",
                        lines[skipped..].join("\n")
                    )
                } else {
                    lines.join("\n")
                };
                out.push_str("\nLast output lines:\n");
                code_block(out, "text", &shown);
            }
        }
    }

    fn silences_and_acks(&self, out: &mut String) {
        out.push_str("\n### Silences and acknowledgements\n\n");
        let mut rows = Vec::new();
        for e in self.events {
            let row = match &e.change {
                Change::SilenceCreated {
                    id,
                    source,
                    matchers,
                    ends_at,
                    comment,
                } => format!(
                    "| {} | {} | silence {} on {} | {} | {} | {} |",
                    Timestamp::UtcCell.format(e.at),
                    cell(&or_unknown(&e.author)),
                    cell(id),
                    cell(source),
                    cell(matchers),
                    Timestamp::UtcCell.format(*ends_at),
                    cell(&folded(comment))
                ),
                Change::Ack {
                    id,
                    source,
                    matchers,
                    ends_at,
                } => format!(
                    "| {} | {} | ack {} on {} | {} | {} | |",
                    Timestamp::UtcCell.format(e.at),
                    cell(&or_unknown(&e.author)),
                    cell(id),
                    cell(source),
                    cell(matchers),
                    Timestamp::UtcCell.format(*ends_at)
                ),
                _ => continue,
            };
            rows.push(row);
        }
        if rows.is_empty() {
            out.push_str("none\n");
            return;
        }
        out.push_str(
            "| Time (UTC) | Who | What | Matchers | Until (UTC) | Comment |\n\
             |---|---|---|---|---|---|\n",
        );
        for r in rows {
            out.push_str(&r);
            out.push('\n');
        }
    }

    /// (service, version, when, source) of each deploy correlated in the timeline.
    fn correlated_deploys(&self) -> impl Iterator<Item = (&str, &str, DateTime<Utc>, &str)> {
        self.events.iter().filter_map(|e| match &e.change {
            Change::DeployCorrelated {
                service,
                version,
                at,
                source,
            } => Some((service.as_str(), version.as_str(), *at, source.as_str())),
            _ => None,
        })
    }

    fn deploys(&self, out: &mut String) {
        let rows: Vec<String> = self
            .correlated_deploys()
            .map(|(service, version, at, source)| {
                format!(
                    "| {} | {} | {} | {} |",
                    cell(service),
                    cell(version),
                    Timestamp::UtcCell.format(at),
                    cell(source)
                )
            })
            .collect();
        if rows.is_empty() {
            return;
        }
        out.push_str("\n### Deploys correlated\n\n| Service | Version | Deployed (UTC) | Source |\n|---|---|---|---|\n");
        for r in rows {
            out.push_str(&r);
            out.push('\n');
        }
    }

    fn notes(&self, out: &mut String) {
        out.push_str("\n### Notes\n\n");
        let notes: Vec<String> = self
            .events
            .iter()
            .filter_map(|e| match &e.change {
                Change::Note { text } => Some(format!(
                    "- {}, {}: {}",
                    Timestamp::Utc.format(e.at),
                    or_unknown(&e.author),
                    inline(&folded(text))
                )),
                _ => None,
            })
            .collect();
        if notes.is_empty() {
            out.push_str("none\n");
        } else {
            out.push_str(&notes.join("\n"));
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::incident::{ActionKind, AttachedAlert, Sev};
    use chrono::TimeZone;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, h, m, s).unwrap()
    }

    fn ev(seq: u64, t: DateTime<Utc>, change: Change) -> Event {
        Event {
            seq,
            at: t,
            author: "alice@jump-1".into(),
            change,
        }
    }

    fn declared(title: &str) -> Change {
        Change::Declared {
            title: title.into(),
            severity: Sev::Sev2,
            commander: "alice@jump-1".into(),
            services: vec!["checkout".into()],
            alerts: vec![AttachedAlert {
                fingerprint: "f1".into(),
                name: "HighErrorRate".into(),
                service: Some("checkout".into()),
                starts_at: Some(at(20, 0, 0)),
                ..AttachedAlert::default()
            }],
            group: None,
            started: None,
        }
    }

    fn status(seq: u64, t: DateTime<Utc>, from: Status, to: Status) -> Event {
        ev(seq, t, Change::StatusChanged { from, to })
    }

    #[test]
    fn code_blocks_cannot_be_closed_by_their_content() {
        let mut out = String::new();
        code_block(&mut out, "text", "a\n```\nb ````` c");
        assert!(out.starts_with("\n``````text\n"), "{out}");
        assert!(out.ends_with("\n``````\n"), "{out}");
    }

    #[test]
    fn table_cells_keep_pipes_and_backslashes_inside() {
        assert_eq!(cell("a|b"), "a\\|b");
        assert_eq!(cell("a\\|b"), "a\\\\\\|b");
        assert_eq!(cell("one\ntwo\tthree"), "one two three");
        assert_eq!(cell("<img src=x>"), "&lt;img src=x>");
    }

    #[test]
    fn the_json_follows_the_timeline_contract() {
        let events = vec![
            ev(1, at(20, 10, 0), declared("Checkout errors")),
            ev(
                2,
                at(20, 11, 0),
                Change::Note {
                    text: "db\u{1b}[31m failover".into(),
                },
            ),
        ];
        let inc = Incident::from_events("INC-20261121-1", &events).unwrap();
        let v = json(&inc, &events);
        assert_eq!(v["incident"]["id"], "INC-20261121-1");
        assert_eq!(v["incident"]["severity"], "sev2");
        assert_eq!(v["incident"]["status"], "investigating");
        assert_eq!(v["incident"]["roles"]["commander"], "alice@jump-1");
        assert_eq!(v["incident"]["declared_at"], "2026-11-21T20:10:00Z");
        assert_eq!(v["incident"]["moments"]["to_acknowledge_s"], 600);
        assert_eq!(v["events"][1]["kind"], "note");
        assert_eq!(v["events"][1]["data"]["text"], "db failover");
        let keys: Vec<&String> = v["events"][0].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["seq", "at", "author", "kind", "data"]);
    }

    #[test]
    fn the_draft_has_the_postmortem_sections_in_order() {
        let events = vec![
            ev(1, at(20, 10, 0), declared("Checkout errors")),
            status(2, at(20, 30, 0), Status::Investigating, Status::Monitoring),
            status(3, at(21, 5, 0), Status::Monitoring, Status::Resolved),
        ];
        let inc = Incident::from_events("INC-20261121-1", &events).unwrap();
        let md = markdown(&inc, &events, at(22, 0, 0));
        let order = [
            "# Postmortem: Checkout errors (INC-20261121-1)",
            "## Summary",
            "## Impact",
            "## Root causes",
            "## Trigger",
            "## Resolution",
            "## Detection",
            "## Action items",
            "## Lessons learned",
            "### What went well",
            "### What went wrong",
            "### Where we got lucky",
            "## Timeline (UTC)",
            "## Key moments and durations",
            "## Supporting information",
            "### Alerts involved",
            "### Runbook steps run",
            "### Silences and acknowledgements",
            "### Notes",
        ];
        let mut from = 0;
        for heading in order {
            let i = md[from..]
                .find(heading)
                .unwrap_or_else(|| panic!("{heading} missing or out of order:\n{md}"));
            from += i + heading.len();
        }
        assert!(md.contains("| 2026-11-21 20:00:00 | alerting | **detected** — HighErrorRate (checkout) started firing |"), "{md}");
        assert!(
            md.contains("**mitigated** — status investigating → monitoring"),
            "{md}"
        );
        assert!(
            md.contains("**resolved** — status monitoring → resolved"),
            "{md}"
        );
        assert!(
            md.contains("| resolved | 2026-11-21 21:05:00 | 1h05m |"),
            "{md}"
        );
        assert!(md.contains("## Action items\n\nnone recorded\n"), "{md}");
    }

    #[test]
    fn moments_not_reached_say_not_yet() {
        let events = vec![ev(1, at(20, 10, 0), declared("Checkout errors"))];
        let inc = Incident::from_events("INC-20261121-1", &events).unwrap();
        let md = markdown(&inc, &events, at(22, 0, 0));
        assert!(md.contains("| mitigated | not yet | not yet |"), "{md}");
        assert!(
            md.contains("| acknowledged | 2026-11-21 20:10:00 | 10m |"),
            "{md}"
        );
    }

    #[test]
    fn hostile_text_stays_inside_its_cell_and_out_of_the_terminal() {
        let events = vec![
            ev(1, at(20, 10, 0), declared("a|b\u{1b}]52;c;eA==\u{7}\r\nc")),
            ev(
                2,
                at(20, 11, 0),
                Change::ActionItem {
                    text: "fix | it\u{202e}".into(),
                    owner: Some("bob\tsmith".into()),
                    kind: ActionKind::Prevent,
                },
            ),
            ev(
                3,
                at(20, 12, 0),
                Change::RunbookStepFinished {
                    runbook: "db".into(),
                    step: "check".into(),
                    exit_code: Some(1),
                    duration_ms: 1200,
                    output: "```\n# not a heading\u{9b}2J".into(),
                },
            ),
        ];
        let inc = Incident::from_events("INC-20261121-1", &events).unwrap();
        let md = markdown(&inc, &events, at(22, 0, 0));
        assert!(!md.chars().any(|c| c != '\n' && c.is_control()), "{md:?}");
        assert!(!md.contains('\u{202e}'));
        assert!(md.contains("| fix \\| it | prevent | bob smith |"), "{md}");
        assert!(
            md.contains("\n````text\n```\n# not a heading\n````\n"),
            "{md}"
        );
    }
}
