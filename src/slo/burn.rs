//! Error ratios, burn rates, error budgets and the multi-window multi-burn-rate alert
//! states of the Google SRE workbook ("Alerting on SLOs").
//!
//! A burn rate of 1 spends exactly the whole error budget over the SLO window; 2 spends
//! it in half the window. Measurements and durations come in as arguments, and odd
//! inputs (NaN, infinities, no traffic) come out as "unknown" rather than as a panic or
//! a confident number: an on-call engineer must never be paged by a broken query.

use chrono::Duration;
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// Why an objective cannot be kept: it leaves no budget, or no window to spend it in.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum ObjectiveError {
    #[error(
        "SLO objective {target} is not a percentage strictly between 0 and 100; write e.g. 99.9"
    )]
    Target { target: f64 },
    #[error("SLO window is not longer than zero; write e.g. 30d")]
    Window,
}

/// What an SLO promises: `target` percent of requests succeed over a rolling `window`.
///
/// The fields are private so that every `Objective` has a budget above zero and a
/// window longer than zero, which the math below divides by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Objective {
    target: f64,
    window: Duration,
}

impl Objective {
    /// An objective of `target` percent (e.g. 99.9) over `window` (e.g. 30 days).
    /// 100% is refused: it leaves no budget to burn.
    pub fn new(target: f64, window: Duration) -> Result<Objective, ObjectiveError> {
        if !(target > 0.0 && target < 100.0) {
            return Err(ObjectiveError::Target { target });
        }
        if window <= Duration::zero() {
            return Err(ObjectiveError::Window);
        }
        Ok(Objective { target, window })
    }

    /// The promised percentage of good requests, e.g. 99.9.
    pub fn target(&self) -> f64 {
        self.target
    }

    /// The rolling window the objective is measured over, e.g. 30 days.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// The error ratio the objective allows, e.g. 0.001 for 99.9%.
    pub fn budget(&self) -> f64 {
        // 100 − target is exact for targets near 100, where 1 − target/100 loses digits.
        (100.0 - self.target) / 100.0
    }
}

/// The fixed windows burn rates are measured over; the alert rules pair them up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Window {
    M5,
    M30,
    H1,
    H2,
    H6,
    D1,
    D3,
}

impl Window {
    /// Every window, shortest first.
    pub const ALL: [Window; 7] = [
        Window::M5,
        Window::M30,
        Window::H1,
        Window::H2,
        Window::H6,
        Window::D1,
        Window::D3,
    ];

    /// How far back this window looks.
    pub fn duration(self) -> Duration {
        match self {
            Window::M5 => Duration::minutes(5),
            Window::M30 => Duration::minutes(30),
            Window::H1 => Duration::hours(1),
            Window::H2 => Duration::hours(2),
            Window::H6 => Duration::hours(6),
            Window::D1 => Duration::days(1),
            Window::D3 => Duration::days(3),
        }
    }

    /// The short name people and `clops slo -o json` (`burn_rates` keys) use.
    pub fn label(self) -> &'static str {
        match self {
            Window::M5 => "5m",
            Window::M30 => "30m",
            Window::H1 => "1h",
            Window::H2 => "2h",
            Window::H6 => "6h",
            Window::D1 => "1d",
            Window::D3 => "3d",
        }
    }
}

/// Burn rates per window. A window without a usable measurement is unknown, and a rule
/// that needs an unknown window cannot fire.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BurnRates([Option<f64>; Window::ALL.len()]);

impl BurnRates {
    /// Records the burn rate over `window`. NaN, infinite and negative rates are kept
    /// as unknown, so garbage from a query can neither page nor reach the JSON output.
    pub fn set(&mut self, window: Window, burn: f64) {
        self.0[window as usize] = (burn.is_finite() && burn >= 0.0).then_some(burn);
    }

    /// The burn rate over `window`, if known.
    pub fn get(&self, window: Window) -> Option<f64> {
        self.0[window as usize]
    }

    /// The known burn rates, shortest window first.
    pub fn known(&self) -> impl Iterator<Item = (Window, f64)> + '_ {
        Window::ALL
            .into_iter()
            .filter_map(|w| self.get(w).map(|b| (w, b)))
    }
}

impl FromIterator<(Window, f64)> for BurnRates {
    fn from_iter<I: IntoIterator<Item = (Window, f64)>>(iter: I) -> Self {
        let mut rates = BurnRates::default();
        for (window, burn) in iter {
            rates.set(window, burn);
        }
        rates
    }
}

