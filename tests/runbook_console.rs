//! Runbooks in the console: the picker puts what serves the selection first, a step
//! runs only after `y` with the alert's labels in its environment, ctrl-c stops the
//! step and never the console, checklists are ticked by hand, and all of it is
//! recorded. The pty test runs real steps of the demo's runbooks.

mod common;

use std::sync::Arc;

use clops::model::incident::Change;
use clops::runbook::Library;
use clops::runbook::remote::FetchError;
use clops::tui::app::Mode;
use clops::tui::runbooks::{Entry, StepEvent, StepStatus, entries};
use clops::tui::{Effect, Event, State, update};
use common::pty::{Session, clops_command};
use common::{ch, ctrl, demo_state, key, screen_text, select_incident, type_text};
use crossterm::event::KeyCode;

const PEAK: i64 = 600;

/// The demo at its peak with the demo's runbooks, the payments page selected.
fn console(size: (u16, u16)) -> State {
    let mut s = demo_state(size, PEAK);
    let mut library = Library::default();
    library.add_missing(clops::runbook::demo::runbooks());
    s.runbooks.library = Arc::new(library);
    select_incident(&mut s, "payments");
    s
}

fn message(s: &State) -> String {
    s.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn the_picker_puts_runbooks_serving_the_selection_first_and_searches_the_rest() {
    let mut s = console((120, 40));
    update(&mut s, ch('r'));
    assert!(matches!(s.mode, Mode::Runbooks { .. }), "{:?}", s.mode);
    let found = entries(&s, "");
    assert!(
        matches!(&found[0], Entry::Serving { name, alerts, root: true } if name == "higherrorrate" && *alerts >= 1),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|e| matches!(e, Entry::Url(u) if u.ends_with("higherrorrate.md"))),
        "the alert's runbook_url is offered: {found:?}"
    );
    let screen = screen_text(&s);
    assert!(screen.contains("Service returns errors"), "{screen}");
    assert!(screen.contains("serves"), "{screen}");

    // Typing searches every runbook, serving or not.
    type_text(&mut s, "node");
    let found = entries(&s, "node");
    assert_eq!(found[0], Entry::Other("kubenodenotready".into()));
    update(&mut s, key(KeyCode::Enter));
    assert!(matches!(s.mode, Mode::Runbook));
    assert!(screen_text(&s).contains("Kubernetes node not ready"));

    // A Markdown runbook_url is fetched; anything else is copied.
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch('r'));
    let url = entries(&s, "")
        .into_iter()
        .find_map(|e| match e {
            Entry::Url(u) => Some(u),
            _ => None,
        })
        .unwrap();
    let at = entries(&s, "")
        .iter()
        .position(|e| *e == Entry::Url(url.clone()))
        .unwrap();
    for _ in 0..at {
        update(&mut s, key(KeyCode::Down));
    }
    let effects = update(&mut s, key(KeyCode::Enter));
    assert_eq!(effects, [Effect::FetchRunbook(url)]);
    let fetched = clops::runbook::remote::from_text(
        "https://wiki.example/rb/payments.md",
        "# Payments errors\n## Look\n```sh\necho look\n```\n",
    )
    .unwrap();
    update(&mut s, Event::Step(StepEvent::Fetched(Ok(fetched))));
    assert!(matches!(s.mode, Mode::Runbook));
    assert!(screen_text(&s).contains("Payments errors"));
    update(&mut s, key(KeyCode::Esc));
    update(
        &mut s,
        Event::Step(StepEvent::Fetched(Err(FetchError::Status {
            url: "https://x/y.md".into(),
            status: reqwest::StatusCode::NOT_FOUND,
        }))),
    );
    assert!(message(&s).contains("HTTP 404"));
}

/// Opens the demo's error-rate runbook on the payments page.
fn open_error_runbook(s: &mut State) {
    update(s, ch('r'));
    update(s, key(KeyCode::Enter));
    let run = s.runbooks.run.as_ref().expect("a runbook is open");
    assert_eq!(run.runbook.name, "higherrorrate");
}

