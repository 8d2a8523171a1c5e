//! Changing things from the console: silence, ack and unsilence. Every change is shown
//! in full and confirmed with `y` before anything is sent; `--read-only` refuses them.

pub use crate::live::actions::Change;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use crate::model::{
    Alert, Board, Fingerprint, MatchOp, Matcher, MatcherError, NewSilence, SilenceState,
};
use crate::text::time::{self, Style};
use crate::text::{clean_line, plural};

use super::app::{Effect, Mode, Row, State};
use super::keymap::{Action, Mode as KeyMode};

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

/// A change waiting for `y`: what will happen, its exact target, and what that target
/// was when asked, so `y` can check it still is.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    /// What will happen, in a line or two.
    pub question: String,
    /// The exact target: matchers as Alertmanager will store them, the alerts it hits.
    pub details: Vec<String>,
    pub change: Change,
    /// What the change was meant for when asked.
    pub target: Target,
    /// The first detail line shown.
    pub scroll: usize,
    /// The silence form this came from: `n` goes back to it with what was typed.
    pub form: Option<SilenceForm>,
}

/// What a change is meant for, checked again on `y`.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// These alerts (fingerprints, sorted).
    Alerts(Vec<Fingerprint>),
    /// These silences (source, id).
    Silences(Vec<(String, String)>),
}

/// How many alerts a confirmation lists before it says how many more.
const LISTED: usize = 500;

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
    let matchers = prefill_matchers(&alerts, &state.triage.service_label);
    state.mode = Mode::Silence(SilenceForm {
        sources,
        matchers,
        duration: Style::Config.format(state.silence_duration),
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
    // Values as stored, not as shown: the silence must match what Alertmanager holds.
    let mut matchers: Vec<String> = first
        .matched_labels()
        .iter()
        .filter(|(k, v)| alerts.iter().all(|a| a.matched_labels().get(k) == Some(v)))
        .map(|(k, v)| Matcher::equal(k, v).to_string())
        .collect();
    for label in ["alertname", service_label] {
        let mut values: Vec<&str> = alerts
            .iter()
            .map(|a| a.matched_labels().get(label).unwrap_or(""))
            .collect();
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
            // Printed as Alertmanager prints it, so quotes and line breaks in a value
            // read back as the value.
            if let Ok(m) = Matcher::new(label, MatchOp::Regex, &alternatives.join("|")) {
                matchers.push(m.to_string());
            }
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
    Some(covered(board, &ms, None).len())
}

/// The alerts on the board that `matchers` cover, once each: of `sources` only, when
/// given (a silence covers the alerts of the Alertmanager it lives in).
pub fn covered<'a>(
    board: &'a Board,
    matchers: &[Matcher],
    sources: Option<&[String]>,
) -> Vec<&'a Alert> {
    let in_sources = |a: &&Alert| {
        sources.is_none_or(|ss| a.sources.iter().any(|s| ss.iter().any(|t| **s == **t)))
    };
    crate::model::silence::covered(
        matchers,
        board
            .groups
            .iter()
            .flat_map(|g| &g.alerts)
            .filter(in_sources),
    )
}

/// The alerts on the board that `keep` keeps, once each (an alert may sit in two
/// groups after a merge or split).
fn unique_alerts(board: &Board, keep: impl Fn(&Alert) -> bool) -> Vec<&Alert> {
    let mut seen = std::collections::HashSet::new();
    board
        .groups
        .iter()
        .flat_map(|g| &g.alerts)
        .filter(|a| keep(a) && seen.insert(a.fingerprint))
        .collect()
}

/// One alert in words: its name, service and cluster.
pub fn describe_alert(a: &Alert, service_label: &str) -> String {
    let mut s = clean_line(a.name());
    if s.is_empty() {
        s = format!("alert {}", a.fingerprint);
    }
    let service = a.label(service_label);
    if !service.is_empty() {
        s.push_str(" on ");
        s.push_str(&clean_line(service));
    }
    let cluster = a.label("cluster");
    if !cluster.is_empty() {
        s.push_str(" in ");
        s.push_str(&clean_line(cluster));
    }
    s
}

