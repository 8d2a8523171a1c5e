//! Dependency sources merged into one map: a catalog file and Jaeger's dependencies
//! API (a fake shaped like Jaeger's `/api/dependencies` answer; Jaeger is not
//! packaged for this machine).

mod common;

use common::fake_http::{FakeServer, Reply};
use serde_json::Value;

/// A fake Jaeger query service answering `/api/dependencies` with `status` and `body`.
fn fake_jaeger(status: u16, body: &'static str) -> FakeServer {
    FakeServer::start(move |_| Reply::status(status).body(body))
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
    let jaeger = fake_jaeger(200, DEPENDENCIES);
    config(home.path(), &jaeger.url());
    let v = common::clops_json(home.path(), &["deps", "-o", "json"]);
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
    let request = &jaeger.requests()[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("GET", "/api/dependencies")
    );
    assert!(request.param("endTs").is_some(), "{request:?}");
    assert_eq!(request.param("lookback"), Some("3600000"));
}

#[test]
fn a_failing_jaeger_is_named_and_the_catalog_still_prints() {
    let home = tempfile::tempdir().unwrap();
    let jaeger = fake_jaeger(401, r#"{"error":"no token"}"#);
    config(home.path(), &jaeger.url());
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