#[test]
fn a_step_runs_only_after_y_with_the_alerts_labels_as_environment() {
    let mut s = console((120, 40));
    open_error_runbook(&mut s);
    // enter shows the command and asks; nothing runs yet.
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(effects.is_empty(), "{effects:?}");
    let screen = screen_text(&s);
    assert!(
        screen.contains("Run step 1 \"Look at the error ratio\"? y runs it"),
        "{screen}"
    );
    assert!(
        screen.contains("$ echo \"service $CLOPS_LABEL_SERVICE"),
        "{screen}"
    );
    // n declines.
    assert!(update(&mut s, ch('n')).is_empty());
    assert!(!screen_text(&s).contains("y runs it"));
    // Any other key while asking does nothing.
    update(&mut s, key(KeyCode::Enter));
    assert!(update(&mut s, ch('x')).is_empty());
    let effects = update(&mut s, ch('y'));
    let [Effect::RunStep(job)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(job.runbook, "higherrorrate");
    assert_eq!(job.step, "Look at the error ratio");
    assert_eq!(job.incident, None, "no active incident: the run log");
    let env: std::collections::HashMap<&str, &str> = job
        .command
        .env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(env.get("CLOPS_LABEL_ALERTNAME"), Some(&"HighErrorRate"));
    // The labels of the group's root's alert, not of the first alert it serves.
    assert_eq!(env.get("CLOPS_LABEL_SERVICE"), Some(&"payments"));
    assert!(
        !job.command.command.contains("payments"),
        "labels are never spliced in"
    );
    assert_eq!(job.command.timeout, std::time::Duration::from_secs(60));
    let run = s.runbooks.run.as_ref().unwrap();
    assert_eq!(run.steps[0], StepStatus::Running);

    // Output streams in; the end is shown and the cursor moves on.
    for i in 1..=3 {
        update(
            &mut s,
            Event::Step(StepEvent::Output {
                step: 0,
                line: format!("sample {i}"),
            }),
        );
    }
    assert!(screen_text(&s).contains("sample 3"));
    update(
        &mut s,
        Event::Step(StepEvent::Finished {
            step: 0,
            ok: true,
            summary: "exit 0 in 5.0s".into(),
        }),
    );
    let screen = screen_text(&s);
    assert!(
        screen.contains("✓  1 Look at the error ratio  exit 0 in 5.0s"),
        "{screen}"
    );
    assert_eq!(s.runbooks.run.as_ref().unwrap().selected, 1);
}

#[test]
fn with_an_active_incident_steps_are_recorded_there_and_see_its_id() {
    let mut s = console((120, 40));
    s.incidents.active = Some("INC-20261121-4".into());
    open_error_runbook(&mut s);
    update(&mut s, key(KeyCode::Enter));
    let effects = update(&mut s, ch('y'));
    let [Effect::RunStep(job)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(job.incident.as_deref(), Some("INC-20261121-4"));
    assert!(
        job.command
            .env
            .contains(&("CLOPS_INCIDENT".into(), "INC-20261121-4".into()))
    );
    assert!(screen_text(&s).contains("recording to INC-20261121-4"));
}

#[test]
fn ctrl_c_stops_the_running_step_and_never_quits_the_console() {
    let mut s = console((120, 40));
    open_error_runbook(&mut s);
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ch('y'));
    assert_eq!(update(&mut s, ctrl('c')), [Effect::CancelStep]);
    // Closing the view while it runs keeps the run; r brings it back.
    update(&mut s, key(KeyCode::Esc));
    assert!(matches!(s.mode, Mode::Browse));
    assert!(message(&s).contains("keeps running"));
    update(&mut s, ch('r'));
    assert!(
        matches!(s.mode, Mode::Runbook),
        "r shows the running step again"
    );
    // Another step cannot start while one runs.
    update(&mut s, ch('j'));
    update(&mut s, key(KeyCode::Enter));
    assert!(message(&s).contains("still running"));
    update(
        &mut s,
        Event::Step(StepEvent::Finished {
            step: 0,
            ok: false,
            summary: "cancelled after 0.5s, killed".into(),
        }),
    );
    assert!(screen_text(&s).contains("✗  1 Look at the error ratio  cancelled after 0.5s"));
    // Nothing runs now: ctrl-c says so instead of quitting.
    let effects = update(&mut s, ctrl('c'));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(matches!(s.mode, Mode::Runbook));
    // esc closes it for good.
    update(&mut s, key(KeyCode::Esc));
    assert!(s.runbooks.run.is_none());
}

#[test]
fn checklists_are_ticked_by_hand_and_read_only_refuses_both() {
    let mut s = console((120, 40));
    open_error_runbook(&mut s);
    update(&mut s, ch('G'));
    assert!(screen_text(&s).contains("[ ] status posted in #incidents"));
    let effects = update(&mut s, key(KeyCode::Char(' ')));
    let [Effect::RecordStep(None, change)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        *change,
        Change::RunbookStepFinished {
            runbook: "higherrorrate".into(),
            step: "Tell the channel".into(),
            exit_code: None,
            duration_ms: 0,
            output: "[x] status posted in #incidents".into(),
        }
    );
    assert!(screen_text(&s).contains("[x] status posted in #incidents"));
    assert!(
        update(&mut s, key(KeyCode::Char(' '))).is_empty(),
        "ticked once"
    );

    let mut ro = console((120, 40));
    ro.read_only = true;
    open_error_runbook(&mut ro);
    assert!(update(&mut ro, key(KeyCode::Enter)).is_empty());
    assert!(message(&ro).contains("read-only"), "{}", message(&ro));
    assert!(update(&mut ro, ch('y')).is_empty(), "no question was asked");
    update(&mut ro, ch('G'));
    assert!(update(&mut ro, key(KeyCode::Char(' '))).is_empty());
}

#[test]
fn the_palette_opens_any_runbook_by_name() {
    let mut s = console((120, 40));
    update(&mut s, ch(':'));
    type_text(&mut s, "runbook highlat");
    update(&mut s, key(KeyCode::Enter));
    assert!(matches!(s.mode, Mode::Runbook));
    assert_eq!(s.runbooks.run.as_ref().unwrap().runbook.name, "highlatency");
}

#[test]
fn the_runbook_fits_a_small_terminal() {
    let mut s = console((80, 24));
    open_error_runbook(&mut s);
    update(&mut s, key(KeyCode::Enter));
    insta::assert_snapshot!(screen_text(&s));
}

#[test]
fn steps_run_for_real_from_the_demo_recorded_where_they_belong() {
    let home = tempfile::tempdir().unwrap();
    let cmd = clops_command(home.path(), &["demo"]);
    let mut s = Session::spawn(cmd, 120, 36);
    s.wait_for("the payments page", |sc| sc.contains("CRIT payments"));
    s.send(b"r");
    s.wait_for("the picker", |sc| sc.contains("Service returns errors"));
    s.send(b"\r");
    s.wait_for("the runbook", |sc| sc.contains("Look at the error ratio"));
    s.send(b"\r");
    s.wait_for("the question", |sc| sc.contains("y runs it"));
    s.send(b"y");
    s.wait_for("output streaming", |sc| sc.contains("sample 2: 5xx ratio"));
    s.wait_for("the step's end", |sc| sc.contains("exit 0 in"));
    // No incident yet: that went to the run log. Declare one and go on there.
    s.send(b"\x1b");
    s.wait_for("the alerts", |sc| {
        sc.contains("CRIT payments") && !sc.contains("Runbook")
    });
    s.send(b"D");
    s.wait_for("the declare prompt", |sc| sc.contains("Declare incident"));
    s.send(b"\r");
    s.wait_for("the declared incident", |sc| sc.contains("declared sev2"));
    s.send(b"r");
    s.wait_for("the picker", |sc| sc.contains("Service returns errors"));
    s.send(b"\r");
    s.wait_for("the runbook", |sc| sc.contains("recording to INC-"));
    // Roll back sleeps: stop it halfway.
    s.send(b"jj\r");
    s.wait_for("the question", |sc| sc.contains("Run step 3"));
    s.send(b"y");
    s.wait_for("roll back running", |sc| sc.contains("would run: kubectl"));
    s.send(b"\x03");
    s.wait_for("the cancel", |sc| sc.contains("cancelled after"));
    let went_on = s
        .screen()
        .lines()
        .any(|l| l.contains("rollout finished") && !l.contains("echo"));
    assert!(!went_on, "the step went on:\n{}", s.screen());
    s.send(b"\x1b");
    s.wait_for("the incident pane with the step", |sc| {
        sc.contains("runbook higherrorrate") && !sc.contains("Runbook ")
    });
    s.send(b"q");
    assert_eq!(s.wait_exit(), 0);

    let data = home.path().join("data/clops");
    let log = std::fs::read_to_string(data.join("runbook-runs.jsonl")).unwrap();
    let logged: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(logged.len(), 2, "{log}");
    assert_eq!(logged[0]["kind"], "runbook_step_started");
    assert_eq!(logged[1]["kind"], "runbook_step_finished");
    assert_eq!(logged[1]["data"]["exit_code"], 0);
    assert!(
        logged[1]["data"]["output"]
            .as_str()
            .unwrap()
            .contains("5xx ratio 0.08")
    );

    use clops::incident::Store;
    let store = clops::incident::SqliteStore::open(&data.join("demo-incidents.db")).unwrap();
    let id = store.ids().unwrap()[0].clone();
    let steps: Vec<Change> = store
        .events(&id, 0)
        .unwrap()
        .into_iter()
        .map(|e| e.change)
        .filter(|c| c.kind().starts_with("runbook_step"))
        .collect();
    let [
        Change::RunbookStepStarted { step, command, .. },
        Change::RunbookStepFinished {
            exit_code, output, ..
        },
    ] = steps.as_slice()
    else {
        panic!("{steps:?}")
    };
    assert_eq!(step, "Roll back");
    assert!(command.contains("rollout undo"));
    assert_eq!(*exit_code, None, "stopped, not exited");
    assert!(output.contains("would run: kubectl"), "{output}");
    assert!(!output.contains("rollout finished"), "{output}");
}

/// Serves `body` with `status` to every request on a loopback port.
fn serve(status: u16, body: &'static str) -> common::fake_http::FakeServer {
    common::fake_http::FakeServer::start(move |_| {
        common::fake_http::Reply::status(status).body(body)
    })
}

#[tokio::test]
async fn a_markdown_runbook_url_is_fetched_and_a_missing_one_says_why() {
    let server = serve(
        200,
        "# Disk filling\nFree space before it is gone.\n## Find big files\n```sh\ndu -sh /var/* | sort -h | tail\n```\n",
    );
    let url = format!("{}/runbooks/disk-filling.md", server.url());
    let rb = clops::runbook::remote::fetch(&url, std::time::Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(rb.name, "disk-filling");
    assert_eq!(rb.title, "Disk filling");
    assert_eq!(
        rb.steps[0].command.as_deref(),
        Some("du -sh /var/* | sort -h | tail")
    );

    let missing = serve(404, "no such page");
    let err = clops::runbook::remote::fetch(
        &format!("{}/x.md", missing.url()),
        std::time::Duration::from_secs(5),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.contains("HTTP 404"), "{err}");
    assert!(
        err.contains("/x.md"),
        "the error names what was fetched: {err}"
    );
}

/// The job a confirmed step became, and its environment as a map.
fn job_env(effects: &[Effect]) -> std::collections::HashMap<String, String> {
    let [Effect::RunStep(job)] = effects else {
        panic!("no step ran: {effects:?}")
    };
    job.command.env.iter().cloned().collect()
}

/// Expands every group and moves the cursor onto the first alert `pick` accepts.
fn select_alert(s: &mut State, pick: impl Fn(&clops::model::Alert) -> bool) {
    common::open_all(s);
    let at = s
        .rows
        .iter()
        .position(|r| match *r {
            clops::tui::app::Row::Alert(g, a) => pick(&s.board.groups[g].alerts[a]),
            _ => false,
        })
        .expect("such an alert is on the list");
    let row = s.rows[at];
    for step in ['j', 'k'] {
        for _ in 0..s.rows.len() {
            if s.selected() == Some(row) {
                return;
            }
            update(s, ch(step));
        }
    }
    assert_eq!(s.selected(), Some(row));
}

/// Presses `j` until `text` shows, at most `limit` times; whether it showed.
fn scroll_to(s: &mut State, text: &str, limit: usize) -> bool {
    for _ in 0..=limit {
        if screen_text(s).contains(text) {
            return true;
        }
        update(s, ch('j'));
    }
    false
}

#[test]
fn r_on_a_group_runs_the_runbook_of_its_root_with_the_roots_labels() {
    let mut s = console((120, 40));
    // The trap: the first alert of the group this runbook serves is api-gateway's.
    let first_served = clops::tui::actions::selected_alerts(&s)
        .into_iter()
        .find(|a| a.name() == "HighErrorRate")
        .map(|a| a.label("service").to_string());
    assert_eq!(first_served.as_deref(), Some("api-gateway"));

    update(&mut s, ch('r'));
    assert_eq!(
        entries(&s, "")[0],
        Entry::Serving {
            name: "higherrorrate".into(),
            alerts: 3,
            root: true
        }
    );
    assert!(
        screen_text(&s).contains("for the root payments · serves 3 alerts"),
        "{}",
        screen_text(&s)
    );
    update(&mut s, key(KeyCode::Enter));
    let screen = screen_text(&s);
    assert!(
        screen.contains("for HighErrorRate · service payments · cluster prod-eu"),
        "{screen}"
    );
    // Roll back: the step users saw undo api-gateway's deploy.
    update(&mut s, ch('j'));
    update(&mut s, ch('j'));
    update(&mut s, key(KeyCode::Enter));
    let screen = screen_text(&s);
    assert!(screen.contains("CLOPS_LABEL_SERVICE=payments"), "{screen}");
    assert!(
        screen.contains("CLOPS_LABEL_NAMESPACE=payments"),
        "{screen}"
    );
    assert!(!screen.contains("api-gateway"), "{screen}");
    let env = job_env(&update(&mut s, ch('y')));
    assert_eq!(env["CLOPS_LABEL_SERVICE"], "payments");
    assert_eq!(env["CLOPS_LABEL_NAMESPACE"], "payments");
    assert_eq!(env["CLOPS_LABEL_ALERTNAME"], "HighErrorRate");
}

#[test]
fn when_the_roots_alerts_differ_in_what_the_steps_read_the_responder_picks() {
    let mut s = console((120, 40));
    update(&mut s, ch(':'));
    type_text(&mut s, "runbook kubenodenotready");
    update(&mut s, key(KeyCode::Enter));
    // payments' alerts run on two nodes, and some name none: never silently the first.
    let run = s.runbooks.run.as_ref().unwrap();
    assert!(run.target.is_none());
    let screen = screen_text(&s);
    assert!(screen.contains("Which alert is this run for?"), "{screen}");
    for (values, alert) in [
        ("node not set ", "SLOErrorBudgetBurn · service payments"),
        (
            "node=ip-10-0-1-32 ",
            "KubePodCrashLooping · service payments",
        ),
        (
            "node=ip-10-0-3-10 ",
            "KubePodCrashLooping · service payments",
        ),
    ] {
        let row = screen
            .lines()
            .find(|l| l.contains(values))
            .unwrap_or_default();
        assert!(row.contains(alert), "{values}{alert}:\n{screen}");
    }
    // Nothing runs before a pick: enter picks, it does not run.
    update(&mut s, ch('j'));
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    let target = &s.runbooks.run.as_ref().unwrap().target;
    assert_eq!(
        target.as_ref().map(|t| t.alert.label("node")),
        Some("ip-10-0-1-32")
    );
    assert!(screen_text(&s).contains("picked by you"));
    // Cordon and drain runs for that node.
    update(&mut s, ch('j'));
    update(&mut s, key(KeyCode::Enter));
    let env = job_env(&update(&mut s, ch('y')));
    assert_eq!(env["CLOPS_LABEL_NODE"], "ip-10-0-1-32");

    // t picks again; esc keeps the target it had.
    let mut s = console((120, 40));
    update(&mut s, ch(':'));
    type_text(&mut s, "runbook kubenodenotready");
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ch('t'));
    assert!(screen_text(&s).contains("Which alert is this run for?"));
    update(&mut s, key(KeyCode::Esc));
    assert!(matches!(s.mode, Mode::Runbook));
    assert_eq!(
        s.runbooks
            .run
            .as_ref()
            .unwrap()
            .target
            .as_ref()
            .map(|t| t.alert.name()),
        Some("SLOErrorBudgetBurn")
    );
    // esc before any pick closes the runbook.
    let mut s = console((120, 40));
    update(&mut s, ch(':'));
    type_text(&mut s, "runbook kubenodenotready");
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Esc));
    assert!(matches!(s.mode, Mode::Browse));
    assert!(s.runbooks.run.is_none());
}

