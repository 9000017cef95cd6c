//! A fast, non-cryptographic hasher for the builder's maps.
//!
//! The keys are words of the course and term ids, never input an attacker chooses to slow the
//! build down, so SipHash's protection against hash flooding buys nothing here while costing a
//! large share of the build. This is the "Fx" hash of rustc and Firefox: one rotate, xor and
//! multiply per 8 bytes.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` hashed with [`FxHasher`].
pub(crate) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A `HashSet` hashed with [`FxHasher`].
pub(crate) type FxHashSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

/// The Fx hasher: deterministic (no random seed), fast on short keys.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(
                chunk.try_into().expect("chunks_exact yields 8 bytes"),
            ));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, value: u8) {
        self.add(u64::from(value));
    }

    fn write_u32(&mut self, value: u32) {
        self.add(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_equal_and_different_keys_differ() {
        let mut map: FxHashMap<&str, u32> = FxHashMap::default();
        for (idx, word) in ["factur", "facture", "factures", "a", "", "équipement"]
            .into_iter()
            .enumerate()
        {
            map.insert(word, idx as u32);
        }
        assert_eq!(map.len(), 6);
        assert_eq!(map.get("facture"), Some(&1));
        assert_eq!(map.get(&*String::from("équipement")), Some(&5));
        assert_eq!(map.get("factu"), None);
    }
}
