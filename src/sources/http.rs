//! HTTP for sources: one client per source with its timeout, CA and credentials, and
//! replies read defensively — capped in size, never trusted to be JSON, never echoed.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::model::hash::{Digest, Digester};
use crate::text::clean_line;
use crate::text::time::Style;

use super::SourceError;

/// Largest reply clops reads; a bigger one is an error, not an out-of-memory. Sized for
/// about 250k alerts from Alertmanager (~530 bytes each), more than any console shows.
pub const MAX_BODY: usize = 128 * 1024 * 1024;

/// A reply's bytes and their digest, taken as they arrived.
#[derive(Debug)]
pub struct Body {
    pub bytes: Vec<u8>,
    pub digest: Digest,
}

/// How a source proves who it is.
#[derive(Clone, Default)]
pub enum Credentials {
    #[default]
    None,
    Bearer(String),
    Basic {
        username: String,
        password: String,
    },
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print a secret, whoever asks.
        match self {
            Credentials::None => f.write_str("None"),
            Credentials::Bearer(_) => f.write_str("Bearer(…)"),
            Credentials::Basic { username, .. } => write!(f, "Basic({username}, …)"),
        }
    }
}

/// Everything that shapes a source's HTTP requests.
#[derive(Debug, Clone, Default)]
pub struct HttpSettings {
    pub timeout: Duration,
    pub credentials: Credentials,
    /// Extra headers sent with every request.
    pub headers: Vec<(String, String)>,
    /// PEM file of a CA to trust besides the system's.
    pub ca_file: Option<std::path::PathBuf>,
}

/// Why a configured URL cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{raw}` is not a URL: {error}")]
pub struct UrlError {
    /// The URL as configured.
    pub raw: String,
    pub error: UrlParseError,
}

/// What [`Url`] says about text that is not a URL.
pub type UrlParseError = <Url as std::str::FromStr>::Err;

/// One base URL of a source, shown without credentials or query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: Url,
    /// What errors and the console call it: scheme, host, port and path only.
    pub label: String,
}

impl Endpoint {
    /// Parses a configured URL.
    pub fn parse(raw: &str) -> Result<Endpoint, UrlError> {
        let mut url = Url::parse(raw).map_err(|error| UrlError {
            raw: raw.to_string(),
            error,
        })?;
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        // host:port/path: enough to tell peers apart, nothing secret, nothing long.
        let host = url.host_str().unwrap_or("");
        let label = match url.port() {
            Some(p) => format!("{host}:{p}{}", url.path()),
            None => format!("{host}{}", url.path()),
        }
        .trim_end_matches('/')
        .to_string();
        Ok(Endpoint { url, label })
    }

    /// `path` (no leading slash) under this endpoint.
    pub fn join(&self, path: &str) -> Url {
        self.url
            .join(path.trim_start_matches('/'))
            .unwrap_or_else(|_| self.url.clone())
    }
}

/// Why a source's HTTP client cannot be made from its settings.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("`{name}` is not a valid header name")]
    HeaderName { name: String },
    /// The value is not shown: headers often carry keys.
    #[error("the value of header `{name}` is not valid")]
    HeaderValue { name: String },
    #[error("cannot read CA file {}: {error}", .path.display())]
    CaFile {
        path: std::path::PathBuf,
        error: std::io::Error,
    },
    #[error("{} holds no PEM certificate", .path.display())]
    NoCertificate { path: std::path::PathBuf },
    #[error("cannot build the HTTP client: {0}")]
    Build(reqwest::Error),
}

/// A source's HTTP client.
#[derive(Debug, Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    credentials: Credentials,
    timeout: Duration,
}

