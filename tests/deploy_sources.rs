//! The deploy sources against local fakes of GitHub, Argo CD and Grafana that answer
//! with the payloads of the vendors' published API docs — pages, refusals, rate limits
//! and slow answers included — and the `command` source running real commands.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use clops::model::Health;
use clops::secrets::{Keyring, KeyringError};
use clops::sources::registry::{Configured, build_sources};
use clops::sources::{PollSettings, Snapshot, SourceError, SourceSet, spawn_poller};
use common::fake_http::{FakeServer, Reply, Request};
use common::servers::eventually;
use serde_json::{Value, json};

const TOKEN: &str = "ghp_s3cretTokenThatMustNeverShow";

/// A keyring that holds the token of every source.
struct Tokens;

impl Keyring for Tokens {
    fn get(&self, _source: &str) -> Result<Option<String>, KeyringError> {
        Ok(Some(TOKEN.into()))
    }
    fn set(&self, _source: &str, _token: &str) -> Result<(), KeyringError> {
        Ok(())
    }
}

/// The one source `toml` configures.
fn source(toml: &str) -> Configured {
    let config = clops::config::parse(Path::new("clops.toml"), toml).unwrap();
    build_sources(&config.sources, Arc::new(Tokens)).remove(0)
}

async fn fetch(c: &Configured) -> Result<Snapshot, SourceError> {
    clops::sources::poll::fetch_once(c.source.as_ref(), c.poll.deadline()).await
}

