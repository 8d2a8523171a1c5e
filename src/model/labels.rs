//! A compact, shared, sorted set of labels (or annotations).
//!
//! A busy fleet means 100k alerts of ten labels each. Kept as a map of separately
//! allocated strings, that is a million allocations to walk and free, and every label
//! lookup chases pointers across the heap. A [`LabelSet`] keeps all names and values of
//! one alert in one shared allocation with their index in front: cloning it bumps one
//! counter, and a lookup reads one stretch of memory.
// Label storage reads its own bytes back as `str` without re-checking them.
#![allow(unsafe_code)]

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};

/// Sorted, immutable name → value pairs.
///
/// One allocation: a little-endian u32 pair count n, then 2n u32 offsets (for pair i,
/// where its name ends and where its value ends, counted in the text), then the text:
/// every name and value concatenated in order.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct LabelSet(Arc<[u8]>);

impl Default for LabelSet {
    fn default() -> Self {
        LabelSet(Arc::from(&0u32.to_le_bytes()[..]))
    }
}

impl LabelSet {
    /// The empty set.
    pub fn new() -> LabelSet {
        LabelSet::default()
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.word(0) as usize
    }

    /// True when there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The u32 at index `i` of the header.
    fn word(&self, i: usize) -> u32 {
        let b = &self.0[4 * i..4 * i + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }

    fn pair(&self, i: usize) -> (&str, &str) {
        let text_at = 4 + 8 * self.len();
        let start = if i == 0 { 0 } else { self.word(2 * i) as usize };
        let name_end = self.word(1 + 2 * i) as usize;
        let value_end = self.word(2 + 2 * i) as usize;
        let text = &self.0[text_at..];
        // SAFETY: `from_iter` copied these bytes from `&str`s and recorded where each
        // one ends, so every range between recorded offsets is a whole, valid `str`.
        unsafe {
            (
                std::str::from_utf8_unchecked(&text[start..name_end]),
                std::str::from_utf8_unchecked(&text[name_end..value_end]),
            )
        }
    }

    /// Hints that this set will be read soon (see [`super::prefetch`]).
    #[inline(always)]
    pub(crate) fn prefetch(&self) {
        // The shared counts sit just before the bytes: cloning touches them too.
        let counts = 2 * std::mem::size_of::<usize>();
        super::prefetch::prefetch(self.0.as_ptr().wrapping_sub(counts), counts + self.0.len());
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        // Label sets are small: a scan that compares lengths first touches fewer bytes
        // than a binary search that compares text at every step.
        let n = self.len();
        let text_at = 4 + 8 * n;
        let bytes = &self.0;
        let mut start = 0usize;
        for i in 0..n {
            let name_end = self.word(1 + 2 * i) as usize;
            let value_end = self.word(2 + 2 * i) as usize;
            if name_end - start == name.len()
                && same_bytes(&bytes[text_at + start..text_at + name_end], name.as_bytes())
            {
                // SAFETY: the bytes between recorded offsets were copied from a `&str`.
                return Some(unsafe {
                    std::str::from_utf8_unchecked(&bytes[text_at + name_end..text_at + value_end])
                });
            }
            start = value_end;
        }
        None
    }

    /// The values of each of `names` ("" for one that is absent), found in one pass:
    /// for callers that read several labels of many alerts.
    pub fn get_each<const N: usize>(&self, names: [&str; N]) -> [&str; N] {
        let mut found = [""; N];
        let n = self.len();
        let offsets = &self.0[4..4 + 8 * n];
        let text = &self.0[4 + 8 * n..];
        let mut start = 0usize;
        // Stops once every name is found: the labels after them are not read.
        let mut missing = N;
        for pair in offsets.chunks_exact(8) {
            let name_end = u32::from_le_bytes([pair[0], pair[1], pair[2], pair[3]]) as usize;
            let value_end = u32::from_le_bytes([pair[4], pair[5], pair[6], pair[7]]) as usize;
            let name = &text[start..name_end];
            for (want, value) in names.iter().zip(found.iter_mut()) {
                if want.len() == name.len() && same_bytes(name, want.as_bytes()) {
                    // SAFETY: the bytes between recorded offsets were copied from a `&str`.
                    *value = unsafe { std::str::from_utf8_unchecked(&text[name_end..value_end]) };
                    missing -= 1;
                }
            }
            if missing == 0 {
                break;
            }
            start = value_end;
        }
        found
    }

    /// True when both are one shared set (equal without comparing their text).
    pub fn same(&self, other: &LabelSet) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// True when `name` is present.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Pairs in name order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&str, &str)> + ExactSizeIterator + '_ {
        (0..self.len()).map(|i| self.pair(i))
    }

