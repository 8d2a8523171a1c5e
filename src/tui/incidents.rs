//! Incidents from the console: declare one from a group, then note, change status,
//! severity and roles, and attach alerts — all into the active incident's timeline.
//! The state changes here; the event loop writes the store and reports back.

pub use crate::live::incidents::{Feed, Recorded, WriteError};
use crossterm::event::KeyEvent;

use crate::incident::Declaration;
use crate::model::incident::{
    AttachedAlert, Change, Event as TimelineEvent, Incident, Sev, Status,
};
use crate::model::{Class, Severity};
use crate::text::plural;

use super::actions::{refuse_read_only, selected_alerts};
use super::app::{Effect, Mode, Row, State};
use super::keymap::{Action, Mode as KeyMode};

/// What the console knows of the incident store.
#[derive(Debug, Clone, Default)]
pub struct Incidents {
    /// Every incident, newest first, as the store last said.
    pub list: Vec<Incident>,
    /// The incident notes, status changes, silences and acks go to.
    pub active: Option<String>,
    /// The active incident's timeline, oldest first.
    pub timeline: Vec<TimelineEvent>,
    /// Show the active incident in the detail pane instead of the selected row.
    pub pane: bool,
    /// Roles people can be given.
    pub roles: Vec<String>,
    /// Why the store cannot be used, when it cannot.
    pub unavailable: Option<String>,
}

impl Incidents {
    /// The active incident as last read.
    pub fn active(&self) -> Option<&Incident> {
        let id = self.active.as_deref()?;
        self.list.iter().find(|i| i.id == id)
    }
}

/// A one-line text prompt over the panes.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub purpose: Purpose,
    pub input: String,
    /// Why the last enter was refused.
    pub problem: Option<String>,
}

/// What a prompt's text becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    /// A new incident titled by the input; tab cycles the severity.
    Declare {
        severity: Sev,
        services: Vec<String>,
        alerts: Vec<AttachedAlert>,
        group: Option<String>,
    },
    Note,
    /// `ROLE WHO`.
    Role,
}

/// A pick among a few values by digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Status,
    Severity,
}

/// Refuses a change when the console is read-only or the store cannot be used.
fn refuse(state: &mut State, what: &str) -> bool {
    refuse_read_only(state, what) || store_unavailable(state)
}

/// Says why the incident store cannot be used, when it cannot.
fn store_unavailable(state: &mut State) -> bool {
    let Some(why) = state.incidents.unavailable.clone() else {
        return false;
    };
    state.error(format!("incidents unavailable: {why}"));
    true
}

/// The active incident's id, or an error saying how to get one.
fn active_or_say(state: &mut State) -> Option<String> {
    let id = state.incidents.active.clone();
    if id.is_none() {
        let declare = state.keymap.keys_text(Action::Declare);
        let list = state.keymap.keys_text(Action::Incidents);
        state.error(format!(
            "no active incident: {declare} declares one from the selected group, {list} picks one"
        ));
    }
    id
}

/// What `D` declares for: the selected group's (or alert's) alerts, title, a severity
/// to start from, services and group id.
struct DeclareTarget {
    alerts: Vec<AttachedAlert>,
    title: String,
    severity: Sev,
    services: Vec<String>,
    group: Option<String>,
}

fn declare_target(state: &State) -> DeclareTarget {
    let label = state.triage.service_label.clone();
    let alerts: Vec<AttachedAlert> = selected_alerts(state)
        .iter()
        .map(|a| AttachedAlert::from_alert(a, &label))
        .collect();
    let group = match state.selected() {
        Some(Row::Group(g) | Row::Alert(g, _)) => Some(&state.board.groups[g]),
        None => None,
    };
    match group {
        Some(g) => DeclareTarget {
            alerts,
            title: g.title.clone(),
            // A page that needs an incident is serious; a ticket rarely is.
            severity: match (g.class, g.severity) {
                (Class::Page, Severity::Critical) => Sev::Sev2,
                (Class::Page, _) => Sev::Sev3,
                _ => Sev::Sev4,
            },
            services: g.services.to_strings(),
            group: Some(g.id.clone()),
        },
        None => DeclareTarget {
            alerts,
            title: String::new(),
            severity: Sev::Sev3,
            services: Vec::new(),
            group: None,
        },
    }
}