/// Several alerts in words: how many, and the few names, services and clusters they
/// span.
pub fn describe_alerts(alerts: &[&Alert], service_label: &str) -> String {
    match alerts {
        [] => "no alert".into(),
        [one] => describe_alert(one, service_label),
        many => {
            let few = |label: &str| {
                let mut values: Vec<String> = many
                    .iter()
                    .map(|a| clean_line(a.label(label)))
                    .filter(|v| !v.is_empty())
                    .collect();
                values.sort();
                values.dedup();
                match values.len() {
                    0 => None,
                    1..=3 => Some(values.join(", ")),
                    n => Some(format!("{} and {} more", values[..2].join(", "), n - 2)),
                }
            };
            let mut s = plural(many.len(), "alert");
            let mut said = Vec::new();
            if let Some(names) = few("alertname") {
                said.push(names);
            }
            if let Some(services) = few(service_label) {
                said.push(format!("on {services}"));
            }
            if let Some(clusters) = few("cluster") {
                said.push(format!("in {clusters}"));
            }
            if !said.is_empty() {
                s.push_str(": ");
                s.push_str(&said.join(" "));
            }
            s
        }
    }
}

/// What the alerts are, after their count in a question: ` (HighErrorRate on checkout
/// in prod-eu)`, or ` (HighErrorRate, HighLatency on checkout, payments in prod-eu)`.
fn span_of(alerts: &[&Alert], service_label: &str) -> String {
    match alerts {
        [] => String::new(),
        [one] => format!(" ({})", describe_alert(one, service_label)),
        many => {
            let said = describe_alerts(many, service_label);
            match said.split_once(": ") {
                Some((_, span)) => format!(" ({span})"),
                None => String::new(),
            }
        }
    }
}

/// The first line of a question asked again: what changed since it was first asked.
fn changed_since(what: &str, then: Option<usize>, now: usize, noun: &str) -> String {
    match then {
        Some(then) => format!(
            "{what} changed since you were asked: {} then, {now} now.\n",
            plural(then, noun)
        ),
        None => String::new(),
    }
}

/// Detail lines listing `alerts`, one each, with their fingerprints.
fn alert_lines(alerts: &[&Alert], service_label: &str) -> Vec<String> {
    let mut lines: Vec<String> = alerts
        .iter()
        .take(LISTED)
        .map(|a| format!("  {}  {}", describe_alert(a, service_label), a.fingerprint))
        .collect();
    if alerts.len() > LISTED {
        lines.push(format!("  … and {} more", alerts.len() - LISTED));
    }
    lines
}

fn fingerprints(alerts: &[&Alert]) -> Vec<Fingerprint> {
    let mut fps: Vec<Fingerprint> = alerts.iter().map(|a| a.fingerprint).collect();
    fps.sort_unstable();
    fps
}

/// Keys in the silence form: tab moves between fields, enter submits, esc cancels
/// (the `silence` mode of the keymap).
pub fn on_form_key(state: &mut State, key: KeyEvent, mut form: SilenceForm) {
    state.dirty = true;
    let field = match form.field {
        Field::Matchers => &mut form.matchers,
        Field::Duration => &mut form.duration,
        Field::Comment => &mut form.comment,
    };
    match state.keymap.action_in(KeyMode::Silence, &key) {
        Some(Action::Back) => {
            state.mode = Mode::Browse;
            state.info("silence cancelled");
            return;
        }
        Some(Action::NextField) => form.field = next_field(form.field, 1),
        Some(Action::PreviousField) => form.field = next_field(form.field, 2),
        Some(Action::Erase) => {
            field.pop();
        }
        Some(Action::ClearLine) => field.clear(),
        Some(Action::Submit) => match build_silences(&form, &state.author, state.now) {
            Ok(silences) => {
                state.mode = Mode::Confirm(silence_confirm(state, form, silences, None));
                return;
            }
            Err(problem) => form.problem = Some(problem.to_string()),
        },
        Some(_) => {}
        None => {
            if let Some(c) = super::app::typed(&key) {
                field.push(c);
            }
        }
    }
    state.mode = Mode::Silence(form);
}