fn ago(minutes: i64) -> DateTime<Utc> {
    Utc::now() - chrono::Duration::minutes(minutes)
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn bearer(r: &Request) -> Option<&str> {
    r.header("authorization")
}

// ---------------------------------------------------------------- GitHub

fn gh_user(login: &str) -> Value {
    json!({"login": login, "id": 1, "node_id": "MDQ6VXNlcjE=", "type": "User", "site_admin": false,
           "url": format!("https://api.github.com/users/{login}")})
}

/// A deployment as `GET /repos/{owner}/{repo}/deployments` lists it.
fn gh_deployment(id: u64, git_ref: &str, sha: &str, env: &str, created: DateTime<Utc>) -> Value {
    json!({
        "url": format!("https://api.github.com/repos/acme/checkout/deployments/{id}"),
        "id": id,
        "node_id": "MDEwOkRlcGxveW1lbnQx",
        "sha": sha,
        "ref": git_ref,
        "task": "deploy",
        "payload": {},
        "original_environment": env,
        "environment": env,
        "description": "Deploy request from CI",
        "creator": gh_user("octocat"),
        "created_at": time(created),
        "updated_at": time(created),
        "statuses_url": format!("https://api.github.com/repos/acme/checkout/deployments/{id}/statuses"),
        "repository_url": "https://api.github.com/repos/acme/checkout",
        "transient_environment": false,
        "production_environment": env == "production"
    })
}

/// A status as `GET …/deployments/{id}/statuses` lists it.
fn gh_status(id: u64, state: &str, created: DateTime<Utc>) -> Value {
    json!({
        "url": format!("https://api.github.com/repos/acme/checkout/deployments/42/statuses/{id}"),
        "id": id,
        "node_id": "MDE2OkRlcGxveW1lbnRTdGF0dXMx",
        "state": state,
        "creator": gh_user("ci-bot"),
        "description": "Deployment finished.",
        "environment": "production",
        "target_url": format!("https://ci.example/deploy/{id}"),
        "created_at": time(created),
        "updated_at": time(created),
        "deployment_url": "https://api.github.com/repos/acme/checkout/deployments/42",
        "repository_url": "https://api.github.com/repos/acme/checkout",
        "environment_url": "https://checkout.example",
        "log_url": format!("https://ci.example/deploy/{id}/log")
    })
}

const SHA1: &str = "a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d";
const SHA2: &str = "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c";
const SHA3: &str = "ffeeddccbbaa99887766554433221100ffeeddcc";

/// A GitHub Enterprise Server (`/api/v3`) with three recent deployments over two pages
/// and an old one on the second page, after which a third page exists that clops must
/// not need.
fn github_fake() -> FakeServer {
    let (t1, t2, t3, old) = (ago(10), ago(70), ago(200), ago(3 * 24 * 60));
    FakeServer::start(move |r| {
        let base = format!("http://{}/api/v3", r.header("host").unwrap_or(""));
        let list = "/api/v3/repos/acme/checkout/deployments";
        match (r.path.as_str(), r.param("page")) {
            (p, None) if p == list => Reply::json(&json!([
                gh_deployment(103, "v2.8.0", SHA1, "production", t1),
                gh_deployment(102, "main", SHA2, "production", t2),
            ]))
            .header(
                "Link",
                &format!(
                    "<{base}/repositories/1/deployments?per_page=100&page=2>; rel=\"next\", <{base}/repositories/1/deployments?per_page=100&page=3>; rel=\"last\""
                ),
            ),
            ("/api/v3/repositories/1/deployments", Some("2")) => Reply::json(&json!([
                gh_deployment(101, SHA3, SHA3, "production", t3),
                gh_deployment(100, "v2.6.0", SHA3, "production", old),
            ]))
            .header(
                "Link",
                &format!(
                    "<{base}/repositories/1/deployments?per_page=100&page=3>; rel=\"next\", <{base}/repositories/1/deployments?per_page=100&page=1>; rel=\"first\""
                ),
            ),
            ("/api/v3/repos/acme/checkout/deployments/103/statuses", _) => Reply::json(&json!([
                gh_status(3, "success", t1 + chrono::Duration::minutes(2)),
                gh_status(2, "in_progress", t1 + chrono::Duration::minutes(1)),
                gh_status(1, "queued", t1),
            ])),
            ("/api/v3/repos/acme/checkout/deployments/102/statuses", _) => {
                Reply::json(&json!([gh_status(5, "error", t2)]))
            }
            ("/api/v3/repos/acme/checkout/deployments/101/statuses", _) => Reply::json(&json!([])),
            _ => Reply::status(404)
                .body(r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}"#),
        }
    })
}

fn github_config(url: &str, extra: &str) -> String {
    format!(
        "[[sources]]\nname = \"gh-checkout\"\nkind = \"github\"\nurl = \"{url}\"\nrepo = \"acme/checkout\"\n{extra}"
    )
}

#[tokio::test]
async fn github_reads_deployments_page_by_page_with_their_newest_status() {
    let fake = github_fake();
    let gh = source(&github_config(
        &format!("{}/api/v3", fake.url()),
        "service = \"checkout\"\nenvironment = \"production\"\n",
    ));
    let snap = fetch(&gh).await.unwrap();
    let seen: Vec<(&str, &str, &str)> = snap
        .deploys
        .iter()
        .map(|d| (d.service.as_str(), d.version.as_str(), d.status.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("checkout", "v2.8.0", "success"),
            ("checkout", "main@0b1c2d3", "failure"),
            ("checkout", "ffeeddc", "pending"),
        ],
        "newest first; the one older than the history window is left out"
    );
    let newest = &snap.deploys[0];
    assert_eq!(newest.source, "gh-checkout");
    assert_eq!(
        newest.url.as_deref(),
        Some("https://ci.example/deploy/3/log")
    );
    assert_eq!(newest.environment.as_deref(), Some("production"));
    assert_eq!(newest.author.as_deref(), Some("octocat"));
    assert!(snap.partial_errors.is_empty(), "{:?}", snap.partial_errors);

    let lists = fake.requests_to("/api/v3/repos/acme/checkout/deployments");
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].param("environment"), Some("production"));
    assert_eq!(lists[0].param("per_page"), Some("100"));
    let requests = fake.requests();
    let page_numbers: Vec<&str> = requests
        .iter()
        .filter(|r| r.path == "/api/v3/repositories/1/deployments")
        .filter_map(|r| r.param("page"))
        .collect();
    assert_eq!(
        page_numbers,
        ["2"],
        "page 2 reached back past the history window, so page 3 was not asked for"
    );
    for r in &requests {
        assert_eq!(
            bearer(r),
            Some(format!("Bearer {TOKEN}").as_str()),
            "{}",
            r.path
        );
        assert_eq!(r.header("accept"), Some("application/vnd.github+json"));
        assert_eq!(r.header("x-github-api-version"), Some("2022-11-28"));
    }
}