impl HttpClient {
    /// A client with the settings' timeout, CA and credentials.
    pub fn new(settings: &HttpSettings) -> Result<HttpClient, ClientError> {
        // TLS goes through rustls with ring, so the binary needs no OpenSSL on a jump
        // host. Installing twice is harmless: the first one stays.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut headers = HeaderMap::new();
        for (k, v) in &settings.headers {
            let name = HeaderName::from_bytes(k.as_bytes())
                .map_err(|_| ClientError::HeaderName { name: k.clone() })?;
            let mut value = HeaderValue::from_str(v)
                .map_err(|_| ClientError::HeaderValue { name: k.clone() })?;
            // Headers often carry tenants or keys: keep them out of debug output.
            value.set_sensitive(true);
            headers.insert(name, value);
        }
        let mut builder = reqwest::Client::builder()
            .default_headers(headers)
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .user_agent(concat!("clops/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = &settings.ca_file {
            let pem = std::fs::read(path).map_err(|error| ClientError::CaFile {
                path: path.clone(),
                error,
            })?;
            // A file with no certificate in it would trust nothing more, silently.
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .ok()
                .filter(|certs| !certs.is_empty())
                .ok_or_else(|| ClientError::NoCertificate { path: path.clone() })?;
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let client = builder.build().map_err(ClientError::Build)?;
        Ok(HttpClient {
            client,
            credentials: settings.credentials.clone(),
            timeout: settings.timeout,
        })
    }

    /// GETs JSON from `endpoint`/`path`.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, SourceError> {
        let body = self
            .send(Method::GET, endpoint, path, query, None::<&()>)
            .await?;
        decode(endpoint, &body)
    }

    /// GETs the reply of `endpoint`/`path` as bytes with their digest, for callers that
    /// skip a reply they have read before. `size_hint` (the last reply's size, say)
    /// sizes the buffer when the server does not say how long the reply is.
    pub async fn get_body(
        &self,
        endpoint: &Endpoint,
        path: &str,
        size_hint: usize,
    ) -> Result<Body, SourceError> {
        let request = self.client.get(endpoint.join(path));
        self.read_reply(endpoint, request, size_hint)
            .await
            .map(|(_, body)| body)
    }

    /// GETs one page of a paginated JSON list at `url` (the first page is
    /// `endpoint.join(path)`), returning the next page's URL from the `Link` header.
    /// A next page on another origin is not followed: the credentials stay with the
    /// server they were configured for.
    pub async fn get_json_page<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        url: Url,
        query: &[(&str, &str)],
    ) -> Result<(T, Option<Url>), SourceError> {
        let mut request = self.client.get(url);
        if !query.is_empty() {
            request = request.query(query);
        }
        let (headers, body) = self.read_with_headers(endpoint, request).await?;
        let next = headers
            .get_all(reqwest::header::LINK)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(next_link)
            .and_then(|raw| Url::parse(&raw).ok())
            .filter(|next| next.origin() == endpoint.url.origin());
        Ok((decode(endpoint, &body)?, next))
    }