/// The confirmation of a silence from the form: the matchers as Alertmanager will
/// store them and the exact alerts they cover now. `then` is what they covered when
/// first asked, when that has changed.
fn silence_confirm(
    state: &State,
    form: SilenceForm,
    silences: Vec<(String, NewSilence)>,
    then: Option<usize>,
) -> Confirm {
    let label = &state.triage.service_label;
    let matchers = silences
        .first()
        .map(|(_, s)| s.matchers.clone())
        .unwrap_or_default();
    let alerts = covered(&state.board, &matchers, Some(&form.sources));
    let mut question = changed_since("What this silence covers", then, alerts.len(), "alert");
    question.push_str(&format!(
        "Silence {} now matching{} for {} in {}, as {}?\n“{}”",
        plural(alerts.len(), "alert"),
        span_of(&alerts, label),
        form.duration.trim(),
        form.sources.join(", "),
        state.author,
        clean_line(form.comment.trim())
    ));
    let mut details = vec!["Matchers, as Alertmanager will store them:".to_string()];
    details.extend(
        matchers
            .iter()
            .map(|m| format!("  {}", clean_line(&m.to_string()))),
    );
    details.push(match alerts.len() {
        0 => "It covers no alert now.".to_string(),
        n => format!("It covers {} now:", plural(n, "alert")),
    });
    details.extend(alert_lines(&alerts, label));
    Confirm {
        question,
        details,
        change: Change::Create(silences),
        target: Target::Alerts(fingerprints(&alerts)),
        scroll: 0,
        form: Some(form),
    }
}

fn next_field(f: Field, step: usize) -> Field {
    const ORDER: [Field; 3] = [Field::Matchers, Field::Duration, Field::Comment];
    let i = ORDER.iter().position(|x| *x == f).unwrap_or(0);
    ORDER[(i + step) % 3]
}

/// What is wrong with a silence form, named by its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SilenceFormProblem {
    #[error("matchers: {0}")]
    Matchers(MatcherError),
    #[error("matchers: give at least one")]
    NoMatchers,
    #[error("duration: {0}")]
    Duration(time::DurationError),
    #[error("duration: a silence must last longer than zero")]
    ZeroDuration,
    #[error("duration: too long")]
    TooLong,
    #[error("comment: say why, for whoever finds this silence later")]
    NoComment,
}

fn build_silences(
    form: &SilenceForm,
    author: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(String, NewSilence)>, SilenceFormProblem> {
    let matchers = Matcher::parse_list(&form.matchers).map_err(SilenceFormProblem::Matchers)?;
    if matchers.is_empty() {
        return Err(SilenceFormProblem::NoMatchers);
    }
    let duration = time::parse(&form.duration).map_err(SilenceFormProblem::Duration)?;
    if duration.is_zero() {
        return Err(SilenceFormProblem::ZeroDuration);
    }
    if form.comment.trim().is_empty() {
        return Err(SilenceFormProblem::NoComment);
    }
    let duration = chrono::Duration::from_std(duration).map_err(|_| SilenceFormProblem::TooLong)?;
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
        let silence = state.keymap.keys_text(Action::Silence);
        state.error(format!(
            "{} alerts is too many to ack one by one: silence the group with {silence} instead",
            alerts.len()
        ));
        return;
    }
    match ack_confirm(state, &alerts, None) {
        Ok(confirm) => state.mode = Mode::Confirm(confirm),
        Err(problem) => state.error(problem.to_string()),
    }
    state.dirty = true;
}

/// Why alerts cannot be acked: none of them lives in a source that can silence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("none of these alerts comes from a source that can silence")]
pub struct NoSilencingSource;

