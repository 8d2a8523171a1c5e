//! The dependency map in the console: drawn in layers, failing services lit, the
//! selected group's blast radius hot, usable at 80×24 by scrolling and focusing.

mod common;

use clops::tui::app::Mode;
use clops::tui::update;
use common::{ch, demo_state, key, screen_text, select_incident};
use crossterm::event::KeyCode;

const PEAK: i64 = 600;

fn map_on_payments(size: (u16, u16)) -> clops::tui::State {
    let mut s = demo_state(size, PEAK);
    select_incident(&mut s, "payments");
    update(&mut s, ch('b'));
    assert!(matches!(s.mode, Mode::Map(_)), "{:?}", s.mode);
    s
}

fn selected(s: &clops::tui::State) -> Option<String> {
    match &s.mode {
        Mode::Map(v) => v.selected.clone(),
        _ => None,
    }
}

#[test]
fn the_map_at_160x48_shows_every_service_and_the_blast_radius() {
    let s = map_on_payments((160, 48));
    assert_eq!(
        selected(&s).as_deref(),
        Some("payments"),
        "the group's root is selected"
    );
    let screen = screen_text(&s);
    for service in [
        "frontend",
        "api-gateway",
        "checkout",
        "payments",
        "payments-db",
        "kafka",
    ] {
        assert!(screen.contains(service), "{service} missing:\n{screen}");
    }
    assert!(screen.contains("blast radius of"), "{screen}");
    assert!(
        screen.contains("payments failing"),
        "the panel says how it is:\n{screen}"
    );
    assert!(screen.contains("called by"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn at_80x24_the_map_scrolls_and_focuses_on_one_service() {
    let mut s = map_on_payments((80, 24));
    insta::assert_snapshot!("map_80x24", screen_text(&s));
    // Scrolling right shows what does not fit.
    let before = screen_text(&s);
    update(&mut s, ch('l'));
    assert_ne!(screen_text(&s), before);
    update(&mut s, ch('h'));
    assert_eq!(screen_text(&s), before);
    // Focus: only payments, what calls it and what it calls.
    update(&mut s, key(KeyCode::Enter));
    let focused = screen_text(&s);
    assert!(focused.contains("around payments"), "{focused}");
    assert!(focused.contains("payments-db"), "{focused}");
    assert!(
        !focused.contains("redis-sessions"),
        "unrelated services are gone:\n{focused}"
    );
    insta::assert_snapshot!("map_80x24_focused", focused);
    // j/k walk the services in drawing order.
    update(&mut s, ch('g'));
    let first = selected(&s);
    update(&mut s, ch('j'));
    assert_ne!(selected(&s), first);
    update(&mut s, key(KeyCode::Esc));
    assert!(matches!(s.mode, Mode::Browse));
}
