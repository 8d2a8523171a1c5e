//! Alertmanager's `/api/v2/alerts` reply, read straight into clops alerts: typed, the
//! strings borrowed from the reply while an alert is built, no JSON tree in between.
//! Labels and annotations already held (by the other peer's copy, or by the last poll)
//! are shared, not built again.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::error::Category;
use smallvec::SmallVec;

use crate::model::alert::{AlertText, Names};
use crate::model::hash::{Digest, Digester, FingerprintMap};
use crate::model::{Alert, AlertState, Fingerprint, Origin, fingerprint};
use crate::text::{clean_line, is_clean};

use super::elements::{Broken, Element, Fault, Splitter};

/// A string of the reply: borrowed from it unless JSON escapes had to be undone.
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Borrowing<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for Borrowing<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        d.deserialize_str(Borrowing(PhantomData))
    }
}

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// A JSON object of strings, as its pairs in the order sent (Alertmanager sends them
/// sorted by name). Alerts have a handful: they stay on the stack.
#[derive(Default)]
struct Pairs<'a>(SmallVec<[(Text<'a>, Text<'a>); 12]>);

impl<'a> Pairs<'a> {
    fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.0.iter().map(|(k, v)| (&*k.0, &*v.0))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Pairs<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for Entries<'a> {
            type Value = Pairs<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of strings")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Pairs<'a>, M::Error> {
                let mut pairs = Pairs::default();
                while let Some(pair) = map.next_entry()? {
                    pairs.0.push(pair);
                }
                Ok(pairs)
            }
        }
        d.deserialize_map(Entries(PhantomData))
    }
}

/// One alert of the reply; fields clops does not use (`endsAt`, `updatedAt`) are
/// skipped unread.
#[derive(Deserialize)]
struct ApiAlert<'a> {
    #[serde(borrow)]
    labels: Pairs<'a>,
    #[serde(borrow, default)]
    annotations: Pairs<'a>,
    #[serde(rename = "startsAt")]
    starts_at: DateTime<Utc>,
    #[serde(borrow, default)]
    receivers: SmallVec<[ApiReceiver<'a>; 2]>,
    #[serde(borrow)]
    status: ApiStatus<'a>,
    #[serde(rename = "generatorURL", borrow, default)]
    generator_url: Option<Text<'a>>,
    #[serde(borrow, default)]
    fingerprint: Option<Text<'a>>,
}

#[derive(Deserialize)]
struct ApiReceiver<'a> {
    #[serde(borrow)]
    name: Text<'a>,
}

#[derive(Deserialize)]
struct ApiStatus<'a> {
    #[serde(borrow)]
    state: Text<'a>,
    #[serde(rename = "silencedBy", borrow, default)]
    silenced_by: Vec<Text<'a>>,
    #[serde(rename = "inhibitedBy", borrow, default)]
    inhibited_by: Vec<Text<'a>>,
}

/// Labels and annotations of the alerts of one poll, by fingerprint, shared by the
/// peers' parsers: the first copy of an alert builds its text, the others share it.
/// Seeded (when first needed) from the last poll's alerts, so an alert that did not
/// change is not built again either.
pub(super) struct SharedTexts {
    seed: Option<Arc<Vec<Alert>>>,
    shards: OnceLock<Vec<Mutex<FingerprintMap<AlertText>>>>,
}

/// Shards, so two peers parsed side by side seldom wait on one another.
const SHARDS: usize = 16;

impl SharedTexts {
    /// Texts of this poll, to be seeded from `last` (the last poll's alerts).
    pub(super) fn new(last: Option<Arc<Vec<Alert>>>) -> SharedTexts {
        SharedTexts {
            seed: last,
            shards: OnceLock::new(),
        }
    }

