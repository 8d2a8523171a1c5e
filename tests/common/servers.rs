//! Real Prometheus and Alertmanager servers for integration tests: plain processes on
//! 127.0.0.1 with free ports and private temporary directories, killed when dropped.
//!
//! Needs the Debian packages `prometheus` and `prometheus-alertmanager` (which bring
//! `promtool` and `amtool`). Everything here is blocking: tests need no async runtime.
//!
//! Things worth knowing about the servers themselves:
//! - Alertmanager does not gossip alerts, only silences and the notification log. In
//!   an HA pair each peer holds only the alerts sent to it; Prometheus sends every alert
//!   to every Alertmanager it knows, so with Prometheus in front both peers agree.
//! - An alert posted without `startsAt` but with `endsAt` gets `startsAt = endsAt`, and
//!   one without `endsAt` resolves after `resolve_timeout` (5m): give both.
//! - Prometheus finds its Alertmanagers about 5 s after it starts; see
//!   [`Prometheus::wait_for_alertmanagers`].
#![allow(dead_code)]

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::{Mutex, OnceLock, mpsc};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long to wait for a server or a condition before calling it a hang. Generous:
/// this guards against hangs on a loaded CI machine, it does not measure speed.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// How often [`eventually`] looks again.
const POLL: Duration = Duration::from_millis(50);

/// How many times a start is retried when the server dies because a port it was given
/// got taken between choosing it and binding it.
const ATTEMPTS: usize = 5;

/// How many log lines a panic message quotes.
const TAIL_LINES: usize = 30;

const PROMETHEUS: &str = "prometheus";
const ALERTMANAGER: &str = "prometheus-alertmanager";
const AMTOOL: &str = "amtool";

/// Where `name` is on `PATH`, if it is.
fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Fails the test with a clear message naming the Debian packages if the binaries are
/// missing.
pub fn require_servers() {
    let missing: Vec<&str> = [PROMETHEUS, ALERTMANAGER, AMTOOL]
        .into_iter()
        .filter(|b| which(b).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "these tests run real servers, but {} not on PATH; install them with\n    \
         sudo apt-get install prometheus prometheus-alertmanager\n\
         (`prometheus` brings prometheus and promtool, `prometheus-alertmanager` brings \
         prometheus-alertmanager and amtool)",
        missing
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ")
            + if missing.len() == 1 { " is" } else { " are" },
    );
}

/// Waits until `f()` is true, polling every 50 ms, panicking with `what` after
/// [`PATIENCE`] (a hang guard for a loaded CI machine, not a timing assertion).
pub fn eventually(what: &str, f: impl FnMut() -> bool) {
    wait_until(what, f, String::new);
}

/// [`eventually`], with `context()` appended to the panic message.
fn wait_until(what: &str, mut f: impl FnMut() -> bool, context: impl FnOnce() -> String) {
    let start = Instant::now();
    while !f() {
        if start.elapsed() > PATIENCE {
            panic!(
                "waited {}s for {what}, in vain{}",
                PATIENCE.as_secs(),
                context()
            );
        }
        std::thread::sleep(POLL);
    }
}

