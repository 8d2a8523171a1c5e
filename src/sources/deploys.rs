//! What the deploy sources (`github`, `argocd`, `grafana`, `command`) share: their
//! config keys and checks, building them, and turning what they read into [`Deploy`]s.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::{SourceConfig, SourceKind};
use crate::model::Deploy;
use crate::secrets::Keyring;
use crate::text::clean_line;

use super::argocd::ArgocdSource;
use super::command::CommandSource;
use super::github::GithubSource;
use super::grafana::GrafanaSource;
use super::http::{Endpoint, HttpClient};
use super::registry::{BuildError, http_settings};
use super::{BoxFuture, Snapshot, Source, SourceError};

/// How far back a deploy source reads unless `history` says otherwise.
pub const DEFAULT_HISTORY: Duration = Duration::from_secs(24 * 3600);

/// The tags that mark a Grafana annotation as a deploy unless `tags` says otherwise.
pub const DEFAULT_TAGS: [&str; 1] = ["deploy"];

/// How far back `c` reads deploys.
pub fn history(c: &SourceConfig) -> Duration {
    c.history.map(|d| d.0).unwrap_or(DEFAULT_HISTORY)
}

/// How long one poll of `c` may take as a whole. A GitHub or Grafana poll is a chain of
/// requests (pages, then statuses), each with `timeout`, so it gets several times that;
/// a command's own timeout already covers its whole run.
pub fn fetch_timeout(c: &SourceConfig) -> Duration {
    match c.kind {
        SourceKind::Github | SourceKind::Grafana => c.request_timeout() * 6,
        _ => c.request_timeout(),
    }
}

/// Builds a deploy source from its config, its token found through the secrets chain.
pub fn build(
    c: &SourceConfig,
    env: &dyn Fn(&str) -> Option<String>,
    keyring: &dyn Keyring,
) -> Result<Arc<dyn Source>, BuildError> {
    if c.kind == SourceKind::Command {
        return Ok(Arc::new(CommandSource::new(
            &c.name,
            c.command.clone().unwrap_or_default(),
            c.request_timeout(),
            history(c),
            c.environment.clone(),
        )));
    }
    let mut settings = http_settings(c, env, keyring)?;
    if c.kind == SourceKind::Github {
        // What GitHub's docs ask every REST client to send, unless the config says else.
        for (name, value) in [
            ("Accept", "application/vnd.github+json"),
            ("X-GitHub-Api-Version", super::github::API_VERSION),
        ] {
            if !settings
                .headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case(name))
            {
                settings.headers.push((name.into(), value.into()));
            }
        }
    }
    let client = HttpClient::new(&settings)?;
    let endpoints = c
        .endpoints()
        .iter()
        .map(|u| Endpoint::parse(u))
        .collect::<Result<Vec<_>, _>>()?;
    let servers = Servers { client, endpoints };
    Ok(match c.kind {
        SourceKind::Github => {
            let repo = c.repo.clone().unwrap_or_default();
            let service = c.service.clone().unwrap_or_else(|| {
                repo.split_once('/')
                    .map(|(_, name)| name.to_string())
                    .unwrap_or_else(|| repo.clone())
            });
            Arc::new(GithubSource::new(
                &c.name,
                servers,
                repo,
                service,
                c.environment.clone(),
                history(c),
            ))
        }
        SourceKind::Argocd => Arc::new(ArgocdSource::new(
            &c.name,
            servers,
            c.services.clone(),
            c.environment.clone(),
            history(c),
        )),
        SourceKind::Grafana => Arc::new(GrafanaSource::new(
            &c.name,
            servers,
            c.tags
                .clone()
                .unwrap_or_else(|| DEFAULT_TAGS.map(String::from).to_vec()),
            c.service.clone(),
            c.environment.clone(),
            history(c),
        )),
        kind => return Err(BuildError::NotDeploys { kind }),
    })
}

/// The HTTP side of a deploy source: its client and its URLs, tried in turn.
pub struct Servers {
    pub client: HttpClient,
    pub endpoints: Vec<Endpoint>,
}

