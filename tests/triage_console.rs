//! Triage as the responder meets it in the console: splitting and merging groups,
//! flapping alerts, maintenance windows, inhibited alerts under their inhibitor.

mod common;

use chrono::Duration;
use clops::config::{MaintenanceConfig, TriageConfig};
use clops::model::{Class, Quiet};
use clops::sources::demo::{DemoSource, SimTime};
use clops::triage::Triage;
use clops::tui::{Event, State, update};
use common::{
    ch, deliver, demo_state, live_demo, open_all, replay, screen_text, select_group,
    select_incident, wall,
};

const PEAK: i64 = 600;

fn group_of(s: &State, pred: impl Fn(&clops::model::Group) -> bool) -> usize {
    s.board.groups.iter().position(pred).expect("such a group")
}

/// Triage with other settings, the board built again as the worker would.
fn retriage(s: &mut State, triage: Triage) {
    let inputs = s
        .board_inputs()
        .expect("a console that builds its own board");
    inputs.set_triage(triage);
    let built = inputs.build(wall());
    clops::tui::update(s, clops::tui::Event::Board(built));
}

fn replay_all(s: &mut State) {
    let entries = s.board_inputs().unwrap().sources().entries().to_vec();
    for e in &entries {
        replay(s, e);
    }
}

#[test]
fn merged_groups_stay_merged_and_split_ones_split_as_new_data_arrives() {
    let mut s = demo_state((160, 48), PEAK);
    let before = s.board.groups.len();
    let incident = group_of(&s, |g| g.root.as_deref() == Some("payments"));
    let incident_size = s.board.groups[incident].alerts.len();
    let lag = group_of(&s, |g| g.alerts[0].name() == "KafkaConsumerGroupLag");

    // Mark the lag group, then merge it into the incident.
    select_group(&mut s, lag);
    update(&mut s, ch('m'));
    assert!(s.message.as_ref().unwrap().text.starts_with("1 marked"));
    select_incident(&mut s, "payments");
    update(&mut s, ch('M'));
    assert_eq!(s.board.groups.len(), before - 1);
    assert_eq!(s.board.stats.groups, before - 1);
    let merged = group_of(&s, |g| g.reason == "merged by you");
    assert_eq!(s.board.groups[merged].alerts.len(), incident_size + 1);
    assert!(
        screen_text(&s).contains(&format!("→ {} groups", before - 1)),
        "the status bar counts the merged group once"
    );

    // The next poll brings the same alerts: the merge holds.
    replay_all(&mut s);
    assert_eq!(s.board.groups.len(), before - 1);
    assert!(s.board.groups.iter().any(|g| g.reason == "merged by you"));

    // Splitting it gives each service its own group, and that holds too.
    let merged = group_of(&s, |g| g.reason == "merged by you");
    select_group(&mut s, merged);
    update(&mut s, ch('x'));
    replay_all(&mut s);
    let split: Vec<_> = s
        .board
        .groups
        .iter()
        .filter(|g| g.reason.starts_with("split by you"))
        .collect();
    let mut services: Vec<&str> = split.iter().map(|g| g.root.as_deref().unwrap()).collect();
    services.sort_unstable();
    assert_eq!(
        services,
        [
            "api-gateway",
            "checkout",
            "frontend",
            "notifications",
            "payments"
        ]
    );
    for g in &split {
        let root = g.root.as_deref().unwrap();
        assert!(g.alerts.iter().all(|a| a.label("service") == root), "{g:?}");
    }
    assert_eq!(s.board.stats.groups, s.board.groups.len());
}

#[test]
fn merging_needs_two_groups_and_says_how() {
    let mut s = demo_state((120, 40), PEAK);
    let before = s.board.groups.len();
    update(&mut s, ch('M'));
    let m = s.message.clone().unwrap();
    assert!(m.is_error && m.text.contains("mark the groups"), "{m:?}");
    assert_eq!(s.board.groups.len(), before);
}

/// The demo world, played minute by minute as a poller would see it.
struct Played {
    state: State,
    sources: Vec<DemoSource>,
    start: SimTime,
}

impl Played {
    fn new(start: SimTime) -> Played {
        let (state, sources) = live_demo((160, 48), start);
        Played {
            state,
            sources,
            start,
        }
    }

    fn at(&mut self, t: SimTime) {
        self.at_speed(t, 1);
    }

    /// Like `at`, with simulated time running `speed` times faster than the wall clock,
    /// as `clops demo --speed` plays it.
    fn at_speed(&mut self, t: SimTime, speed: i64) {
        let now = wall() + Duration::milliseconds((t - self.start) * 1000 / speed);
        update(&mut self.state, Event::Tick(now));
        deliver(&mut self.state, &self.sources, t, now);
    }
}

