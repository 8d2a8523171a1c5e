//! Running one command (a runbook step, a deploy source's command): `sh -c COMMAND` as the leader of its own process group, so a
//! timeout or the kill switch ends the step and everything it started. Its environment
//! is built from nothing: a few names from the caller ([`INHERITED`]), what the runbook
//! declares, and what clops sets. Tokens in the caller's environment never reach it.
//!
//! Output is read line by line on two threads and handed over as it comes; the caller
//! decides where it goes (the console's pane, the CLI's stdout).

use std::collections::VecDeque;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use crate::text::clean_line;
use crate::text::time::Style;

/// What to run.
#[derive(Debug, Clone, PartialEq)]
pub struct StepCommand {
    pub command: String,
    /// What clops sets: `CLOPS_LABEL_*`, `CLOPS_INCIDENT`.
    pub env: Vec<(String, String)>,
    pub timeout: Duration,
    /// The runbook's directory, as `CLOPS_RUNBOOK_DIR`, for scripts kept beside it.
    pub runbook_dir: Option<PathBuf>,
    /// What it takes from the caller's environment.
    pub inherit: Inherit,
}

/// What a command takes from the caller's environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inherit {
    /// [`INHERITED`] and these names (a runbook's `env`); a token's name is never
    /// passed, whatever the list says.
    Allowlist(Vec<String>),
    /// All of it but the variables clops sets for runbook steps: for a command the
    /// user configured for clops itself (a deploys source), which runs as it would in
    /// their shell.
    Everything,
}

/// What every step gets from the caller's environment, when set there.
pub const INHERITED: [&str; 6] = ["PATH", "HOME", "USER", "LANG", "TERM", "TZ"];

/// True for names that hold a source's token (`CLOPS_TOKEN_<SOURCE>`).
pub fn is_token(name: &str) -> bool {
    name.to_ascii_uppercase().starts_with("CLOPS_TOKEN_")
}

impl StepCommand {
    /// The environment the step starts with, `caller` being the caller's: [`INHERITED`]
    /// and the declared names from there, then `env` and `CLOPS_RUNBOOK_DIR`. (With
    /// [`Inherit::Everything`], this is only what is added to the caller's.)
    pub fn environment(
        &self,
        caller: impl Fn(&str) -> Option<std::ffi::OsString>,
    ) -> Vec<(std::ffi::OsString, std::ffi::OsString)> {
        let mut out: Vec<(std::ffi::OsString, std::ffi::OsString)> = Vec::new();
        let declared = match &self.inherit {
            Inherit::Allowlist(names) => names.as_slice(),
            Inherit::Everything => &[],
        };
        let passed = INHERITED
            .iter()
            .copied()
            .chain(declared.iter().map(String::as_str))
            .filter(|name| !is_token(name) && !is_set_by_clops(name));
        for name in passed {
            if let Some(value) = caller(name)
                && !out.iter().any(|(k, _)| k == name)
            {
                out.push((name.into(), value));
            }
        }
        out.extend(
            self.env
                .iter()
                .filter(|(k, _)| !is_token(k))
                .map(|(k, v)| (k.into(), v.into())),
        );
        if let Some(dir) = &self.runbook_dir {
            out.push(("CLOPS_RUNBOOK_DIR".into(), dir.into()));
        }
        out
    }
}

/// Which pipe a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    Exited(i32),
    /// Ended by a signal it did not get from us.
    Signalled(i32),
    TimedOut,
    Cancelled,
    /// `sh` could not be started.
    NotStarted(String),
}

/// A finished step.
#[derive(Debug, Clone)]
pub struct Finished {
    pub ending: Ending,
    pub duration: Duration,
    /// The last [`TAIL_LINES`] lines of output, sanitized.
    pub tail: Vec<String>,
}

impl Finished {
    pub fn succeeded(&self) -> bool {
        self.ending == Ending::Exited(0)
    }

    /// The exit code the timeline records: `None` when the step did not exit by itself.
    pub fn exit_code(&self) -> Option<i32> {
        match self.ending {
            Ending::Exited(code) => Some(code),
            _ => None,
        }
    }

    /// "0.4s" under a minute, "2m05s" above.
    pub fn took(&self) -> String {
        Style::Step.format(self.duration)
    }

    /// "exit 0 in 0.4s", "timed out after 30s, killed", …
    pub fn summary(&self, timeout: Duration) -> String {
        match &self.ending {
            Ending::Exited(code) => format!("exit {code} in {}", self.took()),
            Ending::Signalled(sig) => format!("killed by signal {sig} after {}", self.took()),
            Ending::TimedOut => {
                format!("timed out after {}, killed", Style::Config.format(timeout))
            }
            Ending::Cancelled => format!("cancelled after {}, killed", self.took()),
            Ending::NotStarted(e) => format!("could not start: {e}"),
        }
    }
}

/// Lines of output kept for the timeline.
pub const TAIL_LINES: usize = 10;
/// A line longer than this is cut, so a step printing binary cannot fill memory.
const MAX_LINE: usize = 4096;
/// After SIGTERM, how long the group has before SIGKILL.
const GRACE: Duration = Duration::from_secs(2);