    fn shard(&self, fingerprint: Fingerprint) -> MutexGuard<'_, FingerprintMap<AlertText>> {
        let shards = self.shards.get_or_init(|| {
            let mut shards: Vec<FingerprintMap<AlertText>> = (0..SHARDS)
                .map(|_| {
                    let held = self.seed.as_ref().map_or(0, |s| s.len());
                    FingerprintMap::with_capacity_and_hasher(held / SHARDS, Default::default())
                })
                .collect();
            for alert in self.seed.iter().flat_map(|s| s.iter()) {
                shards[alert.fingerprint.0 as usize % SHARDS]
                    .entry(alert.fingerprint)
                    .or_insert_with(|| AlertText {
                        labels: alert.labels.clone(),
                        raw_labels: alert.raw_labels.clone(),
                        annotations: alert.annotations.clone(),
                    });
            }
            shards.into_iter().map(Mutex::new).collect()
        });
        // A parser that panicked left the map whole: every entry is inserted complete.
        shards[fingerprint.0 as usize % SHARDS]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// What one peer's last reply made: its alerts, as the last snapshot holds them, and
/// the digest of each element of the reply, in order (one alert an element).
#[derive(Clone, Copy)]
pub(super) struct Before<'a> {
    pub alerts: &'a [Alert],
    pub elements: &'a [Digest],
    /// The digest of the whole list.
    pub digest: Digest,
}

/// What reading one peer's reply made.
pub(super) enum PeerAlerts {
    /// Every element is the one at its place in the last reply: its alerts stand.
    Same,
    Read {
        alerts: Vec<Alert>,
        /// The digest of each element, in order.
        elements: Vec<Digest>,
    },
}

/// Why a peer's reply could not be read: what kind of fault, and where.
#[derive(Debug)]
pub(super) struct ReadError {
    pub fault: Category,
    pub line: usize,
    pub column: usize,
}

/// Reads one peer's reply as it arrives, element by element: an element the last reply
/// had (by its digest) gives the alert it gave then, and only the others are parsed.
/// No piece is kept once read.
pub(super) struct PeerReader<'r> {
    splitter: Splitter,
    taken: Taken<'r>,
}

/// What the elements read so far made.
struct Taken<'r> {
    reader: Reader<'r>,
    before: Option<Before<'r>>,
    /// Where each element of the last reply was, by digest: built when one has moved.
    places: Option<HashMap<Digest, usize, foldhash::fast::FixedState>>,
    /// Every element so far is the one at its place in the last reply: no list is
    /// built while that holds.
    same: bool,
    elements: Vec<Digest>,
    alerts: Vec<Alert>,
    /// How many elements were parsed.
    parsed: usize,
}

impl<'r> PeerReader<'r> {
    /// A reader of alerts seen at `origin`, sharing texts through `texts`; `before` is
    /// what this peer's last reply made, `expected` (the last count, or a guess) sizes
    /// the list.
    pub(super) fn new(
        origin: &'r Origin,
        texts: &'r SharedTexts,
        before: Option<Before<'r>>,
        expected: usize,
    ) -> PeerReader<'r> {
        PeerReader {
            splitter: Splitter::new(),
            taken: Taken {
                reader: Reader {
                    origin,
                    texts,
                    receivers: Vec::new(),
                    urls: HashMap::new(),
                },
                before,
                places: None,
                same: before.is_some(),
                elements: Vec::with_capacity(expected),
                alerts: Vec::new(),
                parsed: 0,
            },
        }
    }

    /// Reads the next piece of the reply.
    pub(super) fn feed(&mut self, piece: &[u8]) -> Result<(), ReadError> {
        let taken = &mut self.taken;
        self.splitter
            .feed(piece, |element| taken.take(element))
            .map_err(fault)
    }

    /// How many elements have been parsed so far.
    pub(super) fn parsed(&self) -> usize {
        self.taken.parsed
    }

    /// The reply has ended: what it made, and the digest of the whole list.
    pub(super) fn finish(self) -> Result<(PeerAlerts, Digest), ReadError> {
        if let Err(broken) = self.splitter.finish() {
            // Where the list broke off inside an alert, what is there may be wrong
            // already (a control character in a string, say): that is said first.
            if let Some((bytes, at)) = self.splitter.unfinished()
                && let Err(e) = serde_json::from_slice::<ApiAlert<'_>>(bytes)
                && e.classify() != Category::Eof
            {
                return Err(at_element(&e, at.line, at.column));
            }
            return Err(fault(broken));
        }
        let Taken {
            before,
            same,
            elements,
            mut alerts,
            ..
        } = self.taken;
        match before {
            Some(before) if same && before.elements.len() == elements.len() => {
                return Ok((PeerAlerts::Same, before.digest));
            }
            // The last reply went on past where this one ends.
            Some(before) if same => alerts.extend_from_slice(&before.alerts[..elements.len()]),
            _ => {}
        }
        // A guess that was far too big would hold its room for as long as the poll is shown.
        if alerts.capacity() > alerts.len() + alerts.len() / 4 {
            alerts.shrink_to_fit();
        }
        let digest = reply_digest(&elements);
        Ok((PeerAlerts::Read { alerts, elements }, digest))
    }
}