    /// POSTs `payload` as JSON and reads a JSON answer.
    pub async fn post_json<B: Serialize, T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        path: &str,
        payload: &B,
    ) -> Result<T, SourceError> {
        let body = self
            .send(Method::POST, endpoint, path, &[], Some(payload))
            .await?;
        decode(endpoint, &body)
    }

    /// POSTs a form (`application/x-www-form-urlencoded`) and reads a JSON answer.
    pub async fn post_form<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<T, SourceError> {
        let request = self.client.post(endpoint.join(path)).form(form);
        let body = self.read(endpoint, request).await?;
        decode(endpoint, &body)
    }

    /// Sends a DELETE and expects success.
    pub async fn delete(&self, endpoint: &Endpoint, path: &str) -> Result<(), SourceError> {
        self.send(Method::DELETE, endpoint, path, &[], None::<&()>)
            .await
            .map(|_| ())
    }

    async fn send<B: Serialize>(
        &self,
        method: Method,
        endpoint: &Endpoint,
        path: &str,
        query: &[(&str, &str)],
        payload: Option<&B>,
    ) -> Result<Vec<u8>, SourceError> {
        let mut request = self.client.request(method, endpoint.join(path));
        if !query.is_empty() {
            request = request.query(query);
        }
        if let Some(p) = payload {
            request = request.json(p);
        }
        self.read(endpoint, request).await
    }

    /// Sends, then reads the reply up to [`MAX_BODY`], turning every failure into an
    /// error that names the endpoint and never quotes the reply raw.
    async fn read(
        &self,
        endpoint: &Endpoint,
        request: reqwest::RequestBuilder,
    ) -> Result<Vec<u8>, SourceError> {
        self.read_with_headers(endpoint, request)
            .await
            .map(|(_, body)| body)
    }

    /// [`Self::read`], keeping the reply's headers (pagination links).
    async fn read_with_headers(
        &self,
        endpoint: &Endpoint,
        request: reqwest::RequestBuilder,
    ) -> Result<(HeaderMap, Vec<u8>), SourceError> {
        self.read_reply(endpoint, request, 0)
            .await
            .map(|(headers, body)| (headers, body.bytes))
    }

    /// [`Self::read_with_headers`], digesting the bytes as they arrive.
    async fn read_reply(
        &self,
        endpoint: &Endpoint,
        request: reqwest::RequestBuilder,
        size_hint: usize,
    ) -> Result<(HeaderMap, Body), SourceError> {
        let mut response = self.respond(endpoint, request).await?;
        let headers = response.headers().clone();
        // One buffer of the right size where the length is known (declared, or like the
        // last reply's): a big reply grown by doubling holds twice its size for a moment.
        let expected = response
            .content_length()
            .map_or(size_hint.saturating_add(size_hint / 8), |n| n as usize);
        let mut body = Vec::with_capacity(expected.min(MAX_BODY));
        let mut digester = Digester::new();
        while let Some(chunk) = self.next_chunk(endpoint, &mut response).await? {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(too_large(endpoint));
            }
            digester.update(&chunk);
            body.extend_from_slice(&chunk);
        }
        if starts_like_html(&body) {
            return Err(html_page(endpoint));
        }
        let digest = digester.digest();
        Ok((
            headers,
            Body {
                bytes: body,
                digest,
            },
        ))
    }

    /// GETs `endpoint`/`path` and hands the reply to `piece` as it arrives, never
    /// holding it whole: for replies too big to keep (an alert storm's list). Fails as
    /// [`Self::get_body`] does; an error from `piece` stops the reading and comes back
    /// as [`Streamed::Reader`], unless the reply was an HTML page (a proxy's or a login
    /// page), which is said as such. Returns the reply's size.
    pub async fn get_pieces<E>(
        &self,
        endpoint: &Endpoint,
        path: &str,
        mut piece: impl FnMut(&[u8]) -> Result<(), E>,
    ) -> Result<usize, Streamed<E>> {
        let request = self.client.get(endpoint.join(path));
        let mut response = self.respond(endpoint, request).await?;
        let mut size = 0;
        // The first bytes, to tell an HTML page from a reply that is not the API's JSON.
        let mut head = Vec::new();
        while let Some(chunk) = self.next_chunk(endpoint, &mut response).await? {
            size += chunk.len();
            if size > MAX_BODY {
                return Err(too_large(endpoint).into());
            }
            if head.len() < 64 {
                head.extend_from_slice(&chunk[..chunk.len().min(64 - head.len())]);
            }
            if let Err(e) = piece(&chunk) {
                return Err(if starts_like_html(&head) {
                    html_page(endpoint).into()
                } else {
                    Streamed::Reader(e)
                });
            }
        }
        Ok(size)
    }

    async fn next_chunk(
        &self,
        endpoint: &Endpoint,
        response: &mut reqwest::Response,
    ) -> Result<Option<bytes::Bytes>, SourceError> {
        response
            .chunk()
            .await
            .map_err(|e| transport_error(endpoint, &e, self.timeout))
    }

    /// Sends, and hands on the response when it is a successful reply that is not an
    /// HTML page; every other answer (read whole: such answers are short) becomes an
    /// error that names the endpoint and never quotes the reply raw.
    async fn respond(
        &self,
        endpoint: &Endpoint,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, SourceError> {
        // reqwest marks these headers sensitive, so they stay out of debug output.
        let request = match &self.credentials {
            Credentials::None => request,
            Credentials::Bearer(token) => request.bearer_auth(token.trim()),
            Credentials::Basic { username, password } => {
                request.basic_auth(username, Some(password))
            }
        };
        let mut response = request
            .send()
            .await
            .map_err(|e| transport_error(endpoint, &e, self.timeout))?;
        let status = response.status();
        let is_html = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.to_ascii_lowercase().contains("html"));
        if response
            .content_length()
            .is_some_and(|n| n > MAX_BODY as u64)
        {
            return Err(too_large(endpoint));
        }
        if status.is_success() && !is_html {
            return Ok(response);
        }
        let headers = response.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = self.next_chunk(endpoint, &mut response).await? {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(too_large(endpoint));
            }
            body.extend_from_slice(&chunk);
        }
        let looks_html = is_html || starts_like_html(&body);
        if let Some(retry_after) = rate_limit_wait(status.as_u16(), &headers, chrono::Utc::now()) {
            return Err(SourceError::RateLimited {
                endpoint: endpoint.label.clone(),
                status: status.as_u16(),
                retry_after,
            });
        }
        if status == reqwest::StatusCode::UNAUTHORIZED {
            let said = api_error_message(&body).filter(|_| !looks_html);
            return Err(SourceError::Http {
                endpoint: endpoint.label.clone(),
                status: 401,
                detail: format!(
                    "{}the token was refused (see `clops auth status`)",
                    said.map(|m| format!("{m}; ")).unwrap_or_default()
                ),
            });
        }
        if !status.is_success() {
            return Err(SourceError::Http {
                endpoint: endpoint.label.clone(),
                status: status.as_u16(),
                detail: if looks_html {
                    "an HTML page (a proxy or login page?)".into()
                } else {
                    api_error_message(&body).unwrap_or_default()
                },
            });
        }
        Err(html_page(endpoint))
    }
}

