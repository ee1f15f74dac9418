//! Latin hypercube strata without memory.
//!
//! Latin hypercube sampling gives every input exactly one draw in each of the
//! N equal-probability strata: trial `i` of input `k` draws
//! `u = (π_k(i) + v) / N` with `π_k` a random permutation of `0..N` and `v`
//! uniform in (0, 1) (McKay, Beckman & Conover, 1979).
//!
//! The permutation is a keyed bijection rather than a shuffled array: a
//! balanced Feistel network on the smallest even power of two >= N, with
//! cycle-walking to stay inside `0..N` (Black & Rogaway, *Ciphers with
//! arbitrary finite domains*, 2002). It needs no memory, can be evaluated for
//! any trial on any thread, and depends only on (seed, input path, N).

use super::keyed::{StreamKey, mix64};

const ROUNDS: u64 = 6;

/// A keyed random permutation of `0..n`.
#[derive(Debug, Clone, Copy)]
pub struct Permutation {
    n: u64,
    half_bits: u32,
    key: u64,
}

impl Permutation {
    pub fn new(key: StreamKey, n: u64) -> Self {
        assert!(n >= 1, "a permutation needs n >= 1");
        let bits = 64 - (n - 1).leading_zeros();
        let half_bits = bits.div_ceil(2).max(1);
        Permutation {
            n,
            half_bits,
            key: key.raw(),
        }
    }

    /// π(i) for i in 0..n.
    #[inline]
    pub fn apply(&self, i: u64) -> u64 {
        debug_assert!(i < self.n);
        let mut x = i;
        loop {
            x = self.feistel(x);
            if x < self.n {
                return x;
            }
        }
    }

    #[inline]
    fn feistel(&self, x: u64) -> u64 {
        let mask = (1u64 << self.half_bits) - 1;
        let (mut l, mut r) = (x >> self.half_bits, x & mask);
        for round in 0..ROUNDS {
            let f = mix64(self.key ^ (round << 58) ^ r) & mask;
            (l, r) = (r, l ^ f);
        }
        (l << self.half_bits) | r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_a_bijection_for_awkward_sizes() {
        for n in [1u64, 2, 3, 7, 100, 1000, 4097] {
            let p = Permutation::new(StreamKey::new(9, "x"), n);
            let mut seen = vec![false; n as usize];
            for i in 0..n {
                let j = p.apply(i) as usize;
                assert!(!seen[j], "n={n}: {j} twice");
                seen[j] = true;
            }
        }
    }

    #[test]
    fn different_keys_give_different_orders() {
        let a = Permutation::new(StreamKey::new(1, "a"), 1000);
        let b = Permutation::new(StreamKey::new(1, "b"), 1000);
        let same = (0..1000).filter(|&i| a.apply(i) == b.apply(i)).count();
        // A random pair of permutations agrees in about one place.
        assert!(same < 10, "{same} fixed agreements");
    }
}
