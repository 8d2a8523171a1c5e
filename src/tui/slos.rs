//! `o`: the SLOs, least budget left first, with their burn rates, a sparkline of the
//! last day's burn and a chart of the selected one; and, for the group detail, which
//! SLOs a group's services are burning.

pub use crate::live::slos::SloFeed;
use std::collections::BTreeMap;

use crossterm::event::KeyEvent;

use crate::model::Health;
use crate::model::incident::Status;
use crate::slo::SloStatus;
use crate::slo::burn::{State as BurnState, Window};

use super::app::{Effect, Mode, State};
use super::keymap::{Action, Mode as KeyMode};

/// An SLO in page or ticket state, as a group's detail names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Burning {
    pub slo: String,
    /// The burn rate over the last hour.
    pub hour: Option<f64>,
    /// The SLO's `cluster` label, when it has one.
    pub cluster: Option<String>,
}

/// The SLOs as last measured, and what follows from them that the screen reads often.
#[derive(Debug, Clone, Default)]
pub struct Slos {
    /// Least budget left first; SLOs with no known budget last.
    pub statuses: Vec<SloStatus>,
    /// Why there are no SLOs, when there are none.
    pub missing: Option<String>,
    /// Per service, its SLOs in page or ticket state. Built when statuses arrive, so
    /// the detail pane only looks it up.
    pub burning: BTreeMap<String, Vec<Burning>>,
    /// At least one round has arrived.
    pub measured: bool,
}

impl Slos {
    /// Takes in what the poller reported.
    pub fn apply(&mut self, feed: SloFeed) {
        match feed {
            SloFeed::Missing(why) => {
                self.statuses.clear();
                self.burning.clear();
                self.missing = Some(why);
            }
            SloFeed::Statuses(mut statuses) => {
                sort_by_budget(&mut statuses);
                self.burning = burning_by_service(&statuses);
                self.statuses = statuses;
                self.missing = None;
            }
        }
        self.measured = true;
    }

    /// The SLOs burning the budgets of `services`, fastest first. When both the group
    /// and an SLO name clusters, the SLO's must be one of the group's: payments
    /// failing in one cluster does not burn its SLO in the other.
    pub fn burning_for<'a>(
        &'a self,
        services: &[impl AsRef<str>],
        clusters: &[impl AsRef<str>],
    ) -> Vec<&'a Burning> {
        let mut out: Vec<&Burning> = services
            .iter()
            .filter_map(|s| self.burning.get(s.as_ref()))
            .flatten()
            .filter(|b| match &b.cluster {
                Some(c) if !clusters.is_empty() => clusters.iter().any(|x| x.as_ref() == c),
                _ => true,
            })
            .collect();
        out.sort_by(|a, b| {
            b.hour
                .unwrap_or(-1.0)
                .total_cmp(&a.hour.unwrap_or(-1.0))
                .then_with(|| a.slo.cmp(&b.slo))
        });
        out
    }
}

/// Least budget left first; unknown budgets last; then by name.
pub fn sort_by_budget(statuses: &mut [SloStatus]) {
    statuses.sort_by(|a, b| match (a.budget_remaining, b.budget_remaining) {
        (Some(x), Some(y)) => x.total_cmp(&y).then_with(|| a.name.cmp(&b.name)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.name.cmp(&b.name),
    });
}

fn burning_by_service(statuses: &[SloStatus]) -> BTreeMap<String, Vec<Burning>> {
    let mut out: BTreeMap<String, Vec<Burning>> = BTreeMap::new();
    for s in statuses
        .iter()
        .filter(|s| matches!(s.state, BurnState::Page | BurnState::Ticket))
    {
        out.entry(s.service.clone()).or_default().push(Burning {
            slo: s.name.clone(),
            hour: s.burn_rates.get(Window::H1),
            cluster: s.labels.get("cluster").cloned(),
        });
    }
    out
}

/// The headline of the view.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Budget left and not paging.
    pub in_objective: usize,
    /// Budget spent, or paging.
    pub out: usize,
    /// Mean share of the budget spent, over the SLOs whose budget is known.
    pub consumed_mean: Option<f64>,
    /// Incidents not resolved.
    pub open_incidents: usize,
}

/// Counts for the summary line.
pub fn summary(state: &State) -> Summary {
    let statuses = &state.slos.statuses;
    let out = statuses
        .iter()
        .filter(|s| s.state == BurnState::Page || s.budget_remaining.is_some_and(|b| b <= 0.0))
        .count();
    let spent: Vec<f64> = statuses
        .iter()
        .filter_map(|s| s.budget_remaining.map(|b| 1.0 - b))
        .collect();
    Summary {
        in_objective: statuses.len() - out,
        out,
        consumed_mean: (!spent.is_empty()).then(|| spent.iter().sum::<f64>() / spent.len() as f64),
        open_incidents: state
            .incidents
            .list
            .iter()
            .filter(|i| i.status != Status::Resolved)
            .count(),
    }
}

