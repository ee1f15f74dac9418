//! Helpers for the fit tests: fixed data sets with reference estimates from
//! scipy, and seeded samples from rand_distr.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::Distribution;

/// Ten positive values; scipy 1.17 references are quoted where used.
pub(super) const POSITIVE: [f64; 10] = [7.5, 9.8, 11.2, 12.0, 14.9, 15.3, 18.4, 22.1, 26.7, 31.0];

/// Ten values in (0, 1).
pub(super) const UNIT: [f64; 10] = [0.05, 0.08, 0.12, 0.19, 0.22, 0.27, 0.31, 0.35, 0.44, 0.51];

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
