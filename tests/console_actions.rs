//! Silencing, acking and unsilencing from the console: what is asked, what is sent.

mod common;

use chrono::Duration;
use clops::model::silence::ACK_MARKER;
use clops::model::{AlertState, NewSilence, Silence, SilenceState};
use clops::sources::demo;
use clops::sources::{Snapshot, Source, SourceUpdate};
use clops::tui::actions::Field;
use clops::tui::app::{Mode, Row};
use clops::tui::{Effect, Event, update};
use common::{ch, demo_state, key, select_incident, type_text, wall};
use crossterm::event::KeyCode;

const PEAK: i64 = 600;

#[test]
fn silencing_a_group_prefills_shared_labels_and_asks_before_sending() {
    let mut s = demo_state((120, 40), PEAK);
    select_incident(&mut s, "payments");
    update(&mut s, ch('s'));
    let Mode::Silence(form) = s.mode.clone() else {
        panic!("form not open: {:?}", s.mode)
    };
    assert_eq!(form.sources, ["demo-eu"]);
    assert_eq!(
        form.field,
        Field::Comment,
        "the cursor waits where only a human can type"
    );
    // Shared labels, and the few services and alert names the incident spans: never
    // as broad as the whole cluster.
    for expected in [
        r#"cluster="prod-eu""#,
        r#"service=~"api-gateway|checkout|frontend|payments""#,
        "alertname=~",
    ] {
        assert!(
            form.matchers.contains(expected),
            "{expected}: {}",
            form.matchers
        );
    }
    assert_eq!(form.duration, "2h");

    // No comment: refused in words, still in the form.
    update(&mut s, key(KeyCode::Enter));
    let Mode::Silence(form) = s.mode.clone() else {
        panic!()
    };
    assert!(form.problem.unwrap().starts_with("comment:"));

    type_text(&mut s, "rolling back payments");
    update(&mut s, key(KeyCode::Enter));
    let Mode::Confirm(c) = s.mode.clone() else {
        panic!("no confirmation: {:?}", s.mode)
    };
    assert!(
        c.question.contains("12 alerts now matching") && c.question.contains("tester@jump-1"),
        "{}",
        c.question
    );

    let effects = update(&mut s, ch('y'));
    let [Effect::CreateSilences(silences)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(silences.len(), 1);
    let (source, silence) = &silences[0];
    assert_eq!(source, "demo-eu");
    assert_eq!(silence.created_by, "tester@jump-1");
    assert_eq!(silence.comment, "rolling back payments");
    assert_eq!(silence.ends_at - silence.starts_at, Duration::hours(2));
}

#[test]
fn any_key_but_y_sends_nothing_and_goes_back_to_the_form_as_typed() {
    let mut s = demo_state((120, 40), PEAK);
    update(&mut s, ch('s'));
    type_text(&mut s, "db failover");
    update(&mut s, key(KeyCode::Enter));
    assert!(matches!(s.mode, Mode::Confirm(_)));
    for no in [ch('n'), key(KeyCode::Enter), key(KeyCode::Esc)] {
        assert!(update(&mut s, no).is_empty(), "nothing is sent");
        let Mode::Silence(form) = s.mode.clone() else {
            panic!("not back in the form: {:?}", s.mode)
        };
        assert_eq!(form.comment, "db failover", "what was typed is kept");
        update(&mut s, key(KeyCode::Enter));
        assert!(matches!(s.mode, Mode::Confirm(_)));
    }
    // An ack has no form: no is no.
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.mode, Mode::Browse);
    update(&mut s, ch('a'));
    assert!(matches!(s.mode, Mode::Confirm(_)), "{:?}", s.mode);
    assert!(update(&mut s, ch('n')).is_empty());
    assert_eq!(s.mode, Mode::Browse);
    assert!(
        s.message
            .as_ref()
            .unwrap()
            .text
            .contains("nothing was changed")
    );
}

