//! Runbooks from the console: pick one for the selected alert or group (matching ones
//! first), then walk its steps. A step's command is shown and runs only after `y`;
//! its output streams in; ctrl-c stops it with everything it started. The event loop
//! runs the process and records each step; this module only changes state.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::model::incident::Change;
use crate::model::{Alert, LabelSet};
use crate::runbook::exec::StepCommand;
use crate::runbook::{Library, Runbook, step_env};

use super::actions::{refuse_read_only, selected_alerts};
use super::app::{Effect, Mode, State};
use super::keymap::Action;

/// Output lines kept per step; older ones scroll away.
const OUTPUT_LINES: usize = 500;

/// What the console knows of runbooks.
#[derive(Debug, Clone, Default)]
pub struct Runbooks {
    pub library: Arc<Library>,
    /// The runbook being walked through, kept while a step runs even if its view is
    /// closed.
    pub run: Option<Run>,
    /// A `runbook_url` being fetched.
    pub fetching: Option<String>,
}

/// A runbook opened for one alert.
#[derive(Debug, Clone)]
pub struct Run {
    pub runbook: Runbook,
    /// The labels its steps get, from the alert it was opened for.
    pub labels: Vec<(String, String)>,
    /// That alert, in a few words.
    pub subject: Option<String>,
    pub selected: usize,
    pub steps: Vec<StepStatus>,
    /// Output per step, sanitized, newest last.
    pub output: Vec<Vec<String>>,
    /// The selected step waits for `y`.
    pub confirming: bool,
    pub running: Option<usize>,
}

/// Where a step is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepStatus {
    Pending,
    Running,
    Done { ok: bool, summary: String },
    Ticked,
}

/// What the step runner reports.
#[derive(Debug, Clone)]
pub enum StepEvent {
    Output {
        step: usize,
        line: String,
    },
    Finished {
        step: usize,
        ok: bool,
        summary: String,
    },
    /// A `runbook_url` fetched (or why not).
    Fetched(Result<Runbook, String>),
}

/// A step to run, and where its start and finish are recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct StepJob {
    pub runbook: String,
    pub step: String,
    pub index: usize,
    pub command: StepCommand,
    /// The active incident; None records to the run log.
    pub incident: Option<String>,
}

/// One line of the picker.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A runbook serving this many of the selected alerts.
    Serving(String, usize),
    /// The selected alert's `runbook_url`.
    Url(String),
    Other(String),
}

/// `r`: the open run if a step is still running, else the picker.
pub fn open_picker(state: &mut State) {
    if state
        .runbooks
        .run
        .as_ref()
        .is_some_and(|r| r.running.is_some())
    {
        state.mode = Mode::Runbook;
    } else {
        state.runbooks.run = None;
        state.mode = Mode::Runbooks {
            input: String::new(),
            selected: 0,
        };
    }
    state.dirty = true;
}

/// The picker's lines for `input`: runbooks serving the selected alerts (most served
/// first), the alert's `runbook_url`, then the others; typing narrows by fuzzy match
/// of name and title.
pub fn entries(state: &State, input: &str) -> Vec<Entry> {
    let alerts = selected_alerts(state);
    let labels: Vec<&LabelSet> = alerts.iter().map(|a| a.matched_labels()).collect();
    let library = &state.runbooks.library;
    let serving = library.serving(&labels);
    let mut urls: Vec<String> = alerts
        .iter()
        .filter_map(|a| a.annotations.get("runbook_url"))
        .map(crate::model::text::clean_line)
        .collect();
    urls.sort();
    urls.dedup();
    // Unfiltered: serving runbooks, the URLs, the rest by name.
    let mut all: Vec<(Entry, String)> = serving
        .iter()
        .map(|rb| {
            let n = labels.iter().filter(|l| rb.serves(l)).count();
            (
                Entry::Serving(rb.name.clone(), n),
                format!("{} {}", rb.name, rb.title),
            )
        })
        .collect();
    all.extend(urls.into_iter().map(|u| (Entry::Url(u.clone()), u)));
    all.extend(
        library
            .runbooks
            .iter()
            .filter(|rb| !serving.iter().any(|s| s.name == rb.name))
            .map(|rb| {
                (
                    Entry::Other(rb.name.clone()),
                    format!("{} {}", rb.name, rb.title),
                )
            }),
    );
    if input.is_empty() {
        return all.into_iter().map(|(e, _)| e).collect();
    }
    // Filtered: the best match first, whatever kind it is (a stable sort keeps the
    // order above among equals).
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut scored: Vec<(i64, Entry)> = all
        .into_iter()
        .filter_map(|(e, text)| matcher.fuzzy_match(&text, input).map(|s| (s, e)))
        .collect();
    scored.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    scored.into_iter().map(|(_, e)| e).collect()
}

