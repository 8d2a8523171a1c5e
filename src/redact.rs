//! The secrets this process knows, and scrubbing them out of text before it reaches
//! the screen, stderr, JSON output, the log or an export.
//!
//! The token chain ([`crate::secrets`]) teaches every token it finds here, with the
//! `Authorization: Basic` form of a `username` source. A backend that echoes a token
//! back ("invalid token abc…") may do so raw, JSON-escaped, Rust-debug-escaped (as
//! `?value` in a log line) or percent-encoded (a URL it quotes): each of those forms is
//! replaced by [`REDACTED`].
//!
//! Secrets shorter than [`MIN_LEN`] characters are not scrubbed: replacing every
//! `abc123` in alert labels and error texts would mangle them, and a short secret is
//! guessable anyway. The chain logs a warning for such a token and `clops auth status`
//! points it out.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, RwLock};

use aho_corasick::{AhoCorasick, MatchKind};
use base64::Engine as _;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What a secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Secrets shorter than this many characters are not scrubbed (see the module doc).
pub const MIN_LEN: usize = 8;

/// A set of secrets and a matcher for every form of each.
#[derive(Debug, Default)]
pub struct Redactor {
    /// Every form of every secret learned, in the order learned.
    needles: Vec<String>,
    matcher: Option<AhoCorasick>,
}

impl Redactor {
    /// Learns `secret` in every form it may be echoed in. False when it is shorter
    /// than [`MIN_LEN`] and so will not be scrubbed.
    pub fn learn(&mut self, secret: &str) -> bool {
        let secret = secret.trim();
        if secret.chars().count() < MIN_LEN {
            return false;
        }
        let mut added = false;
        for form in forms(secret) {
            if !self.needles.contains(&form) {
                self.needles.push(form);
                added = true;
            }
        }
        if added {
            self.rebuild();
        }
        true
    }

    /// Learns the password, and the `user:password` pair as an `Authorization: Basic`
    /// header carries it (base64). False when the password alone is too short to
    /// scrub (its Basic form is still learned when that one is long enough).
    pub fn learn_basic(&mut self, username: &str, password: &str) -> bool {
        self.learn(&basic(username, password));
        self.learn(password)
    }

    /// `text` with every known secret replaced by [`REDACTED`]; borrowed when there
    /// was none in it.
    pub fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let Some(matcher) = &self.matcher else {
            return Cow::Borrowed(text);
        };
        if !matcher.is_match(text) {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        matcher.replace_all_with(text, &mut out, |_, _, dst| {
            dst.push_str(REDACTED);
            true
        });
        Cow::Owned(out)
    }

    /// True when no secret was learned.
    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    fn rebuild(&mut self) {
        // Leftmost-longest: where one form contains another, the whole of it goes.
        self.matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&self.needles)
            .ok();
    }
}

/// The value of an `Authorization: Basic` header for this pair, without the scheme.
pub fn basic(username: &str, password: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"))
}

/// What JavaScript's `encodeURIComponent` leaves alone: letters, digits, `-_.!~*'()`.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// What a URL path or query leaves alone besides that: also `/:@+=,;$&`.
const URL_PART: &AsciiSet = &URI_COMPONENT
    .remove(b'/')
    .remove(b':')
    .remove(b'@')
    .remove(b'+')
    .remove(b'=')
    .remove(b',')
    .remove(b';')
    .remove(b'$')
    .remove(b'&');

/// `secret` as it may come back: raw, JSON-escaped (with and without `\/`), as Rust's
/// `{:?}` prints it, and percent-encoded the ways servers and clients do (every
/// byte, component, URL part, form with `+` for space; hex in either case).
fn forms(secret: &str) -> Vec<String> {
    let mut out = vec![secret.to_string()];
    let unquote = |s: String| s[1..s.len() - 1].to_string();
    let json = unquote(serde_json::to_string(secret).unwrap_or_default());
    out.push(json.replace('/', "\\/"));
    out.push(json);
    out.push(unquote(format!("{secret:?}")));
    for set in [NON_ALPHANUMERIC, URI_COMPONENT, URL_PART] {
        let upper = utf8_percent_encode(secret, set).to_string();
        out.push(lower_hex(&upper));
        out.push(upper.replace("%20", "+"));
        out.push(upper);
    }
    let mut unique: Vec<String> = Vec::with_capacity(out.len());
    for form in out {
        if !form.is_empty() && !unique.contains(&form) {
            unique.push(form);
        }
    }
    unique
}

/// Percent escapes with lower-case hex digits (`%2f` for `%2F`).
fn lower_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut rest = encoded;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let escape = rest.get(at..at + 3).unwrap_or(&rest[at..]);
        out.push_str(&escape.to_ascii_lowercase());
        rest = &rest[at + escape.len()..];
    }
    out.push_str(rest);
    out
}

/// The secrets of this process.
static KNOWN: LazyLock<RwLock<Redactor>> = LazyLock::new(RwLock::default);

/// Set once a secret was learned, so scrubbing costs one atomic load until then.
static ANY: AtomicBool = AtomicBool::new(false);

/// Learns `secret` for the whole process. False when it is too short to scrub.
pub fn learn(secret: &str) -> bool {
    let mut known = KNOWN.write().unwrap_or_else(|e| e.into_inner());
    let scrubbed = known.learn(secret);
    ANY.store(!known.is_empty(), Ordering::Release);
    scrubbed
}