#[test]
fn a_step_reading_an_unset_value_warns_and_needs_a_second_confirmation() {
    let mut s = console((120, 40));
    select_alert(&mut s, |a| {
        a.name() == "HighErrorRate" && a.label("service") == "checkout"
    });
    update(&mut s, ch(':'));
    type_text(&mut s, "runbook kubenodenotready");
    update(&mut s, key(KeyCode::Enter));
    assert!(screen_text(&s).contains("for HighErrorRate · service checkout"));
    update(&mut s, ch('j'));
    update(&mut s, key(KeyCode::Enter));
    let screen = screen_text(&s);
    assert!(
        screen.contains("⚠ $CLOPS_LABEL_NODE is not set"),
        "{screen}"
    );
    assert!(
        screen.contains("this runbook serves alertname=\"KubeNodeNotReady\": not this alert"),
        "{screen}"
    );
    assert!(
        screen.contains("It has 1 warning: y, then ! runs it"),
        "{screen}"
    );
    // ! alone does not run it: y shows the warning first.
    assert!(update(&mut s, ch('!')).is_empty());
    assert!(update(&mut s, ch('y')).is_empty(), "y alone ran it");
    let screen = screen_text(&s);
    assert!(
        screen.contains("⚠ $CLOPS_LABEL_NODE is not set — ! runs it anyway · n does not"),
        "{screen}"
    );
    // A second y (a key pressed twice by habit) still does not.
    assert!(update(&mut s, ch('y')).is_empty(), "y twice ran it");
    assert!(message(&s).contains("! runs it anyway"), "{}", message(&s));
    let env = job_env(&update(&mut s, ch('!')));
    assert!(!env.contains_key("CLOPS_LABEL_NODE"));
    assert_eq!(env["CLOPS_LABEL_SERVICE"], "checkout");

    // n after the warning runs nothing, and a step with nothing missing needs only y.
    let mut s = console((120, 40));
    select_alert(&mut s, |a| a.label("node") == "ip-10-0-3-10");
    update(&mut s, ch(':'));
    type_text(&mut s, "runbook kubenodenotready");
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Enter));
    assert!(!screen_text(&s).contains("⚠ $CLOPS"), "{}", screen_text(&s));
    let env = job_env(&update(&mut s, ch('y')));
    assert_eq!(env["CLOPS_LABEL_NODE"], "ip-10-0-3-10");
}

