//! Incidents from the console: declaring from a group, writing to the timeline, and
//! the timeline shared live with every other clops on the host.

mod common;

use std::path::Path;

use clops::incident::{SqliteStore, Store};
use clops::model::incident::{Change, Sev, Status};
use clops::tui::app::Mode;
use clops::tui::incidents::{Feed, Purpose, Recorded};
use clops::tui::{Effect, Event, update};
use common::pty::{Session, clops_command};
use common::{ch, ctrl, demo_state, key, screen_text, select_incident, type_text, wall};
use crossterm::event::KeyCode;

const PEAK: i64 = 600;

/// What the store worker would report after `store` changed.
fn feed(store: &SqliteStore, follow: &str) -> Event {
    Event::Incidents(Feed {
        list: store.incidents().unwrap(),
        timeline: Some((follow.to_string(), store.events(follow, 0).unwrap())),
        error: None,
    })
}

/// Carries out the store effects as the event loop would, feeding the results back.
fn carry_out(s: &mut clops::tui::State, store: &SqliteStore, effects: Vec<Effect>) {
    for effect in effects {
        let (result, follow) = match effect {
            Effect::Declare(d) => {
                let id = store.declare(d, &s.author, wall()).unwrap();
                (Some(Recorded::Declared(id.clone())), id)
            }
            Effect::Record(id, change) => {
                let e = store.append(&id, change, &s.author, wall()).unwrap();
                (
                    Some(Recorded::Appended(id.clone(), e.change.describe())),
                    id,
                )
            }
            Effect::Follow(id) => (None, id),
            other => panic!("unexpected effect {other:?}"),
        };
        if let Some(r) = result {
            let more = update(s, Event::Recorded(Ok(r)));
            carry_out(s, store, more);
        }
        update(s, feed(store, &follow));
    }
}

#[test]
fn declaring_from_a_group_prefills_it_and_makes_it_the_active_incident() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("i.db")).unwrap();
    let mut s = demo_state((120, 40), PEAK);
    s.author = "alice@jump-1".into();
    select_incident(&mut s, "payments");
    let group = s.board.groups[match s.selected().unwrap() {
        clops::tui::app::Row::Group(g) => g,
        _ => unreachable!(),
    }]
    .clone();

    update(&mut s, ch('D'));
    let Mode::Prompt(p) = s.mode.clone() else {
        panic!("no prompt: {:?}", s.mode)
    };
    assert_eq!(p.input, group.title);
    let Purpose::Declare {
        severity,
        services,
        alerts,
        group: from,
    } = p.purpose
    else {
        panic!()
    };
    // A critical page is a sev2 until someone says otherwise.
    assert_eq!(severity, Sev::Sev2);
    assert_eq!(services, group.services.to_strings());
    assert_eq!(alerts.len(), group.alerts.len());
    assert_eq!(from.as_deref(), Some(group.id.as_str()));
    // Tab cycles the severity; typing edits the title.
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "!");
    update(&mut s, key(KeyCode::Backspace));
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(s.mode, Mode::Browse));
    let [Effect::Declare(d)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(d.severity, Sev::Sev1, "sev2 → sev3 → sev4 → sev1");
    assert_eq!(d.commander, "alice@jump-1");
    carry_out(&mut s, &store, effects);

    let id = s
        .incidents
        .active
        .clone()
        .expect("the declared incident is active");
    assert!(id.starts_with("INC-20261121-"));
    let inc = store.incident(&id).unwrap();
    assert_eq!(inc.services, group.services.to_strings());
    assert_eq!(inc.alerts.len(), group.alerts.len());
    assert!(s.incidents.pane, "the incident pane opens");
    let screen = screen_text(&s);
    assert!(
        screen.contains(&format!("{id} sev1 investigating")),
        "{screen}"
    );
    assert!(screen.contains("declared sev1"), "{screen}");
}

