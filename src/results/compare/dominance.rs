//! First- and second-order stochastic dominance between two empirical NPV
//! distributions, robust to Monte Carlo noise.
//!
//! Option A dominates B to the first order when F_A(x) ≤ F_B(x) for every x
//! (every NPV level is at least as likely to be exceeded under A), and to the
//! second order when G_A(x) ≤ G_B(x) for every x, with G(x) = ∫_{−∞}^x F(t) dt
//! (every risk-averse decision maker prefers A). Two finite samples never
//! satisfy these exactly or fail them by chance alone only a little, so the
//! rule allows for the sampling error of each empirical CDF. By the
//! Dvoretzky–Kiefer–Wolfowitz inequality with Massart's constant,
//! P(sup |F̂_n − F| > ε) ≤ 2 exp(−2nε²); with ε_n = √(ln(2/β) / (2n)) and
//! β = 2.5% per sample, both CDFs lie within their bands at once with
//! probability at least 95% (whatever the dependence between the samples,
//! so paired trials are fine). The tolerance is τ = ε_{n_A} + ε_{n_B}:
//!
//! - the distributions *differ* when sup_x |F̂_A − F̂_B| > τ (the
//!   Kolmogorov–Smirnov distance is beyond noise); otherwise the verdict is
//!   "indistinguishable";
//! - A dominates B to the first order when they differ and F̂_A(x) − F̂_B(x)
//!   ≤ τ everywhere (the CDFs do not cross beyond the tolerance);
//! - A dominates B to the second order when it does to the first order, or
//!   when they differ, Ĝ_A(x) − Ĝ_B(x) ≤ τ (x − m) everywhere and Ĝ_B(x) −
//!   Ĝ_A(x) > τ (x − m) somewhere, where m is the smallest NPV of either
//!   sample: integrating the CDF band from m bounds the error of Ĝ by
//!   ε (x − m), so A is never worse beyond noise and better beyond it
//!   somewhere.
//! - "neither" when they differ and neither dominates (to the second order
//!   also when neither integrated curve is shown above the other).
//!
//! With these rules first-order dominance implies second-order dominance, as
//! in theory, and A dominating B excludes B dominating A.

use serde::Serialize;

/// Per-sample error level of the DKW band (two samples: 95% jointly).
const BETA: f64 = 0.025;

/// The verdict of one order of stochastic dominance, for an option against
/// the baseline (higher NPV is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dominance {
    /// The option dominates the baseline.
    Dominates,
    /// The baseline dominates the option.
    Dominated,
    /// The distributions differ beyond noise and their curves cross.
    Neither,
    /// The distributions do not differ beyond Monte Carlo noise.
    Indistinguishable,
}

impl Dominance {
    /// The word written in `batch_summary.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Dominance::Dominates => "dominates",
            Dominance::Dominated => "dominated",
            Dominance::Neither => "neither",
            Dominance::Indistinguishable => "indistinguishable",
        }
    }
}

/// Half-width of the DKW band of an empirical CDF of `n` values.
pub fn dkw_band(n: usize) -> f64 {
    if n == 0 {
        return f64::INFINITY;
    }
    ((2.0 / BETA).ln() / (2.0 * n as f64)).sqrt()
}