/// Learns a Basic-auth pair for the whole process (see [`Redactor::learn_basic`]).
pub fn learn_basic(username: &str, password: &str) -> bool {
    let mut known = KNOWN.write().unwrap_or_else(|e| e.into_inner());
    let scrubbed = known.learn_basic(username, password);
    ANY.store(!known.is_empty(), Ordering::Release);
    scrubbed
}

/// Learns every `CLOPS_TOKEN_*` in the environment: a command that never looks a
/// token up (an export, a runbook run) still keeps those out of what it prints.
pub fn learn_environment() {
    for (name, value) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("CLOPS_TOKEN_")
            && let Some(value) = value.to_str()
        {
            learn(value);
        }
    }
}

/// `text` with every secret this process knows replaced by [`REDACTED`].
pub fn scrub(text: &str) -> Cow<'_, str> {
    if !ANY.load(Ordering::Acquire) {
        return Cow::Borrowed(text);
    }
    let known = KNOWN.read().unwrap_or_else(|e| e.into_inner());
    match known.scrub(text) {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        Cow::Owned(s) => Cow::Owned(s),
    }
}

/// [`scrub`] into an owned string.
pub fn scrubbed(text: &str) -> String {
    scrub(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "tok/en+with spaces&é\"quote";

    fn knowing(secret: &str) -> Redactor {
        let mut r = Redactor::default();
        assert!(r.learn(secret));
        r
    }

    #[test]
    fn a_raw_token_is_replaced_wherever_it_stands() {
        let r = knowing("s3cretTokenValue");
        assert_eq!(
            r.scrub("invalid token s3cretTokenValue, try again"),
            "invalid token [redacted], try again"
        );
        assert_eq!(
            r.scrub("s3cretTokenValues3cretTokenValue"),
            "[redacted][redacted]"
        );
        assert!(matches!(r.scrub("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_and_debug_escaped_echoes_are_replaced() {
        let r = knowing(TOKEN);
        let json = serde_json::json!({ "error": format!("invalid token {TOKEN}") }).to_string();
        assert_eq!(r.scrub(&json), r#"{"error":"invalid token [redacted]"}"#);
        let slashed = json.replace('/', "\\/");
        assert_eq!(r.scrub(&slashed), r#"{"error":"invalid token [redacted]"}"#);
        let debug = format!("{:?}", format!("bad {TOKEN}"));
        assert_eq!(r.scrub(&debug), "\"bad [redacted]\"");
    }

    #[test]
    fn percent_encoded_echoes_are_replaced_in_any_common_style() {
        let r = knowing(TOKEN);
        for encoded in [
            "tok%2Fen%2Bwith%20spaces%26%C3%A9%22quote",
            "tok%2fen%2bwith%20spaces%26%c3%a9%22quote",
            "tok/en+with%20spaces&%C3%A9%22quote",
            "tok%2Fen%2Bwith+spaces%26%C3%A9%22quote",
        ] {
            assert_eq!(
                r.scrub(&format!("GET /?token={encoded} refused")),
                "GET /?token=[redacted] refused",
                "{encoded}"
            );
        }
    }

    #[test]
    fn the_basic_auth_form_is_replaced() {
        let mut r = Redactor::default();
        assert!(r.learn_basic("clops", "hunter2-but-longer"));
        let header = basic("clops", "hunter2-but-longer");
        assert_eq!(header, "Y2xvcHM6aHVudGVyMi1idXQtbG9uZ2Vy");
        assert_eq!(
            r.scrub(&format!("refused Authorization: Basic {header}")),
            "refused Authorization: Basic [redacted]"
        );
        assert_eq!(
            r.scrub("password hunter2-but-longer wrong"),
            "password [redacted] wrong"
        );
    }

    #[test]
    fn short_secrets_are_not_scrubbed_but_their_basic_form_is() {
        let mut r = Redactor::default();
        assert!(!r.learn("abc123"));
        assert_eq!(
            r.scrub("abc123 is a fine label value"),
            "abc123 is a fine label value"
        );
        assert!(!r.learn("  1234567 "), "seven characters once trimmed");
        assert!(!r.learn_basic("operator", "pw12"));
        let header = basic("operator", "pw12");
        assert_eq!(r.scrub(&format!("Basic {header}")), "Basic [redacted]");
        assert_eq!(r.scrub("pw12 stays"), "pw12 stays");
        assert!(r.learn("12345678"));
        assert_eq!(r.scrub("x12345678x"), "x[redacted]x");
    }

    #[test]
    fn learning_twice_changes_nothing() {
        let mut r = knowing("s3cretTokenValue");
        let before = r.needles.len();
        assert!(r.learn("s3cretTokenValue"));
        assert_eq!(r.needles.len(), before);
    }

    #[test]
    fn the_process_wide_set_scrubs_what_it_was_taught() {
        // A token no other test uses, so tests running alongside are not affected.
        let token = "process-wide-0f3c9a7e";
        assert_eq!(scrub(&format!("a {token} b")), format!("a {token} b"));
        assert!(learn(token));
        assert_eq!(scrub(&format!("a {token} b")), "a [redacted] b");
        assert_eq!(scrubbed(token), REDACTED);
    }
}