#[test]
fn notes_status_severity_roles_and_attachments_land_in_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("i.db")).unwrap();
    let mut s = demo_state((120, 40), PEAK);
    s.author = "alice@jump-1".into();

    // Nothing active yet: every incident key says how to get one.
    update(&mut s, ch('n'));
    assert!(matches!(s.mode, Mode::Browse));
    assert!(
        s.message
            .as_ref()
            .unwrap()
            .text
            .contains("no active incident")
    );

    let id = common::declared_elsewhere(&store, "Checkout errors");
    // Declared elsewhere: it shows in the list, and enter makes it active.
    update(
        &mut s,
        Event::Incidents(Feed {
            list: store.incidents().unwrap(),
            timeline: None,
            error: None,
        }),
    );
    update(&mut s, ch('I'));
    assert!(screen_text(&s).contains("Checkout errors"));
    let effects = update(&mut s, key(KeyCode::Enter));
    assert_eq!(effects, [Effect::Follow(id.clone())]);
    carry_out(&mut s, &store, effects);

    update(&mut s, ch('n'));
    type_text(&mut s, "payments pool at 100%");
    let effects = update(&mut s, key(KeyCode::Enter));
    carry_out(&mut s, &store, effects);

    update(&mut s, ch('t'));
    assert!(screen_text(&s).contains("investigating  (now)"));
    let effects = update(&mut s, ch('3'));
    carry_out(&mut s, &store, effects);

    update(&mut s, ch('V'));
    let effects = update(&mut s, ch('2'));
    assert!(effects.is_empty(), "the same severity records nothing");

    update(&mut s, ch('R'));
    type_text(&mut s, "captain carol");
    update(&mut s, key(KeyCode::Enter));
    let Mode::Prompt(p) = &s.mode else { panic!() };
    assert!(
        p.problem
            .as_ref()
            .unwrap()
            .contains("unknown role `captain`")
    );
    update(
        &mut s,
        clops::tui::Event::Key(crossterm::event::KeyEvent::new(
            KeyCode::Char('u'),
            crossterm::event::KeyModifiers::CONTROL,
        )),
    );
    type_text(&mut s, "scribe carol@jump-3");
    let effects = update(&mut s, key(KeyCode::Enter));
    carry_out(&mut s, &store, effects);

    select_incident(&mut s, "payments");
    let effects = update(&mut s, ch('A'));
    carry_out(&mut s, &store, effects);
    // Attaching again adds nothing.
    assert!(update(&mut s, ch('A')).is_empty());

    let inc = store.incident(&id).unwrap();
    assert_eq!(inc.status, Status::Monitoring);
    assert_eq!(inc.roles["scribe"], "carol@jump-3");
    assert!(inc.services.contains(&"payments".to_string()));
    let kinds: Vec<&str> = store
        .events(&id, 0)
        .unwrap()
        .iter()
        .map(|e| e.change.kind())
        .collect();
    assert_eq!(
        kinds,
        [
            "declared",
            "note",
            "status_changed",
            "role_assigned",
            "alert_attached"
        ]
    );
    let screen = screen_text(&s);
    assert!(screen.contains("note: payments pool at 100%"), "{screen}");
    assert!(screen.contains("carol@jump-3 is scribe"), "{screen}");
    assert!(
        screen.contains("status investigating → monitoring"),
        "{screen}"
    );
}

/// The keys shown beside `description` in the help overlay on screen.
fn help_keys_of(screen: &str, description: &str) -> String {
    let line = screen
        .lines()
        .find(|l| l.contains(description))
        .unwrap_or_else(|| panic!("no `{description}` in the help:\n{screen}"));
    // What lies between the box's left border and the description.
    let before = &line[..line.find(description).unwrap()];
    before.rsplit('│').next().unwrap().trim().to_string()
}

