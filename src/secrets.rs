//! Where a source's token comes from, tried in order:
//! `CLOPS_TOKEN_<SOURCE>` → OS keyring → `token_command` → `token_file` (mode 0600).
//!
//! Tokens are returned to the HTTP client and nowhere else: errors and `clops auth
//! status` name the provider, never the secret.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::config::SourceConfig;

/// The keyring "service" clops stores tokens under.
pub const KEYRING_SERVICE: &str = "clops";

/// How long the keyring and `token_command` may take before clops gives up on them.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SecretError(pub String);

/// The OS keyring, or a stand-in in tests.
pub trait Keyring {
    /// The token stored for `source`: Ok(None) when there is none; Err(reason) when
    /// the keyring itself cannot be reached.
    fn get(&self, source: &str) -> Result<Option<String>, String>;
    /// Stores `token` for `source`.
    fn set(&self, source: &str, token: &str) -> Result<(), String>;
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
pub fn lookup(
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
            let token = run_token_command(cmd)
                .map_err(|e| SecretError(format!("source {}: token_command {e}", source.name)))?;
            return Ok(found(token, Provider::Command, steps));
        }
        None => steps.push("no token_command".into()),
    }
    match &source.token_file {
        Some(path) => {
            let token = read_token_file(path)
                .map_err(|e| SecretError(format!("source {}: {e}", source.name)))?;
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

/// Runs `sh -c cmd` and takes its first line of output as the token.
fn run_token_command(cmd: &str) -> Result<String, String> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start: {e}"))?;
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.read_to_string(&mut out);
        out
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| format!("failed: {e}"))? {
            break status;
        }
        if start.elapsed() > PROVIDER_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "gave no answer within {}s",
                PROVIDER_TIMEOUT.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let out = reader.join().unwrap_or_default();
    if !status.success() {
        // Its output is not shown: it might be the secret, or part of it.
        return Err(format!("failed ({status})"));
    }
    let token = out.lines().next().unwrap_or("").trim().to_string();
    if token.is_empty() {
        return Err("printed nothing".into());
    }
    Ok(token)
}

/// Whether the chain would take `path` as a token file: it exists and only its owner
/// can read it. `clops config check` asks the same.
pub fn check_token_file(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let meta =
        std::fs::metadata(path).map_err(|e| format!("token_file {}: {e}", path.display()))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "token_file {} can be read by others (mode {mode:04o}): run chmod 600 {}",
            path.display(),
            path.display()
        ));
    }
    Ok(())
}

/// Reads a token file that only its owner can read.
fn read_token_file(path: &Path) -> Result<String, String> {
    check_token_file(path)?;
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("token_file {}: {e}", path.display()))?;
    let token = text.lines().next().unwrap_or("").trim().to_string();
    if token.is_empty() {
        return Err(format!("token_file {} is empty", path.display()));
    }
    Ok(token)
}

/// The OS keyring through the Secret Service on D-Bus (the desktop's keyring daemon).
/// Over SSH and in CI there is usually no session bus; then it says so, fast.
pub struct OsKeyring;

impl OsKeyring {
    /// Whether a Secret Service could be there at all (a D-Bus session exists).
    pub fn reachable() -> Result<(), String> {
        let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
            || std::env::var_os("XDG_RUNTIME_DIR")
                .is_some_and(|d| Path::new(&d).join("bus").exists());
        if bus {
            Ok(())
        } else {
            Err("no D-Bus session (as over SSH or in CI), so no Secret Service".into())
        }
    }

    /// Runs a keyring call on its own thread, so a hung daemon costs a timeout, not a
    /// frozen clops.
    fn with_timeout<T: Send + 'static>(
        f: impl FnOnce() -> Result<T, String> + Send + 'static,
    ) -> Result<T, String> {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(f());
        });
        rx.recv_timeout(PROVIDER_TIMEOUT)
            .unwrap_or_else(|_| Err(format!("no answer within {}s", PROVIDER_TIMEOUT.as_secs())))
    }
}

impl Keyring for OsKeyring {
    fn get(&self, source: &str) -> Result<Option<String>, String> {
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

    fn set(&self, source: &str, token: &str) -> Result<(), String> {
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
fn describe(e: keyring::Error) -> String {
    match e {
        keyring::Error::NoDefaultStore => "no Secret Service answers on D-Bus".into(),
        keyring::Error::NoStorageAccess(_) => "the Secret Service refused access (locked?)".into(),
        keyring::Error::PlatformFailure(_) => "the Secret Service failed".into(),
        keyring::Error::NoEntry => "no token stored".into(),
        _ => "the keyring failed".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::sync::Mutex;

    struct FakeKeyring(Mutex<HashMap<String, String>>, bool);

    impl Keyring for FakeKeyring {
        fn get(&self, source: &str) -> Result<Option<String>, String> {
            if !self.1 {
                return Err("no D-Bus session".into());
            }
            Ok(self.0.lock().unwrap().get(source).cloned())
        }
        fn set(&self, source: &str, token: &str) -> Result<(), String> {
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
        .unwrap_err();
        assert!(
            e.0.contains("token_command failed") && !e.0.contains("s3cret"),
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
        let e = lookup(&cfg, &no_env, &kr).unwrap_err();
        assert!(
            e.0.contains("mode 0644") && e.0.contains("chmod 600") && !e.0.contains("s3cret"),
            "{e}"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let t = lookup(&cfg, &no_env, &kr).unwrap().token.unwrap();
        assert_eq!(t.secret, "s3cret");
        assert!(!format!("{t:?}").contains("s3cret"));
    }

    #[test]
    fn no_provider_is_no_token_with_every_step_explained() {
        let kr = FakeKeyring(Mutex::default(), true);
        let l = lookup(&source(""), &no_env, &kr).unwrap();
        assert!(l.token.is_none());
        assert_eq!(l.steps.len(), 4, "{:?}", l.steps);
    }
}