#[tokio::test]
async fn a_repository_the_token_cannot_see_says_so() {
    let fake = FakeServer::start(|_| {
        Reply::status(404)
            .body(r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest/deployments/deployments#list-deployments","status":"404"}"#)
    });
    let gh = source(&github_config(&fake.url(), ""));
    let err = fetch(&gh).await.unwrap_err().to_string();
    assert!(
        err.contains("HTTP 404")
            && err.contains("no repository acme/checkout that this token can read"),
        "{err}"
    );
}

#[tokio::test]
async fn github_asks_again_only_for_statuses_that_can_still_change() {
    let fake = github_fake();
    let gh = source(&github_config(&format!("{}/api/v3", fake.url()), ""));
    let first = fetch(&gh).await.unwrap();
    let second = fetch(&gh).await.unwrap();
    assert!(first.same_data(&second));
    let statuses = |id: u64| {
        fake.requests_to(&format!(
            "/api/v3/repos/acme/checkout/deployments/{id}/statuses"
        ))
        .len()
    };
    // success and error are final; a deployment nobody reported on yet is asked again.
    assert_eq!((statuses(103), statuses(102), statuses(101)), (1, 1, 2));
    // Without `service`, the repository's name is the service.
    assert!(first.deploys.iter().all(|d| d.service == "checkout"));
}

#[tokio::test]
async fn a_next_page_on_another_server_is_not_followed() {
    let fake = FakeServer::start(|r| {
        if r.path.ends_with("/statuses") {
            return Reply::json(&json!([]));
        }
        Reply::json(&json!([gh_deployment(
            7,
            "v1.0.0",
            SHA1,
            "production",
            ago(5)
        )]))
        .header(
            "Link",
            "<http://127.0.0.2:9/repositories/1/deployments?page=2>; rel=\"next\"",
        )
    });
    let gh = source(&github_config(&fake.url(), ""));
    let snap = fetch(&gh).await.unwrap();
    assert_eq!(snap.deploys.len(), 1);
}

#[tokio::test]
async fn github_refusing_the_token_is_a_clear_error_that_never_shows_it() {
    let fake = FakeServer::start(|_| {
        Reply::status(401)
            .body(r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}"#)
    });
    let gh = source(&github_config(&fake.url(), ""));
    let err = fetch(&gh).await.unwrap_err().to_string();
    assert!(err.contains("HTTP 401"), "{err}");
    assert!(err.contains("Bad credentials"), "{err}");
    assert!(err.contains("clops auth status"), "{err}");
    assert!(!err.contains(TOKEN), "{err}");
    assert_eq!(fake.requests().len(), 1, "one refusal is enough");
}

#[test]
fn a_429_holds_the_next_request_until_retry_after() {
    const RETRY_AFTER: u64 = 3;
    let asked = Arc::new(AtomicUsize::new(0));
    let fake = {
        let asked = asked.clone();
        FakeServer::start(move |_| {
            if asked.fetch_add(1, Ordering::SeqCst) == 0 {
                // GitHub's secondary rate limit, as its docs describe it.
                Reply::status(429)
                    .header("Retry-After", &RETRY_AFTER.to_string())
                    .body(r#"{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}"#)
            } else {
                Reply::json(&json!([gh_deployment(
                    9,
                    "v1.0.0",
                    SHA1,
                    "production",
                    ago(5)
                )]))
            }
        })
    };
    let gh = source(&github_config(&fake.url(), ""));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    // Polled every second: without honouring Retry-After it would ask again within ~1.2s.
    let settings = PollSettings::new(Duration::from_secs(1), Duration::from_secs(2));
    let refresh = Arc::new(tokio::sync::Notify::new());
    let _poller = {
        let _inside = rt.enter();
        spawn_poller(gh.source.clone(), settings, tx, refresh.clone())
    };
    let first = rt.block_on(rx.recv()).unwrap();
    let err = first.result.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(RETRY_AFTER)));
    assert!(err.to_string().contains("HTTP 429"), "{err}");
    // Someone presses refresh at once: it must not cut the wait short.
    refresh.notify_one();
    let second = rt.block_on(rx.recv()).unwrap();
    assert!(second.result.is_ok());
    let lists = fake.requests_to("/repos/acme/checkout/deployments");
    assert!(lists.len() >= 2);
    let gap = lists[1].at - lists[0].at;
    // Measured by the server: the second request came no earlier than it asked.
    assert!(
        gap >= Duration::from_secs(RETRY_AFTER) - Duration::from_millis(100),
        "asked again after {gap:?}"
    );
    rt.shutdown_background();
}

