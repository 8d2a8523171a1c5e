//! Tokens never leak and never hold clops up. Backends that refuse the token and echo
//! it back (raw, JSON-escaped, percent-encoded, and as the Basic header of a
//! `username` source) get it shown nowhere: not on stderr, not in `alerts -o json`,
//! not in the console's footer or `S` view, not in clops.log. A token_command that
//! leaves a child holding its output, or that is slow, neither delays the answer past
//! its token nor the console's first frame, and nothing it started outlives clops.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::fake_http::{FakeServer, Reply, Request};
use common::pty::{PATIENCE, Session, clops_command};
use serde_json::{Value, json};

/// A bearer token with `/`, `+` and `=`, so its JSON-escaped and percent-encoded forms
/// differ from it.
const TOKEN: &str = "s3cr3t/Bearer+Token=42";
const USER: &str = "clops-bot";
const PASSWORD: &str = "pa55/Word+Basic=99";

/// `Authorization: Basic` of USER:PASSWORD.
fn basic_header() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"))
}

/// Every form a backend might echo `secret` in.
fn echoes(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).unwrap();
    let json = json[1..json.len() - 1].replace('/', "\\/");
    let percent = percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    vec![secret.to_string(), json, percent]
}

/// The forms of either secret found in `text`.
fn leaks(text: &str) -> Vec<String> {
    let mut secrets = echoes(TOKEN);
    secrets.extend(echoes(PASSWORD));
    secrets.push(basic_header());
    secrets.into_iter().filter(|s| text.contains(s)).collect()
}

/// A backend that refuses with `status` and a JSON error echoing what it was sent, in
/// every form `echoes` knows.
fn echoing(status: u16) -> FakeServer {
    FakeServer::start(move |r: &Request| {
        let auth = r.header("authorization").unwrap_or("").to_string();
        let secret = auth
            .strip_prefix("Bearer ")
            .map(str::to_string)
            .unwrap_or_else(|| PASSWORD.to_string());
        let forms = echoes(&secret);
        let message = format!(
            "invalid credentials {} (sent `Authorization: {auth}`; as JSON {}; in a URL /?token={})",
            forms[0], forms[1], forms[2]
        );
        Reply::status(status).body(&json!({ "status": "error", "error": message }).to_string())
    })
}

/// Answers an empty Alertmanager.
fn healthy() -> FakeServer {
    FakeServer::start(|_| Reply::json(&json!([])))
}

struct Setup {
    home: tempfile::TempDir,
    config: PathBuf,
    _servers: Vec<FakeServer>,
}

impl Setup {
    fn log(&self) -> PathBuf {
        self.home.path().join("state/clops/clops.log")
    }
}

