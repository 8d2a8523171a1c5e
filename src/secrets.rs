//! Where a source's token comes from, tried in order:
//! `CLOPS_TOKEN_<SOURCE>` → OS keyring → `token_command` → `token_file` (mode 0600).
//!
//! Tokens are returned to the HTTP client and nowhere else: errors and `clops auth
//! status` name the provider, never the secret. Every token found is also taught to
//! [`crate::redact`], so a backend that echoes it back cannot get it shown.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use crate::config::{FileConfig, SourceConfig};
use crate::text::time::Style;

/// The keyring "service" clops stores tokens under.
pub const KEYRING_SERVICE: &str = "clops";

/// How long the keyring may take before clops gives up on it.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

/// The most a `token_command` may print: a token is a line, not a download.
const MAX_COMMAND_OUTPUT: usize = 64 * 1024;

/// The process groups of the token_commands running now.
static RUNNING: Mutex<Vec<Pid>> = Mutex::new(Vec::new());

/// Kills every token_command still running, with all it started: a console that quits
/// while one runs (off its screen, on a blocking thread) leaves nothing behind.
pub fn stop_token_commands() {
    for group in RUNNING.lock().unwrap_or_else(|e| e.into_inner()).drain(..) {
        kill_group(group);
    }
}

fn kill_group(group: Pid) {
    // ESRCH (the group is already gone) is fine.
    let _ = killpg(group, Signal::SIGKILL);
}

/// Which step of the chain supplied a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provider {
    Env(String),
    Keyring,
    Command,
    File(std::path::PathBuf),
}

impl std::fmt::Display for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Provider::Env(var) => write!(f, "environment variable {var}"),
            Provider::Keyring => write!(f, "OS keyring (service `{KEYRING_SERVICE}`)"),
            Provider::Command => write!(f, "token_command"),
            Provider::File(p) => write!(f, "token_file {}", p.display()),
        }
    }
}

/// A token and where it came from. Debug output never shows the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    pub secret: String,
    pub provider: Provider,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Token(from {})", self.provider)
    }
}

/// What the chain found for one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub token: Option<Token>,
    /// One line per step tried: what it found or why it was passed over.
    pub steps: Vec<String>,
}

/// A failure of a configured provider: the chain stops there rather than guess.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// The source's token_command could not give a token.
    #[error("source {name}: token_command {failure}")]
    TokenCommand {
        name: String,
        failure: TokenCommandError,
    },
    /// The source's token_file could not give a token.
    #[error("source {name}: {failure}")]
    TokenFile {
        name: String,
        failure: TokenFileError,
    },
}

/// Why a token_command gave no token. Its output is never part of it: it might be the
/// secret, or part of it.
#[derive(Debug, thiserror::Error)]
pub enum TokenCommandError {
    #[error("cannot start: {0}")]
    Start(std::io::Error),
    #[error("printed more than {} KiB", MAX_COMMAND_OUTPUT / 1024)]
    TooMuchOutput,
    /// Waiting for it failed.
    #[error("failed: {0}")]
    Wait(std::io::Error),
    #[error("failed ({0})")]
    Exit(std::process::ExitStatus),
    /// The shell was done at the limit, and what it left behind had printed nothing.
    #[error("printed nothing within {}", Style::Config.format(*.limit))]
    SilentAtLimit { limit: Duration },
    #[error(
        "did not finish within {} and was stopped (token_timeout sets the limit)",
        Style::Config.format(*.limit)
    )]
    Unfinished { limit: Duration },
    #[error("printed nothing")]
    Silent,
}

/// Why a token_file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TokenFileError {
    #[error("token_file {}: {error}", .path.display())]
    Unreadable {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "token_file {} can be read by others (mode {mode:04o}): run chmod 600 {}",
        .path.display(),
        .path.display()
    )]
    Readable { path: PathBuf, mode: u32 },
    #[error("token_file {} is empty", .path.display())]
    Empty { path: PathBuf },
}

/// Why the OS keyring could not be asked. It never carries what the keyring was
/// handed or answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyringError {
    #[error("no D-Bus session (as over SSH or in CI), so no Secret Service")]
    NoSession,
    #[error("no answer within {}s", .waited.as_secs())]
    NoAnswer { waited: Duration },
    #[error("no Secret Service answers on D-Bus")]
    NoService,
    #[error("the Secret Service refused access (locked?)")]
    Refused,
    #[error("the Secret Service failed")]
    ServiceFailed,
    #[error("no token stored")]
    NoToken,
    #[error("the keyring failed")]
    Failed,
}

