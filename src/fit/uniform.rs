//! Uniform fit: the maximum likelihood estimates of the bounds are the
//! sample minimum and maximum, since the likelihood (max − min)⁻ⁿ grows as
//! the interval shrinks to the data. They are biased inwards by
//! (max − min)/(n + 1) on average; the fit reports the MLE, unadjusted, so
//! that it is comparable with the other families by AIC.

use super::model::Model;

/// `xs` sorted ascending.
pub(super) fn fit(xs: &[f64]) -> Result<Model, String> {
    Model::uniform(xs[0], xs[xs.len() - 1])
}

#[cfg(test)]
mod tests {
    use super::super::testing::sample;
    use super::*;

    #[test]
    fn recovers_parameters() {
        // The estimates lie inside [a, b], and the gap at each end is the
        // minimum of n uniforms times (b − a): P(gap > t (b − a)) =
        // (1 − t)ⁿ < e⁻ⁿᵗ. With t = 10/n that is below 5e-5 per end (the
        // gap's standard error is about (b − a)/n, so this is ten of them).
        let (a, b, n) = (50.0, 150.0, 2000);
        let xs = sample(rand_distr::Uniform::new(a, b).unwrap(), n, 51);
        let Model::Uniform { min, max, .. } = fit(&xs).unwrap() else {
            unreachable!()
        };
        let t = 10.0 * (b - a) / n as f64;
        assert!(min >= a && min - a < t, "{min}");
        assert!(max <= b && b - max < t, "{max}");
    }
}
