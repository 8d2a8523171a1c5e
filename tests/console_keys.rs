//! Key handling against plain state: what each key does to what the console shows.

mod common;

use std::collections::BTreeMap;

use clops::config::KeyList;
use clops::sources::demo::Scenario;
use clops::tui::app::{Focus, Mode, Row};
use clops::tui::keymap::Keymap;
use clops::tui::{Effect, Event, update};
use common::{ch, ctrl, demo_state, demo_state_with, key, screen_text, type_text};
use crossterm::event::KeyCode;

const PEAK: i64 = 600;

#[test]
fn j_k_and_arrows_move_the_selection_within_bounds() {
    let mut s = demo_state((80, 24), PEAK);
    assert_eq!(s.cursor, 0);
    update(&mut s, ch('k'));
    assert_eq!(s.cursor, 0, "cannot move above the first row");
    update(&mut s, ch('j'));
    update(&mut s, key(KeyCode::Down));
    assert_eq!(s.cursor, 2);
    update(&mut s, key(KeyCode::Up));
    assert_eq!(s.cursor, 1);
    update(&mut s, ch('G'));
    assert_eq!(s.cursor, s.rows.len() - 1);
    update(&mut s, ch('j'));
    assert_eq!(s.cursor, s.rows.len() - 1, "cannot move past the last row");
    update(&mut s, ch('g'));
    assert_eq!(s.cursor, 0);
}

#[test]
fn enter_expands_a_group_and_collapses_it_again() {
    let mut s = demo_state((80, 24), PEAK);
    let groups = s.rows.len();
    let Some(Row::Group(g)) = s.selected() else {
        panic!("first row is a group")
    };
    let size = s.board.groups[g].alerts.len();
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.rows.len(), groups + size);
    assert_eq!(s.rows[1], Row::Alert(g, 0));
    update(&mut s, ch('j'));
    assert_eq!(s.selected(), Some(Row::Alert(g, 0)));
    // h on an alert goes back to its group header, h again collapses.
    update(&mut s, ch('h'));
    assert_eq!(s.selected(), Some(Row::Group(g)));
    update(&mut s, ch('h'));
    assert_eq!(s.rows.len(), groups);
}

#[test]
fn z_expands_and_collapses_everything() {
    let mut s = demo_state((80, 24), PEAK);
    let groups = s.rows.len();
    update(&mut s, ch('z'));
    assert_eq!(s.rows.len(), groups + s.board.alert_count());
    update(&mut s, ch('z'));
    assert_eq!(s.rows.len(), groups);
}

#[test]
fn paging_keeps_the_cursor_on_screen() {
    let mut s = demo_state((80, 24), PEAK);
    update(&mut s, ch('z'));
    let page = usize::from(s.areas().list_rows());
    update(&mut s, key(KeyCode::PageDown));
    assert_eq!(s.cursor, page);
    assert!(s.cursor >= s.offset && s.cursor < s.offset + page);
    update(&mut s, ch('G'));
    assert!(s.cursor < s.offset + page);
    update(&mut s, key(KeyCode::PageUp));
    assert!(s.cursor >= s.offset);
}

#[test]
fn slash_filters_live_and_esc_clears() {
    let mut s = demo_state((80, 24), PEAK);
    let all = s.board.groups.len();
    update(&mut s, ch('/'));
    assert_eq!(s.mode, Mode::Filter);
    for c in "checkout".chars() {
        update(&mut s, ch(c));
    }
    let shown = s.hits.as_ref().unwrap();
    assert!(!shown.is_empty() && shown.len() < all);
    // Every alert still visible mentions checkout somewhere.
    for (g, alerts) in shown {
        for a in alerts {
            let alert = &s.board.groups[*g].alerts[*a];
            let text = format!("{:?}{:?}", alert.labels, alert.annotations);
            assert!(text.contains("checkout"), "{text}");
        }
    }
    // Enter keeps the filter and returns the keys to browsing.
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.mode, Mode::Browse);
    assert!(s.hits.is_some());
    update(&mut s, key(KeyCode::Esc));
    assert!(s.hits.is_none());
    assert_eq!(s.rows.len(), all);
}

#[test]
fn a_filter_that_matches_nothing_says_so() {
    let mut s = demo_state((80, 24), PEAK);
    update(&mut s, ch('/'));
    for c in "zzqqxx".chars() {
        update(&mut s, ch(c));
    }
    assert!(s.rows.is_empty());
    update(&mut s, key(KeyCode::Backspace));
    assert_eq!(s.filter, "zzqqx");
    update(&mut s, key(KeyCode::Esc));
    assert!(!s.rows.is_empty());
}