#[test]
fn remapped_keys_inside_the_incident_modes_work_and_the_old_ones_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("i.db")).unwrap();
    let config = "[keys]\nnote = \"N\"\n\n[keys.incidents]\nactivate = \"o\"\n\n\
                  [keys.prompt]\nsubmit = \"ctrl-s\"\n";
    let file =
        clops::config::parse_all_with(Path::new("clops.toml"), config, &clops::tui::CONFIG_CHECKS)
            .unwrap();
    let keymap = clops::tui::keymap::Keymap::from_config(&file.keys).unwrap();
    let mut s = common::demo_state_with(
        clops::sources::demo::Scenario::BadDeploy,
        (120, 40),
        PEAK,
        keymap,
    );
    s.author = "alice@jump-1".into();
    let id = common::declared_elsewhere(&store, "Checkout errors");
    update(
        &mut s,
        Event::Incidents(Feed {
            list: store.incidents().unwrap(),
            timeline: None,
            error: None,
        }),
    );

    // In the incident list enter no longer makes one active; o does.
    update(&mut s, ch('I'));
    assert!(screen_text(&s).contains("o make active"));
    update(&mut s, key(KeyCode::Enter));
    assert!(matches!(s.mode, Mode::Incidents { .. }), "{:?}", s.mode);
    assert_eq!(s.incidents.active, None);
    let effects = update(&mut s, ch('o'));
    carry_out(&mut s, &store, effects);
    assert_eq!(s.incidents.active.as_deref(), Some(id.as_str()));

    // n is no longer the note key; N is, and ctrl-s records the note, not enter.
    update(&mut s, ch('n'));
    assert!(matches!(s.mode, Mode::Browse), "{:?}", s.mode);
    update(&mut s, ch('N'));
    assert!(matches!(s.mode, Mode::Prompt(_)), "{:?}", s.mode);
    assert!(screen_text(&s).contains("ctrl-s record · esc cancel"));
    type_text(&mut s, "failover started");
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert!(
        matches!(s.mode, Mode::Prompt(_)),
        "enter only types nothing"
    );
    let effects = update(&mut s, ctrl('s'));
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::Record(i, Change::Note { text })] if *i == id && text == "failover started"
        ),
        "{effects:?}"
    );
    carry_out(&mut s, &store, effects);
    let notes = store.events(&id, 0).unwrap();
    assert!(
        notes.iter().any(|e| e.change
            == Change::Note {
                text: "failover started".into()
            }),
        "{notes:?}"
    );

    // Help lists the keys in force, in the alert list and inside each mode.
    update(&mut s, Event::Resize(120, 400));
    update(&mut s, ch('?'));
    let help = screen_text(&s);
    assert_eq!(
        help_keys_of(&help, "add a note to the active incident's timeline"),
        "N"
    );
    assert_eq!(
        help_keys_of(&help, "make the selected incident the active one"),
        "o"
    );
    assert_eq!(
        help_keys_of(&help, "declare, or record the note or role"),
        "ctrl-s"
    );
    assert!(
        help.contains("In the incident list  [keys.incidents]"),
        "{help}"
    );
}

#[test]
fn read_only_consoles_and_broken_stores_refuse_in_words() {
    let mut s = demo_state((120, 40), PEAK);
    s.read_only = true;
    select_incident(&mut s, "payments");
    update(&mut s, ch('D'));
    assert!(matches!(s.mode, Mode::Browse));
    assert!(s.message.as_ref().unwrap().text.starts_with("read-only"));

    let mut s = demo_state((120, 40), PEAK);
    s.incidents.unavailable = Some("incident store /x/incidents.db: disk I/O error".into());
    update(&mut s, ch('D'));
    let m = s.message.clone().unwrap();
    assert!(m.is_error && m.text.contains("disk I/O error"), "{m:?}");
    update(&mut s, ch('I'));
    assert!(matches!(s.mode, Mode::Browse));
}

fn write_catalog_config(home: &Path) -> String {
    let catalog = home.join("catalog.toml");
    std::fs::write(
        &catalog,
        "[[services]]\nname = \"checkout\"\ndepends_on = [\"payments\"]\n\n[[services]]\nname = \"payments\"\n",
    )
    .unwrap();
    let config = home.join("clops.toml");
    std::fs::write(
        &config,
        format!(
            "[[sources]]\nname = \"catalog\"\nkind = \"catalog\"\npath = {:?}\n",
            catalog.to_str().unwrap()
        ),
    )
    .unwrap();
    config.to_str().unwrap().to_string()
}