impl Taken<'_> {
    fn take(&mut self, element: Element<'_>) -> Result<(), ReadError> {
        let i = self.elements.len();
        self.elements.push(element.digest);
        let before = self.before;
        let at_its_place = before.is_some_and(|b| b.elements.get(i) == Some(&element.digest));
        if self.same {
            if at_its_place {
                return Ok(());
            }
            // The first change: what came before it is the last reply's.
            self.same = false;
            let before = before.expect("`same` starts true only with a last reply");
            self.alerts.reserve(self.elements.capacity());
            self.alerts.extend_from_slice(&before.alerts[..i]);
        }
        let alert = match before {
            Some(b) if at_its_place => b.alerts[i].clone(),
            Some(b) => match self.place_before(b, element.digest) {
                Some(j) => b.alerts[j].clone(),
                None => self.parse(&element)?,
            },
            None => self.parse(&element)?,
        };
        self.alerts.push(alert);
        Ok(())
    }

    /// Where the last reply had an element with `digest`.
    fn place_before(&mut self, before: Before<'_>, digest: Digest) -> Option<usize> {
        self.places
            .get_or_insert_with(|| {
                before
                    .elements
                    .iter()
                    .enumerate()
                    .map(|(j, d)| (*d, j))
                    .collect()
            })
            .get(&digest)
            .copied()
    }

    fn parse(&mut self, element: &Element<'_>) -> Result<Alert, ReadError> {
        self.parsed += 1;
        let api: ApiAlert<'_> = serde_json::from_slice(element.bytes)
            .map_err(|e| at_element(&e, element.line, element.column))?;
        Ok(self.reader.alert(api))
    }
}

/// serde's error in an element that starts at `line` and `column` of the reply: serde
/// counts from the element's first byte, the reply's lines count on from there.
fn at_element(e: &serde_json::Error, line: usize, column: usize) -> ReadError {
    let (line, column) = if e.line() <= 1 {
        (line, column + e.column().saturating_sub(1))
    } else {
        (line + e.line() - 1, e.column())
    };
    ReadError {
        fault: e.classify(),
        line,
        column,
    }
}

/// The reply's own fault, or an element's.
fn fault(f: Fault<ReadError>) -> ReadError {
    match f {
        Fault::Element(e) => e,
        Fault::Broken(how, at) => ReadError {
            fault: match how {
                Broken::Truncated => Category::Eof,
                Broken::NotJson => Category::Syntax,
                Broken::NotAList => Category::Data,
            },
            line: at.line,
            column: at.column,
        },
    }
}

/// The digest of a whole reply, from the digests of its elements.
fn reply_digest(elements: &[Digest]) -> Digest {
    let mut digester = Digester::new();
    for d in elements {
        digester.update(&d.0.to_le_bytes());
    }
    digester.update(&elements.len().to_le_bytes());
    digester.digest()
}

/// Turns the reply's alerts into clops alerts.
struct Reader<'r> {
    origin: &'r Origin,
    texts: &'r SharedTexts,
    /// Receiver lists seen so far, as received and as shown: most alerts are routed
    /// alike and share one.
    receivers: Vec<(Vec<String>, Names)>,
    /// Generator URLs seen so far, as received → as shown: one per rule, not per alert.
    urls: HashMap<String, Arc<str>>,
}