#[test]
fn typing_in_the_filter_never_triggers_actions() {
    let mut s = demo_state((80, 24), PEAK);
    update(&mut s, ch('/'));
    for c in "q?:jz".chars() {
        let effects = update(&mut s, ch(c));
        assert!(effects.is_empty(), "{c} did something: {effects:?}");
    }
    assert_eq!(s.filter, "q?:jz");
    assert_eq!(s.mode, Mode::Filter);
}

#[test]
fn question_mark_opens_help_and_esc_closes_it() {
    let mut s = demo_state((80, 24), PEAK);
    update(&mut s, ch('?'));
    assert_eq!(s.mode, Mode::Help { scroll: 0 });
    update(&mut s, ch('j'));
    assert_eq!(s.mode, Mode::Help { scroll: 1 });
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.mode, Mode::Browse);
}

#[test]
fn q_and_ctrl_c_quit_from_browsing_and_help() {
    let mut s = demo_state((80, 24), PEAK);
    assert_eq!(update(&mut s, ch('q')), vec![Effect::Quit]);
    update(&mut s, ch('?'));
    assert_eq!(update(&mut s, ch('q')), vec![Effect::Quit]);
    let mut s = demo_state((80, 24), PEAK);
    update(&mut s, ch('/'));
    assert_eq!(
        update(&mut s, ctrl('c')),
        vec![Effect::Quit],
        "ctrl-c quits even while typing"
    );
}

#[test]
fn palette_completes_and_runs_commands() {
    let mut s = demo_state((80, 24), PEAK);
    update(&mut s, ch(':'));
    for c in "expa".chars() {
        update(&mut s, ch(c));
    }
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(
        s.mode,
        Mode::Palette {
            input: "expand-all".into(),
            selected: 0
        }
    );
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.mode, Mode::Browse);
    assert_eq!(s.rows.len(), s.board.groups.len() + s.board.alert_count());

    update(&mut s, ch(':'));
    for c in "theme light".chars() {
        update(&mut s, ch(c));
    }
    assert_eq!(
        update(&mut s, key(KeyCode::Enter)),
        vec![Effect::SetTheme("light".into())]
    );

    update(&mut s, ch(':'));
    for c in "frobnicate".chars() {
        update(&mut s, ch(c));
    }
    update(&mut s, key(KeyCode::Enter));
    let m = s.message.clone().expect("an unknown command is explained");
    assert!(m.is_error && m.text.contains("frobnicate"), "{m:?}");
    update(&mut s, ch('j'));
    assert!(s.message.is_none(), "the message goes with the next key");
}

#[test]
fn palette_quit_and_filter_commands() {
    let mut s = demo_state((80, 24), PEAK);
    update(&mut s, ch(':'));
    for c in "filter payments".chars() {
        update(&mut s, ch(c));
    }
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.filter, "payments");
    update(&mut s, ch(':'));
    update(&mut s, ch('q'));
    assert_eq!(update(&mut s, key(KeyCode::Enter)), vec![Effect::Quit]);
}

#[test]
fn tab_moves_focus_to_detail_where_j_scrolls() {
    let mut s = demo_state((80, 24), PEAK);
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.focus, Focus::Detail);
    update(&mut s, ch('j'));
    assert_eq!((s.cursor, s.detail_scroll), (0, 1));
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.focus, Focus::List);
}

#[test]
fn ctrl_z_and_ctrl_r_ask_the_loop_to_suspend_and_refresh() {
    let mut s = demo_state((80, 24), PEAK);
    assert_eq!(update(&mut s, ctrl('z')), vec![Effect::Suspend]);
    assert_eq!(update(&mut s, ctrl('r')), vec![Effect::Refresh]);
}

#[test]
fn remapped_keys_take_effect() {
    let mut overrides = BTreeMap::new();
    overrides.insert("quit".to_string(), KeyList::One("x".into()));
    overrides.insert("split".to_string(), KeyList::One("X".into()));
    overrides.insert("down".to_string(), KeyList::Many(vec!["n".into()]));
    overrides.insert("note".to_string(), KeyList::One("N".into()));
    let keymap = Keymap::new(&overrides).unwrap();
    let mut s = demo_state_with(Scenario::BadDeploy, (80, 24), PEAK, keymap);
    assert!(update(&mut s, ch('q')).is_empty(), "q is no longer quit");
    update(&mut s, ch('j'));
    assert_eq!(s.cursor, 0, "j is no longer down");
    update(&mut s, ch('n'));
    assert_eq!(s.cursor, 1);
    assert_eq!(update(&mut s, ch('x')), vec![Effect::Quit]);
}

