//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use clops::sources::demo::{self, Scenario, SimClock, SimTime, World};
use clops::sources::{SourceSet, SourceUpdate};
use clops::tui::keymap::Keymap;
use clops::tui::{Event, State, update};

/// The wall time every console test pretends it is.
pub fn wall() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 20, 0, 0).unwrap()
}

/// A console of `size` showing the demo world (bad deploy, seed 7) at simulated time `t`.
pub fn demo_state(size: (u16, u16), t: SimTime) -> State {
    demo_state_with(Scenario::BadDeploy, size, t, Keymap::default())
}

/// Like [`demo_state`] with a chosen scenario and keymap.
pub fn demo_state_with(scenario: Scenario, size: (u16, u16), t: SimTime, keymap: Keymap) -> State {
    demo_console(scenario, size, t, keymap).0
}

/// A console on the demo at simulated time `t`, and the demo sources that fed it: what
/// is done through them (silences) shows up when they are polled again.
pub fn live_demo(size: (u16, u16), t: SimTime) -> (State, Vec<demo::DemoSource>) {
    demo_console(Scenario::BadDeploy, size, t, Keymap::default())
}

fn demo_console(
    scenario: Scenario,
    size: (u16, u16),
    t: SimTime,
    keymap: Keymap,
) -> (State, Vec<demo::DemoSource>) {
    let world = Arc::new(World::new(scenario, demo::DEFAULT_SEED));
    let clock = Arc::new(SimClock::fixed(t, wall()));
    let sources = demo::environment_with_clock(world, clock);
    let set = SourceSet::new(sources.iter().map(|s| {
        use clops::sources::Source;
        (s.name(), s.kind())
    }));
    let mut state = State::new(
        "clops demo",
        set,
        clops::triage::Triage::default(),
        keymap,
        wall(),
        FixedOffset::east_opt(3600).unwrap(),
        size,
    );
    state.author = "tester@jump-1".into();
    state.silencing = ["demo-eu".to_string(), "demo-us".to_string()].into();
    deliver(&mut state, &sources, t, wall());
    (state, sources)
}

/// Each source's view of the demo at simulated time `t`, delivered at wall time `now`
/// as its poller would.
pub fn deliver(state: &mut State, sources: &[demo::DemoSource], t: SimTime, now: DateTime<Utc>) {
    use clops::sources::Source;
    for s in sources {
        update(
            state,
            Event::Source(SourceUpdate {
                source: s.name().to_string(),
                at: now,
                result: Ok(s.snapshot_at(t, now)),
            }),
        );
    }
}

/// Delivers `entry`'s last good snapshot to `state` again, as its poller would.
pub fn replay(state: &mut State, entry: &clops::sources::registry::SourceEntry) {
    update(
        state,
        Event::Source(SourceUpdate {
            source: entry.name.clone(),
            at: wall(),
            result: Ok(entry.last_good.clone().expect("the source has data")),
        }),
    );
}

/// A key event for a character or named key.
pub fn key(code: crossterm::event::KeyCode) -> Event {
    Event::Key(crossterm::event::KeyEvent::new(
        code,
        crossterm::event::KeyModifiers::NONE,
    ))
}

/// A character key (shifted letters included).
pub fn ch(c: char) -> Event {
    key(crossterm::event::KeyCode::Char(c))
}

/// Types `text` into the console, one key per character.
pub fn type_text(s: &mut State, text: &str) {
    for c in text.chars() {
        update(s, ch(c));
    }
}

/// Moves the cursor to the group of the incident whose root is `root`.
pub fn select_incident(s: &mut State, root: &str) {
    let g = s
        .board
        .groups
        .iter()
        .position(|g| g.root.as_deref() == Some(root) && g.alerts.len() > 1)
        .expect("such a group");
    select_group(s, g);
}

/// Moves the cursor onto group `g`'s row.
pub fn select_group(s: &mut State, g: usize) {
    let row = clops::tui::app::Row::Group(g);
    for step in ['j', 'k'] {
        for _ in 0..s.rows.len() {
            if s.selected() == Some(row) {
                return;
            }
            update(s, ch(step));
        }
    }
    assert_eq!(s.selected(), Some(row), "group {g} is not on the list");
}

/// Opens every group, as `z` does from a screen where none is open.
pub fn open_all(s: &mut State) {
    if s.board.groups.iter().any(|g| s.expanded.contains(&g.id)) {
        update(s, ch('z'));
    }
    update(s, ch('z'));
    assert!(s.board.groups.iter().all(|g| s.expanded.contains(&g.id)));
}

/// What the screen shows, as text: one line per terminal row, no colour.
pub fn screen_text(state: &State) -> String {
    use clops::tui::{ColorDepth, Theme, render};
    let theme = Theme::builtin("mono", ColorDepth::None);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(
        state.width,
        state.height,
    ))
    .unwrap();
    terminal.draw(|f| render(state, &theme, f)).unwrap();
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Ctrl plus a letter.
pub fn ctrl(c: char) -> Event {
    Event::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char(c),
        crossterm::event::KeyModifiers::CONTROL,
    ))
}

/// Declares a SEV2 incident titled `title` as bob@jump-2 does on another host: what a
/// console finds in the shared store without having declared it. Its id.
pub fn declared_elsewhere(store: &dyn clops::incident::Store, title: &str) -> String {
    store
        .declare(
            clops::incident::Declaration {
                title: title.into(),
                severity: clops::model::incident::Sev::Sev2,
                commander: "bob@jump-2".into(),
                services: vec![],
                alerts: vec![],
                group: None,
                started: None,
            },
            "bob@jump-2",
            wall(),
        )
        .unwrap()
}

pub mod fake_http;
pub mod pty;
pub mod remote_write;
pub mod servers;
pub mod storm_gen;
pub mod storms;

/// The clops binary as a plain process with a private HOME (no real config or data dir
/// is touched), for tests that run it from a shell's point of view.
pub fn clops_process(home: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_clops"));
    cmd.env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"));
    cmd
}

/// What a clops command printed on stdout, as JSON (the panic shows both streams).
pub fn stdout_json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Runs clops with `args` in `home`, asserts it succeeded, and reads its JSON.
pub fn clops_json(home: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let out = clops_process(home).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout_json(&out)
}