/// The confirmation of acks for `alerts`; refused when none of them lives in a source
/// that can silence.
fn ack_confirm(
    state: &State,
    alerts: &[&Alert],
    then: Option<usize>,
) -> Result<Confirm, NoSilencingSource> {
    let cap = chrono::Duration::from_std(state.ack_cap).unwrap_or(chrono::Duration::hours(12));
    let mut acks = Vec::new();
    for a in alerts {
        for source in a.sources.iter().filter(|s| state.silencing.contains(&***s)) {
            acks.push((
                source.to_string(),
                NewSilence::ack(a.matched_labels(), cap, &state.author, state.now),
            ));
        }
    }
    if acks.is_empty() {
        return Err(NoSilencingSource);
    }
    let label = &state.triage.service_label;
    let mut question = changed_since("The alerts to ack", then, alerts.len(), "alert");
    question.push_str(&format!(
        "Ack {}{} as {}? Each stays silenced until it resolves, {} at most.",
        plural(alerts.len(), "alert"),
        span_of(alerts, label),
        state.author,
        Style::Config.format(state.ack_cap)
    ));
    let mut details = vec![format!("Acks, one silence of exactly each alert:")];
    details.extend(alert_lines(alerts, label));
    Ok(Confirm {
        question,
        details,
        change: Change::Create(acks),
        target: Target::Alerts(fingerprints(alerts)),
        scroll: 0,
        form: None,
    })
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
    state.mode = Mode::Confirm(expire_confirm(state, targets, None));
    state.dirty = true;
}

/// The confirmation of expiring `targets` (source, id), naming each silence.
fn expire_confirm(state: &State, targets: Vec<(String, String)>, then: Option<usize>) -> Confirm {
    let mut question = changed_since("The silences to expire", then, targets.len(), "silence");
    // What pages again once they are gone: every alert they hold quiet now.
    let quiet = unique_alerts(&state.board, |a| {
        a.silenced_by
            .iter()
            .any(|id| targets.iter().any(|(_, t)| t == id))
    });
    let label = &state.triage.service_label;
    question.push_str(&format!(
        "Expire {} now? {}{} will page again.",
        plural(targets.len(), "silence"),
        plural(quiet.len(), "alert"),
        span_of(&quiet, label)
    ));
    let mut details = Vec::new();
    for (source, id) in &targets {
        details.push(format!("  {id} in {source}"));
        if let Some(s) = state.board.silence(id) {
            details.push(format!(
                "    by {}: “{}”",
                clean_line(&s.created_by),
                clean_line(&s.comment)
            ));
            for m in &s.matchers {
                details.push(format!("    {}", clean_line(&m.to_string())));
            }
        }
    }
    if !quiet.is_empty() {
        details.push("They hold quiet now:".into());
        details.extend(alert_lines(&quiet, label));
    }
    Confirm {
        question,
        details,
        change: Change::Expire(targets.clone()),
        target: Target::Silences(targets),
        scroll: 0,
        form: None,
    }
}

/// The alerts of `fps` still on the board and not silenced, once each.
fn still_firing<'a>(board: &'a Board, fps: &[Fingerprint]) -> Vec<&'a Alert> {
    unique_alerts(board, |a| {
        fps.binary_search(&a.fingerprint).is_ok() && a.silenced_by.is_empty()
    })
}

