//! Runbooks an alert points at with its `runbook_url` annotation, when that is a
//! Markdown file over HTTP(S). Other URLs (wiki pages) are only shown and copied.

use std::time::Duration;

use super::Runbook;

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

/// Fetches and parses the runbook at `url`. A file without front matter is taken as
/// a runbook titled by its first `#` heading (or its name) that matches nothing:
/// shared runbooks are often plain Markdown.
pub async fn fetch(url: &str, timeout: Duration) -> Result<Runbook, String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    // Runbook links sometimes carry a token in the query: errors never show it.
    let shown = without_secrets(url);
    let fail = |e: &dyn std::fmt::Display| format!("cannot fetch {shown}: {e}");
    let client = reqwest::Client::builder()
        .timeout(timeout)
        .user_agent(concat!("clops/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| fail(&e.without_url()))?;
    let response = client
        .get(url)
        .send()
        .await
        .map_err(|e| fail(&e.without_url()))?;
    let status = response.status();
    if !status.is_success() {
        return Err(fail(&format!("HTTP {status}")));
    }
    let body = response.bytes().await.map_err(|e| fail(&e.without_url()))?;
    if body.len() > MAX_BYTES {
        return Err(fail(&"larger than 1 MiB"));
    }
    let text = String::from_utf8_lossy(&body);
    from_text(url, &text).map_err(|e| e.to_string())
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
pub fn from_text(url: &str, text: &str) -> Result<Runbook, crate::config::ConfigError> {
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

fn from_markdown(
    path: &std::path::Path,
    stem: &str,
    text: &str,
) -> Result<Runbook, crate::config::ConfigError> {
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