/// The OS keyring, or a stand-in in tests. Shared with the tasks that find tokens off
/// the console's thread, hence `Send + Sync`.
pub trait Keyring: Send + Sync {
    /// The token stored for `source`: Ok(None) when there is none; Err(reason) when
    /// the keyring itself cannot be reached.
    fn get(&self, source: &str) -> Result<Option<String>, KeyringError>;
    /// Stores `token` for `source`.
    fn set(&self, source: &str, token: &str) -> Result<(), KeyringError>;
}

/// The environment variable that holds `source`'s token: `CLOPS_TOKEN_PROD_EU` for
/// `prod-eu`.
pub fn env_var(source: &str) -> String {
    let name: String = source
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("CLOPS_TOKEN_{name}")
}

/// Walks the chain for `source`. `env` reads the environment (injected for tests).
/// The token found, and its Basic form for a `username` source, are taught to
/// [`crate::redact`].
pub fn lookup(
    source: &SourceConfig,
    env: &dyn Fn(&str) -> Option<String>,
    keyring: &dyn Keyring,
) -> Result<Lookup, SecretError> {
    let found = walk(source, env, keyring)?;
    if let Some(token) = &found.token {
        let scrubbed = match &source.username {
            Some(user) => crate::redact::learn_basic(user, &token.secret),
            None => crate::redact::learn(&token.secret),
        };
        if !scrubbed {
            tracing::warn!(
                source = %source.name,
                provider = %token.provider,
                "the token is shorter than {} characters: clops cannot scrub it from text a backend echoes back",
                crate::redact::MIN_LEN
            );
        }
    }
    Ok(found)
}

fn walk(
    source: &SourceConfig,
    env: &dyn Fn(&str) -> Option<String>,
    keyring: &dyn Keyring,
) -> Result<Lookup, SecretError> {
    let mut steps = Vec::new();
    let var = env_var(&source.name);
    match env(&var).filter(|v| !v.trim().is_empty()) {
        Some(v) => return Ok(found(v, Provider::Env(var), steps)),
        None => steps.push(format!("{var} is not set")),
    }
    match keyring.get(&source.name) {
        Ok(Some(v)) if !v.trim().is_empty() => return Ok(found(v, Provider::Keyring, steps)),
        Ok(_) => steps.push("the keyring holds no token for it".into()),
        Err(reason) => steps.push(format!("keyring unavailable: {reason}")),
    }
    match &source.token_command {
        Some(cmd) => {
            let token = run_token_command(cmd, source.token_timeout()).map_err(|failure| {
                SecretError::TokenCommand {
                    name: source.name.clone(),
                    failure,
                }
            })?;
            return Ok(found(token, Provider::Command, steps));
        }
        None => steps.push("no token_command".into()),
    }
    match &source.token_file {
        Some(path) => {
            let token = read_token_file(path).map_err(|failure| SecretError::TokenFile {
                name: source.name.clone(),
                failure,
            })?;
            return Ok(found(token, Provider::File(path.clone()), steps));
        }
        None => steps.push("no token_file".into()),
    }
    Ok(Lookup { token: None, steps })
}

fn found(secret: String, provider: Provider, mut steps: Vec<String>) -> Lookup {
    steps.push(format!("token from {provider}"));
    Lookup {
        token: Some(Token {
            secret: secret.trim().to_string(),
            provider,
        }),
        steps,
    }
}

