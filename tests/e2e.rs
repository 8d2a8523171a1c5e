//! The real binary in a real pseudo-terminal: what a user sees and what is left of
//! their terminal afterwards.

mod common;

use common::pty::{Session, clops_command};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

fn shows_incident(screen: &str) -> bool {
    screen.contains("clops demo") && screen.contains("CRIT") && screen.contains("HighErrorRate")
}

#[test]
fn demo_shows_an_incident_then_help_then_quits_cleanly() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::spawn(clops_command(home.path(), &["demo"]), 80, 24);
    s.wait_for("the demo incident from both clusters", |sc| {
        shows_incident(sc) && sc.contains("demo-eu") && sc.contains("demo-us")
    });
    assert!(
        s.with_screen(|sc| sc.alternate_screen()),
        "draws on the alternate screen"
    );

    s.send(b"?");
    // The screen arrives in pieces: wait for all of the overlay and its footer.
    s.wait_for("the help overlay with its footer", |sc| {
        sc.contains("Help")
            && sc.contains("j/down")
            && sc.contains("move down")
            && sc.contains("esc close")
            && sc.contains("q quit")
    });

    s.send(b"q");
    assert_eq!(s.wait_exit(), 0);
    s.with_screen(|sc| {
        assert!(!sc.alternate_screen(), "left the alternate screen");
        assert!(!sc.hide_cursor(), "the cursor is visible again");
    });
    let raw = s.raw.lock().unwrap().clone();
    let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(64)..]).to_string();
    assert!(
        tail.contains("\x1b[?1049l") && tail.contains("\x1b[?25h"),
        "{tail:?}"
    );
}

