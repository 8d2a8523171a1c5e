//! `b`: the dependency map in the console — every service in layers, callers left of
//! what they call, lit by what alerts, with the selected group's blast radius (its
//! services and everything calling them) drawn hot. `enter` focuses on one service.

use std::collections::BTreeSet;

use crossterm::event::KeyEvent;

use crate::deps::{Map, around, blast_radius};

use super::app::{Effect, Mode, Row, State};
use super::keymap::{Action, Mode as KeyMode};

/// Where the map view is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapView {
    /// The selected service, by name.
    pub selected: Option<String>,
    /// Only this service, its callers and its dependencies.
    pub focus: Option<String>,
    /// Columns scrolled off to the left.
    pub left: usize,
    /// The services of the group selected when the map opened.
    pub group: Vec<String>,
}

/// Columns `h`/`l` scroll by.
const STEP: usize = 8;

/// The map as the view shows it now: the whole map or the focused part.
pub fn shown(state: &State, view: &MapView) -> Map {
    let map = Map::from_board(&state.board);
    match &view.focus {
        Some(service) => around(&map, service),
        None => map,
    }
}

/// What is drawn hot: the blast radius of the group the map was opened on.
pub fn hot(state: &State, view: &MapView) -> BTreeSet<String> {
    blast_radius(&Map::from_board(&state.board), &view.group)
}

pub fn open(state: &mut State) {
    let group = match state.selected() {
        Some(Row::Group(g) | Row::Alert(g, _)) => Some(&state.board.groups[g]),
        None => None,
    };
    let services = group.map(|g| g.services.to_strings()).unwrap_or_default();
    // Start on the group's root if the map knows it, else its first service.
    let selected = group
        .and_then(|g| g.root.clone())
        .or_else(|| services.first().cloned());
    state.mode = Mode::Map(MapView {
        selected,
        focus: None,
        left: 0,
        group: services,
    });
    state.dirty = true;
}

pub fn on_key(state: &mut State, key: KeyEvent, mut view: MapView) -> Vec<Effect> {
    state.dirty = true;
    let order = crate::deps::draw(&shown(state, &view), &BTreeSet::new()).services;
    let at = view
        .selected
        .as_ref()
        .and_then(|s| order.iter().position(|n| n == s));
    let pick = |i: usize| order.get(i.min(order.len().saturating_sub(1))).cloned();
    match state.keymap.action_in(KeyMode::Map, &key) {
        Some(Action::Down) => view.selected = pick(at.map_or(0, |i| i + 1)),
        Some(Action::Up) => view.selected = pick(at.map_or(0, |i| i.saturating_sub(1))),
        Some(Action::Top) => view.selected = pick(0),
        Some(Action::Bottom) => view.selected = pick(usize::MAX),
        Some(Action::Expand) => view.left += STEP,
        Some(Action::Collapse) => view.left = view.left.saturating_sub(STEP),
        Some(Action::Focus) => {
            view.focus = match (&view.focus, &view.selected) {
                (Some(_), _) => None,
                (None, Some(s)) => Some(s.clone()),
                (None, None) => None,
            };
            view.left = 0;
        }
        Some(Action::Back | Action::Map) => {
            state.mode = Mode::Browse;
            return Vec::new();
        }
        Some(Action::Quit) => return vec![Effect::Quit],
        _ => {}
    }
    state.mode = Mode::Map(view);
    Vec::new()
}
