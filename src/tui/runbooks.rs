//! Runbooks from the console: pick one for the selected alert or group (those serving
//! the group's root first), then walk its steps for one target alert: the root's, or
//! the one the responder picks when the alerts differ in what the steps read. A step
//! runs only after its confirmation (target, source, every value it gets, the whole
//! command) and `y`, plus `!` when it has warnings; the target is checked against the
//! board again first. Its output streams in; ctrl-c stops it with everything it
//! started. The event loop runs the process and records each step; this module only
//! changes state.

pub use crate::live::steps::{StepEvent, StepJob};
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::model::incident::Change;
use crate::model::{Alert, LabelSet};
use crate::runbook::vars::Missing;
use crate::runbook::{Library, Runbook, step_env};

use super::actions::{refuse_read_only, selected_alerts};
use super::app::{Effect, Mode, Row, State};
use super::keymap::{Action, Mode as KeyMode};

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

/// A runbook opened for the selected alert or group.
#[derive(Debug, Clone)]
pub struct Run {
    pub runbook: Runbook,
    /// The alert whose labels its steps get; None while the responder picks one, or
    /// when nothing was selected.
    pub target: Option<Target>,
    /// The alerts the target is picked from: one for each set of values the steps read
    /// (more than one, and the responder picks; never silently the first).
    pub candidates: Vec<Alert>,
    /// Picking the target: the cursor in `candidates`.
    pub picking: Option<usize>,
    /// How many alerts were selected when it was opened.
    pub selected_alerts: usize,
    pub selected: usize,
    pub steps: Vec<StepStatus>,
    /// Output per step, sanitized, newest last.
    pub output: Vec<Vec<String>>,
    /// The selected step's confirmation, while it waits for an answer.
    pub confirming: Option<Confirmation>,
    pub running: Option<usize>,
}

/// The alert a run is for.
#[derive(Debug, Clone)]
pub struct Target {
    /// As last seen on the board.
    pub alert: Alert,
    /// How it was chosen, in a few words.
    pub why: String,
    /// The root of its group when it was chosen as the root's alert: checked again
    /// before a step runs.
    pub root: Option<String>,
    /// No source reported it at the last check.
    pub resolved: bool,
}

/// A step's confirmation: everything it will run with, scrolled through, then `y`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Confirmation {
    pub step: usize,
    pub scroll: u16,
    /// `y` was given to a step with warnings: only `!` runs it now.
    pub warned: bool,
    /// What changed about the target since it was last shown; the responder answers
    /// again after reading it.
    pub news: Option<String>,
}

/// Where a step is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepStatus {
    Pending,
    Running,
    Done { ok: bool, summary: String },
    Ticked,
}

impl Run {
    /// What clops sets for the steps: the target's labels, and the incident.
    pub fn env(&self, incident: Option<&str>) -> Vec<(String, String)> {
        let labels = self
            .target
            .iter()
            .flat_map(|t| t.alert.matched_labels().iter());
        step_env(labels, incident)
    }

    /// Why step `i` should not run on a plain `y`: values it reads that are unset or
    /// empty, a target that resolved.
    pub fn warnings(&self, i: usize, incident: Option<&str>) -> Vec<String> {
        let Some(step) = self.runbook.steps.get(i) else {
            return Vec::new();
        };
        let mut out: Vec<String> = self
            .runbook
            .missing(step, &self.env(incident))
            .iter()
            .map(Missing::describe)
            .collect();
        if self.target.as_ref().is_some_and(|t| t.resolved) {
            out.push("the target alert has resolved: no source reports it now".into());
        }
        out
    }
}

/// One line of the picker.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A runbook serving this many of the selected alerts; `root` when it serves an
    /// alert of the group's root.
    Serving {
        name: String,
        alerts: usize,
        root: bool,
    },
    /// A selected alert's `runbook_url`.
    Url(String),
    Other(String),
}

/// The selected alerts, and which of them are the group's root's.
struct Selection<'a> {
    alerts: Vec<&'a Alert>,
    /// Parallel to `alerts`.
    root: Vec<bool>,
    /// The group's root, when a group is selected and triage found one.
    root_name: Option<&'a str>,
}

