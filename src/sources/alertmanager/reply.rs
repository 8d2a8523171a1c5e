//! Alertmanager's `/api/v2/alerts` reply, read straight into clops alerts: typed, the
//! strings borrowed from the reply while an alert is built, no JSON tree in between.
//! Labels and annotations already held (by the other peer's copy, or by the last poll)
//! are shared, not built again.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use smallvec::SmallVec;

use crate::model::alert::{AlertText, Names};
use crate::model::hash::{Digest, Digester, FingerprintMap};
use crate::model::{Alert, AlertState, Fingerprint, Origin, fingerprint};
use crate::text::{clean_line, is_clean};

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

/// What reading one peer's reply made.
pub(super) struct PeerAlerts {
    pub alerts: Vec<Alert>,
    /// The reply's size in bytes.
    pub size: usize,
    /// A digest of what clops keeps of every alert (not `updatedAt` or `endsAt`, which
    /// change on every resend without changing anything shown).
    pub digest: Digest,
}

/// Reads one peer's reply into alerts seen at `origin`. `expected` (the last count, or
/// a guess) sizes the list.
pub(super) fn read_alerts(
    body: &[u8],
    origin: &Origin,
    texts: &SharedTexts,
    expected: usize,
) -> Result<PeerAlerts, serde_json::Error> {
    let mut reader = Reader {
        origin,
        texts,
        alerts: Vec::with_capacity(expected),
        receivers: Vec::new(),
        urls: HashMap::new(),
        digester: Digester::new(),
        per_alert: foldhash::fast::FixedState::default(),
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    (&mut reader).deserialize(&mut de)?;
    de.end()?;
    let mut alerts = reader.alerts;
    // A guess that was far too big would hold its room for as long as the poll is shown.
    if alerts.capacity() > alerts.len() + alerts.len() / 4 {
        alerts.shrink_to_fit();
    }
    Ok(PeerAlerts {
        alerts,
        size: body.len(),
        digest: reader.digester.digest(),
    })
}

/// Turns the reply's alerts into clops alerts one by one, as they are parsed.
struct Reader<'r> {
    origin: &'r Origin,
    texts: &'r SharedTexts,
    alerts: Vec<Alert>,
    /// Receiver lists seen so far, as received and as shown: most alerts are routed
    /// alike and share one.
    receivers: Vec<(Vec<String>, Names)>,
    /// Generator URLs seen so far, as received → as shown: one per rule, not per alert.
    urls: HashMap<String, Arc<str>>,
    digester: Digester,
    per_alert: foldhash::fast::FixedState,
}

impl<'de> DeserializeSeed<'de> for &mut Reader<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for &mut Reader<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of alerts")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        while let Some(api) = seq.next_element::<ApiAlert<'de>>()? {
            let alert = self.alert(api);
            self.alerts.push(alert);
        }
        Ok(())
    }
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
        self.digest(&alert, &api);
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

    /// Adds what clops keeps of this alert to the reply's digest: one hash of it, so the
    /// digest costs a few words per alert.
    fn digest(&mut self, alert: &Alert, api: &ApiAlert<'_>) {
        let mut h = self.per_alert.build_hasher();
        alert.fingerprint.0.hash(&mut h);
        alert.state.hash(&mut h);
        alert.starts_at.hash(&mut h);
        api.labels.0.len().hash(&mut h);
        for (k, v) in api.labels.iter().chain(api.annotations.iter()) {
            k.hash(&mut h);
            v.hash(&mut h);
        }
        api.annotations.0.len().hash(&mut h);
        alert.silenced_by.hash(&mut h);
        alert.inhibited_by.hash(&mut h);
        for r in alert.receivers.iter() {
            r.hash(&mut h);
        }
        alert.generator_url.hash(&mut h);
        self.digester.update(&h.finish().to_le_bytes());
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

    fn read(body: &str, peer: &str, texts: &SharedTexts) -> PeerAlerts {
        read_alerts(body.as_bytes(), &origin(peer), texts, 0).unwrap()
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
            read(&reply(updated, summary), "am-0", &SharedTexts::new(None)).digest
        };
        let first = digest("2026-12-02T13:00:01Z", "api is up");
        assert_eq!(first, digest("2026-12-02T13:01:01Z", "api is up"));
        assert_ne!(first, digest("2026-12-02T13:00:01Z", "api is down"));
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
        for body in [r#"{"alerts":[]}"#, r#"[{"labels":{}}]"#, "[1, 2]", "[] x"] {
            assert!(
                read_alerts(body.as_bytes(), &origin("am-0"), &SharedTexts::new(None), 0).is_err(),
                "{body}"
            );
        }
    }
}
