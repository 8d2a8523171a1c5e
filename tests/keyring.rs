//! The token chain against a real Secret Service: gnome-keyring-daemon on a private
//! D-Bus session, as a desktop or a jump host with a keyring has it.

use std::io::{Read, Write};
use std::process::Command;
use std::sync::{Arc, Mutex};

/// A loopback server that records each request's Authorization header and answers
/// an empty alert list.
fn recording_endpoint() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = vec![0u8; 8192];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]).to_string();
            let auth = request
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .starts_with("authorization:")
                        .then(|| l[14..].trim().to_string())
                })
                .unwrap_or_default();
            record.lock().unwrap().push(auth);
            let body = "[]";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, seen)
}

#[test]
fn a_token_stored_in_the_os_keyring_is_used_and_never_shown() {
    for tool in ["dbus-run-session", "gnome-keyring-daemon"] {
        assert!(
            Command::new("sh")
                .arg("-c")
                .arg(format!("command -v {tool}"))
                .output()
                .unwrap()
                .status
                .success(),
            "{tool} is missing: install the Debian packages dbus-daemon and gnome-keyring (scripts/test does)"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let (url, seen) = recording_endpoint();
    let config = dir.path().join("clops.toml");
    std::fs::write(
        &config,
        format!("[[sources]]\nname = \"lab-eu\"\nkind = \"alertmanager\"\nurl = \"{url}\"\n"),
    )
    .unwrap();
    let clops = env!("CARGO_BIN_EXE_clops");
    let cfg = config.display();
    // Inside one private session: unlock a fresh login keyring, store, inspect, use.
    let script = format!(
        "set -e
printf 'test-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 &
for i in $(seq 1 100); do
  if printf 'probe\\n' | {clops} --config {cfg} auth set lab-eu >/dev/null 2>&1; then break; fi
  sleep 0.1
done
printf 's3cret-token\\n' | {clops} --config {cfg} auth set lab-eu
echo '--- status'
{clops} --config {cfg} auth status
echo '--- alerts'
{clops} --config {cfg} alerts -o json
"
    );
    let out = Command::new("dbus-run-session")
        .args(["--", "sh", "-c", &script])
        .env_clear()
        .env("HOME", &home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("XDG_STATE_HOME", home.join("state"))
        .env("CLOPS_LOG", "debug")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        stdout.contains("stored the token for lab-eu in the OS keyring"),
        "{stdout}"
    );
    assert!(
        stdout.contains("lab-eu: bearer token from OS keyring"),
        "{stdout}"
    );
    assert_eq!(
        seen.lock().unwrap().last().map(String::as_str),
        Some("Bearer s3cret-token")
    );
    // The token appears nowhere a person or a log collector could read it.
    assert!(
        !stdout.contains("s3cret") && !stderr.contains("s3cret"),
        "{stdout}\n{stderr}"
    );
    let log = std::fs::read_to_string(home.join("state/clops/clops.log")).unwrap_or_default();
    assert!(
        !log.is_empty() && !log.contains("s3cret"),
        "the log holds the token:\n{log}"
    );
}

#[test]
fn without_a_secret_service_the_chain_says_so_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let (url, seen) = recording_endpoint();
    let token = dir.path().join("token");
    std::fs::write(&token, "from-file\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o600)).unwrap();
    let config = dir.path().join("clops.toml");
    std::fs::write(
        &config,
        format!(
            "[[sources]]\nname = \"lab\"\nkind = \"alertmanager\"\nurl = \"{url}\"\ntoken_file = \"{}\"\n",
            token.display()
        ),
    )
    .unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_clops"))
            .arg("--config")
            .arg(&config)
            .args(args)
            .env_clear()
            .env("HOME", dir.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .output()
            .unwrap()
    };
    let status = String::from_utf8(run(&["auth", "status"]).stdout).unwrap();
    assert!(
        status.contains(&format!(
            "lab: bearer token from token_file {}",
            token.display()
        )),
        "{status}"
    );
    let out = run(&["auth", "set", "lab"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("no D-Bus session") && err.contains("CLOPS_TOKEN_LAB"),
        "{err}"
    );
    assert!(run(&["alerts"]).status.success());
    assert_eq!(
        seen.lock().unwrap().last().map(String::as_str),
        Some("Bearer from-file")
    );
    // The environment wins over the file.
    let out = Command::new(env!("CARGO_BIN_EXE_clops"))
        .arg("--config")
        .arg(&config)
        .args(["alerts"])
        .env_clear()
        .env("HOME", dir.path())
        .env("CLOPS_TOKEN_LAB", "from-env")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        seen.lock().unwrap().last().map(String::as_str),
        Some("Bearer from-env")
    );
}