/// `n` distinct alerts as Alertmanager's `POST /api/v2/alerts` expects them: labels
/// `alertname`, `severity`, `cluster`, `service`, `job` and a unique `instance`,
/// annotations `summary` and `description`, `startsAt` now and `endsAt` six hours ahead.
/// The same `n` and `cluster` always give the same label sets (so the same
/// fingerprints).
pub fn synthetic_alerts(n: usize, cluster: &str) -> Value {
    const NAMES: [&str; 8] = [
        "HighErrorRate",
        "HighLatency",
        "PodCrashLooping",
        "TargetDown",
        "DiskWillFillIn4Hours",
        "CertificateExpiringSoon",
        "KafkaConsumerLag",
        "NodeMemoryPressure",
    ];
    const SEVERITIES: [&str; 3] = ["critical", "warning", "info"];
    const SERVICES: [&str; 6] = [
        "checkout",
        "payments",
        "search",
        "auth",
        "inventory",
        "frontend",
    ];
    let now = chrono::Utc::now();
    let starts = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let ends =
        (now + chrono::Duration::hours(6)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let alerts = (0..n)
        .map(|i| {
            let name = NAMES[i % NAMES.len()];
            let service = SERVICES[i % SERVICES.len()];
            let instance = format!("{service}-{i:05}.{cluster}:8080");
            json!({
                "labels": {
                    "alertname": name,
                    "severity": SEVERITIES[i % SEVERITIES.len()],
                    "cluster": cluster,
                    "service": service,
                    "job": service,
                    "instance": instance,
                },
                "annotations": {
                    "summary": format!("{name} on {instance}"),
                    "description": format!("Synthetic alert {i} of {n} in {cluster}."),
                },
                "startsAt": starts,
                "endsAt": ends,
            })
        })
        .collect();
    Value::Array(alerts)
}

// ---------------------------------------------------------------------------------
// A tiny blocking HTTP/1.1 client for loopback.

/// The status and body of an HTTP exchange.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

impl Response {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as JSON (`null` when empty); panics with the body if it is not JSON.
    pub fn json(&self) -> Value {
        if self.body.trim().is_empty() {
            return Value::Null;
        }
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One HTTP/1.1 request to `url` (`http://host:port/path?query`), JSON `body` if given.
pub fn http(method: &str, url: &str, body: Option<&str>) -> io::Result<Response> {
    let invalid = |m: String| io::Error::new(io::ErrorKind::InvalidInput, m);
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| invalid(format!("not an http:// URL: {url}")))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let addr = host
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| invalid(format!("no address for {host}")))?;
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(PATIENCE))?;
    stream.set_write_timeout(Some(PATIENCE))?;

    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nAccept: application/json\r\n"
    );
    if let Some(body) = body {
        request.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    if let Some(body) = body {
        stream.write_all(body.as_bytes())?;
    }
    stream.flush()?;

    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let bad = |m: &str| io::Error::new(io::ErrorKind::InvalidData, format!("{m} from {url}"));
    let split = find(&raw, b"\r\n\r\n").ok_or_else(|| bad("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut payload = raw[split + 4..].to_vec();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status line"))?;
    let chunked = lines.any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    if chunked {
        payload = dechunk(&payload).ok_or_else(|| bad("bad chunked body"))?;
    }
    Ok(Response {
        status,
        body: String::from_utf8_lossy(&payload).to_string(),
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = find(b, b"\r\n")?;
        let size_field = std::str::from_utf8(&b[..eol]).ok()?;
        let size = usize::from_str_radix(size_field.split(';').next()?.trim(), 16).ok()?;
        b = &b[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = b.get(size + 2..)?;
    }
}

/// Percent-encodes `s` for a query string.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// Processes.

/// A port nobody listens on right now, for TCP and UDP (Alertmanager's gossip uses both
/// on its cluster port). Someone may take it before the server binds it: starts retry.
fn free_port() -> u16 {
    loop {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = l.local_addr().unwrap().port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// Two different free ports.
fn free_ports() -> (u16, u16) {
    loop {
        let (a, b) = (free_port(), free_port());
        if a != b {
            return (a, b);
        }
    }
}

/// Spawns `cmd` from one thread that lives as long as the test process. On Linux the
/// child gets SIGKILL when that thread dies, so servers cannot outlive a test binary
/// that is killed or aborts (the parent-death signal follows the spawning *thread*,
/// which is why test threads do not spawn servers themselves).
fn spawn(cmd: Command) -> io::Result<Child> {
    type Request = (Command, mpsc::Sender<io::Result<Child>>);
    static SPAWNER: OnceLock<mpsc::Sender<Request>> = OnceLock::new();
    let spawner = SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Request>();
        std::thread::Builder::new()
            .name("test-server-spawner".into())
            .spawn(move || {
                for (mut cmd, reply) in rx {
                    let _ = reply.send(spawn_here(&mut cmd));
                }
            })
            .expect("start the server spawner thread");
        tx
    });
    let (tx, rx) = mpsc::channel();
    spawner
        .send((cmd, tx))
        .expect("the server spawner thread is running");
    rx.recv().expect("the server spawner thread answers")
}

fn spawn_here(cmd: &mut Command) -> io::Result<Child> {
    #[cfg(target_os = "linux")]
    {
        use nix::sys::{prctl, signal::Signal};
        use nix::unistd::{Pid, getppid};
        use std::os::unix::process::CommandExt;
        let parent = Pid::from_raw(std::process::id() as i32);
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                prctl::set_pdeathsig(Signal::SIGKILL)?;
                if getppid() != parent {
                    // The test process died before the signal was armed: the child
                    // exits instead of running the server.
                    return Err(io::Error::other("the test process is gone"));
                }
                Ok(())
            });
        }
    }
    cmd.spawn()
}