pub fn on_picker_key(
    state: &mut State,
    key: KeyEvent,
    mut input: String,
    mut selected: usize,
) -> Vec<Effect> {
    state.dirty = true;
    let count = entries(state, &input).len();
    match key.code {
        KeyCode::Esc => {
            state.mode = Mode::Browse;
            return Vec::new();
        }
        KeyCode::Enter => {
            let Some(entry) = entries(state, &input).into_iter().nth(selected) else {
                state.error("no runbook matches");
                return Vec::new();
            };
            state.mode = Mode::Browse;
            return match entry {
                Entry::Serving(name, _) | Entry::Other(name) => {
                    open_named(state, &name);
                    Vec::new()
                }
                Entry::Url(url) => open_url(state, url),
            };
        }
        KeyCode::Down => selected = (selected + 1).min(count.saturating_sub(1)),
        KeyCode::Up => selected = selected.saturating_sub(1),
        KeyCode::Backspace => {
            input.pop();
            selected = 0;
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            input.push(c);
            selected = 0;
        }
        _ => {}
    }
    state.mode = Mode::Runbooks { input, selected };
    Vec::new()
}

/// A Markdown `runbook_url` is fetched and opened; any other is copied to the
/// terminal's clipboard (OSC 52 works over SSH) and shown.
fn open_url(state: &mut State, url: String) -> Vec<Effect> {
    if crate::runbook::remote::is_markdown_url(&url) {
        state.info(format!("fetching {url}"));
        state.runbooks.fetching = Some(url.clone());
        return vec![Effect::FetchRunbook(url)];
    }
    state.info(format!("copied to the clipboard: {url}"));
    vec![Effect::Copy(url)]
}

/// Opens the runbook `name` from the library for the selected alerts.
pub fn open_named(state: &mut State, name: &str) {
    match state.runbooks.library.get(name).cloned() {
        Some(rb) => open(state, rb),
        None => state.error(format!("no runbook `{name}`")),
    }
}

