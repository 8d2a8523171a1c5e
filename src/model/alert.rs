//! Alerts as clops sees them, whatever backend they came from.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::text::{clean_line, clean_text, is_clean};

use super::labels::LabelSet;

/// Labels or annotations while they are being put together; alerts keep them as a
/// compact [`LabelSet`].
pub type Labels = BTreeMap<String, String>;

/// Names shared as one list: every alert of one answer lists the same source and peer,
/// so their copies hold one list between them. Two words and one counter per alert,
/// not a copy of each name: 100k alerts a poll are moved and copied several times.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Names(Option<Arc<[Arc<str>]>>);

impl Names {
    /// No names.
    pub fn new() -> Names {
        Names(None)
    }

    /// The names, in order.
    pub fn as_slice(&self) -> &[Arc<str>] {
        self.0.as_deref().unwrap_or(&[])
    }

    /// Whether `name` is one of them.
    pub fn has(&self, name: &str) -> bool {
        self.iter().any(|n| **n == *name)
    }

    /// Copies of the names, for a list of one's own.
    pub fn to_strings(&self) -> Vec<String> {
        self.iter().map(|n| n.to_string()).collect()
    }

    /// The names given, sorted, each once. A list that is already one of these
    /// (`names` all from one shared list) is better cloned: that does not allocate.
    pub fn distinct<'a>(names: impl Iterator<Item = &'a Arc<str>>) -> Names {
        let mut names: Vec<Arc<str>> = names.cloned().collect();
        names.sort_unstable();
        names.dedup();
        Names::from(names)
    }
}

impl std::ops::Deref for Names {
    type Target = [Arc<str>];

    fn deref(&self) -> &[Arc<str>] {
        self.as_slice()
    }
}

impl fmt::Debug for Names {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a Names {
    type Item = &'a Arc<str>;
    type IntoIter = std::slice::Iter<'a, Arc<str>>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl From<Vec<Arc<str>>> for Names {
    fn from(names: Vec<Arc<str>>) -> Names {
        if names.is_empty() {
            Names(None)
        } else {
            Names(Some(names.into()))
        }
    }
}

impl<S: Into<Arc<str>>> FromIterator<S> for Names {
    fn from_iter<I: IntoIterator<Item = S>>(names: I) -> Names {
        Names::from(names.into_iter().map(Into::into).collect::<Vec<_>>())
    }
}

impl Serialize for Names {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// Where a copy of an alert came from: a configured source and one of its endpoints.
/// Built once per poll and shared by every alert of that answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub source: Arc<str>,
    /// `source/endpoint`, as listed in [`Alert::seen_by`].
    pub endpoint: Arc<str>,
    /// The lists every alert from here starts with: `[source]` and `[endpoint]`.
    listed: (Names, Names),
}

impl Origin {
    /// The origin `endpoint` of `source` (both sanitized).
    pub fn new(source: &str, endpoint: &str) -> Origin {
        let source: Arc<str> = clean_line(source).into();
        let endpoint: Arc<str> = format!("{source}/{}", clean_line(endpoint)).into();
        Origin {
            listed: (
                Names::from(vec![source.clone()]),
                Names::from(vec![endpoint.clone()]),
            ),
            source,
            endpoint,
        }
    }
}

/// One alert. Built through [`Alert::new`], which sanitizes everything from outside.
/// Labels and annotations are shared, so copying an alert from the sources' last
/// snapshots to the board copies no strings.
///
/// What is shown is sanitized; what is compared must be what the backend stores. So
/// `labels` are for showing, and matchers, silences, fingerprints and runbook
/// variables read [`Alert::matched_labels`]: the labels exactly as received.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// Label-set fingerprint, the same value Alertmanager reports.
    pub fingerprint: Fingerprint,
    pub labels: LabelSet,
    pub annotations: LabelSet,
    /// From the `severity` label, read once.
    #[serde(skip)]
    pub severity: Severity,
    pub state: AlertState,
    pub starts_at: DateTime<Utc>,
    /// Names of the configured sources that reported this alert.
    pub sources: Names,
    /// Endpoints (HA peers) that reported it, as `source/endpoint`.
    pub seen_by: Names,
    /// Shared by the copies of an alert, and by the alerts of one rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generator_url: Option<Arc<str>>,
    // The fields below are boxed slices, not Vecs: 100k alerts held twice over make
    // every word of this struct count.
    /// Ids of the silences that suppress it.
    pub silenced_by: Box<[String]>,
    /// Fingerprints of the alerts that inhibit it.
    pub inhibited_by: Box<[String]>,
    /// Alertmanager receivers it is routed to (a list shared by the alerts routed alike).
    pub receivers: Names,
    /// Why triage keeps it from paging, if it does (rare: boxed, to keep every alert
    /// small).
    #[serde(skip)]
    pub quiet: Option<Box<Quiet>>,
    /// The labels as received, when sanitizing changed them (rare: boxed).
    #[serde(skip)]
    pub raw_labels: Option<Box<LabelSet>>,
}