/// A server process, its temporary directory and the file its output goes to.
struct Process {
    name: &'static str,
    pid: u32,
    child: Mutex<Option<Child>>,
    log: PathBuf,
    dir: tempfile::TempDir,
}

impl Process {
    /// Starts `cmd` with stdout and stderr going to `log.txt` in `dir`.
    fn start(name: &'static str, dir: tempfile::TempDir, mut cmd: Command) -> Process {
        let log = dir.path().join("log.txt");
        let file = std::fs::File::create(&log).expect("create the server log");
        cmd.stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file);
        let child = spawn(cmd).unwrap_or_else(|e| panic!("could not run {name}: {e}"));
        Process {
            name,
            pid: child.id(),
            child: Mutex::new(Some(child)),
            log,
            dir,
        }
    }

    /// How it ended, if it has; `Some` also after [`Process::kill`].
    fn exited(&self) -> Option<String> {
        let mut child = self.child.lock().unwrap();
        match child.as_mut() {
            None => Some("killed by the test".into()),
            Some(c) => c
                .try_wait()
                .ok()
                .flatten()
                .map(|s: ExitStatus| s.to_string()),
        }
    }

    fn running(&self) -> bool {
        self.exited().is_none()
    }

    /// SIGKILL and reap; does nothing the second time.
    fn kill(&self) {
        if let Some(mut child) = self.child.lock().unwrap().take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The last lines of the server's log.
    fn tail(&self) -> String {
        let text = std::fs::read(&self.log)
            .map(|b| String::from_utf8_lossy(&b).to_string())
            .unwrap_or_else(|e| format!("(cannot read {}: {e})", self.log.display()));
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n")
    }

    /// Its state and last log lines, to append to a panic message.
    fn report(&self) -> String {
        let state = match self.exited() {
            Some(how) => format!("has exited ({how})"),
            None => "is still running".into(),
        };
        format!(
            "\n--- {} (pid {}) {state}; the last lines of its log: ---\n{}\n---",
            self.name,
            self.pid,
            self.tail()
        )
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

/// What one attempt at starting a server needs: the command and where it will listen,
/// plus whatever the caller wants back (`extra`).
struct Plan<T> {
    cmd: Command,
    url: String,
    extra: T,
}

/// Starts a server and waits until *it* answers `GET /-/ready` with 200.
///
/// `plan` writes its config into the given fresh directory and picks ports; `is_ours`
/// tells our server from another one on the same port. When the server dies because a
/// port was taken in between, the whole start is retried with new ports.
fn launch<T>(
    name: &'static str,
    mut plan: impl FnMut(&Path) -> Plan<T>,
    is_ours: impl Fn(&str, &Path) -> bool,
) -> (Process, String, T) {
    require_servers();
    let mut earlier = String::new();
    for attempt in 1..=ATTEMPTS {
        let dir = tempfile::Builder::new()
            .prefix(&format!("clops-test-{name}-"))
            .tempdir()
            .expect("create a temporary directory");
        let Plan { cmd, url, extra } = plan(dir.path());
        let process = Process::start(name, dir, cmd);
        let start = Instant::now();
        loop {
            if process.exited().is_some() {
                let report = process.report();
                if report.contains("address already in use") && attempt < ATTEMPTS {
                    earlier.push_str(&format!("\nattempt {attempt}:{report}"));
                    break;
                }
                panic!("{name} at {url} died while starting{report}{earlier}");
            }
            let ready = http("GET", &format!("{url}/-/ready"), None).is_ok_and(|r| r.status == 200);
            // Another server on our port would answer too: make sure it is ours, and
            // that ours is still alive after it answered.
            if ready && is_ours(&url, process.dir.path()) && process.running() {
                return (process, url, extra);
            }
            if start.elapsed() > PATIENCE {
                panic!(
                    "{name} at {url} was not ready after {}s{}{earlier}",
                    PATIENCE.as_secs(),
                    process.report()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    unreachable!("the last attempt panics")
}

/// `GET` or `POST` JSON against a server; panics with the response and the server's log
/// unless the answer is 2xx.
fn exchange(process: &Process, method: &str, url: &str, body: Option<&Value>) -> Value {
    let text = body.map(|b| b.to_string());
    match http(method, url, text.as_deref()) {
        Ok(r) if r.is_success() => r.json(),
        Ok(r) => panic!(
            "{method} {url} answered {}: {}{}",
            r.status,
            r.body,
            process.report()
        ),
        Err(e) => panic!("{method} {url} failed: {e}{}", process.report()),
    }
}

// ---------------------------------------------------------------------------------
// Alertmanager.

/// One null receiver and no inhibit rules: inhibition makes 10k alerts ~25× slower.
const ALERTMANAGER_CONFIG: &str = r#"# clops test Alertmanager
route:
  receiver: "null"
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: "null"
"#;

/// A real Alertmanager.
pub struct Alertmanager {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub url: String,
    /// `127.0.0.1:PORT` of its gossip listener; empty when gossip is disabled.
    pub cluster_addr: String,
    process: Process,
}

impl Alertmanager {
    /// A lone Alertmanager, gossip disabled.
    pub fn start() -> Alertmanager {
        Self::launch(ALERTMANAGER_CONFIG, Gossip::Off)
    }

    /// A lone Alertmanager with `config_yaml` as its whole configuration file (gossip
    /// disabled). The config must not set `templates`: the harness adds its own.
    pub fn start_with_config(config_yaml: &str) -> Alertmanager {
        Self::launch(config_yaml, Gossip::Off)
    }

    /// An HA pair joined by `--cluster.peer`. Returns once both are ready and each
    /// lists both in `GET /api/v2/status` (`cluster.peers`).
    pub fn pair() -> (Alertmanager, Alertmanager) {
        let a = Self::launch(ALERTMANAGER_CONFIG, Gossip::Join(None));
        let b = Self::launch(ALERTMANAGER_CONFIG, Gossip::Join(Some(&a.cluster_addr)));
        let mut both = vec![a.cluster_addr.clone(), b.cluster_addr.clone()];
        both.sort();
        let sees_both = |am: &Alertmanager| {
            let mut peers = am.try_peers().unwrap_or_default();
            peers.sort();
            peers == both
        };
        wait_until(
            "the Alertmanager pair to see each other as cluster peers",
            || sees_both(&a) && sees_both(&b),
            || {
                format!(
                    "\npeers of {}: {:?}\npeers of {}: {:?}{}{}",
                    a.url,
                    a.try_peers(),
                    b.url,
                    b.try_peers(),
                    a.process.report(),
                    b.process.report()
                )
            },
        );
        (a, b)
    }

    fn launch(config_yaml: &str, gossip: Gossip) -> Alertmanager {
        let bin = which(ALERTMANAGER).unwrap_or_else(|| ALERTMANAGER.into());
        let plan = |dir: &Path| {
            let (web, cluster) = free_ports();
            // A template glob that matches nothing but names our directory, so
            // `/api/v2/status` tells our server from a stranger on the same port.
            let config = format!(
                "{config_yaml}\ntemplates:\n  - {}\n",
                serde_json::to_string(&dir.join("*.tmpl")).unwrap()
            );
            let file = dir.join("alertmanager.yml");
            std::fs::write(&file, config).unwrap();
            let cluster_addr = match gossip {
                Gossip::Off => String::new(),
                Gossip::Join(_) => format!("127.0.0.1:{cluster}"),
            };
            let mut cmd = Command::new(&bin);
            cmd.arg(format!("--config.file={}", file.display()))
                .arg(format!("--storage.path={}", dir.join("data").display()))
                .arg(format!("--web.listen-address=127.0.0.1:{web}"))
                .arg(format!("--cluster.listen-address={cluster_addr}"));
            if let Gossip::Join(Some(peer)) = gossip {
                cmd.arg(format!("--cluster.peer={peer}"));
            }
            Plan {
                cmd,
                url: format!("http://127.0.0.1:{web}"),
                extra: cluster_addr,
            }
        };
        let is_ours = |url: &str, dir: &Path| {
            http("GET", &format!("{url}/api/v2/status"), None)
                .is_ok_and(|r| r.is_success() && r.body.contains(&dir.display().to_string()))
        };
        let (process, url, cluster_addr) = launch("alertmanager", plan, is_ours);
        Alertmanager {
            url,
            cluster_addr,
            process,
        }
    }

    /// SIGKILLs the process now (a crashed peer); does nothing the second time.
    pub fn kill(&mut self) {
        self.process.kill();
    }

    /// Whether the process is still alive.
    pub fn running(&self) -> bool {
        self.process.running()
    }

    /// Its process id (also after it was killed).
    pub fn pid(&self) -> u32 {
        self.process.pid
    }

    /// The last lines of its log.
    pub fn log_tail(&self) -> String {
        self.process.tail()
    }

    /// `GET path_and_query` as JSON; panics with the answer and the log unless 2xx.
    pub fn get(&self, path_and_query: &str) -> Value {
        exchange(
            &self.process,
            "GET",
            &format!("{}{path_and_query}", self.url),
            None,
        )
    }

    /// `POST path` with a JSON body; the answer as JSON (`null` when empty).
    pub fn post(&self, path: &str, body: &Value) -> Value {
        exchange(
            &self.process,
            "POST",
            &format!("{}{path}", self.url),
            Some(body),
        )
    }

    /// `POST /api/v2/alerts`; panics with the response on non-2xx.
    pub fn post_alerts(&self, alerts: &Value) {
        self.post("/api/v2/alerts", alerts);
    }

    /// `GET /api/v2/alerts`: every alert it holds, silenced and inhibited ones included.
    pub fn alerts(&self) -> Value {
        self.get("/api/v2/alerts")
    }

    /// `GET /api/v2/silences`: every silence, expired ones included.
    pub fn silences(&self) -> Value {
        self.get("/api/v2/silences")
    }

    /// Silences alerts whose labels equal all of `matchers` for an hour; the silence id.
    pub fn silence(&self, matchers: &[(&str, &str)], comment: &str) -> String {
        let now = chrono::Utc::now();
        let matchers: Vec<Value> = matchers
            .iter()
            .map(|(name, value)| {
                json!({"name": name, "value": value, "isRegex": false, "isEqual": true})
            })
            .collect();
        let answer = self.post(
            "/api/v2/silences",
            &json!({
                "matchers": matchers,
                "startsAt": now.to_rfc3339(),
                "endsAt": (now + chrono::Duration::hours(1)).to_rfc3339(),
                "createdBy": "clops tests",
                "comment": comment,
            }),
        );
        answer["silenceID"]
            .as_str()
            .unwrap_or_else(|| panic!("no silenceID in {answer}"))
            .to_string()
    }

    /// The gossip addresses in its `GET /api/v2/status` (`cluster.peers`), itself
    /// included; empty when gossip is disabled.
    pub fn peers(&self) -> Vec<String> {
        self.try_peers().unwrap_or_else(|| {
            panic!(
                "no cluster status from {}{}",
                self.url,
                self.process.report()
            )
        })
    }

    fn try_peers(&self) -> Option<Vec<String>> {
        let r = http("GET", &format!("{}/api/v2/status", self.url), None).ok()?;
        let status: Value = serde_json::from_str(&r.body).ok()?;
        let peers = status["cluster"]["peers"].as_array()?;
        Some(
            peers
                .iter()
                .filter_map(|p| p["address"].as_str().map(str::to_string))
                .collect(),
        )
    }

    /// Runs `amtool --alertmanager.url=<url> <args>` (with a private HOME, so no user
    /// amtool config applies).
    pub fn amtool(&self, args: &[&str]) -> Output {
        Command::new(AMTOOL)
            .arg(format!("--alertmanager.url={}", self.url))
            .args(args)
            .env("HOME", self.process.dir.path())
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("could not run {AMTOOL}: {e}"))
    }
}

#[derive(Clone, Copy)]
enum Gossip<'a> {
    Off,
    /// Listen for gossip, joining the peer at this address if any.
    Join(Option<&'a str>),
}

impl Drop for Alertmanager {
    fn drop(&mut self) {
        self.process.kill();
    }
}

/// `v` as a JSON string or list, which YAML reads as the same thing.
fn quoted(v: &impl serde::Serialize) -> String {
    serde_json::to_string(v).unwrap()
}

// ---------------------------------------------------------------------------------
// Prometheus.

/// A real Prometheus.
pub struct Prometheus {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub url: String,
    process: Process,
}

impl Prometheus {
    /// Scrapes itself every 1s, evaluates `rules_yaml` every 1s, and sends alerts to
    /// every Alertmanager given.
    ///
    /// `rules_yaml` is either a whole rule file (`groups: …`) or just a list of rules
    /// (`- alert: …`), which goes into one group.
    pub fn start(rules_yaml: &str, alertmanagers: &[&Alertmanager]) -> Prometheus {
        Self::start_with(rules_yaml, alertmanagers, "", &[])
    }

    /// A Prometheus that accepts history by remote write: samples up to 40 days old
    /// (`out_of_order_time_window`), plus `extra_args` on its command line. See
    /// `common::remote_write`.
    pub fn start_for_history(rules_yaml: &str, extra_args: &[&str]) -> Prometheus {
        let args: Vec<String> = extra_args.iter().map(|a| a.to_string()).collect();
        Self::start_with(
            rules_yaml,
            &[],
            "storage:\n  tsdb:\n    out_of_order_time_window: 40d\n",
            &args,
        )
    }

    fn start_with(
        rules_yaml: &str,
        alertmanagers: &[&Alertmanager],
        extra_config: &str,
        extra_args: &[String],
    ) -> Prometheus {
        let bin = which(PROMETHEUS).unwrap_or_else(|| PROMETHEUS.into());
        let rules = if rules_yaml.trim().is_empty() {
            "groups: []\n".to_string()
        } else if rules_yaml.trim_start().starts_with("groups:") {
            rules_yaml.to_string()
        } else {
            let indented: String = rules_yaml.lines().map(|l| format!("      {l}\n")).collect();
            format!("groups:\n  - name: clops-test\n    interval: 1s\n    rules:\n{indented}")
        };
        let targets: Vec<String> = alertmanagers
            .iter()
            .map(|am| am.url.trim_start_matches("http://").to_string())
            .collect();
        let plan = |dir: &Path| {
            let port = free_port();
            let rule_file = dir.join("rules.yml");
            std::fs::write(&rule_file, &rules).unwrap();
            let mut config = format!(
                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n\
                 rule_files:\n  - {}\n\
                 scrape_configs:\n  - job_name: prometheus\n    static_configs:\n      \
                 - targets: [{}]\n",
                quoted(&rule_file),
                quoted(&format!("127.0.0.1:{port}")),
            );
            if !targets.is_empty() {
                config.push_str(&format!(
                    "alerting:\n  alertmanagers:\n    - static_configs:\n        \
                     - targets: {}\n",
                    quoted(&targets)
                ));
            }
            config.push_str(extra_config);
            let file = dir.join("prometheus.yml");
            std::fs::write(&file, config).unwrap();
            let url = format!("http://127.0.0.1:{port}");
            let mut cmd = Command::new(&bin);
            cmd.arg(format!("--config.file={}", file.display()))
                .arg(format!(
                    "--storage.tsdb.path={}",
                    dir.join("data").display()
                ))
                .arg("--storage.tsdb.retention.time=400d")
                .arg("--web.enable-remote-write-receiver")
                .arg(format!("--web.listen-address=127.0.0.1:{port}"))
                .arg(format!("--web.external-url={url}/"))
                .arg("--rules.alert.resend-delay=2s")
                .args(extra_args);
            Plan {
                cmd,
                url,
                extra: (),
            }
        };
        let is_ours = |url: &str, dir: &Path| {
            http("GET", &format!("{url}/api/v1/status/flags"), None).is_ok_and(|r| {
                r.is_success()
                    && serde_json::from_str::<Value>(&r.body).is_ok_and(|v| {
                        v["data"]["storage.tsdb.path"].as_str()
                            == Some(&dir.join("data").display().to_string())
                    })
            })
        };
        let (process, url, ()) = launch("prometheus", plan, is_ours);
        Prometheus { url, process }
    }

    /// Waits until `/api/v1/alertmanagers` lists at least `n` active Alertmanagers
    /// (about 5 s after start); only then do alerts start to arrive.
    pub fn wait_for_alertmanagers(&self, n: usize) {
        let active = || {
            http("GET", &format!("{}/api/v1/alertmanagers", self.url), None)
                .ok()
                .and_then(|r| serde_json::from_str::<Value>(&r.body).ok())
                .and_then(|v| v["data"]["activeAlertmanagers"].as_array().map(Vec::len))
                .unwrap_or(0)
        };
        wait_until(
            &format!("Prometheus to list {n} active Alertmanagers"),
            || active() >= n,
            || format!("\nit lists {}{}", active(), self.process.report()),
        );
    }

    /// `GET path_and_query` as JSON; panics with the answer and the log unless 2xx.
    pub fn get(&self, path_and_query: &str) -> Value {
        exchange(
            &self.process,
            "GET",
            &format!("{}{path_and_query}", self.url),
            None,
        )
    }

    /// An instant PromQL query; the `data.result` array.
    pub fn query(&self, promql: &str) -> Value {
        let v = self.get(&format!("/api/v1/query?query={}", urlencode(promql)));
        v["data"]["result"].clone()
    }

    /// SIGKILLs the process now; does nothing the second time.
    pub fn kill(&mut self) {
        self.process.kill();
    }

    /// Its process id (also after it was killed).
    pub fn pid(&self) -> u32 {
        self.process.pid
    }

    /// The last lines of its log.
    pub fn log_tail(&self) -> String {
        self.process.tail()
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        self.process.kill();
    }
}
