//! `clops incident …` as an incident commander at a shell sees it, and the store under
//! the worst a machine does to it: processes killed mid-write, several writing at once.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::Value;

mod common;

/// clops as alice, with a private HOME.
fn clops(home: &Path) -> std::process::Command {
    let mut cmd = common::clops_process(home);
    cmd.env("CLOPS_AUTHOR", "alice@jump-1");
    cmd
}

/// Runs clops; returns stdout, failing the test with stderr when it fails.
fn ok(home: &Path, args: &[&str]) -> String {
    let out = clops(home).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs clops expecting exit 1; returns stderr.
fn fails(home: &Path, args: &[&str]) -> String {
    let out = clops(home).args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{args:?} should fail");
    assert!(out.stdout.is_empty(), "{args:?} printed a result");
    String::from_utf8(out.stderr).unwrap()
}

fn json(home: &Path, args: &[&str]) -> Value {
    let out = ok(home, args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

fn declare(home: &Path, title: &str) -> String {
    let id = ok(
        home,
        &[
            "incident",
            "declare",
            "--title",
            title,
            "--severity",
            "sev2",
        ],
    );
    id.trim().to_string()
}

#[test]
fn an_incident_from_declaration_to_resolution() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let id = declare(h, "Checkout failing");
    let today = chrono::Utc::now().format("%Y%m%d").to_string();
    assert_eq!(id, format!("INC-{today}-1"));
    assert_eq!(declare(h, "Second thing"), format!("INC-{today}-2"));

    let said = ok(h, &["incident", "note", &id, "payments pool exhausted"]);
    assert_eq!(said, format!("{id} #2 note: payments pool exhausted\n"));
    ok(h, &["incident", "assign", &id, "scribe", "bob@jump-2"]);
    ok(h, &["incident", "assign", &id, "commander", "carol@jump-3"]);
    ok(h, &["incident", "status", &id, "identified"]);
    ok(h, &["incident", "status", &id, "monitoring"]);
    let out = clops(h)
        .args(["incident", "status", &id, "monitoring"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already monitoring; nothing recorded"));
    ok(
        h,
        &[
            "incident",
            "action",
            &id,
            "Alert on pool saturation",
            "--owner",
            "bob",
            "--type",
            "prevent",
        ],
    );
    ok(h, &["incident", "status", &id, "resolved"]);

    let v = json(h, &["incident", "show", &id, "-o", "json"]);
    let inc = &v["incident"];
    assert_eq!(inc["id"], id.as_str());
    assert_eq!(inc["title"], "Checkout failing");
    assert_eq!(inc["severity"], "sev2");
    assert_eq!(inc["status"], "resolved");
    assert_eq!(inc["commander"], "carol@jump-3");
    assert_eq!(inc["roles"]["scribe"], "bob@jump-2");
    assert!(inc["declared_at"].as_str().unwrap().ends_with('Z'));
    let events = v["events"].as_array().unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "declared",
            "note",
            "role_assigned",
            "role_assigned",
            "status_changed",
            "status_changed",
            "action_item",
            "status_changed"
        ]
    );
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e["seq"], i as u64 + 1);
        assert_eq!(e["author"], "alice@jump-1");
    }
    assert_eq!(events[1]["data"]["text"], "payments pool exhausted");
    assert_eq!(events[6]["data"]["type"], "prevent");

    let list = json(h, &["incident", "list", "-o", "json"]);
    let ids: Vec<&str> = list["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [format!("INC-{today}-2"), id.clone()]);
    let table = ok(h, &["incident", "list"]);
    assert!(
        table.contains("resolved") && table.contains("Checkout failing"),
        "{table}"
    );
    let shown = ok(h, &["incident", "show", &id]);
    assert!(shown.contains("scribe: bob@jump-2"), "{shown}");
    assert!(shown.contains("status identified → monitoring"), "{shown}");
}

#[test]
fn the_impact_start_gives_the_time_to_detect() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let id = ok(
        h,
        &[
            "incident",
            "declare",
            "--title",
            "x",
            "--severity",
            "sev2",
            "--started",
            "2026-11-21T19:00:00Z",
        ],
    );
    let id = id.trim();
    let v = json(h, &["incident", "export", id, "--format", "json"]);
    assert_eq!(v["incident"]["moments"]["started"], "2026-11-21T19:00:00Z");
    // Nothing attached: detected is the declaration, so the time to detect is long.
    assert!(v["incident"]["moments"]["to_detect_s"].as_i64().unwrap() > 3600);
    let md = ok(h, &["incident", "export", id, "--format", "md"]);
    assert!(md.contains("Time to detect: "), "{md}");
    let v = json(h, &["incident", "show", &declare(h, "y"), "-o", "json"]);
    assert!(v["incident"]["moments"]["started"].is_null());
    let err = fails(
        h,
        &[
            "incident",
            "declare",
            "--title",
            "x",
            "--severity",
            "sev2",
            "--started",
            "2999-01-01T00:00:00Z",
        ],
    );
    assert!(
        err.contains("--started: `2999-01-01T00:00:00Z` is in the future"),
        "{err}"
    );
    let err = fails(
        h,
        &[
            "incident",
            "declare",
            "--title",
            "x",
            "--severity",
            "sev2",
            "--started",
            "lunch",
        ],
    );
    assert!(err.contains("--started: `lunch` is neither"), "{err}");
}