#[test]
fn a_slow_answer_times_out_and_the_last_good_deploys_are_kept() {
    let asked = Arc::new(AtomicUsize::new(0));
    let fake = {
        let asked = asked.clone();
        FakeServer::start(move |r| {
            if r.path.ends_with("/statuses") {
                return Reply::json(&json!([gh_status(1, "success", ago(4))]));
            }
            let reply = Reply::json(&json!([gh_deployment(
                9,
                "v1.0.0",
                SHA1,
                "production",
                ago(5)
            )]));
            if asked.fetch_add(1, Ordering::SeqCst) == 0 {
                reply
            } else {
                // Far past the source's 1s timeout.
                reply.after(Duration::from_secs(5))
            }
        })
    };
    let gh = source(&github_config(
        &fake.url(),
        "poll = \"1s\"\ntimeout = \"1s\"\n",
    ));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    let _poller = {
        let _inside = rt.enter();
        spawn_poller(
            gh.source.clone(),
            gh.poll,
            tx,
            Arc::new(tokio::sync::Notify::new()),
        )
    };
    let mut set = SourceSet::new([("gh-checkout", "github")]);
    let first = rt.block_on(rx.recv()).unwrap();
    assert!(first.result.is_ok(), "{:?}", first.result);
    set.apply(first);
    let second = rt.block_on(rx.recv()).unwrap();
    let err = second.result.clone().unwrap_err().to_string();
    assert!(err.contains("no answer within 1s"), "{err}");
    set.apply(second);
    let status = &set.statuses()[0];
    assert_eq!(status.status, Health::Stale);
    assert!(status.error.as_deref().unwrap().contains("no answer"));
    let kept: Vec<&str> = set
        .snapshots()
        .flat_map(|s| s.deploys.iter().map(|d| d.version.as_str()))
        .collect();
    assert_eq!(kept, ["v1.0.0"]);
    rt.shutdown_background();
}

// ---------------------------------------------------------------- Argo CD

fn argo_history(id: i64, revision: &str, deployed: DateTime<Utc>, who: Value) -> Value {
    json!({
        "id": id,
        "revision": revision,
        "deployStartedAt": time(deployed - chrono::Duration::seconds(40)),
        "deployedAt": time(deployed),
        "source": {"repoURL": "https://github.com/acme/deploy.git", "path": "apps/checkout",
                   "targetRevision": "HEAD"},
        "initiatedBy": who
    })
}

/// One application as `GET /api/v1/applications` lists it (trimmed of its resources).
fn argo_app(
    name: &str,
    sync_rev: &str,
    health: &str,
    history: Vec<Value>,
    op: Option<Value>,
) -> Value {
    let mut status = json!({
        "sync": {"status": "Synced", "revision": sync_rev,
                 "comparedTo": {"source": {"repoURL": "https://github.com/acme/deploy.git"},
                                "destination": {"server": "https://kubernetes.default.svc", "namespace": name}}},
        "health": {"status": health},
        "history": history,
        "reconciledAt": time(ago(1)),
        "sourceType": "Kustomize",
        "summary": {"images": [format!("registry.example/{name}:1")]}
    });
    if let Some(op) = op {
        status["operationState"] = op;
    }
    json!({
        "metadata": {"name": name, "namespace": "argocd", "uid": "0d1f", "resourceVersion": "123",
                     "creationTimestamp": time(ago(90 * 24 * 60))},
        "spec": {"source": {"repoURL": "https://github.com/acme/deploy.git", "path": format!("apps/{name}"),
                            "targetRevision": "HEAD"},
                 "destination": {"name": "prod-eu", "namespace": name},
                 "project": "default",
                 "syncPolicy": {"automated": {"prune": true, "selfHeal": true}}},
        "status": status
    })
}

