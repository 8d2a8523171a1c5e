//! The selected row is held by identity: when the board changes under it, the cursor
//! stays on the same alert or group, and when that is gone no action key falls on a
//! neighbour.

mod common;

use clops::model::Fingerprint;
use clops::tui::app::{Mode, Row};
use clops::tui::{State, update};
use common::{ch, deliver, key, live_demo, wall};
use crossterm::event::KeyCode;

/// The fingerprint under the cursor, and its group's id.
fn selected_alert(s: &State) -> Option<(String, Fingerprint)> {
    match s.selected()? {
        Row::Alert(g, a) => Some((
            s.board.groups[g].id.clone(),
            s.board.groups[g].alerts[a].fingerprint,
        )),
        Row::Group(_) => None,
    }
}

/// Puts the cursor on alert `fp`, opening its group.
fn select_alert(s: &mut State, fp: Fingerprint) {
    let g = s
        .board
        .groups
        .iter()
        .position(|g| g.alerts.iter().any(|a| a.fingerprint == fp))
        .expect("the alert is on the board");
    common::select_group(s, g);
    update(s, key(KeyCode::Enter));
    for _ in 0..s.rows.len() {
        if selected_alert(s).is_some_and(|(_, f)| f == fp) {
            return;
        }
        update(s, ch('j'));
    }
    panic!("alert {fp} not reached");
}

/// The first moment of the demo's incident (from 60 s, every 30 s) where `find` finds
/// something between the board then and a minute later: the console then, its sources,
/// and what was found.
fn moment<T>(
    until: i64,
    find: impl Fn(&State, &State) -> Option<T>,
) -> Option<(i64, State, Vec<clops::sources::demo::DemoSource>, T)> {
    (60..until).step_by(30).find_map(|t| {
        let (s, sources) = live_demo((120, 40), t);
        let (later, _) = live_demo((120, 40), t + 60);
        find(&s, &later).map(|found| (t, s, sources, found))
    })
}

/// Index of a group that grows into a new one (another id) a minute later.
fn growing_group(now: &State, later: &State) -> Option<usize> {
    now.board.groups.iter().position(|g| {
        !later.board.groups.iter().any(|n| n.id == g.id)
            && later.board.groups.iter().any(|n| {
                n.alerts.len() > g.alerts.len()
                    && n.alerts
                        .iter()
                        .any(|a| a.fingerprint == g.alerts[0].fingerprint)
            })
    })
}

/// Fingerprints on the board.
fn on_board(s: &State) -> std::collections::HashSet<Fingerprint> {
    s.board
        .groups
        .iter()
        .flat_map(|g| g.alerts.iter().map(|a| a.fingerprint))
        .collect()
}

#[test]
fn an_alert_stays_selected_when_its_group_grows_and_changes_id() {
    let (t, mut s, sources, (fp, new_id)) = moment(1200, |s, later| {
        let g = &s.board.groups[growing_group(s, later)?];
        let fp = g.alerts.last()?.fingerprint;
        let new = later
            .board
            .groups
            .iter()
            .find(|n| n.alerts.iter().any(|a| a.fingerprint == fp))?;
        Some((fp, new.id.clone()))
    })
    .expect("the demo grows a group: this test needs a new scenario moment otherwise");
    select_alert(&mut s, fp);
    deliver(
        &mut s,
        &sources,
        t + 60,
        wall() + chrono::Duration::seconds(60),
    );
    assert_eq!(
        selected_alert(&s),
        Some((new_id.clone(), fp)),
        "at {t}s the cursor left the alert when its group grew"
    );
    assert!(s.expanded.contains(&new_id), "the grown group stays open");
    assert!(s.lost.is_none());
    // An action now falls on that same alert.
    update(&mut s, ch('a'));
    let Mode::Confirm(c) = s.mode.clone() else {
        panic!("{:?}", s.mode)
    };
    assert!(
        c.details.iter().any(|l| l.contains(&fp.to_string())),
        "{c:?}"
    );
}