#[test]
fn a_command_hiding_text_behind_whitespace_is_shown_whole_at_80x24() {
    let mut s = console((80, 24));
    let spaces = " ".repeat(3000);
    let long: Vec<String> = (1..=40).map(|i| format!("echo line {i:02}")).collect();
    let text = format!(
        "# Payments cleanup\n## Clean up\n```sh\necho hello{spaces}; touch /tmp/x\n```\n\
         ## Long\n```sh\n{}\n```\n## Hidden\n```sh\nls\u{200b} /tmp\u{202e}\n```\n",
        long.join("\n")
    );
    let fetched =
        clops::runbook::remote::from_text("https://runbooks.example.com/cleanup.md", &text)
            .unwrap();
    update(&mut s, Event::Step(StepEvent::Fetched(Ok(fetched))));
    let screen = screen_text(&s);
    assert!(
        screen.contains("$ echo hello␠×3000; touch /tmp/x"),
        "{screen}"
    );
    update(&mut s, key(KeyCode::Enter));
    let screen = screen_text(&s);
    assert!(
        screen.contains("from    remote https://runbooks.example.com/cleanup.md (fetched)"),
        "{screen}"
    );
    assert!(
        scroll_to(&mut s, "$ echo hello␠×3000; touch /tmp/x", 40),
        "{}",
        screen_text(&s)
    );

    // Forty lines do not fit: the rest is a scroll away, and all of it is there.
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch('j'));
    update(&mut s, key(KeyCode::Enter));
    let screen = screen_text(&s);
    assert!(screen.contains("↓ more"), "{screen}");
    assert!(!screen.contains("echo line 40"), "{screen}");
    let mut seen = std::collections::HashSet::new();
    for _ in 0..80 {
        let screen = screen_text(&s);
        for line in &long {
            if screen.contains(&format!("$ {line}")) {
                seen.insert(line.clone());
            }
        }
        update(&mut s, ch('j'));
    }
    assert_eq!(seen.len(), 40, "never shown: {:?}", {
        let mut missing: Vec<&String> = long.iter().filter(|l| !seen.contains(*l)).collect();
        missing.sort();
        missing
    });

    // What a terminal shows as nothing is named.
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch('j'));
    update(&mut s, key(KeyCode::Enter));
    assert!(
        screen_text(&s).contains("$ ls<U+200B> /tmp<U+202E>"),
        "{}",
        screen_text(&s)
    );
}

