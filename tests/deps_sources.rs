//! Dependency sources merged into one map: a catalog file and Jaeger's dependencies
//! API (a fake shaped like Jaeger's `/api/dependencies` answer; Jaeger is not
//! packaged for this machine).

mod common;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

use serde_json::Value;

/// A fake Jaeger query service: answers `/api/dependencies` with `status` and `body`,
/// and keeps the request lines it saw.
fn fake_jaeger(status: &'static str, body: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut buf = [0u8; 8192];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]).to_string();
            log.lock()
                .unwrap()
                .push(request.lines().next().unwrap_or("").to_string());
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (format!("http://{addr}"), seen)
}

const DEPENDENCIES: &str = r#"{"data":[{"parent":"checkout","child":"payments","callCount":36000},{"parent":"payments","child":"payments-db","callCount":72000}],"total":2,"limit":0,"offset":0,"errors":null}"#;

fn config(home: &std::path::Path, jaeger: &str) {
    let dir = home.join("config/clops");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("catalog.toml"),
        "[[services]]\nname = \"frontend\"\ndepends_on = [\"checkout\"]\n\n[[services]]\nname = \"checkout\"\ndepends_on = [\"payments\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "[[sources]]\nname = \"map\"\nkind = \"catalog\"\npath = \"{}\"\n\n[[sources]]\nname = \"traces\"\nkind = \"jaeger\"\nurl = \"{jaeger}\"\ntimeout = \"2s\"\n",
            dir.join("catalog.toml").display()
        ),
    )
    .unwrap();
}

#[test]
fn jaeger_and_the_catalog_merge_into_one_map_with_call_rates() {
    let home = tempfile::tempdir().unwrap();
    let (url, seen) = fake_jaeger("200 OK", DEPENDENCIES);
    config(home.path(), &url);
    let out = common::clops_process(home.path())
        .args(["deps", "-o", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let edges: Vec<(String, String, Value)> = v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap().to_string(),
                e["to"].as_str().unwrap().to_string(),
                e["calls_per_s"].clone(),
            )
        })
        .collect();
    assert_eq!(
        edges,
        [
            ("checkout".into(), "payments".into(), Value::from(10.0)),
            ("frontend".into(), "checkout".into(), Value::Null),
            ("payments".into(), "payments-db".into(), Value::from(20.0)),
        ],
        "the catalog's edge and Jaeger's, each once, rates where traced"
    );
    let request = seen.lock().unwrap()[0].clone();
    assert!(
        request.starts_with("GET /api/dependencies?endTs="),
        "{request}"
    );
    assert!(request.contains("lookback=3600000"), "{request}");
}

#[test]
fn a_failing_jaeger_is_named_and_the_catalog_still_prints() {
    let home = tempfile::tempdir().unwrap();
    let (url, _) = fake_jaeger("401 Unauthorized", r#"{"error":"no token"}"#);
    config(home.path(), &url);
    let out = common::clops_process(home.path())
        .args(["deps"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "partial: printed, a source failed"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "frontend [ok]\n└── checkout [ok]\n    └── payments [ok]\n"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("traces") && err.contains("401"), "{err}");
}
