//! Text from outside cannot deceive: whatever a backend, a runbook author or another
//! responder wrote, every view of the console and every export shows no control or
//! invisible format character (general categories Cc, Cf, Zl, Zp; only the joiners
//! emoji and some scripts need survive) and no row wider than its area.
//!
//! The hostile text goes in where such text comes in: alert labels and annotations,
//! a source's error, deploys read from a command, a service catalog, the incident
//! store, a runbook file and its step's output, SLO names and errors, the keys a
//! responder types, the result of an action.

mod common;

use std::sync::{Arc, LazyLock};

use chrono::Duration;
use clops::incident::{Declaration, SqliteStore, Store, StoreError};
use clops::model::incident::{Change, Sev};
use clops::model::{Alert, AlertState, Labels, Origin};
use clops::runbook::Library;
use clops::sources::{SourceError, SourceUpdate};
use clops::tui::app::Mode;
use clops::tui::incidents::Feed;
use clops::tui::runbooks::StepEvent;
use clops::tui::slos::SloFeed;
use clops::tui::{ColorDepth, Event, State, Theme, render, update};
use common::{ch, demo_state, key, type_text, wall};
use crossterm::event::KeyCode;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use unicode_properties::UnicodeGeneralCategory;
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeEmoji};
use unicode_width::UnicodeWidthStr;

const PEAK: i64 = 600;

/// Characters no reader sees: every Cc, Cf, Zl and Zp character there is.
fn is_hidden(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    )
}

static HIDDEN: LazyLock<Vec<char>> = LazyLock::new(|| {
    (0..=0x10_ffff)
        .filter_map(char::from_u32)
        .filter(|&c| is_hidden(c))
        .collect()
});

fn is_emoji(c: Option<char>) -> bool {
    c.is_some_and(|c| !c.is_ascii() && c.is_emoji_char())
}

fn is_script_letter(c: Option<char>) -> bool {
    c.is_some_and(|c| {
        !c.is_ascii()
            && matches!(
                c.general_category_group(),
                GeneralCategoryGroup::Letter | GeneralCategoryGroup::Mark
            )
    })
}

/// The hidden characters of `s` that have no business there: everything but a line
/// break where `newlines` are allowed, a zero width joiner between two emoji (past
/// their presentation selectors and skin tones) and a zero width non-joiner between
/// letters of a script that shapes with it. A cell is a grapheme, and a non-joiner
/// belongs to the grapheme before it: where the terminal's edge or a wrapped line cuts
/// the word after it, it may end the cell (`cell`).
fn stray(s: &str, newlines: bool, cell: bool) -> Vec<char> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if !is_hidden(c) || (newlines && c == '\n') {
            continue;
        }
        let before = chars[..i].iter().rev().copied().find(|&b| {
            b != '\u{fe0f}' && b != '\u{200d}' && !('\u{1f3fb}'..='\u{1f3ff}').contains(&b)
        });
        let next = chars.get(i + 1).copied();
        let fine = match c {
            '\u{200d}' => is_emoji(before) && is_emoji(next),
            '\u{200c}' => {
                is_script_letter(chars[..i].last().copied())
                    && (is_script_letter(next) || (cell && next.is_none()))
            }
            _ => false,
        };
        if !fine {
            out.push(c);
        }
    }
    out
}

/// One frame of `state`, and every way it could deceive: hidden characters in a cell,
/// a glyph running past the right edge, a row whose cells add up to more than the width.
fn check_frame(view: &str, state: &State) -> Result<Buffer, TestCaseError> {
    let theme = Theme::builtin("default", ColorDepth::TrueColor);
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal.draw(|f| render(state, &theme, f)).unwrap();
    let buf = terminal.backend().buffer().clone();
    let width = buf.area.width;
    for y in 0..buf.area.height {
        let mut x = 0;
        let mut columns = 0usize;
        while x < width {
            let symbol = buf[(x, y)].symbol();
            let bad = stray(symbol, false, true);
            prop_assert!(
                bad.is_empty(),
                "{view}: cell ({x}, {y}) holds {:?} in {:?}",
                bad,
                symbol
            );
            let w = symbol.width().max(1) as u16;
            prop_assert!(
                x + w <= width,
                "{view}: {symbol:?} at ({x}, {y}) is {w} wide and runs past column {width}"
            );
            columns += usize::from(w);
            x += w;
        }
        prop_assert_eq!(
            columns,
            usize::from(width),
            "{}: row {} is not its width",
            view,
            y
        );
    }
    Ok(buf)
}