/// Why an alert that fires is kept from paging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Quiet {
    /// It falls in a maintenance window (its name).
    Maintenance(String),
    /// It started anew this many times within the flapping window.
    Flapping(usize),
}

/// What an alert says: its labels and annotations, sanitized once. Built once per alert
/// and shared by its copies (HA peers, the next poll), so a copy costs no text.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertText {
    /// For showing.
    pub labels: LabelSet,
    /// The labels as received, when sanitizing changed them (rare: boxed).
    pub raw_labels: Option<Box<LabelSet>>,
    pub annotations: LabelSet,
}

impl AlertText {
    /// Labels and annotations as received, sanitized here.
    pub fn new<K, V>(
        labels: impl IntoIterator<Item = (K, V)>,
        annotations: impl IntoIterator<Item = (K, V)>,
    ) -> AlertText
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let received: LabelSet = labels.into_iter().collect();
        let (labels, raw_labels) = if received
            .iter()
            .all(|(k, v)| is_clean_line(k) && is_clean_line(v))
        {
            (received, None)
        } else {
            let shown: LabelSet = received
                .iter()
                .map(|(k, v)| (clean_label(k), clean_label(v)))
                .collect();
            (shown, Some(Box::new(received)))
        };
        // Most annotations are clean already: only the others are copied to be cleaned.
        let annotations: LabelSet = annotations
            .into_iter()
            .map(|(k, v)| {
                let k = if is_clean_line(k.as_ref()) {
                    Kept::As(k)
                } else {
                    Kept::Cleaned(clean_line(k.as_ref()))
                };
                let v = if is_clean(v.as_ref()) {
                    Kept::As(v)
                } else {
                    Kept::Cleaned(clean_text(v.as_ref()))
                };
                (k, v)
            })
            .collect();
        AlertText {
            labels,
            raw_labels,
            annotations,
        }
    }

    /// The labels exactly as received.
    pub fn matched_labels(&self) -> &LabelSet {
        self.raw_labels.as_deref().unwrap_or(&self.labels)
    }

    /// True when these are what an alert with `labels` and `annotations` (as received,
    /// in name order) says: then its copy may share this text.
    pub fn says<'a>(
        &self,
        labels: impl IntoIterator<Item = (&'a str, &'a str)>,
        annotations: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> bool {
        same_pairs(self.matched_labels().iter(), labels.into_iter())
            && same_pairs(self.annotations.iter(), annotations.into_iter())
    }
}

/// The same pairs in the same order.
fn same_pairs<'x, 'y>(
    mut a: impl Iterator<Item = (&'x str, &'x str)>,
    mut b: impl Iterator<Item = (&'y str, &'y str)>,
) -> bool {
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.0 == y.0 && x.1 == y.1 => {}
            _ => return false,
        }
    }
}

/// A string as received, or its sanitized copy.
enum Kept<T> {
    As(T),
    Cleaned(String),
}

impl<T: AsRef<str>> AsRef<str> for Kept<T> {
    fn as_ref(&self) -> &str {
        match self {
            Kept::As(t) => t.as_ref(),
            Kept::Cleaned(s) => s,
        }
    }
}

impl Alert {
    /// An alert as reported by `origin`; strings are sanitized here, once.
    pub fn new(
        labels: Labels,
        annotations: Labels,
        state: AlertState,
        starts_at: DateTime<Utc>,
        origin: &Origin,
    ) -> Alert {
        let text = AlertText::new(labels, annotations);
        let fingerprint = fingerprint(text.matched_labels());
        Alert::from_text(&text, fingerprint, state, starts_at, origin)
    }