/// `D`: a declaration prefilled from the selected group: its title, services, alerts.
pub fn open_declare(state: &mut State) {
    if refuse(state, "declaring") {
        return;
    }
    let target = declare_target(state);
    state.mode = Mode::Prompt(Prompt {
        purpose: Purpose::Declare {
            severity: target.severity,
            services: target.services,
            alerts: target.alerts,
            group: target.group,
        },
        input: target.title,
        problem: None,
    });
    state.dirty = true;
}

/// Before declaring: the alerts to attach are still the selection's. When the group
/// grew or its alerts resolved while the title was typed, the prompt takes the
/// alerts as they are now and says so; the next enter declares with them.
fn recheck_declare(state: &State, prompt: &mut Prompt) -> bool {
    let Purpose::Declare {
        services,
        alerts,
        group,
        ..
    } = &mut prompt.purpose
    else {
        return true;
    };
    let now = declare_target(state);
    let fps = |a: &[AttachedAlert]| {
        let mut f: Vec<String> = a.iter().map(|a| a.fingerprint.clone()).collect();
        f.sort();
        f
    };
    if fps(&now.alerts) == fps(alerts) {
        return true;
    }
    let enter = state.keymap.key_in(KeyMode::Prompt, Action::Submit);
    prompt.problem = Some(match &state.lost {
        Some(what) => format!("{what}: {enter} declares with no alert attached"),
        None => format!(
            "the selection changed since you pressed {}: {} now, {} then; {enter} declares with these",
            state.keymap.keys_text(Action::Declare),
            plural(now.alerts.len(), "alert"),
            alerts.len()
        ),
    });
    *alerts = now.alerts;
    *services = now.services;
    *group = now.group;
    false
}

/// `n`: a note for the active incident.
pub fn open_note(state: &mut State) {
    if refuse(state, "notes are") || active_or_say(state).is_none() {
        return;
    }
    state.mode = Mode::Prompt(Prompt {
        purpose: Purpose::Note,
        input: String::new(),
        problem: None,
    });
    state.dirty = true;
}

/// `R`: give someone a role in the active incident.
pub fn open_role(state: &mut State) {
    if refuse(state, "role changes are") || active_or_say(state).is_none() {
        return;
    }
    state.mode = Mode::Prompt(Prompt {
        purpose: Purpose::Role,
        input: String::new(),
        problem: None,
    });
    state.dirty = true;
}

/// `t` / `V`: pick the status or severity of the active incident.
pub fn open_choice(state: &mut State, choice: Choice) {
    if refuse(state, "changes are") || active_or_say(state).is_none() {
        return;
    }
    state.mode = Mode::Choose(choice);
    state.dirty = true;
}

/// `A`: the selected group's (or alert's) alerts join the active incident.
pub fn attach_selected(state: &mut State) -> Vec<Effect> {
    if refuse(state, "attaching") {
        return Vec::new();
    }
    let Some(id) = active_or_say(state) else {
        return Vec::new();
    };
    let label = state.triage.service_label.clone();
    let known: Vec<&str> = state
        .incidents
        .active()
        .map(|i| i.alerts.iter().map(|a| a.fingerprint.as_str()).collect())
        .unwrap_or_default();
    let alerts: Vec<AttachedAlert> = selected_alerts(state)
        .iter()
        .map(|a| AttachedAlert::from_alert(a, &label))
        .filter(|a| !known.contains(&a.fingerprint.as_str()))
        .collect();
    if alerts.is_empty() {
        state.info(format!("these alerts are attached to {id} already"));
        return Vec::new();
    }
    let group = match state.selected() {
        Some(Row::Group(g)) => Some(state.board.groups[g].id.clone()),
        _ => None,
    };
    state.info(format!(
        "attaching {} to {id}…",
        plural(alerts.len(), "alert")
    ));
    vec![Effect::Record(id, Change::AlertAttached { alerts, group })]
}

