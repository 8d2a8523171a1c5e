//! Hashers for the hot maps of triage. The standard SipHash defends against crafted
//! keys; label values and fingerprints do not need that defence, and 100k alerts a poll
//! do notice the cost.

use std::hash::{BuildHasherDefault, Hasher};

/// For keys that are hashes already (fingerprints): passes them through.
#[derive(Default)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by strings: hashed a word at a time, with a fixed seed (the same
/// numbering on every run).
pub type TextMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// A map keyed by fingerprints.
pub type FingerprintMap<V> =
    std::collections::HashMap<super::Fingerprint, V, BuildHasherDefault<IdentityHasher>>;