/// The parameters of every SGR sequence (`ESC [ … m`) in `bytes`.
fn sgr_params(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = Vec::new();
    let mut rest = &text[..];
    while let Some(i) = rest.find("\x1b[") {
        rest = &rest[i + 2..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(rest.len());
        if rest[end..].starts_with('m') {
            out.push(rest[..end].to_string());
        }
        rest = &rest[end..];
    }
    out
}

fn is_colour(param: &str) -> bool {
    param.split(';').any(|p| {
        matches!(
            p.parse::<u32>(),
            Ok(30..=39 | 40..=49 | 58 | 59 | 90..=97 | 100..=107)
        )
    })
}

/// Runs the demo with `args` and `env`, opens an alert's detail and help, quits, and
/// returns the parameters of every SGR sequence written.
fn sgr_of_a_session(args: &[&str], env: &[(&str, &str)]) -> Vec<String> {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = clops_command(home.path(), args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut s = Session::spawn(cmd, 80, 24);
    s.wait_for("the demo incident", shows_incident);
    s.send(b"j\r?");
    s.wait_for("the help overlay", |sc| sc.contains("Help"));
    s.send(b"q");
    assert_eq!(s.wait_exit(), 0);
    sgr_params(&s.raw.lock().unwrap())
}

#[test]
fn no_color_writes_no_colour_escape_codes_at_all() {
    for (args, env) in [
        (vec!["demo"], vec![("NO_COLOR", "1")]),
        (vec!["--no-color", "demo"], vec![]),
        (vec!["--theme", "light", "--no-color", "demo"], vec![]),
    ] {
        let params = sgr_of_a_session(&args, &env);
        assert!(
            !params.is_empty(),
            "attributes (bold, reverse) are still used"
        );
        let colours: Vec<&String> = params.iter().filter(|p| is_colour(p)).collect();
        assert!(
            colours.is_empty(),
            "{args:?} {env:?}: colour codes written: {colours:?}"
        );
    }
}

#[test]
fn the_theme_flag_paints_the_chosen_theme() {
    // light paints its own background (#f5f5f5; 256-colour xterm shows it as 255).
    let params = sgr_of_a_session(&["--theme", "light", "demo"], &[]);
    assert!(params.iter().any(|p| p.contains("48;5;255")), "{params:?}");
    let default = sgr_of_a_session(&["demo"], &[]);
    assert!(!default.iter().any(|p| p.contains("48;5;255")));
}

#[test]
fn with_colour_the_same_screen_does_use_colour() {
    // The counterpart of the NO_COLOR test, so that one cannot pass by accident.
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::spawn(clops_command(home.path(), &["demo"]), 80, 24);
    s.wait_for("the demo incident", shows_incident);
    s.send(b"q");
    assert_eq!(s.wait_exit(), 0);
    let params = sgr_params(&s.raw.lock().unwrap());
    assert!(params.iter().any(|p| is_colour(p)), "{params:?}");
}

#[test]
fn resizing_redraws_at_the_new_size() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::spawn(clops_command(home.path(), &["demo"]), 80, 24);
    s.wait_for("the demo incident", shows_incident);
    s.resize(120, 30);
    // The detail pane moves beside the list only from 140 columns; at 120 the bottom
    // border sits on row 28 and the status bar spans the new width.
    s.wait_for("a redraw at 120x30", |sc| {
        let lines: Vec<&str> = sc.lines().collect();
        lines.len() >= 29 && lines[0].chars().count() > 100 && lines[28].starts_with('└')
    });
    s.send(b"q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn sigterm_restores_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::spawn(clops_command(home.path(), &["demo"]), 80, 24);
    s.wait_for("the demo incident", shows_incident);
    let pid = Pid::from_raw(s.child.process_id().unwrap() as i32);
    kill(pid, Signal::SIGTERM).unwrap();
    assert_eq!(s.wait_exit(), 0);
    assert!(!s.with_screen(|sc| sc.alternate_screen()));
}

#[test]
fn ctrl_z_gives_the_shell_back_and_fg_resumes() {
    // A job-control shell in the pty, as on a jump host: ctrl-z must stop clops with
    // the terminal restored, and `fg` must bring the console back.
    if std::process::Command::new("bash")
        .arg("--version")
        .output()
        .is_err()
    {
        panic!("bash is needed for the job-control test");
    }
    let home = tempfile::tempdir().unwrap();
    let mut cmd = clops_command(home.path(), &[]);
    let mut shell = portable_pty::CommandBuilder::new("bash");
    shell.args(["--norc", "--noprofile", "-i"]);
    for (k, v) in cmd.iter_full_env_as_str() {
        shell.env(k, v);
    }
    shell.env("PS1", "jump$ ");
    cmd = shell;
    let mut s = Session::spawn(cmd, 80, 24);
    s.wait_for("the shell prompt", |sc| sc.contains("jump$"));
    s.send(format!("{} demo\r", env!("CARGO_BIN_EXE_clops")).as_bytes());
    s.wait_for("the demo incident", shows_incident);
    s.send(&[0x1a]); // ctrl-z
    let stopped = s.wait_for("the shell after ctrl-z", |sc| sc.contains("Stopped"));
    assert!(!s.with_screen(|sc| sc.alternate_screen()), "{stopped}");
    assert!(!s.with_screen(|sc| sc.hide_cursor()));
    s.send(b"fg\r");
    s.wait_for("the console again", |sc| {
        shows_incident(sc) && !sc.contains("Stopped")
    });
    assert!(s.with_screen(|sc| sc.alternate_screen()));
    s.send(b"q");
    s.wait_for("the prompt after quitting", |sc| {
        sc.matches("jump$").count() >= 2
    });
    s.send(b"exit\r");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn a_panic_gives_the_terminal_back_before_the_message() {
    // examples/panic_probe enters the terminal as the console does and then panics.
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_clops"));
    let probe = exe.parent().unwrap().join("examples/panic_probe");
    // Always ask cargo: `cargo test --test e2e` alone does not rebuild examples, and a
    // stale probe would test old code. Up to date, this takes a moment.
    let release = exe.components().any(|c| c.as_os_str() == "release");
    let built = std::process::Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--example", "panic_probe"])
        .args(release.then_some("--release"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(
        built.success() && probe.exists(),
        "cannot build examples/panic_probe"
    );
    let home = tempfile::tempdir().unwrap();
    let mut cmd = portable_pty::CommandBuilder::new(probe);
    cmd.env("HOME", home.path());
    cmd.env("TERM", "xterm-256color");
    let mut s = Session::spawn(cmd, 80, 24);
    s.wait_for("the probe's screen", |sc| sc.contains("console up"));
    assert_ne!(s.wait_exit(), 0);
    let screen = s.screen();
    s.with_screen(|sc| {
        assert!(
            !sc.alternate_screen(),
            "still on the alternate screen:\n{screen}"
        );
        assert!(!sc.hide_cursor(), "cursor still hidden");
    });
    assert!(
        screen.contains("probe panic"),
        "the panic message is readable:\n{screen}"
    );
}