/// `I`: the incident list.
pub fn open_list(state: &mut State) {
    if store_unavailable(state) {
        return;
    }
    let selected = state
        .incidents
        .active
        .as_ref()
        .and_then(|id| state.incidents.list.iter().position(|i| &i.id == id))
        .unwrap_or(0);
    state.mode = Mode::Incidents { selected };
    state.dirty = true;
}

/// `i`: the active incident in the detail pane, or back to the selected row.
pub fn toggle_pane(state: &mut State) {
    if state.incidents.active.is_none() {
        open_list(state);
        return;
    }
    state.incidents.pane = !state.incidents.pane;
    state.dirty = true;
}

/// Keys in the incident list (the `incidents` mode of the keymap): move, enter makes
/// one active, esc closes.
pub fn on_list_key(state: &mut State, key: KeyEvent, selected: usize) -> Vec<Effect> {
    state.dirty = true;
    let last = state.incidents.list.len().saturating_sub(1);
    let selected = match state.keymap.action_in(KeyMode::Incidents, &key) {
        Some(Action::Back) => {
            state.mode = Mode::Browse;
            return Vec::new();
        }
        Some(Action::Down) => (selected + 1).min(last),
        Some(Action::Up) => selected.saturating_sub(1),
        Some(Action::Activate) => {
            state.mode = Mode::Browse;
            let Some(inc) = state.incidents.list.get(selected) else {
                return Vec::new();
            };
            let id = inc.id.clone();
            state.info(format!(
                "{id} is active: notes, status changes, silences and acks go to its timeline"
            ));
            return follow(state, id);
        }
        _ => selected,
    };
    state.mode = Mode::Incidents { selected };
    Vec::new()
}

/// Makes `id` the active incident and shows it.
pub fn follow(state: &mut State, id: String) -> Vec<Effect> {
    if state.incidents.active.as_ref() != Some(&id) {
        state.incidents.timeline.clear();
    }
    state.incidents.active = Some(id.clone());
    state.incidents.pane = true;
    state.dirty = true;
    vec![Effect::Follow(id)]
}

/// Keys in a prompt (the `prompt` mode of the keymap): type, enter submits, esc
/// cancels; tab cycles a declaration's severity.
pub fn on_prompt_key(state: &mut State, key: KeyEvent, mut prompt: Prompt) -> Vec<Effect> {
    state.dirty = true;
    match state.keymap.action_in(KeyMode::Prompt, &key) {
        Some(Action::Back) => {
            state.mode = Mode::Browse;
            state.info("cancelled: nothing was recorded");
            return Vec::new();
        }
        Some(Action::IncidentSeverity) => {
            if let Purpose::Declare { severity, .. } = &mut prompt.purpose {
                *severity = severity.next();
            }
        }
        Some(Action::Erase) => {
            prompt.input.pop();
        }
        Some(Action::ClearLine) => prompt.input.clear(),
        Some(Action::Submit) if !recheck_declare(state, &mut prompt) => {}
        Some(Action::Submit) => match submit(state, &prompt) {
            Ok(effect) => {
                state.mode = Mode::Browse;
                return vec![effect];
            }
            Err(problem) => prompt.problem = Some(problem.to_string()),
        },
        Some(_) => {}
        None => {
            if let Some(c) = super::app::typed(&key) {
                prompt.input.push(c);
            }
        }
    }
    state.mode = Mode::Prompt(prompt);
    Vec::new()
}

/// Why a prompt's text cannot be recorded yet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PromptProblem {
    #[error("say what is happening, in a few words")]
    NoTitle,
    #[error("the note is empty")]
    EmptyNote,
    #[error("no active incident")]
    NoActiveIncident,
    #[error("ROLE WHO, roles: {}", .roles.join(", "))]
    RoleAndWho { roles: Vec<String> },
    #[error("unknown role `{role}` (roles: {})", .roles.join(", "))]
    UnknownRole { role: String, roles: Vec<String> },
    #[error("say who takes the role")]
    NoOne,
}