#[test]
fn mistakes_are_one_clear_line_and_record_nothing() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let id = declare(h, "db down");
    let err = fails(h, &["incident", "note", "INC-20200101-7", "x"]);
    assert!(err.contains("no incident INC-20200101-7"), "{err}");
    let err = fails(h, &["incident", "show", "42"]);
    assert!(err.contains("not an incident id"), "{err}");
    let err = fails(h, &["incident", "assign", &id, "captain", "bob"]);
    assert!(
        err.contains("unknown role `captain` (roles: commander, scribe, comms, ops)"),
        "{err}"
    );
    let err = fails(
        h,
        &["incident", "declare", "--title", "  ", "--severity", "sev1"],
    );
    assert!(err.contains("--title"), "{err}");
    let err = fails(h, &["--read-only", "incident", "note", &id, "x"]);
    assert!(err.contains("read-only: refusing to add a note"), "{err}");
    let v = json(h, &["incident", "show", &id, "-o", "json"]);
    assert_eq!(v["events"].as_array().unwrap().len(), 1, "{v}");
    // A usage error is exit 2, from the argument parser.
    let out = clops(h)
        .args(["incident", "declare", "--title", "x", "--severity", "sev9"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn roles_and_the_store_come_from_the_config() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let config = h.join("clops.toml");
    std::fs::write(
        &config,
        "[incident]\nroles = [\"commander\", \"liaison\"]\n",
    )
    .unwrap();
    let c = config.to_str().unwrap();
    let id = ok(
        h,
        &[
            "--config",
            c,
            "incident",
            "declare",
            "--title",
            "x",
            "--severity",
            "sev3",
        ],
    );
    let id = id.trim();
    ok(
        h,
        &["--config", c, "incident", "assign", id, "liaison", "dan"],
    );
    let err = fails(
        h,
        &["--config", c, "incident", "assign", id, "scribe", "dan"],
    );
    assert!(err.contains("roles: commander, liaison"), "{err}");

    std::fs::write(&config, "[incident]\nstore = \"postgres://db/clops\"\n").unwrap();
    let err = fails(h, &["--config", c, "incident", "list"]);
    assert!(err.starts_with("clops: not available yet: "), "{err}");

    std::fs::write(&config, "[incident]\nroles = [\"scribe\"]\n").unwrap();
    let err = fails(h, &["--config", c, "incident", "list"]);
    assert!(
        err.contains("clops.toml:2:") && err.contains("incident.roles"),
        "{err}"
    );
}

#[test]
fn attaching_an_alert_no_source_knows_keeps_its_fingerprint() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let id = declare(h, "x");
    let out = clops(h)
        .args(["incident", "attach", &id, "--alert", "7f3a9c1e2b4d6f80"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("recorded by fingerprint only"), "{err}");
    let v = json(h, &["incident", "show", &id, "-o", "json"]);
    assert_eq!(v["events"][1]["kind"], "alert_attached");
    assert_eq!(
        v["events"][1]["data"]["alerts"][0]["fingerprint"],
        "7f3a9c1e2b4d6f80"
    );
}

#[test]
fn export_writes_the_postmortem_and_says_so_in_the_timeline() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let id = declare(h, "Checkout failing");
    ok(h, &["incident", "note", &id, "rolled back v2.8.0"]);
    let file = h.join("pm.md");
    ok(
        h,
        &[
            "incident",
            "export",
            &id,
            "--format",
            "md",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    let md = std::fs::read_to_string(&file).unwrap();
    assert!(md.starts_with("# Postmortem: Checkout failing"), "{md}");
    assert!(md.contains("rolled back v2.8.0"), "{md}");
    let v = json(h, &["incident", "export", &id, "--format", "json"]);
    // The JSON export is the timeline contract; the md export is in it already.
    let kinds: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["declared", "note", "exported"]);
    let v = json(h, &["incident", "show", &id, "-o", "json"]);
    assert_eq!(v["events"][3]["data"]["format"], "json");
}

#[test]
fn stats_count_by_severity() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let a = declare(h, "a");
    declare(h, "b");
    ok(
        h,
        &["incident", "declare", "--title", "c", "--severity", "sev1"],
    );
    ok(h, &["incident", "status", &a, "resolved"]);
    let out = ok(h, &["incident", "stats", "--since", "7d"]);
    assert!(out.contains("sev1") && out.contains("sev2"), "{out}");
    let err = fails(h, &["incident", "stats", "--since", "soon"]);
    assert!(err.contains("--since"), "{err}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(h, &["incident", "stats", "-o", "json"])).unwrap();
    assert_eq!(json["total"], 3);
    assert_eq!(json["open"], 2);
    assert_eq!(json["resolved"], 1);
    assert_eq!(json["by_severity"]["sev1"], 1);
    assert_eq!(json["by_severity"]["sev4"], 0, "every severity is listed");
    assert!(json["mttr_s"].is_u64(), "{json}");
}

/// A small, seedable random source: the test says its seed, so a failure replays.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn note_child(home: &Path, id: &str, text: &str) -> Child {
    clops(home)
        .args(["incident", "note", id, text])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn events(home: &Path, id: &str) -> Vec<Value> {
    json(home, &["incident", "show", id, "-o", "json"])["events"]
        .as_array()
        .unwrap()
        .clone()
}

fn assert_seq_increasing(events: &[Value]) {
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "seq not increasing: {seqs:?}"
    );
    assert_eq!(seqs.first(), Some(&1));
}

