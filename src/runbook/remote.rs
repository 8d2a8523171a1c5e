//! Runbooks an alert points at with its `runbook_url` annotation, when that is a
//! Markdown file over HTTP(S). Other URLs (wiki pages) are only shown and copied.

use std::sync::Arc;
use std::time::Duration;

use super::Runbook;

use crate::config::ConfigError;
use crate::text::clean_line;

/// A fetched runbook larger than this is refused: runbooks are pages, not archives.
const MAX_BYTES: usize = 1 << 20;

/// True for `http(s)://…/name.md` (or `.markdown`), query and fragment aside.
pub fn is_markdown_url(url: &str) -> bool {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return false;
    };
    matches!(parsed.scheme(), "http" | "https")
        && [".md", ".markdown"]
            .iter()
            .any(|ext| parsed.path().to_ascii_lowercase().ends_with(ext))
}

/// Why a runbook URL gave no runbook. `url` is the link without its query, fragment
/// and credentials: runbook links sometimes carry a token, and errors never show it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    /// The request could not be made or its reply not read (shared: events are cloned).
    #[error("cannot fetch {url}: {error}")]
    Request {
        url: String,
        error: Arc<reqwest::Error>,
    },
    #[error("cannot fetch {url}: HTTP {status}")]
    Status {
        url: String,
        status: reqwest::StatusCode,
    },
    #[error("cannot fetch {url}: larger than 1 MiB")]
    TooLarge { url: String },
    /// Fetched, but not a runbook.
    #[error(transparent)]
    Runbook(#[from] ConfigError),
}

/// Fetches and parses the runbook at `url`. A file without front matter is taken as
/// a runbook titled by its first `#` heading (or its name) that matches nothing:
/// shared runbooks are often plain Markdown.
pub async fn fetch(url: &str, timeout: Duration) -> Result<Runbook, FetchError> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let shown = without_secrets(url);
    let fail = |e: reqwest::Error| FetchError::Request {
        url: shown.clone(),
        error: Arc::new(e.without_url()),
    };
    let client = reqwest::Client::builder()
        .timeout(timeout)
        .user_agent(concat!("clops/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(fail)?;
    let response = client.get(url).send().await.map_err(fail)?;
    let status = response.status();
    if !status.is_success() {
        return Err(FetchError::Status { url: shown, status });
    }
    let body = response.bytes().await.map_err(fail)?;
    if body.len() > MAX_BYTES {
        return Err(FetchError::TooLarge { url: shown });
    }
    let text = String::from_utf8_lossy(&body);
    Ok(from_text(url, &text)?)
}

/// `url` as shown to the responder: without credentials, and with `?…` standing for a
/// query, which may carry a token.
pub fn shown_url(url: &str) -> String {
    let bare = clean_line(&without_secrets(url));
    match reqwest::Url::parse(url) {
        Ok(u) if u.query().is_some() => format!("{bare}?…"),
        _ => bare,
    }
}

/// `url` without its query, fragment and credentials.
fn without_secrets(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut u) => {
            u.set_query(None);
            u.set_fragment(None);
            let _ = u.set_password(None);
            let _ = u.set_username("");
            u.to_string()
        }
        Err(_) => "(not a URL)".into(),
    }
}

/// Parses `text` fetched from `url`.
pub fn from_text(url: &str, text: &str) -> Result<Runbook, ConfigError> {
    let parsed = reqwest::Url::parse(url).ok();
    let stem = parsed
        .as_ref()
        .and_then(|u| u.path_segments()?.next_back().map(str::to_string))
        .map(|f| f.rsplit_once('.').map(|(s, _)| s.to_string()).unwrap_or(f))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "remote".into());
    // Errors name the file: never with what the link carries for access.
    let shown = without_secrets(url);
    let mut runbook = from_markdown(std::path::Path::new(&shown), &stem, text)?;
    runbook.remote = Some(url.to_string());
    Ok(runbook)
}

fn from_markdown(path: &std::path::Path, stem: &str, text: &str) -> Result<Runbook, ConfigError> {
    if text.starts_with("+++") {
        return super::parse(path, stem, text);
    }
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_string())
        .unwrap_or_else(|| stem.to_string());
    let front = format!("+++\ntitle = {}\n+++\n", toml_string(&title));
    let mut runbook = super::parse(path, stem, &format!("{front}{text}"))?;
    // The `# title` line is the title, not part of the introduction.
    runbook.intro = runbook
        .intro
        .lines()
        .filter(|l| l.strip_prefix("# ").is_none())
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string();
    Ok(runbook)
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_markdown_over_http_is_fetched() {
        assert!(is_markdown_url(
            "https://runbooks.example.com/highlatency.md"
        ));
        assert!(is_markdown_url("http://gh.example/raw/a/B.MD?token=x#top"));
        assert!(!is_markdown_url(
            "https://wiki.example.com/display/OPS/HighLatency"
        ));
        assert!(!is_markdown_url("file:///etc/runbook.md"));
        assert!(!is_markdown_url("not a url.md"));
    }

    #[test]
    fn errors_never_show_what_a_link_carries_for_access() {
        assert_eq!(
            without_secrets("https://bob:s3cret@gh.example/raw/x.md?token=abc#top"),
            "https://gh.example/raw/x.md"
        );
    }

    #[test]
    fn plain_markdown_becomes_a_runbook_titled_by_its_heading() {
        let rb = from_text(
            "https://example.com/rb/disk-full.md",
            "# Disk full\nFree space first.\n## Check\n```sh\ndf -h\n```\n",
        )
        .unwrap();
        assert_eq!(rb.name, "disk-full");
        assert_eq!(rb.title, "Disk full");
        assert_eq!(rb.intro, "Free space first.");
        assert_eq!(rb.steps[0].command.as_deref(), Some("df -h"));
        assert!(rb.matchers.is_empty());
        let with_front = from_text(
            "https://example.com/x.md",
            "+++\ntitle = \"X\"\nmatch = { alertname = \"A\" }\n+++\n## s\n",
        )
        .unwrap();
        assert_eq!(with_front.title, "X");
        assert_eq!(with_front.matchers.len(), 1);
    }
}
