//! `clops runbook list -o json`.

use std::path::Path;

use serde::Serialize;

/// `clops runbook list -o json`: the runbooks found and the files that could not be
/// read as one.
#[derive(Serialize)]
pub struct RunbookList<'a> {
    pub runbooks: Vec<RunbookLine<'a>>,
    /// What is wrong with each file that is not a runbook, one line each.
    pub problems: Vec<String>,
}

/// One runbook: its name, title (one line), matchers as typed, step count and file.
#[derive(Serialize)]
pub struct RunbookLine<'a> {
    pub name: &'a str,
    pub title: String,
    #[serde(rename = "match")]
    pub matchers: Vec<String>,
    pub steps: usize,
    pub path: &'a Path,
}