impl Servers {
    /// Runs `ask` with the client and each URL until one answers. A refusal (401, 403)
    /// or a rate limit comes from the service itself, so it is the answer, not a reason
    /// to try the next URL.
    pub async fn first_answer<'a, T, F, Fut>(&'a self, mut ask: F) -> Result<T, SourceError>
    where
        F: FnMut(&'a HttpClient, &'a Endpoint) -> Fut,
        Fut: std::future::Future<Output = Result<T, SourceError>>,
    {
        let mut last = None;
        for endpoint in &self.endpoints {
            match ask(&self.client, endpoint).await {
                Ok(v) => return Ok(v),
                Err(e @ SourceError::RateLimited { .. }) => return Err(e),
                Err(
                    e @ SourceError::Http {
                        status: 401 | 403, ..
                    },
                ) => return Err(e),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| SourceError::Other("no url configured".into())))
    }
}

/// Which clusters a source's deploys reach: its own `clusters`, else the
/// `[environments]` entry of the environment a deploy names, else what the source read
/// itself (Argo CD's destination), else none — a deploy to an environment nobody
/// mapped, which triage matches by name or takes for every cluster.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    /// The source's `clusters`.
    pub clusters: Option<Vec<String>>,
    /// `[environments]`.
    pub environments: Arc<BTreeMap<String, Vec<String>>>,
}

impl Placement {
    /// Gives each deploy its clusters.
    pub fn place(&self, deploys: &mut [Deploy]) {
        for d in deploys {
            if let Some(cs) = &self.clusters {
                d.clusters = cs.clone();
            } else if let Some(cs) = d
                .environment
                .as_ref()
                .and_then(|e| self.environments.get(e))
            {
                d.clusters = cs.clone();
            }
        }
    }

    fn is_nothing(&self) -> bool {
        self.clusters.is_none() && self.environments.is_empty()
    }
}

/// A deploy source whose deploys are given their clusters by a [`Placement`].
pub struct Placed {
    inner: Arc<dyn Source>,
    placement: Placement,
}

impl Placed {
    /// `inner`, placed; as it is when there is nothing to place by.
    pub fn wrap(inner: Arc<dyn Source>, placement: Placement) -> Arc<dyn Source> {
        if placement.is_nothing() {
            return inner;
        }
        Arc::new(Placed { inner, placement })
    }
}

impl Source for Placed {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn kind(&self) -> &str {
        self.inner.kind()
    }

    fn fetch(&self) -> BoxFuture<'_, Result<Snapshot, SourceError>> {
        Box::pin(async move {
            let mut snapshot = self.inner.fetch().await?;
            self.placement.place(&mut snapshot.deploys);
            Ok(snapshot)
        })
    }

    fn authenticating(&self) -> bool {
        self.inner.authenticating()
    }

    fn authenticate(&self) -> BoxFuture<'_, Result<(), SourceError>> {
        self.inner.authenticate()
    }
}

/// A revision as people say it: a full commit SHA cut to its first 7 characters,
/// anything else (a tag, a chart version) as it is.
pub fn short_revision(rev: &str) -> String {
    let rev = rev.trim();
    if rev.len() == 40 && rev.chars().all(|c| c.is_ascii_hexdigit()) {
        rev[..7].to_string()
    } else {
        clean_line(rev)
    }
}

/// Outside text for a deploy field: one clean line, at most `max` characters.
pub fn field(raw: &str, max: usize) -> String {
    let clean = clean_line(raw.trim());
    if clean.chars().count() > max {
        clean.chars().take(max).collect()
    } else {
        clean
    }
}

/// An http(s) URL from outside, cleaned; anything else (javascript:, garbage) is dropped.
pub fn link(raw: Option<&str>) -> Option<String> {
    let raw = raw?.trim();
    let url = reqwest::Url::parse(raw).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| clean_line(url.as_str()))
}

/// Newest first; ties in a fixed order so output is stable. Exact repeats are dropped.
pub fn newest_first(deploys: &mut Vec<Deploy>) {
    deploys.sort_by(|a, b| {
        b.at.cmp(&a.at)
            .then_with(|| a.service.cmp(&b.service))
            .then_with(|| a.source.cmp(&b.source))
            .then_with(|| a.environment.cmp(&b.environment))
            .then_with(|| a.version.cmp(&b.version))
    });
    deploys.dedup();
}

