//! Changing things from the console: silence, ack and unsilence. Every change is shown
//! in full and confirmed with `y` before anything is sent; `--read-only` refuses them.

use crate::format::plural;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::config::parse_duration;
use crate::model::silence::resolved_acks;
use crate::model::{Alert, Board, LabelSet, Matcher, NewSilence, Silence};

use super::app::{Effect, Mode, Row, State};

/// The field of the silence form the cursor is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Matchers,
    Duration,
    Comment,
}

/// The silence being written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SilenceForm {
    /// The sources it will be created in.
    pub sources: Vec<String>,
    pub matchers: String,
    pub duration: String,
    pub comment: String,
    pub field: Field,
    /// Why the last attempt to submit was refused.
    pub problem: Option<String>,
}

/// A change waiting for `y`.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub question: String,
    pub change: Change,
}

/// What a confirmed change does.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Create these silences, each in its source.
    Create(Vec<(String, NewSilence)>),
    /// Expire these silences (source, id).
    Expire(Vec<(String, String)>),
}

/// The alerts a row stands for: the alert, or the group's visible alerts.
pub fn selected_alerts(state: &State) -> Vec<&Alert> {
    match state.selected() {
        Some(Row::Alert(g, a)) => vec![&state.board.groups[g].alerts[a]],
        Some(Row::Group(g)) => {
            let group = &state.board.groups[g];
            match &state.hits {
                Some(hits) => hits
                    .iter()
                    .find(|(gi, _)| *gi == g)
                    .map(|(_, a)| a.iter().map(|i| &group.alerts[*i]).collect())
                    .unwrap_or_default(),
                None => group.alerts.iter().collect(),
            }
        }
        None => Vec::new(),
    }
}

/// Sources of `alerts` that can silence, in a stable order.
fn silencing_sources(state: &State, alerts: &[&Alert]) -> Vec<String> {
    let mut names: Vec<String> = alerts
        .iter()
        .flat_map(|a| a.sources.iter())
        .filter(|s| state.silencing.contains(&***s))
        .map(|s| s.to_string())
        .collect();
    names.sort();
    names.dedup();
    names
}

pub(super) fn refuse_read_only(state: &mut State, what: &str) -> bool {
    if state.read_only {
        state.error(format!(
            "read-only: {what} refused (clops was started read-only)"
        ));
    }
    state.read_only
}

/// `s`: opens the silence form, matchers prefilled from what the row shows: every label
/// of an alert, or the labels all alerts of a group share.
pub fn open_silence_form(state: &mut State) {
    if refuse_read_only(state, "silences are") {
        return;
    }
    let alerts = selected_alerts(state);
    let sources = silencing_sources(state, &alerts);
    if alerts.is_empty() {
        return;
    }
    if sources.is_empty() {
        state.error("none of these alerts comes from a source that can silence");
        return;
    }
    let matchers = prefill_matchers(&alerts, &state.triage.config().service_label);
    state.mode = Mode::Silence(SilenceForm {
        sources,
        matchers,
        duration: crate::config::format_duration(state.silence_duration),
        comment: String::new(),
        field: Field::Comment,
        problem: None,
    });
    state.dirty = true;
}

/// Matchers that select these alerts and as little else as possible: the labels they
/// all share, and for the alert name and service, when those differ, the few values
/// they take. (Shared labels alone can be as broad as `cluster="prod"`.)
pub fn prefill_matchers(alerts: &[&Alert], service_label: &str) -> String {
    let Some(first) = alerts.first() else {
        return String::new();
    };
    let mut matchers: Vec<String> = first
        .labels
        .iter()
        .filter(|(k, v)| alerts.iter().all(|a| a.labels.get(k) == Some(v)))
        .map(|(k, v)| Matcher::equal(k, v).to_string())
        .collect();
    for label in ["alertname", service_label] {
        let mut values: Vec<&str> = alerts.iter().map(|a| a.label(label)).collect();
        values.sort_unstable();
        values.dedup();
        if values.len() > 1 && values.len() <= 12 && values.iter().all(|v| !v.is_empty()) {
            // Escape what a regex would read, but not `-`: service names are full of it.
            let alternatives: Vec<String> = values
                .iter()
                .map(|v| {
                    v.chars()
                        .flat_map(|c| {
                            let special = "\\.+*?()|[]{}^$".contains(c);
                            special
                                .then_some('\\')
                                .into_iter()
                                .chain(std::iter::once(c))
                        })
                        .collect()
                })
                .collect();
            matchers.push(format!("{label}=~\"{}\"", alternatives.join("|")));
        }
    }
    matchers.join(", ")
}

