//! Gamma fit by maximum likelihood. With s = ln(mean) − mean(ln x) (> 0 by
//! Jensen's inequality unless the data are constant), the shape k solves
//! ln k − ψ(k) = s and the scale is mean / k (Choi & Wette 1969). The
//! left side falls from +∞ to 0, so the root is unique; Newton starts at
//! Minka's approximation k₀ = (3 − s + √((s − 3)² + 24 s)) / (12 s)
//! (Minka, *Estimating a gamma distribution*, 2002), within 1.5% of the
//! root, inside a bracket that keeps it positive.
//!
//! Data that vary very little (coefficient of variation below about 0.1%)
//! give shapes beyond [`MAX_SHAPE`]; the gamma is then a normal for every
//! purpose, and statrs' incomplete gamma function would take ever longer,
//! so the family is excluded with that reason.

use super::model::Model;
use super::optim::newton_bracketed;
use super::special::trigamma;
use statrs::function::gamma::digamma;

/// Largest shape fitted (coefficient of variation 1/√k = 0.1%).
pub(super) const MAX_SHAPE: f64 = 1e6;

/// Needs every value > 0 (checked by the caller).
pub(super) fn fit(xs: &[f64]) -> Result<Model, String> {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let mean_ln = xs.iter().map(|x| x.ln()).sum::<f64>() / n;
    let s = mean.ln() - mean_ln;
    let shape = shape_from_s(s)?;
    Model::gamma(shape, mean / shape)
}

/// The root k of ln k − ψ(k) = s.
fn shape_from_s(s: f64) -> Result<f64, String> {
    if !s.is_finite() {
        return Err("the values overflow the gamma estimates".into());
    }
    if !(s * 2.0 * MAX_SHAPE > 1.0) {
        // ln k − ψ(k) ≈ 1/(2k), so k > MAX_SHAPE when s < 1/(2 MAX_SHAPE).
        return Err(too_little_spread());
    }
    let k0 = (3.0 - s + ((s - 3.0).powi(2) + 24.0 * s).sqrt()) / (12.0 * s);
    // Decreasing in k: positive at the left end of the bracket.
    let f = |k: f64| (k.ln() - digamma(k) - s, 1.0 / k - trigamma(k));
    let (mut lo, mut hi) = (0.5 * k0, 2.0 * k0);
    for _ in 0..60 {
        if f(lo).0 > 0.0 {
            break;
        }
        lo *= 0.5;
    }
    for _ in 0..60 {
        if f(hi).0 < 0.0 || hi > MAX_SHAPE {
            break;
        }
        hi *= 2.0;
    }
    let k = newton_bracketed(f, lo, hi.min(2.0 * MAX_SHAPE), k0)
        .ok_or_else(|| format!("the gamma shape equation has no root near {k0}"))?;
    if k > MAX_SHAPE {
        return Err(too_little_spread());
    }
    Ok(k)
}

fn too_little_spread() -> String {
    format!(
        "the values vary too little for a gamma (shape above {MAX_SHAPE}); a normal fits them as well"
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{POSITIVE, sample};
    use super::*;
    use crate::dist::Family;

    fn shape_scale(m: Model) -> (f64, f64) {
        let Family::Gamma(d) = m.dist() else {
            unreachable!()
        };
        d.params()
    }

    #[test]
    fn against_scipy() {
        // The root of ln k − ψ(k) = s by scipy.optimize.brentq with
        // scipy.special.digamma (xtol 1e-15); scale = mean / k.
        // statrs' digamma (AS 103) is good to about 1e-13 here.
        let (k, theta) = shape_scale(fit(&POSITIVE).unwrap());
        assert!((k / 5.635933816402917 - 1.0).abs() < 1e-10, "{k}");
        assert!((theta / 2.9968414374993286 - 1.0).abs() < 1e-10, "{theta}");
    }

    #[test]
    fn solves_the_shape_equation_across_scales() {
        for s in [1e-5, 1e-3, 0.05, 0.5, 3.0, 40.0] {
            let k = shape_from_s(s).unwrap();
            let resid = k.ln() - digamma(k) - s;
            assert!(
                resid.abs() < 1e-12 * s.max(1.0) + 1e-14,
                "s = {s}: k = {k}, {resid}"
            );
        }
    }

    #[test]
    fn recovers_parameters() {
        // Fisher information per value for (k, θ): [[ψ₁(k), 1/θ], [1/θ, k/θ²]],
        // whose inverse gives Var(k̂) = k / (n (k ψ₁(k) − 1)) and
        // Var(θ̂) = θ² ψ₁(k) / (n (k ψ₁(k) − 1)): 0.076 and 1.45 here.
        let (k, theta, n) = (2.5, 40.0, 2000.0);
        let det = n * (k * trigamma(k) - 1.0);
        let (se_k, se_theta) = ((k / det).sqrt(), (theta * theta * trigamma(k) / det).sqrt());
        let xs = sample(rand_distr::Gamma::new(k, theta).unwrap(), 2000, 21);
        let (kh, th) = shape_scale(fit(&xs).unwrap());
        assert!((kh - k).abs() < 4.0 * se_k, "{kh} vs {k} ± {se_k}");
        assert!(
            (th - theta).abs() < 4.0 * se_theta,
            "{th} vs {theta} ± {se_theta}"
        );
    }

    #[test]
    fn nearly_constant_data_are_excluded_not_looped_on() {
        let xs: Vec<f64> = (0..10).map(|i| 1000.0 + 1e-6 * i as f64).collect();
        assert!(fit(&xs).unwrap_err().contains("vary too little"));
    }
}
