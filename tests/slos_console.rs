//! The SLO view: SLOs least budget first in the colour of their state, the selected
//! one's burn charted with the 1× and 14.4× lines, a summary on top; and, in a group's
//! detail, the SLOs its services are burning.

mod common;

use std::sync::Arc;

use clops::incident::{SqliteStore, Store};
use clops::model::incident::Status;
use clops::slo::burn::State as BurnState;
use clops::slo::eval::Options;
use clops::slo::{SloStatus, evaluate};
use clops::sources::demo::{DEFAULT_SEED, Scenario, SimClock, SimTime, World};
use clops::tui::app::Mode;
use clops::tui::incidents::Feed;
use clops::tui::slos::SloFeed;
use clops::tui::{ColorDepth, Event, State, Theme, render, update};
use common::{ch, demo_state, key, screen_text, select_incident, wall};
use crossterm::event::KeyCode;
use ratatui::style::Style;

const PEAK: SimTime = 600;

/// The demo's SLOs measured at simulated time `t`, as the console's poller measures
/// them, at the tests' wall time.
fn demo_slos(t: SimTime) -> Vec<SloStatus> {
    let world = Arc::new(World::new(Scenario::BadDeploy, DEFAULT_SEED));
    let clock = Arc::new(SimClock::fixed(t, wall()));
    let backends = clops::live::slos::demo::backends(world, clock);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(evaluate(
        &clops::live::slos::demo::definitions(),
        &backends,
        wall(),
        &[],
        Options {
            history: true,
            concurrency: 4,
        },
    ))
}

fn deliver(s: &mut State, statuses: Vec<SloStatus>) {
    update(s, Event::Slos(SloFeed::Statuses(statuses)));
}

/// The demo console at `t` with its SLOs delivered, the SLO view open.
fn slo_view(size: (u16, u16), t: SimTime) -> State {
    let mut s = demo_state(size, t);
    deliver(&mut s, demo_slos(t));
    update(&mut s, ch('o'));
    assert!(matches!(s.mode, Mode::Slos(_)), "{:?}", s.mode);
    s
}

/// The rows of the SLO table: (name, state word, budget %), top to bottom.
fn table(screen: &str) -> Vec<(String, String, i64)> {
    screen
        .lines()
        .filter_map(|l| {
            let l = l.trim_matches('│').trim_start_matches('▶').trim();
            let words: Vec<&str> = l.split_whitespace().collect();
            let name = words.first().filter(|w| w.contains("-availability"))?;
            let budget = words.iter().filter(|w| w.ends_with('%')).nth(1)?;
            let state = words
                .iter()
                .find(|w| ["page", "ticket", "ok", "stale", "down"].contains(w))?;
            Some((
                name.to_string(),
                state.to_string(),
                budget.trim_end_matches('%').parse().ok()?,
            ))
        })
        .collect()
}

/// The style of the first cell of the row showing `name`, drawn in `theme`.
fn row_style(s: &State, theme: &Theme, name: &str) -> Style {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(s.width, s.height)).unwrap();
    terminal.draw(|f| render(s, theme, f)).unwrap();
    let buf = terminal.backend().buffer();
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        if let Some(at) = line.find(name)
            && line.contains('%')
        {
            let x = line[..at].chars().count() as u16;
            return buf[(x, y)].style();
        }
    }
    panic!("no row for {name}");
}