#[test]
fn a_target_that_resolved_meanwhile_is_said_and_asked_about_again() {
    let (mut s, sources) = common::live_demo((120, 40), PEAK);
    let mut library = Library::default();
    library.add_missing(clops::runbook::demo::runbooks());
    s.runbooks.library = Arc::new(library);
    select_incident(&mut s, "payments");
    update(&mut s, ch('r'));
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Enter));
    assert!(screen_text(&s).contains("(active)"));
    // The next poll: payments' error rate is back to normal.
    common::deliver(&mut s, &sources, 1000, common::wall());
    let effects = update(&mut s, ch('y'));
    assert!(effects.is_empty(), "ran for a resolved alert: {effects:?}");
    let screen = screen_text(&s);
    assert!(
        screen.contains("⚠ changed: the target alert has resolved"),
        "{screen}"
    );
    assert!(
        screen.contains("The target changed: read it again"),
        "{screen}"
    );
    assert!(message(&s).contains("target changed"), "{}", message(&s));
    // Asked again, it still warns: running for a resolved alert takes y and !.
    assert!(update(&mut s, ch('y')).is_empty());
    assert!(screen_text(&s).contains("! runs it anyway"));
    let env = job_env(&update(&mut s, ch('!')));
    assert_eq!(env["CLOPS_LABEL_SERVICE"], "payments");
}