#[test]
fn a_keymap_that_takes_quits_key_never_reaches_the_console() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("clops.toml");
    std::fs::write(&path, "[keys]\ndown = [\"q\"]\n").unwrap();
    let global = clops::cli::Global {
        config: Some(path.clone()),
        ..Default::default()
    };
    let refused = clops::commands::Settings::resolve(&global, true)
        .err()
        .expect("the console on a config refuses it");
    assert!(
        refused
            .to_string()
            .contains(":2: key `keys.down`: `q` is already bound to `quit`"),
        "{refused}"
    );
    // The demo runs on the defaults and says why, so the footer's `q quit` is true.
    let settings = clops::commands::Settings::resolve(&global, false).unwrap();
    let warning = settings.warning.as_ref().expect("a warning").to_string();
    assert!(warning.contains("keys.down"), "{warning}");
    let mut s = demo_state_with(Scenario::BadDeploy, (80, 24), PEAK, settings.keymap);
    let footer = screen_text(&s).lines().last().unwrap().to_string();
    assert!(footer.contains("q quit"), "{footer}");
    assert_eq!(update(&mut s, ch('q')), vec![Effect::Quit]);
}

#[test]
fn the_selection_follows_its_group_when_new_data_arrives() {
    let mut s = demo_state((80, 24), 200);
    update(&mut s, ch('G'));
    let before = s.selected().map(|r| match r {
        Row::Group(g) => s.board.groups[g].id.clone(),
        Row::Alert(..) => unreachable!(),
    });
    // Later data adds groups above the selected one.
    let mut later = demo_state((80, 24), PEAK);
    for entry in later
        .board_inputs()
        .unwrap()
        .sources()
        .entries()
        .to_vec()
        .iter()
    {
        common::replay(&mut s, entry);
    }
    let after = s.selected().map(|r| match r {
        Row::Group(g) => s.board.groups[g].id.clone(),
        Row::Alert(..) => unreachable!(),
    });
    assert_eq!(before, after);
}

#[test]
fn resize_and_clock_ticks_redraw_only_when_something_shows_it() {
    let mut s = demo_state((80, 24), PEAK);
    s.dirty = false;
    update(
        &mut s,
        Event::Tick(common::wall() + chrono::Duration::seconds(30)),
    );
    assert!(!s.dirty, "same minute on screen: nothing to redraw");
    update(
        &mut s,
        Event::Tick(common::wall() + chrono::Duration::seconds(61)),
    );
    assert!(s.dirty, "the clock changed");
    s.dirty = false;
    update(&mut s, Event::Resize(120, 40));
    assert!(s.dirty);
    assert_eq!((s.width, s.height), (120, 40));
}

#[test]
fn identical_data_does_not_redraw() {
    let mut s = demo_state((80, 24), PEAK);
    s.dirty = false;
    let entry = s.board_inputs().unwrap().sources().entries()[0].clone();
    common::replay(&mut s, &entry);
    assert!(!s.dirty, "an idle console draws nothing");
}

#[test]
fn a_fresh_console_keeps_the_most_urgent_group_selected_as_data_arrives() {
    // demo-us (warnings only) answers before demo-eu (the incident).
    let mut full = demo_state((80, 24), PEAK);
    let mut s = demo_state((80, 24), PEAK);
    let mut fresh = clops::tui::State::new(
        "clops demo",
        clops::sources::SourceSet::new([("demo-eu", "demo"), ("demo-us", "demo")]),
        clops::triage::Triage::default(),
        Keymap::default(),
        common::wall(),
        chrono::FixedOffset::east_opt(0).unwrap(),
        (80, 24),
    );
    for entry in full
        .board_inputs()
        .unwrap()
        .sources()
        .entries()
        .to_vec()
        .iter()
        .rev()
    {
        common::replay(&mut fresh, entry);
    }
    assert_eq!(fresh.cursor, 0);
    let Some(Row::Group(g)) = fresh.selected() else {
        panic!()
    };
    assert_eq!(
        fresh.board.groups[g].severity,
        clops::model::Severity::Critical
    );
    // Once the user picks a row, it is theirs.
    update(&mut s, ch('j'));
    assert_eq!(s.cursor, 1);
}