#[test]
fn slos_are_listed_least_budget_first_with_burn_rates_and_a_chart() {
    let s = slo_view((160, 48), PEAK);
    let screen = screen_text(&s);
    let rows = table(&screen);
    assert_eq!(rows.len(), 10, "every demo SLO has a row:\n{screen}");
    let budgets: Vec<i64> = rows.iter().map(|r| r.2).collect();
    let mut sorted = budgets.clone();
    sorted.sort();
    assert_eq!(budgets, sorted, "least budget first:\n{screen}");
    // The bad deploy's SLO is on top, paging, and selected.
    assert_eq!(rows[0].0, "prod-eu/payments-availability");
    assert_eq!(rows[0].1, "page");
    assert!(
        screen.contains("▶ prod-eu/payments-availability"),
        "{screen}"
    );
    for column in [
        "SERVICE", "OBJ", "5m", "1h", "6h", "3d", "BUDGET", "EXHAUSTS",
    ] {
        assert!(screen.contains(column), "no {column} column:\n{screen}");
    }
    // A sparkline of the last day: flat, then the bad deploy at the right end.
    let top = screen
        .lines()
        .find(|l| l.contains("▶ prod-eu/payments-availability"))
        .unwrap();
    assert!(top.trim_end_matches('│').ends_with('█'), "{top}");
    assert!(top.contains("▁▁▁▁"), "{top}");
    // The chart of the selected SLO, with both reference lines named.
    assert!(
        screen.contains("burn of prod-eu/payments-availability, last 24h"),
        "{screen}"
    );
    assert!(screen.contains("14.4× page"), "{screen}");
    assert!(screen.contains("1× budget pace"), "{screen}");
    assert!(screen.contains("-12h"), "{screen}");
    let braille = screen
        .chars()
        .filter(|c| ('\u{2801}'..='\u{28ff}').contains(c))
        .count();
    assert!(braille > 100, "a braille chart:\n{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn j_selects_the_next_slo_and_w_charts_a_week() {
    let mut s = slo_view((160, 48), PEAK);
    update(&mut s, ch('j'));
    let screen = screen_text(&s);
    assert!(
        screen.contains("▶ prod-eu/checkout-availability"),
        "{screen}"
    );
    assert!(
        screen.contains("burn of prod-eu/checkout-availability, last 24h"),
        "{screen}"
    );
    update(&mut s, ch('w'));
    let week = screen_text(&s);
    assert!(
        week.contains("burn of prod-eu/checkout-availability, last 7d"),
        "{week}"
    );
    assert!(week.contains("-7d") && week.contains("-1d"), "{week}");
    update(&mut s, key(KeyCode::Tab));
    assert!(screen_text(&s).contains("last 24h"));
    update(&mut s, ch('k'));
    assert!(screen_text(&s).contains("▶ prod-eu/payments-availability"));
    update(&mut s, key(KeyCode::Esc));
    assert!(matches!(s.mode, Mode::Browse));
}

#[test]
fn w_charts_a_week_even_when_w_is_bound_to_an_action_the_view_ignores() {
    let keys = std::collections::BTreeMap::from([(
        "map".to_string(),
        clops::config::KeyList::One("w".into()),
    )]);
    let keymap = clops::tui::keymap::Keymap::new(&keys).unwrap();
    let mut s = common::demo_state_with(Scenario::BadDeploy, (160, 48), PEAK, keymap);
    deliver(&mut s, demo_slos(PEAK));
    update(&mut s, ch('o'));
    assert!(screen_text(&s).contains("last 24h"));
    update(&mut s, ch('w'));
    assert!(matches!(s.mode, Mode::Slos(_)), "{:?}", s.mode);
    assert!(screen_text(&s).contains("last 7d"), "{}", screen_text(&s));
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch('w'));
    assert!(
        matches!(s.mode, Mode::Map(_)),
        "outside the SLO view w is the map: {:?}",
        s.mode
    );
}

#[test]
fn the_selection_stays_on_its_slo_when_the_order_changes() {
    let mut s = slo_view((160, 48), PEAK);
    update(&mut s, ch('j'));
    update(&mut s, ch('j'));
    let before = screen_text(&s);
    let chosen = before
        .lines()
        .find_map(|l| l.split("▶ ").nth(1))
        .map(|rest| rest.split_whitespace().next().unwrap().to_string())
        .unwrap();
    // A later round where the budgets came out in another order.
    let mut later = demo_slos(PEAK);
    later.reverse();
    for (i, st) in later.iter_mut().enumerate() {
        st.budget_remaining = Some(i as f64 / 10.0);
    }
    deliver(&mut s, later);
    let after = screen_text(&s);
    assert!(after.contains(&format!("▶ {chosen}")), "{after}");
}

