//! A real Alertmanager behind TLS with its own CA and basic auth (its `--web.config.file`),
//! as teams run them: clops must trust the CA it is given and send the password it finds
//! through the token chain.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::servers::{PATIENCE, require_servers};

/// bcrypt of `clops-test-password` (cost 4: fast, and this is a test).
const PASSWORD_HASH: &str = "$2b$04$2tVPsw6YVVG7Du0BPd4WSOX6x4WSigBIHVeC9QkDwD3L0BuxqF9Vu";
const PASSWORD: &str = "clops-test-password";

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().expect(
        "openssl is needed to make the test's certificates: install the Debian package openssl (scripts/test does)",
    );
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA, and a certificate for 127.0.0.1 signed by it.
fn certificates(dir: &Path) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ca = vec!["req", "-x509"];
    ca.extend(ec);
    ca.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=clops test CA",
    ]);
    openssl(dir, &ca);
    let mut csr = vec!["req"];
    csr.extend(ec);
    csr.extend([
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    openssl(dir, &csr);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
    );
}

struct SecuredAlertmanager {
    child: Child,
    url: String,
}

impl Drop for SecuredAlertmanager {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path) -> SecuredAlertmanager {
    require_servers();
    certificates(dir);
    std::fs::write(
        dir.join("web.yml"),
        format!(
            "tls_server_config:\n  cert_file: {d}/server.crt\n  key_file: {d}/server.key\nbasic_auth_users:\n  clops: {PASSWORD_HASH}\n",
            d = dir.display()
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("am.yml"),
        "route:\n  receiver: \"null\"\nreceivers:\n  - name: \"null\"\n",
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = std::fs::File::create(dir.join("am.log")).unwrap();
    let child = Command::new("prometheus-alertmanager")
        .arg(format!("--config.file={}/am.yml", dir.display()))
        .arg(format!("--storage.path={}/data", dir.display()))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .arg(format!("--web.config.file={}/web.yml", dir.display()))
        .arg("--cluster.listen-address=")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    let mut am = SecuredAlertmanager {
        child,
        url: format!("https://127.0.0.1:{port}"),
    };
    // Ready when a TLS handshake with our CA and our password gets 200.
    let start = Instant::now();
    loop {
        assert!(
            am.child.try_wait().unwrap().is_none(),
            "alertmanager died:\n{}",
            log_of(dir)
        );
        if clops_alerts(dir, &am.url, true, Some(PASSWORD)).0 == Some(0) {
            return am;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "alertmanager never became ready:\n{}",
            log_of(dir)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn log_of(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("am.log")).unwrap_or_default()
}

/// Runs `clops alerts` against `url`, trusting the test CA or not, with a password or
/// without; returns the exit code and stderr.
fn clops_alerts(
    dir: &Path,
    url: &str,
    trust_ca: bool,
    password: Option<&str>,
) -> (Option<i32>, String) {
    let mut config = format!(
        "[[sources]]\nname = \"secure\"\nkind = \"alertmanager\"\nurl = \"{url}\"\nusername = \"clops\"\ntimeout = \"3s\"\n"
    );
    if trust_ca {
        config.push_str(&format!("ca_file = \"{}/ca.crt\"\n", dir.display()));
    }
    let path = dir.join("clops.toml");
    std::fs::write(&path, config).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_clops"));
    cmd.arg("--config")
        .arg(&path)
        .arg("alerts")
        .env_clear()
        .env("HOME", dir)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    if let Some(p) = password {
        cmd.env("CLOPS_TOKEN_SECURE", p);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn a_private_ca_and_basic_auth_are_honoured_and_failures_named() {
    let dir = tempfile::tempdir().unwrap();
    let am = start(dir.path());

    // Trusting the CA and with the password: a whole answer.
    let (code, stderr) = clops_alerts(dir.path(), &am.url, true, Some(PASSWORD));
    assert_eq!(code, Some(0), "{stderr}");

    // Without the CA: the certificate is not trusted, and clops says what to set.
    let (code, stderr) = clops_alerts(dir.path(), &am.url, false, Some(PASSWORD));
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("TLS failed") && stderr.contains("ca_file"),
        "{stderr}"
    );

    // A wrong password: 401, named, and the password itself shown nowhere.
    let (code, stderr) = clops_alerts(dir.path(), &am.url, true, Some("wrong-password"));
    assert_eq!(code, Some(1));
    assert!(stderr.contains("HTTP 401"), "{stderr}");
    assert!(!stderr.contains("wrong-password"), "{stderr}");

    // No password anywhere in the chain: refused before any request, with the places
    // clops looked.
    let (code, stderr) = clops_alerts(dir.path(), &am.url, true, None);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("no password was found") && stderr.contains("CLOPS_TOKEN_SECURE"),
        "{stderr}"
    );
}
