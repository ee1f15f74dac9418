//! Helpers for the fit tests: fixed data sets with reference estimates from
//! scipy, and seeded samples from rand_distr.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::Distribution;

/// Ten positive values; scipy 1.17 references are quoted where used.
pub(super) const POSITIVE: [f64; 10] = [7.5, 9.8, 11.2, 12.0, 14.9, 15.3, 18.4, 22.1, 26.7, 31.0];

/// Ten values in (0, 1).
pub(super) const UNIT: [f64; 10] = [0.05, 0.08, 0.12, 0.19, 0.22, 0.27, 0.31, 0.35, 0.44, 0.51];

/// Twelve draws of a triangular with its mode at its minimum,
/// (2, 2, 12), rounded to 3 decimals (numpy default_rng(11)): the maximum
/// likelihood fits of triangular and PERT have the mode and the lower
/// bound at the smallest value.
pub(super) const MODE_AT_MIN: [f64; 12] = [
    2.144, 2.359, 2.665, 2.671, 2.769, 4.056, 4.924, 5.01, 5.687, 5.851, 9.321, 9.727,
];

/// The largest log-likelihood over the far bound b of a distribution
/// whose mode and near bound sit on the smallest value of ascending `xs`
/// (or on the largest, `mirror`), where `ll(b, xs)` scores b for data
/// measured from that value. A ternary search over ln((b − x₍ₙ₎)/R), the
/// likelihood having one maximum in b: independent of the fits' own root
/// finding.
pub(super) fn boundary_log_likelihood(
    xs: &[f64],
    mirror: bool,
    ll: impl Fn(f64, &[f64]) -> f64,
) -> f64 {
    let d: Vec<f64> = if mirror {
        xs.iter().rev().map(|x| xs[xs.len() - 1] - x).collect()
    } else {
        xs.iter().map(|x| x - xs[0]).collect()
    };
    let range = d[d.len() - 1];
    let at = |u: f64| ll(range * (1.0 + u.exp()), &d);
    let (mut lo, mut hi) = (-60.0f64, 20.0f64);
    for _ in 0..300 {
        let (m1, m2) = (lo + (hi - lo) / 3.0, hi - (hi - lo) / 3.0);
        if at(m1) < at(m2) {
            lo = m1;
        } else {
            hi = m2;
        }
    }
    at(0.5 * (lo + hi))
}

/// `n` draws of `dist` from a generator seeded with `seed`, sorted.
pub(super) fn sample(dist: impl Distribution<f64>, n: usize, seed: u64) -> Vec<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut xs: Vec<f64> = (0..n).map(|_| dist.sample(&mut rng)).collect();
    xs.sort_by(f64::total_cmp);
    xs
}

/// The standard deviation of each estimate over `reps` independent samples
/// of size `n` (seeds 1000, 1001, …): a Monte Carlo standard error for
/// estimators without a closed-form one.
pub(super) fn monte_carlo_sd(
    dist: impl Distribution<f64> + Copy,
    n: usize,
    reps: u64,
    estimate: impl Fn(&[f64]) -> Vec<f64>,
) -> Vec<f64> {
    let runs: Vec<Vec<f64>> = (0..reps)
        .map(|r| estimate(&sample(dist, n, 1000 + r)))
        .collect();
    let k = runs[0].len();
    let m = reps as f64;
    (0..k)
        .map(|j| {
            let mean = runs.iter().map(|r| r[j]).sum::<f64>() / m;
            (runs.iter().map(|r| (r[j] - mean).powi(2)).sum::<f64>() / (m - 1.0)).sqrt()
        })
        .collect()
}
