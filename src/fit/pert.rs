//! PERT fit: the maximum likelihood estimate of (min, mode, max) of the
//! PERT distribution, a beta on [min, max] with shapes
//! α = 1 + 4 (mode − min)/(max − min) and β = 1 + 4 (max − mode)/(max − min)
//! (so α + β = 6 always).
//!
//! No closed form exists, so Nelder-Mead maximises the log-likelihood over
//! an unconstrained reparametrisation that keeps min below and max above
//! the data and the mode between them:
//! u = ln((x₍₁₎ − min)/R), v = ln((max − x₍ₙ₎)/R) and
//! w = logit((mode − min)/(max − min)), with R = x₍ₙ₎ − x₍₁₎. Since
//! α, β ≥ 1 the density is bounded and the likelihood has a maximum; where
//! α > 1 it vanishes at min, so the bounds settle strictly outside the
//! data. Two starts (bounds R/√n and R/5 beyond the extremes, the mode
//! from the PERT mean (min + 4 mode + max)/6 = sample mean) guard against
//! a local maximum.
//!
//! The search only approaches the boundary maxima, where the mode and a
//! bound sit on an extreme value (α = 1 or β = 1, where the density stays
//! positive at the bound). With the mode at the smallest value the density
//! 5 (max − x)⁴/(max − min)⁵ grows with min, so min = mode = x₍₁₎, and the
//! likelihood has one maximum in max: the root of
//! Σ (max − x₍₁₎)/(max − xᵢ) = 5n/4 (see `triangular::far_bound`). The
//! mode at the largest value is the mirror image. Both are computed
//! exactly, and the best of the candidates is kept.

use super::model::Model;
use super::optim::minimize;
use super::triangular::{best_of, far_bound, outer_bounds};
use statrs::function::gamma::ln_gamma;

/// `xs` sorted ascending, not constant.
pub(super) fn fit(xs: &[f64]) -> Result<Model, String> {
    let n = xs.len() as f64;
    let (lo, hi) = (xs[0], xs[xs.len() - 1]);
    let r = hi - lo;
    if !r.is_finite() {
        return Err("the range of the values overflows".into());
    }
    let mean = xs.iter().sum::<f64>() / n;
    let params = |p: &[f64]| {
        let (a, b) = outer_bounds(lo, hi, p[0], p[1]);
        let t = 1.0 / (1.0 + (-p[2].clamp(-30.0, 30.0)).exp());
        (a, a + (b - a) * t, b)
    };
    let objective = |p: &[f64]| {
        let (a, m, b) = params(p);
        -log_likelihood(xs, a, m, b)
    };
    let mut best: Option<(Vec<f64>, f64)> = None;
    for gap in [1.0 / n.sqrt(), 0.2] {
        let (a, b) = (lo - gap * r, hi + gap * r);
        // max/min rather than clamp: with values near f64::MAX the bounds
        // overflow, and the objective then refuses every point instead.
        let mode = ((6.0 * mean - a - b) / 4.0)
            .max(a + 0.05 * (b - a))
            .min(b - 0.05 * (b - a));
        let t = (mode - a) / (b - a);
        let start = [gap.ln(), gap.ln(), (t / (1.0 - t)).ln()];
        let (p, f) = minimize(objective, &start, 0.5, 1e-12, 3000);
        if best.as_ref().is_none_or(|b| f < b.1) {
            best = Some((p, f));
        }
    }
    let (p, f) = best.expect("two starts");
    let interior = if f.is_finite() {
        let (a, m, b) = params(&p);
        Model::pert(a, m, b)
    } else {
        Err("no PERT gives every value positive density".into())
    };
    let mode_at_min = Model::pert(lo, lo, lo + far_bound(xs, 1.25));
    let mirrored: Vec<f64> = xs.iter().rev().map(|x| -x).collect();
    let mode_at_max = Model::pert(hi - far_bound(&mirrored, 1.25), hi, hi);
    best_of(xs, [interior, mode_at_min, mode_at_max])
}