#[test]
fn rows_take_the_colour_of_their_state_and_stale_ones_say_so() {
    let mut statuses = demo_slos(PEAK);
    let find = |v: &mut Vec<SloStatus>, name: &str| v.iter().position(|s| s.name == name).unwrap();
    let ticket = find(&mut statuses, "prod-eu/checkout-availability");
    statuses[ticket].state = BurnState::Ticket;
    let stale = find(&mut statuses, "prod-us/search-availability");
    statuses[stale].error = Some("demo-us: connection refused".into());
    let mut s = demo_state((160, 48), PEAK);
    deliver(&mut s, statuses);
    update(&mut s, ch('o'));
    let screen = screen_text(&s);
    let rows = table(&screen);
    let word = |name: &str| rows.iter().find(|r| r.0 == name).unwrap().1.clone();
    assert_eq!(word("prod-eu/payments-availability"), "page");
    assert_eq!(word("prod-eu/checkout-availability"), "ticket");
    assert_eq!(word("prod-us/search-availability"), "stale");
    assert_eq!(word("prod-us/frontend-availability"), "ok");
    // The stale one keeps its last numbers.
    let search = rows
        .iter()
        .find(|r| r.0 == "prod-us/search-availability")
        .unwrap();
    assert!(search.2 > 0, "{screen}");

    let theme = Theme::builtin("default", ColorDepth::TrueColor);
    let fg = |name: &str| row_style(&s, &theme, name).fg;
    assert_eq!(fg("prod-eu/payments-availability"), theme.error.fg);
    assert_eq!(fg("prod-eu/checkout-availability"), theme.warning.fg);
    assert_eq!(fg("prod-us/search-availability"), theme.stale.fg);
    assert_eq!(fg("prod-us/frontend-availability"), theme.text.fg);
    assert_ne!(theme.error.fg, theme.text.fg);
    // The selected row is marked by its background; its state colour stays.
    assert_eq!(
        row_style(&s, &theme, "prod-eu/payments-availability").bg,
        theme.selection.bg
    );
}

#[test]
fn the_summary_counts_slos_in_and_out_of_objective_and_open_incidents() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("i.db")).unwrap();
    for title in ["Payments errors", "Old checkout outage"] {
        common::declared_elsewhere(&store, title);
    }
    let mut list = store.incidents().unwrap();
    list.iter_mut()
        .find(|i| i.title.starts_with("Old"))
        .unwrap()
        .status = Status::Resolved;
    let mut s = slo_view((160, 48), PEAK);
    update(
        &mut s,
        Event::Incidents(Feed {
            list,
            timeline: None,
            error: None,
        }),
    );
    let screen = screen_text(&s);
    // Payments in prod-eu pages; the other nine keep their budget.
    assert!(
        screen.contains("in objective 9 · out 1 · budget consumed 43% (mean) · open incidents 1"),
        "{screen}"
    );

    // A spent budget is out of objective even when nothing pages.
    let mut spent = demo_slos(PEAK);
    spent
        .iter_mut()
        .find(|st| st.name == "prod-us/search-availability")
        .unwrap()
        .budget_remaining = Some(-0.2);
    deliver(&mut s, spent);
    assert!(screen_text(&s).contains("in objective 8 · out 2"));
}

#[test]
fn a_group_shows_the_slos_its_services_burn() {
    let mut s = demo_state((160, 48), PEAK);
    let mut statuses = demo_slos(PEAK);
    // Were payments paging in prod-us too, it would be another cluster's budget.
    statuses
        .iter_mut()
        .find(|st| st.name == "prod-us/payments-availability")
        .unwrap()
        .state = BurnState::Page;
    deliver(&mut s, statuses);
    select_incident(&mut s, "payments");
    let group = match s.selected().unwrap() {
        clops::tui::app::Row::Group(g) => &s.board.groups[g],
        _ => unreachable!(),
    };
    assert_eq!(group.clusters.to_strings(), ["prod-eu"]);
    let screen = screen_text(&s);
    let line = screen
        .lines()
        .find(|l| l.contains("burning "))
        .unwrap_or_else(|| panic!("no burning line:\n{screen}"));
    assert!(
        line.contains("burning   prod-eu/payments-availability 16× (1h)"),
        "{line}"
    );
    // Only SLOs that page or ticket, in the group's clusters: checkout burns fast
    // but pages nobody yet, and prod-us is not where this group fails.
    assert!(!line.contains("checkout-availability"), "{line}");
    assert!(!line.contains("prod-us/payments"), "{line}");
}