/// Runs `sh -c cmd` as the leader of its own process group and takes the first line
/// it prints as the token. It is done when the shell has exited and the line (or the
/// end of its output) has arrived; at `limit` it is over whatever happens. Either way
/// the whole group is killed then, so a background child that holds stdout open
/// (`echo TOK; sleep 20 &`) can neither stretch the wait nor outlive it.
fn run_token_command(cmd: &str, limit: Duration) -> Result<String, TokenCommandError> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(TokenCommandError::Start)?;
    let group = Pid::from_raw(child.id() as i32);
    RUNNING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(group);
    let mut stdout = child.stdout.take().expect("piped");
    let (chunks, arriving) = mpsc::channel::<Vec<u8>>();
    // Reads until the last holder of the pipe is gone; the group kill below sees to
    // that. (One that escaped the group could hold it: then this thread just waits.)
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || chunks.send(buf[..n].to_vec()).is_err() {
                return;
            }
        }
    });
    let deadline = Instant::now() + limit;
    let mut out = Vec::new();
    let mut ended = false;
    let mut exit = None;
    let outcome = loop {
        match arriving.recv_timeout(Duration::from_millis(10)) {
            Ok(chunk) => {
                out.extend_from_slice(&chunk);
                if out.len() > MAX_COMMAND_OUTPUT {
                    break Err(TokenCommandError::TooMuchOutput);
                }
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                // Nothing more to read: only the exit is awaited now.
                ended = true;
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if exit.is_none() {
            match child.try_wait() {
                Ok(status) => exit = status,
                Err(e) => break Err(TokenCommandError::Wait(e)),
            }
        }
        if let Some(status) = exit {
            if !status.success() {
                // Its output is not shown: it might be the secret, or part of it.
                break Err(TokenCommandError::Exit(status));
            }
            if ended || out.contains(&b'\n') {
                break Ok(());
            }
        }
        if Instant::now() >= deadline {
            break match exit {
                // The shell is done; only what it left behind is still writing.
                Some(_) if !String::from_utf8_lossy(&out).trim().is_empty() => Ok(()),
                Some(_) => Err(TokenCommandError::SilentAtLimit { limit }),
                None => Err(TokenCommandError::Unfinished { limit }),
            };
        }
    };
    kill_group(group);
    RUNNING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|g| *g != group);
    if exit.is_none() {
        let _ = child.wait();
    }
    outcome?;
    let text = String::from_utf8_lossy(&out);
    let token = text.lines().next().unwrap_or("").trim().to_string();
    if token.is_empty() {
        return Err(TokenCommandError::Silent);
    }
    Ok(token)
}

/// Whether the chain would take `path` as a token file: it exists and only its owner
/// can read it. `clops config check` asks the same.
pub fn check_token_file(path: &Path) -> Result<(), TokenFileError> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).map_err(|error| unreadable(path, error))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(TokenFileError::Readable {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

/// `clops config check`'s look at every source's `token_file`: each must exist and be
/// readable by its owner only.
pub fn check_config_token_files(config: &FileConfig, _path: &Path) -> Vec<(String, String)> {
    config
        .sources
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let problem = check_token_file(s.token_file.as_deref()?).err()?;
            Some((format!("sources[{i}].token_file"), problem.to_string()))
        })
        .collect()
}

/// Reads a token file that only its owner can read.
fn read_token_file(path: &Path) -> Result<String, TokenFileError> {
    check_token_file(path)?;
    let text = std::fs::read_to_string(path).map_err(|error| unreadable(path, error))?;
    let token = text.lines().next().unwrap_or("").trim().to_string();
    if token.is_empty() {
        return Err(TokenFileError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(token)
}

fn unreadable(path: &Path, error: std::io::Error) -> TokenFileError {
    TokenFileError::Unreadable {
        path: path.to_path_buf(),
        error,
    }
}

/// The OS keyring through the Secret Service on D-Bus (the desktop's keyring daemon).
/// Over SSH and in CI there is usually no session bus; then it says so, fast.
pub struct OsKeyring;

impl OsKeyring {
    /// Whether a Secret Service could be there at all (a D-Bus session exists).
    pub fn reachable() -> Result<(), KeyringError> {
        let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
            || std::env::var_os("XDG_RUNTIME_DIR")
                .is_some_and(|d| Path::new(&d).join("bus").exists());
        if bus {
            Ok(())
        } else {
            Err(KeyringError::NoSession)
        }
    }

    /// Runs a keyring call on its own thread, so a hung daemon costs a timeout, not a
    /// frozen clops.
    fn with_timeout<T: Send + 'static>(
        f: impl FnOnce() -> Result<T, KeyringError> + Send + 'static,
    ) -> Result<T, KeyringError> {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(f());
        });
        rx.recv_timeout(PROVIDER_TIMEOUT)
            .unwrap_or(Err(KeyringError::NoAnswer {
                waited: PROVIDER_TIMEOUT,
            }))
    }
}

impl Keyring for OsKeyring {
    fn get(&self, source: &str) -> Result<Option<String>, KeyringError> {
        OsKeyring::reachable()?;
        let source = source.to_string();
        OsKeyring::with_timeout(move || {
            let entry = keyring::Entry::new(KEYRING_SERVICE, &source).map_err(describe)?;
            match entry.get_password() {
                Ok(p) => Ok(Some(p)),
                Err(keyring::Error::NoEntry) => Ok(None),
                Err(e) => Err(describe(e)),
            }
        })
    }

    fn set(&self, source: &str, token: &str) -> Result<(), KeyringError> {
        OsKeyring::reachable()?;
        let (source, token) = (source.to_string(), token.to_string());
        OsKeyring::with_timeout(move || {
            keyring::Entry::new(KEYRING_SERVICE, &source)
                .map_err(describe)?
                .set_password(&token)
                .map_err(describe)
        })
    }
}