/// The word and the meaning of an SLO's row: `page`, `ticket`, `ok`, `stale`, `down`.
pub fn state_word(s: &SloStatus) -> &'static str {
    match s.health() {
        Health::Stale => "stale",
        Health::Down => "down",
        Health::Waiting | Health::Authenticating => "…",
        _ => match s.state {
            BurnState::Page => "page",
            BurnState::Ticket => "ticket",
            BurnState::Ok => "ok",
        },
    }
}

/// A burn rate for people: `26×`, `2.8×`, `0.45×`.
pub fn times(b: f64) -> String {
    if b >= 10.0 {
        format!("{b:.0}×")
    } else if b >= 1.0 {
        format!("{b:.1}×")
    } else {
        format!("{b:.2}×")
    }
}

/// `width` block characters, the maximum burn of each slice of `points`, scaled to
/// the larger of their maximum and 1 (the budget's pace), so a burn within budget
/// stays low.
pub fn sparkline(points: &[(chrono::DateTime<chrono::Utc>, f64)], width: usize) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    if points.is_empty() || width == 0 {
        return String::new();
    }
    let buckets: Vec<f64> = (0..width.min(points.len()))
        .map(|i| {
            let n = width.min(points.len());
            let from = i * points.len() / n;
            let to = ((i + 1) * points.len() / n).max(from + 1);
            points[from..to].iter().map(|p| p.1).fold(0.0, f64::max)
        })
        .collect();
    let top = buckets.iter().copied().fold(1.0, f64::max);
    buckets
        .iter()
        .map(|b| {
            let level = ((b / top) * 8.0).ceil() as usize;
            BLOCKS[level.clamp(1, 8) - 1]
        })
        .collect()
}

/// Where the SLO view is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SloView {
    /// The selected SLO by name, so it stays selected as the order changes.
    pub selected: Option<String>,
    /// The chart shows 7 days rather than 24 hours.
    pub week: bool,
}

/// Index of the selected SLO in `state.slos.statuses`.
pub fn selected_index(state: &State, view: &SloView) -> usize {
    view.selected
        .as_ref()
        .and_then(|name| state.slos.statuses.iter().position(|s| &s.name == name))
        .unwrap_or(0)
}

pub fn open(state: &mut State) {
    state.mode = Mode::Slos(SloView::default());
    state.dirty = true;
}

pub fn on_key(state: &mut State, key: KeyEvent, mut view: SloView) -> Vec<Effect> {
    state.dirty = true;
    let count = state.slos.statuses.len();
    let at = selected_index(state, &view);
    let pick = |i: usize| {
        state
            .slos
            .statuses
            .get(i.min(count.saturating_sub(1)))
            .map(|s| s.name.clone())
    };
    match state.keymap.action_in(KeyMode::Slos, &key) {
        Some(Action::Down) => view.selected = pick(at + 1),
        Some(Action::Up) => view.selected = pick(at.saturating_sub(1)),
        Some(Action::Top) => view.selected = pick(0),
        Some(Action::Bottom) => view.selected = pick(usize::MAX),
        Some(Action::FocusNext | Action::Week) => view.week = !view.week,
        Some(Action::Back | Action::Slos) => {
            state.mode = Mode::Browse;
            return Vec::new();
        }
        Some(Action::Quit) => return vec![Effect::Quit],
        Some(Action::Refresh) => return vec![Effect::Refresh],
        _ => {}
    }
    state.mode = Mode::Slos(view);
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Duration, Utc};

    #[test]
    fn the_sparkline_scales_to_its_peak_and_never_below_the_budget_pace() {
        let t = DateTime::<Utc>::from_timestamp(0, 0).unwrap();
        let points: Vec<_> = (0..8)
            .map(|i| (t + Duration::minutes(i), i as f64))
            .collect();
        assert_eq!(sparkline(&points, 8), "▁▂▃▄▅▆▇█");
        assert_eq!(sparkline(&points, 4), "▂▄▆█");
        let calm: Vec<_> = (0..4).map(|i| (t + Duration::minutes(i), 0.1)).collect();
        assert_eq!(sparkline(&calm, 4), "▁▁▁▁");
        assert_eq!(sparkline(&[], 4), "");
    }

    #[test]
    fn an_slo_without_a_cluster_burns_for_every_cluster_of_its_service() {
        let mut slos = Slos::default();
        let burning = |slo: &str, hour: f64, cluster: Option<&str>| Burning {
            slo: slo.into(),
            hour: Some(hour),
            cluster: cluster.map(str::to_string),
        };
        slos.burning.insert(
            "checkout".into(),
            vec![
                burning("checkout-availability", 26.0, None),
                burning("eu/checkout", 30.0, Some("eu")),
            ],
        );
        let names = |clusters: &[&str]| {
            let clusters: Vec<String> = clusters.iter().map(|c| c.to_string()).collect();
            slos.burning_for(&["checkout"], &clusters)
                .iter()
                .map(|b| b.slo.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&["us"]), ["checkout-availability"]);
        assert_eq!(names(&["eu"]), ["eu/checkout", "checkout-availability"]);
        assert_eq!(names(&[]), ["eu/checkout", "checkout-availability"]);
    }

    #[test]
    fn burn_rates_read_as_multiples() {
        assert_eq!(times(26.4), "26×");
        assert_eq!(times(2.84), "2.8×");
        assert_eq!(times(0.456), "0.46×");
    }
}
