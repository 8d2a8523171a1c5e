//! `kind = "github"`: the deployments of one repository through GitHub's REST API
//! (`GET /repos/{owner}/{repo}/deployments`, page after page by the `Link` header) and
//! the newest status of each (`GET …/deployments/{id}/statuses`). GitHub Enterprise
//! Server is the same API under `https://HOST/api/v3`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::Deserialize;

use crate::model::Deploy;

use super::deploys::{Servers, field, link, newest_first, short_revision, since};
use super::http::{Endpoint, HttpClient};
use super::{BoxFuture, Snapshot, Source, SourceError};

/// The REST API version clops is written against (sent as `X-GitHub-Api-Version`).
pub const API_VERSION: &str = "2022-11-28";

/// Deployments asked for per page (GitHub's most).
const PER_PAGE: &str = "100";

/// Pages read at most per poll: 1000 deployments is more history than anyone reads in
/// an incident, and bounds what one poll costs of the hourly rate limit.
const MAX_PAGES: usize = 10;

/// Status requests in flight at once.
const CONCURRENT: usize = 4;

/// One repository's deployments.
pub struct GithubSource {
    name: String,
    servers: Servers,
    repo: String,
    service: String,
    environment: Option<String>,
    history: Duration,
    /// The final status of deployments that have one (success, failure, error): it does
    /// not change, so each is asked for once, not on every poll.
    settled: Mutex<HashMap<u64, ApiStatus>>,
}

#[derive(Deserialize)]
struct ApiDeployment {
    id: u64,
    #[serde(default)]
    sha: String,
    #[serde(rename = "ref", default)]
    git_ref: String,
    #[serde(default)]
    environment: String,
    created_at: DateTime<Utc>,
    creator: Option<ApiUser>,
}

#[derive(Deserialize)]
struct ApiUser {
    login: String,
}

#[derive(Debug, Clone, Deserialize)]
struct ApiStatus {
    #[serde(default)]
    id: u64,
    state: String,
    created_at: DateTime<Utc>,
    log_url: Option<String>,
    target_url: Option<String>,
    environment_url: Option<String>,
}

impl GithubSource {
    /// The deployments of `repo` (`owner/name`), reported as `service`; only those to
    /// `environment` when it is set; back as far as `history`.
    pub fn new(
        name: &str,
        servers: Servers,
        repo: String,
        service: String,
        environment: Option<String>,
        history: Duration,
    ) -> GithubSource {
        GithubSource {
            name: name.to_string(),
            servers,
            repo,
            service,
            environment,
            history,
            settled: Mutex::new(HashMap::new()),
        }
    }

    /// Deployments created since `from`, newest first, and a note when there were more
    /// than [`MAX_PAGES`] pages of them.
    async fn deployments(
        &self,
        client: &HttpClient,
        endpoint: &Endpoint,
        from: DateTime<Utc>,
    ) -> Result<(Vec<ApiDeployment>, Option<String>), SourceError> {
        let mut query = vec![("per_page", PER_PAGE)];
        if let Some(env) = &self.environment {
            query.push(("environment", env.as_str()));
        }
        let mut url = endpoint.join(&format!("repos/{}/deployments", self.repo));
        let mut all = Vec::new();
        for page in 1..=MAX_PAGES {
            let (items, next): (Vec<ApiDeployment>, _) = client
                .get_json_page(endpoint, url, &query)
                .await
                .map_err(|e| match e {
                    // GitHub answers 404 for a repository the token cannot see, too.
                    SourceError::Http {
                        endpoint,
                        status: 404,
                        detail,
                    } => SourceError::Http {
                        endpoint,
                        status: 404,
                        detail: format!(
                            "{}no repository {} that this token can read (check `repo` and the token's access)",
                            if detail.is_empty() { String::new() } else { format!("{detail}; ") },
                            self.repo
                        ),
                    },
                    other => other,
                })?;
            // GitHub lists the newest first: once a page reaches back past `from`,
            // later pages hold only older ones.
            let reached_back = items.last().is_none_or(|d| d.created_at < from);
            all.extend(items.into_iter().filter(|d| d.created_at >= from));
            match next {
                Some(n) if !reached_back => {
                    if page == MAX_PAGES {
                        let note = format!(
                            "more than {} deployments in the history window; the newest {} are shown",
                            all.len(),
                            all.len()
                        );
                        return Ok((all, Some(note)));
                    }
                    url = n;
                    // The next link carries the query of the first request.
                    query.clear();
                }
                _ => break,
            }
        }
        Ok((all, None))
    }

    /// The newest status of deployment `id`, None when nobody has reported one.
    async fn newest_status(
        &self,
        client: &HttpClient,
        endpoint: &Endpoint,
        id: u64,
    ) -> Result<Option<ApiStatus>, SourceError> {
        if let Some(s) = self.settled_status(id) {
            return Ok(Some(s));
        }
        let path = format!("repos/{}/deployments/{id}/statuses", self.repo);
        let statuses: Vec<ApiStatus> = client
            .get_json(endpoint, &path, &[("per_page", PER_PAGE)])
            .await?;
        let newest = statuses.into_iter().max_by_key(|s| (s.created_at, s.id));
        if let Some(s) = &newest
            && matches!(s.state.as_str(), "success" | "failure" | "error")
        {
            self.settled
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(id, s.clone());
        }
        Ok(newest)
    }

    fn settled_status(&self, id: u64) -> Option<ApiStatus> {
        self.settled
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
            .cloned()
    }

