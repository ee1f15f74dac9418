//! The waiting times between a shock's occurrences: rand_distr's
//! `Geometric` distribution (failures before the first success), drawn by
//! the same algorithm from the same random numbers, so that every draw is
//! the one `rand_distr::Geometric` gives, with the powers it needs worked
//! out once rather than at every draw.
//!
//! For a success probability p below 2/3, rand_distr follows Bringmann and
//! Friedrich (2013), *Exact and efficient generation of geometric random
//! variates and random graphs* (ICALP, section 3): with k the smallest
//! integer such that π = (1 − p)^(2^k) <= ½, the quotient D ~ Geo(1 − π) is
//! drawn by counting uniforms below π, and the remainder M in 0..2^k by
//! rejection, a uniform M kept with probability (1 − p)^M. Computing that
//! power took over a third of the shocks' cost in a run of the example
//! scenario; [`Gaps::with_powers`] tabulates the 2^k powers, each computed
//! as rand_distr computes it (`powi`), so that every accept or reject is the
//! same. The tests check the draws against rand_distr's, value by value.

use rand::{Rng, RngExt};

/// Most entries of a table of powers: 2^12 (32 KB), enough for a monthly
/// probability down to ln 2 / 4096 ≈ 1.7e-4 (a yearly one of 0.2%); rarer
/// shocks draw the power at each draw, as rand_distr does.
const MOST_POWERS: u64 = 1 << 12;

/// Geo(p), as rand_distr's `Geometric::new(p)` sets it up.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Gaps {
    p: f64,
    /// (1 − p)^(2^k).
    pi: f64,
    k: u64,
    /// (1 − p)^m for m in 0..2^k, when tabulated.
    powers: Vec<f64>,
}

impl Gaps {
    /// `None` unless 0 <= p <= 1 (rand_distr's `InvalidProbability`).
    pub(crate) fn new(p: f64) -> Option<Self> {
        // rand_distr 0.6, `Geometric::new`, step by step.
        let mut pi = 1.0 - p;
        if !p.is_finite() || !(0.0..=1.0).contains(&p) {
            return None;
        }
        if pi == 1.0 || p >= 2.0 / 3.0 {
            return Some(Gaps {
                p,
                pi,
                k: 0,
                powers: Vec::new(),
            });
        }
        // The smallest k such that pi = (1 - p)^(2^k) <= 0.5.
        let mut k = 1;
        pi = pi * pi;
        while pi > 0.5 {
            k += 1;
            pi = pi * pi;
        }
        Some(Gaps {
            p,
            pi,
            k,
            powers: Vec::new(),
        })
    }

    /// [`Gaps::new`], with the powers of the rejection step tabulated when
    /// there are at most [`MOST_POWERS`] of them.
    pub(crate) fn with_powers(p: f64) -> Option<Self> {
        let mut g = Self::new(p)?;
        if g.p < 2.0 / 3.0 && g.pi != 1.0 && 1u64 << g.k <= MOST_POWERS {
            // `black_box`: computed by `powi` at run time, exactly as in
            // `sample_power`, never folded into products by the compiler.
            g.powers = (0..1i32 << g.k)
                .map(|m| (1.0 - g.p).powi(std::hint::black_box(m)))
                .collect();
        }
        Some(g)
    }

    /// The number of failures before the first success: rand_distr 0.6's
    /// `Geometric::sample`, reading the powers from the table when there
    /// is one. (The engine draws with [`Gaps::sample_below`].)
    #[cfg(test)]
    pub(crate) fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        self.sample_below(rng, u64::MAX)
            .expect("no count of failures is sure to reach u64::MAX")
    }

    /// [`Gaps::sample`], given up (`None`) as soon as the failures are sure
    /// to be at least `limit`: when the quotient alone reaches it, the
    /// remainder is not drawn. (A shock's next occurrence beyond the
    /// horizon is not needed; its generator is dropped then.) Otherwise
    /// the draws, and the count, are [`Gaps::sample`]'s.
    #[inline]
    pub(crate) fn sample_below<R: Rng + ?Sized>(&self, rng: &mut R, limit: u64) -> Option<u64> {
        if self.p >= 2.0 / 3.0 {
            // The trivial algorithm.
            let mut failures = 0;
            loop {
                let u = rng.random::<f64>();
                if u <= self.p {
                    break;
                }
                failures += 1;
            }
            return Some(failures);
        }
        if self.pi == 1.0 {
            return Some(u64::MAX);
        }
        let Gaps { p, pi, k, .. } = *self;
        // D ~ Geo(pi) = Geo(p) / 2^k, by the trivial algorithm.
        let d = {
            let mut failures = 0;
            while rng.random::<f64>() < pi {
                failures += 1;
            }
            failures
        };
        // (d << k) + m, for any remainder m < 2^k, is at least d << k and
        // neither loses bits nor wraps when d <= u64::MAX >> k.
        if d <= u64::MAX >> k && d << k >= limit {
            return None;
        }
        // The remainder M ~ Geo(p) % 2^k by rejection: M uniform in
        // [0, 2^k), rejected with probability (1 - p)^M.
        let m = loop {
            let m = rng.random::<u64>() & ((1 << k) - 1);
            let p_reject = match self.powers.get(m as usize) {
                Some(&power) => power,
                None => sample_power(p, m),
            };
            let u = rng.random::<f64>();
            if u < p_reject {
                break m;
            }
        };
        Some((d << k) + m)
    }
}