/// Σ ln f(xᵢ) for PERT(a, m, b), f(x) = (x − a)^(α−1) (b − x)^(β−1) /
/// (B(α, β) (b − a)^(α+β−1)).
fn log_likelihood(xs: &[f64], a: f64, m: f64, b: f64) -> f64 {
    let r = b - a;
    let (al, be) = (1.0 + 4.0 * (m - a) / r, 1.0 + 4.0 * (b - m) / r);
    let ln_beta = ln_gamma(al) + ln_gamma(be) - ln_gamma(al + be);
    let s: f64 = xs
        .iter()
        .map(|&x| (al - 1.0) * (x - a).ln() + (be - 1.0) * (b - x).ln())
        .sum();
    s - xs.len() as f64 * (ln_beta + (al + be - 1.0) * r.ln())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{
        MODE_AT_MIN, POSITIVE, boundary_log_likelihood, monte_carlo_sd, sample,
    };
    use super::*;
    use crate::dist::Family;

    fn params(m: Model) -> Vec<f64> {
        let Family::Pert(d) = m.dist() else {
            unreachable!()
        };
        let (min, mode, max) = d.params();
        vec![min, mode, max]
    }

    #[test]
    fn log_likelihood_matches_the_density() {
        let m = Model::pert(5.0, 12.0, 40.0).unwrap();
        let direct: f64 = POSITIVE.iter().map(|&x| m.ln_pdf(x)).sum();
        assert!((log_likelihood(&POSITIVE, 5.0, 12.0, 40.0) - direct).abs() < 1e-10);
    }

    #[test]
    fn at_least_as_likely_as_scipy() {
        // scipy.optimize.minimize(method="Nelder-Mead") on the same
        // reparametrisation, best of five starts: −32.020120162933765 at
        // min = mode = 7.5 (the smallest value; α = 1), max = 61.2395. The
        // fit's bounds stay 1e-9 R outside the data, which costs about
        // n · 1e-9 in log-likelihood.
        let m = fit(&POSITIVE).unwrap();
        let ll: f64 = POSITIVE.iter().map(|&x| m.ln_pdf(x)).sum();
        assert!(ll >= -32.020120162933765 - 1e-7, "{ll}");
        let p = params(m);
        assert!((p[2] - 61.2395).abs() < 1e-3, "{p:?}");
    }

    fn ll(m: &Model, xs: &[f64]) -> f64 {
        xs.iter().map(|&x| m.ln_pdf(x)).sum()
    }

    #[test]
    fn boundary_maximum_in_closed_form() {
        // Mode and min at the smallest value x₁ = 2.144 (α = 1), max the
        // root of 4 Σ (b − x₁)/(b − xᵢ) = 5n. Reference (scipy 1.17):
        // brentq on that equation gives b = 18.098821849049695 and
        // lnL = n ln 5 − 5n ln(b − x₁) + 4 Σ ln(b − xᵢ) =
        // −23.505355701416235; 300 Nelder-Mead starts over the whole
        // parameter space (scipy.optimize.minimize) reach
        // −23.50535570141618, at the same boundary.
        let m = fit(&MODE_AT_MIN).unwrap();
        let got = params(m.clone());
        assert_eq!(&got[..2], &[2.144, 2.144]);
        assert!((got[2] - 18.098821849049695).abs() < 1e-11, "{got:?}");
        let lnl = ll(&m, &MODE_AT_MIN);
        assert!((lnl - -23.505355701416235).abs() < 1e-10, "{lnl}");
        let mirrored: Vec<f64> = MODE_AT_MIN.iter().rev().map(|x| -x).collect();
        let m = fit(&mirrored).unwrap();
        assert_eq!(&params(m.clone())[1..], &[-2.144, -2.144]);
        assert!((ll(&m, &mirrored) - lnl).abs() < 1e-10);
    }

    #[test]
    fn never_below_a_boundary_maximum() {
        // As for the triangular: an independent ternary search over the
        // far bound with the mode and near bound at either end.
        let pert = |b: f64, d: &[f64]| {
            let n = d.len() as f64;
            n * 5f64.ln() - 5.0 * n * b.ln() + 4.0 * d.iter().map(|di| (b - di).ln()).sum::<f64>()
        };
        let samples = (0..10).flat_map(|seed| {
            [
                sample(rand_distr::Exp::new(1.0).unwrap(), 50, 300 + seed),
                sample(
                    rand_distr::LogNormal::new(0.0, 0.6).unwrap(),
                    50,
                    400 + seed,
                ),
                sample(
                    rand_distr::Triangular::new(0.0, 1.0, 0.0).unwrap(),
                    50,
                    500 + seed,
                ),
                sample(rand_distr::Uniform::new(0.0, 1.0).unwrap(), 50, 700 + seed),
            ]
        });
        for xs in samples {
            let got = ll(&fit(&xs).unwrap(), &xs);
            for mirror in [false, true] {
                let want = boundary_log_likelihood(&xs, mirror, pert);
                assert!(
                    got >= want - 1e-9,
                    "{got} < {want} (mirror {mirror}): {xs:?}"
                );
            }
        }
    }

    #[test]
    fn recovers_parameters() {
        // PERT(0, 4, 10) has α = 2.6 and β = 3.4, both above 2: the regular
        // case of Smith (1985), where the MLE is asymptotically normal, but
        // the Fisher information of the four-parameter beta pushed through
        // the PERT constraint is unwieldy. The standard errors are the sd of
        // the estimates over 30 independent samples of the same size
        // (uncertain by about 13%, which the factor 4 absorbs).
        let truth = [0.0, 4.0, 10.0];
        let dist = rand_distr::Pert::new(truth[0], truth[2])
            .with_mode(truth[1])
            .unwrap();
        let estimate = |xs: &[f64]| params(fit(xs).unwrap());
        let se = monte_carlo_sd(dist, 2000, 30, estimate);
        let got = estimate(&sample(dist, 2000, 71));
        for j in 0..3 {
            assert!(
                (got[j] - truth[j]).abs() < 4.0 * se[j],
                "parameter {j}: {} vs {} ± {}",
                got[j],
                truth[j],
                se[j]
            );
        }
    }
}
