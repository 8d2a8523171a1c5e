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

/// A digest of bytes: replies whose digests are equal are taken to be the same reply.
/// 128 bits of XXH3: a chance collision is out of reach for any number of polls, and
/// it reads a reply at memory speed, so a poll can afford to digest every byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digest(pub u128);

/// Digests bytes as they arrive, in pieces of any size: the same bytes give the same
/// digest however they were split.
#[derive(Clone)]
pub struct Digester(xxhash_rust::xxh3::Xxh3);

impl Default for Digester {
    fn default() -> Self {
        Digester::new()
    }
}

impl Digester {
    /// A digester that has seen nothing yet.
    pub fn new() -> Digester {
        Digester(xxhash_rust::xxh3::Xxh3::new())
    }

    /// Takes the next piece.
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// Takes a piece of known length, so that pieces fed one after another cannot be
    /// mistaken for other pieces with the same bytes in total ("ab", "c" vs "a", "bc").
    pub fn field(&mut self, bytes: &[u8]) {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    /// The digest of everything taken so far.
    pub fn digest(&self) -> Digest {
        Digest(self.0.digest128())
    }
}

impl Digest {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Digest {
        Digest(xxhash_rust::xxh3::xxh3_128(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_does_not_depend_on_how_the_bytes_arrived() {
        let body = b"[{\"labels\":{\"alertname\":\"Up\"}}]";
        let mut pieces = Digester::new();
        for piece in body.chunks(5) {
            pieces.update(piece);
        }
        assert_eq!(pieces.digest(), Digest::of(body));
        assert_ne!(Digest::of(body), Digest::of(&body[1..]));
    }

    #[test]
    fn fields_are_told_apart_by_their_length() {
        let fields = |parts: &[&str]| {
            let mut d = Digester::new();
            parts.iter().for_each(|p| d.field(p.as_bytes()));
            d.digest()
        };
        assert_ne!(fields(&["ab", "c"]), fields(&["a", "bc"]));
        assert_eq!(fields(&["ab", "c"]), fields(&["ab", "c"]));
    }
}
