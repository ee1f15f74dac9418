//! Random numbers keyed by what they mean, not by when they are drawn.
//!
//! The draw of an input in trial `i` is a pure function of
//! `(seed, input path, i)`: a counter-based generator in the manner of
//! Salmon et al., *Parallel random numbers: as easy as 1, 2, 3* (SC 2011),
//! built from the SplitMix64 output function (Steele, Lea & Flood, *Fast
//! splittable pseudorandom number generators*, OOPSLA 2014). Chaining the
//! finalizer over the key words gives a 64-bit hash with full avalanche, so
//! neighbouring trials and neighbouring streams are unrelated.
//!
//! Why keyed: rayon splits work differently from run to run, so a
//! per-thread sequence would make results depend on the thread count. And
//! two scenarios that share an input path see the same draws trial by trial
//! (common random numbers), which makes their comparison paired.
//!
//! Where a trial needs a variable number of draws (shock occurrences), the
//! key seeds a [`Xoshiro256PlusPlus`] stream of its own.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 output function: a bijective 64-bit mixer.
#[inline]
pub const fn mix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(GOLDEN);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A stable 64-bit hash of a string (FNV-1a, then mixed). Stable across
/// platforms and program versions, unlike `std`'s hashers.
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    mix64(h)
}

/// A uniform in the open interval (0, 1) from 64 random bits: the top 52
/// bits, centred in their cell, so the result lies in [2⁻⁵³, 1 − 2⁻⁵³] and
/// is exact (with 53 bits, 1 − 2⁻⁵⁴ would round to 1, where inverse CDFs
/// are infinite).
#[inline]
pub fn open01(bits: u64) -> f64 {
    ((bits >> 12) as f64 + 0.5) * (1.0 / (1u64 << 52) as f64)
}

/// The key of one random stream: a seed and what the stream means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamKey(u64);

impl StreamKey {
    /// The stream of `purpose` (an input path, or a path plus a role such as
    /// `"#lhs"`) under `seed`.
    pub fn new(seed: u64, purpose: &str) -> Self {
        StreamKey(mix64(mix64(seed ^ 0x5EED_0FC0_FFEE) ^ hash_str(purpose)))
    }

    /// 64 random bits for (trial, counter).
    #[inline]
    pub fn bits(self, trial: u64, counter: u64) -> u64 {
        mix64(mix64(self.0 ^ trial) ^ counter.wrapping_mul(GOLDEN))
    }

    /// A uniform in (0, 1) for (trial, counter).
    #[inline]
    pub fn uniform(self, trial: u64, counter: u64) -> f64 {
        open01(self.bits(trial, counter))
    }

    /// A sequential generator for trial `trial` of this stream.
    pub fn rng(self, trial: u64) -> Xoshiro256PlusPlus {
        Xoshiro256PlusPlus::seed_from_u64(self.bits(trial, u64::MAX))
    }

    pub(crate) fn raw(self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_distinct() {
        let a = StreamKey::new(1, "costs.X.amount");
        let b = StreamKey::new(1, "costs.Y.amount");
        let c = StreamKey::new(2, "costs.X.amount");
        assert_eq!(
            a.uniform(7, 0),
            StreamKey::new(1, "costs.X.amount").uniform(7, 0)
        );
        assert_ne!(a.uniform(7, 0), b.uniform(7, 0));
        assert_ne!(a.uniform(7, 0), c.uniform(7, 0));
        assert_ne!(a.uniform(7, 0), a.uniform(8, 0));
        assert_ne!(a.uniform(7, 0), a.uniform(7, 1));
    }

    #[test]
    fn open01_never_hits_the_ends() {
        assert_eq!(open01(0), 2f64.powi(-53));
        assert_eq!(open01(u64::MAX), 1.0 - 2f64.powi(-53));
    }

    /// Uniformity (chi-square over 100 cells) and lag-1 correlation across
    /// trials, the pattern the engine uses. With 1e6 draws the chi-square
    /// statistic has mean 99 and sd 14; 99 + 5 sd = 169.
    #[test]
    fn uniform_and_uncorrelated_across_trials() {
        let k = StreamKey::new(42, "adoption.max_level");
        let n = 1_000_000u64;
        let mut cells = [0u64; 100];
        let mut prev = k.uniform(0, 0);
        let mut sxy = 0.0;
        for i in 0..n {
            let u = k.uniform(i, 0);
            cells[(u * 100.0) as usize] += 1;
            if i > 0 {
                sxy += (u - 0.5) * (prev - 0.5);
            }
            prev = u;
        }
        let e = n as f64 / 100.0;
        let chi2: f64 = cells.iter().map(|&c| (c as f64 - e).powi(2) / e).sum();
        assert!(chi2 < 169.0, "chi2 = {chi2}");
        // Lag-1 correlation: sd of the estimate is 1/sqrt(n) = 0.001.
        let r = sxy / (n as f64 - 1.0) * 12.0;
        assert!(r.abs() < 0.005, "lag-1 r = {r}");
    }

    #[test]
    fn streams_are_uncorrelated() {
        let a = StreamKey::new(1, "a");
        let b = StreamKey::new(1, "b");
        let n = 200_000u64;
        let s: f64 = (0..n)
            .map(|i| (a.uniform(i, 0) - 0.5) * (b.uniform(i, 0) - 0.5))
            .sum();
        let r = s / n as f64 * 12.0;
        // sd of r is 1/sqrt(n) = 0.0022.
        assert!(r.abs() < 0.011, "r = {r}");
    }
}