#[test]
fn the_palette_cursor_stays_on_what_is_shown() {
    let mut s = demo_state((80, 24), PEAK);
    update(&mut s, ch(':'));
    for _ in 0..20 {
        update(&mut s, key(KeyCode::Down));
    }
    let Mode::Palette { selected, .. } = s.mode else {
        panic!()
    };
    assert_eq!(selected, clops::tui::palette::SHOWN - 1);
}

#[test]
fn a_partial_word_never_quits() {
    for word in ["e", "ex", "qu", "qit"] {
        let mut s = demo_state((80, 24), PEAK);
        update(&mut s, ch(':'));
        for c in word.chars() {
            update(&mut s, ch(c));
        }
        let effects = update(&mut s, key(KeyCode::Enter));
        assert!(!effects.contains(&Effect::Quit), ":{word} quit the console");
    }
}

#[test]
fn help_and_detail_scroll_no_further_than_their_text() {
    let mut s = demo_state((80, 24), PEAK);
    update(&mut s, ch('?'));
    for _ in 0..200 {
        update(&mut s, ch('j'));
    }
    let Mode::Help { scroll } = s.mode else {
        panic!()
    };
    assert_eq!(scroll, clops::tui::views::help_scroll_limit(&s));
    assert!(scroll > 0, "at 80x24 the help does not fit, so it scrolls");
    update(&mut s, key(KeyCode::Esc));

    update(&mut s, key(KeyCode::Enter)); // expand the first group
    update(&mut s, ch('j')); // its first alert: a long detail
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, ch('G'));
    let limit = clops::tui::views::detail_scroll_limit(&s);
    assert_eq!(s.detail_scroll, limit);
    assert!(limit > 0);
    for _ in 0..50 {
        update(&mut s, ch('j'));
    }
    assert_eq!(s.detail_scroll, limit);
}

#[test]
fn z_toggles_by_what_is_on_screen() {
    let mut s = demo_state((80, 24), PEAK);
    let groups = s.rows.len();
    s.expanded.insert("g-a-group-that-resolved".into());
    update(&mut s, ch('z'));
    assert!(
        s.rows.len() > groups,
        "the first z opens, whatever ids linger"
    );
}

#[test]
fn the_palette_opens_every_view_its_key_opens() {
    let opened = |line: &str| {
        let mut s = demo_state((100, 30), PEAK);
        update(&mut s, ch(':'));
        type_text(&mut s, line);
        update(&mut s, key(KeyCode::Enter));
        (s.mode.clone(), screen_text(&s))
    };
    let (mode, screen) = opened("slos");
    assert!(matches!(mode, Mode::Slos(_)), "{mode:?}");
    assert!(screen.contains("Measuring SLOs"), "{screen}");
    let (mode, screen) = opened("deps");
    assert!(matches!(mode, Mode::Map(_)), "the alias of map: {mode:?}");
    assert!(screen.contains("payments"), "{screen}");
    let (mode, _) = opened("deploys");
    assert!(matches!(mode, Mode::Deploys(_)), "{mode:?}");
    let (mode, _) = opened("inc");
    assert!(matches!(mode, Mode::Incidents { .. }), "{mode:?}");
}

#[test]
fn the_hints_of_each_view_name_the_keys_in_force() {
    let config = "[keys.map]\ndown = \"J\"\nback = \"x\"\n\n[keys.deploys]\nexpand = \"+\"\n\n\
                  [keys.slos]\nrefresh = \"R\"\n\n[keys.help]\nback = \"Q\"\n";
    let file = clops::config::parse_all_with(
        std::path::Path::new("clops.toml"),
        config,
        &clops::tui::CONFIG_CHECKS,
    )
    .unwrap();
    let keymap = Keymap::from_config(&file.keys).unwrap();
    let opened = |view: char| {
        let mut s = demo_state_with(Scenario::BadDeploy, (120, 40), PEAK, keymap.clone());
        update(&mut s, ch(view));
        screen_text(&s)
    };
    let map = opened('b');
    assert!(map.contains(" J/k select"), "{map}");
    assert!(map.contains("x close"), "{map}");
    let deploys = opened('d');
    assert!(deploys.contains("+ zoom in"), "{deploys}");
    let slos = opened('o');
    assert!(slos.contains("R measure now"), "{slos}");
    let help = opened('?');
    assert!(help.contains("Q closes"), "{help}");
}