fn cli(home: &Path, config: &str, args: &[&str]) -> String {
    let out = common::clops_process(home)
        .env("CLOPS_AUTHOR", "bob@jump-2")
        .args(["--config", config])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_timeline_is_shared_live_with_clops_in_another_terminal() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let config = write_catalog_config(h);
    let mut cmd = clops_command(h, &["--config", &config]);
    cmd.env("CLOPS_AUTHOR", "alice@jump-1");
    let mut s = Session::spawn(cmd, 120, 36);
    s.wait_for("the console", |sc| sc.contains("catalog"));

    // Declared from a shell on another host: the console's list shows it.
    let id = cli(
        h,
        &config,
        &[
            "incident",
            "declare",
            "--title",
            "Checkout failing",
            "--severity",
            "sev2",
        ],
    );
    let id = id.trim().to_string();
    s.send(b"I");
    s.wait_for("the incident in the list", |sc| {
        sc.contains(&id) && sc.contains("Checkout failing")
    });
    s.send(b"\r");
    s.wait_for("the incident pane", |sc| {
        sc.contains("Timeline (UTC)") && sc.contains("declared sev2")
    });

    // A note from the other terminal appears without a key being pressed.
    cli(
        h,
        &config,
        &["incident", "note", &id, "db failover started"],
    );
    s.wait_for("the other terminal's note", |sc| {
        sc.contains("bob@jump-2 note: db failover started")
    });

    // And what the console records, the shell reads.
    s.send(b"n");
    s.wait_for("the note prompt", |sc| sc.contains("enter record"));
    s.send(b"failover done, errors falling\r");
    s.wait_for("the console's note", |sc| {
        sc.contains("alice@jump-1 note: failover done")
    });
    s.send(b"t");
    s.wait_for("the status pick", |sc| sc.contains("monitoring"));
    s.send(b"3");
    s.wait_for("the status bar", |sc| {
        sc.contains(&format!("{id} sev2 monitoring"))
    });
    let shown = cli(h, &config, &["incident", "show", &id]);
    assert!(shown.contains("alice@jump-1"), "{shown}");
    assert!(
        shown.contains("note: failover done, errors falling"),
        "{shown}"
    );
    assert!(
        shown.contains("status investigating → monitoring"),
        "{shown}"
    );

    s.send(b"q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn the_demo_acks_into_the_active_incident() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = clops_command(home.path(), &["demo"]);
    cmd.env("CLOPS_AUTHOR", "alice@jump-1");
    let mut s = Session::spawn(cmd, 120, 36);
    s.wait_for("the payments page", |sc| sc.contains("CRIT payments"));
    s.send(b"D");
    s.wait_for("the declare prompt", |sc| sc.contains("Declare incident"));
    s.send(b"\r");
    s.wait_for("the declared incident", |sc| sc.contains("declared sev2"));
    s.send(b"a");
    s.wait_for("the ack question", |sc| sc.contains("yes, do it"));
    s.send(b"y");
    s.wait_for("the ack in the timeline", |sc| {
        sc.contains("acknowledged alertname=")
    });
    s.send(b"q");
    assert_eq!(s.wait_exit(), 0);
    // The demo's incidents are kept apart from real ones.
    assert!(home.path().join("data/clops/demo-incidents.db").exists());
    assert!(!home.path().join("data/clops/incidents.db").exists());
}

#[test]
fn on_a_small_terminal_the_pane_keeps_the_newest_events_in_view() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("i.db")).unwrap();
    let mut s = demo_state((80, 24), PEAK);
    select_incident(&mut s, "payments");
    update(&mut s, ch('D'));
    let effects = update(&mut s, key(KeyCode::Enter));
    carry_out(&mut s, &store, effects);
    for i in 1..=8 {
        update(&mut s, ch('n'));
        type_text(&mut s, &format!("note number {i}"));
        let effects = update(&mut s, key(KeyCode::Enter));
        carry_out(&mut s, &store, effects);
    }
    let screen = screen_text(&s);
    assert!(screen.contains("note: note number 8"), "{screen}");
    assert!(!screen.contains("note: note number 1 "), "{screen}");
    assert!(screen.contains("earlier: clops incident show"), "{screen}");
    // Esc goes back to the selected group's detail.
    update(&mut s, key(KeyCode::Esc));
    assert!(screen_text(&s).contains("┌ Detail"));
}