fn screen(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// The strings a JSON export holds, keys included.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(o) => {
            for (k, v) in o {
                out.push(k.clone());
                strings(v, out);
            }
        }
        _ => {}
    }
}

fn check_export(what: &str, text: &str, newlines: bool) -> Result<(), TestCaseError> {
    let bad = stray(text, newlines, false);
    prop_assert!(bad.is_empty(), "{what} holds {:?}: {:?}", bad, text);
    Ok(())
}

/// Outside text for field `i`: a marker that must show wherever the field does, then
/// the hostile part.
fn field(texts: &[String], i: usize) -> String {
    format!("H{i}:{}", texts[i % texts.len()])
}

/// A TOML string holding `s` exactly, whatever it holds.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The demo console at its peak with hostile text in everything it shows.
struct Hostile {
    state: State,
    store: SqliteStore,
    incident: String,
    _dir: tempfile::TempDir,
}

fn hostile_console(texts: &[String], size: (u16, u16)) -> Hostile {
    let t = |i| field(texts, i);
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo_state(size, PEAK);

    // Alerts, deploys and services of demo-eu; demo-us fails with a hostile reason.
    let eu = s
        .board_inputs()
        .unwrap()
        .sources()
        .entries()
        .iter()
        .find(|e| e.name == "demo-eu")
        .unwrap();
    let mut snapshot = eu.last_good.clone().unwrap();
    let origin = Origin::new("demo-eu", &t(20));
    for n in 0..3 {
        let labels: Labels = [
            ("alertname", t(0)),
            ("service", t(1)),
            ("severity", "critical".to_string()),
            ("cluster", "prod-eu".to_string()),
            ("instance", format!("{}{n}", t(4))),
            (&t(5) as &str, t(6)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let annotations: Labels = [
            ("summary".to_string(), t(2)),
            ("description".to_string(), format!("{}\n{}", t(3), t(7))),
            (
                "runbook_url".to_string(),
                format!("https://wiki.example/{}", t(8)),
            ),
        ]
        .into_iter()
        .collect();
        std::sync::Arc::make_mut(&mut snapshot.alerts).push(Alert::new(
            labels,
            annotations,
            AlertState::Active,
            wall() - Duration::minutes(3 + n),
            &origin,
        ));
    }
    let deploy = serde_json::json!({
        "service": t(1), "version": t(9), "at": (wall() - Duration::minutes(9)).to_rfc3339(),
        "status": t(10), "url": format!("https://ci.example/{}", t(11)), "author": t(12),
        "environment": t(13),
    });
    snapshot.deploys.extend(
        clops::sources::command::read_lines(&[deploy.to_string()], "demo-eu", None).deploys,
    );
    let catalog = dir.path().join("catalog.toml");
    std::fs::write(
        &catalog,
        format!(
            "[[services]]\nname = {}\ndepends_on = [\"payments\"]\nowner = {}\n",
            toml_string(&t(1)),
            toml_string(&t(14))
        ),
    )
    .unwrap();
    let graph = clops::sources::catalog::CatalogSource::new("map", catalog)
        .read()
        .unwrap();
    let mine = snapshot.graph.get_or_insert_with(Default::default);
    mine.services.extend(graph.services);
    mine.edges.extend(graph.edges);
    snapshot.partial_errors.push(t(15));
    update(
        &mut s,
        Event::Source(SourceUpdate {
            source: "demo-eu".into(),
            at: wall(),
            result: Ok(snapshot),
        }),
    );
    update(
        &mut s,
        Event::Source(SourceUpdate {
            source: "demo-us".into(),
            at: wall(),
            result: Err(SourceError::Transport {
                endpoint: t(16),
                reason: t(17),
            }),
        }),
    );

    // An incident in the store, declared and written to by others.
    let store = SqliteStore::open(&dir.path().join("incidents.db")).unwrap();
    let incident = store
        .declare(
            Declaration {
                title: t(18),
                severity: Sev::Sev2,
                commander: t(19),
                services: vec![t(1)],
                alerts: Vec::new(),
                group: Some(t(21)),
                started: None,
            },
            &t(22),
            wall(),
        )
        .unwrap();
    for change in [
        Change::Note { text: t(23) },
        Change::RoleAssigned {
            role: "comms".into(),
            who: t(24),
        },
        Change::RunbookStepFinished {
            runbook: t(25),
            step: t(26),
            exit_code: Some(1),
            duration_ms: 1200,
            output: t(27),
        },
    ] {
        store.append(&incident, change, &t(28), wall()).unwrap();
    }
    s.incidents.active = Some(incident.clone());
    update(
        &mut s,
        Event::Incidents(Feed {
            list: store.incidents().unwrap(),
            timeline: Some((incident.clone(), store.events(&incident, 0).unwrap())),
            error: None,
        }),
    );

    // A runbook file someone wrote, serving the hostile alert.
    let runbook = format!(
        "+++\ntitle = {}\nmatch = {{ alertname = {} }}\n+++\n## {}\n{}\n```sh\necho {}\n```\n## {}\n- [ ] {}\n",
        toml_string(&t(29)),
        toml_string(&clops::text::clean_line(&t(0))),
        t(30).replace('\n', " "),
        t(31),
        t(32).replace('\n', " "),
        t(33).replace('\n', " "),
        t(34).replace('\n', " "),
    );
    let runbooks = dir.path().join("runbooks");
    std::fs::create_dir(&runbooks).unwrap();
    std::fs::write(runbooks.join("hostile.md"), runbook).unwrap();
    s.runbooks.library = Arc::new(Library::load(&[runbooks]));

    // SLOs whose names and errors came from config files and Prometheus.
    let mut slos: Vec<_> = clops::live::slos::demo::definitions()
        .iter()
        .map(clops::slo::eval::SloStatus::unmeasured)
        .collect();
    slos[0].name = t(35);
    slos[0].service = t(1);
    slos[0].error = Some(t(36));
    slos[0].history_error = Some(t(37));
    update(&mut s, Event::Slos(SloFeed::Statuses(slos)));
    update(
        &mut s,
        Event::ActionDone {
            text: t(38),
            ok: false,
        },
    );
    Hostile {
        state: s,
        store,
        incident,
        _dir: dir,
    }
}

/// Moves the selection onto the hostile alerts' group.
fn select_hostile(s: &mut State, marker: &str) {
    let g = s
        .board
        .groups
        .iter()
        .position(|g| g.alerts.iter().any(|a| a.name().starts_with(marker)))
        .expect("the hostile alerts form a group");
    common::select_group(s, g);
}

/// Every view of the console, each opened as a responder would, over hostile text.
fn check_every_view(texts: &[String], size: (u16, u16)) -> Result<(), TestCaseError> {
    let h = hostile_console(texts, size);
    let typed = field(texts, 39);
    let mut views: Vec<(&str, State, Option<&str>)> = Vec::new();
    let mut base = h.state.clone();
    select_hostile(&mut base, "H0:");
    update(&mut base, ch('z'));

    views.push(("alerts and footer", base.clone(), Some("H0:")));
    let mut s = base.clone();
    update(&mut s, key(KeyCode::Tab));
    views.push(("detail", s, Some("H2:")));
    let mut s = base.clone();
    update(&mut s, ch('?'));
    views.push(("help", s, None));
    let mut s = base.clone();
    update(&mut s, ch('S'));
    views.push(("sources", s, Some("H16:")));
    let mut s = base.clone();
    update(&mut s, ch(':'));
    type_text(&mut s, &typed);
    views.push(("palette", s, Some("H39:")));
    let mut s = base.clone();
    update(&mut s, ch('/'));
    type_text(&mut s, &typed);
    views.push(("filter", s, Some("H39:")));
    let mut s = base.clone();
    update(&mut s, ch('s'));
    prop_assert!(matches!(s.mode, Mode::Silence(_)), "{:?}", s.mode);
    type_text(&mut s, &typed);
    views.push(("silence form", s.clone(), Some("H0:")));
    update(&mut s, key(KeyCode::Enter));
    views.push(("silence confirmation", s, None));
    let mut s = base.clone();
    update(&mut s, ch('a'));
    prop_assert!(matches!(s.mode, Mode::Confirm(_)), "{:?}", s.mode);
    views.push(("ack confirmation", s, Some("H0:")));
    let mut s = base.clone();
    update(&mut s, ch('i'));
    views.push(("incident pane", s, Some("H23:")));
    let mut s = base.clone();
    update(&mut s, ch('I'));
    prop_assert!(matches!(s.mode, Mode::Incidents { .. }), "{:?}", s.mode);
    views.push(("incident list", s, Some("H18:")));
    let mut s = base.clone();
    update(&mut s, ch('n'));
    type_text(&mut s, &typed);
    views.push(("note prompt", s, Some("H39:")));
    let mut s = base.clone();
    update(&mut s, ch('D'));
    views.push(("declare prompt", s, None));
    let mut s = base.clone();
    update(&mut s, ch('t'));
    views.push(("status choice", s, None));
    let mut s = base.clone();
    update(&mut s, ch('r'));
    prop_assert!(matches!(s.mode, Mode::Runbooks { .. }), "{:?}", s.mode);
    views.push(("runbook picker", s.clone(), None));
    if !s.runbooks.library.runbooks.is_empty() {
        let rb = s.runbooks.library.runbooks[0].clone();
        clops::tui::runbooks::open(&mut s, rb);
        update(
            &mut s,
            Event::Step(StepEvent::Output {
                step: 0,
                line: field(texts, 40),
            }),
        );
        update(
            &mut s,
            Event::Step(StepEvent::Finished {
                step: 0,
                ok: false,
                summary: field(texts, 41),
            }),
        );
        views.push(("runbook", s, Some("H29:")));
    }
    let mut s = base.clone();
    update(&mut s, ch('r'));
    type_text(&mut s, &typed);
    views.push(("runbook search", s, Some("H39:")));
    let mut s = base.clone();
    update(&mut s, ch('b'));
    prop_assert!(matches!(s.mode, Mode::Map(_)), "{:?}", s.mode);
    views.push(("map", s, Some("H1:")));
    let mut s = base.clone();
    update(&mut s, ch('d'));
    prop_assert!(matches!(s.mode, Mode::Deploys(_)), "{:?}", s.mode);
    views.push(("deploys", s, Some("H1:")));
    let mut s = base.clone();
    update(&mut s, ch('o'));
    prop_assert!(matches!(s.mode, Mode::Slos(_)), "{:?}", s.mode);
    views.push(("slos", s, Some("H35:")));
    let mut s = h.state.clone();
    update(
        &mut s,
        Event::Recorded(Err(StoreError::NotFound {
            id: field(texts, 42),
        }
        .into())),
    );
    views.push(("store error", s, Some("H42:")));

    for (view, state, marker) in &views {
        let buf = check_frame(view, state)?;
        // Big enough to show it, the hostile text must have arrived.
        if let Some(marker) = marker
            && state.width >= 160
        {
            let text = screen(&buf);
            prop_assert!(
                text.contains(marker),
                "{view}: {marker} never reached the screen:\n{text}"
            );
        }
    }

    // Exports: the incident's postmortem and JSON, and `clops alerts` as both.
    let inc = h.store.incident(&h.incident).unwrap();
    let events = h.store.events(&h.incident, 0).unwrap();
    let md = clops::incident::export::markdown(&inc, &events, wall());
    check_export("incident markdown", &md, true)?;
    prop_assert!(md.contains("H23:"), "the note is in the export");
    let mut all = Vec::new();
    strings(&clops::incident::export::json(&inc, &events), &mut all);
    strings(
        &serde_json::to_value(clops::output::AlertsJson::new(&h.state.board, wall())).unwrap(),
        &mut all,
    );
    for s in &all {
        check_export("JSON string", s, true)?;
    }
    prop_assert!(
        all.iter().any(|s| s.starts_with("H2:")),
        "the summary is in `alerts -o json`"
    );
    let table = clops::report::alerts_table(&h.state.board, wall());
    check_export("alerts table", &table, true)?;
    Ok(())
}

/// A piece of hostile text: hidden characters chosen on purpose, escape sequences,
/// emoji sequences, wide and combining text, and anything at all.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0..HIDDEN.len()).prop_map(|i| HIDDEN[i].to_string()),
        3 => "[a-zA-Z0-9 ._:/-]{1,6}",
        2 => any::<char>().prop_map(String::from),
        2 => prop::sample::select(vec![
            "👩\u{200d}💻",
            "👨\u{200d}👩\u{200d}👧",
            "❤\u{fe0f}",
            "👍🏽",
            "🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}",
            "日本語",
            "e\u{301}",
            "ｶﾞ",
            "می\u{200c}خواهم",
            "\u{1b}[2J",
            "\u{1b}]0;pwned\u{7}",
            "\u{9b}31m",
            "\u{1b}]52;c;ZWNobw==\u{1b}\\",
            "\r\n",
            "\t",
            "\u{2028}",
            "x\u{200d}y",
        ])
        .prop_map(String::from),
    ]
}

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 1..10).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn no_outside_text_can_deceive_in_any_view_or_export(
        texts in prop::collection::vec(hostile(), 43),
        size in prop::sample::select(vec![(80u16, 24u16), (120, 40), (160, 48)]),
    ) {
        check_every_view(&texts, size)?;
    }
}

