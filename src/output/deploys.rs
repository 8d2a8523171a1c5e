//! `clops deploys -o json`.

use serde::Serialize;

use super::{ListOf, Stamp};
use crate::model::Deploy;

/// `clops deploys -o json`, as DESIGN.md describes it; `environment` and `author` are
/// added (null when the source does not know), and `clusters`: the clusters the
/// environment covers, empty when neither the source nor `[environments]` says.
#[derive(Serialize)]
pub struct DeploysJson<'a> {
    deploys: ListOf<'a, Deploy, DeployJson<'a>>,
}

impl<'a> DeploysJson<'a> {
    /// `deploys` in the order given.
    pub fn new(deploys: &'a [Deploy]) -> DeploysJson<'a> {
        DeploysJson {
            deploys: ListOf(deploys, DeployJson::new),
        }
    }
}

#[derive(Serialize)]
struct DeployJson<'a> {
    service: &'a str,
    version: &'a str,
    at: Stamp,
    source: &'a str,
    status: &'a str,
    url: Option<&'a str>,
    environment: Option<&'a str>,
    clusters: &'a [String],
    author: Option<&'a str>,
}

impl<'a> DeployJson<'a> {
    fn new(d: &'a Deploy) -> DeployJson<'a> {
        DeployJson {
            service: &d.service,
            version: &d.version,
            at: Stamp(d.at),
            source: &d.source,
            status: &d.status,
            url: d.url.as_deref(),
            environment: d.environment.as_deref(),
            clusters: &d.clusters,
            author: d.author.as_deref(),
        }
    }
}