/// Three sources: one whose bearer token (from a 0600 token_file) is refused with a
/// 401, one whose Basic password (from a token_command) gets a 500, one healthy.
fn refusing_backends() -> Setup {
    let home = tempfile::tempdir().unwrap();
    let token_file = home.path().join("prod.token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (bearer, basic, fine) = (echoing(401), echoing(500), healthy());
    let config = home.path().join("clops.toml");
    std::fs::write(
        &config,
        format!(
            r#"
[[sources]]
name = "prod"
kind = "alertmanager"
url = "{}"
token_file = "{}"

[[sources]]
name = "staging"
kind = "alertmanager"
url = "{}"
username = "{USER}"
token_command = "echo {PASSWORD}"

[[sources]]
name = "lab"
kind = "alertmanager"
url = "{}"
"#,
            bearer.url(),
            token_file.display(),
            basic.url(),
            fine.url()
        ),
    )
    .unwrap();
    Setup {
        home,
        config,
        _servers: vec![bearer, basic, fine],
    }
}

/// `clops --config CONFIG ARGS` with a private home; gives up after the patience.
fn clops(home: &Path, config: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_clops"));
    cmd.arg("--config")
        .arg(config)
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("CLOPS_LOG", "debug");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(cmd.output().unwrap()));
    rx.recv_timeout(PATIENCE)
        .expect("clops did not finish (waiting on a token_command's child?)")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

#[test]
fn a_refused_token_echoed_back_shows_nowhere_in_one_shot_output_or_the_log() {
    let s = refusing_backends();

    let out = clops(s.home.path(), &s.config, &["alerts"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("source prod failed") && stderr.contains("HTTP 401"),
        "{stderr}"
    );
    assert!(
        stderr.contains("source staging failed") && stderr.contains("HTTP 500"),
        "{stderr}"
    );
    assert!(stderr.contains("[redacted]"), "{stderr}");
    assert_eq!(leaks(&stderr), Vec::<String>::new(), "{stderr}");

    let out = clops(s.home.path(), &s.config, &["alerts", "-o", "json"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let error = |name: &str| {
        v["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap()["error"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        error("prod").contains("HTTP 401")
            && error("prod").contains("invalid credentials [redacted]"),
        "{stdout}"
    );
    assert!(error("staging").contains("Basic [redacted]"), "{stdout}");
    assert_eq!(leaks(&stdout), Vec::<String>::new(), "{stdout}");
    assert_eq!(leaks(&text(&out.stderr)), Vec::<String>::new());

    let log = std::fs::read_to_string(s.log()).unwrap();
    assert!(
        log.contains("HTTP 401") && log.contains("HTTP 500"),
        "{log}"
    );
    assert_eq!(leaks(&log), Vec::<String>::new(), "{log}");
    let mode = std::fs::metadata(s.log()).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn a_refused_token_echoed_back_shows_nowhere_in_the_console() {
    let s = refusing_backends();
    let mut cmd = clops_command(s.home.path(), &["--config", s.config.to_str().unwrap()]);
    cmd.env("CLOPS_LOG", "debug");
    let mut session = Session::spawn(cmd, 160, 48);
    session.wait_for("the footer naming the refused source", |sc| {
        sc.contains("prod: 127.0.0.1") && sc.contains("HTTP 401") && sc.contains("[redacted]")
    });
    session.send(b"S");
    let screen = session.wait_for("the sources view with both refusals", |sc| {
        sc.contains("Sources") && sc.contains("HTTP 401") && sc.contains("HTTP 500")
    });
    // Long errors wrap in the view: the Basic header and its value fall on two rows.
    assert!(
        screen.contains("Authorization: Basic") && screen.matches("[redacted]").count() >= 8,
        "{screen}"
    );
    session.send(b"q");
    assert_eq!(session.wait_exit(), 0);
    // Everything ever written to the terminal, not just what is on it at the end.
    let raw = text(&session.raw.lock().unwrap());
    assert_eq!(leaks(&raw), Vec::<String>::new(), "{screen}");

    let log = std::fs::read_to_string(s.log()).unwrap();
    assert!(log.contains("HTTP 401"), "{log}");
    assert_eq!(leaks(&log), Vec::<String>::new(), "{log}");
    let mode = std::fs::metadata(s.log()).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

/// Whether process `pid` still runs (a zombie waiting to be reaped does not).
fn running(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).is_ok_and(|stat| {
        let state = stat
            .rsplit(')')
            .next()
            .and_then(|r| r.split_whitespace().next());
        !matches!(state, Some("Z" | "X"))
    })
}

/// Waits, patiently, for process `pid` to be gone.
fn gone(pid: &str) -> bool {
    let start = Instant::now();
    while running(pid) {
        if start.elapsed() > PATIENCE {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}

/// The contents of `path` once something has written a line to it.
fn written(path: &Path) -> String {
    let start = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(path)
            && text.ends_with('\n')
        {
            return text;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "{} never written",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A backend that records the Authorization header of each request.
fn recording() -> FakeServer {
    FakeServer::start(|_| Reply::json(&json!([])))
}

#[test]
fn a_token_command_whose_child_holds_its_output_answers_at_once_and_leaves_nothing() {
    let home = tempfile::tempdir().unwrap();
    let server = recording();
    let pid = home.path().join("sleep.pid");
    let config = home.path().join("clops.toml");
    // The default limit is 10s; a second clops run must not be needed to see the
    // token, and the sleep must not run on.
    std::fs::write(
        &config,
        format!(
            "[[sources]]\nname = \"prod\"\nkind = \"alertmanager\"\nurl = \"{}\"\n\
             token_command = \"echo cmd-token-8c1d; sleep 3600 & echo $! > {}\"\n",
            server.url(),
            pid.display()
        ),
    )
    .unwrap();
    let out = clops(home.path(), &config, &["alerts", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["sources"][0]["status"], "ok");
    let auth: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|r| r.header("authorization").map(str::to_string))
        .collect();
    assert!(
        !auth.is_empty() && auth.iter().all(|a| a == "Bearer cmd-token-8c1d"),
        "{auth:?}"
    );
    let sleep = written(&pid);
    assert!(
        gone(&sleep),
        "the token_command's background sleep {sleep} survived"
    );

    // One that never prints: a clear error at its limit, and again nothing left.
    std::fs::write(
        &config,
        format!(
            "[[sources]]\nname = \"prod\"\nkind = \"alertmanager\"\nurl = \"{}\"\n\
             token_command = \"sleep 3600 & echo $! > {}\"\ntoken_timeout = \"500ms\"\n",
            server.url(),
            pid.display()
        ),
    )
    .unwrap();
    std::fs::remove_file(&pid).unwrap();
    let out = clops(home.path(), &config, &["alerts"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("prod: source prod: token_command printed nothing within 500ms"),
        "{stderr}"
    );
    let sleep = written(&pid);
    assert!(
        gone(&sleep),
        "the token_command's background sleep {sleep} survived"
    );
}

#[test]
fn a_slow_token_command_does_not_hold_the_console() {
    let home = tempfile::tempdir().unwrap();
    let server = recording();
    let pid = home.path().join("command.pid");
    let config = home.path().join("clops.toml");
    std::fs::write(
        &config,
        format!(
            "[[sources]]\nname = \"prod\"\nkind = \"alertmanager\"\nurl = \"{}\"\n\
             token_command = \"echo $$ > {}; sleep 3600; echo late-token-1234\"\n\
             token_timeout = \"2h\"\n",
            server.url(),
            pid.display()
        ),
    )
    .unwrap();
    let mut s = Session::spawn(
        clops_command(home.path(), &["--config", config.to_str().unwrap()]),
        160,
        48,
    );
    s.wait_for("the first frame, the source authenticating", |sc| {
        sc.contains("prod authenticating")
    });
    // The command is running now, and the console still answers keys.
    let command = written(&pid);
    s.send(b"S");
    s.wait_for("the sources view", |sc| {
        sc.contains("Sources") && sc.contains("prod (alertmanager) authenticating")
    });
    s.send(b"q");
    assert_eq!(s.wait_exit(), 0);
    assert!(server.requests().is_empty(), "asked without a token");
    assert!(
        gone(&command),
        "the token_command {command} outlived the console"
    );
}

/// One source of `kind` (and `extra` keys) on `url`, its bearer token from a 0600
/// token_file; returns the home and the config.
fn one_source(kind: &str, url: &str, extra: &str) -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let token_file = home.path().join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let config = home.path().join("clops.toml");
    std::fs::write(
        &config,
        format!(
            "[[sources]]\nname = \"echo\"\nkind = \"{kind}\"\nurl = \"{url}\"\ntoken_file = \"{}\"\n{extra}",
            token_file.display()
        ),
    )
    .unwrap();
    (home, config)
}

#[test]
fn the_slo_poller_and_deploy_sources_scrub_an_echoed_token_too() {
    let server = echoing(401);

    // SLOs build their own Prometheus clients from the token chain.
    let (home, config) = one_source(
        "prometheus",
        &server.url(),
        "\n[[slos]]\nname = \"checkout-availability\"\nservice = \"checkout\"\n\
         objective = 99.9\nsource = \"echo\"\nratio = 'sum(rate(errors[{{window}}]))'\n",
    );
    for args in [&["slo"][..], &["slo", "-o", "json"]] {
        let out = clops(home.path(), &config, args);
        let all = text(&out.stdout) + &text(&out.stderr);
        assert_ne!(out.status.code(), Some(0), "{all}");
        assert!(
            all.contains("HTTP 401") && all.contains("[redacted]"),
            "{all}"
        );
        assert_eq!(leaks(&all), Vec::<String>::new(), "{all}");
    }

    // A deploy source (GitHub here) refused the same way.
    let (home, config) = one_source("github", &server.url(), "repo = \"acme/checkout\"\n");
    for args in [&["deploys"][..], &["deploys", "-o", "json"]] {
        let out = clops(home.path(), &config, args);
        let all = text(&out.stdout) + &text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{all}");
        assert!(
            all.contains("HTTP 401") && all.contains("[redacted]"),
            "{all}"
        );
        assert_eq!(leaks(&all), Vec::<String>::new(), "{all}");
        let log = std::fs::read_to_string(home.path().join("state/clops/clops.log")).unwrap();
        assert_eq!(leaks(&log), Vec::<String>::new(), "{log}");
    }
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("authorization") == Some(&format!("Bearer {TOKEN}"))),
        "every request carried the token"
    );
}