/// Opens `runbook` for the first selected alert it serves (or the first selected
/// alert): that alert's labels are what its steps get.
pub fn open(state: &mut State, runbook: Runbook) {
    let alerts = selected_alerts(state);
    let alert: Option<&Alert> = alerts
        .iter()
        .find(|a| runbook.serves(a.matched_labels()))
        .or(alerts.first())
        .copied();
    let labels = alert
        .map(|a| {
            a.matched_labels()
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let subject = alert.map(|a| crate::model::text::clean_line(a.headline()));
    let n = runbook.steps.len();
    state.runbooks.run = Some(Run {
        runbook,
        labels,
        subject,
        selected: 0,
        steps: vec![StepStatus::Pending; n],
        output: vec![Vec::new(); n],
        confirming: false,
        running: None,
    });
    state.mode = Mode::Runbook;
    state.dirty = true;
}

pub fn on_run_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    state.dirty = true;
    let ctrl_c = key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
    let Some(run) = state.runbooks.run.as_mut() else {
        state.mode = Mode::Browse;
        return Vec::new();
    };
    // ctrl-c is the kill switch here, never quit: a responder hammering it to stop a
    // step must not lose the console.
    if ctrl_c {
        if let Some(i) = run.running {
            state.info(format!("stopping step {}…", i + 1));
            return vec![Effect::CancelStep];
        }
        state.info("nothing is running; esc closes the runbook");
        return Vec::new();
    }
    if run.confirming {
        match key.code {
            KeyCode::Char('y') => {
                run.confirming = false;
                return start_selected(state);
            }
            KeyCode::Char('n') | KeyCode::Esc => run.confirming = false,
            _ => {}
        }
        return Vec::new();
    }
    let action = state.keymap.action_for(&key);
    let last = run.steps.len().saturating_sub(1);
    match (key.code, action) {
        (_, Some(Action::Down)) => run.selected = (run.selected + 1).min(last),
        (_, Some(Action::Up)) => run.selected = run.selected.saturating_sub(1),
        (_, Some(Action::Top)) => run.selected = 0,
        (_, Some(Action::Bottom)) => run.selected = last,
        (KeyCode::Char(' '), _) => return tick_selected(state),
        (KeyCode::Enter, _) => {
            let has_command = run
                .runbook
                .steps
                .get(run.selected)
                .is_some_and(|s| s.command.is_some());
            if !has_command {
                return tick_selected(state);
            }
            if let Some(i) = run.running {
                state.error(format!("step {} is still running: ctrl-c stops it", i + 1));
            } else if !refuse_read_only(state, "running runbook steps")
                && let Some(run) = state.runbooks.run.as_mut()
            {
                run.confirming = true;
            }
        }
        (_, Some(Action::Back | Action::Quit)) => {
            if run.running.is_none() {
                state.runbooks.run = None;
            } else {
                state.info("the step keeps running: r shows it again");
            }
            state.mode = Mode::Browse;
        }
        _ => {}
    }
    Vec::new()
}

/// Runs the selected step (it was confirmed with `y`).
fn start_selected(state: &mut State) -> Vec<Effect> {
    let incident = state.incidents.active.clone();
    let Some(run) = state.runbooks.run.as_mut() else {
        return Vec::new();
    };
    let i = run.selected;
    let step = &run.runbook.steps[i];
    let Some(command) = step.command.clone() else {
        return Vec::new();
    };
    let env = step_env(
        run.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        incident.as_deref(),
    );
    let job = StepJob {
        runbook: run.runbook.name.clone(),
        step: step.title.clone(),
        index: i,
        command: StepCommand {
            command,
            env,
            timeout: run.runbook.timeout_of(step),
            runbook_dir: run
                .runbook
                .path
                .parent()
                .filter(|d| d.is_dir())
                .map(Into::into),
        },
        incident,
    };
    run.running = Some(i);
    run.steps[i] = StepStatus::Running;
    run.output[i].clear();
    vec![Effect::RunStep(job)]
}

/// Ticks the selected checklist step by hand, recording it.
fn tick_selected(state: &mut State) -> Vec<Effect> {
    let incident = state.incidents.active.clone();
    let Some(run) = state.runbooks.run.as_ref() else {
        return Vec::new();
    };
    let i = run.selected;
    let step = &run.runbook.steps[i];
    if step.command.is_some() {
        state.info("this step runs a command: enter shows it and asks before it runs");
        return Vec::new();
    }
    if run.steps[i] == StepStatus::Ticked {
        return Vec::new();
    }
    let change = Change::RunbookStepFinished {
        runbook: run.runbook.name.clone(),
        step: step.title.clone(),
        exit_code: None,
        duration_ms: 0,
        output: step
            .checklist
            .iter()
            .map(|item| format!("[x] {item}"))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    if refuse_read_only(state, "ticking runbook steps") {
        return Vec::new();
    }
    if let Some(run) = state.runbooks.run.as_mut() {
        run.steps[i] = StepStatus::Ticked;
        run.selected = (i + 1).min(run.steps.len().saturating_sub(1));
    }
    vec![Effect::RecordStep(incident, change)]
}

/// Output and results from the step runner.
pub fn on_step_event(state: &mut State, event: StepEvent) -> Vec<Effect> {
    state.dirty = true;
    match event {
        StepEvent::Output { step, line } => {
            if let Some(out) = state
                .runbooks
                .run
                .as_mut()
                .and_then(|r| r.output.get_mut(step))
            {
                if out.len() == OUTPUT_LINES {
                    out.remove(0);
                }
                out.push(line);
            }
        }
        StepEvent::Finished { step, ok, summary } => {
            if let Some(run) = state.runbooks.run.as_mut() {
                run.running = None;
                if let Some(s) = run.steps.get_mut(step) {
                    *s = StepStatus::Done {
                        ok,
                        summary: summary.clone(),
                    };
                }
                // A step that worked moves the cursor on: the next one is what comes.
                if ok && run.selected == step {
                    run.selected = (step + 1).min(run.steps.len().saturating_sub(1));
                }
            }
            let text = format!("step {}: {summary}", step + 1);
            if ok {
                state.info(text);
            } else {
                state.error(text);
            }
        }
        StepEvent::Fetched(result) => {
            state.runbooks.fetching = None;
            match result {
                Ok(rb) => open(state, rb),
                Err(e) => state.error(e),
            }
        }
    }
    Vec::new()
}