/// A keyring error in words, without anything it might have been handed.
fn describe(e: keyring::Error) -> KeyringError {
    match e {
        keyring::Error::NoDefaultStore => KeyringError::NoService,
        keyring::Error::NoStorageAccess(_) => KeyringError::Refused,
        keyring::Error::PlatformFailure(_) => KeyringError::ServiceFailed,
        keyring::Error::NoEntry => KeyringError::NoToken,
        _ => KeyringError::Failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::sync::Mutex;

    struct FakeKeyring(Mutex<HashMap<String, String>>, bool);

    impl Keyring for FakeKeyring {
        fn get(&self, source: &str) -> Result<Option<String>, KeyringError> {
            if !self.1 {
                return Err(KeyringError::NoSession);
            }
            Ok(self.0.lock().unwrap().get(source).cloned())
        }
        fn set(&self, source: &str, token: &str) -> Result<(), KeyringError> {
            self.0.lock().unwrap().insert(source.into(), token.into());
            Ok(())
        }
    }

    fn source(extra: &str) -> SourceConfig {
        let text = format!(
            "[[sources]]\nname = \"prod-eu\"\nkind = \"alertmanager\"\nurl = \"http://am:9093\"\n{extra}"
        );
        crate::config::parse(Path::new("t.toml"), &text)
            .unwrap()
            .sources
            .remove(0)
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn env_var_names_follow_the_source_name() {
        assert_eq!(env_var("prod-eu"), "CLOPS_TOKEN_PROD_EU");
        assert_eq!(env_var("a.b_c"), "CLOPS_TOKEN_A_B_C");
    }

    #[test]
    fn the_environment_comes_first() {
        let kr = FakeKeyring(
            Mutex::new([("prod-eu".into(), "from-keyring".into())].into()),
            true,
        );
        let env = |v: &str| (v == "CLOPS_TOKEN_PROD_EU").then(|| "from-env\n".to_string());
        let l = lookup(&source(""), &env, &kr).unwrap();
        let t = l.token.unwrap();
        assert_eq!(
            (t.secret.as_str(), t.provider),
            ("from-env", Provider::Env("CLOPS_TOKEN_PROD_EU".into()))
        );
    }

    #[test]
    fn an_unreachable_keyring_says_so_and_the_chain_goes_on() {
        let kr = FakeKeyring(Mutex::default(), false);
        let l = lookup(
            &source("token_command = \"echo from-command\""),
            &no_env,
            &kr,
        )
        .unwrap();
        assert_eq!(l.token.unwrap().provider, Provider::Command);
        assert!(
            l.steps
                .iter()
                .any(|s| s.starts_with("keyring unavailable: no D-Bus")),
            "{:?}",
            l.steps
        );
    }

    #[test]
    fn the_keyring_comes_before_the_command() {
        let kr = FakeKeyring(Mutex::new([("prod-eu".into(), "k".into())].into()), true);
        let l = lookup(&source("token_command = \"echo c\""), &no_env, &kr).unwrap();
        assert_eq!(l.token.unwrap().provider, Provider::Keyring);
    }

    #[test]
    fn a_failing_command_stops_the_chain_without_showing_its_output() {
        let kr = FakeKeyring(Mutex::default(), false);
        let e = lookup(
            &source("token_command = \"echo s3cret; exit 3\""),
            &no_env,
            &kr,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("token_command failed") && !e.contains("s3cret"),
            "{e}"
        );
    }

    #[test]
    fn token_files_must_be_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "s3cret\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let kr = FakeKeyring(Mutex::default(), false);
        let cfg = source(&format!("token_file = \"{}\"", path.display()));
        let e = lookup(&cfg, &no_env, &kr).unwrap_err().to_string();
        assert!(
            e.contains("mode 0644") && e.contains("chmod 600") && !e.contains("s3cret"),
            "{e}"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let t = lookup(&cfg, &no_env, &kr).unwrap().token.unwrap();
        assert_eq!(t.secret, "s3cret");
        assert!(!format!("{t:?}").contains("s3cret"));
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

    /// Waits (generously: a loaded machine) for process `pid` to be gone.
    fn gone(pid: &str) -> bool {
        let start = Instant::now();
        while running(pid) {
            if start.elapsed() > Duration::from_secs(30) {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        true
    }

    /// Runs the command on a thread; a run that outlasts the patience is a hang.
    fn run(cmd: &str, limit: Duration) -> Result<String, TokenCommandError> {
        let (tx, rx) = mpsc::channel();
        let cmd = cmd.to_string();
        std::thread::spawn(move || tx.send(run_token_command(&cmd, limit)));
        rx.recv_timeout(Duration::from_secs(30))
            .expect("token_command waited on its background child")
    }

    #[test]
    fn a_background_child_holding_stdout_neither_delays_the_token_nor_outlives_it() {
        let dir = tempfile::tempdir().unwrap();
        let pid = dir.path().join("pid");
        // The limit is far away: the token must come from the shell being done, not
        // from the limit running out.
        let cmd = format!(
            "echo TOKEN-12345678; sleep 3600 & echo $! > {}",
            pid.display()
        );
        assert_eq!(
            run(&cmd, Duration::from_secs(3600)).unwrap(),
            "TOKEN-12345678"
        );
        let pid = std::fs::read_to_string(&pid).unwrap();
        assert!(gone(&pid), "the background sleep {pid} survived");
    }

    #[test]
    fn a_command_that_never_prints_or_never_ends_is_stopped_at_its_limit() {
        let dir = tempfile::tempdir().unwrap();
        let pid = dir.path().join("pid");
        let limit = Duration::from_millis(300);
        let cmd = format!("sleep 3600 & echo $! > {}", pid.display());
        assert_eq!(
            run(&cmd, limit).unwrap_err().to_string(),
            "printed nothing within 300ms"
        );
        let bg = std::fs::read_to_string(&pid).unwrap();
        assert!(gone(&bg), "the background sleep {bg} survived");

        let cmd = format!(
            "echo s3cret-but-unfinished; sh -c 'echo $$ > {}; exec sleep 3600'",
            pid.display()
        );
        let e = run(&cmd, limit).unwrap_err().to_string();
        assert!(
            e.starts_with("did not finish within 300ms") && e.contains("token_timeout"),
            "{e}"
        );
        assert!(!e.contains("s3cret"), "{e}");
        let fg = std::fs::read_to_string(&pid).unwrap();
        assert!(gone(&fg), "the sleep {fg} survived");
    }

    #[test]
    fn the_token_command_limit_comes_from_the_config() {
        let kr = FakeKeyring(Mutex::default(), false);
        let cfg = source("token_command = \"sleep 3600\"\ntoken_timeout = \"200ms\"");
        assert_eq!(cfg.token_timeout(), Duration::from_millis(200));
        let e = lookup(&cfg, &no_env, &kr).unwrap_err().to_string();
        assert!(
            e.starts_with("source prod-eu: token_command did not finish within 200ms"),
            "{e}"
        );
        assert_eq!(source("").token_timeout(), Duration::from_secs(10));
    }

    #[test]
    fn token_timeout_needs_a_token_command_and_a_length() {
        let err = |extra: &str| {
            let text = format!(
                "[[sources]]\nname = \"prod-eu\"\nkind = \"alertmanager\"\nurl = \"http://am:9093\"\n{extra}"
            );
            crate::config::parse(Path::new("t.toml"), &text).unwrap_err()
        };
        let e = err("token_timeout = \"5s\"");
        assert_eq!((e.line, e.key.as_str()), (5, "sources[0].token_timeout"));
        assert!(e.message.contains("set token_command too"), "{e}");
        let e = err("token_command = \"pass show x\"\ntoken_timeout = \"0s\"");
        assert_eq!((e.line, e.key.as_str()), (6, "sources[0].token_timeout"));
        let e = err("token_timeout = \"soon\"\ntoken_command = \"x\"");
        assert_eq!(e.key, "sources[0].token_timeout");
    }

    #[test]
    fn found_tokens_are_scrubbed_from_then_on() {
        let kr = FakeKeyring(Mutex::default(), false);
        let env = |v: &str| (v == "CLOPS_TOKEN_PROD_EU").then(|| "chain-token-77e1a2".to_string());
        lookup(&source(""), &env, &kr).unwrap();
        assert_eq!(
            crate::redact::scrub("refused chain-token-77e1a2"),
            "refused [redacted]"
        );
        let env = |v: &str| (v == "CLOPS_TOKEN_PROD_EU").then(|| "basic-pass-5c0ffee".to_string());
        lookup(&source("username = \"ops\""), &env, &kr).unwrap();
        let header = crate::redact::basic("ops", "basic-pass-5c0ffee");
        assert_eq!(
            crate::redact::scrub(&format!("Basic {header}")),
            "Basic [redacted]"
        );
    }

    #[test]
    fn no_provider_is_no_token_with_every_step_explained() {
        let kr = FakeKeyring(Mutex::default(), true);
        let l = lookup(&source(""), &no_env, &kr).unwrap();
        assert!(l.token.is_none());
        assert_eq!(l.steps.len(), 4, "{:?}", l.steps);
    }
}
