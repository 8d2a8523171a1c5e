//! Whole-screen snapshots of the console, colours included, at the two sizes that
//! matter: 80×24 (an SSH session on a jump host) and 160×48 (a desk monitor).

mod common;

use clops::tui::{ColorDepth, State, Theme, render, update};
use common::{ch, ctrl, demo_state, key, screen_text};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Early in the incident and at its height.
const OPENING: i64 = 200;
const PEAK: i64 = 600;

fn draw(state: &State, theme: &str) -> String {
    let theme = Theme::builtin(theme, ColorDepth::TrueColor);
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal.draw(|f| render(state, &theme, f)).unwrap();
    format!("{:?}", terminal.backend().buffer())
}

#[test]
fn alerts_view_80x24() {
    let state = demo_state((80, 24), OPENING);
    insta::assert_snapshot!(draw(&state, "default"));
}

#[test]
fn alerts_view_160x48_at_the_peak_expanded() {
    let mut state = demo_state((160, 48), PEAK);
    update(&mut state, ch('z'));
    insta::assert_snapshot!(draw(&state, "default"));
}

#[test]
fn mono_80x24_has_no_colour_anywhere() {
    let mut state = demo_state((80, 24), PEAK);
    update(&mut state, ch('j'));
    update(&mut state, key(KeyCode::Enter));
    let snap = draw(&state, "mono");
    for colour in ["fg: Rgb", "bg: Rgb", "fg: Indexed", "fg: Red", "fg: Yellow"] {
        assert!(!snap.contains(colour), "mono drew a colour: {colour}");
    }
    insta::assert_snapshot!(snap);
}

#[test]
fn mono_160x48_alert_detail() {
    let mut state = demo_state((160, 48), PEAK);
    update(&mut state, key(KeyCode::Enter));
    update(&mut state, ch('j'));
    insta::assert_snapshot!(draw(&state, "mono"));
}

#[test]
fn help_overlay_80x24() {
    let mut state = demo_state((80, 24), OPENING);
    update(&mut state, ch('?'));
    insta::assert_snapshot!(screen_text(&state));
}

#[test]
fn palette_with_completions_80x24() {
    let mut state = demo_state((80, 24), OPENING);
    for c in [':', 't', 'h'] {
        update(&mut state, ch(c));
    }
    insta::assert_snapshot!(screen_text(&state));
}

#[test]
fn filter_narrows_the_list_160x48() {
    let mut state = demo_state((160, 48), PEAK);
    for c in "/checkout".chars() {
        update(&mut state, ch(c));
    }
    insta::assert_snapshot!(screen_text(&state));
}

#[test]
fn light_and_high_contrast_themes_160x48() {
    let state = demo_state((160, 48), PEAK);
    insta::assert_snapshot!("light", draw(&state, "light"));
    insta::assert_snapshot!("high_contrast", draw(&state, "high-contrast"));
}

#[test]
fn sources_overlay_names_a_down_source_and_why() {
    let mut state = demo_state((80, 24), OPENING);
    update(
        &mut state,
        clops::tui::Event::Source(clops::sources::SourceUpdate {
            source: "demo-us".into(),
            at: common::wall(),
            result: Err(clops::sources::SourceError::Timeout(
                std::time::Duration::from_secs(5),
            )),
        }),
    );
    update(&mut state, ch('S'));
    let text = screen_text(&state);
    assert!(text.contains("demo-us (demo) stale"), "{text}");
    assert!(text.contains("timed out after 5s"), "{text}");
    insta::assert_snapshot!(text);
    update(&mut state, ctrl('c'));
}

#[test]
fn tiny_terminals_render_without_panicking() {
    for (w, h) in [(1, 1), (20, 5), (40, 10), (80, 3)] {
        let mut state = demo_state((w, h), PEAK);
        update(&mut state, ch('?'));
        screen_text(&state);
        update(&mut state, key(KeyCode::Esc));
        update(&mut state, ch(':'));
        screen_text(&state);
    }
}

#[test]
fn filter_words_are_marked_where_they_match() {
    let mut state = demo_state((160, 48), PEAK);
    for c in "/checkout".chars() {
        update(&mut state, ch(c));
    }
    update(&mut state, key(KeyCode::Enter));
    update(&mut state, ch('z'));
    let theme = Theme::builtin("default", ColorDepth::TrueColor);
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    terminal.draw(|f| render(&state, &theme, f)).unwrap();
    let buf = terminal.backend().buffer();
    let row = (0..48)
        .find(|&y| {
            let line: String = (0..95).map(|x| buf[(x, y)].symbol()).collect();
            line.contains("checkout: 20.1%")
        })
        .expect("the checkout alert is listed");
    let line: String = (0..95).map(|x| buf[(x, row)].symbol()).collect();
    let at = line.find("checkout: 20.1%").unwrap() as u16;
    let first = &buf[(at, row)];
    assert!(
        first
            .modifier
            .contains(ratatui::style::Modifier::UNDERLINED),
        "{first:?}"
    );
    let after = &buf[(at + 8, row)];
    assert!(
        !after
            .modifier
            .contains(ratatui::style::Modifier::UNDERLINED),
        "only the match is marked"
    );
}

#[test]
fn a_down_source_is_named_with_its_reason_on_the_main_screen() {
    let mut state = demo_state((80, 24), OPENING);
    update(
        &mut state,
        clops::tui::Event::Source(clops::sources::SourceUpdate {
            source: "demo-us".into(),
            at: common::wall(),
            result: Err(clops::sources::SourceError::Transport {
                endpoint: "am-1:9093".into(),
                reason: "connection refused".into(),
            }),
        }),
    );
    let text = screen_text(&state);
    let footer = text.lines().last().unwrap();
    assert!(
        footer.contains("demo-us: am-1:9093: connection refused"),
        "{footer}"
    );
    assert!(footer.contains("S why"), "{footer}");
}

#[test]
fn a_source_that_answers_with_the_same_data_is_shown_as_fresh() {
    let mut state = demo_state((120, 40), PEAK);
    let later = common::wall() + chrono::Duration::minutes(10);
    update(&mut state, clops::tui::Event::Tick(later));
    // Ten minutes on, every source answers with exactly what it sent before.
    let entries = state
        .board_inputs()
        .expect("built here")
        .sources()
        .entries()
        .to_vec();
    for entry in entries {
        let mut again = entry.last_good.clone().expect("the source has data");
        again.taken_at = later;
        update(
            &mut state,
            clops::tui::Event::Source(clops::sources::SourceUpdate {
                source: entry.name.clone(),
                at: later,
                result: Ok(again),
            }),
        );
    }
    update(&mut state, ch('S'));
    let text = screen_text(&state);
    assert!(
        text.contains("demo-us (demo) ok data from <1m ago"),
        "{text}"
    );
    assert!(!text.contains("data from 10m ago"), "{text}");
}