/// Runs `step`, calling `on_line` with each sanitized line of output as it arrives,
/// until it exits, its timeout passes, or `cancel` is set.
pub fn run(
    step: &StepCommand,
    cancel: &AtomicBool,
    mut on_line: impl FnMut(Stream, &str),
) -> Finished {
    let started = Instant::now();
    let mut tail: VecDeque<String> = VecDeque::with_capacity(TAIL_LINES);
    let mut keep = |stream: Stream, line: String, on_line: &mut dyn FnMut(Stream, &str)| {
        on_line(stream, &line);
        if tail.len() == TAIL_LINES {
            tail.pop_front();
        }
        tail.push_back(line);
    };
    let mut child = match spawn(step) {
        Ok(child) => child,
        Err(e) => {
            return Finished {
                ending: Ending::NotStarted(e.to_string()),
                duration: started.elapsed(),
                tail: Vec::new(),
            };
        }
    };
    let group = Pid::from_raw(child.id() as i32);
    let (tx, lines) = mpsc::channel();
    let readers = [
        child
            .stdout
            .take()
            .map(|p| reader(p, Stream::Stdout, tx.clone())),
        child
            .stderr
            .take()
            .map(|p| reader(p, Stream::Stderr, tx.clone())),
    ];
    drop(tx);
    let deadline = started + step.timeout;
    let ending = loop {
        while let Ok((stream, line)) = lines.recv_timeout(Duration::from_millis(20)) {
            keep(stream, line, &mut on_line);
        }
        match child.try_wait() {
            Ok(Some(status)) => {
                use std::os::unix::process::ExitStatusExt;
                break match (status.code(), status.signal()) {
                    (Some(code), _) => Ending::Exited(code),
                    (None, Some(sig)) => Ending::Signalled(sig),
                    (None, None) => Ending::Exited(-1),
                };
            }
            Ok(None) => {}
            Err(e) => break Ending::NotStarted(e.to_string()),
        }
        if cancel.load(Ordering::SeqCst) {
            stop(&mut child, group);
            break Ending::Cancelled;
        }
        if Instant::now() >= deadline {
            stop(&mut child, group);
            break Ending::TimedOut;
        }
    };
    // What the step left running in its group ends with it: a step is one unit the
    // responder can reason about.
    signal_group(group, Signal::SIGKILL);
    // The pipes close when the last process holding them is gone; one that escaped the
    // group (setsid) could hold them forever, so stop waiting after a moment.
    let drain_until = Instant::now() + Duration::from_secs(1);
    while Instant::now() < drain_until {
        match lines.recv_timeout(Duration::from_millis(20)) {
            Ok((stream, line)) => keep(stream, line, &mut on_line),
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
    }
    for handle in readers.into_iter().flatten() {
        if handle.is_finished() {
            let _ = handle.join();
        }
    }
    Finished {
        ending,
        duration: started.elapsed(),
        tail: tail.into(),
    }
}

fn spawn(step: &StepCommand) -> std::io::Result<Child> {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(&step.command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own group: the terminal's ctrl-c does not reach it directly, and we can
        // end it with everything it started.
        .process_group(0);
    match step.inherit {
        // Nothing of the caller's environment but what is named: it holds tokens.
        Inherit::Allowlist(_) => {
            command.env_clear();
            command.envs(step.environment(|name| std::env::var_os(name)));
        }
        Inherit::Everything => {
            for (name, _) in std::env::vars_os() {
                if is_set_by_clops(&name.to_string_lossy()) {
                    command.env_remove(&name);
                }
            }
            command.envs(step.environment(|_| None));
        }
    }
    command.spawn()
}

/// SIGTERM to the group, then SIGKILL if it has not gone after [`GRACE`].
fn stop(child: &mut Child, group: Pid) {
    signal_group(group, Signal::SIGTERM);
    let until = Instant::now() + GRACE;
    while Instant::now() < until {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    signal_group(group, Signal::SIGKILL);
    let _ = child.wait();
}

fn signal_group(group: Pid, signal: Signal) {
    // ESRCH (the group is already gone) is fine.
    let _ = killpg(group, signal);
}

/// Reads `pipe` into lines, cutting overlong ones, and sends each sanitized.
fn reader(
    mut pipe: impl Read + Send + 'static,
    stream: Stream,
    tx: mpsc::Sender<(Stream, String)>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut pending: Vec<u8> = Vec::new();
        let mut buf = [0u8; 8192];
        let send = |bytes: &[u8]| {
            // A step may print a secret it read itself: never show a known one.
            let line =
                crate::redact::scrub(&clean_line(&String::from_utf8_lossy(bytes))).into_owned();
            tx.send((stream, line)).is_ok()
        };
        loop {
            let n = match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            for &b in &buf[..n] {
                if b == b'\n' {
                    if !send(&pending) {
                        return;
                    }
                    pending.clear();
                } else if pending.len() < MAX_LINE {
                    pending.push(b);
                }
            }
        }
        if !pending.is_empty() {
            send(&pending);
        }
    })
}

/// True for the names clops sets for a step.
pub fn is_set_by_clops(name: &str) -> bool {
    name.starts_with("CLOPS_LABEL_") || name == "CLOPS_INCIDENT" || name == "CLOPS_RUNBOOK_DIR"
}

/// How much lower than the console's own thread the threads that work for it run
/// (parsing replies, triage, measuring SLOs): on a small machine under a storm they
/// fill every core, and a key must not wait behind them.
const WORKER_NICENESS: i32 = 10;

/// Lowers the calling thread's priority to [`WORKER_NICENESS`] (Linux keeps a nice
/// value per thread). Failing to is harmless: the thread just keeps its priority.
pub fn lower_this_thread() {
    let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), WORKER_NICENESS);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(command: &str, timeout: Duration) -> StepCommand {
        StepCommand {
            command: command.into(),
            env: vec![],
            timeout,
            runbook_dir: None,
            inherit: Inherit::Allowlist(vec![]),
        }
    }

    fn run_collect(s: &StepCommand) -> (Finished, Vec<(Stream, String)>) {
        let mut lines = Vec::new();
        let done = run(s, &AtomicBool::new(false), |st, l| {
            lines.push((st, l.to_string()))
        });
        (done, lines)
    }

    #[test]
    fn output_streams_by_pipe_and_exit_codes_come_back() {
        let (done, lines) = run_collect(&step(
            "echo out; echo err >&2; printf 'no newline'; exit 3",
            Duration::from_secs(10),
        ));
        assert_eq!(done.ending, Ending::Exited(3));
        assert!(!done.succeeded());
        assert!(lines.contains(&(Stream::Stdout, "out".into())));
        assert!(lines.contains(&(Stream::Stderr, "err".into())));
        assert!(lines.contains(&(Stream::Stdout, "no newline".into())));
    }

    #[test]
    fn escape_sequences_in_output_are_removed() {
        let (_, lines) = run_collect(&step(
            r"printf '\033]52;c;cm0gLXJmIC8=\007red\033[31m text\n'",
            Duration::from_secs(10),
        ));
        assert_eq!(lines, [(Stream::Stdout, "red text".to_string())]);
    }

    #[test]
    fn the_tail_keeps_the_last_lines() {
        let (done, _) = run_collect(&step("seq 1 25", Duration::from_secs(10)));
        let want: Vec<String> = (16..=25).map(|n| n.to_string()).collect();
        assert_eq!(done.tail, want);
    }

    #[test]
    fn a_missing_command_is_a_failed_exit_not_a_crash() {
        let (done, lines) = run_collect(&step("no-such-command-clops", Duration::from_secs(10)));
        assert_eq!(done.ending, Ending::Exited(127));
        assert!(
            lines.iter().any(|(_, l)| l.contains("not found")),
            "{lines:?}"
        );
    }

    #[test]
    fn the_environment_is_the_allowlist_what_is_declared_and_what_clops_sets() {
        let caller = |name: &str| -> Option<std::ffi::OsString> {
            match name {
                "PATH" => Some("/usr/bin".into()),
                "HOME" => Some("/home/alice".into()),
                "KUBECONFIG" => Some("/home/alice/.kube/prod".into()),
                "CLOPS_TOKEN_PROD_EU" => Some("secret".into()),
                "CLOPS_LABEL_NODE" => Some("from-the-caller".into()),
                "SOME_OTHER" => Some("x".into()),
                _ => None,
            }
        };
        let mut s = step("env", Duration::from_secs(1));
        s.env = vec![("CLOPS_LABEL_SERVICE".into(), "payments".into())];
        s.runbook_dir = Some("/rb".into());
        // A token's name is refused even when a runbook (or a caller) slips it in.
        s.inherit = Inherit::Allowlist(vec![
            "KUBECONFIG".into(),
            "CLOPS_TOKEN_PROD_EU".into(),
            "clops_token_prod_eu".into(),
            "CLOPS_LABEL_NODE".into(),
            "AWS_PROFILE".into(),
        ]);
        let env: Vec<(String, String)> = s
            .environment(caller)
            .into_iter()
            .map(|(k, v)| (k.into_string().unwrap(), v.into_string().unwrap()))
            .collect();
        let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("PATH", "/usr/bin"),
                ("HOME", "/home/alice"),
                ("KUBECONFIG", "/home/alice/.kube/prod"),
                ("CLOPS_LABEL_SERVICE", "payments"),
                ("CLOPS_RUNBOOK_DIR", "/rb"),
            ]
        );
    }

    #[test]
    fn a_step_sees_none_of_the_callers_other_variables() {
        // This process's own environment: whatever the test runner has, a step sees at
        // most the allowlist of it.
        let (done, lines) = run_collect(&step("env", Duration::from_secs(10)));
        assert!(done.succeeded());
        let names: Vec<&str> = lines
            .iter()
            .filter_map(|(_, l)| l.split_once('=').map(|(k, _)| k))
            .collect();
        let from_sh = ["PWD", "SHLVL", "_", "OLDPWD"];
        let strays: Vec<&&str> = names
            .iter()
            .filter(|n| !INHERITED.contains(n) && !from_sh.contains(n))
            .collect();
        assert!(strays.is_empty(), "{strays:?}");
    }
}