/// Every hidden character there is, not left to chance: all of them, spread over every
/// field, through every view and export at once.
#[test]
fn every_hidden_character_is_kept_out_of_every_view_and_export() {
    let mut fields = vec![String::new(); 43];
    for (i, c) in HIDDEN.iter().enumerate() {
        fields[i % 43].push(*c);
        fields[i % 43].push('a');
    }
    assert!(
        HIDDEN.len() > 200,
        "Cc, Cf, Zl and Zp hold {} characters",
        HIDDEN.len()
    );
    for size in [(80, 24), (160, 48)] {
        check_every_view(&fields, size).unwrap();
    }
}

/// An emoji sequence from a label is one glyph two columns wide, as terminals that
/// support them draw it: not three glyphs, not a stray joiner.
#[test]
fn an_emoji_sequence_is_one_glyph_of_two_columns() {
    let coder = "👩\u{200d}💻";
    let mut texts = vec!["plain".to_string(); 43];
    texts[0] = format!("Deploy{coder}Bot");
    let h = hostile_console(&texts, (160, 48));
    let mut s = h.state.clone();
    select_hostile(&mut s, "H0:");
    update(&mut s, ch('z'));
    let buf = check_frame("alerts", &s).unwrap();
    let (x, y) = (0..buf.area.height)
        .flat_map(|y| (0..buf.area.width).map(move |x| (x, y)))
        .find(|&(x, y)| buf[(x, y)].symbol() == coder)
        .expect("the sequence sits whole in one cell");
    assert_eq!(buf[(x - 1, y)].symbol(), "y", "H0:Deploy");
    assert_eq!(buf[(x + 2, y)].symbol(), "B", "the glyph takes two columns");
}
