//! `kind = "grafana"`: deploy annotations, as CI pipelines post them to Grafana
//! (`GET /api/annotations?tags=deploy&from=…&to=…`).
//!
//! Which service and version an annotation is about, by convention:
//! - tags `service:NAME` and `version:VERSION` (also `env:ENV` or `environment:ENV`,
//!   and `status:STATE`, e.g. `status:failure`; `key=value` works as well as `key:value`);
//! - otherwise the text, when it starts with the service and the version:
//!   `checkout v2.8.0 deployed by ci`;
//! - the source's `service` names the service of annotations that name none.
//!
//! An annotation that still names no service is left out, and the source says how many.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use serde::Deserialize;

use crate::model::Deploy;

use super::deploys::{Servers, field, newest_first, since};
use super::http::{Endpoint, HttpClient};
use super::{BoxFuture, Snapshot, Source, SourceError};

/// Annotations asked for per request. Grafana has no pages, only a limit on the newest:
/// older ones are reached by asking again up to the oldest one seen.
const PER_REQUEST: usize = 100;

/// Requests per poll at most (1000 deploy annotations).
const MAX_REQUESTS: usize = 10;

/// The deploy annotations of one Grafana.
pub struct GrafanaSource {
    name: String,
    servers: Servers,
    tags: Vec<String>,
    service: Option<String>,
    environment: Option<String>,
    history: Duration,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiAnnotation {
    id: i64,
    /// Milliseconds since the epoch.
    time: i64,
    #[serde(default)]
    text: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    login: Option<String>,
    #[serde(rename = "dashboardUID", default)]
    dashboard_uid: Option<String>,
}

/// What one annotation says of a deploy.
#[derive(Debug, Default, PartialEq)]
pub struct Said {
    pub service: Option<String>,
    pub version: Option<String>,
    pub environment: Option<String>,
    pub status: Option<String>,
}

/// Reads an annotation's tags and text by the convention above.
pub fn read_annotation(tags: &[String], text: &str) -> Said {
    let mut said = Said::default();
    for tag in tags {
        let Some((key, value)) = tag.split_once([':', '=']) else {
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let slot = match key.trim().to_ascii_lowercase().as_str() {
            "service" | "app" => &mut said.service,
            "version" => &mut said.version,
            "env" | "environment" => &mut said.environment,
            "status" => &mut said.status,
            _ => continue,
        };
        slot.get_or_insert_with(|| value.to_string());
    }
    // Grafana keeps the text as typed, HTML and all: only plain words count.
    let mut words = text.split_whitespace();
    if said.service.is_none()
        && let (Some(service), Some(version)) = (words.next(), words.next())
        && is_name(service)
        && version
            .trim_start_matches(['v', 'V'])
            .starts_with(|c: char| c.is_ascii_digit())
    {
        said.service = Some(service.to_string());
        said.version.get_or_insert_with(|| version.to_string());
    }
    said
}

fn is_name(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

impl GrafanaSource {
    /// Annotations carrying every one of `tags`, back as far as `history`.
    pub fn new(
        name: &str,
        servers: Servers,
        tags: Vec<String>,
        service: Option<String>,
        environment: Option<String>,
        history: Duration,
    ) -> GrafanaSource {
        GrafanaSource {
            name: name.to_string(),
            servers,
            tags,
            service,
            environment,
            history,
        }
    }

    async fn read(
        &self,
        client: &HttpClient,
        endpoint: &Endpoint,
    ) -> Result<Snapshot, SourceError> {
        let now = Utc::now();
        let from = since(now, self.history).timestamp_millis().to_string();
        let mut to = now.timestamp_millis();
        let limit = PER_REQUEST.to_string();
        let mut seen = HashSet::new();
        let mut annotations = Vec::new();
        let mut partial_errors = Vec::new();
        for request in 1..=MAX_REQUESTS {
            let to_text = to.to_string();
            let mut query: Vec<(&str, &str)> = vec![
                ("from", from.as_str()),
                ("to", to_text.as_str()),
                ("limit", limit.as_str()),
                ("type", "annotation"),
            ];
            query.extend(self.tags.iter().map(|t| ("tags", t.as_str())));
            let page: Vec<ApiAnnotation> =
                client.get_json(endpoint, "api/annotations", &query).await?;
            let full = page.len() >= PER_REQUEST;
            let oldest = page.iter().map(|a| a.time).min();
            let before = seen.len();
            for a in page {
                if seen.insert(a.id) {
                    annotations.push(a);
                }
            }
            // Annotations at the very millisecond of the oldest may be cut off, so the
            // next request ends at it (inclusive); repeats are dropped by id.
            match oldest {
                Some(t) if full && seen.len() > before => {
                    if request == MAX_REQUESTS {
                        partial_errors.push(format!(
                            "more than {} deploy annotations in the history window; the newest are shown",
                            seen.len()
                        ));
                    }
                    to = t;
                }
                _ => break,
            }
        }
        let mut nameless = 0;
        let mut deploys = Vec::new();
        for a in &annotations {
            match self.deploy(a, endpoint) {
                Some(d) => deploys.push(d),
                None => nameless += 1,
            }
        }
        if nameless > 0 {
            partial_errors.push(format!(
                "{nameless} deploy annotation(s) name no service: tag them `service:NAME` (or set `service` for this source)"
            ));
        }
        newest_first(&mut deploys);
        Ok(Snapshot {
            taken_at: now,
            deploys,
            partial_errors,
            ..Snapshot::default()
        })
    }

    fn deploy(&self, a: &ApiAnnotation, endpoint: &Endpoint) -> Option<Deploy> {
        let said = read_annotation(&a.tags, &a.text);
        let service = said
            .service
            .or_else(|| self.service.clone())
            .map(|s| field(&s, 120))
            .filter(|s| !s.is_empty())?;
        let at: DateTime<Utc> = Utc.timestamp_millis_opt(a.time).single()?;
        Some(Deploy {
            service,
            version: said.version.map(|v| field(&v, 120)).unwrap_or_default(),
            at,
            source: self.name.clone(),
            status: said
                .status
                .map(|s| field(&s, 40))
                .unwrap_or_else(|| "success".into()),
            url: a
                .dashboard_uid
                .as_deref()
                .filter(|uid| {
                    !uid.is_empty()
                        && uid
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                })
                .map(|uid| field(endpoint.join(&format!("d/{uid}")).as_str(), 400)),
            environment: said
                .environment
                .or_else(|| self.environment.clone())
                .map(|e| field(&e, 80)),
            clusters: Vec::new(),
            author: a
                .login
                .as_deref()
                .map(|l| field(l, 80))
                .filter(|l| !l.is_empty()),
        })
    }
}

impl Source for GrafanaSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> &str {
        "grafana"
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

    fn tags(ts: &[&str]) -> Vec<String> {
        ts.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn tags_name_the_service_and_version() {
        let said = read_annotation(
            &tags(&[
                "deploy",
                "service:checkout",
                "version:v2.8.0",
                "env:prod-eu",
            ]),
            "whatever the text says",
        );
        assert_eq!(said.service.as_deref(), Some("checkout"));
        assert_eq!(said.version.as_deref(), Some("v2.8.0"));
        assert_eq!(said.environment.as_deref(), Some("prod-eu"));
        assert_eq!(said.status, None);
        let said = read_annotation(&tags(&["service=payments", "status=failure"]), "");
        assert_eq!(said.service.as_deref(), Some("payments"));
        assert_eq!(said.status.as_deref(), Some("failure"));
    }

    #[test]
    fn text_that_starts_with_service_and_version_is_read_too() {
        let said = read_annotation(&tags(&["deploy"]), "checkout v2.8.0 deployed by ci");
        assert_eq!(said.service.as_deref(), Some("checkout"));
        assert_eq!(said.version.as_deref(), Some("v2.8.0"));
        // A sentence is not a service and a version.
        assert_eq!(
            read_annotation(&tags(&["deploy"]), "Deployed the new checkout"),
            Said::default()
        );
        // Tags win over the text.
        let said = read_annotation(&tags(&["service:search"]), "checkout v2.8.0");
        assert_eq!(said.service.as_deref(), Some("search"));
        assert_eq!(said.version, None);
    }
}