impl Reader<'_> {
    fn alert(&mut self, api: ApiAlert<'_>) -> Alert {
        // Alertmanager's own fingerprint is clops's (the same hash of the same labels):
        // taken as sent, computed only when it is missing or malformed.
        let sent = api
            .fingerprint
            .as_deref()
            .filter(|f| f.len() == 16)
            .and_then(|f| f.parse::<Fingerprint>().ok());
        let state = match &*api.status.state {
            "active" => AlertState::Active,
            "suppressed" => AlertState::Suppressed,
            _ => AlertState::Unprocessed,
        };
        let mut alert = match sent {
            Some(fp) => self.shared_alert(fp, &api, state),
            None => {
                let text = AlertText::new(api.labels.iter(), api.annotations.iter());
                let fp = fingerprint(text.matched_labels());
                Alert::from_text(&text, fp, state, api.starts_at, self.origin)
            }
        };
        alert.generator_url = api
            .generator_url
            .as_deref()
            .filter(|u| !u.is_empty())
            .map(|u| self.url(u));
        alert.silenced_by = api
            .status
            .silenced_by
            .iter()
            .map(|s| clean_line(s))
            .collect();
        alert.inhibited_by = api
            .status
            .inhibited_by
            .iter()
            .map(|s| clean_line(s))
            .collect();
        alert.receivers = self.receivers(&api.receivers);
        alert
    }

    /// The alert, its text shared with a copy already read when that says the same.
    fn shared_alert(&self, fp: Fingerprint, api: &ApiAlert<'_>, state: AlertState) -> Alert {
        let held = |shard: &FingerprintMap<AlertText>| {
            shard
                .get(&fp)
                .filter(|text| text.says(api.labels.iter(), api.annotations.iter()))
                .map(|text| Alert::from_text(text, fp, state, api.starts_at, self.origin))
        };
        if let Some(alert) = held(&self.texts.shard(fp)) {
            return alert;
        }
        // Built outside the lock: the other peer's parser need not wait for it.
        let text = AlertText::new(api.labels.iter(), api.annotations.iter());
        let alert = Alert::from_text(&text, fp, state, api.starts_at, self.origin);
        self.texts.shard(fp).insert(fp, text);
        alert
    }

    fn url(&mut self, received: &str) -> Arc<str> {
        if let Some(shown) = self.urls.get(received) {
            return shown.clone();
        }
        let shown: Arc<str> = if is_clean(received) && !received.contains('\n') {
            received.into()
        } else {
            clean_line(received).into()
        };
        self.urls.insert(received.to_string(), shown.clone());
        shown
    }

    fn receivers(&mut self, api: &[ApiReceiver<'_>]) -> Names {
        if api.is_empty() {
            return Names::new();
        }
        let same = |(received, _): &&(Vec<String>, Names)| {
            received.len() == api.len() && received.iter().zip(api).all(|(n, r)| *n == *r.name)
        };
        if let Some((_, names)) = self.receivers.iter().find(same) {
            return names.clone();
        }
        let names: Names = api.iter().map(|r| clean_line(&r.name)).collect();
        // Routing trees have a few receivers; a reply with thousands of lists is read
        // all the same, just without sharing them.
        if self.receivers.len() < 64 {
            let received = api.iter().map(|r| r.name.to_string()).collect();
            self.receivers.push((received, names.clone()));
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(peer: &str) -> Origin {
        Origin::new("prod", peer)
    }

    /// A reply as Alertmanager writes it, with `extra` spliced into the first alert.
    fn reply(updated: &str, summary: &str) -> String {
        format!(
            r#"[{{"annotations":{{"summary":"{summary}"}},"endsAt":"2026-12-02T19:00:00.000Z","fingerprint":"{fp}","receivers":[{{"name":"team"}}],"startsAt":"2026-12-02T13:00:00.000Z","status":{{"inhibitedBy":[],"silencedBy":["abc"],"state":"suppressed"}},"updatedAt":"{updated}","generatorURL":"http://prom:9090/graph","labels":{{"alertname":"Up","job":"api"}}}},
               {{"annotations":{{}},"endsAt":"2026-12-02T19:00:00.000Z","fingerprint":"{fp2}","receivers":[{{"name":"team"}}],"startsAt":"2026-12-02T13:00:00.000Z","status":{{"inhibitedBy":[],"silencedBy":[],"state":"active"}},"updatedAt":"{updated}","labels":{{"alertname":"Down"}}}}]"#,
            fp = fingerprint(&[("alertname", "Up"), ("job", "api")].into_iter().collect()),
            fp2 = fingerprint(&[("alertname", "Down")].into_iter().collect()),
        )
    }

    /// What one peer's reply read: its alerts, element digests and how many were parsed.
    struct Read {
        alerts: Vec<Alert>,
        elements: Vec<Digest>,
        parsed: usize,
        same: bool,
    }

    /// Reads `body` in pieces of `piece` bytes, after a last reply `before` made.
    fn read_in(
        body: &str,
        peer: &str,
        texts: &SharedTexts,
        before: Option<&Read>,
        piece: usize,
    ) -> Result<Read, ReadError> {
        let origin = origin(peer);
        let before = before.map(|b| Before {
            alerts: &b.alerts,
            elements: &b.elements,
            digest: reply_digest(&b.elements),
        });
        let mut reader = PeerReader::new(&origin, texts, before, 0);
        for bytes in body.as_bytes().chunks(piece.max(1)) {
            reader.feed(bytes)?;
        }
        let parsed = reader.parsed();
        Ok(match reader.finish()?.0 {
            PeerAlerts::Read { alerts, elements } => Read {
                alerts,
                elements,
                parsed,
                same: false,
            },
            PeerAlerts::Same => {
                let before = before.unwrap();
                Read {
                    alerts: before.alerts.to_vec(),
                    elements: before.elements.to_vec(),
                    parsed,
                    same: true,
                }
            }
        })
    }

    fn read(body: &str, peer: &str, texts: &SharedTexts) -> Read {
        read_in(body, peer, texts, None, 4096).unwrap()
    }

    fn digest(read: &Read) -> Digest {
        reply_digest(&read.elements)
    }

    #[test]
    fn a_reply_becomes_alerts_with_everything_clops_shows() {
        let texts = SharedTexts::new(None);
        let read = read(&reply("2026-12-02T13:00:01Z", "api is up"), "am-0", &texts);
        let up = &read.alerts[0];
        assert_eq!(read.alerts.len(), 2);
        assert_eq!(up.name(), "Up");
        assert_eq!(up.summary(), "api is up");
        assert_eq!(up.state, AlertState::Suppressed);
        assert_eq!(&*up.silenced_by, ["abc".to_string()]);
        assert_eq!(up.receivers.to_strings(), ["team"]);
        assert_eq!(up.generator_url.as_deref(), Some("http://prom:9090/graph"));
        assert_eq!(up.fingerprint, fingerprint(up.matched_labels()));
        assert_eq!(up.seen_by.to_strings(), ["prod/am-0"]);
        assert_eq!(read.alerts[1].state, AlertState::Active);
        assert!(
            Arc::ptr_eq(
                &read.alerts[0].receivers.as_slice()[0],
                &read.alerts[1].receivers.as_slice()[0]
            ),
            "alerts routed alike share one receiver list"
        );
    }

    #[test]
    fn peers_and_the_next_poll_share_what_an_alert_says() {
        let texts = SharedTexts::new(None);
        let body = reply("2026-12-02T13:00:01Z", "api is up");
        let a = read(&body, "am-0", &texts);
        let b = read(&body, "am-1", &texts);
        assert!(a.alerts[0].labels.same(&b.alerts[0].labels));
        assert!(a.alerts[0].annotations.same(&b.alerts[0].annotations));
        assert_eq!(b.alerts[0].seen_by.to_strings(), ["prod/am-1"]);
        // The next poll, seeded with this one's alerts, builds no text again…
        let next = SharedTexts::new(Some(Arc::new(a.alerts.clone())));
        let again = read(&body, "am-0", &next);
        assert!(again.alerts[0].labels.same(&a.alerts[0].labels));
        // …unless the alert says something else now.
        let changed = read(&reply("2026-12-02T13:00:01Z", "api is down"), "am-0", &next);
        assert!(!changed.alerts[0].annotations.same(&a.alerts[0].annotations));
        assert_eq!(changed.alerts[0].summary(), "api is down");
    }

    #[test]
    fn the_digest_follows_what_clops_keeps_not_when_it_was_resent() {
        let digest = |updated: &str, summary: &str| {
            digest(&read(
                &reply(updated, summary),
                "am-0",
                &SharedTexts::new(None),
            ))
        };
        let first = digest("2026-12-02T13:00:01Z", "api is up");
        assert_eq!(first, digest("2026-12-02T13:01:01Z", "api is up"));
        assert_ne!(first, digest("2026-12-02T13:00:01Z", "api is down"));
    }

    #[test]
    fn a_reply_read_in_any_pieces_makes_the_same_alerts() {
        let body = reply("2026-12-02T13:00:01Z", "api is up");
        let whole = read(&body, "am-0", &SharedTexts::new(None));
        for piece in 1..body.len() {
            let read = read_in(&body, "am-0", &SharedTexts::new(None), None, piece).unwrap();
            assert_eq!(read.alerts, whole.alerts, "in pieces of {piece}");
            assert_eq!(read.elements, whole.elements, "in pieces of {piece}");
        }
    }

    #[test]
    fn elements_read_before_are_not_parsed_again() {
        let texts = SharedTexts::new(None);
        let first = read(&reply("2026-12-02T13:00:01Z", "api is up"), "am-0", &texts);
        assert_eq!(first.parsed, 2);
        // Resent by Prometheus: only `updatedAt` moved. Nothing is parsed or built.
        let resent = read_in(
            &reply("2026-12-02T13:01:01Z", "api is up"),
            "am-0",
            &texts,
            Some(&first),
            64,
        )
        .unwrap();
        assert!(resent.same);
        assert_eq!(resent.parsed, 0);
        // One alert says something new: it alone is parsed, the other is the last one's.
        let changed = read_in(
            &reply("2026-12-02T13:01:01Z", "api is down"),
            "am-0",
            &texts,
            Some(&first),
            64,
        )
        .unwrap();
        assert!(!changed.same);
        assert_eq!(changed.parsed, 1);
        assert_eq!(changed.alerts[0].summary(), "api is down");
        assert!(changed.alerts[1].labels.same(&first.alerts[1].labels));
        // An alert that moved in the list is found where it went.
        let body = reply("2026-12-02T13:00:01Z", "api is up");
        let (open, list) = body.split_at(1);
        let (one, two) = list.split_once(",\n").unwrap();
        let moved = format!("{open}{},{one}", two.trim_end_matches(']').trim()) + "]";
        let moved = read_in(&moved, "am-0", &texts, Some(&first), 64).unwrap();
        assert_eq!(moved.parsed, 0);
        assert_eq!(moved.alerts[0].name(), "Down");
        assert_eq!(moved.alerts[1].name(), "Up");
        // A list cut short keeps what is left of it.
        let first_only = format!("[{one}]");
        let shorter = read_in(&first_only, "am-0", &texts, Some(&first), 64).unwrap();
        assert_eq!((shorter.parsed, shorter.alerts.len()), (0, 1));
    }

    #[test]
    fn escaped_hostile_and_unfingerprinted_alerts_are_read_safely() {
        let body = r#"[{"labels":{"alertname":"Bad\u001b[31mName","path":"a\nb"},"annotations":{"summary":"caf\u00e9 \u001b]0;x\u0007ok"},"startsAt":"2026-12-02T13:00:00Z","status":{"state":"active"},"fingerprint":"not-hex"}]"#;
        let read = read(body, "am-0", &SharedTexts::new(None));
        let a = &read.alerts[0];
        assert_eq!(a.name(), "BadName");
        assert_eq!(a.label("path"), "a↵b");
        assert_eq!(a.matched_labels().get("path"), Some("a\nb"));
        assert_eq!(a.summary(), "café ok");
        assert_eq!(
            a.fingerprint,
            fingerprint(a.matched_labels()),
            "a malformed fingerprint is computed instead"
        );
    }

    #[test]
    fn a_reply_of_another_shape_is_an_error() {
        for (body, fault, column) in [
            (r#"{"alerts":[]}"#, Category::Data, 1),
            (r#"[{"labels":{}}]"#, Category::Data, 14),
            ("[1, 2]", Category::Data, 2),
            ("[] x", Category::Syntax, 4),
            (r#"[{"labels":{}"#, Category::Eof, 14),
        ] {
            let e = read_in(body, "am-0", &SharedTexts::new(None), None, 3)
                .err()
                .unwrap_or_else(|| panic!("{body} was read"));
            assert_eq!((e.fault, e.line, e.column), (fault, 1, column), "{body}");
        }
    }
}
