//! Uniform fit. The maximum likelihood estimates of the bounds are the
//! sample minimum and maximum, since the likelihood (max − min)⁻ⁿ grows as
//! the interval shrinks to the data. They are biased inwards, and a
//! forecast from them says that no future value can go beyond the past
//! ones; with a support that depends on the parameters, the MLE is also
//! super-efficient, and AIC, whose penalty assumes regular likelihoods,
//! favours it over smooth families on small samples. The fit therefore
//! widens each bound by (max − min)/(n − 1), which makes the bounds
//! unbiased (the minimum-variance unbiased estimates), and reports the
//! likelihood and AIC at those bounds.

use super::model::Model;

/// `xs` sorted ascending.
pub(super) fn fit(xs: &[f64]) -> Result<Model, String> {
    let (lo, hi) = (xs[0], xs[xs.len() - 1]);
    let pad = (hi - lo) / (xs.len() - 1) as f64;
    Model::uniform(lo - pad, hi + pad)
}

#[cfg(test)]
mod tests {
    use super::super::testing::sample;
    use super::*;
    use crate::dist::Family;

    /// (min, max) of a fitted uniform.
    fn bounds(m: Model) -> (f64, f64) {
        let Family::Uniform(d) = m.dist() else {
            unreachable!()
        };
        (d.min(), d.max())
    }

    #[test]
    fn bounds_are_widened_to_be_unbiased() {
        // 1, 2, ..., 5: range 4 over n − 1 = 4 intervals, so 1 each side.
        let (min, max) = bounds(fit(&[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap());
        assert_eq!((min, max), (0.0, 6.0));
    }

    #[test]
    fn recovers_parameters() {
        // The sample's extremes lie inside [a, b], and the gap at each end
        // is the minimum of n uniforms times (b − a): P(gap > t (b − a)) =
        // (1 − t)ⁿ < e⁻ⁿᵗ. With t = 10/n that is below 5e-5 per end (the
        // gap's standard error is about (b − a)/n, so this is ten of them).
        // The fit widens the extremes by their range over n − 1, which is
        // at most (b − a)/(n − 1).
        let (a, b, n) = (50.0, 150.0, 2000);
        let xs = sample(rand_distr::Uniform::new(a, b).unwrap(), n, 51);
        let (min, max) = bounds(fit(&xs).unwrap());
        let t = 10.0 * (b - a) / n as f64;
        let pad = (b - a) / (n - 1) as f64;
        assert!(min >= a - pad && min - a < t, "{min}");
        assert!(max <= b + pad && b - max < t, "{max}");
    }
}