/// `y` checks the target is still what was shown, then carries the change out; if the
/// target changed meanwhile, it says so and asks again. Scroll keys move through the
/// details; any other key is no (back to the silence form, with what was typed). The
/// keys are the `confirm` mode's of the keymap.
pub fn on_confirm_key(state: &mut State, key: KeyEvent, mut confirm: Confirm) -> Vec<Effect> {
    state.dirty = true;
    let action = state.keymap.action_in(KeyMode::Confirm, &key);
    let scroll = match action {
        Some(Action::Down) => Some(confirm.scroll.saturating_add(1)),
        Some(Action::Up) => Some(confirm.scroll.saturating_sub(1)),
        Some(Action::PageDown) => Some(confirm.scroll.saturating_add(10)),
        Some(Action::PageUp) => Some(confirm.scroll.saturating_sub(10)),
        _ => None,
    };
    if let Some(scroll) = scroll {
        confirm.scroll = scroll.min(super::views::confirm_scroll_limit(state, &confirm));
        state.mode = Mode::Confirm(confirm);
        return Vec::new();
    }
    if action != Some(Action::Yes) {
        match confirm.form {
            Some(form) => {
                state.mode = Mode::Silence(form);
                let drop = state.keymap.key_in(KeyMode::Silence, Action::Back);
                state.info(format!(
                    "not sent: change the silence, or {drop} to drop it"
                ));
            }
            None => {
                state.mode = Mode::Browse;
                state.info("cancelled: nothing was changed");
            }
        }
        return Vec::new();
    }
    if let Some(again) = recheck(state, &confirm) {
        state.mode = again;
        return Vec::new();
    }
    state.mode = Mode::Browse;
    state.info("sending…");
    vec![match confirm.change {
        Change::Create(s) => Effect::CreateSilences(s),
        Change::Expire(s) => Effect::ExpireSilences(s),
    }]
}

/// What to show instead of sending, when the target is no longer what was shown: a
/// new confirmation of the target as it is now, or the list with a reason.
fn recheck(state: &mut State, confirm: &Confirm) -> Option<Mode> {
    match (&confirm.target, &confirm.change) {
        (Target::Alerts(then), Change::Create(silences)) if confirm.form.is_some() => {
            let form = confirm.form.clone().expect("checked");
            let matchers = silences
                .first()
                .map(|(_, s)| s.matchers.clone())
                .unwrap_or_default();
            let now = fingerprints(&covered(&state.board, &matchers, Some(&form.sources)));
            (now != *then).then(|| {
                Mode::Confirm(silence_confirm(
                    state,
                    form,
                    silences.clone(),
                    Some(then.len()),
                ))
            })
        }
        (Target::Alerts(then), Change::Create(_)) => {
            let firing = still_firing(&state.board, then);
            if fingerprints(&firing) == *then {
                return None;
            }
            if firing.is_empty() {
                state.error(
                    "nothing was sent: every alert to ack resolved or was silenced meanwhile",
                );
                return Some(Mode::Browse);
            }
            Some(match ack_confirm(state, &firing, Some(then.len())) {
                Ok(c) => Mode::Confirm(c),
                Err(problem) => {
                    state.error(problem.to_string());
                    Mode::Browse
                }
            })
        }
        (Target::Silences(then), _) => {
            let left: Vec<(String, String)> = then
                .iter()
                .filter(|(_, id)| {
                    state
                        .board
                        .silence(id)
                        .is_some_and(|s| s.state != SilenceState::Expired)
                })
                .cloned()
                .collect();
            if left == *then {
                return None;
            }
            if left.is_empty() {
                state.error("nothing was sent: those silences expired meanwhile");
                return Some(Mode::Browse);
            }
            Some(Mode::Confirm(expire_confirm(state, left, Some(then.len()))))
        }
        (Target::Alerts(_), Change::Expire(_)) => None,
    }
}

/// Acks whose alerts have all resolved (found by the board's builder): expire them,
/// as the ack promised. Left alone in read-only mode; `expiring` keeps one console from
/// asking twice.
pub fn expire_resolved_acks(state: &mut State, resolved: Vec<(String, String)>) -> Vec<Effect> {
    if state.read_only {
        return Vec::new();
    }
    let stale: Vec<(String, String)> = resolved
        .into_iter()
        .filter(|k| !state.expiring.contains(k))
        .collect();
    if stale.is_empty() {
        return Vec::new();
    }
    state.expiring.extend(stale.iter().cloned());
    vec![Effect::ExpireSilences(stale)]
}
