//! Hashers for the hot maps of triage. The standard SipHash defends against crafted
//! keys; label values and fingerprints do not need that defence, and 100k alerts a poll
//! do notice the cost.

use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: quick on the short strings labels are made of.
#[derive(Default)]
pub struct FnvHasher(u64);

impl Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf29ce484222325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
        self.0 = h;
    }
}

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

/// A map keyed by strings, hashed with FNV.
pub type FnvMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FnvHasher>>;

/// A map keyed by fingerprints.
pub type FingerprintMap<V> =
    std::collections::HashMap<super::Fingerprint, V, BuildHasherDefault<IdentityHasher>>;
