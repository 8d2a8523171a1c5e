//! `kind = "argocd"`: every application an Argo CD server shows the token
//! (`GET /api/v1/applications`): its sync history (`status.history`, one entry per
//! completed sync) and the operation running or failed now (`status.operationState`),
//! with the application's current health.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::model::Deploy;

use super::deploys::{Servers, field, newest_first, short_revision, since};
use super::http::{Endpoint, HttpClient};
use super::{BoxFuture, Snapshot, Source, SourceError};

/// The applications of one Argo CD server.
pub struct ArgocdSource {
    name: String,
    servers: Servers,
    /// Application name → service, where they differ.
    services: BTreeMap<String, String>,
    environment: Option<String>,
    history: Duration,
}

#[derive(Deserialize)]
struct ApiList {
    // Argo CD sends `"items": null` when there are no applications.
    items: Option<Vec<ApiApp>>,
}

#[derive(Deserialize)]
struct ApiApp {
    metadata: ApiMeta,
    #[serde(default)]
    spec: Option<ApiSpec>,
    #[serde(default)]
    status: Option<ApiStatus>,
}

#[derive(Deserialize)]
struct ApiMeta {
    name: String,
    namespace: Option<String>,
}

#[derive(Deserialize)]
struct ApiSpec {
    destination: Option<ApiDestination>,
}