#[test]
fn editing_matchers_and_duration_in_the_form() {
    let mut s = demo_state((120, 40), PEAK);
    update(&mut s, ch('s'));
    update(&mut s, key(KeyCode::Tab)); // comment → matchers
    update(
        &mut s,
        Event::Key(crossterm::event::KeyEvent::new(
            KeyCode::Char('u'),
            crossterm::event::KeyModifiers::CONTROL,
        )),
    );
    type_text(&mut s, "service=checkout");
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Backspace));
    update(&mut s, key(KeyCode::Backspace));
    type_text(&mut s, "30m");
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "deploy window");
    update(&mut s, key(KeyCode::Enter));
    let effects = update(&mut s, ch('y'));
    let [Effect::CreateSilences(silences)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let silence = &silences[0].1;
    assert_eq!(silence.matchers.len(), 1);
    assert_eq!(silence.matchers[0].to_string(), r#"service="checkout""#);
    assert_eq!(silence.ends_at - silence.starts_at, Duration::minutes(30));
}

#[test]
fn read_only_refuses_every_change() {
    let mut s = demo_state((120, 40), PEAK);
    s.read_only = true;
    for k in ['s', 'a', 'u'] {
        assert!(update(&mut s, ch(k)).is_empty());
        assert_eq!(s.mode, Mode::Browse);
        let m = s.message.clone().unwrap();
        assert!(m.is_error && m.text.starts_with("read-only"), "{k}: {m:?}");
    }
}

#[test]
fn ack_silences_exactly_each_alert_until_it_resolves() {
    let mut s = demo_state((120, 40), PEAK);
    select_incident(&mut s, "payments");
    update(&mut s, ch('a'));
    let Mode::Confirm(c) = s.mode.clone() else {
        panic!("{:?}", s.mode)
    };
    assert!(
        c.question.contains("Ack 12 alerts") && c.question.contains("12h"),
        "{}",
        c.question
    );
    let effects = update(&mut s, ch('y'));
    let [Effect::CreateSilences(acks)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(acks.len(), 12);
    for (source, ack) in acks {
        assert_eq!(source, "demo-eu");
        assert!(ack.comment.contains(ACK_MARKER));
        assert!(
            ack.matchers.iter().any(|m| m.name == "service"),
            "every label is matched"
        );
        assert_eq!(ack.ends_at - ack.starts_at, Duration::hours(12));
    }
}

#[test]
fn the_yes_of_a_confirmation_can_be_moved_and_y_is_then_no() {
    let file = clops::config::parse_all_with(
        std::path::Path::new("clops.toml"),
        "[keys.confirm]\nyes = \"ctrl-y\"\n",
        &clops::tui::CONFIG_CHECKS,
    )
    .unwrap();
    let keymap = clops::tui::keymap::Keymap::from_config(&file.keys).unwrap();
    let mut s = common::demo_state_with(demo::Scenario::BadDeploy, (120, 40), PEAK, keymap);
    select_incident(&mut s, "payments");
    update(&mut s, ch('a'));
    assert!(matches!(s.mode, Mode::Confirm(_)), "{:?}", s.mode);
    assert!(
        common::screen_text(&s).contains("ctrl-y yes, do it"),
        "the question shows the key that answers it"
    );
    assert!(update(&mut s, ch('y')).is_empty(), "y sends nothing now");
    assert!(matches!(s.mode, Mode::Browse), "y is no: {:?}", s.mode);
    update(&mut s, ch('a'));
    let effects = update(&mut s, common::ctrl('y'));
    let [Effect::CreateSilences(acks)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(acks.len(), 12);
}

/// A console fed by real demo sources, so silences made through them show up.
fn live_demo() -> (clops::tui::State, Vec<demo::DemoSource>) {
    common::live_demo((120, 40), PEAK)
}

fn poll(state: &mut clops::tui::State, source: &demo::DemoSource) -> Vec<Effect> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let snapshot = rt.block_on(source.fetch()).unwrap();
    update(
        state,
        Event::Source(SourceUpdate {
            source: source.name().into(),
            at: wall(),
            result: Ok(snapshot),
        }),
    )
}

fn create(source: &demo::DemoSource, silence: NewSilence) -> String {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(source.silencer().unwrap().create(silence))
        .unwrap()
        .id
}

#[test]
fn a_silence_shows_on_its_alerts_and_u_offers_to_expire_it() {
    let (mut s, sources) = live_demo();
    let eu = &sources[0];
    let matchers = clops::model::Matcher::parse_list("alertname=HighErrorRate").unwrap();
    let id = create(
        eu,
        NewSilence::lasting(
            matchers,
            Duration::hours(1),
            "bob@jump-2",
            "db failover",
            wall(),
        ),
    );
    poll(&mut s, eu);
    select_incident(&mut s, "payments");
    let g = match s.selected() {
        Some(Row::Group(g)) => g,
        _ => unreachable!(),
    };
    for a in &s.board.groups[g].alerts {
        let silenced = a.name() == "HighErrorRate";
        assert_eq!(!a.silenced_by.is_empty(), silenced, "{a:?}");
        if silenced {
            assert_eq!(a.state, AlertState::Suppressed);
            assert_eq!(a.silenced_by.len(), 1);
            assert_eq!(a.silenced_by[0], id);
            let tag = clops::tui::views::suppression(&s, a).unwrap();
            assert!(tag.starts_with("silenced by bob@jump-2 until"), "{tag}");
        }
    }

    update(&mut s, ch('u'));
    let Mode::Confirm(c) = s.mode.clone() else {
        panic!("{:?}", s.mode)
    };
    assert!(c.question.contains("Expire 1 silence"), "{}", c.question);
    // It names what pages again: every alert the silence holds quiet, on any group.
    let quiet = s
        .board
        .groups
        .iter()
        .flat_map(|g| &g.alerts)
        .filter(|a| a.silenced_by.contains(&id))
        .map(|a| a.fingerprint)
        .collect::<std::collections::HashSet<_>>();
    assert!(!quiet.is_empty());
    assert!(
        c.question.contains(&format!("{} alert", quiet.len()))
            && c.question.contains("HighErrorRate")
            && c.question.contains("will page again"),
        "{}",
        c.question
    );
    assert!(
        quiet
            .iter()
            .all(|fp| c.details.iter().any(|l| l.contains(&fp.to_string()))),
        "{:?}",
        c.details
    );
    let effects = update(&mut s, ch('y'));
    assert_eq!(
        effects,
        vec![Effect::ExpireSilences(vec![("demo-eu".into(), id)])]
    );
}

#[test]
fn an_ack_is_expired_once_its_alert_has_resolved() {
    let (mut s, sources) = live_demo();
    let eu = &sources[0];
    // An ack of an alert that is not firing (it resolved a moment ago).
    let gone: clops::model::LabelSet = [("alertname", "HighErrorRate"), ("service", "search")]
        .into_iter()
        .collect();
    let id = create(
        eu,
        NewSilence::ack(&gone, Duration::hours(12), "tester@jump-1", wall()),
    );
    let effects = poll(&mut s, eu);
    assert_eq!(
        effects,
        vec![Effect::ExpireSilences(vec![("demo-eu".into(), id.clone())])]
    );
    // Asked once, not on every poll.
    let again = poll(&mut s, eu);
    assert!(again.is_empty(), "{again:?}");
    // Acks of firing alerts, and plain silences, are left alone.
    let firing = s.board.groups[0].alerts[0].labels.clone();
    create(
        eu,
        NewSilence::ack(&firing, Duration::hours(12), "tester@jump-1", wall()),
    );
    let plain = clops::model::Matcher::parse_list("alertname=Nothing").unwrap();
    create(
        eu,
        NewSilence::lasting(plain, Duration::hours(1), "x@y", "maintenance", wall()),
    );
    assert!(poll(&mut s, eu).is_empty());
    // A read-only console expires nothing.
    let (mut ro, sources) = live_demo();
    ro.read_only = true;
    create(
        &sources[0],
        NewSilence::ack(&gone, Duration::hours(12), "tester@jump-1", wall()),
    );
    assert!(poll(&mut ro, &sources[0]).is_empty());
}

#[test]
fn expiring_a_demo_silence_unsilences_its_alerts() {
    let (mut s, sources) = live_demo();
    let eu = &sources[0];
    let matchers = clops::model::Matcher::parse_list("severity=critical").unwrap();
    let id = create(
        eu,
        NewSilence::lasting(matchers, Duration::hours(1), "x@y", "z", wall()),
    );
    poll(&mut s, eu);
    let silenced = |s: &clops::tui::State| {
        s.board
            .groups
            .iter()
            .flat_map(|g| &g.alerts)
            .filter(|a| !a.silenced_by.is_empty())
            .count()
    };
    assert!(silenced(&s) > 0);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(eu.silencer().unwrap().expire(&id)).unwrap();
    poll(&mut s, eu);
    assert_eq!(silenced(&s), 0);
    let expired: Vec<&Silence> = s.board.silences.iter().filter(|x| x.id == id).collect();
    assert_eq!(expired[0].state, SilenceState::Expired);
    let _ = Snapshot::default();
}
