//! Weibull fit by maximum likelihood on the shape's profile equation. For
//! a shape c the scale that maximises the likelihood is
//! λ(c) = (Σ xᶜ / n)^(1/c); substituting it leaves one equation in c,
//! Σ xᶜ ln x / Σ xᶜ − 1/c − mean(ln x) = 0 (Cohen, *Maximum likelihood
//! estimation in the Weibull distribution based on complete and on
//! censored samples*, Technometrics 7, 1965). Its left side increases from
//! −∞ to max(ln x) − mean(ln x) > 0, so the root is unique; Newton in a
//! bracket finds it from the moment estimate c₀ = π / (√6 sd(ln x)) (ln x is
//! Gumbel with that standard deviation).
//!
//! The sums are taken over y = ln x − mean(ln x) with weights
//! exp(c (y − max y)) ≤ 1, so that xᶜ never overflows whatever the shape.

use super::model::Model;
use super::optim::newton_bracketed;

/// Needs every value > 0 (checked by the caller).
pub(super) fn fit(xs: &[f64]) -> Result<Model, String> {
    let n = xs.len() as f64;
    let logs: Vec<f64> = xs.iter().map(|x| x.ln()).collect();
    let ybar = logs.iter().sum::<f64>() / n;
    let ys: Vec<f64> = logs.iter().map(|l| l - ybar).collect();
    let ymax = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sd = (ys.iter().map(|y| y * y).sum::<f64>() / n).sqrt();
    if !(sd > 0.0 && ymax > 0.0) {
        return Err("the logarithms of the values do not vary: no Weibull shape fits".into());
    }
    // The weighted mean A and mean square B of y, with weights ∝ x^c.
    let moments = |c: f64| {
        let (mut sw, mut swy, mut swy2) = (0.0, 0.0, 0.0);
        for &y in &ys {
            let w = (c * (y - ymax)).exp();
            sw += w;
            swy += w * y;
            swy2 += w * y * y;
        }
        (sw, swy / sw, swy2 / sw)
    };
    let g = |c: f64| {
        let (_, a, b) = moments(c);
        (a - 1.0 / c, b - a * a + 1.0 / (c * c))
    };
    let c0 = std::f64::consts::PI / (6f64.sqrt() * sd);
    let (mut lo, mut hi) = (0.5 * c0, 2.0 * c0);
    for _ in 0..200 {
        if g(lo).0 < 0.0 {
            break;
        }
        lo *= 0.5;
    }
    for _ in 0..200 {
        if g(hi).0 > 0.0 {
            break;
        }
        hi *= 2.0;
    }
    let c = newton_bracketed(g, lo, hi, c0)
        .ok_or_else(|| format!("the Weibull shape equation has no root near {c0}"))?;
    let (sw, _, _) = moments(c);
    let scale = (ybar + ymax + (sw / n).ln() / c).exp();
    Model::weibull(c, scale)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{POSITIVE, sample};
    use super::*;
    use crate::dist::Family;

    fn shape_scale(m: Model) -> (f64, f64) {
        let Family::Weibull(d) = m.dist() else {
            unreachable!()
        };
        d.params()
    }

    #[test]
    fn against_scipy() {
        // The root of the profile equation by scipy.optimize.brentq
        // (xtol 1e-15), λ = mean(xᶜ)^(1/c).
        let (c, lambda) = shape_scale(fit(&POSITIVE).unwrap());
        assert!((c / 2.515862998427262 - 1.0).abs() < 1e-12, "{c}");
        assert!((lambda / 19.1148308139687 - 1.0).abs() < 1e-12, "{lambda}");
    }

    #[test]
    fn recovers_parameters() {
        // Fisher information for (c, λ) per value:
        // [[((1 − γ)² + π²/6)/c², −(1 − γ)/λ], [−(1 − γ)/λ, c²/λ²]], with
        // determinant π²/(6λ²). Inverse: Var(ĉ) = 6c²/(π² n),
        // Var(λ̂) = λ² (1 + 6(1 − γ)²/π²) / (c² n): 0.029 and 4.1 here.
        use std::f64::consts::PI;
        let (c, lambda, n) = (1.7, 300.0, 2000.0);
        let euler_gamma = 0.5772156649015329;
        let se_c = (6.0 * c * c / (PI * PI * n)).sqrt();
        let se_l = (lambda * lambda * (1.0 + 6.0 * (1.0f64 - euler_gamma).powi(2) / (PI * PI))
            / (c * c * n))
            .sqrt();
        // rand_distr's Weibull takes (scale, shape).
        let xs = sample(rand_distr::Weibull::new(lambda, c).unwrap(), 2000, 31);
        let (ch, lh) = shape_scale(fit(&xs).unwrap());
        assert!((ch - c).abs() < 4.0 * se_c, "{ch} vs {c} ± {se_c}");
        assert!(
            (lh - lambda).abs() < 4.0 * se_l,
            "{lh} vs {lambda} ± {se_l}"
        );
    }

    #[test]
    fn huge_values_do_not_overflow() {
        // x^c would overflow for these; the weighted sums do not.
        let xs: Vec<f64> = POSITIVE.iter().map(|x| x * 1e300).collect();
        let (c, lambda) = shape_scale(fit(&xs).unwrap());
        assert!((c / 2.515862998427262 - 1.0).abs() < 1e-10, "{c}");
        assert!(
            (lambda / 19.1148308139687e300 - 1.0).abs() < 1e-10,
            "{lambda}"
        );
    }
}