/// As in `clops slo -o json`: `{"5m": 0.4, "1h": 1.2}`, unknown windows left out.
impl Serialize for BurnRates {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (window, burn) in self.known() {
            map.serialize_entry(window.label(), &burn)?;
        }
        map.end()
    }
}

/// What the burn calls for: wake someone up, file a ticket, or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Page,
    Ticket,
    Ok,
}

/// One multi-window alert of the workbook: it fires when both the long and the short
/// window burn at or above its threshold. The long window shows the burn matters; the
/// short one shows it is still going on, so the alert stops minutes after a fix
/// instead of hours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BurnRule {
    pub long: Window,
    pub short: Window,
    /// Percent of the whole SLO window's budget that, spent within `long`, fires.
    pub budget_percent: f64,
    pub state: State,
}

/// The workbook's four rules, pages first so the first rule that fires is the most
/// urgent. For a 30-day SLO their thresholds are 14.4, 6, 3 and 1.
pub const BURN_RULES: [BurnRule; 4] = [
    BurnRule {
        long: Window::H1,
        short: Window::M5,
        budget_percent: 2.0,
        state: State::Page,
    },
    BurnRule {
        long: Window::H6,
        short: Window::M30,
        budget_percent: 5.0,
        state: State::Page,
    },
    BurnRule {
        long: Window::D1,
        short: Window::H2,
        budget_percent: 10.0,
        state: State::Ticket,
    },
    BurnRule {
        long: Window::D3,
        short: Window::H6,
        budget_percent: 10.0,
        state: State::Ticket,
    },
];

impl BurnRule {
    /// The burn rate at which this rule fires for `objective`.
    ///
    /// Only the threshold scales with the SLO window; the alert windows stay fixed.
    /// Spending `budget_percent` of the budget within `long` is a burn rate of
    /// `budget_percent / 100 × slo_window / long` (2% of 30 days in 1h → 14.4; of
    /// 7 days → 3.36).
    pub fn threshold(&self, objective: &Objective) -> f64 {
        // One division of two exact integers, so 30 days gives exactly 14.4, 6, 3, 1.
        self.budget_percent * objective.window.num_milliseconds() as f64
            / (100.0 * self.long.duration().num_milliseconds() as f64)
    }

    /// Whether both windows are known and burn at or above the threshold.
    pub fn fires(&self, burn: &BurnRates, objective: &Objective) -> bool {
        let threshold = self.threshold(objective);
        let over = |window| burn.get(window).is_some_and(|b| b >= threshold);
        over(self.long) && over(self.short)
    }
}

/// The most urgent state any of the workbook's rules calls for.
pub fn state(burn: &BurnRates, objective: &Objective) -> State {
    BURN_RULES
        .iter()
        .find(|rule| rule.fires(burn, objective))
        .map_or(State::Ok, |rule| rule.state)
}

/// One multi-window alert as a tool that generated the rules wrote it: fires when the
/// burn rates over both `long` and `short` are above `factor`. Its windows are any
/// durations, as the recording rules have them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlertWindow {
    pub long: Duration,
    pub short: Duration,
    /// The burn rate both windows must exceed (Pyrra's and Sloth's `>`).
    pub factor: f64,
    pub state: State,
}

/// Pyrra's alert windows for an SLO over `slo_window`, derived as Pyrra derives them
/// (`Windows` in pyrra-dev/pyrra slo/rules.go): scaled from its 28-day set (1h/5m at
/// 14, 6h/30m at 7 — critical; 1d/2h at 2, 4d/6h at 1 — warning), rounded to minutes.
/// A 14-day SLO gets 30m/3m, 3h/15m, 12h/1h and 2d/3h.
pub fn pyrra_windows(slo_window: Duration) -> Vec<AlertWindow> {
    let ms = slo_window.num_milliseconds() as f64;
    // Go's Duration.Round(time.Minute): halves away from zero.
    let part = |divisor: f64| Duration::minutes((ms / divisor / 60_000.0).round() as i64);
    let day = 28.0;
    vec![
        AlertWindow {
            long: part(day * 24.0),
            short: part(day * 24.0 * 12.0),
            factor: 14.0,
            state: State::Page,
        },
        AlertWindow {
            long: part(day * 4.0),
            short: part(day * 24.0 * 2.0),
            factor: 7.0,
            state: State::Page,
        },
        AlertWindow {
            long: part(day),
            short: part(day * 12.0),
            factor: 2.0,
            state: State::Ticket,
        },
        AlertWindow {
            long: part(7.0),
            short: part(day * 4.0),
            factor: 1.0,
            state: State::Ticket,
        },
    ]
}