#[test]
fn a_poll_that_changes_nothing_about_the_target_does_not_ask_again() {
    let (mut s, sources) = common::live_demo((120, 40), PEAK);
    let mut library = Library::default();
    library.add_missing(clops::runbook::demo::runbooks());
    s.runbooks.library = Arc::new(library);
    select_incident(&mut s, "payments");
    update(&mut s, ch('r'));
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Enter));
    // The same alerts, read again from a new reply.
    common::deliver(&mut s, &sources, PEAK + 10, common::wall());
    let env = job_env(&update(&mut s, ch('y')));
    assert_eq!(env["CLOPS_LABEL_SERVICE"], "payments");
}

#[test]
fn the_confirmation_names_the_file_a_runbook_came_from() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("payments-errors.md"),
        "+++\ntitle = \"Payments errors\"\nmatch = { alertname = \"HighErrorRate\", service = \"payments\" }\nenv = [\"KUBECONFIG\"]\n+++\n## Look\n```sh\necho $CLOPS_LABEL_SERVICE\n```\n",
    )
    .unwrap();
    let mut s = console((120, 40));
    s.runbooks.library = Arc::new(Library::load(&[dir.path().to_path_buf()]));
    update(&mut s, ch('r'));
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Enter));
    let screen = screen_text(&s);
    let path = dir.path().join("payments-errors.md");
    assert!(
        screen.contains(&format!("from    file {}", path.display())),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("CLOPS_RUNBOOK_DIR={}", dir.path().display())),
        "{screen}"
    );
    assert!(
        screen.contains("target  HighErrorRate · service payments · cluster prod-eu (active)"),
        "{screen}"
    );
    assert!(screen.contains("1 alert of the 12 selected"), "{screen}");
    assert!(
        screen.contains("KUBECONFIG (declared by the runbook)"),
        "{screen}"
    );
}

