//! `clops runbook …` with real processes in temporary dirs: what runs is what the
//! runbook says, labels are data and never code, timeouts and ctrl-c end a step with
//! everything it started, and the timeline says what ran.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;

/// A private HOME with a runbooks dir, and a work dir the steps run in.
struct Desk {
    home: tempfile::TempDir,
    work: tempfile::TempDir,
}

impl Desk {
    fn new() -> Desk {
        let desk = Desk {
            home: tempfile::tempdir().unwrap(),
            work: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(desk.runbooks()).unwrap();
        desk
    }

    fn runbooks(&self) -> PathBuf {
        self.home.path().join("config/clops/runbooks")
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.runbooks().join(format!("{name}.md")), text).unwrap();
    }

    fn clops(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = common::clops_process(self.home.path());
        cmd.env("CLOPS_AUTHOR", "alice@jump-1")
            .current_dir(self.work.path())
            .args(args)
            .stdin(Stdio::null());
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.clops(args).output().unwrap()
    }

    fn in_work(&self, name: &str) -> PathBuf {
        self.work.path().join(name)
    }

    /// The run log's lines, as JSON.
    fn run_log(&self) -> Vec<Value> {
        let path = self.home.path().join("data/clops/runbook-runs.jsonl");
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A runbook with one step per line of `steps`: (title, info string, command).
fn runbook(title: &str, steps: &[(&str, &str, &str)]) -> String {
    let mut out = format!("+++\ntitle = \"{title}\"\nmatch = {{ alertname = \"X\" }}\n+++\n");
    for (step, info, command) in steps {
        out.push_str(&format!("## {step}\n```{info}\n{command}\n```\n"));
    }
    out
}

const HOSTILE: [&str; 7] = [
    "$(touch pwned-subst)",
    "`touch pwned-tick`",
    "'; touch pwned-quote; echo '",
    "\"; touch pwned-dquote; echo \"",
    "a; touch pwned-semi",
    "line one\ntouch pwned-newline",
    "$HOME ${PATH} * ? [a] \\ | & > < ~",
];

#[test]
fn label_values_arrive_verbatim_and_never_execute() {
    let desk = Desk::new();
    // Each step writes one label's value to a file, byte for byte.
    let steps: Vec<(String, &str, String)> = (0..HOSTILE.len())
        .map(|i| {
            (
                format!("write {i}"),
                "sh",
                format!("printf '%s' \"$CLOPS_LABEL_V{i}\" > value-{i}"),
            )
        })
        .collect();
    let steps: Vec<(&str, &str, &str)> = steps
        .iter()
        .map(|(t, i, c)| (t.as_str(), *i, c.as_str()))
        .collect();
    desk.write("echo-labels", &runbook("Echo labels", &steps));
    let labels: Vec<String> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, v)| format!("v{i}={v}"))
        .collect();
    let mut args = vec!["runbook", "run", "echo-labels", "--yes"];
    for l in &labels {
        args.extend(["--label", l.as_str()]);
    }
    let out = desk.run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for (i, value) in HOSTILE.iter().enumerate() {
        let got = std::fs::read_to_string(desk.in_work(&format!("value-{i}"))).unwrap();
        assert_eq!(&got, value, "label v{i} changed on its way in");
    }
    let pwned: Vec<String> = std::fs::read_dir(desk.work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pwned"))
        .collect();
    assert!(pwned.is_empty(), "label text was executed: {pwned:?}");
}

#[test]
fn a_run_stops_at_the_first_failing_step_and_records_what_ran() {
    let desk = Desk::new();
    desk.write(
        "restart",
        &runbook(
            "Restart",
            &[
                (
                    "Check",
                    "sh",
                    "echo checking $CLOPS_LABEL_INSTANCE; echo warn >&2",
                ),
                ("Fail", "sh", "echo about to fail; exit 3"),
                ("Never", "sh", "touch never-ran"),
            ],
        ),
    );
    let out = desk.run(&[
        "runbook",
        "run",
        "restart",
        "--yes",
        "--label",
        "instance=db-1",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(stdout.contains("checking db-1"), "{stdout}");
    assert!(stdout.contains("✓ exit 0"), "{stdout}");
    assert!(stdout.contains("✗ exit 3"), "{stdout}");
    assert!(
        stderr.contains("warn"),
        "stderr of the step reaches stderr: {stderr}"
    );
    assert!(
        stderr.contains("step 2/3 \"Fail\" failed (exit 3"),
        "{stderr}"
    );
    assert!(
        !desk.in_work("never-ran").exists(),
        "a step after a failure ran"
    );

    // Without an incident, the run log holds what ran, in order.
    let log = desk.run_log();
    let kinds: Vec<(&str, &str)> = log
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap(),
                e["data"]["step"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("runbook_step_started", "Check"),
            ("runbook_step_finished", "Check"),
            ("runbook_step_started", "Fail"),
            ("runbook_step_finished", "Fail"),
        ]
    );
    assert_eq!(log[1]["data"]["exit_code"], 0);
    assert_eq!(log[3]["data"]["exit_code"], 3);
    assert_eq!(log[3]["data"]["output"], "about to fail");
    assert_eq!(log[0]["author"], "alice@jump-1");
}

#[test]
fn steps_are_recorded_in_the_incident_given() {
    let desk = Desk::new();
    desk.write(
        "drain",
        &runbook(
            "Drain",
            &[(
                "Drain node",
                "sh",
                "echo draining $CLOPS_LABEL_NODE for $CLOPS_INCIDENT",
            )],
        ),
    );
    let declared = desk.run(&[
        "incident",
        "declare",
        "--title",
        "Checkout down",
        "--severity",
        "sev2",
    ]);
    assert!(declared.status.success(), "{}", text(&declared.stderr));
    let id = text(&declared.stdout).trim().to_string();
    let out = desk.run(&[
        "runbook",
        "run",
        "drain",
        "--yes",
        "--incident",
        &id,
        "--label",
        "node=n-7",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let expected = format!("draining n-7 for {id}");
    assert!(text(&out.stdout).contains(&expected));

    let show = desk.run(&["incident", "show", &id, "-o", "json"]);
    let timeline: Value = serde_json::from_slice(&show.stdout).unwrap();
    let events = timeline["events"].as_array().unwrap();
    let steps: Vec<&Value> = events
        .iter()
        .filter(|e| e["kind"].as_str().unwrap().starts_with("runbook_step"))
        .collect();
    assert_eq!(steps.len(), 2, "{events:?}");
    assert_eq!(steps[0]["kind"], "runbook_step_started");
    assert_eq!(
        steps[0]["data"]["command"],
        "echo draining $CLOPS_LABEL_NODE for $CLOPS_INCIDENT"
    );
    assert_eq!(steps[1]["kind"], "runbook_step_finished");
    assert_eq!(steps[1]["data"]["exit_code"], 0);
    assert_eq!(steps[1]["data"]["output"], expected.as_str());
    assert!(
        desk.run_log().is_empty(),
        "an incident run went to the run log too"
    );

    let md = desk.run(&["incident", "export", &id, "--format", "md"]);
    assert!(text(&md.stdout).contains("Drain node"));

    let unknown = desk.run(&[
        "runbook",
        "run",
        "drain",
        "--yes",
        "--incident",
        "INC-20200101-9",
        "--label",
        "node=n-7",
    ]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        desk.run_log().is_empty(),
        "ran although the incident does not exist"
    );
}

/// True while `pid` is a live (not zombie) process.
fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .and_then(|rest| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

fn pids(path: &Path) -> Vec<i32> {
    std::fs::read_to_string(path)
        .unwrap()
        .split_whitespace()
        .map(|p| p.parse().unwrap())
        .collect()
}

#[test]
fn a_step_past_its_timeout_is_killed_with_its_children() {
    let desk = Desk::new();
    // A child that ignores SIGTERM and a grandchild in the background: both must go.
    desk.write(
        "hang",
        &runbook(
            "Hang",
            &[(
                "Hang",
                "sh timeout=1s",
                "sh -c 'trap \"\" TERM; sleep 300' & echo $! >> pids\n\
                 sh -c 'sleep 301 & echo $! >> pids; wait' & echo $! >> pids\n\
                 wait",
            )],
        ),
    );
    let out = desk.run(&["runbook", "run", "hang", "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("timed out after 1s, killed"),
        "{}",
        text(&out.stdout)
    );
    let started = pids(&desk.in_work("pids"));
    assert_eq!(started.len(), 3, "{started:?}");
    let deadline = Instant::now() + Duration::from_secs(5);
    while started.iter().any(|p| alive(*p)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let left: Vec<i32> = started.iter().copied().filter(|p| alive(*p)).collect();
    assert!(
        left.is_empty(),
        "processes of the step still running: {left:?}"
    );
    let log = desk.run_log();
    assert_eq!(
        log[1]["data"]["exit_code"],
        Value::Null,
        "killed steps have no exit code"
    );
}

#[test]
fn ctrl_c_cancels_the_running_step_and_its_process_group() {
    let desk = Desk::new();
    desk.write(
        "long",
        &runbook(
            "Long",
            &[
                (
                    "Wait",
                    "sh",
                    "sleep 300 & echo $! > pid; echo waiting; wait",
                ),
                ("After", "sh", "touch after-ran"),
            ],
        ),
    );
    let child = desk
        .clops(&["runbook", "run", "long", "--yes"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid_file = desk.in_work("pid");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !pid_file.exists()
        || std::fs::read_to_string(&pid_file)
            .unwrap()
            .trim()
            .is_empty()
    {
        assert!(Instant::now() < deadline, "the step never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    let sleeper = pids(&pid_file)[0];
    // What the terminal does on ctrl-c: SIGINT to clops (the step has its own group).
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("cancelled"),
        "{}",
        text(&out.stderr)
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while alive(sleeper) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!alive(sleeper), "the step's child outlived the cancel");
    assert!(!desk.in_work("after-ran").exists());
    let log = desk.run_log();
    assert_eq!(log.len(), 2);
    assert_eq!(log[1]["data"]["exit_code"], Value::Null);
}

#[test]
fn dry_run_runs_nothing_and_read_only_refuses_to_run() {
    let desk = Desk::new();
    desk.write("touch", &runbook("Touch", &[("Touch", "sh", "touch ran")]));
    let dry = desk.run(&["runbook", "run", "touch", "--dry-run", "--label", "a=$(x)"]);
    assert!(dry.status.success());
    let shown = text(&dry.stdout);
    assert!(shown.contains("would run: touch ran"), "{shown}");
    assert!(shown.contains("CLOPS_LABEL_A=$(x)"), "{shown}");
    assert!(!desk.in_work("ran").exists());

    let ro = desk.run(&["--read-only", "runbook", "run", "touch", "--yes"]);
    assert_eq!(ro.status.code(), Some(1));
    assert!(text(&ro.stderr).contains("read-only"));
    assert!(!desk.in_work("ran").exists());

    // No terminal to ask on and no --yes: nothing runs.
    let unasked = desk.run(&["runbook", "run", "touch"]);
    assert_eq!(unasked.status.code(), Some(2));
    assert!(text(&unasked.stderr).contains("--yes"));
    assert!(!desk.in_work("ran").exists());
    assert!(desk.run_log().is_empty());
}

#[test]
fn list_show_and_broken_files() {
    let desk = Desk::new();
    desk.write(
        "payments-db",
        "+++\ntitle = \"Payments DB saturation\"\nmatch = { alertname = \"PostgresTooManyConnections\" }\n+++\n\
         Intro.\n## Count\n```sh\npsql -c 'select 1'\n```\n## Tell\n- [ ] posted in #payments\n",
    );
    desk.write("broken", "+++\ntitle = \"x\"\ntimeout = \"soon\"\n+++\n");
    let list = desk.run(&["runbook", "list"]);
    assert_eq!(
        list.status.code(),
        Some(3),
        "a broken runbook makes the answer partial"
    );
    let table = text(&list.stdout);
    assert!(table.contains("payments-db"), "{table}");
    assert!(
        table.contains("alertname=\"PostgresTooManyConnections\""),
        "{table}"
    );
    let stderr = text(&list.stderr);
    assert!(stderr.contains("broken.md:3: key `timeout`"), "{stderr}");

    let json: Value =
        serde_json::from_slice(&desk.run(&["runbook", "list", "-o", "json"]).stdout).unwrap();
    assert_eq!(json["runbooks"][0]["name"], "payments-db");
    assert_eq!(json["runbooks"][0]["steps"], 2);
    assert_eq!(json["problems"].as_array().unwrap().len(), 1);

    let show = desk.run(&["runbook", "show", "payments-db"]);
    let shown = text(&show.stdout);
    assert!(shown.contains("1/2 Count (runs, timeout 5m)"), "{shown}");
    assert!(shown.contains("$ psql -c 'select 1'"), "{shown}");
    assert!(shown.contains("- [ ] posted in #payments"), "{shown}");

    let missing = desk.run(&["runbook", "show", "nope"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("runbooks: payments-db"));
}

#[test]
fn on_a_terminal_each_step_waits_for_an_answer() {
    let desk = Desk::new();
    desk.write(
        "steps",
        &runbook(
            "Steps",
            &[
                ("First", "sh", "touch first-ran; echo first done"),
                ("Second", "sh", "touch second-ran"),
                ("Third", "sh", "touch third-ran"),
            ],
        ),
    );
    let mut cmd = common::pty::clops_command(desk.home.path(), &["runbook", "run", "steps"]);
    cmd.cwd(desk.work.path());
    let mut s = common::pty::Session::spawn(cmd, 100, 30);
    s.wait_for("the first question", |sc| {
        sc.contains("$ touch first-ran") && sc.contains("run it?")
    });
    assert!(!desk.in_work("first-ran").exists(), "ran before the answer");
    s.send(b"y\r");
    s.wait_for("the first step's end", |sc| {
        sc.contains("first done") && sc.contains("✓ exit 0")
    });
    s.wait_for("the second question", |sc| {
        sc.contains("$ touch second-ran")
    });
    s.send(b"s\r");
    s.wait_for("the third question", |sc| sc.contains("$ touch third-ran"));
    s.send(b"q\r");
    assert_eq!(s.wait_exit(), 1, "stopping before the end is not success");
    assert!(desk.in_work("first-ran").exists());
    assert!(!desk.in_work("second-ran").exists(), "a skipped step ran");
    assert!(!desk.in_work("third-ran").exists(), "ran after quit");
    assert_eq!(
        desk.run_log().len(),
        2,
        "only the step that ran is recorded"
    );
}

/// The `NAME=value` lines a step printed between `---env---` and `---end---`.
fn printed_env(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .skip_while(|l| *l != "---env---")
        .skip(1)
        .take_while(|l| *l != "---end---")
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn a_step_gets_the_allowlist_its_labels_and_what_it_declares_never_a_token() {
    let desk = Desk::new();
    desk.write(
        "kube",
        "+++\ntitle = \"Kube\"\nenv = [\"KUBECONFIG\"]\n+++\n## Show env\n```sh\necho ---env---; env; echo ---end---\n```\n",
    );
    let out = desk
        .clops(&[
            "runbook",
            "run",
            "kube",
            "--yes",
            "--label",
            "service=payments",
        ])
        .env("CLOPS_TOKEN_FOO", "secret")
        .env("SOME_OTHER", "x")
        .env("KUBECONFIG", "/home/alice/.kube/prod")
        .env("LANG", "C.UTF-8")
        .env("TZ", "UTC")
        .env("USER", "alice")
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    let env = printed_env(&stdout);
    let names: Vec<&str> = env.iter().map(|(k, _)| k.as_str()).collect();
    // sh sets a few of its own; nothing else comes from the caller.
    let allowed = |n: &str| {
        ["PATH", "HOME", "USER", "LANG", "TERM", "TZ"].contains(&n)
            || n.starts_with("CLOPS_LABEL_")
            || ["KUBECONFIG", "CLOPS_RUNBOOK_DIR"].contains(&n)
            || ["PWD", "SHLVL", "_", "OLDPWD"].contains(&n)
    };
    let strays: Vec<&&str> = names.iter().filter(|n| !allowed(n)).collect();
    assert!(strays.is_empty(), "{strays:?} in {names:?}");
    for (k, v) in [
        ("KUBECONFIG", "/home/alice/.kube/prod"),
        ("CLOPS_LABEL_SERVICE", "payments"),
        ("LANG", "C.UTF-8"),
        ("TZ", "UTC"),
        ("USER", "alice"),
    ] {
        assert!(env.contains(&(k.into(), v.into())), "{k}: {env:?}");
    }
    assert!(
        names.contains(&"PATH") && names.contains(&"HOME"),
        "{names:?}"
    );
    assert!(
        names.contains(&"CLOPS_RUNBOOK_DIR"),
        "a file runbook's steps get its dir: {names:?}"
    );
    assert!(!stdout.contains("secret"), "{stdout}");
    // The run says what the steps get before they run.
    assert!(
        stdout.contains("and from your environment, where set: PATH, HOME, USER, LANG, TERM, TZ; KUBECONFIG (declared by the runbook)"),
        "{stdout}"
    );

    // A runbook that asks for a token is not a runbook clops runs.
    desk.write(
        "leak",
        "+++\ntitle = \"Leak\"\nenv = [\"CLOPS_TOKEN_FOO\"]\n+++\n## s\n```sh\nenv\n```\n",
    );
    let list = desk.run(&["runbook", "list"]);
    assert_eq!(list.status.code(), Some(3));
    let stderr = text(&list.stderr);
    assert!(
        stderr.contains("leak.md:3: key `env`")
            && stderr.contains("tokens never reach runbook steps"),
        "{stderr}"
    );
    let run = desk
        .clops(&["runbook", "run", "leak", "--yes"])
        .env("CLOPS_TOKEN_FOO", "secret")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(!text(&run.stdout).contains("secret"));
}

#[test]
fn a_step_reading_an_unset_value_is_refused_unless_given() {
    let desk = Desk::new();
    desk.write(
        "drain",
        &runbook(
            "Drain",
            &[
                (
                    "Look",
                    "sh",
                    "echo looking at ${CLOPS_LABEL_POD:-every pod}",
                ),
                (
                    "Drain",
                    "sh",
                    "echo cordon $CLOPS_LABEL_NODE; touch drained-\"${CLOPS_LABEL_NODE}\"",
                ),
            ],
        ),
    );
    let refused = desk.run(&["runbook", "run", "drain", "--yes"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = text(&refused.stderr);
    assert!(
        stderr.contains(
            "step 2/2 \"Drain\" reads $CLOPS_LABEL_NODE, which is not set: give --label node=…"
        ),
        "{stderr}"
    );
    assert!(
        !stderr.contains("CLOPS_LABEL_POD"),
        "a guarded read is fine: {stderr}"
    );
    assert!(
        !text(&refused.stdout).contains("looking at"),
        "a step ran before the refusal"
    );
    assert!(desk.run_log().is_empty());

    // The dry run says so, and runs nothing.
    let dry = desk.run(&["runbook", "run", "drain", "--dry-run"]);
    assert!(dry.status.success());
    let shown = text(&dry.stdout);
    assert!(
        shown.contains("⚠ step 2/2 \"Drain\" reads $CLOPS_LABEL_NODE, which is not set"),
        "{shown}"
    );
    assert!(shown.contains("a run would be refused"), "{shown}");

    // Given, it runs; given empty on purpose, it runs too.
    let given = desk.run(&["runbook", "run", "drain", "--yes", "--label", "node=n-7"]);
    assert!(given.status.success(), "{}", text(&given.stderr));
    assert!(text(&given.stdout).contains("cordon n-7"));
    let empty = desk.run(&["runbook", "run", "drain", "--yes", "--label", "node="]);
    assert!(empty.status.success(), "{}", text(&empty.stderr));
    assert!(desk.in_work("drained-").exists());

    // $CLOPS_INCIDENT without an incident is refused the same way.
    desk.write(
        "note",
        &runbook("Note", &[("Note", "sh", "echo noting in $CLOPS_INCIDENT")]),
    );
    let refused = desk.run(&["runbook", "run", "note", "--yes"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr)
            .contains("reads $CLOPS_INCIDENT, which is not set: give --incident ID"),
        "{}",
        text(&refused.stderr)
    );
}

#[test]
fn commands_are_printed_whole_with_what_hides_text_made_visible() {
    let desk = Desk::new();
    let spaces = " ".repeat(3000);
    desk.write(
        "hide",
        &runbook(
            "Hide",
            &[
                ("Spaces", "sh", &format!("echo hello{spaces}; touch x")),
                ("Zero width", "sh", "echo ok\u{200b}; echo \u{202e}fdsa"),
            ],
        ),
    );
    let show = text(&desk.run(&["runbook", "show", "hide"]).stdout);
    assert!(show.contains("$ echo hello␠×3000; touch x"), "{show}");
    assert!(
        show.contains("$ echo ok<U+200B>; echo <U+202E>fdsa"),
        "{show}"
    );
    let dry = text(&desk.run(&["runbook", "run", "hide", "--dry-run"]).stdout);
    assert!(
        dry.contains("would run: echo hello␠×3000; touch x"),
        "{dry}"
    );
    let ran = desk.run(&["runbook", "run", "hide", "--yes"]);
    assert!(ran.status.success());
    let stdout = text(&ran.stdout);
    assert!(stdout.contains("$ echo hello␠×3000; touch x"), "{stdout}");
    assert!(desk.in_work("x").exists(), "what was shown is what ran");
}

#[test]
fn alert_feeds_the_labels_of_an_alert_the_sources_report() {
    common::servers::require_servers();
    let am = common::servers::Alertmanager::start();
    let now = chrono::Utc::now();
    let at = |d: chrono::Duration| (now + d).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    am.post_alerts(&serde_json::json!([{
        "labels": {"alertname": "KubeNodeNotReady", "node": "n-7", "cluster": "prod-eu",
                   "service": "payments", "severity": "critical"},
        "annotations": {"summary": "node n-7 is not ready"},
        "startsAt": at(chrono::Duration::minutes(-5)),
        "endsAt": at(chrono::Duration::hours(6)),
    }]));
    common::servers::eventually("the alert in Alertmanager", || {
        am.alerts().as_array().is_some_and(|a| !a.is_empty())
    });
    let fingerprint = am.alerts()[0]["fingerprint"].as_str().unwrap().to_string();
    let desk = Desk::new();
    std::fs::write(
        desk.home.path().join("config/clops/config.toml"),
        format!(
            "[[sources]]\nname = \"eu\"\nkind = \"alertmanager\"\nurl = \"{}\"\n",
            am.url
        ),
    )
    .unwrap();
    desk.write(
        "node",
        "+++\ntitle = \"Node not ready\"\nmatch = { alertname = \"KubeNodeNotReady\" }\n+++\n\
         ## Cordon\n```sh\necho cordon $CLOPS_LABEL_NODE in $CLOPS_LABEL_CLUSTER\n```\n",
    );
    let out = desk.run(&["runbook", "run", "node", "--yes", "--alert", &fingerprint]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("cordon n-7 in prod-eu"), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "for alert KubeNodeNotReady · service payments · cluster prod-eu · fingerprint {fingerprint}"
        )),
        "{stdout}"
    );
    // --label wins over the alert's own.
    let out = desk.run(&[
        "runbook",
        "run",
        "node",
        "--yes",
        "--alert",
        &fingerprint,
        "--label",
        "node=n-9",
    ]);
    assert!(text(&out.stdout).contains("cordon n-9 in prod-eu"));
    // An alert no source reports, or not a fingerprint at all: nothing runs.
    for (fp, why) in [
        (
            "0123456789abcdef",
            "no source reports an alert 0123456789abcdef",
        ),
        ("node-7", "is not an alert fingerprint"),
    ] {
        let out = desk.run(&["runbook", "run", "node", "--yes", "--alert", fp]);
        assert_eq!(out.status.code(), Some(1));
        assert!(text(&out.stderr).contains(why), "{}", text(&out.stderr));
        assert!(!text(&out.stdout).contains("cordon"));
    }
}