const REV_A: &str = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const REV_B: &str = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const REV_C: &str = "3333333ccccccccccccccccccccccccccccccccc";

#[tokio::test]
async fn argocd_history_rollbacks_running_and_failed_syncs_and_health() {
    let alice = json!({"username": "alice"});
    let auto = json!({"automated": true});
    let items = json!([
        argo_app(
            "checkout-prod",
            REV_A,
            "Healthy",
            vec![
                argo_history(1, REV_A, ago(180), alice.clone()),
                argo_history(2, REV_B, ago(120), auto.clone()),
                argo_history(3, REV_A, ago(60), alice.clone()),
            ],
            Some(json!({
                "operation": {"sync": {"revision": REV_C}, "initiatedBy": {"username": "bob"}},
                "phase": "Running",
                "message": "waiting for healthy state of apps/Deployment/checkout",
                "startedAt": time(ago(2))
            })),
        ),
        argo_app(
            "payments",
            REV_B,
            "Degraded",
            vec![argo_history(7, REV_B, ago(30), auto.clone())],
            None,
        ),
        argo_app(
            "search",
            REV_A,
            "Healthy",
            vec![argo_history(4, REV_A, ago(50), auto.clone())],
            Some(json!({
                "operation": {"sync": {"revision": REV_B}, "initiatedBy": {"automated": true}},
                "phase": "Failed",
                "message": "one or more objects failed to apply",
                "startedAt": time(ago(20)),
                "finishedAt": time(ago(19)),
                "syncResult": {"revision": REV_B}
            })),
        ),
        // Synced once, long ago: outside the window.
        argo_app(
            "old",
            REV_A,
            "Healthy",
            vec![argo_history(1, REV_A, ago(5 * 24 * 60), auto)],
            None
        ),
        // Just created, never synced.
        json!({"metadata": {"name": "fresh", "namespace": "argocd"}, "spec": {}, "status": {"sync": {"status": "OutOfSync"}}}),
    ]);
    let fake = FakeServer::start(move |r| match r.path.as_str() {
        "/api/v1/applications" => {
            Reply::json(&json!({"metadata": {"resourceVersion": "123"}, "items": items}))
        }
        _ => Reply::status(404),
    });
    let argo = source(&format!(
        "[[sources]]\nname = \"argo\"\nkind = \"argocd\"\nurl = \"{}\"\nservices = {{ \"checkout-prod\" = \"checkout\" }}\n",
        fake.url()
    ));
    let snap = fetch(&argo).await.unwrap();
    let seen: Vec<(&str, &str, &str, Option<&str>)> = snap
        .deploys
        .iter()
        .map(|d| {
            (
                d.service.as_str(),
                d.version.as_str(),
                d.status.as_str(),
                d.author.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("checkout", "3333333", "in_progress", Some("bob")),
            ("search", "2222222", "failure", Some("automated")),
            ("payments", "2222222", "degraded", Some("automated")),
            ("search", "1111111", "success", Some("automated")),
            ("checkout", "1111111", "rolled_back", Some("alice")),
            ("checkout", "2222222", "success", Some("automated")),
            ("checkout", "1111111", "success", Some("alice")),
        ]
    );
    let d = &snap.deploys[0];
    assert_eq!(d.environment.as_deref(), Some("prod-eu"));
    assert_eq!(
        d.url.as_deref(),
        Some(format!("{}/applications/argocd/checkout-prod", fake.url()).as_str())
    );
    assert_eq!(
        bearer(&fake.requests()[0]),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn argocd_with_no_applications_reports_none() {
    // Argo CD sends `"items": null` for an empty list.
    let fake = FakeServer::start(|_| Reply::json(&json!({"metadata": {}, "items": null})));
    let argo = source(&format!(
        "[[sources]]\nname = \"argo\"\nkind = \"argocd\"\nurl = \"{}\"\n",
        fake.url()
    ));
    assert!(fetch(&argo).await.unwrap().deploys.is_empty());
}

#[tokio::test]
async fn argocd_answering_401_names_the_refusal() {
    // Argo CD's API error shape (gRPC gateway).
    let fake = FakeServer::start(|_| {
        Reply::status(401).body(r#"{"error":"invalid session: token is expired","code":16,"message":"invalid session: token is expired"}"#)
    });
    let argo = source(&format!(
        "[[sources]]\nname = \"argo\"\nkind = \"argocd\"\nurl = \"{}\"\n",
        fake.url()
    ));
    let err = fetch(&argo).await.unwrap_err().to_string();
    assert!(
        err.contains("HTTP 401") && err.contains("token is expired"),
        "{err}"
    );
    assert!(!err.contains(TOKEN));
}

// ---------------------------------------------------------------- Grafana

/// An annotation as `GET /api/annotations` lists it.
fn annotation(id: i64, at: DateTime<Utc>, tags: &[&str], text: &str) -> Value {
    json!({
        "id": id, "alertId": 0, "alertName": "", "dashboardId": 468, "dashboardUID": "uGlb_lG7z",
        "panelId": 2, "userId": 1, "newState": "", "prevState": "",
        "created": at.timestamp_millis(), "updated": at.timestamp_millis(),
        "time": at.timestamp_millis(), "timeEnd": at.timestamp_millis(),
        "text": text, "tags": tags, "login": "ci", "email": "ci@example.com",
        "avatarUrl": "/avatar/1", "data": {}
    })
}

#[tokio::test]
async fn grafana_annotations_follow_the_tag_convention_and_are_read_back_past_the_limit() {
    // 105 deploys, one a minute: Grafana returns the newest 100 for `to = now`, the
    // rest when asked again up to the oldest of those.
    let base = Utc::now() - chrono::Duration::minutes(1);
    let all: Vec<Value> = (0..105)
        .map(|i| {
            let at = base - chrono::Duration::minutes(i);
            match i {
                0 => annotation(
                    1000,
                    at,
                    &["deploy", "prod"],
                    "checkout v2.8.0 deployed by ci",
                ),
                1 => annotation(999, at, &["deploy", "prod"], "<b>Deployed</b> something"),
                _ => annotation(
                    1000 - i,
                    at,
                    &[
                        "deploy",
                        "prod",
                        "service:search",
                        &format!("version:v1.{i}"),
                        "env:prod-eu",
                    ],
                    "",
                ),
            }
        })
        .collect();
    let fake = FakeServer::start(move |r| {
        let to: i64 = r.param("to").unwrap().parse().unwrap();
        let from: i64 = r.param("from").unwrap().parse().unwrap();
        let limit: usize = r.param("limit").unwrap().parse().unwrap();
        let page: Vec<&Value> = all
            .iter()
            .filter(|a| (from..=to).contains(&a["time"].as_i64().unwrap()))
            .take(limit)
            .collect();
        Reply::json(&json!(page))
    });
    let grafana = source(&format!(
        "[[sources]]\nname = \"grafana\"\nkind = \"grafana\"\nurl = \"{}\"\ntags = [\"deploy\", \"prod\"]\n",
        fake.url()
    ));
    let snap = fetch(&grafana).await.unwrap();
    assert_eq!(
        snap.deploys.len(),
        104,
        "every deploy once; one names no service"
    );
    let newest = &snap.deploys[0];
    assert_eq!(
        (
            newest.service.as_str(),
            newest.version.as_str(),
            newest.status.as_str()
        ),
        ("checkout", "v2.8.0", "success")
    );
    assert_eq!(
        newest.url.as_deref(),
        Some(format!("{}/d/uGlb_lG7z", fake.url()).as_str())
    );
    let second = &snap.deploys[1];
    assert_eq!(
        (
            second.service.as_str(),
            second.version.as_str(),
            second.environment.as_deref()
        ),
        ("search", "v1.2", Some("prod-eu"))
    );
    assert_eq!(snap.deploys.last().unwrap().version, "v1.104");
    assert_eq!(snap.partial_errors.len(), 1);
    assert!(
        snap.partial_errors[0].contains("1 deploy annotation(s) name no service"),
        "{:?}",
        snap.partial_errors
    );
    let requests = fake.requests_to("/api/annotations");
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(r.params("tags"), ["deploy", "prod"]);
        assert_eq!(r.param("type"), Some("annotation"));
        assert_eq!(bearer(r), Some(format!("Bearer {TOKEN}").as_str()));
    }
}

// ---------------------------------------------------------------- command

fn command_source(command: &str, extra: &str) -> Configured {
    source(&format!(
        "[[sources]]\nname = \"ci\"\nkind = \"command\"\ncommand = '''{command}'''\n{extra}"
    ))
}

#[tokio::test]
async fn a_command_s_bad_line_is_named_and_its_good_lines_kept() {
    let (t1, t2) = (time(ago(5)), time(ago(65)));
    let cmd = command_source(
        &format!(
            "echo '{{\"service\":\"checkout\",\"version\":\"v2.8.0\",\"at\":\"{t1}\",\"status\":\"success\",\"url\":\"https://ci.example/1\"}}'\n\
             echo 'deploying... done'\n\
             echo '{{\"service\":\"payments\",\"version\":\"v1.4.2\",\"at\":\"{t2}\",\"environment\":\"prod-us\"}}'"
        ),
        "environment = \"prod-eu\"\n",
    );
    let snap = fetch(&cmd).await.unwrap();
    let seen: Vec<(&str, &str, Option<&str>)> = snap
        .deploys
        .iter()
        .map(|d| {
            (
                d.service.as_str(),
                d.version.as_str(),
                d.environment.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("checkout", "v2.8.0", Some("prod-eu")),
            ("payments", "v1.4.2", Some("prod-us"))
        ]
    );
    assert_eq!(snap.partial_errors.len(), 1);
    assert!(
        snap.partial_errors[0].contains("line 2: not JSON"),
        "{:?}",
        snap.partial_errors
    );
}

#[tokio::test]
async fn a_command_is_told_how_far_back_to_look() {
    let cmd = command_source(
        "printf '{\"service\":\"s\",\"version\":\"%s\",\"at\":\"%s\"}\\n' \"$CLOPS_DEPLOYS_SINCE\" \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"",
        "history = \"2h\"\n",
    );
    let snap = fetch(&cmd).await.unwrap();
    let since = DateTime::parse_from_rfc3339(&snap.deploys[0].version).unwrap();
    let expected = Utc::now() - chrono::Duration::hours(2);
    assert!((since.with_timezone(&Utc) - expected).num_seconds().abs() < 600);
}

#[tokio::test]
async fn a_failing_command_says_why() {
    let cmd = command_source("echo 'cannot reach the deploy log' >&2; exit 3", "");
    let err = fetch(&cmd).await.unwrap_err().to_string();
    assert_eq!(
        err,
        "the command exited with status 3: cannot reach the deploy log"
    );
}

#[tokio::test]
async fn a_command_past_its_timeout_is_killed_with_everything_it_started() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("child.pid");
    let cmd = command_source(
        &format!("sleep 300 & echo $! > {}; wait", pidfile.display()),
        "timeout = \"1s\"\n",
    );
    let err = fetch(&cmd).await.unwrap_err();
    assert!(matches!(err, SourceError::Timeout(_)), "{err}");
    let pid: i32 = std::fs::read_to_string(&pidfile)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // The background `sleep` was in the command's process group: it is gone too (or
    // a zombie waiting for init, which no longer runs).
    eventually("the command's child to be gone", || {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        stat.is_empty() || stat.split_whitespace().nth(2) == Some("Z")
    });
}