#[test]
fn a_step_run_from_the_console_gets_no_token_of_the_callers() {
    let home = tempfile::tempdir().unwrap();
    let runbooks = home.path().join("config/clops/runbooks");
    std::fs::create_dir_all(&runbooks).unwrap();
    // Serves the demo's payments errors; writes what it gets beside itself.
    std::fs::write(
        runbooks.join("payments-env.md"),
        "+++\ntitle = \"Payments env\"\nmatch = { alertname = \"HighErrorRate\" }\nenv = [\"KUBECONFIG\"]\n+++\n\
         ## Save env\n```sh\nenv > \"$CLOPS_RUNBOOK_DIR/seen-env\"; echo saved\n```\n",
    )
    .unwrap();
    let mut cmd = clops_command(home.path(), &["demo"]);
    cmd.env("CLOPS_TOKEN_FOO", "secret");
    cmd.env("SOME_OTHER", "x");
    cmd.env("KUBECONFIG", "/home/alice/.kube/prod");
    let mut s = Session::spawn(cmd, 120, 36);
    s.wait_for("the payments page", |sc| sc.contains("CRIT payments"));
    s.send(b"r");
    s.wait_for("the picker", |sc| sc.contains("Payments env"));
    s.send(b"payments-env");
    s.send(b"\r");
    s.wait_for("the runbook", |sc| sc.contains("Save env"));
    s.send(b"\r");
    s.wait_for("the question", |sc| sc.contains("y runs it"));
    s.send(b"y");
    s.wait_for("the step's end", |sc| sc.contains("exit 0 in"));
    s.send(b"\x1b");
    s.wait_for("the alerts", |sc| !sc.contains("Save env"));
    s.send(b"q");
    assert_eq!(s.wait_exit(), 0);

    let seen = std::fs::read_to_string(runbooks.join("seen-env")).unwrap();
    let names: Vec<&str> = seen
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, _)| k))
        .collect();
    let allowed = |n: &str| {
        ["PATH", "HOME", "USER", "LANG", "TERM", "TZ"].contains(&n)
            || n.starts_with("CLOPS_LABEL_")
            || ["KUBECONFIG", "CLOPS_RUNBOOK_DIR"].contains(&n)
            || ["PWD", "SHLVL", "_", "OLDPWD"].contains(&n)
    };
    let strays: Vec<&&str> = names.iter().filter(|n| !allowed(n)).collect();
    assert!(strays.is_empty(), "{strays:?}\n{seen}");
    assert!(!seen.contains("secret"), "{seen}");
    assert!(seen.contains("KUBECONFIG=/home/alice/.kube/prod"), "{seen}");
    assert!(seen.contains("CLOPS_LABEL_SERVICE=payments"), "{seen}");
}
