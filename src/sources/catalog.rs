//! `kind = "catalog"`: the service dependency map, from a TOML file the team keeps
//! (`[[services]] name, depends_on, owner`). Read on every poll, so edits show up
//! without a restart; a broken edit keeps the last good map and names the line.

use std::path::PathBuf;

use chrono::Utc;

use crate::config::parse_catalog;
use crate::model::{Edge, Service, ServiceGraph, ServiceStatus};
use crate::text::clean_line;

use super::{BoxFuture, Snapshot, Source, SourceError};

/// A catalog file.
pub struct CatalogSource {
    name: String,
    path: PathBuf,
}

impl CatalogSource {
    /// The catalog called `name`, kept in `path`.
    pub fn new(name: &str, path: PathBuf) -> CatalogSource {
        CatalogSource {
            name: name.to_string(),
            path,
        }
    }

    /// The map the file describes now.
    pub fn read(&self) -> Result<ServiceGraph, SourceError> {
        let text = std::fs::read_to_string(&self.path).map_err(|e| {
            SourceError::Other(format!("{}: cannot read: {e}", self.path.display()))
        })?;
        let file =
            parse_catalog(&self.path, &text).map_err(|e| SourceError::Other(e.to_string()))?;
        let mut graph = ServiceGraph::default();
        for s in file.services {
            let name = clean_line(&s.name);
            for dep in s.depends_on {
                graph.edges.push(Edge {
                    from: name.clone(),
                    to: clean_line(&dep),
                    calls_per_s: None,
                    error_ratio: None,
                });
            }
            graph.services.push(Service {
                name,
                status: ServiceStatus::Unknown,
                owner: s.owner.map(|o| clean_line(&o)),
            });
        }
        Ok(graph)
    }
}

impl Source for CatalogSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> &str {
        "catalog"
    }

    fn fetch(&self) -> BoxFuture<'_, Result<Snapshot, SourceError>> {
        // A small local file: reading it inline costs less than a thread hop.
        let result = self.read().map(|graph| Snapshot {
            taken_at: Utc::now(),
            graph: Some(graph),
            ..Snapshot::default()
        });
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_services_and_edges_and_names_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.toml");
        std::fs::write(&path, "[[services]]\nname = \"web\"\ndepends_on = [\"api\"]\nowner = \"team-web\"\n\n[[services]]\nname = \"api\"\n").unwrap();
        let c = CatalogSource::new("catalog", path.clone());
        let g = c.read().unwrap();
        assert_eq!(g.services.len(), 2);
        assert_eq!(g.dependencies("web").collect::<Vec<_>>(), ["api"]);
        assert_eq!(g.services[0].owner.as_deref(), Some("team-web"));
        std::fs::write(&path, "[[services]]\nname = \"web\"\ndepends = [\"api\"]\n").unwrap();
        let e = c.read().unwrap_err().to_string();
        assert!(
            e.contains("catalog.toml:3: key `services[0].depends`"),
            "{e}"
        );
        std::fs::write(
            &path,
            "[[services]]\nname = \"a\"\n[[services]]\nname = \"a\"\n",
        )
        .unwrap();
        let e = c.read().unwrap_err().to_string();
        assert!(
            e.contains(":4: key `services[1].name`") && e.contains("twice"),
            "{e}"
        );
    }
}