#[test]
fn writers_killed_at_random_moments_lose_no_acknowledged_event() {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("seed {seed}");
    let mut rng = Rng(seed);
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let id = declare(h, "crash safety");
    let mut acknowledged: Vec<String> = Vec::new();
    let mut killed = 0;
    for round in 0..40 {
        // Three writers at once, each killed at a random moment of its short life
        // (start-up, opening the store, mid-transaction, after commit) or left alone.
        let mut children: Vec<(String, Child)> = (0..3)
            .map(|k| {
                let text = format!("round {round} writer {k}");
                let child = note_child(h, &id, &text);
                (text, child)
            })
            .collect();
        std::thread::sleep(Duration::from_micros(rng.below(40_000)));
        for (_, child) in &mut children {
            if rng.below(4) != 0 {
                let _ = child.kill(); // SIGKILL
            }
        }
        for (text, mut child) in children {
            let status = child.wait().unwrap();
            if status.success() {
                acknowledged.push(text);
            } else {
                killed += 1;
            }
        }
    }
    eprintln!("{} acknowledged, {killed} killed", acknowledged.len());
    assert!(killed > 0, "no writer was killed: the test proved nothing");
    // The store opens, and everything a writer said it wrote is there, in order.
    let events = events(h, &id);
    assert_seq_increasing(&events);
    let notes: Vec<&str> = events
        .iter()
        .filter(|e| e["kind"] == "note")
        .map(|e| e["data"]["text"].as_str().unwrap())
        .collect();
    for text in &acknowledged {
        assert!(
            notes.contains(&text.as_str()),
            "acknowledged note lost: {text}"
        );
    }
    // And the store still takes writes.
    ok(h, &["incident", "note", &id, "after the storm"]);
}

#[test]
fn two_processes_appending_at_once_lose_nothing() {
    let home = tempfile::tempdir().unwrap();
    let h: PathBuf = home.path().to_path_buf();
    let id = declare(&h, "busy timeline");
    let writers: Vec<_> = ["scribe", "commander"]
        .into_iter()
        .map(|who| {
            let (h, id) = (h.clone(), id.clone());
            std::thread::spawn(move || {
                for i in 0..15 {
                    ok(&h, &["incident", "note", &id, &format!("{who} {i}")]);
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let events = events(&h, &id);
    assert_eq!(events.len(), 31);
    assert_seq_increasing(&events);
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=31).collect::<Vec<u64>>());
    for who in ["scribe", "commander"] {
        for i in 0..15 {
            let text = format!("{who} {i}");
            assert!(
                events.iter().any(|e| e["data"]["text"] == text.as_str()),
                "{text} lost"
            );
        }
    }
}