impl<'a> Selection<'a> {
    fn of(state: &'a State) -> Selection<'a> {
        let alerts = selected_alerts(state);
        let group = match state.selected() {
            Some(Row::Group(g)) => state.board.groups.get(g),
            _ => None,
        };
        let config = &state.triage;
        let root = alerts
            .iter()
            .map(|a| {
                group.is_some_and(|g| g.is_root_alert(a, &config.service_label, &config.node_label))
            })
            .collect();
        Selection {
            alerts,
            root,
            root_name: group.and_then(|g| g.root.as_deref()),
        }
    }

    fn roots(&self) -> impl Iterator<Item = &'a Alert> + '_ {
        self.alerts
            .iter()
            .zip(&self.root)
            .filter(|(_, r)| **r)
            .map(|(a, _)| *a)
    }
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

/// The picker's lines for `input`: runbooks serving the selected alerts (those serving
/// the group's root first, then the most served), the alerts' `runbook_url`s (the
/// root's first), then the others; typing narrows by fuzzy match of name and title.
pub fn entries(state: &State, input: &str) -> Vec<Entry> {
    let selection = Selection::of(state);
    let alerts = &selection.alerts;
    let labels: Vec<&LabelSet> = alerts.iter().map(|a| a.matched_labels()).collect();
    let library = &state.runbooks.library;
    let mut serving: Vec<(&Runbook, Option<usize>)> = library
        .serving(&labels)
        .into_iter()
        .map(|rb| {
            // Where the first root alert it serves stands in the group's order.
            let rank = alerts
                .iter()
                .zip(&selection.root)
                .position(|(a, root)| *root && rb.serves(a.matched_labels()));
            (rb, rank)
        })
        .collect();
    serving.sort_by_key(|(_, rank)| (rank.is_none(), rank.unwrap_or(0)));
    let mut urls: Vec<String> = Vec::new();
    let root_first = selection.roots().chain(
        alerts
            .iter()
            .copied()
            .zip(&selection.root)
            .filter(|(_, r)| !**r)
            .map(|(a, _)| a),
    );
    for url in root_first.filter_map(|a| a.annotations.get("runbook_url")) {
        let url = crate::text::clean_line(url);
        if !urls.contains(&url) {
            urls.push(url);
        }
    }
    // Unfiltered: serving runbooks, the URLs, the rest by name.
    let mut all: Vec<(Entry, String)> = serving
        .iter()
        .map(|(rb, rank)| {
            let n = labels.iter().filter(|l| rb.serves(l)).count();
            (
                Entry::Serving {
                    name: rb.name.clone(),
                    alerts: n,
                    root: rank.is_some(),
                },
                format!("{} {}", rb.name, rb.title),
            )
        })
        .collect();
    all.extend(urls.into_iter().map(|u| (Entry::Url(u.clone()), u)));
    all.extend(
        library
            .runbooks
            .iter()
            .filter(|rb| !serving.iter().any(|(s, _)| s.name == rb.name))
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

/// The group root the selection has, for the picker's note.
pub fn selected_root(state: &State) -> Option<String> {
    Selection::of(state).root_name.map(str::to_string)
}

/// Keys in the runbook picker (the `runbooks` mode of the keymap): type to narrow,
/// enter opens, esc closes.
pub fn on_picker_key(
    state: &mut State,
    key: KeyEvent,
    mut input: String,
    mut selected: usize,
) -> Vec<Effect> {
    state.dirty = true;
    let count = entries(state, &input).len();
    match state.keymap.action_in(KeyMode::Runbooks, &key) {
        Some(Action::Back) => {
            state.mode = Mode::Browse;
            return Vec::new();
        }
        Some(Action::Open) => {
            let Some(entry) = entries(state, &input).into_iter().nth(selected) else {
                state.error("no runbook matches");
                return Vec::new();
            };
            state.mode = Mode::Browse;
            return match entry {
                Entry::Serving { name, .. } | Entry::Other(name) => {
                    open_named(state, &name);
                    Vec::new()
                }
                Entry::Url(url) => open_url(state, url),
            };
        }
        Some(Action::Down) => selected = (selected + 1).min(count.saturating_sub(1)),
        Some(Action::Up) => selected = selected.saturating_sub(1),
        Some(Action::Erase) => {
            input.pop();
            selected = 0;
        }
        Some(_) => {}
        None => {
            if let Some(c) = super::app::typed(&key) {
                input.push(c);
                selected = 0;
            }
        }
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

/// Opens `runbook` for the selection. Its target is the alert whose labels the steps
/// get, looked for in this order: for a fetched runbook the alerts linking to it, then
/// the alerts it serves, then all selected; among those, the group's root's first.
/// When they differ in what the steps read, the responder picks.
pub fn open(state: &mut State, runbook: Runbook) {
    let selection = Selection::of(state);
    let linking = |a: &Alert| {
        runbook
            .remote
            .as_deref()
            .is_some_and(|url| a.annotations.get("runbook_url") == Some(url))
    };
    let indices: Vec<usize> = (0..selection.alerts.len()).collect();
    let tiers: [Vec<usize>; 3] = [
        indices
            .iter()
            .copied()
            .filter(|&i| linking(selection.alerts[i]))
            .collect(),
        indices
            .iter()
            .copied()
            .filter(|&i| runbook.serves(selection.alerts[i].matched_labels()))
            .collect(),
        indices.clone(),
    ];
    let (tier, pool) = tiers
        .into_iter()
        .enumerate()
        .find(|(_, t)| !t.is_empty())
        .unwrap_or((2, Vec::new()));
    let roots: Vec<usize> = pool
        .iter()
        .copied()
        .filter(|&i| selection.root[i])
        .collect();
    let from_root = !roots.is_empty();
    let pool = if from_root { roots } else { pool };
    // One candidate for each set of values the steps read: alerts that give the same
    // values give the same commands.
    let vars = runbook.label_vars();
    let values = |a: &Alert| -> Vec<Option<String>> {
        let env = step_env(a.matched_labels().iter(), None);
        vars.iter()
            .map(|v| env.iter().find(|(k, _)| k == v).map(|(_, x)| x.clone()))
            .collect()
    };
    let mut candidates: Vec<Alert> = Vec::new();
    let mut seen: Vec<Vec<Option<String>>> = Vec::new();
    for &i in &pool {
        let a = selection.alerts[i];
        let v = values(a);
        if !seen.contains(&v) {
            seen.push(v);
            candidates.push(a.clone());
        }
    }
    let of = selection.alerts.len();
    let root = from_root.then(|| selection.root_name.unwrap_or_default().to_string());
    let why = match (&root, tier) {
        (Some(r), _) => format!("an alert of the group's root, {r}"),
        (None, 0) => "the alert linking to this runbook".to_string(),
        (None, 1) if of > 1 => "the alert it serves".to_string(),
        (None, _) if of > 1 => "an alert of the selection (it serves none)".to_string(),
        (None, _) => "the selected alert".to_string(),
    };
    let target = (candidates.len() == 1).then(|| Target {
        alert: candidates[0].clone(),
        why,
        root,
        resolved: false,
    });
    let picking = (candidates.len() > 1).then_some(0);
    let n = runbook.steps.len();
    state.runbooks.run = Some(Run {
        runbook,
        target,
        candidates,
        picking,
        selected_alerts: of,
        selected: 0,
        steps: vec![StepStatus::Pending; n],
        output: vec![Vec::new(); n],
        confirming: None,
        running: None,
    });
    state.mode = Mode::Runbook;
    state.dirty = true;
}

/// The picked candidate becomes the target.
fn pick(state: &mut State, i: usize) {
    let Some(run) = state.runbooks.run.as_mut() else {
        return;
    };
    let Some(alert) = run.candidates.get(i).cloned() else {
        return;
    };
    run.target = Some(Target {
        alert,
        why: "picked by you".into(),
        root: None,
        resolved: false,
    });
    run.picking = None;
}

/// Looks the target up on the board as it is now (rebuilt on every poll): what changed
/// since it was last shown, in words; None when nothing did.
fn check_target(state: &mut State) -> Option<String> {
    let config = &state.triage;
    let (service_label, node_label) = (config.service_label.clone(), config.node_label.clone());
    let target = state.runbooks.run.as_mut()?.target.as_mut()?;
    let now = state.board.groups.iter().find_map(|g| {
        g.alerts
            .iter()
            .find(|a| {
                a.fingerprint == target.alert.fingerprint
                    && a.matched_labels() == target.alert.matched_labels()
            })
            .map(|a| (g, a))
    });
    let Some((group, alert)) = now else {
        if target.resolved {
            return None;
        }
        target.resolved = true;
        return Some("the target alert has resolved: no source reports it now".into());
    };
    let mut news: Vec<String> = Vec::new();
    if target.resolved {
        news.push("the target alert fires again".into());
        target.resolved = false;
    }
    if alert.state != target.alert.state {
        news.push(format!(
            "the target alert is {} now (was {})",
            alert.state.as_str(),
            target.alert.state.as_str()
        ));
    }
    if let Some(root) = &target.root
        && !group.is_root_alert(alert, &service_label, &node_label)
    {
        news.push(format!(
            "it is no longer an alert of its group's root ({root} before, {} now)",
            group.root.as_deref().unwrap_or("none")
        ));
        target.root = None;
        target.why = "an alert that was its group's root's".into();
    }
    target.alert = alert.clone();
    (!news.is_empty()).then(|| news.join("; "))
}

/// Keys in the runbook view: the `runbook` mode of the keymap, or while a target is
/// picked `runbook-target`, or while a step asks first `runbook-confirm`.
pub fn on_run_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    state.dirty = true;
    let ctrl_c = key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
    let Some(run) = state.runbooks.run.as_ref() else {
        state.mode = Mode::Browse;
        return Vec::new();
    };
    let mode = if run.picking.is_some() {
        KeyMode::RunbookTarget
    } else if run.confirming.is_some() {
        KeyMode::RunbookConfirm
    } else {
        KeyMode::Runbook
    };
    let action = state.keymap.action_in(mode, &key);
    let stop = state.keymap.key_in(KeyMode::Runbook, Action::Stop);
    let close = state.keymap.key_in(KeyMode::Runbook, Action::Back);
    let show = state.keymap.keys_text(Action::Runbooks);
    let Some(run) = state.runbooks.run.as_mut() else {
        return Vec::new();
    };
    // ctrl-c is the kill switch here, never quit: a responder hammering it to stop a
    // step must not lose the console.
    if ctrl_c || action == Some(Action::Stop) {
        if let Some(i) = run.running {
            state.info(format!("stopping step {}…", i + 1));
            return vec![Effect::CancelStep];
        }
        state.info(format!("nothing is running; {close} closes the runbook"));
        return Vec::new();
    }
    if let Some(at) = run.picking {
        let last = run.candidates.len().saturating_sub(1);
        match action {
            Some(Action::Choose) => pick(state, at),
            Some(Action::Down) => run.picking = Some((at + 1).min(last)),
            Some(Action::Up) => run.picking = Some(at.saturating_sub(1)),
            Some(Action::Back | Action::Quit) => {
                if run.target.is_some() {
                    run.picking = None;
                } else {
                    state.runbooks.run = None;
                    state.mode = Mode::Browse;
                }
            }
            _ => {}
        }
        return Vec::new();
    }
    if run.confirming.is_some() {
        return on_confirm_key(state, action);
    }
    let last = run.steps.len().saturating_sub(1);
    match action {
        Some(Action::Down) => run.selected = (run.selected + 1).min(last),
        Some(Action::Up) => run.selected = run.selected.saturating_sub(1),
        Some(Action::Top) => run.selected = 0,
        Some(Action::Bottom) => run.selected = last,
        Some(Action::Tick) => return tick_selected(state),
        Some(Action::Target) => {
            if run.running.is_some() {
                state.error("a step is running: the target changes after it ends");
            } else if run.candidates.len() > 1 {
                let at = run
                    .target
                    .as_ref()
                    .and_then(|t| {
                        run.candidates
                            .iter()
                            .position(|c| c.fingerprint == t.alert.fingerprint)
                    })
                    .unwrap_or(0);
                run.picking = Some(at);
            } else {
                state.info("the selection gives this runbook no other target");
            }
        }
        Some(Action::Run) => {
            let has_command = run
                .runbook
                .steps
                .get(run.selected)
                .is_some_and(|s| s.command.is_some());
            if !has_command {
                return tick_selected(state);
            }
            if let Some(i) = run.running {
                state.error(format!(
                    "step {i} is still running: {stop} stops it",
                    i = i + 1
                ));
            } else if !refuse_read_only(state, "running runbook steps") {
                // What the confirmation shows of the target is what the board says now.
                let news = check_target(state);
                if let Some(run) = state.runbooks.run.as_mut() {
                    run.confirming = Some(Confirmation {
                        step: run.selected,
                        news,
                        ..Confirmation::default()
                    });
                }
            }
        }
        Some(Action::Back | Action::Quit) => {
            if run.running.is_none() {
                state.runbooks.run = None;
            } else {
                state.info(format!("the step keeps running: {show} shows it again"));
            }
            state.mode = Mode::Browse;
        }
        _ => {}
    }
    Vec::new()
}

/// Keys while a step's confirmation is shown: scroll, `y`, `!` after a warning, `n`.
fn on_confirm_key(state: &mut State, action: Option<Action>) -> Vec<Effect> {
    let limit = super::views::runbook_confirm_scroll_limit(state);
    let incident = state.incidents.active.clone();
    let Some(run) = state.runbooks.run.as_mut() else {
        return Vec::new();
    };
    let Some(confirm) = run.confirming.as_mut() else {
        return Vec::new();
    };
    let page = state.height.saturating_sub(8).max(1);
    let scroll = confirm.scroll;
    match action {
        Some(Action::Yes) => return answer(state, false, incident.as_deref()),
        Some(Action::Force) => return answer(state, true, incident.as_deref()),
        Some(Action::No) => {
            run.confirming = None;
            state.info("not run");
        }
        Some(Action::Down) => confirm.scroll = (scroll + 1).min(limit),
        Some(Action::Up) => confirm.scroll = scroll.saturating_sub(1),
        Some(Action::PageDown) => confirm.scroll = (scroll + page).min(limit),
        Some(Action::PageUp) => confirm.scroll = scroll.saturating_sub(page),
        Some(Action::Top) => confirm.scroll = 0,
        Some(Action::Bottom) => confirm.scroll = limit,
        _ => {}
    }
    Vec::new()
}

/// `y` (or `!`, `forced`): the target is checked again first; a change is shown and
/// asked about again. A step with warnings needs `y` and then `!`.
fn answer(state: &mut State, forced: bool, incident: Option<&str>) -> Vec<Effect> {
    let key = |a: Action| state.keymap.key_in(KeyMode::RunbookConfirm, a);
    let (yes, force, no) = (key(Action::Yes), key(Action::Force), key(Action::No));
    if forced
        && !state
            .runbooks
            .run
            .as_ref()
            .and_then(|r| r.confirming.as_ref())
            .is_some_and(|c| c.warned)
    {
        state.info(format!(
            "{force} runs a step only after {yes} showed its warnings"
        ));
        return Vec::new();
    }
    let news = check_target(state);
    let Some(run) = state.runbooks.run.as_mut() else {
        return Vec::new();
    };
    let warnings = run.warnings(run.selected, incident);
    let Some(confirm) = run.confirming.as_mut() else {
        return Vec::new();
    };
    if let Some(news) = news {
        confirm.news = Some(news);
        confirm.warned = false;
        state.error(format!(
            "the target changed since this was shown: read it again before {yes}"
        ));
        return Vec::new();
    }
    confirm.news = None;
    if !warnings.is_empty() && !forced {
        let again = std::mem::replace(&mut confirm.warned, true);
        if again {
            state.info(format!(
                "this step has warnings: {force} runs it anyway, {no} does not"
            ));
        }
        return Vec::new();
    }
    run.confirming = None;
    start_selected(state)
}

/// Runs the selected step (it was confirmed).
fn start_selected(state: &mut State) -> Vec<Effect> {
    let incident = state.incidents.active.clone();
    let Some(run) = state.runbooks.run.as_mut() else {
        return Vec::new();
    };
    let i = run.selected;
    let step = &run.runbook.steps[i];
    let Some(command) = run.runbook.step_command(step, run.env(incident.as_deref())) else {
        return Vec::new();
    };
    let job = StepJob {
        runbook: run.runbook.name.clone(),
        step: step.title.clone(),
        index: i,
        command,
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
                Err(e) => state.error(e.to_string()),
            }
        }
    }
    Vec::new()
}