    /// Names in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.iter().map(|(k, _)| k)
    }

    /// Values in name order.
    pub fn values(&self) -> impl Iterator<Item = &str> + '_ {
        self.iter().map(|(_, v)| v)
    }

    /// A copy holding the pairs of both; where both have a name, `self` wins.
    pub fn merged_with(&self, other: &LabelSet) -> LabelSet {
        let mut map: BTreeMap<&str, &str> = other.iter().collect();
        map.extend(self.iter());
        map.into_iter().collect()
    }

    /// As a map, for code that wants to change labels.
    pub fn to_map(&self) -> BTreeMap<String, String> {
        self.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }
}

/// Equal slices of one length. Label names are short: a loop the compiler keeps inline
/// beats a call to `memcmp` for each candidate name.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.iter().zip(b).all(|(x, y)| x == y)
}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for LabelSet {
    /// Builds from pairs in any order; a repeated name keeps its last value.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut pairs: Vec<(K, V)> = iter.into_iter().collect();
        pairs.sort_by(|a, b| a.0.as_ref().cmp(b.0.as_ref()));
        // Keep the last of equal names, as inserting into a map would.
        let mut kept: Vec<(K, V)> = Vec::with_capacity(pairs.len());
        for p in pairs {
            if kept.last().is_some_and(|l| l.0.as_ref() == p.0.as_ref()) {
                kept.pop();
            }
            kept.push(p);
        }
        let size: usize = kept
            .iter()
            .map(|(k, v)| k.as_ref().len() + v.as_ref().len())
            .sum();
        let mut bytes = Vec::with_capacity(4 + 8 * kept.len() + size);
        bytes.extend_from_slice(&(kept.len() as u32).to_le_bytes());
        let mut end = 0u32;
        for (k, v) in &kept {
            end += k.as_ref().len() as u32;
            bytes.extend_from_slice(&end.to_le_bytes());
            end += v.as_ref().len() as u32;
            bytes.extend_from_slice(&end.to_le_bytes());
        }
        for (k, v) in &kept {
            bytes.extend_from_slice(k.as_ref().as_bytes());
            bytes.extend_from_slice(v.as_ref().as_bytes());
        }
        LabelSet(Arc::from(bytes))
    }
}

impl From<BTreeMap<String, String>> for LabelSet {
    fn from(map: BTreeMap<String, String>) -> Self {
        map.into_iter().collect()
    }
}

impl fmt::Debug for LabelSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for LabelSet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_iteration_and_order() {
        let l: LabelSet = [("severity", "critical"), ("alertname", "Down"), ("job", "")]
            .into_iter()
            .collect();
        assert_eq!(l.len(), 3);
        assert_eq!(l.get("alertname"), Some("Down"));
        assert_eq!(l.get("job"), Some(""));
        assert_eq!(l.get("missing"), None);
        assert_eq!(
            l.keys().collect::<Vec<_>>(),
            ["alertname", "job", "severity"]
        );
        assert_eq!(
            format!("{l:?}"),
            r#"{"alertname": "Down", "job": "", "severity": "critical"}"#
        );
        assert_eq!(
            serde_json::to_string(&l).unwrap(),
            r#"{"alertname":"Down","job":"","severity":"critical"}"#
        );
    }

    #[test]
    fn several_labels_read_in_one_pass() {
        let l: LabelSet = [("service", "db"), ("alertname", "Down"), ("node", "")]
            .into_iter()
            .collect();
        assert_eq!(
            l.get_each(["alertname", "cluster", "service", "node", "service"]),
            ["Down", "", "db", "", "db"]
        );
        assert_eq!(LabelSet::new().get_each(["a"]), [""]);
    }

    #[test]
    fn repeated_names_keep_the_last_value_and_merges_prefer_self() {
        let l: LabelSet = [("a", "1"), ("b", "2"), ("a", "3")].into_iter().collect();
        assert_eq!((l.len(), l.get("a")), (2, Some("3")));
        let other: LabelSet = [("a", "x"), ("c", "4")].into_iter().collect();
        let m = l.merged_with(&other);
        assert_eq!(
            m.iter().collect::<Vec<_>>(),
            [("a", "3"), ("b", "2"), ("c", "4")]
        );
    }

    #[test]
    fn empty_set_and_equality() {
        assert!(LabelSet::new().is_empty());
        assert_eq!(LabelSet::new().get("x"), None);
        let a: LabelSet = [("x", "1")].into_iter().collect();
        let b: LabelSet = [("x", "1")].into_iter().collect();
        assert_eq!(a, b);
        assert_ne!(a, LabelSet::new());
    }
}