#[derive(Deserialize)]
struct ApiDestination {
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiStatus {
    sync: Option<ApiSync>,
    health: Option<ApiHealth>,
    history: Option<Vec<ApiHistory>>,
    operation_state: Option<ApiOperationState>,
}

#[derive(Deserialize)]
struct ApiSync {
    revision: Option<String>,
    revisions: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct ApiHealth {
    status: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiHistory {
    revision: Option<String>,
    revisions: Option<Vec<String>>,
    deployed_at: DateTime<Utc>,
    initiated_by: Option<ApiInitiator>,
}

#[derive(Deserialize)]
struct ApiInitiator {
    username: Option<String>,
    automated: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiOperationState {
    phase: String,
    started_at: Option<DateTime<Utc>>,
    operation: Option<ApiOperation>,
    sync_result: Option<ApiSync>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiOperation {
    sync: Option<ApiSync>,
    initiated_by: Option<ApiInitiator>,
}

impl ArgocdSource {
    /// Applications reported under their `services` names (their own otherwise), back
    /// as far as `history`.
    pub fn new(
        name: &str,
        servers: Servers,
        services: BTreeMap<String, String>,
        environment: Option<String>,
        history: Duration,
    ) -> ArgocdSource {
        ArgocdSource {
            name: name.to_string(),
            servers,
            services,
            environment,
            history,
        }
    }

    async fn read(
        &self,
        client: &HttpClient,
        endpoint: &Endpoint,
    ) -> Result<Snapshot, SourceError> {
        let list: ApiList = client
            .get_json(endpoint, "api/v1/applications", &[])
            .await?;
        let now = Utc::now();
        let from = since(now, self.history);
        let mut deploys = Vec::new();
        for app in list.items.unwrap_or_default() {
            self.app_deploys(&app, endpoint, from, &mut deploys);
        }
        newest_first(&mut deploys);
        Ok(Snapshot {
            taken_at: now,
            deploys,
            ..Snapshot::default()
        })
    }

    fn app_deploys(
        &self,
        app: &ApiApp,
        endpoint: &Endpoint,
        from: DateTime<Utc>,
        out: &mut Vec<Deploy>,
    ) {
        let Some(status) = &app.status else {
            return;
        };
        let service = field(
            self.services
                .get(&app.metadata.name)
                .unwrap_or(&app.metadata.name),
            120,
        );
        // Argo CD's destination name is the cluster it deployed to.
        let destination = app
            .spec
            .as_ref()
            .and_then(|s| s.destination.as_ref())
            .and_then(|d| d.name.as_deref())
            .map(|n| field(n, 80))
            .filter(|n| !n.is_empty());
        let environment = self.environment.clone().or_else(|| destination.clone());
        let clusters: Vec<String> = destination.into_iter().collect();
        let url = app_url(
            endpoint,
            &app.metadata.name,
            app.metadata.namespace.as_deref(),
        );
        let deploy = |version: String, at, status: &str, author| Deploy {
            service: service.clone(),
            version,
            at,
            source: self.name.clone(),
            status: status.to_string(),
            url: Some(url.clone()),
            environment: environment.clone(),
            clusters: clusters.clone(),
            author,
        };
        let mut history: Vec<&ApiHistory> = status.history.iter().flatten().collect();
        history.sort_by_key(|h| h.deployed_at);
        let running = status
            .sync
            .as_ref()
            .map(|s| revision_of(s.revision.as_deref(), s.revisions.as_deref()));
        let degraded = status
            .health
            .as_ref()
            .and_then(|h| h.status.as_deref())
            .is_some_and(|h| h == "Degraded");
        let versions: Vec<String> = history
            .iter()
            .map(|h| revision_of(h.revision.as_deref(), h.revisions.as_deref()))
            .collect();
        for (i, (h, version)) in history.iter().zip(&versions).enumerate() {
            if h.deployed_at < from {
                continue;
            }
            let newest = i + 1 == history.len();
            // A sync back to a revision that ran before, other than the one just before
            // it, is a rollback.
            let rollback =
                i >= 1 && versions[i - 1] != *version && versions[..i - 1].contains(version);
            let state = if newest && degraded && running.as_ref() == Some(version) {
                "degraded"
            } else if rollback {
                "rolled_back"
            } else {
                "success"
            };
            out.push(deploy(
                version.clone(),
                h.deployed_at,
                state,
                initiator(h.initiated_by.as_ref()),
            ));
        }
        // A sync under way or one that failed is not in the history (which holds
        // completed syncs only): it comes from the current operation.
        if let Some(op) = &status.operation_state
            && let Some(started) = op.started_at
            && started >= from
            && history.last().is_none_or(|h| started > h.deployed_at)
        {
            let state = match op.phase.as_str() {
                "Running" | "Terminating" => Some("in_progress"),
                "Failed" | "Error" => Some("failure"),
                _ => None,
            };
            let target = op
                .operation
                .as_ref()
                .and_then(|o| o.sync.as_ref())
                .or(op.sync_result.as_ref())
                .map(|s| revision_of(s.revision.as_deref(), s.revisions.as_deref()))
                .filter(|r| !r.is_empty());
            if let (Some(state), Some(version)) = (state, target) {
                let author = initiator(op.operation.as_ref().and_then(|o| o.initiated_by.as_ref()));
                out.push(deploy(version, started, state, author));
            }
        }
    }
}

/// The revision a sync was of; for an application of several sources, theirs joined.
fn revision_of(revision: Option<&str>, revisions: Option<&[String]>) -> String {
    match (revision, revisions) {
        (Some(r), _) if !r.is_empty() => short_revision(r),
        (_, Some(rs)) if !rs.is_empty() => rs
            .iter()
            .map(|r| short_revision(r))
            .collect::<Vec<_>>()
            .join(","),
        _ => String::new(),
    }
}

/// Who started a sync: the user, or `automated` for Argo CD's own auto-sync.
fn initiator(by: Option<&ApiInitiator>) -> Option<String> {
    let by = by?;
    match (&by.username, by.automated) {
        (Some(u), _) if !u.trim().is_empty() => Some(field(u, 80)),
        (_, Some(true)) => Some("automated".into()),
        _ => None,
    }
}

/// The application's page in the Argo CD UI.
fn app_url(endpoint: &Endpoint, name: &str, namespace: Option<&str>) -> String {
    let path = match namespace {
        Some(ns) if !ns.is_empty() => format!("applications/{ns}/{name}"),
        _ => format!("applications/{name}"),
    };
    field(endpoint.join(&path).as_str(), 400)
}

impl Source for ArgocdSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> &str {
        "argocd"
    }

    fn fetch(&self) -> BoxFuture<'_, Result<Snapshot, SourceError>> {
        Box::pin(
            self.servers
                .first_answer(|client, endpoint| self.read(client, endpoint)),
        )
    }
}