fn submit(state: &mut State, prompt: &Prompt) -> Result<Effect, PromptProblem> {
    let text = prompt.input.trim();
    match &prompt.purpose {
        Purpose::Declare {
            severity,
            services,
            alerts,
            group,
        } => {
            if text.is_empty() {
                return Err(PromptProblem::NoTitle);
            }
            state.info("declaring…");
            Ok(Effect::Declare(Declaration {
                title: text.to_string(),
                severity: *severity,
                commander: state.author.clone(),
                services: services.clone(),
                alerts: alerts.clone(),
                group: group.clone(),
                started: None,
            }))
        }
        Purpose::Note => {
            if text.is_empty() {
                return Err(PromptProblem::EmptyNote);
            }
            let id = state
                .incidents
                .active
                .clone()
                .ok_or(PromptProblem::NoActiveIncident)?;
            Ok(Effect::Record(
                id,
                Change::Note {
                    text: text.to_string(),
                },
            ))
        }
        Purpose::Role => {
            let (role, who) = text
                .split_once(char::is_whitespace)
                .map(|(r, w)| (r.trim(), w.trim()))
                .ok_or_else(|| PromptProblem::RoleAndWho {
                    roles: state.incidents.roles.clone(),
                })?;
            if !state.incidents.roles.iter().any(|r| r == role) {
                return Err(PromptProblem::UnknownRole {
                    role: role.to_string(),
                    roles: state.incidents.roles.clone(),
                });
            }
            if who.is_empty() {
                return Err(PromptProblem::NoOne);
            }
            let id = state
                .incidents
                .active
                .clone()
                .ok_or(PromptProblem::NoActiveIncident)?;
            Ok(Effect::Record(
                id,
                Change::RoleAssigned {
                    role: role.to_string(),
                    who: who.to_string(),
                },
            ))
        }
    }
}

/// Keys in a status or severity pick (the `choice` mode of the keymap): a digit picks,
/// anything else cancels.
pub fn on_choice_key(state: &mut State, key: KeyEvent, choice: Choice) -> Vec<Effect> {
    state.mode = Mode::Browse;
    state.dirty = true;
    let picked = match state.keymap.action_in(KeyMode::Choice, &key) {
        Some(Action::Pick1) => Some(0),
        Some(Action::Pick2) => Some(1),
        Some(Action::Pick3) => Some(2),
        Some(Action::Pick4) => Some(3),
        _ => None,
    };
    let (Some(inc), Some(i)) = (state.incidents.active(), picked) else {
        state.info("cancelled: nothing was recorded");
        return Vec::new();
    };
    let id = inc.id.clone();
    let change = match choice {
        Choice::Status if inc.status != Status::ALL[i] => Change::StatusChanged {
            from: inc.status,
            to: Status::ALL[i],
        },
        Choice::Severity if inc.severity != Sev::ALL[i] => Change::SeverityChanged {
            from: inc.severity,
            to: Sev::ALL[i],
        },
        _ => {
            state.info("unchanged: nothing was recorded");
            return Vec::new();
        }
    };
    vec![Effect::Record(id, change)]
}

/// The store worker's news: the list, and the followed timeline.
pub fn on_feed(state: &mut State, feed: Feed) {
    state.incidents.unavailable = feed.error;
    if state.incidents.list != feed.list {
        state.incidents.list = feed.list;
        state.dirty = true;
    }
    if let Some((id, events)) = feed.timeline
        && state.incidents.active.as_ref() == Some(&id)
        && state.incidents.timeline != events
    {
        state.incidents.timeline = events;
        state.dirty = true;
    }
    if let Mode::Incidents { selected } = &mut state.mode {
        *selected = (*selected).min(state.incidents.list.len().saturating_sub(1));
    }
}

/// A write carried out (or refused) by the store.
pub fn on_recorded(state: &mut State, result: Result<Recorded, WriteError>) -> Vec<Effect> {
    match result {
        Ok(Recorded::Declared(id)) => {
            state.info(format!("declared {id}: it is the active incident"));
            follow(state, id)
        }
        Ok(Recorded::Appended(id, text)) => {
            state.info(format!("{id}: {text}"));
            Vec::new()
        }
        Err(e) => {
            state.error(format!("not recorded: {e}"));
            Vec::new()
        }
    }
}
