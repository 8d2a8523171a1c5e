//! Incidents: declaring them, keeping their timelines, exporting postmortem drafts.

pub mod export;
pub mod stats;
pub mod store;

use std::path::Path;

use crate::config::IncidentConfig;

pub use store::{DatabaseError, Declaration, SqliteStore, Store, StoreError};

/// The store the config names: the SQLite file in `data_dir` unless a shared one is set.
pub fn open_store(config: &IncidentConfig, data_dir: &Path) -> Result<Box<dyn Store>, StoreError> {
    if config.store.starts_with("postgres") {
        return Err(StoreError::PostgresNotAvailable);
    }
    Ok(Box::new(SqliteStore::open(&data_dir.join("incidents.db"))?))
}