    async fn read(
        &self,
        client: &HttpClient,
        endpoint: &Endpoint,
    ) -> Result<Snapshot, SourceError> {
        let now = Utc::now();
        let (deployments, note) = self
            .deployments(client, endpoint, since(now, self.history))
            .await?;
        let statuses: Vec<(u64, Result<Option<ApiStatus>, SourceError>)> =
            futures_util::stream::iter(deployments.iter().map(|d| d.id).collect::<Vec<u64>>())
                .map(|id| async move { (id, self.newest_status(client, endpoint, id).await) })
                .buffer_unordered(CONCURRENT)
                .collect()
                .await;
        let mut by_id = HashMap::with_capacity(statuses.len());
        let mut failed = 0;
        let mut first_error = None;
        for (id, result) in statuses {
            match result {
                Ok(s) => {
                    by_id.insert(id, s);
                }
                // Told to slow down or refused: the whole poll is, too.
                Err(
                    e @ (SourceError::RateLimited { .. } | SourceError::Http { status: 401, .. }),
                ) => {
                    return Err(e);
                }
                Err(e) => {
                    failed += 1;
                    first_error.get_or_insert(e);
                }
            }
        }
        // Statuses no longer asked for are forgotten with their deployments.
        self.settled
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|id, _| by_id.contains_key(id));
        let mut deploys: Vec<Deploy> = deployments
            .iter()
            .map(|d| {
                let status = by_id.get(&d.id).cloned().flatten();
                self.deploy(d, status.as_ref())
            })
            .collect();
        newest_first(&mut deploys);
        let mut partial_errors: Vec<String> = note.into_iter().collect();
        if let Some(e) = first_error {
            partial_errors.push(format!(
                "the status of {failed} deployment(s) could not be read: {e}"
            ));
        }
        Ok(Snapshot {
            taken_at: now,
            deploys,
            partial_errors,
            ..Snapshot::default()
        })
    }

    fn deploy(&self, d: &ApiDeployment, status: Option<&ApiStatus>) -> Deploy {
        let environment = field(&d.environment, 80);
        Deploy {
            service: self.service.clone(),
            version: version(&d.git_ref, &d.sha),
            at: d.created_at,
            source: self.name.clone(),
            status: status
                .map(|s| state(&s.state))
                .unwrap_or_else(|| "pending".into()),
            url: status.and_then(|s| {
                link(s.log_url.as_deref())
                    .or_else(|| link(s.target_url.as_deref()))
                    .or_else(|| link(s.environment_url.as_deref()))
            }),
            environment: (!environment.is_empty()).then_some(environment),
            clusters: Vec::new(),
            author: d.creator.as_ref().map(|c| field(&c.login, 80)),
        }
    }
}

/// What a deployment shipped, from its `ref` and `sha`: a ref that reads as a version
/// (`v2.8.0`, `2026.11.3`) as it is; a bare SHA as its first 7 characters; a branch
/// with the commit it pointed at (`main@1a2b3c4`), since the branch alone says nothing.
pub fn version(git_ref: &str, sha: &str) -> String {
    let git_ref = git_ref.trim();
    let short_sha = short_revision(sha);
    let looks_like_sha = git_ref.len() >= 7 && git_ref.chars().all(|c| c.is_ascii_hexdigit());
    let looks_like_version = {
        let rest = git_ref
            .strip_prefix('v')
            .or_else(|| git_ref.strip_prefix('V'))
            .unwrap_or(git_ref);
        rest.starts_with(|c: char| c.is_ascii_digit())
    };
    let v = if git_ref.is_empty() || (looks_like_sha && sha.starts_with(git_ref)) {
        short_sha
    } else if looks_like_sha {
        short_revision(git_ref)
    } else if looks_like_version || short_sha.is_empty() {
        git_ref.to_string()
    } else {
        format!("{git_ref}@{short_sha}")
    };
    field(&v, 120)
}

/// A deployment status in clops's words: `success`, `failure` (GitHub's `failure` and
/// `error`), `in_progress`, `pending` (`queued`, `pending`), `inactive` (superseded by
/// a later deployment to the same environment).
fn state(github: &str) -> String {
    match github {
        "success" => "success".into(),
        "failure" | "error" => "failure".into(),
        "in_progress" => "in_progress".into(),
        "queued" | "pending" => "pending".into(),
        "inactive" => "inactive".into(),
        other => field(other, 40),
    }
}

impl Source for GithubSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> &str {
        "github"
    }

    fn fetch(&self) -> BoxFuture<'_, Result<Snapshot, SourceError>> {
        Box::pin(
            self.servers
                .first_answer(|client, endpoint| self.read(client, endpoint)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_say_what_shipped() {
        let sha = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
        assert_eq!(version("v2.8.0", sha), "v2.8.0");
        assert_eq!(version("2026.11.3", sha), "2026.11.3");
        assert_eq!(version("main", sha), "main@a1b2c3d");
        assert_eq!(version(sha, sha), "a1b2c3d");
        assert_eq!(version("a1b2c3d", sha), "a1b2c3d");
        assert_eq!(version("", sha), "a1b2c3d");
        assert_eq!(version("topic\u{1b}[2J", ""), "topic");
    }

    #[test]
    fn states_use_one_vocabulary() {
        assert_eq!(state("error"), "failure");
        assert_eq!(state("queued"), "pending");
        assert_eq!(state("in_progress"), "in_progress");
        assert_eq!(state("weird\u{7}"), "weird");
    }
}
