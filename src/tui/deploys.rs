//! `d`: recent deploys per service on one time axis with the alert onsets, so "what
//! changed just before this started?" is answered by looking.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use crossterm::event::KeyEvent;

use crate::model::{Board, Deploy};

use super::app::{Effect, Mode, State};
use super::keymap::{Action, Mode as KeyMode};

/// The spans the view zooms between.
pub const SPANS_H: [i64; 4] = [1, 6, 24, 72];

/// Where the deploys view is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeploysView {
    /// Index into [`SPANS_H`].
    pub span: usize,
    pub selected: usize,
}

/// One row of the view: a service, its deploys and its alert onsets in the span.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane<'a> {
    pub service: String,
    pub deploys: Vec<&'a Deploy>,
    pub onsets: Vec<DateTime<Utc>>,
}

/// The lanes for the last `span` before `now`: services with alerts first (earliest
/// onset first), then the others by their latest deploy.
pub fn lanes<'a>(
    board: &'a Board,
    service_label: &str,
    now: DateTime<Utc>,
    span: Duration,
) -> Vec<Lane<'a>> {
    let from = now - span;
    let mut by_service: BTreeMap<&'a str, Lane<'a>> = BTreeMap::new();
    let new = |s: &str| Lane {
        service: s.to_string(),
        deploys: Vec::new(),
        onsets: Vec::new(),
    };
    for d in board.deploys.iter().filter(|d| d.at >= from && d.at <= now) {
        by_service
            .entry(d.service.as_str())
            .or_insert_with(|| new(&d.service))
            .deploys
            .push(d);
    }
    for a in board.groups.iter().flat_map(|g| g.alerts.iter()) {
        let service = a.label(service_label);
        if service.is_empty() || a.starts_at < from {
            continue;
        }
        by_service
            .entry(service)
            .or_insert_with(|| new(service))
            .onsets
            .push(a.starts_at);
    }
    let mut out: Vec<Lane<'a>> = by_service.into_values().collect();
    for l in &mut out {
        l.onsets.sort();
        l.deploys.sort_by_key(|d| std::cmp::Reverse(d.at));
    }
    out.sort_by(|a, b| {
        let alerting = |l: &Lane| l.onsets.first().copied();
        match (alerting(a), alerting(b)) {
            (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.service.cmp(&b.service)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => {
                let latest = |l: &Lane| l.deploys.first().map(|d| d.at);
                latest(b)
                    .cmp(&latest(a))
                    .then_with(|| a.service.cmp(&b.service))
            }
        }
    });
    out
}

pub fn open(state: &mut State) {
    state.mode = Mode::Deploys(DeploysView {
        span: 1,
        selected: 0,
    });
    state.dirty = true;
}

pub fn on_key(state: &mut State, key: KeyEvent, mut view: DeploysView) -> Vec<Effect> {
    state.dirty = true;
    let span = Duration::hours(SPANS_H[view.span]);
    let count = lanes(&state.board, &state.triage.service_label, state.now, span).len();
    match state.keymap.action_in(KeyMode::Deploys, &key) {
        Some(Action::Down) => view.selected = (view.selected + 1).min(count.saturating_sub(1)),
        Some(Action::Up) => view.selected = view.selected.saturating_sub(1),
        Some(Action::Top) => view.selected = 0,
        Some(Action::Bottom) => view.selected = count.saturating_sub(1),
        // l zooms in (a shorter span), h out.
        Some(Action::Expand) => view.span = view.span.saturating_sub(1),
        Some(Action::Collapse) => view.span = (view.span + 1).min(SPANS_H.len() - 1),
        Some(Action::Back | Action::Deploys) => {
            state.mode = Mode::Browse;
            return Vec::new();
        }
        Some(Action::Quit) => return vec![Effect::Quit],
        _ => {}
    }
    let count = lanes(
        &state.board,
        &state.triage.service_label,
        state.now,
        Duration::hours(SPANS_H[view.span]),
    )
    .len();
    view.selected = view.selected.min(count.saturating_sub(1));
    state.mode = Mode::Deploys(view);
    Vec::new()
}