/// How many alerts on the board the form's matchers select now.
pub fn matching_count(board: &Board, matchers: &str) -> Option<usize> {
    let ms = Matcher::parse_list(matchers).ok()?;
    if ms.is_empty() {
        return None;
    }
    Some(
        board
            .groups
            .iter()
            .flat_map(|g| &g.alerts)
            .filter(|a| ms.iter().all(|m| m.matches(&a.labels)))
            .count(),
    )
}

/// Keys in the silence form: tab moves between fields, enter submits, esc cancels.
pub fn on_form_key(state: &mut State, key: KeyEvent, mut form: SilenceForm) {
    state.dirty = true;
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let field = match form.field {
        Field::Matchers => &mut form.matchers,
        Field::Duration => &mut form.duration,
        Field::Comment => &mut form.comment,
    };
    match key.code {
        KeyCode::Esc => {
            state.mode = Mode::Browse;
            state.info("silence cancelled");
            return;
        }
        KeyCode::Tab | KeyCode::Down => form.field = next_field(form.field, 1),
        KeyCode::BackTab | KeyCode::Up => form.field = next_field(form.field, 2),
        KeyCode::Backspace => {
            field.pop();
        }
        KeyCode::Char('u') if ctrl => field.clear(),
        KeyCode::Char(c) if !ctrl => field.push(c),
        KeyCode::Enter => match build_silences(&form, &state.author, state.now) {
            Ok(silences) => {
                let count = matching_count(&state.board, &form.matchers).unwrap_or(0);
                state.mode = Mode::Confirm(Confirm {
                    question: format!(
                        "Silence {} for {} in {}, as {}?\n  {}\n  \"{}\"",
                        plural(count, "alert now matching"),
                        form.duration.trim(),
                        form.sources.join(", "),
                        state.author,
                        form.matchers.trim(),
                        form.comment.trim()
                    ),
                    change: Change::Create(silences),
                });
                return;
            }
            Err(problem) => form.problem = Some(problem),
        },
        _ => {}
    }
    state.mode = Mode::Silence(form);
}

fn next_field(f: Field, step: usize) -> Field {
    const ORDER: [Field; 3] = [Field::Matchers, Field::Duration, Field::Comment];
    let i = ORDER.iter().position(|x| *x == f).unwrap_or(0);
    ORDER[(i + step) % 3]
}