/// The most urgent state `windows` call for, given the burn rate over each duration,
/// and the windows they need that are unknown (no rule records them, no data): an
/// alert that needs one cannot be said not to fire, so the caller names them.
pub fn state_of(
    windows: &[AlertWindow],
    burn: &dyn Fn(Duration) -> Option<f64>,
) -> (State, Vec<Duration>) {
    let mut unknown: Vec<Duration> = Vec::new();
    let mut state = State::Ok;
    for w in windows {
        let (long, short) = (burn(w.long), burn(w.short));
        for (d, b) in [(w.long, long), (w.short, short)] {
            if b.is_none() && !unknown.contains(&d) {
                unknown.push(d);
            }
        }
        let fires = long.is_some_and(|b| b > w.factor) && short.is_some_and(|b| b > w.factor);
        if fires && (state == State::Ok || w.state == State::Page) {
            state = w.state;
        }
    }
    unknown.sort();
    (state, unknown)
}

/// Failed requests over all requests, clamped to 0..=1 because counter resets and
/// misaligned scrapes can put errors above the total. None without traffic: no
/// requests is no evidence either way.
pub fn error_ratio(errors: f64, total: f64) -> Option<f64> {
    if !errors.is_finite() || !total.is_finite() || total <= 0.0 {
        return None;
    }
    Some((errors / total).clamp(0.0, 1.0))
}

/// How many times faster than "exactly on budget" errors spend the budget. NaN in
/// gives NaN out, which `BurnRates` keeps as unknown.
pub fn burn_rate(error_ratio: f64, objective: &Objective) -> f64 {
    error_ratio / objective.budget()
}

/// Fraction of the error budget left, from the error ratio over the whole SLO window.
/// Below zero once overspent (−0.5 = 150% spent): kept negative so callers can say
/// "overspent" and by how much.
pub fn budget_remaining(error_ratio_over_window: f64, objective: &Objective) -> f64 {
    1.0 - burn_rate(error_ratio_over_window, objective)
}

/// The remaining budget as time of total outage: remaining × window × budget (the
/// whole budget of 30 days at 99.9% is 43m12s). Zero when overspent; None when
/// `remaining` is NaN or infinite.
pub fn budget_remaining_time(remaining: f64, objective: &Objective) -> Option<Duration> {
    if !remaining.is_finite() {
        return None;
    }
    duration_from_secs(remaining.max(0.0) * seconds(objective.window) * objective.budget())
}

/// How long the remaining budget lasts at `current_burn`. The whole budget lasts
/// window / burn, so what remains lasts remaining × window / burn. Zero when nothing
/// remains; None when the budget is not being spent (burn ≤ 0, or so slow it outlasts
/// any date) or an input is NaN or infinite.
pub fn time_to_exhaustion(
    remaining: f64,
    current_burn: f64,
    objective: &Objective,
) -> Option<Duration> {
    if !remaining.is_finite() {
        return None;
    }
    if remaining <= 0.0 {
        return Some(Duration::zero());
    }
    if !current_burn.is_finite() || current_burn <= 0.0 {
        return None;
    }
    duration_from_secs(remaining * seconds(objective.window) / current_burn)
}

fn seconds(d: Duration) -> f64 {
    d.num_milliseconds() as f64 / 1000.0
}