/// The moment `history` ago.
pub fn since(now: DateTime<Utc>, history: Duration) -> DateTime<Utc> {
    now - chrono::Duration::from_std(history).unwrap_or(chrono::Duration::days(3650))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn err(text: &str) -> crate::config::ConfigError {
        crate::config::parse(Path::new("clops.toml"), text).unwrap_err()
    }

    fn source(body: &str) -> String {
        format!("[[sources]]\nname = \"d\"\n{body}")
    }

    #[test]
    fn each_deploy_kind_parses_with_its_keys() {
        let text = concat!(
            "[[sources]]\nname = \"gh\"\nkind = \"github\"\nrepo = \"acme/checkout\"\n",
            "environment = \"production\"\nhistory = \"2d\"\n\n",
            "[[sources]]\nname = \"ghe\"\nkind = \"github\"\nurl = \"https://ghe.example/api/v3\"\n",
            "repo = \"acme/payments\"\nservice = \"payments\"\n\n",
            "[[sources]]\nname = \"argo\"\nkind = \"argocd\"\nurl = \"https://argocd.example\"\n",
            "services = { \"checkout-prod\" = \"checkout\" }\n\n",
            "[[sources]]\nname = \"graf\"\nkind = \"grafana\"\nurl = \"https://grafana.example\"\n",
            "tags = [\"deploy\", \"prod\"]\n\n",
            "[[sources]]\nname = \"cmd\"\nkind = \"command\"\ncommand = \"./deploys.sh\"\n",
        );
        let c = crate::config::parse(Path::new("clops.toml"), text).unwrap();
        assert_eq!(c.sources[0].endpoints(), [crate::config::GITHUB_API]);
        assert_eq!(history(&c.sources[0]), Duration::from_secs(2 * 86_400));
        assert_eq!(history(&c.sources[4]), DEFAULT_HISTORY);
        assert_eq!(c.sources[2].services["checkout-prod"], "checkout");
        assert_eq!(c.sources[4].request_timeout(), Duration::from_secs(30));
        assert_eq!(c.sources[4].poll_interval(), Duration::from_secs(60));
        // A GitHub poll is a chain of requests: it gets several request timeouts.
        assert_eq!(fetch_timeout(&c.sources[0]), Duration::from_secs(30));
        assert_eq!(fetch_timeout(&c.sources[4]), Duration::from_secs(30));
        assert!(c.sources.iter().all(|s| s.kind.is_built()));
    }

    #[test]
    fn missing_and_misplaced_keys_name_their_line() {
        let e = err(&source("kind = \"github\"\n"));
        assert_eq!((e.line, e.key.as_str()), (1, "sources[0].repo"));
        let e = err(&source("kind = \"github\"\nrepo = \"checkout\"\n"));
        assert_eq!((e.line, e.key.as_str()), (4, "sources[0].repo"), "{e}");
        assert!(e.message.contains("owner/name"), "{e}");
        let e = err(&source("kind = \"command\"\n"));
        assert_eq!(e.key, "sources[0].command");
        let e = err(&source("kind = \"command\"\ncommand = \"  \"\n"));
        assert_eq!((e.line, e.key.as_str()), (4, "sources[0].command"));
        let e = err(&source(
            "kind = \"argocd\"\nurl = \"https://a\"\nrepo = \"a/b\"\n",
        ));
        assert_eq!((e.line, e.key.as_str()), (5, "sources[0].repo"));
        assert!(e.message.contains("kind = \"github\""), "{e}");
        let e = err(&source(
            "kind = \"grafana\"\nurl = \"https://g\"\ntags = []\n",
        ));
        assert_eq!((e.line, e.key.as_str()), (5, "sources[0].tags"));
        let e = err(&source(
            "kind = \"alertmanager\"\nurl = \"http://am\"\nhistory = \"1h\"\n",
        ));
        assert_eq!((e.line, e.key.as_str()), (5, "sources[0].history"));
        let e = err(&source(
            "kind = \"command\"\ncommand = \"x\"\nhistory = \"later\"\n",
        ));
        assert_eq!((e.line, e.key.as_str()), (5, "sources[0].history"));
        // A command runs locally: it has no URL and no token.
        let e = err(&source(
            "kind = \"command\"\ncommand = \"x\"\ntoken_file = \"/t\"\n",
        ));
        assert_eq!(e.key, "sources[0].token_file");
        // Argo CD and Grafana have no public default server.
        let e = err(&source("kind = \"argocd\"\n"));
        assert_eq!(e.key, "sources[0].url");
    }

    #[test]
    fn clusters_and_environments_are_checked_where_written() {
        let c = crate::config::parse(
            Path::new("clops.toml"),
            "[environments]\nproduction = [\"eu-1\", \"us-1\"]\n\n[[sources]]\nname = \"gh\"\nkind = \"github\"\nrepo = \"a/b\"\nclusters = [\"eu-1\"]\n",
        )
        .unwrap();
        assert_eq!(c.environments["production"], ["eu-1", "us-1"]);
        assert_eq!(
            c.sources[0].clusters.as_deref(),
            Some(&["eu-1".to_string()][..])
        );
        let e = err("[environments]\nstaging = []\n");
        assert_eq!((e.line, e.key.as_str()), (2, "environments.staging"), "{e}");
        let e = err(&source(
            "kind = \"github\"\nrepo = \"a/b\"\nclusters = [\" \"]\n",
        ));
        assert_eq!((e.line, e.key.as_str()), (5, "sources[0].clusters"), "{e}");
        let e = err(&source(
            "kind = \"alertmanager\"\nurl = \"http://am\"\nclusters = [\"eu-1\"]\n",
        ));
        assert_eq!((e.line, e.key.as_str()), (5, "sources[0].clusters"), "{e}");
    }

    #[test]
    fn deploys_reach_the_clusters_their_source_or_environment_names() {
        let deploy = |env: Option<&str>, clusters: &[&str]| Deploy {
            service: "checkout".into(),
            version: "v1".into(),
            at: Utc::now(),
            source: "ci".into(),
            status: "success".into(),
            url: None,
            environment: env.map(Into::into),
            clusters: clusters.iter().map(|c| c.to_string()).collect(),
            author: None,
        };
        let environments = Arc::new(BTreeMap::from([(
            "production".to_string(),
            vec!["eu-1".to_string(), "us-1".to_string()],
        )]));
        let global = Placement {
            clusters: None,
            environments: environments.clone(),
        };
        let mut ds = vec![
            deploy(Some("production"), &[]),
            deploy(Some("staging"), &[]),
            deploy(Some("argo-eu"), &["argo-eu"]),
            deploy(None, &[]),
        ];
        global.place(&mut ds);
        let got: Vec<Vec<String>> = ds.iter().map(|d| d.clusters.clone()).collect();
        assert_eq!(
            got,
            [
                vec!["eu-1".to_string(), "us-1".into()],
                vec![],
                vec!["argo-eu".into()],
                vec![]
            ]
        );
        let own = Placement {
            clusters: Some(vec!["eu-2".into()]),
            environments,
        };
        own.place(&mut ds);
        assert!(ds.iter().all(|d| d.clusters == ["eu-2"]), "{ds:?}");
    }

    #[test]
    fn revisions_read_as_people_say_them() {
        assert_eq!(
            short_revision("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"),
            "a1b2c3d"
        );
        assert_eq!(short_revision("v2.8.0"), "v2.8.0");
        assert_eq!(short_revision("1.4.2\u{1b}[31m"), "1.4.2");
    }

    #[test]
    fn only_web_links_are_kept() {
        assert_eq!(
            link(Some("https://ci.example/run/1")).as_deref(),
            Some("https://ci.example/run/1")
        );
        assert_eq!(link(Some("javascript:alert(1)")), None);
        assert_eq!(link(Some("not a url")), None);
        assert_eq!(link(None), None);
    }
}
