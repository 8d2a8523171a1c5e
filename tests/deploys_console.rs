//! The deploys view: every service's recent deploys on one axis with the alert
//! onsets, so the deploy just before an incident stands out.

mod common;

use clops::tui::app::Mode;
use clops::tui::update;
use common::{ch, demo_state, key, screen_text};
use crossterm::event::KeyCode;

const PEAK: i64 = 600;

#[test]
fn deploys_and_alert_onsets_share_one_axis() {
    let mut s = demo_state((160, 48), PEAK);
    update(&mut s, ch('d'));
    assert!(matches!(s.mode, Mode::Deploys(_)), "{:?}", s.mode);
    let screen = screen_text(&s);
    assert!(screen.contains("last 6h"), "{screen}");
    assert!(screen.contains("now"), "{screen}");
    // Alerting services come first; payments, where the bad deploy went out, among them
    // with its deploy marked just left of its first alert.
    let lane = screen
        .lines()
        .find(|l| l.contains(" payments ") && l.contains('▲'))
        .unwrap_or_else(|| panic!("no payments lane with alerts:\n{screen}"));
    let deploy = lane.rfind('◆').expect("the deploy before the page");
    let alert = lane.find('▲').unwrap();
    assert!(deploy <= alert, "deploy after the alerts?\n{lane}");
    insta::assert_snapshot!(screen);

    // Zooming in to the last hour keeps the story and relabels the axis.
    update(&mut s, ch('l'));
    let zoomed = screen_text(&s);
    assert!(zoomed.contains("last 1h"), "{zoomed}");
    assert!(zoomed.contains("-30m"), "{zoomed}");
    update(&mut s, ch('h'));
    update(&mut s, ch('h'));
    assert!(screen_text(&s).contains("last 24h"));
    update(&mut s, key(KeyCode::Esc));
    assert!(matches!(s.mode, Mode::Browse));
}

#[test]
fn at_80x24_the_selected_service_lists_its_deploys() {
    let mut s = demo_state((80, 24), PEAK);
    update(&mut s, ch('d'));
    let first = screen_text(&s);
    update(&mut s, ch('j'));
    let second = screen_text(&s);
    assert_ne!(first, second, "j moves the selection");
    let screen = loop {
        let screen = screen_text(&s);
        if screen.contains(" payments: ") {
            break screen;
        }
        let before = screen.clone();
        update(&mut s, ch('j'));
        assert_ne!(screen_text(&s), before, "never reached payments:\n{screen}");
    };
    assert!(screen.contains("ago · success · demo-"), "{screen}");
    insta::assert_snapshot!(screen);
}
