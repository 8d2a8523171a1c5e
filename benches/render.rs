//! One frame of the alerts view with 100k alerts loaded (budget: ≤ 2 ms).

use chrono::FixedOffset;
use clops::sources::{SourceSet, SourceUpdate};
use clops::tui::keymap::Keymap;
use clops::tui::{ColorDepth, Event, State, Theme, render, update};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "support.rs"]
mod support;

// The same allocator as the binary, so the numbers are the console's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn loaded_state(n: usize, size: (u16, u16)) -> State {
    // The state as the console holds it: built from the loaded source set.
    let mut state = State::new(
        "clops",
        SourceSet::new([("storm", "alertmanager")]),
        clops::triage::Triage::default(),
        Keymap::default(),
        support::now(),
        FixedOffset::east_opt(0).unwrap(),
        size,
    );
    let loaded = support::loaded(n);
    update(
        &mut state,
        Event::Source(SourceUpdate {
            source: "storm".into(),
            at: support::now(),
            result: Ok(loaded.entries()[0].last_good.clone().unwrap()),
        }),
    );
    state
}

fn frames(c: &mut Criterion) {
    let theme = Theme::builtin("default", ColorDepth::TrueColor);
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        let mut state = loaded_state(100_000, (w, h));
        assert_eq!(state.board.alert_count(), 100_000);
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        c.bench_function(
            &format!("frame {w}x{h}, 100k alerts, groups collapsed"),
            |b| {
                b.iter(|| {
                    terminal.draw(|f| render(&state, &theme, f)).unwrap();
                });
            },
        );
        // Every group open: 100k alert rows, of which only a screenful is built.
        update(
            &mut state,
            Event::Key(crossterm::event::KeyEvent::from(
                crossterm::event::KeyCode::Char('z'),
            )),
        );
        update(
            &mut state,
            Event::Key(crossterm::event::KeyEvent::from(
                crossterm::event::KeyCode::Char('G'),
            )),
        );
        c.bench_function(
            &format!("frame {w}x{h}, 100k alerts, all expanded, at the bottom"),
            |b| {
                b.iter(|| {
                    terminal.draw(|f| render(&state, &theme, f)).unwrap();
                });
            },
        );
    }
}

/// What the console's own thread does when the worker hands it a new board of 100k
/// alerts (keeping the selection, rebuilding the rows): a key that arrives meanwhile
/// waits this long.
fn a_board_lands(c: &mut Criterion) {
    let mut state = loaded_state(100_000, (120, 40));
    let boards: Vec<_> = (0..2)
        .map(|_| std::sync::Arc::new(state.board.as_ref().clone()))
        .collect();
    let mut i = 0;
    c.bench_function("a board of 100k alerts lands, selection kept", |b| {
        b.iter(|| {
            i += 1;
            update(
                &mut state,
                Event::Board(clops::live::board::Built {
                    board: boards[i % 2].clone(),
                    all_answered: true,
                    resolved_acks: Vec::new(),
                }),
            );
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50);
    targets = frames, a_board_lands
}
criterion_main!(benches);