#[test]
fn without_slos_the_view_says_how_to_configure_them() {
    let mut s = demo_state((80, 24), PEAK);
    update(&mut s, ch('o'));
    assert!(screen_text(&s).contains("Measuring SLOs…"));
    update(
        &mut s,
        Event::Slos(SloFeed::Missing(
            "No SLOs configured in /home/u/.config/clops/config.toml (nor discovered in \
             rules): add [[slos]] or [[slo_imports]]"
                .into(),
        )),
    );
    let screen = screen_text(&s);
    assert!(screen.contains("No SLOs configured"), "{screen}");
    assert!(screen.contains("[[slos]]"), "{screen}");
}

#[test]
fn at_80x24_the_table_scrolls_and_the_chart_keeps_its_rows() {
    let mut s = slo_view((80, 24), PEAK);
    let screen = screen_text(&s);
    assert!(screen.contains("▶ prod-eu/payments"), "{screen}");
    assert!(screen.contains("14.4× page"), "{screen}");
    assert!(screen.contains("in objective 9 · out 1"), "{screen}");
    insta::assert_snapshot!(screen);
    for _ in 0..9 {
        update(&mut s, ch('j'));
    }
    let bottom = screen_text(&s);
    assert!(
        bottom.contains("▶ prod-us/search"),
        "the last SLO scrolled in:\n{bottom}"
    );
    assert!(
        bottom.contains("burn of prod-us/search-availability"),
        "{bottom}"
    );
}

/// The real binary: `clops demo` measures the demo's SLOs on its own and `o` shows them.
#[test]
fn the_demo_console_measures_its_slos() {
    use common::pty::{Session, clops_command};
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::spawn(clops_command(home.path(), &["demo"]), 120, 40);
    s.wait_for("the console", |sc| sc.contains("clops demo"));
    s.send(b"o");
    // The screen arrives in pieces: wait for the summary, a row and the chart title.
    s.wait_for("the demo's SLOs, measured and charted", |sc| {
        sc.contains("in objective")
            && sc.contains("prod-eu/payments-availability")
            && sc.contains("burn of ")
    });
    s.send(b"q");
    assert_eq!(s.wait_exit(), 0);
}

/// A configured console without SLOs says, in the SLO view, how to add some.
#[test]
fn a_config_without_slos_is_told_how_to_add_them() {
    use common::pty::{Session, clops_command};
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let catalog = h.join("catalog.toml");
    std::fs::write(&catalog, "[[services]]\nname = \"checkout\"\n").unwrap();
    let config = h.join("clops.toml");
    std::fs::write(
        &config,
        format!(
            "[[sources]]\nname = \"catalog\"\nkind = \"catalog\"\npath = {:?}\n",
            catalog.to_str().unwrap()
        ),
    )
    .unwrap();
    let cmd = clops_command(h, &["--config", config.to_str().unwrap()]);
    let mut s = Session::spawn(cmd, 120, 36);
    s.wait_for("the console", |sc| sc.contains("catalog"));
    s.send(b"o");
    s.wait_for("how to configure SLOs, naming the config file", |sc| {
        sc.contains("No SLOs configured") && sc.contains("[[slos]]") && sc.contains("clops.toml")
    });
    s.send(b"q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn a_tiny_terminal_draws_what_fits_without_failing() {
    let mut s = slo_view((160, 48), PEAK);
    for (w, h) in [(40, 12), (30, 8), (20, 5), (10, 3), (1, 1)] {
        update(&mut s, Event::Resize(w, h));
        let screen = screen_text(&s);
        assert_eq!(screen.lines().count(), usize::from(h));
    }
}