/// Why a streamed reply was not read: the exchange, or the reader's own verdict.
#[derive(Debug)]
pub enum Streamed<E> {
    Exchange(SourceError),
    Reader(E),
}

impl<E> From<SourceError> for Streamed<E> {
    fn from(e: SourceError) -> Self {
        Streamed::Exchange(e)
    }
}

fn html_page(endpoint: &Endpoint) -> SourceError {
    SourceError::Decode {
        endpoint: endpoint.label.clone(),
        reason: "it answered with an HTML page, not the API (wrong URL, or a proxy or login page?)"
            .into(),
    }
}

/// The longest wait a backend's `Retry-After` can impose: past it clops asks again
/// anyway, so a confused server cannot silence a source for good.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// When a reply says "slow down", how long to wait: HTTP 429 (with `Retry-After` in
/// seconds or as an HTTP date, one minute without it), or a 403 that carries
/// `Retry-After` or GitHub's spent `x-ratelimit-remaining: 0` (then until
/// `x-ratelimit-reset`). None for every other reply.
pub fn rate_limit_wait(
    status: u16,
    headers: &HeaderMap,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let retry_after = header("retry-after").and_then(|v| {
        if let Ok(secs) = v.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
        Some(
            (at.with_timezone(&chrono::Utc) - now)
                .to_std()
                .unwrap_or(Duration::ZERO),
        )
    });
    let spent = header("x-ratelimit-remaining") == Some("0");
    let reset = header("x-ratelimit-reset")
        .and_then(|v| v.parse::<i64>().ok())
        .map(|epoch| {
            // One second more: the reset time is rounded down to the second.
            Duration::from_secs((epoch - now.timestamp()).max(0) as u64 + 1)
        });
    let wait = match status {
        429 => retry_after
            .or(reset.filter(|_| spent))
            .unwrap_or(Duration::from_secs(60)),
        403 if retry_after.is_some() => retry_after?,
        403 if spent => reset.unwrap_or(Duration::from_secs(60)),
        _ => return None,
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

/// The `rel="next"` target of one `Link` header value (RFC 8288), as GitHub sends it:
/// `<https://…?page=2>; rel="next", <https://…?page=5>; rel="last"`.
pub fn next_link(value: &str) -> Option<String> {
    value.split(',').find_map(|link| {
        let (target, params) = link.trim().split_once(';')?;
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        params
            .split(';')
            .filter_map(|p| p.trim().strip_prefix("rel="))
            .any(|rel| {
                rel.trim_matches('"')
                    .split_whitespace()
                    .any(|r| r == "next")
            })
            .then(|| target.to_string())
    })
}

fn too_large(endpoint: &Endpoint) -> SourceError {
    SourceError::Decode {
        endpoint: endpoint.label.clone(),
        reason: format!(
            "the reply is larger than {} MiB, the most clops reads from one endpoint (about 250,000 alerts)",
            MAX_BODY / (1024 * 1024)
        ),
    }
}

fn starts_like_html(body: &[u8]) -> bool {
    let head: Vec<u8> = body
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(15)
        .map(u8::to_ascii_lowercase)
        .collect();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html")
}

/// Parses JSON, describing failures by kind and position only: serde's messages can
/// quote the input, and the input is whatever the other end sent.
pub fn decode<T: DeserializeOwned>(endpoint: &Endpoint, body: &[u8]) -> Result<T, SourceError> {
    serde_json::from_slice(body).map_err(|e| decode_error(endpoint, &e))
}

/// Why `endpoint`'s JSON could not be read, by kind and position only.
pub fn decode_error(endpoint: &Endpoint, e: &serde_json::Error) -> SourceError {
    json_error(endpoint, e.classify(), e.line(), e.column())
}

/// Why `endpoint`'s JSON could not be read: what kind of fault, at which line and column
/// of the reply.
pub fn json_error(
    endpoint: &Endpoint,
    fault: serde_json::error::Category,
    line: usize,
    column: usize,
) -> SourceError {
    use serde_json::error::Category;
    let what = match fault {
        Category::Eof => "the reply ends in the middle of its JSON (truncated?)",
        Category::Syntax => "the reply is not valid JSON",
        Category::Data => "the reply's JSON does not have the expected shape",
        Category::Io => "the reply could not be read",
    };
    SourceError::Decode {
        endpoint: endpoint.label.clone(),
        reason: format!("{what} (line {line}, column {column})"),
    }
}

/// The error text an API put in its JSON error reply (Prometheus's `error` field, or
/// Alertmanager's bare JSON string), sanitized, with every known secret scrubbed (a
/// backend may echo the token it refused), and cut short — after scrubbing, so a
/// token cut in half cannot slip through.
fn api_error_message(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let text = match &v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(o) => o
            .get("error")
            .or_else(|| o.get("message"))
            .and_then(|e| e.as_str())?
            .to_string(),
        _ => return None,
    };
    let clean = crate::redact::scrubbed(&clean_line(&text));
    Some(crate::text::fit(&clean, 200))
}

/// A transport failure in a few plain words; reqwest's own text would repeat the URL
/// (query included) and a chain of internals.
fn transport_error(endpoint: &Endpoint, e: &reqwest::Error, timeout: Duration) -> SourceError {
    let io_kind = std::error::Error::source(e).and_then(find_io_kind);
    let no_answer = || format!("no answer within {}", Style::Config.format(timeout));
    use std::io::ErrorKind;
    let reason = if e.is_timeout() {
        no_answer()
    } else if let Some(known) = io_kind.and_then(|kind| match kind {
        ErrorKind::ConnectionRefused => Some("connection refused".to_string()),
        ErrorKind::ConnectionReset => Some("connection reset".into()),
        ErrorKind::ConnectionAborted => Some("connection aborted".into()),
        ErrorKind::TimedOut => Some(no_answer()),
        ErrorKind::UnexpectedEof => Some("the connection closed mid-reply".into()),
        _ => None,
    }) {
        known
    } else if e.is_connect() || io_kind.is_some() {
        connect_reason(e)
    } else if e.is_body() || e.is_decode() {
        "the connection broke while reading the reply".into()
    } else {
        "the request failed".into()
    };
    SourceError::Transport {
        endpoint: endpoint.label.clone(),
        reason,
    }
}

fn find_io_kind(mut e: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    loop {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        e = e.source()?;
    }
}

/// Why a connection could not be made: DNS, TLS or otherwise, from the error chain.
fn connect_reason(e: &reqwest::Error) -> String {
    let mut chain = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(c) = cur {
        chain.push(c.to_string().to_ascii_lowercase());
        cur = c.source();
    }
    let all = chain.join(" / ");
    if all.contains("dns") || all.contains("resolve") || all.contains("lookup") {
        "the host name does not resolve".into()
    } else if all.contains("certificate") || all.contains("tls") || all.contains("handshake") {
        "TLS failed (certificate not trusted? set ca_file)".into()
    } else {
        "cannot connect".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_hide_credentials_and_join_paths() {
        let e = Endpoint::parse("https://user:pw@am.example.com:9093/prefix?x=1").unwrap();
        assert_eq!(e.label, "am.example.com:9093/prefix");
        assert_eq!(
            e.join("api/v2/alerts").as_str(),
            "https://user:pw@am.example.com:9093/prefix/api/v2/alerts"
        );
        assert!(Endpoint::parse("not a url").is_err());
    }

    #[test]
    fn decode_errors_never_quote_the_reply() {
        let e = Endpoint::parse("http://h:1").unwrap();
        let err = decode::<Vec<u32>>(&e, br#"["\u001b]0;evil\u0007"]"#)
            .unwrap_err()
            .to_string();
        assert!(!err.contains("evil") && !err.contains('\u{1b}'), "{err}");
        assert!(err.contains("expected shape"), "{err}");
        let err = decode::<Vec<u32>>(&e, b"[1, 2, 3").unwrap_err().to_string();
        assert!(err.contains("truncated"), "{err}");
    }

    #[test]
    fn api_error_text_is_sanitized_and_short() {
        let m =
            api_error_message(br#"{"status":"error","error":"bad query \u001b[31mred"}"#).unwrap();
        assert_eq!(m, "bad query red");
        let long = format!("\"{}\"", "x".repeat(500));
        assert!(api_error_message(long.as_bytes()).unwrap().chars().count() <= 200);
        assert_eq!(api_error_message(b"<html>"), None);
    }

    #[test]
    fn an_echoed_token_is_scrubbed_before_the_text_is_cut_short() {
        let token = "echoed-token-3b7a91f0c2";
        crate::redact::learn(token);
        // Where the 200-character cut would leave half of it standing.
        let padding = "x".repeat(190);
        let body = serde_json::json!({ "error": format!("{padding} {token}") }).to_string();
        let m = api_error_message(body.as_bytes()).unwrap();
        assert!(!m.contains("echoed-"), "{m}");
        let body = serde_json::json!({ "error": format!("invalid token {token}") }).to_string();
        assert_eq!(
            api_error_message(body.as_bytes()).unwrap(),
            "invalid token [redacted]"
        );
    }

    #[test]
    fn next_links_are_found_among_others() {
        let v = r#"<https://api.github.com/repositories/1/deployments?page=3>; rel="prev", <https://api.github.com/repositories/1/deployments?page=5>; rel="next", <https://api.github.com/repositories/1/deployments?page=9>; rel="last""#;
        assert_eq!(
            next_link(v).as_deref(),
            Some("https://api.github.com/repositories/1/deployments?page=5")
        );
        assert_eq!(next_link(r#"<https://x/?page=1>; rel="first""#), None);
        assert_eq!(next_link("garbage"), None);
    }

    #[test]
    fn rate_limits_say_how_long_to_wait() {
        use chrono::TimeZone;
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 11, 21, 20, 0, 0)
            .unwrap();
        let headers = |pairs: &[(&'static str, &str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, HeaderValue::from_str(v).unwrap());
            }
            h
        };
        let secs = Duration::from_secs;
        assert_eq!(
            rate_limit_wait(429, &headers(&[("retry-after", "30")]), now),
            Some(secs(30))
        );
        assert_eq!(
            rate_limit_wait(
                429,
                &headers(&[("retry-after", "Sat, 21 Nov 2026 20:02:00 GMT")]),
                now
            ),
            Some(secs(120))
        );
        assert_eq!(rate_limit_wait(429, &headers(&[]), now), Some(secs(60)));
        // GitHub's primary rate limit: a 403 with the quota spent, until the reset.
        let reset = (now.timestamp() + 300).to_string();
        assert_eq!(
            rate_limit_wait(
                403,
                &headers(&[
                    ("x-ratelimit-remaining", "0"),
                    ("x-ratelimit-reset", &reset)
                ]),
                now
            ),
            Some(secs(301))
        );
        // A plain 403 is a refusal, not a rate limit.
        assert_eq!(
            rate_limit_wait(403, &headers(&[("x-ratelimit-remaining", "12")]), now),
            None
        );
        assert_eq!(
            rate_limit_wait(503, &headers(&[("retry-after", "5")]), now),
            None
        );
        assert_eq!(
            rate_limit_wait(429, &headers(&[("retry-after", "999999")]), now),
            Some(MAX_RETRY_AFTER)
        );
    }

    #[test]
    fn credentials_never_print() {
        let c = Credentials::Bearer("s3cret".into());
        assert!(!format!("{c:?}").contains("s3cret"));
        let c = Credentials::Basic {
            username: "u".into(),
            password: "s3cret".into(),
        };
        assert!(!format!("{c:?}").contains("s3cret"));
    }
}