    /// An alert saying `text` (shared, not copied), whose labels as received have
    /// `fingerprint`.
    pub fn from_text(
        text: &AlertText,
        fingerprint: Fingerprint,
        state: AlertState,
        starts_at: DateTime<Utc>,
        origin: &Origin,
    ) -> Alert {
        Alert {
            fingerprint,
            severity: Severity::from_label(text.labels.get("severity").unwrap_or("")),
            labels: text.labels.clone(),
            annotations: text.annotations.clone(),
            state,
            starts_at,
            sources: origin.listed.0.clone(),
            seen_by: origin.listed.1.clone(),
            generator_url: None,
            silenced_by: Box::default(),
            inhibited_by: Box::default(),
            receivers: Names::new(),
            quiet: None,
            raw_labels: text.raw_labels.clone(),
        }
    }

    /// The labels exactly as the backend sent them: what matchers, silences and
    /// runbook variables must see. [`Alert::labels`] are these, sanitized for showing.
    pub fn matched_labels(&self) -> &LabelSet {
        self.raw_labels.as_deref().unwrap_or(&self.labels)
    }

    /// Makes this copy one that `origin` reported (for copies of an alert from peers).
    pub fn seen_at(&mut self, origin: &Origin) {
        self.sources = origin.listed.0.clone();
        self.seen_by = origin.listed.1.clone();
    }

    /// Label value, or "" when the label is absent.
    pub fn label(&self, name: &str) -> &str {
        self.labels.get(name).unwrap_or("")
    }

    /// True when it should wake someone: firing, serious, and nothing keeps it quiet.
    pub fn pages(&self) -> bool {
        self.state == AlertState::Active && self.severity <= Severity::Error && self.quiet.is_none()
    }

    /// Severity from the conventional `severity` label.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// The alert's name (`alertname` label).
    pub fn name(&self) -> &str {
        self.label("alertname")
    }

    /// The one-line human summary: the `summary` annotation, else the alert name.
    pub fn summary(&self) -> &str {
        self.annotations
            .get("summary")
            .or_else(|| self.annotations.get("description"))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| self.name())
    }

    /// The fingerprints of the alerts that inhibit it (ids that are not fingerprints are
    /// skipped: nothing here could be found by them).
    pub fn inhibitors(&self) -> impl Iterator<Item = Fingerprint> + '_ {
        self.inhibited_by.iter().filter_map(|f| f.parse().ok())
    }

    /// The first line of the summary: what fits on one row.
    pub fn headline(&self) -> &str {
        self.summary().lines().next().unwrap_or("")
    }
}

/// Where an alert is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertState {
    /// Firing and routed to people.
    Active,
    /// Prometheus rule condition true, `for:` not yet elapsed.
    Pending,
    /// Received but not yet processed by Alertmanager.
    Unprocessed,
    /// Silenced or inhibited.
    Suppressed,
}

impl AlertState {
    /// The word used in JSON and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertState::Active => "active",
            AlertState::Pending => "pending",
            AlertState::Unprocessed => "unprocessed",
            AlertState::Suppressed => "suppressed",
        }
    }
}

/// How urgent an alert is, most urgent first in `Ord`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    Error,
    Warning,
    Info,
    None,
}

impl Severity {
    /// Reads the many spellings teams use for the `severity` label.
    pub fn from_label(value: &str) -> Severity {
        match value.trim().to_ascii_lowercase().as_str() {
            "critical" | "crit" | "page" | "p1" | "sev1" | "emergency" | "fatal" => {
                Severity::Critical
            }
            "error" | "err" | "high" | "major" | "p2" | "sev2" => Severity::Error,
            "warning" | "warn" | "medium" | "minor" | "ticket" | "p3" | "sev3" => Severity::Warning,
            "info" | "informational" | "low" | "notice" | "p4" | "p5" | "sev4" => Severity::Info,
            _ => Severity::None,
        }
    }

    /// The four-column tag shown before an alert or group, readable without colour.
    pub fn tag(self) -> &'static str {
        match self {
            Severity::Critical => "CRIT",
            Severity::Error => "ERR ",
            Severity::Warning => "WARN",
            Severity::Info => "INFO",
            Severity::None => "NONE",
        }
    }

    /// The word used in JSON and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::None => "none",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Alertmanager's fingerprint of a label set: FNV-1a 64 over the sorted names and
/// values, each followed by a 0xff separator. Printed as 16 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint(pub u64);