/// Rounded to whole milliseconds; None when it does not fit a `Duration`.
fn duration_from_secs(secs: f64) -> Option<Duration> {
    let ms = (secs * 1000.0).round();
    // `i64::MAX as f64` is 2^63, one past the largest i64, hence the open range.
    if !(0.0..i64::MAX as f64).contains(&ms) {
        return None;
    }
    Duration::try_milliseconds(ms as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn objective(target: f64, days: i64) -> Objective {
        Objective::new(target, Duration::days(days)).expect("valid objective")
    }

    fn rates(pairs: &[(Window, f64)]) -> BurnRates {
        pairs.iter().copied().collect()
    }

    fn assert_close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-9,
            "expected {expected}, got {actual}"
        );
    }

    #[test]
    fn error_ratio_is_failed_over_all_requests() {
        // 38 / 100 000 = 0.00038
        assert_close(error_ratio(38.0, 100_000.0).unwrap(), 0.00038);
        // 120 errors of 100 requests (a counter reset) is at most everything failing.
        assert_eq!(error_ratio(120.0, 100.0), Some(1.0));
        assert_eq!(error_ratio(-3.0, 100.0), Some(0.0));
        assert_eq!(error_ratio(0.0, 0.0), None);
        assert_eq!(error_ratio(1.0, -5.0), None);
        assert_eq!(error_ratio(f64::NAN, 100.0), None);
        assert_eq!(error_ratio(1.0, f64::INFINITY), None);
    }

    #[test]
    fn burn_rate_of_1_44_percent_errors_at_99_9_is_14_4() {
        // budget = 1 − 0.999 = 0.001; 0.0144 / 0.001 = 14.4
        let slo = objective(99.9, 30);
        assert_close(slo.budget(), 0.001);
        assert_close(burn_rate(0.0144, &slo), 14.4);
        // exactly on budget: 0.001 / 0.001 = 1
        assert_close(burn_rate(0.001, &slo), 1.0);
    }

    #[test]
    fn thresholds_for_30_days_are_the_workbooks() {
        // 2% × 720h/1h = 14.4; 5% × 720h/6h = 6; 10% × 30d/1d = 3; 10% × 30d/3d = 1
        let slo = objective(99.9, 30);
        let thresholds: Vec<f64> = BURN_RULES.iter().map(|r| r.threshold(&slo)).collect();
        assert_eq!(thresholds, [14.4, 6.0, 3.0, 1.0]);
    }

    #[test]
    fn thresholds_scale_with_the_slo_window() {
        // 7 days = 168h: 2% × 168h/1h = 3.36; 5% × 168h/6h = 1.4; 10% × 7d/1d = 0.7;
        // 10% × 7d/3d = 0.2333…
        let week = objective(99.9, 7);
        let thresholds: Vec<f64> = BURN_RULES.iter().map(|r| r.threshold(&week)).collect();
        assert_eq!(thresholds[..3], [3.36, 1.4, 0.7]);
        assert_close(thresholds[3], 0.7 / 3.0);
        // 28 days = 672h: 2% × 672 = 13.44
        assert_eq!(BURN_RULES[0].threshold(&objective(99.9, 28)), 13.44);
    }

    #[test]
    fn page_when_1h_and_5m_both_burn_14_4() {
        let slo = objective(99.9, 30);
        let burning = rates(&[(Window::H1, 14.4), (Window::M5, 14.4)]);
        assert_eq!(state(&burning, &slo), State::Page);
        let just_under = rates(&[(Window::H1, 14.4), (Window::M5, 14.39)]);
        assert_eq!(state(&just_under, &slo), State::Ok);
    }

    #[test]
    fn no_page_once_the_5m_window_has_recovered() {
        // The last hour still averages 20× (a 15-minute outage), but the fix landed and
        // the last 5 minutes burn 0.5×: the short window stops the page.
        let slo = objective(99.9, 30);
        let recovered = rates(&[(Window::H1, 20.0), (Window::M5, 0.5)]);
        assert_eq!(state(&recovered, &slo), State::Ok);
    }

    #[test]
    fn page_on_6x_over_6h_and_30m() {
        let slo = objective(99.9, 30);
        let burning = rates(&[(Window::H6, 6.0), (Window::M30, 7.5), (Window::H1, 6.5)]);
        assert_eq!(state(&burning, &slo), State::Page);
    }

    #[test]
    fn ticket_on_3x_over_1d_and_2h() {
        let slo = objective(99.9, 30);
        let burning = rates(&[(Window::D1, 3.0), (Window::H2, 3.2), (Window::H1, 3.1)]);
        assert_eq!(state(&burning, &slo), State::Ticket);
    }

    #[test]
    fn ticket_on_1x_over_3d_and_6h() {
        let slo = objective(99.9, 30);
        let burning = rates(&[(Window::D3, 1.0), (Window::H6, 1.1), (Window::D1, 0.9)]);
        assert_eq!(state(&burning, &slo), State::Ticket);
    }

    #[test]
    fn page_outranks_ticket() {
        let slo = objective(99.9, 30);
        let all_burning: BurnRates = Window::ALL.into_iter().map(|w| (w, 20.0)).collect();
        assert_eq!(state(&all_burning, &slo), State::Page);
    }

    #[test]
    fn ok_when_long_window_high_but_short_low() {
        // Each rule on its own: the long window burns 10× its threshold, the short one
        // half of it (the burn is over), e.g. 1h at 144 and 5m at 7.2.
        let slo = objective(99.9, 30);
        for rule in BURN_RULES {
            let threshold = rule.threshold(&slo);
            let burn = rates(&[(rule.long, 10.0 * threshold), (rule.short, 0.5 * threshold)]);
            assert_eq!(state(&burn, &slo), State::Ok, "{rule:?}");
        }
    }

    #[test]
    fn unknown_windows_never_fire() {
        let slo = objective(99.9, 30);
        assert_eq!(state(&BurnRates::default(), &slo), State::Ok);
        // Only the long window of each rule is known, all far above every threshold.
        let long_only = rates(&[
            (Window::H1, 100.0),
            (Window::D1, 100.0),
            (Window::D3, 100.0),
        ]);
        assert_eq!(state(&long_only, &slo), State::Ok);
        // NaN, infinity and negative rates are recorded as unknown.
        let garbage = rates(&[(Window::H1, f64::INFINITY), (Window::M5, f64::NAN)]);
        assert_eq!(garbage.get(Window::H1), None);
        assert_eq!(garbage.get(Window::M5), None);
        assert_eq!(state(&garbage, &slo), State::Ok);
        assert_eq!(rates(&[(Window::M5, -1.0)]).get(Window::M5), None);
    }

    #[test]
    fn burn_rates_serialize_under_their_window_labels() {
        let burn = rates(&[
            (Window::D3, 1.0),
            (Window::M5, 0.4),
            (Window::H6, 0.9),
            (Window::H1, 1.2),
            (Window::D1, f64::NAN),
        ]);
        let json = serde_json::to_string(&burn).unwrap();
        assert_eq!(json, r#"{"5m":0.4,"1h":1.2,"6h":0.9,"3d":1.0}"#);
        let states = serde_json::to_string(&[State::Page, State::Ticket, State::Ok]).unwrap();
        assert_eq!(states, r#"["page","ticket","ok"]"#);
    }

    #[test]
    fn window_labels_and_durations() {
        let labels: Vec<&str> = Window::ALL.iter().map(|w| w.label()).collect();
        assert_eq!(labels, ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
        assert_eq!(Window::D3.duration(), Duration::hours(72));
        assert!(
            Window::ALL
                .windows(2)
                .all(|p| p[0].duration() < p[1].duration())
        );
    }

    #[test]
    fn budget_remaining_after_0_038_percent_errors_is_0_62() {
        // 0.00038 / 0.001 = 0.38 of the budget spent; 1 − 0.38 = 0.62 left
        let slo = objective(99.9, 30);
        assert_close(budget_remaining(0.00038, &slo), 0.62);
        assert_close(budget_remaining(0.0, &slo), 1.0);
    }

    #[test]
    fn budget_remaining_goes_negative_when_overspent() {
        // 0.0015 / 0.001 = 1.5 spent; 1 − 1.5 = −0.5
        let slo = objective(99.9, 30);
        assert_close(budget_remaining(0.0015, &slo), -0.5);
    }

    #[test]
    fn whole_budget_of_30_days_at_99_9_is_43m12s() {
        // 30 × 86 400 s × 0.001 = 2 592 s = 43m12s
        let slo = objective(99.9, 30);
        let whole = Duration::minutes(43) + Duration::seconds(12);
        assert_eq!(budget_remaining_time(1.0, &slo), Some(whole));
        // 0.62 × 2 592 s = 1 607.04 s
        assert_eq!(
            budget_remaining_time(0.62, &slo),
            Some(Duration::milliseconds(1_607_040))
        );
        assert_eq!(budget_remaining_time(-0.5, &slo), Some(Duration::zero()));
        assert_eq!(budget_remaining_time(f64::NAN, &slo), None);
    }

    #[test]
    fn half_the_budget_at_burn_2_lasts_7_5_days() {
        // the whole 30d budget lasts 30d / 2 = 15d at burn 2; half of it 7.5d
        let slo = objective(99.9, 30);
        let expected = Duration::days(7) + Duration::hours(12);
        assert_eq!(time_to_exhaustion(0.5, 2.0, &slo), Some(expected));
        // the fast-burn page: a full budget at 14.4× lasts 720h / 14.4 = 50h
        assert_eq!(
            time_to_exhaustion(1.0, 14.4, &slo),
            Some(Duration::hours(50))
        );
    }

    #[test]
    fn time_to_exhaustion_edges() {
        let slo = objective(99.9, 30);
        assert_eq!(time_to_exhaustion(0.5, 0.0, &slo), None);
        assert_eq!(time_to_exhaustion(0.0, 3.0, &slo), Some(Duration::zero()));
        assert_eq!(
            time_to_exhaustion(-0.2, f64::NAN, &slo),
            Some(Duration::zero())
        );
        assert_eq!(time_to_exhaustion(0.5, f64::NAN, &slo), None);
        assert_eq!(time_to_exhaustion(f64::NAN, 2.0, &slo), None);
        // so slow it outlasts any date: never
        assert_eq!(time_to_exhaustion(1.0, 1e-300, &slo), None);
    }

    #[test]
    fn invalid_objectives_are_rejected() {
        let month = Duration::days(30);
        for target in [0.0, 100.0, 101.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(Objective::new(target, month).is_err(), "{target} accepted");
        }
        assert!(Objective::new(99.9, Duration::zero()).is_err());
        assert!(Objective::new(99.9, Duration::days(-1)).is_err());
        assert!(Objective::new(99.999, month).is_ok());
    }

    fn severity(state: State) -> u8 {
        match state {
            State::Ok => 0,
            State::Ticket => 1,
            State::Page => 2,
        }
    }

    proptest! {
        #[test]
        fn state_never_gets_milder_as_every_burn_rises(
            burns in prop::collection::vec(prop::option::of(0.0..50.0f64), 7),
            factor in 1.0..10.0f64,
            days in 1i64..90,
        ) {
            let slo = objective(99.9, days);
            let before: BurnRates = Window::ALL
                .into_iter()
                .zip(&burns)
                .filter_map(|(w, b)| b.map(|b| (w, b)))
                .collect();
            let after: BurnRates = before.known().map(|(w, b)| (w, b * factor)).collect();
            prop_assert!(severity(state(&after, &slo)) >= severity(state(&before, &slo)));
        }

        #[test]
        fn odd_numbers_never_panic(ratio in any::<f64>(), burn in any::<f64>(), n in any::<f64>()) {
            let slo = objective(99.9, 30);
            let _ = error_ratio(ratio, n);
            let _ = budget_remaining_time(ratio, &slo);
            let _ = time_to_exhaustion(ratio, burn, &slo);
            let all: BurnRates = Window::ALL.into_iter().map(|w| (w, burn_rate(ratio, &slo))).collect();
            let _ = state(&all, &slo);
        }
    }

    #[test]
    fn pyrra_windows_scale_from_its_28_day_set() {
        let windows = |days| -> Vec<(i64, i64, f64)> {
            pyrra_windows(Duration::days(days))
                .iter()
                .map(|w| (w.long.num_minutes(), w.short.num_minutes(), w.factor))
                .collect()
        };
        assert_eq!(
            windows(28),
            [
                (60, 5, 14.0),
                (360, 30, 7.0),
                (1440, 120, 2.0),
                (5760, 360, 1.0)
            ]
        );
        // The set the issue saw Pyrra record for a 14-day SLO.
        assert_eq!(
            windows(14),
            [
                (30, 3, 14.0),
                (180, 15, 7.0),
                (720, 60, 2.0),
                (2880, 180, 1.0)
            ]
        );
        assert_eq!(windows(7)[0], (15, 1, 14.0));
        assert_eq!(windows(30)[3], (6171, 386, 1.0));
    }

    #[test]
    fn a_window_nobody_records_is_named_never_read_as_fine() {
        let ws = pyrra_windows(Duration::days(28));
        let known = |d: Duration| (d < Duration::days(1)).then_some(20.0);
        let (state, unknown) = state_of(&ws, &known);
        assert_eq!(state, State::Page);
        assert_eq!(unknown, [Duration::days(1), Duration::days(4)]);
        let (state, _) = state_of(&ws, &|d| (d <= Duration::hours(6)).then_some(1.5));
        assert_eq!(
            state,
            State::Ok,
            "1.5 is above no factor but 1, whose 4d is unknown"
        );
        let (state, unknown) = state_of(&ws, &|_| Some(1.5));
        assert_eq!((state, unknown.len()), (State::Ticket, 0));
    }
}