#[test]
fn a_selected_alert_that_resolves_selects_nothing_and_actions_say_why() {
    let (t, mut s, sources, (fp, name)) = moment(1800, |s, later| {
        let on_later = on_board(later);
        s.board
            .groups
            .iter()
            .filter(|g| g.alerts.iter().any(|a| on_later.contains(&a.fingerprint)))
            .flat_map(|g| &g.alerts)
            .find(|a| !on_later.contains(&a.fingerprint))
            .map(|a| (a.fingerprint, a.name().to_string()))
    })
    .expect("an alert of the demo resolves");
    select_alert(&mut s, fp);
    deliver(
        &mut s,
        &sources,
        t + 60,
        wall() + chrono::Duration::seconds(60),
    );
    assert_eq!(
        s.selected(),
        None,
        "nothing is selected once the alert left"
    );
    let lost = s.lost.clone().expect("the console says what was lost");
    assert!(lost.contains(&name) && lost.contains("resolved"), "{lost}");
    let footer = s.message.clone().expect("the footer says so");
    assert!(footer.text.contains("resolved"), "{footer:?}");
    // Every key that acts on the selection refuses, in words.
    for k in ['s', 'a', 'D', 'u', 'r', 'x'] {
        let effects = update(&mut s, ch(k));
        assert!(effects.is_empty(), "{k}: {effects:?}");
        assert_eq!(s.mode, Mode::Browse, "{k} opened {:?}", s.mode);
        let m = s.message.clone().unwrap();
        assert!(
            m.is_error && m.text.contains("nothing is selected"),
            "{k}: {m:?}"
        );
    }
    let screen = common::screen_text(&s);
    assert!(screen.contains("Nothing is selected"), "{screen}");
    // Moving picks a row again.
    update(&mut s, ch('j'));
    assert!(s.selected().is_some());
    assert!(s.lost.is_none());
}

#[test]
fn a_selected_group_that_grows_stays_selected() {
    let (t, mut s, sources, g) = moment(1200, growing_group).expect("the demo grows a group");
    let fp = s.board.groups[g].alerts[0].fingerprint;
    common::select_group(&mut s, g);
    deliver(
        &mut s,
        &sources,
        t + 60,
        wall() + chrono::Duration::seconds(60),
    );
    let Some(Row::Group(now)) = s.selected() else {
        panic!("at {t}s: {:?}", s.selected())
    };
    assert!(
        s.board.groups[now]
            .alerts
            .iter()
            .any(|a| a.fingerprint == fp),
        "the cursor is on the group that holds the same alerts"
    );
    let m = s
        .message
        .clone()
        .expect("the footer says the group changed");
    assert!(m.text.contains("selected group changed"), "{m:?}");
}

#[test]
fn a_confirmation_checks_its_target_again_on_y() {
    // Ack a group, then let some of its alerts resolve before `y`.
    let (t, mut s, sources, g) = moment(1800, |s, later| {
        let on_later = on_board(later);
        s.board.groups.iter().position(|g| {
            g.alerts.len() > 1
                && g.alerts.len() <= 50
                && g.alerts.iter().all(|a| a.silenced_by.is_empty())
                && g.alerts.iter().any(|a| on_later.contains(&a.fingerprint))
                && g.alerts.iter().any(|a| !on_later.contains(&a.fingerprint))
        })
    })
    .expect("a group of the demo half resolves");
    let before = s.board.groups[g].alerts.len();
    common::select_group(&mut s, g);
    update(&mut s, ch('a'));
    assert!(matches!(s.mode, Mode::Confirm(_)), "{:?}", s.mode);
    deliver(
        &mut s,
        &sources,
        t + 60,
        wall() + chrono::Duration::seconds(60),
    );
    let effects = update(&mut s, ch('y'));
    assert!(
        effects.is_empty(),
        "a changed target is not sent: {effects:?}"
    );
    let Mode::Confirm(again) = s.mode.clone() else {
        panic!("{:?}", s.mode)
    };
    assert!(
        again.question.contains("changed since you were asked")
            && again.question.contains(&format!("{before} alerts then")),
        "{}",
        again.question
    );
    let effects = update(&mut s, ch('y'));
    let [clops::tui::Effect::CreateSilences(acks)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(
        acks.len() < before,
        "only the alerts still firing are acked"
    );
}

#[test]
fn a_declaration_takes_the_groups_alerts_as_they_are_when_it_is_sent() {
    use clops::tui::Effect;
    let (t, mut s, sources, g) = moment(1200, growing_group).expect("the demo grows a group");
    let before = s.board.groups[g].alerts.len();
    common::select_group(&mut s, g);
    update(&mut s, ch('D'));
    deliver(
        &mut s,
        &sources,
        t + 60,
        wall() + chrono::Duration::seconds(60),
    );
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(
        effects.is_empty(),
        "not declared with the old alerts: {effects:?}"
    );
    let Mode::Prompt(prompt) = s.mode.clone() else {
        panic!("{:?}", s.mode)
    };
    let problem = prompt.problem.clone().unwrap();
    assert!(
        problem.contains("changed since you pressed D")
            && problem.contains(&format!("{before} then")),
        "{problem}"
    );
    let effects = update(&mut s, key(KeyCode::Enter));
    let [Effect::Declare(d)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let Some(Row::Group(now)) = s.selected() else {
        panic!()
    };
    assert_eq!(d.alerts.len(), s.board.groups[now].alerts.len());
    assert!(d.alerts.len() > before);
}