fn build_silences(
    form: &SilenceForm,
    author: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(String, NewSilence)>, String> {
    let matchers = Matcher::parse_list(&form.matchers).map_err(|e| format!("matchers: {e}"))?;
    if matchers.is_empty() {
        return Err("matchers: give at least one".into());
    }
    let duration = parse_duration(&form.duration).map_err(|e| format!("duration: {e}"))?;
    if duration.is_zero() {
        return Err("duration: a silence must last longer than zero".into());
    }
    if form.comment.trim().is_empty() {
        return Err("comment: say why, for whoever finds this silence later".into());
    }
    let duration =
        chrono::Duration::from_std(duration).map_err(|_| "duration: too long".to_string())?;
    Ok(form
        .sources
        .iter()
        .map(|s| {
            let silence =
                NewSilence::lasting(matchers.clone(), duration, author, &form.comment, now);
            (s.clone(), silence)
        })
        .collect())
}

/// `a`: ack the selected alerts — a silence of exactly each alert, expired by clops as
/// soon as the alert resolves, and never longer than the configured cap.
pub fn ack(state: &mut State) {
    if refuse_read_only(state, "acks are") {
        return;
    }
    let alerts: Vec<&Alert> = selected_alerts(state)
        .into_iter()
        // Inhibited alerts are acked too: they page again once their inhibitor resolves.
        .filter(|a| a.silenced_by.is_empty())
        .collect();
    if alerts.is_empty() {
        state.info("nothing to ack: these alerts are already silenced");
        return;
    }
    const MOST: usize = 50;
    if alerts.len() > MOST {
        state.error(format!(
            "{} alerts is too many to ack one by one: silence the group with s instead",
            alerts.len()
        ));
        return;
    }
    let cap = chrono::Duration::from_std(state.ack_cap).unwrap_or(chrono::Duration::hours(12));
    let mut acks = Vec::new();
    for a in &alerts {
        for source in a.sources.iter().filter(|s| state.silencing.contains(&***s)) {
            acks.push((
                source.to_string(),
                NewSilence::ack(&a.labels, cap, &state.author, state.now),
            ));
        }
    }
    if acks.is_empty() {
        state.error("none of these alerts comes from a source that can silence");
        return;
    }
    state.mode = Mode::Confirm(Confirm {
        question: format!(
            "Ack {} as {}? Each stays silenced until it resolves, {} at most.",
            plural(alerts.len(), "alert"),
            state.author,
            crate::config::format_duration(state.ack_cap)
        ),
        change: Change::Create(acks),
    });
    state.dirty = true;
}

/// `u`: expire the silences (acks included) that suppress the selected alerts.
pub fn unsilence(state: &mut State) {
    if refuse_read_only(state, "expiring silences is") {
        return;
    }
    let mut targets: BTreeMap<(String, String), ()> = BTreeMap::new();
    for a in selected_alerts(state) {
        for id in &a.silenced_by {
            if let Some(s) = state.board.silence(id) {
                targets.insert((s.source.clone(), s.id.clone()), ());
            }
        }
    }
    if targets.is_empty() {
        state.info("no silence of clops's sources suppresses these alerts");
        return;
    }
    let targets: Vec<(String, String)> = targets.into_keys().collect();
    state.mode = Mode::Confirm(Confirm {
        question: format!(
            "Expire {} now? The alerts will page again.",
            plural(targets.len(), "silence")
        ),
        change: Change::Expire(targets),
    });
    state.dirty = true;
}

/// `y` carries the change out; any other key cancels it.
pub fn on_confirm_key(state: &mut State, key: KeyEvent, confirm: Confirm) -> Vec<Effect> {
    state.mode = Mode::Browse;
    state.dirty = true;
    if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
        state.info("sending…");
        vec![match confirm.change {
            Change::Create(s) => Effect::CreateSilences(s),
            Change::Expire(s) => Effect::ExpireSilences(s),
        }]
    } else {
        state.info("cancelled: nothing was changed");
        Vec::new()
    }
}

/// Acks in `source` whose alert has resolved: expire them, as the ack promised. Left
/// alone in read-only mode; `in_flight` keeps one console from asking twice.
pub fn expire_resolved_acks(state: &mut State, source: &str) -> Vec<Effect> {
    if state.read_only {
        return Vec::new();
    }
    let Some(entry) = state.sources.entries().iter().find(|e| e.name == source) else {
        return Vec::new();
    };
    let Some(snapshot) = &entry.last_good else {
        return Vec::new();
    };
    let firing: Vec<&LabelSet> = snapshot.alerts.iter().map(|a| &a.labels).collect();
    let stale: Vec<(String, String)> = resolved_acks(&snapshot.silences, &firing)
        .into_iter()
        .map(|s: &Silence| (s.source.clone(), s.id.clone()))
        .filter(|k| !state.expiring.contains(k))
        .collect();
    if stale.is_empty() {
        return Vec::new();
    }
    state.expiring.extend(stale.iter().cloned());
    vec![Effect::ExpireSilences(stale)]
}