/// (1 − p)^m as rand_distr computes it.
#[inline]
fn sample_power(p: f64, m: u64) -> f64 {
    if m <= i32::MAX as u64 {
        (1.0 - p).powi(m as i32)
    } else {
        (1.0 - p).powf(m as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand_distr::{Distribution, Geometric};

    /// Every draw, and the generator's state after it, equal rand_distr's:
    /// for the shocks' monthly probabilities (tabulated or not), for the
    /// trivial algorithm (p >= 2/3), and at the edges.
    #[test]
    fn draws_are_rand_distr_draws() {
        let ps = [
            0.0,
            1e-12,
            1e-5,
            1.0 - 0.999f64.powf(1.0 / 12.0),
            1.0 - 0.95f64.powf(1.0 / 12.0),
            1.0 - 0.92f64.powf(1.0 / 12.0),
            0.01,
            0.1,
            0.3,
            0.5,
            0.6,
            2.0 / 3.0,
            0.9,
            1.0,
        ];
        for p in ps {
            let theirs = Geometric::new(p).expect("a valid probability");
            for ours in [Gaps::new(p).unwrap(), Gaps::with_powers(p).unwrap()] {
                for seed in 0..200u64 {
                    let mut a = Xoshiro256PlusPlus::seed_from_u64(seed);
                    let mut b = a.clone();
                    // Small p can return u64::MAX; those draw nothing more.
                    for _ in 0..20 {
                        assert_eq!(ours.sample(&mut a), theirs.sample(&mut b), "p = {p}");
                    }
                    assert_eq!(a.next_u64(), b.next_u64(), "p = {p}: the state");
                }
            }
        }
    }

    /// Given up only where the whole draw reaches the limit, and otherwise
    /// the whole draw, for limits around the quotient's steps.
    #[test]
    fn draws_given_up_only_beyond_the_limit() {
        for p in [1e-5, 1.0 - 0.95f64.powf(1.0 / 12.0), 0.01, 0.3, 0.9] {
            let g = Gaps::with_powers(p).unwrap();
            let step = 1u64 << g.k;
            for limit in [0, 1, step - 1, step, step + 1, 2 * step, 60, u64::MAX] {
                let (mut given_up, mut drawn) = (0, 0);
                for seed in 0..300u64 {
                    let mut a = Xoshiro256PlusPlus::seed_from_u64(seed);
                    let mut b = a.clone();
                    let whole = g.sample(&mut b);
                    match g.sample_below(&mut a, limit) {
                        None => {
                            given_up += 1;
                            assert!(whole >= limit, "p = {p}, limit {limit}: {whole}");
                        }
                        Some(x) => {
                            drawn += 1;
                            assert_eq!(x, whole, "p = {p}, limit {limit}");
                        }
                    }
                }
                // Both happen where the limit is inside the draws' range.
                if p < 2.0 / 3.0 && limit == step {
                    assert!(given_up > 0 && drawn > 0, "p = {p}: {given_up} {drawn}");
                }
            }
        }
    }

    #[test]
    fn tables_only_where_small() {
        let monthly = 1.0 - 0.95f64.powf(1.0 / 12.0);
        let g = Gaps::with_powers(monthly).unwrap();
        assert_eq!(g.powers.len() as u64, 1 << g.k);
        assert!(g.powers.len() <= MOST_POWERS as usize);
        for (m, &w) in g.powers.iter().enumerate() {
            assert_eq!(w.to_bits(), (1.0 - monthly).powi(m as i32).to_bits());
        }
        assert!(Gaps::with_powers(1e-9).unwrap().powers.is_empty());
        assert!(Gaps::with_powers(0.9).unwrap().powers.is_empty());
        assert_eq!(Gaps::new(-0.1), None);
        assert_eq!(Gaps::new(f64::NAN), None);
        assert_eq!(Gaps::new(1.5), None);
    }
}
