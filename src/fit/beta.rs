//! Beta fit on [0, 1] by maximum likelihood. The likelihood equations are
//! ψ(α) − ψ(α + β) = mean(ln x) and ψ(β) − ψ(α + β) = mean(ln(1 − x));
//! Newton's method solves them with the Fisher information
//! I = [[ψ₁(α) − ψ₁(α+β), −ψ₁(α+β)], [−ψ₁(α+β), ψ₁(β) − ψ₁(α+β)]] as the
//! (negated) Hessian, from the method-of-moments start
//! α₀ = m c, β₀ = (1 − m) c with c = m(1 − m)/v − 1 (Johnson, Kotz &
//! Balakrishnan, *Continuous Univariate Distributions* 2, §25.4). The
//! log-likelihood is concave in (α, β) (an exponential family), so steps
//! are halved until they stay positive and do not lower it; that makes the
//! iteration converge from any start.
//!
//! Values must lie strictly inside (0, 1): a 0 or a 1 has zero density or
//! infinite log-density under every beta except α = 1 or β = 1.

use super::model::Model;
use super::special::trigamma;
use statrs::function::gamma::{digamma, ln_gamma};

/// Largest α + β fitted: beyond it the data are nearly constant and
/// statrs' incomplete beta function (140 continued-fraction terms) loses
/// accuracy.
const MAX_SUM: f64 = 1e7;

/// Needs every value in (0, 1) (checked by the caller).
pub(super) fn fit(xs: &[f64]) -> Result<Model, String> {
    let n = xs.len() as f64;
    let l1 = xs.iter().map(|x| x.ln()).sum::<f64>() / n;
    let l2 = xs.iter().map(|x| (-x).ln_1p()).sum::<f64>() / n;
    let ll = |a: f64, b: f64| (a - 1.0) * l1 + (b - 1.0) * l2 - ln_beta(a, b);

    let m = xs.iter().sum::<f64>() / n;
    let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n;
    let c = m * (1.0 - m) / v - 1.0;
    // c > 0 for data inside (0, 1), since v < m(1 − m) there
    // (Bhatia & Davis 2000); the fallback only guards against rounding.
    let c = if c > 0.0 && c.is_finite() { c } else { 1.0 };
    let (mut a, mut b) = (m * c, (1.0 - m) * c);
    let mut cur = ll(a, b);
    for _ in 0..200 {
        let (g1, g2) = (
            l1 - digamma(a) + digamma(a + b),
            l2 - digamma(b) + digamma(a + b),
        );
        let t = trigamma(a + b);
        let (i11, i22, i12) = (trigamma(a) - t, trigamma(b) - t, -t);
        let det = i11 * i22 - i12 * i12;
        let (da, db) = ((i22 * g1 - i12 * g2) / det, (i11 * g2 - i12 * g1) / det);
        if !(da.is_finite() && db.is_finite()) {
            return Err("the beta Newton iteration broke down".into());
        }
        let mut step = 1.0;
        let mut moved = false;
        for _ in 0..60 {
            let (na, nb) = (a + step * da, b + step * db);
            if na > 0.0 && nb > 0.0 {
                let next = ll(na, nb);
                if next >= cur {
                    (a, b, cur) = (na, nb, next);
                    moved = true;
                    break;
                }
            }
            step *= 0.5;
        }
        let small = |d: f64, x: f64| (d * step).abs() <= 1e-13 * x;
        if !moved || (small(da, a) && small(db, b)) {
            break;
        }
        if a + b > MAX_SUM {
            return Err(format!(
                "the values vary too little for a beta (alpha + beta above {MAX_SUM})"
            ));
        }
    }
    Model::beta(a, b)
}

fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{UNIT, sample};
    use super::*;
    use crate::dist::Family;

    fn shapes(m: Model) -> (f64, f64) {
        let Family::Beta(d) = m.dist() else {
            unreachable!()
        };
        d.shapes()
    }

    #[test]
    fn against_scipy() {
        // scipy.optimize.fsolve on the likelihood equations (xtol 1e-14).
        let (a, b) = shapes(fit(&UNIT).unwrap());
        assert!((a / 1.9917230452837487 - 1.0).abs() < 1e-9, "{a}");
        assert!((b / 5.903228383765008 - 1.0).abs() < 1e-9, "{b}");
    }

    /// Standard errors of (α̂, β̂) from the inverse Fisher information over n.
    fn standard_errors(a: f64, b: f64, n: f64) -> (f64, f64) {
        let t = trigamma(a + b);
        let (i11, i22, i12) = (trigamma(a) - t, trigamma(b) - t, -t);
        let det = (i11 * i22 - i12 * i12) * n;
        ((i22 / det).sqrt(), (i11 / det).sqrt())
    }

    #[test]
    fn recovers_parameters() {
        // Bell-shaped (SEs 0.059 and 0.16) and U-shaped (SEs 0.0081 and
        // 0.012), the latter with shapes below 1 where the Newton steps
        // from the moment start need halving.
        for (a, b, seed) in [(2.0, 5.0, 41), (0.3, 0.4, 42)] {
            let (se_a, se_b) = standard_errors(a, b, 2000.0);
            let xs = sample(rand_distr::Beta::new(a, b).unwrap(), 2000, seed);
            let (ah, bh) = shapes(fit(&xs).unwrap());
            assert!((ah - a).abs() < 4.0 * se_a, "{ah} vs {a} ± {se_a}");
            assert!((bh - b).abs() < 4.0 * se_b, "{bh} vs {b} ± {se_b}");
        }
    }
}