/// The first- and second-order verdicts for option `a` against baseline `b`,
/// both sorted ascending and finite.
pub fn dominance(a: &[f64], b: &[f64]) -> (Dominance, Dominance) {
    if a.is_empty() || b.is_empty() {
        return (Dominance::Indistinguishable, Dominance::Indistinguishable);
    }
    let tol = dkw_band(a.len()) + dkw_band(b.len());
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let m = a[0].min(b[0]);
    let (mut i, mut j) = (0usize, 0usize);
    let (mut fa, mut fb) = (0.0f64, 0.0f64);
    let (mut ga, mut gb) = (0.0f64, 0.0f64);
    let mut prev = m;
    // Largest excess of each CDF over the other, and of each integrated
    // CDF over the other beyond the growing tolerance.
    let (mut fa_over, mut fb_over) = (0.0f64, 0.0f64);
    let (mut ga_over, mut gb_over) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    while i < a.len() || j < b.len() {
        let x = match (a.get(i), b.get(j)) {
            (Some(&p), Some(&q)) => p.min(q),
            (Some(&p), None) => p,
            (None, Some(&q)) => q,
            (None, None) => unreachable!(),
        };
        // G is continuous and piecewise linear: its slope on [prev, x) is F.
        ga += fa * (x - prev);
        gb += fb * (x - prev);
        let t = tol * (x - m);
        ga_over = ga_over.max(ga - gb - t);
        gb_over = gb_over.max(gb - ga - t);
        while i < a.len() && a[i] <= x {
            i += 1;
        }
        while j < b.len() && b[j] <= x {
            j += 1;
        }
        fa = i as f64 / na;
        fb = j as f64 / nb;
        fa_over = fa_over.max(fa - fb);
        fb_over = fb_over.max(fb - fa);
        prev = x;
    }
    if fa_over.max(fb_over) <= tol {
        return (Dominance::Indistinguishable, Dominance::Indistinguishable);
    }
    // A dominates when its curve never rises above B's beyond the
    // tolerance (and B's rises above A's beyond it somewhere).
    let verdict = |a_ok: bool, b_ok: bool| match (a_ok, b_ok) {
        (true, false) => Dominance::Dominates,
        (false, true) => Dominance::Dominated,
        _ => Dominance::Neither,
    };
    // The CDFs differ beyond the tolerance, so at most one side is ok.
    let first = verdict(fa_over <= tol, fb_over <= tol);
    let second = match first {
        Dominance::Dominates | Dominance::Dominated => first,
        _ => verdict(ga_over <= 0.0, gb_over <= 0.0),
    };
    (first, second)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::{Distribution, StandardNormal};

    fn normals(n: usize, seed: u64) -> Vec<f64> {
        let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..n).map(|_| StandardNormal.sample(&mut rng)).collect()
    }

    fn sorted(mut v: Vec<f64>) -> Vec<f64> {
        v.sort_by(f64::total_cmp);
        v
    }

    #[test]
    fn band_is_massarts() {
        // ln(80) / 20000 = 2.19101e-4, its root 0.0148020 (by hand).
        assert!((dkw_band(10_000) - (80f64.ln() / 20_000.0).sqrt()).abs() < 1e-15);
        assert!((dkw_band(10_000) - 0.014_802).abs() < 1e-6);
    }

    #[test]
    fn a_shift_dominates_both_ways_round() {
        // B ~ N(0, 1), A = B + 1: the KS distance is 2Φ(0.5) − 1 = 0.383,
        // far beyond the tolerance 0.0296 of two samples of 10,000.
        let b = sorted(normals(10_000, 1));
        let a: Vec<f64> = b.iter().map(|x| x + 1.0).collect();
        use Dominance::*;
        assert_eq!(dominance(&a, &b), (Dominates, Dominates));
        assert_eq!(dominance(&b, &a), (Dominated, Dominated));
    }

    #[test]
    fn a_mean_preserving_spread_is_second_order_dominated() {
        // A ~ N(0, 1), B ~ N(0, 2): the CDFs cross at 0 (no first-order
        // dominance), but B is a mean-preserving spread of A, which every
        // risk-averse decision maker avoids: A dominates to the second order.
        let z = normals(20_000, 2);
        let a = sorted(z.clone());
        let b = sorted(z.iter().map(|x| 2.0 * x).collect());
        use Dominance::*;
        assert_eq!(dominance(&a, &b), (Neither, Dominates));
        assert_eq!(dominance(&b, &a), (Neither, Dominated));
    }

    #[test]
    fn equal_distributions_are_indistinguishable() {
        use Dominance::*;
        let a = sorted(normals(5_000, 3));
        assert_eq!(dominance(&a, &a), (Indistinguishable, Indistinguishable));
        // Two independent samples of one distribution: their KS distance is
        // within the 95% band here (seeds fixed).
        let b = sorted(normals(5_000, 4));
        assert_eq!(dominance(&a, &b), (Indistinguishable, Indistinguishable));
        // A shift well inside the noise (0.01 sd, KS distance 0.004) is not
        // called dominance.
        let c: Vec<f64> = a.iter().map(|x| x + 0.01).collect();
        assert_eq!(dominance(&c, &a), (Indistinguishable, Indistinguishable));
    }

    #[test]
    fn first_order_dominated_is_second_order_dominated() {
        // A = B − 0.3 for B ~ N(0, 1): worse at every level. At the top the
        // integrated CDFs differ by 0.3, within their growing tolerance
        // (0.066 times a range of about 7), which must not turn into "A
        // dominates to the second order".
        let b = sorted(normals(2_000, 5));
        let a: Vec<f64> = b.iter().map(|x| x - 0.3).collect();
        use Dominance::*;
        assert_eq!(dominance(&a, &b), (Dominated, Dominated));
    }

    #[test]
    fn hand_computed_crossing() {
        // A = {0, 10}, B = {4, 6}: same mean, A spread wider. F_A − F_B =
        // 0.5 on [0, 4), −0.5 on [6, 10): far beyond the tolerance of two
        // samples of 2 (each band > 1), so the verdict is indistinguishable.
        use Dominance::*;
        assert_eq!(
            dominance(&[0.0, 10.0], &[4.0, 6.0]),
            (Indistinguishable, Indistinguishable)
        );
    }
}