#[test]
fn an_alert_that_keeps_coming_back_is_one_quiet_row_marked_flapping() {
    let start = PEAK - 3600;
    let mut p = Played::new(start);
    let mut marked = None;
    for t in (start..=PEAK).step_by(60) {
        p.at(t);
        let throttled: Vec<_> = p
            .state
            .board
            .groups
            .iter()
            .flat_map(|g| &g.alerts)
            .filter(|a| a.name() == "CPUThrottlingHigh")
            .collect();
        assert!(throttled.len() <= 1, "one row, however often it fires");
        if let Some(a) = throttled.first()
            && let Some(&Quiet::Flapping(n)) = a.quiet.as_deref()
        {
            assert!(n >= 3, "{n}");
            assert!(!a.pages());
            let tag = clops::tui::views::suppression(&p.state, a).unwrap();
            assert_eq!(tag, format!("flapping: started {n} times lately"));
            let json =
                serde_json::to_value(clops::output::AlertsJson::new(&p.state.board, p.state.now))
                    .unwrap();
            let shown = json["groups"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|g| g["alerts"].as_array().unwrap())
                .find(|j| j["labels"]["alertname"] == "CPUThrottlingHigh")
                .unwrap();
            assert_eq!(shown["flapping"], n);
            open_all(&mut p.state);
            let screen = screen_text(&p.state);
            assert!(screen.contains("[flapping: started"), "{screen}");
            marked = Some(n);
        }
    }
    assert!(marked.is_some(), "throttling fires on and off: it flaps");
}

#[test]
fn the_first_start_of_an_alert_is_not_flapping() {
    // One look at the world: nothing has started more than once yet.
    let s = demo_state((120, 40), PEAK);
    assert!(
        s.board
            .groups
            .iter()
            .flat_map(|g| &g.alerts)
            .all(|a| !matches!(a.quiet.as_deref(), Some(Quiet::Flapping(_))))
    );
}

#[test]
fn a_maintenance_window_keeps_its_alerts_from_paging_while_open() {
    let mut s = demo_state((160, 48), PEAK);
    let incident = group_of(&s, |g| g.root.as_deref() == Some("payments"));
    assert_eq!(s.board.groups[incident].class, Class::Page);

    let window = |from: i64, until: i64| MaintenanceConfig {
        name: "eu-failover-drill".into(),
        matchers: "cluster=prod-eu".into(),
        from: wall() + Duration::minutes(from),
        until: wall() + Duration::minutes(until),
    };
    retriage(
        &mut s,
        Triage::new(TriageConfig::default(), &[window(-30, 30)]).unwrap(),
    );
    for g in &s.board.groups {
        for a in &g.alerts {
            let in_eu = a.label("cluster") == "prod-eu";
            assert_eq!(
                a.quiet.as_deref() == Some(&Quiet::Maintenance("eu-failover-drill".into())),
                in_eu,
                "{a:?}"
            );
            assert!(!(in_eu && a.pages()));
        }
    }
    let incident = group_of(&s, |g| g.root.as_deref() == Some("payments"));
    assert_eq!(s.board.groups[incident].class, Class::Ticket);
    open_all(&mut s);
    let screen = screen_text(&s);
    assert!(
        screen.contains("[maintenance eu-failover-drill]"),
        "{screen}"
    );
    assert!(!screen.contains("1 page"), "{screen}");

    // A window that has closed, or not yet opened, changes nothing.
    for (from, until) in [(-60, -1), (1, 60)] {
        retriage(
            &mut s,
            Triage::new(TriageConfig::default(), &[window(from, until)]).unwrap(),
        );
        assert!(
            s.board
                .groups
                .iter()
                .flat_map(|g| &g.alerts)
                .all(|a| a.quiet.is_none())
        );
        let incident = group_of(&s, |g| g.root.as_deref() == Some("payments"));
        assert_eq!(s.board.groups[incident].class, Class::Page);
    }
}

#[test]
fn inhibited_alerts_sit_right_under_what_inhibits_them() {
    let mut s = demo_state((160, 48), PEAK);
    open_all(&mut s);
    let incident = group_of(&s, |g| g.root.as_deref() == Some("payments"));
    let alerts = &s.board.groups[incident].alerts;
    let mut nested = 0;
    for (i, a) in alerts.iter().enumerate() {
        if a.inhibited_by.is_empty() {
            continue;
        }
        nested += 1;
        let above = &alerts[i - 1];
        assert_eq!(above.name(), "HighErrorRate");
        assert_eq!(above.label("service"), a.label("service"));
        assert_eq!(clops::triage::inhibitor(alerts, i), Some(i - 1));
        assert!(!a.pages());
    }
    assert_eq!(
        nested, 3,
        "HighLatency of payments, checkout and api-gateway"
    );
    let screen = screen_text(&s);
    assert_eq!(
        screen
            .lines()
            .filter(|l| l.contains("↳ WARN [inhibited by HighErrorRate] HighLatency"))
            .count(),
        3,
        "{screen}"
    );
}

#[test]
fn fast_forwarding_the_demo_never_makes_an_incident_look_flapping() {
    let start = 0;
    let mut p = Played::new(start);
    for t in (start..=PEAK).step_by(20) {
        p.at_speed(t, 20);
        for a in p.state.board.groups.iter().flat_map(|g| &g.alerts) {
            if matches!(a.quiet.as_deref(), Some(Quiet::Flapping(_))) {
                assert_eq!(a.name(), "CPUThrottlingHigh", "at {t}: {a:?}");
            }
        }
    }
    let incident = group_of(&p.state, |g| g.root.as_deref() == Some("payments"));
    assert_eq!(p.state.board.groups[incident].class, Class::Page);
}