impl Fingerprint {
    /// The 16 hex digits, without the formatting machinery (triage names tens of
    /// thousands of groups from fingerprints).
    pub fn hex(self) -> [u8; 16] {
        let mut out = [0u8; 16];
        for (i, digit) in out.iter_mut().enumerate() {
            let nibble = (self.0 >> (60 - 4 * i)) & 0xf;
            *digit = b"0123456789abcdef"[nibble as usize];
        }
        out
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Hex digits are ASCII.
        f.write_str(std::str::from_utf8(&self.hex()).unwrap_or_default())
    }
}

impl std::str::FromStr for Fingerprint {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        u64::from_str_radix(s, 16)
            .map(Fingerprint)
            .map_err(|_| format!("`{s}` is not an alert fingerprint (16 hex digits)"))
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The fingerprint of a label set.
pub fn fingerprint(labels: &LabelSet) -> Fingerprint {
    fingerprint_pairs(labels.iter())
}

/// Clean, and on one line.
fn is_clean_line(s: &str) -> bool {
    is_clean(s) && !s.contains('\n')
}

/// A label name or value for showing: a line break shows as ↵ (it is part of the
/// value, and matchers must say so), other control and invisible characters go.
fn clean_label(s: &str) -> String {
    clean_line(&s.replace("\r\n", "↵").replace(['\n', '\r'], "↵"))
}

/// The fingerprint of (name, value) pairs given in name order.
pub fn fingerprint_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Fingerprint {
    const OFFSET: u64 = 0xcbf29ce484222325;
    const PRIME: u64 = 0x100000001b3;
    let mut hash = OFFSET;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(PRIME);
        }
    };
    for (name, value) in pairs {
        feed(name.as_bytes());
        feed(&[0xff]);
        feed(value.as_bytes());
        feed(&[0xff]);
    }
    Fingerprint(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn set(pairs: &[(&str, &str)]) -> LabelSet {
        pairs.iter().copied().collect()
    }

    #[test]
    fn empty_label_set_fingerprint_is_fnv_offset() {
        assert_eq!(
            fingerprint(&LabelSet::new()).to_string(),
            "cbf29ce484222325"
        );
        assert_eq!(
            "cbf29ce484222325".parse(),
            Ok(fingerprint(&LabelSet::new()))
        );
    }

    #[test]
    fn fingerprints_print_as_sixteen_hex_digits() {
        assert_eq!(
            Fingerprint(0x0123_4567_89ab_cdef).to_string(),
            "0123456789abcdef"
        );
        assert_eq!(Fingerprint(0xa).to_string(), "000000000000000a");
        assert_eq!(format!("{}", Fingerprint(u64::MAX)), "ffffffffffffffff");
    }

    #[test]
    fn fingerprint_ignores_label_order_but_not_values() {
        let a = set(&[("alertname", "Up"), ("job", "api")]);
        let b = set(&[("job", "api"), ("alertname", "Up")]);
        let c = set(&[("alertname", "Up"), ("job", "web")]);
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
    }

    #[test]
    fn new_alert_is_shown_sanitized_and_matched_and_fingerprinted_as_received() {
        let received = [("alertname", "Bad\u{1b}[31mName"), ("path", "a\nb")];
        let a = Alert::new(
            labels(&received),
            labels(&[("summary", "line one\n\u{1b}]0;title\u{7}line two")]),
            AlertState::Active,
            Utc::now(),
            &Origin::new("prod", "am-0"),
        );
        assert_eq!(a.name(), "BadName");
        assert_eq!(a.label("path"), "a↵b", "a line break shows as ↵");
        assert_eq!(a.summary(), "line one\nline two");
        assert_eq!(
            a.fingerprint,
            fingerprint(&set(&received)),
            "Alertmanager's fingerprint, of the labels it holds"
        );
        assert_eq!(a.matched_labels().get("path"), Some("a\nb"));
        assert_eq!(a.seen_by.as_slice(), [Arc::from("prod/am-0")]);
        let clean = Alert::new(
            labels(&[("alertname", "Up")]),
            Labels::new(),
            AlertState::Active,
            Utc::now(),
            &Origin::new("prod", "am-0"),
        );
        assert!(clean.raw_labels.is_none(), "clean labels are held once");
    }

    #[test]
    fn severity_spellings() {
        assert_eq!(Severity::from_label("CRITICAL"), Severity::Critical);
        assert_eq!(Severity::from_label("warn"), Severity::Warning);
        assert_eq!(Severity::from_label(""), Severity::None);
        assert!(Severity::Critical < Severity::Warning);
    }
}
